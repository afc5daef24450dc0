"""A pytest plugin recording every value the domain tests validate, with the validator's verdict.

Loaded with ``-p`` by test_jsonschema.py in a separate run of the domain tests; it writes
one JSON line per call of ``load_data`` or ``load_document`` to ``$RECORD_DOCUMENTS``.
"""

import base64
import json
import os

from journeys.domain import schemas

MAX_RECORDED = 1_000_000  # larger inputs test the byte limit, which JSON Schema cannot state
_ORIGINAL = {"load_data": schemas.load_data, "load_document": schemas.load_document}
_out = None


def _write(entry: dict) -> None:
    _out.write(json.dumps(entry) + "\n")


def _recording(name: str):
    original = _ORIGINAL[name]

    def record(value):
        entry: dict = {"via": name}
        try:
            if name == "load_data":
                entry["json"] = json.dumps(value, allow_nan=True)
            elif len(value) > MAX_RECORDED:
                entry["skipped"] = "over the recorded size"
            else:
                raw = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
                entry["raw"] = base64.b64encode(bytes(raw)).decode()
        except (TypeError, ValueError, RecursionError):
            entry["skipped"] = "not a JSON value (or nested too deep to write)"
        try:
            result = original(value)
        except schemas.DocumentError as err:
            entry["problems"] = err.problems
            _write(entry)
            raise
        entry["problems"] = []
        _write(entry)
        return result

    return record


def pytest_configure(config):
    global _out
    _out = open(os.environ["RECORD_DOCUMENTS"], "a", encoding="utf-8")  # noqa: SIM115
    for name in _ORIGINAL:
        setattr(schemas, name, _recording(name))


def pytest_collection_modifyitems(items):
    """Test modules import the loaders by name: point those names at the recorders too."""
    for module in {item.module for item in items if getattr(item, "module", None)}:
        for name, original in _ORIGINAL.items():
            if getattr(module, name, None) is original:
                setattr(module, name, getattr(schemas, name))


def pytest_unconfigure(config):
    if _out is not None:
        _out.close()
