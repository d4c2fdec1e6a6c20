/* broadcast: `karirbot broadcast`, HR's announcement to every linked employee of a unit, or of
 * all units, queued through the outbox below replies and reminders. */
#ifndef KARIRBOT_BROADCAST_H
#define KARIRBOT_BROADCAST_H

#include <stddef.h>

struct kb_config;

/* argv holds the command's own arguments after "broadcast": --unit NAME | --all,
 * --text-file FILE, and --dry-run, --again, --by NAME, --now UNIX_SECONDS. Prints the number of
 * recipients and how long delivery takes at KARIRBOT_RATE_GLOBAL, then queues one outbox row
 * per recipient in short transactions. Returns the exit status: 0; 1 when the text is refused,
 * the same text went to these people in the last 24 hours (without --again), or the database
 * failed; 64 for a usage error. */
int kb_cmd_broadcast(const struct kb_config *cfg, int argc, char **argv);

/* Checks an announcement as read from its file and normalises it in place (a byte-order mark
 * dropped, CRLF made LF, trailing blanks trimmed). Returns NULL when it can be sent, else why
 * not (a static string, or buf of cap bytes). */
const char *kb_broadcast_text_problem(char *text, char *buf, size_t cap);

#endif
