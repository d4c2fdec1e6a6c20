"""admin_cli: the operator's commands beside the running service, on the demo organisation.
- `karirbot status` (text and --json): the schema version, counts, the outbox by kind, the
  last poll as the service records it, the last error once getUpdates fails, and the warning
  after an hour without a successful call (exit status 2);
- `karirbot purge` deletes conversation logs and delivered or undeliverable outbox rows past the
  retention period (KARIRBOT_RETENTION_DAYS) while people keep writing; younger rows and
  pending ones stay;
- `karirbot backup` copies the live database while people keep writing: the copy passes
  PRAGMA integrity_check, is a single file readable only by its owner, and is refused over an
  existing file;
- `karirbot role` names a unit's HR officer (units.hr_employee_id) and takes it back."""

import json
import os
import stat
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

DAY = 86400
OLD = 1500          # old rows of each kind the purge must delete
FAILED = 100        # of the old outbox rows, undeliverable ones
DEWI_NIP = "199003222015032001"


def status(h, *args):
    rc, out = h.run_command("status", "--json", *args)
    start = out.find("{")
    check(start >= 0, f"status --json printed no object (exit {rc}): {out}")
    return rc, json.loads(out[start:out.rfind("}") + 1])


def old_rows(h):
    """Conversations from 200 days ago, written before the young ones as the service does."""
    old = int(time.time()) - 200 * DAY
    h.execute(
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {OLD})"
        f" INSERT INTO conversation_log(chat_id, text, created_at)"
        f" SELECT 2000000005, 'lama ' || i, {old} + i FROM n;"
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {OLD})"
        f" INSERT INTO outbox(chat_id, kind, priority, text, state, created_at)"
        f" SELECT 2000000005, 0, 1, 'lama ' || i, CASE WHEN i <= {FAILED} THEN 2 ELSE 1 END,"
        f" {old} + i FROM n;"
        f"INSERT INTO outbox(chat_id, kind, priority, text, state, created_at)"
        f" VALUES(2000000005, 0, 1, 'kemarin', 1, {int(time.time()) - DAY});"
        f"INSERT INTO conversation_log(chat_id, text, created_at)"
        f" VALUES(2000000005, 'kemarin', {int(time.time()) - DAY});")


class Writers:
    """People writing /start all the time, from a few chats, while a command runs."""

    def __init__(self, h, base):
        self.h, self.base, self.ids, self.stop = h, base, [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        i = 0
        while not self.stop.is_set():
            self.ids.append(self.h.fake.push_text(self.base + i % 5, "/start", first_name="p"))
            i += 1
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def body(h):
    h.seed_demo()
    old_rows(h)

    # Before the service ever ran: no poll, a warning, exit status 2.
    rc, s = status(h)
    check(rc == 2 and s["last_poll_at"] is None and not s["ok"], f"status before start: {rc} {s}")
    check(any("never reached Telegram" in w for w in s["warnings"]), f"warnings: {s['warnings']}")
    check(s["schema_version"] == s["schema_latest"], f"schema: {s}")
    check((s["employees"], s["active"], s["linked"]) == (11, 11, 10), f"counts: {s}")
    check(s["outbox"]["failed"]["reply"] == FAILED and s["outbox"]["pending"]["total"] == 0,
          f"outbox: {s['outbox']}")

    h.start()
    h.wait_for(lambda: status(h)[1]["last_poll_at"], 30, "the service to note its first poll")
    rc, s = status(h)
    check(rc == 0 and s["ok"] and s["warnings"] == [], f"status of a running service: {rc} {s}")
    check(s["last_poll_age_s"] <= 60 and s["last_error"] is None, f"poll: {s}")
    rc, text = h.run_command("status")
    check(rc == 0 and "last poll" in text and "outbox undeliverable" in text
          and f"reply {FAILED}" in text, f"status text: {text}")

    # getUpdates fails: the error is recorded at once; after an hour the status warns.
    h.fake.set_faults("getUpdates", p5xx=1.0)
    h.wait_for(lambda: status(h)[1]["last_error"], 30, "the failure to be noted")
    rc, s = status(h)
    check("getUpdates" in s["last_error"] and "50" in s["last_error"], f"last error: {s}")
    rc, s = status(h, "--now", str(int(time.time()) + 3700))
    check(rc == 2 and any("no successful call to Telegram for 6" in w for w in s["warnings"]),
          f"an hour later: {rc} {s['warnings']}")
    h.fake.clear_faults()
    ok_before = s["last_poll_at"]
    h.wait_for(lambda: status(h)[1]["last_poll_at"] > ok_before - 1 and
               status(h)[1]["last_poll_age_s"] < 5, 30, "polling to recover")

    # purge while people write.
    with Writers(h, 8100) as w:
        rc, out = h.run_command("purge", KARIRBOT_RETENTION_DAYS=180)
    check(rc == 0, f"purge exited {rc}: {out}")
    check(f"{OLD} conversation log rows" in out and f"{OLD} outbox rows" in out,
          f"purge counts: {out}")
    h.wait_idle(w.ids)
    left = h.query("SELECT count(*) FROM conversation_log WHERE text LIKE 'lama%'")[0][0]
    check(left == 0, f"{left} old log rows left")
    check(h.query("SELECT count(*) FROM outbox WHERE text LIKE 'lama%'")[0][0] == 0,
          "old outbox rows left")
    check(h.query("SELECT count(*) FROM outbox WHERE text = 'kemarin'")[0][0] == 1,
          "a young row was purged")
    check(h.query("SELECT count(*) FROM conversation_log WHERE chat_id BETWEEN 8100 AND 8104")[0][0]
          == len(w.ids), "the writers' messages during the purge")
    rc, out = h.run_command("purge", "--older-than", "180")
    check(rc == 0 and "0 conversation log rows" in out, f"a second purge: {out}")

    # backup while people write.
    with Writers(h, 8200) as w:
        rc, out = h.run_command("backup", "kopi.db", "--pages", "4")
    check(rc == 0 and "quick_check" in out, f"backup exited {rc}: {out}")
    h.wait_idle(w.ids)
    copy = os.path.join(h.tmp, "kopi.db")
    check(stat.S_IMODE(os.stat(copy).st_mode) == 0o600, "the copy is readable by others")
    check(not os.path.exists(copy + "-wal"), "the copy is not a single file")
    conn = sqlite3.connect(copy)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        employees = conn.execute("SELECT count(*) FROM employees").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    check(integrity == [("ok",)], f"integrity_check of the copy: {integrity}")
    check(version == s["schema_latest"] and employees == 11 and mode == "delete",
          f"the copy: version {version}, {employees} employees, journal {mode}")
    rc, out = h.run_command("backup", "kopi.db")
    check(rc == 1 and "exists" in out, f"a backup over an existing file: {rc} {out}")

    # role: a unit's HR officer is what the flows read.
    rc, out = h.run_command("role", "grant", "--hr-unit", "BKPSDM", DEWI_NIP, "--by", "op")
    check(rc == 0 and "replaces" in out, f"role grant: {rc} {out}")
    check(h.query("SELECT hr_employee_id FROM units WHERE name = 'BKPSDM'") == [(4,)],
          "units.hr_employee_id after the grant")
    rc, out = h.run_command("role", "list")
    check(rc == 0 and "HR officer of BKPSDM" in out and "Dewi Lestari" in out and "by op" in out,
          f"role list: {out}")
    rc, out = h.run_command("role", "revoke", "--hr-unit", "BKPSDM", DEWI_NIP)
    check(rc == 0 and h.query("SELECT hr_employee_id FROM units WHERE name = 'BKPSDM'") ==
          [(None,)], f"role revoke: {rc} {out}")
    rc, out = h.run_command("role", "grant", "--admin", "199001012015031999")
    check(rc == 1 and "no employee" in out, f"an unknown NIP: {rc} {out}")

    rc, s = status(h)
    check(rc == 0 and s["outbox"]["failed"]["reply"] == 0, f"status at the end: {rc} {s}")


if __name__ == "__main__":
    harness.run_test("admin_cli", body)
