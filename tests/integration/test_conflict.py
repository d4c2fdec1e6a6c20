"""conflict: what karirbot does when the Bot API refuses it (TELEGRAM.md, Errors and limits):
- 409 Conflict for a few getUpdates (another instance polls the same token): a log line that
  says so, then recovery without a restart;
- 401 Unauthorized while running (token revoked) and at start-up: exit code 2 with a clear
  message that does not contain the token;
- no token at all: a non-zero exit that tells how to get one (@BotFather), without calling the
  Bot API."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402


def conflict_then_recovery(h):
    since = h.log_size()
    h.fake.conflict_next(3)
    h.wait_for(lambda: h.fake.conflicts_left() == 0, 30, "three 409 answers to be consumed")
    line = h.wait_log(r"^.*(409|conflict).*$", 30, since=since, what="a log line about the 409")
    print("409:", line.group(0)[:200])
    h.fake.push_text(1201, "/start", first_name="after409")
    h.wait_for(lambda: h.greetings_to("after409"), 30, "the greeting after the conflict")


def check_unauthorized_exit(h, rc, since=0):
    text = h.log_since(since)
    check(rc == 2, f"karirbot exited {rc} on 401, expected 2")
    match = re.search(r"^.*level=error.*(401|unauthori[sz]ed|token).*$", text, re.I | re.M)
    check(match, "no error log line that explains the 401 (token rejected)")
    print("401:", match.group(0)[:200])


def unauthorized_while_running(h):
    since = h.log_size()
    h.fake.set_unauthorized(True)
    rc = h.wait_exit(30)
    check_unauthorized_exit(h, rc, since)


def unauthorized_at_start(h):
    h.fake.set_unauthorized(True)
    h.start(wait_polling=False)
    rc = h.wait_exit(30)
    check_unauthorized_exit(h, rc)
    h.fake.set_unauthorized(False)


def no_token(h):
    calls = h.fake.call_count()
    rc, out = h.run_command("run", KARIRBOT_TOKEN=None, KARIRBOT_TOKEN_FILE=None,
                            CREDENTIALS_DIRECTORY=None)
    print("no token:", out.strip().splitlines()[0][:200] if out.strip() else "(no output)")
    check(rc != 0, "karirbot run without a token exited 0")
    check(re.search(r"botfather", out, re.I), "the message without a token does not say how to "
                                              "get one (@BotFather)")
    check(h.fake.call_count() == calls, "karirbot called the Bot API without a token")


def body(h):
    h.migrate()
    h.start()
    conflict_then_recovery(h)
    unauthorized_while_running(h)
    unauthorized_at_start(h)
    no_token(h)


if __name__ == "__main__":
    harness.run_test("conflict", body)
