/* rpi: the yearly individual development plans (Rencana Pengembangan Individu) and their
 * activities (store/rpi.c), and the few rules read from them: which activity is late, how the
 * recognised JP stand against the year's target (PNS, CPNS) or ceiling (PPPK).
 *
 * A plan goes draf -> diajukan -> disetujui (or revisi, then diajukan again) -> ditetapkan.
 * An activity goes rencana -> berjalan -> selesai (or ditunda / batal); its JP count as
 * recognised only once the evidence is verified. An activity added to a plan that was already
 * submitted waits for the supervisor (approval 'menunggu'). Every state change below is
 * conditional on the state it leaves, and says through *changed whether it happened, so a
 * decision on a record that moved on meanwhile changes nothing. */
#ifndef KARIRBOT_RPI_H
#define KARIRBOT_RPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "karirbot/store.h"

#define KB_RPI_TITLE_MAX     640 /* bytes: 150 characters of any script, and the NUL */
#define KB_RPI_PLAN_MAX_ROWS 60  /* activities in one plan: adding more is refused */

struct kb_rpi_plan {
    int64_t id;
    int64_t employee_id;
    int year;
    char status[12];                           /* draf, diajukan, disetujui, revisi, ditetapkan */
    int64_t submitted_at, approved_at, set_at; /* 0: not yet */
};

struct kb_rpi_activity {
    int64_t id;
    int64_t plan_id;
    int64_t employee_id; /* the plan's owner */
    int year;            /* the plan's year */
    char form[32];       /* a development form id of the policy data */
    char title[KB_RPI_TITLE_MAX];
    char competency[24];  /* teknis, manajerial, sosial_kultural or "" */
    char target_date[11]; /* YYYY-MM-DD */
    int jp_planned, jp_recognised;
    char status[12];   /* rencana, berjalan, selesai, ditunda, batal */
    char approval[12]; /* menunggu, disetujui, ditolak */
    char done_on[11];  /* "" while not done */
    char evidence_file_id[256];
    char evidence_kind[12]; /* photo, document or "" */
    bool verified;
    int64_t verified_at, verified_by;
    int64_t carried_from; /* 0: not carried over from an earlier plan */
};

/* What a new activity is made of; approval is "menunggu" or "disetujui". */
struct kb_rpi_activity_new {
    int64_t plan_id;
    const char *form, *title, *competency, *target_date;
    int jp_planned;
    const char *approval;
};

struct kb_rpi_totals {
    int activities;    /* neither rejected nor cancelled */
    int jp_planned;    /* of those */
    int jp_recognised; /* verified */
    int jp_unverified; /* finished, waiting for verification */
    int late;          /* target date before today and not finished */
    int waiting;       /* added, waiting for the supervisor's approval */
    int rows;          /* every activity row of the plan, for the KB_RPI_PLAN_MAX_ROWS limit */
};

/* ---- plans ------------------------------------------------------------------------------- */

/* Each sets *found (0: no such plan; plan untouched). */
int kb_rpi_plan_get(struct kb_store *st, int64_t employee_id, int year, struct kb_rpi_plan *plan,
                    int *found);
int kb_rpi_plan_by_id(struct kb_store *st, int64_t plan_id, struct kb_rpi_plan *plan, int *found);
/* Creates the employee's draft plan for year; *created is 0 (and *plan_id the existing plan's)
 * when one exists already. */
int kb_rpi_plan_create(struct kb_store *st, int64_t employee_id, int year, int64_t *plan_id,
                       int *created);
/* draf or revisi -> diajukan. */
int kb_rpi_plan_submit(struct kb_store *st, int64_t plan_id, int64_t now, int *changed);
/* diajukan -> disetujui (approved) or revisi. */
int kb_rpi_plan_decide(struct kb_store *st, int64_t plan_id, int approved, int64_t now,
                       int *changed);
/* disetujui -> ditetapkan: HR records that the PPK established the plan. */
int kb_rpi_plan_set_established(struct kb_store *st, int64_t plan_id, int64_t now, int *changed);

/* ---- activities -------------------------------------------------------------------------- */

/* The plan's activities by target date (then id), at most cap; *n how many were written. */
int kb_rpi_activities(struct kb_store *st, int64_t plan_id, struct kb_rpi_activity *out, int cap,
                      int *n);
/* One activity with its plan's owner and year; *found 0 when there is no such activity. */
int kb_rpi_activity_get(struct kb_store *st, int64_t id, struct kb_rpi_activity *a, int *found);
int kb_rpi_activity_add(struct kb_store *st, const struct kb_rpi_activity_new *a, int64_t now,
                        int64_t *id);
/* menunggu -> disetujui or ditolak. */
int kb_rpi_activity_decide(struct kb_store *st, int64_t id, int approved, int64_t now,
                           int *changed);
/* An approved, unfinished activity (rencana, berjalan, ditunda) -> selesai on done_on, with
 * the certificate's file id and kind (NULL or "" for none); its JP wait for verification. */
int kb_rpi_activity_mark_done(struct kb_store *st, int64_t id, const char *done_on,
                              const char *file_id, const char *file_kind, int64_t now,
                              int *changed);
/* An approved, unfinished activity -> ditunda with a new target date. */
int kb_rpi_activity_postpone(struct kb_store *st, int64_t id, const char *target_date, int64_t now,
                             int *changed);
/* The evidence of a finished, unverified activity was accepted: its planned JP are recognised,
 * with who verified and when. */
int kb_rpi_activity_verify(struct kb_store *st, int64_t id, int64_t verified_by, int64_t now,
                           int *changed);
/* The evidence was not accepted: the activity is berjalan again, without its date and file. */
int kb_rpi_activity_reopen(struct kb_store *st, int64_t id, int64_t now, int *changed);

int kb_rpi_totals(struct kb_store *st, int64_t plan_id, const char *today, struct kb_rpi_totals *t);

/* ---- a new year ------------------------------------------------------------------------- */

/* How many activities of a plan are unfinished, approved and not yet carried over. */
int kb_rpi_carry_count(struct kb_store *st, int64_t from_plan_id, int *n);
/* Copies those into to_plan (whose year is to_year), each remembering where it came from, so a
 * second call copies nothing. A target date before to_year moves on a year (within to_year).
 * *copied: how many. */
int kb_rpi_carry_over(struct kb_store *st, int64_t from_plan_id, int64_t to_plan_id, int to_year,
                      int64_t now, int *copied);

/* ---- rules ------------------------------------------------------------------------------ */

/* Unfinished: planned, under way or postponed, and not rejected. */
bool kb_rpi_unfinished(const struct kb_rpi_activity *a);
/* Late: unfinished with a target date before today ("YYYY-MM-DD"; the target day itself is
 * not late). */
bool kb_rpi_late(const struct kb_rpi_activity *a, const char *today);
/* May be marked done or postponed by its owner. */
bool kb_rpi_actionable(const struct kb_rpi_activity *a);

/* How the year's JP stand. A target (PNS, CPNS): met once the recognised JP reach it;
 * plan_short while the planned JP do not. A ceiling (PPPK): only over, when the planned (or
 * recognised) JP exceed it — never a reminder below it. */
struct kb_rpi_jp_view {
    bool ceiling;
    int goal;
    bool met;
    bool plan_short;
    bool over;
};
void kb_rpi_jp_judge(bool ceiling, int jp_per_year, int planned, int recognised,
                     struct kb_rpi_jp_view *v);
/* A text progress bar of width cells for value out of goal ("▓▓▓▓▓░░░░░" for 10 of 20): only
 * whole cells reached are full, so the bar is full only once the goal is. Returns 0, or
 * -1 (buf "" when cap > 0) when goal or width is not positive, width is over 40 or the bar
 * does not fit. */
int kb_rpi_bar(char *buf, size_t cap, int value, int goal, int width);

#endif
