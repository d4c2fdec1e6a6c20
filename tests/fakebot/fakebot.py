"""fakebot: a fake Telegram Bot API server owned by karirbot's test suite.

It speaks just enough HTTP/1.1 (keep-alive, Content-Length bodies) for libcurl, answers the Bot API
methods karirbot calls, validates every request the way Telegram would (field names and types from
botapi-subset.json, HTML text rules, limits), and records every call so that a test can assert on
what the bot did and when. Faults (429, 5xx, connection resets, malformed or huge responses, 401,
409, 403, 400) are injected from a seeded random generator so that a failing run can be repeated.

The server runs its own asyncio loop in a background thread; a synchronous test drives it through
the public methods of FakeBot, all of which are thread-safe. State is guarded by one lock that the
loop thread holds while it handles a request.

Anything the bot does that real Telegram would reject, or that breaks a documented rule (calling a
throttled chat before its retry_after, an unknown field, an unbalanced HTML tag), is recorded as a
violation; the integration harness fails a test on any violation.

Run it alone for manual experiments:  python3 fakebot.py --token 123:abc [--port 8081]
"""

import asyncio
import collections
import html
import json
import os
import random
import re
import socket
import struct
import threading
import time
import urllib.parse

SUBSET_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "botapi-subset.json")

BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "karirbot test",
    "username": "karirbot_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

# Tags Telegram accepts with parse_mode=HTML (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = frozenset(
    "b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji".split())
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

MAX_TEXT_UTF16 = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_TEXT = 200
# The fields of an InlineKeyboardButton that only dress it; every other field is its type.
_BUTTON_LOOKS = frozenset(("text", "icon_custom_emoji_id", "style"))
MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 16 * 1024 * 1024

# A call that reaches a throttled chat this much before retry_after has elapsed is a violation.
# The slack covers libuv timers that fire on a cached loop time and clocks read a moment apart.
THROTTLE_SLACK_S = 0.05

HTTP_REASONS = {
    100: "Continue", 200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
    404: "Not Found", 409: "Conflict", 411: "Length Required", 413: "Payload Too Large",
    429: "Too Many Requests", 431: "Request Header Fields Too Large",
    500: "Internal Server Error", 502: "Bad Gateway",
}

CONFLICT_DESCRIPTION = ("Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running")

_SPECIAL_RE = re.compile(r"[<>&]")
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)>")
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
_ATTR_RE = re.compile(r"""([A-Za-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_UPDATE_ID_RE = re.compile(rb'"update_id"\s*:\s*(-?\d+)')
_HEADER_RE = re.compile(
    rb"\r\n(content-length|content-type|connection|expect|transfer-encoding)[ \t]*:([^\r\n]*)")


# --------------------------------------------------------------------------------------------
# Records handed to tests
# --------------------------------------------------------------------------------------------

class Call:
    """One request as the server saw it. status is the HTTP status returned, 0 when no response
    was sent (connection reset by fault injection, or a long poll whose client went away);
    update_ids lists the updates a getUpdates call handed out."""

    __slots__ = ("t", "method", "params", "status", "update_ids", "conn_id", "note")

    def __init__(self, t, method, params, conn_id):
        self.t = t
        self.method = method
        self.params = params
        self.status = None
        self.update_ids = ()
        self.conn_id = conn_id
        self.note = ""

    def __repr__(self):
        return (f"Call(t={self.t:.3f}, {self.method}, status={self.status}, "
                f"ids={list(self.update_ids)}, note={self.note!r}, params={self.params!r:.200})")


class SentMessage:
    """A sendMessage that succeeded: the bot's text as sent (HTML) and as a user sees it."""

    __slots__ = ("t", "chat_id", "message_id", "text", "visible", "params")

    def __init__(self, t, chat_id, message_id, text, visible, params):
        self.t = t
        self.chat_id = chat_id
        self.message_id = message_id
        self.text = text
        self.visible = visible
        self.params = params

    def __repr__(self):
        return (f"SentMessage(t={self.t:.3f}, chat={self.chat_id}, id={self.message_id}, "
                f"visible={self.visible!r:.80})")


class Violation:
    """Something the bot did that Telegram would reject or that breaks a documented rule."""

    __slots__ = ("t", "method", "message", "detail")

    def __init__(self, t, method, message, detail):
        self.t = t
        self.method = method
        self.message = message
        self.detail = detail

    def __repr__(self):
        return f"Violation(t={self.t:.3f}, {self.method}: {self.message}; {self.detail})"


class _Pending:
    """An update waiting to be confirmed. forced updates are handed out once even when the bot's
    offset is already past them: that is how a test redelivers an id the bot has confirmed."""

    __slots__ = ("update_id", "raw", "forced", "handed_out")

    def __init__(self, update_id, raw, forced):
        self.update_id = update_id
        self.raw = raw
        self.forced = forced
        self.handed_out = False


class _Poll:
    """A getUpdates long poll parked until updates arrive or its timeout expires."""

    __slots__ = ("conn", "call", "offset", "limit", "timer")

    def __init__(self, conn, call, offset, limit):
        self.conn = conn
        self.call = call
        self.offset = offset
        self.limit = limit
        self.timer = None


class _Faults:
    """Random fault probabilities for one method (or '*' for all)."""

    __slots__ = ("p429", "p5xx", "preset", "retry_after")

    def __init__(self, p429=0.0, p5xx=0.0, preset=0.0, retry_after=1):
        self.p429 = p429
        self.p5xx = p5xx
        self.preset = preset
        self.retry_after = retry_after


class _Batch:
    def __init__(self, bot):
        self.bot = bot

    def __enter__(self):
        self.bot._hold(1)
        return self.bot

    def __exit__(self, *exc):
        self.bot._hold(-1)


class _Head:
    __slots__ = ("verb", "target", "ctype", "length", "body_start", "keep_alive",
                 "expect_continue")


# --------------------------------------------------------------------------------------------
# HTML text as Telegram parses it
# --------------------------------------------------------------------------------------------

def utf16_len(text):
    """Length in UTF-16 code units, the unit of Telegram's 4096 limit."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def html_to_visible(text):
    """Returns (visible text, list of errors) for a parse_mode=HTML text: tags removed, entities
    decoded, and every problem Telegram would refuse (or the project forbids) listed."""
    if _SPECIAL_RE.search(text) is None:
        return text, []
    out, errors, stack = [], [], []
    pos = 0
    while True:
        m = _SPECIAL_RE.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        at = m.start()
        out.append(text[pos:at])
        ch = text[at]
        if ch == "<":
            pos = _scan_tag(text, at, stack, errors)
            if pos == at:
                errors.append(f"unescaped '<' at offset {at}")
                out.append("<")
                pos = at + 1
        elif ch == ">":
            errors.append(f"unescaped '>' at offset {at}")
            out.append(">")
            pos = at + 1
        else:
            pos = _scan_entity(text, at, out, errors)
    if stack:
        errors.append("unclosed tag(s) " + ", ".join(f"<{t}>" for t in stack))
    return "".join(out), errors


def _scan_tag(text, at, stack, errors):
    """Consumes one tag at text[at]; returns the position after it, or at if it is no tag."""
    m = _TAG_RE.match(text, at)
    if m is None:
        return at
    closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
    if name not in ALLOWED_TAGS:
        errors.append(f"unsupported tag <{closing}{name}>")
        return m.end()
    if closing:
        if not stack or stack[-1] != name:
            errors.append(f"unbalanced closing tag </{name}> (open: {stack})")
        else:
            stack.pop()
    else:
        _check_attributes(name, attrs, errors)
        stack.append(name)
    return m.end()


def _check_attributes(name, attrs, errors):
    found = {}
    for m in _ATTR_RE.finditer(attrs or ""):
        found[m.group(1).lower()] = m.group(2) or m.group(3) or m.group(4) or ""
    if name == "a" and not found.get("href"):
        errors.append("<a> without href")
    if name == "span" and found.get("class") != "tg-spoiler":
        errors.append('<span> without class="tg-spoiler"')
    if name == "tg-emoji" and not found.get("emoji-id"):
        errors.append("<tg-emoji> without emoji-id")


def _scan_entity(text, at, out, errors):
    m = _ENTITY_RE.match(text, at)
    if m is None:
        errors.append(f"unescaped '&' at offset {at}")
        out.append("&")
        return at + 1
    body = m.group(1)
    if body[0] == "#":
        code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            errors.append(f"invalid numeric entity &{body};")
            out.append("\ufffd")
        else:
            out.append(chr(code))
    elif body in NAMED_ENTITIES:
        out.append(NAMED_ENTITIES[body])
    else:
        errors.append(f"unsupported named entity &{body}; (only lt gt amp quot)")
        out.append(html.unescape(m.group(0)))
    return m.end()


def visible_text(text, parse_mode="HTML"):
    """What a user sees for a text the bot sent (tags removed, entities decoded)."""
    if parse_mode != "HTML":
        return text
    return html_to_visible(text)[0]


# --------------------------------------------------------------------------------------------
# Request validation against botapi-subset.json
# --------------------------------------------------------------------------------------------

class _Shape:
    """The fields of one method or type: name -> tuple of type names, and the required names."""

    __slots__ = ("fields", "required")

    def __init__(self, entry):
        self.fields = {f["name"]: tuple(f["types"]) for f in entry.get("fields", [])}
        self.required = tuple(f["name"] for f in entry.get("fields", []) if f["required"])


class ApiSchema:
    """Method and type descriptions copied from the Bot API reference. Error paths are built
    only when a check fails: validation runs on every request of a benchmark."""

    def __init__(self, path=SUBSET_PATH):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.methods = {name: _Shape(m) for name, m in data["methods"].items()}
        self.types = {name: _Shape(t) for name, t in data["types"].items()}
        self.lower_methods = {name.lower(): name for name in self.methods}

    def check_object(self, value, shape, prefix, errors):
        """Appends to errors every unknown, missing or mistyped field of one JSON object."""
        fields = shape.fields
        for name, item in value.items():
            types = fields.get(name)
            if types is None:
                errors.append(f"unknown field {prefix}{name}")
                continue
            if len(types) == 1:
                scalar = _SCALAR_CHECKS.get(types[0])
                if scalar is not None:
                    if not scalar(item):
                        errors.append(f"{prefix}{name}: expected {types[0]}, got {_short(item)}")
                    continue
            self.check_value(item, types, prefix + name, errors)
        for name in shape.required:
            if name not in value:
                errors.append(f"missing required field {prefix}{name}")

    def check_value(self, value, types, path, errors):
        """Checks value against a union of type names ("Integer", "Array of X", a type name)."""
        if len(types) == 1:
            self._check_one(value, types[0], path, errors)
            return
        # A union of object types: validate against the known type whose required fields are
        # present (a reply_markup with inline_keyboard is an InlineKeyboardMarkup).
        if isinstance(value, dict):
            for t in types:
                shape = self.types.get(t)
                if shape is not None and all(n in value for n in shape.required):
                    self.check_object(value, shape, path + ".", errors)
                    return
        for t in types:
            trial = []
            self._check_one(value, t, path, trial)
            if not trial:
                return
        errors.append(f"{path}: expected {' or '.join(types)}, got {_short(value)}")

    def _check_one(self, value, tname, path, errors):
        if tname.startswith("Array of "):
            if not isinstance(value, list):
                errors.append(f"{path}: expected {tname}, got {_short(value)}")
                return
            inner = (tname[len("Array of "):],)
            for i, item in enumerate(value):
                self.check_value(item, inner, f"{path}[{i}]", errors)
            return
        scalar = _SCALAR_CHECKS.get(tname)
        if scalar is not None:
            if not scalar(value):
                errors.append(f"{path}: expected {tname}, got {_short(value)}")
            return
        if not isinstance(value, dict):
            errors.append(f"{path}: expected {tname} object, got {_short(value)}")
            return
        shape = self.types.get(tname)
        if shape is not None:
            self.check_object(value, shape, path + ".", errors)


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


_SCALAR_CHECKS = {
    "Integer": _is_int,
    "Float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "Boolean": lambda v: isinstance(v, bool),
    "True": lambda v: v is True,
    "InputFile": lambda v: isinstance(v, str),
}


def _short(value):
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _coerce_form_params(params, shape):
    """Form and query-string values are strings; Telegram converts them by the field's type."""
    return {name: _coerce_form_value(value, shape.fields.get(name, ("String",)))
            for name, value in params.items()}


def _coerce_form_value(value, types):
    if "String" in types and not any(t.startswith("Array") for t in types):
        if "Integer" in types and re.fullmatch(r"-?\d+", value):
            return int(value)
        return value
    if "Integer" in types and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "Boolean" in types and value.lower() in ("true", "false"):
        return value.lower() == "true"
    try:
        return json.loads(value)
    except ValueError:
        return value


# --------------------------------------------------------------------------------------------
# HTTP connection
# --------------------------------------------------------------------------------------------

class _Connection(asyncio.Protocol):
    """One client connection: parses request heads and Content-Length bodies, hands complete
    requests to the server and writes its responses. While a long poll is parked on this
    connection, later bytes are buffered (libcurl never pipelines, but stay correct if it did)."""

    _ids = 0

    def __init__(self, server):
        self.server = server
        self.transport = None
        self.buf = bytearray()
        self.head = None
        self.parked = False
        self.closed = False
        self.keep_alive = True
        self.poll = None
        _Connection._ids += 1
        self.conn_id = _Connection._ids

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.closed = True
        self.server._connection_lost(self)

    def data_received(self, data):
        self.buf += data
        self._process()

    def _process(self):
        while not self.parked and not self.closed:
            if self.head is None:
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    if len(self.buf) > MAX_HEAD_BYTES:
                        self.respond_error(431, "Request Header Fields Too Large", close=True)
                    return
                head = self._parse_head(end)
                if head is None:
                    return
                if self.server._reset_before_reading(self, head):
                    return
                self.head = head
                if head.expect_continue and len(self.buf) < head.body_start + head.length:
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            head = self.head
            need = head.body_start + head.length
            if len(self.buf) < need:
                return
            body = bytes(self.buf[head.body_start:need])
            del self.buf[:need]
            self.head = None
            self.keep_alive = head.keep_alive
            self.server._dispatch(self, head, body)

    def _parse_head(self, end):
        raw = bytes(self.buf[:end + 2])
        parts = raw[:raw.find(b"\r\n")].split(b" ")
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            self.respond_error(400, "Bad Request: malformed request line", close=True)
            return None
        head = _Head()
        head.verb = parts[0].decode("latin-1")
        head.target = parts[1].decode("latin-1")
        head.ctype = ""
        head.length = 0
        head.body_start = end + 4
        head.keep_alive = parts[2] == b"HTTP/1.1"
        head.expect_continue = False
        # One regex pass over the lowered head finds the few headers that matter (this is
        # the hot path of a benchmark; splitting every line costs more).
        for m in _HEADER_RE.finditer(raw.lower()):
            name, value = m.group(1), m.group(2).strip()
            if name == b"content-length":
                head.length = int(value) if value.isdigit() else -1
            elif name == b"content-type":
                head.ctype = value.decode("latin-1").lower()
            elif name == b"connection":
                low = value.lower()
                if low == b"close":
                    head.keep_alive = False
                elif low == b"keep-alive":
                    head.keep_alive = True
            elif name == b"expect":
                head.expect_continue = value.lower() == b"100-continue"
            elif name == b"transfer-encoding":
                self.respond_error(411, "Length Required: send a Content-Length body", close=True)
                with self.server._lock:
                    self.server._violation("http", "chunked request body",
                                           "karirbot sends Content-Length")
                return None
        if head.length < 0 or head.length > MAX_BODY_BYTES:
            self.respond_error(413, "Payload Too Large", close=True)
            return None
        return head

    def respond(self, status, body, ctype=b"application/json"):
        if self.closed:
            return
        reason = HTTP_REASONS.get(status, "Status").encode()
        conn = b"keep-alive" if self.keep_alive else b"close"
        self.transport.write(b"HTTP/1.1 %d %s\r\nServer: fakebot\r\nContent-Type: %s\r\n"
                             b"Content-Length: %d\r\nConnection: %s\r\n\r\n%s"
                             % (status, reason, ctype, len(body), conn, body))
        if not self.keep_alive:
            self.transport.close()
            self.closed = True

    def respond_error(self, status, description, close=False):
        if close:
            self.keep_alive = False
        self.respond(status, _error_body(status, description))

    def unpark(self):
        """Called after a parked long poll was answered: serve anything buffered meanwhile.
        The caller holds the server lock, so buffered requests wait for the next loop turn."""
        self.parked = False
        self.poll = None
        if self.buf and not self.closed:
            asyncio.get_running_loop().call_soon(self._process)

    def reset(self):
        """Closes with an RST (SO_LINGER 0): the client sees 'connection reset by peer'."""
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.closed = True
        self.transport.abort()


def _json_bytes(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error_body(status, description, retry_after=None):
    body = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return _json_bytes(body)


_BOT_USER_JSON = _json_bytes(BOT_USER)
_encode_json_string = json.encoder.encode_basestring  # C; keeps non-ASCII as UTF-8 text


def _ok_body(result):
    return b'{"ok":true,"result":' + _json_bytes(result) + b"}"


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------

class FakeBot:
    """A fake Bot API for one token. start() binds 127.0.0.1 on a free port; url is the API
    root to give karirbot (it calls url + "/bot<token>/<method>")."""

    def __init__(self, token, seed=1, schema_path=SUBSET_PATH, first_update_id=100001,
                 throttle_slack=THROTTLE_SLACK_S, echo_violations=True, port=0):
        self.token = token
        self.requested_port = port
        self.schema = ApiSchema(schema_path)
        self.url = None
        self.port = None
        self.throttle_slack = throttle_slack
        self.echo_violations = echo_violations
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._loop = None
        self._thread = None
        self._server = None
        self._connections = set()
        # Updates
        self._queue = collections.deque()
        self._next_update_id = first_update_id
        self._handed_at = {}
        self._confirmed_offset = 0
        self._poll = None
        self._held = 0
        self._overlapping_polls = 0
        self._next_callback_id = 1
        self._callbacks = {}
        # Chats and messages
        self._chats = {}
        self._next_message_id = 1
        self._message_texts = {}
        self._sent = []
        self._sent_by_chat = collections.defaultdict(list)
        # Records
        self._calls = []
        self._violations = []
        # Faults
        self._faults = {}
        self._scripted = collections.deque()
        self._conflicts_left = 0
        self._unauthorized = False
        self._blocked_chats = set()
        self._rejected_texts = []
        self._throttled = {}
        self._fault_counts = collections.Counter()
        self._cpu_clock = None
        # Visible text computed by the last text validation: the send handler reuses it
        # instead of parsing the HTML twice (loop thread only).
        self._visible = None
        self._chat_json = {}

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self):
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="fakebot",
                                        daemon=True)
        self._thread.start()
        if not ready.wait(10) or self.port is None:
            raise RuntimeError("fakebot did not start")
        return self

    def _run(self, ready):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        try:
            self._cpu_clock = time.pthread_getcpuclockid(threading.get_ident())
        except (AttributeError, OSError):
            self._cpu_clock = None
        self._server = self._loop.run_until_complete(self._loop.create_server(
            self._new_connection, "127.0.0.1", self.requested_port, backlog=256,
            reuse_address=True))
        self.port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    def _new_connection(self):
        conn = _Connection(self)
        self._connections.add(conn)
        return conn

    def stop(self):
        """Closes the listening socket and every connection, and ends the loop thread."""
        if self._loop is None or self._thread is None:
            return

        def shutdown():
            self._server.close()
            for conn in list(self._connections):
                if not conn.closed:
                    conn.transport.abort()
            self._loop.stop()

        self._loop.call_soon_threadsafe(shutdown)
        self._thread.join(10)
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def cpu_seconds(self):
        """CPU time used by the server's loop thread so far (user+sys)."""
        if self._cpu_clock is None:
            return float("nan")
        return time.clock_gettime(self._cpu_clock)

    # ---- test API: updates ----------------------------------------------------------------

    def push_update(self, update, redeliver=False):
        """Queues an update (a dict); assigns update_id when absent. With redeliver=True the
        update is handed out even if the bot's offset has already passed its id (simulating
        Telegram delivering an id again). Returns the update_id."""
        with self._lock:
            uid = update.get("update_id", self._next_update_id)
            # Telegram puts update_id first; keep that shape.
            update = {"update_id": uid, **{k: v for k, v in update.items() if k != "update_id"}}
            self._remember_chats(update)
            raw = _json_bytes(update)
            self._enqueue_locked(uid, raw, redeliver)
        self._wake_soon()
        return uid

    def push_raw_update_bytes(self, raw, redeliver=False):
        """Queues one update given as the exact bytes of its JSON object (for invalid UTF-8 or
        escapes that json.dumps would not produce). It must contain "update_id": N. The id of a
        callback_query in it may be answered like one from push_callback."""
        m = _UPDATE_ID_RE.search(raw)
        if m is None:
            raise ValueError("raw update has no update_id")
        uid = int(m.group(1))
        try:
            parsed = json.loads(raw.decode("utf-8", "replace"))
        except ValueError:
            parsed = None
        with self._lock:
            if isinstance(parsed, dict):
                self._remember_chats(parsed)
                cq = parsed.get("callback_query")
                if isinstance(cq, dict) and isinstance(cq.get("id"), str):
                    self._callbacks.setdefault(cq["id"], None)  # it may be answered
            self._enqueue_locked(uid, bytes(raw), redeliver)
        self._wake_soon()
        return uid

    def next_update_id(self):
        """Reserves and returns the next automatic update id (for push_raw_update_bytes)."""
        with self._lock:
            uid = self._next_update_id
            self._next_update_id += 1
            return uid

    def push_message(self, chat_id, user_id=None, first_name="Tester", chat_type="private",
                     update_id=None, redeliver=False, kind="message", **fields):
        """Queues a message update from a user in a chat; fields are added to the Message
        (text=..., photo=[...], document={...}). Returns the update_id."""
        message = self.make_message(chat_id, user_id, first_name, chat_type, **fields)
        update = {kind: message}
        if update_id is not None:
            update["update_id"] = update_id
        return self.push_update(update, redeliver=redeliver)

    def push_text(self, chat_id, text, user_id=None, first_name="Tester", chat_type="private",
                  update_id=None, redeliver=False):
        """Queues a text message; a leading /command gets a bot_command entity as Telegram
        adds. Returns the update_id."""
        fields = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0,
                                   "length": utf16_len(command)}]
        return self.push_message(chat_id, user_id, first_name, chat_type, update_id,
                                 redeliver, **fields)

    def push_callback(self, chat_id, data, user_id=None, first_name="Tester", message_id=None,
                      update_id=None, chat_type="private"):
        """Queues a callback_query (a button press on message_id, a message of the bot).
        Returns (update_id, callback_query_id)."""
        with self._lock:
            cq_id = str(4200000000000000000 + self._next_callback_id)
            self._next_callback_id += 1
            self._callbacks[cq_id] = None
        message = self.make_message(chat_id, user_id, first_name, chat_type,
                                    text="(button message)")
        user = message["from"]  # the user who pressed; the message itself is the bot's
        message["from"] = dict(BOT_USER)
        if message_id is not None:
            message["message_id"] = message_id
        update = {"callback_query": {"id": cq_id, "from": user, "message": message,
                                     "chat_instance": str(-abs(chat_id) * 7 % 10**18),
                                     "data": data}}
        if update_id is not None:
            update["update_id"] = update_id
        return self.push_update(update), cq_id

    def make_message(self, chat_id, user_id=None, first_name="Tester", chat_type="private",
                     **fields):
        if user_id is None:
            user_id = chat_id if chat_type == "private" else abs(chat_id) % 10**9 + 1000
        chat = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = f"Group {chat_id}"
        with self._lock:
            message_id = self._next_message_id
            self._next_message_id += 1
        message = {"message_id": message_id, "from": self._user(user_id, first_name),
                   "chat": chat, "date": int(time.time())}
        message.update(fields)
        return message

    @staticmethod
    def _user(user_id, first_name):
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "id"}

    def _remember_chats(self, update):
        for value in update.values():
            if isinstance(value, dict):
                chat = value.get("chat") or (value.get("message") or {}).get("chat")
                if isinstance(chat, dict) and _is_int(chat.get("id")):
                    self._chats[chat["id"]] = chat
                    self._chat_json.pop(chat["id"], None)

    def _enqueue_locked(self, uid, raw, redeliver):
        self._queue.append(_Pending(uid, raw, redeliver))
        if uid >= self._next_update_id:
            self._next_update_id = uid + 1

    def _wake_soon(self):
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake_poll)

    def batch(self):
        """Context manager: updates pushed inside it reach a parked long poll together (one
        getUpdates answer), as when many users write within the same instant."""
        return _Batch(self)

    def _hold(self, delta):
        with self._lock:
            self._held += delta
        if delta < 0:
            self._wake_soon()

    # ---- test API: records ----------------------------------------------------------------

    def calls(self, method=None):
        with self._lock:
            if method is None:
                return list(self._calls)
            return [c for c in self._calls if c.method == method]

    def call_count(self, method=None):
        with self._lock:
            if method is None:
                return len(self._calls)
            return sum(1 for c in self._calls if c.method == method)

    def sent_messages(self, chat_id=None):
        """Messages delivered by a successful sendMessage, in arrival order."""
        with self._lock:
            if chat_id is None:
                return list(self._sent)
            return list(self._sent_by_chat.get(chat_id, ()))

    def sent_count(self):
        with self._lock:
            return len(self._sent)

    def handed_out_at(self, update_id):
        """Monotonic time at which getUpdates first returned update_id, or None."""
        with self._lock:
            return self._handed_at.get(update_id)

    def handed_out_ids(self):
        with self._lock:
            return dict(self._handed_at)

    def confirmed_offset(self):
        """The highest offset the bot has passed to getUpdates (updates below it are gone)."""
        with self._lock:
            return self._confirmed_offset

    def pending_update_ids(self):
        with self._lock:
            return [p.update_id for p in self._queue]

    def answered_callbacks(self):
        """callback_query_id -> monotonic time of the first successful answer (None if not)."""
        with self._lock:
            return dict(self._callbacks)

    def violations(self):
        with self._lock:
            return list(self._violations)

    def overlapping_polls(self):
        """How many long polls were ended by a newer getUpdates while still parked."""
        with self._lock:
            return self._overlapping_polls

    def fault_counts(self):
        with self._lock:
            return dict(self._fault_counts)

    def wait_for(self, predicate, timeout, interval=0.02):
        """Polls predicate() until it returns a true value (returned) or timeout passes (None)."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                return None
            time.sleep(interval)

    def dump_calls(self, path):
        """Writes one line per recorded call, for a failing test's post-mortem."""
        with self._lock:
            calls = list(self._calls)
            violations = list(self._violations)
        with open(path, "w", encoding="utf-8") as f:
            for c in calls:
                params = _short_json(c.params, 300)
                f.write(f"{c.t:.4f} conn={c.conn_id} {c.method} status={c.status} "
                        f"ids={list(c.update_ids)} {c.note} {params}\n")
            for v in violations:
                f.write(f"VIOLATION {v!r}\n")

    # ---- test API: faults -----------------------------------------------------------------

    def set_faults(self, method="*", p429=0.0, p5xx=0.0, preset=0.0, retry_after=1):
        """Random faults for a method ('*' = every method without its own setting): p429 is
        the probability of 429 with retry_after, p5xx of 500/502, preset of a connection reset
        before the request is read."""
        with self._lock:
            self._faults[method] = _Faults(p429, p5xx, preset, retry_after)

    def clear_faults(self):
        with self._lock:
            self._faults.clear()

    def script_get_updates(self, kind):
        """Answers one coming getUpdates with a scripted response: 'malformed' (truncated
        JSON), 'huge' (a 10 MB body), 'ok_false' (HTTP 200 with ok=false), 'html_502'."""
        if kind not in ("malformed", "huge", "ok_false", "html_502"):
            raise ValueError(kind)
        with self._lock:
            self._scripted.append(kind)
        self._wake_soon()

    def scripted_left(self):
        with self._lock:
            return len(self._scripted)

    def conflict_next(self, n):
        """Answers the next n getUpdates with 409 Conflict (another poller)."""
        with self._lock:
            self._conflicts_left = n
        self._wake_soon()

    def conflicts_left(self):
        with self._lock:
            return self._conflicts_left

    def set_unauthorized(self, on=True):
        """Every request gets 401 (the token was revoked)."""
        with self._lock:
            self._unauthorized = on
        self._wake_soon()

    def block_chat(self, chat_id):
        """sendMessage to chat_id gets 403 'bot was blocked by the user'."""
        with self._lock:
            self._blocked_chats.add(chat_id)

    def unblock_chat(self, chat_id):
        """Lifts block_chat (Telegram: the user unblocked the bot and wrote again)."""
        with self._lock:
            self._blocked_chats.discard(chat_id)

    def reject_text(self, substring):
        """sendMessage whose text contains substring gets 400 Bad Request."""
        with self._lock:
            self._rejected_texts.append(substring)

    # ---- request handling (loop thread) ---------------------------------------------------

    def _split_target(self, target):
        """Returns (token, method, query) for /bot<token>/<method>?query, or None."""
        path, _, query = target.partition("?")
        if not path.startswith("/bot"):
            return None
        token, sep, method = path[4:].partition("/")
        if not sep or not method or "/" in method:
            return None
        return token, method, query

    def _reset_before_reading(self, conn, head):
        """Fault injection at the moment a request head arrives. Returns True if the connection
        was reset (the request had no effect)."""
        split = self._split_target(head.target)
        if split is None or split[0] != self.token:
            return False
        method = split[1]
        with self._lock:
            faults = self._faults.get(method) or self._faults.get("*")
            if faults is None or faults.preset <= 0 or self._rng.random() >= faults.preset:
                return False
            call = Call(time.monotonic(), method, None, conn.conn_id)
            call.status = 0
            call.note = "reset"
            self._record(call)
            self._fault_counts["reset"] += 1
        conn.reset()
        return True

    def _dispatch(self, conn, head, body):
        split = self._split_target(head.target)
        if split is None:
            conn.respond_error(404, "Not Found")
            return
        token, method, query = split
        if token != self.token:
            with self._lock:
                call = Call(time.monotonic(), method, None, conn.conn_id)
                call.status = 401
                call.note = "wrong token"
                self._record(call)
            conn.respond_error(401, "Unauthorized")
            return
        with self._lock:
            self._handle_locked(conn, head, method, query, body)

    def _handle_locked(self, conn, head, method, query, body):
        now = time.monotonic()
        canonical = method if method in self.schema.methods else \
            self.schema.lower_methods.get(method.lower())
        if canonical is None:
            self._violation(method, "unknown method", "not in botapi-subset.json", now)
            call = self._record(Call(now, method, None, conn.conn_id))
            self._finish(conn, call, 404, _error_body(404, "Not Found"))
            return
        if canonical != method:
            self._violation(method, "method name case differs", f"use {canonical}", now)
        shape = self.schema.methods[canonical]
        params, error = self._parse_params(head, query, body, shape)
        call = self._record(Call(now, canonical, params, conn.conn_id))
        if error is not None:
            self._violation(canonical, error, _short(body.decode("utf-8", "replace")), now)
            self._finish(conn, call, 400, _error_body(400, "Bad Request: " + error))
            return
        if self._unauthorized:
            self._finish(conn, call, 401, _error_body(401, "Unauthorized"))
            return
        self._check_throttle(canonical, params, now)
        problems = self._validate(canonical, shape, params)
        if problems:
            for p in problems:
                self._violation(canonical, p, _short(params), now)
            self._finish(conn, call, 400, _error_body(400, "Bad Request: " + problems[0]))
            return
        getattr(self, "_m_" + canonical)(conn, call, params)

    def _parse_params(self, head, query, body, shape):
        """Returns (params dict, None) or (None, error)."""
        params = {}
        if query:
            params.update(_coerce_form_params(dict(urllib.parse.parse_qsl(query)), shape))
        if not body:
            return params, None
        if "application/json" in head.ctype:
            try:
                value = json.loads(body)
            except UnicodeDecodeError:
                return None, "request body is not valid UTF-8"
            except ValueError as e:
                return None, f"request body is not valid JSON ({e})"
            if not isinstance(value, dict):
                return None, "request body is not a JSON object"
            params.update(value)
            return params, None
        if "application/x-www-form-urlencoded" in head.ctype:
            try:
                form = dict(urllib.parse.parse_qsl(body.decode("utf-8"), strict_parsing=False))
            except UnicodeDecodeError:
                return None, "request body is not valid UTF-8"
            params.update(_coerce_form_params(form, shape))
            return params, None
        return None, f"unsupported Content-Type {head.ctype!r}"

    def _record(self, call):
        """Calls are recorded in arrival order; a parked long poll gets its status later."""
        self._calls.append(call)
        return call

    def _finish(self, conn, call, status, body, ctype=b"application/json"):
        call.status = status
        conn.respond(status, body, ctype)

    def _violation(self, method, message, detail, now=None):
        v = Violation(time.monotonic() if now is None else now, method, message, detail)
        self._violations.append(v)
        if self.echo_violations and len(self._violations) <= 50:
            print(f"fakebot: VIOLATION {v!r}", flush=True)

    # ---- validation -----------------------------------------------------------------------

    def _validate(self, method, shape, params):
        """Returns the list of problems Telegram would reject or the project forbids."""
        errors = []
        self.schema.check_object(params, shape, "", errors)
        if "chat_id" in params and not _is_int(params["chat_id"]):
            errors.append(f"chat_id is not an integer: {_short(params['chat_id'])}")
        elif "chat_id" in params and method in ("sendMessage", "editMessageText") \
                and params["chat_id"] not in self._chats:
            errors.append(f"chat not found: chat_id {params['chat_id']} was never seen")
        check = _SEMANTIC_CHECKS.get(method)
        if check is not None and not errors:
            check(self, params, errors)
        return errors

    def _check_message_text(self, params, errors, required=True):
        text = params.get("text")
        if text is None:
            if required:
                errors.append("text is missing")
            return
        if not _encodable(text):
            errors.append("text contains an unpaired UTF-16 surrogate")
            return
        mode = params.get("parse_mode")
        if mode is not None and mode != "HTML":
            errors.append(f"parse_mode {mode!r}: karirbot uses HTML only")
        visible = text
        if mode == "HTML":
            visible, html_errors = html_to_visible(text)
            errors.extend("can't parse entities: " + e for e in html_errors)
        self._visible = visible
        if not visible.strip():
            errors.append("message text is empty")
        elif utf16_len(visible) > MAX_TEXT_UTF16:
            errors.append(f"message is too long: {utf16_len(visible)} UTF-16 units > 4096")
        self._check_reply_markup(params.get("reply_markup"), errors)

    @staticmethod
    def _check_reply_markup(markup, errors):
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return
        for r, row in enumerate(markup["inline_keyboard"]):
            for c, button in enumerate(row):
                if not isinstance(button, dict):
                    continue
                if not str(button.get("text", "")).strip():
                    errors.append(f"button [{r}][{c}] has empty text")
                # InlineKeyboardButton: "Exactly one of the fields other than text,
                # icon_custom_emoji_id, and style must be used to specify the type".
                kinds = sorted(k for k in button if k not in _BUTTON_LOOKS)
                if len(kinds) != 1:
                    errors.append(f"button [{r}][{c}] needs exactly one button type field, "
                                  f"has {kinds or 'none'}")
                data = button.get("callback_data")
                if isinstance(data, str):
                    size = len(data.encode("utf-8", "surrogatepass"))
                    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                        errors.append(f"button [{r}][{c}] callback_data is {size} bytes "
                                      f"(allowed 1..64)")

    def _check_send_message(self, params, errors):
        self._check_message_text(params, errors)

    def _check_edit_message_text(self, params, errors):
        if "inline_message_id" not in params and not (
                "chat_id" in params and "message_id" in params):
            errors.append("editMessageText needs chat_id and message_id (or inline_message_id)")
        if "text" not in params and "rich_message" not in params:
            errors.append("editMessageText needs text")
        self._check_message_text(params, errors, required=False)

    @staticmethod
    def _check_get_updates(params, errors):
        limit = params.get("limit", 100)
        if not 1 <= limit <= 100:
            errors.append(f"limit {limit} outside 1..100")
        if params.get("timeout", 0) < 0:
            errors.append("negative timeout")
        allowed = params.get("allowed_updates")
        if allowed is not None and not all(isinstance(a, str) for a in allowed):
            errors.append("allowed_updates must be strings")

    @staticmethod
    def _check_answer_callback(params, errors):
        text = params.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_TEXT:
            errors.append(f"answerCallbackQuery text over {MAX_CALLBACK_ANSWER_TEXT} characters")

    @staticmethod
    def _check_set_my_commands(params, errors):
        commands = params.get("commands", [])
        if len(commands) > 100:
            errors.append("more than 100 commands")
        for cmd in commands:
            if not _COMMAND_RE.match(cmd.get("command", "")):
                errors.append(f"command {cmd.get('command')!r}: 1-32 chars of a-z0-9_")
            if not 1 <= len(cmd.get("description", "")) <= 256:
                errors.append(f"command {cmd.get('command')!r}: description 1-256 chars")

    def _check_throttle(self, method, params, now):
        """Records a violation when a call reaches a chat (or method) still under a 429."""
        key = self._throttle_key(method, params)
        until = self._throttled.get(key)
        if until is None:
            return
        if now < until - self.throttle_slack:
            what = "throttled chat called early" if key[0] == "chat" else \
                "throttled method called early"
            self._violation(method, what, f"{key[0]} {key[1]}: {until - now:.3f}s before "
                            f"retry_after elapsed", now)
        else:
            del self._throttled[key]

    @staticmethod
    def _throttle_key(method, params):
        chat_id = params.get("chat_id")
        if chat_id is not None:
            return ("chat", chat_id)
        if method == "answerCallbackQuery":
            return ("callback", params.get("callback_query_id"))
        return ("method", method)

    # ---- random faults --------------------------------------------------------------------

    def _random_fault(self, conn, call, params):
        """Answers call with a random 429 or 5xx if the dice say so; returns True if it did."""
        faults = self._faults.get(call.method) or self._faults.get("*")
        if faults is None or (faults.p429 <= 0 and faults.p5xx <= 0):
            return False
        roll = self._rng.random()
        if roll < faults.p429:
            retry = faults.retry_after
            self._throttled[self._throttle_key(call.method, params)] = time.monotonic() + retry
            self._fault_counts["429"] += 1
            call.note = f"injected 429 retry_after={retry}"
            self._finish(conn, call, 429, _error_body(
                429, f"Too Many Requests: retry after {retry}", retry_after=retry))
            return True
        if roll < faults.p429 + faults.p5xx:
            self._fault_counts["5xx"] += 1
            if self._rng.random() < 0.5:
                call.note = "injected 500"
                self._finish(conn, call, 500, _error_body(500, "Internal Server Error"))
            else:
                call.note = "injected 502 (html)"
                self._finish(conn, call, 502, _NGINX_502, b"text/html")
            return True
        return False

    # ---- methods --------------------------------------------------------------------------

    def _m_getMe(self, conn, call, params):
        if not self._random_fault(conn, call, params):
            self._finish(conn, call, 200, _ok_body(BOT_USER))

    def _m_deleteWebhook(self, conn, call, params):
        if not self._random_fault(conn, call, params):
            self._finish(conn, call, 200, _ok_body(True))

    def _m_setMyCommands(self, conn, call, params):
        if not self._random_fault(conn, call, params):
            self._finish(conn, call, 200, _ok_body(True))

    def _m_getFile(self, conn, call, params):
        if self._random_fault(conn, call, params):
            return
        file_id = params["file_id"]
        self._finish(conn, call, 200, _ok_body({
            "file_id": file_id, "file_unique_id": "u" + file_id[-8:], "file_size": 1234,
            "file_path": f"documents/{file_id[-8:]}.pdf"}))

    def _m_answerCallbackQuery(self, conn, call, params):
        cq_id = params["callback_query_id"]
        if cq_id not in self._callbacks or self._callbacks[cq_id] is not None:
            self._finish(conn, call, 400, _error_body(
                400, "Bad Request: query is too old and response timeout expired or query ID "
                     "is invalid"))
            return
        if self._random_fault(conn, call, params):
            return
        self._callbacks[cq_id] = call.t
        self._finish(conn, call, 200, _ok_body(True))

    def _m_sendMessage(self, conn, call, params):
        chat_id = params["chat_id"]
        text = params["text"]
        if chat_id in self._blocked_chats:
            self._finish(conn, call, 403,
                         _error_body(403, "Forbidden: bot was blocked by the user"))
            return
        if any(s in text for s in self._rejected_texts):
            call.note = "injected 400"
            self._finish(conn, call, 400, _error_body(400, "Bad Request: injected rejection"))
            return
        if self._random_fault(conn, call, params):
            return
        visible = self._visible
        message_id = self._next_message_id
        self._next_message_id += 1
        self._message_texts[(chat_id, message_id)] = (text, _short(params.get("reply_markup")))
        sent = SentMessage(call.t, chat_id, message_id, text, visible, params)
        self._sent.append(sent)
        self._sent_by_chat[chat_id].append(sent)
        self._finish(conn, call, 200, self._message_body(chat_id, message_id, visible))

    def _m_editMessageText(self, conn, call, params):
        if "inline_message_id" in params:
            if not self._random_fault(conn, call, params):
                self._finish(conn, call, 200, _ok_body(True))
            return
        key = (params["chat_id"], params["message_id"])
        current = self._message_texts.get(key)
        if current is None:
            self._finish(conn, call, 400,
                         _error_body(400, "Bad Request: message to edit not found"))
            return
        new = (params.get("text", ""), _short(params.get("reply_markup")))
        if new == current:
            self._finish(conn, call, 400, _error_body(
                400, "Bad Request: message is not modified: specified new message content and "
                     "reply markup are exactly the same as a current content and reply markup "
                     "of the message"))
            return
        if self._random_fault(conn, call, params):
            return
        self._message_texts[key] = new
        self._finish(conn, call, 200, self._message_body(key[0], key[1], self._visible))

    def _message_body(self, chat_id, message_id, visible):
        """The response to a sent or edited message, built from cached pieces (hot path)."""
        chat = self._chat_json.get(chat_id)
        if chat is None:
            chat = _json_bytes(self._chats.get(chat_id) or {"id": chat_id, "type": "private"})
            self._chat_json[chat_id] = chat
        return (b'{"ok":true,"result":{"message_id":%d,"from":%s,"chat":%s,"date":%d,"text":%s}}'
                % (message_id, _BOT_USER_JSON, chat, int(time.time()),
                   _encode_json_string(visible).encode("utf-8")))

    # ---- getUpdates -----------------------------------------------------------------------

    def _m_getUpdates(self, conn, call, params):
        # Only one poller per token: a newer getUpdates ends a parked one with 409.
        if self._poll is not None:
            old = self._poll
            self._poll = None
            old.timer.cancel()
            if not old.conn.closed:
                self._overlapping_polls += 1
                old.call.note = "terminated by a newer getUpdates"
                self._answer_poll(old, 409, _error_body(409, CONFLICT_DESCRIPTION))
        if self._conflicts_left > 0:
            self._conflicts_left -= 1
            call.note = "injected 409"
            self._finish(conn, call, 409, _error_body(409, CONFLICT_DESCRIPTION))
            return
        if self._random_fault(conn, call, params):
            return
        offset = params.get("offset", 0)
        limit = params.get("limit", 100)
        self._confirm(offset)
        if self._scripted:
            self._answer_scripted(conn, call, self._scripted.popleft())
            return
        batch = [] if self._held else self._select(offset, limit)
        if batch or params.get("timeout", 0) <= 0:
            self._answer_updates(conn, call, batch)
            return
        poll = _Poll(conn, call, offset, limit)
        poll.timer = self._loop.call_later(params["timeout"], self._expire_poll, poll)
        conn.parked = True
        conn.poll = poll
        self._poll = poll

    def _confirm(self, offset):
        """Forgets every update with an id below offset (Telegram's confirmation)."""
        if offset < 0:
            # Telegram: a negative offset means "the last -offset updates"; all older ones go.
            keep = max(0, len(self._queue) + offset)
            for _ in range(len(self._queue) - keep):
                self._queue.popleft()
            return
        if offset <= 0:
            return
        if offset > self._confirmed_offset:
            self._confirmed_offset = offset
        queue = self._queue
        while queue and queue[0].update_id < offset and (queue[0].handed_out
                                                         or not queue[0].forced):
            queue.popleft()

    def _select(self, offset, limit):
        """Up to limit pending updates with id >= offset (plus forced redeliveries), in queue
        order."""
        batch = []
        for p in self._queue:
            if p.update_id >= offset or (p.forced and not p.handed_out):
                batch.append(p)
                if len(batch) >= limit:
                    break
        return batch

    def _answer_updates(self, conn, call, batch):
        now = time.monotonic()
        for p in batch:
            p.handed_out = True
            if p.update_id not in self._handed_at:
                self._handed_at[p.update_id] = now
        call.update_ids = tuple(p.update_id for p in batch)
        body = b'{"ok":true,"result":[' + b",".join(p.raw for p in batch) + b"]}"
        self._finish(conn, call, 200, body)

    def _answer_scripted(self, conn, call, kind):
        self._fault_counts["scripted_" + kind] += 1
        call.note = "scripted " + kind
        if kind == "malformed":
            self._finish(conn, call, 200, b'{"ok":true,"result":[{"update_id":12,"message":{"mes')
        elif kind == "huge":
            pad = b" " * (10 * 1024 * 1024)
            self._finish(conn, call, 200, b'{"ok":true,"result":[' + pad + b"]}")
        elif kind == "ok_false":
            self._finish(conn, call, 200, _error_body(500, "Internal Server Error: injected"))
        else:
            self._finish(conn, call, 502, _NGINX_502, b"text/html")

    def _answer_poll(self, poll, status, body):
        poll.call.status = status
        poll.conn.respond(status, body)
        poll.conn.unpark()

    def _wake_poll(self):
        with self._lock:
            poll = self._poll
            if poll is None:
                return
            if self._unauthorized:
                self._end_poll(poll)
                self._answer_poll(poll, 401, _error_body(401, "Unauthorized"))
                return
            if self._conflicts_left > 0:
                self._conflicts_left -= 1
                self._end_poll(poll)
                poll.call.note = "injected 409"
                self._answer_poll(poll, 409, _error_body(409, CONFLICT_DESCRIPTION))
                return
            if self._scripted:
                self._end_poll(poll)
                kind = self._scripted.popleft()
                self._answer_scripted(poll.conn, poll.call, kind)
                poll.conn.unpark()
                return
            if self._held:
                return
            batch = self._select(poll.offset, poll.limit)
            if batch:
                self._end_poll(poll)
                self._deliver_poll(poll, batch)

    def _end_poll(self, poll):
        poll.timer.cancel()
        self._poll = None

    def _deliver_poll(self, poll, batch):
        now = time.monotonic()
        for p in batch:
            p.handed_out = True
            if p.update_id not in self._handed_at:
                self._handed_at[p.update_id] = now
        poll.call.update_ids = tuple(p.update_id for p in batch)
        body = b'{"ok":true,"result":[' + b",".join(p.raw for p in batch) + b"]}"
        self._answer_poll(poll, 200, body)

    def _expire_poll(self, poll):
        with self._lock:
            if self._poll is not poll:
                return
            self._poll = None
            self._deliver_poll(poll, self._select(poll.offset, poll.limit))

    def _connection_lost(self, conn):
        self._connections.discard(conn)
        with self._lock:
            poll = self._poll
            if poll is not None and poll.conn is conn:
                # The client gave up on its long poll: drop it without a trace of an answer.
                self._end_poll(poll)
                poll.call.status = 0
                poll.call.note = "client disconnected"


def _encodable(text):
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _short_json(value, limit):
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


_SEMANTIC_CHECKS = {
    "sendMessage": FakeBot._check_send_message,
    "editMessageText": FakeBot._check_edit_message_text,
    "getUpdates": lambda self, p, e: FakeBot._check_get_updates(p, e),
    "answerCallbackQuery": lambda self, p, e: FakeBot._check_answer_callback(p, e),
    "setMyCommands": lambda self, p, e: FakeBot._check_set_my_commands(p, e),
}

_NGINX_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
              b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
              b"</body>\r\n</html>\r\n")


def main():
    import argparse
    parser = argparse.ArgumentParser(description="Run the fake Bot API server in the foreground.")
    parser.add_argument("--token", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    bot = FakeBot(args.token, seed=args.seed, port=args.port).start()
    print(f"fakebot listening on {bot.url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        bot.stop()


if __name__ == "__main__":
    main()
