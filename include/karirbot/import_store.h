/* import_store: the SQL of HR's spreadsheet import (`karirbot import`, src/cli/import*.c) and
 * of the selections of `karirbot invite --unit/--unlinked` (store/import.c): units found or
 * made by name or code, employees read and written whole, a supervisor set and the requests
 * waiting for the former one re-routed, access removed from staff who left, trainings by code,
 * mentors, the promotion rows compared before they are written, and the RPI plans and
 * activities HR brings in.
 *
 * Everything runs inside the caller's transaction. Strings given to a write are borrowed (not
 * copied: they must live until the call returns); NULL or "" is stored as NULL. */
#ifndef KARIRBOT_IMPORT_STORE_H
#define KARIRBOT_IMPORT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/rpi.h"
#include "karirbot/store.h"

#define KB_IMP_UNIT_CODE_MAX 32 /* bytes of a unit's code (kode_unit), without the NUL */
#define KB_IMP_PAGE_MAX      1000

/* ---- units ---------------------------------------------------------------------------------- */

struct kb_imp_unit {
    int64_t id;
    char name[128];
    char code[KB_IMP_UNIT_CODE_MAX + 1]; /* "" when none */
    char zone[8];
};
int kb_imp_unit_by_name(struct kb_store *st, const char *name, struct kb_imp_unit *u, int *found);
int kb_imp_unit_by_code(struct kb_store *st, const char *code, struct kb_imp_unit *u, int *found);
int kb_imp_unit_add(struct kb_store *st, const char *name, const char *code, const char *zone,
                    int64_t *id);
/* Renames a unit and sets its code (code NULL: left as it is). */
int kb_imp_unit_update(struct kb_store *st, int64_t id, const char *name, const char *code);

/* ---- employees ------------------------------------------------------------------------------ */

/* An employee as the import reads it back, every column it may write. */
struct kb_imp_employee_row {
    int64_t id;
    char nip[24];
    char name[128];
    char asn_kind[8];
    int part_time; /* PPPK paruh waktu */
    char grade[8];
    char tmt_grade[11];
    char education[16];
    char position[128];
    char position_kind[16];
    int64_t unit_id; /* 0: none */
    int64_t supervisor_id;
    char zone[8]; /* "": the unit's */
    char perf_last[32], perf_prev[32];
    int has_credit_points;
    double credit_points;
    int stlud; /* 1, 0, -1 unknown */
    char gender[2];
    char birth_date[11];
    int retirement_age; /* 0: unknown */
    char jf_level[16];
    int active;
    int linked;
};

/* What an import writes. */
struct kb_imp_employee {
    const char *nip, *name, *asn_kind, *grade, *tmt_grade, *education, *position, *position_kind;
    const char *zone, *perf_last, *perf_prev, *gender, *birth_date, *jf_level;
    int part_time;
    int64_t unit_id; /* 0: none */
    int has_credit_points;
    double credit_points;
    int stlud;          /* -1: unknown */
    int retirement_age; /* 0: unknown */
    int active;
    int64_t supervisor_id; /* 0: none */
};

int kb_imp_employee_get(struct kb_store *st, const char *nip, struct kb_imp_employee_row *r,
                        int *found);
int kb_imp_employee_by_id(struct kb_store *st, int64_t id, struct kb_imp_employee_row *r,
                          int *found);
/* Every employee with id > after_id, in id order, at most cap: ids and NIPs (24 bytes each),
 * for matching a whole file against the database in one pass. */
int kb_imp_employee_page(struct kb_store *st, int64_t after_id, int64_t *ids, char (*nips)[24],
                         int cap, int *n);
/* A new employee; *id its id. */
int kb_imp_employee_insert(struct kb_store *st, const struct kb_imp_employee *e, int64_t now,
                           int64_t *id);
/* Rewrites every column of e of employee id. */
int kb_imp_employee_update(struct kb_store *st, int64_t id, const struct kb_imp_employee *e,
                           int64_t now);
/* 1 when the stored row r already holds what e would write. */
int kb_imp_employee_same(const struct kb_imp_employee_row *r, const struct kb_imp_employee *e);
/* The requests of employee_id still waiting (menunggu) for old_approver, of the kinds a
 * supervisor decides (every kind but 'mentor'), are given to new_approver; *moved how many. */
int kb_imp_approvals_reroute(struct kb_store *st, int64_t employee_id, int64_t old_approver,
                             int64_t new_approver, int *moved);
/* How many of employee_id's requests of those kinds wait for approver. */
int kb_imp_approvals_waiting(struct kb_store *st, int64_t employee_id, int64_t approver, int *n);
/* How many requests wait for an approver who has no access any more. */
int kb_imp_approvals_waiting_on_inactive(struct kb_store *st, int64_t *n);
/* Removes an employee's access and keeps their records: marks them inactive (when active is
 * 0 they are only unlinked), deletes their link to a Telegram account and revokes their unused
 * activation codes. *unlinked 1 when a link was removed. */
int kb_imp_employee_remove_access(struct kb_store *st, int64_t id, int64_t now, int *unlinked);
/* Active employees with id > after_id, in id order, at most cap: ids and NIPs (nips[i] has 24
 * bytes). */
int kb_imp_active_page(struct kb_store *st, int64_t after_id, int64_t *ids, char (*nips)[24],
                       int cap, int *n);
int kb_imp_active_count(struct kb_store *st, int64_t *n);

/* ---- trainings ------------------------------------------------------------------------------ */

struct kb_imp_training {
    const char *code, *title, *provider, *form, *start_date, *end_date, *deadline, *min_grade;
    int jp, quota;
    int64_t cost;
};
struct kb_imp_training_row {
    int64_t id;
    char title[256], provider[128], form[32];
    char start_date[11], end_date[11], deadline[11], min_grade[16];
    int jp, quota;
    int64_t cost;
    int seats_held;
};
int kb_imp_training_get(struct kb_store *st, const char *code, struct kb_imp_training_row *r,
                        int *found);
int kb_imp_training_same(const struct kb_imp_training_row *r, const struct kb_imp_training *t);
/* Inserts (status buka) or updates the training with t's code. */
int kb_imp_training_put(struct kb_store *st, const struct kb_imp_training *t);

/* ---- mentors -------------------------------------------------------------------------------- */

/* The mentor record of employee_id (areas '|'-separated, cut to cap bytes), and the active
 * mentoring pairs they have; *found 0 when they are no mentor. */
int kb_imp_mentor_get(struct kb_store *st, int64_t employee_id, char *areas, size_t cap,
                      int *capacity, int *active_pairs, int *found);
int kb_imp_mentor_put(struct kb_store *st, int64_t employee_id, const char *areas, int capacity);

/* ---- promotions ----------------------------------------------------------------------------- */

/* The employee's file for period: *id 0 when none; kind and target grade (8 bytes each). */
int kb_imp_promotion_get(struct kb_store *st, int64_t employee_id, const char *period, int64_t *id,
                         char kind[16], char grade[8]);
/* A stage of a file as recorded: *found 0 when it was not; reached_on[11], note up to cap. */
int kb_imp_stage_get(struct kb_store *st, int64_t promotion_id, const char *stage,
                     char reached_on[11], char *note, size_t cap, int *found);

/* ---- RPI ----------------------------------------------------------------------------------- */

/* The employee with nip, as the RPI import needs them: *found 0 when there is none; name has
 * 128 bytes. */
int kb_imp_rpi_employee(struct kb_store *st, const char *nip, int64_t *id, char name[128],
                        int *active, int *found);
/* A plan made by the import, with status (draf, diajukan, disetujui, revisi or ditetapkan) and
 * the time of each step it has reached (submitted, approved, established) set to now; *id its
 * id. */
int kb_imp_rpi_plan_add(struct kb_store *st, int64_t employee_id, int year, const char *status,
                        int64_t now, int64_t *id);
/* Sets a plan's status (--force): the times of the steps up to it are kept or set to now, those
 * of later steps cleared. */
int kb_imp_rpi_plan_set_status(struct kb_store *st, int64_t plan_id, const char *status,
                               int64_t now);

/* An activity as the import compares it. */
struct kb_imp_rpi_act {
    int64_t id;
    char title[KB_RPI_TITLE_MAX];
    char form[32], competency[24], target_date[11], status[12], approval[12], done_on[11];
    int jp_planned;
    int verified;
};
/* The plan's activities in id order, at most cap; *total how many the plan has (more than cap
 * when some were not read). */
int kb_imp_rpi_activities(struct kb_store *st, int64_t plan_id, struct kb_imp_rpi_act *out, int cap,
                          int *total);

/* What the import writes of an activity. A finished one (status selesai, with done_on) is
 * recognised at once: its JP count (jp_recognised), verified now by HR (verified_by NULL); any
 * other status clears done_on and the recognition. competency NULL or "": none. */
struct kb_imp_rpi_activity {
    const char *form, *title, *competency, *target_date, *status, *approval, *done_on;
    int jp;
};
int kb_imp_rpi_activity_add(struct kb_store *st, int64_t plan_id,
                            const struct kb_imp_rpi_activity *a, int64_t now, int64_t *id);
/* Rewrites an activity that is not finished (the import leaves finished ones as they are). */
int kb_imp_rpi_activity_update(struct kb_store *st, int64_t id, const struct kb_imp_rpi_activity *a,
                               int64_t now);

/* ---- invite selections ---------------------------------------------------------------------- */

/* Active employees with id > after_id in id order, at most cap (<= KB_IMP_PAGE_MAX): of unit_id
 * (0: every unit), only those without a linked account when unlinked is 1. nips[i] has 24
 * bytes. */
int kb_imp_invite_page(struct kb_store *st, int64_t unit_id, int unlinked, int64_t after_id,
                       int64_t *ids, char (*nips)[24], int cap, int *n);
/* Active employees of unit_id (0: every unit) who have a linked account. */
int kb_imp_linked_count(struct kb_store *st, int64_t unit_id, int64_t *n);
/* Whether the employee with nip is active: *active -1 when there is no such employee. */
int kb_imp_employee_active(struct kb_store *st, const char *nip, int *active);

#endif
