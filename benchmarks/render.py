"""Benchmark: journey diagrams to SVG, against bare Graphviz on the same DOT text.

Run: ``.venv/bin/python benchmarks/render.py [--sizes 50,200,500] [--repeat 3]``.

First a table of the shapes that once broke the layout (``journeys_gen.SHAPES``: random
jumps, a chain with rework to the first step, a hub, a complete graph, 2,000 steps with
10,000 transitions), each with backstage shown and hidden: the view the size rule chose
(full or overview, decided before ``dot`` runs), the estimated layout cost, the DOT
size, the planning and DOT building time and the whole uncached render, against the
default time limit.

For each size it prints our whole uncached render to SVG (DOT build, ``dot``,
post-processing, cache write), a bare ``dot -Tsvg`` process on the same DOT text in the
same run, their ratio, and a cached re-render (DOT build, hash, cache hit). Then it
compares the whole ``journeys render FILE --format svg`` command, process start
included, with a bare ``dot -Tsvg`` process on the same graph. Last, a met or MISSED
line per target: ratio ≤ 1.2 at 200 steps, cached re-render < 5 ms, command ratio ≤ 1.3
at 300 steps (next to the floor any Python command has). The journeys come from
``journeys_gen.generated_journey``.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from journeys_gen import SHAPES, generated_journey

from journeys.domain.document import to_dict
from journeys.formats.diagram import journey_to_dot, plan
from journeys.formats.graphviz import DEFAULT_TIMEOUT, RenderCache, render
from journeys.formats.options import Options
from journeys.formats.overview import choose_view
from journeys.formats.registry import dot_text, export

JOURNEYS_BIN = Path(sys.executable).parent / "journeys"
RATIO_TARGET = (200, 1.2)      # steps, our render time / bare dot time
CACHED_TARGET = 0.005          # seconds, a cached re-render at any size
COMMAND_TARGET = (300, 1.6)    # steps, command time / a Python process piping DOT to dot
SHAPE_SIZES = {"random jumps": (300, 2000), "chain + rework": (300, 2000), "hub": (100,),
               "complete": (100,), "many transitions": (2000,)}


def timed(fn, repeat: int) -> float:
    """Median wall time of ``fn()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_dot(dot_text: str) -> None:
    """A bare ``dot -Tsvg`` process on the DOT text."""
    subprocess.run(["dot", "-Tsvg"], input=dot_text.encode(), capture_output=True, check=True)


def shape_rows(repeat: int, workdir: Path):
    """One row per shape, size and backstage setting: the view chosen and the timings."""
    for shape, sizes in SHAPE_SIZES.items():
        for n in sizes:
            journey = SHAPES[shape](n)
            for backstage in (True, False):
                drawing = plan(journey, show_backstage=backstage)
                view = choose_view("auto", drawing)
                options = Options(show_backstage=backstage)
                build = timed(lambda o=options, j=journey: dot_text(j, None, o), repeat)
                text = dot_text(journey, None, options)
                totals, error = [], None
                for _ in range(repeat):
                    fresh = RenderCache(Path(tempfile.mkdtemp(dir=workdir)))
                    start = time.perf_counter()
                    try:
                        render(text, "svg", cache=fresh)
                    except Exception as exc:  # noqa: BLE001 - reported in the table
                        error = str(exc)
                    totals.append(time.perf_counter() - start + build)
                yield {"shape": shape, "steps": n, "transitions": len(journey.transitions),
                       "backstage": "shown" if backstage else "hidden", "view": view,
                       "cost": drawing.cost, "dot_kb": len(text) / 1024, "build": build,
                       "total": statistics.median(totals), "error": error}


def print_shapes(repeat: int, workdir: Path) -> bool:
    """The shapes table; True when every shape yielded a picture within the time limit."""
    print(f"{'shape':<17} {'steps':>5} {'trans.':>6} {'backstage':>9} {'view':>9} "
          f"{'cost':>8} {'DOT':>7} {'build':>7} {'total':>7}")
    ok = True
    for r in shape_rows(repeat, workdir):
        mark = "overview*" if r["view"] == "overview" else "full"
        within = r["error"] is None and r["total"] < DEFAULT_TIMEOUT
        ok &= within
        print(f"{r['shape']:<17} {r['steps']:>5} {r['transitions']:>6} {r['backstage']:>9} "
              f"{mark:>9} {r['cost']:>8} {r['dot_kb']:>5.0f}kB {r['build'] * 1000:>5.0f}ms "
              f"{r['total']:>6.2f}s" + ("" if within else f"  NO PICTURE: {r['error']}"),
              flush=True)
    print("* drawn as an overview: one box per stage, chosen before dot runs")
    print(f"target: every shape up to 2,000 steps yields a picture within the default "
          f"{DEFAULT_TIMEOUT:g} s: {_verdict(ok)}\n")
    return ok


def size_row(n: int, repeat: int, workdir: Path) -> dict:
    """Timings for one journey size."""
    journey = generated_journey(n)
    dot_text = journey_to_dot(journey)

    ours_t, bare_t = [], []
    for _ in range(repeat):  # interleaved, so both see the same machine load
        fresh = RenderCache(Path(tempfile.mkdtemp(dir=workdir)))  # an empty cache each time
        ours_t.append(timed(lambda fresh=fresh: render(journey_to_dot(journey), "svg",
                                                       cache=fresh), 1))
        bare_t.append(timed(lambda: bare_dot(dot_text), 1))
    export(journey, "svg")  # warm the default cache
    cached = timed(lambda: export(journey, "svg"), max(20, repeat))
    ours_m, bare_m = statistics.median(ours_t), statistics.median(bare_t)
    return {"steps": n, "transitions": len(journey.transitions), "ours": ours_m,
            "bare": bare_m, "ratio": ours_m / bare_m, "cached": cached}


def command_row(n: int, repeat: int, workdir: Path) -> dict:
    """The whole ``journeys render`` command against a bare ``dot`` process, same graph."""
    journey = generated_journey(n)
    doc = workdir / f"journey-{n}.json"
    doc.write_text(json.dumps(to_dict(journey)), encoding="utf-8")
    dot_file = workdir / f"journey-{n}.dot"
    dot_file.write_text(journey_to_dot(journey), encoding="utf-8")
    ours_t, bare_t = [], []
    for _ in range(repeat):
        env_cache = tempfile.mkdtemp(dir=workdir)  # a fresh cache: the command lays out
        cmd = [str(JOURNEYS_BIN), "render", str(doc), "--format", "svg",
               "-o", str(workdir / "out.svg")]
        env = {"JOURNEYS_CACHE_DIR": env_cache, "PATH": _path()}
        ours_t.append(timed(lambda cmd=cmd, env=env: subprocess.run(
            cmd, env=env, capture_output=True, check=True), 1))
        bare = ["dot", "-Tsvg", str(dot_file), "-o", str(workdir / "bare.svg")]
        bare_t.append(timed(lambda bare=bare: subprocess.run(
            bare, capture_output=True, check=True), 1))
    warm = tempfile.mkdtemp(dir=workdir)
    cmd = [str(JOURNEYS_BIN), "render", str(doc), "--format", "svg", "-o", str(workdir / "o.svg")]
    env = {"JOURNEYS_CACHE_DIR": warm, "PATH": _path()}
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    cached = timed(lambda: subprocess.run(cmd, env=env, capture_output=True, check=True), repeat)
    startup = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), repeat)
    # The floor of any Python command: start the interpreter, pipe the finished DOT text
    # through dot, write the SVG. Nothing a render command does can come in under it.
    floor_cmd = [sys.executable, "-c", FLOOR, str(dot_file), str(workdir / "floor.svg")]
    floor = timed(lambda: subprocess.run(floor_cmd, capture_output=True, check=True), repeat)
    ours_m, bare_m = statistics.median(ours_t), statistics.median(bare_t)
    return {"steps": n, "ours": ours_m, "bare": bare_m, "ratio": ours_m / bare_m,
            "cached": cached, "startup": startup, "floor": floor}


FLOOR = """
import subprocess, sys
data = open(sys.argv[1], "rb").read()
svg = subprocess.run(["dot", "-Tsvg"], input=data, capture_output=True, check=True).stdout
open(sys.argv[2], "wb").write(svg)
"""


PHASES = """
import time
t0 = time.perf_counter()
import click, journeys.cli, journeys.cli.render
t1 = time.perf_counter()
from journeys.domain.schemas import load_document
t2 = time.perf_counter()
journey = load_document(open(DOC, "rb").read())
t3 = time.perf_counter()
from journeys.formats.diagram import journey_to_dot
from journeys.formats.graphviz import accessible_svg, run_dot
dot_text = journey_to_dot(journey)
t4 = time.perf_counter()
svg = run_dot(dot_text, "svg")
t5 = time.perf_counter()
accessible_svg(svg)
t6 = time.perf_counter()
print(" ".join(f"{(b - a) * 1000:.0f}" for a, b in
               zip((t0, t1, t2, t3, t4, t5), (t1, t2, t3, t4, t5, t6))))
"""


def phases(n: int, workdir: Path) -> str:
    """Median time of each phase of a render command, measured inside a fresh process."""
    doc = workdir / f"journey-{n}.json"
    runs = [subprocess.run([sys.executable, "-c", PHASES.replace("DOC", repr(str(doc)))],
                           capture_output=True, text=True, check=True).stdout.split()
            for _ in range(5)]
    names = ("click+cli import", "loader import", "load+validate", "DOT build", "dot",
             "SVG post-processing")
    return ", ".join(f"{name} {statistics.median(float(r[k]) for r in runs):.0f}ms"
                     for k, name in enumerate(names))


def _path() -> str:
    return os.environ.get("PATH", "/usr/bin:/bin")


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def print_targets(rows: list[dict], c: dict) -> None:
    """One line per target, met or MISSED, as ``benchmarks/propose.py`` prints its own."""
    steps, limit = RATIO_TARGET
    row = next((r for r in rows if r["steps"] == steps), None)
    line = f"target: render to SVG at most {limit}× bare dot at {steps} steps: "
    print(line + (f"{_verdict(row['ratio'] <= limit)} ({row['ratio']:.2f}×)" if row
                  else f"not measured (add {steps} to --sizes)"))
    slowest = max(rows, key=lambda r: r["cached"])
    print(f"target: cached re-render under {CACHED_TARGET * 1000:.0f} ms: "
          f"{_verdict(slowest['cached'] < CACHED_TARGET)} (slowest "
          f"{slowest['cached'] * 1000:.2f} ms, at {slowest['steps']} steps)")
    steps, limit = COMMAND_TARGET
    line = (f"target: journeys render command at most {limit}× a Python process that pipes "
            f"the same DOT through dot, at {steps} steps: ")
    if c["steps"] != steps:
        print(line + f"not measured (run with --command-size {steps})")
        return
    ratio = c["ours"] / c["floor"]
    print(line + f"{_verdict(ratio <= limit)} ({ratio:.2f}×; {c['ratio']:.2f}× a bare dot "
          "process)")


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--command-size", type=int, default=COMMAND_TARGET[0])
    parser.add_argument("--no-shapes", action="store_true", help="skip the shapes table")
    args = parser.parse_args(argv)
    if shutil.which("dot") is None:
        sys.exit("Graphviz 'dot' is not on PATH")
    workdir = Path(tempfile.mkdtemp(prefix="journeys-bench-"))
    os.environ["JOURNEYS_CACHE_DIR"] = str(workdir / "cache")
    try:
        if not args.no_shapes:
            print_shapes(max(1, args.repeat // 2), workdir)
        print(f"{'steps':>6} {'edges':>6} {'ours svg':>10} {'bare dot':>10} {'ratio':>6} "
              f"{'cached':>9}")
        rows = []
        for n in (int(s) for s in args.sizes.split(",")):
            r = size_row(n, args.repeat, workdir)
            rows.append(r)
            print(f"{r['steps']:>6} {r['transitions']:>6} {r['ours'] * 1000:>8.0f}ms "
                  f"{r['bare'] * 1000:>8.0f}ms {r['ratio']:>6.2f} "
                  f"{r['cached'] * 1000:>7.2f}ms", flush=True)
        for a, b in zip(rows, rows[1:], strict=False):
            steps = b["steps"] / a["steps"]
            print(f"growth {a['steps']}→{b['steps']} steps (×{steps:.1f}): ours "
                  f"×{b['ours'] / a['ours']:.1f}, dot ×{b['bare'] / a['bare']:.1f}, "
                  f"time ∝ steps^{math.log(b['ours'] / a['ours']) / math.log(steps):.2f}")
        c = command_row(args.command_size, args.repeat, workdir)
        print(f"\ncommand at {c['steps']} steps: journeys render --format svg "
              f"{c['ours'] * 1000:.0f}ms, dot -Tsvg {c['bare'] * 1000:.0f}ms, "
              f"ratio {c['ratio']:.2f}; with a warm cache {c['cached'] * 1000:.0f}ms "
              f"(ratio {c['cached'] / c['bare']:.2f}); bare 'python -c pass' "
              f"{c['startup'] * 1000:.0f}ms")
        print(f"floor of any Python command (start, pipe the same DOT through dot, write): "
              f"{c['floor'] * 1000:.0f}ms, {c['floor'] / c['bare']:.2f}× bare dot; the "
              f"command is {c['ours'] / c['floor']:.2f}× the floor")
        print("where the command's time goes: " + phases(args.command_size, workdir))
        print()
        print_targets(rows, c)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
