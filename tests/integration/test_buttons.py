"""buttons: a new user walks from /start into linking by pressing inline buttons, through the
real Bot API path (DESIGN invariants 5 and 6). Every press is answered with
answerCallbackQuery; a button pressed twice, by another chat, or forged changes nothing and its
answer says why; the dialog state is in the database."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import answer_of, buttons  # noqa: E402

USER, OTHER = 7501, 7502


def last_with(h, chat, key):
    want = h.expected_visible(key)
    msgs = [m for m in h.fake.sent_messages(chat) if m.visible.startswith(want[:40])]
    return msgs[-1] if msgs else None


def press(h, chat, token, message_id, expect_key=None):
    before = len(h.fake.sent_messages(chat))
    _, cq = h.fake.push_callback(chat, token, message_id=message_id)
    h.wait_for(lambda: answer_of(h, cq) is not None, 30, f"the answer to press {cq}")
    if expect_key:
        h.wait_for(lambda: last_with(h, chat, expect_key) and
                   len(h.fake.sent_messages(chat)) > before, 30, f"the {expect_key} message")
    return cq


def body(h):
    h.migrate()
    h.start()
    h.fake.push_text(OTHER, "/start", first_name="o1")
    h.fake.push_text(USER, "/start", first_name="w1")
    h.wait_for(lambda: h.greetings_to("w1", "o1"), 30, "the welcomes")
    welcome = h.greetings()["w1"][0]
    have_code = h.locale["btn_link_have_code"]
    token = buttons(welcome).get(have_code)
    check(token and len(token.encode()) <= 64, f"welcome buttons {buttons(welcome)}")
    other_token = buttons(h.greetings()["o1"][0]).get(have_code)

    cq = press(h, USER, token, welcome.message_id, "link_enter_code")
    check(answer_of(h, cq) == "", "a good press is answered without a notice")

    sent = len(h.fake.sent_messages(USER))
    cq = press(h, USER, token, welcome.message_id)  # the welcome's button, again
    check(answer_of(h, cq) == h.locale["button_stale"], f"second press answered {answer_of(h, cq)!r}")
    other_sent = len(h.fake.sent_messages(OTHER))
    cq = press(h, OTHER, token, welcome.message_id)  # USER's button, pressed in OTHER's chat
    check(answer_of(h, cq) == h.locale["button_foreign"],
          f"someone else's press answered {answer_of(h, cq)!r}")
    cq = press(h, USER, "AAAAAAAAAAAAAAAA", welcome.message_id)  # forged
    check(answer_of(h, cq) == h.locale["button_stale"], f"forged press answered {answer_of(h, cq)!r}")
    h.wait_idle([])
    check(len(h.fake.sent_messages(USER)) == sent and
          len(h.fake.sent_messages(OTHER)) == other_sent,
          "a refused press sent a message")
    flow = h.query("SELECT flow, state FROM sessions WHERE chat_id = ?", USER)
    check(flow and flow[0] == ("start", "enter_code"), f"the session after the walk: {flow}")
    check(other_token and other_token != token, "each chat's welcome has its own tokens")

    # The command menu Telegram shows comes from the dialogs and the locale.
    calls = [c for c in h.fake.calls("setMyCommands") if c.status == 200]
    check(calls, "setMyCommands was not called at start")
    commands = calls[-1].params.get("commands")
    if isinstance(commands, str):
        commands = json.loads(commands)
    got = {c["command"]: c["description"] for c in commands}
    for name in ("start", "menu", "bahasa", "bantuan", "batal"):
        check(got.get(name) == h.locale[f"cmd_{name}"], f"/{name} in the command menu: {got}")


if __name__ == "__main__":
    harness.run_test("buttons", body)
