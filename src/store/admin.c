/* admin: the SQL of HR's and the operator's admin commands — broadcasts, roles, the figures of
 * `karirbot status`, retention (purge, /hapusdata) and online backups (also the automatic one
 * before a migration). Every write is a bounded statement inside the caller's short transaction:
 * the service runs beside these commands on the same file (DESIGN invariant 14). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "karirbot/admin_store.h"
#include "karirbot/event.h"
#include "karirbot/log.h"

const char kb_schema_admin[] =
    /* One row per announcement; the outbox holds one row per recipient. cursor is the last
     * employee id queued, so an interrupted run resumes without queueing anyone twice. */
    "CREATE TABLE broadcasts("
    "  id INTEGER PRIMARY KEY,"
    "  text TEXT NOT NULL,"
    "  unit_id INTEGER REFERENCES units(id)," /* NULL: every unit */
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT,"                   /* the operator's login, when known */
    "  recipients INTEGER NOT NULL,"       /* counted when it was created */
    "  queued INTEGER NOT NULL DEFAULT 0," /* outbox rows added */
    "  cursor INTEGER NOT NULL DEFAULT 0,"
    "  finished_at INTEGER) STRICT;"
    "CREATE INDEX broadcasts_recent ON broadcasts(created_at);"
    /* Admins, and each unit's HR officer (units.hr_employee_id says the same: one per unit). */
    "CREATE TABLE roles("
    "  id INTEGER PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  role TEXT NOT NULL CHECK(role IN ('admin','hr_unit')),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  granted_at INTEGER NOT NULL,"
    "  granted_by TEXT,"
    "  CHECK((role = 'admin') = (unit_id IS NULL))) STRICT;"
    "CREATE UNIQUE INDEX roles_admin ON roles(employee_id) WHERE role = 'admin';"
    "CREATE UNIQUE INDEX roles_unit_officer ON roles(unit_id) WHERE role = 'hr_unit';"
    "CREATE INDEX roles_employee ON roles(employee_id);"
    /* `karirbot status` counts undeliverable rows per priority; they are few, and a row enters
     * this index only when it fails (rows are inserted pending). */
    "CREATE INDEX outbox_failed ON outbox(priority) WHERE state = 2;"
    /* Retention keeps the card of an approval still waiting (to be edited on the decision). */
    "CREATE INDEX approvals_waiting_card ON approvals(card_outbox_id) WHERE status = 'menunggu';";

/* ---- helpers --------------------------------------------------------------------------------- */

static int step_row(struct kb_store *st, sqlite3_stmt *s, int *row)
{
    int rc = sqlite3_step(s);
    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return KB_OK;
    if (rc == SQLITE_BUSY) {
        sqlite3_reset(s);
        return KB_BUSY;
    }
    kb_store_log_error(st, "store.admin", sqlite3_sql(s));
    sqlite3_reset(s);
    return KB_ERR;
}

/* One integer from a statement whose first column is it (0 for NULL or no row). */
static int one_i64(struct kb_store *st, sqlite3_stmt *s, int64_t *out)
{
    int row;
    int rc = step_row(st, s, &row);
    *out = rc == KB_OK && row ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc;
}

static int changes_done(struct kb_store *st, sqlite3_stmt *s, int *changed)
{
    int rc = kb_stmt_done(st, s);
    *changed = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

/* ---- units ----------------------------------------------------------------------------------- */

int kb_unit_find(struct kb_store *st, const char *name, int64_t *unit_id, char *name_out,
                 size_t cap)
{
    static const char sql[] = "SELECT id, name FROM units WHERE name = ?1 COLLATE NOCASE "
                              "ORDER BY name = ?1 DESC LIMIT 1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    int row;
    int rc = step_row(st, s, &row);
    *unit_id = rc == KB_OK && row ? sqlite3_column_int64(s, 0) : 0;
    if (name_out && cap) {
        name_out[0] = '\0';
        if (*unit_id)
            kb_col_copy(s, 1, name_out, cap);
    }
    sqlite3_reset(s);
    return rc;
}

int kb_unit_each(struct kb_store *st, int limit, void (*fn)(const char *name, void *data),
                 void *data)
{
    static const char sql[] = "SELECT name FROM units ORDER BY name LIMIT ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int(s, 1, limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(s, 0), data);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

/* ---- broadcasts ------------------------------------------------------------------------------ */

/* Who receives a broadcast: an active, linked employee whose chat has not blocked the bot
 * (deactivation unlinks too; `active` says it twice). With a unit, the unit's index gives its
 * employees in id order; without, the employees' own order. */
#define RECIPIENTS_FROM                                                                            \
    "FROM employees e JOIN links l ON l.employee_id = e.id "                                       \
    "LEFT JOIN chats c ON c.chat_id = l.chat_id WHERE e.active = 1 AND "
#define NOT_BLOCKED " AND c.blocked_at IS NULL "

int kb_broadcast_recipients(struct kb_store *st, int64_t unit_id, int64_t *n, int64_t *blocked)
{
    static const char all[] = "SELECT count(*), count(c.blocked_at) " RECIPIENTS_FROM "1";
    static const char unit[] =
        "SELECT count(*), count(c.blocked_at) " RECIPIENTS_FROM "e.unit_id = ?1";
    sqlite3_stmt *s = kb_sql(st, unit_id ? unit : all);
    if (!s)
        return KB_ERR;
    if (unit_id)
        sqlite3_bind_int64(s, 1, unit_id);
    int row;
    int rc = step_row(st, s, &row);
    int64_t linked = rc == KB_OK && row ? sqlite3_column_int64(s, 0) : 0;
    *blocked = rc == KB_OK && row ? sqlite3_column_int64(s, 1) : 0;
    *n = linked - *blocked;
    sqlite3_reset(s);
    return rc;
}

static void read_broadcast(sqlite3_stmt *s, struct kb_broadcast *b)
{
    b->id = sqlite3_column_int64(s, 0);
    b->unit_id = sqlite3_column_int64(s, 1);
    b->created_at = sqlite3_column_int64(s, 2);
    b->recipients = sqlite3_column_int64(s, 3);
    b->queued = sqlite3_column_int64(s, 4);
    b->finished_at = sqlite3_column_int64(s, 5);
}

int kb_broadcast_find_same(struct kb_store *st, const char *text, int64_t unit_id, int64_t since,
                           struct kb_broadcast *b, int *found)
{
    /* The table holds a few announcements a week: a scan newest first is cheap. Only the
     * newest such broadcast counts: an interrupted one that was sent again (--again) since is
     * not to be continued. */
    static const char sql[] =
        "SELECT * FROM (SELECT id, COALESCE(unit_id, 0), created_at, recipients, queued, "
        "COALESCE(finished_at, 0) AS finished FROM broadcasts "
        "WHERE text = ?1 AND (?2 = 0 OR unit_id IS NULL OR unit_id = ?2) "
        "ORDER BY id DESC LIMIT 1) WHERE created_at >= ?3 OR finished = 0";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, unit_id);
    sqlite3_bind_int64(s, 3, since);
    int row;
    int rc = step_row(st, s, &row);
    *found = rc == KB_OK && row;
    if (*found)
        read_broadcast(s, b);
    sqlite3_reset(s);
    return rc;
}

int kb_broadcast_create(struct kb_store *st, const char *text, int64_t unit_id, int64_t recipients,
                        const char *by, int64_t now, int64_t *id)
{
    static const char sql[] = "INSERT INTO broadcasts(text, unit_id, created_at, created_by, "
                              "recipients) VALUES(?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, text, -1, SQLITE_TRANSIENT);
    if (unit_id)
        sqlite3_bind_int64(s, 2, unit_id);
    sqlite3_bind_int64(s, 3, now);
    kb_bind_text_or_null(s, 4, by);
    sqlite3_bind_int64(s, 5, recipients);
    int rc = kb_stmt_done(st, s);
    *id = rc == KB_OK ? sqlite3_last_insert_rowid(st->db) : 0;
    return rc;
}

int kb_broadcast_queue_batch(struct kb_store *st, int64_t id, int limit, int64_t now, int *queued,
                             int *done)
{
    static const char get[] = "SELECT text, COALESCE(unit_id, 0), cursor, finished_at IS NOT NULL "
                              "FROM broadcasts WHERE id = ?1";
    /* The batch is the next `limit` recipients after the cursor: first its last employee id,
     * then the rows up to it, so the cursor and the rows agree. */
    static const char bound_all[] = "SELECT max(id) FROM (SELECT e.id " RECIPIENTS_FROM
                                    "e.id > ?1" NOT_BLOCKED "ORDER BY e.id LIMIT ?2)";
    static const char bound_unit[] =
        "SELECT max(id) FROM (SELECT e.id " RECIPIENTS_FROM
        "e.unit_id = ?3 AND e.id > ?1" NOT_BLOCKED "ORDER BY e.id LIMIT ?2)";
    static const char add_all[] = "INSERT INTO outbox(chat_id, kind, priority, text, created_at) "
                                  "SELECT l.chat_id, 0, 3, ?3, ?4 " RECIPIENTS_FROM
                                  "e.id > ?1 AND e.id <= ?2" NOT_BLOCKED "ORDER BY e.id";
    static const char add_unit[] =
        "INSERT INTO outbox(chat_id, kind, priority, text, created_at) "
        "SELECT l.chat_id, 0, 3, ?3, ?4 " RECIPIENTS_FROM
        "e.unit_id = ?5 AND e.id > ?1 AND e.id <= ?2" NOT_BLOCKED "ORDER BY e.id";
    static const char advance[] =
        "UPDATE broadcasts SET cursor = ?2, queued = queued + ?3, "
        "finished_at = CASE WHEN ?4 THEN ?5 ELSE finished_at END WHERE id = ?1";
    _Static_assert(KB_PRIO_BROADCAST == 3 && KB_OUT_TEXT == 0, "the literals in add_*");
    *queued = 0;
    *done = 0;
    sqlite3_stmt *s = kb_sql(st, get);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    int row;
    int rc = step_row(st, s, &row);
    if (rc != KB_OK || !row) {
        sqlite3_reset(s);
        return rc == KB_OK ? KB_ERR : rc;
    }
    char *text = kb_col_dup(s, 0);
    int64_t unit_id = sqlite3_column_int64(s, 1), cursor = sqlite3_column_int64(s, 2);
    int finished = sqlite3_column_int(s, 3);
    sqlite3_reset(s);
    if (!text)
        return KB_ERR;
    if (finished) {
        free(text);
        *done = 1;
        return KB_OK;
    }
    int64_t bound = 0;
    s = kb_sql(st, unit_id ? bound_unit : bound_all);
    rc = KB_ERR;
    if (s) {
        sqlite3_bind_int64(s, 1, cursor);
        sqlite3_bind_int(s, 2, limit);
        if (unit_id)
            sqlite3_bind_int64(s, 3, unit_id);
        rc = one_i64(st, s, &bound);
    }
    int added = 0;
    if (rc == KB_OK && bound > cursor) {
        s = kb_sql(st, unit_id ? add_unit : add_all);
        rc = KB_ERR;
        if (s) {
            sqlite3_bind_int64(s, 1, cursor);
            sqlite3_bind_int64(s, 2, bound);
            sqlite3_bind_text(s, 3, text, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(s, 4, now);
            if (unit_id)
                sqlite3_bind_int64(s, 5, unit_id);
            rc = changes_done(st, s, &added);
        }
    }
    free(text);
    if (rc != KB_OK)
        return rc;
    *done = bound <= cursor || added < limit;
    s = kb_sql(st, advance);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, bound > cursor ? bound : cursor);
    sqlite3_bind_int(s, 3, added);
    sqlite3_bind_int(s, 4, *done);
    sqlite3_bind_int64(s, 5, now);
    rc = kb_stmt_done(st, s);
    *queued = rc == KB_OK ? added : 0;
    return rc;
}

int kb_outbox_pending_upto(struct kb_store *st, int priority, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM outbox WHERE state = 0 AND priority <= ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int(s, 1, priority);
    return one_i64(st, s, n);
}

/* ---- roles ----------------------------------------------------------------------------------- */

int kb_role_grant(struct kb_store *st, int64_t employee_id, const char *role, int64_t unit_id,
                  const char *by, int64_t now, int *changed, int64_t *replaced)
{
    static const char held[] = "SELECT count(*) FROM roles WHERE employee_id = ?1 AND role = ?2 "
                               "AND unit_id IS ?3";
    /* The unit's officer: as the unit says, else as a role row says. */
    static const char officer[] =
        "SELECT COALESCE(u.hr_employee_id, (SELECT employee_id FROM roles WHERE role = 'hr_unit' "
        "AND unit_id = u.id), 0) FROM units u WHERE u.id = ?1";
    static const char drop_unit[] = "DELETE FROM roles WHERE role = 'hr_unit' AND unit_id = ?1";
    static const char add[] = "INSERT INTO roles(employee_id, role, unit_id, granted_at, "
                              "granted_by) VALUES(?1, ?2, ?3, ?4, ?5)";
    static const char set_officer[] = "UPDATE units SET hr_employee_id = ?2 WHERE id = ?1";
    int is_unit = !strcmp(role, KB_ROLE_HR_UNIT);
    *changed = 0;
    *replaced = 0;
    if (is_unit != (unit_id != 0) || (!is_unit && strcmp(role, KB_ROLE_ADMIN) != 0))
        return KB_ERR;
    int64_t n = 0, previous = 0;
    sqlite3_stmt *s = kb_sql(st, held);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
    if (unit_id)
        sqlite3_bind_int64(s, 3, unit_id);
    int rc = one_i64(st, s, &n);
    if (rc == KB_OK && is_unit && (s = kb_sql(st, officer)) != NULL) {
        sqlite3_bind_int64(s, 1, unit_id);
        rc = one_i64(st, s, &previous);
    }
    if (rc != KB_OK || (n > 0 && (!is_unit || previous == employee_id)))
        return rc; /* held already, and the unit says so */
    if (is_unit && previous != employee_id)
        *replaced = previous;
    if (is_unit && n == 0) { /* one officer per unit: the previous one's role goes */
        if (!(s = kb_sql(st, drop_unit)))
            return KB_ERR;
        sqlite3_bind_int64(s, 1, unit_id);
        if ((rc = kb_stmt_done(st, s)) != KB_OK)
            return rc;
    }
    if (n == 0) {
        if (!(s = kb_sql(st, add)))
            return KB_ERR;
        sqlite3_bind_int64(s, 1, employee_id);
        sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
        if (unit_id)
            sqlite3_bind_int64(s, 3, unit_id);
        sqlite3_bind_int64(s, 4, now);
        kb_bind_text_or_null(s, 5, by);
        if ((rc = kb_stmt_done(st, s)) != KB_OK)
            return rc;
    }
    if (is_unit) {
        if (!(s = kb_sql(st, set_officer)))
            return KB_ERR;
        sqlite3_bind_int64(s, 1, unit_id);
        sqlite3_bind_int64(s, 2, employee_id);
        if ((rc = kb_stmt_done(st, s)) != KB_OK)
            return rc;
    }
    *changed = 1;
    return KB_OK;
}

int kb_role_revoke(struct kb_store *st, int64_t employee_id, const char *role, int64_t unit_id,
                   int *removed)
{
    static const char drop[] =
        "DELETE FROM roles WHERE employee_id = ?1 AND role = ?2 AND unit_id IS ?3";
    static const char clear_officer[] =
        "UPDATE units SET hr_employee_id = NULL WHERE id = ?1 AND hr_employee_id = ?2";
    int is_unit = !strcmp(role, KB_ROLE_HR_UNIT);
    *removed = 0;
    if (is_unit != (unit_id != 0) || (!is_unit && strcmp(role, KB_ROLE_ADMIN) != 0))
        return KB_ERR;
    sqlite3_stmt *s = kb_sql(st, drop);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
    if (unit_id)
        sqlite3_bind_int64(s, 3, unit_id);
    int a = 0, b = 0;
    int rc = changes_done(st, s, &a);
    if (rc == KB_OK && is_unit) { /* also an officer set by an import, without a role row */
        if (!(s = kb_sql(st, clear_officer)))
            return KB_ERR;
        sqlite3_bind_int64(s, 1, unit_id);
        sqlite3_bind_int64(s, 2, employee_id);
        rc = changes_done(st, s, &b);
    }
    *removed = a || b;
    return rc;
}

int kb_role_list(struct kb_store *st, const char *role, int64_t unit_id, int64_t employee_id,
                 struct kb_role_row *rows, int cap, int *n)
{
    /* The roles granted here, and each unit's officer as units.hr_employee_id names it when no
     * role row says so (set by an import or the demo data). */
    static const char sql[] =
        "SELECT nip, name, role, unit, granted_at, granted_by FROM ("
        "  SELECT e.nip, e.name, r.role, COALESCE(u.name, '') AS unit, r.granted_at,"
        "         COALESCE(r.granted_by, '') AS granted_by, r.unit_id, r.employee_id"
        "  FROM roles r JOIN employees e ON e.id = r.employee_id"
        "  LEFT JOIN units u ON u.id = r.unit_id"
        "  UNION ALL"
        "  SELECT e.nip, e.name, 'hr_unit', u.name, 0, '', u.id, e.id"
        "  FROM units u JOIN employees e ON e.id = u.hr_employee_id"
        "  WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.role = 'hr_unit' AND r.unit_id = u.id"
        "                    AND r.employee_id = u.hr_employee_id))"
        " WHERE (?1 = '' OR role = ?1) AND (?2 = 0 OR unit_id = ?2) AND (?3 = 0 OR employee_id = "
        "?3)"
        " ORDER BY role, unit, nip LIMIT ?4";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, role ? role : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, unit_id);
    sqlite3_bind_int64(s, 3, employee_id);
    sqlite3_bind_int(s, 4, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_role_row *r = &rows[(*n)++];
        kb_col_copy(s, 0, r->nip, sizeof r->nip);
        kb_col_copy(s, 1, r->name, sizeof r->name);
        kb_col_copy(s, 2, r->role, sizeof r->role);
        kb_col_copy(s, 3, r->unit, sizeof r->unit);
        r->granted_at = sqlite3_column_int64(s, 4);
        kb_col_copy(s, 5, r->granted_by, sizeof r->granted_by);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        kb_store_log_error(st, "store.admin", "role list");
        return KB_ERR;
    }
    return KB_OK;
}

/* ---- status ---------------------------------------------------------------------------------- */

/* One figure: the first column of sql's only row, or -1 when the statement cannot run (a table
 * or column that an older schema lacks). Prepared for the one use and not logged: a status or a
 * count on an old database shows "?" for what it cannot know. */
static int64_t figure(struct kb_store *st, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_bind_parameter_count(s) >= 1)
        sqlite3_bind_int64(s, 1, a);
    if (sqlite3_bind_parameter_count(s) >= 2)
        sqlite3_bind_int64(s, 2, b);
    int64_t v = -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int meta_text(struct kb_store *st, const char *key, char *out, size_t cap)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
    out[0] = '\0';
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        kb_col_copy(s, 0, out, cap);
    sqlite3_reset(s);
    return KB_OK;
}

int kb_status_read(struct kb_store *st, int64_t now, struct kb_status *out)
{
    static const char employees[] = "SELECT count(*) FROM employees";
    static const char active[] = "SELECT count(*) FROM employees WHERE active = 1";
    static const char linked[] = "SELECT count(*) FROM links";
    static const char sessions[] =
        "SELECT count(*) FROM sessions WHERE expires_at IS NULL OR expires_at > ?1";
    static const char dead[] = "SELECT count(*) FROM dead_letters";
    static const char pending[] = "SELECT count(*) FROM outbox WHERE state = 0 AND priority = ?1";
    static const char failed[] = "SELECT count(*) FROM outbox WHERE state = 2 AND priority = ?1";
    /* The oldest unsent row: the lowest pending id of each priority (index outbox_pending). */
    static const char oldest[] =
        "SELECT created_at FROM outbox WHERE id = (SELECT min(id) FROM outbox "
        "WHERE state = 0 AND priority = ?1)";
    memset(out, 0, sizeof *out);
    out->latest = kb_store_latest_version();
    out->version = kb_store_version(st);
    if (kb_store_read_begin(st) != KB_OK)
        return KB_ERR;
    out->employees = figure(st, employees, 0, 0);
    out->active = figure(st, active, 0, 0);
    out->linked = figure(st, linked, 0, 0);
    out->open_sessions = figure(st, sessions, now, 0);
    out->dead_letters = figure(st, dead, 0, 0);
    for (int p = 0; p < KB_PRIO_COUNT; p++) {
        out->pending[p] = figure(st, pending, p, 0);
        out->failed[p] = figure(st, failed, p, 0);
        out->oldest_at[p] = out->pending[p] > 0 ? figure(st, oldest, p, 0) : 0;
    }
    int rc = kb_meta_get_i64(st, "poll_ok_at", 0, &out->poll_ok_at);
    if (rc == KB_OK)
        rc = kb_meta_get_i64(st, "poll_error_at", 0, &out->poll_error_at);
    if (rc == KB_OK)
        rc = meta_text(st, "poll_error", out->poll_error, sizeof out->poll_error);
    kb_store_read_end(st);
    return rc;
}

struct kb_store *kb_store_open_readonly(const char *path, int busy_ms)
{
    struct kb_store *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        char q[512];
        KB_ERROR("store.open", "path=%s error=%s", kb_log_quote(q, sizeof q, path),
                 st->db ? sqlite3_errmsg(st->db) : "out of memory");
        kb_store_close(st);
        return NULL;
    }
    sqlite3_busy_timeout(st->db, busy_ms);
    sqlite3_extended_result_codes(st->db, 1);
    /* Opening is lazy: read the header now, so a missing or foreign file is said here. */
    if (sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
        char q[512];
        KB_ERROR("store.open", "path=%s error=%s", kb_log_quote(q, sizeof q, path),
                 sqlite3_errmsg(st->db));
        kb_store_close(st);
        return NULL;
    }
    return st;
}

int kb_poll_note(struct kb_store *st, const char *error, int64_t now)
{
    static const char set_text[] = "INSERT INTO meta(key, value) VALUES('poll_error', ?1) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    int rc = kb_store_begin(st);
    if (rc != KB_OK)
        return rc;
    if (!error) {
        rc = kb_meta_set_i64(st, "poll_ok_at", now);
    } else {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", error);
        kb_log_redact(buf, sizeof buf); /* never the token, whatever a library said */
        sqlite3_stmt *s = kb_sql(st, set_text);
        rc = s ? KB_OK : KB_ERR;
        if (rc == KB_OK) {
            sqlite3_bind_text(s, 1, buf, -1, SQLITE_TRANSIENT);
            rc = kb_stmt_done(st, s);
        }
        if (rc == KB_OK)
            rc = kb_meta_set_i64(st, "poll_error_at", now);
    }
    if (rc == KB_OK)
        return kb_store_commit(st);
    kb_store_rollback(st);
    return rc;
}

/* ---- retention ------------------------------------------------------------------------------- */

int kb_purge_convlog(struct kb_store *st, int64_t before, int limit, int *deleted)
{
    static const char sql[] = "DELETE FROM conversation_log WHERE id IN (SELECT id FROM "
                              "conversation_log WHERE created_at < ?1 ORDER BY created_at "
                              "LIMIT ?2)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, before);
    sqlite3_bind_int(s, 2, limit);
    return changes_done(st, s, deleted);
}

int kb_purge_dead_letters(struct kb_store *st, int64_t before, int limit, int *deleted)
{
    static const char sql[] = "DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters "
                              "WHERE created_at < ?1 LIMIT ?2)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, before);
    sqlite3_bind_int(s, 2, limit);
    return changes_done(st, s, deleted);
}

/* A card still waiting for its decision, among ids (?1, ?1 + ?2]. */
#define WAITING_CARDS                                                                              \
    "SELECT card_outbox_id FROM approvals WHERE status = 'menunggu' "                              \
    "AND card_outbox_id > ?1 AND card_outbox_id <= ?1 + ?2"

int kb_purge_outbox_window(struct kb_store *st, int64_t before, int64_t after_id, int span,
                           int *deleted, int *newer, int64_t *next_after)
{
    static const char del[] = "DELETE FROM outbox WHERE id > ?1 AND id <= ?1 + ?2 AND state <> 0 "
                              "AND created_at < ?3 AND id NOT IN (" WAITING_CARDS ")";
    static const char young[] = "SELECT EXISTS(SELECT 1 FROM outbox WHERE id > ?1 AND "
                                "id <= ?1 + ?2 AND created_at >= ?3)";
    /* Where the walk goes on: the next row's id minus one, past any gap of deleted ids. */
    static const char last[] = "SELECT COALESCE((SELECT min(id) FROM outbox WHERE id > ?1 + ?2), "
                               "0) - 1";
    *deleted = *newer = 0;
    *next_after = -1;
    sqlite3_stmt *d = kb_sql(st, del), *y = kb_sql(st, young), *l = kb_sql(st, last);
    if (!d || !y || !l)
        return KB_ERR;
    sqlite3_bind_int64(d, 1, after_id);
    sqlite3_bind_int(d, 2, span);
    sqlite3_bind_int64(d, 3, before);
    sqlite3_bind_int64(y, 1, after_id);
    sqlite3_bind_int(y, 2, span);
    sqlite3_bind_int64(y, 3, before);
    sqlite3_bind_int64(l, 1, after_id);
    sqlite3_bind_int(l, 2, span);
    int64_t v = 0;
    int rc = changes_done(st, d, deleted);
    if (rc == KB_OK)
        rc = one_i64(st, y, &v);
    if (rc == KB_OK)
        rc = one_i64(st, l, next_after);
    *newer = v != 0;
    return rc;
}

int kb_outbox_first_id(struct kb_store *st, int64_t *before_first)
{
    static const char sql[] = "SELECT COALESCE(min(id), 1) - 1 FROM outbox";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    return one_i64(st, s, before_first);
}

int kb_purge_count(struct kb_store *st, int64_t before, int64_t *convlog, int64_t *outbox,
                   int64_t *dead)
{
    static const char c1[] = "SELECT count(*) FROM conversation_log WHERE created_at < ?1";
    static const char c2[] =
        "SELECT count(*) FROM outbox WHERE state <> 0 AND created_at < ?1 AND id NOT IN "
        "(SELECT card_outbox_id FROM approvals WHERE status = 'menunggu' "
        "AND card_outbox_id IS NOT NULL)";
    static const char c3[] = "SELECT count(*) FROM dead_letters WHERE created_at < ?1";
    if (kb_store_read_begin(st) != KB_OK)
        return KB_ERR;
    *convlog = figure(st, c1, before, 0);
    *outbox = figure(st, c2, before, 0);
    *dead = figure(st, c3, before, 0);
    kb_store_read_end(st);
    return *convlog < 0 || *outbox < 0 || *dead < 0 ? KB_ERR : KB_OK;
}

int kb_privacy_delete_chat(struct kb_store *st, int64_t chat_id, int64_t *from_user,
                           int64_t *from_bot)
{
    static const char log[] = "DELETE FROM conversation_log WHERE chat_id = ?1";
    static const char dead[] = "DELETE FROM dead_letters WHERE chat_id = ?1";
    /* karirbot's messages (kind 0 text, 1 edit) are counted; button answers (2) carry no text
     * but go too. */
    static const char out[] =
        "DELETE FROM outbox WHERE chat_id = ?1 AND state <> 0 AND (kind = 2) = ?2 "
        "AND id NOT IN (SELECT card_outbox_id FROM approvals WHERE status = 'menunggu' "
        "AND card_outbox_id IS NOT NULL)";
    *from_user = *from_bot = 0;
    sqlite3_stmt *s_log = kb_sql(st, log), *s_dead = kb_sql(st, dead), *s_out = kb_sql(st, out);
    if (!s_log || !s_dead || !s_out)
        return KB_ERR;
    int n_log = 0, n_dead = 0, n_out = 0, n_answers = 0;
    sqlite3_bind_int64(s_log, 1, chat_id);
    int rc = changes_done(st, s_log, &n_log);
    if (rc == KB_OK) {
        sqlite3_bind_int64(s_dead, 1, chat_id);
        rc = changes_done(st, s_dead, &n_dead);
    }
    if (rc == KB_OK) {
        sqlite3_bind_int64(s_out, 1, chat_id);
        sqlite3_bind_int(s_out, 2, 0);
        rc = changes_done(st, s_out, &n_out);
    }
    if (rc == KB_OK) { /* the same statement again, for the button answers */
        sqlite3_bind_int64(s_out, 1, chat_id);
        sqlite3_bind_int(s_out, 2, 1);
        rc = changes_done(st, s_out, &n_answers);
    }
    *from_user = n_log;
    *from_bot = n_out;
    return rc;
}

/* ---- backups --------------------------------------------------------------------------------- */

#define BACKUP_PAGES    256  /* per step: 1 MiB with 4 KiB pages */
#define BACKUP_BUSY_MS  5000 /* give up when the source stays locked this long */
#define BACKUP_RETRY_MS 20
#define BACKUP_RESTARTS 50 /* without a WAL snapshot, each commit elsewhere restarts the copy */

static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int sync_path(const char *path, int directory)
{
    int fd = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static void parent_dir(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == path)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

static int journal_is_wal(sqlite3 *db)
{
    sqlite3_stmt *s;
    int wal = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA main.journal_mode", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW) {
            const unsigned char *m = sqlite3_column_text(s, 0);
            wal = m && !strcmp((const char *)m, "wal");
        }
        sqlite3_finalize(s);
    }
    return wal;
}

static int quick_check_ok(sqlite3 *db)
{
    sqlite3_stmt *s;
    int ok = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW) {
            const unsigned char *m = sqlite3_column_text(s, 0);
            ok = m && !strcmp((const char *)m, "ok");
        }
        sqlite3_finalize(s);
    }
    return ok;
}

/* Copies src (a connection with no transaction open) into the new file tmp. */
static int copy_db(sqlite3 *src, const char *tmp, const struct kb_backup_opts *o, char *err,
                   size_t cap)
{
    int pages = o && o->pages_per_step > 0 ? o->pages_per_step : BACKUP_PAGES;
    unlink(tmp); /* a leftover of a run that died */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); /* personal data */
    if (fd < 0) {
        snprintf(err, cap, "cannot create %s: %s", tmp, strerror(errno));
        return KB_ERR;
    }
    close(fd);
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, cap, "cannot open %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "no memory");
        sqlite3_close(dst);
        return KB_ERR;
    }
    /* In WAL mode one read transaction across every step gives one snapshot: the copy is
     * consistent, is never restarted by the service's commits, and blocks none of them (they
     * go to the WAL, which is checkpointed past the snapshot once it ends). */
    int wal = journal_is_wal(src), waited = 0, rc;
    int snapshot = 0;
    while (wal && !snapshot) {
        rc = sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            snapshot = 1;
        } else {
            sqlite3_exec(src, "ROLLBACK", NULL, NULL, NULL);
            if ((rc & 0xff) != SQLITE_BUSY || waited >= BACKUP_BUSY_MS)
                break;
            pause_ms(BACKUP_RETRY_MS);
            waited += BACKUP_RETRY_MS;
        }
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    rc = b ? SQLITE_OK : sqlite3_errcode(dst);
    int restarts = 0, left = -1;
    while (b) {
        rc = sqlite3_backup_step(b, pages);
        int remaining = sqlite3_backup_remaining(b);
        if (left >= 0 && remaining > left && ++restarts > BACKUP_RESTARTS) {
            rc = SQLITE_BUSY; /* changed under a copy without a snapshot, again and again */
            waited = BACKUP_BUSY_MS;
        }
        left = remaining;
        if (o && o->progress && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
            int total = sqlite3_backup_pagecount(b);
            o->progress(total - remaining, total, o->data);
        }
        if (rc == SQLITE_OK) {
            if (!snapshot)
                pause_ms(1); /* without a WAL snapshot, let a writer in between steps */
            continue;
        }
        if (((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) &&
            waited < BACKUP_BUSY_MS) {
            pause_ms(BACKUP_RETRY_MS);
            waited += BACKUP_RETRY_MS;
            continue;
        }
        break;
    }
    if (b)
        sqlite3_backup_finish(b);
    if (snapshot)
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_DONE) {
        snprintf(err, cap, "%s",
                 (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED
                     ? "the database stayed locked; try again"
                     : sqlite3_errstr(rc));
    } else if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        /* a copy is a single file, usable without its -wal and -shm */
        snprintf(err, cap, "cannot finish the copy: %s", sqlite3_errmsg(dst));
        rc = SQLITE_ERROR;
    } else if (!quick_check_ok(dst)) {
        snprintf(err, cap, "the copy did not pass SQLite's quick_check");
        rc = SQLITE_CORRUPT;
    }
    sqlite3_close(dst);
    if (rc == SQLITE_DONE && sync_path(tmp, 0) != 0) {
        snprintf(err, cap, "cannot sync %s: %s", tmp, strerror(errno));
        rc = SQLITE_IOERR;
    }
    if (rc != SQLITE_DONE) {
        unlink(tmp);
        return KB_ERR;
    }
    return KB_OK;
}

/* Moves tmp to dest (never over an existing file unless overwrite), then syncs the folder. */
static int place_copy(const char *tmp, const char *dest, int overwrite, char *err, size_t cap)
{
    int rc = overwrite ? rename(tmp, dest) : link(tmp, dest);
    if (rc != 0) {
        snprintf(err, cap, "cannot write %s: %s", dest,
                 errno == EEXIST ? "it exists already" : strerror(errno));
        unlink(tmp);
        return KB_ERR;
    }
    if (!overwrite)
        unlink(tmp);
    char dir[4096];
    parent_dir(dest, dir, sizeof dir);
    sync_path(dir, 1);
    return KB_OK;
}

int kb_backup_file(const char *db_path, const char *dest, const struct kb_backup_opts *o, char *err,
                   size_t errcap)
{
    err[0] = '\0';
    if (!o->overwrite && access(dest, F_OK) == 0) {
        snprintf(err, errcap, "%s exists already", dest);
        return KB_ERR;
    }
    struct kb_store *st = kb_store_open_readonly(db_path, 50);
    if (!st) {
        snprintf(err, errcap, "cannot open the database %s", db_path);
        return KB_ERR;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dest, (long)getpid());
    int rc = copy_db(st->db, tmp, o, err, errcap);
    kb_store_close(st);
    return rc == KB_OK ? place_copy(tmp, dest, o->overwrite, err, errcap) : rc;
}

int kb_store_backup_before_migrate(struct kb_store *st, int target)
{
    const char *path = sqlite3_db_filename(st->db, "main");
    if (!path || !*path)
        return KB_OK; /* a temporary or in-memory database */
    char dest[4200], tmp[4300], err[512] = "", q[512];
    snprintf(dest, sizeof dest, "%s.pre-v%d.bak", path, target);
    if (access(dest, F_OK) == 0) { /* an earlier attempt made it: that copy is the original */
        KB_INFO("store.backup_kept", "path=%s", kb_log_quote(q, sizeof q, dest));
        return KB_OK;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dest, (long)getpid());
    struct kb_backup_opts o = {0};
    int rc = copy_db(st->db, tmp, &o, err, sizeof err);
    if (rc == KB_OK)
        rc = place_copy(tmp, dest, 0, err, sizeof err);
    if (rc == KB_OK || access(dest, F_OK) == 0) { /* or another process made it meanwhile */
        KB_INFO("store.backup_before_migrate", "version=%d path=%s", kb_store_version(st),
                kb_log_quote(q, sizeof q, dest));
        return KB_OK;
    }
    KB_ERROR("store.backup_failed",
             "path=%s error=\"%s\" reason=\"no copy could be made before upgrading the schema, "
             "so the database was left as it is; make room or fix the folder's permissions\"",
             kb_log_quote(q, sizeof q, dest), err);
    return KB_ERR;
}
