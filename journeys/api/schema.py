"""The journey format as a JSON Schema, for editors and other tools."""

from flask import current_app
from flask.views import MethodView

from journeys.api.edge import Blueprint
from journeys.api.jsonschema import dumps

blp = Blueprint("Schema", __name__, public=True, url_prefix="/api/v1/schema",
                description="The journey document format (citizen-journey/1) as a JSON Schema.")

_CACHE: dict[str, bytes] = {}


@blp.route("/journey.json")
class JourneyJsonSchema(MethodView):
    """The JSON Schema of a journey document."""

    @blp.response(200, description="A JSON Schema (draft 2020-12) document.",
                  content_type="application/schema+json")
    def get(self):
        """Get the JSON Schema of the journey format (draft 2020-12).

        Point an editor at it with `"$schema"` in a journey file. Cross-references and
        unique ids are checked by the tool, not by the schema.
        """
        if "schema" not in _CACHE:
            _CACHE["schema"] = dumps().encode()
        return current_app.response_class(_CACHE["schema"],
                                          mimetype="application/schema+json")
