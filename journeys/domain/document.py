"""The in-memory journey (format ``citizen-journey/1``): plain dataclasses, no I/O.

Everything that reads or writes a journey (import, export, store, render, checks,
designer) goes through these types. A :class:`Journey` is only ever built from a
validated document (see :mod:`journeys.domain.schemas`) or by code that respects the same
rules, so consumers may trust ids and references.
"""

from dataclasses import dataclass, field
from datetime import date

FORMAT = "citizen-journey/1"

SERVICE_TYPES = ("protection", "regulation", "conservation", "welfare", "commercial")
STATES = ("as-is", "to-be")
CHANNELS = (
    "web", "app", "email", "sms", "phone", "letter", "counter",
    "home-visit", "kiosk", "video", "chat", "partner", "none",
)
DIGITAL_CHANNELS = frozenset({"web", "app", "email", "sms", "chat", "video", "kiosk"})
ACTORS = ("citizen", "frontline", "back-office", "partner", "system")
# How a channel or an actor is named in running text (diagram, Markdown); Mermaid's labels
# are derived from these.
CHANNEL_NAMES = {
    "web": "web", "app": "app", "email": "email", "sms": "SMS", "phone": "phone",
    "letter": "letter", "counter": "counter", "home-visit": "home visit", "kiosk": "kiosk",
    "video": "video", "chat": "chat", "partner": "partner", "none": "no contact",
}
ACTOR_NAMES = {
    "citizen": "citizen", "frontline": "frontline staff", "back-office": "back office",
    "partner": "partner", "system": "system",
}
VISIBILITIES = ("frontstage", "backstage")
EVIDENCE = ("observed", "reported", "data", "assumed")
CHECK_RESULTS = ("pass", "fail", "partial", "n/a")
PAIN_CATEGORIES = (
    "waiting", "effort", "confusion", "access", "cost",
    "trust", "repetition", "emotional", "other",
)
PAIN_SOURCES = ("team", "citizen", "data")
TRANSITION_KINDS = ("flow", "alternative", "failure", "rework")

LEVEL_NAMES = {1: "Core promise", 2: "Recovery", 3: "Citizen needs", 4: "Surprise"}
# What a level means at a step, in words a reader outside the team understands: "Level 2
# Recovery" on "Hears from her GP" would read as the citizen's recovery.
LEVEL_MEANINGS = {
    1: "keeps the basic promise",
    2: "fixes problems well",
    3: "shaped around the citizen's needs",
    4: "goes beyond what was expected",
}

# The longest text each field may hold, in characters: the schema enforces them, and code
# that builds a document from other text (the Mermaid import) cuts to them.
TITLE_MAX = 200              # the journey's title, a step's title
NAME_MAX = 100               # a stage's name, the persona's name
DESCRIPTION_MAX = 5000       # a step's description
SHORT_DESCRIPTION_MAX = 2000  # a stage's or the persona's description
LINE_MAX = 200               # service, organization, agency, measure, transition label, a need
NOTE_MAX = 1000              # a pain point's text, a check answer's note
IDEA_MAX = 500               # one idea
TAG_MAX = 50                 # one tag
SLUG_MAX = 64                # an id
# The largest document read, in bytes: here rather than in the schema, so a command can
# read its input before the validator is loaded.
MAX_BYTES = 5_000_000


def level_label(level: int | None, *, number: bool = True) -> str:
    """The level in words: ``L2 Recovery`` (``Recovery`` without ``number``), ``not assessed``."""
    if not level:
        return "not assessed"
    return f"L{level} {LEVEL_NAMES[level]}" if number else LEVEL_NAMES[level]


def level_meaning(level: int | None) -> str:
    """The level as a reader-facing phrase: ``Level 2: fixes problems well``."""
    if not level:
        return "Level not assessed"
    return f"Level {level}: {LEVEL_MEANINGS[level]}"


def default_visibility(actor: str) -> str:
    """The visibility a step has when its document does not say."""
    return "frontstage" if actor in ("citizen", "frontline") else "backstage"


@dataclass
class CheckAnswer:
    """A team's answer to one catalogue check at one step."""

    result: str
    note: str | None = None
    # Exports write the answer in the form it was given: a bare string or an object.
    as_object: bool = False


@dataclass
class PainPoint:
    """A pain point, in the words of whoever raised it."""

    text: str
    category: str = "other"
    severity: int = 2
    source: str = "team"
    votes: int = 0

    @property
    def score(self) -> int:
        """Severity weighted by endorsements: severity × (1 + votes)."""
        return self.severity * (1 + self.votes)


@dataclass
class Stage:
    """A column of the journey."""

    id: str
    name: str
    description: str | None = None


@dataclass
class Step:
    """A touchpoint."""

    id: str
    stage: str
    title: str
    description: str | None = None
    channel: str = "web"
    actor: str = "citizen"
    agency: str | None = None
    visibility: str = "frontstage"
    level: int | None = None
    target_level: int | None = None
    emotion: int | None = None
    moment_of_truth: bool = False
    effort_minutes: int | float | None = None
    wait_days: int | float | None = None
    checks: dict[str, CheckAnswer] = field(default_factory=dict)
    pain_points: list[PainPoint] = field(default_factory=list)
    ideas: list[str] = field(default_factory=list)
    measure: str | None = None
    evidence: str = "assumed"
    tags: list[str] = field(default_factory=list)

    @property
    def citizen_facing(self) -> bool:
        """True when the citizen sees or does the step (frontstage)."""
        return self.visibility == "frontstage"

    @property
    def digital(self) -> bool:
        """True on a digital channel (web, app, email, sms, chat, video, kiosk)."""
        return self.channel in DIGITAL_CHANNELS

    @property
    def pain_score(self) -> int:
        """Σ severity × (1 + votes) over the step's pain points."""
        return sum(p.score for p in self.pain_points)

    @property
    def level_gap(self) -> int:
        """``target_level − level`` (null level counts as 0) when a target is set; never < 0."""
        if self.target_level is None:
            return 0
        return max(0, self.target_level - (self.level or 0))


@dataclass
class Transition:
    """A directed edge between two steps. ``source`` is the document's ``from``."""

    source: str
    target: str
    label: str | None = None
    kind: str = "flow"


@dataclass
class Persona:
    """Whose journey this is."""

    name: str
    description: str | None = None
    needs: list[str] = field(default_factory=list)


@dataclass
class Journey:
    """One validated journey document."""

    title: str
    stages: list[Stage]
    steps: list[Step]
    transitions: list[Transition] = field(default_factory=list)
    service: str | None = None
    service_type: str | None = None
    organization: str | None = None
    persona: Persona | None = None
    state: str = "as-is"
    reviewed_on: date | None = None

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError when there is none)."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def stage(self, stage_id: str) -> Stage:
        """The stage with this id (KeyError when there is none)."""
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)


def _clean(d: dict) -> dict:
    """Drop optional keys without a value (they appear in an export only when set)."""
    return {k: v for k, v in d.items() if v is not None}


def _check_to_dict(answer: CheckAnswer):
    if not answer.as_object:
        return answer.result
    return _clean({"result": answer.result, "note": answer.note})


def step_to_dict(s: Step) -> dict:
    """One step as document JSON, defaults written out."""
    out = _clean({
        "id": s.id, "stage": s.stage, "title": s.title, "description": s.description,
        "channel": s.channel, "actor": s.actor, "agency": s.agency,
        "visibility": s.visibility,
    })
    # level, target_level, emotion, effort_minutes, wait_days and measure have a stated
    # default (null), so an export always writes them, null included.
    out.update({
        "level": s.level, "target_level": s.target_level, "emotion": s.emotion,
        "moment_of_truth": s.moment_of_truth, "effort_minutes": s.effort_minutes,
        "wait_days": s.wait_days,
        "checks": {cid: _check_to_dict(a) for cid, a in s.checks.items()},
        "pain_points": [
            {"text": p.text, "category": p.category, "severity": p.severity,
             "source": p.source, "votes": p.votes}
            for p in s.pain_points
        ],
        "ideas": list(s.ideas), "measure": s.measure, "evidence": s.evidence,
        "tags": list(s.tags),
    })
    return out


def to_dict(j: Journey) -> dict:
    """The journey as a ``citizen-journey/1`` document, in document order, defaults written out."""
    out = _clean({
        "format": FORMAT, "title": j.title, "service": j.service,
        "service_type": j.service_type, "organization": j.organization,
    })
    if j.persona is not None:
        out["persona"] = _clean({
            "name": j.persona.name, "description": j.persona.description,
            "needs": list(j.persona.needs),
        })
    out["state"] = j.state
    if j.reviewed_on is not None:
        out["reviewed_on"] = j.reviewed_on.isoformat()
    out["stages"] = [_clean({"id": s.id, "name": s.name, "description": s.description})
                     for s in j.stages]
    out["steps"] = [step_to_dict(s) for s in j.steps]
    out["transitions"] = [
        _clean({"from": t.source, "to": t.target, "label": t.label, "kind": t.kind})
        for t in j.transitions
    ]
    return out
