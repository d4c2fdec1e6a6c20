/* act_reminders: the actions of /pengingat (dialogs/pengingat.json) — what was sent lately and
 * which reminders come next: all of them, only the important ones, or none until a date. A
 * person's duties (requests waiting for their decision, a unit's digest) cannot be turned
 * off: "only important" keeps them, and "off for a while" snoozes them for at most the days
 * dialogs/reminders.json allows. Also "Nanti" on an RPI reminder: it says when the next
 * reminder of that activity comes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/access.h"
#include "karirbot/actions.h"
#include "karirbot/buf.h"
#include "karirbot/log.h"
#include "karirbot/reminders.h"
#include "karirbot/reminders_store.h"
#include "karirbot/rpi.h"

#define RECENT_MAX 5

static int result(struct kb_action_out *out, const char *word)
{
    snprintf(out->result, sizeof out->result, "%s", word);
    return 0;
}

static const struct kb_reminder_rules *rules(void)
{
    const struct kb_reminder_rules *r = kb_reminder_rules_shared();
    if (!r)
        KB_ERROR("reminders.no_rules", "file=dialogs/" KB_REMINDERS_FILE);
    return r;
}

/* A date as people read it, into out (cap bytes). */
static const char *date_text(struct kb_action_ctx *ctx, const char *ymd, char *out, size_t cap)
{
    if (kb_locale_date(ctx->loc, ctx->lang, ymd, out, cap) != 0)
        snprintf(out, cap, "%s", ymd);
    return out;
}

static int date_var(struct kb_action_ctx *ctx, struct kb_action_out *out, const char *name,
                    const char *ymd)
{
    char buf[64];
    return kb_action_var(out, name, date_text(ctx, ymd, buf, sizeof buf));
}

static char *salutation(struct kb_action_ctx *ctx)
{
    return kb_action_render_plain(ctx, kb_person_salutation_key(ctx->actor), NULL, 0);
}

/* ---- "Nanti" ------------------------------------------------------------------------------- */

/* The date the next reminder of an activity opens after today, or "" when none will come. */
static void next_rpi_reminder(const struct kb_reminder_rules *r, const char *target,
                              const char *today, char out[11])
{
    int64_t late;
    out[0] = '\0';
    if (kb_rem_days(target, today, &late) != 0)
        return;
    if (late < -(int64_t)r->rpi_days_before)
        kb_rem_date_add(target, -r->rpi_days_before, out);
    else if (late < 0)
        kb_rem_date_add(target, 0, out);
    else if (late / r->rpi_overdue_every + 1 <= r->rpi_overdue_times)
        kb_rem_date_add(target, (late / r->rpi_overdue_every + 1) * r->rpi_overdue_every, out);
}

/* reminders_entry: a start from a reminder's "Nanti" (answers.arg "later:<activity>") says
 * when the next reminder comes — later (with {title}, {date}), later_last (none will), or
 * later_gone (not the actor's, or nothing to remind of); anything else: show. */
static int reminders_entry(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *arg = kb_action_answer(ctx, "arg");
    if (strncmp(arg, "later:", 6) != 0 || !ctx->actor)
        return result(out, "show");
    const struct kb_reminder_rules *r = rules();
    int64_t id = strtoll(arg + 6, NULL, 10);
    struct kb_rpi_activity *a = malloc(sizeof *a);
    int found = 0;
    if (!r || !a || (id > 0 && kb_rpi_activity_get(ctx->st, id, a, &found) != KB_OK)) {
        free(a);
        return -1;
    }
    if (!found || kb_access_owner(ctx->actor, a->employee_id) != KB_ACCESS_OK ||
        !kb_rpi_actionable(a)) {
        free(a);
        return result(out, "later_gone");
    }
    char next[11];
    next_rpi_reminder(r, a->target_date, ctx->today, next);
    int rc = kb_action_var(out, "title", a->title);
    free(a);
    if (rc != 0 || (next[0] && date_var(ctx, out, "date", next) != 0))
        return -1;
    KB_INFO("reminders.later", "employee=%lld activity=%lld next=%s", (long long)ctx->actor->id,
            (long long)id, next[0] ? next : "-");
    return result(out, next[0] ? "later" : "later_last");
}

/* ---- the overview --------------------------------------------------------------------------- */

static int add_line(struct kb_action_ctx *ctx, struct kb_buf *b, const char *key,
                    const char *const *vars, size_t n)
{
    char *t = kb_action_render(ctx, key, vars, n);
    int rc = t ? 0 : -1;
    if (t) {
        if (b->len)
            kb_buf_adds(b, "\n");
        kb_buf_adds(b, t);
    }
    free(t);
    return rc;
}

/* The day before ymd: the last day of a snooze that ends when ymd begins. */
static const char *day_before(const char *ymd, char out[11])
{
    if (kb_rem_date_add(ymd, -1, out) != 0)
        snprintf(out, 11, "%s", ymd);
    return out;
}

static void hours_text(struct kb_action_ctx *ctx, int minutes, char *out, size_t cap)
{
    snprintf(out, cap, strcmp(ctx->lang, "id") ? "%02d:%02d" : "%02d.%02d", minutes / 60,
             minutes % 60);
}

/* reminders_show: {status} (the choice in force), {recent} (the latest reminders), and the
 * rules as {from}, {to}, {zone}, {cap}, {duty_days}. */
static int reminders_show(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const struct kb_reminder_rules *r = rules();
    if (!ctx->actor || !r)
        return ctx->actor ? -1 : result(out, "denied");
    struct kb_rem_prefs pr;
    struct kb_rem_sent_row rows[RECENT_MAX];
    int n = 0;
    if (kb_rem_prefs_get(ctx->st, ctx->actor->id, &pr) != KB_OK ||
        kb_rem_sent_recent(ctx->st, ctx->actor->id, rows, RECENT_MAX, &n) != KB_OK)
        return -1;
    char *sal = salutation(ctx);
    const char *s = sal ? sal : "";
    struct kb_buf status, recent;
    kb_buf_init(&status, KB_ACTION_VAR_MAX);
    kb_buf_init(&recent, KB_ACTION_VAR_MAX);
    char until[64], resume[64], last[11];
    int rc = 0;
    if (strcmp(pr.snooze_until, ctx->today) > 0) {
        const char *v[] = {"until",
                           date_text(ctx, day_before(pr.snooze_until, last), until, sizeof until),
                           "resume", date_text(ctx, pr.snooze_until, resume, sizeof resume)};
        rc |= add_line(ctx, &status, "pengingat_mode_snoozed", v, 2);
    } else {
        const char *v[] = {"salutation", s};
        rc |= add_line(ctx, &status,
                       strcmp(pr.mode, "urgent") ? "pengingat_mode_all" : "pengingat_mode_urgent",
                       v, 1);
    }
    if (strcmp(pr.approvals_until, ctx->today) > 0) {
        const char *v[] = {
            "salutation", s, "until",
            date_text(ctx, day_before(pr.approvals_until, last), until, sizeof until)};
        rc |= add_line(ctx, &status, "pengingat_mode_duty", v, 2);
    }
    if (n == 0) {
        const char *v[] = {"salutation", s};
        rc |= add_line(ctx, &recent, "pengingat_recent_none", v, 1);
    } else {
        rc |= add_line(ctx, &recent, "pengingat_recent_head", NULL, 0);
        for (int i = 0; i < n && rc == 0; i++) {
            char key[48], date[64];
            snprintf(key, sizeof key, "rem_kind_%.30s", rows[i].kind);
            const char *kv[] = {"salutation", s};
            char *kind = kb_action_render_plain(ctx, key, kv, 1);
            const char *v[] = {"date", date_text(ctx, rows[i].local_date, date, sizeof date),
                               "kind", kind ? kind : ""};
            rc |= kind ? add_line(ctx, &recent, "pengingat_recent_item", v, 2) : -1;
            free(kind);
        }
    }
    char from[8], to[8];
    hours_text(ctx, r->work_from, from, sizeof from);
    hours_text(ctx, r->work_to, to, sizeof to);
    if (rc == 0 && (kb_action_html(out, "status", status.data ? status.data : "") != 0 ||
                    kb_action_html(out, "recent", recent.data ? recent.data : "") != 0 ||
                    kb_action_var(out, "from", from) != 0 || kb_action_var(out, "to", to) != 0 ||
                    kb_action_var(out, "zone", ctx->actor->zone) != 0 ||
                    kb_action_varf(out, "cap", "%d", r->daily_cap) != 0 ||
                    kb_action_varf(out, "duty_days", "%d", r->approvals_snooze_max_days) != 0))
        rc = -1;
    kb_buf_free(&status);
    kb_buf_free(&recent);
    free(sal);
    return rc ? -1 : result(out, "ok");
}

/* ---- changing the choice -------------------------------------------------------------------- */

/* reminders_set: answers.mode "all" or "urgent" applies it and ends any snooze. */
static int reminders_set(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *mode = kb_action_answer(ctx, "mode");
    if (!ctx->actor || (strcmp(mode, "all") && strcmp(mode, "urgent")))
        return result(out, "unchanged");
    struct kb_rem_prefs pr = {0};
    snprintf(pr.mode, sizeof pr.mode, "%s", mode);
    if (kb_rem_prefs_set(ctx->st, ctx->actor->id, &pr, ctx->now) != KB_OK)
        return -1;
    KB_INFO("reminders.choice", "employee=%lld mode=%s", (long long)ctx->actor->id, mode);
    return result(out, mode);
}

/* reminders_snooze_bound: {max_date}, the last day reminders may be off. */
static int reminders_snooze_bound(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const struct kb_reminder_rules *r = rules();
    char max[11];
    if (!r || kb_rem_date_add(ctx->today, r->snooze_max_days, max) != 0)
        return -1;
    return date_var(ctx, out, "max_date", max);
}

/* reminders_snooze: reminders off through answers.day (the validator keeps it from the past).
 * Results: snoozed ({date}, {resume}); snoozed_duty, when one's duties come back earlier
 * ({duty_date}, {duty_resume} too); too_far ({max_date}). */
static int reminders_snooze(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const struct kb_reminder_rules *r = rules();
    const char *day = kb_action_answer(ctx, "day");
    int64_t ahead;
    if (!ctx->actor || !r)
        return ctx->actor ? -1 : result(out, "unchanged");
    if (kb_rem_days(ctx->today, day, &ahead) != 0 || ahead < 0)
        return result(out, "unchanged");
    if (ahead > r->snooze_max_days) {
        reminders_snooze_bound(ctx, out);
        return result(out, "too_far");
    }
    struct kb_rem_prefs pr;
    if (kb_rem_prefs_get(ctx->st, ctx->actor->id, &pr) != KB_OK)
        return -1;
    char duty_resume[11], last[11];
    kb_rem_date_add(day, 1, pr.snooze_until);
    kb_rem_date_add(ctx->today, r->approvals_snooze_max_days, duty_resume);
    snprintf(pr.approvals_until, sizeof pr.approvals_until, "%s",
             strcmp(duty_resume, pr.snooze_until) < 0 ? duty_resume : pr.snooze_until);
    if (kb_rem_prefs_set(ctx->st, ctx->actor->id, &pr, ctx->now) != KB_OK ||
        date_var(ctx, out, "date", day) != 0 ||
        date_var(ctx, out, "resume", pr.snooze_until) != 0 ||
        date_var(ctx, out, "duty_date", day_before(pr.approvals_until, last)) != 0 ||
        date_var(ctx, out, "duty_resume", pr.approvals_until) != 0)
        return -1;
    KB_INFO("reminders.snoozed", "employee=%lld until=%s duties_until=%s",
            (long long)ctx->actor->id, pr.snooze_until, pr.approvals_until);
    return result(out, strcmp(pr.approvals_until, pr.snooze_until) ? "snoozed_duty" : "snoozed");
}

const struct kb_action_def kb_actions_reminders[] = {
    {"reminders_entry", reminders_entry},   {"reminders_show", reminders_show},
    {"reminders_set", reminders_set},       {"reminders_snooze_bound", reminders_snooze_bound},
    {"reminders_snooze", reminders_snooze}, {NULL, NULL},
};
