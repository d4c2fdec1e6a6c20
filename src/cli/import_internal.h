/* Private to src/cli/import*.c: one import run, its report, and the parts the kinds share. */
#ifndef KARIRBOT_CLI_IMPORT_INTERNAL_H
#define KARIRBOT_CLI_IMPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/import.h"

struct kb_config;
struct kb_store;
struct kb_policy;

#define IMP_COLS_MAX 32
#define IMP_SHOW     48 /* bytes of a value quoted in a message, with its quotes and NUL */
#define IMP_NIP_LEN  18

/* A column of the contract: its header name and whether the header must have it. */
struct imp_col {
    const char *name;
    int required;
};

struct imp_msg {
    int line;
    size_t seq; /* the order it was reported in, for a stable sort */
    int error;
    char *text;
};

/* Open addressing from a string key (borrowed) to a row index. */
struct imp_map {
    const char **keys;
    size_t *vals;
    size_t cap, n;
};
int imp_map_init(struct imp_map *m, size_t expected);
void imp_map_free(struct imp_map *m);
/* Adds key -> val; when key is there already, returns 1 and its value in *old (nothing
 * added). Returns 0 when added, -1 when out of memory. */
int imp_map_put(struct imp_map *m, const char *key, size_t val, size_t *old);
/* 1 and *val when key is there, else 0. */
int imp_map_get(const struct imp_map *m, const char *key, size_t *val);

struct imp {
    const char *file; /* as given on the command line */
    const char *kind; /* employees, trainings, ... */
    struct kb_store *st;
    const struct kb_policy *policy;
    const struct kb_config *cfg; /* where the texts are, for telling employees */
    struct kb_csv csv;
    unsigned char *row_bad; /* per row: reported already, not to be read */
    int dry_run, deactivate_missing;
    int force; /* employees: with --deactivate-missing; rpi: the file may change approved plans */
    int64_t now;
    char today[11]; /* in WIT, the zone furthest ahead */
    const struct imp_col *cols;
    int ncols;
    int col[IMP_COLS_MAX]; /* where each contract column is in the file, -1 absent */

    struct imp_msg *msgs;
    size_t nmsgs, msgcap, errors, warnings;

    long n_new, n_changed, n_unchanged;
    char notes[8][200]; /* summary lines past the counts */
    int nnotes;

    int tty;
    uint64_t progress_at;
    int progress_shown;
};

void imp_error(struct imp *im, int line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void imp_warning(struct imp *im, int line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void imp_note(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Finds the columns of cols in the header (any case, spaces around ignored; order free):
 * a missing required column and a column named twice are errors, a column the contract does
 * not name is a warning. Returns 0, or -1 after reporting. */
int imp_bind(struct imp *im, const struct imp_col *cols, int ncols);
/* The value of contract column c in row r: "" when the file has no such column. */
const char *imp_get(const struct imp *im, const struct kb_csv_row *r, int c);
int imp_has(const struct imp *im, int c);
/* The value quoted for a message, cut and with control characters shown as '?'. */
const char *imp_show(const char *s, char out[IMP_SHOW]);
/* What a NIP column holds: a NIP (PNS, CPNS: checked in full), a NI PPPK, or either (a
 * supervisor, a mentor: 18 digits). */
enum imp_nip_kind { IMP_NIP, IMP_NI_PPPK, IMP_NIP_ANY };
/* Reads a NIP or NI PPPK with the validators of the dialogs ("nip", "nip_or_ni_pppk").
 * Returns 0 with the 18 digits, or -1 after reporting the validator's reason. */
int imp_nip(struct imp *im, int line, const char *col, const char *s, enum imp_nip_kind kind,
            char out[IMP_NIP_LEN + 1]);
/* A text column of at most max bytes, without line breaks or control characters. Returns 0,
 * or -1 after reporting. */
int imp_text(struct imp *im, int line, const char *col, const char *s, size_t max);
/* A date column; "" gives "" when optional. Returns 0, or -1 after reporting. */
int imp_date(struct imp *im, int line, const char *col, const char *s, int optional, char out[11]);

/* The lowercase ASCII letters and digits of s, for matching what people write: "S-1", "s 1"
 * and "S1" are all "s1". */
void imp_key(const char *s, char *out, size_t cap);
/* 1 when key is one of the NULL-terminated list. */
int imp_one_of(const char *key, const char *const *list);

/* An employee named by NIP in a file of another kind: must exist and have access. Returns
 * KB_OK with *r filled (r->id 0 when refused, reported), or a database error. */
struct kb_imp_employee_row;
int imp_employee_of(struct imp *im, int line, const char *nip, struct kb_imp_employee_row *r);
/* Counts a row as new ('n'), changed ('c') or unchanged ('u') in the summary. */
void imp_count(struct imp *im, char state);

/* Progress on stderr when it is a terminal: "what done/total", at most five times a second. */
void imp_progress(struct imp *im, const char *what, size_t done, size_t total);
void imp_progress_end(struct imp *im);

/* One kind of file. Reading and writing are split so that the transaction holds the write
 * lock only while the rows are written (DESIGN invariant 14): check() reads and checks every
 * row without the database, then apply() runs inside the transaction the caller opened,
 * checks what needs the database (supervisors, NIPs of other files) and writes, counting
 * n_new, n_changed and n_unchanged. Bad rows are reported with imp_error (im->errors counts
 * them) and skipped: apply() still runs after check() found some, so that one run reports
 * them all; the caller then rolls back. check() returns KB_OK with *state (NULL when nothing
 * more can be checked, e.g. a required column is missing) or KB_ERR (out of memory); apply()
 * returns KB_OK, or KB_ERR or KB_BUSY when the database failed. done() frees the state. */
struct imp_kind {
    const char *name;
    const char *rows; /* what the rows are, for the summary: "employees", "promotion stages" */
    int (*check)(struct imp *im, void **state);
    int (*apply)(struct imp *im, void *state);
    void (*done)(void *state);
};
extern const struct imp_kind imp_kind_employees, imp_kind_trainings, imp_kind_mentors,
    imp_kind_promotions, imp_kind_rpi;

#endif
