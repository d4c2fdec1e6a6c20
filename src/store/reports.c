/* reports: the read-only SQL of HR's reports. Each list is one statement walked in pages by id
 * (keyset: "id > ?after ORDER BY id LIMIT ?limit"), so every query is bounded and uses an
 * index; a filter by unit is a second statement rather than an "?unit = 0 OR" that would keep
 * SQLite from using employees_unit. Rows go to the caller's callback as views into SQLite's
 * row (reports_store.h). */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/reports_store.h"

const char *const kb_rep_registration_statuses[8] = {"diajukan",   "disetujui", "ditolak",
                                                     "diusulkan",  "diterima",  "daftar_tunggu",
                                                     "dibatalkan", "selesai"};

const char *const kb_rep_approval_kinds[5] = {"rpi_plan", "rpi_activity", "training", "mentor",
                                              "evidence"};

static const char *text(sqlite3_stmt *s, int i)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    return v ? (const char *)v : "";
}

/* The person columns: e is the employee, u their unit. jenis_asn as the import contract writes
 * it: a part-time PPPK (asn_kind PPPK, part_time 1) is "PPPK paruh waktu". */
#define PERSON_COLS                                                                                \
    "e.id, e.nip, e.name, "                                                                        \
    "CASE WHEN e.part_time = 1 THEN e.asn_kind || ' paruh waktu' ELSE e.asn_kind END, "            \
    "e.grade, COALESCE(e.position, ''), COALESCE(u.name, ''), "                                    \
    "COALESCE(e.zone, u.zone, 'WIB'), COALESCE(u.workdays, 5)"
#define PERSON_NCOLS 9

static void read_person(sqlite3_stmt *s, int i, struct kb_rep_person *p)
{
    p->id = sqlite3_column_int64(s, i);
    p->nip = text(s, i + 1);
    p->name = text(s, i + 2);
    p->asn_kind = text(s, i + 3);
    p->grade = text(s, i + 4);
    p->position = text(s, i + 5);
    p->unit = text(s, i + 6);
    p->zone = text(s, i + 7);
    p->workdays = sqlite3_column_int(s, i + 8);
}

/* Steps s to its end, calling each for every row; *n counts them and *last takes column 0 of
 * the last. Resets s. */
static int walk(struct kb_store *st, sqlite3_stmt *s, int (*each)(sqlite3_stmt *, void *),
                void *arg, int *n, int64_t *last)
{
    int rc, stop = 0;
    *n = 0;
    while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *last = sqlite3_column_int64(s, 0);
        (*n)++;
        stop = each(s, arg);
    }
    if (!stop && rc != SQLITE_DONE)
        kb_store_log_error(st, "store.report", sqlite3_sql(s));
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (stop)
        return KB_ERR;
    return rc == SQLITE_DONE ? KB_OK : rc == SQLITE_BUSY ? KB_BUSY : KB_ERR;
}

static int clamp_limit(int limit)
{
    return limit < 1 ? 1 : limit > KB_REP_PAGE_MAX ? KB_REP_PAGE_MAX : limit;
}

int kb_rep_schema_version(const char *path, int *version)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    *version = -1;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_CANTOPEN) {
        sqlite3_close(db);
        return KB_OK; /* no such file: nothing is created */
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rc == SQLITE_OK ? KB_OK : KB_ERR;
}

int kb_rep_unit_find(struct kb_store *st, const char *name, int64_t *id, char *exact, int cap)
{
    /* An exact match wins over one that differs in case only. */
    static const char sql[] = "SELECT id, name FROM units WHERE name = ?1 COLLATE NOCASE "
                              "ORDER BY name = ?1 DESC, id LIMIT 1";
    *id = 0;
    if (cap > 0)
        exact[0] = '\0';
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        if (cap > 0)
            snprintf(exact, (size_t)cap, "%s", text(s, 1));
    } else if (rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.report", sql);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

/* ---- people with their RPI ------------------------------------------------------------------ */

/* The conditions of rpi.c's rules (SQL_UNFINISHED there), on the activity a. */
#define A_COUNTED    "a.approval <> 'ditolak' AND a.status <> 'batal'"
#define A_UNFINISHED "a.status IN ('rencana','berjalan','ditunda') AND a.approval <> 'ditolak'"
/* The employee's today: ?3 WIB, ?4 WITA, ?5 WIT. */
#define E_TODAY                                                                                    \
    "CASE COALESCE(e.zone, u.zone, 'WIB') WHEN 'WITA' THEN ?4 WHEN 'WIT' THEN ?5 ELSE ?3 END"

#define RPI_SELECT                                                                                 \
    "SELECT " PERSON_COLS ", COALESCE(p.status, ''), "                                             \
    "COALESCE(sum(" A_COUNTED "), 0), "                                                            \
    "COALESCE(sum(a.approval <> 'ditolak' AND a.status = 'selesai'), 0), "                         \
    "COALESCE(sum(" A_UNFINISHED " AND a.target_date < " E_TODAY "), 0), "                         \
    "COALESCE(sum(a.approval = 'menunggu'), 0), "                                                  \
    "COALESCE(sum(CASE WHEN " A_COUNTED " THEN a.jp_planned ELSE 0 END), 0), "                     \
    "COALESCE(sum(a.jp_recognised), 0), "                                                          \
    "COALESCE(sum(CASE WHEN a.status = 'selesai' AND a.verified_at IS NULL "                       \
    "  THEN a.jp_planned ELSE 0 END), 0) "                                                         \
    "FROM employees e LEFT JOIN units u ON u.id = e.unit_id "                                      \
    "LEFT JOIN rpi_plans p ON p.employee_id = e.id AND p.year = ?2 "                               \
    "LEFT JOIN rpi_activities a ON a.plan_id = p.id "                                              \
    "WHERE e.id > ?1 AND e.active = 1 "
#define RPI_TAIL "GROUP BY e.id ORDER BY e.id LIMIT ?6"

struct rpi_walk {
    kb_rep_rpi_fn fn;
    void *ctx;
};

static int rpi_each(sqlite3_stmt *s, void *arg)
{
    struct rpi_walk *w = arg;
    struct kb_rep_rpi r;
    int i = PERSON_NCOLS;
    read_person(s, 0, &r.p);
    r.plan_status = text(s, i++);
    r.activities = sqlite3_column_int(s, i++);
    r.finished = sqlite3_column_int(s, i++);
    r.late = sqlite3_column_int(s, i++);
    r.waiting = sqlite3_column_int(s, i++);
    r.jp_planned = sqlite3_column_int(s, i++);
    r.jp_recognised = sqlite3_column_int(s, i++);
    r.jp_unverified = sqlite3_column_int(s, i++);
    return w->fn(w->ctx, &r);
}

int kb_rep_rpi_page(struct kb_store *st, int64_t unit_id, int year, const struct kb_rep_today *t,
                    int64_t after_id, int limit, kb_rep_rpi_fn fn, void *ctx, int *n, int64_t *last)
{
    static const char all[] = RPI_SELECT RPI_TAIL;
    static const char one_unit[] = RPI_SELECT "AND e.unit_id = ?7 " RPI_TAIL;
    sqlite3_stmt *s = kb_sql(st, unit_id ? one_unit : all);
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_text(s, 3, t->wib, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, t->wita, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, t->wit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 6, clamp_limit(limit));
    if (unit_id)
        sqlite3_bind_int64(s, 7, unit_id);
    struct rpi_walk w = {fn, ctx};
    return walk(st, s, rpi_each, &w, n, last);
}

/* ---- trainings ------------------------------------------------------------------------------ */

#define TRAINING_SELECT                                                                            \
    "SELECT t.id, t.code, t.title, COALESCE(t.provider, ''), COALESCE(t.form, ''), t.status, "     \
    "t.start_date, t.end_date, t.deadline, t.jp, t.quota, t.cost, "                                \
    "t.quota - (SELECT count(*) FROM registrations s WHERE s.training_id = t.id AND s.seat = 1), " \
    "COALESCE(sum(r.seat = 1), 0), "                                                               \
    "COALESCE(sum(r.status = 'daftar_tunggu'), 0), "                                               \
    "COALESCE(sum(r.status = 'diajukan'), 0), COALESCE(sum(r.status = 'disetujui'), 0), "          \
    "COALESCE(sum(r.status = 'ditolak'), 0), COALESCE(sum(r.status = 'diusulkan'), 0), "           \
    "COALESCE(sum(r.status = 'diterima'), 0), COALESCE(sum(r.status = 'daftar_tunggu'), 0), "      \
    "COALESCE(sum(r.status = 'dibatalkan'), 0), COALESCE(sum(r.status = 'selesai'), 0) "           \
    "FROM trainings t "
#define TRAINING_WHERE                                                                             \
    "WHERE t.id > ?1 AND (?2 IS NULL OR t.end_date >= ?2) AND (?3 IS NULL OR t.start_date <= ?3) " \
    "GROUP BY t.id ORDER BY t.id LIMIT ?4"

struct training_walk {
    kb_rep_training_fn fn;
    void *ctx;
};

static int training_each(sqlite3_stmt *s, void *arg)
{
    struct training_walk *w = arg;
    struct kb_rep_training t;
    t.id = sqlite3_column_int64(s, 0);
    t.code = text(s, 1);
    t.title = text(s, 2);
    t.provider = text(s, 3);
    t.form = text(s, 4);
    t.status = text(s, 5);
    t.start_date = text(s, 6);
    t.end_date = text(s, 7);
    t.deadline = text(s, 8);
    t.jp = sqlite3_column_int(s, 9);
    t.quota = sqlite3_column_int(s, 10);
    t.cost = sqlite3_column_int64(s, 11);
    t.seats_free = sqlite3_column_int(s, 12);
    t.seats = sqlite3_column_int(s, 13);
    t.waiting = sqlite3_column_int(s, 14);
    for (int k = 0; k < 8; k++)
        t.by_status[k] = sqlite3_column_int(s, 15 + k);
    return w->fn(w->ctx, &t);
}

int kb_rep_trainings_page(struct kb_store *st, int64_t unit_id, const char *from, const char *to,
                          int64_t after_id, int limit, kb_rep_training_fn fn, void *ctx, int *n,
                          int64_t *last)
{
    static const char all[] =
        TRAINING_SELECT "LEFT JOIN registrations r ON r.training_id = t.id " TRAINING_WHERE;
    /* Only the unit's registrations, and only trainings that have one (an inner join). */
    static const char one_unit[] = TRAINING_SELECT
        "JOIN registrations r ON r.training_id = t.id "
        "JOIN employees e ON e.id = r.employee_id AND e.unit_id = ?5 " TRAINING_WHERE;
    sqlite3_stmt *s = kb_sql(st, unit_id ? one_unit : all);
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    kb_bind_text_or_null(s, 2, from);
    kb_bind_text_or_null(s, 3, to);
    sqlite3_bind_int(s, 4, clamp_limit(limit));
    if (unit_id)
        sqlite3_bind_int64(s, 5, unit_id);
    struct training_walk w = {fn, ctx};
    return walk(st, s, training_each, &w, n, last);
}

/* ---- a training's nominees ------------------------------------------------------------------ */

int kb_rep_training_find(struct kb_store *st, const char *code, int64_t *id)
{
    static const char sql[] = "SELECT id FROM trainings WHERE code = ?1";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        kb_store_log_error(st, "store.report", sql);
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

struct nominee_walk {
    kb_rep_nominee_fn fn;
    void *ctx;
};

static int nominee_each(sqlite3_stmt *s, void *arg)
{
    struct nominee_walk *w = arg;
    struct kb_rep_nominee r;
    int i = 1 + PERSON_NCOLS;
    r.registration_id = sqlite3_column_int64(s, 0);
    read_person(s, 1, &r.p);
    r.supervisor_nip = text(s, i++);
    r.supervisor_name = text(s, i++);
    r.status = text(s, i++);
    r.seat = sqlite3_column_int(s, i++);
    r.place = sqlite3_column_int(s, i++);
    r.created_at = sqlite3_column_int64(s, i++);
    r.decision = text(s, i++);
    r.decided_at = sqlite3_column_int64(s, i++);
    return w->fn(w->ctx, &r);
}

int kb_rep_nominees_page(struct kb_store *st, int64_t training_id, int64_t after_id, int limit,
                         kb_rep_nominee_fn fn, void *ctx, int *n, int64_t *last)
{
    /* The place on the waiting list is trainings.c's (REG_COLS): waiting registrations of the
     * training made before this one, ties by id, counting itself. The supervisor is the one
     * who decided, else the one recorded now. */
    static const char sql[] =
        "SELECT r.id, " PERSON_COLS ", COALESCE(sv.nip, ''), COALESCE(sv.name, ''), r.status, "
        "r.seat, "
        "CASE WHEN r.status = 'daftar_tunggu' THEN (SELECT count(*) FROM registrations q "
        "  WHERE q.training_id = r.training_id AND q.status = 'daftar_tunggu' "
        "    AND (q.created_at < r.created_at OR (q.created_at = r.created_at AND q.id <= r.id))) "
        "ELSE 0 END, r.created_at, COALESCE(ap.status, ''), COALESCE(ap.decided_at, 0) "
        "FROM registrations r JOIN employees e ON e.id = r.employee_id "
        "LEFT JOIN units u ON u.id = e.unit_id "
        "LEFT JOIN approvals ap ON ap.id = (SELECT max(x.id) FROM approvals x "
        "  WHERE x.kind = 'training' AND x.subject_id = r.id "
        "    AND x.status IN ('disetujui','ditolak')) "
        "LEFT JOIN employees sv ON sv.id = COALESCE(ap.decided_by, e.supervisor_id) "
        "WHERE r.training_id = ?1 AND r.id > ?2 ORDER BY r.id LIMIT ?3";
    sqlite3_stmt *s = kb_sql(st, sql);
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, training_id);
    sqlite3_bind_int64(s, 2, after_id);
    sqlite3_bind_int(s, 3, clamp_limit(limit));
    struct nominee_walk w = {fn, ctx};
    return walk(st, s, nominee_each, &w, n, last);
}

/* ---- approvals waiting ---------------------------------------------------------------------- */

#define APPROVER_SELECT                                                                            \
    "SELECT " PERSON_COLS ", e.active, l.employee_id IS NOT NULL, count(*), "                      \
    "sum(a.kind = 'rpi_plan'), sum(a.kind = 'rpi_activity'), sum(a.kind = 'training'), "           \
    "sum(a.kind = 'mentor'), sum(a.kind = 'evidence'), min(a.created_at) "                         \
    "FROM approvals a JOIN employees e ON e.id = a.approver_id "                                   \
    "LEFT JOIN units u ON u.id = e.unit_id LEFT JOIN links l ON l.employee_id = e.id "             \
    "WHERE a.status = 'menunggu' AND a.approver_id > ?1 "
#define APPROVER_TAIL "GROUP BY a.approver_id ORDER BY a.approver_id LIMIT ?2"

struct approver_walk {
    kb_rep_approver_fn fn;
    void *ctx;
};

static int approver_each(sqlite3_stmt *s, void *arg)
{
    struct approver_walk *w = arg;
    struct kb_rep_approver r;
    int i = PERSON_NCOLS;
    read_person(s, 0, &r.p);
    r.active = sqlite3_column_int(s, i++);
    r.linked = sqlite3_column_int(s, i++);
    r.waiting = sqlite3_column_int(s, i++);
    for (int k = 0; k < 5; k++)
        r.by_kind[k] = sqlite3_column_int(s, i++);
    r.oldest_at = sqlite3_column_int64(s, i++);
    return w->fn(w->ctx, &r);
}

int kb_rep_approvers_page(struct kb_store *st, int64_t unit_id, int64_t after_id, int limit,
                          kb_rep_approver_fn fn, void *ctx, int *n, int64_t *last)
{
    static const char all[] = APPROVER_SELECT APPROVER_TAIL;
    static const char one_unit[] = APPROVER_SELECT "AND e.unit_id = ?3 " APPROVER_TAIL;
    sqlite3_stmt *s = kb_sql(st, unit_id ? one_unit : all);
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int(s, 2, clamp_limit(limit));
    if (unit_id)
        sqlite3_bind_int64(s, 3, unit_id);
    struct approver_walk w = {fn, ctx};
    return walk(st, s, approver_each, &w, n, last);
}

/* ---- promotion files ------------------------------------------------------------------------ */

#define PROMOTION_SELECT                                                                           \
    "SELECT f.id, " PERSON_COLS ", f.kind, f.target_grade, f.period "                              \
    "FROM promotions f JOIN employees e ON e.id = f.employee_id "                                  \
    "LEFT JOIN units u ON u.id = e.unit_id "                                                       \
    "WHERE f.id > ?1 AND e.active = 1 AND (?2 IS NULL OR f.period BETWEEN ?2 AND ?3) "             \
    "  AND f.period = (SELECT max(g.period) FROM promotions g WHERE g.employee_id = "              \
    "f.employee_id) "
#define PROMOTION_TAIL "ORDER BY f.id LIMIT ?4"

struct promotion_walk {
    kb_rep_promotion_fn fn;
    void *ctx;
};

static int promotion_each(sqlite3_stmt *s, void *arg)
{
    struct promotion_walk *w = arg;
    struct kb_rep_promotion r;
    int i = 1 + PERSON_NCOLS;
    r.id = sqlite3_column_int64(s, 0);
    read_person(s, 1, &r.p);
    r.kind = text(s, i++);
    r.target_grade = text(s, i++);
    r.period = text(s, i++);
    return w->fn(w->ctx, &r);
}

int kb_rep_promotions_page(struct kb_store *st, int64_t unit_id, int year, int64_t after_id,
                           int limit, kb_rep_promotion_fn fn, void *ctx, int *n, int64_t *last)
{
    static const char all[] = PROMOTION_SELECT PROMOTION_TAIL;
    static const char one_unit[] = PROMOTION_SELECT "AND e.unit_id = ?5 " PROMOTION_TAIL;
    sqlite3_stmt *s = kb_sql(st, unit_id ? one_unit : all);
    *n = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    if (year > 0 && year <= 9999) {
        char from[11], to[11];
        snprintf(from, sizeof from, "%04d-01-01", year);
        snprintf(to, sizeof to, "%04d-12-31", year);
        sqlite3_bind_text(s, 2, from, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, to, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int(s, 4, clamp_limit(limit));
    if (unit_id)
        sqlite3_bind_int64(s, 5, unit_id);
    struct promotion_walk w = {fn, ctx};
    return walk(st, s, promotion_each, &w, n, last);
}
