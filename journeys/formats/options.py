"""What every format shares: the diagram options and the export error."""

from dataclasses import dataclass

DIRECTIONS = ("LR", "TB")
"""How a diagram lays out the stages: left to right, or top to bottom."""


class ExportError(Exception):
    """A diagram could not be drawn (dot missing, timed out or failed); one-line message.

    ``reason`` is ``missing``, ``timeout`` or ``failed``, so a page can fall back to the
    text version.
    """

    def __init__(self, message: str, reason: str = "failed"):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Options:
    """How to draw a diagram; text formats ignore what does not concern them."""

    direction: str = "LR"
    show_backstage: bool = True
    timeout: float | None = None
