"""Load benchmark of a co-creation workshop: a room of phones against ``journeys serve``.

Run: ``.venv/bin/python benchmarks/workshop_load.py [--participants 200] [--workers 2]
[--duration 60] [--poll 2] [--ramp S]``; ``--participants 1000`` runs the large room.

On a fresh SQLite database (WAL) in a temporary folder it creates an account, a team, a
20-step journey and a workshop on every stage, then starts ``journeys serve`` with
``--workers`` processes and simulates ``--participants`` phones, each in its own thread
with its own cookies, joining over ``--ramp`` seconds. Each joins through the real flow
(join page: session cookie and CSRF token; join: participant cookie; the steps page),
polls ``/w/<code>/poll?since=…`` as often as the page's ``hx-trigger`` says (``--poll``
seconds when it says nothing), and at random moments within ``--duration`` seconds tags
5 pain points and agrees with 5 of the others' pain points it has seen, as htmx would
(its ``HX-Request`` header, the step of the item in the vote's form). Meanwhile a
signed-in facilitator opens the live board ``/workshops/<id>`` and polls
``/workshops/<id>/board?since=…`` as the page does (every 2 s), noting when each
acknowledged pain point's text first appears on it.

Afterwards it reads the store and prints contributions accepted (a 2xx answer), stored,
lost (accepted, not stored), duplicated, server errors (5xx or no answer), latency
p50/p95/p99 per request type, and the time from acknowledgement to visible on the
facilitator board (p95). Its last line is
``accepted=N stored=N lost=N errors=N p95_ms=X`` (X: the p95 of every request).

Targets (issue 10): 200 participants: 0 lost, 0 duplicated, 0 errors, p95 under 150 ms
on a 2-core machine, every accepted contribution on the board within 3 s; 1,000: 0
lost, 0 errors, p95 under 300 ms.
"""

import argparse
import http.cookiejar
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

from journeys_gen import generated_journey

PASSWORD = "a long benchmark password"  # noqa: S105 - a throw-away account of a temp db
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SINCE = re.compile(r"poll\?since=(\d+)")
ITEM = re.compile(r'/items/(\d+)/vote".*?name="step" value="([^"]*)"', re.S)
EVERY = re.compile(r'id="(?:poll|board)"[^>]*?hx-trigger="every (\d+)s"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Answers are measured one request at a time: a redirect is not followed."""

    def redirect_request(self, *args, **kwargs):
        return None


class Stats:
    """Latencies per request type, errors and what was acknowledged, from every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = Counter()
        self.refused = Counter()
        self.pains = {}   # text → (token, time acknowledged)
        self.votes = []   # (token, item id)
        self.visible = {}  # text → time first seen on the board

    def record(self, kind: str, seconds: float, status: int | None):
        with self.lock:
            self.latency[kind].append(seconds)
            if status is None or status >= 500:
                self.errors[kind] += 1
            elif status >= 400 and status != 429:
                self.refused[f"{kind} {status}"] += 1


class Client:
    """A browser's cookies and one request at a time."""

    def __init__(self, base: str, stats: Stats):
        self.base = base
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, kind: str, path: str, data: dict | None = None,
                headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Always the loopback server this benchmark started (http://127.0.0.1:port).
        req = urllib.request.Request(self.base + path, data=body,  # noqa: S310
                                     headers=headers or {})
        start = time.perf_counter()
        status, text = None, ""
        try:
            with self.opener.open(req, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        except OSError:
            status = None
        self.stats.record(kind, time.perf_counter() - start, status)
        return status, text

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


def participant(n: int, args, base: str, code: str, workshop_id: int, steps: list[str],
                stats: Stats, start_at: float) -> None:
    """One phone: join, then poll and contribute at random moments until done."""
    rng = random.Random(n)
    time.sleep(max(0.0, start_at - time.time()))
    client = Client(base, stats)
    status, html = client.request("join page", f"/w/{code}")
    if status != 200:
        return
    csrf = CSRF.search(html).group(1)
    status, _ = client.request("join", f"/w/{code}/join", {"csrf_token": csrf,
                                                           "display_name": ""})
    token = client.cookie(f"cj_w{workshop_id}")
    if status != 303 or token is None:
        return
    status, html = client.request("steps", f"/w/{code}/steps")
    if status != 200:
        return
    since = SINCE.search(html).group(1)
    # The page polls as often as the server says (less often in a big room), as htmx does.
    interval = _every(html, args.poll)
    seen = _items(html)
    voted: set[int] = set()
    began = time.time()
    pains = sorted(rng.uniform(0, args.duration) for _ in range(5))
    votes = sorted(rng.uniform(args.duration * 0.2, args.duration) for _ in range(5))
    next_poll = began + rng.uniform(0, interval)
    htmx = {"HX-Request": "true"}
    k = 0
    while pains or votes:
        now = time.time()
        due = min([began + t for t in pains[:1] + votes[:1]] + [next_poll])
        if due > now:
            time.sleep(min(due - now, 0.5))
            continue
        if next_poll <= now:
            next_poll = now + interval
            status, body = client.request("poll", f"/w/{code}/poll?since={since}",
                                          headers=htmx)
            if status == 200:
                found = SINCE.search(body)
                since = found.group(1) if found else since
                interval = _every(body, interval)
                next_poll = now + interval
                seen |= _items(body)
        elif pains and began + pains[0] <= now:
            pains.pop(0)
            k += 1
            text = f"Participant {n} pain {k}: the {rng.choice(['form', 'queue', 'letter'])}"
            step = rng.choice(steps)
            status, body = client.request("pain point", f"/w/{code}/steps/{step}/pain-points",
                                          {"csrf_token": csrf, "text": text,
                                           "category": "waiting", "severity": "2"}, htmx)
            if status == 200:
                with stats.lock:
                    stats.pains[text] = (token, time.time())
                seen |= _items(body)
        elif votes and began + votes[0] <= now:
            choices = sorted(i for i in seen if i[0] not in voted)
            if not choices:  # nothing of others' seen yet: try again after a poll
                votes[0] += interval
                if began + votes[0] > began + args.duration * 2:
                    votes.pop(0)
                continue
            votes.pop(0)
            item, item_step = rng.choice(choices)
            voted.add(item)
            # As the page's form does: the step whose section the answer replaces.
            status, body = client.request("vote", f"/w/{code}/items/{item}/vote",
                                          {"csrf_token": csrf, "vote": "1",
                                           "step": item_step}, htmx)
            if status == 200:
                with stats.lock:
                    stats.votes.append((token, item))


def _items(html: str) -> set[tuple[int, str]]:
    """Others' pain points a page shows, each with the step it is on."""
    return {(int(item), step) for item, step in ITEM.findall(html)}


def _every(html: str, default: float) -> float:
    """The poll interval a page's ``hx-trigger`` asks for, else ``default``."""
    found = EVERY.search(html)
    return float(found.group(1)) if found else default


def facilitator(base: str, workshop_id: int, email: str, stats: Stats,
                stop: threading.Event, note: list) -> None:
    """A signed-in facilitator's live board, opened then polled as its page does (every
    2 s by its ``hx-trigger``); notes when each acknowledged pain point first appears."""
    client = Client(base, stats)
    _, html = client.request("sign-in page", "/sign-in")
    found = CSRF.search(html)
    if not found:
        note.append("the sign-in page had no form: the board was not measured")
        return
    status, _ = client.request("sign in", "/sign-in", {
        "csrf_token": found.group(1), "email": email, "password": PASSWORD, "next": "/"})
    if status != 303:
        note.append(f"signing in answered {status}: the board was not measured")
        return
    status, html = client.request("board page", f"/workshops/{workshop_id}")
    if status != 200:
        note.append(f"the live board answered {status}: ack→visible was not measured")
        return
    found = re.search(r'id="board"[^>]*?data-revision="(\d+)"', html)
    since = found.group(1) if found else ""
    interval = _every(html, 2.0)
    while not stop.is_set():
        stop.wait(interval)
        status, body = client.request("board", f"/workshops/{workshop_id}/board"
                                      + (f"?since={since}" if since else ""))
        if status == 200:
            seen_at = time.time()
            revision = re.search(r"since=(\d+)", body)
            since = revision.group(1) if revision else ""
            with stats.lock:
                waiting = [t for t in stats.pains if t not in stats.visible]
            for text in waiting:
                if text in body:
                    stats.visible[text] = seen_at
            interval = _every(body, interval)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _setup(url: str):
    from journeys.store import accounts
    from journeys.store import services as store
    from journeys.store import workshops as ws
    from journeys.store.db import open_session

    email = "facilitator@example.org"
    with open_session(url) as session:
        accounts.create_user(session=session, email=email, name="Facilitator",
                             password=PASSWORD)
        team = accounts.create_team(session=session, actor=store.SYSTEM, name="Bench team",
                                    owner_email=email)
        journey = generated_journey(20)
        journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                          team_id=team.id, journey=journey)
        w = ws.start_workshop(session=session, actor=store.SYSTEM, journey_id=journey_id,
                              title="Load benchmark", open_stages=[s.id for s in journey.stages])
        steps = [s.id for s in journey.steps if s.visibility == "frontstage"]
        return email, w.id, w.code, steps


def _read_store(url: str, workshop_id: int, tokens: set[str]):
    import sqlalchemy as sa

    from journeys.store import workshops as ws
    from journeys.store.db import open_session
    from journeys.store.models import WorkshopItem, WorkshopVote

    with open_session(url) as session:
        items = session.execute(sa.select(WorkshopItem.id, WorkshopItem.text,
                                          WorkshopItem.votes, WorkshopItem.participant_id)
                                .where(WorkshopItem.workshop_id == workshop_id)).all()
        votes = {tuple(v) for v in session.execute(sa.select(WorkshopVote.participant_id,
                                                             WorkshopVote.item_id))}
        pids = {token: ws.participant_for(session=session, workshop_id=workshop_id,
                                          token=token).id for token in tokens}
        return items, votes, pids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds over which each participant contributes")
    parser.add_argument("--poll", type=float, default=2.0, help="participants' poll, s")
    parser.add_argument("--ramp", type=float, default=None,
                        help="seconds to join them all (default: 10, or one second per "
                             "20 participants in a larger room)")
    args = parser.parse_args()
    if args.ramp is None:
        # A room fills at the pace people type a code: 1,000 do not all join in 10 s.
        args.ramp = max(10.0, args.participants / 20)

    folder = Path(tempfile.mkdtemp(prefix="journeys-workshop-bench-"))
    url = f"sqlite:///{folder / 'journeys.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url, "JOURNEYS_INSTANCE": str(folder / "instance"),
           "SECRET_KEY": "workshop-benchmark"}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "JOURNEYS_INSTANCE")})
    from journeys.store.db import dispose_engines, make_engine, migrate

    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    email, workshop_id, code, steps = _setup(url)
    dispose_engines()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    journeys_bin = Path(sys.executable).parent / "journeys"
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed after the server
    server = subprocess.Popen([str(journeys_bin), "serve", "--port", str(port),
                               "--workers", str(args.workers)], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(base + "/health", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        else:
            print(f"the server did not start: see {folder / 'server.log'}", file=sys.stderr)
            return 2
        stats, stop, note = Stats(), threading.Event(), []
        threading.stack_size(512 * 1024)
        board = threading.Thread(target=facilitator,
                                 args=(base, workshop_id, email, stats, stop, note))
        board.start()
        start = time.time() + 0.5
        phones = [threading.Thread(target=participant, args=(
            n, args, base, code, workshop_id, steps, stats,
            start + args.ramp * n / max(1, args.participants)))
            for n in range(args.participants)]
        began = time.time()
        for t in phones:
            t.start()
        for t in phones:
            t.join()
        # Give the board its 3 seconds, and a little more, to show the last ones.
        time.sleep(4.0)
        stop.set()
        board.join()
        elapsed = time.time() - began
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    # The server and its workers, waited for, against this process's own threads: the
    # CPU each side took, whatever else the machine ran meanwhile.
    spent = os.times()
    server_cpu = spent.children_user + spent.children_system
    client_cpu = spent.user + spent.system

    items, vote_rows, pids = _read_store(url, workshop_id,
                                         {token for token, _item in stats.votes})
    texts = Counter(text for _id, text, _votes, _pid in items)
    accepted_pains = stats.pains
    stored_pains = [t for t in accepted_pains if texts.get(t)]
    lost_pains = [t for t in accepted_pains if not texts.get(t)]
    duplicated = sum(n - 1 for t, n in texts.items() if n > 1)
    accepted_votes = set((pids[token], item) for token, item in stats.votes)
    stored_votes = [v for v in accepted_votes if v in vote_rows]
    lost_votes = len(accepted_votes) - len(stored_votes)
    counted = sum(votes for _id, _text, votes, _pid in items)
    miscounted = counted != len(vote_rows)

    accepted = len(accepted_pains) + len(stats.votes)
    stored = len(stored_pains) + len(stored_votes)
    lost = len(lost_pains) + lost_votes
    errors = sum(stats.errors.values())
    everything = [s for values in stats.latency.values() for s in values]
    p95 = _percentile(everything, 95) * 1000

    print(f"{args.participants} participants, {args.workers} workers, "
          f"{elapsed:.0f} s, {len(everything)} requests "
          f"({len(everything) / max(elapsed, 1e-9):.0f}/s)")
    print(f"pain points: accepted {len(accepted_pains)}, stored {len(stored_pains)}, "
          f"lost {len(lost_pains)}, duplicated {duplicated}")
    print(f"votes: accepted {len(stats.votes)} ({len(accepted_votes)} distinct), stored "
          f"{len(stored_votes)}, lost {lost_votes}; counts "
          f"{'DIFFER from' if miscounted else 'match'} the vote rows")
    print(f"CPU: server {server_cpu:.0f} s ({server_cpu / max(len(everything), 1) * 1000:.1f} ms "
          f"a request), load generator {client_cpu:.0f} s")
    print(f"server errors: {errors} {dict(stats.errors) or ''}".rstrip())
    if stats.refused:
        print(f"refused (4xx, not counted as errors): {dict(stats.refused)}")
    print(f"{'request':<14}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, values in sorted(stats.latency.items()):
        print(f"{kind:<14}{len(values):>7}{_percentile(values, 50) * 1000:>9.1f}"
              f"{_percentile(values, 95) * 1000:>9.1f}{_percentile(values, 99) * 1000:>9.1f}")
    if note:
        print("board: " + note[0])
    else:
        delays = [max(0.0, stats.visible[t] - at) for t, (_tok, at) in accepted_pains.items()
                  if t in stats.visible]
        unseen = len(accepted_pains) - len(delays)
        late = sum(d > 3.0 for d in delays)
        print(f"ack→visible on the facilitator board: p95 "
              f"{_percentile(delays, 95) * 1000:.0f} ms, max "
              f"{(max(delays) if delays else float('nan')) * 1000:.0f} ms; {late} seen "
              f"after more than 3 s, {unseen} accepted pain points never seen on it")
    print(f"accepted={accepted} stored={stored} lost={lost} errors={errors} p95_ms={p95:.0f}")
    return 0 if lost == 0 and errors == 0 and duplicated == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
