/* status: `karirbot status`, the operator's view of a running (or stopped) karirbot. */
#ifndef KARIRBOT_STATUS_H
#define KARIRBOT_STATUS_H

struct kb_config;

/* argv holds the command's own arguments after "status": --json, --now UNIX_SECONDS. Reads the
 * database without changing it and prints the schema version, the counts, the outbox, the last
 * poll and error, and warnings. Returns the exit status: 0 all well, 2 when a warning was shown
 * (no successful Bot API call for an hour, or a reply waiting too long), 1 when the database
 * cannot be read, 64 for a usage error. */
int kb_cmd_status(const struct kb_config *cfg, int argc, char **argv);

#endif
