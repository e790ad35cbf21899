"""The palette's record rows: names and texts shown as written (a client called
"Acme [bold]Oy" keeps its brackets, in the row and in its second line), and agreements
with the same words told apart by their days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.tui.screen_harness import palette_answered, wait_for
from textual.command import CommandPalette
from textual.widgets import OptionList

from pulsetui.domain.models import Client
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp


async def palette_rows(app: PulseApp, pilot: object, typed: str, wanted: str) -> list[str]:
    app.action_command_palette()
    await wait_for(lambda: isinstance(app.screen, CommandPalette), pilot)
    await pilot.press(*typed)  # type: ignore[attr-defined]

    def listed() -> list[str]:
        options = app.screen.query_one(OptionList)
        return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    # every provider has answered (the rows of one may come before another's)
    await wait_for(
        lambda: palette_answered(app, typed) and any(wanted in row for row in listed()), pilot
    )
    return listed()


async def test_names_and_texts_with_brackets_show_as_written(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    client = tui_ws.my_clients()[0]
    tui_ws.update(Client, client.uid, name="Quagga [bold]Oy[/bold]")
    tui_ws.add_agreement(client.uid, "Send the [red]quagga[/red] offer", side="us")
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        rows = await palette_rows(app, pilot, "quagga", "Agreement: Send the")
        assert any("Client: Quagga [bold]Oy[/bold]" in row for row in rows), rows
        agreement = next(row for row in rows if "Agreement: Send the" in row)
        assert "Send the [red]quagga[/red] offer" in agreement
        assert "agreement with Quagga [bold]Oy[/bold]" in agreement
        assert any(row.startswith("Weekly report: Quagga [bold]Oy[/bold]") for row in rows), rows


async def test_agreements_with_the_same_words_are_told_apart(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    client = tui_ws.my_clients()[0]
    for day in (5, 12, 19):
        tui_ws.add_agreement(
            client.uid, "Quokka status call", side="us", due=dt.date(2026, 12, day)
        )
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        rows = await palette_rows(app, pilot, "quokka status", "Quokka status call")
        agreements = [row for row in rows if row.startswith("Agreement: Quokka status call")]
        assert len(agreements) == 3, rows
        assert len(set(agreements)) == 3, agreements
        assert any("due 2026-12-19" in row for row in agreements)


async def test_an_nps_answer_is_named_nps(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    client = tui_ws.my_clients()[0]
    tui_ws.add_nps(client.uid, 9, reason="Their wombat support is quick")
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        rows = await palette_rows(app, pilot, "wombat", "wombat support")
        assert any(row.startswith("NPS: Their wombat support") for row in rows), rows
