"""`journeys render` and `journeys export` through the real console script."""

import csv
import io
import json
import shutil
import subprocess
import sys

import defusedxml.ElementTree as ET
import pytest

from journeys.domain.schemas import load_document

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}
SAMPLES = ("register-a-birth", "report-a-road-defect")


@pytest.fixture
def cli(journeys_cli, tmp_path):
    """The console script with its own render cache folder."""

    def run(*args, env=None, **kwargs):
        env = {"JOURNEYS_CACHE_DIR": str(tmp_path / "cache"), **(env or {})}
        return journeys_cli(*args, env=env, **kwargs)

    return run


@pytest.fixture
def empty_path(tmp_path):
    folder = tmp_path / "empty-bin"
    folder.mkdir()
    return str(folder)


@needs_dot
@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_render_draws_each_sample(cli, samples_dir, tmp_path, name, fmt):
    out = tmp_path / f"out.{fmt}"
    result = cli("render", samples_dir / f"{name}.json", "--format", fmt, "-o", out)
    assert result.code == 0, result.err
    assert out.read_bytes().startswith(MAGIC[fmt])
    assert f"wrote {out}" in result.err


@needs_dot
def test_render_writes_to_the_exports_folder_by_default(cli, samples_dir, tmp_path):
    result = cli("render", samples_dir / "register-a-birth.json")
    assert result.code == 0, result.err
    svg = (tmp_path / "exports" / "register-a-birth.svg").read_bytes()
    root = ET.fromstring(svg)
    assert root.get("role") == "img"


@pytest.mark.parametrize(("fmt", "start"), [
    ("dot", "digraph journey {"), ("mermaid", "journey\n  title Register a birth"),
    ("md", "# Register a birth"), ("csv", "\ufeffjourney_id,journey_title,position"),
])
def test_text_formats_need_neither_dot_nor_database(cli, samples_dir, fmt, start, empty_path):
    env = {"PATH": empty_path, "DATABASE_URL": "postgresql://nowhere.invalid/none"}
    result = cli("render", samples_dir / "register-a-birth.json", "--format", fmt, "-o", "-",
                 env=env)
    assert result.code == 0, result.err
    assert result.out.startswith(start)


def test_diagram_options_reach_the_graph(cli, samples_dir):
    result = cli("render", samples_dir / "report-a-road-defect.json", "--format", "dot",
                 "--direction", "TB", "--no-backstage", "-o", "-")
    assert result.code == 0, result.err
    assert "rankdir=TB" in result.out and "Inspector triages" not in result.out


def test_missing_dot_is_a_clear_message_not_a_traceback(cli, samples_dir, empty_path):
    result = cli("render", samples_dir / "register-a-birth.json", "--format", "png",
                 env={"PATH": empty_path})
    assert result.code == 1
    assert result.err.strip() == (
        "Error: Graphviz 'dot' was not found on PATH: install Graphviz to draw diagrams, "
        "or use the md or mermaid format")


@needs_dot
def test_a_layout_that_takes_too_long_is_stopped(cli, samples_dir):
    result = cli("render", samples_dir / "register-a-birth.json", "--format", "pdf",
                 env={"JOURNEYS_RENDER_TIMEOUT": "0.001"})
    assert result.code == 1
    assert "took longer than 0.001 s and was stopped" in result.err
    assert "Traceback" not in result.err


def test_rendering_a_file_loads_no_web_framework_or_database(samples_dir):
    source = str(samples_dir / "register-a-birth.json")
    code = (
        "import sys\n"
        "from journeys.cli import main\n"
        f"main(['render', {source!r}, '--format', 'md', '-o', '-'],"
        " standalone_mode=False)\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'flask', 'werkzeug', 'jinja2', 'sqlalchemy', 'sqlmodel',"
        " 'alembic', 'psycopg'}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stderr.strip() == "[]"


@needs_dot
def test_hostile_text_in_a_document_renders_safely(cli, tmp_path):
    hostile = '"]; x [URL="javascript:alert(1)"] <script>alert(1)</script> =cmd|calc'
    doc = {
        "format": "citizen-journey/1", "title": hostile,
        "stages": [{"id": "a", "name": hostile}],
        "steps": [{"id": "s1", "stage": "a", "title": hostile, "agency": hostile,
                   "pain_points": [{"text": "=HYPERLINK(\"http://x\")"}]},
                  {"id": "s2", "stage": "a", "title": "-2+3\nrtl שלום 😀"}],
        "transitions": [{"from": "s1", "to": "s2", "label": hostile, "kind": "failure"}],
    }
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    result = cli("render", source, "--format", "svg", "-o", tmp_path / "h.svg")
    assert result.code == 0, result.err
    root = ET.fromstring((tmp_path / "h.svg").read_bytes())
    for el in root.iter():
        assert not el.tag.endswith("script")
        assert not any(a.rsplit("}", 1)[-1].startswith(("on", "href")) for a in el.attrib)
    assert root.find("{http://www.w3.org/2000/svg}title").text == hostile
    result = cli("render", source, "--format", "csv", "-o", "-")
    rows = list(csv.reader(io.StringIO(result.out.lstrip("\ufeff"))))
    assert rows[2][6] == "'-2+3\nrtl שלום 😀"   # the steps table: its title column
    assert rows[1][1] == hostile                  # the journey's title in every row


# --- from the store ---------------------------------------------------------------------


@needs_dot
def test_export_from_the_store_writes_exports_slug_ext(cli, database_url, samples_dir,
                                                       tmp_path):
    imported = cli("import", samples_dir / "report-a-road-defect.json")
    assert imported.code == 0, imported.err
    journey_id = imported.out.strip()
    for fmt, ext in (("svg", "svg"), ("png", "png"), ("mermaid", "mmd"), ("md", "md"),
                     ("csv", "csv")):
        result = cli("export", journey_id, "--format", fmt)
        assert result.code == 0, result.err
        assert (tmp_path / "exports" / f"report-a-road-defect.{ext}").stat().st_size > 0
    result = cli("export", journey_id, "--format", "dot", "--direction", "TB", "-o", "-")
    assert "rankdir=TB" in result.out


@pytest.mark.parametrize("name", SAMPLES)
def test_mermaid_export_imports_back_with_the_same_stages_and_titles(
        cli, database_url, samples_dir, tmp_path, name):
    original = load_document((samples_dir / f"{name}.json").read_bytes())
    mermaid = cli("render", samples_dir / f"{name}.json", "--format", "mermaid",
                  "-o", tmp_path / "j.mmd")
    assert mermaid.code == 0, mermaid.err
    imported = cli("import", "--from", "mermaid", tmp_path / "j.mmd")
    assert imported.code == 0, imported.err
    exported = cli("export", imported.out.strip(), "-o", "-")
    back = load_document(exported.stdout)
    assert back.title == original.title
    assert [s.name for s in back.stages] == [s.name for s in original.stages]
    facing = [s.title for st in original.stages for s in original.steps
              if s.stage == st.id and s.citizen_facing]
    assert [s.title for s in back.steps] == facing


def test_import_of_a_bad_mermaid_file_names_the_line(cli, database_url, tmp_path):
    bad = tmp_path / "bad.mmd"
    bad.write_text("journey\n  section A\n    Task without a score\n", encoding="utf-8")
    result = cli("import", "--from", "mermaid", bad)
    assert result.code == 2
    assert "line 3: expected a task" in result.err


@needs_dot
def test_one_stage_is_drawn_alone_by_id_or_number(cli, samples_dir, tmp_path):
    out = tmp_path / "stage.dot"
    result = cli("render", samples_dir / "report-a-road-defect.json", "--stage", "3", "-o", out)
    assert result.code == 0, result.err
    assert "stage 3 of 5 alone" in out.read_text()
    bad = cli("render", samples_dir / "report-a-road-defect.json", "--stage", "99", "-o", out)
    assert bad.code == 2 and "--stage: no stage '99'" in bad.err and "Traceback" not in bad.err


def test_the_overview_can_be_asked_for(cli, samples_dir, tmp_path):
    out = tmp_path / "overview.dot"
    result = cli("render", samples_dir / "register-a-birth.json", "--view", "overview",
                 "-o", out)
    assert result.code == 0, result.err
    assert "Overview: one box per stage" in out.read_text()


@needs_dot
def test_a_journey_too_large_to_lay_out_comes_out_as_an_overview(cli, tmp_path):
    from benchmarks.journeys_gen import random_jumps
    from journeys.domain.document import to_dict

    doc = tmp_path / "jumps.json"
    doc.write_text(json.dumps(to_dict(random_jumps(300))), encoding="utf-8")
    out = tmp_path / "jumps.svg"
    result = cli("render", doc, "-o", out)
    assert result.code == 0, result.err
    root = ET.fromstring(out.read_bytes())
    texts = " ".join(el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Overview: one box per stage" in texts


@needs_dot
def test_the_head_start_draws_what_the_validated_journey_draws(cli, samples_dir, tmp_path):
    from journeys.formats.registry import export

    doc = samples_dir / "report-a-road-defect.json"
    out = tmp_path / "road.svg"
    assert cli("render", doc, "-o", out).code == 0
    assert out.read_bytes() == export(load_document(doc.read_bytes()), "svg")


@needs_dot
def test_an_invalid_document_laid_out_early_writes_nothing(cli, samples_dir, tmp_path):
    data = json.loads((samples_dir / "register-a-birth.json").read_text())
    data["steps"][0]["level"] = 9  # readable as a journey, refused by validation
    doc = tmp_path / "bad.json"
    doc.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "bad.svg"
    result = cli("render", doc, "-o", out)
    assert result.code == 2 and "steps[0].level" in result.err
    assert not out.exists()
