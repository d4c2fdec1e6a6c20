"""reminders: the service's reminder passes through the fake Bot API, with the clock injected
(KARIRBOT_FAKE_NOW) and the rules overridden to start a pass one second after start-up and to
work in small slices (KARIRBOT_DATA_DIR/dialogs/reminders.json).

1. Thursday 09:00 WITA on the demo organisation: each reminder is delivered once, as the outbox
   row written with its keys; a button on a reminder starts its flow. Dewi blocked the bot (a
   403 marked her chat): nothing is queued for her.
2. A restart at the same minute queues nothing again. Dewi writes: the next pass reaches her,
   her two reminders merged in one message. Friday: the new day's reminders, once.
3. 600 more employees, Monday: karirbot is SIGKILLed in the middle of a pass (slices committed,
   reminders being delivered) and restarted. Every reminder is recorded once and delivered; a
   message is repeated only if it was in flight at the kill; a stranger's /start, sent while
   the reminders are still going out, is answered before they are all delivered (replies
   before reminders)."""

import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import buttons, press  # noqa: E402

TODAY = "2026-11-19"             # a Thursday
THU_9 = 1795050000               # 2026-11-19 09:00 WITA (01:00 UTC)
FRI_9 = THU_9 + 86400
MON_9 = THU_9 + 4 * 86400        # 2026-11-23
DEWI, FAJAR = 4, 9
BULK, BULK_FROM = 600, 100000    # employees 100001..100600, chats 3000000000 + id
MAX_INFLIGHT = 8


def chat(employee_id):
    return 2000000000 + employee_id


def start_at(h, now):
    log_at = h.log_size() if h.logs else 0
    h.start(KARIRBOT_FAKE_NOW=now)
    return log_at


def wait_pass(h, what):
    """The current process's first pass ended and everything queued was sent."""
    h.wait_log(r"event=reminders\.pass end=done", 60, what=f"a reminder pass ({what})")
    h.wait_for(lambda: h.query("SELECT count(*) FROM outbox WHERE state = 0")[0][0] == 0, 60,
               f"the outbox drained ({what})")


def reminder_rows(h):
    return h.query("SELECT r.key, r.employee_id, r.local_date, r.outbox_id, o.chat_id, o.text, "
                   "o.state, o.priority FROM reminders_sent r JOIN outbox o ON o.id = r.outbox_id")


def check_delivered_once(h, rows, skip_chats=()):
    """Each outbox row carrying reminders reached its chat exactly once, with its text."""
    by_row = {}
    for key, emp, day, oid, chat_id, text, state, prio in rows:
        check(prio == 2, f"{key}: priority {prio}, not a reminder's")
        by_row[oid] = (chat_id, text, state)
    for oid, (chat_id, text, state) in by_row.items():
        if chat_id in skip_chats:
            continue
        got = [m for m in h.fake.sent_messages(chat_id) if m.text == text]
        check(len(got) == 1, f"outbox row {oid} delivered {len(got)} times to {chat_id}")
        check(state == harness.OUTBOX_SENT, f"outbox row {oid} in state {state}")
    return by_row


def phase_demo(h):
    h.seed_demo(TODAY)
    h.fake.block_chat(chat(DEWI))
    # Telegram lets a bot write only to people who wrote to it first: the linked demo
    # employees (all but Maya) open the menu. Dewi has blocked the bot since: the answer to
    # her gets 403 and her chat is marked blocked.
    # That happens at 05:00, when no reminder may go yet.
    ids = [h.fake.push_text(chat(e), "/menu", first_name=f"e{e}")
           for e in (1, 2, 3, 4, 5, 6, 7, 8, 9, 11)]
    start_at(h, THU_9 - 4 * 3600)
    h.wait_idle(ids, 60)
    h.wait_for(lambda: h.query("SELECT blocked_at IS NOT NULL FROM chats WHERE chat_id = ?",
                               chat(DEWI)) == [(1,)], 30, "Dewi's chat marked blocked")
    h.stop()
    start_at(h, THU_9)
    wait_pass(h, "Thursday")
    rows = reminder_rows(h)
    keys = {r[0] for r in rows}
    for key in ("kp_stalled:pr1:emp9:validasi_bkn/2026-11-07", "hr_digest:unit1:emp11:2026-11-19",
                "jp_pace:jp2026:emp2:2026-10-01"):
        check(key in keys, f"{key} was not sent: {sorted(keys)}")
    check(not any(k.startswith("jp_pace:") and ":emp8:" in k for k in keys),
          "a JP pace reminder went to the PPPK employee")
    check(not [r for r in rows if r[1] == DEWI], "a reminder was queued for a blocked chat")
    check(h.query("SELECT blocked_at IS NOT NULL FROM chats WHERE chat_id = ?",
                  chat(DEWI)) == [(1,)], "Dewi's chat is not marked blocked")
    check_delivered_once(h, rows)

    # A button on Fajar's reminder opens his promotion status. (He writes first: his session
    # from 05:00 expired, and the engine answers a press in an expired session with "button no
    # longer valid" before looking at the button — a card's buttons included.)
    n = len(h.fake.sent_messages(chat(FAJAR)))
    h.fake.push_text(chat(FAJAR), "/menu", first_name="Fajar")
    h.wait_for(lambda: len(h.fake.sent_messages(chat(FAJAR))) > n + 1, 30, "Fajar's menu")
    msg = next(m for m in h.fake.sent_messages(chat(FAJAR)) if m.text.startswith("<b>Pengingat"))
    label = h.locale["btn_rem_promotion"]
    check(label in buttons(msg), f"Fajar's reminder has no {label!r}: {list(buttons(msg))}")
    before = len(h.fake.sent_messages(chat(FAJAR)))
    press(h, chat(FAJAR), msg, label)
    h.wait_for(lambda: any("Pangkat/golongan" in m.visible
                           for m in h.fake.sent_messages(chat(FAJAR))[before:]), 30,
               "Fajar's promotion status after the reminder's button")
    h.stop()
    return len(rows)


def phase_restart_and_unblock(h, n_thursday):
    # The same minute again: every key is there, nothing is queued twice.
    start_at(h, THU_9)
    wait_pass(h, "Thursday again")
    check(len(reminder_rows(h)) == n_thursday, "a restart at the same minute sent again")
    # Dewi unblocks the bot and writes: the next pass reaches her, with Thursday's reminders.
    with h.fake._lock:  # the fake server's block, lifted (Telegram: she unblocked the bot)
        h.fake._blocked_chats.discard(chat(DEWI))
    n = len(h.fake.sent_messages(chat(DEWI)))
    h.fake.push_text(chat(DEWI), "/menu", first_name="Dewi")
    h.wait_for(lambda: len(h.fake.sent_messages(chat(DEWI))) > n, 30, "Dewi's menu")
    check(h.query("SELECT blocked_at FROM chats WHERE chat_id = ?", chat(DEWI)) == [(None,)],
          "writing did not clear Dewi's block")
    h.stop()
    start_at(h, THU_9)
    wait_pass(h, "Thursday after Dewi wrote")
    rows = reminder_rows(h)
    keys = {r[0] for r in rows}
    for key in ("rpi_soon:act3:emp4:2026-11-19", "rpi_due:act2:emp4:2026-11-13"):
        check(key in keys, f"{key} was not sent after Dewi wrote")
    check(len(rows) == n_thursday + 2, f"{len(rows) - n_thursday} new reminders, expected 2")
    check_delivered_once(h, rows)
    dewi = [m for m in h.fake.sent_messages(chat(DEWI)) if m.text.startswith("<b>Pengingat")]
    check(len(dewi) == 1 and "Kursus Analisis Data" in dewi[0].visible and
          "Seminar Transformasi Digital Pemerintahan" in dewi[0].visible,
          f"Dewi's reminders, merged: {dewi}")
    h.stop()

    # Friday: the new day's reminders, each once.
    start_at(h, FRI_9)
    wait_pass(h, "Friday")
    rows = reminder_rows(h)
    keys = {r[0] for r in rows}
    for key in ("hr_digest:unit1:emp11:2026-11-20", "rpi_due:act2:emp4:2026-11-20"):
        check(key in keys, f"{key} was not sent on Friday")
    check_delivered_once(h, rows)
    h.stop()


def add_bulk(h):
    h.execute(f"""
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {BULK})
        INSERT INTO employees(id, nip, name, asn_kind, grade, education, position,
                              position_kind, unit_id, supervisor_id, updated_at)
        SELECT {BULK_FROM} + i, printf('%018d', 180000000000000000 + i), 'Pegawai Uji ' || i,
               'PNS', 'III/a', 's1', 'Analis', 'pelaksana', 1, 2, 0 FROM n;
        INSERT INTO links(employee_id, user_id, chat_id, linked_at)
          SELECT id, 3000000000 + id, 3000000000 + id, 0 FROM employees WHERE id > {BULK_FROM};
        INSERT INTO rpi_plans(employee_id, year, status)
          SELECT id, 2026, 'disetujui' FROM employees WHERE id > {BULK_FROM};
        INSERT INTO rpi_activities(plan_id, form, title, competency, target_date, jp_planned,
                                   status, created_at, updated_at)
          SELECT id, 'kursus', 'Kursus Uji', 'teknis', '2026-11-30', 10, 'rencana', 0, 0
          FROM rpi_plans WHERE employee_id > {BULK_FROM};
    """)


def is_reminder(m):
    return m.chat_id > 3000000000 and m.text.startswith("<b>Pengingat")


def phase_kill(h):
    add_bulk(h)
    h.env_overrides.update({"KARIRBOT_RATE_GLOBAL": 150, "KARIRBOT_MAX_INFLIGHT": MAX_INFLIGHT})
    # Sunday night: the new employees open the menu (so the bot may write to them); no
    # reminder may go at this hour.
    start_at(h, MON_9 - 10 * 3600)
    ids = []
    with h.fake.batch():
        for i in range(1, BULK + 1):
            ids.append(h.fake.push_text(3000000000 + BULK_FROM + i, "/menu", first_name=f"p{i}"))
    h.wait_idle(ids, 60)
    h.stop()

    # Monday 09:00: killed while the pass is still queueing and the sender delivering.
    start_at(h, MON_9)
    h.wait_for(lambda: len([m for m in h.fake.sent_messages() if is_reminder(m)]) >= 40, 60,
               "the first reminders of Monday's pass delivered")
    h.kill()
    mid_pass = not re.search(r"event=reminders\.pass end=done", h.log_since(0))
    first_life = {m.chat_id for m in h.fake.sent_messages() if is_reminder(m)}
    bulk_keys = h.query("SELECT count(*) FROM reminders_sent WHERE employee_id > ?",
                        BULK_FROM)[0][0]
    print(f"  killed {'during' if mid_pass else 'after'} the pass: {bulk_keys} bulk reminders "
          f"recorded, {len(first_life)} delivered", flush=True)
    check(0 < bulk_keys, "nothing was recorded before the kill")
    # Every key written is in a committed slice with its outbox row: none without one.
    orphans = h.query("SELECT count(*) FROM reminders_sent r LEFT JOIN outbox o "
                      "ON o.id = r.outbox_id WHERE r.outbox_id IS NOT NULL AND o.id IS NULL")[0][0]
    check(orphans == 0, f"{orphans} keys without their outbox row")

    # Restarted: the pass goes over everyone again and queues the rest; while the reminders
    # are going out, a stranger's /start is answered before they are all delivered.
    start_at(h, MON_9)
    h.wait_for(lambda: len([m for m in h.fake.sent_messages() if is_reminder(m)]) >=
               len(first_life) + 20, 60, "reminders going out after the restart")
    stranger = h.fake.push_text(5555, "/start", first_name="Tamu")
    h.wait_for(lambda: h.greetings_to("Tamu"), 30, "the stranger's greeting")
    greeted = h.greetings()["Tamu"][0].t
    wait_pass(h, "Monday after the kill")
    h.wait_idle([stranger], 60)
    reminders = [m for m in h.fake.sent_messages() if is_reminder(m)]
    after_reply = len([m for m in reminders if m.t > greeted])
    print(f"  the stranger's reply came with {after_reply} of {len(reminders)} reminders still "
          f"to be delivered", flush=True)
    check(after_reply > 0, "the reply waited behind the reminders (replies go first)")

    rows = h.query("SELECT r.employee_id, r.key, r.outbox_id, o.state FROM reminders_sent r "
                   "JOIN outbox o ON o.id = r.outbox_id WHERE r.employee_id > ?", BULK_FROM)
    per_employee = collections.defaultdict(set)
    for emp, key, oid, state in rows:
        per_employee[emp].add(oid)
        check(state == harness.OUTBOX_SENT, f"{key}: outbox row {oid} not sent")
    check(len(per_employee) == BULK, f"{BULK - len(per_employee)} employees got no reminder")
    check(all(len(v) == 1 for v in per_employee.values()),
          "an employee's reminders were queued in more than one message")
    soon = h.query("SELECT count(*) FROM reminders_sent WHERE employee_id > ? AND key LIKE "
                   "'rpi_soon:%:2026-11-23'", BULK_FROM)[0][0]
    check(soon == BULK, f"{soon} RPI reminders for {BULK} employees")
    # Delivered: each bulk chat at least once; twice only if in flight at the kill.
    counts = collections.Counter(m.chat_id for m in reminders)
    missing = [e for e in per_employee if counts[3000000000 + e] == 0]
    check(not missing, f"{len(missing)} chats never got their reminder, e.g. {missing[:5]}")
    repeated = [c for c, n in counts.items() if n > 1]
    print(f"  {len(repeated)} reminders repeated after the kill", flush=True)
    check(len(repeated) <= MAX_INFLIGHT + 2, f"{len(repeated)} repeated: more than in flight")
    check(all(c in first_life for c in repeated),
          "a reminder delivered only after the kill was repeated")
    check(max(counts.values()) <= 2, "a reminder was delivered three times")


def body(h):
    # A pass one second after start-up, in slices of 20 people 100 ms apart (so a kill can
    # land in the middle of a pass).
    h.reminder_schedule(first_pass_seconds=1, slice_people=20, slice_pause_ms=100)
    h.env_overrides.update({"KARIRBOT_LOG_LEVEL": "debug"})
    n = phase_demo(h)
    phase_restart_and_unblock(h, n)
    phase_kill(h)


if __name__ == "__main__":
    harness.run_test("reminders", body)
