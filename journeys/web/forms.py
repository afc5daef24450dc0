"""Form fields to the document's keys and value forms, and problems back to fields.

A form posts strings; the store's services take the document's values (journey-format.md).
What cannot be read as the right type is passed on unchanged, so the schema's message
names the field (``steps[2].effort_minutes: expected a number ≥ 0 or null, got "abc"``).
"""

import re
from collections.abc import Mapping

from journeys.domain.text import slugify

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")

STEP_TEXT = ("title", "description", "agency", "measure")
STEP_CHOICES = ("stage", "channel", "actor", "visibility", "evidence")
STEP_WHOLE = ("level", "target_level", "emotion")
STEP_NUMBERS = ("effort_minutes", "wait_days")
STEP_FIELDS = STEP_TEXT + STEP_CHOICES + STEP_WHOLE + STEP_NUMBERS + ("moment_of_truth", "tags")


def text(value: str | None) -> str | None:
    """Trimmed text, None when empty."""
    value = (value or "").strip()
    return value or None


def whole(value: str | None):
    """A whole number, None when empty, the text itself when it is not a number."""
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if _INTEGER.fullmatch(value) else value


def number(value: str | None):
    """A number (whole when it is one), None when empty, else the text itself."""
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    if _INTEGER.fullmatch(value):
        return int(value)
    return float(value) if _NUMBER.fullmatch(value) else value


def step_changes(form: Mapping) -> dict:
    """The ``changes`` of a step form: every field the form holds, as document values."""
    changes: dict = {}
    for key in STEP_TEXT:
        if key in form:
            changes[key] = text(form[key]) if key != "title" else form[key].strip()
    for key in STEP_CHOICES:
        if key in form:
            changes[key] = form[key]
    for key in STEP_WHOLE:
        if key in form:
            changes[key] = whole(form[key])
    for key in STEP_NUMBERS:
        if key in form:
            changes[key] = number(form[key])
    if "tags" in form:
        changes["tags"] = [t.strip() for t in form["tags"].split(",") if t.strip()]
    if "moment_of_truth_shown" in form:  # a checkbox posts nothing when unticked
        changes["moment_of_truth"] = form.get("moment_of_truth") == "1"
    return changes


def new_id(title: str, taken: set[str], fallback: str) -> str:
    """An id for a new stage or step, made from its name and unique among ``taken``."""
    base = slugify(title, fallback=fallback, max_length=56)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


_PATH_KEY = re.compile(r"(?:^|\.)([a-z_]+)(?:\[(\d+)\])?$")


def field_errors(problems, prefix: str = "") -> dict[str, str]:
    """Problems keyed by the form field they concern (the last key of the JSON path).

    ``prefix`` keeps only the problems under it (``steps[2]``); the others go to ``""``,
    the form as a whole.
    """
    errors: dict[str, str] = {}
    for path, message in problems:
        rest = path[len(prefix):] if prefix and path.startswith(prefix) else path
        match = _PATH_KEY.search(rest.lstrip("."))
        key = match.group(1) if match else ""
        if prefix and not path.startswith(prefix):
            key = ""
        errors.setdefault(key, message)
    return errors


JOURNEY_FIELDS = ("title", "service", "service_type", "organization", "state", "reviewed_on",
                  "persona_name", "persona_description", "persona_needs")


def journey_changes(form: Mapping) -> dict:
    """The journey's own fields from its details form, as document values.

    The persona is one value: absent when its three fields are empty, else an object
    (an empty name is passed on, so the schema's message names the persona's name).
    """
    changes: dict = {}
    if "title" in form:
        changes["title"] = form["title"].strip()
    for key in ("service", "organization", "reviewed_on"):
        if key in form:
            changes[key] = text(form[key])
    for key in ("service_type", "state"):
        if key in form:
            changes[key] = form[key] or None
    if any(f"persona_{k}" in form for k in ("name", "description", "needs")):
        name = text(form.get("persona_name"))
        description = text(form.get("persona_description"))
        needs = [line.strip() for line in (form.get("persona_needs") or "").splitlines()
                 if line.strip()]
        if name is None and description is None and not needs:
            changes["persona"] = None
        else:
            persona: dict = {"name": name or "", "needs": needs}
            if description is not None:
                persona["description"] = description
            changes["persona"] = persona
    return changes


def journey_errors(problems) -> dict[str, str]:
    """Problems of the journey's own fields keyed by the details form's field names."""
    errors: dict[str, str] = {}
    for path, message in problems:
        top = re.match(r"[a-z_]*", path).group(0)
        if top == "persona":
            sub = re.match(r"persona\.([a-z_]+)", path)
            key = f"persona_{sub.group(1)}" if sub else "persona_name"
        else:
            key = top if top in JOURNEY_FIELDS else ""
        errors.setdefault(key, message)
    return errors
