/* import: `karirbot import employees|trainings|mentors|promotions|rpi FILE [--dry-run]`, HR's
 * spreadsheet import (src/cli/import*.c). The CSV reader and the readers of single values are
 * declared here too, for the unit tests. */
#ifndef KARIRBOT_IMPORT_H
#define KARIRBOT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

struct kb_config;
struct kb_policy;

/* argv holds the command's own arguments after "import": the kind, the file and flags
 * (--dry-run, --deactivate-missing, --force). Reports bad rows as "FILE:LINE: column NAME:
 * reason" on stderr and the summary on stdout. Returns the exit status: 0 when the file was
 * imported (or, with --dry-run, would be), 1 when any row is bad or the database failed
 * (nothing is written then), 64 for a usage error. */
int kb_cmd_import(const struct kb_config *cfg, int argc, char **argv);

/* ---- CSV as Excel writes it ------------------------------------------------------------------
 * UTF-8 with or without a BOM; the separator (comma, semicolon or tab) is the one the header
 * line uses most outside quotes; quoted fields may hold separators, quotes ("") and line
 * breaks; CRLF or LF. Rows whose fields are all empty are skipped (Excel writes ";;;" for rows
 * that once held something). */
#define KB_CSV_FILE_MAX   (512u << 20) /* bytes of a file */
#define KB_CSV_ROWS_MAX   2000000      /* data rows */
#define KB_CSV_FIELDS_MAX 256          /* fields in a row */
#define KB_CSV_FIELD_MAX  4096         /* bytes of one field */

struct kb_csv_row {
    int line; /* the line the row starts on, 1-based (the header is line 1 or later) */
    int nfields;
    char **fields; /* NUL-terminated, trimmed of spaces and tabs around unquoted text */
};
struct kb_csv {
    char sep;
    int bom;
    struct kb_csv_row header;
    struct kb_csv_row *rows;
    size_t nrows;
    /* storage */
    char *pool;
    char **fieldv;
};
/* Reads data[0..len). Returns 0, or -1 with a reason in err (and the line in *err_line, 0
 * when none applies). Free with kb_csv_free() either way. */
int kb_csv_parse(const char *data, size_t len, struct kb_csv *out, char *err, size_t errcap,
                 int *err_line);
void kb_csv_free(struct kb_csv *c);

/* ---- single values ---------------------------------------------------------------------------
 * Each returns 0 with the normalised value, or -1. */

/* YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY (day and month may have one digit), a real date. */
int kb_import_date(const char *s, char out[11]);
/* Rupiah: "1500000", "1.500.000", "Rp 1.500.000", "1.500.000,00". */
int kb_import_rupiah(const char *s, int64_t *out);
/* A decimal number >= 0 with a decimal comma ("12,5", "1.234,5") or point ("12.5"). */
int kb_import_decimal(const char *s, double *out);
/* A whole number in [min, max]. */
int kb_import_int(const char *s, long min, long max, long *out);
/* The policy's education id for what HR wrote ("S-1", "S1", "D-IV", "SMA/SLTA", "Sarjana"),
 * or NULL. */
const char *kb_import_education(const struct kb_policy *p, const char *s);
/* A rank as the policy writes it: PNS/CPNS "III/a" (from "III/A", "iii-a", "III a", "3/a"),
 * PPPK "IX" (from "ix" or "9"). */
int kb_import_grade(const struct kb_policy *p, int pppk, const char *s, char out[8]);
/* The policy's name of a predikat kinerja ("Sangat Baik") from its name or id in any case,
 * or one part of a name with '/' ("Kurang" for "Kurang/Misconduct"); NULL when unknown. */
const char *kb_import_perf(const struct kb_policy *p, const char *s);
/* pelaksana, fungsional or struktural from what HR wrote ("JFT", "Fungsional Umum",
 * "Administrator", ...); NULL when unknown. */
const char *kb_import_position_kind(const char *s);

#endif
