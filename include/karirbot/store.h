/* store: the SQLite database — connection, migrations, transactions, and the SQL of the
 * service core (processed updates, chats, conversation log, outbox, dead letters, offset).
 *
 * All SQL lives in src/store/, prepared once and always parameterised. Writes happen inside
 * kb_store_begin()/kb_store_commit(); BEGIN IMMEDIATE may report KB_BUSY while another process
 * writes, and the caller retries on a timer instead of sleeping (DESIGN invariant 14). */
#ifndef KARIRBOT_STORE_H
#define KARIRBOT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/event.h"

enum { KB_OK = 0, KB_ERR = -1, KB_BUSY = -2 };

struct kb_store;

/* Opens (creating if needed) and migrates the database. busy_ms is the busy timeout: keep it
 * short in the service. Returns KB_OK and *out, or KB_ERR after logging a clear reason
 * (including a database from a newer karirbot). */
int kb_store_open(struct kb_store **out, const char *path, int busy_ms);
void kb_store_close(struct kb_store *st);
/* durable (the default): a commit is on disk when it returns (synchronous=FULL). Not durable:
 * survives a crash of the process but may lose the last commits on power loss
 * (synchronous=NORMAL) — for the sender's sent marks, where a loss can only repeat a send. */
int kb_store_set_durable(struct kb_store *st, int durable);
/* Bounds the connection's page cache. */
int kb_store_set_cache_kib(struct kb_store *st, int kib);

/* Schema version this build creates, and the one the open database has. */
int kb_store_latest_version(void);
int kb_store_version(struct kb_store *st);
/* Applies steps[v..n) to a database at version v, each in its own transaction with its
 * version bump. For tests of the migration mechanism; kb_store_open uses the real steps. */
int kb_store_migrate_with(struct kb_store *st, const char *const *steps, int nsteps);

int kb_store_begin(struct kb_store *st); /* KB_OK, KB_BUSY or KB_ERR */
int kb_store_commit(struct kb_store *st);
void kb_store_rollback(struct kb_store *st);
/* A read-only transaction: one snapshot for several reads. */
int kb_store_read_begin(struct kb_store *st);
void kb_store_read_end(struct kb_store *st);
int kb_store_savepoint(struct kb_store *st);
int kb_store_release(struct kb_store *st);
void kb_store_rollback_savepoint(struct kb_store *st); /* rolls back to and releases it */
const char *kb_store_errmsg(struct kb_store *st);
/* Runs a script of SQL statements (the demo or fixture data) in one transaction, with the
 * table temp.seed(today) holding today's date ("YYYY-MM-DD") so its dates can be relative. */
int kb_store_exec_seed(struct kb_store *st, const char *sql, const char *today);
/* Runs PRAGMA integrity_check; KB_OK when it says "ok". */
int kb_store_integrity_ok(struct kb_store *st);

/* meta: small named values (the poll offset, the last poll time). */
int kb_meta_get_i64(struct kb_store *st, const char *key, int64_t dflt, int64_t *out);
int kb_meta_set_i64(struct kb_store *st, const char *key, int64_t value);

/* updates: every update id seen, with its attempts and outcome. */
enum kb_update_state {
    KB_UPD_PENDING = 0,
    KB_UPD_DONE = 1,
    KB_UPD_SKIPPED = 2,
    KB_UPD_DEAD = 3,
};
/* Records one more attempt at a pending or new update (nothing if it is finished) and
 * reports its state and attempt count. */
int kb_updates_attempt(struct kb_store *st, int64_t update_id, int64_t now, int *state,
                       int *attempts);
int kb_updates_finish(struct kb_store *st, int64_t update_id, int state, int64_t now);
/* Takes back the attempt counted for an update that was deferred, not tried. */
int kb_updates_unattempt(struct kb_store *st, int64_t update_id);
int kb_updates_note_error(struct kb_store *st, int64_t update_id, const char *error);
int kb_updates_last_error(struct kb_store *st, int64_t update_id, char *buf, size_t cap);
int kb_dead_letter_add(struct kb_store *st, int64_t update_id, int64_t chat_id, const char *reason,
                       const char *raw, int64_t now);
/* Deletes at most limit finished update ids older than before. *deleted may be NULL. */
int kb_updates_prune(struct kb_store *st, int64_t before, int limit, int *deleted);

/* chats */
/* Records that chat_id wrote at now; a blocked chat is unblocked. *refused is set to whether
 * the chat was already told that only private chats are served. */
int kb_chats_touch(struct kb_store *st, int64_t chat_id, enum kb_chat_kind kind, int64_t now,
                   int *refused);
int kb_chats_set_refused(struct kb_store *st, int64_t chat_id, int64_t now);
int kb_chats_set_blocked(struct kb_store *st, int64_t chat_id, int64_t now);

/* sessions: where a chat is in a dialog (one row while a flow runs) */
struct kb_session_row {
    char flow[40];
    char state[40];
    char *data; /* the engine's JSON; the caller frees it */
    int64_t updated_at;
    int64_t expires_at;
};
/* *found is 0 (and row untouched) when the chat is in no flow. */
int kb_session_get(struct kb_store *st, int64_t chat_id, struct kb_session_row *row, int *found);
int kb_session_put(struct kb_store *st, int64_t chat_id, const char *flow, const char *state,
                   const char *data, int64_t now, int64_t expires_at);
int kb_session_clear(struct kb_store *st, int64_t chat_id);

/* The language a chat chose with /bahasa; "" when it never chose (Indonesian). */
int kb_chat_lang_get(struct kb_store *st, int64_t chat_id, char *lang, size_t cap);
int kb_chat_lang_set(struct kb_store *st, int64_t chat_id, const char *lang);

/* buttons: callback tokens. A token is valid only for its chat, until it expires. */
enum { KB_BUTTON_OK, KB_BUTTON_UNKNOWN, KB_BUTTON_FOREIGN, KB_BUTTON_EXPIRED };
int kb_button_add(struct kb_store *st, const char *token, int64_t chat_id, int64_t seq,
                  const char *choice, int64_t now, int64_t expires_at);
/* Looks token up for chat_id at now: *status is one of the KB_BUTTON_ values; on KB_BUTTON_OK,
 * *seq and choice (cap bytes) say what it was for. */
int kb_button_get(struct kb_store *st, const char *token, int64_t chat_id, int64_t now, int *status,
                  int64_t *seq, char *choice, size_t cap);
int kb_buttons_prune(struct kb_store *st, int64_t before, int limit, int *deleted);

/* conversation log: what people sent (what karirbot sent is the outbox) */
int kb_convlog_add(struct kb_store *st, int64_t chat_id, int64_t update_id, const char *text,
                   int64_t now);

/* outbox */
enum { KB_OUTBOX_PENDING = 0, KB_OUTBOX_SENT = 1, KB_OUTBOX_FAILED = 2 };
int kb_outbox_add(struct kb_store *st, const struct kb_out *o, int64_t now, int64_t *id);
/* Gives a pending new message (KB_OUT_TEXT) another text and keyboard (NULL: none) before it is
 * sent: a flood's merged reply (src/app/pipeline.c). *replaced is 0 when the row is no longer
 * pending. The caller makes sure the sender has not started it. */
int kb_outbox_replace_text(struct kb_store *st, int64_t id, const char *text, const char *keyboard,
                           int *replaced);

struct kb_outbox_ref {
    int64_t id;
    int64_t chat_id;
    int kind;
    int priority;
};
/* Fills refs with up to cap pending rows of one priority with id > after_id, in id order.
 * Returns the count, or KB_ERR. */
int kb_outbox_scan(struct kb_store *st, int priority, int64_t after_id, struct kb_outbox_ref *refs,
                   int cap);

struct kb_outbox_row {
    int64_t id;
    int64_t chat_id;
    int kind;
    int priority;
    int attempts;
    int64_t created_at;
    int64_t ref_id;
    char *text;
    char *keyboard;
    char *ref_text;
};
/* Loads a pending row; KB_ERR if it is gone or no longer pending. Free with
 * kb_outbox_row_free(). */
int kb_outbox_load(struct kb_store *st, int64_t id, struct kb_outbox_row *row);
void kb_outbox_row_free(struct kb_outbox_row *row);
int kb_outbox_mark_sent(struct kb_store *st, int64_t id, int64_t tg_message_id, int64_t now);
int kb_outbox_mark_failed(struct kb_store *st, int64_t id, const char *error, int64_t now);
int kb_outbox_add_attempt(struct kb_store *st, int64_t id);
/* The platform message id of a sent row, or 0. */
int kb_outbox_message_id(struct kb_store *st, int64_t id, int64_t *message_id);
int kb_outbox_pending_count(struct kb_store *st, int64_t *count);

#endif
