/* service: the running bot. A small state machine on one loop:
 *   start: deleteWebhook -> getMe -> poll
 *   poll:  getUpdates(offset) -> count attempts -> apply batch -> wake sender -> poll
 * Failures back off on a timer; nothing here sleeps or blocks. On SIGINT/SIGTERM the poll is
 * cancelled, a batch in hand is finished, the sender drains until its deadline, and every
 * handle is closed before the loop ends. */
#include "karirbot/service.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/admin_store.h"
#include "karirbot/clock.h"
#include "karirbot/engine.h"
#include "karirbot/http.h"
#include "karirbot/jsonmem.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/pipeline.h"
#include "karirbot/policy.h"
#include "karirbot/scheduler.h"
#include "karirbot/script.h"
#include "karirbot/sender.h"
#include "karirbot/telegram.h"
#include "karirbot/utf8.h"

#define BATCH_LIMIT      100
#define BUSY_RETRY_MS    100
#define BACKOFF_BASE_MS  1000
#define BACKOFF_MAX_MS   60000
#define PRUNE_EVERY_MS   (3600 * 1000)
#define PRUNE_AGE_S      (7 * 86400) /* redelivery after a week is impossible */
#define DEAD_RAW_LIMIT   65536
#define URL_MAX          1024
#define SERVICE_BUSY_MS  50
#define OUTAGE_WARN_MS   (3600 * 1000)
#define COMMANDS_MAX     100 /* Telegram's limit */
#define SENDER_CACHE_KIB 512 /* the sender reads one row at a time, by key */
/* `karirbot status`: how stale its "last poll" may get while all is well */
#define POLL_NOTE_MS 60000

enum phase { PH_WEBHOOK, PH_GETME, PH_POLL, PH_APPLY, PH_STOPPING };

struct service {
    uv_loop_t loop;
    const struct kb_config *cfg;
    struct kb_store *st;      /* batches: durable commits */
    struct kb_store *send_st; /* the sender's marks: see kb_store_set_durable() */
    struct kb_http *http;
    struct kb_sender *sender;
    struct kb_locale *loc;
    struct kb_script *script;
    struct kb_policy *policy;
    struct kb_engine *engine;
    struct kb_scheduler *sched; /* reminders */
    struct kb_pipeline pipe;
    uv_signal_t sigint, sigterm, sighup;
    uv_timer_t retry_timer, prune_timer;
    struct kb_http_req *req;
    enum phase phase;
    int64_t offset;
    int limit;
    int failures;
    int stopping;
    int exit_code;
    /* the batch in hand */
    struct kb_json_arena arena; /* holds the batch in hand */
    cJSON *batch_root;
    struct kb_batch_item *items;
    size_t nitems;
    int counted;
    int ncommands;
    double fetch_ms;           /* how long the last getUpdates took */
    uint64_t last_poll_ok_ms;  /* monotonic time of the last successful Bot API call */
    uint64_t outage_warned_ms; /* when the outage was last logged */
    uint64_t noted_ms;         /* when note_poll() last wrote, 0: never */
    uint64_t note_retry_ms;    /* after a busy database, not before */
    int noted_error;           /* and whether that was a failure */
};

static void poll_next(struct service *s);
static void start_step(struct service *s);
static void stop(struct service *s, int exit_code);

/* ---- helpers ------------------------------------------------------------------------------- */

static int call(struct service *s, const char *method, char *body, long timeout_ms, kb_http_cb cb)
{
    char url[URL_MAX];
    if (!body || kb_tg_url(url, sizeof url, s->cfg->api_url, s->cfg->token, method) != 0) {
        free(body);
        return -1;
    }
    s->req = kb_http_post_json(s->http, url, body, timeout_ms, (size_t)s->cfg->max_response, cb, s);
    free(body);
    return s->req ? 0 : -1;
}

static void on_retry_timer(uv_timer_t *t)
{
    struct service *s = t->data;
    if (s->phase == PH_APPLY)
        poll_next(s); /* resumes the batch in hand */
    else if (!s->stopping)
        s->phase == PH_POLL ? poll_next(s) : start_step(s);
}

static void retry_later(struct service *s, uint64_t ms)
{
    uv_timer_start(&s->retry_timer, on_retry_timer, ms, 0);
}

static uint64_t backoff(struct service *s)
{
    int f = s->failures < 7 ? s->failures : 7;
    uint64_t ms = (uint64_t)BACKOFF_BASE_MS << f;
    if (ms > BACKOFF_MAX_MS)
        ms = BACKOFF_MAX_MS;
    s->failures++;
    return ms / 2 + (uint64_t)rand() % (ms / 2 + 1);
}

static void batch_free(struct service *s)
{
    for (size_t i = 0; i < s->nitems; i++)
        kb_event_free(&s->items[i].ev);
    free(s->items);
    if (s->batch_root)
        kb_json_free(&s->arena, s->batch_root);
    s->items = NULL;
    s->batch_root = NULL;
    s->nitems = 0;
    s->counted = 0;
}

/* Records for `karirbot status` that the Bot API answered (error NULL) or why it did not: at
 * once when that changes, else at most once a minute (a busy bot polls many times a second).
 * Not essential: skipped while another process holds the database. */
static void note_poll(struct service *s, const char *error)
{
    uint64_t now = kb_mono_ms();
    if (s->phase == PH_APPLY || now < s->note_retry_ms ||
        (s->noted_ms && (error != NULL) == s->noted_error && now - s->noted_ms < POLL_NOTE_MS))
        return;
    if (kb_poll_note(s->st, error, kb_now()) == KB_OK) {
        s->noted_ms = now;
        s->noted_error = error != NULL;
    } else {
        s->note_retry_ms = now + 5000;
    }
}

/* A failed Bot API call: decides between fatal, a wait, and a retry with backoff. */
static void call_failed(struct service *s, const char *what, const struct kb_http_result *res,
                        const struct kb_tg_reply *r)
{
    int code = r ? r->error_code : (int)res->status;
    char why[256];
    snprintf(why, sizeof why, "%.40s: %d %.200s", what, code,
             r && *r->description ? r->description
             : res->error         ? res->error
                                  : "unexpected");
    note_poll(s, why);
    uint64_t now = kb_mono_ms();
    if (now - s->last_poll_ok_ms >= OUTAGE_WARN_MS && now - s->outage_warned_ms >= OUTAGE_WARN_MS) {
        s->outage_warned_ms = now;
        KB_ERROR("telegram.outage",
                 "minutes=%llu reason=\"no successful Bot API call for over an hour; Telegram "
                 "drops updates it could not deliver within 24 hours\"",
                 (unsigned long long)((now - s->last_poll_ok_ms) / 60000));
    }
    if (code == 401) {
        KB_ERROR("telegram.unauthorized",
                 "call=%s reason=\"the Bot API rejected the token; check KARIRBOT_TOKEN or "
                 "KARIRBOT_TOKEN_FILE (a new token from @BotFather invalidates the old one)\"",
                 what);
        stop(s, 2);
        return;
    }
    if (r && r->retry_after > 0) {
        KB_WARN("telegram.throttled", "call=%s retry_after=%d", what, r->retry_after);
        retry_later(s, (uint64_t)r->retry_after * 1000);
        return;
    }
    uint64_t wait = backoff(s);
    if (code == 409)
        KB_ERROR("telegram.conflict",
                 "call=%s reason=\"another karirbot instance (or a webhook) uses this token; "
                 "only one may poll\" retry_ms=%llu",
                 what, (unsigned long long)wait);
    else
        KB_WARN("telegram.call_failed", "call=%s status=%d error=\"%s\" retry_ms=%llu", what, code,
                r && *r->description ? r->description
                : res->error         ? res->error
                                     : "unexpected",
                (unsigned long long)wait);
    retry_later(s, wait);
}

/* ---- start-up: deleteWebhook, getMe (then setMyCommands on the side) --------------------- */

static void on_commands_set(struct kb_http_req *req, const struct kb_http_result *res, void *data)
{
    (void)req;
    struct service *s = data;
    struct kb_tg_reply r;
    if (res->err == KB_HTTP_CANCELLED)
        return;
    if (res->err == KB_HTTP_OK &&
        kb_tg_reply_parse(&r, NULL, res->status, res->body, res->body_len) == 0) {
        if (r.ok)
            KB_INFO("telegram.commands_set", "count=%d", s->ncommands);
        else
            KB_WARN("telegram.commands_failed", "status=%d description=\"%s\"", r.error_code,
                    r.description);
        kb_tg_reply_free(&r);
        return;
    }
    KB_WARN("telegram.commands_failed", "error=\"%s\"", res->error ? res->error : "bad body");
}

/* The command menu Telegram shows users: every command of a flow, and /bantuan and /batal,
 * that has a description (locale key cmd_<command>). Not essential: failures are logged. */
static void set_commands(struct service *s)
{
    const char *names[COMMANDS_MAX], *descs[COMMANDS_MAX];
    static const char *const reserved[] = {"bantuan", "batal"};
    size_t n = 0;
    for (size_t f = 0; f < s->script->nflows; f++)
        for (size_t c = 0; c < s->script->flows[f].ncommands && n < COMMANDS_MAX; c++)
            names[n++] = s->script->flows[f].commands[c];
    for (size_t i = 0; i < 2 && n < COMMANDS_MAX; i++)
        names[n++] = reserved[i];
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "cmd_%s", names[i]);
        const char *d = kb_locale_text(s->loc, "id", key);
        if (d && *d && strlen(d) <= 256) {
            names[kept] = names[i];
            descs[kept++] = d;
        }
    }
    s->ncommands = (int)kept;
    char url[URL_MAX];
    char *body = kb_tg_set_commands_body(names, descs, kept);
    if (body && kb_tg_url(url, sizeof url, s->cfg->api_url, s->cfg->token, "setMyCommands") == 0)
        kb_http_post_json(s->http, url, body, s->cfg->http_timeout_s * 1000L, 64 * 1024,
                          on_commands_set, s);
    free(body);
}

/* Keeps the bot's username for the deep links `karirbot invite` prints. Not essential: when it
 * cannot be written (an admin command holds the database), the next start tries again. */
static void remember_username(struct service *s, const char *username)
{
    int rc = kb_store_begin(s->st);
    if (rc == KB_OK) {
        rc = kb_bot_username_set(s->st, username);
        rc = rc == KB_OK ? kb_store_commit(s->st) : (kb_store_rollback(s->st), rc);
    }
    if (rc != KB_OK)
        KB_WARN("service.username_not_saved", "busy=%d", rc == KB_BUSY);
}

static void on_start_reply(struct kb_http_req *req, const struct kb_http_result *res, void *data)
{
    (void)req;
    struct service *s = data;
    s->req = NULL;
    if (res->err == KB_HTTP_CANCELLED)
        return;
    struct kb_tg_reply r;
    const char *what = s->phase == PH_WEBHOOK ? "deleteWebhook" : "getMe";
    int parsed = res->err == KB_HTTP_OK &&
                 kb_tg_reply_parse(&r, &s->arena, res->status, res->body, res->body_len) == 0;
    if (!parsed || !r.ok) {
        call_failed(s, what, res, parsed ? &r : NULL);
        if (parsed)
            kb_tg_reply_free(&r);
        return;
    }
    s->failures = 0;
    s->last_poll_ok_ms = kb_mono_ms();
    if (s->phase == PH_GETME) {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(r.result, "username");
        KB_INFO("telegram.ready", "bot=%s", cJSON_IsString(u) ? u->valuestring : "?");
        if (cJSON_IsString(u))
            remember_username(s, u->valuestring);
        s->phase = PH_POLL;
        set_commands(s);
    } else {
        s->phase = PH_GETME;
    }
    kb_tg_reply_free(&r);
    s->phase == PH_POLL ? poll_next(s) : start_step(s);
}

static void start_step(struct service *s)
{
    long t = s->cfg->http_timeout_s * 1000L;
    int rc = s->phase == PH_WEBHOOK
                 ? call(s, "deleteWebhook", kb_tg_delete_webhook_body(), t, on_start_reply)
                 : call(s, "getMe", strdup("{}"), t, on_start_reply);
    if (rc != 0)
        retry_later(s, backoff(s));
}

/* ---- batches -------------------------------------------------------------------------------- */

/* Records an update that cannot be read at all as a dead letter and moves past it. */
static int skip_unreadable(struct service *s, int64_t update_id, const char *reason,
                           const char *body, size_t len)
{
    size_t n = len < DEAD_RAW_LIMIT ? len : DEAD_RAW_LIMIT;
    char *raw = kb_utf8_sanitize(body, n);
    int64_t now = kb_now();
    int rc = kb_store_begin(s->st);
    if (rc == KB_OK) {
        if (kb_dead_letter_add(s->st, update_id, 0, reason, raw, now) != KB_OK ||
            kb_updates_finish(s->st, update_id, KB_UPD_DEAD, now) != KB_OK ||
            kb_meta_set_i64(s->st, "poll_offset", update_id + 1) != KB_OK)
            rc = KB_ERR;
        rc = rc == KB_OK ? kb_store_commit(s->st) : (kb_store_rollback(s->st), rc);
    }
    free(raw);
    if (rc == KB_OK) {
        KB_ERROR("poll.update_unreadable", "update=%lld reason=\"%s\"", (long long)update_id,
                 reason);
        s->offset = update_id + 1;
    }
    return rc;
}

/* A response that cannot be read as a whole: isolate the bad update with limit=1. */
static void unreadable_response(struct service *s, const char *reason,
                                const struct kb_http_result *res)
{
    int64_t id;
    if (s->limit > 1) {
        KB_WARN("poll.bad_response", "reason=\"%s\" bytes=%zu action=\"fetch one update\"", reason,
                res->body_len);
        s->limit = 1;
        retry_later(s, 0);
        return;
    }
    if (kb_tg_scan_update_id(res->body, res->body_len, &id) == 0 && id >= s->offset &&
        skip_unreadable(s, id, reason, res->body, res->body_len) == KB_OK) {
        s->limit = BATCH_LIMIT;
        retry_later(s, 0);
        return;
    }
    KB_WARN("poll.bad_response", "reason=\"%s\" bytes=%zu action=retry", reason, res->body_len);
    retry_later(s, backoff(s));
}

static int take_batch(struct service *s, struct kb_tg_reply *r)
{
    int n = cJSON_GetArraySize(r->result);
    s->items = calloc(n > 0 ? (size_t)n : 1, sizeof *s->items);
    if (!s->items)
        return -1;
    const cJSON *u;
    cJSON_ArrayForEach(u, r->result)
    {
        struct kb_batch_item *it = &s->items[s->nitems];
        const char *why = NULL;
        if (kb_tg_parse_update(u, &it->ev, &why) != 0) {
            KB_WARN("poll.update_ignored", "reason=\"%s\"", why);
            continue;
        }
        it->raw = u;
        s->nitems++;
    }
    s->batch_root = r->root; /* the items point into it */
    r->root = NULL;
    return 0;
}

/* Applies the batch in hand; on a busy database it tries again on a timer. */
static void apply_batch(struct service *s)
{
    uint64_t t0 = kb_mono_ms();
    s->phase = PH_APPLY;
    int rc = KB_OK;
    if (!s->counted) {
        rc = kb_pipeline_count(&s->pipe, s->items, s->nitems);
        s->counted = rc == KB_OK;
    }
    struct kb_batch_result res = {0};
    if (rc == KB_OK)
        rc = kb_pipeline_apply(&s->pipe, s->items, s->nitems, s->offset, &res);
    if (rc == KB_BUSY) {
        KB_DEBUG("poll.db_busy", "retry_ms=%d", BUSY_RETRY_MS);
        retry_later(s, BUSY_RETRY_MS);
        return;
    }
    if (rc != KB_OK) {
        KB_ERROR("poll.batch_failed", "updates=%zu action=\"fetch again\"", s->nitems);
        batch_free(s);
        s->phase = PH_POLL;
        if (!s->stopping)
            retry_later(s, backoff(s));
        else
            stop(s, s->exit_code);
        return;
    }
    KB_DEBUG("poll.batch",
             "updates=%zu done=%d skipped=%d failed=%d dead=%d duplicates=%d queued=%d "
             "offset=%lld fetch_ms=%.1f apply_ms=%llu",
             s->nitems, res.done, res.skipped, res.failed, res.dead, res.duplicates, res.queued,
             (long long)res.next_offset, s->fetch_ms, (unsigned long long)(kb_mono_ms() - t0));
    s->offset = res.next_offset;
    batch_free(s);
    s->phase = PH_POLL;
    if (res.queued)
        kb_sender_wake(s->sender);
    if (s->stopping)
        stop(s, s->exit_code);
    else
        poll_next(s);
}

static void on_updates(struct kb_http_req *req, const struct kb_http_result *res, void *data)
{
    (void)req;
    struct service *s = data;
    s->req = NULL;
    s->fetch_ms = res->elapsed_s * 1000.0;
    if (res->err == KB_HTTP_CANCELLED)
        return;
    if (res->err == KB_HTTP_TOO_BIG) {
        unreadable_response(s, "response too large", res);
        return;
    }
    if (res->err != KB_HTTP_OK) {
        call_failed(s, "getUpdates", res, NULL);
        return;
    }
    struct kb_tg_reply r;
    if (kb_tg_reply_parse(&r, &s->arena, res->status, res->body, res->body_len) != 0) {
        if (res->status >= 500 || res->status == 401 || res->status == 409 || res->status == 429)
            call_failed(s, "getUpdates", res, NULL);
        else
            unreadable_response(s, r.description, res);
        return;
    }
    if (!r.ok) {
        call_failed(s, "getUpdates", res, &r);
    } else if (!cJSON_IsArray(r.result)) {
        unreadable_response(s, "result is not an array", res);
    } else if (take_batch(s, &r) != 0) {
        KB_ERROR("poll.out_of_memory", "updates=%d", cJSON_GetArraySize(r.result));
        batch_free(s);
        retry_later(s, backoff(s));
    } else {
        s->failures = 0;
        s->last_poll_ok_ms = kb_mono_ms();
        note_poll(s, NULL);
        if (s->limit == 1 && s->nitems)
            s->limit = BATCH_LIMIT;
        kb_tg_reply_free(&r);
        if (s->nitems)
            apply_batch(s);
        else {
            batch_free(s);
            poll_next(s);
        }
        return;
    }
    kb_tg_reply_free(&r);
}

static void poll_next(struct service *s)
{
    if (s->phase == PH_APPLY) {
        apply_batch(s);
        return;
    }
    if (s->stopping)
        return;
    s->phase = PH_POLL;
    long timeout_ms = (s->cfg->poll_timeout_s + s->cfg->http_timeout_s) * 1000L;
    if (call(s, "getUpdates", kb_tg_get_updates_body(s->offset, s->limit, s->cfg->poll_timeout_s),
             timeout_ms, on_updates) != 0) {
        KB_ERROR("poll.start_failed", "action=retry");
        retry_later(s, backoff(s));
    }
}

/* ---- housekeeping and shutdown ------------------------------------------------------------- */

static void on_prune(uv_timer_t *t)
{
    struct service *s = t->data;
    if (s->phase == PH_APPLY || kb_store_begin(s->st) != KB_OK)
        return; /* next hour */
    int updates = 0, buttons = 0;
    if (kb_updates_prune(s->st, kb_now() - PRUNE_AGE_S, 5000, &updates) == KB_OK &&
        kb_buttons_prune(s->st, kb_now(), 5000, &buttons) == KB_OK &&
        kb_store_commit(s->st) == KB_OK)
        KB_DEBUG("store.pruned", "updates=%d buttons=%d", updates, buttons);
    else
        kb_store_rollback(s->st);
}

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

static void close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, on_closed);
}

static void close_all(void *data)
{
    struct service *s = data;
    struct kb_sender_stats st;
    kb_sender_stats(s->sender, &st);
    KB_INFO("service.stopped", "sent=%llu failed=%llu unsent=%llu", (unsigned long long)st.sent,
            (unsigned long long)st.failed, (unsigned long long)st.queued);
    kb_http_close(s->http);
    kb_sender_free(s->sender);
    s->sender = NULL;
    s->http = NULL;
    uv_close((uv_handle_t *)&s->sigint, on_closed);
    uv_close((uv_handle_t *)&s->sigterm, on_closed);
    uv_close((uv_handle_t *)&s->sighup, on_closed);
    uv_close((uv_handle_t *)&s->retry_timer, on_closed);
    uv_close((uv_handle_t *)&s->prune_timer, on_closed);
}

static void stop(struct service *s, int exit_code)
{
    s->exit_code = exit_code;
    if (!s->stopping) {
        s->stopping = 1;
        uv_timer_stop(&s->prune_timer);
        kb_scheduler_stop(s->sched);
        if (s->req && s->phase != PH_APPLY) {
            struct kb_http_req *r = s->req;
            s->req = NULL;
            kb_http_cancel(r); /* an unconfirmed poll is simply delivered again */
        }
    }
    if (s->phase == PH_APPLY)
        return; /* apply_batch() calls back here once the batch in hand is committed */
    if (s->phase == PH_STOPPING)
        return;
    s->phase = PH_STOPPING;
    uv_timer_stop(&s->retry_timer);
    uint64_t deadline = kb_mono_ms() + (uint64_t)s->cfg->shutdown_deadline_s * 1000;
    if (exit_code == 0) {
        KB_INFO("service.stopping", "deadline_s=%d", s->cfg->shutdown_deadline_s);
        kb_sender_drain(s->sender, deadline, close_all, s);
    } else {
        close_all(s);
    }
}

static void on_signal(uv_signal_t *h, int signum)
{
    struct service *s = h->data;
    KB_INFO("service.signal", "signal=%d", signum);
    if (s->stopping && s->phase == PH_STOPPING) {
        KB_WARN("service.forced", "reason=\"second signal\"");
        uv_stop(&s->loop);
        return;
    }
    stop(s, 0);
}

/* Loads the texts, the dialogs and the policy data, the shipped ones under HR's edits. Logs
 * every problem (the same lines `karirbot check` prints) and returns -1 when any does not
 * load. */
static int load_data(const struct kb_config *cfg, struct kb_locale **loc, struct kb_script **script,
                     struct kb_policy **policy)
{
    struct kb_diag diag = {0};
    *loc = kb_locale_load(kb_config_defaults_dir(), kb_config_override_dir(cfg));
    *script = kb_script_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    *policy = kb_policy_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        KB_ERROR("dialog.invalid", "problem=\"%s\"", diag.lines[i]);
    kb_diag_free(&diag);
    if (*loc && *script && *policy)
        return 0;
    kb_locale_free(*loc);
    kb_script_free(*script);
    kb_policy_free(*policy);
    *loc = NULL;
    *script = NULL;
    *policy = NULL;
    return -1;
}

/* SIGHUP: HR edited texts or dialogs. The new ones replace the old between two updates; if they
 * do not load, the ones in use stay and the log says which file is wrong. A chat whose state
 * disappeared is taken back to the menu by the engine on its next message. */
static void on_reload(uv_signal_t *h, int signum)
{
    (void)signum;
    struct service *s = h->data;
    struct kb_locale *loc;
    struct kb_script *script;
    struct kb_policy *policy;
    if (load_data(s->cfg, &loc, &script, &policy) != 0) {
        KB_ERROR("service.reload_failed", "reason=\"kept the texts and dialogs in use; run "
                                          "karirbot check\"");
        return;
    }
    kb_engine_reload(s->engine, script, loc);
    kb_engine_set_policy(s->engine, policy);
    kb_locale_free(s->loc);
    kb_script_free(s->script);
    kb_policy_free(s->policy);
    s->loc = loc;
    s->script = script;
    s->policy = policy;
    s->pipe.loc = loc;
    KB_INFO("service.reloaded", "overrides=%s", kb_config_override_dir(s->cfg));
    if (s->phase == PH_POLL || s->phase == PH_APPLY)
        set_commands(s); /* the descriptions may have changed */
}

/* ---- entry ---------------------------------------------------------------------------------- */

int kb_service_run(const struct kb_config *cfg)
{
    struct service *s = calloc(1, sizeof *s);
    if (!s)
        return 1;
    s->cfg = cfg;
    s->limit = BATCH_LIMIT;
    s->last_poll_ok_ms = kb_mono_ms(); /* the outage clock starts at start-up */
    int rc = 1;
    if (uv_loop_init(&s->loop) != 0) {
        free(s);
        return 1;
    }
    if (load_data(cfg, &s->loc, &s->script, &s->policy) != 0) {
        KB_ERROR("service.bad_data", "reason=\"the texts or dialogs do not load; karirbot check "
                                     "lists every problem\"");
        goto out;
    }
    s->engine = kb_engine_new(s->script, s->loc);
    if (s->engine)
        kb_engine_set_policy(s->engine, s->policy);
    if (!s->engine || kb_store_open(&s->st, cfg->db_path, SERVICE_BUSY_MS) != KB_OK ||
        kb_meta_get_i64(s->st, "poll_offset", 0, &s->offset) != KB_OK)
        goto out;
    s->http = kb_http_new(&s->loop);
    if (!s->http)
        goto out;
    if (kb_store_open(&s->send_st, cfg->db_path, SERVICE_BUSY_MS) != KB_OK ||
        kb_store_set_durable(s->send_st, 0) != KB_OK ||
        kb_store_set_cache_kib(s->send_st, SENDER_CACHE_KIB) != KB_OK)
        goto out;
    s->sender = kb_sender_new(&s->loop, s->http, s->send_st, cfg);
    if (!s->sender)
        goto out;
    s->sched = kb_scheduler_new(&s->loop, cfg, &s->loc, &s->policy, s->sender);
    if (!s->sched)
        goto out;
    s->pipe = (struct kb_pipeline){.st = s->st,
                                   .handler = kb_engine_handler(s->engine),
                                   .loc = s->loc,
                                   .max_attempts = cfg->max_attempts,
                                   .sender = s->sender};
    uv_signal_init(&s->loop, &s->sigint);
    uv_signal_init(&s->loop, &s->sigterm);
    uv_signal_init(&s->loop, &s->sighup);
    uv_timer_init(&s->loop, &s->retry_timer);
    uv_timer_init(&s->loop, &s->prune_timer);
    s->sigint.data = s->sigterm.data = s->sighup.data = s;
    s->retry_timer.data = s->prune_timer.data = s;
    uv_signal_start(&s->sigint, on_signal, SIGINT);
    uv_signal_start(&s->sigterm, on_signal, SIGTERM);
    uv_signal_start(&s->sighup, on_reload, SIGHUP);
    uv_timer_start(&s->prune_timer, on_prune, 60 * 1000, PRUNE_EVERY_MS);
    KB_INFO("service.start", "version=%s db=%s api=%s offset=%lld overrides=%s", KB_VERSION,
            cfg->db_path, cfg->api_url, (long long)s->offset, kb_config_override_dir(cfg));
    s->phase = PH_WEBHOOK;
    start_step(s);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    rc = s->exit_code;
out:
    /* After a graceful stop everything is closed already; after a forced one (or a failed
     * start) close what is left so that the loop, and valgrind, end clean. */
    if (s->http)
        kb_http_close(s->http);
    if (s->sender)
        kb_sender_free(s->sender);
    batch_free(s);
    uv_walk(&s->loop, close_walk, NULL);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&s->loop) != 0)
        KB_WARN("service.loop_not_empty", "reason=\"a handle was left open\"");
    kb_scheduler_free(s->sched);
    kb_pipeline_release(&s->pipe);
    kb_json_arena_release(&s->arena);
    kb_store_close(s->send_st);
    kb_store_close(s->st);
    kb_engine_free(s->engine);
    kb_script_free(s->script);
    kb_policy_free(s->policy);
    kb_locale_free(s->loc);
    free(s);
    return rc;
}
