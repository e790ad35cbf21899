"""Finding records by a name typed by the user: one ranked matcher for every list that
filters by name, the command line's ``--client NAME`` included.

Names are compared without case, Unicode form, accents or script: ``makinen`` lists
"Mäkinen Teollisuus Oy", ``oie`` finds "Õie Kask", ``dmit`` finds "Дмитрий Иванов" and
``Дмит`` finds "Dmitri". Letters of every script are transliterated to Latin by
``anyascii``; what is left of a name are words of letters and digits.

Matches are ranked: the same name, the same name once accents and script are set
aside, the name starting with the text, one of its words starting with it, and
anywhere in it; ties in name order, then by uid, so the order never depends on the
order records were read in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from enum import IntEnum
from functools import lru_cache
from typing import TypeVar

from anyascii import anyascii

T = TypeVar("T")

# apostrophes join what they stand between: "O'Brien" is typed "obrien", and Ольга,
# "Ol'ga" in Latin letters, is typed "olga"
_APOSTROPHES = str.maketrans("", "", "'\"`´‘’ʼ")


class Fit(IntEnum):
    """How well a name matches the text typed; a lower value ranks first."""

    SAME = 0  # the same name in any case or Unicode form
    EQUAL = 1  # the same once accents and script are set aside
    PREFIX = 2  # the name starts with the text
    WORD = 3  # one of its words starts with the text
    CONTAINS = 4  # the text is somewhere in the name


def name_key(text: str) -> str:
    """A name as compared: the same letters in any case or Unicode form (``STRASSE`` and
    ``Straße``, a composed and a decomposed ``é``)."""
    return unicodedata.normalize("NFC", text.strip()).casefold()


def loose_key(text: str) -> str:
    """A name without case or accents: ``Ёлка`` and ``елка``, ``Mäkinen`` and
    ``makinen`` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    ).casefold()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A name as matched: without accents, in Latin letters, lower case, its words of
    letters and digits separated by one space (``Ёлка`` and ``елка`` are ``elka``,
    ``Дмитрий Иванов`` is ``dmitriy ivanov``). Symbols such as emoji are left out;
    a combining mark with no letter to join is dropped."""
    key = name_key(text).translate(_APOSTROPHES)
    if key.isascii():
        latin = key
    else:
        kept = "".join(char if unicodedata.category(char)[0] in "LMN" else " " for char in key)
        latin = anyascii(kept).casefold().translate(_APOSTROPHES)
    return " ".join("".join(c if c.isalnum() else " " for c in latin).split())


def fit(text: str, name: str) -> Fit | None:
    """How ``name`` matches the typed ``text``, or None when it does not. Empty text
    matches no name."""
    return _fit(name_key(text), fold(text), name)


def _fit(same: str, needle: str, name: str) -> Fit | None:
    """:func:`fit` with the typed text's keys worked out once for many names."""
    if not same:
        return None
    if same == name_key(name):
        return Fit.SAME
    if not needle:  # only symbols typed (an emoji): look for them as they are
        return Fit.CONTAINS if same in name_key(name) else None
    key = fold(name)
    if key == needle:
        return Fit.EQUAL
    if key.startswith(needle):
        return Fit.PREFIX
    if f" {needle}" in key:
        return Fit.WORD
    if needle in key:
        return Fit.CONTAINS
    return None


def ranked_fits(
    text: str, items: Iterable[T], name: Callable[[T], str], uid: Callable[[T], str]
) -> list[tuple[Fit, T]]:
    """Every item whose name matches ``text``, with how it matched, best first; ties
    by name, then by uid."""
    same, needle = name_key(text), fold(text)
    found = []
    for item in items:
        label = name(item)
        how = _fit(same, needle, label)
        if how is not None:
            found.append((how, name_key(label), label, uid(item), item))
    found.sort(key=lambda entry: entry[:4])
    return [(entry[0], entry[4]) for entry in found]


def ranked(
    text: str, items: Iterable[T], name: Callable[[T], str], uid: Callable[[T], str]
) -> list[T]:
    """The items whose name matches ``text``, best first (see :func:`ranked_fits`)."""
    return [item for _, item in ranked_fits(text, items, name, uid)]


def closest(fits: list[tuple[Fit, T]]) -> list[T]:
    """The matches a typed name is about: those with the same name when there are any,
    else those equal once accents and script are set aside, else every match."""
    for tier in (Fit.SAME, Fit.EQUAL):
        same = [item for how, item in fits if how == tier]
        if same:
            return same
    return [item for _, item in fits]


def chosen(fits: list[tuple[Fit, T]]) -> T | None:
    """The one item a typed name picks out of its ranked matches: the only match, else
    the only one with the same name, else (with no same name) the only one equal once
    accents and script are set aside; None when there is no match or no single one."""
    closest_ones = closest(fits)
    return closest_ones[0] if len(closest_ones) == 1 else None
