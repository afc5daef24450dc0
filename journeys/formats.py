"""Every export of a journey but the JSON document: diagrams and text formats.

``export`` is what the CLI and the web pages call. Modules are imported inside it, so
a text export never loads the diagram code and nothing here loads Flask or SQLAlchemy.
"""

import re
import unicodedata

from journeys.document import SLUG_MAX, Journey

FORMATS = ("svg", "png", "pdf", "dot", "mermaid", "md", "csv")
EXTENSIONS = {
    "json": "json", "svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot",
    "mermaid": "mmd", "md": "md", "csv": "csv",
}
DIRECTIONS = ("LR", "TB")
"""How a diagram lays out the stages: left to right, or top to bottom."""


class ExportError(Exception):
    """A diagram could not be drawn (dot missing, timed out or failed); one-line message.

    ``reason`` is ``missing``, ``timeout`` or ``failed``, so a page can fall back to the
    text version.
    """

    def __init__(self, message: str, reason: str = "failed"):
        super().__init__(message)
        self.reason = reason


def slugify(text: str, fallback: str = "journey", max_length: int = SLUG_MAX) -> str:
    """ASCII, lowercase, hyphen-separated; ``fallback`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or fallback


def export_name(journey: Journey, fmt: str) -> str:
    """The default file name of an export: ``<slug of the title>.<ext>``."""
    if fmt not in EXTENSIONS:
        raise ValueError(f"unknown export format {fmt!r}")
    return f"{slugify(journey.title)}.{EXTENSIONS[fmt]}"


def export(journey: Journey, fmt: str, *, direction: str = "LR", show_backstage: bool = True,
           timeout: float | None = None) -> bytes:
    """The journey in ``fmt`` (svg, png, pdf, dot, mermaid, md, csv) as bytes.

    Raises :class:`ExportError` when Graphviz is missing, too slow or fails.
    """
    if fmt == "md":
        from journeys.markdown import to_markdown

        return to_markdown(journey).encode("utf-8")
    if fmt == "csv":
        from journeys.tabular import to_csv

        return to_csv(journey).encode("utf-8")
    if fmt == "mermaid":
        from journeys.mermaid import to_mermaid

        return to_mermaid(journey).encode("utf-8")
    from journeys import render

    if fmt != "dot" and fmt not in render.FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (formats: {', '.join(FORMATS)})")
    from journeys.diagram import journey_to_dot

    dot_text = journey_to_dot(journey, direction=direction, show_backstage=show_backstage)
    if fmt == "dot":
        return dot_text.encode("utf-8")
    try:
        return render.render(dot_text, fmt, timeout=timeout)
    except render.RenderError as exc:
        raise ExportError(str(exc), exc.reason) from exc
