"""JourneySchema on its own checks every rule, references included, as load_data does."""

import copy
import json

import pytest
from marshmallow import ValidationError

from journeys.domain.document import Journey
from journeys.domain.schemas import (
    DocumentError,
    JourneySchema,
    dump_document,
    load_data,
    load_document,
    problems_of,
)


def doc() -> dict:
    return {
        "format": "citizen-journey/1", "title": "T",
        "stages": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "steps": [{"id": "s", "stage": "a", "title": "S"},
                  {"id": "t", "stage": "b", "title": "T"}],
        "transitions": [{"from": "s", "to": "t"}],
    }


def edited(**changes) -> dict:
    d = copy.deepcopy(doc())
    for path, value in changes.items():
        key, _, rest = path.partition("__")
        if rest:
            index, _, field = rest.partition("__")
            d[key][int(index)][field] = value
        else:
            d[key] = value
    return d


INVALID = {
    "duplicate stage id": edited(stages__1__id="a"),
    "duplicate step id": edited(steps__1__id="s"),
    "unknown stage": edited(steps__1__stage="c"),
    "dangling transition": edited(transitions=[{"from": "s", "to": "x"}]),
    "duplicate pair": edited(transitions=[{"from": "s", "to": "t"}, {"from": "s", "to": "t"}]),
    "duplicate pair with a bad kind": edited(transitions=[
        {"from": "s", "to": "t"}, {"from": "s", "to": "t", "kind": "jump"}]),
    "references and fields wrong together": edited(steps__0__channel="fax", steps__1__stage="z",
                                                   title=""),
    "wrong format": edited(format="citizen-journey/2", steps__1__stage="z"),
    "missing format": {k: v for k, v in doc().items() if k != "format"},
    "not an object": [doc()],
    "nested too deep": edited(title=[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]),
    "bad $schema": edited(**{"$schema": ""}),
}


def schema_problems(value) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        JourneySchema().load(value)
    return problems_of(info.value, value)


@pytest.mark.parametrize("name", INVALID)
def test_the_schema_alone_refuses_with_the_paths_and_messages_of_load_data(name):
    value = INVALID[name]
    with pytest.raises(DocumentError) as info:
        load_data(value)
    assert schema_problems(value) == info.value.problems


def test_references_are_reported_at_the_later_occurrence_by_the_schema_alone():
    assert schema_problems(INVALID["duplicate pair with a bad kind"]) == [
        ("transitions[1]", 'duplicate transition from "s" to "t" (already given at '
                           "transitions[0])"),
        ("transitions[1].kind", '"jump" is not one of flow, alternative, failure, rework'),
    ]
    assert schema_problems(INVALID["unknown stage"]) == [
        ("steps[1].stage", '"c" is not a stage of this journey (stages: a, b)')]


def test_the_schema_alone_loads_a_valid_document(sample_path):
    obj = json.loads(sample_path.read_bytes())
    journey = JourneySchema().load(obj)
    assert isinstance(journey, Journey)
    assert journey == load_document(sample_path.read_bytes())


def test_a_schema_key_for_editors_is_accepted_and_not_exported():
    with_schema = {"$schema": "https://example.org/journey.schema.json", **doc()}
    journey = load_data(with_schema)
    assert "$schema" not in json.loads(dump_document(journey))
    assert journey == load_data(doc())


@pytest.mark.parametrize("value", [5, None, " ", ["x"]])
def test_a_schema_key_must_be_text(value):
    with pytest.raises(DocumentError) as info:
        load_data({"$schema": value, **doc()})
    assert [p for p, _ in info.value.problems] == ["[\"$schema\"]"]
