"""The shared sample journeys, read as a service designer would, and the real CLI on them."""

import json

import pytest

from journeys.domain.schemas import load_document
from tests.designer.helpers import get, run

# Checked by hand against the spec, evaluated on 2026-11-24 with a 12-month review period.
EXPECTED = {
    "register-a-birth.json": [
        ("DR12:step:book-online", 16),      # 5 + pain 14→10 + TRA-07 fail
        ("DR17:step:book-online", 15),
        ("DR09:step:read-guidance", 13),    # 5 + pain 6 + ACC-06, ACC-07
        ("DR17:step:read-guidance", 12),
        ("DR09:step:attend-office", 9),     # 5 + moment of truth 3 + ACC-04
        ("DR11:journey", 7),                # read-guidance has no ACC-01 answer
        ("DR09:step:learn-duty", 6),
        ("DR09:step:pay-certificate", 6),
    ],
    "report-a-road-defect.json": [
        ("DR09:step:report-app", 18),       # 5 + pain 12→10 + ACC-01, ACC-03, TRA-05
        ("DR10:step:report-app", 18),
        ("DR17:step:report-app", 17),
        ("DR09:step:find-how", 15),         # 5 + pain 8 + ACC-06, TRA-02
        ("DR10:step:find-how", 15),
        ("DR17:step:find-how", 14),
        ("DR02:step:closure", 11),          # 7 + 3 + TRA-12
        ("DR05:step:not-ours", 9),          # 6 + pain 3 (its TRA-08/09 answers do not apply)
        ("DR10:step:closure", 9),
        ("DR01:step:triage", 8),
        ("DR11:journey", 7),
        ("DR17:step:not-ours", 7),          # 4 + pain 3: one pain point of severity 3
        ("DR09:step:report-phone", 6),
        ("DR19:step:closure", 6),
        ("DR13:transition:triage->report-app", 5),
        ("DR12:step:schedule", 5),          # 14 days, TRA-07 not answered
        ("DR08:journey", 3),                # reviewed 2025-03-10, before 2025-11-24
        ("DR15:journey", 3),                # none → web → app → email
        ("DR18:step:spot-defect", 1),
    ],
}


@pytest.fixture
def load(samples_dir):
    """Read a sample journey by file name."""
    return lambda name: load_document((samples_dir / name).read_bytes())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_samples_give_the_proposals_the_spec_implies(name, load):
    assert [(p.id, p.priority) for p in run(load(name))] == EXPECTED[name]


def test_birth_sample_reads_like_a_designer_would(load):
    journey = load("register-a-birth.json")
    wait = get(journey, "DR12:step:book-online")
    assert wait.evidence == ("wait_days is 12", "TRA-07 is fail")
    assert any("12 days" in a for a in wait.actions)
    # The registrar moment is solid apart from ACC-04: no surprise on a failed check.
    assert not [p for p in run(journey) if p.rule == "DR03"]
    remedy = get(journey, "DR09:step:attend-office").actions
    assert len(remedy) == 1 and "co-create" in remedy[0]
    assert get(journey, "DR11:journey").evidence[1:] == (
        "read-guidance (web): ACC-01 is not answered",)
    # Renewal is not due: reviewed on 2026-06-01.
    assert not [p for p in run(journey) if p.rule == "DR08"]


def test_defect_sample_reads_like_a_designer_would(load):
    journey = load("report-a-road-defect.json")
    recovery = get(journey, "DR01:step:triage")
    assert recovery.evidence == (
        "failure transition from triage to not-ours: 'other authority'",
        "TRA-09 is not answered",
        "not-ours has no outgoing transition: the journey ends there",
    )
    assert get(journey, "DR10:step:find-how").evidence == (
        "TRA-02 is partial: 'Page does not say which roads the council is responsible for'",)
    # The phone route helps with reporting, but "find-how" (web) comes first on every path.
    assert "find-how (web): ACC-01 is not answered" in get(journey, "DR11:journey").evidence
    # The closure message is a moment of truth: its redesign is co-created with citizens.
    assert get(journey, "DR02:step:closure").actions[0].startswith("Co-create")
    rework = get(journey, "DR13:transition:triage->report-app")
    assert rework.evidence == ("rework transition from triage to report-app: "
                               "'location unclear'",)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_propose_json_on_the_samples(name, samples_dir, journeys_cli):
    result = journeys_cli("propose", samples_dir / name, "--format", "json",
                          "--today", "2026-11-24")
    assert result.code == 0, result.err
    doc = json.loads(result.stdout)
    assert doc["format"] == "citizen-journey-proposals/1"
    assert doc["evaluated_on"] == "2026-11-24"
    assert [(p["id"], p["priority"]) for p in doc["proposals"]] == EXPECTED[name]
    assert result.out.endswith("}\n")


def test_cli_propose_md_and_text_on_a_sample(samples_dir, journeys_cli):
    path = samples_dir / "report-a-road-defect.json"
    md = journeys_cli("propose", path, "--format", "md", "--today", "2026-11-24")
    assert md.code == 0, md.err
    assert md.out.startswith("# Design brief: Report a road defect\n")
    result = journeys_cli("propose", path, "--today", "2026-11-24", "--review-months", "24")
    assert result.code == 0, result.err
    text = result.out.splitlines()
    assert len(text) == len(EXPECTED["report-a-road-defect.json"]) - 1   # no DR08 at 24 months
    assert text[0].split()[:2] == ["18", "DR09:step:report-app"]
