"""batch: 100 /start updates from 20 private chats arrive at once. Each is answered exactly
once, to the right chat, and each chat's replies arrive in the order of its updates (DESIGN
invariant 3), with the default pacing (1 msg/s per chat after a burst of 3, 28 msg/s overall),
which the sends respect (invariant 4): in any window of w seconds a chat gets at most
burst + rate*w messages, and all chats together at most 30 in any one second."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

CHATS = 20
PER_CHAT = 5
RATE_CHAT, CHAT_BURST, RATE_GLOBAL = 1.0, 3, 28.0


def check_exactly_once_in_order(h, plan):
    """plan: list of (chat_id, name, update_id) in push order."""
    got = h.greetings()
    for chat_id, name, _ in plan:
        sent = got.get(name, [])
        check(len(sent) == 1, f"{name} was answered {len(sent)} times")
        check(sent[0].chat_id == chat_id, f"{name}'s reply went to chat {sent[0].chat_id}, "
                                          f"not {chat_id}")
    for chat_id in {c for c, _, _ in plan}:
        expected = [n for c, n, _ in plan if c == chat_id]
        delivered = [h.greeting_name(m) for m in h.fake.sent_messages(chat_id)]
        check(delivered == expected, f"chat {chat_id} got replies in order {delivered}, "
                                     f"expected {expected}")


def worst_window(times, burst, rate):
    """The largest excess of any window over a token bucket (burst, rate): count minus
    burst + rate * width; positive means the bucket was overdrawn. One message of slack covers
    timestamps taken a moment after the send."""
    times = sorted(times)
    worst = float("-inf")
    for i in range(len(times)):
        for j in range(i, len(times)):
            worst = max(worst, (j - i + 1) - (burst + rate * (times[j] - times[i]) + 1))
    return worst


def check_pacing(h):
    sent = h.fake.sent_messages()
    per_chat = {}
    for m in sent:
        per_chat.setdefault(m.chat_id, []).append(m.t)
    for chat_id, times in per_chat.items():
        excess = worst_window(times, CHAT_BURST, RATE_CHAT)
        check(excess <= 0, f"chat {chat_id} got {excess:.1f} messages more than its rate "
                           f"limit allows in some window")
    excess = worst_window([m.t for m in sent], RATE_GLOBAL, RATE_GLOBAL)
    check(excess <= 0, f"{excess:.1f} messages over the global rate limit in some window")
    # KARIRBOT_RATE_GLOBAL has no burst setting of its own, and Telegram asks for no more than
    # ~30 messages in any second: a full one-second bucket spent at once plus the refill would
    # double that.
    times = sorted(m.t for m in sent)
    busiest = max(sum(1 for t in times if s <= t < s + 1) for s in times)
    print(f"busiest second: {busiest} messages (global rate {RATE_GLOBAL:g}/s)")
    h.expect(busiest <= RATE_GLOBAL + 1,
             f"{busiest} messages within one second with KARIRBOT_RATE_GLOBAL={RATE_GLOBAL:g}")


def body(h):
    h.migrate()
    h.start()
    plan = []
    with h.fake.batch():
        for i in range(CHATS * PER_CHAT):
            chat_id = 300000 + i % CHATS
            name = f"u{1000 + i}"
            plan.append((chat_id, name, h.fake.push_text(chat_id, "/start", first_name=name)))
    names = [n for _, n, _ in plan]
    h.wait_for(lambda: h.greetings_to(*names), 45, "all 100 greetings")
    h.wait_idle([u for _, _, u in plan])
    check_exactly_once_in_order(h, plan)
    first = min(h.fake.handed_out_at(u) for _, _, u in plan)
    last = max(m.t for m in h.fake.sent_messages())
    print(f"100 updates answered in {last - first:.2f}s "
          f"({h.fake.call_count('getUpdates')} getUpdates calls)")
    total = len(h.fake.sent_messages())
    check(total == len(plan), f"{total} messages sent for {len(plan)} updates")
    check_pacing(h)


if __name__ == "__main__":
    harness.run_test("batch", body)
