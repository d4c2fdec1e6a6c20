/* rpi: the yearly individual development plans (Rencana Pengembangan Individu) and their
 * activities; the rules of lateness and of the year's JP, read from those rows. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/rpi.h"

const char kb_schema_rpi[] =
    "CREATE TABLE rpi_plans("
    "  id INTEGER PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  year INTEGER NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'draf'"
    "    CHECK(status IN ('draf','diajukan','disetujui','revisi','ditetapkan')),"
    "  submitted_at INTEGER,"
    "  approved_at INTEGER,"
    "  set_at INTEGER,"
    "  UNIQUE(employee_id, year)) STRICT;"
    "CREATE TABLE rpi_activities("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id INTEGER NOT NULL REFERENCES rpi_plans(id),"
    "  form TEXT NOT NULL," /* a development form id of the policy data */
    "  title TEXT NOT NULL,"
    "  competency TEXT,"           /* teknis, manajerial, sosial_kultural */
    "  target_date TEXT NOT NULL," /* YYYY-MM-DD */
    "  jp_planned INTEGER NOT NULL DEFAULT 0,"
    "  jp_recognised INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'rencana'"
    "    CHECK(status IN ('rencana','berjalan','selesai','ditunda','batal')),"
    "  approval TEXT NOT NULL DEFAULT 'disetujui'" /* an activity added later waits */
    "    CHECK(approval IN ('menunggu','disetujui','ditolak')),"
    "  done_on TEXT,"
    "  evidence_file_id TEXT," /* Telegram's file id of the certificate */
    "  evidence_kind TEXT,"
    "  verified_at INTEGER,"
    "  verified_by INTEGER REFERENCES employees(id),"
    "  source TEXT NOT NULL DEFAULT 'plan' CHECK(source IN ('plan','training','mentoring')),"
    "  source_id INTEGER,"
    "  carried_from INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX rpi_activities_plan ON rpi_activities(plan_id, target_date);"
    "CREATE INDEX rpi_activities_due ON rpi_activities(target_date) "
    "  WHERE status IN ('rencana','berjalan');"
    /* "carried over already?" when a new year's plan takes the unfinished activities */
    "CREATE INDEX rpi_activities_carried ON rpi_activities(carried_from) "
    "  WHERE carried_from IS NOT NULL;";

/* The conditions of the rules below, in SQL: kept beside their C twins. */
#define SQL_UNFINISHED "status IN ('rencana','berjalan','ditunda') AND approval <> 'ditolak'"
#define SQL_ACTIONABLE "status IN ('rencana','berjalan','ditunda') AND approval = 'disetujui'"

static int step_done(struct kb_store *st, sqlite3_stmt *s, int *changed)
{
    int rc = kb_stmt_done(st, s);
    if (changed)
        *changed = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

/* ---- plans ------------------------------------------------------------------------------- */

#define PLAN_COLS                                                                                  \
    "id, employee_id, year, status, COALESCE(submitted_at, 0), COALESCE(approved_at, 0), "         \
    "COALESCE(set_at, 0) FROM rpi_plans "

static int read_plan(struct kb_store *st, sqlite3_stmt *s, struct kb_rpi_plan *p, int *found)
{
    int rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    if (*found) {
        p->id = sqlite3_column_int64(s, 0);
        p->employee_id = sqlite3_column_int64(s, 1);
        p->year = sqlite3_column_int(s, 2);
        kb_col_copy(s, 3, p->status, sizeof p->status);
        p->submitted_at = sqlite3_column_int64(s, 4);
        p->approved_at = sqlite3_column_int64(s, 5);
        p->set_at = sqlite3_column_int64(s, 6);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.rpi_plan", sqlite3_sql(s));
        return KB_ERR;
    }
    return KB_OK;
}

int kb_rpi_plan_get(struct kb_store *st, int64_t employee_id, int year, struct kb_rpi_plan *plan,
                    int *found)
{
    static const char sql[] = "SELECT " PLAN_COLS "WHERE employee_id = ?1 AND year = ?2";
    sqlite3_stmt *s = kb_sql(st, sql);
    *found = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int(s, 2, year);
    return read_plan(st, s, plan, found);
}

int kb_rpi_plan_by_id(struct kb_store *st, int64_t plan_id, struct kb_rpi_plan *plan, int *found)
{
    static const char sql[] = "SELECT " PLAN_COLS "WHERE id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    *found = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    return read_plan(st, s, plan, found);
}

int kb_rpi_plan_create(struct kb_store *st, int64_t employee_id, int year, int64_t *plan_id,
                       int *created)
{
    static const char sql[] = "INSERT INTO rpi_plans(employee_id, year) VALUES(?1, ?2) "
                              "ON CONFLICT(employee_id, year) DO NOTHING";
    *plan_id = 0;
    *created = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int(s, 2, year);
    int rc = step_done(st, s, created);
    if (rc != KB_OK)
        return rc;
    struct kb_rpi_plan p;
    int found = 0;
    rc = kb_rpi_plan_get(st, employee_id, year, &p, &found);
    if (rc == KB_OK && found)
        *plan_id = p.id;
    return rc == KB_OK && found ? KB_OK : KB_ERR;
}

int kb_rpi_plan_submit(struct kb_store *st, int64_t plan_id, int64_t now, int *changed)
{
    static const char sql[] = "UPDATE rpi_plans SET status = 'diajukan', submitted_at = ?2 "
                              "WHERE id = ?1 AND status IN ('draf','revisi')";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    sqlite3_bind_int64(s, 2, now);
    return step_done(st, s, changed);
}

int kb_rpi_plan_decide(struct kb_store *st, int64_t plan_id, int approved, int64_t now,
                       int *changed)
{
    static const char yes[] = "UPDATE rpi_plans SET status = 'disetujui', approved_at = ?2 "
                              "WHERE id = ?1 AND status = 'diajukan'";
    static const char no[] =
        "UPDATE rpi_plans SET status = 'revisi' WHERE id = ?1 AND status = 'diajukan'";
    sqlite3_stmt *s = kb_sql(st, approved ? yes : no);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    if (approved)
        sqlite3_bind_int64(s, 2, now);
    return step_done(st, s, changed);
}

int kb_rpi_plan_set_established(struct kb_store *st, int64_t plan_id, int64_t now, int *changed)
{
    static const char sql[] = "UPDATE rpi_plans SET status = 'ditetapkan', set_at = ?2 "
                              "WHERE id = ?1 AND status = 'disetujui'";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    sqlite3_bind_int64(s, 2, now);
    return step_done(st, s, changed);
}

/* ---- activities -------------------------------------------------------------------------- */

#define ACT_COLS                                                                                   \
    "a.id, a.plan_id, p.employee_id, p.year, a.form, a.title, a.competency, a.target_date, "       \
    "a.jp_planned, a.jp_recognised, a.status, a.approval, a.done_on, a.evidence_file_id, "         \
    "a.evidence_kind, a.verified_at, COALESCE(a.verified_by, 0), COALESCE(a.carried_from, 0) "     \
    "FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "

static void read_activity(sqlite3_stmt *s, struct kb_rpi_activity *a)
{
    a->id = sqlite3_column_int64(s, 0);
    a->plan_id = sqlite3_column_int64(s, 1);
    a->employee_id = sqlite3_column_int64(s, 2);
    a->year = sqlite3_column_int(s, 3);
    kb_col_copy(s, 4, a->form, sizeof a->form);
    kb_col_copy(s, 5, a->title, sizeof a->title);
    kb_col_copy(s, 6, a->competency, sizeof a->competency);
    kb_col_copy(s, 7, a->target_date, sizeof a->target_date);
    a->jp_planned = sqlite3_column_int(s, 8);
    a->jp_recognised = sqlite3_column_int(s, 9);
    kb_col_copy(s, 10, a->status, sizeof a->status);
    kb_col_copy(s, 11, a->approval, sizeof a->approval);
    kb_col_copy(s, 12, a->done_on, sizeof a->done_on);
    kb_col_copy(s, 13, a->evidence_file_id, sizeof a->evidence_file_id);
    kb_col_copy(s, 14, a->evidence_kind, sizeof a->evidence_kind);
    a->verified = sqlite3_column_type(s, 15) != SQLITE_NULL;
    a->verified_at = sqlite3_column_int64(s, 15);
    a->verified_by = sqlite3_column_int64(s, 16);
    a->carried_from = sqlite3_column_int64(s, 17);
}

int kb_rpi_activities(struct kb_store *st, int64_t plan_id, struct kb_rpi_activity *out, int cap,
                      int *n)
{
    static const char sql[] =
        "SELECT " ACT_COLS "WHERE a.plan_id = ?1 ORDER BY a.target_date, a.id LIMIT ?2";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    sqlite3_bind_int(s, 2, cap > 0 ? cap : 0);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        read_activity(s, &out[(*n)++]);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.rpi_activities", sql);
        return KB_ERR;
    }
    return KB_OK;
}

int kb_rpi_activity_get(struct kb_store *st, int64_t id, struct kb_rpi_activity *a, int *found)
{
    static const char sql[] = "SELECT " ACT_COLS "WHERE a.id = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_activity(s, a);
        *found = 1;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.rpi_activity", sql);
        return KB_ERR;
    }
    return KB_OK;
}

int kb_rpi_activity_add(struct kb_store *st, const struct kb_rpi_activity_new *a, int64_t now,
                        int64_t *id)
{
    static const char sql[] =
        "INSERT INTO rpi_activities(plan_id, form, title, competency, target_date, jp_planned, "
        "approval, created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, a->plan_id);
    sqlite3_bind_text(s, 2, a->form, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, a->title, -1, SQLITE_TRANSIENT);
    kb_bind_text_or_null(s, 4, a->competency);
    sqlite3_bind_text(s, 5, a->target_date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 6, a->jp_planned);
    sqlite3_bind_text(s, 7, a->approval ? a->approval : "disetujui", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 8, now);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int kb_rpi_activity_decide(struct kb_store *st, int64_t id, int approved, int64_t now, int *changed)
{
    static const char sql[] = "UPDATE rpi_activities SET approval = ?2, updated_at = ?3 "
                              "WHERE id = ?1 AND approval = 'menunggu'";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, approved ? "disetujui" : "ditolak", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    return step_done(st, s, changed);
}

int kb_rpi_activity_mark_done(struct kb_store *st, int64_t id, const char *done_on,
                              const char *file_id, const char *file_kind, int64_t now, int *changed)
{
    static const char sql[] =
        "UPDATE rpi_activities SET status = 'selesai', done_on = ?2, evidence_file_id = ?3, "
        "evidence_kind = ?4, jp_recognised = 0, verified_at = NULL, verified_by = NULL, "
        "updated_at = ?5 WHERE id = ?1 AND " SQL_ACTIONABLE;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    int with_file = file_id && *file_id;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, done_on, -1, SQLITE_TRANSIENT);
    kb_bind_text_or_null(s, 3, with_file ? file_id : NULL);
    kb_bind_text_or_null(s, 4, with_file ? file_kind : NULL);
    sqlite3_bind_int64(s, 5, now);
    return step_done(st, s, changed);
}

int kb_rpi_activity_postpone(struct kb_store *st, int64_t id, const char *target_date, int64_t now,
                             int *changed)
{
    static const char sql[] = "UPDATE rpi_activities SET status = 'ditunda', target_date = ?2, "
                              "updated_at = ?3 WHERE id = ?1 AND " SQL_ACTIONABLE;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, target_date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, now);
    return step_done(st, s, changed);
}

int kb_rpi_activity_verify(struct kb_store *st, int64_t id, int64_t verified_by, int64_t now,
                           int *changed)
{
    static const char sql[] =
        "UPDATE rpi_activities SET jp_recognised = jp_planned, verified_at = ?3, "
        "verified_by = ?2, updated_at = ?3 "
        "WHERE id = ?1 AND status = 'selesai' AND verified_at IS NULL";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, verified_by);
    sqlite3_bind_int64(s, 3, now);
    return step_done(st, s, changed);
}

int kb_rpi_activity_reopen(struct kb_store *st, int64_t id, int64_t now, int *changed)
{
    static const char sql[] =
        "UPDATE rpi_activities SET status = 'berjalan', done_on = NULL, evidence_file_id = NULL, "
        "evidence_kind = NULL, updated_at = ?2 "
        "WHERE id = ?1 AND status = 'selesai' AND verified_at IS NULL";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return step_done(st, s, changed);
}

int kb_rpi_totals(struct kb_store *st, int64_t plan_id, const char *today, struct kb_rpi_totals *t)
{
    static const char sql[] =
        "SELECT "
        "  COALESCE(SUM(approval <> 'ditolak' AND status <> 'batal'), 0),"
        "  COALESCE(SUM(CASE WHEN approval <> 'ditolak' AND status <> 'batal' "
        "                    THEN jp_planned ELSE 0 END), 0),"
        "  COALESCE(SUM(jp_recognised), 0),"
        "  COALESCE(SUM(CASE WHEN status = 'selesai' AND verified_at IS NULL "
        "                    THEN jp_planned ELSE 0 END), 0),"
        "  COALESCE(SUM(" SQL_UNFINISHED " AND target_date < ?2), 0),"
        "  COALESCE(SUM(approval = 'menunggu'), 0),"
        "  count(*) "
        "FROM rpi_activities WHERE plan_id = ?1";
    memset(t, 0, sizeof *t);
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    sqlite3_bind_text(s, 2, today, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        t->activities = sqlite3_column_int(s, 0);
        t->jp_planned = sqlite3_column_int(s, 1);
        t->jp_recognised = sqlite3_column_int(s, 2);
        t->jp_unverified = sqlite3_column_int(s, 3);
        t->late = sqlite3_column_int(s, 4);
        t->waiting = sqlite3_column_int(s, 5);
        t->rows = sqlite3_column_int(s, 6);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) {
        kb_store_log_error(st, "store.rpi_totals", sql);
        return KB_ERR;
    }
    return KB_OK;
}

/* ---- a new year ------------------------------------------------------------------------- */

#define SQL_CARRIABLE                                                                              \
    "a.plan_id = ?1 AND a.status IN ('rencana','berjalan','ditunda') "                             \
    "AND a.approval = 'disetujui' "                                                                \
    "AND NOT EXISTS (SELECT 1 FROM rpi_activities c WHERE c.carried_from = a.id) "

int kb_rpi_carry_count(struct kb_store *st, int64_t from_plan_id, int *n)
{
    static const char sql[] = "SELECT count(*) FROM rpi_activities a WHERE " SQL_CARRIABLE;
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, from_plan_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) {
        kb_store_log_error(st, "store.rpi_carry_count", sql);
        return KB_ERR;
    }
    return KB_OK;
}

int kb_rpi_carry_over(struct kb_store *st, int64_t from_plan_id, int64_t to_plan_id, int to_year,
                      int64_t now, int *copied)
{
    /* A target in an earlier year moves on by a year, kept within to_year; the status and the
     * approval go along (the new plan is a draft its supervisor approves as a whole). */
    static const char sql[] =
        "INSERT INTO rpi_activities(plan_id, form, title, competency, target_date, jp_planned, "
        "  status, approval, source, source_id, carried_from, created_at, updated_at) "
        "SELECT ?2, a.form, a.title, a.competency, "
        "  CASE WHEN a.target_date >= ?3 THEN a.target_date "
        "       ELSE max(?3, min(?4, date(a.target_date, '+1 year'))) END, "
        "  a.jp_planned, a.status, a.approval, a.source, a.source_id, a.id, ?5, ?5 "
        "FROM rpi_activities a WHERE " SQL_CARRIABLE "ORDER BY a.target_date, a.id LIMIT ?6";
    *copied = 0;
    if (to_year < 1 || to_year > 9998)
        return KB_ERR;
    char first[11], last[11];
    snprintf(first, sizeof first, "%04d-01-01", to_year);
    snprintf(last, sizeof last, "%04d-12-31", to_year);
    struct kb_rpi_totals t;
    int rc = kb_rpi_totals(st, to_plan_id, first, &t);
    if (rc != KB_OK)
        return rc;
    int room = KB_RPI_PLAN_MAX_ROWS - t.rows;
    if (room <= 0)
        return KB_OK;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, from_plan_id);
    sqlite3_bind_int64(s, 2, to_plan_id);
    sqlite3_bind_text(s, 3, first, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, last, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 5, now);
    sqlite3_bind_int(s, 6, room);
    return step_done(st, s, copied);
}

/* ---- rules ------------------------------------------------------------------------------ */

bool kb_rpi_unfinished(const struct kb_rpi_activity *a)
{
    return (!strcmp(a->status, "rencana") || !strcmp(a->status, "berjalan") ||
            !strcmp(a->status, "ditunda")) &&
           strcmp(a->approval, "ditolak") != 0;
}

bool kb_rpi_late(const struct kb_rpi_activity *a, const char *today)
{
    /* "YYYY-MM-DD" strings order as the dates do. */
    return kb_rpi_unfinished(a) && strcmp(a->target_date, today) < 0;
}

bool kb_rpi_actionable(const struct kb_rpi_activity *a)
{
    return kb_rpi_unfinished(a) && !strcmp(a->approval, "disetujui");
}

void kb_rpi_jp_judge(bool ceiling, int jp_per_year, int planned, int recognised,
                     struct kb_rpi_jp_view *v)
{
    memset(v, 0, sizeof *v);
    v->ceiling = ceiling;
    v->goal = jp_per_year;
    if (jp_per_year <= 0)
        return;
    if (ceiling) {
        v->over = planned > jp_per_year || recognised > jp_per_year;
    } else {
        v->met = recognised >= jp_per_year;
        v->plan_short = !v->met && planned < jp_per_year;
    }
}

int kb_rpi_bar(char *buf, size_t cap, int value, int goal, int width)
{
    static const char full[] = "\xe2\x96\x93";  /* U+2593 DARK SHADE */
    static const char empty[] = "\xe2\x96\x91"; /* U+2591 LIGHT SHADE */
    if (cap > 0)
        buf[0] = '\0';
    if (goal <= 0 || width <= 0 || width > 40 || cap < (size_t)width * 3 + 1)
        return -1;
    int64_t cells = value <= 0 ? 0 : (int64_t)value * width / goal;
    if (cells > width)
        cells = width;
    size_t at = 0;
    for (int i = 0; i < width; i++) {
        memcpy(buf + at, i < cells ? full : empty, 3);
        at += 3;
    }
    buf[at] = '\0';
    return 0;
}
