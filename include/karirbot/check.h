/* check: the meaning of a loaded script — what `karirbot check` adds to the loader's structural
 * rules: message keys exist in every language, targets, actions and validators exist, every
 * state is reachable, states have a shape the engine can run, no flow loops without waiting for
 * the user, and no message can grow past what Telegram shows in one message. */
#ifndef KARIRBOT_CHECK_H
#define KARIRBOT_CHECK_H

#include "karirbot/script.h"

struct kb_locale;

/* Checks s against the message catalogs loc (NULL: key checks are left out) and adds every
 * problem found to diag as an error or a warning, in the loader's line format. Returns 0 when
 * it found no error (warnings allowed), else -1. */
int kb_script_check(const struct kb_script *s, const struct kb_locale *loc, struct kb_diag *diag);

/* The rule `karirbot check` applies to every locale text, for other texts that go to Telegram
 * as HTML (a broadcast): NULL when text is HTML Telegram accepts (only its tags, balanced, `&`
 * only in entities), else why not (a static string, or buf of cap bytes). */
const char *kb_html_problem(const char *text, char *buf, size_t cap);

#endif
