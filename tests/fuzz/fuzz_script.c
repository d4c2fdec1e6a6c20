/* fuzz_script: dialog files as HR may write them, read by kb_script_load (the shipped
 * directory and HR's override directory, whose file of the same name replaces a shipped one
 * whole), then judged by kb_script_check, as `karirbot check` and the service's start do. A
 * script the loader accepts must hold what script.h promises; one the checker passes must run:
 * the engine then takes it through a conversation (fuzz_engine.c) — every command, buttons,
 * typed answers, /bantuan, /batal — and must neither crash nor send what Telegram refuses.
 * The texts are the shipped ones with those of the test fixtures over them, so the fixtures'
 * dialogs pass the check too.
 *
 * Input: one or more files. A line "#file NAME" starts the next shipped file and "#over NAME"
 * the next file of the override directory (NAME is cut to [a-z0-9_]); what comes before the
 * first such line is the shipped file "a.json". A lone JSON file is therefore a seed as is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz_common.h"
#include "fuzz_engine.h"
#include "karirbot/buf.h"
#include "karirbot/check.h"
#include "karirbot/diag.h"
#include "karirbot/locale.h"
#include "karirbot/script.h"

#define FILES_MAX 8

static struct kb_locale *loc;
static char def[600], over[600];
static char written[FILES_MAX][64]; /* the files of the previous input, removed before the next */
static size_t nwritten;
static int trace; /* $KB_FUZZ_TRACE set: print what the loader and the checker say */

/* The catalogs of the fixtures whose dialogs are seeds, merged, as HR's override of lang. The
 * engine fixture's English lacks texts its unit test never shows: English takes the
 * Indonesian ones first, so that its dialogs pass the check and reach the engine. */
static void fixture_texts(const char *lang)
{
    static const char *const dirs[] = {"tests/fixtures/engine", "tests/fixtures/dialogs-ok"};
    const char *langs[] = {"id", lang};
    cJSON *all = cJSON_CreateObject();
    for (size_t i = 0; i < 2 * sizeof dirs / sizeof dirs[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s/locales/%s.json", KB_SOURCE_DATA_DIR, dirs[i % 2],
                 langs[i / 2]);
        struct kb_buf b;
        kb_buf_init(&b, 1 << 20);
        cJSON *cat = kb_buf_read_file(&b, path) == 0 ? cJSON_Parse(b.data) : NULL;
        kb_buf_free(&b);
        while (cat && cat->child) {
            cJSON *item = cJSON_DetachItemViaPointer(cat, cat->child);
            cJSON_DeleteItemFromObjectCaseSensitive(all, item->string);
            cJSON_AddItemToObject(all, item->string, item);
        }
        cJSON_Delete(cat);
    }
    char *text = cJSON_Print(all), rel[64];
    snprintf(rel, sizeof rel, "texts/locales/%s.json", lang);
    if (!text || fuzz_write(rel, (const uint8_t *)text, strlen(text)) != 0)
        abort();
    free(text);
    cJSON_Delete(all);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    char texts[600];
    snprintf(texts, sizeof texts, "%s/texts", fuzz_scratch());
    if (fuzz_mkdirs("texts/locales") != 0)
        abort();
    fixture_texts("id");
    fixture_texts("en");
    loc = kb_locale_load(KB_SOURCE_DATA_DIR, texts);
    if (!loc || fuzz_mkdirs("def/dialogs") != 0 || fuzz_mkdirs("over/dialogs") != 0)
        abort();
    snprintf(def, sizeof def, "%s/def", fuzz_scratch());
    snprintf(over, sizeof over, "%s/over", fuzz_scratch());
    fuzz_engine_init(NULL, loc);
    trace = getenv("KB_FUZZ_TRACE") != NULL;
    return 0;
}

/* "#file NAME\n" or "#over NAME\n" at p (the start of a line): 1 or 2 and the file's relative
 * path in rel, the length of the marker line in *len; 0 when p holds no marker. */
static int marker(const char *p, const char *end, char rel[64], size_t *len)
{
    int kind = 0;
    if (end - p >= 6 && !memcmp(p, "#file ", 6))
        kind = 1;
    else if (end - p >= 6 && !memcmp(p, "#over ", 6))
        kind = 2;
    if (!kind)
        return 0;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    char name[24];
    size_t n = 0;
    for (const char *q = p + 6; q < stop && n + 1 < sizeof name; q++)
        if ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_')
            name[n++] = *q;
    name[n] = '\0';
    snprintf(rel, 64, "%s/dialogs/%s.json", kind == 1 ? "def" : "over", n ? name : "x");
    *len = (size_t)(stop - p) + (nl ? 1 : 0);
    return kind;
}

static void put(const char *rel, const char *text, size_t len)
{
    if (nwritten == FILES_MAX)
        return;
    if (fuzz_write(rel, (const uint8_t *)text, len) != 0)
        abort();
    snprintf(written[nwritten++], sizeof written[0], "%s", rel);
}

static void check_script(const struct kb_script *s)
{
    FUZZ_CHECK(s->nflows <= 64);
    for (size_t i = 0; i < s->nflows; i++) {
        const struct kb_flow_def *f = &s->flows[i];
        FUZZ_CHECK(f->id && f->first && f->file && f->timeout_s > 0);
        FUZZ_CHECK(kb_script_flow(s, f->id) != NULL);
        for (size_t c = 0; c < f->ncommands; c++)
            FUZZ_CHECK(kb_script_flow_for_command(s, f->commands[c]) != NULL);
        for (size_t j = 0; j < f->nstates; j++) {
            const struct kb_state_def *st = &f->states[j];
            FUZZ_CHECK(st->id && kb_flow_state(f, st->id) != NULL);
            for (size_t b = 0; b < st->nbuttons; b++)
                FUZZ_CHECK(st->buttons[b].label && st->buttons[b].next);
            for (size_t b = 0; b < st->nbranches; b++)
                FUZZ_CHECK(st->branches[b].result && st->branches[b].target);
            if (st->ask)
                FUZZ_CHECK(st->ask->validator && st->ask->nchoices <= 32);
            if (st->list)
                FUZZ_CHECK(st->list->action && st->list->page_size >= 1 &&
                           st->list->page_size <= 8);
        }
    }
}

/* A conversation with a script the checker passed: Dewi (linked) tries every flow's first
 * command, presses buttons, types answers of each kind, asks for help and cancels; Maya (not
 * linked) starts and presses what she is shown. */
static void converse(const struct kb_script *s)
{
    static const char *const steps[] = {"p#0", "p#1", "t1",   "tya",       "t12 Mei 2026",
                                        "p#2", "p%0", "tOke", "t/bantuan", "p#0"};
    fuzz_engine_use(s);
    fuzz_engine_begin();
    fuzz_engine_event(0, 't', "/start");
    for (size_t i = 0; i < s->nflows && i < 12; i++) {
        char cmd[40];
        if (!s->flows[i].ncommands)
            continue;
        snprintf(cmd, sizeof cmd, "/%s", s->flows[i].commands[0]);
        fuzz_engine_event(0, 't', cmd);
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
            fuzz_engine_event(0, steps[k][0], steps[k] + 1);
        fuzz_engine_event(0, 't', "/batal");
    }
    fuzz_engine_event(4, 't', "/start");
    fuzz_engine_event(4, 'p', "#0");
    fuzz_engine_event(4, 't', "/menu");
    fuzz_engine_event(4, 'p', "#0");
    fuzz_engine_end();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < nwritten; i++)
        fuzz_remove(written[i]);
    nwritten = 0;

    const char *p = (const char *)data, *end = p + size, *start = p;
    char rel[64] = "def/dialogs/a.json", next[64];
    size_t mlen;
    for (const char *q = p; q < end;) {
        if ((q == p || q[-1] == '\n') && marker(q, end, next, &mlen)) {
            if (q > start || strcmp(rel, "def/dialogs/a.json") != 0)
                put(rel, start, (size_t)(q - start));
            memcpy(rel, next, sizeof rel);
            q += mlen;
            start = q;
            continue;
        }
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        q = nl ? nl + 1 : end;
    }
    put(rel, start, (size_t)(end - start));

    struct kb_diag diag = {0};
    struct kb_script *s = kb_script_load(def, over, &diag);
    FUZZ_CHECK((s != NULL) == (diag.errors == 0));
    if (s) {
        check_script(s);
        int rc = kb_script_check(s, loc, &diag);
        FUZZ_CHECK((rc == 0) == (diag.errors == 0));
        if (rc == 0)
            converse(s);
        kb_script_free(s);
    }
    for (size_t i = 0; trace && i < diag.nlines; i++)
        fprintf(stderr, "%s\n", diag.lines[i]);
    kb_diag_free(&diag);
    return 0;
}
