"""A journey's stages, steps, transitions and pain points as sub-resources.

Reads give the parts in the document's form; writes pass the body (the document's keys
and value forms) to the store's edit services, which validate it with the format's
rules and answer with the paths of the whole document (`steps[3].channel`).
"""

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from journeys.api.edge import Blueprint, call, etag, expected_version, object_body
from journeys.api.journeys import WrittenSchema
from journeys.api.openapi import document_body, document_response, if_match
from journeys.domain import document
from journeys.domain.schemas import MAX_STAGES, MAX_STEPS, MAX_TRANSITIONS
from journeys.store import services as store

JOURNEY = "/api/v1/journeys/<int:journey_id>"
stages = Blueprint("Stages", __name__, url_prefix=JOURNEY + "/stages",
                   description="The stages of a journey, in journey order.")
steps = Blueprint("Steps", __name__, url_prefix=JOURNEY + "/steps",
                  description="The steps (touchpoints) of a journey, and their check answers.")
transitions = Blueprint("Transitions", __name__, url_prefix=JOURNEY + "/transitions",
                        description="The transitions between steps, named by their ends.")
pain_points = Blueprint("Pain points", __name__,
                        url_prefix=JOURNEY + "/steps/<step_id>/pain-points",
                        description="The pain points of a step, by their index in the step.")
BLUEPRINTS = [stages, steps, transitions, pain_points]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _changes(name: str) -> dict:
    """A body of some of the keys of `name` (the others keep their values)."""
    return {"allOf": [{"$ref": f"#/components/schemas/{name}"}],
            "description": f"some keys of a {name.lower()}; the others keep their values"}


class PositionArgsSchema(Schema):
    """Where a new part goes."""

    position = fields.Integer(validate=validate.Range(0, MAX_TRANSITIONS), metadata={
        "description": "its index among the others (default: the end)"})


class StageDeleteArgsSchema(Schema):
    """What happens to the steps of a deleted stage."""

    steps = fields.String(validate=validate.OneOf(["delete"]), metadata={
        "description": "delete the stage's steps with it"})
    move_to = fields.String(validate=validate.Length(1, 64), metadata={
        "description": "move the stage's steps to this stage"})


class StageMoveSchema(Schema):
    """Where a stage moves to."""

    position = fields.Integer(required=True, validate=validate.Range(0, MAX_STAGES - 1))


class StepMoveSchema(Schema):
    """Where a step moves to: another stage, another index, or both."""

    stage = fields.String(validate=validate.Length(1, 64))
    position = fields.Integer(validate=validate.Range(0, MAX_STEPS - 1))


class CheckAnswerBodySchema(Schema):
    """A check answer: its result, with an optional note."""

    result = fields.String(required=True, validate=validate.OneOf(document.CHECK_RESULTS))
    note = fields.String(allow_none=True, validate=validate.Length(1, document.NOTE_MAX))


class VoteSchema(Schema):
    """How many votes to add (negative to take back)."""

    delta = fields.Integer(load_default=1, validate=validate.Range(-1000, 1000))


class VotesSchema(Schema):
    """A pain point's votes after the vote."""

    votes = fields.Integer(required=True)


def _read(journey_id: int):
    """The journey's document as a dict, and its version."""
    row = call(store.get_journey_row, journey_id=journey_id)
    journey = call(store.load_journey, journey_id=journey_id)
    return document.to_dict(journey), row.version


def _json(value, version: int, status: int = 200):
    response = current_app.response_class(current_app.json.dumps(value), status=status,
                                          mimetype="application/json")
    response.headers["ETag"] = etag(version)
    return response


def _written(journey_id: int, version: int, status: int = 200):
    return _json({"id": journey_id, "version": version}, version, status)


def _missing(what: str):
    from flask_smorest import abort

    abort(404, message=f"{what} does not exist in this journey")


def _find(items: list, key, what: str):
    for item in items:
        if key(item):
            return item
    return _missing(what)


# --- stages -------------------------------------------------------------------------------------


@stages.route("")
class Stages(MethodView):
    """The stages of a journey."""

    @stages.doc(**document_response("the stages", {"type": "array", "items": _ref("Stage")}))
    def get(self, journey_id: int):
        """List the stages in journey order."""
        doc, version = _read(journey_id)
        return _json(doc["stages"], version)

    @stages.arguments(PositionArgsSchema, location="query")
    @stages.doc(**document_body("the new stage", _ref("Stage")), **if_match())
    @stages.response(201, WrittenSchema)
    def post(self, args, journey_id: int):
        """Add a stage (at `position`, default the end)."""
        version = expected_version()
        return _written(journey_id, call(store.add_stage, journey_id=journey_id,
                                         stage=object_body(), expected_version=version,
                                         position=args.get("position")), 201)


@stages.route("/<stage_id>")
class StageView(MethodView):
    """One stage."""

    @stages.doc(**document_response("the stage", _ref("Stage")))
    def get(self, journey_id: int, stage_id: str):
        """Get a stage."""
        doc, version = _read(journey_id)
        return _json(_find(doc["stages"], lambda s: s["id"] == stage_id, f"stage {stage_id!r}"),
                     version)

    @stages.doc(**document_body("the keys to change", _changes("Stage")), **if_match())
    @stages.response(200, WrittenSchema)
    def patch(self, journey_id: int, stage_id: str):
        """Change a stage's id, name or description (steps follow a renamed id)."""
        version = expected_version()
        return _written(journey_id, call(store.update_stage, journey_id=journey_id,
                                         stage_id=stage_id, changes=object_body(),
                                         expected_version=version))

    @stages.arguments(StageDeleteArgsSchema, location="query")
    @stages.doc(**if_match())
    @stages.response(200, WrittenSchema)
    def delete(self, args, journey_id: int, stage_id: str):
        """Delete a stage; a stage with steps needs `steps=delete` or `move_to=STAGE`."""
        version = expected_version()
        return _written(journey_id, call(store.delete_stage, journey_id=journey_id,
                                         stage_id=stage_id, expected_version=version,
                                         steps=args.get("steps"), move_to=args.get("move_to")))


@stages.route("/<stage_id>/move")
class StageMove(MethodView):
    """Reorder a stage."""

    @stages.arguments(StageMoveSchema)
    @stages.doc(**if_match())
    @stages.response(200, WrittenSchema)
    def post(self, body, journey_id: int, stage_id: str):
        """Move a stage to another index in journey order."""
        version = expected_version()
        return _written(journey_id, call(store.move_stage, journey_id=journey_id,
                                         stage_id=stage_id, position=body["position"],
                                         expected_version=version))


# --- steps --------------------------------------------------------------------------------------


@steps.route("")
class Steps(MethodView):
    """The steps of a journey."""

    @steps.doc(**document_response("the steps", {"type": "array", "items": _ref("Step")}))
    def get(self, journey_id: int):
        """List the steps in display order."""
        doc, version = _read(journey_id)
        return _json(doc["steps"], version)

    @steps.arguments(PositionArgsSchema, location="query")
    @steps.doc(**document_body("the new step", _ref("Step")), **if_match())
    @steps.response(201, WrittenSchema)
    def post(self, args, journey_id: int):
        """Add a step (at `position` in display order, default the end)."""
        version = expected_version()
        return _written(journey_id, call(store.add_step, journey_id=journey_id,
                                         step=object_body(), expected_version=version,
                                         position=args.get("position")), 201)


@steps.route("/<step_id>")
class StepView(MethodView):
    """One step."""

    @steps.doc(**document_response("the step", _ref("Step")))
    def get(self, journey_id: int, step_id: str):
        """Get a step."""
        doc, version = _read(journey_id)
        return _json(_find(doc["steps"], lambda s: s["id"] == step_id, f"step {step_id!r}"),
                     version)

    @steps.doc(**document_body("the keys to change", _changes("Step")), **if_match())
    @steps.response(200, WrittenSchema)
    def patch(self, journey_id: int, step_id: str):
        """Change any field of a step (a renamed id carries its transitions along)."""
        version = expected_version()
        return _written(journey_id, call(store.update_step, journey_id=journey_id,
                                         step_id=step_id, changes=object_body(),
                                         expected_version=version))

    @steps.doc(**if_match())
    @steps.response(200, WrittenSchema)
    def delete(self, journey_id: int, step_id: str):
        """Delete a step and the transitions that touch it."""
        version = expected_version()
        return _written(journey_id, call(store.delete_step, journey_id=journey_id,
                                         step_id=step_id, expected_version=version))


@steps.route("/<step_id>/move")
class StepMove(MethodView):
    """Move a step."""

    @steps.arguments(StepMoveSchema)
    @steps.doc(**if_match())
    @steps.response(200, WrittenSchema)
    def post(self, body, journey_id: int, step_id: str):
        """Move a step to another stage and/or index."""
        version = expected_version()
        return _written(journey_id, call(store.move_step, journey_id=journey_id,
                                         step_id=step_id, stage=body.get("stage"),
                                         position=body.get("position"),
                                         expected_version=version))


@steps.route("/<step_id>/checks/<check_id>")
class StepCheck(MethodView):
    """The answer to one check at one step."""

    @steps.arguments(CheckAnswerBodySchema)
    @steps.doc(**if_match())
    @steps.response(200, WrittenSchema)
    def put(self, body, journey_id: int, step_id: str, check_id: str):
        """Answer a check at a step (pass, partial, fail or n/a, with an optional note)."""
        version = expected_version()
        return _written(journey_id, call(store.set_check, journey_id=journey_id,
                                         step_id=step_id, check_id=check_id,
                                         result=body["result"], note=body.get("note"),
                                         expected_version=version))

    @steps.doc(**if_match())
    @steps.response(200, WrittenSchema)
    def delete(self, journey_id: int, step_id: str, check_id: str):
        """Clear a check's answer (the check is then not assessed)."""
        version = expected_version()
        return _written(journey_id, call(store.set_check, journey_id=journey_id,
                                         step_id=step_id, check_id=check_id, result=None,
                                         expected_version=version))


# --- transitions --------------------------------------------------------------------------------


@transitions.route("")
class Transitions(MethodView):
    """The transitions of a journey."""

    @transitions.doc(**document_response("the transitions",
                                         {"type": "array", "items": _ref("Transition")}))
    def get(self, journey_id: int):
        """List the transitions in document order."""
        doc, version = _read(journey_id)
        return _json(doc["transitions"], version)

    @transitions.arguments(PositionArgsSchema, location="query")
    @transitions.doc(**document_body("the new transition", _ref("Transition")), **if_match())
    @transitions.response(201, WrittenSchema)
    def post(self, args, journey_id: int):
        """Add a transition between two steps."""
        version = expected_version()
        return _written(journey_id, call(store.add_transition, journey_id=journey_id,
                                         transition=object_body(), expected_version=version,
                                         position=args.get("position")), 201)


@transitions.route("/<from_step>/<to_step>")
class TransitionView(MethodView):
    """One transition, named by its ends."""

    @transitions.doc(**document_response("the transition", _ref("Transition")))
    def get(self, journey_id: int, from_step: str, to_step: str):
        """Get the transition from one step to another."""
        doc, version = _read(journey_id)
        found = _find(doc["transitions"], lambda t: (t["from"], t["to"]) == (from_step, to_step),
                      f"a transition from {from_step!r} to {to_step!r}")
        return _json(found, version)

    @transitions.doc(**document_body("the keys to change", _changes("Transition")),
                     **if_match())
    @transitions.response(200, WrittenSchema)
    def patch(self, journey_id: int, from_step: str, to_step: str):
        """Change a transition's label, kind or ends."""
        version = expected_version()
        return _written(journey_id, call(store.update_transition, journey_id=journey_id,
                                         from_step=from_step, to_step=to_step,
                                         changes=object_body(), expected_version=version))

    @transitions.doc(**if_match())
    @transitions.response(200, WrittenSchema)
    def delete(self, journey_id: int, from_step: str, to_step: str):
        """Delete a transition."""
        version = expected_version()
        return _written(journey_id, call(store.delete_transition, journey_id=journey_id,
                                         from_step=from_step, to_step=to_step,
                                         expected_version=version))


# --- pain points --------------------------------------------------------------------------------


def _step_pains(journey_id: int, step_id: str):
    doc, version = _read(journey_id)
    step = _find(doc["steps"], lambda s: s["id"] == step_id, f"step {step_id!r}")
    return step["pain_points"], version


@pain_points.route("")
class PainPoints(MethodView):
    """The pain points of a step."""

    @pain_points.doc(**document_response("the pain points",
                                         {"type": "array", "items": _ref("PainPoint")}))
    def get(self, journey_id: int, step_id: str):
        """List a step's pain points."""
        pains, version = _step_pains(journey_id, step_id)
        return _json(pains, version)

    @pain_points.arguments(PositionArgsSchema, location="query")
    @pain_points.doc(**document_body("the new pain point", _ref("PainPoint")), **if_match())
    @pain_points.response(201, WrittenSchema)
    def post(self, args, journey_id: int, step_id: str):
        """Add a pain point to a step."""
        version = expected_version()
        return _written(journey_id, call(store.add_pain_point, journey_id=journey_id,
                                         step_id=step_id, pain_point=object_body(),
                                         expected_version=version,
                                         position=args.get("position")), 201)


@pain_points.route("/<int:index>")
class PainPointView(MethodView):
    """One pain point, by its index in the step."""

    @pain_points.doc(**document_response("the pain point", _ref("PainPoint")))
    def get(self, journey_id: int, step_id: str, index: int):
        """Get a pain point."""
        pains, version = _step_pains(journey_id, step_id)
        if index >= len(pains):
            _missing(f"pain point {index} of step {step_id!r}")
        return _json(pains[index], version)

    @pain_points.doc(**document_body("the keys to change", _changes("PainPoint")),
                     **if_match())
    @pain_points.response(200, WrittenSchema)
    def patch(self, journey_id: int, step_id: str, index: int):
        """Change a pain point's text, category, severity, source or votes."""
        version = expected_version()
        return _written(journey_id, call(store.update_pain_point, journey_id=journey_id,
                                         step_id=step_id, index=index, changes=object_body(),
                                         expected_version=version))

    @pain_points.doc(**if_match())
    @pain_points.response(200, WrittenSchema)
    def delete(self, journey_id: int, step_id: str, index: int):
        """Delete a pain point."""
        version = expected_version()
        return _written(journey_id, call(store.delete_pain_point, journey_id=journey_id,
                                         step_id=step_id, index=index,
                                         expected_version=version))


@pain_points.route("/<int:index>/votes")
class Votes(MethodView):
    """Endorsements of a pain point."""

    @pain_points.arguments(VoteSchema)
    @pain_points.response(200, VotesSchema)
    def post(self, body, journey_id: int, step_id: str, index: int):
        """Add votes to a pain point; counted atomically, no If-Match, no new version."""
        votes = call(store.vote_pain_point, journey_id=journey_id, step_id=step_id,
                     index=index, delta=body["delta"])
        return {"votes": votes}
