/* act_promotion: the actions of the promotion status flow (dialogs/kenaikan_pangkat.json).
 *
 * promotion_status shows the employee their own pangkat and golongan, the pre-check of their
 * next promotion (eligibility.h: the kind of KP their position calls for, each condition met,
 * not met or not judgeable from the data held, and the next period), and the journey of their
 * latest promotion file: each stage reached, how many working days the file has waited at the
 * current one against the policy's expected days, who must act, or what a return means. It
 * answers "kp" (a kind of KP applies: the document checklist is offered), "file" (no kind is
 * known but a file is shown), "plain", or "unavailable" (no policy loaded).
 * promotion_documents lists the policy's documents for the kind of KP that applies.
 *
 * Only the employee sees their status and their file (access.h). Every figure comes from the
 * policy data; every word from locales/<lang>/promotion.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "karirbot/access.h"
#include "karirbot/actions.h"
#include "karirbot/buf.h"
#include "karirbot/eligibility.h"
#include "karirbot/hr_store.h"
#include "karirbot/idfmt.h"
#include "karirbot/log.h"
#include "karirbot/policy.h"
#include "karirbot/promotions.h"
#include "karirbot/workdays.h"

#define SECTION_MAX  (4 * KB_ACTION_VAR_MAX) /* kb_action_html cuts at a line boundary */
#define LINE_VARS    10 /* name/value pairs a line may take, besides {salutation} */
#define DATE_TEXT    48
#define RETURN_INDEX 100000 /* sorts a return after every normal stage of the same date */

/* ---- text building ---------------------------------------------------------------------- */

/* One section of the message, line by line, every line a locale key rendered with {salutation}
 * and its own variables (escaped). */
struct text {
    struct kb_action_ctx *ctx;
    const char *salutation;
    struct kb_buf b;
    int gap; /* the next line starts a new paragraph */
    int err;
};

static void text_init(struct text *t, struct kb_action_ctx *ctx, const char *salutation)
{
    t->ctx = ctx;
    t->salutation = salutation;
    kb_buf_init(&t->b, SECTION_MAX);
    t->gap = 0;
    t->err = 0;
}

static void para(struct text *t)
{
    t->gap = t->b.len > 0;
}

/* Renders key with (name, value) pairs; plain: not escaped (for a part of another line). */
static char *render(struct text *t, int plain, const char *key, const char *const *vars,
                    size_t nvars)
{
    const char *all[2 * (LINE_VARS + 1)];
    size_t n = 0;
    for (size_t i = 0; i < nvars && i < LINE_VARS; i++) {
        all[2 * n] = vars[2 * i];
        all[2 * n + 1] = vars[2 * i + 1] ? vars[2 * i + 1] : "";
        n++;
    }
    all[2 * n] = "salutation";
    all[2 * n + 1] = t->salutation;
    n++;
    char *s = (plain ? kb_action_render_plain : kb_action_render)(t->ctx, key, all, n);
    if (!s)
        t->err = 1;
    return s;
}

static void line(struct text *t, const char *key, const char *const *vars, size_t nvars)
{
    char *s = render(t, 0, key, vars, nvars);
    if (!s)
        return;
    if (t->b.len && kb_buf_adds(&t->b, t->gap ? "\n\n" : "\n") != 0)
        t->err = 1;
    if (kb_buf_adds(&t->b, s) != 0)
        t->err = 1;
    t->gap = 0;
    free(s);
}

/* A part of a line (a rank, a count of days) as plain text, into buf. */
static const char *part(struct text *t, const char *key, const char *const *vars, size_t nvars,
                        char *buf, size_t cap)
{
    char *s = render(t, 1, key, vars, nvars);
    snprintf(buf, cap, "%s", s ? s : "");
    free(s);
    return buf;
}

/* "4 tahun", "1 year": key_one or key_other by n. */
static const char *count(struct text *t, const char *key_one, const char *key_other, int64_t n,
                         char *buf, size_t cap)
{
    char num[32];
    if ((strcmp(t->ctx->lang, "en") ? kb_fmt_int_id : kb_fmt_int_en)(num, sizeof num, n) != 0)
        num[0] = '\0';
    const char *vars[] = {"n", num};
    return part(t, n == 1 ? key_one : key_other, vars, 1, buf, cap);
}

static const char *date_text(struct text *t, const char *ymd, char *buf, size_t cap)
{
    if (kb_locale_date(t->ctx->loc, t->ctx->lang, ymd, buf, cap) != 0)
        snprintf(buf, cap, "%s", ymd ? ymd : "");
    return buf;
}

/* Angka kredit as written: 410, 412,5 (at most three decimals). */
static const char *number_text(struct text *t, double v, char *buf, size_t cap)
{
    int (*fmt)(char *, size_t, double, int) =
        strcmp(t->ctx->lang, "en") ? kb_fmt_number_id : kb_fmt_number_en;
    int decimals = fabs(v - round(v)) < 1e-9 ? 0 : 3;
    if (fmt(buf, cap, v, decimals) != 0)
        buf[0] = '\0';
    if (decimals) { /* 412,500 -> 412,5 */
        size_t n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = '\0';
    }
    return buf;
}

/* "Penata Muda (III/a)", or the code itself when the ladder does not know it. */
static const char *rank_text(const struct kb_policy *p, const char *code, char *buf, size_t cap)
{
    if (kb_policy_rank_format(p, code, buf, cap) != 0)
        snprintf(buf, cap, "%s", code ? code : "");
    return buf;
}

static int set_section(struct kb_action_out *out, const char *name, struct text *t)
{
    int rc = t->err ? -1 : kb_action_html(out, name, t->b.data ? t->b.data : "");
    kb_buf_free(&t->b);
    return rc;
}

/* ---- the employee as the pre-check sees them --------------------------------------------- */

static enum kb_asn_kind asn_of(const char *s)
{
    return !strcmp(s, "PNS")    ? KB_ASN_PNS
           : !strcmp(s, "CPNS") ? KB_ASN_CPNS
           : !strcmp(s, "PPPK") ? KB_ASN_PPPK
                                : KB_ASN_UNKNOWN;
}

static enum kb_position_kind position_of(const char *s)
{
    return !strcmp(s, "pelaksana")    ? KB_POS_PELAKSANA
           : !strcmp(s, "struktural") ? KB_POS_STRUKTURAL
           : !strcmp(s, "fungsional") ? KB_POS_FUNGSIONAL
                                      : KB_POS_UNKNOWN;
}

static enum kb_kp_type type_of_position(enum kb_position_kind k)
{
    return k == KB_POS_PELAKSANA    ? KB_KP_REGULER
           : k == KB_POS_STRUKTURAL ? KB_KP_PILIHAN
           : k == KB_POS_FUNGSIONAL ? KB_KP_FUNGSIONAL
                                    : KB_KP_NONE;
}

/* The policy's education entry for what HR recorded ("s1", "S1"), or NULL. */
static const struct kb_ceiling *education_of(const struct kb_policy *p, const char *s)
{
    for (int type = KB_KP_REGULER; *s && type <= KB_KP_FUNGSIONAL; type++) {
        const struct kb_kp_rule *r = kb_policy_kp_rule(p, (enum kb_kp_type)type);
        for (size_t i = 0; r && i < r->nceilings; i++)
            if (!strcasecmp(r->ceilings[i].education, s))
                return &r->ceilings[i];
    }
    return NULL;
}

/* The ceiling of that education in the rule of one kind of KP (NULL: none there). */
static const struct kb_ceiling *ceiling_in(const struct kb_kp_rule *r,
                                           const struct kb_ceiling *educ)
{
    for (size_t i = 0; r && educ && i < r->nceilings; i++)
        if (!strcmp(r->ceilings[i].education, educ->education))
            return &r->ceilings[i];
    return NULL;
}

/* The policy's label id for a predikat as recorded ("Sangat Baik", "baik"), matched by name
 * or id whatever the case; a label the policy does not list is passed on as recorded (the
 * pre-check calls it unknown), and nothing recorded is NULL. */
static const char *perf_of(const struct kb_policy *p, const char *s)
{
    if (!*s)
        return NULL;
    size_t n;
    const struct kb_perf_label *l = kb_policy_perf_labels(p, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(l[i].id, s) || !strcasecmp(l[i].name, s))
            return l[i].id;
    return s;
}

static void profile_of(const struct kb_policy *p, const struct kb_person *a,
                       struct kb_employee_profile *e)
{
    const struct kb_ceiling *educ = education_of(p, a->education);
    *e = (struct kb_employee_profile){.asn = asn_of(a->asn_kind),
                                      .grade = a->grade[0] ? a->grade : NULL,
                                      .tmt_pangkat = a->tmt_grade[0] ? a->tmt_grade : NULL,
                                      .education = educ ? educ->education
                                                        : (a->education[0] ? a->education : NULL),
                                      .position = position_of(a->position_kind),
                                      .perf_last = perf_of(p, a->perf_last),
                                      .perf_before = perf_of(p, a->perf_prev),
                                      .ak_known = a->credit_points >= 0,
                                      .ak = a->credit_points >= 0 ? a->credit_points : 0,
                                      .stlud = a->stlud == 1   ? KB_KNOWN_YES
                                               : a->stlud == 0 ? KB_KNOWN_NO
                                                               : KB_KNOWN_UNKNOWN};
}

/* ---- profile ------------------------------------------------------------------------------ */

/* Whole months from the date from to the date to; -1 when to is earlier or a date is bad. */
static int months_between(const char *from, const char *to)
{
    int y1, m1, d1, y2, m2, d2;
    if (kb_date_parse(from, &y1, &m1, &d1) != 0 || kb_date_parse(to, &y2, &m2, &d2) != 0)
        return -1;
    int months = (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
    return strcmp(to, from) >= 0 && months >= 0 ? months : -1;
}

static void profile_section(struct text *t, const struct kb_person *a)
{
    const struct kb_policy *p = t->ctx->policy;
    char rank[96], buf[DATE_TEXT], y[48], m[48], dur[128];
    const char *name[] = {"name", a->name};
    line(t, "promo_profile_head", name, 1);
    para(t);
    if (!strcmp(a->asn_kind, "PPPK")) {
        const char *v[] = {"grade", a->grade};
        line(t, "promo_profile_pppk", v, 1);
    } else {
        const char *v[] = {"rank", rank_text(p, a->grade, rank, sizeof rank)};
        line(t, !strcmp(a->asn_kind, "CPNS") ? "promo_profile_rank_cpns" : "promo_profile_rank", v,
             1);
        int months = a->tmt_grade[0] ? months_between(a->tmt_grade, t->ctx->today) : -1;
        if (!a->tmt_grade[0]) {
            line(t, "promo_profile_tmt_unknown", NULL, 0);
        } else if (months < 0) { /* a TMT ahead of today: shown, not counted */
            const char *tv[] = {"tmt", date_text(t, a->tmt_grade, buf, sizeof buf)};
            line(t, "promo_profile_tmt_plain", tv, 1);
        } else {
            if (months == 0) {
                part(t, "promo_duration_short", NULL, 0, dur, sizeof dur);
            } else if (months % 12 == 0) {
                count(t, "promo_years_one", "promo_years_other", months / 12, dur, sizeof dur);
            } else if (months < 12) {
                count(t, "promo_months_one", "promo_months_other", months, dur, sizeof dur);
            } else {
                const char *dv[] = {
                    "years",
                    count(t, "promo_years_one", "promo_years_other", months / 12, y, sizeof y),
                    "months",
                    count(t, "promo_months_one", "promo_months_other", months % 12, m, sizeof m)};
                part(t, "promo_duration_ym", dv, 2, dur, sizeof dur);
            }
            const char *tv[] = {"tmt", date_text(t, a->tmt_grade, buf, sizeof buf), "duration",
                                dur};
            line(t, "promo_profile_tmt", tv, 2);
        }
    }
    char kind_key[48], kind[96];
    snprintf(kind_key, sizeof kind_key, "promo_poskind_%s", a->position_kind);
    int kind_known = position_of(a->position_kind) != KB_POS_UNKNOWN;
    const char *pv[] = {"position", a->position, "kind",
                        kind_known ? part(t, kind_key, NULL, 0, kind, sizeof kind) : ""};
    line(t,
         !a->position[0] ? "promo_profile_position_unknown"
         : kind_known    ? "promo_profile_position"
                         : "promo_profile_position_nokind",
         pv, 2);
}

/* ---- the pre-check ------------------------------------------------------------------------ */

static const char *type_suffix(enum kb_kp_type type)
{
    return type == KB_KP_REGULER ? "reguler" : type == KB_KP_PILIHAN ? "pilihan" : "fungsional";
}

/* "Sangat Baik atau Baik": the names of the accepted predikat. */
static const char *accepted_text(struct text *t, const struct kb_kp_rule *r, char *buf, size_t cap)
{
    char or_word[32];
    part(t, "promo_or", NULL, 0, or_word, sizeof or_word);
    buf[0] = '\0';
    for (size_t i = 0; i < r->nperf_accepted; i++) {
        const struct kb_perf_label *l = kb_policy_perf_label(t->ctx->policy, r->perf_accepted[i]);
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", i == 0 ? "" : or_word,
                 l ? l->name : r->perf_accepted[i]);
    }
    return buf;
}

/* "tahun lalu Baik, tahun sebelumnya Sangat Baik": the predikat as HR recorded them. */
static const char *recorded_text(struct text *t, const struct kb_kp_rule *r,
                                 const struct kb_person *a, char *buf, size_t cap)
{
    char none[64];
    part(t, "promo_perf_none", NULL, 0, none, sizeof none);
    const char *v[] = {"last", a->perf_last[0] ? a->perf_last : none, "prev",
                       a->perf_prev[0] ? a->perf_prev : none};
    return part(t, r->perf_years > 1 ? "promo_perf_recorded_2" : "promo_perf_recorded_1", v, 2, buf,
                cap);
}

static void condition_line(struct text *t, const struct kb_eligibility *el,
                           const struct kb_condition *c, const struct kb_person *a)
{
    const struct kb_policy *p = t->ctx->policy;
    const struct kb_kp_rule *r = kb_policy_kp_rule(p, el->type);
    const struct kb_ceiling *educ = education_of(p, a->education);
    char next[96], need[64], date[DATE_TEXT], acc[128], rec[192], have[48], maxr[96], yrs[48];
    rank_text(p, el->grade_next, next, sizeof next);
    switch (c->id) {
    case KB_COND_EDUCATION_CEILING: {
        const struct kb_ceiling *ce = ceiling_in(r, educ);
        const char *v[] = {"education", ce ? ce->name : a->education, "max",
                           ce ? rank_text(p, ce->max_rank, maxr, sizeof maxr) : ""};
        line(t,
             c->status == KB_COND_MET            ? "promo_c_ceiling_met"
             : c->reason == KB_R_CEILING_REACHED ? "promo_c_ceiling_reached"
             : a->education[0]                   ? "promo_c_ceiling_unlisted"
                                                 : "promo_c_ceiling_unknown",
             v, 2);
        break;
    }
    case KB_COND_YEARS_IN_RANK: {
        const char *v[] = {
            "need",
            count(t, "promo_years_one", "promo_years_other", (int64_t)c->need, need, sizeof need),
            "date", c->met_on[0] ? date_text(t, c->met_on, date, sizeof date) : ""};
        line(t,
             c->status == KB_COND_MET
                 ? (strcmp(c->met_on, t->ctx->today) <= 0 ? "promo_c_years_met_since"
                                                          : "promo_c_years_met_on")
             : c->status == KB_COND_NOT_MET  ? "promo_c_years_later"
             : c->reason == KB_R_TMT_UNKNOWN ? "promo_c_years_tmt_unknown"
                                             : "promo_c_years_no_period",
             v, 2);
        break;
    }
    case KB_COND_PERFORMANCE: {
        const char *v[] = {
            "years",
            count(t, "promo_years_one", "promo_years_other", r->perf_years, yrs, sizeof yrs),
            "accepted",
            accepted_text(t, r, acc, sizeof acc),
            "recorded",
            recorded_text(t, r, a, rec, sizeof rec)};
        line(t,
             c->status == KB_COND_MET               ? "promo_c_perf_met"
             : c->reason == KB_R_PERF_BELOW         ? "promo_c_perf_below"
             : c->reason == KB_R_PERF_LABEL_UNKNOWN ? "promo_c_perf_label_unknown"
                                                    : "promo_c_perf_unknown",
             v, 3);
        break;
    }
    case KB_COND_STLUD: {
        const char *v[] = {"from",         a->grade,    "to",
                           el->grade_next, "education", educ ? educ->name : a->education};
        line(t,
             c->reason == KB_R_STLUD_EXEMPT       ? "promo_c_stlud_exempt"
             : c->status == KB_COND_MET           ? "promo_c_stlud_met"
             : c->reason == KB_R_STLUD_NOT_PASSED ? "promo_c_stlud_not_passed"
                                                  : "promo_c_stlud_unknown",
             v, 3);
        break;
    }
    case KB_COND_ANGKA_KREDIT: {
        const char *v[] = {"next", next,
                           "have", number_text(t, c->have, have, sizeof have),
                           "need", number_text(t, c->need, need, sizeof need)};
        line(t,
             c->status == KB_COND_MET            ? "promo_c_ak_met"
             : c->status == KB_COND_NOT_MET      ? "promo_c_ak_below"
             : c->reason == KB_R_AK_RULE_UNKNOWN ? "promo_c_ak_rule_unknown"
                                                 : "promo_c_ak_unknown",
             v, 3);
        break;
    }
    case KB_COND_POSITION_CEILING: {
        char key[48];
        snprintf(key, sizeof key, "promo_c_posceil_%s", type_suffix(el->type));
        line(t, key, NULL, 0);
        break;
    }
    }
}

static const struct kb_condition *cond_of(const struct kb_eligibility *el, enum kb_cond_id id)
{
    for (size_t i = 0; i < el->nconds; i++)
        if (el->conds[i].id == id)
            return &el->conds[i];
    return NULL;
}

/* The closing words of the pre-check: the verdict, the next period, what to do next. */
static void verdict_lines(struct text *t, const struct kb_eligibility *el,
                          const struct kb_person *a, int file_shown)
{
    const struct kb_policy *p = t->ctx->policy;
    const struct kb_kp_rule *r = kb_policy_kp_rule(p, el->type);
    char next[96], period[DATE_TEXT], met[DATE_TEXT], acc[128], yrs[48], typename[96], maxr[96],
        key[48];
    rank_text(p, el->grade_next, next, sizeof next);
    date_text(t, el->next_period, period, sizeof period);
    accepted_text(t, r, acc, sizeof acc);
    snprintf(key, sizeof key, "promo_typename_%s", type_suffix(el->type));
    part(t, key, NULL, 0, typename, sizeof typename);
    const struct kb_condition *years = cond_of(el, KB_COND_YEARS_IN_RANK);
    const struct kb_ceiling *educ = education_of(p, a->education), *ce = ceiling_in(r, educ);
    const char *v[] = {
        "next",
        next,
        "period",
        period,
        "met_on",
        years && years->met_on[0] ? date_text(t, years->met_on, met, sizeof met) : "",
        "accepted",
        acc,
        "years",
        count(t, "promo_years_one", "promo_years_other", r->perf_years, yrs, sizeof yrs),
        "type_name",
        typename,
        "education",
        educ ? educ->name : a->education,
        "max",
        rank_text(p, ce ? ce->max_rank : a->grade, maxr, sizeof maxr)};
    size_t nv = sizeof v / sizeof v[0] / 2;
    para(t);
    switch (el->verdict) {
    case KB_VERDICT_ELIGIBLE_NOW:
        line(t, "promo_v_now", v, nv);
        break;
    case KB_VERDICT_ELIGIBLE_FROM:
        line(t, "promo_v_from", v, nv);
        break;
    case KB_VERDICT_CANNOT_JUDGE:
        line(t, el->next_period[0] ? "promo_v_cannot" : "promo_v_cannot_noperiod", v, nv);
        break;
    default:
        line(t,
             el->reason == KB_R_CEILING_REACHED    ? "promo_v_ceiling"
             : el->reason == KB_R_PERF_BELOW       ? "promo_v_perf_below"
             : el->reason == KB_R_STLUD_NOT_PASSED ? "promo_v_stlud"
             : el->reason == KB_R_AK_BELOW         ? "promo_v_ak_below"
                                                   : "promo_v_not",
             v, nv);
        break;
    }
    int hopeful = el->verdict == KB_VERDICT_ELIGIBLE_NOW ||
                  el->verdict == KB_VERDICT_ELIGIBLE_FROM ||
                  (el->verdict == KB_VERDICT_CANNOT_JUDGE && el->next_period[0]);
    if (hopeful && el->perf_assumed)
        line(t, "promo_v_perf_assumed", v, nv);
    size_t nstages;
    const struct kb_stage *stages = kb_policy_stages(p, &nstages);
    if (el->verdict == KB_VERDICT_ELIGIBLE_NOW && !file_shown && nstages) {
        const char *sv[] = {"actor", stages[0].actor};
        line(t, "promo_v_next_step", sv, 1);
    }
}

static void precheck_section(struct text *t, const struct kb_eligibility *el,
                             const struct kb_person *a, int file_shown)
{
    const struct kb_policy *p = t->ctx->policy;
    char rank[96], next[96];
    const char *v[] = {"rank", rank_text(p, a->grade, rank, sizeof rank),      "grade", a->grade,
                       "next", rank_text(p, el->grade_next, next, sizeof next)};
    if (el->verdict == KB_VERDICT_NOT_APPLICABLE) {
        line(t, el->reason == KB_R_PPPK ? "promo_na_pppk" : "promo_na_cpns", v, 3);
        return;
    }
    if (el->top_of_ladder) {
        line(t, "promo_top", v, 3);
    } else if (el->reason == KB_R_ASN_UNKNOWN || el->reason == KB_R_GRADE_UNKNOWN ||
               el->type == KB_KP_NONE) {
        line(t,
             el->reason == KB_R_ASN_UNKNOWN     ? "promo_nodata_asn"
             : el->reason == KB_R_GRADE_UNKNOWN ? "promo_nodata_grade"
                                                : "promo_nodata_position",
             v, 3);
    } else {
        char key[48];
        line(t, "promo_pre_title", v, 3);
        snprintf(key, sizeof key, "promo_type_%s", type_suffix(el->type));
        line(t, key, v, 3);
        para(t);
        for (size_t i = 0; i < el->nconds; i++)
            condition_line(t, el, &el->conds[i], a);
        verdict_lines(t, el, a, file_shown);
    }
    para(t);
    line(t, "promo_disclaimer", NULL, 0);
}

/* ---- the file's journey --------------------------------------------------------------------- */

struct step {
    const struct kb_promotion_stage_row *row;
    int index;                        /* in the policy's stages; RETURN_INDEX for a return */
    const struct kb_return_code *ret; /* for a return */
};

/* Before: by date, by the order of recording, then in the policy's order (a return after the
 * stage it came back from). */
static int step_before(const struct step *x, const struct step *y)
{
    int c = strcmp(x->row->reached_on, y->row->reached_on);
    if (c)
        return c < 0;
    if (x->row->seq != y->row->seq)
        return x->row->seq < y->row->seq;
    return x->index < y->index;
}

/* The file's rows the policy knows, in the order they happened. */
static size_t file_steps(const struct kb_policy *p, const struct kb_promotion_file *f,
                         struct step *steps)
{
    size_t nstages, n = 0;
    const struct kb_stage *stages = kb_policy_stages(p, &nstages);
    for (size_t i = 0; i < f->nstages; i++) {
        struct step s = {.row = &f->stages[i], .index = -1, .ret = NULL};
        for (size_t k = 0; k < nstages && s.index < 0; k++)
            if (!strcmp(stages[k].id, s.row->stage))
                s.index = (int)k;
        if (s.index < 0 && (s.ret = kb_policy_return_code(p, s.row->stage)))
            s.index = RETURN_INDEX;
        if (s.index < 0) {
            KB_WARN("promotion.unknown_stage", "promotion=%lld stage=%s", (long long)f->id,
                    s.row->stage);
            continue;
        }
        size_t j = n++; /* insertion sort: a file has a few rows */
        while (j > 0 && step_before(&s, &steps[j - 1])) {
            steps[j] = steps[j - 1];
            j--;
        }
        steps[j] = s;
    }
    return n;
}

/* Whether the file is still to be shown: it aims above the employee's rank (once HR records
 * the new rank, the file is history). A rank the ladder does not know: shown. */
static int file_current(const struct kb_policy *p, const struct kb_promotion_file *f,
                        const struct kb_person *a)
{
    int target = kb_policy_rank_index(p, f->target_grade);
    int now = kb_policy_rank_index(p, a->grade);
    return target < 0 || now < 0 || target > now;
}

static void file_section(struct text *t, const struct kb_promotion_file *f,
                         const struct kb_person *a)
{
    const struct kb_policy *p = t->ctx->policy;
    size_t nstages;
    const struct kb_stage *stages = kb_policy_stages(p, &nstages);
    struct step steps[KB_PROMOTION_STAGES_MAX];
    size_t n = file_steps(p, f, steps);
    const struct step *cur = NULL, *last = n ? &steps[n - 1] : NULL;
    for (size_t i = 0; i < n; i++)
        if (steps[i].index != RETURN_INDEX)
            cur = &steps[i];
    const struct step *ret = last && last->index == RETURN_INDEX ? last : NULL;

    char target[96], period[DATE_TEXT], since[DATE_TEXT], days[64], expected[64];
    const char *hv[] = {"target", rank_text(p, f->target_grade, target, sizeof target), "period",
                        date_text(t, f->period, period, sizeof period)};
    line(t, "promo_f_title", hv, 2);

    const struct kb_stage *cs = cur ? &stages[cur->index] : NULL;
    if (ret) {
        const char *v[] = {"on",        date_text(t, ret->row->reached_on, since, sizeof since),
                           "stage",     cs ? cs->name : "",
                           "code",      ret->ret->code,
                           "code_name", ret->ret->name,
                           "meaning",   ret->ret->meaning,
                           "action",    ret->ret->action};
        line(t, cs ? "promo_f_returned" : "promo_f_returned_first", v, 6);
        if (ret->row->note[0]) {
            const char *nv[] = {"note", ret->row->note};
            line(t, "promo_f_note", nv, 1);
        }
    } else if (!cs) {
        line(t, "promo_f_waiting", NULL, 0);
    } else if (cur->index + 1 == (int)nstages) {
        const char *v[] = {"stage", cs->name, "since",
                           date_text(t, cur->row->reached_on, since, sizeof since)};
        line(t, "promo_f_final", v, 2);
    } else {
        /* Working days the file has waited: Monday to Friday, or to Saturday where the unit
         * works six days, without the national holidays and cuti bersama HR imported. */
        int64_t waited = 0;
        char holidays[KB_HOLIDAYS_SPAN_MAX][11];
        size_t nholidays = 0;
        if (kb_holidays_between(t->ctx->st, cur->row->reached_on, t->ctx->today, holidays,
                                KB_HOLIDAYS_SPAN_MAX, &nholidays) != KB_OK)
            nholidays = 0; /* counted without them rather than not at all */
        if (kb_workdays_between_except(cur->row->reached_on, t->ctx->today,
                                       a->unit_workdays == 6 ? 6 : 5, holidays, nholidays,
                                       &waited) != 0)
            waited = 0;
        const char *v[] = {
            "stage",
            cs->name,
            "since",
            date_text(t, cur->row->reached_on, since, sizeof since),
            "days",
            count(t, "promo_workdays_one", "promo_workdays_other", waited, days, sizeof days),
            "expected",
            count(t, "promo_workdays_one", "promo_workdays_other", cs->expected_days, expected,
                  sizeof expected),
            "actor",
            cs->actor};
        line(t,
             strcmp(cur->row->reached_on, t->ctx->today) == 0 ? "promo_f_at_today" : "promo_f_at",
             v, 5);
        if (waited > cs->expected_days)
            line(t, "promo_f_overdue", NULL, 0);
    }

    /* The journey: stages passed (with the date each was reached, when recorded), the
     * current one or the return, and, unless the file came back, the stages ahead. */
    para(t);
    for (size_t k = 0; k < nstages; k++) {
        const struct step *at = NULL;
        for (size_t i = 0; i < n; i++)
            if (steps[i].index == (int)k)
                at = &steps[i];
        char date[DATE_TEXT];
        const char *v[] = {"stage", stages[k].name, "date",
                           at ? date_text(t, at->row->reached_on, date, sizeof date) : ""};
        if (cs && (int)k < cur->index) {
            line(t, at ? "promo_tl_done" : "promo_tl_done_nodate", v, 2);
        } else if (cs && (int)k == cur->index) {
            line(t, ret || k + 1 == nstages ? "promo_tl_done" : "promo_tl_current", v, 2);
        } else if (ret) {
            break;
        } else {
            line(t, "promo_tl_ahead", v, 1);
        }
    }
    if (ret) {
        const char *v[] = {"code",      ret->ret->code,
                           "code_name", ret->ret->name,
                           "date",      date_text(t, ret->row->reached_on, since, sizeof since)};
        line(t, "promo_tl_returned", v, 3);
    }
    if (f->truncated) {
        char num[24];
        snprintf(num, sizeof num, "%d", KB_PROMOTION_STAGES_MAX);
        const char *v[] = {"n", num};
        line(t, "promo_f_truncated", v, 1);
    }
}

/* ---- actions -------------------------------------------------------------------------------- */

static int result(struct kb_action_out *out, const char *word)
{
    snprintf(out->result, sizeof out->result, "%s", word);
    return 0;
}

static char *salutation_of(struct kb_action_ctx *ctx)
{
    return kb_action_render_plain(ctx, kb_person_salutation_key(ctx->actor), NULL, 0);
}

static int promotion_status(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor || kb_access_owner(ctx->actor, ctx->actor->id) != KB_ACCESS_OK)
        return result(out, "forbidden");
    if (!ctx->policy) {
        KB_ERROR("promotion.no_policy", "employee=%lld", (long long)ctx->actor->id);
        return result(out, "unavailable");
    }
    const struct kb_person *a = ctx->actor;
    struct kb_employee_profile e;
    struct kb_eligibility el;
    profile_of(ctx->policy, a, &e);
    if (kb_eligibility_check(ctx->policy, &e, ctx->today, &el) != 0)
        return -1;

    /* The latest file, shown only to its owner. */
    struct kb_promotion_file *f = malloc(sizeof *f);
    int found = 0;
    if (!f || kb_promotion_current(ctx->st, a->id, f, &found) != KB_OK) {
        free(f);
        return -1;
    }
    if (found && kb_access_owner(ctx->actor, f->employee_id) != KB_ACCESS_OK) {
        KB_WARN("promotion.not_owner", "promotion=%lld actor=%lld", (long long)f->id,
                (long long)a->id);
        found = 0;
    }
    int shown = found && file_current(ctx->policy, f, a);

    char *sal = salutation_of(ctx);
    if (!sal) {
        free(f);
        return -1;
    }
    struct text profile, precheck, file;
    text_init(&profile, ctx, sal);
    text_init(&precheck, ctx, sal);
    text_init(&file, ctx, sal);
    profile_section(&profile, a);
    precheck_section(&precheck, &el, a, shown);
    /* "kp": a promotion of a known kind is possible, so the checklist is offered and the file
     * section says whether a file is on its way; otherwise the file only when there is one. */
    int possible = el.type != KB_KP_NONE && !el.ceiling_reached;
    if (shown)
        file_section(&file, f, a);
    else if (possible)
        line(&file, "promo_f_none", NULL, 0);
    const char *word = possible ? "kp" : shown ? "file" : "plain";
    int rc = set_section(out, "profile", &profile);
    rc |= set_section(out, "precheck", &precheck);
    rc |= set_section(out, "file", &file);
    KB_INFO("promotion.status", "employee=%lld result=%s file=%lld", (long long)a->id, word,
            (long long)(shown ? f->id : 0));
    free(sal);
    free(f);
    return rc ? -1 : result(out, word);
}

/* The document checklist of the kind of KP that applies to the actor's position. */
static int promotion_documents(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor || kb_access_owner(ctx->actor, ctx->actor->id) != KB_ACCESS_OK)
        return result(out, "forbidden");
    const struct kb_person *a = ctx->actor;
    enum kb_kp_type type = !strcmp(a->asn_kind, "PNS") && ctx->policy
                               ? type_of_position(position_of(a->position_kind))
                               : KB_KP_NONE;
    size_t n = 0;
    const char *const *docs = kb_policy_documents(ctx->policy, type, &n);
    char *sal = salutation_of(ctx);
    if (!sal)
        return -1;
    struct text t;
    text_init(&t, ctx, sal);
    if (type == KB_KP_NONE || n == 0) {
        line(&t, "promo_docs_none", NULL, 0);
    } else {
        char key[48], typename[96];
        snprintf(key, sizeof key, "promo_typename_%s", type_suffix(type));
        const char *v[] = {"type_name", part(&t, key, NULL, 0, typename, sizeof typename)};
        line(&t, "promo_docs_head", v, 1);
        for (size_t i = 0; i < n; i++) {
            char num[24];
            snprintf(num, sizeof num, "%zu", i + 1);
            const char *dv[] = {"n", num, "document", docs[i]};
            line(&t, "promo_docs_item", dv, 2);
        }
        para(&t);
        line(&t, "promo_docs_foot", NULL, 0);
    }
    int rc = set_section(out, "documents", &t);
    free(sal);
    return rc ? -1 : result(out, type == KB_KP_NONE || n == 0 ? "none" : "ok");
}

const struct kb_action_def kb_actions_promotion[] = {
    {"promotion_status", promotion_status},
    {"promotion_documents", promotion_documents},
    {NULL, NULL},
};
