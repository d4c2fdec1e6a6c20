/* fuzz_policy: dialogs/policy.json as HR may edit it — their copy in the override directory
 * replaces the shipped file whole — read by kb_policy_load, then, when it loads, used the way
 * the flows, the import and the eligibility check use it: every accessor, the promotion
 * calendar from several dates, the rank ladder, and kb_eligibility_check for a few
 * employees. A file the loader accepts must never make those crash, loop or answer outside
 * what policy.h promises. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "karirbot/diag.h"
#include "karirbot/eligibility.h"
#include "karirbot/idfmt.h"
#include "karirbot/policy.h"

static char over[600];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    if (fuzz_mkdirs("over/dialogs") != 0)
        abort();
    snprintf(over, sizeof over, "%s/over", fuzz_scratch());
    return 0;
}

static const char *const dates[] = {"1990-01-01", "2024-02-29", "2025-09-30", "2025-10-01",
                                    "2026-03-10", "2026-12-31", "2099-06-15", "9999-12-31"};
#define NDATES (sizeof dates / sizeof dates[0])

static void use_ranks(const struct kb_policy *p)
{
    size_t n;
    const struct kb_rank *ranks = kb_policy_ranks(p, &n);
    FUZZ_CHECK(n == 0 || ranks != NULL);
    for (size_t i = 0; i < n; i++) {
        char buf[128];
        FUZZ_CHECK(kb_policy_rank_index(p, ranks[i].code) >= 0);
        FUZZ_CHECK(kb_policy_rank(p, ranks[i].code) != NULL);
        const struct kb_rank *next = kb_policy_rank_next(p, ranks[i].code);
        if (next)
            FUZZ_CHECK(kb_policy_rank_index(p, next->code) >
                       kb_policy_rank_index(p, ranks[i].code));
        if (kb_policy_rank_format(p, ranks[i].code, buf, sizeof buf) != 0)
            FUZZ_CHECK(buf[0] == '\0');
        (void)kb_policy_rank_format(p, ranks[i].code, buf, 4);
    }
    FUZZ_CHECK(kb_policy_rank_index(p, "no such rank") == -1);
    (void)kb_policy_pppk_golongan(p, "IX");
}

static void use_calendar(const struct kb_policy *p)
{
    for (size_t i = 0; i < NDATES; i++) {
        char out[11];
        if (kb_policy_next_period(p, dates[i], out) == 0) {
            FUZZ_CHECK(kb_date_parse(out, NULL, NULL, NULL) == 0);
            FUZZ_CHECK(strcmp(out, dates[i]) >= 0);
            FUZZ_CHECK(!strcmp(out + 8, "01"));
        } else {
            FUZZ_CHECK(out[0] == '\0');
        }
    }
}

static void use_lists(const struct kb_policy *p)
{
    size_t n;
    for (int k = KB_ASN_UNKNOWN; k <= KB_ASN_PPPK; k++)
        (void)kb_policy_jp(p, (enum kb_asn_kind)k);
    FUZZ_CHECK(kb_policy_minutes_per_jp(p) > 0);
    const struct kb_perf_label *labels = kb_policy_perf_labels(p, &n);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(kb_policy_perf_label(p, labels[i].id) == &labels[i]);
    const struct kb_stage *stages = kb_policy_stages(p, &n);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(stages[i].expected_days > 0);
        FUZZ_CHECK(kb_policy_stage(p, stages[i].id) != NULL);
    }
    (void)kb_policy_return_code(p, "BTL");
    const struct kb_dev_form *forms = kb_policy_forms(p, &n);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(kb_policy_form(p, forms[i].id) != NULL);
    for (int t = KB_KP_NONE; t <= KB_KP_FUNGSIONAL; t++) {
        const char *const *docs = kb_policy_documents(p, (enum kb_kp_type)t, &n);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(docs[i] != NULL);
        const struct kb_kp_rule *r = kb_policy_kp_rule(p, (enum kb_kp_type)t);
        FUZZ_CHECK((t == KB_KP_NONE) == (r == NULL));
        for (size_t i = 0; r && i < r->nceilings; i++)
            FUZZ_CHECK(kb_policy_rank_index(p, r->ceilings[i].max_rank) >= 0);
    }
}

/* Every rank of the ladder as the employee's, in each kind of position, judged on two days. */
static void use_eligibility(const struct kb_policy *p)
{
    size_t nranks, nlabels;
    const struct kb_rank *ranks = kb_policy_ranks(p, &nranks);
    const struct kb_perf_label *labels = kb_policy_perf_labels(p, &nlabels);
    const struct kb_kp_rule *reg = kb_policy_kp_rule(p, KB_KP_REGULER);
    const char *educ = reg && reg->nceilings ? reg->ceilings[0].education : "s1";
    for (size_t i = 0; i < nranks && i < 8; i++) {
        for (int pos = KB_POS_UNKNOWN; pos <= KB_POS_FUNGSIONAL; pos++) {
            struct kb_employee_profile e = {
                .asn = KB_ASN_PNS,
                .grade = ranks[i].code,
                .tmt_pangkat = "2021-04-01",
                .education = educ,
                .position = (enum kb_position_kind)pos,
                .perf_last = nlabels ? labels[0].id : "baik",
                .perf_before = nlabels ? labels[nlabels - 1].id : "baik",
                .ak_known = pos == KB_POS_FUNGSIONAL,
                .ak = 410,
                .stlud = (enum kb_known)(i % 3),
            };
            struct kb_eligibility out;
            for (size_t d = 3; d < 5; d++) {
                int rc = kb_eligibility_check(p, &e, dates[d], &out);
                FUZZ_CHECK(rc == 0 || rc == -1);
                FUZZ_CHECK(out.nconds <= KB_ELIG_CONDS_MAX);
                FUZZ_CHECK(out.reason >= KB_R_OK && out.reason < KB_R_COUNT);
                FUZZ_CHECK(kb_elig_reason_key(out.reason) != NULL);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_write("over/dialogs/" KB_POLICY_FILE, data, size) != 0)
        abort();
    struct kb_diag diag = {0};
    struct kb_policy *p = kb_policy_load(KB_SOURCE_DATA_DIR, over, &diag);
    FUZZ_CHECK((p != NULL) == (diag.errors == 0));
    FUZZ_CHECK(diag.errors == 0 || diag.nlines > 0);
    if (p) {
        use_ranks(p);
        use_calendar(p);
        use_lists(p);
        use_eligibility(p);
    }
    kb_policy_free(p);
    kb_diag_free(&diag);
    return 0;
}
