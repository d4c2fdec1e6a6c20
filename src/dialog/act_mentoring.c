/* act_mentoring: the named actions of the mentoring flows — /mentor (ask for a mentor, or for
 * coaching by the atasan langsung) and /sesimentor (log a session of an active pair) — and the
 * approval kind "mentor" through which the mentor (or, for coaching, the supervisor) accepts or
 * declines a request.
 *
 * Every id a flow hands back (a mentor chosen from the list, a pair) came from the person's own
 * buttons: it is checked again here, against the database and access.h, before anything is
 * shown or written.
 *
 * Capacity: a mentor's capacity counts active mentoring pairs. karirbot proposes only mentors
 * with a free place, checks again when the request is sent, and once more when the mentor
 * accepts. If the mentor became full meanwhile (another mentee accepted first), the acceptance
 * stays recorded in `approvals` as the mentor's will, but the request becomes 'dibatalkan'
 * rather than an active pair over capacity: the mentor is told why (and that BKPSDM can raise
 * the capacity), the mentee is told and offered another mentor. Coaching takes no place: it is
 * the supervisor's everyday role.
 *
 * Sessions: each pair keeps one RPI activity per year in the mentee's plan (source
 * 'mentoring', source_id the request, form the pair's kind — 'mentoring' or 'coaching', both
 * development forms of the policy) whose jp_planned is the year's minutes divided by the
 * policy's minutes per JP, rounded down. */
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
#include "karirbot/mentoring.h"
#include "karirbot/policy.h"

#define SESSION_MIN 15 /* minutes of one session, as the flow's validator asks */
#define SESSION_MAX 480
#define LABEL_MAX   128 /* bytes of a list button's label (struct kb_action_out) */
#define TITLE_MAX   200 /* a salutation and a name */

/* ---- small helpers ------------------------------------------------------------------------- */

static int result(struct kb_action_out *out, const char *word)
{
    snprintf(out->result, sizeof out->result, "%s", word);
    return 0;
}

/* Copies src into dst[0..cap), cut at a UTF-8 character boundary when it does not fit. */
static void utf8_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int add_item(struct kb_action_out *out, const char *label, const char *value)
{
    char cut[LABEL_MAX];
    utf8_copy(cut, sizeof cut, label);
    return kb_action_item(out, cut, value);
}

/* The language of the employee's chat ("id" when not linked or never chosen). */
static void lang_of(struct kb_action_ctx *ctx, const struct kb_person *p, char lang[8])
{
    lang[0] = '\0';
    if (p->chat_id && kb_chat_lang_get(ctx->st, p->chat_id, lang, 8) != KB_OK)
        lang[0] = '\0';
    if (!lang[0])
        snprintf(lang, 8, "id");
}

/* The salutation the NIP gives (in lang), then the name. */
static void title_of(struct kb_action_ctx *ctx, const char *lang, const struct kb_person *p,
                     char *buf, size_t cap)
{
    const char *key = kb_person_salutation_key(p);
    char *sal =
        strcmp(key, "sal_unknown") ? kb_locale_render_plain(ctx->loc, lang, key, NULL, 0) : NULL;
    if (sal && *sal)
        snprintf(buf, cap, "%s %s", sal, p->name);
    else
        snprintf(buf, cap, "%s", p->name);
    free(sal);
}

/* The salutation alone, in lang (the unknown one when the NIP gives none). Caller frees. */
static char *salutation_of(struct kb_action_ctx *ctx, const char *lang, const struct kb_person *p)
{
    return kb_locale_render_plain(ctx->loc, lang, kb_person_salutation_key(p), NULL, 0);
}

static void int_text(const char *lang, int64_t v, char *buf, size_t cap)
{
    if ((!strcmp(lang, "en") ? kb_fmt_int_en(buf, cap, v) : kb_fmt_int_id(buf, cap, v)) != 0)
        snprintf(buf, cap, "%lld", (long long)v);
}

static void date_text(struct kb_action_ctx *ctx, const char *lang, const char *ymd, char *buf,
                      size_t cap)
{
    if (kb_locale_date(ctx->loc, lang, ymd, buf, cap) != 0)
        snprintf(buf, cap, "%s", ymd);
}

/* Renders key in the actor's language (variables escaped, and {salutation} the actor's) into an
 * HTML action variable. */
static int html_from_key(struct kb_action_ctx *ctx, struct kb_action_out *out, const char *name,
                         const char *key, const char *const *vars, size_t nvars)
{
    char *sal = ctx->actor ? kb_locale_render_plain(ctx->loc, ctx->lang,
                                                    kb_person_salutation_key(ctx->actor), NULL, 0)
                           : NULL;
    const char *all[2 * 12] = {"salutation", sal ? sal : ""};
    size_t n = 1;
    for (size_t i = 0; i < nvars && n < 12; i++, n++) {
        all[2 * n] = vars[2 * i];
        all[2 * n + 1] = vars[2 * i + 1];
    }
    char *text = kb_action_render(ctx, key, all, n);
    int rc = text ? kb_action_html(out, name, text) : -1;
    free(text);
    free(sal);
    return rc;
}

/* Renders key as plain text in lang into a plain action variable. */
static int var_from_key(struct kb_action_ctx *ctx, struct kb_action_out *out, const char *name,
                        const char *lang, const char *key)
{
    char *text = kb_locale_render_plain(ctx->loc, lang, key, NULL, 0);
    int rc = text ? kb_action_var(out, name, text) : -1;
    free(text);
    return rc;
}

static const char *kind_key(const char *kind)
{
    return !strcmp(kind, "coaching") ? "mentor_kind_coaching" : "mentor_kind_mentoring";
}

/* The employee, or *found 0. Returns 0 or -1. */
static int person(struct kb_action_ctx *ctx, int64_t id, struct kb_person *p, int *found)
{
    *found = 0;
    if (id <= 0)
        return 0;
    return kb_person_by_id(ctx->st, id, p, found) == KB_OK ? 0 : -1;
}

/* Sends key to the employee (rendered in their language) with {salutation} and {name} (theirs)
 * and the pairs of vars. *chat: their chat, 0 when not linked. */
static int tell(struct kb_action_ctx *ctx, const struct kb_person *to, const char *key,
                const char *const *vars, size_t nvars, const struct kb_note_button *buttons,
                size_t nbuttons, int64_t *chat)
{
    char lang[8];
    lang_of(ctx, to, lang);
    char *sal = salutation_of(ctx, lang, to);
    const char *all[2 * 10] = {"salutation", sal ? sal : "", "name", to->name};
    size_t n = 2;
    for (size_t i = 0; i < nvars && n < 10; i++, n++) {
        all[2 * n] = vars[2 * i];
        all[2 * n + 1] = vars[2 * i + 1];
    }
    int rc = ctx->notify(ctx, to->id, key, all, n, buttons, nbuttons, chat);
    free(sal);
    return rc;
}

/* ---- who may be asked ---------------------------------------------------------------------- */

enum verdict { V_OK, V_FULL, V_BOUND, V_GONE };

/* Whether the actor may ask mentor_id for mentoring in area now. */
static int check_mentor(struct kb_action_ctx *ctx, const char *area, int64_t mentor_id,
                        struct kb_mentor_candidate *c, enum verdict *v)
{
    int found = 0;
    int64_t open = 0;
    *v = V_GONE;
    if (!ctx->actor || mentor_id <= 0 || mentor_id == ctx->actor->id || !*area)
        return 0;
    if (kb_mentor_get(ctx->st, mentor_id, area, c, &found) != KB_OK ||
        kb_mentor_open_between(ctx->st, ctx->actor->id, mentor_id, "mentoring", &open) != KB_OK)
        return -1;
    *v = !found ? V_GONE : open ? V_BOUND : c->active >= c->capacity ? V_FULL : V_OK;
    return 0;
}

/* Whether the actor may ask their atasan langsung (*sup) for coaching now. */
static int check_coach(struct kb_action_ctx *ctx, struct kb_person *sup, enum verdict *v)
{
    int found = 0;
    int64_t open = 0;
    *v = V_GONE;
    if (!ctx->actor || person(ctx, ctx->actor->supervisor_id, sup, &found) != 0)
        return ctx->actor ? -1 : 0;
    if (!found || sup->id == ctx->actor->id)
        return 0;
    if (kb_mentor_open_between(ctx->st, ctx->actor->id, sup->id, "coaching", &open) != KB_OK)
        return -1;
    *v = open ? V_BOUND : V_OK;
    return 0;
}

/* ---- /mentor --------------------------------------------------------------------------------- */

/* The areas offered by mentors other than the actor, as list items. */
static int mentor_areas(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor)
        return result(out, "none");
    char(*areas)[KB_MENTOR_AREA_MAX] = calloc(KB_ACTION_ITEMS_MAX, sizeof *areas);
    int n = 0;
    if (!areas ||
        kb_mentor_areas(ctx->st, ctx->actor->id, areas, KB_ACTION_ITEMS_MAX, &n) != KB_OK) {
        free(areas);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = add_item(out, areas[i], areas[i]);
    free(areas);
    return rc ? -1 : result(out, n ? "some" : "none");
}

/* What the search for answers.area found, as the HTML variable {match_text}; the result word is
 * some, full_one, full, paired or none. */
static int mentor_match(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *area = kb_action_answer(ctx, "area");
    if (!ctx->actor)
        return result(out, "none");
    int total = 0, paired = 0, free_places = 0;
    if (kb_mentor_area_counts(ctx->st, area, ctx->actor->id, &total, &paired, &free_places) !=
        KB_OK)
        return -1;
    const char *word = free_places           ? "some"
                       : !total              ? "none"
                       : paired == total     ? "paired"
                       : total - paired == 1 ? "full_one"
                                             : "full";
    char count[24], who[TITLE_MAX] = "";
    int_text(ctx->lang, free_places ? free_places : total - paired, count, sizeof count);
    if (!strcmp(word, "full_one")) { /* name the one mentor who has no place now */
        struct kb_mentor_candidate c;
        struct kb_person p;
        int n = 0, found = 0;
        if (kb_mentor_full(ctx->st, area, ctx->actor->id, &c, 1, &n) != KB_OK ||
            (n && person(ctx, c.id, &p, &found) != 0))
            return -1;
        if (found)
            title_of(ctx, ctx->lang, &p, who, sizeof who);
    }
    char key[40];
    snprintf(key, sizeof key, "mentor_match_%s", word);
    const char *vars[] = {"area", area, "count", count, "mentor", who};
    if (html_from_key(ctx, out, "match_text", key, vars, 3) != 0)
        return -1;
    return result(out, word);
}

/* The mentors to choose from; when nobody has a place, the one item offers coaching by the
 * atasan langsung instead (when one is recorded). */
static int mentor_candidates(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor)
        return result(out, "none");
    struct kb_mentor_candidate *c = calloc(KB_ACTION_ITEMS_MAX, sizeof *c);
    int n = 0, rc = 0;
    if (!c || kb_mentor_match(ctx->st, kb_action_answer(ctx, "area"), ctx->actor->id, c,
                              KB_ACTION_ITEMS_MAX, &n) != KB_OK) {
        free(c);
        return -1;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        char value[24];
        snprintf(value, sizeof value, "%lld", (long long)c[i].id);
        const char *vars[] = {"name", c[i].name, "position", c[i].position, "unit", c[i].unit};
        char *label = kb_action_render_plain(ctx, "mentor_candidate_label", vars, 3);
        rc = label ? add_item(out, label, value) : -1;
        free(label);
    }
    free(c);
    if (rc == 0 && n == 0 && ctx->actor->supervisor_id) { /* coaching needs a supervisor */
        char *label = kb_action_render_plain(ctx, "btn_mentor_try_coaching", NULL, 0);
        rc = label ? add_item(out, label, "coaching") : -1;
        free(label);
    }
    return rc ? -1 : result(out, n ? "some" : "none");
}

/* The person the request would go to: the atasan langsung for coaching, else the mentor in
 * answers.mentor if they offer answers.area (whether they have a place is checked when
 * sending). *found 0: nobody to show. */
static int chosen(struct kb_action_ctx *ctx, int coaching, struct kb_person *p, int *found)
{
    *found = 0;
    if (!ctx->actor)
        return 0;
    if (coaching)
        return person(ctx, ctx->actor->supervisor_id, p, found);
    struct kb_mentor_candidate c;
    enum verdict v;
    if (check_mentor(ctx, kb_action_answer(ctx, "area"), kb_action_answer_i64(ctx, "mentor"), &c,
                     &v) != 0)
        return -1;
    return v == V_GONE ? 0 : person(ctx, c.id, p, found);
}

/* After a choice in the mentor list (entering the topic question): the chosen mentor as {who},
 * or, when coaching was chosen instead, the atasan langsung (answers.kind follows the choice).
 * The choice is checked again when the request is sent. */
static int mentor_picked(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    int coaching = !strcmp(kb_action_answer(ctx, "mentor"), "coaching");
    cJSON_DeleteItemFromObjectCaseSensitive(ctx->answers, "kind");
    cJSON_AddStringToObject(ctx->answers, "kind", coaching ? "coaching" : "mentoring");
    struct kb_person p;
    int found = 0;
    if (chosen(ctx, coaching, &p, &found) != 0)
        return -1;
    char who[TITLE_MAX] = "";
    if (found)
        title_of(ctx, ctx->lang, &p, who, sizeof who);
    if (kb_action_var(out, "who", who) != 0)
        return -1;
    return result(out, found ? (coaching ? "coaching" : "ok") : "gone");
}

/* Before coaching: the atasan langsung ({coach}), or why not (none: no supervisor recorded;
 * open: a coaching request or pair with them already exists). */
static int coach_supervisor(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_person sup;
    enum verdict v;
    if (check_coach(ctx, &sup, &v) != 0)
        return -1;
    if (v == V_GONE)
        return result(out, "none");
    char who[TITLE_MAX];
    title_of(ctx, ctx->lang, &sup, who, sizeof who);
    if (kb_action_var(out, "coach", who) != 0)
        return -1;
    return result(out, v == V_OK ? "ok" : "open");
}

/* The summary before sending: {kind_label}, {who_line} (the mentor or coach, with position and
 * unit). */
static int mentor_summary(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *kind = kb_action_answer(ctx, "kind");
    struct kb_person p;
    int found = 0;
    if (chosen(ctx, !strcmp(kind, "coaching"), &p, &found) != 0)
        return -1;
    char who[TITLE_MAX] = "";
    if (found)
        title_of(ctx, ctx->lang, &p, who, sizeof who);
    const char *vars[] = {
        "who", who, "position", found ? p.position : "", "unit", found ? p.unit : ""};
    if (var_from_key(ctx, out, "kind_label", ctx->lang, kind_key(kind)) != 0 ||
        html_from_key(ctx, out, "who_line",
                      !strcmp(kind, "coaching") ? "mentor_summary_coach" : "mentor_summary_mentor",
                      vars, 3) != 0)
        return -1;
    return result(out, found ? "ok" : "gone");
}

/* Asks HR of the (unlinked) decider's unit to help them link. Returns 0 and *told. */
static int ask_hr(struct kb_action_ctx *ctx, const struct kb_person *decider, const char *kind,
                  int *told)
{
    int64_t chat = 0;
    struct kb_person hr;
    int found = 0;
    *told = 0;
    if (person(ctx, decider->unit_hr_id, &hr, &found) != 0)
        return -1;
    if (!found || hr.id == decider->id)
        return 0;
    char lang[8];
    lang_of(ctx, &hr, lang);
    char *kind_label = kb_locale_render_plain(ctx->loc, lang, kind_key(kind), NULL, 0);
    const char *vars[] = {
        "decider",   decider->name,    "decider_nip", decider->nip,
        "requester", ctx->actor->name, "kind_label",  kind_label ? kind_label : ""};
    int rc = tell(ctx, &hr, "mentor_hr_help", vars, 4, NULL, 0, &chat);
    free(kind_label);
    *told = chat != 0;
    return rc;
}

/* Sends the request: checks everything again, records it, asks the mentor (or the coach) on a
 * card, informs the supervisor of a mentoring request, and asks HR for help when the decider
 * has no linked account. Results: sent_mentoring, sent_coaching, sent_unlinked, sent_nohr,
 * full, open, no_coach, gone. */
static int mentor_submit(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *kind = kb_action_answer(ctx, "kind");
    const char *area = kb_action_answer(ctx, "area");
    const char *topic = kb_action_answer(ctx, "topic");
    int coaching = !strcmp(kind, "coaching");
    if (!ctx->actor || (!coaching && strcmp(kind, "mentoring")) || !*area || !*topic ||
        strlen(area) >= KB_MENTOR_TEXT_MAX || strlen(topic) >= KB_MENTOR_TEXT_MAX)
        return result(out, "gone");
    struct kb_person decider;
    enum verdict v;
    int found = 0;
    if (coaching) {
        if (check_coach(ctx, &decider, &v) != 0)
            return -1;
        if (v != V_OK)
            return result(out, v == V_BOUND ? "open" : "no_coach");
    } else {
        struct kb_mentor_candidate c;
        if (check_mentor(ctx, area, kb_action_answer_i64(ctx, "mentor"), &c, &v) != 0)
            return -1;
        if (v != V_OK)
            return result(out, v == V_FULL ? "full" : v == V_BOUND ? "open" : "gone");
        if (person(ctx, c.id, &decider, &found) != 0)
            return -1;
        if (!found)
            return result(out, "gone");
    }
    int64_t request = 0, approval = 0;
    int linked = 0;
    if (kb_mentor_request_insert(ctx->st, ctx->actor->id, decider.id, kind, area, topic, ctx->now,
                                 &request) != KB_OK ||
        kb_approval_request(ctx, &kb_approval_mentor, request, decider.id, &approval, &linked) != 0)
        return -1;
    KB_INFO("mentor.requested", "request=%lld kind=%s mentee=%lld mentor=%lld linked=%d",
            (long long)request, kind, (long long)ctx->actor->id, (long long)decider.id, linked);

    char who[TITLE_MAX], sup_title[TITLE_MAX] = "";
    title_of(ctx, ctx->lang, &decider, who, sizeof who);
    if (kb_action_var(out, "mentor", who) != 0 ||
        var_from_key(ctx, out, "kind_label", ctx->lang, kind_key(kind)) != 0)
        return -1;

    /* The supervisor hears of a mentoring request (for coaching they are the one asked). */
    struct kb_person sup;
    int64_t sup_chat = 0;
    if (!coaching && person(ctx, ctx->actor->supervisor_id, &sup, &found) != 0)
        return -1;
    if (!coaching && found && sup.id != decider.id && sup.id != ctx->actor->id) {
        char lang[8], mentee[TITLE_MAX], mentor[TITLE_MAX];
        lang_of(ctx, &sup, lang);
        title_of(ctx, lang, ctx->actor, mentee, sizeof mentee);
        title_of(ctx, lang, &decider, mentor, sizeof mentor);
        const char *vars[] = {"mentee", mentee, "mentor", mentor, "area", area, "topic", topic};
        if (tell(ctx, &sup, "mentor_supervisor_info", vars, 4, NULL, 0, &sup_chat) != 0)
            return -1;
        if (sup_chat)
            title_of(ctx, ctx->lang, &sup, sup_title, sizeof sup_title);
    }
    const char *note_vars[] = {"supervisor", sup_title};
    if ((sup_chat ? html_from_key(ctx, out, "supervisor_note", "mentor_sent_supervisor_note",
                                  note_vars, 1)
                  : kb_action_html(out, "supervisor_note", "")) != 0)
        return -1;

    if (!linked) {
        int told = 0;
        if (ask_hr(ctx, &decider, kind, &told) != 0)
            return -1;
        return result(out, told ? "sent_unlinked" : "sent_nohr");
    }
    return result(out, coaching ? "sent_coaching" : "sent_mentoring");
}

/* ---- the approval kind "mentor" ------------------------------------------------------------- */

static int mentor_describe(struct kb_action_ctx *ctx, int64_t subject_id, char *what, size_t cap)
{
    struct kb_mentor_request *r = malloc(sizeof *r);
    int found = 0;
    if (!r || kb_mentor_request_get(ctx->st, subject_id, r, &found) != KB_OK) {
        free(r);
        return -1;
    }
    if (!found) {
        snprintf(what, cap, "#%lld", (long long)subject_id);
        free(r);
        return 0;
    }
    const char *vars[] = {"area", r->area, "topic", r->topic};
    char *text = kb_locale_render_plain(
        ctx->loc, ctx->lang,
        !strcmp(r->kind, "coaching") ? "mentor_what_coaching" : "mentor_what_mentoring", vars, 2);
    if (text)
        utf8_copy(what, cap, text);
    free(text);
    free(r);
    return text ? 0 : -1;
}

/* For the mentor (or coach) deciding: the requester's position and, for mentoring, how many
 * mentees they guide now against their capacity. */
static int mentor_card_detail(struct kb_action_ctx *ctx, int64_t subject_id, char *buf, size_t cap)
{
    struct kb_mentor_request *r = malloc(sizeof *r);
    struct kb_person mentee;
    struct kb_mentor_candidate c = {0};
    int found = 0, is_mentor = 0, rc = -1;
    buf[0] = '\0';
    if (!r || kb_mentor_request_get(ctx->st, subject_id, r, &found) != KB_OK)
        goto out;
    rc = 0;
    if (!found || person(ctx, r->mentee_id, &mentee, &found) != 0 || !found)
        goto out;
    int coaching = !strcmp(r->kind, "coaching");
    if (!coaching && kb_mentor_get(ctx->st, r->mentor_id, NULL, &c, &is_mentor) != KB_OK) {
        rc = -1;
        goto out;
    }
    char active[24], capacity[24];
    int_text(ctx->lang, c.active, active, sizeof active);
    int_text(ctx->lang, c.capacity, capacity, sizeof capacity);
    const char *vars[] = {"position", mentee.position, "active", active, "capacity", capacity};
    const char *key = coaching || !is_mentor   ? "mentor_card_detail_coaching"
                      : c.active >= c.capacity ? "mentor_card_detail_full"
                                               : "mentor_card_detail_mentoring";
    char *text = kb_action_render_plain(ctx, key, vars, 3);
    if (text)
        utf8_copy(buf, cap, text);
    rc = text ? 0 : -1;
    free(text);
out:
    free(r);
    return rc;
}

/* The mentee's button to look for (another) mentor. */
static const struct kb_note_button choose_again[] = {{"btn_mentor_choose_other", "mentor", "0"}};

static int mentor_decided(struct kb_action_ctx *ctx, int64_t subject_id, int64_t requester_id,
                          int approved, const char *reason)
{
    struct kb_mentor_request *r = malloc(sizeof *r);
    int found = 0, rc = -1;
    if (!r || kb_mentor_request_get(ctx->st, subject_id, r, &found) != KB_OK)
        goto out;
    if (!found || r->mentee_id != requester_id) {
        KB_ERROR("mentor.decided_unknown", "request=%lld", (long long)subject_id);
        goto out;
    }
    /* The core checked the approver of the approvals row; the request itself must still be
     * waiting for this very mentor. */
    if (kb_access_mentor_decision(ctx->actor, r->mentor_id, r->status) != KB_ACCESS_OK) {
        KB_ERROR("mentor.decided_refused", "request=%lld status=%s actor=%lld", (long long)r->id,
                 r->status, (long long)(ctx->actor ? ctx->actor->id : 0));
        goto out;
    }
    struct kb_person mentee;
    if (person(ctx, r->mentee_id, &mentee, &found) != 0 || !found)
        goto out;
    int coaching = !strcmp(r->kind, "coaching");
    int full = 0;
    struct kb_mentor_candidate c = {0};
    if (approved && !coaching) {
        if (kb_mentor_get(ctx->st, r->mentor_id, NULL, &c, &found) != KB_OK)
            goto out;
        full = !found || c.active >= c.capacity;
    }
    const char *status = !approved ? "ditolak" : full ? "dibatalkan" : "diterima";
    int changed = 0;
    if (kb_mentor_request_decide(ctx->st, r->id, status, approved ? NULL : reason,
                                 approved && !full ? ctx->today : NULL, ctx->now,
                                 &changed) != KB_OK ||
        !changed)
        goto out;
    KB_INFO("mentor.decided", "request=%lld status=%s mentor=%lld", (long long)r->id, status,
            (long long)r->mentor_id);

    char lang[8], mentor[TITLE_MAX];
    lang_of(ctx, &mentee, lang);
    title_of(ctx, lang, ctx->actor, mentor, sizeof mentor);
    const char *vars[] = {"mentor", mentor, "area", r->area, "reason", reason ? reason : ""};
    int64_t chat = 0;
    if (full) {
        char capacity[24], mentee_title[TITLE_MAX];
        int_text(ctx->lang, c.capacity, capacity, sizeof capacity);
        title_of(ctx, ctx->lang, &mentee, mentee_title, sizeof mentee_title);
        const char *mvars[] = {"mentee", mentee_title, "capacity", capacity, "area", r->area};
        rc = tell(ctx, &mentee, "mentor_full_mentee", vars, 2, choose_again, 1, &chat) == 0 &&
                     tell(ctx, ctx->actor, "mentor_full_mentor", mvars, 3, NULL, 0, &chat) == 0
                 ? 0
                 : -1;
    } else if (approved) {
        rc = tell(ctx, &mentee, coaching ? "coach_accepted_mentee" : "mentor_accepted_mentee", vars,
                  2, NULL, 0, &chat);
    } else {
        rc = tell(ctx, &mentee, coaching ? "coach_declined_mentee" : "mentor_declined_mentee", vars,
                  3, choose_again, 1, &chat);
    }
out:
    free(r);
    return rc;
}

const struct kb_approval_kind kb_approval_mentor = {
    .kind = "mentor",
    .describe = mentor_describe,
    .decided = mentor_decided,
    .detail = mentor_card_detail,
};

/* ---- /sesimentor -------------------------------------------------------------------------- */

/* The pair in answers.pair, checked: 1 and *r when the actor may log its sessions; else the
 * result word ("denied" or "gone") is set and 0 returned. -1 on a store error. */
static int open_pair(struct kb_action_ctx *ctx, struct kb_action_out *out,
                     struct kb_mentor_request *r)
{
    int found = 0;
    int64_t id = kb_action_answer_i64(ctx, "pair");
    if (id > 0 && kb_mentor_request_get(ctx->st, id, r, &found) != KB_OK)
        return -1;
    int access = found ? kb_access_mentor_pair(ctx->actor, r->mentee_id, r->mentor_id, r->status)
                       : KB_ACCESS_GONE;
    if (access == KB_ACCESS_DENIED) {
        KB_WARN("mentor.pair_denied", "pair=%lld actor=%lld", (long long)id,
                (long long)(ctx->actor ? ctx->actor->id : 0));
        result(out, "denied");
        return 0;
    }
    if (access != KB_ACCESS_OK) {
        result(out, "gone");
        return 0;
    }
    return 1;
}

static int mentor_pairs_status(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor)
        return result(out, "none");
    struct kb_mentor_request *r = malloc(sizeof *r);
    int n = 0;
    int rc = r ? kb_mentor_pairs_of(ctx->st, ctx->actor->id, r, 1, &n) : KB_ERR;
    free(r);
    return rc != KB_OK ? -1 : result(out, n ? "some" : "none");
}

/* The actor's active pairs, as mentee or as mentor. */
static int mentor_pairs(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor)
        return result(out, "none");
    struct kb_mentor_request *rows = calloc(KB_ACTION_ITEMS_MAX, sizeof *rows);
    int n = 0, rc = 0;
    if (!rows ||
        kb_mentor_pairs_of(ctx->st, ctx->actor->id, rows, KB_ACTION_ITEMS_MAX, &n) != KB_OK) {
        free(rows);
        return -1;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        int as_mentee = rows[i].mentee_id == ctx->actor->id;
        char *kind = kb_action_render_plain(ctx, kind_key(rows[i].kind), NULL, 0);
        const char *vars[] = {"kind_label", kind ? kind : "",
                              "other",      as_mentee ? rows[i].mentor_name : rows[i].mentee_name,
                              "area",       rows[i].area};
        char *label = kb_action_render_plain(
            ctx, as_mentee ? "sesi_pair_as_mentee" : "sesi_pair_as_mentor", vars, 3);
        char value[24];
        snprintf(value, sizeof value, "%lld", (long long)rows[i].id);
        rc = kind && label ? add_item(out, label, value) : -1;
        free(kind);
        free(label);
    }
    free(rows);
    return rc ? -1 : result(out, n ? "some" : "none");
}

/* Sets the variables describing a pair: {partner}, {kind_label}, {area}, {since_note},
 * {count}, {minutes}. */
static int pair_vars(struct kb_action_ctx *ctx, struct kb_action_out *out,
                     const struct kb_mentor_request *r)
{
    struct kb_person other;
    int found = 0;
    int as_mentee = r->mentee_id == ctx->actor->id;
    if (person(ctx, as_mentee ? r->mentor_id : r->mentee_id, &other, &found) != 0)
        return -1;
    char who[TITLE_MAX], since[64] = "", count[24], minutes[24];
    if (found)
        title_of(ctx, ctx->lang, &other, who, sizeof who);
    else
        snprintf(who, sizeof who, "%s", as_mentee ? r->mentor_name : r->mentee_name);
    int n = 0, total = 0;
    int64_t sum = 0;
    struct kb_mentor_session none;
    if (kb_mentor_sessions(ctx->st, r->id, &none, 0, &n, &total, &sum) != KB_OK)
        return -1;
    int_text(ctx->lang, total, count, sizeof count);
    int_text(ctx->lang, sum, minutes, sizeof minutes);
    if (r->accepted_on[0])
        date_text(ctx, ctx->lang, r->accepted_on, since, sizeof since);
    const char *since_vars[] = {"since", since};
    const char *count_vars[] = {"count", count, "total_minutes", minutes};
    if (kb_action_var(out, "partner", who) != 0 ||
        var_from_key(ctx, out, "kind_label", ctx->lang, kind_key(r->kind)) != 0 ||
        kb_action_var(out, "area", r->area) != 0 ||
        html_from_key(ctx, out, "count_note", total ? "sesi_count_some" : "sesi_count_none",
                      count_vars, 2) != 0 ||
        (since[0] ? html_from_key(ctx, out, "since_note", "sesi_since", since_vars, 1)
                  : kb_action_html(out, "since_note", "")) != 0)
        return -1;
    return 0;
}

/* Entering the first question about a session: the pair's variables. A pair that is not the
 * actor's (or no longer active) shows nothing of it; saving refuses it. */
static int sesi_pair_open(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_mentor_request *r = malloc(sizeof *r);
    int rc = r ? open_pair(ctx, out, r) : -1;
    if (rc == 1)
        rc = pair_vars(ctx, out, r) == 0 ? result(out, "ok") : -1;
    else if (rc == 0) {
        static const char *const names[] = {"partner", "kind_label", "area", "count_note",
                                            "since_note"};
        for (size_t i = 0; i < sizeof names / sizeof names[0] && rc == 0; i++)
            rc = kb_action_var(out, names[i], "");
    }
    free(r);
    return rc < 0 ? -1 : 0;
}

/* The session date in answers.held_on against today and the day the pair began: ok, future,
 * early (with {since}). */
static int date_verdict(struct kb_action_ctx *ctx, struct kb_action_out *out,
                        const struct kb_mentor_request *r, const char **word)
{
    const char *held_on = kb_action_answer(ctx, "held_on");
    *word = "ok";
    if (kb_date_parse(held_on, NULL, NULL, NULL) != 0)
        *word = "gone";
    else if (strcmp(held_on, ctx->today) > 0)
        *word = "future";
    else if (r->accepted_on[0] && strcmp(held_on, r->accepted_on) < 0)
        *word = "early";
    if (!strcmp(*word, "early")) {
        char since[64];
        date_text(ctx, ctx->lang, r->accepted_on, since, sizeof since);
        return kb_action_var(out, "since", since);
    }
    return 0;
}

/* After the date question: ok, future, early (with {since}), or the pair's refusal. */
static int sesi_check_date(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_mentor_request *r = malloc(sizeof *r);
    const char *word = "gone";
    int rc = r ? open_pair(ctx, out, r) : -1;
    if (rc == 1)
        rc = date_verdict(ctx, out, r, &word) == 0 ? result(out, word) : -1;
    free(r);
    return rc < 0 ? -1 : 0;
}

/* Before saving: the typed date as people read it ({held_on_text}). */
static int sesi_summary(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    char date[64];
    date_text(ctx, ctx->lang, kb_action_answer(ctx, "held_on"), date, sizeof date);
    return kb_action_var(out, "held_on_text", date) == 0 ? result(out, "ok") : -1;
}

/* Records the session, keeps the pair's RPI activity of that year, and shows the pair's
 * sessions and totals: {sessions}, {count}, {minutes}, {year}, {year_minutes}, {jp},
 * {rpi_note}. */
static int log_session(struct kb_action_ctx *ctx, struct kb_action_out *out,
                       const struct kb_mentor_request *r)
{
    const char *word = "gone";
    if (date_verdict(ctx, out, r, &word) != 0)
        return -1;
    const char *held_on = kb_action_answer(ctx, "held_on");
    const char *topic = kb_action_answer(ctx, "session_topic");
    int64_t minutes = kb_action_answer_i64(ctx, "minutes");
    if (strcmp(word, "ok") || !*topic || strlen(topic) >= KB_MENTOR_TEXT_MAX ||
        minutes < SESSION_MIN || minutes > SESSION_MAX)
        return result(out, strcmp(word, "ok") ? word : "gone");
    int per_jp = ctx->policy ? kb_policy_minutes_per_jp(ctx->policy) : 0;
    if (per_jp <= 0) {
        KB_ERROR("mentor.no_policy", "reason=\"minutes per JP unknown\"");
        return -1;
    }
    int64_t session = 0, activity = 0, year_minutes = 0;
    char last_on[11];
    int year = atoi(held_on);
    if (kb_mentor_session_add(ctx->st, r->id, held_on, topic, (int)minutes, ctx->actor->id,
                              ctx->now, &session) != KB_OK ||
        kb_mentor_minutes_in_year(ctx->st, r->id, year, &year_minutes, last_on) != KB_OK)
        return -1;
    int64_t jp = year_minutes / per_jp;
    /* The activity's title is data of the plan, kept in the organisation's language. */
    char *kind_id = kb_locale_render_plain(ctx->loc, "id", kind_key(r->kind), NULL, 0);
    const char *tvars[] = {"kind_label",  kind_id ? kind_id : r->kind, "area", r->area, "mentor",
                           r->mentor_name};
    char *title = kb_locale_render_plain(ctx->loc, "id", "mentor_rpi_title", tvars, 3);
    char cut[KB_MENTOR_RPI_TITLE];
    utf8_copy(cut, sizeof cut, title ? title : r->area);
    free(kind_id);
    free(title);
    if (kb_mentor_rpi_sync(ctx->st, r->id, r->mentee_id, year, r->kind, cut, jp, last_on, ctx->now,
                           &activity) != KB_OK)
        return -1;
    KB_INFO("mentor.session", "pair=%lld session=%lld minutes=%lld year=%d jp=%lld activity=%lld",
            (long long)r->id, (long long)session, (long long)minutes, year, (long long)jp,
            (long long)activity);

    struct kb_mentor_session *rows = calloc(KB_MENTOR_SESSIONS, sizeof *rows);
    int n = 0, count = 0;
    int64_t total = 0;
    if (!rows ||
        kb_mentor_sessions(ctx->st, r->id, rows, KB_MENTOR_SESSIONS, &n, &count, &total) != KB_OK) {
        free(rows);
        return -1;
    }
    struct kb_buf list;
    kb_buf_init(&list, KB_ACTION_VAR_MAX);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        char date[64], mins[24];
        date_text(ctx, ctx->lang, rows[i].held_on, date, sizeof date);
        int_text(ctx->lang, rows[i].minutes, mins, sizeof mins);
        const char *vars[] = {"date", date, "topic", rows[i].topic, "minutes", mins};
        char *line = kb_action_render(ctx, "sesi_line", vars, 3);
        if (!line) {
            rc = -1;
            break;
        }
        /* The newest lines first: a list longer than a message holds loses its oldest ones. */
        size_t before = list.len;
        int full = (i && kb_buf_adds(&list, "\n") != 0) || kb_buf_adds(&list, line) != 0;
        free(line);
        if (full) {
            list.len = before;
            if (list.data)
                list.data[before] = '\0';
            break;
        }
    }
    free(rows);
    char c_count[24], c_total[24], c_year_minutes[24], c_jp[24], c_year[8];
    int_text(ctx->lang, count, c_count, sizeof c_count);
    int_text(ctx->lang, total, c_total, sizeof c_total);
    int_text(ctx->lang, year_minutes, c_year_minutes, sizeof c_year_minutes);
    int_text(ctx->lang, jp, c_jp, sizeof c_jp);
    snprintf(c_year, sizeof c_year, "%d", year);
    char mentee[TITLE_MAX] = "";
    struct kb_person p;
    int found = 0;
    int as_mentee = r->mentee_id == ctx->actor->id;
    if (rc == 0 && !as_mentee && person(ctx, r->mentee_id, &p, &found) != 0)
        rc = -1;
    if (found)
        title_of(ctx, ctx->lang, &p, mentee, sizeof mentee);
    const char *note_vars[] = {"year", c_year, "year_minutes", c_year_minutes,
                               "jp",   c_jp,   "mentee",       mentee};
    if (rc == 0 && (kb_action_html(out, "sessions", list.data ? list.data : "") != 0 ||
                    kb_action_var(out, "count", c_count) != 0 ||
                    kb_action_var(out, "total_minutes", c_total) != 0 ||
                    html_from_key(ctx, out, "rpi_note",
                                  as_mentee ? "sesi_rpi_note_mentee" : "sesi_rpi_note_mentor",
                                  note_vars, 4) != 0))
        rc = -1;
    kb_buf_free(&list);
    return rc ? -1 : result(out, "ok");
}

static int sesi_log(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_mentor_request *r = malloc(sizeof *r);
    int rc = r ? open_pair(ctx, out, r) : -1;
    if (rc == 1)
        rc = log_session(ctx, out, r);
    free(r);
    return rc < 0 ? -1 : 0;
}

const struct kb_action_def kb_actions_mentoring[] = {
    {"mentor_areas", mentor_areas},
    {"mentor_match", mentor_match},
    {"mentor_candidates", mentor_candidates},
    {"mentor_picked", mentor_picked},
    {"coach_supervisor", coach_supervisor},
    {"mentor_summary", mentor_summary},
    {"mentor_submit", mentor_submit},
    {"mentor_pairs_status", mentor_pairs_status},
    {"mentor_pairs", mentor_pairs},
    {"sesi_pair_open", sesi_pair_open},
    {"sesi_check_date", sesi_check_date},
    {"sesi_summary", sesi_summary},
    {"sesi_log", sesi_log},
    {NULL, NULL},
};
