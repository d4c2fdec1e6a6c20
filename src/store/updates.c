/* updates: which update ids were seen, attempted and finished; dead letters; the offset lives
 * in meta. Together these make each update's effects apply exactly once. */
#include <string.h>

#include "internal.h"

int kb_updates_attempt(struct kb_store *st, int64_t update_id, int64_t now, int *state,
                       int *attempts)
{
    /* Nearly every update is new: a plain insert settles it. Only a redelivered one needs the
     * update and the read. */
    sqlite3_stmt *s = kb_stmt(st, S_UPD_ATTEMPT,
                              "INSERT OR IGNORE INTO updates(update_id, attempts, first_seen) "
                              "VALUES(?1, 1, ?2)");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, update_id);
    sqlite3_bind_int64(s, 2, now);
    int rc = kb_stmt_done(st, s);
    if (rc != KB_OK)
        return rc;
    if (sqlite3_changes(st->db) == 1) {
        *state = KB_UPD_PENDING;
        *attempts = 1;
        return KB_OK;
    }
    s = kb_stmt(st, S_UPD_REATTEMPT,
                "UPDATE updates SET attempts = attempts + (state = 0) WHERE update_id = ?1 "
                "RETURNING state, attempts");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, update_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *state = sqlite3_column_int(s, 0);
        *attempts = sqlite3_column_int(s, 1);
        rc = sqlite3_step(s);
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return KB_OK;
    if (rc == SQLITE_BUSY)
        return KB_BUSY;
    kb_store_log_error(st, "store.step", "updates attempt");
    return KB_ERR;
}

int kb_updates_finish(struct kb_store *st, int64_t update_id, int state, int64_t now)
{
    sqlite3_stmt *s = kb_stmt(
        st, S_UPD_FINISH, "UPDATE updates SET state = ?2, finished_at = ?3 WHERE update_id = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, update_id);
    sqlite3_bind_int(s, 2, state);
    sqlite3_bind_int64(s, 3, now);
    int rc = kb_stmt_done(st, s);
    if (rc != KB_OK || sqlite3_changes(st->db) == 1)
        return rc;
    /* An update finished without a counted attempt (one that could not be read at all). */
    s = kb_stmt(st, S_UPD_FINISH_NEW,
                "INSERT INTO updates(update_id, state, attempts, first_seen, finished_at) "
                "VALUES(?1, ?2, 1, ?3, ?3)");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, update_id);
    sqlite3_bind_int(s, 2, state);
    sqlite3_bind_int64(s, 3, now);
    return kb_stmt_done(st, s);
}

int kb_updates_unattempt(struct kb_store *st, int64_t update_id)
{
    sqlite3_stmt *s = kb_stmt(st, S_UPD_UNATTEMPT,
                              "UPDATE updates SET attempts = attempts - 1 "
                              "WHERE update_id = ?1 AND state = 0 AND attempts > 0");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, update_id);
    return kb_stmt_done(st, s);
}

int kb_updates_note_error(struct kb_store *st, int64_t update_id, const char *error)
{
    sqlite3_stmt *s =
        kb_stmt(st, S_UPD_ERROR, "UPDATE updates SET last_error = ?2 WHERE update_id = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, update_id);
    sqlite3_bind_text(s, 2, error, -1, SQLITE_TRANSIENT);
    return kb_stmt_done(st, s);
}

int kb_updates_last_error(struct kb_store *st, int64_t update_id, char *buf, size_t cap)
{
    sqlite3_stmt *s =
        kb_stmt(st, S_UPD_LAST_ERROR, "SELECT last_error FROM updates WHERE update_id = ?1");
    if (!s || cap == 0)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, update_id);
    buf[0] = '\0';
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
        strncpy(buf, (const char *)sqlite3_column_text(s, 0), cap - 1);
        buf[cap - 1] = '\0';
    }
    sqlite3_reset(s);
    return KB_OK;
}

int kb_dead_letter_add(struct kb_store *st, int64_t update_id, int64_t chat_id, const char *reason,
                       const char *raw, int64_t now)
{
    sqlite3_stmt *s = kb_stmt(st, S_DEAD_ADD,
                              "INSERT INTO dead_letters(update_id, chat_id, reason, raw, "
                              "created_at) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, update_id);
    if (chat_id)
        sqlite3_bind_int64(s, 2, chat_id);
    sqlite3_bind_text(s, 3, reason, -1, SQLITE_TRANSIENT);
    if (raw)
        sqlite3_bind_text(s, 4, raw, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 5, now);
    return kb_stmt_done(st, s);
}

int kb_updates_prune(struct kb_store *st, int64_t before, int limit, int *deleted)
{
    return kb_stmt_prune(st, S_UPD_PRUNE,
                         "DELETE FROM updates WHERE update_id IN (SELECT update_id FROM "
                         "updates WHERE state <> 0 AND finished_at < ?1 LIMIT ?2)",
                         before, limit, deleted);
}
