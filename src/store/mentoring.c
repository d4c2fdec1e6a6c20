/* mentoring: senior ASN who offer mentoring, requests for a mentor or a coach, and the
 * sessions an accepted pair logs (and the RPI activity they add up to). */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/mentoring.h"

/* mentors.areas is one '|'-separated text, as HR imports it. Triggers keep mentor_areas, one row
 * per (area, mentor), in step with it, so matching by area is an index lookup. Splitting uses
 * json_each on the text turned into a JSON array (json_quote escapes everything but '|', which
 * JSON never escapes). An area longer than 63 bytes (a list button's value) is refused at
 * import with the CHECK's message, rather than cut. */
#define SPLIT_NEW_AREAS                                                                            \
    "INSERT INTO mentor_areas(area, employee_id) "                                                 \
    "  SELECT trim(j.value), NEW.employee_id "                                                     \
    "  FROM json_each('[' || replace(json_quote(NEW.areas), '|', '\",\"') || ']') j "              \
    "  WHERE trim(j.value) <> '' GROUP BY trim(j.value) COLLATE NOCASE;"

const char kb_schema_mentoring[] =
    "CREATE TABLE mentors("
    "  employee_id INTEGER PRIMARY KEY REFERENCES employees(id),"
    "  areas TEXT NOT NULL," /* '|'-separated competency areas */
    "  capacity INTEGER NOT NULL DEFAULT 3 CHECK(capacity BETWEEN 0 AND 50)) STRICT;"
    "CREATE TABLE mentor_areas("
    "  area TEXT NOT NULL COLLATE NOCASE CHECK(length(CAST(area AS BLOB)) BETWEEN 1 AND 63),"
    "  employee_id INTEGER NOT NULL,"
    "  PRIMARY KEY(area, employee_id)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX mentor_areas_employee ON mentor_areas(employee_id);"
    "CREATE TRIGGER mentors_areas_insert AFTER INSERT ON mentors BEGIN " SPLIT_NEW_AREAS "END;"
    "CREATE TRIGGER mentors_areas_update AFTER UPDATE OF areas, employee_id ON mentors BEGIN "
    "  DELETE FROM mentor_areas WHERE employee_id = OLD.employee_id; " SPLIT_NEW_AREAS "END;"
    "CREATE TRIGGER mentors_areas_delete AFTER DELETE ON mentors BEGIN "
    "  DELETE FROM mentor_areas WHERE employee_id = OLD.employee_id; END;"
    "CREATE TABLE mentor_requests("
    "  id INTEGER PRIMARY KEY,"
    "  mentee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  mentor_id INTEGER NOT NULL REFERENCES employees(id),"
    "  kind TEXT NOT NULL CHECK(kind IN ('coaching','mentoring')),"
    "  area TEXT NOT NULL,"
    "  topic TEXT,"
    "  status TEXT NOT NULL DEFAULT 'diajukan'"
    "    CHECK(status IN ('diajukan','diterima','berjalan','ditolak','selesai','dibatalkan')),"
    "  reason TEXT," /* of a decline */
    "  created_at INTEGER NOT NULL,"
    "  decided_at INTEGER,"
    "  accepted_on TEXT) STRICT;" /* YYYY-MM-DD the pair began, in the mentor's zone */
    "CREATE INDEX mentor_requests_mentor ON mentor_requests(mentor_id, status);"
    "CREATE INDEX mentor_requests_mentee ON mentor_requests(mentee_id, status);"
    "CREATE TABLE mentor_sessions("
    "  id INTEGER PRIMARY KEY,"
    "  request_id INTEGER NOT NULL REFERENCES mentor_requests(id),"
    "  held_on TEXT NOT NULL,"
    "  topic TEXT NOT NULL,"
    "  minutes INTEGER NOT NULL CHECK(minutes BETWEEN 1 AND 1440),"
    "  logged_by INTEGER NOT NULL REFERENCES employees(id),"
    "  created_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX mentor_sessions_request ON mentor_sessions(request_id, held_on);";

/* Statuses of an active pair, and of a request that still binds mentor and mentee. */
#define ACTIVE  "('diterima','berjalan')"
#define BINDING "('diajukan','diterima','berjalan')"

/* Active mentoring pairs of the mentor m.employee_id: what the capacity counts. */
#define ACTIVE_OF_M                                                                                \
    "(SELECT count(*) FROM mentor_requests r WHERE r.mentor_id = m.employee_id "                   \
    "   AND r.status IN " ACTIVE " AND r.kind = 'mentoring')"

/* Whether m.employee_id is already bound to mentee ?2 by a mentoring request or pair. */
#define BOUND_TO_MENTEE                                                                            \
    "EXISTS(SELECT 1 FROM mentor_requests b WHERE b.mentee_id = ?2 "                               \
    "   AND b.mentor_id = m.employee_id AND b.kind = 'mentoring' AND b.status IN " BINDING ")"

int kb_mentor_status_active(const char *status)
{
    return status && (!strcmp(status, "diterima") || !strcmp(status, "berjalan"));
}

static int step_end(struct kb_store *st, sqlite3_stmt *s, int rc)
{
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.mentoring", sqlite3_sql(s));
        return KB_ERR;
    }
    return KB_OK;
}

/* ---- mentors and matching ------------------------------------------------------------------ */

int kb_mentor_areas(struct kb_store *st, int64_t exclude_id, char (*areas)[KB_MENTOR_AREA_MAX],
                    int cap, int *n)
{
    static const char sql[] = "SELECT DISTINCT area FROM mentor_areas WHERE employee_id <> ?1 "
                              "ORDER BY area LIMIT ?2";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, exclude_id);
    sqlite3_bind_int(s, 2, cap < KB_MENTOR_LIST_MAX ? cap : KB_MENTOR_LIST_MAX);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        kb_col_copy(s, 0, areas[(*n)++], KB_MENTOR_AREA_MAX);
    return step_end(st, s, rc);
}

#define CANDIDATE_COLS                                                                             \
    "e.id, e.name, COALESCE(e.position, ''), COALESCE(u.name, ''), m.capacity, " ACTIVE_OF_M       \
    " AS mentees_now FROM mentors m JOIN employees e ON e.id = m.employee_id "                     \
    "LEFT JOIN units u ON u.id = e.unit_id "

static void read_candidate(sqlite3_stmt *s, struct kb_mentor_candidate *c)
{
    c->id = sqlite3_column_int64(s, 0);
    kb_col_copy(s, 1, c->name, sizeof c->name);
    kb_col_copy(s, 2, c->position, sizeof c->position);
    kb_col_copy(s, 3, c->unit, sizeof c->unit);
    c->capacity = sqlite3_column_int(s, 4);
    c->active = sqlite3_column_int(s, 5);
}

/* The mentors of area other than mentee_id and not bound to them: with a free place (free 1)
 * or without (free 0). */
static int mentors_in_area(struct kb_store *st, const char *sql, const char *area,
                           int64_t mentee_id, struct kb_mentor_candidate *out, int cap, int *n)
{
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, area, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, mentee_id);
    sqlite3_bind_int(s, 3, cap < KB_MENTOR_LIST_MAX ? cap : KB_MENTOR_LIST_MAX);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        read_candidate(s, &out[(*n)++]);
    return step_end(st, s, rc);
}

#define IN_AREA_UNBOUND                                                                            \
    "SELECT " CANDIDATE_COLS "JOIN mentor_areas a ON a.employee_id = m.employee_id "               \
    "WHERE a.area = ?1 AND m.employee_id <> ?2 AND NOT " BOUND_TO_MENTEE

int kb_mentor_match(struct kb_store *st, const char *area, int64_t mentee_id,
                    struct kb_mentor_candidate *out, int cap, int *n)
{
    static const char sql[] =
        IN_AREA_UNBOUND " AND mentees_now < m.capacity ORDER BY e.name, e.id LIMIT ?3";
    return mentors_in_area(st, sql, area, mentee_id, out, cap, n);
}

int kb_mentor_full(struct kb_store *st, const char *area, int64_t mentee_id,
                   struct kb_mentor_candidate *out, int cap, int *n)
{
    static const char sql[] =
        IN_AREA_UNBOUND " AND mentees_now >= m.capacity ORDER BY e.name, e.id LIMIT ?3";
    return mentors_in_area(st, sql, area, mentee_id, out, cap, n);
}

int kb_mentor_area_counts(struct kb_store *st, const char *area, int64_t mentee_id, int *total,
                          int *paired, int *free_places)
{
    /* Bounded by the mentors of one area: the index on mentor_areas gives them directly. */
    static const char sql[] =
        "SELECT count(*), COALESCE(sum(bound), 0), COALESCE(sum(NOT bound AND active < cap), 0) "
        "FROM (SELECT " BOUND_TO_MENTEE " AS bound, " ACTIVE_OF_M " AS active, m.capacity AS cap "
        "      FROM mentor_areas a JOIN mentors m ON m.employee_id = a.employee_id "
        "      WHERE a.area = ?1 AND m.employee_id <> ?2 LIMIT 10000)";
    *total = *paired = *free_places = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, area, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, mentee_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *total = sqlite3_column_int(s, 0);
        *paired = sqlite3_column_int(s, 1);
        *free_places = sqlite3_column_int(s, 2);
    }
    return step_end(st, s, rc);
}

int kb_mentor_get(struct kb_store *st, int64_t mentor_id, const char *area,
                  struct kb_mentor_candidate *c, int *found)
{
    static const char sql[] =
        "SELECT " CANDIDATE_COLS "WHERE m.employee_id = ?1 AND (?2 IS NULL OR EXISTS("
        "  SELECT 1 FROM mentor_areas a WHERE a.employee_id = m.employee_id AND a.area = ?2))";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, mentor_id);
    if (area)
        sqlite3_bind_text(s, 2, area, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, 2);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_candidate(s, c);
        *found = 1;
    }
    return step_end(st, s, rc);
}

int kb_mentor_open_between(struct kb_store *st, int64_t mentee_id, int64_t mentor_id,
                           const char *kind, int64_t *request_id)
{
    static const char sql[] =
        "SELECT id FROM mentor_requests WHERE mentee_id = ?1 AND mentor_id = ?2 "
        "AND status IN " BINDING " AND (?3 IS NULL OR kind = ?3) ORDER BY id LIMIT 1";
    *request_id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, mentee_id);
    sqlite3_bind_int64(s, 2, mentor_id);
    if (kind)
        sqlite3_bind_text(s, 3, kind, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, 3);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *request_id = sqlite3_column_int64(s, 0);
    return step_end(st, s, rc);
}

/* ---- requests ------------------------------------------------------------------------------- */

int kb_mentor_request_insert(struct kb_store *st, int64_t mentee_id, int64_t mentor_id,
                             const char *kind, const char *area, const char *topic, int64_t now,
                             int64_t *id)
{
    static const char sql[] =
        "INSERT INTO mentor_requests(mentee_id, mentor_id, kind, area, topic, created_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, mentee_id);
    sqlite3_bind_int64(s, 2, mentor_id);
    sqlite3_bind_text(s, 3, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, area, -1, SQLITE_TRANSIENT);
    kb_bind_text_or_null(s, 5, topic);
    sqlite3_bind_int64(s, 6, now);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

#define REQUEST_COLS                                                                               \
    "r.id, r.mentee_id, r.mentor_id, r.kind, r.status, r.area, COALESCE(r.topic, ''), "            \
    "COALESCE(r.reason, ''), r.created_at, COALESCE(r.decided_at, 0), "                            \
    "COALESCE(r.accepted_on, ''), COALESCE(me.name, ''), COALESCE(mo.name, '') "                   \
    "FROM mentor_requests r LEFT JOIN employees me ON me.id = r.mentee_id "                        \
    "LEFT JOIN employees mo ON mo.id = r.mentor_id "

static void read_request(sqlite3_stmt *s, struct kb_mentor_request *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->mentee_id = sqlite3_column_int64(s, 1);
    r->mentor_id = sqlite3_column_int64(s, 2);
    kb_col_copy(s, 3, r->kind, sizeof r->kind);
    kb_col_copy(s, 4, r->status, sizeof r->status);
    kb_col_copy(s, 5, r->area, sizeof r->area);
    kb_col_copy(s, 6, r->topic, sizeof r->topic);
    kb_col_copy(s, 7, r->reason, sizeof r->reason);
    r->created_at = sqlite3_column_int64(s, 8);
    r->decided_at = sqlite3_column_int64(s, 9);
    kb_col_copy(s, 10, r->accepted_on, sizeof r->accepted_on);
    kb_col_copy(s, 11, r->mentee_name, sizeof r->mentee_name);
    kb_col_copy(s, 12, r->mentor_name, sizeof r->mentor_name);
}

int kb_mentor_request_get(struct kb_store *st, int64_t id, struct kb_mentor_request *r, int *found)
{
    static const char sql[] = "SELECT " REQUEST_COLS "WHERE r.id = ?1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_request(s, r);
        *found = 1;
    }
    return step_end(st, s, rc);
}

int kb_mentor_request_decide(struct kb_store *st, int64_t id, const char *status,
                             const char *reason, const char *accepted_on, int64_t now, int *changed)
{
    static const char sql[] = "UPDATE mentor_requests SET status = ?2, reason = ?3, "
                              "accepted_on = ?4, decided_at = ?5 "
                              "WHERE id = ?1 AND status = 'diajukan'";
    *changed = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, status, -1, SQLITE_TRANSIENT);
    kb_bind_text_or_null(s, 3, reason);
    kb_bind_text_or_null(s, 4, accepted_on);
    sqlite3_bind_int64(s, 5, now);
    int rc = kb_stmt_done(st, s);
    if (rc == KB_OK)
        *changed = sqlite3_changes(st->db);
    return rc;
}

int kb_mentor_pairs_of(struct kb_store *st, int64_t employee_id, struct kb_mentor_request *rows,
                       int cap, int *n)
{
    /* Two indexed halves (as mentee, as mentor), each bounded, merged oldest first. */
    static const char sql[] =
        "SELECT * FROM (SELECT " REQUEST_COLS "WHERE r.mentee_id = ?1 AND r.status IN " ACTIVE
        " ORDER BY r.id LIMIT ?2) UNION ALL SELECT * FROM (SELECT " REQUEST_COLS
        "WHERE r.mentor_id = ?1 AND r.status IN " ACTIVE " ORDER BY r.id LIMIT ?2) "
        "ORDER BY 1 LIMIT ?2";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int(s, 2, cap < KB_MENTOR_LIST_MAX ? cap : KB_MENTOR_LIST_MAX);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        read_request(s, &rows[(*n)++]);
    return step_end(st, s, rc);
}

/* ---- sessions and the RPI ------------------------------------------------------------------ */

int kb_mentor_session_add(struct kb_store *st, int64_t request_id, const char *held_on,
                          const char *topic, int minutes, int64_t logged_by, int64_t now,
                          int64_t *id)
{
    static const char sql[] =
        "INSERT INTO mentor_sessions(request_id, held_on, topic, minutes, logged_by, created_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
    static const char running[] =
        "UPDATE mentor_requests SET status = 'berjalan' WHERE id = ?1 AND status = 'diterima'";
    *id = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_text(s, 2, held_on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, topic, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 4, minutes);
    sqlite3_bind_int64(s, 5, logged_by);
    sqlite3_bind_int64(s, 6, now);
    if (kb_stmt_done(st, s) != KB_OK)
        return KB_ERR;
    *id = sqlite3_last_insert_rowid(st->db);
    if (!(s = kb_sql(st, running)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, request_id);
    return kb_stmt_done(st, s);
}

int kb_mentor_sessions(struct kb_store *st, int64_t request_id, struct kb_mentor_session *rows,
                       int cap, int *n, int *count, int64_t *minutes)
{
    static const char sql[] = "SELECT id, held_on, topic, minutes, logged_by FROM mentor_sessions "
                              "WHERE request_id = ?1 ORDER BY held_on DESC, id DESC LIMIT ?2";
    static const char totals[] = "SELECT count(*), COALESCE(sum(minutes), 0) FROM mentor_sessions "
                                 "WHERE request_id = ?1";
    *n = *count = 0;
    *minutes = 0;
    sqlite3_stmt *s = kb_sql(st, totals);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, request_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *count = sqlite3_column_int(s, 0);
        *minutes = sqlite3_column_int64(s, 1);
    }
    if (step_end(st, s, rc) != KB_OK || !(s = kb_sql(st, sql)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_int(s, 2, cap < KB_MENTOR_LIST_MAX ? cap : KB_MENTOR_LIST_MAX);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_mentor_session *x = &rows[(*n)++];
        x->id = sqlite3_column_int64(s, 0);
        kb_col_copy(s, 1, x->held_on, sizeof x->held_on);
        kb_col_copy(s, 2, x->topic, sizeof x->topic);
        x->minutes = sqlite3_column_int(s, 3);
        x->logged_by = sqlite3_column_int64(s, 4);
    }
    return step_end(st, s, rc);
}

int kb_mentor_minutes_in_year(struct kb_store *st, int64_t request_id, int year, int64_t *minutes,
                              char last_on[11])
{
    static const char sql[] = "SELECT COALESCE(sum(minutes), 0), COALESCE(max(held_on), '') "
                              "FROM mentor_sessions WHERE request_id = ?1 "
                              "AND held_on BETWEEN ?2 AND ?3";
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    *minutes = 0;
    last_on[0] = '\0';
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_text(s, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, to, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *minutes = sqlite3_column_int64(s, 0);
        kb_col_copy(s, 1, last_on, 11);
    }
    return step_end(st, s, rc);
}

int kb_mentor_rpi_sync(struct kb_store *st, int64_t request_id, int64_t mentee_id, int year,
                       const char *form, const char *title, int64_t jp, const char *target_on,
                       int64_t now, int64_t *activity_id)
{
    static const char plan_make[] = "INSERT INTO rpi_plans(employee_id, year) VALUES(?1, ?2) "
                                    "ON CONFLICT(employee_id, year) DO NOTHING";
    static const char plan_get[] = "SELECT id FROM rpi_plans WHERE employee_id = ?1 AND year = ?2";
    static const char act_get[] = "SELECT id FROM rpi_activities WHERE plan_id = ?1 "
                                  "AND source = 'mentoring' AND source_id = ?2 ORDER BY id LIMIT 1";
    static const char act_set[] =
        "UPDATE rpi_activities SET jp_planned = ?2, target_date = ?3, updated_at = ?4 "
        "WHERE id = ?1";
    static const char act_add[] =
        "INSERT INTO rpi_activities(plan_id, form, title, target_date, jp_planned, status, "
        "source, source_id, created_at, updated_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, 'berjalan', 'mentoring', ?6, ?7, ?7)";
    *activity_id = 0;
    sqlite3_stmt *s = kb_sql(st, plan_make);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, mentee_id);
    sqlite3_bind_int(s, 2, year);
    if (kb_stmt_done(st, s) != KB_OK || !(s = kb_sql(st, plan_get)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, mentee_id);
    sqlite3_bind_int(s, 2, year);
    int rc = sqlite3_step(s);
    int64_t plan = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (step_end(st, s, rc) != KB_OK || !plan || !(s = kb_sql(st, act_get)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan);
    sqlite3_bind_int64(s, 2, request_id);
    rc = sqlite3_step(s);
    *activity_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (step_end(st, s, rc) != KB_OK)
        return KB_ERR;
    if (*activity_id) {
        if (!(s = kb_sql(st, act_set)))
            return KB_ERR;
        sqlite3_bind_int64(s, 1, *activity_id);
        sqlite3_bind_int64(s, 2, jp);
        sqlite3_bind_text(s, 3, target_on, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 4, now);
        return kb_stmt_done(st, s);
    }
    if (!(s = kb_sql(st, act_add)))
        return KB_ERR;
    sqlite3_bind_int64(s, 1, plan);
    sqlite3_bind_text(s, 2, form, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, target_on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 5, jp);
    sqlite3_bind_int64(s, 6, request_id);
    sqlite3_bind_int64(s, 7, now);
    if (kb_stmt_done(st, s) != KB_OK)
        return KB_ERR;
    *activity_id = sqlite3_last_insert_rowid(st->db);
    return KB_OK;
}
