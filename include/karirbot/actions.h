/* actions: the domain operations a dialog calls by name ("call" and "list.action" in the JSON
 * files of dialogs/). An action reads and writes records through the store (inside the
 * engine's transaction) and answers with a result word for branches, variables for messages,
 * and items for lists. Actions of one area live in src/dialog/act_<area>.c. */
#ifndef KARIRBOT_ACTIONS_H
#define KARIRBOT_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/event.h"
#include "karirbot/locale.h"
#include "karirbot/people.h"
#include "karirbot/script.h"
#include "karirbot/store.h"

struct cJSON;
struct kb_policy;

#define KB_ACTION_RESULT_MAX 32
#define KB_ACTION_VARS_MAX   16
#define KB_ACTION_VAR_MAX    3500 /* bytes of one variable: a whole list as text fits */
#define KB_ACTION_ITEMS_MAX  64

/* A button on a message to someone else (an approval card): pressing it starts `flow` for the
 * person who pressed it, with answers.arg = arg. Whether they may is the flow's business. */
struct kb_note_button {
    const char *label_key;
    const char *flow;
    const char *arg;
};

struct kb_action_ctx {
    struct kb_store *st;
    const struct kb_event *ev;
    const char *lang;
    const struct kb_locale *loc;
    const struct kb_script *script;
    const struct kb_policy *policy; /* may be NULL in tests that need none */
    struct cJSON *answers;          /* what the user answered so far in this flow */
    const struct kb_person *actor;  /* the linked employee, or NULL */
    int64_t now;
    char today[11]; /* the actor's local date, YYYY-MM-DD */
    /* Sends the message key (variables as name/value pairs, escaped; {name} and {salutation}
     * are the recipient's unless given) to the employee's linked chat, in that chat's language,
     * with optional buttons; *sent_to is the chat id, or 0 when
     * the employee has no linked account (the caller says so to the user). Set by the engine. */
    int (*notify)(struct kb_action_ctx *ctx, int64_t employee_id, const char *key,
                  const char *const *vars, size_t nvars, const struct kb_note_button *buttons,
                  size_t nbuttons, int64_t *sent_to);
    void *engine_turn; /* the engine's, for notify */
};

struct kb_action_out {
    char result[KB_ACTION_RESULT_MAX];
    struct {
        char name[32];
        char *value; /* malloc'd */
        int html;    /* 1: already HTML (rendered from locale texts), not escaped again */
    } vars[KB_ACTION_VARS_MAX];
    size_t nvars;
    struct {
        char label[128]; /* shown as is on a button */
        char value[64];  /* saved, and passed on */
    } items[KB_ACTION_ITEMS_MAX];
    size_t nitems;
    char lang[8]; /* set when the action changed the chat's language */
};

/* Sets a message variable (plain text: the engine escapes it). Returns 0 or -1. */
int kb_action_var(struct kb_action_out *out, const char *name, const char *value);
int kb_action_varf(struct kb_action_out *out, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets a variable that is already HTML, made with kb_action_render (cut at
 * KB_ACTION_VAR_MAX on a line boundary, never inside a tag). */
int kb_action_html(struct kb_action_out *out, const char *name, const char *html);
/* Adds a list item. */
int kb_action_item(struct kb_action_out *out, const char *label, const char *value);
void kb_action_out_free(struct kb_action_out *out);
/* Renders a locale key in the user's language (variables escaped): for building list texts
 * line by line. Caller frees. */
char *kb_action_render(struct kb_action_ctx *ctx, const char *key, const char *const *vars,
                       size_t nvars);
/* The same, not escaped: for list item labels (buttons show plain text, not HTML). */
char *kb_action_render_plain(struct kb_action_ctx *ctx, const char *key, const char *const *vars,
                             size_t nvars);
/* An answer given earlier in the flow, or "" . */
const char *kb_action_answer(struct kb_action_ctx *ctx, const char *name);
int64_t kb_action_answer_i64(struct kb_action_ctx *ctx, const char *name);

struct kb_action_def {
    const char *name;
    int (*run)(struct kb_action_ctx *ctx, struct kb_action_out *out);
};
/* Each area's table ends with {NULL, NULL}. */
extern const struct kb_action_def kb_actions_accounts[];
extern const struct kb_action_def kb_actions_rpi[];
extern const struct kb_action_def kb_actions_trainings[];
extern const struct kb_action_def kb_actions_mentoring[];
extern const struct kb_action_def kb_actions_promotion[];
extern const struct kb_action_def kb_actions_approvals[];
extern const struct kb_action_def kb_actions_privacy[];
extern const struct kb_action_def kb_actions_reminders[];

/* 1 when an action with this name exists, else 0 (name NULL is 0): for `karirbot check`. */
int kb_action_known(const char *name);
/* Runs the action. Returns 0, or -1 (after logging) when it failed: the engine rolls back. */
int kb_action_run(const char *name, struct kb_action_ctx *ctx, struct kb_action_out *out);

#endif
