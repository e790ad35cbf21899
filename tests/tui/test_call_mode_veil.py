"""Call mode turned on over a list: what was read for the manager is never drawn under
the call banner, not even while the list is being read again for the call.

The read for the call is held back (it waits for a gate) so the frame drawn between
"call mode on" and "rows for the call arrived" can be looked at; that frame must show
no other client."""

from __future__ import annotations

import importlib
import threading
from typing import Any

import pytest
from tests.tui.screen_harness import settle, wait_for

from pulsetui.service.workspace import Workspace

# section, the module reading its data, the view function it calls (for an audience)
SECTIONS = [
    ("today", "pulsetui.tui.screens.today", "today_view"),
    ("clients", "pulsetui.tui.screens.clients", "clients_view"),
    ("consultants", "pulsetui.tui.screens.consultants", "consultants_view"),
    ("agreements", "pulsetui.tui.screens.agreements", "agreement_log"),
    ("segments", "pulsetui.tui.screens.segments", "segments_view"),
    ("hats", "pulsetui.tui.screens.hats", "hats_view"),
]


def drawn(app: Any) -> str:
    """The whole frame as the terminal shows it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize(("section", "module", "view"), SECTIONS, ids=[s[0] for s in SECTIONS])
async def test_rows_read_for_the_manager_are_never_drawn_under_the_call_banner(
    section: str,
    module: str,
    view: str,
    make_tui_app: Any,
    tui_ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = threading.Event()
    reads = importlib.import_module(module)
    real = getattr(reads, view)

    def held(ws: Workspace, audience: Any, *args: Any, **kwargs: Any) -> Any:
        if audience.in_call:
            gate.wait(60)  # the read for the call waits until the test has looked
        return real(ws, audience, *args, **kwargs)

    monkeypatch.setattr(reads, view, held)
    clients = sorted(tui_ws.my_clients(), key=lambda c: c.name)
    app = make_tui_app()
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(app, pilot)
            await app.switch_mode(section)
            # the manager's rows are on screen: several clients (or their consultants)
            await wait_for(lambda: sum(c.name[:12] in drawn(app) for c in clients) >= 2, pilot)
            shown = [c for c in clients if c.name[:12] in drawn(app)]
            chosen, others = shown[0], [c.name[:12] for c in clients if c is not shown[0]]

            app.start_call(chosen.uid)
            await pilot.pause()
            frame = drawn(app)
            assert "CALL MODE" in frame
            assert [name for name in others if name in frame] == []

            gate.set()  # the rows for the call arrive and are shown
            await wait_for(lambda: app.screen._shown_for == app.audience, pilot)
            await pilot.pause()
            frame = drawn(app)
            assert [name for name in others if name in frame] == []
            assert "Loading" not in frame
    finally:
        gate.set()


async def test_a_client_page_read_for_the_manager_is_never_drawn_under_the_call_banner(
    make_tui_app: Any, tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is read in a worker: a call started on it covers what was read for the
    manager (the segment, health, private notes) until it is read for the call."""
    gate = threading.Event()
    reads = importlib.import_module("pulsetui.tui.screens.client_page")
    real = reads.client_page_view

    def held(ws: Workspace, audience: Any, *args: Any) -> Any:
        if audience.in_call:
            gate.wait(60)
        return real(ws, audience, *args)

    monkeypatch.setattr(reads, "client_page_view", held)
    client = sorted(tui_ws.my_clients(), key=lambda c: c.name)[0]
    app = make_tui_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await app.open_record("client", client.uid)
            await wait_for(lambda: "Health" in drawn(app) and "segment" in drawn(app), pilot)

            app.start_call(client.uid)
            await pilot.pause()
            frame = drawn(app)
            assert "CALL MODE" in frame
            assert "Health" not in frame and "segment" not in frame

            gate.set()
            await wait_for(lambda: app.screen._shown_for == app.audience, pilot)
            await pilot.pause()
            frame = drawn(app)
            assert client.name[:12] in frame
            assert "Health" not in frame and "segment" not in frame
    finally:
        gate.set()
