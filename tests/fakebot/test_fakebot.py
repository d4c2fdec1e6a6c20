"""test_fakebot: proof that the fake Bot API's conformance checks can fail.

The integration suite trusts tests/fakebot/fakebot.py to record as a violation every call real
Telegram would refuse (or that breaks a rule the project keeps); a check that never fires would
make every integration test pass vacuously. This self-test runs the fake server alone and sends
it raw HTTP requests, one per kind of violation, asserting that each one is answered with an
error status and recorded as exactly the violation expected, with its reason — and that the
valid calls around them are answered 200 and recorded as nothing.

Run:  python3 tests/fakebot/test_fakebot.py   (exit 0 = every case behaved)
"""

import http.client
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakebot  # noqa: E402

TOKEN = "123456:SELFTEST-token"
CHAT = 555001          # a private chat the fake has seen (an update came from it)
OTHER_CHAT = 555002    # another one, for the throttling case
UNSEEN_CHAT = 555999   # never wrote: Telegram answers "chat not found"

failures = []


class Client:
    """One keep-alive HTTP/1.1 connection, as libcurl uses it."""

    def __init__(self, bot):
        self.bot = bot
        self.conn = http.client.HTTPConnection("127.0.0.1", bot.port, timeout=10)

    def raw(self, method, body, ctype="application/json", path=None):
        """Sends body (bytes) to method; returns (status, decoded JSON or None)."""
        target = path or f"/bot{TOKEN}/{method}"
        self.conn.request("POST", target, body=body, headers={"Content-Type": ctype})
        resp = self.conn.getresponse()
        data = resp.read()
        try:
            return resp.status, json.loads(data)
        except ValueError:
            return resp.status, None

    def call(self, method, params):
        return self.raw(method, json.dumps(params).encode())


def fail(message):
    print(f"FAIL: {message}", flush=True)
    failures.append(message)


def expect_violation(client, label, method, params=None, reasons=(), status=400, body=None,
                     ctype="application/json"):
    """The call is answered with status (an error, unless status is 200: a few rule breaks are
    served but still recorded) and adds violations whose messages contain each of reasons, in
    order, and no other violation."""
    before = len(client.bot.violations())
    if body is None:
        got, reply = client.call(method, params)
    else:
        got, reply = client.raw(method, body, ctype)
    new = client.bot.violations()[before:]
    messages = [v.message for v in new]
    if got != status:
        fail(f"{label}: HTTP {got} (expected {status}); reply {reply}")
    if status != 200 and reply is not None and reply.get("ok") is not False:
        fail(f"{label}: the reply is not an error: {reply}")
    if len(new) != len(reasons) or any(r not in m for r, m in zip(reasons, messages)):
        fail(f"{label}: violations {messages}, expected {list(reasons)}")
    else:
        print(f"ok   {label}: {messages}")
    return new


def expect_valid(client, label, method, params):
    before = len(client.bot.violations())
    got, reply = client.call(method, params)
    new = client.bot.violations()[before:]
    if got != 200 or not (reply or {}).get("ok"):
        fail(f"{label}: HTTP {got}, reply {reply} (a valid call)")
    elif new:
        fail(f"{label}: a valid call recorded {new}")
    else:
        print(f"ok   {label}: accepted")
    return reply


def message(text, chat=CHAT, **extra):
    return {"chat_id": chat, "text": text, "parse_mode": "HTML", **extra}


def keyboard(*buttons):
    return {"inline_keyboard": [list(buttons)]}


def schema_cases(c):
    expect_violation(c, "unknown method", "sendMesage", message("halo"), ["unknown method"],
                     status=404)
    expect_violation(c, "method name in the wrong case", "sendmessage", message("halo"),
                     ["method name case differs"], status=200)
    expect_violation(c, "unknown field", "sendMessage", message("halo", colour="red"),
                     ["unknown field colour"])
    expect_violation(c, "unknown field inside a button", "sendMessage",
                     message("halo", reply_markup=keyboard(
                         {"text": "Ya", "callback_data": "t1", "colour": "red"})),
                     ["unknown field reply_markup.inline_keyboard[0][0].colour"])
    expect_violation(c, "missing required field", "sendMessage",
                     {"chat_id": CHAT, "parse_mode": "HTML"}, ["missing required field text"])
    expect_violation(c, "missing required field inside a button", "sendMessage",
                     message("halo", reply_markup=keyboard({"callback_data": "t1"})),
                     ["missing required field reply_markup.inline_keyboard[0][0].text"])
    expect_violation(c, "wrong type: text is a number", "sendMessage",
                     {"chat_id": CHAT, "text": 42}, ["text: expected String"])
    expect_violation(c, "wrong type: Boolean as a string", "sendMessage",
                     message("halo", disable_notification="yes"),
                     ["disable_notification: expected Boolean"])
    expect_violation(c, "wrong type: chat_id is a boolean", "sendMessage",
                     {"chat_id": True, "text": "halo"},
                     ["chat_id: expected Integer or String", "chat_id is not an integer"])
    expect_violation(c, "wrong type: a keyboard row is not an array", "sendMessage",
                     message("halo", reply_markup={"inline_keyboard": [{"text": "x"}]}),
                     ["reply_markup.inline_keyboard[0]: expected Array of InlineKeyboardButton"])
    expect_violation(c, "wrong type: message_id is a float", "editMessageText",
                     {"chat_id": CHAT, "message_id": 1.5, "text": "x"},
                     ["message_id: expected Integer"])
    expect_violation(c, "chat_id that is not a number", "sendMessage",
                     {"chat_id": "@somechannel", "text": "halo"}, ["chat_id is not an integer"])
    expect_violation(c, "a chat that never wrote", "sendMessage", message("halo", UNSEEN_CHAT),
                     ["chat not found"])
    expect_violation(c, "a button without a type", "sendMessage",
                     message("halo", reply_markup=keyboard({"text": "Ya"})),
                     ["needs exactly one button type field"])
    expect_violation(c, "a button with two types", "sendMessage",
                     message("halo", reply_markup=keyboard(
                         {"text": "Ya", "callback_data": "t1", "url": "https://example.org"})),
                     ["needs exactly one button type field"])
    expect_violation(c, "getUpdates limit over 100", "getUpdates", {"limit": 101, "timeout": 0},
                     ["limit 101 outside 1..100"])
    expect_violation(c, "a command Telegram refuses", "setMyCommands",
                     {"commands": [{"command": "Menu-Utama", "description": "Menu"}]},
                     ["1-32 chars of a-z0-9_"])
    expect_violation(c, "callback answer text over 200 characters", "answerCallbackQuery",
                     {"callback_query_id": "1", "text": "x" * 201},
                     ["answerCallbackQuery text over 200"])


def body_cases(c):
    expect_violation(c, "a body that is not JSON", "sendMessage", body=b'{"chat_id": 555001,',
                     reasons=["request body is not valid JSON"])
    expect_violation(c, "a body that is not UTF-8", "sendMessage",
                     body=b'{"chat_id": 555001, "text": "caf\xe9"}',
                     reasons=["request body is not valid UTF-8"])
    expect_violation(c, "a lone surrogate escape in the text", "sendMessage",
                     body=b'{"chat_id": 555001, "text": "broken \\ud800 text"}',
                     reasons=["unpaired UTF-16 surrogate"])
    expect_violation(c, "a Content-Type Telegram does not read", "sendMessage",
                     body=b"chat_id=555001&text=halo", ctype="text/plain",
                     reasons=["unsupported Content-Type"])


def length_cases(c):
    expect_valid(c, "4096 characters", "sendMessage", message("a" * 4096))
    expect_violation(c, "4097 characters", "sendMessage", message("a" * 4097),
                     ["message is too long: 4097 UTF-16 units"])
    # Outside the Basic Multilingual Plane a character is two UTF-16 units: 2048 emoji fit,
    # 2049 do not (Telegram counts UTF-16 units, not code points or bytes).
    expect_valid(c, "2048 emoji = 4096 UTF-16 units", "sendMessage", message("\U0001F600" * 2048))
    expect_violation(c, "2049 emoji = 4098 UTF-16 units", "sendMessage",
                     message("\U0001F600" * 2049), ["message is too long: 4098 UTF-16 units"])
    # Tags and entities do not count; what the user sees does.
    expect_valid(c, "4096 visible characters inside tags", "sendMessage",
                 message("<b>" + "a" * 4092 + "</b>&amp;&lt;&gt;&quot;"))
    expect_violation(c, "an edit over 4096 characters", "editMessageText",
                     {"chat_id": CHAT, "message_id": 1, "text": "b" * 4097, "parse_mode": "HTML"},
                     ["message is too long"])
    expect_violation(c, "an empty text", "sendMessage", message("<b> </b>"),
                     ["message text is empty"])


def callback_data_cases(c):
    expect_valid(c, "callback_data of 64 bytes", "sendMessage",
                 message("pilih", reply_markup=keyboard({"text": "Ya", "callback_data": "x" * 64})))
    expect_violation(c, "callback_data of 65 bytes", "sendMessage",
                     message("pilih", reply_markup=keyboard(
                         {"text": "Ya", "callback_data": "x" * 65})),
                     ["callback_data is 65 bytes"])
    # 33 characters but 66 bytes: the limit is in bytes.
    expect_violation(c, "callback_data of 33 two-byte characters", "sendMessage",
                     message("pilih", reply_markup=keyboard(
                         {"text": "Ya", "callback_data": "\u00e9" * 33})),
                     ["callback_data is 66 bytes"])
    expect_violation(c, "empty callback_data", "sendMessage",
                     message("pilih", reply_markup=keyboard({"text": "Ya", "callback_data": ""})),
                     ["callback_data is 0 bytes"])
    expect_violation(c, "a button with empty text", "sendMessage",
                     message("pilih", reply_markup=keyboard({"text": " ", "callback_data": "t"})),
                     ["has empty text"])


def html_cases(c):
    expect_valid(c, "balanced HTML with every entity", "sendMessage",
                 message('<b>Tebal <i>miring</i></b> <a href="https://example.org">tautan</a> '
                         '<code>x &lt; y &amp;&amp; y &gt; z</code> &quot;kutip&quot; &#128512;'))
    cases = [
        ("an unclosed tag", "<b>tebal", "unclosed tag(s) <b>"),
        ("a closing tag never opened", "tebal</b>", "unbalanced closing tag </b>"),
        ("crossed tags", "<b><i>x</b></i>", "unbalanced closing tag </b>", "unclosed tag(s)"),
        ("a tag Telegram does not know", "<div>x</div>", "unsupported tag <div>",
         "unsupported tag </div>"),
        ("a script tag", "<script>alert(1)</script>", "unsupported tag <script>",
         "unsupported tag </script>"),
        ("a link without href", "<a>tautan</a>", "<a> without href"),
        ("an unescaped <", "1 < 2", "unescaped '<'"),
        ("an unescaped >", "2 > 1", "unescaped '>'"),
        ("an unescaped &", "Q&A", "unescaped '&'"),
        ("a named entity Telegram does not know", "a&nbsp;b", "unsupported named entity &nbsp;"),
        ("a numeric entity for a surrogate", "&#xD800;", "invalid numeric entity"),
    ]
    for label, text, *reasons in cases:
        expect_violation(c, label, "sendMessage", message(text),
                         ["can't parse entities: " + r for r in reasons])
    expect_violation(c, "unbalanced HTML in an edit", "editMessageText",
                     {"chat_id": CHAT, "message_id": 1, "text": "<i>x", "parse_mode": "HTML"},
                     ["unclosed tag(s) <i>"])
    expect_violation(c, "a parse mode karirbot does not use", "sendMessage",
                     message("*tebal*", parse_mode="MarkdownV2"), ["parse_mode 'MarkdownV2'"])
    # Without parse_mode the text is plain: "<" is just a character.
    expect_valid(c, "plain text with < and &", "sendMessage", {"chat_id": CHAT, "text": "1 < 2 & 3"})


def throttle_cases(c):
    bot = c.bot
    bot.set_faults("sendMessage", p429=1.0, retry_after=1)
    got, reply = c.call("sendMessage", message("pertama", OTHER_CHAT))
    bot.clear_faults()
    if got != 429 or (reply or {}).get("parameters", {}).get("retry_after") != 1:
        fail(f"the injected 429: HTTP {got}, {reply}")
    expect_violation(c, "a throttled chat called before retry_after", "sendMessage",
                     message("kedua", OTHER_CHAT), ["throttled chat called early"], status=200)
    expect_valid(c, "another chat while one is throttled", "sendMessage", message("lain"))
    time.sleep(1.0 + 2 * bot.throttle_slack)
    expect_valid(c, "the throttled chat after retry_after", "sendMessage",
                 message("ketiga", OTHER_CHAT))


def valid_cases(c):
    expect_valid(c, "getMe", "getMe", {})
    expect_valid(c, "deleteWebhook", "deleteWebhook", {"drop_pending_updates": False})
    reply = expect_valid(c, "sendMessage with a keyboard", "sendMessage", message(
        "<b>Menu</b>", link_preview_options={"is_disabled": True},
        reply_markup=keyboard({"text": "RPI", "callback_data": "AbCdEfGh12345678"},
                              {"text": "Situs", "url": "https://example.org"})))
    msg_id = (reply or {}).get("result", {}).get("message_id")
    expect_valid(c, "editMessageText", "editMessageText",
                 {"chat_id": CHAT, "message_id": msg_id, "text": "<i>Diubah</i>",
                  "parse_mode": "HTML"})
    _, cq = c.bot.push_callback(CHAT, "AbCdEfGh12345678", message_id=msg_id)
    expect_valid(c, "answerCallbackQuery", "answerCallbackQuery",
                 {"callback_query_id": cq, "text": "Tombol ini sudah tidak berlaku."})
    expect_valid(c, "setMyCommands", "setMyCommands",
                 {"commands": [{"command": "menu", "description": "Menu utama"}]})
    expect_valid(c, "getUpdates", "getUpdates", {"offset": 0, "limit": 100, "timeout": 0,
                                                 "allowed_updates": ["message", "callback_query"]})
    # Form-encoded parameters are converted by the field's type, as Telegram does.
    before = len(c.bot.violations())
    got, reply = c.raw("sendMessage", f"chat_id={CHAT}&text=halo&disable_notification=true"
                       .encode(), "application/x-www-form-urlencoded")
    if got != 200 or len(c.bot.violations()) != before:
        fail(f"a form-encoded sendMessage: HTTP {got} {reply}")
    else:
        print("ok   a form-encoded sendMessage: accepted")


def main():
    bot = fakebot.FakeBot(TOKEN, echo_violations=False).start()
    try:
        bot.push_text(CHAT, "/start", first_name="Uji")
        bot.push_text(OTHER_CHAT, "/start", first_name="Uji lain")
        c = Client(bot)
        valid_cases(c)
        schema_cases(c)
        body_cases(c)
        length_cases(c)
        callback_data_cases(c)
        html_cases(c)
        throttle_cases(c)
        # A request with the wrong token is Telegram's 401, not a conformance violation.
        before = len(bot.violations())
        got, _ = c.raw("getMe", b"{}", path="/bot999:wrong/getMe")
        if got != 401 or len(bot.violations()) != before:
            fail(f"a wrong token: HTTP {got}, violations {bot.violations()[before:]}")
        # Every refused call above is one the integration harness would fail a test on.
        total = len(bot.violations())
        print(f"{total} violations recorded in all")
    finally:
        bot.stop()
    if failures:
        print(f"test_fakebot: {len(failures)} failure(s)")
        return 1
    print("test_fakebot: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
