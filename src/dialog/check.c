/* check: the semantic checker behind `karirbot check`. The loader (script.c) has made sure each
 * file is well-formed; this file judges the script as a whole against the format's rules
 * (/tmp/format.md, dialogs/README.md) and the message catalogs:
 *   - every message key a dialog names, and the reserved ones, exists in id and in en;
 *   - every target, action and validator exists, and a validator's options suit it;
 *   - one flow per id and per command, a "menu" flow for /menu and /batal;
 *   - each state has one of the shapes the engine runs, is reachable from its flow's first
 *     state, and no loop is made only of `next` links (it would never wait for the user);
 *   - no message can grow past Telegram's 4096 characters once its variables are filled in;
 *   - every text is HTML Telegram accepts: only its tags, balanced, and `&` only in entities
 *     (a text it rejects is a message that is never delivered);
 *   - no chain of decisions and `next` links can come back to where it started without
 *     waiting for the user (a warning: the engine stops such a chain after 16 moves).
 * Callback data needs no check: a button's callback_data is a fixed-length opaque token the
 * engine issues (DESIGN invariant 6), never text taken from these files, so it cannot pass
 * Telegram's 64 bytes whatever a dialog says. */
#include "karirbot/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/actions.h"
#include "karirbot/buf.h"
#include "karirbot/locale.h"
#include "karirbot/textsplit.h"
#include "karirbot/validate.h"

#include "karirbot/diag.h"

static const char *const langs[] = {"id", "en"};
#define NLANGS (sizeof langs / sizeof langs[0])

/* Keys the engine shows in every flow, whatever the dialogs say. */
static const char *const reserved_keys[] = {
    "btn_back", "btn_prev",    "btn_next",   "help_general", "needs_link", "sal_bapak",
    "sal_ibu",  "sal_unknown", "greet_pagi", "greet_siang",  "greet_sore", "greet_malam"};

/* Commands the engine answers itself in any state (DESIGN invariant 5). */
static const char *const reserved_commands[] = {"batal", "bantuan"};

/* The longest value each message variable can take, in characters; a variable not listed may
 * be anything an action gives, up to VAR_LEN_OTHER. */
static const struct {
    const char *name;
    size_t len;
} var_lens[] = {
    {"name", 64}, /* a user's name as Telegram gives it (first + last name, 64 each) is cut
                     to 64 by the engine */
    {"got", 20},  /* validator numbers: int64 with thousands separators fits 20+ */
    {"want", 20},
    {"bound", 20}, /* a written date: "30 September 2027" */
};
#define VAR_LEN_OTHER 256

struct checker {
    const struct kb_script *s;
    const struct kb_locale *loc;
    struct kb_diag *diag;
};

#define ERR(C, file, where, ...)  kb_diag_add((C)->diag, KB_DIAG_ERROR, file, where, __VA_ARGS__)
#define WARN(C, file, where, ...) kb_diag_add((C)->diag, KB_DIAG_WARNING, file, where, __VA_ARGS__)

/* ---- message keys -------------------------------------------------------------------------- */

/* Visible length of tmpl with each {variable} at its longest; the variables met are listed in
 * used (", {name} as 64"), bounded by its size. */
static size_t longest_len(const char *tmpl, char *used, size_t cap)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 22);
    size_t extra = 0; /* characters of variables that did not fit in b (cannot happen) */
    used[0] = '\0';
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        size_t n = close ? (size_t)(close - p - 1) : 0;
        int is_var = close && n >= 1 && n <= 32 &&
                     strspn(p + 1, "abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
        if (!is_var) {
            if (kb_buf_add(&b, p, 1) != 0)
                extra++;
            p++;
            continue;
        }
        size_t len = VAR_LEN_OTHER;
        for (size_t i = 0; i < sizeof var_lens / sizeof var_lens[0]; i++)
            if (strlen(var_lens[i].name) == n && !strncmp(var_lens[i].name, p + 1, n))
                len = var_lens[i].len;
        size_t off = strlen(used);
        if (off + n + 16 < cap)
            snprintf(used + off, cap - off, "%s{%.*s} as %zu", off ? ", " : "", (int)n, p + 1, len);
        for (size_t i = 0; i < len; i++)
            if (kb_buf_add(&b, "x", 1) != 0)
                extra++;
        p = close + 1;
    }
    size_t vis = kb_html_visible_len(b.data ? b.data : "", b.len) + extra;
    kb_buf_free(&b);
    return vis;
}

/* Checks that key exists in every language; with measure set, also that the message fits in
 * one Telegram message. */
static void check_key(struct checker *C, const char *file, const char *where, const char *key,
                      int measure)
{
    if (!C->loc || !key)
        return;
    const char *text[NLANGS];
    size_t missing = 0;
    for (size_t i = 0; i < NLANGS; i++) {
        text[i] = kb_locale_text(C->loc, langs[i], key);
        missing += !text[i];
    }
    if (missing == NLANGS) {
        ERR(C, file, where,
            "unknown message key '%s' (in neither locales/id.json nor "
            "locales/en.json)",
            key);
        return;
    }
    for (size_t i = 0; i < NLANGS; i++)
        if (!text[i])
            ERR(C, file, where, "message key '%s' is missing in locales/%s.json", key, langs[i]);
    for (size_t i = 0; measure && i < NLANGS; i++) {
        if (!text[i])
            continue;
        char used[256];
        size_t len = longest_len(text[i], used, sizeof used);
        if (len > KB_TEXT_LIMIT)
            WARN(C, file, where,
                 "message '%s' in %s can reach %zu characters%s%s%s, more than the %d Telegram "
                 "shows in one message; shorten it",
                 key, langs[i], len, *used ? " (counting " : "", used, *used ? ")" : "",
                 KB_TEXT_LIMIT);
    }
}

/* ---- HTML ----------------------------------------------------------------------------------- */

/* The tags of Telegram's HTML style that karirbot texts may use. */
static const char *const html_tags[] = {"b", "i", "u", "s", "code", "pre", "a", "tg-spoiler"};

struct html_walk {
    struct checker *C;
    const char *lang;
};

/* Returns NULL when text is HTML Telegram accepts, else why not (a static string). */
static const char *html_problem(const char *text, char *buf, size_t cap)
{
    const char *stack[8];
    size_t depth = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '&') {
            size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz#0123456789");
            if (p[1 + n] != ';' || n == 0)
                return "'&' outside an entity: write &amp;";
            static const char *const named[] = {"lt", "gt", "amp", "quot"};
            int ok = p[1] == '#';
            for (size_t i = 0; !ok && i < sizeof named / sizeof *named; i++)
                ok = strlen(named[i]) == n && !strncmp(p + 1, named[i], n);
            if (!ok)
                return "unknown entity: only &lt; &gt; &amp; &quot; and &#number; work";
            continue;
        }
        if (*p == '>')
            return "'>' outside a tag: write &gt;";
        if (*p != '<')
            continue;
        const char *end = strchr(p, '>');
        if (!end)
            return "'<' that starts no tag: write &lt;";
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t n = strcspn(name, " >");
        size_t t = 0;
        while (t < sizeof html_tags / sizeof *html_tags &&
               (strlen(html_tags[t]) != n || strncmp(html_tags[t], name, n) != 0))
            t++;
        if (t == sizeof html_tags / sizeof *html_tags) {
            snprintf(buf, cap, "tag <%.*s> is not one Telegram knows (b, i, u, s, code, pre, a)",
                     (int)(n < 20 ? n : 20), name);
            return buf;
        }
        if (closing) {
            if (depth == 0 || stack[depth - 1] != html_tags[t]) {
                snprintf(buf, cap, "</%s> closes a tag that is not open", html_tags[t]);
                return buf;
            }
            depth--;
        } else {
            if (depth == sizeof stack / sizeof *stack)
                return "tags nested too deep";
            stack[depth++] = html_tags[t];
        }
        p = end;
    }
    if (depth) {
        snprintf(buf, cap, "<%s> is never closed", stack[depth - 1]);
        return buf;
    }
    return NULL;
}

const char *kb_html_problem(const char *text, char *buf, size_t cap)
{
    return html_problem(text, buf, cap);
}

static void check_html_one(void *ctx, const char *key, const char *text)
{
    struct html_walk *w = ctx;
    char buf[128], file[32];
    const char *why = html_problem(text, buf, sizeof buf);
    snprintf(file, sizeof file, "locales/%s", w->lang);
    if (why)
        ERR(w->C, file, key, "%s", why);
}

static void check_html(struct checker *C)
{
    for (size_t i = 0; i < NLANGS; i++) {
        struct html_walk w = {C, langs[i]};
        kb_locale_each(C->loc, langs[i], check_html_one, &w);
    }
}

/* ---- targets ------------------------------------------------------------------------------- */

/* Resolves target t from flow f to a flow and state (both NULL for @end). Returns 0, or -1
 * when it names nothing that exists. */
static int resolve(const struct kb_script *s, const struct kb_flow_def *f, const char *t,
                   const struct kb_flow_def **tf, const struct kb_state_def **ts)
{
    *tf = NULL;
    *ts = NULL;
    if (!strcmp(t, "@end"))
        return 0;
    const char *flow = NULL;
    if (!strcmp(t, "@menu"))
        flow = "menu";
    else if (!strcmp(t, "@help"))
        flow = "help";
    else if (!strncmp(t, "flow:", 5))
        flow = t + 5;
    if (flow) {
        *tf = kb_script_flow(s, flow);
        *ts = *tf ? kb_flow_state(*tf, (*tf)->first) : NULL;
        return *tf ? 0 : -1;
    }
    *tf = f;
    *ts = kb_flow_state(f, t);
    return *ts ? 0 : -1;
}

static void check_target(struct checker *C, const struct kb_flow_def *f, const char *where,
                         const char *t)
{
    const struct kb_flow_def *tf;
    const struct kb_state_def *ts;
    if (!t || resolve(C->s, f, t, &tf, &ts) == 0)
        return;
    if (!strcmp(t, "@menu") || !strcmp(t, "@help") || !strncmp(t, "flow:", 5))
        ERR(C, f->file, where, "unknown flow in target '%s': no file has \"flow\": \"%s\"", t,
            t[0] == '@' ? t + 1 : t + 5);
    else
        ERR(C, f->file, where, "unknown target '%s': flow '%s' has no such state", t, f->id);
}

/* ---- states -------------------------------------------------------------------------------- */

/* The options of struct kb_ask_def each validator uses; the others are ignored by it. */
static const struct {
    const char *validator;
    const char *options; /* space-separated */
} ask_options[] = {
    {"integer", "min max"},
    {"text", "min_len max_len"},
    {"date", "min_date max_date"},
    {"choice", "choices"},
};

static int option_used(const char *validator, const char *option)
{
    for (size_t i = 0; i < sizeof ask_options / sizeof ask_options[0]; i++) {
        if (strcmp(ask_options[i].validator, validator) != 0)
            continue;
        size_t n = strlen(option);
        for (const char *p = ask_options[i].options; *p; p += strcspn(p, " "), p += *p == ' ')
            if (strcspn(p, " ") == n && !strncmp(p, option, n))
                return 1;
    }
    return 0;
}

static void check_ask(struct checker *C, const struct kb_flow_def *f, const char *base,
                      const struct kb_ask_def *a)
{
    if (!kb_validator_known(a->validator)) {
        ERR(C, f->file, base,
            "unknown validator '%s' (known: nip, nip_or_ni_pppk, date, integer, text, file, "
            "choice, yes_no)",
            a->validator);
        return;
    }
    const struct {
        const char *name;
        int given;
    } given[] = {
        {"min", a->has_min},
        {"max", a->has_max},
        {"min_len", a->min_len > 0},
        {"max_len", a->max_len > 0},
        {"min_date", a->min_date != NULL},
        {"max_date", a->max_date != NULL},
        {"choices", a->nchoices > 0},
    };
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
        if (given[i].given && !option_used(a->validator, given[i].name))
            WARN(C, f->file, base, "validator '%s' does not use option '%s'", a->validator,
                 given[i].name);
    /* Whether the options are usable is the validator's own judgement: ask it once. */
    struct kb_validate_opts o = {.today = "2026-01-01",
                                 .has_min = a->has_min,
                                 .has_max = a->has_max,
                                 .min = a->min,
                                 .max = a->max,
                                 .min_len = a->min_len,
                                 .max_len = a->max_len,
                                 .min_date = a->min_date,
                                 .max_date = a->max_date,
                                 .choices = (const char *const *)a->choices,
                                 .nchoices = a->nchoices};
    struct kb_valid *v = malloc(sizeof *v);
    if (!v)
        return;
    if (kb_validate(a->validator, &o, "1", v) == KB_INVALID_BAD_OPTS)
        ERR(C, f->file, base,
            "the options do not suit validator '%s' (is min above max, a date impossible, or "
            "a choice list missing?)",
            a->validator);
    free(v);
}

static void check_state(struct checker *C, const struct kb_flow_def *f,
                        const struct kb_state_def *st)
{
    char base[64], where[128];
    const char *file = f->file;
    snprintf(base, sizeof base, "states.%s", st->id);
    int waits = st->nbuttons || st->list || st->ask;

    /* Shape. */
    if (st->nbranches) {
        if (!st->call)
            ERR(C, file, base,
                "a decision state (with branch) needs 'call': the action whose "
                "result picks the branch");
        const char *extra[] = {st->say ? "say" : NULL,   st->nbuttons ? "buttons" : NULL,
                               st->list ? "list" : NULL, st->ask ? "ask" : NULL,
                               st->next ? "next" : NULL, st->end ? "end" : NULL};
        for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
            if (extra[i])
                ERR(C, file, base, "a decision state (with branch) cannot have '%s'", extra[i]);
        int otherwise = 0;
        for (size_t i = 0; i < st->nbranches; i++)
            otherwise |= !strcmp(st->branches[i].result, "*");
        if (!otherwise)
            WARN(C, file, base,
                 "branch has no \"*\" (otherwise): an unexpected result ends "
                 "the flow");
    } else {
        if (!st->say)
            ERR(C, file, base,
                "'say' is missing (only a decision state, with branch, goes "
                "without)");
        if (!waits && !st->next && !st->end)
            ERR(C, file, base,
                "nothing happens after this state: give it buttons, list, ask, next or end");
        if (st->ask && st->list)
            ERR(C, file, base, "'ask' cannot be combined with 'list'");
        if (st->next && waits)
            ERR(C, file, base,
                "'next' cannot be combined with buttons, list or ask: it goes on at once");
        if (st->end && (waits || st->next))
            ERR(C, file, base, "'end' cannot be combined with buttons, list, ask or next");
    }
    if (st->save && !waits)
        WARN(C, file, base, "'save' has nothing to save: the state has no buttons, list or ask");

    /* Words. */
    snprintf(where, sizeof where, "%s.say", base);
    check_key(C, file, where, st->say, 1);
    snprintf(where, sizeof where, "%s.help", base);
    check_key(C, file, where, st->help, 1);

    /* Targets, actions, validators. */
    snprintf(where, sizeof where, "%s.next", base);
    check_target(C, f, where, st->next);
    for (size_t i = 0; i < st->nbranches; i++) {
        snprintf(where, sizeof where, "%s.branch.%s", base, st->branches[i].result);
        check_target(C, f, where, st->branches[i].target);
    }
    for (size_t i = 0; i < st->nbuttons; i++) {
        const struct kb_button_def *b = &st->buttons[i];
        snprintf(where, sizeof where, "%s.buttons[%zu]", base, i);
        check_key(C, file, where, b->label, 0);
        check_target(C, f, where, b->next);
        if (b->value && !st->save)
            WARN(C, file, where, "'value' is not saved: the state has no 'save'");
    }
    if (st->call && !kb_action_known(st->call)) {
        snprintf(where, sizeof where, "%s.call", base);
        ERR(C, file, where, "unknown action '%s'", st->call);
    }
    if (st->list) {
        snprintf(where, sizeof where, "%s.list", base);
        if (!kb_action_known(st->list->action))
            ERR(C, file, where, "unknown action '%s'", st->list->action);
        check_target(C, f, where, st->list->next);
    }
    if (st->ask) {
        snprintf(where, sizeof where, "%s.ask", base);
        check_ask(C, f, where, st->ask);
        check_target(C, f, where, st->ask->next);
    }
}

/* ---- reachability and loops ---------------------------------------------------------------- */

static size_t state_index(const struct kb_flow_def *f, const struct kb_state_def *st)
{
    return (size_t)(st - f->states);
}

/* Marks the states of f reachable from its first state; reports the others. */
static void check_reachable(struct checker *C, const struct kb_flow_def *f)
{
    const struct kb_state_def *first = kb_flow_state(f, f->first);
    if (!first) {
        ERR(C, f->file, "first", "unknown state '%s': flow '%s' has no such state", f->first,
            f->id);
        return;
    }
    unsigned char *seen = calloc(f->nstates, 1);
    size_t *queue = calloc(f->nstates, sizeof *queue);
    if (!seen || !queue)
        goto done;
    size_t head = 0, tail = 0;
    seen[state_index(f, first)] = 1;
    queue[tail++] = state_index(f, first);
    while (head < tail) {
        const struct kb_state_def *st = &f->states[queue[head++]];
        const char *targets[3 + 32 + 16];
        size_t n = 0;
        targets[n++] = st->next;
        targets[n++] = st->list ? st->list->next : NULL;
        targets[n++] = st->ask ? st->ask->next : NULL;
        for (size_t i = 0; i < st->nbranches && n < sizeof targets / sizeof *targets; i++)
            targets[n++] = st->branches[i].target;
        for (size_t i = 0; i < st->nbuttons && n < sizeof targets / sizeof *targets; i++)
            targets[n++] = st->buttons[i].next;
        for (size_t i = 0; i < n; i++) {
            const struct kb_state_def *to = targets[i] ? kb_flow_state(f, targets[i]) : NULL;
            if (to && !seen[state_index(f, to)]) {
                seen[state_index(f, to)] = 1;
                queue[tail++] = state_index(f, to);
            }
        }
    }
    for (size_t i = 0; i < f->nstates; i++) {
        if (seen[i])
            continue;
        char where[64];
        snprintf(where, sizeof where, "states.%s", f->states[i].id);
        ERR(C, f->file, where,
            "unreachable: no next, branch, button, list or ask leads here "
            "from the first state '%s'",
            f->first);
    }
done:
    free(seen);
    free(queue);
}

/* Finds loops made only of `next` links, across flows too (flow:x, @menu and @help lead to a
 * first state). Each state has at most one `next`, so following them from any state either
 * ends or comes back to a state met on the way. */
static void check_next_loops(struct checker *C)
{
    const struct kb_script *s = C->s;
    size_t total = 0;
    size_t *offset = calloc(s->nflows + 1, sizeof *offset);
    if (!offset)
        return;
    for (size_t i = 0; i < s->nflows; i++) {
        offset[i] = total;
        total += s->flows[i].nstates;
    }
    unsigned char *color = calloc(total ? total : 1, 1); /* 0 new, 1 on this walk, 2 done */
    size_t *walk = calloc(total ? total : 1, sizeof *walk);
    if (!color || !walk)
        goto done;
    for (size_t fi = 0; fi < s->nflows; fi++) {
        for (size_t si = 0; si < s->flows[fi].nstates; si++) {
            size_t n = 0, node = offset[fi] + si;
            const struct kb_flow_def *f = &s->flows[fi];
            const struct kb_state_def *st = &f->states[si];
            int looped = 0;
            while (color[node] == 0) {
                color[node] = 1;
                walk[n++] = node;
                const struct kb_flow_def *tf;
                const struct kb_state_def *ts;
                if (!st->next || resolve(s, f, st->next, &tf, &ts) != 0 || !ts)
                    break;
                f = tf;
                st = ts;
                node = offset[(size_t)(tf - s->flows)] + state_index(tf, ts);
                looped = color[node] == 1; /* back at a state of this walk */
            }
            if (looped) {
                /* The loop starts at node (st): name its states in order. */
                char path[512] = "";
                size_t start = 0;
                while (walk[start] != node)
                    start++;
                for (size_t k = start; k < n; k++) {
                    size_t w = walk[k], fx = 0;
                    while (fx + 1 < s->nflows && offset[fx + 1] <= w)
                        fx++;
                    size_t off = strlen(path);
                    snprintf(path + off, sizeof path - off, "%s%s%s -> ",
                             fx == (size_t)(f - s->flows) ? "" : s->flows[fx].id,
                             fx == (size_t)(f - s->flows) ? "" : ":",
                             s->flows[fx].states[w - offset[fx]].id);
                }
                size_t off = strlen(path);
                snprintf(path + off, sizeof path - off, "%s", st->id);
                char where[64];
                snprintf(where, sizeof where, "states.%s", st->id);
                ERR(C, f->file, where,
                    "the next links make a loop that never waits for the user: %s", path);
            }
            for (size_t k = 0; k < n; k++)
                color[walk[k]] = 2;
        }
    }
done:
    free(offset);
    free(color);
    free(walk);
}

/* Finds chains of decisions (branch) and `next` links that can come back to a state of the
 * chain without any state in it waiting for the user. Loops of `next` alone are errors above;
 * with a branch the way out depends on an action's answer, so this is a warning. */
struct dloop {
    const struct kb_script *s;
    size_t *offset;
    unsigned char *color;
    int found;
};

static int waits(const struct kb_state_def *st)
{
    return st->nbuttons || st->list || st->ask || st->end;
}

static void dloop_visit(struct checker *C, struct dloop *D, const struct kb_flow_def *f,
                        const struct kb_state_def *st, int depth)
{
    size_t node = D->offset[(size_t)(f - D->s->flows)] + state_index(f, st);
    if (D->color[node] == 1) {
        char where[64];
        snprintf(where, sizeof where, "states.%s", st->id);
        if (!D->found++)
            WARN(C, f->file, where,
                 "a branch can lead back to this state without waiting for the user; make "
                 "sure the action's answer changes, or put a question in between");
        return;
    }
    if (D->color[node] || waits(st) || depth > 64)
        return;
    D->color[node] = 1;
    const char *targets[1 + 16];
    size_t n = 0;
    if (st->next)
        targets[n++] = st->next;
    for (size_t i = 0; i < st->nbranches && n < sizeof targets / sizeof *targets; i++)
        targets[n++] = st->branches[i].target;
    for (size_t i = 0; i < n; i++) {
        const struct kb_flow_def *tf;
        const struct kb_state_def *ts;
        if (resolve(D->s, f, targets[i], &tf, &ts) == 0 && ts)
            dloop_visit(C, D, tf, ts, depth + 1);
    }
    D->color[node] = 2;
}

static void check_decision_loops(struct checker *C)
{
    const struct kb_script *s = C->s;
    struct dloop D = {.s = s};
    size_t total = 0;
    D.offset = calloc(s->nflows + 1, sizeof *D.offset);
    for (size_t i = 0; D.offset && i < s->nflows; i++) {
        D.offset[i] = total;
        total += s->flows[i].nstates;
    }
    D.color = calloc(total ? total : 1, 1);
    for (size_t fi = 0; D.offset && D.color && fi < s->nflows; fi++) {
        for (size_t si = 0; si < s->flows[fi].nstates; si++) {
            const struct kb_state_def *st = &s->flows[fi].states[si];
            if (!st->nbranches)
                continue;
            memset(D.color, 0, total);
            D.found = 0;
            dloop_visit(C, &D, &s->flows[fi], st, 0);
        }
    }
    free(D.offset);
    free(D.color);
}

/* ---- flows --------------------------------------------------------------------------------- */

static void check_flows(struct checker *C)
{
    const struct kb_script *s = C->s;
    for (size_t i = 0; i < s->nflows; i++) {
        const struct kb_flow_def *f = &s->flows[i];
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->flows[j].id, f->id))
                ERR(C, f->file, "flow", "flow id '%s' is already used by %s", f->id,
                    s->flows[j].file);
        /* The file name is what an override replaces; a different flow id confuses that. */
        const char *slash = strrchr(f->file, '/');
        const char *name = slash ? slash + 1 : f->file;
        size_t idlen = strlen(f->id);
        if (strncmp(name, f->id, idlen) != 0 || strcmp(name + idlen, ".json") != 0)
            WARN(C, f->file, "flow",
                 "flow '%s' is in a file named differently; call the file "
                 "%s.json",
                 f->id, f->id);
        for (size_t c = 0; c < f->ncommands; c++) {
            char where[64];
            snprintf(where, sizeof where, "commands[%zu]", c);
            const char *cmd = f->commands[c];
            for (size_t r = 0; r < sizeof reserved_commands / sizeof *reserved_commands; r++)
                if (!strcmp(cmd, reserved_commands[r]))
                    ERR(C, f->file, where,
                        "/%s is answered by karirbot itself in every state; "
                        "a flow cannot claim it",
                        cmd);
            if (!strcmp(cmd, "menu") && strcmp(f->id, "menu") != 0)
                ERR(C, f->file, where, "/menu belongs to the flow 'menu'");
            for (size_t j = 0; j < i; j++)
                for (size_t k = 0; k < s->flows[j].ncommands; k++)
                    if (!strcmp(s->flows[j].commands[k], cmd))
                        ERR(C, f->file, where, "command /%s is already claimed by flow '%s' (%s)",
                            cmd, s->flows[j].id, s->flows[j].file);
            for (size_t k = 0; k < c; k++)
                if (!strcmp(f->commands[k], cmd))
                    ERR(C, f->file, where, "command /%s is listed twice", cmd);
        }
        if (f->menu_label) {
            check_key(C, f->file, "menu.label", f->menu_label, 0);
            for (size_t j = 0; j < i; j++)
                if (s->flows[j].menu_label && s->flows[j].menu_order == f->menu_order)
                    WARN(C, f->file, "menu.order",
                         "order %d is also used by flow '%s'; the menu order between them is "
                         "by file name",
                         f->menu_order, s->flows[j].id);
        }
        check_reachable(C, f);
        for (size_t k = 0; k < f->nstates; k++)
            check_state(C, f, &f->states[k]);
    }
    if (!kb_script_flow(s, "menu"))
        ERR(C, "dialogs", NULL,
            "no flow 'menu': /menu and /batal need the main menu (dialogs/menu.json)");
}

int kb_script_check(const struct kb_script *s, const struct kb_locale *loc, struct kb_diag *diag)
{
    size_t before = diag->errors;
    struct checker C = {.s = s, .loc = loc, .diag = diag};
    if (loc) {
        for (size_t i = 0; i < sizeof reserved_keys / sizeof *reserved_keys; i++)
            check_key(&C, "locales", NULL, reserved_keys[i], 0);
        /* The engine renders a refused answer's reason key; only a script that asks needs
         * them. */
        int asks = 0;
        for (size_t i = 0; i < s->nflows; i++)
            for (size_t j = 0; j < s->flows[i].nstates; j++)
                asks |= s->flows[i].states[j].ask != NULL;
        for (int r = KB_INVALID_EMPTY; asks && r < KB_INVALID__COUNT; r++)
            check_key(&C, "locales", NULL, kb_invalid_key(r), 0);
    }
    check_flows(&C);
    check_next_loops(&C);
    check_decision_loops(&C);
    if (loc)
        check_html(&C);
    return diag->errors == before ? 0 : -1;
}
