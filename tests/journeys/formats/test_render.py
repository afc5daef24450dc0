"""Running dot: formats, time limit, missing binary, the content-hash cache, accessible SVG."""

import io
import os
import shutil
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest
from hypothesis import HealthCheck, given, settings

from journeys.domain.schemas import load_data, load_document
from journeys.domain.text import visible
from journeys.formats import graphviz as r
from journeys.formats.diagram import _LINE_BREAKS, journey_to_dot
from tests.factories import make_journey
from tests.strategies import valid_documents

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")

SVG = "{http://www.w3.org/2000/svg}"
MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    """Each test gets its own cache folder and no time limit from the environment."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("JOURNEYS_CACHE_DIR", str(folder))
    monkeypatch.delenv("JOURNEYS_RENDER_TIMEOUT", raising=False)
    return folder


@pytest.fixture
def no_dot(tmp_path, monkeypatch):
    """A PATH on which there is no dot."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def birth_dot(samples_dir):
    return journey_to_dot(load_document((samples_dir / "register-a-birth.json").read_bytes()))


def assert_safe_svg(svg: bytes):
    """Well-formed XML with no script, no event attribute, no link of any kind."""
    root = ET.fromstring(svg)
    for el in root.iter():
        assert not el.tag.lower().endswith(("script", "foreignobject", "iframe")), el.tag
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), name
            assert local != "href", name
            assert "javascript:" not in value.lower(), (name, value)
    return root


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_renders_each_format(birth_dot, fmt):
    assert r.render(birth_dot, fmt).startswith(MAGIC[fmt])


def test_unknown_format_is_refused(birth_dot):
    with pytest.raises(ValueError, match="format"):
        r.render(birth_dot, "ps")


def test_missing_dot_is_a_clear_error(birth_dot, no_dot):
    with pytest.raises(r.RenderError, match="Graphviz 'dot' was not found") as info:
        r.render(birth_dot, "svg")
    assert info.value.reason == "missing"
    assert "\n" not in str(info.value)


def test_time_limit_from_the_argument(birth_dot):
    with pytest.raises(r.RenderError, match="longer than 0.001 s") as info:
        r.render(birth_dot, "png", timeout=0.001)
    assert info.value.reason == "timeout"


def test_time_limit_from_the_environment(birth_dot, monkeypatch):
    monkeypatch.setenv("JOURNEYS_RENDER_TIMEOUT", "0.001")
    with pytest.raises(r.RenderError, match="JOURNEYS_RENDER_TIMEOUT") as info:
        r.render(birth_dot, "pdf")
    assert info.value.reason == "timeout"


def test_time_limit_defaults_to_ten_seconds(monkeypatch):
    assert r.render_timeout() == 10.0
    assert r.render_timeout(2.5) == 2.5
    monkeypatch.setenv("JOURNEYS_RENDER_TIMEOUT", "30")
    assert r.render_timeout() == 30.0
    for bad in ("soon", "0", "-1", "nan", "inf"):
        monkeypatch.setenv("JOURNEYS_RENDER_TIMEOUT", bad)
        with pytest.raises(r.RenderError, match="positive number of seconds"):
            r.render_timeout()


def test_dot_failure_reports_its_first_line():
    with pytest.raises(r.RenderError, match="Graphviz 'dot' failed: .*syntax error") as info:
        r.run_dot("digraph { a -> }", "svg")
    assert info.value.reason == "failed"


def test_an_unchanged_graph_is_laid_out_once(birth_dot, cache_dir, monkeypatch, tmp_path):
    first = r.render(birth_dot, "svg")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # from here on, any call to dot would fail
    assert r.render(birth_dot, "svg") == first  # from memory
    r.default_cache().clear_memory()
    assert r.render(birth_dot, "svg") == first  # from disk
    # Another process (a fresh cache object on the same folder) finds it as well.
    other = r.RenderCache(cache_dir)
    assert r.render(birth_dot, "svg", cache=other) == first and other.hits == 1
    with pytest.raises(r.RenderError):
        r.render(birth_dot, "png")  # another format is another entry


def test_cache_files_are_named_by_content_hash_and_written_whole(birth_dot, cache_dir):
    r.render(birth_dot, "svg")
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    key = r.cache_key(birth_dot, "svg")
    assert [p.name for p in files] == [key]
    assert files[0].parent.name == key[:2]
    assert r.cache_key(birth_dot + " ", "svg") != key != r.cache_key(birth_dot, "png")


def test_another_graphviz_never_serves_an_old_layout(birth_dot, tmp_path, monkeypatch):
    before = r.cache_key(birth_dot, "svg")
    upgraded = tmp_path / "bin" / "dot"
    upgraded.parent.mkdir()
    upgraded.write_text('#!/bin/sh\nexec /usr/bin/dot "$@"\n')
    upgraded.chmod(0o755)
    monkeypatch.setenv("PATH", f"{upgraded.parent}:{os.environ['PATH']}")
    r.graphviz_identity.cache_clear()
    try:
        assert r.cache_key(birth_dot, "svg") != before
    finally:
        r.graphviz_identity.cache_clear()


def test_without_the_cache_dot_runs_every_time(birth_dot, no_dot):
    cache = r.RenderCache(None)
    with pytest.raises(r.RenderError):
        r.render(birth_dot, "svg", cache=cache, use_cache=False)


def test_an_unwritable_cache_folder_only_loses_the_disk_copy(birth_dot, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cache = r.RenderCache(blocker)
    assert r.render(birth_dot, "svg", cache=cache).startswith(b"<?xml")
    assert r.render(birth_dot, "svg", cache=cache) and cache.hits == 1


def test_memory_cache_stays_within_its_budget():
    cache = r.RenderCache(None, memory_budget=10)
    for n in range(5):
        cache.put(f"{n:064x}.svg", b"12345")
    assert cache.get(f"{0:064x}.svg") is None and cache.get(f"{4:064x}.svg") == b"12345"


def test_svg_has_a_title_and_description_for_the_diagram_and_each_step(samples_dir):
    journey = load_document((samples_dir / "report-a-road-defect.json").read_bytes())
    root = assert_safe_svg(r.render(journey_to_dot(journey), "svg"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "diagram_title"
    assert root.get("aria-describedby") == "diagram_desc"
    assert root.find(f"{SVG}title").text == "Report a road defect"
    desc = root.find(f"{SVG}desc").text
    assert "10 steps in 5 stages" in desc and "text version" in desc
    steps = [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("step_")]
    assert len(steps) == 10
    for g in steps:
        title, description = g.find(f"{SVG}title"), g.find(f"{SVG}desc")
        assert g.get("aria-labelledby") == title.get("id")
        assert g.get("aria-describedby") == description.get("id")
    closure = next(g for g in steps if g.get("id") == "step_9_stage_4")
    assert closure.find(f"{SVG}title").text == "Step 10: Told the defect is fixed"
    assert closure.find(f"{SVG}desc").text == (
        "Stage 5 · Close. email · system. Level 2: fixes problems well. ★ Moment of truth. "
        "✗ checks: 1 failed")
    edge = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "edge_7_failure")
    assert edge.find(f"{SVG}title").text == (
        "failure transition from Inspector triages the report to Told the road belongs to "
        "another authority (✗ other authority)")
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


HOSTILE = [
    '"]; x [URL="javascript:alert(1)"]', "<script>alert(1)</script>",
    "<svg onload=alert(1)>", "a\\Nb & c </title><script>", "שלום \u202eevil 😀",
    "]]> <!-- -->", "line\nbreak", "]", "]]",
]


def test_hostile_text_gives_safe_well_formed_svg():
    journey = make_journey(
        title=HOSTILE[2],
        steps=[{"id": f"s{i}", "title": t, "agency": t, "moment_of_truth": True}
               for i, t in enumerate(HOSTILE)] + [{"id": "star", "title": "★ Moment of truth",
                                                   "moment_of_truth": True}],
        transitions=[(f"s{i}", f"s{i + 1}", t) for i, t in enumerate(HOSTILE[:-1])],
        stages=[{"id": "a", "name": HOSTILE[0]}, {"id": "b", "name": HOSTILE[3]}],
    )
    root = assert_safe_svg(r.render(journey_to_dot(journey), "svg"))
    titles = {g.get("id"): g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")}
    assert titles["step_1_stage_0"] == "Step 2: <script>alert(1)</script>"
    assert titles["step_3_stage_0"] == "Step 4: a\\Nb & c </title><script>"
    assert root.find(f"{SVG}title").text == "<svg onload=alert(1)>"
    assert titles[f"step_{len(HOSTILE)}_stage_0"] == f"Step {len(HOSTILE) + 1}: ★ Moment of truth"


def squash(text: str) -> str:
    return "".join(text.split())


@given(valid_documents())
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_valid_document_gives_safe_accessible_svg(doc):
    journey = load_data(doc)
    root = assert_safe_svg(r.render(journey_to_dot(journey), "svg", use_cache=False))
    titles = {g.get("id").split("_")[1]: g.find(f"{SVG}title").text
              for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("step_")}
    assert len(titles) == len(journey.steps)
    for i, step in enumerate(journey.steps):
        # The step's title, literally: only characters XML cannot hold become U+FFFD.
        shown = visible(_LINE_BREAKS.sub(" ", step.title))
        assert squash(titles[str(i)]) == squash(f"Step {i + 1}: {shown}")


# --- The whole render within its limits ------------------------------------------------

from benchmarks.journeys_gen import SHAPES, chain_with_rework  # noqa: E402
from journeys.formats.options import ExportError  # noqa: E402
from journeys.formats.registry import export  # noqa: E402


def test_the_time_limit_counts_the_work_before_dot(no_dot):
    # With no dot on PATH, a render that reached dot would fail as "missing": it stops
    # as "timeout" because building the diagram alone used up the limit.
    journey = chain_with_rework(200)
    with pytest.raises(ExportError, match="longer than 1e-09 s") as caught:
        export(journey, "svg", timeout=1e-9)
    assert caught.value.reason == "timeout"


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux only")
def test_dot_that_needs_too_much_memory_is_stopped_with_a_message(monkeypatch):
    monkeypatch.setattr(r, "DOT_MEMORY_LIMIT", 120 * 1024 * 1024)
    # The full diagram of a long chain with every step returning to the first needs
    # hundreds of megabytes of virtual nodes.
    dot = journey_to_dot(chain_with_rework(300))
    with pytest.raises(r.RenderError, match="needed more than 120 MB of memory"):
        r.run_dot(dot, "svg", timeout=60)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_up_to_2000_steps_yields_a_picture(shape):
    sizes = {"hub": 100, "complete": 100}
    journey = SHAPES[shape](sizes.get(shape, 2000))
    for backstage in (True, False):
        svg = export(journey, "svg", show_backstage=backstage)
        root = assert_safe_svg(svg)
        assert root.find(f"{SVG}title").text == journey.title


def test_pdf_is_cut_into_a3_landscape_pages_at_a_readable_size():
    from pypdf import PdfReader

    journey = load_document((LONG).read_bytes())
    pdf = export(journey, "pdf")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 1
    for page in pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            1191, 842)
    small = PdfReader(io.BytesIO(export(make_journey(), "pdf"))).pages
    assert len(small) == 1


LONG = Path(__file__).parents[2] / "fixtures" / "long" / "bereavement-44.json"


def test_an_unchanged_journey_is_served_again_without_building_its_diagram(
        samples_dir, monkeypatch):
    from journeys.formats import registry

    journey = load_document((samples_dir / "register-a-birth.json").read_bytes())
    first = registry.export(journey, "svg")

    def no_dot_text(*args, **kwargs):
        raise AssertionError("the diagram was built again")

    monkeypatch.setattr(registry, "dot_text", no_dot_text)
    assert registry.export(journey, "svg") == first
    # Any change of content or options is another drawing.
    with pytest.raises(AssertionError, match="built again"):
        registry.export(journey, "svg", direction="TB")
    journey.steps[0].title = "Hears at the hospital that the birth must be registered"
    with pytest.raises(AssertionError, match="built again"):
        registry.export(journey, "svg")
    monkeypatch.undo()
    changed = registry.export(journey, "svg")
    assert changed != first and b"Hears at the hospital" in changed
