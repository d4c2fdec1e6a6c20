/* pipeline: applies one getUpdates batch exactly once (DESIGN invariants 1, 12, 13).
 *
 * First every update's attempt is counted and committed; then all effects of the batch —
 * update states, chats, conversation log, the handler's records and outbox rows, the next
 * offset — commit in one transaction, each update inside its own savepoint. A failed update
 * is rolled back alone and retried when Telegram delivers it again (the offset stays at it);
 * after max_attempts it becomes a dead letter. Later updates of the same chat wait for it,
 * so a chat's updates apply in order. */
#ifndef KARIRBOT_PIPELINE_H
#define KARIRBOT_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/handler.h"
#include "karirbot/locale.h"
#include "karirbot/store.h"

struct cJSON;
struct kb_sender;
struct kb_flood;

struct kb_batch_item {
    struct kb_event ev;
    const struct cJSON *raw; /* the update as received, for dead letters */
    int state;               /* filled by the pipeline: enum kb_update_state or duplicate */
    int attempts;
};

/* An update id that appeared earlier in the same batch. */
#define KB_UPD_DUPLICATE (-1)

struct kb_pipeline {
    struct kb_store *st;
    struct kb_handler handler;
    const struct kb_locale *loc;
    int max_attempts;
    /* The sender that delivers the outbox beside the pipeline, or NULL. With one, a chat that
     * writes faster than its replies can be delivered is told to slow down and its replies
     * are merged (the flood guard in pipeline.c). */
    struct kb_sender *sender;
    struct kb_flood *flood; /* the guard's state: kb_pipeline_release() frees it */
};

struct kb_batch_result {
    int64_t next_offset; /* what to confirm to Telegram next */
    int done, skipped, failed, dead, duplicates;
    int queued; /* outbox rows added */
};

/* Phase one: counts and commits an attempt at every update of the batch, and reads each one's
 * state. Phase two applies the batch. Each returns KB_OK, KB_BUSY (nothing changed: call the
 * same phase again later) or KB_ERR. */
int kb_pipeline_count(struct kb_pipeline *p, struct kb_batch_item *items, size_t n);
int kb_pipeline_apply(struct kb_pipeline *p, struct kb_batch_item *items, size_t n, int64_t offset,
                      struct kb_batch_result *res);
/* Frees what the pipeline keeps between batches. */
void kb_pipeline_release(struct kb_pipeline *p);

#endif
