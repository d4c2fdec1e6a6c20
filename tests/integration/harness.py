"""harness: runs the real karirbot binary against the fake Bot API (tests/fakebot).

Each integration test is one script, test_<name>.py, whose body receives a Harness:

    def body(h):
        h.start()
        uid = h.fake.push_text(1001, "/start", first_name="u1")
        h.wait_for(lambda: h.greetings_to("u1"), 30, "greeting for u1")

    if __name__ == "__main__":
        harness.run_test("greeting", body)

The harness owns a temporary directory (database, logs, token file), the fake server, and the
karirbot process. At the end of every test it checks what must always hold, whatever the test:
no request the fake server rejected as Telegram would (violations), the token in no log and not
in the database, no sanitizer report, and exit code 0 after SIGTERM (unless the test killed the
process itself). A failing test keeps its directory and prints the tail of every log.

Waits are polls with generous deadlines scaled by KARIRBOT_TEST_SLOWDOWN (set automatically to 3
for a binary built with AddressSanitizer); a fixed sleep is never used as an assertion.
"""

import argparse
import html
import json
import os
import shlex
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakebot"))

import fakebot  # noqa: E402  (path set up above)

TOKEN = "123456:TEST-secret-token-ABCdef"

# Update states and outbox states as the schema documents them.
UPDATE_PENDING, UPDATE_DONE, UPDATE_SKIPPED, UPDATE_DEAD = 0, 1, 2, 3
OUTBOX_PENDING, OUTBOX_SENT, OUTBOX_UNDELIVERABLE = 0, 1, 2

SANITIZER_MARKERS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:",
                     b"ERROR: UndefinedBehaviorSanitizer")


class TestFailure(Exception):
    """An assertion of the test failed."""


def load_locale(source_dir, lang):
    """The shipped catalog of lang: locales/<lang>.json and the area files locales/<lang>/."""
    with open(os.path.join(source_dir, "locales", lang + ".json"), encoding="utf-8") as f:
        catalog = json.load(f)
    parts = os.path.join(source_dir, "locales", lang)
    for name in sorted(os.listdir(parts)) if os.path.isdir(parts) else []:
        if name.endswith(".json"):
            with open(os.path.join(parts, name), encoding="utf-8") as f:
                catalog.update(json.load(f))
    return catalog


def check(condition, message):
    """Raises TestFailure(message) when condition is false (asserts vanish under python -O)."""
    if not condition:
        raise TestFailure(message)


def _is_asan_binary(path):
    try:
        with open(path, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


class Harness:
    def __init__(self, name, args):
        self.name = name
        self.bin = os.path.abspath(args.bin)
        self.source_dir = os.path.abspath(args.source_dir)
        self.seed = args.seed
        self.keep = args.keep
        self.token = TOKEN
        # KARIRBOT_TEST_WRAPPER runs every karirbot process under a tool (valgrind in
        # tests/run.sh); a tool that finds an error makes the process exit non-zero.
        self.wrapper = shlex.split(os.environ.get("KARIRBOT_TEST_WRAPPER", ""))
        slowdown = os.environ.get("KARIRBOT_TEST_SLOWDOWN")
        default_slowdown = 25.0 if self.wrapper else 3.0 if _is_asan_binary(self.bin) else 1.0
        self.slowdown = float(slowdown) if slowdown else default_slowdown
        self.tmp = tempfile.mkdtemp(prefix=f"karirbot-it-{name}-")
        self.db_path = os.path.join(self.tmp, "karirbot.db")
        self.locale = load_locale(self.source_dir, "id")
        # A stranger is welcomed: {salutation} is the neutral Bapak/Ibu.
        welcome = self.locale["start_welcome"].replace("{salutation}", self.locale["sal_unknown"])
        prefix, _, suffix = welcome.partition("{name}")
        self._greeting_prefix = fakebot.visible_text(prefix)
        self._greeting_suffix = fakebot.visible_text(suffix)
        self.fake = fakebot.FakeBot(self.token, seed=self.seed).start()
        self.proc = None
        self.logs = []           # one file per karirbot process started
        self.killed = False      # the current process was SIGKILLed on purpose
        self.reaped = False      # the test waited for the current process's exit
        self.exit_codes = []     # (argv, exit code) of every process the test waited for
        self.allow_poll_overlap = False
        self.env_overrides = {}
        self.soft_failures = []  # checks that failed without stopping the test
        self._start_calls = 0    # fake call count when the current process started

    # ---- timing ---------------------------------------------------------------------------

    def t(self, seconds):
        """A deadline scaled for slow builds (sanitizers) and loaded machines."""
        return seconds * self.slowdown

    def wait_for(self, predicate, timeout, what, expect_running=True):
        """Polls predicate until it returns a true value, which is returned. Fails with what
        (and the log tail) after timeout (scaled), or at once if karirbot died meanwhile."""
        deadline = time.monotonic() + self.t(timeout)
        while True:
            value = predicate()
            if value:
                return value
            if expect_running and self.proc is not None and self.proc.poll() is not None:
                raise TestFailure(f"karirbot exited with code {self.proc.returncode} while "
                                  f"waiting for: {what}")
            if time.monotonic() >= deadline:
                raise TestFailure(f"timed out after {self.t(timeout):.0f}s waiting for: {what}")
            time.sleep(0.02)

    # ---- process --------------------------------------------------------------------------

    def env(self, **overrides):
        """The environment for karirbot: the parent's minus any KARIRBOT_* (and systemd's
        CREDENTIALS_DIRECTORY, another token source), plus test settings; an override of None
        removes a variable."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("KARIRBOT_") and k != "CREDENTIALS_DIRECTORY"}
        env.update({
            "KARIRBOT_TOKEN": self.token,
            "KARIRBOT_API_URL": self.fake.url,
            "KARIRBOT_DB": self.db_path,
            "KARIRBOT_DATA_DIR": self.source_dir,
            "KARIRBOT_POLL_TIMEOUT": "1",
            "KARIRBOT_LOG_LEVEL": "info",
            "KARIRBOT_RETRY_BASE_MS": "100",
        })
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        for key, value in {**self.env_overrides, **overrides}.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = str(value)
        return env

    def run_command(self, *args, timeout=30, **overrides):
        """Runs karirbot with args to completion; returns (exit code, output text). Output is
        kept as a log too (so the token check covers it)."""
        log = self._new_log_path("-".join(args) or "cmd")
        with open(log, "wb") as out:
            proc = subprocess.run([*self.wrapper, self.bin, *args], env=self.env(**overrides), stdout=out,
                                  stderr=subprocess.STDOUT, timeout=self.t(timeout),
                                  cwd=self.tmp)
        self.logs.append(log)
        with open(log, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        return proc.returncode, text

    def migrate(self):
        rc, out = self.run_command("migrate")
        check(rc == 0, f"karirbot migrate exited {rc}: {out[-2000:]}")

    DEMO_USER_BASE = 2000000000  # a demo employee's Telegram user (and chat) id: this + id

    def seed_demo(self, today=None):
        """Migrates the database and loads the demo organisation (deploy/demo/demo.sql), with
        its dates relative to today (default: the real date in WITA, the demo's zone)."""
        self.migrate()
        if today is None:
            today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
        demo = os.path.join(self.source_dir, "deploy", "demo")
        parts = ["demo.sql"] + sorted(n for n in os.listdir(demo)
                                      if n.endswith(".sql") and n != "demo.sql")
        sql = ""
        for name in parts:
            with open(os.path.join(demo, name), encoding="utf-8") as f:
                sql += f.read() + "\n"
        conn = sqlite3.connect(self.db_path, timeout=self.t(10))
        try:
            conn.execute("CREATE TEMP TABLE seed(today TEXT NOT NULL)")
            conn.execute("INSERT INTO temp.seed VALUES(?)", (today,))
            conn.executescript(sql)
            conn.commit()
        finally:
            conn.close()

    def reminder_schedule(self, **schedule):
        """Makes the service read the shipped dialogs/reminders.json with these "schedule"
        entries changed (first_pass_seconds=1, ...), through an override directory
        (KARIRBOT_DATA_DIR) for every process the test starts from now on."""
        with open(os.path.join(self.source_dir, "dialogs", "reminders.json"),
                  encoding="utf-8") as f:
            rules = json.load(f)
        rules["schedule"].update(schedule)
        override = os.path.join(self.tmp, "override")
        os.makedirs(os.path.join(override, "dialogs"), exist_ok=True)
        with open(os.path.join(override, "dialogs", "reminders.json"), "w",
                  encoding="utf-8") as f:
            json.dump(rules, f, ensure_ascii=False, indent=1)
        self.env_overrides["KARIRBOT_DATA_DIR"] = override

    def demo_user(self, nip):
        """The Telegram user id (= private chat id) of a demo employee, by NIP."""
        rows = self.query("SELECT id FROM employees WHERE nip = ?", nip)
        check(rows, f"no demo employee with NIP {nip}")
        return self.DEMO_USER_BASE + rows[0][0]

    def start(self, wait_polling=True, **overrides):
        """Starts `karirbot run`; by default waits for its first getUpdates."""
        check(self.proc is None or self.proc.poll() is not None, "karirbot is already running")
        log = self._new_log_path("run")
        self.logs.append(log)
        self._start_calls = self.fake.call_count("getUpdates")
        with open(log, "wb") as out:
            self.proc = subprocess.Popen([*self.wrapper, self.bin, "run"], env=self.env(**overrides),
                                         stdout=out, stderr=subprocess.STDOUT, cwd=self.tmp,
                                         start_new_session=True)
        self.killed = False
        self.reaped = False
        if wait_polling:
            self.wait_polling()
        return self.proc

    def wait_polling(self, timeout=30):
        """Waits until the current process has called getUpdates."""
        self.wait_for(lambda: self.fake.call_count("getUpdates") > self._start_calls, timeout,
                      "karirbot's first getUpdates")

    def _new_log_path(self, what):
        return os.path.join(self.tmp, f"{len(self.logs) + 1:02d}-{what}.log")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=None, expect_rc=0):
        """Sends SIGTERM and waits for the exit; checks the exit code (expect_rc=None skips)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        rc = self.wait_exit(timeout if timeout is not None else 20)
        if expect_rc is not None:
            check(rc == expect_rc, f"karirbot exited {rc} after SIGTERM (expected {expect_rc}); "
                                   f"log: {self.logs[-1]}")
        return rc

    def kill(self):
        """SIGKILL: the process dies at an arbitrary instruction."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGKILL)
        self.killed = True
        self.wait_exit(20)

    def wait_exit(self, timeout):
        try:
            rc = self.proc.wait(self.t(timeout))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise TestFailure(f"karirbot did not exit within {self.t(timeout):.0f}s")
        self.exit_codes.append((self.proc.args, rc))
        self.reaped = True
        return rc

    # ---- logs -----------------------------------------------------------------------------

    def log_text(self, which=-1):
        """The captured output of one process (default: the latest)."""
        if not self.logs:
            return ""
        with open(self.logs[which], "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_size(self):
        return os.path.getsize(self.logs[-1]) if self.logs else 0

    def log_since(self, offset):
        with open(self.logs[-1], "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    def wait_log(self, pattern, timeout, since=0, what=None):
        """Waits for a line of the current log (from byte offset since) matching pattern."""
        regex = re.compile(pattern, re.I | re.M)
        return self.wait_for(lambda: regex.search(self.log_since(since)), timeout,
                             what or f"a log line matching {pattern!r}")

    @staticmethod
    def log_events(text):
        """Parses key=value log lines into dicts (values unquoted; free text may be lost)."""
        events = []
        for line in text.splitlines():
            fields = dict(m.groups() for m in re.finditer(r'(\w[\w.]*)=("(?:[^"\\]|\\.)*"|\S*)',
                                                           line))
            if "event" in fields:
                events.append(fields)
        return events

    # ---- database -------------------------------------------------------------------------

    def query(self, sql, *params):
        """Runs one read query on the database (WAL allows it while karirbot writes)."""
        conn = sqlite3.connect(self.db_path, timeout=self.t(10))
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def execute(self, sql):
        """Runs a write script (used only before karirbot starts, e.g. to add a trigger)."""
        conn = sqlite3.connect(self.db_path, timeout=self.t(10))
        try:
            conn.executescript(sql)
            conn.commit()
        finally:
            conn.close()

    def update_states(self):
        """update_id -> (state, attempts) for every row of the updates table."""
        return {uid: (state, attempts) for uid, state, attempts in
                self.query("SELECT update_id, state, attempts FROM updates")}

    def wait_idle(self, update_ids, timeout=30):
        """Waits until every update in update_ids is finished in the database, the fake server
        saw the offset confirmed past them, and no outbox row is pending."""
        ids = list(update_ids)
        highest = max(ids) if ids else 0

        def idle():
            states = self.update_states()
            unfinished = [u for u in ids if states.get(u, (UPDATE_PENDING, 0))[0] == UPDATE_PENDING]
            if unfinished:
                return False
            if self.fake.confirmed_offset() <= highest:
                return False
            return self.query("SELECT count(*) FROM outbox WHERE state = 0")[0][0] == 0
        self.wait_for(idle, timeout, f"{len(ids)} updates finished and the outbox drained")

    # ---- replies --------------------------------------------------------------------------

    def expected_visible(self, key, name=None, salutation=None):
        """What a user sees for locale key, with {name} as karirbot substitutes it and
        {salutation} as given (Bapak/Ibu, as for someone not linked, by default)."""
        template = self.locale[key].replace(
            "{salutation}", self.locale["sal_unknown"] if salutation is None else salutation)
        if name is not None:
            template = template.replace("{name}", html.escape(name, quote=False))
        return fakebot.visible_text(template)

    def greeting_name(self, sent):
        """The first_name a greeting was addressed to, or None if sent is no greeting."""
        v = sent.visible
        pre, suf = self._greeting_prefix, self._greeting_suffix
        if len(v) >= len(pre) + len(suf) and v.startswith(pre) and v.endswith(suf):
            return v[len(pre):len(v) - len(suf)]
        return None

    def greetings(self, chat_id=None):
        """name -> list of SentMessage for every greeting delivered."""
        out = {}
        for sent in self.fake.sent_messages(chat_id):
            name = self.greeting_name(sent)
            if name is not None:
                out.setdefault(name, []).append(sent)
        return out

    def greetings_to(self, *names):
        """True when every name has received at least one greeting."""
        got = self.greetings()
        return all(n in got for n in names)

    def messages_with(self, key, chat_id=None):
        """Delivered messages whose visible text is locale key (no substitution)."""
        want = self.expected_visible(key)
        return [m for m in self.fake.sent_messages(chat_id) if m.visible == want]

    # ---- end of test ----------------------------------------------------------------------

    def expect(self, condition, message):
        """Like check(), but the test goes on and fails at the end: for a detail that should
        not hide what the rest of the test would show."""
        if not condition:
            print(f"[{self.name}] EXPECTATION FAILED: {message}", flush=True)
            self.soft_failures.append(message)

    def finish(self):
        """The checks every test ends with."""
        if self.alive():
            self.stop(expect_rc=0)
        elif self.proc is not None and not self.reaped:
            check(False, f"karirbot exited on its own with code {self.proc.returncode}")
        violations = self.fake.violations()
        check(not violations, f"{len(violations)} fake-server violation(s): " +
              "; ".join(repr(v) for v in violations[:10]))
        if not self.allow_poll_overlap:
            n = self.fake.overlapping_polls()
            check(n == 0, f"{n} getUpdates call(s) overlapped a parked long poll "
                          f"(two pollers at once)")
        self.check_no_token_leak()
        self.check_no_sanitizer_report()
        check(not self.soft_failures, f"{len(self.soft_failures)} expectation(s) failed: " +
              "; ".join(self.soft_failures))

    def check_no_token_leak(self):
        """The secret half of the token must not appear in any log, not even cut off: every
        12-byte piece of it is searched for (a redaction that misses a truncated copy would
        still leak most of the token)."""
        secret_part = self.token.split(":", 1)[1].encode()
        pieces = {secret_part[i:i + 12] for i in range(len(secret_part) - 11)}
        for path in self.logs:
            with open(path, "rb") as f:
                data = f.read()
            leaked = [p.decode() for p in pieces if p in data]
            check(not leaked, f"the bot token appears in {path} (e.g. {leaked[0]!r})"
                  if leaked else "")
        for suffix in ("", "-wal", "-journal"):
            path = self.db_path + suffix
            if os.path.exists(path):
                with open(path, "rb") as f:
                    check(secret_part not in f.read(), f"the bot token appears in {path}")

    def check_no_sanitizer_report(self):
        for path in self.logs:
            with open(path, "rb") as f:
                data = f.read()
            for marker in SANITIZER_MARKERS:
                check(marker not in data, f"sanitizer report ({marker.decode()}) in {path}")

    def post_mortem(self):
        """Prints what helps to understand a failure, and keeps the directory."""
        calls_path = os.path.join(self.tmp, "fakebot-calls.log")
        try:
            self.fake.dump_calls(calls_path)
        except Exception as e:  # the dump must not hide the real failure
            print(f"(could not dump fake calls: {e})")
        for path in self.logs:
            with open(path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            print(f"---- last {min(len(lines), 40)} of {len(lines)} lines of {path}")
            for line in lines[-40:]:
                print("   ", line)
        print(f"---- fake server calls: {calls_path}")
        print(f"---- kept {self.tmp}")

    def cleanup(self, passed):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.fake.stop()
        if passed and not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="path of the karirbot binary")
    parser.add_argument("--source-dir", required=True, help="the karirbot source tree")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("KARIRBOT_TEST_SEED", "1")))
    parser.add_argument("--keep", action="store_true", help="keep the temp dir even on success")
    return parser.parse_args(argv)


def run_test(name, body, argv=None):
    """Runs body(harness) then the common end-of-test checks; exits 0 on success, 1 on failure."""
    args = parse_args(argv)
    h = Harness(name, args)
    print(f"[{name}] seed={h.seed} slowdown={h.slowdown:g} dir={h.tmp} api={h.fake.url}",
          flush=True)
    passed = False
    started = time.monotonic()
    try:
        body(h)
        h.finish()
        passed = True
    except TestFailure as e:
        print(f"[{name}] FAIL: {e}")
    except Exception:
        print(f"[{name}] ERROR:")
        traceback.print_exc(file=sys.stdout)
    if not passed:
        violations = h.fake.violations()
        for v in violations[:20]:
            print(f"    violation: {v!r}")
        h.post_mortem()
    h.cleanup(passed)
    print(f"[{name}] {'PASS' if passed else 'FAIL'} in {time.monotonic() - started:.1f}s",
          flush=True)
    sys.exit(0 if passed else 1)
