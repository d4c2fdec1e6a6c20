"""token: the token comes from a file (KARIRBOT_TOKEN_FILE, as systemd credentials provide it,
here with a trailing newline as `echo` writes it) and never appears in any log, even at
KARIRBOT_LOG_LEVEL=debug and even when network errors are logged for a URL that contains it
(DESIGN invariant 11). The harness checks every log and the database files for the token."""

import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402


def closed_port():
    """A local port with nothing listening (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body(h):
    path = os.path.join(h.tmp, "token")
    with open(path, "w") as f:
        f.write(h.token + "\n")
    os.chmod(path, 0o600)
    h.env_overrides.update({"KARIRBOT_TOKEN": None, "KARIRBOT_TOKEN_FILE": path,
                            "KARIRBOT_LOG_LEVEL": "debug"})
    h.migrate()
    h.start()
    h.fake.push_text(1301, "/start", first_name="tokenfile")
    h.wait_for(lambda: h.greetings_to("tokenfile"), 30, "the greeting with a token from a file")
    h.stop()
    debug_lines = h.log_text().count("level=debug")
    print(f"{debug_lines} debug lines logged")
    check(debug_lines > 0, "KARIRBOT_LOG_LEVEL=debug produced no debug lines")

    # Network errors: curl's messages and the request URL must not carry the token out.
    h.start(wait_polling=False, KARIRBOT_API_URL=f"http://127.0.0.1:{closed_port()}")
    h.wait_log(r"level=(warn|error)", 30, what="a logged connection failure")
    h.stop()


if __name__ == "__main__":
    harness.run_test("token", body)
