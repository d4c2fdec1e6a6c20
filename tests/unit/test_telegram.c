/* test_telegram: unit tests of the Bot API layer (src/net/tgparse.c, src/net/telegram.c) —
 * updates into kb_event, response envelopes, request bodies and URLs — with no network.
 *
 * No framework: CHECK() prints file:line and the failed expression and counts the failure;
 * main() runs every test and returns non-zero when any check failed. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/telegram.h"
#include "karirbot/utf8.h"

#include "check.h"

/* Parses one update given as JSON text into ev. Returns kb_tg_parse_update's result, or -2 when
 * the text itself is not JSON (a broken test). */
static int parse(const char *json, struct kb_event *ev, const char **why)
{
    cJSON *upd = cJSON_Parse(json);
    if (!upd) {
        fprintf(stderr, "test JSON does not parse: %s\n", json);
        memset(ev, 0, sizeof *ev);
        return -2;
    }
    int rc = kb_tg_parse_update(upd, ev, why);
    cJSON_Delete(upd);
    return rc;
}

/* ---- updates --------------------------------------------------------------------------- */

static void test_parse_private_text_message(void)
{
    const char *json = "{\"update_id\":734012345,\"message\":{\"message_id\":42,"
                       "\"from\":{\"id\":5123456789,\"is_bot\":false,\"first_name\":\"Siti\","
                       "\"last_name\":\"Rahma\",\"username\":\"siti_r\",\"language_code\":\"en\"},"
                       "\"chat\":{\"id\":5123456789,\"first_name\":\"Siti\",\"type\":\"private\"},"
                       "\"date\":1764405670,\"text\":\"Halo karirbot\"}}";
    struct kb_event ev;
    const char *why = NULL;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.update_id == 734012345);
    CHECK(ev.kind == KB_EV_TEXT);
    CHECK(ev.chat_kind == KB_CHAT_PRIVATE);
    CHECK(ev.chat_id == 5123456789LL);
    CHECK(ev.user_id == 5123456789LL);
    CHECK(ev.message_id == 42);
    CHECK(ev.date == 1764405670);
    CHECK(ev.flags == 0);
    CHECK_STR(ev.text, "Halo karirbot");
    CHECK(ev.command == NULL && ev.args == NULL);
    CHECK_STR(ev.first_name, "Siti");
    CHECK_STR(ev.language_code, "en");
    CHECK(ev.file_id == NULL && ev.callback_id == NULL && ev.other_kind == NULL);
    kb_event_free(&ev);
    CHECK(ev.text == NULL && ev.first_name == NULL);
}

static char *text_update(const char *text)
{
    size_t cap = strlen(text) + 256;
    char *s = malloc(cap);
    snprintf(s, cap,
             "{\"update_id\":1,\"message\":{\"message_id\":2,\"from\":{\"id\":3,"
             "\"first_name\":\"A\"},\"chat\":{\"id\":3,\"type\":\"private\"},\"date\":4,"
             "\"text\":\"%s\"}}",
             text);
    return s;
}

static void test_parse_command_with_bot_name_and_payload(void)
{
    char *json = text_update("/start@karirbot_test_bot PAYLOAD-123");
    struct kb_event ev;
    const char *why;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.kind == KB_EV_TEXT);
    CHECK_STR(ev.command, "start");
    CHECK_STR(ev.args, "PAYLOAD-123");
    CHECK_STR(ev.text, "/start@karirbot_test_bot PAYLOAD-123");
    kb_event_free(&ev);
    free(json);

    json = text_update("/start   spaced  args \\t ");
    CHECK(parse(json, &ev, &why) == 0);
    CHECK_STR(ev.command, "start");
    CHECK_STR(ev.args, "spaced  args");
    kb_event_free(&ev);
    free(json);
}

static void test_parse_command_is_lower_cased_with_empty_args(void)
{
    char *json = text_update("/Menu");
    struct kb_event ev;
    const char *why;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK_STR(ev.command, "menu");
    CHECK_STR(ev.args, "");
    CHECK_STR(ev.text, "/Menu");
    kb_event_free(&ev);
    free(json);

    json = text_update("/BATAL@KarirBot");
    CHECK(parse(json, &ev, &why) == 0);
    CHECK_STR(ev.command, "batal");
    CHECK_STR(ev.args, "");
    kb_event_free(&ev);
    free(json);
}

static void test_parse_text_that_only_looks_like_a_command(void)
{
    static const char *const texts[] = {"/ notacommand", "/",   "a /start",
                                        "/start!",       "//x", "/caf\xc3\xa9"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *json = text_update(texts[i]);
        struct kb_event ev;
        const char *why;
        CHECK(parse(json, &ev, &why) == 0);
        CHECK(ev.kind == KB_EV_TEXT);
        CHECK(ev.command == NULL);
        CHECK(ev.args == NULL);
        CHECK_STR(ev.text, texts[i]);
        kb_event_free(&ev);
        free(json);
    }
}

static void test_parse_ids_beyond_32_bits_exactly(void)
{
    const char *json = "{\"update_id\":4503599627370495,\"message\":{\"message_id\":2147483648,"
                       "\"from\":{\"id\":4503599627370494,\"first_name\":\"B\"},"
                       "\"chat\":{\"id\":4503599627370495,\"type\":\"private\"},"
                       "\"date\":1764405670,\"text\":\"x\"}}";
    struct kb_event ev;
    const char *why;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.update_id == 4503599627370495LL);
    CHECK(ev.chat_id == 4503599627370495LL);
    CHECK(ev.user_id == 4503599627370494LL);
    CHECK(ev.message_id == 2147483648LL);
    kb_event_free(&ev);

    json = "{\"update_id\":2147483649,\"message\":{\"message_id\":5,"
           "\"from\":{\"id\":6000000001,\"first_name\":\"C\"},"
           "\"chat\":{\"id\":-1001234567890,\"title\":\"Tim\",\"type\":\"supergroup\"},"
           "\"date\":1,\"text\":\"/start@karirbot_test_bot\"}}";
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.update_id == 2147483649LL);
    CHECK(ev.chat_id == -1001234567890LL);
    CHECK(ev.chat_kind == KB_CHAT_GROUP);
    CHECK(ev.user_id == 6000000001LL);
    CHECK_STR(ev.command, "start");
    kb_event_free(&ev);

    json = "{\"update_id\":9,\"message\":{\"message_id\":5,\"chat\":{\"id\":-4987654321,"
           "\"type\":\"group\"},\"date\":1,\"text\":\"hi\"}}";
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.chat_id == -4987654321LL && ev.chat_kind == KB_CHAT_GROUP);
    CHECK(ev.user_id == 0 && ev.first_name == NULL);
    kb_event_free(&ev);

    json = "{\"update_id\":10,\"message\":{\"message_id\":5,\"chat\":{\"id\":-1009999999999,"
           "\"type\":\"channel\"},\"date\":1,\"text\":\"hi\"}}";
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.chat_kind == KB_CHAT_CHANNEL && ev.chat_id == -1009999999999LL);
    kb_event_free(&ev);
}

static void test_tg_int64_reads_exact_integers_only(void)
{
    cJSON *o = cJSON_Parse("{\"a\":4503599627370495,\"b\":-1001234567890,\"c\":1.5,"
                           "\"d\":\"12\",\"e\":1e300,\"f\":0}");
    int64_t v = 0;
    CHECK(kb_tg_int64(o, "a", &v) == 0 && v == 4503599627370495LL);
    CHECK(kb_tg_int64(o, "b", &v) == 0 && v == -1001234567890LL);
    v = 77;
    CHECK(kb_tg_int64(o, "c", &v) == -1 && v == 77);
    CHECK(kb_tg_int64(o, "d", &v) == -1);
    CHECK(kb_tg_int64(o, "e", &v) == -1);
    CHECK(kb_tg_int64(o, "missing", &v) == -1);
    CHECK(kb_tg_int64(o, "f", &v) == 0 && v == 0);
    CHECK(kb_tg_int64(NULL, "a", &v) == -1);
    cJSON_Delete(o);
}

static void test_parse_photo_uses_largest_size(void)
{
    const char *json =
        "{\"update_id\":20,\"message\":{\"message_id\":7,\"from\":{\"id\":11,\"first_name\":\"D\"},"
        "\"chat\":{\"id\":11,\"type\":\"private\"},\"date\":1,"
        "\"photo\":[{\"file_id\":\"AgAD-small\",\"file_unique_id\":\"s\",\"width\":90,"
        "\"height\":67,\"file_size\":1200},{\"file_id\":\"AgAD-medium\",\"file_unique_id\":\"m\","
        "\"width\":320,\"height\":240},{\"file_id\":\"AgAD-large\",\"file_unique_id\":\"l\","
        "\"width\":1280,\"height\":960}],\"caption\":\"SK kenaikan pangkat\"}}";
    struct kb_event ev;
    const char *why;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.kind == KB_EV_MEDIA);
    CHECK_STR(ev.media_kind, "photo");
    CHECK_STR(ev.file_id, "AgAD-large");
    CHECK_STR(ev.text, "SK kenaikan pangkat");
    CHECK(ev.command == NULL);
    kb_event_free(&ev);
}

static void test_parse_document_with_caption(void)
{
    const char *json =
        "{\"update_id\":21,\"message\":{\"message_id\":8,\"from\":{\"id\":11,\"first_name\":\"D\"},"
        "\"chat\":{\"id\":11,\"type\":\"private\"},\"date\":1,"
        "\"document\":{\"file_name\":\"rpi.pdf\",\"mime_type\":\"application/pdf\","
        "\"file_id\":\"BQACAgUAAxkBAAI\",\"file_unique_id\":\"u\",\"file_size\":52000},"
        "\"caption\":\"/start bukan perintah di caption\"}}";
    struct kb_event ev;
    const char *why;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.kind == KB_EV_MEDIA);
    CHECK_STR(ev.media_kind, "document");
    CHECK_STR(ev.file_id, "BQACAgUAAxkBAAI");
    CHECK_STR(ev.text, "/start bukan perintah di caption");
    CHECK(ev.command == NULL); /* a caption is not a command */
    kb_event_free(&ev);

    /* A sticker: media of another kind, without a caption. */
    json = "{\"update_id\":22,\"message\":{\"message_id\":9,\"chat\":{\"id\":11,"
           "\"type\":\"private\"},\"date\":1,\"sticker\":{\"file_id\":\"CAAC\"}}}";
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.kind == KB_EV_MEDIA);
    CHECK_STR(ev.media_kind, "other");
    CHECK(ev.file_id == NULL && ev.text == NULL);
    kb_event_free(&ev);
}

static void test_parse_callback_query(void)
{
    const char *json =
        "{\"update_id\":30,\"callback_query\":{\"id\":\"4382bfdwdsb323b2d9\","
        "\"from\":{\"id\":5123456789,\"first_name\":\"Siti\",\"language_code\":\"id\"},"
        "\"message\":{\"message_id\":77,\"from\":{\"id\":999,\"is_bot\":true,"
        "\"first_name\":\"karirbot\"},\"chat\":{\"id\":5123456789,\"type\":\"private\"},"
        "\"date\":1764405000,\"text\":\"Lanjutkan?\"},\"chat_instance\":\"-8123\","
        "\"data\":\"t1\"}}";
    struct kb_event ev;
    const char *why;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.kind == KB_EV_CALLBACK);
    CHECK_STR(ev.callback_id, "4382bfdwdsb323b2d9");
    CHECK_STR(ev.callback_data, "t1");
    CHECK(ev.chat_id == 5123456789LL);
    CHECK(ev.chat_kind == KB_CHAT_PRIVATE);
    CHECK(ev.message_id == 77);
    CHECK(ev.user_id == 5123456789LL); /* the presser, not the bot that sent the message */
    CHECK_STR(ev.first_name, "Siti");
    CHECK(ev.text == NULL); /* the message's text is not the event's */
    kb_event_free(&ev);

    /* A press on an inline-mode message has no message and no chat. */
    json = "{\"update_id\":31,\"callback_query\":{\"id\":\"q2\",\"from\":{\"id\":1,"
           "\"first_name\":\"E\"},\"inline_message_id\":\"AAA\",\"data\":\"t2\"}}";
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.kind == KB_EV_CALLBACK);
    CHECK(ev.chat_id == 0 && ev.chat_kind == KB_CHAT_UNKNOWN);
    CHECK_STR(ev.callback_data, "t2");
    kb_event_free(&ev);

    /* Without an id it cannot be answered. */
    json = "{\"update_id\":32,\"callback_query\":{\"from\":{\"id\":1},\"data\":\"t3\"}}";
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.kind == KB_EV_OTHER);
    kb_event_free(&ev);
}

static void test_parse_other_kinds_are_named(void)
{
    static const char *const kinds[] = {"edited_message", "poll", "my_chat_member", "channel_post",
                                        "something_new"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char json[256];
        snprintf(json, sizeof json,
                 "{\"update_id\":%zu,\"%s\":{\"message_id\":1,\"chat\":{\"id\":5,"
                 "\"type\":\"private\"},\"text\":\"edited\"}}",
                 40 + i, kinds[i]);
        struct kb_event ev;
        const char *why;
        CHECK(parse(json, &ev, &why) == 0);
        CHECK(ev.update_id == (int64_t)(40 + i));
        CHECK(ev.kind == KB_EV_OTHER);
        CHECK_STR(ev.other_kind, kinds[i]);
        CHECK(ev.text == NULL);
        kb_event_free(&ev);
    }

    /* A message without a chat cannot be answered either. */
    struct kb_event ev;
    const char *why;
    CHECK(parse("{\"update_id\":50,\"message\":{\"message_id\":1,\"text\":\"x\"}}", &ev, &why) ==
          0);
    CHECK(ev.kind == KB_EV_OTHER);
    kb_event_free(&ev);
}

static void test_parse_without_update_id_fails(void)
{
    static const char *const bad[] = {
        "{\"message\":{\"message_id\":1,\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"x\"}}",
        "{\"update_id\":\"12\",\"message\":{}}",
        "{\"update_id\":1.5,\"message\":{}}",
        "{\"update_id\":null}",
        "[1,2,3]",
        "42",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct kb_event ev;
        const char *why = NULL;
        CHECK(parse(bad[i], &ev, &why) == -1);
        CHECK(why != NULL && *why);
        kb_event_free(&ev);
    }
}

static void test_parse_invalid_utf8_is_flagged_and_sanitized(void)
{
    /* Raw bytes in the quoted text, as a broken client could send them. */
    const char json[] = "{\"update_id\":60,\"message\":{\"message_id\":1,\"from\":{\"id\":5,"
                        "\"first_name\":\"Bad\\u00e9\"},\"chat\":{\"id\":5,\"type\":\"private\"},"
                        "\"date\":1,\"text\":\"ab\xff\xfe"
                        "cd \xed\xa0\x80!\"}}";
    struct kb_event ev;
    const char *why;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.kind == KB_EV_TEXT);
    CHECK(ev.flags & KB_EVF_INVALID_UTF8);
    CHECK(ev.text && kb_utf8_valid(ev.text, strlen(ev.text)));
    CHECK(ev.text && strncmp(ev.text,
                             "ab\xef\xbf\xbd\xef\xbf\xbd"
                             "cd ",
                             11) == 0);
    CHECK(ev.text && strchr(ev.text, '\xff') == NULL);
    CHECK(ev.text && ev.text[strlen(ev.text) - 1] == '!');
    CHECK_STR(ev.first_name, "Bad\xc3\xa9");
    kb_event_free(&ev);

    /* A caption too. */
    const char json2[] = "{\"update_id\":61,\"message\":{\"message_id\":1,\"chat\":{\"id\":5,"
                         "\"type\":\"private\"},\"date\":1,\"document\":{\"file_id\":\"F\"},"
                         "\"caption\":\"\xc0\xaf\"}}";
    CHECK(parse(json2, &ev, &why) == 0);
    CHECK(ev.flags & KB_EVF_INVALID_UTF8);
    CHECK_STR(ev.text, "\xef\xbf\xbd\xef\xbf\xbd");
    kb_event_free(&ev);
}

static void test_parse_preserves_emoji(void)
{
    const char json[] = "{\"update_id\":70,\"message\":{\"message_id\":1,\"chat\":{\"id\":5,"
                        "\"type\":\"private\"},\"date\":1,"
                        "\"text\":\"Siap \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \\ud83d\\ude00\"}}";
    struct kb_event ev;
    const char *why;
    CHECK(parse(json, &ev, &why) == 0);
    CHECK(ev.flags == 0);
    CHECK_STR(ev.text, "Siap \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \xf0\x9f\x98\x80");
    kb_event_free(&ev);
}

/* ---- replies --------------------------------------------------------------------------- */

static int reply(struct kb_tg_reply *r, long status, const char *body)
{
    return kb_tg_reply_parse(r, NULL, status, body, strlen(body));
}

static void test_reply_ok_with_result(void)
{
    struct kb_tg_reply r;
    CHECK(reply(&r, 200,
                "{\"ok\":true,\"result\":{\"message_id\":4503599627370001,\"date\":1,"
                "\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"x\"}}") == 0);
    CHECK(r.ok == 1 && r.error_code == 0 && r.retry_after == 0);
    CHECK(cJSON_IsObject(r.result));
    int64_t mid = 0;
    CHECK(kb_tg_int64(r.result, "message_id", &mid) == 0 && mid == 4503599627370001LL);
    kb_tg_reply_free(&r);
    CHECK(r.root == NULL && r.result == NULL);

    CHECK(reply(&r, 200, "{\"ok\":true,\"result\":[]}") == 0);
    CHECK(r.ok && cJSON_IsArray(r.result) && cJSON_GetArraySize(r.result) == 0);
    kb_tg_reply_free(&r);
}

static void test_reply_error_with_retry_after(void)
{
    struct kb_tg_reply r;
    CHECK(reply(&r, 429,
                "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry "
                "after 7\",\"parameters\":{\"retry_after\":7}}") == 0);
    CHECK(r.ok == 0);
    CHECK(r.error_code == 429);
    CHECK(r.retry_after == 7);
    CHECK_STR(r.description, "Too Many Requests: retry after 7");
    CHECK(r.result == NULL);
    kb_tg_reply_free(&r);

    /* Telegram's error code wins over the HTTP status; no parameters means no retry_after. */
    CHECK(reply(&r, 200,
                "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was "
                "blocked by the user\"}") == 0);
    CHECK(r.ok == 0 && r.error_code == 403 && r.retry_after == 0);
    kb_tg_reply_free(&r);

    /* Absurd waits are capped at a day. */
    CHECK(reply(&r, 429,
                "{\"ok\":false,\"error_code\":429,\"parameters\":{\"retry_after\":99999999}}") ==
          0);
    CHECK(r.retry_after == 86400);
    kb_tg_reply_free(&r);

    /* A long description is cut and terminated. */
    char body[1200];
    char desc[700];
    memset(desc, 'd', sizeof desc - 1);
    desc[sizeof desc - 1] = '\0';
    snprintf(body, sizeof body, "{\"ok\":false,\"error_code\":400,\"description\":\"%s\"}", desc);
    CHECK(reply(&r, 400, body) == 0);
    CHECK(strlen(r.description) == sizeof r.description - 1);
    kb_tg_reply_free(&r);
}

static void test_reply_malformed_json_is_not_an_envelope(void)
{
    struct kb_tg_reply r;
    CHECK(reply(&r, 502, "<html><body>502 Bad Gateway</body></html>") == -1);
    CHECK(r.error_code == 502);
    CHECK(r.root == NULL && r.result == NULL);
    CHECK(r.description[0] != '\0');
    kb_tg_reply_free(&r);

    CHECK(reply(&r, 200, "{\"ok\":true,\"result\":[{\"update_id\":1") == -1); /* cut off */
    CHECK(r.error_code == 200 && r.root == NULL);
    kb_tg_reply_free(&r);

    CHECK(kb_tg_reply_parse(&r, NULL, 200, "", 0) == -1);
    kb_tg_reply_free(&r);

    /* len bounds the parse: the object's end, beyond len, is not read. */
    const char body[] = "{\"ok\":true,\"result\":1}";
    CHECK(kb_tg_reply_parse(&r, NULL, 200, body, sizeof body - 3) == -1);
    kb_tg_reply_free(&r);
}

static void test_reply_json_without_envelope_is_refused(void)
{
    static const char *const bodies[] = {
        "[1,2,3]", "{\"result\":[]}", "{\"ok\":\"true\"}", "{\"ok\":1,\"result\":[]}", "\"ok\"",
        "null"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct kb_tg_reply r;
        CHECK(reply(&r, 200, bodies[i]) == -1);
        CHECK(r.root == NULL && r.ok == 0);
        CHECK(r.description[0] != '\0');
        kb_tg_reply_free(&r);
    }
}

static void test_scan_update_id_in_broken_text(void)
{
    int64_t id = 0;
    const char broken[] = "{\"ok\":true,\"result\":[{\"update_id\": 4503599627370495,"
                          "\"message\":{\"text\":\"\xff\xfe unterminated";
    CHECK(kb_tg_scan_update_id(broken, sizeof broken - 1, &id) == 0);
    CHECK(id == 4503599627370495LL);

    const char two[] = "[{\"update_id\":815,\"x\":{\"update_id\":999}}";
    CHECK(kb_tg_scan_update_id(two, sizeof two - 1, &id) == 0 && id == 815); /* the first */

    id = 77;
    const char none[] = "{\"ok\":true,\"result\":[{\"message\":{\"text\":\"update_id\"}";
    CHECK(kb_tg_scan_update_id(none, sizeof none - 1, &id) == -1);
    CHECK(id == 77);
    const char nodigits[] = "{\"update_id\":\"abc\"}";
    CHECK(kb_tg_scan_update_id(nodigits, sizeof nodigits - 1, &id) == -1);
    const char at_end[] = "{\"update_id\":";
    CHECK(kb_tg_scan_update_id(at_end, sizeof at_end - 1, &id) == -1);

    /* len bounds the scan: digits beyond it are not read. */
    const char cut[] = "{\"update_id\":12345}";
    CHECK(kb_tg_scan_update_id(cut, strlen("{\"update_id\":123"), &id) == 0 && id == 123);
    CHECK(kb_tg_scan_update_id(cut, 5, &id) == -1);
}

/* ---- request bodies -------------------------------------------------------------------- */

static void test_get_updates_body_fields(void)
{
    char *body = kb_tg_get_updates_body(9007199254740993LL, 100, 30);
    CHECK(body != NULL);
    if (!body)
        return;
    /* 2^53 + 1 has no double: only exact text printing gets it right. */
    CHECK(strstr(body, "\"offset\":9007199254740993") != NULL);
    cJSON *o = cJSON_Parse(body);
    CHECK(o != NULL);
    CHECK(cJSON_GetObjectItemCaseSensitive(o, "limit")->valuedouble == 100);
    CHECK(cJSON_GetObjectItemCaseSensitive(o, "timeout")->valuedouble == 30);
    const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(o, "allowed_updates");
    CHECK(cJSON_IsArray(allowed) && cJSON_GetArraySize(allowed) == 2);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(allowed, 0)), "message");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(allowed, 1)), "callback_query");
    cJSON_Delete(o);
    free(body);

    body = kb_tg_get_updates_body(0, 1, 0);
    CHECK(body && strstr(body, "\"offset\":0") && strstr(body, "\"limit\":1") &&
          strstr(body, "\"timeout\":0"));
    free(body);
}

static void test_delete_webhook_body_keeps_pending_updates(void)
{
    char *body = kb_tg_delete_webhook_body();
    CHECK_STR(body, "{\"drop_pending_updates\":false}");
    free(body);
}

static struct kb_outbox_row text_row(const char *text, const char *keyboard)
{
    struct kb_outbox_row row = {.id = 1,
                                .chat_id = 4503599627370495LL,
                                .kind = KB_OUT_TEXT,
                                .priority = KB_PRIO_REPLY,
                                .text = (char *)text,
                                .keyboard = (char *)keyboard};
    return row;
}

static void test_outbox_body_for_text_with_keyboard(void)
{
    struct kb_outbox_row row =
        text_row("<b>Lanjut?</b> \xf0\x9f\x98\x80 &amp; \"kutip\"", "[[{\"text\":\"Ya\","
                                                                    "\"data\":\"t1\"}]]");
    const char *method = NULL, *why = NULL;
    char *body = kb_tg_outbox_body(&row, 0, &method, &why);
    CHECK(body != NULL);
    CHECK_STR(method, "sendMessage");
    if (!body)
        return;
    CHECK(strstr(body, "\"chat_id\":4503599627370495") != NULL);
    cJSON *o = cJSON_Parse(body);
    CHECK(o != NULL);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "text")), row.text);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "parse_mode")), "HTML");
    const cJSON *lp = cJSON_GetObjectItemCaseSensitive(o, "link_preview_options");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(lp, "is_disabled")));
    const cJSON *kb = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(o, "reply_markup"), "inline_keyboard");
    CHECK(cJSON_IsArray(kb) && cJSON_GetArraySize(kb) == 1);
    const cJSON *btn = cJSON_GetArrayItem(cJSON_GetArrayItem(kb, 0), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(btn, "text")), "Ya");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(btn, "callback_data")), "t1");
    CHECK(cJSON_GetObjectItemCaseSensitive(btn, "data") == NULL);
    CHECK(cJSON_GetObjectItemCaseSensitive(o, "message_id") == NULL);
    cJSON_Delete(o);
    free(body);

    /* Several rows and buttons keep their layout; no keyboard means no reply_markup. */
    row.keyboard = "[[{\"text\":\"A\",\"data\":\"a\"},{\"text\":\"B\",\"data\":\"b\"}],"
                   "[{\"text\":\"C\",\"data\":\"c\"}]]";
    body = kb_tg_outbox_body(&row, 0, &method, &why);
    o = cJSON_Parse(body);
    kb = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "reply_markup"),
                                          "inline_keyboard");
    CHECK(cJSON_GetArraySize(kb) == 2);
    CHECK(cJSON_GetArraySize(cJSON_GetArrayItem(kb, 0)) == 2);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                  cJSON_GetArrayItem(cJSON_GetArrayItem(kb, 1), 0), "callback_data")),
              "c");
    cJSON_Delete(o);
    free(body);

    row.keyboard = NULL;
    body = kb_tg_outbox_body(&row, 0, &method, &why);
    CHECK(body && strstr(body, "reply_markup") == NULL);
    free(body);

    row.chat_id = -1001234567890LL;
    body = kb_tg_outbox_body(&row, 0, &method, &why);
    CHECK(body && strstr(body, "\"chat_id\":-1001234567890") != NULL);
    free(body);
}

static void test_outbox_body_for_callback_answer(void)
{
    struct kb_outbox_row row = {.id = 2,
                                .chat_id = 5,
                                .kind = KB_OUT_CALLBACK_ANSWER,
                                .priority = KB_PRIO_CALLBACK,
                                .ref_text = "4382bfdwdsb323b2d9"};
    const char *method = NULL, *why = NULL;
    char *body = kb_tg_outbox_body(&row, 0, &method, &why);
    CHECK_STR(method, "answerCallbackQuery");
    cJSON *o = cJSON_Parse(body);
    CHECK(o != NULL);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "callback_query_id")),
              "4382bfdwdsb323b2d9");
    CHECK(cJSON_GetObjectItemCaseSensitive(o, "text") == NULL);
    CHECK(cJSON_GetObjectItemCaseSensitive(o, "chat_id") == NULL);
    cJSON_Delete(o);
    free(body);

    row.text = "Sudah dijawab";
    body = kb_tg_outbox_body(&row, 0, &method, &why);
    o = cJSON_Parse(body);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "text")), "Sudah dijawab");
    cJSON_Delete(o);
    free(body);

    row.ref_text = NULL;
    why = NULL;
    CHECK(kb_tg_outbox_body(&row, 0, &method, &why) == NULL);
    CHECK(why != NULL && *why);
}

static void test_outbox_body_for_edit(void)
{
    struct kb_outbox_row row = text_row("Diperbarui", "[[{\"text\":\"OK\",\"data\":\"t9\"}]]");
    row.kind = KB_OUT_EDIT;
    row.ref_id = 3;
    const char *method = NULL, *why = NULL;
    char *body = kb_tg_outbox_body(&row, 4503599627370001LL, &method, &why);
    CHECK(body != NULL);
    CHECK_STR(method, "editMessageText");
    CHECK(body && strstr(body, "\"message_id\":4503599627370001") != NULL);
    CHECK(body && strstr(body, "\"chat_id\":4503599627370495") != NULL);
    cJSON *o = cJSON_Parse(body);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "text")), "Diperbarui");
    CHECK(cJSON_GetObjectItemCaseSensitive(o, "reply_markup") != NULL);
    cJSON_Delete(o);
    free(body);

    why = NULL;
    CHECK(kb_tg_outbox_body(&row, 0, &method, &why) == NULL); /* never delivered */
    CHECK(why != NULL && *why);
}

static void test_outbox_body_refuses_long_callback_data(void)
{
    char kb[256];
    char data[80];
    memset(data, 'k', 65);
    data[65] = '\0';
    snprintf(kb, sizeof kb, "[[{\"text\":\"Ya\",\"data\":\"%s\"}]]", data);
    struct kb_outbox_row row = text_row("Pilih", kb);
    const char *method = NULL, *why = NULL;
    CHECK(kb_tg_outbox_body(&row, 0, &method, &why) == NULL);
    CHECK(why != NULL && *why);

    data[64] = '\0'; /* exactly 64 bytes is allowed */
    snprintf(kb, sizeof kb, "[[{\"text\":\"Ya\",\"data\":\"%s\"}]]", data);
    row.keyboard = kb;
    char *body = kb_tg_outbox_body(&row, 0, &method, &why);
    CHECK(body != NULL);
    free(body);

    static const char *const malformed[] = {"not json",
                                            "{\"text\":\"a\"}",
                                            "[{\"text\":\"a\"}]",
                                            "[[{\"text\":\"a\"}]]",
                                            "[[{\"text\":\"a\",\"data\":\"\"}]]",
                                            "[[{\"text\":1,\"data\":\"x\"}]]"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        row.keyboard = (char *)malformed[i];
        why = NULL;
        CHECK(kb_tg_outbox_body(&row, 0, &method, &why) == NULL);
        CHECK(why != NULL);
    }
}

static void test_outbox_body_refuses_empty_text(void)
{
    struct kb_outbox_row row = text_row("", NULL);
    const char *method = NULL, *why = NULL;
    CHECK(kb_tg_outbox_body(&row, 0, &method, &why) == NULL);
    CHECK(why != NULL && *why);
    row.text = NULL;
    why = NULL;
    CHECK(kb_tg_outbox_body(&row, 0, &method, &why) == NULL);
    CHECK(why != NULL && *why);
}

static void test_url_joins_api_token_and_method(void)
{
    char buf[128];
    CHECK(kb_tg_url(buf, sizeof buf, "https://api.telegram.org", "123:ABC", "getUpdates") == 0);
    CHECK_STR(buf, "https://api.telegram.org/bot123:ABC/getUpdates");
    const char *want = "http://127.0.0.1:8081/bot1:x/sendMessage";
    size_t len = strlen(want);
    CHECK(kb_tg_url(buf, len + 1, "http://127.0.0.1:8081", "1:x", "sendMessage") == 0);
    CHECK_STR(buf, want);
    CHECK(kb_tg_url(buf, len, "http://127.0.0.1:8081", "1:x", "sendMessage") == -1);
    CHECK(strlen(buf) < len); /* still terminated inside the buffer */
    CHECK(kb_tg_url(buf, 8, "https://api.telegram.org", "123:ABC", "getMe") == -1);
}

/* ---- main ------------------------------------------------------------------------------ */

int main(void)
{
    RUN(test_parse_private_text_message);
    RUN(test_parse_command_with_bot_name_and_payload);
    RUN(test_parse_command_is_lower_cased_with_empty_args);
    RUN(test_parse_text_that_only_looks_like_a_command);
    RUN(test_parse_ids_beyond_32_bits_exactly);
    RUN(test_tg_int64_reads_exact_integers_only);
    RUN(test_parse_photo_uses_largest_size);
    RUN(test_parse_document_with_caption);
    RUN(test_parse_callback_query);
    RUN(test_parse_other_kinds_are_named);
    RUN(test_parse_without_update_id_fails);
    RUN(test_parse_invalid_utf8_is_flagged_and_sanitized);
    RUN(test_parse_preserves_emoji);

    RUN(test_reply_ok_with_result);
    RUN(test_reply_error_with_retry_after);
    RUN(test_reply_malformed_json_is_not_an_envelope);
    RUN(test_reply_json_without_envelope_is_refused);
    RUN(test_scan_update_id_in_broken_text);

    RUN(test_get_updates_body_fields);
    RUN(test_delete_webhook_body_keeps_pending_updates);
    RUN(test_outbox_body_for_text_with_keyboard);
    RUN(test_outbox_body_for_callback_answer);
    RUN(test_outbox_body_for_edit);
    RUN(test_outbox_body_refuses_long_callback_data);
    RUN(test_outbox_body_refuses_empty_text);
    RUN(test_url_joins_api_token_and_method);

    return CHECK_SUMMARY();
}
