/* remind_pass: one pass of reminders, slice by slice (include/karirbot/remind_pass.h).
 *
 * A slice: the next slice_people linked employees by id (fewer when slice_messages messages
 * are written before the last of them); for the id range they span, the
 * records reminders come from are read with one bounded, indexed query each. Every row is
 * turned into candidates for the person it concerns (a due reminder with its key), found by
 * binary search in the slice's people. Then, person by person: candidates that may not reach
 * them now are held (hours, days, choices, blocked chat), those sent before are dropped, the
 * rest go by kind up to the day's cap, rendered in their language and merged into one message,
 * written to the outbox with their keys. Held reminders are not recorded: the next pass finds
 * them again while their window lasts. */
#include "karirbot/remind_pass.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "karirbot/buf.h"
#include "karirbot/clock.h"
#include "karirbot/hr_store.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/promotions.h"
#include "karirbot/reminders_store.h"
#include "karirbot/rpi.h"
#include "karirbot/trainings.h"

#define OPEN_TRAININGS_MAX 500 /* open trainings read per pass */
#define HOLIDAYS_BACK      800 /* days of holidays read before today (waits are counted back) */
#define HOLIDAYS_AHEAD     90
#define BUTTON_TTL_S       (30 * 86400) /* as long as an approval card's */
#define TOKEN_LEN          16
#define BUTTONS_MAX        4
#define DIGEST_LINES       15
#define DIGEST_MAX         2800 /* bytes of the digest's lines: a message holds them whole */
#define TEXT_MAX           4000 /* bytes of one message; Telegram's limit is 4096 characters */
#define TEXT_FRAME         300  /* bytes of the heading and footer around the reminders */
#define ZONES              3

static const char *const zones[ZONES] = {"WIB", "WITA", "WIT"};

/* A due reminder for one person of the slice. */
struct cand {
    int who; /* index into the slice's people */
    enum kb_rem_kind kind;
    char key[KB_REM_KEY_MAX];
    int64_t n;        /* days left, late or waited; JP expected */
    int64_t id1, id2; /* kind-specific: see gather_*() */
    int64_t id3;
    char date[11];   /* the date the text names */
    char extra[40];  /* kind-specific: a stage id, a kind of request */
    const void *ptr; /* kind-specific: a policy stage or return code, an open training */
};

struct slice {
    struct kb_rem_activity *acts;
    size_t nacts;
    struct kb_rem_registration *regs;
    size_t nregs;
    struct kb_rem_approval *appr[3];
    size_t nappr[3];
    struct kb_rem_stage *stages;
    size_t nstages;
    struct kb_rem_unit *units;
    size_t nunits;
    struct kb_rem_pair *pairs;
    size_t npairs;
    struct cand *cands;
    size_t ncands, cap;
};

/* Per person of the slice. */
struct who {
    char today[11];
    int open;   /* KB_REM_OPEN_* now */
    int active; /* linked, not blocked, something may reach them now */
    struct kb_calendar cal;
};

struct kb_remind_pass {
    struct kb_remind_env env;
    const struct kb_reminder_rules *r;
    int64_t now;
    int64_t cursor, next_cursor;
    int done;
    char (*holidays)[11];
    size_t nholidays;
    struct kb_rem_training *open; /* open trainings, by deadline */
    size_t nopen;
    size_t nclosing; /* open[0..nclosing): those whose deadline may be near for someone */
    struct kb_rem_person *people;
    struct who *who;
    int npeople;
    struct kb_remind_stats stats, pending;
};

/* ---- small helpers ------------------------------------------------------------------------ */

static int year_of(const char *ymd)
{
    int y = 0;
    return kb_date_parse(ymd, &y, NULL, NULL) == 0 ? y : 0;
}

static void local_date(int64_t instant, const char *zone, char out[11])
{
    if (kb_local_date(instant, zone, out) != 0)
        snprintf(out, 11, "1970-01-01");
}

static int new_token(char out[TOKEN_LEN + 1])
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[TOKEN_LEN];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return -1;
    for (int i = 0; i < TOKEN_LEN; i++)
        out[i] = alphabet[raw[i] & 63];
    out[TOKEN_LEN] = '\0';
    return 0;
}

static int person_at(const struct kb_remind_pass *p, int64_t id)
{
    int lo = 0, hi = p->npeople - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (p->people[mid].id == id)
            return mid;
        if (p->people[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The slice's person with this id who may get something now, or -1. */
static int reachable(const struct kb_remind_pass *p, int64_t id)
{
    int i = id ? person_at(p, id) : -1;
    return i >= 0 && p->who[i].active ? i : -1;
}

static struct cand *add_cand(struct slice *s, int who, enum kb_rem_kind kind, const char *subject,
                             int64_t recipient, const char *occurrence)
{
    if (s->ncands == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        struct cand *c = realloc(s->cands, ncap * sizeof *c);
        if (!c)
            return NULL;
        s->cands = c;
        s->cap = ncap;
    }
    struct cand *c = &s->cands[s->ncands];
    memset(c, 0, sizeof *c);
    if (kb_rem_key(c->key, kind, subject, recipient, occurrence) != 0)
        return NULL;
    c->who = who;
    c->kind = kind;
    s->ncands++;
    return c;
}

static int by_employee_act(const void *a, const void *b)
{
    const struct kb_rem_activity *x = a, *y = b;
    return (x->employee_id > y->employee_id) - (x->employee_id < y->employee_id);
}

static int by_employee_reg(const void *a, const void *b)
{
    const struct kb_rem_registration *x = a, *y = b;
    return (x->employee_id > y->employee_id) - (x->employee_id < y->employee_id);
}

static int by_who_kind(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->who != y->who)
        return x->who - y->who;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return strcmp(x->key, y->key);
}

/* Index range [*from, *to) of employee id in an array sorted by it. */
#define RANGE_OF(arr, n, id, from, to)                                                             \
    do {                                                                                           \
        size_t lo_ = 0, hi_ = (n);                                                                 \
        while (lo_ < hi_) {                                                                        \
            size_t mid_ = lo_ + (hi_ - lo_) / 2;                                                   \
            if ((arr)[mid_].employee_id < (id))                                                    \
                lo_ = mid_ + 1;                                                                    \
            else                                                                                   \
                hi_ = mid_;                                                                        \
        }                                                                                          \
        *(from) = lo_;                                                                             \
        while (lo_ < (n) && (arr)[lo_].employee_id == (id))                                        \
            lo_++;                                                                                 \
        *(to) = lo_;                                                                               \
    } while (0)

static int admitted(const struct kb_policy *policy, const struct kb_rem_person *p,
                    const char *min_grade)
{
    if (!min_grade[0])
        return 1;
    if (!policy || (strcmp(p->asn_kind, "PNS") && strcmp(p->asn_kind, "CPNS")))
        return 0;
    int have = kb_policy_rank_index(policy, p->grade);
    int need = kb_policy_rank_index(policy, min_grade);
    return have >= 0 && need >= 0 && have >= need;
}

static enum kb_asn_kind asn_of(const char *s)
{
    return !strcmp(s, "PNS")    ? KB_ASN_PNS
           : !strcmp(s, "CPNS") ? KB_ASN_CPNS
           : !strcmp(s, "PPPK") ? KB_ASN_PPPK
                                : KB_ASN_UNKNOWN;
}

/* ---- the pass ----------------------------------------------------------------------------- */

struct kb_remind_pass *kb_remind_pass_new(const struct kb_remind_env *env, int64_t now)
{
    struct kb_remind_pass *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->env = *env;
    p->r = env->rules;
    p->now = now;
    p->people = calloc((size_t)p->r->slice_people, sizeof *p->people);
    p->who = calloc((size_t)p->r->slice_people, sizeof *p->who);
    p->holidays = calloc(KB_HOLIDAYS_SPAN_MAX, sizeof *p->holidays);
    if (!p->people || !p->who || !p->holidays)
        goto fail;
    /* Outside every zone's urgent hours nothing may go: the pass is empty. */
    int any = 0;
    for (int z = 0; z < ZONES; z++) {
        struct kb_calendar none = {.workdays = 6};
        any |= kb_rem_open(p->r, &none, now, zones[z]) & KB_REM_OPEN_URGENT;
    }
    if (!any) {
        p->done = 1;
        return p;
    }
    char first[11], from[11], to[11];
    local_date(now, "WIB", first);
    if (kb_rem_date_add(first, -HOLIDAYS_BACK, from) != 0 ||
        kb_rem_date_add(first, HOLIDAYS_AHEAD, to) != 0 ||
        kb_holidays_between(env->st, from, to, p->holidays, KB_HOLIDAYS_SPAN_MAX, &p->nholidays) !=
            KB_OK)
        goto fail;
    char yesterday[11];
    kb_rem_date_add(first, -1, yesterday);
    if (kb_rem_trainings_open(env->st, yesterday, OPEN_TRAININGS_MAX, &p->open, &p->nopen) != KB_OK)
        goto fail;
    /* By deadline: the ones closing within deadline_days of the latest "today" (WIT's, a day
     * ahead of WIB's at most) come first; only those can be due in this pass. */
    char last[11];
    kb_rem_date_add(first, p->r->deadline_days + 1, last);
    while (p->nclosing < p->nopen && strcmp(p->open[p->nclosing].deadline, last) <= 0)
        p->nclosing++;
    return p;
fail:
    KB_ERROR("reminders.pass_failed", "reason=\"could not read the holidays or trainings\"");
    kb_remind_pass_free(p);
    return NULL;
}

void kb_remind_pass_free(struct kb_remind_pass *p)
{
    if (!p)
        return;
    free(p->people);
    free(p->who);
    free(p->holidays);
    free(p->open);
    free(p);
}

void kb_remind_pass_texts(struct kb_remind_pass *p, const struct kb_locale *loc,
                          const struct kb_policy *policy)
{
    p->env.loc = loc;
    p->env.policy = policy;
}

const struct kb_remind_stats *kb_remind_pass_stats(const struct kb_remind_pass *p)
{
    return &p->stats;
}

void kb_remind_pass_committed(struct kb_remind_pass *p)
{
    p->cursor = p->next_cursor;
    p->stats.people += p->pending.people;
    p->stats.messages += p->pending.messages;
    p->stats.reminders += p->pending.reminders;
    p->stats.held += p->pending.held;
    p->stats.slices += p->pending.slices;
    for (int k = 0; k < KB_REM__COUNT; k++)
        p->stats.by_kind[k] += p->pending.by_kind[k];
    memset(&p->pending, 0, sizeof p->pending);
}

void kb_remind_pass_rolled_back(struct kb_remind_pass *p)
{
    p->next_cursor = p->cursor;
    memset(&p->pending, 0, sizeof p->pending);
}

static void slice_free(struct slice *s)
{
    free(s->acts);
    free(s->regs);
    for (int i = 0; i < 3; i++)
        free(s->appr[i]);
    free(s->stages);
    free(s->units);
    free(s->pairs);
    free(s->cands);
}

/* ---- gathering candidates ----------------------------------------------------------------- */

/* RPI activities: before, on and after the target date. id1 = activity. */
static int gather_rpi(struct kb_remind_pass *p, struct slice *s)
{
    for (size_t i = 0; i < s->nacts; i++) {
        const struct kb_rem_activity *a = &s->acts[i];
        int w = reachable(p, a->employee_id);
        struct kb_rem_due d;
        if (w < 0 || !a->open || a->carried || a->year < year_of(p->who[w].today) - 1 ||
            !kb_rem_rpi(p->r, a->target_date, p->who[w].today, &d))
            continue;
        char subject[32];
        snprintf(subject, sizeof subject, "act%lld", (long long)a->id);
        struct cand *c = add_cand(s, w, d.kind, subject, a->employee_id, d.occurrence);
        if (!c)
            return -1;
        c->n = d.n;
        c->id1 = a->id;
        snprintf(c->date, sizeof c->date, "%s", a->target_date);
    }
    return 0;
}

/* Registered trainings about to start (id1 = training), and open trainings whose registration
 * closes soon that fit an open activity of the person (ptr = the training, id1 = activity). */
static int gather_trainings(struct kb_remind_pass *p, struct slice *s)
{
    for (size_t i = 0; i < s->nregs; i++) {
        const struct kb_rem_registration *g = &s->regs[i];
        int w = reachable(p, g->employee_id);
        struct kb_rem_due d;
        if (w < 0 || !g->seat || g->training_cancelled ||
            (strcmp(g->status, "disetujui") && strcmp(g->status, "diusulkan") &&
             strcmp(g->status, "diterima")) ||
            !kb_rem_training_start(p->r, &p->who[w].cal, g->start_date, p->who[w].today, &d))
            continue;
        char subject[32];
        snprintf(subject, sizeof subject, "reg%lld", (long long)g->id);
        struct cand *c = add_cand(s, w, d.kind, subject, g->employee_id, d.occurrence);
        if (!c)
            return -1;
        c->n = d.n;
        c->id1 = g->training_id;
        snprintf(c->date, sizeof c->date, "%s", g->start_date);
    }
    for (int w = 0; w < p->npeople; w++) {
        const struct kb_rem_person *who = &p->people[w];
        if (!p->who[w].active)
            continue;
        size_t a0, a1, r0, r1;
        RANGE_OF(s->acts, s->nacts, who->id, &a0, &a1);
        RANGE_OF(s->regs, s->nregs, who->id, &r0, &r1);
        for (size_t t = 0; a0 < a1 && t < p->nclosing; t++) {
            const struct kb_rem_training *tr = &p->open[t];
            struct kb_rem_due d;
            if (!tr->competency[0] || !kb_rem_deadline(p->r, tr->deadline, p->who[w].today, &d) ||
                !admitted(p->env.policy, who, tr->min_grade))
                continue;
            int registered = 0;
            for (size_t k = r0; k < r1 && !registered; k++)
                registered = s->regs[k].training_id == tr->id;
            if (registered)
                continue;
            int64_t fit = 0; /* an open activity of the same competency, not yet registered */
            for (size_t k = a0; k < a1 && !fit; k++) {
                const struct kb_rem_activity *a = &s->acts[k];
                if (!a->open || a->carried || a->year != year_of(p->who[w].today) ||
                    strcmp(a->competency, tr->competency) != 0)
                    continue;
                int linked = 0;
                for (size_t q = r0; q < r1 && !linked; q++)
                    linked = s->regs[q].activity_id == a->id;
                if (!linked)
                    fit = a->id;
            }
            if (!fit)
                continue;
            char subject[32];
            snprintf(subject, sizeof subject, "tr%lld", (long long)tr->id);
            struct cand *c = add_cand(s, w, d.kind, subject, who->id, d.occurrence);
            if (!c)
                return -1;
            c->n = d.n;
            c->id1 = fit;
            c->ptr = tr;
            snprintf(c->date, sizeof c->date, "%s", tr->deadline);
        }
    }
    return 0;
}

/* Whether a waiting request goes up the chain: one decided by the requester's supervisor (or
 * any kind but a mentor's answer, so a Plt/Plh delegate's too). */
static int escalates(const struct kb_rem_approval *a)
{
    return strcmp(a->kind, "mentor") != 0 || a->approver_id == a->requester_supervisor_id;
}

/* Requests: the approver nudged, the approver's supervisor told, the requester told. id1 =
 * request, id2 = requester, id3 = approver; extra = kind of request. */
static int gather_approvals(struct kb_remind_pass *p, struct slice *s)
{
    static const enum kb_rem_by order[3] = {KB_REM_BY_APPROVER, KB_REM_BY_APPROVER_SUPERVISOR,
                                            KB_REM_BY_REQUESTER};
    for (int b = 0; b < 3; b++) {
        for (size_t i = 0; i < s->nappr[b]; i++) {
            const struct kb_rem_approval *a = &s->appr[b][i];
            int64_t to = order[b] == KB_REM_BY_APPROVER    ? a->approver_id
                         : order[b] == KB_REM_BY_REQUESTER ? a->requester_id
                                                           : a->approver_supervisor_id;
            int w = reachable(p, to);
            if (w < 0)
                continue;
            /* Waiting is counted in the approver's zone and calendar, whoever is told. */
            char asked_on[11], today[11];
            struct kb_calendar cal = {.workdays = a->approver_workdays,
                                      .holidays = p->holidays,
                                      .nholidays = p->nholidays};
            local_date(a->created_at, a->approver_zone, asked_on);
            local_date(p->now, a->approver_zone, today);
            int64_t waited;
            int state = kb_rem_approval(p->r, &cal, asked_on, today, &waited);
            enum kb_rem_kind kind = order[b] == KB_REM_BY_APPROVER    ? KB_REM_APPR_NUDGE
                                    : order[b] == KB_REM_BY_REQUESTER ? KB_REM_APPR_ESCALATED
                                                                      : KB_REM_APPR_ESCALATE;
            if (state == 0 || (kind != KB_REM_APPR_NUDGE && (state < 2 || !escalates(a))))
                continue;
            char subject[32];
            snprintf(subject, sizeof subject, "apr%lld", (long long)a->id);
            struct cand *c = add_cand(s, w, kind, subject, to, asked_on);
            if (!c)
                return -1;
            c->n = waited;
            c->id1 = a->id;
            c->id2 = a->requester_id;
            c->id3 = a->approver_id;
            snprintf(c->date, sizeof c->date, "%s", asked_on);
            snprintf(c->extra, sizeof c->extra, "%s", a->kind);
        }
    }
    return 0;
}

/* ---- promotion files ---------------------------------------------------------------------- */

#define RETURN_INDEX 1000 /* a return code sorts after the stage it came back from */

struct step {
    const struct kb_rem_stage *row;
    int index;
    const struct kb_stage *stage;
    const struct kb_return_code *ret;
};

/* The order act_promotion.c shows: by date, then the order of recording, then the policy's. */
static int step_before(const struct step *x, const struct step *y)
{
    int c = strcmp(x->row->reached_on, y->row->reached_on);
    if (c)
        return c < 0;
    if (x->row->seq != y->row->seq)
        return x->row->seq < y->row->seq;
    return x->index < y->index;
}

/* Where the file of rows[from, to) stands: its current stage (NULL when none) and, when the
 * latest row is a return, that return. */
static void file_state(const struct kb_policy *policy, const struct kb_rem_stage *rows, size_t from,
                       size_t to, const struct step **cur, const struct step **ret,
                       struct step *steps, size_t *nsteps)
{
    size_t nst, n = 0;
    const struct kb_stage *stages = kb_policy_stages(policy, &nst);
    for (size_t i = from; i < to && n < KB_PROMOTION_STAGES_MAX; i++) {
        struct step st = {.row = &rows[i], .index = -1};
        for (size_t k = 0; k < nst && st.index < 0; k++)
            if (!strcmp(stages[k].id, rows[i].stage)) {
                st.index = (int)k;
                st.stage = &stages[k];
            }
        if (st.index < 0 && (st.ret = kb_policy_return_code(policy, rows[i].stage)))
            st.index = RETURN_INDEX;
        if (st.index < 0)
            continue;
        size_t j = n++;
        while (j > 0 && step_before(&st, &steps[j - 1])) {
            steps[j] = steps[j - 1];
            j--;
        }
        steps[j] = st;
    }
    *nsteps = n;
    *cur = NULL;
    *ret = n && steps[n - 1].ret ? &steps[n - 1] : NULL;
    for (size_t i = 0; i < n; i++)
        if (!steps[i].ret)
            *cur = &steps[i];
}

/* The rows of one employee's latest file: [*from, *to) within [i, end). */
static size_t latest_file(const struct kb_rem_stage *rows, size_t i, size_t n, size_t *from,
                          size_t *to)
{
    size_t end = i;
    while (end < n && rows[end].employee_id == rows[i].employee_id)
        end++;
    /* Ordered by period then id: the last file's rows are the last ones. */
    size_t start = end - 1;
    while (start > i && rows[start - 1].promotion_id == rows[end - 1].promotion_id)
        start--;
    *from = start;
    *to = end;
    return end;
}

static int file_current(const struct kb_policy *policy, const char *target, const char *grade)
{
    int t = kb_policy_rank_index(policy, target), g = kb_policy_rank_index(policy, grade);
    return t < 0 || g < 0 || t > g;
}

/* The employee's file: news of a stage reached (ptr = the stage or return, extra = which), or a
 * stage that takes longer than usual (ptr = the stage, n = working days). */
static int gather_promotions(struct kb_remind_pass *p, struct slice *s)
{
    if (!p->env.policy)
        return 0;
    struct step steps[KB_PROMOTION_STAGES_MAX];
    for (size_t i = 0; i < s->nstages;) {
        size_t from, to;
        i = latest_file(s->stages, i, s->nstages, &from, &to);
        const struct kb_rem_stage *f = &s->stages[from];
        int w = reachable(p, f->employee_id);
        if (w < 0 || !file_current(p->env.policy, f->target_grade, p->people[w].grade))
            continue;
        const struct step *cur, *ret;
        size_t nsteps, nst;
        file_state(p->env.policy, s->stages, from, to, &cur, &ret, steps, &nsteps);
        kb_policy_stages(p->env.policy, &nst);
        const struct step *last = ret ? ret : cur;
        char subject[32], occ[24 + 11];
        snprintf(subject, sizeof subject, "pr%lld", (long long)f->promotion_id);
        if (last && kb_rem_stage_news(p->r, last->row->reached_on, p->who[w].today)) {
            snprintf(occ, sizeof occ, "%.20s/%s", last->row->stage, last->row->reached_on);
            struct cand *c = add_cand(s, w, KB_REM_KP_STAGE, subject, f->employee_id, occ);
            if (!c)
                return -1;
            c->ptr = last->ret ? (const void *)last->ret : (const void *)last->stage;
            c->id1 = last->ret ? 1 : last->index + 1 == (int)nst ? 2 : 0;
            snprintf(c->date, sizeof c->date, "%s", last->row->reached_on);
        }
        int64_t waited;
        if (!ret && cur && cur->index + 1 < (int)nst &&
            kb_rem_stage_stalled(&p->who[w].cal, cur->row->reached_on, p->who[w].today,
                                 cur->stage->expected_days, &waited)) {
            snprintf(occ, sizeof occ, "%.20s/%s", cur->row->stage, cur->row->reached_on);
            struct cand *c = add_cand(s, w, KB_REM_KP_STALLED, subject, f->employee_id, occ);
            if (!c)
                return -1;
            c->ptr = cur->stage;
            c->n = waited;
            snprintf(c->date, sizeof c->date, "%s", cur->row->reached_on);
        }
    }
    return 0;
}

/* The daily digest of each unit whose HR officer is in the slice (id1 = unit); what it lists
 * is read only when it may be sent. */
static int gather_digests(struct kb_remind_pass *p, struct slice *s)
{
    for (size_t i = 0; i < s->nunits; i++) {
        int w = reachable(p, s->units[i].hr_id);
        if (w < 0)
            continue;
        char subject[32];
        snprintf(subject, sizeof subject, "unit%lld", (long long)s->units[i].id);
        struct cand *c =
            add_cand(s, w, KB_REM_HR_DIGEST, subject, s->units[i].hr_id, p->who[w].today);
        if (!c)
            return -1;
        c->id1 = s->units[i].id;
        c->ptr = &s->units[i];
    }
    return 0;
}

/* JP: below the pace of a target at a checkpoint (n = expected, id1 = recognised, id2 =
 * target), or a plan over a ceiling (n = planned, id2 = ceiling). Counted from the activities
 * of the plan of the person's year, as kb_rpi_totals counts them. */
static int gather_jp(struct kb_remind_pass *p, struct slice *s)
{
    if (!p->env.policy)
        return 0;
    for (int w = 0; w < p->npeople; w++) {
        const struct kb_rem_person *who = &p->people[w];
        const struct kb_jp_rule *rule = kb_policy_jp(p->env.policy, asn_of(who->asn_kind));
        if (!p->who[w].active || !rule || rule->jp_per_year <= 0)
            continue;
        int year = year_of(p->who[w].today), planned = 0, recognised = 0;
        int64_t plan_id = 0;
        size_t a0, a1;
        RANGE_OF(s->acts, s->nacts, who->id, &a0, &a1);
        for (size_t k = a0; k < a1; k++) {
            if (s->acts[k].year != year)
                continue;
            plan_id = s->acts[k].plan_id;
            planned += s->acts[k].jp_planned;
            recognised += s->acts[k].jp_recognised;
        }
        char subject[32], occ[11];
        struct kb_rem_due d;
        struct cand *c = NULL;
        if (rule->ceiling) {
            if (planned <= rule->jp_per_year)
                continue;
            snprintf(subject, sizeof subject, "plan%lld", (long long)plan_id);
            snprintf(occ, sizeof occ, "%d", year);
            if (!(c = add_cand(s, w, KB_REM_JP_OVER, subject, who->id, occ)))
                return -1;
            c->n = planned;
        } else {
            if (!kb_rem_jp_pace(p->r, p->who[w].today, recognised, rule->jp_per_year, &d))
                continue;
            snprintf(subject, sizeof subject, "jp%d", year);
            if (!(c = add_cand(s, w, KB_REM_JP_PACE, subject, who->id, d.occurrence)))
                return -1;
            c->n = d.n;
            c->id1 = recognised;
            snprintf(c->date, sizeof c->date, "%.10s", d.occurrence);
        }
        c->id2 = rule->jp_per_year;
    }
    return 0;
}

/* Pairs without a session for a while: both told. id1 = pair, id2 = the other person, extra =
 * mentoring or coaching, date = the last session ("" none: then the start, in n's text). */
static int gather_pairs(struct kb_remind_pass *p, struct slice *s)
{
    for (size_t i = 0; i < s->npairs; i++) {
        const struct kb_rem_pair *pr = &s->pairs[i];
        for (int side = 0; side < 2; side++) {
            int64_t to = side ? pr->mentor_id : pr->mentee_id;
            int w = reachable(p, to);
            if (w < 0)
                continue;
            char last[11];
            if (pr->last_session[0])
                snprintf(last, sizeof last, "%s", pr->last_session);
            else if (pr->accepted_on[0])
                snprintf(last, sizeof last, "%s", pr->accepted_on);
            else if (pr->decided_at > 0)
                local_date(pr->decided_at, p->people[w].zone, last);
            else
                continue; /* when the pair began is not recorded: nothing to count from */
            struct kb_rem_due d;
            if (!kb_rem_mentor_idle(p->r, last, p->who[w].today, &d))
                continue;
            char subject[32];
            snprintf(subject, sizeof subject, "pair%lld", (long long)pr->id);
            struct cand *c = add_cand(s, w, d.kind, subject, to, d.occurrence);
            if (!c)
                return -1;
            c->n = d.n;
            c->id1 = pr->id;
            c->id2 = side ? pr->mentee_id : pr->mentor_id;
            c->id3 = pr->last_session[0] != 0;
            snprintf(c->date, sizeof c->date, "%s", last);
            snprintf(c->extra, sizeof c->extra, "%s", pr->kind);
        }
    }
    return 0;
}

/* ---- rendering ---------------------------------------------------------------------------- */

struct msg {
    const struct kb_remind_pass *p;
    const struct kb_rem_person *to;
    const char *lang;
    char salutation[32];
};

static char *render(const struct msg *m, const char *key, const char *const *vars, size_t n)
{
    return kb_locale_render(m->p->env.loc, m->lang, key, vars, n);
}

static const char *date_text(const struct msg *m, const char *ymd, char *buf, size_t cap)
{
    if (kb_locale_date(m->p->env.loc, m->lang, ymd, buf, cap) != 0)
        snprintf(buf, cap, "%s", ymd);
    return buf;
}

/* "3 hari", "1 working day": key_one / key_other with {n}. */
static const char *count_text(const struct msg *m, const char *base, int64_t n, char *buf,
                              size_t cap)
{
    char key[48], num[24];
    snprintf(key, sizeof key, "%s_%s", base, n == 1 ? "one" : "other");
    snprintf(num, sizeof num, "%lld", (long long)n);
    const char *v[] = {"n", num};
    char *t = kb_locale_render_plain(m->p->env.loc, m->lang, key, v, 1);
    snprintf(buf, cap, "%s", t ? t : num);
    free(t);
    return buf;
}

static const char *plain(const struct msg *m, const char *key, char *buf, size_t cap)
{
    char *t = kb_locale_render_plain(m->p->env.loc, m->lang, key, NULL, 0);
    snprintf(buf, cap, "%s", t ? t : "");
    free(t);
    return buf;
}

static const char *person_name(struct kb_store *st, int64_t id, char *buf, size_t cap,
                               int64_t *chat_id)
{
    struct kb_person x;
    int found = 0;
    if (chat_id)
        *chat_id = 0;
    if (id && kb_person_by_id(st, id, &x, &found) == KB_OK && found) {
        snprintf(buf, cap, "%s", x.name);
        if (chat_id)
            *chat_id = x.chat_id;
    } else {
        snprintf(buf, cap, "-");
    }
    return buf;
}

/* The open trainings suggested with a JP reminder: those that fit the person's open activities
 * first, then any they may join; at most rules->suggestions lines of HTML into b. */
static void suggestions(const struct msg *m, const struct slice *s, int w, struct kb_buf *b)
{
    const struct kb_remind_pass *p = m->p;
    const struct kb_rem_person *who = &p->people[w];
    size_t a0, a1, r0, r1;
    RANGE_OF(s->acts, s->nacts, who->id, &a0, &a1);
    RANGE_OF(s->regs, s->nregs, who->id, &r0, &r1);
    int shown = 0;
    for (int pass = 0; pass < 2 && shown < p->r->suggestions; pass++) {
        for (size_t t = 0; t < p->nopen && shown < p->r->suggestions; t++) {
            const struct kb_rem_training *tr = &p->open[t];
            if (strcmp(tr->deadline, p->who[w].today) < 0 ||
                !admitted(p->env.policy, who, tr->min_grade))
                continue;
            int registered = 0, fits = 0;
            for (size_t k = r0; k < r1; k++)
                registered |= s->regs[k].training_id == tr->id;
            for (size_t k = a0; k < a1; k++)
                fits |= s->acts[k].open && tr->competency[0] &&
                        !strcmp(s->acts[k].competency, tr->competency);
            if (registered || fits != (pass == 0))
                continue;
            char jp[16], deadline[64];
            snprintf(jp, sizeof jp, "%d", tr->jp);
            const char *v[] = {"title",    tr->title,
                               "jp",       jp,
                               "deadline", date_text(m, tr->deadline, deadline, sizeof deadline)};
            char *line = render(m, "rem_jp_suggest_item", v, 3);
            if (line) {
                kb_buf_adds(b, shown ? "\n" : "");
                kb_buf_adds(b, line);
            }
            free(line);
            shown++;
        }
    }
}

/* Appends a line of the digest when it fits in one message with the rest; frees it. Returns
 * 1 when it was added (0: left for "and N more"). */
static int add_digest_line(struct kb_buf *b, char *line)
{
    int added = line && b->len + strlen(line) + 1 <= DIGEST_MAX && kb_buf_adds(b, "\n") == 0 &&
                kb_buf_adds(b, line) == 0;
    free(line);
    return added;
}

/* The digest of a unit: its stalled files and the requests waiting for approvers without a
 * linked account. HTML lines into b; *count how many things it lists. */
static int digest(const struct msg *m, const struct kb_rem_unit *u, struct kb_buf *b, int *count)
{
    const struct kb_remind_pass *p = m->p;
    struct kb_store *st = p->env.st;
    struct kb_rem_stage *rows = NULL;
    struct kb_rem_unlinked *waits = NULL;
    size_t nrows = 0, nwaits = 0;
    *count = 0;
    if (kb_rem_unit_stages(st, u->id, &rows, &nrows) != KB_OK ||
        kb_rem_unit_unlinked(st, u->id, DIGEST_LINES + 1, &waits, &nwaits) != KB_OK) {
        free(rows);
        return -1;
    }
    struct step steps[KB_PROMOTION_STAGES_MAX];
    int lines = 0;
    for (size_t i = 0; p->env.policy && i < nrows;) {
        size_t from, to, nsteps, nst;
        i = latest_file(rows, i, nrows, &from, &to);
        const struct kb_rem_stage *f = &rows[from];
        const struct step *cur, *ret;
        if (!file_current(p->env.policy, f->target_grade, f->grade))
            continue;
        file_state(p->env.policy, rows, from, to, &cur, &ret, steps, &nsteps);
        kb_policy_stages(p->env.policy, &nst);
        struct kb_calendar cal = {f->workdays, p->holidays, p->nholidays};
        int64_t waited;
        char today[11];
        local_date(p->now, m->to->zone, today);
        if (ret || !cur || cur->index + 1 >= (int)nst ||
            !kb_rem_stage_stalled(&cal, cur->row->reached_on, today, cur->stage->expected_days,
                                  &waited))
            continue;
        if (++*count > DIGEST_LINES)
            continue;
        char since[64], days[64], expected[64];
        const char *v[] = {
            "name",
            f->name,
            "stage",
            cur->stage->name,
            "since",
            date_text(m, cur->row->reached_on, since, sizeof since),
            "days",
            count_text(m, "rem_workdays", waited, days, sizeof days),
            "expected",
            count_text(m, "rem_workdays", cur->stage->expected_days, expected, sizeof expected),
            "actor",
            cur->stage->actor};
        char *line = render(m, "rem_hr_file", v, 6);
        lines += add_digest_line(b, line);
    }
    for (size_t i = 0; i < nwaits; i++) {
        const struct kb_rem_unlinked *q = &waits[i];
        struct kb_calendar cal = {q->approver_workdays, p->holidays, p->nholidays};
        char asked_on[11], today[11];
        local_date(q->created_at, q->approver_zone, asked_on);
        local_date(p->now, q->approver_zone, today);
        int64_t waited;
        if (!kb_rem_approval(p->r, &cal, asked_on, today, &waited))
            continue;
        if (++*count > DIGEST_LINES)
            continue;
        char key[48], kind[96], since[64], days[64];
        snprintf(key, sizeof key, "approval_kind_%s", q->kind);
        const char *v[] = {"requester", q->requester_name,
                           "approver",  q->approver_name,
                           "kind",      plain(m, key, kind, sizeof kind),
                           "since",     date_text(m, asked_on, since, sizeof since),
                           "days",      count_text(m, "rem_workdays", waited, days, sizeof days)};
        char *line = render(m, "rem_hr_unlinked", v, 5);
        lines += add_digest_line(b, line);
    }
    if (*count > lines) {
        char more[24];
        snprintf(more, sizeof more, "%d", *count - lines);
        const char *v[] = {"n", more};
        char *line = render(m, "rem_hr_more", v, 1);
        if (line) {
            kb_buf_adds(b, "\n");
            kb_buf_adds(b, line);
        }
        free(line);
    }
    free(rows);
    free(waits);
    return 0;
}

/* One reminder as an HTML sentence in the recipient's language; NULL on failure. */
static char *item_text(const struct msg *m, const struct slice *s, const struct cand *c)
{
    struct kb_store *st = m->p->env.st;
    char date[64], days[64], a[256], b[256], kind[96];
    const char *sal = m->salutation;
    switch (c->kind) {
    case KB_REM_RPI_SOON:
    case KB_REM_RPI_DUE: {
        struct kb_rpi_activity *act = malloc(sizeof *act);
        int found = 0;
        if (!act || kb_rpi_activity_get(st, c->id1, act, &found) != KB_OK || !found) {
            free(act);
            return NULL;
        }
        const char *v[] = {"title",      act->title,
                           "salutation", sal,
                           "date",       date_text(m, c->date, date, sizeof date),
                           "days",       count_text(m, "rem_days", c->n, days, sizeof days)};
        char *t = render(m,
                         c->kind == KB_REM_RPI_SOON ? "rem_rpi_soon"
                         : c->n == 0                ? "rem_rpi_today"
                                                    : "rem_rpi_late",
                         v, 4);
        free(act);
        return t;
    }
    case KB_REM_APPR_NUDGE:
    case KB_REM_APPR_ESCALATE:
    case KB_REM_APPR_ESCALATED: {
        char key[64], sup[128];
        snprintf(key, sizeof key, "approval_kind_%s", c->extra);
        int64_t above = 0, above_chat = 0;
        if (c->kind == KB_REM_APPR_ESCALATED) {
            struct kb_person ap;
            int found = 0;
            if (kb_person_by_id(st, c->id3, &ap, &found) == KB_OK && found)
                above = ap.supervisor_id;
            person_name(st, above, sup, sizeof sup, &above_chat);
        }
        const char *v[] = {"kind",         plain(m, key, kind, sizeof kind),
                           "requester",    person_name(st, c->id2, a, sizeof a, NULL),
                           "approver",     person_name(st, c->id3, b, sizeof b, NULL),
                           "salutation",   sal,
                           "date",         date_text(m, c->date, date, sizeof date),
                           "days",         count_text(m, "rem_workdays", c->n, days, sizeof days),
                           "escalated_to", c->kind == KB_REM_APPR_ESCALATED ? sup : ""};
        return render(m,
                      c->kind == KB_REM_APPR_NUDGE      ? "rem_appr_nudge"
                      : c->kind == KB_REM_APPR_ESCALATE ? "rem_appr_escalate"
                      : above_chat                      ? "rem_appr_told"
                                                        : "rem_appr_told_nobody",
                      v, 7);
    }
    case KB_REM_KP_STAGE:
        if (c->id1 == 1) {
            const struct kb_return_code *r = c->ptr;
            const char *v[] = {
                "salutation", sal,        "date",      date_text(m, c->date, date, sizeof date),
                "code",       r->code,    "code_name", r->name,
                "meaning",    r->meaning, "action",    r->action};
            return render(m, "rem_kp_returned", v, 6);
        } else {
            const struct kb_stage *g = c->ptr;
            const char *v[] = {
                "salutation", sal,      "stage", g->name,
                "actor",      g->actor, "date",  date_text(m, c->date, date, sizeof date)};
            return render(m, c->id1 == 2 ? "rem_kp_final" : "rem_kp_stage", v, 4);
        }
    case KB_REM_KP_STALLED: {
        const struct kb_stage *g = c->ptr;
        char expected[64];
        const char *v[] = {
            "salutation",
            sal,
            "stage",
            g->name,
            "actor",
            g->actor,
            "date",
            date_text(m, c->date, date, sizeof date),
            "days",
            count_text(m, "rem_workdays", c->n, days, sizeof days),
            "expected",
            count_text(m, "rem_workdays", g->expected_days, expected, sizeof expected)};
        return render(m, "rem_kp_stalled", v, 6);
    }
    case KB_REM_HR_DIGEST: {
        const struct kb_rem_unit *u = c->ptr;
        struct kb_buf lines;
        kb_buf_init(&lines, TEXT_MAX);
        int count = 0;
        char *t = NULL;
        int rc = digest(m, u, &lines, &count);
        if (rc == 0 && count == 0)
            t = strdup(""); /* nothing to tell today */
        else if (rc == 0) {
            char num[24];
            snprintf(num, sizeof num, "%d", count);
            const char *v[] = {"unit", u->name,  "count",
                               num,    "!lines", lines.data ? lines.data : ""};
            t = render(m, "rem_hr_digest", v, 3);
        }
        kb_buf_free(&lines);
        return t;
    }
    case KB_REM_TR_START: {
        struct kb_training *t = malloc(sizeof *t);
        int found = 0;
        if (!t || kb_training_get(st, c->id1, t, &found) != KB_OK || !found) {
            free(t);
            return NULL;
        }
        const char *v[] = {"title",      t->title,
                           "salutation", sal,
                           "date",       date_text(m, c->date, date, sizeof date),
                           "days",       count_text(m, "rem_days", c->n, days, sizeof days)};
        char *text = render(m, c->n == 1 ? "rem_tr_tomorrow" : "rem_tr_start", v, 4);
        free(t);
        return text;
    }
    case KB_REM_TR_DEADLINE: {
        const struct kb_rem_training *tr = c->ptr;
        char title[KB_RPI_TITLE_MAX];
        if (kb_training_activity_title(st, m->to->id, c->id1, title, sizeof title) != KB_OK)
            return NULL;
        const char *v[] = {"title",      tr->title,
                           "activity",   title,
                           "salutation", sal,
                           "date",       date_text(m, c->date, date, sizeof date),
                           "days",       count_text(m, "rem_days", c->n, days, sizeof days)};
        return render(m, c->n == 0 ? "rem_tr_deadline_today" : "rem_tr_deadline", v, 5);
    }
    case KB_REM_JP_PACE: {
        struct kb_buf sugg;
        kb_buf_init(&sugg, TEXT_MAX / 2);
        suggestions(m, s, c->who, &sugg);
        char jp[24], goal[24], expected[24], year[16];
        snprintf(jp, sizeof jp, "%lld", (long long)c->id1);
        snprintf(goal, sizeof goal, "%lld", (long long)c->id2);
        snprintf(expected, sizeof expected, "%lld", (long long)c->n);
        snprintf(year, sizeof year, "%d", year_of(c->date));
        const char *v[] = {"salutation",   sal,
                           "jp",           jp,
                           "goal",         goal,
                           "expected",     expected,
                           "year",         year,
                           "date",         date_text(m, c->date, date, sizeof date),
                           "!suggestions", sugg.data ? sugg.data : ""};
        char *t = render(m, sugg.len ? "rem_jp_pace" : "rem_jp_pace_plain", v, 7);
        kb_buf_free(&sugg);
        return t;
    }
    case KB_REM_JP_OVER: {
        char planned[24], ceiling[24], year[16];
        snprintf(planned, sizeof planned, "%lld", (long long)c->n);
        snprintf(ceiling, sizeof ceiling, "%lld", (long long)c->id2);
        snprintf(year, sizeof year, "%d", year_of(m->p->who[c->who].today));
        const char *v[] = {"salutation", sal, "planned", planned, "ceiling", ceiling, "year", year};
        return render(m, "rem_jp_over", v, 4);
    }
    case KB_REM_MENTOR_IDLE: {
        char key[64];
        snprintf(key, sizeof key, "rem_pair_%s", c->extra);
        const char *v[] = {"kind",       plain(m, key, kind, sizeof kind),
                           "other",      person_name(st, c->id2, a, sizeof a, NULL),
                           "salutation", sal,
                           "date",       date_text(m, c->date, date, sizeof date),
                           "days",       count_text(m, "rem_days", c->n, days, sizeof days)};
        return render(m, c->id3 ? "rem_mentor_idle" : "rem_mentor_idle_none", v, 5);
    }
    case KB_REM__COUNT:
        break;
    }
    return NULL;
}

/* The buttons a reminder offers: label key, flow and arg of each. */
struct button {
    const char *label, *flow;
    char arg[32];
};

static size_t buttons_of(const struct kb_reminder_rules *rules, const struct cand *c, int alone,
                         struct button *out)
{
    size_t n = 0;
#define BTN(l, f, ...)                                                                             \
    do {                                                                                           \
        out[n].label = (l);                                                                        \
        out[n].flow = rules->flows[f];                                                             \
        snprintf(out[n].arg, sizeof out[n].arg, __VA_ARGS__);                                      \
        n++;                                                                                       \
    } while (0)
    switch (c->kind) {
    case KB_REM_RPI_SOON:
    case KB_REM_RPI_DUE:
        if (alone) {
            BTN("btn_rem_done", KB_REM_FLOW_RPI, "done:%lld", (long long)c->id1);
            BTN("btn_rem_postpone", KB_REM_FLOW_RPI, "postpone:%lld", (long long)c->id1);
            BTN("btn_rem_later", KB_REM_FLOW_SETTINGS, "later:%lld", (long long)c->id1);
        } else {
            BTN("btn_rem_rpi", KB_REM_FLOW_RPI, "%s", "");
        }
        break;
    case KB_REM_APPR_NUDGE:
        BTN("btn_rem_approvals", KB_REM_FLOW_APPROVALS, "%s", "");
        break;
    case KB_REM_TR_DEADLINE:
    case KB_REM_JP_PACE:
        BTN("btn_rem_trainings", KB_REM_FLOW_TRAININGS, "%s", "");
        break;
    case KB_REM_KP_STAGE:
    case KB_REM_KP_STALLED:
        BTN("btn_rem_promotion", KB_REM_FLOW_PROMOTION, "%s", "");
        break;
    case KB_REM_MENTOR_IDLE:
        BTN("btn_rem_sessions", KB_REM_FLOW_MENTORING, "%s", "");
        break;
    default:
        break;
    }
#undef BTN
    return n;
}

/* The keyboard of a message: each reminder's buttons (one reminder), or the distinct "open
 * this" buttons of several. Every button is a token of the recipient's chat that starts a
 * flow. NULL keyboard (and 0) when there are none; -1 on failure. */
static int keyboard(const struct msg *m, const struct cand *cs, size_t n, char **out)
{
    struct button all[BUTTONS_MAX * 2];
    size_t nall = 0;
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        struct button b[3];
        size_t nb = buttons_of(m->p->r, &cs[i], n == 1, b);
        for (size_t k = 0; k < nb && nall < BUTTONS_MAX; k++) {
            int dup = 0;
            for (size_t j = 0; j < nall && !dup; j++)
                dup = !strcmp(all[j].label, b[k].label) && !strcmp(all[j].arg, b[k].arg);
            if (!dup)
                all[nall++] = b[k];
        }
    }
    if (!nall)
        return 0;
    cJSON *rows = cJSON_CreateArray();
    int rc = rows ? 0 : -1;
    cJSON *row = NULL;
    for (size_t i = 0; i < nall && rc == 0; i++) {
        char token[TOKEN_LEN + 1], choice[96];
        snprintf(choice, sizeof choice, "s:%s:%s", all[i].flow, all[i].arg);
        char *label = kb_locale_render_plain(m->p->env.loc, m->lang, all[i].label, NULL, 0);
        if (!label || new_token(token) != 0 ||
            kb_button_add(m->p->env.st, token, m->to->chat_id, -1, choice, m->p->now,
                          m->p->now + BUTTON_TTL_S) != KB_OK) {
            free(label);
            rc = -1;
            break;
        }
        /* The buttons of one reminder sit in one row; those of several one per row. */
        if (!row || n > 1) {
            row = cJSON_CreateArray();
            cJSON_AddItemToArray(rows, row);
        }
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "text", label);
        cJSON_AddStringToObject(b, "data", token);
        cJSON_AddItemToArray(row, b);
        free(label);
    }
    if (rc == 0 && !(*out = cJSON_PrintUnformatted(rows)))
        rc = -1;
    cJSON_Delete(rows);
    return rc;
}

/* ---- choosing and sending ----------------------------------------------------------------- */

/* Whether c may reach its person now: their hours, days and choices. */
static int allowed(const struct kb_remind_pass *p, const struct cand *c)
{
    const struct kb_rem_person *who = &p->people[c->who];
    const struct who *w = &p->who[c->who];
    const struct kb_rem_prefs *pr = &who->prefs;
    switch (kb_rem_class_of(c->kind)) {
    case KB_REM_DUTY:
        return (w->open & KB_REM_OPEN_NORMAL) && strcmp(pr->approvals_until, w->today) <= 0;
    case KB_REM_URGENT:
        return (w->open & KB_REM_OPEN_URGENT) && strcmp(pr->snooze_until, w->today) <= 0;
    case KB_REM_NORMAL:
        return (w->open & KB_REM_OPEN_NORMAL) && strcmp(pr->snooze_until, w->today) <= 0 &&
               strcmp(pr->mode, "urgent") != 0;
    }
    return 0;
}

/* The candidates cs[0..n) of one person: keeps what may go, writes one message. */
static int send_person(struct kb_remind_pass *p, struct slice *s, struct cand *cs, size_t n)
{
    const struct kb_rem_person *who = &p->people[cs[0].who];
    const struct who *w = &p->who[cs[0].who];
    struct kb_store *st = p->env.st;
    size_t keep = 0;
    for (size_t i = 0; i < n; i++) {
        int sent = 0;
        if (!allowed(p, &cs[i])) {
            p->pending.held++;
            continue;
        }
        if (keep && !strcmp(cs[keep - 1].key, cs[i].key))
            continue; /* the same reminder found twice (sorted together): once */
        if (kb_rem_sent(st, cs[i].key, &sent) != KB_OK)
            return -1;
        if (!sent)
            cs[keep++] = cs[i];
    }
    if (!keep)
        return 0;
    int today_count = 0;
    if (kb_rem_sent_on(st, who->id, w->today, &today_count) != KB_OK)
        return -1;
    int room = p->r->daily_cap - today_count;
    struct msg m = {.p = p, .to = who, .lang = who->lang[0] ? who->lang : "id"};
    struct kb_person as_person = {0};
    snprintf(as_person.nip, sizeof as_person.nip, "%s", who->nip);
    snprintf(as_person.asn_kind, sizeof as_person.asn_kind, "%s", who->asn_kind);
    plain(&m, kb_person_salutation_key(&as_person), m.salutation, sizeof m.salutation);

    /* By kind (the order of enum kb_rem_kind), up to the day's room. A digest with nothing to
     * tell today is recorded without a message, so it is not worked out again until tomorrow. */
    char *items[64];
    size_t nitems = 0;
    int rc = 0;
    for (size_t i = 0; i < keep; i++) {
        if ((int)nitems >= room || nitems == sizeof items / sizeof items[0]) {
            p->pending.held++;
            continue;
        }
        char *t = item_text(&m, s, &cs[i]);
        if (t && !*t) {
            free(t);
            if (kb_rem_sent_add(st, cs[i].key, kb_rem_kind_name(cs[i].kind), who->id, w->today,
                                p->now, 0) != KB_OK)
                return -1;
            continue;
        }
        if (!t) {
            KB_WARN("reminders.not_rendered", "key=%s", cs[i].key);
            continue;
        }
        cs[nitems] = cs[i];
        items[nitems++] = t;
    }
    if (!nitems)
        return 0;
    /* One message holds what fits (with room for the heading and the footer); a reminder that
     * does not fit waits for the next pass, unrecorded. */
    size_t fit = 0, len = 0;
    while (fit < nitems && len + strlen(items[fit]) + 8 <= TEXT_MAX - TEXT_FRAME)
        len += strlen(items[fit++]) + 8;
    if (fit == 0) {
        KB_WARN("reminders.too_long", "key=%s bytes=%zu", cs[0].key, strlen(items[0]));
        fit = 1; /* the texts' bounds keep this from happening; if it did, it goes alone */
    }
    for (size_t i = fit; i < nitems; i++) {
        free(items[i]);
        p->pending.held++;
    }
    nitems = fit;
    struct kb_buf body;
    kb_buf_init(&body, 2 * TEXT_MAX);
    for (size_t i = 0; i < nitems; i++) {
        if (nitems > 1)
            kb_buf_adds(&body, i ? "\n\n• " : "• ");
        kb_buf_adds(&body, items[i]);
    }
    char count[24];
    snprintf(count, sizeof count, "%zu", nitems);
    const char *v[] = {"salutation",
                       m.salutation,
                       "name",
                       who->name,
                       "count",
                       count,
                       nitems > 1 ? "!items" : "!item",
                       body.data ? body.data : ""};
    char *text = render(&m, nitems > 1 ? "rem_many" : "rem_one", v, 4);
    char *kbd = NULL;
    int64_t outbox_id = 0;
    if (!text || keyboard(&m, cs, nitems, &kbd) != 0) {
        rc = -1;
    } else {
        struct kb_out o = {.kind = KB_OUT_TEXT,
                           .priority = KB_PRIO_REMINDER,
                           .chat_id = who->chat_id,
                           .text = text,
                           .keyboard = kbd};
        rc = kb_outbox_add(st, &o, p->now, &outbox_id) == KB_OK ? 0 : -1;
        for (size_t i = 0; rc == 0 && i < nitems; i++) {
            if (kb_rem_sent_add(st, cs[i].key, kb_rem_kind_name(cs[i].kind), who->id, w->today,
                                p->now, outbox_id) != KB_OK ||
                (cs[i].kind == KB_REM_APPR_ESCALATE &&
                 kb_rem_approval_escalated(st, cs[i].id1, p->now) != KB_OK))
                rc = -1;
            else
                p->pending.by_kind[cs[i].kind]++;
        }
        if (rc == 0) {
            p->pending.messages++;
            p->pending.reminders += (int64_t)nitems;
            KB_DEBUG("reminders.queued", "employee=%lld outbox=%lld reminders=%zu first=%s",
                     (long long)who->id, (long long)outbox_id, nitems, cs[0].key);
            if (p->env.on_message)
                p->env.on_message(p->env.ctx, &o, who->id);
        }
    }
    for (size_t i = 0; i < nitems; i++)
        free(items[i]);
    kb_buf_free(&body);
    free(text);
    free(kbd);
    return rc;
}

/* ---- a slice ------------------------------------------------------------------------------ */

static int load(struct kb_remind_pass *p, struct slice *s, int64_t lo, int64_t hi)
{
    struct kb_store *st = p->env.st;
    char today[11];
    local_date(p->now, "WIB", today);
    int min_year = year_of(today) - 1;
    int rc = kb_rem_activities(st, lo, hi, min_year, &s->acts, &s->nacts);
    if (rc == KB_OK)
        rc = kb_rem_registrations(st, lo, hi, &s->regs, &s->nregs);
    for (int b = 0; b < 3 && rc == KB_OK; b++)
        rc = kb_rem_approvals(st,
                              b == 0   ? KB_REM_BY_APPROVER
                              : b == 1 ? KB_REM_BY_APPROVER_SUPERVISOR
                                       : KB_REM_BY_REQUESTER,
                              lo, hi, &s->appr[b], &s->nappr[b]);
    if (rc == KB_OK)
        rc = kb_rem_stages(st, lo, hi, &s->stages, &s->nstages);
    if (rc == KB_OK)
        rc = kb_rem_hr_units(st, lo, hi, &s->units, &s->nunits);
    if (rc == KB_OK)
        rc = kb_rem_pairs(st, lo, hi, &s->pairs, &s->npairs);
    if (rc != KB_OK)
        return rc;
    if (s->nacts)
        qsort(s->acts, s->nacts, sizeof *s->acts, by_employee_act);
    if (s->nregs)
        qsort(s->regs, s->nregs, sizeof *s->regs, by_employee_reg);
    return KB_OK;
}

int kb_remind_pass_slice(struct kb_remind_pass *p, int *done)
{
    *done = 0;
    p->next_cursor = p->cursor;
    memset(&p->pending, 0, sizeof p->pending);
    if (p->done) {
        *done = 1;
        return KB_OK;
    }
    int rc = kb_rem_people(p->env.st, p->cursor, p->people, p->r->slice_people, &p->npeople);
    if (rc != KB_OK)
        return rc;
    if (p->npeople == 0) {
        p->done = *done = 1;
        return KB_OK;
    }
    p->next_cursor = p->people[p->npeople - 1].id;
    p->pending.slices = 1;
    p->pending.people = p->npeople;
    int any = 0;
    for (int i = 0; i < p->npeople; i++) {
        struct who *w = &p->who[i];
        const struct kb_rem_person *x = &p->people[i];
        w->cal = (struct kb_calendar){x->workdays, p->holidays, p->nholidays};
        local_date(p->now, x->zone, w->today);
        w->open = kb_rem_open(p->r, &w->cal, p->now, x->zone);
        w->active = x->chat_id && !x->blocked && w->open;
        any |= w->active;
    }
    if (!any)
        return KB_OK;
    struct slice s = {0};
    int64_t lo = p->people[0].id, hi = p->people[p->npeople - 1].id;
    rc = load(p, &s, lo, hi);
    if (rc == KB_OK &&
        (gather_rpi(p, &s) != 0 || gather_trainings(p, &s) != 0 || gather_approvals(p, &s) != 0 ||
         gather_promotions(p, &s) != 0 || gather_digests(p, &s) != 0 || gather_jp(p, &s) != 0 ||
         gather_pairs(p, &s) != 0))
        rc = KB_ERR;
    if (rc == KB_OK) {
        if (s.ncands) /* qsort wants a real array, even of none */
            qsort(s.cands, s.ncands, sizeof *s.cands, by_who_kind);
        for (size_t i = 0; i < s.ncands && rc == KB_OK;) {
            size_t j = i;
            while (j < s.ncands && s.cands[j].who == s.cands[i].who)
                j++;
            if (send_person(p, &s, &s.cands[i], j - i) != 0)
                rc = KB_ERR;
            /* Enough messages for one transaction: the next slice goes on after this
             * person (those after them are read again, and found as they are). */
            if (p->pending.messages >= p->r->slice_messages && j < s.ncands) {
                int last = s.cands[i].who;
                p->next_cursor = p->people[last].id;
                p->pending.people = last + 1;
                break;
            }
            i = j;
        }
    }
    slice_free(&s);
    return rc;
}

int kb_remind_run(const struct kb_remind_env *env, int64_t now, int dry_run,
                  struct kb_remind_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct kb_remind_pass *p = kb_remind_pass_new(env, now);
    if (!p)
        return KB_ERR;
    int rc = KB_OK, done = 0;
    while (!done) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = kb_store_begin(env->st);
        if (rc != KB_OK)
            break;
        rc = kb_remind_pass_slice(p, &done);
        if (rc == KB_OK && !dry_run)
            rc = kb_store_commit(env->st);
        else
            kb_store_rollback(env->st);
        if (rc != KB_OK) {
            kb_remind_pass_rolled_back(p);
            break;
        }
        kb_remind_pass_committed(p);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ms > p->stats.longest_slice_ms)
            p->stats.longest_slice_ms = ms;
    }
    *stats = p->stats;
    kb_remind_pass_free(p);
    return rc;
}
