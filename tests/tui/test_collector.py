"""The collector's long passes and the work done ahead wait for a pause in the typing;
a typist who never pauses still has the collections once they are overdue; the
collector is given back as it was when the app ends."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest
from tests.tui.screen_harness import settled

from pulsetui.tui import collector
from pulsetui.tui.app import PulseApp

pytestmark = pytest.mark.skipif(not collector.PACED, reason="Python's own collector")


@pytest.fixture(autouse=True)
def fewer_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A middle collection due after 3 young ones, overdue after 6 (so few objects
    are made to reach them)."""
    monkeypatch.setattr(collector, "MIDDLE_EVERY", 3)
    monkeypatch.setattr(collector, "OVERDUE", 2)


def survivors(young_passes: int) -> list[list[object]]:
    """Objects in cycles, kept alive, made over ``young_passes`` young collections."""
    kept: list[list[object]] = []
    for _ in range(young_passes * collector.YOUNG_THRESHOLD + 1):
        item: list[object] = []
        item.append(item)
        kept.append(item)
    return kept


async def test_the_older_collections_wait_for_a_pause_in_the_typing(
    make_tui_app: Callable[..., PulseApp],
) -> None:
    before = gc.get_threshold()
    async with settled(make_tui_app) as (app, pilot):
        assert gc.get_threshold()[1:] == (collector.NEVER, collector.NEVER)
        await pilot.press("c")  # a key: the typing goes on
        gc.collect(1)  # a clean start for the count of young passes
        kept = survivors(collector.MIDDLE_EVERY + 1)
        assert gc.get_count()[1] >= collector.MIDDLE_EVERY  # Python left them
        assert app.collect_if_due() is None  # keys just came in
        app._last_input = time.monotonic() - collector.PAUSE_SECONDS
        assert app.collect_if_due() == 1
        assert gc.get_count()[1] == 0
        del kept
    assert gc.get_threshold() == before


async def test_a_typist_who_never_pauses_still_has_them_once_overdue(
    make_tui_app: Callable[..., PulseApp],
) -> None:
    async with settled(make_tui_app) as (app, _pilot):
        gc.collect(1)
        kept = survivors(collector.MIDDLE_EVERY)
        app._last_input = time.monotonic()
        assert app.collect_if_due() is None  # due, not overdue: it waits
        kept += survivors(collector.MIDDLE_EVERY * (collector.OVERDUE - 1) + 1)
        assert app.collect_if_due() == 1
        del kept


async def test_the_work_done_ahead_waits_for_a_pause(
    make_tui_app: Callable[..., PulseApp],
) -> None:
    async with settled(make_tui_app) as (app, _pilot):
        app.search_readiness.stop(app)
        started: list[str] = []
        app.warm_default_styles = lambda *args: started.append("styles")  # type: ignore[method-assign]
        app._last_input = time.monotonic()  # typing
        app._warm_palette()
        assert started == []
        app._last_input = time.monotonic() - collector.PAUSE_SECONDS
        app._warm_palette()
        assert started == ["styles"]
