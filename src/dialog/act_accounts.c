/* act_accounts: the named actions of the accounts flows. */
#include "karirbot/actions.h"

const struct kb_action_def kb_actions_accounts[] = {
    {NULL, NULL},
};
