/* fuzz_callback: button presses (callback data) and typed answers through the real dialog
 * engine on the shipped dialogs and texts (fuzz_engine.c: the demo organisation in an
 * in-memory database, one savepoint per event, everything rolled back after the input). A
 * press looks its token up in the store (someone else's, expired, unknown, replayed) and
 * decodes the choice behind it: a step's "b:N", "l:<item>", "p:<page>", "back", or a card's
 * "s:<flow>:<arg>", whose argument the flow reads ("done:<id>" and "postpone:<id>" of an RPI
 * reminder, "later:<id>" of /pengingat, "<id>:<yes|no|detail>" of an approval card).
 *
 * Callback data from Telegram is one of the random tokens the engine gave out, or garbage; the
 * choice behind a token is what the engine stored. The input can therefore press a token it
 * was shown ("#2": the third button of the last keyboard its chat received; "%2": of the one
 * before, a stale step; "@0": of the last keyboard anyone received, often someone else's),
 * send raw callback data, or store a choice under a fresh token and press it, as a card or as
 * the current step's button.
 *
 * Input: one event per line, at most 48: <who><what><argument>, as fuzz_engine_event takes
 * them: who '0'..'9' (Dewi, Hendra her supervisor, Lina of HR, Yuni (PPPK), Maya (not
 * linked), a stranger, Fajar, Ratna, Bambang, Siti); what t (text or /command), p (press),
 * n (store a card choice, press it), s (store a step choice, press it), m (photo),
 * d (document), x (<argument> hours pass), f (the chat's first name becomes <argument>). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_engine.h"
#include "karirbot/diag.h"
#include "karirbot/locale.h"
#include "karirbot/script.h"

#define EVENTS_MAX 48

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    struct kb_diag diag = {0};
    struct kb_script *script = kb_script_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    struct kb_locale *loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    kb_diag_free(&diag);
    if (!script || !loc)
        abort();
    fuzz_engine_init(script, loc); /* both live as long as the process */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size), *p = text;
    fuzz_engine_begin();
    for (int n = 0; p && *p && n < EVENTS_MAX; n++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (p[0] >= '0' && p[0] <= '9' && p[1])
            fuzz_engine_event(p[0] - '0', p[1], p + 2);
        p = nl ? nl + 1 : NULL;
    }
    fuzz_engine_end();
    free(text);
    return 0;
}
