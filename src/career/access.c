/* access: who may see or change what (DESIGN invariant 7), decided here and only here. */
#include "karirbot/access.h"

#include <string.h>

int kb_access_owner(const struct kb_person *actor, int64_t employee_id)
{
    return actor && actor->id == employee_id ? KB_ACCESS_OK : KB_ACCESS_DENIED;
}

int kb_access_approval(const struct kb_person *actor, int64_t approver_id, const char *status)
{
    if (!actor || actor->id != approver_id)
        return KB_ACCESS_DENIED;
    return status && !strcmp(status, "menunggu") ? KB_ACCESS_OK : KB_ACCESS_GONE;
}

int kb_access_mentor_pair(const struct kb_person *actor, int64_t mentee_id, int64_t mentor_id,
                          const char *status)
{
    if (!actor || (actor->id != mentee_id && actor->id != mentor_id))
        return KB_ACCESS_DENIED;
    return status && (!strcmp(status, "diterima") || !strcmp(status, "berjalan")) ? KB_ACCESS_OK
                                                                                  : KB_ACCESS_GONE;
}

int kb_access_mentor_decision(const struct kb_person *actor, int64_t mentor_id, const char *status)
{
    if (!actor || actor->id != mentor_id)
        return KB_ACCESS_DENIED;
    return status && !strcmp(status, "diajukan") ? KB_ACCESS_OK : KB_ACCESS_GONE;
}
