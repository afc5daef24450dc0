"""The check catalogues: reference data, the same for every team."""

from flask.views import MethodView
from marshmallow import Schema, fields

from journeys.api.edge import Blueprint
from journeys.domain.checks import CATALOGUES, CHECKS

blp = Blueprint("Checks", __name__, public=True, url_prefix="/api/v1/checks",
                description="The accessibility and transparency check catalogues.")


class CheckSchema(Schema):
    """One check of a catalogue."""

    id = fields.String(required=True, metadata={"example": "ACC-01"})
    catalogue = fields.String(required=True, metadata={"example": "ACC"})
    question = fields.String(required=True)
    basis = fields.String(required=True)
    applies_to = fields.String(required=True)


class CatalogueSchema(Schema):
    """A catalogue and its checks, in catalogue order."""

    id = fields.String(required=True, metadata={"example": "ACC"})
    title = fields.String(required=True)
    checks = fields.List(fields.Nested(CheckSchema), required=True)


def catalogues() -> list[dict]:
    """Both catalogues with their checks."""
    return [{"id": cat, "title": title,
             "checks": [{"id": c.id, "catalogue": c.catalogue, "question": c.question,
                         "basis": c.basis, "applies_to": c.applies_to}
                        for c in CHECKS.values() if c.catalogue == cat]}
            for cat, title in CATALOGUES.items()]


@blp.route("")
class Catalogues(MethodView):
    """The check catalogues."""

    @blp.response(200, CatalogueSchema(many=True))
    def get(self):
        """List the catalogues and their checks (docs/checks.md).

        A journey answers checks by these ids; the ids are stable.
        """
        return catalogues()
