/* test_report: HR's reports (src/cli/report_build.c, report_write.c, src/store/reports.c) on the
 * demo organisation (deploy/demo/demo.sql) in a real SQLite file, with a few fixture rows added
 * per test. Every expected row was worked out by hand from demo.sql.
 *
 * Today is Monday 2026-06-15 (the instant is 10:00 UTC: the same date in WIB, WITA and WIT);
 * the demo dates are relative to it. Units: 1 Dinas Komunikasi dan Informatika (WITA, five
 * days), 2 BKPSDM. People (id, grade, supervisor): Agus 1 IV/c, Hendra 2 IV/a (Agus), Ratna 3
 * IV/a (Agus), Dewi 4 III/b (Hendra), Rudi 5 III/a (Hendra), Siti 6 III/b (Ratna), Bambang 7
 * IV/b (Agus), Yuni 8 PPPK IX (Hendra), Fajar 9 III/c (Ratna), Maya 10 CPNS III/a (Ratna, the
 * only one without a Telegram link), Lina 11 III/d in BKPSDM (no supervisor).
 * Dewi's 2026 plan (disetujui): e-learning 10 JP finished and verified (target 2026-04-16),
 * a seminar 5 JP planned for 2026-05-26 (late), a course 24 JP under way (2026-06-22),
 * coaching 2 JP (2026-07-15). Rudi's plan (draf): a bimtek of 16 JP (2026-07-30).
 * Trainings (start): workshop BPSDM-2026-022 (06-20), e-learning LAN-EL-2026-05 (06-22),
 * Python BPSDM-2026-031 (07-15, quota 20), policy writing LAN-2026-117 (07-30, quota 1, the
 * seat Bambang's), leadership BPSDM-2026-040 (08-14). Fajar's promotion to III/d (period
 * 2026-07-01) is at validasi_bkn since 2026-06-03 (Wednesday): 8 working days by Monday.
 *
 * Rows are compared whole, rendered cell by cell as "a|b|c": an id cell (NIP) as #digits, a
 * date as @YYYY-MM-DD, rupiah as Rp123, a number as digits, text as itself, empty as nothing. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/buf.h"
#include "karirbot/diag.h"
#include "karirbot/policy.h"
#include "karirbot/report.h"
#include "karirbot/reports_store.h"
#include "karirbot/store.h"

#define TODAY "2026-06-15"
#define NOW   1781517600 /* 2026-06-15 10:00 UTC */

static struct {
    char path[512];
    struct kb_store *st;
    sqlite3 *db; /* a second connection, for fixture rows */
    struct kb_policy *policy;
    struct kb_report r;
    char err[512];
} F;

static void open_world(const char *name)
{
    demo_path(F.path, sizeof F.path, "report", name);
    CHECK(kb_store_open(&F.st, F.path, 2000) == KB_OK);
    /* demo.sql alone: other areas' demo files must not move these hand-made figures */
    CHECK(demo_seed(F.st, TODAY) == 0);
    CHECK(sqlite3_open(F.path, &F.db) == SQLITE_OK);
    sqlite3_busy_timeout(F.db, 2000);
    struct kb_diag diag = {0};
    F.policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    kb_diag_free(&diag);
    CHECK(F.policy != NULL);
    memset(&F.r, 0, sizeof F.r);
}

static void close_world(void)
{
    kb_report_free(&F.r);
    kb_policy_free(F.policy);
    sqlite3_close(F.db);
    kb_store_close(F.st);
    demo_remove(F.path);
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

/* Builds a report into F.r; returns kb_report_build's result (F.err says why on -1). */
static int build(enum kb_report_kind kind, const char *unit, int year, const char *training,
                 int below)
{
    kb_report_free(&F.r);
    struct kb_report_opts o = {.kind = kind,
                               .unit = unit,
                               .year = year,
                               .training = training,
                               .below_target = below,
                               .now = NOW};
    return kb_report_build(F.st, F.policy, &o, &F.r, F.err, sizeof F.err);
}

/* Row i of F.r rendered cell by cell (see the top of the file). */
static const char *row_text(size_t i)
{
    static char out[4096];
    size_t n = 0;
    out[0] = '\0';
    for (size_t c = 0; c < F.r.ncols; c++) {
        const struct kb_cell *cell = kb_report_cell(&F.r, i, c);
        const char *t = kb_report_cell_text(&F.r, i, c);
        char v[1024];
        switch (cell->type) {
        case KB_CELL_ID:
            snprintf(v, sizeof v, "#%s", t);
            break;
        case KB_CELL_DATE:
            snprintf(v, sizeof v, "@%s", t);
            break;
        case KB_CELL_MONEY:
            snprintf(v, sizeof v, "Rp%lld", (long long)cell->v);
            break;
        case KB_CELL_INT:
            snprintf(v, sizeof v, "%lld", (long long)cell->v);
            break;
        case KB_CELL_TEXT:
            snprintf(v, sizeof v, "%s", t);
            break;
        default:
            v[0] = '\0';
        }
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", c ? "|" : "", v);
        if (n >= sizeof out)
            break;
    }
    return out;
}

static const char *header_text(void)
{
    static char out[2048];
    size_t n = 0;
    out[0] = '\0';
    for (size_t c = 0; c < F.r.ncols && n < sizeof out; c++)
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", c ? "," : "", F.r.cols[c].name);
    return out;
}

/* The index of the first row whose column col reads value; -1 when none. */
static int find_row(const char *col, const char *value)
{
    int c = kb_report_col(&F.r, col);
    for (size_t i = 0; c >= 0 && i < F.r.nrows; i++)
        if (!strcmp(kb_report_cell_text(&F.r, i, (size_t)c), value))
            return (int)i;
    return -1;
}

#define CHECK_ROW(i, want)                                                                         \
    do {                                                                                           \
        if ((size_t)(i) < F.r.nrows)                                                               \
            CHECK_STR(row_text(i), want);                                                          \
        else                                                                                       \
            CHECK(!"no such row: " #i);                                                            \
    } while (0)

#define DISKOMINFO "Dinas Komunikasi dan Informatika"

/* ---- rpi ------------------------------------------------------------------------------------ */

static void test_rpi(void)
{
    open_world("rpi");
    CHECK(build(KB_REPORT_RPI, NULL, 2026, NULL, 0) == 0);
    CHECK_STR(header_text(),
              "nip,nama,unit_kerja,jenis_asn,status_rpi,kegiatan_direncanakan,kegiatan_selesai,"
              "kegiatan_terlambat,kegiatan_menunggu_persetujuan,jp_direncanakan,jp_diakui,"
              "jp_menunggu_verifikasi,persen_kegiatan_selesai");
    CHECK(F.r.nrows == 11);
    /* by unit (BKPSDM before Dinas ...), then by name */
    CHECK_ROW(0, "#198207112006042008|Lina Marlina|BKPSDM|PNS||0|0|0|0|0|0|0|");
    CHECK_ROW(1, "#196905201994031002|Agus Setiawan|" DISKOMINFO "|PNS||0|0|0|0|0|0|0|");
    CHECK_ROW(2, "#197002141996011001|Bambang Wijaya|" DISKOMINFO "|PNS||0|0|0|0|0|0|0|");
    /* 4 activities, the e-learning done (1 of 4 = 25 %), the seminar late, 10+5+24+2 JP */
    CHECK_ROW(3,
              "#199003222015032001|Dewi Lestari|" DISKOMINFO "|PNS|disetujui|4|1|1|0|41|10|0|25");
    CHECK_ROW(4, "#198601092011011007|Fajar Nugroho|" DISKOMINFO "|PNS||0|0|0|0|0|0|0|");
    CHECK_ROW(5, "#197804152003121004|Hendra Pratama|" DISKOMINFO "|PNS||0|0|0|0|0|0|0|");
    CHECK_ROW(6, "#199903152025032006|Maya Anggraini|" DISKOMINFO "|CPNS||0|0|0|0|0|0|0|");
    CHECK_ROW(7, "#197512082000032002|Ratna Sari|" DISKOMINFO "|PNS||0|0|0|0|0|0|0|");
    CHECK_ROW(8, "#199107102019031005|Rudi Hartono|" DISKOMINFO "|PNS|draf|1|0|0|0|16|0|0|0");
    CHECK_ROW(9, "#198805172010012003|Siti Rahmawati|" DISKOMINFO "|PNS||0|0|0|0|0|0|0|");
    CHECK_ROW(10, "#199411302023212015|Yuni Kartika|" DISKOMINFO "|PPPK||0|0|0|0|0|0|0|");

    /* Staff who left are no longer measured; a part-time PPPK is written as the import's
     * jenis_asn says. */
    sql("UPDATE employees SET active = 0 WHERE id = 11");
    sql("UPDATE employees SET part_time = 1 WHERE id = 8");
    CHECK(build(KB_REPORT_RPI, NULL, 2026, NULL, 0) == 0);
    CHECK(F.r.nrows == 10 && find_row("nama", "Lina Marlina") < 0);
    CHECK_ROW(9,
              "#199411302023212015|Yuni Kartika|" DISKOMINFO "|PPPK paruh waktu||0|0|0|0|0|0|0|");

    /* Another year: nobody has a plan. */
    CHECK(build(KB_REPORT_RPI, NULL, 2025, NULL, 0) == 0);
    CHECK(F.r.nrows == 10 && find_row("status_rpi", "disetujui") < 0);
    /* No year: this year (WIB). */
    CHECK(build(KB_REPORT_RPI, NULL, 0, NULL, 0) == 0);
    CHECK(find_row("status_rpi", "disetujui") == 2);
    close_world();
}

/* The counting rules: a rejected or cancelled activity is not counted; one waiting for the
 * supervisor is; a finished one whose evidence is not verified has its JP waiting; the target
 * day itself is not late. */
static void test_rpi_rules(void)
{
    open_world("rpi_rules");
    sql("INSERT INTO rpi_activities(plan_id, form, title, target_date, jp_planned, status, "
        "approval, created_at, updated_at) VALUES"
        "(1, 'kursus', 'ditolak', '2026-01-10', 8, 'rencana', 'ditolak', 0, 0),"
        "(1, 'kursus', 'batal', '2026-01-10', 7, 'batal', 'disetujui', 0, 0),"
        "(1, 'kursus', 'menunggu', '2026-09-01', 6, 'rencana', 'menunggu', 0, 0),"
        "(1, 'kursus', 'hari ini', '" TODAY "', 3, 'berjalan', 'disetujui', 0, 0)");
    sql("INSERT INTO rpi_activities(plan_id, form, title, target_date, jp_planned, status, "
        "approval, done_on, created_at, updated_at) VALUES"
        "(1, 'kursus', 'selesai belum diverifikasi', '2026-06-01', 4, 'selesai', 'disetujui', "
        "'2026-06-01', 0, 0)");
    CHECK(build(KB_REPORT_RPI, NULL, 2026, NULL, 0) == 0);
    /* 4 + waiting + today's + the finished one = 7; done 2 of 7 = 29 %; late still only the
     * seminar; JP 41 + 6 + 3 + 4 = 54, 4 of them waiting for verification */
    CHECK_ROW(3,
              "#199003222015032001|Dewi Lestari|" DISKOMINFO "|PNS|disetujui|7|2|1|1|54|10|4|29");
    close_world();
}

static void test_rpi_unit(void)
{
    open_world("rpi_unit");
    CHECK(build(KB_REPORT_RPI, "BKPSDM", 2026, NULL, 0) == 0);
    CHECK(F.r.nrows == 1);
    CHECK_ROW(0, "#198207112006042008|Lina Marlina|BKPSDM|PNS||0|0|0|0|0|0|0|");
    /* HR types names as they come: case does not matter */
    CHECK(build(KB_REPORT_RPI, "dinas komunikasi DAN informatika", 2026, NULL, 0) == 0);
    CHECK(F.r.nrows == 10 && find_row("nama", "Lina Marlina") < 0);
    CHECK(build(KB_REPORT_RPI, "Dinas Pendidikan", 2026, NULL, 0) == -1);
    CHECK_STR(F.err, "no unit named 'Dinas Pendidikan'");
    close_world();
}

static void test_rpi_per_unit(void)
{
    open_world("rpi_per_unit");
    CHECK(build(KB_REPORT_RPI_UNITS, NULL, 2026, NULL, 0) == 0);
    CHECK_STR(header_text(), "unit_kerja,jumlah_pegawai,tanpa_rpi,rpi_draf,rpi_diajukan,"
                             "rpi_revisi,rpi_disetujui,rpi_ditetapkan,kegiatan_direncanakan,"
                             "kegiatan_selesai,kegiatan_terlambat,jp_direncanakan,jp_diakui,"
                             "persen_kegiatan_selesai");
    CHECK(F.r.nrows == 2);
    CHECK_ROW(0, "BKPSDM|1|1|0|0|0|0|0|0|0|0|0|0|");
    /* 10 people, 8 without a plan, Rudi's draft and Dewi's approved one: 5 activities, 1 done
     * (20 %), 1 late, 41 + 16 JP planned, 10 recognised */
    CHECK_ROW(1, DISKOMINFO "|10|8|1|0|0|1|0|5|1|1|57|10|20");
    close_world();
}

/* ---- jp ------------------------------------------------------------------------------------- */

static void test_jp(void)
{
    open_world("jp");
    CHECK(build(KB_REPORT_JP, NULL, 2026, NULL, 0) == 0);
    CHECK_STR(header_text(), "nip,nama,unit_kerja,jenis_asn,jp_direncanakan,jp_diakui,"
                             "jp_menunggu_verifikasi,ketentuan,jp_ketentuan,kekurangan_jp,"
                             "keterangan");
    CHECK(F.r.nrows == 11);
    /* The largest shortfall first: everyone with nothing recognised lacks all 20 (by unit and
     * name), then Dewi (10 of 20), then Yuni, whose 24 are a ceiling: never below it. */
    CHECK_ROW(0, "#198207112006042008|Lina Marlina|BKPSDM|PNS|0|0|0|target|20|20|di_bawah_target");
    CHECK_ROW(1, "#196905201994031002|Agus Setiawan|" DISKOMINFO
                 "|PNS|0|0|0|target|20|20|di_bawah_target");
    CHECK_ROW(5, "#199903152025032006|Maya Anggraini|" DISKOMINFO
                 "|CPNS|0|0|0|target|20|20|di_bawah_target");
    CHECK_ROW(7, "#199107102019031005|Rudi Hartono|" DISKOMINFO
                 "|PNS|16|0|0|target|20|20|di_bawah_target");
    CHECK_ROW(9, "#199003222015032001|Dewi Lestari|" DISKOMINFO
                 "|PNS|41|10|0|target|20|10|di_bawah_target");
    CHECK_ROW(10,
              "#199411302023212015|Yuni Kartika|" DISKOMINFO "|PPPK|0|0|0|batas|24||dalam_batas");

    /* Bambang reaches his target; Yuni plans over her ceiling. */
    sql("INSERT INTO rpi_plans(id, employee_id, year, status) VALUES(3, 7, 2026, 'disetujui'),"
        "(4, 8, 2026, 'disetujui')");
    sql("INSERT INTO rpi_activities(plan_id, form, title, target_date, jp_planned, "
        "jp_recognised, status, approval, done_on, verified_at, verified_by, created_at, "
        "updated_at) VALUES"
        "(3, 'kursus', 'a', '2026-03-01', 24, 24, 'selesai', 'disetujui', '2026-03-01', 1, 1, 0, "
        "0),"
        "(4, 'kursus', 'b', '2026-09-01', 30, 0, 'rencana', 'disetujui', NULL, NULL, NULL, 0, 0)");
    CHECK(build(KB_REPORT_JP, NULL, 2026, NULL, 0) == 0);
    CHECK(F.r.nrows == 11);
    CHECK(find_row("nama", "Dewi Lestari") == 8);
    CHECK_ROW(9, "#197002141996011001|Bambang Wijaya|" DISKOMINFO
                 "|PNS|24|24|0|target|20|0|memenuhi_target");
    CHECK_ROW(10, "#199411302023212015|Yuni Kartika|" DISKOMINFO
                  "|PPPK|30|0|0|batas|24||melebihi_batas");

    /* A part-time PPPK has the same ceiling. */
    sql("UPDATE employees SET part_time = 1 WHERE id = 8");
    CHECK(build(KB_REPORT_JP, NULL, 2026, NULL, 0) == 0);
    CHECK_ROW(10, "#199411302023212015|Yuni Kartika|" DISKOMINFO
                  "|PPPK paruh waktu|30|0|0|batas|24||melebihi_batas");

    /* Only those below target: neither Bambang nor Yuni. */
    CHECK(build(KB_REPORT_JP, NULL, 2026, NULL, 1) == 0);
    CHECK(F.r.nrows == 9);
    CHECK(find_row("nama", "Bambang Wijaya") < 0 && find_row("nama", "Yuni Kartika") < 0);
    CHECK(find_row("nama", "Dewi Lestari") == 8);

    /* Without the policy the target is unknown: refused, not guessed. */
    kb_report_free(&F.r);
    struct kb_report_opts o = {.kind = KB_REPORT_JP, .now = NOW};
    CHECK(kb_report_build(F.st, NULL, &o, &F.r, F.err, sizeof F.err) == -1);
    CHECK(strstr(F.err, "policy") != NULL);
    close_world();
}

/* ---- trainings ------------------------------------------------------------------------------ */

static void test_trainings(void)
{
    open_world("trainings");
    CHECK(build(KB_REPORT_TRAININGS, NULL, 0, NULL, 0) == 0);
    CHECK_STR(header_text(),
              "kode,judul,penyelenggara,bentuk,status,mulai,selesai,batas_daftar,jp,kuota,"
              "kursi_terisi,persen_terisi,sisa_kursi,jumlah_diajukan,jumlah_disetujui,"
              "jumlah_ditolak,jumlah_diusulkan,jumlah_diterima,jumlah_daftar_tunggu,"
              "jumlah_dibatalkan,jumlah_selesai,biaya_per_kursi,biaya_total");
    CHECK(F.r.nrows == 5);
    /* by start date */
    CHECK_ROW(0, "BPSDM-2026-022|Workshop Keamanan Informasi|BPSDM Provinsi|klasikal|buka|"
                 "@2026-06-20|@2026-06-21|@2026-06-12|10|25|0|0|25|0|0|0|0|0|0|0|0|Rp750000|Rp0");
    CHECK_ROW(1, "LAN-EL-2026-05|E-Learning Manajemen ASN|LAN|e-learning|buka|@2026-06-22|"
                 "@2026-08-14|@2026-07-15|20|100|0|0|100|0|0|0|0|0|0|0|0|Rp0|Rp0");
    CHECK_ROW(2, "BPSDM-2026-031|Bimbingan Teknis Analisis Data dengan Python|BPSDM Provinsi|"
                 "klasikal|buka|@2026-07-15|@2026-07-17|@2026-06-29|24|20|0|0|20|0|0|0|0|0|0|0|"
                 "0|Rp1500000|Rp0");
    /* the one seat is Bambang's: full, 2,750,000 spent */
    CHECK_ROW(3, "LAN-2026-117|Pelatihan Penulisan Naskah Kebijakan|LAN|klasikal|buka|"
                 "@2026-07-30|@2026-08-01|@2026-07-06|30|1|1|100|0|0|0|0|0|1|0|0|0|Rp2750000|"
                 "Rp2750000");
    CHECK_ROW(4, "BPSDM-2026-040|Pelatihan Kepemimpinan Administrator|BPSDM Provinsi|klasikal|"
                 "buka|@2026-08-14|@2026-10-13|@2026-07-10|60|5|0|0|5|0|0|0|0|0|0|0|0|"
                 "Rp18000000|Rp0");

    /* The Python bimtek fills: Dewi holds a seat (disetujui), Rudi was proposed with a seat,
     * Lina (BKPSDM) accepted with a seat, Fajar waits, Siti was rejected, Maya cancelled,
     * Hendra still waits for his supervisor. */
    sql("INSERT INTO registrations(training_id, employee_id, status, seat, created_at, "
        "updated_at) VALUES (1, 4, 'disetujui', 1, 10, 10), (1, 5, 'diusulkan', 1, 11, 11),"
        "(1, 11, 'diterima', 1, 12, 12), (1, 9, 'daftar_tunggu', 0, 13, 13),"
        "(1, 6, 'ditolak', 0, 14, 14), (1, 10, 'dibatalkan', 0, 15, 15),"
        "(1, 2, 'diajukan', 0, 16, 16), (1, 1, 'selesai', 1, 17, 17)");
    CHECK(build(KB_REPORT_TRAININGS, NULL, 2026, NULL, 0) == 0);
    CHECK(F.r.nrows == 5);
    /* 4 seats of 20 (20 %), 16 free, 4 x 1,500,000 */
    CHECK_ROW(2, "BPSDM-2026-031|Bimbingan Teknis Analisis Data dengan Python|BPSDM Provinsi|"
                 "klasikal|buka|@2026-07-15|@2026-07-17|@2026-06-29|24|20|4|20|16|1|1|1|1|1|1|1|"
                 "1|Rp1500000|Rp6000000");

    /* One unit: its employees' registrations only, trainings without one left out; the free
     * seats stay the training's. */
    CHECK(build(KB_REPORT_TRAININGS, "BKPSDM", 0, NULL, 0) == 0);
    CHECK(F.r.nrows == 1);
    CHECK_ROW(0, "BPSDM-2026-031|Bimbingan Teknis Analisis Data dengan Python|BPSDM Provinsi|"
                 "klasikal|buka|@2026-07-15|@2026-07-17|@2026-06-29|24|20|1|5|16|0|0|0|0|1|0|0|"
                 "0|Rp1500000|Rp1500000");

    /* A year: the trainings running some time in it. */
    CHECK(build(KB_REPORT_TRAININGS, NULL, 2027, NULL, 0) == 0);
    CHECK(F.r.nrows == 0);
    sql("UPDATE trainings SET end_date = '2027-01-20' WHERE id = 4");
    CHECK(build(KB_REPORT_TRAININGS, NULL, 2027, NULL, 0) == 0);
    CHECK(F.r.nrows == 1 && find_row("kode", "BPSDM-2026-040") == 0);
    close_world();
}

/* ---- nominees ------------------------------------------------------------------------------- */

static void test_nominees(void)
{
    open_world("nominees");
    CHECK(build(KB_REPORT_NOMINEES, NULL, 0, "LAN-2026-117", 0) == 0);
    CHECK_STR(header_text(), "kode,nip,nama,unit_kerja,golongan_ruang,jabatan,nip_atasan,"
                             "nama_atasan,status,kursi,urutan_tunggu,tanggal_daftar,"
                             "keputusan_atasan,tanggal_keputusan_atasan");
    CHECK(F.r.nrows == 1);
    /* demo rows were made at instant 0 */
    CHECK_ROW(0, "LAN-2026-117|#197002141996011001|Bambang Wijaya|" DISKOMINFO
                 "|IV/b|Analis Kebijakan Ahli Madya|#196905201994031002|Agus Setiawan|diterima|ya|"
                 "|@1970-01-01||");

    /* Rudi registered before Dewi and both wait; Fajar was rejected by Ratna; Hendra approved
     * Rudi on 2026-06-11 at 16:30 UTC, which is 2026-06-12 in WITA. */
    sql("INSERT INTO registrations(id, training_id, employee_id, status, seat, created_at, "
        "updated_at) VALUES (20, 2, 4, 'daftar_tunggu', 0, 1781406000, 0),"
        "(21, 2, 5, 'daftar_tunggu', 0, 1780452000, 0), (22, 2, 9, 'ditolak', 0, 1780452000, 0)");
    sql("INSERT INTO approvals(kind, subject_id, requester_id, approver_id, status, created_at, "
        "decided_at, decided_by) VALUES ('training', 21, 5, 2, 'disetujui', 1780452000, "
        "1781195400, 2), ('training', 22, 9, 3, 'ditolak', 1780452000, 1781195400, 3),"
        "('training', 20, 4, 2, 'menunggu', 1781406000, NULL, NULL)");
    CHECK(build(KB_REPORT_NOMINEES, NULL, 0, "LAN-2026-117", 0) == 0);
    CHECK(F.r.nrows == 4);
    /* the seat, then the waiting list in its order, then the rest */
    CHECK(find_row("nama", "Bambang Wijaya") == 0);
    CHECK_ROW(1, "LAN-2026-117|#199107102019031005|Rudi Hartono|" DISKOMINFO
                 "|III/a|Pengolah Data dan Informasi|#197804152003121004|Hendra Pratama|"
                 "daftar_tunggu|tidak|1|@2026-06-03|disetujui|@2026-06-12");
    CHECK_ROW(2, "LAN-2026-117|#199003222015032001|Dewi Lestari|" DISKOMINFO
                 "|III/b|Pranata Komputer Ahli Pertama|#197804152003121004|Hendra Pratama|"
                 "daftar_tunggu|tidak|2|@2026-06-14||");
    CHECK_ROW(3, "LAN-2026-117|#198601092011011007|Fajar Nugroho|" DISKOMINFO
                 "|III/c|Analis Data dan Informasi|#197512082000032002|Ratna Sari|ditolak|tidak|"
                 "|@2026-06-03|ditolak|@2026-06-12");

    CHECK(build(KB_REPORT_NOMINEES, NULL, 0, "LAN-0000", 0) == -1);
    CHECK_STR(F.err, "no training with code 'LAN-0000'");
    close_world();
}

/* ---- approvals ------------------------------------------------------------------------------ */

static void test_approvals(void)
{
    open_world("approvals");
    CHECK(build(KB_REPORT_APPROVALS, NULL, 0, NULL, 0) == 0);
    CHECK_STR(header_text(), "nip_atasan,nama_atasan,jabatan,unit_kerja,aktif,terhubung_telegram,"
                             "menunggu,rencana_rpi,kegiatan_rpi,diklat,mentor,bukti,"
                             "menunggu_sejak,hari_kerja_menunggu");
    CHECK(F.r.nrows == 0); /* nothing waits in the demo */

    /* Hendra: an activity of Dewi's since Wednesday 2026-06-03 10:00 WITA (8 working days by
     * Monday), a training of Rudi's and an RPI plan; one decided request does not count.
     * Ratna: a mentor request made on 2026-06-11 at 16:30 UTC, Friday 00:30 in WITA: one
     * working day (it would be two by the UTC date). Maya, who has no Telegram account, has
     * evidence to verify since this morning. */
    sql("INSERT INTO approvals(kind, subject_id, requester_id, approver_id, status, created_at) "
        "VALUES ('rpi_activity', 2, 4, 2, 'menunggu', 1780452000),"
        "('training', 5, 5, 2, 'menunggu', 1781195400), ('rpi_plan', 2, 5, 2, 'menunggu', "
        "1781406000), ('mentor', 3, 9, 3, 'menunggu', 1781195400),"
        "('evidence', 1, 4, 10, 'menunggu', 1781510000)");
    sql("INSERT INTO approvals(kind, subject_id, requester_id, approver_id, status, created_at, "
        "decided_at, decided_by) VALUES ('training', 9, 4, 2, 'disetujui', 1000, 2000, 2)");
    CHECK(build(KB_REPORT_APPROVALS, NULL, 0, NULL, 0) == 0);
    CHECK(F.r.nrows == 3);
    /* the longest wait first */
    CHECK_ROW(0, "#197804152003121004|Hendra Pratama|Kepala Bidang Aplikasi Informatika|" DISKOMINFO
                 "|ya|ya|3|1|1|1|0|0|@2026-06-03|8");
    CHECK_ROW(1, "#197512082000032002|Ratna Sari|Kepala Bidang Statistik|" DISKOMINFO
                 "|ya|ya|1|0|0|0|1|0|@2026-06-12|1");
    CHECK_ROW(2, "#199903152025032006|Maya Anggraini|Pranata Komputer Ahli Pertama|" DISKOMINFO
                 "|ya|tidak|1|0|0|0|0|1|@2026-06-15|0");

    /* Ratna left (retired): what waits for her still shows, for HR to re-route. */
    sql("UPDATE employees SET active = 0 WHERE id = 3");
    CHECK(build(KB_REPORT_APPROVALS, NULL, 0, NULL, 0) == 0);
    CHECK_ROW(1, "#197512082000032002|Ratna Sari|Kepala Bidang Statistik|" DISKOMINFO
                 "|tidak|ya|1|0|0|0|1|0|@2026-06-12|1");

    /* A unit of six working days counts the Saturdays too: 10 for Hendra. */
    sql("UPDATE units SET workdays = 6 WHERE id = 1");
    CHECK(build(KB_REPORT_APPROVALS, NULL, 0, NULL, 0) == 0);
    CHECK(find_row("nama_atasan", "Hendra Pratama") == 0);
    CHECK(kb_report_cell(&F.r, 0, (size_t)kb_report_col(&F.r, "hari_kerja_menunggu"))->v == 10);

    /* ... less a national holiday on one of its working days: 9 */
    sql("INSERT INTO holidays(date, name, kind) VALUES ('2026-06-05', 'Hari Raya Iduladha', "
        "'libur_nasional')");
    CHECK(build(KB_REPORT_APPROVALS, NULL, 0, NULL, 0) == 0);
    CHECK(kb_report_cell(&F.r, 0, (size_t)kb_report_col(&F.r, "hari_kerja_menunggu"))->v == 9);

    CHECK(build(KB_REPORT_APPROVALS, "BKPSDM", 0, NULL, 0) == 0);
    CHECK(F.r.nrows == 0);
    close_world();
}

/* ---- promotions ----------------------------------------------------------------------------- */

static void test_promotions(void)
{
    open_world("promotions");
    CHECK(build(KB_REPORT_PROMOTIONS, NULL, 0, NULL, 0) == 0);
    CHECK_STR(header_text(), "nip,nama,unit_kerja,golongan_ruang,jenis_kp,golongan_tujuan,"
                             "periode,tahap,nama_tahap,tanggal_tahap,hari_kerja_di_tahap,"
                             "hari_kerja_diharapkan,hari_kerja_terlambat,pihak_yang_bertindak,"
                             "catatan");
    CHECK(F.r.nrows == 1);
    /* at BKN's validation since Wednesday 06-03: 8 working days, 5 expected, 3 over */
    CHECK_ROW(0, "#198601092011011007|Fajar Nugroho|" DISKOMINFO "|III/c|reguler|III/d|"
                 "@2026-07-01|validasi_bkn|Validasi BKN|@2026-06-03|8|5|3|BKN|");

    /* Siti's file came back incomplete (BTL) after verification; Dewi's was opened with no
     * stage yet; Bambang's two stages share a date, so the policy's order says which is
     * current; Rudi's aims at the rank he holds (history); Agus had an older file too. */
    sql("INSERT INTO promotions(id, employee_id, kind, target_grade, period) VALUES"
        "(2, 6, 'reguler', 'III/c', '2026-07-01'), (3, 4, 'fungsional', 'III/c', '2026-08-01'),"
        "(4, 7, 'fungsional', 'IV/c', '2026-07-01'), (5, 5, 'reguler', 'III/a', '2026-07-01'),"
        "(6, 9, 'reguler', 'III/c', '2022-04-01')");
    sql("INSERT INTO promotion_stages(promotion_id, stage, reached_on, note, seq) VALUES"
        "(2, 'disiapkan', '2026-05-20', NULL, 1), (2, 'verifikasi_instansi', '2026-06-01', NULL, "
        "2),"
        "(2, 'BTL', '2026-06-10', 'SKP 2025 belum diunggah', 3),"
        "(4, 'persetujuan_eselon3', '2026-06-12', NULL, 0),"
        "(4, 'entri_siasn', '2026-06-12', NULL, 0), (5, 'disiapkan', '2026-06-01', NULL, 1),"
        "(6, 'sk_myasn', '2022-04-01', NULL, 0)");
    CHECK(build(KB_REPORT_PROMOTIONS, NULL, 0, NULL, 0) == 0);
    CHECK(F.r.nrows == 4);
    /* stage by stage: persetujuan_eselon3 (expected 3: Friday to Monday is 1), validasi_bkn,
     * then the returned file, then the one not started: both back with whoever prepares
     * files */
    CHECK_ROW(0, "#197002141996011001|Bambang Wijaya|" DISKOMINFO "|IV/b|fungsional|IV/c|"
                 "@2026-07-01|persetujuan_eselon3|Persetujuan pejabat eselon III|@2026-06-12|1|3|"
                 "0|pejabat eselon III|");
    CHECK(find_row("nama", "Fajar Nugroho") == 1);
    CHECK_ROW(2, "#198805172010012003|Siti Rahmawati|" DISKOMINFO "|III/b|reguler|III/c|"
                 "@2026-07-01|BTL|Berkas tidak lengkap|@2026-06-10|3|||"
                 "pengelola kepegawaian unit|SKP 2025 belum diunggah");
    CHECK_ROW(3, "#199003222015032001|Dewi Lestari|" DISKOMINFO "|III/b|fungsional|III/c|"
                 "@2026-08-01|||||||pengelola kepegawaian unit|");

    /* A file whose SK is in MyASN: nobody has to act any more. */
    sql("INSERT INTO promotion_stages(promotion_id, stage, reached_on, seq) VALUES"
        "(1, 'pertek', '2026-06-08', 0), (1, 'sk_tte', '2026-06-10', 0), "
        "(1, 'sk_myasn', '2026-06-12', 0)");
    CHECK(build(KB_REPORT_PROMOTIONS, NULL, 0, NULL, 0) == 0);
    int fajar = find_row("nama", "Fajar Nugroho");
    CHECK(fajar == 1);
    CHECK_ROW(fajar, "#198601092011011007|Fajar Nugroho|" DISKOMINFO "|III/c|reguler|III/d|"
                     "@2026-07-01|sk_myasn|SK tersedia di MyASN|@2026-06-12|1||||");

    /* A national holiday on Friday 06-05 is no working day; one on a Saturday changes nothing
     * in a five-day week. Fajar has waited 7 working days. */
    sql("INSERT INTO holidays(date, name, kind) VALUES ('2026-06-05', 'Hari Raya Iduladha', "
        "'libur_nasional'), ('2026-06-06', 'Cuti bersama', 'cuti_bersama')");
    sql("DELETE FROM promotion_stages WHERE promotion_id = 1 AND stage IN ('pertek', 'sk_tte', "
        "'sk_myasn')");
    CHECK(build(KB_REPORT_PROMOTIONS, NULL, 0, NULL, 0) == 0);
    CHECK_ROW(1, "#198601092011011007|Fajar Nugroho|" DISKOMINFO "|III/c|reguler|III/d|"
                 "@2026-07-01|validasi_bkn|Validasi BKN|@2026-06-03|7|5|2|BKN|");

    /* Someone who left: their file is no longer followed. */
    sql("UPDATE employees SET active = 0 WHERE id = 6");
    CHECK(build(KB_REPORT_PROMOTIONS, NULL, 0, NULL, 0) == 0);
    CHECK(F.r.nrows == 3 && find_row("nama", "Siti Rahmawati") < 0);
    sql("UPDATE employees SET active = 1 WHERE id = 6");

    /* By the period's year, and by unit. */
    CHECK(build(KB_REPORT_PROMOTIONS, NULL, 2026, NULL, 0) == 0);
    CHECK(F.r.nrows == 4);
    CHECK(build(KB_REPORT_PROMOTIONS, NULL, 2027, NULL, 0) == 0);
    CHECK(F.r.nrows == 0);
    CHECK(build(KB_REPORT_PROMOTIONS, "BKPSDM", 0, NULL, 0) == 0);
    CHECK(F.r.nrows == 0);
    close_world();
}

/* ---- the table and CSV ---------------------------------------------------------------------- */

static char *csv_of(const struct kb_report *r, char sep, int plain)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    CHECK(kb_report_write_csv(r, f, sep, plain) == 0);
    fclose(f);
    return buf;
}

static void test_csv(void)
{
    static const struct kb_report_col cols[] = {{"nip", KB_CELL_ID},
                                                {"nama", KB_CELL_TEXT},
                                                {"jp", KB_CELL_INT},
                                                {"tanggal", KB_CELL_DATE},
                                                {"biaya", KB_CELL_MONEY}};
    struct kb_report r;
    kb_report_init(&r, "t", "T", cols, 5);
    CHECK(kb_report_row(&r) == 0);
    CHECK(kb_report_text(&r, 0, "199003222015032001") == 0);
    CHECK(kb_report_text(&r, 1, "Dewi \"Dede\"; Lestari") == 0);
    CHECK(kb_report_int(&r, 2, 24) == 0);
    CHECK(kb_report_date(&r, 3, "2026-07-30") == 0);
    CHECK(kb_report_int(&r, 4, 1500000) == 0);
    CHECK(kb_report_row(&r) == 0); /* empty cells, a formula, a line break, a bad date */
    CHECK(kb_report_text(&r, 1, "=HYPERLINK(\"x\")") == 0);
    CHECK(kb_report_date(&r, 3, "2026-02-30") == 0);
    CHECK(kb_report_row(&r) == 0);
    CHECK(kb_report_text(&r, 0, "P-12") == 0); /* not all digits: plain text */
    CHECK(kb_report_text(&r, 1, "baris\r\nkedua, dan koma") == 0);

    CHECK(kb_report_cell(&r, 1, 3)->type == KB_CELL_TEXT); /* kept, as text */
    CHECK_STR(kb_report_cell_text(&r, 1, 3), "2026-02-30");

    char *csv = csv_of(&r, ';', 0);
    CHECK_STR(csv, "\xEF\xBB\xBFnip;nama;jp;tanggal;biaya\r\n"
                   "\"=\"\"199003222015032001\"\"\";\"Dewi \"\"Dede\"\"; Lestari\";24;2026-07-30;"
                   "1500000\r\n"
                   ";\"'=HYPERLINK(\"\"x\"\")\";;2026-02-30;\r\n"
                   "P-12;\"baris\r\nkedua, dan koma\";;;\r\n");
    free(csv);
    csv = csv_of(&r, ',', 1);
    CHECK_STR(csv, "\xEF\xBB\xBFnip,nama,jp,tanggal,biaya\r\n"
                   "199003222015032001,\"Dewi \"\"Dede\"\"; Lestari\",24,2026-07-30,1500000\r\n"
                   ",\"'=HYPERLINK(\"\"x\"\")\",,2026-02-30,\r\n"
                   "P-12,\"baris\r\nkedua, dan koma\",,,\r\n");
    free(csv);

    /* Limits: a text cell over KB_REPORT_TEXT_MAX is refused; ill-formed UTF-8 is shown. */
    char *big = malloc(KB_REPORT_TEXT_MAX + 2);
    memset(big, 'a', KB_REPORT_TEXT_MAX + 1);
    big[KB_REPORT_TEXT_MAX + 1] = '\0';
    CHECK(kb_report_text(&r, 1, big) == -1);
    big[KB_REPORT_TEXT_MAX] = '\0';
    CHECK(kb_report_text(&r, 1, big) == 0);
    free(big);
    CHECK(kb_report_text(&r, 1, "Ren\xE9") == 0);
    CHECK_STR(kb_report_cell_text(&r, 2, 1), "Ren\xEF\xBF\xBD");
    kb_report_free(&r);
}

static void test_row_limit(void)
{
    static const struct kb_report_col cols[] = {{"n", KB_CELL_INT}};
    struct kb_report r;
    kb_report_init(&r, "t", "T", cols, 1);
    int ok = 1;
    for (int i = 0; i < KB_REPORT_ROWS_MAX && ok; i++)
        ok = kb_report_row(&r) == 0 && kb_report_int(&r, 0, i) == 0;
    CHECK(ok && r.nrows == KB_REPORT_ROWS_MAX && !r.full);
    CHECK(kb_report_row(&r) == -1 && r.full && r.nrows == KB_REPORT_ROWS_MAX);
    CHECK(kb_report_cell(&r, KB_REPORT_ROWS_MAX - 1, 0)->v == KB_REPORT_ROWS_MAX - 1);
    kb_report_free(&r);
}

/* The read-only look at a database's version creates nothing. */
static void test_schema_version(void)
{
    char path[600];
    demo_path(path, sizeof path, "report", "none");
    int v = 0;
    CHECK(kb_rep_schema_version(path, &v) == KB_OK && v == -1);
    CHECK(access(path, F_OK) != 0);
    open_world("version");
    CHECK(kb_rep_schema_version(F.path, &v) == KB_OK && v == kb_store_latest_version());
    close_world();
}

int main(void)
{
    RUN(test_rpi);
    RUN(test_rpi_rules);
    RUN(test_rpi_unit);
    RUN(test_rpi_per_unit);
    RUN(test_jp);
    RUN(test_trainings);
    RUN(test_nominees);
    RUN(test_approvals);
    RUN(test_promotions);
    RUN(test_csv);
    RUN(test_row_limit);
    RUN(test_schema_version);
    return CHECK_SUMMARY();
}
