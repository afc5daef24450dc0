"""Import then export gives the same content back: values, order, defaults written out."""

import copy
import json

from hypothesis import HealthCheck, given, settings

from journeys.domain.document import default_visibility
from journeys.domain.schemas import dump_document, load_data, load_document
from tests.strategies import valid_documents

STEP_DEFAULTS = {
    "channel": "web", "actor": "citizen", "level": None, "target_level": None, "emotion": None,
    "moment_of_truth": False, "effort_minutes": None, "wait_days": None, "checks": {},
    "pain_points": [], "ideas": [], "measure": None, "evidence": "assumed", "tags": [],
}
PAIN_DEFAULTS = {"category": "other", "severity": 2, "source": "team", "votes": 0}


def with_defaults(doc: dict) -> dict:
    """The document as the spec says an export writes it: every stated default present."""
    out = copy.deepcopy(doc)
    out.setdefault("state", "as-is")
    out.setdefault("transitions", [])
    if "persona" in out:
        out["persona"].setdefault("needs", [])
    for step in out["steps"]:
        for key, value in STEP_DEFAULTS.items():
            step.setdefault(key, copy.deepcopy(value))
        step.setdefault("visibility", default_visibility(step["actor"]))
        for pain in step["pain_points"]:
            for key, value in PAIN_DEFAULTS.items():
                pain.setdefault(key, value)
    for transition in out["transitions"]:
        transition.setdefault("kind", "flow")
    return out


def same_json(a, b) -> bool:
    """JSON values equal, numbers by value (2 == 2.0), but never a bool for a number."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()
                and all(same_json(a[k], b[k]) for k in a))
    if isinstance(a, list) or isinstance(b, list):
        return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                and all(same_json(x, y) for x, y in zip(a, b, strict=True)))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def contains(exported, original) -> bool:
    """Every key and value of ``original`` is in ``exported`` (lists item by item, in order)."""
    if isinstance(original, dict):
        return isinstance(exported, dict) and all(
            k in exported and contains(exported[k], v) for k, v in original.items()
        )
    if isinstance(original, list):
        return (isinstance(exported, list) and len(exported) == len(original)
                and all(contains(e, o) for e, o in zip(exported, original, strict=True)))
    return same_json(exported, original)


def export(raw) -> dict:
    return json.loads(dump_document(load_document(raw)))


def test_sample_export_is_the_sample_with_defaults(sample_path):
    sample = json.loads(sample_path.read_text(encoding="utf-8"))
    exported = export(sample_path.read_bytes())
    assert same_json(exported, with_defaults(sample))
    assert contains(exported, sample)
    for key in ("stages", "steps", "transitions"):
        assert [json.dumps(x, sort_keys=True) for x in exported[key]] == [
            json.dumps(x, sort_keys=True) for x in with_defaults(sample)[key]
        ]


def test_sample_check_answers_keep_their_form(sample_path):
    sample = json.loads(sample_path.read_text(encoding="utf-8"))
    exported = export(sample_path.read_bytes())
    for step, written in zip(sample["steps"], exported["steps"], strict=True):
        for cid, answer in step.get("checks", {}).items():
            assert type(written["checks"][cid]) is type(answer)
            assert written["checks"][cid] == answer


def test_export_is_a_fixed_point(sample_path):
    first = dump_document(load_document(sample_path.read_bytes()))
    second = dump_document(load_document(first))
    assert second == first
    assert load_document(first) == load_document(sample_path.read_bytes())


def test_dump_document_is_utf8_json_indented_with_final_newline():
    doc = {
        "format": "citizen-journey/1", "title": "Déclarer une naissance",
        "stages": [{"id": "a", "name": "Étape"}], "steps": [{"id": "s", "stage": "a",
                                                             "title": "Lit 😀"}],
    }
    data = dump_document(load_data(doc))
    assert isinstance(data, bytes)
    assert data.endswith(b"}\n")
    text = data.decode("utf-8")
    assert "Déclarer une naissance" in text and "😀" in text  # not \u-escaped
    assert text.startswith('{\n  "format": "citizen-journey/1",\n  "title"')


def test_whole_floats_are_exported_as_integers():
    doc = {
        "format": "citizen-journey/1", "title": "T", "stages": [{"id": "a", "name": "A"}],
        "steps": [{"id": "s", "stage": "a", "title": "S", "level": 2.0, "emotion": -1.0,
                   "effort_minutes": 2.5, "pain_points": [{"text": "p", "votes": 3.0}]}],
    }
    step = json.loads(dump_document(load_data(doc)))["steps"][0]
    assert step["level"] == 2 and type(step["level"]) is int
    assert step["emotion"] == -1 and type(step["emotion"]) is int
    assert step["pain_points"][0]["votes"] == 3 and type(step["pain_points"][0]["votes"]) is int
    assert step["effort_minutes"] == 2.5


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents())
def test_valid_documents_round_trip(doc):
    original = copy.deepcopy(doc)
    journey = load_data(doc)
    assert doc == original  # the input is not changed
    assert load_document(json.dumps(doc, ensure_ascii=False).encode("utf-8")) == journey
    data = dump_document(journey)
    assert load_document(data) == journey
    assert dump_document(load_document(data)) == data
    exported = json.loads(data)
    assert contains(exported, doc)
    assert same_json(exported, with_defaults(doc))


def test_edge_values_round_trip():
    raw = json.dumps({
        "format": "citizen-journey/1", "title": "a\tb " + "😀" * 195,
        "persona": {"name": "\u200b", "needs": []},
        "stages": [{"id": "same", "name": "S"}, {"id": "b" * 64, "name": "B"}],
        "steps": [
            {"id": "same", "stage": "same", "title": "T", "level": "@1e0@",
             "target_level": "@2.0000000000000001@", "emotion": "@-0.0@",
             "effort_minutes": "@-0.0@", "wait_days": "@1e300@", "measure": None,
             "checks": {"TRA-12": {"result": "n/a"}, "ACC-01": "n/a"},
             "pain_points": [{"text": "p", "severity": "@3.0@", "votes": "@0e5@"}]},
            {"id": "other", "stage": "b" * 64, "title": "U", "actor": "system",
             "visibility": "frontstage", "level": None},
        ],
        "transitions": [{"from": "other", "to": "other"}, {"from": "other", "to": "same"}],
    }, ensure_ascii=False).replace('"@', "").replace('@"', "")
    exported = export(raw.encode("utf-8"))
    doc = json.loads(raw)
    assert same_json(exported, with_defaults(doc))
    step = exported["steps"][0]
    assert (step["level"], step["target_level"], step["emotion"]) == (1, 2, 0)
    assert all(type(step[k]) is int for k in ("level", "target_level", "emotion"))
    assert step["checks"] == {"TRA-12": {"result": "n/a"}, "ACC-01": "n/a"}
    assert exported["title"] == "a\tb " + "😀" * 195
    assert dump_document(load_document(dump_document(load_document(raw)))) == dump_document(
        load_document(raw))
