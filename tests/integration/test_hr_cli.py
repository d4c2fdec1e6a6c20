"""hr_cli: HR's workflow commands, the real binary on the demo organisation while the service
runs, with every message to an employee delivered through the fake Bot API.

- training: Dewi's approved registration is accepted (`karirbot training accept`) and she is
  told on Telegram; Dewi's and Rudi's are completed (their JP enter the RPI) and verified (the
  JP are recognised), Dewi's certificate downloaded through getFile into a folder first;
- rpi set: Dewi's approved plan is established and she is told;
- approvals delegate: while Hendra's Plt (Ratna) is in office, a registration Rudi makes through
  the bot goes to Ratna's card, not Hendra's; `approvals reassign` then gives it to Agus, who
  finds it in /persetujuan, and Rudi is told;
- holidays import: a national holiday inside the time Fajar's promotion file has waited at its
  stage takes one day off the working days the promotion timeline shows."""

import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import (buttons, messages_with, open_registration, press, wait_button,  # noqa: E402
                    wait_message)

AGUS_NIP = "196905201994031002"
HENDRA_NIP = "197804152003121004"
RATNA_NIP = "197512082000032002"
DEWI_NIP = "199003222015032001"
RUDI_NIP = "199107102019031005"
FAJAR_NIP = "198601092011011007"
PYTHON_CODE = "BPSDM-2026-031"
ELEARNING = "E-Learning Manajemen ASN"
FILE_ID = "BQACAgUAAxkBAAIBsertifikat-dewi-0001"
CERTIFICATE = b"%PDF-1.4\n% sertifikat Dewi Lestari, Bimtek Analisis Data\n%%EOF\n"
WITA = datetime.timezone(datetime.timedelta(hours=8))


def command(h, *args, expect=0):
    rc, out = h.run_command(*args)
    check(rc == expect, f"karirbot {' '.join(args)} exited {rc} (expected {expect}): {out[-1500:]}")
    return out


def serve_files(h, downloads):
    """The Bot API's file download (https://api.telegram.org/file/bot<token>/<file_path>): the
    fake server knows getFile only, so the test answers the download itself."""
    fake = h.fake
    original = fake._dispatch
    prefix = f"/file/bot{h.token}/"

    def dispatch(conn, head, body):
        if head.target.startswith("/file/"):
            if head.target.startswith(prefix):
                downloads.append(head.target[len(prefix):])
                conn.respond(200, CERTIFICATE, b"application/pdf")
            else:
                conn.respond_error(401, "Unauthorized")
            return
        original(conn, head, body)
    fake._dispatch = dispatch


def waited_days(h, chat):
    """Fajar's /pangkat: the working days his file has waited at its stage, as shown."""
    n = len(h.fake.sent_messages(chat))
    h.fake.push_text(chat, "/pangkat", first_name="Fajar")
    pattern = re.compile(r"\((\d+) hari kerja; biasanya")

    def shown():
        for m in h.fake.sent_messages(chat)[n:]:
            found = pattern.search(m.visible)
            if found:
                return int(found.group(1))
        return None
    return h.wait_for(shown, 30, "Fajar's promotion status with the working days")


def weekdays_between(start, end, holidays=()):
    days, d = 0, start
    while d < end:
        d += datetime.timedelta(days=1)
        days += d.weekday() < 5 and d not in holidays
    return days


def body(h):
    h.seed_demo()
    today = datetime.datetime.now(WITA).date()
    # Dewi finished the course of her RPI that the Python bimtek fulfils and sent its certificate
    # to the bot; her registration (linked to it) and Rudi's were approved and hold seats.
    h.execute(f"""
        UPDATE rpi_activities SET status = 'selesai', done_on = '{today}',
          evidence_file_id = '{FILE_ID}', evidence_kind = 'document'
          WHERE title = 'Kursus Analisis Data';
        INSERT INTO registrations(id, training_id, employee_id, reason, activity_id, status,
                                  seat, created_at, updated_at)
          SELECT 31, 1, 4, 'Dasbor data layanan', id, 'disetujui', 1, 100, 100
          FROM rpi_activities WHERE title = 'Kursus Analisis Data';
        INSERT INTO registrations(id, training_id, employee_id, reason, status, seat, created_at,
                                  updated_at)
          VALUES (32, 1, 5, 'Pengolahan data', 'disetujui', 1, 200, 200);
    """)
    downloads = []
    serve_files(h, downloads)
    h.start()
    dewi, rudi = h.demo_user(DEWI_NIP), h.demo_user(RUDI_NIP)
    ratna, hendra = h.demo_user(RATNA_NIP), h.demo_user(HENDRA_NIP)
    agus, fajar = h.demo_user(AGUS_NIP), h.demo_user(FAJAR_NIP)
    # Telegram lets a bot write only to people who wrote to it first: everyone opens the menu.
    for chat, name in ((dewi, "Dewi"), (rudi, "Rudi"), (ratna, "Ratna"), (hendra, "Hendra"),
                       (agus, "Agus"), (fajar, "Fajar")):
        h.fake.push_text(chat, "/menu", first_name=name)
        h.wait_for(lambda c=chat: h.fake.sent_messages(c), 30, f"the menu for {name}")

    # ---- training: accept, complete, verify -------------------------------------------------
    out = command(h, "training", "accept", "31")
    check("disetujui -> diterima" in out, f"accept said: {out[-600:]}")
    told = wait_message(h, dewi, "hr_training_accepted")
    check("Bimbingan Teknis Analisis Data dengan Python" in told.visible and "Ibu" in told.visible,
          f"what Dewi was told: {told.visible!r}")
    check(h.query("SELECT status, seat FROM registrations WHERE id = 31") == [("diterima", 1)],
          "the registration after accept")
    out = command(h, "training", "list", "--code", PYTHON_CODE, "--csv")
    check(out.startswith("\ufeffid_pendaftaran;nip;nama") and f"31;{DEWI_NIP};Dewi Lestari" in out,
          f"the nominee list: {out[:600]!r}")

    command(h, "training", "complete", "31", "32")
    wait_message(h, rudi, "hr_training_completed")
    rudi_act = h.query("SELECT a.id, a.jp_planned, a.jp_recognised FROM rpi_activities a "
                       "WHERE a.source = 'training' AND a.source_id = 32")
    check(len(rudi_act) == 1 and rudi_act[0][1:] == (24, 0), f"Rudi's new activity: {rudi_act}")

    folder = os.path.join(h.tmp, "sertifikat")
    os.mkdir(folder)
    out = command(h, "training", "verify", "31", "--dir", "sertifikat")  # the command's cwd
    saved = os.path.join(folder, f"31-{DEWI_NIP}.pdf")
    check(os.path.exists(saved), f"no certificate saved: {os.listdir(folder)}; {out[-600:]}")
    with open(saved, "rb") as f:
        check(f.read() == CERTIFICATE, "the saved certificate differs from the download")
    check(len(downloads) == 1 and downloads[0].endswith(".pdf"), f"downloads: {downloads}")
    got = [c for c in h.fake.calls("getFile") if c.params.get("file_id") == FILE_ID]
    check(len(got) == 1 and got[0].status == 200, f"getFile calls: {got}")
    verified = wait_message(h, dewi, "hr_training_verified")
    check("34 JP" in verified.visible, f"Dewi's total (10 + 24 JP): {verified.visible!r}")
    check(h.query("SELECT jp_recognised, verified_by FROM rpi_activities "
                  "WHERE title = 'Kursus Analisis Data'") == [(24, 11)],
          "Dewi's activity after verification (recognised by Lina, the unit's HR officer)")
    command(h, "training", "verify", "32")
    wait_message(h, rudi, "hr_training_verified")
    check(h.query("SELECT jp_recognised FROM rpi_activities WHERE id = ?", rudi_act[0][0]) ==
          [(24,)], "Rudi's JP recognised")

    # ---- rpi set ------------------------------------------------------------------------------
    command(h, "rpi", "set", DEWI_NIP)
    wait_message(h, dewi, "hr_rpi_established")
    check(h.query("SELECT status FROM rpi_plans WHERE employee_id = 4") == [("ditetapkan",)],
          "Dewi's plan after rpi set")

    # ---- delegation: Ratna acts for Hendra ---------------------------------------------------
    start = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
    command(h, "approvals", "delegate", "--from", HENDRA_NIP, "--to", RATNA_NIP,
            "--from-date", start.strftime("%d-%m-%Y"),
            "--to-date", (start + datetime.timedelta(days=7)).isoformat())
    wait_message(h, ratna, "hr_delegation_delegate")
    hendra_cards = len(messages_with(h, hendra, "approval_card_training"))

    # Rudi registers for the e-learning through the bot; its card goes to Ratna.
    n = len(h.fake.sent_messages(rudi))
    h.fake.push_text(rudi, "/pelatihan", first_name="Rudi")

    open_registration(h, rudi, ELEARNING, n)
    n = len(h.fake.sent_messages(rudi))
    h.fake.push_text(rudi, "Untuk memahami manajemen ASN di unit kerja kami", first_name="Rudi")
    options = wait_button(h, rudi, h.locale["btn_training_no_rpi"], n)
    n = len(h.fake.sent_messages(rudi))
    press(h, rudi, options, h.locale["btn_training_no_rpi"])
    summary = wait_button(h, rudi, h.locale["btn_training_send"], n)
    press(h, rudi, summary, h.locale["btn_training_send"])
    wait_message(h, rudi, "pelatihan_sent")
    card = wait_message(h, ratna, "approval_card_training")
    check(ELEARNING in card.visible and "Rudi Hartono" in card.visible, f"the card: {card.visible!r}")
    rows = h.query("SELECT id, approver_id FROM approvals WHERE kind = 'training' "
                   "AND requester_id = 5 AND status = 'menunggu'")
    check(len(rows) == 1 and rows[0][1] == 3, f"the request went to Ratna: {rows}")
    check(len(messages_with(h, hendra, "approval_card_training")) == hendra_cards,
          "Hendra got a card while Ratna acts for him")

    # ---- reassign: HR gives it to Agus --------------------------------------------------------
    approval = str(rows[0][0])
    out = command(h, "approvals", "list", "--approver", RATNA_NIP)
    check(re.search(rf"^{approval}\s+training", out, re.M), f"approvals list: {out[-800:]}")
    command(h, "approvals", "reassign", approval, "--to", AGUS_NIP)
    told = wait_message(h, agus, "hr_approval_reassigned")
    check("Rudi Hartono" in told.visible and "/persetujuan" in told.visible,
          f"what Agus was told: {told.visible!r}")
    wait_message(h, rudi, "hr_approval_reassigned_requester")
    check(h.query("SELECT approver_id FROM approvals WHERE id = ?", int(approval)) == [(1,)],
          "the request after reassign")
    n = len(h.fake.sent_messages(agus))
    h.fake.push_text(agus, "/persetujuan", first_name="Agus")
    h.wait_for(lambda: [m for m in h.fake.sent_messages(agus)[n:]
                        if any(lbl.startswith("Rudi Hartono") for lbl in buttons(m))],
               30, "Rudi's request in Agus's /persetujuan")

    # ---- holidays: one day off inside the wait at the stage ------------------------------------
    reached = today - datetime.timedelta(days=12)  # Fajar's file reached validasi_bkn then
    before = waited_days(h, fajar)
    check(before == weekdays_between(reached, today),
          f"working days before the import: {before}, expected {weekdays_between(reached, today)}")
    holiday = next(reached + datetime.timedelta(days=k) for k in range(1, 13)
                   if (reached + datetime.timedelta(days=k)).weekday() < 5)
    sunday = next(reached + datetime.timedelta(days=k) for k in range(1, 13)
                  if (reached + datetime.timedelta(days=k)).weekday() == 6)
    csv_path = os.path.join(h.tmp, "libur.csv")
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("tanggal;nama;jenis\r\n")
        f.write(f"{holiday.strftime('%d/%m/%Y')};Hari libur uji;libur_nasional\r\n")
        f.write(f"{sunday.isoformat()};Libur pada hari Minggu;cuti_bersama\r\n")
    command(h, "holidays", "import", "libur.csv")
    check(h.query("SELECT count(*) FROM holidays") == [(2,)], "the holidays after the import")
    after = waited_days(h, fajar)
    check(after == before - 1, f"working days after the import: {after}, before {before}")
    command(h, "holidays", "import", "libur.csv")  # the same file again: nothing changes
    check(h.query("SELECT count(*) FROM holidays") == [(2,)], "the holidays after a re-import")


if __name__ == "__main__":
    harness.run_test("hr_cli", body)
