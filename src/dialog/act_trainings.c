/* act_trainings: the named actions of the trainings flows. */
#include "karirbot/actions.h"

const struct kb_action_def kb_actions_trainings[] = {
    {NULL, NULL},
};
