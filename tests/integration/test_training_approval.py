"""training_approval: a training registration decided on the supervisor's card, through the real
Bot API path. Dewi registers for the Python bimtek (/pelatihan, a reason, no RPI activity,
Kirim); her supervisor Hendra gets the card and presses Setujui; the card is edited to show the
outcome, Dewi is told at once, and her registration holds a seat. A second press on the card
changes nothing and tells nobody; the same button pressed from another account (Rudi's) is
refused and changes nothing either (DESIGN invariants 6 and 7)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import (training_listed, answer_of, buttons, messages_with, press, wait_button,  # noqa: E402
                    wait_message)

DEWI_NIP = "199003222015032001"
HENDRA_NIP = "197804152003121004"
RUDI_NIP = "199107102019031005"
PYTHON = "Bimbingan Teknis Analisis Data dengan Python"
REASON = "Untuk menyusun dasbor analisis data layanan publik di bidang kami"


def registration(h):
    rows = h.query("SELECT r.id, r.status, r.seat FROM registrations r JOIN employees e "
                   "ON e.id = r.employee_id WHERE e.nip = ? AND r.training_id = 1", DEWI_NIP)
    return rows[0] if rows else None


def body(h):
    h.seed_demo()
    h.start()
    dewi, hendra, rudi = h.demo_user(DEWI_NIP), h.demo_user(HENDRA_NIP), h.demo_user(RUDI_NIP)
    # Telegram lets a bot write only to people who wrote to it first: everyone opens the menu.
    for chat, name in ((hendra, "Hendra"), (rudi, "Rudi")):
        h.fake.push_text(chat, "/menu", first_name=name)
        h.wait_for(lambda c=chat: h.fake.sent_messages(c), 30, f"the menu for {name}")

    # Dewi registers: the list, the Python bimtek, Daftar, a reason, no RPI activity, Kirim.
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, "/pelatihan", first_name="Dewi")
    listing, label = training_listed(h, dewi, PYTHON, n)
    check(not any(lbl.startswith("Pelatihan Kepemimpinan Administrator") for lbl in buttons(listing)),
          f"a IV/a training offered to a III/b: {list(buttons(listing))}")
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, listing, label)
    detail = wait_button(h, dewi, h.locale["btn_training_register"], n)
    check("Rp1.500.000" in detail.visible, f"the cost in the details: {detail.visible!r}")
    press(h, dewi, detail, h.locale["btn_training_register"])
    wait_message(h, dewi, "pelatihan_ask_reason")
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, REASON, first_name="Dewi")
    options = wait_button(h, dewi, h.locale["btn_training_no_rpi"], n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, options, h.locale["btn_training_no_rpi"])
    summary = wait_button(h, dewi, h.locale["btn_training_send"], n)
    check(REASON in summary.visible, f"the summary: {summary.visible!r}")
    press(h, dewi, summary, h.locale["btn_training_send"])
    sent = wait_message(h, dewi, "pelatihan_sent")
    check("Bapak Hendra Pratama" in sent.visible, f"the confirmation: {sent.visible!r}")
    card = wait_message(h, hendra, "approval_card_training")
    check(PYTHON in card.visible and "Dewi Lestari" in card.visible, f"the card: {card.visible!r}")
    reg = registration(h)
    check(reg and reg[1:] == ("diajukan", 0), f"the registration after sending: {reg}")

    # Hendra presses Setujui: the card shows the outcome, Dewi is told, a seat is hers.
    told_before = len(messages_with(h, dewi, "training_note_approved"))
    cq = press(h, hendra, card, h.locale["btn_approve"])
    check(answer_of(h, cq) == "", f"the press was answered {answer_of(h, cq)!r}")
    told = wait_message(h, dewi, "training_note_approved", told_before)
    check(PYTHON in told.visible and "Bapak Hendra Pratama" in told.visible,
          f"what Dewi was told: {told.visible!r}")
    h.wait_for(lambda: [c for c in h.fake.calls("editMessageText") if c.status == 200 and
                        str(c.params.get("chat_id")) == str(hendra) and
                        str(c.params.get("message_id")) == str(card.message_id)],
               30, "the card edited with the outcome")
    reg = registration(h)
    check(reg and reg[1:] == ("disetujui", 1), f"the registration after approval: {reg}")
    decided = h.query("SELECT status, decided_by FROM approvals WHERE kind = 'training' "
                      "AND subject_id = ?", reg[0])
    check(decided == [("disetujui", 2)], f"the approval row: {decided}")

    # A second press on the card: nothing changes, nobody is told again.
    dewi_count = len(h.fake.sent_messages(dewi))
    hendra_count = len(h.fake.sent_messages(hendra))
    press(h, hendra, card, h.locale["btn_approve"])
    h.wait_for(lambda: len(h.fake.sent_messages(hendra)) > hendra_count, 30,
               "the answer to the second press")
    h.wait_idle([])
    check(len(h.fake.sent_messages(dewi)) == dewi_count, "Dewi was told again")
    check(registration(h)[1:] == ("disetujui", 1), f"after the second press: {registration(h)}")
    check(h.query("SELECT count(*) FROM registrations WHERE training_id = 1 AND seat = 1") ==
          [(1,)], "a second seat was given")

    # Rudi presses the same button from his account: refused, nothing changes.
    rudi_count = len(h.fake.sent_messages(rudi))
    token = buttons(card)[h.locale["btn_reject"]]
    _, cq = h.fake.push_callback(rudi, token, message_id=card.message_id)
    h.wait_for(lambda: answer_of(h, cq) is not None, 30, "the answer to Rudi's press")
    check(answer_of(h, cq) == h.locale["button_foreign"],
          f"Rudi's press answered {answer_of(h, cq)!r}")
    h.wait_idle([])
    check(len(h.fake.sent_messages(rudi)) == rudi_count, "Rudi's press sent him a message")
    check(len(h.fake.sent_messages(dewi)) == dewi_count, "Rudi's press told Dewi something")
    check(registration(h)[1:] == ("disetujui", 1), f"after Rudi's press: {registration(h)}")
    check(h.query("SELECT status FROM approvals WHERE subject_id = ? AND kind = 'training'",
                  reg[0]) == [("disetujui",)], "Rudi's press changed the decision")


if __name__ == "__main__":
    harness.run_test("training_approval", body)
