"""Small helpers for the words of every output: plurals, numbers, quotes, lists.

Pure functions on strings and numbers, shared by the exports, the check summary and the
designer so that the same thing is always written the same way.
"""

import re
import unicodedata

from journeys.domain.document import SLUG_MAX

# Characters never written out as they are: C0 controls (tab and line breaks are each
# output's own business), DEL, C1 controls, non-characters and lone surrogates. On a
# terminal they move the cursor or retitle the window; XML and Graphviz refuse most of
# them; in Markdown and Mermaid they are invisible.
INVISIBLE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")


def visible(text: str) -> str:
    """User text with every invisible or control character shown as U+FFFD."""
    return _INVISIBLE.sub("\ufffd", text)


def plural(n: int, word: str) -> str:
    """``1 step``, ``2 steps``, ``0 steps``: a count and a regular noun."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_number(value: float) -> str:
    """A number as the document would show it: ``28`` (never ``28.0``), ``2.5``."""
    return str(int(value)) if float(value).is_integer() else str(value)


def one_line(text: str) -> str:
    """User text on one line: every run of white space, line breaks included, one space."""
    return " ".join(text.split())


def quote(text: str) -> str:
    """User text quoted in a sentence, on one line: ``'Books an appointment'``."""
    return "'" + one_line(text) + "'"


def listing(items: list[str], limit: int = 5) -> str:
    """``a, b and c``; past ``limit`` items, ``a, b, c, d, e and 7 more``."""
    if len(items) > limit:
        shown = items[:limit]
        return ", ".join(shown) + f" and {len(items) - limit} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def slugify(text: str, fallback: str = "journey", max_length: int = SLUG_MAX) -> str:
    """ASCII, lowercase, hyphen-separated; ``fallback`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or fallback


# Always escaped: inline markup, HTML, entities, tables, and $ (maths in some renderers).
# Escaped where the text may open a line: list and thematic-break markers (# and > are
# always escaped, so no heading or quote can start either).
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
_LEADING = re.compile(r"^([-+=]|\d+[.)])")
_MD_SPACE = re.compile(r"\s+")


def md_text(text: str, *, block_start: bool = True) -> str:
    """User text as inline Markdown: one line, every Markdown and HTML special escaped.

    Control characters become U+FFFD. With ``block_start`` (the default), a leading list
    or thematic-break marker (``1.``, ``-``, ``+``, ``=``) is escaped too; text that sits
    after other text on its line can leave it as typed.
    """
    line = visible(_MD_SPACE.sub(" ", text)).strip()
    line = _SPECIAL.sub(r"\\\1", line)
    if not block_start:
        return line
    return _LEADING.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], line)
