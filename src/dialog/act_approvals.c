/* act_approvals: the named actions of the approvals flows. */
#include "karirbot/actions.h"

const struct kb_action_def kb_actions_approvals[] = {
    {NULL, NULL},
};
