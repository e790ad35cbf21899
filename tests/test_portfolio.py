"""The portfolio use cases the forms and the guided setup call: what a save fills in and
dates, what it refuses (naming the field), the first-run state, and undo of a delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulsetui.domain.enums import Cadence, RequestStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client, Engagement, Manager, Request, Touchpoint
from pulsetui.service import portfolio
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

DAY = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(
        tmp_path / "ws", me="Liisa Mäkinen", config=Config(), clock=lambda: DAY
    )
    yield workspace
    workspace.close(checkpoint="never")


def test_a_new_workspace_needs_setup_until_finished_or_skipped(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", me="Liisa Mäkinen", config=Config(), clock=lambda: DAY)
    assert portfolio.needs_setup(ws)
    portfolio.finish_setup(ws, "skipped")
    assert not portfolio.needs_setup(ws)
    home = ws.home
    ws.close(checkpoint="never")
    reopened = Workspace.open(home, config=Config(), clock=lambda: DAY)
    assert not portfolio.needs_setup(reopened)
    assert reopened.me_name == "Liisa Mäkinen"
    reopened.close(checkpoint="never")


def test_a_workspace_with_a_client_needs_no_setup(ws: Workspace) -> None:
    portfolio.save_client(ws, name="Kuusi Oy")
    assert not portfolio.needs_setup(ws)


def test_my_name_is_changed_and_kept(ws: Workspace) -> None:
    portfolio.set_my_name(ws, "Õie Kask")
    assert ws.me_name == "Õie Kask"
    assert ws.require(Manager, ws.me or "").name == "Õie Kask"
    with pytest.raises(InvalidInput) as caught:
        portfolio.set_my_name(ws, "   ")
    assert caught.value.for_field("name")


def test_a_client_is_mine_with_contacts_and_dated_judgements(ws: Workspace) -> None:
    client = portfolio.save_client(
        ws,
        name="Kuusi Logistiikka Oy",
        cadence="twice_weekly",
        stage="adoption",
        contacts=[
            {"name": "Pekka Kuusinen", "role": "CTO", "decision_maker": True},
            {"name": "   ", "role": "", "decision_maker": False},
            {"name": "Дмитрий Иванов", "role": "", "decision_maker": False},
        ],
    )
    assert client.manager == ws.me and client.cadence == Cadence.TWICE_WEEKLY
    assert [c.name for c in client.contacts] == ["Pekka Kuusinen", "Дмитрий Иванов"]
    assert [c.name for c in client.decision_makers] == ["Pekka Kuusinen"]
    assert client.stage_since == DAY.date() and client.started == DAY.date()
    later = dt.datetime(2027, 1, 5, 9, 0)
    ws.clock = lambda: later
    same = portfolio.save_client(ws, client.uid, stage="adoption", notes="x")
    assert same.stage_since == DAY.date()  # unchanged stage keeps its date
    moved = portfolio.save_client(ws, client.uid, stage="success")
    assert moved.stage_since == later.date()


def test_a_contact_row_with_a_role_but_no_name_is_refused(ws: Workspace) -> None:
    with pytest.raises(InvalidInput) as caught:
        portfolio.save_client(ws, name="Kuusi", contacts=[{"name": "", "role": "CTO"}])
    assert caught.value.problems[0].field.startswith("contacts.0")
    assert ws.count(Client) == 0


def test_a_consultant_placed_at_a_client_gets_an_engagement_once(ws: Workspace) -> None:
    client = portfolio.save_client(ws, name="Kuusi")
    person = portfolio.save_consultant(ws, name="Aino Laine", placed_at=client.uid)
    [engagement] = ws.list(Engagement, consultant=person.uid)
    assert engagement.client == client.uid and engagement.start == DAY.date()
    assert engagement.manager == ws.me and person.manager == ws.me
    portfolio.save_consultant(ws, person.uid, name="Aino Laine", placed_at=client.uid)
    assert len(ws.list(Engagement, consultant=person.uid)) == 1


def test_a_placement_at_no_such_client_writes_nothing(ws: Workspace) -> None:
    with pytest.raises(InvalidInput):
        portfolio.save_consultant(ws, name="Aino", placed_at="01NOSUCHCLIENT")
    assert ws.count("consultant") == 0


def test_a_new_main_communicator_is_dated(ws: Workspace) -> None:
    client = portfolio.save_client(ws, name="Kuusi")
    person = portfolio.save_consultant(ws, name="Aino")
    engagement = portfolio.save_engagement(
        ws, client=client.uid, consultant=person.uid, main_communicator="Õie Kask"
    )
    assert engagement.communicator_since == DAY.date()
    with pytest.raises(InvalidInput) as caught:
        portfolio.save_engagement(ws, engagement.uid, end=dt.date(2020, 1, 1))
    assert caught.value.for_field("end")


def test_accepted_with_a_plan_is_accepted_and_planned(ws: Workspace) -> None:
    client = portfolio.save_client(ws, name="Kuusi")
    wish = portfolio.save_request(
        ws, client=client.uid, text="Export to Excel", choice="accepted_with_plan"
    )
    assert (wish.status, wish.planned) == (RequestStatus.ACCEPTED, True)
    assert portfolio.request_choice(wish) == "accepted_with_plan"
    unplanned = portfolio.save_request(ws, wish.uid, choice="accepted_no_plan")
    assert unplanned.planned is False
    assert ws.require(Request, wish.uid).date == DAY.date()
    with pytest.raises(InvalidInput) as caught:
        portfolio.save_request(ws, wish.uid, choice="maybe")
    assert caught.value.for_field("status")


def test_a_touchpoint_keeps_the_contact_it_reached(ws: Workspace) -> None:
    client = portfolio.save_client(ws, name="Kuusi", contacts=[{"name": "Pekka"}])
    touch = portfolio.save_touchpoint(ws, client=client.uid, kind="article", contact="Pekka")
    assert ws.require(Touchpoint, touch.uid).contact == "Pekka"
    assert touch.date == DAY.date()


def test_undo_brings_back_the_last_deleted_record(ws: Workspace) -> None:
    client = portfolio.save_client(ws, name="Kuusi")
    first = portfolio.save_touchpoint(ws, client=client.uid, note="first")
    second = portfolio.save_touchpoint(ws, client=client.uid, note="second")
    ws.delete(Touchpoint, first.uid)
    ws.delete(Touchpoint, second.uid)
    assert ws.count(Touchpoint) == 0
    assert ws.undo_delete() == ("touchpoint", second.uid)
    assert ws.get(Touchpoint, second.uid) is not None and ws.get(Touchpoint, first.uid) is None
    assert ws.undo_delete() == ("touchpoint", first.uid)
    with pytest.raises(InvalidInput) as caught:
        ws.undo_delete()
    assert caught.value.for_field("undo")
