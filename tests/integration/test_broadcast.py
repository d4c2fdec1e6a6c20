"""broadcast: `karirbot broadcast` beside the running service, through the fake Bot API with a
rate limit enforced by the fake (5 messages per second overall, as Telegram enforces its own
30) and karirbot paced at that rate: every recipient gets the announcement exactly once, the
fake never has to answer 429, a blocked chat, an inactive employee and other units get
nothing, and a person who writes during the broadcast is answered before the broadcast's
remaining messages (replies go first: DESIGN invariant 3). Running the same command again is
refused; --dry-run queues nothing."""

import collections
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
import fakebot  # noqa: E402  (harness put it on the path)

RATE = 5            # KARIRBOT_RATE_GLOBAL for this test, and the fake's limit
WINDOW = 2.0        # seconds the fake counts over: a busy test machine may delay its reading of
SLACK = 2           # a request or two, which then seem to arrive together
UNIT = "Dinas Pendidikan"
STAFF = 40          # employees 201..240 of the unit, chats 5000000201..
BLOCKED = 5000000203
INACTIVE = 205      # an employee who left (active = 0)
WRITER = 7701       # someone not linked who writes /start during the broadcast
TEXT = ("<b>Pengumuman BKPSDM</b>\n\nPendaftaran Latsar CPNS angkatan II dibuka sampai "
        "12 Januari 2027. Info &amp; jadwal: <a href=\"https://bkpsdm.example.go.id\">laman</a>.")


def enforce_rate(fake, per_second):
    """Makes the fake refuse a sendMessage with 429 (as Telegram does) when more than
    per_second * WINDOW + SLACK reached it in the last WINDOW seconds (twice the rate is 20 in
    two seconds: far over). Returns the list of refusals."""
    accepted = collections.deque()
    refused = []
    original = fake._m_sendMessage  # runs on the fake's loop thread, under its lock

    def limited(conn, call, params):
        while accepted and accepted[0] <= call.t - WINDOW:
            accepted.popleft()
        if len(accepted) >= per_second * WINDOW + SLACK:
            refused.append(call.t)
            call.note = "rate limit"
            fake._finish(conn, call, 429, fakebot._error_body(
                429, "Too Many Requests: retry after 1", retry_after=1))
            return
        accepted.append(call.t)
        original(conn, call, params)

    fake._m_sendMessage = limited
    return refused


def add_staff(h):
    """A third unit with STAFF linked employees, one of whose chats blocked the bot."""
    h.execute(
        f"INSERT INTO units(id, name, zone) VALUES(3, '{UNIT}', 'WITA');"
        f"WITH RECURSIVE n(i) AS (SELECT 201 UNION ALL SELECT i + 1 FROM n WHERE i < {200 + STAFF})"
        " INSERT INTO employees(id, nip, name, asn_kind, grade, unit_id)"
        " SELECT i, '1988020220120310' || printf('%02d', i - 200), 'Guru ' || i, 'PNS', 'III/b', 3"
        " FROM n;"
        " INSERT INTO links(employee_id, user_id, chat_id, linked_at)"
        " SELECT id, 5000000000 + id, 5000000000 + id, 0 FROM employees WHERE unit_id = 3;"
        f" INSERT INTO chats(chat_id, kind, first_seen, last_seen, blocked_at)"
        f" VALUES({BLOCKED}, 0, 0, 0, 1);"
        f" UPDATE employees SET active = 0 WHERE id = {INACTIVE};")


def broadcast(h, *args):
    """Runs `karirbot broadcast` beside the service; returns (exit code, output)."""
    return h.run_command("broadcast", "--unit", UNIT, "--text-file", "pengumuman.txt", *args,
                         KARIRBOT_RATE_GLOBAL=RATE)


def body(h):
    h.seed_demo()
    add_staff(h)
    # Relative names: commands run in h.tmp, and the harness names each log after the arguments.
    with open(os.path.join(h.tmp, "pengumuman.txt"), "w", encoding="utf-8", newline="\r\n") as f:
        f.write(TEXT + "\n")  # as Notepad saves it: CRLF
    chats = [5000000000 + i for i in range(201, 201 + STAFF)]
    recipients = [c for c in chats if c not in (BLOCKED, 5000000000 + INACTIVE)]
    refused = enforce_rate(h.fake, RATE)
    h.start(KARIRBOT_RATE_GLOBAL=RATE)
    # The recipients have written to the bot before (their chats exist for the fake); an edit
    # of an old message is all they send, which karirbot records and skips.
    for c in chats:
        h.fake.push_message(c, kind="edited_message", text="(edited)")
    h.wait_for(lambda: h.query("SELECT count(*) FROM updates WHERE state <> 0")[0][0] >= STAFF,
               30, "the edits to be skipped")

    rc, out = broadcast(h, "--dry-run")
    check(rc == 0, f"dry run exited {rc}: {out}")
    n = len(recipients)
    check(f"{n} recipients" in out, f"dry run output: {out}")
    check("1 whose chat blocked karirbot skipped" in out, f"dry run output: {out}")
    check(re.search(r"delivery takes about (7|8|9) seconds", out), f"the estimate: {out}")
    check(h.query("SELECT count(*) FROM outbox WHERE priority = 3")[0][0] == 0,
          "the dry run queued rows")

    started = time.monotonic()
    rc, out = broadcast(h)
    check(rc == 0 and f"Queued {n} messages" in out, f"broadcast exited {rc}: {out}")
    want = fakebot.visible_text(TEXT)

    def got(chat):
        return [m for m in h.fake.sent_messages(chat) if m.visible == want]

    # Someone writes while the broadcast is being sent: the reply does not queue behind it.
    h.wait_for(lambda: sum(1 for c in recipients if got(c)) >= 5, 20, "the first messages")
    uid = h.fake.push_text(WRITER, "/start", first_name="w1")
    h.wait_for(lambda: h.greetings_to("w1"), 20, "the reply to the writer")
    handed = h.fake.handed_out_at(uid)
    reply = h.greetings()["w1"][0]
    print(f"reply to a person writing during the broadcast: {1000 * (reply.t - handed):.0f} ms "
          f"after getUpdates handed the message out")
    check(reply.t - handed <= h.t(2.0), f"the reply took {reply.t - handed:.2f}s")

    h.wait_for(lambda: all(got(c) for c in recipients), 60, "every recipient's message")
    after = sum(1 for c in recipients for m in got(c) if m.t > reply.t)
    check(after >= 5, f"only {after} broadcast messages were sent after the reply: it waited")
    times = sorted(m.t for c in recipients for m in got(c))
    print(f"{n} messages in {times[-1] - times[0]:.1f}s: {(n - 1) / (times[-1] - times[0]):.2f} "
          f"per second at KARIRBOT_RATE_GLOBAL={RATE} ({time.monotonic() - started:.1f}s after "
          f"the command started)")
    h.wait_idle([])
    for c in recipients:
        check(len(got(c)) == 1, f"chat {c} got the broadcast {len(got(c))} times")
    for c in (BLOCKED, 5000000000 + INACTIVE):
        check(not h.fake.sent_messages(c), f"chat {c} got a message")
    demo_chats = [r[0] for r in h.query("SELECT chat_id FROM links WHERE employee_id < 100")]
    check(not any(h.fake.sent_messages(c) for c in demo_chats), "another unit got it")
    check(not refused, f"the fake refused {len(refused)} sends over {RATE}/s: karirbot's pacing "
                       f"let too many through")
    throttled = [c for c in h.fake.calls("sendMessage") if c.status == 429]
    check(not throttled, f"{len(throttled)} sendMessage calls got 429")
    rows = h.query("SELECT state, count(*) FROM outbox WHERE priority = 3 GROUP BY state")
    check(rows == [(harness.OUTBOX_SENT, n)], f"broadcast rows by state: {rows}")
    recorded = h.query("SELECT recipients, queued, finished_at IS NOT NULL, text FROM broadcasts")
    check(recorded == [(n, n, 1, TEXT)], f"the broadcast's record: {recorded}")

    # The same command again: refused, nothing queued. With --again it would be sent.
    rc, out = broadcast(h)
    check(rc == 1 and "already queued" in out and "--again" in out, f"a repeat: {rc} {out}")
    check(h.query("SELECT count(*) FROM outbox WHERE priority = 3")[0][0] == n,
          "the repeat queued rows")

    # A text Telegram would refuse is refused here, before anything is queued.
    with open(os.path.join(h.tmp, "rusak.txt"), "w", encoding="utf-8") as f:
        f.write("Rapat <b>penting & mendesak</b>")
    rc, out = h.run_command("broadcast", "--all", "--text-file", "rusak.txt")
    check(rc == 1 and "&amp;" in out, f"an unescaped &: {rc} {out}")


if __name__ == "__main__":
    harness.run_test("broadcast", body)
