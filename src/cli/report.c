/* report: `karirbot report rpi|jp|trainings|approvals|promotions|nominees [options]` — HR's
 * spreadsheets, as CSV (to stdout or a file) or XLSX (to a file).
 *
 * A report only reads: the database must exist at this karirbot's schema version (the command
 * never creates or migrates one: it says to run `karirbot migrate` instead), and every row
 * comes from one read transaction (report_build.c), which in WAL mode neither waits for nor
 * holds up the running service. A file is written under a temporary name and renamed when
 * complete, so HR never opens half a report. */
#include "karirbot/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/policy.h"
#include "karirbot/reports_store.h"
#include "karirbot/store.h"

#define BUSY_MS      5000 /* a read in WAL mode does not wait for writers; this is for the open */
#define PATH_MAX_LEN 4096

struct report_args {
    struct kb_report_opts o;
    const char *kind_name;
    int xlsx; /* -1: not said (csv, or xlsx when the output ends in .xlsx) */
    const char *output;
    char sep;
    int plain;
    int per_unit;
    int year_given;
};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot report KIND [--unit NAME] [--year Y] [--format csv|xlsx]\n"
            "                            [--output FILE] [--db PATH] [options]\n\n"
            "HR's reports, with the column names of HR's spreadsheets. Reading only: the\n"
            "service may run meanwhile, and nothing in the database changes.\n\n"
            "Kinds:\n"
            "  rpi         RPI completion per employee, by unit: plan status, activities\n"
            "              planned, finished, late and waiting for approval, JP planned,\n"
            "              recognised and waiting for verification (--per-unit: per unit)\n"
            "  jp          JP recognised against the year's target per employee (PNS, CPNS),\n"
            "              the largest shortfall first; for PPPK the policy's figure is a\n"
            "              ceiling, shown as 'batas' and never as below a target\n"
            "  trainings   per training: seats held against the quota, free seats, the\n"
            "              waiting list, registrations by status, cost (seats x cost per seat)\n"
            "  approvals   per approver: requests waiting, by kind, the oldest one's date and\n"
            "              its working days of waiting (longest first)\n"
            "  promotions  each employee's current promotion file, by stage: working days at\n"
            "              the stage against the policy's expected days, and who must act\n"
            "  nominees    the nominee list of one training (--training KODE): registrations\n"
            "              with status, seat, place on the waiting list, the supervisor's\n"
            "              decision and its date\n"
            "Working days are the unit's (five or six a week) without the holidays HR\n"
            "imported; dates are each person's own (WIB, WITA, WIT). Staff who left are not\n"
            "in rpi, jp and promotions; approvals still list what waits for them.\n\n"
            "Options:\n"
            "  --unit NAME         only that unit: its employees (approvals: its approvers;\n"
            "                      trainings: its employees' registrations; quota and free\n"
            "                      seats stay the training's)\n"
            "  --year Y            rpi, jp: the plan year (default: this year, WIB);\n"
            "                      trainings: those running in Y; promotions: files for a\n"
            "                      period in Y (default for both: every year)\n"
            "  --format csv|xlsx   csv by default, or xlsx when --output ends in .xlsx\n"
            "  --output FILE       write FILE, replacing it. Without it, CSV goes to stdout\n"
            "                      and XLSX to report-KIND-YEAR.xlsx (report-nominees-KODE.xlsx)\n"
            "                      in the current directory, which is never replaced\n"
            "  --separator C       CSV field separator: ';' (default, as Excel in an\n"
            "                      Indonesian locale expects: its decimal mark is the comma),\n"
            "                      ',' or 'tab'\n"
            "  --plain             CSV: NIPs as bare digits, for other programs (by default\n"
            "                      they are written =\"...\" so that Excel keeps all 18 digits)\n"
            "  --per-unit          rpi: one row per unit\n"
            "  --below-target      jp: only employees below their target\n"
            "  --training KODE     nominees: the training's code\n"
            "  --now UNIX_SECONDS  report as if it were then (for tests)\n\n"
            "CSV is UTF-8 with a byte-order mark, quoted as RFC 4180 says, with CRLF line\n"
            "ends; numbers are plain digits and dates YYYY-MM-DD. XLSX has a bold header row\n"
            "that stays in view, a filter, fitted column widths, numbers as numbers and dates\n"
            "as dates. Exit status: 0, 1 when the report could not be made, 64 for a usage\n"
            "error.\n");
}

static int kind_of(const char *s, enum kb_report_kind *k)
{
    static const struct {
        const char *name;
        enum kb_report_kind kind;
    } kinds[] = {{"rpi", KB_REPORT_RPI},
                 {"jp", KB_REPORT_JP},
                 {"trainings", KB_REPORT_TRAININGS},
                 {"approvals", KB_REPORT_APPROVALS},
                 {"promotions", KB_REPORT_PROMOTIONS},
                 {"nominees", KB_REPORT_NOMINEES}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(s, kinds[i].name)) {
            *k = kinds[i].kind;
            return 0;
        }
    return -1;
}

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "karirbot report: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 64;
}

/* Returns 0, 64 after a usage error (said), or 1 for --help. */
static int parse(int argc, char **argv, struct report_args *a)
{
    a->xlsx = -1;
    a->sep = ';';
    a->o.now = 0;
    int have_kind = 0;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end, name[32];
        /* --name=value is --name value */
        const char *eq = s[0] == '-' && s[1] == '-' ? strchr(s, '=') : NULL;
        int inline_value = eq && (size_t)(eq - s) < sizeof name;
        if (inline_value) {
            memcpy(name, s, (size_t)(eq - s));
            name[eq - s] = '\0';
            s = name;
            v = eq + 1;
        }
        if (!strcmp(s, "--help") || !strcmp(s, "-h"))
            return 1;
        int takes = !strcmp(s, "--unit") || !strcmp(s, "--year") || !strcmp(s, "--format") ||
                    !strcmp(s, "--output") || !strcmp(s, "-o") || !strcmp(s, "--separator") ||
                    !strcmp(s, "--training") || !strcmp(s, "--now");
        if (takes && !v)
            return bad("%s needs a value", s);
        if (!strcmp(s, "--unit")) {
            a->o.unit = v;
        } else if (!strcmp(s, "--year")) {
            long y = strtol(v, &end, 10);
            if (*end || end == v || y < 1900 || y > 9999)
                return bad("--year takes a year such as 2026, not '%s'", v);
            a->o.year = (int)y;
            a->year_given = 1;
        } else if (!strcmp(s, "--format")) {
            if (strcmp(v, "csv") && strcmp(v, "xlsx"))
                return bad("--format is csv or xlsx, not '%s'", v);
            a->xlsx = !strcmp(v, "xlsx");
        } else if (!strcmp(s, "--output") || !strcmp(s, "-o")) {
            if (!*v || strlen(v) >= PATH_MAX_LEN - 32)
                return bad("--output needs a file name");
            a->output = v;
        } else if (!strcmp(s, "--separator")) {
            if (!strcmp(v, ";") || !strcmp(v, ","))
                a->sep = v[0];
            else if (!strcmp(v, "tab") || !strcmp(v, "\t"))
                a->sep = '\t';
            else
                return bad("--separator is ';', ',' or 'tab', not '%s'", v);
        } else if (!strcmp(s, "--training")) {
            a->o.training = v;
        } else if (!strcmp(s, "--now")) {
            long long now = strtoll(v, &end, 10);
            if (*end || end == v || now <= 0)
                return bad("--now takes seconds since 1970, not '%s'", v);
            a->o.now = now;
        } else if (!strcmp(s, "--plain")) {
            a->plain = 1;
        } else if (!strcmp(s, "--per-unit")) {
            a->per_unit = 1;
        } else if (!strcmp(s, "--below-target")) {
            a->o.below_target = 1;
        } else if (s[0] == '-') {
            return bad("unknown option %s", s);
        } else if (have_kind) {
            return bad("one report at a time ('%s' is a second one)", s);
        } else if (kind_of(s, &a->o.kind) != 0) {
            return bad("no report named '%s' (rpi, jp, trainings, approvals, promotions, "
                       "nominees)",
                       s);
        } else {
            a->kind_name = s;
            have_kind = 1;
        }
        if (takes && !inline_value)
            i++;
        else if (!takes && inline_value)
            return bad("%s takes no value", s);
    }
    if (!have_kind)
        return bad("name a report: rpi, jp, trainings, approvals, promotions or nominees");
    enum kb_report_kind k = a->o.kind;
    if (a->per_unit && k != KB_REPORT_RPI)
        return bad("--per-unit is an option of the rpi report");
    if (a->per_unit)
        a->o.kind = KB_REPORT_RPI_UNITS;
    if (a->o.below_target && k != KB_REPORT_JP)
        return bad("--below-target is an option of the jp report");
    if ((a->o.training != NULL) != (k == KB_REPORT_NOMINEES))
        return bad("%s", k == KB_REPORT_NOMINEES ? "nominees needs --training KODE"
                                                 : "--training is an option of nominees");
    if (a->year_given && (k == KB_REPORT_APPROVALS || k == KB_REPORT_NOMINEES))
        return bad("--year does not apply to %s: it shows what stands now", a->kind_name);
    if (a->o.unit && k == KB_REPORT_NOMINEES)
        return bad("--unit does not apply to nominees");
    if (a->xlsx < 0) {
        size_t n = a->output ? strlen(a->output) : 0;
        a->xlsx = n > 5 && !strcmp(a->output + n - 5, ".xlsx");
    }
    return 0;
}

/* The database must be there at this karirbot's version: a report creates and migrates
 * nothing. Returns 0, or 1 after saying why not. */
static int database_ready(const char *path)
{
    int version;
    if (kb_rep_schema_version(path, &version) != KB_OK) {
        fprintf(stderr, "karirbot report: cannot read the database %s\n", path);
        return 1;
    }
    if (version < 0) {
        fprintf(stderr, "karirbot report: no database at %s (set --db or KARIRBOT_DB)\n", path);
        return 1;
    }
    if (version < kb_store_latest_version()) {
        fprintf(stderr,
                "karirbot report: the database %s is at schema version %d and this karirbot "
                "reads version %d: run `karirbot migrate` (the service migrates on start) "
                "first\n",
                path, version, kb_store_latest_version());
        return 1;
    }
    return 0;
}

/* The default XLSX name in the current directory: report-KIND-YEAR.xlsx, or for nominees
 * report-nominees-KODE.xlsx with the code's unusual characters as '_'. */
static void default_name(const struct report_args *a, const struct kb_report *r, char *out,
                         size_t cap)
{
    if (a->o.kind == KB_REPORT_NOMINEES) {
        char code[64];
        size_t n = 0;
        for (const char *c = a->o.training; *c && n + 1 < sizeof code; c++) {
            int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                     (*c >= '0' && *c <= '9') || *c == '-' || *c == '.';
            code[n++] = ok ? *c : '_';
        }
        code[n] = '\0';
        snprintf(out, cap, "report-nominees-%s.xlsx", code);
        return;
    }
    int year = a->o.year;
    if (!year) {
        char today[KB_DATE_LEN];
        year = kb_local_date(a->o.now, "WIB", today) == 0 ? atoi(today) : 0;
    }
    snprintf(out, cap, "report-%s-%04d.xlsx", r->kind, year);
}

/* Writes the report to path through a temporary file renamed into place. */
static int write_file(const struct report_args *a, const struct kb_report *r, const char *path)
{
    char tmp[PATH_MAX_LEN], err[256] = "";
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    int rc = -1;
    if (a->xlsx) {
        rc = kb_report_write_xlsx(r, tmp, err, sizeof err);
    } else {
        FILE *f = fopen(tmp, "wb");
        if (!f) {
            snprintf(err, sizeof err, "%s", strerror(errno));
        } else {
            rc = kb_report_write_csv(r, f, a->sep, a->plain);
            if (fclose(f) != 0)
                rc = -1;
            if (rc != 0)
                snprintf(err, sizeof err, "%s", strerror(errno));
        }
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, sizeof err, "%s", strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        unlink(tmp);
        fprintf(stderr, "karirbot report: cannot write %s: %s\n", path, err);
        return 1;
    }
    fprintf(stderr, "karirbot report: %zu row%s written to %s\n", r->nrows,
            r->nrows == 1 ? "" : "s", path);
    return 0;
}

int kb_cmd_report(const struct kb_config *cfg, int argc, char **argv)
{
    struct report_args a = {0};
    int rc = parse(argc, argv, &a);
    if (rc != 0) {
        if (rc == 1)
            usage();
        else
            fprintf(stderr, "(karirbot report --help explains)\n");
        return rc == 1 ? 0 : rc;
    }
    if (a.o.now)
        kb_clock_set(a.o.now);
    a.o.now = kb_now();
    if (database_ready(cfg->db_path) != 0)
        return 1;

    struct kb_policy *policy = NULL;
    if (a.o.kind == KB_REPORT_JP || a.o.kind == KB_REPORT_PROMOTIONS) {
        struct kb_diag diag = {0};
        policy = kb_policy_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
        for (size_t i = 0; !policy && i < diag.nlines; i++)
            fprintf(stderr, "%s\n", diag.lines[i]);
        kb_diag_free(&diag);
        if (!policy) {
            fprintf(stderr, "karirbot report: the policy data has errors (above); `karirbot "
                            "check` shows them too\n");
            return 1;
        }
    }
    struct kb_store *st = NULL;
    struct kb_report r;
    char err[512];
    memset(&r, 0, sizeof r);
    rc = 1;
    if (kb_store_open(&st, cfg->db_path, BUSY_MS) != KB_OK) {
        fprintf(stderr, "karirbot report: cannot open the database %s\n", cfg->db_path);
        goto out;
    }
    if (kb_report_build(st, policy, &a.o, &r, err, sizeof err) != 0) {
        fprintf(stderr, "karirbot report: %s\n", err);
        goto out;
    }
    kb_store_close(st);
    st = NULL;
    if (a.output) {
        rc = write_file(&a, &r, a.output);
    } else if (a.xlsx) {
        char path[PATH_MAX_LEN];
        default_name(&a, &r, path, sizeof path);
        if (access(path, F_OK) == 0) {
            fprintf(stderr,
                    "karirbot report: %s exists already; name the file with --output (it is "
                    "then replaced), or move the old one\n",
                    path);
        } else {
            rc = write_file(&a, &r, path);
        }
    } else {
        rc = kb_report_write_csv(&r, stdout, a.sep, a.plain) == 0 ? 0 : 1;
        if (rc)
            fprintf(stderr, "karirbot report: cannot write to stdout: %s\n", strerror(errno));
    }
out:
    kb_store_close(st);
    kb_report_free(&r);
    kb_policy_free(policy);
    return rc;
}
