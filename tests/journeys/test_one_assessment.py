"""A page that shows a journey's diagram, text, table, checks and proposals builds its
graph facts once and shares them."""

from datetime import date

from designer import propose
from journeys.domain import checks, graph
from journeys.domain.checks import Assessment
from journeys.domain.schemas import load_document
from journeys.domain.summary import summarise
from journeys.formats.registry import export


def test_every_consumer_shares_one_assessment(samples_dir, monkeypatch):
    journey = load_document((samples_dir / "report-a-road-defect.json").read_bytes())
    built = []
    original = graph.JourneyGraph.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(graph.JourneyGraph, "__init__", counting)
    assessment = Assessment(journey)
    for fmt in ("dot", "md", "csv"):
        export(journey, fmt, assessment=assessment)
    summarise(journey, assessment=assessment)
    propose(journey, today=date(2026, 1, 1), assessment=assessment)
    assert len(built) == 1
    assert checks.JourneyGraph is graph.JourneyGraph


def test_without_a_shared_assessment_each_consumer_builds_its_own(samples_dir, monkeypatch):
    journey = load_document((samples_dir / "report-a-road-defect.json").read_bytes())
    built = []
    original = graph.JourneyGraph.__init__
    monkeypatch.setattr(graph.JourneyGraph, "__init__",
                        lambda self, *a, **k: (built.append(1), original(self, *a, **k))[1])
    export(journey, "dot")
    export(journey, "md")
    assert len(built) == 2
