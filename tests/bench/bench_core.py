"""bench_core: how fast the karirbot core turns updates into replies, and at what cost.

Queues N /start updates from C private chats in the fake Bot API (tests/fakebot), starts
`karirbot run` with pacing off, waits until every reply has arrived, then stops it with SIGTERM.
Prints:
- updates/s from the first update handed out by getUpdates to the last reply received;
- karirbot CPU per update (user+sys, measured over that window from /proc, and for the whole run
  from the rusage of the exited process);
- peak RSS (VmHWM while running, ru_maxrss at exit);
- latency from an update being handed out to its reply arriving at the fake server: p50, p99;
- the fake server's own CPU share, so that a reader can see it was not the bottleneck.
Each reply is matched to its update by the unique first_name it greets.

This is not a ctest test: it prints figures. See README.md beside it.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakebot"))

import fakebot  # noqa: E402

TOKEN = "123456:BENCH-secret-token-ABCdef"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", required=True, help="the karirbot binary (a Release build)")
    p.add_argument("--source-dir", required=True, help="the karirbot source tree")
    p.add_argument("--updates", type=int, default=20000)
    p.add_argument("--chats", type=int, default=2000)
    p.add_argument("--max-inflight", type=int, default=None,
                   help="KARIRBOT_MAX_INFLIGHT (default: karirbot's own)")
    p.add_argument("--rate", type=float, default=0,
                   help="offer updates at this many per second while karirbot runs, instead of "
                        "queueing them all first (for latency when not saturated)")
    p.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    p.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    p.add_argument("--log-level", default="info", help="karirbot's KARIRBOT_LOG_LEVEL")
    return p.parse_args()


def proc_cpu_seconds(pid):
    """user+sys CPU seconds of a running process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def proc_status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def greeting_matcher(source_dir):
    with open(os.path.join(source_dir, "locales", "id.json"), encoding="utf-8") as f:
        template = json.load(f)["start_welcome"]
    prefix, _, suffix = template.partition("{name}")
    pre, suf = fakebot.visible_text(prefix), fakebot.visible_text(suffix)

    def name_of(visible):
        if visible.startswith(pre) and visible.endswith(suf):
            return visible[len(pre):len(visible) - len(suf)]
        return None
    return name_of


def run_migrate(args, env):
    out = subprocess.run([args.bin, "migrate"], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"karirbot migrate failed ({out.returncode}): {out.stderr}")


def queue_updates(fake, n, chats):
    """Returns name -> update_id; names are unique per update (b<index>)."""
    ids = {}
    with fake.batch():
        for i in range(n):
            name = f"b{i}"
            ids[name] = fake.push_text(1_000_000 + i % chats, "/start", first_name=name)
    return ids


def feed_updates(fake, n, chats, rate, ids):
    """Pushes n updates at `rate` per second, in 10 ms steps; fills ids as it goes."""
    start = time.monotonic()
    pushed = 0
    while pushed < n:
        due = min(n, int((time.monotonic() - start) * rate) + 1)
        with fake.batch():
            for i in range(pushed, due):
                name = f"b{i}"
                ids[name] = fake.push_text(1_000_000 + i % chats, "/start", first_name=name)
        pushed = due
        time.sleep(0.01)


def wait_until(predicate, timeout, interval):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def measure(args, fake, env, workdir):
    """Runs karirbot over the queued updates; returns the raw measurements."""
    log_path = os.path.join(workdir, "karirbot.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([args.bin, "run"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        if args.rate:
            if not wait_until(lambda: fake.call_count("getUpdates") > 0, 60, 0.001):
                sys.exit("karirbot never called getUpdates")
            feeder = threading.Thread(target=feed_updates, daemon=True,
                                      args=(fake, args.updates, args.chats, args.rate, args.ids))
            feeder.start()
        # The window starts when the first update is handed out.
        if not wait_until(lambda: fake.handed_out_ids() or proc.poll() is not None, 60, 0.001):
            sys.exit("karirbot never called getUpdates")
        if proc.poll() is not None:
            sys.exit(f"karirbot exited with {proc.returncode}; see {log_path}")
        cpu_start = proc_cpu_seconds(proc.pid)
        fake_cpu_start = fake.cpu_seconds()
        calls_start = fake.call_count()
        if not wait_until(lambda: fake.sent_count() >= args.updates or proc.poll() is not None,
                          args.timeout, 0.02):
            sys.exit(f"timed out: {fake.sent_count()} of {args.updates} replies")
        if proc.poll() is not None:
            sys.exit(f"karirbot exited with {proc.returncode}; see {log_path}")
        cpu_end = proc_cpu_seconds(proc.pid)
        fake_cpu_end = fake.cpu_seconds()
        calls_end = fake.call_count()
        hwm_kib = proc_status_kib(proc.pid, "VmHWM")
        proc.send_signal(signal.SIGTERM)
        _, status, rusage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if proc.returncode is None:
            proc.kill()
            proc.wait()
    return {
        "cpu_window_s": cpu_end - cpu_start,
        "fake_cpu_window_s": fake_cpu_end - fake_cpu_start,
        "fake_calls_window": calls_end - calls_start,
        "vm_hwm_kib": hwm_kib,
        "rusage_cpu_s": rusage.ru_utime + rusage.ru_stime,
        "ru_maxrss_kib": rusage.ru_maxrss,
        "exit_code": proc.returncode,
        "log": log_path,
    }


def analyse(args, fake, ids, raw):
    name_of = greeting_matcher(args.source_dir)
    handed = fake.handed_out_ids()
    first_reply = {}
    for sent in fake.sent_messages():
        name = name_of(sent.visible)
        if name is not None and name not in first_reply:
            first_reply[name] = sent.t
    missing = [n for n in ids if n not in first_reply]
    latencies = sorted(first_reply[n] - handed[u] for n, u in ids.items() if n in first_reply)
    start = min(handed.values())
    end = max(first_reply.values())
    window = end - start
    return {
        "updates": args.updates,
        "chats": args.chats,
        "missing_replies": len(missing),
        "duplicate_replies": len(fake.sent_messages()) - len(first_reply),
        "window_s": window,
        "updates_per_s": args.updates / window,
        "cpu_us_per_update": raw["cpu_window_s"] / args.updates * 1e6,
        "cpu_us_per_update_whole_run": raw["rusage_cpu_s"] / args.updates * 1e6,
        "peak_rss_kib": raw["vm_hwm_kib"],
        "ru_maxrss_kib": raw["ru_maxrss_kib"],
        "latency_p50_ms": percentile(latencies, 50) * 1000,
        "latency_p99_ms": percentile(latencies, 99) * 1000,
        "latency_max_ms": latencies[-1] * 1000 if latencies else float("nan"),
        "karirbot_cpu_share": raw["cpu_window_s"] / window,
        "fake_cpu_share": raw["fake_cpu_window_s"] / window,
        "fake_requests": raw["fake_calls_window"],
        "fake_us_per_request": raw["fake_cpu_window_s"] / max(1, raw["fake_calls_window"]) * 1e6,
        "violations": len(fake.violations()),
        "exit_code": raw["exit_code"],
    }


def report(r, args):
    offered = f"offered at {args.rate:g}/s" if args.rate else "all queued first"
    print(f"karirbot bench_core: {r['updates']} updates from {r['chats']} private chats, "
          f"{offered}, pacing off")
    print(f"  throughput      {r['updates_per_s']:10.0f} updates/s   "
          f"(first hand-out to last reply: {r['window_s']:.2f} s)")
    print(f"  karirbot CPU    {r['cpu_us_per_update']:10.1f} us/update   "
          f"({r['karirbot_cpu_share'] * 100:.0f}% of a core; whole run incl. start/stop "
          f"{r['cpu_us_per_update_whole_run']:.1f} us/update)")
    print(f"  peak RSS        {r['peak_rss_kib'] / 1024:10.1f} MiB         "
          f"(VmHWM; ru_maxrss {r['ru_maxrss_kib'] / 1024:.1f} MiB)")
    print(f"  latency         p50 {r['latency_p50_ms']:.1f} ms, p99 {r['latency_p99_ms']:.1f} ms, "
          f"max {r['latency_max_ms']:.1f} ms   (handed out -> reply received)")
    print(f"  fake server     {r['fake_cpu_share'] * 100:10.0f}% of a core   "
          f"({r['fake_requests']} requests, {r['fake_us_per_request']:.0f} us CPU each)")
    problems = []
    if r["missing_replies"]:
        problems.append(f"{r['missing_replies']} updates without a reply")
    if r["duplicate_replies"]:
        problems.append(f"{r['duplicate_replies']} duplicate replies")
    if r["violations"]:
        problems.append(f"{r['violations']} fake-server violations")
    if r["exit_code"] != 0:
        problems.append(f"exit code {r['exit_code']} after SIGTERM")
    if r["fake_cpu_share"] > 0.8:
        problems.append("the fake server used most of a core: it may have been the bottleneck")
    for p in problems:
        print(f"  WARNING: {p}")
    return not problems


def main():
    args = parse_args()
    workdir = tempfile.mkdtemp(prefix="karirbot-bench-")
    fake = fakebot.FakeBot(TOKEN, echo_violations=False).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KARIRBOT_")}
    env.update({
        "KARIRBOT_TOKEN": TOKEN, "KARIRBOT_API_URL": fake.url,
        "KARIRBOT_DB": os.path.join(workdir, "bench.db"), "KARIRBOT_DATA_DIR": args.source_dir,
        "KARIRBOT_POLL_TIMEOUT": "2", "KARIRBOT_PACING": "off", "KARIRBOT_LOG_LEVEL": args.log_level,
    })
    if args.max_inflight:
        env["KARIRBOT_MAX_INFLIGHT"] = str(args.max_inflight)
    ok = False
    try:
        run_migrate(args, env)
        args.ids = {}
        if not args.rate:
            args.ids = queue_updates(fake, args.updates, args.chats)
        raw = measure(args, fake, env, workdir)
        ids = args.ids
        result = analyse(args, fake, ids, raw)
        ok = report(result, args)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        fake.stop()
        if args.keep or not ok:
            print(f"  (kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
