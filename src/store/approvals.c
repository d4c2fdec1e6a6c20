/* approvals: requests that wait for a supervisor's (or a mentor's) decision. One row per
 * request, whatever it asks for; the subject is the row of the area that asked. */
#include "internal.h"
#include "karirbot/approval_rows.h"

const char kb_schema_approvals[] =
    "CREATE TABLE approvals("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK(kind IN ('rpi_activity','rpi_plan','training','mentor',"
    "                                    'evidence')),"
    "  subject_id INTEGER NOT NULL,"
    "  requester_id INTEGER NOT NULL REFERENCES employees(id),"
    "  approver_id INTEGER NOT NULL REFERENCES employees(id),"
    "  status TEXT NOT NULL DEFAULT 'menunggu'"
    "    CHECK(status IN ('menunggu','disetujui','ditolak','ditarik')),"
    "  reason TEXT," /* of a rejection */
    "  created_at INTEGER NOT NULL,"
    "  decided_at INTEGER,"
    "  decided_by INTEGER REFERENCES employees(id),"
    "  escalated_at INTEGER,"
    "  card_outbox_id INTEGER) STRICT;" /* the card sent to the approver, to edit it */
    "CREATE INDEX approvals_waiting ON approvals(approver_id, status, created_at);"
    "CREATE INDEX approvals_subject ON approvals(kind, subject_id);"
    "CREATE INDEX approvals_requester ON approvals(requester_id, created_at);";

static void read_row(sqlite3_stmt *s, struct kb_approval_row *r)
{
    r->id = sqlite3_column_int64(s, 0);
    kb_col_copy(s, 1, r->kind, sizeof r->kind);
    r->subject_id = sqlite3_column_int64(s, 2);
    r->requester_id = sqlite3_column_int64(s, 3);
    r->approver_id = sqlite3_column_int64(s, 4);
    kb_col_copy(s, 5, r->status, sizeof r->status);
    kb_col_copy(s, 6, r->reason, sizeof r->reason);
    r->created_at = sqlite3_column_int64(s, 7);
    r->decided_at = sqlite3_column_int64(s, 8);
    r->decided_by = sqlite3_column_int64(s, 9);
}

#define ROW_COLS                                                                                   \
    "id, kind, subject_id, requester_id, approver_id, status, reason, created_at, "                \
    "COALESCE(decided_at, 0), COALESCE(decided_by, 0) FROM approvals "

int kb_approval_insert(struct kb_store *st, const char *kind, int64_t subject_id,
                       int64_t requester_id, int64_t approver_id, int64_t now, int64_t *id)
{
    static const char sql[] = "INSERT INTO approvals(kind, subject_id, requester_id, approver_id, "
                              "created_at) VALUES(?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, subject_id);
    sqlite3_bind_int64(s, 3, requester_id);
    sqlite3_bind_int64(s, 4, approver_id);
    sqlite3_bind_int64(s, 5, now);
    int rc = kb_stmt_done(st, s);
    *id = rc == KB_OK ? sqlite3_last_insert_rowid(st->db) : 0;
    return rc;
}

int kb_approval_get(struct kb_store *st, int64_t id, struct kb_approval_row *r, int *found)
{
    static const char sql[] = "SELECT " ROW_COLS "WHERE id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    if (*found)
        read_row(s, r);
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

int kb_approval_decide(struct kb_store *st, int64_t id, const char *status, const char *reason,
                       int64_t decided_by, int64_t now, int *changed)
{
    static const char sql[] = "UPDATE approvals SET status = ?2, reason = ?3, decided_by = ?4, "
                              "decided_at = ?5 WHERE id = ?1 AND status = 'menunggu'";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, status, -1, SQLITE_TRANSIENT);
    kb_bind_text_or_null(s, 3, reason);
    if (decided_by)
        sqlite3_bind_int64(s, 4, decided_by);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_int64(s, 5, now);
    int rc = kb_stmt_done(st, s);
    *changed = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

int kb_approval_withdraw_subject(struct kb_store *st, const char *kind, int64_t subject_id,
                                 int64_t now, int *changed)
{
    static const char sql[] = "UPDATE approvals SET status = 'ditarik', decided_at = ?3 "
                              "WHERE kind = ?1 AND subject_id = ?2 AND status = 'menunggu'";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, subject_id);
    sqlite3_bind_int64(s, 3, now);
    int rc = kb_stmt_done(st, s);
    *changed = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

int kb_approvals_waiting(struct kb_store *st, int64_t approver_id, struct kb_approval_row *rows,
                         int cap, int *n, int64_t *total)
{
    static const char sql[] = "SELECT " ROW_COLS "WHERE approver_id = ?1 AND status = 'menunggu' "
                              "ORDER BY created_at, id LIMIT ?2";
    static const char count_sql[] =
        "SELECT count(*) FROM approvals WHERE approver_id = ?1 AND status = 'menunggu'";
    *n = 0;
    *total = 0;
    sqlite3_stmt *s = kb_sql(st, count_sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, approver_id);
    if (sqlite3_step(s) == SQLITE_ROW)
        *total = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (!(s = kb_sql(st, sql)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, approver_id);
    sqlite3_bind_int(s, 2, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        read_row(s, &rows[(*n)++]);
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}
