"""deadletter: an update whose handler fails every time (a SQLite trigger aborts any
conversation_log row containing "boom") is retried a bounded number of times, then recorded as a
dead letter with its reason and skipped (DESIGN invariant 12). Meanwhile every other chat,
including later updates of the same chat, is answered, and the failed update leaves no effect
(no reply)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

MAX_ATTEMPTS = 3
BOOM_CHAT = 7001
TRIGGER = """
CREATE TRIGGER boom BEFORE INSERT ON conversation_log WHEN NEW.text LIKE '%boom%'
BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
"""


def body(h):
    h.migrate()
    h.execute(TRIGGER)
    h.start(KARIRBOT_MAX_ATTEMPTS=MAX_ATTEMPTS)
    before = [(7100 + i, f"d{i}") for i in range(5)]
    after = [(7100 + i, f"e{i}") for i in range(5)] + [(BOOM_CHAT, "later7001")]
    with h.fake.batch():
        ids = [h.fake.push_text(c, "/start", first_name=n) for c, n in before]
        boom = h.fake.push_text(BOOM_CHAT, "boom", first_name="bomber")
        ids += [h.fake.push_text(c, "/start", first_name=n) for c, n in after]
    names = [n for _, n in before + after]
    h.wait_for(lambda: h.greetings_to(*names), 45, "every other update answered")
    h.wait_for(lambda: h.update_states().get(boom, (0,))[0] == harness.UPDATE_DEAD, 45,
               f"update {boom} to become a dead letter")
    h.wait_idle(ids + [boom])

    state, attempts = h.update_states()[boom]
    print(f"boom update: state {state}, attempts {attempts}")
    failures_logged = len(re.findall(rf"event=pipeline\.update_failed update={boom}\b",
                                     h.log_text()))
    h.expect(1 <= attempts <= MAX_ATTEMPTS,
             f"updates.attempts of the dead letter is {attempts}, more than "
             f"KARIRBOT_MAX_ATTEMPTS={MAX_ATTEMPTS} (the log shows {failures_logged} failures)")
    rows = h.query("SELECT update_id, chat_id, reason, raw FROM dead_letters")
    check(len(rows) == 1 and rows[0][0] == boom, f"dead_letters rows {rows}")
    _, chat_id, reason, raw = rows[0]
    print(f"dead letter: chat {chat_id} reason {reason!r} raw {str(raw)[:80]!r}")
    check(reason and reason.strip(), "dead letter without a reason")
    check(chat_id in (None, BOOM_CHAT), f"dead letter chat_id {chat_id}")
    for name, msgs in h.greetings().items():
        check(len(msgs) == 1, f"{name} answered {len(msgs)} times")
    menus = h.messages_with("menu_title", BOOM_CHAT)
    check(not menus, "the failed update's reply was sent although its effects were rolled back")
    logged = h.query("SELECT count(*) FROM conversation_log WHERE update_id = ?", boom)[0][0]
    check(logged == 0, f"the failed update left {logged} conversation_log rows")


if __name__ == "__main__":
    harness.run_test("deadletter", body)
