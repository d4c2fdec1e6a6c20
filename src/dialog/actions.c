/* actions: the registry of named actions, and the ones of the dialog engine itself (account
 * status, the main menu, the chat's language). The career actions join in their own files. */
#include "karirbot/actions.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/log.h"

/* Linking a Telegram account to an employee record arrives with the career flows; until then
 * every chat is unlinked and /start shows the welcome. */
static int account_status(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    (void)ctx;
    snprintf(out->result, sizeof out->result, "unlinked");
    return 0;
}

static int by_menu_order(const void *a, const void *b)
{
    const struct kb_flow_def *fa = *(const struct kb_flow_def *const *)a;
    const struct kb_flow_def *fb = *(const struct kb_flow_def *const *)b;
    return (fa->menu_order > fb->menu_order) - (fa->menu_order < fb->menu_order);
}

/* The main menu: every flow with a menu label, in menu order; each value is the target
 * flow:<id>, so the menu's list needs no next. */
static int menu_entries(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const struct kb_flow_def *flows[KB_ACTION_ITEMS_MAX];
    size_t n = 0;
    for (size_t i = 0; i < ctx->script->nflows && n < KB_ACTION_ITEMS_MAX; i++)
        if (ctx->script->flows[i].menu_label)
            flows[n++] = &ctx->script->flows[i];
    qsort(flows, n, sizeof flows[0], by_menu_order);
    for (size_t i = 0; i < n; i++) {
        char *label = kb_locale_render(ctx->loc, ctx->lang, flows[i]->menu_label, NULL, 0);
        if (!label)
            return -1;
        snprintf(out->items[i].label, sizeof out->items[i].label, "%s", label);
        snprintf(out->items[i].value, sizeof out->items[i].value, "flow:%s", flows[i]->id);
        free(label);
    }
    out->nitems = n;
    snprintf(out->result, sizeof out->result, "%s", n ? "ok" : "empty");
    return 0;
}

static int user_language(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    snprintf(out->result, sizeof out->result, "%s", ctx->lang);
    return 0;
}

/* Applies answers.language ("id" or "en") to the chat. */
static int set_language(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx->answers, "language");
    const char *lang = cJSON_IsString(v) ? v->valuestring : "";
    if (strcmp(lang, "id") != 0 && strcmp(lang, "en") != 0) {
        snprintf(out->result, sizeof out->result, "unchanged");
        return 0;
    }
    if (kb_chat_lang_set(ctx->st, ctx->ev->chat_id, lang) != KB_OK)
        return -1;
    snprintf(out->lang, sizeof out->lang, "%s", lang);
    snprintf(out->result, sizeof out->result, "%s", lang);
    return 0;
}

static const struct {
    const char *name;
    int (*run)(struct kb_action_ctx *, struct kb_action_out *);
} actions[] = {
    {"account_status", account_status},
    {"menu_entries", menu_entries},
    {"user_language", user_language},
    {"set_language", set_language},
};

int kb_action_known(const char *name)
{
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (name && !strcmp(actions[i].name, name))
            return 1;
    return 0;
}

int kb_action_run(const char *name, struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        if (name && !strcmp(actions[i].name, name)) {
            int rc = actions[i].run(ctx, out);
            if (rc != 0)
                KB_ERROR("action.failed", "action=%s chat=%lld", name, (long long)ctx->ev->chat_id);
            return rc;
        }
    }
    KB_ERROR("action.unknown", "action=%s", name ? name : "-");
    return -1;
}
