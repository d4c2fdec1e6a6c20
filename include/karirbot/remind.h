/* remind: `karirbot remind`, one reminder pass from the command line (for trying reminders
 * without the service, for cron-less trials and tests), and the same pass for the terminal
 * chat's ":pengingat". */
#ifndef KARIRBOT_REMIND_H
#define KARIRBOT_REMIND_H

#include "karirbot/event.h"

struct kb_config;
struct kb_locale;
struct kb_policy;
struct kb_store;

/* argv holds the command's own arguments after "remind": --now UNIX_SECONDS, --dry-run,
 * --quiet. Runs one pass over everyone linked, queues the reminders due (the running service's
 * sender delivers them) and prints each message and a summary. Returns the exit status: 0,
 * 1 when the pass or the data failed, 64 for a usage error. */
int kb_cmd_remind(const struct kb_config *cfg, int argc, char **argv);

/* One pass at the clock's now on st, committed, each message queued handed to show (the
 * terminal prints it). The rules come from dialogs/reminders.json under cfg's override
 * directory. Returns the number of messages, or -1 after printing why to stderr. */
int kb_remind_terminal(const struct kb_config *cfg, struct kb_store *st,
                       const struct kb_locale *loc, const struct kb_policy *policy,
                       void (*show)(void *ctx, const struct kb_out *o), void *ctx);

#endif
