"""Run the registry on one journey: findings become prioritised, ordered proposals.

Settled: the evaluation date and the review period are arguments, never read from the
clock here, so the same journey, date and period always give the same proposals in
the same order.

Settled: on a moment of truth, a proposal from a rule that redesigns its step always
includes co-creation with citizens: when the rule's own actions do not already ask
for it, the engine adds one action saying so. DR09 and DR10 ask for it inside each
remedy, so their actions stay exactly one per failed check.

Settled: ties are broken by the document order of the proposal's step (journey
targets before all steps, a transition counting as its ``from`` step), then by rule
id, then by the target transition's index in ``transitions``.
"""

from datetime import date

from designer.context import REVIEW_MONTHS, Context
from designer.proposal import Proposal, Target
from designer.rule import Finding, Rule
from designer.rules import CO_CREATE_MOMENT, RULES
from designer.wording import CROSS, SERVICE, Action, word
from journeys.domain.checks import Assessment
from journeys.domain.document import Journey


def step_terms(ctx: Context, i: int | None) -> int:
    """The step part of a priority: 3 × moment of truth + level gap + min(pain, 10) + failed."""
    if i is None:
        return 0
    s = ctx.steps[i]
    return (3 * s.moment_of_truth + s.level_gap + min(s.pain_score, 10) + len(ctx.failed[i]))


def _target(ctx: Context, f: Finding) -> Target:
    if f.transition is not None:
        t = ctx.journey.transitions[f.transition]
        return Target("transition", source=t.source, target=t.target)
    if f.step is not None:
        return Target("step", id=ctx.steps[f.step].id)
    return Target("journey")


def _actions(ctx: Context, rule: Rule, f: Finding) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The finding's action texts and their kinds.

    A service change at a step another organisation is responsible for is a decision for
    that organisation too: it becomes a cross-organisation change.
    """
    actions = [a if isinstance(a, Action) else Action(a) for a in f.actions]
    on_moment = f.step is not None and ctx.steps[f.step].moment_of_truth
    if rule.redesigns and on_moment and not any("co-creat" in a.text.lower() for a in actions):
        actions.append(Action(word("with-care", ctx.situation(f.step), CO_CREATE_MOMENT)))
    elsewhere = False
    if f.step is not None:
        agency = ctx.steps[f.step].agency
        elsewhere = agency is not None and agency != ctx.journey.organization
    kinds = tuple(CROSS if elsewhere and a.kind == SERVICE else a.kind for a in actions)
    return tuple(a.text for a in actions), kinds


def sort_key(p: Proposal) -> tuple:
    """Higher priority first; then the step's document order (journey first), rule, transition."""
    return (-p.priority, -1 if p.step is None else p.step, p.rule,
            -1 if p.transition is None else p.transition)


def propose(journey: Journey, *, today: date, review_months: int = REVIEW_MONTHS,
            rules=RULES, assessment: Assessment | None = None) -> list[Proposal]:
    """The ordered design proposals for a journey evaluated on ``today``.

    Pass the journey's ``assessment`` when it is at hand, so its graph is built once.
    """
    if review_months < 1:
        raise ValueError("review_months must be at least 1")
    ctx = Context(journey, today=today, review_months=review_months, assessment=assessment)
    proposals = []
    for rule in rules:
        for f in rule.find(ctx):
            actions, kinds = _actions(ctx, rule, f)
            proposals.append(Proposal(
                rule=rule.id, name=rule.name, title=f.title, target=_target(ctx, f),
                clauses=rule.clauses, priority=rule.base + step_terms(ctx, f.step),
                evidence=tuple(f.evidence), actions=actions,
                step=f.step, transition=f.transition, kinds=kinds,
            ))
    proposals.sort(key=sort_key)
    return proposals
