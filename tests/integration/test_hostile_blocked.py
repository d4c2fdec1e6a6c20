"""hostile_blocked: a user who blocks the bot (403) and comes back (issue 7, part 2), through
the real binary and the fake Bot API on the demo organisation. test_faults.py covers one 403
on one reply (undeliverable after one attempt, the chat marked) and test_reminders.py that a
blocked chat gets no reminders; this covers the rest of the story:

1. Dewi sends three messages and blocks the bot before the replies arrive: the updates are
   all handled (done, logged, her session moved on), the first reply gets 403, and every
   reply still queued for her is recorded undeliverable with the reason at once — one
   sendMessage in all, no retry; the chat is marked blocked. Rudi is answered meanwhile.
2. While she is blocked, her supervisor decides her pending request: the decision is
   recorded and his card shows it; the notice to her is one 403, recorded undeliverable.
3. She unblocks and writes: the block is cleared, she is answered, nothing undeliverable is
   sent again, and /pelatihanku shows the decision she missed.
4. Her supervisor blocks the bot; Dewi asks for another training: her confirmation arrives,
   the card to him is undeliverable, the request waits. He comes back and finds it in
   /persetujuan, approves it, and she is told."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import buttons, fragment, messages_with, press  # noqa: E402
from test_hostile_forgery import approval, open_detail, register  # noqa: E402

DEWI_NIP = "199003222015032001"
HENDRA_NIP = "197804152003121004"
RUDI_NIP = "199107102019031005"
TRAININGS = ("E-Learning Manajemen ASN", "Bimbingan Teknis Analisis Data dengan Python")


def sends_to(h, chat):
    return [c for c in h.fake.calls("sendMessage")
            if (c.params or {}).get("chat_id") == chat]


def rows_of(h, chat, after_id=0):
    return h.query("SELECT id, state, attempts, error, text FROM outbox WHERE chat_id = ? AND "
                   "kind <> 2 AND id > ? ORDER BY id", chat, after_id)


def last_row_id(h):
    return h.query("SELECT coalesce(max(id), 0) FROM outbox")[0][0]


def blocked_at(h, chat):
    return h.query("SELECT blocked_at FROM chats WHERE chat_id = ?", chat)[0][0]


def told(h, chat):
    return (len(messages_with(h, chat, "training_note_approved")) +
            len(messages_with(h, chat, "training_note_waiting")))


def body(h):
    h.seed_demo()
    # Pacing is not under test here (test_batch.py): quicker per-chat pacing keeps it short.
    h.start(KARIRBOT_RATE_CHAT=20, KARIRBOT_CHAT_BURST=10)
    dewi, hendra, rudi = (h.demo_user(n) for n in (DEWI_NIP, HENDRA_NIP, RUDI_NIP))
    for chat, name in ((hendra, "Hendra"), (rudi, "Rudi")):
        h.fake.push_text(chat, "/menu", first_name=name)
        h.wait_for(lambda c=chat: h.fake.sent_messages(c), 30, f"the menu for {name}")
    first = register(h, dewi, TRAININGS[0])
    card = h.wait_for(lambda: [m for m in h.fake.sent_messages(hendra)
                               if fragment(h, "approval_card_training") in m.visible], 30,
                      "Hendra's card")[-1]
    h.wait_idle([])

    # ---- 1. three messages, then the block --------------------------------------------------
    mark = last_row_id(h)
    calls_before = len(sends_to(h, dewi))
    with h.fake.batch():
        ids = [h.fake.push_text(dewi, text, first_name="Dewi")
               for text in ("/menu", "/pelatihanku", "/pangkat")]
        h.fake.block_chat(dewi)  # she blocks the bot before any reply reaches her
        rudi_id = h.fake.push_text(rudi, "/menu", first_name="Rudi")
    h.wait_idle(ids + [rudi_id])
    states = h.update_states()
    check(all(states[u][0] == harness.UPDATE_DONE for u in ids),
          f"her messages were not all handled: {[states[u] for u in ids]}")
    check(h.query("SELECT count(*) FROM conversation_log WHERE update_id IN (?, ?, ?)", *ids) ==
          [(3,)], "her messages were not all logged")
    check(h.query("SELECT flow FROM sessions WHERE chat_id = ?", dewi) == [("kenaikan_pangkat",)],
          "her session did not follow her last message")
    rows = rows_of(h, dewi, mark)
    calls = sends_to(h, dewi)[calls_before:]
    print(f"replies to the blocked chat: {len(rows)} rows, {len(calls)} sendMessage call(s)",
          flush=True)
    check(len(rows) >= 3, f"only {len(rows)} replies queued for her three messages")
    check(all(r[1] == harness.OUTBOX_UNDELIVERABLE and r[2] == 1 and "blocked" in (r[3] or "")
              for r in rows), f"her replies: {[(r[0], r[1], r[2], r[3]) for r in rows]}")
    check(len(calls) == 1 and calls[0].status == 403,
          f"{len(calls)} sends to a blocked chat: {[c.status for c in calls]}")
    check(blocked_at(h, dewi), "the chat is not marked blocked")
    check(h.fake.sent_messages(rudi)[-1].t >= h.fake.handed_out_at(rudi_id),
          "Rudi was not answered while Dewi was blocked")

    # ---- 2. a decision reaches a blocked chat -------------------------------------------------
    mark = last_row_id(h)
    calls_before = len(sends_to(h, dewi))
    press(h, hendra, card, h.locale["btn_approve"])
    h.wait_for(lambda: approval(h, first)[0] == "disetujui", 30, "the decision recorded")
    h.wait_for(lambda: [c for c in h.fake.calls("editMessageText") if c.status == 200 and
                        c.params.get("chat_id") == hendra and
                        c.params.get("message_id") == card.message_id], 30,
               "Hendra's card showing the decision")
    h.wait_idle([])
    notice = rows_of(h, dewi, mark)
    check(len(notice) == 1 and notice[0][1] == harness.OUTBOX_UNDELIVERABLE and notice[0][2] == 1,
          f"the notice to the blocked chat: {notice}")
    calls = sends_to(h, dewi)[calls_before:]
    check(len(calls) == 1 and calls[0].status == 403, f"sends of the notice: {calls}")
    undeliverable = [r[:3] for r in rows_of(h, dewi) if r[1] == harness.OUTBOX_UNDELIVERABLE]

    # ---- 3. she comes back ------------------------------------------------------------------
    h.fake.unblock_chat(dewi)
    mark = last_row_id(h)
    calls_before = len(sends_to(h, dewi))
    n = len(h.fake.sent_messages(dewi))
    uid = h.fake.push_text(dewi, "/start", first_name="Dewi")
    h.wait_idle([uid])
    h.wait_for(lambda: len(h.fake.sent_messages(dewi)) > n, 30, "the answer after coming back")
    check(blocked_at(h, dewi) is None, "writing again did not clear the block")
    n = len(h.fake.sent_messages(dewi))
    h.fake.push_text(dewi, "/pelatihanku", first_name="Dewi")
    mine = h.wait_for(lambda: [m for m in h.fake.sent_messages(dewi)[n:]
                               if any(l.startswith(TRAININGS[0]) for l in buttons(m))], 30,
                      "her registrations")[-1]
    label = next(l for l in buttons(mine) if l.startswith(TRAININGS[0]))
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, mine, label)
    detail = h.wait_for(lambda: [m for m in h.fake.sent_messages(dewi)[n:]
                                 if TRAININGS[0] in m.visible], 30, "the registration")[-1]
    status = h.query("SELECT r.status FROM registrations r JOIN approvals a ON a.subject_id = "
                     "r.id WHERE a.id = ?", first)[0][0]
    shown = h.locale.get(f"training_status_{status}", status)
    check(fragment(h, f"training_mine_note_{status}") in detail.visible or shown in detail.visible,
          f"the decision she missed is not shown ({status}): {detail.visible!r}")
    # Nothing undeliverable was sent again: they stay as they were, and every send since she
    # came back is one new reply.
    h.wait_idle([])
    still = [r[:3] for r in rows_of(h, dewi) if r[1] == harness.OUTBOX_UNDELIVERABLE]
    check(still == undeliverable, f"the undeliverable rows changed: {still} != {undeliverable}")
    new_rows = rows_of(h, dewi, mark)
    calls = sends_to(h, dewi)[calls_before:]
    check(len(calls) == len(new_rows) and all(r[1] == harness.OUTBOX_SENT for r in new_rows),
          f"{len(calls)} sends to her since she came back for {len(new_rows)} new replies")

    # ---- 4. the supervisor blocks the bot, then comes back -------------------------------------
    h.fake.block_chat(hendra)
    mark = last_row_id(h)
    second = register(h, dewi, TRAININGS[1])  # her confirmation arrives (register waits for it)
    h.wait_idle([])
    cards = [r for r in rows_of(h, hendra, mark)]
    check(len(cards) == 1 and cards[0][1] == harness.OUTBOX_UNDELIVERABLE,
          f"the card to a blocked supervisor: {[(r[0], r[1], r[3]) for r in cards]}")
    check(approval(h, second)[0] == "menunggu", f"the request: {approval(h, second)}")
    check(blocked_at(h, hendra), "the supervisor's chat is not marked blocked")
    h.fake.unblock_chat(hendra)
    detail = open_detail(h, hendra, TRAININGS[1])
    check(blocked_at(h, hendra) is None, "writing again did not clear his block")
    before = told(h, dewi)
    press(h, hendra, detail, h.locale["btn_approve"])
    h.wait_for(lambda: told(h, dewi) > before, 30, "Dewi told of the decision")
    check(approval(h, second)[:3] == ("disetujui", 2, 2), f"the decision: {approval(h, second)}")
    check(not [m for m in h.fake.sent_messages(hendra) if m.text == cards[0][4]],
          "the undeliverable card was sent after he came back")
    h.wait_idle([])
    check(h.query("SELECT state FROM outbox WHERE id = ?", cards[0][0]) ==
          [(harness.OUTBOX_UNDELIVERABLE,)], "the undeliverable card changed state")


if __name__ == "__main__":
    harness.run_test("hostile_blocked", body)
