"""import: `karirbot import` on the fixture files of tests/fixtures/import/, with the real binary
and a real database holding the demo organisation.

- Every kind of bad row is reported with the exact line `FILE:LINE: column NAME: reason` (or
  `FILE:LINE: reason` for a whole row), in line order, and a file with any bad row writes
  nothing (the tables are compared before and after); so does --dry-run, which still counts.
- The same organisation as comma/LF and as semicolon/BOM/CRLF with other spellings and column
  order: the second import of either changes nothing (0 changed, every row unchanged, the
  tables identical, links kept).
- While `karirbot run` serves, a 20,000-row import runs and a stranger's /start is still
  answered; then a file moves Dewi to another supervisor (her waiting request follows, a
  mentor's request and a decided one do not), marks Rudi nonaktif (unlinked: his account is a
  stranger's again) and leaves Lina out; --deactivate-missing refuses to remove most of the
  organisation without --force, and with it removes Lina's access; the full file brings both
  back and the request back to Hendra.
- trainings, mentors and promotions: a good file, the same again unchanged, a bad file with its
  exact lines; `invite --unit` and `--unlinked` select whom the import added, and an inactive
  employee gets no code.
"""

import os
import shutil
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

AGUS = "196905201994031002"
DEWI, RUDI, LINA = 4, 5, 11  # employee ids in the demo
HENDRA, RATNA = 2, 3

EXPECTED_EMPLOYEES_BAD = """\
employees_bad.csv:1: warning: column catatan_hr: not a column of a file of employees: ignored
employees_bad.csv:2: column nip: invalid NIP '1985031220100110': has 16 digits; a NIP has 18
employees_bad.csv:3: column nip: invalid NIP '198513122010011002': digits 1-8 are not a plausible birth date (YYYYMMDD)
employees_bad.csv:4: column nip: '1.98503E+17' is a number Excel rounded: format the column as Text and enter the NIP again
employees_bad.csv:5: column nip_atasan: unknown supervisor 198001012005011099: in neither this file nor the database
employees_bad.csv:6: column golongan_ruang: unknown rank 'III/f' for a PNS (I/a to IV/e)
employees_bad.csv:8: column nip: duplicate: NIP 198003032005011006 is on line 7 too
employees_bad.csv:9: column tmt_pangkat: not a date: '31-02-2020' (write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY)
employees_bad.csv:10: column angka_kredit_kumulatif: 'banyak' is not a number of credit points (e.g. 125,5)
employees_bad.csv:11: column bup: 'tujuh' is not a retirement age in years (40 to 80)
employees_bad.csv:12: column pendidikan: unknown level 'S5' (the policy's levels: SD, SLTP, SLTP Kejuruan, SLTA, Diploma I, Diploma II, Diploma III, SGPLB, Sarjana (S-1), Diploma IV, Magister (S-2), Dokter, Doktor (S-3))
employees_bad.csv:13: column jenis_asn: 'Honorer' is not PNS, CPNS, PPPK or PPPK paruh waktu
employees_bad.csv:14: column zona_waktu: 'WITB' is not WIB, WITA or WIT
employees_bad.csv:15: column predikat_kinerja_tahun_lalu: unknown predikat 'Istimewa' (Sangat Baik, Baik, Butuh Perbaikan, Kurang/Misconduct, Sangat Kurang)
employees_bad.csv:16: column jenis_jabatan: 'Kepala' is not pelaksana, fungsional or struktural
employees_bad.csv:17: column golongan_ruang: unknown golongan 'XVIII' for PPPK (I to XVII)
employees_bad.csv:18: column nip_atasan: supervisors form a loop: 198101012006011016 -> 198101022006011017 -> 198101012006011016
employees_bad.csv:20: column nip_atasan: the employee's own NIP
employees_bad.csv:21: column nip: invalid NIP '198101042006013019': digit 15 is 3; it must be 1 (man) or 2 (woman)
employees_bad.csv:22: column status_aktif: 'pensiun' is neither aktif nor nonaktif
employees_bad.csv:23: column stlud: 'mungkin' is neither ya nor tidak
employees_bad.csv:24: column nama: empty: every row needs one
employees_bad.csv:25: 21 values, but the header has 20 columns (a ',' inside a value that is not in quotes?)
employees_bad.csv:26: column nip_atasan: invalid NIP '1985031220100110': has 16 digits; a NIP has 18
employees_bad.csv:28: warning: column jenis_kelamin: P, but the NIP's 15th digit is 1
employees_bad.csv:28: warning: column tanggal_lahir: 1981-01-14, but the NIP begins with 19810111
employees_bad.csv:29: column jabatan: holds a line break or a control character
employees_bad.csv:32: column nip_atasan: supervisor 198101152006011030 is marked nonaktif on line 33
karirbot import: employees_bad.csv: 25 errors: nothing was imported"""

EXPECTED_MISSING_COLUMN = """\
employees_missing_column.csv:1: warning: column keterangan: not a column of a file of employees: ignored
employees_missing_column.csv:1: column unit_kerja: missing from the header
karirbot import: employees_missing_column.csv: 1 error: nothing was imported"""

EXPECTED_TRAININGS_BAD = """\
trainings_bad.csv:2: column kode: empty: every training needs a code
trainings_bad.csv:4: column kode: duplicate: code T-01 is on line 3 too
trainings_bad.csv:5: column selesai: 2027-03-01 is before mulai (2027-03-05)
trainings_bad.csv:6: column batas_daftar: 2027-03-10 is after the training ends (2027-03-05)
trainings_bad.csv:7: column jp: 'dua puluh' is not a whole number from 0 to 1000
trainings_bad.csv:8: column kuota: '-5' is not a whole number from 0 to 100000
trainings_bad.csv:9: column golongan_minimal: unknown rank 'III/z' (a PNS rank such as III/a)
trainings_bad.csv:10: column biaya: '1,5 juta' is not an amount in rupiah (e.g. 1.500.000)
trainings_bad.csv:11: column mulai: not a date: '2027-13-01' (write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY)
karirbot import: trainings_bad.csv: 9 errors: nothing was imported"""

EXPECTED_MENTORS_BAD = """\
mentors_bad.csv:2: column nip: no employee with NIP 198001012005011004 (import the employees first)
mentors_bad.csv:3: column bidang: the area 'pengembangan dan pemeliharaan aplikasi pe...' is 79 bytes long; at most 63
mentors_bad.csv:4: column kapasitas: '99' is not a whole number from 0 to 50
mentors_bad.csv:5: column bidang: empty: a mentor needs at least one area
mentors_bad.csv:7: column nip: duplicate: NIP 197002141996011001 is on line 6 too
mentors_bad.csv:8: column nip: invalid NIP '19700214199601100': has 17 digits; a NIP has 18
karirbot import: mentors_bad.csv: 6 errors: nothing was imported"""

EXPECTED_PROMOTIONS_BAD = """\
promotions_bad.csv:2: column nip: 199411302023212015 (Yuni Kartika) is PPPK: PPPK have no kenaikan pangkat
promotions_bad.csv:3: column tahap: unknown stage 'selesai' (disiapkan, verifikasi_instansi, entri_siasn, persetujuan_eselon3, validasi_bkn, pertek, sk_tte, sk_myasn, BTL, BTS or TMS)
promotions_bad.csv:4: column jenis_kp: 'kilat' is not reguler, pilihan, fungsional, penyesuaian ijazah, pengabdian or anumerta
promotions_bad.csv:5: column golongan_tujuan: unknown rank 'V/a' (a PNS rank such as III/d)
promotions_bad.csv:6: column tanggal_tahap: 2099-01-05 is in the future
promotions_bad.csv:8: column tahap: duplicate: stage entri_siasn of NIP 199107102019031005 for period 2026-04-01 is on line 7 too
promotions_bad.csv:9: column jenis_kp: pilihan, but line 7 gives reguler for the same file
promotions_bad.csv:10: column nip: no employee with NIP 198001012005011004 (import the employees first)
promotions_bad.csv:11: column nip: invalid NIP '1991071020190310': has 16 digits; a NIP has 18
karirbot import: promotions_bad.csv: 9 errors: nothing was imported"""


class Importer:
    """Runs `karirbot import` on files in the test's directory (its working directory), so
    the reports name them as HR would see them: employees_bad.csv:2: ..."""

    def __init__(self, h):
        self.h = h
        fixtures = os.path.join(h.source_dir, "tests", "fixtures", "import")
        for name in os.listdir(fixtures):
            shutil.copy(os.path.join(fixtures, name), os.path.join(h.tmp, name))

    def run(self, kind, name, *flags, expect_rc=0):
        """Runs the import of name (in the test's directory); returns its output."""
        rc, out = self.h.run_command("import", kind, name, *flags, timeout=120)
        check(rc == expect_rc, f"import {kind} {name} {flags} exited {rc} (expected "
                               f"{expect_rc}):\n{out[-3000:]}")
        return out

    def expect_lines(self, out, expected, what):
        got = [line for line in out.splitlines() if line.strip()]
        want = expected.splitlines()
        missing = [line for line in want if line not in got]
        extra = [line for line in got if line not in want]
        check(got == want, f"{what}: report differs\n  missing: {missing}\n  unexpected: "
                           f"{extra}\n  order: {got == sorted(got, key=want.index) if not missing and not extra else '-'}")


def snapshot(h):
    """Every table an import may touch, to see that nothing changed."""
    tables = {}
    for table in ("employees", "units", "links", "approvals", "activation_codes", "trainings",
                  "mentors", "mentor_areas", "promotions", "promotion_stages"):
        tables[table] = h.query(f"SELECT * FROM {table} ORDER BY 1, 2")
    return tables


def check_same(before, after, what):
    for table, rows in before.items():
        check(after[table] == rows, f"{what}: table {table} changed")


def big_file(path, n):
    """n employees of a new unit as Excel writes them (';', BOM, CRLF), each block's head
    after its staff, heads under Agus (in the database, not in the file)."""
    lines = ["nip;nama;jenis_asn;golongan_ruang;tmt_pangkat;pendidikan;jabatan;jenis_jabatan;"
             "unit_kerja;nip_atasan;zona_waktu;predikat_kinerja_tahun_lalu;"
             "predikat_kinerja_dua_tahun_lalu"]
    nips = []
    for i in range(n):
        days = i // 999
        y, rest = 1970 + days // 336, days % 336
        m, d = rest // 28 + 1, rest % 28 + 1
        nips.append(f"{y:04d}{m:02d}{d:02d}{y + 25:04d}{m:02d}1{i % 999 + 1:03d}")
    block = 50
    for start in range(0, n, block):
        head = min(start + block, n) - 1
        for i in range(start, head + 1):
            sup = AGUS if i == head else nips[head]
            lines.append(f"{nips[i]};\"Pegawai Uji {i}\";PNS;III/a;01/04/2020;S-1;Analis;"
                         f"pelaksana;Dinas Uji Beban;{sup};WIB;Baik;Baik")
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


def body(h):
    imp = Importer(h)
    h.seed_demo()
    pristine = snapshot(h)

    # ---- bad files: exact reports, nothing written -------------------------------------------
    out = imp.run("employees", "employees_bad.csv", expect_rc=1)
    imp.expect_lines(out, EXPECTED_EMPLOYEES_BAD, "employees_bad.csv")
    out = imp.run("employees", "employees_missing_column.csv", expect_rc=1)
    imp.expect_lines(out, EXPECTED_MISSING_COLUMN, "employees_missing_column.csv")
    with open(os.path.join(h.tmp, "latin1.csv"), "wb") as f:
        f.write(b"nip,nama\n196905201994031002,Agus\n197804152003121004,Jos\xe9\n")
    out = imp.run("employees", "latin1.csv", expect_rc=1)
    imp.expect_lines(out, 'latin1.csv:3: not UTF-8 text; save the sheet as "CSV UTF-8"',
                     "latin1.csv")
    check_same(pristine, snapshot(h), "after the bad files")

    # ---- dry run, import, idempotency in both layouts ----------------------------------------
    out = imp.run("employees", "employees.csv", "--dry-run")
    check("employees.csv: 14 employees: 3 new, 0 changed, 11 unchanged" in out, out)
    check("dry run: nothing was written" in out, out)
    check_same(pristine, snapshot(h), "after the dry run")

    out = imp.run("employees", "employees.csv")
    check("employees.csv: 14 employees: 3 new, 0 changed, 11 unchanged" in out, out)
    check("units: 1 created, 0 renamed" in out, out)
    head = h.query("SELECT id FROM employees WHERE nip = '197309092000122001'")[0][0]
    andi = h.query("SELECT supervisor_id, zone, grade, education, credit_points FROM employees"
                   " WHERE nip = '199205142018011003'")
    check(andi == [(head, None, "III/b", "d4", 112.5)], f"Andi as imported: {andi}")
    check(h.query("SELECT zone, code FROM units WHERE name = 'Dinas Kesehatan'") ==
          [("WIT", "DINKES")], "the new unit's zone and code")
    imported = snapshot(h)
    check(imported["links"] == pristine["links"], "the import kept every link")
    for name in ("employees.csv", "employees_semicolon_bom_crlf.csv"):
        out = imp.run("employees", name)
        check(f"{name}: 14 employees: 0 new, 0 changed, 14 unchanged" in out, out)
        check_same(imported, snapshot(h), f"after importing {name} again")

    # ---- invite: the selections -------------------------------------------------------------
    rc, out = h.run_command("invite", "--unit", "Dinas Kesehatan", "--csv")
    rows = [line.split(",")[0] for line in out.splitlines() if line[:1].isdigit()]
    check(rc == 0 and sorted(rows) == sorted(["199205142018011003", "199608082022212004",
                                              "197309092000122001"]),
          f"invite --unit: {rc} {out}")
    rc, out = h.run_command("invite", "--unlinked", "--csv")
    rows = [line.split(",")[0] for line in out.splitlines() if line[:1].isdigit()]
    check(rc == 0 and len(rows) == 4 and "199903152025032006" in rows,
          f"invite --unlinked: {rc} {out}")
    check("10 employees are linked already" in out, out)

    # ---- waiting requests of Dewi (for Hendra), and the service running ------------------------
    h.execute(f"""
        INSERT INTO approvals(id, kind, subject_id, requester_id, approver_id, status, created_at)
        VALUES (901, 'rpi_activity', 2, {DEWI}, {HENDRA}, 'menunggu', 1),
               (902, 'mentor', 9, {DEWI}, {HENDRA}, 'menunggu', 1),
               (903, 'training', 1, {DEWI}, {HENDRA}, 'disetujui', 1);""")
    h.start()

    big_file(os.path.join(h.tmp, "pegawai-besar.csv"), 20000)
    result = {}

    def run_big():
        result["out"] = imp.run("employees", "pegawai-besar.csv")

    # While it runs, someone writes every 50 ms: those who write while the import holds the
    # write lock wait for it (the service retries on a timer), and must all be answered.
    worker = threading.Thread(target=run_big)
    worker.start()
    pushed = {}
    while worker.is_alive() and len(pushed) < 2000:
        name = f"w{len(pushed)}"
        pushed[name] = time.monotonic()
        h.fake.push_text(7700 + len(pushed), "/start", first_name=name)
        time.sleep(0.05)
    worker.join(h.t(120))
    check(not worker.is_alive() and "out" in result, "the big import finished")
    check("pegawai-besar.csv: 20000 employees: 20000 new, 0 changed, 0 unchanged"
          in result["out"], result["out"])
    h.wait_for(lambda: h.greetings_to(*pushed), 60, "an answer to everyone who wrote")
    got = h.greetings()
    waits = [got[name][0].t - at for name, at in pushed.items()]
    check(len(pushed) >= 3, f"only {len(pushed)} messages were sent during the import")
    check(max(waits) < h.t(10), f"an answer waited {max(waits):.1f} s")
    print(f"[import] {len(pushed)} messages sent during a 20,000-row import, answered after "
          f"{min(waits):.2f} s at best, {max(waits):.2f} s at worst")

    # ---- a change of supervisor, a retirement, a departure ----------------------------------
    out = imp.run("employees", "employees_moved.csv")
    check("employees_moved.csv: 13 employees: 0 new, 2 changed, 11 unchanged" in out, out)
    check("1 pending approval re-routed to the new supervisor" in out, out)
    check("1 employee lost access (0 not in the file, 1 marked nonaktif); 1 of them had a "
          "linked Telegram account, now unlinked" in out, out)
    routes = dict(h.query("SELECT id, approver_id FROM approvals WHERE id >= 901"))
    check(routes == {901: RATNA, 902: HENDRA, 903: HENDRA}, f"approvers after the move: {routes}")
    check(h.query(f"SELECT supervisor_id FROM employees WHERE id = {DEWI}") == [(RATNA,)],
          "Dewi's new supervisor")
    check(h.query(f"SELECT user_id FROM links WHERE employee_id = {DEWI}") ==
          [(h.demo_user("199003222015032001"),)], "a changed employee keeps the link")
    check(h.query(f"SELECT active FROM employees WHERE id = {RUDI}") == [(0,)], "Rudi inactive")
    check(h.query(f"SELECT count(*) FROM links WHERE employee_id = {RUDI}") == [(0,)],
          "Rudi unlinked")
    check(h.query(f"SELECT count(*) FROM rpi_plans WHERE employee_id = {RUDI}") == [(1,)],
          "Rudi's records stay")
    rudi = h.demo_user("199107102019031005")
    h.fake.push_text(rudi, "/start", first_name="Rudi")
    h.wait_for(lambda: h.greetings_to("Rudi"), 30, "Rudi welcomed as someone not linked")
    rc, out = h.run_command("invite", "199107102019031005")
    check(rc == 1 and "no longer has access" in out, f"invite of an inactive employee: {out}")

    out = imp.run("employees", "employees_moved.csv", "--deactivate-missing", expect_rc=1)
    check("--deactivate-missing would remove the access of 20001 of the 20013 active employees"
          in out, out)
    out = imp.run("employees", "employees_moved.csv", "--deactivate-missing", "--force")
    check("0 new, 0 changed, 13 unchanged" in out, out)
    check("20001 employees lost access (20001 not in the file, 0 marked nonaktif); 1 of them "
          "had a linked Telegram account, now unlinked" in out, out)
    check(h.query(f"SELECT active FROM employees WHERE id = {LINA}") == [(0,)], "Lina inactive")
    check(h.query("SELECT count(*) FROM employees WHERE active = 1") == [(12,)],
          "who keeps access")

    out = imp.run("employees", "employees.csv")
    check("0 new, 3 changed, 11 unchanged" in out, out)
    check("2 inactive employees are active again" in out, out)
    check("1 pending approval re-routed to the new supervisor" in out, out)
    routes = dict(h.query("SELECT id, approver_id FROM approvals WHERE id >= 901"))
    check(routes == {901: HENDRA, 902: HENDRA, 903: HENDRA}, f"approvers back: {routes}")

    # ---- trainings, mentors, promotions -----------------------------------------------------
    before = snapshot(h)
    for kind, bad, expected in (("trainings", "trainings_bad.csv", EXPECTED_TRAININGS_BAD),
                                ("mentors", "mentors_bad.csv", EXPECTED_MENTORS_BAD),
                                ("promotions", "promotions_bad.csv", EXPECTED_PROMOTIONS_BAD)):
        imp.expect_lines(imp.run(kind, bad, expect_rc=1), expected, bad)
    check_same(before, snapshot(h), "after the bad files of records")

    out = imp.run("trainings", "trainings.csv")
    check("trainings.csv: 3 trainings: 3 new, 0 changed, 0 unchanged" in out, out)
    check(h.query("SELECT title, start_date, cost, min_grade FROM trainings WHERE code = "
                  "'BPSDM-2027-007'") ==
          [("Bimtek Pengadaan Barang/Jasa", "2027-04-12", 2250000, "II/c")], "a training")
    out = imp.run("mentors", "mentors.csv")
    check("mentors.csv: 3 mentors: 1 new, 1 changed, 1 unchanged" in out, out)
    check(h.query(f"SELECT areas, capacity FROM mentors WHERE employee_id = {DEWI}") ==
          [("pengembangan aplikasi|basis data", 1)], "Dewi's areas, the repeated one once")
    out = imp.run("promotions", "promotions.csv")
    check("promotions.csv: 5 promotion stages: 5 new, 0 changed, 0 unchanged" in out, out)
    stages = h.query("SELECT s.stage, s.reached_on, s.seq FROM promotion_stages s JOIN promotions"
                     f" p ON p.id = s.promotion_id WHERE p.employee_id = {RUDI} ORDER BY s.seq")
    check(stages == [("disiapkan", "2026-01-05", 1), ("verifikasi_instansi", "2026-01-12", 2),
                     ("BTL", "2026-01-20", 3), ("entri_siasn", "2026-02-02", 4)],
          f"Rudi's stages: {stages}")
    records = snapshot(h)
    for kind, name, rows in (("trainings", "trainings.csv", "3 trainings"),
                             ("mentors", "mentors.csv", "3 mentors"),
                             ("promotions", "promotions.csv", "5 promotion stages")):
        out = imp.run(kind, name)
        n = rows.split()[0]
        check(f"{name}: {rows}: 0 new, 0 changed, {n} unchanged" in out, out)
    check_same(records, snapshot(h), "after importing the records again")

    # The service answered throughout and is still well.
    h.fake.push_text(9702, "/start", first_name="u2")
    h.wait_for(lambda: h.greetings_to("u2"), 30, "an answer after the imports")


if __name__ == "__main__":
    harness.run_test("import", body)
