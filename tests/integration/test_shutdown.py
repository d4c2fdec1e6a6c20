"""shutdown: SIGTERM while 500 replies are being sent. karirbot stops polling, goes on sending
until KARIRBOT_SHUTDOWN_DEADLINE, exits 0, and after a restart every update is answered exactly
once: a clean shutdown repeats nothing and loses nothing. The pacing (50 msg/s) leaves more
replies than the 2 s deadline can send, so the shutdown really interrupts the outbox."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from test_batch import check_exactly_once_in_order  # noqa: E402

CHATS = 50
PER_CHAT = 10
DEADLINE = 2
PACING = {"KARIRBOT_RATE_GLOBAL": 50, "KARIRBOT_RATE_CHAT": 20, "KARIRBOT_CHAT_BURST": 5,
          "KARIRBOT_SHUTDOWN_DEADLINE": DEADLINE}


def body(h):
    h.env_overrides.update(PACING)
    h.migrate()
    h.start()
    plan = []
    with h.fake.batch():
        for i in range(CHATS * PER_CHAT):
            chat_id = 600000 + i % CHATS
            name = f"s{1000 + i}"
            plan.append((chat_id, name, h.fake.push_text(chat_id, "/start", first_name=name)))
    half = len(plan) // 2
    h.wait_for(lambda: h.fake.sent_count() >= half, 30, f"{half} replies before SIGTERM")
    sent_at_term = h.fake.sent_count()
    began = time.monotonic()
    h.stop(timeout=DEADLINE + 15)
    took = time.monotonic() - began
    print(f"SIGTERM after {sent_at_term} replies; exited 0 in {took:.2f}s with "
          f"{h.fake.sent_count()} replies sent")
    check(took <= h.t(DEADLINE + 3), f"shutdown took {took:.1f}s, deadline {DEADLINE}s")
    check(h.fake.sent_count() < len(plan), "everything was sent before the shutdown: the test "
                                           "did not interrupt anything")
    h.start()
    names = [n for _, n, _ in plan]
    h.wait_for(lambda: h.greetings_to(*names), 45, "every update answered after the restart")
    h.wait_idle([u for _, _, u in plan])
    check_exactly_once_in_order(h, plan)
    states = h.query("SELECT state, count(*) FROM outbox GROUP BY state")
    check(states == [(harness.OUTBOX_SENT, len(plan))], f"outbox states {states}")


if __name__ == "__main__":
    harness.run_test("shutdown", body)
