/* scheduler: runs reminder passes on the service's loop (include/karirbot/scheduler.h).
 *
 *   pass timer (every pass_every_minutes) -> a new pass -> slice timer (0 ms, or the pause)
 *   slice: BEGIN IMMEDIATE -> kb_remind_pass_slice -> COMMIT -> wake the sender -> next slice
 *
 * A busy database (an admin command writing) is retried on the slice timer, never waited for.
 * A crash between slices loses nothing: committed slices hold their outbox rows with their keys,
 * and the next pass finds everything else again. */
#include "karirbot/scheduler.h"

#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/diag.h"
#include "karirbot/log.h"
#include "karirbot/remind_pass.h"
#include "karirbot/reminders.h"
#include "karirbot/reminders_store.h"
#include "karirbot/sender.h"
#include "karirbot/store.h"

#define BUSY_MS         20 /* SQLite's own wait for a lock, at most */
#define BUSY_RETRY_MS   100
#define PRUNE_EVERY_S   3600
#define PRUNE_BATCH     2000
#define SLOW_SLICE_MS   50.0
#define REQUEST_POLL_MS 5000

struct kb_scheduler {
    uv_loop_t *loop;
    const struct kb_config *cfg;
    struct kb_locale *const *loc;
    struct kb_policy *const *policy;
    struct kb_sender *sender;
    struct kb_store *st;
    struct kb_reminder_rules *rules;
    uv_timer_t pass_timer, slice_timer, request_timer;
    int64_t request_seen; /* the last pass request an admin command made, already served */
    uv_signal_t sighup;
    struct kb_remind_pass *pass;
    uint64_t pass_started_ms;
    double longest_ms; /* the pass's longest slice */
    int busy_retries;
    int64_t last_prune;
    int stopped;
};

static void on_slice(uv_timer_t *t);

static struct kb_reminder_rules *load_rules(const struct kb_config *cfg)
{
    struct kb_diag diag = {0};
    struct kb_reminder_rules *r =
        kb_reminder_rules_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        KB_ERROR("reminders.invalid", "problem=\"%s\"", diag.lines[i]);
    kb_diag_free(&diag);
    return r;
}

static void end_pass(struct kb_scheduler *s, const char *how)
{
    if (!s->pass)
        return;
    const struct kb_remind_stats *st = kb_remind_pass_stats(s->pass);
    uint64_t ms = kb_mono_ms() - s->pass_started_ms;
    if (st->messages || st->held || strcmp(how, "done") != 0)
        KB_INFO("reminders.pass",
                "end=%s people=%lld messages=%lld reminders=%lld held=%lld slices=%lld ms=%llu "
                "longest_slice_ms=%.1f",
                how, (long long)st->people, (long long)st->messages, (long long)st->reminders,
                (long long)st->held, (long long)st->slices, (unsigned long long)ms, s->longest_ms);
    else
        KB_DEBUG("reminders.pass", "end=%s people=%lld slices=%lld ms=%llu", how,
                 (long long)st->people, (long long)st->slices, (unsigned long long)ms);
    kb_remind_pass_free(s->pass);
    s->pass = NULL;
}

/* Forgets keys older than keep_days, a bounded batch at a time, at most once an hour. */
static void prune(struct kb_scheduler *s)
{
    int64_t now = kb_now();
    if (now - s->last_prune < PRUNE_EVERY_S || kb_store_begin(s->st) != KB_OK)
        return;
    int deleted = 0;
    if (kb_rem_sent_prune(s->st, now - (int64_t)s->rules->keep_days * 86400, PRUNE_BATCH,
                          &deleted) == KB_OK &&
        kb_store_commit(s->st) == KB_OK) {
        s->last_prune = now;
        if (deleted)
            KB_DEBUG("reminders.pruned", "keys=%d", deleted);
    } else {
        kb_store_rollback(s->st);
    }
}

static void schedule_slice(struct kb_scheduler *s, uint64_t ms)
{
    if (!s->stopped)
        uv_timer_start(&s->slice_timer, on_slice, ms, 0);
}

static void on_slice(uv_timer_t *t)
{
    struct kb_scheduler *s = t->data;
    if (!s->pass || s->stopped)
        return;
    kb_remind_pass_texts(s->pass, *s->loc, *s->policy); /* a reload may have replaced them */
    uint64_t t0 = kb_mono_ms();
    int done = 0;
    int rc = kb_store_begin(s->st);
    if (rc == KB_OK) {
        rc = kb_remind_pass_slice(s->pass, &done);
        rc = rc == KB_OK ? kb_store_commit(s->st) : (kb_store_rollback(s->st), rc);
    }
    if (rc != KB_OK) {
        kb_remind_pass_rolled_back(s->pass);
        if (rc == KB_BUSY && ++s->busy_retries < 600) { /* a minute of an admin's writes */
            KB_DEBUG("reminders.busy", "retry_ms=%d", BUSY_RETRY_MS);
            schedule_slice(s, BUSY_RETRY_MS);
            return;
        }
        KB_ERROR("reminders.slice_failed", "busy=%d action=\"the next pass tries again\"",
                 rc == KB_BUSY);
        end_pass(s, "failed");
        return;
    }
    s->busy_retries = 0;
    int64_t before = kb_remind_pass_stats(s->pass)->messages;
    kb_remind_pass_committed(s->pass);
    const struct kb_remind_stats *st = kb_remind_pass_stats(s->pass);
    double ms = (double)(kb_mono_ms() - t0);
    if (ms > s->longest_ms)
        s->longest_ms = ms;
    if (ms > SLOW_SLICE_MS)
        KB_WARN("reminders.slow_slice", "ms=%.0f people=%d", ms, s->rules->slice_people);
    if (st->messages > before)
        kb_sender_wake(s->sender);
    if (!done)
        KB_DEBUG("reminders.slice", "slices=%lld messages=%lld ms=%.1f", (long long)st->slices,
                 (long long)st->messages, ms);
    if (done) {
        end_pass(s, "done");
        prune(s);
        return;
    }
    schedule_slice(s, (uint64_t)s->rules->slice_pause_ms);
}

static void on_pass_timer(uv_timer_t *t)
{
    struct kb_scheduler *s = t->data;
    if (s->stopped)
        return;
    if (s->pass) {
        KB_DEBUG("reminders.pass_running", "action=\"skip this start\"");
        return;
    }
    struct kb_remind_env env = {
        .st = s->st, .loc = *s->loc, .policy = *s->policy, .rules = s->rules};
    s->pass = kb_remind_pass_new(&env, kb_now());
    if (!s->pass)
        return; /* logged; the next start tries again */
    s->pass_started_ms = kb_mono_ms();
    s->longest_ms = 0;
    s->busy_retries = 0;
    schedule_slice(s, 0);
}

/* An admin command asked for a pass (kb_rem_request_pass): start one now, or, while one runs,
 * once it is over (the request stays unseen until then). */
static void on_request_timer(uv_timer_t *t)
{
    struct kb_scheduler *s = t->data;
    int64_t at = 0;
    if (s->stopped || s->pass || kb_rem_pass_requested(s->st, &at) != KB_OK ||
        at <= s->request_seen)
        return;
    s->request_seen = at;
    KB_INFO("reminders.pass_requested", "at=%lld", (long long)at);
    on_pass_timer(&s->pass_timer);
}

static void start_timer(struct kb_scheduler *s, uint64_t first_ms)
{
    uv_timer_start(&s->pass_timer, on_pass_timer, first_ms,
                   (uint64_t)s->rules->pass_every_s * 1000);
}

static void on_reload(uv_signal_t *h, int signum)
{
    (void)signum;
    struct kb_scheduler *s = h->data;
    struct kb_reminder_rules *r = load_rules(s->cfg);
    if (!r) {
        KB_ERROR("reminders.reload_failed", "reason=\"kept the reminder rules in use; run "
                                            "karirbot remind --dry-run\"");
        return;
    }
    end_pass(s, "reloaded"); /* it holds the old rules; the next start begins afresh */
    uv_timer_stop(&s->slice_timer);
    kb_reminder_rules_publish(r);
    kb_reminder_rules_free(s->rules);
    s->rules = r;
    start_timer(s, (uint64_t)r->first_pass_s * 1000);
    KB_INFO("reminders.reloaded", "every_s=%d", r->pass_every_s);
}

struct kb_scheduler *kb_scheduler_new(uv_loop_t *loop, const struct kb_config *cfg,
                                      struct kb_locale *const *loc, struct kb_policy *const *policy,
                                      struct kb_sender *sender)
{
    struct kb_scheduler *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    *s = (struct kb_scheduler){
        .loop = loop, .cfg = cfg, .loc = loc, .policy = policy, .sender = sender};
    s->rules = load_rules(cfg);
    if (!s->rules) {
        KB_ERROR("reminders.bad_rules",
                 "file=dialogs/" KB_REMINDERS_FILE " reason=\"the lines above say what to fix\"");
        free(s);
        return NULL;
    }
    if (kb_store_open(&s->st, cfg->db_path, BUSY_MS) != KB_OK) {
        kb_reminder_rules_free(s->rules);
        free(s);
        return NULL;
    }
    kb_reminder_rules_publish(s->rules);
    uv_timer_init(loop, &s->pass_timer);
    uv_timer_init(loop, &s->slice_timer);
    uv_timer_init(loop, &s->request_timer);
    uv_signal_init(loop, &s->sighup);
    s->pass_timer.data = s->slice_timer.data = s->request_timer.data = s->sighup.data = s;
    if (kb_rem_pass_requested(s->st, &s->request_seen) != KB_OK)
        s->request_seen = 0;
    /* A request made while the service was down is served by the first pass. */
    uv_timer_start(&s->request_timer, on_request_timer, REQUEST_POLL_MS, REQUEST_POLL_MS);
    uv_signal_start(&s->sighup, on_reload, SIGHUP);
    start_timer(s, (uint64_t)s->rules->first_pass_s * 1000);
    s->last_prune = kb_now() - PRUNE_EVERY_S + 60; /* the first prune a minute after start */
    KB_INFO("reminders.start", "every_s=%d slice_people=%d", s->rules->pass_every_s,
            s->rules->slice_people);
    return s;
}

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

void kb_scheduler_stop(struct kb_scheduler *s)
{
    if (!s || s->stopped)
        return;
    s->stopped = 1;
    end_pass(s, "stopped");
    uv_timer_stop(&s->pass_timer);
    uv_timer_stop(&s->slice_timer);
    uv_timer_stop(&s->request_timer);
    uv_signal_stop(&s->sighup);
    uv_close((uv_handle_t *)&s->pass_timer, on_closed);
    uv_close((uv_handle_t *)&s->slice_timer, on_closed);
    uv_close((uv_handle_t *)&s->request_timer, on_closed);
    uv_close((uv_handle_t *)&s->sighup, on_closed);
}

void kb_scheduler_free(struct kb_scheduler *s)
{
    if (!s)
        return;
    kb_remind_pass_free(s->pass);
    kb_reminder_rules_publish(NULL);
    kb_reminder_rules_free(s->rules);
    kb_store_close(s->st);
    free(s);
}
