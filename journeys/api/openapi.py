"""OpenAPI fragments the Marshmallow edge schemas cannot describe: journey documents as
bodies and responses, and the If-Match header of writes."""

JOURNEY = {"$ref": "#/components/schemas/Journey"}
ERROR = {"$ref": "#/components/schemas/Error"}


def document_body(description: str, schema: dict = JOURNEY) -> dict:
    """``blp.doc`` keywords for a JSON body of ``schema`` (default: a journey document)."""
    return {"requestBody": {"required": True, "description": description,
                            "content": {"application/json": {"schema": schema}}}}


def document_response(description: str, schema: dict = JOURNEY) -> dict:
    """``blp.doc`` keywords for a 200 answer of ``schema`` with the version as ETag."""
    return {"responses": {"200": {
        "description": description,
        "headers": {"ETag": {"description": "the journey's version, quoted",
                             "schema": {"type": "string"}}},
        "content": {"application/json": {"schema": schema}}}}}


def if_match() -> dict:
    """``blp.doc`` keywords for the If-Match header every write needs."""
    return {"parameters": [{
        "in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
        "description": 'the ETag (version) the write is based on, e.g. "3": missing gives '
                       "428, a version that is no longer current 412"}]}


def complete(spec: dict) -> dict:
    """Every operation answers errors in the one shape and needs a token (but the references)."""
    public = ("/api/v1/checks", "/api/v1/schema/journey.json")
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            operation.setdefault("responses", {}).setdefault("default", {
                "description": "an error, in the one error shape",
                "content": {"application/json": {"schema": ERROR}}})
            if path not in public:
                operation.setdefault("security", [{"token": []}])
    return spec
