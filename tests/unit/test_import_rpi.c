/* test_import_rpi: `karirbot import rpi`, HR's plans (RPI) and their activities, on a real
 * SQLite file with the demo organisation seeded as of 2026-11-18 (Dewi's plan approved, Rudi's a
 * draft) and the import run as of that day. The fixture files: a dry run and a bad file write
 * nothing (the tables compared whole); the good file makes plans with the file's status, adds to
 * a draft, records progress in an approved plan, and its finished activities count toward the
 * year's JP where Cek RPI (kb_rpi_totals), the reports and the reminders read them; the same
 * file again, and in the other layout, changes nothing. Then the rules for plans that exist: an
 * approved plan takes no new or changed activity without --force, an activity finished in
 * karirbot stays as it is, one waiting for the supervisor needs --force, an inactive employee
 * is refused, a plan holds at most KB_RPI_PLAN_MAX_ROWS activities, and no link is touched. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/buf.h"
#include "karirbot/config.h"
#include "karirbot/import.h"
#include "karirbot/reminders_store.h"
#include "karirbot/reports_store.h"
#include "karirbot/rpi.h"
#include "karirbot/store.h"

#define FIXTURES KB_SOURCE_DATA_DIR "/tests/fixtures/import/"
#define NOW      "1794978000" /* 2026-11-18 12:00 WIB: the day the demo is seeded as */

#define DEWI    4 /* employee ids of the demo */
#define RUDI    5
#define BAMBANG 7
#define YUNI    8

struct world {
    char path[512];
    struct kb_config cfg;
    struct kb_store *st;
    sqlite3 *db; /* the test's own connection, for reads and fixture edits */
};

static void world_open(struct world *w, const char *name)
{
    demo_path(w->path, sizeof w->path, "import-rpi", name);
    char arg0[] = "karirbot", db[] = "--db", *argv[] = {arg0, db, w->path, NULL};
    int argc = 3;
    CHECK(kb_config_load(&w->cfg, &argc, argv) == 0);
    CHECK(kb_store_open(&w->st, w->path, 1000) == KB_OK);
    CHECK(demo_seed(w->st, "2026-11-18") == 0);
    CHECK(sqlite3_open(w->path, &w->db) == SQLITE_OK);
    sqlite3_busy_timeout(w->db, 2000);
}

static void world_close(struct world *w)
{
    sqlite3_close(w->db);
    kb_store_close(w->st);
    kb_config_free(&w->cfg);
    demo_remove(w->path);
}

static struct world *current; /* import() imports into it */

/* `karirbot import rpi FILE --now NOW [flag]`: FILE in the fixtures, or a path. */

static int import(const char *file, const char *flag)
{
    char a0[] = "rpi", a1[600], a2[] = "--now", a3[] = NOW, a4[32];
    snprintf(a1, sizeof a1, "%s%s", file[0] == '/' ? "" : FIXTURES, file);
    snprintf(a4, sizeof a4, "%s", flag ? flag : "");
    char *argv[] = {a0, a1, a2, a3, a4, NULL};
    fflush(stdout);
    int rc = kb_cmd_import(&current->cfg, flag ? 5 : 4, argv);
    fflush(stdout);
    return rc;
}

static void sql_exec(struct world *w, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(w->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "exec failed: %s: %s\n", sql, err ? err : "?");
        CHECK(0);
    }
    sqlite3_free(err);
}

static long long q_int(struct world *w, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(w->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else
        fprintf(stderr, "query failed: %s: %s\n", sql, sqlite3_errmsg(w->db));
    sqlite3_finalize(s);
    return v;
}

static const char *q_text(struct world *w, const char *sql)
{
    static char buf[1024];
    sqlite3_stmt *s = NULL;
    snprintf(buf, sizeof buf, "-");
    if (sqlite3_prepare_v2(w->db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

static int dump_row(void *arg, int n, char **vals, char **names)
{
    (void)names;
    struct kb_buf *b = arg;
    for (int i = 0; i < n; i++) {
        const char *v = vals[i] ? vals[i] : "NULL";
        if (kb_buf_add(b, v, strlen(v)) != 0 || kb_buf_add(b, "|", 1) != 0)
            return 1;
    }
    return kb_buf_add(b, "\n", 1) != 0;
}

/* Every row an RPI import may touch, and those it must not (employees, links), as text. */
static char *dump(struct world *w)
{
    static const char *const tables[] = {
        "SELECT * FROM rpi_plans ORDER BY id", "SELECT * FROM rpi_activities ORDER BY id",
        "SELECT * FROM employees ORDER BY id", "SELECT * FROM links ORDER BY employee_id",
        "SELECT * FROM approvals ORDER BY id",
    };
    struct kb_buf b;
    kb_buf_init(&b, 1 << 24);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        CHECK(sqlite3_exec(w->db, tables[i], dump_row, &b, NULL) == SQLITE_OK);
    CHECK(kb_buf_add(&b, "", 1) == 0);
    return b.data;
}

static int same_dump(struct world *w, const char *before)
{
    char *now = dump(w);
    int same = now && before && !strcmp(now, before);
    free(now);
    return same;
}

/* A file in the test's directory. */
static const char *write_file(const char *name, const char *text)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%d-%s", demo_tmp_dir(), (int)getpid(), name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static int plan_of(struct world *w, int employee)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM rpi_plans WHERE employee_id = %d AND year = 2026",
             employee);
    return (int)q_int(w, sql);
}

/* ---- JP where the bot, the reports and the reminders read them ------------------------------ */

struct rep_sum {
    int64_t employee;
    int recognised, planned;
    const char *status;
    char status_copy[16];
};

static int rep_one(void *ctx, const struct kb_rep_rpi *r)
{
    struct rep_sum *s = ctx;
    if (r->p.id == s->employee) {
        s->recognised = r->jp_recognised;
        s->planned = r->jp_planned;
        snprintf(s->status_copy, sizeof s->status_copy, "%s", r->plan_status);
        s->status = s->status_copy;
    }
    return 0;
}

/* The recognised JP of employee's 2026 plan as the report of plans counts them. */
static int report_jp(struct world *w, int64_t employee)
{
    struct kb_rep_today t = {"2026-11-18", "2026-11-18", "2026-11-18"};
    struct rep_sum s = {.employee = employee, .recognised = -1};
    int n = 0;
    int64_t last = 0;
    CHECK(kb_rep_rpi_page(w->st, 0, 2026, &t, 0, 100, rep_one, &s, &n, &last) == KB_OK);
    return s.recognised;
}

/* The recognised JP of employee's 2026 plan as the reminder pass counts them. */
static int reminder_jp(struct world *w, int64_t employee)
{
    struct kb_rem_activity *acts = NULL;
    size_t n = 0;
    int sum = 0;
    CHECK(kb_rem_activities(w->st, employee, employee, 2026, &acts, &n) == KB_OK);
    for (size_t i = 0; i < n; i++)
        if (acts[i].year == 2026)
            sum += acts[i].jp_recognised;
    free(acts);
    return sum;
}

static int bot_jp(struct world *w, int64_t employee)
{
    struct kb_rpi_totals t;
    CHECK(kb_rpi_totals(w->st, plan_of(w, (int)employee), "2026-11-18", &t) == KB_OK);
    return t.jp_recognised;
}

/* ---- the fixture files ---------------------------------------------------------------------- */

static void test_fixtures(void)
{
    struct world w;
    world_open(&w, "fixtures");
    current = &w;
    char *pristine = dump(&w);
    CHECK(bot_jp(&w, DEWI) == 10);

    CHECK(import("rpi.csv", "--dry-run") == 0);
    CHECK(same_dump(&w, pristine)); /* a dry run writes nothing */
    CHECK(import("rpi_bad.csv", NULL) == 1);
    CHECK(same_dump(&w, pristine)); /* nor does a file with a bad row */
    CHECK(import("rpi_bad.csv", "--force") == 1);
    CHECK(same_dump(&w, pristine));

    CHECK(import("rpi.csv", NULL) == 0);
    /* Bambang's plan came in established, with its finished training recognised. */
    CHECK_STR(q_text(&w, "SELECT status || ' ' || (set_at IS NOT NULL) FROM rpi_plans "
                         "WHERE employee_id = 7"),
              "ditetapkan 1");
    CHECK_STR(q_text(&w, "SELECT status || ' ' || done_on || ' ' || jp_recognised || ' ' || "
                         "(verified_at IS NOT NULL) || ' ' || (verified_by IS NULL) FROM "
                         "rpi_activities WHERE title LIKE 'Pelatihan Kepemimpinan%'"),
              "selesai 2026-09-28 40 1 1");
    /* Fajar's plan without a status is a draft; an empty kompetensi is none. */
    CHECK_STR(q_text(&w, "SELECT status FROM rpi_plans WHERE employee_id = 9"), "draf");
    CHECK(q_int(&w, "SELECT count(*) FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id "
                    "WHERE p.employee_id = 9 AND a.competency IS NULL") == 1);
    /* Rudi's draft: the bimtek's JP changed, a course added. */
    CHECK(q_int(&w, "SELECT jp_planned FROM rpi_activities WHERE title = "
                    "'Bimtek Pengelolaan Data Kepegawaian'") == 20);
    CHECK(q_int(&w, "SELECT count(*) FROM rpi_activities WHERE plan_id = 2") == 2);
    /* Dewi's approved plan: progress recorded, the course finished and recognised. */
    CHECK_STR(q_text(&w, "SELECT status || ' ' || target_date FROM rpi_activities WHERE title = "
                         "'Seminar Transformasi Digital Pemerintahan'"),
              "ditunda 2027-01-15");
    CHECK_STR(q_text(&w, "SELECT status || ' ' || done_on || ' ' || jp_recognised FROM "
                         "rpi_activities WHERE title = 'Kursus Analisis Data'"),
              "selesai 2026-11-17 24");
    CHECK_STR(q_text(&w, "SELECT status FROM rpi_plans WHERE employee_id = 4"), "disetujui");

    /* The imported finished activities count toward the year's JP as the chat's verified ones
     * do: in Cek RPI (kb_rpi_totals), the report of plans and the reminder pass alike. */
    CHECK(bot_jp(&w, DEWI) == 34);
    CHECK(report_jp(&w, DEWI) == 34);
    CHECK(reminder_jp(&w, DEWI) == 34);
    CHECK(bot_jp(&w, BAMBANG) == 40 && report_jp(&w, BAMBANG) == 40 &&
          reminder_jp(&w, BAMBANG) == 40);
    CHECK(bot_jp(&w, YUNI) == 12 && report_jp(&w, YUNI) == 12 && reminder_jp(&w, YUNI) == 12);
    CHECK(report_jp(&w, RUDI) == 0);

    /* Again, and in the other layout (';', BOM, CRLF, other spellings and order): nothing
     * changes, not even a time stamp. */
    char *imported = dump(&w);
    CHECK(import("rpi.csv", NULL) == 0);
    CHECK(same_dump(&w, imported));
    CHECK(import("rpi_semicolon_bom_crlf.csv", NULL) == 0);
    CHECK(same_dump(&w, imported));
    CHECK(import("rpi_semicolon_bom_crlf.csv", "--dry-run") == 0);
    CHECK(same_dump(&w, imported));
    /* No link was touched. */
    CHECK(q_int(&w, "SELECT count(*) FROM links") == 10);

    free(imported);
    free(pristine);
    world_close(&w);
}

/* ---- plans that exist ----------------------------------------------------------------------- */

static void test_existing_plans(void)
{
    struct world w;
    world_open(&w, "rules");
    current = &w;
    CHECK(import("rpi.csv", NULL) == 0);
    char *base = dump(&w);

    /* An approved plan takes no new activity and no change to one without --force. */
    const char *f =
        write_file("approved.csv", "nip,tahun,kegiatan,bentuk,jp,target_selesai\n"
                                   "199003222015032001,2026,Pelatihan Keamanan Siber,pelatihan,24,"
                                   "2026-12-15\n"
                                   "199003222015032001,2026,Coaching penyusunan laporan kinerja,"
                                   "coaching,4,2026-12-18\n");
    CHECK(import(f, NULL) == 1);
    CHECK(same_dump(&w, base));
    CHECK(import(f, "--force") == 0);
    CHECK(q_int(&w, "SELECT jp_planned FROM rpi_activities WHERE title = "
                    "'Coaching penyusunan laporan kinerja'") == 4);
    CHECK_STR(q_text(&w, "SELECT approval || ' ' || status FROM rpi_activities WHERE title = "
                         "'Pelatihan Keamanan Siber'"),
              "disetujui rencana");
    char *forced = dump(&w);
    CHECK(import(f, "--force") == 0);
    CHECK(same_dump(&w, forced));
    free(forced);

    /* A finished activity stays as karirbot has it: a warning, nothing written. */
    base = (free(base), dump(&w));
    f = write_file("finished.csv", "nip,tahun,kegiatan,bentuk,jp,target_selesai,status\n"
                                   "199003222015032001,2026,Kursus Analisis Data,kursus,30,"
                                   "2026-11-25,berjalan\n");
    CHECK(import(f, NULL) == 0);
    CHECK(same_dump(&w, base));

    /* An activity waiting for the supervisor changes only with --force. */
    sql_exec(&w, "INSERT INTO rpi_activities(id, plan_id, form, title, target_date, jp_planned,"
                 " approval, created_at, updated_at) VALUES(900, 1, 'kursus', 'Kursus Pemrograman"
                 " Go', '2026-12-20', 16, 'menunggu', 0, 0)");
    base = (free(base), dump(&w));
    f = write_file("waiting.csv", "nip,tahun,kegiatan,bentuk,jp,target_selesai,status,"
                                  "tanggal_selesai\n"
                                  "199003222015032001,2026,Kursus Pemrograman Go,kursus,16,"
                                  "2026-12-20,selesai,2026-11-10\n");
    CHECK(import(f, NULL) == 1);
    CHECK(same_dump(&w, base));
    CHECK(import(f, "--force") == 0);
    CHECK_STR(q_text(&w, "SELECT approval || ' ' || status || ' ' || jp_recognised FROM "
                         "rpi_activities WHERE id = 900"),
              "disetujui selesai 16");
    CHECK(bot_jp(&w, DEWI) == 50 && report_jp(&w, DEWI) == 50);

    /* A plan's status: behind karirbot is a warning, ahead an error, --force sets it. */
    base = (free(base), dump(&w));
    f = write_file("status.csv", "nip,tahun,kegiatan,bentuk,jp,target_selesai,status_rpi\n"
                                 "199003222015032001,2026,Kursus Analisis Data,kursus,24,"
                                 "2026-11-25,draf\n");
    CHECK(import(f, NULL) == 0);
    CHECK(same_dump(&w, base));
    f = write_file("ahead.csv", "nip,tahun,kegiatan,bentuk,jp,target_selesai,status_rpi\n"
                                "199107102019031005,2026,Bimtek Pengelolaan Data Kepegawaian,"
                                "bimtek,20,2027-01-02,ditetapkan\n");
    CHECK(import(f, NULL) == 1);
    CHECK(same_dump(&w, base));
    CHECK(import(f, "--force") == 0);
    CHECK_STR(q_text(&w, "SELECT status || ' ' || (submitted_at IS NOT NULL) || "
                         "(approved_at IS NOT NULL) || (set_at IS NOT NULL) FROM rpi_plans "
                         "WHERE employee_id = 5"),
              "ditetapkan 111");

    /* An employee without access is refused; none of the import touches a link. */
    sql_exec(&w, "UPDATE employees SET active = 0 WHERE id = 6");
    base = (free(base), dump(&w));
    f = write_file("inactive.csv", "nip,tahun,kegiatan,bentuk,jp,target_selesai\n"
                                   "198805172010012003,2026,Kursus Kearsipan Digital,kursus,12,"
                                   "2026-12-01\n");
    CHECK(import(f, NULL) == 1);
    CHECK(same_dump(&w, base));
    CHECK(q_int(&w, "SELECT count(*) FROM links") == 10);
    free(base);

    /* At most KB_RPI_PLAN_MAX_ROWS activities in a plan. */
    for (int rows = KB_RPI_PLAN_MAX_ROWS + 1; rows >= KB_RPI_PLAN_MAX_ROWS; rows--) {
        struct kb_buf b;
        kb_buf_init(&b, 1 << 20);
        CHECK(kb_buf_add(&b, "nip,tahun,kegiatan,bentuk,jp,target_selesai\n", 44) == 0);
        for (int i = 1; i <= rows; i++) {
            char line[160];
            int n = snprintf(line, sizeof line,
                             "196905201994031002,2026,Kegiatan pengembangan nomor %d,kursus,1,"
                             "2026-12-01\n",
                             i);
            CHECK(kb_buf_add(&b, line, (size_t)n) == 0);
        }
        CHECK(kb_buf_add(&b, "", 1) == 0);
        f = write_file("full.csv", b.data);
        kb_buf_free(&b);
        CHECK(import(f, NULL) == (rows > KB_RPI_PLAN_MAX_ROWS));
    }
    CHECK(q_int(&w, "SELECT count(*) FROM rpi_activities a JOIN rpi_plans p ON p.id = a.plan_id"
                    " WHERE p.employee_id = 1") == KB_RPI_PLAN_MAX_ROWS);

    /* Options of other kinds. */
    CHECK(import("rpi.csv", "--deactivate-missing") == 64);
    CHECK(import("rpi.csv", "--bogus") == 64);
    world_close(&w);
}

int main(void)
{
    RUN(test_fixtures);
    RUN(test_existing_plans);
    return CHECK_SUMMARY();
}
