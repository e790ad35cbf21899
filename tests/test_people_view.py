"""People, not strings: who an agreement may name, matched as names are everywhere, and
in a call only the client in view's contacts, the consultants placed there and me."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import Firm, firm_in

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.choices import client_choices, consultant_choices
from pulsetui.service.views.people import contacts_of, people_for, person_named


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def test_a_first_name_is_the_one_person_it_means_and_gives_the_side(firm: Firm) -> None:
    people = people_for(firm.ws, Audience.manager(firm.ws.me), firm.acme)
    mikko = person_named(people, "mikko")
    assert mikko is not None and (mikko.name, mikko.side) == ("Mikko Mäki", "client")
    jyri = person_named(people, "juri")  # accents aside
    assert jyri is not None and (jyri.name, jyri.side) == ("Jüri Tamm", "us")
    assert person_named(people, "Somebody New") is None  # a new name stays as typed


def test_a_call_offers_only_the_client_in_view_and_who_is_placed_there(firm: Firm) -> None:
    ws = firm.ws
    call = Audience.call(firm.acme, ws.me)
    names = {p.name for p in people_for(ws, call, firm.acme)}
    assert names == {"Mikko Mäki", "Aino Laine", "Anna Virtanen"}
    assert {p.name for p in people_for(ws, call, firm.bolt)} == {"Aino Laine", "Anna Virtanen"}
    assert contacts_of(ws, call, firm.bolt) == []
    assert [c.uid for c in client_choices(ws, call)] == [firm.acme]
    assert [c.uid for c in consultant_choices(ws, call)] == [firm.aino]
    manager = Audience.manager(ws.me)
    assert {c.uid for c in client_choices(ws, manager)} == {firm.acme, firm.bolt}
    assert "Bo Berg" in {p.name for p in people_for(ws, manager, firm.acme)}
