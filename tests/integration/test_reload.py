"""reload: texts HR edits in the override directory (KARIRBOT_DATA_DIR, /etc/karirbot in
production) take precedence over the shipped ones, and SIGHUP applies an edit to the running
service (DESIGN invariant 15). A broken edit is refused with a clear log line and the texts in
use stay; keys the override does not mention keep their shipped wording."""

import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

CHAT = 7401


def write_override(h, text):
    os.makedirs(os.path.join(h.tmp, "etc", "locales"), exist_ok=True)
    with open(os.path.join(h.tmp, "etc", "locales", "id.json"), "w", encoding="utf-8") as f:
        f.write(text)


def texts(h):
    return [m.visible for m in h.fake.sent_messages(CHAT)]


def body(h):
    override = os.path.join(h.tmp, "etc")
    write_override(h, json.dumps({"start_welcome": "Halo {name}, ini teks dari BKPSDM."}))
    h.migrate()
    h.start(KARIRBOT_DATA_DIR=override)

    h.fake.push_text(CHAT, "/start", first_name="r1")
    h.wait_for(lambda: "Halo r1, ini teks dari BKPSDM." in texts(h), 30,
               "the greeting from the override directory")
    h.fake.push_text(CHAT, "apa kabar")
    h.wait_for(lambda: h.expected_visible("choose_button") in texts(h), 30,
               "a text the override does not mention, as shipped")

    write_override(h, json.dumps({"start_welcome": "Selamat datang kembali, {name}."}))
    log_at = h.log_size()
    h.proc.send_signal(signal.SIGHUP)
    h.wait_log(r"event=service\.reloaded", 10, since=log_at)
    h.fake.push_text(CHAT, "/start", first_name="r2")
    h.wait_for(lambda: "Selamat datang kembali, r2." in texts(h), 30,
               "the edited greeting after SIGHUP")

    write_override(h, '{"start_welcome": "Rusak')  # an unfinished edit
    log_at = h.log_size()
    h.proc.send_signal(signal.SIGHUP)
    h.wait_log(r"event=service\.reload_failed", 10, since=log_at)
    check("locale.invalid" in h.log_since(log_at), "the log does not say which catalog is broken")
    h.fake.push_text(CHAT, "/start", first_name="r3")
    h.wait_for(lambda: "Selamat datang kembali, r3." in texts(h), 30,
               "the texts in use kept after a broken edit")


if __name__ == "__main__":
    harness.run_test("reload", body)
