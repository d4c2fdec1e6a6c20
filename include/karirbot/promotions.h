/* promotions: promotion files (usulan kenaikan pangkat) and the stages each has reached, as HR
 * imports them from SIASN (store/promotions.c). A stage is a stage id of the policy data
 * (policy.h: kb_policy_stages) or a return code (BTL, BTS, TMS); the store keeps them as text
 * and the caller checks them against the policy. */
#ifndef KARIRBOT_PROMOTIONS_H
#define KARIRBOT_PROMOTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/store.h"

#define KB_PROMOTION_STAGES_MAX 32  /* rows kept of one file: the latest ones */
#define KB_PROMOTION_STAGE_LEN  32  /* a stage id, with its NUL */
#define KB_PROMOTION_NOTE_MAX   500 /* bytes of a note (the verifier's remark) */

struct kb_promotion_stage_row {
    char stage[KB_PROMOTION_STAGE_LEN];
    char reached_on[11]; /* YYYY-MM-DD */
    int64_t seq;         /* the order in which stages were recorded; 0 when not known */
    char note[KB_PROMOTION_NOTE_MAX + 1];
};

struct kb_promotion_file {
    int64_t id;
    int64_t employee_id;
    char kind[16];        /* reguler, pilihan, fungsional, ... */
    char target_grade[8]; /* III/d */
    char period[11];      /* the promotion date aimed at, YYYY-MM-DD */
    /* In the order they happened: by date, then by the order they were recorded (and, for
     * rows alike in both, by stage id, so the order is stable). When the file has more than
     * KB_PROMOTION_STAGES_MAX rows, the latest ones and truncated = 1. */
    size_t nstages;
    int truncated;
    struct kb_promotion_stage_row stages[KB_PROMOTION_STAGES_MAX];
};

/* The employee's latest file (the latest period) with its stages. *found is 0 when the
 * employee has none (f untouched then). f is large: allocate it, or keep it static. */
int kb_promotion_current(struct kb_store *st, int64_t employee_id, struct kb_promotion_file *f,
                         int *found);

/* Creates the employee's file for a period, or updates its kind and target grade; *id (may be
 * NULL) is the file's id. For HR's import. */
int kb_promotion_file_set(struct kb_store *st, int64_t employee_id, const char *kind,
                          const char *target_grade, const char *period, int64_t *id);

/* Records that the file reached stage on reached_on ("YYYY-MM-DD"), with an optional note
 * (NULL or "": none). A stage recorded before is updated: a new date makes it the latest
 * recorded (a file that comes back to a stage after a return); the same date keeps its place,
 * so importing the same sheet twice changes nothing. For HR's import; the caller checks the
 * stage against the policy. KB_ERR (logged) for an empty or too long stage, a bad date, a
 * note over KB_PROMOTION_NOTE_MAX bytes, or no such file. */
int kb_promotion_stage_set(struct kb_store *st, int64_t promotion_id, const char *stage,
                           const char *reached_on, const char *note);

#endif
