"""Text from the store shown literally: Rich markup such as ``[bold]`` stays text,
control characters (escape sequences) become visible symbols, emoji stay emoji.

What is made visible is decided by :func:`pulsetui.domain.text.safe_text`, the rule
the command line uses too; screens show C0 controls as control pictures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

from pulsetui.domain.text import is_unsafe, safe_text


def printable(value: Any) -> str:
    """``value`` as a string with control characters made visible: an escape sequence
    typed or synced into a note shows as "␛[31m" instead of colouring the terminal,
    a bidi override as "\\u202e". Newlines and tabs are kept."""
    return safe_text(value, keep_lines=True, pictures=True)


def in_place(text: str) -> str:
    """``text`` with every character that may not reach a terminal (see
    :func:`pulsetui.domain.text.is_unsafe`; tabs aside) drawn as one visible symbol in
    its place: C0 controls as control pictures ("␛"), the rest as "\ufffd". One
    character for one, so a field's cursor and selection stay where they are in the
    text being edited."""
    if text.isprintable():
        return text
    return "".join(
        _symbol(char) if char != "\t" and is_unsafe(text, index) else char
        for index, char in enumerate(text)
    )


def _symbol(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def literal(value: Any, style: str = "") -> Text:
    """A Rich ``Text`` holding ``value`` verbatim (no markup, no control codes)."""
    return Text(printable(value), style=style, no_wrap=False)


def markup_text(value: Any) -> str:
    """``value`` written as Textual markup that shows it literally, for the places that
    take only markup (a palette row's second line): control characters made visible
    and every "[" escaped, so no part of it, whole or cut short ("[/re…"), is a tag."""
    return printable(value).replace("[", "\\[")


def one_line(value: Any, width: int | None = None) -> str:
    """The first line of ``value``, made printable and cut to ``width`` cells with "…"."""
    text = printable(value).replace("\t", " ")
    first, _, rest = text.partition("\n")
    if rest:
        first += " …"
    if width is not None and len(first) > width:
        first = first[: max(width - 1, 0)] + "…"
    return first


# a name's last part in brackets tells rows about one name apart: "Acme Oy (us)"
_TAIL = re.compile(r" \([^()]*\)$")


def short_name(value: Any, width: int) -> str:
    """The first line of ``value`` in at most ``width`` cells: cut with "…" inside the
    name, so a last part in brackets stays ("Revontuli Pa… (us)", not "Revontuli
    Pankki Oy…"), or at the end when there is none or no room for it."""
    text = one_line(value)
    if cell_len(text) <= width:
        return text
    tail = _TAIL.search(text)
    if tail is not None and cell_len(tail.group()) + 4 <= width:
        head = set_cell_size(text[: tail.start()], width - cell_len(tail.group()) - 1)
        return head.rstrip() + "…" + tail.group()
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "…"


def clamped(value: Any, width: int, lines: int) -> str:
    """``value`` made printable, in at most ``lines`` lines of ``width`` cells (wrapped
    at spaces): when more would follow, the last line shown ends in "…"."""
    text = printable(value)
    if width < 2 or lines < 1:
        return text
    kept: list[str] = []
    for paragraph in text.split("\n"):
        kept.extend(wrapped(paragraph, width))
        if len(kept) > lines:
            break
    if len(kept) <= lines:
        return text
    last = set_cell_size(kept[lines - 1], width - 1).rstrip()
    return "\n".join([*kept[: lines - 1], last + "…"])


def wrapped(paragraph: str, width: int) -> list[str]:
    """``paragraph`` wrapped at spaces into lines of at most ``width`` cells (a word
    longer than a line is split)."""
    lines: list[str] = []
    line = ""
    for word in paragraph.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while cell_len(word) > width:
            head = set_cell_size(word, width)
            lines.append(head)
            word = word[len(head) :]
        line = word
    lines.append(line)
    return lines


def cell(value: Any, style: str = "") -> Text:
    """A single-line table cell holding ``value`` literally."""
    return Text(one_line(value), style=style, no_wrap=True, overflow="ellipsis")


def choices(pairs: Iterable[tuple[str, str]], width: int = 60) -> list[tuple[Text, str]]:
    """Select options whose labels show as typed: a Select reads a plain string label
    as markup, in its list and in the field once chosen."""
    return [(Text(one_line(label, width)), value) for label, value in pairs]


class LiteralStatic(Static):
    """A Static whose content is always shown as plain text, never as markup."""

    def __init__(self, text: Any = "", **kwargs: Any) -> None:
        super().__init__(literal(text), markup=False, **kwargs)

    def set_text(self, text: Any) -> None:
        self.update(literal(text))
