/* telegram: the request side of the Bot API — URLs and JSON bodies of the methods karirbot
 * calls. Every text goes out with parse_mode HTML (already escaped upstream) and link
 * previews off; keyboards arrive platform-neutral and become inline keyboards here. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "karirbot/telegram.h"

int kb_tg_url(char *buf, size_t cap, const char *api_url, const char *token, const char *method)
{
    int n = snprintf(buf, cap, "%s/bot%s/%s", api_url, token, method);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Writes an id as its exact decimal text (cJSON would print a double). */
static int add_id(cJSON *obj, const char *name, int64_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, v);
    return cJSON_AddRawToObject(obj, name, num) ? 0 : -1;
}

static char *finish(cJSON *root, int failed)
{
    char *s = failed ? NULL : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

char *kb_tg_get_updates_body(int64_t offset, int limit, int timeout_s)
{
    static const char *const kinds[] = {"message", "callback_query"};
    cJSON *root = cJSON_CreateObject();
    int bad = !root || add_id(root, "offset", offset) ||
              !cJSON_AddNumberToObject(root, "limit", limit) ||
              !cJSON_AddNumberToObject(root, "timeout", timeout_s);
    cJSON *allowed = bad ? NULL : cJSON_CreateStringArray(kinds, 2);
    if (!allowed || !cJSON_AddItemToObject(root, "allowed_updates", allowed))
        bad = 1;
    return finish(root, bad);
}

char *kb_tg_delete_webhook_body(void)
{
    cJSON *root = cJSON_CreateObject();
    int bad = !root || !cJSON_AddFalseToObject(root, "drop_pending_updates");
    return finish(root, bad);
}

char *kb_tg_set_commands_body(const char *const *names, const char *const *descriptions, size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = root ? cJSON_AddArrayToObject(root, "commands") : NULL;
    int bad = !list;
    for (size_t i = 0; i < n && !bad; i++) {
        cJSON *c = cJSON_CreateObject();
        bad = !c || !cJSON_AddItemToArray(list, c) ||
              !cJSON_AddStringToObject(c, "command", names[i]) ||
              !cJSON_AddStringToObject(c, "description", descriptions[i]);
    }
    return finish(root, bad);
}

/* Turns [[{"text":"..","data":".."}]] into {"inline_keyboard":[[{"text":..,"callback_data":..}]]}.
 * Returns NULL when the neutral form is malformed or a token exceeds 64 bytes. */
static cJSON *inline_keyboard(const char *neutral, const char **why)
{
    cJSON *rows = cJSON_Parse(neutral);
    cJSON *markup = cJSON_CreateObject();
    cJSON *out_rows = cJSON_AddArrayToObject(markup, "inline_keyboard");
    if (!cJSON_IsArray(rows) || !out_rows)
        goto bad;
    const cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        if (!cJSON_IsArray(row))
            goto bad;
        cJSON *out_row = cJSON_CreateArray();
        if (!out_row || !cJSON_AddItemToArray(out_rows, out_row)) {
            cJSON_Delete(out_row); /* not yet owned by out_rows */
            goto bad;
        }
        const cJSON *b;
        cJSON_ArrayForEach(b, row)
        {
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(b, "text");
            const cJSON *data = cJSON_GetObjectItemCaseSensitive(b, "data");
            if (!cJSON_IsString(text) || !cJSON_IsString(data) || !*data->valuestring ||
                strlen(data->valuestring) > 64)
                goto bad;
            cJSON *ob = cJSON_CreateObject();
            if (!ob || !cJSON_AddItemToArray(out_row, ob) ||
                !cJSON_AddStringToObject(ob, "text", text->valuestring) ||
                !cJSON_AddStringToObject(ob, "callback_data", data->valuestring))
                goto bad;
        }
    }
    cJSON_Delete(rows);
    return markup;
bad:
    *why = "malformed keyboard";
    cJSON_Delete(rows);
    cJSON_Delete(markup);
    return NULL;
}

char *kb_tg_outbox_body(const struct kb_outbox_row *row, int64_t edit_message_id,
                        const char **method, const char **why)
{
    cJSON *root = cJSON_CreateObject();
    int bad = !root;
    *why = "out of memory";
    if (!bad && row->kind == KB_OUT_CALLBACK_ANSWER) {
        *method = "answerCallbackQuery";
        bad = !row->ref_text || !cJSON_AddStringToObject(root, "callback_query_id", row->ref_text);
        if (!bad && row->text && *row->text)
            bad = !cJSON_AddStringToObject(root, "text", row->text);
        if (!row->ref_text)
            *why = "callback answer without a callback id";
        return finish(root, bad);
    }
    if (!row->text || !*row->text) {
        *why = "empty text";
        return finish(root, 1);
    }
    if (row->kind == KB_OUT_EDIT) {
        *method = "editMessageText";
        if (!edit_message_id) {
            *why = "the message to edit was never delivered";
            return finish(root, 1);
        }
        bad = bad || add_id(root, "chat_id", row->chat_id) ||
              add_id(root, "message_id", edit_message_id);
    } else {
        *method = "sendMessage";
        bad = bad || add_id(root, "chat_id", row->chat_id);
    }
    bad = bad || !cJSON_AddStringToObject(root, "text", row->text) ||
          !cJSON_AddStringToObject(root, "parse_mode", "HTML");
    cJSON *lp = bad ? NULL : cJSON_AddObjectToObject(root, "link_preview_options");
    bad = bad || !lp || !cJSON_AddTrueToObject(lp, "is_disabled");
    if (!bad && row->keyboard) {
        cJSON *kb = inline_keyboard(row->keyboard, why);
        bad = !kb || !cJSON_AddItemToObject(root, "reply_markup", kb);
    }
    return finish(root, bad);
}
