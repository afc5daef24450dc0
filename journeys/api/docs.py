"""The readable API documentation page (Swagger UI from npm, served from this site)."""

from flask import Blueprint, render_template

from journeys.api.errors import handle_errors

bp = Blueprint("api_docs_page", __name__, url_prefix="/api/v1", template_folder="templates",
               static_folder="static", static_url_path="/docs-static")
handle_errors(bp)


@bp.get("/docs")
def docs():
    """The API documentation: every endpoint, its parameters and schemas, from openapi.json."""
    return render_template("api/docs.html")
