/* test_script: unit tests of the dialog script loader (src/dialog/script.c) and checker
 * (src/dialog/check.c).
 *
 * tests/fixtures/dialogs-ok holds a script with every kind of state; it must load into the
 * expected structs and check without a single line. tests/fixtures/dialogs-broken/<kind> holds
 * one mistake each, on top of the locales in dialogs-broken/common (a kind's own locales/
 * overrides entries of those): each must yield exactly one error, with the expected text.
 * The bounds (file size, number of flows) are tested on files written at run time. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "karirbot/actions.h"
#include "karirbot/check.h"
#include "karirbot/locale.h"
#include "karirbot/script.h"

#include "check.h"

#define FIXTURES KB_SOURCE_DATA_DIR "/tests/fixtures"

/* The scratch directory given by CMake, or /tmp when run by hand. */
static const char *tmp_dir(void)
{
    const char *d = getenv("KARIRBOT_TEST_TMP");
    return d && *d ? d : "/tmp";
}

/* Shows the lines of d once a check has failed, to see why. */
static void print_diag(const struct kb_diag *d)
{
    if (!checks_failed)
        return;
    for (size_t i = 0; i < d->nlines; i++)
        fprintf(stderr, "    | %s\n", d->lines[i]);
}

/* Loads and checks dialogs from dir with the catalogs of locales_dir (overridden by the ones
 * in dir, if any) and returns the diag; *nflows gets the number of flows loaded. */
static struct kb_diag load_and_check(const char *dir, const char *locales_dir, size_t *nflows)
{
    struct kb_diag d = {0};
    struct kb_locale *loc = kb_locale_load(locales_dir, dir);
    CHECK(loc != NULL);
    struct kb_script *s = kb_script_load(dir, NULL, &d);
    *nflows = s ? s->nflows : 0;
    if (s)
        kb_script_check(s, loc, &d);
    kb_script_free(s);
    kb_locale_free(loc);
    return d;
}

static void test_ok_fixture_loads(void)
{
    struct kb_diag d = {0};
    struct kb_script *s = kb_script_load(FIXTURES "/dialogs-ok", NULL, &d);
    CHECK(s != NULL);
    CHECK(d.nlines == 0 && d.errors == 0 && d.warnings == 0);
    print_diag(&d);
    if (!s)
        return;
    CHECK(s->nflows == 3);
    const struct kb_flow_def *a = kb_script_flow(s, "a");
    CHECK(a != NULL);
    if (!a)
        goto done;
    CHECK_STR(a->file, "dialogs/a.json");
    CHECK(kb_script_flow_for_command(s, "mulai_a") == a);
    CHECK(kb_script_flow_for_command(s, "help") == kb_script_flow(s, "help"));
    CHECK(kb_script_flow_for_command(s, "nothing") == NULL);
    CHECK(kb_script_flow(s, "nothing") == NULL);
    CHECK_STR(a->menu_label, "menu_a");
    CHECK(a->menu_order == 1);
    CHECK(a->timeout_s == 45 * 60);
    CHECK(kb_script_flow(s, "menu")->timeout_s == 30 * 60);
    CHECK(kb_script_flow(s, "menu")->menu_label == NULL);
    CHECK_STR(a->first, "decide");
    CHECK(a->nstates == 7);

    const struct kb_state_def *st = kb_flow_state(a, "decide");
    CHECK(st && st->nbranches == 3 && st->say == NULL);
    if (st && st->nbranches == 3) {
        CHECK_STR(st->call, "account_status");
        CHECK_STR(st->branches[0].result, "linked"); /* in file order */
        CHECK_STR(st->branches[1].target, "flow:help");
        CHECK_STR(st->branches[2].result, "*");
    }
    st = kb_flow_state(a, "choose");
    CHECK(st && st->nbuttons == 2 && st->back == 1 && st->end == 0);
    if (st && st->nbuttons == 2) {
        CHECK_STR(st->buttons[0].value, "ya");
        CHECK(st->buttons[1].value == NULL);
        CHECK_STR(st->buttons[1].next, "@menu");
        CHECK_STR(st->save, "answer");
    }
    st = kb_flow_state(a, "age");
    CHECK(st && st->ask && st->ask->has_min && st->ask->has_max);
    if (st && st->ask) {
        CHECK(st->ask->min == 17 && st->ask->max == 70);
        CHECK_STR(st->ask->validator, "integer");
        CHECK_STR(st->help, "help_ask");
    }
    st = kb_flow_state(a, "when");
    CHECK(st && st->ask && !st->ask->has_min);
    if (st && st->ask) {
        CHECK_STR(st->ask->min_date, "today");
        CHECK_STR(st->ask->max_date, "2030-12-31");
    }
    st = kb_flow_state(a, "lang");
    CHECK(st && st->list && st->list->page_size == 4);
    const struct kb_state_def *m = kb_flow_state(kb_script_flow(s, "menu"), "main");
    CHECK(m && m->list && m->list->page_size == 8 && m->list->next == NULL);
    CHECK(kb_flow_state(a, "nothing") == NULL);
done:
    kb_script_free(s);
    kb_diag_free(&d);
}

static void test_ok_fixture_checks_clean(void)
{
    size_t n;
    struct kb_diag d = load_and_check(FIXTURES "/dialogs-ok", FIXTURES "/dialogs-ok", &n);
    CHECK(n == 3);
    CHECK(d.errors == 0 && d.warnings == 0 && d.nlines == 0);
    print_diag(&d);
    kb_diag_free(&d);
}

/* Each broken fixture and the one line it must produce (an fnmatch pattern). */
static const struct {
    const char *kind;
    const char *line;
} broken[] = {
    {"bad_json", "dialogs/a.json: is not valid JSON near line 4 *"},
    {"bad_id", "dialogs/a.json: flow: 'Mulai' is not a valid id: *"},
    {"bad_timeout", "dialogs/a.json: timeout_minutes: must be between 1 and 1440"},
    {"unknown_field", "dialogs/a.json: states.s1: unknown field 'sya'"},
    {"too_many_buttons", "dialogs/a.json: states.s1.buttons: has more than 16 entries"},
    {"missing_key", "dialogs/a.json: states.s1.say: unknown message key 'nosuch' *"},
    {"missing_en", "dialogs/a.json: states.s1.say: message key 'only_id' is missing in "
                   "locales/en.json"},
    {"unreachable", "dialogs/a.json: states.s2: unreachable: *"},
    {"unknown_target", "dialogs/a.json: states.s1.buttons\\[0]: unknown target 'nowhere': *"},
    {"unknown_flow", "dialogs/a.json: states.s1.next: unknown flow in target 'flow:ghost': *"},
    {"unknown_action", "dialogs/a.json: states.s1.call: unknown action 'fetch_everything'"},
    {"unknown_validator", "dialogs/a.json: states.s1.ask: unknown validator 'email' *"},
    {"bad_opts", "dialogs/a.json: states.s1.ask: the options do not suit validator 'integer' *"},
    {"duplicate_command", "dialogs/b.json: commands\\[0]: command /go is already claimed by flow "
                          "'a' (dialogs/a.json)"},
    {"duplicate_flow", "dialogs/b.json: flow: flow id 'a' is already used by dialogs/a.json"},
    {"next_loop", "dialogs/a.json: states.s1: the next links make a loop that never waits for "
                  "the user: s1 -> s2 -> s1"},
    {"decision_say", "dialogs/a.json: states.s1: a decision state (with branch) cannot have "
                     "'say'"},
    {"decision_no_call", "dialogs/a.json: states.s1: a decision state (with branch) needs "
                         "'call'*"},
    {"ask_list", "dialogs/a.json: states.s1: 'ask' cannot be combined with 'list'"},
    {"next_buttons", "dialogs/a.json: states.s1: 'next' cannot be combined with buttons, list "
                     "or ask*"},
    {"no_say", "dialogs/a.json: states.s1: 'say' is missing *"},
    {"dead_end", "dialogs/a.json: states.s1: nothing happens after this state*"},
    {"reserved_command", "dialogs/a.json: commands\\[0]: /batal is answered by karirbot itself*"},
    {"no_menu", "dialogs: no flow 'menu': *"},
    {"bad_html", "locales/id: html_bad: '&' outside an entity: write &amp;"},
};

/* A branch that can lead back without a question in between: a warning, not an error. */
static void test_decision_loop_warns(void)
{
    size_t n;
    struct kb_diag d = load_and_check(FIXTURES "/dialogs-broken/decision_loop",
                                      FIXTURES "/dialogs-broken/common", &n);
    CHECK(d.errors == 0 && d.warnings >= 1);
    int matched = 0;
    for (size_t k = 0; k < d.nlines; k++)
        matched += fnmatch("dialogs/a.json: states.d1: warning: a branch can lead back to this "
                           "state without waiting for the user*",
                           d.lines[k], 0) == 0;
    CHECK(matched == 1);
    print_diag(&d);
    kb_diag_free(&d);
}

static void test_broken_fixtures(void)
{
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/dialogs-broken/%s", FIXTURES, broken[i].kind);
        size_t n;
        struct kb_diag d = load_and_check(dir, FIXTURES "/dialogs-broken/common", &n);
        size_t errors = 0, matched = 0;
        for (size_t k = 0; k < d.nlines; k++) {
            if (strstr(d.lines[k], ": warning: "))
                continue;
            errors++;
            matched += fnmatch(broken[i].line, d.lines[k], 0) == 0;
        }
        CHECK(d.errors == 1 && errors == 1 && matched == 1);
        if (d.errors != 1 || matched != 1) {
            fprintf(stderr, "  fixture %s: want one error like \"%s\", got:\n", broken[i].kind,
                    broken[i].line);
            print_diag(&d);
        }
        kb_diag_free(&d);
    }
}

/* A missing reserved key is named with its language, once. */
static void test_reserved_key(void)
{
    size_t n;
    struct kb_diag d = load_and_check(FIXTURES "/dialogs-broken/reserved_key",
                                      FIXTURES "/dialogs-broken/reserved_key/own-locales", &n);
    CHECK(d.errors == 1 && d.nlines == 1);
    if (d.nlines >= 1)
        CHECK_STR(d.lines[0], "locales: message key 'btn_next' is missing in locales/en.json");
    print_diag(&d);
    kb_diag_free(&d);
}

/* A message that can pass 4096 characters is a warning that says how it counted. */
static void test_too_long_warns(void)
{
    size_t n;
    struct kb_diag d =
        load_and_check(FIXTURES "/dialogs-broken/too_long", FIXTURES "/dialogs-broken/common", &n);
    CHECK(d.errors == 0 && d.warnings == 1 && d.nlines == 1);
    if (d.nlines >= 1)
        CHECK(fnmatch("dialogs/a.json: states.s1.say: warning: message 'long_text' in id can "
                      "reach 4114 characters (counting {name} as 64), more than the 4096 *",
                      d.lines[0], 0) == 0);
    print_diag(&d);
    kb_diag_free(&d);
}

/* The loader refuses no problem without saying where; the checker is not reached. */
static void test_load_failure_returns_null(void)
{
    struct kb_diag d = {0};
    struct kb_script *s = kb_script_load(FIXTURES "/dialogs-broken/bad_json", NULL, &d);
    CHECK(s == NULL && d.errors == 1);
    kb_diag_free(&d);
    CHECK(d.lines == NULL && d.nlines == 0 && d.errors == 0);
    s = kb_script_load(FIXTURES "/no-such-dir", NULL, &d);
    CHECK(s == NULL && d.errors == 1);
    if (d.nlines)
        CHECK(strstr(d.lines[0], "cannot read the shipped directory") != NULL);
    kb_diag_free(&d);
}

static int write_file(const char *path, const char *text, size_t repeat)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    for (size_t i = 0; i < repeat; i++)
        fputs(text, f);
    return fclose(f);
}

static void make_dir(const char *path)
{
    mkdir(path, 0700);
}

/* An override file replaces the shipped one of the same name; a new name adds a flow; the
 * message names the override by its full path. */
static void test_override_replaces_and_adds(void)
{
    char dir[512], sub[600], path[700];
    snprintf(dir, sizeof dir, "%s/script-override", tmp_dir());
    snprintf(sub, sizeof sub, "%s/dialogs", dir);
    make_dir(dir);
    make_dir(sub);
    snprintf(path, sizeof path, "%s/help.json", sub);
    CHECK(write_file(path,
                     "{\"flow\": \"help\", \"first\": \"only\", \"states\": {\"only\": "
                     "{\"say\": \"done\", \"end\": true}}}",
                     1) == 0);
    snprintf(path, sizeof path, "%s/extra.json", sub);
    CHECK(write_file(path,
                     "{\"flow\": \"extra\", \"first\": \"s\", \"states\": {\"s\": "
                     "{\"say\": \"done\", \"next\": \"nowhere\"}}}",
                     1) == 0);
    struct kb_diag d = {0};
    struct kb_script *s = kb_script_load(FIXTURES "/dialogs-ok", dir, &d);
    CHECK(s != NULL && s->nflows == 4);
    const struct kb_flow_def *h = kb_script_flow(s, "help");
    CHECK(h && !strcmp(h->first, "only") && h->ncommands == 0);
    CHECK(h && strstr(h->file, "/script-override/dialogs/help.json") != NULL);
    struct kb_locale *loc = kb_locale_load(FIXTURES "/dialogs-ok", NULL);
    if (s && loc)
        CHECK(kb_script_check(s, loc, &d) == -1);
    CHECK(d.errors == 1 && d.nlines == 1);
    if (d.nlines == 1)
        CHECK(fnmatch("*/script-override/dialogs/extra.json: states.s.next: unknown target "
                      "'nowhere'*",
                      d.lines[0], 0) == 0);
    print_diag(&d);
    kb_locale_free(loc);
    kb_script_free(s);
    kb_diag_free(&d);
    remove(path);
    snprintf(path, sizeof path, "%s/help.json", sub);
    remove(path);
    rmdir(sub);
    rmdir(dir);
}

/* Over the bounds: a file over 1 MiB and more than 64 flow files are refused with a reason. */
static void test_bounds(void)
{
    char dir[512], sub[600], path[700];
    snprintf(dir, sizeof dir, "%s/script-bounds", tmp_dir());
    snprintf(sub, sizeof sub, "%s/dialogs", dir);
    make_dir(dir);
    make_dir(sub);
    snprintf(path, sizeof path, "%s/big.json", sub);
    CHECK(write_file(path, "                                ", 33 * 1024) == 0);
    struct kb_diag d = {0};
    CHECK(kb_script_load(dir, NULL, &d) == NULL);
    CHECK(d.errors == 1 && d.nlines == 1);
    if (d.nlines == 1)
        CHECK_STR(d.lines[0], "dialogs/big.json: is larger than 1 MiB");
    kb_diag_free(&d);
    remove(path);

    for (int i = 0; i < 65; i++) {
        snprintf(path, sizeof path, "%s/f%02d.json", sub, i);
        CHECK(write_file(path, "{}", 1) == 0);
    }
    CHECK(kb_script_load(dir, NULL, &d) == NULL);
    CHECK(d.errors == 1 && d.nlines == 1);
    if (d.nlines == 1)
        CHECK(strstr(d.lines[0], "more than 64 flow files") != NULL);
    kb_diag_free(&d);
    for (int i = 0; i < 65; i++) {
        snprintf(path, sizeof path, "%s/f%02d.json", sub, i);
        remove(path);
    }
    rmdir(sub);
    rmdir(dir);
}

/* Hostile names cannot garble a line: control characters are shown as '?' and cut. */
static void test_hostile_names(void)
{
    char dir[512], sub[600], path[700];
    snprintf(dir, sizeof dir, "%s/script-hostile", tmp_dir());
    snprintf(sub, sizeof sub, "%s/dialogs", dir);
    make_dir(dir);
    make_dir(sub);
    snprintf(path, sizeof path, "%s/x.json", sub);
    CHECK(write_file(path,
                     "{\"flow\": \"x\", \"first\": \"s\", \"states\": {\"bad\\nid"
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": {}}}",
                     1) == 0);
    struct kb_diag d = {0};
    CHECK(kb_script_load(dir, NULL, &d) == NULL);
    CHECK(d.errors == 1 && d.nlines == 1);
    if (d.nlines == 1)
        CHECK(fnmatch("dialogs/x.json: states: 'bad?idaaa*...' is not a valid state id*",
                      d.lines[0], 0) == 0);
    print_diag(&d);
    kb_diag_free(&d);
    remove(path);
    rmdir(sub);
    rmdir(dir);
}

static void test_actions_known(void)
{
    CHECK(kb_action_known("account_status"));
    CHECK(kb_action_known("menu_entries"));
    CHECK(kb_action_known("user_language"));
    CHECK(kb_action_known("set_language"));
    CHECK(!kb_action_known("fetch_everything"));
    CHECK(!kb_action_known(NULL));
}

int main(void)
{
    RUN(test_ok_fixture_loads);
    RUN(test_ok_fixture_checks_clean);
    RUN(test_broken_fixtures);
    RUN(test_decision_loop_warns);
    RUN(test_reserved_key);
    RUN(test_too_long_warns);
    RUN(test_load_failure_returns_null);
    RUN(test_override_replaces_and_adds);
    RUN(test_bounds);
    RUN(test_hostile_names);
    RUN(test_actions_known);
    return CHECK_SUMMARY();
}
