"""Today at start: the manager's last Today shows at once, before the records are read,
and the first gathering replaces it when it is stale; a call never shows it nor writes
its own view into it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from tests.tui.conftest import FROZEN_NOW
from tests.tui.test_shell import screen_text, settle

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today import today_view
from pulsetui.service.views.today_snapshot import refresh_today, snapshot_path, snapshot_today
from pulsetui.service.workspace import Workspace


async def test_the_last_today_shows_first_and_a_stale_one_is_replaced(
    make_tui_app: Any, tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pulsetui.tui.screens.today as today_module

    me = Audience.manager(tui_ws.me)
    refresh_today(tui_ws, me)  # the Today of the last session
    client = tui_ws.my_clients()[0]
    # changed since (the command line, a sync): the snapshot is stale
    tui_ws.add_agreement(client.uid, "Promised while away ж", side="us", due=FROZEN_NOW.date())
    gate = threading.Event()
    real = today_module.today_view

    def held(*args: Any, **kwargs: Any) -> Any:
        gate.wait(30)  # the records are read only when the test lets them
        return real(*args, **kwargs)

    monkeypatch.setattr(today_module, "today_view", held)
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = screen_text(app)
        assert "Loading…" not in first
        assert "need you" in first  # the snapshot's rows, before any gathering
        assert "Promised while away ж" not in first
        gate.set()
        await settle(app, pilot)
        assert "Promised while away ж" in screen_text(app)  # replaced at the first refresh
        assert snapshot_today(tui_ws, me) == today_view(tui_ws, me)

        written = snapshot_path(tui_ws).read_bytes()
        app.start_call(client.uid)
        await settle(app, pilot)
        assert "Promised while away ж" in screen_text(app)  # the call's own Today
        assert snapshot_path(tui_ws).read_bytes() == written  # never the call's view
        assert snapshot_today(tui_ws, app.audience) is None
