"""How an action fits its step: the step's situation and the wording choices, one registry.

A rule proposes the same kind of work on many steps, but the sentence must fit the step
it lands on: "pre-fill what the organisation knows" makes no sense on a letter the
organisation sends, "if you apply today…" none on a post-mortem, and "delight" none at a
death. Each choice below reads the step's situation (who acts, the channel, the tags,
the alternative routes the map already has, the journey's service type) and returns the
sentence that fits. The rules and remedies call the choices by id, and this reference
lists them from the same registry, so the choosing is written once.

Each action also carries a kind, so a director sees which decisions are theirs:
``service`` (the team can change it), ``policy`` (a policy or the law must change) or
``cross-organisation`` (another organisation must agree).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from journeys.domain.document import CHANNEL_NAMES, Journey
from journeys.domain.graph import JourneyGraph
from journeys.domain.text import listing, quote

SERVICE = "service"
POLICY = "policy"
CROSS = "cross-organisation"
KINDS = {
    SERVICE: "service change",
    POLICY: "policy or legal change",
    CROSS: "cross-organisation change",
}
"""Action kind → how the brief tags it."""

ASSISTED = ("phone", "counter", "home-visit", "partner", "letter")
# Channels on which the organisation speaks to the citizen rather than the citizen filling
# something in: a step there that the organisation performs is an outgoing message.
MESSAGE_CHANNELS = ("letter", "email", "sms", "phone", "home-visit", "counter", "video", "chat")
CONVERSATIONS = ("phone", "counter", "home-visit", "video", "chat")
ARTEFACTS = {
    "letter": "the letter", "email": "the email", "sms": "the text message",
    "phone": "the call script", "counter": "the conversation guide for staff",
    "home-visit": "the conversation guide for staff", "video": "the conversation guide for staff",
    "chat": "the chat script", "web": "the screens", "app": "the screens",
    "kiosk": "the screens", "partner": "what the partner says and hands over",
    "none": "what the citizen is told about it",
}


@dataclass(frozen=True)
class Action:
    """One design action: its text and its kind (service, policy, cross-organisation)."""

    text: str
    kind: str = SERVICE


FAILURE_DEMAND = (
    Action("Ask once: collect everything the case needs at first contact, and check "
           "completeness at entry, before the case moves on."),
    Action("Use what the organisation already knows (earlier answers, data held by other "
           "bodies) instead of asking again.", CROSS),
    Action("Test the new entry step with citizens, and track the share of cases sent back: it "
           "should fall."),
)
"""DR13's actions against failure demand, after finding out why the case comes back."""


@dataclass(frozen=True)
class Situation:
    """The facts of one step that decide how an action is worded."""

    title: str
    channel: str
    citizen_acts: bool
    citizen_facing: bool
    statutory: bool
    sensitive: bool
    decision: bool
    service_type: str | None
    wait_days: float | None
    assisted_routes: tuple[tuple[str, str], ...] = field(default=())  # (title, channel)

    @property
    def organisation_speaks(self) -> bool:
        """The organisation tells the citizen something here (a letter, a call, a visit)."""
        return not self.citizen_acts and self.citizen_facing and self.channel in MESSAGE_CHANNELS

    @property
    def artefact(self) -> str:
        """What a prototype of this step is: the letter, the call script, the screens…"""
        return ARTEFACTS[self.channel]


def situation(journey: Journey, graph: JourneyGraph, i: int) -> Situation:
    """The situation of step ``i``: its own fields and the routes around it on the map."""
    s = journey.steps[i]
    routes: dict[int, None] = {}
    # Other ways the map already offers at this point: alternatives leaving the same step
    # that leads here, and alternatives leaving this step itself.
    for e in graph.in_edges[i]:
        for sibling in graph.out_edges[e.source]:
            if sibling.target != i and sibling.kind == "alternative":
                routes[sibling.target] = None
    for e in graph.out_edges[i]:
        if e.kind == "alternative":
            routes[e.target] = None
    for e in graph.in_edges[i]:
        if e.kind == "alternative":
            for sibling in graph.out_edges[e.source]:
                if sibling.target != i and sibling.kind != "alternative":
                    routes[sibling.target] = None
    assisted = tuple((journey.steps[j].title, journey.steps[j].channel) for j in routes
                     if journey.steps[j].channel in ASSISTED
                     and journey.steps[j].citizen_facing)
    return Situation(
        title=s.title, channel=s.channel, citizen_acts=s.actor == "citizen",
        citizen_facing=s.citizen_facing, statutory="statutory" in s.tags,
        sensitive="sensitive" in s.tags, decision="decision" in s.tags,
        service_type=journey.service_type, wait_days=s.wait_days, assisted_routes=assisted,
    )


@dataclass(frozen=True)
class Choice:
    """One wording choice: which action it words, the facts that choose, the chooser."""

    id: str
    action: str
    when: str
    choose: Callable[..., str] = field(repr=False, compare=False)

    def __call__(self, sit: Situation, *args) -> str:
        """The sentence that fits ``sit``."""
        return self.choose(sit, *args)


CHOICES: dict[str, Choice] = {}
"""Every wording choice, by id: the one list the rules, the remedies and the docs read."""


def choice(id: str, *, action: str, when: str):
    """Declare a wording choice around its chooser ``choose(situation, ...) -> str``."""
    def wrap(choose: Callable[..., str]) -> Choice:
        c = Choice(id=id, action=action, when=when, choose=choose)
        CHOICES[id] = c
        return c
    return wrap


def word(id: str, sit: Situation, *args) -> str:
    """The sentence of choice ``id`` for this situation."""
    return CHOICES[id](sit, *args)


@choice("known-data", action="DR02: use what the organisation already knows",
        when="the citizen acts at the step: pre-fill and confirm; staff talk with the "
             "citizen (counter, phone, visit, video, chat): staff start from what is known "
             "and the citizen confirms it; the organisation writes (a letter, an email): say "
             "what it knows of the case and what it made of it, so the citizen can check it")
def _known_data(sit: Situation) -> str:
    if sit.citizen_acts:
        return "Pre-fill what the organisation already knows and ask the citizen only to " \
               "confirm it."
    if sit.channel in CONVERSATIONS:
        return ("Give staff what the organisation already knows of the case before the "
                "conversation (records passed on by other bodies included), so the citizen "
                "only confirms it instead of telling it again.")
    return (f"Write {sit.artefact} from what the organisation already knows of this case: "
            "what it holds, what it decided from it and why, so the citizen can check it "
            "instead of supplying it again.")


@choice("prototype", action="DR02, DR05: prototype the touchpoint",
        when="the channel names what is prototyped: the letter, the call script, the "
             "conversation guide for staff, the screens")
def _prototype(sit: Situation) -> str:
    return f"Prototype the new moment ({sit.artefact}) and test it with five to eight " \
           "citizens before rollout; call it level 3 only when citizens say they felt " \
           "treated as a person."


@choice("emotion-test", action="DR05: test the new version",
        when="a step tagged sensitive (grief, illness, danger) aims at feeling respected "
             "and supported, never at moving citizens up a scale")
def _emotion_test(sit: Situation) -> str:
    if sit.sensitive:
        return ("Test the new version with people who lived this moment, only when they are "
                "ready and with support at hand; keep the version that leaves them feeling "
                "respected, supported and sure of what happens next.")
    return ("Test the new version with citizens who lived this step, asking how they feel "
            "before and after; keep the version that moves them up the emotion scale.")


@choice("expected-duration", action="TRA-05 remedy: state the expected duration",
        when="the citizen applies (acts at a step tagged decision, or of a regulation "
             "service): 'if you apply today…'; the citizen asks for something else (a "
             "report, a request): 'if you contact us today…'; the organisation acts (a "
             "post-mortem, an inspection): say how long the step takes and when the "
             "citizen will hear")
def _expected_duration(sit: Situation) -> str:
    if sit.citizen_acts and (sit.decision or sit.service_type == "regulation"):
        return ("State how long the service takes, with any legal maximum (“if you apply "
                "today, you will have a decision by …”); check the stated time against case "
                "data every quarter.")
    if sit.citizen_acts:
        return ("State how long the service takes, with any legal maximum (“if you contact "
                "us today, we will have dealt with it by …”); check the stated time against "
                "case data every quarter.")
    return ("Say how long this step usually takes and when the citizen will hear (“this "
            "usually takes about … days; we will contact you by …”), with any legal "
            "maximum; check the stated time against case data every quarter.")


@choice("in-person", action="ACC-02 remedy: the step for citizens who cannot travel",
        when="a step tagged statutory (the law requires it in person) stays in person and "
             "is brought within reach; otherwise offer it at home or remotely")
def _in_person(sit: Situation) -> str:
    if sit.statutory:
        return ("The law requires this step in person: keep it so, and bring it within "
                "reach of citizens who cannot travel: an appointment at the nearest office "
                "or a partner's, a home visit where the law allows one, help with transport, "
                "and a short wait on arrival; test booking it with disabled and housebound "
                "citizens.")
    return ("Offer the step at home or remotely (home visit, video or phone appointment, a "
            "partner's office nearby) for citizens who cannot travel; test booking it with "
            "disabled and housebound citizens.")


@choice("other-way", action="ACC-01 remedy: another way to complete a digital step",
        when="the map already has an assisted route at this point (an alternative by phone, "
             "at a counter…): make that route equal and known; otherwise offer one")
def _other_way(sit: Situation) -> str:
    if sit.assisted_routes:
        named = listing([f"{quote(t)} ({CHANNEL_NAMES[c]})" for t, c in sit.assisted_routes])
        return (f"The map already offers another way here, {named}: make sure it reaches the "
                "same result in the same time, that citizens at this step are told it exists, "
                "and count how many use it; test it with citizens who do not use the "
                "internet.")
    return ("Offer another way to complete this step (by phone, at a counter, or with "
            "assisted digital help from staff or a partner) that reaches the same result in "
            "the same time; test it with citizens who do not use the internet.")


@choice("level-4", action="DR04: the work for level 4",
        when="a step tagged sensitive aims at care nobody expects, not at surprise")
def _level_4(sit: Situation) -> str:
    if sit.sensitive:
        return ("Level 4, beyond expectations: once levels 1 to 3 hold, add a gesture of care "
                "nobody expects (a follow-up call, one person who deals with everything), "
                "chosen so that it feels right at a time of grief, illness or danger.")
    return ("Level 4, surprise: once levels 1 to 3 hold, add something tailor-made and "
            "unexpected that citizens would tell others about.")


@choice("surprise", action="DR03: go beyond expectations",
        when="a step tagged sensitive gets care beyond what is expected, with no surprise "
             "or joy language; other steps a surprise worth telling")
def _surprise(sit: Situation) -> str:
    if sit.sensitive:
        return ("Generate, with people who went through this moment and the staff who are "
                "with them, a small gesture of care beyond what is expected (a follow-up call "
                "a few weeks later, one person who deals with everything), chosen so that "
                "it feels right at a time of grief, illness or danger.")
    return ("Generate surprise ideas with citizens who went through this step and the "
            "frontline staff who deliver it: a small, tailor-made gesture that would bring "
            "joy and that people would tell others about.")


@choice("surprise-test", action="DR03: keep what works",
        when="a step tagged sensitive keeps the gesture if people say it helped; other "
             "steps if citizens would tell the story unprompted")
def _surprise_test(sit: Situation) -> str:
    if sit.sensitive:
        return ("Try it with a few people, with care, and keep it only if they say it "
                "helped; follow it through what they say afterwards and unprompted thanks.")
    return ("Prototype it with a few citizens and keep it only if they would tell the story "
            "unprompted; follow it through unprompted praise and delight scores at this step.")


@choice("with-care", action="co-creation on a step",
        when="a step tagged sensitive invites people with care, when they are ready")
def _with_care(sit: Situation, sentence: str) -> str:
    if sit.sensitive:
        return sentence + (" Invite them with care: at a time they choose, with support at "
                           "hand, and never as a condition of the service.")
    return sentence


@choice("rework", action="DR13: the rework transition",
        when="a rework into or out of a step tagged statutory (a reconsideration or review "
             "the law gives the citizen) is kept and made rarer; other rework is removed")
def _rework(sit: Situation, label: str | None) -> list[Action]:
    said = f" (the map says {quote(label)})" if label else ""
    if sit.statutory:
        return [
            Action(f"The law gives the citizen this route ({quote(sit.title)}): keep it open, "
                   "free and easy to use, and work on why it is needed.", POLICY),
            Action(f"Find out from case data why decisions are looked at again{said} and how "
                   "often the first decision changes."),
            Action("Get the first decision right: check the evidence with the citizen before "
                   "deciding, and explain the decision with its reasons, so that the citizen "
                   "can see at once whether it is wrong."),
            Action("Track the share of first decisions changed on review: it should fall "
                   "while the route stays as open as it is."),
        ]
    return [
        Action(f"Find out with the staff who send cases back why it happens and how "
               f"often{said}, from case data."),
        *FAILURE_DEMAND,
    ]


def rework_title(sit: Situation, source: str, target: str) -> str:
    """DR13's title: remove the rework, or, on a statutory route, make it rarer."""
    if sit.statutory:
        return f"Get first decisions right, so that fewer citizens need {source}"
    return f"Remove the rework from {source} back to {target}"
