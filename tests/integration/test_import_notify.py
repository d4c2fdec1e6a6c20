"""import_notify: what an import changes reaches the people it concerns while the service runs,
without waiting for the next reminder pass (the rules here put it an hour away).

1. `import trainings` raises the quota of the full demo course: the first on its waiting list
   gets the new seat at once and is told on Telegram; the import's summary says so. A dry run
   of the same change seats no one and tells no one.
2. `import promotions` records that Fajar's file reached pertek today: the import asks the
   service for a pass (meta reminders_pass_requested) and Fajar hears of the new stage within
   seconds. A dry run asks for nothing."""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402
from dialog import fragment  # noqa: E402

TODAY = "2026-11-19"      # a Thursday
THU_10 = 1795053600       # 2026-11-19 10:00 WITA: working hours in the demo office
DEWI, FAJAR = 4, 9
DEWI_NIP, FAJAR_NIP = "199003222015032001", "198601092011011007"


def chat(employee_id):
    return 2000000000 + employee_id


def day(offset):
    d = datetime.date.fromisoformat(TODAY) + datetime.timedelta(days=offset)
    return d.strftime("%d/%m/%Y")  # as Excel writes dates in an Indonesian locale


def write(h, name, text):
    path = os.path.join(h.tmp, name)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(text.replace("\n", "\r\n"))
    return name


def imported(h, kind, path, *flags):
    rc, out = h.run_command("import", kind, path, *flags, timeout=60,
                            KARIRBOT_FAKE_NOW=str(THU_10))
    check(rc == 0, f"import {kind} {flags} exited {rc}:\n{out}")
    return out


def messages(h, employee_id, fragment):
    return [m for m in h.fake.sent_messages(chat(employee_id)) if fragment in m.visible]


def raise_quota(h):
    h.execute(f"INSERT INTO registrations(training_id, employee_id, reason, status, seat, "
              f"created_at, updated_at) VALUES (2, {DEWI}, 'Menulis naskah kebijakan', "
              f"'daftar_tunggu', 0, 1, 1)")
    csv = write(h, "trainings.csv",
                "kode;judul;penyelenggara;bentuk;mulai;selesai;jp;kuota;batas_daftar;"
                "golongan_minimal;biaya\n"
                f"LAN-2026-117;Pelatihan Penulisan Naskah Kebijakan;LAN;klasikal;{day(45)};"
                f"{day(47)};30;2;{day(21)};III/a;2.750.000\n")
    seat = "SELECT status, seat FROM registrations WHERE training_id = 2 AND employee_id = ?"

    out = imported(h, "trainings", csv, "--dry-run")
    check(h.query(seat, DEWI) == [("daftar_tunggu", 0)], f"a dry run seated Dewi: {out}")

    out = imported(h, "trainings", csv)
    check("1 seat given to the waiting list (1 told on Telegram" in out, f"summary:\n{out}")
    check(h.query(seat, DEWI) == [("disetujui", 1)], f"Dewi's registration: {h.query(seat, DEWI)}")
    check(h.query("SELECT quota FROM trainings WHERE id = 2") == [(2,)], "the quota")
    told = fragment(h, "training_note_seat_given")
    h.wait_for(lambda: messages(h, DEWI, told), 30, "Dewi told of her seat")
    seats = messages(h, DEWI, told)
    check(len(seats) == 1 and "Pelatihan Penulisan Naskah Kebijakan" in seats[0].visible,
          f"Dewi's news: {[m.visible for m in seats]}")

    out = imported(h, "trainings", csv)  # the same file again: nothing changes, no one told
    check("0 changed" in out and "seat" not in out, f"the second import:\n{out}")


def stage_reached(h, service_log):
    csv = write(h, "promotions.csv",
                "nip,jenis_kp,golongan_tujuan,periode,tahap,tanggal_tahap,catatan\n"
                f"{FAJAR_NIP},reguler,III/d,01/12/2026,pertek,{day(0)},\n")
    requested = "SELECT value FROM meta WHERE key = 'reminders_pass_requested'"
    imported(h, "promotions", csv, "--dry-run")
    check(h.query(requested) == [], "a dry run asked for a reminder pass")

    out = imported(h, "promotions", csv)
    check(h.query(requested) == [(THU_10,)], f"the pass request: {h.query(requested)}\n{out}")
    h.wait_for(lambda: messages(h, FAJAR, "Pertek terbit dan terkirim"), 30,
               "Fajar told of the new stage")
    check(len(messages(h, FAJAR, "Pertek terbit dan terkirim")) == 1, "the news came twice")
    sent = h.query("SELECT count(*) FROM reminders_sent WHERE employee_id = ? AND kind = ?",
                   FAJAR, "kp_stage")
    check(sent == [(1,)], f"stage news keys for Fajar: {sent}")
    run_log = h.log_text(h.logs.index(service_log))
    check("event=reminders.pass_requested" in run_log and "event=reminders.pass " in run_log,
          "the service's log does not show the requested pass")


def body(h):
    h.seed_demo(today=TODAY)
    h.reminder_schedule(first_pass_seconds=3600)  # only an import's request starts a pass
    h.start(KARIRBOT_FAKE_NOW=str(THU_10))
    # Telegram knows a chat once its person has written; the pass reminds others too.
    linked = [e for (e,) in h.query("SELECT employee_id FROM links")]
    for e in linked:
        h.fake.push_text(chat(e), "/menu", first_name=f"e{e}")
    h.wait_for(lambda: all(h.fake.sent_messages(chat(e)) for e in linked), 30, "the menus")
    service_log = h.logs[-1]
    raise_quota(h)
    stage_reached(h, service_log)
    h.stop()


if __name__ == "__main__":
    harness.run_test("import_notify", body)
