/* test_eligibility: unit tests of the kenaikan pangkat pre-check (src/career/eligibility.c)
 * against the shipped dialogs/policy.json.
 *
 * Every expected result below was worked out by hand from the rules in the policy file, not
 * computed by the code under test:
 *   reguler (pelaksana): 4 years in rank; predikat of the last two years Sangat Baik or Baik;
 *     education ceiling SD II/a, SLTP II/c, SLTP kejuruan II/d, SLTA/D-I/D-II III/b,
 *     D-III/SGPLB III/c, S1/D-IV III/d, S2/dokter IV/a, S3 IV/b; STLUD for II/d->III/a
 *     (S1, D-IV, S2, dokter, S3 exempt) and III/d->IV/a (S2, dokter, S3 exempt);
 *   fungsional: 2 years; enough angka kredit, no figure in the file (so never judged);
 *   pilihan (struktural): 4 years; predikat as reguler; the post's ceiling checked by HR;
 *   periods: 1 Apr and 1 Oct until 2023, 1 Feb/Apr/Jun/Aug/Oct/Dec from 2024-01-01, the first
 *     of every month from 2025-10-01; years counted from the TMT to the period date.
 *
 * Conditions are written compactly: E education ceiling, Y years in rank, P predikat,
 * S STLUD, A angka kredit, C the post's ceiling; then + met, - not met, ? unknown; then
 * ":reason" when the reason is not "ok". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/diag.h"
#include "karirbot/eligibility.h"
#include "karirbot/policy.h"

#include "check.h"

static struct kb_policy *policy;

#define PROFILE(pos, g, tmt, ed, last, before)                                                     \
    {                                                                                              \
        .asn = KB_ASN_PNS, .grade = g, .tmt_pangkat = tmt, .education = ed, .position = pos,       \
        .perf_last = last, .perf_before = before                                                   \
    }
#define PEL(g, tmt, ed, last, before) PROFILE(KB_POS_PELAKSANA, g, tmt, ed, last, before)

struct expect {
    const char *name;
    struct kb_employee_profile e;
    const char *today;
    enum kb_kp_type type;
    enum kb_verdict verdict;
    enum kb_elig_reason reason;
    const char *next_period, *time_met_on, *grade_next;
    bool top, ceiling, perf_assumed;
    const char *conds;
};

static const struct expect cases[] = {
    /* ---- reguler, the years ---- */
    {"reguler eligible now", PEL("III/a", "2022-04-01", "s1", "baik", "baik"), "2026-05-10",
     KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2026-06-01", "2026-04-01", "III/b", false,
     false, false, "E+ Y+ P+"},
    {"4th anniversary on a period day", PEL("III/b", "2022-05-01", "s1", "sangat_baik", "baik"),
     "2026-05-01", KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2026-05-01", "2026-05-01",
     "III/c", false, false, false, "E+ Y+ P+"},
    /* The day before the anniversary: the years are counted to the period date (1 May). */
    {"day before the 4th anniversary", PEL("III/b", "2022-05-01", "s1", "baik", "baik"),
     "2026-04-30", KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2026-05-01", "2026-05-01",
     "III/c", false, false, false, "E+ Y+ P+"},
    /* Anniversary 2 May: the 1 May period is one day short, so 1 June. */
    {"anniversary one day after the period", PEL("III/b", "2022-05-02", "s1", "baik", "baik"),
     "2026-05-01", KB_KP_REGULER, KB_VERDICT_ELIGIBLE_FROM, KB_R_YEARS_NOT_YET, "2026-06-01",
     "2026-05-02", "III/c", false, false, false, "E+ Y-:years_not_yet P+"},
    {"on that anniversary", PEL("III/b", "2022-05-02", "s1", "baik", "baik"), "2026-05-02",
     KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2026-06-01", "2026-05-02", "III/c", false,
     false, false, "E+ Y+ P+"},
    {"years far ahead: predikat of later years assumed",
     PEL("II/c", "2024-10-01", "slta", "baik", "baik"), "2026-01-15", KB_KP_REGULER,
     KB_VERDICT_ELIGIBLE_FROM, KB_R_YEARS_NOT_YET, "2028-10-01", "2028-10-01", "II/d", false, false,
     true, "E+ Y-:years_not_yet P+"},
    {"TMT unknown", PEL("III/a", NULL, "s1", "baik", "baik"), "2026-03-02", KB_KP_REGULER,
     KB_VERDICT_CANNOT_JUDGE, KB_R_TMT_UNKNOWN, "", "", "III/b", false, false, false,
     "E+ Y?:tmt_unknown P+"},
    {"TMT not a real date", PEL("III/a", "2022-02-30", "s1", "baik", "baik"), "2026-03-02",
     KB_KP_REGULER, KB_VERDICT_CANNOT_JUDGE, KB_R_TMT_UNKNOWN, "", "", "III/b", false, false, false,
     "E+ Y?:tmt_unknown P+"},

    /* ---- reguler, education ceiling ---- */
    {"SLTA at III/b", PEL("III/b", "2015-04-01", "slta", "baik", "baik"), "2026-03-10",
     KB_KP_REGULER, KB_VERDICT_NOT_ELIGIBLE, KB_R_CEILING_REACHED, "2026-04-01", "2019-04-01",
     "III/c", false, true, false, "E-:ceiling_reached Y+ P+"},
    {"SD at I/d", PEL("I/d", "2020-01-01", "sd", "baik", "baik"), "2025-11-20", KB_KP_REGULER,
     KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2025-12-01", "2024-01-01", "II/a", false, false, false,
     "E+ Y+ P+"},
    {"SLTP kejuruan at II/c",
     PEL("II/c", "2018-02-01", "sltp_kejuruan", "sangat_baik", "sangat_baik"), "2025-10-01",
     KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2025-10-01", "2022-02-01", "II/d", false,
     false, false, "E+ Y+ P+"},
    {"SLTP at II/c", PEL("II/c", "2018-02-01", "sltp", "sangat_baik", "sangat_baik"), "2025-10-01",
     KB_KP_REGULER, KB_VERDICT_NOT_ELIGIBLE, KB_R_CEILING_REACHED, "2025-10-01", "2022-02-01",
     "II/d", false, true, false, "E-:ceiling_reached Y+ P+"},
    {"S1 at III/d (ceiling before STLUD)", PEL("III/d", "2020-04-01", "s1", "baik", "baik"),
     "2026-03-02", KB_KP_REGULER, KB_VERDICT_NOT_ELIGIBLE, KB_R_CEILING_REACHED, "2026-04-01",
     "2024-04-01", "IV/a", false, true, false, "E-:ceiling_reached Y+ P+ S?:stlud_unknown"},
    {"S3 at IV/a", PEL("IV/a", "2020-04-01", "s3", "baik", "baik"), "2026-03-02", KB_KP_REGULER,
     KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2026-04-01", "2024-04-01", "IV/b", false, false, false,
     "E+ Y+ P+"},
    {"education unknown", PEL("III/a", "2020-04-01", NULL, "baik", "baik"), "2026-03-02",
     KB_KP_REGULER, KB_VERDICT_CANNOT_JUDGE, KB_R_EDUCATION_UNKNOWN, "2026-04-01", "2024-04-01",
     "III/b", false, false, false, "E?:education_unknown Y+ P+"},
    {"education not in the policy", PEL("III/a", "2020-04-01", "sma", "baik", "baik"), "2026-03-02",
     KB_KP_REGULER, KB_VERDICT_CANNOT_JUDGE, KB_R_EDUCATION_UNKNOWN, "2026-04-01", "2024-04-01",
     "III/b", false, false, false, "E?:education_unknown Y+ P+"},

    /* ---- reguler, STLUD ---- */
    {"SLTA at II/d, STLUD unknown", PEL("II/d", "2020-06-01", "slta", "baik", "baik"), "2026-01-05",
     KB_KP_REGULER, KB_VERDICT_CANNOT_JUDGE, KB_R_STLUD_UNKNOWN, "2026-02-01", "2024-06-01",
     "III/a", false, false, false, "E+ Y+ P+ S?:stlud_unknown"},
    {"SLTA at II/d, STLUD not passed",
     {.asn = KB_ASN_PNS,
      .grade = "II/d",
      .tmt_pangkat = "2020-06-01",
      .education = "slta",
      .position = KB_POS_PELAKSANA,
      .perf_last = "baik",
      .perf_before = "baik",
      .stlud = KB_KNOWN_NO},
     "2026-01-05",
     KB_KP_REGULER,
     KB_VERDICT_NOT_ELIGIBLE,
     KB_R_STLUD_NOT_PASSED,
     "2026-02-01",
     "2024-06-01",
     "III/a",
     false,
     false,
     false,
     "E+ Y+ P+ S-:stlud_not_passed"},
    {"D-II at II/d, STLUD passed",
     {.asn = KB_ASN_PNS,
      .grade = "II/d",
      .tmt_pangkat = "2020-06-01",
      .education = "d2",
      .position = KB_POS_PELAKSANA,
      .perf_last = "baik",
      .perf_before = "baik",
      .stlud = KB_KNOWN_YES},
     "2026-01-05",
     KB_KP_REGULER,
     KB_VERDICT_ELIGIBLE_NOW,
     KB_R_OK,
     "2026-02-01",
     "2024-06-01",
     "III/a",
     false,
     false,
     false,
     "E+ Y+ P+ S+"},
    {"S1 at II/d is exempt", PEL("II/d", "2020-06-01", "s1", "baik", "baik"), "2026-01-05",
     KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2026-02-01", "2024-06-01", "III/a", false,
     false, false, "E+ Y+ P+ S+:stlud_exempt"},
    {"S2 at III/d is exempt", PEL("III/d", "2021-08-01", "s2", "baik", "baik"), "2025-09-10",
     KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2025-10-01", "2025-08-01", "IV/a", false,
     false, false, "E+ Y+ P+ S+:stlud_exempt"},

    /* ---- reguler, predikat ---- */
    {"predikat of the year before unknown", PEL("III/a", "2020-04-01", "s1", "baik", NULL),
     "2026-03-02", KB_KP_REGULER, KB_VERDICT_CANNOT_JUDGE, KB_R_PERF_UNKNOWN, "2026-04-01",
     "2024-04-01", "III/b", false, false, false, "E+ Y+ P?:perf_unknown"},
    {"both predikat unknown", PEL("III/a", "2020-04-01", "s1", NULL, NULL), "2026-03-02",
     KB_KP_REGULER, KB_VERDICT_CANNOT_JUDGE, KB_R_PERF_UNKNOWN, "2026-04-01", "2024-04-01", "III/b",
     false, false, false, "E+ Y+ P?:perf_unknown"},
    {"below Baik outweighs unknown", PEL("III/a", "2020-04-01", "s1", "butuh_perbaikan", NULL),
     "2026-03-02", KB_KP_REGULER, KB_VERDICT_NOT_ELIGIBLE, KB_R_PERF_BELOW, "2026-04-01",
     "2024-04-01", "III/b", false, false, false, "E+ Y+ P-:perf_below"},
    {"year before Kurang", PEL("III/a", "2020-04-01", "s1", "baik", "kurang"), "2026-03-02",
     KB_KP_REGULER, KB_VERDICT_NOT_ELIGIBLE, KB_R_PERF_BELOW, "2026-04-01", "2024-04-01", "III/b",
     false, false, false, "E+ Y+ P-:perf_below"},
    {"predikat the policy does not know", PEL("III/a", "2020-04-01", "s1", "Baik", "baik"),
     "2026-03-02", KB_KP_REGULER, KB_VERDICT_CANNOT_JUDGE, KB_R_PERF_LABEL_UNKNOWN, "2026-04-01",
     "2024-04-01", "III/b", false, false, false, "E+ Y+ P?:perf_label_unknown"},

    /* ---- jabatan fungsional: never the reguler rules ---- */
    {"JF, AK unknown (SLTA would cap reguler at III/b)",
     PROFILE(KB_POS_FUNGSIONAL, "III/c", "2023-04-01", "slta", "baik", "baik"), "2026-03-15",
     KB_KP_FUNGSIONAL, KB_VERDICT_CANNOT_JUDGE, KB_R_AK_UNKNOWN, "2026-04-01", "2025-04-01",
     "III/d", false, false, false, "Y+ A?:ak_unknown C?:position_ceiling_hr"},
    {"JF, AK known but no figure in the policy",
     {.asn = KB_ASN_PNS,
      .grade = "III/c",
      .tmt_pangkat = "2023-04-01",
      .education = "slta",
      .position = KB_POS_FUNGSIONAL,
      .perf_last = "baik",
      .perf_before = "baik",
      .ak_known = true,
      .ak = 150},
     "2026-03-15",
     KB_KP_FUNGSIONAL,
     KB_VERDICT_CANNOT_JUDGE,
     KB_R_AK_RULE_UNKNOWN,
     "2026-04-01",
     "2025-04-01",
     "III/d",
     false,
     false,
     false,
     "Y+ A?:ak_rule_unknown C?:position_ceiling_hr"},
    {"JF, 2 years not yet", PROFILE(KB_POS_FUNGSIONAL, "III/c", "2025-06-01", "s1", "baik", "baik"),
     "2026-03-15", KB_KP_FUNGSIONAL, KB_VERDICT_CANNOT_JUDGE, KB_R_AK_UNKNOWN, "2027-06-01",
     "2027-06-01", "III/d", false, false, false,
     "Y-:years_not_yet A?:ak_unknown C?:position_ceiling_hr"},
    {"JF, TMT 29 February: complete on 1 March",
     PROFILE(KB_POS_FUNGSIONAL, "III/a", "2024-02-29", "s1", NULL, NULL), "2026-02-15",
     KB_KP_FUNGSIONAL, KB_VERDICT_CANNOT_JUDGE, KB_R_AK_UNKNOWN, "2026-03-01", "2026-03-01",
     "III/b", false, false, false, "Y+ A?:ak_unknown C?:position_ceiling_hr"},
    {"JF at II/d: no STLUD condition",
     {.asn = KB_ASN_PNS,
      .grade = "II/d",
      .tmt_pangkat = "2020-04-01",
      .education = "slta",
      .position = KB_POS_FUNGSIONAL,
      .stlud = KB_KNOWN_NO},
     "2026-03-02",
     KB_KP_FUNGSIONAL,
     KB_VERDICT_CANNOT_JUDGE,
     KB_R_AK_UNKNOWN,
     "2026-04-01",
     "2022-04-01",
     "III/a",
     false,
     false,
     false,
     "Y+ A?:ak_unknown C?:position_ceiling_hr"},

    /* ---- struktural: KP pilihan ---- */
    {"struktural, post ceiling checked by HR",
     PROFILE(KB_POS_STRUKTURAL, "III/d", "2021-10-01", "s1", "baik", "baik"), "2026-01-20",
     KB_KP_PILIHAN, KB_VERDICT_CANNOT_JUDGE, KB_R_POSITION_CEILING_HR, "2026-02-01", "2025-10-01",
     "IV/a", false, false, false, "Y+ P+ C?:position_ceiling_hr"},
    {"struktural, predikat Sangat Kurang",
     PROFILE(KB_POS_STRUKTURAL, "III/d", "2021-10-01", "s1", "sangat_kurang", "baik"), "2026-01-20",
     KB_KP_PILIHAN, KB_VERDICT_NOT_ELIGIBLE, KB_R_PERF_BELOW, "2026-02-01", "2025-10-01", "IV/a",
     false, false, false, "Y+ P-:perf_below C?:position_ceiling_hr"},

    /* ---- no KP applies, or nothing to judge with ---- */
    {"PPPK",
     {.asn = KB_ASN_PPPK, .grade = "IX", .position = KB_POS_FUNGSIONAL},
     "2026-03-02",
     KB_KP_NONE,
     KB_VERDICT_NOT_APPLICABLE,
     KB_R_PPPK,
     "",
     "",
     "",
     false,
     false,
     false,
     ""},
    {"CPNS",
     {.asn = KB_ASN_CPNS,
      .grade = "III/a",
      .tmt_pangkat = "2025-03-01",
      .position = KB_POS_PELAKSANA},
     "2026-03-02",
     KB_KP_NONE,
     KB_VERDICT_NOT_APPLICABLE,
     KB_R_CPNS,
     "",
     "",
     "",
     false,
     false,
     false,
     ""},
    {"ASN kind unknown",
     {.grade = "III/a"},
     "2026-03-02",
     KB_KP_NONE,
     KB_VERDICT_CANNOT_JUDGE,
     KB_R_ASN_UNKNOWN,
     "",
     "",
     "",
     false,
     false,
     false,
     ""},
    {"top of the ladder", PEL("IV/e", "2015-04-01", "s3", "baik", "baik"), "2026-03-02", KB_KP_NONE,
     KB_VERDICT_NOT_ELIGIBLE, KB_R_TOP_RANK, "", "", "", true, false, false, ""},
    {"rank code in the wrong case", PEL("iii/a", "2015-04-01", "s1", "baik", "baik"), "2026-03-02",
     KB_KP_NONE, KB_VERDICT_CANNOT_JUDGE, KB_R_GRADE_UNKNOWN, "", "", "", false, false, false, ""},
    {"no rank", PEL(NULL, "2015-04-01", "s1", "baik", "baik"), "2026-03-02", KB_KP_NONE,
     KB_VERDICT_CANNOT_JUDGE, KB_R_GRADE_UNKNOWN, "", "", "", false, false, false, ""},
    {"post unknown", PROFILE(KB_POS_UNKNOWN, "III/a", "2015-04-01", "s1", "baik", "baik"),
     "2026-03-02", KB_KP_NONE, KB_VERDICT_CANNOT_JUDGE, KB_R_POSITION_UNKNOWN, "", "", "III/b",
     false, false, false, ""},

    /* ---- calendar regimes ---- */
    {"before 2024: 1 April / 1 October", PEL("III/a", "2019-05-01", "s1", "baik", "baik"),
     "2023-05-02", KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2023-10-01", "2023-05-01",
     "III/b", false, false, false, "E+ Y+ P+"},
    /* 2 Oct 2023: April 2024 under the old rule, but the six dates start on 1 Jan 2024. */
    {"across 2024-01-01", PEL("III/a", "2019-10-01", "s1", "baik", "baik"), "2023-10-02",
     KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2024-02-01", "2023-10-01", "III/b", false,
     false, true, "E+ Y+ P+"},
    {"six dates: next is 1 August", PEL("III/a", "2020-06-15", "s1", "baik", "baik"), "2024-06-03",
     KB_KP_REGULER, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK, "2024-08-01", "2024-06-15", "III/b", false,
     false, false, "E+ Y+ P+"},
    {"six dates: one day late for 1 August", PEL("III/a", "2020-08-02", "s1", "baik", "baik"),
     "2024-06-03", KB_KP_REGULER, KB_VERDICT_ELIGIBLE_FROM, KB_R_YEARS_NOT_YET, "2024-10-01",
     "2024-08-02", "III/b", false, false, false, "E+ Y-:years_not_yet P+"},
    {"across 2025-10-01: first monthly period", PEL("III/a", "2021-09-15", "s1", "baik", "baik"),
     "2025-06-02", KB_KP_REGULER, KB_VERDICT_ELIGIBLE_FROM, KB_R_YEARS_NOT_YET, "2025-10-01",
     "2025-09-15", "III/b", false, false, false, "E+ Y-:years_not_yet P+"},
    /* The six-dates rule would give 1 December; the monthly one gives 1 November. */
    {"across 2025-10-01: 1 November, not 1 December",
     PEL("III/a", "2021-10-02", "s1", "baik", "baik"), "2025-06-02", KB_KP_REGULER,
     KB_VERDICT_ELIGIBLE_FROM, KB_R_YEARS_NOT_YET, "2025-11-01", "2025-10-02", "III/b", false,
     false, false, "E+ Y-:years_not_yet P+"},
};

/* Renders the conditions of r in the compact form described at the top. */
static void render_conds(const struct kb_eligibility *r, char *buf, size_t cap)
{
    static const char letters[] = "EYPSAC";
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->nconds && off < cap; i++) {
        const struct kb_condition *c = &r->conds[i];
        char st = c->status == KB_COND_MET ? '+' : c->status == KB_COND_NOT_MET ? '-' : '?';
        int n = snprintf(buf + off, cap - off, "%s%c%c%s%s", i ? " " : "", letters[c->id], st,
                         c->reason != KB_R_OK ? ":" : "",
                         c->reason != KB_R_OK ? kb_elig_reason_key(c->reason) : "");
        if (n < 0)
            break;
        off += (size_t)n;
    }
}

static void test_cases(void)
{
    CHECK(sizeof cases / sizeof cases[0] >= 20);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct expect *x = &cases[i];
        struct kb_eligibility r;
        char conds[256];
        int before = checks_failed;
        CHECK(kb_eligibility_check(policy, &x->e, x->today, &r) == 0);
        render_conds(&r, conds, sizeof conds);
        CHECK(r.type == x->type);
        CHECK(r.verdict == x->verdict);
        CHECK(r.reason == x->reason);
        CHECK_STR(r.next_period, x->next_period);
        CHECK_STR(r.time_met_on, x->time_met_on);
        CHECK_STR(r.grade_next, x->grade_next);
        CHECK(r.top_of_ladder == x->top);
        CHECK(r.ceiling_reached == x->ceiling);
        CHECK(r.perf_assumed == x->perf_assumed);
        CHECK_STR(conds, x->conds);
        if (checks_failed != before)
            fprintf(stderr,
                    "    | case \"%s\": got type %d verdict %d reason %s next %s met %s "
                    "conds \"%s\"\n",
                    x->name, (int)r.type, (int)r.verdict, kb_elig_reason_key(r.reason),
                    r.next_period, r.time_met_on, conds);
    }
}

/* Each education level at its ceiling (reached) and one rank below it (eligible now), with an
 * old TMT and good predikat; the ceilings are copied from DOMAIN.md. Moving from III/d to IV/a
 * needs the STLUD, which S2 and dokter are exempt from. */
static void test_every_education_level(void)
{
    static const char *const levels[][3] = {
        /* education, ceiling, one rank below */
        {"sd", "II/a", "I/d"},      {"sltp", "II/c", "II/b"},    {"sltp_kejuruan", "II/d", "II/c"},
        {"slta", "III/b", "III/a"}, {"d1", "III/b", "III/a"},    {"d2", "III/b", "III/a"},
        {"d3", "III/c", "III/b"},   {"sgplb", "III/c", "III/b"}, {"s1", "III/d", "III/c"},
        {"d4", "III/d", "III/c"},   {"s2", "IV/a", "III/d"},     {"dokter", "IV/a", "III/d"},
        {"s3", "IV/b", "IV/a"},
    };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        struct kb_employee_profile at =
            PEL(levels[i][1], "2015-04-01", levels[i][0], "baik", "baik");
        struct kb_employee_profile below = at;
        below.grade = levels[i][2];
        struct kb_eligibility r;
        int before = checks_failed;
        CHECK(kb_eligibility_check(policy, &at, "2026-03-02", &r) == 0);
        CHECK(r.verdict == KB_VERDICT_NOT_ELIGIBLE && r.reason == KB_R_CEILING_REACHED);
        CHECK(r.ceiling_reached);
        CHECK(kb_eligibility_check(policy, &below, "2026-03-02", &r) == 0);
        CHECK(r.verdict == KB_VERDICT_ELIGIBLE_NOW && r.reason == KB_R_OK && !r.ceiling_reached);
        CHECK_STR(r.grade_next, levels[i][1]);
        CHECK_STR(r.next_period, "2026-04-01");
        if (checks_failed != before)
            fprintf(stderr, "    | education %s\n", levels[i][0]);
    }
}

/* The numbers a caller shows: years required and complete, angka kredit. */
static void test_numbers(void)
{
    struct kb_eligibility r;
    struct kb_employee_profile e = PEL("III/a", "2022-04-01", "s1", "baik", "baik");
    CHECK(kb_eligibility_check(policy, &e, "2026-05-10", &r) == 0);
    CHECK(r.nconds == 3 && r.conds[1].id == KB_COND_YEARS_IN_RANK);
    CHECK(r.conds[1].need == 4 && r.conds[1].have == 4);
    CHECK_STR(r.conds[1].met_on, "2026-04-01");

    /* Years not yet: "have" counts at the period given (2028-10-01: 4 full years). */
    e = (struct kb_employee_profile)PEL("II/c", "2024-10-01", "slta", "baik", "baik");
    CHECK(kb_eligibility_check(policy, &e, "2026-01-15", &r) == 0);
    CHECK(r.conds[1].need == 4 && r.conds[1].have == 4);

    /* Ten years in rank at the period. */
    e = (struct kb_employee_profile)PEL("III/b", "2016-04-01", "slta", "baik", "baik");
    CHECK(kb_eligibility_check(policy, &e, "2026-03-10", &r) == 0);
    CHECK(r.conds[1].have == 10);

    /* JF: 2 years needed, 3 complete on 2026-04-01; the AK is reported as held. */
    e = (struct kb_employee_profile)PROFILE(KB_POS_FUNGSIONAL, "III/c", "2023-04-01", "s1", NULL,
                                            NULL);
    e.ak_known = true;
    e.ak = 87.5;
    CHECK(kb_eligibility_check(policy, &e, "2026-03-15", &r) == 0);
    CHECK(r.nconds == 3 && r.conds[0].need == 2 && r.conds[0].have == 3);
    CHECK(r.conds[1].id == KB_COND_ANGKA_KREDIT && r.conds[1].have == 87.5 && r.conds[1].need == 0);
}

static void test_bad_arguments(void)
{
    struct kb_eligibility r;
    struct kb_employee_profile e = PEL("III/a", "2022-04-01", "s1", "baik", "baik");
    CHECK(kb_eligibility_check(policy, &e, "2026-13-01", &r) == -1);
    CHECK(kb_eligibility_check(policy, &e, NULL, &r) == -1);
    CHECK(kb_eligibility_check(NULL, &e, "2026-01-01", &r) == -1);
    CHECK(kb_eligibility_check(policy, NULL, "2026-01-01", &r) == -1);
    CHECK(kb_eligibility_check(policy, &e, "2026-01-01", NULL) == -1);
    /* A today before the calendar starts: no period can be named, so the years are unknown. */
    CHECK(kb_eligibility_check(policy, &e, "1999-06-01", &r) == 0);
    CHECK(r.verdict == KB_VERDICT_CANNOT_JUDGE && r.reason == KB_R_NO_PERIOD);
    CHECK_STR(r.next_period, "");
}

static void test_reason_keys(void)
{
    CHECK_STR(kb_elig_reason_key(KB_R_OK), "ok");
    CHECK_STR(kb_elig_reason_key(KB_R_YEARS_NOT_YET), "years_not_yet");
    CHECK_STR(kb_elig_reason_key(KB_R_NO_PERIOD), "no_period");
    for (int i = 0; i < KB_R_COUNT; i++) {
        const char *k = kb_elig_reason_key((enum kb_elig_reason)i);
        CHECK(k != NULL);
        for (int j = 0; k && j < i; j++)
            CHECK(strcmp(k, kb_elig_reason_key((enum kb_elig_reason)j)) != 0);
    }
    CHECK(kb_elig_reason_key(KB_R_COUNT) == NULL);
    CHECK(kb_elig_reason_key((enum kb_elig_reason) - 1) == NULL);
}

int main(void)
{
    struct kb_diag d = {0};
    policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &d);
    for (size_t i = 0; i < d.nlines; i++)
        fprintf(stderr, "%s\n", d.lines[i]);
    kb_diag_free(&d);
    if (!policy) {
        fprintf(stderr, "the shipped policy does not load\n");
        return 1;
    }
    RUN(test_cases);
    RUN(test_every_education_level);
    RUN(test_numbers);
    RUN(test_bad_arguments);
    RUN(test_reason_keys);
    kb_policy_free(policy);
    return CHECK_SUMMARY();
}
