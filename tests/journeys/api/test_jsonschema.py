"""The committed JSON Schema is the generated one, and gives the validator's verdicts."""

import base64
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from journeys.api.jsonschema import dumps, journey_schema
from journeys.domain import schemas

ROOT = Path(__file__).resolve().parents[3]
COMMITTED = ROOT / "docs" / "journey.schema.json"
DOMAIN_TESTS = ["tests/journeys/domain/test_schemas.py",
                "tests/journeys/domain/test_schema_alone.py"]
VALIDATOR = jsonschema.Draft202012Validator(journey_schema())


def test_the_committed_schema_is_the_generated_one():
    assert COMMITTED.read_text() == dumps(), (
        "docs/journey.schema.json is stale: python -m journeys.api.jsonschema > "
        "docs/journey.schema.json")


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(journey_schema())


def test_the_samples_and_demo_journeys_are_valid(samples_dir):
    files = [*samples_dir.glob("*.json"), *(ROOT / "journeys" / "demo").glob("*.json")]
    assert files
    for path in files:
        errors = [e.message for e in VALIDATOR.iter_errors(json.loads(path.read_bytes()))]
        assert errors == [], path.name


def _no_constant(name):
    raise ValueError(name)


def _no_duplicates(pairs):
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate keys")
    return obj


def as_json_value(entry: dict):
    """The recorded input as a JSON value, or None where JSON cannot carry it as given."""
    try:
        if "json" in entry:
            value = json.loads(entry["json"], parse_constant=_no_constant)
        else:
            text = base64.b64decode(entry["raw"]).decode("utf-8-sig")
            value = json.loads(text, parse_constant=_no_constant,
                               object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):
        return None
    return value


def beyond_json_schema(value, problems) -> bool:
    """Whether every problem is one JSON Schema cannot state: references between values."""
    if not isinstance(value, dict) or "format" not in value:
        return False
    references = {(schemas.format_path(p), m) for p, m in schemas._references(value)}
    return all(tuple(p) in references for p in problems)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> list[dict]:
    """Every value the domain tests validate, with the validator's verdict."""
    out = tmp_path_factory.mktemp("recorded") / "documents.jsonl"
    env = {**os.environ, "RECORD_DOCUMENTS": str(out)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *DOMAIN_TESTS, "-q", "-p", "no:cacheprovider",
         "-p", "tests.journeys.api.record_documents"],
        cwd=ROOT, env=env, capture_output=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout.decode()[-3000:]
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_json_schema_and_the_validator_agree_on_every_case_of_the_domain_tests(recorded):
    compared = invalid = 0
    disagreements = []
    for entry in recorded:
        if "skipped" in entry:
            continue
        value = as_json_value(entry)
        if value is None:
            continue
        expected = not entry["problems"] or beyond_json_schema(value, entry["problems"])
        errors = list(VALIDATOR.iter_errors(value))
        compared += 1
        invalid += bool(entry["problems"])
        if (not errors) != expected:
            disagreements.append((entry.get("json") or entry["raw"])[:300])
            disagreements.append(entry["problems"][:3] or [e.message[:200] for e in errors[:3]])
    assert disagreements == []
    # The domain tests refuse documents in well over a thousand ways; all were compared.
    assert invalid > 1000, (compared, invalid)


def test_numbers_json_cannot_hold_as_finite_are_refused_by_both():
    doc = json.loads(COMMITTED.read_text())
    assert doc["$defs"]["Step"]["properties"]["wait_days"]["maximum"] == sys.float_info.max
    assert not math.isfinite(json.loads("1e400"))
