/* scheduler: reminders in the running service (src/app/scheduler.c). A libuv timer starts a
 * pass every few minutes (dialogs/reminders.json, schedule); a pass runs one slice of people
 * per loop turn, each slice a short transaction on the scheduler's own connection, so the loop
 * is never held longer than one slice. What a slice queues goes out through the outbox at
 * reminder priority, below replies, paced by the sender. SIGHUP reloads the rules (a broken
 * file is refused and the rules in use are kept). */
#ifndef KARIRBOT_SCHEDULER_H
#define KARIRBOT_SCHEDULER_H

#include <uv.h>

struct kb_config;
struct kb_locale;
struct kb_policy;
struct kb_sender;
struct kb_scheduler;

/* loc and policy point at the service's own pointers, which a reload replaces: each slice
 * uses the current ones. Returns NULL (after logging why) when the rules or the database
 * cannot be loaded. */
struct kb_scheduler *kb_scheduler_new(uv_loop_t *loop, const struct kb_config *cfg,
                                      struct kb_locale *const *loc, struct kb_policy *const *policy,
                                      struct kb_sender *sender);
/* Stops starting passes and slices (a pass in progress is abandoned between two slices: the
 * next start goes over everyone again, and keys already written keep it from repeating
 * anything), and closes the handles. */
void kb_scheduler_stop(struct kb_scheduler *s);
/* Frees everything once the loop has run the handles' closes (or never started them). */
void kb_scheduler_free(struct kb_scheduler *s);

#endif
