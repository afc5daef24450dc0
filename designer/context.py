"""The facts the rules read, computed once per journey in linear time.

Rules that depend on one another (DR03 on DR01, DR04 on DR02 and DR03, DR10 on DR12)
share the predicates defined here rather than each other's output, so the rules can
run in any order and each predicate is computed once.
"""

import calendar
from datetime import date
from functools import cached_property

from designer.rule import Finding
from designer.wording import Situation, situation
from journeys.domain.checks import Assessment
from journeys.domain.document import Journey, Step
from journeys.domain.graph import Edge, JourneyGraph
from journeys.domain.text import quote

REVIEW_MONTHS = 12
"""Default review period for renewal (DR08), in calendar months."""


def months_before(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months, the day clamped to the month's end.

    Before year 1 the result is ``date.min``.
    """
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    if year < 1:
        return date.min
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Context:
    """One journey and its evaluation date, with the facts every rule shares."""

    def __init__(self, journey: Journey, *, today: date, review_months: int = REVIEW_MONTHS,
                 assessment: Assessment | None = None):
        self.journey = journey
        self.today = today
        self.review_months = review_months
        self.steps: list[Step] = journey.steps
        self.assessment = assessment or Assessment(journey)
        self.graph: JourneyGraph = self.assessment.graph
        self.failed: list[list[str]] = [self.assessment.failed(i) for i in range(len(self.steps))]
        self._situations: dict[int, Situation] = {}

    # Checks -----------------------------------------------------------------------

    def result(self, i: int, check_id: str) -> str | None:
        """The answer to an applicable check at step ``i`` (None: not answered / not applicable)."""
        return self.assessment.result(i, check_id)

    def check_sentence(self, i: int, check_id: str) -> str:
        """Evidence for one check at step ``i``: ``TRA-07 is fail``, with the team's note."""
        answer = self.assessment.answer(i, check_id)
        if answer is None:
            return f"{check_id} is not answered"
        sentence = f"{check_id} is {answer.result}"
        if answer.note and answer.note.strip():
            sentence += f": {quote(answer.note)}"
        return sentence

    # Shared predicates (one per rule that another rule depends on) ---------------------

    def failure_edges(self, i: int) -> list[Edge]:
        """The ``failure`` transitions out of step ``i``, document order."""
        return [e for e in self.graph.out_edges[i] if e.kind == "failure"]

    @cached_property
    def needs_recovery(self) -> list[bool]:
        """DR01 per step: a failure source whose TRA-09 is not pass or whose failure dead-ends."""
        out = []
        for i in range(len(self.steps)):
            failures = self.failure_edges(i)
            out.append(bool(failures) and (
                self.result(i, "TRA-09") != "pass"
                or any(self.graph.is_outcome(e.target) for e in failures)
            ))
        return out

    @cached_property
    def recovery_missing_anywhere(self) -> bool:
        """True when DR01 fires on some step of the journey."""
        return any(self.needs_recovery)

    def mot_upgrade(self, i: int) -> bool:
        """DR02: a moment of truth at level 1 or 2."""
        s = self.steps[i]
        return s.moment_of_truth and s.level in (1, 2)

    def surprise_ready(self, i: int) -> bool:
        """DR03: solid ground for a level-4 surprise at step ``i``."""
        s = self.steps[i]
        return (
            s.citizen_facing
            and s.level == 3
            and s.evidence in ("observed", "data")
            and not self.failed[i]
            and s.pain_score < 6
            and (s.moment_of_truth or (s.emotion is not None and s.emotion >= 1))
            and not self.recovery_missing_anywhere
        )

    def silent_wait(self, i: int) -> bool:
        """DR12: a wait of 5 days or more without TRA-07 pass."""
        return (self.steps[i].wait_days or 0) >= 5 and self.result(i, "TRA-07") != "pass"

    # Findings ---------------------------------------------------------------------

    def on_journey(self, title: str, evidence: list[str], actions: list[str]) -> Finding:
        """A finding about the whole journey."""
        return Finding(title=title, evidence=evidence, actions=actions)

    def on_step(self, i: int, title: str, evidence: list[str], actions: list[str]) -> Finding:
        """A finding about step ``i``."""
        return Finding(title=title, evidence=evidence, actions=actions, step=i)

    def on_transition(self, edge: Edge, title: str, evidence: list[str],
                      actions: list[str]) -> Finding:
        """A finding about a document transition (never an implied one)."""
        if edge.index is None:
            raise ValueError("an implied transition is never the target of a proposal")
        return Finding(title=title, evidence=evidence, actions=actions, step=edge.source,
                       transition=edge.index)

    # Words ------------------------------------------------------------------------

    def situation(self, i: int) -> Situation:
        """The facts of step ``i`` that decide how an action is worded (cached)."""
        if i not in self._situations:
            self._situations[i] = situation(self.journey, self.graph, i)
        return self._situations[i]

    def name(self, i: int) -> str:
        """A step as named in titles: its title, quoted."""
        return quote(self.steps[i].title)

    def organisation(self, s: Step) -> str | None:
        """The step's responsible organisation; None for the journey's own unnamed one."""
        return s.agency or self.journey.organization
