/* chats: every chat that wrote to the bot, its kind, and whether it blocked the bot or was
 * told that only private chats are served. Also the conversation log. */
#include "internal.h"

int kb_chats_touch(struct kb_store *st, int64_t chat_id, enum kb_chat_kind kind, int64_t now,
                   int *refused)
{
    *refused = 0;
    sqlite3_stmt *s = kb_stmt(st, S_CHAT_TOUCH,
                              "UPDATE chats SET kind = ?2, last_seen = ?3, blocked_at = NULL "
                              "WHERE chat_id = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    sqlite3_bind_int(s, 2, (int)kind);
    sqlite3_bind_int64(s, 3, now);
    int rc = kb_stmt_done(st, s);
    if (rc != KB_OK)
        return rc;
    if (sqlite3_changes(st->db) == 0) {
        s = kb_stmt(
            st, S_CHAT_INSERT,
            "INSERT INTO chats(chat_id, kind, first_seen, last_seen) VALUES(?1, ?2, ?3, ?3)");
        if (!s)
            return KB_ERR;
        sqlite3_bind_int64(s, 1, chat_id);
        sqlite3_bind_int(s, 2, (int)kind);
        sqlite3_bind_int64(s, 3, now);
        return kb_stmt_done(st, s);
    }
    if (kind == KB_CHAT_PRIVATE)
        return KB_OK; /* only groups are ever refused */
    s = kb_stmt(st, S_CHAT_REFUSED_GET,
                "SELECT refused_at IS NOT NULL FROM chats WHERE chat_id = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *refused = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

static int set_instant(struct kb_store *st, enum stmt_id id, const char *sql, int64_t chat_id,
                       int64_t now)
{
    sqlite3_stmt *s = kb_stmt(st, id, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    sqlite3_bind_int64(s, 2, now);
    return kb_stmt_done(st, s);
}

int kb_chats_set_refused(struct kb_store *st, int64_t chat_id, int64_t now)
{
    return set_instant(st, S_CHAT_REFUSED, "UPDATE chats SET refused_at = ?2 WHERE chat_id = ?1",
                       chat_id, now);
}

int kb_chats_set_blocked(struct kb_store *st, int64_t chat_id, int64_t now)
{
    return set_instant(st, S_CHAT_BLOCKED, "UPDATE chats SET blocked_at = ?2 WHERE chat_id = ?1",
                       chat_id, now);
}

int kb_convlog_add(struct kb_store *st, int64_t chat_id, int64_t update_id, const char *text,
                   int64_t now)
{
    sqlite3_stmt *s = kb_stmt(st, S_CONVLOG_ADD,
                              "INSERT INTO conversation_log(chat_id, update_id, text, created_at) "
                              "VALUES(?1, ?2, ?3, ?4)");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    if (update_id)
        sqlite3_bind_int64(s, 2, update_id);
    if (text)
        sqlite3_bind_text(s, 3, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, now);
    return kb_stmt_done(st, s);
}
