/* actions: the registry of named actions, the helpers actions share, and the actions of the
 * dialog engine itself (account status, the main menu, the chat's language). The career
 * actions live in act_<area>.c, one table per area. */
#include "karirbot/actions.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/log.h"

/* ---- helpers for actions ------------------------------------------------------------------ */

static int set_var(struct kb_action_out *out, const char *name, char *value, int html)
{
    if (!value)
        return -1;
    size_t i;
    for (i = 0; i < out->nvars; i++)
        if (!strcmp(out->vars[i].name, name))
            break;
    if (i == KB_ACTION_VARS_MAX || strlen(name) >= sizeof out->vars[0].name) {
        KB_ERROR("action.too_many_vars", "name=%s", name);
        free(value);
        return -1;
    }
    if (i == out->nvars)
        out->nvars++;
    else
        free(out->vars[i].value);
    snprintf(out->vars[i].name, sizeof out->vars[i].name, "%s", name);
    out->vars[i].value = value;
    out->vars[i].html = html;
    return 0;
}

int kb_action_var(struct kb_action_out *out, const char *name, const char *value)
{
    return set_var(out, name, strdup(value ? value : ""), 0);
}

int kb_action_varf(struct kb_action_out *out, const char *name, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return kb_action_var(out, name, buf);
}

int kb_action_html(struct kb_action_out *out, const char *name, const char *html)
{
    size_t len = strlen(html);
    if (len > KB_ACTION_VAR_MAX) { /* cut after the last whole line that fits */
        len = KB_ACTION_VAR_MAX;
        while (len > 0 && html[len] != '\n')
            len--;
        KB_WARN("action.var_cut", "name=%s", name);
    }
    return set_var(out, name, strndup(html, len), 1);
}

int kb_action_item(struct kb_action_out *out, const char *label, const char *value)
{
    if (out->nitems >= KB_ACTION_ITEMS_MAX)
        return -1;
    snprintf(out->items[out->nitems].label, sizeof out->items[0].label, "%s", label);
    snprintf(out->items[out->nitems].value, sizeof out->items[0].value, "%s", value);
    out->nitems++;
    return 0;
}

void kb_action_out_free(struct kb_action_out *out)
{
    for (size_t i = 0; i < out->nvars; i++)
        free(out->vars[i].value);
    out->nvars = 0;
}

char *kb_action_render(struct kb_action_ctx *ctx, const char *key, const char *const *vars,
                       size_t nvars)
{
    return kb_locale_render(ctx->loc, ctx->lang, key, vars, nvars);
}

char *kb_action_render_plain(struct kb_action_ctx *ctx, const char *key, const char *const *vars,
                             size_t nvars)
{
    return kb_locale_render_plain(ctx->loc, ctx->lang, key, vars, nvars);
}

const char *kb_action_answer(struct kb_action_ctx *ctx, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx->answers, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

int64_t kb_action_answer_i64(struct kb_action_ctx *ctx, const char *name)
{
    return strtoll(kb_action_answer(ctx, name), NULL, 10);
}

/* ---- the engine's own actions ------------------------------------------------------------- */

static int account_status(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    snprintf(out->result, sizeof out->result, "%s", ctx->actor ? "linked" : "unlinked");
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
        char *label = kb_locale_render_plain(ctx->loc, ctx->lang, flows[i]->menu_label, NULL, 0);
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

static const struct kb_action_def engine_actions[] = {
    {"account_status", account_status},
    {"menu_entries", menu_entries},
    {"user_language", user_language},
    {"set_language", set_language},
    {NULL, NULL},
};

static const struct kb_action_def *const tables[] = {
    engine_actions,       kb_actions_accounts,  kb_actions_rpi,
    kb_actions_trainings, kb_actions_mentoring, kb_actions_promotion,
    kb_actions_approvals, kb_actions_privacy,   kb_actions_reminders,
};

static const struct kb_action_def *find(const char *name)
{
    for (size_t t = 0; name && t < sizeof tables / sizeof tables[0]; t++)
        for (const struct kb_action_def *a = tables[t]; a->name; a++)
            if (!strcmp(a->name, name))
                return a;
    return NULL;
}

int kb_action_known(const char *name)
{
    return find(name) != NULL;
}

int kb_action_run(const char *name, struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const struct kb_action_def *a = find(name);
    if (!a) {
        KB_ERROR("action.unknown", "action=%s", name ? name : "-");
        return -1;
    }
    int rc = a->run(ctx, out);
    if (rc != 0)
        KB_ERROR("action.failed", "action=%s chat=%lld", name, (long long)ctx->ev->chat_id);
    return rc;
}
