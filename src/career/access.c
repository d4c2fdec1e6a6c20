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
