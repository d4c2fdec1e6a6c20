/* test_policy: unit tests of the policy loader and its lookups (src/career/policy.c).
 *
 * The shipped dialogs/policy.json must load and say what DOMAIN.md says (ranks and pangkat
 * names copied by hand from DOMAIN.md, promotion periods worked out by hand from the calendar
 * regimes). Broken files are the shipped text with one edit, written under KARIRBOT_TEST_TMP;
 * each must be refused with exactly the expected diag line. An override file replaces the
 * shipped one whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "karirbot/buf.h"
#include "karirbot/diag.h"
#include "karirbot/policy.h"

#include "check.h"

#define SHIPPED   KB_SOURCE_DATA_DIR
#define FILE_NAME "dialogs/policy.json"

static const char *tmp_dir(void)
{
    const char *d = getenv("KARIRBOT_TEST_TMP");
    return d && *d ? d : "/tmp";
}

static void print_diag(const struct kb_diag *d)
{
    for (size_t i = 0; i < d->nlines; i++)
        fprintf(stderr, "    | %s\n", d->lines[i]);
}

static int has_line(const struct kb_diag *d, const char *line)
{
    for (size_t i = 0; i < d->nlines; i++)
        if (!strcmp(d->lines[i], line))
            return 1;
    return 0;
}

static char *shipped_text(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    if (kb_buf_read_file(&b, SHIPPED "/" FILE_NAME) != 0) {
        kb_buf_free(&b);
        return NULL;
    }
    return kb_buf_take(&b);
}

/* A copy of text with the first `from` replaced by `to`; NULL when `from` is not there. */
static char *replace_once(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        return NULL;
    size_t head = (size_t)(at - text), flen = strlen(from), tlen = strlen(to);
    size_t rest = strlen(at + flen);
    char *out = malloc(head + tlen + rest + 1);
    if (!out)
        return NULL;
    memcpy(out, text, head);
    memcpy(out + head, to, tlen);
    memcpy(out + head + tlen, at + flen, rest + 1);
    return out;
}

/* Writes text as <tmp>/policy-<name>/dialogs/policy.json; the directory goes into dir. */
static int write_policy(const char *name, const char *text, char *dir, size_t cap)
{
    char sub[600], path[700];
    snprintf(dir, cap, "%s/policy-%s", tmp_dir(), name);
    snprintf(sub, sizeof sub, "%s/dialogs", dir);
    mkdir(dir, 0700);
    mkdir(sub, 0700);
    snprintf(path, sizeof path, "%s/policy.json", sub);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* ---- the shipped file ---------------------------------------------------------------------- */

static void test_shipped_loads(void)
{
    struct kb_diag d = {0};
    struct kb_policy *p = kb_policy_load(SHIPPED, NULL, &d);
    CHECK(p != NULL);
    CHECK(d.errors == 0 && d.warnings == 0 && d.nlines == 0);
    print_diag(&d);
    kb_diag_free(&d);
    if (!p)
        return;

    CHECK(kb_policy_minutes_per_jp(p) == 45);
    const struct kb_jp_rule *jp = kb_policy_jp(p, KB_ASN_PNS);
    CHECK(jp && jp->jp_per_year == 20 && !jp->ceiling && !jp->contract_year);
    jp = kb_policy_jp(p, KB_ASN_CPNS);
    CHECK(jp && jp->jp_per_year == 20 && !jp->ceiling);
    jp = kb_policy_jp(p, KB_ASN_PPPK);
    CHECK(jp && jp->jp_per_year == 24 && jp->ceiling && jp->contract_year);
    CHECK(kb_policy_jp(p, KB_ASN_UNKNOWN) == NULL);

    size_t n = 0;
    const struct kb_perf_label *labels = kb_policy_perf_labels(p, &n);
    CHECK(n == 5);
    if (n == 5) {
        CHECK_STR(labels[0].name, "Sangat Baik");
        CHECK(labels[0].at_least_baik && labels[1].at_least_baik);
        CHECK_STR(labels[2].name, "Butuh Perbaikan");
        CHECK(!labels[2].at_least_baik && !labels[3].at_least_baik && !labels[4].at_least_baik);
        CHECK_STR(labels[3].name, "Kurang/Misconduct");
        CHECK_STR(labels[4].name, "Sangat Kurang");
    }
    CHECK(kb_policy_perf_label(p, "baik") != NULL);
    CHECK(kb_policy_perf_label(p, "Baik") == NULL); /* ids are read exactly */

    const struct kb_stage *st = kb_policy_stages(p, &n);
    CHECK(n == 8);
    if (n == 8) {
        CHECK_STR(st[0].id, "disiapkan");
        CHECK_STR(st[7].id, "sk_myasn");
    }
    st = kb_policy_stage(p, "validasi_bkn");
    CHECK(st && st->expected_days == 5);
    CHECK(st && !strcmp(st->actor, "BKN"));
    st = kb_policy_stage(p, "persetujuan_eselon3");
    CHECK(st && !strcmp(st->actor, "pejabat eselon III"));
    CHECK(kb_policy_stage(p, "tidak_ada") == NULL);
    const struct kb_return_code *rc = kb_policy_return_code(p, "BTL");
    CHECK(rc && !strcmp(rc->name, "Berkas tidak lengkap"));
    CHECK(kb_policy_return_code(p, "BTS") && kb_policy_return_code(p, "TMS"));
    CHECK(kb_policy_return_code(p, "btl") == NULL);

    const struct kb_dev_form *forms = kb_policy_forms(p, &n);
    CHECK(n == 14 && forms);
    const struct kb_dev_form *f = kb_policy_form(p, "seminar");
    CHECK(f && f->group == KB_FORM_KLASIKAL && f->jp_per_day == 4);
    f = kb_policy_form(p, "mentoring");
    CHECK(f && f->group == KB_FORM_NONKLASIKAL && f->jp_per_day == 0);
    f = kb_policy_form(p, "pendidikan");
    CHECK(f && f->group == KB_FORM_PENDIDIKAN);
    f = kb_policy_form(p, "sertifikasi");
    CHECK(f && f->group == KB_FORM_SERTIFIKASI);

    const char *const *docs = kb_policy_documents(p, KB_KP_REGULER, &n);
    CHECK(docs && n == 5);
    CHECK(kb_policy_documents(p, KB_KP_FUNGSIONAL, &n) && n == 5);
    CHECK(kb_policy_documents(p, KB_KP_PILIHAN, &n) && n == 5);
    CHECK(kb_policy_documents(p, KB_KP_NONE, &n) == NULL && n == 0);

    const struct kb_kp_rule *r = kb_policy_kp_rule(p, KB_KP_REGULER);
    CHECK(r && r->min_years == 4 && r->perf_years == 2 && r->nperf_accepted == 2);
    CHECK(r && r->nceilings == 13 && r->nstlud == 2 && !r->angka_kredit && !r->position_ceiling);
    r = kb_policy_kp_rule(p, KB_KP_FUNGSIONAL);
    CHECK(r && r->min_years == 2 && r->angka_kredit && r->nak == 0 && r->nceilings == 0);
    CHECK(r && r->perf_years == 0 && r->nstlud == 0);
    r = kb_policy_kp_rule(p, KB_KP_PILIHAN);
    CHECK(r && r->min_years == 4 && r->position_ceiling && r->nceilings == 0);
    CHECK(kb_policy_kp_rule(p, KB_KP_NONE) == NULL);
    kb_policy_free(p);
}

/* The ladder, copied by hand from DOMAIN.md. */
static void test_ranks(void)
{
    static const char *const want[][2] = {
        {"I/a", "Juru Muda"},
        {"I/b", "Juru Muda Tingkat I"},
        {"I/c", "Juru"},
        {"I/d", "Juru Tingkat I"},
        {"II/a", "Pengatur Muda"},
        {"II/b", "Pengatur Muda Tingkat I"},
        {"II/c", "Pengatur"},
        {"II/d", "Pengatur Tingkat I"},
        {"III/a", "Penata Muda"},
        {"III/b", "Penata Muda Tingkat I"},
        {"III/c", "Penata"},
        {"III/d", "Penata Tingkat I"},
        {"IV/a", "Pembina"},
        {"IV/b", "Pembina Tingkat I"},
        {"IV/c", "Pembina Utama Muda"},
        {"IV/d", "Pembina Utama Madya"},
        {"IV/e", "Pembina Utama"},
    };
    struct kb_diag d = {0};
    struct kb_policy *p = kb_policy_load(SHIPPED, NULL, &d);
    CHECK(p != NULL);
    kb_diag_free(&d);
    if (!p)
        return;
    size_t n = 0;
    const struct kb_rank *ranks = kb_policy_ranks(p, &n);
    CHECK(n == 17);
    for (size_t i = 0; i < n && i < 17; i++) {
        CHECK_STR(ranks[i].code, want[i][0]);
        CHECK_STR(ranks[i].pangkat, want[i][1]);
        CHECK(kb_policy_rank_index(p, want[i][0]) == (int)i);
    }
    CHECK(kb_policy_rank_index(p, "III/A") == -1);
    CHECK(kb_policy_rank_index(p, " III/a") == -1);
    CHECK(kb_policy_rank_index(p, NULL) == -1);
    const struct kb_rank *next = kb_policy_rank_next(p, "III/a");
    CHECK(next && !strcmp(next->code, "III/b"));
    next = kb_policy_rank_next(p, "II/d");
    CHECK(next && !strcmp(next->code, "III/a"));
    CHECK(kb_policy_rank_next(p, "IV/e") == NULL);
    CHECK(kb_policy_rank_next(p, "V/a") == NULL);

    char buf[64];
    CHECK(kb_policy_rank_format(p, "III/a", buf, sizeof buf) == 0);
    CHECK_STR(buf, "Penata Muda (III/a)");
    CHECK(kb_policy_rank_format(p, "IV/e", buf, sizeof buf) == 0);
    CHECK_STR(buf, "Pembina Utama (IV/e)");
    CHECK(kb_policy_rank_format(p, "III/a", buf, 19) == -1); /* needs 20 bytes */
    CHECK_STR(buf, "");
    CHECK(kb_policy_rank_format(p, "III/a", buf, 20) == 0);
    CHECK(kb_policy_rank_format(p, "X/y", buf, sizeof buf) == -1);

    CHECK(kb_policy_pppk_golongan(p, "I"));
    CHECK(kb_policy_pppk_golongan(p, "IX"));
    CHECK(kb_policy_pppk_golongan(p, "XVII"));
    CHECK(!kb_policy_pppk_golongan(p, "XVIII"));
    CHECK(!kb_policy_pppk_golongan(p, "III/a"));
    kb_policy_free(p);
}

/* Periods worked out by hand: 1 April and 1 October until 2023; 1 Feb, Apr, Jun, Aug, Oct and
 * Dec from 2024; the first of every month from 1 October 2025. */
static void test_calendar(void)
{
    static const char *const cases[][2] = {
        {"2023-05-10", "2023-10-01"},
        {"2023-10-01", "2023-10-01"},
        {"2023-04-01", "2023-04-01"},
        {"2023-04-02", "2023-10-01"},
        /* old regime would give 1 April 2024; the new one starts on 1 January */
        {"2023-10-02", "2024-02-01"},
        {"2023-12-31", "2024-02-01"},
        {"2024-01-01", "2024-02-01"},
        {"2024-02-01", "2024-02-01"},
        {"2024-02-02", "2024-04-01"},
        {"2024-12-02", "2025-02-01"},
        {"2025-08-02", "2025-10-01"},
        {"2025-09-15", "2025-10-01"},
        {"2025-10-01", "2025-10-01"},
        {"2025-10-02", "2025-11-01"},
        {"2025-12-15", "2026-01-01"},
        {"2028-02-29", "2028-03-01"},
        {"2000-01-01", "2000-04-01"},
    };
    struct kb_diag d = {0};
    struct kb_policy *p = kb_policy_load(SHIPPED, NULL, &d);
    CHECK(p != NULL);
    kb_diag_free(&d);
    if (!p)
        return;
    char out[11];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = kb_policy_next_period(p, cases[i][0], out);
        CHECK(rc == 0);
        if (rc != 0 || strcmp(out, cases[i][1]) != 0)
            fprintf(stderr, "    | next period on or after %s: want %s, got %s\n", cases[i][0],
                    cases[i][1], out);
        CHECK_STR(out, cases[i][1]);
    }
    CHECK(kb_policy_next_period(p, "1999-12-31", out) == -1 && out[0] == '\0');
    CHECK(kb_policy_next_period(p, "2025-02-30", out) == -1);
    CHECK(kb_policy_next_period(p, "2025-1-01", out) == -1);
    CHECK(kb_policy_next_period(p, "9999-12-02", out) == -1);
    kb_policy_free(p);
}

/* ---- broken files ------------------------------------------------------------------------- */

struct broken {
    const char *name, *from, *to;
    const char *line; /* the diag line expected ("dialogs/policy.json: " is prepended) */
    size_t errors;    /* how many errors in all */
};

static const struct broken broken_cases[] = {
    {"no_source",
     "\"value\": 4,\n      \"source\": \"PP 99/2000 jo PP 12/2002 (kenaikan pangkat reguler); "
     "Peraturan BKN 2/2025\",",
     "\"value\": 4,",
     "reguler.min_years: 'source' is missing: write the regulation this comes from, e.g. "
     "\"PP 11/2017 Pasal 203 ayat (4)\"",
     1},
    {"unknown_rank", "{\"education\": \"slta\", \"name\": \"SLTA\", \"max\": \"III/b\"}",
     "{\"education\": \"slta\", \"name\": \"SLTA\", \"max\": \"III/x\"}",
     "reguler.education_ceiling.list[3].max: unknown rank 'III/x': use a code from "
     "ranks.pns.list, such as \"III/a\"",
     1},
    {"calendar_order", "\"from\": \"2025-10-01\"", "\"from\": \"2023-06-01\"",
     "promotion_calendar[2].from: 2023-06-01 is not after the start of the entry before it "
     "(2024-01-01): list the periods oldest first",
     1},
    {"calendar_date", "\"from\": \"2024-01-01\"", "\"from\": \"2024-13-01\"",
     "promotion_calendar[1].from: '2024-13-01' is not a date written YYYY-MM-DD", 1},
    {"months_order", "[2, 4, 6, 8, 10, 12]", "[2, 4, 6, 8, 12, 10]",
     "promotion_calendar[1].months: list the months in increasing order, each once (10 after "
     "12)",
     1},
    {"monthly_months", "\"rule\": \"monthly\",", "\"rule\": \"monthly\", \"months\": [1],",
     "promotion_calendar[2].months: a \"monthly\" rule has no 'months': remove it, or use "
     "\"dates\"",
     1},
    {"zero_days", "\"expected_days\": 5}", "\"expected_days\": 0}",
     "promotion_stages.stages[0].expected_days: must be between 1 and 365", 1},
    {"unknown_field", "\"rule\": \"target\",", "\"rule\": \"target\", \"sumber\": \"x\",",
     "jp.kinds[0]: unknown field 'sumber' (a note for people must start with '_')", 1},
    {"unverified_no_note",
     "\"source\": \"PP 99/2000 jo PP 12/2002 (pangkat dan golongan ruang PNS)\",",
     "\"source\": \"PP 99/2000 jo PP 12/2002 (pangkat dan golongan ruang PNS)\", "
     "\"verified\": false,",
     "ranks.pns: is marked \"verified\": false but has no '_note' saying what is uncertain", 1},
    {"verified_string", "\"source\": \"Peraturan BKN 4/2025\",",
     "\"source\": \"Peraturan BKN 4/2025\", \"verified\": \"ya\",",
     "promotion_calendar[2].verified: must be true or false (without quotes)", 1},
    {"jp_type", "\"jp_per_year\": 20,", "\"jp_per_year\": \"20\",",
     "jp.kinds[0].jp_per_year: must be a whole number (without quotes)", 1},
    {"jp_kind_missing", "\"asn\": \"CPNS\",", "\"asn\": \"PNS\",",
     "jp.kinds[1]: PNS is listed twice", 2},
    {"unknown_label", "\"accepted\": [\"sangat_baik\", \"baik\"]",
     "\"accepted\": [\"sangat_baik\", \"cukup\"]",
     "reguler.performance.accepted[1]: unknown label 'cukup': use an id from "
     "performance_labels.list",
     1},
    {"missing_section", "\"documents\": {", "\"dokumen\": {",
     "unknown field 'dokumen' (a note for people must start with '_')", 2},
    {"stlud_step", "{\"from\": \"II/d\", \"to\": \"III/a\"",
     "{\"from\": \"II/d\", \"to\": \"III/b\"",
     "reguler.stlud.steps[0]: 'to' must be the rank right above 'II/d'", 1},
    {"stlud_exempt", "\"exempt_education\": [\"s1\",", "\"exempt_education\": [\"sarjana\",",
     "reguler.stlud.steps[0].exempt_education[0]: unknown education 'sarjana': use an id from "
     "reguler.education_ceiling.list",
     1},
    {"duplicate_rank", "{\"code\": \"I/b\",", "{\"code\": \"I/a\",",
     "ranks.pns.list[1]: the rank 'I/a' is listed twice", 1},
    {"duplicate_field", "\"asn\": \"PNS\",", "\"asn\": \"PNS\", \"asn\": \"PNS\",",
     "jp.kinds[0]: the field 'asn' is written twice", 1},
    {"bad_group", "\"group\": \"sertifikasi\"", "\"group\": \"ujian\"",
     "development_forms.forms[13]: 'group' must be \"klasikal\", \"nonklasikal\", "
     "\"pendidikan\" or \"sertifikasi\"",
     1},
    {"control_char", "\"name\": \"Validasi BKN\"", "\"name\": \"Validasi\\nBKN\"",
     "promotion_stages.stages[4].name: must be a text of 1 to 256 bytes, valid UTF-8, without "
     "line breaks or other control characters",
     1},
    {"bad_id", "{\"id\": \"pertek\",", "{\"id\": \"Pertek\",",
     "promotion_stages.stages[5].id: 'Pertek' is not a valid id: use 1 to 32 lowercase "
     "letters, digits or '_'",
     1},
    {"years_range", "\"years\": 2,", "\"years\": 3,",
     "reguler.performance.years: must be between 1 and 2", 1},
    {"empty_docs",
     "\"pilihan\": [\n      \"SK kenaikan pangkat terakhir\",\n      "
     "\"SK jabatan struktural terakhir\",\n      \"Surat pernyataan pelantikan\",\n"
     "      \"Surat pernyataan melaksanakan tugas (SPMT)\",\n      "
     "\"Dokumen predikat kinerja 2 tahun terakhir\"\n    ]",
     "\"pilihan\": []", "documents.pilihan: is empty; it needs at least one entry", 1},
};

static void test_broken(void)
{
    char *text = shipped_text();
    CHECK(text != NULL);
    if (!text)
        return;
    for (size_t i = 0; i < sizeof broken_cases / sizeof broken_cases[0]; i++) {
        const struct broken *b = &broken_cases[i];
        char *edited = replace_once(text, b->from, b->to);
        CHECK(edited != NULL);
        if (!edited) {
            fprintf(stderr, "    | case %s: the text to replace is not in the shipped file\n",
                    b->name);
            continue;
        }
        char dir[512], want[1024];
        CHECK(write_policy(b->name, edited, dir, sizeof dir) == 0);
        free(edited);
        struct kb_diag d = {0};
        struct kb_policy *p = kb_policy_load(dir, NULL, &d);
        snprintf(want, sizeof want, FILE_NAME ": %s", b->line);
        int ok = p == NULL && d.errors == b->errors && has_line(&d, want);
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "    | case %s: want %zu errors with: %s\n", b->name, b->errors, want);
            print_diag(&d);
        }
        kb_policy_free(p);
        kb_diag_free(&d);
    }
    free(text);
}

/* Comments, truncated JSON, a missing section, a missing file, a file over the bound. */
static void test_file_level(void)
{
    char *text = shipped_text();
    CHECK(text != NULL);
    if (!text)
        return;
    char dir[512];
    struct kb_diag d = {0};

    /* A field starting with '_' is a comment, whatever its value. */
    char *edited = replace_once(text, "\"asn\": \"PNS\",", "\"asn\": \"PNS\", \"_komentar\": 1,");
    CHECK(edited && write_policy("comment", edited, dir, sizeof dir) == 0);
    free(edited);
    struct kb_policy *p = kb_policy_load(dir, NULL, &d);
    CHECK(p != NULL && d.errors == 0);
    kb_policy_free(p);
    kb_diag_free(&d);

    /* A missing comma at the end of line 6: the error is named at line 7, where the next
     * field starts. */
    edited = replace_once(text, "\"value\": 45,", "\"value\": 45");
    CHECK(edited && write_policy("no_comma", edited, dir, sizeof dir) == 0);
    free(edited);
    p = kb_policy_load(dir, NULL, &d);
    CHECK(p == NULL && d.errors == 1 && d.nlines == 1);
    CHECK(has_line(&d, FILE_NAME ": is not valid JSON near line 7 (look for a missing comma, "
                                 "quote or brace there or just before)"));
    if (checks_failed)
        print_diag(&d);
    kb_diag_free(&d);

    CHECK(write_policy("array", "[]", dir, sizeof dir) == 0);
    p = kb_policy_load(dir, NULL, &d);
    CHECK(p == NULL && d.errors == 1 &&
          has_line(&d, FILE_NAME ": must be one JSON object in "
                                 "braces { }"));
    kb_diag_free(&d);

    /* Every section is required. */
    CHECK(write_policy("empty", "{}", dir, sizeof dir) == 0);
    p = kb_policy_load(dir, NULL, &d);
    CHECK(p == NULL && d.errors == 10);
    CHECK(has_line(&d, FILE_NAME ": 'jp' is missing"));
    CHECK(has_line(&d, FILE_NAME ": 'promotion_calendar' is missing"));
    CHECK(has_line(&d, FILE_NAME ": 'documents' is missing"));
    kb_diag_free(&d);

    /* No file at all. */
    char nofile[600];
    snprintf(nofile, sizeof nofile, "%s/policy-no-such-dir", tmp_dir());
    p = kb_policy_load(nofile, NULL, &d);
    CHECK(p == NULL && d.errors == 1 && has_line(&d, FILE_NAME ": cannot be read"));
    kb_diag_free(&d);

    /* Over 256 KiB. */
    size_t big = 300 * 1024;
    char *huge = malloc(big + 1);
    CHECK(huge != NULL);
    if (huge) {
        memset(huge, ' ', big);
        huge[big] = '\0';
        CHECK(write_policy("huge", huge, dir, sizeof dir) == 0);
        free(huge);
        p = kb_policy_load(dir, NULL, &d);
        CHECK(p == NULL && d.errors == 1 && has_line(&d, FILE_NAME ": is larger than 256 KiB"));
        kb_diag_free(&d);
    }

    /* A list over its bound: 17 entries where at most 16 are read. */
    char cal[4096] = "\"promotion_calendar\": [";
    for (int i = 0; i < 17; i++) {
        char one[160];
        snprintf(one, sizeof one,
                 "%s{\"from\": \"%04d-01-01\", \"rule\": \"monthly\", \"source\": \"x\"}",
                 i ? ", " : "", 2001 + i);
        strncat(cal, one, sizeof cal - strlen(cal) - 1);
    }
    strncat(cal, "], \"x_cut\": [", sizeof cal - strlen(cal) - 1);
    edited = replace_once(text, "\"promotion_calendar\": [", cal);
    CHECK(edited != NULL);
    if (edited) {
        CHECK(write_policy("long_list", edited, dir, sizeof dir) == 0);
        free(edited);
        p = kb_policy_load(dir, NULL, &d);
        CHECK(p == NULL);
        CHECK(has_line(&d, FILE_NAME ": promotion_calendar: has more than 16 entries; karirbot "
                                     "reads at most 16"));
        kb_diag_free(&d);
    }
    free(text);
}

/* ---- override ------------------------------------------------------------------------------ */

static void test_override(void)
{
    char *text = shipped_text();
    CHECK(text != NULL);
    if (!text)
        return;
    char dir[512];
    struct kb_diag d = {0};

    /* HR's copy replaces the shipped file whole. */
    char *edited = replace_once(text, "\"jp_per_year\": 20,", "\"jp_per_year\": 32,");
    CHECK(edited && write_policy("override", edited, dir, sizeof dir) == 0);
    free(edited);
    struct kb_policy *p = kb_policy_load(SHIPPED, dir, &d);
    CHECK(p != NULL && d.errors == 0);
    const struct kb_jp_rule *jp = kb_policy_jp(p, KB_ASN_PNS);
    CHECK(jp && jp->jp_per_year == 32);
    kb_policy_free(p);
    kb_diag_free(&d);

    /* A broken override is an error naming the override by its full path, not a silent
     * fallback to the shipped file. */
    edited = replace_once(text, "\"expected_days\": 5}", "\"expected_days\": -1}");
    CHECK(edited && write_policy("override-broken", edited, dir, sizeof dir) == 0);
    free(edited);
    p = kb_policy_load(SHIPPED, dir, &d);
    CHECK(p == NULL && d.errors == 1);
    char want[1024];
    snprintf(want, sizeof want,
             "%s/dialogs/policy.json: promotion_stages.stages[0].expected_days: must be between "
             "1 and 365",
             dir);
    CHECK(has_line(&d, want));
    kb_diag_free(&d);

    /* An override directory without policy.json: the shipped file. */
    char empty[600];
    snprintf(empty, sizeof empty, "%s/policy-override-none", tmp_dir());
    mkdir(empty, 0700);
    p = kb_policy_load(SHIPPED, empty, &d);
    CHECK(p != NULL && d.errors == 0);
    jp = kb_policy_jp(p, KB_ASN_PNS);
    CHECK(jp && jp->jp_per_year == 20);
    kb_policy_free(p);
    kb_diag_free(&d);
    free(text);
}

int main(void)
{
    RUN(test_shipped_loads);
    RUN(test_ranks);
    RUN(test_calendar);
    RUN(test_broken);
    RUN(test_file_level);
    RUN(test_override);
    return CHECK_SUMMARY();
}
