"""A journey's history: its revisions, and the journey as it was at one."""

from flask.views import MethodView
from marshmallow import Schema, fields

from journeys.api.edge import Blueprint, call, etag
from journeys.api.journeys import _document
from journeys.api.openapi import document_response
from journeys.store import services as store

blp = Blueprint("History", __name__, url_prefix="/api/v1/journeys/<int:journey_id>/revisions",
                description="Every revision of a journey: who, when, what changed.")


class RevisionSchema(Schema):
    """One revision."""

    number = fields.Integer(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    actor = fields.String(required=True)
    summary = fields.String(required=True)
    changes = fields.List(fields.Dict(), required=True)


@blp.route("")
class Revisions(MethodView):
    """The revisions of a journey."""

    @blp.response(200, RevisionSchema(many=True))
    def get(self, journey_id: int):
        """List a journey's revisions, newest first; revision 1 is its import or creation."""
        revisions = call(store.history, journey_id=journey_id)
        version = max((r.number for r in revisions), default=0)
        return [r.as_dict() for r in revisions], 200, {"ETag": etag(version)}


@blp.route("/<int:revision>")
class Revision(MethodView):
    """The journey at one revision."""

    @blp.doc(**document_response("the journey document as it was at that revision"))
    def get(self, journey_id: int, revision: int):
        """Get the journey as it was at a revision (the ETag is the current version)."""
        return _document(journey_id, revision)
