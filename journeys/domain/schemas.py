"""Reading and writing journey documents (format ``citizen-journey/1``).

:func:`load_document` takes the bytes of a document, :func:`load_data` an already parsed
object (an API body, the Mermaid importer's output); both give a validated
:class:`~journeys.domain.document.Journey` or raise :class:`DocumentError` listing every problem
found, each with its JSON path. :func:`dump_document` writes the export form.

The Marshmallow schemas check each value where it stands; the references between
values (a step's stage, a transition's ends, unique ids and pairs) are checked on the
raw object, so they are reported even when other parts of the document are wrong.
"""

import dataclasses
import difflib
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date

from marshmallow import Schema, ValidationError, fields, post_load

from journeys.domain import document
from journeys.domain.checks import CHECKS
from journeys.domain.document import (
    ACTORS,
    CHANNELS,
    CHECK_RESULTS,
    DESCRIPTION_MAX,
    EVIDENCE,
    FORMAT,
    IDEA_MAX,
    LINE_MAX,
    MAX_BYTES,
    NAME_MAX,
    NOTE_MAX,
    PAIN_CATEGORIES,
    PAIN_SOURCES,
    SERVICE_TYPES,
    SHORT_DESCRIPTION_MAX,
    SLUG_MAX,
    STATES,
    TAG_MAX,
    TITLE_MAX,
    TRANSITION_KINDS,
    VISIBILITIES,
    CheckAnswer,
    Journey,
    PainPoint,
    Persona,
    Stage,
    Step,
    Transition,
    default_visibility,
)

READS = (FORMAT,)
"""The document formats this build reads."""

MAX_DEPTH = 16
MAX_STAGES = 200
MAX_STEPS = 2_000
MAX_TRANSITIONS = 10_000

Parts = list[str | int]
Problem = tuple[str, str]

_UNKNOWN = "unknown key"
# The "unknown key" message of each schema → its keys, to suggest the one meant.
_KEYS_OF_MESSAGE: dict[str, tuple[str, ...]] = {}


def _did_you_mean(given: str, options) -> str:
    """`` (did you mean "channel"?)`` for a near miss, else nothing."""
    close = difflib.get_close_matches(given.lower(), list(options), n=1, cutoff=0.7)
    return f' (did you mean "{close[0]}"?)' if close else ""
_SCHEMA = "_schema"  # where Marshmallow files the errors of an object as a whole
_SLUG = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{SLUG_MAX - 1}}}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters a text value may not hold (tab, line feed and carriage return may):
# PostgreSQL cannot store U+0000, and none of them shows on screen.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PLAIN_KEY = re.compile(r"[\w-]+")
# A JSON string (possibly unterminated, so the scan stays linear) or a bracket.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[][{}]', re.DOTALL)
_BOM = "\ufeff"


class DocumentError(ValueError):
    """A journey document that breaks the format; ``problems`` lists (JSON path, message)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(
            "\n".join(msg if path == "$" else f"{path}: {msg}" for path, msg in self.problems)
        )

    def __reduce__(self):
        return type(self), (self.problems,)


# --- showing values and paths in messages -------------------------------------------------


class _NonFinite:
    """A JSON number that is not finite as a 64-bit float, as it was written."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"_NonFinite({self.text!r})"


def _printable(text: str) -> str:
    """Text safe to print: unpaired surrogates written as ``\\udxxx`` escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _show(value) -> str:
    """A short rendering of a JSON value for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _NonFinite):
        return _clip(value.text)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, int):
        if abs(value) >= 10**30:  # str() of a huge int is slow, or refused past 4,300 digits
            return f"an integer of {value.bit_length() * 0.30103:.0f} digits"
        return str(value)
    if isinstance(value, str):
        return _printable(json.dumps(_clip(value), ensure_ascii=False))
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _one_of(choices) -> str:
    return ", ".join(choices)


def format_path(parts: Parts) -> str:
    """A JSON path as used in messages: ``steps[0].checks.ACC-01``; ``$`` for the document."""
    out = ""
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{_printable(json.dumps(str(part), ensure_ascii=False))}]"
    return out or "$"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    try:
        float(value)
    except OverflowError:
        return False
    return True


# --- fields ---------------------------------------------------------------------------------


class _Field(fields.Field):
    """A field that names what it expects in every message, and takes ``null`` only if told."""

    def __init__(self, *, nullable: bool = False, **kwargs):
        super().__init__(allow_none=nullable, **kwargs)
        self.nullable = nullable
        self.error_messages["required"] = f"missing (expected {self.expects()})"
        self.error_messages["null"] = f"null is not allowed here (expected {self.describe()})"

    def describe(self) -> str:
        """What a value of this field is, without ``or null``."""
        return "a value"

    def expects(self) -> str:
        """What a value of this field is, ``or null`` included."""
        return self.describe() + (" or null" if self.nullable else "")

    def fail(self, message: str | None = None, value=None) -> ValidationError:
        """A ValidationError: ``message``, or "expected …, got <value>"."""
        if message is None:
            got = _show(value)
            if isinstance(value, _NonFinite) or (_is_number(value) and not _finite(value)):
                got += ", which is not a finite number"
            message = f"expected {self.expects()}, got {got}"
        return ValidationError(message)


class Text(_Field):
    """Text of 1 to ``max_len`` code points with at least one non-white-space character."""

    def __init__(self, max_len: int, **kwargs):
        self.max_len = max_len
        super().__init__(**kwargs)

    def describe(self) -> str:
        return f"text of 1–{self.max_len:,} characters"

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise self.fail(value=value)
        bad = _SURROGATE.search(value)
        if bad:
            raise self.fail(
                f"contains an unpaired surrogate (\\u{ord(bad.group()):04x}), which is not text"
            )
        bad = _CONTROL.search(value)
        if bad:
            raise self.fail(f"contains the control character U+{ord(bad.group()):04X} at "
                            f"position {bad.start() + 1:,}; remove it")
        if not value.strip():
            raise self.fail("must contain at least one character that is not white space")
        if len(value) > self.max_len:
            raise self.fail(
                f"is {len(value):,} characters long; at most {self.max_len:,} are allowed"
            )
        return value


class Choice(_Field):
    """One string of a fixed list."""

    def __init__(self, choices, **kwargs):
        self.choices = tuple(choices)
        super().__init__(**kwargs)

    def describe(self) -> str:
        return f"one of {_one_of(self.choices)}"

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str):
            if value in self.choices:
                return value
            hint = _did_you_mean(value, self.choices)
            raise self.fail(f"{_show(value)} is not one of {_one_of(self.choices)}{hint}")
        raise self.fail(value=value)


class Slug(_Field):
    """An id: ``[a-z0-9][a-z0-9-]{0,63}``."""

    def describe(self) -> str:
        return "an id of 1–64 lower-case letters, digits and hyphens, not starting with a hyphen"

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str) and _SLUG.fullmatch(value):
            return value
        if isinstance(value, str):
            raise self.fail(f"{_show(value)} is not a valid id (expected {self.describe()})")
        raise self.fail(value=value)


class Ref(_Field):
    """The id of another part of the document; whether it exists is checked afterwards."""

    def __init__(self, what: str, **kwargs):
        self.what = what
        super().__init__(**kwargs)

    def describe(self) -> str:
        return f"the id of a {self.what} of this journey"

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise self.fail(value=value)
        return value


class WholeNumber(_Field):
    """An integer: a finite JSON number with a whole value (``2.0`` reads as 2), never a bool."""

    def __init__(self, low: int, high: int | None = None, **kwargs):
        self.low, self.high = low, high
        super().__init__(**kwargs)

    def describe(self) -> str:
        if self.high is None:
            return f"a whole number ≥ {self.low}"
        return f"a whole number from {self.low} to {self.high}"

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, _NonFinite) or (_is_number(value) and not _finite(value)):
            raise self.fail(f"{_show(value)} is not a finite number (expected {self.expects()})")
        if not _is_number(value):
            raise self.fail(value=value)
        if isinstance(value, float):
            if not value.is_integer():
                raise self.fail(f"{_show(value)} is not a whole number "
                                f"(expected {self.expects()})")
            value = int(value)
        if value < self.low or (self.high is not None and value > self.high):
            raise self.fail(f"{_show(value)} is out of range (expected {self.expects()})")
        return value


class Amount(_Field):
    """A finite number ≥ 0, int or float as given (numbers compare by value), never a bool."""

    def describe(self) -> str:
        return "a number ≥ 0"

    def _deserialize(self, value, attr, data, **kwargs) -> int | float:
        if isinstance(value, _NonFinite) or (_is_number(value) and not _finite(value)):
            raise self.fail(f"{_show(value)} is not a finite number (expected {self.expects()})")
        if not _is_number(value):
            raise self.fail(value=value)
        if value < 0:
            raise self.fail(f"{_show(value)} is negative (expected {self.expects()})")
        return value


class Flag(_Field):
    """A JSON boolean, nothing else."""

    def describe(self) -> str:
        return "true or false"

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        raise self.fail(value=value)


class Day(_Field):
    """A real calendar date written ``YYYY-MM-DD``."""

    def describe(self) -> str:
        return "a date written YYYY-MM-DD"

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        if not isinstance(value, str):
            raise self.fail(value=value)
        if not _DATE.fullmatch(value):
            raise self.fail(f"{_show(value)} is not written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{_show(value)} is not a real calendar date") from None


class Obj(fields.Nested):
    """A nested object of one of the schemas below."""

    def __init__(self, schema: type["_Strict"], **kwargs):
        super().__init__(schema, allow_none=False, **kwargs)
        self.what = f"{schema.noun} (a JSON object)"
        self.error_messages["required"] = f"missing (expected {self.what})"
        self.error_messages["null"] = f"null is not allowed here (expected {self.what})"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, Mapping):
            raise ValidationError(f"expected {self.what}, got {_show(value)}")
        return super()._deserialize(value, attr, data, **kwargs)


class Items(fields.List):
    """A JSON list with a size range, checked before any item so an oversize list says so once."""

    def __init__(self, inner, *, noun: str, non_empty: bool = False,
                 max_items: int | None = None, **kwargs):
        super().__init__(inner, allow_none=False, **kwargs)
        self.noun, self.non_empty, self.max_items = noun, non_empty, max_items
        self.error_messages["required"] = f"missing (expected {self.describe()})"
        self.error_messages["null"] = f"null is not allowed here (expected {self.describe()})"

    def describe(self) -> str:
        return f"a non-empty list of {self.noun}" if self.non_empty else f"a list of {self.noun}"

    def _deserialize(self, value, attr, data, **kwargs) -> list:
        if not isinstance(value, list):
            raise ValidationError(f"expected {self.describe()}, got {_show(value)}")
        if self.non_empty and not value:
            raise ValidationError(f"expected {self.describe()}, got an empty list")
        if self.max_items is not None and len(value) > self.max_items:
            raise ValidationError(f"{len(value):,} {self.noun}: at most {self.max_items:,} "
                                  "are allowed")
        return super()._deserialize(value, attr, data, **kwargs)


# --- schemas --------------------------------------------------------------------------------


class _Strict(Schema):
    """A schema whose messages name the keys and the kind of object it expects."""

    noun = "an object"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = tuple(f.data_key or name for name, f in self.load_fields.items())
        unknown = f"{_UNKNOWN} ({self.noun} has the keys {', '.join(names)})"
        _KEYS_OF_MESSAGE[unknown] = names
        self.error_messages = {
            **self.error_messages,
            "unknown": unknown,
            "type": f"expected {self.noun} (a JSON object)",
        }


class CheckAnswerSchema(_Strict):
    """A check answer written as an object: ``{"result": …, "note": …}``."""

    noun = "a check answer"

    result = Choice(CHECK_RESULTS, required=True)
    note = Text(NOTE_MAX)

    @post_load
    def make(self, data, **kwargs) -> CheckAnswer:
        """The answer, remembered as given in object form."""
        return CheckAnswer(as_object=True, **data)


def _check_ids() -> str:
    by_catalogue: dict[str, list[str]] = {}
    for cid in CHECKS:
        by_catalogue.setdefault(cid[:3], []).append(cid)
    return ", ".join(f"{ids[0]} to {ids[-1]}" for ids in by_catalogue.values())


_CHECK_IDS = _check_ids()
_ANSWER_SCHEMA = CheckAnswerSchema()


class Checks(_Field):
    """Check id → answer: a result string, or an object with ``result`` and ``note``."""

    def describe(self) -> str:
        return "an object mapping check ids to results"

    def _deserialize(self, value, attr, data, **kwargs) -> dict[str, CheckAnswer]:
        if not isinstance(value, Mapping):
            raise self.fail(value=value)
        answers: dict[str, CheckAnswer] = {}
        errors: dict = {}
        for cid, answer in value.items():
            if cid not in CHECKS:
                errors[cid] = [f"{_show(cid)} is not a check id ({_CHECK_IDS}; see docs/checks.md)"]
            elif isinstance(answer, str) and answer in CHECK_RESULTS:
                answers[cid] = CheckAnswer(answer)
            elif isinstance(answer, Mapping):
                try:
                    answers[cid] = _ANSWER_SCHEMA.load(answer)
                except ValidationError as err:
                    errors[cid] = err.messages
            else:
                shown = _show(answer)
                errors[cid] = [f"{shown} is not a check result (expected one of "
                               f"{_one_of(CHECK_RESULTS)}, or an object with a result and "
                               "optionally a note)"]
        if errors:
            raise ValidationError(errors)
        return answers


class PersonaSchema(_Strict):
    """Whose journey this is."""

    noun = "a persona"

    name = Text(NAME_MAX, required=True)
    description = Text(SHORT_DESCRIPTION_MAX)
    needs = Items(Text(LINE_MAX), noun="needs")

    @post_load
    def make(self, data, **kwargs) -> Persona:
        """The persona."""
        return Persona(**data)


class StageSchema(_Strict):
    """A stage (a column of the journey)."""

    noun = "a stage"

    id = Slug(required=True)
    name = Text(NAME_MAX, required=True)
    description = Text(SHORT_DESCRIPTION_MAX)

    @post_load
    def make(self, data, **kwargs) -> Stage:
        """The stage."""
        return Stage(**data)


class PainPointSchema(_Strict):
    """A pain point at a step."""

    noun = "a pain point"

    text = Text(NOTE_MAX, required=True)
    category = Choice(PAIN_CATEGORIES)
    severity = WholeNumber(1, 3)
    source = Choice(PAIN_SOURCES)
    votes = WholeNumber(0)

    @post_load
    def make(self, data, **kwargs) -> PainPoint:
        """The pain point, with the format's defaults."""
        return PainPoint(**data)


class StepSchema(_Strict):
    """A step (a touchpoint)."""

    noun = "a step"

    id = Slug(required=True)
    stage = Ref("stage", required=True)
    title = Text(TITLE_MAX, required=True)
    description = Text(DESCRIPTION_MAX)
    channel = Choice(CHANNELS)
    actor = Choice(ACTORS)
    agency = Text(LINE_MAX)
    visibility = Choice(VISIBILITIES)
    level = WholeNumber(1, 4, nullable=True)
    target_level = WholeNumber(1, 4, nullable=True)
    emotion = WholeNumber(-2, 2, nullable=True)
    moment_of_truth = Flag()
    effort_minutes = Amount(nullable=True)
    wait_days = Amount(nullable=True)
    checks = Checks()
    pain_points = Items(Obj(PainPointSchema), noun="pain points")
    ideas = Items(Text(IDEA_MAX), noun="ideas")
    measure = Text(LINE_MAX, nullable=True)
    evidence = Choice(EVIDENCE)
    tags = Items(Text(TAG_MAX), noun="tags")

    @post_load
    def make(self, data, **kwargs) -> Step:
        """The step, with the format's defaults; visibility follows the actor unless given."""
        data.setdefault("visibility", default_visibility(data.get("actor", "citizen")))
        return Step(**data)


class TransitionSchema(_Strict):
    """A directed edge between two steps."""

    noun = "a transition"

    source = Ref("step", required=True, data_key="from")
    target = Ref("step", required=True, data_key="to")
    label = Text(LINE_MAX)
    kind = Choice(TRANSITION_KINDS)

    @post_load
    def make(self, data, **kwargs) -> Transition:
        """The transition."""
        return Transition(**data)


class JourneySchema(_Strict):
    """A whole journey document; ``format`` is checked before this schema runs."""

    noun = "a journey document"

    format = Choice(READS, required=True)
    title = Text(TITLE_MAX, required=True)
    service = Text(LINE_MAX)
    service_type = Choice(SERVICE_TYPES)
    organization = Text(LINE_MAX)
    persona = Obj(PersonaSchema)
    state = Choice(STATES)
    reviewed_on = Day()
    stages = Items(Obj(StageSchema), noun="stages", non_empty=True, max_items=MAX_STAGES,
                   required=True)
    steps = Items(Obj(StepSchema), noun="steps", non_empty=True, max_items=MAX_STEPS,
                  required=True)
    transitions = Items(Obj(TransitionSchema), noun="transitions", max_items=MAX_TRANSITIONS)

    @post_load
    def make(self, data, **kwargs) -> Journey:
        """The journey."""
        del data["format"]
        return Journey(**data)


_JOURNEY_SCHEMA = JourneySchema()


# --- validation -----------------------------------------------------------------------------


def _flatten(messages, parts: Parts, out: list[tuple[Parts, str]]) -> None:
    """Marshmallow's nested error messages as (path parts, message) pairs."""
    if isinstance(messages, Mapping):
        for key, sub in messages.items():
            # Marshmallow files an object's own "type" error under "_schema"; a key of the
            # document spelt "_schema" (an unknown key, or not a check id) keeps its path.
            whole = key == _SCHEMA and isinstance(sub, list) and all(
                isinstance(m, str) and m.startswith("expected ") for m in sub
            )
            _flatten(sub, parts if whole else [*parts, key], out)
    elif isinstance(messages, list):
        for message in messages:
            _flatten(message, parts, out)
    else:
        message = str(messages)
        keys = _KEYS_OF_MESSAGE.get(message)
        if keys and parts and isinstance(parts[-1], str):
            hint = _did_you_mean(parts[-1], keys)
            message = f"{_UNKNOWN}{hint}{message[len(_UNKNOWN):]}" if hint else message
        out.append((parts, message))


def _listing(what: str, ids) -> str:
    """``(stages: find, apply)``: the valid ids a reference could have named."""
    shown = [i for i in ids if _SLUG.fullmatch(i)]
    if not shown:
        return f"(no {what[:-1]} has a valid id)"
    if len(shown) > 15:
        return f"({what}: " + ", ".join(shown[:15]) + f", … ({len(shown):,} in all))"
    return f"({what}: " + ", ".join(shown) + ")"


def _ids(items, name: str, limit: int, out: list) -> dict[str, int] | None:
    """Id → index of first use in a list of objects, reporting later duplicates.

    None when the list cannot be used for references (missing, empty or over its limit).
    """
    if not isinstance(items, list) or not items or len(items) > limit:
        return None
    first: dict[str, int] = {}
    noun = name[:-1]
    for i, item in enumerate(items):
        ident = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(ident, str):
            continue
        if ident in first:
            out.append(([name, i, "id"], f"duplicate {noun} id {_show(ident)} "
                                         f"(already the id of {name}[{first[ident]}])"))
        else:
            first[ident] = i
    return first


def _references(obj: Mapping) -> list[tuple[Parts, str]]:
    """Problems between values: unique ids and pairs, steps' stages, transitions' ends."""
    out: list[tuple[Parts, str]] = []
    stage_ids = _ids(obj.get("stages"), "stages", MAX_STAGES, out)
    step_ids = _ids(obj.get("steps"), "steps", MAX_STEPS, out)
    steps = obj.get("steps")
    if stage_ids is not None and isinstance(steps, list) and len(steps) <= MAX_STEPS:
        stages = _listing("stages", stage_ids)
        for i, step in enumerate(steps):
            ref = step.get("stage") if isinstance(step, Mapping) else None
            if isinstance(ref, str) and ref not in stage_ids:
                out.append((["steps", i, "stage"], f"{_show(ref)} is not a stage of this "
                                                   f"journey {stages}"))
    transitions = obj.get("transitions")
    if not isinstance(transitions, list) or len(transitions) > MAX_TRANSITIONS:
        return out
    pairs: dict[tuple[str, str], int] = {}
    steps_listed = _listing("steps", step_ids) if step_ids is not None else ""
    for i, transition in enumerate(transitions):
        if not isinstance(transition, Mapping):
            continue
        ends = transition.get("from"), transition.get("to")
        if step_ids is not None:
            for key, ref in zip(("from", "to"), ends, strict=True):
                if isinstance(ref, str) and ref not in step_ids:
                    out.append((["transitions", i, key], f"{_show(ref)} is not a step of this "
                                                         f"journey {steps_listed}"))
        if isinstance(ends[0], str) and isinstance(ends[1], str):
            if ends in pairs:
                out.append((["transitions", i], f"duplicate transition from {_show(ends[0])} "
                                                f"to {_show(ends[1])} (already given at "
                                                f"transitions[{pairs[ends]}])"))
            else:
                pairs[ends] = i
    return out


def _format_problem(obj) -> tuple[Parts, str] | None:
    """The one problem of a value that is not a journey document of a format this build reads."""
    if not isinstance(obj, Mapping):
        return [], f"not a journey document: expected a JSON object, got {_show(obj)}"
    reads = ", ".join(READS)
    if "format" not in obj:
        return ["format"], (
            f"missing; a journey document names its format, and this build reads {reads}"
        )
    if not isinstance(obj["format"], str) or obj["format"] not in READS:
        return ["format"], (
            f"{_show(obj['format'])} is not a format this build reads (it reads {reads})"
        )
    return None


def _order(obj, parts: Parts, positions: dict) -> tuple[int, ...]:
    """Sort key putting problems in document order (missing keys after present ones)."""
    key = []
    node = obj
    for part in parts:
        if isinstance(node, Mapping) and isinstance(part, str):
            if id(node) not in positions:
                positions[id(node)] = {k: i for i, k in enumerate(node)}
            where = positions[id(node)]
            key.append(where.get(part, len(where)))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            key.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            key.append(0)
            node = None
    return tuple(key)


def _raise(obj, problems: list[tuple[Parts, str]]):
    positions: dict = {}
    problems = sorted(problems, key=lambda p: _order(obj, p[0], positions))
    raise DocumentError([(format_path(parts), msg) for parts, msg in problems])


def _validate(obj) -> tuple[Journey | None, list[tuple[Parts, str]]]:
    """The journey, or None and every problem found in a value with the right format."""
    problems: list[tuple[Parts, str]] = []
    journey = None
    try:
        journey = _JOURNEY_SCHEMA.load(obj)
    except ValidationError as err:
        _flatten(err.messages, [], problems)
    problems += _references(obj)
    return (None if problems else journey), problems


def _nested_too_deep(obj) -> bool:
    """Whether containers of a parsed value nest deeper than MAX_DEPTH, found without recursing."""
    stack = [(obj, 1)] if isinstance(obj, Mapping | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        items = node.values() if isinstance(node, Mapping) else node
        stack.extend((v, depth + 1) for v in items if isinstance(v, Mapping | list))
    return False


def load_data(obj) -> Journey:
    """Validate an already parsed JSON value as a journey document; DocumentError if invalid."""
    if _nested_too_deep(obj):
        raise _too_deep_error()
    return _checked(obj, [])


def _checked(obj, problems: list[tuple[Parts, str]]) -> Journey:
    """The journey of a parsed document, or every problem (``problems`` found while parsing
    included); a wrong or missing format is the one problem reported."""
    wrong = _format_problem(obj)
    if wrong:
        raise DocumentError([(format_path(wrong[0]), wrong[1])])
    journey, invalid = _validate(obj)
    problems = problems + invalid
    if problems:
        _raise(obj, problems)
    _check_export_size(journey)
    return journey


def _check_export_size(journey: Journey) -> None:
    """Refuse a journey whose smallest export would not import again.

    The byte limit applies to the file as given; a valid journey must also fit it as
    exported, or an export would be refused on import. The compact form leaves out
    defaults and spaces, so only a document that, say, writes ``1e300`` for a number
    can be valid as given and too large as exported.
    """
    size = len(compact_document(journey))
    if size > MAX_BYTES:
        raise _whole(f"the journey takes {size:,} bytes even as a compact export, more than "
                     f"the {MAX_BYTES:,} bytes a document may have; shorten its texts")


# --- parsing --------------------------------------------------------------------------------


def _whole(message: str) -> DocumentError:
    return DocumentError([("$", message)])


def _too_deep_error() -> DocumentError:
    return _whole(f"not a journey document: containers are nested deeper than {MAX_DEPTH} "
                  "levels")


def _too_deep(text: str) -> bool:
    """Whether containers nest deeper than MAX_DEPTH, found without recursing."""
    depth = 0
    for match in _TOKEN.finditer(text):
        first = match.group()[0]
        if first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif first in "]}":
            depth -= 1
    return False


class _Duplicates(dict):
    """An object of the parsed document that had keys given more than once."""

    duplicates: list[str]


def _parse_float(text: str):
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _parse_int(text: str):
    # Past 309 digits no integer is finite as a float; int() of very long text is refused.
    if len(text.lstrip("-")) > 309:
        return _NonFinite(text)
    value = int(text)
    return value if _finite(value) else _NonFinite(text)


def _duplicate_problems(root, objects: list[_Duplicates]) -> list[tuple[Parts, str]]:
    """Find the objects with duplicate keys in the parsed tree and name their paths."""
    wanted = {id(o) for o in objects}
    out: list[tuple[Parts, str]] = []
    stack: list[tuple[object, Parts]] = [(root, [])]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                for key, extra in Counter(node.duplicates).items():
                    times = extra + 1
                    out.append(([*parts, key], f"the key {_show(key)} is given {times} times "
                                               "in this object"))
            stack.extend((v, [*parts, k]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, [*parts, i]) for i, v in enumerate(node))
    return out


def load_document(raw: bytes | str) -> Journey:
    """Parse and validate a journey document (UTF-8 JSON); DocumentError lists every problem."""
    if isinstance(raw, str):
        # A str longer than the limit is not encoded to count its bytes: at least as many.
        size = None if len(raw) > MAX_BYTES else len(raw.encode("utf-8", "surrogatepass"))
    elif isinstance(raw, bytes | bytearray | memoryview):
        raw = bytes(raw)
        size = len(raw)
    else:
        raise TypeError(f"a journey document is bytes or str, not {type(raw).__name__}")
    if size is None or size > MAX_BYTES:
        shown = f"more than {MAX_BYTES:,}" if size is None else f"{size:,}"
        raise _whole(f"the document is {shown} bytes; at most {MAX_BYTES:,} bytes are allowed")
    if isinstance(raw, bytes):
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        try:
            text = raw[bom:].decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = bom + exc.start
            line = raw.count(b"\n", 0, offset) + 1
            raise _whole(f"not valid UTF-8: byte 0x{raw[offset]:02x} at line {line} "
                         f"(byte offset {offset:,})") from None
    else:
        text = raw[1:] if raw.startswith(_BOM) else raw
    if _too_deep(text):
        raise _too_deep_error()

    with_duplicates: list[_Duplicates] = []

    def pairs_hook(pairs):
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        seen: set = set()
        obj = _Duplicates(pairs)
        obj.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]
        with_duplicates.append(obj)
        return obj

    try:
        obj = json.loads(text, object_pairs_hook=pairs_hook, parse_float=_parse_float,
                         parse_int=_parse_int, parse_constant=_NonFinite)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        if text[:exc.pos].rstrip().endswith(",") and text[exc.pos:exc.pos + 1] in ("]", "}"):
            message += ": a comma before a closing bracket (JSON allows no trailing comma)"
        raise _whole(message) from None

    return _checked(obj, _duplicate_problems(obj, with_duplicates) if with_duplicates else [])


def dump_document(journey: Journey) -> bytes:
    """The journey as a ``citizen-journey/1`` document: UTF-8 JSON that imports again.

    Indented with defaults written out; when that would pass MAX_BYTES, compact (no
    spaces, default values left out: see :func:`compact_document`), which every valid
    journey fits (the content limit of :func:`load_data`).
    """
    data = document.to_dict(journey)
    text = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if len(text) <= MAX_BYTES:
        return text
    return _compact_bytes(data)


def compact_document(journey: Journey) -> bytes:
    """The journey in its smallest export form: no spaces, and no key at its default."""
    return _compact_bytes(document.to_dict(journey))


def _defaults(cls) -> dict:
    """The default value of each field of a document dataclass that has one."""
    out = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return out


_STEP_DEFAULTS = {k: v for k, v in _defaults(Step).items() if k != "visibility"}
_PAIN_DEFAULTS = _defaults(PainPoint)
_TRANSITION_DEFAULTS = _defaults(Transition)
_JOURNEY_DEFAULTS = {k: v for k, v in _defaults(Journey).items() if k == "state"}


def _without(obj: dict, defaults: dict) -> dict:
    return {k: v for k, v in obj.items()
            if not (k in defaults and type(v) is type(defaults[k]) and v == defaults[k])}


def _compact_bytes(data: dict) -> bytes:
    """``to_dict``'s output as compact JSON with every default value left out."""
    data = _without(data, _JOURNEY_DEFAULTS)
    steps = []
    for step in data["steps"]:
        small = _without(step, _STEP_DEFAULTS)
        if small.get("visibility") == default_visibility(step.get("actor", "citizen")):
            del small["visibility"]
        if "pain_points" in small:
            small["pain_points"] = [_without(p, _PAIN_DEFAULTS) for p in small["pain_points"]]
        steps.append(small)
    data["steps"] = steps
    if data.get("transitions"):
        data["transitions"] = [_without(t, _TRANSITION_DEFAULTS) for t in data["transitions"]]
    else:
        data.pop("transitions", None)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
