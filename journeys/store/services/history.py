"""History and undo: the list of revisions, the journey at any revision, restoring one.

Revision 1 and every replace or restore keep a full snapshot of the document; every
other revision keeps per-object changes, each with the object's key (a stage's or step's
id, a transition's ends), the values before and after, and its position in the list. The
journey at revision N is the nearest snapshot at or before N with the later changes
replayed on it, in order.
"""

import copy
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from journeys.domain import document
from journeys.domain.document import Journey
from journeys.store.actors import Actor
from journeys.store.errors import NotFound, StoreError
from journeys.store.models import JourneyRow
from journeys.store.services.common import (
    R,
    bump_version,
    get_journey_row,
    record,
    write,
)
from journeys.store.services.parts import check_storable, current_journey, replace_parts

_LISTS = {"stage": "stages", "step": "steps", "transition": "transitions"}
# Step keys an export always writes, null included; other keys are left out when unset.
_NULL_KEYS = {"level", "target_level", "emotion", "effort_minutes", "wait_days", "measure"}


@dataclass(frozen=True)
class RevisionInfo:
    """One revision in a journey's history."""

    number: int
    created_at: datetime
    actor_name: str
    summary: str
    changes: list

    def as_dict(self) -> dict:
        """JSON-ready form (``journeys history --json``)."""
        return {"number": self.number, "created_at": self.created_at.isoformat(),
                "actor": self.actor_name, "summary": self.summary, "changes": self.changes}


def history(*, session: Session, actor: Actor, journey_id: int) -> list[RevisionInfo]:
    """The journey's revisions, newest first."""
    row = get_journey_row(session=session, actor=actor, journey_id=journey_id)
    return [
        RevisionInfo(r.number, _utc(r.created_at), r.actor_name, r.summary, r.changes or [])
        for r in session.execute(
            sa.select(R.c.number, R.c.created_at, R.c.actor_name, R.c.summary, R.c.changes)
            .where(R.c.journey_id == row.id).order_by(R.c.number.desc()))
    ]


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _key_of(kind: str, obj: dict):
    return (obj["from"], obj["to"]) if kind == "transition" else obj["id"]


def _index(items: list, kind: str, key) -> int:
    key = tuple(key) if kind == "transition" else key
    for i, obj in enumerate(items):
        if _key_of(kind, obj) == key:
            return i
    raise KeyError(key)


def _set(obj: dict, values: dict, null_keys=frozenset()) -> None:
    for k, v in values.items():
        if v is None and k not in null_keys:
            obj.pop(k, None)
        else:
            obj[k] = copy.deepcopy(v)


def apply_change(doc: dict, change: dict) -> None:
    """Replay one recorded change on a document (a ``to_dict`` form), in place."""
    kind, op = change["type"], change.get("op", "update")
    if kind == "journey":
        _set(doc, change["after"])
        return
    items = doc.setdefault(_LISTS[kind], [])
    if op == "add":
        items.insert(min(change["position"], len(items)), copy.deepcopy(change["after"]))
        return
    i = _index(items, kind, change["key"])
    if op == "delete":
        del items[i]
    elif op == "move":
        obj = items.pop(i)
        items.insert(min(change["position"], len(items)), obj)
    else:
        obj = items[i]
        _set(obj, change["after"], _NULL_KEYS if kind == "step" else frozenset())
        old_id, new_id = change["before"].get("id"), change["after"].get("id")
        if new_id is not None and old_id is not None and new_id != old_id:
            _rename(doc, kind, old_id, new_id)


def _rename(doc: dict, kind: str, old: str, new: str) -> None:
    """References follow a renamed stage or step, as the database's foreign keys do."""
    if kind == "stage":
        for step in doc["steps"]:
            if step["stage"] == old:
                step["stage"] = new
    elif kind == "step":
        for t in doc.get("transitions", []):
            for end in ("from", "to"):
                if t[end] == old:
                    t[end] = new


def journey_at(session: Session, row: JourneyRow, revision: int) -> Journey:
    """The journey as it was at ``revision``: the nearest snapshot, later changes replayed."""
    from journeys.domain.schemas import DocumentError, load_data

    if isinstance(revision, bool) or not isinstance(revision, int) \
            or not 1 <= revision <= row.version:
        raise NotFound(f"journey {row.id} has no revision {revision} (its revisions are "
                       f"1 to {row.version}; see 'journeys history {row.id}')")
    base = session.execute(
        sa.select(R.c.number, R.c.snapshot)
        .where(R.c.journey_id == row.id, R.c.number <= revision, R.c.snapshot.is_not(None))
        .order_by(R.c.number.desc()).limit(1)).first()
    if base is None or base.snapshot is None:
        raise StoreError(f"revision {revision} of journey {row.id} was stored before history "
                         "was kept and cannot be rebuilt")
    doc = copy.deepcopy(base.snapshot)
    for (changes,) in session.execute(
            sa.select(R.c.changes)
            .where(R.c.journey_id == row.id, R.c.number > base.number, R.c.number <= revision)
            .order_by(R.c.number)):
        for change in changes or []:
            apply_change(doc, change)
    try:
        return load_data(doc)
    except DocumentError as err:  # pragma: no cover - every recorded edit was valid
        raise StoreError(f"revision {revision} of journey {row.id} cannot be rebuilt: "
                         f"{err.problems[0][0]}: {err.problems[0][1]}") from err


def restore_revision(*, session: Session, actor: Actor, journey_id: int, revision: int,
                     expected_version: int) -> int:
    """Make an earlier revision the journey's content again, as a new revision."""
    with write(session):
        row = get_journey_row(session=session, actor=actor, journey_id=journey_id,
                              need="editor")
        journey = journey_at(session, row, revision)
        check_storable(journey)
        version, at = bump_version(
            session, row, expected_version,
            current=lambda: document.to_dict(current_journey(session, row)))
        replace_parts(session, row, journey)
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=f"restored revision {revision}", changes=[],
               snapshot=document.to_dict(journey))
    return version
