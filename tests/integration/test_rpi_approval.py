"""rpi_approval: an activity added to an approved RPI, decided on the supervisor's card, through
the real Bot API path. Dewi opens /rpi, presses Tambah kegiatan and answers the five steps
(form, title, competency, target date, JP), then Kirim; the activity waits ('menunggu') and her
supervisor Hendra gets the card. He presses Setujui: the card is edited to show the outcome,
Dewi is told, and the activity is approved. A second press changes nothing and tells nobody;
the same button pressed from Rudi's account is refused (DESIGN invariants 6 and 7)."""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import (answer_of, buttons, fragment, messages_with, press,  # noqa: E402
                    wait_button, wait_message)

DEWI_NIP = "199003222015032001"
HENDRA_NIP = "197804152003121004"
RUDI_NIP = "199107102019031005"
TITLE = "Kursus Tata Kelola Data Pemerintah"
FORM = "Kursus"  # the name of the form "kursus" in dialogs/policy.json


def activity(h):
    rows = h.query("SELECT a.id, a.approval, a.status, a.jp_planned, a.form FROM rpi_activities a "
                   "JOIN rpi_plans p ON p.id = a.plan_id JOIN employees e ON e.id = p.employee_id "
                   "WHERE e.nip = ? AND a.title = ?", DEWI_NIP, TITLE)
    return rows[0] if rows else None


def body(h):
    h.seed_demo()
    h.start()
    dewi, hendra, rudi = h.demo_user(DEWI_NIP), h.demo_user(HENDRA_NIP), h.demo_user(RUDI_NIP)
    # Telegram lets a bot write only to people who wrote to it first: everyone opens the menu.
    for chat, name in ((hendra, "Hendra"), (rudi, "Rudi")):
        h.fake.push_text(chat, "/menu", first_name=name)
        h.wait_for(lambda c=chat: h.fake.sent_messages(c), 30, f"the menu for {name}")

    # Dewi's plan: the overview with her late seminar, then Tambah kegiatan.
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, "/rpi", first_name="Dewi")
    overview = wait_button(h, dewi, h.locale["btn_rpi_add"], n)
    check("10/20 JP" in overview.visible, f"the overview: {overview.visible!r}")
    check(fragment(h, "rpi_act_late") in overview.visible, "the late seminar is not marked")
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, overview, h.locale["btn_rpi_add"])
    forms = wait_button(h, dewi, FORM, n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, forms, FORM)
    wait_message(h, dewi, "rpi_add_title")
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, TITLE, first_name="Dewi")
    competency = wait_button(h, dewi, h.locale["btn_rpi_comp_teknis"], n)
    press(h, dewi, competency, h.locale["btn_rpi_comp_teknis"])
    wait_message(h, dewi, "rpi_add_date")
    # A month ahead in WITA, the demo office's zone.
    now = datetime.datetime.now(datetime.timezone.utc)
    target = (now + datetime.timedelta(hours=8, days=30)).date()
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, target.strftime("%d-%m-%Y"), first_name="Dewi")
    wait_message(h, dewi, "rpi_add_jp_minutes")
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, "12", first_name="Dewi")
    summary = wait_button(h, dewi, h.locale["btn_rpi_send"], n)
    check(TITLE in summary.visible and "Bapak Hendra Pratama" in summary.visible,
          f"the summary: {summary.visible!r}")
    check(activity(h) is None, "the activity was stored before Kirim")
    press(h, dewi, summary, h.locale["btn_rpi_send"])
    sent = wait_message(h, dewi, "rpi_add_sent")
    check(TITLE in sent.visible and "Bapak Hendra Pratama" in sent.visible,
          f"the confirmation: {sent.visible!r}")
    card = wait_message(h, hendra, "approval_card_rpi_activity")
    check(TITLE in card.visible and "Dewi Lestari" in card.visible and FORM in card.visible,
          f"the card: {card.visible!r}")
    act = activity(h)
    check(act and act[1:] == ("menunggu", "rencana", 12, "kursus"), f"the activity: {act}")

    # Hendra presses Setujui: the card shows the outcome, Dewi is told, the activity approved.
    told_before = len(messages_with(h, dewi, "rpi_note_activity_approved"))
    cq = press(h, hendra, card, h.locale["btn_approve"])
    check(answer_of(h, cq) == "", f"the press was answered {answer_of(h, cq)!r}")
    told = wait_message(h, dewi, "rpi_note_activity_approved", told_before)
    check(TITLE in told.visible and "Bapak Hendra Pratama" in told.visible,
          f"what Dewi was told: {told.visible!r}")
    h.wait_for(lambda: [c for c in h.fake.calls("editMessageText") if c.status == 200 and
                        str(c.params.get("chat_id")) == str(hendra) and
                        str(c.params.get("message_id")) == str(card.message_id)],
               30, "the card edited with the outcome")
    check(activity(h)[1] == "disetujui", f"the activity after approval: {activity(h)}")
    decided = h.query("SELECT status, decided_by, requester_id, approver_id FROM approvals "
                      "WHERE kind = 'rpi_activity' AND subject_id = ?", act[0])
    check(decided == [("disetujui", 2, 4, 2)], f"the approval row: {decided}")

    # A second press on the card: nothing changes, nobody is told again.
    dewi_count = len(h.fake.sent_messages(dewi))
    hendra_count = len(h.fake.sent_messages(hendra))
    press(h, hendra, card, h.locale["btn_approve"])
    h.wait_for(lambda: len(h.fake.sent_messages(hendra)) > hendra_count, 30,
               "the answer to the second press")
    h.wait_idle([])
    check(len(h.fake.sent_messages(dewi)) == dewi_count, "Dewi was told again")
    check(activity(h)[1] == "disetujui", f"after the second press: {activity(h)}")

    # Rudi presses Tolak on the same card from his account: refused, nothing changes.
    rudi_count = len(h.fake.sent_messages(rudi))
    token = buttons(card)[h.locale["btn_reject"]]
    _, cq = h.fake.push_callback(rudi, token, message_id=card.message_id)
    h.wait_for(lambda: answer_of(h, cq) is not None, 30, "the answer to Rudi's press")
    check(answer_of(h, cq) == h.locale["button_foreign"],
          f"Rudi's press answered {answer_of(h, cq)!r}")
    h.wait_idle([])
    check(len(h.fake.sent_messages(rudi)) == rudi_count, "Rudi's press sent him a message")
    check(len(h.fake.sent_messages(dewi)) == dewi_count, "Rudi's press told Dewi something")
    check(activity(h)[1] == "disetujui", f"after Rudi's press: {activity(h)}")

    # Dewi's plan now lists it as planned, not waiting.
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, "/rpi", first_name="Dewi")
    overview = wait_button(h, dewi, h.locale["btn_rpi_add"], n)
    check(TITLE in overview.visible, f"the overview after approval: {overview.visible!r}")
    check(h.locale["rpi_act_status_menunggu"] not in overview.visible,
          f"still shown as waiting: {overview.visible!r}")


if __name__ == "__main__":
    harness.run_test("rpi_approval", body)
