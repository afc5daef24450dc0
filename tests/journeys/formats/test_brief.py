"""The design brief as HTML and PDF: escaped user text, the journey's picture, a real PDF."""

from datetime import date
from pathlib import Path

from designer import propose
from designer.brief import build_brief
from journeys.domain.document import CheckAnswer
from journeys.domain.schemas import load_document
from journeys.formats.brief import brief_document, brief_html, brief_pdf
from tests.factories import make_journey

TODAY = date(2026, 11, 24)
LONG = Path(__file__).resolve().parents[2] / "fixtures" / "long" / "bereavement-brief.json"


def _brief(journey):
    return build_brief(journey, propose(journey, today=TODAY), TODAY)


def test_user_text_is_escaped_in_the_html():
    journey = make_journey(title="<script>alert(1)</script> & co", organization="<b>Us</b>",
                           steps=[{"id": "s1", "title": '<img src="http://x/y.png">',
                                   "checks": {"ACC-06": CheckAnswer("fail", "<i>jargon</i>",
                                                                    True)}}])
    html = brief_html(_brief(journey))
    assert "<script>" not in html and '<img src="http' not in html and "<i>jargon" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "&lt;img src=&#34;http://x/y.png&#34;&gt;" in html


def test_the_html_holds_the_summary_first_and_the_picture():
    journey = load_document(LONG.read_bytes())
    html = brief_html(_brief(journey), b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert html.index("Executive summary") < html.index("The journey") \
        < html.index("Proposals in priority order") < html.index("Appendix")
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'class="kind kind-cross"' in html and 'class="kind kind-policy"' in html


def test_the_pdf_has_a_summary_page_then_the_picture_on_a_landscape_page():
    journey = load_document(LONG.read_bytes())
    brief = _brief(journey)
    document = brief_document(journey, brief)
    portrait, landscape = document.pages[0], document.pages[1]
    assert portrait.width < portrait.height           # A4: the one-page summary
    assert landscape.width > landscape.height         # the journey's diagram
    assert len(document.pages) > 10                   # entries and the appendix follow
    assert brief_pdf(journey, brief).startswith(b"%PDF-")


def test_without_graphviz_the_pdf_says_the_diagram_is_missing(monkeypatch):
    journey = make_journey(title="No picture")
    monkeypatch.setenv("PATH", "/nonexistent")
    document = brief_document(journey, _brief(journey))
    assert document.pages and all(p.width < p.height for p in document.pages)  # no picture
    html = brief_html(_brief(journey), None, "Graphviz is not installed")
    assert "could not be drawn for this brief: Graphviz is not installed" in html
