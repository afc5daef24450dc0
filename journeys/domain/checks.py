"""The accessibility and transparency check catalogues, their applicability and coverage.

This module is the one source of truth for the catalogues: the schema reads the ids
from it, the diagram and the designer read applicability, answers and failed checks
from it (:class:`Assessment`), and the web pages show its questions and bases.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from journeys.domain.document import CheckAnswer, Journey, Step
from journeys.domain.graph import JourneyGraph


@dataclass(frozen=True)
class Facts:
    """What the "applies to" rules need to know of a step beyond its own fields."""

    in_first_stage: bool
    in_first_two_stages: bool
    wait_ahead: bool
    to_backstage: bool
    failure_source: bool


@dataclass(frozen=True)
class Check:
    """One catalogue check: a question, its basis, and when it applies."""

    id: str
    question: str
    basis: str
    applies_to: str
    rule: Callable[[Step, Facts], bool]

    @property
    def catalogue(self) -> str:
        """``ACC`` or ``TRA``."""
        return self.id[:3]

    def applies(self, step: Step, facts: Facts) -> bool:
        """Whether the check applies to this step."""
        return self.rule(step, facts)


CATALOGUES = {
    "ACC": "Accessibility (ISO 11367 5.2.4, 5.2.2, 7.4.2)",
    "TRA": "Transparency (ISO 11367 5.2.3, 5.2.6, 3.16, 7.4.2)",
}


def _facing(s: Step, f: Facts) -> bool:
    return s.citizen_facing


def _decision(s: Step, f: Facts) -> bool:
    return f.failure_source or "decision" in s.tags


_CHECKS = [
    Check("ACC-01", "Can a citizen who cannot use this channel complete the step another way "
          "(phone, in person, assisted digital)?",
          "5.2.4; UK Service Standard point 5 (assisted digital)",
          "citizen-facing steps on a digital channel",
          lambda s, f: s.citizen_facing and s.digital),
    Check("ACC-02", "Can citizens who cannot travel have this step delivered at home or remotely?",
          "5.2.4 (doorstep delivery for marginalised and disabled people)",
          "citizen-facing steps on counter",
          lambda s, f: s.citizen_facing and s.channel == "counter"),
    Check("ACC-03", "Does the digital touchpoint meet WCAG 2.2 AA for the whole process?",
          'WCAG 2.2 conformance ("complete processes"); EN 301 549',
          "citizen-facing digital steps",
          lambda s, f: s.citizen_facing and s.digital),
    Check("ACC-04", "Can it be used without sight, without hearing and without speech "
          "(at least two contact modes for different senses)?",
          "EN 301 549 clause 4 and 12.2.3", "citizen-facing steps", _facing),
    Check("ACC-05", "Does it avoid relying on memory and re-entry of information the "
          "organisation already has, with help in a consistent place?",
          "WCAG 2.2 3.3.7, 3.2.6; W3C cognitive accessibility guidance",
          "citizen-facing steps", _facing),
    Check("ACC-06", "Is what the citizen reads here in plain language, tested with readers?",
          "ISO 24495-1:2023; 5.2.3", "citizen-facing steps", _facing),
    Check("ACC-07", "Is it offered in the languages its citizens need?",
          "5.2.2; EU Single Digital Gateway art. 10", "citizen-facing steps", _facing),
    Check("ACC-08", "Is the place step-free, reachable by public transport, with accessible "
          "facilities?", "5.2.4 (convenient locations)",
          "citizen-facing steps on counter or kiosk",
          lambda s, f: s.citizen_facing and s.channel in ("counter", "kiosk")),
    Check("ACC-09", "Is it available at convenient times, with time limits the citizen can "
          "extend?", "5.2.4 (convenient time periods); WCAG 2.2.1",
          "citizen-facing steps", _facing),
    Check("ACC-10", "Are waiting, queues and outages kept within a stated acceptable level?",
          "5.2.4 (minimise outages, crowding, waiting)", "citizen-facing steps", _facing),
    Check("ACC-11", "Can citizens with low income or without special equipment complete it "
          "(fees waivable, no device required)?", "5.2.2 (irrespective of social status)",
          "citizen-facing steps", _facing),
    Check("ACC-12", "Can the citizen identify themselves without a memory test or a document "
          "or device some groups lack?", "WCAG 2.2 3.3.8; 5.2.2",
          "citizen-facing steps where the citizen signs in or proves identity "
          "(tagged identity)",
          lambda s, f: s.citizen_facing and "identity" in s.tags),
    Check("TRA-01", "Does the citizen learn what the service is for and whether it applies "
          "to them?", "5.2.3 (service intent)", "citizen-facing steps in the first stage",
          lambda s, f: s.citizen_facing and f.in_first_stage),
    Check("TRA-02", "Are the steps, channels and the evidence needed stated before the "
          "citizen starts?", "5.2.3 (methods of availing); SDG art. 10",
          "citizen-facing steps in the first two stages",
          lambda s, f: s.citizen_facing and f.in_first_two_stages),
    Check("TRA-03", "Are fees, deadlines and conditions stated?", "5.2.3 (terms of delivery)",
          "citizen-facing steps", _facing),
    Check("TRA-04", "Are the possible outcomes and the next step explained?",
          "5.2.3 (possible outcomes)", "citizen-facing steps", _facing),
    Check("TRA-05", 'Is the expected duration stated, with any legal maximum ("if you apply '
          'today…")?', "eGovernment Benchmark, transparency of service delivery; SDG art. 10",
          "citizen-facing steps with a wait ahead (wait_days > 0 on the step itself or on "
          "any step reachable from it through transitions)",
          lambda s, f: s.citizen_facing and f.wait_ahead),
    Check("TRA-06", "Is a submission acknowledged with a reference?",
          "eGovernment Benchmark (delivery notice)",
          "citizen-facing steps with a transition to a backstage step",
          lambda s, f: s.citizen_facing and f.to_backstage),
    Check("TRA-07", "Can the citizen see progress, or are they told proactively, while they "
          "wait?", "eGovernment Benchmark (progress tracking); 5.2.3 (timely)",
          "steps with wait_days > 0",
          lambda s, f: (s.wait_days or 0) > 0),
    Check("TRA-08", "Are decisions explained in plain words, with the reasons?",
          "5.2.6; 3.16", "steps that are the source of a failure transition, or tagged decision",
          _decision),
    Check("TRA-09", "Is it clear how to complain or appeal, and by when?",
          "5.2.6 (invoke accountability); pyramid level 2; SDG art. 10",
          "steps that are the source of a failure transition, or tagged decision",
          _decision),
    Check("TRA-10", "Is a responsible body named, with a way to reach a person?",
          "5.2.6; 5.2.3", "citizen-facing steps", _facing),
    Check("TRA-11", "Is it explained what personal data is used, why, and how to see and "
          "correct it?", "3.16 Note 2; eGovernment Benchmark (transparency of personal data)",
          "steps tagged personal-data",
          lambda s, f: "personal-data" in s.tags),
    Check("TRA-12", "Does communication about this step reach the citizen through more than "
          "one channel?", "5.2.3 (multiple channels)", "citizen-facing steps", _facing),
]

CHECKS: dict[str, Check] = {c.id: c for c in _CHECKS}
"""Every check of both catalogues, by id, in catalogue order."""

_CATALOGUE_ORDER = {cid: n for n, cid in enumerate(CHECKS)}

FAILED_RESULTS = frozenset({"fail", "partial"})


def step_facts(journey: Journey, graph: JourneyGraph | None = None) -> list[Facts]:
    """The applicability facts of each step, in document order."""
    g = graph or JourneyGraph(journey)
    first = journey.stages[0].id
    first_two = {s.id for s in journey.stages[:2]}
    waits = {i for i, s in enumerate(journey.steps) if (s.wait_days or 0) > 0}
    wait_ahead = g.reaches_any(waits)
    facts = []
    for i, s in enumerate(journey.steps):
        outs = g.out_edges[i]
        facts.append(Facts(
            in_first_stage=s.stage == first,
            in_first_two_stages=s.stage in first_two,
            wait_ahead=wait_ahead[i],
            to_backstage=any(not journey.steps[e.target].citizen_facing for e in outs),
            failure_source=any(e.kind == "failure" for e in outs),
        ))
    return facts


class Assessment:
    """Which checks apply to each step and what the team answered to them.

    Applicability is worked out only when a question needs it: the step facts on first
    use, and a check's rule only for the answers asked about. So counting failed checks
    (what a diagram shows) tests only the answers ``fail`` or ``partial``, which keeps
    cached renders of large journeys fast.
    """

    def __init__(self, journey: Journey, graph: JourneyGraph | None = None):
        self.journey = journey
        self.graph = graph or JourneyGraph(journey)

    @cached_property
    def facts(self) -> list[Facts]:
        """The applicability facts of each step, in document order."""
        return step_facts(self.journey, self.graph)

    @cached_property
    def applicable(self) -> list[tuple[str, ...]]:
        """The ids of the checks that apply to each step, catalogue order."""
        return [tuple(c.id for c in _CHECKS if c.applies(s, f))
                for s, f in zip(self.journey.steps, self.facts, strict=True)]

    def applies(self, i: int, check_id: str) -> bool:
        """Whether the check applies to step ``i``."""
        return CHECKS[check_id].applies(self.journey.steps[i], self.facts[i])

    def answer(self, i: int, check_id: str) -> CheckAnswer | None:
        """The team's answer to the check at step ``i`` if the check applies there, else None."""
        answer = self.journey.steps[i].checks.get(check_id)
        if answer is None or not self.applies(i, check_id):
            return None
        return answer

    def ignored(self, i: int) -> list[str]:
        """Checks answered at step ``i`` that do not apply to it, in the document's order."""
        return [cid for cid in self.journey.steps[i].checks if not self.applies(i, cid)]

    def result(self, i: int, check_id: str) -> str | None:
        """The answer to an applicable check, or None (not assessed or not applicable)."""
        answer = self.answer(i, check_id)
        return answer.result if answer else None

    def answers(self, i: int) -> dict[str, str]:
        """Applicable check id → result at step ``i``, catalogue order; others are ignored."""
        return {cid: answer.result for cid in CHECKS
                if (answer := self.answer(i, cid)) is not None}

    def failed(self, i: int) -> list[str]:
        """Applicable checks answered ``fail`` or ``partial`` at step ``i``, catalogue order."""
        checks = self.journey.steps[i].checks
        failed = [cid for cid, a in checks.items()
                  if a.result in FAILED_RESULTS and self.applies(i, cid)]
        if len(failed) > 1:  # answers come in the document's order
            failed.sort(key=_CATALOGUE_ORDER.__getitem__)
        return failed

    def failed_counts(self) -> list[int]:
        """How many :meth:`failed` checks each step has, in document order (diagram badges)."""
        return [len(self.failed(i)) for i in range(len(self.journey.steps))]

    def coverage(self) -> dict[str, "Coverage"]:
        """Coverage figures per catalogue (``ACC``, ``TRA``)."""
        tallies = {cat: Coverage(cat) for cat in CATALOGUES}
        for i, step in enumerate(self.journey.steps):
            for cid in self.applicable[i]:
                cov = tallies[cid[:3]]
                cov.applicable += 1
                answer = step.checks.get(cid)
                if answer is not None:
                    cov.counts[answer.result] += 1
        return tallies


@dataclass
class Coverage:
    """Counts of one catalogue over the applicable (step, check) pairs of a journey."""

    catalogue: str
    applicable: int = 0

    def __post_init__(self):
        self.counts = dict.fromkeys(("pass", "partial", "fail", "n/a"), 0)

    @property
    def answered(self) -> int:
        """Applicable pairs with any answer, ``n/a`` included."""
        return sum(self.counts.values())

    @property
    def assessed(self) -> Fraction | None:
        """Share of applicable pairs answered; None for 0/0."""
        return Fraction(self.answered, self.applicable) if self.applicable else None

    @property
    def pass_rate(self) -> Fraction | None:
        """(pass + ½ partial) / (pass + partial + fail); None for 0/0."""
        judged = self.counts["pass"] + self.counts["partial"] + self.counts["fail"]
        if not judged:
            return None
        return Fraction(2 * self.counts["pass"] + self.counts["partial"], 2 * judged)


def percent(share: Fraction | None) -> str:
    """A share as a whole percentage, or ``–`` when there is nothing to count."""
    if share is None:
        return "–"
    # Half up (12.5 % shows as 13 %), as people round, not banker's rounding.
    return f"{math.floor(share * 100 + Fraction(1, 2))} %"


def reference() -> str:
    """The catalogues as a Markdown page, for the docs and the help pages."""
    lines = [
        "# Check catalogues",
        "",
        "Generated from `journeys/domain/checks.py` by `python -m journeys.domain.checks`;",
        "do not edit.",
        "",
        "Each check cites its basis (ISO 11367:2025 clause numbers, in our reading of the",
        "standard, and the other sources named). A check that does not apply to a step is",
        "shown greyed, never counted as missing, and an answer given to it is ignored.",
        "Answers: `pass`, `partial`, `fail`, `n/a`, optionally with a note.",
    ]
    for cat, title in CATALOGUES.items():
        lines += ["", f"## {title}", "", "| id | question | basis | applies to |",
                  "|---|---|---|---|"]
        lines += [f"| {c.id} | {c.question} | {c.basis} | {c.applies_to} |"
                  for c in _CHECKS if c.catalogue == cat]
    lines += [
        "",
        "Coverage per catalogue: **assessed** is the share of applicable (step, check) pairs",
        "with any answer (`n/a` included); **pass rate** is (pass + ½ partial) / (pass +",
        "partial + fail). A share with nothing to count is shown as `–`.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(reference(), end="")
