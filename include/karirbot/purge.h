/* purge: `karirbot purge`, the retention period of conversation logs (UU 27/2022). */
#ifndef KARIRBOT_PURGE_H
#define KARIRBOT_PURGE_H

struct kb_config;

/* argv holds the command's own arguments after "purge": --older-than DAYS (default
 * KARIRBOT_RETENTION_DAYS, else 180), --dry-run, --now UNIX_SECONDS. Deletes conversation-log
 * rows, sent and undeliverable outbox rows and dead letters created before then, in bounded
 * batches of short transactions, and prints the counts. Returns the exit status: 0, 1 when
 * the database failed, 64 for a usage error. */
int kb_cmd_purge(const struct kb_config *cfg, int argc, char **argv);

#endif
