"""dialog: what the integration tests do as a Telegram user in karirbot's dialogs — read a sent
message's inline keyboard, find a message by the fixed words of its locale text, wait for a
message or a button, press a button and wait for the press to be answered."""

import html
import json
import re

from harness import check


def buttons(msg):
    """label -> callback_data of a sent message's inline keyboard."""
    markup = msg.params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}

def fragment(h, key):
    """The longest fixed piece of a locale text (between its {variables}), as a user sees it:
    found in the message whatever the variables were."""
    parts = re.split(r"\{[a-z_]+\}", h.locale[key])
    best = max(parts, key=len)
    return html.unescape(re.sub(r"<[^>]+>", "", best)).strip()

def messages_with(h, chat, key):
    part = fragment(h, key)
    return [m for m in h.fake.sent_messages(chat) if part in m.visible]

def wait_message(h, chat, key, after=0):
    """The newest message to chat showing locale key, once more than `after` of them came."""
    h.wait_for(lambda: len(messages_with(h, chat, key)) > after, 30, f"message {key} to {chat}")
    return messages_with(h, chat, key)[-1]

def wait_button(h, chat, label, after_count):
    """The newest message to chat (beyond the first after_count) with a button labelled label."""
    def found():
        msgs = h.fake.sent_messages(chat)[after_count:]
        return [m for m in msgs if label in buttons(m)]
    h.wait_for(found, 30, f"a message to {chat} with the button {label!r}")
    return found()[-1]

def training_listed(h, chat, title, since):
    """The /pelatihan list sent to chat after its first `since` messages that offers title:
    (the message, the label of its button, "<title> (<dates>)")."""
    def item():
        for m in h.fake.sent_messages(chat)[since:]:
            for label in buttons(m):
                if label.startswith(title + " ("):
                    return m, label
        return None
    return h.wait_for(item, 30, f"{title} in the list of open trainings for {chat}")

def open_registration(h, chat, title, since):
    """Opens title in the /pelatihan list sent after `since` messages and presses Daftar; waits
    for the question of the reason. Returns the training's detail message."""
    listing, label = training_listed(h, chat, title, since)
    n = len(h.fake.sent_messages(chat))
    press(h, chat, listing, label)
    detail = wait_button(h, chat, h.locale["btn_training_register"], n)
    before = len(messages_with(h, chat, "pelatihan_ask_reason"))
    press(h, chat, detail, h.locale["btn_training_register"])
    wait_message(h, chat, "pelatihan_ask_reason", before)
    return detail

def answer_of(h, cq_id):
    calls = [c for c in h.fake.calls("answerCallbackQuery")
             if c.params.get("callback_query_id") == cq_id and c.status == 200]
    return calls[0].params.get("text", "") if calls else None

def press(h, chat, msg, label):
    token = buttons(msg).get(label)
    check(token, f"no button {label!r} on {msg!r}: {list(buttons(msg))}")
    _, cq = h.fake.push_callback(chat, token, message_id=msg.message_id)
    h.wait_for(lambda: answer_of(h, cq) is not None, 30, f"the answer to pressing {label!r}")
    return cq
