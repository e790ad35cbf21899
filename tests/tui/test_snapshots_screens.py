"""Snapshots of the consultants, pulse, clients, client page, meeting and agreement
screens on the demo workspace with a frozen clock, at 80×24 and 120×40; the main ones
also at 60×20."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.tui.conftest import hold_cursors_still
from tests.tui.screen_harness import ScreenHarness
from textual.screen import Screen

from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.agreement_detail import AgreementDetail
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.agreements import AgreementsScreen
from pulsetui.tui.screens.client_page import ClientPage
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.confirm import ConfirmModal
from pulsetui.tui.screens.consultants import ConsultantsScreen
from pulsetui.tui.screens.meeting import MeetingScreen
from pulsetui.tui.screens.merge_modal import MergeModal
from pulsetui.tui.screens.pulse_form import PulseForm
from pulsetui.tui.screens.record_picker import RecordPicker

SIZES = [(80, 24), (120, 40)]


def first_client(ws: Workspace) -> str:
    return ws.my_clients()[0].uid


def overdue_agreement(ws: Workspace) -> str:
    today = ws.today().isoformat()
    late = sorted(
        (
            d
            for d in ws.docs("agreement")
            if d.get("status") == "open" and str(d.get("due") or "9") < today
        ),
        key=lambda d: (str(d["due"]), d["text"]),
    )
    return str(late[0]["uid"])


def twin_clients(ws: Workspace) -> list[str]:
    """Two clients made under one name on two replicas, with fixed ids and times (as
    they would arrive by sync), so the merge form shows the same thing every run."""
    uids = []
    for number, rid in enumerate(("a1b2c3d4e5f60001", "f0e1d2c3b4a50002"), start=1):
        uid = f"01KTWINCLIENT{number:013d}"
        wall = 1_763_625_600_000 + number * 3_600_000  # 2025-11-20, an hour apart
        ws.store.ingest(
            [
                {
                    "id": f"{rid}:{wall}:0",
                    "hlc": [wall, 0],
                    "rid": rid,
                    "entity": "client",
                    "uid": uid,
                    "kind": "create",
                    "data": {"name": "Saimaa Energia Oy", "manager": ws.me, "notes": ""},
                }
            ]
        )
        uids.append(uid)
    return uids


SCREENS: dict[str, Callable[[Workspace], Screen[Any]]] = {
    "consultants": lambda ws: ConsultantsScreen(),
    "pulse_form": lambda ws: PulseForm(consultant=ws.my_consultants()[0].uid),
    "clients": lambda ws: ClientsScreen(),
    "client_page": lambda ws: ClientPage(first_client(ws)),
    "meeting": lambda ws: MeetingScreen(first_client(ws)),
    "agenda_modal": lambda ws: AgendaModal(client=None),
    "agreement_modal": lambda ws: AgreementModal(client=first_client(ws)),
    "agreements": lambda ws: AgreementsScreen(),
    "agreement_detail": lambda ws: AgreementDetail(overdue_agreement(ws)),
    "merge_modal": lambda ws: MergeModal("client", twin_clients(ws)),
    "confirm": lambda ws: ConfirmModal("Delete the agreement “Send the offer”?", yes="Delete"),
    "record_picker": lambda ws: RecordPicker(
        "Pulse conversation with whom?", [(c.name, c.uid) for c in ws.my_consultants()]
    ),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_screen_snapshot(
    name: str, size: tuple[int, int], tui_ws: Workspace, snap_compare: Any
) -> None:
    app = ScreenHarness(tui_ws, lambda: SCREENS[name](tui_ws))

    async def settle(pilot: Any) -> None:
        await pilot.app.workers.wait_for_complete()  # the agreement log fills from a worker
        await pilot.pause()
        hold_cursors_still(pilot.app.screen)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=size, run_before=settle)


# the screens a manager lives in, on a small terminal: nothing overlaps, no column runs
# off the side, the key hints are in the footer
NARROW_SCREENS = ["agreements", "client_page", "clients", "consultants", "meeting", "pulse_form"]


@pytest.mark.parametrize("name", NARROW_SCREENS)
def test_screen_snapshot_at_60x20(name: str, tui_ws: Workspace, snap_compare: Any) -> None:
    app = ScreenHarness(tui_ws, lambda: SCREENS[name](tui_ws))

    async def settle(pilot: Any) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        hold_cursors_still(pilot.app.screen)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(60, 20), run_before=settle)


@pytest.mark.parametrize("name", ["agreements", "clients", "meeting"])
def test_screen_snapshot_without_colour(
    name: str, tui_ws: Workspace, snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With NO_COLOR the selected row still shows: ▶ and bold, not a colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = ScreenHarness(tui_ws, lambda: SCREENS[name](tui_ws))
    assert app.no_color

    async def settle(pilot: Any) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        # the next row: j on a list; in meeting mode, whose letters are text, its chord
        await pilot.press("ctrl+n" if name == "meeting" else "j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)
