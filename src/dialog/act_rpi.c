/* act_rpi: the named actions of the rpi flows. */
#include "karirbot/actions.h"

const struct kb_action_def kb_actions_rpi[] = {
    {NULL, NULL},
};
