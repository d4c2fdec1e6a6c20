/* trainings: the trainings HR opens, and the registrations for them: the open list, seats held
 * against the quota, the waiting list, and completion into the RPI (include/karirbot/trainings.h).
 * The RPI tables, the employees' units and the approvals are read here with this area's own
 * statements. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/log.h"
#include "karirbot/trainings.h"

const char kb_schema_trainings[] =
    "CREATE TABLE trainings("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  provider TEXT,"
    "  form TEXT," /* klasikal, e-learning, ... */
    "  start_date TEXT NOT NULL,"
    "  end_date TEXT NOT NULL,"
    "  jp INTEGER NOT NULL DEFAULT 0,"
    "  quota INTEGER NOT NULL,"
    "  deadline TEXT NOT NULL,"          /* last day to register */
    "  min_grade TEXT,"                  /* lowest golongan/ruang admitted, e.g. 'III/a' */
    "  cost INTEGER NOT NULL DEFAULT 0," /* rupiah per seat */
    "  competency TEXT,"
    "  status TEXT NOT NULL DEFAULT 'buka' CHECK(status IN ('buka','tutup','batal'))) STRICT;"
    "CREATE INDEX trainings_open ON trainings(status, deadline);"
    "CREATE TABLE registrations("
    "  id INTEGER PRIMARY KEY,"
    "  training_id INTEGER NOT NULL REFERENCES trainings(id),"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  reason TEXT,"
    "  activity_id INTEGER REFERENCES rpi_activities(id),"
    "  status TEXT NOT NULL DEFAULT 'diajukan' CHECK(status IN ('diajukan','disetujui',"
    "    'ditolak','diusulkan','diterima','daftar_tunggu','dibatalkan','selesai')),"
    "  seat INTEGER NOT NULL DEFAULT 0," /* 1 while it holds one of the quota's seats */
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL) STRICT;"
    /* One live registration per person and training; a cancelled or rejected one may be
     * followed by a new one. */
    "CREATE UNIQUE INDEX registrations_live ON registrations(training_id, employee_id) "
    "  WHERE status NOT IN ('dibatalkan','ditolak');"
    "CREATE INDEX registrations_employee ON registrations(employee_id, created_at);"
    "CREATE INDEX registrations_queue ON registrations(training_id, status, created_at);";

/* Column i copied into out[0..cap), cut back to a whole UTF-8 character when it is too long
 * (kb_col_copy would cut inside one). */
static void copy_text(sqlite3_stmt *s, int i, char *out, size_t cap)
{
    const char *v = (const char *)sqlite3_column_text(s, i);
    size_t n = v ? strlen(v) : 0;
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(out, v, n);
    out[n] = '\0';
}

static int step_error(struct kb_store *st, sqlite3_stmt *s, int rc)
{
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return KB_OK;
    kb_store_log_error(st, "store.trainings", sqlite3_sql(s));
    return rc == SQLITE_BUSY ? KB_BUSY : KB_ERR;
}

/* ---- trainings ------------------------------------------------------------------------------ */

#define TRAINING_COLS                                                                              \
    "t.id, t.code, t.title, t.provider, t.form, t.start_date, t.end_date, t.jp, t.quota, "         \
    "t.deadline, t.min_grade, t.cost, t.competency, t.status, "                                    \
    "(SELECT count(*) FROM registrations s WHERE s.training_id = t.id AND s.seat = 1), "           \
    "(SELECT count(*) FROM registrations w WHERE w.training_id = t.id "                            \
    "   AND w.status = 'daftar_tunggu') "                                                          \
    "FROM trainings t "

static void read_training(sqlite3_stmt *s, struct kb_training *t)
{
    t->id = sqlite3_column_int64(s, 0);
    copy_text(s, 1, t->code, sizeof t->code);
    copy_text(s, 2, t->title, sizeof t->title);
    copy_text(s, 3, t->provider, sizeof t->provider);
    copy_text(s, 4, t->form, sizeof t->form);
    copy_text(s, 5, t->start_date, sizeof t->start_date);
    copy_text(s, 6, t->end_date, sizeof t->end_date);
    t->jp = sqlite3_column_int(s, 7);
    t->quota = sqlite3_column_int(s, 8);
    copy_text(s, 9, t->deadline, sizeof t->deadline);
    copy_text(s, 10, t->min_grade, sizeof t->min_grade);
    t->cost = sqlite3_column_int64(s, 11);
    copy_text(s, 12, t->competency, sizeof t->competency);
    copy_text(s, 13, t->status, sizeof t->status);
    t->seats_held = sqlite3_column_int(s, 14);
    t->waiting = sqlite3_column_int(s, 15);
}

int kb_trainings_open_for(struct kb_store *st, int64_t employee_id, const char *today,
                          const char *admitted, struct kb_training *out, int cap, int *n)
{
    static const char sql[] =
        "SELECT " TRAINING_COLS "WHERE t.status = 'buka' AND t.deadline >= ?2 "
        "  AND (t.min_grade IS NULL OR t.min_grade = '' "
        "       OR instr(?3, '|' || t.min_grade || '|') > 0) "
        "  AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.training_id = t.id "
        "    AND r.employee_id = ?1 AND r.status NOT IN ('dibatalkan','ditolak')) "
        "ORDER BY t.start_date, t.id LIMIT ?4";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, today, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, admitted, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 4, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        read_training(s, &out[(*n)++]);
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_training_get(struct kb_store *st, int64_t id, struct kb_training *t, int *found)
{
    static const char sql[] = "SELECT " TRAINING_COLS "WHERE t.id = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_training(s, t);
        *found = 1;
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

/* ---- registrations -------------------------------------------------------------------------- */

/* Place on the waiting list: the waiting registrations of the same training made before this
 * one (ties by id), counting itself. */
#define REG_COLS                                                                                   \
    "r.id, r.training_id, r.employee_id, COALESCE(r.activity_id, 0), r.status, r.seat, "           \
    "r.created_at, r.updated_at, t.title, t.start_date, t.end_date, "                              \
    "CASE WHEN r.status = 'daftar_tunggu' THEN (SELECT count(*) FROM registrations q "             \
    "  WHERE q.training_id = r.training_id AND q.status = 'daftar_tunggu' "                        \
    "    AND (q.created_at < r.created_at OR (q.created_at = r.created_at AND q.id <= r.id))) "    \
    "ELSE 0 END, r.reason "                                                                        \
    "FROM registrations r JOIN trainings t ON t.id = r.training_id "

static void read_registration(sqlite3_stmt *s, struct kb_registration *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->training_id = sqlite3_column_int64(s, 1);
    r->employee_id = sqlite3_column_int64(s, 2);
    r->activity_id = sqlite3_column_int64(s, 3);
    copy_text(s, 4, r->status, sizeof r->status);
    r->seat = sqlite3_column_int(s, 5);
    r->created_at = sqlite3_column_int64(s, 6);
    r->updated_at = sqlite3_column_int64(s, 7);
    copy_text(s, 8, r->title, sizeof r->title);
    copy_text(s, 9, r->start_date, sizeof r->start_date);
    copy_text(s, 10, r->end_date, sizeof r->end_date);
    r->place = sqlite3_column_int(s, 11);
}

int kb_registration_live(struct kb_store *st, int64_t training_id, int64_t employee_id, int64_t *id)
{
    static const char sql[] = "SELECT id FROM registrations WHERE training_id = ?1 "
                              "AND employee_id = ?2 AND status NOT IN ('dibatalkan','ditolak')";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, training_id);
    sqlite3_bind_int64(s, 2, employee_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_registration_add(struct kb_store *st, int64_t training_id, int64_t employee_id,
                        const char *reason, int64_t activity_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO registrations(training_id, employee_id, reason, activity_id, status, seat, "
        "created_at, updated_at) VALUES(?1, ?2, ?3, ?4, 'diajukan', 0, ?5, ?5)";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, training_id);
    sqlite3_bind_int64(s, 2, employee_id);
    kb_bind_text_or_null(s, 3, reason);
    if (activity_id > 0)
        sqlite3_bind_int64(s, 4, activity_id);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_int64(s, 5, now);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int kb_registration_get(struct kb_store *st, int64_t id, struct kb_registration *r, char *reason,
                        size_t reason_cap, int *found)
{
    static const char sql[] = "SELECT " REG_COLS "WHERE r.id = ?1";
    *found = 0;
    if (reason && reason_cap)
        reason[0] = '\0';
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_registration(s, r);
        if (reason && reason_cap)
            copy_text(s, 12, reason, reason_cap);
        *found = 1;
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_registrations_of(struct kb_store *st, int64_t employee_id, struct kb_registration *out,
                        int cap, int *n)
{
    static const char sql[] = "SELECT " REG_COLS "WHERE r.employee_id = ?1 "
                              "ORDER BY r.created_at DESC, r.id DESC LIMIT ?2";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int(s, 2, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        read_registration(s, &out[(*n)++]);
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_registration_rejection(struct kb_store *st, int64_t id, char *reason, size_t cap)
{
    static const char sql[] = "SELECT reason FROM approvals WHERE kind = 'training' "
                              "AND subject_id = ?1 AND status = 'ditolak' ORDER BY id DESC LIMIT 1";
    reason[0] = '\0';
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        copy_text(s, 0, reason, cap);
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

static int update_changes(struct kb_store *st, sqlite3_stmt *s, int *changed)
{
    int rc = kb_stmt_done(st, s);
    *changed = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

int kb_registration_to_queue(struct kb_store *st, int64_t id, int64_t now, int *changed)
{
    static const char sql[] = "UPDATE registrations SET status = 'daftar_tunggu', seat = 0, "
                              "updated_at = ?2 WHERE id = ?1 AND status = 'diajukan'";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return update_changes(st, s, changed);
}

int kb_registration_reject(struct kb_store *st, int64_t id, int64_t now, int *changed)
{
    static const char sql[] = "UPDATE registrations SET status = 'ditolak', seat = 0, "
                              "updated_at = ?2 WHERE id = ?1 AND status = 'diajukan'";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return update_changes(st, s, changed);
}

int kb_registration_cancel(struct kb_store *st, int64_t id, int64_t now, int *changed,
                           int *had_seat)
{
    static const char seat_sql[] = "SELECT seat FROM registrations WHERE id = ?1";
    static const char sql[] =
        "UPDATE registrations SET status = 'dibatalkan', seat = 0, updated_at = ?2 "
        "WHERE id = ?1 AND status IN ('diajukan','disetujui','diusulkan','diterima',"
        "'daftar_tunggu')";
    *changed = 0;
    *had_seat = 0;
    sqlite3_stmt *s = kb_sql(st, seat_sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    int seat = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    if (rc != KB_OK || !(s = kb_sql(st, sql)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    rc = update_changes(st, s, changed);
    *had_seat = *changed && seat;
    return rc;
}

int kb_training_fill_seats(struct kb_store *st, int64_t training_id, int64_t now,
                           struct kb_seat_given *given, int cap, int *n)
{
    /* One seat per run: the count of seats held and the quota are read by the same statement
     * that gives the seat, so it can never give more than the quota. */
    static const char sql[] =
        "UPDATE registrations SET seat = 1, status = 'disetujui', updated_at = ?2 "
        "WHERE id = (SELECT q.id FROM registrations q WHERE q.training_id = ?1 "
        "    AND q.status = 'daftar_tunggu' ORDER BY q.created_at, q.id LIMIT 1) "
        "  AND (SELECT count(*) FROM registrations s WHERE s.training_id = ?1 AND s.seat = 1) "
        "    < (SELECT t.quota FROM trainings t WHERE t.id = ?1 AND t.status <> 'batal') "
        "RETURNING id, employee_id";
    *n = 0;
    while (*n < cap) {
        sqlite3_stmt *s = kb_sql(st, sql);
        if (!s)
            return KB_ERR;
        sqlite3_bind_int64(s, 1, training_id);
        sqlite3_bind_int64(s, 2, now);
        int rc = sqlite3_step(s), got = 0;
        if (rc == SQLITE_ROW) {
            given[*n].registration_id = sqlite3_column_int64(s, 0);
            given[*n].employee_id = sqlite3_column_int64(s, 1);
            got = 1;
            rc = sqlite3_step(s); /* one row at most: the id came from LIMIT 1 */
        }
        rc = step_error(st, s, rc);
        sqlite3_reset(s);
        if (rc != KB_OK)
            return rc;
        if (!got)
            break;
        KB_INFO("training.seat_given", "training=%lld registration=%lld", (long long)training_id,
                (long long)given[*n].registration_id);
        (*n)++;
    }
    return KB_OK;
}

/* ---- the RPI side ---------------------------------------------------------------------------- */

/* The employee's activities in the plan of the year that a registration may name: open, not
 * rejected, not named by another live registration of theirs (the employee's index keeps the
 * check to their own rows). */
#define RPI_OPTION_WHERE                                                                           \
    "FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "                                  \
    "WHERE p.employee_id = ?1 AND p.year = ?2 AND a.status IN ('rencana','berjalan') "             \
    "  AND a.approval <> 'ditolak' "                                                               \
    "  AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.employee_id = ?1 "                    \
    "    AND r.activity_id = a.id AND r.status NOT IN ('dibatalkan','ditolak')) "

int kb_training_rpi_options(struct kb_store *st, int64_t employee_id, int year,
                            struct kb_rpi_option *out, int cap, int *n)
{
    static const char sql[] = "SELECT a.id, a.title, a.target_date " RPI_OPTION_WHERE
                              "ORDER BY a.target_date, a.id LIMIT ?3";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int(s, 3, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_rpi_option *o = &out[(*n)++];
        o->id = sqlite3_column_int64(s, 0);
        copy_text(s, 1, o->title, sizeof o->title);
        copy_text(s, 2, o->target_date, sizeof o->target_date);
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_training_rpi_option(struct kb_store *st, int64_t employee_id, int year, int64_t activity_id,
                           struct kb_rpi_option *o, int *found)
{
    static const char sql[] =
        "SELECT a.id, a.title, a.target_date " RPI_OPTION_WHERE "AND a.id = ?3";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int64(s, 3, activity_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        o->id = sqlite3_column_int64(s, 0);
        copy_text(s, 1, o->title, sizeof o->title);
        copy_text(s, 2, o->target_date, sizeof o->target_date);
        *found = 1;
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_training_activity_title(struct kb_store *st, int64_t employee_id, int64_t activity_id,
                               char *title, size_t cap)
{
    static const char sql[] = "SELECT a.title FROM rpi_activities a "
                              "JOIN rpi_plans p ON p.id = a.plan_id "
                              "WHERE a.id = ?1 AND p.employee_id = ?2";
    title[0] = '\0';
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, activity_id);
    sqlite3_bind_int64(s, 2, employee_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        copy_text(s, 0, title, cap);
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

/* ---- completion ----------------------------------------------------------------------------- */

/* What completion needs of a registration and its training. */
struct completion {
    int64_t employee_id, activity_id;
    char status[16];
    int seat;
    int jp;
    char end_date[11];
    char activity_status[12]; /* of the linked activity when it is the employee's, else "" */
};

static int completion_load(struct kb_store *st, int64_t id, struct completion *c, int *found)
{
    static const char sql[] =
        "SELECT r.employee_id, COALESCE(r.activity_id, 0), r.status, r.seat, t.jp, t.end_date, "
        "  (SELECT a.status FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
        "    WHERE a.id = r.activity_id AND p.employee_id = r.employee_id) "
        "FROM registrations r JOIN trainings t ON t.id = r.training_id WHERE r.id = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        c->employee_id = sqlite3_column_int64(s, 0);
        c->activity_id = sqlite3_column_int64(s, 1);
        copy_text(s, 2, c->status, sizeof c->status);
        c->seat = sqlite3_column_int(s, 3);
        c->jp = sqlite3_column_int(s, 4);
        copy_text(s, 5, c->end_date, sizeof c->end_date);
        copy_text(s, 6, c->activity_status, sizeof c->activity_status);
        *found = 1;
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

static int complete_steps(struct kb_store *st, int64_t id, int64_t now)
{
    static const char done_sql[] = "UPDATE registrations SET status = 'selesai', updated_at = ?2 "
                                   "WHERE id = ?1";
    static const char linked_sql[] =
        "UPDATE rpi_activities SET status = 'selesai', done_on = ?2, jp_planned = ?3, "
        "updated_at = ?4 WHERE id = ?1";
    static const char exists_sql[] =
        "SELECT count(*) FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
        "WHERE p.employee_id = ?1 AND a.source = 'training' AND a.source_id = ?2";
    static const char plan_sql[] =
        "INSERT INTO rpi_plans(employee_id, year, status) VALUES(?1, ?2, 'draf') "
        "ON CONFLICT(employee_id, year) DO NOTHING";
    static const char add_sql[] =
        "INSERT INTO rpi_activities(plan_id, form, title, competency, target_date, jp_planned, "
        "  jp_recognised, status, approval, done_on, source, source_id, created_at, updated_at) "
        "SELECT p.id, CASE lower(t.form) WHEN 'e-learning' THEN 'e_learning' "
        "    WHEN 'e_learning' THEN 'e_learning' ELSE 'pelatihan' END, "
        "  t.title, t.competency, t.end_date, t.jp, 0, 'selesai', 'disetujui', t.end_date, "
        "  'training', r.id, ?3, ?3 "
        "FROM registrations r JOIN trainings t ON t.id = r.training_id "
        "JOIN rpi_plans p ON p.employee_id = r.employee_id AND p.year = ?2 WHERE r.id = ?1";

    struct completion c;
    int found = 0;
    int rc = completion_load(st, id, &c, &found);
    if (rc != KB_OK)
        return rc;
    if (!found)
        return KB_TRAINING_NO_SUCH;
    if (!strcmp(c.status, "selesai"))
        return KB_TRAINING_ALREADY_DONE;
    if (!c.seat || (strcmp(c.status, "disetujui") && strcmp(c.status, "diusulkan") &&
                    strcmp(c.status, "diterima")))
        return KB_TRAINING_NOT_SEATED;
    int year = 0;
    if (sscanf(c.end_date, "%4d", &year) != 1 || year < 1)
        return KB_ERR;

    sqlite3_stmt *s = kb_sql(st, done_sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    if ((rc = kb_stmt_done(st, s)) != KB_OK)
        return rc;

    /* The activity the employee linked, while it is open: the training fulfils it. A linked
     * activity already marked selesai counts already; a cancelled or foreign one does not. */
    const char *as = c.activity_status;
    if (c.activity_id && !strcmp(as, "selesai"))
        return KB_OK;
    if (c.activity_id &&
        (!strcmp(as, "rencana") || !strcmp(as, "berjalan") || !strcmp(as, "ditunda"))) {
        if (!(s = kb_sql(st, linked_sql)))
            return KB_ERR;
        sqlite3_bind_int64(s, 1, c.activity_id);
        sqlite3_bind_text(s, 2, c.end_date, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 3, c.jp);
        sqlite3_bind_int64(s, 4, now);
        return kb_stmt_done(st, s);
    }

    /* A new activity, once: a registration never gives two. */
    if (!(s = kb_sql(st, exists_sql)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, c.employee_id);
    sqlite3_bind_int64(s, 2, id);
    int step = sqlite3_step(s);
    int exists = step == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    rc = step_error(st, s, step);
    sqlite3_reset(s);
    if (rc != KB_OK || exists)
        return rc;
    if (!(s = kb_sql(st, plan_sql)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, c.employee_id);
    sqlite3_bind_int(s, 2, year);
    if ((rc = kb_stmt_done(st, s)) != KB_OK)
        return rc;
    if (!(s = kb_sql(st, add_sql)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int64(s, 3, now);
    int changed = 0;
    if ((rc = update_changes(st, s, &changed)) != KB_OK)
        return rc;
    return changed == 1 ? KB_OK : KB_ERR;
}

int kb_training_complete(struct kb_store *st, int64_t registration_id, int64_t now)
{
    int rc = kb_store_savepoint(st);
    if (rc != KB_OK)
        return rc;
    rc = complete_steps(st, registration_id, now);
    if (rc < 0) {
        kb_store_rollback_savepoint(st);
        return rc;
    }
    if (kb_store_release(st) != KB_OK)
        return KB_ERR;
    KB_INFO("training.complete", "registration=%lld result=%d", (long long)registration_id, rc);
    return rc;
}
