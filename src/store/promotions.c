/* promotions: promotion files (usulan kenaikan pangkat) and the stages each has reached. */
#include "karirbot/promotions.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "karirbot/idfmt.h"
#include "karirbot/log.h"

const char kb_schema_promotions[] =
    "CREATE TABLE promotions("
    "  id INTEGER PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  kind TEXT NOT NULL," /* reguler, pilihan, fungsional, ... */
    "  target_grade TEXT NOT NULL,"
    "  period TEXT NOT NULL," /* the promotion date aimed at, YYYY-MM-DD */
    "  UNIQUE(employee_id, period)) STRICT;"
    "CREATE TABLE promotion_stages("
    "  promotion_id INTEGER NOT NULL REFERENCES promotions(id),"
    "  stage TEXT NOT NULL," /* a stage id of the policy data, or BTL/BTS/TMS */
    "  reached_on TEXT NOT NULL,"
    "  note TEXT,"
    /* The order of recording within the file (1, 2, ...): it orders stages of one date, such
     * as a return recorded after the stage it came back from. 0: not known. */
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(promotion_id, stage)) STRICT, WITHOUT ROWID;";

static int read_stages(struct kb_store *st, struct kb_promotion_file *f)
{
    /* The latest rows, newest first (one more than kept, to tell that some were left out). */
    static const char sql[] = "SELECT stage, reached_on, seq, note FROM promotion_stages "
                              "WHERE promotion_id = ?1 "
                              "ORDER BY reached_on DESC, seq DESC, stage DESC LIMIT ?2";
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, f->id);
    sqlite3_bind_int(s, 2, KB_PROMOTION_STAGES_MAX + 1);
    f->nstages = 0;
    f->truncated = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (f->nstages == KB_PROMOTION_STAGES_MAX) {
            f->truncated = 1;
            continue;
        }
        struct kb_promotion_stage_row *r = &f->stages[f->nstages++];
        kb_col_copy(s, 0, r->stage, sizeof r->stage);
        kb_col_copy(s, 1, r->reached_on, sizeof r->reached_on);
        r->seq = sqlite3_column_int64(s, 2);
        kb_col_copy(s, 3, r->note, sizeof r->note);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.promotion_stages", sqlite3_sql(s));
        return KB_ERR;
    }
    for (size_t i = 0, j = f->nstages ? f->nstages - 1 : 0; i < j; i++, j--) { /* oldest first */
        struct kb_promotion_stage_row t = f->stages[i];
        f->stages[i] = f->stages[j];
        f->stages[j] = t;
    }
    return KB_OK;
}

int kb_promotion_current(struct kb_store *st, int64_t employee_id, struct kb_promotion_file *f,
                         int *found)
{
    static const char sql[] = "SELECT id, employee_id, kind, target_grade, period FROM promotions "
                              "WHERE employee_id = ?1 ORDER BY period DESC LIMIT 1";
    *found = 0;
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        f->id = sqlite3_column_int64(s, 0);
        f->employee_id = sqlite3_column_int64(s, 1);
        kb_col_copy(s, 2, f->kind, sizeof f->kind);
        kb_col_copy(s, 3, f->target_grade, sizeof f->target_grade);
        kb_col_copy(s, 4, f->period, sizeof f->period);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        kb_store_log_error(st, "store.promotion", sqlite3_sql(s));
        return KB_ERR;
    }
    if (rc == SQLITE_DONE)
        return KB_OK;
    if (read_stages(st, f) != KB_OK)
        return KB_ERR;
    *found = 1;
    return KB_OK;
}

int kb_promotion_file_set(struct kb_store *st, int64_t employee_id, const char *kind,
                          const char *target_grade, const char *period, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO promotions(employee_id, kind, target_grade, period) VALUES(?1, ?2, ?3, ?4) "
        "ON CONFLICT(employee_id, period) DO UPDATE SET kind = excluded.kind, "
        "target_grade = excluded.target_grade RETURNING id";
    if (!kind || !*kind || strlen(kind) >= sizeof((struct kb_promotion_file *)0)->kind ||
        !target_grade || !*target_grade ||
        strlen(target_grade) >= sizeof((struct kb_promotion_file *)0)->target_grade ||
        kb_date_parse(period, NULL, NULL, NULL) != 0) {
        KB_ERROR("store.promotion_bad", "employee=%lld reason=\"bad kind, grade or period\"",
                 (long long)employee_id);
        return KB_ERR;
    }
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, employee_id);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, target_grade, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, period, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && id)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) {
        kb_store_log_error(st, "store.promotion_set", sqlite3_sql(s));
        return rc == SQLITE_BUSY ? KB_BUSY : KB_ERR;
    }
    return KB_OK;
}

int kb_promotion_stage_set(struct kb_store *st, int64_t promotion_id, const char *stage,
                           const char *reached_on, const char *note)
{
    /* A new row comes after every row of the file; an existing one moves to the end only
     * when its date changes. */
    static const char sql[] =
        "INSERT INTO promotion_stages(promotion_id, stage, reached_on, note, seq) "
        "VALUES(?1, ?2, ?3, ?4, "
        "  (SELECT COALESCE(MAX(seq), 0) + 1 FROM promotion_stages WHERE promotion_id = ?1)) "
        "ON CONFLICT(promotion_id, stage) DO UPDATE SET "
        "  seq = CASE WHEN reached_on = excluded.reached_on THEN seq ELSE excluded.seq END, "
        "  reached_on = excluded.reached_on, note = excluded.note";
    if (!stage || !*stage || strlen(stage) >= KB_PROMOTION_STAGE_LEN ||
        kb_date_parse(reached_on, NULL, NULL, NULL) != 0 ||
        (note && strlen(note) > KB_PROMOTION_NOTE_MAX)) {
        KB_ERROR("store.promotion_stage_bad",
                 "promotion=%lld reason=\"empty or too long stage, bad date or too long note\"",
                 (long long)promotion_id);
        return KB_ERR;
    }
    sqlite3_stmt *s = kb_sql(st, sql);
    if (!s)
        return KB_ERR;
    sqlite3_bind_int64(s, 1, promotion_id);
    sqlite3_bind_text(s, 2, stage, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, reached_on, -1, SQLITE_TRANSIENT);
    kb_bind_text_or_null(s, 4, note);
    return kb_stmt_done(st, s);
}
