/* sender: the only code that delivers outbox rows.
 *
 * Rows are loaded from the outbox per priority (a cursor each, a cap each, so a huge broadcast
 * never hides a reply) into per-chat FIFO queues. A chat is in one of three places: a ready
 * list (by the priority of its first row), the sleep heap (waiting for a token, retry_after or
 * a backoff), or nowhere (idle, or a send in flight — one per chat, which keeps order).
 * Callback answers skip the chats entirely. Results are recorded as "marks" and written in one
 * transaction per loop turn, so a crash can repeat only sends whose marks were not yet written. */
#include "karirbot/sender.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/i64map.h"
#include "karirbot/jsonmem.h"
#include "karirbot/log.h"
#include "karirbot/telegram.h"
#include "karirbot/textsplit.h"

#define LOAD_CAP_PER_PRIO 4096 /* rows held in memory per priority */
#define SCAN_BATCH        256
#define MARKS_MAX         2048
#define SCAN_INTERVAL_MS  1000
#define URL_MAX           1024
#define LINGER_MS         2000 /* after the drain deadline, for sends already in flight */
#define FLUSH_DELAY_MS    2
#define SWEEP_MAX         4096 /* idle chats forgotten per scan tick */
#define FLUSH_RETRY_MS    50

struct item {
    int64_t id;
    int kind;
    int priority;
    uint64_t wake_ms; /* callback answers only: not before */
    struct item *next;
};

enum place { NOWHERE, READY, SLEEPING };

struct chatq {
    int64_t chat_id;
    struct item *head, *tail;
    double tokens;
    uint64_t refill_ms;
    uint64_t wake_ms; /* retry_after or backoff: not before */
    int failures;     /* consecutive server or network failures */
    int queued;       /* rows in the queue, the one in flight included */
    int inflight;
    enum place place;
    int ready_prio;
    int heap_idx;
    struct chatq *rnext, *rprev;
};

enum mark_kind { MARK_SENT, MARK_FAILED, MARK_ATTEMPT, MARK_BLOCKED };
struct mark {
    enum mark_kind kind;
    int64_t id; /* outbox id, or chat id for MARK_BLOCKED */
    int64_t msg_id;
    char *error;
};

struct send_ctx {
    struct kb_sender *s;
    struct item *item;
    struct chatq *chat; /* NULL for callback answers */
    int64_t created_at;
    int attempts;
};

struct kb_sender {
    uv_loop_t *loop;
    struct kb_http *http;
    struct kb_store *st;
    const struct kb_config *cfg;
    uv_timer_t pump_timer, scan_timer, drain_timer;
    uv_timer_t flush_timer;
    int closed_handles;
    struct kb_i64map chats;
    struct chatq *ready_head[KB_PRIO_COUNT], *ready_tail[KB_PRIO_COUNT];
    struct chatq **heap;
    size_t heap_len, heap_cap;
    struct item *urgent_head, *urgent_tail;
    int64_t cursor[KB_PRIO_COUNT];
    int loaded[KB_PRIO_COUNT];
    int more[KB_PRIO_COUNT]; /* the last scan stopped at the cap: rows may be waiting */
    double gtokens;
    uint64_t grefill_ms;
    int inflight;
    struct mark *marks;
    size_t nmarks;
    int unflushed; /* rows delivered whose sent mark is not yet committed */
    int draining, lingering;
    uint64_t drain_deadline;
    void (*drain_done)(void *);
    void *drain_data;
    struct kb_sender_stats stats;
    struct kb_json_arena arena; /* for responses */
    int reading;                /* a read transaction spans the loads of one pump() */
};

static void pump(struct kb_sender *s);

/* ---- sleep heap, keyed by wake time ------------------------------------------------------ */

static uint64_t chat_ready_at(const struct kb_sender *s, const struct chatq *c);

static void heap_swap(struct kb_sender *s, size_t a, size_t b)
{
    struct chatq *t = s->heap[a];
    s->heap[a] = s->heap[b];
    s->heap[b] = t;
    s->heap[a]->heap_idx = (int)a;
    s->heap[b]->heap_idx = (int)b;
}

static uint64_t heap_key(const struct kb_sender *s, size_t i)
{
    return chat_ready_at(s, s->heap[i]);
}

static void heap_up(struct kb_sender *s, size_t i)
{
    while (i > 0 && heap_key(s, (i - 1) / 2) > heap_key(s, i)) {
        heap_swap(s, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(struct kb_sender *s, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->heap_len && heap_key(s, l) < heap_key(s, m))
            m = l;
        if (r < s->heap_len && heap_key(s, r) < heap_key(s, m))
            m = r;
        if (m == i)
            return;
        heap_swap(s, i, m);
        i = m;
    }
}

static int heap_push(struct kb_sender *s, struct chatq *c)
{
    if (s->heap_len == s->heap_cap) {
        size_t cap = s->heap_cap ? s->heap_cap * 2 : 64;
        struct chatq **h = realloc(s->heap, cap * sizeof *h);
        if (!h)
            return -1;
        s->heap = h;
        s->heap_cap = cap;
    }
    c->heap_idx = (int)s->heap_len;
    s->heap[s->heap_len++] = c;
    heap_up(s, s->heap_len - 1);
    return 0;
}

static void heap_remove(struct kb_sender *s, struct chatq *c)
{
    size_t i = (size_t)c->heap_idx;
    heap_swap(s, i, s->heap_len - 1);
    s->heap_len--;
    if (i < s->heap_len) {
        heap_down(s, i);
        heap_up(s, i);
    }
    c->heap_idx = -1;
}

/* ---- pacing -------------------------------------------------------------------------------- */

static int is_group(int64_t chat_id)
{
    return chat_id < 0; /* Telegram gives groups and channels negative ids */
}

static void refill(const struct kb_sender *s, struct chatq *c, uint64_t now)
{
    double rate = is_group(c->chat_id) ? s->cfg->rate_group / 60.0 : s->cfg->rate_chat;
    c->tokens += (double)(now - c->refill_ms) * rate / 1000.0;
    if (c->tokens > s->cfg->chat_burst)
        c->tokens = s->cfg->chat_burst;
    c->refill_ms = now;
}

/* When the chat may send next (0 means now). */
static uint64_t chat_ready_at(const struct kb_sender *s, const struct chatq *c)
{
    uint64_t at = c->wake_ms;
    if (s->cfg->pacing && c->tokens < 1.0) {
        double rate = is_group(c->chat_id) ? s->cfg->rate_group / 60.0 : s->cfg->rate_chat;
        uint64_t t = c->refill_ms + (uint64_t)ceil((1.0 - c->tokens) * 1000.0 / rate);
        if (t > at)
            at = t;
    }
    return at;
}

static void global_refill(struct kb_sender *s, uint64_t now)
{
    double burst = 1.0; /* evenly spaced: never more than the rate in any one second */
    s->gtokens += (double)(now - s->grefill_ms) * s->cfg->rate_global / 1000.0;
    if (s->gtokens > burst)
        s->gtokens = burst;
    s->grefill_ms = now;
}

/* ---- chat placement ------------------------------------------------------------------------ */

static void unplace(struct kb_sender *s, struct chatq *c)
{
    if (c->place == READY) {
        int p = c->ready_prio;
        if (c->rprev)
            c->rprev->rnext = c->rnext;
        else
            s->ready_head[p] = c->rnext;
        if (c->rnext)
            c->rnext->rprev = c->rprev;
        else
            s->ready_tail[p] = c->rprev;
        c->rnext = c->rprev = NULL;
    } else if (c->place == SLEEPING) {
        heap_remove(s, c);
    }
    c->place = NOWHERE;
}

static void place(struct kb_sender *s, struct chatq *c, uint64_t now)
{
    unplace(s, c);
    if (!c->head || c->inflight)
        return;
    refill(s, c, now);
    if (chat_ready_at(s, c) > now) {
        if (heap_push(s, c) == 0)
            c->place = SLEEPING;
        return;
    }
    int p = c->head->priority;
    c->ready_prio = p;
    c->rprev = s->ready_tail[p];
    c->rnext = NULL;
    if (s->ready_tail[p])
        s->ready_tail[p]->rnext = c;
    else
        s->ready_head[p] = c;
    s->ready_tail[p] = c;
    c->place = READY;
}

static struct chatq *chat_get(struct kb_sender *s, int64_t chat_id)
{
    struct chatq *c = kb_i64map_get(&s->chats, chat_id);
    if (c)
        return c;
    c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->chat_id = chat_id;
    c->tokens = s->cfg->chat_burst;
    c->refill_ms = kb_mono_ms();
    c->heap_idx = -1;
    if (kb_i64map_put(&s->chats, chat_id, c) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

/* ---- marks: results written once per loop turn --------------------------------------------- */

static void flush_marks(struct kb_sender *s)
{
    if (!s->nmarks)
        return;
    int rc = kb_store_begin(s->st);
    if (rc != KB_OK) {
        KB_WARN("sender.flush_deferred", "marks=%zu reason=%s", s->nmarks,
                rc == KB_BUSY ? "database busy" : "error");
        return; /* retried on the next turn */
    }
    int64_t now = kb_now();
    for (size_t i = 0; i < s->nmarks && rc == KB_OK; i++) {
        struct mark *m = &s->marks[i];
        switch (m->kind) {
        case MARK_SENT:
            rc = kb_outbox_mark_sent(s->st, m->id, m->msg_id, now);
            break;
        case MARK_FAILED:
            rc = kb_outbox_mark_failed(s->st, m->id, m->error, now);
            break;
        case MARK_ATTEMPT:
            rc = kb_outbox_add_attempt(s->st, m->id);
            break;
        case MARK_BLOCKED:
            rc = kb_chats_set_blocked(s->st, m->id, now);
            break;
        }
    }
    if (rc != KB_OK || kb_store_commit(s->st) != KB_OK) {
        kb_store_rollback(s->st);
        KB_ERROR("sender.flush_failed", "marks=%zu", s->nmarks);
        return;
    }
    for (size_t i = 0; i < s->nmarks; i++)
        free(s->marks[i].error);
    s->nmarks = 0;
    s->unflushed = 0;
}

static void on_flush_timer(uv_timer_t *t)
{
    struct kb_sender *s = t->data;
    flush_marks(s);
    if (s->nmarks)
        uv_timer_start(&s->flush_timer, on_flush_timer, FLUSH_RETRY_MS, 0); /* database busy */
    else
        pump(s);
}

/* Marks are committed in groups: when nothing else is in flight, when half the send slots wait
 * on a mark, or FLUSH_DELAY_MS after the first — one commit per few messages, not per message,
 * while a crash can still repeat no more than max_inflight sends. */
static void maybe_flush(struct kb_sender *s)
{
    if (!s->nmarks)
        return;
    if (s->inflight == 0 || s->unflushed * 2 >= s->cfg->max_inflight) {
        flush_marks(s);
        if (!s->nmarks) {
            uv_timer_stop(&s->flush_timer);
            return;
        }
    }
    if (!uv_is_active((uv_handle_t *)&s->flush_timer))
        uv_timer_start(&s->flush_timer, on_flush_timer, s->nmarks ? FLUSH_DELAY_MS : 0, 0);
}

static void add_mark(struct kb_sender *s, enum mark_kind kind, int64_t id, int64_t msg_id,
                     const char *error)
{
    if (s->nmarks == MARKS_MAX)
        flush_marks(s);
    if (s->nmarks == MARKS_MAX) {
        KB_ERROR("sender.marks_full", "id=%lld", (long long)id);
        return; /* the row stays pending and is sent again after a restart */
    }
    struct mark *m = &s->marks[s->nmarks++];
    if (kind == MARK_SENT)
        s->unflushed++;
    m->kind = kind;
    m->id = id;
    m->msg_id = msg_id;
    m->error = error ? strdup(error) : NULL;
}

static void item_done(struct kb_sender *s, struct item *it)
{
    s->loaded[it->priority]--;
    s->stats.queued--;
    free(it);
}

/* ---- loading rows ---------------------------------------------------------------------------- */

static void enqueue(struct kb_sender *s, const struct kb_outbox_ref *r, uint64_t now)
{
    struct item *it = calloc(1, sizeof *it);
    if (!it)
        return;
    it->id = r->id;
    it->kind = r->kind;
    it->priority =
        r->priority < 0 || r->priority >= KB_PRIO_COUNT ? KB_PRIO_BROADCAST : r->priority;
    s->loaded[it->priority]++;
    s->stats.queued++;
    if (it->kind == KB_OUT_CALLBACK_ANSWER) {
        if (s->urgent_tail)
            s->urgent_tail->next = it;
        else
            s->urgent_head = it;
        s->urgent_tail = it;
        return;
    }
    struct chatq *c = chat_get(s, r->chat_id);
    if (!c) {
        item_done(s, it); /* out of memory: the row is loaded again after a restart */
        return;
    }
    /* Keep the chat's rows in outbox order; rows of another priority may arrive late. */
    struct item **pp = &c->head;
    while (*pp && (*pp)->id < it->id)
        pp = &(*pp)->next;
    if (pp == &c->head && c->inflight && c->head) /* never jump ahead of a send in flight */
        pp = &c->head->next;
    it->next = *pp;
    *pp = it;
    c->queued++;
    if (!it->next)
        c->tail = it;
    if (c->place != READY || c->head == it)
        place(s, c, now);
}

static void scan(struct kb_sender *s)
{
    struct kb_outbox_ref refs[SCAN_BATCH];
    uint64_t now = kb_mono_ms();
    for (int p = 0; p < KB_PRIO_COUNT; p++) {
        while (s->loaded[p] < LOAD_CAP_PER_PRIO) {
            int want = LOAD_CAP_PER_PRIO - s->loaded[p];
            if (want > SCAN_BATCH)
                want = SCAN_BATCH;
            int n = kb_outbox_scan(s->st, p, s->cursor[p], refs, want);
            for (int i = 0; i < n; i++) {
                enqueue(s, &refs[i], now);
                s->cursor[p] = refs[i].id;
            }
            if (n < want)
                break; /* no more pending rows */
        }
        s->more[p] = s->loaded[p] >= LOAD_CAP_PER_PRIO;
    }
}

/* ---- sending --------------------------------------------------------------------------------- */

static void chat_pop(struct kb_sender *s, struct chatq *c)
{
    struct item *it = c->head;
    c->queued--;
    c->head = it->next;
    if (!c->head)
        c->tail = NULL;
    item_done(s, it);
}

static uint64_t backoff_ms(const struct kb_sender *s, int failures)
{
    double ms = s->cfg->retry_base_ms * pow(2.0, failures > 30 ? 30 : failures - 1);
    if (ms > s->cfg->retry_max_ms)
        ms = s->cfg->retry_max_ms;
    double jitter = 0.8 + 0.4 * ((double)rand() / RAND_MAX); /* spread retries of many chats */
    return (uint64_t)(ms * jitter);
}

static int64_t result_message_id(const struct kb_tg_reply *r)
{
    int64_t id = 0;
    if (cJSON_IsObject(r->result))
        kb_tg_int64(r->result, "message_id", &id);
    return id;
}

static void fail_chat(struct kb_sender *s, struct chatq *c, const char *why)
{
    add_mark(s, MARK_BLOCKED, c->chat_id, 0, NULL);
    while (c->head) {
        add_mark(s, MARK_FAILED, c->head->id, 0, why);
        s->stats.failed++;
        chat_pop(s, c);
    }
}

static void on_sent(struct kb_http_req *req, const struct kb_http_result *res, void *data)
{
    (void)req;
    struct send_ctx *ctx = data;
    struct kb_sender *s = ctx->s;
    struct item *it = ctx->item;
    struct chatq *c = ctx->chat;
    uint64_t now = kb_mono_ms();
    s->inflight--;
    if (c)
        c->inflight = 0;
    struct kb_tg_reply r = {0};
    int parsed = res->err == KB_HTTP_OK &&
                 kb_tg_reply_parse(&r, &s->arena, res->status, res->body, res->body_len) == 0;
    int code = parsed ? (r.ok ? 200 : r.error_code) : (int)res->status;
    enum { DONE, RETRY, KEEP } outcome = DONE;

    if (res->err == KB_HTTP_CANCELLED) {
        outcome = KEEP; /* shutting down: the row stays pending for the next start */
    } else if (parsed && r.ok) {
        add_mark(s, MARK_SENT, it->id, result_message_id(&r), NULL);
        s->stats.sent++;
    } else if (res->err == KB_HTTP_TOO_BIG && res->status == 200) {
        /* Delivered: only the echo of the message was too long to read (a name of a size
         * Telegram never sends). Sending it again would repeat it; its id stays unknown. */
        KB_WARN("sender.response_too_large", "id=%lld", (long long)it->id);
        add_mark(s, MARK_SENT, it->id, 0, NULL);
        s->stats.sent++;
    } else if (parsed && code == 400 && strstr(r.description, "message is not modified")) {
        add_mark(s, MARK_SENT, it->id, 0, NULL); /* the edit's text was already there */
        s->stats.sent++;
    } else if (parsed && code == 429) {
        s->stats.throttled++;
        uint64_t wait = (uint64_t)(r.retry_after > 0 ? r.retry_after : 1) * 1000;
        if (c)
            c->wake_ms = now + wait;
        else
            it->wake_ms = now + wait;
        KB_WARN("sender.throttled", "chat=%lld retry_after=%d", c ? (long long)c->chat_id : 0LL,
                r.retry_after);
        outcome = KEEP;
    } else if (parsed && code == 403 && c) {
        char why[300];
        snprintf(why, sizeof why, "blocked: %s", r.description);
        KB_INFO("sender.blocked", "chat=%lld", (long long)c->chat_id);
        fail_chat(s, c, why);
        it = NULL;
    } else if (parsed && code >= 400 && code < 500 && code != 401 && code != 404 && code != 409) {
        KB_WARN("sender.undeliverable", "id=%lld code=%d description=\"%s\"", (long long)it->id,
                code, r.description);
        add_mark(s, MARK_FAILED, it->id, 0, r.description);
        s->stats.failed++;
    } else {
        outcome = RETRY; /* 5xx, network, timeout, or a body we could not read */
    }

    if (outcome == RETRY) {
        int failures = c ? ++c->failures : ctx->attempts + 1;
        s->stats.retried++;
        add_mark(s, MARK_ATTEMPT, it->id, 0, NULL);
        const char *why = res->err != KB_HTTP_OK ? res->error : parsed ? r.description : "bad body";
        if (kb_now() - ctx->created_at > s->cfg->give_up_after_s) {
            char reason[300];
            snprintf(reason, sizeof reason, "gave up after repeated failures: %s", why);
            add_mark(s, MARK_FAILED, it->id, 0, reason);
            s->stats.failed++;
            outcome = DONE;
        } else {
            uint64_t wait = backoff_ms(s, failures);
            if (c)
                c->wake_ms = now + wait;
            else
                it->wake_ms = now + wait;
            KB_WARN("sender.retry", "id=%lld status=%d reason=\"%s\" wait_ms=%llu",
                    (long long)it->id, code, why, (unsigned long long)wait);
            outcome = KEEP;
        }
    } else if (c && outcome == DONE) {
        c->failures = 0;
    }

    if (it && outcome == DONE) {
        if (c)
            chat_pop(s, c);
        else
            item_done(s, it);
    } else if (it && !c) {
        it->next = s->urgent_head; /* a callback answer goes back to the front */
        s->urgent_head = it;
        if (!s->urgent_tail)
            s->urgent_tail = it;
    }
    kb_tg_reply_free(&r);
    free(ctx);
    if (c)
        place(s, c, now);
    maybe_flush(s);
    if (res->err != KB_HTTP_CANCELLED)
        pump(s);
}

/* Starts the send of it. Returns 0 if a request is in flight, -1 if the row was settled (or
 * dropped) without one. */
static int start_send(struct kb_sender *s, struct item *it, struct chatq *c)
{
    struct kb_outbox_row row;
    if (!s->reading && kb_store_read_begin(s->st) == KB_OK)
        s->reading = 1; /* one snapshot (and one lock round trip) for the whole pump */
    if (kb_outbox_load(s->st, it->id, &row) != KB_OK)
        return -1; /* no longer pending (sent by an earlier run, or removed) */
    const char *method = NULL, *why = NULL;
    char *body = NULL;
    /* The pipeline splits long replies; a row written elsewhere may still be too long. */
    if (row.text && strlen(row.text) > KB_TEXT_LIMIT &&
        kb_html_visible_len(row.text, strlen(row.text)) > KB_TEXT_LIMIT)
        why = "text too long for one message";
    else
        body = kb_tg_outbox_body(&row, row.ref_id, &method, &why);
    char url[URL_MAX];
    struct send_ctx *ctx = calloc(1, sizeof *ctx);
    if (!body || !ctx || kb_tg_url(url, sizeof url, s->cfg->api_url, s->cfg->token, method)) {
        KB_ERROR("sender.unsendable", "id=%lld reason=\"%s\"", (long long)it->id,
                 why ? why : "out of memory");
        add_mark(s, MARK_FAILED, it->id, 0, why ? why : "could not build the request");
        s->stats.failed++;
        free(body);
        free(ctx);
        kb_outbox_row_free(&row);
        return -1;
    }
    ctx->s = s;
    ctx->item = it;
    ctx->chat = c;
    ctx->created_at = row.created_at;
    ctx->attempts = row.attempts;
    kb_outbox_row_free(&row);
    struct kb_http_req *req = kb_http_post_json(s->http, url, body, s->cfg->http_timeout_s * 1000L,
                                                64 * 1024, on_sent, ctx);
    free(body);
    if (!req) {
        free(ctx);
        return -2; /* try again on the next pump */
    }
    s->inflight++;
    if (c)
        c->inflight = 1;
    return 0;
}

static void on_pump_timer(uv_timer_t *t)
{
    pump(t->data);
}

static void arm_pump(struct kb_sender *s, uint64_t at, uint64_t now)
{
    uint64_t delay = at > now ? at - now : 0;
    uv_timer_start(&s->pump_timer, on_pump_timer, delay, 0);
}

static void drain_check(struct kb_sender *s);

static void pump(struct kb_sender *s)
{
    uint64_t now = kb_mono_ms();
    uint64_t next_wake = UINT64_MAX;
    for (int p = 0; p < KB_PRIO_COUNT; p++) {
        if (s->more[p] && s->loaded[p] <= LOAD_CAP_PER_PRIO / 2 && !s->draining) {
            scan(s); /* refill the window now, not at the next scan tick */
            break;
        }
    }
    global_refill(s, now);
    while (s->heap_len && chat_ready_at(s, s->heap[0]) <= now) {
        struct chatq *c = s->heap[0];
        place(s, c, now);
    }
    /* A delivered row counts as in flight until its mark is committed: a crash may repeat
     * at most max_inflight sends. */
    while (s->inflight + s->unflushed < s->cfg->max_inflight && s->nmarks < MARKS_MAX / 2 &&
           !s->lingering) {
        struct item *u = s->urgent_head;
        if (u && u->wake_ms <= now) {
            s->urgent_head = u->next;
            if (!s->urgent_head)
                s->urgent_tail = NULL;
            u->next = NULL;
            if (start_send(s, u, NULL) == -1)
                item_done(s, u);
            continue;
        }
        if (u && u->wake_ms < next_wake)
            next_wake = u->wake_ms;
        if (s->cfg->pacing && s->gtokens < 1.0) {
            uint64_t at = now + (uint64_t)ceil((1.0 - s->gtokens) * 1000.0 / s->cfg->rate_global);
            if (at < next_wake)
                next_wake = at;
            break;
        }
        struct chatq *c = NULL;
        for (int p = 0; p < KB_PRIO_COUNT && !c; p++)
            c = s->ready_head[p];
        if (!c)
            break;
        unplace(s, c);
        struct item *it = c->head;
        int rc = start_send(s, it, c);
        if (rc == -2) {
            place(s, c, now);
            break;
        }
        if (rc == -1) {
            chat_pop(s, c);
        } else {
            c->tokens -= 1.0;
            s->gtokens -= 1.0;
        }
        place(s, c, now);
    }
    /* With every send slot taken, a completion calls pump() again: no timer needed. */
    int saturated = s->inflight + s->unflushed >= s->cfg->max_inflight;
    if (s->heap_len && !saturated) {
        uint64_t at = chat_ready_at(s, s->heap[0]);
        if (at < next_wake)
            next_wake = at;
    }
    if (saturated && next_wake <= now)
        next_wake = UINT64_MAX;
    if (s->reading) {
        kb_store_read_end(s->st);
        s->reading = 0;
    }
    maybe_flush(s);
    if (next_wake != UINT64_MAX)
        arm_pump(s, next_wake, now);
    if (s->draining)
        drain_check(s);
}

/* A chat with nothing queued and a full bucket is indistinguishable from one never seen:
 * forget it, so memory follows the chats active in the last seconds, not all chats ever. */
struct sweep {
    const struct kb_sender *s;
    uint64_t now;
    int64_t ids[SWEEP_MAX];
    int n;
};

static void sweep_one(int64_t key, void *val, void *ctx)
{
    struct sweep *w = ctx;
    struct chatq *c = val;
    if (w->n == SWEEP_MAX || c->head || c->inflight || c->place != NOWHERE || c->wake_ms > w->now)
        return;
    refill(w->s, c, w->now);
    if (c->tokens >= w->s->cfg->chat_burst)
        w->ids[w->n++] = key;
}

static void sweep_idle_chats(struct kb_sender *s)
{
    struct sweep *w = malloc(sizeof *w);
    if (!w)
        return;
    w->s = s;
    w->now = kb_mono_ms();
    w->n = 0;
    kb_i64map_each(&s->chats, sweep_one, w);
    for (int i = 0; i < w->n; i++)
        free(kb_i64map_del(&s->chats, w->ids[i]));
    free(w);
}

static void on_scan_timer(uv_timer_t *t)
{
    struct kb_sender *s = t->data;
    sweep_idle_chats(s);
    scan(s);
    pump(s);
}

int kb_sender_backlog(const struct kb_sender *s, int64_t chat_id)
{
    const struct chatq *c = kb_i64map_get(&s->chats, chat_id);
    return c ? c->queued : 0;
}

int kb_sender_row_waiting(const struct kb_sender *s, int64_t chat_id, int64_t row_id)
{
    const struct chatq *c = kb_i64map_get(&s->chats, chat_id);
    for (const struct item *it = c ? c->head : NULL; it; it = it->next)
        if (it->id == row_id)
            return !(c->inflight && it == c->head);
    return 0;
}

void kb_sender_wake(struct kb_sender *s)
{
    if (s->draining)
        return;
    scan(s);
    pump(s);
}

/* ---- lifecycle ------------------------------------------------------------------------------- */

struct kb_sender *kb_sender_new(uv_loop_t *loop, struct kb_http *http, struct kb_store *st,
                                const struct kb_config *cfg)
{
    struct kb_sender *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->marks = calloc(MARKS_MAX, sizeof *s->marks);
    if (!s->marks) {
        free(s);
        return NULL;
    }
    s->loop = loop;
    s->http = http;
    s->st = st;
    s->cfg = cfg;
    kb_i64map_init(&s->chats);
    s->gtokens = 1.0;
    s->grefill_ms = kb_mono_ms();
    uv_timer_init(loop, &s->pump_timer);
    uv_timer_init(loop, &s->scan_timer);
    uv_timer_init(loop, &s->drain_timer);
    uv_timer_init(loop, &s->flush_timer);
    s->pump_timer.data = s->scan_timer.data = s->drain_timer.data = s->flush_timer.data = s;
    /* Rows added by another process (a broadcast) are noticed within a second. */
    uv_timer_start(&s->scan_timer, on_scan_timer, 0, SCAN_INTERVAL_MS);
    return s;
}

static void drain_finish(struct kb_sender *s)
{
    void (*done)(void *) = s->drain_done;
    s->drain_done = NULL;
    uv_timer_stop(&s->pump_timer);
    uv_timer_stop(&s->drain_timer);
    if (done)
        done(s->drain_data);
}

static int nothing_left(const struct kb_sender *s)
{
    for (int p = 0; p < KB_PRIO_COUNT; p++)
        if (s->loaded[p])
            return 0;
    return 1;
}

static void on_drain_timer(uv_timer_t *t)
{
    pump(t->data);
}

static void drain_check(struct kb_sender *s)
{
    uint64_t now = kb_mono_ms();
    if (!s->drain_done)
        return;
    if (!s->lingering && now >= s->drain_deadline) {
        s->lingering = 1; /* start nothing new; let sends in flight finish */
        KB_INFO("sender.drain_deadline", "inflight=%d unsent=%llu", s->inflight,
                (unsigned long long)s->stats.queued);
    }
    if (s->inflight == 0 && (s->lingering || nothing_left(s))) {
        flush_marks(s);
        drain_finish(s);
        return;
    }
    uint64_t at = s->lingering ? s->drain_deadline + LINGER_MS : s->drain_deadline;
    if (s->lingering && now >= at) {
        KB_WARN("sender.drain_abandoned", "inflight=%d", s->inflight);
        drain_finish(s); /* the caller closes http: the cancelled rows stay pending */
        return;
    }
    uv_timer_start(&s->drain_timer, on_drain_timer, at - now, 0);
}

void kb_sender_drain(struct kb_sender *s, uint64_t deadline_ms, void (*done)(void *), void *data)
{
    s->draining = 1;
    s->drain_deadline = deadline_ms;
    s->drain_done = done;
    s->drain_data = data;
    uv_timer_stop(&s->scan_timer);
    scan(s); /* rows committed by the last batch */
    pump(s);
}

static void free_chat(int64_t key, void *val, void *ctx)
{
    (void)key;
    (void)ctx;
    struct chatq *c = val;
    while (c->head) {
        struct item *n = c->head->next;
        free(c->head);
        c->head = n;
    }
    free(c);
}

static void on_closed(uv_handle_t *h)
{
    struct kb_sender *s = h->data;
    if (++s->closed_handles == 4) {
        free(s->marks);
        free(s);
    }
}

void kb_sender_free(struct kb_sender *s)
{
    if (!s)
        return;
    flush_marks(s);
    for (size_t i = 0; i < s->nmarks; i++)
        free(s->marks[i].error);
    kb_i64map_each(&s->chats, free_chat, NULL);
    kb_i64map_free(&s->chats);
    while (s->urgent_head) {
        struct item *n = s->urgent_head->next;
        free(s->urgent_head);
        s->urgent_head = n;
    }
    free(s->heap);
    kb_json_arena_release(&s->arena);
    uv_close((uv_handle_t *)&s->pump_timer, on_closed);
    uv_close((uv_handle_t *)&s->scan_timer, on_closed);
    uv_close((uv_handle_t *)&s->drain_timer, on_closed);
    uv_close((uv_handle_t *)&s->flush_timer, on_closed);
}

void kb_sender_stats(const struct kb_sender *s, struct kb_sender_stats *out)
{
    *out = s->stats;
    out->inflight = (uint64_t)s->inflight;
}
