/* act_trainings: the actions of the training flows — dialogs/pelatihan.json (the open trainings,
 * their details, registering with a reason and an RPI activity) and dialogs/pelatihanku.json
 * (one's registrations, cancelling one) — and the approval kind of a registration, whose
 * decision gives a seat or a place on the waiting list.
 *
 * Every id that arrives from a button or an answer (training, activity, registration) is
 * checked again here before it is shown or changed: a registration only for its owner
 * (access.h), a training only while it is open to this person, an activity only while it is an
 * open one of the person's own plan. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/access.h"
#include "karirbot/actions.h"
#include "karirbot/approvals.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/trainings.h"
#include "karirbot/utf8.h"

#define OPEN_MAX    KB_ACTION_ITEMS_MAX /* trainings listed: 8 pages of 8 */
#define MINE_MAX    24                  /* one's registrations listed, newest first */
#define OPTIONS_MAX (KB_ACTION_ITEMS_MAX - 1)
#define GIVEN_MAX   16 /* seats handed on in one turn */
#define LABEL_CHARS 48 /* of a title on a button */
#define REASON_CAP  2048
#define TEXT_CAP    512

static void result(struct kb_action_out *out, const char *word)
{
    snprintf(out->result, sizeof out->result, "%s", word);
}

/* ---- formatting ---------------------------------------------------------------------------- */

/* src cut to at most max_chars characters (a "…" marks the cut), whole UTF-8 characters only;
 * cap must leave room for the ellipsis. */
static void clip(char *dst, size_t cap, const char *src, size_t max_chars)
{
    static const char ellipsis[] = "\xE2\x80\xA6";
    const size_t elen = sizeof ellipsis - 1;
    size_t i = 0, chars = 0;
    while (src[i] && chars < max_chars) {
        size_t len = kb_utf8_seqlen((unsigned char)src[i]), k = 1;
        while (k < len && src[i + k])
            k++;
        i += k;
        chars++;
    }
    int cut = src[i] != '\0';
    size_t room = cap - 1 - elen;
    if (i > room) { /* the bytes run out before the characters: back to a lead byte */
        i = room;
        while (i > 0 && ((unsigned char)src[i] & 0xC0) == 0x80)
            i--;
        cut = 1;
    }
    memcpy(dst, src, i);
    if (cut) {
        memcpy(dst + i, ellipsis, elen);
        i += elen;
    }
    dst[i] = '\0';
}

/* A date written out in lang (day, month name, year), or the raw text when it is no date. */
static void date_text(const struct kb_locale *loc, const char *lang, const char *ymd, char *buf,
                      size_t cap)
{
    if (kb_locale_date(loc, lang, ymd, buf, cap) != 0)
        snprintf(buf, cap, "%s", ymd);
}

/* A training's dates in lang: one range of days within a month, a range across months, a range
 * across years, or one day; the patterns are locale texts (training_dates_*). */
static void dates_text(const struct kb_locale *loc, const char *lang, const char *start,
                       const char *end, char *buf, size_t cap)
{
    int y1, m1, d1, y2, m2, d2;
    const char *months[12];
    if (kb_date_parse(start, &y1, &m1, &d1) != 0 || kb_date_parse(end, &y2, &m2, &d2) != 0 ||
        kb_locale_names(loc, lang, "months", months, 12) != 0 || !strcmp(start, end) ||
        strcmp(start, end) > 0) {
        date_text(loc, lang, start, buf, cap);
        return;
    }
    char sd[8], sy[8], ed[8], ey[8];
    snprintf(sd, sizeof sd, "%d", d1);
    snprintf(sy, sizeof sy, "%d", y1);
    snprintf(ed, sizeof ed, "%d", d2);
    snprintf(ey, sizeof ey, "%d", y2);
    const char *vars[] = {"d1", sd, "m1", months[m1 - 1], "y1", sy,
                          "d2", ed, "m2", months[m2 - 1], "y2", ey};
    const char *key = y1 != y2   ? "training_dates_years"
                      : m1 != m2 ? "training_dates_months"
                                 : "training_dates_days";
    char *text = kb_locale_render_plain(loc, lang, key, vars, 6);
    snprintf(buf, cap, "%s", text ? text : start);
    free(text);
}

/* The cost per seat in rupiah with the thousands separator of lang (or the text for no cost). */
static void cost_text(const struct kb_locale *loc, const char *lang, int64_t cost, char *buf,
                      size_t cap)
{
    char amount[32];
    if (strcmp(lang, "en") ? kb_fmt_int_id(amount, sizeof amount, cost)
                           : kb_fmt_int_en(amount, sizeof amount, cost))
        snprintf(amount, sizeof amount, "%lld", (long long)cost);
    const char *vars[] = {"amount", amount};
    char *text =
        kb_locale_render_plain(loc, lang, cost > 0 ? "training_cost" : "training_free", vars, 1);
    snprintf(buf, cap, "%s", text ? text : amount);
    free(text);
}

/* The salutation and the name of p, in lang (training_person). */
static void titled_name(const struct kb_locale *loc, const char *lang, const struct kb_person *p,
                        char *buf, size_t cap)
{
    char *sal = kb_locale_render_plain(loc, lang, kb_person_salutation_key(p), NULL, 0);
    const char *vars[] = {"salutation", sal ? sal : "", "name", p->name};
    char *text = kb_locale_render_plain(loc, lang, "training_person", vars, 2);
    snprintf(buf, cap, "%s", text ? text : p->name);
    free(text);
    free(sal);
}

/* The salutation of p alone, in lang. */
static void salutation_of(const struct kb_locale *loc, const char *lang, const struct kb_person *p,
                          char *buf, size_t cap)
{
    char *sal = kb_locale_render_plain(loc, lang, kb_person_salutation_key(p), NULL, 0);
    snprintf(buf, cap, "%s", sal ? sal : "");
    free(sal);
}

/* The language the chat of employee p reads ("id" when they chose none or have no chat). */
static void lang_of(struct kb_store *st, const struct kb_person *p, char lang[8])
{
    snprintf(lang, 8, "id");
    char chosen[8] = "";
    if (p->chat_id && kb_chat_lang_get(st, p->chat_id, chosen, sizeof chosen) == KB_OK && chosen[0])
        snprintf(lang, 8, "%s", chosen);
}

/* A button label: the title, cut short, with a date (training_item). */
static int add_item(struct kb_action_ctx *ctx, struct kb_action_out *out, const char *title,
                    const char *ymd, int64_t value)
{
    char short_title[LABEL_CHARS * 4 + 4], when[64], v[24];
    clip(short_title, sizeof short_title, title, LABEL_CHARS);
    date_text(ctx->loc, ctx->lang, ymd, when, sizeof when);
    const char *vars[] = {"title", short_title, "date", when};
    char *label = kb_action_render_plain(ctx, "training_item", vars, 2);
    snprintf(v, sizeof v, "%lld", (long long)value);
    int rc = label ? kb_action_item(out, label, v) : -1;
    free(label);
    return rc;
}

/* Renders key with {salutation} (the actor's) and vars into an HTML variable. */
static int html_var(struct kb_action_ctx *ctx, struct kb_action_out *out, const char *name,
                    const char *key, const char *const *vars, size_t nvars)
{
    const char *all[2 * 8];
    char sal[32] = "";
    if (ctx->actor)
        salutation_of(ctx->loc, ctx->lang, ctx->actor, sal, sizeof sal);
    size_t n = 0;
    all[2 * n] = "salutation";
    all[2 * n + 1] = sal;
    n++;
    for (size_t i = 0; i < nvars && n < 8; i++, n++) {
        all[2 * n] = vars[2 * i];
        all[2 * n + 1] = vars[2 * i + 1];
    }
    char *text = kb_action_render(ctx, key, all, n);
    int rc = text ? kb_action_html(out, name, text) : -1;
    free(text);
    return rc;
}

/* ---- eligibility --------------------------------------------------------------------------- */

/* The min_grade codes that admit the actor, written "|I/a|...|III/b|" (see
 * kb_trainings_open_for): every PNS rank on the policy's ladder up to the actor's own.
 *
 * - PNS and CPNS: a CPNS already holds the golongan/ruang of the formation (III/a for an S-1),
 *   on the same ladder, so the comparison is the same. Whether a training also requires the
 *   CPNS to have finished Latsar is the organiser's rule, not data we hold.
 * - PPPK: their golongan (I-XVII) is a pay scale of contract staff, not a rank on the PNS
 *   ladder, and no regulation maps one onto the other (IX is not "III/a"). A training whose
 *   minimum is written as a PNS rank was set for PNS, so it is not offered; trainings without a
 *   minimum are. Whether a PPPK may join such a training anyway is BKPSDM's call.
 * - An unknown rank, an unknown kind, or no policy loaded: only trainings without a minimum
 *   (we cannot judge, so we do not offer what might be refused later). */
static void admitted_grades(const struct kb_action_ctx *ctx, char *buf, size_t cap)
{
    snprintf(buf, cap, "|");
    const struct kb_person *a = ctx->actor;
    if (!a || (strcmp(a->asn_kind, "PNS") && strcmp(a->asn_kind, "CPNS")))
        return;
    if (!ctx->policy) {
        KB_WARN("training.no_policy", "employee=%lld", (long long)a->id);
        return;
    }
    int top = kb_policy_rank_index(ctx->policy, a->grade);
    size_t n = 0;
    const struct kb_rank *ranks = kb_policy_ranks(ctx->policy, &n);
    size_t len = 1;
    for (int i = 0; top >= 0 && i <= top && (size_t)i < n; i++) {
        int w = snprintf(buf + len, cap - len, "%s|", ranks[i].code);
        if (w < 0 || (size_t)w >= cap - len) {
            buf[len] = '\0'; /* stop at the last whole code */
            break;
        }
        len += (size_t)w;
    }
}

static int grade_admitted(const char *admitted, const char *min_grade)
{
    if (!min_grade[0])
        return 1;
    char code[24];
    snprintf(code, sizeof code, "|%s|", min_grade);
    return strstr(admitted, code) != NULL;
}

/* Whether the actor may register for the training now: "ok", or why not — "gone" (no such
 * training), "closed" (not buka, or past its deadline), "not_eligible", "already". */
static int availability(struct kb_action_ctx *ctx, int64_t id, struct kb_training *t,
                        const char **why)
{
    int found = 0;
    *why = "gone";
    if (!ctx->actor || id <= 0)
        return 0;
    if (kb_training_get(ctx->st, id, t, &found) != KB_OK)
        return -1;
    if (!found)
        return 0;
    char admitted[256];
    admitted_grades(ctx, admitted, sizeof admitted);
    int64_t live = 0;
    if (kb_registration_live(ctx->st, t->id, ctx->actor->id, &live) != KB_OK)
        return -1;
    if (strcmp(t->status, "buka") || strcmp(t->deadline, ctx->today) < 0)
        *why = "closed";
    else if (live)
        *why = "already";
    else if (!grade_admitted(admitted, t->min_grade))
        *why = "not_eligible";
    else
        *why = "ok";
    return 0;
}

/* Sets {why} for a training that cannot be registered for now, and the result "gone". */
static int not_available(struct kb_action_ctx *ctx, struct kb_action_out *out, const char *why)
{
    char key[48];
    snprintf(key, sizeof key, "training_why_%s", why);
    result(out, "gone");
    return html_var(ctx, out, "why", key, NULL, 0);
}

/* The actor's direct supervisor, when one is recorded (and is not the actor). */
static int supervisor_of(struct kb_action_ctx *ctx, struct kb_person *sup, int *found)
{
    *found = 0;
    if (!ctx->actor->supervisor_id || ctx->actor->supervisor_id == ctx->actor->id)
        return 0;
    return kb_person_by_id(ctx->st, ctx->actor->supervisor_id, sup, found) == KB_OK ? 0 : -1;
}

/* The year of the actor's local date, for "this year's" RPI. */
static int this_year(const struct kb_action_ctx *ctx)
{
    int y = 0;
    return kb_date_parse(ctx->today, &y, NULL, NULL) == 0 ? y : 0;
}

/* ---- pelatihan: the open trainings ------------------------------------------------------- */

/* The trainings the actor may register for, as list items (value: the training id); result
 * "some" or "none". */
static int training_open_list(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    result(out, "none");
    if (!ctx->actor)
        return 0;
    char admitted[256];
    admitted_grades(ctx, admitted, sizeof admitted);
    struct kb_training *ts = calloc(OPEN_MAX, sizeof *ts);
    int n = 0;
    int rc =
        ts ? kb_trainings_open_for(ctx->st, ctx->actor->id, ctx->today, admitted, ts, OPEN_MAX, &n)
           : KB_ERR;
    for (int i = 0; rc == KB_OK && i < n; i++)
        if (add_item(ctx, out, ts[i].title, ts[i].start_date, ts[i].id) != 0)
            rc = KB_ERR;
    free(ts);
    if (rc != KB_OK)
        return -1;
    result(out, n ? "some" : "none");
    return 0;
}

/* The variables of a training's details. */
static int training_vars(struct kb_action_ctx *ctx, struct kb_action_out *out,
                         const struct kb_training *t)
{
    char buf[256], key[64];
    int rc = kb_action_var(out, "title", t->title);
    rc |= kb_action_var(out, "provider", t->provider);
    snprintf(key, sizeof key, "training_form_%s", t->form);
    for (char *p = key; *p; p++)
        if (*p == '-' || *p == ' ')
            *p = '_';
    const char *form_name = kb_locale_text(ctx->loc, ctx->lang, key);
    if (!form_name)
        form_name = kb_locale_text(ctx->loc, "en", key);
    rc |= kb_action_var(out, "form", form_name ? form_name : t->form);
    dates_text(ctx->loc, ctx->lang, t->start_date, t->end_date, buf, sizeof buf);
    rc |= kb_action_var(out, "dates", buf);
    date_text(ctx->loc, ctx->lang, t->start_date, buf, sizeof buf);
    rc |= kb_action_var(out, "start", buf);
    rc |= kb_action_varf(out, "jp", "%d", t->jp);
    rc |= kb_action_varf(out, "quota", "%d", t->quota);
    int left = t->quota - t->seats_held;
    rc |= kb_action_varf(out, "seats_left", "%d", left > 0 ? left : 0);
    date_text(ctx->loc, ctx->lang, t->deadline, buf, sizeof buf);
    rc |= kb_action_var(out, "deadline", buf);
    cost_text(ctx->loc, ctx->lang, t->cost, buf, sizeof buf);
    rc |= kb_action_var(out, "cost", buf);
    if (!t->min_grade[0] || !ctx->policy ||
        kb_policy_rank_format(ctx->policy, t->min_grade, buf, sizeof buf) != 0) {
        char *any =
            t->min_grade[0] ? NULL : kb_action_render_plain(ctx, "training_any_grade", NULL, 0);
        snprintf(buf, sizeof buf, "%s", any ? any : t->min_grade);
        free(any);
    }
    rc |= kb_action_var(out, "min_grade", buf);
    /* Registering now when no seat is left means the waiting list (after approval). */
    rc |= html_var(ctx, out, "seat_note", left > 0 ? "training_seat_free" : "training_seat_waiting",
                   NULL, 0);
    return rc ? -1 : 0;
}

/* answers.training: its details when the actor may still register; "ok" or "gone" ({why}). */
static int training_detail(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_training t;
    const char *why;
    if (availability(ctx, kb_action_answer_i64(ctx, "training"), &t, &why) != 0)
        return -1;
    if (strcmp(why, "ok"))
        return not_available(ctx, out, why);
    result(out, "ok");
    return training_vars(ctx, out, &t);
}

/* The register button pressed: still open to the actor, and is there a supervisor to approve?
 * Results "ok", "no_supervisor", "gone". */
static int training_reg_start(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_training t;
    const char *why;
    if (availability(ctx, kb_action_answer_i64(ctx, "training"), &t, &why) != 0)
        return -1;
    if (strcmp(why, "ok"))
        return not_available(ctx, out, why);
    struct kb_person sup;
    int found = 0;
    if (supervisor_of(ctx, &sup, &found) != 0)
        return -1;
    if (!found) {
        KB_INFO("training.no_supervisor", "employee=%lld", (long long)ctx->actor->id);
        result(out, "no_supervisor");
        return 0;
    }
    char buf[256];
    titled_name(ctx->loc, ctx->lang, &sup, buf, sizeof buf);
    result(out, "ok");
    return kb_action_var(out, "supervisor", buf) == 0 && kb_action_var(out, "title", t.title) == 0
               ? 0
               : -1;
}

/* The actor's open RPI activities of this year as list items, then "no RPI activity" (value
 * 0); result "some" or "none" (no activity to offer: the step is skipped). */
static int training_rpi_options(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    result(out, "none");
    if (!ctx->actor)
        return 0;
    int year = this_year(ctx), n = 0;
    struct kb_rpi_option *os = calloc(OPTIONS_MAX, sizeof *os);
    int rc =
        os ? kb_training_rpi_options(ctx->st, ctx->actor->id, year, os, OPTIONS_MAX, &n) : KB_ERR;
    for (int i = 0; rc == KB_OK && i < n; i++)
        if (add_item(ctx, out, os[i].title, os[i].target_date, os[i].id) != 0)
            rc = KB_ERR;
    free(os);
    if (rc != KB_OK)
        return -1;
    char *none = kb_action_render_plain(ctx, "btn_training_no_rpi", NULL, 0);
    rc = none ? kb_action_item(out, none, "0") : -1;
    free(none);
    if (rc != 0 || kb_action_varf(out, "year", "%d", year) != 0)
        return -1;
    result(out, n ? "some" : "none");
    return 0;
}

/* answers.activity, checked: 0 for none, the activity when it is still an open one of the
 * actor's plan this year; -2 when it no longer is. */
static int64_t chosen_activity(struct kb_action_ctx *ctx, char *title, size_t cap, int *failed)
{
    int64_t id = kb_action_answer_i64(ctx, "activity");
    *failed = 0;
    title[0] = '\0';
    if (id <= 0)
        return 0;
    struct kb_rpi_option o;
    int found = 0;
    if (kb_training_rpi_option(ctx->st, ctx->actor->id, this_year(ctx), id, &o, &found) != KB_OK) {
        *failed = 1;
        return -2;
    }
    if (!found) {
        KB_WARN("training.activity_refused", "employee=%lld activity=%lld",
                (long long)ctx->actor->id, (long long)id);
        return -2;
    }
    snprintf(title, cap, "%s", o.title);
    return id;
}

/* The summary before sending: everything checked again. Results "ok", "gone" ({why}),
 * "no_supervisor". */
static int training_summary(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_training t;
    const char *why;
    if (availability(ctx, kb_action_answer_i64(ctx, "training"), &t, &why) != 0)
        return -1;
    if (strcmp(why, "ok"))
        return not_available(ctx, out, why);
    char activity[KB_TRAINING_TITLE_MAX];
    int failed;
    int64_t act = chosen_activity(ctx, activity, sizeof activity, &failed);
    if (failed)
        return -1;
    if (act == -2)
        return not_available(ctx, out, "activity");
    struct kb_person sup;
    int found = 0;
    if (supervisor_of(ctx, &sup, &found) != 0)
        return -1;
    if (!found) {
        result(out, "no_supervisor");
        return 0;
    }
    char buf[256];
    if (training_vars(ctx, out, &t) != 0)
        return -1;
    if (!act) {
        char *none = kb_action_render_plain(ctx, "training_no_rpi", NULL, 0);
        snprintf(activity, sizeof activity, "%s", none ? none : "-");
        free(none);
    }
    titled_name(ctx->loc, ctx->lang, &sup, buf, sizeof buf);
    int rc = kb_action_var(out, "activity_title", activity) | kb_action_var(out, "supervisor", buf);
    rc |= html_var(
        ctx, out, "queue_note",
        t.quota - t.seats_held > 0 ? "training_summary_seat" : "training_summary_waiting", NULL, 0);
    result(out, "ok");
    return rc ? -1 : 0;
}

/* "title, dates" of a registration in lang. */
static int describe_registration(struct kb_store *st, const struct kb_locale *loc, const char *lang,
                                 int64_t id, char *what, size_t cap)
{
    struct kb_registration r;
    int found = 0;
    if (kb_registration_get(st, id, &r, NULL, 0, &found) != KB_OK)
        return -1;
    if (!found) {
        snprintf(what, cap, "#%lld", (long long)id);
        return 0;
    }
    char dates[128];
    dates_text(loc, lang, r.start_date, r.end_date, dates, sizeof dates);
    const char *vars[] = {"title", r.title, "dates", dates};
    char *text = kb_locale_render_plain(loc, lang, "training_what", vars, 2);
    snprintf(what, cap, "%s", text ? text : r.title);
    free(text);
    return 0;
}

/* The title and the dates of a registration's training, the dates in lang. */
static int title_and_dates(struct kb_store *st, const struct kb_locale *loc, const char *lang,
                           int64_t id, char *title, size_t tcap, char *dates, size_t dcap)
{
    struct kb_registration r;
    int found = 0;
    if (kb_registration_get(st, id, &r, NULL, 0, &found) != KB_OK || !found)
        return -1;
    snprintf(title, tcap, "%s", r.title);
    dates_text(loc, lang, r.start_date, r.end_date, dates, dcap);
    return 0;
}

/* Tells the unit's HR officer that a supervisor without a linked account has a request
 * waiting. *told: whether someone was reached. */
static int tell_hr(struct kb_action_ctx *ctx, int64_t reg_id, const struct kb_person *sup,
                   int *told)
{
    int64_t hr = ctx->actor->unit_hr_id, chat = 0;
    *told = 0;
    if (!hr || hr == ctx->actor->id)
        return 0;
    struct kb_person p;
    int found = 0;
    if (kb_person_by_id(ctx->st, hr, &p, &found) != KB_OK)
        return -1;
    if (!found || !p.chat_id)
        return 0;
    char lang[8], title[KB_TRAINING_TITLE_MAX], dates[128], sal[32];
    lang_of(ctx->st, &p, lang);
    salutation_of(ctx->loc, lang, &p, sal, sizeof sal);
    if (title_and_dates(ctx->st, ctx->loc, lang, reg_id, title, sizeof title, dates,
                        sizeof dates) != 0)
        return -1;
    const char *vars[] = {"salutation",     sal,      "requester", ctx->actor->name, "unit",
                          ctx->actor->unit, "title",  title,       "dates",          dates,
                          "supervisor",     sup->name};
    if (ctx->notify(ctx, hr, "training_note_hr_unlinked", vars, 6, NULL, 0, &chat) != 0)
        return -1;
    *told = chat != 0;
    return 0;
}

/* The send button: the registration (diajukan) and the request to the supervisor. Results "sent",
 * "sent_unlinked" (the supervisor has no account; HR was told), "sent_unlinked_nohr" (nobody
 * could be told), "no_supervisor", "gone" ({why}). */
static int training_register(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_training t;
    const char *why;
    if (availability(ctx, kb_action_answer_i64(ctx, "training"), &t, &why) != 0)
        return -1;
    if (strcmp(why, "ok"))
        return not_available(ctx, out, why);
    const char *reason = kb_action_answer(ctx, "reason");
    if (!*reason) /* the flow asks for it: an empty one means the flow was bypassed */
        return not_available(ctx, out, "gone");
    char activity[KB_TRAINING_TITLE_MAX];
    int failed;
    int64_t act = chosen_activity(ctx, activity, sizeof activity, &failed);
    if (failed)
        return -1;
    if (act == -2)
        return not_available(ctx, out, "activity");
    struct kb_person sup;
    int found = 0;
    if (supervisor_of(ctx, &sup, &found) != 0)
        return -1;
    if (!found) {
        result(out, "no_supervisor");
        return 0;
    }
    int64_t reg = 0, approval = 0;
    int linked = 0;
    if (kb_registration_add(ctx->st, t.id, ctx->actor->id, reason, act, ctx->now, &reg) != KB_OK ||
        kb_approval_request(ctx, &kb_approval_training, reg, sup.id, &approval, &linked) != 0)
        return -1;
    KB_INFO("training.registered", "registration=%lld training=%lld employee=%lld approval=%lld",
            (long long)reg, (long long)t.id, (long long)ctx->actor->id, (long long)approval);
    char buf[256];
    titled_name(ctx->loc, ctx->lang, &sup, buf, sizeof buf);
    if (kb_action_var(out, "supervisor", buf) != 0 || kb_action_var(out, "title", t.title) != 0)
        return -1;
    if (linked) {
        result(out, "sent");
        return 0;
    }
    int told = 0;
    if (tell_hr(ctx, reg, &sup, &told) != 0)
        return -1;
    result(out, told ? "sent_unlinked" : "sent_unlinked_nohr");
    return 0;
}

/* ---- pelatihanku: one's registrations ------------------------------------------------------ */

static int live_status(const char *s)
{
    return !strcmp(s, "diajukan") || !strcmp(s, "disetujui") || !strcmp(s, "diusulkan") ||
           !strcmp(s, "diterima") || !strcmp(s, "daftar_tunggu");
}

/* The status in words with the place on the waiting list, plain (training_status_*); prefix
 * "training_short_" gives the short form for a button. */
static char *status_words(struct kb_action_ctx *ctx, const struct kb_registration *r,
                          const char *prefix)
{
    char key[48], place[16];
    snprintf(key, sizeof key, "%s%s", prefix, r->status);
    snprintf(place, sizeof place, "%d", r->place);
    const char *vars[] = {"place", place};
    return kb_action_render_plain(ctx, key, vars, 1);
}

/* A registration's button: the title, cut short, with its short status (training_my_item). */
static int add_reg_item(struct kb_action_ctx *ctx, struct kb_action_out *out,
                        const struct kb_registration *r)
{
    char short_title[LABEL_CHARS * 4 + 4], v[24];
    clip(short_title, sizeof short_title, r->title, LABEL_CHARS);
    char *status = status_words(ctx, r, "training_short_");
    const char *vars[] = {"title", short_title, "status", status ? status : ""};
    char *label = status ? kb_action_render_plain(ctx, "training_my_item", vars, 2) : NULL;
    snprintf(v, sizeof v, "%lld", (long long)r->id);
    int rc = label ? kb_action_item(out, label, v) : -1;
    free(label);
    free(status);
    return rc;
}

/* The actor's registrations: {regs} (a line each) and list items; "some" or "none". */
static int training_my_regs(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    result(out, "none");
    if (!ctx->actor)
        return 0;
    struct kb_registration *rs = calloc(MINE_MAX, sizeof *rs);
    int n = 0;
    int rc = rs ? kb_registrations_of(ctx->st, ctx->actor->id, rs, MINE_MAX, &n) : KB_ERR;
    size_t cap = KB_ACTION_VAR_MAX + 1, len = 0;
    char *lines = rc == KB_OK ? calloc(1, cap) : NULL;
    if (!lines)
        rc = KB_ERR;
    for (int i = 0; rc == KB_OK && i < n; i++) {
        char dates[128];
        dates_text(ctx->loc, ctx->lang, rs[i].start_date, rs[i].end_date, dates, sizeof dates);
        char *status = status_words(ctx, &rs[i], "training_status_");
        const char *vars[] = {"title", rs[i].title, "dates", dates, "status", status ? status : ""};
        char *line = status ? kb_action_render(ctx, "training_my_line", vars, 3) : NULL;
        if (!line || add_reg_item(ctx, out, &rs[i]) != 0) {
            rc = KB_ERR;
        } else if (len + strlen(line) + 2 < cap) { /* whole lines only; the rest stay buttons */
            len += (size_t)snprintf(lines + len, cap - len, "%s%s", len ? "\n" : "", line);
        }
        free(line);
        free(status);
    }
    if (rc == KB_OK && kb_action_html(out, "regs", lines) != 0)
        rc = KB_ERR;
    free(lines);
    free(rs);
    if (rc != KB_OK)
        return -1;
    result(out, n ? "some" : "none");
    return 0;
}

/* Loads answers.reg when it is the actor's; *ok 0 otherwise (logged). */
static int own_registration(struct kb_action_ctx *ctx, struct kb_registration *r, char *reason,
                            size_t cap, int *ok)
{
    int64_t id = kb_action_answer_i64(ctx, "reg");
    int found = 0;
    *ok = 0;
    if (id <= 0 || !ctx->actor)
        return 0;
    if (kb_registration_get(ctx->st, id, r, reason, cap, &found) != KB_OK)
        return -1;
    if (!found)
        return 0;
    if (kb_access_owner(ctx->actor, r->employee_id) != KB_ACCESS_OK) {
        KB_WARN("training.not_owner", "registration=%lld actor=%lld", (long long)id,
                (long long)ctx->actor->id);
        return 0;
    }
    *ok = 1;
    return 0;
}

/* answers.reg, the actor's: its details; "cancellable", "show" or "gone". */
static int training_my_detail(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_registration r;
    char *reason = malloc(REASON_CAP);
    int ok = 0;
    if (!reason || own_registration(ctx, &r, reason, REASON_CAP, &ok) != 0) {
        free(reason);
        return -1;
    }
    if (!ok) {
        free(reason);
        result(out, "gone");
        return 0;
    }
    char dates[128], buf[TEXT_CAP], ymd[KB_DATE_LEN];
    dates_text(ctx->loc, ctx->lang, r.start_date, r.end_date, dates, sizeof dates);
    char *status = status_words(ctx, &r, "training_status_");
    int rc = status ? 0 : -1;
    rc |= kb_action_var(out, "title", r.title) | kb_action_var(out, "dates", dates);
    rc |= kb_action_var(out, "status", status ? status : "");
    rc |= kb_action_var(out, "reason", reason);
    free(status);
    free(reason);
    if (r.created_at > 0 && kb_local_date(r.created_at, ctx->actor->zone, ymd) == 0) {
        date_text(ctx->loc, ctx->lang, ymd, buf, sizeof buf);
    } else { /* rows HR imported without a time */
        char *unknown = kb_action_render_plain(ctx, "training_unknown_date", NULL, 0);
        snprintf(buf, sizeof buf, "%s", unknown ? unknown : "-");
        free(unknown);
    }
    rc |= kb_action_var(out, "registered_on", buf);
    if (r.activity_id && kb_training_activity_title(ctx->st, ctx->actor->id, r.activity_id, buf,
                                                    sizeof buf) != KB_OK)
        return -1;
    if (!r.activity_id || !buf[0]) {
        char *none = kb_action_render_plain(ctx, "training_no_rpi", NULL, 0);
        snprintf(buf, sizeof buf, "%s", none ? none : "-");
        free(none);
    }
    rc |= kb_action_var(out, "activity_title", buf);

    /* What the status means for the person, and whether they may still cancel. */
    int live = live_status(r.status), started = strcmp(r.start_date, ctx->today) <= 0;
    char key[48];
    snprintf(key, sizeof key, "training_mine_note_%s", r.status);
    if (!strcmp(r.status, "ditolak")) {
        if (kb_registration_rejection(ctx->st, r.id, buf, sizeof buf) != KB_OK)
            return -1;
        const char *vars[] = {"reason", buf};
        rc |= html_var(ctx, out, "note", buf[0] ? key : "training_mine_note_ditolak_noreason", vars,
                       1);
    } else if (live && started) {
        char start[64];
        date_text(ctx->loc, ctx->lang, r.start_date, start, sizeof start);
        const char *vars[] = {"start", start};
        rc |= html_var(ctx, out, "note", "training_mine_note_started", vars, 1);
    } else if (kb_locale_text(ctx->loc, "en", key)) {
        rc |= html_var(ctx, out, "note", key, NULL, 0);
    } else {
        rc |= kb_action_html(out, "note", "");
    }
    result(out, live && !started ? "cancellable" : "show");
    return rc ? -1 : 0;
}

/* Hands the free seats of a training to the waiting list and tells each new holder at once
 * (except skip, told by the caller). *seated_skip: whether skip got one. */
static int hand_on_seats(struct kb_action_ctx *ctx, int64_t training_id, int64_t skip,
                         int *seated_skip, int *given_out)
{
    struct kb_seat_given given[GIVEN_MAX];
    int n = 0;
    *seated_skip = 0;
    if (given_out)
        *given_out = 0;
    if (kb_training_fill_seats(ctx->st, training_id, ctx->now, given, GIVEN_MAX, &n) != KB_OK)
        return -1;
    for (int i = 0; i < n; i++) {
        if (given[i].registration_id == skip) {
            *seated_skip = 1;
            continue;
        }
        if (given_out)
            (*given_out)++;
        struct kb_person p;
        int found = 0;
        if (kb_person_by_id(ctx->st, given[i].employee_id, &p, &found) != KB_OK)
            return -1;
        if (!found)
            continue;
        char lang[8], sal[32], title[KB_TRAINING_TITLE_MAX], dates[128];
        lang_of(ctx->st, &p, lang);
        salutation_of(ctx->loc, lang, &p, sal, sizeof sal);
        if (title_and_dates(ctx->st, ctx->loc, lang, given[i].registration_id, title, sizeof title,
                            dates, sizeof dates) != 0)
            return -1;
        const char *vars[] = {"salutation", sal, "name", p.name, "title", title, "dates", dates};
        int64_t chat = 0;
        if (ctx->notify(ctx, p.id, "training_note_seat_given", vars, 4, NULL, 0, &chat) != 0)
            return -1;
        KB_INFO("training.seat_told", "registration=%lld employee=%lld chat=%lld",
                (long long)given[i].registration_id, (long long)p.id, (long long)chat);
    }
    return 0;
}

/* The confirmed cancel: cancels answers.reg (the actor's), withdraws a waiting request, and hands
 * its seat on. Results "cancelled", "started", "gone". */
static int training_cancel(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_registration r;
    int ok = 0;
    if (own_registration(ctx, &r, NULL, 0, &ok) != 0)
        return -1;
    if (!ok || !live_status(r.status)) {
        result(out, "gone");
        return 0;
    }
    char buf[128];
    int rc = kb_action_var(out, "title", r.title);
    date_text(ctx->loc, ctx->lang, r.start_date, buf, sizeof buf);
    rc |= kb_action_var(out, "start", buf);
    if (rc)
        return -1;
    if (strcmp(r.start_date, ctx->today) <= 0) {
        result(out, "started");
        return 0;
    }
    int changed = 0, had_seat = 0, seated = 0, given = 0;
    if (kb_registration_cancel(ctx->st, r.id, ctx->now, &changed, &had_seat) != KB_OK)
        return -1;
    if (!changed) {
        result(out, "gone");
        return 0;
    }
    if (kb_approval_withdraw(ctx, "training", r.id) != 0)
        return -1;
    if (had_seat && hand_on_seats(ctx, r.training_id, 0, &seated, &given) != 0)
        return -1;
    KB_INFO("training.cancelled", "registration=%lld employee=%lld seat=%d handed_on=%d",
            (long long)r.id, (long long)r.employee_id, had_seat, given);
    const char *key = !strcmp(r.status, "diajukan") ? "training_cancel_withdrawn"
                      : given                       ? "training_cancel_seat_given"
                      : had_seat                    ? "training_cancel_seat_free"
                                                    : "training_cancel_queue";
    result(out, "cancelled");
    return html_var(ctx, out, "cancel_note", key, NULL, 0);
}

const struct kb_action_def kb_actions_trainings[] = {
    {"training_open_list", training_open_list}, {"training_detail", training_detail},
    {"training_reg_start", training_reg_start}, {"training_rpi_options", training_rpi_options},
    {"training_summary", training_summary},     {"training_register", training_register},
    {"training_my_regs", training_my_regs},     {"training_my_detail", training_my_detail},
    {"training_cancel", training_cancel},       {NULL, NULL},
};

/* ---- the approval kind ---------------------------------------------------------------------- */

static int training_describe(struct kb_action_ctx *ctx, int64_t subject_id, char *what, size_t cap)
{
    return describe_registration(ctx->st, ctx->loc, ctx->lang, subject_id, what, cap);
}

/* For the approver: why the employee wants to go. */
static int training_card_detail(struct kb_action_ctx *ctx, int64_t subject_id, char *buf,
                                size_t cap)
{
    struct kb_registration r;
    char reason[512];
    int found = 0;
    buf[0] = '\0';
    if (kb_registration_get(ctx->st, subject_id, &r, reason, sizeof reason, &found) != KB_OK)
        return -1;
    if (!found || !reason[0])
        return 0;
    const char *vars[] = {"reason", reason};
    char *text = kb_action_render_plain(ctx, "training_card_detail", vars, 1);
    snprintf(buf, cap, "%s", text ? text : reason);
    free(text);
    return 0;
}

/* The supervisor decided (ctx->actor is the approver). Approved: the registration joins the
 * waiting list by its registration time and the free seats go to that list in order, so it
 * gets a seat now only when one is free for it; anyone else seated on the way is told too.
 * Rejected: ditolak. The requester is told either way. */
static int training_decided(struct kb_action_ctx *ctx, int64_t subject_id, int64_t requester_id,
                            int approved, const char *reason)
{
    struct kb_registration r;
    int found = 0, changed = 0;
    if (kb_registration_get(ctx->st, subject_id, &r, NULL, 0, &found) != KB_OK)
        return -1;
    if (!found || r.employee_id != requester_id || strcmp(r.status, "diajukan")) {
        KB_WARN("training.decision_stale", "registration=%lld found=%d status=%s",
                (long long)subject_id, found, found ? r.status : "-");
        return 0;
    }
    const char *key;
    int seated = 0;
    if (approved) {
        if (kb_registration_to_queue(ctx->st, r.id, ctx->now, &changed) != KB_OK ||
            hand_on_seats(ctx, r.training_id, r.id, &seated, NULL) != 0)
            return -1;
        key = seated ? "training_note_approved" : "training_note_waiting";
    } else {
        if (kb_registration_reject(ctx->st, r.id, ctx->now, &changed) != KB_OK)
            return -1;
        key = "training_note_rejected";
    }
    /* Read again for the place on the waiting list after the seats were handed on. */
    if (kb_registration_get(ctx->st, r.id, &r, NULL, 0, &found) != KB_OK || !found)
        return -1;
    KB_INFO("training.decided", "registration=%lld approved=%d status=%s place=%d", (long long)r.id,
            approved, r.status, r.place);
    struct kb_person req;
    if (kb_person_by_id(ctx->st, requester_id, &req, &found) != KB_OK)
        return -1;
    if (!found)
        return 0;
    char lang[8], sal[32], approver[256] = "", title[KB_TRAINING_TITLE_MAX], dates[128], place[16];
    lang_of(ctx->st, &req, lang);
    salutation_of(ctx->loc, lang, &req, sal, sizeof sal);
    if (ctx->actor)
        titled_name(ctx->loc, lang, ctx->actor, approver, sizeof approver);
    if (title_and_dates(ctx->st, ctx->loc, lang, r.id, title, sizeof title, dates, sizeof dates) !=
        0)
        return -1;
    snprintf(place, sizeof place, "%d", r.place);
    const char *vars[] = {
        "salutation", sal,     "name", req.name, "approver", approver, "title",
        title,        "dates", dates,  "place",  place,      "reason", reason ? reason : ""};
    int64_t chat = 0;
    if (ctx->notify(ctx, req.id, key, vars, 7, NULL, 0, &chat) != 0)
        return -1;
    if (!chat)
        KB_INFO("training.requester_unlinked", "registration=%lld employee=%lld", (long long)r.id,
                (long long)req.id);
    return 0;
}

const struct kb_approval_kind kb_approval_training = {
    .kind = "training",
    .describe = training_describe,
    .decided = training_decided,
    .detail = training_card_detail,
};
