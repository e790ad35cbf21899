"""Pasted text arrives whole, escape characters in it included.

A terminal sends a paste between two markers (bracketed paste: ``ESC[200~`` …
``ESC[201~``). Textual's input parser reads an escape character inside a paste as the
start of a key sequence: the paste is cut there, what follows comes in as keys (the
escape among them, which closes a form) and is lost from the paste. Text copied from a
terminal (coloured output, a log) holds such characters.

:class:`WholePasteParser` turns each escape character between the markers into its
picture ``␛`` before Textual's parser reads it, so the paste is one event with every
character in it; the app then shows it as text (see :mod:`pulsetui.tui.lifecycle`).
A marker cut between two reads of the terminal is recognised all the same (nothing typed
outside a paste is held back for it).
:func:`install` makes Textual's terminal driver use it (the driver names its parser
class as a module global; Textual is pinned to 8.2.x in ``pyproject.toml``)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from textual._xterm_parser import XTermParser
from textual.message import Message

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
ESC = "\x1b"
ESC_PICTURE = "\u241b"  # ␛


def _partial(text: str, marker: str) -> int:
    """The length of the longest end of ``text`` that begins ``marker`` (a marker cut
    between two reads)."""
    for size in range(min(len(text), len(marker) - 1), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


class WholePasteParser(XTermParser):
    """Textual's parser, fed every paste with its escape characters as ``␛``."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._pasting = False
        self._kept = ""  # the start of an end marker, until the rest of it arrives
        self._begun = ""  # the start of a start marker the last read ended with

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input: what was kept goes first
            kept, self._kept = self._kept, ""
            return chain(super().feed(kept) if kept else (), super().feed(data))
        guarded = self.guard(data)
        return super().feed(guarded) if guarded else ()  # empty: the end of input

    def guard(self, data: str) -> str:
        """``data`` with the escape characters inside a paste as ``␛``."""
        text, self._kept = self._kept + data, ""
        out: list[str] = []
        at = 0
        if not self._pasting and self._begun:  # the start marker, cut between two reads
            rest = PASTE_START[len(self._begun) :]
            if text.startswith(rest):
                out.append(rest)
                at = len(rest)
                self._pasting = True
            elif rest.startswith(text):  # still more of it to come
                self._begun += text
                return text
        self._begun = ""
        while at < len(text):
            if not self._pasting:
                start = text.find(PASTE_START, at)
                if start < 0:
                    out.append(text[at:])
                    self._begun = text[len(text) - _partial(text[at:], PASTE_START) :]
                    break
                marked = start + len(PASTE_START)
                out.append(text[at:marked])
                at = marked
                self._pasting = True
                continue
            end = text.find(PASTE_END, at)
            if end < 0:
                rest = text[at:]
                cut = len(rest) - _partial(rest, PASTE_END)
                out.append(rest[:cut].replace(ESC, ESC_PICTURE))
                self._kept = rest[cut:]
                break
            out.append(text[at:end].replace(ESC, ESC_PICTURE) + PASTE_END)
            at = end + len(PASTE_END)
            self._pasting = False
        return "".join(out)


def install() -> None:
    """Textual's terminal driver (Linux and macOS) reads input with
    :class:`WholePasteParser`."""
    from textual.drivers import linux_driver

    linux_driver.XTermParser = WholePasteParser  # type: ignore[misc]
