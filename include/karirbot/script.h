/* script: dialog flows as data. Loads the JSON files in dialogs/ — the shipped ones, each
 * replaced whole by a file of the same name in the override directory, which may also add
 * flows — into read-only structs the engine walks. The format is documented for HR in
 * dialogs/README.md. Every word is a locale key. */
#ifndef KARIRBOT_SCRIPT_H
#define KARIRBOT_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/diag.h"

#define KB_SCRIPT_ID_MAX 32 /* flow, state and command ids: [a-z0-9_]{1,32} */

struct kb_button_def {
    char *label; /* locale key */
    char *next;  /* target */
    char *value; /* saved when the state has `save`; NULL: the label key */
};

struct kb_list_def {
    char *action; /* produces the items */
    char *next;
    int page_size; /* 1..8, default 8 */
};

struct kb_ask_def {
    char *validator;
    char *next;
    /* options, as written; the engine turns them into kb_validate_opts */
    int has_min, has_max;
    int64_t min, max;
    size_t min_len, max_len;
    char *min_date, *max_date;
    char **choices;
    size_t nchoices;
};

struct kb_branch_def {
    char *result; /* "*" = otherwise */
    char *target;
};

struct kb_state_def {
    char *id;
    char *say;
    char *help;
    char *call;
    struct kb_branch_def *branches;
    size_t nbranches;
    struct kb_button_def *buttons;
    size_t nbuttons;
    struct kb_list_def *list; /* NULL if none */
    struct kb_ask_def *ask;   /* NULL if none */
    char *save;
    char *next;
    int back;
    int end;
    int edit; /* shown by editing the message whose button was pressed (an approval card) */
};

struct kb_flow_def {
    char *id;
    char *file; /* where it was loaded from, for messages */
    char **commands;
    size_t ncommands;
    char *menu_label; /* NULL if not in the main menu */
    int menu_order;
    int timeout_s;
    int linked; /* only for a linked employee: anyone else is sent to /start */
    char *first;
    struct kb_state_def *states;
    size_t nstates;
};

struct kb_script {
    struct kb_flow_def *flows;
    size_t nflows;
};

/* Loads every *.json in <defaults_dir>/dialogs, each replaced by <override_dir>/dialogs/<same
 * name> when that exists (override_dir may be NULL). Structural problems (bad JSON, wrong types,
 * missing required fields, bad ids) go to diag as errors. Returns the script (free with
 * kb_script_free) when there were no errors, else NULL. */
struct kb_script *kb_script_load(const char *defaults_dir, const char *override_dir,
                                 struct kb_diag *diag);
void kb_script_free(struct kb_script *s);

const struct kb_flow_def *kb_script_flow(const struct kb_script *s, const char *id);
const struct kb_flow_def *kb_script_flow_for_command(const struct kb_script *s, const char *cmd);
const struct kb_state_def *kb_flow_state(const struct kb_flow_def *f, const char *id);

#endif
