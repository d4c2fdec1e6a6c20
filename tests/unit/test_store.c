/* test_store: unit tests of src/store against real SQLite files in KARIRBOT_TEST_TMP —
 * schema and migrations, pragmas, processed updates, dead letters, chats, the outbox,
 * transactions and savepoints, and BEGIN IMMEDIATE under another writer.
 *
 * No framework: CHECK() prints file:line and the failed expression and counts the failure;
 * main() runs every test and returns non-zero when any check failed. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "karirbot/log.h"
#include "karirbot/store.h"

/* White box: the tests read the store's own connection to see its per-connection pragmas. */
#include "../../src/store/internal.h"

#include "check.h"
#include "demo.h"

#define BIG_CHAT   4503599627370495LL /* 2^52 - 1 */
#define GROUP_ID   (-1001234567890LL)
#define BIG_UPDATE 3000000000LL /* above 2^31 */

/* ---- fixtures -------------------------------------------------------------------------- */

static char db_path[600];

/* A fresh database path, unique to this process and test; any old files are removed. */
static const char *fresh_path(const char *name)
{
    return demo_path(db_path, sizeof db_path, "store", name);
}

static void remove_files(const char *path)
{
    char aux[640];
    demo_remove(path);
    snprintf(aux, sizeof aux, "%s-journal", path);
    unlink(aux);
}

static struct kb_store *open_fresh(const char *name)
{
    struct kb_store *st = NULL;
    if (kb_store_open(&st, fresh_path(name), 1000) != KB_OK || !st) {
        fprintf(stderr, "cannot open %s\n", db_path);
        exit(2);
    }
    return st;
}

static void close_and_remove(struct kb_store *st)
{
    kb_store_close(st);
    remove_files(db_path);
}

/* Runs a query on db that yields one integer; returns it, or INT64_MIN on error. */
static int64_t query_i64(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int64_t v = INT64_MIN;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return v;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Same, yielding text into buf ("" for NULL or no row). */
static const char *query_text(sqlite3 *db, const char *sql, char *buf, size_t cap)
{
    sqlite3_stmt *s;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return buf;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

static int table_exists(sqlite3 *db, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='%s'",
             name);
    return query_i64(db, sql) == 1;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- schema and migrations ------------------------------------------------------------- */

static void test_open_creates_schema_at_latest_version(void)
{
    struct kb_store *st = open_fresh("schema");
    CHECK(kb_store_latest_version() >= 1);
    CHECK(kb_store_version(st) == kb_store_latest_version());
    static const char *const tables[] = {"meta",     "updates",          "dead_letters", "chats",
                                         "sessions", "conversation_log", "outbox"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        CHECK(table_exists(st->db, tables[i]));
    CHECK(kb_store_integrity_ok(st) == KB_OK);
    close_and_remove(st);
}

static void test_reopen_is_idempotent_and_keeps_data(void)
{
    struct kb_store *st = open_fresh("reopen");
    CHECK(kb_meta_set_i64(st, "offset", 9007199254740993LL) == KB_OK);
    kb_store_close(st);
    for (int i = 0; i < 3; i++) {
        st = NULL;
        CHECK(kb_store_open(&st, db_path, 1000) == KB_OK);
        if (!st)
            return;
        CHECK(kb_store_version(st) == kb_store_latest_version());
        int64_t v = 0;
        CHECK(kb_meta_get_i64(st, "offset", -1, &v) == KB_OK);
        CHECK(v == 9007199254740993LL);
        kb_store_close(st);
    }
    remove_files(db_path);
}

static void test_failed_migration_step_keeps_previous_version(void)
{
    struct kb_store *st = open_fresh("migrate");
    int base = kb_store_version(st);
    /* Steps before base are already applied (the real schema); two more follow. */
    const char *steps[64];
    for (int i = 0; i < base && i < 60; i++)
        steps[i] = "SELECT this is never run;";
    steps[base] = "CREATE TABLE step_a(x INTEGER) STRICT; INSERT INTO step_a VALUES(1);";
    steps[base + 1] = "CREATE TABLE step_b(x INTEGER) STRICT; SELEKT broken syntax;";
    CHECK(kb_store_migrate_with(st, steps, base + 2) == KB_ERR);
    CHECK(kb_store_version(st) == base + 1);
    CHECK(table_exists(st->db, "step_a"));
    CHECK(query_i64(st->db, "SELECT count(*) FROM step_a") == 1);
    CHECK(!table_exists(st->db, "step_b")); /* the failed step's own work is rolled back */
    CHECK(sqlite3_get_autocommit(st->db) == 1);

    /* Fixing the step lets the migration finish; step_a is not applied twice. */
    steps[base + 1] = "CREATE TABLE step_b(x INTEGER) STRICT;";
    CHECK(kb_store_migrate_with(st, steps, base + 2) == KB_OK);
    CHECK(kb_store_version(st) == base + 2);
    CHECK(table_exists(st->db, "step_b"));
    CHECK(query_i64(st->db, "SELECT count(*) FROM step_a") == 1);
    close_and_remove(st);
}

static void test_migration_from_zero_stops_after_last_good_step(void)
{
    /* A fresh file taken back to version 0, then a list whose second step is broken. */
    struct kb_store *st = open_fresh("migrate0");
    CHECK(sqlite3_exec(st->db, "PRAGMA user_version = 0", NULL, NULL, NULL) == SQLITE_OK);
    const char *steps[] = {"CREATE TABLE t1(x INTEGER) STRICT;",
                           "CREATE TABLE t2(x INTEGER) STRICT; INSERT INTO nowhere VALUES(1);"};
    CHECK(kb_store_migrate_with(st, steps, 2) == KB_ERR);
    CHECK(kb_store_version(st) == 1);
    CHECK(table_exists(st->db, "t1"));
    CHECK(!table_exists(st->db, "t2"));
    close_and_remove(st);
}

static void test_open_refuses_database_from_newer_version(void)
{
    const char *path = fresh_path("toonew");
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE TABLE future(x); PRAGMA user_version = 999", NULL, NULL, NULL) ==
          SQLITE_OK);
    sqlite3_close(db);
    struct kb_store *st = (struct kb_store *)&db; /* any value: the call must set NULL */
    CHECK(kb_store_open(&st, path, 100) == KB_ERR);
    CHECK(st == NULL);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(query_i64(db, "PRAGMA user_version") == 999); /* left as it was */
    CHECK(!table_exists(db, "outbox"));
    sqlite3_close(db);
    remove_files(path);
}

static void test_open_fails_on_unusable_path(void)
{
    struct kb_store *st = NULL;
    CHECK(kb_store_open(&st, "/nonexistent-dir-karirbot/x/y.db", 100) == KB_ERR);
    CHECK(st == NULL);
}

static void test_connection_uses_wal_and_foreign_keys(void)
{
    struct kb_store *st = open_fresh("pragmas");
    /* journal_mode is a property of the file: a separate connection sees it. */
    sqlite3 *other = NULL;
    char buf[64];
    CHECK(sqlite3_open(db_path, &other) == SQLITE_OK);
    CHECK_STR(query_text(other, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    /* foreign_keys and synchronous are per connection: a new one has them off... */
    CHECK(query_i64(other, "PRAGMA foreign_keys") == 0);
    sqlite3_close(other);
    /* ...so they are read on the store's own connection. */
    CHECK(query_i64(st->db, "PRAGMA foreign_keys") == 1);
    CHECK(query_i64(st->db, "PRAGMA synchronous") == 2); /* FULL */
    /* And the constraint really applies: a session needs its chat. */
    int rc = sqlite3_exec(st->db,
                          "INSERT INTO sessions(chat_id, flow, state, updated_at) "
                          "VALUES(424242, 'f', 's', 0)",
                          NULL, NULL, NULL);
    CHECK(rc == SQLITE_CONSTRAINT_FOREIGNKEY);
    int refused = -1;
    CHECK(kb_chats_touch(st, 424242, KB_CHAT_PRIVATE, 1, &refused) == KB_OK);
    CHECK(sqlite3_exec(st->db,
                       "INSERT INTO sessions(chat_id, flow, state, updated_at) "
                       "VALUES(424242, 'f', 's', 0)",
                       NULL, NULL, NULL) == SQLITE_OK);
    /* STRICT tables refuse text in an integer column. */
    CHECK(sqlite3_exec(st->db,
                       "INSERT INTO chats(chat_id, kind, first_seen, last_seen) "
                       "VALUES(1, 'private', 0, 0)",
                       NULL, NULL, NULL) != SQLITE_OK);
    close_and_remove(st);
}

/* ---- meta and updates ------------------------------------------------------------------ */

static void test_meta_get_returns_default_then_stored_value(void)
{
    struct kb_store *st = open_fresh("meta");
    int64_t v = 0;
    CHECK(kb_meta_get_i64(st, "offset", -7, &v) == KB_OK && v == -7);
    CHECK(kb_meta_set_i64(st, "offset", BIG_UPDATE) == KB_OK);
    CHECK(kb_meta_get_i64(st, "offset", -7, &v) == KB_OK && v == BIG_UPDATE);
    CHECK(kb_meta_set_i64(st, "offset", -5) == KB_OK); /* overwrites */
    CHECK(kb_meta_get_i64(st, "offset", 0, &v) == KB_OK && v == -5);
    CHECK(query_i64(st->db, "SELECT count(*) FROM meta") == 1);
    close_and_remove(st);
}

static void test_updates_attempt_counts_only_while_pending(void)
{
    struct kb_store *st = open_fresh("attempts");
    int state = -1, attempts = -1;
    CHECK(kb_updates_attempt(st, BIG_UPDATE, 100, &state, &attempts) == KB_OK);
    CHECK(state == KB_UPD_PENDING && attempts == 1);
    CHECK(kb_updates_attempt(st, BIG_UPDATE, 101, &state, &attempts) == KB_OK);
    CHECK(state == KB_UPD_PENDING && attempts == 2);
    CHECK(kb_updates_unattempt(st, BIG_UPDATE) == KB_OK);
    CHECK(kb_updates_attempt(st, BIG_UPDATE, 102, &state, &attempts) == KB_OK);
    CHECK(state == KB_UPD_PENDING && attempts == 2); /* 2, back to 1, then 2 again */
    CHECK(query_i64(st->db, "SELECT first_seen FROM updates WHERE update_id = 3000000000") == 100);

    CHECK(kb_updates_finish(st, BIG_UPDATE, KB_UPD_DONE, 200) == KB_OK);
    CHECK(kb_updates_attempt(st, BIG_UPDATE, 300, &state, &attempts) == KB_OK);
    CHECK(state == KB_UPD_DONE && attempts == 2); /* finished: no longer counted */
    CHECK(kb_updates_unattempt(st, BIG_UPDATE) == KB_OK);
    CHECK(kb_updates_attempt(st, BIG_UPDATE, 301, &state, &attempts) == KB_OK);
    CHECK(state == KB_UPD_DONE && attempts == 2); /* nor taken back */
    CHECK(query_i64(st->db, "SELECT finished_at FROM updates WHERE update_id = 3000000000") == 200);

    /* An update finished without an attempt (e.g. skipped) is recorded too. */
    CHECK(kb_updates_finish(st, 77, KB_UPD_SKIPPED, 400) == KB_OK);
    CHECK(kb_updates_attempt(st, 77, 401, &state, &attempts) == KB_OK);
    CHECK(state == KB_UPD_SKIPPED);

    /* Unattempt never goes below zero. */
    CHECK(kb_updates_attempt(st, 78, 500, &state, &attempts) == KB_OK && attempts == 1);
    CHECK(kb_updates_unattempt(st, 78) == KB_OK);
    CHECK(kb_updates_unattempt(st, 78) == KB_OK);
    CHECK(query_i64(st->db, "SELECT attempts FROM updates WHERE update_id = 78") == 0);
    close_and_remove(st);
}

static void test_updates_error_is_stored_and_truncated_on_read(void)
{
    struct kb_store *st = open_fresh("uerror");
    int state, attempts;
    CHECK(kb_updates_attempt(st, 5, 1, &state, &attempts) == KB_OK);
    char buf[64] = "stale";
    CHECK(kb_updates_last_error(st, 5, buf, sizeof buf) == KB_OK);
    CHECK_STR(buf, "");
    CHECK(kb_updates_note_error(st, 5, "handler failed: 'quote' \"dq\"") == KB_OK);
    CHECK(kb_updates_last_error(st, 5, buf, sizeof buf) == KB_OK);
    CHECK_STR(buf, "handler failed: 'quote' \"dq\"");
    char small[8];
    CHECK(kb_updates_last_error(st, 5, small, sizeof small) == KB_OK);
    CHECK_STR(small, "handler");
    CHECK(kb_updates_last_error(st, 999, buf, sizeof buf) == KB_OK);
    CHECK_STR(buf, "");
    close_and_remove(st);
}

static void test_updates_prune_deletes_only_old_finished_rows(void)
{
    struct kb_store *st = open_fresh("prune");
    int state, attempts, deleted = -1;
    for (int i = 1; i <= 5; i++)
        CHECK(kb_updates_finish(st, i, KB_UPD_DONE, 100 + i) == KB_OK);
    CHECK(kb_updates_attempt(st, 6, 50, &state, &attempts) == KB_OK); /* pending, old */
    CHECK(kb_updates_prune(st, 105, 2, &deleted) == KB_OK);
    CHECK(deleted == 2);
    CHECK(kb_updates_prune(st, 105, 100, &deleted) == KB_OK);
    CHECK(deleted == 2); /* 101..104 gone, 105 is not older than 105 */
    CHECK(kb_updates_prune(st, 105, 100, NULL) == KB_OK);
    CHECK(query_i64(st->db, "SELECT count(*) FROM updates") == 2);
    CHECK(query_i64(st->db, "SELECT count(*) FROM updates WHERE update_id IN (5, 6)") == 2);
    close_and_remove(st);
}

static void test_dead_letter_rows_keep_reason_and_raw_update(void)
{
    struct kb_store *st = open_fresh("dead");
    const char raw[] = "{\"update_id\":3000000000,\"message\":{\"text\":\"'; DROP TABLE x; --\"}}";
    CHECK(kb_dead_letter_add(st, BIG_UPDATE, GROUP_ID, "handler failed 5 times", raw, 1234) ==
          KB_OK);
    CHECK(kb_dead_letter_add(st, 12, 0, "unparseable", NULL, 1235) == KB_OK);
    char buf[256];
    CHECK(query_i64(st->db, "SELECT count(*) FROM dead_letters") == 2);
    CHECK(query_i64(st->db, "SELECT chat_id FROM dead_letters WHERE update_id = 3000000000") ==
          GROUP_ID);
    CHECK_STR(query_text(st->db, "SELECT raw FROM dead_letters WHERE update_id = 3000000000", buf,
                         sizeof buf),
              raw);
    CHECK_STR(
        query_text(st->db, "SELECT reason FROM dead_letters WHERE update_id = 12", buf, sizeof buf),
        "unparseable");
    CHECK(query_i64(st->db, "SELECT chat_id IS NULL AND raw IS NULL FROM dead_letters "
                            "WHERE update_id = 12") == 1);
    CHECK(query_i64(st->db, "SELECT created_at FROM dead_letters WHERE update_id = 12") == 1235);
    close_and_remove(st);
}

/* ---- chats ----------------------------------------------------------------------------- */

static void test_chats_touch_reports_refused_and_clears_blocked(void)
{
    struct kb_store *st = open_fresh("chats");
    int refused = -1;
    CHECK(kb_chats_touch(st, GROUP_ID, KB_CHAT_GROUP, 10, &refused) == KB_OK);
    CHECK(refused == 0);
    CHECK(kb_chats_set_refused(st, GROUP_ID, 11) == KB_OK);
    refused = -1;
    CHECK(kb_chats_touch(st, GROUP_ID, KB_CHAT_GROUP, 12, &refused) == KB_OK);
    CHECK(refused == 1);
    CHECK(query_i64(st->db, "SELECT first_seen FROM chats WHERE chat_id = -1001234567890") == 10);
    CHECK(query_i64(st->db, "SELECT last_seen FROM chats WHERE chat_id = -1001234567890") == 12);

    CHECK(kb_chats_touch(st, BIG_CHAT, KB_CHAT_PRIVATE, 20, &refused) == KB_OK);
    CHECK(refused == 0);
    CHECK(kb_chats_set_blocked(st, BIG_CHAT, 21) == KB_OK);
    CHECK(query_i64(st->db, "SELECT blocked_at FROM chats WHERE chat_id = 4503599627370495") == 21);
    CHECK(kb_chats_touch(st, BIG_CHAT, KB_CHAT_PRIVATE, 22, &refused) == KB_OK);
    CHECK(query_i64(st->db,
                    "SELECT blocked_at IS NULL FROM chats WHERE chat_id = 4503599627370495") == 1);
    CHECK(refused == 0);
    CHECK(query_i64(st->db, "SELECT count(*) FROM chats") == 2);
    close_and_remove(st);
}

static void test_conversation_view_shows_both_directions_in_order(void)
{
    struct kb_store *st = open_fresh("convlog");
    CHECK(kb_convlog_add(st, BIG_CHAT, BIG_UPDATE, "halo", 5) == KB_OK);
    struct kb_out reply = {.kind = KB_OUT_TEXT,
                           .priority = KB_PRIO_REPLY,
                           .chat_id = BIG_CHAT,
                           .text = "Selamat datang"};
    struct kb_out answer = {.kind = KB_OUT_CALLBACK_ANSWER,
                            .priority = KB_PRIO_CALLBACK,
                            .chat_id = BIG_CHAT,
                            .ref_text = "cb1"};
    int64_t id = 0;
    CHECK(kb_outbox_add(st, &reply, 6, &id) == KB_OK);
    CHECK(kb_outbox_add(st, &answer, 7, NULL) == KB_OK);
    CHECK(query_i64(st->db, "SELECT count(*) FROM conversation WHERE chat_id = "
                            "4503599627370495") == 2); /* the callback answer is not a message */
    CHECK(query_i64(st->db, "SELECT update_id FROM conversation WHERE direction = 0") ==
          BIG_UPDATE);
    CHECK(query_i64(st->db, "SELECT outbox_id FROM conversation WHERE direction = 1") == id);
    CHECK(query_i64(st->db, "SELECT direction FROM conversation ORDER BY created_at LIMIT 1") == 0);
    close_and_remove(st);
}

/* ---- sessions, languages, buttons ----------------------------------------------------- */

static void test_session_round_trip_and_clear(void)
{
    struct kb_store *st = open_fresh("session");
    int refused, found = 1;
    CHECK(kb_chats_touch(st, BIG_CHAT, KB_CHAT_PRIVATE, 10, &refused) == KB_OK);
    struct kb_session_row row = {0};
    CHECK(kb_session_get(st, BIG_CHAT, &row, &found) == KB_OK && found == 0);
    CHECK(kb_session_put(st, BIG_CHAT, "rpi", "ask_date", "{\"seq\":3}", 10, 1810) == KB_OK);
    CHECK(kb_session_put(st, BIG_CHAT, "rpi", "confirm", "{\"seq\":4}", 20, 1820) == KB_OK);
    CHECK(kb_session_get(st, BIG_CHAT, &row, &found) == KB_OK && found == 1);
    CHECK_STR(row.flow, "rpi");
    CHECK_STR(row.state, "confirm");
    CHECK_STR(row.data, "{\"seq\":4}");
    CHECK(row.updated_at == 20 && row.expires_at == 1820);
    free(row.data);
    CHECK(kb_session_clear(st, BIG_CHAT) == KB_OK);
    CHECK(kb_session_get(st, BIG_CHAT, &row, &found) == KB_OK && found == 0);
    /* A session needs its chat: the foreign key holds. */
    CHECK(kb_session_put(st, 99, "rpi", "x", "{}", 1, 2) == KB_ERR);
    close_and_remove(st);
}

static void test_chat_language_defaults_to_none_and_is_kept(void)
{
    struct kb_store *st = open_fresh("lang");
    int refused;
    char lang[8] = "xx";
    CHECK(kb_chats_touch(st, BIG_CHAT, KB_CHAT_PRIVATE, 10, &refused) == KB_OK);
    CHECK(kb_chat_lang_get(st, BIG_CHAT, lang, sizeof lang) == KB_OK);
    CHECK_STR(lang, "");
    CHECK(kb_chat_lang_set(st, BIG_CHAT, "en") == KB_OK);
    CHECK(kb_chats_touch(st, BIG_CHAT, KB_CHAT_PRIVATE, 11, &refused) == KB_OK);
    CHECK(kb_chat_lang_get(st, BIG_CHAT, lang, sizeof lang) == KB_OK);
    CHECK_STR(lang, "en");
    close_and_remove(st);
}

static void test_button_tokens_belong_to_one_chat_until_they_expire(void)
{
    struct kb_store *st = open_fresh("buttons");
    int status = -1;
    int64_t seq = 0;
    char choice[32];
    CHECK(kb_button_add(st, "tok-A", BIG_CHAT, 7, "b:1", 100, 200) == KB_OK);
    CHECK(kb_button_add(st, "tok-A", BIG_CHAT, 8, "b:2", 100, 200) == KB_ERR); /* unique */
    CHECK(kb_button_get(st, "tok-A", BIG_CHAT, 150, &status, &seq, choice, sizeof choice) == KB_OK);
    CHECK(status == KB_BUTTON_OK && seq == 7);
    CHECK_STR(choice, "b:1");
    CHECK(kb_button_get(st, "tok-A", 42, 150, &status, &seq, choice, sizeof choice) == KB_OK);
    CHECK(status == KB_BUTTON_FOREIGN);
    CHECK(kb_button_get(st, "tok-A", BIG_CHAT, 200, &status, &seq, choice, sizeof choice) == KB_OK);
    CHECK(status == KB_BUTTON_EXPIRED);
    CHECK(kb_button_get(st, "'; DROP TABLE buttons; --", BIG_CHAT, 150, &status, &seq, choice,
                        sizeof choice) == KB_OK);
    CHECK(status == KB_BUTTON_UNKNOWN);
    int deleted = -1;
    CHECK(kb_buttons_prune(st, 201, 100, &deleted) == KB_OK && deleted == 1);
    CHECK(query_i64(st->db, "SELECT count(*) FROM buttons") == 0);
    close_and_remove(st);
}

/* ---- outbox ---------------------------------------------------------------------------- */

static int64_t add_out(struct kb_store *st, enum kb_out_kind kind, enum kb_priority prio,
                       int64_t chat, const char *text)
{
    struct kb_out o = {.kind = kind, .priority = prio, .chat_id = chat, .text = (char *)text};
    int64_t id = 0;
    if (kb_outbox_add(st, &o, 1000, &id) != KB_OK)
        return -1;
    return id;
}

static void test_outbox_scan_by_priority_with_cursor_and_limit(void)
{
    struct kb_store *st = open_fresh("outscan");
    int64_t b1 = add_out(st, KB_OUT_TEXT, KB_PRIO_BROADCAST, 1, "broadcast 1");
    int64_t r1 = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, 2, "reply 1");
    int64_t b2 = add_out(st, KB_OUT_TEXT, KB_PRIO_BROADCAST, 3, "broadcast 2");
    int64_t r2 = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, BIG_CHAT, "reply 2");
    int64_t r3 = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, GROUP_ID, "reply 3");
    int64_t c1 = add_out(st, KB_OUT_CALLBACK_ANSWER, KB_PRIO_CALLBACK, 2, NULL);
    CHECK(b1 > 0 && r1 > b1 && b2 > r1 && r2 > b2 && r3 > r2 && c1 > r3);

    struct kb_outbox_ref refs[8];
    int n = kb_outbox_scan(st, KB_PRIO_REPLY, 0, refs, 2);
    CHECK(n == 2);
    CHECK(n == 2 && refs[0].id == r1 && refs[1].id == r2);
    CHECK(n == 2 && refs[1].chat_id == BIG_CHAT && refs[1].priority == KB_PRIO_REPLY);
    CHECK(n == 2 && refs[1].kind == KB_OUT_TEXT);
    n = kb_outbox_scan(st, KB_PRIO_REPLY, r2, refs, 8);
    CHECK(n == 1 && refs[0].id == r3 && refs[0].chat_id == GROUP_ID);
    n = kb_outbox_scan(st, KB_PRIO_REPLY, r3, refs, 8);
    CHECK(n == 0);
    n = kb_outbox_scan(st, KB_PRIO_BROADCAST, 0, refs, 8);
    CHECK(n == 2 && refs[0].id == b1 && refs[1].id == b2);
    n = kb_outbox_scan(st, KB_PRIO_CALLBACK, 0, refs, 8);
    CHECK(n == 1 && refs[0].id == c1 && refs[0].kind == KB_OUT_CALLBACK_ANSWER);
    n = kb_outbox_scan(st, KB_PRIO_REMINDER, 0, refs, 8);
    CHECK(n == 0);

    int64_t pending = -1;
    CHECK(kb_outbox_pending_count(st, &pending) == KB_OK && pending == 6);
    CHECK(kb_outbox_mark_sent(st, r1, 5001, 2000) == KB_OK);
    CHECK(kb_outbox_mark_failed(st, b1, "Forbidden: bot was blocked by the user", 2001) == KB_OK);
    CHECK(kb_outbox_pending_count(st, &pending) == KB_OK && pending == 4);
    n = kb_outbox_scan(st, KB_PRIO_REPLY, 0, refs, 8);
    CHECK(n == 2 && refs[0].id == r2 && refs[1].id == r3); /* sent rows leave the scan */
    n = kb_outbox_scan(st, KB_PRIO_BROADCAST, 0, refs, 8);
    CHECK(n == 1 && refs[0].id == b2);
    close_and_remove(st);
}

static void test_outbox_load_returns_all_fields_of_pending_row(void)
{
    struct kb_store *st = open_fresh("outload");
    struct kb_out o = {.kind = KB_OUT_EDIT,
                       .priority = KB_PRIO_REPLY,
                       .chat_id = BIG_CHAT,
                       .text = "<b>Halo</b> \xf0\x9f\x98\x80",
                       .keyboard = "[[{\"text\":\"Ya\",\"data\":\"t1\"}]]",
                       .ref_text = "cb-1",
                       .ref_id = 4503599627370000LL};
    int64_t id = 0;
    CHECK(kb_outbox_add(st, &o, 1700000000, &id) == KB_OK && id > 0);
    struct kb_outbox_row row;
    CHECK(kb_outbox_load(st, id, &row) == KB_OK);
    CHECK(row.id == id && row.chat_id == BIG_CHAT);
    CHECK(row.kind == KB_OUT_EDIT && row.priority == KB_PRIO_REPLY);
    CHECK(row.attempts == 0 && row.created_at == 1700000000);
    CHECK(row.ref_id == 4503599627370000LL);
    CHECK_STR(row.text, o.text);
    CHECK_STR(row.keyboard, o.keyboard);
    CHECK_STR(row.ref_text, "cb-1");
    kb_outbox_row_free(&row);
    CHECK(row.text == NULL && row.keyboard == NULL);

    CHECK(kb_outbox_add_attempt(st, id) == KB_OK);
    CHECK(kb_outbox_load(st, id, &row) == KB_OK && row.attempts == 1);
    kb_outbox_row_free(&row);

    /* Absent fields come back as NULL and 0. */
    int64_t bare = add_out(st, KB_OUT_TEXT, KB_PRIO_REMINDER, 7, "x");
    CHECK(kb_outbox_load(st, bare, &row) == KB_OK);
    CHECK(row.keyboard == NULL && row.ref_text == NULL && row.ref_id == 0);
    kb_outbox_row_free(&row);

    CHECK(kb_outbox_load(st, 987654, &row) == KB_ERR); /* no such row */
    close_and_remove(st);
}

static void test_outbox_mark_sent_records_message_id_once(void)
{
    struct kb_store *st = open_fresh("outsent");
    int64_t a = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, BIG_CHAT, "a");
    int64_t b = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, BIG_CHAT, "b");
    CHECK(a == 1 && b == 2); /* the raw queries below name them */
    int64_t mid = -1;
    CHECK(kb_outbox_message_id(st, a, &mid) == KB_OK && mid == 0); /* not sent yet */
    CHECK(kb_outbox_mark_sent(st, a, 4503599627370001LL, 50) == KB_OK);
    CHECK(kb_outbox_message_id(st, a, &mid) == KB_OK && mid == 4503599627370001LL);
    struct kb_outbox_row row;
    CHECK(kb_outbox_load(st, a, &row) == KB_ERR);       /* no longer pending */
    CHECK(kb_outbox_mark_sent(st, a, 42, 51) == KB_OK); /* a second mark changes nothing */
    CHECK(kb_outbox_message_id(st, a, &mid) == KB_OK && mid == 4503599627370001LL);
    CHECK(query_i64(st->db, "SELECT attempts FROM outbox WHERE id = 1") == 1);
    CHECK(query_i64(st->db, "SELECT sent_at FROM outbox WHERE id = 1") == 50);

    CHECK(kb_outbox_mark_failed(st, b, "Bad Request: chat not found", 60) == KB_OK);
    CHECK(kb_outbox_message_id(st, b, &mid) == KB_OK && mid == 0);
    CHECK(kb_outbox_mark_sent(st, b, 77, 61) == KB_OK); /* failed is final too */
    CHECK(query_i64(st->db, "SELECT state FROM outbox WHERE id = 2") == KB_OUTBOX_FAILED);
    char buf[128];
    CHECK_STR(query_text(st->db, "SELECT error FROM outbox WHERE id = 2", buf, sizeof buf),
              "Bad Request: chat not found");
    int64_t pending = -1;
    CHECK(kb_outbox_pending_count(st, &pending) == KB_OK && pending == 0);
    close_and_remove(st);
}

static void test_outbox_stores_sql_in_text_verbatim(void)
{
    struct kb_store *st = open_fresh("outsql");
    const char *evil = "'; DROP TABLE outbox; --";
    struct kb_out o = {.kind = KB_OUT_TEXT,
                       .priority = KB_PRIO_REPLY,
                       .chat_id = 1,
                       .text = (char *)evil,
                       .keyboard = "[[{\"text\":\"x'); DELETE FROM chats; --\",\"data\":\"'\"}]]",
                       .ref_text = "\"; DROP TABLE meta; --"};
    int64_t id = 0;
    CHECK(kb_outbox_add(st, &o, 1, &id) == KB_OK);
    struct kb_outbox_row row;
    CHECK(kb_outbox_load(st, id, &row) == KB_OK);
    CHECK_STR(row.text, evil);
    CHECK_STR(row.keyboard, o.keyboard);
    CHECK_STR(row.ref_text, o.ref_text);
    kb_outbox_row_free(&row);
    CHECK(table_exists(st->db, "outbox") && table_exists(st->db, "meta"));
    int64_t pending = -1;
    CHECK(kb_outbox_pending_count(st, &pending) == KB_OK && pending == 1);
    CHECK(kb_outbox_mark_failed(st, id, "'); DROP TABLE updates; --", 2) == KB_OK);
    CHECK(table_exists(st->db, "updates"));
    close_and_remove(st);
}

/* ---- transactions ---------------------------------------------------------------------- */

static void test_savepoint_rollback_undoes_only_inner_work(void)
{
    struct kb_store *st = open_fresh("savepoint");
    CHECK(kb_store_begin(st) == KB_OK);
    int64_t a = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, 1, "kept before");
    CHECK(kb_store_savepoint(st) == KB_OK);
    int64_t b = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, 1, "undone");
    CHECK(kb_meta_set_i64(st, "inner", 1) == KB_OK);
    kb_store_rollback_savepoint(st);
    int64_t c = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, 1, "kept after");
    CHECK(kb_store_savepoint(st) == KB_OK); /* a second savepoint in the same transaction */
    int64_t d = add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, 1, "released");
    CHECK(kb_store_release(st) == KB_OK);
    CHECK(sqlite3_get_autocommit(st->db) == 0); /* still inside the outer transaction */
    CHECK(kb_store_commit(st) == KB_OK);
    CHECK(sqlite3_get_autocommit(st->db) == 1);

    struct kb_outbox_row row;
    CHECK(kb_outbox_load(st, a, &row) == KB_OK);
    kb_outbox_row_free(&row);
    /* b's rowid was freed by the rollback, so c may reuse it: compare by text. */
    CHECK(b > a && c >= b);
    CHECK(kb_outbox_load(st, c, &row) == KB_OK);
    CHECK_STR(row.text, "kept after");
    kb_outbox_row_free(&row);
    CHECK(query_i64(st->db, "SELECT count(*) FROM outbox WHERE text = 'undone'") == 0);
    CHECK(kb_outbox_load(st, d, &row) == KB_OK);
    kb_outbox_row_free(&row);
    int64_t v = 0;
    CHECK(kb_meta_get_i64(st, "inner", -1, &v) == KB_OK && v == -1);
    CHECK(query_i64(st->db, "SELECT count(*) FROM outbox") == 3);
    close_and_remove(st);
}

static void test_rollback_undoes_the_whole_transaction(void)
{
    struct kb_store *st = open_fresh("rollback");
    CHECK(kb_store_begin(st) == KB_OK);
    add_out(st, KB_OUT_TEXT, KB_PRIO_REPLY, 1, "gone");
    CHECK(kb_meta_set_i64(st, "offset", 10) == KB_OK);
    kb_store_rollback(st);
    CHECK(sqlite3_get_autocommit(st->db) == 1);
    CHECK(query_i64(st->db, "SELECT count(*) FROM outbox") == 0);
    int64_t v = 0;
    CHECK(kb_meta_get_i64(st, "offset", 0, &v) == KB_OK && v == 0);
    kb_store_rollback(st); /* harmless outside a transaction */
    CHECK(kb_store_begin(st) == KB_OK);
    CHECK(kb_store_commit(st) == KB_OK);
    close_and_remove(st);
}

static void test_begin_reports_busy_while_another_connection_writes(void)
{
    const char *path = fresh_path("busy");
    struct kb_store *st = NULL;
    CHECK(kb_store_open(&st, path, 50) == KB_OK);
    if (!st)
        return;
    sqlite3 *other = NULL;
    CHECK(sqlite3_open(path, &other) == SQLITE_OK);
    CHECK(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES('x', 1)", NULL,
                       NULL, NULL) == SQLITE_OK);

    uint64_t t0 = mono_ms();
    int rc = kb_store_begin(st);
    uint64_t took = mono_ms() - t0;
    CHECK(rc == KB_BUSY);
    CHECK(took < 2000);
    CHECK(sqlite3_get_autocommit(st->db) == 1); /* no transaction was left open */

    /* A single write outside a transaction is refused the same way. */
    t0 = mono_ms();
    CHECK(kb_meta_set_i64(st, "offset", 1) == KB_BUSY);
    CHECK(mono_ms() - t0 < 2000);
    int state = -1, attempts = -1;
    CHECK(kb_updates_attempt(st, 1, 1, &state, &attempts) == KB_BUSY);

    /* Reads still work: WAL lets them see the last commit. */
    int64_t v = -1;
    CHECK(kb_meta_get_i64(st, "x", 0, &v) == KB_OK && v == 0);

    CHECK(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(other);
    CHECK(kb_store_begin(st) == KB_OK);
    CHECK(kb_meta_set_i64(st, "offset", 2) == KB_OK);
    CHECK(kb_store_commit(st) == KB_OK);
    CHECK(kb_meta_get_i64(st, "x", 0, &v) == KB_OK && v == 1);
    CHECK(kb_meta_get_i64(st, "offset", 0, &v) == KB_OK && v == 2);
    kb_store_close(st);
    remove_files(path);
}

/* ---- main ------------------------------------------------------------------------------ */

int main(void)
{
    kb_log_set_level(KB_LOG_WARN); /* the expected failures still log as errors */
    RUN(test_open_creates_schema_at_latest_version);
    RUN(test_reopen_is_idempotent_and_keeps_data);
    RUN(test_failed_migration_step_keeps_previous_version);
    RUN(test_migration_from_zero_stops_after_last_good_step);
    RUN(test_open_refuses_database_from_newer_version);
    RUN(test_open_fails_on_unusable_path);
    RUN(test_connection_uses_wal_and_foreign_keys);

    RUN(test_meta_get_returns_default_then_stored_value);
    RUN(test_updates_attempt_counts_only_while_pending);
    RUN(test_updates_error_is_stored_and_truncated_on_read);
    RUN(test_updates_prune_deletes_only_old_finished_rows);
    RUN(test_dead_letter_rows_keep_reason_and_raw_update);

    RUN(test_chats_touch_reports_refused_and_clears_blocked);
    RUN(test_conversation_view_shows_both_directions_in_order);
    RUN(test_session_round_trip_and_clear);
    RUN(test_chat_language_defaults_to_none_and_is_kept);
    RUN(test_button_tokens_belong_to_one_chat_until_they_expire);

    RUN(test_outbox_scan_by_priority_with_cursor_and_limit);
    RUN(test_outbox_load_returns_all_fields_of_pending_row);
    RUN(test_outbox_mark_sent_records_message_id_once);
    RUN(test_outbox_stores_sql_in_text_verbatim);

    RUN(test_savepoint_rollback_undoes_only_inner_work);
    RUN(test_rollback_undoes_the_whole_transaction);
    RUN(test_begin_reports_busy_while_another_connection_writes);

    return CHECK_SUMMARY();
}
