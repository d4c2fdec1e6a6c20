"""hostile_text: names and free text carrying HTML, Telegram markup, SQL, control characters,
right-to-left overrides, invalid UTF-8 and 64 KB strings, through the real binary and the fake
Bot API (issue 7, part 2).

1. Telegram's first_name of eight strangers sending /start: each is greeted, the name shown
   exactly as typed (escaped in the HTML karirbot sends), cut to Telegram's 64 characters, an
   invalid byte shown as U+FFFD — and a broken name never makes karirbot refuse the message.
2. An HR-recorded name with HTML, quotes and SQL (Dewi's) appears verbatim on her
   supervisor's cards.
3. Every free-text question Dewi and her supervisor reach — the title of a new RPI activity,
   the reason of a training registration, the goal of a mentoring request, the reason of a
   rejection — first gets each hostile string that must be refused, and answers each with its
   reason (the question is asked again, nothing is stored); then one string that carries
   every accepted hazard at once, which is stored verbatim and shown verbatim (escaped) to
   everyone who sees it. The number and date questions refuse SQL too.

No call the fake server would reject (400, unbalanced HTML, over 4096 characters) happens
anywhere: the harness fails the test on any violation, and every sendMessage and
editMessageText is checked to have been answered 200."""

import datetime
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import (open_registration, buttons, fragment, messages_with, press, wait_button,  # noqa: E402
                    wait_message)

DEWI_NIP = "199003222015032001"
HENDRA_NIP = "197804152003121004"
RATNA_NIP = "197512082000032002"
AREA = "kebijakan publik"
PYTHON = "Bimbingan Teknis Analisis Data dengan Python"

# Dewi's name as HR might have typed it into the personnel system.
NASTY_NAME = 'Dewi <b>"Lestari"</b> & Co\'); DROP TABLE employees;--'

# Every hazard a free-text answer may carry and still be accepted: tags and a link, Telegram
# markup, SQL, entities that must stay text, a stray closing tag, emoji with joiners, a
# right-to-left script without explicit controls.
ACCEPTED = ('<b>Kursus</b> <a href="https://evil.example/?a=1&b=2">Data</a> </i> *x* _y_ `z` '
            "||s|| ~t~ '); DROP TABLE rpi_activities;-- &amp; &lt;i&gt; "
            "\U0001F469\U0001F3FD\u200D\U0001F4BB \u0645\u0631\u062D\u0628\u0627")
REASON = ("Belum <i>sesuai</i> & </b> '; DELETE FROM approvals; -- \"kutip\" *tebal* "
          "<script>alert(1)</script> \U0001F600")

# What must be refused, with the reason the person is given. (Invalid UTF-8 cannot be
# written as a str: it is sent as raw bytes, see say_raw.)
REFUSED = [
    ("control characters", "Kursus\x01Data\x07\x1b[31m", "invalid_text_chars"),
    ("a right-to-left override", "Kursus Data \u202E21 JP", "invalid_text_chars"),
    ("an isolate", "Kursus \u2067Data\u2069 lanjutan", "invalid_text_chars"),
    ("64 KB", "A" * 65536, "invalid_too_long"),
    ("64 KB of HTML specials", "<&>" * 21846, "invalid_too_long"),
    ("only spaces", " \t\n ", "invalid_empty"),
]

# first_name of a stranger -> the name as the greeting must show it.
NAMES = [
    '<b>Tebal</b> <a href="https://evil.example">x</a> &amp;',
    "*Tebal* _miring_ [tautan](http://e.example) `kode` ||spoiler||",
    "Robert'); DROP TABLE chats;--",
    "Ctrl\x01\x07\x1b[31m",
    "Nama\u202Etxt.exe",
    "\U0001F469\U0001F3FD\u200D\U0001F4BB \u0645\u0631\u062D\u0628\u0627",
    "N" * 65536,
    "<&>" * 21846,
]


def shown_name(name):
    """What karirbot may show of a first_name: Telegram's 64 characters at most."""
    return name[:64]


def say(h, chat, text, name="Dewi"):
    n = len(h.fake.sent_messages(chat))
    h.fake.push_text(chat, text, first_name=name)
    return n


def say_raw(h, chat, text_bytes, name_bytes=b"Dewi"):
    """A message whose text (or first_name) is raw bytes, invalid UTF-8 included."""
    uid = h.fake.next_update_id()
    h.fake.push_raw_update_bytes(
        b'{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,'
        b'"first_name":"%s","language_code":"id"},"chat":{"id":%d,"type":"private",'
        b'"first_name":"x"},"date":%d,"text":"%s"}}'
        % (uid, 900000 + uid % 100000, chat, name_bytes, chat, int(time.time()), text_bytes))
    return uid


def refuse_all(h, chat, state, name="Dewi"):
    """At a free-text question: each REFUSED string and an invalid UTF-8 text are refused with
    their reason, and the question stays open (the next answer is still taken by it)."""
    for label, text, reason in REFUSED:
        before = len(messages_with(h, chat, reason))
        say(h, chat, text, name)
        msg = wait_message(h, chat, reason, before)
        check(text[:40] not in msg.visible or len(text) < 8,
              f"{label}: the refusal repeats the answer: {msg.visible[:200]!r}")
    before = len(messages_with(h, chat, "unreadable_text"))
    say_raw(h, chat, b"Kursus \xff\xfe Data \xc3")
    wait_message(h, chat, "unreadable_text", before)
    session = h.query("SELECT state FROM sessions WHERE chat_id = ?", chat)
    check(session == [(state,)], f"the session after the refusals: {session}, expected the "
                                 f"question {state!r} still open")


def check_shown(visible, text, where):
    """visible shows text verbatim, or (a card's one-line summary) its first 40 characters or
    more followed by an ellipsis."""
    if text in visible:
        return
    for cut in range(len(text) - 1, 39, -1):
        if text[:cut].rstrip() + "…" in visible or text[:cut] + "…" in visible:
            return
    check(False, f"{where} does not show {text!r} verbatim: {visible!r}")


def check_delivered_ok(h):
    """Every message and edit karirbot sent was accepted (no 400 from the server)."""
    bad = [c for c in h.fake.calls() if c.method in ("sendMessage", "editMessageText")
           and c.status not in (200, None)]
    check(not bad, f"{len(bad)} send(s) refused by the server: {bad[:3]}")


def part_names(h):
    """Strangers' first names in the welcome."""
    chats = []
    for i, name in enumerate(NAMES):
        chat = 8700 + i
        say(h, chat, "/start", name)
        chats.append((chat, name))
    bad_chat = 8799
    say_raw(h, bad_chat, b"/start", name_bytes=b"Bad\xff\xfeName\xc3")
    for chat, name in chats:
        want = h.expected_visible("start_welcome", name=shown_name(name))
        h.wait_for(lambda c=chat, w=want: [m for m in h.fake.sent_messages(c) if m.visible == w],
                   30, f"the welcome of chat {chat} showing its name verbatim")
    want = h.expected_visible("start_welcome", name="Bad\ufffd\ufffdName\ufffd")
    h.wait_for(lambda: [m for m in h.fake.sent_messages(bad_chat) if m.visible == want], 30,
               "the welcome of a name with invalid UTF-8, repaired")
    check(not messages_with(h, bad_chat, "unreadable_text"),
          "a broken first_name made karirbot refuse a readable /start")
    dead = h.query("SELECT update_id, reason FROM dead_letters")
    check(not dead, f"a greeting became a dead letter: {dead}")


def part_rpi(h, dewi, hendra):
    """The title of a new RPI activity, then Hendra's rejection reason."""
    n = say(h, dewi, "/rpi")
    overview = wait_button(h, dewi, h.locale["btn_rpi_add"], n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, overview, h.locale["btn_rpi_add"])
    forms = wait_button(h, dewi, "Kursus", n)
    press(h, dewi, forms, "Kursus")
    wait_message(h, dewi, "rpi_add_title")
    activities_before = h.query("SELECT count(*) FROM rpi_activities")
    refuse_all(h, dewi, "add_title")
    long_title = "Judul" + "x" * 175  # 180 characters: over this question's 150
    before = len(messages_with(h, dewi, "invalid_text_too_long"))
    say(h, dewi, long_title)
    msg = wait_message(h, dewi, "invalid_text_too_long", before)
    check("150" in msg.visible and "180" in msg.visible, f"the length refusal: {msg.visible!r}")
    check(h.query("SELECT count(*) FROM rpi_activities") == activities_before,
          "a refused title was stored")

    n = say(h, dewi, ACCEPTED)
    competency = wait_button(h, dewi, h.locale["btn_rpi_comp_teknis"], n)
    press(h, dewi, competency, h.locale["btn_rpi_comp_teknis"])
    wait_message(h, dewi, "rpi_add_date")
    refusals = [fragment(h, k) for k in ("invalid_date_format", "invalid_date_no_such_day")]
    for text in ("12-12-2030'; DROP TABLE rpi_plans;--", "<b>1</b>-01-2031"):
        before = len(h.fake.sent_messages(dewi))
        say(h, dewi, text)
        h.wait_for(lambda b=before: [m for m in h.fake.sent_messages(dewi)[b:]
                                     if any(r in m.visible for r in refusals)], 30,
                   f"the refusal of the date {text!r}")
    now = datetime.datetime.now(datetime.timezone.utc)
    target = (now + datetime.timedelta(hours=8, days=30)).date()
    say(h, dewi, target.strftime("%d-%m-%Y"))
    wait_message(h, dewi, "rpi_add_jp_minutes")
    before = len(messages_with(h, dewi, "invalid_int_format"))
    say(h, dewi, "12; DROP TABLE rpi_activities")
    wait_message(h, dewi, "invalid_int_format", before)
    n = say(h, dewi, "12")
    summary = wait_button(h, dewi, h.locale["btn_rpi_send"], n)
    check(ACCEPTED in summary.visible, f"the summary does not show the title verbatim: "
                                       f"{summary.visible!r}")
    press(h, dewi, summary, h.locale["btn_rpi_send"])
    wait_message(h, dewi, "rpi_add_sent")
    card = wait_message(h, hendra, "approval_card_rpi_activity")
    check(NASTY_NAME in card.visible, f"Hendra's card does not show the name verbatim: "
                                      f"{card.visible!r}")
    check_shown(card.visible, ACCEPTED, "Hendra's card")
    rows = h.query("SELECT a.id, a.title FROM rpi_activities a JOIN rpi_plans p "
                   "ON p.id = a.plan_id WHERE p.employee_id = 4 AND a.title = ?", ACCEPTED)
    check(len(rows) == 1, f"the title is not stored verbatim: {rows}")
    activity = rows[0][0]

    # Hendra rejects, with a hostile reason.
    press(h, hendra, card, h.locale["btn_reject"])
    wait_message(h, hendra, "approval_ask_reason")
    refuse_all(h, hendra, "ask_reason", "Hendra")
    told_before = len(messages_with(h, dewi, "rpi_note_activity_rejected"))
    say(h, hendra, REASON, "Hendra")
    told = wait_message(h, dewi, "rpi_note_activity_rejected", told_before)
    check("Alasan: " + REASON in told.visible, f"what Dewi was told: {told.visible!r}")
    check_shown(told.visible, ACCEPTED, "the notice to Dewi")
    stored = h.query("SELECT status, reason FROM approvals WHERE kind = 'rpi_activity' "
                     "AND subject_id = ?", activity)
    check(stored == [("ditolak", REASON)], f"the rejection is not stored verbatim: {stored}")

    def edited():
        return [c for c in h.fake.calls("editMessageText") if c.status == 200 and
                str(c.params.get("chat_id")) == str(hendra) and
                str(c.params.get("message_id")) == str(card.message_id)]
    h.wait_for(edited, 30, "the card edited with the outcome")
    from fakebot import visible_text
    shown = visible_text(edited()[-1].params["text"])
    check(REASON in shown, f"the edited card: {shown!r}")
    check_shown(shown, ACCEPTED, "the edited card")


def part_training(h, dewi, hendra):
    open_registration(h, dewi, PYTHON, say(h, dewi, "/pelatihan"))
    refuse_all(h, dewi, "ask_reason")
    n = say(h, dewi, REASON)
    options = wait_button(h, dewi, h.locale["btn_training_no_rpi"], n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, options, h.locale["btn_training_no_rpi"])
    summary = wait_button(h, dewi, h.locale["btn_training_send"], n)
    check(REASON in summary.visible, f"the summary: {summary.visible!r}")
    before = len(messages_with(h, hendra, "approval_card_training"))
    press(h, dewi, summary, h.locale["btn_training_send"])
    card = wait_message(h, hendra, "approval_card_training", before)
    check(NASTY_NAME in card.visible, f"Hendra's training card: {card.visible!r}")
    check_shown(card.visible, REASON, "Hendra's training card")
    rows = h.query("SELECT r.reason FROM registrations r JOIN trainings t ON t.id = "
                   "r.training_id WHERE t.title = ? AND r.employee_id = 4", PYTHON)
    check(rows == [(REASON,)], f"the registration's reason is not stored verbatim: {rows}")


def part_mentor(h, dewi, ratna):
    n = say(h, dewi, "/mentor")
    kind = wait_button(h, dewi, h.locale["btn_mentor_mentoring"], n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, kind, h.locale["btn_mentor_mentoring"])
    areas = wait_button(h, dewi, AREA, n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, areas, AREA)

    def mentor():
        for m in reversed(h.fake.sent_messages(dewi)[n:]):
            for label in buttons(m):
                if label.startswith("Ratna Sari"):
                    return m, label
        return None
    mentors, label = h.wait_for(mentor, 30, "the mentors proposed")
    press(h, dewi, mentors, label)
    wait_message(h, dewi, "mentor_ask_topic")
    refuse_all(h, dewi, "topic")
    n = say(h, dewi, ACCEPTED)
    summary = wait_button(h, dewi, h.locale["btn_mentor_send"], n)
    check(ACCEPTED in summary.visible, f"the mentoring summary: {summary.visible!r}")
    press(h, dewi, summary, h.locale["btn_mentor_send"])
    card = wait_message(h, ratna, "approval_card_mentor")
    check(NASTY_NAME in card.visible, f"Ratna's card: {card.visible!r}")
    check_shown(card.visible, ACCEPTED, "Ratna's card")
    rows = h.query("SELECT topic FROM mentor_requests WHERE mentee_id = 4 AND mentor_id = 3 "
                   "AND status = 'diajukan'")
    check(rows == [(ACCEPTED,)], f"the mentoring goal is not stored verbatim: {rows}")


def body(h):
    h.seed_demo()
    conn = sqlite3.connect(h.db_path)
    conn.execute("UPDATE employees SET name = ? WHERE id = 4", (NASTY_NAME,))
    conn.commit()
    conn.close()
    # Pacing is not under test here: quicker per-chat pacing keeps the many refusals short.
    h.start(KARIRBOT_RATE_CHAT=50, KARIRBOT_CHAT_BURST=20)
    dewi, hendra, ratna = (h.demo_user(n) for n in (DEWI_NIP, HENDRA_NIP, RATNA_NIP))
    # Telegram lets a bot write only to people who wrote to it first.
    for chat, name in ((hendra, "Hendra"), (ratna, "Ratna")):
        say(h, chat, "/menu", name)
        h.wait_for(lambda c=chat: h.fake.sent_messages(c), 30, f"the menu for {name}")

    part_names(h)
    n = say(h, dewi, "/start")
    greeting = h.wait_for(lambda: [m for m in h.fake.sent_messages(dewi)[n:]
                                   if NASTY_NAME in m.visible], 30,
                          "Dewi greeted by her recorded name, verbatim")
    check(greeting, "no greeting")
    part_rpi(h, dewi, hendra)
    part_training(h, dewi, hendra)
    part_mentor(h, dewi, ratna)

    h.wait_idle([])
    check(h.query("SELECT count(*) FROM employees") == [(11,)], "the employees table changed")
    check(h.query("SELECT name FROM employees WHERE id = 4") == [(NASTY_NAME,)],
          "Dewi's recorded name changed")
    dead = h.query("SELECT update_id, reason FROM dead_letters")
    check(not dead, f"dead letters: {dead}")
    undeliverable = h.query("SELECT id, error FROM outbox WHERE state = 2")
    check(not undeliverable, f"undeliverable replies: {undeliverable}")
    check_delivered_ok(h)


if __name__ == "__main__":
    harness.run_test("hostile_text", body)
