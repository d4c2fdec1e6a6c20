"""bench_bulk: a bulk reminder run through the sender's pacing (issue 6: "10,000 reminders at
30 msg/s take about six minutes, with no 429 caused by karirbot").

N linked employees (default 10,000) each have an RPI activity due in seven days. karirbot starts
on a Monday at 09:00 WITA (the clock injected), its first pass a second after start-up; the fake
Bot API answers 429 whenever more than 30 messages a second reach it (as Telegram does). Halfway
through, a stranger writes /start: the reply must not wait behind the reminders.

Prints: reminders queued and delivered, the time from the first to the last delivery and the rate,
the 429s the fake had to answer (karirbot's pacing should cause none), the stranger's reply
latency. Exits non-zero if a reminder is missing or repeated, or on any protocol violation.

    python3 tests/bench/bench_bulk.py --bin build/karirbot --source-dir . [--employees 10000]
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import harness  # noqa: E402
from harness import check  # noqa: E402
from test_broadcast import enforce_rate  # noqa: E402  (the fake's 429 above a rate)

MON_9 = 1795050000 + 4 * 86400  # 2026-11-23 09:00 WITA
FROM = 100000                   # employees FROM+1.., chats 3000000000 + id
RATE = 30


def is_reminder(m):
    return m.chat_id > 3000000000 and m.text.startswith("<b>Pengingat")


def add_employees(h, n):
    h.execute(f"""
        WITH RECURSIVE s(i) AS (SELECT {FROM + 1} UNION ALL SELECT i + 1 FROM s
                                WHERE i < {FROM + n})
        INSERT INTO employees(id, nip, name, asn_kind, grade, unit_id, supervisor_id)
          SELECT i, printf('19900101201501%04d', i % 10000) || i, 'Pegawai ' || i, 'PNS',
                 'III/a', 1, 2 FROM s;
        DELETE FROM links;  -- only the bulk employees' chats: the fake knows no other
        INSERT INTO links(employee_id, user_id, chat_id, linked_at)
          SELECT id, 3000000000 + id, 3000000000 + id, 0 FROM employees WHERE id > {FROM};
        INSERT INTO rpi_plans(employee_id, year, status)
          SELECT id, 2026, 'disetujui' FROM employees WHERE id > {FROM};
        INSERT INTO rpi_activities(plan_id, form, title, competency, target_date, jp_planned,
                                   status, created_at, updated_at)
          SELECT id, 'kursus', 'Kursus Uji', 'teknis', '2026-11-30', 10, 'rencana', 0, 0
          FROM rpi_plans WHERE employee_id > {FROM};
    """)


def run(h, n, rate):
    h.seed_demo(today="2026-11-23")
    add_employees(h, n)
    h.reminder_schedule(first_pass_seconds=1)
    if rate:
        h.env_overrides["KARIRBOT_RATE_GLOBAL"] = rate
    # Sunday night: every chat writes once (Telegram then knows it); no reminder at this hour.
    h.start(KARIRBOT_FAKE_NOW=MON_9 - 10 * 3600)
    with h.fake.batch():
        for i in range(1, n + 1):
            h.fake.push_message(3000000000 + FROM + i, kind="edited_message", text="(edit)")
    h.wait_for(lambda: h.query("SELECT count(*) FROM updates WHERE state <> 0")[0][0] >= n,
               600, "the edits to be recorded")
    h.stop()

    refused = enforce_rate(h.fake, RATE)
    h.start(KARIRBOT_FAKE_NOW=MON_9)

    # Polls count (cheap): a poll that walks every message holds Python's lock long enough to
    # delay the fake's reading of requests, which then seem to arrive in bursts.
    h.wait_for(lambda: h.fake.sent_count() >= n // 2, 3600, "half of the reminders")
    uid = h.fake.push_text(5555, "/start", first_name="Tamu")
    h.wait_for(lambda: h.greetings_to("Tamu"), 60, "the stranger's greeting")
    latency = h.greetings()["Tamu"][0].t - h.fake.handed_out_at(uid)
    h.wait_for(lambda: h.fake.sent_count() >= n + 1, 3600, "every reminder")
    got = [m for m in h.fake.sent_messages() if is_reminder(m)]
    first, last = got[0].t, got[-1].t
    chats = {m.chat_id for m in got}
    keys, rows = h.query("SELECT count(*), count(DISTINCT outbox_id) FROM reminders_sent "
                         "WHERE employee_id > ?", FROM)[0]
    print(f"karirbot bench_bulk: {n} employees, an RPI reminder each; karirbot paced at "
          f"{rate or 'its default'} msg/s, the fake's limit {RATE} msg/s")
    print(f"  reminders queued      {keys} in {rows} messages (merged per person)")
    print(f"  delivered             {len(got)} to {len(chats)} chats")
    print(f"  first to last         {last - first:.1f} s = {(last - first) / 60:.1f} min "
          f"({(len(got) - 1) / (last - first):.1f} msg/s)")
    print(f"  429 from the fake     {len(refused)}")
    print(f"  stranger's reply      {1000 * latency:.0f} ms after getUpdates handed it out")
    check(rows == n and len(got) == n and len(chats) == n,
          "a reminder was missing or repeated")
    h.stop()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--employees", type=int, default=10000)
    p.add_argument("--rate", type=float, help="KARIRBOT_RATE_GLOBAL (default: karirbot's)")
    args, rest = p.parse_known_args()
    harness.run_test("bench_bulk", lambda h: run(h, args.employees, args.rate), rest)


if __name__ == "__main__":
    main()
