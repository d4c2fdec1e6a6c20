"""group: karirbot only works in private chats (DESIGN invariant 13). A group or supergroup
gets one polite refusal (locale key private_only) for its first message and nothing, ever, for
any later one, in the same batch or later, whatever the message (a /start, a plain text)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

GROUP = -4001234567
SUPERGROUP = -1001987654321


def refusals(h, chat_id):
    return h.messages_with("private_only", chat_id)


def body(h):
    h.migrate()
    h.start()
    with h.fake.batch():
        ids = [
            h.fake.push_text(GROUP, "/start", user_id=61, first_name="g1", chat_type="group"),
            h.fake.push_text(GROUP, "halo semua", user_id=62, first_name="g2",
                             chat_type="group"),
            h.fake.push_text(SUPERGROUP, "/start@karirbot_test_bot", user_id=63,
                             first_name="s1", chat_type="supergroup"),
            h.fake.push_text(6001, "/start", first_name="p1"),
        ]
    h.wait_for(lambda: h.greetings_to("p1"), 30, "the private chat's greeting")
    h.wait_for(lambda: refusals(h, GROUP) and refusals(h, SUPERGROUP), 30,
               "a refusal in the group and in the supergroup")
    h.wait_idle(ids)

    # A later message, in a later batch, to a group that was already told.
    ids += [h.fake.push_text(GROUP, "/start", user_id=64, first_name="g3", chat_type="group"),
            h.fake.push_text(SUPERGROUP, "tolong", user_id=63, first_name="s1",
                             chat_type="supergroup")]
    ids.append(h.fake.push_text(6001, "/start", first_name="p2"))
    h.wait_for(lambda: h.greetings_to("p2"), 30, "the second private greeting")
    h.wait_idle(ids)

    for chat_id in (GROUP, SUPERGROUP):
        sent = h.fake.sent_messages(chat_id)
        check(len(sent) == 1 and sent[0].visible == h.expected_visible("private_only"),
              f"chat {chat_id} got {len(sent)} messages {[m.visible[:40] for m in sent]}, "
              f"expected exactly one private_only refusal")
    rows = dict(h.query("SELECT chat_id, refused_at FROM chats WHERE chat_id IN (?, ?)",
                        GROUP, SUPERGROUP))
    h.expect(all(rows.get(c) for c in (GROUP, SUPERGROUP)),
             f"chats.refused_at not set for the refused groups: {rows}")
    states = h.update_states()
    check(all(states[u][0] in (harness.UPDATE_DONE, harness.UPDATE_SKIPPED) for u in ids),
          f"group updates not finished: {[(u, states.get(u)) for u in ids]}")


if __name__ == "__main__":
    harness.run_test("group", body)
