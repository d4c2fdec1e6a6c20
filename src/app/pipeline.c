/* pipeline: one getUpdates batch in, its effects committed exactly once. */
#include "karirbot/pipeline.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/log.h"
#include "karirbot/textsplit.h"

#define MAX_PARTS      8   /* of one long reply */
#define DEFER_MAX      100 /* chats with a failed update in one batch */
#define DEAD_RAW_LIMIT 65536

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

/* Applies one update; everything it writes is inside the caller's savepoint. */
static int apply_one(struct kb_pipeline *p, const struct kb_event *ev, int64_t now, int *state,
                     int *queued)
{
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

    struct kb_outq out = {.len = 0};
    int rc = p->handler.handle(p->handler.ctx, ev, p->st, &out) == 0 ? KB_OK : KB_ERR;
    int answered = 0;
    for (size_t i = 0; i < out.len && rc == KB_OK; i++) {
        answered |= out.items[i].kind == KB_OUT_CALLBACK_ANSWER;
        rc = queue_out(p, &out.items[i], ev->update_id, now, queued);
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
    int rc = kb_store_begin(p->st);
    if (rc != KB_OK)
        return rc;

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
        int state, queued = 0;
        if (apply_one(p, &it->ev, now, &state, &queued) == KB_OK &&
            kb_updates_finish(p->st, id, state, now) == KB_OK) {
            rc = kb_store_release(p->st);
            res->queued += queued;
            if (state == KB_UPD_SKIPPED)
                res->skipped++;
            else
                res->done++;
            continue;
        }
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
    if (rc != KB_OK)
        res->queued = 0;
    return rc;
}
