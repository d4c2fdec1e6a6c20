/* fuzz_botapi: any Bot API response — the HTTP status and the body — read as the sender and
 * the service read it (src/net/sender.c on_sent, src/app/service.c): the envelope, error_code,
 * description, parameters.retry_after, the sent message's id, getMe's username. Bodies that are
 * not an envelope (an HTML error page from a proxy) must come back as such, with the status.
 *
 * Input: byte 0 picks the HTTP status, byte 1 bit 0 whether the tree goes in an arena (the
 * sender's and the poller's) or in malloc (setMyCommands'), the rest is the body. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "karirbot/jsonmem.h"
#include "karirbot/telegram.h"

static const long statuses[] = {200, 400, 401, 403, 404, 409, 413, 429, 500, 502, 504, 0};
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

static struct kb_json_arena arena;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    long status = statuses[data[0] % NSTATUSES];
    struct kb_json_arena *a = data[1] & 1 ? &arena : NULL;
    const char *body = (const char *)data + 2;
    size_t len = size - 2;

    struct kb_tg_reply r;
    int parsed = kb_tg_reply_parse(&r, a, status, body, len) == 0;
    size_t dl = strnlen(r.description, sizeof r.description);
    FUZZ_CHECK(dl < sizeof r.description);
    if (!parsed) {
        FUZZ_CHECK(r.root == NULL && r.result == NULL && !r.ok);
        FUZZ_CHECK(r.error_code == (int)status && dl > 0);
        return 0;
    }
    FUZZ_CHECK(r.root != NULL);
    FUZZ_CHECK(r.retry_after >= 0 && r.retry_after <= 86400);
    if (r.ok) {
        FUZZ_CHECK(r.error_code == 0);
    } else {
        FUZZ_CHECK(r.error_code == (int)status || (r.error_code > 0 && r.error_code < 1000));
    }
    int64_t id = 0;
    if (cJSON_IsObject(r.result) && kb_tg_int64(r.result, "message_id", &id) == 0)
        FUZZ_CHECK(id ==
                   (int64_t)cJSON_GetObjectItemCaseSensitive(r.result, "message_id")->valuedouble);
    (void)strstr(r.description, "message is not modified");
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(r.result, "username");
    if (cJSON_IsString(u))
        (void)strlen(u->valuestring);
    kb_tg_reply_free(&r);
    FUZZ_CHECK(r.root == NULL);
    return 0;
}
