/* locale: message catalogs (locales/<lang>.json), with fallback id -> en -> the key itself,
 * and {variable} substitution in which every value is HTML-escaped. */
#ifndef KARIRBOT_LOCALE_H
#define KARIRBOT_LOCALE_H

#include <stddef.h>

struct kb_locale;

/* Loads every catalog in <defaults_dir>/locales (<lang>.json and the area files
 * <lang>/<area>.json, where a key may be defined once), then lets each entry of
 * <override_dir>/locales/<lang>.json (if override_dir is not NULL and the file exists) replace
 * the shipped one (DESIGN invariant 15). Returns NULL after logging why: a missing default
 * catalog, or any catalog that is not a JSON object. */
struct kb_locale *kb_locale_load(const char *defaults_dir, const char *override_dir);
void kb_locale_free(struct kb_locale *loc);

/* Renders key in lang with variables given as name/value pairs (nvars pairs). Values are
 * HTML-escaped, except for a variable whose name is given with a leading '!' ("!list" fills
 * {list}): its value is HTML the program made from locale texts, inserted as is.
 * Returns a newly allocated string the caller frees, or NULL when out of memory. */
char *kb_locale_render(const struct kb_locale *loc, const char *lang, const char *key,
                       const char *const *vars, size_t nvars);

/* The same without any escaping, for text that is not HTML (a button's label). */
char *kb_locale_render_plain(const struct kb_locale *loc, const char *lang, const char *key,
                             const char *const *vars, size_t nvars);

/* The template of key in exactly lang, with no fallback and no substitution, or NULL when that
 * catalog has no string under key. The string belongs to loc. For `karirbot check`. */
const char *kb_locale_text(const struct kb_locale *loc, const char *lang, const char *key);

/* Calls fn for each string entry of the catalog of exactly lang (after overrides), in file
 * order. For `karirbot check`. */
void kb_locale_each(const struct kb_locale *loc, const char *lang,
                    void (*fn)(void *ctx, const char *key, const char *text), void *ctx);

/* Fills out[0..n) with the strings of the array key (such as "months" or "days") in lang,
 * falling back like messages. Returns 0, or -1 when no catalog has such an array of n strings.
 * The strings belong to loc. */
int kb_locale_names(const struct kb_locale *loc, const char *lang, const char *key,
                    const char **out, size_t n);

/* Writes a calendar date "YYYY-MM-DD" as people read it in lang ("12 Januari 2027").
 * Returns 0, or -1 (buf set to "") for a bad date or a short buffer. */
int kb_locale_date(const struct kb_locale *loc, const char *lang, const char *ymd, char *buf,
                   size_t cap);

#endif
