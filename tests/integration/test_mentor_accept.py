"""mentor_accept: a mentoring request accepted on the mentor's card, through the real Bot API
path. Dewi asks for mentoring in "kebijakan publik" (/mentor): only Ratna is proposed (Bambang,
the other mentor of that area, is at capacity); Dewi writes her goal and sends. Ratna gets the
card, Dewi's supervisor Hendra a plain notice without buttons. Ratna presses Setujui: the card is
edited to show the outcome, Dewi is told at once, and the pair is active. Dewi then logs a
90-minute session (/sesimentor), which appears as 2 JP in her RPI. A second press on the card
changes nothing and tells nobody."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import answer_of, buttons, messages_with, press, wait_message  # noqa: E402

DEWI_NIP = "199003222015032001"
RATNA_NIP = "197512082000032002"
HENDRA_NIP = "197804152003121004"
AREA = "kebijakan publik"
GOAL = "Menyusun naskah kebijakan layanan data terbuka"


def wait_button(h, chat, pred, after_count, what):
    """The newest message to chat (beyond the first after_count) with a button whose label
    satisfies pred; returns (message, label)."""
    def found():
        for m in reversed(h.fake.sent_messages(chat)[after_count:]):
            for label in buttons(m):
                if pred(label):
                    return m, label
        return None
    return h.wait_for(found, 30, what)


def say(h, chat, text):
    n = len(h.fake.sent_messages(chat))
    h.fake.push_text(chat, text, first_name="Dewi")
    h.wait_for(lambda: len(h.fake.sent_messages(chat)) > n, 30, f"the reply to {text!r}")
    return n


def request_row(h):
    rows = h.query("SELECT id, mentor_id, kind, status FROM mentor_requests WHERE mentee_id = 4")
    return rows[-1] if rows else None


def body(h):
    # The WITA date, as the demo's office sees it (sessions are dated by it).
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    h.seed_demo(today)
    h.start()
    dewi, ratna, hendra = (h.demo_user(n) for n in (DEWI_NIP, RATNA_NIP, HENDRA_NIP))
    # Telegram lets a bot write only to people who wrote to it first.
    for chat, name in ((ratna, "Ratna"), (hendra, "Hendra")):
        h.fake.push_text(chat, "/menu", first_name=name)
        h.wait_for(lambda c=chat: h.fake.sent_messages(c), 30, f"the menu for {name}")

    # Dewi: /mentor, Mentoring, the area, the one mentor proposed.
    n = say(h, dewi, "/mentor")
    kind, _ = wait_button(h, dewi, lambda l: l == h.locale["btn_mentor_mentoring"], n,
                          "the choice between coaching and mentoring")
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, kind, h.locale["btn_mentor_mentoring"])
    areas, _ = wait_button(h, dewi, lambda l: l == AREA, n, "the list of areas")
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, areas, AREA)
    mentors, label = wait_button(h, dewi, lambda l: l.startswith("Ratna Sari"), n,
                                 "the mentors proposed")
    check(not any(l.startswith("Bambang") for l in buttons(mentors)),
          f"Bambang is at capacity but was proposed: {list(buttons(mentors))}")
    check("Kepala Bidang Statistik" in label and "Dinas Komunikasi dan Informatika" in label,
          f"the mentor's position and unit: {label!r}")
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, mentors, label)
    wait_message(h, dewi, "mentor_ask_topic")
    n = say(h, dewi, GOAL)
    summary, _ = wait_button(h, dewi, lambda l: l == h.locale["btn_mentor_send"], n,
                             "the summary with Kirim")
    check(GOAL in summary.visible and AREA in summary.visible, f"the summary: {summary.visible!r}")
    press(h, dewi, summary, h.locale["btn_mentor_send"])
    sent = wait_message(h, dewi, "mentor_sent_mentoring")
    check("Ibu Ratna Sari" in sent.visible and "Bapak Hendra Pratama" in sent.visible,
          f"the confirmation: {sent.visible!r}")
    card = wait_message(h, ratna, "approval_card_mentor")
    check("Dewi Lestari" in card.visible and GOAL in card.visible, f"the card: {card.visible!r}")
    check("1 dari kapasitas 2" in card.visible, f"the mentor's load on the card: {card.visible!r}")
    check(h.locale["btn_approve"] in buttons(card), f"the card's buttons: {list(buttons(card))}")
    info = wait_message(h, hendra, "mentor_supervisor_info")
    check("Ibu Dewi Lestari" in info.visible and "Ibu Ratna Sari" in info.visible,
          f"what Hendra was told: {info.visible!r}")
    check(not buttons(info), f"Hendra's notice has buttons: {list(buttons(info))}")
    req = request_row(h)
    check(req and req[1:] == (3, "mentoring", "diajukan"), f"the request after sending: {req}")

    # Ratna accepts on the card: the card shows the outcome, Dewi is told, the pair is active.
    told_before = len(messages_with(h, dewi, "mentor_accepted_mentee"))
    cq = press(h, ratna, card, h.locale["btn_approve"])
    check(answer_of(h, cq) == "", f"the press was answered {answer_of(h, cq)!r}")
    told = wait_message(h, dewi, "mentor_accepted_mentee", told_before)
    check("Ibu Ratna Sari" in told.visible and AREA in told.visible,
          f"what Dewi was told: {told.visible!r}")
    h.wait_for(lambda: [c for c in h.fake.calls("editMessageText") if c.status == 200 and
                        str(c.params.get("chat_id")) == str(ratna) and
                        str(c.params.get("message_id")) == str(card.message_id)],
               30, "the card edited with the outcome")
    req = request_row(h)
    check(req and req[3] == "diterima", f"the request after acceptance: {req}")
    check(h.query("SELECT status, decided_by FROM approvals WHERE kind = 'mentor' AND "
                  "subject_id = ?", req[0]) == [("disetujui", 3)], "the approval row")

    # A second press: nothing changes, nobody is told again.
    dewi_count, ratna_count = len(h.fake.sent_messages(dewi)), len(h.fake.sent_messages(ratna))
    press(h, ratna, card, h.locale["btn_approve"])
    h.wait_for(lambda: len(h.fake.sent_messages(ratna)) > ratna_count, 30,
               "the answer to the second press")
    h.wait_idle([])
    check(len(h.fake.sent_messages(dewi)) == dewi_count, "Dewi was told again")
    check(request_row(h)[3] == "diterima", f"after the second press: {request_row(h)}")

    # Dewi logs a 90-minute session today: 2 JP in her RPI of this year.
    n = say(h, dewi, "/sesimentor")
    pairs, label = wait_button(h, dewi, lambda l: "Ratna Sari" in l, n, "the pairs to log for")
    press(h, dewi, pairs, label)
    wait_message(h, dewi, "sesi_ask_date")
    say(h, dewi, today)
    wait_message(h, dewi, "sesi_ask_topic")
    say(h, dewi, "Kerangka naskah kebijakan")
    wait_message(h, dewi, "sesi_ask_minutes")
    n = say(h, dewi, "90")
    confirm, _ = wait_button(h, dewi, lambda l: l == h.locale["btn_sesi_save"], n, "Simpan")
    press(h, dewi, confirm, h.locale["btn_sesi_save"])
    saved = wait_message(h, dewi, "sesi_saved")
    check("2 JP" in saved.visible, f"the JP after 90 minutes: {saved.visible!r}")
    activity = h.query("SELECT a.form, a.jp_planned, a.source, a.source_id FROM rpi_activities a "
                       "JOIN rpi_plans p ON p.id = a.plan_id WHERE p.employee_id = 4 "
                       "AND p.year = ? AND a.source = 'mentoring'", int(today[:4]))
    check(activity == [("mentoring", 2, "mentoring", req[0])], f"the RPI activity: {activity}")


if __name__ == "__main__":
    harness.run_test("mentor_accept", body)
