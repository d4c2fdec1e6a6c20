/* hr: the SQL of HR's workflow commands — registrations moved on by HR, plans established and
 * started, requests re-routed, Plt/Plh delegations, and the holiday calendar
 * (include/karirbot/hr_store.h). The tables of other areas (registrations, trainings, plans,
 * approvals) are read and changed here with this area's own statements, each conditional on
 * the state it leaves. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/hr_store.h"
#include "karirbot/log.h"

const char kb_schema_hr[] =
    /* Plt/Plh: while a delegation is active, requests addressed to the principal go to the
     * delegate (kb_delegation_resolve). Dates are calendar dates, both days included. */
    "CREATE TABLE delegations("
    "  id INTEGER PRIMARY KEY,"
    "  principal_id INTEGER NOT NULL REFERENCES employees(id),"
    "  delegate_id INTEGER NOT NULL REFERENCES employees(id),"
    "  from_date TEXT NOT NULL,"
    "  to_date TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  cancelled_at INTEGER,"
    "  CHECK(principal_id <> delegate_id),"
    "  CHECK(from_date <= to_date)) STRICT;"
    "CREATE INDEX delegations_principal ON delegations(principal_id, to_date) "
    "  WHERE cancelled_at IS NULL;"
    /* Every time HR (or a delegation, for requests already waiting) gave a request to another
     * approver: who had it, who has it, when. */
    "CREATE TABLE approval_routes("
    "  id INTEGER PRIMARY KEY,"
    "  approval_id INTEGER NOT NULL REFERENCES approvals(id),"
    "  from_id INTEGER NOT NULL REFERENCES employees(id),"
    "  to_id INTEGER NOT NULL REFERENCES employees(id),"
    "  delegation_id INTEGER REFERENCES delegations(id),"
    "  at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX approval_routes_approval ON approval_routes(approval_id);"
    /* National holidays and cuti bersama, as HR imports them (SKB 3 Menteri, revised
     * mid-year): a year is always replaced as a whole. */
    "CREATE TABLE holidays("
    "  date TEXT NOT NULL CHECK(date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK(kind IN ('libur_nasional','cuti_bersama')),"
    "  PRIMARY KEY(date, name)) STRICT, WITHOUT ROWID;";

/* Column i copied into out[0..cap), cut back to a whole UTF-8 character when too long. */
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
    kb_store_log_error(st, "store.hr", sqlite3_sql(s));
    return rc == SQLITE_BUSY ? KB_BUSY : KB_ERR;
}

static int update_changes(struct kb_store *st, sqlite3_stmt *s, int *changed)
{
    int rc = kb_stmt_done(st, s);
    if (changed)
        *changed = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

/* Runs a one-row, one-integer query (already bound): *out its value, or dflt when no row. */
static int scalar_i64(struct kb_store *st, sqlite3_stmt *s, int64_t dflt, int64_t *out)
{
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL ? sqlite3_column_int64(s, 0)
                                                                        : dflt;
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

/* Reads a page of single ids (column 0) from a bound statement. */
static int read_ids(struct kb_store *st, sqlite3_stmt *s, int64_t *ids, int cap, int *n)
{
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        ids[(*n)++] = sqlite3_column_int64(s, 0);
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

static int page_cap(int cap)
{
    return cap < 0 ? 0 : cap > KB_HR_PAGE_MAX ? KB_HR_PAGE_MAX : cap;
}

/* ---- units and trainings ------------------------------------------------------------------ */

int kb_hr_unit_id(struct kb_store *st, const char *name, int64_t *id)
{
    static const char sql[] = "SELECT id FROM units WHERE name = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    *id = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    return scalar_i64(st, s, 0, id);
}

int kb_hr_training_by_code(struct kb_store *st, const char *code, struct kb_training *t, int *found)
{
    static const char sql[] = "SELECT id FROM trainings WHERE code = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    int64_t id = 0;
    *found = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
    int rc = scalar_i64(st, s, 0, &id);
    if (rc != KB_OK || !id)
        return rc;
    return kb_training_get(st, id, t, found);
}

int kb_hr_nominees(struct kb_store *st, int64_t training_id, int64_t after_id,
                   struct kb_hr_nominee *out, int cap, int *n)
{
    /* Keyset on (created_at, id): the row after after_id in registration order. */
    static const char sql[] =
        "SELECT r.id, r.employee_id, e.nip, e.name, u.name, r.status, r.seat, "
        "  CASE WHEN r.status = 'daftar_tunggu' THEN (SELECT count(*) FROM registrations q "
        "    WHERE q.training_id = r.training_id AND q.status = 'daftar_tunggu' "
        "      AND (q.created_at < r.created_at OR (q.created_at = r.created_at AND q.id <= r.id)))"
        "  ELSE 0 END, r.created_at, "
        "  (SELECT a.title FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
        "    WHERE a.id = r.activity_id AND p.employee_id = r.employee_id) "
        "FROM registrations r JOIN employees e ON e.id = r.employee_id "
        "LEFT JOIN units u ON u.id = e.unit_id "
        "WHERE r.training_id = ?1 AND (?2 = 0 OR (r.created_at, r.id) > "
        "  (SELECT created_at, id FROM registrations WHERE id = ?2)) "
        "ORDER BY r.created_at, r.id LIMIT ?3";
    *n = 0;
    cap = page_cap(cap);
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, training_id);
    sqlite3_bind_int64(s, 2, after_id);
    sqlite3_bind_int(s, 3, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_hr_nominee *o = &out[(*n)++];
        o->registration_id = sqlite3_column_int64(s, 0);
        o->employee_id = sqlite3_column_int64(s, 1);
        copy_text(s, 2, o->nip, sizeof o->nip);
        copy_text(s, 3, o->name, sizeof o->name);
        copy_text(s, 4, o->unit, sizeof o->unit);
        copy_text(s, 5, o->status, sizeof o->status);
        o->seat = sqlite3_column_int(s, 6);
        o->place = sqlite3_column_int(s, 7);
        o->created_at = sqlite3_column_int64(s, 8);
        copy_text(s, 9, o->activity_title, sizeof o->activity_title);
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_hr_registrations_seated(struct kb_store *st, int64_t training_id, const char *statuses,
                               int64_t after_id, int64_t *ids, int cap, int *n)
{
    static const char sql[] =
        "SELECT id FROM registrations WHERE training_id = ?1 AND seat = 1 "
        "  AND instr(?2, '|' || status || '|') > 0 AND id > ?3 ORDER BY id LIMIT ?4";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, training_id);
    sqlite3_bind_text(s, 2, statuses, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, after_id);
    sqlite3_bind_int(s, 4, page_cap(cap));
    return read_ids(st, s, ids, page_cap(cap), n);
}

/* ---- registrations ------------------------------------------------------------------------ */

int kb_hr_registration_propose(struct kb_store *st, int64_t id, int64_t now, int *changed)
{
    static const char sql[] = "UPDATE registrations SET status = 'diusulkan', updated_at = ?2 "
                              "WHERE id = ?1 AND status = 'disetujui' AND seat = 1";
    sqlite3_stmt *s = kb_sql(st, sql);
    *changed = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return update_changes(st, s, changed);
}

int kb_hr_registration_accept(struct kb_store *st, int64_t id, int64_t now, int *changed,
                              int *quota_raised)
{
    static const char seated[] =
        "UPDATE registrations SET status = 'diterima', updated_at = ?2 "
        "WHERE id = ?1 AND status IN ('disetujui','diusulkan') AND seat = 1";
    /* From the waiting list: a seat only while the seats held stay within the quota, counted
     * by the same statement that gives it (as kb_training_fill_seats does). */
    static const char waiting[] =
        "UPDATE registrations SET status = 'diterima', seat = 1, updated_at = ?2 "
        "WHERE id = ?1 AND status = 'daftar_tunggu' "
        "  AND (SELECT count(*) FROM registrations s "
        "       WHERE s.training_id = registrations.training_id AND s.seat = 1) "
        "    < (SELECT t.quota FROM trainings t "
        "       WHERE t.id = registrations.training_id AND t.status <> 'batal')";
    static const char raise[] =
        "UPDATE trainings SET quota = quota + 1 WHERE status <> 'batal' AND id = "
        "  (SELECT training_id FROM registrations WHERE id = ?1 AND status = 'daftar_tunggu')";
    *changed = 0;
    *quota_raised = 0;
    sqlite3_stmt *s = kb_sql(st, seated);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    int rc = update_changes(st, s, changed);
    for (int round = 0; rc == KB_OK && !*changed && round < 2; round++) {
        if (round == 1) { /* no seat was free: the organiser made room for one more */
            int raised = 0;
            if (!(s = kb_sql(st, raise)))
                return KB_ERR;
            sqlite3_bind_int64(s, 1, id);
            if ((rc = update_changes(st, s, &raised)) != KB_OK || !raised)
                break;
            *quota_raised = 1;
        }
        if (!(s = kb_sql(st, waiting)))
            return KB_ERR;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, now);
        rc = update_changes(st, s, changed);
    }
    return rc;
}

int kb_hr_registration_waitlist(struct kb_store *st, int64_t id, int64_t now, int *changed,
                                int *quota_lowered)
{
    static const char seat_sql[] = "SELECT seat FROM registrations WHERE id = ?1";
    static const char sql[] =
        "UPDATE registrations SET status = 'daftar_tunggu', seat = 0, updated_at = ?2 "
        "WHERE id = ?1 AND status IN ('disetujui','diusulkan','diterima')";
    static const char lower[] = "UPDATE trainings SET quota = quota - 1 WHERE quota > 0 AND id = "
                                "  (SELECT training_id FROM registrations WHERE id = ?1)";
    *changed = 0;
    *quota_lowered = 0;
    sqlite3_stmt *s = kb_sql(st, seat_sql);
    int64_t seat = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = scalar_i64(st, s, 0, &seat);
    if (rc != KB_OK || !(s = kb_sql(st, sql)))
        return rc != KB_OK ? rc : KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    if ((rc = update_changes(st, s, changed)) != KB_OK || !*changed || !seat)
        return rc;
    if (!(s = kb_sql(st, lower)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    return update_changes(st, s, quota_lowered);
}

int kb_hr_registration_activity(struct kb_store *st, int64_t registration_id, int64_t *activity_id)
{
    /* The activity completion added comes first: a linked activity that was cancelled or is
     * not the employee's did not receive the JP (kb_training_complete). */
    static const char sql[] =
        "SELECT COALESCE("
        "  (SELECT a.id FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
        "    WHERE p.employee_id = r.employee_id AND a.source = 'training' "
        "      AND a.source_id = r.id ORDER BY a.id LIMIT 1),"
        "  (SELECT a.id FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
        "    WHERE a.id = r.activity_id AND p.employee_id = r.employee_id "
        "      AND a.status = 'selesai'), 0) "
        "FROM registrations r WHERE r.id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    *activity_id = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, registration_id);
    return scalar_i64(st, s, 0, activity_id);
}

int kb_hr_activity_verify(struct kb_store *st, int64_t activity_id, int64_t verified_by,
                          int64_t now, int *changed)
{
    static const char sql[] =
        "UPDATE rpi_activities SET jp_recognised = jp_planned, verified_at = ?3, "
        "verified_by = ?2, updated_at = ?3 "
        "WHERE id = ?1 AND status = 'selesai' AND verified_at IS NULL";
    sqlite3_stmt *s = kb_sql(st, sql);
    *changed = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, activity_id);
    if (verified_by > 0)
        sqlite3_bind_int64(s, 2, verified_by);
    else
        sqlite3_bind_null(s, 2);
    sqlite3_bind_int64(s, 3, now);
    return update_changes(st, s, changed);
}

/* ---- plans -------------------------------------------------------------------------------- */

int kb_hr_plans_page(struct kb_store *st, int year, const char *status, int64_t unit_id,
                     int64_t after_id, int64_t *ids, int cap, int *n)
{
    static const char sql[] =
        "SELECT p.id FROM rpi_plans p JOIN employees e ON e.id = p.employee_id "
        "WHERE p.year = ?1 AND p.status = ?2 AND (?3 = 0 OR e.unit_id = ?3) AND p.id > ?4 "
        "ORDER BY p.id LIMIT ?5";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int(s, 1, year);
    sqlite3_bind_text(s, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, unit_id);
    sqlite3_bind_int64(s, 4, after_id);
    sqlite3_bind_int(s, 5, page_cap(cap));
    return read_ids(st, s, ids, page_cap(cap), n);
}

int kb_hr_employees_page(struct kb_store *st, int64_t unit_id, int64_t after_id, int64_t *ids,
                         int cap, int *n)
{
    /* active: the column of the import's step (retired and transferred staff are 0). */
    static const char sql[] = "SELECT id FROM employees WHERE (?1 = 0 OR unit_id = ?1) "
                              "AND active = 1 AND id > ?2 ORDER BY id LIMIT ?3";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, unit_id);
    sqlite3_bind_int64(s, 2, after_id);
    sqlite3_bind_int(s, 3, page_cap(cap));
    return read_ids(st, s, ids, page_cap(cap), n);
}

/* ---- approvals ---------------------------------------------------------------------------- */

int kb_hr_approvals_waiting(struct kb_store *st, int64_t approver_id, int unlinked,
                            int64_t after_id, struct kb_hr_approval *out, int cap, int *n)
{
    static const char sql[] =
        "SELECT a.id, a.kind, a.subject_id, a.requester_id, a.approver_id, r.name, v.name, "
        "  v.nip, l.employee_id IS NOT NULL, a.created_at "
        "FROM approvals a JOIN employees r ON r.id = a.requester_id "
        "JOIN employees v ON v.id = a.approver_id "
        "LEFT JOIN links l ON l.employee_id = a.approver_id "
        "WHERE a.status = 'menunggu' AND a.id > ?1 AND (?2 = 0 OR a.approver_id = ?2) "
        "  AND (?3 = 0 OR l.employee_id IS NULL) "
        "ORDER BY a.id LIMIT ?4";
    *n = 0;
    cap = page_cap(cap);
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int64(s, 2, approver_id);
    sqlite3_bind_int(s, 3, unlinked ? 1 : 0);
    sqlite3_bind_int(s, 4, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_hr_approval *o = &out[(*n)++];
        o->id = sqlite3_column_int64(s, 0);
        copy_text(s, 1, o->kind, sizeof o->kind);
        o->subject_id = sqlite3_column_int64(s, 2);
        o->requester_id = sqlite3_column_int64(s, 3);
        o->approver_id = sqlite3_column_int64(s, 4);
        copy_text(s, 5, o->requester_name, sizeof o->requester_name);
        copy_text(s, 6, o->approver_name, sizeof o->approver_name);
        copy_text(s, 7, o->approver_nip, sizeof o->approver_nip);
        o->approver_linked = sqlite3_column_int(s, 8);
        o->created_at = sqlite3_column_int64(s, 9);
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_hr_approval_reassign(struct kb_store *st, int64_t approval_id, int64_t to_id,
                            int64_t delegation_id, int64_t now, int *changed)
{
    static const char from_sql[] =
        "SELECT approver_id FROM approvals WHERE id = ?1 AND status = 'menunggu'";
    static const char sql[] =
        "UPDATE approvals SET approver_id = ?2 WHERE id = ?1 "
        "AND status = 'menunggu' AND approver_id <> ?2 AND requester_id <> ?2";
    static const char route[] =
        "INSERT INTO approval_routes(approval_id, from_id, to_id, delegation_id, at) "
        "VALUES(?1, ?2, ?3, ?4, ?5)";
    *changed = 0;
    sqlite3_stmt *s = kb_sql(st, from_sql);
    int64_t from = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, approval_id);
    int rc = scalar_i64(st, s, 0, &from);
    if (rc != KB_OK || !from)
        return rc;
    if (!(s = kb_sql(st, sql)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, approval_id);
    sqlite3_bind_int64(s, 2, to_id);
    if ((rc = update_changes(st, s, changed)) != KB_OK || !*changed)
        return rc;
    if (!(s = kb_sql(st, route)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, approval_id);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to_id);
    if (delegation_id > 0)
        sqlite3_bind_int64(s, 4, delegation_id);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_int64(s, 5, now);
    return kb_stmt_done(st, s);
}

/* ---- delegations -------------------------------------------------------------------------- */

int kb_delegation_add(struct kb_store *st, int64_t principal_id, int64_t delegate_id,
                      const char *from_date, const char *to_date, int64_t now, int64_t *id,
                      int64_t *overlap)
{
    static const char clash[] =
        "SELECT id FROM delegations WHERE principal_id = ?1 AND cancelled_at IS NULL "
        "  AND from_date <= ?3 AND to_date >= ?2 ORDER BY from_date LIMIT 1";
    static const char insert[] =
        "INSERT INTO delegations(principal_id, delegate_id, from_date, to_date, created_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5)";
    *id = 0;
    *overlap = 0;
    sqlite3_stmt *s = kb_sql(st, clash);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, principal_id);
    sqlite3_bind_text(s, 2, from_date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, to_date, -1, SQLITE_TRANSIENT);
    int rc = scalar_i64(st, s, 0, overlap);
    if (rc != KB_OK || *overlap)
        return rc;
    if (!(s = kb_sql(st, insert)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, principal_id);
    sqlite3_bind_int64(s, 2, delegate_id);
    sqlite3_bind_text(s, 3, from_date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, to_date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 5, now);
    rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int kb_delegation_cancel(struct kb_store *st, int64_t id, int64_t now, int *changed)
{
    static const char sql[] =
        "UPDATE delegations SET cancelled_at = ?2 WHERE id = ?1 AND cancelled_at IS NULL";
    sqlite3_stmt *s = kb_sql(st, sql);
    *changed = 0;
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return update_changes(st, s, changed);
}

int kb_delegations_list(struct kb_store *st, const char *today, struct kb_delegation *out, int cap,
                        int *n)
{
    static const char sql[] =
        "SELECT d.id, d.principal_id, d.delegate_id, p.name, q.name, d.from_date, d.to_date, "
        "  d.created_at "
        "FROM delegations d JOIN employees p ON p.id = d.principal_id "
        "JOIN employees q ON q.id = d.delegate_id "
        "WHERE d.cancelled_at IS NULL AND (?1 IS NULL OR d.to_date >= ?1) "
        "ORDER BY d.from_date, d.id LIMIT ?2";
    *n = 0;
    cap = page_cap(cap);
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    kb_bind_text_or_null(s, 1, today);
    sqlite3_bind_int(s, 2, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_delegation *d = &out[(*n)++];
        d->id = sqlite3_column_int64(s, 0);
        d->principal_id = sqlite3_column_int64(s, 1);
        d->delegate_id = sqlite3_column_int64(s, 2);
        copy_text(s, 3, d->principal_name, sizeof d->principal_name);
        copy_text(s, 4, d->delegate_name, sizeof d->delegate_name);
        copy_text(s, 5, d->from_date, sizeof d->from_date);
        copy_text(s, 6, d->to_date, sizeof d->to_date);
        d->created_at = sqlite3_column_int64(s, 7);
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

#define RESOLVE_STEPS 4 /* a Plt of a Plt of a Plt: more is a data error, not an organisation */

int64_t kb_delegation_resolve(struct kb_store *st, int64_t approver_id, int64_t requester_id,
                              const char *today)
{
    static const char sql[] =
        "SELECT delegate_id FROM delegations WHERE principal_id = ?1 AND cancelled_at IS NULL "
        "  AND from_date <= ?2 AND to_date >= ?2 ORDER BY created_at DESC, id DESC LIMIT 1";
    int64_t seen[RESOLVE_STEPS + 1] = {approver_id};
    int64_t who = approver_id;
    if (!today || !*today)
        return approver_id;
    for (int step = 0; step < RESOLVE_STEPS; step++) {
        sqlite3_stmt *s = kb_sql(st, sql);
        int64_t next = 0;
        if (!s)
            return approver_id;
        sqlite3_bind_int64(s, 1, who);
        sqlite3_bind_text(s, 2, today, -1, SQLITE_TRANSIENT);
        if (scalar_i64(st, s, 0, &next) != KB_OK) {
            KB_WARN("delegation.resolve_failed", "approver=%lld", (long long)approver_id);
            return approver_id;
        }
        if (!next || next == requester_id)
            break;
        for (int i = 0; i <= step; i++)
            if (seen[i] == next)
                return who; /* a circle of delegations: stop before it closes */
        seen[step + 1] = next;
        who = next;
    }
    if (who != approver_id)
        KB_INFO("delegation.routed", "approver=%lld delegate=%lld on=%s", (long long)approver_id,
                (long long)who, today);
    return who;
}

/* ---- holidays ----------------------------------------------------------------------------- */

/* "YYYY-01-01" and "YYYY-12-31" of year. */
static int year_bounds(int year, char first[11], char last[11])
{
    if (year < 1 || year > 9999)
        return -1;
    snprintf(first, 11, "%04d-01-01", year);
    snprintf(last, 11, "%04d-12-31", year);
    return 0;
}

int kb_holidays_clear_year(struct kb_store *st, int year, int *deleted)
{
    static const char sql[] = "DELETE FROM holidays WHERE date >= ?1 AND date <= ?2";
    char first[11], last[11];
    *deleted = 0;
    if (year_bounds(year, first, last) != 0)
        return KB_ERR;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, first, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, last, -1, SQLITE_TRANSIENT);
    return update_changes(st, s, deleted);
}

int kb_holiday_add(struct kb_store *st, const char *date, const char *name, const char *kind)
{
    static const char sql[] = "INSERT INTO holidays(date, name, kind) VALUES(?1, ?2, ?3)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, kind, -1, SQLITE_TRANSIENT);
    return kb_stmt_done(st, s);
}

int kb_holidays_of_year(struct kb_store *st, int year, struct kb_holiday *out, int cap, int *n,
                        int *total)
{
    static const char count_sql[] = "SELECT count(*) FROM holidays WHERE date >= ?1 AND date <= ?2";
    static const char sql[] = "SELECT date, name, kind FROM holidays WHERE date >= ?1 "
                              "AND date <= ?2 ORDER BY date, name LIMIT ?3";
    char first[11], last[11];
    *n = 0;
    *total = 0;
    if (year_bounds(year, first, last) != 0)
        return KB_ERR;
    sqlite3_stmt *s = kb_sql(st, count_sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, first, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, last, -1, SQLITE_TRANSIENT);
    int64_t count = 0;
    int rc = scalar_i64(st, s, 0, &count);
    if (rc != KB_OK || !(s = kb_sql(st, sql)))
        return rc != KB_OK ? rc : KB_ERR;
    *total = (int)count;
    cap = cap < 0 ? 0 : cap;
    sqlite3_bind_text(s, 1, first, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, last, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 3, cap);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_holiday *h = &out[(*n)++];
        copy_text(s, 0, h->date, sizeof h->date);
        copy_text(s, 1, h->name, sizeof h->name);
        copy_text(s, 2, h->kind, sizeof h->kind);
    }
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}

int kb_holidays_between(struct kb_store *st, const char *from, const char *to, char (*out)[11],
                        size_t cap, size_t *n)
{
    static const char sql[] =
        "SELECT DISTINCT date FROM holidays WHERE date > ?1 AND date <= ?2 ORDER BY date LIMIT ?3";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    if (cap > KB_HOLIDAYS_SPAN_MAX)
        cap = KB_HOLIDAYS_SPAN_MAX;
    sqlite3_bind_text(s, 1, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 3, (int)cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        copy_text(s, 0, out[(*n)++], 11);
    rc = step_error(st, s, rc);
    sqlite3_reset(s);
    return rc;
}
