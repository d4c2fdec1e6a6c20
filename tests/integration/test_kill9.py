"""kill9: 2,000 /start updates from 100 chats, with karirbot SIGKILLed at seeded random moments
and restarted each time (DESIGN invariants 1 and 2). In the end:
- every update's effects are applied exactly once: one updates row in state done, one incoming
  conversation_log row, one outbox row per update;
- every reply was delivered, and each chat's first deliveries are in update order;
- a reply is repeated only when it was in flight at a kill: never within one process life, and
  at most MAX_INFLIGHT + 2 of the replies delivered in one life are repeated after its kill
  (a failure lists them with how long before the kill each was delivered);
- PRAGMA integrity_check is ok and nothing became a dead letter.
Updates are pushed in waves (one per process life) so that every life has work to be killed in;
a kill comes either after a random delay or after a random number of replies went out."""

import collections
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check  # noqa: E402

UPDATES = 2000
CHATS = 100
MAX_INFLIGHT = 8
PACING = {"KARIRBOT_RATE_GLOBAL": 400, "KARIRBOT_RATE_CHAT": 50, "KARIRBOT_CHAT_BURST": 10,
          "KARIRBOT_MAX_INFLIGHT": MAX_INFLIGHT}


def make_plan():
    plan = []  # (chat_id, name) in push order
    for i in range(UPDATES):
        plan.append((500000 + i % CHATS, f"k{10000 + i}"))
    return plan


def push_wave(h, wave, ids):
    with h.fake.batch():
        for chat_id, name in wave:
            ids.append(h.fake.push_text(chat_id, "/start", first_name=name))


def kill_at_random(h, rng, lives):
    """Lets the current process work for a random while, then SIGKILLs it."""
    sent_before = h.fake.sent_count()
    started = time.monotonic()
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.05, 1.5) * h.slowdown)  # choosing the moment, not asserting
        how = "after a delay"
    else:
        target = sent_before + rng.randint(1, 150)
        deadline = time.monotonic() + h.t(15)
        while h.fake.sent_count() < target and time.monotonic() < deadline and h.alive():
            time.sleep(0.002)
        how = f"after {h.fake.sent_count() - sent_before} replies"
    check(h.alive(), f"karirbot exited on its own (code {h.proc.returncode}) before a kill")
    h.kill()
    lives.append((started, time.monotonic()))
    print(f"  kill {len(lives)}: {how}, {time.monotonic() - started:.2f}s into the life, "
          f"{h.fake.sent_count()} replies so far", flush=True)


def check_replies(h, plan, lives, kills):
    by_name = h.greetings()
    missing = [n for _, n in plan if n not in by_name]
    check(not missing, f"{len(missing)} updates never answered, e.g. {missing[:5]}")
    duplicates = {n: msgs for n, msgs in by_name.items() if len(msgs) > 1}
    repeats = sum(len(m) - 1 for m in duplicates.values())
    print(f"{repeats} repeated replies after {kills} kills "
          f"({len(duplicates)} updates affected)", flush=True)

    def life_of(t):
        for i, (start, end) in enumerate(lives):
            if start <= t <= end:
                return i
        return len(lives)  # the final life

    per_life = collections.defaultdict(list)  # life -> [(name, seconds before its kill)]
    for name, msgs in duplicates.items():
        lives_seen = [life_of(m.t) for m in msgs]
        check(len(set(lives_seen)) == len(lives_seen),
              f"{name} was answered twice within one process life: {msgs}")
        for life, m in zip(lives_seen[:-1], msgs):
            per_life[life].append((name, lives[life][1] - m.t if life < len(lives) else 0))
    for life, repeated in sorted(per_life.items()):
        check(len(repeated) <= MAX_INFLIGHT + 2,
              f"{len(repeated)} replies delivered in life {life + 1} were repeated after its kill "
              f"(at most {MAX_INFLIGHT} sends are in flight; allowed {MAX_INFLIGHT + 2}): " +
              ", ".join(f"{n} ({dt * 1000:.0f} ms before the kill)" for n, dt in repeated))
    for chat_id in {c for c, _ in plan}:
        expected = [n for c, n in plan if c == chat_id]
        firsts = []
        for m in h.fake.sent_messages(chat_id):
            name = h.greeting_name(m)
            if name not in firsts:
                firsts.append(name)
        check(firsts == expected, f"chat {chat_id}: first deliveries out of order")


def check_database(h, plan, ids):
    states = h.update_states()
    bad = [u for u in ids if states.get(u, (None,))[0] != harness.UPDATE_DONE]
    check(not bad, f"{len(bad)} updates not done, e.g. {[(u, states.get(u)) for u in bad[:5]]}")
    incoming = dict(h.query("SELECT update_id, count(*) FROM conversation "
                            "WHERE direction = 0 GROUP BY update_id"))
    wrong = [(u, incoming.get(u, 0)) for u in ids if incoming.get(u, 0) != 1]
    check(not wrong, f"{len(wrong)} updates logged in != 1 time, e.g. {wrong[:5]}")
    per_chat = collections.Counter(c for c, _ in plan)
    outbox = dict(h.query("SELECT chat_id, count(*) FROM outbox GROUP BY chat_id"))
    out_log = dict(h.query("SELECT chat_id, count(*) FROM conversation "
                           "WHERE direction = 1 GROUP BY chat_id"))
    for chat_id, n in per_chat.items():
        check(outbox.get(chat_id) == n, f"chat {chat_id}: {outbox.get(chat_id)} outbox rows "
                                        f"for {n} updates")
        check(out_log.get(chat_id) == n, f"chat {chat_id}: {out_log.get(chat_id)} outgoing "
                                         f"log rows for {n} updates")
    unsent = h.query("SELECT count(*) FROM outbox WHERE state <> 1")[0][0]
    check(unsent == 0, f"{unsent} outbox rows not marked sent")
    dead = h.query("SELECT count(*) FROM dead_letters")[0][0]
    check(dead == 0, f"{dead} dead letters")
    integrity = h.query("PRAGMA integrity_check")
    check(integrity == [("ok",)], f"integrity_check: {integrity}")


def body(h):
    rng = random.Random(h.seed)
    kills = rng.randint(8, 12)
    plan = make_plan()
    waves = [plan[i * len(plan) // (kills + 1):(i + 1) * len(plan) // (kills + 1)]
             for i in range(kills + 1)]
    h.env_overrides.update(PACING)
    h.migrate()
    ids, lives = [], []
    print(f"{UPDATES} updates, {CHATS} chats, {kills} kills", flush=True)
    for i in range(kills):
        push_wave(h, waves[i], ids)
        h.start(wait_polling=False)
        kill_at_random(h, rng, lives)
    push_wave(h, waves[-1], ids)
    h.start()
    names = [n for _, n in plan]
    h.wait_for(lambda: h.greetings_to(*names), 120, "every update answered after the kills")
    h.wait_idle(ids, 60)
    h.stop()
    check_replies(h, plan, lives, kills)
    check_database(h, plan, ids)


if __name__ == "__main__":
    harness.run_test("kill9", body)
