"""Factories for in-memory journeys, so a test states only what it is about."""

from journeys.domain.document import Journey, PainPoint, Stage, Step, Transition, default_visibility


def make_step(id="s1", stage="a", title=None, **overrides) -> Step:
    """A step with the format's defaults; visibility follows the actor unless given."""
    actor = overrides.get("actor", "citizen")
    overrides.setdefault("visibility", default_visibility(actor))
    pains = overrides.pop("pain_points", [])
    overrides["pain_points"] = [p if isinstance(p, PainPoint) else PainPoint(**p) for p in pains]
    return Step(id=id, stage=stage, title=title or f"Step {id}", **overrides)


def make_journey(steps=None, transitions=None, stages=None, **overrides) -> Journey:
    """A journey of the given steps (dicts or Steps); two stages ``a`` and ``b`` by default."""
    stages = stages or [Stage("a", "First"), Stage("b", "Second")]
    stages = [s if isinstance(s, Stage) else Stage(**s) for s in stages]
    steps = steps if steps is not None else [{"id": "s1"}, {"id": "s2", "stage": "b"}]
    steps = [s if isinstance(s, Step) else make_step(**s) for s in steps]
    transitions = [_transition(t) for t in (transitions or [])]
    overrides.setdefault("title", "A journey")
    return Journey(stages=stages, steps=steps, transitions=transitions, **overrides)


def _transition(t) -> Transition:
    """A Transition from a Transition, a (from, to, label, kind) tuple or keyword dict."""
    if isinstance(t, Transition):
        return t
    return Transition(*t) if isinstance(t, tuple) else Transition(**t)


def permit_journey(session, title="Renew a residents' parking permit") -> int:
    """A stored two-stage journey for workshops: two citizen steps, one back-office step."""
    from journeys.store import services as store

    journey = make_journey(
        title=title,
        stages=[{"id": "find", "name": "Find out"}, {"id": "apply", "name": "Apply"}],
        steps=[{"id": "read", "stage": "find", "title": "Reads the guidance"},
               {"id": "form", "stage": "apply", "title": "Fills in the form"},
               {"id": "check", "stage": "apply", "title": "Checks the form",
                "actor": "back-office"}],
        transitions=[("read", "form"), ("form", "check")])
    return store.import_journey(session=session, actor=store.SYSTEM, journey=journey)
