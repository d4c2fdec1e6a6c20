/* reminders_store: the SQL of reminders (store/reminders.c) — the reminders sent (one row per
 * key, written in the same transaction as the outbox row that carries it), each person's
 * choices from /pengingat, and the reads a pass makes slice by slice: the linked people of a
 * slice of employee ids and, for the id range [lo, hi] of that slice, the records reminders
 * are derived from. Every read is bounded and walks an index by employee id.
 *
 * Lists are returned in arrays the store allocates (free them with free()); *n gets the count.
 * A list that reaches KB_REM_ROWS_MAX is cut there and the cut is logged. */
#ifndef KARIRBOT_REMINDERS_STORE_H
#define KARIRBOT_REMINDERS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/store.h"

#define KB_REM_ROWS_MAX 400000

/* ---- sent reminders ----------------------------------------------------------------------- */

/* *sent 1 when a reminder with this key was sent. */
int kb_rem_sent(struct kb_store *st, const char *key, int *sent);
/* Records the key (the kind's name, the recipient, their local date, the outbox row carrying
 * it; 0 when nothing was to be sent, as a digest with nothing to tell). KB_ERR when the key is
 * there already: the caller's transaction then rolls back. */
int kb_rem_sent_add(struct kb_store *st, const char *key, const char *kind, int64_t employee_id,
                    const char *local_date, int64_t now, int64_t outbox_id);
/* How many reminders (with a message) the employee got on their local date. */
int kb_rem_sent_on(struct kb_store *st, int64_t employee_id, const char *local_date, int *count);
/* Forgets at most limit keys sent before before; *deleted may be NULL. */
int kb_rem_sent_prune(struct kb_store *st, int64_t before, int limit, int *deleted);

/* An admin command that changed what is urgent (a promotion stage reached) asks the running
 * service for a pass now rather than at its next turn; the service looks every few seconds. */
int kb_rem_request_pass(struct kb_store *st, int64_t now);
/* When a pass was last asked for (0: never). */
int kb_rem_pass_requested(struct kb_store *st, int64_t *at);

struct kb_rem_sent_row {
    char kind[24];
    char local_date[11];
    int64_t sent_at;
};
/* The employee's latest reminders (with a message), newest first, at most cap. */
int kb_rem_sent_recent(struct kb_store *st, int64_t employee_id, struct kb_rem_sent_row *out,
                       int cap, int *n);

/* ---- choices (/pengingat) ----------------------------------------------------------------- */

struct kb_rem_prefs {
    char mode[8];             /* "all", or "urgent": only urgent news and one's duties */
    char snooze_until[11];    /* no reminders before this date; "" none */
    char approvals_until[11]; /* no reminders of one's duties before this date; "" none */
};
/* The employee's choices; mode "all" and no snooze when they never chose. */
int kb_rem_prefs_get(struct kb_store *st, int64_t employee_id, struct kb_rem_prefs *p);
int kb_rem_prefs_set(struct kb_store *st, int64_t employee_id, const struct kb_rem_prefs *p,
                     int64_t now);

/* ---- what a pass reads -------------------------------------------------------------------- */

/* A linked employee, as a recipient. */
struct kb_rem_person {
    int64_t id;
    char nip[24];
    char name[128];
    char asn_kind[8];
    char grade[8];
    char zone[8]; /* the employee's, else the unit's */
    int workdays; /* the unit's: 5 or 6 */
    int64_t unit_id;
    int64_t supervisor_id;
    int64_t chat_id;
    char lang[8]; /* "" when the chat never chose */
    int blocked;  /* the chat blocked the bot and has not written since */
    struct kb_rem_prefs prefs;
};
/* The linked employees with id > after_id who still have access (active), in id order, at most
 * cap. */
int kb_rem_people(struct kb_store *st, int64_t after_id, struct kb_rem_person *out, int cap,
                  int *n);

/* An RPI activity in a plan of min_year or later, with what reminders and the JP counts need:
 * every activity is read once per slice (one indexed walk by plan), the rules pick. */
struct kb_rem_activity {
    int64_t id;
    int64_t plan_id;
    int64_t employee_id;
    int year;
    char competency[24];
    char target_date[11];
    int open;          /* approved and not finished (rencana, berjalan, ditunda) */
    int carried;       /* open, and carried over into a later plan: the copy is reminded of */
    int jp_planned;    /* counted as kb_rpi_totals does: 0 when rejected or cancelled */
    int jp_recognised; /* verified */
};
int kb_rem_activities(struct kb_store *st, int64_t lo, int64_t hi, int min_year,
                      struct kb_rem_activity **out, size_t *n);

/* A request waiting for a decision, with what the reminders of it need. */
struct kb_rem_approval {
    int64_t id;
    char kind[16];
    int64_t subject_id;
    int64_t requester_id, approver_id;
    int64_t created_at;
    int64_t approver_supervisor_id;  /* 0: none recorded */
    int64_t requester_supervisor_id; /* 0: none recorded */
    char approver_zone[8];
    int approver_workdays;
    int approver_linked;
};
enum kb_rem_by {
    KB_REM_BY_APPROVER,            /* approver_id in the range */
    KB_REM_BY_APPROVER_SUPERVISOR, /* the approver's supervisor in the range */
    KB_REM_BY_REQUESTER,           /* requester_id in the range */
};
int kb_rem_approvals(struct kb_store *st, enum kb_rem_by by, int64_t lo, int64_t hi,
                     struct kb_rem_approval **out, size_t *n);
/* Records that the request was escalated (once). */
int kb_rem_approval_escalated(struct kb_store *st, int64_t approval_id, int64_t now);

/* A registration that is neither cancelled nor rejected, with its training's dates. */
struct kb_rem_registration {
    int64_t id;
    int64_t training_id;
    int64_t employee_id;
    int64_t activity_id; /* 0: none */
    char status[16];
    int seat;
    char start_date[11];
    int training_cancelled;
};
int kb_rem_registrations(struct kb_store *st, int64_t lo, int64_t hi,
                         struct kb_rem_registration **out, size_t *n);

/* An open training (status buka) whose registration closes on or after from. */
struct kb_rem_training {
    int64_t id;
    char title[256];
    char competency[24];
    char start_date[11], deadline[11];
    char min_grade[16];
    int jp;
};
int kb_rem_trainings_open(struct kb_store *st, const char *from, int cap,
                          struct kb_rem_training **out, size_t *n);

/* One stage row of a promotion file. Files of one employee come together, by period. */
struct kb_rem_stage {
    int64_t promotion_id;
    int64_t employee_id;
    char target_grade[8];
    char period[11];
    char stage[32];
    char reached_on[11];
    int64_t seq;
    /* kb_rem_unit_stages only: the employee */
    char name[128];
    char grade[8];
    int workdays;
};
int kb_rem_stages(struct kb_store *st, int64_t lo, int64_t hi, struct kb_rem_stage **out,
                  size_t *n);
/* The stage rows of the files of the employees of one unit (for its HR officer's digest). */
int kb_rem_unit_stages(struct kb_store *st, int64_t unit_id, struct kb_rem_stage **out, size_t *n);

/* A unit whose HR officer is in the range. */
struct kb_rem_unit {
    int64_t id;
    char name[128];
    int64_t hr_id;
};
int kb_rem_hr_units(struct kb_store *st, int64_t lo, int64_t hi, struct kb_rem_unit **out,
                    size_t *n);

/* A waiting request of someone in a unit whose approver has no linked account. */
struct kb_rem_unlinked {
    int64_t approval_id;
    char kind[16];
    int64_t approver_id;
    char approver_name[128];
    char requester_name[128];
    int64_t created_at;
    int approver_workdays;
    char approver_zone[8];
};
/* Oldest first, at most cap. */
int kb_rem_unit_unlinked(struct kb_store *st, int64_t unit_id, int cap,
                         struct kb_rem_unlinked **out, size_t *n);

/* An active mentoring or coaching pair with the date it was last active. */
struct kb_rem_pair {
    int64_t id;
    int64_t mentee_id, mentor_id;
    char kind[12];
    char last_session[11]; /* "" when none logged */
    char accepted_on[11];  /* "" when not recorded */
    int64_t decided_at;    /* else this (or the request's time) */
};
/* Pairs whose mentee or mentor is in the range. */
int kb_rem_pairs(struct kb_store *st, int64_t lo, int64_t hi, struct kb_rem_pair **out, size_t *n);

#endif
