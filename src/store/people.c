/* people: units, employees (as HR imports them), the link between an employee and a Telegram
 * account, and the one-time activation codes that make that link. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/people.h"

const char kb_schema_people[] =
    "CREATE TABLE units("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  zone TEXT NOT NULL DEFAULT 'WIB' CHECK(zone IN ('WIB','WITA','WIT')),"
    "  workdays INTEGER NOT NULL DEFAULT 5 CHECK(workdays IN (5,6)),"
    "  hr_employee_id INTEGER) STRICT;" /* the HR officer who gets this unit's digests */
    "CREATE TABLE employees("
    "  id INTEGER PRIMARY KEY,"
    "  nip TEXT NOT NULL UNIQUE," /* 18 digits, NIP or NI PPPK */
    "  name TEXT NOT NULL,"
    "  asn_kind TEXT NOT NULL CHECK(asn_kind IN ('PNS','CPNS','PPPK')),"
    "  grade TEXT NOT NULL," /* 'III/a', or 'IX' for PPPK */
    "  tmt_grade TEXT,"      /* YYYY-MM-DD */
    "  education TEXT,"      /* a code of the policy data: SD, SLTP, S1, ... */
    "  position TEXT,"       /* jabatan, as written */
    "  position_kind TEXT CHECK(position_kind IN ('pelaksana','fungsional','struktural')),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  supervisor_id INTEGER REFERENCES employees(id),"
    "  zone TEXT CHECK(zone IN ('WIB','WITA','WIT'))," /* NULL: the unit's */
    "  perf_last TEXT,"                                /* predikat kinerja of last year */
    "  perf_prev TEXT,"                                /* and of the year before */
    "  credit_points REAL," /* angka kredit kumulatif, when HR supplies it */
    "  stlud INTEGER,"      /* 1 passed, 0 not, NULL unknown */
    "  updated_at INTEGER NOT NULL DEFAULT 0) STRICT;"
    "CREATE INDEX employees_supervisor ON employees(supervisor_id);"
    "CREATE INDEX employees_unit ON employees(unit_id);"
    /* One Telegram account per employee and one employee per account. */
    "CREATE TABLE links("
    "  employee_id INTEGER PRIMARY KEY REFERENCES employees(id),"
    "  user_id INTEGER NOT NULL UNIQUE,"
    "  chat_id INTEGER NOT NULL,"
    "  linked_at INTEGER NOT NULL) STRICT;"
    /* Codes are kept only as a hash: a leaked database does not leak working codes. */
    "CREATE TABLE activation_codes("
    "  hash BLOB PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  used_at INTEGER,"
    "  used_by INTEGER) STRICT;"
    "CREATE INDEX activation_codes_employee ON activation_codes(employee_id);"
    "CREATE TABLE link_attempts("
    "  chat_id INTEGER NOT NULL,"
    "  at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX link_attempts_chat ON link_attempts(chat_id, at);"
    "CREATE INDEX link_attempts_age ON link_attempts(at);";

#define PERSON_COLS                                                                                \
    "e.id, e.nip, e.name, e.asn_kind, e.grade, e.tmt_grade, e.education, e.position, "             \
    "e.position_kind, u.name, COALESCE(e.zone, u.zone, 'WIB'), COALESCE(u.workdays, 5), "          \
    "e.supervisor_id, e.perf_last, e.perf_prev, e.credit_points, e.stlud, l.chat_id "              \
    "FROM employees e LEFT JOIN units u ON u.id = e.unit_id "                                      \
    "LEFT JOIN links l ON l.employee_id = e.id "

static int read_person(struct kb_store *st, sqlite3_stmt *s, struct kb_person *p, int *found)
{
    *found = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        p->id = sqlite3_column_int64(s, 0);
        kb_col_copy(s, 1, p->nip, sizeof p->nip);
        kb_col_copy(s, 2, p->name, sizeof p->name);
        kb_col_copy(s, 3, p->asn_kind, sizeof p->asn_kind);
        kb_col_copy(s, 4, p->grade, sizeof p->grade);
        kb_col_copy(s, 5, p->tmt_grade, sizeof p->tmt_grade);
        kb_col_copy(s, 6, p->education, sizeof p->education);
        kb_col_copy(s, 7, p->position, sizeof p->position);
        kb_col_copy(s, 8, p->position_kind, sizeof p->position_kind);
        kb_col_copy(s, 9, p->unit, sizeof p->unit);
        kb_col_copy(s, 10, p->zone, sizeof p->zone);
        p->unit_workdays = sqlite3_column_int(s, 11);
        p->supervisor_id = sqlite3_column_int64(s, 12);
        kb_col_copy(s, 13, p->perf_last, sizeof p->perf_last);
        kb_col_copy(s, 14, p->perf_prev, sizeof p->perf_prev);
        p->credit_points =
            sqlite3_column_type(s, 15) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 15);
        p->stlud = sqlite3_column_type(s, 16) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 16);
        p->chat_id = sqlite3_column_int64(s, 17);
        *found = 1;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.person", sqlite3_sql(s));
        return KB_ERR;
    }
    return KB_OK;
}

int kb_person_by_id(struct kb_store *st, int64_t id, struct kb_person *p, int *found)
{
    static const char sql[] = "SELECT " PERSON_COLS "WHERE e.id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, id);
    return read_person(st, s, p, found);
}

int kb_person_by_nip(struct kb_store *st, const char *nip, struct kb_person *p, int *found)
{
    static const char sql[] = "SELECT " PERSON_COLS "WHERE e.nip = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, nip, -1, SQLITE_TRANSIENT);
    return read_person(st, s, p, found);
}

int kb_person_by_user(struct kb_store *st, int64_t user_id, struct kb_person *p, int *found)
{
    static const char sql[] = "SELECT " PERSON_COLS "WHERE l.user_id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, user_id);
    return read_person(st, s, p, found);
}

const char *kb_person_salutation_key(const struct kb_person *p)
{
    if (strcmp(p->asn_kind, "PPPK") != 0 && strlen(p->nip) == 18) {
        if (p->nip[14] == '1')
            return "sal_bapak";
        if (p->nip[14] == '2')
            return "sal_ibu";
    }
    return "sal_unknown";
}

int kb_link_set(struct kb_store *st, int64_t employee_id, int64_t user_id, int64_t chat_id,
                int64_t now)
{
    static const char sql[] =
        "INSERT INTO links(employee_id, user_id, chat_id, linked_at) VALUES(?1, ?2, ?3, ?4)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int64(s, 3, chat_id);
    sqlite3_bind_int64(s, 4, now);
    return kb_stmt_done(st, s);
}

int kb_link_clear_user(struct kb_store *st, int64_t user_id, int *removed)
{
    static const char sql[] = "DELETE FROM links WHERE user_id = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, user_id);
    int rc = kb_stmt_done(st, s);
    *removed = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}
