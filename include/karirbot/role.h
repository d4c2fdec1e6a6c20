/* role: `karirbot role`, admins and each unit's HR officer. */
#ifndef KARIRBOT_ROLE_H
#define KARIRBOT_ROLE_H

struct kb_config;

/* argv holds the command's own arguments after "role": grant|revoke|list, --admin or
 * --hr-unit NAME, a NIP (list: optional), --by NAME. grant/revoke change one role in one short
 * transaction (an HR officer also becomes units.hr_employee_id, which the flows' "tell HR"
 * paths read); list prints the roles. Returns the exit status: 0; 1 for an unknown NIP or unit
 * or a database failure; 64 for a usage error. */
int kb_cmd_role(const struct kb_config *cfg, int argc, char **argv);

#endif
