/* reminders: the reminders sent, the choices of /pengingat, and the reads a reminder pass makes
 * (include/karirbot/reminders_store.h). The tables of other areas are only read here, except
 * approvals.escalated_at, which this area owns. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "karirbot/log.h"
#include "karirbot/reminders_store.h"

const char kb_schema_reminders[] =
    /* One row per reminder sent, written with the outbox row that carries it: a key is never
     * sent twice, also across restarts and crashes. */
    "CREATE TABLE reminders_sent("
    "  key TEXT PRIMARY KEY," /* kind:subject:recipient:occurrence */
    "  kind TEXT NOT NULL,"
    "  employee_id INTEGER NOT NULL,"
    "  local_date TEXT NOT NULL," /* the recipient's date when sent: the daily cap */
    "  sent_at INTEGER NOT NULL,"
    "  outbox_id INTEGER) STRICT, WITHOUT ROWID;" /* NULL: due, nothing to send (a digest) */
    "CREATE INDEX reminders_sent_day ON reminders_sent(employee_id, local_date);"
    "CREATE INDEX reminders_sent_age ON reminders_sent(sent_at);"
    "CREATE TABLE reminder_prefs("
    "  employee_id INTEGER PRIMARY KEY REFERENCES employees(id),"
    "  mode TEXT NOT NULL DEFAULT 'all' CHECK(mode IN ('all','urgent')),"
    "  snooze_until TEXT,"    /* YYYY-MM-DD: nothing before it */
    "  approvals_until TEXT," /* YYYY-MM-DD: no duties before it */
    "  updated_at INTEGER NOT NULL) STRICT;"
    /* The waiting requests, for the digest and the escalations: a small partial index. */
    "CREATE INDEX reminders_approvals_waiting ON approvals(created_at) "
    "  WHERE status = 'menunggu';";

/* ---- helpers ----------------------------------------------------------------------------------
 */

static int step_error(struct kb_store *st, sqlite3_stmt *s, int rc, const char *event)
{
    sqlite3_reset(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return KB_OK;
    kb_store_log_error(st, event, sqlite3_sql(s));
    return rc == SQLITE_BUSY ? KB_BUSY : KB_ERR;
}

/* Room for one more element of size bytes in *arr (holding n of *cap). */
static void *grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        void *p = realloc(*arr, ncap * size);
        if (!p)
            return NULL;
        *arr = p;
        *cap = ncap;
    }
    return (char *)*arr + n * size;
}

/* Steps s (bound) and calls read for each row into a growing array of size-byte elements. */
static int read_rows(struct kb_store *st, sqlite3_stmt *s, size_t size,
                     void (*read)(sqlite3_stmt *s, void *row), void **out, size_t *n,
                     const char *event)
{
    void *arr = NULL;
    size_t cap = 0, count = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (count == KB_REM_ROWS_MAX) {
            KB_WARN("reminders.rows_cut", "query=%s rows=%d", event, KB_REM_ROWS_MAX);
            rc = SQLITE_DONE;
            break;
        }
        void *row = grow(&arr, &cap, count, size);
        if (!row) {
            sqlite3_reset(s);
            free(arr);
            KB_ERROR("reminders.out_of_memory", "query=%s rows=%zu", event, count);
            return KB_ERR;
        }
        memset(row, 0, size);
        read(s, row);
        count++;
    }
    int r = step_error(st, s, rc, event);
    if (r != KB_OK) {
        free(arr);
        arr = NULL;
        count = 0;
    }
    *out = arr;
    *n = count;
    return r;
}

static void bind_range(sqlite3_stmt *s, int64_t lo, int64_t hi)
{
    sqlite3_bind_int64(s, 1, lo);
    sqlite3_bind_int64(s, 2, hi);
}

/* ---- sent reminders ---------------------------------------------------------------------------
 */

int kb_rem_sent(struct kb_store *st, const char *key, int *sent)
{
    static const char sql[] = "SELECT 1 FROM reminders_sent WHERE key = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    *sent = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *sent = rc == SQLITE_ROW;
    return step_error(st, s, rc, "store.reminders_sent");
}

int kb_rem_sent_add(struct kb_store *st, const char *key, const char *kind, int64_t employee_id,
                    const char *local_date, int64_t now, int64_t outbox_id)
{
    static const char sql[] =
        "INSERT INTO reminders_sent(key, kind, employee_id, local_date, sent_at, outbox_id) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, employee_id);
    sqlite3_bind_text(s, 4, local_date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, now);
    if (outbox_id)
        sqlite3_bind_int64(s, 6, outbox_id);
    return kb_stmt_done(st, s);
}

int kb_rem_sent_on(struct kb_store *st, int64_t employee_id, const char *local_date, int *count)
{
    static const char sql[] =
        "SELECT count(*) FROM reminders_sent WHERE employee_id = ?1 AND local_date = ?2 "
        "AND outbox_id IS NOT NULL";
    sqlite3_stmt *s = kb_sql(st, sql);
    *count = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, local_date, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int(s, 0);
    return step_error(st, s, rc, "store.reminders_sent_on");
}

int kb_rem_sent_prune(struct kb_store *st, int64_t before, int limit, int *deleted)
{
    static const char sql[] =
        "DELETE FROM reminders_sent WHERE key IN "
        "(SELECT key FROM reminders_sent WHERE sent_at < ?1 ORDER BY sent_at LIMIT ?2)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, before);
    sqlite3_bind_int(s, 2, limit);
    int rc = kb_stmt_done(st, s);
    if (deleted)
        *deleted = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

#define PASS_REQUESTED "reminders_pass_requested"

int kb_rem_request_pass(struct kb_store *st, int64_t now)
{
    return kb_meta_set_i64(st, PASS_REQUESTED, now);
}

int kb_rem_pass_requested(struct kb_store *st, int64_t *at)
{
    return kb_meta_get_i64(st, PASS_REQUESTED, 0, at);
}

int kb_rem_sent_recent(struct kb_store *st, int64_t employee_id, struct kb_rem_sent_row *out,
                       int cap, int *n)
{
    static const char sql[] = "SELECT kind, local_date, sent_at FROM reminders_sent "
                              "WHERE employee_id = ?1 AND outbox_id IS NOT NULL "
                              "ORDER BY sent_at DESC, key LIMIT ?2";
    sqlite3_stmt *s = kb_sql(st, sql);
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int(s, 2, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        kb_col_copy(s, 0, out[*n].kind, sizeof out[*n].kind);
        kb_col_copy(s, 1, out[*n].local_date, sizeof out[*n].local_date);
        out[*n].sent_at = sqlite3_column_int64(s, 2);
        (*n)++;
    }
    return step_error(st, s, rc, "store.reminders_recent");
}

/* ---- choices ----------------------------------------------------------------------------------
 */

int kb_rem_prefs_get(struct kb_store *st, int64_t employee_id, struct kb_rem_prefs *p)
{
    static const char sql[] =
        "SELECT mode, snooze_until, approvals_until FROM reminder_prefs WHERE employee_id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    memset(p, 0, sizeof *p);
    strcpy(p->mode, "all");
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        kb_col_copy(s, 0, p->mode, sizeof p->mode);
        kb_col_copy(s, 1, p->snooze_until, sizeof p->snooze_until);
        kb_col_copy(s, 2, p->approvals_until, sizeof p->approvals_until);
    }
    return step_error(st, s, rc, "store.reminder_prefs");
}

int kb_rem_prefs_set(struct kb_store *st, int64_t employee_id, const struct kb_rem_prefs *p,
                     int64_t now)
{
    static const char sql[] =
        "INSERT INTO reminder_prefs(employee_id, mode, snooze_until, approvals_until, "
        "updated_at) VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(employee_id) DO UPDATE SET "
        "mode = excluded.mode, snooze_until = excluded.snooze_until, "
        "approvals_until = excluded.approvals_until, updated_at = excluded.updated_at";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, p->mode, -1, SQLITE_STATIC);
    kb_bind_text_or_null(s, 3, p->snooze_until);
    kb_bind_text_or_null(s, 4, p->approvals_until);
    sqlite3_bind_int64(s, 5, now);
    return kb_stmt_done(st, s);
}

/* ---- people -----------------------------------------------------------------------------------
 */

int kb_rem_people(struct kb_store *st, int64_t after_id, struct kb_rem_person *out, int cap, int *n)
{
    static const char sql[] =
        "SELECT e.id, e.nip, e.name, e.asn_kind, e.grade, COALESCE(e.zone, u.zone, 'WIB'), "
        "  COALESCE(u.workdays, 5), COALESCE(e.unit_id, 0), COALESCE(e.supervisor_id, 0), "
        "  l.chat_id, c.lang, c.blocked_at IS NOT NULL, COALESCE(p.mode, 'all'), "
        "  p.snooze_until, p.approvals_until "
        "FROM links l JOIN employees e ON e.id = l.employee_id "
        "LEFT JOIN units u ON u.id = e.unit_id "
        "LEFT JOIN chats c ON c.chat_id = l.chat_id "
        "LEFT JOIN reminder_prefs p ON p.employee_id = l.employee_id "
        "WHERE l.employee_id > ?1 AND e.active = 1 ORDER BY l.employee_id LIMIT ?2";
    sqlite3_stmt *s = kb_sql(st, sql);
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int(s, 2, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_rem_person *p = &out[(*n)++];
        memset(p, 0, sizeof *p);
        p->id = sqlite3_column_int64(s, 0);
        kb_col_copy(s, 1, p->nip, sizeof p->nip);
        kb_col_copy(s, 2, p->name, sizeof p->name);
        kb_col_copy(s, 3, p->asn_kind, sizeof p->asn_kind);
        kb_col_copy(s, 4, p->grade, sizeof p->grade);
        kb_col_copy(s, 5, p->zone, sizeof p->zone);
        p->workdays = sqlite3_column_int(s, 6);
        p->unit_id = sqlite3_column_int64(s, 7);
        p->supervisor_id = sqlite3_column_int64(s, 8);
        p->chat_id = sqlite3_column_int64(s, 9);
        kb_col_copy(s, 10, p->lang, sizeof p->lang);
        p->blocked = sqlite3_column_int(s, 11);
        kb_col_copy(s, 12, p->prefs.mode, sizeof p->prefs.mode);
        kb_col_copy(s, 13, p->prefs.snooze_until, sizeof p->prefs.snooze_until);
        kb_col_copy(s, 14, p->prefs.approvals_until, sizeof p->prefs.approvals_until);
    }
    return step_error(st, s, rc, "store.reminders_people");
}

/* ---- RPI ------------------------------------------------------------------------------------- */

static void read_activity(sqlite3_stmt *s, void *row)
{
    struct kb_rem_activity *a = row;
    a->id = sqlite3_column_int64(s, 0);
    a->plan_id = sqlite3_column_int64(s, 1);
    a->employee_id = sqlite3_column_int64(s, 2);
    a->year = sqlite3_column_int(s, 3);
    kb_col_copy(s, 4, a->competency, sizeof a->competency);
    kb_col_copy(s, 5, a->target_date, sizeof a->target_date);
    a->open = sqlite3_column_int(s, 6);
    a->carried = sqlite3_column_int(s, 7);
    a->jp_planned = sqlite3_column_int(s, 8);
    a->jp_recognised = sqlite3_column_int(s, 9);
}

int kb_rem_activities(struct kb_store *st, int64_t lo, int64_t hi, int min_year,
                      struct kb_rem_activity **out, size_t *n)
{
    static const char sql[] =
        "SELECT a.id, p.id, p.employee_id, p.year, a.competency, a.target_date, "
        "  a.status IN ('rencana','berjalan','ditunda') AND a.approval = 'disetujui' AS open, "
        "  CASE WHEN a.status IN ('rencana','berjalan','ditunda') "
        "       THEN EXISTS(SELECT 1 FROM rpi_activities c WHERE c.carried_from = a.id) "
        "       ELSE 0 END, "
        "  CASE WHEN a.approval <> 'ditolak' AND a.status <> 'batal' THEN a.jp_planned "
        "       ELSE 0 END, "
        "  a.jp_recognised "
        "FROM rpi_plans p CROSS JOIN rpi_activities a ON a.plan_id = p.id "
        "WHERE p.employee_id BETWEEN ?1 AND ?2 AND p.year >= ?3";
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    bind_range(s, lo, hi);
    sqlite3_bind_int(s, 3, min_year);
    return read_rows(st, s, sizeof **out, read_activity, (void **)out, n,
                     "store.reminders_activities");
}

/* ---- approvals ---------------------------------------------------------------------------------
 */

#define APPROVAL_COLS                                                                              \
    "a.id, a.kind, a.subject_id, a.requester_id, a.approver_id, a.created_at, "                    \
    "COALESCE(ap.supervisor_id, 0), COALESCE(rq.supervisor_id, 0), "                               \
    "COALESCE(ap.zone, au.zone, 'WIB'), COALESCE(au.workdays, 5), "                                \
    "EXISTS(SELECT 1 FROM links l WHERE l.employee_id = a.approver_id) "

static void read_approval(sqlite3_stmt *s, void *row)
{
    struct kb_rem_approval *a = row;
    a->id = sqlite3_column_int64(s, 0);
    kb_col_copy(s, 1, a->kind, sizeof a->kind);
    a->subject_id = sqlite3_column_int64(s, 2);
    a->requester_id = sqlite3_column_int64(s, 3);
    a->approver_id = sqlite3_column_int64(s, 4);
    a->created_at = sqlite3_column_int64(s, 5);
    a->approver_supervisor_id = sqlite3_column_int64(s, 6);
    a->requester_supervisor_id = sqlite3_column_int64(s, 7);
    kb_col_copy(s, 8, a->approver_zone, sizeof a->approver_zone);
    a->approver_workdays = sqlite3_column_int(s, 9);
    a->approver_linked = sqlite3_column_int(s, 10);
}

int kb_rem_approvals(struct kb_store *st, enum kb_rem_by by, int64_t lo, int64_t hi,
                     struct kb_rem_approval **out, size_t *n)
{
    /* Each walks the index of its range first (CROSS JOIN keeps that order). */
    static const char by_approver[] =
        "SELECT " APPROVAL_COLS "FROM approvals a CROSS JOIN employees ap ON ap.id = a.approver_id "
        "JOIN employees rq ON rq.id = a.requester_id LEFT JOIN units au ON au.id = ap.unit_id "
        "WHERE a.approver_id BETWEEN ?1 AND ?2 AND a.status = 'menunggu'";
    static const char by_supervisor[] =
        "SELECT " APPROVAL_COLS "FROM employees ap CROSS JOIN approvals a ON a.approver_id = ap.id "
        "JOIN employees rq ON rq.id = a.requester_id LEFT JOIN units au ON au.id = ap.unit_id "
        "WHERE ap.supervisor_id BETWEEN ?1 AND ?2 AND a.status = 'menunggu'";
    static const char by_requester[] =
        "SELECT " APPROVAL_COLS "FROM approvals a CROSS JOIN employees ap ON ap.id = a.approver_id "
        "JOIN employees rq ON rq.id = a.requester_id LEFT JOIN units au ON au.id = ap.unit_id "
        "WHERE a.requester_id BETWEEN ?1 AND ?2 AND a.status = 'menunggu'";
    const char *sql = by == KB_REM_BY_APPROVER    ? by_approver
                      : by == KB_REM_BY_REQUESTER ? by_requester
                                                  : by_supervisor;
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    bind_range(s, lo, hi);
    return read_rows(st, s, sizeof **out, read_approval, (void **)out, n,
                     "store.reminders_approvals");
}

int kb_rem_approval_escalated(struct kb_store *st, int64_t approval_id, int64_t now)
{
    static const char sql[] =
        "UPDATE approvals SET escalated_at = ?2 WHERE id = ?1 AND escalated_at IS NULL";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, approval_id);
    sqlite3_bind_int64(s, 2, now);
    return kb_stmt_done(st, s);
}

/* ---- trainings ----------------------------------------------------------------------------------
 */

static void read_registration(sqlite3_stmt *s, void *row)
{
    struct kb_rem_registration *r = row;
    r->id = sqlite3_column_int64(s, 0);
    r->training_id = sqlite3_column_int64(s, 1);
    r->employee_id = sqlite3_column_int64(s, 2);
    r->activity_id = sqlite3_column_int64(s, 3);
    kb_col_copy(s, 4, r->status, sizeof r->status);
    r->seat = sqlite3_column_int(s, 5);
    kb_col_copy(s, 6, r->start_date, sizeof r->start_date);
    r->training_cancelled = sqlite3_column_int(s, 7);
}

int kb_rem_registrations(struct kb_store *st, int64_t lo, int64_t hi,
                         struct kb_rem_registration **out, size_t *n)
{
    static const char sql[] =
        "SELECT r.id, r.training_id, r.employee_id, COALESCE(r.activity_id, 0), r.status, "
        "  r.seat, t.start_date, t.status = 'batal' "
        "FROM registrations r CROSS JOIN trainings t ON t.id = r.training_id "
        "WHERE r.employee_id BETWEEN ?1 AND ?2 AND r.status NOT IN ('dibatalkan','ditolak')";
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    bind_range(s, lo, hi);
    return read_rows(st, s, sizeof **out, read_registration, (void **)out, n,
                     "store.reminders_registrations");
}

static void read_training(sqlite3_stmt *s, void *row)
{
    struct kb_rem_training *t = row;
    t->id = sqlite3_column_int64(s, 0);
    kb_col_copy(s, 1, t->title, sizeof t->title);
    kb_col_copy(s, 2, t->competency, sizeof t->competency);
    kb_col_copy(s, 3, t->start_date, sizeof t->start_date);
    kb_col_copy(s, 4, t->deadline, sizeof t->deadline);
    kb_col_copy(s, 5, t->min_grade, sizeof t->min_grade);
    t->jp = sqlite3_column_int(s, 6);
}

int kb_rem_trainings_open(struct kb_store *st, const char *from, int cap,
                          struct kb_rem_training **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, title, COALESCE(competency, ''), start_date, deadline, "
        "  COALESCE(min_grade, ''), jp FROM trainings "
        "WHERE status = 'buka' AND deadline >= ?1 ORDER BY deadline, id LIMIT ?2";
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, cap);
    return read_rows(st, s, sizeof **out, read_training, (void **)out, n,
                     "store.reminders_trainings");
}

/* ---- promotions ---------------------------------------------------------------------------------
 */

static void read_stage(sqlite3_stmt *s, void *row)
{
    struct kb_rem_stage *r = row;
    r->promotion_id = sqlite3_column_int64(s, 0);
    r->employee_id = sqlite3_column_int64(s, 1);
    kb_col_copy(s, 2, r->target_grade, sizeof r->target_grade);
    kb_col_copy(s, 3, r->period, sizeof r->period);
    kb_col_copy(s, 4, r->stage, sizeof r->stage);
    kb_col_copy(s, 5, r->reached_on, sizeof r->reached_on);
    r->seq = sqlite3_column_int64(s, 6);
    if (sqlite3_column_count(s) > 7) {
        kb_col_copy(s, 7, r->name, sizeof r->name);
        kb_col_copy(s, 8, r->grade, sizeof r->grade);
        r->workdays = sqlite3_column_int(s, 9);
    }
}

int kb_rem_stages(struct kb_store *st, int64_t lo, int64_t hi, struct kb_rem_stage **out, size_t *n)
{
    static const char sql[] =
        "SELECT pr.id, pr.employee_id, pr.target_grade, pr.period, s.stage, s.reached_on, s.seq "
        "FROM promotions pr CROSS JOIN promotion_stages s ON s.promotion_id = pr.id "
        "WHERE pr.employee_id BETWEEN ?1 AND ?2 ORDER BY pr.employee_id, pr.period, pr.id";
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    bind_range(s, lo, hi);
    return read_rows(st, s, sizeof **out, read_stage, (void **)out, n, "store.reminders_stages");
}

int kb_rem_unit_stages(struct kb_store *st, int64_t unit_id, struct kb_rem_stage **out, size_t *n)
{
    static const char sql[] =
        "SELECT pr.id, pr.employee_id, pr.target_grade, pr.period, s.stage, s.reached_on, "
        "  s.seq, e.name, e.grade, COALESCE(u.workdays, 5) "
        "FROM promotions pr JOIN employees e ON e.id = pr.employee_id "
        "JOIN promotion_stages s ON s.promotion_id = pr.id "
        "LEFT JOIN units u ON u.id = e.unit_id "
        "WHERE e.unit_id = ?1 ORDER BY pr.employee_id, pr.period, pr.id";
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, unit_id);
    return read_rows(st, s, sizeof **out, read_stage, (void **)out, n,
                     "store.reminders_unit_stages");
}

static void read_unit(sqlite3_stmt *s, void *row)
{
    struct kb_rem_unit *u = row;
    u->id = sqlite3_column_int64(s, 0);
    kb_col_copy(s, 1, u->name, sizeof u->name);
    u->hr_id = sqlite3_column_int64(s, 2);
}

int kb_rem_hr_units(struct kb_store *st, int64_t lo, int64_t hi, struct kb_rem_unit **out,
                    size_t *n)
{
    /* A unit without an HR officer reports to the admins, so no stalled file goes unseen. */
    static const char sql[] =
        "SELECT id, name, hr_employee_id FROM units WHERE hr_employee_id BETWEEN ?1 AND ?2 "
        "UNION ALL SELECT u.id, u.name, r.employee_id FROM units u JOIN roles r "
        "  ON r.role = 'admin' AND r.employee_id BETWEEN ?1 AND ?2 "
        "WHERE u.hr_employee_id IS NULL ORDER BY 1, 3";
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    bind_range(s, lo, hi);
    return read_rows(st, s, sizeof **out, read_unit, (void **)out, n, "store.reminders_units");
}

static void read_unlinked(sqlite3_stmt *s, void *row)
{
    struct kb_rem_unlinked *u = row;
    u->approval_id = sqlite3_column_int64(s, 0);
    kb_col_copy(s, 1, u->kind, sizeof u->kind);
    u->approver_id = sqlite3_column_int64(s, 2);
    kb_col_copy(s, 3, u->approver_name, sizeof u->approver_name);
    kb_col_copy(s, 4, u->requester_name, sizeof u->requester_name);
    u->created_at = sqlite3_column_int64(s, 5);
    u->approver_workdays = sqlite3_column_int(s, 6);
    kb_col_copy(s, 7, u->approver_zone, sizeof u->approver_zone);
}

int kb_rem_unit_unlinked(struct kb_store *st, int64_t unit_id, int cap,
                         struct kb_rem_unlinked **out, size_t *n)
{
    static const char sql[] =
        "SELECT a.id, a.kind, a.approver_id, ap.name, rq.name, a.created_at, "
        "  COALESCE(au.workdays, 5), COALESCE(ap.zone, au.zone, 'WIB') "
        "FROM approvals a INDEXED BY reminders_approvals_waiting "
        "JOIN employees rq ON rq.id = a.requester_id "
        "JOIN employees ap ON ap.id = a.approver_id LEFT JOIN units au ON au.id = ap.unit_id "
        "WHERE a.status = 'menunggu' AND rq.unit_id = ?1 "
        "  AND NOT EXISTS(SELECT 1 FROM links l WHERE l.employee_id = a.approver_id) "
        "ORDER BY a.created_at, a.id LIMIT ?2";
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, unit_id);
    sqlite3_bind_int(s, 2, cap);
    return read_rows(st, s, sizeof **out, read_unlinked, (void **)out, n,
                     "store.reminders_unlinked");
}

/* ---- mentoring ----------------------------------------------------------------------------------
 */

static void read_pair(sqlite3_stmt *s, void *row)
{
    struct kb_rem_pair *p = row;
    p->id = sqlite3_column_int64(s, 0);
    p->mentee_id = sqlite3_column_int64(s, 1);
    p->mentor_id = sqlite3_column_int64(s, 2);
    kb_col_copy(s, 3, p->kind, sizeof p->kind);
    kb_col_copy(s, 4, p->last_session, sizeof p->last_session);
    kb_col_copy(s, 5, p->accepted_on, sizeof p->accepted_on);
    p->decided_at = sqlite3_column_int64(s, 6);
}

int kb_rem_pairs(struct kb_store *st, int64_t lo, int64_t hi, struct kb_rem_pair **out, size_t *n)
{
    static const char sql[] =
        "SELECT r.id, r.mentee_id, r.mentor_id, r.kind, "
        "  (SELECT MAX(held_on) FROM mentor_sessions s WHERE s.request_id = r.id), "
        "  r.accepted_on, COALESCE(r.decided_at, r.created_at) "
        "FROM mentor_requests r "
        "WHERE r.status IN ('diterima','berjalan') "
        "  AND (r.mentee_id BETWEEN ?1 AND ?2 OR r.mentor_id BETWEEN ?1 AND ?2)";
    sqlite3_stmt *s = kb_sql(st, sql);
    *out = NULL;
    *n = 0;
    if (!s)
        return KB_ERR;
    bind_range(s, lo, hi);
    return read_rows(st, s, sizeof **out, read_pair, (void **)out, n, "store.reminders_pairs");
}
