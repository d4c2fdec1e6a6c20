/* pipeline: one getUpdates batch in, its effects committed exactly once. */
#include "karirbot/pipeline.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/i64map.h"
#include "karirbot/log.h"
#include "karirbot/sender.h"
#include "karirbot/textsplit.h"

#define MAX_PARTS      8   /* of one long reply */
#define DEFER_MAX      100 /* chats with a failed update in one batch */
#define DEAD_RAW_LIMIT 65536

/* ---- flood guard -----------------------------------------------------------------------------
 * The sender paces each chat (KARIRBOT_RATE_CHAT, one message a second after a burst of
 * three), so a chat that writes faster than that builds a backlog of replies. Once
 * FLOOD_BACKLOG of them wait for it, the chat floods. Every message is still recorded and
 * handled as always, but:
 *   - the chat is told once, politely, to slow down (flood_slow_down);
 *   - its text replies are merged: they go into one outbox row, the chat's merge row, as long
 *     as the sender has not started it (a text already there moves to the end, the oldest go
 *     when one message cannot hold them all, the keyboard is the newest reply's); once the
 *     sender starts it, the next reply opens a new one. Edits and other kinds are queued as
 *     usual and close the merge row, so the chat's order is kept.
 * However long a flood lasts, the chat then has at most FLOOD_BACKLOG rows, the replies of one
 * update, the notice and two merge rows (one being sent, one collecting) waiting, and other
 * chats are not held up by it. The flood ends when the chat has been quiet for FLOOD_QUIET_MS.
 * The state lives in memory: a restart forgets it, so the notice may come once more. */
#define FLOOD_BACKLOG  12
#define FLOOD_QUIET_MS 10000
#define FLOOD_PARTS    16
#define FLOOD_SEP      "\n\n"

struct merge {
    int64_t row;    /* the merge row, 0: none open */
    uint64_t batch; /* the batch that wrote it: the sender has not seen it before the commit */
    size_t n;       /* texts in it, oldest first */
    char *parts[FLOOD_PARTS];
    char *keyboard; /* the newest reply's */
};

struct flood_chat {
    uint64_t last_ms; /* monotonic time of its last message */
    int told;         /* the notice is queued for this flood */
    struct merge m;
};

struct kb_flood {
    struct kb_i64map chats; /* chat id -> struct flood_chat, only while flooding */
    uint64_t batch;         /* batches applied */
    uint64_t swept_ms;
};

/* One update being applied. */
struct turn {
    struct kb_pipeline *p;
    const struct kb_event *ev;
    int64_t now;
    int queued;            /* outbox rows added */
    int own_rows;          /* of them, messages to the update's own chat */
    struct flood_chat *fc; /* the chat floods */
    struct merge m;        /* fc's merge row as this update leaves it */
    int told;              /* this update queued the notice */
};

static void merge_clear(struct merge *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->parts[i]);
    free(m->keyboard);
    memset(m, 0, sizeof *m);
}

static int merge_copy(struct merge *to, const struct merge *from)
{
    memset(to, 0, sizeof *to);
    to->row = from->row;
    to->batch = from->batch;
    for (size_t i = 0; i < from->n; i++) {
        if (!(to->parts[i] = strdup(from->parts[i]))) {
            merge_clear(to);
            return -1;
        }
        to->n++;
    }
    if (from->keyboard && !(to->keyboard = strdup(from->keyboard))) {
        merge_clear(to);
        return -1;
    }
    return 0;
}

static void merge_drop_part(struct merge *m, size_t i)
{
    free(m->parts[i]);
    memmove(&m->parts[i], &m->parts[i + 1], (m->n - i - 1) * sizeof m->parts[0]);
    m->n--;
}

static char *merge_text(const struct merge *m)
{
    size_t len = 1;
    for (size_t i = 0; i < m->n; i++)
        len += strlen(m->parts[i]) + strlen(FLOOD_SEP);
    char *text = malloc(len);
    if (!text)
        return NULL;
    text[0] = '\0';
    for (size_t i = 0; i < m->n; i++) {
        if (i)
            strcat(text, FLOOD_SEP);
        strcat(text, m->parts[i]);
    }
    return text;
}

static void flood_free_chat(int64_t key, void *val, void *ctx)
{
    (void)key;
    (void)ctx;
    struct flood_chat *fc = val;
    merge_clear(&fc->m);
    free(fc);
}

/* Forgets the chats that have been quiet long enough, at most once per FLOOD_QUIET_MS. */
struct sweep {
    uint64_t now;
    size_t n;
    int64_t ids[256];
};

static void sweep_one(int64_t key, void *val, void *ctx)
{
    struct sweep *w = ctx;
    const struct flood_chat *fc = val;
    if (w->n < sizeof w->ids / sizeof w->ids[0] && w->now - fc->last_ms >= FLOOD_QUIET_MS)
        w->ids[w->n++] = key;
}

static void flood_sweep(struct kb_flood *f)
{
    struct sweep w = {.now = kb_mono_ms()};
    if (w.now - f->swept_ms < FLOOD_QUIET_MS)
        return;
    f->swept_ms = w.now;
    kb_i64map_each(&f->chats, sweep_one, &w);
    for (size_t i = 0; i < w.n; i++) {
        KB_INFO("pipeline.flood_end", "chat=%lld", (long long)w.ids[i]);
        flood_free_chat(w.ids[i], kb_i64map_del(&f->chats, w.ids[i]), NULL);
    }
}

static void flood_reset_one(int64_t key, void *val, void *ctx)
{
    (void)key;
    (void)ctx;
    struct flood_chat *fc = val;
    merge_clear(&fc->m);
    fc->told = 0;
}

void kb_pipeline_release(struct kb_pipeline *p)
{
    if (!p->flood)
        return;
    kb_i64map_each(&p->flood->chats, flood_free_chat, NULL);
    kb_i64map_free(&p->flood->chats);
    free(p->flood);
    p->flood = NULL;
}

/* Queues one outgoing message, split if it is too long. The outbox row is also the
 * conversation log's record of it. */
static int queue_out(struct kb_pipeline *p, const struct kb_out *o, int64_t update_id, int64_t now,
                     int *queued)
{
    char **parts = NULL;
    size_t nparts = 0;
    size_t bytes = o->text ? strlen(o->text) : 0;
    if (o->kind == KB_OUT_TEXT && bytes > KB_TEXT_LIMIT && /* never fewer bytes than characters */
        kb_html_visible_len(o->text, bytes) > KB_TEXT_LIMIT) {
        if (kb_text_split(o->text, KB_TEXT_LIMIT, MAX_PARTS, &parts, &nparts) != 0) {
            KB_ERROR("pipeline.split_failed", "update=%lld", (long long)update_id);
            return KB_ERR;
        }
    }
    int rc = KB_OK;
    for (size_t i = 0; i < (parts ? nparts : 1) && rc == KB_OK; i++) {
        struct kb_out part = *o;
        if (parts)
            part.text = parts[i];
        if (parts && i + 1 < nparts)
            part.keyboard = NULL; /* buttons belong under the last part */
        rc = kb_outbox_add(p->st, &part, now, NULL);
        if (rc == KB_OK)
            (*queued)++;
    }
    for (size_t i = 0; parts && i < nparts; i++)
        free(parts[i]);
    free(parts);
    return rc;
}

/* queue_out() for a turn: a message to the update's own chat counts towards its backlog and,
 * in a flood, closes the merge row (what comes after it must not be merged before it). */
static int turn_queue(struct turn *t, const struct kb_out *o)
{
    int before = t->queued;
    int rc = queue_out(t->p, o, t->ev->update_id, t->now, &t->queued);
    if (o->chat_id == t->ev->chat_id && o->kind != KB_OUT_CALLBACK_ANSWER) {
        t->own_rows += t->queued - before;
        if (t->fc)
            merge_clear(&t->m);
    }
    return rc;
}

/* A flood's text reply: into the merge row (KB_OK), or 1 when it cannot be merged (it needs
 * more than one message) and is to be queued as usual. */
static int flood_merge(struct turn *t, const struct kb_out *o)
{
    struct kb_pipeline *p = t->p;
    struct merge *m = &t->m;
    size_t len = strlen(o->text);
    if (len > KB_TEXT_LIMIT && kb_html_visible_len(o->text, len) > KB_TEXT_LIMIT)
        return 1;
    /* A row the sender has started (or sent) keeps what it had: start another. */
    if (m->row && m->batch != p->flood->batch &&
        !kb_sender_row_waiting(p->sender, o->chat_id, m->row))
        merge_clear(m);
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->parts[i], o->text)) {
            merge_drop_part(m, i);
            break;
        }
    if (m->n == FLOOD_PARTS)
        merge_drop_part(m, 0);
    char *part = strdup(o->text);
    char *keyboard = o->keyboard ? strdup(o->keyboard) : NULL;
    if (!part || (o->keyboard && !keyboard)) {
        free(part);
        free(keyboard);
        return KB_ERR;
    }
    m->parts[m->n++] = part;
    free(m->keyboard);
    m->keyboard = keyboard;
    char *text;
    while ((text = merge_text(m)) && m->n > 1 &&
           kb_html_visible_len(text, strlen(text)) > KB_TEXT_LIMIT) {
        free(text);
        merge_drop_part(m, 0); /* the oldest: newer replies supersede it */
    }
    if (!text)
        return KB_ERR;
    int rc = KB_OK, replaced = 0;
    if (m->row) {
        rc = kb_outbox_replace_text(p->st, m->row, text, m->keyboard, &replaced);
        if (rc == KB_OK && !replaced) { /* no longer pending after all: this reply alone */
            while (m->n > 1)
                merge_drop_part(m, 0);
            free(text);
            if (!(text = merge_text(m)))
                return KB_ERR;
        }
    }
    if (rc == KB_OK && !replaced) {
        struct kb_out row = *o;
        row.text = text;
        row.keyboard = m->keyboard;
        rc = kb_outbox_add(p->st, &row, t->now, &m->row);
        m->batch = p->flood->batch;
        if (rc == KB_OK) {
            t->queued++;
            t->own_rows++;
        }
    }
    free(text);
    return rc;
}

/* Before the handler: does the chat flood? If it starts to, the notice is queued. */
static int flood_begin(struct turn *t, int batch_rows)
{
    struct kb_pipeline *p = t->p;
    int64_t chat = t->ev->chat_id;
    uint64_t now = kb_mono_ms();
    struct flood_chat *fc = kb_i64map_get(&p->flood->chats, chat);
    if (fc && now - fc->last_ms >= FLOOD_QUIET_MS) {
        KB_INFO("pipeline.flood_end", "chat=%lld", (long long)chat);
        flood_free_chat(chat, kb_i64map_del(&p->flood->chats, chat), NULL);
        fc = NULL;
    }
    if (!fc) {
        int backlog = kb_sender_backlog(p->sender, chat) + batch_rows;
        if (backlog < FLOOD_BACKLOG)
            return KB_OK;
        fc = calloc(1, sizeof *fc);
        if (!fc || kb_i64map_put(&p->flood->chats, chat, fc) != 0) {
            free(fc);
            return KB_OK; /* out of memory: this chat goes unguarded */
        }
        KB_INFO("pipeline.flood", "chat=%lld backlog=%d", (long long)chat, backlog);
    }
    fc->last_ms = now;
    if (merge_copy(&t->m, &fc->m) != 0)
        return KB_ERR;
    t->fc = fc;
    if (fc->told)
        return KB_OK;
    char lang[8] = "";
    if (kb_chat_lang_get(p->st, chat, lang, sizeof lang) != KB_OK)
        return KB_ERR;
    char *text = kb_locale_render(p->loc, lang[0] ? lang : "id", "flood_slow_down", NULL, 0);
    if (!text)
        return KB_ERR;
    struct kb_out o = {
        .kind = KB_OUT_TEXT, .priority = KB_PRIO_REPLY, .chat_id = chat, .text = text};
    int rc = turn_queue(t, &o);
    free(text);
    t->told = rc == KB_OK;
    return rc;
}

/* After the update: its merge row becomes the chat's (or, if it failed, is forgotten). */
static void flood_end_turn(struct turn *t, int applied)
{
    if (t->fc && applied) {
        merge_clear(&t->fc->m);
        t->fc->m = t->m;
        t->fc->told |= t->told;
    } else {
        merge_clear(&t->m);
    }
}

static int answer_callback(struct kb_pipeline *p, const struct kb_event *ev, int64_t now,
                           int *queued)
{
    struct kb_out o = {.kind = KB_OUT_CALLBACK_ANSWER,
                       .priority = KB_PRIO_CALLBACK,
                       .chat_id = ev->chat_id,
                       .ref_text = ev->callback_id};
    return queue_out(p, &o, ev->update_id, now, queued);
}

/* A group, supergroup or channel: told once that karirbot only works in private chats. */
static int refuse_nonprivate(struct kb_pipeline *p, const struct kb_event *ev, int64_t now,
                             int *queued)
{
    int refused = 0;
    if (ev->kind == KB_EV_CALLBACK && answer_callback(p, ev, now, queued) != KB_OK)
        return KB_ERR;
    if (!ev->chat_id)
        return KB_OK;
    if (kb_chats_touch(p->st, ev->chat_id, ev->chat_kind, now, &refused) != KB_OK)
        return KB_ERR;
    KB_INFO("pipeline.not_private", "update=%lld chat=%lld already_told=%d",
            (long long)ev->update_id, (long long)ev->chat_id, refused);
    if (refused)
        return KB_OK;
    char *text = kb_locale_render(p->loc, "id", "private_only", NULL, 0);
    if (!text)
        return KB_ERR;
    struct kb_out o = {
        .kind = KB_OUT_TEXT, .priority = KB_PRIO_REPLY, .chat_id = ev->chat_id, .text = text};
    int rc = queue_out(p, &o, ev->update_id, now, queued);
    free(text);
    return rc == KB_OK ? kb_chats_set_refused(p->st, ev->chat_id, now) : rc;
}

/* Applies one update; everything it writes is inside the caller's savepoint. batch_rows:
 * messages queued for its chat by the batch's earlier updates (not yet seen by the sender). */
static int apply_one(struct turn *t, int batch_rows, int *state)
{
    struct kb_pipeline *p = t->p;
    const struct kb_event *ev = t->ev;
    int64_t now = t->now;
    int *queued = &t->queued;
    *state = KB_UPD_DONE;
    if (ev->kind == KB_EV_OTHER) {
        KB_INFO("pipeline.skipped", "update=%lld kind=%s", (long long)ev->update_id,
                ev->other_kind ? ev->other_kind : "unknown");
        *state = KB_UPD_SKIPPED;
        return KB_OK;
    }
    if (ev->chat_kind != KB_CHAT_PRIVATE)
        return refuse_nonprivate(p, ev, now, queued);

    int refused;
    if (kb_chats_touch(p->st, ev->chat_id, ev->chat_kind, now, &refused) != KB_OK)
        return KB_ERR;
    const char *logged = ev->kind == KB_EV_CALLBACK ? ev->callback_data : ev->text;
    if (kb_convlog_add(p->st, ev->chat_id, ev->update_id, logged, now) != KB_OK)
        return KB_ERR;
    if (ev->flags & KB_EVF_INVALID_UTF8)
        KB_WARN("pipeline.invalid_utf8", "update=%lld chat=%lld", (long long)ev->update_id,
                (long long)ev->chat_id);
    if (p->flood && flood_begin(t, batch_rows) != KB_OK)
        return KB_ERR;

    struct kb_outq out = {.len = 0};
    int rc = p->handler.handle(p->handler.ctx, ev, p->st, &out) == 0 ? KB_OK : KB_ERR;
    int answered = 0;
    for (size_t i = 0; i < out.len && rc == KB_OK; i++) {
        const struct kb_out *o = &out.items[i];
        answered |= o->kind == KB_OUT_CALLBACK_ANSWER;
        if (t->fc && o->kind == KB_OUT_TEXT && o->chat_id == ev->chat_id && o->text) {
            int merged = flood_merge(t, o);
            if (merged != 1) {
                rc = merged;
                continue;
            }
        }
        rc = turn_queue(t, o);
    }
    kb_outq_clear(&out);
    if (rc == KB_OK && ev->kind == KB_EV_CALLBACK && !answered)
        rc = answer_callback(p, ev, now, queued); /* the spinner must always stop */
    return rc;
}

static int dead_letter(struct kb_pipeline *p, struct kb_batch_item *it, int64_t now)
{
    char last[512];
    char reason[640];
    kb_updates_last_error(p->st, it->ev.update_id, last, sizeof last);
    snprintf(reason, sizeof reason, "failed %d times; last error: %s", it->attempts - 1,
             *last ? last : "the process stopped while handling it");
    char *raw = it->raw ? cJSON_PrintUnformatted(it->raw) : NULL;
    if (raw && strlen(raw) > DEAD_RAW_LIMIT)
        raw[DEAD_RAW_LIMIT] = '\0';
    KB_ERROR("pipeline.dead_letter", "update=%lld chat=%lld attempts=%d",
             (long long)it->ev.update_id, (long long)it->ev.chat_id, it->attempts - 1);
    /* The attempt counted for this delivery was not made. */
    int rc = kb_updates_unattempt(p->st, it->ev.update_id);
    if (rc == KB_OK)
        rc = kb_dead_letter_add(p->st, it->ev.update_id, it->ev.chat_id, reason, raw, now);
    free(raw);
    return rc == KB_OK ? kb_updates_finish(p->st, it->ev.update_id, KB_UPD_DEAD, now) : rc;
}

static int seen_before(const struct kb_batch_item *items, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (items[j].ev.update_id == items[i].ev.update_id)
            return 1;
    return 0;
}

int kb_pipeline_count(struct kb_pipeline *p, struct kb_batch_item *items, size_t n)
{
    int64_t now = kb_now();
    /* Attempts only need to survive a crash of the process (they catch an update that kills
     * it), not a power loss: no fsync for them. */
    int rc = kb_store_set_durable(p->st, 0);
    if (rc == KB_OK)
        rc = kb_store_begin(p->st);
    if (rc != KB_OK) {
        kb_store_set_durable(p->st, 1);
        return rc;
    }
    for (size_t i = 0; i < n && rc == KB_OK; i++) {
        items[i].state = KB_UPD_PENDING;
        if (seen_before(items, i))
            items[i].state = KB_UPD_DUPLICATE; /* the same id twice in one answer */
        else
            rc = kb_updates_attempt(p->st, items[i].ev.update_id, now, &items[i].state,
                                    &items[i].attempts);
    }
    if (rc == KB_OK)
        rc = kb_store_commit(p->st);
    else
        kb_store_rollback(p->st);
    int rc2 = kb_store_set_durable(p->st, 1);
    return rc == KB_OK ? rc2 : rc;
}

/* Messages the batch's updates queued for each chat so far. */
struct chat_rows {
    int64_t chat;
    int rows;
};

static struct chat_rows *chat_rows_of(struct chat_rows *own, size_t *n, int64_t chat, int add)
{
    for (size_t i = 0; i < *n; i++)
        if (own[i].chat == chat)
            return &own[i];
    if (!add)
        return NULL;
    own[*n].chat = chat;
    own[*n].rows = 0;
    return &own[(*n)++];
}

static int chat_deferred(const int64_t *chats, size_t n, int64_t chat)
{
    for (size_t i = 0; i < n; i++)
        if (chats[i] == chat)
            return 1;
    return 0;
}

int kb_pipeline_apply(struct kb_pipeline *p, struct kb_batch_item *items, size_t n, int64_t offset,
                      struct kb_batch_result *res)
{
    memset(res, 0, sizeof *res);
    res->next_offset = offset;
    int64_t now = kb_now();
    struct chat_rows *own = NULL; /* only for the flood guard */
    size_t nown = 0;
    if (p->sender && !p->flood && (p->flood = calloc(1, sizeof *p->flood)) != NULL)
        kb_i64map_init(&p->flood->chats);
    if (p->flood) {
        p->flood->batch++;
        flood_sweep(p->flood);
        if (!(own = calloc(n ? n : 1, sizeof *own)))
            return KB_ERR;
    }
    int rc = kb_store_begin(p->st);
    if (rc != KB_OK) {
        free(own);
        return rc;
    }

    int64_t first_failed = INT64_MAX, max_id = offset - 1;
    int64_t deferred_chats[DEFER_MAX];
    size_t ndeferred = 0;
    for (size_t i = 0; i < n && rc == KB_OK; i++) {
        struct kb_batch_item *it = &items[i];
        int64_t id = it->ev.update_id;
        if (id > max_id)
            max_id = id;
        if (it->state != KB_UPD_PENDING) {
            res->duplicates++;
            continue;
        }
        int64_t chat = it->ev.chat_id;
        if (chat && (chat_deferred(deferred_chats, ndeferred, chat) || ndeferred == DEFER_MAX)) {
            rc = kb_updates_unattempt(p->st, id); /* waits for the chat's earlier update */
            if (id < first_failed)
                first_failed = id;
            continue;
        }
        if (it->attempts > p->max_attempts) {
            rc = dead_letter(p, it, now);
            res->dead++;
            continue;
        }
        if ((rc = kb_store_savepoint(p->st)) != KB_OK)
            break;
        struct turn t = {.p = p, .ev = &it->ev, .now = now};
        const struct chat_rows *before = own ? chat_rows_of(own, &nown, chat, 0) : NULL;
        int state;
        if (apply_one(&t, before ? before->rows : 0, &state) == KB_OK &&
            kb_updates_finish(p->st, id, state, now) == KB_OK) {
            rc = kb_store_release(p->st);
            flood_end_turn(&t, rc == KB_OK);
            if (own && t.own_rows)
                chat_rows_of(own, &nown, chat, 1)->rows += t.own_rows;
            res->queued += t.queued;
            if (state == KB_UPD_SKIPPED)
                res->skipped++;
            else
                res->done++;
            continue;
        }
        flood_end_turn(&t, 0);
        char err[256];
        snprintf(err, sizeof err, "%s", kb_store_errmsg(p->st));
        kb_store_rollback_savepoint(p->st);
        KB_WARN("pipeline.update_failed", "update=%lld chat=%lld attempt=%d error=\"%s\"",
                (long long)id, (long long)chat, it->attempts, err);
        rc = kb_updates_note_error(p->st, id, err);
        res->failed++;
        if (id < first_failed)
            first_failed = id;
        if (chat && ndeferred < DEFER_MAX)
            deferred_chats[ndeferred++] = chat;
    }
    res->next_offset = first_failed != INT64_MAX ? first_failed : max_id + 1;
    if (rc == KB_OK)
        rc = kb_meta_set_i64(p->st, "poll_offset", res->next_offset);
    if (rc == KB_OK)
        rc = kb_store_commit(p->st);
    else
        kb_store_rollback(p->st);
    if (rc != KB_OK) {
        res->queued = 0;
        if (p->flood) /* the merge rows and notices written are gone */
            kb_i64map_each(&p->flood->chats, flood_reset_one, NULL);
    }
    free(own);
    return rc;
}
