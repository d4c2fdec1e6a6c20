/* db: the SQLite connection — pragmas, the statement cache and transactions. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "karirbot/clock.h"
#include "karirbot/log.h"

#define SLOW_COMMIT_MS 100

void kb_store_log_error(struct kb_store *st, const char *event, const char *what)
{
    char q[512];
    KB_ERROR(event, "what=%s code=%d error=%s", what, sqlite3_extended_errcode(st->db),
             kb_log_quote(q, sizeof q, sqlite3_errmsg(st->db)));
}

sqlite3_stmt *kb_stmt(struct kb_store *st, enum stmt_id id, const char *sql)
{
    sqlite3_stmt *s = st->stmt[id];
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return s;
    }
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL) !=
        SQLITE_OK) {
        kb_store_log_error(st, "store.prepare", sql);
        return NULL;
    }
    return st->stmt[id];
}

sqlite3_stmt *kb_sql(struct kb_store *st, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 3) % SQL_CACHE_SLOTS;
    for (size_t i = 0; i < SQL_CACHE_SLOTS; i++, h = (h + 1) % SQL_CACHE_SLOTS) {
        if (st->sql_cache[h].sql == sql) {
            sqlite3_stmt *s = st->sql_cache[h].s;
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            return s;
        }
        if (!st->sql_cache[h].sql) {
            sqlite3_stmt *s;
            if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
                SQLITE_OK) {
                kb_store_log_error(st, "store.prepare", sql);
                return NULL;
            }
            st->sql_cache[h].sql = sql;
            st->sql_cache[h].s = s;
            return s;
        }
    }
    KB_ERROR("store.sql_cache_full", "slots=%d", SQL_CACHE_SLOTS);
    return NULL;
}

void kb_col_copy(sqlite3_stmt *s, int i, char *out, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    snprintf(out, cap, "%s", v ? (const char *)v : "");
}

char *kb_col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    return v ? strdup((const char *)v) : NULL;
}

void kb_bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

int kb_stmt_done(struct kb_store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return KB_OK;
    if (rc == SQLITE_BUSY)
        return KB_BUSY;
    kb_store_log_error(st, "store.step", sqlite3_sql(s));
    return KB_ERR;
}

int kb_stmt_prune(struct kb_store *st, enum stmt_id id, const char *sql, int64_t before, int limit,
                  int *deleted)
{
    sqlite3_stmt *s = kb_stmt(st, id, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, before);
    sqlite3_bind_int(s, 2, limit);
    int rc = kb_stmt_done(st, s);
    if (deleted)
        *deleted = rc == KB_OK ? sqlite3_changes(st->db) : 0;
    return rc;
}

static int exec(struct kb_store *st, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        char q[512];
        KB_ERROR("store.exec", "sql=%s error=%s", kb_log_quote(q, sizeof q, sql), err ? err : "?");
        sqlite3_free(err);
        return KB_ERR;
    }
    return KB_OK;
}

int kb_store_open(struct kb_store **out, const char *path, int busy_ms)
{
    *out = NULL;
    struct kb_store *st = calloc(1, sizeof *st);
    if (!st)
        return KB_ERR;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        char q[512];
        KB_ERROR("store.open", "path=%s error=%s", kb_log_quote(q, sizeof q, path),
                 st->db ? sqlite3_errmsg(st->db) : "out of memory");
        kb_store_close(st);
        return KB_ERR;
    }
    sqlite3_busy_timeout(st->db, busy_ms);
    sqlite3_extended_result_codes(st->db, 1);
    /* FULL: a commit is on disk when COMMIT returns; one commit covers a whole update batch. */
    /* temp_store=MEMORY keeps the per-update savepoint journals off the disk. */
    if (exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                 "PRAGMA temp_store=MEMORY;") ||
        kb_migrate(st) != KB_OK) {
        kb_store_close(st);
        return KB_ERR;
    }
    *out = st;
    return KB_OK;
}

void kb_store_close(struct kb_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < SQL_CACHE_SLOTS; i++)
        sqlite3_finalize(st->sql_cache[i].s);
    sqlite3_close(st->db);
    free(st);
}

int kb_store_set_durable(struct kb_store *st, int durable)
{
    return exec(st, durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
}

int kb_store_set_cache_kib(struct kb_store *st, int kib)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
    return exec(st, sql);
}

static int step_simple(struct kb_store *st, enum stmt_id id, const char *sql)
{
    sqlite3_stmt *s = kb_stmt(st, id, sql);
    return s ? kb_stmt_done(st, s) : KB_ERR;
}

int kb_store_begin(struct kb_store *st)
{
    int rc = step_simple(st, S_BEGIN, "BEGIN IMMEDIATE");
    if (rc == KB_OK)
        st->in_txn = 1;
    return rc;
}

int kb_store_commit(struct kb_store *st)
{
    uint64_t t0 = kb_mono_ms();
    int rc = step_simple(st, S_COMMIT, "COMMIT");
    uint64_t ms = kb_mono_ms() - t0;
    if (ms >= SLOW_COMMIT_MS) /* a stalled disk, or a large automatic checkpoint */
        KB_WARN("store.slow_commit", "ms=%llu", (unsigned long long)ms);
    if (rc == KB_OK)
        st->in_txn = 0;
    else
        kb_store_rollback(st);
    return rc;
}

void kb_store_rollback(struct kb_store *st)
{
    if (sqlite3_get_autocommit(st->db) == 0)
        step_simple(st, S_ROLLBACK, "ROLLBACK");
    st->in_txn = 0;
}

int kb_store_read_begin(struct kb_store *st)
{
    return step_simple(st, S_BEGIN_READ, "BEGIN DEFERRED");
}

void kb_store_read_end(struct kb_store *st)
{
    if (sqlite3_get_autocommit(st->db) == 0)
        step_simple(st, S_COMMIT, "COMMIT");
}

int kb_store_savepoint(struct kb_store *st)
{
    return step_simple(st, S_SAVEPOINT, "SAVEPOINT sp");
}

int kb_store_release(struct kb_store *st)
{
    return step_simple(st, S_RELEASE, "RELEASE sp");
}

void kb_store_rollback_savepoint(struct kb_store *st)
{
    step_simple(st, S_ROLLBACK_TO, "ROLLBACK TO sp");
    kb_store_release(st);
}

const char *kb_store_errmsg(struct kb_store *st)
{
    return sqlite3_errmsg(st->db);
}

int kb_store_integrity_ok(struct kb_store *st)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return KB_ERR;
    int ok =
        sqlite3_step(s) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
    sqlite3_finalize(s);
    return ok ? KB_OK : KB_ERR;
}

int kb_meta_get_i64(struct kb_store *st, const char *key, int64_t dflt, int64_t *out)
{
    sqlite3_stmt *s = kb_stmt(st, S_META_GET, "SELECT value FROM meta WHERE key = ?1");
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : dflt;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_ERR;
}

int kb_meta_set_i64(struct kb_store *st, const char *key, int64_t value)
{
    sqlite3_stmt *s = kb_stmt(st, S_META_SET,
                              "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!s)
        return KB_ERR;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, value);
    return kb_stmt_done(st, s);
}

int kb_store_exec_seed(struct kb_store *st, const char *sql, const char *today)
{
    sqlite3_stmt *s = NULL;
    int rc = exec(st, "BEGIN IMMEDIATE; CREATE TEMP TABLE seed(today TEXT NOT NULL);");
    if (rc == KB_OK &&
        sqlite3_prepare_v2(st->db, "INSERT INTO temp.seed VALUES(?1)", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, today, -1, SQLITE_STATIC);
        rc = sqlite3_step(s) == SQLITE_DONE ? KB_OK : KB_ERR;
    } else {
        rc = KB_ERR;
    }
    sqlite3_finalize(s);
    if (rc == KB_OK)
        rc = exec(st, sql);
    if (rc == KB_OK)
        rc = exec(st, "DROP TABLE temp.seed; COMMIT;");
    if (rc != KB_OK) {
        sqlite3_exec(st->db, "ROLLBACK; DROP TABLE IF EXISTS temp.seed;", NULL, NULL, NULL);
    }
    return rc;
}
