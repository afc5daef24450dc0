"""Journeys as documents: list, create, get, replace, delete and undelete; and what is read
from one: its check summary, the designer's proposals and its renders."""

from datetime import date

from flask import current_app, url_for
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from designer import propose
from designer.report import as_dict as proposals_document
from journeys.api.edge import (
    Blueprint,
    call,
    etag,
    expected_version,
    journey_body,
    unavailable,
)
from journeys.api.openapi import document_body, document_response, if_match
from journeys.domain.checks import CATALOGUES, Assessment
from journeys.domain.schemas import dump_document
from journeys.domain.summary import (
    failed_checks,
    ignored_answers,
    level_counts,
    structure_notes,
    summarise,
)
from journeys.formats.registry import DIRECTIONS, FORMATS, ExportError, export, export_name
from journeys.store import services as store

blp = Blueprint("Journeys", __name__, url_prefix="/api/v1/journeys",
                description="Journeys as citizen-journey/1 documents, and what is read from one.")

RENDERS = ("svg", "png", "pdf", "mermaid", "md", "csv", "dot")
MAX_ID = store.MAX_ID


class JourneyListArgsSchema(Schema):
    """Which journeys to list."""

    team_id = fields.Integer(validate=validate.Range(1, MAX_ID),
                             metadata={"description": "only this team's journeys"})
    deleted = fields.Boolean(load_default=False, metadata={
        "description": "list the deleted journeys (undeletable for 30 days) instead"})


class JourneyCreateArgsSchema(Schema):
    """Where a new journey goes."""

    team_id = fields.Integer(validate=validate.Range(1, MAX_ID), metadata={
        "description": "the team to add it to (needed when you edit in several teams)"})


class JourneySummarySchema(Schema):
    """One journey of the list."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    team = fields.String(required=True)
    team_id = fields.Integer(required=True)
    state = fields.String(required=True)
    steps = fields.Integer(required=True)
    version = fields.Integer(required=True)
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    deleted_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    levels = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": 'steps per pyramid level ("1"–"4", '
                                                  '"unassessed")'})
    failed_checks = fields.Integer()
    pain_points = fields.Integer()


class WrittenSchema(Schema):
    """What a write did: the journey's id and its new version (also its ETag)."""

    id = fields.Integer(required=True)
    version = fields.Integer(required=True)


class ProposalArgsSchema(Schema):
    """When the proposals are evaluated."""

    today = fields.Date(format="%Y-%m-%d", metadata={
        "description": "the evaluation date, YYYY-MM-DD (default: today), for reproducible "
                       "output"})
    review_months = fields.Integer(load_default=12, validate=validate.Range(1, 1200),
                                   metadata={"description": "the renewal period (DR08)"})


class RenderArgsSchema(Schema):
    """How a diagram is drawn."""

    direction = fields.String(load_default="LR", validate=validate.OneOf(DIRECTIONS),
                              metadata={"description": "stages left to right or top to bottom"})
    backstage = fields.Boolean(load_default=True, metadata={
        "description": "show the backstage steps"})


class CoverageSchema(Schema):
    """Coverage of one catalogue."""

    catalogue = fields.String(required=True)
    title = fields.String(required=True)
    applicable = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    assessed = fields.Float(allow_none=True, required=True,
                            metadata={"description": "share answered; null for 0/0"})
    pass_rate = fields.Float(allow_none=True, required=True,
                             metadata={"description": "(pass + ½ partial) / judged; null for 0/0"})


class FailedCheckSchema(Schema):
    """A failed (or partial) applicable check."""

    step = fields.String(required=True)
    check = fields.String(required=True)
    result = fields.String(required=True)
    note = fields.String(allow_none=True)


class CheckSummarySchema(Schema):
    """A journey's check summary, as `journeys check` computes it."""

    levels = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    coverage = fields.List(fields.Nested(CoverageSchema), required=True)
    failed = fields.List(fields.Nested(FailedCheckSchema), required=True)
    ignored = fields.List(fields.Dict(keys=fields.String(), values=fields.String()),
                          required=True, metadata={"description": "answers to checks that do "
                                                                  "not apply to their step"})
    shape = fields.List(fields.String(), required=True,
                        metadata={"description": "warnings about the journey's shape"})
    text = fields.String(required=True, metadata={"description": "the summary as "
                                                                 "journeys check prints it"})


def _document(journey_id: int, revision: int | None = None):
    """The journey's document response with its version as ETag."""
    # The version is read before the content: a write landing in between makes the ETag
    # older than the content, so a write based on it is refused (412), never lost.
    row = call(store.get_journey_row, journey_id=journey_id)
    journey = call(store.load_journey, journey_id=journey_id, revision=revision)
    response = current_app.response_class(dump_document(journey), mimetype="application/json")
    response.set_etag(str(row.version))
    return response


def _written(journey_id: int, version: int, status: int = 200):
    response = current_app.response_class(
        current_app.json.dumps({"id": journey_id, "version": version}),
        status=status, mimetype="application/json")
    response.headers["ETag"] = etag(version)
    return response


def _loaded(journey_id: int):
    """The journey, its version and its assessment (graph facts computed once)."""
    row = call(store.get_journey_row, journey_id=journey_id)
    journey = call(store.load_journey, journey_id=journey_id)
    return journey, row.version, Assessment(journey)


@blp.route("")
class Journeys(MethodView):
    """The journeys of your teams."""

    @blp.arguments(JourneyListArgsSchema, location="query")
    @blp.response(200, JourneySummarySchema(many=True))
    def get(self, args):
        """List the journeys your token can read, most recently changed first."""
        rows = call(store.list_journeys, team_id=args.get("team_id"), deleted=args["deleted"])
        # as_dict is JSON-ready: written as it is, without a second pass through Marshmallow.
        return current_app.response_class(current_app.json.dumps([r.as_dict() for r in rows]),
                                          mimetype="application/json")

    @blp.arguments(JourneyCreateArgsSchema, location="query")
    @blp.doc(**document_body("the journey document to store"))
    @blp.response(201, WrittenSchema, description="Stored as version 1; Location names it.")
    def post(self, args):
        """Store a journey document as a new journey (revision 1) in one of your teams."""
        journey = journey_body()
        journey_id = call(store.import_journey, journey=journey, team_id=args.get("team_id"))
        response = _written(journey_id, 1, 201)
        response.headers["Location"] = url_for("Journeys.Journey", journey_id=journey_id)
        return response


@blp.route("/<int:journey_id>")
class Journey(MethodView):
    """One journey, as its document."""

    @blp.doc(**document_response("the journey document; ETag: its version"))
    def get(self, journey_id: int):
        """Get a journey as a citizen-journey/1 document, with its version as ETag."""
        return _document(journey_id)

    @blp.doc(**document_body("the whole new content of the journey"),
             **if_match())
    @blp.response(200, WrittenSchema, description="Replaced; the new version.")
    def put(self, journey_id: int):
        """Replace a journey's content with a document, as a new revision (If-Match needed)."""
        version = expected_version()
        journey = journey_body()
        return _written(journey_id, call(store.replace_journey, journey_id=journey_id,
                                         journey=journey, expected_version=version))

    @blp.doc(**if_match())
    @blp.response(200, WrittenSchema, description="Deleted (undeletable for 30 days).")
    def delete(self, journey_id: int):
        """Delete a journey (owners only; reversible for 30 days with undelete)."""
        version = expected_version()
        return _written(journey_id, call(store.delete_journey, journey_id=journey_id,
                                         expected_version=version))


@blp.route("/<int:journey_id>/undelete")
class Undelete(MethodView):
    """Bring back a deleted journey."""

    @blp.response(200, WrittenSchema, description="Restored.")
    def post(self, journey_id: int):
        """Undelete a journey deleted in the last 30 days (owners only)."""
        return _written(journey_id, call(store.undelete_journey, journey_id=journey_id))


@blp.route("/<int:journey_id>/checks")
class CheckSummary(MethodView):
    """The journey's check summary."""

    @blp.response(200, CheckSummarySchema)
    def get(self, journey_id: int):
        """Get the check summary as `journeys check` computes it: levels, coverage, failures."""
        journey, version, assessment = _loaded(journey_id)
        text, _failed = summarise(journey, assessment=assessment)
        coverage = [
            {"catalogue": cat, "title": CATALOGUES[cat], "applicable": cov.applicable,
             "answered": cov.answered, "counts": dict(cov.counts),
             "assessed": None if cov.assessed is None else float(cov.assessed),
             "pass_rate": None if cov.pass_rate is None else float(cov.pass_rate)}
            for cat, cov in assessment.coverage().items()]
        body = {
            "levels": {("unassessed" if k is None else str(k)): n
                       for k, n in level_counts(journey).items()},
            "coverage": coverage,
            "failed": [{"step": s, "check": c, "result": r, "note": n}
                       for s, c, r, n in failed_checks(assessment)],
            "ignored": [{"step": s, "check": c} for s, c in ignored_answers(assessment)],
            "shape": structure_notes(assessment.graph),
            "text": text,
        }
        return body, 200, {"ETag": etag(version)}


@blp.route("/<int:journey_id>/proposals")
class Proposals(MethodView):
    """The designer's proposals for the journey."""

    @blp.arguments(ProposalArgsSchema, location="query")
    @blp.doc(responses={"200": {"description": "the citizen-journey-proposals/1 document",
                                "content": {"application/json": {"schema": {
                                    "type": "object"}}}}})
    def get(self, args, journey_id: int):
        """Get the design proposals (clause 7.3.2) as a citizen-journey-proposals/1 document."""
        journey, version, assessment = _loaded(journey_id)
        today = args.get("today") or date.today()
        found = propose(journey, today=today, review_months=args["review_months"],
                        assessment=assessment)
        response = current_app.response_class(
            current_app.json.dumps(proposals_document(journey, found, today)),
            mimetype="application/json")
        response.headers["ETag"] = etag(version)
        return response


@blp.route("/<int:journey_id>/renders/<any(" + ", ".join(RENDERS) + "):fmt>")
class Render(MethodView):
    """The journey drawn or written in another format."""

    @blp.arguments(RenderArgsSchema, location="query")
    @blp.doc(responses={"200": {"description": "the render, in the format's media type",
                                "content": {FORMATS[f].media_type.split(";")[0]: {"schema": {}}
                                            for f in RENDERS}}})
    def get(self, args, journey_id: int, fmt: str):
        """Render the journey: svg, png, pdf (the diagram), mermaid, md, csv or dot."""
        journey, version, assessment = _loaded(journey_id)
        try:
            data = export(journey, fmt, direction=args["direction"],
                          show_backstage=args["backstage"], assessment=assessment)
        except ExportError as exc:
            unavailable(str(exc))
        response = current_app.response_class(data, mimetype=FORMATS[fmt].media_type)
        response.headers["ETag"] = etag(version)
        response.headers["Content-Disposition"] = (
            f'inline; filename="{export_name(journey, fmt)}"')
        return response
