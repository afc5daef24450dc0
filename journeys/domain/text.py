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


# Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
# (U+2066–U+2069) and the marks (U+200E, U+200F, U+061C). An override in a title can make a
# diagram, a brief or a terminal show text in an order other than the one stored
# ("Trojan Source"); every output shows them as a visible mark instead.
BIDI_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
BIDI = re.compile(f"[{BIDI_CHARS}]")


def code_point(char: str) -> str:
    """A character as its Unicode name in messages and marks: ``U+202E``."""
    return f"U+{ord(char):04X}"


def mark_bidi(text: str) -> str:
    """User text with each bidirectional formatting character shown as ``<U+202E>``.

    The one treatment of these characters for the terminal, SVG and Markdown, so none of
    them can reorder what is shown. Escape the result for its format as usual.
    """
    if not BIDI.search(text):
        return text
    return BIDI.sub(lambda m: f"<{code_point(m[0])}>", text)


# On a terminal, everything invisible except line feed and tab: controls (carriage return
# included, it overwrites the line), non-characters, lone surrogates and bidi controls.
_TERMINAL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff{BIDI_CHARS}]")


def terminal(text: str) -> str:
    """Text for stdout or stderr: each control or bidi character as a visible ``<U+001B>``.

    Line feeds and tabs are kept (they are the output's own layout); every message and
    every line of text output goes through here.
    """
    if not _TERMINAL.search(text):
        return text
    return _TERMINAL.sub(lambda m: f"<{code_point(m[0])}>", text)


_TSV_SPECIAL = re.compile(r"[\\\t\n\r]")
_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def tsv_field(text: str) -> str:
    r"""One field of a tab-separated line: ``\\``, ``\t``, ``\n``, ``\r`` escaped as
    backslash sequences (as PostgreSQL's text COPY does), so no value can forge a column
    or a row; other controls as :func:`terminal` shows them."""
    return terminal(_TSV_SPECIAL.sub(lambda m: _TSV_ESCAPES[m[0]], text))


def tsv_line(*fields) -> str:
    """A tab-separated line of fields, each escaped by :func:`tsv_field`."""
    return "\t".join(tsv_field(str(f)) for f in fields)


_ZWJ = "\u200d"


def _extends(char: str) -> bool:
    """Whether ``char`` belongs to the character before it (never starts a piece)."""
    code = ord(char)
    return (char == _ZWJ or unicodedata.category(char) in ("Mn", "Me", "Mc")
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF  # variation selectors
            or 0x1F3FB <= code <= 0x1F3FF                              # skin tones
            or 0xE0020 <= code <= 0xE007F)                             # emoji tags


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def cluster_cut(word: str, width: int) -> int:
    """Where to cut ``word`` at most ``width`` characters in, between two sequences.

    When one sequence is longer than ``width``, the cut falls after it instead.
    """
    def splits(i: int) -> bool:
        if _extends(word[i]) or word[i - 1] == _ZWJ:
            return False
        if _regional(word[i]) and _regional(word[i - 1]):
            run = 0
            while i - 1 - run >= 0 and _regional(word[i - 1 - run]):
                run += 1
            return run % 2 == 0
        return True

    cut = width
    while cut > 0 and not splits(cut):
        cut -= 1
    if cut == 0:
        cut = width
        while cut < len(word) and not splits(cut):
            cut += 1
    return cut


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
# What GFM's autolink extension and linkify (markdown-it) turn into links without any
# markup: a scheme (``https:``, ``mailto:``), ``www.`` and bare domains (``gov.uk``), and
# e-mail addresses, and scheme-less ``//host``. Escaping the colon after a scheme, each
# dot before a letter inside a word, each ``@`` between word characters and the second
# slash of ``//`` breaks every such link; the escapes render as the characters typed.
_AUTOLINK = re.compile(r"(?<=[^\W\d_]):(?=\S)|(?<=\S)\.(?=[^\W\d_])|(?<=\S)@(?=\S)|(?<=/)/")


def md_text(text: str, *, block_start: bool = True) -> str:
    """User text as inline Markdown: one line, every Markdown and HTML special escaped.

    Nothing in it becomes a link, not even a bare URL, domain or e-mail address.

    Control characters become U+FFFD, bidirectional controls a visible mark
    (:func:`mark_bidi`). With ``block_start`` (the default), a leading list
    or thematic-break marker (``1.``, ``-``, ``+``, ``=``) is escaped too; text that sits
    after other text on its line can leave it as typed.
    """
    line = mark_bidi(visible(_MD_SPACE.sub(" ", text))).strip()
    line = _SPECIAL.sub(r"\\\1", line)
    line = _AUTOLINK.sub(lambda m: "\\" + m[0], line)
    if not block_start:
        return line
    return _LEADING.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], line)
