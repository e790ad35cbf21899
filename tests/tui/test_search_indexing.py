"""The search screen and palette while the search index is not ready yet, and when
answers arrive out of order: the screen says "Indexing…" and still answers (reading the
records), then searches through the index once it is ready; a keystroke's answer that
arrives after a later keystroke's is dropped; an agreement appears once in the palette
although two providers find it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from tests.tui.screen_harness import wait_for
from textual.widgets import DataTable, Static

from pulsetui.service.search import SearchIndex, SearchResults, prepare
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace
from pulsetui.tui import search_readiness
from pulsetui.tui.app import PulseApp
from pulsetui.tui.screens.search import SearchScreen


def progress_line(screen: SearchScreen) -> str:
    line = screen.query_one("#search-progress", Static)
    return str(line.render()) if line.display and line.has_class("indexing") else ""


def first_texts(screen: SearchScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[4]) for i in range(table.row_count)]


async def test_while_indexing_the_screen_says_so_and_still_finds(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_prepare = search_readiness.prepare

    def slow_prepare(index: SearchIndex, *args: Any, **kwargs: Any) -> None:
        index.progress = (1, 4)
        index.building = True  # no usable file: built, as a large workspace's takes time
        release.wait(30)
        real_prepare(index, *args, **kwargs)

    monkeypatch.setattr(search_readiness, "prepare", slow_prepare)
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = SearchScreen()
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press(*"recovery plan")
        await wait_for(
            lambda: screen.results is not None and screen.results.query == "recovery plan",
            pilot,
            10,
        )
        index = SearchIndex.of(tui_ws)
        assert not index.ready
        assert "Indexing everything written… 25%" in progress_line(screen)
        assert any("recovery plan" in text for text in first_texts(screen))
        from_scan = screen.results
        release.set()
        await wait_for(lambda: index.ready and not progress_line(screen), pilot)
        await wait_for(lambda: screen.results is not from_scan, pilot)  # searched again
        assert screen.results == from_scan  # the same rows, now through the index
        await pilot.press("backspace", *"n")
        await wait_for(lambda: screen.results.query == "recovery plan", pilot)
        assert not progress_line(screen)


async def test_an_answer_arriving_after_a_later_keystrokes_is_dropped(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = threading.Event()
    release = threading.Event()
    real_search = SearchIndex.search

    def search(self: SearchIndex, audience: Audience, query: str, limit: int = 100) -> Any:
        if query == "rec":  # this keystroke's search is slow
            held.set()
            release.wait(30)
        return real_search(self, audience, query, limit)

    monkeypatch.setattr(SearchIndex, "search", search)
    shown: list[str] = []
    real_show = SearchScreen._show

    def show(self: SearchScreen, found: SearchResults, serial: int) -> None:
        shown.append(found.query)
        real_show(self, found, serial)

    monkeypatch.setattr(SearchScreen, "_show", show)
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        index = SearchIndex.of(tui_ws)
        await app.search_readiness.ready(app)
        assert index.ready
        screen = SearchScreen()
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press(*"rec")
        await wait_for(held.is_set, pilot)
        await pilot.press(*"overy")
        await wait_for(lambda: screen.results is not None, pilot)
        assert screen.results.query == "recovery"
        rows = first_texts(screen)
        release.set()
        await wait_for(lambda: "rec" in shown, pilot)  # the slow answer came back
        await pilot.pause()
        assert screen.results.query == "recovery"  # and was not shown
        assert first_texts(screen) == rows


async def test_an_agreement_appears_once_in_the_palette(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    client = tui_ws.my_clients()[0]
    tui_ws.add_agreement(client.uid, "Quokka review every Friday", side="client")
    tui_ws.add_agenda_item(client.uid, "Quokka budget talk")
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.search_readiness.ready(app)
        app.action_command_palette()
        await wait_for(lambda: isinstance(app.screen, CommandPalette), pilot)
        await pilot.press(*"quokka")

        def listed() -> list[str]:
            options = app.screen.query_one(OptionList)
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        def searched() -> bool:
            """Every provider has answered "quokka": the palette's gathering is over."""
            gathering = [
                worker
                for worker in app.workers
                if worker.group == CommandPalette._GATHER_COMMANDS_GROUP
            ]
            return all(worker.is_finished for worker in gathering) and any(
                "Quokka budget talk" in row for row in listed()
            )

        # the written provider's rows are there (the agenda item) once every provider answered ...
        await wait_for(searched, pilot)
        # ... and the agreement, which both providers find, is listed once
        rows = [row for row in listed() if "Quokka review every Friday" in row]
        assert len(rows) == 1, listed()
        assert rows[0].startswith("Agreement: Quokka review")


async def test_when_the_index_cannot_be_made_the_screen_says_so_and_still_finds(
    make_tui_app: Callable[..., PulseApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(index: SearchIndex, *args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(search_readiness, "prepare", broken)
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = SearchScreen("recovery plan")
        app.push_screen(screen)
        await wait_for(lambda: screen.is_mounted, pilot)
        await wait_for(lambda: "could not be made" in progress_line(screen), pilot)
        await wait_for(lambda: screen.results is not None, pilot)
        assert any("recovery plan" in text for text in first_texts(screen))
        await pilot.press("backspace")
        await wait_for(lambda: screen.results.query == "recovery pla", pilot)
        assert "could not be made" in progress_line(screen)


async def test_while_the_index_file_is_read_a_query_waits_for_it(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare(SearchIndex(tui_ws))  # the file is there: reading it is quick, no scan meanwhile
    release = threading.Event()
    real_prepare = search_readiness.prepare

    def slow_read(index: SearchIndex, *args: Any, **kwargs: Any) -> None:
        release.wait(30)
        real_prepare(index, *args, **kwargs)

    def no_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("read every record while the index file was being read")

    monkeypatch.setattr(search_readiness, "prepare", slow_read)
    monkeypatch.setattr("pulsetui.tui.screens.search.scan", no_scan)
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = SearchScreen()
        app.push_screen(screen)
        await wait_for(lambda: screen.is_mounted, pilot)
        await pilot.press(*"recovery plan")
        await wait_for(lambda: "Reading the search index" in progress_line(screen), pilot)
        assert screen.results is None
        release.set()
        await wait_for(lambda: screen.results is not None, pilot)
        assert screen.results.query == "recovery plan" and screen.results.hits
        assert not progress_line(screen)
