/* remind_pass: one reminder pass over everyone linked (src/career/remind_pass.c), a slice of
 * people at a time. For each slice it reads the records of those people (plans, requests,
 * files, registrations, pairs), asks the rules of reminders.h what is due, keeps what may reach
 * each person now (their working hours and days, their /pengingat choices, a chat that has not
 * blocked the bot, the daily cap, keys not sent before), merges what is left into one message
 * per person, and writes the outbox row and the keys it carries — all inside the caller's write
 * transaction, so a slice is applied whole or not at all. Texts come from locales/ in the
 * recipient's language; buttons are tokens that start a flow ("s:<flow>:<arg>").
 *
 * The caller owns the transactions and the loop: the service's scheduler runs a slice per loop
 * turn; `karirbot remind` and the tests run them one after another (kb_remind_run). */
#ifndef KARIRBOT_REMIND_PASS_H
#define KARIRBOT_REMIND_PASS_H

#include <stdint.h>

#include "karirbot/event.h"
#include "karirbot/reminders.h"
#include "karirbot/store.h"

struct kb_locale;
struct kb_policy;

struct kb_remind_env {
    struct kb_store *st;
    const struct kb_locale *loc;
    const struct kb_policy *policy;
    const struct kb_reminder_rules *rules;
    /* Optional: told of each message queued, with its recipient (the terminal prints it). */
    void (*on_message)(void *ctx, const struct kb_out *o, int64_t employee_id);
    void *ctx;
};

struct kb_remind_stats {
    int64_t people;    /* linked people looked at */
    int64_t messages;  /* outbox rows written */
    int64_t reminders; /* keys written (a message may carry several) */
    int64_t held;      /* due, but not now: hours, days, choices, blocked chat, daily cap */
    int64_t slices;
    int64_t by_kind[KB_REM__COUNT];
    double longest_slice_ms; /* kept by kb_remind_run and the scheduler */
};

struct kb_remind_pass;

/* Starts a pass at the instant now: reads the holidays and the open trainings. NULL on a
 * database error or when memory runs out (logged). */
struct kb_remind_pass *kb_remind_pass_new(const struct kb_remind_env *env, int64_t now);
/* Runs the next slice inside the caller's write transaction. *done is 1 when there was no one
 * left (nothing was done). Returns KB_OK, KB_BUSY or KB_ERR; then commit and call
 * kb_remind_pass_committed(), or roll back and call kb_remind_pass_rolled_back() (the same
 * slice runs again). */
int kb_remind_pass_slice(struct kb_remind_pass *p, int *done);
void kb_remind_pass_committed(struct kb_remind_pass *p);
void kb_remind_pass_rolled_back(struct kb_remind_pass *p);
/* The texts and policy data the next slices use (after a reload replaced them). */
void kb_remind_pass_texts(struct kb_remind_pass *p, const struct kb_locale *loc,
                          const struct kb_policy *policy);
/* What the committed slices did. */
const struct kb_remind_stats *kb_remind_pass_stats(const struct kb_remind_pass *p);
void kb_remind_pass_free(struct kb_remind_pass *p);

/* A whole pass at now, slice after slice, each in its own write transaction (dry_run: each
 * rolled back, so nothing is written; on_message still shows what would go). Fills *stats.
 * Returns KB_OK, or KB_BUSY / KB_ERR from the first slice that failed. */
int kb_remind_run(const struct kb_remind_env *env, int64_t now, int dry_run,
                  struct kb_remind_stats *stats);

#endif
