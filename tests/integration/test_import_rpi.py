"""import_rpi: `karirbot import rpi`, HR's plans (RPI) and their activities, with the real binary
and a real database holding the demo organisation.

- The fixture files, imported as of 2026-11-18 (the day the demo is seeded as, --now): every
  kind of bad row is reported with the exact line `FILE:LINE: column NAME: reason` in line
  order and nothing is written (the tables compared whole), with or without --force; a dry run
  counts and writes nothing; the good file, then the same file again and the same
  organisation as ';'/BOM/CRLF with other spellings, the second and third changing nothing
  (every row unchanged, the tables identical, every link kept).
- While `karirbot run` serves: a plan for this year (the real one) is imported for Siti, a
  linked demo employee who had none, approved, with a finished training, one under way and
  one planned. Siti opens Cek RPI (/rpi) through the fake Bot API and sees the three
  activities, and the finished one's JP counted toward her year's target (12/20 JP), as a
  verified activity's are.
"""

import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import wait_button  # noqa: E402

NOW = "1794978000"  # 2026-11-18 12:00 WIB
SITI = "198805172010012003"

EXPECTED_RPI_BAD = """\
rpi_bad.csv:2: column nip: no employee with NIP 198001012005011004 (import the employees first)
rpi_bad.csv:3: column nip: invalid NIP '1991071020190310': has 16 digits; a NIP has 18
rpi_bad.csv:4: column bentuk: unknown form 'ceramah' (the policy's forms: pelatihan, seminar, workshop, kursus, bimtek, coaching, mentoring, e_learning, magang, detasering, benchmarking, komunitas_belajar, pendidikan, sertifikasi)
rpi_bad.csv:5: column target_selesai: not a date: '31-02-2026' (write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY)
rpi_bad.csv:6: column jp: 'dua puluh' is not a whole number of JP from 0 to 200
rpi_bad.csv:7: column jp: '250' is not a whole number of JP from 0 to 200
rpi_bad.csv:9: column kegiatan: duplicate: the activity 'workshop  pelayanan prima' of NIP 198805172010012003 for 2026 is on line 8 too
rpi_bad.csv:10: column status: selesai, but the plan is draf: an activity is under way, finished or postponed only in an approved plan (disetujui or ditetapkan)
rpi_bad.csv:11: column tanggal_selesai: empty: a finished activity (status selesai) needs the day it was finished
rpi_bad.csv:12: column tanggal_selesai: 2026-12-01 is in the future
rpi_bad.csv:13: column tahun: '2031' is not a year from 2000 to 2027
rpi_bad.csv:14: column target_selesai: 2029-01-01 is outside the plan's year and the next (2026-01-01 to 2027-12-31)
rpi_bad.csv:15: column status: 'sudah' is not rencana, berjalan, selesai, ditunda or batal (the status of the activity)
rpi_bad.csv:16: column status_rpi: 'final' is not draf, diajukan, disetujui, revisi or ditetapkan (the status of the plan)
rpi_bad.csv:17: column kegiatan: 'Pelatihan Keamanan Siber' is not in Dewi Lestari's 2026 plan, which is disetujui: the import adds activities only to a draft plan (draf, revisi); the employee adds it in the chat for the supervisor's approval, or import with --force
rpi_bad.csv:18: column jp: 4, but karirbot has 2, and Dewi Lestari's 2026 plan is disetujui: the import changes what an activity is (bentuk, kompetensi, jp, target_selesai) only in a draft plan (draf, revisi), or with --force
rpi_bad.csv:19: column status: berjalan, but Rudi Hartono's 2026 plan is draf: an activity is under way, finished or postponed only in an approved plan (disetujui or ditetapkan)
rpi_bad.csv:20: column kegiatan: 3 characters; a title has 5 to 150
rpi_bad.csv:21: column kompetensi: 'teknik sipil' is not teknis, manajerial or sosial_kultural
rpi_bad.csv:23: column status_rpi: disetujui, but line 22 gives draf for the same plan
rpi_bad.csv:24: column status_rpi: disetujui, but Rudi Hartono's 2026 plan is draf in karirbot: the import approves or establishes no plan that exists (the supervisor approves it in the chat, `karirbot rpi set` establishes it), unless with --force
rpi_bad.csv:25: 11 values, but the header has 10 columns (a ',' inside a value that is not in quotes?)
rpi_bad.csv:26: column tanggal_selesai: 2026-11-01, but the status is empty, not selesai
karirbot import: rpi_bad.csv: 23 errors: nothing was imported"""


def snapshot(h):
    """Every table an RPI import may touch, and those it must not."""
    return {t: h.query(f"SELECT * FROM {t} ORDER BY 1, 2")
            for t in ("rpi_plans", "rpi_activities", "employees", "links", "approvals")}


def check_same(before, after, what):
    for table, rows in before.items():
        check(after[table] == rows, f"{what}: table {table} changed")


def run_import(h, name, *flags, expect_rc=0):
    rc, out = h.run_command("import", "rpi", name, *flags, timeout=120)
    check(rc == expect_rc, f"import rpi {name} {flags} exited {rc} (expected {expect_rc}):\n"
                           f"{out[-3000:]}")
    return out


def report_lines(out):
    """The report's own lines (the log lines of the migration and the like left out)."""
    return [line for line in out.splitlines()
            if line.strip() and not line.startswith("ts=")]


def body(h):
    fixtures = os.path.join(h.source_dir, "tests", "fixtures", "import")
    for name in os.listdir(fixtures):
        if name.startswith("rpi"):
            shutil.copy(os.path.join(fixtures, name), os.path.join(h.tmp, name))
    h.seed_demo(today="2026-11-18")
    pristine = snapshot(h)

    # ---- bad rows: the exact report, nothing written -------------------------------------
    out = run_import(h, "rpi_bad.csv", "--now", NOW, expect_rc=1)
    got, want = report_lines(out), EXPECTED_RPI_BAD.splitlines()
    check(got == want, "rpi_bad.csv: report differs\n  missing: "
                       f"{[x for x in want if x not in got]}\n  unexpected: "
                       f"{[x for x in got if x not in want]}")
    run_import(h, "rpi_bad.csv", "--now", NOW, "--force", expect_rc=1)
    check_same(pristine, snapshot(h), "after the bad file")

    # ---- dry run, import, idempotency in both layouts ----------------------------------------
    out = run_import(h, "rpi.csv", "--now", NOW, "--dry-run")
    check("rpi.csv: 11 RPI activities: 7 new, 3 changed, 1 unchanged" in out, out)
    check("dry run: nothing was written" in out, out)
    check_same(pristine, snapshot(h), "after the dry run")
    out = run_import(h, "rpi.csv", "--now", NOW)
    check("rpi.csv: 11 RPI activities: 7 new, 3 changed, 1 unchanged" in out, out)
    check("plans: 3 new" in out and "3 activities recorded as finished: 76 JP recognised" in out,
          out)
    dewi = h.query("SELECT a.title, a.status, a.jp_recognised FROM rpi_activities a "
                   "WHERE a.plan_id = 1 ORDER BY a.id")
    check(dewi == [("E-Learning Literasi Digital ASN", "selesai", 10),
                   ("Seminar Transformasi Digital Pemerintahan", "ditunda", 0),
                   ("Kursus Analisis Data", "selesai", 24),
                   ("Coaching penyusunan laporan kinerja", "rencana", 0)],
          f"Dewi's approved plan after the import: {dewi}")
    imported = snapshot(h)
    check(imported["links"] == pristine["links"] and
          imported["employees"] == pristine["employees"], "the import touched no employee or link")
    for name in ("rpi.csv", "rpi_semicolon_bom_crlf.csv"):
        out = run_import(h, name, "--now", NOW)
        check(f"{name}: 11 RPI activities: 0 new, 0 changed, 11 unchanged" in out, out)
        check_same(imported, snapshot(h), f"after importing {name} again")

    # ---- this year's plan for Siti, seen in Cek RPI ------------------------------------------
    h.start()
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))  # WITA, the demo's
    year = today[:4]
    with open(os.path.join(h.tmp, "rpi-siti.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write("nip;tahun;kegiatan;bentuk;kompetensi;jp;target_selesai;status;tanggal_selesai;"
                "status_rpi\r\n"
                f"{SITI};{year};Pelatihan Tata Naskah Dinas Elektronik;pelatihan;teknis;12;"
                f"{today};selesai;{today};disetujui\r\n"
                f"{SITI};{year};Kursus Pengelolaan Arsip Dinamis;kursus;teknis;16;{year}-12-31;"
                f"berjalan;;disetujui\r\n"
                f"{SITI};{year};Coaching Pelayanan Publik;Coaching;sosial kultural;4;"
                f"{year}-12-30;rencana;;disetujui\r\n")
    links = h.query("SELECT * FROM links ORDER BY 1")
    out = run_import(h, "rpi-siti.csv")
    check("rpi-siti.csv: 3 RPI activities: 3 new, 0 changed, 0 unchanged" in out, out)
    check("1 activity recorded as finished: 12 JP recognised" in out, out)
    check(h.query("SELECT * FROM links ORDER BY 1") == links, "a link changed")

    siti = h.demo_user(SITI)
    n = len(h.fake.sent_messages(siti))
    h.fake.push_text(siti, "/rpi", first_name="Siti")
    overview = wait_button(h, siti, h.locale["btn_rpi_add"], n)
    for title in ("Pelatihan Tata Naskah Dinas Elektronik", "Kursus Pengelolaan Arsip Dinamis",
                  "Coaching Pelayanan Publik"):
        check(title in overview.visible, f"{title} is not in Siti's overview: {overview.visible!r}")
    check("12/20 JP" in overview.visible, f"the recognised JP: {overview.visible!r}")
    check("12 JP diakui" in overview.visible, f"the finished one's JP: {overview.visible!r}")

    # The same file again while the service runs: nothing changes.
    before = snapshot(h)
    out = run_import(h, "rpi-siti.csv")
    check("rpi-siti.csv: 3 RPI activities: 0 new, 0 changed, 3 unchanged" in out, out)
    after = snapshot(h)
    check(after["rpi_plans"] == before["rpi_plans"] and
          after["rpi_activities"] == before["rpi_activities"], "the second import changed a plan")


if __name__ == "__main__":
    harness.run_test("import_rpi", body)
