"""hostile_forgery: linked employees forging or replaying callback data, and supervisors pressing
buttons of requests that were withdrawn, decided or given to someone else (issue 7, part 2),
through the real binary and the fake Bot API on the demo organisation.

1. Replay across chats, every area: Dewi opens her RPI (and one activity), her registrations,
   her promotion status and the mentoring choice; Fajar his promotion file. Rudi, linked too,
   presses every button either of them was sent, from his own chat; Dewi presses Fajar's. Each
   press is answered "not for you" (button_foreign), nobody gets a message or an edit, and no
   session or record changes.
2. Forged callback data from a linked chat: random, SQL, the engine's own internal choices
   ("b:0", "l:flow:rpi", "s:kartu_persetujuan:1:approve"), another chat's token with one
   character changed, over 64 bytes, empty, invalid UTF-8. Each is answered "no longer valid"
   (button_stale) and changes nothing.
3. Deciding someone else's approval: Dewi presses the Setujui/Tolak/Detail of her own request's
   card from her chat (the card is in Hendra's): foreign, still waiting. HR reassigns a request
   to Agus; Hendra's old card then says it is not his to decide (approval_forbidden) and the
   request is unchanged, until Agus decides it from /persetujuan.
4. A supervisor pressing after the request was decided or withdrawn, from /persetujuan (the
   card cases are in test_approval_decisions.py and test_rpi_approval.py): Hendra opens the
   detail of a request, decides it on the card, then presses Setujui in the detail — "already
   approved", one decision, Dewi told once; Hendra opens another detail, Dewi withdraws, Hendra
   presses Setujui — "withdrawn", nothing decided, Dewi not told."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import (open_registration, answer_of, buttons, fragment, messages_with, press,  # noqa: E402
                    wait_button, wait_message)

AGUS_NIP = "196905201994031002"
HENDRA_NIP = "197804152003121004"
DEWI_NIP = "199003222015032001"
RUDI_NIP = "199107102019031005"
FAJAR_NIP = "198601092011011007"
TRAININGS = ("E-Learning Manajemen ASN", "Pelatihan Penulisan Naskah Kebijakan",
             "Bimbingan Teknis Analisis Data dengan Python")
REASON = "Untuk memahami manajemen ASN secara menyeluruh"

# Tables an attacker would want to change; their content must not move on a refused press.
RECORDS = ("approvals", "registrations", "rpi_activities", "rpi_plans", "mentor_requests",
           "promotion_files", "links", "activation_codes")


def snapshot(h):
    """Everything in the records an attacker could try to change (sessions excluded)."""
    tables = {r[0] for r in h.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: h.query(f"SELECT * FROM {t} ORDER BY rowid") for t in RECORDS if t in tables}


def edits_to(h, chat):
    return [c for c in h.fake.calls("editMessageText")
            if str((c.params or {}).get("chat_id")) == str(chat)]


def say(h, chat, text, name):
    n = len(h.fake.sent_messages(chat))
    h.fake.push_text(chat, text, first_name=name)
    return n


def press_token(h, chat, token, message_id=None):
    _, cq = h.fake.push_callback(chat, token, message_id=message_id)
    h.wait_for(lambda: answer_of(h, cq) is not None, 30, f"the answer to a press in {chat}")
    return answer_of(h, cq)


def press_raw(h, chat, data_bytes):
    """A press whose callback data is raw bytes (invalid UTF-8 included)."""
    uid = h.fake.next_update_id()
    cq = str(4300000000000000000 + uid)
    h.fake.push_raw_update_bytes(
        b'{"update_id":%d,"callback_query":{"id":"%s","from":{"id":%d,"is_bot":false,'
        b'"first_name":"x"},"message":{"message_id":1,"from":{"id":7000000001,"is_bot":true,'
        b'"first_name":"karirbot test"},"chat":{"id":%d,"type":"private","first_name":"x"},'
        b'"date":%d,"text":"x"},"chat_instance":"1","data":"%s"}}'
        % (uid, cq.encode(), chat, chat, int(time.time()), data_bytes))
    h.wait_for(lambda: answer_of(h, cq) is not None, 30, "the answer to a raw press")
    return answer_of(h, cq)


def refused_quietly(h, attacker, victims, before, expect, presses):
    """Each press in presses (a list of callables returning the answer) is answered with
    locale key expect; afterwards nobody got a message or an edit and no record changed."""
    sent = {c: len(h.fake.sent_messages(c)) for c in (attacker, *victims)}
    edits = {c: len(edits_to(h, c)) for c in (attacker, *victims)}
    session = h.query("SELECT flow, state, data FROM sessions WHERE chat_id = ?", attacker)
    for what, do in presses:
        got = do()
        check(got == h.locale[expect], f"{what}: answered {got!r}, expected {expect}")
    h.wait_idle([])
    for c in (attacker, *victims):
        check(len(h.fake.sent_messages(c)) == sent[c],
              f"a refused press sent chat {c} a message: {h.fake.sent_messages(c)[sent[c]:]}")
        check(len(edits_to(h, c)) == edits[c], f"a refused press edited a message in chat {c}")
    check(snapshot(h) == before, "a refused press changed a record")
    check(h.query("SELECT flow, state, data FROM sessions WHERE chat_id = ?", attacker) == session,
          "a refused press changed the attacker's session")


def collect_tokens(h, chat):
    tokens = []
    for m in h.fake.sent_messages(chat):
        for label, token in buttons(m).items():
            tokens.append((f"{label!r} sent to {chat}", token, m.message_id))
    return tokens


def open_areas(h, dewi, fajar):
    """Dewi and Fajar open what holds their records; every button they get is a target."""
    n = say(h, dewi, "/rpi", "Dewi")
    overview = wait_button(h, dewi, h.locale["btn_rpi_add"], n)
    activity = next(l for l in buttons(overview) if "Kursus Analisis Data" in l)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, overview, activity)
    wait_button(h, dewi, h.locale["btn_back"], n)
    n = say(h, dewi, "/pelatihanku", "Dewi")
    h.wait_for(lambda: [m for m in h.fake.sent_messages(dewi)[n:] if buttons(m)], 30,
               "Dewi's registrations")
    n = say(h, dewi, "/pangkat", "Dewi")
    h.wait_for(lambda: [m for m in h.fake.sent_messages(dewi)[n:] if buttons(m)], 30,
               "Dewi's promotion status")
    n = say(h, dewi, "/mentor", "Dewi")
    wait_button(h, dewi, h.locale["btn_mentor_mentoring"], n)
    n = say(h, fajar, "/pangkat", "Fajar")
    status = h.wait_for(lambda: [m for m in h.fake.sent_messages(fajar)[n:]
                                 if fragment(h, "promo_status") in m.visible], 30,
                        "Fajar's promotion file")[-1]
    check("Fajar" in status.visible or buttons(status), f"Fajar's status: {status.visible!r}")


def register(h, dewi, title):
    """Dewi asks for a training (no RPI activity); returns the approval id."""
    open_registration(h, dewi, title, say(h, dewi, "/pelatihan", "Dewi"))
    n = say(h, dewi, REASON, "Dewi")
    options = wait_button(h, dewi, h.locale["btn_training_no_rpi"], n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, options, h.locale["btn_training_no_rpi"])
    summary = wait_button(h, dewi, h.locale["btn_training_send"], n)
    before = len(messages_with(h, dewi, "pelatihan_sent"))
    press(h, dewi, summary, h.locale["btn_training_send"])
    wait_message(h, dewi, "pelatihan_sent", before)
    rows = h.query("SELECT a.id FROM approvals a JOIN registrations r ON r.id = a.subject_id "
                   "JOIN trainings t ON t.id = r.training_id WHERE a.kind = 'training' AND "
                   "t.title = ? AND r.employee_id = 4 AND a.status = 'menunggu'", title)
    check(len(rows) == 1, f"one waiting approval for {title}: {rows}")
    return rows[0][0]


def approval(h, aid):
    return h.query("SELECT status, approver_id, decided_by, decided_at FROM approvals "
                   "WHERE id = ?", aid)[0]


def open_detail(h, hendra, title):
    """Hendra's /persetujuan, then the detail of Dewi's request for title (the only one)."""
    n = say(h, hendra, "/persetujuan", "Hendra")

    def listed():
        for m in h.fake.sent_messages(hendra)[n:]:
            for label in buttons(m):
                if label.startswith("Dewi Lestari"):  # her one request waiting
                    return m, label
        return None
    listing, label = h.wait_for(listed, 30, f"{title} in Hendra's /persetujuan")
    n = len(h.fake.sent_messages(hendra))
    press(h, hendra, listing, label)
    detail = wait_button(h, hendra, h.locale["btn_approve"], n)
    check(title in detail.visible, f"the detail is not about {title}: {detail.visible!r}")
    return detail


def withdraw(h, dewi, title):
    n = say(h, dewi, "/pelatihanku", "Dewi")

    def mine():
        for m in h.fake.sent_messages(dewi)[n:]:
            for label in buttons(m):
                if label.startswith(title):
                    return m, label
        return None
    listing, label = h.wait_for(mine, 30, f"{title} in /pelatihanku")
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, listing, label)
    detail = wait_button(h, dewi, h.locale["btn_training_cancel"], n)
    n = len(h.fake.sent_messages(dewi))
    press(h, dewi, detail, h.locale["btn_training_cancel"])
    confirm = wait_button(h, dewi, h.locale["btn_training_cancel_yes"], n)
    before = len(messages_with(h, dewi, "pelatihanku_cancelled"))
    press(h, dewi, confirm, h.locale["btn_training_cancel_yes"])
    wait_message(h, dewi, "pelatihanku_cancelled", before)


def body(h):
    h.seed_demo()
    # Pacing is not under test here (test_batch.py): quicker per-chat pacing keeps it short.
    h.start(KARIRBOT_RATE_CHAT=20, KARIRBOT_CHAT_BURST=10)
    agus, hendra, dewi, rudi, fajar = (h.demo_user(n) for n in
                                       (AGUS_NIP, HENDRA_NIP, DEWI_NIP, RUDI_NIP, FAJAR_NIP))
    for chat, name in ((agus, "Agus"), (hendra, "Hendra"), (rudi, "Rudi")):
        say(h, chat, "/menu", name)
        h.wait_for(lambda c=chat: h.fake.sent_messages(c), 30, f"the menu for {name}")

    # ---- 1. replay across chats ---------------------------------------------------------------
    open_areas(h, dewi, fajar)
    h.wait_idle([])
    targets = collect_tokens(h, dewi) + collect_tokens(h, fajar)
    check(len(targets) >= 15, f"only {len(targets)} buttons to replay")
    before = snapshot(h)
    refused_quietly(h, rudi, (dewi, fajar), before, "button_foreign", [
        (f"Rudi pressing {what}", lambda t=token, m=mid: press_token(h, rudi, t, m))
        for what, token, mid in targets])
    refused_quietly(h, dewi, (fajar,), before, "button_foreign", [
        (f"Dewi pressing {what}", lambda t=token, m=mid: press_token(h, dewi, t, m))
        for what, token, mid in collect_tokens(h, fajar)])
    print(f"{len(targets)} buttons of Dewi and Fajar replayed from Rudi's chat: all refused",
          flush=True)

    # ---- 2. forged data -----------------------------------------------------------------------
    dewi_token = targets[0][1]
    altered = dewi_token[:-1] + ("A" if dewi_token[-1] != "A" else "B")
    forged = ["AAAAAAAAAAAAAAAA", "' OR '1'='1", "'; DROP TABLE buttons; --", "b:0", "back",
              "l:flow:rpi", "p:2", "s:kartu_persetujuan:1:approve", "s:kenaikan_pangkat:9",
              altered, dewi_token.lower() if dewi_token.lower() != dewi_token else altered,
              "x" * 65, "\u00e9" * 40, "<b>x</b>", "%s%s%n", ""]
    presses = [(f"forged {f[:30]!r}", lambda f=f: press_token(h, rudi, f)) for f in forged]
    presses.append(("forged invalid UTF-8", lambda: press_raw(h, rudi, b"\xff\xfe\xc3")))
    refused_quietly(h, rudi, (dewi, fajar), before, "button_stale", presses)

    # ---- 3. someone else's approval -----------------------------------------------------------
    first = register(h, dewi, TRAININGS[0])
    card = wait_message(h, hendra, "approval_card_training")
    before = snapshot(h)
    refused_quietly(h, dewi, (hendra,), before, "button_foreign", [
        (f"Dewi pressing {label!r} on her request's card",
         lambda t=token: press_token(h, dewi, t, card.message_id))
        for label, token in buttons(card).items()])
    check(approval(h, first)[0] == "menunggu", f"after Dewi's presses: {approval(h, first)}")

    rc, out = h.run_command("approvals", "reassign", str(first), "--to", AGUS_NIP)
    check(rc == 0, f"approvals reassign exited {rc}: {out[-800:]}")
    check(approval(h, first)[:2] == ("menunggu", 1), f"after reassign: {approval(h, first)}")
    dewi_count = len(h.fake.sent_messages(dewi))
    forbidden_before = len(messages_with(h, hendra, "approval_forbidden"))
    press(h, hendra, card, h.locale["btn_approve"])
    wait_message(h, hendra, "approval_forbidden", forbidden_before)
    h.wait_idle([])
    check(approval(h, first) == ("menunggu", 1, None, None),
          f"Hendra's old card decided a reassigned request: {approval(h, first)}")
    check(not [m for m in h.fake.sent_messages(dewi)[dewi_count:]
               if fragment(h, "training_note_approved") in m.visible],
          "Dewi was told of a decision that did not happen")
    n = say(h, agus, "/persetujuan", "Agus")
    item = h.wait_for(lambda: [(m, l) for m in h.fake.sent_messages(agus)[n:]
                               for l in buttons(m) if l.startswith("Dewi Lestari")], 30,
                      "the request in Agus's /persetujuan")[0]
    n = len(h.fake.sent_messages(agus))
    press(h, agus, item[0], item[1])
    detail = wait_button(h, agus, h.locale["btn_approve"], n)
    press(h, agus, detail, h.locale["btn_approve"])
    h.wait_for(lambda: approval(h, first)[:3] == ("disetujui", 1, 1), 30,
               "Agus's decision recorded")

    # Agus decided it: Hendra's old card is still not his to decide, and changes nothing.
    decided = approval(h, first)
    forbidden_before = len(messages_with(h, hendra, "approval_forbidden"))
    press(h, hendra, card, h.locale["btn_reject"])
    wait_message(h, hendra, "approval_forbidden", forbidden_before)
    h.wait_idle([])
    check(approval(h, first) == decided, f"Hendra's old card changed Agus's decision: "
                                         f"{approval(h, first)}")

    # ---- 4. decided, then withdrawn, before a press -------------------------------------------
    # Decided from /persetujuan, then the card's Setujui and Tolak: "already approved".
    second = register(h, dewi, TRAININGS[1])
    card = wait_message(h, hendra, "approval_card_training")
    detail = open_detail(h, hendra, TRAININGS[1])

    def told():  # approved with a seat, or approved onto the waiting list
        return (len(messages_with(h, dewi, "training_note_approved")) +
                len(messages_with(h, dewi, "training_note_waiting")))
    told_before = told()
    press(h, hendra, detail, h.locale["btn_approve"])
    h.wait_for(lambda: told() > told_before, 30, "Dewi told of the decision")
    decided = approval(h, second)
    check(decided[:3] == ("disetujui", 2, 2), f"the decision from /persetujuan: {decided}")
    for label in (h.locale["btn_approve"], h.locale["btn_reject"]):
        before_msgs = len(messages_with(h, hendra, "approval_approved_before"))
        press(h, hendra, card, label)
        wait_message(h, hendra, "approval_approved_before", before_msgs)
    h.wait_idle([])
    check(approval(h, second) == decided, f"a second decision: {approval(h, second)}")
    check(told() == told_before + 1, "Dewi was told twice")

    # Withdrawn while Hendra had the detail open in /persetujuan, then Setujui there.
    third = register(h, dewi, TRAININGS[2])
    wait_message(h, hendra, "approval_card_training")
    detail = open_detail(h, hendra, TRAININGS[2])
    withdraw(h, dewi, TRAININGS[2])
    withdrawn = approval(h, third)
    check(withdrawn[:3] == ("ditarik", 2, None), f"withdrawn: {withdrawn}")
    dewi_count = len(h.fake.sent_messages(dewi))
    before_msgs = len(messages_with(h, hendra, "approval_withdrawn"))
    press(h, hendra, detail, h.locale["btn_approve"])
    wait_message(h, hendra, "approval_withdrawn", before_msgs)
    h.wait_idle([])
    check(approval(h, third) == withdrawn, f"after the press: {approval(h, third)}")
    check(len(h.fake.sent_messages(dewi)) == dewi_count, "Dewi was told about a withdrawn request")
    regs = h.query("SELECT r.status FROM registrations r JOIN trainings t ON t.id = r.training_id "
                   "WHERE t.title = ? AND r.employee_id = 4", TRAININGS[2])
    check(regs == [("dibatalkan",)], f"the withdrawn registration: {regs}")


if __name__ == "__main__":
    harness.run_test("hostile_forgery", body)
