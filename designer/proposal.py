"""A design proposal: what the engine hands to reports, the API and the web app."""

from dataclasses import dataclass

FORMAT = "citizen-journey-proposals/1"


@dataclass(frozen=True)
class Target:
    """What a proposal is about: the journey, a step, or a document transition."""

    kind: str
    id: str | None = None
    source: str | None = None
    target: str | None = None

    @property
    def key(self) -> str:
        """The target part of a proposal id: ``journey``, ``step:ID`` or ``transition:A->B``."""
        if self.kind == "step":
            return f"step:{self.id}"
        if self.kind == "transition":
            return f"transition:{self.source}->{self.target}"
        return "journey"

    def to_dict(self) -> dict:
        """The target as in the JSON output."""
        if self.kind == "step":
            return {"kind": "step", "id": self.id}
        if self.kind == "transition":
            return {"kind": "transition", "from": self.source, "to": self.target}
        return {"kind": "journey"}


@dataclass(frozen=True)
class Proposal:
    """One proposal, traceable to its rule, target, evidence and clauses.

    ``step`` is the index (document order) of the proposal's step, None for the
    journey; ``transition`` the index of a target transition; ``kinds`` the kind of each
    action (``service``, ``policy``, ``cross-organisation``, see
    :mod:`designer.wording`). None of them is part of the JSON output: they serve
    ordering, grouping and the brief.
    """

    rule: str
    name: str
    title: str
    target: Target
    clauses: tuple[str, ...]
    priority: int
    evidence: tuple[str, ...]
    actions: tuple[str, ...]
    step: int | None = None
    transition: int | None = None
    kinds: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """Stable id: ``RULE:journey``, ``RULE:step:STEP_ID`` or ``RULE:transition:FROM->TO``."""
        return f"{self.rule}:{self.target.key}"

    def to_dict(self) -> dict:
        """The proposal as in the JSON output, keys in the spec's order."""
        return {
            "id": self.id,
            "rule": self.rule,
            "name": self.name,
            "title": self.title,
            "target": self.target.to_dict(),
            "clauses": list(self.clauses),
            "priority": self.priority,
            "evidence": list(self.evidence),
            "actions": list(self.actions),
        }
