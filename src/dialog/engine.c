/* engine: interprets dialog flows (kb_script) one event at a time.
 *
 * A turn loads the chat's session (flow, state and a small JSON document of answers, action
 * variables, history and the step counter), reacts to the event — a global command, a button
 * token, typed text checked by the state's validator — and moves through go(), the one function
 * that changes state and logs old -> new. Entering a state runs its action, follows its branch
 * or shows its message with buttons; message-only states go on at once. The turn ends by saving
 * the session (or clearing it when the flow ended). Everything is written through the caller's
 * store transaction, so a turn applies exactly once with its update. */
#include "karirbot/engine.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "karirbot/actions.h"
#include "karirbot/clock.h"
#include "karirbot/idfmt.h"
#include "karirbot/log.h"
#include "karirbot/validate.h"

#define HOPS_MAX          16 /* actions, branches and next links in one turn */
#define FAILS_BEFORE_HINT 3
#define BUTTON_TTL_S      (7 * 86400) /* after that a press says "expired", not "unknown" */
#define HISTORY_MAX       16
#define TOKEN_LEN         16
#define VARS_MAX          32
#define CHOICE_MAX        96
#define SHOWN_MAX         24
#define NOTE_BUTTON_TTL_S (30 * 86400) /* an approval card stays usable for a month */
#define NOTE_SEQ          (-1)         /* a card's buttons belong to no session step */

struct kb_engine {
    const struct kb_script *script;
    const struct kb_locale *loc;
    const struct kb_policy *policy;
};

struct turn {
    struct kb_engine *e;
    const struct kb_event *ev;
    struct kb_store *st;
    struct kb_outq *out;
    char lang[8];
    int64_t now;
    const struct kb_flow_def *flow; /* NULL: the chat is in no flow */
    const struct kb_state_def *state;
    cJSON *data;
    int ended;
    int failed;
    int64_t replace_id; /* show the next state by editing this message (a page turned) */
    struct kb_person actor;
    int linked; /* actor is the employee linked to the sender's account */
};

/* ---- session data ------------------------------------------------------------------------- */

static cJSON *obj(cJSON *data, const char *name)
{
    cJSON *o = cJSON_GetObjectItemCaseSensitive(data, name);
    if (!cJSON_IsObject(o)) {
        cJSON_DeleteItemFromObjectCaseSensitive(data, name);
        o = cJSON_AddObjectToObject(data, name);
    }
    return o;
}

static int64_t num(const cJSON *data, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(data, name);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static void set_num(cJSON *data, const char *name, int64_t v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(data, name);
    cJSON_AddNumberToObject(data, name, (double)v);
}

static void set_str(cJSON *o, const char *name, const char *v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(o, name);
    cJSON_AddStringToObject(o, name, v);
}

static cJSON *fresh_data(int64_t seq)
{
    cJSON *d = cJSON_CreateObject();
    if (d)
        cJSON_AddNumberToObject(d, "seq", (double)seq);
    return d;
}

/* ---- output --------------------------------------------------------------------------------- */

/* Renders key with {name}, the answers and the action variables of this flow. */
/* The variables every message may use: {name} (the employee's name when linked, else the
 * name Telegram gives), {salutation} (Bapak, Ibu or Bapak/Ibu) and {greeting} (by the time of
 * day in the person's zone). Each string is the caller's to free. */
static void person_vars(struct turn *t, char **name, char **salutation, char **greeting)
{
    const char *zone = t->linked ? t->actor.zone : "WIB";
    *greeting =
        kb_locale_render(t->e->loc, t->lang,
                         kb_greeting_key(kb_greeting_part(kb_local_hour(t->now, zone))), NULL, 0);
    *salutation =
        kb_locale_render(t->e->loc, t->lang,
                         t->linked ? kb_person_salutation_key(&t->actor) : "sal_unknown", NULL, 0);
    const char *given = t->linked ? t->actor.name : t->ev->first_name;
    *name = given && *given ? strdup(given)
                            : kb_locale_render(t->e->loc, t->lang, "name_unknown", NULL, 0);
}

/* Renders key with the person's variables, the answers and the action variables of this flow
 * (those an action made as HTML are passed as such). */
static char *render_as(struct turn *t, const char *key, int html)
{
    const char *vars[2 * VARS_MAX];
    char html_names[VARS_MAX][34];
    size_t n = 0;
    char *pv[3];
    person_vars(t, &pv[0], &pv[1], &pv[2]);
    static const char *const pv_names[] = {"name", "salutation", "greeting"};
    for (int i = 0; i < 3; i++) {
        if (pv[i]) {
            vars[2 * n] = pv_names[i];
            vars[2 * n + 1] = pv[i];
            n++;
        }
    }
    const char *groups[] = {"answers", "vars", "html"};
    for (int g = 0; g < 3; g++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(t->data, groups[g]);
        const cJSON *v;
        cJSON_ArrayForEach(v, o)
        {
            if (n < VARS_MAX && cJSON_IsString(v) && v->string) {
                const char *vn = v->string;
                if (g == 2) {
                    snprintf(html_names[n], sizeof html_names[n], "!%s", v->string);
                    vn = html_names[n];
                }
                vars[2 * n] = vn;
                vars[2 * n + 1] = v->valuestring;
                n++;
            }
        }
    }
    char *text =
        (html ? kb_locale_render : kb_locale_render_plain)(t->e->loc, t->lang, key, vars, n);
    for (int i = 0; i < 3; i++)
        free(pv[i]);
    return text;
}

static char *render(struct turn *t, const char *key)
{
    return render_as(t, key, 1);
}

static int emit(struct turn *t, const char *text, const char *keyboard)
{
    struct kb_out o = {.kind = t->replace_id ? KB_OUT_EDIT : KB_OUT_TEXT,
                       .priority = KB_PRIO_REPLY,
                       .chat_id = t->ev->chat_id,
                       .text = (char *)text,
                       .keyboard = (char *)keyboard,
                       .ref_id = t->replace_id};
    t->replace_id = 0;
    return kb_outq_push(t->out, &o);
}

static int say(struct turn *t, const char *key)
{
    char *text = render(t, key);
    int rc = text ? emit(t, text, NULL) : -1;
    free(text);
    return rc;
}

static int answer_press(struct turn *t, const char *key)
{
    char *text = key ? render_as(t, key, 0) : NULL; /* a notice on the button: plain text */
    struct kb_out o = {.kind = KB_OUT_CALLBACK_ANSWER,
                       .priority = KB_PRIO_CALLBACK,
                       .chat_id = t->ev->chat_id,
                       .text = text,
                       .ref_text = t->ev->callback_id};
    int rc = kb_outq_push(t->out, &o);
    free(text);
    return rc;
}

static int notify(struct kb_action_ctx *ctx, int64_t employee_id, const char *key,
                  const char *const *vars, size_t nvars, const struct kb_note_button *buttons,
                  size_t nbuttons, int64_t *sent_to);

static struct kb_action_ctx action_ctx(struct turn *t)
{
    struct kb_action_ctx ctx = {.st = t->st,
                                .ev = t->ev,
                                .lang = t->lang,
                                .loc = t->e->loc,
                                .script = t->e->script,
                                .policy = t->e->policy,
                                .answers = obj(t->data, "answers"),
                                .actor = t->linked ? &t->actor : NULL,
                                .now = t->now,
                                .notify = notify,
                                .engine_turn = t};
    if (kb_local_date(t->now, t->linked ? t->actor.zone : "WIB", ctx.today) != 0)
        snprintf(ctx.today, sizeof ctx.today, "1970-01-01");
    return ctx;
}

/* ---- buttons --------------------------------------------------------------------------------- */

static int new_token(char out[TOKEN_LEN + 1])
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[TOKEN_LEN];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return -1;
    for (int i = 0; i < TOKEN_LEN; i++)
        out[i] = alphabet[raw[i] & 63];
    out[TOKEN_LEN] = '\0';
    return 0;
}

/* Adds a one-button row whose press means choice at step seq. */
static int add_button(struct turn *t, cJSON *rows, cJSON *shown, const char *label,
                      const char *choice, int64_t seq)
{
    char token[TOKEN_LEN + 1];
    if (new_token(token) != 0 || kb_button_add(t->st, token, t->ev->chat_id, seq, choice, t->now,
                                               t->now + BUTTON_TTL_S) != KB_OK)
        return -1;
    cJSON *row = cJSON_CreateArray();
    cJSON *b = cJSON_CreateObject();
    if (!row || !b || !cJSON_AddItemToArray(rows, row) || !cJSON_AddItemToArray(row, b)) {
        cJSON_Delete(row);
        cJSON_Delete(b);
        return -1;
    }
    cJSON_AddStringToObject(b, "text", label);
    cJSON_AddStringToObject(b, "data", token);
    if (cJSON_GetArraySize(shown) < SHOWN_MAX)
        cJSON_AddItemToArray(shown, cJSON_CreateString(choice));
    return 0;
}

static int add_keyed_button(struct turn *t, cJSON *rows, cJSON *shown, const char *key,
                            const char *choice, int64_t seq)
{
    char *label = kb_locale_render_plain(t->e->loc, t->lang, key, NULL, 0);
    int rc = label ? add_button(t, rows, shown, label, choice, seq) : -1;
    free(label);
    return rc;
}

/* Sends a message (a card, with buttons that start a flow for whoever presses them) to the
 * chat linked to employee_id, in that chat's language. */
static int notify(struct kb_action_ctx *ctx, int64_t employee_id, const char *key,
                  const char *const *vars, size_t nvars, const struct kb_note_button *buttons,
                  size_t nbuttons, int64_t *sent_to)
{
    struct turn *t = ctx->engine_turn;
    struct kb_person to;
    int found;
    *sent_to = 0;
    if (kb_person_by_id(t->st, employee_id, &to, &found) != KB_OK)
        return -1;
    if (!found || !to.chat_id)
        return 0;
    char lang[8];
    if (kb_chat_lang_get(t->st, to.chat_id, lang, sizeof lang) != KB_OK)
        return -1;
    if (!lang[0])
        snprintf(lang, sizeof lang, "id");
    cJSON *rows = cJSON_CreateArray();
    int rc = rows ? 0 : -1;
    for (size_t i = 0; i < nbuttons && rc == 0; i++) {
        char token[TOKEN_LEN + 1], choice[CHOICE_MAX];
        snprintf(choice, sizeof choice, "s:%s:%s", buttons[i].flow, buttons[i].arg);
        char *label = kb_locale_render_plain(t->e->loc, lang, buttons[i].label_key, NULL, 0);
        cJSON *row = cJSON_CreateArray(), *b = cJSON_CreateObject();
        rc = label && row && b && new_token(token) == 0 &&
                     kb_button_add(t->st, token, to.chat_id, NOTE_SEQ, choice, t->now,
                                   t->now + NOTE_BUTTON_TTL_S) == KB_OK
                 ? 0
                 : -1;
        if (rc == 0) {
            cJSON_AddStringToObject(b, "text", label);
            cJSON_AddStringToObject(b, "data", token);
            cJSON_AddItemToArray(row, b);
            cJSON_AddItemToArray(rows, row);
        } else {
            cJSON_Delete(row);
            cJSON_Delete(b);
        }
        free(label);
    }
    /* The recipient's own {name} and {salutation}, after the caller's variables. */
    const char *all[2 * (KB_ACTION_VARS_MAX + 2)];
    size_t n = 0;
    for (size_t i = 0; i < nvars && n < KB_ACTION_VARS_MAX; i++, n++) {
        all[2 * n] = vars[2 * i];
        all[2 * n + 1] = vars[2 * i + 1];
    }
    char *salutation =
        kb_locale_render_plain(t->e->loc, lang, kb_person_salutation_key(&to), NULL, 0);
    all[2 * n] = "name";
    all[2 * n + 1] = to.name;
    all[2 * n + 2] = "salutation";
    all[2 * n + 3] = salutation ? salutation : "";
    n += 2;
    char *text = rc == 0 ? kb_locale_render(t->e->loc, lang, key, all, n) : NULL;
    free(salutation);
    char *keyboard = text && nbuttons ? cJSON_PrintUnformatted(rows) : NULL;
    if (text && (keyboard || !nbuttons)) {
        struct kb_out o = {.kind = KB_OUT_TEXT,
                           .priority = KB_PRIO_REPLY,
                           .chat_id = to.chat_id,
                           .text = text,
                           .keyboard = keyboard};
        rc = kb_outq_push(t->out, &o);
        KB_INFO("dialog.notify", "from=%lld to_employee=%lld key=%s", (long long)t->ev->chat_id,
                (long long)employee_id, key);
    } else {
        rc = -1;
    }
    free(text);
    free(keyboard);
    cJSON_Delete(rows);
    if (rc == 0)
        *sent_to = to.chat_id;
    return rc;
}

/* Shows the current state's message with its buttons: fixed ones, a page of the list, paging,
 * and "Kembali". Each showing is a new step: buttons of earlier steps become stale. */
static int show_state(struct turn *t)
{
    const struct kb_state_def *s = t->state;
    int64_t seq = num(t->data, "seq") + 1;
    set_num(t->data, "seq", seq);
    cJSON *rows = cJSON_CreateArray();
    cJSON *shown = cJSON_CreateArray();
    int rc = rows && shown ? 0 : -1;
    char choice[CHOICE_MAX];
    for (size_t i = 0; i < s->nbuttons && rc == 0; i++) {
        snprintf(choice, sizeof choice, "b:%zu", i);
        rc = add_keyed_button(t, rows, shown, s->buttons[i].label, choice, seq);
    }
    if (s->list && rc == 0) {
        struct kb_action_out list = {0};
        struct kb_action_ctx ctx = action_ctx(t);
        rc = kb_action_run(s->list->action, &ctx, &list);
        int size = s->list->page_size > 0 ? s->list->page_size : 8;
        int page = (int)num(t->data, "page");
        int pages = ((int)list.nitems + size - 1) / size;
        if (page >= pages)
            page = pages > 0 ? pages - 1 : 0;
        for (int i = page * size; rc == 0 && i < (int)list.nitems && i < (page + 1) * size; i++) {
            snprintf(choice, sizeof choice, "l:%s", list.items[i].value);
            rc = add_button(t, rows, shown, list.items[i].label, choice, seq);
        }
        if (rc == 0 && page > 0) {
            snprintf(choice, sizeof choice, "p:%d", page - 1);
            rc = add_keyed_button(t, rows, shown, "btn_prev", choice, seq);
        }
        if (rc == 0 && page + 1 < pages) {
            snprintf(choice, sizeof choice, "p:%d", page + 1);
            rc = add_keyed_button(t, rows, shown, "btn_next", choice, seq);
        }
        kb_action_out_free(&list);
    }
    const cJSON *history = cJSON_GetObjectItemCaseSensitive(t->data, "history");
    if (rc == 0 && s->back && cJSON_GetArraySize(history) > 0)
        rc = add_keyed_button(t, rows, shown, "btn_back", "back", seq);
    cJSON_DeleteItemFromObjectCaseSensitive(t->data, "shown");
    if (rc == 0 && shown) {
        cJSON_AddItemToObject(t->data, "shown", shown);
        shown = NULL;
    }
    char *text = rc == 0 ? render(t, s->say) : NULL;
    char *keyboard = rc == 0 && cJSON_GetArraySize(rows) > 0 ? cJSON_PrintUnformatted(rows) : NULL;
    if (s->edit && num(t->data, "card")) /* the card's outcome replaces its buttons */
        t->replace_id = num(t->data, "card");
    if (rc == 0)
        rc = text ? emit(t, text, keyboard) : -1;
    free(text);
    free(keyboard);
    cJSON_Delete(rows);
    cJSON_Delete(shown);
    return rc;
}

/* ---- moving ---------------------------------------------------------------------------------- */

static const char *state_name(const struct turn *t)
{
    return t->state ? t->state->id : "-";
}

static const char *flow_name(const struct turn *t)
{
    return t->flow ? t->flow->id : "-";
}

/* A state that stops to wait for the user; Kembali returns only to those, never into a
 * decision that would just decide again. */
static int waits_for_user(const struct kb_state_def *s)
{
    return s->nbuttons || s->list || s->ask;
}

/* The one place a session changes state. Follows actions, branches and next links until a
 * state waits for the user or the flow ends. push: remember where we came from (for Kembali). */
static int go(struct turn *t, const char *target, int push)
{
    for (int hop = 0; hop < HOPS_MAX; hop++) {
        const struct kb_flow_def *flow = t->flow;
        const char *state_id = target;
        if (!strcmp(target, "@end")) {
            KB_INFO("dialog.move", "chat=%lld from=%s/%s to=end", (long long)t->ev->chat_id,
                    flow_name(t), state_name(t));
            t->ended = 1;
            return 0;
        }
        if (!strcmp(target, "@menu") || !strcmp(target, "@help") || !strncmp(target, "flow:", 5)) {
            const char *id = target[0] == '@' ? target + 1 : target + 5;
            flow = kb_script_flow(t->e->script, id);
            state_id = flow ? flow->first : NULL;
        }
        if (flow && flow != t->flow && flow->linked && !t->linked) {
            KB_INFO("dialog.needs_link", "chat=%lld flow=%s", (long long)t->ev->chat_id, flow->id);
            if (say(t, "needs_link") != 0)
                return -1;
            flow = kb_script_flow(t->e->script, "start");
            state_id = flow ? flow->first : NULL;
            target = "flow:start";
        }
        const struct kb_state_def *next = flow && state_id ? kb_flow_state(flow, state_id) : NULL;
        if (!next) {
            KB_ERROR("dialog.bad_target", "flow=%s target=%s", flow_name(t), target);
            return -1;
        }
        KB_INFO("dialog.move", "chat=%lld from=%s/%s to=%s/%s", (long long)t->ev->chat_id,
                flow_name(t), state_name(t), flow->id, next->id);
        if (flow != t->flow) { /* a new flow starts with a clean slate, keeping the step count */
            cJSON *d = fresh_data(num(t->data, "seq"));
            if (!d)
                return -1;
            cJSON_Delete(t->data);
            t->data = d;
        } else if (push && t->state && waits_for_user(t->state)) { /* Kembali shows questions */
            cJSON *h = cJSON_GetObjectItemCaseSensitive(t->data, "history");
            if (!cJSON_IsArray(h))
                h = cJSON_AddArrayToObject(t->data, "history");
            if (cJSON_GetArraySize(h) >= HISTORY_MAX)
                cJSON_DeleteItemFromArray(h, 0);
            cJSON_AddItemToArray(h, cJSON_CreateString(t->state->id));
        }
        t->flow = flow;
        t->state = next;
        set_num(t->data, "fails", 0);
        set_num(t->data, "page", 0);
        push = 1;

        const struct kb_state_def *s = next;
        char result[KB_ACTION_RESULT_MAX] = "";
        if (s->call) {
            struct kb_action_out out = {0};
            struct kb_action_ctx ctx = action_ctx(t);
            if (kb_action_run(s->call, &ctx, &out) != 0) {
                kb_action_out_free(&out);
                return -1;
            }
            cJSON *vars = obj(t->data, "vars"), *html = obj(t->data, "html");
            for (size_t i = 0; i < out.nvars; i++)
                set_str(out.vars[i].html ? html : vars, out.vars[i].name, out.vars[i].value);
            kb_action_out_free(&out);
            if (out.lang[0])
                snprintf(t->lang, sizeof t->lang, "%s", out.lang);
            snprintf(result, sizeof result, "%s", out.result);
        }
        if (s->nbranches) {
            const char *to = NULL;
            for (size_t i = 0; i < s->nbranches && !to; i++)
                if (!strcmp(s->branches[i].result, result))
                    to = s->branches[i].target;
            for (size_t i = 0; i < s->nbranches && !to; i++)
                if (!strcmp(s->branches[i].result, "*"))
                    to = s->branches[i].target;
            if (!to) {
                KB_ERROR("dialog.no_branch", "flow=%s state=%s result=%s", flow->id, s->id, result);
                return -1;
            }
            target = to;
            continue;
        }
        if (s->say && show_state(t) != 0)
            return -1;
        if (s->end) {
            t->ended = 1;
            return 0;
        }
        if (s->next) {
            target = s->next;
            continue;
        }
        return 0;
    }
    KB_ERROR("dialog.loop", "flow=%s state=%s reason=\"too many moves without waiting\"",
             flow_name(t), state_name(t));
    return -1;
}

/* Where a person outside any flow is taken: the menu, or when the menu is only for linked
 * employees and this person is not linked yet, the welcome with linking (which also recognises
 * an activation code typed out of the blue). */
static const char *home(const struct turn *t)
{
    const struct kb_flow_def *menu = kb_script_flow(t->e->script, "menu");
    return t->linked || !menu || !menu->linked ? "@menu" : "flow:start";
}

/* ---- reacting to the user ------------------------------------------------------------------- */

static void save_answer(struct turn *t, const char *value)
{
    if (t->state->save)
        set_str(obj(t->data, "answers"), t->state->save, value);
}

/* Applies what a button means (pressed, or its number typed). */
static int apply_choice(struct turn *t, const char *choice)
{
    const struct kb_state_def *s = t->state;
    if (!strcmp(choice, "back")) {
        cJSON *h = cJSON_GetObjectItemCaseSensitive(t->data, "history");
        int n = cJSON_GetArraySize(h);
        if (n == 0)
            return show_state(t);
        cJSON *prev = cJSON_DetachItemFromArray(h, n - 1);
        char id[KB_SCRIPT_ID_MAX + 1];
        snprintf(id, sizeof id, "%s", cJSON_IsString(prev) ? prev->valuestring : "");
        cJSON_Delete(prev);
        return go(t, id, 0);
    }
    if (!strncmp(choice, "p:", 2)) {
        /* show_state indexes the list with it: a negative or huge page would read outside. */
        long page = strtol(choice + 2, NULL, 10);
        set_num(t->data, "page", page < 0 ? 0 : page > INT_MAX ? INT_MAX : page);
        if (t->ev->kind == KB_EV_CALLBACK)
            t->replace_id = t->ev->message_id; /* turn the page in place, not below it */
        return show_state(t);
    }
    if (!strncmp(choice, "l:", 2) && s->list) {
        save_answer(t, choice + 2);
        /* Without a next, each item is itself a target (the main menu's flow:<id>). */
        return go(t, s->list->next ? s->list->next : choice + 2, 1);
    }
    if (!strncmp(choice, "b:", 2)) {
        size_t i = (size_t)strtoul(choice + 2, NULL, 10);
        if (i < s->nbuttons) {
            const struct kb_button_def *b = &s->buttons[i];
            save_answer(t, b->value ? b->value : b->label);
            return go(t, b->next, 1);
        }
    }
    KB_WARN("dialog.bad_choice", "flow=%s state=%s", flow_name(t), state_name(t));
    return say(t, "button_stale");
}

/* A card's button ("s:<flow>:<arg>") starts its flow afresh with answers.arg set; the flow
 * decides whether this person may act and whether the thing is still open. */
static int start_from_card(struct turn *t, const char *spec)
{
    const char *colon = strchr(spec, ':');
    char flow[KB_SCRIPT_ID_MAX + 8];
    if (!colon || (size_t)(colon - spec) > KB_SCRIPT_ID_MAX)
        return answer_press(t, "button_stale");
    snprintf(flow, sizeof flow, "flow:%.*s", (int)(colon - spec), spec);
    cJSON *d = fresh_data(num(t->data, "seq")); /* the count goes on: old buttons stay stale */
    if (!d)
        return -1;
    cJSON_Delete(t->data);
    t->data = d;
    set_str(obj(t->data, "answers"), "arg", colon + 1);
    set_num(t->data, "card", t->ev->message_id);      /* states with "edit" replace the card */
    t->flow = kb_script_flow(t->e->script, flow + 5); /* so go() keeps the answers */
    t->state = NULL;
    return go(t, flow, 0);
}

static int on_press(struct turn *t)
{
    const char *token = t->ev->callback_data ? t->ev->callback_data : "";
    int status = KB_BUTTON_UNKNOWN;
    int64_t seq = -1;
    char choice[CHOICE_MAX];
    if (strlen(token) > 64 || kb_button_get(t->st, token, t->ev->chat_id, t->now, &status, &seq,
                                            choice, sizeof choice) != KB_OK)
        status = KB_BUTTON_UNKNOWN;
    if (status == KB_BUTTON_FOREIGN)
        return answer_press(t, "button_foreign");
    if (status == KB_BUTTON_OK && seq == NOTE_SEQ && !strncmp(choice, "s:", 2))
        return answer_press(t, NULL) == 0 ? start_from_card(t, choice + 2) : -1;
    if (status != KB_BUTTON_OK || !t->state || seq != num(t->data, "seq"))
        return answer_press(t, "button_stale"); /* pressed twice, replayed, or from long ago */
    if (answer_press(t, NULL) != 0)
        return -1;
    return apply_choice(t, choice);
}

static int on_command(struct turn *t, const char *cmd)
{
    if (!strcmp(cmd, "batal")) {
        int in_step = t->flow && strcmp(t->flow->id, "menu") != 0;
        if (in_step && say(t, "cancelled") != 0) /* in the menu there is nothing to cancel */
            return -1;
        return go(t, home(t), 0);
    }
    if (!strcmp(cmd, "menu"))
        return go(t, "@menu", 0);
    if (!strcmp(cmd, "bantuan"))
        return say(t, t->state && t->state->help ? t->state->help : "help_general");
    const struct kb_flow_def *f = kb_script_flow_for_command(t->e->script, cmd);
    if (!f)
        return say(t, "unknown_command");
    char target[KB_SCRIPT_ID_MAX + 8];
    snprintf(target, sizeof target, "flow:%s", f->id);
    t->flow = NULL; /* a command starts its flow afresh, even the one running */
    t->state = NULL;
    return go(t, target, 0);
}

static int on_text(struct turn *t, const char *text)
{
    const struct kb_state_def *s = t->state;
    if (!s)
        return go(t, home(t), 0);
    if (s->ask) {
        char today[KB_DATE_LEN]; /* "today" in a date's bounds is the person's own date */
        if (kb_local_date(t->now, t->linked ? t->actor.zone : "WIB", today) != 0)
            today[0] = '\0';
        struct kb_validate_opts opts = {.today = today[0] ? today : NULL,
                                        .has_min = s->ask->has_min,
                                        .has_max = s->ask->has_max,
                                        .min = s->ask->min,
                                        .max = s->ask->max,
                                        .min_len = s->ask->min_len,
                                        .max_len = s->ask->max_len,
                                        .min_date = s->ask->min_date,
                                        .max_date = s->ask->max_date,
                                        .choices = (const char *const *)s->ask->choices,
                                        .nchoices = s->ask->nchoices};
        struct kb_valid *v = malloc(sizeof *v); /* large: it holds the normalised answer */
        if (!v)
            return -1;
        int rc;
        if (kb_validate(s->ask->validator, &opts, text, v) == KB_VALID) {
            save_answer(t, v->value);
            rc = go(t, s->ask->next, 1);
        } else {
            int64_t fails = num(t->data, "fails") + 1;
            struct kb_valid_vars vars;
            kb_valid_vars(v, t->e->loc, t->lang, &vars);
            char *why = kb_locale_render(t->e->loc, t->lang, kb_invalid_key(v->reason), vars.pairs,
                                         vars.npairs);
            rc = why ? emit(t, why, NULL) : -1;
            free(why);
            if (rc == 0 && fails >= FAILS_BEFORE_HINT)
                rc = say(t, "hint_cancel");
            if (rc == 0)
                rc = show_state(t); /* the question again */
            set_num(t->data, "fails", fails);
        }
        free(v);
        return rc;
    }
    const cJSON *shown = cJSON_GetObjectItemCaseSensitive(t->data, "shown");
    char *end;
    long n = strtol(text, &end, 10);
    while (*end == ' ' || *end == '.')
        end++;
    if (cJSON_GetArraySize(shown) > 0 && *end == '\0' && n >= 1 &&
        n <= cJSON_GetArraySize(shown)) { /* a button's number, as the terminal shows them */
        const cJSON *c = cJSON_GetArrayItem(shown, (int)n - 1);
        char choice[CHOICE_MAX];
        snprintf(choice, sizeof choice, "%s", cJSON_IsString(c) ? c->valuestring : "");
        return apply_choice(t, choice);
    }
    if (say(t, cJSON_GetArraySize(shown) > 0 ? "choose_button" : "not_understood") != 0)
        return -1;
    return cJSON_GetArraySize(shown) > 0 ? show_state(t) : go(t, home(t), 0);
}

/* ---- the turn ----------------------------------------------------------------------------------
 */

static int load_session(struct turn *t)
{
    struct kb_session_row row;
    int found = 0;
    if (kb_session_get(t->st, t->ev->chat_id, &row, &found) != KB_OK)
        return -1;
    if (!found) {
        t->data = fresh_data(0);
        return t->data ? 0 : -1;
    }
    t->data = cJSON_Parse(row.data);
    free(row.data);
    if (!cJSON_IsObject(t->data)) {
        cJSON_Delete(t->data);
        t->data = fresh_data(0);
    }
    if (!t->data)
        return -1;
    const struct kb_flow_def *f = kb_script_flow(t->e->script, row.flow);
    const struct kb_state_def *s = f ? kb_flow_state(f, row.state) : NULL;
    const char *why = NULL;
    if (row.expires_at <= t->now) {
        KB_INFO("dialog.expired", "chat=%lld flow=%s state=%s", (long long)t->ev->chat_id, row.flow,
                row.state);
        why = "session_expired";
    } else if (!s) { /* the flow was edited away by a reload */
        KB_WARN("dialog.state_gone", "chat=%lld flow=%s state=%s", (long long)t->ev->chat_id,
                row.flow, row.state);
        why = "session_reset";
    }
    if (why && t->ev->kind == KB_EV_CALLBACK && !strcmp(why, "session_expired")) {
        t->flow = NULL; /* a press: a card's button starts its flow; an old step's is stale */
        t->state = NULL;
        return 0;
    }
    if (why) {
        if (say(t, why) != 0)
            return -1;
        if (t->ev->command && t->ev->kind == KB_EV_TEXT)
            return 0; /* a command still does what it says, from no flow */
        return go(t, home(t), 0) == 0 ? 1 : -1;
    }
    t->flow = f;
    t->state = s;
    return 0;
}

static int react(struct turn *t)
{
    const struct kb_event *ev = t->ev;
    if (ev->kind == KB_EV_CALLBACK)
        return on_press(t);
    if (ev->flags & KB_EVF_INVALID_UTF8)
        return say(t, "unreadable_text");
    if (ev->kind == KB_EV_MEDIA) {
        const struct kb_state_def *s = t->state;
        if (!s || !s->ask || strcmp(s->ask->validator, "file") != 0 || !ev->file_id)
            return say(t, "media_not_understood");
        if (s->save) { /* the file id, and answers.<save>_kind = photo or document */
            char kind_name[KB_SCRIPT_ID_MAX + 8];
            snprintf(kind_name, sizeof kind_name, "%s_kind", s->save);
            set_str(obj(t->data, "answers"), kind_name, ev->media_kind ? ev->media_kind : "");
        }
        save_answer(t, ev->file_id);
        return go(t, s->ask->next, 1);
    }
    if (ev->command)
        return on_command(t, ev->command);
    return on_text(t, ev->text ? ev->text : "");
}

static int handle(void *ctx, const struct kb_event *ev, struct kb_store *st, struct kb_outq *out)
{
    struct turn t = {.e = ctx, .ev = ev, .st = st, .out = out, .now = kb_now()};
    if (kb_chat_lang_get(st, ev->chat_id, t.lang, sizeof t.lang) != KB_OK)
        return -1;
    if (!t.lang[0])
        snprintf(t.lang, sizeof t.lang, "id"); /* everyone starts in Indonesian */
    if (kb_person_by_user(st, ev->user_id, &t.actor, &t.linked) != KB_OK)
        return -1;
    int rc = load_session(&t);
    if (rc == 0)
        rc = react(&t);
    else if (rc == 1)
        rc = ev->kind == KB_EV_CALLBACK ? answer_press(&t, "button_stale") : 0;
    if (rc == 0) {
        if (t.ended || !t.flow) {
            rc = kb_session_clear(st, ev->chat_id) == KB_OK ? 0 : -1;
        } else {
            char *data = cJSON_PrintUnformatted(t.data);
            rc = data && kb_session_put(st, ev->chat_id, t.flow->id, t.state->id, data, t.now,
                                        t.now + t.flow->timeout_s) == KB_OK
                     ? 0
                     : -1;
            free(data);
        }
    }
    cJSON_Delete(t.data);
    return rc;
}

/* ---- lifecycle --------------------------------------------------------------------------------
 */

struct kb_engine *kb_engine_new(const struct kb_script *script, const struct kb_locale *loc)
{
    struct kb_engine *e = calloc(1, sizeof *e);
    if (e)
        kb_engine_reload(e, script, loc);
    return e;
}

void kb_engine_reload(struct kb_engine *e, const struct kb_script *script,
                      const struct kb_locale *loc)
{
    e->script = script;
    e->loc = loc;
}

void kb_engine_set_policy(struct kb_engine *e, const struct kb_policy *policy)
{
    e->policy = policy;
}

void kb_engine_free(struct kb_engine *e)
{
    free(e);
}

struct kb_handler kb_engine_handler(struct kb_engine *e)
{
    struct kb_handler h = {.ctx = e, .handle = handle};
    return h;
}
