/* fuzz_csv: a CSV file as HR's spreadsheet program saves it, through the reader of `karirbot
 * import` (kb_csv_parse: BOM, separator detection, quotes, CRLF, line numbers, limits) and
 * every value through the readers of single values the import kinds use (dates, rupiah,
 * decimals, whole numbers, education, rank, predikat kinerja, kind of position), with the
 * shipped policy data. Checks the reader's promises: UTF-8 values within the limits, rows in
 * line order after the header, no row of empty values, a reason for every refusal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/import.h"
#include "karirbot/policy.h"
#include "karirbot/utf8.h"

#define VALUES_MAX 512 /* values given to the single-value readers per input: the rest is seen */

static struct kb_policy *policy;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    struct kb_diag diag = {0};
    policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    kb_diag_free(&diag);
    if (!policy)
        abort();
    return 0;
}

static void read_value(const char *s)
{
    char out[11], grade[8];
    int64_t rupiah;
    double dec;
    long n;
    if (kb_import_date(s, out) == 0)
        FUZZ_CHECK(kb_date_parse(out, NULL, NULL, NULL) == 0);
    else
        FUZZ_CHECK(out[0] == '\0');
    if (kb_import_rupiah(s, &rupiah) == 0)
        FUZZ_CHECK(rupiah >= 0);
    if (kb_import_decimal(s, &dec) == 0)
        FUZZ_CHECK(isfinite(dec) && dec >= 0);
    if (kb_import_int(s, -100000, 100000, &n) == 0)
        FUZZ_CHECK(n >= -100000 && n <= 100000);
    if (kb_import_int(s, 0, 0, &n) == 0)
        FUZZ_CHECK(n == 0);
    (void)kb_import_education(policy, s);
    for (int pppk = 0; pppk < 2; pppk++) {
        if (kb_import_grade(policy, pppk, s, grade) == 0) {
            FUZZ_CHECK(memchr(grade, '\0', sizeof grade) != NULL);
            FUZZ_CHECK(pppk ? kb_policy_pppk_golongan(policy, grade)
                            : kb_policy_rank_index(policy, grade) >= 0);
        }
    }
    const char *perf = kb_import_perf(policy, s);
    if (perf)
        FUZZ_CHECK(strlen(perf) > 0);
    (void)kb_import_position_kind(s);
}

static void check_row(const struct kb_csv_row *r, int header, size_t *values)
{
    FUZZ_CHECK(r->line >= 1 && r->nfields >= 0 && r->nfields <= KB_CSV_FIELDS_MAX);
    int empty = 1;
    for (int i = 0; i < r->nfields; i++) {
        const char *f = r->fields[i];
        size_t n = strlen(f);
        FUZZ_CHECK(n <= KB_CSV_FIELD_MAX && kb_utf8_valid(f, n));
        empty &= n == 0;
        if ((*values)++ < VALUES_MAX)
            read_value(f);
    }
    FUZZ_CHECK(header || !empty);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kb_csv csv;
    char err[200];
    int line = -1;
    if (kb_csv_parse((const char *)data, size, &csv, err, sizeof err, &line) != 0) {
        FUZZ_CHECK(err[0] != '\0' && line >= 0);
        kb_csv_free(&csv);
        return 0;
    }
    FUZZ_CHECK(csv.sep == ',' || csv.sep == ';' || csv.sep == '\t');
    FUZZ_CHECK(csv.nrows <= KB_CSV_ROWS_MAX);
    size_t values = 0;
    check_row(&csv.header, 1, &values);
    int last = csv.header.line;
    for (size_t i = 0; i < csv.nrows; i++) {
        check_row(&csv.rows[i], 0, &values);
        FUZZ_CHECK(csv.rows[i].line > last);
        last = csv.rows[i].line;
    }
    kb_csv_free(&csv);
    return 0;
}
