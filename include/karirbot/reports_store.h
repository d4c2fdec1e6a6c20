/* reports_store: the SQL of HR's reports (store/reports.c) — read-only queries over people, RPI
 * plans, trainings, approvals and promotion files, each walked in pages by id (keyset), so any
 * one query is bounded however large the organisation is. The caller runs the pages of one
 * report inside one read transaction (kb_store_read_begin/kb_store_read_end): one snapshot.
 *
 * Rows are handed to a callback, one at a time, while the statement is on that row: the
 * strings of a row view point into SQLite's row and are valid only during the call (copy what
 * you keep). Nothing is cut to a fixed buffer. A callback returns 0 to go on, or non-zero to
 * stop the walk (the page function then returns KB_ERR).
 *
 * Each page function returns KB_OK and *n (rows handed over) and *last (the id to pass as
 * after_id for the next page); a page with *n < limit is the last one. */
#ifndef KARIRBOT_REPORTS_STORE_H
#define KARIRBOT_REPORTS_STORE_H

#include <stdint.h>

#include "karirbot/store.h"

#define KB_REP_PAGE_MAX 1000 /* rows one page returns at most */

/* The dates "YYYY-MM-DD" of one instant in the three zones: "today" for an employee depends on
 * their zone (DESIGN invariant 9). */
struct kb_rep_today {
    char wib[11], wita[11], wit[11];
};

/* The schema version of the database at path, read without writing anything (the file is
 * opened read-only and never created): *version -1 when there is no database file. */
int kb_rep_schema_version(const char *path, int *version);

/* The id of the unit named name (case-insensitively for ASCII letters) and its exact name
 * (cap bytes); *id 0 when there is none. */
int kb_rep_unit_find(struct kb_store *st, const char *name, int64_t *id, char *exact, int cap);

/* ---- people with their RPI of a year ------------------------------------------------------- */

/* An employee as every report shows them. */
struct kb_rep_person {
    int64_t id;
    const char *nip, *name;
    const char *asn_kind; /* PNS, CPNS, PPPK or "PPPK paruh waktu" (the import's jenis_asn) */
    const char *grade, *position, *unit;
    const char *zone; /* the employee's, else the unit's, else WIB */
    int workdays;     /* of the unit: 5 or 6 */
};

/* An employee (an active one: staff who left are no longer measured) and their plan of one
 * year, counted as kb_rpi_totals counts: activities neither rejected nor cancelled; JP
 * recognised of every activity; late = unfinished with a target date before the employee's
 * today. */
struct kb_rep_rpi {
    struct kb_rep_person p;
    const char *plan_status; /* "" when the employee has no plan that year */
    int activities, finished, late, waiting;
    int jp_planned, jp_recognised, jp_unverified;
};
typedef int (*kb_rep_rpi_fn)(void *ctx, const struct kb_rep_rpi *row);
/* Employees (of unit_id, or all when 0) with id > after_id, by id, at most limit. */
int kb_rep_rpi_page(struct kb_store *st, int64_t unit_id, int year, const struct kb_rep_today *t,
                    int64_t after_id, int limit, kb_rep_rpi_fn fn, void *ctx, int *n,
                    int64_t *last);

/* ---- trainings ----------------------------------------------------------------------------- */

/* A training with its registrations counted over a selection (everyone, or one unit's
 * employees). seats_free is the training's own: quota minus every seat held. */
struct kb_rep_training {
    int64_t id;
    const char *code, *title, *provider, *form, *status;
    const char *start_date, *end_date, *deadline;
    int jp, quota;
    int64_t cost; /* rupiah per seat */
    int seats_free;
    /* of the selection */
    int seats;        /* registrations holding a seat */
    int waiting;      /* on the waiting list */
    int by_status[8]; /* in the order of kb_rep_registration_statuses */
};
/* The registration statuses, in the order of kb_rep_training.by_status. */
extern const char *const kb_rep_registration_statuses[8];
typedef int (*kb_rep_training_fn)(void *ctx, const struct kb_rep_training *row);
/* Trainings with id > after_id, by id, at most limit: those running some time between from and
 * to ("YYYY-MM-DD"; NULL: no bound), and, when unit_id is not 0, only those with a
 * registration of that unit's employees (whose registrations alone are then counted). */
int kb_rep_trainings_page(struct kb_store *st, int64_t unit_id, const char *from, const char *to,
                          int64_t after_id, int limit, kb_rep_training_fn fn, void *ctx, int *n,
                          int64_t *last);

/* ---- a training's nominees ----------------------------------------------------------------- */

/* The training with that code: its id and quota; *id 0 when there is none. */
int kb_rep_training_find(struct kb_store *st, const char *code, int64_t *id);

struct kb_rep_nominee {
    int64_t registration_id;
    struct kb_rep_person p;
    const char *supervisor_nip, *supervisor_name; /* "" when none is recorded */
    const char *status;
    int seat;
    int place; /* on the waiting list, 1-based, in registration order; 0 when not waiting */
    int64_t created_at;
    /* the supervisor's decision on the registration: "disetujui", "ditolak" or "" */
    const char *decision;
    int64_t decided_at; /* 0 when not decided */
};
typedef int (*kb_rep_nominee_fn)(void *ctx, const struct kb_rep_nominee *row);
/* The registrations of a training with id > after_id, by id, at most limit. */
int kb_rep_nominees_page(struct kb_store *st, int64_t training_id, int64_t after_id, int limit,
                         kb_rep_nominee_fn fn, void *ctx, int *n, int64_t *last);

/* ---- approvals waiting --------------------------------------------------------------------- */

/* The approval kinds, in the order of kb_rep_approver.by_kind. */
extern const char *const kb_rep_approval_kinds[5];

struct kb_rep_approver {
    struct kb_rep_person p; /* the approver, active or not: HR re-routes what waits for */
    int active;             /* someone who left (0) */
    int linked;             /* has a linked Telegram account */
    int waiting;            /* requests waiting for them */
    int by_kind[5];         /* of those, by kind (kb_rep_approval_kinds) */
    int64_t oldest_at;      /* when the oldest waiting request was made */
};
typedef int (*kb_rep_approver_fn)(void *ctx, const struct kb_rep_approver *row);
/* Approvers with something waiting, approver id > after_id, by id, at most limit; when unit_id
 * is not 0, only approvers of that unit. */
int kb_rep_approvers_page(struct kb_store *st, int64_t unit_id, int64_t after_id, int limit,
                          kb_rep_approver_fn fn, void *ctx, int *n, int64_t *last);

/* ---- promotion files ----------------------------------------------------------------------- */

/* An active employee's latest promotion file (the latest period). */
struct kb_rep_promotion {
    int64_t id;
    struct kb_rep_person p;
    const char *kind, *target_grade, *period;
};
typedef int (*kb_rep_promotion_fn)(void *ctx, const struct kb_rep_promotion *row);
/* Latest files with file id > after_id, by id, at most limit; of unit_id's employees when not
 * 0; with a period in year when year is not 0. */
int kb_rep_promotions_page(struct kb_store *st, int64_t unit_id, int year, int64_t after_id,
                           int limit, kb_rep_promotion_fn fn, void *ctx, int *n, int64_t *last);

#endif
