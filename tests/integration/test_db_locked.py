"""db_locked: another process holding the database's write lock never stalls the loop
(DESIGN invariant 14). While an admin-style connection keeps BEGIN IMMEDIATE open for a few
seconds, karirbot keeps retrying on a timer (each try waits at most its short busy timeout),
loses nothing and counts no extra attempts; once the lock is gone every update is answered
exactly once."""

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

HOLD_S = 3.0


def body(h):
    h.migrate()
    h.start(KARIRBOT_LOG_LEVEL="debug")
    first = h.fake.push_text(7201, "/start", first_name="a1")
    h.wait_for(lambda: h.greetings_to("a1"), 30, "the greeting before the lock")
    h.wait_idle([first])

    lock = sqlite3.connect(h.db_path, timeout=h.t(10), isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    log_at = h.log_size()
    held_from = time.monotonic()
    ids = [h.fake.push_text(7202, "/start", first_name="b1"),
           h.fake.push_text(7203, "/start", first_name="c1")]
    time.sleep(HOLD_S)
    answered_while_locked = h.greetings_to("b1") or h.greetings_to("c1")
    lock.execute("COMMIT")
    lock.close()
    held = time.monotonic() - held_from

    h.wait_for(lambda: h.greetings_to("b1", "c1"), 30, "the greetings after the lock")
    h.wait_idle(ids)
    check(not answered_while_locked, "a reply went out before its batch could be committed")
    busy = [e for e in h.log_events(h.log_since(log_at)) if e.get("event") == "poll.db_busy"]
    print(f"lock held {held:.1f}s; karirbot retried {len(busy)} times meanwhile")
    check(len(busy) >= 5, f"only {len(busy)} retries logged while the lock was held {held:.1f}s: "
                          "the loop should retry on a timer, not wait")
    states = h.update_states()
    check(all(states[u] == (harness.UPDATE_DONE, 1) for u in ids),
          f"updates after the lock: {[(u, states.get(u)) for u in ids]}, expected done after "
          "exactly one attempt")
    greeted = h.greetings()
    for name in ("b1", "c1"):
        n = len(greeted.get(name, []))
        check(n == 1, f"{name} greeted {n} times")


if __name__ == "__main__":
    harness.run_test("db_locked", body)
