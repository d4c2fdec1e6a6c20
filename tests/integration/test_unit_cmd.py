"""unit_cmd: `karirbot unit list|set` on the demo organisation — a unit's zone and working days
change in the database and in what the flows read (the person record's zone), an unknown unit
or a bad value is refused and changes nothing."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

UNIT = "Dinas Komunikasi dan Informatika"


def units(h):
    return dict((name, (zone, days)) for name, zone, days in
                h.query("SELECT name, zone, workdays FROM units"))


def body(h):
    h.seed_demo()
    rc, out = h.run_command("unit", "list")
    check(rc == 0 and UNIT in out and "WITA" in out, f"unit list: rc {rc}\n{out}")
    before = units(h)

    rc, out = h.run_command("unit", "set", UNIT, "--workdays", "6", "--zone", "wit")
    check(rc == 0, f"unit set: rc {rc}\n{out}")
    after = units(h)
    check(after[UNIT] == ("WIT", 6), f"the unit after set: {after[UNIT]}")
    check(after["BKPSDM"] == before["BKPSDM"], "another unit changed")
    # Dewi has no zone of her own: she now lives in the unit's.
    zone = h.query("SELECT COALESCE(e.zone, u.zone) FROM employees e JOIN units u "
                   "ON u.id = e.unit_id WHERE e.nip = '199003222015032001'")
    check(zone == [("WIT",)], f"Dewi's zone: {zone}")

    for args, want in ((("set", "Dinas Tidak Ada", "--workdays", "5"), 1),
                       (("set", UNIT, "--workdays", "7"), 64),
                       (("set", UNIT, "--zone", "UTC"), 64),
                       (("set", UNIT), 64),
                       (("rename", UNIT), 64)):
        rc, out = h.run_command("unit", *args)
        check(rc == want, f"unit {' '.join(args)}: rc {rc}, expected {want}\n{out}")
    check(units(h) == after, "a refused command changed a unit")
    rc, out = h.run_command("unit", "--help")
    check(rc == 0 and "--workdays" in out, f"unit --help: rc {rc}\n{out}")


if __name__ == "__main__":
    harness.run_test("unit_cmd", body)
