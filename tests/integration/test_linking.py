"""linking: HR issues an activation code with `karirbot invite` while the service runs; the
employee opens the deep link (/start CODE) from Telegram, confirms their name and unit with a
button, and gets the menu. The service learnt the bot's username from getMe, so the link names
it. The code appears in none of the bot's messages or calls, in no log and nowhere in the
database (only its hash is stored; the /start message is redacted in the conversation log).
A wrong code from another account is refused without a hint."""

import csv
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import answer_of, buttons  # noqa: E402

MAYA_NIP = "199903152025032006"  # the demo's unlinked employee (id 10)
STRANGER = 7601


def containing(h, chat, part):
    return [m for m in h.fake.sent_messages(chat) if part in m.visible]


def invite(h, nip):
    """Runs `karirbot invite NIP --csv` beside the service. Its output is the code's only copy,
    so it is read here and not kept as a log (the leak check below covers every log)."""
    proc = subprocess.run([*h.wrapper, h.bin, "invite", nip, "--csv"], env=h.env(),
                          capture_output=True, timeout=h.t(30), cwd=h.tmp)
    check(proc.returncode == 0, f"karirbot invite exited {proc.returncode}: {proc.stderr!r}")
    check(b"AddressSanitizer" not in proc.stderr, f"sanitizer report from invite: {proc.stderr!r}")
    rows = list(csv.DictReader(proc.stdout.decode("utf-8").splitlines()))
    check(len(rows) == 1, f"invite printed {rows}")
    return rows[0]


def check_code_secret(h, code):
    """The code, with or without dashes, in no log, no bot call and nowhere in the database."""
    forms = {code, code.replace("-", "")}
    forms |= {f.lower() for f in forms}
    for path in h.logs:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "replace")
        leaked = [c for c in forms if c in data]
        check(not leaked, f"the activation code appears in {path}")
    for call in h.fake.calls():
        text = json.dumps(call.params, ensure_ascii=False)
        check(not any(c in text for c in forms), f"the activation code appears in a "
                                                  f"{call.method} call")
    for suffix in ("", "-wal", "-journal"):
        path = h.db_path + suffix
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = f.read()
            check(not any(c.encode() in data for c in forms),
                  f"the activation code appears in {path}")


def body(h):
    h.seed_demo()
    h.start()
    h.wait_for(lambda: h.query("SELECT value FROM meta WHERE key = 'bot_username'"), 30,
               "the bot's username kept after getMe")

    row = invite(h, MAYA_NIP)
    code, link = row["code"], row["link"]
    check(row["nip"] == MAYA_NIP and row["name"] == "Maya Anggraini", f"invite row {row}")
    check(len(code) == 12 and code[4] == "-" and code[9] == "-", f"code format {code!r}")
    prefix = "https://t.me/karirbot_test_bot?start="
    check(link.startswith(prefix) and link[len(prefix):] == code.replace("-", ""),
          f"deep link {link!r}")
    stored = h.query("SELECT hash, used_at FROM activation_codes WHERE employee_id = 10")
    check(len(stored) == 1 and len(stored[0][0]) == 32 and stored[0][1] is None,
          f"stored code rows {stored}")

    # A wrong code from another account: refused, no name.
    h.fake.push_text(STRANGER, "/start AAAAAAAAAA", first_name="s1")
    h.wait_for(lambda: containing(h, STRANGER, "tidak dikenali"), 30, "the wrong-code answer")

    # The deep link: Telegram sends /start with the payload.
    maya = h.demo_user(MAYA_NIP)
    h.fake.push_text(maya, "/start " + link[len(prefix):], first_name="Maya")
    question = "Apakah benar Anda Maya Anggraini, Dinas Komunikasi dan Informatika?"
    confirm = h.wait_for(lambda: containing(h, maya, question), 30, "the name check")[-1]
    check(not h.query("SELECT 1 FROM links WHERE employee_id = 10"), "linked before the answer")
    yes = buttons(confirm).get(h.locale["btn_link_yes"])
    check(yes, f"buttons of the name check: {buttons(confirm)}")
    _, cq = h.fake.push_callback(maya, yes, message_id=confirm.message_id)
    done = h.wait_for(lambda: containing(h, maya, "Terima kasih, Ibu Maya Anggraini."), 30,
                      "the confirmation of the link")[-1]
    check(answer_of(h, cq) == "", "the press is answered without a notice")
    links = h.query("SELECT user_id, chat_id FROM links WHERE employee_id = 10")
    check(links == [(maya, maya)], f"links of Maya: {links}")
    used = h.query("SELECT used_by FROM activation_codes WHERE employee_id = 10")
    check(used == [(maya,)], f"the code is used by Maya: {used}")

    # Then the menu, and /start greets her by name.
    menu_button = buttons(done).get(h.locale["btn_open_menu"])
    check(menu_button, f"buttons after linking: {buttons(done)}")
    h.fake.push_callback(maya, menu_button, message_id=done.message_id)
    menu_title = h.expected_visible("menu_title", salutation="Ibu")
    h.wait_for(lambda: [m for m in h.fake.sent_messages(maya) if m.visible == menu_title], 30,
               "the menu, for Ibu")
    h.fake.push_text(maya, "/start", first_name="Maya")
    h.wait_for(lambda: containing(h, maya, ", Ibu Maya Anggraini."), 30, "the greeting by name")

    # The same link again, from another account: used, nothing linked.
    h.fake.push_text(STRANGER + 1, "/start " + link[len(prefix):], first_name="s2")
    h.wait_for(lambda: containing(h, STRANGER + 1, "sudah pernah digunakan"), 30,
               "the used-code answer")
    check(not h.query("SELECT 1 FROM links WHERE user_id = ?", STRANGER + 1), "a second link")

    h.wait_idle([])
    logged = h.query("SELECT text FROM conversation_log WHERE chat_id = ? AND text LIKE '/start%'",
                     maya)
    check(("/start [activation code]",) in logged, f"the logged /start: {logged}")
    h.stop()
    check_code_secret(h, code)


if __name__ == "__main__":
    harness.run_test("linking", body)
