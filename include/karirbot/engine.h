/* engine: runs the dialog flows of a kb_script for one event at a time. Pure logic over the
 * store: (event, session in SQLite) -> (new session, messages to send, records changed through
 * named actions). It knows nothing of HTTP or Telegram JSON: the same engine serves Telegram
 * and the terminal chat. Buttons carry opaque tokens whose meaning lives in the store. */
#ifndef KARIRBOT_ENGINE_H
#define KARIRBOT_ENGINE_H

#include "karirbot/handler.h"
#include "karirbot/locale.h"
#include "karirbot/script.h"

struct kb_engine;
struct kb_policy;

/* The engine borrows script and loc; both must outlive it (kb_engine_reload swaps them). */
struct kb_engine *kb_engine_new(const struct kb_script *script, const struct kb_locale *loc);
void kb_engine_reload(struct kb_engine *e, const struct kb_script *script,
                      const struct kb_locale *loc);
/* The policy data the career actions read (borrowed like the script; may stay NULL). */
void kb_engine_set_policy(struct kb_engine *e, const struct kb_policy *policy);
void kb_engine_free(struct kb_engine *e);

/* The interface the service's pipeline (and the terminal chat) calls. */
struct kb_handler kb_engine_handler(struct kb_engine *e);

#endif
