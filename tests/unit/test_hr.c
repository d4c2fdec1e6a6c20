/* test_hr: HR's workflow commands (src/cli/training_cmd.c, rpi_cmd.c, approvals_cmd.c,
 * holidays.c, tell.c), their SQL (src/store/hr.c), working days without holidays
 * (src/career/workdays.c) and the Plt/Plh routing of the approvals core — on the demo
 * organisation (deploy/demo/demo.sql) in a real SQLite file, through the real commands.
 *
 * Today is 2026-11-18 (WITA). People: Agus 1 (head, no supervisor), Hendra 2, Ratna 3 (heads of
 * division under Agus), Dewi 4 and Rudi 5 (under Hendra), Bambang 7 (holds the only seat of
 * training 2), Maya 10 (not linked), Lina 11 (HR officer of every unit). */
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
#include "karirbot/approvals_cmd.h"
#include "karirbot/buf.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/holidays.h"
#include "karirbot/hr_store.h"
#include "karirbot/locale.h"
#include "karirbot/people.h"
#include "karirbot/rpi_cmd.h"
#include "karirbot/store.h"
#include "karirbot/tell.h"
#include "karirbot/training_cmd.h"
#include "karirbot/workdays.h"

#define TODAY "2026-11-18"
#define NOW   1795000000 /* 2026-11-18 19:06 WITA */

enum { AGUS = 1, HENDRA = 2, RATNA = 3, DEWI = 4, RUDI = 5, BAMBANG = 7, MAYA = 10, LINA = 11 };
#define NIP_AGUS  "196905201994031002"
#define NIP_RATNA "197512082000032002"
#define NIP_DEWI  "199003222015032001"
#define NIP_RUDI  "199107102019031005"

static struct {
    char path[1024];
    char dir[512];
    struct kb_store *st;
    sqlite3 *db; /* the test's own connection, for reads and fixture edits */
    struct kb_config cfg;
} F;

/* ---- the world ------------------------------------------------------------------------------ */

static void open_world(const char *name)
{
    snprintf(F.dir, sizeof F.dir, "%s", demo_tmp_dir());
    demo_path(F.path, sizeof F.path, "hr", name);
    CHECK(kb_store_open(&F.st, F.path, 2000) == KB_OK);
    CHECK(demo_seed(F.st, TODAY) == 0);
    CHECK(sqlite3_open(F.path, &F.db) == SQLITE_OK);
    sqlite3_busy_timeout(F.db, 2000);
    memset(&F.cfg, 0, sizeof F.cfg);
    F.cfg.db_path = F.path;
    F.cfg.data_dir = KB_SOURCE_DATA_DIR "/no-such-override";
    kb_clock_set(NOW);
}

static void close_world(void)
{
    sqlite3_close(F.db);
    kb_store_close(F.st);
    demo_remove(F.path);
    kb_clock_set(0);
}

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
    char q[2048];
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
    static char buf[4096];
    char q[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    sqlite3_stmt *s = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(F.db, q, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
        sqlite3_column_text(s, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

/* Runs a command as `karirbot <words>` would (its own arguments after the name). */
static int run(int (*cmd)(const struct kb_config *, int, char **), const char *words)
{
    char copy[1024], *argv[32];
    int argc = 0;
    snprintf(copy, sizeof copy, "%s", words);
    for (char *w = strtok(copy, " "); w && argc < 31; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    fflush(stdout);
    return cmd(&F.cfg, argc, argv);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int64_t outbox_to(int employee)
{
    return qint("SELECT count(*) FROM outbox WHERE chat_id = 2000000000 + %d", employee);
}

/* ---- working days --------------------------------------------------------------------------- */

static void test_workdays_skip_holidays(void)
{
    /* 2026-08-17 is a Monday, 2026-08-22 a Saturday, 2026-08-23 a Sunday. */
    const char hol[][11] = {"2026-08-17", "2026-08-17", "2026-08-22", "2026-08-23", "2026-09-30"};
    int64_t n = -1;
    CHECK(kb_workdays_between("2026-08-14", "2026-08-21", 5, &n) == 0 && n == 5);
    CHECK(kb_workdays_between_except("2026-08-14", "2026-08-21", 5, hol, 5, &n) == 0 && n == 4);
    /* Saturday is a day off only where the unit works six days. */
    CHECK(kb_workdays_between_except("2026-08-14", "2026-08-24", 5, hol, 5, &n) == 0 && n == 5);
    CHECK(kb_workdays_between_except("2026-08-14", "2026-08-24", 6, hol, 5, &n) == 0 && n == 6);
    CHECK(kb_workdays_between("2026-08-14", "2026-08-24", 6, &n) == 0 && n == 8);
    /* The start day itself is not counted, so a holiday on it changes nothing. */
    CHECK(kb_workdays_between_except("2026-08-17", "2026-08-21", 5, hol, 5, &n) == 0 && n == 4);
    CHECK(kb_workdays_between_except("2026-08-21", "2026-08-14", 5, hol, 5, &n) == 0 && n == 0);
    CHECK(kb_workdays_between_except("2026-08-14", "2026-08-21", 5, NULL, 0, &n) == 0 && n == 5);
    const char unsorted[][11] = {"2026-08-18", "2026-08-17"};
    const char invalid[][11] = {"2026-02-30"};
    n = 99;
    CHECK(kb_workdays_between_except("2026-08-14", "2026-08-21", 5, unsorted, 2, &n) == -1);
    CHECK(kb_workdays_between_except("2026-08-14", "2026-08-21", 5, invalid, 1, &n) == -1);
    CHECK(kb_workdays_between_except("2026-08-14", "2026-08-21", 7, hol, 5, &n) == -1);
    CHECK(n == 99);
}

/* ---- holidays -------------------------------------------------------------------------------- */

static void test_holidays_import_replaces_a_year_and_is_idempotent(void)
{
    open_world("holidays");
    char file[600], bad[600];
    snprintf(file, sizeof file, "%s/hr-holidays-%d.csv", F.dir, (int)getpid());
    snprintf(bad, sizeof bad, "%s/hr-holidays-bad-%d.csv", F.dir, (int)getpid());
    /* As Excel saves it in an Indonesian locale: BOM, ';', CRLF, mixed date forms, an extra
     * column, a quoted name with the separator, a row of empty cells. */
    write_file(file, "\xEF\xBB\xBFTanggal;Nama;Jenis;Catatan\r\n"
                     "01-01-2026;Tahun Baru 2026 Masehi;Libur Nasional;\r\n"
                     "17/08/2026;\"Proklamasi; Kemerdekaan\";libur_nasional;x\r\n"
                     "2026-12-24;Cuti Bersama Natal;cuti_bersama;\r\n"
                     ";;;\r\n"
                     "2027-01-01;Tahun Baru 2027 Masehi;libur_nasional;\r\n");
    char cmd[700];
    snprintf(cmd, sizeof cmd, "import %s", file);
    CHECK(run(kb_cmd_holidays, cmd) == 0);
    CHECK(qint("SELECT count(*) FROM holidays") == 4);
    CHECK_STR(qtext("SELECT name FROM holidays WHERE date = '2026-08-17'"),
              "Proklamasi; Kemerdekaan");
    CHECK_STR(qtext("SELECT kind FROM holidays WHERE date = '2026-01-01'"), "libur_nasional");
    /* Again: nothing changes (not even the rows' order on disk matters: same content). */
    CHECK(run(kb_cmd_holidays, cmd) == 0);
    CHECK(qint("SELECT count(*) FROM holidays") == 4);

    /* A revision of 2026 replaces 2026 as a whole and leaves 2027 alone. */
    write_file(file, "tanggal,nama,jenis\n2026-12-24,Cuti Bersama Natal,cuti_bersama\n"
                     "2026-12-28,Cuti Bersama Tambahan,cuti_bersama\n");
    CHECK(run(kb_cmd_holidays, cmd) == 0);
    CHECK(qint("SELECT count(*) FROM holidays WHERE date LIKE '2026-%%'") == 2);
    CHECK(qint("SELECT count(*) FROM holidays WHERE date = '2026-01-01'") == 0);
    CHECK(qint("SELECT count(*) FROM holidays WHERE date LIKE '2027-%%'") == 1);

    /* One bad row anywhere: nothing at all is written. */
    write_file(bad, "tanggal,nama,jenis\n2026-03-19,Nyepi,libur_nasional\n"
                    "2026-02-30,Bukan tanggal,libur_nasional\n");
    snprintf(cmd, sizeof cmd, "import %s", bad);
    CHECK(run(kb_cmd_holidays, cmd) == 1);
    CHECK(qint("SELECT count(*) FROM holidays WHERE date = '2026-03-19'") == 0);
    write_file(bad, "tanggal,nama,jenis\n2026-03-19,Nyepi,libur\n");
    CHECK(run(kb_cmd_holidays, cmd) == 1);
    write_file(bad, "tanggal,nama\n2026-03-19,Nyepi\n");
    CHECK(run(kb_cmd_holidays, cmd) == 1);
    write_file(bad, "tanggal,nama,jenis\n2026-03-19,Nyepi,libur_nasional\n"
                    "19-03-2026,Nyepi,cuti_bersama\n");
    CHECK(run(kb_cmd_holidays, cmd) == 1); /* the same date and name twice */
    CHECK(qint("SELECT count(*) FROM holidays") == 3);
    snprintf(cmd, sizeof cmd, "import %s --dry-run", file);
    CHECK(run(kb_cmd_holidays, cmd) == 0);
    CHECK(run(kb_cmd_holidays, "import") == 64);
    CHECK(run(kb_cmd_holidays, "--help") == 0);

    /* The store's view for working days: distinct, sorted, within (from, to]. */
    char out[8][11];
    size_t n = 0;
    sql("INSERT INTO holidays VALUES('2026-12-28', 'Dua libur sehari', 'libur_nasional')");
    CHECK(kb_holidays_between(F.st, "2026-12-24", "2027-01-01", out, 8, &n) == KB_OK);
    CHECK(n == 2 && !strcmp(out[0], "2026-12-28") && !strcmp(out[1], "2027-01-01"));
    unlink(file);
    unlink(bad);
    close_world();
}

/* ---- delegation ------------------------------------------------------------------------------ */

static int record_notify(struct kb_action_ctx *ctx, int64_t employee_id, const char *key,
                         const char *const *vars, size_t nvars,
                         const struct kb_note_button *buttons, size_t nbuttons, int64_t *sent_to)
{
    (void)key, (void)vars, (void)nvars, (void)buttons, (void)nbuttons;
    struct kb_person p;
    int found = 0;
    *sent_to = 0;
    if (kb_person_by_id(ctx->st, employee_id, &p, &found) != KB_OK)
        return -1;
    *sent_to = found ? p.chat_id : 0;
    return 0;
}

/* Asks for an approval of kind by Rudi as the approvals core does, on the requester's date
 * today; returns the approver the row went to. */
static int64_t request_kind_on(const struct kb_approval_kind *kind, int64_t subject,
                               const char *today, int64_t approver)
{
    struct kb_locale *loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    struct kb_person rudi;
    int found = 0;
    CHECK(kb_person_by_id(F.st, RUDI, &rudi, &found) == KB_OK && found);
    struct kb_action_ctx ctx = {
        .st = F.st, .lang = "id", .loc = loc, .actor = &rudi, .now = NOW, .notify = record_notify};
    snprintf(ctx.today, sizeof ctx.today, "%s", today);
    int64_t id = 0;
    int linked = 0;
    CHECK(kb_store_begin(F.st) == KB_OK);
    CHECK(kb_approval_request(&ctx, kind, subject, approver, &id, &linked) == 0);
    CHECK(kb_store_commit(F.st) == KB_OK);
    kb_locale_free(loc);
    return qint("SELECT approver_id FROM approvals WHERE id = %lld", (long long)id);
}

/* Rudi's draft plan (rpi_plan 2) submitted. */
static int64_t request_on(const char *today, int64_t approver)
{
    return request_kind_on(&kb_approval_rpi_plan, 2, today, approver);
}

static void test_delegation_routes_new_requests_while_active(void)
{
    open_world("delegation");
    CHECK(run(kb_cmd_approvals, "delegate --from 197804152003121004 --to " NIP_RATNA
                                " --from-date 18-11-2026 --to-date 2026-11-30") == 0);
    CHECK(qint("SELECT count(*) FROM delegations") == 1);
    CHECK(outbox_to(RATNA) == 1 && outbox_to(HENDRA) == 1); /* both were told */
    /* Active: to Ratna; before and after the dates: to Hendra. */
    CHECK(request_on("2026-11-18", HENDRA) == RATNA);
    CHECK(request_on("2026-11-30", HENDRA) == RATNA);
    CHECK(request_on("2026-12-01", HENDRA) == HENDRA);
    CHECK(request_on("2026-11-17", HENDRA) == HENDRA);
    /* A second delegation of Hendra in overlapping dates is refused. */
    CHECK(run(kb_cmd_approvals, "delegate --from 197804152003121004 --to " NIP_AGUS
                                " --from-date 2026-11-25 --to-date 2026-12-05") == 1);
    /* A chain is followed (Ratna acts for Hendra, Agus for Ratna), a circle is not closed, and
     * a delegate who is the requester is skipped. */
    int64_t id = 0, clash = 0;
    CHECK(kb_delegation_add(F.st, RATNA, AGUS, "2026-11-01", "2026-11-30", NOW, &id, &clash) ==
              KB_OK &&
          id > 0 && clash == 0);
    CHECK(kb_delegation_resolve(F.st, HENDRA, DEWI, "2026-11-20") == AGUS);
    CHECK(kb_delegation_add(F.st, AGUS, HENDRA, "2026-11-01", "2026-11-30", NOW, &id, &clash) ==
          KB_OK);
    CHECK(kb_delegation_resolve(F.st, HENDRA, DEWI, "2026-11-20") == AGUS);
    CHECK(kb_delegation_resolve(F.st, HENDRA, RATNA, "2026-11-20") == HENDRA);
    /* A mentor's answer is never delegated: a mentoring request to Hendra stays his. */
    CHECK(request_kind_on(&kb_approval_mentor, 1, "2026-11-20", HENDRA) == HENDRA);
    CHECK(request_on("2026-11-20", HENDRA) == AGUS);
    /* Ending it: Hendra decides again. */
    CHECK(run(kb_cmd_approvals, "undelegate 1") == 0);
    CHECK(run(kb_cmd_approvals, "undelegate 1") == 1);
    CHECK(request_on("2026-11-20", HENDRA) == HENDRA);
    CHECK(run(kb_cmd_approvals, "delegate --from " NIP_RUDI " --to " NIP_RUDI
                                " --from-date 2026-11-18 --to-date 2026-11-30") == 64);
    CHECK(run(kb_cmd_approvals, "delegate --from " NIP_RUDI " --to " NIP_DEWI
                                " --from-date 2026-10-01 --to-date 2026-10-30") == 64);
    close_world();
}

static void test_reassign_moves_a_waiting_request_and_tells_both(void)
{
    open_world("reassign");
    sql("DELETE FROM links WHERE employee_id = %d", HENDRA); /* Hendra cannot decide */
    int64_t approval = 0;
    CHECK(request_on(TODAY, HENDRA) == HENDRA);
    approval = qint("SELECT max(id) FROM approvals");
    int64_t ratna = outbox_to(RATNA), rudi = outbox_to(RUDI);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "reassign %lld --to " NIP_RATNA, (long long)approval);
    CHECK(run(kb_cmd_approvals, cmd) == 0);
    CHECK(qint("SELECT approver_id FROM approvals WHERE id = %lld", (long long)approval) == RATNA);
    CHECK(qint("SELECT count(*) FROM approval_routes WHERE approval_id = %lld AND from_id = %d "
               "AND to_id = %d",
               (long long)approval, HENDRA, RATNA) == 1);
    CHECK(outbox_to(RATNA) == ratna + 1 && outbox_to(RUDI) == rudi + 1);
    CHECK(strstr(qtext("SELECT text FROM outbox WHERE chat_id = 2000000003 ORDER BY id DESC"),
                 "/persetujuan") != NULL);
    /* Twice: nothing changes, nobody is told again. */
    CHECK(run(kb_cmd_approvals, cmd) == 0);
    CHECK(outbox_to(RATNA) == ratna + 1);
    /* Not to the requester, not a decided request. */
    snprintf(cmd, sizeof cmd, "reassign %lld --to " NIP_RUDI, (long long)approval);
    CHECK(run(kb_cmd_approvals, cmd) == 1);
    sql("UPDATE approvals SET status = 'disetujui' WHERE id = %lld", (long long)approval);
    snprintf(cmd, sizeof cmd, "reassign %lld --to " NIP_AGUS, (long long)approval);
    CHECK(run(kb_cmd_approvals, cmd) == 1);
    CHECK(qint("SELECT approver_id FROM approvals WHERE id = %lld", (long long)approval) == RATNA);
    CHECK(run(kb_cmd_approvals, "reassign 999 --to " NIP_AGUS) == 1);
    CHECK(run(kb_cmd_approvals, "reassign 1") == 64);
    close_world();
}

/* ---- trainings ------------------------------------------------------------------------------- */

static void test_training_stages_quota_and_messages(void)
{
    open_world("training");
    /* Dewi (approved, holding a seat of the Python bimtek, linked to an open RPI activity) and
     * Rudi (approved, a seat, no activity); Dewi reads English. */
    sql("INSERT INTO registrations(id, training_id, employee_id, reason, activity_id, status, "
        "seat, created_at, updated_at) VALUES "
        "(10, 1, %d, 'x', (SELECT id FROM rpi_activities WHERE title = 'Kursus Analisis Data'), "
        "'disetujui', 1, 100, 100), (11, 1, %d, 'y', NULL, 'disetujui', 1, 200, 200)",
        DEWI, RUDI);
    sql("INSERT INTO chats(chat_id, kind, first_seen, last_seen, lang) "
        "VALUES(2000000004, 0, 0, 0, 'en')");
    CHECK(run(kb_cmd_training, "propose 10") == 0);
    CHECK_STR(qtext("SELECT status FROM registrations WHERE id = 10"), "diusulkan");
    CHECK(strstr(qtext("SELECT text FROM outbox WHERE chat_id = 2000000004 ORDER BY id DESC"),
                 "proposed your registration") != NULL);
    CHECK(run(kb_cmd_training, "accept --code BPSDM-2026-031") == 0);
    CHECK(qint("SELECT count(*) FROM registrations WHERE id IN (10, 11) AND status = 'diterima'") ==
          2);
    CHECK(strstr(qtext("SELECT text FROM outbox WHERE chat_id = 2000000005 ORDER BY id DESC"),
                 "diterima sebagai peserta") != NULL);
    /* Accepting twice changes nothing and tells nobody. */
    int64_t before = qint("SELECT count(*) FROM outbox");
    CHECK(run(kb_cmd_training, "accept 10") == 0);
    CHECK(qint("SELECT count(*) FROM outbox") == before);

    /* The policy course (quota 1, Bambang's seat): the organiser has no room for Bambang. */
    CHECK(run(kb_cmd_training, "waitlist 1") == 0);
    CHECK_STR(qtext("SELECT status || seat FROM registrations WHERE id = 1"), "daftar_tunggu0");
    CHECK(qint("SELECT quota FROM trainings WHERE id = 2") == 0);
    /* ... then it does: back with a seat, the quota one more. */
    CHECK(run(kb_cmd_training, "accept 1") == 0);
    CHECK_STR(qtext("SELECT status || seat FROM registrations WHERE id = 1"), "diterima1");
    CHECK(qint("SELECT quota FROM trainings WHERE id = 2") == 1);
    CHECK(qint("SELECT count(*) FROM registrations WHERE training_id = 2 AND seat = 1") == 1);
    /* Wrong states are refused and change nothing. */
    CHECK(run(kb_cmd_training, "propose 1") == 1);
    CHECK(run(kb_cmd_training, "verify 10") == 1); /* not completed yet */
    CHECK(run(kb_cmd_training, "complete 999") == 1);
    CHECK(run(kb_cmd_training, "complete") == 64);
    CHECK(run(kb_cmd_training, "waitlist --code BPSDM-2026-031") == 64);

    /* Completion: Dewi's linked activity takes the JP, Rudi gets a new one; both told. */
    CHECK(run(kb_cmd_training, "complete --code BPSDM-2026-031") == 0);
    CHECK(qint("SELECT count(*) FROM registrations WHERE id IN (10, 11) AND status = 'selesai'") ==
          2);
    CHECK_STR(qtext("SELECT status FROM rpi_activities WHERE title = 'Kursus Analisis Data'"),
              "selesai");
    CHECK(qint("SELECT jp_planned FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
               "WHERE p.employee_id = %d AND a.source = 'training' AND a.source_id = 11",
               RUDI) == 24);
    CHECK(strstr(qtext("SELECT text FROM outbox WHERE chat_id = 2000000005 ORDER BY id DESC"),
                 "24 JP") != NULL);

    /* Verification: the JP are recognised, the supervisor's request to verify is withdrawn,
     * the employee hears the year's total; HR's officer (Lina) recorded as the verifier. */
    int64_t act = qint("SELECT id FROM rpi_activities WHERE title = 'Kursus Analisis Data'");
    sql("INSERT INTO approvals(kind, subject_id, requester_id, approver_id, created_at) "
        "VALUES('evidence', %lld, %d, %d, 0)",
        (long long)act, DEWI, HENDRA);
    CHECK(run(kb_cmd_training, "verify 10") == 0);
    CHECK(qint("SELECT jp_recognised FROM rpi_activities WHERE id = %lld", (long long)act) == 24);
    CHECK(qint("SELECT verified_by FROM rpi_activities WHERE id = %lld", (long long)act) == LINA);
    CHECK_STR(qtext("SELECT status FROM approvals WHERE kind = 'evidence' AND subject_id = %lld",
                    (long long)act),
              "ditarik");
    /* 10 JP verified in the demo plus these 24. */
    CHECK(strstr(qtext("SELECT text FROM outbox WHERE chat_id = 2000000004 ORDER BY id DESC"),
                 "34 JP") != NULL);
    CHECK(run(kb_cmd_training, "verify 10") == 0); /* already: nothing changes */
    CHECK(run(kb_cmd_training, "verify 11 --by " NIP_AGUS) == 0);
    CHECK(qint("SELECT verified_by FROM rpi_activities WHERE source = 'training' AND "
               "source_id = 11") == AGUS);
    /* Without a token there is no download. */
    CHECK(run(kb_cmd_training, "certificate 10 --dir /tmp") == 78);

    /* The nominee list reads back what happened. */
    CHECK(run(kb_cmd_training, "list --code BPSDM-2026-031 --csv") == 0);
    CHECK(run(kb_cmd_training, "list --code NO-SUCH") == 1);
    close_world();
}

/* Maya has no linked account: a move is made and HR is told to tell her. */
static void test_training_unlinked_employee_is_not_messaged(void)
{
    open_world("unlinked");
    sql("INSERT INTO registrations(id, training_id, employee_id, reason, status, seat, "
        "created_at, updated_at) VALUES (20, 3, %d, 'x', 'disetujui', 1, 1, 1)",
        MAYA);
    int64_t before = qint("SELECT count(*) FROM outbox");
    CHECK(run(kb_cmd_training, "accept 20") == 0);
    CHECK_STR(qtext("SELECT status FROM registrations WHERE id = 20"), "diterima");
    CHECK(qint("SELECT count(*) FROM outbox") == before);
    close_world();
}

/* ---- plans ------------------------------------------------------------------------------------
 */

static void test_rpi_set_and_new_year(void)
{
    open_world("rpi");
    /* Dewi's plan is approved (disetujui), Rudi's a draft. */
    CHECK(run(kb_cmd_rpi, "set " NIP_DEWI " " NIP_RUDI " --year 2026") == 1);
    CHECK_STR(qtext("SELECT status FROM rpi_plans WHERE employee_id = %d", DEWI), "ditetapkan");
    CHECK_STR(qtext("SELECT status FROM rpi_plans WHERE employee_id = %d", RUDI), "draf");
    CHECK(outbox_to(DEWI) == 1 && outbox_to(RUDI) == 0);
    CHECK(run(kb_cmd_rpi, "set --all --year 2026") == 0); /* nothing left to establish */
    CHECK(outbox_to(DEWI) == 1);

    /* A new year for everyone: plans for all active employees, unfinished activities carried
     * (Dewi 3, Rudi 1), told once; a second run changes nothing. */
    sql("UPDATE employees SET active = 0 WHERE id = %d", BAMBANG);
    CHECK(run(kb_cmd_rpi, "new-year --all --year 2027 --dry-run") == 0);
    CHECK(qint("SELECT count(*) FROM rpi_plans WHERE year = 2027") == 0);
    CHECK(run(kb_cmd_rpi, "new-year --all --year 2027") == 0);
    CHECK(qint("SELECT count(*) FROM rpi_plans WHERE year = 2027") == 10);
    CHECK(qint("SELECT count(*) FROM rpi_plans WHERE year = 2027 AND employee_id = %d", BAMBANG) ==
          0);
    CHECK(qint("SELECT count(*) FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
               "WHERE p.year = 2027 AND p.employee_id = %d AND a.carried_from IS NOT NULL",
               DEWI) == 3);
    CHECK(strstr(qtext("SELECT text FROM outbox WHERE chat_id = 2000000005 ORDER BY id DESC"),
                 "1 kegiatan") != NULL);
    int64_t told = qint("SELECT count(*) FROM outbox");
    CHECK(run(kb_cmd_rpi, "new-year --all --year 2027") == 0);
    CHECK(qint("SELECT count(*) FROM outbox") == told);
    CHECK(qint("SELECT count(*) FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
               "WHERE p.year = 2027") == 4);
    CHECK(run(kb_cmd_rpi, "new-year --unit Tidak-Ada") == 64);
    CHECK(run(kb_cmd_rpi, "new-year " NIP_DEWI) == 64);
    CHECK(run(kb_cmd_rpi, "set") == 64);
    close_world();
}

/* ---- texts --------------------------------------------------------------------------------------
 */

static void test_every_hr_key_in_both_languages(void)
{
    struct kb_locale *loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    static const char *const keys[] = {"hr_training_proposed",   "hr_training_accepted",
                                       "hr_training_waitlisted", "hr_training_completed",
                                       "hr_training_verified",   "hr_rpi_established",
                                       "hr_rpi_new_year",        "hr_rpi_new_year_carried",
                                       "hr_approval_reassigned", "hr_approval_reassigned_requester",
                                       "hr_delegation_delegate", "hr_delegation_principal"};
    CHECK(loc != NULL);
    for (size_t i = 0; loc && i < sizeof keys / sizeof keys[0]; i++) {
        CHECK(kb_locale_text(loc, "id", keys[i]) != NULL);
        CHECK(kb_locale_text(loc, "en", keys[i]) != NULL);
    }
    kb_locale_free(loc);
}

int main(void)
{
    RUN(test_workdays_skip_holidays);
    RUN(test_holidays_import_replaces_a_year_and_is_idempotent);
    RUN(test_delegation_routes_new_requests_while_active);
    RUN(test_reassign_moves_a_waiting_request_and_tells_both);
    RUN(test_training_stages_quota_and_messages);
    RUN(test_training_unlinked_employee_is_not_messaged);
    RUN(test_rpi_set_and_new_year);
    RUN(test_every_hr_key_in_both_languages);
    return CHECK_SUMMARY();
}
