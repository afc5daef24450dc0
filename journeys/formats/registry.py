"""The registry of formats: one entry per format, read by the CLI and the web alike.

Each :class:`Format` names its extension(s), media type, whether it needs the ``dot``
binary and the function that builds it. Builders import their module when called, so a
text export never loads the diagram code, and nothing here loads Flask or SQLAlchemy.
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from journeys.domain.checks import Assessment
from journeys.domain.document import Journey
from journeys.domain.text import slugify
from journeys.formats.options import DIRECTIONS, VIEWS, ExportError, Options

__all__ = ["DIRECTIONS", "EXPORT_FORMATS", "FORMATS", "RENDER_FORMATS", "VIEWS", "ExportError",
           "Format", "export", "export_name", "format_of_path"]


Builder = Callable[[Journey, Assessment | None, Options], bytes]


@dataclass(frozen=True)
class Format:
    """One export format."""

    name: str
    extensions: tuple[str, ...]  # the first names exported files; all imply the format
    media_type: str
    needs_dot: bool
    description: str
    build: Builder

    @property
    def extension(self) -> str:
        """The extension of exported files, without the dot."""
        return self.extensions[0]


def _json(journey: Journey, _assessment: Assessment | None, _options: Options) -> bytes:
    from journeys.domain.schemas import dump_document

    return dump_document(journey)


def dot_text(journey: Journey, assessment: Assessment | None, options: Options) -> str:
    """The DOT text of the diagram the options ask for: one stage, the full diagram or the
    overview, the last two chosen by :func:`journeys.formats.overview.choose_view`."""
    from journeys.domain.checks import Assessment
    from journeys.formats.diagram import journey_to_dot, plan
    from journeys.formats.overview import choose_view, overview_to_dot

    assessment = assessment or Assessment(journey)
    drawing = plan(journey, show_backstage=options.show_backstage, stage=options.stage,
                   assessment=assessment)
    if options.stage is None and choose_view(options.view, drawing) == "overview":
        return overview_to_dot(journey, direction=options.direction, assessment=assessment,
                               drawing=drawing)
    return journey_to_dot(journey, direction=options.direction, assessment=assessment,
                          drawing=drawing)


def _dot(journey: Journey, assessment: Assessment | None, options: Options) -> bytes:
    return dot_text(journey, assessment, options).encode("utf-8")


# What the DOT text of a drawing is made by: a change to any of these makes new DOT.
_DRAWING_CODE = ("journeys/formats/diagram.py", "journeys/formats/overview.py",
                 "journeys/formats/options.py", "journeys/formats/registry.py",
                 "journeys/domain/*.py")


@functools.cache
def _drawing_code() -> bytes | None:
    """A digest of the code that turns a journey into DOT, read once per process; None
    where the sources cannot be read (then drawings are found by their DOT text only)."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    try:
        for pattern in _DRAWING_CODE:
            for path in sorted(root.glob(pattern)):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    return digest.digest()


def drawing_key(journey: Journey, fmt: str, options: Options) -> str | None:
    """The cache key of the drawing of this journey's content with these options, found
    without building its DOT text; None when there is none to be had.

    It names the DOT-keyed output that :func:`journeys.formats.graphviz.render` cached,
    so a re-render of an unchanged journey costs a hash of the journey, not a diagram.
    The key covers the journey field for field (its pickle), the options, the format,
    the Graphviz binary and the code that builds DOT.
    """
    import pickle

    from journeys.formats import graphviz

    code = _drawing_code()
    if code is None:
        return None
    try:
        body = pickle.dumps(journey, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    head = (f"{graphviz.CACHE_VERSION}\0{graphviz.graphviz_identity()}\0{fmt}\0"
            f"{options.direction}\0{options.show_backstage}\0{options.view}\0"
            f"{options.stage}\0").encode()
    return f"{hashlib.sha256(code + head + body).hexdigest()}.ref"


def _drawn(fmt: str) -> Builder:
    def build(journey: Journey, assessment: Assessment | None, options: Options) -> bytes:
        import time

        from journeys.formats import graphviz

        # The time limit covers the whole render: planning and DOT building count too.
        started = time.monotonic()
        try:
            limit = graphviz.render_timeout(options.timeout)
            cache = graphviz.default_cache()
            alias = drawing_key(journey, fmt, options)
            ref = cache.get(alias) if alias is not None else None
            if ref is not None:
                data = cache.get(ref.decode("ascii"))
                if data is not None:
                    return data
            text = dot_text(journey, assessment, options)
            data = graphviz.render(text, fmt, timeout=limit, started=started, cache=cache)
            if alias is not None:
                cache.put(alias, graphviz.cache_key(text, fmt).encode("ascii"))
            return data
        except graphviz.RenderError as exc:
            raise ExportError(str(exc), exc.reason) from exc
    return build


def _mermaid(journey: Journey, _assessment: Assessment | None, _options: Options) -> bytes:
    from journeys.formats.mermaid import to_mermaid

    return to_mermaid(journey).encode("utf-8")


def _md(journey: Journey, assessment: Assessment | None, _options: Options) -> bytes:
    from journeys.formats.markdown import to_markdown

    return to_markdown(journey, assessment=assessment).encode("utf-8")


def _csv(journey: Journey, assessment: Assessment | None, _options: Options) -> bytes:
    from journeys.formats.tabular import steps_csv

    return steps_csv(journey, assessment=assessment).encode("utf-8")


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", ("json",), "application/json", False,
           "the citizen-journey/1 document", _json),
    Format("svg", ("svg",), "image/svg+xml", True, "the diagram as SVG", _drawn("svg")),
    Format("png", ("png",), "image/png", True, "the diagram as PNG", _drawn("png")),
    Format("pdf", ("pdf",), "application/pdf", True, "the diagram as PDF", _drawn("pdf")),
    Format("dot", ("dot", "gv"), "text/vnd.graphviz; charset=utf-8", False,
           "the Graphviz source of the diagram", _dot),
    Format("mermaid", ("mmd", "mermaid"), "text/plain; charset=utf-8", False,
           "a Mermaid journey diagram", _mermaid),
    Format("md", ("md",), "text/markdown; charset=utf-8", False,
           "the whole journey as Markdown text", _md),
    Format("csv", ("csv",), "text/csv; charset=utf-8", False,
           "the steps table, for spreadsheets", _csv),
)}
EXPORT_FORMATS = tuple(FORMATS)
"""What ``journeys export`` writes: every format."""
RENDER_FORMATS = tuple(name for name in FORMATS if name != "json")
"""What ``journeys render`` writes from a document file: every format but the document."""

_OF_EXTENSION = {f".{ext}": f.name for f in FORMATS.values() for ext in f.extensions}


def format_of_path(path: str) -> str | None:
    """The format a file name's extension names (``report.PDF`` → ``pdf``), if any."""
    return _OF_EXTENSION.get(PurePath(path).suffix.lower())


def export_name(journey: Journey, fmt: str) -> str:
    """The default file name of an export: ``<slug of the title>.<ext>``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return f"{slugify(journey.title)}.{FORMATS[fmt].extension}"


def export(journey: Journey, fmt: str, *, direction: str = "auto", show_backstage: bool = True,
           timeout: float | None = None, assessment: Assessment | None = None,
           view: str = "auto", stage: str | None = None) -> bytes:
    """The journey in ``fmt`` as bytes; pass the journey's ``assessment`` when you have it.

    ``view`` (auto, full, overview) and ``stage`` (a stage id, drawn alone) say which
    diagram a diagram format draws. Raises :class:`ExportError` when Graphviz is
    missing, too slow or fails.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (formats: {', '.join(FORMATS)})")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    if stage is not None and stage not in {s.id for s in journey.stages}:
        raise ValueError(f"no stage {stage!r} in this journey")
    return FORMATS[fmt].build(journey, assessment,
                              Options(direction, show_backstage, timeout, view, stage))
