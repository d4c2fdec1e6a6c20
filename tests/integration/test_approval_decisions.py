"""approval_decisions: the rest of a supervisor's decisions over the real Bot API path, on the
demo organisation (DESIGN invariants 6 and 7). Hendra rejects Dewi's registration from the card
with a reason: the card shows the outcome with the reason, Dewi is told why, the records say who
and when. A forged token changes nothing. A request Dewi withdrew before Hendra pressed: his
press says so, edits the card and changes nothing. /persetujuan lists what waits and decides from
the list."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import (open_registration, answer_of, buttons, messages_with, press, wait_button,  # noqa: E402
                    wait_message)

DEWI_NIP = "199003222015032001"
HENDRA_NIP = "197804152003121004"
REASON = "Untuk memahami manajemen ASN secara menyeluruh"
WHY_NOT = "Mohon dahulukan kursus analisis data yang sudah direncanakan"


def register(h, dewi, title):
    """Dewi registers for the training called title, with no RPI activity; returns its id."""
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, "/pelatihan", first_name="Dewi")
    open_registration(h, dewi, title, n)
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, REASON, first_name="Dewi")
    options = wait_button(h, dewi, h.locale["btn_training_no_rpi"], n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, options, h.locale["btn_training_no_rpi"])
    summary = wait_button(h, dewi, h.locale["btn_training_send"], n)
    before = len(messages_with(h, dewi, "pelatihan_sent"))
    press(h, dewi, summary, h.locale["btn_training_send"])
    wait_message(h, dewi, "pelatihan_sent", before)
    rows = h.query("SELECT r.id FROM registrations r JOIN trainings t ON t.id = r.training_id "
                   "WHERE t.title = ? AND r.employee_id = 4 AND r.status = 'diajukan'", title)
    check(len(rows) == 1, f"one waiting registration for {title}: {rows}")
    return rows[0][0]


def approval(h, reg):
    return h.query("SELECT status, reason, decided_by FROM approvals WHERE kind = 'training' "
                   "AND subject_id = ?", reg)


def card_edits(h, chat, message_id):
    return [c for c in h.fake.calls("editMessageText") if c.status == 200 and
            str(c.params.get("chat_id")) == str(chat) and
            str(c.params.get("message_id")) == str(message_id)]


def body(h):
    h.seed_demo()
    h.start()
    dewi, hendra = h.demo_user(DEWI_NIP), h.demo_user(HENDRA_NIP)
    h.fake.push_text(hendra, "/menu", first_name="Hendra")
    h.wait_for(lambda: h.fake.sent_messages(hendra), 30, "Hendra's menu")

    # 1. Tolak with a reason, from the card.
    reg = register(h, dewi, "E-Learning Manajemen ASN")
    card = wait_message(h, hendra, "approval_card_training")
    check(REASON in card.visible, f"the card shows Dewi's reason: {card.visible!r}")
    press(h, hendra, card, h.locale["btn_reject"])
    wait_message(h, hendra, "approval_ask_reason")
    check(approval(h, reg) == [("menunggu", None, None)], "Tolak alone decided something")
    told_before = len(messages_with(h, dewi, "training_note_rejected"))
    h.fake.push_text(hendra, WHY_NOT, first_name="Hendra")
    told = wait_message(h, dewi, "training_note_rejected", told_before)
    check(WHY_NOT in told.visible, f"Dewi is told why: {told.visible!r}")
    h.wait_for(lambda: card_edits(h, hendra, card.message_id), 30, "the card edited")
    edited = card_edits(h, hendra, card.message_id)[-1].params.get("text", "")
    check(WHY_NOT in edited and "Hendra Pratama" in edited, f"the edited card: {edited!r}")
    check(approval(h, reg) == [("ditolak", WHY_NOT, 2)], f"the approval: {approval(h, reg)}")
    check(h.query("SELECT status, seat FROM registrations WHERE id = ?", reg) == [("ditolak", 0)],
          "the registration after the rejection")

    # 2. A forged token: answered, nothing sent, nothing changed.
    sent = len(h.fake.sent_messages(hendra)), len(h.fake.sent_messages(dewi))
    _, cq = h.fake.push_callback(hendra, "ZZZZZZZZZZZZZZZZ", message_id=card.message_id)
    h.wait_for(lambda: answer_of(h, cq) is not None, 30, "the answer to a forged press")
    check(answer_of(h, cq) == h.locale["button_stale"], f"forged press: {answer_of(h, cq)!r}")
    h.wait_idle([])
    check((len(h.fake.sent_messages(hendra)), len(h.fake.sent_messages(dewi))) == sent,
          "a forged press sent a message")

    # 3. Withdrawn before the decision: Dewi cancels in /pelatihanku, then Hendra presses.
    reg = register(h, dewi, "Pelatihan Penulisan Naskah Kebijakan")
    card = wait_message(h, hendra, "approval_card_training")
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, "/pelatihanku", first_name="Dewi")

    def mine():
        for m in h.fake.sent_messages(dewi)[n:]:
            for label in buttons(m):
                if label.startswith("Pelatihan Penulisan Naskah Kebijakan"):
                    return m, label
        return None
    listing, label = h.wait_for(mine, 30, "the registration in /pelatihanku")
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, listing, label)
    detail = wait_button(h, dewi, h.locale["btn_training_cancel"], n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, detail, h.locale["btn_training_cancel"])
    confirm = wait_button(h, dewi, h.locale["btn_training_cancel_yes"], n)
    press(h, dewi, confirm, h.locale["btn_training_cancel_yes"])
    wait_message(h, dewi, "pelatihanku_cancelled")
    check(approval(h, reg) == [("ditarik", None, None)], f"withdrawn: {approval(h, reg)}")
    dewi_count = len(h.fake.sent_messages(dewi))
    press(h, hendra, card, h.locale["btn_approve"])
    h.wait_for(lambda: card_edits(h, hendra, card.message_id), 30, "the card says withdrawn")
    check(approval(h, reg) == [("ditarik", None, None)], "a withdrawn request was decided")
    check(h.query("SELECT status FROM registrations WHERE id = ?", reg) == [("dibatalkan",)],
          "the cancelled registration changed")
    h.wait_idle([])
    check(len(h.fake.sent_messages(dewi)) == dewi_count, "Dewi was told about a withdrawn card")

    # 4. /persetujuan lists what waits; deciding from the list.
    reg = register(h, dewi, "Bimbingan Teknis Analisis Data dengan Python")
    wait_message(h, hendra, "approval_card_training")
    n = len(h.fake.sent_messages(hendra))
    h.fake.push_text(hendra, "/persetujuan", first_name="Hendra")

    def waiting():
        for m in h.fake.sent_messages(hendra)[n:]:
            for label in buttons(m):
                if label.startswith("Dewi Lestari"):
                    return m, label
        return None
    listing, label = h.wait_for(waiting, 30, "Dewi's request in /persetujuan")
    n = len(h.fake.sent_messages(hendra))
    press(h, hendra, listing, label)
    detail = wait_button(h, hendra, h.locale["btn_approve"], n)
    check(REASON in detail.visible, f"the detail shows the reason: {detail.visible!r}")
    press(h, hendra, detail, h.locale["btn_approve"])
    wait_message(h, hendra, "approval_done_approved")
    h.wait_for(lambda: approval(h, reg) == [("disetujui", None, 2)], 30, "the decision recorded")


if __name__ == "__main__":
    harness.run_test("approval_decisions", body)
