"""Exports other than the document: the export entry point, names, Markdown."""

import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys.domain.schemas import load_data, load_document
from journeys.domain.text import md_text
from journeys.formats.markdown import to_markdown
from journeys.formats.registry import ExportError, export, export_name, slugify
from tests.factories import make_journey
from tests.strategies import valid_documents

HOSTILE = [
    '"]; x [URL="javascript:alert(1)"]', "<script>alert(1)</script>", "# not a heading",
    "[link](javascript:alert(1))", "| a | b |", "line\nbreak", "שלום \u202eevil 😀",
    "=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=tab", "1. not a list", "**bold** _em_ `code`",
    "&lt;escaped&gt;", "back\\slash",
]


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYS_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def road(samples_dir):
    return load_document((samples_dir / "report-a-road-defect.json").read_bytes())


# --- export and names ---------------------------------------------------------------


@pytest.mark.parametrize(("title", "name"), [
    ("Register a birth", "register-a-birth"),
    ("  Apply for a Disabled Parking Permit!  ", "apply-for-a-disabled-parking-permit"),
    ("Équipe à Zürich", "equipe-a-zurich"),
    ("שלום 😀", "journey"),
    ("../../etc/passwd", "etc-passwd"),
    ("x" * 300, "x" * 64),
])
def test_export_name_is_a_slug_of_the_title(title, name):
    journey = make_journey(title=title)
    assert export_name(journey, "svg") == f"{name}.svg"


@pytest.mark.parametrize(("fmt", "ext"), [
    ("json", "json"), ("svg", "svg"), ("png", "png"), ("pdf", "pdf"), ("dot", "dot"),
    ("mermaid", "mmd"), ("md", "md"), ("csv", "csv"),
])
def test_export_name_extensions(fmt, ext):
    assert export_name(make_journey(title="A b"), fmt) == f"a-b.{ext}"


@given(st.text())
def test_slug_is_never_empty_and_always_valid(title):
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", slugify(title))


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "md", "csv"])
def test_text_exports_need_no_graphviz(road, fmt, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert export(road, fmt).decode("utf-8")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_diagram_exports_draw_with_graphviz(road):
    assert export(road, "svg").startswith(b"<?xml")
    assert export(road, "png", direction="TB", show_backstage=False).startswith(b"\x89PNG")
    assert export(road, "pdf").startswith(b"%PDF")


def test_missing_graphviz_is_an_export_error(road, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExportError, match="Graphviz 'dot' was not found") as info:
        export(road, "svg")
    assert info.value.reason == "missing"


def test_unknown_format_is_refused(road):
    with pytest.raises(ValueError, match="unknown export format"):
        export(road, "docx")


def test_export_modules_do_not_load_the_web_or_database_layers():
    import subprocess
    import sys

    code = (
        "import sys; from journeys.formats import registry, diagram, graphviz, markdown, tabular;"
        "from journeys.formats import mermaid;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'sqlalchemy', 'sqlmodel', 'alembic', 'psycopg', 'marshmallow'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_text_exports_do_not_load_the_diagram_code(samples_dir):
    import subprocess
    import sys

    code = (
        "import sys; from journeys.formats.registry import export; "
        "from journeys.domain.schemas import load_document;"
        f" j = load_document(open({str(samples_dir / 'register-a-birth.json')!r},"
        " 'rb').read()); [export(j, f) for f in ('md', 'csv', 'mermaid')];"
        "print(sorted(m for m in sys.modules"
        " if m in {'journeys.formats.diagram', 'journeys.formats.graphviz'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_registry_says_which_formats_need_dot_as_graphviz_draws_them():
    from journeys.formats import graphviz, registry

    needs_dot = {f.name for f in registry.FORMATS.values() if f.needs_dot}
    assert needs_dot == set(graphviz.FORMATS)
    assert "dot" in registry.RENDER_FORMATS and "json" not in registry.RENDER_FORMATS


@pytest.mark.parametrize("name, fmt", [("a.svg", "svg"), ("A.PDF", "pdf"), ("x.gv", "dot"),
                                       ("x.mermaid", "mermaid"), ("x.mmd", "mermaid"),
                                       ("x.json", "json"), ("x.txt", None), ("x", None)])
def test_a_file_name_implies_its_format(name, fmt):
    from journeys.formats.registry import format_of_path

    assert format_of_path(name) == fmt


# --- Markdown -------------------------------------------------------------------------


def test_markdown_has_stages_steps_annotations_pain_points_and_transitions(road):
    md = to_markdown(road)
    assert md.startswith("# Report a road defect\n")
    assert [line for line in md.splitlines() if line.startswith("## Stage")] == [
        "## Stage 1: Notice", "## Stage 2: Report", "## Stage 3: Triage", "## Stage 4: Repair",
        "## Stage 5: Close"]
    assert "### 10. Told the defect is fixed" in md
    assert "- Channel: email; actor: system; citizen-facing (frontstage)" in md
    assert "- Pyramid level: L2 Recovery" in md and "- ★ Moment of truth" in md
    assert "backstage (below the line of visibility)" in md
    assert "- ✗ Failed or partial checks: ACC-01, ACC-03, TRA-05" in md
    assert "- ⚠ Pain point: The map pin is hard to place on a busy road" in md
    assert ("- 6\\. Inspector triages the report → 3. Reports the defect in the council app "
            "with a photo (rework: location unclear)") in md
    assert "- Agency: Roadworks Contractor Ltd" in md
    assert "10 steps in 5 stages (3 backstage); 1 moment of truth; 3 pain points" in md


def test_markdown_of_a_document_without_transitions_says_so():
    md = to_markdown(make_journey())
    assert "each step leads to the next one" in md
    assert "- 1\\. Step s1 → 2. Step s2 (flow)" in md


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escapes_user_text(text):
    escaped = md_text(text)
    assert "\n" not in escaped
    # Every Markdown or HTML special is backslash-escaped.
    assert not re.search(r"(?<!\\)[<>\[\]`*_|#&]", escaped)
    assert not re.match(r"[-+=]|\d+\.", escaped)


def test_markdown_keeps_the_text_readable():
    assert md_text("Reads what to bring") == "Reads what to bring"
    assert md_text("as-is, 3.5 days (maybe)") == "as-is, 3.5 days (maybe)"
    assert md_text("<b>") == "\\<b\\>"
    assert md_text("1. first") == "1\\. first"


@given(valid_documents())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_markdown_has_one_section_per_step_whatever_the_text(doc):
    journey = load_data(doc)
    md = to_markdown(journey)
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    assert len(headings) == len(journey.steps)
    assert len([line for line in md.splitlines() if line.startswith("## Stage ")]) == \
        len(journey.stages)
    assert not re.search(r"(?<!\\)<[a-zA-Z/!]", md)  # no raw HTML at all


def _html(markdown: str) -> str:
    """Markdown as CommonMark with GitHub's extensions (tables, strikethrough, linkify)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like").render(markdown)


@pytest.mark.parametrize("text", [
    "See https://www.gov.uk/register-birth now", "www.gov.uk", "Email help@council.gov.uk",
    "council.gov.uk/roads", "mailto:help@example.com", "http://localhost:3000/admin",
    "ftp://files.example.org", "Visit example.com.", "HTTPS://EVIL.COM",
])
def test_a_bare_url_in_user_text_never_becomes_a_link(text):
    journey = make_journey(title=text, steps=[{"id": "s1", "title": text,
                                              "description": text}])
    html = _html(to_markdown(journey))
    assert "<a " not in html
    # The reader still sees the text as typed.
    assert html.count(text.replace("&", "&amp;")) >= 3


_URL_PARTS = ["http", "https", "ftp", "mailto", "xmpp", ":", "//", "www", ".", "com", "gov",
              "uk", "org", "@", "x", "é", "рф", " ", "-", "/", "1", "_", "<", ">", "?", "~",
              "localhost", "\u200b", "。", "+", "!", "\u00a0", "(", ")"]


@given(st.lists(st.sampled_from(_URL_PARTS), max_size=25).map("".join))
@settings(max_examples=300, deadline=None)
def test_no_user_text_ever_becomes_a_link(text):
    assert "<a " not in _html(md_text(text))
    assert "<a " not in _html("- " + md_text(text))


def test_transition_lines_render_as_one_list_of_plain_items(road):
    html = _html(to_markdown(road))
    transitions = html.split("<h2>Transitions</h2>")[1].split("<h2>")[0]
    assert "<ol" not in transitions
    assert ("<li>6. Inspector triages the report → 3. Reports the defect in the council app "
            "with a photo (rework: location unclear)</li>") in transitions


def test_bidi_overrides_in_markdown_are_shown_not_obeyed():
    title = "Pay \u202egnikrap\u202c fee \u2066x\u2069 \u200f\u061c"
    md = to_markdown(make_journey(title=title, steps=[{"id": "s1", "title": title}]))
    for char in "\u202e\u202c\u2066\u2069\u200f\u061c":
        assert char not in md
    assert "Pay \\<U+202E\\>gnikrap\\<U+202C\\> fee" in md
    assert "Pay &lt;U+202E&gt;gnikrap" in _html(md)


def test_no_output_carries_an_invisible_character():
    # One rule for every format: C0 and C1 controls, DEL and non-characters become U+FFFD.
    sneaky = "Pay\x1f the\x85fee\x9b[31m\x7f now\x07"
    journey = make_journey(title=sneaky, steps=[{"id": "s1", "title": sneaky}])
    for fmt in ("md", "mermaid", "dot"):
        out = export(journey, fmt).decode("utf-8")
        assert not any(c in out for c in "\x1f\x9b\x7f\x07"), fmt
        assert "\ufffd" in out, fmt
