"""What every format shares: the diagram options and the export error."""

from dataclasses import dataclass

DIRECTIONS = ("auto", "LR", "TB")
"""How a diagram lays out the stages: chosen from its length (auto), left to right, or
top to bottom."""

VIEWS = ("auto", "full", "overview")
"""What a diagram shows: chosen from the journey's size and shape (auto), every step
(full), or one box per stage (overview)."""


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

    direction: str = "auto"
    show_backstage: bool = True
    timeout: float | None = None
    view: str = "auto"
    stage: str | None = None  # a stage id: draw that stage alone
