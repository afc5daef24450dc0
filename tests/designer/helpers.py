"""Small helpers shared by the designer tests."""

from datetime import date

from designer import propose

TODAY = date(2026, 11, 24)


def run(journey, **kwargs):
    """The proposals for a journey evaluated on TODAY (unless ``today`` is given)."""
    kwargs.setdefault("today", TODAY)
    return propose(journey, **kwargs)


def ids(journey, rule=None, **kwargs) -> list[str]:
    """Proposal ids in output order, optionally of one rule only."""
    return [p.id for p in run(journey, **kwargs) if rule is None or p.rule == rule]


def get(journey, proposal_id, **kwargs):
    """The one proposal with this id (AssertionError if absent)."""
    found = [p for p in run(journey, **kwargs) if p.id == proposal_id]
    assert found, f"{proposal_id} not proposed"
    return found[0]
