/* people: units, employees (as HR imports them), the link between an employee and a Telegram
 * account, the one-time activation codes that make that link, and the wrong tries at them. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/log.h"
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
    /* Codes are kept only as a hash (kb_code_hash says which and why). */
    "CREATE TABLE activation_codes("
    "  hash BLOB PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  used_at INTEGER,"
    "  used_by INTEGER,"            /* the Telegram user it linked */
    "  revoked_at INTEGER) STRICT;" /* a newer code for the employee replaced it */
    "CREATE INDEX activation_codes_employee ON activation_codes(employee_id);"
    "CREATE TABLE link_attempts("
    "  chat_id INTEGER NOT NULL,"
    "  at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX link_attempts_chat ON link_attempts(chat_id, at);"
    "CREATE INDEX link_attempts_age ON link_attempts(at);";

#define PERSON_COLS                                                                                \
    "e.id, e.nip, e.name, e.asn_kind, e.grade, e.tmt_grade, e.education, e.position, "             \
    "e.position_kind, u.name, COALESCE(e.zone, u.zone, 'WIB'), COALESCE(u.workdays, 5), "          \
    "e.supervisor_id, e.perf_last, e.perf_prev, e.credit_points, e.stlud, l.chat_id, "             \
    "COALESCE(u.hr_employee_id, 0) "                                                               \
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
        p->unit_hr_id = sqlite3_column_int64(s, 18);
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
    /* An employee who lost access (import: status_aktif nonaktif) is nobody's account. */
    static const char sql[] = "SELECT " PERSON_COLS "WHERE l.user_id = ?1 AND e.active = 1";
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

/* ---- activation codes ------------------------------------------------------------------------ */

/* Crockford's base 32: no I, L, O or U, so nothing reads as something else. */
static const char code_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int kb_code_normalize(const char *typed, char out[KB_CODE_LEN + 1])
{
    size_t n = 0;
    out[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)typed; *p; p++) {
        int c = *p;
        if (c == ' ' || c == '-' || c == '.' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c == 'O')
            c = '0';
        else if (c == 'I' || c == 'L')
            c = '1';
        if (c == 0 || !strchr(code_alphabet, c) || n == KB_CODE_LEN) {
            out[0] = '\0';
            return -1;
        }
        out[n++] = (char)c;
    }
    out[n] = '\0';
    if (n != KB_CODE_LEN) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

void kb_code_group(const char *code, char out[KB_CODE_SHOWN])
{
    snprintf(out, KB_CODE_SHOWN, "%.4s-%.4s-%.2s", code, code + 4, code + 8);
}

/* Why a plain (unkeyed) BLAKE2b and not a password hash: a code carries 50 random bits from the
 * system's CSPRNG, not a human choice, so there is no dictionary to slow down; lookups must be
 * by hash (the primary key), which rules out a per-code salt; and crypto_pwhash would spend
 * ~100 ms of the one event loop's CPU on every try, a lever for anyone sending wrong codes.
 * Guessing online is bounded by the rate limits of linking (act_accounts.c). The residual risk
 * is offline: someone holding a copy of the database could search the 2^50 codes against all
 * unused hashes at once; a code expires in days and is single-use, and that person already holds
 * every record. A key kept outside the database (crypto_generichash's key) would close this;
 * it needs key management the deployment does not have yet. */
int kb_code_hash(const char *code, unsigned char hash[KB_CODE_HASH_LEN])
{
    if (sodium_init() < 0)
        return -1;
    return crypto_generichash(hash, KB_CODE_HASH_LEN, (const unsigned char *)code, strlen(code),
                              NULL, 0) == 0
               ? 0
               : -1;
}

void kb_code_hash_hex(const unsigned char hash[KB_CODE_HASH_LEN], char hex[KB_CODE_HASH_HEX])
{
    sodium_bin2hex(hex, KB_CODE_HASH_HEX, hash, KB_CODE_HASH_LEN);
}

int kb_code_hash_from_hex(const char *hex, unsigned char hash[KB_CODE_HASH_LEN])
{
    size_t len = 0;
    const char *end = NULL;
    if (strlen(hex) != 2 * KB_CODE_HASH_LEN ||
        sodium_hex2bin(hash, KB_CODE_HASH_LEN, hex, strlen(hex), NULL, &len, &end) != 0 ||
        len != KB_CODE_HASH_LEN || *end)
        return -1;
    return 0;
}

static int code_exists(struct kb_store *st, const unsigned char hash[KB_CODE_HASH_LEN], int *found)
{
    static const char sql[] = "SELECT 1 FROM activation_codes WHERE hash = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_blob(s, 1, hash, KB_CODE_HASH_LEN, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.code", sql);
        return KB_ERR;
    }
    return KB_OK;
}

/* Draws a random code that no stored code shares; writes it to code and its hash to hash. */
static int new_code(struct kb_store *st, char code[KB_CODE_LEN + 1],
                    unsigned char hash[KB_CODE_HASH_LEN])
{
    /* A clash of 50 random bits with a stored code is all but impossible; draw again if so. */
    for (int tries = 0; tries < 4; tries++) {
        unsigned char raw[KB_CODE_LEN];
        int found = 0;
        randombytes_buf(raw, sizeof raw);
        for (int i = 0; i < KB_CODE_LEN; i++)
            code[i] = code_alphabet[raw[i] & 31]; /* 256 is a multiple of 32: uniform */
        code[KB_CODE_LEN] = '\0';
        sodium_memzero(raw, sizeof raw);
        if (kb_code_hash(code, hash) != 0 || code_exists(st, hash, &found) != KB_OK)
            return KB_ERR;
        if (!found)
            return KB_OK;
    }
    KB_ERROR("store.code", "reason=\"four random codes were all taken\"");
    return KB_ERR;
}

int kb_code_issue(struct kb_store *st, int64_t employee_id, int64_t now, int64_t expires_at,
                  char code[KB_CODE_LEN + 1])
{
    static const char revoke[] =
        "UPDATE activation_codes SET revoked_at = ?2 "
        "WHERE employee_id = ?1 AND used_at IS NULL AND revoked_at IS NULL";
    static const char insert[] =
        "INSERT INTO activation_codes(hash, employee_id, created_at, expires_at) "
        "VALUES(?1, ?2, ?3, ?4)";
    unsigned char hash[KB_CODE_HASH_LEN];
    sqlite3_stmt *s = NULL;
    int rc = sodium_init() < 0 ? KB_ERR : new_code(st, code, hash);
    if (rc == KB_OK) {
        s = kb_sql(st, revoke);
        rc = s ? KB_OK : KB_ERR;
    }
    if (rc == KB_OK) {
        sqlite3_bind_int64(s, 1, employee_id);
        sqlite3_bind_int64(s, 2, now);
        rc = kb_stmt_done(st, s);
    }
    if (rc == KB_OK) {
        s = kb_sql(st, insert);
        rc = s ? KB_OK : KB_ERR;
    }
    if (rc == KB_OK) {
        sqlite3_bind_blob(s, 1, hash, KB_CODE_HASH_LEN, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 2, employee_id);
        sqlite3_bind_int64(s, 3, now);
        sqlite3_bind_int64(s, 4, expires_at);
        rc = kb_stmt_done(st, s);
    }
    if (rc != KB_OK)
        code[0] = '\0';
    return rc;
}

int kb_code_find(struct kb_store *st, const unsigned char hash[KB_CODE_HASH_LEN], int64_t now,
                 int *state, int64_t *employee_id)
{
    static const char sql[] =
        "SELECT employee_id, used_at IS NOT NULL, revoked_at IS NOT NULL OR expires_at <= ?2 "
        "FROM activation_codes WHERE hash = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_blob(s, 1, hash, KB_CODE_HASH_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, now);
    *state = KB_CODE_UNKNOWN;
    *employee_id = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *employee_id = sqlite3_column_int64(s, 0);
        *state = sqlite3_column_int(s, 1)   ? KB_CODE_USED
                 : sqlite3_column_int(s, 2) ? KB_CODE_EXPIRED
                                            : KB_CODE_VALID;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.code", sql);
        return KB_ERR;
    }
    return KB_OK;
}

int kb_code_use(struct kb_store *st, const unsigned char hash[KB_CODE_HASH_LEN], int64_t user_id,
                int64_t now, int *changed)
{
    static const char sql[] =
        "UPDATE activation_codes SET used_at = ?3, used_by = ?2 "
        "WHERE hash = ?1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?3";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_blob(s, 1, hash, KB_CODE_HASH_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int64(s, 3, now);
    int rc = kb_stmt_done(st, s);
    *changed = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

/* ---- wrong tries ------------------------------------------------------------------------------
 */

#define ATTEMPTS_PRUNE 16 /* more than one insert adds: the old rows never pile up */

int kb_link_attempt_add(struct kb_store *st, int64_t chat_id, int64_t now, int64_t prune_before)
{
    static const char prune[] =
        "DELETE FROM link_attempts WHERE rowid IN "
        "(SELECT rowid FROM link_attempts WHERE at < ?1 ORDER BY at LIMIT ?2)";
    static const char insert[] = "INSERT INTO link_attempts(chat_id, at) VALUES(?1, ?2)";
    sqlite3_stmt *s = kb_sql(st, prune);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, prune_before);
    sqlite3_bind_int(s, 2, ATTEMPTS_PRUNE);
    if (kb_stmt_done(st, s) != KB_OK)
        return KB_ERR;
    s = kb_sql(st, insert);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    sqlite3_bind_int64(s, 2, now);
    return kb_stmt_done(st, s);
}

int kb_link_attempts_count(struct kb_store *st, int64_t chat_id, int64_t since, int *count)
{
    /* Both are bounded: the limits stop adding rows once a window holds its maximum. */
    static const char one[] = "SELECT count(*) FROM link_attempts WHERE chat_id = ?1 AND at >= ?2";
    static const char all[] = "SELECT count(*) FROM link_attempts WHERE at >= ?2";
    const char *sql = chat_id ? one : all;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    if (chat_id)
        sqlite3_bind_int64(s, 1, chat_id);
    sqlite3_bind_int64(s, 2, since);
    int rc = sqlite3_step(s);
    *count = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) {
        kb_store_log_error(st, "store.link_attempts", sql);
        return KB_ERR;
    }
    return KB_OK;
}

int kb_link_redact_input(struct kb_store *st, int64_t chat_id, int was_start)
{
    static const char sql[] =
        "UPDATE conversation_log SET text = ?2 "
        "WHERE id = (SELECT max(id) FROM conversation_log WHERE chat_id = ?1)";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, chat_id);
    sqlite3_bind_text(s, 2, was_start ? "/start [activation code]" : "[activation code]", -1,
                      SQLITE_STATIC);
    return kb_stmt_done(st, s);
}

/* ---- the bot's username -----------------------------------------------------------------------
 */

int kb_bot_username_get(struct kb_store *st, char *out, size_t cap)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = 'bot_username'";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    out[0] = '\0';
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_TEXT)
        kb_col_copy(s, 0, out, cap);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.meta", sql);
        return KB_ERR;
    }
    return KB_OK;
}

int kb_bot_username_set(struct kb_store *st, const char *username)
{
    static const char sql[] = "INSERT INTO meta(key, value) VALUES('bot_username', ?1) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, username, -1, SQLITE_TRANSIENT);
    return kb_stmt_done(st, s);
}

int kb_unit_update(struct kb_store *st, const char *name, const char *zone, int workdays,
                   int *found)
{
    static const char sql[] = "UPDATE units SET zone = COALESCE(?2, zone), "
                              "workdays = CASE WHEN ?3 > 0 THEN ?3 ELSE workdays END "
                              "WHERE name = ?1";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    kb_bind_text_or_null(s, 2, zone);
    sqlite3_bind_int(s, 3, workdays);
    int rc = kb_stmt_done(st, s);
    *found = rc == KB_OK && sqlite3_changes(st->db) > 0;
    return rc;
}

int kb_units_list(struct kb_store *st, struct kb_unit_row *rows, int cap, int *n)
{
    static const char sql[] =
        "SELECT u.name, u.zone, u.workdays, (SELECT count(*) FROM employees e "
        "WHERE e.unit_id = u.id AND e.active = 1) FROM units u ORDER BY u.name LIMIT ?1";
    *n = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int(s, 1, cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        struct kb_unit_row *r = &rows[(*n)++];
        kb_col_copy(s, 0, r->name, sizeof r->name);
        kb_col_copy(s, 1, r->zone, sizeof r->zone);
        r->workdays = sqlite3_column_int(s, 2);
        r->employees = sqlite3_column_int(s, 3);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.units", sqlite3_sql(s));
        return KB_ERR;
    }
    return KB_OK;
}
