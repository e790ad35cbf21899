"""A screen is laid out once as it opens, and still laid out whenever something changes
its layout: a widget mounted later, a scroll bar that comes, a new terminal size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tests.tui.screen_harness import settle, settled, wait_for
from textual.widgets import Static

from pulsetui.tui.app import PulseApp
from pulsetui.tui.screens.laid_out_once import LaidOutOnce
from pulsetui.tui.screens.pulse_form import PulseForm
from pulsetui.tui.widgets.pulse_history_pane import PulseHistoryPane


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many times each screen class was laid out (whole or scrolled)."""
    counted: Counter[str] = Counter()
    layout = LaidOutOnce._refresh_layout

    def counting(self: LaidOutOnce, *args: Any, **kwargs: Any) -> None:
        counted[type(self).__name__] += 1
        layout(self, *args, **kwargs)

    monkeypatch.setattr(LaidOutOnce, "_refresh_layout", counting)
    yield counted


def screen_text(app: PulseApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def longest_history(app: PulseApp) -> str:
    ws = app.workspace
    held: Counter[str] = Counter(str(doc["consultant"]) for doc in ws.docs("pulse"))
    return held.most_common(1)[0][0]


async def test_the_pulse_form_is_laid_out_once_with_its_scroll_bar(
    make_tui_app: Callable[..., PulseApp], layouts: Counter[str]
) -> None:
    async with settled(make_tui_app) as (app, pilot):
        consultant = longest_history(app)
        layouts.clear()
        await app.open_record("consultant", consultant)
        await wait_for(lambda: isinstance(app.screen, PulseForm), pilot)
        await settle(app, pilot)
        assert layouts["PulseForm"] == 1
        pane = app.screen.query_one(PulseHistoryPane)
        # the conversation is longer than the pane: its scroll bar is drawn, and the
        # text beside it is cut to the room left (no line runs under the bar)
        assert pane.show_vertical_scrollbar
        assert pane.max_scroll_y > 0
        body = pane.query_one("#history-body", Static)
        assert body.region.right <= pane.region.right - pane.styles.scrollbar_size_vertical
        assert "History 1/" in screen_text(app)


async def test_a_widget_mounted_later_is_laid_out_and_drawn(
    make_tui_app: Callable[..., PulseApp], layouts: Counter[str]
) -> None:
    async with settled(make_tui_app) as (app, pilot):
        screen = app.screen
        before = layouts[type(screen).__name__]
        late = Static("Mounted after the first frame", id="late")
        await screen.mount(late, before=0)
        await settle(app, pilot)
        assert layouts[type(screen).__name__] > before
        assert late.region.height == 1
        assert "Mounted after the first frame" in screen_text(app)


async def test_a_new_terminal_size_lays_the_screen_out_again(
    make_tui_app: Callable[..., PulseApp],
) -> None:
    async with settled(make_tui_app) as (app, pilot):
        assert app.screen.region.width == 80
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        assert app.screen.region.size == (100, 30)
        assert max(len(line.rstrip()) for line in screen_text(app).splitlines()) > 80


async def test_a_state_as_wide_as_the_one_shown_lays_nothing_out(
    make_tui_app: Callable[..., PulseApp], layouts: Counter[str]
) -> None:
    async with settled(make_tui_app) as (app, pilot):
        name = type(app.screen).__name__
        app.sync_summary = "synced 10:02:09 · 0 pending"
        await settle(app, pilot)
        before = layouts[name]
        app.sync_summary = "synced 10:02:11 · 0 pending"  # the next pass
        await settle(app, pilot)
        assert layouts[name] == before
        assert "synced 10:02:11" in screen_text(app)
        app.sync_summary = "sync problem: the shared folder is gone"  # wider
        await settle(app, pilot)
        assert layouts[name] > before
        assert "sync problem: the shared folder is gone" in screen_text(app)


async def test_a_dialog_is_laid_out_once_and_drawn_over_the_screen(
    make_tui_app: Callable[..., PulseApp], layouts: Counter[str]
) -> None:
    async with settled(make_tui_app) as (app, pilot):
        layouts.clear()
        await pilot.press("n")  # a new NPS answer
        await wait_for(lambda: type(app.screen).__name__ == "NpsModal", pilot)
        await settle(app, pilot)
        assert layouts["NpsModal"] == 1
        assert app.screen.focused is not None and app.screen.focused.region.width > 0
        assert "New NPS answer" in screen_text(app) and "Reason" in screen_text(app)
