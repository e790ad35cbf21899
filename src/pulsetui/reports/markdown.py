"""Text from the store written into Markdown so that it reads as it was typed: nothing in
it becomes emphasis, a link, an image, HTML, an entity, a heading, a list, a quote, a
table cell, code, strikethrough or maths (CommonMark with the GFM extensions and the
usual maths plugins). Control characters are made visible first
(:func:`pulsetui.domain.text.safe_text`).

Only what would render is escaped, so ordinary text stays as typed: ``[b]`` alone is
not a link, but ``](`` would start one."""

from __future__ import annotations

import re

from pulsetui.domain.text import safe_text

# characters that render wherever they stand: emphasis, code, strikethrough, HTML and
# autolinks, entities, table cells, maths, and the backslash itself
_ANYWHERE = re.compile(r"([\\`*_~<&|$])")
# a closing bracket that would make a link, an image or a reference definition
_LINK = re.compile(r"\](?=[(\[:])")
# what opens a block at the start of a line, and only that ("+358 40", "-5 °C", "#tag"
# and "3.5 days" stay as typed): a quote, a heading ("## "), a list item ("+ ", "- "),
# a thematic break or setext underline (a line of "-" or "="), an ordered list item
# ("2026. " or "3) "); fenced code starts with "`" or "~", escaped anywhere
_LINE_START = re.compile(
    r"^(\s*)(>|#{1,6}(?=\s|$)|[+\-](?=\s|$)|[-=](?=[-=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))"
)


def _visible(text: str) -> str:
    """Control, bidi and zero-width characters shown as the screens show them (ESC as
    "␛"); line breaks and tabs kept."""
    return safe_text(text, keep_lines=True, pictures=True)


def _line(text: str) -> str:
    text = _LINK.sub(r"\\]", _ANYWHERE.sub(r"\\\1", text))

    def escape_start(match: re.Match[str]) -> str:
        lead, mark = match.group(1), match.group(2)
        if mark.isdigit():  # escape the "." or ")" after the number instead
            return lead + mark + "\\"
        return f"{lead}\\{mark}"

    return _LINE_START.sub(escape_start, text, count=1)


def inline(value: object) -> str:
    """One line of text, safe anywhere in a Markdown line (line breaks become spaces)."""
    text = "" if value is None else str(value).replace("\r\n", " ").replace("\n", " ")
    return _line(_visible(text))


def block(value: object) -> str:
    """Text of several lines, safe as Markdown paragraphs (its lines kept)."""
    lines = _visible("" if value is None else str(value)).split("\n")
    return "\n".join(_line(line) for line in lines).rstrip()
