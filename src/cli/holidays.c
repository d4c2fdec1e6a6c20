/* holidays: `karirbot holidays import FILE [--dry-run]` and `karirbot holidays list [--year Y]`.
 *
 * The file is what HR types from the SKB 3 Menteri on national holidays and cuti bersama, as
 * Excel saves it: CSV with the header `tanggal,nama,jenis` (order free; other columns are
 * ignored with a warning), UTF-8 with or without a BOM, ',' or ';' between fields (whichever
 * the header line uses more), quoted fields, CRLF or LF; `tanggal` as YYYY-MM-DD, DD-MM-YYYY
 * or DD/MM/YYYY; `jenis` libur_nasional or cuti_bersama. Read with the import's CSV reader
 * and date reader (import.h: libcsv underneath), so every file HR imports follows one
 * contract.
 *
 * The SKB is revised during the year (a cuti bersama moved or added), so a year is replaced as
 * a whole: every year that appears in the file gets exactly the file's rows of that year, in
 * one transaction with all the others. Importing the same file again changes nothing; a file
 * with any bad row changes nothing at all and every bad row is reported with its line, column
 * and reason. The file is small (a few dozen rows a year), so the transaction is short. */
#include "karirbot/holidays.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/config.h"
#include "karirbot/hr_store.h"
#include "karirbot/idfmt.h"
#include "karirbot/import.h"
#include "karirbot/store.h"
#include "karirbot/tell.h"

#define BUSY_MS   5000
#define FILE_MAX  (1024 * 1024) /* bytes: decades of holidays */
#define ROWS_MAX  2000
#define YEAR_ROWS 400 /* holidays of one year read back (there are a few dozen) */

enum col { C_DATE, C_NAME, C_KIND, C_COUNT };
static const char *const col_names[C_COUNT] = {"tanggal", "nama", "jenis"};

struct row {
    int line;
    struct kb_holiday h;
};

/* The file's rows as read and checked, and the problems found. */
struct reader {
    const char *file;    /* as named on the command line, for messages */
    int row_line;        /* the line the row being checked begins on */
    int col_of[C_COUNT]; /* field index of each column, -1 when absent */
    struct row *rows;
    int nrows;
    int errors;
};

static void bad(struct reader *r, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bad(struct reader *r, const char *column, const char *fmt, ...)
{
    va_list ap;
    r->errors++;
    fprintf(stderr, "%s:%d: column %s: ", r->file, r->row_line, column);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Finds the three columns in the header (any case; order free). Returns 0, or -1. */
static int header(struct reader *r, const struct kb_csv_row *h)
{
    r->row_line = h->line;
    for (int c = 0; c < C_COUNT; c++)
        r->col_of[c] = -1;
    for (int i = 0; i < h->nfields; i++) {
        char name[64];
        size_t k = 0;
        for (const char *p = h->fields[i]; *p && k + 1 < sizeof name; p++)
            name[k++] = (char)tolower((unsigned char)*p);
        name[k] = '\0';
        int known = 0;
        for (int c = 0; c < C_COUNT; c++) {
            if (strcmp(name, col_names[c]))
                continue;
            known = 1;
            if (r->col_of[c] >= 0)
                bad(r, name, "the column appears twice");
            r->col_of[c] = i;
        }
        if (!known && *name)
            fprintf(stderr, "%s:%d: warning: the column '%s' is not used\n", r->file, h->line,
                    name);
    }
    int ok = 0;
    for (int c = 0; c < C_COUNT; c++)
        if (r->col_of[c] < 0)
            bad(r, col_names[c], "missing: the header needs tanggal, nama and jenis"), ok = -1;
    return ok;
}

static void record(struct reader *r, const struct kb_csv_row *row)
{
    struct row out = {.line = row->line};
    const char *v[C_COUNT];
    r->row_line = row->line;
    for (int c = 0; c < C_COUNT; c++)
        v[c] = r->col_of[c] < row->nfields ? row->fields[r->col_of[c]] : "";
    int ok = 1;
    if (kb_import_date(v[C_DATE], out.h.date) != 0) {
        bad(r, "tanggal", "'%.40s' is not a date (YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY)",
            v[C_DATE]);
        ok = 0;
    }
    size_t nlen = strlen(v[C_NAME]);
    if (!nlen) {
        bad(r, "nama", "empty");
        ok = 0;
    } else if (strpbrk(v[C_NAME], "\r\n\t")) {
        bad(r, "nama", "a line break or tab inside the name");
        ok = 0;
    } else if (nlen > KB_HOLIDAY_NAME_MAX) {
        bad(r, "nama", "longer than %d bytes", KB_HOLIDAY_NAME_MAX);
        ok = 0;
    } else {
        snprintf(out.h.name, sizeof out.h.name, "%s", v[C_NAME]);
    }
    /* "Libur Nasional", "cuti-bersama" and the like are read as the two kinds. */
    char kind[32];
    size_t k = 0;
    for (const char *p = v[C_KIND]; *p && k + 1 < sizeof kind; p++)
        kind[k++] = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    kind[k] = '\0';
    if (strcmp(kind, "libur_nasional") && strcmp(kind, "cuti_bersama")) {
        bad(r, "jenis", "'%.40s' is neither libur_nasional nor cuti_bersama", v[C_KIND]);
        ok = 0;
    } else {
        snprintf(out.h.kind, sizeof out.h.kind, "%.15s", kind);
    }
    for (int i = 0; ok && i < r->nrows; i++) {
        if (!strcmp(r->rows[i].h.date, out.h.date) && !strcmp(r->rows[i].h.name, out.h.name)) {
            bad(r, "tanggal", "duplicate: the same date and name as line %d", r->rows[i].line);
            ok = 0;
        }
    }
    if (ok)
        r->rows[r->nrows++] = out;
}

/* Reads and checks the whole file with the import's CSV reader (the same contract as every
 * file HR imports: BOM, ',' or ';', quotes, CRLF). Returns 0 (r->errors may still be > 0),
 * or -1 when it cannot be read at all. */
static int read_file(const char *path, struct reader *r)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    char *data = malloc(FILE_MAX + 1);
    size_t len = data ? fread(data, 1, FILE_MAX + 1, f) : 0;
    int err = ferror(f);
    fclose(f);
    if (!data || err || len > FILE_MAX) {
        fprintf(stderr, "%s: %s\n", path,
                !data ? "out of memory"
                : err ? "read error"
                      : "larger than 1 MB: not a holiday list");
        free(data);
        return -1;
    }
    struct kb_csv csv;
    char why[256];
    int line = 0;
    r->file = path;
    if (kb_csv_parse(data, len, &csv, why, sizeof why, &line) != 0) {
        if (line)
            fprintf(stderr, "%s:%d: %s\n", path, line, why);
        else
            fprintf(stderr, "%s: %s\n", path, why);
        r->errors++;
    } else if (csv.nrows > ROWS_MAX) {
        fprintf(stderr, "%s: more than %d rows: not a holiday list\n", path, ROWS_MAX);
        r->errors++;
    } else if (header(r, &csv.header) == 0) {
        for (size_t i = 0; i < csv.nrows; i++)
            record(r, &csv.rows[i]);
    }
    kb_csv_free(&csv);
    free(data);
    return 0;
}

static int year_of(const char *date)
{
    return atoi(date);
}

/* Whether the stored holidays of year are exactly the file's (both sorted by date, name). */
static int same_as_file(const struct kb_holiday *stored, int nstored, const struct reader *r,
                        int year, int *in_file)
{
    *in_file = 0;
    for (int i = 0; i < r->nrows; i++)
        *in_file += year_of(r->rows[i].h.date) == year;
    if (*in_file != nstored)
        return 0;
    for (int i = 0; i < nstored; i++) {
        int found = 0;
        for (int j = 0; j < r->nrows && !found; j++)
            found = !strcmp(r->rows[j].h.date, stored[i].date) &&
                    !strcmp(r->rows[j].h.name, stored[i].name) &&
                    !strcmp(r->rows[j].h.kind, stored[i].kind);
        if (!found)
            return 0;
    }
    return 1;
}

static int import(const struct kb_config *cfg, const char *path, int dry_run)
{
    struct reader *r = calloc(1, sizeof *r);
    if (!r || !(r->rows = calloc(ROWS_MAX, sizeof *r->rows))) {
        free(r);
        return 1;
    }
    int rc = read_file(path, r);
    if (rc != 0 || r->errors) {
        if (rc == 0)
            fprintf(stderr, "%s: %d problem%s found; nothing was imported\n", path, r->errors,
                    r->errors == 1 ? "" : "s");
        free(r->rows);
        free(r);
        return 1;
    }
    int years[64], nyears = 0;
    for (int i = 0; i < r->nrows; i++) {
        int y = year_of(r->rows[i].h.date), seen = 0;
        for (int j = 0; j < nyears; j++)
            seen |= years[j] == y;
        if (!seen && nyears == (int)(sizeof years / sizeof years[0])) {
            fprintf(stderr, "%s: more than 64 years: not a holiday list\n", path);
            free(r->rows);
            free(r);
            return 1;
        }
        if (!seen)
            years[nyears++] = y;
    }
    struct kb_store *st = NULL;
    struct kb_holiday *stored = calloc(YEAR_ROWS, sizeof *stored);
    rc = stored && kb_store_open(&st, cfg->db_path, BUSY_MS) == KB_OK ? KB_OK : KB_ERR;
    if (rc == KB_OK)
        rc = kb_store_begin(st);
    int changed_years = 0;
    for (int y = 0; rc == KB_OK && y < nyears; y++) {
        int nstored = 0, total = 0, in_file = 0, kinds[2] = {0, 0}, deleted = 0;
        rc = kb_holidays_of_year(st, years[y], stored, YEAR_ROWS, &nstored, &total);
        if (rc != KB_OK)
            break;
        for (int i = 0; i < r->nrows; i++)
            if (year_of(r->rows[i].h.date) == years[y])
                kinds[!strcmp(r->rows[i].h.kind, "cuti_bersama")]++;
        int same = total == nstored && same_as_file(stored, nstored, r, years[y], &in_file);
        printf("%d: %d day%s off in the file (%d libur_nasional, %d cuti_bersama); %s\n", years[y],
               kinds[0] + kinds[1], kinds[0] + kinds[1] == 1 ? "" : "s", kinds[0], kinds[1],
               same      ? "the same as stored: unchanged"
               : !total  ? (dry_run ? "none stored yet: would be added" : "none stored before")
               : dry_run ? "differs from the stored list: it would replace it"
                         : "replaces the stored list");
        if (!same && total)
            printf("      (stored before: %d)\n", total);
        if (same || dry_run)
            continue;
        changed_years++;
        rc = kb_holidays_clear_year(st, years[y], &deleted);
        for (int i = 0; rc == KB_OK && i < r->nrows; i++)
            if (year_of(r->rows[i].h.date) == years[y])
                rc = kb_holiday_add(st, r->rows[i].h.date, r->rows[i].h.name, r->rows[i].h.kind);
    }
    if (rc == KB_OK && !dry_run && changed_years)
        rc = kb_store_commit(st);
    else if (st)
        kb_store_rollback(st);
    kb_store_close(st);
    free(stored);
    free(r->rows);
    free(r);
    if (rc != KB_OK) {
        fprintf(stderr, "%s: not imported: %s\n", path,
                rc == KB_BUSY ? "the database stayed busy; try again"
                              : "the database could not be written");
        return 1;
    }
    if (dry_run)
        printf("dry run: nothing was written\n");
    else if (changed_years)
        printf("imported; working-day counts (the promotion timeline) skip these days from now\n");
    return 0;
}

static int list(const struct kb_config *cfg, int year)
{
    struct kb_store *st = NULL;
    struct kb_holiday *rows = calloc(YEAR_ROWS, sizeof *rows);
    int n = 0, total = 0;
    int rc = rows && kb_store_open(&st, cfg->db_path, BUSY_MS) == KB_OK
                 ? kb_holidays_of_year(st, year, rows, YEAR_ROWS, &n, &total)
                 : KB_ERR;
    kb_store_close(st);
    if (rc != KB_OK) {
        free(rows);
        fprintf(stderr, "karirbot holidays: the holidays could not be read\n");
        return 1;
    }
    static const char *const days[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (int i = 0; i < n; i++) {
        int wd = kb_weekday(rows[i].date);
        printf("%s %s  %-14s %s\n", rows[i].date, days[wd > 0 ? wd : 0], rows[i].kind,
               rows[i].name);
    }
    printf("%d: %d day%s off recorded\n", year, total, total == 1 ? "" : "s");
    free(rows);
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot holidays import FILE [--dry-run] [--db PATH]\n"
            "       karirbot holidays list [--year Y]\n\n"
            "National holidays and cuti bersama, which working-day counts skip (the promotion\n"
            "file's time at each stage).\n\n"
            "  import FILE   CSV with the header tanggal,nama,jenis (UTF-8, ',' or ';', as\n"
            "                Excel saves it); tanggal YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY;\n"
            "                jenis libur_nasional or cuti_bersama. Each year in the file\n"
            "                replaces that year's list as a whole (for a revised SKB); a file\n"
            "                with any bad row changes nothing. --dry-run only checks.\n"
            "  list          the days off of a year (default: this year, in WIB)\n");
}

int kb_cmd_holidays(const struct kb_config *cfg, int argc, char **argv)
{
    const char *file = NULL;
    int dry_run = 0, is_import = argc > 0 && !strcmp(argv[0], "import");
    char today[11];
    kb_admin_today(today);
    int year = atoi(today);
    if (argc < 1 || (!is_import && strcmp(argv[0], "list"))) {
        usage();
        return argc > 0 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) ? 0 : 64;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return 0;
        } else if (is_import && !strcmp(a, "--dry-run")) {
            dry_run = 1;
        } else if (!is_import && !strcmp(a, "--year") && i + 1 < argc) {
            char *end;
            long y = strtol(argv[++i], &end, 10);
            if (*end || y < 1 || y > 9999) {
                usage();
                return 64;
            }
            year = (int)y;
        } else if (is_import && a[0] != '-' && !file) {
            file = a;
        } else {
            fprintf(stderr, "karirbot holidays: unexpected '%s'\n", a);
            usage();
            return 64;
        }
    }
    if (is_import && !file) {
        usage();
        return 64;
    }
    return is_import ? import(cfg, file, dry_run) : list(cfg, year);
}
