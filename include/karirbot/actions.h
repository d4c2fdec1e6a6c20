/* actions: the domain operations a dialog calls by name ("call" and "list.action" in
 * the JSON files of dialogs/). An action reads and writes records through the store (inside the
 * engine's transaction) and answers with a result word for branches, variables for messages, and
 * items for lists. */
#ifndef KARIRBOT_ACTIONS_H
#define KARIRBOT_ACTIONS_H

#include <stddef.h>

#include "karirbot/event.h"
#include "karirbot/locale.h"
#include "karirbot/script.h"
#include "karirbot/store.h"

struct cJSON;

#define KB_ACTION_RESULT_MAX 32
#define KB_ACTION_VARS_MAX   8
#define KB_ACTION_ITEMS_MAX  64

struct kb_action_ctx {
    struct kb_store *st;
    const struct kb_event *ev;
    const char *lang;
    const struct kb_locale *loc;
    const struct kb_script *script;
    struct cJSON *answers; /* what the user answered so far in this flow */
};

struct kb_action_out {
    char result[KB_ACTION_RESULT_MAX];
    struct {
        char name[32];
        char value[256];
    } vars[KB_ACTION_VARS_MAX];
    size_t nvars;
    struct {
        char label[128]; /* shown as is on a button */
        char value[64];  /* saved, and passed on */
    } items[KB_ACTION_ITEMS_MAX];
    size_t nitems;
    char lang[8]; /* set when the action changed the chat's language */
};

/* 1 when an action with this name exists, else 0 (name NULL is 0): for `karirbot check`. */
int kb_action_known(const char *name);
/* Runs the action. Returns 0, or -1 (after logging) when it failed: the engine rolls back. */
int kb_action_run(const char *name, struct kb_action_ctx *ctx, struct kb_action_out *out);

#endif
