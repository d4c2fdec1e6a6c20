/* fuzz_update: a getUpdates response body, read as the service reads it (src/app/service.c,
 * on_updates and take_batch): the envelope into an arena, each element of result into a
 * kb_event; and, for a body that cannot be read, the raw scan for an update_id and the repaired
 * copy kept as a dead letter. Checks what the event promises the engine: UTF-8 text, a command
 * in [a-z0-9_]{1,32} with trimmed arguments, a chat for every message, an id for every press. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "karirbot/jsonmem.h"
#include "karirbot/telegram.h"
#include "karirbot/utf8.h"

#define DEAD_RAW_LIMIT 4096 /* the service keeps this much of an unreadable body */

static struct kb_json_arena arena; /* one per process, as the service has */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    return 0;
}

static void check_text(const char *s)
{
    if (s)
        FUZZ_CHECK(kb_utf8_valid(s, strlen(s)));
}

static void check_event(const struct kb_event *ev)
{
    check_text(ev->text);
    check_text(ev->first_name);
    check_text(ev->callback_id);
    check_text(ev->callback_data);
    check_text(ev->file_id);
    check_text(ev->other_kind);
    if (ev->language_code)
        FUZZ_CHECK(strlen(ev->language_code) < 16);
    if (ev->command) {
        size_t n = strlen(ev->command);
        FUZZ_CHECK(n >= 1 && n <= 32 && ev->text);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(islower((unsigned char)ev->command[i]) ||
                       isdigit((unsigned char)ev->command[i]) || ev->command[i] == '_');
        FUZZ_CHECK(ev->args != NULL);
        size_t a = strlen(ev->args);
        FUZZ_CHECK(a == 0 || (!isspace((unsigned char)ev->args[0]) &&
                              !isspace((unsigned char)ev->args[a - 1])));
    } else {
        FUZZ_CHECK(ev->args == NULL);
    }
    switch (ev->kind) {
    case KB_EV_TEXT:
        FUZZ_CHECK(ev->chat_id != 0 && ev->text);
        break;
    case KB_EV_MEDIA:
        FUZZ_CHECK(ev->chat_id != 0 && ev->media_kind);
        break;
    case KB_EV_CALLBACK:
        FUZZ_CHECK(ev->callback_id != NULL);
        break;
    case KB_EV_OTHER:
        break;
    default:
        FUZZ_CHECK(!"unknown event kind");
    }
    if (ev->text)
        (void)kb_utf16_len(ev->text, strlen(ev->text)); /* the length Telegram counts */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    struct kb_tg_reply r;
    int rc = kb_tg_reply_parse(&r, &arena, 200, body, size);
    if (rc != 0 || !r.ok || !cJSON_IsArray(r.result)) {
        FUZZ_CHECK(rc == 0 || r.root == NULL);
        int64_t id;
        if (kb_tg_scan_update_id(body, size, &id) == 0) {
            FUZZ_CHECK(id >= 0);
            size_t n = size < DEAD_RAW_LIMIT ? size : DEAD_RAW_LIMIT;
            char *raw = kb_utf8_sanitize(body, n);
            FUZZ_CHECK(raw && kb_utf8_valid(raw, strlen(raw)));
            free(raw);
        }
        if (rc == 0)
            kb_tg_reply_free(&r);
        return 0;
    }
    const cJSON *u;
    cJSON_ArrayForEach(u, r.result)
    {
        struct kb_event ev;
        const char *why = NULL;
        if (kb_tg_parse_update(u, &ev, &why) != 0) {
            FUZZ_CHECK(why != NULL);
            continue;
        }
        check_event(&ev);
        kb_event_free(&ev);
    }
    kb_tg_reply_free(&r);
    return 0;
}
