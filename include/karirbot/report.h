/* report: `karirbot report`, HR's spreadsheets — RPI completion, JP against the yearly target,
 * training fill and cost, approvals waiting, promotion files per stage, and a training's
 * nominee list — as CSV that Excel in an Indonesian locale opens as it is, or as XLSX.
 *
 * A report is built in memory as a table of typed cells (text, whole numbers, rupiah, dates),
 * from one read transaction, then written by one of the writers. Column names are the
 * Indonesian names HR's spreadsheets use (the import contract's where they overlap); values
 * such as statuses are the codes karirbot stores. src/cli/report.c is the command,
 * report_build.c builds each kind, report_write.c writes CSV and XLSX. */
#ifndef KARIRBOT_REPORT_H
#define KARIRBOT_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct kb_config;
struct kb_policy;
struct kb_store;

/* `karirbot report KIND [options]`; argv holds the arguments after "report". Returns the exit
 * status: 0, 1 when the report could not be made (said on stderr), 64 for a usage error. */
int kb_cmd_report(const struct kb_config *cfg, int argc, char **argv);

/* ---- the table ------------------------------------------------------------------------------ */

#define KB_REPORT_ROWS_MAX 1000000 /* rows of one report; more is an error (narrow it by unit) */
#define KB_REPORT_TEXT_MAX 4096    /* bytes of one text cell; longer text is an error */

enum kb_cell_type {
    KB_CELL_EMPTY = 0,
    KB_CELL_TEXT,  /* UTF-8 */
    KB_CELL_INT,   /* a whole number */
    KB_CELL_MONEY, /* rupiah, a whole number shown with thousands separators */
    KB_CELL_DATE,  /* a calendar date, kept as "YYYY-MM-DD" */
    KB_CELL_ID,    /* text of digits that is no number, such as a NIP: kept whole, as text */
};

struct kb_report_col {
    const char *name;       /* the header, e.g. "unit_kerja" */
    enum kb_cell_type type; /* of its cells (any cell may be empty) */
};

struct kb_cell {
    int64_t v;    /* the number, or the text's offset in the table's text */
    uint32_t len; /* text bytes */
    uint8_t type; /* enum kb_cell_type */
};

struct kb_report {
    const char *kind;  /* "rpi", ... for file and sheet names */
    const char *sheet; /* the XLSX sheet's name */
    const struct kb_report_col *cols;
    size_t ncols;
    size_t nrows;
    struct kb_cell *cells; /* nrows * ncols, row after row */
    size_t cap_rows;
    char *text; /* every text and date cell, NUL-terminated */
    size_t text_len, text_cap;
    int full; /* a row was refused: more than KB_REPORT_ROWS_MAX */
};

void kb_report_init(struct kb_report *r, const char *kind, const char *sheet,
                    const struct kb_report_col *cols, size_t ncols);
void kb_report_free(struct kb_report *r);
/* Starts a new row of empty cells. Returns 0, or -1 when out of memory or the report is full
 * (r->full then). */
int kb_report_row(struct kb_report *r);
/* Set a cell of the last row. Return 0, or -1 (no row, text over KB_REPORT_TEXT_MAX, or out of
 * memory). "" or NULL leaves the cell empty; text in a KB_CELL_ID column is an id cell; a date
 * that is no real "YYYY-MM-DD" is kept as text (never dropped); ill-formed UTF-8 is shown with
 * U+FFFD. */
int kb_report_text(struct kb_report *r, size_t col, const char *s);
int kb_report_int(struct kb_report *r, size_t col, int64_t v);
int kb_report_date(struct kb_report *r, size_t col, const char *ymd);
/* A cell: its type, and its text (text, id and date cells; "" otherwise) or number. */
const struct kb_cell *kb_report_cell(const struct kb_report *r, size_t row, size_t col);
const char *kb_report_cell_text(const struct kb_report *r, size_t row, size_t col);
/* The column named name, or -1. */
int kb_report_col(const struct kb_report *r, const char *name);
/* Sorts the rows with cmp, which compares two rows by their index. */
void kb_report_sort(struct kb_report *r,
                    int (*cmp)(const struct kb_report *r, size_t a, size_t b, void *arg),
                    void *arg);

/* ---- building ------------------------------------------------------------------------------- */

enum kb_report_kind {
    KB_REPORT_RPI,
    KB_REPORT_RPI_UNITS, /* rpi --per-unit */
    KB_REPORT_JP,
    KB_REPORT_TRAININGS,
    KB_REPORT_APPROVALS,
    KB_REPORT_PROMOTIONS,
    KB_REPORT_NOMINEES,
};

struct kb_report_opts {
    enum kb_report_kind kind;
    const char *unit;     /* a unit's name, or NULL for every unit */
    int year;             /* the plan year (rpi, jp); trainings running and promotion periods
                             in that year; 0: trainings and promotions of any year */
    const char *training; /* the code, for nominees */
    int below_target;     /* jp: only those below their target */
    int64_t now;          /* the instant "today" is taken from, in each person's zone */
};

/* Builds the report in one read transaction of st. policy is needed by jp and promotions (NULL
 * is an error there). Returns 0, or -1 with a reason for HR in err (an unknown unit or training
 * code, too many rows, a database error). The table is r's; free it with kb_report_free()
 * (also after an error). */
int kb_report_build(struct kb_store *st, const struct kb_policy *policy,
                    const struct kb_report_opts *o, struct kb_report *r, char *err, size_t errcap);

/* ---- writing -------------------------------------------------------------------------------- */

/* CSV as Excel in an Indonesian locale opens it: a UTF-8 byte-order mark, then the header and
 * one line per row, fields separated by sep (';' by default, as Indonesian Excel expects) and
 * quoted as RFC 4180 says, lines ended by CRLF. Numbers are plain digits, dates YYYY-MM-DD.
 * Text that a spreadsheet would run as a formula (starting with = + - @, a tab or CR) is
 * written with a leading apostrophe. An id of digits (a NIP: 18 digits, more than Excel's 15
 * significant ones) is written ="199003222015032001", which Excel shows as that text instead
 * of 1,99003E+17; plain writes the bare digits, for other programs. Returns 0, or -1 on a
 * write error. */
int kb_report_write_csv(const struct kb_report *r, FILE *f, char sep, int plain);
/* An XLSX workbook at path (replaced if it exists): one sheet, a bold header row that stays in
 * view (frozen) with a filter, column widths fitted to the content within bounds, numbers as
 * numbers, rupiah with thousands separators and dates as dates (dd/mm/yyyy). Returns 0, or -1
 * with a reason in err. */
int kb_report_write_xlsx(const struct kb_report *r, const char *path, char *err, size_t errcap);

#endif
