/* sender: drains the outbox in order per chat and by priority across kinds, paced by token
 * buckets (global, per private chat, per group), retrying 429 after retry_after and 5xx or
 * network errors with jittered exponential backoff; 400 is recorded as undeliverable and 403
 * marks the chat blocked. Sent marks are group-committed once per loop turn. */
#ifndef KARIRBOT_SENDER_H
#define KARIRBOT_SENDER_H

#include <uv.h>

#include "karirbot/config.h"
#include "karirbot/http.h"
#include "karirbot/store.h"

struct kb_sender;

struct kb_sender *kb_sender_new(uv_loop_t *loop, struct kb_http *http, struct kb_store *st,
                                const struct kb_config *cfg);
/* Looks for new outbox rows now (after a commit that added some). */
void kb_sender_wake(struct kb_sender *s);
/* What the pipeline's flood guard asks (src/app/pipeline.c): how many rows of a chat the
 * sender holds (the one in flight included), and whether outbox row row_id of chat_id is
 * queued and not started yet, so that its text may still change. */
int kb_sender_backlog(const struct kb_sender *s, int64_t chat_id);
int kb_sender_row_waiting(const struct kb_sender *s, int64_t chat_id, int64_t row_id);
/* Stops taking new rows once nothing is pending or at the deadline, then calls done.
 * Rows not sent stay pending for the next start. */
void kb_sender_drain(struct kb_sender *s, uint64_t deadline_ms, void (*done)(void *), void *data);
/* Flushes sent marks and frees everything; handles close on the loop. Close the http client
 * first: its cancelled requests report back to the sender. */
void kb_sender_free(struct kb_sender *s);

/* Counters for logs and benchmarks. */
struct kb_sender_stats {
    uint64_t sent, failed, retried, throttled, inflight, queued;
};
void kb_sender_stats(const struct kb_sender *s, struct kb_sender_stats *out);

#endif
