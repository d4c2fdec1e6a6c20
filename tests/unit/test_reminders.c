/* test_reminders: reminders and escalations on real SQLite files under KARIRBOT_TEST_TMP.
 *
 * - The rules of src/career/reminders.c: each kind's windows and occurrences, working hours and
 *   days in each zone (five and six days, holidays), and dialogs/reminders.json's checks.
 * - A simulated month for the demo organisation (a pass every 30 minutes with a controlled
 *   clock, records changing meanwhile, four days of downtime): the exact set of reminders sent,
 *   each on the right day and hour in its recipient's zone (WIB, WITA, WIT), once; nothing
 *   outside working hours, on weekends or on a holiday (urgent news excepted); choices and
 *   snoozes held; a blocked chat gets nothing until it writes; the escalation chain.
 * - The daily cap and merging; a pass rolled back sends nothing and is found again.
 * - /pengingat's actions: the overview, the choices, the snooze limits, "Nanti". */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/actions.h"
#include "karirbot/buf.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/promotions.h"
#include "karirbot/remind_pass.h"
#include "karirbot/reminders.h"
#include "karirbot/reminders_store.h"
#include "karirbot/store.h"

#define D0       "2027-06-21" /* a Monday: the demo's "today" */
#define D0_UTC   1813536000LL /* 2027-06-21 00:00 UTC */
#define HOUR     3600LL
#define DAY      86400LL
#define AGUS     1
#define HENDRA   2
#define RATNA    3
#define DEWI     4
#define RUDI     5
#define SITI     6
#define BAMBANG  7
#define YUNI     8
#define FAJAR    9
#define LINA     11
#define YOGA     12 /* added: no linked account */
#define CHAT(id) (2000000000LL + (id))

static struct kb_locale *loc;
static struct kb_policy *policy;
static struct kb_reminder_rules *rules;

/* ---- rules --------------------------------------------------------------------------------- */

static const char no_holidays[1][11] = {""};

static struct kb_calendar cal5(void)
{
    return (struct kb_calendar){5, no_holidays, 0};
}

static void test_rpi_windows(void)
{
    struct kb_rem_due d;
    /* target 2027-06-28 (Mon): 7 days before, the day, then weekly, 12 times. */
    CHECK(!kb_rem_rpi(rules, "2027-06-28", "2027-06-20", &d));
    CHECK(kb_rem_rpi(rules, "2027-06-28", "2027-06-21", &d) && d.kind == KB_REM_RPI_SOON &&
          !strcmp(d.occurrence, "2027-06-21") && d.n == 7);
    CHECK(kb_rem_rpi(rules, "2027-06-28", "2027-06-27", &d) && d.kind == KB_REM_RPI_SOON &&
          !strcmp(d.occurrence, "2027-06-21") && d.n == 1);
    CHECK(kb_rem_rpi(rules, "2027-06-28", "2027-06-28", &d) && d.kind == KB_REM_RPI_DUE &&
          !strcmp(d.occurrence, "2027-06-28") && d.n == 0);
    /* Seen late (a weekend, downtime): the same occurrence, however late in its window. */
    CHECK(kb_rem_rpi(rules, "2027-06-28", "2027-07-04", &d) && d.kind == KB_REM_RPI_DUE &&
          !strcmp(d.occurrence, "2027-06-28") && d.n == 6);
    CHECK(kb_rem_rpi(rules, "2027-06-28", "2027-07-05", &d) && !strcmp(d.occurrence, "2027-07-05"));
    CHECK(kb_rem_rpi(rules, "2027-06-28", "2027-09-20", &d)); /* the 12th week */
    CHECK(!strcmp(d.occurrence, "2027-09-20"));
    CHECK(!kb_rem_rpi(rules, "2027-06-28", "2027-09-27", &d)); /* after 12 times: quiet */
    CHECK(!kb_rem_rpi(rules, "bad", "2027-06-28", &d));
}

static void test_hours_and_days(void)
{
    struct kb_calendar c = cal5();
    int64_t mon = D0_UTC; /* 00:00 UTC = 07:00 WIB, 08:00 WITA, 09:00 WIT */
    CHECK(kb_rem_open(rules, &c, mon, "WITA") == (KB_REM_OPEN_NORMAL | KB_REM_OPEN_URGENT));
    CHECK(kb_rem_open(rules, &c, mon, "WIB") == KB_REM_OPEN_URGENT);
    CHECK(kb_rem_open(rules, &c, mon - 1, "WITA") == KB_REM_OPEN_URGENT); /* 07:59:59 */
    CHECK(kb_rem_open(rules, &c, mon + HOUR, "WIB") == (KB_REM_OPEN_NORMAL | KB_REM_OPEN_URGENT));
    CHECK(kb_rem_open(rules, &c, mon - HOUR, "WIT") ==
          (KB_REM_OPEN_NORMAL | KB_REM_OPEN_URGENT));                            /* 08:00 WIT */
    CHECK(kb_rem_open(rules, &c, mon + 9 * HOUR, "WITA") == KB_REM_OPEN_URGENT); /* 17:00 */
    CHECK(kb_rem_open(rules, &c, mon + 9 * HOUR - 1, "WITA") ==
          (KB_REM_OPEN_NORMAL | KB_REM_OPEN_URGENT));
    CHECK(kb_rem_open(rules, &c, mon + 13 * HOUR, "WITA") == 0); /* 21:00 */
    CHECK(kb_rem_open(rules, &c, mon + 12 * HOUR, "WITA") == KB_REM_OPEN_URGENT);
    CHECK(kb_rem_open(rules, &c, mon, "UTC") == 0);
    /* Saturday: five days, only urgent; six days, working. A holiday: only urgent. */
    int64_t sat = D0_UTC + 5 * DAY + 2 * HOUR;
    CHECK(kb_rem_open(rules, &c, sat, "WITA") == KB_REM_OPEN_URGENT);
    struct kb_calendar six = {6, no_holidays, 0};
    CHECK(kb_rem_open(rules, &six, sat, "WITA") == (KB_REM_OPEN_NORMAL | KB_REM_OPEN_URGENT));
    static const char hol[2][11] = {"2027-06-21", "2027-07-14"};
    struct kb_calendar h = {5, hol, 2};
    CHECK(kb_rem_open(rules, &h, mon + HOUR, "WITA") == KB_REM_OPEN_URGENT);
    CHECK(kb_cal_is_holiday(&h, "2027-07-14") && !kb_cal_is_workday(&h, "2027-07-14"));
    CHECK(kb_cal_is_workday(&h, "2027-07-15"));
    int64_t n = -1;
    CHECK(kb_cal_between(&h, "2027-06-18", "2027-06-22", &n) == 0 && n == 1); /* Mon is off */
    char out[11];
    CHECK(kb_cal_on_or_before(&h, "2027-06-21", out) == 0 && !strcmp(out, "2027-06-18"));
    CHECK(kb_cal_on_or_before(&six, "2027-06-27", out) == 0 && !strcmp(out, "2027-06-26"));
}

static void test_other_kinds(void)
{
    struct kb_rem_due d;
    struct kb_calendar c = cal5();
    int64_t waited;
    /* Asked on Monday: Thursday is the third working day (more than 2), Tuesday after the
     * weekend the sixth (more than 5). */
    CHECK(kb_rem_approval(rules, &c, D0, "2027-06-23", &waited) == 0 && waited == 2);
    CHECK(kb_rem_approval(rules, &c, D0, "2027-06-24", &waited) == 1 && waited == 3);
    CHECK(kb_rem_approval(rules, &c, D0, "2027-06-28", &waited) == 1 && waited == 5);
    CHECK(kb_rem_approval(rules, &c, D0, "2027-06-29", &waited) == 2 && waited == 6);
    /* A training starting on Monday: H-3 is Friday and H-1 Sunday, which moves to Friday: one
     * reminder. In a six-day week H-1 moves to Saturday. */
    CHECK(kb_rem_training_start(rules, &c, "2027-06-28", "2027-06-24", &d) == 0);
    CHECK(kb_rem_training_start(rules, &c, "2027-06-28", "2027-06-25", &d) &&
          !strcmp(d.occurrence, "h1/2027-06-28") && d.n == 3);
    struct kb_calendar six = {6, no_holidays, 0};
    CHECK(kb_rem_training_start(rules, &six, "2027-06-28", "2027-06-25", &d) &&
          !strcmp(d.occurrence, "h3/2027-06-28"));
    CHECK(kb_rem_training_start(rules, &six, "2027-06-28", "2027-06-26", &d) &&
          !strcmp(d.occurrence, "h1/2027-06-28"));
    CHECK(!kb_rem_training_start(rules, &c, "2027-06-28", "2027-06-28", &d)); /* started */
    CHECK(kb_rem_deadline(rules, "2027-07-05", "2027-06-28", &d) && d.n == 7);
    CHECK(!kb_rem_deadline(rules, "2027-07-05", "2027-06-27", &d));
    CHECK(!kb_rem_deadline(rules, "2027-07-05", "2027-07-06", &d));
    /* JP pace: half of 20 by 1 July and again by 1 October; never before 1 July. */
    CHECK(!kb_rem_jp_pace(rules, "2027-06-30", 0, 20, &d));
    CHECK(kb_rem_jp_pace(rules, "2027-07-01", 9, 20, &d) && !strcmp(d.occurrence, "2027-07-01") &&
          d.n == 10);
    CHECK(!kb_rem_jp_pace(rules, "2027-07-01", 10, 20, &d));
    CHECK(kb_rem_jp_pace(rules, "2027-12-31", 0, 20, &d) && !strcmp(d.occurrence, "2027-10-01"));
    CHECK(!kb_rem_jp_pace(rules, "2027-07-01", 0, 0, &d));
    CHECK(kb_rem_mentor_idle(rules, "2027-06-01", "2027-07-01", &d) &&
          !strcmp(d.occurrence, "2027-07-01") && d.n == 30);
    CHECK(!kb_rem_mentor_idle(rules, "2027-06-01", "2027-06-30", &d));
    CHECK(kb_rem_mentor_idle(rules, "2027-06-01", "2027-08-05", &d) &&
          !strcmp(d.occurrence, "2027-07-31"));
    CHECK(kb_rem_stage_news(rules, "2027-06-26", "2027-06-29") &&
          !kb_rem_stage_news(rules, "2027-06-26", "2027-06-30") &&
          !kb_rem_stage_news(rules, "2027-06-27", "2027-06-26"));
    CHECK(kb_rem_stage_stalled(&c, "2027-06-09", D0, 5, &waited) && waited == 8);
    CHECK(!kb_rem_stage_stalled(&c, "2027-06-14", D0, 5, &waited) && waited == 5);
    char key[KB_REM_KEY_MAX];
    CHECK(kb_rem_key(key, KB_REM_RPI_SOON, "act42", 4, "2027-01-05") == 0 &&
          !strcmp(key, "rpi_soon:act42:emp4:2027-01-05"));
    CHECK(kb_rem_class_of(KB_REM_APPR_NUDGE) == KB_REM_DUTY &&
          kb_rem_class_of(KB_REM_KP_STAGE) == KB_REM_URGENT &&
          kb_rem_class_of(KB_REM_RPI_SOON) == KB_REM_NORMAL);
}

/* Writes text as <dir>/dialogs/reminders.json and loads it as HR's override; returns the
 * number of problems reported and whether it loaded. */
static size_t load_override(const char *text, int *loaded)
{
    char dir[512], sub[600], file[700];
    snprintf(dir, sizeof dir, "%s/rem-rules-%d", demo_tmp_dir(), (int)getpid());
    snprintf(sub, sizeof sub, "%s/dialogs", dir);
    snprintf(file, sizeof file, "%s/reminders.json", sub);
    mkdir(dir, 0700);
    mkdir(sub, 0700);
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    struct kb_diag d = {0};
    struct kb_reminder_rules *r = kb_reminder_rules_load(KB_SOURCE_DATA_DIR, dir, &d);
    *loaded = r != NULL;
    size_t n = d.errors;
    if (n && getenv("KARIRBOT_TEST_VERBOSE"))
        for (size_t i = 0; i < d.nlines; i++)
            fprintf(stderr, "  %s\n", d.lines[i]);
    kb_diag_free(&d);
    kb_reminder_rules_free(r);
    unlink(file);
    rmdir(sub);
    rmdir(dir);
    return n;
}

static void test_rules_file(void)
{
    CHECK(rules->daily_cap == 3 && rules->work_from == 8 * 60 && rules->work_to == 17 * 60 &&
          rules->urgent_from == 7 * 60 && rules->urgent_to == 21 * 60);
    CHECK(rules->nudge_after == 2 && rules->escalate_after == 5 && rules->rpi_days_before == 7);
    CHECK(rules->nstart == 2 && rules->start_days[0] == 3 && rules->start_days[1] == 1);
    CHECK(rules->ncheckpoints == 2 && rules->checkpoints[0].month == 7 &&
          rules->checkpoints[1].month == 10 && rules->checkpoints[0].share == 0.5);
    CHECK(rules->mentor_idle_days == 30 && rules->approvals_snooze_max_days == 3);
    CHECK(!strcmp(rules->flows[KB_REM_FLOW_SETTINGS], "pengingat") &&
          !strcmp(rules->flows[KB_REM_FLOW_MENTORING], "sesimentor"));

    /* The shipped file with one change each: every mistake is named, nothing loads. */
    struct kb_buf b;
    kb_buf_init(&b, 1 << 16);
    CHECK(kb_buf_read_file(&b, KB_SOURCE_DATA_DIR "/dialogs/reminders.json") == 0);
    static const struct {
        const char *from, *to;
    } edits[] = {
        {"\"08:00\"", "\"8 pagi\""},
        {"\"escalate_after_workdays\": 5", "\"escalate_after_workdays\": 2"},
        {"\"daily_cap\": 3", "\"daily_cap\": 0"},
        {"\"daily_cap\": 3", "\"dailycap\": 3"},
        {"[3, 1]", "[1, 3]"},
        {"\"07-01\"", "\"02-30\""},
        {"\"share\": 0.5}", "\"share\": 2}"},
        {"\"keep_days\": 500", "\"keep_days\": 100"},
        {"\"from\": \"07:00\"", "\"from\": \"09:00\""},
        {"\"slice_people\": 100,", "\"slice_people\": 100"},
        {"\"trainings\": \"pelatihan\"", "\"trainings\": \"Daftar Pelatihan\""},
        {"\"mentoring\": \"sesimentor\"", "\"mentor\": \"sesimentor\""},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        char *at = strstr(b.data, edits[i].from);
        CHECK(at != NULL);
        if (!at)
            continue;
        struct kb_buf e;
        kb_buf_init(&e, 1 << 16);
        kb_buf_add(&e, b.data, (size_t)(at - b.data));
        kb_buf_adds(&e, edits[i].to);
        kb_buf_adds(&e, at + strlen(edits[i].from));
        int loaded = 1;
        size_t errors = load_override(e.data, &loaded);
        if (loaded || errors == 0)
            fprintf(stderr, "edit %zu (%s) was accepted\n", i, edits[i].to);
        CHECK(!loaded && errors >= 1);
        kb_buf_free(&e);
    }
    int loaded = 0;
    CHECK(load_override(b.data, &loaded) == 0 && loaded); /* an unchanged copy loads */
    kb_buf_free(&b);
}

/* ---- the world: the demo organisation on a database of its own ---------------------------- */

struct world {
    char path[512];
    struct kb_store *st;
};

static void world_open(struct world *w, const char *name)
{
    demo_path(w->path, sizeof w->path, "rem", name);
    CHECK(kb_store_open(&w->st, w->path, 1000) == KB_OK);
    CHECK(demo_seed(w->st, D0) == 0);
}

static void world_close(struct world *w)
{
    kb_store_close(w->st);
    demo_remove(w->path);
}

static void sql(struct world *w, const char *text)
{
    int rc = kb_store_exec_seed(w->st, text, D0);
    if (rc != KB_OK)
        fprintf(stderr, "fixture SQL failed: %s\n", kb_store_errmsg(w->st));
    CHECK(rc == KB_OK);
}

static void run_pass(struct world *w, int64_t now)
{
    struct kb_remind_env env = {.st = w->st, .loc = loc, .policy = policy, .rules = rules};
    struct kb_remind_stats s;
    int rc = kb_remind_run(&env, now, 0, &s);
    if (rc != KB_OK)
        fprintf(stderr, "pass at %lld failed\n", (long long)now);
    CHECK(rc == KB_OK);
}

/* What was sent (keys with their outbox row), read with a connection of the test's own. */
struct sent {
    char key[KB_REM_KEY_MAX];
    int64_t employee;
    int64_t at;
    char local_date[11];
    int64_t outbox;
    int seen; /* matched by an expectation */
};

struct sentlist {
    struct sent v[400];
    size_t n;
};

static void read_sent(struct world *w, struct sentlist *out)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    out->n = 0;
    CHECK(sqlite3_open_v2(w->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db,
                             "SELECT key, employee_id, sent_at, local_date, outbox_id "
                             "FROM reminders_sent WHERE outbox_id IS NOT NULL "
                             "ORDER BY sent_at, key",
                             -1, &s, NULL) == SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW && out->n < sizeof out->v / sizeof out->v[0]) {
        struct sent *x = &out->v[out->n++];
        memset(x, 0, sizeof *x);
        snprintf(x->key, sizeof x->key, "%s", (const char *)sqlite3_column_text(s, 0));
        x->employee = sqlite3_column_int64(s, 1);
        x->at = sqlite3_column_int64(s, 2);
        snprintf(x->local_date, sizeof x->local_date, "%s",
                 (const char *)sqlite3_column_text(s, 3));
        x->outbox = sqlite3_column_int64(s, 4);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* A text column of one row (the caller frees), or NULL. */
static char *query_text(struct world *w, const char *q, int64_t arg)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    char *v = NULL;
    if (sqlite3_open_v2(w->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return NULL;
    if (sqlite3_prepare_v2(db, q, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, arg);
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
            v = strdup((const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return v;
}

static int64_t query_int(struct world *w, const char *q, int64_t arg)
{
    char *t = query_text(w, q, arg);
    int64_t v = t ? strtoll(t, NULL, 10) : -1;
    free(t);
    return v;
}

static int month_world; /* the month's fixture moved Dewi, Ratna and Siti */

static const char *zone_of(int64_t employee)
{
    if (!month_world)
        return "WITA";
    return employee == DEWI ? "WIB" : employee == RATNA ? "WIT" : "WITA";
}

static const struct sent *find_sent(struct sentlist *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].key, key))
            return &l->v[i];
    return NULL;
}

/* The key was sent once, on local date date at local hour hour in its recipient's zone. */
static void expect(struct sentlist *l, const char *key, const char *date, int hour)
{
    struct sent *x = (struct sent *)find_sent(l, key);
    if (!x) {
        fprintf(stderr, "expected %s on %s %02d:00, never sent\n", key, date, hour);
        CHECK(x != NULL);
        return;
    }
    char day[11];
    kb_local_date(x->at, zone_of(x->employee), day);
    int h = kb_local_hour(x->at, zone_of(x->employee));
    if (strcmp(day, date) || h != hour || strcmp(x->local_date, date))
        fprintf(stderr, "%s: sent %s %02d:00 (%s), expected %s %02d:00\n", key, day, h,
                zone_of(x->employee), date, hour);
    CHECK(!strcmp(day, date) && h == hour && !strcmp(x->local_date, date));
    x->seen = 1;
}

/* ---- a simulated month --------------------------------------------------------------------- */

static const char month_fixture[] =
    /* Dewi works in WIB, Ratna in WIT, everyone else in WITA; Siti moves to a puskesmas that
     * works six days. Yoga has no Telegram account. A national holiday on Wednesday 14 July. */
    "UPDATE employees SET zone = 'WIB' WHERE id = 4;"
    "UPDATE employees SET zone = 'WIT' WHERE id = 3;"
    "INSERT INTO units(id, name, zone, workdays) VALUES (3, 'Puskesmas Kota', 'WITA', 6);"
    "UPDATE employees SET unit_id = 3 WHERE id = 6;"
    "INSERT INTO employees(id, nip, name, asn_kind, grade, position, position_kind, unit_id,"
    "  supervisor_id, updated_at) VALUES (12, '198905052014031003', 'Yoga Saputra', 'PNS',"
    "  'IV/a', 'Kepala Bidang Layanan', 'struktural', 1, 1, 0);"
    "INSERT INTO holidays(date, name, kind) VALUES ('2027-07-14', 'Libur uji', 'libur_nasional');"
    /* Yuni (PPPK) plans 30 JP, over the ceiling of 24. */
    "INSERT INTO rpi_plans(id, employee_id, year, status) VALUES (3, 8, 2027, 'draf');"
    "INSERT INTO rpi_activities(plan_id, form, title, competency, target_date, jp_planned,"
    "  status, created_at, updated_at) VALUES (3, 'kursus', 'Kursus Desain Layanan',"
    "  'sosial_kultural', '2027-08-20', 30, 'rencana', 0, 0);"
    /* Monday 10:00 WITA: Dewi asks Hendra, Rudi asks Yoga (no account), Fajar asks Bambang
     * (a mentor, not his supervisor). */
    "INSERT INTO approvals(id, kind, subject_id, requester_id, approver_id, created_at) VALUES"
    "  (1, 'training', 901, 4, 2, 1813543200), (2, 'training', 902, 5, 12, 1813543200),"
    "  (3, 'mentor', 903, 9, 7, 1813543200);"
    /* Siti has a seat in the e-learning starting Monday 28 June; Rudi in the Python course
     * starting Wednesday 21 July. */
    "INSERT INTO registrations(training_id, employee_id, reason, status, seat, created_at,"
    "  updated_at) VALUES (3, 6, 'uji', 'diterima', 1, 0, 0), (1, 5, 'uji', 'diterima', 1, 0, 0);"
    /* Hendra's reminders are off until Friday and his duties until Thursday night; Bambang wants
     * only important ones. Fajar's chat blocked the bot. */
    "INSERT INTO reminder_prefs(employee_id, mode, snooze_until, approvals_until, updated_at)"
    "  VALUES (2, 'all', '2027-06-26', '2027-06-25', 0), (7, 'urgent', NULL, NULL, 0);"
    "INSERT INTO chats(chat_id, kind, first_seen, last_seen, blocked_at)"
    "  VALUES (2000000009, 0, 0, 0, 1813536000);";

#define DOWN_FROM (D0_UTC + 15 * DAY) /* Tuesday 6 July 00:00 UTC ... */
#define DOWN_TO   (D0_UTC + 19 * DAY) /* ... to Saturday 10 July: no passes */

static void simulate_month(struct world *w)
{
    int unblocked = 0, staged = 0;
    for (int64_t t = D0_UTC - 9 * HOUR; t < D0_UTC + 31 * DAY; t += 30 * 60) {
        if (!unblocked && t >= D0_UTC + 2 * DAY + 4 * HOUR) { /* Wed 12:00 WITA: Fajar writes */
            int refused;
            CHECK(kb_store_begin(w->st) == KB_OK &&
                  kb_chats_touch(w->st, CHAT(FAJAR), KB_CHAT_PRIVATE, t, &refused) == KB_OK &&
                  kb_store_commit(w->st) == KB_OK);
            unblocked = 1;
        }
        if (!staged && t >= D0_UTC + 5 * DAY + 2 * HOUR) { /* Sat 10:00 WITA: BKN's pertek */
            CHECK(kb_store_begin(w->st) == KB_OK &&
                  kb_promotion_stage_set(w->st, 1, "pertek", "2027-06-26", NULL) == KB_OK &&
                  kb_store_commit(w->st) == KB_OK);
            staged = 1;
        }
        if (t >= DOWN_FROM && t < DOWN_TO)
            continue;
        run_pass(w, t);
    }
}

static void check_invariants(struct world *w, struct sentlist *l)
{
    int per_day[16][40] = {{0}};
    for (size_t i = 0; i < l->n; i++) {
        const struct sent *x = &l->v[i];
        const char *zone = zone_of(x->employee);
        char day[11];
        kb_local_date(x->at, zone, day);
        int h = kb_local_hour(x->at, zone);
        int urgent = !strncmp(x->key, "kp_stage:", 9);
        int six = month_world && x->employee == SITI;
        int weekday = kb_weekday(day);
        int workday = weekday <= (six ? 6 : 5) && strcmp(day, "2027-07-14") != 0;
        if (urgent ? (h < 7 || h >= 21) : (h < 8 || h >= 17 || !workday))
            fprintf(stderr, "%s sent at %s %02d:00 %s\n", x->key, day, h, zone);
        CHECK(urgent ? h >= 7 && h < 21 : h >= 8 && h < 17 && workday);
        CHECK(!(x->at >= DOWN_FROM && x->at < DOWN_TO));
        int64_t d = 0;
        kb_rem_days(D0, day, &d);
        if (x->employee < 16 && d >= 0 && d < 40)
            per_day[x->employee][d]++;
        /* Every key travels in a reminder-priority row to its recipient's chat. */
        CHECK(query_int(w, "SELECT priority FROM outbox WHERE id = ?1", x->outbox) ==
              KB_PRIO_REMINDER);
        CHECK(query_int(w, "SELECT chat_id FROM outbox WHERE id = ?1", x->outbox) ==
              CHAT(x->employee));
    }
    for (int e = 0; e < 16; e++)
        for (int d = 0; d < 40; d++)
            CHECK(per_day[e][d] <= rules->daily_cap);
}

static void test_month(void)
{
    struct world w;
    world_open(&w, "month");
    sql(&w, month_fixture);
    month_world = 1;
    simulate_month(&w);
    struct sentlist *l = calloc(1, sizeof *l);
    read_sent(&w, l);

    /* Dewi (WIB): her late seminar every week, the course before and on its day and weekly
     * after, the coaching a week before (the holiday moves it a day) and on its day; the
     * trainings that fit; her request escalated. Missed in the downtime: once, afterwards. */
    expect(l, "rpi_due:act2:emp4:2027-06-15", "2027-06-21", 8);
    expect(l, "rpi_soon:act3:emp4:2027-06-21", "2027-06-21", 8);
    expect(l, "rpi_due:act2:emp4:2027-06-22", "2027-06-22", 8);
    expect(l, "rpi_due:act3:emp4:2027-06-28", "2027-06-28", 8);
    expect(l, "tr_deadline:tr1:emp4:2027-07-05", "2027-06-28", 8);
    expect(l, "rpi_due:act2:emp4:2027-06-29", "2027-06-29", 8);
    expect(l, "appr_told:apr1:emp4:2027-06-21", "2027-06-29", 8);
    expect(l, "rpi_due:act3:emp4:2027-07-05", "2027-07-05", 8);
    expect(l, "tr_deadline:tr2:emp4:2027-07-12", "2027-07-05", 8);
    expect(l, "rpi_due:act2:emp4:2027-07-06", "2027-07-12", 8);
    expect(l, "rpi_due:act3:emp4:2027-07-12", "2027-07-12", 8);
    expect(l, "rpi_due:act2:emp4:2027-07-13", "2027-07-13", 8);
    expect(l, "rpi_soon:act4:emp4:2027-07-14", "2027-07-15", 8);
    expect(l, "tr_deadline:tr3:emp4:2027-07-21", "2027-07-15", 8);
    expect(l, "rpi_due:act3:emp4:2027-07-19", "2027-07-19", 8);
    expect(l, "rpi_due:act2:emp4:2027-07-20", "2027-07-20", 8);
    expect(l, "rpi_due:act4:emp4:2027-07-21", "2027-07-21", 8);
    /* The chain: Hendra nudged (his duties snoozed until Friday), then Agus told of both
     * requests in one message; Rudi told whom his went to; Bambang (only important ones)
     * still nudged as a mentor, with no escalation above him. */
    expect(l, "appr_nudge:apr1:emp2:2027-06-21", "2027-06-25", 8);
    expect(l, "appr_escalate:apr1:emp1:2027-06-21", "2027-06-29", 8);
    expect(l, "appr_escalate:apr2:emp1:2027-06-21", "2027-06-29", 8);
    expect(l, "appr_told:apr2:emp5:2027-06-21", "2027-06-29", 8);
    expect(l, "appr_nudge:apr3:emp7:2027-06-21", "2027-06-24", 8);
    /* Trainings: Siti's six-day week has H-3 on Friday and H-1 on Saturday; Rudi's H-3 falls
     * on a Sunday and comes on Friday. */
    expect(l, "tr_start:reg2:emp6:h3/2027-06-28", "2027-06-25", 8);
    expect(l, "tr_start:reg2:emp6:h1/2027-06-28", "2027-06-26", 8);
    expect(l, "tr_start:reg3:emp5:h3/2027-07-21", "2027-07-16", 8);
    expect(l, "tr_start:reg3:emp5:h1/2027-07-21", "2027-07-20", 8);
    expect(l, "tr_deadline:tr2:emp5:2027-07-12", "2027-07-05", 8);
    /* Fajar: nothing while his chat blocked the bot, then at once; the stage news on a
     * Saturday morning (urgent); the new stage stalls after five working days. */
    expect(l, "kp_stalled:pr1:emp9:validasi_bkn/2027-06-09", "2027-06-23", 12);
    expect(l, "kp_stage:pr1:emp9:pertek/2027-06-26", "2027-06-26", 10);
    expect(l, "kp_stalled:pr1:emp9:pertek/2027-06-26", "2027-07-05", 8);
    /* The mentoring pair, both sides, each at 08:00 of their own zone (Ratna in WIT). */
    expect(l, "mentor_idle:pair2:emp9:2027-07-01", "2027-07-01", 8);
    expect(l, "mentor_idle:pair2:emp3:2027-07-01", "2027-07-01", 8);
    /* JP: the 1 July checkpoint for those below half of 20 (not Dewi with 10, not Bambang who
     * wants only important ones, never Yuni the PPPK, who is warned of her plan instead). */
    static const int paced[] = {AGUS, HENDRA, RATNA, RUDI, SITI, FAJAR, LINA};
    for (size_t i = 0; i < sizeof paced / sizeof paced[0]; i++) {
        char key[64];
        snprintf(key, sizeof key, "jp_pace:jp2027:emp%d:2027-07-01", paced[i]);
        expect(l, key, "2027-07-01", 8);
    }
    expect(l, "jp_over:plan3:emp8:2027", "2027-06-21", 8);
    /* Lina's digest every working day with something stalled, except the holiday and the
     * downtime. */
    for (int d = 0; d <= 30; d++) {
        char day[11], key[64];
        kb_rem_date_add(D0, d, day);
        if (kb_weekday(day) > 5 || !strcmp(day, "2027-07-14") ||
            (strcmp(day, "2027-07-06") >= 0 && strcmp(day, "2027-07-09") <= 0))
            continue;
        snprintf(key, sizeof key, "hr_digest:unit1:emp11:%s", day);
        expect(l, key, day, 8);
    }
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].seen)
            fprintf(stderr, "unexpected reminder %s at %lld\n", l->v[i].key, (long long)l->v[i].at);
        CHECK(l->v[i].seen);
    }
    check_invariants(&w, l);
    /* Lina is also the HR officer of BKPSDM, where nothing stalls: each working day its digest
     * is worked out once and recorded without a message. */
    CHECK(query_int(&w,
                    "SELECT count(*) FROM reminders_sent WHERE employee_id = ?1 AND "
                    "key LIKE 'hr_digest:unit2:%' AND outbox_id IS NULL",
                    LINA) == 18);

    /* Merged: Agus's two escalations are one message naming both requesters. */
    const struct sent *a1 = find_sent(l, "appr_escalate:apr1:emp1:2027-06-21");
    const struct sent *a2 = find_sent(l, "appr_escalate:apr2:emp1:2027-06-21");
    CHECK(a1 && a2 && a1->outbox == a2->outbox);
    char *text = a1 ? query_text(&w, "SELECT text FROM outbox WHERE id = ?1", a1->outbox) : NULL;
    CHECK(text && strstr(text, "Pengingat untuk Bapak hari ini") && strstr(text, "Dewi Lestari") &&
          strstr(text, "Rudi Hartono") && strstr(text, "Hendra Pratama") &&
          strstr(text, "Yoga Saputra") && strstr(text, "6 hari kerja"));
    free(text);
    /* The register of DOMAIN.md, with the recipient's salutation. */
    const struct sent *x = find_sent(l, "rpi_soon:act3:emp4:2027-06-21");
    text = x ? query_text(&w, "SELECT text FROM outbox WHERE id = ?1", x->outbox) : NULL;
    CHECK(text && strstr(text, "kegiatan «Kursus Analisis Data» dalam RPI Ibu dijadwalkan "
                               "selesai 28 Juni 2027 (7 hari lagi)."));
    free(text);
    x = find_sent(l, "kp_stalled:pr1:emp9:validasi_bkn/2027-06-09");
    text = x ? query_text(&w, "SELECT text FROM outbox WHERE id = ?1", x->outbox) : NULL;
    CHECK(text && strstr(text, "<b>Pengingat:</b> berkas kenaikan pangkat Bapak berada di tahap "
                               "Validasi BKN sejak 9 Juni 2027 (10 hari kerja; biasanya 5 hari "
                               "kerja). Yang perlu bertindak: BKN."));
    free(text);
    x = find_sent(l, "appr_told:apr1:emp4:2027-06-21");
    text = x ? query_text(&w, "SELECT text FROM outbox WHERE id = ?1", x->outbox) : NULL;
    CHECK(text && strstr(text, "Kami sudah menyampaikannya kepada Agus Setiawan"));
    free(text);
    x = find_sent(l, "hr_digest:unit1:emp11:2027-06-24");
    text = x ? query_text(&w, "SELECT text FROM outbox WHERE id = ?1", x->outbox) : NULL;
    CHECK(text && strstr(text, "Fajar Nugroho") &&
          strstr(text, "Yoga Saputra belum "
                       "menghubungkan akun Telegram"));
    free(text);
    /* A reminder of one activity carries its buttons: Tandai selesai, Tunda, Nanti, each a
     * token of Dewi's chat that starts a flow at that activity. */
    x = find_sent(l, "rpi_due:act2:emp4:2027-06-22");
    text = x ? query_text(&w, "SELECT keyboard FROM outbox WHERE id = ?1", x->outbox) : NULL;
    CHECK(text && strstr(text, "Tandai selesai") && strstr(text, "Tunda") && strstr(text, "Nanti"));
    free(text);
    CHECK(query_int(&w,
                    "SELECT count(*) FROM buttons WHERE chat_id = ?1 AND seq = -1 AND "
                    "choice IN ('s:rpi:done:2', 's:rpi:postpone:2', 's:pengingat:later:2')",
                    CHAT(DEWI)) >= 3);
    /* The escalation is on the request too. */
    CHECK(query_int(&w, "SELECT escalated_at IS NOT NULL FROM approvals WHERE id = ?1", 1) == 1);
    CHECK(query_int(&w, "SELECT escalated_at IS NULL FROM approvals WHERE id = ?1", 3) == 1);

    /* Passes run again over days already done find everything sent: nothing twice. */
    size_t before = l->n;
    for (int64_t t = D0_UTC - 9 * HOUR; t < D0_UTC + 10 * DAY; t += 30 * 60)
        run_pass(&w, t);
    read_sent(&w, l);
    CHECK(l->n == before);
    free(l);
    world_close(&w);
    month_world = 0;
}

/* ---- caps, merging, transactions ------------------------------------------------------------ */

static void test_cap_and_merge(void)
{
    struct world w;
    world_open(&w, "cap");
    sql(&w, "INSERT INTO approvals(id, kind, subject_id, requester_id, approver_id, created_at)"
            "  VALUES (1, 'training', 1, 4, 2, 1813543200), (2, 'training', 2, 5, 2, 1813543200),"
            "  (3, 'training', 3, 6, 2, 1813543200), (4, 'training', 4, 9, 2, 1813543200),"
            "  (5, 'training', 5, 10, 2, 1813543200);");
    for (int64_t t = D0_UTC - 9 * HOUR; t < D0_UTC + 10 * DAY; t += 30 * 60)
        run_pass(&w, t);
    struct sentlist *l = calloc(1, sizeof *l);
    read_sent(&w, l);
    /* Hendra: five nudges due on Thursday, three that day in one message, two on Friday. */
    expect(l, "appr_nudge:apr1:emp2:2027-06-21", "2027-06-24", 8);
    expect(l, "appr_nudge:apr2:emp2:2027-06-21", "2027-06-24", 8);
    expect(l, "appr_nudge:apr3:emp2:2027-06-21", "2027-06-24", 8);
    expect(l, "appr_nudge:apr4:emp2:2027-06-21", "2027-06-25", 8);
    expect(l, "appr_nudge:apr5:emp2:2027-06-21", "2027-06-25", 8);
    const struct sent *a = find_sent(l, "appr_nudge:apr1:emp2:2027-06-21");
    const struct sent *c = find_sent(l, "appr_nudge:apr3:emp2:2027-06-21");
    CHECK(a && c && a->outbox == c->outbox);
    char *text = a ? query_text(&w, "SELECT text FROM outbox WHERE id = ?1", a->outbox) : NULL;
    int bullets = 0;
    for (const char *p = text; p && (p = strstr(p, "• ")); p += 2)
        bullets++;
    CHECK(bullets == 3);
    free(text);
    /* Agus: the five escalations, three on Tuesday and two on Wednesday. */
    int tue = 0, wed = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!strncmp(l->v[i].key, "appr_escalate:", 14)) {
            tue += !strcmp(l->v[i].local_date, "2027-06-29");
            wed += !strcmp(l->v[i].local_date, "2027-06-30");
        }
    }
    CHECK(tue == 3 && wed == 2);
    check_invariants(&w, l);

    /* A slice rolled back (a crash before its commit) leaves nothing; the next pass sends. */
    int64_t next = D0_UTC + 10 * DAY; /* Thursday 1 July, 08:00 WITA: the JP checkpoint */
    struct kb_remind_env env = {.st = w.st, .loc = loc, .policy = policy, .rules = rules};
    struct kb_remind_pass *p = kb_remind_pass_new(&env, next);
    int done = 0;
    CHECK(p && kb_store_begin(w.st) == KB_OK && kb_remind_pass_slice(p, &done) == KB_OK);
    CHECK(kb_remind_pass_stats(p)->messages == 0); /* not committed yet */
    kb_store_rollback(w.st);
    kb_remind_pass_rolled_back(p);
    kb_remind_pass_free(p);
    size_t before = l->n;
    read_sent(&w, l);
    CHECK(l->n == before);
    struct kb_remind_stats s;
    CHECK(kb_remind_run(&env, next, 1, &s) == KB_OK && s.messages > 0); /* a dry run */
    read_sent(&w, l);
    CHECK(l->n == before);
    CHECK(kb_remind_run(&env, next, 0, &s) == KB_OK && s.messages > 0);
    read_sent(&w, l);
    CHECK(l->n == before + (size_t)s.reminders);
    CHECK(kb_remind_run(&env, next + 60, 0, &s) == KB_OK && s.messages == 0);
    free(l);
    world_close(&w);
}

/* Slices that end early (slice_messages) or are small (slice_people) send the same reminders
 * as one big slice. */
static void keys_of_pass(const char *name, int people, int messages, char *out, size_t cap,
                         int64_t *slices)
{
    struct world w;
    world_open(&w, name);
    struct kb_reminder_rules r = *rules;
    r.slice_people = people;
    r.slice_messages = messages;
    struct kb_remind_env env = {.st = w.st, .loc = loc, .policy = policy, .rules = &r};
    struct kb_remind_stats st;
    CHECK(kb_remind_run(&env, D0_UTC + 10 * DAY, 0, &st) == KB_OK); /* 1 July, 08:00 WITA */
    *slices = st.slices;
    struct sentlist *l = calloc(1, sizeof *l);
    read_sent(&w, l);
    out[0] = '\0';
    for (size_t i = 0; i < l->n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s %lld|", l->v[i].key,
                 (long long)l->v[i].at);
    free(l);
    world_close(&w);
}

static void test_slices(void)
{
    char one[8192], many[8192], small[8192];
    int64_t n1, n2, n3;
    keys_of_pass("slice-one", 1000, 1000, one, sizeof one, &n1);
    keys_of_pass("slice-msgs", 1000, 2, many, sizeof many, &n2);
    keys_of_pass("slice-people", 3, 1000, small, sizeof small, &n3);
    CHECK(strlen(one) > 100 && !strcmp(one, many) && !strcmp(one, small));
    if (!(n1 == 1 && n2 >= 4 && n3 >= 4))
        fprintf(stderr, "slices: %lld %lld %lld\n", (long long)n1, (long long)n2, (long long)n3);
    CHECK(n1 == 1 && n2 >= 4 && n3 >= 4);
}

/* A unit with many stalled files: the digest lists what fits in one message and counts the
 * rest; a long title never makes a message Telegram refuses. */
static void test_long_digest(void)
{
    struct world w;
    world_open(&w, "digest");
    sql(&w, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
            "INSERT INTO employees(id, nip, name, asn_kind, grade, unit_id, supervisor_id, "
            "  updated_at) SELECT 100 + i, printf('%018d', 190000000000000000 + i), "
            "  'Pegawai Dengan Nama Yang Cukup Panjang Sekali Nomor ' || i, 'PNS', 'III/b', 1, 2, "
            "  0 FROM n;"
            "INSERT INTO promotions(id, employee_id, kind, target_grade, period) "
            "  SELECT employee_id, employee_id, 'reguler', 'III/c', '2027-10-01' FROM "
            "  (SELECT id AS employee_id FROM employees WHERE id > 100);"
            "INSERT INTO promotion_stages(promotion_id, stage, reached_on) "
            "  SELECT id, 'verifikasi_instansi', '2027-05-03' FROM promotions WHERE id > 100;");
    run_pass(&w, D0_UTC);
    char *text =
        query_text(&w,
                   "SELECT o.text FROM reminders_sent r JOIN outbox o ON o.id = r.outbox_id"
                   " WHERE r.key = 'hr_digest:unit1:emp11:2027-06-21' AND ?1",
                   1);
    CHECK(text && strlen(text) < 4000 && strstr(text, "hal lainnya.") &&
          strstr(text, "Fajar Nugroho"));
    free(text);
    world_close(&w);

    /* Nothing stalled: no message; the day's key is kept (no outbox row), so the digest is not
     * worked out again until tomorrow, and it takes no room under the daily cap. */
    world_open(&w, "digest-empty");
    sql(&w, "DELETE FROM promotion_stages; DELETE FROM promotions;");
    run_pass(&w, D0_UTC);
    CHECK(query_int(&w,
                    "SELECT count(*) FROM reminders_sent WHERE employee_id = ?1 AND "
                    "key = 'hr_digest:unit1:emp11:2027-06-21' AND outbox_id IS NULL",
                    LINA) == 1);
    CHECK(query_int(&w, "SELECT count(*) FROM outbox WHERE chat_id = ?1", CHAT(LINA)) == 0);
    world_close(&w);

    /* A unit without an HR officer: its digest goes to each admin (karirbot role grant
     * --admin), and to no one when there is none. */
    world_open(&w, "digest-admin");
    sql(&w, "UPDATE units SET hr_employee_id = NULL WHERE id = 1;");
    run_pass(&w, D0_UTC);
    CHECK(query_int(&w,
                    "SELECT count(*) FROM reminders_sent WHERE key LIKE 'hr_digest:unit1:%' "
                    "AND ?1",
                    1) == 0);
    sql(&w, "INSERT INTO roles(employee_id, role, unit_id, granted_at, granted_by) "
            "VALUES (1, 'admin', NULL, 0, 'test'), (3, 'admin', NULL, 0, 'test');");
    run_pass(&w, D0_UTC + 3600);
    CHECK(query_int(&w,
                    "SELECT count(*) FROM reminders_sent r JOIN outbox o ON o.id = "
                    "r.outbox_id WHERE r.key LIKE 'hr_digest:unit1:emp%' AND "
                    "o.text LIKE '%Fajar Nugroho%' AND ?1",
                    1) == 2);
    CHECK(query_int(&w,
                    "SELECT count(*) FROM reminders_sent WHERE key LIKE "
                    "'hr_digest:unit1:emp1:%' AND ?1",
                    1) == 1);
    world_close(&w);
}

/* ---- /pengingat ------------------------------------------------------------------------------ */

struct turn {
    struct kb_person actor;
    struct kb_event ev;
    struct kb_action_ctx ctx;
    struct kb_action_out out;
};

static int no_notify(struct kb_action_ctx *ctx, int64_t employee_id, const char *key,
                     const char *const *vars, size_t nvars, const struct kb_note_button *buttons,
                     size_t nbuttons, int64_t *sent_to)
{
    (void)ctx, (void)employee_id, (void)key, (void)vars, (void)nvars, (void)buttons;
    (void)nbuttons;
    *sent_to = 0;
    return 0;
}

static void turn_begin(struct turn *t, struct world *w, int64_t id, const char *name,
                       const char *value)
{
    memset(t, 0, sizeof *t);
    int found = 0;
    CHECK(kb_person_by_id(w->st, id, &t->actor, &found) == KB_OK && found);
    t->ev.chat_id = CHAT(id);
    t->ctx.st = w->st;
    t->ctx.ev = &t->ev;
    t->ctx.lang = "id";
    t->ctx.loc = loc;
    t->ctx.policy = policy;
    t->ctx.answers = cJSON_CreateObject();
    if (name)
        cJSON_AddStringToObject(t->ctx.answers, name, value);
    t->ctx.actor = &t->actor;
    t->ctx.now = D0_UTC + 2 * HOUR;
    snprintf(t->ctx.today, sizeof t->ctx.today, "%s", D0);
    t->ctx.notify = no_notify;
}

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
    return "";
}

static void turn_end(struct turn *t)
{
    kb_action_out_free(&t->out);
    cJSON_Delete(t->ctx.answers);
}

static void test_pengingat(void)
{
    struct world w;
    world_open(&w, "pengingat");
    struct turn t;
    struct kb_rem_prefs pr;

    turn_begin(&t, &w, HENDRA, NULL, NULL);
    CHECK(!strcmp(run(&t, "reminders_show"), "ok"));
    CHECK(strstr(var(&t, "status"), "semua pengingat aktif") != NULL);
    CHECK(strstr(var(&t, "recent"), "Belum ada pengingat") != NULL);
    CHECK(!strcmp(var(&t, "from"), "08.00") && !strcmp(var(&t, "to"), "17.00") &&
          !strcmp(var(&t, "zone"), "WITA") && !strcmp(var(&t, "cap"), "3") &&
          !strcmp(var(&t, "duty_days"), "3"));
    CHECK(!strcmp(run(&t, "reminders_entry"), "show"));
    turn_end(&t);

    /* Only important ones. */
    turn_begin(&t, &w, HENDRA, "mode", "urgent");
    CHECK(!strcmp(run(&t, "reminders_set"), "urgent"));
    CHECK(kb_rem_prefs_get(w.st, HENDRA, &pr) == KB_OK && !strcmp(pr.mode, "urgent"));
    CHECK(!strcmp(run(&t, "reminders_show"), "ok") &&
          strstr(var(&t, "status"), "hanya menerima pengingat penting"));
    turn_end(&t);
    turn_begin(&t, &w, HENDRA, "mode", "nothing");
    CHECK(!strcmp(run(&t, "reminders_set"), "unchanged"));
    turn_end(&t);

    /* Off for a while: at most 30 days; one's duties come back after 3 days. */
    turn_begin(&t, &w, HENDRA, "day", "2027-07-22");
    CHECK(!strcmp(run(&t, "reminders_snooze"), "too_far") &&
          !strcmp(var(&t, "max_date"), "21 Juli 2027"));
    turn_end(&t);
    turn_begin(&t, &w, HENDRA, "day", "2027-06-30");
    CHECK(!strcmp(run(&t, "reminders_snooze"), "snoozed_duty"));
    CHECK(!strcmp(var(&t, "date"), "30 Juni 2027") && !strcmp(var(&t, "resume"), "1 Juli 2027") &&
          !strcmp(var(&t, "duty_date"), "23 Juni 2027") &&
          !strcmp(var(&t, "duty_resume"), "24 Juni 2027"));
    CHECK(kb_rem_prefs_get(w.st, HENDRA, &pr) == KB_OK && !strcmp(pr.snooze_until, "2027-07-01") &&
          !strcmp(pr.approvals_until, "2027-06-24") && !strcmp(pr.mode, "urgent"));
    CHECK(!strcmp(run(&t, "reminders_show"), "ok") &&
          strstr(var(&t, "status"), "dimatikan sampai 30 Juni 2027") &&
          strstr(var(&t, "status"), "ditunda sampai 23 Juni 2027"));
    turn_end(&t);
    turn_begin(&t, &w, HENDRA, "day", "2027-06-22");
    CHECK(!strcmp(run(&t, "reminders_snooze"), "snoozed"));
    CHECK(kb_rem_prefs_get(w.st, HENDRA, &pr) == KB_OK && !strcmp(pr.snooze_until, "2027-06-23") &&
          !strcmp(pr.approvals_until, "2027-06-23"));
    turn_end(&t);
    /* All on again ends the snooze. */
    turn_begin(&t, &w, HENDRA, "mode", "all");
    CHECK(!strcmp(run(&t, "reminders_set"), "all"));
    CHECK(kb_rem_prefs_get(w.st, HENDRA, &pr) == KB_OK && !strcmp(pr.mode, "all") &&
          !pr.snooze_until[0] && !pr.approvals_until[0]);
    turn_end(&t);

    /* A snoozed person gets no reminder; their duties come back when the duty snooze ends. */
    sql(&w, "INSERT INTO approvals(id, kind, subject_id, requester_id, approver_id, created_at)"
            "  VALUES (1, 'training', 1, 4, 2, 1813543200);"
            "INSERT INTO reminder_prefs(employee_id, mode, snooze_until, approvals_until,"
            "  updated_at) VALUES (4, 'all', '2027-07-01', '2027-06-24', 0)"
            "  ON CONFLICT(employee_id) DO UPDATE SET snooze_until = '2027-07-01';");
    for (int64_t tt = D0_UTC - 9 * HOUR; tt < D0_UTC + 10 * DAY; tt += 30 * 60)
        run_pass(&w, tt);
    struct sentlist *l = calloc(1, sizeof *l);
    read_sent(&w, l);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].employee == DEWI)
            CHECK(strcmp(l->v[i].local_date, "2027-07-01") >= 0); /* nothing while snoozed */
    expect(l, "appr_nudge:apr1:emp2:2027-06-21", "2027-06-24", 8);
    free(l);
    /* The overview lists what was sent. */
    turn_begin(&t, &w, HENDRA, NULL, NULL);
    CHECK(!strcmp(run(&t, "reminders_show"), "ok") &&
          strstr(var(&t, "recent"), "permintaan yang menunggu keputusan Bapak"));
    turn_end(&t);

    /* "Nanti": when the next reminder of the activity comes. */
    turn_begin(&t, &w, DEWI, "arg", "later:3"); /* the course, due Monday 28 June */
    CHECK(!strcmp(run(&t, "reminders_entry"), "later") &&
          !strcmp(var(&t, "date"), "28 Juni 2027") &&
          !strcmp(var(&t, "title"), "Kursus Analisis Data"));
    turn_end(&t);
    turn_begin(&t, &w, DEWI, "arg", "later:2"); /* the late seminar: next week's reminder */
    CHECK(!strcmp(run(&t, "reminders_entry"), "later") && !strcmp(var(&t, "date"), "22 Juni 2027"));
    turn_end(&t);
    turn_begin(&t, &w, DEWI, "arg", "later:1"); /* finished */
    CHECK(!strcmp(run(&t, "reminders_entry"), "later_gone"));
    turn_end(&t);
    turn_begin(&t, &w, RUDI, "arg", "later:3"); /* not his */
    CHECK(!strcmp(run(&t, "reminders_entry"), "later_gone"));
    turn_end(&t);
    world_close(&w);
}

/* ---- main ------------------------------------------------------------------------------------ */

int main(void)
{
    kb_log_set_level(KB_LOG_WARN);
    struct kb_diag d = {0};
    loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &d);
    rules = kb_reminder_rules_load(KB_SOURCE_DATA_DIR, NULL, &d);
    for (size_t i = 0; i < d.nlines; i++)
        fprintf(stderr, "%s\n", d.lines[i]);
    kb_diag_free(&d);
    if (!loc || !policy || !rules) {
        fprintf(stderr, "the shipped data do not load\n");
        return 1;
    }
    kb_reminder_rules_publish(rules);
    RUN(test_rpi_windows);
    RUN(test_hours_and_days);
    RUN(test_other_kinds);
    RUN(test_rules_file);
    RUN(test_month);
    RUN(test_cap_and_merge);
    RUN(test_slices);
    RUN(test_long_digest);
    RUN(test_pengingat);
    kb_reminder_rules_publish(NULL);
    kb_reminder_rules_free(rules);
    kb_policy_free(policy);
    kb_locale_free(loc);
    return CHECK_SUMMARY();
}
