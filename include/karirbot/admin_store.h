/* admin_store: the SQL behind HR's and the operator's admin commands (store/admin.c) —
 * broadcasts, roles, the figures of `karirbot status`, retention (purge and /hapusdata) and
 * backups — and the two facts the service records for `karirbot status`.
 *
 * Admin commands run beside the service on the same database, so every write here is one short
 * statement or a bounded batch inside the caller's short transaction (DESIGN invariant 14). */
#ifndef KARIRBOT_ADMIN_STORE_H
#define KARIRBOT_ADMIN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/store.h"

/* ---- units ----------------------------------------------------------------------------------- */

/* Looks a unit up by name (case-insensitively): *unit_id is 0 when there is none; name_out
 * (cap bytes) gets its name as recorded. */
int kb_unit_find(struct kb_store *st, const char *name, int64_t *unit_id, char *name_out,
                 size_t cap);
/* Calls fn with each unit's name, in name order, at most limit of them (for "did you mean"). */
int kb_unit_each(struct kb_store *st, int limit, void (*fn)(const char *name, void *data),
                 void *data);

/* ---- broadcasts ------------------------------------------------------------------------------
 * A broadcast is a row in `broadcasts` and one outbox row (priority KB_PRIO_BROADCAST) per
 * recipient: a linked employee (of one unit, or of all: unit_id 0) whose chat has not blocked
 * the bot. Rows are queued in batches, each in the caller's transaction together with the
 * broadcast's cursor (the last employee id done), so an interrupted run resumes where it
 * stopped and nobody is queued twice. */
struct kb_broadcast {
    int64_t id;
    int64_t unit_id; /* 0: everyone */
    int64_t created_at;
    int64_t recipients;  /* counted when it was created */
    int64_t queued;      /* outbox rows added so far */
    int64_t finished_at; /* 0 while rows remain to be queued */
};

/* Recipients as they stand now: *n linked employees, *blocked of them skipped because their
 * chat blocked the bot. */
int kb_broadcast_recipients(struct kb_store *st, int64_t unit_id, int64_t *n, int64_t *blocked);
/* The latest broadcast of exactly this text whose audience overlaps unit_id's (the same unit,
 * or either of them to everyone) that was created at or after since or never finished.
 * *found is 0 when there is none. */
int kb_broadcast_find_same(struct kb_store *st, const char *text, int64_t unit_id, int64_t since,
                           struct kb_broadcast *b, int *found);
int kb_broadcast_create(struct kb_store *st, const char *text, int64_t unit_id, int64_t recipients,
                        const char *by, int64_t now, int64_t *id);
/* Queues the next batch of at most limit recipients of broadcast id after its cursor; *queued
 * gets the rows added and *done 1 once nobody is left (the broadcast is then finished). */
int kb_broadcast_queue_batch(struct kb_store *st, int64_t id, int limit, int64_t now, int *queued,
                             int *done);
/* Pending outbox rows that go before a new broadcast's: every priority up to and including
 * KB_PRIO_BROADCAST. */
int kb_outbox_pending_upto(struct kb_store *st, int priority, int64_t *n);

/* ---- roles ----------------------------------------------------------------------------------
 * "admin", or "hr_unit" with a unit: the unit's HR officer, which is also what
 * units.hr_employee_id says (the flows' "tell HR" paths read that). A unit has one officer:
 * granting the role to someone else replaces the previous officer. */
#define KB_ROLE_ADMIN   "admin"
#define KB_ROLE_HR_UNIT "hr_unit"

/* Grants role to employee_id (unit_id for hr_unit, else 0). *changed is 0 when it was held
 * already; *replaced the employee id of the unit's previous officer, or 0. */
int kb_role_grant(struct kb_store *st, int64_t employee_id, const char *role, int64_t unit_id,
                  const char *by, int64_t now, int *changed, int64_t *replaced);
/* *removed is 0 when the employee did not hold the role. */
int kb_role_revoke(struct kb_store *st, int64_t employee_id, const char *role, int64_t unit_id,
                   int *removed);

struct kb_role_row {
    char nip[24];
    char name[128];
    char role[16];
    char unit[128];     /* "" for admin */
    int64_t granted_at; /* 0: set outside `karirbot role` (units.hr_employee_id by import) */
    char granted_by[64];
};
/* Roles, filtered by role ("" any), unit (0 any) and employee (0 any), ordered by role, unit
 * and NIP; at most cap rows into rows, *n the number written. */
int kb_role_list(struct kb_store *st, const char *role, int64_t unit_id, int64_t employee_id,
                 struct kb_role_row *rows, int cap, int *n);

/* ---- status ---------------------------------------------------------------------------------- */
struct kb_status {
    int version, latest; /* schema version of the file, and of this karirbot */
    int64_t employees, active, linked, open_sessions, dead_letters;
    int64_t pending[4], failed[4]; /* outbox rows by enum kb_priority */
    int64_t oldest_at[4];          /* created_at of the oldest unsent row of each, 0: none */
    int64_t poll_ok_at;            /* last successful Bot API call, 0: never */
    int64_t poll_error_at;         /* last failed one, 0: never */
    char poll_error[256];
};
/* Reads every figure in one snapshot; a figure that cannot be read (a database from an older
 * karirbot) is -1. */
int kb_status_read(struct kb_store *st, int64_t now, struct kb_status *s);
/* Opens an existing database for reading only, without migrating it: for commands that must
 * not change what they look at (status, backup). NULL after logging when it cannot be
 * opened. */
struct kb_store *kb_store_open_readonly(const char *path, int busy_ms);

/* What the service records: a successful Bot API call (error NULL) or a failed one, in its own
 * short transaction. KB_BUSY when another process holds the database (try again later). The
 * error text is redacted of secrets before it is stored. */
int kb_poll_note(struct kb_store *st, const char *error, int64_t now);

/* ---- retention ------------------------------------------------------------------------------- */
/* Each deletes at most limit rows created before `before`, in the caller's transaction. */
int kb_purge_convlog(struct kb_store *st, int64_t before, int limit, int *deleted);
int kb_purge_dead_letters(struct kb_store *st, int64_t before, int limit, int *deleted);
/* Sent and undeliverable outbox rows older than before, among ids (after_id, after_id + span]
 * (the outbox's ids grow with time, so the caller walks windows from the oldest id). A card
 * still waiting for a decision (approvals.card_outbox_id) is kept. *newer is set when the window
 * holds a row created at or after before (nothing further on is old enough); *next_after is
 * where the next window starts (past a gap of deleted ids), -1 when no row follows. */
int kb_purge_outbox_window(struct kb_store *st, int64_t before, int64_t after_id, int span,
                           int *deleted, int *newer, int64_t *next_after);
/* The oldest id in the outbox minus one (0 when empty): where a purge starts. */
int kb_outbox_first_id(struct kb_store *st, int64_t *before_first);
/* Counts what a purge at `before` would delete (for --dry-run). */
int kb_purge_count(struct kb_store *st, int64_t before, int64_t *convlog, int64_t *outbox,
                   int64_t *dead);

/* /hapusdata: deletes one chat's conversation log, its dead letters and karirbot's delivered
 * or undeliverable messages to it (pending ones are still to be sent; a card waiting for a
 * decision is kept). In the caller's transaction. */
int kb_privacy_delete_chat(struct kb_store *st, int64_t chat_id, int64_t *from_user,
                           int64_t *from_bot);

/* ---- backups ---------------------------------------------------------------------------------
 * A consistent copy of a live database with SQLite's online backup API: one read snapshot of
 * the source (in WAL mode it never blocks the service's writes), copied pages_per_step pages at
 * a time, retried on busy for at most a few seconds, written to a temporary file (mode 0600: it
 * holds personal data) that is checked (quick_check), made a plain rollback-journal database,
 * synced and renamed into place. An existing dest is refused unless overwrite. progress (may be
 * NULL) is called after each step. Returns KB_OK, or KB_ERR with a reason in err. */
struct kb_backup_opts {
    int pages_per_step; /* 0: a default */
    int overwrite;
    void (*progress)(int copied, int total, void *data);
    void *data;
};
int kb_backup_file(const char *db_path, const char *dest, const struct kb_backup_opts *o, char *err,
                   size_t errcap);

#endif
