/* mentoring: the SQL of mentoring and coaching (store/mentoring.c) — the senior ASN who offer
 * mentoring (their areas of expertise and capacity), the requests for a mentor or for coaching
 * by the atasan langsung, the sessions an accepted pair logs, and the one RPI activity per pair
 * and year those sessions add up to.
 *
 * A request moves diajukan -> diterima (an active pair) or ditolak; the first logged session
 * makes it berjalan; selesai ends it. A request accepted while the mentor had no free place is
 * dibatalkan (see act_mentoring.c). A mentor's capacity counts active mentoring pairs
 * (diterima, berjalan) only: coaching is the supervisor's everyday role and takes no place. */
#ifndef KARIRBOT_MENTORING_H
#define KARIRBOT_MENTORING_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/store.h"

#define KB_MENTOR_AREA_MAX  64   /* bytes of one area of a mentor (as a list value), with NUL */
#define KB_MENTOR_TEXT_MAX  1232 /* bytes of a request's area or topic: 300 characters of UTF-8 */
#define KB_MENTOR_LIST_MAX  64   /* rows any list query returns at most */
#define KB_MENTOR_SESSIONS  20   /* latest sessions of a pair shown */
#define KB_MENTOR_RPI_TITLE 256  /* bytes of the title given to a pair's RPI activity */

/* A mentor proposed to a mentee: free capacity in the area asked. */
struct kb_mentor_candidate {
    int64_t id; /* employee id */
    char name[128];
    char position[128];
    char unit[128];
    int capacity;
    int active; /* active mentoring pairs now */
};

struct kb_mentor_request {
    int64_t id;
    int64_t mentee_id;
    int64_t mentor_id;
    char kind[12];   /* coaching, mentoring */
    char status[12]; /* diajukan, diterima, berjalan, ditolak, selesai, dibatalkan */
    char area[KB_MENTOR_TEXT_MAX];
    char topic[KB_MENTOR_TEXT_MAX];
    char reason[KB_MENTOR_TEXT_MAX]; /* of a decline, or "" */
    int64_t created_at;
    int64_t decided_at;   /* 0 while waiting */
    char accepted_on[11]; /* YYYY-MM-DD the pair began (the mentor's local date), or "" */
    char mentee_name[128];
    char mentor_name[128];
};

struct kb_mentor_session {
    int64_t id;
    char held_on[11];
    char topic[KB_MENTOR_TEXT_MAX];
    int minutes;
    int64_t logged_by;
};

/* 1 when the status is an active pair (diterima or berjalan). */
int kb_mentor_status_active(const char *status);

/* ---- mentors and matching ------------------------------------------------------------------ */

/* The distinct areas offered by mentors other than exclude_id, in alphabetical order (at most
 * cap, cap <= KB_MENTOR_LIST_MAX). */
int kb_mentor_areas(struct kb_store *st, int64_t exclude_id, char (*areas)[KB_MENTOR_AREA_MAX],
                    int cap, int *n);
/* The mentors offering area (case-insensitive) who have a free place, other than mentee_id and
 * those already in an open request or active pair with mentee_id, by name (at most cap). */
int kb_mentor_match(struct kb_store *st, const char *area, int64_t mentee_id,
                    struct kb_mentor_candidate *out, int cap, int *n);
/* The same mentors of area, but those without a free place now. */
int kb_mentor_full(struct kb_store *st, const char *area, int64_t mentee_id,
                   struct kb_mentor_candidate *out, int cap, int *n);
/* Of the mentors offering area other than mentee_id: *total in all, *paired already in an open
 * request or active mentoring pair with mentee_id, and *free those kb_mentor_match returns. */
int kb_mentor_area_counts(struct kb_store *st, const char *area, int64_t mentee_id, int *total,
                          int *paired, int *free_places);
/* One mentor as kb_mentor_match sees it (*found 0: not a mentor, or not offering area); the
 * candidate's active/capacity tell whether a place is free. area NULL: any area. */
int kb_mentor_get(struct kb_store *st, int64_t mentor_id, const char *area,
                  struct kb_mentor_candidate *c, int *found);
/* The open request (diajukan) or active pair of this kind between mentee and mentor, if any:
 * *request_id 0 when none. kind NULL: either kind. */
int kb_mentor_open_between(struct kb_store *st, int64_t mentee_id, int64_t mentor_id,
                           const char *kind, int64_t *request_id);

/* ---- requests ------------------------------------------------------------------------------- */

int kb_mentor_request_insert(struct kb_store *st, int64_t mentee_id, int64_t mentor_id,
                             const char *kind, const char *area, const char *topic, int64_t now,
                             int64_t *id);
int kb_mentor_request_get(struct kb_store *st, int64_t id, struct kb_mentor_request *r, int *found);
/* Moves a request still 'diajukan' to status (diterima, ditolak or dibatalkan) with reason
 * (NULL: none) and, for diterima, the date the pair begins; *changed 0 when it was no longer
 * waiting. */
int kb_mentor_request_decide(struct kb_store *st, int64_t id, const char *status,
                             const char *reason, const char *accepted_on, int64_t now,
                             int *changed);
/* The active pairs the employee is in, as mentee or as mentor, oldest first (at most cap). */
int kb_mentor_pairs_of(struct kb_store *st, int64_t employee_id, struct kb_mentor_request *rows,
                       int cap, int *n);

/* ---- sessions and the RPI ------------------------------------------------------------------ */

/* Adds a session to an active pair (the caller checked who logs it) and makes a diterima pair
 * berjalan. */
int kb_mentor_session_add(struct kb_store *st, int64_t request_id, const char *held_on,
                          const char *topic, int minutes, int64_t logged_by, int64_t now,
                          int64_t *id);
/* The latest sessions of a pair, newest first (at most cap), and over all its sessions the
 * count and the minutes. */
int kb_mentor_sessions(struct kb_store *st, int64_t request_id, struct kb_mentor_session *rows,
                       int cap, int *n, int *count, int64_t *minutes);
/* The pair's minutes in one calendar year and the date of its latest session that year ("" when
 * none). */
int kb_mentor_minutes_in_year(struct kb_store *st, int64_t request_id, int year, int64_t *minutes,
                              char last_on[11]);
/* Keeps the pair's one RPI activity in the mentee's plan of year (the plan made, as draf, when
 * there is none): source 'mentoring', source_id the request, form the given development form,
 * jp_planned jp and target_date target_on; a new activity gets title and status berjalan.
 * *activity_id gets its id. */
int kb_mentor_rpi_sync(struct kb_store *st, int64_t request_id, int64_t mentee_id, int year,
                       const char *form, const char *title, int64_t jp, const char *target_on,
                       int64_t now, int64_t *activity_id);

#endif
