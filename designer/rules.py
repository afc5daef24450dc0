"""The design rules DR01–DR19 and their registry, :data:`RULES`.

Each rule is a finder declared with :func:`designer.rule.rule`: it reads the shared
:class:`designer.context.Context` and yields one :class:`designer.rule.Finding` per
target. Its docstring is its documentation (when it fires, *What it proposes*, *Why*,
*Example*, and *Settled* where the spec needed a reading); the rule reference, the API
and the web help all read it from :data:`RULES`. Priorities and ordering are the
engine's job (:mod:`designer.engine`), not the rules'.
"""

from collections.abc import Iterator

from designer.context import Context, months_before
from designer.remedies import remedy
from designer.rule import Finding, rule
from designer.wording import CROSS, FAILURE_DEMAND, Action, rework_title, word
from journeys.domain.document import level_label
from journeys.domain.text import format_number, listing, plural, quote

CO_CREATE_MOMENT = (
    "This is a moment of truth: co-create the redesign with citizens who went through it, "
    "including people with access needs, and with the frontline staff who deliver it."
)
EQUITY_CHECK = (
    "Equity check: before rollout, make sure the experience reaches every group (citizens on "
    "assisted channels, on low income, with access needs or another language) and does not "
    "reward only the digitally skilled or the most vocal (5.2.2, 7.4.2)."
)
LEVEL_ACTIONS = {
    1: "Level 1, core promise: make the step work as promised every time (correct, on time, "
       "its channels available); agree the standard with the team and track on-time and "
       "first-time-right rates.",
    2: "Level 2, recovery: when the step goes wrong, the citizen knows how to raise it, gets "
       "a quick answer and ends up satisfied; track resolution time and satisfaction after a "
       "complaint.",
    3: "Level 3, citizen needs: shape the step around the citizen's situation (personal "
       "handling, a named contact, explanations tailored to their case), designed with "
       "citizens and the staff who deliver it.",
    4: "Level 4, surprise: once levels 1 to 3 hold, add something tailor-made and unexpected "
       "that citizens would tell others about.",
}


def _level(value: int | None) -> str:
    return "not set" if value is None else str(value)


@rule("DR01", "recovery-route", clauses=("Introduction (pyramid level 2)", "5.2.6", "7.3.2"),
      base=8,
      title="Open a recovery route where the journey can go wrong", target="step",
      redesigns=True)
def recovery_route(ctx: Context) -> Iterator[Finding]:
    """A step is the source of a ``failure`` transition and either its TRA-09 is not ``pass``,
    or the target of one of its ``failure`` transitions has no outgoing transition.

    What it proposes: a level-2 recovery route: how to complain or appeal and by when,
    who owns the response and how fast it comes, and a way back into the journey
    instead of a dead end.

    Why: recovery is level 2 of the service excellence pyramid (Introduction,
    Figure 1): when something goes wrong, a public service must let citizens invoke
    accountability (5.2.6) and end up satisfied. Without a recovery route the upper
    levels rest on nothing, which is why DR03 proposes no surprise anywhere while
    this rule fires.

    Example: "Inspector triages the report" sends some reports to "Told the road
    belongs to another authority" by a failure transition; TRA-09 is not answered and
    the failure step ends the journey. DR01 proposes saying how to challenge the
    decision, naming its owner, and passing the report on instead of closing it.

    Settled: "not pass" includes ``n/a`` and no answer; TRA-09 always applies to a
    failure source, so its answer is never ignored here. The first clause is cited as
    the spec's table writes it, "Introduction (pyramid level 2)".
    """
    for i in range(len(ctx.steps)):
        if not ctx.needs_recovery[i]:
            continue
        failures = ctx.failure_edges(i)
        evidence = []
        for e in failures:
            label = ctx.graph.transition(e).label
            sentence = f"failure transition from {ctx.steps[i].id} to {ctx.steps[e.target].id}"
            evidence.append(sentence + (f": {quote(label)}" if label else ""))
        if ctx.result(i, "TRA-09") != "pass":
            evidence.append(ctx.check_sentence(i, "TRA-09"))
        dead_ends = list(dict.fromkeys(
            ctx.steps[e.target].id for e in failures if ctx.graph.is_outcome(e.target)))
        for target in dead_ends:
            evidence.append(f"{target} has no outgoing transition: the journey ends there")
        actions = [
            "Write the recovery route for this step: how the citizen asks for a review, "
            "complains or appeals, by when, and what happens next; state it in plain words in "
            "every message that tells them something went wrong.",
            "Name an owner for the route (a team and a role, not just a mailbox) and commit to "
            "response times, such as an acknowledgement within two working days and an answer "
            "within ten.",
            "Give a way back into the journey: after a review or a correction the citizen "
            "resumes where they left off, with the same case reference, instead of starting "
            "again.",
        ]
        if dead_ends:
            actions.append(
                f"Today the journey stops at {listing(dead_ends)}: connect it to the recovery "
                "route, or pass the case on (with the citizen's consent) to whoever can help.")
        actions.append(
            "Test the route with frontline staff on recent cases that went wrong, then with "
            "citizens who lived them; track time to resolution and satisfaction after a "
            "complaint.")
        yield ctx.on_step(i, f"Open a recovery route at {ctx.name(i)}", evidence, actions)


@rule("DR02", "moment-of-truth-upgrade", clauses=("7.3.2", "5.1.2", "5.1.3"), base=7,
      title="Redesign the moment of truth around the citizen's situation", target="step",
      redesigns=True)
def moment_of_truth_upgrade(ctx: Context) -> Iterator[Finding]:
    """A moment of truth at level 1 or 2.

    What it proposes: a level-3 redesign of the moment around the citizen's situation:
    a named contact, an explanation tailored to their case, data pre-filled, staff free
    to adapt; where the actor is ``frontline``, empowering those staff. Always
    co-created with citizens.

    Why: moments of truth make or break trust, so they are designed first (7.3.2).
    Level 3 means the citizen feels understood and valued: a deeper, personal
    relationship (5.1.2) that only engaged, empowered people can deliver (5.1.3).

    Example: "Told the defect is fixed" is a moment of truth at level 2; DR02 proposes
    a message from a named contact that says what was done on that citizen's report,
    co-designed with cyclists who reported defects.
    """
    for i, s in enumerate(ctx.steps):
        if not ctx.mot_upgrade(i):
            continue
        evidence = ["moment of truth", f"level is {s.level}"]
        if s.actor == "frontline":
            evidence.append("actor is frontline")
            staff = ("Empower the frontline staff at this step: agree with them what they may "
                     "decide or adapt on the spot, within the rules and fairly for everyone; "
                     "train them and back their judgement.")
        else:
            staff = ("Free the staff behind this step to adapt it to the citizen's case, within "
                     "the rules and fairly for everyone, and agree with them where that "
                     "discretion lies.")
        sit = ctx.situation(i)
        actions = [
            word("with-care", sit,
                 "Co-create the new moment with citizens who went through it recently, "
                 "including people with access needs, and with the staff who deliver it: what "
                 "would make them feel their situation was understood?"),
            "Give the citizen a named contact for this moment, reachable directly, who stays "
            "with the case to its end.",
            "Tailor the explanation to the citizen's situation: what applies to them, why, and "
            "what happens next, in their terms.",
            word("known-data", sit),
            staff,
            word("prototype", sit),
        ]
        yield ctx.on_step(i, f"Redesign {ctx.name(i)} around the citizen's situation",
                          evidence, actions)


@rule("DR03", "surprise", clauses=("7.3.2", "5.2.2"), base=2,
      title="Add a surprise worth telling", target="step", redesigns=True)
def surprise(ctx: Context) -> Iterator[Finding]:
    """A citizen-facing step at level 3 with ``evidence`` ``observed`` or ``data``, no failed
    check, a pain score below 6, and either a moment of truth or ``emotion`` ≥ 1; and DR01
    fires nowhere in the journey.

    What it proposes: a level-4 surprise worth telling, always with an equity check (no
    group left out) and a note to renew it when it has worn into an expectation.

    Why: level 4 of the pyramid is what turns satisfaction into delight (7.3.2), but it
    only counts on solid ground: no surprise where basics fail, pain is heavy, or a
    recovery route is missing. A surprise must be fair: it may not favour the
    digitally skilled or the loudest (5.2.2).

    Example: "Registers the birth with the registrar" is an observed moment of truth
    at level 3 with emotion +2, but its ACC-04 is partial, so no surprise yet. Once
    that is fixed (and no recovery route is missing), DR03 proposes testing the team's
    idea of a keepsake copy of the entry, and checking that parents registering with
    an interpreter get it too.
    """
    for i, s in enumerate(ctx.steps):
        if not ctx.surprise_ready(i):
            continue
        evidence = ["level is 3", f"evidence is {s.evidence}", "no failed check",
                    f"pain score is {s.pain_score}"]
        if s.moment_of_truth:
            evidence.append("moment of truth")
        if s.emotion is not None and s.emotion >= 1:
            evidence.append(f"emotion is {s.emotion}")
        evidence.append("no recovery route is missing in the journey")
        sit = ctx.situation(i)
        ideas = word("surprise", sit)
        noted = [quote(text) for text in s.ideas if text.strip()]
        if noted:
            ideas += f" Start from the ideas already noted: {listing(noted)}."
        actions = [
            ideas,
            EQUITY_CHECK,
            word("surprise-test", sit),
            "Plan its renewal: what goes beyond expectations soon becomes an expectation, so "
            "review it at the next journey renewal and replace it when it no longer does.",
        ]
        title = (f"Go beyond what is expected at {ctx.name(i)}, with care" if sit.sensitive
                 else f"Add a surprise worth telling at {ctx.name(i)}")
        yield ctx.on_step(i, title, evidence, actions)


@rule("DR04", "level-gap", clauses=("7.3.2",), base=4,
      title="Close the gap to the target level", target="step", redesigns=True)
def level_gap(ctx: Context) -> Iterator[Finding]:
    """The step's level gap is above 0 and neither DR02 nor DR03 fired on the step.

    What it proposes: the design work to climb from the step's level to its target
    level, one pyramid level at a time, tested with citizens; a target of level 4
    always comes with the equity check.

    Why: the team has set a target level for the step (7.3.2); the pyramid is climbed
    in order, since the upper levels rest on the lower ones. DR02 and DR03 already
    propose the next level for their steps, so this rule stays quiet there.

    Example: an online booking step at level 1 with a target of 3 gets the work for
    level 2 (a wrong booking is put right quickly) and then level 3 (booking shaped
    around the family's situation), each tested with citizens.

    Settled: a step with no level counts as level 0, so the work starts at level 1;
    any proposal aiming at level 4 is a level-4 proposal and carries the equity check,
    like DR03.
    """
    for i, s in enumerate(ctx.steps):
        if s.level_gap <= 0 or ctx.mot_upgrade(i) or ctx.surprise_ready(i):
            continue
        current = s.level or 0
        target = s.target_level
        evidence = [f"level is {_level(s.level)}", f"target_level is {target}",
                    f"level gap is {s.level_gap}"]
        actions = [LEVEL_ACTIONS[level] for level in range(current + 1, target + 1)]
        if target == 4:
            actions[-1] = word("level-4", ctx.situation(i))
        if target == 4:
            actions.append(EQUITY_CHECK)
        actions.append("Climb the levels in order and test each change with citizens before "
                       "recording the new level, with what it rests on (observed or data).")
        yield ctx.on_step(i, f"Raise {ctx.name(i)} to level {target} "
                          f"({level_label(target, number=False)})",
                          evidence, actions)


@rule("DR05", "emotional-low", clauses=("7.3.2",), base=6,
      title="Design how the citizen should feel", target="step", redesigns=True)
def emotional_low(ctx: Context) -> Iterator[Finding]:
    """A citizen-facing step whose ``emotion`` is −2, or is −1 on a moment of truth.

    What it proposes: an emotional-touchpoint design: the feeling to aim for at the
    step, the cues that create it (words, tone, timing, who delivers it), tested with
    citizens.

    Why: ISO/TS 24082 asks to design for emotions, not only for function (7.3.2): a
    step where citizens feel very bad, or a moment of truth where they feel bad, is
    where trust is lost.

    Example: "Told the road belongs to another authority" leaves the citizen at −2;
    DR05 proposes aiming for "taken seriously" and rewriting the message so it says
    who now has the report and what they will do.
    """
    for i, s in enumerate(ctx.steps):
        if not s.citizen_facing:
            continue
        if not (s.emotion == -2 or (s.emotion == -1 and s.moment_of_truth)):
            continue
        evidence = [f"emotion is {s.emotion}"]
        if s.moment_of_truth:
            evidence.append("moment of truth")
        sit = ctx.situation(i)
        actions = [
            word("with-care", sit,
                 "Agree with citizens and frontline staff how citizens should feel at this "
                 "step (for example reassured instead of anxious, respected instead of "
                 "dismissed) and write it on the journey map."),
            "List the cues that create that feeling: the words and tone of the message, who "
            "delivers it and how, its timing, and what the citizen can do next; rewrite "
            f"{sit.artefact} around them.",
            word("emotion-test", sit),
        ]
        yield ctx.on_step(i, f"Design how citizens should feel at {ctx.name(i)}",
                          evidence, actions)


@rule("DR06", "co-create", clauses=("3.1", "5.1.7", "7.3.1"), base=4,
      title="Co-create the journey with citizens", target="journey")
def co_create(ctx: Context) -> Iterator[Finding]:
    """No pain point in the journey has ``source`` ``citizen``.

    What it proposes: a co-creation workshop with citizens, including people with
    access needs, on the moments of truth and the steps with the most pain, with
    frontline staff in the room.

    Why: the journey should be the citizen's (3.1), understood from their side (7.3.1)
    and improved with them (5.1.7); a map whose pain points all come from the team or
    from data has not yet heard them.

    Example: every pain point of a permit journey was written by the team; DR06
    proposes a workshop with recent applicants on the assessment letter (a moment of
    truth) and the form that collects most complaints.

    Settled: a journey with no pain point at all fires too (no pain point comes from a
    citizen).
    """
    pains = [p for s in ctx.steps for p in s.pain_points]
    if any(p.source == "citizen" for p in pains):
        return
    if pains:
        sources: dict[str, int] = {}
        for p in pains:
            sources[p.source] = sources.get(p.source, 0) + 1
        tally = ", ".join(f"{src} {count}" for src, count in sorted(sources.items()))
        evidence = [f"none of the journey's {len(pains)} pain points has source citizen "
                    f"(sources: {tally})"]
    else:
        evidence = ["the journey has no pain point, so none has source citizen"]
    moments = [s.id for s in ctx.steps if s.moment_of_truth]
    painful = sorted((i for i, s in enumerate(ctx.steps) if s.pain_score > 0),
                     key=lambda i: (-ctx.steps[i].pain_score, i))[:3]
    top = [ctx.steps[i].id for i in painful]
    if moments:
        focus = f"Work on the moments of truth first ({listing(moments)})"
    else:
        focus = ("No step is marked as a moment of truth yet: ask participants which moments "
                 "make or break their trust")
    focus += (f", then on the steps with the most pain ({listing(top)})." if top
              else ", then walk the whole journey with them.")
    recruit = ("Hold a co-creation workshop with citizens who used the service recently, "
               "including people with access needs and people who rely on assisted channels; "
               "recruit through community partners, not only online.")
    persona = ctx.journey.persona
    if persona is not None:
        recruit += f" Include citizens in the situation of {quote(persona.name)}."
    actions = [
        recruit,
        focus,
        "Record what they raise in their own words as pain points with source citizen, and "
        "let participants vote on them.",
        "Invite frontline staff to the same session, and tell participants afterwards what "
        "changed because of them.",
    ]
    yield ctx.on_journey("Co-create the journey with citizens", evidence, actions)


@rule("DR07", "validate-assumptions", clauses=("7.3.1",), base=4,
      title="Check with citizens what the step rests on", target="step")
def validate_assumptions(ctx: Context) -> Iterator[Finding]:
    """A citizen-facing step whose ``evidence`` is ``assumed`` and that is a moment of truth or
    carries a pain point of severity 3.

    What it proposes: research with citizens (observation, interviews, existing data)
    to confirm what the step rests on, before redesigning it.

    Why: designing from the outside in starts with understanding citizens' real needs
    and experience (7.3.1); a moment of truth or a blocking pain point described from
    assumptions risks a redesign that solves the wrong problem.

    Example: "Receives the assessment letter" is a moment of truth described from the
    team's assumptions; DR07 proposes interviewing recent applicants before it is
    redesigned.
    """
    for i, s in enumerate(ctx.steps):
        if not s.citizen_facing or s.evidence != "assumed":
            continue
        blocking = [p for p in s.pain_points if p.severity == 3]
        if not s.moment_of_truth and not blocking:
            continue
        evidence = ["evidence is assumed"]
        if s.moment_of_truth:
            evidence.append("moment of truth")
        evidence += [f"severity 3 pain point: {quote(p.text)}" for p in blocking]
        actions = [
            "Before redesigning, go and see: observe or interview five to eight citizens at "
            "this step, including people with access needs, and the staff who handle it.",
            "Look at what the organisation already knows: complaints, call reasons, analytics "
            "and case records for this step.",
            "Record what you found: note on the map what the step now rests on (observed, "
            "reported or data), and revise its description, level, emotion and pain points.",
        ]
        yield ctx.on_step(i, f"Check with citizens what {ctx.name(i)} rests on",
                          evidence, actions)


@rule("DR08", "renewal-due", clauses=("7.3.2", "5.2.7"), base=3,
      title="Renew the journey with citizens and frontline staff", target="journey")
def renewal_due(ctx: Context) -> Iterator[Finding]:
    """``reviewed_on`` is missing, or earlier than the evaluation date minus the review period
    in calendar months (default 12, ``--review-months N``); a future date never fires.

    What it proposes: a renewal review with citizens and frontline staff: what has
    become expected, what has changed, and an updated journey.

    Why: delight wears into expectation, so experiences are renewed periodically
    (7.3.2), and public services track changing needs and revise quickly (5.2.7).

    Example: a journey last reviewed on 2025-03-10, evaluated on 2026-11-24 with the
    default 12 months (due since 2026-03-10), gets a renewal proposal; one reviewed
    on 2025-11-24 does not.

    Settled: the cut-off is the evaluation date minus N calendar months with the day
    clamped to the month's end (2026-03-31 minus 1 month is 2026-02-28); a review on
    the cut-off day itself is not earlier, so it does not fire.
    """
    reviewed = ctx.journey.reviewed_on
    months = ctx.review_months
    if reviewed is None:
        evidence = ["reviewed_on is missing"]
    else:
        cutoff = months_before(ctx.today, months)
        if not reviewed < cutoff:
            return
        evidence = [f"reviewed_on is {reviewed.isoformat()}, before {cutoff.isoformat()} "
                    f"({months} months before the evaluation date {ctx.today.isoformat()})"]
    actions = [
        "Plan a renewal review of the journey with citizens who used the service in recent "
        "months and with the frontline staff who deliver it.",
        "Ask what has become expected (yesterday's surprise is today's standard), what has "
        "changed in citizens' lives, in the law and in the channels, and what complaints say "
        "now.",
        "Update the journey (levels, emotions, pain points, check answers), record the date "
        f"of the review on the journey, and plan the next review within {months} months.",
    ]
    yield ctx.on_journey("Renew the journey with citizens and frontline staff",
                         evidence, actions)


def _check_gap(ctx: Context, catalogue: str, exclude_silent_wait: bool,
               title: str) -> Iterator[Finding]:
    for i, s in enumerate(ctx.steps):
        failed = [cid for cid in ctx.failed[i] if cid.startswith(catalogue)]
        if exclude_silent_wait and ctx.silent_wait(i):
            failed = [cid for cid in failed if cid != "TRA-07"]
        if not failed:
            continue
        evidence = [ctx.check_sentence(i, cid) for cid in failed]
        actions = [remedy(cid, moment_of_truth=s.moment_of_truth, sit=ctx.situation(i))
                   for cid in failed]
        yield ctx.on_step(i, f"{title} at {ctx.name(i)}", evidence, actions)


@rule("DR09", "accessibility-gap", clauses=("5.2.4", "5.2.2", "7.4.2"), base=5,
      title="Remove the accessibility barriers", target="step", redesigns=True)
def accessibility_gap(ctx: Context) -> Iterator[Finding]:
    """A step with at least one failed ACC check.

    What it proposes: one remedy per failed accessibility check (``fail`` or
    ``partial``), each citing the check's basis and saying how to test the fix with
    the citizens concerned.

    Why: a public service is accessible by every channel, place and time that citizens
    need (5.2.4) and serves everyone equitably (5.2.2); managing accessibility is part
    of the model (7.4.2).

    Example: "Reads what to bring" fails ACC-06 (plain language) and ACC-07
    (languages); DR09 proposes a plain-language rewrite tested with readers, and the
    guidance in the languages families need.

    Settled: the actions are exactly one remedy per failed check; on a moment of truth
    each remedy also asks to co-create the change with citizens.
    """
    yield from _check_gap(ctx, "ACC", False, "Remove the accessibility barriers")


@rule("DR10", "transparency-gap", clauses=("5.2.3", "5.2.6", "7.4.2"), base=5,
      title="Close the transparency gaps", target="step", redesigns=True)
def transparency_gap(ctx: Context) -> Iterator[Finding]:
    """A step with at least one failed TRA check, not counting TRA-07 on a step where DR12 fires.

    What it proposes: one remedy per failed transparency check (``fail`` or
    ``partial``), each citing the check's basis and saying how to test the fix.

    Why: citizens should know the service's intent, how to obtain it, its terms and its
    possible outcomes, in time and through several channels (5.2.3), and be able to
    hold the organisation to account (5.2.6, 7.4.2).

    Example: "Reports the defect in the council app" fails TRA-05 (expected duration);
    DR10 proposes stating how long a repair takes, checked against case data.

    Settled: where DR12 fires, TRA-07 is left to DR12 (neither evidence nor remedy
    here), so a step whose only failed TRA check is that TRA-07 gets no DR10; the
    priority still counts TRA-07 among the step's failed checks.
    """
    yield from _check_gap(ctx, "TRA", True, "Close the transparency gaps")


@rule("DR11", "assisted-route", clauses=("5.2.4", "5.2.2"), base=7,
      title="Offer an assisted route through the whole journey", target="journey")
def assisted_route(ctx: Context) -> Iterator[Finding]:
    """No path from a start step to a success outcome on which every citizen-facing step on a
    digital channel has ACC-01 ``pass`` (steps on assisted channels or ``none`` never
    block); also when the journey has no success outcome.

    What it proposes: an assisted route (phone, counter, home visit, partner) through
    the whole journey for citizens who cannot go digital, reaching the same outcome on
    equal terms; the evidence names every citizen-facing digital step without ACC-01
    ``pass``.

    Why: a public service is available digitally *or otherwise* (5.2.4) and may not
    leave out the citizens who cannot use digital channels (5.2.2): one digital step
    with no other way through locks them out of the whole journey.

    Example: a road-defect journey whose only start leads to "Searches how to report
    it" on the web, with ACC-01 not answered, offers no route a citizen without
    internet can complete; DR11 proposes a phone and counter route end to end.

    Settled: found by a breadth-first search from the start steps over the steps that
    do not block (linear time, no path enumeration); a start step that blocks offers
    no path; a start step that is itself a success outcome is a path of one step.
    """
    graph = ctx.graph
    blocking = [s.citizen_facing and s.digital and ctx.result(i, "ACC-01") != "pass"
                for i, s in enumerate(ctx.steps)]
    success = graph.success_outcomes
    reached = graph.reach_from(graph.starts, [not b for b in blocking])
    if success and any(reached[i] for i in success):
        return
    evidence = []
    if not success:
        if not graph.outcomes:
            evidence.append("the journey has no success outcome: every step has an outgoing "
                            "transition")
        else:
            outs = listing([ctx.steps[i].id for i in graph.outcomes])
            evidence.append(f"the journey has no success outcome: {outs} "
                            "can only be reached by failure transitions")
    elif any(blocking):
        evidence.append("no path from a start step to a success outcome avoids a "
                        "citizen-facing digital step without ACC-01 pass")
    else:
        evidence.append("no success outcome can be reached from a start step")
    evidence += [f"{s.id} ({s.channel}): {ctx.check_sentence(i, 'ACC-01')}"
                 for i, s in enumerate(ctx.steps) if blocking[i]]
    actions = [
        "Design an assisted route through the whole journey (by phone, at a counter, through "
        "a home visit or a trusted partner) for citizens who cannot or will not go digital, "
        "from the first step to the outcome.",
        "For each citizen-facing digital step with no other way to complete it today, decide "
        "how a citizen completes it another way, and answer its ACC-01 check accordingly.",
        "Make the assisted route lead to the same outcome, in the same time and at no extra "
        "cost: it must not be a second-class path.",
        "Test it end to end with citizens who do not use the internet, have low digital skills "
        "or have access needs, recruited through libraries, advice centres and carers' "
        "groups.",
    ]
    yield ctx.on_journey("Offer an assisted route through the whole journey", evidence, actions)


@rule("DR12", "silent-wait", clauses=("5.2.3", "5.2.4"), base=5,
      title="Keep the citizen informed while they wait", target="step", redesigns=True)
def silent_wait(ctx: Context) -> Iterator[Finding]:
    """``wait_days`` ≥ 5 and TRA-07 is not ``pass``.

    What it proposes: progress tracking or proactive updates during the wait, with the
    expected date given up front.

    Why: communication is timely (5.2.3) and waiting is kept acceptable (5.2.4): a long
    wait without news drives anxiety and "where is my case?" calls.

    Example: "Repair is scheduled with a contractor" is followed by 14 days of waiting
    and TRA-07 is not answered; DR12 proposes telling the citizen the expected repair
    date and updating them when it is set or slips.

    Settled: TRA-07 applies to every step with a wait, so "not pass" here counts
    ``fail``, ``partial``, ``n/a`` and no answer.
    """
    for i, s in enumerate(ctx.steps):
        if not ctx.silent_wait(i):
            continue
        days = format_number(s.wait_days)
        evidence = [f"wait_days is {days}", ctx.check_sentence(i, "TRA-07")]
        actions = [
            f"Before the wait begins, tell the citizen how long it will be (currently {days} "
            "days) and the date they can expect to hear, with any legal maximum.",
            "Let them follow progress with their case reference on the channel they choose, or "
            "send proactive updates at each milestone and whenever the date slips.",
            "Say whom to contact if the date passes, and get in touch before they need to ask.",
            "Test with citizens who waited recently, and count 'where is my case?' contacts "
            "before and after the change.",
        ]
        yield ctx.on_step(i, f"Keep the citizen informed during the wait after {ctx.name(i)}",
                          evidence, actions)




@rule("DR13", "rework-loop", clauses=("5.2.5", "7.4.1"), base=5,
      title="Remove the failure demand behind the rework", target="transition",
      redesigns=True)
def rework_loop(ctx: Context) -> Iterator[Finding]:
    """Each ``rework`` transition; and each loop that contains no ``rework`` transition from
    one of its steps to one of its steps (a loop: a strongly connected component of two or
    more steps, or a step with a transition to itself in no such component).

    What it proposes: remove the failure demand: ask once, check completeness at entry,
    pre-fill what is known. The target is the ``rework`` transition itself; for a loop,
    the first transition (document order) from one of its steps to its earliest step
    (document order), a self transition included.

    Why: rework is waste and delay for the citizen and the organisation (5.2.5);
    processes are designed and managed to remove it (7.4.1).

    Example: "Inspector triages the report" sends reports back to "Reports the defect
    in the council app" by a rework transition labelled "location unclear"; DR13
    proposes a location check when the report is made.

    Settled: loops are found with Tarjan's algorithm (linear time); a loop that holds a
    ``rework`` transition is already covered by that transition's own proposal. Implied
    transitions never form a loop, so they are never a target.
    """
    graph = ctx.graph
    steps = ctx.steps
    for e in graph.edges:
        if e.kind != "rework" or e.index is None:
            continue
        label = graph.transition(e).label
        evidence = [f"rework transition from {steps[e.source].id} to {steps[e.target].id}"
                    + (f": {quote(label)}" if label else "")]
        sit = ctx.situation(e.source)
        if not sit.statutory and ctx.situation(e.target).statutory:
            sit = ctx.situation(e.target)
        actions = word("rework", sit, label)
        title = rework_title(sit, ctx.name(e.source), ctx.name(e.target))
        yield ctx.on_transition(e, title, evidence, actions)
    loop_of = graph.loop_index
    covered = {loop_of[e.source] for e in graph.edges
               if e.kind == "rework" and e.source in loop_of
               and loop_of.get(e.target) == loop_of[e.source]}
    for n, members in enumerate(graph.loops):
        if n in covered:
            continue
        first = members[0]
        closing = next(e for e in graph.in_edges[first] if loop_of.get(e.source) == n)
        ids = [steps[i].id for i in members]
        if len(members) == 1:
            evidence = [f"{ids[0]} has a transition to itself, none of kind rework"]
        else:
            evidence = [f"steps {listing(ids)} form a loop with no rework transition"]
        evidence.append(f"the {closing.kind} transition from {steps[closing.source].id} back "
                        f"to {steps[first].id} closes the loop")
        actions = [
            f"Find out why cases go round this loop ({listing(ids)}) and how often, from case "
            "data and with the staff involved; if it is rework, mark the transition as such.",
            *FAILURE_DEMAND,
        ]
        yield ctx.on_transition(closing, f"Break the loop back to {ctx.name(first)}",
                                evidence, actions)


@rule("DR14", "dead-end", clauses=("5.2.3",), base=4,
      title="Tell the citizen what happens next", target="step", redesigns=True)
def dead_end(ctx: Context) -> Iterator[Finding]:
    """A success outcome that is not in the last entry of ``stages``.

    What it proposes: tell the citizen what happens next, or connect the step to the
    rest of the journey.

    Why: citizens should know the possible outcomes and what comes next (5.2.3); a
    journey that stops before its last stage leaves them without either.

    Example: "Receives the appointment letter" has no outgoing transition but sits in
    the stage "Book" while the last stage is "Attend"; DR14 proposes saying what
    happens next or drawing the missing transitions.
    """
    last = ctx.journey.stages[-1]
    for i in ctx.graph.success_outcomes:
        s = ctx.steps[i]
        if s.stage == last.id:
            continue
        stage = quote(ctx.journey.stage(s.stage).name)
        evidence = [f"{s.id} has no outgoing transition",
                    f"it is in stage {stage} ({s.stage}), not in the last stage "
                    f"{quote(last.name)} ({last.id})"]
        actions = [
            "At this step, tell the citizen what happens next, when, and whether they need to "
            "do anything.",
            "If the journey goes on, connect this step on the map to what follows (up to the "
            f"last stage, {quote(last.name)}), so that no citizen is left without a next step.",
            "Check with citizens who reached this point whether they knew where they stood.",
        ]
        yield ctx.on_step(i, f"Tell the citizen what happens after {ctx.name(i)}",
                          evidence, actions)


@rule("DR15", "channel-hops", clauses=("5.1.5", "5.2.5"), base=3,
      title="Join up the handoffs between channels", target="journey")
def channel_hops(ctx: Context) -> Iterator[Finding]:
    """Along the main path, the channels of its citizen-facing steps change 3 times or more
    (counting the changes between consecutive citizen-facing steps).

    What it proposes: joined-up handoffs: the case reference and the citizen's data
    follow them across channels, and every change is explained or removed.

    Why: journeys are managed across functions and channels (5.1.5); each channel
    change where the citizen has to start again is waste (5.2.5).

    Example: a main path going none → web → app → email changes channel three times;
    DR15 proposes carrying the report's reference and photo across all of them.

    Settled: ``none`` is a value of ``channel`` like any other, so a citizen-facing step
    on ``none`` (e.g. noticing a problem) counts in the changes.
    """
    facing = [i for i in ctx.graph.main_path if ctx.steps[i].citizen_facing]
    changes = [(a, b) for a, b in zip(facing, facing[1:], strict=False)
               if ctx.steps[a].channel != ctx.steps[b].channel]
    if len(changes) < 3:
        return
    steps = ctx.steps
    evidence = [f"the main path changes channel {len(changes)} times between citizen-facing "
                "steps"]
    evidence += [f"{steps[a].channel} → {steps[b].channel}: {steps[a].id} to {steps[b].id}"
                 for a, b in changes]
    actions = [
        "Make the case reference and everything the citizen has given follow them across "
        "channels, so that nobody asks again after a switch.",
        "At each change of channel on the way, tell the citizen why the channel changes and "
        "what comes next; remove the changes that serve only the organisation.",
        "Give staff on every channel the same view of the case and its history.",
        "Test the journey end to end with citizens, switching channels as they would in real "
        "life.",
    ]
    yield ctx.on_journey("Join up the handoffs between channels", evidence, actions)


@rule("DR16", "handoffs", clauses=("5.1.5", "7.4.1"), base=3,
      title="Give the citizen one point of contact across organisations", target="journey")
def handoffs(ctx: Context) -> Iterator[Finding]:
    """The steps of the main path (backstage included) have 3 or more distinct responsible
    organisations.

    What it proposes: one point of contact or a case owner across the organisations,
    with agreed handoffs of the case and its data.

    Why: citizens should not have to manage the boundaries between organisations
    (5.1.5); processes and structures are organised around their experience (7.4.1).

    Example: a birth registration whose main path runs through the maternity unit, the
    register office and the benefits agency gets DR16: one contact who follows the
    family across the three.

    Settled: a step's responsible organisation is its ``agency``, else the journey's
    ``organization``, else the journey's own unnamed organisation, which counts as one;
    names compare exactly.
    """
    groups: dict[str | None, list[str]] = {}
    for i in ctx.graph.main_path:
        s = ctx.steps[i]
        groups.setdefault(ctx.organisation(s), []).append(s.id)
    if len(groups) < 3:
        return
    evidence = [f"the main path involves {len(groups)} organisations"]
    for org, ids in groups.items():
        who = quote(org) if org is not None else "the journey's own organisation (not named)"
        evidence.append(f"{who}: {listing(ids)}")
    actions = [
        Action("Name one case owner who stays the citizen's point of contact across all the "
               "organisations on the journey, whoever does the work.", CROSS),
        Action("Agree with the organisations how the case and its data pass between them "
               "(with the citizen's consent) and who answers the citizen at each handoff.",
               CROSS),
        Action("Map the handoffs in a joint session with staff from each organisation, then "
               "test the new arrangement with citizens who went through the journey.", CROSS),
    ]
    yield ctx.on_journey("Give the citizen one point of contact across organisations",
                         evidence, actions)


@rule("DR17", "pain-hotspot", clauses=("7.3.2", "7.3.1"), base=4,
      title="Redesign the pain hotspot with the citizens who raised it", target="step",
      redesigns=True)
def pain_hotspot(ctx: Context) -> Iterator[Finding]:
    """A step's pain score is 6 or more (Σ severity × (1 + votes) over its pain points), or
    one of its pain points has severity 3.

    What it proposes: a redesign of the step with the citizens who raised its pain
    points, starting from the heaviest one, and a new scoring afterwards.

    Why: where pain concentrates, the experience is most in need of redesign (7.3.2),
    and those who raised the pain understand it best (7.3.1). A pain point of severity
    3 blocks the citizen, whoever raised it and however few endorsed it, so it makes a
    hotspot on its own.

    Example: "Books an appointment online" carries "First free slot is 12 days away",
    endorsed by 6 parents (score 14); DR17 proposes working on booking with those
    parents. A single unendorsed pain point "The form rejects my address" of severity
    3 (score 3) fires too.
    """
    for i, s in enumerate(ctx.steps):
        blocking = [p for p in s.pain_points if p.severity == 3]
        if s.pain_score < 6 and not blocking:
            continue
        evidence = [f"pain score is {s.pain_score}"]
        if blocking:
            evidence.append(f"{plural(len(blocking), 'pain point')} of severity 3 "
                            "(blocks the citizen)")
        for p in s.pain_points:
            evidence.append(f"severity {p.severity} pain point from {p.source}, "
                            f"{plural(p.votes, 'vote')}: {quote(p.text)}")
        if any(p.source == "citizen" for p in s.pain_points):
            who = ("Co-create the redesign with the citizens who raised these pain points and "
                   "those who endorsed them, with the staff who run the step.")
        else:
            who = ("These pain points come from the team or from data: ask citizens who went "
                   "through the step to confirm and rank them, then co-create the redesign "
                   "with them.")
        who = word("with-care", ctx.situation(i), who)
        heaviest = max(s.pain_points, key=lambda p: p.score)
        actions = [
            who,
            f"Start from the heaviest pain point, {quote(heaviest.text)}, and generate options "
            "with citizens and frontline staff.",
            "Prototype the changes, test them with the same citizens, and score the pain points "
            "again afterwards.",
        ]
        yield ctx.on_step(i, f"Redesign {ctx.name(i)} with the citizens who raised its pain "
                          "points", evidence, actions)


@rule("DR18", "unassessed", clauses=("7.4.3",), base=1,
      title="Assess the step", target="step")
def unassessed(ctx: Context) -> Iterator[Finding]:
    """A citizen-facing step with no ``level`` and no answer to any check that applies to it.

    What it proposes: assess the step: its pyramid level, the checks that apply, and the
    evidence the assessment rests on.

    Why: excellence activities are monitored (7.4.3); a citizen-facing step nobody has
    assessed is a blind spot in the journey.

    Example: "Spots a deep pothole on the cycle lane" has no level and none of its
    applicable checks answered; DR18 proposes rating it.

    Settled: an ``n/a`` answer to an applicable check is an answer; answers to checks
    that do not apply are ignored.
    """
    for i, s in enumerate(ctx.steps):
        if not s.citizen_facing or s.level is not None or ctx.assessment.answers(i):
            continue
        applicable = list(ctx.assessment.applicable[i])
        evidence = ["level is not set",
                    f"none of its {len(applicable)} applicable checks is answered"]
        actions = [
            "Set the step's level on the pyramid (1 core promise to 4 surprise) from what the "
            "team knows, and note what the rating rests on.",
            f"Answer the {len(applicable)} checks that apply to it: "
            f"{listing(applicable, limit=len(applicable))}.",
            "If nobody has seen the step from the citizen's side yet, observe it or ask "
            "citizens who went through it before rating it.",
        ]
        yield ctx.on_step(i, f"Assess {ctx.name(i)}", evidence, actions)


@rule("DR19", "data-point", clauses=("7.3.2", "7.4.3"), base=2,
      title="Define a data point for the moment of truth", target="step")
def data_point(ctx: Context) -> Iterator[Finding]:
    """A moment of truth with no ``measure``.

    What it proposes: a data point: what to measure at the moment of truth to know the
    experience is delivered, and how the measure reaches the team.

    Why: designing an experience includes defining its data points (7.3.2, ISO/TS
    24082), and results are monitored (7.4.3).

    Example: "Told the defect is fixed" is a moment of truth with no measure; DR19
    proposes a one-question satisfaction survey with the closure message, reviewed
    monthly.
    """
    for i, s in enumerate(ctx.steps):
        if not s.moment_of_truth or s.measure is not None:
            continue
        actions = [
            "Choose what to measure at this moment of truth to know the experience is "
            "delivered: for example one trust or satisfaction question right after it, the "
            "time it takes, or the share of citizens who have to call.",
            "Decide how the measure reaches the team (a dashboard, the monthly service review) "
            "and who acts when it drops.",
            "Agree the measure with citizens (what does a good experience at this moment mean "
            "to them?), then record it as the step's measure.",
        ]
        yield ctx.on_step(i, f"Measure the experience at {ctx.name(i)}",
                          ["moment of truth", "measure is not set"], actions)


RULES = (
    recovery_route, moment_of_truth_upgrade, surprise, level_gap, emotional_low, co_create,
    validate_assumptions, renewal_due, accessibility_gap, transparency_gap, assisted_route,
    silent_wait, rework_loop, dead_end, channel_hops, handoffs, pain_hotspot, unassessed,
    data_point,
)
"""Every design rule, in id order: the one list the engine, docs, API and tests read."""

RULES_BY_ID = {r.id: r for r in RULES}
"""The rules by id."""
