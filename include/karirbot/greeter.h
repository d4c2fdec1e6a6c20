/* greeter: the first handler — /start gets the welcome, anything else a polite "not yet".
 * The dialog engine replaces it behind the same kb_handler interface. */
#ifndef KARIRBOT_GREETER_H
#define KARIRBOT_GREETER_H

#include "karirbot/handler.h"
#include "karirbot/locale.h"

/* The returned handler borrows loc, which must outlive it. */
struct kb_handler kb_greeter(const struct kb_locale *loc);

#endif
