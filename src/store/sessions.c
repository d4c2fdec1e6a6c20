/* sessions: dialog state per chat, the chat's language, and button tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int kb_session_get(struct kb_store *st, int64_t chat_id, struct kb_session_row *row, int *found)
{
    *found = 0;
    sqlite3_stmt *s = kb_stmt(st, S_SESSION_GET,
                              "SELECT flow, state, data, updated_at, expires_at FROM sessions "
                              "WHERE chat_id = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        kb_col_copy(s, 0, row->flow, sizeof row->flow);
        kb_col_copy(s, 1, row->state, sizeof row->state);
        const unsigned char *d = sqlite3_column_text(s, 2);
        row->data = strdup(d ? (const char *)d : "{}");
        row->updated_at = sqlite3_column_int64(s, 3);
        row->expires_at = sqlite3_column_int64(s, 4);
        *found = row->data != NULL;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_ROW && !*found)
        return KB_ERR;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

int kb_session_put(struct kb_store *st, int64_t chat_id, const char *flow, const char *state,
                   const char *data, int64_t now, int64_t expires_at)
{
    sqlite3_stmt *s = kb_stmt(st, S_SESSION_PUT,
                              "INSERT INTO sessions(chat_id, flow, state, data, updated_at, "
                              "expires_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(chat_id) "
                              "DO UPDATE SET flow = excluded.flow, state = excluded.state, "
                              "data = excluded.data, updated_at = excluded.updated_at, "
                              "expires_at = excluded.expires_at");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    sqlite3_bind_text(s, 2, flow, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, data, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, now);
    sqlite3_bind_int64(s, 6, expires_at);
    return kb_stmt_done(st, s);
}

int kb_session_clear(struct kb_store *st, int64_t chat_id)
{
    sqlite3_stmt *s = kb_stmt(st, S_SESSION_CLEAR, "DELETE FROM sessions WHERE chat_id = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    return kb_stmt_done(st, s);
}

int kb_chat_lang_get(struct kb_store *st, int64_t chat_id, char *lang, size_t cap)
{
    sqlite3_stmt *s = kb_stmt(st, S_LANG_GET, "SELECT lang FROM chats WHERE chat_id = ?1");
    if (!s || cap == 0)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    lang[0] = '\0';
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        kb_col_copy(s, 0, lang, cap);
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

int kb_chat_lang_set(struct kb_store *st, int64_t chat_id, const char *lang)
{
    sqlite3_stmt *s = kb_stmt(st, S_LANG_SET, "UPDATE chats SET lang = ?2 WHERE chat_id = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    sqlite3_bind_text(s, 2, lang, -1, SQLITE_STATIC);
    return kb_stmt_done(st, s);
}

int kb_button_add(struct kb_store *st, const char *token, int64_t chat_id, int64_t seq,
                  const char *choice, int64_t now, int64_t expires_at)
{
    sqlite3_stmt *s = kb_stmt(st, S_BUTTON_ADD,
                              "INSERT INTO buttons(token, chat_id, seq, choice, created_at, "
                              "expires_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, token, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, chat_id);
    sqlite3_bind_int64(s, 3, seq);
    sqlite3_bind_text(s, 4, choice, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, now);
    sqlite3_bind_int64(s, 6, expires_at);
    return kb_stmt_done(st, s);
}

int kb_button_get(struct kb_store *st, const char *token, int64_t chat_id, int64_t now, int *status,
                  int64_t *seq, char *choice, size_t cap)
{
    sqlite3_stmt *s = kb_stmt(st, S_BUTTON_GET,
                              "SELECT chat_id, seq, choice, expires_at FROM buttons "
                              "WHERE token = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, token, -1, SQLITE_STATIC);
    *status = KB_BUTTON_UNKNOWN;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_int64(s, 0) != chat_id) {
            *status = KB_BUTTON_FOREIGN;
        } else if (sqlite3_column_int64(s, 3) <= now) {
            *status = KB_BUTTON_EXPIRED;
        } else {
            *status = KB_BUTTON_OK;
            *seq = sqlite3_column_int64(s, 1);
            kb_col_copy(s, 2, choice, cap);
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

int kb_buttons_prune(struct kb_store *st, int64_t before, int limit, int *deleted)
{
    return kb_stmt_prune(st, S_BUTTON_PRUNE,
                         "DELETE FROM buttons WHERE token IN (SELECT token FROM buttons "
                         "WHERE expires_at < ?1 LIMIT ?2)",
                         before, limit, deleted);
}
