"""Edits to one part of a stored journey: its fields, stages, steps, transitions, check
answers, pain points and ideas; and workshop votes.

Each edit takes the version it was based on and returns the journey's new version. It is
validated with the schema of the part it changes (the same rules and messages as a whole
document, with the part's JSON path, e.g. ``steps[3].channel``); references and unique ids
are checked with targeted queries, so an edit to one step of a 2,000-step journey reads
and writes that step alone (plus the journey's version and the revision). ``changes`` and
new parts use the document's keys and value forms (``journey-format.md``); in
``changes``, ``None`` removes an optional value (or sets it to null where the format
allows null).
"""

import copy
import dataclasses
import functools
import json
from collections.abc import Callable, Mapping

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlmodel import Session

from journeys.domain import document
from journeys.domain.document import Step, default_visibility
from journeys.domain.schemas import (
    MAX_STAGES,
    MAX_STEPS,
    MAX_TRANSITIONS,
    DocumentError,
    JourneySchema,
    PainPointSchema,
    StageSchema,
    StepSchema,
    TransitionSchema,
    _flatten,
    format_path,
)
from journeys.domain.text import format_number, one_line
from journeys.store.actors import Actor
from journeys.store.errors import NotFound
from journeys.store.models import JourneyRow
from journeys.store.services.common import (
    J,
    Opened,
    get_journey_row,
    now,
    open_edit,
    record,
    write,
)
from journeys.store.services.parts import (
    MAX_STORED_INT,
    ST,
    TR,
    C,
    P,
    S,
    as_number,
    check_rows,
    pain_rows,
    persona_of,
    step_fields,
    step_from_row,
    step_value,
)

_STEP = StepSchema()
_STAGE = StageSchema()
_TRANSITION = TransitionSchema()
_PAIN = PainPointSchema()
_JOURNEY_FIELDS = JourneySchema().fields
_JOURNEY_KEYS = ("title", "service", "service_type", "organization", "persona", "state",
                 "reviewed_on")
_PARTS = {"stages": "add_stage", "steps": "add_step", "transitions": "add_transition",
          "format": None}
# Values shown as they are in a summary; other text is quoted.
_PLAIN = {"channel", "actor", "visibility", "evidence", "state", "service_type", "kind",
          "category", "source", "stage", "id", "reviewed_on"}


# --- validation -------------------------------------------------------------------------------


def _problems(err: ValidationError, parts: list) -> DocumentError:
    out: list = []
    _flatten(err.messages, list(parts), out)
    return DocumentError([(format_path(p), m) for p, m in out])


def _validated(schema, data, where: Callable[[], list]):
    """``data`` loaded by ``schema``, or a DocumentError with paths under ``where()``."""
    if not isinstance(data, Mapping):
        raise DocumentError([(format_path(where()), f"expected {schema.noun} (a JSON object)")])
    try:
        return schema.load(data)
    except ValidationError as err:
        raise _problems(err, where()) from None


def _merged(current: dict, changes, schema, where: Callable[[], list]) -> dict:
    """The part's document form with ``changes`` applied (None: remove, or null if allowed)."""
    if not isinstance(changes, Mapping):
        raise DocumentError([(format_path(where()),
                              "changes: expected an object of the keys to change")])
    merged = dict(current)
    for key, value in changes.items():
        nullable = key in schema.fields and schema.fields[key].allow_none
        if value is None and not nullable:
            merged.pop(key, None)
        else:
            merged[key] = value
    if "visibility" not in changes and "actor" in changes and schema is _STEP:
        merged.pop("visibility", None)  # follows the new actor unless given
    return merged


def _refuse(path_parts: list, message: str) -> DocumentError:
    return DocumentError([(format_path(path_parts), message)])


def _position(value, count: int, name: str = "position") -> int:
    """A list index from 0 to ``count`` (None: the end)."""
    if value is None:
        return count
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= count:
        raise _refuse([name], f"{value!r} is out of range (expected a whole number from 0 "
                              f"to {count})")
    return value


def _q(text: str) -> str:
    """Text quoted as the schema's messages quote it: ``"apply"``."""
    return json.dumps(text, ensure_ascii=False)


def _show(value, key: str = "") -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, str):
        text = one_line(value)
        text = text if len(text) <= 40 else text[:39] + "…"
        return text if key in _PLAIN else f"{_q(text)}"
    if isinstance(value, list):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, Mapping) and isinstance(value.get("name"), str):
        return _show(value["name"])
    return "changed"


def _describe(before: dict, after: dict) -> str:
    """``channel web → phone, title “A” → “B”``."""
    return ", ".join(f"{k.replace('_', ' ')} {_show(before.get(k), k)} → {_show(after.get(k), k)}"
                     for k in after)


def _diff(old: dict, new: dict) -> tuple[dict, dict]:
    """The keys whose value differs, with their values before and after (None: absent)."""
    keys = [k for k in {**old, **new} if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


# --- positions: a sort key per row, gaps allowed; indexes are document list positions -----------


def _index_of(session: Session, table, journey_id: int, position: int) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(table).where(
        table.c.journey_id == journey_id, table.c.position < position)).scalar_one()


def _count(session: Session, table, journey_id: int) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(table)
                           .where(table.c.journey_id == journey_id)).scalar_one()


def _make_room(session: Session, table, journey_id: int, index: int,
               skip_id: int | None = None) -> int:
    """The position for a row placed at list ``index``, later rows moved one down."""
    query = sa.select(table.c.position).where(table.c.journey_id == journey_id)
    if skip_id is not None:
        query = query.where(table.c.id != skip_id)
    at = session.execute(query.order_by(table.c.position).offset(index).limit(1)).scalar()
    if at is None:
        last = session.execute(sa.select(sa.func.max(table.c.position))
                               .where(table.c.journey_id == journey_id)).scalar()
        return 0 if last is None else last + 1
    session.execute(sa.update(table).where(table.c.journey_id == journey_id,
                                           table.c.position >= at)
                    .values(position=table.c.position + 1))
    return at


# --- reading one part ---------------------------------------------------------------------------


def _step_row(session: Session, row: JourneyRow, step_id, name: str = "step_id"):
    found = None
    if isinstance(step_id, str):
        found = session.execute(
            sa.select(S, ST.c.slug.label("stage_slug")).join(ST, ST.c.id == S.c.stage_id)
            .where(S.c.journey_id == row.id, S.c.slug == step_id)).first()
    if found is None:
        raise NotFound(f"{name}: journey {row.id} has no step {step_id!r}")
    return found


def _step_of(session: Session, found) -> Step:
    checks = session.execute(sa.select(C).where(C.c.step_id == found.id)
                             .order_by(C.c.position)).all()
    pains = session.execute(sa.select(P).where(P.c.step_id == found.id)
                            .order_by(P.c.position)).all()
    return step_from_row(found, found.stage_slug, checks, pains)


def _stage_row(session: Session, row: JourneyRow, stage_id, name: str = "stage_id"):
    found = None
    if isinstance(stage_id, str):
        found = session.execute(sa.select(ST).where(ST.c.journey_id == row.id,
                                                    ST.c.slug == stage_id)).first()
    if found is None:
        raise NotFound(f"{name}: journey {row.id} has no stage {stage_id!r}")
    return found


def _stage_dict(found) -> dict:
    return {k: v for k, v in (("id", found.slug), ("name", found.name),
                              ("description", found.description)) if v is not None}


def _step_ids(session: Session, row: JourneyRow, slugs) -> dict[str, int]:
    slugs = [s for s in slugs if isinstance(s, str)]
    return dict(session.execute(sa.select(S.c.slug, S.c.id).where(
        S.c.journey_id == row.id, S.c.slug.in_(slugs))).all()) if slugs else {}


def _transition_row(session: Session, row: JourneyRow, from_step, to_step):
    ids = _step_ids(session, row, [from_step, to_step])
    found = None
    if from_step in ids and to_step in ids:
        found = session.execute(sa.select(TR).where(
            TR.c.journey_id == row.id, TR.c.from_step_id == ids[from_step],
            TR.c.to_step_id == ids[to_step])).first()
    if found is None:
        raise NotFound(f"from_step, to_step: journey {row.id} has no transition from "
                       f"{from_step!r} to {to_step!r}")
    return found


def _transition_dict(found, from_slug: str, to_slug: str) -> dict:
    return {k: v for k, v in (("from", from_slug), ("to", to_slug), ("label", found.label),
                              ("kind", found.kind)) if v is not None}


def _journey_dict(row) -> dict:
    persona = persona_of(row)
    return {
        "title": row.title, "service": row.service, "service_type": row.service_type,
        "organization": row.organization,
        "persona": document.to_dict(document.Journey(
            title=".", stages=[], steps=[], persona=persona)).get("persona"),
        "state": row.state,
        "reviewed_on": row.reviewed_on.isoformat() if row.reviewed_on else None,
    }


def _none_if_missing(read: Callable[[], object]) -> Callable[[], object]:
    def current():
        try:
            return read()
        except NotFound:
            return None
    return current


def _open(session: Session, actor: Actor, journey_id: int, expected_version: int,
          current: Callable[[Opened], object] | None = None):
    """The journey, moved to its next version: (journey, new version, time) or a refusal."""
    row = Opened(journey_id, 0, 0, now())
    opened = open_edit(session, actor, journey_id, expected_version,
                       current=_none_if_missing(lambda: current(row)) if current else None)
    return opened, opened.version, opened.at


# --- the journey's own fields -------------------------------------------------------------------


def update_journey(*, session: Session, actor: Actor, journey_id: int, changes: dict,
                   expected_version: int) -> int:
    """Change the journey's own fields (title, service, persona, state, …)."""
    if not isinstance(changes, Mapping):
        raise _refuse([], "changes: expected an object of the keys to change")
    problems = []
    values = {}
    for key, value in changes.items():
        if key in _PARTS:
            how = f" (use {_PARTS[key]} and its siblings)" if _PARTS[key] else ""
            problems.append((key, f"is not changed here{how}"))
            continue
        if key not in _JOURNEY_KEYS:
            problems.append((key, "unknown key (the journey's own fields are "
                                  f"{', '.join(_JOURNEY_KEYS)})"))
            continue
        if value is None and key != "title":
            values[key] = None
            continue
        try:
            values[key] = _JOURNEY_FIELDS[key].deserialize(value)
        except ValidationError as err:
            problems += _problems(err, [key]).problems
    if problems:
        raise DocumentError(problems)
    with write(session):
        opened, version, at = _open(
            session, actor, journey_id, expected_version,
            lambda r: _journey_dict(session.get(JourneyRow, r.id, populate_existing=True)))
        row = session.get(JourneyRow, opened.id, populate_existing=True)
        old = _journey_dict(row)
        columns = {}
        for key, value in values.items():
            if key == "persona":
                columns.update(persona_name=value.name if value else None,
                               persona_description=value.description if value else None,
                               persona_needs=list(value.needs) if value else None)
            else:
                columns[key] = value
        session.execute(sa.update(J).where(J.c.id == row.id).values(**columns))
        session.expire(row)
        new = {**old, **{k: (v.isoformat() if k == "reviewed_on" and v else v)
                         for k, v in values.items()}}
        if "persona" in values:
            new["persona"] = _journey_dict(session.get(JourneyRow, row.id))["persona"]
        before, after = _diff(old, new)
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary="journey: " + (_describe(before, after) or "no change"),
               changes=[{"type": "journey", "before": before, "after": after}])
    return version


# --- stages -------------------------------------------------------------------------------------


def add_stage(*, session: Session, actor: Actor, journey_id: int, stage: dict,
              expected_version: int, position: int | None = None) -> int:
    """Add a stage (at ``position`` in journey order, default the end)."""
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version)
        count = _count(session, ST, row.id)
        index = _position(position, count)
        new = _validated(_STAGE, stage, lambda: ["stages", index])
        if count >= MAX_STAGES:
            raise _refuse(["stages"], f"a journey has at most {MAX_STAGES} stages")
        _unique_stage(session, row, new.id, ["stages", index, "id"])
        pos = _make_room(session, ST, row.id, index)
        session.execute(sa.insert(ST).values(journey_id=row.id, position=pos, slug=new.id,
                                             name=new.name, description=new.description))
        after = _stage_dict_of(new)
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"stage `{new.id}` added",
               changes=[{"type": "stage", "op": "add", "key": new.id, "position": index,
                         "after": after}])
    return version


def _stage_dict_of(stage) -> dict:
    return {k: v for k, v in (("id", stage.id), ("name", stage.name),
                              ("description", stage.description)) if v is not None}


def _unique_stage(session: Session, row: JourneyRow, slug: str, path: list) -> None:
    other = session.execute(sa.select(ST.c.position).where(
        ST.c.journey_id == row.id, ST.c.slug == slug)).scalar()
    if other is not None:
        raise _refuse(path, f"duplicate stage id {_q(slug)} (already the id of "
                            f"stages[{_index_of(session, ST, row.id, other)}])")


def update_stage(*, session: Session, actor: Actor, journey_id: int, stage_id: str,
                 changes: dict, expected_version: int) -> int:
    """Rename a stage or change its id or description; its steps follow."""
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version,
                                 lambda r: _stage_dict(_stage_row(session, r, stage_id)))
        found = _stage_row(session, row, stage_id)
        old = _stage_dict(found)

        def where():
            return ["stages", _index_of(session, ST, row.id, found.position)]

        new = _validated(_STAGE, _merged(old, changes, _STAGE, where), where)
        if new.id != found.slug:
            _unique_stage(session, row, new.id, [*where(), "id"])
        session.execute(sa.update(ST).where(ST.c.id == found.id).values(
            slug=new.id, name=new.name, description=new.description))
        before, after = _diff(old, _stage_dict_of(new))
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"stage `{found.slug}`: " + (_describe(before, after) or "no change"),
               changes=[{"type": "stage", "key": found.slug, "before": before,
                         "after": after}])
    return version


def move_stage(*, session: Session, actor: Actor, journey_id: int, stage_id: str,
               position: int, expected_version: int) -> int:
    """Move a stage to another place in journey order (0: first)."""
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version)
        found = _stage_row(session, row, stage_id)
        index = _position(position, _count(session, ST, row.id) - 1)
        pos = _make_room(session, ST, row.id, index, skip_id=found.id)
        session.execute(sa.update(ST).where(ST.c.id == found.id).values(position=pos))
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"stage `{found.slug}` moved to position {index + 1}",
               changes=[{"type": "stage", "op": "move", "key": found.slug,
                         "position": index}])
    return version


def delete_stage(*, session: Session, actor: Actor, journey_id: int, stage_id: str,
                 expected_version: int, steps: str | None = None,
                 move_to: str | None = None) -> int:
    """Delete a stage; its steps are deleted (``steps="delete"``) or moved (``move_to``).

    A stage that has steps is refused unless the caller says which.
    """
    if steps not in (None, "delete"):
        raise _refuse(["steps"], f"{steps!r} is not a choice (say steps=\"delete\", or "
                                 "move_to=<a stage id>)")
    if steps == "delete" and move_to is not None:
        raise _refuse(["move_to"], "say either steps=\"delete\" or move_to, not both")
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version,
                                 lambda r: _stage_dict(_stage_row(session, r, stage_id)))
        found = _stage_row(session, row, stage_id)
        if _count(session, ST, row.id) == 1:
            raise _refuse(["stages"], "a journey needs at least one stage; this is its last")
        own = session.execute(sa.select(S.c.id, S.c.slug).where(S.c.stage_id == found.id)
                              .order_by(S.c.position)).all()
        changes: list = []
        summary = f"stage `{found.slug}` deleted"
        if own and steps is None and move_to is None:
            raise _refuse(["steps"], f"stage {_q(found.slug)} has {len(own)} "
                                     f"step{'s' if len(own) != 1 else ''}: say whether to "
                                     "delete them (steps=\"delete\") or move them to another "
                                     "stage (move_to)")
        if own and move_to is not None:
            target = _stage_row(session, row, move_to, name="move_to")
            if target.id == found.id:
                raise _refuse(["move_to"], "is the stage being deleted; name another stage")
            session.execute(sa.update(S).where(S.c.stage_id == found.id)
                            .values(stage_id=target.id))
            changes += [{"type": "step", "key": slug, "before": {"stage": found.slug},
                         "after": {"stage": target.slug}} for _, slug in own]
            summary += f", its {len(own)} step{'s' if len(own) != 1 else ''} moved to " \
                       f"`{target.slug}`"
        elif own:
            if _count(session, S, row.id) == len(own):
                raise _refuse(["steps"], "these are all the journey's steps, and a journey "
                                         "needs at least one")
            changes += _delete_steps(session, row, [sid for sid, _ in own])
            summary += f" with its {len(own)} step{'s' if len(own) != 1 else ''}"
        session.execute(sa.delete(ST).where(ST.c.id == found.id))
        changes.append({"type": "stage", "op": "delete", "key": found.slug,
                        "before": _stage_dict(found)})
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=summary, changes=changes)
    return version


# --- steps --------------------------------------------------------------------------------------


def _stage_id_for(session: Session, row: JourneyRow, slug: str, path: list) -> int:
    found = session.execute(sa.select(ST.c.id).where(ST.c.journey_id == row.id,
                                                     ST.c.slug == slug)).scalar()
    if found is None:
        stages = session.execute(sa.select(ST.c.slug).where(ST.c.journey_id == row.id)
                                 .order_by(ST.c.position).limit(16)).scalars().all()
        shown = ", ".join(stages[:15]) + (", …" if len(stages) > 15 else "")
        raise _refuse(path, f"{_q(slug)} is not a stage of this journey (stages: {shown})")
    return found


def _unique_step(session: Session, row: JourneyRow, slug: str, path: list) -> None:
    other = session.execute(sa.select(S.c.position).where(
        S.c.journey_id == row.id, S.c.slug == slug)).scalar()
    if other is not None:
        raise _refuse(path, f"duplicate step id {_q(slug)} (already the id of "
                            f"steps[{_index_of(session, S, row.id, other)}])")


@functools.cache
def _step_update(columns: frozenset[str]):
    """``UPDATE step SET <columns> WHERE id = …``, built once per set of columns."""
    return sa.update(S).where(S.c.id == sa.bindparam("b_id")).values(
        {c: sa.bindparam(f"v_{c}", type_=S.c[c].type) for c in sorted(columns)})


def _save_step(session: Session, found, old: Step, new: Step, stage_id: int | None,
               connection: sa.Connection | None = None) -> None:
    """Write what differs between two versions of one step."""
    before = step_fields(old)
    columns = {k: v for k, v in step_fields(new).items() if before[k] != v}
    if stage_id is not None:
        columns["stage_id"] = stage_id
    if columns:
        (connection or session.connection()).execute(_step_update(frozenset(columns)), {
            "b_id": found.id, **{f"v_{k}": v for k, v in columns.items()}})
    if old.checks != new.checks:
        session.execute(sa.delete(C).where(C.c.step_id == found.id))
        if new.checks:
            session.execute(sa.insert(C), check_rows(found.id, new.checks))
    if old.pain_points != new.pain_points:
        session.execute(sa.delete(P).where(P.c.step_id == found.id))
        if new.pain_points:
            session.execute(sa.insert(P), pain_rows(found.id, new.pain_points, now()))


def _check_votes(step: Step, where: Callable[[], list]) -> None:
    for j, p in enumerate(step.pain_points):
        if p.votes > MAX_STORED_INT:
            raise _refuse([*where(), "pain_points", j, "votes"],
                          f"{p.votes} is more than can be stored (at most {MAX_STORED_INT:,})")


def _step_value(step: Step, key: str):
    """One key of the step's document form (None where the export leaves it out)."""
    if key == "checks":
        return document.step_to_dict(dataclasses.replace(step, pain_points=[]))["checks"]
    if key == "pain_points":
        return document.step_to_dict(dataclasses.replace(step, checks={}))["pain_points"]
    value = getattr(step, key)
    return list(value) if isinstance(value, list) else value


def _step_change(found, old: Step, new: Step, version: int, summary: str | None = None,
                 keys=None):
    if keys is None:
        before, after = _diff(document.step_to_dict(old), document.step_to_dict(new))
    else:
        before, after = _diff({k: _step_value(old, k) for k in keys},
                              {k: _step_value(new, k) for k in keys})
    text = summary or f"step `{found.slug}`: " + (_describe(before, after) or "no change")
    return text, [{"type": "step", "key": found.slug, "before": before, "after": after}]


# What an optional step key means when a change removes it (None): the format's default.
_STEP_DEFAULTS = {"description": None, "channel": "web", "actor": "citizen", "agency": None,
                  "moment_of_truth": False, "checks": {}, "pain_points": [], "ideas": [],
                  "evidence": "assumed", "tags": []}
_STEP_REQUIRED = ("id", "stage", "title")
_STEP_PARTS = ("checks", "pain_points")  # kept in their own tables
_STEP_BY_SLUG = (
    sa.select(S, ST.c.slug.label("stage_slug")).join(ST, ST.c.id == S.c.stage_id)
    .where(S.c.journey_id == sa.bindparam("b_journey"), S.c.slug == sa.bindparam("b_slug"))
)


# The step keys kept in its row under their own name (its "id" is the slug column; the row's
# own id, and "stage", are read by every lookup).
_STEP_COLUMNS = (frozenset(_STEP.fields) & frozenset(S.c.keys())) - {"id"}


@functools.lru_cache(maxsize=256)
def _step_lookup(keys: frozenset[str]):
    """:data:`_STEP_BY_SLUG` reading only what an edit of ``keys`` compares: the row's id,
    position (for the paths of refusals), slug, stage and actor, and those columns."""
    return (
        sa.select(S.c.id, S.c.position, S.c.slug, S.c.actor,
                  *(S.c[k] for k in sorted(keys - {"actor"})),
                  ST.c.slug.label("stage_slug"))
        .join(ST, ST.c.id == S.c.stage_id)
        .where(S.c.journey_id == sa.bindparam("b_journey"), S.c.slug == sa.bindparam("b_slug"))
    )


_STEP_NUMBERS = frozenset({"effort_minutes", "wait_days"})


def _step_values(changes, actor: str, where: Callable[[], list]) -> dict:
    """The changed fields of a step, each validated by its own field of the step schema
    (``actor``: the step's actor now, which a removed visibility follows)."""
    if not isinstance(changes, Mapping):
        raise _refuse(where(), "changes: expected an object of the keys to change")
    values, errors = {}, {}
    for key, value in changes.items():
        field = _STEP.fields.get(key) if isinstance(key, str) else None
        if field is None:
            errors[key] = [_STEP.error_messages["unknown"]]
        elif value is None and not field.allow_none:
            if key in _STEP_REQUIRED:
                errors[key] = [field.error_messages["required"]]
            elif key == "visibility":
                values[key] = default_visibility(values.get("actor", actor))
            else:
                values[key] = copy.deepcopy(_STEP_DEFAULTS[key])
        else:
            try:
                values[key] = field.deserialize(value)
            except ValidationError as err:
                errors[key] = err.messages
            else:
                if key in _STEP_NUMBERS:  # 3.0 days is 3, as the stored journey reads
                    values[key] = as_number(values[key])
    if errors:
        raise _problems(ValidationError(errors), where())
    return values


def update_step(*, session: Session, actor: Actor, journey_id: int, step_id: str,
                changes: dict, expected_version: int) -> int:
    """Change any of a step's fields (its id included; transitions follow).

    Only the step's row is read (its check answers and pain points too when the change
    names them), each changed field is validated by its own schema field, and only the
    changed columns are written: the cost does not grow with the journey.
    """
    with write(session) as conn:
        row = open_edit(session, actor, journey_id, expected_version, connection=conn,
                        current=_none_if_missing(lambda: document.step_to_dict(
                            _step_of(session, _step_row(session, Opened(journey_id, 0, 0, now()),
                                                        step_id)))))
        version = row.version
        keys = changes.keys() if isinstance(changes, Mapping) else ()
        parts = any(k in _STEP_PARTS for k in keys)
        lookup = _STEP_BY_SLUG if parts else _step_lookup(
            frozenset(k for k in keys if k in _STEP_COLUMNS))
        found = conn.execute(lookup, {"b_journey": row.id, "b_slug": step_id}).first() \
            if isinstance(step_id, str) else None
        if found is None:
            raise NotFound(f"step_id: journey {row.id} has no step {step_id!r}")

        def where():
            return ["steps", _index_of(session, S, row.id, found.position)]

        if parts:
            summary, recorded = _update_step_parts(session, conn, row, found, changes, where)
        else:
            # Columns of the step's row alone (almost every edit): compared, written and
            # recorded key by key, without the whole step read into a Step twice.
            values = _step_values(changes, found.actor, where)
            before, after = {}, {}
            for key, value in values.items():
                was = step_value(found, found.stage_slug, key)
                if was != value:
                    before[key], after[key] = was, value
            columns = {"slug" if k == "id" else k: v for k, v in after.items() if k != "stage"}
            if "stage" in after:
                columns["stage_id"] = _stage_id_for(session, row, after["stage"],
                                                    [*where(), "stage"])
            if "id" in after:
                _unique_step(session, row, after["id"], [*where(), "id"])
            if columns:
                conn.execute(_step_update(frozenset(columns)), {
                    "b_id": found.id, **{f"v_{k}": v for k, v in columns.items()}})
            summary = f"step `{found.slug}`: " + (_describe(before, after) or "no change")
            recorded = [{"type": "step", "key": found.slug, "before": before, "after": after}]
        record(session, journey_id=row.id, number=version, actor=actor, at=row.at,
               summary=summary, changes=recorded, connection=conn)
    return version


def _update_step_parts(session: Session, conn: sa.Connection, row: Opened, found,
                       changes: Mapping, where: Callable[[], list]) -> tuple[str, list]:
    """:func:`update_step` of a change that names the step's check answers or pain points
    (kept in their own tables): the whole step is read, changed and written back."""
    old = _step_of(session, found)
    values = _step_values(changes, old.actor, where)
    new = dataclasses.replace(old, **values)
    _check_votes(new, where)
    stage_id = None
    if new.stage != old.stage:
        stage_id = _stage_id_for(session, row, new.stage, [*where(), "stage"])
    if new.id != old.id:
        _unique_step(session, row, new.id, [*where(), "id"])
    _save_step(session, found, old, new, stage_id, connection=conn)
    return _step_change(found, old, new, row.version, keys=values.keys())


def add_step(*, session: Session, actor: Actor, journey_id: int, step: dict,
             expected_version: int, position: int | None = None) -> int:
    """Add a step (at ``position`` in document order, default the end)."""
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version)
        count = _count(session, S, row.id)
        index = _position(position, count)
        new = _validated(_STEP, step, lambda: ["steps", index])
        _check_votes(new, lambda: ["steps", index])
        if count >= MAX_STEPS:
            raise _refuse(["steps"], f"a journey has at most {MAX_STEPS:,} steps")
        stage_id = _stage_id_for(session, row, new.stage, ["steps", index, "stage"])
        _unique_step(session, row, new.id, ["steps", index, "id"])
        pos = _make_room(session, S, row.id, index)
        step_row_id = session.execute(sa.insert(S).values(
            journey_id=row.id, stage_id=stage_id, position=pos, **step_fields(new))
            .returning(S.c.id)).scalar_one()
        if new.checks:
            session.execute(sa.insert(C), check_rows(step_row_id, new.checks))
        if new.pain_points:
            session.execute(sa.insert(P), pain_rows(step_row_id, new.pain_points, at))
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"step `{new.id}` added to stage `{new.stage}`",
               changes=[{"type": "step", "op": "add", "key": new.id, "position": index,
                         "after": document.step_to_dict(new)}])
    return version


def move_step(*, session: Session, actor: Actor, journey_id: int, step_id: str,
              expected_version: int, stage: str | None = None,
              position: int | None = None) -> int:
    """Move a step to another stage, another place in document order, or both."""
    if stage is None and position is None:
        raise _refuse(["position"], "say where to move the step: a stage, a position, or both")
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version)
        found = _step_row(session, row, step_id)
        changes, said = [], []
        if stage is not None and stage != found.stage_slug:
            stage_id = _stage_id_for(session, row, stage, ["stage"]) \
                if isinstance(stage, str) else None
            if stage_id is None:
                raise _refuse(["stage"], f"expected the id of a stage, got {stage!r}")
            session.execute(sa.update(S).where(S.c.id == found.id).values(stage_id=stage_id))
            changes.append({"type": "step", "key": found.slug,
                            "before": {"stage": found.stage_slug}, "after": {"stage": stage}})
            said.append(f"to stage `{stage}`")
        if position is not None:
            index = _position(position, _count(session, S, row.id) - 1)
            pos = _make_room(session, S, row.id, index, skip_id=found.id)
            session.execute(sa.update(S).where(S.c.id == found.id).values(position=pos))
            changes.append({"type": "step", "op": "move", "key": found.slug,
                            "position": index})
            said.append(f"to position {index + 1}")
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"step `{found.slug}` moved " + (" and ".join(said) or "nowhere"),
               changes=changes)
    return version


def _delete_steps(session: Session, row: JourneyRow, ids: list[int]) -> list[dict]:
    """Delete steps and the transitions touching them; return the changes to record."""
    slugs = dict(session.execute(sa.select(S.c.id, S.c.slug).where(S.c.journey_id == row.id))
                 .all()) if ids else {}
    gone = set(ids)
    changes = []
    for t in session.execute(sa.select(TR).where(
            TR.c.journey_id == row.id,
            sa.or_(TR.c.from_step_id.in_(ids), TR.c.to_step_id.in_(ids)))
            .order_by(TR.c.position)):
        changes.append({"type": "transition", "op": "delete",
                        "key": [slugs[t.from_step_id], slugs[t.to_step_id]],
                        "before": _transition_dict(t, slugs[t.from_step_id],
                                                   slugs[t.to_step_id])})
    for sid in ids:
        found = session.execute(
            sa.select(S, ST.c.slug.label("stage_slug")).join(ST, ST.c.id == S.c.stage_id)
            .where(S.c.id == sid)).first()
        changes.append({"type": "step", "op": "delete", "key": found.slug,
                        "before": document.step_to_dict(_step_of(session, found))})
    session.execute(sa.delete(TR).where(TR.c.journey_id == row.id, sa.or_(
        TR.c.from_step_id.in_(gone), TR.c.to_step_id.in_(gone))))
    session.execute(sa.delete(S).where(S.c.id.in_(gone)))
    return changes


def delete_step(*, session: Session, actor: Actor, journey_id: int, step_id: str,
                expected_version: int) -> int:
    """Delete a step with the transitions that touch it."""
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version)
        found = _step_row(session, row, step_id)
        if _count(session, S, row.id) == 1:
            raise _refuse(["steps"], "a journey needs at least one step; this is its last")
        changes = _delete_steps(session, row, [found.id])
        n = len(changes) - 1
        also = f" with {n} transition{'s' if n != 1 else ''}" if n else ""
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"step `{found.slug}` deleted{also}", changes=changes)
    return version


# --- transitions --------------------------------------------------------------------------------


def _ends(session: Session, row: JourneyRow, new, path: list) -> tuple[int, int]:
    ids = _step_ids(session, row, [new.source, new.target])
    problems = [(format_path([*path, key]), f"{_q(ref)} is not a step of this journey")
                for key, ref in (("from", new.source), ("to", new.target)) if ref not in ids]
    if problems:
        raise DocumentError(problems)
    return ids[new.source], ids[new.target]


def _unique_pair(session: Session, row: JourneyRow, ends: tuple[int, int], new, path: list,
                 skip_id: int | None = None) -> None:
    query = sa.select(TR.c.position).where(TR.c.journey_id == row.id,
                                           TR.c.from_step_id == ends[0],
                                           TR.c.to_step_id == ends[1])
    if skip_id is not None:
        query = query.where(TR.c.id != skip_id)
    other = session.execute(query).scalar()
    if other is not None:
        at = _index_of(session, TR, row.id, other)
        raise _refuse(path, f"duplicate transition from {_q(new.source)} to {_q(new.target)} "
                            f"(already given at transitions[{at}])")


def _transition_dict_of(t) -> dict:
    return {k: v for k, v in (("from", t.source), ("to", t.target), ("label", t.label),
                              ("kind", t.kind)) if v is not None}


def add_transition(*, session: Session, actor: Actor, journey_id: int, transition: dict,
                   expected_version: int, position: int | None = None) -> int:
    """Add a transition between two steps of the journey."""
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version)
        count = _count(session, TR, row.id)
        index = _position(position, count)
        path = ["transitions", index]
        new = _validated(_TRANSITION, transition, lambda: path)
        if count >= MAX_TRANSITIONS:
            raise _refuse(["transitions"], f"a journey has at most {MAX_TRANSITIONS:,} "
                                           "transitions")
        ends = _ends(session, row, new, path)
        _unique_pair(session, row, ends, new, path)
        pos = _make_room(session, TR, row.id, index)
        session.execute(sa.insert(TR).values(journey_id=row.id, position=pos,
                                             from_step_id=ends[0], to_step_id=ends[1],
                                             label=new.label, kind=new.kind))
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"transition `{new.source}` → `{new.target}` added ({new.kind})",
               changes=[{"type": "transition", "op": "add", "key": [new.source, new.target],
                         "position": index, "after": _transition_dict_of(new)}])
    return version


def update_transition(*, session: Session, actor: Actor, journey_id: int, from_step: str,
                      to_step: str, changes: dict, expected_version: int) -> int:
    """Change a transition's label, kind or ends (it is named by its ends)."""
    with write(session):
        row, version, at = _open(
            session, actor, journey_id, expected_version,
            lambda r: _transition_dict(_transition_row(session, r, from_step, to_step),
                                       from_step, to_step))
        found = _transition_row(session, row, from_step, to_step)
        old = _transition_dict(found, from_step, to_step)

        def where():
            return ["transitions", _index_of(session, TR, row.id, found.position)]

        new = _validated(_TRANSITION, _merged(old, changes, _TRANSITION, where), where)
        ends = _ends(session, row, new, where())
        if ends != (found.from_step_id, found.to_step_id):
            _unique_pair(session, row, ends, new, where(), skip_id=found.id)
        session.execute(sa.update(TR).where(TR.c.id == found.id).values(
            from_step_id=ends[0], to_step_id=ends[1], label=new.label, kind=new.kind))
        before, after = _diff(old, _transition_dict_of(new))
        # Replay finds the transition by its old ends and sets the new ones.
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"transition `{from_step}` → `{to_step}`: "
                       + (_describe(before, after) or "no change"),
               changes=[{"type": "transition", "key": [from_step, to_step],
                         "before": before, "after": after}])
    return version


def delete_transition(*, session: Session, actor: Actor, journey_id: int, from_step: str,
                      to_step: str, expected_version: int) -> int:
    """Delete a transition (named by its ends)."""
    with write(session):
        row, version, at = _open(session, actor, journey_id, expected_version)
        found = _transition_row(session, row, from_step, to_step)
        session.execute(sa.delete(TR).where(TR.c.id == found.id))
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"transition `{from_step}` → `{to_step}` deleted",
               changes=[{"type": "transition", "op": "delete", "key": [from_step, to_step],
                         "before": _transition_dict(found, from_step, to_step)}])
    return version


# --- check answers, pain points, ideas: parts of one step ----------------------------------


def _step_edit(session: Session, actor: Actor, journey_id: int, step_id: str,
               expected_version: int, edit: Callable) -> int:
    """Apply ``edit(found, old step, where) -> (new step, summary)`` to one step."""
    with write(session):
        row, version, at = _open(
            session, actor, journey_id, expected_version,
            lambda r: document.step_to_dict(_step_of(session, _step_row(session, r, step_id))))
        found = _step_row(session, row, step_id)
        old = _step_of(session, found)

        def where():
            return ["steps", _index_of(session, S, row.id, found.position)]

        new, summary = edit(found, old, where)
        _save_step(session, found, old, new, None)
        _, recorded = _step_change(found, old, new, version)
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"step `{found.slug}`: {summary}", changes=recorded)
    return version


def _copy(step: Step) -> Step:
    return _STEP.load(document.step_to_dict(step))


def set_check(*, session: Session, actor: Actor, journey_id: int, step_id: str,
              check_id: str, result: str | None, expected_version: int,
              note: str | None = None) -> int:
    """Answer a catalogue check at a step, with an optional note; ``result`` None clears it."""

    def edit(found, old, where):
        new = _copy(old)
        given = old.checks.get(check_id)
        if result is None:
            if note is not None:
                raise _refuse([*where(), "checks", check_id, "note"],
                              "a note needs a result")
            if check_id not in new.checks:
                raise NotFound(f"check_id: step {_q(found.slug)} has no answer to {check_id!r}")
            del new.checks[check_id]
            return new, f"check {check_id} {given.result} → not assessed"
        answer = {"result": result} if note is None else {"result": result, "note": note}
        as_object = note is not None or (given is not None and given.as_object)
        data = {**document.step_to_dict(old),
                "checks": {**document.step_to_dict(old)["checks"],
                           check_id: answer if as_object else result}}
        loaded = _validated(_STEP, data, where)
        return loaded, (f"check {check_id} {given.result if given else 'not assessed'} → "
                        f"{loaded.checks[check_id].result}"
                        + (" (with a note)" if note is not None else ""))

    return _step_edit(session, actor, journey_id, step_id, expected_version, edit)


def _pain_index(found, old: Step, index, where) -> int:
    n = len(old.pain_points)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n:
        raise NotFound(f"index: step {_q(found.slug)} has no pain point {index!r} "
                       + (f"(it has {n}: 0 to {n - 1})" if n else "(it has none)"))
    return index


def add_pain_point(*, session: Session, actor: Actor, journey_id: int, step_id: str,
                   pain_point: dict, expected_version: int, position: int | None = None) -> int:
    """Add a pain point to a step (at ``position`` among its pain points, default the end)."""
    at = now()

    def edit(found, old, where):
        index = _position(position, len(old.pain_points))
        pain = _validated(_PAIN, pain_point, lambda: [*where(), "pain_points", index])
        new = _copy(old)
        new.pain_points.insert(index, pain)
        _check_votes(new, where)
        _shift_pains(session, found.id, index, +1)
        session.execute(sa.insert(P), [{**pain_rows(found.id, [pain], at)[0],
                                        "position": index}])
        return new, f"pain point added: {_show(pain.text)}"

    return _pain_edit(session, actor, journey_id, step_id, expected_version, edit)


def _shift_pains(session: Session, step_row_id: int, index: int, by: int) -> None:
    session.execute(sa.update(P).where(P.c.step_id == step_row_id, P.c.position >= index)
                    .values(position=P.c.position + by))


def _pain_edit(session, actor, journey_id, step_id, expected_version, edit) -> int:
    """A pain point edit: rows are written one by one (never all replaced), so the
    votes counted meanwhile by :func:`vote_pain_point` are never lost."""

    # The recorded change compares the step before and after the edit.
    with write(session):
        row, version, at = _open(
            session, actor, journey_id, expected_version,
            lambda r: document.step_to_dict(_step_of(session, _step_row(session, r, step_id))))
        found = _step_row(session, row, step_id)
        old = _step_of(session, found)
        before = document.step_to_dict(old)

        def where():
            return ["steps", _index_of(session, S, row.id, found.position)]

        new, summary = edit(found, old, where)
        after = document.step_to_dict(new)
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"step `{found.slug}`: {summary}",
               changes=[{"type": "step", "key": found.slug,
                         "before": {"pain_points": before["pain_points"]},
                         "after": {"pain_points": after["pain_points"]}}])
    return version


def update_pain_point(*, session: Session, actor: Actor, journey_id: int, step_id: str,
                      index: int, changes: dict, expected_version: int) -> int:
    """Change a pain point of a step (by its index among the step's pain points)."""

    def edit(found, old, where):
        i = _pain_index(found, old, index, where)
        current = document.step_to_dict(old)["pain_points"][i]
        path = lambda: [*where(), "pain_points", i]  # noqa: E731
        pain = _validated(_PAIN, _merged(current, changes, _PAIN, path), path)
        new = _copy(old)
        new.pain_points[i] = pain
        _check_votes(new, where)
        before, after = _diff(current, document.step_to_dict(new)["pain_points"][i])
        if after:
            session.execute(sa.update(P).where(P.c.step_id == found.id, P.c.position == i)
                            .values(**after))
        return new, f"pain point {i + 1}: " + (_describe(before, after) or "no change")

    return _pain_edit(session, actor, journey_id, step_id, expected_version, edit)


def delete_pain_point(*, session: Session, actor: Actor, journey_id: int, step_id: str,
                      index: int, expected_version: int) -> int:
    """Delete a pain point of a step (by its index)."""

    def edit(found, old, where):
        i = _pain_index(found, old, index, where)
        new = _copy(old)
        gone = new.pain_points.pop(i)
        session.execute(sa.delete(P).where(P.c.step_id == found.id, P.c.position == i))
        _shift_pains(session, found.id, i + 1, -1)
        return new, f"pain point deleted: {_show(gone.text)}"

    return _pain_edit(session, actor, journey_id, step_id, expected_version, edit)


def vote_pain_point(*, session: Session, actor: Actor, journey_id: int, step_id: str,
                    index: int, delta: int = 1) -> int:
    """Add ``delta`` votes to a pain point, atomically; return its votes.

    Votes never bump the journey's version (a workshop's votes must not make a designer's
    open form stale) and record no revision.
    """
    if isinstance(delta, bool) or not isinstance(delta, int) or abs(delta) > 1_000_000:
        raise _refuse(["delta"], f"{delta!r} is not a number of votes")
    with write(session):
        row = get_journey_row(session=session, actor=actor, journey_id=journey_id)
        found = _step_row(session, row, step_id)
        if isinstance(index, bool) or not isinstance(index, int) \
                or not 0 <= index <= MAX_STORED_INT:
            raise NotFound(f"index: step {_q(found.slug)} has no pain point {index!r}")
        room = P.c.votes <= MAX_STORED_INT - delta if delta > 0 else P.c.votes >= -delta
        done = session.execute(
            sa.update(P).where(P.c.step_id == found.id, P.c.position == index, room)
            .values(votes=P.c.votes + delta)).rowcount
        votes = session.execute(sa.select(P.c.votes).where(
            P.c.step_id == found.id, P.c.position == index)).scalar()
        if votes is None:
            raise NotFound(f"index: step {_q(found.slug)} has no pain point {index}")
        if not done:
            raise _refuse(["delta"], f"votes cannot go from {votes} to {votes + delta}")
    return votes


def add_idea(*, session: Session, actor: Actor, journey_id: int, step_id: str, text: str,
             expected_version: int, position: int | None = None) -> int:
    """Add an improvement idea to a step."""

    def edit(found, old, where):
        index = _position(position, len(old.ideas))
        data = document.step_to_dict(old)
        data["ideas"].insert(index, text)
        return _validated(_STEP, data, where), f"idea added: {_show(text)}"

    return _step_edit(session, actor, journey_id, step_id, expected_version, edit)


def _idea_index(found, old: Step, index) -> int:
    n = len(old.ideas)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n:
        raise NotFound(f"index: step {_q(found.slug)} has no idea {index!r} "
                       + (f"(it has {n}: 0 to {n - 1})" if n else "(it has none)"))
    return index


def update_idea(*, session: Session, actor: Actor, journey_id: int, step_id: str, index: int,
                text: str, expected_version: int) -> int:
    """Change the text of one of a step's ideas (by its index)."""

    def edit(found, old, where):
        i = _idea_index(found, old, index)
        data = document.step_to_dict(old)
        data["ideas"][i] = text
        return _validated(_STEP, data, where), f"idea {i + 1} → {_show(text)}"

    return _step_edit(session, actor, journey_id, step_id, expected_version, edit)


def delete_idea(*, session: Session, actor: Actor, journey_id: int, step_id: str, index: int,
                expected_version: int) -> int:
    """Delete one of a step's ideas (by its index)."""

    def edit(found, old, where):
        i = _idea_index(found, old, index)
        new = _copy(old)
        gone = new.ideas.pop(i)
        return new, f"idea deleted: {_show(gone)}"

    return _step_edit(session, actor, journey_id, step_id, expected_version, edit)

