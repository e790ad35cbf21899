"""Text from the store shown literally: Rich markup such as ``[bold]`` stays text,
control characters (escape sequences) become visible symbols, emoji stay emoji."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

# C0 control characters and DEL map to the Unicode "control pictures" block, so an
# escape sequence typed or synced into a note shows as "␛[31m" instead of colouring
# the terminal. Newlines and tabs are kept.
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)}
_CONTROL_PICTURES[0x7F] = 0x2421
_CONTROL_PICTURES.update({code: 0xFFFD for code in range(0x80, 0xA0)})


def printable(value: Any) -> str:
    """``value`` as a string with control characters made visible."""
    text = "" if value is None else str(value)
    return text.translate(_CONTROL_PICTURES)


def literal(value: Any, style: str = "") -> Text:
    """A Rich ``Text`` holding ``value`` verbatim (no markup, no control codes)."""
    return Text(printable(value), style=style, no_wrap=False)


def one_line(value: Any, width: int | None = None) -> str:
    """The first line of ``value``, made printable and cut to ``width`` cells with "…"."""
    text = printable(value).replace("\t", " ")
    first, _, rest = text.partition("\n")
    if rest:
        first += " …"
    if width is not None and len(first) > width:
        first = first[: max(width - 1, 0)] + "…"
    return first


def cell(value: Any, style: str = "") -> Text:
    """A single-line table cell holding ``value`` literally."""
    return Text(one_line(value), style=style, no_wrap=True, overflow="ellipsis")


class LiteralStatic(Static):
    """A Static whose content is always shown as plain text, never as markup."""

    def __init__(self, text: Any = "", **kwargs: Any) -> None:
        super().__init__(literal(text), markup=False, **kwargs)

    def set_text(self, text: Any) -> None:
        self.update(literal(text))
