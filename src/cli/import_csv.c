/* import_csv: CSV as Excel writes it, read with libcsv (Debian's libcsv-dev). Why a library:
 * quoted fields with separators, doubled quotes and line breaks inside, CRLF and a last line
 * without a newline are a solved problem, and libcsv is small, kept in Debian and streams
 * (it never needs the whole file as one string). What it does not do is done here: the BOM,
 * choosing the separator from the header line, UTF-8, and the line number of each row, which
 * libcsv does not report: the file is fed one physical line at a time, and a row starts on
 * the line fed while the parser was between rows. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/import.h"
#include "karirbot/utf8.h"

/* libcsv's state between rows (ROW_NOT_BEGUN in libcsv.c; struct csv_parser's pstate is
 * public). Blank lines leave the parser in it. */
#define CSV_ROW_NOT_BEGUN 0

struct pending_row {
    int line;
    size_t first; /* index of its first field in foff */
    int n;
};

struct reader {
    char *pool;
    size_t pool_len, pool_cap;
    size_t *foff; /* offset of each field in pool */
    size_t nf, fcap;
    struct pending_row *rows;
    size_t nrows, rcap;
    size_t cur_first;
    int rec_line;
    int fail; /* a limit was passed: err is set */
    char *err;
    size_t errcap;
    int *err_line;
};

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static void fail(struct reader *r, int line, const char *msg)
{
    if (r->fail)
        return;
    r->fail = 1;
    snprintf(r->err, r->errcap, "%s", msg);
    *r->err_line = line;
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->fail)
        return;
    if (len > KB_CSV_FIELD_MAX) {
        char msg[128];
        snprintf(msg, sizeof msg, "a value is longer than %d bytes (is a quote (\") left open?)",
                 KB_CSV_FIELD_MAX);
        fail(r, r->rec_line, msg);
        return;
    }
    if (r->nf - r->cur_first >= KB_CSV_FIELDS_MAX) {
        char msg[64];
        snprintf(msg, sizeof msg, "more than %d columns", KB_CSV_FIELDS_MAX);
        fail(r, r->rec_line, msg);
        return;
    }
    if (grow((void **)&r->pool, &r->pool_cap, r->pool_len + len + 1, 1) != 0 ||
        grow((void **)&r->foff, &r->fcap, r->nf + 1, sizeof *r->foff) != 0) {
        fail(r, r->rec_line, "out of memory");
        return;
    }
    if (len)
        memcpy(r->pool + r->pool_len, s, len);
    r->pool[r->pool_len + len] = '\0';
    r->foff[r->nf++] = r->pool_len;
    r->pool_len += len + 1;
}

static void on_row(int c, void *data)
{
    (void)c;
    struct reader *r = data;
    if (r->fail)
        return;
    int n = (int)(r->nf - r->cur_first);
    int empty = 1;
    for (size_t i = r->cur_first; i < r->nf && empty; i++)
        empty = r->pool[r->foff[i]] == '\0';
    if (empty && r->nrows > 0) { /* ";;;" rows; the header is kept whatever it holds */
        if (n > 0)
            r->pool_len = r->foff[r->cur_first];
        r->nf = r->cur_first;
        return;
    }
    if (r->nrows > KB_CSV_ROWS_MAX) {
        char msg[64];
        snprintf(msg, sizeof msg, "more than %d rows", KB_CSV_ROWS_MAX);
        fail(r, r->rec_line, msg);
        return;
    }
    if (grow((void **)&r->rows, &r->rcap, r->nrows + 1, sizeof *r->rows) != 0) {
        fail(r, r->rec_line, "out of memory");
        return;
    }
    r->rows[r->nrows++] = (struct pending_row){r->rec_line, r->cur_first, n};
    r->cur_first = r->nf;
}

/* The separator the header line uses most outside quotes: ';' (Excel in an Indonesian locale,
 * where the comma is the decimal sign), ',' or a tab; ',' when it uses none. */
static char detect_sep(const char *s, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            comma++;
        else if (!quoted && s[i] == ';')
            semi++;
        else if (!quoted && s[i] == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* The length of the line at s, with its end: LF, CRLF, or a CR alone (Excel for Mac's "CSV
 * (Macintosh)"), or the rest of the text. */
static size_t line_len(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            return i + 1;
        if (s[i] == '\r')
            return i + 1 < len && s[i + 1] == '\n' ? i + 2 : i + 1;
    }
    return len;
}

/* The first line holding a byte that is not UTF-8. */
static int bad_utf8_line(const char *s, size_t len)
{
    int line = 1;
    for (size_t pos = 0; pos < len; line++) {
        size_t n = line_len(s + pos, len - pos);
        if (!kb_utf8_valid(s + pos, n))
            return line;
        pos += n;
    }
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static int is_term(unsigned char c)
{
    return c == '\r' || c == '\n';
}

int kb_csv_parse(const char *data, size_t len, struct kb_csv *out, char *err, size_t errcap,
                 int *err_line)
{
    memset(out, 0, sizeof *out);
    *err_line = 0;
    err[0] = '\0';
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
        snprintf(err, errcap, "the file is UTF-16 text; save it as \"CSV UTF-8\"");
        return -1;
    }
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        out->bom = 1;
        data += 3;
        len -= 3;
    }
    if (!kb_utf8_valid(data, len)) {
        *err_line = bad_utf8_line(data, len);
        snprintf(err, errcap, "not UTF-8 text; save the sheet as \"CSV UTF-8\"");
        return -1;
    }
    out->sep = detect_sep(data, len);

    struct reader r = {.err = err, .errcap = errcap, .err_line = err_line, .rec_line = 1};
    /* Room for every value at once (they are no longer than the file, plus a NUL each): no
     * copying as the pool grows. Pages not used are never touched. */
    if (grow((void **)&r.pool, &r.pool_cap, len + len / 2 + 64, 1) != 0 ||
        grow((void **)&r.foff, &r.fcap, len / 4 + 64, sizeof *r.foff) != 0) {
        free(r.pool);
        free(r.foff);
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    struct csv_parser p;
    /* Strict: a quote inside a value that is not quoted, or text after a closing quote, is
     * an error rather than a guess (Excel never writes either). */
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    csv_set_delim(&p, (unsigned char)out->sep);
    csv_set_space_func(&p, is_space);
    csv_set_term_func(&p, is_term);
    int line = 1;
    for (size_t pos = 0; pos < len && !r.fail; line++) {
        size_t n = line_len(data + pos, len - pos);
        if (p.pstate == CSV_ROW_NOT_BEGUN)
            r.rec_line = line;
        if (csv_parse(&p, data + pos, n, on_field, on_row, &r) != n && !r.fail)
            fail(&r, line,
                 csv_error(&p) == CSV_EPARSE
                     ? "a quote (\") in a value that is not wholly in quotes: put the whole "
                       "value in quotes and write each quote inside it as \"\""
                       ""
                     : "out of memory");
        /* A value still growing past the limit (libcsv hands a value over only when it
         * ends): most likely a quote left open, which would swallow the rest of the file. */
        if (!r.fail && p.entry_pos > KB_CSV_FIELD_MAX)
            on_field(NULL, p.entry_pos, &r);
        pos += n;
    }
    if (!r.fail && csv_fini(&p, on_field, on_row, &r) != 0)
        fail(&r, r.rec_line, "a quoted value is not closed (a quote (\") is missing)");
    csv_free(&p);
    if (!r.fail && r.nrows == 0) {
        snprintf(err, errcap, "the file is empty: it needs a header line");
        r.fail = 1;
    }
    if (!r.fail && !(out->fieldv = malloc((r.nf ? r.nf : 1) * sizeof *out->fieldv)))
        fail(&r, 0, "out of memory");
    if (!r.fail && !(out->rows = calloc(r.nrows, sizeof *out->rows)))
        fail(&r, 0, "out of memory");
    out->pool = r.pool;
    if (r.fail) {
        free(r.foff);
        free(r.rows);
        kb_csv_free(out);
        return -1;
    }
    for (size_t i = 0; i < r.nf; i++)
        out->fieldv[i] = r.pool + r.foff[i];
    for (size_t i = 0; i < r.nrows; i++) {
        struct kb_csv_row *row = i ? &out->rows[i - 1] : &out->header;
        row->line = r.rows[i].line;
        row->nfields = r.rows[i].n;
        row->fields = out->fieldv + r.rows[i].first;
    }
    out->nrows = r.nrows - 1;
    free(r.foff);
    free(r.rows);
    return 0;
}

void kb_csv_free(struct kb_csv *c)
{
    free(c->pool);
    free(c->fieldv);
    free(c->rows);
    memset(c, 0, sizeof *c);
}
