/* test_promotion: working days (week boundaries, five and six working days, the same day,
 * against a day-by-day count), the promotion files in the store (the current file, stage
 * ordering, re-recorded stages, bounds, bad input), and the promotion status action on a real
 * store with the shipped policy and locales: the timeline with working days against the
 * expected ones and who acts, a returned file, the kinds of KP, owners only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/actions.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/promotions.h"
#include "karirbot/store.h"
#include "karirbot/workdays.h"

#define TODAY "2026-11-18" /* a Wednesday, as in the transcripts */

static struct kb_policy *policy;
static struct kb_locale *loc;

/* ---- working days ------------------------------------------------------------------------- */

static int64_t wd(const char *from, const char *to, int week)
{
    int64_t n = -99;
    if (kb_workdays_between(from, to, week, &n) != 0)
        return -1;
    return n;
}

static void test_workdays_week(void)
{
    /* 2026-11-06 is a Friday, 2026-11-07 a Saturday, 2026-11-08 a Sunday. */
    CHECK(kb_weekday("2026-11-06") == 5);
    CHECK(wd("2026-11-18", "2026-11-18", 5) == 0); /* the same day */
    CHECK(wd("2026-11-18", "2026-11-18", 6) == 0);
    CHECK(wd("2026-11-06", "2026-11-07", 5) == 0); /* Friday -> Saturday */
    CHECK(wd("2026-11-06", "2026-11-07", 6) == 1);
    CHECK(wd("2026-11-06", "2026-11-08", 5) == 0); /* -> Sunday */
    CHECK(wd("2026-11-06", "2026-11-08", 6) == 1);
    CHECK(wd("2026-11-06", "2026-11-09", 5) == 1); /* -> Monday */
    CHECK(wd("2026-11-06", "2026-11-09", 6) == 2);
    CHECK(wd("2026-11-07", "2026-11-09", 5) == 1); /* Saturday -> Monday */
    CHECK(wd("2026-11-08", "2026-11-09", 5) == 1); /* Sunday -> Monday */
    CHECK(wd("2026-11-09", "2026-11-16", 5) == 5); /* a whole week */
    CHECK(wd("2026-11-09", "2026-11-16", 6) == 6);
    CHECK(wd("2026-11-06", "2026-11-18", 5) == 8); /* the demo's validasi BKN */
    CHECK(wd("2026-11-06", "2026-11-18", 6) == 10);
    CHECK(wd("2026-11-18", "2026-11-06", 5) == 0); /* backwards */
    CHECK(wd("2024-02-28", "2024-03-01", 5) == 2); /* over 29 February */
    CHECK(wd("2026-12-31", "2027-01-04", 5) == 2); /* over the new year: Fri 1, Mon 4 */
    CHECK(wd("2026-12-31", "2027-01-04", 6) == 3);

    CHECK(kb_is_workday("2026-11-07", 5) == false);
    CHECK(kb_is_workday("2026-11-07", 6) == true);
    CHECK(kb_is_workday("2026-11-08", 6) == false);
    CHECK(kb_is_workday("2026-11-09", 5) == true);

    CHECK(wd("2026-11-31", "2026-12-01", 5) == -1);
    CHECK(wd("2026-11-01", "tomorrow", 5) == -1);
    CHECK(wd("2026-11-01", "2026-11-30", 7) == -1);
    CHECK(wd("2026-11-01", "2026-11-30", 0) == -1);
    CHECK(kb_workdays_between(NULL, "2026-11-30", 5, &(int64_t){0}) == -1);
    CHECK(kb_is_workday("2026-13-01", 5) == false);
}

/* The counting formula against walking the calendar day by day, over week, month, year and
 * era boundaries (including years long before 1970). */
static void test_workdays_brute(void)
{
    static const char *const starts[] = {"0001-01-01", "1599-12-27", "1969-12-25", "1970-01-01",
                                         "2000-02-26", "2026-11-06", "2026-11-08", "9999-12-01"};
    int bad = 0;
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        int y, m, d;
        kb_date_parse(starts[s], &y, &m, &d);
        int64_t base = kb_days_from_civil(y, m, d);
        for (int week = 5; week <= 6; week++) {
            int64_t walked = 0;
            for (int k = 1; k <= 30; k++) {
                char from[11], to[11], added[11];
                kb_civil_from_days(base, &y, &m, &d);
                kb_date_make(from, y, m, d);
                kb_civil_from_days(base + k, &y, &m, &d);
                if (kb_date_make(to, y, m, d) != 0)
                    break; /* past 9999 */
                if (kb_weekday(to) <= week)
                    walked++;
                if (wd(from, to, week) != walked)
                    bad++;
                if (kb_is_workday(to, week) != (kb_weekday(to) <= week))
                    bad++;
                /* the date n working days on is a working day with exactly n before it */
                if (kb_workdays_add(from, walked, week, added) != 0 ||
                    wd(from, added, week) != walked ||
                    (walked > 0 && (!kb_is_workday(added, week) || strcmp(added, to) > 0)))
                    bad++;
            }
        }
    }
    CHECK(bad == 0);
}

static void test_workdays_add(void)
{
    char out[11];
    CHECK(kb_workdays_add("2026-11-06", 1, 5, out) == 0);
    CHECK_STR(out, "2026-11-09"); /* Friday + 1 = Monday */
    CHECK(kb_workdays_add("2026-11-06", 1, 6, out) == 0);
    CHECK_STR(out, "2026-11-07"); /* ... or Saturday */
    CHECK(kb_workdays_add("2026-11-07", 0, 5, out) == 0);
    CHECK_STR(out, "2026-11-07");
    CHECK(kb_workdays_add("2026-11-06", 5, 5, out) == 0);
    CHECK_STR(out, "2026-11-13"); /* expected 5 working days from the demo's validasi BKN */
    CHECK(kb_workdays_add("2026-11-06", -1, 5, out) == -1);
    CHECK_STR(out, "");
    CHECK(kb_workdays_add("9999-12-30", 5, 5, out) == -1);
    CHECK(kb_workdays_add("2026-02-30", 1, 5, out) == -1);
}

/* ---- a store with people -------------------------------------------------------------------- */

static char db_path[600];

static struct kb_store *open_fresh(const char *name)
{
    demo_path(db_path, sizeof db_path, "promotion", name);
    struct kb_store *st = NULL;
    if (kb_store_open(&st, db_path, 1000) != KB_OK) {
        fprintf(stderr, "cannot open %s\n", db_path);
        exit(2);
    }
    /* A five-day and a six-day unit (a school), and people of every kind. */
    static const char seed[] =
        "INSERT INTO units(id, name, zone, workdays) VALUES (1, 'Dinas', 'WITA', 5),"
        "  (2, 'SMA Negeri 1', 'WITA', 6);"
        "INSERT INTO employees(id, nip, name, asn_kind, grade, tmt_grade, education, position,"
        "  position_kind, unit_id, perf_last, perf_prev, credit_points, stlud) VALUES"
        "  (1, '198601092011011007', 'Fajar', 'PNS', 'III/c', '2022-04-01', 's1', 'Analis',"
        "      'pelaksana', 1, 'Baik', 'Baik', NULL, NULL),"
        "  (2, '198601092011012008', 'Guru', 'PNS', 'III/c', '2022-04-01', 'S1', 'Guru',"
        "      'pelaksana', 2, 'baik', 'SANGAT BAIK', NULL, NULL),"
        "  (3, '199003222015032001', 'Dewi', 'PNS', 'III/b', '2021-04-01', 's1',"
        "      'Pranata Komputer Ahli Pertama', 'fungsional', 1, 'Baik', 'Baik', NULL, NULL),"
        "  (4, '199903152025032006', 'Maya', 'CPNS', 'III/a', '2025-03-01', 's1', 'Pranata',"
        "      'fungsional', 1, NULL, NULL, NULL, NULL),"
        "  (5, '196501011990031001', 'Sepuh', 'PNS', 'IV/e', '2020-04-01', 's3', 'Sekda',"
        "      'struktural', 1, 'Baik', 'Baik', NULL, NULL),"
        "  (6, '199411302023212015', 'Yuni', 'PPPK', 'IX', NULL, 's1', 'Pranata',"
        "      'fungsional', 1, 'Baik', NULL, NULL, NULL),"
        "  (7, '199107102019031005', 'Rudi', 'PNS', 'III/a', '2019-03-01', 's1', 'Pengolah',"
        "      'pelaksana', 1, 'Baik', 'Cukup', NULL, NULL),"
        "  (8, '198805172010012003', 'Siti', 'PNS', 'III/b', '2018-04-01', 'slta', 'Pengadm',"
        "      'pelaksana', 1, 'Baik', 'Baik', NULL, 1);";
    if (kb_store_exec_seed(st, seed, TODAY) != KB_OK) {
        fprintf(stderr, "cannot seed %s\n", db_path);
        exit(2);
    }
    return st;
}

static void close_and_remove(struct kb_store *st)
{
    kb_store_close(st);
    demo_remove(db_path);
}

static int stage(struct kb_store *st, int64_t id, const char *s, const char *on, const char *note)
{
    if (kb_store_begin(st) != KB_OK)
        return KB_ERR;
    int rc = kb_promotion_stage_set(st, id, s, on, note);
    if (rc == KB_OK)
        return kb_store_commit(st);
    kb_store_rollback(st);
    return rc;
}

static int64_t file(struct kb_store *st, int64_t employee, const char *target, const char *period)
{
    int64_t id = 0;
    if (kb_store_begin(st) != KB_OK)
        return 0;
    if (kb_promotion_file_set(st, employee, "reguler", target, period, &id) != KB_OK) {
        kb_store_rollback(st);
        return 0;
    }
    return kb_store_commit(st) == KB_OK ? id : 0;
}

/* The stage ids of the employee's current file, joined by spaces. */
static const char *stage_ids(struct kb_store *st, int64_t employee, char *buf, size_t cap)
{
    static struct kb_promotion_file f;
    int found = 0;
    buf[0] = '\0';
    if (kb_promotion_current(st, employee, &f, &found) != KB_OK || !found)
        return buf;
    for (size_t i = 0; i < f.nstages; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", i ? " " : "", f.stages[i].stage);
    }
    return buf;
}

static void test_store_files(void)
{
    struct kb_store *st = open_fresh("files");
    static struct kb_promotion_file f;
    int found = 1;
    CHECK(kb_promotion_current(st, 1, &f, &found) == KB_OK && found == 0);

    int64_t old = file(st, 1, "III/c", "2022-04-01");
    int64_t cur = file(st, 1, "III/d", "2026-12-01");
    CHECK(old > 0 && cur > 0 && old != cur);
    CHECK(file(st, 1, "III/d", "2026-12-01") == cur); /* the same period: the same file */
    CHECK(kb_promotion_current(st, 1, &f, &found) == KB_OK && found == 1);
    CHECK(f.id == cur && f.employee_id == 1 && f.nstages == 0 && !f.truncated);
    CHECK_STR(f.target_grade, "III/d");
    CHECK_STR(f.period, "2026-12-01");
    CHECK_STR(f.kind, "reguler");
    CHECK(kb_promotion_current(st, 2, &f, &found) == KB_OK && found == 0); /* not someone else's */

    /* Recorded out of order: read back by date. */
    char ids[512];
    CHECK(stage(st, cur, "validasi_bkn", "2026-11-06", NULL) == KB_OK);
    CHECK(stage(st, cur, "disiapkan", "2026-10-09", NULL) == KB_OK);
    CHECK(stage(st, cur, "verifikasi_instansi", "2026-10-16", "") == KB_OK);
    CHECK_STR(stage_ids(st, 1, ids, sizeof ids), "disiapkan verifikasi_instansi validasi_bkn");
    /* The same day: in the order recorded. */
    CHECK(stage(st, cur, "BTS", "2026-11-06", "Ijazah tidak terbaca") == KB_OK);
    CHECK_STR(stage_ids(st, 1, ids, sizeof ids), "disiapkan verifikasi_instansi validasi_bkn BTS");
    CHECK(kb_promotion_current(st, 1, &f, &found) == KB_OK && found);
    CHECK_STR(f.stages[3].note, "Ijazah tidak terbaca");
    CHECK_STR(f.stages[1].note, ""); /* "" is stored as no note */
    /* Importing the same row again changes nothing; a new date moves it to the end. */
    CHECK(stage(st, cur, "validasi_bkn", "2026-11-06", NULL) == KB_OK);
    CHECK_STR(stage_ids(st, 1, ids, sizeof ids), "disiapkan verifikasi_instansi validasi_bkn BTS");
    CHECK(stage(st, cur, "validasi_bkn", "2026-11-06", NULL) == KB_OK);
    CHECK(stage(st, cur, "verifikasi_instansi", "2026-11-10", NULL) == KB_OK);
    CHECK_STR(stage_ids(st, 1, ids, sizeof ids), "disiapkan validasi_bkn BTS verifikasi_instansi");

    /* Bad input is refused and changes nothing. */
    char long_note[KB_PROMOTION_NOTE_MAX + 2];
    memset(long_note, 'x', sizeof long_note - 1);
    long_note[sizeof long_note - 1] = '\0';
    CHECK(stage(st, cur, "pertek", "2026-11-31", NULL) == KB_ERR);
    CHECK(stage(st, cur, "pertek", "", NULL) == KB_ERR);
    CHECK(stage(st, cur, "", "2026-11-12", NULL) == KB_ERR);
    CHECK(stage(st, cur, "a_stage_id_that_is_far_too_long_to_keep", "2026-11-12", NULL) == KB_ERR);
    CHECK(stage(st, cur, "pertek", "2026-11-12", long_note) == KB_ERR);
    long_note[KB_PROMOTION_NOTE_MAX] = '\0'; /* exactly the limit */
    CHECK(stage(st, cur, "BTL", "2026-11-12", long_note) == KB_OK);
    CHECK(stage(st, 9999, "pertek", "2026-11-12", NULL) == KB_ERR); /* no such file */
    CHECK_STR(stage_ids(st, 1, ids, sizeof ids),
              "disiapkan validasi_bkn BTS verifikasi_instansi BTL");
    CHECK(kb_store_begin(st) == KB_OK);
    CHECK(kb_promotion_file_set(st, 1, "reguler", "III/d", "2026-12-32", NULL) == KB_ERR);
    CHECK(kb_promotion_file_set(st, 1, "", "III/d", "2026-12-01", NULL) == KB_ERR);
    CHECK(kb_promotion_file_set(st, 1, "reguler", "", "2026-12-01", NULL) == KB_ERR);
    kb_store_rollback(st);
    close_and_remove(st);
}

/* More rows than kept: the latest ones, oldest first, and truncated says so. */
static void test_store_bounded(void)
{
    struct kb_store *st = open_fresh("bounded");
    int64_t id = file(st, 1, "III/d", "2026-12-01");
    int ok = 1;
    for (int i = 0; i < KB_PROMOTION_STAGES_MAX + 8; i++) {
        char s[16], on[11];
        snprintf(s, sizeof s, "s%02d", i);
        kb_date_make(on, 2026, 1 + i / 28, 1 + i % 28);
        ok &= stage(st, id, s, on, NULL) == KB_OK;
    }
    CHECK(ok);
    static struct kb_promotion_file f;
    int found = 0;
    CHECK(kb_promotion_current(st, 1, &f, &found) == KB_OK && found);
    CHECK(f.nstages == KB_PROMOTION_STAGES_MAX && f.truncated == 1);
    CHECK_STR(f.stages[0].stage, "s08");
    CHECK_STR(f.stages[KB_PROMOTION_STAGES_MAX - 1].stage, "s39");
    close_and_remove(st);
}

/* ---- the action ----------------------------------------------------------------------------- */

struct run {
    struct kb_action_out out;
    const char *html[4];
    char result[KB_ACTION_RESULT_MAX];
};

static const char *var(const struct kb_action_out *out, const char *name)
{
    for (size_t i = 0; i < out->nvars; i++)
        if (!strcmp(out->vars[i].name, name))
            return out->vars[i].value;
    return "";
}

/* Runs an action as employee `who` (or as nobody) with the given policy and language. */
static int act(struct kb_store *st, const char *action, int64_t who, const struct kb_policy *p,
               const char *lang, struct kb_action_out *out)
{
    struct kb_person actor;
    int found = 0;
    if (who && (kb_person_by_id(st, who, &actor, &found) != KB_OK || !found))
        return -1;
    struct kb_action_ctx ctx = {.st = st,
                                .lang = lang,
                                .loc = loc,
                                .policy = p,
                                .actor = who ? &actor : NULL,
                                .now = 1795000000};
    snprintf(ctx.today, sizeof ctx.today, "%s", TODAY);
    memset(out, 0, sizeof *out);
    return kb_action_run(action, &ctx, out);
}

#define HAS(hay, needle)   CHECK(strstr((hay), (needle)) != NULL)
#define HASNT(hay, needle) CHECK(strstr((hay), (needle)) == NULL)

static void test_status_timeline(void)
{
    struct kb_store *st = open_fresh("timeline");
    struct kb_action_out out;
    int64_t id = file(st, 1, "III/d", "2026-12-01");
    CHECK(stage(st, id, "disiapkan", "2026-10-09", NULL) == KB_OK);
    CHECK(stage(st, id, "verifikasi_instansi", "2026-10-16", NULL) == KB_OK);
    CHECK(stage(st, id, "persetujuan_eselon3", "2026-10-28", NULL) == KB_OK); /* entri skipped */
    CHECK(stage(st, id, "validasi_bkn", "2026-11-06", NULL) == KB_OK);
    CHECK(act(st, "promotion_status", 1, policy, "id", &out) == 0);
    CHECK_STR(out.result, "kp");
    const char *f = var(&out, "file");
    HAS(f, "Berkas kenaikan pangkat Bapak berada di tahap <b>Validasi BKN</b> sejak 6 November "
           "2026 (8 hari kerja; biasanya 5 hari kerja). Yang perlu bertindak: <b>BKN</b>.");
    HAS(f, "Tahap ini sudah berjalan lebih lama dari biasanya.");
    HAS(f,
        "✅ Berkas disiapkan — 9 Oktober 2026\n✅ Verifikasi instansi — 16 Oktober 2026\n"
        "✅ Dientri di SIASN\n✅ Persetujuan pejabat eselon III — 28 Oktober 2026\n"
        "⏳ <b>Validasi BKN</b> — sejak 6 November 2026\n▫️ Pertek terbit dan terkirim\n");
    HAS(f, "Penata Tingkat I (III/d)");
    HAS(f, "1 Desember 2026");
    const char *pre = var(&out, "precheck");
    HAS(pre, "kenaikan pangkat reguler");
    HASNT(pre, "Langkah berikutnya"); /* the file is already on its way */
    kb_action_out_free(&out);

    /* The same file in a unit that works six days; and in English. */
    CHECK(kb_store_begin(st) == KB_OK &&
          kb_promotion_file_set(st, 2, "reguler", "III/d", "2026-12-01", &id) == KB_OK &&
          kb_promotion_stage_set(st, id, "validasi_bkn", "2026-11-06", NULL) == KB_OK &&
          kb_promotion_stage_set(st, id, "disiapkan", "2026-10-09", NULL) == KB_OK &&
          kb_store_commit(st) == KB_OK);
    CHECK(act(st, "promotion_status", 2, policy, "id", &out) == 0);
    HAS(var(&out, "file"), "(10 hari kerja; biasanya 5 hari kerja)");
    HAS(var(&out, "file"), "✅ Verifikasi instansi\n"); /* passed, date not recorded */
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_status", 2, policy, "en", &out) == 0);
    HAS(var(&out, "file"), "since 6 November 2026 (10 working days; usually 5 working days)");
    kb_action_out_free(&out);

    /* Reached today; and within the expected time: no word of delay. */
    CHECK(stage(st, id, "pertek", TODAY, NULL) == KB_OK);
    CHECK(act(st, "promotion_status", 2, policy, "id", &out) == 0);
    HAS(var(&out, "file"), "masuk ke tahap <b>Pertek terbit dan terkirim</b> hari ini, 18 "
                           "November 2026 (biasanya 5 hari kerja). Yang perlu bertindak: "
                           "<b>BKN</b>.");
    HASNT(var(&out, "file"), "lebih lama");
    kb_action_out_free(&out);

    /* The last stage: done. */
    CHECK(stage(st, id, "sk_myasn", TODAY, NULL) == KB_OK);
    CHECK(act(st, "promotion_status", 2, policy, "id", &out) == 0);
    HAS(var(&out, "file"), "sudah mencapai tahap terakhir, <b>SK tersedia di MyASN</b>");
    HAS(var(&out, "file"), "✅ SK tersedia di MyASN — 18 November 2026");
    HASNT(var(&out, "file"), "⏳");
    kb_action_out_free(&out);
    close_and_remove(st);
}

static void test_status_returned(void)
{
    struct kb_store *st = open_fresh("returned");
    struct kb_action_out out;
    int64_t id = file(st, 1, "III/d", "2026-12-01");
    CHECK(stage(st, id, "disiapkan", "2026-10-09", NULL) == KB_OK);
    CHECK(stage(st, id, "verifikasi_instansi", "2026-10-16", NULL) == KB_OK);
    CHECK(stage(st, id, "BTL", "2026-10-16", "SKP 2025 belum diunggah & <ditandatangani>") ==
          KB_OK);
    CHECK(act(st, "promotion_status", 1, policy, "id", &out) == 0);
    const char *f = var(&out, "file");
    HAS(f, "<b>dikembalikan</b> di tahap Verifikasi instansi pada 16 Oktober 2026, dengan "
           "status <b>BTL (Berkas tidak lengkap)</b>.\nArtinya: Ada dokumen yang belum "
           "diunggah.\nYang perlu dilakukan: Lengkapi dokumen yang diminta");
    HAS(f, "Catatan verifikator: SKP 2025 belum diunggah &amp; &lt;ditandatangani&gt;");
    HAS(f, "✅ Verifikasi instansi — 16 Oktober 2026\n↩️ Dikembalikan: <b>BTL</b>");
    HASNT(f, "▫️"); /* nothing ahead of a returned file */
    HASNT(f, "⏳");
    kb_action_out_free(&out);

    /* Fixed and verified again: on its way, the return is history. */
    CHECK(stage(st, id, "verifikasi_instansi", "2026-11-16", NULL) == KB_OK);
    CHECK(act(st, "promotion_status", 1, policy, "id", &out) == 0);
    f = var(&out, "file");
    HAS(f, "tahap <b>Verifikasi instansi</b> sejak 16 November 2026 (2 hari kerja; biasanya 5 "
           "hari kerja)");
    HASNT(f, "dikembalikan");
    HASNT(f, "lebih lama");
    kb_action_out_free(&out);

    /* Rows of one date whose recording order is not known (seq 0): a return still comes after
     * the stage it came back from, whatever the row order. TMS, with no stage before it. */
    CHECK(kb_store_exec_seed(st,
                             "INSERT INTO promotions(id, employee_id, kind, target_grade, period)"
                             "  VALUES (50, 7, 'reguler', 'III/b', '2027-01-01');"
                             "INSERT INTO promotion_stages(promotion_id, stage, reached_on) VALUES"
                             "  (50, 'TMS', '2026-11-02'), (50, 'validasi_bkn', '2026-11-02'),"
                             "  (50, 'entri_siasn', '2026-10-20'), (50, 'unknown_x', '2026-11-03');"
                             "INSERT INTO promotions(id, employee_id, kind, target_grade, period)"
                             "  VALUES (51, 8, 'reguler', 'III/c', '2027-02-01');"
                             "INSERT INTO promotion_stages(promotion_id, stage, reached_on) VALUES"
                             "  (51, 'BTS', '2026-11-02');",
                             TODAY) == KB_OK);
    CHECK(act(st, "promotion_status", 7, policy, "id", &out) == 0);
    f = var(&out, "file");
    HAS(f, "di tahap Validasi BKN pada 2 November 2026, dengan status <b>TMS (Tidak memenuhi "
           "syarat)</b>");
    HAS(f, "Yang perlu dilakukan: Tanyakan syarat yang belum terpenuhi kepada BKPSDM");
    HAS(f, "✅ Berkas disiapkan\n✅ Verifikasi instansi\n✅ Dientri di SIASN — 20 Oktober 2026\n"
           "✅ Persetujuan pejabat eselon III\n✅ Validasi BKN — 2 November 2026\n"
           "↩️ Dikembalikan: <b>TMS</b> (Tidak memenuhi syarat) — 2 November 2026");
    HASNT(f, "unknown_x");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_status", 8, policy, "id", &out) == 0);
    CHECK_STR(out.result, "file"); /* her ceiling is reached, but the file is shown */
    HAS(var(&out, "file"), "<b>dikembalikan</b> pada 2 November 2026 dengan status <b>BTS");
    HASNT(var(&out, "file"), "✅");
    kb_action_out_free(&out);
    close_and_remove(st);
}

static void test_status_kinds(void)
{
    struct kb_store *st = open_fresh("kinds");
    struct kb_action_out out;

    /* A JF holder: the fungsional rules, never the reguler ones. */
    CHECK(act(st, "promotion_status", 3, policy, "id", &out) == 0);
    CHECK_STR(out.result, "kp");
    const char *pre = var(&out, "precheck");
    HAS(pre, "<b>kenaikan pangkat jabatan fungsional</b>");
    HAS(pre, "❔ Angka kredit: belum dapat dinilai");
    HAS(pre, "Penetapan Angka Kredit (PAK)");
    HAS(pre, "✅ Masa kerja dalam pangkat minimal 2 tahun: terpenuhi sejak 1 April 2023.");
    HAS(pre, "perkiraan periode kenaikan pangkat berikutnya: <b>1 Desember 2026</b>");
    HAS(pre, "BKN dan PPK");
    HASNT(pre, "reguler");
    HASNT(pre, "ijazah");
    HASNT(pre, "Predikat kinerja");
    HAS(var(&out, "profile"), "Penata Muda Tingkat I (III/b)");
    HAS(var(&out, "profile"), "TMT pangkat: 1 April 2021 (5 tahun 7 bulan dalam pangkat ini)");
    HAS(var(&out, "profile"), "(jabatan fungsional)");
    HAS(var(&out, "file"), "Belum ada berkas usulan kenaikan pangkat Ibu");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_documents", 3, policy, "id", &out) == 0);
    CHECK_STR(out.result, "ok");
    HAS(var(&out, "documents"), "Penetapan angka kredit (PAK) terakhir");
    HAS(var(&out, "documents"), "kenaikan pangkat jabatan fungsional");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_documents", 1, policy, "id", &out) == 0);
    HASNT(var(&out, "documents"), "angka kredit");
    HAS(var(&out, "documents"), "1. SK kenaikan pangkat terakhir");
    kb_action_out_free(&out);

    /* Case-insensitive education and predikat; a predikat the policy does not know. */
    CHECK(act(st, "promotion_status", 2, policy, "id", &out) == 0);
    HAS(var(&out, "precheck"), "✅ Pangkat tertinggi menurut ijazah Sarjana (S-1)");
    HAS(var(&out, "precheck"), "✅ Predikat kinerja 2 tahun terakhir: tahun lalu baik, tahun "
                               "sebelumnya SANGAT BAIK (syarat: Sangat Baik atau Baik).");
    HAS(var(&out, "precheck"), "Langkah berikutnya");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_status", 7, policy, "id", &out) == 0);
    HAS(var(&out, "precheck"), "❔ Predikat kinerja 2 tahun terakhir: tahun lalu Baik, tahun "
                               "sebelumnya Cukup (syarat: Sangat Baik atau Baik). Predikat yang "
                               "tercatat tidak kami kenali");
    HASNT(var(&out, "precheck"), "memenuhi syarat untuk");
    kb_action_out_free(&out);

    /* The education ceiling, kindly, with what could change it; no checklist then. */
    CHECK(act(st, "promotion_status", 8, policy, "id", &out) == 0);
    CHECK_STR(out.result, "plain");
    HAS(var(&out, "precheck"), "❌ Pangkat tertinggi menurut ijazah SLTA: Penata Muda Tingkat I "
                               "(III/b) — sudah tercapai.");
    HAS(var(&out, "precheck"), "penyesuaian ijazah");
    HASNT(var(&out, "precheck"), "Perkiraan periode");
    kb_action_out_free(&out);

    /* CPNS, PPPK, the top of the ladder: plainly, no checklist. */
    CHECK(act(st, "promotion_status", 4, policy, "id", &out) == 0);
    CHECK_STR(out.result, "plain");
    HAS(var(&out, "precheck"), "Sebagai CPNS");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_status", 6, policy, "id", &out) == 0);
    CHECK_STR(out.result, "plain");
    HAS(var(&out, "precheck"), "Sebagai PPPK, Bapak/Ibu memiliki golongan, bukan pangkat");
    HAS(var(&out, "profile"), "Golongan: IX (PPPK)");
    HASNT(var(&out, "profile"), "TMT");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_documents", 6, policy, "id", &out) == 0);
    CHECK_STR(out.result, "none");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_status", 5, policy, "id", &out) == 0);
    CHECK_STR(out.result, "plain");
    HAS(var(&out, "precheck"), "pangkat tertinggi PNS, Pembina Utama (IV/e)");
    kb_action_out_free(&out);
    close_and_remove(st);
}

/* Only the owner: a file is found by the actor's own id, an old file (the rank it aimed at is
 * held) is history, and without a policy or an actor nothing is shown. */
static void test_status_access(void)
{
    struct kb_store *st = open_fresh("access");
    struct kb_action_out out;
    int64_t id = file(st, 1, "III/d", "2026-12-01");
    CHECK(stage(st, id, "validasi_bkn", "2026-11-06", NULL) == KB_OK);
    CHECK(act(st, "promotion_status", 7, policy, "id", &out) == 0); /* Rudi, not Fajar */
    HASNT(var(&out, "file"), "Validasi BKN");
    HAS(var(&out, "file"), "Belum ada berkas");
    kb_action_out_free(&out);
    id = file(st, 7, "III/a", "2019-03-01"); /* Rudi's last promotion, long done */
    CHECK(stage(st, id, "sk_myasn", "2019-02-20", NULL) == KB_OK);
    CHECK(act(st, "promotion_status", 7, policy, "id", &out) == 0);
    HAS(var(&out, "file"), "Belum ada berkas");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_status", 0, policy, "id", &out) == 0);
    CHECK_STR(out.result, "forbidden");
    CHECK(out.nvars == 0);
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_documents", 0, policy, "id", &out) == 0);
    CHECK_STR(out.result, "forbidden");
    kb_action_out_free(&out);
    CHECK(act(st, "promotion_status", 1, NULL, "id", &out) == 0);
    CHECK_STR(out.result, "unavailable");
    CHECK(out.nvars == 0);
    kb_action_out_free(&out);
    close_and_remove(st);
}

int main(void)
{
    struct kb_diag d = {0};
    policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &d);
    for (size_t i = 0; i < d.nlines; i++)
        fprintf(stderr, "%s\n", d.lines[i]);
    kb_diag_free(&d);
    loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    if (!policy || !loc) {
        fprintf(stderr, "the shipped policy or locales do not load\n");
        return 1;
    }
    RUN(test_workdays_week);
    RUN(test_workdays_brute);
    RUN(test_workdays_add);
    RUN(test_store_files);
    RUN(test_store_bounded);
    RUN(test_status_timeline);
    RUN(test_status_returned);
    RUN(test_status_kinds);
    RUN(test_status_access);
    kb_policy_free(policy);
    kb_locale_free(loc);
    return CHECK_SUMMARY();
}
