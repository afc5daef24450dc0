"""The design brief as HTML and PDF: the brief's view model, the journey's picture, WeasyPrint.

The designer builds the brief (:func:`designer.brief.build_brief`, plain words, no
markup); this module lays it out with the autoescaping template
``templates/brief/brief.html``, embeds the journey's diagram (the SVG of the format
registry) and prints it to PDF with WeasyPrint. It never imports the designer: it takes
any object with the brief's attributes.
"""

import base64
import logging
from functools import cache
from pathlib import Path

from journeys.domain.document import Journey
from journeys.formats.options import ExportError

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
KIND_CLASSES = {
    "service change": "service",
    "policy or legal change": "policy",
    "cross-organisation change": "cross",
}


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"], default=True),
                       trim_blocks=True, lstrip_blocks=True)


def brief_html(brief, picture_svg: bytes | None = None, missing: str | None = None) -> str:
    """The brief as a standalone HTML page; the picture, when given, embedded as a data URL.

    ``missing`` says why there is no picture (Graphviz missing or too slow).
    """
    picture = None
    if picture_svg is not None:
        picture = "data:image/svg+xml;base64," + base64.b64encode(picture_svg).decode("ascii")
    template = _environment().get_template("brief/brief.html")
    return template.render(brief=brief, picture=picture, missing=missing,
                           kind_class=KIND_CLASSES)


def brief_document(journey: Journey, brief, *, timeout: float | None = None):
    """The brief laid out by WeasyPrint (its pages have sizes), the diagram on a landscape page.

    When the diagram cannot be drawn the brief says so in its place; raises
    :class:`ExportError` when WeasyPrint is missing.
    """
    from journeys.formats.registry import export

    picture, missing = None, None
    try:
        picture = export(journey, "svg", timeout=timeout)
    except ExportError as exc:  # the brief still serves without its picture
        missing = str(exc)
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: Pango or its libraries missing
        raise ExportError(f"cannot write PDF briefs: WeasyPrint is not usable ({exc})",
                          "missing") from exc
    # WeasyPrint logs every CSS property it does not know at WARNING; they are ours, not
    # the user's, so keep them off the terminal.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # The brief fetches nothing but its embedded picture: no file, no network.
    # The style sheet is read here, not linked, so the fetcher stays limited to data: URLs.
    style = CSS(string=(TEMPLATES / "brief" / "brief.css").read_text(encoding="utf-8"))
    return HTML(string=brief_html(brief, picture, missing), base_url=str(TEMPLATES),
                url_fetcher=URLFetcher(allowed_protocols=("data",))).render(stylesheets=[style])


def brief_pdf(journey: Journey, brief, *, timeout: float | None = None) -> bytes:
    """The brief as PDF bytes (see :func:`brief_document`)."""
    return brief_document(journey, brief, timeout=timeout).write_pdf()
