"""bad_responses: karirbot survives whatever the Bot API (or a proxy) answers, logs it, keeps
polling, and still answers a normal /start afterwards (DESIGN invariants 10 and 12):
- getUpdates answers that are malformed JSON, 10 MB long, HTTP 200 with ok=false, an nginx 502;
- update kinds karirbot does not handle (edited_message, poll, chat_member, my_chat_member,
  message_reaction, a kind invented after this release);
- 64-bit ids: private chat and user ids near 2**52, a supergroup id below -10**15, update ids
  above 2**32;
- invalid UTF-8 inside a message text (answered with unreadable_text);
- an update that makes the whole answer unparseable (a lone UTF-16 surrogate escape) between two
  good ones: the good ones are answered and the bad one is skipped, isolated by fetching again
  with limit=1."""

import itertools
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

_names = (f"r{i}" for i in itertools.count(1))


def still_answers(h, chat_id=9000):
    """Pushes a /start and waits for its greeting: the service is alive and polling."""
    name = next(_names)
    uid = h.fake.push_text(chat_id, "/start", first_name=name)
    h.wait_for(lambda: h.greetings_to(name), 30, f"the greeting for {name} after the fault")
    return uid


def scripted_fault(h, kind):
    since = h.log_size()
    h.fake.script_get_updates(kind)
    h.wait_for(lambda: h.fake.scripted_left() == 0, 30, f"karirbot to receive the {kind} answer")
    h.wait_log(r"level=(warn|error)", 30, since=since,
               what=f"a warn or error log line about the {kind} getUpdates answer")
    print(f"{kind}: " + h.log_since(since).strip().splitlines()[0][:220])
    still_answers(h)


def unknown_kinds(h):
    user = {"id": 9101, "is_bot": False, "first_name": "x"}
    chat = {"id": 9101, "type": "private", "first_name": "x"}
    now = int(time.time())
    updates = [
        {"edited_message": {"message_id": 5, "from": user, "chat": chat, "date": now,
                            "edit_date": now, "text": "/start"}},
        {"poll": {"id": "5001", "question": "?", "options": [], "total_voter_count": 0,
                  "is_closed": False, "is_anonymous": True, "type": "regular",
                  "allows_multiple_answers": False}},
        {"chat_member": {"chat": {"id": -4009, "type": "group", "title": "g"}, "from": user,
                         "date": now, "old_chat_member": {"status": "left", "user": user},
                         "new_chat_member": {"status": "member", "user": user}}},
        {"my_chat_member": {"chat": chat, "from": user, "date": now,
                            "old_chat_member": {"status": "member", "user": user},
                            "new_chat_member": {"status": "kicked", "user": user,
                                                "until_date": 0}}},
        {"message_reaction": {"chat": chat, "message_id": 5, "date": now, "user": user,
                              "old_reaction": [], "new_reaction": []}},
        {"quantum_entanglement": {"id": 1, "spin": "up", "nested": {"deep": [1, 2, {"x": None}]}}},
    ]
    with h.fake.batch():
        ids = [h.fake.push_update(u) for u in updates]
    ids.append(still_answers(h))
    h.wait_idle(ids)
    states = h.update_states()
    check(all(states.get(u, (0,))[0] != harness.UPDATE_PENDING for u in ids[:-1]),
          f"unknown update kinds left pending: {[(u, states.get(u)) for u in ids]}")
    dead = h.query("SELECT count(*) FROM dead_letters")[0][0]
    h.expect(dead == 0, f"{dead} dead letters for update kinds that should just be ignored")


def big_ids(h):
    private = 2**52 - 12345
    supergroup = -1001999888777666
    uid = h.fake.next_update_id() + 2**32
    h.fake.push_text(private, "/start", user_id=2**52 - 99, first_name="big1", update_id=uid)
    h.fake.push_text(supergroup, "/start", user_id=2**41 + 7, first_name="big2",
                     chat_type="supergroup")
    h.wait_for(lambda: h.greetings_to("big1"), 30, "the greeting to a chat id near 2**52")
    h.wait_for(lambda: h.messages_with("private_only", supergroup), 30,
               "the refusal to a supergroup id below -10**15")
    check(h.greetings()["big1"][0].chat_id == private, "greeting to the wrong chat id")
    states = h.update_states()
    check(states.get(uid, (0,))[0] == harness.UPDATE_DONE, f"update {uid} not stored exactly")
    still_answers(h)


def invalid_utf8(h):
    chat = 9201
    uid = h.fake.next_update_id()
    raw = (b'{"update_id":%d,"message":{"message_id":77,"from":{"id":%d,"is_bot":false,'
           b'"first_name":"u8"},"chat":{"id":%d,"type":"private","first_name":"u8"},'
           b'"date":%d,"text":"halo \xff\xfe dunia \xc3"}}' % (uid, chat, chat, int(time.time())))
    h.fake.push_raw_update_bytes(raw)
    h.wait_for(lambda: h.messages_with("unreadable_text", chat), 30,
               "the unreadable_text reply to invalid UTF-8")
    still_answers(h)


def unparseable_update(h):
    """A lone low surrogate escape is valid JSON syntax but cJSON refuses the whole document."""
    chat = 9301
    with h.fake.batch():
        good1 = h.fake.push_text(chat, "/start", first_name="before-bad")
        bad = h.fake.next_update_id()
        raw = (b'{"update_id":%d,"message":{"message_id":78,"from":{"id":%d,"is_bot":false,'
               b'"first_name":"bad"},"chat":{"id":%d,"type":"private","first_name":"bad"},'
               b'"date":%d,"text":"broken \\udc00 text"}}' % (bad, chat, chat, int(time.time())))
        h.fake.push_raw_update_bytes(raw)
        good2 = h.fake.push_text(chat, "/start", first_name="after-bad")
    h.wait_for(lambda: h.greetings_to("before-bad", "after-bad"), 45,
               "the good updates around an unparseable one")
    h.wait_for(lambda: h.fake.confirmed_offset() > bad, 30, "the bad update to be confirmed")
    h.wait_idle([good1, good2])
    isolated = [c for c in h.fake.calls("getUpdates")
                if c.params and c.params.get("limit") == 1]
    h.expect(isolated, "no getUpdates with limit=1 to isolate the unparseable update "
                       "(DESIGN invariant 12)")
    dead = h.query("SELECT update_id, reason FROM dead_letters WHERE update_id = ?", bad)
    print(f"unparseable update {bad}: dead letter {dead}")
    still_answers(h)


def body(h):
    h.migrate()
    h.start()
    still_answers(h)
    for kind in ("malformed", "huge", "ok_false", "html_502"):
        scripted_fault(h, kind)
    unknown_kinds(h)
    big_ids(h)
    invalid_utf8(h)
    unparseable_update(h)
    check(h.alive(), "karirbot is not running at the end")


if __name__ == "__main__":
    harness.run_test("bad_responses", body)
