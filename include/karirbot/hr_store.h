/* hr_store: the SQL of HR's workflow commands (store/hr.c) — training registrations moved on by
 * HR (proposed, accepted, waiting list, certificate verified), plans established and a new year
 * started for everyone, requests re-routed to another approver, Plt/Plh delegations of
 * approvals for a date range, and the calendar of national holidays and cuti bersama.
 *
 * Every state change is conditional on the state it leaves and says through *changed whether
 * it happened, so running a command twice changes nothing the second time. Lists are bounded
 * and paged by id (keyset), so a whole organisation is walked in short transactions (DESIGN
 * invariant 14). Functions run inside the caller's transaction. */
#ifndef KARIRBOT_HR_STORE_H
#define KARIRBOT_HR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/store.h"
#include "karirbot/trainings.h"

#define KB_HR_PAGE_MAX 500 /* rows one page of any list below returns at most */

/* ---- units and trainings ------------------------------------------------------------------ */

/* The id of the unit named name (exactly); *id 0 when there is none. */
int kb_hr_unit_id(struct kb_store *st, const char *name, int64_t *id);
/* A training by its code, with seats held and waiting count; *found 0 when none. */
int kb_hr_training_by_code(struct kb_store *st, const char *code, struct kb_training *t,
                           int *found);

/* One row of a training's nominee list. */
struct kb_hr_nominee {
    int64_t registration_id;
    int64_t employee_id;
    char nip[24];
    char name[128];
    char unit[128];
    char status[16];
    int seat;
    int place; /* on the waiting list, 1-based; 0 when not waiting */
    int64_t created_at;
    char activity_title[KB_TRAINING_TITLE_MAX]; /* the linked RPI activity, or "" */
};
/* The registrations of a training in registration order (created_at, id), those after the
 * registration after_id (0: from the start), at most cap (<= KB_HR_PAGE_MAX). */
int kb_hr_nominees(struct kb_store *st, int64_t training_id, int64_t after_id,
                   struct kb_hr_nominee *out, int cap, int *n);
/* The ids of a training's registrations in one of the statuses listed as "|a|b|" that hold a
 * seat, by id after after_id, at most cap. */
int kb_hr_registrations_seated(struct kb_store *st, int64_t training_id, const char *statuses,
                               int64_t after_id, int64_t *ids, int cap, int *n);

/* ---- registrations, moved on by HR ---------------------------------------------------------- */

/* disetujui (holding a seat) -> diusulkan: HR proposed the participant to the organiser. */
int kb_hr_registration_propose(struct kb_store *st, int64_t id, int64_t now, int *changed);
/* The organiser accepted the participant: disetujui or diusulkan (holding a seat) -> diterima;
 * or, from daftar_tunggu, -> diterima with a seat — a free one when there is one, otherwise the
 * training's quota is raised by one (*quota_raised 1), since the organiser made room. */
int kb_hr_registration_accept(struct kb_store *st, int64_t id, int64_t now, int *changed,
                              int *quota_raised);
/* The organiser has no room for the participant: disetujui, diusulkan or diterima ->
 * daftar_tunggu, without the seat; the training's quota is lowered by the seat given up
 * (*quota_lowered 1), so the seat is not handed to the next in line as if the organiser had
 * it. The registration keeps its place by registration time. */
int kb_hr_registration_waitlist(struct kb_store *st, int64_t id, int64_t now, int *changed,
                                int *quota_lowered);
/* The RPI activity that carries a finished registration's JP: the linked activity, or the one
 * completion added (source 'training'); *activity_id 0 when there is none. */
int kb_hr_registration_activity(struct kb_store *st, int64_t registration_id, int64_t *activity_id);
/* HR accepted the certificate of a finished activity: its planned JP are recognised.
 * verified_by is the HR officer, or 0 when none is named (recorded as NULL). */
int kb_hr_activity_verify(struct kb_store *st, int64_t activity_id, int64_t verified_by,
                          int64_t now, int *changed);

/* ---- plans -------------------------------------------------------------------------------- */

/* The ids of the plans of year in status (e.g. "disetujui"), of the unit unit_id (0: every
 * unit), with id > after_id, in id order, at most cap. */
int kb_hr_plans_page(struct kb_store *st, int year, const char *status, int64_t unit_id,
                     int64_t after_id, int64_t *ids, int cap, int *n);
/* The ids of the active employees (not retired or moved away) of unit_id (0: everyone) with
 * id > after_id, in id order, at most cap. */
int kb_hr_employees_page(struct kb_store *st, int64_t unit_id, int64_t after_id, int64_t *ids,
                         int cap, int *n);

/* ---- approvals: re-routing and delegation --------------------------------------------------- */

/* A waiting request with who waits on whom, for HR's list. */
struct kb_hr_approval {
    int64_t id;
    char kind[16];
    int64_t subject_id;
    int64_t requester_id, approver_id;
    char requester_name[128], approver_name[128];
    char approver_nip[24];
    int approver_linked;
    int64_t created_at;
};
/* Waiting requests with id > after_id, in id order, at most cap: all of them, those of one
 * approver (approver_id > 0), or (unlinked 1) those whose approver has no linked account. */
int kb_hr_approvals_waiting(struct kb_store *st, int64_t approver_id, int unlinked,
                            int64_t after_id, struct kb_hr_approval *out, int cap, int *n);
/* Gives a waiting request to another approver (not its requester) and records the route (by
 * is the delegation that caused it, or 0 for HR's decision). *changed 0 when it was no longer
 * waiting, or already with that approver. */
int kb_hr_approval_reassign(struct kb_store *st, int64_t approval_id, int64_t to_id,
                            int64_t delegation_id, int64_t now, int *changed);

struct kb_delegation {
    int64_t id;
    int64_t principal_id, delegate_id;
    char principal_name[128], delegate_name[128];
    char from_date[11], to_date[11]; /* both days included */
    int64_t created_at;
};
/* Records that delegate_id acts (Plt/Plh) for principal_id from from_date to to_date, both
 * included. *overlap is the id of a live delegation of the same principal whose dates overlap
 * (then nothing is added and *id is 0). */
int kb_delegation_add(struct kb_store *st, int64_t principal_id, int64_t delegate_id,
                      const char *from_date, const char *to_date, int64_t now, int64_t *id,
                      int64_t *overlap);
/* Ends a delegation before its time; *changed 0 when there is no such live delegation. */
int kb_delegation_cancel(struct kb_store *st, int64_t id, int64_t now, int *changed);
/* The live delegations that have not ended before today (all of them when today is NULL), by
 * start date, at most cap. */
int kb_delegations_list(struct kb_store *st, const char *today, struct kb_delegation *out, int cap,
                        int *n);
/* Who decides a request of requester_id addressed to approver_id on the requester's date today:
 * the delegate of a delegation active that day (following a delegate's own delegation, a few
 * steps at most, never back to someone already passed), or approver_id itself. A delegate who
 * is the requester is skipped: nobody approves their own request. On a database error the
 * approver is returned unchanged (logged), so a request is never lost for want of a route. */
int64_t kb_delegation_resolve(struct kb_store *st, int64_t approver_id, int64_t requester_id,
                              const char *today);

/* ---- holidays ----------------------------------------------------------------------------- */

#define KB_HOLIDAY_NAME_MAX  200 /* bytes of a holiday's name */
#define KB_HOLIDAYS_SPAN_MAX 512 /* dates kb_holidays_between returns at most: ~20 years */

struct kb_holiday {
    char date[11];
    char name[KB_HOLIDAY_NAME_MAX + 1];
    char kind[16]; /* libur_nasional, cuti_bersama */
};
/* Removes every holiday of year; *deleted how many. */
int kb_holidays_clear_year(struct kb_store *st, int year, int *deleted);
/* Adds one (date "YYYY-MM-DD", a name, kind libur_nasional or cuti_bersama). KB_ERR for the
 * same date and name twice. */
int kb_holiday_add(struct kb_store *st, const char *date, const char *name, const char *kind);
/* The holidays of year by date (then name), at most cap; *total how many there are. */
int kb_holidays_of_year(struct kb_store *st, int year, struct kb_holiday *out, int cap, int *n,
                        int *total);
/* The distinct holiday dates d with from < d <= to, ascending, at most cap (the earliest);
 * what kb_workdays_between_except() takes. */
int kb_holidays_between(struct kb_store *st, const char *from, const char *to, char (*out)[11],
                        size_t cap, size_t *n);

#endif
