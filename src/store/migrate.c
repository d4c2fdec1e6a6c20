/* migrate: the schema, as an ordered list of steps keyed by PRAGMA user_version. Each step runs
 * in its own transaction together with its version bump, so a failed step leaves the database
 * at the previous version. Never edit a released step: add a new one. */
#include <stdio.h>

#include "internal.h"
#include "karirbot/log.h"

static const char *const steps[] = {
    /* 1: the service core */
    "CREATE TABLE meta("
    "  key TEXT PRIMARY KEY,"
    "  value ANY) STRICT;"
    "CREATE TABLE updates("
    "  update_id INTEGER PRIMARY KEY,"
    "  state INTEGER NOT NULL DEFAULT 0," /* 0 pending, 1 done, 2 skipped, 3 dead */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  first_seen INTEGER NOT NULL,"
    "  finished_at INTEGER,"
    "  last_error TEXT) STRICT;"
    "CREATE INDEX updates_finished ON updates(finished_at) WHERE state <> 0;"
    "CREATE TABLE dead_letters("
    "  id INTEGER PRIMARY KEY,"
    "  update_id INTEGER,"
    "  chat_id INTEGER,"
    "  reason TEXT NOT NULL,"
    "  raw TEXT,"
    "  created_at INTEGER NOT NULL) STRICT;"
    "CREATE TABLE chats("
    "  chat_id INTEGER PRIMARY KEY,"
    "  kind INTEGER NOT NULL," /* enum kb_chat_kind */
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  blocked_at INTEGER,"
    "  refused_at INTEGER) STRICT;"
    "CREATE TABLE sessions("
    "  chat_id INTEGER PRIMARY KEY REFERENCES chats(chat_id),"
    "  flow TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  data TEXT,"
    "  updated_at INTEGER NOT NULL,"
    "  expires_at INTEGER) STRICT;"
    /* What people sent. What karirbot sent is in the outbox (text once, with its fate); the
     * view `conversation` shows both in order. */
    "CREATE TABLE conversation_log("
    "  id INTEGER PRIMARY KEY,"
    "  chat_id INTEGER NOT NULL,"
    "  update_id INTEGER,"
    "  text TEXT,"
    "  created_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX conversation_log_chat ON conversation_log(chat_id, id);"
    "CREATE INDEX conversation_log_age ON conversation_log(created_at);"
    "CREATE TABLE outbox("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT," /* ids only grow: the sender scans by id */
    "  chat_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"     /* enum kb_out_kind */
    "  priority INTEGER NOT NULL," /* enum kb_priority */
    "  text TEXT,"
    "  keyboard TEXT,"
    "  ref_text TEXT,"
    "  ref_id INTEGER,"
    "  state INTEGER NOT NULL DEFAULT 0," /* 0 pending, 1 sent, 2 undeliverable */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  sent_at INTEGER,"
    "  tg_message_id INTEGER,"
    "  error TEXT) STRICT;"
    "CREATE INDEX outbox_pending ON outbox(priority, id) WHERE state = 0;"
    "CREATE INDEX outbox_chat ON outbox(chat_id, id);"
    "CREATE VIEW conversation(chat_id, direction, update_id, outbox_id, text, created_at) AS"
    "  SELECT chat_id, 0, update_id, NULL, text, created_at FROM conversation_log"
    "  UNION ALL"
    "  SELECT chat_id, 1, NULL, id, text, created_at FROM outbox WHERE kind <> 2;",

    /* 2: dialogs — the language a chat chose, and the buttons it was shown (opaque tokens in
     * callback_data; their meaning, owner and expiry live here: DESIGN invariant 6). */
    "ALTER TABLE chats ADD COLUMN lang TEXT;"
    "CREATE TABLE buttons("
    "  token TEXT PRIMARY KEY,"
    "  chat_id INTEGER NOT NULL,"
    "  seq INTEGER NOT NULL," /* the session step that showed it */
    "  choice TEXT NOT NULL," /* what pressing it means to the engine */
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
    "CREATE INDEX buttons_age ON buttons(expires_at);",

    /* 3..8: the career records, one area per step (src/store/<area>.c) */
    kb_schema_people, kb_schema_approvals, kb_schema_rpi, kb_schema_trainings, kb_schema_mentoring,
    kb_schema_promotions,
    kb_schema_hr,        /* HR workflows: delegations, re-routed requests, holidays */
    kb_schema_admin,     /* broadcasts, roles (src/store/admin.c) */
    kb_schema_import,    /* import: optional employee columns, access, unit codes */
    kb_schema_reminders, /* reminders sent, /pengingat choices (src/store/reminders.c) */
};
#define NSTEPS ((int)(sizeof steps / sizeof steps[0]))

int kb_store_latest_version(void)
{
    return NSTEPS;
}

int kb_store_version(struct kb_store *st)
{
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int apply(struct kb_store *st, const char *sql, int version)
{
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version);
    char *err = NULL;
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK)
        goto fail;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(st->db, bump, NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        goto fail;
    }
    KB_INFO("store.migrated", "version=%d", version);
    return KB_OK;
fail:
    KB_ERROR("store.migrate_failed", "version=%d error=\"%s\"", version, err ? err : "?");
    sqlite3_free(err);
    return KB_ERR;
}

int kb_store_migrate_with(struct kb_store *st, const char *const *list, int n)
{
    int v = kb_store_version(st);
    if (v < 0) {
        kb_store_log_error(st, "store.version", "PRAGMA user_version");
        return KB_ERR;
    }
    if (v > n) {
        KB_ERROR("store.too_new",
                 "schema=%d known=%d reason=\"this database was written by a newer karirbot; "
                 "upgrade karirbot or restore a backup\"",
                 v, n);
        return KB_ERR;
    }
    for (; v < n; v++)
        if (apply(st, list[v], v + 1) != KB_OK)
            return KB_ERR;
    return KB_OK;
}

int kb_migrate(struct kb_store *st)
{
    /* An existing database about to be upgraded is copied first, beside itself: an upgrade
     * that goes wrong can be undone by hand (deploy/README.md, "Upgrading"). */
    int v = kb_store_version(st);
    if (v > 0 && v < NSTEPS && kb_store_backup_before_migrate(st, NSTEPS) != KB_OK)
        return KB_ERR;
    return kb_store_migrate_with(st, steps, NSTEPS);
}
