/* act_mentoring: the named actions of the mentoring flows. */
#include "karirbot/actions.h"

const struct kb_action_def kb_actions_mentoring[] = {
    {NULL, NULL},
};
