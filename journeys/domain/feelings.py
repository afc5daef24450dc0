"""How citizens said a step felt (−2…+2), summed up the same way in a journey's history
and in a workshop's report.

A step's emotion is one whole number, so several answers come to their median, and the
lower median for an even count: a designer should not read a step better than the room
did. The summary says which of the two it is.
"""

import statistics

from journeys.domain.text import plural

FEELINGS = (-2, -1, 0, 1, 2)
"""The answers a citizen can give, from very bad to very good."""


def signed(value: int) -> str:
    """``+1``, ``0``, ``−2`` (with a minus sign, not a hyphen)."""
    return f"+{value}" if value > 0 else str(value).replace("-", "−")


def feeling_of(counts: dict) -> int | None:
    """The answers' median (the lower one for an even count), None without answers."""
    answers = [v for v in FEELINGS for _ in range(counts.get(v, 0))]
    return int(statistics.median_low(answers)) if answers else None


def feeling_summary(counts: dict, kept: int | None = None) -> str | None:
    """``felt −1 (median of 5 answers: −2: 2, −1: 1, +1: 2)`` from how many gave each
    answer, with ``, the team's +1 kept`` when the team's own reading stays; None
    without answers."""
    feeling = feeling_of(counts)
    if feeling is None:
        return None
    n = sum(counts.get(v, 0) for v in FEELINGS)
    spread = ", ".join(f"{signed(v)}: {counts[v]}" for v in FEELINGS if counts.get(v))
    which = "median" if n % 2 else "lower median"
    team = f", the team's {signed(kept)} kept" if kept is not None else ""
    return f"felt {signed(feeling)} ({which} of {plural(n, 'answer')}: {spread}{team})"
