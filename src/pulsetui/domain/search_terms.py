"""How a search typed by the user matches written text (notes, agenda items, agreements,
requests, NPS reasons): the one rule every search of pulsetui follows.

Text and query are folded as names are (:func:`pulsetui.domain.names.fold`): without
case or accents and in Latin letters, so ``oie`` finds "Õie", ``dmit`` finds "Дмитрий"
and ``Дмит`` finds "Dmitri". The query is split into terms; a text matches when every
term reaches one of its words, and how well is the worst of its terms:

- ``WORD``: the term is a whole word of the text;
- ``START``: a word starts with the term;
- ``INSIDE``: the term is inside a word (only terms of three letters or more: two
  letters are inside too many words to mean anything).

When no text holds every term (a sentence typed with a word written nowhere), the texts
holding the most terms are found, ranked by the worst reach among the terms they hold.
A query of fewer than two letters or digits finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum

from pulsetui.domain.names import fold

MIN_QUERY = 2  # letters or digits a query needs, once folded
MIN_INSIDE = 3  # a term this long may also match inside a word
_TOKEN = re.compile(r"[^\s…]+")  # a word as typed; "…" marks a cut, not a letter
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_ASCII_APOSTROPHES = str.maketrans("", "", "'\"`")  # as names.fold drops them


class Reach(IntEnum):
    """How a term (or a whole query) reaches a text; a lower value ranks first."""

    WORD = 0
    START = 1
    INSIDE = 2


def query_terms(query: str) -> tuple[str, ...]:
    """The terms of a typed query, folded, each once, in the order typed; empty when
    the query has fewer than :data:`MIN_QUERY` letters or digits."""
    terms = tuple(dict.fromkeys(fold(query).split()))
    return terms if sum(map(len, terms)) >= MIN_QUERY else ()


def fold_words(text: str) -> set[str]:
    """The words of a written text as matched, each once: each whitespace-separated
    piece folded like a name (cached per piece); plain ASCII text at once, as the same
    rule comes to for it (lower case, apostrophes joining, words of letters and digits)."""
    if text.isascii():
        return set(_ASCII_WORD.findall(text.lower().translate(_ASCII_APOSTROPHES)))
    words: set[str] = set()
    for token in set(text.split()):
        words.update(fold(token).split())
    return words


def word_reach(term: str, word: str) -> Reach | None:
    """How ``term`` reaches one folded ``word``, or None."""
    if word == term:
        return Reach.WORD
    if word.startswith(term):
        return Reach.START
    if len(term) >= MIN_INSIDE and term in word:
        return Reach.INSIDE
    return None


def term_reaches(terms: Iterable[str], words: Iterable[str]) -> tuple[Reach | None, ...]:
    """How each of a query's ``terms`` reaches a text's folded ``words`` at best (None:
    not at all)."""
    vocabulary = set(words)
    return tuple(
        min((r for w in vocabulary if (r := word_reach(term, w)) is not None), default=None)
        for term in terms
    )


def held(reaches: Iterable[Reach | None]) -> tuple[int, Reach | None]:
    """How many terms a text holds, and how well: the worst reach among them."""
    found = [reach for reach in reaches if reach is not None]
    return len(found), max(found, default=None)


def text_reach(terms: Iterable[str], words: Iterable[str]) -> Reach | None:
    """How a query's ``terms`` reach a text's folded ``words``: the worst of the terms'
    best; None when a term reaches no word (or there are no terms)."""
    reaches = term_reaches(terms, words)
    count, worst = held(reaches)
    return worst if reaches and count == len(reaches) else None


def reached_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where in ``text`` (start, end) the words a term reaches are, for marking them."""
    wanted = tuple(terms)
    return [
        match.span()
        for match in _TOKEN.finditer(text)
        if any(word_reach(t, w) is not None for t in wanted for w in fold(match.group()).split())
    ]


def snippet(text: str, terms: Iterable[str], width: int = 100) -> str:
    """One line of ``text`` around the first word a term reaches, about ``width``
    characters, with "…" where it was cut; the text's start when no word is reached.
    The text is the original (not folded), its lines joined by " · "."""
    wanted = tuple(terms)
    line = " · ".join(" ".join(part.split()) for part in text.splitlines() if part.strip())
    if len(line) <= width:
        return line
    start = 0
    for match in _TOKEN.finditer(line):
        folded = fold(match.group())
        if any(word_reach(t, w) is not None for t in wanted for w in folded.split()):
            start = match.start()
            break
    lead = start if start <= width // 2 else min(width // 4, 15)  # near the start: from it
    begin = max(0, min(start - lead, len(line) - width + 1))
    if 0 < begin < start:  # start at a word when one starts before the match
        space = line.find(" ", begin, start)
        begin = space + 1 if space != -1 else begin
    room = width - (1 if begin > 0 else 0)
    end = begin + room if begin + room >= len(line) else begin + room - 1
    return ("…" if begin > 0 else "") + line[begin:end] + ("…" if end < len(line) else "")
