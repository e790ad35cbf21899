"""An agreement written as one line of notes, as a manager types it while talking:

    + Send the offer @Liisa fri
    + Client signs the contract @Pekka Kuusinen 2026-12-04

A leading ``+`` (or a list bullet) is left out; ``@`` starts the person, who goes on
for the words after it that begin with a capital letter; a due date (anything
:func:`~pulsetui.domain.dates.parse_date` reads: ``fri``, ``next fri``, ``4.12.``,
``+2w``, ``2026-12-04``) may end
the line. What remains is the agreement's text. Nothing is guessed beyond that: the
line only fills a form the user confirms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pulsetui.domain.dates import parse_date
from pulsetui.domain.errors import InvalidInput

_BULLETS = ("+", "-", "*", "•")


@dataclass(frozen=True)
class AgreementLine:
    """What one line of notes says of an agreement (the due date as typed)."""

    text: str
    owner: str = ""
    due: str = ""


def _is_date(word: str, today: dt.date) -> bool:
    try:
        parse_date(word, today, "due")
    except InvalidInput:
        return False
    return True


def read_agreement_line(line: str, today: dt.date) -> AgreementLine:
    """The agreement a line of notes describes (see the module's docstring)."""
    words = line.strip().split()
    while words and words[0] in _BULLETS:
        words = words[1:]
    if words and words[0].startswith("+") and not _is_date(words[0], today):
        words[0] = words[0][1:]  # "+Send it": the + typed without a space
    due = ""
    if len(words) > 2 and _is_date(" ".join(words[-2:]), today):  # "next fri"
        due = " ".join(words[-2:])
        words = words[:-2]
    elif len(words) > 1 and _is_date(words[-1], today):
        due = words.pop()
    owner_words: list[str] = []
    rest: list[str] = []
    taking = False
    for word in words:
        if word.startswith("@") and len(word) > 1 and not owner_words:
            owner_words.append(word[1:])
            taking = True
        elif taking and word[:1].isupper():
            owner_words.append(word)
        else:
            taking = False
            rest.append(word)
    return AgreementLine(" ".join(rest), " ".join(owner_words), due)
