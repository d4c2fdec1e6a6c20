/* Private to src/store: the connection object and the prepared-statement cache. */
#ifndef KARIRBOT_STORE_INTERNAL_H
#define KARIRBOT_STORE_INTERNAL_H

#include <sqlite3.h>

#include "karirbot/store.h"

/* One slot per statement of the store; each is prepared on first use and kept. */
enum stmt_id {
    S_BEGIN,
    S_BEGIN_READ,
    S_COMMIT,
    S_ROLLBACK,
    S_SAVEPOINT,
    S_RELEASE,
    S_ROLLBACK_TO,
    S_META_GET,
    S_META_SET,
    S_UPD_ATTEMPT,
    S_UPD_REATTEMPT,
    S_UPD_FINISH,
    S_UPD_FINISH_NEW,
    S_UPD_UNATTEMPT,
    S_UPD_ERROR,
    S_UPD_LAST_ERROR,
    S_UPD_PRUNE,
    S_DEAD_ADD,
    S_CHAT_TOUCH,
    S_CHAT_INSERT,
    S_CHAT_REFUSED_GET,
    S_CHAT_REFUSED,
    S_CHAT_BLOCKED,
    S_CONVLOG_ADD,
    S_OUT_ADD,
    S_OUT_SCAN,
    S_OUT_LOAD,
    S_OUT_SENT,
    S_OUT_FAILED,
    S_OUT_ATTEMPT,
    S_OUT_MSGID,
    S_OUT_PENDING,
    S_SESSION_GET,
    S_SESSION_PUT,
    S_SESSION_CLEAR,
    S_LANG_GET,
    S_LANG_SET,
    S_BUTTON_ADD,
    S_BUTTON_GET,
    S_BUTTON_PRUNE,
    S_COUNT
};

/* Statements of the career areas, cached by the address of their SQL text (a string literal
 * in the area's file), so an area adds statements without touching the enum above. */
#define SQL_CACHE_SLOTS 512

struct kb_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[S_COUNT];
    struct {
        const char *sql;
        sqlite3_stmt *s;
    } sql_cache[SQL_CACHE_SLOTS];
    int in_txn;
};

/* Returns the statement for id, prepared from sql on first use and reset for reuse; NULL after
 * logging on failure. */
sqlite3_stmt *kb_stmt(struct kb_store *st, enum stmt_id id, const char *sql);
/* The same for a statement whose sql is a string literal (its address is the cache key). */
sqlite3_stmt *kb_sql(struct kb_store *st, const char *sql);
/* Runs a prepared statement that returns no rows to completion and resets it. */
int kb_stmt_done(struct kb_store *st, sqlite3_stmt *s);
/* Runs a bounded DELETE whose ?1 is a cut-off instant and ?2 a row limit; *deleted (may be
 * NULL) gets the number of rows removed. */
int kb_stmt_prune(struct kb_store *st, enum stmt_id id, const char *sql, int64_t before, int limit,
                  int *deleted);
/* Logs the connection's last error under event with context. */
void kb_store_log_error(struct kb_store *st, const char *event, const char *what);
int kb_migrate(struct kb_store *st);

/* Text of column i of the current row copied into out (cap bytes; "" for NULL); a malloc'd
 * copy (NULL for NULL). */
void kb_col_copy(sqlite3_stmt *s, int i, char *out, size_t cap);
char *kb_col_dup(sqlite3_stmt *s, int i);
/* Binds text, or NULL when v is NULL or "". */
void kb_bind_text_or_null(sqlite3_stmt *s, int i, const char *v);

/* The career schema, one migration step per area, each in its area's file. */
extern const char kb_schema_people[];
extern const char kb_schema_approvals[];
extern const char kb_schema_rpi[];
extern const char kb_schema_trainings[];
extern const char kb_schema_mentoring[];
extern const char kb_schema_promotions[];
extern const char kb_schema_hr[];
extern const char kb_schema_admin[];
extern const char kb_schema_import[];
extern const char kb_schema_reminders[];
/* Copies the database to <file>.pre-v<target>.bak before migrations run (store/admin.c). */
int kb_store_backup_before_migrate(struct kb_store *st, int target);

#endif
