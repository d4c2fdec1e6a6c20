/* handler: the interface between the service's pipeline and whatever answers people (the
 * dialog engine). A handler turns one event into record changes (through the store, inside the
 * pipeline's savepoint) and outgoing messages; it knows nothing of HTTP or Telegram. */
#ifndef KARIRBOT_HANDLER_H
#define KARIRBOT_HANDLER_H

#include "karirbot/event.h"
#include "karirbot/store.h"

struct kb_handler {
    void *ctx;
    /* Returns 0 on success; anything else rolls back the event's effects and counts an attempt.
     * Messages are appended to out (the pipeline queues them in the outbox). */
    int (*handle)(void *ctx, const struct kb_event *ev, struct kb_store *st, struct kb_outq *out);
};

#endif
