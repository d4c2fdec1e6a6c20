/* greeter: answers /start with the welcome and everything else with "not available yet". */
#include "karirbot/greeter.h"

#include <stdlib.h>
#include <string.h>

static int reply(const struct kb_locale *loc, const struct kb_event *ev, const char *key,
                 const char *const *vars, size_t nvars, struct kb_outq *out)
{
    char *text = kb_locale_render(loc, "id", key, vars, nvars);
    if (!text)
        return -1;
    struct kb_out o = {
        .kind = KB_OUT_TEXT, .priority = KB_PRIO_REPLY, .chat_id = ev->chat_id, .text = text};
    int rc = kb_outq_push(out, &o);
    free(text);
    return rc;
}

static int greet(void *ctx, const struct kb_event *ev, struct kb_store *st, struct kb_outq *out)
{
    (void)st;
    const struct kb_locale *loc = ctx;
    if (ev->kind == KB_EV_CALLBACK)
        return 0; /* no buttons yet; the pipeline still answers the press */
    if (ev->flags & KB_EVF_INVALID_UTF8)
        return reply(loc, ev, "unreadable_text", NULL, 0, out);
    if (ev->kind == KB_EV_TEXT && ev->command && strcmp(ev->command, "start") == 0) {
        if (!ev->first_name || !*ev->first_name)
            return reply(loc, ev, "greeting_no_name", NULL, 0, out);
        const char *vars[] = {"name", ev->first_name};
        return reply(loc, ev, "greeting", vars, 1, out);
    }
    return reply(loc, ev, "not_available", NULL, 0, out);
}

struct kb_handler kb_greeter(const struct kb_locale *loc)
{
    struct kb_handler h = {.ctx = (void *)loc, .handle = greet};
    return h;
}
