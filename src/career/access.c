/* access: who may see or change what (DESIGN invariant 7), decided here and only here. */
#include "karirbot/access.h"

int kb_access_owner(const struct kb_person *actor, int64_t employee_id)
{
    return actor && actor->id == employee_id ? KB_ACCESS_OK : KB_ACCESS_DENIED;
}
