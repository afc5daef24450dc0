"""Every rule of journey-format.md: a document breaking it is refused at the right path."""

import copy
import json
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys.domain import document, schemas
from journeys.domain.document import (
    ACTORS,
    CHANNELS,
    CHECK_RESULTS,
    EVIDENCE,
    PAIN_CATEGORIES,
    PAIN_SOURCES,
    SERVICE_TYPES,
    STATES,
    TRANSITION_KINDS,
    VISIBILITIES,
    CheckAnswer,
    Journey,
    PainPoint,
)
from journeys.domain.schemas import DocumentError, dump_document, load_data, load_document

DROP = object()


def full() -> dict:
    """A valid document that uses every key of the format at least once.

    Stage ``wait`` holds no step and step ``notify`` is in no transition, so their ids can
    be changed without breaking a reference.
    """
    return {
        "format": "citizen-journey/1",
        "title": "Apply for a disabled parking permit",
        "service": "Parking permits",
        "service_type": "regulation",
        "organization": "Northvale City Council",
        "persona": {"name": "Ana", "description": "Uses a wheelchair", "needs": ["park close"]},
        "state": "as-is",
        "reviewed_on": "2026-06-01",
        "stages": [
            {"id": "find", "name": "Find out", "description": "Learns about the permit"},
            {"id": "apply", "name": "Apply"},
            {"id": "wait", "name": "Wait for decision"},
        ],
        "steps": [
            {
                "id": "read", "stage": "find", "title": "Reads the guidance",
                "description": "On the council site", "channel": "web", "actor": "citizen",
                "agency": "Northvale City Council", "visibility": "frontstage", "level": 2,
                "target_level": 3, "emotion": 0, "moment_of_truth": False,
                "effort_minutes": 8, "wait_days": 0,
                "checks": {"ACC-06": "pass",
                           "TRA-02": {"result": "partial", "note": "evidence list unclear"}},
                "pain_points": [{"text": "Jargon", "category": "confusion", "severity": 2,
                                 "source": "citizen", "votes": 1}],
                "ideas": ["Plain-language rewrite"], "measure": "page survey",
                "evidence": "observed", "tags": ["personal-data"],
            },
            {"id": "submit", "stage": "apply", "title": "Submits the form"},
            {"id": "review", "stage": "apply", "title": "Officer reviews",
             "actor": "back-office"},
            {"id": "notify", "stage": "apply", "title": "Is told the outcome", "channel": "letter"},
        ],
        "transitions": [
            {"from": "read", "to": "submit", "label": "eligible", "kind": "flow"},
            {"from": "submit", "to": "review"},
        ],
    }


def minimal() -> dict:
    return {
        "format": "citizen-journey/1", "title": "T",
        "stages": [{"id": "a", "name": "A"}],
        "steps": [{"id": "s", "stage": "a", "title": "S"}],
    }


def parts(path: str) -> list:
    return [int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]


def changed(path: str, value, doc: dict | None = None) -> dict:
    """A copy of ``doc`` (default: full()) with ``value`` at ``path`` (DROP removes the key)."""
    doc = copy.deepcopy(doc) if doc is not None else full()
    *head, last = parts(path)
    node = doc
    for p in head:
        node = node[p]
    if value is DROP:
        del node[last]
    elif isinstance(node, list) and last == len(node):
        node.append(value)
    else:
        node[last] = value
    return doc


def problems(doc=None, raw=None) -> list[tuple[str, str]]:
    with pytest.raises(DocumentError) as info:
        if raw is not None:
            load_document(raw)
        else:
            load_data(doc)
    return info.value.problems


def paths(doc=None, raw=None) -> list[str]:
    return [p for p, _ in problems(doc, raw)]


def refused_at(doc, *expected: str) -> None:
    """The document is refused with exactly these problem paths (and the raw form too)."""
    assert paths(doc) == list(expected)
    assert paths(raw=json.dumps(doc).encode()) == list(expected)


def test_full_and_minimal_documents_load():
    assert isinstance(load_data(full()), Journey)
    assert isinstance(load_data(minimal()), Journey)
    assert isinstance(load_document(json.dumps(full())), Journey)


def test_samples_load(sample_path):
    journey = load_document(sample_path.read_bytes())
    assert journey.title and journey.steps and journey.stages


# --- required keys ----------------------------------------------------------------------

REQUIRED = [
    ("title", ["title"]),
    ("stages", ["stages"]),
    ("steps", ["steps"]),
    ("persona.name", ["persona.name"]),
    ("stages[2].id", ["stages[2].id"]),
    ("stages[0].name", ["stages[0].name"]),
    ("steps[3].id", ["steps[3].id"]),
    ("steps[0].stage", ["steps[0].stage"]),
    ("steps[0].title", ["steps[0].title"]),
    ("steps[0].pain_points[0].text", ["steps[0].pain_points[0].text"]),
    ("steps[0].checks.TRA-02.result", ["steps[0].checks.TRA-02.result"]),
    ("transitions[0].from", ["transitions[0].from"]),
    ("transitions[0].to", ["transitions[0].to"]),
    # A stage or step without its id also leaves the references to it dangling.
    ("stages[0].id", ["stages[0].id", "steps[0].stage"]),
    ("steps[0].id", ["steps[0].id", "transitions[0].from"]),
]


@pytest.mark.parametrize(("path", "expected"), REQUIRED)
def test_required_key_missing(path, expected):
    doc = changed(path, DROP)
    refused_at(doc, *expected)
    assert "missing" in dict(problems(doc))[path]


OPTIONAL = [
    "service", "service_type", "organization", "persona", "state", "reviewed_on",
    "transitions", "persona.description", "persona.needs", "stages[0].description",
    *(f"steps[0].{k}" for k in (
        "description", "channel", "actor", "agency", "visibility", "level", "target_level",
        "emotion", "moment_of_truth", "effort_minutes", "wait_days", "checks", "pain_points",
        "ideas", "measure", "evidence", "tags")),
    *(f"steps[0].pain_points[0].{k}" for k in ("category", "severity", "source", "votes")),
    "transitions[0].label", "transitions[0].kind", "steps[0].checks.TRA-02.note",
]


@pytest.mark.parametrize("path", OPTIONAL)
def test_optional_key_may_be_left_out(path):
    assert isinstance(load_data(changed(path, DROP)), Journey)


# --- format -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    DROP, "citizen-journey/2", "citizen-journey/1.0", "Citizen-Journey/1", "citizen-journey",
    "", 1, None, ["citizen-journey/1"], {"v": 1},
])
def test_wrong_or_missing_format_is_the_one_message(value):
    doc = changed("format", value)
    doc["title"] = ""  # another problem, which must not be reported
    doc["colour"] = "red"
    for found in (problems(doc), problems(raw=json.dumps(doc))):
        assert len(found) == 1
        path, message = found[0]
        assert path == "format"
        assert "citizen-journey/1" in message
    with pytest.raises(DocumentError) as info:
        load_data(doc)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("format: ")


@pytest.mark.parametrize("value", [[], "x", 1, None, True, [minimal()]])
def test_not_an_object_is_not_a_journey_document(value):
    assert paths(value) == ["$"]
    assert paths(raw=json.dumps(value)) == ["$"]


# --- enums -------------------------------------------------------------------------------

ENUMS = [
    ("service_type", SERVICE_TYPES),
    ("state", STATES),
    ("steps[0].channel", CHANNELS),
    ("steps[0].actor", ACTORS),
    ("steps[0].visibility", VISIBILITIES),
    ("steps[0].evidence", EVIDENCE),
    ("steps[0].pain_points[0].category", PAIN_CATEGORIES),
    ("steps[0].pain_points[0].source", PAIN_SOURCES),
    ("transitions[0].kind", TRANSITION_KINDS),
    ("steps[0].checks.ACC-06", CHECK_RESULTS),
    ("steps[0].checks.TRA-02.result", CHECK_RESULTS),
]


def test_enums_are_the_spec_values():
    assert SERVICE_TYPES == ("protection", "regulation", "conservation", "welfare", "commercial")
    assert STATES == ("as-is", "to-be")
    assert CHANNELS == ("web", "app", "email", "sms", "phone", "letter", "counter",
                        "home-visit", "kiosk", "video", "chat", "partner", "none")
    assert ACTORS == ("citizen", "frontline", "back-office", "partner", "system")
    assert VISIBILITIES == ("frontstage", "backstage")
    assert EVIDENCE == ("observed", "reported", "data", "assumed")
    assert PAIN_CATEGORIES == ("waiting", "effort", "confusion", "access", "cost", "trust",
                               "repetition", "emotional", "other")
    assert PAIN_SOURCES == ("team", "citizen", "data")
    assert TRANSITION_KINDS == ("flow", "alternative", "failure", "rework")
    assert CHECK_RESULTS == ("pass", "fail", "partial", "n/a")


@pytest.mark.parametrize(("path", "value"), [(p, v) for p, vs in ENUMS for v in vs])
def test_every_enum_value_is_accepted(path, value):
    assert isinstance(load_data(changed(path, value)), Journey)


@pytest.mark.parametrize("path", [p for p, _ in ENUMS])
@pytest.mark.parametrize("value", ["fax", "", "WEB", " as-is", 1, True, ["web"]])
def test_enum_refuses_other_values(path, value):
    refused_at(changed(path, value), path)


def test_enum_message_names_the_choices():
    [(path, message)] = problems(changed("steps[0].channel", "fax"))
    assert path == "steps[0].channel"
    assert message == '"fax" is not one of ' + ", ".join(CHANNELS)


# --- text ---------------------------------------------------------------------------------

TEXTS = [
    ("title", 200), ("service", 200), ("organization", 200), ("persona.name", 100),
    ("persona.description", 2000), ("persona.needs[0]", 200), ("stages[0].name", 100),
    ("stages[0].description", 2000), ("steps[0].title", 200), ("steps[0].description", 5000),
    ("steps[0].agency", 200), ("steps[0].measure", 200), ("steps[0].ideas[0]", 500),
    ("steps[0].tags[0]", 50), ("steps[0].pain_points[0].text", 1000),
    ("transitions[0].label", 200), ("steps[0].checks.TRA-02.note", 1000),
]


@pytest.mark.parametrize(("path", "limit"), TEXTS)
def test_text_at_its_limit_is_accepted_counting_code_points(path, limit):
    # U+1D11E is one code point but two UTF-16 units and four UTF-8 bytes.
    assert isinstance(load_data(changed(path, "𝄞" * limit)), Journey)
    assert isinstance(load_document(json.dumps(changed(path, "é" * limit))), Journey)


@pytest.mark.parametrize(("path", "limit"), TEXTS)
def test_text_over_its_limit_is_refused(path, limit):
    refused_at(changed(path, "x" * (limit + 1)), path)
    refused_at(changed(path, "𝄞" * (limit + 1)), path)


@pytest.mark.parametrize("path", [p for p, _ in TEXTS])
@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\u00a0\u2003", "\u3000", "\r\x0b\x0c"])
def test_text_of_only_white_space_is_refused(path, blank):
    refused_at(changed(path, blank), path)


def test_text_with_a_non_white_space_character_is_accepted():
    # U+200B ZERO WIDTH SPACE is not white space for str.strip().
    assert load_data(changed("title", " \u200b ")).title == " \u200b "
    assert load_data(changed("title", "  padded  ")).title == "  padded  "


@pytest.mark.parametrize("path", [p for p, _ in TEXTS])
@pytest.mark.parametrize("value", [5, True, ["x"], {"x": 1}])
def test_text_refuses_other_types(path, value):
    refused_at(changed(path, value), path)


def test_title_of_100000_characters_is_refused_with_a_short_message():
    doc = changed("title", "x" * 100_000)
    refused_at(doc, "title")
    with pytest.raises(DocumentError) as info:
        load_data(doc)
    assert len(str(info.value)) < 300
    assert "200" in str(info.value)


# --- ids ----------------------------------------------------------------------------------

ID_PATHS = ["stages[2].id", "steps[3].id"]


@pytest.mark.parametrize("path", ID_PATHS)
@pytest.mark.parametrize("value", ["a", "0", "a" * 64, "a-", "9-x", "x--y"])
def test_valid_ids(path, value):
    assert isinstance(load_data(changed(path, value)), Journey)


@pytest.mark.parametrize("path", ID_PATHS)
@pytest.mark.parametrize("value", [
    "", "A", "-a", "a_b", "a" * 65, "é", "a b", " a", "a\n", "ａ", 5, True, None, ["a"],
])
def test_invalid_ids(path, value):
    refused_at(changed(path, value), path)


# --- numbers ------------------------------------------------------------------------------

WHOLE = [  # path, low, high (None: no upper bound), null allowed
    ("steps[0].level", 1, 4, True),
    ("steps[0].target_level", 1, 4, True),
    ("steps[0].emotion", -2, 2, True),
    ("steps[0].pain_points[0].severity", 1, 3, False),
    ("steps[0].pain_points[0].votes", 0, None, False),
]
AMOUNTS = ["steps[0].effort_minutes", "steps[0].wait_days"]
NUMBERS = [p for p, *_ in WHOLE] + AMOUNTS


def value_at(journey: Journey, path: str):
    node = journey
    for p in parts(path):
        if isinstance(p, int):
            node = node[p]
        elif isinstance(node, dict):
            node = node[p]
        else:
            node = getattr(node, p)
    return node


@pytest.mark.parametrize(("path", "low", "high", "nullable"), WHOLE)
def test_whole_number_bounds(path, low, high, nullable):
    for ok in (low, high if high is not None else 10**6):
        assert value_at(load_data(changed(path, ok)), path) == ok
    refused_at(changed(path, low - 1), path)
    if high is not None:
        refused_at(changed(path, high + 1), path)


@pytest.mark.parametrize(("path", "low", "high", "nullable"), WHOLE)
def test_whole_float_is_read_as_an_integer(path, low, high, nullable):
    value = value_at(load_data(changed(path, float(low + 1))), path)
    assert value == low + 1 and type(value) is int
    value = value_at(load_document(json.dumps(changed(path, float(low)))), path)
    assert value == low and type(value) is int


@pytest.mark.parametrize(("path", "low", "high", "nullable"), WHOLE)
@pytest.mark.parametrize("offset", [0.5, 0.001])
def test_fractional_number_is_refused_where_an_integer_is_expected(path, low, high, nullable,
                                                                    offset):
    refused_at(changed(path, low + offset), path)


@pytest.mark.parametrize("path", NUMBERS)
@pytest.mark.parametrize("value", [True, False, "2", "", [1], {"n": 1}])
def test_number_refuses_booleans_and_other_types(path, value):
    refused_at(changed(path, value), path)


@pytest.mark.parametrize("path", NUMBERS)
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), 10**400])
def test_number_must_be_finite(path, value):
    assert paths(changed(path, value)) == [path]


@pytest.mark.parametrize("path", AMOUNTS)
def test_amounts(path):
    for ok in (0, 0.0, 2.5, 3, 10**9, 1e300):
        value = value_at(load_data(changed(path, ok)), path)
        assert value == ok and type(value) is type(ok)
    for bad in (-1, -0.5, -1e-9):
        refused_at(changed(path, bad), path)


NULLABLE = [p for p, *_, n in WHOLE if n] + AMOUNTS + ["steps[0].measure"]
NOT_NULLABLE = [
    "title", "service", "service_type", "organization", "persona", "state", "reviewed_on",
    "stages", "steps", "transitions", "persona.name", "persona.description", "persona.needs",
    "persona.needs[0]", "stages[0]", "stages[2].id", "stages[0].name", "stages[0].description",
    "steps[0]", "steps[3].id", "steps[0].stage", "steps[0].title", "steps[0].description",
    "steps[0].channel", "steps[0].actor", "steps[0].agency", "steps[0].visibility",
    "steps[0].moment_of_truth", "steps[0].checks", "steps[0].checks.ACC-06",
    "steps[0].checks.TRA-02.result", "steps[0].checks.TRA-02.note", "steps[0].pain_points",
    "steps[0].pain_points[0]", "steps[0].pain_points[0].text",
    "steps[0].pain_points[0].category", "steps[0].pain_points[0].severity",
    "steps[0].pain_points[0].source", "steps[0].pain_points[0].votes", "steps[0].ideas",
    "steps[0].ideas[0]", "steps[0].evidence", "steps[0].tags", "steps[0].tags[0]",
    "transitions[0]", "transitions[0].from", "transitions[0].to", "transitions[0].label",
    "transitions[0].kind",
]


@pytest.mark.parametrize("path", NULLABLE)
def test_null_is_accepted_where_the_type_says_or_null(path):
    assert value_at(load_data(changed(path, None)), path) is None


# A stage or step that is not there leaves the references to its id dangling.
CASCADE = {"stages[0]": ["steps[0].stage"], "steps[0]": ["transitions[0].from"]}


@pytest.mark.parametrize("path", NOT_NULLABLE)
def test_null_is_refused_elsewhere(path):
    refused_at(changed(path, None), path, *CASCADE.get(path, []))


def test_null_message_says_what_was_expected():
    [(path, message)] = problems(changed("steps[0].channel", None))
    assert path == "steps[0].channel"
    assert "null" in message and "web" in message


# --- booleans -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False])
def test_moment_of_truth_is_a_boolean(value):
    assert load_data(changed("steps[0].moment_of_truth", value)).steps[0].moment_of_truth is value


@pytest.mark.parametrize("value", [1, 0, "true", "false", 1.0])
def test_moment_of_truth_refuses_other_types(value):
    refused_at(changed("steps[0].moment_of_truth", value), "steps[0].moment_of_truth")


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2024-02-29", "2999-12-31", "0001-01-01", "2026-06-01"])
def test_real_dates_are_accepted_future_included(value):
    assert load_data(changed("reviewed_on", value)).reviewed_on == date.fromisoformat(value)


@pytest.mark.parametrize("value", [
    "2023-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
    "0000-01-01", "2026-6-1", "20260601", "2026-06-01T00:00:00", " 2026-06-01", "2026/06/01",
    "2026-W22-1", "٢٠٢٦-٠٦-٠١", "", 20260601, True, ["2026-06-01"],
])
def test_invalid_dates_are_refused(value):
    refused_at(changed("reviewed_on", value), "reviewed_on")


# --- lists and objects --------------------------------------------------------------------


@pytest.mark.parametrize(("path", "value"), [
    ("stages", []), ("steps", []), ("stages", {}), ("steps", "s"), ("transitions", {}),
    ("persona", "Ana"), ("persona", []), ("persona.needs", "park"), ("steps[0]", "read"),
    ("steps[0]", ["read"]), ("stages[0]", 1), ("transitions[0]", ["read", "submit"]),
    ("steps[0].checks", []), ("steps[0].checks", "pass"), ("steps[0].pain_points", {}),
    ("steps[0].pain_points[0]", "Jargon"), ("steps[0].ideas", "idea"), ("steps[0].tags", "x"),
    ("steps[0].tags[0]", ["x"]), ("persona.needs[0]", {"n": 1}),
])
def test_wrong_container_types(path, value):
    refused_at(changed(path, value), path, *CASCADE.get(path, []))


def test_empty_transitions_are_accepted():
    assert load_data(changed("transitions", [])).transitions == []


def test_stage_without_steps_is_accepted():
    assert [s.id for s in load_data(full()).stages] == ["find", "apply", "wait"]


# --- unknown keys -------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "colour", "Title", "persona.nickname", "stages[0].title", "steps[0].name",
    "steps[0].visiblity", "steps[0].pain_points[0].note", "transitions[0].condition",
    "transitions[0].source", "steps[0].checks.TRA-02.comment",
])
def test_unknown_keys_are_refused_at_every_level(path):
    doc = changed(path, "x")
    refused_at(doc, path)
    assert "unknown key" in dict(problems(doc))[path]


def test_unknown_key_with_odd_characters_gets_a_quoted_path():
    doc = full()
    doc["steps"][0]["a.b c"] = 1
    assert paths(doc) == ['steps[0]["a.b c"]']


# --- checks -------------------------------------------------------------------------------


@pytest.mark.parametrize("check_id", ["ACC-13", "acc-01", "ACC-1", "TRA-00", "XYZ-01", "ACC01"])
def test_unknown_check_id_is_refused(check_id):
    path = f"steps[0].checks.{check_id}"
    doc = changed(path, "pass")
    refused_at(doc, path)
    assert "check id" in dict(problems(doc))[path]


def test_every_catalogue_check_id_is_accepted():
    from journeys.domain.checks import CHECKS

    assert len(CHECKS) == 24
    doc = changed("steps[0].checks", dict.fromkeys(CHECKS, "n/a"))
    assert list(load_data(doc).steps[0].checks) == list(CHECKS)


@pytest.mark.parametrize(("value", "path"), [
    ("ok", "steps[0].checks.TRA-02"),
    ("PASS", "steps[0].checks.TRA-02"),
    ("", "steps[0].checks.TRA-02"),
    (1, "steps[0].checks.TRA-02"),
    (True, "steps[0].checks.TRA-02"),
    (["pass"], "steps[0].checks.TRA-02"),
    ({}, "steps[0].checks.TRA-02.result"),
    ({"note": "why"}, "steps[0].checks.TRA-02.result"),
    ({"result": "ok"}, "steps[0].checks.TRA-02.result"),
    ({"result": None}, "steps[0].checks.TRA-02.result"),
    ({"result": "pass", "note": ""}, "steps[0].checks.TRA-02.note"),
    ({"result": "pass", "note": None}, "steps[0].checks.TRA-02.note"),
    ({"result": "pass", "note": 5}, "steps[0].checks.TRA-02.note"),
    ({"result": "pass", "note": "x" * 1001}, "steps[0].checks.TRA-02.note"),
    ({"result": "pass", "extra": 1}, "steps[0].checks.TRA-02.extra"),
])
def test_bad_check_answers(value, path):
    refused_at(changed("steps[0].checks.TRA-02", value), path)


def test_check_answers_remember_their_form():
    doc = changed("steps[0].checks", {
        "ACC-01": "fail", "ACC-02": {"result": "n/a"}, "ACC-03": {"result": "pass", "note": "ok"},
    })
    assert load_data(doc).steps[0].checks == {
        "ACC-01": CheckAnswer("fail"),
        "ACC-02": CheckAnswer("n/a", None, as_object=True),
        "ACC-03": CheckAnswer("pass", "ok", as_object=True),
    }


# --- duplicates and references ------------------------------------------------------------


def test_check_key_spelt_like_marshmallows_schema_key_keeps_its_path():
    # Regression: Marshmallow files an object's own errors under "_schema"; the key of
    # the document was dropped from the path.
    for answer in ("pass", {"result": "pass"}, 5):
        doc = changed("steps[0].checks._schema", answer)
        refused_at(doc, "steps[0].checks._schema")
        assert "not a check id" in dict(problems(doc))["steps[0].checks._schema"]
    refused_at(changed("steps[0].checks.TRA-02._schema", 1), "steps[0].checks.TRA-02._schema")
    refused_at(changed("stages[0]._schema", 1), "stages[0]._schema")


def test_duplicate_stage_id_is_reported_at_its_later_occurrence():
    doc = changed("stages[2].id", "find")
    refused_at(doc, "stages[2].id")
    assert "stages[0]" in dict(problems(doc))["stages[2].id"]


def test_duplicate_step_id_is_reported_at_its_later_occurrence():
    doc = changed("steps[3].id", "read")
    refused_at(doc, "steps[3].id")


def test_duplicate_transition_pair_is_reported_at_its_later_occurrence():
    doc = full()
    doc["transitions"] += [{"from": "review", "to": "notify"}] + [
        {"from": "notify", "to": s} for s in ("read", "submit", "review", "notify")
    ] + [{"from": "read", "to": "review"}, {"from": "review", "to": "read"},
         {"from": "read", "to": "submit", "kind": "alternative", "label": "by phone"}]
    assert len(doc["transitions"]) == 10
    refused_at(doc, "transitions[9]")


def test_reverse_pairs_and_self_loops_are_accepted():
    doc = full()
    doc["transitions"] += [{"from": "submit", "to": "read", "kind": "rework"},
                           {"from": "notify", "to": "notify"}]
    assert len(load_data(doc).transitions) == 4


def test_stage_and_step_ids_are_separate_namespaces():
    doc = changed("steps[3].id", "apply")
    assert load_data(doc).steps[3].id == "apply"


def test_unknown_stage_of_a_step():
    doc = changed("steps[1].stage", "asses")
    refused_at(doc, "steps[1].stage")
    with pytest.raises(DocumentError) as info:
        load_data(doc)
    assert str(info.value) == (
        'steps[1].stage: "asses" is not a stage of this journey (stages: find, apply, wait)'
    )


@pytest.mark.parametrize(("path", "value"), [
    ("steps[0].stage", "read"),  # a step id is not a stage id
    ("transitions[0].from", "nobody"),
    ("transitions[1].to", "nobody"),
    ("transitions[0].to", "find"),  # a stage id is not a step id
    ("transitions[0].to", "Submit"),
])
def test_bad_references(path, value):
    refused_at(changed(path, value), path)


@pytest.mark.parametrize(("path", "value"), [
    ("steps[0].stage", 5), ("transitions[0].from", 5), ("transitions[0].to", ["submit"]),
])
def test_references_must_be_strings(path, value):
    refused_at(changed(path, value), path)


def test_references_are_reported_even_when_other_fields_are_wrong():
    doc = full()
    doc["title"] = " "
    doc["steps"][0].update(stage="asses", channel="fax", level=9)
    doc["transitions"][1].update(to="nowhere", kind="jump")
    assert paths(doc) == [
        "title", "steps[0].stage", "steps[0].channel", "steps[0].level",
        "transitions[1].to", "transitions[1].kind",
    ]


def test_references_dangle_when_no_stage_or_step_has_an_id():
    # Regression: with no usable id at all the references were not checked, although
    # they are when only some ids are missing.
    doc = changed("stages", [{"name": "Only"}])
    refused_at(doc, "stages[0].id", "steps[0].stage", "steps[1].stage", "steps[2].stage",
               "steps[3].stage")
    assert dict(problems(doc))["steps[0].stage"] == (
        '"find" is not a stage of this journey (no stage has a valid id)'
    )
    doc = changed("steps", [{"stage": "find", "title": "S"}])
    refused_at(doc, "steps[0].id", "transitions[0].from", "transitions[0].to",
               "transitions[1].from", "transitions[1].to")


def test_a_reference_to_an_invalid_id_is_not_reported_twice():
    doc = changed("stages[0].id", "Find")
    doc["steps"][0]["stage"] = "Find"
    refused_at(doc, "stages[0].id")


def test_many_dangling_references_list_the_valid_ids_once(monkeypatch):
    # Regression: the list of valid ids was rebuilt for every dangling reference, which
    # made 20,000 of them quadratic.
    doc = many_transitions(10_000)
    doc["steps"] = [{"id": f"t{i}", "stage": "a", "title": "S"} for i in range(2000)]
    calls = []
    listing = schemas._listing
    monkeypatch.setattr(schemas, "_listing", lambda *a: calls.append(a[0]) or listing(*a))
    found = problems(doc)
    assert calls.count("steps") == 1
    assert len(found) == 20_000
    assert found[0][1].endswith("(steps: t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, "
                                "t12, t13, t14, … (2,000 in all))")


def test_several_problems_are_reported_at_once_in_document_order():
    doc = full()
    doc["colour"] = "red"
    doc["persona"]["name"] = ""
    doc["stages"][2]["id"] = "apply"
    doc["steps"][2]["effort_minutes"] = -1
    doc["steps"][0]["checks"]["ACC-99"] = "pass"
    del doc["steps"][3]["title"]
    doc["transitions"].append({"from": "read", "to": "submit"})
    found = problems(doc)
    assert [p for p, _ in found] == [
        "persona.name", "stages[2].id", "steps[0].checks.ACC-99", "steps[2].effort_minutes",
        "steps[3].title", "transitions[2]", "colour",
    ]
    with pytest.raises(DocumentError) as info:
        load_data(doc)
    assert str(info.value).splitlines() == [f"{p}: {m}" for p, m in found]


# --- limits -------------------------------------------------------------------------------


def many_steps(n: int) -> dict:
    doc = minimal()
    doc["steps"] = [{"id": f"s{i}", "stage": "a", "title": "S"} for i in range(n)]
    return doc


def test_2000_steps_are_accepted():
    assert len(load_data(many_steps(2000)).steps) == 2000


def test_2001_steps_are_refused_once_at_the_list():
    doc = many_steps(2001)
    doc["transitions"] = [{"from": "s0", "to": "s1"}]
    refused_at(doc, "steps")
    doc["steps"] = [{}] * 2001  # the items are not checked one by one
    assert paths(doc) == ["steps"]


def test_200_stages_are_accepted_201_refused():
    doc = minimal()
    doc["stages"] = [{"id": f"x{i}", "name": "X"} for i in range(199)] + doc["stages"]
    assert len(load_data(doc).stages) == 200
    doc["stages"].append({"id": "one-more", "name": "X"})
    refused_at(doc, "stages")


def many_transitions(n: int) -> dict:
    doc = many_steps(101)
    doc["transitions"] = [{"from": f"s{i % 101}", "to": f"s{i // 101}"} for i in range(n)]
    return doc


def test_10000_transitions_are_accepted():
    assert len(load_data(many_transitions(10_000)).transitions) == 10_000


def test_10001_transitions_are_refused_once_at_the_list():
    refused_at(many_transitions(10_001), "transitions")


def test_document_of_5000000_bytes_is_accepted_one_more_refused():
    raw = json.dumps(full()).encode()
    raw += b" " * (5_000_000 - len(raw))
    assert isinstance(load_document(raw), Journey)
    assert isinstance(load_document(raw.decode()), Journey)
    found = problems(raw=raw + b" ")
    assert [p for p, _ in found] == ["$"]
    assert "5,000,000" in found[0][1]
    assert paths(raw=raw.decode() + " ") == ["$"]


def test_the_oversize_message_states_the_real_size():
    raw = json.dumps(full()).encode()
    raw += b" " * (6_123_456 - len(raw))
    assert problems(raw=raw) == [
        ("$", "the document is 6,123,456 bytes; at most 5,000,000 bytes are allowed")]
    assert problems(raw=raw.decode()) == [
        ("$", "the document is more than 5,000,000 bytes; at most 5,000,000 bytes are allowed")]


def _near_the_limit(size: int, number: str = "8") -> bytes:
    """A valid document of 2,000 steps written compactly, without defaults, of ``size`` bytes."""
    doc = minimal()
    doc["steps"] = [{"id": f"s{i}", "stage": "a", "title": "S", "description": "d",
                     "effort_minutes": "@N", "wait_days": "@N"} for i in range(2_000)]
    raw = json.dumps(doc, separators=(",", ":")).replace('"@N"', number)
    per_step = (size - len(raw)) // 2_000
    assert per_step < 5_000
    doc["steps"] = [{**step, "description": "d" * (1 + per_step)} for step in doc["steps"]]
    raw = json.dumps(doc, separators=(",", ":")).replace('"@N"', number)
    pad = "d" * (size - len(raw))
    raw = raw.replace('"description":"d', '"description":"d' + pad, 1)
    assert len(raw) == size
    return raw.encode()


def test_a_document_near_the_size_limit_exports_to_a_document_that_imports_again():
    raw = _near_the_limit(4_990_000)
    journey = load_document(raw)
    # Indented, with every default written out, it would be 5.8 MB: the export is compact.
    assert len(json.dumps(document.to_dict(journey), indent=2)) > 5_700_000
    exported = dump_document(journey)
    assert len(exported) <= 5_000_000
    assert load_document(exported) == journey
    assert dump_document(load_document(exported)) == exported


def test_a_small_document_still_exports_indented_with_its_defaults():
    exported = dump_document(load_data(minimal()))
    assert exported.startswith(b'{\n  "format"') and b'"evidence": "assumed"' in exported


def test_a_document_that_would_export_too_large_is_refused():
    # 1e15 is four bytes as written and 18 (1000000000000000.0) as any export writes it:
    # valid as given, it could never be imported again once exported.
    raw = _near_the_limit(4_990_000, number="1e15")
    found = problems(raw=raw)
    assert len(found) == 1 and found[0][0] == "$"
    assert found[0][1].startswith("the journey takes 5,04")
    assert found[0][1].endswith("bytes even as a compact export, more than the 5,000,000 bytes "
                                "a document may have; shorten its texts")
    assert isinstance(load_document(_near_the_limit(4_900_000, number="1e15")), Journey)


def test_oversize_document_is_refused_before_parsing(no_json_parsing):
    assert paths(raw=b"[" * 6_000_000) == ["$"]
    assert paths(raw="é" * 2_500_001) == ["$"]  # 5,000,002 bytes in UTF-8


# --- parsing ------------------------------------------------------------------------------


def nested(depth: int) -> dict:
    """A document whose unknown key ``deep`` makes containers ``depth`` levels deep."""
    doc = full()
    value: list = []
    for _ in range(depth - 2):  # the document object is level 1, the outer list level 2
        value = [value]
    doc["deep"] = value
    return doc


def test_nesting_16_levels_is_parsed_and_17_refused():
    raw16 = json.dumps(nested(16))
    assert raw16.count("[") - raw16.count("]") == 0 and "[" * 15 in raw16
    assert paths(raw=raw16) == ["deep"]  # parsed: only the unknown key is wrong
    found = problems(raw=json.dumps(nested(17)))
    assert [p for p, _ in found] == ["$"]
    assert "not a journey document" in found[0][1]


def test_load_data_refuses_nesting_deeper_than_16_levels_too():
    # Regression: an already parsed value (an API body) was not held to the nesting limit.
    assert paths(nested(16)) == ["deep"]
    for depth in (17, 10_000):
        found = problems(nested(depth))
        assert found == problems(raw=json.dumps(nested(17)))
        assert [p for p, _ in found] == ["$"]
    doc = changed("steps[0].checks.TRA-02", {"result": "pass", "note": "n"})
    node = doc["steps"][0]["checks"]["TRA-02"]
    for _ in range(12):  # 5 levels down already; 17 in all
        node["note"] = {"note": None}
        node = node["note"]
    assert paths(doc) == ["$"]
    wrong_format = changed("format", "citizen-journey/2", nested(17))
    assert paths(wrong_format) == ["$"]  # as load_document: the nesting is found first


@pytest.mark.parametrize("raw", [
    "[" * 50_000, "[" * 50_000 + "]" * 50_000, '{"a":' * 50_000, '{"a":[' * 25_000,
])
def test_deep_nesting_is_refused_before_parsing(raw, no_json_parsing):
    # The pre-scan counts brackets in a loop, so neither it nor the recursive JSON parser
    # ever descends 50,000 levels.
    found = problems(raw=raw)
    assert [p for p, _ in found] == ["$"]
    assert "not a journey document" in found[0][1]


@pytest.fixture
def no_json_parsing(monkeypatch):
    """Fail the test if the document reaches the JSON parser."""

    def refuse(*args, **kwargs):
        raise AssertionError("the document reached the JSON parser")

    monkeypatch.setattr(schemas.json, "loads", refuse)


def test_brackets_inside_strings_do_not_count_as_nesting():
    doc = changed("title", '[{"\\' * 40)
    doc["steps"][0]["ideas"] = ['"[' * 30, "\\" * 7 + "[[[[[[[[[[[[[[[[[[[["]
    journey = load_document(json.dumps(doc))
    assert journey.title == '[{"\\' * 40


def test_byte_order_mark_is_ignored():
    raw = json.dumps(full(), ensure_ascii=False).encode()
    assert load_document(b"\xef\xbb\xbf" + raw) == load_document(raw)
    assert load_document("\ufeff" + raw.decode()) == load_document(raw)


@pytest.mark.parametrize("raw", [
    b'{"format": "citizen-journey/1", "title": "\xff"}',
    b'{"format": "citizen-journey/1", "title": "\xed\xa0\x80"}',  # an encoded surrogate
    b'{"format": "citizen-journey/1", "title": "caf\xe9"}',  # Latin-1
])
def test_invalid_utf8_is_reported(raw):
    found = problems(raw=raw)
    assert [p for p, _ in found] == ["$"]
    assert "UTF-8" in found[0][1]


def test_malformed_json_is_reported_with_line_and_column():
    raw = '{\n  "format": "citizen-journey/1",\n  "title" "x"\n}'
    [(path, message)] = problems(raw=raw)
    assert path == "$"
    assert "line 3" in message and "column 11" in message


@pytest.mark.parametrize("raw", [
    "", "   ", "{", '{"format": "citizen-journey/1",}', "{'format': 'citizen-journey/1'}",
    '{"format": "citizen-journey/1"} {}', '{"title": "a\nb"}',
])
def test_other_malformed_json(raw):
    [(path, message)] = problems(raw=raw)
    assert path == "$" and "JSON" in message and "line" in message


@pytest.mark.parametrize("path", ["steps[0].effort_minutes", "steps[0].level",
                                  "steps[0].pain_points[0].votes", "title", "steps[0].tags[0]"])
@pytest.mark.parametrize("literal", [
    "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + "0" * 399, "-" + "9" * 400,
    "9" * 5000,
])
def test_non_finite_numbers_are_refused(path, literal):
    raw = json.dumps(changed(path, "@@")).replace('"@@"', literal)
    found = problems(raw=raw)
    assert [p for p, _ in found] == [path]
    assert "finite" in found[0][1]
    if len(literal) < 20:
        assert literal in found[0][1]  # named as written, not as Python read it


@pytest.mark.parametrize(("path", "value", "literal"), [
    ("title", float("nan"), "NaN"), ("steps[0].channel", float("inf"), "Infinity"),
    ("steps[0].tags[0]", float("-inf"), "-Infinity"), ("steps[0].level", float("nan"), "NaN"),
])
def test_non_finite_numbers_get_the_same_message_from_load_data(path, value, literal):
    # Regression: load_data did not say "which is not a finite number" where a text or a
    # choice was expected, as load_document does.
    raw = json.dumps(changed(path, "@@")).replace('"@@"', literal)
    assert problems(changed(path, value)) == problems(raw=raw)
    assert "finite" in problems(changed(path, value))[0][1]


def test_large_finite_numbers_are_accepted():
    raw = json.dumps(full()).replace('"effort_minutes": 8', '"effort_minutes": 1e308')
    assert load_document(raw).steps[0].effort_minutes == 1e308
    raw = json.dumps(full()).replace('"votes": 1', '"votes": ' + "9" * 300)
    assert load_document(raw).steps[0].pain_points[0].votes == int("9" * 300)


@pytest.mark.parametrize("path", ["title", "steps[0].tags[0]", "steps[0].checks.TRA-02.note",
                                  "stages[0].name", "transitions[0].label"])
@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "x\\udc00y", "\\ude00\\ud83d"])
def test_unpaired_surrogates_are_refused(path, escape):
    raw = json.dumps(changed(path, "@@")).replace("@@", escape)
    assert paths(raw=raw) == [path]
    value = json.loads(f'"{escape}"')
    assert paths(changed(path, value)) == [path]


@pytest.mark.parametrize("path", ["title", "steps[0].title", "steps[0].tags[0]",
                                  "steps[0].checks.TRA-02.note", "persona.needs[0]",
                                  "steps[0].pain_points[0].text", "transitions[0].label"])
@pytest.mark.parametrize(("char", "name"), [("\x00", "U+0000"), ("\x1b", "U+001B"),
                                            ("\x0b", "U+000B"), ("\x7f", "U+007F"),
                                            ("\x85", "U+0085"), ("\x9f", "U+009F")])
def test_control_characters_are_refused_naming_the_character_and_its_position(path, char, name):
    expected = [(path, f"contains the control character {name} at position 5; remove it")]
    assert problems(changed(path, f"Pays{char}fee")) == expected
    # The same verdict from the bytes of a file.
    assert problems(raw=json.dumps(changed(path, f"Pays{char}fee"))) == expected


def test_tab_line_feed_and_carriage_return_are_text():
    doc = changed("steps[0].description", "First line\r\nsecond\tline")
    assert load_data(doc).steps[0].description == "First line\r\nsecond\tline"


def test_a_control_character_is_reported_with_the_other_problems():
    doc = changed("title", "A\x00")
    doc["stages"][1]["name"] = "B\x01"
    assert paths(doc) == ["title", "stages[1].name"]


def test_surrogate_pair_escape_is_a_character():
    raw = json.dumps(changed("title", "@@")).replace("@@", "\\ud83d\\ude00")
    assert load_document(raw).title == "😀"


def test_messages_with_surrogates_can_be_printed():
    raw = json.dumps(changed("steps[0].\ud800", "\ud800"))
    with pytest.raises(DocumentError) as info:
        load_document(raw)
    str(info.value).encode("utf-8")  # does not raise
    assert info.value.problems[0][0].startswith("steps[0][")


DUPLICATES = [
    ("title", '"title": "Again"'),
    ("format", '"format": "citizen-journey/1"'),
    ("persona.name", '"name": "Bo"'),
    ("stages[1].name", '"name": "Apply again"'),
    ("steps[2].title", '"title": "Again"'),
    ("steps[0].checks.ACC-06", '"ACC-06": "fail"'),
    ("steps[0].checks.TRA-02.note", '"note": "again"'),
    ("steps[0].pain_points[0].votes", '"votes": 1'),
    ("transitions[1].to", '"to": "review"'),
]


@pytest.mark.parametrize(("path", "member"), DUPLICATES)
def test_duplicate_keys_are_refused_with_their_path(path, member):
    *head, _ = parts(path)
    doc = full()
    node = doc
    for p in head:
        node = node[p]
    node["@dup@"] = 0
    raw = json.dumps(doc).replace('"@dup@": 0', member)
    found = problems(raw=raw)
    assert [p for p, _ in found] == [path]
    assert "2 times" in found[0][1]


def test_duplicate_keys_are_reported_with_other_problems():
    raw = json.dumps(changed("steps[0].channel", "fax")).replace(
        '"title": "Submits the form"', '"title": "Submits the form", "title": "x"'
    )
    assert paths(raw=raw) == ["steps[0].channel", "steps[1].title"]


# --- defaults -----------------------------------------------------------------------------


def test_defaults_are_applied():
    journey = load_data(minimal())
    assert journey.state == "as-is"
    assert journey.transitions == []
    assert journey.persona is None and journey.reviewed_on is None
    step = journey.steps[0]
    assert (step.channel, step.actor, step.visibility, step.evidence) == (
        "web", "citizen", "frontstage", "assumed")
    assert (step.level, step.target_level, step.emotion) == (None, None, None)
    assert (step.effort_minutes, step.wait_days, step.measure) == (None, None, None)
    assert step.moment_of_truth is False
    assert (step.checks, step.pain_points, step.ideas, step.tags) == ({}, [], [], [])


def test_pain_point_and_transition_defaults():
    doc = minimal()
    doc["steps"].append({"id": "t", "stage": "a", "title": "T",
                         "pain_points": [{"text": "Slow"}]})
    doc["transitions"] = [{"from": "s", "to": "t"}]
    doc["persona"] = {"name": "Ana"}
    journey = load_data(doc)
    assert journey.steps[1].pain_points == [PainPoint("Slow", "other", 2, "team", 0)]
    assert journey.transitions[0].kind == "flow" and journey.transitions[0].label is None
    assert journey.persona.needs == []


@pytest.mark.parametrize(("actor", "visibility"), [
    ("citizen", "frontstage"), ("frontline", "frontstage"), ("back-office", "backstage"),
    ("partner", "backstage"), ("system", "backstage"),
])
def test_visibility_defaults_from_the_actor(actor, visibility):
    doc = changed("steps[0]", {"id": "read", "stage": "find", "title": "R", "actor": actor})
    assert load_data(doc).steps[0].visibility == visibility
    other = "backstage" if visibility == "frontstage" else "frontstage"
    doc["steps"][0]["visibility"] = other
    assert load_data(doc).steps[0].visibility == other


def test_load_data_does_not_change_its_input():
    doc = full()
    load_data(doc)
    assert doc == full()
    bad = changed("steps[0].level", 2.5)
    with pytest.raises(DocumentError):
        load_data(bad)
    assert bad == changed("steps[0].level", 2.5)


def test_document_error_is_a_value_error_with_one_line_per_problem():
    with pytest.raises(ValueError) as info:
        load_data(changed("title", ""))
    err = info.value
    assert isinstance(err, DocumentError)
    assert err.problems == [("title", "must contain at least one character that is not white "
                                      "space")]
    assert str(err) == "title: must contain at least one character that is not white space"


# --- robustness ---------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from(["pass", "web", "find", "read", "2024-02-29", "\ud800", "\u3000", ""]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "name", "note", "result", "ACC-01", "_schema", "x"]),
                      inner, max_size=3),
    max_leaves=8,
)


def _places(node, at=()):
    yield at
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else ()
    for key, value in items:
        yield from _places(value, (*at, key))


@st.composite
def mutated_documents(draw):
    """full() with a few values replaced, keys removed or added, list items repeated."""
    doc = full()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.sampled_from(list(_places(doc))))
        node = doc
        for key in at[:-1]:
            node = node[key]
        how = draw(st.sampled_from(["replace", "drop", "add", "repeat"]))
        target = node[at[-1]] if at else doc
        if how == "replace" and at:
            node[at[-1]] = draw(_JSON)
        elif how == "drop" and at:
            del node[at[-1]]
        elif how == "add" and isinstance(target, dict):
            target[draw(st.sampled_from(["id", "note", "TRA-03", "_schema", "deep"]))] = draw(_JSON)
        elif how == "repeat" and isinstance(target, list) and target:
            target.append(copy.deepcopy(target[draw(st.integers(0, len(target) - 1))]))
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_any_document_is_loaded_or_refused_with_a_document_error(doc):
    """Never another exception; load_data and load_document agree."""
    try:
        from_data = dump_document(load_data(doc))
    except DocumentError as err:
        from_data = err.problems
    try:
        from_raw = dump_document(load_document(json.dumps(doc)))
    except DocumentError as err:
        from_raw = err.problems
    assert from_data == from_raw
    if isinstance(from_raw, bytes):
        assert dump_document(load_document(from_raw)) == from_raw


# --- helping the author fix a near miss ---------------------------------------------------


def test_a_misspelt_key_suggests_the_key_meant():
    doc = minimal()
    doc["steps"][0]["chanel"] = "web"
    message = dict(problems(doc))["steps[0].chanel"]
    assert message.startswith('unknown key (did you mean "channel"?)')


def test_a_far_off_key_gets_no_guess():
    doc = minimal()
    doc["steps"][0]["zzz"] = 1
    assert "did you mean" not in dict(problems(doc))["steps[0].zzz"]


def test_a_wrongly_cased_choice_suggests_the_value_meant():
    doc = minimal()
    doc["steps"][0]["channel"] = "Email"
    assert dict(problems(doc))["steps[0].channel"].endswith('(did you mean "email"?)')


@pytest.mark.parametrize("raw", [b'{"format": "citizen-journey/1", "title": "x",}',
                                 b'{"format": "citizen-journey/1", "stages": [1, ]}'])
def test_a_trailing_comma_is_named_as_such(raw):
    [(path, message)] = problems(raw=raw)
    assert path == "$"
    assert message.endswith("a comma before a closing bracket (JSON allows no trailing comma)")
