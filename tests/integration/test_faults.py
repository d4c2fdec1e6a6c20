"""faults: while 10% of all Bot API calls get 429 (retry_after 1 s), 5% get 500 or 502 and 3% of
connections are reset before the server reads the request, 100 updates from 20 chats are each
answered exactly once and in order per chat: nothing lost, nothing doubled, and no call reaches a
chat before the retry_after of its 429 has passed (the fake server records that as a violation).
A 5xx or a reset here never delivers the message, so a repeat would be a real duplicate.
Then the permanent errors: a 403 (the user blocked the bot) and a 400 for one text are recorded
as undeliverable after one attempt, not retried (DESIGN invariant 2)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from test_batch import check_exactly_once_in_order  # noqa: E402

CHATS = 20
PER_CHAT = 5


def permanent_errors(h):
    blocked, rejected = 401001, 401002
    h.fake.block_chat(blocked)
    h.fake.reject_text("tolak-me")
    ids = [h.fake.push_text(blocked, "/start", first_name="blocked-user"),
           h.fake.push_text(rejected, "/start", first_name="tolak-me")]
    h.wait_idle(ids)
    for chat_id in (blocked, rejected):
        rows = h.query("SELECT state, error FROM outbox WHERE chat_id = ?", chat_id)
        attempts = [c for c in h.fake.calls("sendMessage")
                    if c.params and c.params.get("chat_id") == chat_id]
        print(f"chat {chat_id}: outbox {rows}, {len(attempts)} sendMessage call(s)")
        check(len(rows) == 1 and rows[0][0] == harness.OUTBOX_UNDELIVERABLE,
              f"chat {chat_id}: outbox {rows}, expected one undeliverable row")
        check(len(attempts) == 1, f"chat {chat_id}: {len(attempts)} sendMessage calls for a "
                                  f"permanent error, expected 1")
    blocked_at = h.query("SELECT blocked_at FROM chats WHERE chat_id = ?", blocked)
    h.expect(blocked_at and blocked_at[0][0], f"chats.blocked_at not set after a 403: {blocked_at}")


def body(h):
    h.migrate()
    h.start()
    h.fake.set_faults("*", p429=0.10, p5xx=0.05, preset=0.03, retry_after=1)
    plan = []
    with h.fake.batch():
        for i in range(CHATS * PER_CHAT):
            chat_id = 400000 + i % CHATS
            name = f"f{1000 + i}"
            plan.append((chat_id, name, h.fake.push_text(chat_id, "/start", first_name=name)))
    names = [n for _, n, _ in plan]
    h.wait_for(lambda: h.greetings_to(*names), 50, "all 100 greetings despite faults")
    h.wait_idle([u for _, _, u in plan], 30)
    h.fake.clear_faults()
    faults = h.fake.fault_counts()
    print(f"injected: {faults}; {h.fake.call_count()} calls in all")
    check(sum(faults.values()) > 0, "no fault was injected: the test proved nothing")
    check_exactly_once_in_order(h, plan)
    rows = h.query("SELECT state, count(*) FROM outbox GROUP BY state")
    check(rows == [(harness.OUTBOX_SENT, len(plan))], f"outbox states {rows}, expected all sent")
    permanent_errors(h)


if __name__ == "__main__":
    harness.run_test("faults", body)
