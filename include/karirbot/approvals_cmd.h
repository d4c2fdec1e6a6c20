/* approvals_cmd: `karirbot approvals`, HR's command for requests that wait for a decision: list
 * them (those whose approver has no Telegram account first of all), give one to another
 * approver, and record Plt/Plh delegations for a date range. */
#ifndef KARIRBOT_APPROVALS_CMD_H
#define KARIRBOT_APPROVALS_CMD_H

struct kb_config;

/* argv holds the arguments after "approvals": a subcommand (list, reassign, delegate,
 * delegations, undelegate) and its flags (`karirbot approvals --help`). Returns the exit
 * status: 0, 1 when something could not be done (said on stderr), 64 for a usage error. */
int kb_cmd_approvals(const struct kb_config *cfg, int argc, char **argv);

#endif
