/* tgparse: reading what the Bot API sends — the response envelope and updates — into plain
 * structs. Unknown kinds and fields are ignored; every id is read as a 64-bit integer. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/jsonmem.h"
#include "karirbot/telegram.h"
#include "karirbot/utf8.h"

int kb_tg_int64(const cJSON *obj, const char *name, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsNumber(v))
        return -1;
    double d = v->valuedouble;
    /* Ids have at most 52 significant bits, so a double holds them exactly. */
    if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
        return -1;
    *out = (int64_t)d;
    return 0;
}

static const char *str_item(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int kb_tg_reply_parse(struct kb_tg_reply *r, struct kb_json_arena *arena, long http_status,
                      const char *body, size_t len)
{
    memset(r, 0, sizeof *r);
    r->error_code = (int)http_status;
    r->arena = arena;
    r->root = kb_json_parse(arena, body, len);
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(r->root, "ok");
    if (!cJSON_IsObject(r->root) || !cJSON_IsBool(ok)) {
        snprintf(r->description, sizeof r->description, "%s",
                 r->root ? "not a Bot API response" : "malformed JSON");
        kb_json_free(arena, r->root);
        r->root = NULL;
        return -1;
    }
    r->ok = cJSON_IsTrue(ok);
    r->result = cJSON_GetObjectItemCaseSensitive(r->root, "result");
    int64_t n;
    if (kb_tg_int64(r->root, "error_code", &n) == 0 && n > 0 && n < 1000)
        r->error_code = (int)n;
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(r->root, "parameters");
    if (kb_tg_int64(params, "retry_after", &n) == 0 && n > 0)
        r->retry_after = n > 86400 ? 86400 : (int)n;
    const char *d = str_item(r->root, "description");
    if (d) {
        size_t dl = strlen(d);
        if (dl >= sizeof r->description)
            dl = sizeof r->description - 1;
        memcpy(r->description, d, dl);
        r->description[dl] = '\0';
    }
    if (r->ok)
        r->error_code = 0;
    return 0;
}

void kb_tg_reply_free(struct kb_tg_reply *r)
{
    if (r->root)
        kb_json_free(r->arena, r->root);
    r->root = NULL;
    r->result = NULL;
}

/* A copy of s that is valid UTF-8; sets the invalid flag when it had to repair it. */
static char *dup_text(const char *s, unsigned *flags)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (kb_utf8_valid(s, n))
        return strdup(s);
    *flags |= KB_EVF_INVALID_UTF8;
    return kb_utf8_sanitize(s, n);
}

static enum kb_chat_kind chat_kind(const char *type)
{
    if (!type)
        return KB_CHAT_UNKNOWN;
    if (!strcmp(type, "private"))
        return KB_CHAT_PRIVATE;
    if (!strcmp(type, "group") || !strcmp(type, "supergroup"))
        return KB_CHAT_GROUP;
    if (!strcmp(type, "channel"))
        return KB_CHAT_CHANNEL;
    return KB_CHAT_UNKNOWN;
}

/* Telegram's limit on a first name, in characters. */
#define FIRST_NAME_MAX 64

/* Cuts s after max code points (s is valid UTF-8). */
static void cut_chars(char *s, size_t max)
{
    size_t i = 0;
    for (size_t chars = 0; s[i] && chars < max; chars++)
        i += kb_utf8_seqlen((unsigned char)s[i]);
    s[i] = '\0';
}

static void read_from(const cJSON *from, struct kb_event *ev)
{
    kb_tg_int64(from, "id", &ev->user_id);
    /* The flag is about the text: a broken name is repaired, but the message is still read.
     * A name is cut to Telegram's own limit: it is shown inside replies, which must fit. */
    unsigned name_flags = 0;
    ev->first_name = dup_text(str_item(from, "first_name"), &name_flags);
    if (ev->first_name)
        cut_chars(ev->first_name, FIRST_NAME_MAX);
    const char *lang = str_item(from, "language_code");
    if (lang && strlen(lang) < 16)
        ev->language_code = strdup(lang);
}

static void read_chat(const cJSON *msg, struct kb_event *ev)
{
    const cJSON *chat = cJSON_GetObjectItemCaseSensitive(msg, "chat");
    kb_tg_int64(chat, "id", &ev->chat_id);
    ev->chat_kind = chat_kind(str_item(chat, "type"));
    kb_tg_int64(msg, "message_id", &ev->message_id);
    kb_tg_int64(msg, "date", &ev->date);
}

static void read_message(const cJSON *msg, struct kb_event *ev)
{
    read_chat(msg, ev);
    read_from(cJSON_GetObjectItemCaseSensitive(msg, "from"), ev);
    const char *text = str_item(msg, "text");
    const cJSON *photo = cJSON_GetObjectItemCaseSensitive(msg, "photo");
    const cJSON *doc = cJSON_GetObjectItemCaseSensitive(msg, "document");
    if (text) {
        ev->kind = KB_EV_TEXT;
        ev->text = dup_text(text, &ev->flags);
        kb_event_split_command(ev);
        return;
    }
    ev->kind = KB_EV_MEDIA;
    ev->text = dup_text(str_item(msg, "caption"), &ev->flags);
    if (cJSON_IsArray(photo) && cJSON_GetArraySize(photo) > 0) {
        const cJSON *largest = cJSON_GetArrayItem(photo, cJSON_GetArraySize(photo) - 1);
        ev->media_kind = strdup("photo");
        ev->file_id = dup_text(str_item(largest, "file_id"), &ev->flags);
    } else if (cJSON_IsObject(doc)) {
        ev->media_kind = strdup("document");
        ev->file_id = dup_text(str_item(doc, "file_id"), &ev->flags);
    } else {
        ev->media_kind = strdup("other"); /* sticker, voice, location...: nothing to read */
    }
}

static void read_callback(const cJSON *cq, struct kb_event *ev)
{
    ev->kind = KB_EV_CALLBACK;
    ev->callback_id = dup_text(str_item(cq, "id"), &ev->flags);
    ev->callback_data = dup_text(str_item(cq, "data"), &ev->flags);
    read_from(cJSON_GetObjectItemCaseSensitive(cq, "from"), ev);
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(cq, "message");
    if (cJSON_IsObject(msg))
        read_chat(msg, ev);
    else
        ev->chat_kind = KB_CHAT_UNKNOWN; /* a button on an inline-mode message */
}

int kb_tg_parse_update(const cJSON *upd, struct kb_event *ev, const char **why)
{
    memset(ev, 0, sizeof *ev);
    if (!cJSON_IsObject(upd) || kb_tg_int64(upd, "update_id", &ev->update_id) != 0) {
        *why = "no update_id";
        return -1;
    }
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(upd, "message");
    const cJSON *cq = cJSON_GetObjectItemCaseSensitive(upd, "callback_query");
    if (cJSON_IsObject(msg)) {
        read_message(msg, ev);
    } else if (cJSON_IsObject(cq)) {
        read_callback(cq, ev);
    } else {
        ev->kind = KB_EV_OTHER;
        for (const cJSON *c = upd->child; c; c = c->next)
            if (c->string && strcmp(c->string, "update_id") != 0) {
                ev->other_kind = dup_text(c->string, &ev->flags);
                break;
            }
    }
    if ((ev->kind == KB_EV_TEXT || ev->kind == KB_EV_MEDIA) && ev->chat_id == 0)
        ev->kind = KB_EV_OTHER; /* a message without a chat cannot be answered */
    if (ev->kind == KB_EV_CALLBACK && !ev->callback_id)
        ev->kind = KB_EV_OTHER;
    return 0;
}

int kb_tg_scan_update_id(const char *body, size_t len, int64_t *out)
{
    static const char key[] = "\"update_id\"";
    const size_t klen = sizeof key - 1;
    for (size_t i = 0; i + klen < len; i++) {
        if (memcmp(body + i, key, klen) != 0)
            continue;
        size_t j = i + klen;
        while (j < len && (body[j] == ' ' || body[j] == ':' || body[j] == '\t'))
            j++;
        int64_t v = 0;
        size_t digits = 0;
        while (j < len && isdigit((unsigned char)body[j]) && digits < 18) {
            v = v * 10 + (body[j++] - '0');
            digits++;
        }
        if (digits) {
            *out = v;
            return 0;
        }
    }
    return -1;
}
