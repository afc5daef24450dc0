"""The rule registry: complete, unique, documented, and as the spec lists it."""

import pytest

from designer import RULES, RULES_BY_ID
from designer.reference import render_reference
from designer.rule import REQUIRED_SECTIONS

# id: (name, target, base priority, clauses), from the spec's table and priority section.
SPEC = {
    "DR01": ("recovery-route", "step", 8, ("Introduction (pyramid level 2)", "5.2.6", "7.3.2")),
    "DR02": ("moment-of-truth-upgrade", "step", 7, ("7.3.2", "5.1.2", "5.1.3")),
    "DR03": ("surprise", "step", 2, ("7.3.2", "5.2.2")),
    "DR04": ("level-gap", "step", 4, ("7.3.2",)),
    "DR05": ("emotional-low", "step", 6, ("7.3.2",)),
    "DR06": ("co-create", "journey", 4, ("3.1", "5.1.7", "7.3.1")),
    "DR07": ("validate-assumptions", "step", 4, ("7.3.1",)),
    "DR08": ("renewal-due", "journey", 3, ("7.3.2", "5.2.7")),
    "DR09": ("accessibility-gap", "step", 5, ("5.2.4", "5.2.2", "7.4.2")),
    "DR10": ("transparency-gap", "step", 5, ("5.2.3", "5.2.6", "7.4.2")),
    "DR11": ("assisted-route", "journey", 7, ("5.2.4", "5.2.2")),
    "DR12": ("silent-wait", "step", 5, ("5.2.3", "5.2.4")),
    "DR13": ("rework-loop", "transition", 5, ("5.2.5", "7.4.1")),
    "DR14": ("dead-end", "step", 4, ("5.2.3",)),
    "DR15": ("channel-hops", "journey", 3, ("5.1.5", "5.2.5")),
    "DR16": ("handoffs", "journey", 3, ("5.1.5", "7.4.1")),
    "DR17": ("pain-hotspot", "step", 4, ("7.3.2", "7.3.1")),
    "DR18": ("unassessed", "step", 1, ("7.4.3",)),
    "DR19": ("data-point", "step", 2, ("7.3.2", "7.4.3")),
}


def test_ids_are_unique_and_cover_dr01_to_dr19_in_order():
    assert [r.id for r in RULES] == list(SPEC)
    assert len(RULES_BY_ID) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


def test_every_rule_cites_a_clause():
    for r in RULES:
        assert r.clauses, r.id
        assert all(c.strip() for c in r.clauses), r.id


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_matches_the_spec(rule):
    assert (rule.name, rule.target, rule.base, rule.clauses) == SPEC[rule.id]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule):
    assert rule.title and rule.title[0].isupper()
    assert rule.fires_when, rule.id
    for section in REQUIRED_SECTIONS:
        assert rule.doc.get(section), f"{rule.id} docstring lacks '{section}:'"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rationale_is_prose_citing_the_rule_s_clauses_and_shown_in_the_reference(rule):
    why = rule.rationale
    assert len(why.split()) >= 12 and why.endswith("."), f"{rule.id}: {why!r}"
    assert any(clause.split()[0] in why for clause in rule.clauses), rule.id
    section = render_reference().split(f"\n## {rule.id} {rule.name}\n")[1].split("\n## ")[0]
    assert f"**Why:** {why.replace('``', '`')}\n" in section
