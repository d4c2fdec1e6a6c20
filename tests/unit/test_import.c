/* test_import: HR's spreadsheet import. The CSV reader on what Excel writes (BOM, semicolons,
 * CRLF, quoted separators, quotes and line breaks, the rows it leaves empty) with the line each
 * row starts on, and the files it must refuse (UTF-16, not UTF-8, an open quote); the readers of
 * single values (the three date forms, rupiah, decimal commas, education levels, ranks and
 * predikat against the shipped policy, kinds of position); then the whole command on a real
 * SQLite file with the demo organisation: the fixture files imported, the same file again
 * changing nothing (counted rows, and updated_at untouched), a dry run writing nothing, a bad
 * file writing nothing, and an employee who lost access no longer found by their account. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/buf.h"
#include "karirbot/config.h"
#include "karirbot/diag.h"
#include "karirbot/import.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/store.h"

#define FIXTURES KB_SOURCE_DATA_DIR "/tests/fixtures/import/"

static struct kb_policy *policy;

/* ---- CSV ------------------------------------------------------------------------------------ */

static int parse(const char *text, size_t len, struct kb_csv *c, char *err, int *line)
{
    return kb_csv_parse(text, len, c, err, 200, line);
}

static void test_csv_excel(void)
{
    /* BOM, semicolons, CRLF, a quoted separator, doubled quotes, a line break in a value, an
     * empty row Excel leaves, and a last line without its newline. */
    static const char text[] = "\xEF\xBB\xBFnip;nama;jabatan\r\n"
                               "1;\"Sari; S.Kom\";Analis\r\n"
                               ";;\r\n"
                               "2;\"Budi \"\"Bud\"\"\";\"Kepala\r\nSeksi\"\r\n"
                               "\r\n"
                               "3;  Rina  ;\"\"";
    struct kb_csv c;
    char err[200];
    int line = -1;
    CHECK(parse(text, sizeof text - 1, &c, err, &line) == 0);
    CHECK(c.bom == 1 && c.sep == ';');
    CHECK(c.header.line == 1 && c.header.nfields == 3);
    CHECK_STR(c.header.fields[0], "nip");
    CHECK(c.nrows == 3);
    if (c.nrows == 3) {
        CHECK(c.rows[0].line == 2);
        CHECK_STR(c.rows[0].fields[1], "Sari; S.Kom");
        CHECK(c.rows[1].line == 4); /* the empty row of line 3 is skipped */
        CHECK_STR(c.rows[1].fields[1], "Budi \"Bud\"");
        CHECK_STR(c.rows[1].fields[2], "Kepala\r\nSeksi");
        CHECK(c.rows[2].line == 7); /* after the two-line row and a blank line */
        CHECK_STR(c.rows[2].fields[1], "Rina");
        CHECK(c.rows[2].nfields == 3);
        CHECK_STR(c.rows[2].fields[2], "");
    }
    kb_csv_free(&c);

    /* Commas and LF, no BOM; the separator is the header's. */
    static const char comma[] = "a,b\n\"x;y\",2\n";
    CHECK(parse(comma, sizeof comma - 1, &c, err, &line) == 0);
    CHECK(c.sep == ',' && c.bom == 0 && c.nrows == 1);
    if (c.nrows == 1)
        CHECK_STR(c.rows[0].fields[0], "x;y");
    kb_csv_free(&c);
}

static void test_csv_refused(void)
{
    struct kb_csv c;
    char err[200];
    int line = -1;
    static const char utf16[] = "\xFF\xFEn\0i\0p\0";
    CHECK(parse(utf16, sizeof utf16 - 1, &c, err, &line) == -1);
    CHECK(strstr(err, "UTF-16") != NULL);
    kb_csv_free(&c);

    static const char latin1[] = "nip,nama\n1,Andi\n2,Jos\xE9\n";
    CHECK(parse(latin1, sizeof latin1 - 1, &c, err, &line) == -1);
    CHECK(line == 3 && strstr(err, "UTF-8") != NULL);
    kb_csv_free(&c);

    static const char open_quote[] = "nip,nama\n1,Andi\n2,\"Budi\n3,Citra\n";
    CHECK(parse(open_quote, sizeof open_quote - 1, &c, err, &line) == -1);
    CHECK(line == 3 && strstr(err, "quote") != NULL);
    kb_csv_free(&c);

    CHECK(parse("", 0, &c, err, &line) == -1);
    CHECK(strstr(err, "empty") != NULL);
    kb_csv_free(&c);

    static const char after_quote[] = "nip,nama\n1,\"Budi\" Santoso\n";
    CHECK(parse(after_quote, sizeof after_quote - 1, &c, err, &line) == -1);
    CHECK(line == 2 && strstr(err, "wholly in quotes") != NULL);
    kb_csv_free(&c);

    /* A value past the limit, and an open quote that would swallow the file: refused as soon
     * as the value passes the limit. */
    size_t big = KB_CSV_FIELD_MAX + 100;
    char *long_text = malloc(big + 20);
    CHECK(long_text != NULL);
    if (long_text) {
        memcpy(long_text, "a\n\"", 3);
        memset(long_text + 3, 'x', big);
        memcpy(long_text + 3 + big, "\"\n", 2);
        CHECK(parse(long_text, big + 5, &c, err, &line) == -1);
        CHECK(line == 2 && strstr(err, "longer") != NULL);
        kb_csv_free(&c);
        memcpy(long_text, "a\n1\n\"", 5);
        for (size_t i = 5; i < big; i += 100)
            long_text[i] = '\n';
        CHECK(parse(long_text, big, &c, err, &line) == -1);
        CHECK(line == 3 && strstr(err, "longer") != NULL);
        kb_csv_free(&c);
        free(long_text);
    }
}

/* ---- values --------------------------------------------------------------------------------- */

static const char *date(const char *s)
{
    static char out[11];
    return kb_import_date(s, out) == 0 ? out : "-";
}

static void test_dates(void)
{
    CHECK_STR(date("2019-04-01"), "2019-04-01");
    CHECK_STR(date("01-04-2019"), "2019-04-01");
    CHECK_STR(date("01/04/2019"), "2019-04-01");
    CHECK_STR(date("1/4/2019"), "2019-04-01");
    CHECK_STR(date(" 2019-4-1 "), "2019-04-01");
    CHECK_STR(date("29/02/2024"), "2024-02-29");
    CHECK_STR(date("29/02/2023"), "-"); /* no such day */
    CHECK_STR(date("31-04-2019"), "-");
    CHECK_STR(date("2019/04/01"), "-"); /* not one of the three forms */
    CHECK_STR(date("01-04/2019"), "-"); /* two different separators */
    CHECK_STR(date("01.04.2019"), "-");
    CHECK_STR(date("1 April 2019"), "-");
    CHECK_STR(date("01-13-2019"), "-");
    CHECK_STR(date(""), "-");
}

static void test_numbers(void)
{
    int64_t r;
    CHECK(kb_import_rupiah("1.500.000", &r) == 0 && r == 1500000);
    CHECK(kb_import_rupiah("1500000", &r) == 0 && r == 1500000);
    CHECK(kb_import_rupiah("Rp 1.500.000,-", &r) == 0 && r == 1500000);
    CHECK(kb_import_rupiah("Rp1.500.000,00", &r) == 0 && r == 1500000);
    CHECK(kb_import_rupiah("1,500,000", &r) == 0 && r == 1500000);
    CHECK(kb_import_rupiah("0", &r) == 0 && r == 0);
    CHECK(kb_import_rupiah("1.50.000", &r) == -1);
    CHECK(kb_import_rupiah("1,5 juta", &r) == -1);
    CHECK(kb_import_rupiah("1.500.000,50", &r) == -1); /* rupiah are whole */
    CHECK(kb_import_rupiah("-5", &r) == -1);
    CHECK(kb_import_rupiah("", &r) == -1);

    double d;
    CHECK(kb_import_decimal("12,5", &d) == 0 && d == 12.5);
    CHECK(kb_import_decimal("1.234,5", &d) == 0 && d == 1234.5);
    CHECK(kb_import_decimal("12.5", &d) == 0 && d == 12.5);
    CHECK(kb_import_decimal("410", &d) == 0 && d == 410);
    CHECK(kb_import_decimal("1,2,3", &d) == -1);
    CHECK(kb_import_decimal("12,", &d) == -1);
    CHECK(kb_import_decimal("abc", &d) == -1);
    CHECK(kb_import_decimal("-1", &d) == -1);

    long v;
    CHECK(kb_import_int("25", 0, 100, &v) == 0 && v == 25);
    CHECK(kb_import_int("1.000", 0, 5000, &v) == 0 && v == 1000);
    CHECK(kb_import_int("101", 0, 100, &v) == -1);
    CHECK(kb_import_int("2,5", 0, 100, &v) == -1);
}

static void test_policy_values(void)
{
    const char *e;
    CHECK((e = kb_import_education(policy, "S-1")) && !strcmp(e, "s1"));
    CHECK((e = kb_import_education(policy, "s1")) && !strcmp(e, "s1"));
    CHECK((e = kb_import_education(policy, "Sarjana (S-1)")) && !strcmp(e, "s1"));
    CHECK((e = kb_import_education(policy, "D-IV")) && !strcmp(e, "d4"));
    CHECK((e = kb_import_education(policy, "Diploma III")) && !strcmp(e, "d3"));
    CHECK((e = kb_import_education(policy, "SMA/SLTA")) && !strcmp(e, "slta"));
    CHECK((e = kb_import_education(policy, "SMK")) && !strcmp(e, "slta"));
    CHECK((e = kb_import_education(policy, "SLTP Kejuruan")) && !strcmp(e, "sltp_kejuruan"));
    CHECK((e = kb_import_education(policy, "S-3")) && !strcmp(e, "s3"));
    CHECK(kb_import_education(policy, "SMA/S1") == NULL); /* two levels */
    CHECK(kb_import_education(policy, "S5") == NULL);
    CHECK(kb_import_education(policy, "") == NULL);

    char g[8];
    CHECK(kb_import_grade(policy, 0, "III/a", g) == 0 && !strcmp(g, "III/a"));
    CHECK(kb_import_grade(policy, 0, "iii/A", g) == 0 && !strcmp(g, "III/a"));
    CHECK(kb_import_grade(policy, 0, "III a", g) == 0 && !strcmp(g, "III/a"));
    CHECK(kb_import_grade(policy, 0, "3/a", g) == 0 && !strcmp(g, "III/a"));
    CHECK(kb_import_grade(policy, 0, "IV-e", g) == 0 && !strcmp(g, "IV/e"));
    CHECK(kb_import_grade(policy, 0, "III/f", g) == -1);
    CHECK(kb_import_grade(policy, 0, "IV/f", g) == -1);
    CHECK(kb_import_grade(policy, 0, "IX", g) == -1); /* a PPPK golongan, not a PNS rank */
    CHECK(kb_import_grade(policy, 1, "ix", g) == 0 && !strcmp(g, "IX"));
    CHECK(kb_import_grade(policy, 1, "9", g) == 0 && !strcmp(g, "IX"));
    CHECK(kb_import_grade(policy, 1, "XVII", g) == 0 && !strcmp(g, "XVII"));
    CHECK(kb_import_grade(policy, 1, "XVIII", g) == -1);
    CHECK(kb_import_grade(policy, 1, "18", g) == -1);
    CHECK(kb_import_grade(policy, 1, "III/a", g) == -1);

    const char *p;
    CHECK((p = kb_import_perf(policy, "sangat baik")) && !strcmp(p, "Sangat Baik"));
    CHECK((p = kb_import_perf(policy, "BAIK")) && !strcmp(p, "Baik"));
    CHECK((p = kb_import_perf(policy, "sangat_baik")) && !strcmp(p, "Sangat Baik"));
    CHECK((p = kb_import_perf(policy, "Kurang")) && !strcmp(p, "Kurang/Misconduct"));
    CHECK((p = kb_import_perf(policy, "Butuh Perbaikan")) && !strcmp(p, "Butuh Perbaikan"));
    CHECK(kb_import_perf(policy, "Istimewa") == NULL);

    CHECK_STR(kb_import_position_kind("JFT"), "fungsional");
    CHECK_STR(kb_import_position_kind("Jabatan Fungsional"), "fungsional");
    CHECK_STR(kb_import_position_kind("Fungsional Umum"), "pelaksana");
    CHECK_STR(kb_import_position_kind("Pelaksana"), "pelaksana");
    CHECK_STR(kb_import_position_kind("Administrator"), "struktural");
    CHECK_STR(kb_import_position_kind("Jabatan Pimpinan Tinggi Pratama"), "struktural");
    CHECK(kb_import_position_kind("Kepala") == NULL);
}

/* ---- the command on a real database --------------------------------------------------------- */

struct world {
    char path[512];
    struct kb_config cfg;
    struct kb_store *st;
};

static void world_open(struct world *w, const char *name)
{
    demo_path(w->path, sizeof w->path, "import", name);
    char arg0[] = "karirbot", db[] = "--db", *argv[] = {arg0, db, w->path, NULL};
    int argc = 3;
    CHECK(kb_config_load(&w->cfg, &argc, argv) == 0);
    CHECK(kb_store_open(&w->st, w->path, 1000) == KB_OK);
    CHECK(demo_seed(w->st, "2026-11-18") == 0);
}

static void world_close(struct world *w)
{
    kb_store_close(w->st);
    kb_config_free(&w->cfg);
    demo_remove(w->path);
}

static int run(struct world *w, const char *kind, const char *file, const char *flag)
{
    char a0[32], a1[512], a2[32];
    snprintf(a0, sizeof a0, "%s", kind);
    snprintf(a1, sizeof a1, "%s%s", FIXTURES, file);
    snprintf(a2, sizeof a2, "%s", flag ? flag : "");
    char *argv[] = {a0, a1, a2, NULL};
    fflush(stdout);
    return kb_cmd_import(&w->cfg, flag ? 3 : 2, argv);
}

/* A digest of every employee row, to see that nothing changed. */
static long long employees_sum(struct world *w)
{
    struct kb_person p;
    long long sum = 0;
    for (int64_t id = 1; id <= 40; id++) {
        int found = 0;
        if (kb_person_by_id(w->st, id, &p, &found) != KB_OK || !found)
            continue;
        sum += id * 1000003LL + (long long)strlen(p.name) * 31 + p.supervisor_id * 7 +
               (long long)p.chat_id % 1000 + (long long)(p.credit_points * 10) + p.stlud * 3;
        for (const char *c = p.grade; *c; c++)
            sum += *c;
        for (const char *c = p.zone; *c; c++)
            sum += *c * 5;
    }
    return sum;
}

static void test_import_employees(void)
{
    struct world w;
    world_open(&w, "employees");
    long long before = employees_sum(&w);
    CHECK(run(&w, "employees", "employees.csv", "--dry-run") == 0);
    CHECK(employees_sum(&w) == before); /* a dry run writes nothing */
    struct kb_person p;
    int found = 1;
    CHECK(kb_person_by_nip(w.st, "199205142018011003", &p, &found) == KB_OK && !found);

    CHECK(run(&w, "employees", "employees.csv", NULL) == 0);
    CHECK(kb_person_by_nip(w.st, "199205142018011003", &p, &found) == KB_OK && found);
    CHECK_STR(p.grade, "III/b");
    CHECK_STR(p.tmt_grade, "2022-04-01");
    CHECK_STR(p.education, "d4");
    CHECK_STR(p.position_kind, "fungsional");
    CHECK_STR(p.unit, "Dinas Kesehatan");
    CHECK_STR(p.zone, "WIT");
    CHECK(p.credit_points == 112.5 && p.stlud == 0);
    int64_t andi_sup = p.supervisor_id; /* the head, who comes after him in the file */
    CHECK(kb_person_by_nip(w.st, "197309092000122001", &p, &found) == KB_OK && found);
    CHECK(andi_sup == p.id);
    CHECK_STR(p.name, "dr. Sri Wahyuni, M.Kes.");
    CHECK(kb_person_by_nip(w.st, "199608082022212004", &p, &found) == KB_OK && found);
    CHECK_STR(p.asn_kind, "PPPK"); /* paruh waktu: a PPPK for every rule */
    CHECK_STR(p.grade, "VII");

    /* Again, and in the other layout: nothing changes, links stay. */
    long long after = employees_sum(&w);
    CHECK(run(&w, "employees", "employees.csv", NULL) == 0);
    CHECK(run(&w, "employees", "employees_semicolon_bom_crlf.csv", NULL) == 0);
    CHECK(employees_sum(&w) == after);
    CHECK(kb_person_by_user(w.st, 2000000004LL, &p, &found) == KB_OK && found);

    /* A bad file: nothing of it is written. */
    CHECK(run(&w, "employees", "employees_bad.csv", NULL) == 1);
    CHECK(employees_sum(&w) == after);
    CHECK(kb_person_by_nip(w.st, "198003032005011006", &p, &found) == KB_OK && !found);

    /* Rudi retires, Lina leaves, Dewi moves to Ratna: Rudi's account finds nobody. */
    CHECK(run(&w, "employees", "employees_moved.csv", "--deactivate-missing") == 0);
    CHECK(kb_person_by_user(w.st, 2000000005LL, &p, &found) == KB_OK && !found);
    CHECK(kb_person_by_user(w.st, 2000000011LL, &p, &found) == KB_OK && !found);
    CHECK(kb_person_by_nip(w.st, "199107102019031005", &p, &found) == KB_OK && found);
    CHECK(p.chat_id == 0); /* unlinked; the record stays */
    CHECK(kb_person_by_user(w.st, 2000000004LL, &p, &found) == KB_OK && found);
    CHECK(p.supervisor_id == 3);
    /* Whatever else happens to the link, an inactive employee is nobody's account. */
    CHECK(kb_store_exec_seed(w.st, "UPDATE employees SET active = 0 WHERE id = 4;", "2026-11-18") ==
          KB_OK);
    CHECK(kb_person_by_user(w.st, 2000000004LL, &p, &found) == KB_OK && !found);
    world_close(&w);
}

static void test_import_records(void)
{
    struct world w;
    world_open(&w, "records");
    CHECK(run(&w, "trainings", "trainings.csv", NULL) == 0);
    CHECK(run(&w, "trainings", "trainings_bad.csv", NULL) == 1);
    CHECK(run(&w, "mentors", "mentors.csv", NULL) == 0);
    CHECK(run(&w, "mentors", "mentors_bad.csv", NULL) == 1);
    CHECK(run(&w, "promotions", "promotions.csv", NULL) == 0);
    CHECK(run(&w, "promotions", "promotions_bad.csv", NULL) == 1);
    CHECK(run(&w, "promotions", "promotions.csv", "--deactivate-missing") == 64);
    CHECK(run(&w, "pegawai", "employees.csv", NULL) == 64);
    world_close(&w);
}

int main(void)
{
    struct kb_diag d = {0};
    policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &d);
    kb_diag_free(&d);
    CHECK(policy != NULL);
    if (!policy)
        return CHECK_SUMMARY();
    RUN(test_csv_excel);
    RUN(test_csv_refused);
    RUN(test_dates);
    RUN(test_numbers);
    RUN(test_policy_values);
    RUN(test_import_employees);
    RUN(test_import_records);
    kb_policy_free(policy);
    return CHECK_SUMMARY();
}
