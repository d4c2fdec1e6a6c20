"""bench_import: how fast `karirbot import employees` reads a whole organisation.

Generates an employees CSV of N rows (default 100,000) as Excel saves it in an Indonesian
locale (UTF-8 with BOM, semicolons, CRLF, quoted values, DD/MM/YYYY dates): valid NIPs, a few
PPPK, 200 units under one regional head, each unit a head, section heads and staff, with rows
shuffled so that most supervisors come after their staff. Then, on a fresh database, times:

  1. the first import (every row new),
  2. the same file again (every row unchanged: the idempotent path),
  3. the file with 1% of the rows changed (a new supervisor for some: their requests re-route),
  4. the first file once more with --dry-run.

and prints rows per second (wall clock of the karirbot process, start to exit, including reading
the policy and the file) with its CPU time and peak memory (VmHWM). The target of the import contract is
20,000 rows/s or more.

Then `karirbot import rpi` on the organisation just imported: an RPI file of --rpi-rows rows
(default 100,000; --per-employee activities each, default 4) as Excel saves it, every plan of
this year approved (status_rpi disetujui), activities planned or under way, titles and forms
varied; timed four ways: every row new (the plans made too), the same file again, a dry run,
and a file with a tenth of the activities finished (selesai with tanggal_selesai: their JP
recognised). --rpi-rows 0 skips it.

This is not a ctest test: it prints figures. Use an optimised build without sanitizers:

    cmake -B build && cmake --build build -j2
    python3 tests/bench/bench_import.py --bin build/karirbot [--rows 100000] [--keep]
"""

import argparse
import csv
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HEADER = ["nip", "nama", "jenis_asn", "golongan_ruang", "tmt_pangkat", "pendidikan", "jabatan",
          "jenis_jabatan", "unit_kerja", "nip_atasan", "zona_waktu",
          "predikat_kinerja_tahun_lalu", "predikat_kinerja_dua_tahun_lalu", "jenis_kelamin",
          "stlud", "status_aktif"]
FIRST = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hendra", "Indah", "Joko",
         "Kartika", "Lestari", "Made", "Nur", "Putu", "Rina", "Sari", "Tono", "Wahyu", "Yuni"]
LAST = ["Setiawan", "Pratama", "Lestari", "Hartono", "Wijaya", "Nugroho", "Rahmawati", "Saputra",
        "Kusuma", "Siregar", "Nasution", "Simanjuntak", "Wibowo", "Santoso", "Hidayat"]
RANKS = ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"]
EDUC = ["SMA", "D-III", "S-1", "S1", "D-IV", "S-2", "S2", "S-3"]
PERF = ["Sangat Baik", "Baik", "Baik", "Baik", "Butuh Perbaikan"]
ZONES = ["WIB", "WITA", "WIT"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", required=True, help="the karirbot binary (an optimised build)")
    p.add_argument("--rows", type=int, default=100000)
    p.add_argument("--units", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rpi-rows", type=int, default=100000,
                   help="rows of the RPI file (0: no RPI import)")
    p.add_argument("--per-employee", type=int, default=4, help="RPI activities per employee")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return p.parse_args()


def make_nips(n, rng):
    """n distinct 18-digit NIPs: birth date, TMT CPNS (YYYYMM), gender, sequence 001-999."""
    seen = set()
    out = []
    while len(out) < n:
        y = rng.randint(1965, 2000)
        m = rng.randint(1, 12)
        d = rng.randint(1, 28)
        ty = min(2024, y + rng.randint(20, 30))
        nip = f"{y:04d}{m:02d}{d:02d}{ty:04d}{rng.randint(1, 12):02d}{rng.randint(1, 2)}" \
              f"{rng.randint(1, 999):03d}"
        if nip not in seen:
            seen.add(nip)
            out.append(nip)
    return out


def make_org(n, units, rng):
    """Rows (dicts) of an organisation of n employees; index 0 is the regional head."""
    nips = make_nips(n, rng)
    rows = []
    per_unit = max(2, (n - 1) // units)
    head_of = {}
    for i in range(n):
        unit = 0 if i == 0 else (i - 1) // per_unit % units
        pos = 0 if i == 0 else (i - 1) % per_unit
        if i == 0:
            sup, title, kind, rank = "", "Sekretaris Daerah", "struktural", "IV/e"
        elif pos == 0:
            head_of[unit] = i
            sup, title, kind, rank = nips[0], f"Kepala Unit {unit + 1}", "struktural", "IV/b"
        elif pos <= 10:
            sup, title, kind, rank = nips[head_of[unit]], "Kepala Seksi", "struktural", "III/d"
        else:
            section = head_of[unit] + 1 + (pos % 10)
            sup = nips[min(section, n - 1)] if section < i else nips[head_of[unit]]
            title = rng.choice(["Analis Data", "Pranata Komputer Ahli Pertama", "Pengadministrasi"])
            kind = rng.choice(["pelaksana", "fungsional", "JFT"])
            rank = rng.choice(RANKS)
        pppk = i > 0 and pos > 10 and rng.random() < 0.08
        y, mo = int(nips[i][8:12]), int(nips[i][12:14])
        rows.append({
            "nip": nips[i],
            "nama": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "jenis_asn": rng.choice(["PPPK", "PPPK paruh waktu"]) if pppk else "PNS",
            "golongan_ruang": str(rng.randint(5, 11)) if pppk else rank,
            "tmt_pangkat": "" if pppk else f"01/{mo:02d}/{min(2024, y + rng.randint(0, 4))}",
            "pendidikan": rng.choice(EDUC),
            "jabatan": title,
            "jenis_jabatan": kind,
            "unit_kerja": "Sekretariat Daerah" if i == 0 else f"Dinas Uji Nomor {unit + 1}",
            "nip_atasan": sup,
            "zona_waktu": ZONES[unit % 3] if i else "WITA",
            "predikat_kinerja_tahun_lalu": rng.choice(PERF),
            "predikat_kinerja_dua_tahun_lalu": rng.choice(PERF),
            "jenis_kelamin": "L" if nips[i][14] == "1" else "P",
            "stlud": rng.choice(["", "ya", "tidak"]),
            "status_aktif": "aktif",
        })
    return rows


def write_csv(path, rows):
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow([r[h] for h in HEADER])
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(out.getvalue())


RPI_HEADER = ["nip", "tahun", "kegiatan", "bentuk", "kompetensi", "jp", "target_selesai",
              "status", "tanggal_selesai", "status_rpi"]
RPI_TOPICS = ["Analisis Data", "Tata Naskah Dinas", "Pelayanan Publik", "Manajemen Risiko",
              "Keamanan Informasi", "Kepemimpinan", "Pengadaan Barang/Jasa", "Arsip Dinamis",
              "Penyusunan Anggaran", "Kebijakan Publik", "Statistik Sektoral", "SPBE"]
RPI_FORMS = [("Pelatihan", "pelatihan"), ("Kursus", "kursus"), ("Bimtek", "Bimbingan teknis"),
             ("E-Learning", "e-learning"), ("Seminar", "Seminar/konferensi"),
             ("Workshop", "workshop"), ("Coaching", "coaching")]


def make_rpi(org, n, per, year, today, rng):
    """n RPI activity rows (dicts), per to an employee of org, in this year's approved plans."""
    rows = []
    for i in range(n):
        emp = org[(i // per) % len(org)]
        k = i % per
        prefix, form = RPI_FORMS[(i // per + k) % len(RPI_FORMS)]
        month = 1 + (i * 7 + k) % 12
        rows.append({
            "nip": emp["nip"],
            "tahun": str(year),
            "kegiatan": f"{prefix} {RPI_TOPICS[(i + k * 5) % len(RPI_TOPICS)]} tahap {k + 1}",
            "bentuk": form,
            "kompetensi": rng.choice(["teknis", "manajerial", "sosial kultural", ""]),
            "jp": str(rng.choice([2, 4, 8, 12, 16, 20, 24, 40])),
            "target_selesai": f"{28:02d}/{month:02d}/{year}",
            "status": rng.choice(["rencana", "rencana", "berjalan"]),
            "tanggal_selesai": "",
            "status_rpi": "disetujui",
        })
    return rows


def write_rpi(path, rows):
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(RPI_HEADER)
    for r in rows:
        w.writerow([r[h] for h in RPI_HEADER])
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(out.getvalue())


def vm_hwm_kib(pid):
    """The process's peak resident memory so far (VmHWM), in KiB; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(cmd, env):
    """Runs cmd; returns wall seconds, CPU seconds, peak RSS (KiB, VmHWM polled while it runs:
    a child's ru_maxrss would count the memory of this Python process it was forked from) and
    its output lines."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, vm_hwm_kib(proc.pid))
        time.sleep(0.01)
    wall = time.perf_counter() - t0
    out, err = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.stderr.write(err.decode(errors="replace")[-3000:])
        sys.exit(f"bench_import: {' '.join(cmd[1:3])} exited {proc.returncode}")
    return wall, cpu, peak, out.decode().strip().splitlines()


def main():
    a = parse_args()
    rng = random.Random(a.seed)
    tmp = tempfile.mkdtemp(prefix="karirbot-bench-import-")
    try:
        t0 = time.perf_counter()
        rows = make_org(a.rows, a.units, rng)
        order = list(range(len(rows)))
        rng.shuffle(order)  # most supervisors now come after their staff
        shuffled = [rows[i] for i in order]
        first = os.path.join(tmp, "pegawai.csv")
        write_csv(first, shuffled)
        # 1% of the staff get another supervisor: a head of section of the same unit.
        changed = [dict(r) for r in shuffled]
        heads = [r["nip"] for r in rows if r["jabatan"] == "Kepala Seksi"]
        for r in rng.sample(changed, len(changed) // 100):
            if r["jabatan"] not in ("Kepala Seksi", "Sekretaris Daerah") and \
                    not r["jabatan"].startswith("Kepala Unit"):
                r["nip_atasan"] = rng.choice(heads)
        second = os.path.join(tmp, "pegawai-mutasi.csv")
        write_csv(second, changed)
        size = os.path.getsize(first)
        print(f"karirbot bench_import: {a.rows} employees in {a.units} units, "
              f"{size / 1e6:.1f} MB (BOM, ';', CRLF, quoted); generated in "
              f"{time.perf_counter() - t0:.1f} s")

        db = os.path.join(tmp, "karirbot.db")
        env = {k: v for k, v in os.environ.items() if not k.startswith("KARIRBOT_")}
        env["KARIRBOT_DB"] = db
        env["KARIRBOT_LOG_LEVEL"] = "warn"
        subprocess.run([a.bin, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        runs = [("first import (all new)", [first]),
                ("same file again (all unchanged)", [first]),
                ("1% with a new supervisor", [second]),
                ("dry run of the first file", [first, "--dry-run"])]
        for what, args in runs:
            wall, cpu, rss, out = timed([a.bin, "import", "employees", *args], env)
            print(f"  {what:34s} {a.rows / wall:9.0f} rows/s   ({wall:.2f} s wall, "
                  f"{cpu:.2f} s CPU, peak RSS {rss / 1024:.0f} MiB)")
            for line in out:
                print(f"      {line.strip()}")

        if a.rpi_rows > 0:
            today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 9 * 3600))  # WIT
            year = int(today[:4])
            plans = make_rpi(rows, a.rpi_rows, a.per_employee, year, today, rng)
            rpi_first = os.path.join(tmp, "rpi.csv")
            write_rpi(rpi_first, plans)
            progress = [dict(r) for r in plans]
            for r in rng.sample(progress, len(progress) // 10):
                r["status"], r["tanggal_selesai"] = "selesai", today
            rpi_second = os.path.join(tmp, "rpi-realisasi.csv")
            write_rpi(rpi_second, progress)
            n_plans = len({r["nip"] for r in plans})
            print(f"karirbot bench_import rpi: {a.rpi_rows} activities in {n_plans} approved plans "
                  f"of {year}, {os.path.getsize(rpi_first) / 1e6:.1f} MB (BOM, ';', CRLF)")
            runs = [("first import (all new)", [rpi_first]),
                    ("same file again (all unchanged)", [rpi_first]),
                    ("dry run of the first file", [rpi_first, "--dry-run"]),
                    ("10% finished (JP recognised)", [rpi_second])]
            for what, args in runs:
                wall, cpu, rss, out = timed([a.bin, "import", "rpi", *args], env)
                print(f"  {what:34s} {a.rpi_rows / wall:9.0f} rows/s   ({wall:.2f} s wall, "
                      f"{cpu:.2f} s CPU, peak RSS {rss / 1024:.0f} MiB)")
                for line in out:
                    print(f"      {line.strip()}")
    finally:
        if a.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
