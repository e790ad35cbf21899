"""Snapshots of the shell's screens — Today (also in call mode), the NPS modal, the eNPS
screen, help and the conflict modal — on the demo workspace with a frozen clock, at 80×24
and 120×40."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from tests.tui.conftest import hold_cursors_still
from tests.tui.screen_harness import wait_for

from pulsetui.domain.models import Client
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import new_replica_id
from pulsetui.store.ops import set_op, stored
from pulsetui.tui.app import make_app
from pulsetui.tui.screens.enps import EnpsApp

SIZES = [(80, 24), (120, 40)]


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    hold_cursors_still(pilot.app.screen)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def _keys(*keys: str) -> Callable[[Any], Awaitable[None]]:
    async def run(pilot: Any) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        pilot.app.clear_notifications()
        await _settle(pilot)

    return run


def _first_client_row(pilot: Any) -> None:
    from textual.widgets import DataTable

    table = pilot.app.screen.query_one(DataTable)
    for row in range(table.row_count):
        key = table.coordinate_to_cell_key((row, 0)).row_key.value
        if key and key.startswith("client:"):
            table.move_cursor(row=row)
            return


def _no_client_row(pilot: Any) -> None:
    """The cursor on a row about no client (a consultant's), so a form asks for one."""
    from textual.widgets import DataTable

    table = pilot.app.screen.query_one(DataTable)
    for row in range(table.row_count):
        key = table.coordinate_to_cell_key((row, 0)).row_key.value
        if key and key.startswith("consultant:"):
            table.move_cursor(row=row)
            return


def _nps(*keys: str) -> Callable[[Any], Awaitable[None]]:
    async def run(pilot: Any) -> None:
        await _settle(pilot)
        _no_client_row(pilot)
        await _keys("n", *keys)(pilot)

    return run


async def _call_mode(pilot: Any) -> None:
    await _settle(pilot)
    _first_client_row(pilot)
    await pilot.press("f2")
    await _settle(pilot)
    pilot.app.clear_notifications()
    await _settle(pilot)


async def _meeting_in_a_call(pilot: Any) -> None:
    from textual.widgets import Static

    await _keys("l", "m", "f2", *"Notes typed ä ж")(pilot)
    state = pilot.app.screen.query_one("#meeting-state", Static)
    # the autosave after its pause: "notes saved" (at the frozen time)
    await wait_for(lambda: "notes saved" in str(state.render()), pilot)
    await _settle(pilot)


async def _nps_with_error(pilot: Any) -> None:
    await _settle(pilot)
    _no_client_row(pilot)
    await pilot.press("n")
    await _settle(pilot)
    client = pilot.app.workspace.my_clients()[0]
    for key in client.name:
        await pilot.press(key)
    await pilot.press("enter", *"Mikko", "enter", "ctrl+s")
    await _settle(pilot)


SCENES: dict[str, Callable[[Any], Awaitable[None]]] = {
    "today": _keys(),
    "today_call_mode": _call_mode,
    # type-first meeting mode shared with the client: the banner, the notes focused,
    # the chords in the footer
    "meeting_call_mode": _meeting_in_a_call,
    "help": _keys("f1"),
    "nps_modal": _nps(),
    "nps_modal_error": _nps_with_error,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_shell_snapshot(
    scene: str, size: tuple[int, int], tui_ws: Workspace, snap_compare: Any
) -> None:
    app = make_app(tui_ws, sync=False)
    assert snap_compare(app, terminal_size=size, run_before=SCENES[scene])


def test_today_snapshot_at_60x20(tui_ws: Workspace, snap_compare: Any) -> None:
    """Today on a small terminal: the heading whole, the columns within the screen."""
    app = make_app(tui_ws, sync=False)
    assert snap_compare(app, terminal_size=(60, 20), run_before=SCENES["today"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_enps_snapshot(size: tuple[int, int], tui_ws: Workspace, snap_compare: Any) -> None:
    assert snap_compare(EnpsApp(tui_ws, round="2026"), terminal_size=size, run_before=_keys("7"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_conflict_snapshot(size: tuple[int, int], tui_ws: Workspace, snap_compare: Any) -> None:
    client = tui_ws.my_clients()[0]
    uid = client.uid
    # a second value for the notes field, as if written concurrently by another replica
    heads = [opid for opid, _ in tui_ws.store.view.heads("client", uid, "notes")]
    tui_ws.update(Client, uid, notes="Mine: the budget may grow in Q2 [bold]ok[/bold]")
    stamp = tui_ws.store.stamp()._replace(rid=new_replica_id())
    other = set_op(stamp, "client", uid, "notes", "Theirs: budget fixed 🚀", heads)
    tui_ws.store.ingest(stored([other]))

    async def open_conflict(pilot: Any) -> None:
        from pulsetui.tui.screens.conflict import ConflictModal

        await _settle(pilot)
        pilot.app.push_screen(ConflictModal("client", uid))
        await _settle(pilot)

    assert snap_compare(make_app(tui_ws, sync=False), terminal_size=size, run_before=open_conflict)
