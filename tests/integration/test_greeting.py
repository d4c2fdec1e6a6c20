"""greeting: /start gets the greeting with the sender's name, and every trace of the round trip is
in the database: the update done, the outbox row sent with Telegram's message_id, the
conversation log in and out. Also: the startup calls (deleteWebhook before polling,
allowed_updates sent explicitly), HTML escaping of a name, any other text, a photo or a document
answered with not_available, and a callback_query answered at once even while the chat's
messages are paced (DESIGN invariant 3)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

CHAT = 5001


def check_startup_calls(h):
    calls = h.fake.calls()
    first_poll = next(i for i, c in enumerate(calls) if c.method == "getUpdates")
    check(any(c.method == "deleteWebhook" for c in calls[:first_poll]),
          "deleteWebhook was not called before the first getUpdates (TELEGRAM.md)")
    allowed = calls[first_poll].params.get("allowed_updates")
    check(isinstance(allowed, list) and {"message", "callback_query"} <= set(allowed),
          f"getUpdates must send allowed_updates with message and callback_query, got {allowed}")


def check_round_trip(h):
    uid = h.fake.push_text(CHAT, "/start", first_name="u1001")
    h.wait_for(lambda: h.greetings_to("u1001"), 30, "the greeting for u1001")
    h.wait_idle([uid])
    sent = h.greetings()["u1001"]
    check(len(sent) == 1, f"greeting delivered {len(sent)} times")
    msg = sent[0]
    check(msg.chat_id == CHAT, f"greeting went to chat {msg.chat_id}")
    check(msg.params.get("parse_mode") == "HTML", "greeting not sent with parse_mode HTML")

    state = h.update_states().get(uid)
    check(state is not None and state[0] == harness.UPDATE_DONE,
          f"update {uid} state {state}, expected done")
    rows = h.query("SELECT state, tg_message_id FROM outbox WHERE chat_id = ?", CHAT)
    check(rows == [(harness.OUTBOX_SENT, msg.message_id)],
          f"outbox rows for the chat {rows}, expected one sent row with message_id "
          f"{msg.message_id}")
    log_in = h.query("SELECT count(*) FROM conversation WHERE chat_id = ? AND direction = 0 "
                     "AND update_id = ?", CHAT, uid)[0][0]
    log_out = h.query("SELECT count(*) FROM conversation WHERE chat_id = ? "
                      "AND direction = 1", CHAT)[0][0]
    check(log_in == 1 and log_out == 1,
          f"the conversation has {log_in} incoming and {log_out} outgoing rows, expected 1 and 1")
    offset = h.query("SELECT value FROM meta WHERE key = 'poll_offset'")
    check(offset and int(offset[0][0]) == uid + 1, f"meta poll_offset {offset}, expected {uid + 1}")


def check_escaping(h):
    name = "Budi <b>&amp; \"Sari\" 🙂"
    h.fake.push_text(CHAT + 1, "/start", first_name=name)
    h.wait_for(lambda: h.greetings_to(name), 30, "the greeting for a name with HTML characters")
    got = h.greetings()[name]
    check(len(got) == 1, f"escaped greeting delivered {len(got)} times")
    check(got[0].visible == h.expected_visible("start_welcome", name),
          "greeting with HTML characters in the name does not read as expected")


def check_not_available(h):
    """Outside a flow, a stranger's text gets the welcome (where linking starts), a photo or
    document a polite note, and an unknown command a hint — each exactly one reply."""
    photo = [{"file_id": "AgACAgIAAxkBAAIB", "file_unique_id": "AQADsb4x", "width": 90,
              "height": 90, "file_size": 1234}]
    document = {"file_id": "BQACAgIAAxkBAAIC", "file_unique_id": "AgADbg8", "file_name": "sk.pdf",
                "mime_type": "application/pdf", "file_size": 52345}
    chats = {5101: {"text": "halo, apa kabar?"}, 5102: {"photo": photo, "caption": "foto"},
             5103: {"document": document}, 5104: {"text": "/perintah_lain"}}
    expected = {5102: "media_not_understood", 5103: "media_not_understood",
                5104: "unknown_command"}
    with h.fake.batch():
        ids = [h.fake.push_message(chat, first_name="n", **fields) for chat, fields in chats.items()]
    h.wait_for(lambda: h.greetings(5101).get("n") and
               all(h.messages_with(expected[c], c) for c in expected), 30,
               "the welcome for a text, a note for a photo and a document, a hint for an unknown "
               "command")
    h.wait_idle(ids)
    for chat in chats:
        sent = h.fake.sent_messages(chat)
        check(len(sent) == 1, f"chat {chat} got {len(sent)} messages, expected one")


def check_callback_not_paced(h):
    """Four messages to one chat exceed its burst of 3, so the last waits ~1 s; the answer to
    a button press in that chat must not wait behind them."""
    chat = CHAT + 2
    names = [f"u20{i}" for i in range(4)]
    with h.fake.batch():
        for n in names:
            h.fake.push_text(chat, "/start", first_name=n)
        cq_update, cq_id = h.fake.push_callback(chat, "tok123")
    h.wait_for(lambda: h.greetings_to(*names), 30, "four greetings to one chat")
    h.wait_for(lambda: h.fake.answered_callbacks().get(cq_id), 30, "answerCallbackQuery")
    answers = [c for c in h.fake.calls("answerCallbackQuery")
               if c.params and c.params.get("callback_query_id") == cq_id and c.status == 200]
    check(len(answers) == 1, f"callback answered {len(answers)} times")
    last_greeting = max(m.t for n in names for m in h.greetings()[n])
    answered = h.fake.answered_callbacks()[cq_id]
    print(f"callback answered {answered - h.fake.handed_out_at(cq_update):.2f}s after hand-out; "
          f"the chat's last paced greeting came {last_greeting - answered:.2f}s later")
    check(answered < last_greeting,
          "answerCallbackQuery was held back behind the chat's paced messages")


def body(h):
    h.migrate()
    h.start()
    check_startup_calls(h)
    check_round_trip(h)
    check_escaping(h)
    check_not_available(h)
    check_callback_not_paced(h)


if __name__ == "__main__":
    harness.run_test("greeting", body)
