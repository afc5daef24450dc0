"""Run Graphviz ``dot`` on DOT text: a thin step with a time limit and a content-hash cache.

The output for a given DOT text and format is computed once: it is kept in memory and
on disk (``JOURNEYS_CACHE_DIR``, else the platform's user cache folder), written
atomically so that several server processes can share the folder. SVG output is made
accessible (:func:`accessible_svg`) before it is cached.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from functools import cache
from pathlib import Path

from journeys.domain.text import plural
from journeys.formats.files import write_atomic

FORMATS = ("svg", "png", "pdf")
DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "JOURNEYS_RENDER_TIMEOUT"
CACHE_ENV = "JOURNEYS_CACHE_DIR"
# Part of every cache key: bump it when the output for the same DOT text changes
# (e.g. a new post-processing of SVG), so stale files are never served.
CACHE_VERSION = "2"
MEMORY_BUDGET = 64 * 1024 * 1024
# The address space ``dot`` may use: a layout that needs more is stopped with a message
# instead of taking the machine's memory (set on the child before it reads its input).
DOT_MEMORY_LIMIT = 1024 * 1024 * 1024


class RenderError(Exception):
    """``dot`` could not produce the output; ``reason`` is missing, timeout or failed."""

    def __init__(self, message: str, reason: str = "failed"):
        super().__init__(message)
        self.reason = reason


def render_timeout(timeout: float | None = None) -> float:
    """The time limit in seconds: the argument, else ``JOURNEYS_RENDER_TIMEOUT``, else 10."""
    if timeout is not None:
        value, source, given = timeout, "timeout", repr(timeout)
    else:
        raw = os.environ.get(TIMEOUT_ENV, "")
        if not raw.strip():
            return DEFAULT_TIMEOUT
        # Quoted back as given (not as float's reading of it, "nan"), escapes shown.
        source, given = TIMEOUT_ENV, _printable_repr(raw)
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
    if not value > 0 or value == float("inf"):
        raise RenderError(f"{source} must be a positive number of seconds, not {given}",
                          "failed")
    return float(value)


def _printable_repr(raw: str) -> str:
    """``'abc'``; a value that ``repr`` would not show plainly (escapes, very long) clipped."""
    shown = repr(raw if len(raw) <= 40 else raw[:40] + "…")
    return shown.encode("ascii", "backslashreplace").decode("ascii") if not shown.isprintable() \
        else shown


def user_cache_dir() -> Path:
    """``JOURNEYS_CACHE_DIR``, else the platform's user cache folder for this tool."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "citizen-journeys" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "citizen-journeys"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "citizen-journeys"


class RenderCache:
    """Rendered outputs by key: a bounded in-memory LRU in front of a shared folder."""

    def __init__(self, directory: Path | None, memory_budget: int = MEMORY_BUDGET):
        self.directory = directory
        self.memory_budget = memory_budget
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0

    def _path(self, key: str) -> Path | None:
        if self.directory is None:
            return None
        name, fmt = key.split(".")
        return self.directory / "render" / name[:2] / f"{name}.{fmt}"

    def get(self, key: str) -> bytes | None:
        """The cached bytes for ``key``, or None."""
        with self._lock:
            data = self._memory.get(key)
            if data is not None:
                self._memory.move_to_end(key)
                self.hits += 1
                return data
        path = self._path(key)
        if path is not None:
            try:
                data = path.read_bytes()
            except OSError:
                data = None
        if data is None:
            return None
        self.hits += 1
        self._remember(key, data)
        return data

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data``; a folder that cannot be written only loses the disk copy."""
        self._remember(key, data)
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
        except OSError:
            pass

    def _remember(self, key: str, data: bytes) -> None:
        if len(data) > self.memory_budget:
            return
        with self._lock:
            if key in self._memory:
                return
            self._memory[key] = data
            self._size += len(data)
            while self._size > self.memory_budget:
                _, old = self._memory.popitem(last=False)
                self._size -= len(old)

    def clear_memory(self) -> None:
        """Forget the in-memory copies (the disk copies stay)."""
        with self._lock:
            self._memory.clear()
            self._size = 0


_caches: dict[Path, RenderCache] = {}


def default_cache() -> RenderCache:
    """The process-wide cache for the configured cache folder."""
    directory = user_cache_dir()
    cache = _caches.get(directory)
    if cache is None:
        cache = _caches[directory] = RenderCache(directory)
    return cache


@cache
def graphviz_identity() -> str:
    """The ``dot`` binary in use (path, size, mtime): it changes when Graphviz is upgraded,
    so a new Graphviz never serves layouts an old one made. Read once per process."""
    binary = shutil.which("dot")
    if binary is None:
        return "no-dot"
    real = os.path.realpath(binary)
    st = os.stat(real)
    return f"{real}:{st.st_size}:{st.st_mtime_ns}"


def cache_key(dot_text: str, fmt: str) -> str:
    """The cache key of an output: sha256 of the cache version, the Graphviz binary, the
    format and the DOT text."""
    head = f"{CACHE_VERSION}\0{graphviz_identity()}\0{fmt}\0".encode()
    digest = hashlib.sha256(head + dot_text.encode("utf-8"))
    return f"{digest.hexdigest()}.{fmt}"


def _limit_memory(pid: int) -> bool:
    """Cap the address space of the ``dot`` child; False where the platform cannot."""
    try:
        import resource

        resource.prlimit(pid, resource.RLIMIT_AS, (DOT_MEMORY_LIMIT, DOT_MEMORY_LIMIT))
    except (ImportError, AttributeError, OSError, ValueError):
        return False
    return True


def run_dot(dot_text: str, fmt: str, *, timeout: float | None = None,
            started: float | None = None, on_start=None) -> bytes:
    """Run ``dot -T<fmt>`` on the text, uncached; raise :class:`RenderError` on any failure.

    The time limit counts from ``started`` (a :func:`time.monotonic` reading) when given,
    so the work done before ``dot`` runs is part of it; ``dot``'s memory is capped at
    :data:`DOT_MEMORY_LIMIT`. ``on_start`` is called with the child process, so another
    thread can stop it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    limit = render_timeout(timeout)
    too_slow = (f"Graphviz 'dot' took longer than {limit:g} s and was stopped "
                f"(raise the limit with --timeout or {TIMEOUT_ENV})")
    left = limit - (time.monotonic() - started) if started is not None else limit
    if left <= 0:
        raise RenderError(too_slow, "timeout")
    binary = shutil.which("dot")
    if binary is None:
        raise RenderError("Graphviz 'dot' was not found on PATH: install Graphviz to draw "
                          "diagrams, or use the md or mermaid format", "missing")
    try:
        # Fixed argv: our binary and format, the DOT text on stdin. dot reads all of its
        # input before it lays anything out, so the memory cap set after the start holds.
        child = subprocess.Popen(  # noqa: S603
            [binary, f"-T{fmt}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise RenderError(f"Graphviz 'dot' could not be run: {exc.strerror}", "missing") from exc
    capped = _limit_memory(child.pid)
    if on_start is not None:
        on_start(child)
    try:
        stdout, stderr = child.communicate(dot_text.encode("utf-8"), timeout=left)
    except subprocess.TimeoutExpired as exc:
        child.kill()
        child.communicate()
        raise RenderError(too_slow, "timeout") from exc
    except BaseException:
        child.kill()
        child.wait()
        raise
    message = stderr.decode("utf-8", "replace").strip()
    if capped and child.returncode != 0 and (child.returncode < 0
                                             or "out of memory" in message.lower()):
        raise RenderError(f"Graphviz 'dot' needed more than "
                          f"{DOT_MEMORY_LIMIT // (1024 * 1024)} MB of memory and was stopped "
                          "(draw the overview or one stage instead)", "failed")
    if child.returncode != 0 or not stdout:
        first = message.splitlines()
        detail = first[0] if first else f"exit code {child.returncode}"
        raise RenderError(f"Graphviz 'dot' failed: {detail}", "failed")
    return stdout


def render(dot_text: str, fmt: str, *, timeout: float | None = None,
           cache: RenderCache | None = None, use_cache: bool = True,
           started: float | None = None) -> bytes:
    """The output of ``dot -T<fmt>`` for the text, from the cache when it was made before.

    ``started`` (a :func:`time.monotonic` reading) makes the time limit count from then.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    store = (cache or default_cache()) if use_cache else None
    key = cache_key(dot_text, fmt)
    if store is not None:
        data = store.get(key)
        if data is not None:
            return data
    data = finish(run_dot(dot_text, fmt, timeout=timeout, started=started), fmt)
    if store is not None:
        store.put(key, data)
    return data


def finish(data: bytes, fmt: str) -> bytes:
    """``dot``'s output made ready to hand out: accessible SVG, PDF on A3 pages."""
    if fmt == "svg":
        return accessible_svg(data)
    if fmt == "pdf":
        return a3_pages(data)
    return data


# --- PDF on A3 landscape ---------------------------------------------------------------

A3_LANDSCAPE = (1190.55, 841.89)  # points
PAGE_MARGIN = 28.35  # 1 cm, in points: what a printer leaves blank, overlapped by the next tile
MIN_SCALE = 0.75


def a3_pages(pdf: bytes) -> bytes:
    """``dot``'s one-page PDF cut into A3 landscape pages at its natural size (11-point
    text prints at 11 points), left to right then top to bottom; each page shows a
    margin's width of its neighbours, so the tiles can be laid side by side."""
    import io
    import math

    from pypdf import PdfReader, PdfWriter, Transformation

    source = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = A3_LANDSCAPE
    step_x, step_y = width - 2 * PAGE_MARGIN, height - 2 * PAGE_MARGIN
    left, bottom = float(source.mediabox.left), float(source.mediabox.bottom)
    wide, high = float(source.mediabox.width), float(source.mediabox.height)
    # A drawing a little too wide for a whole number of columns is shrunk to fit, down to
    # MIN_SCALE (11-point text stays above 8 points), rather than given a column more.
    fit = step_x * max(1, math.ceil(wide / step_x) - 1) / wide
    scale = fit if MIN_SCALE <= fit < 1 else 1.0
    wide, high = wide * scale, high * scale
    columns = max(1, math.ceil(wide / step_x))
    rows = max(1, math.ceil(high / step_y))
    writer = PdfWriter()
    for r in range(rows):
        for c in range(columns):
            page = writer.add_blank_page(width, height)
            # The tile's top-left corner of the drawing goes to the page's top-left margin.
            dx = PAGE_MARGIN - c * step_x - left * scale
            dy = height - PAGE_MARGIN - (high - r * step_y) - bottom * scale
            page.merge_transformed_page(source, Transformation().scale(scale).translate(dx, dy))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Accessible SVG -------------------------------------------------------------------

# dot's comments hold node names and its version; escaped text never contains ">".
_PROLOGUE = re.compile(r"<!DOCTYPE[^>]*>\s*|<!--[^>]*-->\s*")
# One pass over dot's SVG finds each element group (with its <title>) and each text line.
_TOKEN = re.compile(
    r'<g id="(?P<id>[^"]*)" class="(?P<cls>graph|cluster|node|edge)"(?P<rest>[^>]*)>\s*'
    r"<title>(?P<title>[^<]*)</title>"
    r"|<text(?P<attrs>[^>]*)>(?P<text>[^<]*)</text>"
)
_STEP_ID = re.compile(r"step_(\d+)_stage_(\d+)$")
_EDGE_ENDS = re.compile(r"^(s\d+)&#45;&gt;(s\d+)$")


def _groups(text: str) -> list[tuple[re.Match, list[str], list[str]]]:
    """Each element group of dot's SVG with its own bold and plain text lines."""
    groups: list[tuple[re.Match, list[str], list[str]]] = []
    for m in _TOKEN.finditer(text):
        cls, attrs, line = m.group("cls", "attrs", "text")
        if cls:
            groups.append((m, [], []))
            continue
        line = line.strip()
        if groups and line:
            # Bold upright lines are a step's title (the moment-of-truth marker is italic).
            bold = 'font-weight="bold"' in attrs and 'font-style="italic"' not in attrs
            groups[-1][1 if bold else 2].append(line)
    return groups


def accessible_svg(svg: bytes) -> bytes:
    """Graphviz SVG of a journey diagram with a title and description for the diagram and
    for each step, stage and transition (``role="img"``, ``aria-labelledby``).

    Works on dot's own, already escaped text, so the result depends on the SVG alone.
    """
    text = _PROLOGUE.sub("", svg.decode("utf-8"))
    groups = _groups(text)

    names: dict[str, str] = {}
    stages: dict[str, str] = {}
    for m, bold, plain in groups:
        if m["cls"] == "node":
            names[m["title"]] = " ".join(bold) or " ".join(plain)
        elif m["cls"] == "cluster" and not m["id"].endswith("_backstage"):
            stages[m["id"]] = " ".join(bold + plain)

    diagram_title, diagram_facts = "Journey map", ""
    steps = 0
    pieces: list[str] = []
    last = 0
    for m, bold, plain in groups:
        ident, cls = m["id"], m["cls"]
        attrs, title, desc = "", m["title"], ""
        if cls == "graph":
            diagram_title = " ".join(bold) or diagram_title
            diagram_facts = " · ".join(plain)
            title = diagram_title
        elif cls == "node" and (step := _STEP_ID.match(ident)):
            steps += 1
            title = f"Step {int(step[1]) + 1}: {' '.join(bold)}"
            desc = ". ".join([f"Stage {stages.get(f'stage_{step[2]}', '')}", *plain])
            attrs = f' role="img" aria-labelledby="{ident}_title" aria-describedby="{ident}_desc"'
        elif cls == "node" and ident == "legend":
            title, desc = "Legend", "; ".join(bold[1:] + plain)
        elif cls == "node":
            title = " ".join(bold + plain)
        elif cls == "cluster" and ident.endswith("_backstage"):
            parent = stages.get(ident.removesuffix("_backstage"), "")
            title = f"Stage {parent}: backstage steps, below the line of visibility"
        elif cls == "cluster":
            title = f"Stage {' '.join(bold + plain)}"
        else:
            ends = _EDGE_ENDS.match(m["title"])
            src, dst = (names.get(ends[1], ""), names.get(ends[2], "")) if ends else ("", "")
            title = f"{ident.rsplit('_', 1)[-1]} transition from {src} to {dst}"
            if plain:
                title += f" ({' '.join(plain)})"
        new = (f'<g id="{ident}" class="{cls}"{m["rest"]}{attrs}>\n'
               f'<title id="{ident}_title">{title}</title>')
        if desc:
            new += f'\n<desc id="{ident}_desc">{desc}</desc>'
        pieces += [text[last:m.start()], new]
        last = m.end()
    pieces.append(text[last:])
    out = "".join(pieces)

    summary = (
        f"Journey map with {plural(steps, 'step')} in {plural(len(stages), 'stage')}: "
        f"{', '.join(stages.values())}. {diagram_facts + '. ' if diagram_facts else ''}"
        "Each step shows its channel, actor and pyramid level, moments of truth, pain points "
        "and failed checks; backstage steps sit below the line of visibility; arrows show "
        "flow, alternative, failure and rework transitions. A text version of the journey "
        "is offered alongside."
    )
    root = out.index("<svg")
    start = out.index(">", root) + 1
    return (
        out[:root]
        + '<svg role="img" aria-labelledby="diagram_title" aria-describedby="diagram_desc"'
        + out[root + 4:start]
        + f'\n<title id="diagram_title">{diagram_title}</title>\n'
        + f'<desc id="diagram_desc">{summary}</desc>'
        + out[start:]
    ).encode("utf-8")
