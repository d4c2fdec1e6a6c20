/* fuzz_validate: every input validator a dialog can name (nip, nip_or_ni_pppk, date, integer,
 * text, choice, yes_no, file, and names that are none), with options as a dialog file can
 * write them, then the message a refusal becomes (kb_valid_vars and the locale's text).
 * Checks the promises of validate.h: the answer is the same as out->reason, an accepted value
 * is normalised as documented and inside the bounds, a refusal names a message key.
 *
 * Input, text so that seeds are readable:
 *   line 1            the validator's name
 *   key=value lines   options until an empty line: today, min, max, min_len, max_len,
 *                     min_date, max_date, choice (repeated), lang (id|en), opts=null
 *   the rest          the answer, as typed */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/utf8.h"
#include "karirbot/validate.h"

#define CHOICES_MAX 32

static struct kb_locale *loc;
static struct kb_valid out; /* 16 KiB: static, as the engine's is on the heap */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    if (!loc)
        abort();
    return 0;
}

/* Splits the next line off *p (NUL-terminating it); NULL at the end. */
static char *next_line(char **p)
{
    if (!*p)
        return NULL;
    char *line = *p, *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = NULL;
    }
    return line;
}

static bool is_ymd(const char *s)
{
    return kb_date_parse(s, NULL, NULL, NULL) == 0;
}

static void check_accepted(const char *name, const struct kb_validate_opts *o, const char *input)
{
    const char *v = out.value;
    size_t n = strlen(v);
    FUZZ_CHECK(n <= KB_VALIDATE_INPUT_MAX);
    if (!strcmp(name, "nip") || !strcmp(name, "nip_or_ni_pppk")) {
        FUZZ_CHECK(n == 18 && strspn(v, "0123456789") == 18);
        if (!strcmp(name, "nip"))
            FUZZ_CHECK(out.gender == 1 || out.gender == 2);
    } else if (!strcmp(name, "date")) {
        int y, m, d;
        FUZZ_CHECK(n == 10 && kb_date_parse(v, &y, &m, &d) == 0);
        FUZZ_CHECK(out.number == kb_days_from_civil(y, m, d));
        if (o && o->min_date && is_ymd(o->min_date))
            FUZZ_CHECK(strcmp(v, o->min_date) >= 0);
        if (o && o->max_date && is_ymd(o->max_date))
            FUZZ_CHECK(strcmp(v, o->max_date) <= 0);
    } else if (!strcmp(name, "integer")) {
        char back[24];
        snprintf(back, sizeof back, "%" PRId64, out.number);
        FUZZ_CHECK(!strcmp(back, v));
        if (o && o->has_min)
            FUZZ_CHECK(out.number >= o->min);
        if (o && o->has_max)
            FUZZ_CHECK(out.number <= o->max);
    } else if (!strcmp(name, "text")) {
        FUZZ_CHECK(kb_utf8_valid(v, n) && n > 0 && strstr(input, v) != NULL);
    } else if (!strcmp(name, "choice")) {
        FUZZ_CHECK(o && out.number >= 0 && (size_t)out.number < o->nchoices);
        FUZZ_CHECK(!strcmp(v, o->choices[out.number]));
    } else if (!strcmp(name, "yes_no")) {
        FUZZ_CHECK((out.number == 1 && !strcmp(v, "ya")) ||
                   (out.number == 0 && !strcmp(v, "tidak")));
    } else {
        FUZZ_CHECK(!"an unknown validator accepted an answer");
    }
}

static void run(const char *name, const struct kb_validate_opts *o, const char *input,
                const char *lang)
{
    int rc = kb_validate(name, o, input, &out);
    FUZZ_CHECK(rc == out.reason && rc >= 0 && rc < KB_INVALID__COUNT);
    FUZZ_CHECK(kb_validator_known(name) || rc == KB_INVALID_UNKNOWN_VALIDATOR);
    FUZZ_CHECK(memchr(out.bound, '\0', sizeof out.bound) != NULL);
    if (rc == KB_VALID) {
        check_accepted(name, o, input);
        return;
    }
    FUZZ_CHECK(out.value[0] == '\0');
    if (out.bound[0])
        FUZZ_CHECK(is_ymd(out.bound));
    const char *key = kb_invalid_key(rc);
    FUZZ_CHECK(key && *key);
    struct kb_valid_vars vars;
    kb_valid_vars(&out, loc, lang, &vars);
    char *msg = kb_locale_render(loc, lang, key, vars.pairs, vars.npairs);
    FUZZ_CHECK(msg != NULL);
    free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size), *p = text;
    const char *name = next_line(&p);
    const char *choices[CHOICES_MAX];
    struct kb_validate_opts o = {.choices = choices};
    const char *lang = "id";
    bool null_opts = false;
    char *line;
    while ((line = next_line(&p)) && *line) {
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *k = line, *v = eq + 1;
        if (!strcmp(k, "today"))
            o.today = v;
        else if (!strcmp(k, "min"))
            o.has_min = true, o.min = strtoll(v, NULL, 10);
        else if (!strcmp(k, "max"))
            o.has_max = true, o.max = strtoll(v, NULL, 10);
        else if (!strcmp(k, "min_len"))
            o.min_len = strtoull(v, NULL, 10);
        else if (!strcmp(k, "max_len"))
            o.max_len = strtoull(v, NULL, 10);
        else if (!strcmp(k, "min_date"))
            o.min_date = v;
        else if (!strcmp(k, "max_date"))
            o.max_date = v;
        else if (!strcmp(k, "choice") && o.nchoices < CHOICES_MAX)
            choices[o.nchoices++] = v;
        else if (!strcmp(k, "lang"))
            lang = v;
        else if (!strcmp(k, "opts"))
            null_opts = !strcmp(v, "null");
    }
    const char *input = p ? p : "";
    run(name ? name : "", null_opts ? NULL : &o, input, lang);
    free(text);
    return 0;
}
