"""duplicate: an update id delivered twice is processed once (DESIGN invariant 1).
Two ways Telegram (or a crash) can deliver an id again:
- the same update twice in one getUpdates answer;
- an update the bot has already processed and confirmed, delivered again in a later batch
  (as after a crash between commit and confirmation, or a server-side hiccup)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

CHAT = 8001


def answered_once(h, name):
    got = h.greetings().get(name, [])
    check(len(got) == 1, f"{name} answered {len(got)} times")


def logged_in(h, uid):
    return h.query("SELECT count(*) FROM conversation WHERE direction = 0 "
                   "AND update_id = ?", uid)[0][0]


def handed_out_times(h, uid):
    return sum(1 for c in h.fake.calls("getUpdates") if uid in c.update_ids)


def body(h):
    h.migrate()
    # Same id twice in one batch: queued before the bot starts, so one answer holds both.
    same = h.fake.next_update_id()
    for _ in range(2):
        h.fake.push_text(CHAT, "/start", first_name="d0", update_id=same)
    h.start()
    h.wait_for(lambda: h.greetings_to("d0"), 30, "the greeting for d0")
    h.wait_idle([same])
    check(handed_out_times(h, same) == 1, "both copies were not in one getUpdates answer")

    # Redelivery of a confirmed id in a later batch, followed by a fresh update.
    first = h.fake.push_text(CHAT, "/start", first_name="d1")
    h.wait_for(lambda: h.greetings_to("d1"), 30, "the greeting for d1")
    h.wait_idle([first])
    h.fake.push_text(CHAT, "/start", first_name="d1", update_id=first, redeliver=True)
    sentinel = h.fake.push_text(CHAT, "/start", first_name="d2")
    h.wait_for(lambda: h.greetings_to("d2"), 30, "the greeting for d2")
    h.wait_idle([first, sentinel])
    check(handed_out_times(h, first) == 2, "the redelivery was not handed out")

    # The redelivery across batches must be skipped.
    for name in ("d1", "d2"):
        answered_once(h, name)
    for uid in (first, sentinel):
        n = logged_in(h, uid)
        check(n == 1, f"update {uid} logged as incoming {n} times")
    # The same id twice within one answer: reported separately so that a failure here does not
    # hide the result above.
    d0 = len(h.greetings().get("d0", []))
    h.expect(d0 == 1, f"an update id present twice in one getUpdates answer was processed "
                      f"{d0} times (replies) and logged {logged_in(h, same)} times")
    outbox = h.query("SELECT count(*) FROM outbox WHERE chat_id = ?", CHAT)[0][0]
    h.expect(outbox == 3, f"{outbox} outbox rows for 3 distinct updates")


if __name__ == "__main__":
    harness.run_test("duplicate", body)
