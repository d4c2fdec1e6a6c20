/* test_trainings: training registration (src/store/trainings.c, src/dialog/act_trainings.c) on
 * the demo organisation (deploy/demo/demo.sql) in a real SQLite file, through the real actions,
 * policy, locales and approval core; only the delivery of messages to other people is
 * recorded instead of queued.
 *
 * Today is 2026-11-18 (WITA), as in the transcripts. The demo's trainings: 1 Python bimtek
 * (min III/a, quota 20), 2 policy-writing course (min III/a, quota 1, its seat held by Bambang),
 * 3 e-learning (no minimum), 4 Administrator leadership (min IV/a), 5 a workshop whose deadline
 * passed. People: Agus 1 (IV/c, no supervisor), Hendra 2 (IV/a), Dewi 4 (III/b, supervisor
 * Hendra), Rudi 5 (III/a, supervisor Hendra), Bambang 7 (IV/b), Yuni 8 (PPPK IX, supervisor
 * Hendra), Maya 10 (CPNS III/a, not linked), Lina 11 (HR, no supervisor). */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdarg.h>
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
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/store.h"
#include "karirbot/trainings.h"

#define TODAY "2026-11-18"

enum { AGUS = 1, HENDRA = 2, DEWI = 4, RUDI = 5, BAMBANG = 7, YUNI = 8, MAYA = 10, LINA = 11 };
enum { T_PYTHON = 1, T_POLICY = 2, T_ELEARNING = 3, T_ADMIN = 4, T_WORKSHOP = 5 };

static struct {
    char path[512];
    struct kb_store *st;
    sqlite3 *db; /* a second connection, for the test's own reads and fixture edits */
    struct kb_locale *loc;
    struct kb_policy *policy;
    int no_policy;
    int64_t now;
    cJSON *answers;
    struct kb_action_out out;
} F;

/* ---- messages to other people ---------------------------------------------------------------- */

#define NOTES_MAX 32
static struct note {
    int64_t to;
    int64_t chat;
    char key[64];
    char text[2048]; /* rendered in the recipient's language */
    size_t nbuttons;
} notes[NOTES_MAX];
static int nnotes;

static int record_notify(struct kb_action_ctx *ctx, int64_t employee_id, const char *key,
                         const char *const *vars, size_t nvars,
                         const struct kb_note_button *buttons, size_t nbuttons, int64_t *sent_to)
{
    (void)buttons;
    struct kb_person p;
    int found = 0;
    *sent_to = 0;
    if (kb_person_by_id(ctx->st, employee_id, &p, &found) != KB_OK)
        return -1;
    if (nnotes < NOTES_MAX) {
        struct note *n = &notes[nnotes++];
        n->to = employee_id;
        n->chat = found ? p.chat_id : 0;
        snprintf(n->key, sizeof n->key, "%s", key);
        char *text = kb_locale_render(ctx->loc, "id", key, vars, nvars);
        snprintf(n->text, sizeof n->text, "%s", text ? text : "");
        free(text);
        n->nbuttons = nbuttons;
    }
    *sent_to = found ? p.chat_id : 0;
    return 0;
}

static int notes_with(const char *key, int64_t to)
{
    int c = 0;
    for (int i = 0; i < nnotes; i++)
        c += !strcmp(notes[i].key, key) && (to == 0 || notes[i].to == to);
    return c;
}

static const char *note_text(const char *key, int64_t to)
{
    for (int i = nnotes - 1; i >= 0; i--)
        if (!strcmp(notes[i].key, key) && notes[i].to == to)
            return notes[i].text;
    return "";
}

/* ---- the world ------------------------------------------------------------------------------ */

static void open_world(const char *name)
{
    demo_path(F.path, sizeof F.path, "trainings", name);
    CHECK(kb_store_open(&F.st, F.path, 2000) == KB_OK);
    /* demo.sql, then this area's own demo rows when there are any (deploy/demo/trainings.sql) */
    CHECK(demo_seed_area(F.st, TODAY, "trainings") == 0);
    CHECK(sqlite3_open(F.path, &F.db) == SQLITE_OK);
    sqlite3_busy_timeout(F.db, 2000);
    F.loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    struct kb_diag diag = {0};
    F.policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    kb_diag_free(&diag);
    CHECK(F.loc && F.policy);
    F.no_policy = 0;
    F.now = 1795000000; /* 2026-11-18 19:06 WITA */
    F.answers = cJSON_CreateObject();
    memset(&F.out, 0, sizeof F.out);
    nnotes = 0;
}

static void close_world(void)
{
    kb_action_out_free(&F.out);
    cJSON_Delete(F.answers);
    kb_policy_free(F.policy);
    kb_locale_free(F.loc);
    sqlite3_close(F.db);
    kb_store_close(F.st);
    demo_remove(F.path);
}

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
    char q[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    char *err = NULL;
    if (sqlite3_exec(F.db, q, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sql failed: %s: %s\n", q, err ? err : "?");
        checks_failed++;
    }
    sqlite3_free(err);
}

/* The first column of the first row as an integer (-1 when there is no row). */
static int64_t qint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t qint(const char *fmt, ...)
{
    char q[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(F.db, q, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else if (!s)
        fprintf(stderr, "query failed: %s: %s\n", q, sqlite3_errmsg(F.db));
    sqlite3_finalize(s);
    return v;
}

static const char *qtext(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *qtext(const char *fmt, ...)
{
    static char buf[1024];
    char q[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    sqlite3_stmt *s = NULL;
    snprintf(buf, sizeof buf, "(no row)");
    if (sqlite3_prepare_v2(F.db, q, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        snprintf(buf, sizeof buf, "%s", t ? (const char *)t : "(null)");
    }
    sqlite3_finalize(s);
    return buf;
}

static void answer(const char *name, const char *value)
{
    cJSON_DeleteItemFromObjectCaseSensitive(F.answers, name);
    cJSON_AddStringToObject(F.answers, name, value);
}

static void answer_id(const char *name, int64_t id)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)id);
    answer(name, v);
}

static void forget_answers(void)
{
    cJSON_Delete(F.answers);
    F.answers = cJSON_CreateObject();
}

/* Runs an action as employee actor on the date today, in its own transaction as the engine
 * does; returns its result word ("(failed)" when it failed, and the transaction rolled back). */
static const char *act_on(int64_t actor, const char *today, const char *action)
{
    kb_action_out_free(&F.out);
    memset(&F.out, 0, sizeof F.out);
    F.now += 60;
    struct kb_person p;
    int found = 0;
    if (kb_person_by_id(F.st, actor, &p, &found) != KB_OK)
        return "(failed)";
    struct kb_event ev = {
        .kind = KB_EV_TEXT, .chat_id = p.chat_id ? p.chat_id : 1, .user_id = p.chat_id};
    struct kb_action_ctx ctx = {.st = F.st,
                                .ev = &ev,
                                .lang = "id",
                                .loc = F.loc,
                                .policy = F.no_policy ? NULL : F.policy,
                                .answers = F.answers,
                                .actor = found && p.chat_id ? &p : NULL, /* as the engine */
                                .now = F.now,
                                .notify = record_notify};
    snprintf(ctx.today, sizeof ctx.today, "%s", today);
    if (kb_store_begin(F.st) != KB_OK)
        return "(failed)";
    if (kb_action_run(action, &ctx, &F.out) != 0) {
        kb_store_rollback(F.st);
        return "(failed)";
    }
    return kb_store_commit(F.st) == KB_OK ? F.out.result : "(failed)";
}

static const char *act(int64_t actor, const char *action)
{
    return act_on(actor, TODAY, action);
}

static const char *var(const char *name)
{
    for (size_t i = 0; i < F.out.nvars; i++)
        if (!strcmp(F.out.vars[i].name, name))
            return F.out.vars[i].value;
    return "(unset)";
}

/* The list items' values joined by commas. */
static const char *items(void)
{
    static char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < F.out.nitems; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "",
                                F.out.items[i].value);
    return buf;
}

static int has_item(int64_t value)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)value);
    for (size_t i = 0; i < F.out.nitems; i++)
        if (!strcmp(F.out.items[i].value, v))
            return 1;
    return 0;
}

static const char *open_for(int64_t who)
{
    forget_answers();
    act(who, "training_open_list");
    return items();
}

/* Registers who for training through the flow's actions (no RPI activity unless given);
 * returns training_register's result, and the new registration in *reg. */
static const char *do_register(int64_t who, int64_t training, int64_t activity, int64_t *reg)
{
    forget_answers();
    answer_id("training", training);
    const char *r = act(who, "training_reg_start");
    if (strcmp(r, "ok"))
        return r;
    answer("reason", "Untuk mengembangkan kompetensi analisis data di unit kerja");
    answer_id("activity", activity);
    static char res[KB_ACTION_RESULT_MAX];
    snprintf(res, sizeof res, "%s", act(who, "training_register"));
    *reg = qint("SELECT max(id) FROM registrations WHERE employee_id = %lld", (long long)who);
    return res;
}

/* The supervisor presses Setujui (or Tolak) on the card through the approval core. */
static const char *decide(int64_t approver, int64_t reg, int yes, const char *reason)
{
    int64_t approval =
        qint("SELECT id FROM approvals WHERE kind = 'training' AND subject_id = %lld "
             "ORDER BY id DESC LIMIT 1",
             (long long)reg);
    char arg[48];
    snprintf(arg, sizeof arg, "%lld:%s", (long long)approval, yes ? "yes" : "no");
    forget_answers();
    answer("arg", arg);
    if (reason)
        answer("reason", reason);
    return act(approver, yes ? "approval_approve" : "approval_reject");
}

static const char *status_of(int64_t reg)
{
    return qtext("SELECT status || '/' || seat FROM registrations WHERE id = %lld", (long long)reg);
}

static int64_t seats_held(int64_t training)
{
    return qint("SELECT count(*) FROM registrations WHERE training_id = %lld AND seat = 1",
                (long long)training);
}

/* ---- eligibility ------------------------------------------------------------------------------
 */

static void test_open_list_follows_rank_deadline_and_kind(void)
{
    open_world("eligibility");
    /* Dewi III/b: the two III/a trainings and the e-learning, earliest start first; not the
     * IV/a leadership training, not the workshop whose deadline passed. */
    CHECK_STR(open_for(DEWI), "3,1,2");
    CHECK_STR(F.out.result, "some");
    CHECK_STR(F.out.items[1].label,
              "Bimbingan Teknis Analisis Data dengan Python (18 Desember 2026)");
    CHECK_STR(open_for(HENDRA), "3,1,2,4"); /* IV/a reaches the leadership training */
    CHECK_STR(open_for(RUDI), "3,1,2");     /* III/a: exactly the minimum */
    /* A CPNS holds a golongan/ruang on the same ladder; Maya is not linked, so her list is
     * asked as Rudi's twin: same rank, same kind of answer. A PPPK golongan is no PNS rank:
     * only the training without a minimum. */
    sql("UPDATE employees SET asn_kind = 'CPNS' WHERE id = %d", RUDI);
    CHECK_STR(open_for(RUDI), "3,1,2");
    CHECK_STR(open_for(YUNI), "3");
    /* A rank the ladder does not know, or no policy at all: only trainings without a minimum. */
    sql("UPDATE employees SET grade = 'III/z' WHERE id = %d", RUDI);
    CHECK_STR(open_for(RUDI), "3");
    F.no_policy = 1;
    CHECK_STR(open_for(DEWI), "3");
    F.no_policy = 0;
    sql("UPDATE employees SET grade = 'III/a', asn_kind = 'PNS' WHERE id = %d", RUDI);

    /* The deadline is the last day to register: open on that day, closed the day after. */
    sql("UPDATE trainings SET deadline = '2026-11-18' WHERE id = %d", T_PYTHON);
    CHECK_STR(open_for(DEWI), "3,1,2");
    CHECK_STR(act_on(DEWI, "2026-11-19", "training_open_list"), "some");
    CHECK_STR(items(), "3,2");
    sql("UPDATE trainings SET status = 'tutup' WHERE id = %d", T_ELEARNING);
    CHECK_STR(open_for(DEWI), "1,2");

    /* Already registered: gone from the list while the registration lives. */
    int64_t reg = 0;
    CHECK_STR(do_register(DEWI, T_PYTHON, 0, &reg), "sent");
    CHECK_STR(open_for(DEWI), "2");
    CHECK_STR(open_for(RUDI), "1,2"); /* someone else's registration changes nothing */
    sql("UPDATE registrations SET status = 'dibatalkan' WHERE id = %lld", (long long)reg);
    CHECK_STR(open_for(DEWI), "1,2");

    /* Nothing left: "none", and the flow says so. */
    sql("UPDATE trainings SET status = 'tutup'");
    CHECK_STR(open_for(DEWI), "");
    CHECK_STR(F.out.result, "none");
    close_world();
}

static void test_details_are_rechecked_and_formatted(void)
{
    open_world("details");
    forget_answers();
    answer_id("training", T_PYTHON);
    CHECK_STR(act(DEWI, "training_detail"), "ok");
    CHECK_STR(var("dates"), "18–20 Desember 2026");
    CHECK_STR(var("cost"), "Rp1.500.000 per peserta");
    CHECK_STR(var("seats_left"), "20");
    CHECK_STR(var("deadline"), "2 Desember 2026");
    CHECK_STR(var("min_grade"), "Penata Muda (III/a)");
    CHECK(strstr(var("seat_note"), "Kursi masih tersedia") != NULL);

    answer_id("training", T_POLICY); /* quota 1, held by Bambang: registering means waiting */
    CHECK_STR(act(DEWI, "training_detail"), "ok");
    CHECK_STR(var("seats_left"), "0");
    CHECK(strstr(var("seat_note"), "daftar tunggu") != NULL);

    answer_id("training", T_ELEARNING); /* across a year end, no cost, no minimum */
    CHECK_STR(act(DEWI, "training_detail"), "ok");
    CHECK_STR(var("dates"), "25 November 2026 – 17 Januari 2027");
    CHECK_STR(var("cost"), "tanpa biaya");
    CHECK_STR(var("min_grade"), "semua pangkat/golongan");

    /* Ids the list never offered are refused with a reason. */
    answer_id("training", T_ADMIN);
    CHECK_STR(act(DEWI, "training_detail"), "gone");
    CHECK(strstr(var("why"), "pangkat/golongan") != NULL);
    answer_id("training", T_WORKSHOP);
    CHECK_STR(act(DEWI, "training_detail"), "gone");
    CHECK(strstr(var("why"), "ditutup") != NULL);
    answer_id("training", 999);
    CHECK_STR(act(DEWI, "training_detail"), "gone");
    answer("training", "1; DROP TABLE trainings");
    CHECK_STR(act(DEWI, "training_detail"), "ok"); /* read as the number 1, nothing else */
    CHECK(qint("SELECT count(*) FROM trainings") == 5);
    close_world();
}

/* ---- registering and deciding -----------------------------------------------------------------
 */

static void test_register_links_rpi_and_asks_the_supervisor(void)
{
    open_world("register");
    /* The RPI step offers Dewi's open activities of this year, then "none". */
    forget_answers();
    CHECK_STR(act(DEWI, "training_rpi_options"), "some");
    int64_t kursus = qint("SELECT id FROM rpi_activities WHERE title = 'Kursus Analisis Data'");
    int64_t done = qint("SELECT id FROM rpi_activities WHERE status = 'selesai' AND plan_id = 1");
    int64_t rudis = qint("SELECT id FROM rpi_activities WHERE plan_id = 2");
    CHECK(has_item(kursus));
    CHECK(!has_item(done)); /* finished activities are not offered */
    CHECK_STR(F.out.items[F.out.nitems - 1].value, "0");
    CHECK_STR(F.out.items[F.out.nitems - 1].label, "Tanpa kegiatan RPI");
    CHECK_STR(act(YUNI, "training_rpi_options"), "none"); /* no plan: the step is skipped */

    /* Someone else's activity is refused at the summary and at sending. */
    forget_answers();
    answer_id("training", T_PYTHON);
    answer("reason", "Untuk mengembangkan kompetensi analisis data");
    answer_id("activity", rudis);
    CHECK_STR(act(DEWI, "training_summary"), "gone");
    CHECK_STR(act(DEWI, "training_register"), "gone");
    CHECK(qint("SELECT count(*) FROM registrations WHERE employee_id = %d", DEWI) == 0);

    answer_id("activity", kursus);
    CHECK_STR(act(DEWI, "training_summary"), "ok");
    CHECK_STR(var("activity_title"), "Kursus Analisis Data");
    CHECK_STR(var("supervisor"), "Bapak Hendra Pratama");
    nnotes = 0;
    CHECK_STR(act(DEWI, "training_register"), "sent");
    int64_t reg = qint("SELECT id FROM registrations WHERE employee_id = %d", DEWI);
    CHECK_STR(status_of(reg), "diajukan/0");
    CHECK(qint("SELECT activity_id FROM registrations WHERE id = %lld", (long long)reg) == kursus);
    CHECK_STR(qtext("SELECT status || ' ' || approver_id FROM approvals WHERE kind = 'training' "
                    "AND subject_id = %lld",
                    (long long)reg),
              "menunggu 2");
    /* The card goes to Hendra with Setujui / Tolak / Detail and says what is asked. */
    CHECK(notes_with("approval_card_training", HENDRA) == 1);
    CHECK(strstr(note_text("approval_card_training", HENDRA),
                 "Bimbingan Teknis Analisis Data dengan Python, 18–20 Desember 2026") != NULL);
    CHECK(nnotes == 1 && notes[0].nbuttons == 3);
    CHECK_STR(var("supervisor"), "Bapak Hendra Pratama");

    /* The same training twice: refused, one registration. An activity already linked is no
     * longer offered. */
    CHECK_STR(act(DEWI, "training_register"), "gone");
    CHECK(qint("SELECT count(*) FROM registrations WHERE employee_id = %d", DEWI) == 1);
    CHECK_STR(act(DEWI, "training_rpi_options"), "some");
    CHECK(!has_item(kursus));
    close_world();
}

static void test_no_supervisor_or_unlinked_supervisor(void)
{
    open_world("supervisor");
    int64_t reg = 0;
    /* Lina has no supervisor recorded: told before she writes a reason; nothing recorded. */
    CHECK_STR(do_register(LINA, T_PYTHON, 0, &reg), "no_supervisor");
    answer("reason", "Untuk mengembangkan kompetensi analisis data");
    CHECK_STR(act(LINA, "training_register"), "no_supervisor");
    CHECK(qint("SELECT count(*) FROM registrations WHERE employee_id = %d", LINA) == 0);

    /* Dewi's supervisor without a linked account (Maya): recorded, and HR (Lina) is asked. */
    sql("UPDATE employees SET supervisor_id = %d WHERE id = %d", MAYA, DEWI);
    nnotes = 0;
    CHECK_STR(do_register(DEWI, T_PYTHON, 0, &reg), "sent_unlinked");
    CHECK_STR(status_of(reg), "diajukan/0");
    CHECK(notes_with("approval_card_training", MAYA) == 1 && notes[0].chat == 0);
    CHECK(notes_with("training_note_hr_unlinked", LINA) == 1);
    CHECK(strstr(note_text("training_note_hr_unlinked", LINA), "Dewi Lestari") != NULL);
    /* No HR officer to ask: the requester is told to ask herself. */
    sql("UPDATE units SET hr_employee_id = NULL");
    CHECK_STR(do_register(DEWI, T_ELEARNING, 0, &reg), "sent_unlinked_nohr");
    close_world();
}

static void test_approval_gives_a_seat_and_tells_the_requester(void)
{
    open_world("approve");
    int64_t reg = 0;
    CHECK_STR(do_register(DEWI, T_PYTHON, 0, &reg), "sent");
    nnotes = 0;
    CHECK_STR(decide(HENDRA, reg, 1, NULL), "approved");
    CHECK_STR(status_of(reg), "disetujui/1");
    CHECK(seats_held(T_PYTHON) == 1);
    CHECK(notes_with("training_note_approved", DEWI) == 1);
    const char *told = note_text("training_note_approved", DEWI);
    CHECK(strstr(told, "Bapak Hendra Pratama") != NULL && strstr(told, "BKPSDM") != NULL);
    /* A second press changes nothing and tells nobody again. */
    CHECK(strcmp(decide(HENDRA, reg, 1, NULL), "approved") != 0);
    CHECK(notes_with("training_note_approved", DEWI) == 1);
    CHECK(seats_held(T_PYTHON) == 1);

    /* Rejected: ditolak with the reason; the training may be chosen again. */
    CHECK_STR(do_register(RUDI, T_PYTHON, 0, &reg), "sent");
    CHECK_STR(decide(HENDRA, reg, 0, "Jadwal bertabrakan dengan tutup tahun anggaran"), "rejected");
    CHECK_STR(status_of(reg), "ditolak/0");
    CHECK(strstr(note_text("training_note_rejected", RUDI), "bertabrakan") != NULL);
    CHECK_STR(open_for(RUDI), "3,1,2");
    answer_id("reg", reg);
    CHECK_STR(act(RUDI, "training_my_detail"), "show");
    CHECK(strstr(var("note"), "bertabrakan") != NULL);
    close_world();
}

static void test_full_training_queues_in_registration_order(void)
{
    open_world("queue");
    int64_t dewi = 0, rudi = 0;
    CHECK_STR(do_register(DEWI, T_POLICY, 0, &dewi), "sent"); /* registered first */
    CHECK_STR(do_register(RUDI, T_POLICY, 0, &rudi), "sent");
    nnotes = 0;
    /* Rudi's supervisor decides first, Dewi's later: Dewi still comes first in the line. */
    CHECK_STR(decide(HENDRA, rudi, 1, NULL), "approved");
    CHECK_STR(status_of(rudi), "daftar_tunggu/0");
    CHECK(strstr(note_text("training_note_waiting", RUDI), "urutan ke-1") != NULL);
    CHECK_STR(decide(HENDRA, dewi, 1, NULL), "approved");
    CHECK_STR(status_of(dewi), "daftar_tunggu/0");
    CHECK(strstr(note_text("training_note_waiting", DEWI), "urutan ke-1") != NULL);
    CHECK(seats_held(T_POLICY) == 1); /* Bambang's, still */
    forget_answers();
    CHECK_STR(act(RUDI, "training_my_regs"), "some");
    CHECK(strstr(var("regs"), "urutan ke-2") != NULL);
    CHECK_STR(F.out.items[0].label, "Pelatihan Penulisan Naskah Kebijakan (daftar tunggu ke-2)");

    /* Bambang cancels: his seat goes to the first in line (Dewi), and only to her. */
    int64_t bambang = qint("SELECT id FROM registrations WHERE employee_id = %d", BAMBANG);
    nnotes = 0;
    forget_answers();
    answer_id("reg", bambang);
    CHECK_STR(act(BAMBANG, "training_my_detail"), "cancellable");
    CHECK_STR(act(BAMBANG, "training_cancel"), "cancelled");
    CHECK(strstr(var("cancel_note"), "pendaftar berikutnya") != NULL);
    CHECK_STR(status_of(bambang), "dibatalkan/0");
    CHECK_STR(status_of(dewi), "disetujui/1");
    CHECK_STR(status_of(rudi), "daftar_tunggu/0");
    CHECK(seats_held(T_POLICY) == 1);
    CHECK(nnotes == 1 && notes_with("training_note_seat_given", DEWI) == 1);
    forget_answers();
    answer_id("reg", rudi);
    CHECK_STR(act(RUDI, "training_my_detail"), "cancellable");
    CHECK_STR(var("status"), "Daftar tunggu, urutan ke-1");

    /* Cancelling a place in the line frees no seat and tells nobody. */
    nnotes = 0;
    CHECK_STR(act(RUDI, "training_cancel"), "cancelled");
    CHECK(strstr(var("cancel_note"), "daftar tunggu") != NULL);
    CHECK(nnotes == 0 && seats_held(T_POLICY) == 1);
    close_world();
}

static void test_two_approvals_never_exceed_the_quota(void)
{
    open_world("race");
    sql("UPDATE trainings SET quota = 1 WHERE id = %d", T_PYTHON);
    int64_t dewi = 0, rudi = 0;
    CHECK_STR(do_register(DEWI, T_PYTHON, 0, &dewi), "sent");
    CHECK_STR(do_register(RUDI, T_PYTHON, 0, &rudi), "sent");
    CHECK_STR(decide(HENDRA, dewi, 1, NULL), "approved");
    CHECK_STR(decide(HENDRA, rudi, 1, NULL), "approved");
    CHECK_STR(status_of(dewi), "disetujui/1");
    CHECK_STR(status_of(rudi), "daftar_tunggu/0");
    CHECK(seats_held(T_PYTHON) == 1);
    /* Handing seats on again finds none free. */
    struct kb_seat_given given[4];
    int n = -1;
    CHECK(kb_store_begin(F.st) == KB_OK);
    CHECK(kb_training_fill_seats(F.st, T_PYTHON, F.now, given, 4, &n) == KB_OK && n == 0);
    kb_store_commit(F.st);
    /* HR raises the quota by two: a hand-on gives a seat to each one waiting (here one), and
     * a cancelled training gives none. */
    sql("UPDATE trainings SET quota = 3 WHERE id = %d", T_PYTHON);
    CHECK(kb_store_begin(F.st) == KB_OK);
    CHECK(kb_training_fill_seats(F.st, T_PYTHON, F.now, given, 4, &n) == KB_OK && n == 1);
    CHECK(n == 1 && given[0].registration_id == rudi && given[0].employee_id == RUDI);
    kb_store_commit(F.st);
    CHECK(seats_held(T_PYTHON) == 2);
    sql("UPDATE registrations SET status = 'daftar_tunggu', seat = 0 WHERE id = %lld",
        (long long)rudi);
    sql("UPDATE trainings SET status = 'batal' WHERE id = %d", T_PYTHON);
    CHECK(kb_store_begin(F.st) == KB_OK);
    CHECK(kb_training_fill_seats(F.st, T_PYTHON, F.now, given, 4, &n) == KB_OK && n == 0);
    kb_store_commit(F.st);
    close_world();
}

static void test_cancel_withdraws_the_request_and_stops_at_the_start(void)
{
    open_world("cancel");
    int64_t reg = 0;
    CHECK_STR(do_register(DEWI, T_ELEARNING, 0, &reg), "sent");
    forget_answers();
    answer_id("reg", reg);
    CHECK_STR(act(DEWI, "training_my_detail"), "cancellable");
    CHECK_STR(act(DEWI, "training_cancel"), "cancelled");
    CHECK(strstr(var("cancel_note"), "ditarik") != NULL);
    CHECK_STR(status_of(reg), "dibatalkan/0");
    CHECK_STR(qtext("SELECT status FROM approvals WHERE subject_id = %lld AND kind = 'training'",
                    (long long)reg),
              "ditarik");
    /* The card pressed afterwards: nothing is decided, the registration stays cancelled. */
    nnotes = 0;
    CHECK_STR(decide(HENDRA, reg, 1, NULL), "withdrawn");
    CHECK_STR(status_of(reg), "dibatalkan/0");
    CHECK(nnotes == 0);
    /* Cancelled twice: gone. */
    forget_answers();
    answer_id("reg", reg);
    CHECK_STR(act(DEWI, "training_cancel"), "gone");

    /* Registered again, then the training starts (2026-11-25): no cancelling any more. */
    CHECK_STR(do_register(DEWI, T_ELEARNING, 0, &reg), "sent");
    forget_answers();
    answer_id("reg", reg);
    CHECK_STR(act_on(DEWI, "2026-11-24", "training_my_detail"), "cancellable");
    CHECK_STR(act_on(DEWI, "2026-11-25", "training_my_detail"), "show");
    CHECK(strstr(var("note"), "sudah dimulai") != NULL);
    CHECK_STR(act_on(DEWI, "2026-11-25", "training_cancel"), "started");
    CHECK_STR(status_of(reg), "diajukan/0");
    close_world();
}

static void test_only_the_owner_sees_or_cancels_a_registration(void)
{
    open_world("owner");
    int64_t reg = 0;
    CHECK_STR(do_register(DEWI, T_PYTHON, 0, &reg), "sent");
    forget_answers();
    answer_id("reg", reg);
    CHECK_STR(act(RUDI, "training_my_detail"), "gone");
    CHECK_STR(var("title"), "(unset)");
    CHECK_STR(act(RUDI, "training_cancel"), "gone");
    CHECK_STR(status_of(reg), "diajukan/0");
    CHECK_STR(act(RUDI, "training_my_regs"), "none");
    CHECK_STR(act(DEWI, "training_my_regs"), "some");
    CHECK(strstr(var("regs"), "Menunggu persetujuan atasan langsung") != NULL);
    /* Not linked (no actor): nothing. */
    CHECK_STR(act(MAYA, "training_open_list"), "none");
    CHECK_STR(act(MAYA, "training_my_detail"), "gone");
    /* The card decided by someone who is not the approver: refused, nothing changes. */
    CHECK_STR(decide(RUDI, reg, 1, NULL), "forbidden");
    CHECK_STR(status_of(reg), "diajukan/0");
    /* decided() on a registration of someone else than the recorded requester: nothing. */
    struct kb_person hendra;
    int found = 0;
    CHECK(kb_person_by_id(F.st, HENDRA, &hendra, &found) == KB_OK && found);
    struct kb_event ev = {.kind = KB_EV_TEXT, .chat_id = hendra.chat_id};
    struct kb_action_ctx ctx = {.st = F.st,
                                .ev = &ev,
                                .lang = "id",
                                .loc = F.loc,
                                .policy = F.policy,
                                .answers = F.answers,
                                .actor = &hendra,
                                .now = F.now,
                                .notify = record_notify,
                                .today = TODAY};
    nnotes = 0;
    CHECK(kb_store_begin(F.st) == KB_OK);
    CHECK(kb_approval_training.decided(&ctx, reg, RUDI, 1, NULL) == 0);
    kb_store_commit(F.st);
    CHECK_STR(status_of(reg), "diajukan/0");
    CHECK(nnotes == 0);
    char what[256];
    CHECK(kb_store_begin(F.st) == KB_OK);
    CHECK(kb_approval_training.describe(&ctx, reg, what, sizeof what) == 0);
    kb_store_commit(F.st);
    CHECK_STR(what, "Bimbingan Teknis Analisis Data dengan Python, 18–20 Desember 2026");
    close_world();
}

/* ---- completion into the RPI ------------------------------------------------------------------
 */

static int complete(int64_t reg)
{
    return kb_training_complete(F.st, reg, F.now += 60);
}

static void test_complete_adds_the_jp_once(void)
{
    open_world("complete");
    int64_t reg = 0, linked = 0, yuni = 0;
    int64_t kursus = qint("SELECT id FROM rpi_activities WHERE title = 'Kursus Analisis Data'");
    CHECK_STR(do_register(DEWI, T_PYTHON, 0, &reg), "sent");
    CHECK(complete(reg) == KB_TRAINING_NOT_SEATED); /* still waiting for approval */
    CHECK_STR(decide(HENDRA, reg, 1, NULL), "approved");
    int64_t before = qint("SELECT count(*) FROM rpi_activities");

    CHECK(complete(reg) == KB_OK);
    CHECK_STR(status_of(reg), "selesai/1");
    CHECK(qint("SELECT count(*) FROM rpi_activities") == before + 1);
    CHECK_STR(
        qtext("SELECT p.year || ' ' || a.form || ' ' || a.jp_planned || ' ' || "
              "a.jp_recognised || ' ' || a.status || ' ' || a.done_on || ' ' || a.title "
              "FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
              "WHERE a.source = 'training' AND a.source_id = %lld",
              (long long)reg),
        "2026 pelatihan 24 0 selesai 2026-12-20 Bimbingan Teknis Analisis Data dengan Python");
    CHECK(qint("SELECT plan_id FROM rpi_activities WHERE source_id = %lld", (long long)reg) == 1);
    /* Twice: nothing more. */
    CHECK(complete(reg) == KB_TRAINING_ALREADY_DONE);
    CHECK(qint("SELECT count(*) FROM rpi_activities") == before + 1);
    CHECK(qint("SELECT sum(jp_planned) FROM rpi_activities WHERE source = 'training'") == 24);
    CHECK(complete(999) == KB_TRAINING_NO_SUCH);

    /* Linked to a planned activity: that activity is fulfilled, no second one. */
    sql("UPDATE trainings SET quota = 25 WHERE id = %d", T_POLICY);
    CHECK_STR(do_register(DEWI, T_POLICY, kursus, &linked), "sent");
    CHECK_STR(decide(HENDRA, linked, 1, NULL), "approved");
    CHECK(complete(linked) == KB_OK);
    CHECK(qint("SELECT count(*) FROM rpi_activities") == before + 1);
    CHECK_STR(qtext("SELECT status || ' ' || jp_planned || ' ' || done_on FROM rpi_activities "
                    "WHERE id = %lld",
                    (long long)kursus),
              "selesai 30 2027-01-04");
    CHECK(complete(linked) == KB_TRAINING_ALREADY_DONE);

    /* No plan for the year the training ends (Yuni, e-learning ending in 2027): a draf plan
     * is made for it. */
    CHECK_STR(do_register(YUNI, T_ELEARNING, 0, &yuni), "sent");
    CHECK_STR(decide(HENDRA, yuni, 1, NULL), "approved");
    CHECK(complete(yuni) == KB_OK);
    CHECK_STR(qtext("SELECT status FROM rpi_plans WHERE employee_id = %d AND year = 2027", YUNI),
              "draf");
    CHECK_STR(qtext("SELECT form || ' ' || jp_planned FROM rpi_activities WHERE source_id = "
                    "%lld AND source = 'training'",
                    (long long)yuni),
              "e_learning 20");
    forget_answers();
    answer_id("reg", yuni);
    CHECK_STR(act(YUNI, "training_my_detail"), "show");
    CHECK_STR(var("status"), "Selesai");
    close_world();
}

/* ---- words ------------------------------------------------------------------------------------
 */

/* Every key the C code renders exists in both languages (karirbot check covers the dialogs). */
static void test_every_key_exists_in_both_languages(void)
{
    static const char *const keys[] = {"training_item",
                                       "training_what",
                                       "training_person",
                                       "training_dates_days",
                                       "training_dates_months",
                                       "training_dates_years",
                                       "training_cost",
                                       "training_free",
                                       "training_any_grade",
                                       "training_form_klasikal",
                                       "training_form_e_learning",
                                       "training_no_rpi",
                                       "training_unknown_date",
                                       "btn_training_no_rpi",
                                       "training_seat_free",
                                       "training_seat_waiting",
                                       "training_summary_seat",
                                       "training_summary_waiting",
                                       "training_why_closed",
                                       "training_why_already",
                                       "training_why_not_eligible",
                                       "training_why_gone",
                                       "training_why_activity",
                                       "training_my_line",
                                       "training_mine_note_diajukan",
                                       "training_mine_note_disetujui",
                                       "training_mine_note_diusulkan",
                                       "training_mine_note_diterima",
                                       "training_mine_note_daftar_tunggu",
                                       "training_mine_note_ditolak",
                                       "training_mine_note_ditolak_noreason",
                                       "training_mine_note_dibatalkan",
                                       "training_mine_note_selesai",
                                       "training_mine_note_started",
                                       "training_cancel_withdrawn",
                                       "training_cancel_seat_given",
                                       "training_cancel_seat_free",
                                       "training_cancel_queue",
                                       "training_note_approved",
                                       "training_note_waiting",
                                       "training_note_rejected",
                                       "training_note_seat_given",
                                       "training_note_hr_unlinked",
                                       "approval_card_training",
                                       "approval_kind_training",
                                       "cmd_pelatihanku",
                                       "training_status_diajukan",
                                       "training_status_disetujui",
                                       "training_status_ditolak",
                                       "training_status_diusulkan",
                                       "training_status_diterima",
                                       "training_status_daftar_tunggu",
                                       "training_status_dibatalkan",
                                       "training_status_selesai",
                                       "training_my_item",
                                       "training_short_diajukan",
                                       "training_short_disetujui",
                                       "training_short_ditolak",
                                       "training_short_diusulkan",
                                       "training_short_diterima",
                                       "training_short_daftar_tunggu",
                                       "training_short_dibatalkan",
                                       "training_short_selesai"};
    struct kb_locale *loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    CHECK(loc != NULL);
    for (size_t i = 0; loc && i < sizeof keys / sizeof keys[0]; i++) {
        if (!kb_locale_text(loc, "id", keys[i]) || !kb_locale_text(loc, "en", keys[i])) {
            fprintf(stderr, "missing key: %s\n", keys[i]);
            CHECK(!"every key in both languages");
        }
    }
    kb_locale_free(loc);
}

int main(void)
{
    RUN(test_open_list_follows_rank_deadline_and_kind);
    RUN(test_details_are_rechecked_and_formatted);
    RUN(test_register_links_rpi_and_asks_the_supervisor);
    RUN(test_no_supervisor_or_unlinked_supervisor);
    RUN(test_approval_gives_a_seat_and_tells_the_requester);
    RUN(test_full_training_queues_in_registration_order);
    RUN(test_two_approvals_never_exceed_the_quota);
    RUN(test_cancel_withdraws_the_request_and_stops_at_the_start);
    RUN(test_only_the_owner_sees_or_cancels_a_registration);
    RUN(test_complete_adds_the_jp_once);
    RUN(test_every_key_exists_in_both_languages);
    return CHECK_SUMMARY();
}
