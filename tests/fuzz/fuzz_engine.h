/* fuzz_engine: the dialog engine driven as the pipeline drives it, for the targets that feed
 * it events (fuzz_callback) or a script (fuzz_script): the shipped policy and reminder rules,
 * an in-memory database with the schema migrated and the demo organisation in it, the clock
 * at a fixed instant, one savepoint per event, and every effect of a conversation rolled back
 * at its end. Each message the engine queues is checked as the pipeline and the sender take
 * it: UTF-8, HTML Telegram accepts, parts it shows, a request body the Bot API accepts, button
 * data of at most 64 bytes. */
#ifndef KARIRBOT_FUZZ_ENGINE_H
#define KARIRBOT_FUZZ_ENGINE_H

#include <stdint.h>

struct kb_script;
struct kb_locale;

/* Loads the policy and the reminder rules, opens the database and makes the engine (script
 * and loc are borrowed: they must outlive it, or be replaced with fuzz_engine_use). Aborts
 * when the shipped data does not load. $KB_FUZZ_TRACE set prints the conversation. */
void fuzz_engine_init(const struct kb_script *script, const struct kb_locale *loc);
void fuzz_engine_use(const struct kb_script *script);

/* A conversation: begin, events, end (which rolls it all back). */
void fuzz_engine_begin(void);
void fuzz_engine_end(void);

/* One event from chat who (0..9: Dewi, her supervisor Hendra, HR's Lina, the PPPK Yuni, Maya
 * who is not linked, a stranger with a 64-bit id, Fajar with a promotion file, Ratna the
 * mentor, Bambang, Siti). what:
 *   t  arg is typed (a /command is split off as tgparse does; not UTF-8: repaired, flagged)
 *   p  arg is pressed as callback data: "#k" the k-th button of the chat's last keyboard,
 *      "%k" of the one before (stale), "@k" of the last keyboard anyone got, else arg itself
 *   n  arg is stored as a card's choice under a fresh token, which is pressed
 *   s  arg is stored as a choice of the chat's current step, which is pressed
 *   m  a photo, d  a document, with arg as the file id
 *   x  the clock moves arg hours on
 *   f  arg becomes the chat's first name (UTF-8 repaired, 64 characters at most)
 * Any other letter types arg. */
void fuzz_engine_event(int who, char what, const char *arg);

#endif
