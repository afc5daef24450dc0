"""Links the pages build to the app's own routes (never from user text)."""

from urllib.parse import quote

from flask import url_for


def step_url(journey_id: int):
    """A function giving the URL of a step's page (the route built once, not once a step)."""
    base = url_for("editor.step", journey_id=journey_id, step_id="-")[:-1]
    return lambda step: base + quote(step.id, safe="")


def spaced(code: str) -> str:
    """``ABC 234``: a workshop's join code as the room's screen shows it, in two halves."""
    half = (len(code) + 1) // 2
    return f"{code[:half]} {code[half:]}"
