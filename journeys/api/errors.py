"""One JSON error shape for every answer of the API that is not a success.

``{"status": 422, "message": "…", "errors": [{"path": "steps[3].channel", "message": "…"}]}``;
a refused stale write adds ``current_version``. The paths are those the command line prints.
"""

from flask import Blueprint, current_app, jsonify, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

MESSAGES = {
    400: "the request cannot be read",
    401: "send a valid API token: Authorization: Bearer <token> (journeys token create)",
    403: "your role in this journey's team does not allow this",
    404: "there is nothing at this address, or it belongs to another team",
    405: "this address does not take that method",
    406: "this address cannot answer in a media type the Accept header allows",
    409: "the request conflicts with the current state",
    412: "the journey has changed since the version named in If-Match",
    413: "the request body is too large",
    415: "send the body as application/json",
    422: "the request is not valid",
    428: "writes need an If-Match header naming the version they are based on "
         '(the ETag of the journey, e.g. "3")',
    500: "an unexpected error; nothing was half-written",
    503: "the service is unavailable; try again in a moment",
}


class ProblemSchema(Schema):
    """One problem of a request, at its JSON path."""

    path = fields.String(required=True, metadata={
        "description": 'where: a JSON path as the command line prints it ("steps[3].channel"), '
                       "a query parameter's name, or $ for the whole body"})
    message = fields.String(required=True, metadata={"description": "what is wrong"})


class ErrorSchema(Schema):
    """The body of every error response."""

    status = fields.Integer(required=True, metadata={"description": "the HTTP status code"})
    message = fields.String(required=True, metadata={"description": "what went wrong"})
    errors = fields.List(fields.Nested(ProblemSchema), metadata={
        "description": "every problem found, for a request that is not valid"})
    current_version = fields.Integer(metadata={
        "description": "the journey's current version, for a stale If-Match (412)"})
    current = fields.Raw(allow_none=True, metadata={
        "description": "the current value of what the stale write would have changed"})
    changed_by = fields.String(allow_none=True, metadata={
        "description": "who made the change the stale write missed"})


def error_response(status: int, message: str | None = None, problems=None, headers=None,
                   **extra):
    """The JSON error response: ``problems`` as (path, message) pairs."""
    body: dict = {"status": status, "message": message or MESSAGES.get(status) or "error"}
    if problems:
        body["errors"] = [{"path": path, "message": msg} for path, msg in problems]
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten(messages, path: str, out: list) -> None:
    """webargs' nested messages as (path, message); a query location's name is dropped."""
    if isinstance(messages, dict):
        for key, sub in messages.items():
            if key in ("query", "headers", "json", "path", "view_args") and not path:
                _flatten(sub, "", out)
            else:
                _flatten(sub, f"{path}.{key}" if path else str(key), out)
    elif isinstance(messages, list):
        for sub in messages:
            _flatten(sub, path, out)
    else:
        out.append((path or "$", str(messages)))


def http_error(exc: HTTPException):
    """Any HTTP error raised while answering an API request, in the one shape."""
    code = exc.code or 500
    if code < 400:
        return exc
    data = getattr(exc, "data", None) or {}
    problems: list = []
    if "problems" in data:
        problems = data["problems"]
    elif "messages" in data:  # webargs: invalid query parameters
        _flatten(data["messages"], "", problems)
    headers = dict(data.get("headers") or {})
    if code == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    extra = {k: data[k] for k in ("current_version", "current", "changed_by") if k in data}
    return error_response(code, data.get("message"), problems, headers, **extra)


def unexpected(exc: Exception):
    """An unexpected error: logged, and answered as a 500 in the one shape."""
    original = getattr(exc, "original_exception", None) or exc
    if not isinstance(original, HTTPException):
        current_app.logger.error("API error on %s %s", request.method, request.path,
                                 exc_info=original)
    return error_response(500)


def handle_errors(blp: Blueprint) -> None:
    """Answer every error raised in ``blp`` in the one shape.

    Registered for each status code, so the pages' own error pages (registered on the
    app) never answer an API request.
    """
    for code in default_exceptions:
        blp.register_error_handler(code, http_error)
    blp.register_error_handler(InternalServerError, unexpected)


def install(app, prefix: str) -> None:
    """Answer routing errors under ``prefix`` (no such address, wrong method) in the shape too."""

    def routing_error():
        exc = request.routing_exception
        if exc is not None and (request.path == prefix or request.path.startswith(prefix + "/")):
            return http_error(exc)
        return None

    # First of all before-request functions, so no page-side check answers in HTML first.
    app.before_request_funcs.setdefault(None, []).insert(0, routing_error)
