/* access: authorization in one place (DESIGN invariant 7). Before an action shows or changes a
 * record, it asks here: personal data only for its linked owner, a decision only for the
 * recorded approver, a mentee request only for the recorded mentor. */
#ifndef KARIRBOT_ACCESS_H
#define KARIRBOT_ACCESS_H

#include <stdint.h>

#include "karirbot/people.h"

enum kb_access {
    KB_ACCESS_OK = 0,
    KB_ACCESS_DENIED = 1, /* not this person's to see or decide */
    KB_ACCESS_GONE = 2,   /* no such record (or no longer open) */
};

/* actor may be NULL (not linked): denied. */
int kb_access_owner(const struct kb_person *actor, int64_t employee_id);
/* A decision on a request: only its recorded approver, and only while it waits (status
 * "menunggu"); GONE when it was decided or withdrawn. The approver is checked first, so a
 * stranger learns nothing about the request's state. */
int kb_access_approval(const struct kb_person *actor, int64_t approver_id, const char *status);

/* A mentoring or coaching pair (a mentor_requests row with mentee_id, mentor_id, status):
 * only its mentee or its mentor may see it and log its sessions, and only while it is active
 * (status "diterima" or "berjalan"); GONE otherwise. The person is checked first. */
int kb_access_mentor_pair(const struct kb_person *actor, int64_t mentee_id, int64_t mentor_id,
                          const char *status);
/* Deciding a mentoring or coaching request: only its recorded mentor (or coach), and only
 * while it waits (status "diajukan"); GONE otherwise. */
int kb_access_mentor_decision(const struct kb_person *actor, int64_t mentor_id, const char *status);

#endif
