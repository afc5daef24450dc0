"""Mermaid journey diagrams: export, import, and parsing by Mermaid itself (through node)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys.domain.schemas import load_data, load_document
from journeys.formats.mermaid import (
    MermaidError,
    mermaid_text,
    parse_mermaid,
    plain_text,
    read_mermaid,
    score,
    to_mermaid,
)
from tests.factories import make_journey

ROOT = Path(__file__).resolve().parents[3]
PARSER = ROOT / "tests" / "mermaid_parse.mjs"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")

needs_mermaid = pytest.mark.skipif(
    shutil.which("node") is None
    or not all((ROOT / "node_modules" / p).is_dir() for p in ("mermaid", "jsdom")),
    reason="node or node_modules (mermaid, jsdom) is absent: run 'npm install' in the "
    "repository root",
)

HOSTILE = [
    'Quote "x" \'y\'', "back\\slash \\N", "<script>alert(1)</script>",
    '"]; x [URL="javascript:alert(1)"]', "new\nline", "עברית \u202eevil", "emoji 😀👍🏽",
    "Title deeds are checked", "section two", "Journey planner opens", "%% comment",
    "a%%b", "50% off", "colon: here; semi # hash", "accDescr { x", "accTitle: y",
    "=1+2", "}", "{", "---", "x:5: y", "tab\there", "%%{init: {}}%%",
]


def mermaid_read(*texts: str, tmp_path: Path) -> list[dict]:
    """What Mermaid itself reads from each text: title, sections and tasks."""
    files = []
    for n, text in enumerate(texts):
        f = tmp_path / f"diagram-{n}.mmd"
        f.write_text(text, encoding="utf-8")
        files.append(str(f))
    done = subprocess.run(["node", str(PARSER), "--json", *files], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def sample(samples_dir, name):
    return load_document((samples_dir / f"{name}.json").read_bytes())


def test_export_of_a_sample(samples_dir):
    assert to_mermaid(sample(samples_dir, "register-a-birth")) == (
        "journey\n"
        "  title Register a birth\n"
        "  section Prepare\n"
        "    Learns from the midwife that the birth must be registered: 4: Frontline staff, "
        "Counter\n"
        "    Reads what to bring: 3: Citizen, Web\n"
        "  section Book\n"
        "    Books an appointment online: 3: Citizen, Web\n"
        "  section Attend\n"
        "    Registers the birth with the registrar: 5: Frontline staff, Counter\n"
        "  section Receive\n"
        "    Pays for certificate copies: 3: Citizen, Counter\n"
        "    Takes the birth certificate home: 4: Citizen, Counter\n"
    )


def test_tasks_are_the_citizen_facing_steps_in_document_order(samples_dir):
    text = to_mermaid(sample(samples_dir, "report-a-road-defect"))
    assert "Inspector triages" not in text and "Contractor repairs" not in text
    assert "  section Repair\n  section Close\n" in text  # a stage with backstage steps only
    assert "Told the road belongs to another authority: 1: Back office, Email" in text


@pytest.mark.parametrize(("actor", "channel", "people"), [
    ("frontline", "partner", "Frontline staff, Partner channel"),
    ("partner", "none", "Partner, No contact"),
    ("back-office", "home-visit", "Back office, Home visit"),
    ("system", "sms", "System, SMS"),
    ("citizen", "web", "Citizen, Web"),
])
def test_actor_and_channel_labels_and_their_import(actor, channel, people):
    journey = make_journey(steps=[{"id": "s1", "actor": actor, "channel": channel,
                                   "visibility": "frontstage"}])
    assert f"\n    Step s1: 3: {people}\n" in to_mermaid(journey)
    step = parse_mermaid(to_mermaid(journey))["steps"][0]
    assert (step.get("actor"), step.get("channel")) == (actor, channel)


@pytest.mark.parametrize(("emotion", "expected"), [(-2, 1), (-1, 2), (0, 3), (1, 4), (2, 5),
                                                   (None, 3)])
def test_score_maps_emotion_to_one_to_five(emotion, expected):
    assert score(emotion) == expected


def test_names_never_hold_what_mermaid_would_read():
    for text in HOSTILE:
        name = mermaid_text(text, task=True)
        assert not re.search(r"[:;#%\n\r]", name), name
        assert not re.match(r"(journey|title\s|section\s|acc)", name, re.I)


# --- import -----------------------------------------------------------------------------


def test_import_reads_sections_tasks_scores_and_actors():
    doc = parse_mermaid(
        "%%{init: {'theme': 'base'}}%%\n"
        "journey\n"
        "  title My day\n"
        "  accTitle: for screen readers\n"
        "  section Go to work\n"
        "    Make tea: 5: Me, Cat\n"
        "    Call the office: 1: Frontline staff, Phone\n"
        "  %% a comment\n"
        "  section Go to work\n"
        "    Make tea: 3\n"
    )
    assert load_data(doc)  # a valid citizen-journey/1 document
    assert doc["title"] == "My day"
    assert doc["stages"] == [{"id": "go-to-work", "name": "Go to work"},
                             {"id": "go-to-work-2", "name": "Go to work"}]
    steps = doc["steps"]
    assert [s["id"] for s in steps] == ["make-tea", "call-the-office", "make-tea-2"]
    assert [s["emotion"] for s in steps] == [2, -2, 0]
    assert steps[1]["actor"] == "frontline" and steps[1]["channel"] == "phone"
    assert "actor" not in steps[0] and "channel" not in steps[0]
    assert steps[0]["description"] == "People in the Mermaid diagram: Me, Cat"
    assert doc["transitions"] == [
        {"from": "make-tea", "to": "call-the-office", "kind": "flow"},
        {"from": "call-the-office", "to": "make-tea-2", "kind": "flow"},
    ]


def test_import_keeps_tasks_citizen_facing_and_within_limits():
    doc = parse_mermaid(
        f"journey\n  section {'S' * 150}\n    {'T' * 300}: 5: System\n    😀: 1: Me\n")
    journey = load_data(doc)
    assert journey.steps[0].visibility == "frontstage" and journey.steps[0].actor == "system"
    assert len(journey.stages[0].name) == 100 and len(journey.steps[0].title) == 200
    assert journey.steps[0].emotion == 2 and journey.steps[1].emotion == -2
    assert journey.steps[1].id == "step" and journey.title == "Journey imported from Mermaid"


def test_import_takes_the_title_from_front_matter():
    doc = parse_mermaid("---\ntitle: From the top\n---\njourney\n  section A\n    t: 3\n")
    assert doc["title"] == "From the top"


@pytest.mark.parametrize(("text", "message"), [
    ("", "line 1: the text is empty"),
    ("flowchart LR\n  a --> b\n", "line 1: a Mermaid journey diagram starts with 'journey'"),
    ("journey\n  title x\n  section A\n    no colon here\n", "line 4: expected a task"),
    ("journey\n  section A\n    Task: lots: Me\n", "line 3: the score of a task is a whole number"),
    ("journey\n  section A\n    Task: seven: Me\n", "line 3: the score of a task is a whole"),
    ("journey\n  section A\n    Task: 2.5: Me\n", "from 1 (very unhappy) to 5 (delighted)"),
    ("journey\n  section A\n    Task 3: Me\n", "not 'Me' (a task reads 'name: score: actors')"),
    ("journey\n  title x\n  section A\n", "line 4: the diagram has no tasks"),
    ("---\ntitle: x\njourney\n", "line 1: the front matter"),
])
def test_import_errors_name_the_line(text, message):
    with pytest.raises(MermaidError, match=re.escape(message)):
        parse_mermaid(text)


@pytest.mark.parametrize(("raw", "read"), [("0", 1), ("6", 5), ("9", 5), ("-2", 1),
                                            ("+12", 5), ("000", 1)])
def test_scores_outside_one_to_five_are_clamped_with_a_warning_naming_the_line(raw, read):
    result = read_mermaid(f"journey\n  section A\n    Fine: 4: Me\n    Odd: {raw}: Me\n")
    assert [s["emotion"] for s in result.document["steps"]] == [1, read - 3]
    assert result.warnings == [f"line 4: the score {raw} is outside 1–5; read as {read}"]
    load_data(result.document)


def test_scores_within_one_to_five_give_no_warning():
    assert read_mermaid("journey\n  section A\n    T: 5: Me\n    U: 1\n").warnings == []


def test_more_tasks_than_steps_allowed_are_refused_at_the_first_one_too_many():
    # 20,000 tasks with the same name: refused at task 2,001, not after making ids for all.
    text = "journey\n  section A\n" + "    Step: 3: Me\n" * 20_000
    with pytest.raises(MermaidError, match=r"^line 2003: more than 2,000 tasks; a journey has "
                                           r"at most 2,000 steps$"):
        parse_mermaid(text)


def test_more_sections_than_stages_allowed_are_refused():
    text = "journey\n" + "  section S\n    T: 3\n" * 201
    with pytest.raises(MermaidError, match=r"^line 402: more than 200 sections"):
        parse_mermaid(text)


def test_many_tasks_of_one_name_get_unique_ids_in_order():
    text = "journey\n  section A\n" + "    Step: 3\n" * 2_000
    ids = [s["id"] for s in parse_mermaid(text)["steps"]]
    assert ids[:3] == ["step", "step-2", "step-3"] and ids[-1] == "step-2000"
    assert len(set(ids)) == 2_000
    assert len(load_data(parse_mermaid(text)).steps) == 2_000


def test_ids_stay_unique_when_a_title_looks_like_a_numbered_id():
    text = "journey\n  section A\n    Step 2: 3\n    Step: 3\n    Step: 3\n    Step 3: 3\n"
    ids = [s["id"] for s in parse_mermaid(text)["steps"]]
    assert len(set(ids)) == 4 and ids[0] == "step-2"


INVISIBLE_LEADS = ["\ufeff", "\u200b", "\u2060", "\u00a0", "\u200e", "\u3000", "\ufeff\u200b"]


@pytest.mark.parametrize("lead", INVISIBLE_LEADS)
@pytest.mark.parametrize("keyword", ["title", "section", "journey", "accTitle", "Title"])
def test_an_invisible_character_before_a_keyword_is_guarded_as_white_space(lead, keyword):
    name = mermaid_text(f"{lead}{keyword} of the task", task=True)
    assert name == f"\u200b{keyword} of the task"


def test_a_keyword_followed_by_a_byte_order_mark_is_guarded():
    assert mermaid_text("title\ufeffx", task=True).startswith("\u200b")
    assert mermaid_text("journeyé", task=True).startswith("\u200b")


def test_angle_brackets_are_written_as_look_alikes_and_read_back():
    journey = make_journey(title="Fees <10 and <b>bold</b> <more")
    text = to_mermaid(journey)
    assert "<" not in text and ">" not in text
    assert parse_mermaid(text)["title"] == "Fees <10 and <b>bold</b> <more"


def test_round_trip_of_hostile_titles():
    journey = make_journey(
        title=HOSTILE[3],
        stages=[{"id": "a", "name": HOSTILE[13]}, {"id": "b", "name": HOSTILE[7]}],
        steps=[{"id": f"s{i}", "title": t, "stage": "ab"[i % 2], "emotion": i % 5 - 2}
               for i, t in enumerate(HOSTILE)],
    )
    doc = parse_mermaid(to_mermaid(journey))
    back = load_data(doc)
    assert back.title == journey.title
    assert [s.name for s in back.stages] == [s.name for s in journey.stages]
    by_stage = [s for st_ in journey.stages for s in journey.steps if s.stage == st_.id]
    assert [s.title for s in back.steps] == [" ".join(s.title.split()) for s in by_stage]
    assert [s.emotion for s in back.steps] == [s.emotion for s in by_stage]


names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60).filter(
    str.strip)


@given(st.lists(names, min_size=1, max_size=8), st.lists(names, min_size=1, max_size=3), names)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_import_of_an_export_is_a_valid_document_with_the_same_names(titles, stages, title):
    journey = make_journey(
        title=title,
        stages=[{"id": f"st{k}", "name": n} for k, n in enumerate(stages)],
        steps=[{"id": f"s{i}", "title": t, "stage": f"st{i % len(stages)}"}
               for i, t in enumerate(titles)],
    )
    doc = parse_mermaid(to_mermaid(journey))
    back = load_data(doc)
    assert all(SLUG.fullmatch(s.id) for s in back.steps + back.stages)
    assert [s.name for s in back.stages] == [_shown(s.name) for s in journey.stages]
    in_order = [s for stage in journey.stages for s in journey.steps if s.stage == stage.id]
    assert [s.title for s in back.steps] == [_shown(s.title) for s in in_order]


def _shown(text: str) -> str:
    """A name as it comes back from Mermaid: one line, surrounding white space gone."""
    return plain_text(mermaid_text(text))


# --- Mermaid itself ---------------------------------------------------------------------


@needs_mermaid
def test_both_samples_parse_in_mermaid_and_come_back_the_same(samples_dir, tmp_path):
    journeys = [sample(samples_dir, n) for n in ("register-a-birth", "report-a-road-defect")]
    texts = [to_mermaid(j) for j in journeys]
    for journey, text, seen in zip(journeys, texts, mermaid_read(*texts, tmp_path=tmp_path),
                                   strict=True):
        assert seen["type"] == "journey" and seen["title"] == journey.title
        assert seen["sections"] == [s.name for s in journey.stages]
        facing = [s for st_ in journey.stages for s in journey.steps
                  if s.stage == st_.id and s.citizen_facing]
        assert [t["task"] for t in seen["tasks"]] == [s.title for s in facing]
        assert [t["score"] for t in seen["tasks"]] == [score(s.emotion) for s in facing]
        back = load_data(parse_mermaid(text))
        assert [s.name for s in back.stages] == [s.name for s in journey.stages]
        assert [s.title for s in back.steps] == [s.title for s in facing]


@needs_mermaid
def test_invisible_characters_and_angle_brackets_survive_mermaid_itself(tmp_path):
    titles = [f"{lead}{kw} {n}" for n, lead in enumerate(INVISIBLE_LEADS)
              for kw in ("title", "section", "journey")]
    journey = make_journey(
        title="Fees <10 and <b>bold</b> <more & less",
        steps=[{"id": f"s{i}", "title": t} for i, t in enumerate(titles)])
    text = to_mermaid(journey)
    (seen,) = mermaid_read(text, tmp_path=tmp_path)
    assert plain_text(seen["title"]) == "Fees <10 and <b>bold</b> <more & less"
    assert [plain_text(t["task"]) for t in seen["tasks"]] == [_shown(t) for t in titles]
    assert seen["sections"] == ["First", "Second"]


@needs_mermaid
def test_imported_keywords_after_a_byte_order_mark_are_read_as_mermaid_reads_them(tmp_path):
    text = "journey\n  \ufefftitle Hidden title\n  section A\n    \ufeffsection B\n    T: 3\n"
    (seen,) = mermaid_read(text, tmp_path=tmp_path)
    doc = parse_mermaid(text)
    assert doc["title"] == seen["title"] == "Hidden title"
    assert [s["name"] for s in doc["stages"]] == seen["sections"] == ["A", "B"]


@needs_mermaid
def test_mermaid_rejects_what_it_cannot_parse(tmp_path):
    bad = tmp_path / "bad.mmd"
    bad.write_text("journey\n  section A\n    x # y: 3: Me\n")
    done = subprocess.run(["node", str(PARSER), str(bad)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 1 and "Parse error on line 3" in done.stderr


@needs_mermaid
def test_hostile_names_parse_in_mermaid_as_literal_text(tmp_path):
    journey = make_journey(
        title=HOSTILE[13],
        stages=[{"id": "a", "name": HOSTILE[13]}, {"id": "b", "name": HOSTILE[10]}],
        steps=[{"id": f"s{i}", "title": t, "stage": "ab"[i % 2]} for i, t in enumerate(HOSTILE)],
    )
    text = to_mermaid(journey)
    (seen,) = mermaid_read(text, tmp_path=tmp_path)
    assert len(seen["tasks"]) == len(HOSTILE)
    assert plain_text(seen["title"]) == HOSTILE[13]
    assert [plain_text(t["task"]) for t in seen["tasks"]] == [
        _shown(s.title) for st_ in journey.stages for s in journey.steps if s.stage == st_.id]


@needs_mermaid
@given(st.lists(st.lists(names, min_size=4, max_size=4), min_size=12, max_size=12))
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_names_parse_in_mermaid(batches):
    import tempfile

    journeys = [make_journey(
        title=b[0], stages=[{"id": "a", "name": b[1]}],
        steps=[{"id": "s1", "stage": "a", "title": b[2]}, {"id": "s2", "stage": "a",
                                                           "title": b[3]}],
    ) for b in batches]
    with tempfile.TemporaryDirectory() as tmp:
        seen = mermaid_read(*(to_mermaid(j) for j in journeys), tmp_path=Path(tmp))
    for journey, diagram in zip(journeys, seen, strict=True):
        assert plain_text(diagram["sections"][0]) == _shown(journey.stages[0].name)
        assert [plain_text(t["task"]) for t in diagram["tasks"]] == [
            _shown(s.title) for s in journey.steps]
