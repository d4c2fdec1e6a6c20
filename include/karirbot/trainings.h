/* trainings: the trainings HR opens and the registrations for them (store/trainings.c) — the
 * open list an employee may choose from, seats held against the quota, the waiting list, and
 * a finished training's JP added to the RPI.
 *
 * Seats: a registration holds one of the training's seats while its column seat is 1. A seat
 * is only ever given by one UPDATE that counts the seats held and compares them with the quota
 * in the same statement, inside the caller's write transaction, so two decisions can never
 * give more seats than the quota.
 *
 * The waiting list is ordered by the time of registration (first come, first served), not by
 * the time the supervisor decided: nobody loses their place because their supervisor was slow.
 *
 * Functions run inside the caller's transaction unless they say otherwise. */
#ifndef KARIRBOT_TRAININGS_H
#define KARIRBOT_TRAININGS_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/store.h"

#define KB_TRAINING_TITLE_MAX 256

struct kb_training {
    int64_t id;
    char code[32];
    char title[KB_TRAINING_TITLE_MAX];
    char provider[128];
    char form[32]; /* klasikal, e-learning, ... as HR wrote it */
    char start_date[11], end_date[11];
    int jp;
    int quota;
    char deadline[11];  /* last day to register */
    char min_grade[16]; /* lowest PNS rank admitted ("III/a"), or "" for everyone */
    int64_t cost;       /* rupiah per seat */
    char competency[24];
    char status[8]; /* buka, tutup, batal */
    int seats_held; /* registrations holding a seat */
    int waiting;    /* registrations on the waiting list */
};

struct kb_registration {
    int64_t id;
    int64_t training_id;
    int64_t employee_id;
    int64_t activity_id; /* the linked RPI activity, 0 when none */
    char status[16];     /* diajukan, disetujui, ditolak, diusulkan, diterima, daftar_tunggu,
                            dibatalkan, selesai */
    int seat;
    int place; /* 1-based place on the waiting list; 0 when not waiting */
    int64_t created_at, updated_at;
    /* of the training */
    char title[KB_TRAINING_TITLE_MAX];
    char start_date[11], end_date[11];
};

/* ---- trainings ------------------------------------------------------------------------------ */

/* The trainings employee_id may register for on the date today: status buka, deadline on or
 * after today, no live registration of theirs, and a min_grade that is empty or one of the
 * codes in admitted, written "|III/a|III/b|" (the caller decides who is admitted by which
 * rank; "|" admits only trainings without a minimum). Earliest start first, at most cap. */
int kb_trainings_open_for(struct kb_store *st, int64_t employee_id, const char *today,
                          const char *admitted, struct kb_training *out, int cap, int *n);
/* One training with its seats held and waiting count; *found 0 when there is none. */
int kb_training_get(struct kb_store *st, int64_t id, struct kb_training *t, int *found);

/* ---- registrations -------------------------------------------------------------------------- */

/* The live (neither cancelled nor rejected) registration of employee_id for training_id, or
 * *id = 0. */
int kb_registration_live(struct kb_store *st, int64_t training_id, int64_t employee_id,
                         int64_t *id);
/* A new registration in status diajukan; activity_id 0 for none. */
int kb_registration_add(struct kb_store *st, int64_t training_id, int64_t employee_id,
                        const char *reason, int64_t activity_id, int64_t now, int64_t *id);
/* One registration with its training's title and dates and its place on the waiting list.
 * reason (may be NULL) gets the employee's reason, cut to reason_cap bytes. */
int kb_registration_get(struct kb_store *st, int64_t id, struct kb_registration *r, char *reason,
                        size_t reason_cap, int *found);
/* The employee's registrations, newest first, at most cap. */
int kb_registrations_of(struct kb_store *st, int64_t employee_id, struct kb_registration *out,
                        int cap, int *n);
/* The supervisor's rejection reason of a registration ("" when none was recorded). */
int kb_registration_rejection(struct kb_store *st, int64_t id, char *reason, size_t cap);

/* The supervisor approved a registration still in diajukan: it joins the waiting list (by its
 * registration time) and kb_training_fill_seats() then decides whether a seat is free for it.
 * *changed 0 when it was no longer diajukan. */
int kb_registration_to_queue(struct kb_store *st, int64_t id, int64_t now, int *changed);
/* The supervisor rejected a registration still in diajukan. */
int kb_registration_reject(struct kb_store *st, int64_t id, int64_t now, int *changed);
/* Cancels a registration in diajukan, disetujui, diusulkan, diterima or daftar_tunggu and
 * frees its seat; *had_seat says whether it held one (then call kb_training_fill_seats). */
int kb_registration_cancel(struct kb_store *st, int64_t id, int64_t now, int *changed,
                           int *had_seat);

/* A seat given from the waiting list. */
struct kb_seat_given {
    int64_t registration_id;
    int64_t employee_id;
};
/* Gives the free seats of a training (quota minus seats held) to the oldest registrations on
 * its waiting list, one by one, each becoming disetujui with seat 1; at most cap of them,
 * listed in given. A cancelled training gives no seats. */
int kb_training_fill_seats(struct kb_store *st, int64_t training_id, int64_t now,
                           struct kb_seat_given *given, int cap, int *n);

/* ---- the RPI side ---------------------------------------------------------------------------- */

struct kb_rpi_option {
    int64_t id;
    char title[KB_TRAINING_TITLE_MAX];
    char target_date[11];
};
/* The employee's open RPI activities (rencana or berjalan, not rejected, not yet linked to a
 * live registration) in the plan of year, earliest target first, at most cap. */
int kb_training_rpi_options(struct kb_store *st, int64_t employee_id, int year,
                            struct kb_rpi_option *out, int cap, int *n);
/* One of those, by id: *found 0 when activity_id is not such an activity of employee_id. */
int kb_training_rpi_option(struct kb_store *st, int64_t employee_id, int year, int64_t activity_id,
                           struct kb_rpi_option *o, int *found);

/* The title of an RPI activity of employee_id, whatever its status; "" when it is not theirs. */
int kb_training_activity_title(struct kb_store *st, int64_t employee_id, int64_t activity_id,
                               char *title, size_t cap);

/* Results of kb_training_complete besides KB_OK and KB_ERR. */
enum {
    KB_TRAINING_ALREADY_DONE = 1, /* already selesai: nothing changed, no JP added twice */
    KB_TRAINING_NOT_SEATED = 2,   /* not a participant (no seat, or cancelled/rejected) */
    KB_TRAINING_NO_SUCH = 3,      /* no such registration */
};
/* HR records that the participant finished the training: the registration becomes selesai and
 * the training's JP enter the employee's RPI — the linked activity, when the registration has
 * one that is still open, becomes selesai (with the training's JP as planned); otherwise a new
 * activity (source 'training', source_id = the registration) is added as selesai to the plan
 * of the year the training ended, created as draf when there is none. JP are planned, not yet
 * recognised: they count once HR or the supervisor verifies the certificate. Atomic on its
 * own (a savepoint) or inside the caller's transaction. */
int kb_training_complete(struct kb_store *st, int64_t registration_id, int64_t now);

#endif
