"""A paste arrives whole, escape characters in it included: Textual's parser would cut
it at an escape character and hand the rest in as keys (the escape closing a form),
out of order. Keys typed outside a paste are read as before."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from pulsetui.tui.whole_paste import WholePasteParser


def parsed(parser: XTermParser, *reads: str) -> list[tuple[str, str]]:
    """What ``parser`` makes of ``reads`` from the terminal, each as (kind, text or key),
    including what its escape delay lets out afterwards."""
    out: list[Any] = []
    for data in reads:
        out += list(parser.feed(data))
    out += list(parser.feed(""))  # the end of input: what is left goes out
    return [
        ("paste", e.text) if isinstance(e, events.Paste) else ("key", e.key)
        for e in out
        if isinstance(e, events.Paste | events.Key)
    ]


COLOURED = "\x1b[200~red \x1b[31mX\x1b[0m end\x1b[201~"


def test_textual_alone_cuts_such_a_paste() -> None:
    """Why the parser exists: the paste is cut at the escape, the rest comes as keys."""
    assert parsed(XTermParser(), COLOURED)[-1] == ("paste", "red ")


def test_a_paste_with_escape_characters_is_one_paste() -> None:
    assert parsed(WholePasteParser(), COLOURED) == [("paste", "red ␛[31mX␛[0m end")]


@pytest.mark.parametrize("cut", range(1, len(COLOURED)))
def test_a_paste_cut_between_two_reads_is_whole_and_in_order(cut: int) -> None:
    reads = ("ab" + COLOURED[:cut], COLOURED[cut:] + "cd")
    assert parsed(WholePasteParser(), *reads) == [
        ("key", "a"),
        ("key", "b"),
        ("paste", "red ␛[31mX␛[0m end"),
        ("key", "c"),
        ("key", "d"),
    ]


def test_a_paste_read_one_character_at_a_time_is_whole() -> None:
    """A slow link: every character a read of its own, the markers' included."""
    assert parsed(WholePasteParser(), *("x" + COLOURED + "y")) == [
        ("key", "x"),
        ("paste", "red ␛[31mX␛[0m end"),
        ("key", "y"),
    ]


@pytest.mark.parametrize(
    "typed",
    ["\x1b", "\x1b[20~", "\x1bx", "\x1b[A", "ä ж õ 🙂", "\x1b[201~a"],
    ids=["escape", "f9", "alt+x", "up", "letters", "a stray end marker"],
)
def test_keys_outside_a_paste_are_read_as_textual_reads_them(typed: str) -> None:
    assert parsed(WholePasteParser(), typed) == parsed(XTermParser(), typed)
