"""The journey format as a JSON Schema (draft 2020-12), generated from the Marshmallow schemas.

Each field of :mod:`journeys.domain.schemas` maps to the JSON Schema keywords that say
the same, so the schema cannot drift from the validator. JSON Schema cannot compare one
value with another, so cross-references (a step's stage, a transition's ends), unique ids
and pairs, duplicate keys and the document's byte size are left to the validator
(``journeys check``); everything else an editor checks as the tool does.

``python -m journeys.api.jsonschema > docs/journey.schema.json`` rewrites the committed copy.
"""

import json
import sys

from marshmallow import ValidationError

from journeys.domain import schemas
from journeys.domain.document import CHECK_RESULTS, FORMAT
from journeys.domain.schemas import JourneySchema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FLOAT_MAX = sys.float_info.max  # numbers must be finite as 64-bit floats

_SURROGATE = r"\ud800-\udfff"  # unpaired surrogates are not text


def _ranges(codes: list[int]) -> str:
    """A regex character-class body for these code points, as ``\\uXXXX`` ranges."""
    out, start, prev = [], None, None
    for code in [*codes, None]:
        if start is not None and (code is None or code != prev + 1):
            out.append(rf"\u{start:04x}" + (rf"-\u{prev:04x}" if prev > start else ""))
            start = None
        if code is not None and start is None:
            start = code
        prev = code
    return "".join(out)


def _text_refuses(char: str) -> bool:
    try:
        schemas.Text(10).deserialize(f"a{char}b")
    except ValidationError:
        return True
    return False


# The control characters the validator refuses inside text, asked of the field itself.
_CONTROL = _ranges([c for c in [*range(0x20), *range(0x7F, 0xA0)] if _text_refuses(chr(c))])
# What str.strip() removes, which a text value must not consist of only.
_SPACE = _ranges([c for c in range(0x10000) if chr(c).isspace()])
TEXT_PATTERN = (f"^[^{_CONTROL}{_SURROGATE}]*[^{_CONTROL}{_SURROGATE}{_SPACE}]"
                f"[^{_CONTROL}{_SURROGATE}]*$")
# "$(?!\n)": the end of the text, where Python's "$" also matches before a final newline.
END = "$(?!\\n)"
SLUG_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}" + END
# Real calendar dates from 0001-01-01 to 9999-12-31, leap years included.
_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
DATE_PATTERN = (
    f"^(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    f"|{_LEAP_YEAR}-02-29)" + END
)

CHECK_RESULT = "CheckResult"


def _name(schema_class: type) -> str:
    return schema_class.__name__.removesuffix("Schema")


def _nullable(fragment: dict, field) -> dict:
    if getattr(field, "nullable", False):
        fragment = {**fragment, "type": [fragment["type"], "null"]}
    return fragment


def field_schema(field, ref: str) -> dict:
    """The JSON Schema of one field of the document schemas; ``ref`` prefixes ``$ref``s."""
    if isinstance(field, schemas.Obj):
        return {"$ref": ref + _name(type(field.schema))}
    if isinstance(field, schemas.Items):
        out = {"type": "array", "items": field_schema(field.inner, ref),
               "description": field.describe()}
        if field.non_empty:
            out["minItems"] = 1
        if field.max_items is not None:
            out["maxItems"] = field.max_items
        return out
    described = {"description": field.expects()}
    if isinstance(field, schemas.Text):
        return _nullable({"type": "string", "minLength": 1, "maxLength": field.max_len,
                          "pattern": TEXT_PATTERN, **described}, field)
    if isinstance(field, schemas.Choice):
        return {"enum": list(field.choices), **described}
    if isinstance(field, schemas.Slug):
        return {"type": "string", "pattern": SLUG_PATTERN, **described}
    if isinstance(field, schemas.Ref):
        return {"type": "string", **described}
    if isinstance(field, schemas.WholeNumber):
        high = FLOAT_MAX if field.high is None else field.high
        return _nullable({"type": "integer", "minimum": field.low, "maximum": high,
                          **described}, field)
    if isinstance(field, schemas.Amount):
        return _nullable({"type": "number", "minimum": 0, "maximum": FLOAT_MAX, **described},
                         field)
    if isinstance(field, schemas.Flag):
        return {"type": "boolean", **described}
    if isinstance(field, schemas.Day):
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN, **described}
    if isinstance(field, schemas.Checks):
        from journeys.domain.checks import CHECKS

        return {"type": "object", **described, "additionalProperties": False,
                "properties": {cid: {"$ref": ref + CHECK_RESULT, "description": c.question}
                               for cid, c in CHECKS.items()}}
    raise TypeError(f"no JSON Schema for the field {type(field).__name__}")


def object_schema(schema, ref: str) -> dict:
    """The JSON Schema of one object of the format."""
    properties = {f.data_key or name: field_schema(f, ref)
                  for name, f in schema.load_fields.items()}
    required = [f.data_key or name for name, f in schema.load_fields.items() if f.required]
    out = {"type": "object", "description": (type(schema).__doc__ or "").split("\n")[0],
           "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def definitions(ref: str = "#/$defs/") -> dict[str, dict]:
    """Every object of the format by name (``Journey``, ``Step``…), refs prefixed by ``ref``."""
    out: dict[str, dict] = {}
    todo = [JourneySchema()]
    while todo:
        schema = todo.pop(0)
        name = _name(type(schema))
        if name in out:
            continue
        out[name] = object_schema(schema, ref)
        for field in schema.load_fields.values():
            inner = field.inner if isinstance(field, schemas.Items) else field
            if isinstance(inner, schemas.Obj):
                todo.append(inner.schema)
    out[CHECK_RESULT] = {
        "description": "a check result, or an object with the result and a note",
        "anyOf": [{"enum": list(CHECK_RESULTS)}, {"$ref": ref + "CheckAnswer"}],
    }
    out["CheckAnswer"] = object_schema(schemas.CheckAnswerSchema(), ref)
    return out


def journey_schema() -> dict:
    """The whole JSON Schema document of the journey format."""
    defs = definitions()
    journey = defs.pop("Journey")
    return {
        "$schema": DIALECT,
        "title": f"Citizen journey document ({FORMAT})",
        **journey,
        "description": (
            "One citizen journey (docs/journey-format.md). Generated from the tool's "
            "validator; cross-references, unique ids and the 5,000,000-byte limit are "
            "checked by the tool (journeys check), not by this schema."
        ),
        "$defs": defs,
    }


def dumps() -> str:
    """The schema as committed: indented JSON with a trailing newline."""
    return json.dumps(journey_schema(), indent=2, ensure_ascii=True) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(dumps())
