"""foreign_outbox: rows that another process adds to the outbox (a broadcast from an admin
command) are noticed within about a second and sent once, paced like any other row; a row
whose text is longer than Telegram accepts is recorded undeliverable, never sent."""

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

CHAT = 7301
BROADCAST = 3  # enum kb_priority


def add_rows(h, texts):
    conn = sqlite3.connect(h.db_path, timeout=h.t(10))
    try:
        with conn:
            for text in texts:
                conn.execute("INSERT INTO outbox(chat_id, kind, priority, text, created_at) "
                             "VALUES(?, 0, ?, ?, strftime('%s', 'now'))", (CHAT, BROADCAST, text))
    finally:
        conn.close()
    return time.monotonic()


def body(h):
    h.migrate()
    h.start()
    first = h.fake.push_text(CHAT, "/start", first_name="f1")
    h.wait_for(lambda: h.greetings_to("f1"), 30, "the greeting")
    h.wait_idle([first])

    text = "Pengumuman: pendaftaran Latsar dibuka hingga 12 Januari 2027."
    committed = add_rows(h, [text])
    h.wait_for(lambda: [m for m in h.fake.sent_messages(CHAT) if m.visible == text], 10,
               "the row added by another process")
    delay = next(m.t for m in h.fake.sent_messages(CHAT) if m.visible == text) - committed
    print(f"a row added by another process was sent {delay * 1000:.0f} ms after its commit")
    check(delay <= h.t(2.0), f"noticed only after {delay:.2f}s (expected about a second)")

    too_long = "x" * 5000
    add_rows(h, [too_long])
    h.wait_for(lambda: h.query("SELECT state, error FROM outbox WHERE length(text) = 5000 "
                               "AND state <> 0"), 10, "the over-long row to be settled")
    state, error = h.query("SELECT state, error FROM outbox WHERE length(text) = 5000")[0]
    check(state == 2 and "long" in (error or ""),
          f"an over-long row ended in state {state} with error {error!r}, expected undeliverable")
    sent = [m for m in h.fake.sent_messages(CHAT) if m.visible == text]
    check(len(sent) == 1, f"the broadcast row was sent {len(sent)} times")


if __name__ == "__main__":
    harness.run_test("foreign_outbox", body)
