/* act_rpi: the named actions of the RPI flow (dialogs/rpi.json) — the year's plan at a glance,
 * an activity's details, marking it done with its certificate, postponing it, adding one,
 * submitting the plan — and the three approval kinds of the area: an activity added to a plan
 * already submitted (rpi_activity), a plan submitted (rpi_plan) and the evidence of a finished
 * activity (evidence).
 *
 * Every action works on the actor's own records only: an activity id from a button or an
 * answer is loaded and checked with kb_access_owner() before anything is shown or changed,
 * and a stranger's id reads exactly like one that does not exist. Words come from
 * locales/<lang>/rpi.json; message variables are set once per flow under a few shared names
 * (year, title, date, approver, detail, ...), because a session holds at most 32. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/access.h"
#include "karirbot/actions.h"
#include "karirbot/approvals.h"
#include "karirbot/buf.h"
#include "karirbot/idfmt.h"
#include "karirbot/log.h"
#include "karirbot/policy.h"
#include "karirbot/rpi.h"

#define LIST_MAX       KB_RPI_PLAN_MAX_ROWS
#define INLINE_MAX     5    /* activities listed in the overview's text; more go to buttons */
#define LABEL_CHARS    48   /* of a title on a button */
#define LABEL_BYTES    100  /* at most, so that with its number the label fits its 128 bytes */
#define CARRY_SHOWN    5    /* unfinished activities of last year named in the offer */
#define BLOCK_MAX      3400 /* bytes of a block of text made of locale lines */
#define JP_MAX         200  /* per activity, as the dialog asks */
#define TITLE_MIN      5    /* characters */
#define TITLE_MAX      150  /* characters */
#define DESCRIBE_TITLE 80   /* characters of a title in a card's one-line description */

/* ---- small helpers ------------------------------------------------------------------------ */

static int result(struct kb_action_out *out, const char *word)
{
    snprintf(out->result, sizeof out->result, "%s", word);
    return 0;
}

static int year_of(const char *ymd)
{
    int y = 0;
    return kb_date_parse(ymd, &y, NULL, NULL) == 0 ? y : 0;
}

static int fmt_int(struct kb_action_ctx *ctx, char *buf, size_t cap, int64_t v)
{
    return (!strcmp(ctx->lang, "en") ? kb_fmt_int_en : kb_fmt_int_id)(buf, cap, v);
}

/* A date as people read it in lang, or the raw text if it is not a date. */
static void fmt_date(struct kb_action_ctx *ctx, const char *lang, const char *ymd, char *buf,
                     size_t cap)
{
    if (kb_locale_date(ctx->loc, lang, ymd, buf, cap) != 0)
        snprintf(buf, cap, "%s", ymd);
}

/* The first max_chars characters of s, with an ellipsis when cut; never splits a character. */
static void shorten(const char *s, size_t max_chars, char *buf, size_t cap)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
    size_t i = 0, chars = 0;
    while (s[i] && chars < max_chars) {
        size_t n = 1;
        while (s[i + n] && ((unsigned char)s[i + n] & 0xc0) == 0x80)
            n++;
        if (i + n + sizeof ellipsis > cap)
            break;
        i += n;
        chars++;
    }
    snprintf(buf, cap, "%.*s%s", (int)i, s, s[i] ? ellipsis : "");
}

/* Renders key (HTML, variables escaped) and appends it to b, after sep when b is not empty. */
static int add_line(struct kb_action_ctx *ctx, struct kb_buf *b, const char *sep, const char *key,
                    const char *const *vars, size_t nvars)
{
    char *text = kb_action_render(ctx, key, vars, nvars);
    int rc = text && (!b->len || kb_buf_adds(b, sep) == 0) && kb_buf_adds(b, text) == 0 ? 0 : -1;
    free(text);
    return rc;
}

/* Renders key in lang as plain text (for descriptions and button labels) into buf. */
static int render_plain(struct kb_action_ctx *ctx, const char *lang, const char *key,
                        const char *const *vars, size_t nvars, char *buf, size_t cap)
{
    char *text = kb_locale_render_plain(ctx->loc, lang, key, vars, nvars);
    if (!text || cap == 0) {
        free(text);
        return -1;
    }
    size_t n = strlen(text);
    if (n >= cap) { /* cut on a character boundary, never inside one */
        n = cap - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(buf, text, n);
    buf[n] = '\0';
    free(text);
    return 0;
}

/* The salutation from the NIP, then the name, in lang ("Mr Hendra Pratama" in English). */
static int person_label(struct kb_action_ctx *ctx, const char *lang, const struct kb_person *p,
                        char *buf, size_t cap)
{
    char sal[64];
    if (render_plain(ctx, lang, kb_person_salutation_key(p), NULL, 0, sal, sizeof sal) != 0)
        return -1;
    snprintf(buf, cap, "%s%s%s", sal, *sal ? " " : "", p->name);
    return 0;
}

/* The language of the chat linked to p ("id" when none chose). */
static void lang_of(struct kb_action_ctx *ctx, const struct kb_person *p, char lang[8])
{
    lang[0] = '\0';
    if (p->chat_id && kb_chat_lang_get(ctx->st, p->chat_id, lang, 8) != KB_OK)
        lang[0] = '\0';
    if (!lang[0])
        snprintf(lang, 8, "id");
}

static const char *form_name(struct kb_action_ctx *ctx, const char *id)
{
    const struct kb_dev_form *f = ctx->policy ? kb_policy_form(ctx->policy, id) : NULL;
    return f ? f->name : id;
}

static const char *competency_key(const char *c)
{
    if (!strcmp(c, "teknis"))
        return "rpi_comp_teknis";
    if (!strcmp(c, "manajerial"))
        return "rpi_comp_manajerial";
    if (!strcmp(c, "sosial_kultural"))
        return "rpi_comp_sosial_kultural";
    return NULL;
}

/* The locale key of an activity's status in words. */
static const char *status_key(const struct kb_rpi_activity *a)
{
    if (!strcmp(a->approval, "menunggu"))
        return "rpi_act_status_menunggu";
    if (!strcmp(a->approval, "ditolak"))
        return "rpi_act_status_ditolak";
    if (!strcmp(a->status, "selesai"))
        return a->verified ? "rpi_act_status_selesai" : "rpi_act_status_selesai_unverified";
    if (!strcmp(a->status, "berjalan"))
        return "rpi_act_status_berjalan";
    if (!strcmp(a->status, "ditunda"))
        return "rpi_act_status_ditunda";
    if (!strcmp(a->status, "batal"))
        return "rpi_act_status_batal";
    return "rpi_act_status_rencana";
}

static const struct kb_jp_rule *jp_rule_of(struct kb_action_ctx *ctx, const struct kb_person *p)
{
    enum kb_asn_kind kind = !strcmp(p->asn_kind, "PNS")    ? KB_ASN_PNS
                            : !strcmp(p->asn_kind, "CPNS") ? KB_ASN_CPNS
                            : !strcmp(p->asn_kind, "PPPK") ? KB_ASN_PPPK
                                                           : KB_ASN_UNKNOWN;
    return ctx->policy ? kb_policy_jp(ctx->policy, kind) : NULL;
}

static int current_plan(struct kb_action_ctx *ctx, struct kb_rpi_plan *plan, int *found)
{
    return kb_rpi_plan_get(ctx->st, ctx->actor->id, year_of(ctx->today), plan, found) == KB_OK ? 0
                                                                                               : -1;
}

/* The actor's recorded supervisor; *found 0 when none is recorded. */
static int supervisor_of(struct kb_action_ctx *ctx, struct kb_person *sup, int *found)
{
    *found = 0;
    if (!ctx->actor->supervisor_id)
        return 0;
    return kb_person_by_id(ctx->st, ctx->actor->supervisor_id, sup, found) == KB_OK ? 0 : -1;
}

/* The activity named by answers.activity when it is the actor's own: 0 and *a; 1 after setting
 * the result "gone" (no such activity, or someone else's: the two read alike); -1 on error. */
static int own_activity(struct kb_action_ctx *ctx, struct kb_action_out *out,
                        struct kb_rpi_activity *a)
{
    int64_t id = kb_action_answer_i64(ctx, "activity");
    int found = 0;
    if (!ctx->actor || id <= 0)
        return result(out, "gone"), 1;
    if (kb_rpi_activity_get(ctx->st, id, a, &found) != KB_OK)
        return -1;
    if (!found)
        return result(out, "gone"), 1;
    if (kb_access_owner(ctx->actor, a->employee_id) != KB_ACCESS_OK) {
        KB_WARN("rpi.not_owner", "activity=%lld actor=%lld", (long long)id,
                (long long)ctx->actor->id);
        return result(out, "gone"), 1;
    }
    return 0;
}

/* ---- the year's plan ---------------------------------------------------------------------- */

/* The JP of the year against the target or ceiling of the actor's kind of ASN. */
static int jp_block(struct kb_action_ctx *ctx, const struct kb_rpi_totals *t, struct kb_buf *b)
{
    const struct kb_jp_rule *rule = jp_rule_of(ctx, ctx->actor);
    char jp[24], goal[24], planned[24], missing[24], count[24], unverified[24], waiting[24];
    char bar[128] = "";
    struct kb_rpi_jp_view v;
    kb_rpi_jp_judge(rule && rule->ceiling, rule ? rule->jp_per_year : 0, t->jp_planned,
                    t->jp_recognised, &v);
    fmt_int(ctx, jp, sizeof jp, t->jp_recognised);
    fmt_int(ctx, goal, sizeof goal, v.goal);
    fmt_int(ctx, planned, sizeof planned, t->jp_planned);
    fmt_int(ctx, missing, sizeof missing,
            v.goal > t->jp_recognised ? v.goal - t->jp_recognised : 0);
    fmt_int(ctx, count, sizeof count, t->activities);
    fmt_int(ctx, unverified, sizeof unverified, t->jp_unverified);
    fmt_int(ctx, waiting, sizeof waiting, t->waiting);
    int has_goal = v.goal > 0 && kb_rpi_bar(bar, sizeof bar, t->jp_recognised, v.goal, 10) == 0;
    const char *vars[] = {"jp",      jp,      "goal",  goal,  "planned", planned,
                          "missing", missing, "count", count, "bar",     bar};
    const size_t n = sizeof vars / sizeof vars[0] / 2;
    int rc = add_line(ctx, b, "\n",
                      !has_goal   ? "rpi_jp_plain"
                      : v.ceiling ? "rpi_jp_ceiling"
                                  : "rpi_jp_target",
                      vars, n);
    if (rc == 0 && has_goal && !v.ceiling)
        rc = add_line(ctx, b, "\n", v.met ? "rpi_jp_met" : "rpi_jp_missing", vars, n);
    if (rc == 0 && has_goal && v.plan_short)
        rc = add_line(ctx, b, "\n", "rpi_jp_plan_short", vars, n);
    if (rc == 0 && has_goal && v.over)
        rc = add_line(ctx, b, "\n", "rpi_jp_over", vars, n);
    if (rc == 0)
        rc = add_line(ctx, b, "\n", "rpi_jp_planned", vars, n);
    if (rc == 0 && t->jp_unverified) {
        const char *u[] = {"jp", unverified};
        rc = add_line(ctx, b, "\n", "rpi_jp_unverified", u, 1);
    }
    if (rc == 0 && t->waiting) {
        const char *w[] = {"count", waiting};
        rc = add_line(ctx, b, "\n", "rpi_jp_waiting", w, 1);
    }
    return rc;
}

/* One activity as a line of the overview (form · target · status · JP, late marked). */
static int activity_line(struct kb_action_ctx *ctx, struct kb_buf *b, int index,
                         const struct kb_rpi_activity *a)
{
    char n[16], date[64], jp[24], jp_text[64], status[128], late[128] = "";
    snprintf(n, sizeof n, "%d", index);
    fmt_date(ctx, ctx->lang, a->target_date, date, sizeof date);
    fmt_int(ctx, jp, sizeof jp, a->verified ? a->jp_recognised : a->jp_planned);
    const char *jv[] = {"jp", jp};
    if (render_plain(ctx, ctx->lang, a->verified ? "rpi_act_jp_recognised" : "rpi_act_jp", jv, 1,
                     jp_text, sizeof jp_text) != 0 ||
        render_plain(ctx, ctx->lang, status_key(a), NULL, 0, status, sizeof status) != 0)
        return -1;
    if (kb_rpi_late(a, ctx->today)) {
        char *mark = kb_action_render(ctx, "rpi_act_late", NULL, 0);
        if (!mark)
            return -1;
        snprintf(late, sizeof late, "%s", mark);
        free(mark);
    }
    const char *vars[] = {"n",     n,    "title",  a->title, "form", form_name(ctx, a->form),
                          "date",  date, "status", status,   "jp",   jp_text,
                          "!late", late};
    return add_line(ctx, b, "\n", "rpi_act_line", vars, sizeof vars / sizeof vars[0] / 2);
}

static int activities_block(struct kb_action_ctx *ctx, const struct kb_rpi_activity *acts, int n,
                            const struct kb_rpi_totals *t, struct kb_buf *b)
{
    char count[24];
    fmt_int(ctx, count, sizeof count, n);
    const char *cv[] = {"count", count};
    if (n == 0)
        return add_line(ctx, b, "\n", "rpi_act_none", NULL, 0);
    int rc = -1;
    if (n <= INLINE_MAX) { /* each on its own lines, unless long titles would not fit */
        rc = add_line(ctx, b, "\n", "rpi_act_header", cv, 1);
        for (int i = 0; rc == 0 && i < n; i++)
            rc = activity_line(ctx, b, i + 1, &acts[i]);
    }
    if (rc != 0) {
        kb_buf_reset(b);
        rc = add_line(ctx, b, "\n", "rpi_act_many", cv, 1);
    }
    if (rc == 0 && t->late) {
        char late[24];
        fmt_int(ctx, late, sizeof late, t->late);
        const char *lv[] = {"count", late};
        rc = add_line(ctx, b, "\n\n", "rpi_act_late_note", lv, 1);
    }
    if (rc == 0)
        rc = add_line(ctx, b, "\n\n", "rpi_act_pick", NULL, 0);
    return rc;
}

/* What to offer when this year has no plan: last year's unfinished activities, if any. */
static int no_plan(struct kb_action_ctx *ctx, struct kb_action_out *out, int year)
{
    struct kb_rpi_plan prev;
    int found = 0, n = 0;
    if (kb_action_varf(out, "year", "%d", year) != 0 ||
        kb_action_varf(out, "prev_year", "%d", year - 1) != 0 ||
        kb_rpi_plan_get(ctx->st, ctx->actor->id, year - 1, &prev, &found) != KB_OK)
        return -1;
    if (found && kb_rpi_carry_count(ctx->st, prev.id, &n) != KB_OK)
        return -1;
    if (!found || n == 0)
        return result(out, "none");
    struct kb_rpi_activity *acts = calloc(LIST_MAX, sizeof *acts);
    int got = 0, rc = acts ? 0 : -1;
    if (rc == 0 && kb_rpi_activities(ctx->st, prev.id, acts, LIST_MAX, &got) != KB_OK)
        rc = -1;
    struct kb_buf b;
    kb_buf_init(&b, BLOCK_MAX);
    int shown = 0;
    for (int i = 0; rc == 0 && i < got; i++) {
        if (!kb_rpi_actionable(&acts[i]))
            continue;
        if (shown++ == CARRY_SHOWN)
            break;
        char date[64];
        fmt_date(ctx, ctx->lang, acts[i].target_date, date, sizeof date);
        const char *vars[] = {"title", acts[i].title, "date", date};
        rc = add_line(ctx, &b, "\n", "rpi_carry_line", vars, 2);
    }
    if (rc == 0 && n > CARRY_SHOWN) {
        char more[24];
        fmt_int(ctx, more, sizeof more, n - CARRY_SHOWN);
        const char *vars[] = {"count", more};
        rc = add_line(ctx, &b, "\n", "rpi_carry_more", vars, 1);
    }
    char count[24];
    fmt_int(ctx, count, sizeof count, n);
    if (rc == 0 && (kb_action_html(out, "list", b.data ? b.data : "") != 0 ||
                    kb_action_var(out, "count", count) != 0))
        rc = -1;
    kb_buf_free(&b);
    free(acts);
    return rc == 0 ? result(out, "none_carry") : -1;
}

/* rpi_overview: this year's plan — status, JP against the target or ceiling, the activities
 * (late ones marked). Results: draft (draf or revisi: may be submitted), open, open_nosup (no
 * supervisor recorded: an activity cannot be added for approval), none, none_carry (last
 * year's plan has unfinished activities to carry over), denied. */
static int rpi_overview(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor)
        return result(out, "denied");
    int year = year_of(ctx->today);
    struct kb_rpi_plan plan;
    int found = 0;
    if (current_plan(ctx, &plan, &found) != 0)
        return -1;
    if (!found)
        return no_plan(ctx, out, year);
    struct kb_rpi_totals t;
    struct kb_rpi_activity *acts = calloc(LIST_MAX, sizeof *acts);
    int n = 0;
    int rc = acts && kb_rpi_totals(ctx->st, plan.id, ctx->today, &t) == KB_OK &&
                     kb_rpi_activities(ctx->st, plan.id, acts, LIST_MAX, &n) == KB_OK
                 ? 0
                 : -1;
    struct kb_buf jp, list;
    kb_buf_init(&jp, BLOCK_MAX);
    kb_buf_init(&list, BLOCK_MAX);
    if (rc == 0)
        rc = jp_block(ctx, &t, &jp);
    if (rc == 0)
        rc = activities_block(ctx, acts, n, &t, &list);
    char key[48];
    snprintf(key, sizeof key, "rpi_plan_status_%s", plan.status);
    char *status = rc == 0 ? kb_action_render_plain(ctx, key, NULL, 0) : NULL;
    snprintf(key, sizeof key, "rpi_plan_hint_%s", plan.status);
    char *hint = status ? kb_action_render(ctx, key, NULL, 0) : NULL;
    if (!hint || kb_action_varf(out, "year", "%d", plan.year) != 0 ||
        kb_action_var(out, "plan_status", status) != 0 ||
        kb_action_html(out, "status_hint", hint) != 0 ||
        kb_action_html(out, "jp_block", jp.data ? jp.data : "") != 0 ||
        kb_action_html(out, "activities", list.data ? list.data : "") != 0)
        rc = -1;
    free(status);
    free(hint);
    kb_buf_free(&jp);
    kb_buf_free(&list);
    free(acts);
    if (rc != 0)
        return -1;
    if (!strcmp(plan.status, "draf") || !strcmp(plan.status, "revisi"))
        return result(out, "draft");
    struct kb_person sup;
    if (supervisor_of(ctx, &sup, &found) != 0)
        return -1;
    return result(out, found ? "open" : "open_nosup");
}

/* rpi_activity_items: the activities of this year's plan as buttons, numbered as in the
 * overview, late ones and finished ones marked. */
static int rpi_activity_items(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_plan plan;
    int found = 0, n = 0;
    if (!ctx->actor)
        return result(out, "empty");
    if (current_plan(ctx, &plan, &found) != 0)
        return -1;
    if (!found)
        return result(out, "empty");
    struct kb_rpi_activity *acts = calloc(LIST_MAX, sizeof *acts);
    int rc = acts && kb_rpi_activities(ctx->st, plan.id, acts, LIST_MAX, &n) == KB_OK ? 0 : -1;
    for (int i = 0; rc == 0 && i < n; i++) {
        char num[16], title[256], label[128], value[24];
        snprintf(num, sizeof num, "%d", i + 1);
        shorten(acts[i].title, LABEL_CHARS, title, LABEL_BYTES); /* with the number, fits */
        const char *key = kb_rpi_late(&acts[i], ctx->today)       ? "rpi_item_late"
                          : !strcmp(acts[i].status, "selesai")    ? "rpi_item_done"
                          : !strcmp(acts[i].approval, "menunggu") ? "rpi_item_waiting"
                                                                  : "rpi_item";
        const char *vars[] = {"n", num, "title", title};
        snprintf(value, sizeof value, "%lld", (long long)acts[i].id);
        if (render_plain(ctx, ctx->lang, key, vars, 2, label, sizeof label) != 0 ||
            kb_action_item(out, label, value) != 0)
            rc = -1;
    }
    free(acts);
    return rc == 0 ? result(out, n ? "ok" : "empty") : -1;
}

/* rpi_create: creates this year's draft plan; with answers.carry "ya", last year's unfinished
 * activities come along. Results: created, created_carried (with {count}), exists. */
static int rpi_create(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor)
        return result(out, "denied");
    int year = year_of(ctx->today), created = 0, copied = 0, found = 0;
    int64_t plan_id = 0;
    if (kb_rpi_plan_create(ctx->st, ctx->actor->id, year, &plan_id, &created) != KB_OK)
        return -1;
    if (!created)
        return result(out, "exists"); /* a second press, or another device was quicker */
    struct kb_rpi_plan prev;
    if (!strcmp(kb_action_answer(ctx, "carry"), "ya")) {
        if (kb_rpi_plan_get(ctx->st, ctx->actor->id, year - 1, &prev, &found) != KB_OK ||
            (found &&
             kb_rpi_carry_over(ctx->st, prev.id, plan_id, year, ctx->now, &copied) != KB_OK))
            return -1;
    }
    KB_INFO("rpi.plan_created", "employee=%lld year=%d carried=%d", (long long)ctx->actor->id, year,
            copied);
    char count[24];
    fmt_int(ctx, count, sizeof count, copied);
    if (kb_action_varf(out, "year", "%d", year) != 0 ||
        kb_action_varf(out, "prev_year", "%d", year - 1) != 0 ||
        kb_action_var(out, "count", count) != 0)
        return -1;
    return result(out, copied ? "created_carried" : "created");
}

/* ---- one activity ----------------------------------------------------------------------------
 */

/* The details of an activity as an HTML block. */
static int activity_detail(struct kb_action_ctx *ctx, const struct kb_rpi_activity *a,
                           struct kb_buf *b)
{
    char date[64], planned[24], recognised[24], jp[128], status[128], competency[64] = "",
                                                                      late[128] = "";
    fmt_date(ctx, ctx->lang, a->target_date, date, sizeof date);
    fmt_int(ctx, planned, sizeof planned, a->jp_planned);
    fmt_int(ctx, recognised, sizeof recognised, a->jp_recognised);
    const char *jv[] = {"planned", planned, "recognised", recognised};
    const char *ck = competency_key(a->competency);
    if (render_plain(ctx, ctx->lang, "rpi_detail_jp", jv, 2, jp, sizeof jp) != 0 ||
        render_plain(ctx, ctx->lang, status_key(a), NULL, 0, status, sizeof status) != 0 ||
        render_plain(ctx, ctx->lang, ck ? ck : "rpi_comp_none", NULL, 0, competency,
                     sizeof competency) != 0)
        return -1;
    if (kb_rpi_late(a, ctx->today)) {
        char *mark = kb_action_render(ctx, "rpi_act_late", NULL, 0);
        if (!mark)
            return -1;
        snprintf(late, sizeof late, "%s", mark);
        free(mark);
    }
    const char *vars[] = {"title", a->title, "form",       form_name(ctx, a->form),
                          "date",  date,     "competency", competency,
                          "jp",    jp,       "status",     status,
                          "!late", late};
    int rc = add_line(ctx, b, "\n", "rpi_detail", vars, sizeof vars / sizeof vars[0] / 2);
    if (rc == 0 && a->done_on[0]) {
        char done[64], evidence[128];
        fmt_date(ctx, ctx->lang, a->done_on, done, sizeof done);
        const char *ek = !strcmp(a->evidence_kind, "photo")      ? "rpi_evidence_photo"
                         : !strcmp(a->evidence_kind, "document") ? "rpi_evidence_document"
                                                                 : "rpi_evidence_none";
        rc = render_plain(ctx, ctx->lang, ek, NULL, 0, evidence, sizeof evidence);
        const char *dv[] = {"date", done, "evidence", evidence};
        if (rc == 0)
            rc = add_line(ctx, b, "\n", "rpi_detail_done", dv, 2);
    }
    if (rc == 0 && a->carried_from) {
        char prev[16];
        snprintf(prev, sizeof prev, "%d", a->year - 1);
        const char *pv[] = {"year", prev};
        rc = add_line(ctx, b, "\n", "rpi_detail_carried", pv, 1);
    }
    return rc;
}

/* rpi_activity_show: the chosen activity (answers.activity) if it is the actor's. Results:
 * open (may be marked done or postponed), view (nothing to do: finished, waiting for approval,
 * rejected, cancelled), gone. */
static int rpi_activity_show(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_activity a;
    int rc = own_activity(ctx, out, &a);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    struct kb_buf b;
    kb_buf_init(&b, BLOCK_MAX);
    rc = activity_detail(ctx, &a, &b);
    if (rc == 0 && (kb_action_html(out, "detail", b.data ? b.data : "") != 0 ||
                    kb_action_var(out, "title", a.title) != 0))
        rc = -1;
    kb_buf_free(&b);
    if (rc != 0)
        return -1;
    return result(out, kb_rpi_actionable(&a) ? "open" : "view");
}

/* rpi_entry: where /rpi starts. A reminder's button starts it with answers.arg
 * "done:<activity>" or "postpone:<activity>": that activity, re-checked as the actor's own, and
 * straight to marking it done or postponing it. Results: done, postpone, view (finished or not
 * actionable), gone, overview (no argument: the plan). */
static int rpi_entry(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *arg = kb_action_answer(ctx, "arg");
    const char *colon = strchr(arg, ':');
    const char *step = !strncmp(arg, "done:", 5)       ? "done"
                       : !strncmp(arg, "postpone:", 9) ? "postpone"
                                                       : NULL;
    if (!step || !colon)
        return result(out, "overview");
    char id[24];
    snprintf(id, sizeof id, "%lld", strtoll(colon + 1, NULL, 10));
    cJSON_DeleteItemFromObjectCaseSensitive(ctx->answers, "activity");
    cJSON_AddStringToObject(ctx->answers, "activity", id);
    if (rpi_activity_show(ctx, out) != 0)
        return -1;
    return strcmp(out->result, "open") ? 0 : result(out, step);
}

/* rpi_done_check: the date typed as the day the activity finished (answers.day): not before
 * the plan's year (nor after today). Results: ok (with {date}), too_early / future (with the
 * bound as {date}), gone. */
static int rpi_done_check(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_activity a;
    int rc = own_activity(ctx, out, &a);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (!kb_rpi_actionable(&a))
        return result(out, "gone");
    const char *day = kb_action_answer(ctx, "day");
    char first[11], date[64];
    kb_date_make(first, a.year, 1, 1);
    const char *word = "ok", *shown = day;
    if (kb_date_parse(day, NULL, NULL, NULL) != 0 || strcmp(day, first) < 0) {
        word = "too_early";
        shown = first;
    } else if (strcmp(day, ctx->today) > 0) {
        word = "future";
        shown = ctx->today;
    }
    fmt_date(ctx, ctx->lang, shown, date, sizeof date);
    if (kb_action_var(out, "date", date) != 0 || kb_action_var(out, "title", a.title) != 0)
        return -1;
    return result(out, word);
}

/* Asks the supervisor for a decision of kind on subject_id. Sets {approver} and the result:
 * prefix_sent, prefix_sent_unlinked (no linked account: HR forwards it), or no_supervisor
 * (nothing was asked). */
static int ask_supervisor(struct kb_action_ctx *ctx, struct kb_action_out *out,
                          const struct kb_approval_kind *kind, int64_t subject_id,
                          const struct kb_person *sup)
{
    char label[192];
    int64_t approval_id = 0;
    int linked = 0;
    if (person_label(ctx, ctx->lang, sup, label, sizeof label) != 0 ||
        kb_action_var(out, "approver", label) != 0 ||
        kb_approval_request(ctx, kind, subject_id, sup->id, &approval_id, &linked) != 0)
        return -1;
    return result(out, linked ? "sent" : "sent_unlinked");
}

/* rpi_mark_done: the activity is finished on answers.day, with the certificate sent
 * (answers.evidence and evidence_kind) unless the person skipped it; its JP wait for the
 * supervisor's verification (an "evidence" request). Results: sent, sent_unlinked,
 * no_supervisor (saved, but nobody can verify yet), bad_date, gone. */
static int rpi_mark_done(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_activity a;
    int rc = own_activity(ctx, out, &a);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    const char *day = kb_action_answer(ctx, "day");
    char first[11], date[64];
    kb_date_make(first, a.year, 1, 1);
    if (kb_date_parse(day, NULL, NULL, NULL) != 0 || strcmp(day, first) < 0 ||
        strcmp(day, ctx->today) > 0)
        return result(out, "bad_date");
    const char *file = kb_action_answer(ctx, "evidence");
    const char *kind = kb_action_answer(ctx, "evidence_kind");
    int with_file =
        strcmp(file, "skip") != 0 && *file && (!strcmp(kind, "photo") || !strcmp(kind, "document"));
    int changed = 0;
    if (kb_rpi_activity_mark_done(ctx->st, a.id, day, with_file ? file : NULL,
                                  with_file ? kind : NULL, ctx->now, &changed) != KB_OK)
        return -1;
    if (!changed)
        return result(out, "gone"); /* finished or postponed meanwhile, or not approved */
    KB_INFO("rpi.activity_done", "activity=%lld employee=%lld evidence=%s", (long long)a.id,
            (long long)a.employee_id, with_file ? kind : "none");
    fmt_date(ctx, ctx->lang, day, date, sizeof date);
    if (kb_action_var(out, "date", date) != 0 || kb_action_var(out, "title", a.title) != 0)
        return -1;
    struct kb_person sup;
    int found = 0;
    if (supervisor_of(ctx, &sup, &found) != 0)
        return -1;
    if (!found)
        return result(out, "no_supervisor");
    return ask_supervisor(ctx, out, &kb_approval_evidence, a.id, &sup);
}

/* rpi_postpone_bound: {date}, the latest new target date (the end of the year after the
 * plan's), and {title}, for the question. */
static int rpi_postpone_bound(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_activity a;
    int rc = own_activity(ctx, out, &a);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    char last[11], date[64];
    kb_date_make(last, a.year + 1, 12, 31);
    fmt_date(ctx, ctx->lang, last, date, sizeof date);
    if (kb_action_var(out, "date", date) != 0 || kb_action_var(out, "title", a.title) != 0)
        return -1;
    return result(out, "ok");
}

/* rpi_postpone: a new target date (answers.day, from today to the end of the year after the
 * plan's). Results: saved (with {date}), out_of_range (with the latest date as {date}), gone. */
static int rpi_postpone(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_activity a;
    int rc = own_activity(ctx, out, &a);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    const char *day = kb_action_answer(ctx, "day");
    char last[11], date[64];
    kb_date_make(last, a.year + 1, 12, 31);
    if (kb_date_parse(day, NULL, NULL, NULL) != 0 || strcmp(day, ctx->today) < 0 ||
        strcmp(day, last) > 0) {
        fmt_date(ctx, ctx->lang, last, date, sizeof date);
        return kb_action_var(out, "date", date) == 0 ? result(out, "out_of_range") : -1;
    }
    int changed = 0;
    if (kb_rpi_activity_postpone(ctx->st, a.id, day, ctx->now, &changed) != KB_OK)
        return -1;
    if (!changed)
        return result(out, "gone");
    KB_INFO("rpi.activity_postponed", "activity=%lld employee=%lld", (long long)a.id,
            (long long)a.employee_id);
    fmt_date(ctx, ctx->lang, day, date, sizeof date);
    if (kb_action_var(out, "date", date) != 0 || kb_action_var(out, "title", a.title) != 0)
        return -1;
    return result(out, "saved");
}

/* ---- adding an activity ------------------------------------------------------------------- */

/* rpi_forms: the forms of competency development of the policy data, as buttons. */
static int rpi_forms(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    size_t n = 0;
    const struct kb_dev_form *forms = ctx->policy ? kb_policy_forms(ctx->policy, &n) : NULL;
    for (size_t i = 0; i < n; i++)
        if (kb_action_item(out, forms[i].name, forms[i].id) != 0)
            return -1;
    return result(out, n ? "ok" : "empty");
}

/* rpi_form_chosen: {form_name} of answers.form and {jp_hint}, what the JP question adds: the
 * minutes of one JP and, when the policy has one, the form's JP for a day. */
static int rpi_form_chosen(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *id = kb_action_answer(ctx, "form");
    const struct kb_dev_form *f = ctx->policy ? kb_policy_form(ctx->policy, id) : NULL;
    struct kb_buf b;
    kb_buf_init(&b, BLOCK_MAX);
    char minutes[24], jp[24];
    int rc = 0;
    if (ctx->policy && kb_policy_minutes_per_jp(ctx->policy) > 0) {
        fmt_int(ctx, minutes, sizeof minutes, kb_policy_minutes_per_jp(ctx->policy));
        const char *vars[] = {"minutes", minutes};
        rc = add_line(ctx, &b, "\n", "rpi_add_jp_minutes", vars, 1);
    }
    if (rc == 0 && f && f->jp_per_day > 0) {
        fmt_int(ctx, jp, sizeof jp, f->jp_per_day);
        const char *vars[] = {"form", f->name, "jp", jp};
        rc = add_line(ctx, &b, "\n", "rpi_add_jp_default", vars, 2);
    }
    if (rc == 0 && (kb_action_var(out, "form_name", f ? f->name : id) != 0 ||
                    kb_action_html(out, "jp_hint", b.data ? b.data : "") != 0))
        rc = -1;
    kb_buf_free(&b);
    return rc == 0 ? result(out, f ? "ok" : "unknown") : -1;
}

struct new_activity {
    const struct kb_dev_form *form;
    const char *title, *competency, *day;
    int jp;
    char last[11]; /* the latest target date: the end of next year */
};

/* Reads and re-checks the answers of the add flow. Returns the result word that stops the
 * flow ("too_late" with {date}, "invalid"), or NULL when all is well. */
static const char *read_new(struct kb_action_ctx *ctx, struct kb_action_out *out,
                            struct new_activity *n)
{
    n->form = ctx->policy ? kb_policy_form(ctx->policy, kb_action_answer(ctx, "form")) : NULL;
    n->title = kb_action_answer(ctx, "title");
    n->competency = kb_action_answer(ctx, "competency");
    n->day = kb_action_answer(ctx, "day");
    int64_t jp = kb_action_answer_i64(ctx, "jp");
    n->jp = jp >= 1 && jp <= JP_MAX ? (int)jp : 0;
    kb_date_make(n->last, year_of(ctx->today) + 1, 12, 31);
    size_t chars = 0;
    for (const char *p = n->title; *p; p++)
        chars += ((unsigned char)*p & 0xc0) != 0x80;
    if (!n->form || chars < TITLE_MIN || chars > TITLE_MAX || !competency_key(n->competency) ||
        !n->jp || kb_date_parse(n->day, NULL, NULL, NULL) != 0 || strcmp(n->day, ctx->today) < 0)
        return "invalid";
    if (strcmp(n->day, n->last) > 0) {
        char date[64];
        fmt_date(ctx, ctx->lang, n->last, date, sizeof date);
        return kb_action_var(out, "date", date) == 0 ? "too_late" : "error";
    }
    return NULL;
}

/* rpi_add_bound: {date}, the latest target date of a new activity (the end of next year), for
 * the question. */
static int rpi_add_bound(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    char last[11], date[64];
    kb_date_make(last, year_of(ctx->today) + 1, 12, 31);
    fmt_date(ctx, ctx->lang, last, date, sizeof date);
    return kb_action_var(out, "date", date) == 0 ? result(out, "ok") : -1;
}

/* rpi_add_date_check: the target date typed (answers.day) is not after the end of next year.
 * Results: ok, too_late (with the bound as {date}). */
static int rpi_add_date_check(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    char last[11], date[64];
    const char *day = kb_action_answer(ctx, "day");
    kb_date_make(last, year_of(ctx->today) + 1, 12, 31);
    if (kb_date_parse(day, NULL, NULL, NULL) == 0 && strcmp(day, last) <= 0)
        return result(out, "ok");
    fmt_date(ctx, ctx->lang, last, date, sizeof date);
    return kb_action_var(out, "date", date) == 0 ? result(out, "too_late") : -1;
}

/* Whether an activity added to this plan waits for the supervisor: not in a draft, whose
 * activities the supervisor sees when the plan is submitted. */
static int needs_approval(const struct kb_rpi_plan *plan)
{
    return strcmp(plan->status, "draf") != 0 && strcmp(plan->status, "revisi") != 0;
}

/* rpi_add_summary: the new activity as the person will send it ({detail}), and who decides.
 * Results: ok, too_late (the target date is after the end of next year; {date} is the bound),
 * no_plan, invalid. */
static int rpi_add_summary(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_plan plan;
    struct new_activity n;
    int found = 0;
    if (!ctx->actor)
        return result(out, "no_plan");
    if (current_plan(ctx, &plan, &found) != 0)
        return -1;
    if (!found)
        return result(out, "no_plan");
    const char *stop = read_new(ctx, out, &n);
    if (stop)
        return strcmp(stop, "error") ? result(out, stop) : -1;
    char date[64], jp[24], competency[64], approver[192] = "", year[16];
    struct kb_person sup;
    fmt_date(ctx, ctx->lang, n.day, date, sizeof date);
    fmt_int(ctx, jp, sizeof jp, n.jp);
    snprintf(year, sizeof year, "%d", plan.year);
    if (render_plain(ctx, ctx->lang, competency_key(n.competency), NULL, 0, competency,
                     sizeof competency) != 0 ||
        supervisor_of(ctx, &sup, &found) != 0 ||
        (found && person_label(ctx, ctx->lang, &sup, approver, sizeof approver) != 0))
        return -1;
    const char *next = !needs_approval(&plan) ? "rpi_add_next_draft"
                       : found                ? "rpi_add_next_approval"
                                              : "rpi_add_next_nosup";
    const char *vars[] = {"form",     n.form->name, "title", n.title, "competency",
                          competency, "date",       date,    "jp",    jp,
                          "approver", approver,     "year",  year};
    const size_t nv = sizeof vars / sizeof vars[0] / 2;
    struct kb_buf b;
    kb_buf_init(&b, BLOCK_MAX);
    int rc = add_line(ctx, &b, "\n", "rpi_add_summary", vars, nv);
    if (rc == 0)
        rc = add_line(ctx, &b, "\n\n", next, vars, nv);
    if (rc == 0 && kb_action_html(out, "detail", b.data) != 0)
        rc = -1;
    kb_buf_free(&b);
    return rc == 0 ? result(out, "ok") : -1;
}

/* rpi_add_save: stores the new activity. In a draft it joins the plan at once ("draft");
 * otherwise it waits for the supervisor ("sent" / "sent_unlinked", {approver}), and without a
 * recorded supervisor nothing is stored ("no_supervisor"). Also: full, too_late, no_plan,
 * invalid. */
static int rpi_add_save(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_plan plan;
    struct kb_rpi_totals t;
    struct new_activity n;
    int found = 0;
    if (!ctx->actor)
        return result(out, "no_plan");
    if (current_plan(ctx, &plan, &found) != 0)
        return -1;
    if (!found)
        return result(out, "no_plan");
    const char *stop = read_new(ctx, out, &n);
    if (stop)
        return strcmp(stop, "error") ? result(out, stop) : -1;
    if (kb_action_varf(out, "year", "%d", plan.year) != 0 ||
        kb_action_var(out, "title", n.title) != 0 ||
        kb_rpi_totals(ctx->st, plan.id, ctx->today, &t) != KB_OK)
        return -1;
    if (t.rows >= KB_RPI_PLAN_MAX_ROWS) {
        char count[24];
        fmt_int(ctx, count, sizeof count, t.rows);
        return kb_action_var(out, "count", count) == 0 ? result(out, "full") : -1;
    }
    struct kb_person sup;
    int ask = needs_approval(&plan);
    if (supervisor_of(ctx, &sup, &found) != 0)
        return -1;
    if (ask && !found)
        return result(out, "no_supervisor");
    struct kb_rpi_activity_new a = {.plan_id = plan.id,
                                    .form = n.form->id,
                                    .title = n.title,
                                    .competency = n.competency,
                                    .target_date = n.day,
                                    .jp_planned = n.jp,
                                    .approval = ask ? "menunggu" : "disetujui"};
    int64_t id = 0;
    if (kb_rpi_activity_add(ctx->st, &a, ctx->now, &id) != KB_OK)
        return -1;
    KB_INFO("rpi.activity_added", "activity=%lld employee=%lld waits=%d", (long long)id,
            (long long)ctx->actor->id, ask);
    /* Answered: a second Kirim (typed or replayed) finds no answers and adds nothing. */
    cJSON_DeleteItemFromObjectCaseSensitive(ctx->answers, "form");
    if (!ask)
        return result(out, "draft");
    return ask_supervisor(ctx, out, &kb_approval_rpi_activity, id, &sup);
}

/* ---- submitting the plan ------------------------------------------------------------------ */

/* The plan's figures and the JP remark ({detail}) for the confirmation. */
static int plan_summary(struct kb_action_ctx *ctx, const struct kb_rpi_totals *t, struct kb_buf *b)
{
    const struct kb_jp_rule *rule = jp_rule_of(ctx, ctx->actor);
    struct kb_rpi_jp_view v;
    kb_rpi_jp_judge(rule && rule->ceiling, rule ? rule->jp_per_year : 0, t->jp_planned,
                    t->jp_recognised, &v);
    char count[24], planned[24], goal[24];
    fmt_int(ctx, count, sizeof count, t->activities);
    fmt_int(ctx, planned, sizeof planned, t->jp_planned);
    fmt_int(ctx, goal, sizeof goal, v.goal);
    const char *vars[] = {"count", count, "planned", planned, "goal", goal};
    int rc = add_line(ctx, b, "\n", "rpi_submit_figures", vars, 3);
    if (rc == 0 && v.goal > 0 && !v.ceiling && t->jp_planned < v.goal)
        rc = add_line(ctx, b, "\n", "rpi_submit_short", vars, 3);
    if (rc == 0 && v.over)
        rc = add_line(ctx, b, "\n", "rpi_jp_over", vars, 3);
    return rc;
}

/* Loads the plan that may be submitted: *word is NULL when it may, else the result word. */
static int submittable(struct kb_action_ctx *ctx, struct kb_rpi_plan *plan, struct kb_rpi_totals *t,
                       struct kb_person *sup, const char **word)
{
    int found = 0;
    *word = NULL;
    if (!ctx->actor) {
        *word = "gone";
        return 0;
    }
    if (current_plan(ctx, plan, &found) != 0)
        return -1;
    if (!found || needs_approval(plan)) {
        *word = "gone";
        return 0;
    }
    if (kb_rpi_totals(ctx->st, plan->id, ctx->today, t) != KB_OK ||
        supervisor_of(ctx, sup, &found) != 0)
        return -1;
    if (t->activities == 0)
        *word = "empty";
    else if (!found)
        *word = "no_supervisor";
    return 0;
}

/* rpi_submit_check: whether this year's plan may be submitted (a draft, or one sent back for
 * revision, with an activity, and a supervisor to decide). Results: ok ({detail}, {approver}),
 * empty, no_supervisor, gone. */
static int rpi_submit_check(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_plan plan;
    struct kb_rpi_totals t;
    struct kb_person sup;
    const char *word;
    if (submittable(ctx, &plan, &t, &sup, &word) != 0)
        return -1;
    if (kb_action_varf(out, "year", "%d", year_of(ctx->today)) != 0)
        return -1;
    if (word)
        return result(out, word);
    char approver[192];
    struct kb_buf b;
    kb_buf_init(&b, BLOCK_MAX);
    int rc = plan_summary(ctx, &t, &b);
    if (rc == 0 && (person_label(ctx, ctx->lang, &sup, approver, sizeof approver) != 0 ||
                    kb_action_var(out, "approver", approver) != 0 ||
                    kb_action_html(out, "detail", b.data) != 0))
        rc = -1;
    kb_buf_free(&b);
    return rc == 0 ? result(out, "ok") : -1;
}

/* rpi_submit: the plan is submitted and the supervisor asked ("rpi_plan"). Results: sent,
 * sent_unlinked, empty, no_supervisor, gone. */
static int rpi_submit(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_rpi_plan plan;
    struct kb_rpi_totals t;
    struct kb_person sup;
    const char *word;
    int changed = 0;
    if (submittable(ctx, &plan, &t, &sup, &word) != 0)
        return -1;
    if (kb_action_varf(out, "year", "%d", year_of(ctx->today)) != 0)
        return -1;
    if (word)
        return result(out, word);
    if (kb_rpi_plan_submit(ctx->st, plan.id, ctx->now, &changed) != KB_OK)
        return -1;
    if (!changed)
        return result(out, "gone");
    KB_INFO("rpi.plan_submitted", "plan=%lld employee=%lld", (long long)plan.id,
            (long long)plan.employee_id);
    return ask_supervisor(ctx, out, &kb_approval_rpi_plan, plan.id, &sup);
}

const struct kb_action_def kb_actions_rpi[] = {
    {"rpi_overview", rpi_overview},
    {"rpi_activity_items", rpi_activity_items},
    {"rpi_create", rpi_create},
    {"rpi_activity_show", rpi_activity_show},
    {"rpi_entry", rpi_entry},
    {"rpi_done_check", rpi_done_check},
    {"rpi_mark_done", rpi_mark_done},
    {"rpi_postpone_bound", rpi_postpone_bound},
    {"rpi_postpone", rpi_postpone},
    {"rpi_forms", rpi_forms},
    {"rpi_form_chosen", rpi_form_chosen},
    {"rpi_add_bound", rpi_add_bound},
    {"rpi_add_date_check", rpi_add_date_check},
    {"rpi_add_summary", rpi_add_summary},
    {"rpi_add_save", rpi_add_save},
    {"rpi_submit_check", rpi_submit_check},
    {"rpi_submit", rpi_submit},
    {NULL, NULL},
};

/* ---- approval kinds ------------------------------------------------------------------------ */

/* A one-line description of an activity for a card: key with form, title, date, JP,
 * competency and evidence. */
static int describe_activity(struct kb_action_ctx *ctx, const char *key,
                             const struct kb_rpi_activity *a, char *what, size_t cap)
{
    char title[512], date[64], done[64] = "", jp[24], competency[64], evidence[128];
    const char *ck = competency_key(a->competency);
    const char *ek = !strcmp(a->evidence_kind, "photo")      ? "rpi_evidence_photo"
                     : !strcmp(a->evidence_kind, "document") ? "rpi_evidence_document"
                                                             : "rpi_evidence_none";
    shorten(a->title, DESCRIBE_TITLE, title, sizeof title);
    fmt_date(ctx, ctx->lang, a->target_date, date, sizeof date);
    if (a->done_on[0])
        fmt_date(ctx, ctx->lang, a->done_on, done, sizeof done);
    fmt_int(ctx, jp, sizeof jp, a->jp_planned);
    if (render_plain(ctx, ctx->lang, ck ? ck : "rpi_comp_none", NULL, 0, competency,
                     sizeof competency) != 0 ||
        render_plain(ctx, ctx->lang, ek, NULL, 0, evidence, sizeof evidence) != 0)
        return -1;
    const char *vars[] = {"form",       form_name(ctx, a->form),
                          "title",      title,
                          "date",       date,
                          "done",       done,
                          "jp",         jp,
                          "competency", competency,
                          "evidence",   evidence};
    return render_plain(ctx, ctx->lang, key, vars, sizeof vars / sizeof vars[0] / 2, what, cap);
}

static int describe_rpi_activity(struct kb_action_ctx *ctx, int64_t subject_id, char *what,
                                 size_t cap)
{
    struct kb_rpi_activity a;
    int found = 0;
    if (kb_rpi_activity_get(ctx->st, subject_id, &a, &found) != KB_OK)
        return -1;
    if (!found)
        return render_plain(ctx, ctx->lang, "rpi_describe_gone", NULL, 0, what, cap);
    return describe_activity(ctx, "rpi_describe_activity", &a, what, cap);
}

static int describe_evidence(struct kb_action_ctx *ctx, int64_t subject_id, char *what, size_t cap)
{
    struct kb_rpi_activity a;
    int found = 0;
    if (kb_rpi_activity_get(ctx->st, subject_id, &a, &found) != KB_OK)
        return -1;
    if (!found)
        return render_plain(ctx, ctx->lang, "rpi_describe_gone", NULL, 0, what, cap);
    return describe_activity(ctx, "rpi_describe_evidence", &a, what, cap);
}

static int describe_rpi_plan(struct kb_action_ctx *ctx, int64_t subject_id, char *what, size_t cap)
{
    struct kb_rpi_plan plan;
    struct kb_rpi_totals t;
    int found = 0;
    if (kb_rpi_plan_by_id(ctx->st, subject_id, &plan, &found) != KB_OK)
        return -1;
    if (!found)
        return render_plain(ctx, ctx->lang, "rpi_describe_gone", NULL, 0, what, cap);
    if (kb_rpi_totals(ctx->st, plan.id, ctx->today, &t) != KB_OK)
        return -1;
    char year[16], count[24], jp[24];
    snprintf(year, sizeof year, "%d", plan.year);
    fmt_int(ctx, count, sizeof count, t.activities);
    fmt_int(ctx, jp, sizeof jp, t.jp_planned);
    const char *vars[] = {"year", year, "count", count, "jp", jp};
    return render_plain(ctx, ctx->lang, "rpi_describe_plan", vars, 3, what, cap);
}

/* The plan's figures so far, for the supervisor deciding on one of its activities. */
static int plan_figures(struct kb_action_ctx *ctx, const char *key, int64_t plan_id, int year,
                        char *buf, size_t cap)
{
    struct kb_rpi_totals t;
    if (kb_rpi_totals(ctx->st, plan_id, ctx->today, &t) != KB_OK)
        return -1;
    char y[16], count[24], planned[24], recognised[24];
    snprintf(y, sizeof y, "%d", year);
    fmt_int(ctx, count, sizeof count, t.activities);
    fmt_int(ctx, planned, sizeof planned, t.jp_planned);
    fmt_int(ctx, recognised, sizeof recognised, t.jp_recognised);
    const char *vars[] = {"year", y, "count", count, "planned", planned, "recognised", recognised};
    return render_plain(ctx, ctx->lang, key, vars, 4, buf, cap);
}

static int detail_rpi_activity(struct kb_action_ctx *ctx, int64_t subject_id, char *buf, size_t cap)
{
    struct kb_rpi_activity a;
    int found = 0;
    buf[0] = '\0';
    if (kb_rpi_activity_get(ctx->st, subject_id, &a, &found) != KB_OK)
        return -1;
    return found ? plan_figures(ctx, "rpi_detail_activity", a.plan_id, a.year, buf, cap) : 0;
}

static int detail_evidence(struct kb_action_ctx *ctx, int64_t subject_id, char *buf, size_t cap)
{
    struct kb_rpi_activity a;
    int found = 0;
    buf[0] = '\0';
    if (kb_rpi_activity_get(ctx->st, subject_id, &a, &found) != KB_OK)
        return -1;
    if (!found)
        return 0;
    char target[64], figures[256];
    fmt_date(ctx, ctx->lang, a.target_date, target, sizeof target);
    if (plan_figures(ctx, "rpi_detail_evidence_plan", a.plan_id, a.year, figures, sizeof figures) !=
        0)
        return -1;
    const char *vars[] = {"date", target, "plan", figures};
    return render_plain(ctx, ctx->lang, "rpi_detail_evidence", vars, 2, buf, cap);
}

/* Every activity of the submitted plan, a line each, as many as fit. */
static int detail_rpi_plan(struct kb_action_ctx *ctx, int64_t subject_id, char *buf, size_t cap)
{
    int n = 0, listed = 0, total = 0, rc = 0;
    buf[0] = '\0';
    struct kb_rpi_activity *acts = calloc(LIST_MAX, sizeof *acts);
    if (!acts || kb_rpi_activities(ctx->st, subject_id, acts, LIST_MAX, &n) != KB_OK) {
        free(acts);
        return -1;
    }
    for (int i = 0; i < n; i++)
        total += strcmp(acts[i].approval, "ditolak") && strcmp(acts[i].status, "batal");
    size_t used = 0;
    for (int i = 0; rc == 0 && i < n; i++) {
        if (!strcmp(acts[i].approval, "ditolak") || !strcmp(acts[i].status, "batal"))
            continue;
        char title[256], date[64], jp[24], line[512];
        shorten(acts[i].title, DESCRIBE_TITLE, title, sizeof title);
        fmt_date(ctx, ctx->lang, acts[i].target_date, date, sizeof date);
        fmt_int(ctx, jp, sizeof jp, acts[i].jp_planned);
        const char *vars[] = {"title", title, "form", form_name(ctx, acts[i].form),
                              "jp",    jp,    "date", date};
        rc = render_plain(ctx, ctx->lang, "rpi_detail_plan_line", vars, 4, line, sizeof line);
        /* Room is kept for the closing "and N more" line. */
        if (rc != 0 || used + strlen(line) + 1 + 96 > cap)
            break;
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? "\n" : "", line);
        listed++;
    }
    free(acts);
    if (rc == 0 && listed < total) {
        char more[24], line[96];
        fmt_int(ctx, more, sizeof more, total - listed);
        const char *vars[] = {"count", more};
        rc = render_plain(ctx, ctx->lang, "rpi_detail_plan_more", vars, 1, line, sizeof line);
        if (rc == 0)
            snprintf(buf + used, cap - used, "%s%s", used ? "\n" : "", line);
    }
    return rc;
}

/* Tells the requester about a decision, in their language: key with {title}, {year}, {jp},
 * {total} (JP recognised in the plan so far), {approver} and {reason}. */
static int tell(struct kb_action_ctx *ctx, int64_t requester_id, const char *key, const char *title,
                int year, int jp_value, int total_value, const char *reason)
{
    struct kb_person who;
    int found = 0;
    if (kb_person_by_id(ctx->st, requester_id, &who, &found) != KB_OK)
        return -1;
    if (!found)
        return 0;
    char lang[8], approver[192] = "", y[16], jp[24], total[24];
    lang_of(ctx, &who, lang);
    if (ctx->actor && person_label(ctx, lang, ctx->actor, approver, sizeof approver) != 0)
        return -1;
    snprintf(y, sizeof y, "%d", year);
    (!strcmp(lang, "en") ? kb_fmt_int_en : kb_fmt_int_id)(jp, sizeof jp, jp_value);
    (!strcmp(lang, "en") ? kb_fmt_int_en : kb_fmt_int_id)(total, sizeof total, total_value);
    const char *vars[] = {"title", title, "year",     y,        "jp",     jp,
                          "total", total, "approver", approver, "reason", reason ? reason : ""};
    int64_t chat = 0;
    return ctx->notify(ctx, requester_id, key, vars, sizeof vars / sizeof vars[0] / 2, NULL, 0,
                       &chat);
}

static int decided_rpi_activity(struct kb_action_ctx *ctx, int64_t subject_id, int64_t requester_id,
                                int approved, const char *reason)
{
    struct kb_rpi_activity a;
    int found = 0, changed = 0;
    if (kb_rpi_activity_get(ctx->st, subject_id, &a, &found) != KB_OK)
        return -1;
    if (!found || a.employee_id != requester_id || strcmp(a.approval, "menunggu") != 0) {
        KB_WARN("rpi.decision_stale", "kind=rpi_activity subject=%lld", (long long)subject_id);
        return 0;
    }
    if (kb_rpi_activity_decide(ctx->st, a.id, approved, ctx->now, &changed) != KB_OK)
        return -1;
    if (!changed)
        return 0;
    return tell(ctx, requester_id,
                approved ? "rpi_note_activity_approved" : "rpi_note_activity_rejected", a.title,
                a.year, a.jp_planned, 0, reason);
}

static int decided_rpi_plan(struct kb_action_ctx *ctx, int64_t subject_id, int64_t requester_id,
                            int approved, const char *reason)
{
    struct kb_rpi_plan plan;
    int found = 0, changed = 0;
    if (kb_rpi_plan_by_id(ctx->st, subject_id, &plan, &found) != KB_OK)
        return -1;
    if (!found || plan.employee_id != requester_id || strcmp(plan.status, "diajukan") != 0) {
        KB_WARN("rpi.decision_stale", "kind=rpi_plan subject=%lld", (long long)subject_id);
        return 0;
    }
    if (kb_rpi_plan_decide(ctx->st, plan.id, approved, ctx->now, &changed) != KB_OK)
        return -1;
    if (!changed)
        return 0;
    return tell(ctx, requester_id, approved ? "rpi_note_plan_approved" : "rpi_note_plan_rejected",
                "", plan.year, 0, 0, reason);
}

static int decided_evidence(struct kb_action_ctx *ctx, int64_t subject_id, int64_t requester_id,
                            int approved, const char *reason)
{
    struct kb_rpi_activity a;
    struct kb_rpi_totals t;
    int found = 0, changed = 0;
    if (kb_rpi_activity_get(ctx->st, subject_id, &a, &found) != KB_OK)
        return -1;
    if (!found || a.employee_id != requester_id || strcmp(a.status, "selesai") != 0 || a.verified) {
        KB_WARN("rpi.decision_stale", "kind=evidence subject=%lld", (long long)subject_id);
        return 0;
    }
    int rc = approved ? kb_rpi_activity_verify(ctx->st, a.id, ctx->actor ? ctx->actor->id : 0,
                                               ctx->now, &changed)
                      : kb_rpi_activity_reopen(ctx->st, a.id, ctx->now, &changed);
    if (rc != KB_OK || kb_rpi_totals(ctx->st, a.plan_id, ctx->today, &t) != KB_OK)
        return -1;
    if (!changed)
        return 0;
    return tell(ctx, requester_id,
                approved ? "rpi_note_evidence_approved" : "rpi_note_evidence_rejected", a.title,
                a.year, a.jp_planned, t.jp_recognised, reason);
}

const struct kb_approval_kind kb_approval_rpi_activity = {
    .kind = "rpi_activity",
    .describe = describe_rpi_activity,
    .decided = decided_rpi_activity,
    .detail = detail_rpi_activity,
};

const struct kb_approval_kind kb_approval_rpi_plan = {
    .kind = "rpi_plan",
    .describe = describe_rpi_plan,
    .decided = decided_rpi_plan,
    .detail = detail_rpi_plan,
};

const struct kb_approval_kind kb_approval_evidence = {
    .kind = "evidence",
    .describe = describe_evidence,
    .decided = decided_evidence,
    .detail = detail_evidence,
};
