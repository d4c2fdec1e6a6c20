"""soak: karirbot under mixed traffic, faults and restarts for a long time (a benchmark, not CI).

Runs the real binary against the fake Bot API (tests/fakebot) on the demo organisation
(tests/integration/harness.py: Harness.seed_demo) and, for --minutes:
- offers about --rate updates per second from --users simulated Telegram users: the linked demo
  employees (chat 2000000000 + employee id) walk the real flows (an RPI activity, a training
  registration, approvals) on purpose, and otherwise press the buttons they were sent, decide
  approval cards, type answers and commands (/mentor, /pangkat, /pengingat, ...);
  everyone else is an unlinked stranger sending /start, /menu, /help, text, activation-code
  guesses, and pressing buttons, fresh and stale, or forged;
- injects the fault mix of the service-core tests (tests/integration/test_faults.py) on every
  Bot API call: 10% 429 (retry_after 1 s), 5% 500/502, 3% connection resets, plus now and then a
  bad getUpdates answer (malformed JSON, ok=false, an HTML 502, a 409 conflict);
- restarts karirbot every --restart-every seconds (with a +-20% jitter), alternating SIGTERM
  (graceful) and SIGKILL (kill -9, as tests/integration/test_kill9.py);
- prints a table every minute: RSS, VmHWM, open file descriptors, outbox and update backlog,
  replies so far; and at the end the accounting below. Exits non-zero if any check fails.

Users are closed-loop, as people are: each sends its next update only after the reply to the
previous one arrived (plus a think time), so every reply can be attributed to one update.
Sessions of 1 to 5 actions start at --rate / MEAN_SESSION per second, each with the stranger
idle longest (every stranger has a first session before anyone has a second: at the defaults
all 5,000 write within 30 minutes); the linked employees are always in a session. The offered
rate printed is the updates pushed per second over the run.

Accounting (see README.md beside this file):
- processed exactly once: every update pushed ends in the updates table as done, with exactly
  one conversation_log row;
- lost replies (must be 0): updates without their reply, which are
    a /start from a stranger whose welcome (addressed to a first_name unique to that update)
    never arrived; a button press whose answerCallbackQuery never succeeded; any other message
    after which nothing (sendMessage or editMessageText) reached its chat before the run ended;
  plus outbox rows recorded undeliverable for any reason but a repeat's "query is too old" (such
  a row usually also shows as an update without its reply: the two are added, not merged);
- repeated replies: deliveries of an outbox row that had already been delivered: a successful
  sendMessage whose message id is not the one its row recorded (the row was delivered, not yet
  marked sent, karirbot died, and the row was sent again), a second answer to a callback query
  (the fake answers 400 "query is too old"), an edit answered "message is not modified". Only
  sends in flight at a kill -9 may repeat: at most KARIRBOT_MAX_INFLIGHT per kill, and none
  across a SIGTERM;
- fake-server violations (must be 0);
- RSS must level off: the mean of the highest RSS of each process life in the last third of
  the lives may exceed the first third's by at most 10% (+1 MiB); with fewer than three lives,
  the highest RSS in the last third of the longest life against its first third.
"""

import argparse
import collections
import datetime
import heapq
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "fakebot"))

import fakebot  # noqa: E402
import harness  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DEFAULT_MAX_INFLIGHT = 8           # karirbot's default KARIRBOT_MAX_INFLIGHT
STRANGER_BASE = 1_000_000          # a stranger's chat (and user) id: this + index
MEAN_SESSION = 3                   # actions per session of a stranger, on average
THINK_S = (2.0, 8.0)               # a person reads the reply before acting again
LINKED_THINK_S = (2.0, 10.0)
SAMPLE_EVERY_S = 2.0
TABLE_EVERY_S = 60.0
SCRIPTED_EVERY_S = (90.0, 150.0)   # a bad getUpdates answer now and then
FAULTS = dict(p429=0.10, p5xx=0.05, preset=0.03, retry_after=1)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", required=True, help="the karirbot binary (an optimised build)")
    p.add_argument("--source-dir", default=os.path.normpath(os.path.join(HERE, "..", "..")),
                   help="the karirbot source tree of the binary's commit (dialogs/, locales/, "
                        "deploy/demo/; also KARIRBOT_DATA_DIR)")
    p.add_argument("--minutes", type=float, default=30)
    p.add_argument("--users", type=int, default=5000)
    p.add_argument("--rate", type=float, default=10,
                   help="updates per second offered on average (default 10)")
    p.add_argument("--restart-every", type=float, default=180,
                   help="seconds between restarts, alternately SIGTERM and SIGKILL (0: none)")
    p.add_argument("--restart-delay", type=float, default=2.0,
                   help="seconds between an exit and the next start (default 2: longer than "
                        "the faults' retry_after, which a new process cannot know)")
    p.add_argument("--max-inflight", type=int, default=None,
                   help="KARIRBOT_MAX_INFLIGHT (default: karirbot's own, 8)")
    p.add_argument("--no-faults", action="store_true", help="no injected Bot API faults")
    p.add_argument("--drain-timeout", type=float, default=300,
                   help="after the run, seconds to wait for every reply")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return p.parse_args()


# ---- the fake server, with incremental access to its records ---------------------------------

class SoakBot(fakebot.FakeBot):
    """FakeBot plus what a 30-minute run needs: the records added since the last look (copying
    every record each time would cost more than the server itself)."""

    def records_since(self, calls_from, sent_from):
        with self._lock:
            return self._calls[calls_from:], self._sent[sent_from:]

    def queued_updates(self):
        with self._lock:
            return len(self._queue)


# ---- /proc ---------------------------------------------------------------------------------------

def proc_sample(pid):
    """(rss_kib, hwm_kib, fds, sockets, cpu_s) of a live process, or None if it is gone."""
    try:
        rss = hwm = None
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
        fds = sockets = 0
        for name in os.listdir(f"/proc/{pid}/fd"):
            fds += 1
            try:
                if os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
                    sockets += 1
            except OSError:
                pass
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        if rss is None:
            return None
        return rss, hwm, fds, sockets, cpu
    except (OSError, ValueError, IndexError):
        return None


# ---- what the simulated people say -----------------------------------------------------------

def future_date(days):
    d = datetime.date.today() + datetime.timedelta(days=days)
    return d.strftime("%d-%m-%Y")


STRANGER_TEXTS = [
    "halo", "Selamat pagi", "Bagaimana cara daftar pelatihan?", "K7QF-M2XP-9H", "ABCD-EFGH-JK",
    "199003222015032001", "terima kasih 🙏", "<b>tes</b> & <i>", "ok", "?",
    "Saya ingin bertanya tentang kenaikan pangkat " * 8,
]
LINKED_TEXTS = [
    "10", "2", "1", "3", "12", "Ya", "batal", "abc", "<script>alert(1)</script>",
    "Bimbingan teknis penyusunan laporan kinerja", "Kursus analisis data lanjutan",
    "Mendukung penyusunan laporan analisis data di unit kerja saya",
    "Meningkatkan kompetensi teknis sesuai tugas jabatan dan rencana unit",
    "Sesi membahas rencana kerja triwulan dan umpan balik atas draf laporan",
]
STRANGER_COMMANDS = ["/menu", "/help", "/bantuan", "/batal", "/bahasa", "/rpi", "/pelatihan",
                     "/pengingat", "/tidakada"]
LINKED_COMMANDS = ["/menu", "/menu", "/rpi", "/rpi", "/pelatihan", "/pelatihanku", "/mentor",
                   "/sesimentor", "/pangkat", "/persetujuan", "/pengingat", "/batal", "/bantuan",
                   "/help", "/start"]


def keyboard_of(params):
    """label -> callback_data of a message's inline keyboard (params as the fake recorded)."""
    markup = params.get("reply_markup") if params else None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            return {}
    rows = (markup or {}).get("inline_keyboard", []) if isinstance(markup, dict) else []
    return {b.get("text"): b.get("callback_data") for row in rows for b in row
            if isinstance(b, dict) and b.get("callback_data")}


class User:
    __slots__ = ("index", "chat", "linked", "seq", "keyboards", "waiting", "session_left",
                 "scheduled", "plan")

    def __init__(self, index, chat, linked):
        self.index = index
        self.chat = chat
        self.linked = linked
        self.seq = 0
        self.keyboards = collections.OrderedDict()  # message_id -> {label: data}, newest last
        self.waiting = None        # the Update record of the update awaiting its reply
        self.session_left = 0
        self.scheduled = False
        self.plan = None           # the steps left of a flow a linked employee walks on purpose


class Update:
    __slots__ = ("uid", "user", "kind", "name", "text", "cq", "t", "answered_t", "life")

    def __init__(self, uid, user, kind, name, text, cq, t, life):
        self.uid = uid
        self.user = user
        self.kind = kind           # start | text | callback
        self.name = name
        self.text = text
        self.cq = cq
        self.t = t
        self.answered_t = None
        self.life = life


# ---- the run -----------------------------------------------------------------------------------

class Life:
    def __init__(self, index, pid, started):
        self.index = index
        self.pid = pid
        self.started = started
        self.first_poll = None
        self.ended = None
        self.how = None            # term | kill | crash | final
        self.rc = None
        self.samples = []          # (t, rss, hwm, fds, sockets, cpu)
        self.drain_abandoned = False

    def polled(self, t0):
        """The samples from the first getUpdates on: one taken during exec() says nothing."""
        return [s for s in self.samples if self.first_poll and s[0] >= self.first_poll - t0]

    def summary(self, t0):
        polled = self.polled(t0)
        rss = [s[1] for s in polled]
        fds = [s[3] for s in polled]
        return {
            "life": self.index + 1, "pid": self.pid,
            "start_s": round(self.started - t0, 1),
            "duration_s": round((self.ended or time.monotonic()) - self.started, 1),
            "start_to_poll_s": (round(self.first_poll - self.started, 2) if self.first_poll
                                else None),
            "ended_by": self.how, "exit_code": self.rc,
            "rss_first_kib": rss[0] if rss else None, "rss_last_kib": rss[-1] if rss else None,
            "rss_max_kib": max(rss) if rss else None,
            "hwm_kib": polled[-1][2] if polled else None,
            "fds_min": min(fds) if fds else None, "fds_max": max(fds) if fds else None,
            "cpu_s": round(self.samples[-1][5], 2) if self.samples else None,
            "drain_abandoned": self.drain_abandoned,
        }


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        ns = argparse.Namespace(bin=args.bin, source_dir=args.source_dir, seed=args.seed,
                                keep=args.keep)
        self.h = harness.Harness("soak", ns)
        self.h.fake.stop()
        self.h.fake = SoakBot(self.h.token, seed=args.seed, echo_violations=False).start()
        self.fake = self.h.fake
        # Production settings, not the integration tests' quick ones.
        self.h.env_overrides.update({"KARIRBOT_POLL_TIMEOUT": None,
                                     "KARIRBOT_RETRY_BASE_MS": None,
                                     "KARIRBOT_LOG_LEVEL": "info"})
        if args.max_inflight:
            self.h.env_overrides["KARIRBOT_MAX_INFLIGHT"] = args.max_inflight
        self.max_inflight = args.max_inflight or DEFAULT_MAX_INFLIGHT
        self.welcome_res = self._welcome_patterns()
        # state
        self.users = []
        self.by_chat = {}
        self.updates = {}              # update_id -> Update
        self.by_cq = {}                # callback_query_id -> Update
        self.greetings = collections.Counter()   # name -> welcomes delivered
        self.cq_ok = {}                # callback id -> time of the first successful answer
        self.cq_repeats = []           # (t, cq) answers after a successful one
        self.edit_state = {}           # (chat, message id) -> (text, markup) last applied
        self.edit_repeats = []         # t of edits answered "not modified"
        self.sends_ok = 0
        self.edits_ok = 0
        self.calls_seen = 0
        self.sent_seen = 0
        self.kind_counts = collections.Counter()
        self.lives = []
        self.life = None
        self.state = "down"
        self.start_at = 0.0
        self.stop_sent = None
        self.crashes = 0
        self.term_rcs = []
        self.heap = []                 # (time, seq, user index) of users due to act
        self.heap_seq = 0
        self.idle_strangers = collections.deque()  # strangers out of session, longest first
        self.plan_counts = collections.Counter()
        self.session_tokens = 0.0
        self.offers_dropped = 0
        self.table = []

    # ---- setup -------------------------------------------------------------------------------

    def _welcome_patterns(self):
        pats = []
        for lang in ("id", "en"):
            template = harness.load_locale(self.h.source_dir, lang)["start_welcome"]
            visible = fakebot.visible_text(template)
            parts = re.split(r"(\{[a-z_]+\})", visible)
            rx = "".join("(?P<name>.+?)" if p == "{name}" else ".*?" if re.fullmatch(
                r"\{[a-z_]+\}", p) else re.escape(p) for p in parts)
            pats.append(re.compile(rx + r"\Z", re.S))
        return pats

    def greeting_name(self, visible):
        for rx in self.welcome_res:
            m = rx.match(visible)
            if m:
                return m.group("name")
        return None

    def table_counts(self):
        names = [n for (n,) in self.h.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {n: self.h.query(f'SELECT count(*) FROM "{n}"')[0][0] for n in names}

    def setup_users(self):
        self.h.seed_demo()
        self.seed_counts = self.table_counts()
        self.make_plans()
        linked = [r[0] for r in self.h.query(
            "SELECT chat_id FROM links WHERE chat_id IS NOT NULL ORDER BY chat_id")]
        linked = linked[:self.args.users]
        for chat in linked:
            u = User(len(self.users), chat, True)
            self.users.append(u)
        for i in range(self.args.users - len(linked)):
            u = User(len(self.users), STRANGER_BASE + i, False)
            self.users.append(u)
            self.idle_strangers.append(u.index)
        # Everyone gets a first session before anyone gets a second one.
        order = list(self.idle_strangers)
        self.rng.shuffle(order)
        self.idle_strangers = collections.deque(order)
        self.by_chat = {u.chat: u for u in self.users}
        # The linked employees say /start before karirbot starts, so that the fake server knows
        # their chats before a reminder or an approval card is sent to one.
        for u in self.users:
            if u.linked:
                u.session_left = 10 ** 9
                self.push(u, time.monotonic(), "start")

    # ---- actions -------------------------------------------------------------------------------

    def schedule(self, u, at):
        if not u.scheduled:
            u.scheduled = True
            self.heap_seq += 1
            heapq.heappush(self.heap, (at, self.heap_seq, u.index))

    def push(self, u, now, kind, text=None, message_id=None, data=None, label=None):
        u.seq += 1
        name = f"u{u.index}n{u.seq}"
        life = self.life.index if self.life else -1
        if kind == "callback":
            uid, cq = self.fake.push_callback(u.chat, data, first_name=name, message_id=message_id)
            rec = Update(uid, u, "callback", name, data, cq, now, life)
            self.by_cq[cq] = rec
        else:
            if kind == "start":
                text = "/start"
            uid = self.fake.push_text(u.chat, text, first_name=name)
            # A stranger's /start is checked by its welcome; a linked person's only as text.
            rec = Update(uid, u, "start" if kind == "start" and not u.linked else "text", name,
                         text, None, now, life)
        self.updates[uid] = rec
        u.waiting = rec
        who = "linked" if u.linked else "stranger"
        self.kind_counts[f"{who} {label or kind}"] += 1
        return rec

    def make_plans(self):
        """The flows a linked employee walks on purpose, step by step, as the integration tests
        rpi_approval and training_approval do: ("cmd"|"type", text) or ("press", label) or
        ("press_any", labels not to press)."""
        loc = harness.load_locale(self.h.source_dir, "id")
        skip = {loc["btn_back"], loc["btn_next"]}
        self.labels = loc
        self.plans = {
            "rpi_add": [("cmd", "/rpi"), ("press", loc["btn_rpi_add"]), ("press_any", skip),
                        ("type", "Kursus tata kelola data pemerintah"),
                        ("press", loc["btn_rpi_comp_teknis"]), ("type", "date"), ("type", "12"),
                        ("press", loc["btn_rpi_send"])],
            "training": [("cmd", "/pelatihan"), ("press_any", skip),
                         ("press", loc["btn_training_register"]),
                         ("type", "Untuk menyusun dasbor analisis data layanan publik di bidang "
                                  "kami"),
                         ("press", loc["btn_training_no_rpi"]),
                         ("press", loc["btn_training_send"])],
            "approvals": [("cmd", "/persetujuan"), ("press_any", skip),
                          ("press_any", {loc["btn_back"], loc["btn_next"], loc["btn_reject"]})],
        }

    def plan_step(self, u, now, step):
        what, arg = step
        if what == "cmd":
            return self.push(u, now, "text", arg, label="plan command")
        if what == "type":
            text = future_date(self.rng.randint(20, 300)) if arg == "date" else arg
            return self.push(u, now, "text", text, label="plan text")
        for message_id, buttons in reversed(u.keyboards.items()):
            if what == "press" and arg in buttons:
                return self.push(u, now, "callback", message_id=message_id, data=buttons[arg],
                                 label="plan press")
            if what == "press_any":
                choices = sorted(b for b in buttons if b not in arg)
                if choices:
                    return self.push(u, now, "callback", message_id=message_id,
                                     data=buttons[self.rng.choice(choices)], label="plan press")
            break  # only the newest keyboard: an older one would be a stale press
        return None

    def act(self, u, now):
        """One action of u, chosen by who u is and what u was last sent."""
        r = self.rng.random()
        kbs = list(u.keyboards.items())
        latest = kbs[-1] if kbs else None
        if u.linked:
            if u.plan:
                rec = self.plan_step(u, now, u.plan.pop(0))
                if rec is not None:
                    return rec
                self.plan_counts["abandoned"] += 1
                u.plan = None
            if r < 0.35:
                name = self.rng.choice(["rpi_add", "rpi_add", "training", "approvals"])
                self.plan_counts[name] += 1
                u.plan = list(self.plans[name])
                return self.plan_step(u, now, u.plan.pop(0))
            cards = [(m, b) for m, b in kbs if self.labels["btn_approve"] in b]
            if cards and r < 0.50:
                message_id, buttons = self.rng.choice(cards)
                label = self.labels["btn_approve" if self.rng.random() < 0.8 else "btn_reject"]
                return self.push(u, now, "callback", message_id=message_id, data=buttons[label],
                                 label="card press")
            r = self.rng.random()
            asked = not latest  # nothing to press: probably a question waiting for text
            if latest and r < 0.55:
                return self.press(u, now, latest, "press")
            if r < 0.60 and len(kbs) > 1:
                return self.press(u, now, self.rng.choice(kbs[:-1]), "stale press")
            if r < 0.80 or asked:
                texts = LINKED_TEXTS + [future_date(self.rng.randint(20, 300))] * 3
                return self.push(u, now, "text", self.rng.choice(texts), label="text")
            return self.push(u, now, "text", self.rng.choice(LINKED_COMMANDS), label="command")
        if u.seq == 0 or r < 0.15:
            return self.push(u, now, "start")
        if latest and r < 0.50:
            return self.press(u, now, latest, "press")
        if len(kbs) > 1 and r < 0.60:
            return self.press(u, now, self.rng.choice(kbs[:-1]), "stale press")
        if latest and r < 0.64:
            return self.push(u, now, "callback", message_id=latest[0],
                             data="".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                                          for _ in range(16)), label="forged press")
        if r < 0.82:
            return self.push(u, now, "text", self.rng.choice(STRANGER_TEXTS), label="text")
        return self.push(u, now, "text", self.rng.choice(STRANGER_COMMANDS), label="command")

    def press(self, u, now, kb, label):
        message_id, buttons = kb
        button = self.rng.choice(sorted(buttons))
        return self.push(u, now, "callback", message_id=message_id, data=buttons[button],
                         label=label)

    def answered(self, rec, t):
        if rec.answered_t is not None:
            return
        rec.answered_t = t
        u = rec.user
        if u.waiting is rec:
            u.waiting = None
            u.session_left -= 1
            if self.offering:
                if u.session_left > 0:
                    lo, hi = LINKED_THINK_S if u.linked else THINK_S
                    self.schedule(u, max(t, time.monotonic()) + self.rng.uniform(lo, hi))
                else:
                    self.idle_strangers.append(u.index)

    # ---- the fake server's records --------------------------------------------------------

    def read_records(self):
        calls, sent = self.fake.records_since(self.calls_seen, self.sent_seen)
        self.calls_seen += len(calls)
        self.sent_seen += len(sent)
        for m in sent:
            self.sends_ok += 1
            u = self.by_chat.get(m.chat_id)
            name = self.greeting_name(m.visible)
            if name is not None:
                self.greetings[name] += 1
            self.edit_state[(m.chat_id, m.message_id)] = (m.params.get("text"),
                                                          json.dumps(m.params.get("reply_markup"),
                                                                     sort_keys=True))
            if u is None:
                continue
            kb = keyboard_of(m.params)
            if kb:
                u.keyboards[m.message_id] = kb
                while len(u.keyboards) > 6:
                    u.keyboards.popitem(last=False)
            w = u.waiting
            if w is not None and w.kind != "callback" and m.t >= w.t:
                self.answered(w, m.t)
        for c in calls:
            if c.method == "answerCallbackQuery" and c.params:
                cq = c.params.get("callback_query_id")
                if c.status == 200:
                    if cq not in self.cq_ok:
                        self.cq_ok[cq] = c.t
                    rec = self.by_cq.get(cq)
                    if rec is not None:
                        self.answered(rec, c.t)
                elif c.status == 400 and cq in self.cq_ok:
                    self.cq_repeats.append((c.t, cq))
            elif c.method == "editMessageText" and c.params:
                chat = c.params.get("chat_id")
                key = (chat, c.params.get("message_id"))
                content = (c.params.get("text"),
                           json.dumps(c.params.get("reply_markup"), sort_keys=True))
                if c.status == 200:
                    self.edits_ok += 1
                    self.edit_state[key] = content
                    u = self.by_chat.get(chat)
                    if u is not None:
                        kb = keyboard_of(c.params)
                        if kb:
                            u.keyboards[key[1]] = kb
                            u.keyboards.move_to_end(key[1])
                        else:
                            u.keyboards.pop(key[1], None)
                        w = u.waiting
                        if w is not None and w.kind != "callback" and c.t >= w.t:
                            self.answered(w, c.t)
                elif c.status == 400 and self.edit_state.get(key) == content:
                    self.edit_repeats.append(c.t)
            elif c.method == "getUpdates" and self.life and self.life.first_poll is None \
                    and c.t >= self.life.started:
                self.life.first_poll = c.t

    # ---- karirbot's lives ------------------------------------------------------------------

    def start_life(self, now):
        proc = self.h.start(wait_polling=False)
        self.life = Life(len(self.lives), proc.pid, now)
        self.lives.append(self.life)
        self.state = "running"

    def end_life(self, now, how):
        life = self.life
        life.ended = now
        life.how = how
        life.rc = self.h.proc.returncode
        self.h.exit_codes.append((self.h.proc.args, life.rc))
        self.h.reaped = True
        text = self.h.log_text()
        life.drain_abandoned = "sender.drain_abandoned" in text
        if how == "term":
            self.term_rcs.append(life.rc)

    def restart_step(self, now, restarts_allowed):
        proc = self.h.proc
        if self.state == "running":
            if proc.poll() is not None:
                self.crashes += 1
                print(f"  !! karirbot (pid {proc.pid}) exited on its own with {proc.returncode} "
                      f"at {now - self.t0:.0f}s; log {self.h.logs[-1]}", flush=True)
                self.end_life(now, "crash")
                if self.life.first_poll is None:
                    tail = self.h.log_text().splitlines()[-10:]
                    raise SystemExit("karirbot exited before its first getUpdates:\n    " +
                                     "\n    ".join(tail))
                self.state = "down"
                self.start_at = now + self.args.restart_delay
            elif restarts_allowed and self.args.restart_every and now >= self.next_restart:
                how = "term" if self.restarts % 2 == 0 else "kill"
                self.sample(now)
                if how == "term":
                    proc.send_signal(signal.SIGTERM)
                else:
                    proc.send_signal(signal.SIGKILL)
                    self.h.killed = True
                self.restarts += 1
                self.stopping_how = how
                self.stop_sent = now
                self.state = "stopping"
                jitter = self.rng.uniform(0.8, 1.2)
                self.next_restart = now + self.args.restart_every * jitter
        elif self.state == "stopping":
            if proc.poll() is not None:
                self.end_life(now, self.stopping_how)
                self.state = "down"
                self.start_at = now + self.args.restart_delay
            elif now - self.stop_sent > 60:
                print("  !! karirbot did not exit within 60 s of SIGTERM; killing it", flush=True)
                proc.kill()
                self.stopping_how = "term-timeout"
        elif self.state == "down" and now >= self.start_at:
            self.start_life(now)

    # ---- measurements ----------------------------------------------------------------------

    def sample(self, now):
        if self.state != "running" or self.life is None:
            return
        s = proc_sample(self.life.pid)
        if s is not None:
            self.life.samples.append((now - self.t0,) + s)

    def db_figures(self):
        try:
            conn = sqlite3.connect(self.h.db_path, timeout=5)
            try:
                outbox = conn.execute("SELECT count(*) FROM outbox WHERE state = 0").fetchone()[0]
                finished = conn.execute(
                    "SELECT count(*) FROM updates WHERE state <> 0").fetchone()[0]
            finally:
                conn.close()
            return outbox, finished
        except sqlite3.Error:
            return None, None

    def print_row(self, now):
        life = self.life
        s = life.samples[-1] if life and life.samples else None
        outbox, finished = self.db_figures()
        pushed = len(self.updates)
        row = {
            "t_s": round(now - self.t0), "life": life.index + 1 if life else 0,
            "state": self.state,
            "age_s": round(now - life.started) if life else None,
            "rss_kib": s[1] if s else None, "hwm_kib": s[2] if s else None,
            "fds": s[3] if s else None, "sockets": s[4] if s else None,
            "outbox_pending": outbox,
            "updates_pending": pushed - finished if finished is not None else None,
            "fake_queue": self.fake.queued_updates(),
            "pushed": pushed, "sent": self.sends_ok, "edits": self.edits_ok,
            "cb_answers": len(self.cq_ok),
            "waiting_users": sum(1 for u in self.users if u.waiting is not None),
            "load1": round(os.getloadavg()[0], 2),
        }
        self.table.append(row)
        if len(self.table) == 1:
            print(f"{'time':>6} {'life':>4} {'age':>5} {'RSS MiB':>8} {'HWM MiB':>8} {'fds':>4} "
                  f"{'outbox':>6} {'upd pend':>8} {'pushed':>7} {'sent':>7} {'cb ans':>7} "
                  f"{'waiting':>7} {'load':>5}", flush=True)

        def mib(k):
            return f"{k / 1024:8.1f}" if k else f"{'-':>8}"
        mm, ss = divmod(row["t_s"], 60)
        age = f"{row['age_s']:5d}" if row["state"] == "running" else f"{row['state'][:5]:>5}"
        print(f"{mm:3d}:{ss:02d} {row['life']:4d} {age} {mib(row['rss_kib'])} "
              f"{mib(row['hwm_kib'])} {row['fds'] if row['fds'] is not None else '-':>4} "
              f"{outbox if outbox is not None else '-':>6} "
              f"{row['updates_pending'] if row['updates_pending'] is not None else '-':>8} "
              f"{pushed:7d} {self.sends_ok:7d} {len(self.cq_ok):7d} {row['waiting_users']:7d} "
              f"{row['load1']:5.2f}", flush=True)

    # ---- main loop ---------------------------------------------------------------------------

    def offer(self, now, dt):
        self.session_tokens += dt * self.args.rate / MEAN_SESSION
        while self.session_tokens >= 1.0:
            self.session_tokens -= 1.0
            if not self.idle_strangers:
                self.offers_dropped += 1
                continue
            u = self.users[self.idle_strangers.popleft()]
            u.session_left = self.rng.randint(1, 2 * MEAN_SESSION - 1)
            self.schedule(u, now)
        while self.heap and self.heap[0][0] <= now:
            _, _, index = heapq.heappop(self.heap)
            u = self.users[index]
            u.scheduled = False
            if u.waiting is None:
                self.act(u, now)

    def scripted_fault(self, now):
        kind = self.rng.choice(["malformed", "ok_false", "html_502", "conflict"])
        if kind == "conflict":
            self.fake.conflict_next(1)
        else:
            self.fake.script_get_updates(kind)
        self.scripted.append((round(now - self.t0, 1), kind))
        self.next_scripted = now + self.rng.uniform(*SCRIPTED_EVERY_S)

    def run(self):
        args = self.args
        restarts = (f"restart every ~{args.restart_every:g}s (SIGTERM/SIGKILL alternately)"
                    if args.restart_every else "no restarts")
        print(f"karirbot soak: {args.minutes:g} min, {args.users} users, ~{args.rate:g} updates/s "
              f"offered, {restarts}, "
              f"faults {'off' if args.no_faults else FAULTS}; {os.cpu_count()} CPUs, load "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        print(f"  binary {self.h.bin}; directory {self.h.tmp}", flush=True)
        self.offering = True
        self.setup_users()
        n_linked = sum(1 for u in self.users if u.linked)
        print(f"  {n_linked} linked demo employees, {len(self.users) - n_linked} strangers",
              flush=True)
        self.t0 = time.monotonic()
        self.restarts = 0
        self.scripted = []
        self.next_restart = self.t0 + (args.restart_every or 0)
        self.next_scripted = self.t0 + self.rng.uniform(*SCRIPTED_EVERY_S)
        if not args.no_faults:
            self.fake.set_faults("*", **FAULTS)
        self.start_life(self.t0)
        end = self.t0 + args.minutes * 60
        next_sample = self.t0
        next_row = self.t0 + TABLE_EVERY_S
        last = self.t0
        while True:
            now = time.monotonic()
            self.read_records()
            if now >= end:
                break
            self.offer(now, now - last)  # people do not know when the bot restarts
            last = now
            self.restart_step(now, True)
            if not args.no_faults and now >= self.next_scripted:
                self.scripted_fault(now)
            if now >= next_sample:
                self.sample(now)
                next_sample += SAMPLE_EVERY_S
            if now >= next_row:
                self.print_row(now)
                next_row += TABLE_EVERY_S
            time.sleep(0.02)
        self.offered_window = now - self.t0
        self.offered = len(self.updates)
        self.drain(next_sample, next_row)

    def drained(self):
        if any(u.waiting is not None for u in self.users):
            return False
        if any(self.greetings[r.name] == 0 for r in self.updates.values() if r.kind == "start"):
            return False
        outbox, finished = self.db_figures()
        return outbox == 0 and finished == len(self.updates)

    def drain(self, next_sample, next_row):
        """No new actions; waits for every reply (restarting a stopped karirbot, not stopping a
        running one), then stops karirbot with SIGTERM."""
        self.offering = False
        self.heap.clear()
        t_end = time.monotonic()
        print(f"  -- {self.offered} updates offered in {self.offered_window:.0f}s "
              f"({self.offered / self.offered_window:.1f}/s); draining", flush=True)
        deadline = t_end + self.args.drain_timeout
        self.fake.clear_faults()
        next_check = t_end
        while True:
            now = time.monotonic()
            self.read_records()
            self.restart_step(now, False)
            if now >= next_sample:
                self.sample(now)
                next_sample += SAMPLE_EVERY_S
            if now >= next_row:
                self.print_row(now)
                next_row += TABLE_EVERY_S
            if self.state == "running" and now >= next_check:
                next_check = now + 1
                if self.drained():
                    break
            if now > deadline:
                print(f"  !! not drained after {self.args.drain_timeout:g}s", flush=True)
                break
            time.sleep(0.05)
        self.drain_s = time.monotonic() - t_end
        now = time.monotonic()
        self.sample(now)
        self.print_row(now)
        if self.state == "running":
            self.h.proc.send_signal(signal.SIGTERM)
            try:
                self.h.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.h.proc.kill()
                self.h.proc.wait()
            self.end_life(time.monotonic(), "final")
            self.state = "down"
        self.read_records()

    # ---- accounting ---------------------------------------------------------------------------

    def life_at(self, t):
        for life in self.lives:
            if life.started <= t <= (life.ended or float("inf")):
                return life
        return None

    def analyse(self):
        h = self.h
        r = {"config": {k: v for k, v in vars(self.args).items()},
             "binary": h.bin, "max_inflight": self.max_inflight}
        ids = sorted(self.updates)
        states = dict(h.query("SELECT update_id, state FROM updates"))
        logged = collections.Counter(dict(h.query(
            "SELECT update_id, count(*) FROM conversation_log WHERE update_id IS NOT NULL "
            "GROUP BY update_id")))
        not_done = [u for u in ids if states.get(u) != harness.UPDATE_DONE]
        log_wrong = [u for u in ids if logged.get(u, 0) != 1]
        r["updates"] = {
            "pushed": len(ids), "offered_per_s": round(self.offered / self.offered_window, 2),
            "by_kind": dict(self.kind_counts),
            "users_who_wrote": len({u.user.chat for u in self.updates.values()}),
            "linked_walks": dict(self.plan_counts),
            "not_done": len(not_done),
            "not_done_sample": [(u, states.get(u)) for u in not_done[:10]],
            "conversation_log_not_once": len(log_wrong),
            "conversation_log_sample": [(u, logged.get(u, 0)) for u in log_wrong[:10]],
            "dead_letters": h.query("SELECT count(*) FROM dead_letters")[0][0],
            "offers_dropped": self.offers_dropped,
        }
        # replies
        outbox = h.query("SELECT kind, state, count(*) FROM outbox GROUP BY kind, state")
        undeliverable = h.query("SELECT kind, error, count(*) FROM outbox WHERE state = 2 "
                                "GROUP BY kind, error")
        row_msg_ids = {(c, m) for c, m in h.query(
            "SELECT chat_id, tg_message_id FROM outbox WHERE kind = 0 AND state = 1")}
        orphans = [m for m in self.fake.sent_messages() if (m.chat_id, m.message_id)
                   not in row_msg_ids]
        rows_sent = h.query("SELECT count(*) FROM outbox WHERE kind = 0 AND state = 1")[0][0]
        # lost
        lost_start = [u for u in self.updates.values()
                      if u.kind == "start" and self.greetings[u.name] == 0]
        lost_cb = [u for u in self.updates.values()
                   if u.kind == "callback" and u.cq not in self.cq_ok]
        lost_text = [u for u in self.updates.values()
                     if u.kind != "callback" and u.answered_t is None and u not in lost_start]
        too_old = "query is too old"
        bad_undeliverable = sum(n for kind, err, n in undeliverable
                                if not (kind == 2 and err and too_old in err))
        lost = len(lost_start) + len(lost_cb) + len(lost_text) + bad_undeliverable
        greet_repeats = sum(n - 1 for name, n in self.greetings.items() if n > 1)
        latencies = sorted(u.answered_t - u.t for u in self.updates.values()
                           if u.answered_t is not None)

        def pct(p):
            return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 3) \
                if latencies else None
        r["replies"] = {
            "sendMessage_ok": self.sends_ok, "editMessageText_ok": self.edits_ok,
            "callback_answers_ok": len(self.cq_ok),
            "outbox_by_kind_state": outbox, "undeliverable": undeliverable,
            "outbox_pending_at_end": h.query("SELECT count(*) FROM outbox WHERE state = 0")[0][0],
            "latency_s": {"p50": pct(50), "p99": pct(99),
                          "max": latencies[-1] if latencies else None},
        }
        r["lost"] = {"total": lost, "start_without_welcome": len(lost_start),
                     "press_without_answer": len(lost_cb),
                     "message_without_reply": len(lost_text),
                     "undeliverable_not_repeat": bad_undeliverable,
                     "sample": [(u.uid, u.kind, u.user.chat, u.text, round(u.t - self.t0, 1))
                                for u in (lost_start + lost_cb + lost_text)[:20]]}
        # repeated, attributed to the life in which the first delivery happened
        per_life = collections.Counter()
        unattributed = 0
        repeats = [("sendMessage", m.t) for m in orphans] + \
                  [("callback_answer", self.cq_ok[cq]) for _, cq in self.cq_repeats] + \
                  [("edit", t) for t in self.edit_repeats]
        detail = []
        for what, t in repeats:
            life = self.life_at(t)
            if life is None:
                unattributed += 1
                continue
            per_life[life.index] += 1
            detail.append((what, life.index + 1, life.how,
                           round((life.ended or t) - t, 3)))
        kills = sum(1 for l in self.lives if l.how in ("kill", "crash", "term-timeout"))
        bad_lives = [(i + 1, n, self.lives[i].how) for i, n in sorted(per_life.items())
                     if (self.lives[i].how in ("kill", "crash", "term-timeout")
                         and n > self.max_inflight)
                     or (self.lives[i].how not in ("kill", "crash", "term-timeout") and n > 0)]
        r["repeated"] = {
            "total": len(repeats), "sendMessage": len(orphans),
            "callback_answers": len(self.cq_repeats), "edits": len(self.edit_repeats),
            "welcomes_repeated": greet_repeats,
            "sendMessage_delivered_minus_rows_sent": self.sends_ok - rows_sent,
            "bound": self.max_inflight * kills, "kills": kills,
            "per_life": {str(i + 1): n for i, n in sorted(per_life.items())},
            "lives_over_bound": bad_lives, "unattributed": unattributed,
            "detail": detail[:50],
        }
        violations = self.fake.violations()
        r["violations"] = {"count": len(violations), "sample": [repr(v) for v in violations[:10]],
                           "overlapping_polls": self.fake.overlapping_polls()}
        r["faults"] = {"injected": self.fake.fault_counts(), "scripted": self.scripted}
        r["restarts"] = {"sigterm": sum(1 for l in self.lives if l.how == "term"),
                         "sigkill": sum(1 for l in self.lives if l.how == "kill"),
                         "crashes": self.crashes, "sigterm_exit_codes": self.term_rcs,
                         "sigterm_timeouts": sum(1 for l in self.lives
                                                 if l.how == "term-timeout"),
                         "final_exit_code": self.lives[-1].rc if self.lives else None}
        lives = [l.summary(self.t0) for l in self.lives]
        r["lives"] = lives
        # RSS trend: the highest RSS of each life, first third of the lives against the last;
        # with fewer than three lives, the highest RSS in the first and the last third of the
        # longest life's samples.
        maxes = [l["rss_max_kib"] for l in lives if l["rss_max_kib"]]
        if len(maxes) >= 3:
            basis = "lives"
            third = len(maxes) // 3
            first, last = maxes[:third], maxes[-third:]
        else:
            basis = "one life"
            longest = max(self.lives, key=lambda l: len(l.polled(self.t0)))
            rss = [s[1] for s in longest.polled(self.t0)]
            third = max(1, len(rss) // 3)
            first, last = [max(rss[:third], default=0)], [max(rss[-third:], default=0)]
        mean_first = sum(first) / len(first) if first else 0
        mean_last = sum(last) / len(last) if last else 0
        level = mean_last <= mean_first * 1.10 + 1024
        all_rss = [s[1] for l in self.lives for s in l.polled(self.t0)]
        all_fds = [s[3] for l in self.lives for s in l.polled(self.t0)]
        r["rss"] = {"basis": basis, "max_first_third_kib": round(mean_first),
                    "max_last_third_kib": round(mean_last), "levelled_off": level,
                    "min_kib": min(all_rss) if all_rss else None,
                    "max_kib": max(all_rss) if all_rss else None,
                    "hwm_max_kib": max((s[2] for l in self.lives for s in l.polled(self.t0)),
                                       default=None)}
        r["fds"] = {"min": min(all_fds) if all_fds else None,
                    "max": max(all_fds) if all_fds else None,
                    "life_max": [l["fds_max"] for l in lives]}
        counts = self.table_counts()
        r["rows_added"] = {n: c - self.seed_counts.get(n, 0) for n, c in counts.items()
                           if c != self.seed_counts.get(n, 0)}
        r["table"] = self.table
        r["drain_s"] = round(self.drain_s, 1)
        r["fake_cpu_s"] = round(self.fake.cpu_seconds(), 1)
        r["db_bytes"] = os.path.getsize(h.db_path)
        return r

    def report(self, r):
        print()
        print(f"summary ({len(self.lives)} process lives, drain {r['drain_s']}s)")
        u = r["updates"]
        print(f"  updates       {u['pushed']} pushed ({u['offered_per_s']}/s) by "
              f"{u['users_who_wrote']} users: {u['by_kind']}; linked walks {u['linked_walks']}")
        print(f"  exactly once  {u['not_done']} not done, {u['conversation_log_not_once']} not "
              f"logged exactly once, {u['dead_letters']} dead letters")
        rp = r["replies"]
        print(f"  replies       {rp['sendMessage_ok']} messages, {rp['editMessageText_ok']} edits, "
              f"{rp['callback_answers_ok']} callback answers; outbox pending at end "
              f"{rp['outbox_pending_at_end']}; undeliverable {rp['undeliverable']}")
        print(f"  latency       p50 {rp['latency_s']['p50']} s, p99 {rp['latency_s']['p99']} s, "
              f"max {rp['latency_s']['max'] and round(rp['latency_s']['max'], 1)} s "
              f"(update pushed -> first reply)")
        lo = r["lost"]
        print(f"  LOST          {lo['total']} (welcome missing {lo['start_without_welcome']}, "
              f"press unanswered {lo['press_without_answer']}, message unanswered "
              f"{lo['message_without_reply']}, undeliverable {lo['undeliverable_not_repeat']})")
        for s in lo["sample"]:
            print(f"      lost: {s}")
        rep = r["repeated"]
        print(f"  REPEATED      {rep['total']} (messages {rep['sendMessage']}, callback answers "
              f"{rep['callback_answers']}, edits {rep['edits']}); bound {self.max_inflight} "
              f"in flight x {rep['kills']} kills = {rep['bound']}; per life {rep['per_life']}; "
              f"cross-checks: welcomes twice {rep['welcomes_repeated']}, delivered - rows sent "
              f"{rep['sendMessage_delivered_minus_rows_sent']}")
        for b in rep["lives_over_bound"]:
            print(f"      over bound: life {b[0]} ({b[2]}): {b[1]} repeats")
        v = r["violations"]
        print(f"  violations    {v['count']} (overlapping polls {v['overlapping_polls']})")
        for s in v["sample"]:
            print(f"      {s}")
        rs = r["restarts"]
        print(f"  restarts      {rs['sigterm']} SIGTERM (exit codes {rs['sigterm_exit_codes']}), "
              f"{rs['sigkill']} SIGKILL, {rs['crashes']} crashes, {rs['sigterm_timeouts']} "
              f"SIGTERM timeouts; final exit {rs['final_exit_code']}")
        print(f"  faults        {r['faults']['injected']}; scripted getUpdates "
              f"{collections.Counter(k for _, k in r['faults']['scripted'])}")
        print("  lives:  #  start_s  dur_s  ended   rc  RSS first/max/last MiB   HWM MiB  fds "
              "min-max  CPU s")
        for l in r["lives"]:
            def mib(k):
                return f"{k / 1024:.1f}" if k else "-"
            print(f"        {l['life']:2d} {l['start_s']:8.0f} {l['duration_s']:6.0f} "
                  f"{l['ended_by'] or '-':>6} "
                  f"{l['exit_code'] if l['exit_code'] is not None else '-':>4}"
                  f"  {mib(l['rss_first_kib']):>6}/{mib(l['rss_max_kib']):>5}/"
                  f"{mib(l['rss_last_kib']):>5}   {mib(l['hwm_kib']):>6}  "
                  f"{l['fds_min']}-{l['fds_max']}  {l['cpu_s']}"
                  f"{'  drain abandoned' if l['drain_abandoned'] else ''}")
        rss = r["rss"]
        what = "lives' highest" if rss["basis"] == "lives" else "highest in the one life"
        print(f"  RSS           {what}: first third {rss['max_first_third_kib'] / 1024:.1f}"
              f" MiB, last third {rss['max_last_third_kib'] / 1024:.1f} MiB: "
              f"{'levelled off' if rss['levelled_off'] else 'STILL GROWING'}; overall "
              f"{(rss['min_kib'] or 0) / 1024:.1f}-{(rss['max_kib'] or 0) / 1024:.1f} MiB, "
              f"VmHWM max "
              f"{(rss['hwm_max_kib'] or 0) / 1024:.1f} MiB")
        print(f"  fds           {r['fds']['min']}-{r['fds']['max']} over the run")
        print(f"  database      {r['db_bytes'] / 1048576:.1f} MiB; rows added {r['rows_added']}")
        print(f"  fake server   {r['fake_cpu_s']} s CPU")
        problems = []
        if u["not_done"] or u["conversation_log_not_once"] or u["dead_letters"]:
            problems.append("an update was not processed exactly once")
        if lo["total"]:
            problems.append(f"{lo['total']} lost replies")
        if rep["lives_over_bound"] or rep["total"] > rep["bound"] or rep["unattributed"]:
            problems.append("repeats beyond the in-flight bound")
        if v["count"]:
            problems.append(f"{v['count']} fake-server violations")
        if rp["outbox_pending_at_end"]:
            problems.append("outbox not drained")
        if rs["crashes"] or rs["sigterm_timeouts"] or \
                any(rc != 0 for rc in rs["sigterm_exit_codes"]) or rs["final_exit_code"] != 0:
            problems.append("a crash or a non-zero exit after SIGTERM")
        if not rss["levelled_off"]:
            problems.append("RSS did not level off")
        for p in problems:
            print(f"  FAIL: {p}")
        if not problems:
            print("  OK")
        return problems


def main():
    args = parse_args()
    soak = Soak(args)
    ok = False
    try:
        soak.run()
        result = soak.analyse()
        problems = soak.report(result)
        result["problems"] = problems
        ok = not problems
        soak.h.check_no_token_leak()
        soak.h.check_no_sanitizer_report()
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=1, default=str)
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        if soak.h.proc is not None and soak.h.proc.poll() is None:
            soak.h.proc.kill()
            soak.h.proc.wait()
        keep = args.keep or not ok
        soak.h.cleanup(not keep)
        if keep:
            print(f"  (kept {soak.h.tmp})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
