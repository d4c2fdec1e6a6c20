"""Transcript tests: a scripted `karirbot chat` session compared with the expected transcript.

tests/transcripts/<name>.in holds the lines typed; <name>.out the expected output. A line
`### restart +SECONDS` in the .in file ends the process and starts a new one on the same
database with the clock moved on (a restart, or time passing). `### data fixtures/engine` (first
line) uses that directory as the override directory; `### demo` (a first line) runs on the demo
organisation (`karirbot chat --demo`, as Dewi Lestari; `:as NIP` lines switch the person). Run
with --update to rewrite the .out files after reviewing a change."""

import argparse
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
        elif not line.startswith("### data") and line != "### demo":
            seg.append(line)
    yield now, seg


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
        for now, seg in segments(lines):
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
