/* script: the loader of dialog flows (dialogs/<flow>.json) into the read-only structs of script.h.
 * It owns the structural rules of the format: JSON syntax, field names and types, ids, target
 * syntax, and the bounds on everything it allocates. The meaning of a script (do targets,
 * keys, actions exist; is every state reachable) is the checker's (check.c).
 *
 * Problems become lines of a struct kb_diag, named by file and field path, written for the HR
 * officer who edits the files: "dialogs/start.json: states.welcome.buttons[1]: ...". */
#include "karirbot/script.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "karirbot/buf.h"
#include "karirbot/utf8.h"
#include "karirbot/validate.h"

#include "karirbot/diag.h"
#include "karirbot/policy.h"

#define SCRIPT_FILE_MAX     (1 << 20) /* bytes of one dialog file */
#define SCRIPT_FLOWS_MAX    64
#define SCRIPT_STATES_MAX   128                /* per flow */
#define SCRIPT_BUTTONS_MAX  16                 /* per state */
#define SCRIPT_STRING_MAX   256                /* bytes of any string */
#define SCRIPT_COMMANDS_MAX 16                 /* per flow */
#define SCRIPT_BRANCHES_MAX 32                 /* per state */
#define SCRIPT_CHOICES_MAX  32                 /* per ask */
#define SCRIPT_KEY_MAX      64                 /* bytes of a locale key */
#define SCRIPT_NAME_MAX     128                /* bytes of a file name in dialogs/ */
#define SCRIPT_INT_LIMIT    9007199254740992.0 /* 2^53: integers beyond are not exact in JSON */

/* ---- diag ---------------------------------------------------------------------------------- */

/* ---- freeing ------------------------------------------------------------------------------- */

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void state_free(struct kb_state_def *st)
{
    free(st->id);
    free(st->say);
    free(st->help);
    free(st->call);
    for (size_t i = 0; i < st->nbranches; i++) {
        free(st->branches[i].result);
        free(st->branches[i].target);
    }
    free(st->branches);
    for (size_t i = 0; i < st->nbuttons; i++) {
        free(st->buttons[i].label);
        free(st->buttons[i].next);
        free(st->buttons[i].value);
    }
    free(st->buttons);
    if (st->list) {
        free(st->list->action);
        free(st->list->next);
        free(st->list);
    }
    if (st->ask) {
        free(st->ask->validator);
        free(st->ask->next);
        free(st->ask->min_date);
        free(st->ask->max_date);
        free_strv(st->ask->choices, st->ask->nchoices);
        free(st->ask);
    }
    free(st->save);
    free(st->next);
}

static void flow_free(struct kb_flow_def *f)
{
    free(f->id);
    free(f->file);
    free_strv(f->commands, f->ncommands);
    free(f->menu_label);
    free(f->first);
    for (size_t i = 0; i < f->nstates; i++)
        state_free(&f->states[i]);
    free(f->states);
}

void kb_script_free(struct kb_script *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nflows; i++)
        flow_free(&s->flows[i]);
    free(s->flows);
    free(s);
}

/* ---- lookups ------------------------------------------------------------------------------- */

const struct kb_flow_def *kb_script_flow(const struct kb_script *s, const char *id)
{
    for (size_t i = 0; s && id && i < s->nflows; i++)
        if (!strcmp(s->flows[i].id, id))
            return &s->flows[i];
    return NULL;
}

const struct kb_flow_def *kb_script_flow_for_command(const struct kb_script *s, const char *cmd)
{
    for (size_t i = 0; s && cmd && i < s->nflows; i++)
        for (size_t j = 0; j < s->flows[i].ncommands; j++)
            if (!strcmp(s->flows[i].commands[j], cmd))
                return &s->flows[i];
    return NULL;
}

const struct kb_state_def *kb_flow_state(const struct kb_flow_def *f, const char *id)
{
    for (size_t i = 0; f && id && i < f->nstates; i++)
        if (!strcmp(f->states[i].id, id))
            return &f->states[i];
    return NULL;
}

/* ---- field readers ------------------------------------------------------------------------- */

/* One file being read: where its problems go and under which name. */
struct loader {
    struct kb_diag *diag;
    const char *file;
};

#define ERR(L, where, ...) kb_diag_add((L)->diag, KB_DIAG_ERROR, (L)->file, where, __VA_ARGS__)

/* The kinds of string a field holds, each with its own syntax. */
enum str_kind {
    STR_ID,     /* flow, state, command, action, validator and save ids: [a-z0-9_]{1,32} */
    STR_KEY,    /* locale key */
    STR_TARGET, /* state id, flow:<id>, @menu, @help, @end */
    STR_TEXT    /* a value: any UTF-8 without control characters */
};

static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > KB_SCRIPT_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

static int key_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > SCRIPT_KEY_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' || s[i] == '-'))
            return 0;
    return 1;
}

static int target_ok(const char *s)
{
    if (!strcmp(s, "@menu") || !strcmp(s, "@help") || !strcmp(s, "@end"))
        return 1;
    if (!strncmp(s, "flow:", 5))
        return id_ok(s + 5);
    return id_ok(s);
}

static int text_ok(const char *s)
{
    size_t n = strlen(s);
    if (!kb_utf8_valid(s, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

/* Checks the syntax of string s of the given kind; reports and returns -1 when it is wrong. */
static int check_str(struct loader *L, const char *where, const char *s, enum str_kind kind)
{
    char shown[48];
    if (strlen(s) > SCRIPT_STRING_MAX) {
        ERR(L, where, "longer than %d bytes", SCRIPT_STRING_MAX);
        return -1;
    }
    switch (kind) {
    case STR_ID:
        if (id_ok(s))
            return 0;
        ERR(L, where, "'%s' is not a valid id: use 1 to %d lowercase letters, digits or '_'",
            kb_diag_show(shown, sizeof shown, s), KB_SCRIPT_ID_MAX);
        return -1;
    case STR_KEY:
        if (key_ok(s))
            return 0;
        ERR(L, where,
            "'%s' is not a valid message key: use 1 to %d letters, digits, '_', '.' or '-'",
            kb_diag_show(shown, sizeof shown, s), SCRIPT_KEY_MAX);
        return -1;
    case STR_TARGET:
        if (target_ok(s))
            return 0;
        ERR(L, where, "'%s' is not a valid target: use a state id, flow:<id>, @menu, @help or @end",
            kb_diag_show(shown, sizeof shown, s));
        return -1;
    case STR_TEXT:
        if (text_ok(s))
            return 0;
        ERR(L, where, "contains a control character or is not valid UTF-8");
        return -1;
    }
    return -1;
}

/* Writes the formatted text into out, cut at cap - 1 bytes: a field path only names a place in
 * a file, so a cut one is still useful. */
static void __attribute__((format(printf, 3, 4))) pathf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0)
        out[0] = '\0';
}

/* Joins a field path: "states.welcome" + "buttons[1]" -> "states.welcome.buttons[1]". */
static void subpath(char *out, size_t cap, const char *base, const char *field)
{
    pathf(out, cap, "%s%s%s", base, *base ? "." : "", field);
}

/* Reads the string field name of obj into *out (newly allocated; NULL when absent).
 * Returns 0, or -1 after reporting: missing when required, wrong type, bad syntax, no memory. */
static int take_str(struct loader *L, const cJSON *obj, const char *base, const char *name,
                    enum str_kind kind, int required, char **out)
{
    char where[256];
    subpath(where, sizeof where, base, name);
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v) {
        if (required)
            ERR(L, base, "'%s' is missing", name);
        return required ? -1 : 0;
    }
    if (!cJSON_IsString(v)) {
        ERR(L, where, "must be a text in double quotes");
        return -1;
    }
    if (check_str(L, where, v->valuestring, kind) != 0)
        return -1;
    *out = strdup(v->valuestring);
    if (!*out) {
        ERR(L, where, "out of memory");
        return -1;
    }
    return 0;
}

/* Reads the whole-number field name of obj, lo..hi, into *out and sets *present.
 * Returns 0 (absent is fine: *present = 0), or -1 after reporting. */
static int take_int(struct loader *L, const cJSON *obj, const char *base, const char *name,
                    double lo, double hi, int64_t *out, int *present)
{
    char where[256];
    subpath(where, sizeof where, base, name);
    *present = 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return 0;
    /* valuedouble, not valueint, which saturates at INT_MAX (DESIGN, "Limits"). */
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble)) {
        ERR(L, where, "must be a whole number");
        return -1;
    }
    if (v->valuedouble < lo || v->valuedouble > hi) {
        ERR(L, where, "must be between %.0f and %.0f", lo, hi);
        return -1;
    }
    *out = (int64_t)v->valuedouble;
    *present = 1;
    return 0;
}

/* Reads the true/false field name of obj into *out (0 when absent). */
static int take_bool(struct loader *L, const cJSON *obj, const char *base, const char *name,
                     int *out)
{
    char where[256];
    subpath(where, sizeof where, base, name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    *out = 0;
    if (!v)
        return 0;
    if (!cJSON_IsBool(v)) {
        ERR(L, where, "must be true or false (without quotes)");
        return -1;
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

/* Reports members of obj that the format does not know (a misspelt "sya" would otherwise be
 * ignored in silence) and members written twice. Names starting with '_' are notes for people
 * and are skipped. Returns the number of problems. */
static int check_fields(struct loader *L, const cJSON *obj, const char *base,
                        const char *const *known)
{
    int bad = 0;
    char shown[48];
    for (const cJSON *m = obj->child; m; m = m->next) {
        if (m->string[0] == '_')
            continue;
        int found = 0;
        for (const char *const *k = known; *k && !found; k++)
            found = !strcmp(*k, m->string);
        if (!found) {
            ERR(L, base, "unknown field '%s'", kb_diag_show(shown, sizeof shown, m->string));
            bad++;
            continue;
        }
        for (const cJSON *p = obj->child; p != m; p = p->next)
            if (!strcmp(p->string, m->string)) {
                ERR(L, base, "field '%s' is written twice", m->string);
                bad++;
                break;
            }
    }
    return bad;
}

/* Returns the object field name of obj, NULL when absent; -1 in *bad after reporting when it
 * is present but not an object. */
static const cJSON *get_obj(struct loader *L, const cJSON *obj, const char *base, const char *name,
                            int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (v && !cJSON_IsObject(v)) {
        char where[256];
        subpath(where, sizeof where, base, name);
        ERR(L, where, "must be an object in { }");
        *bad = -1;
        return NULL;
    }
    return v;
}

/* Returns the array field name of obj with at most max elements, NULL when absent; sets *bad
 * after reporting when it is not an array or too long. */
static const cJSON *get_array(struct loader *L, const cJSON *obj, const char *base,
                              const char *name, int max, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return NULL;
    char where[256];
    subpath(where, sizeof where, base, name);
    if (!cJSON_IsArray(v)) {
        ERR(L, where, "must be a list in [ ]");
        *bad = -1;
        return NULL;
    }
    if (cJSON_GetArraySize(v) > max) {
        ERR(L, where, "has more than %d entries", max);
        *bad = -1;
        return NULL;
    }
    return v;
}

/* ---- flows and states ---------------------------------------------------------------------- */

static const char *const flow_fields[] = {"flow",  "commands", "menu",   "timeout_minutes",
                                          "first", "states",   "linked", NULL};
static const char *const state_fields[] = {"say",  "help", "call", "branch", "buttons",
                                           "list", "save", "ask",  "next",   "back",
                                           "end",  "edit", NULL};
static const char *const button_fields[] = {"label", "next", "value", NULL};
static const char *const list_fields[] = {"action", "next", "page_size", NULL};
static const char *const ask_fields[] = {"validator", "next",     "min",      "max",     "min_len",
                                         "max_len",   "min_date", "max_date", "choices", NULL};
static const char *const menu_fields[] = {"label", "order", NULL};

/* "today" or the shape YYYY-MM-DD (the validator judges the calendar). */
static int date_bound_ok(const char *s)
{
    if (!strcmp(s, "today"))
        return 1;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static int parse_ask(struct loader *L, const cJSON *o, const char *base, struct kb_ask_def *a)
{
    int bad = check_fields(L, o, base, ask_fields) ? -1 : 0;
    bad |= take_str(L, o, base, "validator", STR_ID, 1, &a->validator);
    bad |= take_str(L, o, base, "next", STR_TARGET, 1, &a->next);
    bad |= take_int(L, o, base, "min", -SCRIPT_INT_LIMIT, SCRIPT_INT_LIMIT, &a->min, &a->has_min);
    bad |= take_int(L, o, base, "max", -SCRIPT_INT_LIMIT, SCRIPT_INT_LIMIT, &a->max, &a->has_max);
    int64_t n;
    int present;
    bad |= take_int(L, o, base, "min_len", 0, KB_VALIDATE_INPUT_MAX, &n, &present);
    a->min_len = present ? (size_t)n : 0;
    bad |= take_int(L, o, base, "max_len", 0, KB_VALIDATE_INPUT_MAX, &n, &present);
    a->max_len = present ? (size_t)n : 0;
    const char *dates[2] = {"min_date", "max_date"};
    char **dest[2] = {&a->min_date, &a->max_date};
    for (int i = 0; i < 2; i++) {
        if (take_str(L, o, base, dates[i], STR_TEXT, 0, dest[i]) != 0) {
            bad = -1;
        } else if (*dest[i] && !date_bound_ok(*dest[i])) {
            char where[256];
            subpath(where, sizeof where, base, dates[i]);
            ERR(L, where, "must be \"today\" or a date written YYYY-MM-DD");
            bad = -1;
        }
    }
    const cJSON *ch = get_array(L, o, base, "choices", SCRIPT_CHOICES_MAX, &bad);
    if (ch && cJSON_GetArraySize(ch) > 0) {
        a->choices = calloc((size_t)cJSON_GetArraySize(ch), sizeof *a->choices);
        if (!a->choices) {
            ERR(L, base, "out of memory");
            return -1;
        }
        const cJSON *c;
        cJSON_ArrayForEach(c, ch)
        {
            char where[256];
            pathf(where, sizeof where, "%s.choices[%zu]", base, a->nchoices);
            if (!cJSON_IsString(c)) {
                ERR(L, where, "must be a text in double quotes");
                bad = -1;
                continue;
            }
            if (check_str(L, where, c->valuestring, STR_TEXT) != 0) {
                bad = -1;
                continue;
            }
            a->choices[a->nchoices] = strdup(c->valuestring);
            if (!a->choices[a->nchoices]) {
                ERR(L, where, "out of memory");
                return -1;
            }
            a->nchoices++;
        }
    }
    return bad;
}

static int parse_buttons(struct loader *L, const cJSON *arr, const char *base,
                         struct kb_state_def *st)
{
    int bad = 0;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n == 0)
        return 0;
    st->buttons = calloc(n, sizeof *st->buttons);
    if (!st->buttons) {
        ERR(L, base, "out of memory");
        return -1;
    }
    const cJSON *b;
    cJSON_ArrayForEach(b, arr)
    {
        char where[256];
        pathf(where, sizeof where, "%s.buttons[%zu]", base, st->nbuttons);
        struct kb_button_def *d = &st->buttons[st->nbuttons++];
        if (!cJSON_IsObject(b)) {
            ERR(L, where, "must be an object such as {\"label\": \"...\", \"next\": \"...\"}");
            bad = -1;
            continue;
        }
        if (check_fields(L, b, where, button_fields))
            bad = -1;
        bad |= take_str(L, b, where, "label", STR_KEY, 1, &d->label);
        bad |= take_str(L, b, where, "next", STR_TARGET, 1, &d->next);
        bad |= take_str(L, b, where, "value", STR_TEXT, 0, &d->value);
    }
    return bad;
}

static int parse_branch(struct loader *L, const cJSON *o, const char *base, struct kb_state_def *st)
{
    char where[256];
    subpath(where, sizeof where, base, "branch");
    size_t n = (size_t)cJSON_GetArraySize(o);
    if (n == 0) {
        ERR(L, where, "is empty: give at least one result, such as \"*\"");
        return -1;
    }
    if (n > SCRIPT_BRANCHES_MAX) {
        ERR(L, where, "has more than %d results", SCRIPT_BRANCHES_MAX);
        return -1;
    }
    st->branches = calloc(n, sizeof *st->branches);
    if (!st->branches) {
        ERR(L, where, "out of memory");
        return -1;
    }
    int bad = 0;
    char shown[48];
    for (const cJSON *m = o->child; m; m = m->next) {
        char at[300];
        pathf(at, sizeof at, "%s.%s", where, kb_diag_show(shown, sizeof shown, m->string));
        if (strcmp(m->string, "*") != 0 && !id_ok(m->string)) {
            ERR(L, where, "'%s' is not a result word: use \"*\" or an id such as \"linked\"",
                shown);
            bad = -1;
            continue;
        }
        for (const cJSON *p = o->child; p != m; p = p->next)
            if (!strcmp(p->string, m->string)) {
                ERR(L, where, "result '%s' is written twice", shown);
                bad = -1;
            }
        if (!cJSON_IsString(m)) {
            ERR(L, at, "must be a target in double quotes");
            bad = -1;
            continue;
        }
        if (check_str(L, at, m->valuestring, STR_TARGET) != 0) {
            bad = -1;
            continue;
        }
        struct kb_branch_def *b = &st->branches[st->nbranches];
        b->result = strdup(m->string);
        b->target = strdup(m->valuestring);
        st->nbranches++;
        if (!b->result || !b->target) {
            ERR(L, at, "out of memory");
            return -1;
        }
    }
    return bad;
}

static int parse_state(struct loader *L, const cJSON *o, struct kb_state_def *st)
{
    char base[64];
    pathf(base, sizeof base, "states.%s", st->id);
    if (!cJSON_IsObject(o)) {
        ERR(L, base, "must be an object in { }");
        return -1;
    }
    int bad = check_fields(L, o, base, state_fields) ? -1 : 0;
    bad |= take_str(L, o, base, "say", STR_KEY, 0, &st->say);
    bad |= take_str(L, o, base, "help", STR_KEY, 0, &st->help);
    bad |= take_str(L, o, base, "call", STR_ID, 0, &st->call);
    bad |= take_str(L, o, base, "save", STR_ID, 0, &st->save);
    bad |= take_str(L, o, base, "next", STR_TARGET, 0, &st->next);
    bad |= take_bool(L, o, base, "back", &st->back);
    bad |= take_bool(L, o, base, "end", &st->end);
    bad |= take_bool(L, o, base, "edit", &st->edit);

    const cJSON *br = get_obj(L, o, base, "branch", &bad);
    if (br)
        bad |= parse_branch(L, br, base, st);
    const cJSON *bt = get_array(L, o, base, "buttons", SCRIPT_BUTTONS_MAX, &bad);
    if (bt)
        bad |= parse_buttons(L, bt, base, st);

    char where[256];
    const cJSON *li = get_obj(L, o, base, "list", &bad);
    if (li) {
        subpath(where, sizeof where, base, "list");
        st->list = calloc(1, sizeof *st->list);
        if (!st->list) {
            ERR(L, where, "out of memory");
            return -1;
        }
        if (check_fields(L, li, where, list_fields))
            bad = -1;
        bad |= take_str(L, li, where, "action", STR_ID, 1, &st->list->action);
        /* No next: each item the action gives is itself a target (menu_entries gives
         * "flow:<id>"). */
        bad |= take_str(L, li, where, "next", STR_TARGET, 0, &st->list->next);
        int64_t n = 8;
        int present;
        bad |= take_int(L, li, where, "page_size", 1, 8, &n, &present);
        st->list->page_size = present ? (int)n : 8;
    }
    const cJSON *ask = get_obj(L, o, base, "ask", &bad);
    if (ask) {
        subpath(where, sizeof where, base, "ask");
        st->ask = calloc(1, sizeof *st->ask);
        if (!st->ask) {
            ERR(L, where, "out of memory");
            return -1;
        }
        bad |= parse_ask(L, ask, where, st->ask);
    }
    return bad;
}

static int parse_states(struct loader *L, const cJSON *states, struct kb_flow_def *f)
{
    size_t n = (size_t)cJSON_GetArraySize(states);
    if (n == 0) {
        ERR(L, "states", "is empty: a flow needs at least one state");
        return -1;
    }
    if (n > SCRIPT_STATES_MAX) {
        ERR(L, "states", "has more than %d states", SCRIPT_STATES_MAX);
        return -1;
    }
    f->states = calloc(n, sizeof *f->states);
    if (!f->states) {
        ERR(L, "states", "out of memory");
        return -1;
    }
    int bad = 0;
    char shown[48];
    for (const cJSON *m = states->child; m; m = m->next) {
        kb_diag_show(shown, sizeof shown, m->string);
        if (!id_ok(m->string)) {
            ERR(L, "states",
                "'%s' is not a valid state id: use 1 to %d lowercase letters, digits or '_'", shown,
                KB_SCRIPT_ID_MAX);
            bad = -1;
            continue;
        }
        if (kb_flow_state(f, m->string)) {
            ERR(L, "states", "state '%s' is written twice", shown);
            bad = -1;
            continue;
        }
        struct kb_state_def *st = &f->states[f->nstates];
        st->id = strdup(m->string);
        if (!st->id) {
            ERR(L, "states", "out of memory");
            return -1;
        }
        f->nstates++;
        bad |= parse_state(L, m, st);
    }
    return bad;
}

static int parse_flow(struct loader *L, const cJSON *root, struct kb_flow_def *f)
{
    if (!cJSON_IsObject(root)) {
        ERR(L, NULL, "the file must hold one object in { }");
        return -1;
    }
    int bad = check_fields(L, root, "", flow_fields) ? -1 : 0;
    bad |= take_str(L, root, "", "flow", STR_ID, 1, &f->id);
    bad |= take_str(L, root, "", "first", STR_ID, 1, &f->first);

    const cJSON *cmds = get_array(L, root, "", "commands", SCRIPT_COMMANDS_MAX, &bad);
    if (cmds && cJSON_GetArraySize(cmds) > 0) {
        f->commands = calloc((size_t)cJSON_GetArraySize(cmds), sizeof *f->commands);
        if (!f->commands) {
            ERR(L, "commands", "out of memory");
            return -1;
        }
        const cJSON *c;
        cJSON_ArrayForEach(c, cmds)
        {
            char where[64];
            snprintf(where, sizeof where, "commands[%zu]", f->ncommands);
            if (!cJSON_IsString(c)) {
                ERR(L, where, "must be a command name in double quotes, without '/'");
                bad = -1;
                continue;
            }
            if (check_str(L, where, c->valuestring, STR_ID) != 0) {
                bad = -1;
                continue;
            }
            f->commands[f->ncommands] = strdup(c->valuestring);
            if (!f->commands[f->ncommands]) {
                ERR(L, where, "out of memory");
                return -1;
            }
            f->ncommands++;
        }
    }

    const cJSON *menu = get_obj(L, root, "", "menu", &bad);
    if (menu) {
        if (check_fields(L, menu, "menu", menu_fields))
            bad = -1;
        bad |= take_str(L, menu, "menu", "label", STR_KEY, 1, &f->menu_label);
        int64_t order = 0;
        int present;
        bad |= take_int(L, menu, "menu", "order", 1, 99, &order, &present);
        if (!present && f->menu_label) {
            ERR(L, "menu", "'order' is missing (1 is the top of the menu)");
            bad = -1;
        }
        f->menu_order = (int)order;
    }

    bad |= take_bool(L, root, "", "linked", &f->linked);
    int64_t minutes = 30;
    int present;
    bad |= take_int(L, root, "", "timeout_minutes", 1, 1440, &minutes, &present);
    f->timeout_s = (int)(present ? minutes : 30) * 60;

    const cJSON *states = get_obj(L, root, "", "states", &bad);
    if (states)
        bad |= parse_states(L, states, f);
    else if (!bad)
        bad = -1, ERR(L, NULL, "'states' is missing");
    return bad;
}

/* ---- files --------------------------------------------------------------------------------- */

/* Reads at most SCRIPT_FILE_MAX bytes of path; NULL after reporting. *len gets the length. */
static char *read_file(struct loader *L, const char *path, size_t *len)
{
    struct kb_buf b;
    kb_buf_init(&b, SCRIPT_FILE_MAX);
    int rc = kb_buf_read_file(&b, path);
    if (rc != 0) {
        ERR(L, NULL, rc == -2 ? "is larger than 1 MiB" : "cannot be read");
        kb_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    char *text = kb_buf_take(&b);
    if (!text)
        ERR(L, NULL, "out of memory");
    return text;
}

static int load_file(struct loader *L, const char *path, struct kb_flow_def *f)
{
    size_t len = 0;
    char *text = read_file(L, path, &len);
    if (!text)
        return -1;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        int line = 1;
        for (const char *p = text; end && p < end && p < text + len; p++)
            line += *p == '\n';
        ERR(L, NULL,
            "is not valid JSON near line %d (look for a missing comma, quote or brace "
            "there or just before)",
            line);
        free(text);
        return -1;
    }
    free(text);
    int rc = parse_flow(L, root, f);
    cJSON_Delete(root);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the sorted names of the *.json files in dir into *names (at most max + 1 of them,
 * so the caller can tell "too many"). Returns 0; 1 when dir does not exist; -1 when out of
 * memory or dir exists but cannot be read. */
static int list_json(const char *dir, char ***names, size_t *n, size_t max)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        struct stat sb;
        return stat(dir, &sb) != 0 ? 1 : -1;
    }
    char **v = calloc(max + 1, sizeof *v);
    if (!v) {
        closedir(d);
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL && *n <= max) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 || len > SCRIPT_NAME_MAX ||
            strcmp(e->d_name + len - 5, ".json") != 0 || !strcmp(e->d_name, KB_POLICY_FILE) ||
            !strcmp(e->d_name, "reminders.json")) /* data of src/career/reminders.c */
            continue;
        v[*n] = strdup(e->d_name);
        if (!v[*n]) {
            rc = -1;
            break;
        }
        (*n)++;
    }
    closedir(d);
    qsort(v, *n, sizeof *v, cmp_names);
    *names = v;
    return rc;
}

static int has_name(char **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], name))
            return 1;
    return 0;
}

struct kb_script *kb_script_load(const char *defaults_dir, const char *override_dir,
                                 struct kb_diag *diag)
{
    size_t errors_before = diag->errors;
    struct kb_script *s = calloc(1, sizeof *s);
    char **dnames = NULL, **onames = NULL, **all = NULL;
    size_t nd = 0, no = 0, nall = 0;
    char dir[4096], odir[4096];
    struct loader top = {.diag = diag, .file = "dialogs"};
    if (!s) {
        ERR(&top, NULL, "out of memory");
        goto done;
    }

    int len = snprintf(dir, sizeof dir, "%s/dialogs", defaults_dir);
    if (len < 0 || (size_t)len >= sizeof dir) {
        ERR(&top, NULL, "the directory name %s is too long", defaults_dir);
        goto done;
    }
    int rc = list_json(dir, &dnames, &nd, SCRIPT_FLOWS_MAX);
    if (rc != 0) {
        ERR(&top, NULL, "cannot read the shipped directory %s", dir);
        goto done;
    }
    if (override_dir) {
        len = snprintf(odir, sizeof odir, "%s/dialogs", override_dir);
        if (len < 0 || (size_t)len >= sizeof odir) {
            ERR(&top, NULL, "the directory name %s is too long", override_dir);
            goto done;
        }
        rc = list_json(odir, &onames, &no, SCRIPT_FLOWS_MAX);
        if (rc < 0) {
            ERR(&top, NULL, "cannot read the override directory %s", odir);
            goto done;
        }
    }
    /* The union of both directories: an override file replaces the shipped file of the same
     * name whole, and a new name adds a flow. */
    all = calloc(nd + no + 1, sizeof *all);
    if (!all) {
        ERR(&top, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nd; i++)
        all[nall++] = dnames[i];
    for (size_t i = 0; i < no; i++)
        if (!has_name(dnames, nd, onames[i]))
            all[nall++] = onames[i];
    qsort(all, nall, sizeof *all, cmp_names);
    if (nall > SCRIPT_FLOWS_MAX) {
        ERR(&top, NULL, "more than %d flow files; karirbot reads at most %d", SCRIPT_FLOWS_MAX,
            SCRIPT_FLOWS_MAX);
        goto done;
    }
    s->flows = calloc(nall ? nall : 1, sizeof *s->flows);
    if (!s->flows) {
        ERR(&top, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nall; i++) {
        int over = has_name(onames, no, all[i]);
        char path[4096 + SCRIPT_NAME_MAX + 2], shown[4096 + SCRIPT_NAME_MAX + 2];
        snprintf(path, sizeof path, "%s/%s", over ? odir : dir, all[i]);
        /* Shipped files are named as HR sees them in the package; an override by its full
         * path, so that the message points at the file to edit. */
        if (over)
            snprintf(shown, sizeof shown, "%s", path);
        else
            snprintf(shown, sizeof shown, "dialogs/%s", all[i]);
        struct kb_flow_def *f = &s->flows[s->nflows++];
        f->file = strdup(shown);
        if (!f->file) {
            ERR(&top, NULL, "out of memory");
            goto done;
        }
        struct loader L = {.diag = diag, .file = f->file};
        load_file(&L, path, f);
    }

done:
    free_strv(dnames, nd);
    free_strv(onames, no);
    free(all);
    if (diag->errors != errors_before) {
        kb_script_free(s);
        return NULL;
    }
    return s;
}
