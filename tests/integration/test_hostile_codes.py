"""hostile_codes: guessing activation codes from many chats (issue 7, part 2), through the real
binary and the fake Bot API, with the clock fixed (KARIRBOT_FAKE_NOW) so the limits' windows
are exact: a restart moves time (src/dialog/act_accounts.c: 5 wrong codes per chat per hour,
30 across all chats per minute; a refusal over a limit says nothing about the code).

1. Per chat: an attacker's five wrong codes (typed, with and without dashes, lower case, and
   as /start deep-link payloads) are each answered link_wrong; the sixth try — Maya's real
   code — is answered link_limited, word for word the same answer as a wrong code over the
   limit gets, and links nothing.
2. Globally: five more chats spend five wrong codes each (30 in the minute); a fresh chat's
   first try is then refused (link_limited) and so is Maya herself with her real code — the
   price of the global bound, documented in act_accounts.c. A minute later (a restart with the
   clock moved) Maya links with it, while the first attacker is still limited for the hour.
3. Secrecy: Maya's code and every guess appear in no bot message or call, no log, and nowhere
   in the database files (the conversation log holds "[activation code]" in their place; the
   table of tries holds only the chat and the time) — also when the code came inside a
   message too long for the question (it must be redacted like any other try).
Only unknown codes count as tries; the deep link, the typed forms and the limits are all
asserted on what the attacker saw and what the database holds."""

import csv
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import answer_of, buttons, fragment, messages_with, press  # noqa: E402

MAYA_NIP = "199903152025032006"
T0 = 1795050000  # a Thursday, 09:00 WITA
CHAT_TRIES = 5
GLOBAL_TRIES = 30
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # the code alphabet (src/store/people.c)
ATTACKERS = [7300 + i for i in range(7)]


def invite(h, nip):
    """`karirbot invite NIP --csv` beside the service; its output is the code's only copy, read
    here and not kept as a log (the leak check covers every log)."""
    proc = subprocess.run([*h.wrapper, h.bin, "invite", nip, "--csv"],
                          env=h.env(KARIRBOT_FAKE_NOW=T0), capture_output=True,
                          timeout=h.t(30), cwd=h.tmp)
    check(proc.returncode == 0, f"karirbot invite exited {proc.returncode}: {proc.stderr!r}")
    rows = list(csv.DictReader(proc.stdout.decode("utf-8").splitlines()))
    check(len(rows) == 1, f"invite printed {rows}")
    return rows[0]["code"]


def guesses(rng, n, real):
    out = []
    while len(out) < n:
        raw = "".join(rng.choice(ALPHABET) for _ in range(10))
        if raw != real.replace("-", ""):
            out.append(raw)
    return out


def forms(code):
    bare = code.replace("-", "")
    grouped = f"{bare[:4]}-{bare[4:8]}-{bare[8:]}"
    return {bare, grouped, bare.lower(), grouped.lower()}


def answer_after(h, chat, text, keys):
    """Sends text from chat; returns (locale key, message) of the reply among keys."""
    n = len(h.fake.sent_messages(chat))
    h.fake.push_text(chat, text, first_name=f"a{chat}")
    parts = {k: fragment(h, k) for k in keys}

    def found():
        for m in h.fake.sent_messages(chat)[n:]:
            for k, part in parts.items():
                if part in m.visible:
                    return k, m
        return None
    return h.wait_for(found, 30, f"the answer to a code from {chat}")


def try_code(h, chat, code, i):
    """One try, alternating how a code arrives: typed grouped, typed bare lower case, or as the
    payload of /start (a deep link)."""
    bare = code.replace("-", "")
    text = [f"{bare[:4]}-{bare[4:8]}-{bare[8:]}", bare.lower(), "/start " + bare][i % 3]
    return answer_after(h, chat, text, ("link_wrong", "link_limited", "link_confirm"))


def open_code_step(h, chat):
    """/start, then "I have a code": the typed codes go to the code question."""
    n = len(h.fake.sent_messages(chat))
    h.fake.push_text(chat, "/start", first_name=f"a{chat}")
    welcome = h.wait_for(lambda: [m for m in h.fake.sent_messages(chat)[n:] if buttons(m)], 30,
                         f"the welcome of {chat}")[-1]
    press(h, chat, welcome, h.locale["btn_link_have_code"])


def check_secret(h, secrets):
    """None of the strings in secrets in any log, any bot call, or the database files."""
    for path in h.logs:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "replace")
        leaked = [s for s in secrets if s in data]
        check(not leaked, f"{len(leaked)} code(s) appear in {path}, e.g. {leaked[0]!r}"
              if leaked else "")
    for call in h.fake.calls():
        text = json.dumps(call.params, ensure_ascii=False)
        leaked = [s for s in secrets if s in text]
        check(not leaked, f"a code appears in a {call.method} call: {leaked[:1]}")
    for suffix in ("", "-wal", "-journal"):
        path = h.db_path + suffix
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = f.read()
            leaked = [s for s in secrets if s.encode() in data]
            check(not leaked, f"{len(leaked)} code(s) appear in {path}, e.g. {leaked[0]!r}"
                  if leaked else "")


def body(h):
    rng = random.Random(h.seed)
    h.seed_demo()
    # Pacing is not under test here (test_batch.py): quicker per-chat pacing keeps it short.
    h.env_overrides.update(KARIRBOT_RATE_CHAT=20, KARIRBOT_CHAT_BURST=10)
    h.start(KARIRBOT_FAKE_NOW=T0)
    h.wait_for(lambda: h.query("SELECT value FROM meta WHERE key = 'bot_username'"), 30,
               "the bot's username")
    code = invite(h, MAYA_NIP)
    maya = h.demo_user(MAYA_NIP)
    secrets = set(forms(code))

    # ---- 1. one chat ----------------------------------------------------------------------------
    first = ATTACKERS[0]
    open_code_step(h, first)
    wrong = guesses(rng, CHAT_TRIES, code)
    for i, guess in enumerate(wrong):
        secrets |= forms(guess)
        key, msg = try_code(h, first, guess, i)
        check(key == "link_wrong", f"wrong code {i + 1} from one chat answered {key}")
    key, limited_right = try_code(h, first, code, 0)
    check(key == "link_limited", f"Maya's code from a chat over its limit answered {key}")
    # A code long enough to be refused by a length check is still a try at a code: redacted.
    bare = code.replace("-", "")
    long_text = f"Kode saya {bare[:4]}-{bare[4:8]}-{bare[8:]}, mohon dibantu ya " + "." * 60
    before = h.query("SELECT count(*) FROM conversation_log WHERE chat_id = ?", first)[0][0]
    n = len(h.fake.sent_messages(first))
    h.fake.push_text(first, long_text, first_name=f"a{first}")
    h.wait_for(lambda: len(h.fake.sent_messages(first)) > n, 30, "the answer to a long text")
    check(h.query("SELECT count(*) FROM conversation_log WHERE chat_id = ?", first)[0][0] ==
          before + 1, "the long text was not logged once")
    key, limited_wrong = try_code(h, first, guesses(rng, 1, code)[0], 1)
    check(key == "link_limited", f"a wrong code over the limit answered {key}")
    check(limited_right.visible == limited_wrong.visible,
          "the refusal over the limit differs between the right and a wrong code")
    check(not h.query("SELECT 1 FROM links WHERE employee_id = 10"), "Maya linked by an attacker")
    check(h.query("SELECT count(*) FROM link_attempts WHERE chat_id = ?", first) ==
          [(CHAT_TRIES,)], "tries over the limit were counted (or the tries were not)")

    # ---- 2. many chats --------------------------------------------------------------------------
    spent = CHAT_TRIES
    for chat in ATTACKERS[1:6]:
        open_code_step(h, chat)
        for i, guess in enumerate(guesses(rng, CHAT_TRIES, code)):
            secrets |= forms(guess)
            key, _ = try_code(h, chat, guess, i)
            check(key == "link_wrong", f"chat {chat}, try {i + 1}, with {spent} tries spent "
                                       f"in the minute: answered {key}")
            spent += 1
    check(spent == GLOBAL_TRIES, f"{spent} tries")
    fresh = ATTACKERS[6]
    open_code_step(h, fresh)
    key, _ = try_code(h, fresh, guesses(rng, 1, code)[0], 0)
    check(key == "link_limited", f"a fresh chat's first try over the global limit: {key}")
    key, _ = answer_after(h, maya, "/start " + code.replace("-", ""),
                          ("link_limited", "link_confirm", "link_wrong"))
    check(key == "link_limited", f"Maya's own code during the global limit: {key}")
    check(not h.query("SELECT 1 FROM links WHERE employee_id = 10"), "linked over the limit")
    check(h.query("SELECT count(*) FROM link_attempts") == [(GLOBAL_TRIES,)],
          "the tries stored")
    h.stop()

    # ---- a minute later: the global window has passed, the first chat's hour has not ----------
    h.start(KARIRBOT_FAKE_NOW=T0 + 61)
    key, confirm = answer_after(h, maya, "/start " + code.replace("-", ""),
                                ("link_limited", "link_confirm", "link_wrong"))
    check(key == "link_confirm", f"Maya's code a minute later: {key}")
    press(h, maya, confirm, h.locale["btn_link_yes"])
    h.wait_for(lambda: h.query("SELECT user_id FROM links WHERE employee_id = 10") == [(maya,)],
               30, "Maya linked")
    key, _ = try_code(h, first, guesses(rng, 1, code)[0], 0)
    check(key == "link_limited", f"the first attacker a minute later: {key}")
    h.wait_idle([])

    # ---- what the attackers saw, and what is kept ----------------------------------------------
    for chat in ATTACKERS:
        for m in h.fake.sent_messages(chat):
            check("Maya" not in m.visible and "Anggraini" not in m.visible,
                  f"an attacker saw Maya's name: {m.visible!r}")
    logged = h.query("SELECT chat_id, text FROM conversation_log WHERE chat_id IN (%s)"
                     % ",".join(str(c) for c in ATTACKERS + [maya]))
    pressed = {t for c in ATTACKERS + [maya] for m in h.fake.sent_messages(c)
               for t in buttons(m).values()}
    for chat, text in logged:
        check(text in ("/start", "[activation code]", "/start [activation code]") or
              text in pressed, f"chat {chat}: the conversation log keeps {text!r}")
    cols = [r[1] for r in h.query("PRAGMA table_info(link_attempts)")]
    check(cols == ["chat_id", "at"], f"link_attempts holds {cols}")
    h.stop()
    check_secret(h, sorted(secrets))
    print(f"{len(secrets) // 4} codes (Maya's and {len(secrets) // 4 - 1} guesses) found "
          f"nowhere", flush=True)


if __name__ == "__main__":
    harness.run_test("hostile_codes", body)
