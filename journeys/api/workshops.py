"""Co-creation workshops on a journey: start, list, read with their live board, close, and
the citizens' contributions.

A workshop's ETag is the version of its journey: closing it adds what the citizens
contributed to the journey as one revision, so the close sends that version in
If-Match like every other write of the journey. Contributions themselves never change
the journey's version (the board's ``revision`` counts them instead).
"""

from datetime import UTC

from flask import current_app, url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from journeys.api.edge import Blueprint, call, etag, expected_version
from journeys.api.openapi import if_match
from journeys.domain.document import TITLE_MAX
from journeys.domain.schemas import MAX_STAGES
from journeys.store import services as store
from journeys.store import workshops

MAX_ID = store.MAX_ID

by_journey = Blueprint("Workshops of a journey", __name__,
                       url_prefix="/api/v1/journeys/<int:journey_id>/workshops",
                       description="Start co-creation workshops on a journey, and list them.")
blp = Blueprint("Workshops", __name__, url_prefix="/api/v1/workshops",
                description="One workshop: its live board, its contributions, its close.")
BLUEPRINTS = [by_journey, blp]


class WorkshopCreateSchema(Schema):
    """A new workshop on the journey."""

    title = fields.String(required=True, validate=validate.Length(1, TITLE_MAX),
                          metadata={"description": "the title participants see"})
    open_stages = fields.List(
        fields.String(validate=validate.Length(1, 64)), required=True,
        validate=validate.Length(1, MAX_STAGES),
        metadata={"description": "the ids of the stages open for comment"})
    closes_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "when submissions close by themselves (with its time zone)"})
    moderation = fields.String(load_default="after",
                               validate=validate.OneOf(workshops.MODERATIONS), metadata={
                                   "description": "moderate contributions after they show, "
                                                  "or approve them before"})
    language = fields.String(load_default="en", validate=validate.OneOf(workshops.LANGUAGES),
                             metadata={"description": "the language of the workshop pages"})


class WorkshopSchema(Schema):
    """A workshop."""

    id = fields.Integer(required=True)
    journey_id = fields.Integer(required=True)
    title = fields.String(required=True)
    code = fields.String(required=True, metadata={"description": "the join code for citizens"})
    open_stages = fields.List(fields.String(), required=True)
    moderation = fields.String(required=True)
    language = fields.String(required=True)
    closes_at = fields.String(allow_none=True, required=True, metadata={"format": "date-time"})
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    closed_at = fields.String(allow_none=True, required=True, metadata={"format": "date-time"})
    closed_revision = fields.Integer(allow_none=True, required=True, metadata={
        "description": "the journey's revision that holds the contributions, once closed"})
    revision = fields.Integer(required=True, metadata={
        "description": "counts every contribution and moderation"})


class StepBoardSchema(Schema):
    """What one step has received (visible items; pending and hidden apart)."""

    pain_points = fields.Integer(required=True)
    ideas = fields.Integer(required=True)
    votes = fields.Integer(required=True)
    pending = fields.Integer(required=True)
    hidden = fields.Integer(required=True)
    feelings = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                           metadata={"description": 'answers per feeling, "-2" to "2"'})


class BoardSchema(Schema):
    """The live board of a workshop."""

    participants = fields.Integer(required=True)
    closed = fields.Boolean(required=True)
    steps = fields.Dict(keys=fields.String(), values=fields.Nested(StepBoardSchema),
                        required=True, metadata={"description": "per step id, only the steps "
                                                                "that received something"})


class WorkshopDetailSchema(WorkshopSchema):
    """A workshop with its live board."""

    board = fields.Nested(BoardSchema, required=True)


class ContributionSchema(Schema):
    """A pain point or an idea a participant tagged on a step."""

    id = fields.Integer(required=True)
    step = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "pain or idea"})
    text = fields.String(required=True)
    category = fields.String(allow_none=True, required=True)
    severity = fields.Integer(allow_none=True, required=True)
    votes = fields.Integer(required=True)
    approved = fields.Boolean(required=True)
    hidden_reason = fields.String(allow_none=True, required=True)
    merged_into = fields.Integer(allow_none=True, required=True)


class ContributionArgsSchema(Schema):
    """Which contributions to list."""

    after_id = fields.Integer(load_default=0, validate=validate.Range(0, MAX_ID), metadata={
        "description": "only the contributions after this one (for polling)"})


class ClosedSchema(Schema):
    """What closing did: the journey's new version (also the ETag)."""

    id = fields.Integer(required=True, metadata={"description": "the workshop"})
    journey_id = fields.Integer(required=True)
    version = fields.Integer(required=True)


def _time(value):
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _workshop(w) -> dict:
    return {"id": w.id, "journey_id": w.journey_id, "title": w.title, "code": w.code,
            "open_stages": list(w.open_stages), "moderation": w.moderation,
            "language": w.language, "closes_at": _time(w.closes_at),
            "created_at": _time(w.created_at), "closed_at": _time(w.closed_at),
            "closed_revision": w.closed_revision, "revision": w.revision}


def _board(board) -> dict:
    return {"participants": board.participants, "closed": board.closed,
            "steps": {step: {"pain_points": b.pain_points, "ideas": b.ideas,
                             "votes": b.votes, "pending": b.pending, "hidden": b.hidden,
                             "feelings": {str(k): n for k, n in b.feelings.items()}}
                      for step, b in board.steps.items()}}


def _item(item) -> dict:
    return {"id": item.id, "step": item.step, "kind": item.kind, "text": item.text,
            "category": item.category, "severity": item.severity, "votes": item.votes,
            "approved": item.approved, "hidden_reason": item.hidden_reason,
            "merged_into": item.merged_into}


def _json(value, version: int, status: int = 200):
    response = current_app.response_class(current_app.json.dumps(value), status=status,
                                          mimetype="application/json")
    response.headers["ETag"] = etag(version)
    return response


def _found(workshop_id: int):
    """The workshop and its journey's version; ids no database holds are simply not found."""
    if not 0 < workshop_id <= MAX_ID:
        abort(404, message=f"workshop {workshop_id} does not exist")
    w = call(workshops.get_workshop, workshop_id=workshop_id)
    return w, call(store.get_journey_row, journey_id=w.journey_id).version


@by_journey.route("")
class JourneyWorkshops(MethodView):
    """The workshops of a journey."""

    @by_journey.response(200, WorkshopSchema(many=True))
    def get(self, journey_id: int):
        """List the journey's workshops, newest first."""
        version = call(store.get_journey_row, journey_id=journey_id).version
        found = call(workshops.list_workshops, journey_id=journey_id)
        return _json([_workshop(w) for w in found], version)

    @by_journey.arguments(WorkshopCreateSchema)
    @by_journey.response(201, WorkshopSchema,
                         description="Started; Location names it. The journey is unchanged.")
    def post(self, args, journey_id: int):
        """Start a workshop on the journey (editors); answers it with its join code."""
        w = call(workshops.start_workshop, journey_id=journey_id, title=args["title"],
                 open_stages=args["open_stages"], closes_at=args.get("closes_at"),
                 moderation=args["moderation"], language=args["language"])
        version = call(store.get_journey_row, journey_id=journey_id).version
        response = _json(_workshop(w), version, 201)
        response.headers["Location"] = url_for("Workshops.Workshop", workshop_id=w.id)
        return response


@blp.route("/<int:workshop_id>")
class Workshop(MethodView):
    """One workshop."""

    @blp.response(200, WorkshopDetailSchema)
    def get(self, workshop_id: int):
        """Get a workshop with its live board: participants and what each step received."""
        w, version = _found(workshop_id)
        board = call(workshops.board, workshop_id=w.id)
        return _json({**_workshop(w), "board": _board(board)}, version)


@blp.route("/<int:workshop_id>/close")
class Close(MethodView):
    """Closing a workshop."""

    @blp.doc(**if_match())
    @blp.response(200, ClosedSchema, description="Closed; the journey's new version.")
    def post(self, workshop_id: int):
        """Close the workshop and add its contributions to the journey as one revision
        (editors; If-Match: the journey's version)."""
        version = expected_version()
        w, _current = _found(workshop_id)
        new = call(workshops.close_workshop, workshop_id=w.id, expected_version=version)
        return _json({"id": w.id, "journey_id": w.journey_id, "version": new}, new)


@blp.route("/<int:workshop_id>/contributions")
class Contributions(MethodView):
    """What the citizens contributed."""

    @blp.arguments(ContributionArgsSchema, location="query")
    @blp.response(200, ContributionSchema(many=True))
    def get(self, args, workshop_id: int):
        """List every contribution (hidden, merged and pending too), oldest first."""
        w, version = _found(workshop_id)
        items = call(workshops.contributions, workshop_id=w.id, after_id=args["after_id"])
        return _json([_item(i) for i in items], version)
