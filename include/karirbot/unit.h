/* unit: `karirbot unit list|set` — each unit's time zone and working days per week. */
#ifndef KARIRBOT_UNIT_H
#define KARIRBOT_UNIT_H

#include "karirbot/config.h"

int kb_cmd_unit(const struct kb_config *cfg, int argc, char **argv);

#endif
