/* fuzz_locale: a message catalog as HR may edit it, read by kb_locale_load in each of the
 * places a catalog comes from — the shipped <lang>.json, an area file <lang>/<area>.json (where
 * a key may be defined only once), HR's override of either language — and then used: every
 * text rendered with variables, escaped and plain, month names and dates, and the HTML rule of
 * `karirbot check` (kb_html_problem). A text the rule accepts must stay acceptable HTML after
 * any values are put into it, since values are escaped.
 *
 * Input: byte 0 (mod 4) picks where the rest goes: 0 defaults locales/id.json, 1 an area file
 * locales/id/area.json, 2 the override locales/en.json, 3 the override locales/id.json. The
 * other files are small fixed catalogs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "karirbot/check.h"
#include "karirbot/locale.h"

#define TEXTS_MAX 256 /* texts rendered per input */

static const char base_id[] =
    "{\"months\":[\"Januari\",\"Februari\",\"Maret\",\"April\",\"Mei\",\"Juni\",\"Juli\","
    "\"Agustus\",\"September\",\"Oktober\",\"November\",\"Desember\"],"
    "\"greet_pagi\":\"Selamat pagi\",\"hello\":\"Halo {name}, <b>{got}</b> dari {want}.\"}";
static const char base_en[] =
    "{\"months\":[\"January\",\"February\",\"March\",\"April\",\"May\",\"June\",\"July\","
    "\"August\",\"September\",\"October\",\"November\",\"December\"],"
    "\"hello\":\"Hello {name} &amp; {!list}\"}";
static const char area[] = "{\"area_key\":\"Satu {bound} dua\"}";

static char def[600], over[600];

static void put(const char *rel, const char *text)
{
    if (fuzz_write(rel, (const uint8_t *)text, strlen(text)) != 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    if (fuzz_mkdirs("def/locales/id") != 0 || fuzz_mkdirs("over/locales") != 0)
        abort();
    snprintf(def, sizeof def, "%s/def", fuzz_scratch());
    snprintf(over, sizeof over, "%s/over", fuzz_scratch());
    return 0;
}

/* Values that would break the HTML if they were not escaped. */
static const char *const escaped_vars[] = {
    "name", "<i>Dewi & \"Sari\"</i>", "got", "1.234", "want", "{name}", "bound", "&amp;<"};
static const char *const raw_vars[] = {"!list", "<b>satu</b>\n<i>dua</i>", "name", "Budi"};

struct walk {
    const struct kb_locale *loc;
    const char *lang;
    int n;
};

static void use_text(void *ctx, const char *key, const char *text)
{
    struct walk *w = ctx;
    if (w->n++ >= TEXTS_MAX)
        return;
    /* With a key twice in one object, lookups (and so rendering) find the first entry, which
     * may be another text or no text at all. */
    const char *used = kb_locale_text(w->loc, w->lang, key);
    char buf[128];
    int html_ok = used && kb_html_problem(text, buf, sizeof buf) == NULL &&
                  kb_html_problem(used, buf, sizeof buf) == NULL;
    char *out = kb_locale_render(w->loc, w->lang, key, escaped_vars, 4);
    const char *why = out && html_ok ? kb_html_problem(out, buf, sizeof buf) : NULL;
    if (why) {
        char msg[600];
        snprintf(msg, sizeof msg, "'%s' is HTML Telegram accepts, rendered it is not (%s): %.200s",
                 key, why, out);
        fuzz_fail(__FILE__, __LINE__, msg);
    }
    free(out);
    free(kb_locale_render(w->loc, w->lang, key, raw_vars, 2));
    free(kb_locale_render_plain(w->loc, w->lang, key, escaped_vars, 4));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int role = data[0] % 4;
    put("def/locales/id.json", base_id);
    put("def/locales/en.json", base_en);
    put("def/locales/id/area.json", area);
    fuzz_remove("over/locales/en.json");
    fuzz_remove("over/locales/id.json");
    static const char *const where[] = {"def/locales/id.json", "def/locales/id/area.json",
                                        "over/locales/en.json", "over/locales/id.json"};
    if (fuzz_write(where[role], data + 1, size - 1) != 0)
        abort();

    struct kb_locale *loc = kb_locale_load(def, over);
    if (!loc)
        return 0;
    static const char *const langs[] = {"id", "en", "xx"};
    for (size_t i = 0; i < 3; i++) {
        struct walk w = {loc, langs[i], 0};
        kb_locale_each(loc, langs[i], use_text, &w);
        const char *months[12];
        (void)kb_locale_names(loc, langs[i], "months", months, 12);
        char date[64];
        if (kb_locale_date(loc, langs[i], "2027-01-12", date, sizeof date) != 0)
            FUZZ_CHECK(date[0] == '\0');
        (void)kb_locale_date(loc, langs[i], "2027-01-12", date, 8);
        free(kb_locale_render(loc, langs[i], "no_such_key", NULL, 0));
    }
    kb_locale_free(loc);
    return 0;
}
