/* report_write: the report table (typed cells, text in one arena) and its two writers — CSV for
 * Excel in an Indonesian locale, and XLSX through libxlsxwriter.
 *
 * XLSX is a zip of XML parts with its own rules (shared or inline strings, styles, number
 * formats, the frozen pane's XML); libxlsxwriter (Debian's libxlsxwriter-dev) is a kept library
 * that writes it correctly, so we do not hand-write zip and XML. It runs in constant-memory
 * mode: rows go to a temporary file as they are written, so a large report costs the table
 * and not a second copy in the library. CSV is a few lines with RFC 4180's quoting: no library
 * needed to write it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "karirbot/idfmt.h"
#include "karirbot/report.h"
#include "karirbot/utf8.h"

#define COL_WIDTH_MIN 8 /* characters: a column never narrower (the header's filter button) */
#define COL_WIDTH_MAX                                                                              \
    60 /* nor wider: long titles wrap to the cell's edge, the sheet stays usable */

/* ---- the table ------------------------------------------------------------------------------ */

void kb_report_init(struct kb_report *r, const char *kind, const char *sheet,
                    const struct kb_report_col *cols, size_t ncols)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->sheet = sheet;
    r->cols = cols;
    r->ncols = ncols;
}

void kb_report_free(struct kb_report *r)
{
    free(r->cells);
    free(r->text);
    r->cells = NULL;
    r->text = NULL;
    r->nrows = r->cap_rows = r->text_len = r->text_cap = 0;
}

int kb_report_row(struct kb_report *r)
{
    if (r->nrows >= KB_REPORT_ROWS_MAX) {
        r->full = 1;
        return -1;
    }
    if (r->nrows == r->cap_rows) {
        size_t cap = r->cap_rows ? r->cap_rows * 2 : 64;
        if (cap > KB_REPORT_ROWS_MAX)
            cap = KB_REPORT_ROWS_MAX;
        struct kb_cell *c = realloc(r->cells, cap * r->ncols * sizeof *c);
        if (!c)
            return -1;
        r->cells = c;
        r->cap_rows = cap;
    }
    memset(&r->cells[r->nrows * r->ncols], 0, r->ncols * sizeof *r->cells);
    r->nrows++;
    return 0;
}

static struct kb_cell *last_cell(struct kb_report *r, size_t col)
{
    return r->nrows && col < r->ncols ? &r->cells[(r->nrows - 1) * r->ncols + col] : NULL;
}

/* Appends s[0..n) and a NUL to the text arena; its offset in *off. */
static int put_text(struct kb_report *r, const char *s, size_t n, size_t *off)
{
    if (r->text_len + n + 1 > r->text_cap) {
        size_t cap = r->text_cap ? r->text_cap : 4096;
        while (cap < r->text_len + n + 1)
            cap *= 2;
        char *t = realloc(r->text, cap);
        if (!t)
            return -1;
        r->text = t;
        r->text_cap = cap;
    }
    *off = r->text_len;
    memcpy(r->text + r->text_len, s, n);
    r->text[r->text_len + n] = '\0';
    r->text_len += n + 1;
    return 0;
}

static int set_text(struct kb_report *r, size_t col, const char *s, enum kb_cell_type type)
{
    struct kb_cell *c = last_cell(r, col);
    size_t n = s ? strlen(s) : 0, off;
    if (!c || n > KB_REPORT_TEXT_MAX)
        return -1;
    if (n == 0) {
        c->type = KB_CELL_EMPTY;
        return 0;
    }
    /* A spreadsheet needs well-formed UTF-8 (XML refuses anything else): a bad byte becomes
     * U+FFFD, visibly, rather than breaking the file. */
    char *fixed = kb_utf8_valid(s, n) ? NULL : kb_utf8_sanitize(s, n);
    if (fixed) {
        s = fixed;
        n = strlen(fixed);
    }
    int rc = put_text(r, s, n, &off);
    free(fixed);
    if (rc != 0)
        return -1;
    c->type = (uint8_t)type;
    c->v = (int64_t)off;
    c->len = (uint32_t)n;
    return 0;
}

int kb_report_text(struct kb_report *r, size_t col, const char *s)
{
    return set_text(r, col, s,
                    col < r->ncols && r->cols[col].type == KB_CELL_ID ? KB_CELL_ID : KB_CELL_TEXT);
}

int kb_report_int(struct kb_report *r, size_t col, int64_t v)
{
    struct kb_cell *c = last_cell(r, col);
    if (!c)
        return -1;
    c->type = (uint8_t)(r->cols[col].type == KB_CELL_MONEY ? KB_CELL_MONEY : KB_CELL_INT);
    c->v = v;
    c->len = 0;
    return 0;
}

int kb_report_date(struct kb_report *r, size_t col, const char *ymd)
{
    /* A stored date that is no real date is shown as it is, as text: never dropped. */
    return set_text(r, col, ymd,
                    ymd && kb_date_parse(ymd, NULL, NULL, NULL) == 0 ? KB_CELL_DATE : KB_CELL_TEXT);
}

const struct kb_cell *kb_report_cell(const struct kb_report *r, size_t row, size_t col)
{
    static const struct kb_cell empty = {0, 0, KB_CELL_EMPTY};
    return row < r->nrows && col < r->ncols ? &r->cells[row * r->ncols + col] : &empty;
}

const char *kb_report_cell_text(const struct kb_report *r, size_t row, size_t col)
{
    const struct kb_cell *c = kb_report_cell(r, row, col);
    return c->type == KB_CELL_TEXT || c->type == KB_CELL_ID || c->type == KB_CELL_DATE
               ? r->text + c->v
               : "";
}

int kb_report_col(const struct kb_report *r, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(r->cols[i].name, name))
            return (int)i;
    return -1;
}

/* A stable merge sort of row indices (qsort is neither stable nor given a context). */
typedef int (*row_cmp)(const struct kb_report *r, size_t a, size_t b, void *arg);

static void merge_sort(size_t *idx, size_t *tmp, size_t n, const struct kb_report *r, row_cmp cmp,
                       void *arg)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(idx, tmp, h, r, cmp, arg);
    merge_sort(idx + h, tmp, n - h, r, cmp, arg);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp(r, idx[j], idx[i], arg) < 0 ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

void kb_report_sort(struct kb_report *r, row_cmp cmp, void *arg)
{
    size_t n = r->nrows;
    if (n < 2)
        return;
    size_t *idx = malloc(n * sizeof *idx), *tmp = malloc(n * sizeof *tmp);
    struct kb_cell *cells = malloc(n * r->ncols * sizeof *cells);
    if (idx && tmp && cells) {
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        merge_sort(idx, tmp, n, r, cmp, arg);
        for (size_t i = 0; i < n; i++)
            memcpy(&cells[i * r->ncols], &r->cells[idx[i] * r->ncols], r->ncols * sizeof *cells);
        free(r->cells);
        r->cells = cells;
        r->cap_rows = n;
        cells = NULL;
    }
    free(cells);
    free(tmp);
    free(idx);
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static void csv_field(FILE *f, const char *s, char sep, int guard)
{
    /* A cell a spreadsheet would evaluate (=, +, -, @, or a leading tab or CR) is kept as text
     * by a leading apostrophe (OWASP's advice against CSV injection). */
    int formula = guard && *s && strchr("=+-@\t\r", *s);
    int quote = strchr(s, sep) || strpbrk(s, "\"\r\n");
    if (quote)
        putc('"', f);
    if (formula)
        putc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    if (quote)
        putc('"', f);
}

static int all_digits(const char *s)
{
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int kb_report_write_csv(const struct kb_report *r, FILE *f, char sep, int plain)
{
    fputs("\xEF\xBB\xBF", f); /* the byte-order mark: Excel reads the file as UTF-8 */
    for (size_t c = 0; c < r->ncols; c++) {
        if (c)
            putc(sep, f);
        csv_field(f, r->cols[c].name, sep, 0);
    }
    fputs("\r\n", f);
    for (size_t row = 0; row < r->nrows; row++) {
        for (size_t c = 0; c < r->ncols; c++) {
            const struct kb_cell *cell = kb_report_cell(r, row, c);
            if (c)
                putc(sep, f);
            switch (cell->type) {
            case KB_CELL_TEXT:
                csv_field(f, r->text + cell->v, sep, 1);
                break;
            case KB_CELL_ID:
                if (!plain && all_digits(r->text + cell->v))
                    fprintf(f, "\"=\"\"%s\"\"\"", r->text + cell->v); /* "=""123""" */
                else
                    csv_field(f, r->text + cell->v, sep, 1);
                break;
            case KB_CELL_DATE:
                fputs(r->text + cell->v, f);
                break;
            case KB_CELL_INT:
            case KB_CELL_MONEY:
                fprintf(f, "%lld", (long long)cell->v);
                break;
            default:
                break;
            }
        }
        fputs("\r\n", f);
    }
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

/* ---- XLSX ----------------------------------------------------------------------------------- */

/* Characters a cell shows (code points; thousands separators for rupiah). */
static size_t shown_width(const struct kb_report *r, const struct kb_cell *c)
{
    char num[32];
    switch (c->type) {
    case KB_CELL_TEXT:
    case KB_CELL_ID: {
        size_t w = 0;
        for (const char *s = r->text + c->v; *s; s++)
            w += ((unsigned char)*s & 0xC0) != 0x80;
        return w;
    }
    case KB_CELL_DATE:
        return 10;
    case KB_CELL_INT:
        return (size_t)snprintf(num, sizeof num, "%lld", (long long)c->v);
    case KB_CELL_MONEY: {
        size_t n = (size_t)snprintf(num, sizeof num, "%lld", (long long)(c->v < 0 ? -c->v : c->v));
        return n + (n - 1) / 3 + (c->v < 0);
    }
    default:
        return 0;
    }
}

static void set_err(char *err, size_t cap, const char *what, const char *detail)
{
    snprintf(err, cap, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

int kb_report_write_xlsx(const struct kb_report *r, const char *path, char *err, size_t errcap)
{
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    if (!wb) {
        set_err(err, errcap, "cannot start the workbook", strerror(errno));
        return -1;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, r->sheet);
    lxw_format *bold = workbook_add_format(wb);
    lxw_format *date = workbook_add_format(wb);
    lxw_format *money = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(date, "dd/mm/yyyy");
    format_set_num_format(money, "#,##0");
    lxw_doc_properties props = {.title = (char *)r->sheet, .author = (char *)"karirbot"};
    workbook_set_properties(wb, &props);

    /* Widths first: in constant-memory mode the rows leave memory as they are written. */
    for (size_t c = 0; c < r->ncols; c++) {
        size_t w = strlen(r->cols[c].name) + 2; /* the filter button */
        for (size_t row = 0; row < r->nrows; row++) {
            size_t cw = shown_width(r, kb_report_cell(r, row, c));
            if (cw > w)
                w = cw;
        }
        w += 1;
        w = w < COL_WIDTH_MIN ? COL_WIDTH_MIN : w > COL_WIDTH_MAX ? COL_WIDTH_MAX : w;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (double)w, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)r->nrows, (lxw_col_t)(r->ncols ? r->ncols - 1 : 0));

    lxw_error e = LXW_NO_ERROR;
    for (size_t c = 0; c < r->ncols && e == LXW_NO_ERROR; c++)
        e = worksheet_write_string(ws, 0, (lxw_col_t)c, r->cols[c].name, bold);
    for (size_t row = 0; row < r->nrows && e == LXW_NO_ERROR; row++) {
        lxw_row_t xr = (lxw_row_t)(row + 1);
        for (size_t c = 0; c < r->ncols && e == LXW_NO_ERROR; c++) {
            const struct kb_cell *cell = kb_report_cell(r, row, c);
            lxw_col_t xc = (lxw_col_t)c;
            switch (cell->type) {
            case KB_CELL_TEXT:
            case KB_CELL_ID:
                e = worksheet_write_string(ws, xr, xc, r->text + cell->v, NULL);
                break;
            case KB_CELL_INT:
                e = worksheet_write_number(ws, xr, xc, (double)cell->v, NULL);
                break;
            case KB_CELL_MONEY:
                e = worksheet_write_number(ws, xr, xc, (double)cell->v, money);
                break;
            case KB_CELL_DATE: {
                int y, m, d;
                kb_date_parse(r->text + cell->v, &y, &m, &d);
                lxw_datetime dt = {.year = y, .month = m, .day = d};
                e = worksheet_write_datetime(ws, xr, xc, &dt, date);
                break;
            }
            default:
                break;
            }
        }
    }
    if (e != LXW_NO_ERROR) {
        set_err(err, errcap, "cannot write the sheet", lxw_strerror(e));
        workbook_close(wb); /* frees it; the half-written file is the caller's to remove */
        return -1;
    }
    e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        set_err(err, errcap, "cannot write the workbook", lxw_strerror(e));
        return -1;
    }
    return 0;
}
