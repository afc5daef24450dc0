"""Mermaid ``journey`` diagrams: export a journey, and read one back as a document.

Mermaid's journey grammar reads a task as ``name: score: actor, actor`` and ends a name
at ``:``, ``;``, ``#`` or a line break; ``%`` starts a comment, and a line starting with
``title``, ``section``, ``journey`` or ``accDescr {`` is a keyword. Its lexer skips
JavaScript white space, which includes U+FEFF, before a keyword. Mermaid also reads the
title as HTML, so ``<`` starts a tag that swallows the text after it. The export replaces
those characters in user text with look-alikes (``∶ ； ＃ ％ ＜ ＞``), treats white space
and invisible format characters at the start of a name as white space (dropped), and
guards keyword-like names with a zero-width space, so any title parses as typed; the
import maps them back.

The import follows Mermaid in what it accepts: a score outside 1–5 (Mermaid draws 0, 6
or 9) is clamped to 1–5 with a warning naming the line.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from journeys.domain.document import (
    ACTOR_NAMES,
    ACTORS,
    CHANNEL_NAMES,
    CHANNELS,
    DESCRIPTION_MAX,
    FORMAT,
    NAME_MAX,
    SLUG_MAX,
    TITLE_MAX,
    Journey,
)
from journeys.domain.text import slugify, visible


def _label(name: str) -> str:
    """A display name as a Mermaid actor: first letter upper case (``SMS`` stays)."""
    return name[:1].upper() + name[1:]


ACTOR_LABELS = {a: _label(name) for a, name in ACTOR_NAMES.items()}
# A task lists its actor and its channel side by side, so the partner channel says it is
# a channel: the import reads "Partner" as the actor.
CHANNEL_LABELS = {c: _label(name) for c, name in CHANNEL_NAMES.items()} | {
    "partner": "Partner channel"}
_ACTOR_BY_LABEL = {v.lower(): k for k, v in ACTOR_LABELS.items()} | {a: a for a in ACTORS}
_CHANNEL_BY_LABEL = {v.lower(): k for k, v in CHANNEL_LABELS.items()} | {c: c for c in CHANNELS}

# Characters with a meaning in Mermaid's journey lexer, and what the export writes instead.
_LOOKALIKES = {":": "\u2236", ";": "\uff1b", "#": "\uff03", "%": "\uff05",
               "<": "\uff1c", ">": "\uff1e"}
_UNLOOK = {v: k for k, v in _LOOKALIKES.items()}
_GUARD = "\u200b"
# White space as JavaScript's \s sees it (Python's \s, plus U+FEFF); word characters as
# its \b sees them (ASCII only: "journeyé" is the keyword "journey" to Mermaid).
_SPACE = "[\\s\ufeff]"
_KEYWORD = re.compile(
    rf"(journey(?![A-Za-z0-9_])|title{_SPACE}|section{_SPACE}|acc(title|descr)(?![A-Za-z0-9_]))",
    re.I)
_EDGE_SPACE = re.compile(rf"^{_SPACE}+|{_SPACE}+$")
_SPACES = re.compile(rf"{_SPACE}+")
_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029\t]+")


class MermaidError(ValueError):
    """A Mermaid text that is not a journey diagram; the message names the line."""


NO_NAME = "(no name)"
"""What a name made only of invisible characters is written as."""


def mermaid_text(text: str, *, task: bool = False) -> str:
    """User text as one Mermaid journey name: one line, no character Mermaid would read.

    White space and invisible format characters (U+FEFF, U+200B…) at either end are
    dropped as white space; a task name that then starts like a keyword gets a zero-width
    space in front. A name of invisible characters only is written ``(no name)``, which
    Mermaid shows and the import reads back.
    """
    line = _trim(visible(_BREAKS.sub(" ", text)))
    line = "".join(_LOOKALIKES.get(c, c) for c in line)
    if task and _KEYWORD.match(line):
        line = _GUARD + line
    return line or NO_NAME


def _trim(text: str) -> str:
    """``text`` without white space or format characters (category Cf) at either end."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def _invisible(char: str) -> bool:
    return char.isspace() or char == "\ufeff" or unicodedata.category(char) == "Cf"


def score(emotion: int | None) -> int:
    """Mermaid's 1–5 score for an emotion −2…+2; unknown is 3."""
    return 3 if emotion is None else emotion + 3


def to_mermaid(journey: Journey) -> str:
    """The journey as a Mermaid ``journey`` diagram.

    Sections are stages in journey order; tasks are the citizen-facing steps of each
    stage in document order; actors name the step's actor and channel.
    """
    lines = ["journey", f"  title {mermaid_text(journey.title)}"]
    for stage in journey.stages:
        lines.append(f"  section {mermaid_text(stage.name)}")
        for s in journey.steps:
            if s.stage != stage.id or not s.citizen_facing:
                continue
            people = f"{ACTOR_LABELS[s.actor]}, {CHANNEL_LABELS[s.channel]}"
            lines.append(f"    {mermaid_text(s.title, task=True)}: {score(s.emotion)}: {people}")
    return "\n".join(lines) + "\n"


def plain_text(name: str) -> str:
    """A name read from Mermaid, with the export's look-alikes and guard undone."""
    text = _EDGE_SPACE.sub("", "".join(_UNLOOK.get(c, c) for c in name))
    return _EDGE_SPACE.sub("", text.removeprefix(_GUARD))


def _limit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Ids:
    """Unique slugs: ``step``, ``step-2``, ``step-3``… in linear time overall.

    Each base remembers the last number it used, so the thousandth "Step" does not try
    the 999 names before it.
    """

    def __init__(self):
        self.taken: set[str] = set()
        self.last: dict[str, int] = {}

    def make(self, slug: str) -> str:
        """A slug based on ``slug`` that no earlier call returned."""
        candidate, n = slug, self.last.get(slug, 1)
        if n > 1:
            candidate = self._numbered(slug, n)
        while candidate in self.taken:
            n += 1
            candidate = self._numbered(slug, n)
        self.last[slug] = n
        self.taken.add(candidate)
        return candidate

    @staticmethod
    def _numbered(slug: str, n: int) -> str:
        suffix = f"-{n}"
        return slug[: SLUG_MAX - len(suffix)].rstrip("-") + suffix


@dataclass
class MermaidImport:
    """What :func:`read_mermaid` read: the document dict, and warnings naming their lines."""

    document: dict
    warnings: list[str] = field(default_factory=list)


_FRONT_MATTER_TITLE = re.compile(r"^title\s*:\s*(.*)$")


def _strip_front_matter(lines: list[str]) -> tuple[int, str | None]:
    """Skip a ``---`` front-matter block; return the first line after it and its title."""
    if not lines or lines[0].strip() != "---":
        return 0, None
    title = None
    for n in range(1, len(lines)):
        if lines[n].strip() == "---":
            return n + 1, title
        m = _FRONT_MATTER_TITLE.match(lines[n].strip())
        if m:
            title = m[1].strip().strip("\"'")
    raise MermaidError("line 1: the front matter that starts with --- is never closed")


def parse_mermaid(text: str) -> dict:
    """A Mermaid ``journey`` diagram as a ``citizen-journey/1`` document dict.

    The document of :func:`read_mermaid`, without its warnings; call that to show them.
    """
    return read_mermaid(text).document


def read_mermaid(text: str) -> MermaidImport:
    """A Mermaid ``journey`` diagram as a ``citizen-journey/1`` document dict and warnings.

    Sections become stages, tasks become steps in order joined by flow transitions, the
    score (a whole number, clamped to 1–5 with a warning) becomes the emotion (score − 3),
    and known actor or channel names set the step's actor and channel; other names are
    kept in the step's description. Raises :class:`MermaidError` naming the line, as soon
    as a section or task passes the format's limits.
    """
    # Here, not at the top: the export side of this module never loads the validator.
    from journeys.domain.schemas import MAX_STAGES, MAX_STEPS

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, title = _strip_front_matter(lines)
    seen_header = False
    in_descr = False
    stages: list[dict] = []
    steps: list[dict] = []
    stage_ids = _Ids()
    step_ids = _Ids()
    warnings: list[str] = []

    def add_stage(name: str, where: str) -> None:
        if len(stages) >= MAX_STAGES:
            raise MermaidError(f"{where}: more than {MAX_STAGES:,} sections; a journey has at "
                               f"most {MAX_STAGES:,} stages")
        name = _limit(name, NAME_MAX)
        stages.append({"id": stage_ids.make(slugify(name, "stage", SLUG_MAX)), "name": name})

    for n in range(start, len(lines)):
        where = f"line {n + 1}"
        line = _EDGE_SPACE.sub("", lines[n])
        if in_descr:
            in_descr = "}" not in line
            continue
        if not line or line.startswith("%%"):
            continue
        if not seen_header:
            if line.split()[0].lower() != "journey" or len(line.split()) > 1:
                raise MermaidError(f"{where}: a Mermaid journey diagram starts with 'journey', "
                                   f"not {line[:40]!r}")
            seen_header = True
            continue
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if not line:
            continue
        keyword = _SPACES.split(line, maxsplit=1)[0].lower()
        rest = _EDGE_SPACE.sub("", line[len(keyword):])
        if keyword == "title":
            title = plain_text(rest) or title
        elif keyword == "section":
            name = plain_text(rest)
            if not name:
                raise MermaidError(f"{where}: a section needs a name")
            add_stage(name, where)
        elif re.match(r"acc(title|descr)\s*:", line, re.I):
            continue
        elif re.match(r"accdescr\s*\{", line, re.I):
            in_descr = "}" not in line
        else:
            if len(steps) >= MAX_STEPS:
                raise MermaidError(f"{where}: more than {MAX_STEPS:,} tasks; a journey has at "
                                   f"most {MAX_STEPS:,} steps")
            steps.append(_task(line, where, stages, add_stage, step_ids, warnings))
    if not seen_header:
        raise MermaidError("line 1: the text is empty; a Mermaid journey diagram starts "
                           "with 'journey'")
    if not steps:
        raise MermaidError(f"line {len(lines)}: the diagram has no tasks, and a journey needs "
                           "at least one step")
    transitions = [{"from": a["id"], "to": b["id"], "kind": "flow"}
                   for a, b in zip(steps, steps[1:], strict=False)]
    return MermaidImport({
        "format": FORMAT,
        "title": _limit(title or "Journey imported from Mermaid", TITLE_MAX),
        "stages": stages,
        "steps": steps,
        "transitions": transitions,
    }, warnings)


_SCORE = re.compile(r"[+-]?[0-9]{1,12}")


def _task(line: str, where: str, stages: list[dict], add_stage, step_ids: _Ids,
          warnings: list[str]) -> dict:
    name, sep, data = line.partition(":")
    name = plain_text(name)
    if not sep or not name:
        raise MermaidError(f"{where}: expected a task 'name: score: actors', got {line[:60]!r}")
    parts = data.split(":")
    raw_score = parts[0].strip()
    emotion = None
    if raw_score:
        # Mermaid draws any whole number (published diagrams use 0, 6 and 9): it is read,
        # clamped to 1–5. Anything else is a typo (often a missing colon), and guessing an
        # emotion from it would put words in the citizen's mouth.
        if not _SCORE.fullmatch(raw_score):
            raise MermaidError(
                f"{where}: the score of a task is a whole number from 1 (very unhappy) to "
                f"5 (delighted), not {raw_score[:20]!r} (a task reads 'name: score: actors')")
        value = int(raw_score)
        clamped = min(max(value, 1), 5)
        if clamped != value:
            warnings.append(f"{where}: the score {raw_score} is outside 1–5; read as "
                            f"{clamped}")
        emotion = clamped - 3
    if not stages:
        add_stage("Journey", where)
    title = _limit(name, TITLE_MAX)
    step = {"id": step_ids.make(slugify(title, "step", SLUG_MAX)),
            "stage": stages[-1]["id"], "title": title}
    actor = channel = None
    people = parts[1].split(",") if len(parts) > 1 else []
    others = []
    for person in people:
        label = plain_text(person)
        key = label.lower()
        if actor is None and key in _ACTOR_BY_LABEL:
            actor = _ACTOR_BY_LABEL[key]
        elif channel is None and key in _CHANNEL_BY_LABEL:
            channel = _CHANNEL_BY_LABEL[key]
        elif label:
            others.append(label)
    if others:
        # Names the format has no field for are kept, not dropped.
        step["description"] = _limit("People in the Mermaid diagram: " + ", ".join(others),
                                     DESCRIPTION_MAX)
    if channel is not None:
        step["channel"] = channel
    if actor is not None:
        step["actor"] = actor
        if actor not in ("citizen", "frontline"):
            # Mermaid tasks are what the citizen experiences: keep them citizen-facing.
            step["visibility"] = "frontstage"
    step["emotion"] = emotion
    return step
