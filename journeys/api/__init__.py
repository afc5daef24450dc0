"""The versioned JSON API at ``/api/v1`` on flask-smorest, kept apart from the HTML pages.

One blueprint per resource, each a set of ``MethodView``s over the store's services
(no logic of its own); Marshmallow only at this edge, reusing the document schemas.
OpenAPI 3.1 at ``/api/v1/openapi.json``, readable at ``/api/v1/docs``.
"""

from flask import Flask
from flask_smorest import Api as SmorestApi

from journeys.api import edge, errors

PREFIX = "/api/v1"
DESCRIPTION = """\
Map, check and redesign citizen journeys (ISO 11367:2025) from other tools.

Send `Authorization: Bearer <token>` (a personal token from `journeys token create`): a
token sees its user's teams, with the user's role. Every journey resource carries an
`ETag`, the journey's version; writes send it back in `If-Match` (missing: 428; stale:
412 with the current version). Errors share one shape: `status`, `message` and, for a
request that is not valid, `errors` as `{path, message}` with the command line's paths.
"""


class Api(SmorestApi):
    """flask-smorest's Api, answering errors in the one shape of :mod:`journeys.api.errors`."""

    ERROR_SCHEMA = errors.ErrorSchema

    def _register_error_handlers(self):
        # Not on the app (the pages have their own); see errors.install.
        pass


api = Api()


def _blueprints():
    from journeys.api import catalogues, history, journeys, schema, structure, workshops

    return [journeys.blp, history.blp, *structure.BLUEPRINTS, *workshops.BLUEPRINTS,
            catalogues.blp, schema.blp]


def init_app(app: Flask) -> None:
    """Mount the API, its OpenAPI description and its documentation page on ``app``."""
    from journeys.api import docs

    app.config.setdefault("API_TITLE", "Citizen Journeys API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": DESCRIPTION,
                 "license": {"name": "AGPL-3.0-or-later",
                             "identifier": "AGPL-3.0-or-later"}},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {
            "token": {"type": "http", "scheme": "bearer",
                      "description": "a personal API token (journeys token create)"}}},
    })
    api.init_app(app)
    from journeys.api.jsonschema import definitions
    from journeys.api.openapi import complete

    for name, component in definitions(ref="#/components/schemas/").items():
        api.spec.components.schema(name, component=component)
    if "Error" not in api.spec.components.schemas:  # flask-smorest may have named it already
        api.spec.components.schema("Error", schema=errors.ErrorSchema)
    blueprints = _blueprints()
    for blp in blueprints:
        api.register_blueprint(blp)
    complete({"paths": api.spec._paths})
    app.register_blueprint(docs.bp)
    app.teardown_appcontext(edge.close_session)
    errors.install(app, PREFIX)
    # Tokens, not cookies, authenticate API requests: the pages' CSRF check does not apply.
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        for blp in [*blueprints, docs.bp]:
            csrf.exempt(blp)
