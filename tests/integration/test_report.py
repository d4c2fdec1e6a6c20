"""report: `karirbot report` run as HR runs it, on the demo organisation (deploy/demo/demo.sql
alone, dated from Monday 2026-06-15) with a few rows added: the CSV is read byte by byte and
cell by cell (byte-order mark, ';' or ',' separator, RFC 4180 quoting, CRLF, NIPs that Excel
keeps whole), and the XLSX is unzipped and its XML read back cell by cell with the standard
library: cell types, numbers, dates as date serials with a date format, rupiah with thousands
separators, the bold header style, the frozen header row, column widths and the filter. The
database is the same after every report (they only read), a report runs while another
process holds the write lock, a default file name is never overwritten, and usage errors exit
64.

Expected values were worked out by hand from demo.sql (see tests/unit/test_report.c, which
checks every report's rows in more detail)."""

import csv
import datetime
import io
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

TODAY = "2026-06-15"
NOW = "1781517600"  # 2026-06-15 10:00 UTC: the same date in WIB, WITA and WIT
BOM = b"\xef\xbb\xbf"
DISKOMINFO = "Dinas Komunikasi dan Informatika"
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def seed(h):
    """demo.sql alone (other areas' demo files must not move the expected figures), then a
    fixture: registrations for the Python bimtek, approvals waiting, a returned promotion file,
    and a name that needs quoting in CSV."""
    h.migrate()
    with open(os.path.join(h.source_dir, "deploy", "demo", "demo.sql"), encoding="utf-8") as f:
        demo = f.read()
    conn = sqlite3.connect(h.db_path)
    try:
        conn.execute("CREATE TEMP TABLE seed(today TEXT NOT NULL)")
        conn.execute("INSERT INTO temp.seed VALUES(?)", (TODAY,))
        conn.executescript(demo)
        conn.executescript("""
            INSERT INTO registrations(training_id, employee_id, status, seat, created_at,
                                      updated_at) VALUES
              (1, 4, 'disetujui', 1, 10, 10), (1, 5, 'diusulkan', 1, 11, 11),
              (1, 9, 'daftar_tunggu', 0, 13, 13), (1, 6, 'ditolak', 0, 14, 14);
            INSERT INTO registrations(id, training_id, employee_id, status, seat, created_at,
                                      updated_at) VALUES
              (20, 2, 4, 'daftar_tunggu', 0, 1781406000, 0),
              (21, 2, 5, 'daftar_tunggu', 0, 1780452000, 0);
            INSERT INTO approvals(kind, subject_id, requester_id, approver_id, status,
                                  created_at, decided_at, decided_by) VALUES
              ('training', 21, 5, 2, 'disetujui', 1780452000, 1781195400, 2),
              ('rpi_activity', 2, 4, 2, 'menunggu', 1780452000, NULL, NULL),
              ('training', 5, 5, 2, 'menunggu', 1781195400, NULL, NULL),
              ('mentor', 3, 9, 3, 'menunggu', 1781195400, NULL, NULL);
            INSERT INTO promotions(id, employee_id, kind, target_grade, period) VALUES
              (2, 6, 'reguler', 'III/c', '2026-07-01');
            INSERT INTO promotion_stages(promotion_id, stage, reached_on, note, seq) VALUES
              (2, 'verifikasi_instansi', '2026-06-01', NULL, 1),
              (2, 'BTL', '2026-06-10', 'SKP 2025; "belum" diunggah', 2);
            UPDATE employees SET position = 'Kepala Bidang "Aplikasi"; Informatika'
              WHERE id = 2;
        """)
        conn.commit()
    finally:
        conn.close()


def report(h, *args, expect_rc=0):
    """Runs `karirbot report ARGS --now NOW` in the test directory; returns (stdout bytes,
    stderr text). stdout is kept apart from stderr: it is the CSV."""
    proc = subprocess.run([*h.wrapper, h.bin, "report", *args, "--now", NOW], env=h.env(),
                          capture_output=True, timeout=h.t(60), cwd=h.tmp)
    err = proc.stderr.decode("utf-8", "replace")
    log = os.path.join(h.tmp, f"report-{len(h.logs)}.log")
    with open(log, "wb") as f:  # kept as a log: the harness checks it for leaks and sanitizers
        f.write(proc.stderr)
    h.logs.append(log)
    check(proc.returncode == expect_rc,
          f"report {' '.join(args)} exited {proc.returncode}, not {expect_rc}: {err[-2000:]}")
    return proc.stdout, err


def dump(h):
    conn = sqlite3.connect(h.db_path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def parse_csv(data, sep=";"):
    check(data.startswith(BOM), f"no UTF-8 byte-order mark: {data[:20]!r}")
    text = data[len(BOM):].decode("utf-8")
    check(text.endswith("\r\n"), "the last line does not end with CRLF")
    lines = text.split("\r\n")
    # every record ends with CRLF (a quoted line break inside a field is the only other CR)
    check(all("\n" not in line for line in lines), "a bare LF line end")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


def nip(value):
    """How a NIP appears in the default CSV: a formula Excel shows as the 18-digit text."""
    return f'="{value}"'


# ---- CSV --------------------------------------------------------------------------------------

def check_rpi_csv(h):
    out, _ = report(h, "rpi", "--year", "2026")
    rows = parse_csv(out)
    check(rows[0] == ["nip", "nama", "unit_kerja", "jenis_asn", "status_rpi",
                      "kegiatan_direncanakan", "kegiatan_selesai", "kegiatan_terlambat",
                      "kegiatan_menunggu_persetujuan", "jp_direncanakan", "jp_diakui",
                      "jp_menunggu_verifikasi", "persen_kegiatan_selesai"], f"header {rows[0]}")
    check(len(rows) == 12, f"{len(rows) - 1} rows, not 11")
    expect = {
        1: [nip("198207112006042008"), "Lina Marlina", "BKPSDM", "PNS", "",
            "0", "0", "0", "0", "0", "0", "0", ""],
        4: [nip("199003222015032001"), "Dewi Lestari", DISKOMINFO, "PNS", "disetujui",
            "4", "1", "1", "0", "41", "10", "0", "25"],
        9: [nip("199107102019031005"), "Rudi Hartono", DISKOMINFO, "PNS", "draf",
            "1", "0", "0", "0", "16", "0", "0", "0"],
        11: [nip("199411302023212015"), "Yuni Kartika", DISKOMINFO, "PPPK", "",
             "0", "0", "0", "0", "0", "0", "0", ""],
    }
    for i, want in expect.items():
        check(rows[i] == want, f"rpi row {i}: {rows[i]} != {want}")
    # the raw bytes: the separator, the quoting of the NIP formula, CRLF
    lines = out[len(BOM):].split(b"\r\n")
    check(lines[4] == b'"=""199003222015032001""";Dewi Lestari;' + DISKOMINFO.encode() +
          b";PNS;disetujui;4;1;1;0;41;10;0;25", f"raw Dewi line {lines[4]!r}")
    check(lines[0].count(b";") == 12 and b"," not in lines[0], f"raw header {lines[0]!r}")

    # a comma separator and bare NIPs, for other programs
    out, _ = report(h, "rpi", "--year", "2026", "--separator", ",", "--plain")
    rows = parse_csv(out, ",")
    check(rows[4] == ["199003222015032001", "Dewi Lestari", DISKOMINFO, "PNS", "disetujui",
                      "4", "1", "1", "0", "41", "10", "0", "25"], f"plain row {rows[4]}")
    check(out[len(BOM):].split(b"\r\n")[0].count(b",") == 12, "comma header")

    # one unit, to a file
    path = os.path.join(h.tmp, "bkpsdm.csv")
    out, err = report(h, "rpi", "--unit", "BKPSDM", "--output", path)
    check(out == b"" and "1 row written to" in err, f"stdout {out[:80]!r}, stderr {err!r}")
    with open(path, "rb") as f:
        rows = parse_csv(f.read())
    check(len(rows) == 2 and rows[1][1] == "Lina Marlina", f"unit rows {rows}")


def check_jp_csv(h):
    out, _ = report(h, "jp", "--year", "2026")
    rows = parse_csv(out)
    check(rows[0] == ["nip", "nama", "unit_kerja", "jenis_asn", "jp_direncanakan", "jp_diakui",
                      "jp_menunggu_verifikasi", "ketentuan", "jp_ketentuan", "kekurangan_jp",
                      "keterangan"], f"jp header {rows[0]}")
    # the largest shortfall first; the PPPK ceiling last and never "below target"
    check([r[1] for r in rows[1:]] == [
        "Lina Marlina", "Agus Setiawan", "Bambang Wijaya", "Fajar Nugroho", "Hendra Pratama",
        "Maya Anggraini", "Ratna Sari", "Rudi Hartono", "Siti Rahmawati", "Dewi Lestari",
        "Yuni Kartika"], f"jp order {[r[1] for r in rows[1:]]}")
    check(rows[10][4:] == ["41", "10", "0", "target", "20", "10", "di_bawah_target"],
          f"Dewi {rows[10]}")
    check(rows[11][3:] == ["PPPK", "0", "0", "0", "batas", "24", "", "dalam_batas"],
          f"Yuni {rows[11]}")
    out, _ = report(h, "jp", "--year", "2026", "--below-target")
    check(len(parse_csv(out)) == 11, "--below-target leaves Yuni (a ceiling) out")


def check_small_csvs(h):
    out, _ = report(h, "approvals")
    rows = parse_csv(out)
    check(rows[1:] == [
        [nip("197804152003121004"), "Hendra Pratama", 'Kepala Bidang "Aplikasi"; Informatika',
         DISKOMINFO, "ya", "ya", "2", "0", "1", "1", "0", "0", "2026-06-03", "8"],
        [nip("197512082000032002"), "Ratna Sari", "Kepala Bidang Statistik", DISKOMINFO, "ya",
         "ya", "1", "0", "0", "0", "1", "0", "2026-06-12", "1"]], f"approvals {rows[1:]}")
    raw = out[len(BOM):].split(b"\r\n")[1]
    check(b';"Kepala Bidang ""Aplikasi""; Informatika";' in raw, f"RFC 4180 quoting: {raw!r}")

    out, _ = report(h, "promotions")
    rows = parse_csv(out)
    check(rows[1:] == [
        [nip("198601092011011007"), "Fajar Nugroho", DISKOMINFO, "III/c", "reguler", "III/d",
         "2026-07-01", "validasi_bkn", "Validasi BKN", "2026-06-03", "8", "5", "3", "BKN", ""],
        [nip("198805172010012003"), "Siti Rahmawati", DISKOMINFO, "III/b", "reguler", "III/c",
         "2026-07-01", "BTL", "Berkas tidak lengkap", "2026-06-10", "3", "", "",
         "pengelola kepegawaian unit", 'SKP 2025; "belum" diunggah']], f"promotions {rows[1:]}")

    out, _ = report(h, "nominees", "--training", "LAN-2026-117")
    rows = parse_csv(out)
    check([r[2] for r in rows[1:]] == ["Bambang Wijaya", "Rudi Hartono", "Dewi Lestari"],
          f"nominee order {rows[1:]}")
    check(rows[2][8:] == ["daftar_tunggu", "tidak", "1", "2026-06-03", "disetujui",
                          "2026-06-12"], f"Rudi {rows[2]}")


# ---- XLSX -------------------------------------------------------------------------------------

def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


class Workbook:
    """An XLSX file read back with zipfile and ElementTree: the first sheet's cells, the
    styles (fonts and number formats), the pane, the columns and the filter."""

    def __init__(self, path):
        with zipfile.ZipFile(path) as z:
            check(z.testzip() is None, f"{path}: a damaged zip member")
            names = z.namelist()
            self.workbook = ET.fromstring(z.read("xl/workbook.xml"))
            self.sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
            self.styles = ET.fromstring(z.read("xl/styles.xml"))
            shared = []
            if "xl/sharedStrings.xml" in names:
                for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(NS + "si"):
                    shared.append("".join(t.text or "" for t in si.iter(NS + "t")))
        fonts = [f.find(NS + "b") is not None for f in self.styles.find(NS + "fonts")]
        formats = {int(n.get("numFmtId")): n.get("formatCode")
                   for n in (self.styles.find(NS + "numFmts") or [])}
        self.xf = []  # per style index: (bold, number format code or built-in id)
        for xf in self.styles.find(NS + "cellXfs"):
            fmt = int(xf.get("numFmtId", "0"))
            self.xf.append((fonts[int(xf.get("fontId", "0"))], formats.get(fmt, fmt)))
        self.cells = {}  # (row, col) from 0 -> (kind, value, style index)
        for c in self.sheet.iter(NS + "c"):
            m = re.fullmatch(r"([A-Z]+)([0-9]+)", c.get("r"))
            key = (int(m.group(2)) - 1, col_index(m.group(1)))
            kind, style = c.get("t", "n"), int(c.get("s", "0"))
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in c.iter(NS + "t"))
                kind = "str"
            elif kind == "s":
                value, kind = shared[int(c.find(NS + "v").text)], "str"
            else:
                check(kind == "n", f"cell {c.get('r')} of type {kind}")
                value = float(c.find(NS + "v").text)
            self.cells[key] = (kind, value, style)
        self.nrows = 1 + max(r for r, _ in self.cells) if self.cells else 0

    def row(self, r, ncols):
        return [self.cells.get((r, c)) for c in range(ncols)]

    def sheet_name(self):
        return self.workbook.find(NS + "sheets")[0].get("name")


def excel_serial(ymd):
    return float((datetime.date.fromisoformat(ymd) - datetime.date(1899, 12, 30)).days)


def check_xlsx_common(wb, header, nrows):
    ncols = len(header)
    # header: text in bold, every cell
    for c, name in enumerate(header):
        kind, value, style = wb.cells.get((0, c), (None, None, 0))
        check(kind == "str" and value == name, f"header cell {c}: {value!r} != {name!r}")
        check(wb.xf[style][0], f"header cell {name} is not bold")
    # data cells are not bold
    check(all(not wb.xf[s][0] for (r, _), (_, _, s) in wb.cells.items() if r > 0),
          "a data cell in bold")
    check(wb.nrows == nrows + 1, f"{wb.nrows - 1} data rows, not {nrows}")
    # the header row stays in view
    pane = wb.sheet.find(f"{NS}sheetViews/{NS}sheetView/{NS}pane")
    check(pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1"
          and pane.get("topLeftCell") == "A2" and pane.get("xSplit") is None,
          f"frozen pane {pane.attrib if pane is not None else None}")
    # a width for every column, fitted and bounded
    widths = {}
    for col in wb.sheet.find(NS + "cols"):
        check(col.get("customWidth") == "1", "a column without its own width")
        for c in range(int(col.get("min")), int(col.get("max")) + 1):
            widths[c - 1] = float(col.get("width"))
    check(sorted(widths) == list(range(ncols)), f"widths for columns {sorted(widths)}")
    check(all(8 <= w <= 61 for w in widths.values()), f"widths out of bounds: {widths}")
    # the filter on the header row, over the whole table
    last = chr(ord("A") + ncols - 1) if ncols <= 26 else "A" + chr(ord("A") + ncols - 27)
    auto = wb.sheet.find(NS + "autoFilter")
    check(auto is not None and auto.get("ref") == f"A1:{last}{nrows + 1}",
          f"autoFilter {auto.attrib if auto is not None else None}")
    return widths


def check_trainings_xlsx(h):
    path = os.path.join(h.tmp, "trainings.xlsx")
    out, err = report(h, "trainings", "--output", path)  # xlsx from the name
    check(out == b"" and "5 rows written" in err, f"stderr {err!r}")
    wb = Workbook(path)
    header = ["kode", "judul", "penyelenggara", "bentuk", "status", "mulai", "selesai",
              "batas_daftar", "jp", "kuota", "kursi_terisi", "persen_terisi", "sisa_kursi",
              "jumlah_diajukan", "jumlah_disetujui", "jumlah_ditolak", "jumlah_diusulkan",
              "jumlah_diterima", "jumlah_daftar_tunggu", "jumlah_dibatalkan", "jumlah_selesai",
              "biaya_per_kursi", "biaya_total"]
    widths = check_xlsx_common(wb, header, 5)
    check(wb.sheet_name() == "Diklat", f"sheet {wb.sheet_name()!r}")
    # the title column is as wide as the longest title (+1), the code column as its codes
    check(widths[1] == len("Bimbingan Teknis Analisis Data dengan Python") + 1 + 0.7109375,
          f"title width {widths[1]}")

    def s(v):
        return ("str", v)

    def n(v):
        return ("n", float(v))

    def date(v):
        return ("date", excel_serial(v))

    def rp(v):
        return ("rp", float(v))

    def kinds(row):
        got = []
        for cell in wb.row(row, len(header)):
            if cell is None:
                got.append(None)
                continue
            kind, value, style = cell
            fmt = wb.xf[style][1]
            if kind == "n" and fmt == "dd/mm/yyyy":
                got.append(("date", value))
            elif kind == "n" and fmt == "#,##0":
                got.append(("rp", value))
            else:
                check(kind == "str" or fmt == 0, f"row {row}: a number in format {fmt}")
                got.append((kind, value))
        return got

    python = [s("BPSDM-2026-031"), s("Bimbingan Teknis Analisis Data dengan Python"),
              s("BPSDM Provinsi"), s("klasikal"), s("buka"), date("2026-07-15"),
              date("2026-07-17"), date("2026-06-29"), n(24), n(20), n(2), n(10), n(18),
              n(0), n(1), n(1), n(1), n(0), n(1), n(0), n(0), rp(1500000), rp(3000000)]
    check(kinds(3) == python, f"Python bimtek row:\n{kinds(3)}\n!=\n{python}")
    policy = [s("LAN-2026-117"), s("Pelatihan Penulisan Naskah Kebijakan"), s("LAN"),
              s("klasikal"), s("buka"), date("2026-07-30"), date("2026-08-01"),
              date("2026-07-06"), n(30), n(1), n(1), n(100), n(0), n(0), n(0), n(0), n(0),
              n(1), n(2), n(0), n(0), rp(2750000), rp(2750000)]
    check(kinds(4) == policy, f"policy course row:\n{kinds(4)}\n!=\n{policy}")
    check([c[1] for c in kinds(1)[:1] + kinds(2)[:1] + kinds(5)[:1]] ==
          ["BPSDM-2026-022", "LAN-EL-2026-05", "BPSDM-2026-040"], "training order")


def check_rpi_xlsx_default_name(h):
    target = os.path.join(h.tmp, "report-rpi-2026.xlsx")
    check(not os.path.exists(target), "a stale report")
    out, err = report(h, "rpi", "--format", "xlsx")
    check(os.path.exists(target) and "11 rows written to report-rpi-2026.xlsx" in err,
          f"default name: {err!r}")
    wb = Workbook(target)
    check_xlsx_common(wb, ["nip", "nama", "unit_kerja", "jenis_asn", "status_rpi",
                           "kegiatan_direncanakan", "kegiatan_selesai", "kegiatan_terlambat",
                           "kegiatan_menunggu_persetujuan", "jp_direncanakan", "jp_diakui",
                           "jp_menunggu_verifikasi", "persen_kegiatan_selesai"], 11)
    dewi = wb.row(4, 13)
    # the NIP is text (all 18 digits), the counts numbers, an empty share is no cell at all
    check([c[:2] for c in dewi] == [
        ("str", "199003222015032001"), ("str", "Dewi Lestari"), ("str", DISKOMINFO),
        ("str", "PNS"), ("str", "disetujui"), ("n", 4.0), ("n", 1.0), ("n", 1.0), ("n", 0.0),
        ("n", 41.0), ("n", 10.0), ("n", 0.0), ("n", 25.0)], f"Dewi in XLSX: {dewi}")
    lina = wb.row(1, 13)
    check(lina[4] is None and lina[12] is None and lina[0][1] == "198207112006042008",
          f"Lina in XLSX: {lina}")
    # never overwritten: a second run refuses, and the file is the first one
    before = open(target, "rb").read()
    _, err = report(h, "rpi", "--format", "xlsx", expect_rc=1)
    check("exists already" in err, f"second run: {err!r}")
    check(open(target, "rb").read() == before, "the default file was replaced")
    leftovers = [n for n in os.listdir(h.tmp) if ".tmp" in n]
    check(not leftovers, f"temporary files left: {leftovers}")


def check_nominees_xlsx(h):
    _, err = report(h, "nominees", "--training", "LAN-2026-117", "--format", "xlsx")
    path = os.path.join(h.tmp, "report-nominees-LAN-2026-117.xlsx")
    check(os.path.exists(path), f"nominee file: {err!r}")
    wb = Workbook(path)
    header = ["kode", "nip", "nama", "unit_kerja", "golongan_ruang", "jabatan", "nip_atasan",
              "nama_atasan", "status", "kursi", "urutan_tunggu", "tanggal_daftar",
              "keputusan_atasan", "tanggal_keputusan_atasan"]
    check_xlsx_common(wb, header, 3)
    rudi = wb.row(2, len(header))
    check(rudi[1][:2] == ("str", "199107102019031005") and rudi[10][:2] == ("n", 1.0),
          f"Rudi {rudi}")
    check(rudi[11][:2] == ("n", excel_serial("2026-06-03")) and
          wb.xf[rudi[11][2]][1] == "dd/mm/yyyy", f"registration date {rudi[11]}")
    check(rudi[13][:2] == ("n", excel_serial("2026-06-12")), f"decision date {rudi[13]}")


def check_beside_a_writer(h):
    """A report reads one snapshot and neither waits for nor blocks a writer (WAL): with another
    process holding the write lock and an uncommitted change, it runs at once and does not see
    the change."""
    conn = sqlite3.connect(h.db_path, isolation_level=None, timeout=1)
    try:
        check(conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "not in WAL mode")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE employees SET name = 'Uncommitted' WHERE id = 4")
        out, _ = report(h, "rpi", "--year", "2026")
        names = [r[1] for r in parse_csv(out)[1:]]
        check("Dewi Lestari" in names and "Uncommitted" not in names, f"names {names}")
        conn.execute("ROLLBACK")
    finally:
        conn.close()


# ---- errors ------------------------------------------------------------------------------------

def check_errors(h):
    for args in (["nonsense"], [], ["rpi", "jp"], ["approvals", "--year", "2026"],
                 ["nominees"], ["rpi", "--training", "X"], ["rpi", "--format", "pdf"],
                 ["rpi", "--separator", "|"], ["rpi", "--year", "twenty"],
                 ["jp", "--per-unit"], ["rpi", "--bogus"]):
        _, err = report(h, *args, expect_rc=64)
        check("karirbot report:" in err, f"{args}: {err!r}")
    out, err = report(h, "--help")
    check("Usage: karirbot report KIND" in err and "--separator" in err, "help text")
    _, err = report(h, "rpi", "--unit", "Dinas Pendidikan", expect_rc=1)
    check("no unit named 'Dinas Pendidikan'" in err, err)
    _, err = report(h, "nominees", "--training", "NOPE", expect_rc=1)
    check("no training with code 'NOPE'" in err, err)
    _, err = report(h, "rpi", "--output", os.path.join(h.tmp, "no-such-dir", "x.csv"),
                    expect_rc=1)
    check("cannot write" in err, err)
    # no database: said, and none is created
    missing = os.path.join(h.tmp, "missing.db")
    proc = subprocess.run([*h.wrapper, h.bin, "report", "rpi", "--db", missing], env=h.env(),
                          capture_output=True, timeout=h.t(30), cwd=h.tmp)
    check(proc.returncode == 1 and b"no database at" in proc.stderr, proc.stderr[-500:])
    check(not os.path.exists(missing), "a report created a database")


def body(h):
    seed(h)
    before = dump(h)
    check_rpi_csv(h)
    check_jp_csv(h)
    check_small_csvs(h)
    check_trainings_xlsx(h)
    check_rpi_xlsx_default_name(h)
    check_nominees_xlsx(h)
    check_beside_a_writer(h)
    check_errors(h)
    check(dump(h) == before, "a report changed the database")


if __name__ == "__main__":
    harness.run_test("report", body)
