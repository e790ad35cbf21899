"""The one name matcher (``pulsetui.domain.names``) and ``Workspace.find``/``match``
built on it: accents, case, Unicode form and script never matter, matches are ranked
and their order is deterministic."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client, Consultant
from pulsetui.domain.names import Fit, chosen, fit, fold, ranked, ranked_fits
from pulsetui.service.workspace import Workspace

People = list[tuple[str, str]]  # (name, uid)


def names_of(text: str, people: People) -> list[str]:
    return [name for name, _ in ranked(text, people, name=lambda p: p[0], uid=lambda p: p[1])]


# ---- what a user types finds what they mean ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("makinen", "Mäkinen Teollisuus Oy"),
        ("Makinen Teollisuus Oy", "Mäkinen Teollisuus Oy"),
        ("oie", "Õie Kask"),
        ("kask", "Õie Kask"),
        ("STRASSE", "Straße AG"),
        ("Cafe\u0301", "Caf\u00e9 Oy"),  # decomposed é typed, composed stored
        ("Caf\u00e9", "Cafe\u0301 Oy"),  # and the other way round
        ("Ёлка", "елка"),
        ("елка", "Ёлка"),
        ("dmit", "Дмитрий Иванов"),
        ("Dmitriy Ivanov", "Дмитрий Иванов"),
        ("Дмит", "Dmitri Ivanov"),
        ("ivanov", "Дмитрий Иванов"),
        ("olga", "Ольга Смирнова"),
        ("obrien", "Aoife O'Brien"),
        ("o’brien", "Aoife O'Brien"),
        ("juri", "Jüri Tamm"),
        ("lodz", "Łódź Software"),
        ("🚀", "Bolt Labs 🚀"),
    ],
)
def test_typed_text_finds_the_name(typed: str, name: str) -> None:
    assert fit(typed, name) is not None


@pytest.mark.parametrize(
    ("typed", "name"),
    [("makinem", "Mäkinen Teollisuus Oy"), ("dmitri ivanov oy", "Дмитрий Иванов"), ("  ", "A")],
)
def test_text_that_is_not_in_the_name_finds_nothing(typed: str, name: str) -> None:
    assert fit(typed, name) is None


def test_how_a_name_fits() -> None:
    assert fit("ACME OY", "Acme Oy") == Fit.SAME
    assert fit("Straße", "STRASSE") == Fit.SAME
    assert fit("acme-oy", "Acme Oy") == Fit.EQUAL
    assert fit("Елка", "Ёлка") == Fit.EQUAL
    assert fit("dmitriy ivanov", "Дмитрий Иванов") == Fit.EQUAL
    assert fit("acm", "Acme Oy") == Fit.PREFIX
    assert fit("oy", "Acme Oy") == Fit.WORD
    assert fit("cme", "Acme Oy") == Fit.CONTAINS


def test_ranked_same_then_equal_then_start_then_word_then_inside() -> None:
    people = [
        ("Anna Laine", "u1"),
        ("Laineen Oy", "u2"),
        ("Marja-Laine", "u3"),
        ("Salaine", "u4"),
        ("Läine", "u5"),
        ("laine", "u6"),
        ("Bo Laine", "u0"),
    ]
    assert names_of("laine", people) == [
        "laine",  # the same name
        "Läine",  # the same without accents
        "Laineen Oy",  # starts with it
        "Anna Laine",  # a word starts with it; ties by name
        "Bo Laine",
        "Marja-Laine",
        "Salaine",  # somewhere inside
    ]


def test_ties_by_name_then_uid_whatever_the_order_read() -> None:
    people = [("Kask", "b"), ("kask", "a"), ("Õie Kask", "c"), ("Jaan Kask", "d"), ("KASK", "e")]
    expected = [("KASK", "e"), ("Kask", "b"), ("kask", "a"), ("Jaan Kask", "d"), ("Õie Kask", "c")]
    for seed in range(5):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        assert ranked("kask", shuffled, name=lambda p: p[0], uid=lambda p: p[1]) == expected


def test_chosen_picks_the_only_match_then_the_only_same_then_the_only_equal() -> None:
    def pick(text: str, people: People) -> str | None:
        fits = ranked_fits(text, people, name=lambda p: p[0], uid=lambda p: p[1])
        one = chosen(fits)
        return None if one is None else one[1]

    assert pick("acm", [("Acme Oy", "a"), ("Bolt", "b")]) == "a"
    assert pick("acme oy", [("Acme Oy", "a"), ("Acme Oy Labs", "b")]) == "a"
    assert pick("Jüri", [("Juri", "a"), ("Jüri", "b")]) == "b"
    assert pick("Juri", [("Jüri", "a"), ("Jüri Tamm", "b")]) == "a"
    assert pick("acme", [("Acme", "a"), ("ACME", "b")]) is None  # two of the same name
    assert pick("ac", [("Acme", "a"), ("Acorn", "b")]) is None
    assert pick("zz", [("Acme", "a")]) is None


# ---- properties ----------------------------------------------------------------------------

# letters of the scripts our users write in, combining accents, digits and separators
ALPHABET = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüõšžåéèßÄÖÜÕŠŽÅÉ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "\u0301\u0308 0123456789-.'&"
)
NAMES = st.text(ALPHABET, min_size=1, max_size=24)


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_fold_is_lower_case_latin_words(name: str) -> None:
    key = fold(name)
    assert key == " ".join(key.split())
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in key)
    assert key == key.lower()
    assert fold(key) == key


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_case_and_unicode_form_never_matter(name: str) -> None:
    for variant in (
        name.upper(),
        name.casefold(),
        unicodedata.normalize("NFD", name),
        unicodedata.normalize("NFC", name),
    ):
        assert fold(variant) == fold(name)
        if name.strip():
            assert fit(variant, name) in (Fit.SAME, Fit.EQUAL)


@settings(max_examples=300, deadline=None)
@given(NAMES, st.data())
def test_any_piece_of_a_name_written_in_latin_finds_it(name: str, data: st.DataObject) -> None:
    key = fold(name)
    start = data.draw(st.integers(0, max(0, len(key) - 1)))
    end = data.draw(st.integers(start, len(key)))
    piece = key[start:end]
    if piece.strip():
        assert fit(piece, name) is not None
    if key:
        assert fit(key, name) in (Fit.SAME, Fit.EQUAL)  # typed in Latin letters


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NAMES, st.text("abcdef", min_size=1, max_size=4)), max_size=12), NAMES)
def test_ranking_is_ordered_and_independent_of_reading_order(people: People, typed: str) -> None:
    fits = ranked_fits(typed, people, name=lambda p: p[0], uid=lambda p: p[1])
    tiers = [how for how, _ in fits]
    assert tiers == sorted(tiers)
    assert len(fits) == sum(fit(typed, name) is not None for name, _ in people)
    reversed_order = ranked_fits(typed, people[::-1], name=lambda p: p[0], uid=lambda p: p[1])
    assert [(h, p[0], p[1]) for h, p in reversed_order] == [(h, p[0], p[1]) for h, p in fits]


# ---- Workspace.find and match use it -------------------------------------------------------


@pytest.fixture
def firm(ws: Workspace) -> Workspace:
    for name in ("Mäkinen Teollisuus Oy", "Makela Group", "Дмитрий Иванов Консалт", "Acme Oy"):
        ws.add(Client, name=name, manager=ws.me)
    ws.add(Consultant, name="Õie Kask", manager=ws.me)
    return ws


def test_find_by_a_name_typed_without_accents_or_in_another_script(firm: Workspace) -> None:
    assert firm.find(Client, "makinen").name == "Mäkinen Teollisuus Oy"
    assert firm.find(Client, "Makinen Teollisuus Oy").name == "Mäkinen Teollisuus Oy"
    assert firm.find(Client, "dmit").name == "Дмитрий Иванов Консалт"
    assert firm.find(Client, "ivanov konsalt").name == "Дмитрий Иванов Консалт"
    assert firm.find(Consultant, "oie").name == "Õie Kask"


def test_match_is_ranked_and_find_lists_the_ambiguous_ones(firm: Workspace) -> None:
    firm.add(Client, name="Oy Makinen", manager=firm.me)
    assert [c.name for c in firm.match(Client, "makinen")] == [
        "Mäkinen Teollisuus Oy",
        "Oy Makinen",
    ]
    with pytest.raises(InvalidInput) as caught:
        firm.find(Client, "makinen", field="client")
    message = caught.value.for_field("client") or ""
    assert "matches 2" in message and "give the id" in message
    assert message.index("Mäkinen Teollisuus Oy") < message.index("Oy Makinen")
    with pytest.raises(InvalidInput, match="no client matches"):
        firm.find(Client, "Nokia")
