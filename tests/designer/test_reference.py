"""The rule reference is generated from the registry and committed as docs/rules.md."""

from pathlib import Path

from designer import RULES
from designer.reference import render_reference

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_committed_reference_is_the_generated_one():
    assert DOCS.read_text(encoding="utf-8") == render_reference(), (
        "docs/rules.md is stale: run `python -m designer.reference > docs/rules.md`")


def test_reference_lists_every_rule_with_its_documentation():
    text = render_reference()
    for r in RULES:
        assert f"## {r.id} {r.name}\n" in text
        assert f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} |" in text
        assert r.rationale.replace("``", "`") in text
    assert text.count("\n## DR") == 19


def test_reference_records_the_settled_readings():
    text = render_reference()
    assert text.count("**Settled:**") >= 8
    assert "Settled: ties are broken" in text
