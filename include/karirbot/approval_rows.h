/* approval_rows: the SQL of the approvals table (store/approvals.c). The mechanism around it —
 * cards, decisions, who may decide — is approvals.h. */
#ifndef KARIRBOT_APPROVAL_ROWS_H
#define KARIRBOT_APPROVAL_ROWS_H

#include <stdint.h>

#include "karirbot/store.h"

struct kb_approval_row {
    int64_t id;
    char kind[16];
    int64_t subject_id;
    int64_t requester_id;
    int64_t approver_id;
    char status[12]; /* menunggu, disetujui, ditolak, ditarik */
    char reason[512];
    int64_t created_at;
    int64_t decided_at; /* 0 while waiting */
    int64_t decided_by; /* 0 while waiting or when withdrawn */
};

int kb_approval_insert(struct kb_store *st, const char *kind, int64_t subject_id,
                       int64_t requester_id, int64_t approver_id, int64_t now, int64_t *id);
int kb_approval_get(struct kb_store *st, int64_t id, struct kb_approval_row *r, int *found);
/* Records a decision (status disetujui or ditolak) on a request still waiting; *changed is 0
 * when it was no longer waiting (decided or withdrawn meanwhile). */
int kb_approval_decide(struct kb_store *st, int64_t id, const char *status, const char *reason,
                       int64_t decided_by, int64_t now, int *changed);
/* Withdraws the waiting request for a subject, if any. */
int kb_approval_withdraw_subject(struct kb_store *st, const char *kind, int64_t subject_id,
                                 int64_t now, int *changed);
/* The oldest cap requests waiting for approver_id, and how many wait in all. */
int kb_approvals_waiting(struct kb_store *st, int64_t approver_id, struct kb_approval_row *rows,
                         int cap, int *n, int64_t *total);

#endif
