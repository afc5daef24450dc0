"""What the store services refuse, each with a one-line message a user can act on.

Invalid content is not here: it raises :class:`journeys.domain.schemas.DocumentError`,
whose problems name the JSON path of each field, as the command line prints them.
"""

from datetime import datetime


class StoreError(Exception):
    """A refused store operation; ``str()`` is a one-line message for users."""


class NotFound(StoreError):
    """Missing, deleted, or of another team: all three read exactly the same."""


class Forbidden(StoreError):
    """The actor's role in the journey's team is too low for the operation."""


class Conflict(StoreError):
    """The edit was based on a version that is no longer the journey's latest.

    ``current_version`` is the journey's version now, ``current`` the JSON-ready current
    value of what the edit was about (or None), ``changed_by`` and ``changed_at`` who made
    the latest revision and when.
    """

    def __init__(self, message: str, *, current_version: int, current=None,
                 changed_by: str | None = None, changed_at: datetime | None = None):
        super().__init__(message)
        self.current_version = current_version
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
