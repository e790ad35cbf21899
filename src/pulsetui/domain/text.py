"""Text from the shared folder or the store made safe to show on a terminal.

A name or a note may hold anything another installation, a colleague or a crafted file
name put there: escape sequences that clear the screen, set the window title or
recolour the terminal (ESC, CSI, OSC, DCS, BEL), line breaks that make one name look
like two lines of output (LF, CR, VT, FF, NEL, U+2028, U+2029), bidi controls that
show text in another order than it is stored (U+202A-202E, U+2066-2069, LRM, RLM,
ALM), and invisible format characters (zero-width spaces, soft hyphens, tag
characters). :func:`is_unsafe` is the one rule for what may not reach a terminal as
it is; :func:`safe_text` shows every such character visibly instead:

- as a backslash escape (``\\x1b``, ``\\n``, ``\\u202e``) — how the command line
  shows them, and what a person can type back into Python to get the same string;
- with ``pictures=True`` C0 controls as Unicode control pictures (``␛``, ``␍``), the
  rest as escapes — how the screens show them.

Emoji joined by a zero-width joiner (``👩‍💻``) and the joiners of scripts that need
them (after a virama, between letters of scripts without case) are text, not tricks,
and stay as they are. JSON output never goes through here: it is exact.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

ZWNJ = "\u200c"
ZWJ = "\u200d"
EMOJI_PRESENTATION = "\ufe0f"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Every character of those categories in Unicode 14 to 15.1 (Python 3.11 to 3.13), and
# a few reserved neighbours: where to look; :func:`is_unsafe` decides. A test checks
# that this covers the categories as the running Python's Unicode database has them.
_OTHER_CANDIDATES = (
    "\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
_CANDIDATES = re.compile(f"[\\x00-\\x1f{_OTHER_CANDIDATES}]")
_CANDIDATES_BUT_LINES = re.compile(f"[\\x00-\\x08\\x0b-\\x1f{_OTHER_CANDIDATES}]")
# in JSON text, tab, LF and CR outside strings are whitespace between tokens
_JSON_CANDIDATES = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f{_OTHER_CANDIDATES}]")


def escape(char: str) -> str:
    """One character as a backslash escape: ``\\n``, ``\\x1b``, ``\\u202e``, ``\\U000e0041``."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def picture(char: str) -> str:
    """C0 controls and DEL as their Unicode control picture (ESC is ``␛``); any other
    character as :func:`escape` shows it."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return escape(char)


def _joins(text: str, index: int) -> bool:
    """Whether the joiner at ``index`` joins what it stands between as its script or
    an emoji sequence needs (so it is text, not a trick)."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if not before or not after:
        return False
    if unicodedata.combining(before) == 9:  # after a virama: Indic conjuncts
        return True
    if text[index] == ZWJ:
        emoji_before = before == EMOJI_PRESENTATION or unicodedata.category(before) in ("So", "Sk")
        return emoji_before and unicodedata.category(after) == "So"
    # ZWNJ between letters of a script without case (Persian, Arabic, Indic ...)
    return unicodedata.category(before) == "Lo" and unicodedata.category(after) == "Lo"


def is_unsafe(text: str, index: int) -> bool:
    """Whether the character at ``index`` of ``text`` may not reach a terminal as it is:
    control characters (C0, DEL, C1), line and paragraph separators, format characters
    (bidi controls, zero-width characters, soft hyphen, tags) and lone surrogates."""
    char = text[index]
    if char.isprintable():
        return False  # the common case: printable is never one of the categories below
    if unicodedata.category(char) not in _UNSAFE_CATEGORIES:
        return False
    return not (char in (ZWJ, ZWNJ) and _joins(text, index))


def safe_text(value: Any, *, keep_lines: bool = False, pictures: bool = False) -> str:
    """``value`` as a string that shows on a terminal as what it is.

    Every unsafe character (:func:`is_unsafe`) is shown visibly: as a backslash escape,
    or with ``pictures`` C0 controls as control pictures. Line breaks are escaped too,
    so the result is one line, unless ``keep_lines``: then LF (and CR LF, as LF) and
    tabs stay, and only a lone CR or another line separator is shown."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    if keep_lines and "\r\n" in text:
        text = text.replace("\r\n", "\n")
    show = picture if pictures else escape
    out: list[str] = []
    start = 0
    candidates = _CANDIDATES_BUT_LINES if keep_lines else _CANDIDATES
    for match in candidates.finditer(text):
        index = match.start()
        char = text[index]
        if not is_unsafe(text, index):
            continue
        out.append(text[start:index])
        out.append(show(char))
        start = index + 1
    if not out:
        return text
    out.append(text[start:])
    return "".join(out)


def safe_line(value: Any) -> str:
    """``value`` safe for one terminal line: nothing in it can move the cursor, end the
    line, change the terminal or reorder the text; all of it shows (see :func:`safe_text`)."""
    return safe_text(value)


def safe_lines(value: Any) -> list[str]:
    """``value`` as the lines it holds (split at LF and CR LF only), each safe for one
    terminal line; an empty value is one empty line."""
    text = "" if value is None else str(value)
    return [safe_line(line) for line in text.replace("\r\n", "\n").split("\n")]


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_for_terminal(document: str) -> str:
    """JSON text with every character that may not reach a terminal as it is written
    as a ``\\u`` escape: the same JSON value, exactly, but a bidi override or a C1
    control in a name cannot act on the terminal the JSON is printed on."""
    return _JSON_CANDIDATES.sub(_json_escape, document)
