"""The design brief a director reads: an executive summary, then the proposals in rank order.

:func:`build_brief` turns the engine's proposals into a :class:`Brief`, a view model in
plain words that the Markdown renderer here and the PDF template render alike:

- the **executive summary**: the journey in one sentence with its persona, and the top
  five issues, each with who is affected, the cost to citizens in the journey's own
  figures (days waited, minutes of effort, repeat contacts, failure routes) and the
  decision needed;
- the **proposals in rank order**, those on the same step merged into one entry that
  lists its rules (the JSON keeps one proposal per rule and target); the top ten in the
  main text, the rest in an appendix grouped by stage;
- each action tagged as a service change, a policy or legal change, or a
  cross-organisation change; entries on a step tagged ``statutory`` say that the law
  sets the frame;
- actions that recur word for word across entries stated once, as ways of working;
- clause numbers with their titles, and no field names of the format in the prose.

Settled: a transition proposal joins the entry of its ``from`` step; proposals on the
whole journey stay one entry each. An entry ranks where its first (highest) proposal
ranks. An action shared as a way of working recurs word for word in three entries or
more and names no figure and quotes nothing from the map (those are bound to their
step); it is filed under the first rule that proposes it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from designer.clauses import CLAUSE_TITLES, clause_with_title
from designer.proposal import Proposal
from designer.rules import RULES_BY_ID
from designer.wording import CROSS, KINDS, POLICY
from journeys.domain.checks import CHECKS, Assessment
from journeys.domain.document import ACTOR_NAMES, CHANNEL_NAMES, Journey, Step
from journeys.domain.text import format_number, listing, one_line, plural, quote

MAIN_ENTRIES = 10
"""How many entries the main text shows; the rest go to the appendix."""
TOP_ISSUES = 5
"""How many issues the executive summary names."""
SHARED_AFTER = 3
"""An action found word for word in this many entries is stated once, as a way of working."""

LEVEL_MEANING = {
    1: "the basic service works as promised",
    2: "problems are put right well",
    3: "shaped around the citizen's needs",
    4: "goes beyond what citizens expect",
}
SEVERITY = {1: "annoying", 2: "serious", 3: "blocks the citizen"}
FEELING = {-2: "citizens feel very bad here", -1: "citizens feel bad here"}
CHANNEL_PHRASE = {
    "web": "on the web", "app": "in an app", "email": "by email", "sms": "by text message",
    "phone": "by phone", "letter": "by letter", "counter": "in person at an office",
    "home-visit": "at home", "kiosk": "at a kiosk", "video": "by video call",
    "chat": "by chat", "partner": "through a partner", "none": "with no contact",
}
# What each rule says is wrong, in a director's words (the summary's headlines).
PROBLEMS = {
    "DR01": "no clear way to put things right when it goes wrong",
    "DR02": "a moment of truth that only meets the basics",
    "DR03": "solid enough to go beyond what citizens expect",
    "DR04": "below the level the team aims for",
    "DR05": "citizens come away feeling bad",
    "DR06": "no citizen's own words are on the map yet",
    "DR07": "it rests on assumptions nobody has checked",
    "DR08": "the journey is due for renewal with citizens",
    "DR09": "accessibility barriers",
    "DR10": "citizens are not told what they need to know",
    "DR11": "citizens who cannot go digital have no way through",
    "DR12": "a long wait without news",
    "DR13": "citizens have to do things again",
    "DR14": "the journey stops without saying what comes next",
    "DR15": "the citizen changes channel again and again",
    "DR16": "the citizen deals with many organisations on their own",
    "DR17": "citizens report serious pain",
    "DR18": "nobody has assessed it yet",
    "DR19": "nobody measures how it goes",
}
# An action naming a figure or quoting the map is bound to its step: it is never shared.
_CONTEXT = re.compile(r"\d|'")
_CLAUSE_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)+)(?!\.?\d)")


@dataclass(frozen=True)
class BriefAction:
    """One action of an entry with its kind in words ("service change"…)."""

    text: str
    kind: str


@dataclass(frozen=True)
class Entry:
    """One entry of the brief: a step with all its proposals, or one journey proposal."""

    rank: int
    heading: str
    stage: str | None
    where: str
    priority: int
    rules: tuple[str, ...]
    proposal_ids: tuple[str, ...]
    frame: str | None
    facts: tuple[str, ...]
    actions: tuple[BriefAction, ...]
    shared: tuple[int, ...]
    clauses: tuple[str, ...]
    step: int | None = None  # the entry's step (document order); None: the whole journey


@dataclass(frozen=True)
class Way:
    """A way of working: one rule's actions that recur word for word across entries."""

    number: int
    rule: str
    actions: tuple[BriefAction, ...]


@dataclass(frozen=True)
class Issue:
    """One of the executive summary's top issues."""

    rank: int
    headline: str
    who: str
    cost: str
    decision: str


@dataclass(frozen=True)
class Brief:
    """Everything the brief says, in plain words; renderers only lay it out and escape it."""

    title: str
    evaluated_on: str
    context: tuple[str, ...]
    sentence: str
    persona: str | None
    issues: tuple[Issue, ...]
    main: tuple[Entry, ...]
    appendix: tuple[tuple[str | None, tuple[Entry, ...]], ...]  # stage name, None: journey
    ways_of_working: tuple[Way, ...]
    clauses: tuple[str, ...]
    proposals: int
    entries: int
    intro: str


def titled(text: str) -> str:
    """Clause numbers in ``text`` given their titles (``5.2.2`` → ``5.2.2 Equitable approach``)."""
    def sub(m: re.Match) -> str:
        number = m[1]
        return f"{number} {CLAUSE_TITLES[number]}" if number in CLAUSE_TITLES else number
    return _CLAUSE_NUMBER.sub(sub, text)


def _organisation(journey: Journey, s: Step) -> str | None:
    return s.agency or journey.organization


def _who_acts(s: Step) -> str:
    actor = "the citizen" if s.actor == "citizen" else ACTOR_NAMES[s.actor]
    return f"{actor} {CHANNEL_PHRASE[s.channel]}"


def _minutes(value: float) -> str:
    if value >= 120:
        hours = value / 60
        return f"{format_number(round(hours, 1))} hours"
    return plural(int(value), "minute") if float(value).is_integer() else f"{value} minutes"


def _days(value: float) -> str:
    return "1 day" if value == 1 else f"{format_number(value)} days"


class _Builder:
    def __init__(self, journey: Journey, proposals: Sequence[Proposal], evaluated_on: date,
                 assessment: Assessment | None):
        self.journey = journey
        self.proposals = proposals
        self.evaluated_on = evaluated_on
        self.assessment = assessment or Assessment(journey)
        self.graph = self.assessment.graph

    # Facts of a step, in plain words ----------------------------------------------------

    def step_facts(self, i: int) -> list[str]:
        j, s, g = self.journey, self.journey.steps[i], self.graph
        steps = j.steps
        facts = []
        if s.moment_of_truth:
            facts.append("A moment of truth: it makes or breaks the citizen's trust.")
        if "sensitive" in s.tags:
            facts.append("A moment of grief, illness or danger.")
        if s.level:
            level = f"Today at level {s.level} of 4 ({LEVEL_MEANING[s.level]})"
        else:
            level = "Not yet placed on the pyramid"
        if s.target_level and s.target_level != s.level:
            level += f"; the team aims for level {s.target_level} " \
                     f"({LEVEL_MEANING[s.target_level]})"
        facts.append(level + ".")
        if s.effort_minutes:
            facts.append(f"It takes the citizen {_minutes(s.effort_minutes)} of effort.")
        if s.wait_days:
            facts.append(f"The citizen then waits {_days(s.wait_days)}.")
        if s.emotion in FEELING:
            facts.append(FEELING[s.emotion][0].upper() + FEELING[s.emotion][1:] + ".")
        for p in s.pain_points:
            endorsed = f", endorsed by {p.votes}" if p.votes else ""
            facts.append(f"Pain point ({SEVERITY[p.severity]}, raised by "
                         f"{'a citizen' if p.source == 'citizen' else 'the ' + p.source}"
                         f"{endorsed}): {quote(p.text)}.")
        for cid in self.assessment.failed(i):
            answer = self.assessment.answer(i, cid)
            result = "not met" if answer.result == "fail" else "partly met"
            note = f" The team notes: {quote(answer.note)}." if answer.note else ""
            facts.append(f"{cid} {result}: {CHECKS[cid].question}{note}")
        for e in g.out_edges[i]:
            label = g.transition(e).label
            said = f" ({quote(label)})" if label else ""
            if e.kind == "failure":
                facts.append(f"It can go wrong{said}: the citizen then reaches "
                             f"{quote(steps[e.target].title)}.")
            elif e.kind == "rework":
                facts.append(f"Citizens are sent back from here to "
                             f"{quote(steps[e.target].title)}{said}.")
        for e in g.in_edges[i]:
            if e.kind == "rework":
                label = g.transition(e).label
                said = f" ({quote(label)})" if label else ""
                facts.append(f"Citizens come back here from {quote(steps[e.source].title)}"
                             f"{said}.")
        if s.evidence == "assumed":
            facts.append("What the map says here is assumed, not yet observed.")
        if s.moment_of_truth and s.measure is None:
            facts.append("Nothing is measured here yet.")
        return facts

    # Facts of the whole journey --------------------------------------------------------

    def main_path_figures(self) -> tuple[float, float]:
        steps = self.journey.steps
        path = self.graph.main_path
        return (sum(steps[i].wait_days or 0 for i in path),
                sum(steps[i].effort_minutes or 0 for i in path))

    def journey_facts(self, p: Proposal) -> list[str]:
        j, g = self.journey, self.graph
        steps = j.steps
        if p.rule == "DR06":
            pains = [pp for s in steps for pp in s.pain_points]
            if not pains:
                return ["The map records no pain point at all, so none in a citizen's words."]
            return [f"None of the journey's {plural(len(pains), 'pain point')} was raised by "
                    "a citizen: they come from the team or from data."]
        if p.rule == "DR08":
            if j.reviewed_on is None:
                return ["The journey has never been reviewed with citizens."]
            return [f"The journey was last reviewed with citizens on "
                    f"{j.reviewed_on.isoformat()}."]
        if p.rule == "DR11":
            blocking = [quote(s.title) for i, s in enumerate(steps)
                        if s.citizen_facing and s.digital
                        and self.assessment.result(i, "ACC-01") != "pass"]
            if not g.success_outcomes:
                return ["No ending of the journey is a success: every way out is a failure "
                        "or a loop."]
            return [f"Every way through the journey passes a digital step with no known other "
                    f"way to complete it: {listing(blocking, limit=8)}."]
        if p.rule == "DR15":
            facing = [i for i in g.main_path if steps[i].citizen_facing]
            channels = [CHANNEL_NAMES[steps[facing[0]].channel]] if facing else []
            changes = 0
            for a, b in zip(facing, facing[1:], strict=False):
                if steps[a].channel != steps[b].channel:
                    changes += 1
                    channels.append(CHANNEL_NAMES[steps[b].channel])
            return [f"On the usual path the citizen changes channel {changes} times: "
                    f"{' → '.join(channels)}."]
        if p.rule == "DR16":
            orgs = list(dict.fromkeys(_organisation(j, steps[i]) or "the journey's own "
                                      "organisation" for i in g.main_path))
            return [f"The usual path runs through {len(orgs)} organisations: "
                    f"{listing(orgs, limit=len(orgs))}."]
        return []

    # Entries ------------------------------------------------------------------------------

    def groups(self) -> list[list[Proposal]]:
        """Proposals merged per step (transitions with their from step), in rank order."""
        groups: dict[object, list[Proposal]] = {}
        for p in self.proposals:
            key = ("journey", p.rule) if p.step is None else p.step
            groups.setdefault(key, []).append(p)
        return list(groups.values())

    def entry(self, rank: int, group: list[Proposal], shared: dict[str, int]) -> Entry:
        j = self.journey
        first = group[0]
        rules = tuple(dict.fromkeys(f"{p.rule} {RULES_BY_ID[p.rule].title}" for p in group))
        actions: dict[str, str] = {}
        refs: dict[int, None] = {}
        for p in group:
            for text, kind in zip(p.actions, p.kinds or ("service",) * len(p.actions),
                                  strict=True):
                if text in shared:
                    refs[shared[text]] = None
                elif text not in actions:
                    actions[text] = kind
        clauses = tuple(dict.fromkeys(clause_with_title(c) for p in group for c in p.clauses))
        if first.step is None:
            heading, stage, frame = first.title, None, None
            where = "The whole journey"
            facts = self.journey_facts(first)
        else:
            s = j.steps[first.step]
            heading = s.title
            stage = j.stage(s.stage).name
            where = f"Stage {quote(stage)}, {_who_acts(s)}"
            org = _organisation(j, s)
            if org:
                where += f", for {org}"
            frame = None
            if "statutory" in s.tags:
                frame = ("The law prescribes the form of this step, so the actions below "
                         "work within it; where the law itself stands in the way, the action "
                         "says so and is marked as a policy or legal change.")
            facts = self.step_facts(first.step)
        return Entry(
            rank=rank, heading=one_line(heading), stage=stage, where=where,
            priority=first.priority, rules=rules, proposal_ids=tuple(p.id for p in group),
            frame=frame, facts=tuple(facts),
            actions=tuple(BriefAction(titled(t), KINDS[k]) for t, k in actions.items()),
            shared=tuple(sorted(refs)), clauses=clauses, step=first.step,
        )

    # The executive summary -----------------------------------------------------------------

    def sentence(self) -> str:
        j = self.journey
        steps = j.steps
        orgs = {_organisation(j, s) for s in steps}
        wait, effort = self.main_path_figures()
        who = f"the journey of {one_line(j.persona.name)}" if j.persona else "a citizen's journey"
        text = (f"{quote(j.title)} is {who}: {plural(len(steps), 'step')} in "
                f"{plural(len(j.stages), 'stage')}")
        if len(orgs) > 1:
            text += f", with {len(orgs)} organisations"
        text += "."
        figures = []
        if wait:
            figures.append(f"wait {_days(wait)}")
        if effort:
            figures.append(f"spend {_minutes(effort)} of their own time")
        if figures:
            text += " On the usual path they " + " and ".join(figures) + "."
        return text

    def issue(self, entry: Entry, group: list[Proposal]) -> Issue:
        j, g = self.journey, self.graph
        persona = j.persona.name if j.persona else None
        problems = list(dict.fromkeys(PROBLEMS[p.rule] for p in group))
        first = group[0]
        kinds = {k for p in group for k in p.kinds}
        if first.step is None:
            headline = first.title + ": " + problems[0]
            who = {
                "DR11": "citizens who cannot or will not go digital",
                "DR06": "every citizen whose experience the map should show",
            }.get(first.rule, "every citizen on this journey")
            if persona and first.rule != "DR11":
                who = f"{persona}, and {who}"
            wait, effort = self.main_path_figures()
            reworks = sum(1 for e in g.edges if e.kind == "rework")
            failures = sum(1 for e in g.edges if e.kind == "failure")
            figures = []
            if wait:
                figures.append(f"{_days(wait)} of waiting")
            if effort:
                figures.append(f"{_minutes(effort)} of effort")
            cost = [" and ".join(figures) + " on the usual path" if figures
                    else "no waits or effort recorded on the map"]
            if reworks:
                cost.append(f"{plural(reworks, 'route')} back to repeat a step")
            if failures:
                cost.append(plural(failures, "failure route"))
            cost_text = "; ".join(cost)
            orgs = [o for o in dict.fromkeys(_organisation(j, j.steps[i])
                                             for i in g.main_path) if o]
        else:
            i = first.step
            s = j.steps[i]
            headline = f"{quote(s.title)}: {listing(problems, limit=2)}"
            org = _organisation(j, s)
            who = (f"{persona}, and everyone at this step" if persona
                   else "every citizen at this step")
            if org and org != j.organization:
                who += f"; {org} is responsible"
            cost = []
            if s.wait_days:
                cost.append(f"waits {_days(s.wait_days)}")
            if s.effort_minutes:
                cost.append(f"{_minutes(s.effort_minutes)} of effort")
            back = [e for e in g.in_edges[i] + g.out_edges[i] if e.kind == "rework"]
            if back:
                cost.append(f"{plural(len(back), 'repeat contact')} on the map's routes back")
            fails = [g.transition(e).label or j.steps[e.target].title
                     for e in g.out_edges[i] if e.kind == "failure"]
            if fails:
                cost.append(f"{plural(len(fails), 'failure route')} "
                            f"({listing([quote(f) for f in fails])})")
            blocking = sum(1 for p in s.pain_points if p.severity == 3)
            if blocking:
                cost.append(f"{plural(blocking, 'pain point')} that blocks the citizen")
            cost_text = "; ".join(cost) if cost else "no waits or effort recorded on the map"
            orgs = [org] if org and org != j.organization else []
        decisions = []
        if kinds - {POLICY, CROSS}:
            decisions.append("approve the service changes the team can make")
        if CROSS in kinds:
            decisions.append("agree the changes with " + (listing(orgs) if orgs
                                                         else "the other organisations "
                                                              "involved"))
        if POLICY in kinds:
            decisions.append("decide whether to seek a policy or legal change")
        decision = "; ".join(decisions) + f" (entry {entry.rank})."
        return Issue(rank=entry.rank, headline=headline, who=who, cost=cost_text,
                     decision=decision[0].upper() + decision[1:])

    def build(self) -> Brief:
        j = self.journey
        groups = self.groups()
        counts: dict[str, int] = {}
        for group in groups:
            for text in dict.fromkeys(t for p in group for t in p.actions):
                counts[text] = counts.get(text, 0) + 1
        # Recurring actions, gathered by the rule that proposes them, in rank order.
        by_rule: dict[str, dict[str, str]] = {}
        for p in self.proposals:
            for text, kind in zip(p.actions, p.kinds, strict=True):
                if counts.get(text, 0) >= SHARED_AFTER and not _CONTEXT.search(text) \
                        and not any(
                        text in texts for texts in by_rule.values()):
                    by_rule.setdefault(p.rule, {})[text] = kind
        ways = tuple(
            Way(n, f"{rule} {RULES_BY_ID[rule].title}",
                tuple(BriefAction(titled(t), KINDS[k]) for t, k in texts.items()))
            for n, (rule, texts) in enumerate(by_rule.items(), start=1))
        shared = {t: n for n, texts in enumerate(by_rule.values(), start=1) for t in texts}
        entries = [self.entry(rank, group, shared)
                   for rank, group in enumerate(groups, start=1)]
        issues = tuple(self.issue(e, g) for e, g in zip(entries[:TOP_ISSUES],
                                                        groups[:TOP_ISSUES], strict=True))
        rest = entries[MAIN_ENTRIES:]
        appendix = []
        on_journey = tuple(e for e in rest if e.stage is None)
        if on_journey:
            appendix.append((None, on_journey))
        for stage in j.stages:
            in_stage = tuple(e for e in rest
                             if e.step is not None and j.steps[e.step].stage == stage.id)
            if in_stage:
                appendix.append((stage.name, in_stage))
        context = [f"Evaluated on {self.evaluated_on.isoformat()}"]
        if j.service:
            context.append(j.service)
        if j.organization:
            context.append(j.organization)
        context.append("the journey as it is today" if j.state == "as-is"
                       else "the journey as designed")
        persona = None
        if j.persona:
            persona = j.persona.name
            if j.persona.description:
                persona += f": {one_line(j.persona.description)}"
            if j.persona.needs:
                persona += " Needs: " + "; ".join(one_line(n) for n in j.persona.needs) + "."
        clauses = tuple(dict.fromkeys(clause_with_title(c) for p in self.proposals
                                      for c in p.clauses))
        return Brief(
            title=one_line(j.title), evaluated_on=self.evaluated_on.isoformat(),
            context=tuple(context), sentence=self.sentence(), persona=persona,
            issues=issues, main=tuple(entries[:MAIN_ENTRIES]), appendix=tuple(appendix),
            ways_of_working=ways, clauses=clauses,
            proposals=len(self.proposals), entries=len(entries),
            intro=_intro(len(self.proposals), len(entries), min(len(entries), MAIN_ENTRIES),
                         bool(appendix)),
        )


_KIND_MEANING = {
    "service": "the service team can make it",
    "policy": "a policy, a rule or the law must change: a decision for the director or "
              "the legislator",
    "cross-organisation": "another organisation must agree and act",
}


def _intro(proposals: int, entries: int, shown: int, appendix: bool) -> str:
    text = (f"{plural(proposals, 'proposal')} from the design rules (ISO 11367:2025, 7.3.2 "
            "Designing and renewing outstanding customer/citizen experiences), in "
            f"{'1 entry' if entries == 1 else f'{entries} entries'}: the proposals on one "
            "step make one entry. ")
    if appendix:
        text += f"The {shown} most important are below; the others are in the appendix, by " \
                "stage. "
    return text + "Each action says whose decision it is: " + "; ".join(
        f"{KINDS[k]}: {meaning}" for k, meaning in _KIND_MEANING.items()) + "."


def build_brief(journey: Journey, proposals: Sequence[Proposal], evaluated_on: date, *,
                assessment: Assessment | None = None) -> Brief:
    """The brief of a journey's proposals (as :func:`designer.propose` ordered them)."""
    return _Builder(journey, proposals, evaluated_on, assessment).build()
