/* diag: problems found while loading and checking data files (dialogs, locales, policy), as
 * lines "<file>: <where>: [warning: ]<what>" written for the HR officer who edits them. */
#ifndef KARIRBOT_DIAG_H
#define KARIRBOT_DIAG_H

#include <stddef.h>

struct kb_diag {
    char **lines;
    size_t nlines;
    size_t errors, warnings;
};
void kb_diag_free(struct kb_diag *d);

enum kb_diag_level { KB_DIAG_ERROR, KB_DIAG_WARNING };

/* Adds the line "<file>: <where>: [warning: ]<what>" (": <where>" left out when where is NULL
 * or empty) and counts it. Lines are bounded in length and number; past the limits the line is
 * cut or only counted, never lost from the error and warning totals. */
void kb_diag_add(struct kb_diag *d, enum kb_diag_level level, const char *file, const char *where,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Writes at most 40 bytes of s into out (capacity cap ≥ 44) with control characters shown as
 * '?' and "..." after a cut, so that a quoted name from a file cannot garble a diag line.
 * Returns out. */
const char *kb_diag_show(char *out, size_t cap, const char *s);

#endif
