/* tell: how an admin command tells an employee something on Telegram. The command has no
 * dialog engine (and no event loop): it renders a locale key in the employee's chat language
 * and writes the message straight into the outbox, where the running service's sender picks
 * it up within a second (DESIGN invariant 14) and paces it like any reply. */
#ifndef KARIRBOT_TELL_H
#define KARIRBOT_TELL_H

#include <stddef.h>
#include <stdint.h>

struct kb_config;
struct kb_locale;
struct kb_person;
struct kb_store;

/* The shipped texts with HR's edits (KARIRBOT_DATA_DIR), as the service loads them; NULL after
 * printing why on stderr. Free with kb_locale_free(). */
struct kb_locale *kb_tell_locale(const struct kb_config *cfg);

/* The language p reads in: the one their chat chose with /bahasa, else "id". */
void kb_tell_lang(struct kb_store *st, const struct kb_person *p, char lang[8]);

/* Queues the message key for employee p, in p's language, with the variables given as
 * name/value pairs (escaped; {name} and {salutation} are p's unless given). Runs inside the
 * caller's write transaction, so the message exists exactly when the change it reports does.
 * *chat_id (may be NULL) gets the chat written to, or 0 when p has no linked account (then
 * nothing is queued and the caller says so to HR). Returns 0, or -1 (the caller rolls back). */
int kb_tell(struct kb_store *st, const struct kb_locale *loc, const struct kb_person *p,
            const char *key, const char *const *vars, size_t nvars, int64_t now, int64_t *chat_id);

/* A date "YYYY-MM-DD" as people read it in lang, into buf (the text itself when it is no
 * date). */
void kb_tell_date(const struct kb_locale *loc, const char *lang, const char *ymd, char *buf,
                  size_t cap);

/* ---- reading what HR types (shared by the HR commands) --------------------------------------
 * Each returns 0, or -1 when the text is not what it should be (out then "" or 0). Dates are
 * read as the import files write them: kb_import_date() (import.h). */

/* A NIP as people write it ("19850312 201001 1 002"): its 18 digits. */
int kb_admin_nip(const char *s, char out[19]);
/* A positive id (a registration's, a request's). */
int kb_admin_id(const char *s, int64_t *out);
/* Today's date in WIB, the operator's default when a year or a date is not given. */
void kb_admin_today(char out[11]);

#endif
