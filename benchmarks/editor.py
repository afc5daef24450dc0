"""Benchmark: saving a step field in the editor, against the server's floor and bare dot.

Run: ``.venv/bin/python benchmarks/editor.py [--repeat 40]``.

Starts ``journeys serve --workers 2`` on a fresh SQLite database, signs in as a
designer, and for a 40-step and a 300-step journey measures, over ``--repeat`` saves:

- *save*: posting one step field as htmx does and receiving the refreshed section;
- *save + diagram*: the same, then fetching the refreshed flow diagram (what the step
  page does after each change; every save changes the journey, so no render is cached);
- *floor*: a trivial route of the same app (``/health``), the server's own cost;
- *bare dot*: a ``dot -Tsvg`` process on the journey's DOT text, in the same run.

It prints p50 and p95 of each, the ratios of p95 to the floor and to bare dot, and a met or
MISSED line per target: p95 < 150 ms at 40 steps with the diagram, < 50 ms without.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from journeys_gen import generated_journey  # noqa: E402

PASSWORD = "benchmark password"  # noqa: S105 - a throwaway account


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


class Browser:
    """Cookies and the CSRF token, as a signed-in browser holds them."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = None

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(  # noqa: S310 - our loopback server
            self.base + path, headers=headers or {})
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode(), dict(response.headers)

    def post(self, path: str, data: dict, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310 - our loopback server
            self.base + path, data=body, method="POST",
                                         headers={**(headers or {}),
                                                  "X-CSRFToken": self.token or ""})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), dict(exc.headers)

    def sign_in(self, email: str) -> None:
        _, html, _ = self.get("/sign-in")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        self.post("/sign-in", {"email": email, "password": PASSWORD,
                               "csrf_token": self.token})
        _, html, _ = self.get("/")
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _measure(browser: Browser, journey_id: int, journey, repeat: int):
    """Saves, saves with the diagram, and bare dot runs for one journey (ms)."""
    from journeys.formats.options import Options
    from journeys.formats.registry import dot_text

    step = journey.steps[len(journey.steps) // 2]
    path = f"/journeys/{journey_id}/steps/{step.id}"
    _, html, _ = browser.get(path)
    version = int(re.search(r'name="expected_version" value="(\d+)"', html).group(1))

    def save(i: int) -> None:
        nonlocal version
        status, _, headers = browser.post(
            path, {"title": step.title, "agency": f"Agency {i}", "expected_version": version},
            headers={"HX-Request": "true"})
        assert status == 200, status
        version = int(headers["X-Journey-Version"])

    def save_and_draw(i: int) -> None:
        save(i)
        browser.get(f"/journeys/{journey_id}/flow-partial", headers={"HX-Request": "true"})

    saves = [_timed(lambda i=i: save(2 * i)) for i in range(repeat)]
    with_diagram = [_timed(lambda i=i: save_and_draw(2 * i + 1)) for i in range(repeat)]
    dot = dot_text(journey, None, Options()).encode()
    bare = [_timed(lambda: subprocess.run(  # noqa: S603
        [shutil.which("dot"), "-Tsvg"], input=dot, capture_output=True, check=True))
        for _ in range(max(5, repeat // 4))]
    return saves, with_diagram, bare


def main() -> None:
    """Run the benchmark and print its table and verdicts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    url = f"sqlite:///{work / 'journeys.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url, "JOURNEYS_INSTANCE": str(work / "instance"),
           "JOURNEYS_CACHE_DIR": str(work / "cache")}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "JOURNEYS_INSTANCE",
                                           "JOURNEYS_CACHE_DIR")})
    from journeys.store import accounts
    from journeys.store import services as store
    from journeys.store.db import open_session

    journeys = {}
    with open_session(url) as session:
        accounts.create_user(session=session, email="bench@example.org", password=PASSWORD)
        accounts.create_team(session=session, actor=store.SYSTEM, name=store.DEFAULT_TEAM,
                             owner_email="bench@example.org")
        for n in (40, 300):
            journey = generated_journey(n)
            journeys[n] = (store.import_journey(session=session, actor=store.SYSTEM,
                                                journey=journey), journey)
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "journeys"), "serve", "--port", str(port),
         "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        browser = Browser(base)
        browser.sign_in("bench@example.org")
        floor = [_timed(lambda: browser.get("/health")) for _ in range(args.repeat)]
        rows = []
        for n, (journey_id, journey) in journeys.items():
            rows.append((n, *_measure(browser, journey_id, journey, args.repeat)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    fp95 = _p(floor, 0.95)
    print(f"floor (GET /health, 2 workers): p50 {_p(floor, .5):.1f} ms, p95 {fp95:.1f} ms")
    print(f"{'steps':>5} {'what':<16} {'p50 ms':>8} {'p95 ms':>8} {'×floor':>7} {'×dot':>6}")
    verdicts = []
    for n, saves, with_diagram, bare in rows:
        bp95 = _p(bare, 0.95)
        for what, values in (("save", saves), ("save + diagram", with_diagram),
                             ("bare dot", bare)):
            p95 = _p(values, 0.95)
            print(f"{n:>5} {what:<16} {_p(values, .5):>8.1f} {p95:>8.1f} "
                  f"{p95 / fp95:>7.1f} {p95 / bp95:>6.2f}")
        if n == 40:
            verdicts.append(("p95 save + diagram at 40 steps < 150 ms",
                             _p(with_diagram, 0.95) < 150))
            verdicts.append(("p95 save at 40 steps < 50 ms", _p(saves, 0.95) < 50))
    for text, ok in verdicts:
        print(("met     " if ok else "MISSED  ") + text)
    print(f"({statistics.mean(floor):.1f} ms mean floor; {len(floor)} requests each)")


if __name__ == "__main__":
    main()
