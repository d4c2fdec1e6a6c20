/* act_promotion: the named actions of the promotion flows. */
#include "karirbot/actions.h"

const struct kb_action_def kb_actions_promotion[] = {
    {NULL, NULL},
};
