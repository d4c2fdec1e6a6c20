/* import: the SQL of HR's spreadsheet import and of invite's selections
 * (include/karirbot/import_store.h), and the columns the import added to the people tables.
 * The RPI import writes the RPI tables (store/rpi.c) directly, in its own transaction. */
#include "karirbot/import_store.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/log.h"

/* The optional employee columns of the import contract, and staff who left.
 * - part_time: jenis_asn "PPPK paruh waktu" is stored as asn_kind 'PPPK' with part_time 1: every
 *   rule karirbot knows treats a part-time PPPK as a PPPK (the JP ceiling, no kenaikan
 *   pangkat), so the flows keep reading asn_kind, and widening asn_kind's CHECK would mean
 *   rebuilding a table that others reference.
 * - active 0: the employee no longer has access (retired, moved away); their records stay.
 * - units.code: kode_unit, the unit's code in the agency's own systems (unique when given). */
const char kb_schema_import[] =
    "ALTER TABLE employees ADD COLUMN part_time INTEGER NOT NULL DEFAULT 0"
    "  CHECK(part_time IN (0,1));"
    "ALTER TABLE employees ADD COLUMN gender TEXT CHECK(gender IN ('L','P'));"
    "ALTER TABLE employees ADD COLUMN birth_date TEXT;"        /* YYYY-MM-DD */
    "ALTER TABLE employees ADD COLUMN retirement_age INTEGER;" /* BUP, in years */
    "ALTER TABLE employees ADD COLUMN jf_level TEXT;"          /* jenjang JF: ahli_muda, ... */
    "ALTER TABLE employees ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK(active IN (0,1));"
    "CREATE INDEX employees_inactive ON employees(id) WHERE active = 0;"
    "ALTER TABLE units ADD COLUMN code TEXT;"
    "CREATE UNIQUE INDEX units_code ON units(code) WHERE code IS NOT NULL;";

/* The approval kinds a supervisor decides: every kind but a mentor's answer. */
#define SUPERVISOR_KIND "kind <> 'mentor'"

static int step_end(struct kb_store *st, sqlite3_stmt *s, int rc)
{
    sqlite3_reset(s);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return KB_OK;
    kb_store_log_error(st, "store.import", sqlite3_sql(s));
    return rc == SQLITE_BUSY ? KB_BUSY : KB_ERR;
}

/* Binds text, or NULL for NULL or "". The text is not copied (SQLITE_STATIC): every write
 * here steps and resets its statement before returning, while the caller's strings live. An
 * import binds a million strings; copying each was a tenth of its time. */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static int id_nip_page(struct kb_store *st, sqlite3_stmt *s, int64_t *ids, char (*nips)[24],
                       int cap, int *n);

/* ---- units ---------------------------------------------------------------------------------- */

static int unit_get(struct kb_store *st, const char *sql, const char *key, struct kb_imp_unit *u,
                    int *found)
{
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        u->id = sqlite3_column_int64(s, 0);
        kb_col_copy(s, 1, u->name, sizeof u->name);
        kb_col_copy(s, 2, u->code, sizeof u->code);
        kb_col_copy(s, 3, u->zone, sizeof u->zone);
        *found = 1;
    }
    return step_end(st, s, rc);
}

int kb_imp_unit_by_name(struct kb_store *st, const char *name, struct kb_imp_unit *u, int *found)
{
    static const char sql[] = "SELECT id, name, code, zone FROM units WHERE name = ?1";
    return unit_get(st, sql, name, u, found);
}

int kb_imp_unit_by_code(struct kb_store *st, const char *code, struct kb_imp_unit *u, int *found)
{
    static const char sql[] = "SELECT id, name, code, zone FROM units WHERE code = ?1";
    return unit_get(st, sql, code, u, found);
}

int kb_imp_unit_add(struct kb_store *st, const char *name, const char *code, const char *zone,
                    int64_t *id)
{
    static const char sql[] = "INSERT INTO units(name, code, zone) VALUES(?1, ?2, ?3)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    bind_text(s, 2, code);
    sqlite3_bind_text(s, 3, zone && *zone ? zone : "WIB", -1, SQLITE_STATIC);
    int rc = kb_stmt_done(st, s);
    *id = rc == KB_OK ? sqlite3_last_insert_rowid(st->db) : 0;
    return rc;
}

int kb_imp_unit_update(struct kb_store *st, int64_t id, const char *name, const char *code)
{
    static const char sql[] = "UPDATE units SET name = ?2, code = COALESCE(?3, code) WHERE id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    bind_text(s, 3, code);
    return kb_stmt_done(st, s);
}

/* ---- employees ------------------------------------------------------------------------------ */

#define EMPLOYEE_COLS                                                                              \
    "SELECT e.id, e.nip, e.name, e.asn_kind, e.part_time, e.grade, e.tmt_grade, e.education,"      \
    " e.position, e.position_kind, COALESCE(e.unit_id, 0), COALESCE(e.supervisor_id, 0),"          \
    " e.zone, e.perf_last, e.perf_prev, e.credit_points, e.stlud, e.gender, e.birth_date,"         \
    " COALESCE(e.retirement_age, 0), e.jf_level, e.active,"                                        \
    " EXISTS(SELECT 1 FROM links l WHERE l.employee_id = e.id) FROM employees e "

/* Text of column i into out (cap bytes): the import reads every column of every row, so
 * without kb_col_copy's snprintf. */
static void col_text(sqlite3_stmt *s, int i, char *out, size_t cap)
{
    const char *v = (const char *)sqlite3_column_text(s, i);
    size_t n = v ? (size_t)sqlite3_column_bytes(s, i) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(out, v, n);
    out[n] = '\0';
}

static int read_employee(struct kb_store *st, sqlite3_stmt *s, struct kb_imp_employee_row *r,
                         int *found)
{
    *found = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        r->id = sqlite3_column_int64(s, 0);
        col_text(s, 1, r->nip, sizeof r->nip);
        col_text(s, 2, r->name, sizeof r->name);
        col_text(s, 3, r->asn_kind, sizeof r->asn_kind);
        r->part_time = sqlite3_column_int(s, 4);
        col_text(s, 5, r->grade, sizeof r->grade);
        col_text(s, 6, r->tmt_grade, sizeof r->tmt_grade);
        col_text(s, 7, r->education, sizeof r->education);
        col_text(s, 8, r->position, sizeof r->position);
        col_text(s, 9, r->position_kind, sizeof r->position_kind);
        r->unit_id = sqlite3_column_int64(s, 10);
        r->supervisor_id = sqlite3_column_int64(s, 11);
        col_text(s, 12, r->zone, sizeof r->zone);
        col_text(s, 13, r->perf_last, sizeof r->perf_last);
        col_text(s, 14, r->perf_prev, sizeof r->perf_prev);
        r->has_credit_points = sqlite3_column_type(s, 15) != SQLITE_NULL;
        r->credit_points = r->has_credit_points ? sqlite3_column_double(s, 15) : 0;
        r->stlud = sqlite3_column_type(s, 16) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 16);
        col_text(s, 17, r->gender, sizeof r->gender);
        col_text(s, 18, r->birth_date, sizeof r->birth_date);
        r->retirement_age = sqlite3_column_int(s, 19);
        col_text(s, 20, r->jf_level, sizeof r->jf_level);
        r->active = sqlite3_column_int(s, 21);
        r->linked = sqlite3_column_int(s, 22);
        *found = 1;
    }
    return step_end(st, s, rc);
}

int kb_imp_employee_get(struct kb_store *st, const char *nip, struct kb_imp_employee_row *r,
                        int *found)
{
    static const char sql[] = EMPLOYEE_COLS "WHERE e.nip = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, nip, -1, SQLITE_STATIC);
    return read_employee(st, s, r, found);
}

int kb_imp_employee_by_id(struct kb_store *st, int64_t id, struct kb_imp_employee_row *r,
                          int *found)
{
    static const char sql[] = EMPLOYEE_COLS "WHERE e.id = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    return read_employee(st, s, r, found);
}

int kb_imp_employee_page(struct kb_store *st, int64_t after_id, int64_t *ids, char (*nips)[24],
                         int cap, int *n)
{
    static const char sql[] = "SELECT id, nip FROM employees WHERE id > ?1 ORDER BY id LIMIT ?2";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int(s, 2, cap < KB_IMP_PAGE_MAX ? cap : KB_IMP_PAGE_MAX);
    return id_nip_page(st, s, ids, nips, cap, n);
}

/* Binds ?2.. of the insert and the update alike: every column of e but the NIP. */
static void bind_employee(sqlite3_stmt *s, const struct kb_imp_employee *e, int64_t now)
{
    bind_text(s, 2, e->name);
    bind_text(s, 3, e->asn_kind);
    sqlite3_bind_int(s, 4, e->part_time);
    bind_text(s, 5, e->grade);
    bind_text(s, 6, e->tmt_grade);
    bind_text(s, 7, e->education);
    bind_text(s, 8, e->position);
    bind_text(s, 9, e->position_kind);
    if (e->unit_id)
        sqlite3_bind_int64(s, 10, e->unit_id);
    else
        sqlite3_bind_null(s, 10);
    bind_text(s, 11, e->zone);
    bind_text(s, 12, e->perf_last);
    bind_text(s, 13, e->perf_prev);
    if (e->has_credit_points)
        sqlite3_bind_double(s, 14, e->credit_points);
    else
        sqlite3_bind_null(s, 14);
    if (e->stlud >= 0)
        sqlite3_bind_int(s, 15, e->stlud);
    else
        sqlite3_bind_null(s, 15);
    bind_text(s, 16, e->gender);
    bind_text(s, 17, e->birth_date);
    if (e->retirement_age > 0)
        sqlite3_bind_int(s, 18, e->retirement_age);
    else
        sqlite3_bind_null(s, 18);
    bind_text(s, 19, e->jf_level);
    sqlite3_bind_int(s, 20, e->active ? 1 : 0);
    sqlite3_bind_int64(s, 21, now);
    if (e->supervisor_id)
        sqlite3_bind_int64(s, 22, e->supervisor_id);
    else
        sqlite3_bind_null(s, 22);
}

int kb_imp_employee_insert(struct kb_store *st, const struct kb_imp_employee *e, int64_t now,
                           int64_t *id)
{
    static const char sql[] =
        "INSERT INTO employees(nip, name, asn_kind, part_time, grade, tmt_grade, education,"
        " position, position_kind, unit_id, zone, perf_last, perf_prev, credit_points, stlud,"
        " gender, birth_date, retirement_age, jf_level, active, updated_at, supervisor_id) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?21, ?22)";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, e->nip, -1, SQLITE_STATIC);
    bind_employee(s, e, now);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int kb_imp_employee_update(struct kb_store *st, int64_t id, const struct kb_imp_employee *e,
                           int64_t now)
{
    static const char sql[] =
        "UPDATE employees SET name = ?2, asn_kind = ?3, part_time = ?4, grade = ?5,"
        " tmt_grade = ?6, education = ?7, position = ?8, position_kind = ?9, unit_id = ?10,"
        " zone = ?11, perf_last = ?12, perf_prev = ?13, credit_points = ?14, stlud = ?15,"
        " gender = ?16, birth_date = ?17, retirement_age = ?18, jf_level = ?19, active = ?20,"
        " updated_at = ?21, supervisor_id = ?22 WHERE id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    bind_employee(s, e, now);
    return kb_stmt_done(st, s);
}

/* Stored text (never NULL, "" for NULL) against a value to write (NULL or "" for NULL). */
static int same_text(const char *stored, const char *v)
{
    return !strcmp(stored, v ? v : "");
}

int kb_imp_employee_same(const struct kb_imp_employee_row *r, const struct kb_imp_employee *e)
{
    return same_text(r->name, e->name) && same_text(r->asn_kind, e->asn_kind) &&
           r->part_time == e->part_time && same_text(r->grade, e->grade) &&
           same_text(r->tmt_grade, e->tmt_grade) && same_text(r->education, e->education) &&
           same_text(r->position, e->position) && same_text(r->position_kind, e->position_kind) &&
           r->unit_id == e->unit_id && same_text(r->zone, e->zone) &&
           same_text(r->perf_last, e->perf_last) && same_text(r->perf_prev, e->perf_prev) &&
           r->has_credit_points == e->has_credit_points &&
           (!r->has_credit_points || r->credit_points == e->credit_points) &&
           r->stlud == e->stlud && same_text(r->gender, e->gender) &&
           same_text(r->birth_date, e->birth_date) && r->retirement_age == e->retirement_age &&
           same_text(r->jf_level, e->jf_level) && r->active == (e->active ? 1 : 0) &&
           r->supervisor_id == e->supervisor_id;
}

int kb_imp_approvals_reroute(struct kb_store *st, int64_t employee_id, int64_t old_approver,
                             int64_t new_approver, int *moved)
{
    static const char sql[] =
        "UPDATE approvals SET approver_id = ?3 WHERE requester_id = ?1 AND approver_id = ?2"
        " AND status = 'menunggu' AND " SUPERVISOR_KIND;
    *moved = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int64(s, 2, old_approver);
    sqlite3_bind_int64(s, 3, new_approver);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *moved = sqlite3_changes(st->db);
    return rc;
}

int kb_imp_approvals_waiting(struct kb_store *st, int64_t employee_id, int64_t approver, int *n)
{
    static const char sql[] =
        "SELECT count(*) FROM approvals WHERE requester_id = ?1 AND approver_id = ?2"
        " AND status = 'menunggu' AND " SUPERVISOR_KIND;
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int64(s, 2, approver);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int(s, 0);
    return step_end(st, s, rc);
}

int kb_imp_approvals_waiting_on_inactive(struct kb_store *st, int64_t *n)
{
    /* The inactive are few and indexed (employees_inactive); approvals_waiting finds each
     * one's waiting requests. */
    static const char sql[] =
        "SELECT count(*) FROM employees e JOIN approvals a ON a.approver_id = e.id"
        " AND a.status = 'menunggu' WHERE e.active = 0";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    return step_end(st, s, rc);
}

int kb_imp_employee_remove_access(struct kb_store *st, int64_t id, int64_t now, int *unlinked)
{
    static const char inactive[] =
        "UPDATE employees SET active = 0, updated_at = ?2 WHERE id = ?1 AND active = 1";
    static const char unlink_sql[] = "DELETE FROM links WHERE employee_id = ?1";
    static const char revoke[] =
        "UPDATE activation_codes SET revoked_at = ?2 "
        "WHERE employee_id = ?1 AND used_at IS NULL AND revoked_at IS NULL";
    const char *const sqls[] = {inactive, unlink_sql, revoke};
    *unlinked = 0;
    for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
        sqlite3_stmt *s = kb_sql(st, sqls[i]);
        if (!s)
            return KB_ERR;
        sqlite3_bind_int64(s, 1, id);
        if (sqls[i] != unlink_sql)
            sqlite3_bind_int64(s, 2, now);
        int rc = kb_stmt_done(st, s);
        if (rc != KB_OK)
            return rc;
        if (sqls[i] == unlink_sql)
            *unlinked = sqlite3_changes(st->db) > 0;
    }
    return KB_OK;
}

static int id_nip_page(struct kb_store *st, sqlite3_stmt *s, int64_t *ids, char (*nips)[24],
                       int cap, int *n)
{
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        ids[*n] = sqlite3_column_int64(s, 0);
        kb_col_copy(s, 1, nips[*n], 24);
        (*n)++;
    }
    return step_end(st, s, rc);
}

int kb_imp_active_page(struct kb_store *st, int64_t after_id, int64_t *ids, char (*nips)[24],
                       int cap, int *n)
{
    static const char sql[] =
        "SELECT id, nip FROM employees WHERE id > ?1 AND active = 1 ORDER BY id LIMIT ?2";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int(s, 2, cap < KB_IMP_PAGE_MAX ? cap : KB_IMP_PAGE_MAX);
    return id_nip_page(st, s, ids, nips, cap, n);
}

int kb_imp_active_count(struct kb_store *st, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM employees WHERE active = 1";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    return step_end(st, s, rc);
}

/* ---- trainings ------------------------------------------------------------------------------ */

int kb_imp_training_get(struct kb_store *st, const char *code, struct kb_imp_training_row *r,
                        int *found)
{
    static const char sql[] =
        "SELECT t.id, t.title, t.provider, t.form, t.start_date, t.end_date, t.jp, t.quota,"
        " t.deadline, t.min_grade, t.cost,"
        " (SELECT count(*) FROM registrations s WHERE s.training_id = t.id AND s.seat = 1) "
        "FROM trainings t WHERE t.code = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        r->id = sqlite3_column_int64(s, 0);
        kb_col_copy(s, 1, r->title, sizeof r->title);
        kb_col_copy(s, 2, r->provider, sizeof r->provider);
        kb_col_copy(s, 3, r->form, sizeof r->form);
        kb_col_copy(s, 4, r->start_date, sizeof r->start_date);
        kb_col_copy(s, 5, r->end_date, sizeof r->end_date);
        r->jp = sqlite3_column_int(s, 6);
        r->quota = sqlite3_column_int(s, 7);
        kb_col_copy(s, 8, r->deadline, sizeof r->deadline);
        kb_col_copy(s, 9, r->min_grade, sizeof r->min_grade);
        r->cost = sqlite3_column_int64(s, 10);
        r->seats_held = sqlite3_column_int(s, 11);
        *found = 1;
    }
    return step_end(st, s, rc);
}

int kb_imp_training_same(const struct kb_imp_training_row *r, const struct kb_imp_training *t)
{
    return same_text(r->title, t->title) && same_text(r->provider, t->provider) &&
           same_text(r->form, t->form) && same_text(r->start_date, t->start_date) &&
           same_text(r->end_date, t->end_date) && r->jp == t->jp && r->quota == t->quota &&
           same_text(r->deadline, t->deadline) && same_text(r->min_grade, t->min_grade) &&
           r->cost == t->cost;
}

int kb_imp_training_put(struct kb_store *st, const struct kb_imp_training *t)
{
    static const char sql[] =
        "INSERT INTO trainings(code, title, provider, form, start_date, end_date, jp, quota,"
        " deadline, min_grade, cost) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT(code) DO UPDATE SET title = excluded.title, provider = excluded.provider,"
        " form = excluded.form, start_date = excluded.start_date, end_date = excluded.end_date,"
        " jp = excluded.jp, quota = excluded.quota, deadline = excluded.deadline,"
        " min_grade = excluded.min_grade, cost = excluded.cost";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, t->code, -1, SQLITE_STATIC);
    bind_text(s, 2, t->title);
    bind_text(s, 3, t->provider);
    bind_text(s, 4, t->form);
    bind_text(s, 5, t->start_date);
    bind_text(s, 6, t->end_date);
    sqlite3_bind_int(s, 7, t->jp);
    sqlite3_bind_int(s, 8, t->quota);
    bind_text(s, 9, t->deadline);
    bind_text(s, 10, t->min_grade);
    sqlite3_bind_int64(s, 11, t->cost);
    return kb_stmt_done(st, s);
}

/* ---- mentors -------------------------------------------------------------------------------- */

int kb_imp_mentor_get(struct kb_store *st, int64_t employee_id, char *areas, size_t cap,
                      int *capacity, int *active_pairs, int *found)
{
    static const char sql[] =
        "SELECT m.areas, m.capacity,"
        " (SELECT count(*) FROM mentor_requests r WHERE r.mentor_id = m.employee_id"
        "   AND r.kind = 'mentoring' AND r.status IN ('diterima','berjalan')) "
        "FROM mentors m WHERE m.employee_id = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        kb_col_copy(s, 0, areas, cap);
        *capacity = sqlite3_column_int(s, 1);
        *active_pairs = sqlite3_column_int(s, 2);
        *found = 1;
    }
    return step_end(st, s, rc);
}

int kb_imp_mentor_put(struct kb_store *st, int64_t employee_id, const char *areas, int capacity)
{
    static const char sql[] =
        "INSERT INTO mentors(employee_id, areas, capacity) VALUES(?1, ?2, ?3) "
        "ON CONFLICT(employee_id) DO UPDATE SET areas = excluded.areas,"
        " capacity = excluded.capacity";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, areas, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, capacity);
    return kb_stmt_done(st, s);
}

/* ---- promotions ----------------------------------------------------------------------------- */

int kb_imp_promotion_get(struct kb_store *st, int64_t employee_id, const char *period, int64_t *id,
                         char kind[16], char grade[8])
{
    static const char sql[] =
        "SELECT id, kind, target_grade FROM promotions WHERE employee_id = ?1 AND period = ?2";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, period, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        kb_col_copy(s, 1, kind, 16);
        kb_col_copy(s, 2, grade, 8);
    }
    return step_end(st, s, rc);
}

int kb_imp_stage_get(struct kb_store *st, int64_t promotion_id, const char *stage,
                     char reached_on[11], char *note, size_t cap, int *found)
{
    static const char sql[] = "SELECT reached_on, note FROM promotion_stages "
                              "WHERE promotion_id = ?1 AND stage = ?2";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, promotion_id);
    sqlite3_bind_text(s, 2, stage, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        kb_col_copy(s, 0, reached_on, 11);
        kb_col_copy(s, 1, note, cap);
        *found = 1;
    }
    return step_end(st, s, rc);
}

/* ---- RPI ----------------------------------------------------------------------------------- */

/* The times of the steps a plan of status ?2 has been through: set (to ?3) when missing, kept
 * when there, cleared for the steps it has not reached. */
#define SUBMITTED(col)                                                                             \
    "CASE WHEN ?2 IN ('diajukan','revisi','disetujui','ditetapkan') THEN COALESCE(" col ", ?3) "   \
    "END"
#define APPROVED(col) "CASE WHEN ?2 IN ('disetujui','ditetapkan') THEN COALESCE(" col ", ?3) END"
#define SET(col)      "CASE WHEN ?2 = 'ditetapkan' THEN COALESCE(" col ", ?3) END"
#define PLAN_TIMES                                                                                 \
    "submitted_at = " SUBMITTED("submitted_at") ", approved_at = " APPROVED(                       \
        "approved_at") ", set_at = " SET("set_at")

int kb_imp_rpi_employee(struct kb_store *st, const char *nip, int64_t *id, char name[128],
                        int *active, int *found)
{
    static const char sql[] = "SELECT id, name, active FROM employees WHERE nip = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, nip, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        col_text(s, 1, name, 128);
        *active = sqlite3_column_int(s, 2);
        *found = 1;
    }
    return step_end(st, s, rc);
}

int kb_imp_rpi_plan_add(struct kb_store *st, int64_t employee_id, int year, const char *status,
                        int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO rpi_plans(employee_id, status, submitted_at, approved_at, set_at, year) "
        "VALUES(?1, ?2, " SUBMITTED("NULL") ", " APPROVED("NULL") ", " SET("NULL") ", ?4)";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int(s, 4, year);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int kb_imp_rpi_plan_set_status(struct kb_store *st, int64_t plan_id, const char *status,
                               int64_t now)
{
    static const char sql[] = "UPDATE rpi_plans SET status = ?2, " PLAN_TIMES " WHERE id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    return kb_stmt_done(st, s);
}

int kb_imp_rpi_activities(struct kb_store *st, int64_t plan_id, struct kb_imp_rpi_act *out, int cap,
                          int *total)
{
    static const char sql[] =
        "SELECT id, title, form, competency, target_date, status, approval, done_on, jp_planned,"
        " verified_at IS NOT NULL FROM rpi_activities WHERE plan_id = ?1 ORDER BY id";
    *total = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*total < cap) {
            struct kb_imp_rpi_act *a = &out[*total];
            a->id = sqlite3_column_int64(s, 0);
            col_text(s, 1, a->title, sizeof a->title);
            col_text(s, 2, a->form, sizeof a->form);
            col_text(s, 3, a->competency, sizeof a->competency);
            col_text(s, 4, a->target_date, sizeof a->target_date);
            col_text(s, 5, a->status, sizeof a->status);
            col_text(s, 6, a->approval, sizeof a->approval);
            col_text(s, 7, a->done_on, sizeof a->done_on);
            a->jp_planned = sqlite3_column_int(s, 8);
            a->verified = sqlite3_column_int(s, 9);
        }
        (*total)++;
    }
    return step_end(st, s, rc);
}

/* Binds ?2..?9 of the insert and the update alike; ?10 is now. */
static void bind_rpi_activity(sqlite3_stmt *s, const struct kb_imp_rpi_activity *a, int64_t now)
{
    int done = a->status && !strcmp(a->status, "selesai");
    bind_text(s, 2, a->form);
    bind_text(s, 3, a->title);
    bind_text(s, 4, a->competency);
    bind_text(s, 5, a->target_date);
    sqlite3_bind_int(s, 6, a->jp);
    bind_text(s, 7, a->status);
    bind_text(s, 8, a->approval);
    bind_text(s, 9, done ? a->done_on : NULL);
    sqlite3_bind_int64(s, 10, now);
}

int kb_imp_rpi_activity_add(struct kb_store *st, int64_t plan_id,
                            const struct kb_imp_rpi_activity *a, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO rpi_activities(plan_id, form, title, competency, target_date, jp_planned,"
        " status, approval, done_on, jp_recognised, verified_at, created_at, updated_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE WHEN ?7 = 'selesai' THEN ?6 ELSE 0 END,"
        " CASE WHEN ?7 = 'selesai' THEN ?10 END, ?10, ?10)";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan_id);
    bind_rpi_activity(s, a, now);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int kb_imp_rpi_activity_update(struct kb_store *st, int64_t id, const struct kb_imp_rpi_activity *a,
                               int64_t now)
{
    static const char sql[] =
        "UPDATE rpi_activities SET form = ?2, title = ?3, competency = ?4, target_date = ?5,"
        " jp_planned = ?6, status = ?7, approval = ?8, done_on = ?9,"
        " jp_recognised = CASE WHEN ?7 = 'selesai' THEN ?6 ELSE 0 END,"
        " verified_at = CASE WHEN ?7 = 'selesai' THEN ?10 END, verified_by = NULL,"
        " updated_at = ?10 WHERE id = ?1 AND status <> 'selesai'";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    bind_rpi_activity(s, a, now);
    return kb_stmt_done(st, s);
}

/* ---- invite selections ---------------------------------------------------------------------- */

int kb_imp_invite_page(struct kb_store *st, int64_t unit_id, int unlinked, int64_t after_id,
                       int64_t *ids, char (*nips)[24], int cap, int *n)
{
    static const char sql[] =
        "SELECT e.id, e.nip FROM employees e WHERE e.id > ?1 AND e.active = 1"
        " AND (?2 = 0 OR e.unit_id = ?2)"
        " AND (?3 = 0 OR NOT EXISTS(SELECT 1 FROM links l WHERE l.employee_id = e.id)) "
        "ORDER BY e.id LIMIT ?4";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int64(s, 2, unit_id);
    sqlite3_bind_int(s, 3, unlinked ? 1 : 0);
    sqlite3_bind_int(s, 4, cap < KB_IMP_PAGE_MAX ? cap : KB_IMP_PAGE_MAX);
    return id_nip_page(st, s, ids, nips, cap, n);
}

int kb_imp_linked_count(struct kb_store *st, int64_t unit_id, int64_t *n)
{
    static const char sql[] =
        "SELECT count(*) FROM employees e JOIN links l ON l.employee_id = e.id"
        " WHERE e.active = 1 AND (?1 = 0 OR e.unit_id = ?1)";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, unit_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    return step_end(st, s, rc);
}

int kb_imp_employee_active(struct kb_store *st, const char *nip, int *active)
{
    static const char sql[] = "SELECT active FROM employees WHERE nip = ?1";
    *active = -1;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, nip, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *active = sqlite3_column_int(s, 0);
    return step_end(st, s, rc);
}
