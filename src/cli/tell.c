/* tell: an admin command's message to an employee, written into the outbox (include/karirbot/
 * tell.h). The same shape as the engine's notify — the recipient's language, their own {name}
 * and {salutation}, reply priority — without its buttons, which need a turn of the engine. */
#include "karirbot/tell.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/event.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/store.h"

#define TELL_VARS_MAX 16

struct kb_locale *kb_tell_locale(const struct kb_config *cfg)
{
    struct kb_locale *loc = kb_locale_load(kb_config_defaults_dir(), kb_config_override_dir(cfg));
    if (!loc)
        fprintf(stderr, "karirbot: the texts in locales/ could not be loaded (see the log "
                        "above); `karirbot check` says more\n");
    return loc;
}

void kb_tell_lang(struct kb_store *st, const struct kb_person *p, char lang[8])
{
    lang[0] = '\0';
    if (p->chat_id && kb_chat_lang_get(st, p->chat_id, lang, 8) != KB_OK)
        lang[0] = '\0';
    if (!lang[0])
        snprintf(lang, 8, "id");
}

int kb_tell(struct kb_store *st, const struct kb_locale *loc, const struct kb_person *p,
            const char *key, const char *const *vars, size_t nvars, int64_t now, int64_t *chat_id)
{
    if (chat_id)
        *chat_id = 0;
    if (!p->chat_id)
        return 0;
    if (nvars > TELL_VARS_MAX) {
        KB_ERROR("tell.too_many_vars", "key=%s n=%zu", key, nvars);
        return -1;
    }
    char lang[8];
    kb_tell_lang(st, p, lang);
    /* The caller's variables first: the renderer takes the first of a name. */
    const char *all[2 * (TELL_VARS_MAX + 2)];
    size_t n = 0;
    for (; n < nvars; n++) {
        all[2 * n] = vars[2 * n];
        all[2 * n + 1] = vars[2 * n + 1];
    }
    char *salutation = kb_locale_render_plain(loc, lang, kb_person_salutation_key(p), NULL, 0);
    all[2 * n] = "name";
    all[2 * n + 1] = p->name;
    all[2 * n + 2] = "salutation";
    all[2 * n + 3] = salutation ? salutation : "";
    n += 2;
    char *text = salutation ? kb_locale_render(loc, lang, key, all, n) : NULL;
    free(salutation);
    if (!text)
        return -1;
    struct kb_out o = {
        .kind = KB_OUT_TEXT, .priority = KB_PRIO_REPLY, .chat_id = p->chat_id, .text = text};
    int64_t id = 0;
    int rc = kb_outbox_add(st, &o, now, &id);
    free(text);
    if (rc != KB_OK)
        return -1;
    KB_INFO("admin.tell", "employee=%lld key=%s outbox=%lld", (long long)p->id, key, (long long)id);
    if (chat_id)
        *chat_id = p->chat_id;
    return 0;
}

void kb_tell_date(const struct kb_locale *loc, const char *lang, const char *ymd, char *buf,
                  size_t cap)
{
    if (kb_locale_date(loc, lang, ymd, buf, cap) != 0)
        snprintf(buf, cap, "%s", ymd);
}

/* ---- reading what HR types ------------------------------------------------------------------ */

int kb_admin_nip(const char *s, char out[19])
{
    size_t n = 0;
    out[0] = '\0';
    for (; s && *s; s++) {
        if (*s == ' ')
            continue;
        if (*s < '0' || *s > '9' || n == 18) {
            out[0] = '\0';
            return -1;
        }
        out[n++] = *s;
    }
    out[n] = '\0';
    if (n != 18) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int kb_admin_id(const char *s, int64_t *out)
{
    char *end;
    *out = 0;
    if (!s || !*s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || v <= 0 || errno)
        return -1;
    *out = v;
    return 0;
}

void kb_admin_today(char out[11])
{
    if (kb_local_date(kb_now(), "WIB", out) != 0)
        snprintf(out, 11, "1970-01-01");
}
