/* test_rpi: the RPI area on real SQLite files under KARIRBOT_TEST_TMP — the store's sums and
 * state changes (src/store/rpi.c), the rules read from them (lateness, JP target or ceiling,
 * the progress bar), carrying unfinished activities over to a new year, and the actions and
 * approval kinds of src/dialog/act_rpi.c run with the shipped locales and policy on the demo
 * organisation: another employee's activity is refused, and a decision applies only to a
 * subject still in the state that was asked about. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/actions.h"
#include "karirbot/approvals.h"
#include "karirbot/buf.h"
#include "karirbot/diag.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/rpi.h"
#include "karirbot/store.h"

#define TODAY  "2026-11-18" /* the demo's day: the transcripts' fixed clock */
#define NOW    1795000000
#define DEWI   4
#define HENDRA 2
#define RUDI   5
#define YUNI   8  /* PPPK */
#define LINA   11 /* no supervisor recorded */

/* ---- the world: a database with the demo organisation, the shipped texts and policy ---------- */

struct world {
    char path[512];
    struct kb_store *st;
    struct kb_locale *loc;
    struct kb_policy *policy;
};

static void world_open(struct world *w, const char *name)
{
    demo_path(w->path, sizeof w->path, "rpi", name);
    struct kb_diag d = {0};
    w->loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    w->policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &d);
    for (size_t i = 0; i < d.nlines; i++)
        fprintf(stderr, "policy: %s\n", d.lines[i]);
    kb_diag_free(&d);
    CHECK(w->loc && w->policy && kb_store_open(&w->st, w->path, 1000) == KB_OK);
    CHECK(demo_seed(w->st, TODAY) == 0);
}

static void world_close(struct world *w)
{
    kb_store_close(w->st);
    kb_locale_free(w->loc);
    kb_policy_free(w->policy);
    demo_remove(w->path);
}

/* Runs SQL on the world's database (fixture rows), with temp.seed(today) = TODAY. */
static void sql(struct world *w, const char *text)
{
    CHECK(kb_store_exec_seed(w->st, text, TODAY) == KB_OK);
}

/* What the actions sent to other people, as the engine's notify would. */
static struct {
    int64_t to;
    char key[64];
    char text[2048];
} sent[16];
static int nsent;
static int notify_linked = 1;

static int fake_notify(struct kb_action_ctx *ctx, int64_t employee_id, const char *key,
                       const char *const *vars, size_t nvars, const struct kb_note_button *buttons,
                       size_t nbuttons, int64_t *sent_to)
{
    (void)buttons;
    (void)nbuttons;
    char *text = kb_locale_render(ctx->loc, "id", key, vars, nvars);
    if (nsent < 16) {
        sent[nsent].to = employee_id;
        snprintf(sent[nsent].key, sizeof sent[nsent].key, "%s", key);
        snprintf(sent[nsent].text, sizeof sent[nsent].text, "%s", text ? text : "");
        nsent++;
    }
    free(text);
    *sent_to = notify_linked ? 2000000000 + employee_id : 0;
    return 0;
}

struct turn {
    struct kb_person actor;
    struct kb_event ev;
    struct kb_action_ctx ctx;
    struct kb_action_out out;
};

/* A turn of employee id (0: nobody linked) with the given answers ("name=value" pairs). */
static void turn_begin(struct turn *t, struct world *w, int64_t id, const char *const *answers,
                       size_t n)
{
    memset(t, 0, sizeof *t);
    int found = 0;
    if (id)
        CHECK(kb_person_by_id(w->st, id, &t->actor, &found) == KB_OK && found);
    t->ev.chat_id = 2000000000 + id;
    t->ctx.st = w->st;
    t->ctx.ev = &t->ev;
    t->ctx.lang = "id";
    t->ctx.loc = w->loc;
    t->ctx.policy = w->policy;
    t->ctx.answers = cJSON_CreateObject();
    for (size_t i = 0; i + 1 < n; i += 2)
        cJSON_AddStringToObject(t->ctx.answers, answers[i], answers[i + 1]);
    t->ctx.actor = found ? &t->actor : NULL;
    t->ctx.now = NOW;
    snprintf(t->ctx.today, sizeof t->ctx.today, "%s", TODAY);
    t->ctx.notify = fake_notify;
}

static void turn_end(struct turn *t)
{
    kb_action_out_free(&t->out);
    cJSON_Delete(t->ctx.answers);
}

/* Runs action in a fresh output; returns the result word. */
static const char *run(struct turn *t, const char *action)
{
    kb_action_out_free(&t->out);
    memset(&t->out, 0, sizeof t->out);
    CHECK(kb_action_run(action, &t->ctx, &t->out) == 0);
    return t->out.result;
}

static const char *var(struct turn *t, const char *name)
{
    for (size_t i = 0; i < t->out.nvars; i++)
        if (!strcmp(t->out.vars[i].name, name))
            return t->out.vars[i].value;
    return NULL;
}

/* The locale text of key with vars, as a user reads it (for "does the message say X"). */
static char *text_of(struct world *w, const char *key, const char *const *vars, size_t n)
{
    return kb_locale_render(w->loc, "id", key, vars, n);
}

static int contains_key(struct world *w, const char *haystack, const char *key,
                        const char *const *vars, size_t n)
{
    char *t = text_of(w, key, vars, n);
    int yes = t && haystack && strstr(haystack, t) != NULL;
    free(t);
    return yes;
}

static int64_t add(struct world *w, int64_t plan, const char *title, const char *target, int jp,
                   const char *approval)
{
    struct kb_rpi_activity_new a = {.plan_id = plan,
                                    .form = "kursus",
                                    .title = title,
                                    .competency = "teknis",
                                    .target_date = target,
                                    .jp_planned = jp,
                                    .approval = approval};
    int64_t id = 0;
    CHECK(kb_rpi_activity_add(w->st, &a, NOW, &id) == KB_OK && id > 0);
    return id;
}

static void get(struct world *w, int64_t id, struct kb_rpi_activity *a)
{
    int found = 0;
    memset(a, 0, sizeof *a);
    CHECK(kb_rpi_activity_get(w->st, id, a, &found) == KB_OK && found);
}

/* ---- rules -------------------------------------------------------------------------------- */

static void test_bar(void)
{
    char b[128];
    CHECK(kb_rpi_bar(b, sizeof b, 10, 20, 10) == 0);
    CHECK_STR(b, "▓▓▓▓▓░░░░░");
    CHECK(kb_rpi_bar(b, sizeof b, 0, 20, 10) == 0);
    CHECK_STR(b, "░░░░░░░░░░");
    CHECK(kb_rpi_bar(b, sizeof b, 19, 20, 10) == 0); /* almost is not full */
    CHECK_STR(b, "▓▓▓▓▓▓▓▓▓░");
    CHECK(kb_rpi_bar(b, sizeof b, 20, 20, 10) == 0);
    CHECK_STR(b, "▓▓▓▓▓▓▓▓▓▓");
    CHECK(kb_rpi_bar(b, sizeof b, 45, 20, 10) == 0); /* over the goal stays full */
    CHECK_STR(b, "▓▓▓▓▓▓▓▓▓▓");
    CHECK(kb_rpi_bar(b, sizeof b, -3, 20, 10) == 0);
    CHECK_STR(b, "░░░░░░░░░░");
    CHECK(kb_rpi_bar(b, sizeof b, 1, 24, 4) == 0);
    CHECK_STR(b, "░░░░");
    CHECK(kb_rpi_bar(b, sizeof b, 10, 0, 10) == -1 && b[0] == '\0');
    CHECK(kb_rpi_bar(b, 30, 10, 20, 10) == -1 && b[0] == '\0'); /* 10 cells need 31 bytes */
    CHECK(kb_rpi_bar(b, 31, 10, 20, 10) == 0);
}

static void test_late_boundary(void)
{
    struct kb_rpi_activity a = {
        .status = "rencana", .approval = "disetujui", .target_date = "2026-11-18"};
    CHECK(!kb_rpi_late(&a, "2026-11-17"));
    CHECK(!kb_rpi_late(&a, "2026-11-18")); /* the target day itself is not late */
    CHECK(kb_rpi_late(&a, "2026-11-19"));
    CHECK(kb_rpi_late(&a, "2027-01-01"));
    snprintf(a.status, sizeof a.status, "berjalan");
    CHECK(kb_rpi_late(&a, "2026-11-19"));
    snprintf(a.status, sizeof a.status, "ditunda");
    CHECK(kb_rpi_late(&a, "2026-11-19"));
    snprintf(a.status, sizeof a.status, "selesai");
    CHECK(!kb_rpi_late(&a, "2026-11-19"));
    snprintf(a.status, sizeof a.status, "batal");
    CHECK(!kb_rpi_late(&a, "2026-11-19"));
    snprintf(a.status, sizeof a.status, "rencana");
    snprintf(a.approval, sizeof a.approval, "ditolak");
    CHECK(!kb_rpi_late(&a, "2026-11-19"));

    /* The store counts the same way, on the same boundary. */
    struct world w;
    world_open(&w, "late");
    int64_t plan = 0;
    int created = 0;
    CHECK(kb_rpi_plan_create(w.st, 9, 2026, &plan, &created) == KB_OK && created);
    add(&w, plan, "Hari ini", "2026-11-18", 4, "disetujui");
    add(&w, plan, "Kemarin", "2026-11-17", 4, "disetujui");
    add(&w, plan, "Kemarin, ditolak", "2026-11-17", 4, "ditolak");
    struct kb_rpi_totals t;
    CHECK(kb_rpi_totals(w.st, plan, "2026-11-18", &t) == KB_OK && t.late == 1);
    CHECK(kb_rpi_totals(w.st, plan, "2026-11-19", &t) == KB_OK && t.late == 2);
    CHECK(kb_rpi_totals(w.st, plan, "2026-11-17", &t) == KB_OK && t.late == 0);
    world_close(&w);
}

static void test_jp_judge(void)
{
    struct kb_rpi_jp_view v;
    kb_rpi_jp_judge(false, 20, 41, 10, &v); /* PNS: a target */
    CHECK(!v.ceiling && v.goal == 20 && !v.met && !v.plan_short && !v.over);
    kb_rpi_jp_judge(false, 20, 16, 0, &v); /* the plan itself falls short */
    CHECK(!v.met && v.plan_short && !v.over);
    kb_rpi_jp_judge(false, 20, 30, 20, &v);
    CHECK(v.met && !v.plan_short);
    kb_rpi_jp_judge(true, 24, 10, 4, &v); /* PPPK: a ceiling, never a reminder below it */
    CHECK(v.ceiling && !v.met && !v.plan_short && !v.over);
    kb_rpi_jp_judge(true, 24, 0, 0, &v);
    CHECK(!v.plan_short && !v.over);
    kb_rpi_jp_judge(true, 24, 24, 0, &v); /* at the ceiling is allowed */
    CHECK(!v.over);
    kb_rpi_jp_judge(true, 24, 30, 0, &v);
    CHECK(v.over);
    kb_rpi_jp_judge(false, 0, 30, 0, &v); /* no rule known */
    CHECK(!v.met && !v.plan_short && !v.over);
}

/* ---- the store ---------------------------------------------------------------------------- */

static void test_jp_sums(void)
{
    struct world w;
    world_open(&w, "sums");
    struct kb_rpi_plan p;
    int found = 0, changed = 0;
    CHECK(kb_rpi_plan_get(w.st, DEWI, 2026, &p, &found) == KB_OK && found);
    struct kb_rpi_totals t;
    /* The demo: 10 JP recognised (e-learning), 41 planned in 4 activities, the seminar late. */
    CHECK(kb_rpi_totals(w.st, p.id, TODAY, &t) == KB_OK);
    CHECK(t.activities == 4 && t.jp_planned == 41 && t.jp_recognised == 10);
    CHECK(t.jp_unverified == 0 && t.late == 1 && t.waiting == 0 && t.rows == 4);

    int64_t waits = add(&w, p.id, "Menunggu persetujuan", "2027-02-01", 8, "menunggu");
    int64_t refused = add(&w, p.id, "Ditolak atasan", "2027-02-01", 30, "ditolak");
    CHECK(kb_rpi_totals(w.st, p.id, TODAY, &t) == KB_OK);
    CHECK(t.activities == 5 && t.jp_planned == 49 && t.waiting == 1 && t.rows == 6);
    (void)refused;

    /* Done is not recognised: the JP wait for verification, then count. */
    CHECK(kb_rpi_activity_decide(w.st, waits, 1, NOW, &changed) == KB_OK && changed);
    CHECK(kb_rpi_activity_mark_done(w.st, waits, "2026-11-17", "file-1", "photo", NOW, &changed) ==
              KB_OK &&
          changed);
    CHECK(kb_rpi_totals(w.st, p.id, TODAY, &t) == KB_OK);
    CHECK(t.jp_recognised == 10 && t.jp_unverified == 8 && t.jp_planned == 49);
    CHECK(kb_rpi_activity_verify(w.st, waits, HENDRA, NOW, &changed) == KB_OK && changed);
    CHECK(kb_rpi_totals(w.st, p.id, TODAY, &t) == KB_OK);
    CHECK(t.jp_recognised == 18 && t.jp_unverified == 0);
    struct kb_rpi_activity a;
    get(&w, waits, &a);
    CHECK(a.verified && a.verified_by == HENDRA && a.jp_recognised == 8);
    CHECK_STR(a.evidence_kind, "photo");
    /* Verified once: a second verification, or reopening it, changes nothing. */
    CHECK(kb_rpi_activity_verify(w.st, waits, HENDRA, NOW, &changed) == KB_OK && !changed);
    CHECK(kb_rpi_activity_reopen(w.st, waits, NOW, &changed) == KB_OK && !changed);
    /* A cancelled activity no longer counts as planned. */
    sql(&w, "UPDATE rpi_activities SET status = 'batal' WHERE title = 'Kursus Analisis Data';");
    CHECK(kb_rpi_totals(w.st, p.id, TODAY, &t) == KB_OK && t.jp_planned == 25);
    world_close(&w);
}

static void test_plan_states(void)
{
    struct world w;
    world_open(&w, "plan");
    struct kb_rpi_plan p;
    int found = 0, changed = 0, created = 0;
    int64_t id = 0;
    CHECK(kb_rpi_plan_get(w.st, RUDI, 2026, &p, &found) == KB_OK && found);
    CHECK_STR(p.status, "draf");
    CHECK(kb_rpi_plan_create(w.st, RUDI, 2026, &id, &created) == KB_OK && !created && id == p.id);
    CHECK(kb_rpi_plan_decide(w.st, p.id, 1, NOW, &changed) == KB_OK && !changed); /* not asked */
    CHECK(kb_rpi_plan_submit(w.st, p.id, NOW, &changed) == KB_OK && changed);
    CHECK(kb_rpi_plan_submit(w.st, p.id, NOW, &changed) == KB_OK && !changed);
    CHECK(kb_rpi_plan_decide(w.st, p.id, 0, NOW, &changed) == KB_OK && changed);
    CHECK(kb_rpi_plan_by_id(w.st, p.id, &p, &found) == KB_OK && found);
    CHECK_STR(p.status, "revisi");
    CHECK(kb_rpi_plan_set_established(w.st, p.id, NOW, &changed) == KB_OK && !changed);
    CHECK(kb_rpi_plan_submit(w.st, p.id, NOW + 1, &changed) == KB_OK && changed);
    CHECK(kb_rpi_plan_decide(w.st, p.id, 1, NOW + 2, &changed) == KB_OK && changed);
    CHECK(kb_rpi_plan_set_established(w.st, p.id, NOW + 3, &changed) == KB_OK && changed);
    CHECK(kb_rpi_plan_by_id(w.st, p.id, &p, &found) == KB_OK && found);
    CHECK_STR(p.status, "ditetapkan");
    CHECK(p.submitted_at == NOW + 1 && p.approved_at == NOW + 2 && p.set_at == NOW + 3);
    world_close(&w);
}

static void test_carry_over(void)
{
    struct world w;
    world_open(&w, "carry");
    int64_t old = 0, next = 0;
    int created = 0, copied = -1, n = -1, changed = 0;
    CHECK(kb_rpi_plan_create(w.st, 9, 2025, &old, &created) == KB_OK && created);
    int64_t planned = add(&w, old, "Rencana Maret", "2025-03-10", 8, "disetujui");
    int64_t running = add(&w, old, "Berjalan Desember", "2025-12-20", 12, "disetujui");
    int64_t ahead = add(&w, old, "Target tahun depan", "2026-04-01", 6, "disetujui");
    int64_t done = add(&w, old, "Sudah selesai", "2025-05-01", 10, "disetujui");
    add(&w, old, "Ditolak", "2025-06-01", 10, "ditolak");
    add(&w, old, "Menunggu", "2025-06-01", 10, "menunggu");
    int64_t postponed = add(&w, old, "Ditunda", "2025-07-01", 4, "disetujui");
    CHECK(kb_rpi_activity_mark_done(w.st, done, "2025-05-01", NULL, NULL, NOW, &changed) == KB_OK &&
          changed);
    CHECK(kb_rpi_activity_mark_done(w.st, running, "2025-12-01", NULL, NULL, NOW, &changed) ==
              KB_OK &&
          changed);
    CHECK(kb_rpi_activity_reopen(w.st, running, NOW, &changed) == KB_OK && changed);
    CHECK(kb_rpi_activity_postpone(w.st, postponed, "2025-09-01", NOW, &changed) == KB_OK &&
          changed);

    CHECK(kb_rpi_carry_count(w.st, old, &n) == KB_OK && n == 4);
    CHECK(kb_rpi_plan_create(w.st, 9, 2026, &next, &created) == KB_OK && created);
    CHECK(kb_rpi_carry_over(w.st, old, next, 2026, NOW, &copied) == KB_OK && copied == 4);
    struct kb_rpi_activity acts[16];
    int got = 0;
    CHECK(kb_rpi_activities(w.st, next, acts, 16, &got) == KB_OK && got == 4);
    /* By target date: each moved into 2026 (a target already there stays). */
    CHECK_STR(acts[0].target_date, "2026-03-10");
    CHECK(acts[0].carried_from == planned);
    CHECK_STR(acts[0].status, "rencana");
    CHECK_STR(acts[1].target_date, "2026-04-01");
    CHECK(acts[1].carried_from == ahead);
    CHECK_STR(acts[2].target_date, "2026-09-01");
    CHECK(acts[2].carried_from == postponed);
    CHECK_STR(acts[2].status, "ditunda");
    CHECK_STR(acts[3].target_date, "2026-12-20");
    CHECK(acts[3].carried_from == running);
    CHECK_STR(acts[3].status, "berjalan");
    for (int i = 0; i < got; i++)
        CHECK(acts[i].jp_recognised == 0 && !acts[i].verified && acts[i].year == 2026 &&
              !strcmp(acts[i].approval, "disetujui"));

    /* Not twice: nothing is left to carry, and a second run copies nothing. */
    CHECK(kb_rpi_carry_count(w.st, old, &n) == KB_OK && n == 0);
    CHECK(kb_rpi_carry_over(w.st, old, next, 2026, NOW, &copied) == KB_OK && copied == 0);
    CHECK(kb_rpi_activities(w.st, next, acts, 16, &got) == KB_OK && got == 4);
    /* The copies themselves go on to the year after, once. */
    int64_t third = 0;
    CHECK(kb_rpi_plan_create(w.st, 9, 2027, &third, &created) == KB_OK && created);
    CHECK(kb_rpi_carry_over(w.st, next, third, 2027, NOW, &copied) == KB_OK && copied == 4);
    CHECK(kb_rpi_carry_over(w.st, next, third, 2027, NOW, &copied) == KB_OK && copied == 0);
    world_close(&w);
}

/* ---- the actions -------------------------------------------------------------------------- */

static void test_overview_target_and_late(void)
{
    struct world w;
    world_open(&w, "overview");
    struct turn t;
    turn_begin(&t, &w, DEWI, NULL, 0);
    CHECK_STR(run(&t, "rpi_overview"), "open");
    const char *jp = var(&t, "jp_block");
    const char *bar[] = {"bar", "▓▓▓▓▓░░░░░", "jp", "10", "goal", "20"};
    CHECK(contains_key(&w, jp, "rpi_jp_target", bar, 3));
    const char *missing[] = {"goal", "20", "missing", "10"};
    CHECK(contains_key(&w, jp, "rpi_jp_missing", missing, 2));
    const char *acts = var(&t, "activities");
    CHECK(acts && strstr(acts, "Seminar Transformasi Digital Pemerintahan"));
    CHECK(contains_key(&w, acts, "rpi_act_late", NULL, 0));
    const char *one[] = {"count", "1"};
    CHECK(contains_key(&w, acts, "rpi_act_late_note", one, 1));
    CHECK(var(&t, "plan_status") && strstr(var(&t, "plan_status"), "Disetujui"));
    /* The activities as buttons: the late one marked. */
    CHECK_STR(run(&t, "rpi_activity_items"), "ok");
    CHECK(t.out.nitems == 4);
    char *late = kb_locale_render_plain(
        w.loc, "id", "rpi_item_late",
        (const char *[]){"n", "2", "title", "Seminar Transformasi Digital Pemerintahan"}, 2);
    CHECK(late && !strcmp(t.out.items[1].label, late));
    free(late);
    turn_end(&t);

    /* Rudi's draft may be submitted; it plans 16 JP, short of the target. */
    turn_begin(&t, &w, RUDI, NULL, 0);
    CHECK_STR(run(&t, "rpi_overview"), "draft");
    const char *short_vars[] = {"planned", "16", "goal", "20"};
    CHECK(contains_key(&w, var(&t, "jp_block"), "rpi_jp_plan_short", short_vars, 2));
    turn_end(&t);
    world_close(&w);
}

static void test_overview_pppk_ceiling(void)
{
    struct world w;
    world_open(&w, "pppk");
    int64_t plan = 0;
    int created = 0;
    CHECK(kb_rpi_plan_create(w.st, YUNI, 2026, &plan, &created) == KB_OK && created);
    add(&w, plan, "Kursus Jaringan Komputer", "2026-12-10", 16, "disetujui");
    struct turn t;
    turn_begin(&t, &w, YUNI, NULL, 0);
    CHECK_STR(run(&t, "rpi_overview"), "draft");
    const char *vars[] = {"bar", "░░░░░░░░░░", "jp", "0", "goal", "24", "planned", "16"};
    const char *jp = var(&t, "jp_block");
    CHECK(contains_key(&w, jp, "rpi_jp_ceiling", vars, 3));
    /* Below the ceiling: no reminder of a target, no warning. */
    const char *missing[] = {"goal", "24", "missing", "24"};
    CHECK(!contains_key(&w, jp, "rpi_jp_missing", missing, 2));
    CHECK(!contains_key(&w, jp, "rpi_jp_plan_short", vars + 4, 2));
    CHECK(!strstr(jp, "⚠️"));
    turn_end(&t);

    /* Over it: the warning, with the planned JP. */
    add(&w, plan, "Pelatihan Keamanan Informasi", "2026-12-15", 12, "disetujui");
    turn_begin(&t, &w, YUNI, NULL, 0);
    CHECK_STR(run(&t, "rpi_overview"), "draft");
    const char *over[] = {"planned", "28", "goal", "24"};
    CHECK(contains_key(&w, var(&t, "jp_block"), "rpi_jp_over", over, 2));
    turn_end(&t);
    world_close(&w);
}

static void test_foreign_activity_refused(void)
{
    struct world w;
    world_open(&w, "foreign");
    struct kb_rpi_plan p;
    int found = 0;
    CHECK(kb_rpi_plan_get(w.st, DEWI, 2026, &p, &found) == KB_OK && found);
    struct kb_rpi_activity acts[8], before, after;
    int n = 0;
    CHECK(kb_rpi_activities(w.st, p.id, acts, 8, &n) == KB_OK && n == 4);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)acts[1].id); /* Dewi's late seminar */
    get(&w, acts[1].id, &before);

    const char *answers[] = {"activity", id, "day", "2026-11-17", "evidence", "skip"};
    struct turn t;
    turn_begin(&t, &w, RUDI, answers, 6);
    CHECK_STR(run(&t, "rpi_activity_show"), "gone");
    CHECK(var(&t, "detail") == NULL && var(&t, "title") == NULL); /* nothing of it shown */
    CHECK_STR(run(&t, "rpi_done_check"), "gone");
    CHECK_STR(run(&t, "rpi_mark_done"), "gone");
    CHECK_STR(run(&t, "rpi_postpone_bound"), "gone");
    CHECK_STR(run(&t, "rpi_postpone"), "gone");
    turn_end(&t);
    get(&w, acts[1].id, &after);
    CHECK(!memcmp(&before, &after, sizeof before)); /* untouched */

    /* Nobody linked: refused too; an id that does not exist reads the same. */
    turn_begin(&t, &w, 0, answers, 6);
    CHECK_STR(run(&t, "rpi_activity_show"), "gone");
    CHECK_STR(run(&t, "rpi_overview"), "denied");
    turn_end(&t);
    const char *nothing[] = {"activity", "999999"};
    turn_begin(&t, &w, DEWI, nothing, 2);
    CHECK_STR(run(&t, "rpi_activity_show"), "gone");
    turn_end(&t);

    /* Her own: shown. */
    turn_begin(&t, &w, DEWI, answers, 6);
    CHECK_STR(run(&t, "rpi_activity_show"), "open");
    CHECK(var(&t, "detail") && strstr(var(&t, "detail"), "Seminar Transformasi"));
    turn_end(&t);
    world_close(&w);
}

static void test_mark_done_and_verify(void)
{
    struct world w;
    world_open(&w, "done");
    struct kb_rpi_plan p;
    int found = 0;
    CHECK(kb_rpi_plan_get(w.st, DEWI, 2026, &p, &found) == KB_OK && found);
    struct kb_rpi_activity acts[8], a;
    int n = 0;
    CHECK(kb_rpi_activities(w.st, p.id, acts, 8, &n) == KB_OK && n == 4);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)acts[1].id);

    /* The date is checked against the plan's year and today. */
    const char *early[] = {"activity", id, "day", "2025-12-31"};
    struct turn t;
    turn_begin(&t, &w, DEWI, early, 4);
    CHECK_STR(run(&t, "rpi_done_check"), "too_early");
    CHECK_STR(var(&t, "date"), "1 Januari 2026");
    turn_end(&t);
    const char *future[] = {"activity", id, "day", "2026-11-19"};
    turn_begin(&t, &w, DEWI, future, 4);
    CHECK_STR(run(&t, "rpi_done_check"), "future");
    CHECK_STR(run(&t, "rpi_mark_done"), "bad_date");
    turn_end(&t);

    nsent = 0;
    const char *answers[] = {"activity", id,         "day",           "2026-01-01",
                             "evidence", "AgADfile", "evidence_kind", "document"};
    turn_begin(&t, &w, DEWI, answers, 8);
    CHECK_STR(run(&t, "rpi_done_check"), "ok");
    CHECK_STR(run(&t, "rpi_mark_done"), "sent");
    CHECK_STR(var(&t, "approver"), "Bapak Hendra Pratama");
    turn_end(&t);
    get(&w, acts[1].id, &a);
    CHECK_STR(a.status, "selesai");
    CHECK_STR(a.done_on, "2026-01-01");
    CHECK_STR(a.evidence_file_id, "AgADfile");
    CHECK(a.jp_recognised == 0 && !a.verified); /* not recognised yet */
    CHECK(nsent == 1 && sent[0].to == HENDRA && !strcmp(sent[0].key, "approval_card_evidence"));
    CHECK(strstr(sent[0].text, "Seminar Transformasi Digital Pemerintahan") != NULL);

    /* Hendra rejects: back to berjalan, without the date and file; Dewi is told why. */
    struct turn h;
    nsent = 0;
    turn_begin(&h, &w, HENDRA, NULL, 0);
    CHECK(kb_approval_evidence.decided(&h.ctx, a.id, DEWI, 0, "Sertifikat tidak terbaca") == 0);
    turn_end(&h);
    get(&w, acts[1].id, &a);
    CHECK_STR(a.status, "berjalan");
    CHECK(a.done_on[0] == '\0' && a.evidence_file_id[0] == '\0' && a.jp_recognised == 0);
    CHECK(nsent == 1 && sent[0].to == DEWI && !strcmp(sent[0].key, "rpi_note_evidence_rejected") &&
          strstr(sent[0].text, "Sertifikat tidak terbaca"));

    /* A decision on a subject no longer in the state asked about changes nothing. */
    nsent = 0;
    turn_begin(&h, &w, HENDRA, NULL, 0);
    CHECK(kb_approval_evidence.decided(&h.ctx, a.id, DEWI, 1, NULL) == 0);
    turn_end(&h);
    get(&w, acts[1].id, &a);
    CHECK_STR(a.status, "berjalan");
    CHECK(a.jp_recognised == 0 && nsent == 0);

    /* Done again, without a file ("Lewati"); approved: the JP are recognised. */
    const char *again[] = {"activity", id, "day", "2026-11-10", "evidence", "skip"};
    turn_begin(&t, &w, DEWI, again, 6);
    CHECK_STR(run(&t, "rpi_mark_done"), "sent");
    turn_end(&t);
    get(&w, acts[1].id, &a);
    CHECK_STR(a.status, "selesai");
    CHECK(a.evidence_file_id[0] == '\0' && a.evidence_kind[0] == '\0');
    nsent = 0;
    turn_begin(&h, &w, HENDRA, NULL, 0);
    CHECK(kb_approval_evidence.decided(&h.ctx, a.id, DEWI, 1, NULL) == 0);
    turn_end(&h);
    get(&w, acts[1].id, &a);
    CHECK(a.verified && a.verified_by == HENDRA && a.jp_recognised == 5);
    CHECK(nsent == 1 && !strcmp(sent[0].key, "rpi_note_evidence_approved") &&
          strstr(sent[0].text, "15 JP")); /* 10 + 5 recognised now */
    /* A request naming someone other than the activity's owner changes nothing. */
    int changed = 0;
    CHECK(kb_rpi_activity_mark_done(w.st, acts[2].id, "2026-11-12", NULL, NULL, NOW, &changed) ==
              KB_OK &&
          changed);
    nsent = 0;
    turn_begin(&h, &w, HENDRA, NULL, 0);
    CHECK(kb_approval_evidence.decided(&h.ctx, acts[2].id, RUDI, 1, NULL) == 0);
    CHECK(kb_approval_evidence.decided(&h.ctx, acts[2].id, RUDI, 0, "Bukan miliknya") == 0);
    turn_end(&h);
    struct kb_rpi_activity other;
    get(&w, acts[2].id, &other);
    CHECK_STR(other.status, "selesai");
    CHECK(!other.verified && other.jp_recognised == 0 && nsent == 0);
    world_close(&w);
}

static void test_postpone(void)
{
    struct world w;
    world_open(&w, "postpone");
    struct kb_rpi_plan p;
    int found = 0;
    CHECK(kb_rpi_plan_get(w.st, DEWI, 2026, &p, &found) == KB_OK && found);
    struct kb_rpi_activity acts[8], a;
    int n = 0;
    CHECK(kb_rpi_activities(w.st, p.id, acts, 8, &n) == KB_OK && n == 4);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)acts[1].id);
    const char *late[] = {"activity", id, "day", "2028-01-01"};
    struct turn t;
    turn_begin(&t, &w, DEWI, late, 4);
    CHECK_STR(run(&t, "rpi_postpone_bound"), "ok");
    CHECK_STR(var(&t, "date"), "31 Desember 2027");
    CHECK_STR(run(&t, "rpi_postpone"), "out_of_range");
    turn_end(&t);
    const char *past[] = {"activity", id, "day", "2026-11-17"};
    turn_begin(&t, &w, DEWI, past, 4);
    CHECK_STR(run(&t, "rpi_postpone"), "out_of_range");
    turn_end(&t);
    const char *ok[] = {"activity", id, "day", "2027-12-31"};
    turn_begin(&t, &w, DEWI, ok, 4);
    CHECK_STR(run(&t, "rpi_postpone"), "saved");
    CHECK_STR(var(&t, "date"), "31 Desember 2027");
    turn_end(&t);
    get(&w, acts[1].id, &a);
    CHECK_STR(a.status, "ditunda");
    CHECK_STR(a.target_date, "2027-12-31");
    CHECK(!kb_rpi_late(&a, TODAY)); /* postponed: no longer late */
    world_close(&w);
}

static void test_add_and_decide(void)
{
    struct world w;
    world_open(&w, "add");
    const char *answers[] = {"form",       "seminar", "title", "Seminar Keamanan Siber",
                             "competency", "teknis",  "day",   "2027-02-20",
                             "jp",         "8"};
    struct turn t;
    nsent = 0;
    turn_begin(&t, &w, DEWI, answers, 10);
    CHECK_STR(run(&t, "rpi_add_summary"), "ok");
    const char *who[] = {"approver", "Bapak Hendra Pratama"};
    CHECK(contains_key(&w, var(&t, "detail"), "rpi_add_next_approval", who, 1));
    CHECK(nsent == 0); /* a summary asks nobody */
    CHECK_STR(run(&t, "rpi_add_save"), "sent");
    /* The answers are spent: a replayed Kirim adds nothing. */
    CHECK_STR(run(&t, "rpi_add_save"), "invalid");
    turn_end(&t);
    CHECK(nsent == 1 && sent[0].to == HENDRA && !strcmp(sent[0].key, "approval_card_rpi_activity"));
    struct kb_rpi_plan p;
    int found = 0;
    CHECK(kb_rpi_plan_get(w.st, DEWI, 2026, &p, &found) == KB_OK && found);
    struct kb_rpi_activity acts[8];
    int n = 0;
    CHECK(kb_rpi_activities(w.st, p.id, acts, 8, &n) == KB_OK && n == 5);
    struct kb_rpi_activity *added = &acts[4];
    CHECK_STR(added->title, "Seminar Keamanan Siber");
    CHECK_STR(added->approval, "menunggu");
    CHECK(added->jp_planned == 8);

    /* Approved once; the second decision finds nothing waiting. */
    struct turn h;
    nsent = 0;
    turn_begin(&h, &w, HENDRA, NULL, 0);
    CHECK(kb_approval_rpi_activity.decided(&h.ctx, added->id, DEWI, 1, NULL) == 0);
    CHECK(kb_approval_rpi_activity.decided(&h.ctx, added->id, DEWI, 0, "Terlambat") == 0);
    turn_end(&h);
    struct kb_rpi_activity a;
    get(&w, added->id, &a);
    CHECK_STR(a.approval, "disetujui");
    CHECK(nsent == 1 && !strcmp(sent[0].key, "rpi_note_activity_approved"));

    /* A target after the end of next year is refused, with the bound. */
    const char *late[] = {"form",       "seminar", "title", "Seminar Keamanan Siber",
                          "competency", "teknis",  "day",   "2028-01-01",
                          "jp",         "8"};
    turn_begin(&t, &w, DEWI, late, 10);
    CHECK_STR(run(&t, "rpi_add_summary"), "too_late");
    CHECK_STR(var(&t, "date"), "31 Desember 2027");
    CHECK_STR(run(&t, "rpi_add_save"), "too_late");
    turn_end(&t);
    /* A form the policy does not know, or JP out of range: nothing stored. */
    const char *bad[] = {"form",       "kuliah_umum",
                         "title",      "Seminar Keamanan Siber",
                         "competency", "teknis",
                         "day",        "2027-01-01",
                         "jp",         "8"};
    turn_begin(&t, &w, DEWI, bad, 10);
    CHECK_STR(run(&t, "rpi_add_save"), "invalid");
    turn_end(&t);

    /* In a draft, an activity joins the plan at once and asks nobody. */
    nsent = 0;
    turn_begin(&t, &w, RUDI, answers, 10);
    CHECK_STR(run(&t, "rpi_add_save"), "draft");
    turn_end(&t);
    CHECK(nsent == 0);
    /* Without a recorded supervisor, an approved plan takes no new activity. */
    int64_t plan = 0;
    int created = 0;
    CHECK(kb_rpi_plan_create(w.st, LINA, 2026, &plan, &created) == KB_OK && created);
    sql(&w, "UPDATE rpi_plans SET status = 'disetujui' WHERE employee_id = 11;");
    turn_begin(&t, &w, LINA, answers, 10);
    CHECK_STR(run(&t, "rpi_overview"), "open_nosup");
    CHECK_STR(run(&t, "rpi_add_save"), "no_supervisor");
    turn_end(&t);
    struct kb_rpi_totals tot;
    CHECK(kb_rpi_totals(w.st, plan, TODAY, &tot) == KB_OK && tot.rows == 0);
    world_close(&w);
}

static void test_submit_and_decide(void)
{
    struct world w;
    world_open(&w, "submit");
    struct turn t;
    nsent = 0;
    notify_linked = 0; /* Hendra without a linked account: the requester hears so */
    turn_begin(&t, &w, RUDI, NULL, 0);
    CHECK_STR(run(&t, "rpi_submit_check"), "ok");
    CHECK_STR(run(&t, "rpi_submit"), "sent_unlinked");
    CHECK_STR(run(&t, "rpi_submit"), "gone"); /* submitted already */
    turn_end(&t);
    notify_linked = 1;
    CHECK(nsent == 1 && sent[0].to == HENDRA && !strcmp(sent[0].key, "approval_card_rpi_plan"));
    CHECK(strstr(sent[0].text, "Bimtek Pengelolaan Data Kepegawaian") != NULL);
    struct kb_rpi_plan p;
    int found = 0;
    CHECK(kb_rpi_plan_get(w.st, RUDI, 2026, &p, &found) == KB_OK && found);
    CHECK_STR(p.status, "diajukan");

    struct turn h;
    nsent = 0;
    turn_begin(&h, &w, HENDRA, NULL, 0);
    CHECK(kb_approval_rpi_plan.decided(&h.ctx, p.id, RUDI, 0, "Tambahkan kegiatan manajerial") ==
          0);
    turn_end(&h);
    CHECK(kb_rpi_plan_by_id(w.st, p.id, &p, &found) == KB_OK && found);
    CHECK_STR(p.status, "revisi");
    CHECK(nsent == 1 && sent[0].to == RUDI && !strcmp(sent[0].key, "rpi_note_plan_rejected") &&
          strstr(sent[0].text, "Tambahkan kegiatan manajerial"));

    /* Revised and submitted again; approved. A stale decision on it changes nothing. */
    turn_begin(&t, &w, RUDI, NULL, 0);
    CHECK_STR(run(&t, "rpi_submit"), "sent");
    turn_end(&t);
    turn_begin(&h, &w, HENDRA, NULL, 0);
    CHECK(kb_approval_rpi_plan.decided(&h.ctx, p.id, RUDI, 1, NULL) == 0);
    CHECK(kb_approval_rpi_plan.decided(&h.ctx, p.id, RUDI, 0, "Terlambat") == 0);
    turn_end(&h);
    CHECK(kb_rpi_plan_by_id(w.st, p.id, &p, &found) == KB_OK && found);
    CHECK_STR(p.status, "disetujui");

    /* An empty draft cannot be submitted; without a supervisor neither. */
    int64_t plan = 0;
    int created = 0;
    CHECK(kb_rpi_plan_create(w.st, LINA, 2026, &plan, &created) == KB_OK && created);
    turn_begin(&t, &w, LINA, NULL, 0);
    CHECK_STR(run(&t, "rpi_submit_check"), "empty");
    add(&w, plan, "Pelatihan Manajemen Talenta", "2026-12-01", 20, "disetujui");
    CHECK_STR(run(&t, "rpi_submit_check"), "no_supervisor");
    CHECK_STR(run(&t, "rpi_submit"), "no_supervisor");
    turn_end(&t);
    CHECK(kb_rpi_plan_by_id(w.st, plan, &p, &found) == KB_OK && found);
    CHECK_STR(p.status, "draf");
    world_close(&w);
}

static void test_create_with_carry(void)
{
    struct world w;
    world_open(&w, "create");
    /* A year on: Dewi's 2026 plan has three unfinished, approved activities. */
    const char *carry[] = {"carry", "ya"};
    struct turn t;
    turn_begin(&t, &w, DEWI, carry, 2);
    snprintf(t.ctx.today, sizeof t.ctx.today, "2027-01-05");
    CHECK_STR(run(&t, "rpi_overview"), "none_carry");
    CHECK_STR(var(&t, "count"), "3");
    CHECK(strstr(var(&t, "list"), "Kursus Analisis Data") != NULL);
    CHECK_STR(run(&t, "rpi_create"), "created_carried");
    CHECK_STR(var(&t, "count"), "3");
    CHECK_STR(run(&t, "rpi_create"), "exists"); /* pressed twice: one plan, one copy */
    CHECK_STR(run(&t, "rpi_overview"), "draft");
    turn_end(&t);
    struct kb_rpi_plan p;
    int found = 0, n = 0;
    CHECK(kb_rpi_plan_get(w.st, DEWI, 2027, &p, &found) == KB_OK && found);
    struct kb_rpi_totals tot;
    CHECK(kb_rpi_totals(w.st, p.id, "2027-01-05", &tot) == KB_OK && tot.rows == 3);
    CHECK(kb_rpi_carry_count(w.st, 1, &n) == KB_OK && n == 0);

    /* Rudi starts 2027 without his old activity. */
    const char *fresh[] = {"carry", "tidak"};
    turn_begin(&t, &w, RUDI, fresh, 2);
    snprintf(t.ctx.today, sizeof t.ctx.today, "2027-01-05");
    CHECK_STR(run(&t, "rpi_overview"), "none_carry");
    CHECK_STR(run(&t, "rpi_create"), "created");
    CHECK_STR(run(&t, "rpi_overview"), "draft");
    const char *none = var(&t, "activities");
    CHECK(contains_key(&w, none, "rpi_act_none", NULL, 0));
    turn_end(&t);
    world_close(&w);
}

/* Five activities with the longest titles in a script of three-byte characters: the overview
 * lists them on the buttons instead of failing. */
static void test_overview_long_titles(void)
{
    struct world w;
    world_open(&w, "long");
    int64_t plan = 0;
    int created = 0;
    CHECK(kb_rpi_plan_create(w.st, 9, 2026, &plan, &created) == KB_OK && created);
    char title[KB_RPI_TITLE_MAX] = "";
    for (int i = 0; i < 150; i++)
        strcat(title, "\xf0\x9f\x93\x9a"); /* U+1F4DA */
    for (int i = 0; i < 5; i++)
        add(&w, plan, title, "2026-12-01", 4, "disetujui");
    struct turn t;
    turn_begin(&t, &w, 9, NULL, 0);
    CHECK_STR(run(&t, "rpi_overview"), "draft");
    const char *five[] = {"count", "5"};
    CHECK(contains_key(&w, var(&t, "activities"), "rpi_act_many", five, 1));
    CHECK_STR(run(&t, "rpi_activity_items"), "ok");
    CHECK(t.out.nitems == 5);
    const char *label = t.out.items[0].label;
    size_t len = strlen(label);
    CHECK(len > 0 && len < sizeof t.out.items[0].label - 1);
    CHECK(!strcmp(label + len - 3, "\xe2\x80\xa6")); /* ends with a whole ellipsis */
    turn_end(&t);
    world_close(&w);
}

static void test_describe_is_plain_and_bounded(void)
{
    struct world w;
    world_open(&w, "describe");
    struct kb_rpi_plan p;
    int found = 0;
    CHECK(kb_rpi_plan_get(w.st, DEWI, 2026, &p, &found) == KB_OK && found);
    /* A long title of multi-byte characters with markup: described as plain text, cut on a
     * character boundary. */
    char title[600] = "";
    for (int i = 0; i < 50; i++)
        strcat(title, "Ä<b>");
    int64_t id = add(&w, p.id, title, "2027-01-10", 4, "menunggu");
    struct turn t;
    turn_begin(&t, &w, HENDRA, NULL, 0);
    char what[64];
    CHECK(kb_approval_rpi_activity.describe(&t.ctx, id, what, sizeof what) == 0);
    CHECK(strstr(what, "<b>") != NULL); /* not escaped: the card escapes {what} */
    size_t len = strlen(what);
    CHECK(len < sizeof what);
    CHECK(len == 0 || ((unsigned char)what[len - 1] & 0xc0) != 0xc0); /* no cut lead byte */
    char plan_what[512], detail[1024];
    CHECK(kb_approval_rpi_plan.describe(&t.ctx, p.id, plan_what, sizeof plan_what) == 0);
    CHECK(strstr(plan_what, "2026") && strstr(plan_what, "5 kegiatan"));
    /* The card's detail names the activities, one a line, as many as fit. */
    CHECK(kb_approval_rpi_plan.detail(&t.ctx, p.id, detail, sizeof detail) == 0);
    CHECK(strstr(detail, "E-Learning Literasi Digital ASN") && strstr(detail, "Kursus Analisis"));
    for (int i = 0; i < 40; i++) {
        char long_title[200];
        snprintf(long_title, sizeof long_title,
                 "Pelatihan Penyusunan Rencana Strategis Daerah Angkatan %02d", i);
        add(&w, p.id, long_title, "2027-02-01", 2, "disetujui");
    }
    CHECK(kb_approval_rpi_plan.detail(&t.ctx, p.id, detail, sizeof detail) == 0);
    CHECK(strlen(detail) < sizeof detail);
    const char *more = strrchr(detail, '\n');
    CHECK(more && strstr(more, "kegiatan lainnya")); /* the rest counted, not cut off */
    CHECK(kb_approval_rpi_activity.detail(&t.ctx, id, detail, sizeof detail) == 0);
    CHECK(strstr(detail, "RPI 2026") != NULL);
    CHECK(kb_approval_evidence.describe(&t.ctx, 999999, what, sizeof what) == 0 && what[0]);
    turn_end(&t);
    world_close(&w);
}

int main(void)
{
    kb_log_set_level(KB_LOG_WARN);
    RUN(test_bar);
    RUN(test_late_boundary);
    RUN(test_jp_judge);
    RUN(test_jp_sums);
    RUN(test_plan_states);
    RUN(test_carry_over);
    RUN(test_overview_target_and_late);
    RUN(test_overview_pppk_ceiling);
    RUN(test_foreign_activity_refused);
    RUN(test_mark_done_and_verify);
    RUN(test_postpone);
    RUN(test_add_and_decide);
    RUN(test_submit_and_decide);
    RUN(test_create_with_carry);
    RUN(test_overview_long_titles);
    RUN(test_describe_is_plain_and_bounded);
    return CHECK_SUMMARY();
}
