/* diag: problems found in data files, as lines for the person who edits them. */
#include "karirbot/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_LINES_MAX 500
#define DIAG_LINE_MAX  512

const char *kb_diag_show(char *out, size_t cap, const char *s)
{
    size_t n = 0, i = 0;
    if (!s)
        s = "";
    while (s[i] && i < 40 && n + 4 < cap) {
        unsigned char c = (unsigned char)s[i++];
        out[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (s[i] && n + 4 <= cap) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

void kb_diag_add(struct kb_diag *d, enum kb_diag_level level, const char *file, const char *where,
                 const char *fmt, ...)
{
    if (level == KB_DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->nlines > DIAG_LINES_MAX)
        return;
    char line[DIAG_LINE_MAX];
    int off;
    if (d->nlines == DIAG_LINES_MAX)
        off =
            snprintf(line, sizeof line, "(more than %d problems; fix these first)", DIAG_LINES_MAX);
    else
        off = snprintf(line, sizeof line, "%s%s%s: %s", file, where && *where ? ": " : "",
                       where ? where : "", level == KB_DIAG_WARNING ? "warning: " : "");
    if (off < 0)
        return;
    if (d->nlines < DIAG_LINES_MAX && (size_t)off < sizeof line) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line + off, sizeof line - (size_t)off, fmt, ap);
        va_end(ap);
    }
    char **grown = realloc(d->lines, (d->nlines + 1) * sizeof *grown);
    if (!grown)
        return;
    d->lines = grown;
    char *copy = strdup(line);
    if (copy)
        d->lines[d->nlines++] = copy;
}

void kb_diag_free(struct kb_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nlines; i++)
        free(d->lines[i]);
    free(d->lines);
    d->lines = NULL;
    d->nlines = d->errors = d->warnings = 0;
}
