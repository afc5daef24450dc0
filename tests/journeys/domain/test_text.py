"""The words of every output: terminal text, tab-separated fields, bidi marks, wrapping."""

import pytest

from journeys.domain.text import (
    cluster_cut,
    mark_bidi,
    md_text,
    terminal,
    tsv_field,
    tsv_line,
)
from journeys.formats.diagram import html_text, text_lines, wrap

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]


@pytest.mark.parametrize("char", BIDI)
def test_every_bidi_control_is_shown_as_a_mark(char):
    shown = mark_bidi(f"Pay {char}eef{char} now")
    assert char not in shown
    assert shown == f"Pay <U+{ord(char):04X}>eef<U+{ord(char):04X}> now"


@pytest.mark.parametrize("char", BIDI)
def test_terminal_svg_and_markdown_all_mark_bidi_controls(char):
    text = f"Invoice {char}fdp.exe"
    mark = f"U+{ord(char):04X}"
    assert char not in terminal(text) and f"<{mark}>" in terminal(text)
    assert char not in html_text(text) and f"&lt;{mark}&gt;" in html_text(text)
    assert char not in md_text(text) and f"\\<{mark}\\>" in md_text(text)


def test_right_to_left_text_itself_is_kept():
    assert terminal("שלום עולם") == "שלום עולם"
    assert html_text("مرحبا") == "مرحبا"


@pytest.mark.parametrize(("text", "shown"), [
    ("\x1b]0;pwned\x07", "<U+001B>]0;pwned<U+0007>"),
    ("over\rwrite", "over<U+000D>write"),
    ("\x9b31m", "<U+009B>31m"),
    ("del\x7f", "del<U+007F>"),
    ("lone \ud800", "lone <U+D800>"),
    ("two\nlines\tand a tab", "two\nlines\tand a tab"),
])
def test_terminal_shows_control_characters_as_escapes(text, shown):
    assert terminal(text) == shown


@pytest.mark.parametrize(("value", "field"), [
    ("a\tb", "a\\tb"), ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("back\\slash", "back\\\\slash"),
    ("literal \\t", "literal \\\\t"), ("\x1b[2J", "<U+001B>[2J"), ("plain", "plain"),
])
def test_a_tsv_field_never_holds_a_tab_or_line_break(value, field):
    assert tsv_field(value) == field


def test_a_tsv_line_has_one_column_per_field_whatever_the_text():
    line = tsv_line(7, "Team\tA", "Title\n8\tforged\trow")
    assert line.count("\t") == 2 and "\n" not in line
    assert line.split("\t") == ["7", "Team\\tA", "Title\\n8\\tforged\\trow"]


FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # 👩‍👩‍👧
SEQUENCES = [
    FAMILY,
    "\U0001f3f3\ufe0f\u200d\U0001f308",                  # 🏳️‍🌈
    "\U0001f44d\U0001f3fd",                              # 👍🏽
    "\U0001f1ec\U0001f1e7",                              # 🇬🇧
    "e\u0301",                                           # é with a combining accent
    "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",  # Wales
]


@pytest.mark.parametrize("sequence", SEQUENCES)
@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 7, 10])
@pytest.mark.parametrize("prefix", ["", "a", "ab", "abc"])
def test_wrap_never_splits_a_joined_sequence(sequence, width, prefix):
    word = prefix + sequence * 4
    pieces = wrap(word, width)
    assert "".join(pieces) == word
    cuts = [sum(map(len, pieces[:n])) for n in range(1, len(pieces))]
    for cut in cuts:
        assert cut <= len(prefix) or (cut - len(prefix)) % len(sequence) == 0, pieces


def test_wrap_still_cuts_long_plain_words_at_the_width():
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("a " + FAMILY * 3, 5) == ["a", FAMILY, FAMILY, FAMILY]


def test_a_flag_sequence_is_cut_between_flags_only():
    flags = "\U0001f1ec\U0001f1e7" * 3 + "\U0001f1eb"
    assert cluster_cut(flags, 3) == 2
    assert cluster_cut(flags, 5) == 4


def test_a_diagram_title_keeps_its_family_together():
    lines = text_lines("Family " + FAMILY * 12, 30)
    assert all(line.replace(FAMILY, "").strip() in ("", "Family") for line in lines)


def test_no_bidi_control_reaches_the_diagram():
    from journeys.formats.diagram import journey_to_dot
    from tests.factories import make_journey

    sneaky = "Pay \u202eeef\u202c \u2067x\u2069 \u200f"
    journey = make_journey(title=sneaky, service=sneaky, steps=[
        {"id": "s1", "title": sneaky * 3, "agency": sneaky}, {"id": "s2", "stage": "b"}],
        transitions=[("s1", "s2", sneaky, "failure")])
    dot = journey_to_dot(journey)
    assert not any(char in dot for char in BIDI)
    assert "&lt;U+202E&gt;eef&lt;U+202C&gt;" in dot
