"""Transcript tests: a scripted `karirbot chat` session compared with the expected transcript.

tests/transcripts/<name>.in holds the lines typed; <name>.out the expected output. A line
`### restart +SECONDS` in the .in file ends the process and starts a new one on the same
database with the clock moved on (a restart, or time passing). `### data fixtures/engine` (first
line) uses that directory as the override directory; `### demo` (a first line) runs on the demo
organisation (`karirbot chat --demo`, as Dewi Lestari; `:as NIP` lines switch the person). A
line `### invite NIP` (before the first input line) issues that employee an activation code with
`karirbot invite NIP --csv` on the transcript's database; `{code}` in the input lines stands for
the code as printed (K7QF-M2XP-9H) and `{link_code}` for its form in a deep link (K7QFM2XP9H).
The code is random, so the recorded output shows `{code}` wherever it appeared. Run with
--update to rewrite the .out files after reviewing a change."""

import argparse
import csv
import difflib
import os
import subprocess
import sys
import tempfile

BASE_NOW = 1795000000  # 2026-11-18, a Wednesday: fixed so transcripts never change with the day


def segments(lines):
    seg, now = [], BASE_NOW
    for line in lines:
        if line.startswith("### restart"):
            yield now, seg
            seg = []
            now += int(line.split("+", 1)[1]) if "+" in line else 0
        elif not line.startswith(("### data", "### invite")) and line != "### demo":
            seg.append(line)
    yield now, seg


def invite(args, name, env, demo, nips):
    """Runs `karirbot invite NIP --csv` for each NIP (after creating the demo organisation, when
    the transcript uses it) at the transcript's clock; returns (code, link code) of the last,
    () when there is none, or None on failure."""
    codes = ()
    if nips and demo:
        subprocess.run([args.bin, "chat", "--now", str(BASE_NOW)] + demo, input=b"", env=env,
                       capture_output=True, timeout=60, check=True)
    for nip in nips:
        proc = subprocess.run([args.bin, "invite", nip, "--csv", "--now", str(BASE_NOW)],
                              env=env, capture_output=True, timeout=60)
        rows = list(csv.DictReader(proc.stdout.decode("utf-8").splitlines()))
        if proc.returncode != 0 or len(rows) != 1:
            print(f"[{name}] karirbot invite {nip} exited {proc.returncode}:\n"
                  f"{proc.stderr.decode(errors='replace')}")
            return None
        codes = (rows[0]["code"], rows[0]["code"].replace("-", ""))
    return codes


def run_one(args, name):
    src = os.path.join(args.dir, name + ".in")
    with open(src, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    data_dir = "/nonexistent-karirbot-overrides"
    demo = []
    for line in lines[:2]:
        if line.startswith("### data "):
            data_dir = os.path.join(args.source_dir, "tests", line.split(" ", 2)[2])
        elif line == "### demo":
            demo = ["--demo"]
    with tempfile.TemporaryDirectory(prefix="karirbot-transcript-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KARIRBOT_")}
        env.update(KARIRBOT_DB=os.path.join(tmp, "chat.db"), KARIRBOT_DATA_DIR=data_dir,
                   KARIRBOT_LOG_LEVEL="error")
        out = b""
        codes = invite(args, name, env, demo, [l.split(" ", 2)[2] for l in lines
                                               if l.startswith("### invite ")])
        if codes is None:
            return False
        for now, seg in segments(lines):
            if codes:
                seg = [l.replace("{code}", codes[0]).replace("{link_code}", codes[1])
                       for l in seg]
            stdin = "".join(l + "\n" for l in seg).encode("utf-8", "surrogateescape")
            proc = subprocess.run([args.bin, "chat", "--now", str(now)] + demo, input=stdin, env=env,
                                  capture_output=True, timeout=60)
            out += proc.stdout
            if proc.returncode != 0:
                print(f"[{name}] karirbot chat exited {proc.returncode}:\n"
                      f"{proc.stderr.decode(errors='replace')}")
                return False
            out += b"### restart\n"
    got = out.decode("utf-8", "replace")
    if codes:
        got = got.replace(codes[0], "{code}").replace(codes[1], "{link_code}")
    expected_path = os.path.join(args.dir, name + ".out")
    if args.update:
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(got)
        print(f"[{name}] written")
        return True
    with open(expected_path, encoding="utf-8") as f:
        want = f.read()
    if got == want:
        print(f"[{name}] PASS")
        return True
    print(f"[{name}] FAIL: the transcript differs from {expected_path}")
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                               "expected", "got"))
    return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--source-dir", required=True)
    p.add_argument("--update", action="store_true")
    p.add_argument("names", nargs="*")
    args = p.parse_args()
    args.dir = os.path.join(args.source_dir, "tests", "transcripts")
    names = args.names or sorted(f[:-3] for f in os.listdir(args.dir) if f.endswith(".in"))
    results = [run_one(args, n) for n in names]
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
