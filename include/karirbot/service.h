/* service: `karirbot run` — one libuv loop that polls the Bot API, applies each batch through
 * the pipeline, and lets the sender deliver the outbox; stops gracefully on SIGINT/SIGTERM. */
#ifndef KARIRBOT_SERVICE_H
#define KARIRBOT_SERVICE_H

#include "karirbot/config.h"

/* Runs until stopped. Returns the process exit status: 0 after a graceful stop, 2 when the
 * Bot API rejects the token, 1 on other fatal errors. */
int kb_service_run(const struct kb_config *cfg);

#endif
