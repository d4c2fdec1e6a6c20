/* eligibility: owns the kenaikan pangkat pre-check — choosing the kind of KP from the
 * employee's post, judging each condition of that kind as the policy file states it, and
 * dating the first promotion period at which the time conditions hold.
 *
 * It never guesses: a condition whose data karirbot does not hold (an unknown predikat, the
 * angka kredit of a JF holder, the ujian dinas) is UNKNOWN, and the verdict says "cannot
 * judge" rather than "eligible". All figures come from the policy; this file knows only how
 * the kinds of condition combine. */
#include "karirbot/eligibility.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "karirbot/idfmt.h"

static const char *const reason_keys[KB_R_COUNT] = {
    [KB_R_OK] = "ok",
    [KB_R_ASN_UNKNOWN] = "asn_unknown",
    [KB_R_PPPK] = "pppk",
    [KB_R_CPNS] = "cpns",
    [KB_R_GRADE_UNKNOWN] = "grade_unknown",
    [KB_R_TOP_RANK] = "top_rank",
    [KB_R_POSITION_UNKNOWN] = "position_unknown",
    [KB_R_TMT_UNKNOWN] = "tmt_unknown",
    [KB_R_YEARS_NOT_YET] = "years_not_yet",
    [KB_R_PERF_UNKNOWN] = "perf_unknown",
    [KB_R_PERF_LABEL_UNKNOWN] = "perf_label_unknown",
    [KB_R_PERF_BELOW] = "perf_below",
    [KB_R_EDUCATION_UNKNOWN] = "education_unknown",
    [KB_R_CEILING_REACHED] = "ceiling_reached",
    [KB_R_STLUD_UNKNOWN] = "stlud_unknown",
    [KB_R_STLUD_NOT_PASSED] = "stlud_not_passed",
    [KB_R_STLUD_EXEMPT] = "stlud_exempt",
    [KB_R_AK_UNKNOWN] = "ak_unknown",
    [KB_R_AK_RULE_UNKNOWN] = "ak_rule_unknown",
    [KB_R_AK_BELOW] = "ak_below",
    [KB_R_POSITION_CEILING_HR] = "position_ceiling_hr",
    [KB_R_NO_PERIOD] = "no_period",
};

const char *kb_elig_reason_key(enum kb_elig_reason r)
{
    return (int)r >= 0 && r < KB_R_COUNT ? reason_keys[r] : NULL;
}

/* Appends a condition to out (the list has room for every kind of condition once). */
static struct kb_condition *add_cond(struct kb_eligibility *out, enum kb_cond_id id,
                                     enum kb_cond_status status, enum kb_elig_reason reason)
{
    struct kb_condition *c = &out->conds[out->nconds++];
    *c = (struct kb_condition){.id = id, .status = status, .reason = reason};
    return c;
}

/* The date n years after y-m-d: its anniversary, or 1 March when it is 29 February and the
 * target year is common (the years are then complete only once February has ended). */
static int64_t anniversary(int y, int m, int d, int n)
{
    int ty = y + n;
    if (m == 2 && d == 29 && !kb_is_leap_year(ty))
        return kb_days_from_civil(ty, 3, 1);
    return kb_days_from_civil(ty, m, d);
}

/* Whole years from y-m-d to the day `to` (0 when to is earlier), by anniversaries. */
static int full_years(int y, int m, int d, int64_t to)
{
    int n = 0;
    while (n < 200 && anniversary(y, m, d, n + 1) <= to)
        n++;
    return n;
}

static void days_to_date(int64_t days, char out[11])
{
    int y, m, d;
    kb_civil_from_days(days, &y, &m, &d);
    kb_date_make(out, y, m, d);
}

static int64_t date_days(const char *ymd)
{
    int y, m, d;
    kb_date_parse(ymd, &y, &m, &d); /* callers pass dates they made or checked */
    return kb_days_from_civil(y, m, d);
}

/* The years-in-rank condition. Fills out->time_met_on and out->next_period. */
static void judge_years(const struct kb_policy *p, const struct kb_kp_rule *rule,
                        const struct kb_employee_profile *e, const char *today,
                        struct kb_eligibility *out)
{
    int y, m, d;
    if (!e->tmt_pangkat || kb_date_parse(e->tmt_pangkat, &y, &m, &d) != 0) {
        struct kb_condition *c =
            add_cond(out, KB_COND_YEARS_IN_RANK, KB_COND_UNKNOWN, KB_R_TMT_UNKNOWN);
        c->need = rule->min_years;
        return;
    }
    int64_t met = anniversary(y, m, d, rule->min_years);
    int64_t now = date_days(today);
    char met_on[11], p0[11], pm[11];
    days_to_date(met, met_on);
    memcpy(out->time_met_on, met_on, sizeof met_on);
    /* p0: the next period from today; pm: the first one at which the years are complete. */
    int bad = kb_policy_next_period(p, today, p0) != 0;
    bad |= !met_on[0] || kb_policy_next_period(p, met > now ? met_on : today, pm) != 0;
    struct kb_condition *c;
    if (bad) {
        c = add_cond(out, KB_COND_YEARS_IN_RANK, KB_COND_UNKNOWN, KB_R_NO_PERIOD);
    } else if (met <= date_days(p0)) {
        c = add_cond(out, KB_COND_YEARS_IN_RANK, KB_COND_MET, KB_R_OK);
        memcpy(out->next_period, p0, sizeof p0);
    } else {
        c = add_cond(out, KB_COND_YEARS_IN_RANK, KB_COND_NOT_MET, KB_R_YEARS_NOT_YET);
        memcpy(out->next_period, pm, sizeof pm);
    }
    memcpy(c->met_on, met_on, sizeof met_on);
    c->need = rule->min_years;
    if (out->next_period[0])
        c->have = full_years(y, m, d, date_days(out->next_period));
}

/* One year's predikat against the accepted ones: the reason it fails, or KB_R_OK. */
static enum kb_elig_reason judge_label(const struct kb_policy *p, const struct kb_kp_rule *rule,
                                       const char *label)
{
    if (!label)
        return KB_R_PERF_UNKNOWN;
    if (!kb_policy_perf_label(p, label))
        return KB_R_PERF_LABEL_UNKNOWN;
    for (size_t i = 0; i < rule->nperf_accepted; i++)
        if (!strcmp(rule->perf_accepted[i], label))
            return KB_R_OK;
    return KB_R_PERF_BELOW;
}

static void judge_performance(const struct kb_policy *p, const struct kb_kp_rule *rule,
                              const struct kb_employee_profile *e, struct kb_eligibility *out)
{
    enum kb_elig_reason r[2] = {judge_label(p, rule, e->perf_last), KB_R_OK};
    if (rule->perf_years > 1)
        r[1] = judge_label(p, rule, e->perf_before);
    /* A year below Baik fails whatever the other year was; otherwise an unknown year leaves it
     * open; the label the policy does not know is named before a missing one. */
    static const enum kb_elig_reason order[] = {KB_R_PERF_BELOW, KB_R_PERF_LABEL_UNKNOWN,
                                                KB_R_PERF_UNKNOWN};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        if (r[0] == order[k] || r[1] == order[k]) {
            add_cond(out, KB_COND_PERFORMANCE,
                     order[k] == KB_R_PERF_BELOW ? KB_COND_NOT_MET : KB_COND_UNKNOWN, order[k]);
            return;
        }
    add_cond(out, KB_COND_PERFORMANCE, KB_COND_MET, KB_R_OK);
}

static const struct kb_ceiling *find_ceiling(const struct kb_kp_rule *rule, const char *educ)
{
    for (size_t i = 0; educ && i < rule->nceilings; i++)
        if (!strcmp(rule->ceilings[i].education, educ))
            return &rule->ceilings[i];
    return NULL;
}

static void judge_ceiling(const struct kb_policy *p, const struct kb_kp_rule *rule,
                          const struct kb_employee_profile *e, int grade_index,
                          struct kb_eligibility *out)
{
    const struct kb_ceiling *c = find_ceiling(rule, e->education);
    if (!c) {
        add_cond(out, KB_COND_EDUCATION_CEILING, KB_COND_UNKNOWN, KB_R_EDUCATION_UNKNOWN);
        return;
    }
    if (grade_index >= kb_policy_rank_index(p, c->max_rank)) {
        out->ceiling_reached = true;
        add_cond(out, KB_COND_EDUCATION_CEILING, KB_COND_NOT_MET, KB_R_CEILING_REACHED);
        return;
    }
    add_cond(out, KB_COND_EDUCATION_CEILING, KB_COND_MET, KB_R_OK);
}

/* The ujian dinas, only when the move from the current rank to the next one needs it. */
static void judge_stlud(const struct kb_kp_rule *rule, const struct kb_employee_profile *e,
                        const char *next, struct kb_eligibility *out)
{
    const struct kb_stlud_step *st = NULL;
    for (size_t i = 0; i < rule->nstlud && !st; i++)
        if (!strcmp(rule->stlud[i].from, e->grade) && !strcmp(rule->stlud[i].to, next))
            st = &rule->stlud[i];
    if (!st)
        return;
    for (size_t i = 0; e->education && i < st->nexempt; i++)
        if (!strcmp(st->exempt_educ[i], e->education)) {
            add_cond(out, KB_COND_STLUD, KB_COND_MET, KB_R_STLUD_EXEMPT);
            return;
        }
    switch (e->stlud) {
    case KB_KNOWN_YES:
        add_cond(out, KB_COND_STLUD, KB_COND_MET, KB_R_OK);
        break;
    case KB_KNOWN_NO:
        add_cond(out, KB_COND_STLUD, KB_COND_NOT_MET, KB_R_STLUD_NOT_PASSED);
        break;
    default:
        add_cond(out, KB_COND_STLUD, KB_COND_UNKNOWN, KB_R_STLUD_UNKNOWN);
        break;
    }
}

static void judge_ak(const struct kb_kp_rule *rule, const struct kb_employee_profile *e,
                     const char *next, struct kb_eligibility *out)
{
    const struct kb_ak_req *req = NULL;
    for (size_t i = 0; i < rule->nak && !req; i++)
        if (!strcmp(rule->ak[i].to, next))
            req = &rule->ak[i];
    struct kb_condition *c;
    if (!e->ak_known)
        c = add_cond(out, KB_COND_ANGKA_KREDIT, KB_COND_UNKNOWN, KB_R_AK_UNKNOWN);
    else if (!req)
        c = add_cond(out, KB_COND_ANGKA_KREDIT, KB_COND_UNKNOWN, KB_R_AK_RULE_UNKNOWN);
    else if (e->ak >= req->ak)
        c = add_cond(out, KB_COND_ANGKA_KREDIT, KB_COND_MET, KB_R_OK);
    else
        c = add_cond(out, KB_COND_ANGKA_KREDIT, KB_COND_NOT_MET, KB_R_AK_BELOW);
    c->need = req ? req->ak : 0;
    c->have = e->ak_known ? e->ak : 0;
}

/* Sets the verdict and stops: for the cases where no condition is judged. */
static int verdict(struct kb_eligibility *out, enum kb_verdict v, enum kb_elig_reason r)
{
    out->verdict = v;
    out->reason = r;
    return 0;
}

int kb_eligibility_check(const struct kb_policy *p, const struct kb_employee_profile *e,
                         const char *today, struct kb_eligibility *out)
{
    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    out->verdict = KB_VERDICT_CANNOT_JUDGE;
    if (!p || !e || !today || kb_date_parse(today, NULL, NULL, NULL) != 0)
        return -1;

    switch (e->asn) {
    case KB_ASN_PNS:
        break;
    case KB_ASN_PPPK:
        return verdict(out, KB_VERDICT_NOT_APPLICABLE, KB_R_PPPK);
    case KB_ASN_CPNS:
        return verdict(out, KB_VERDICT_NOT_APPLICABLE, KB_R_CPNS);
    default:
        return verdict(out, KB_VERDICT_CANNOT_JUDGE, KB_R_ASN_UNKNOWN);
    }
    int gi = kb_policy_rank_index(p, e->grade);
    if (gi < 0)
        return verdict(out, KB_VERDICT_CANNOT_JUDGE, KB_R_GRADE_UNKNOWN);
    const struct kb_rank *next = kb_policy_rank_next(p, e->grade);
    if (!next) {
        out->top_of_ladder = true;
        return verdict(out, KB_VERDICT_NOT_ELIGIBLE, KB_R_TOP_RANK);
    }
    snprintf(out->grade_next, sizeof out->grade_next, "%s", next->code);

    switch (e->position) {
    case KB_POS_PELAKSANA:
        out->type = KB_KP_REGULER;
        break;
    case KB_POS_STRUKTURAL:
        out->type = KB_KP_PILIHAN;
        break;
    case KB_POS_FUNGSIONAL:
        out->type = KB_KP_FUNGSIONAL;
        break;
    default:
        return verdict(out, KB_VERDICT_CANNOT_JUDGE, KB_R_POSITION_UNKNOWN);
    }
    const struct kb_kp_rule *rule = kb_policy_kp_rule(p, out->type);

    /* In the order of enum kb_cond_id; the first failing one names the verdict's reason. */
    if (rule->nceilings)
        judge_ceiling(p, rule, e, gi, out);
    judge_years(p, rule, e, today, out);
    if (rule->perf_years > 0)
        judge_performance(p, rule, e, out);
    if (rule->nstlud)
        judge_stlud(rule, e, next->code, out);
    if (rule->angka_kredit)
        judge_ak(rule, e, next->code, out);
    if (rule->position_ceiling)
        add_cond(out, KB_COND_POSITION_CEILING, KB_COND_UNKNOWN, KB_R_POSITION_CEILING_HR);

    out->perf_assumed =
        rule->perf_years > 0 && out->next_period[0] && strncmp(out->next_period, today, 4) > 0;

    const struct kb_condition *not_met = NULL, *unknown = NULL;
    bool later = false;
    for (size_t i = 0; i < out->nconds; i++) {
        const struct kb_condition *c = &out->conds[i];
        if (c->status == KB_COND_NOT_MET && c->reason == KB_R_YEARS_NOT_YET)
            later = true;
        else if (c->status == KB_COND_NOT_MET && !not_met)
            not_met = c;
        else if (c->status == KB_COND_UNKNOWN && !unknown)
            unknown = c;
    }
    if (not_met)
        return verdict(out, KB_VERDICT_NOT_ELIGIBLE, not_met->reason);
    if (unknown)
        return verdict(out, KB_VERDICT_CANNOT_JUDGE, unknown->reason);
    if (later)
        return verdict(out, KB_VERDICT_ELIGIBLE_FROM, KB_R_YEARS_NOT_YET);
    return verdict(out, KB_VERDICT_ELIGIBLE_NOW, KB_R_OK);
}
