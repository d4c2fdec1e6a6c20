/* outbox: every outgoing message is a row before it is sent; the sender marks it sent with the
 * platform's message id, or undeliverable with the reason. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void bind_opt_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

int kb_outbox_add(struct kb_store *st, const struct kb_out *o, int64_t now, int64_t *id)
{
    sqlite3_stmt *s =
        kb_stmt(st, S_OUT_ADD,
                "INSERT INTO outbox(chat_id, kind, priority, text, keyboard, "
                "ref_text, ref_id, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, o->chat_id);
    sqlite3_bind_int(s, 2, (int)o->kind);
    sqlite3_bind_int(s, 3, (int)o->priority);
    bind_opt_text(s, 4, o->text);
    bind_opt_text(s, 5, o->keyboard);
    bind_opt_text(s, 6, o->ref_text);
    if (o->ref_id)
        sqlite3_bind_int64(s, 7, o->ref_id);
    sqlite3_bind_int64(s, 8, now);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK && id)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int kb_outbox_replace_text(struct kb_store *st, int64_t id, const char *text, const char *keyboard,
                           int *replaced)
{
    static const char sql[] = "UPDATE outbox SET text = ?2, keyboard = ?3 "
                              "WHERE id = ?1 AND state = 0 AND kind = 0";
    *replaced = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, text, -1, SQLITE_TRANSIENT);
    bind_opt_text(s, 3, keyboard);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *replaced = sqlite3_changes(st->db) == 1;
    return rc;
}

int kb_outbox_scan(struct kb_store *st, int priority, int64_t after_id, struct kb_outbox_ref *refs,
                   int cap)
{
    sqlite3_stmt *s = kb_stmt(st, S_OUT_SCAN,
                              "SELECT id, chat_id, kind, priority FROM outbox "
                              "WHERE state = 0 AND priority = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int(s, 1, priority);
    sqlite3_bind_int64(s, 2, after_id);
    sqlite3_bind_int(s, 3, cap);
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < cap) {
        refs[n].id = sqlite3_column_int64(s, 0);
        refs[n].chat_id = sqlite3_column_int64(s, 1);
        refs[n].kind = sqlite3_column_int(s, 2);
        refs[n].priority = sqlite3_column_int(s, 3);
        n++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        kb_store_log_error(st, "store.step", "outbox scan");
        return KB_ERR;
    }
    return n;
}

static char *dup_col(sqlite3_stmt *s, int i)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    return v ? strdup((const char *)v) : NULL;
}

int kb_outbox_load(struct kb_store *st, int64_t id, struct kb_outbox_row *row)
{
    memset(row, 0, sizeof *row);
    sqlite3_stmt *s = kb_stmt(st, S_OUT_LOAD,
                              "SELECT chat_id, kind, priority, attempts, created_at, ref_id, "
                              "text, keyboard, ref_text FROM outbox WHERE id = ?1 AND state = 0");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        row->id = id;
        row->chat_id = sqlite3_column_int64(s, 0);
        row->kind = sqlite3_column_int(s, 1);
        row->priority = sqlite3_column_int(s, 2);
        row->attempts = sqlite3_column_int(s, 3);
        row->created_at = sqlite3_column_int64(s, 4);
        row->ref_id = sqlite3_column_int64(s, 5);
        row->text = dup_col(s, 6);
        row->keyboard = dup_col(s, 7);
        row->ref_text = dup_col(s, 8);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? KB_OK : KB_ERR;
}

void kb_outbox_row_free(struct kb_outbox_row *row)
{
    free(row->text);
    free(row->keyboard);
    free(row->ref_text);
    memset(row, 0, sizeof *row);
}

int kb_outbox_mark_sent(struct kb_store *st, int64_t id, int64_t tg_message_id, int64_t now)
{
    sqlite3_stmt *s = kb_stmt(st, S_OUT_SENT,
                              "UPDATE outbox SET state = 1, sent_at = ?3, tg_message_id = ?2, "
                              "attempts = attempts + 1 WHERE id = ?1 AND state = 0");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    if (tg_message_id)
        sqlite3_bind_int64(s, 2, tg_message_id);
    sqlite3_bind_int64(s, 3, now);
    return kb_stmt_done(st, s);
}

int kb_outbox_mark_failed(struct kb_store *st, int64_t id, const char *error, int64_t now)
{
    sqlite3_stmt *s = kb_stmt(st, S_OUT_FAILED,
                              "UPDATE outbox SET state = 2, sent_at = ?3, error = ?2, "
                              "attempts = attempts + 1 WHERE id = ?1 AND state = 0");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, error, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, now);
    return kb_stmt_done(st, s);
}

int kb_outbox_add_attempt(struct kb_store *st, int64_t id)
{
    sqlite3_stmt *s =
        kb_stmt(st, S_OUT_ATTEMPT, "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    return kb_stmt_done(st, s);
}

int kb_outbox_message_id(struct kb_store *st, int64_t id, int64_t *message_id)
{
    sqlite3_stmt *s =
        kb_stmt(st, S_OUT_MSGID, "SELECT tg_message_id FROM outbox WHERE id = ?1 AND state = 1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    *message_id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return KB_OK;
}

int kb_outbox_pending_count(struct kb_store *st, int64_t *count)
{
    sqlite3_stmt *s = kb_stmt(st, S_OUT_PENDING, "SELECT count(*) FROM outbox WHERE state = 0");
    if (!s)
        return KB_ERR;
    *count = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return KB_OK;
}
