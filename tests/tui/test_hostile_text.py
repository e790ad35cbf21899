"""Names and texts holding Textual markup or control characters, as a user or a synced
file may write them, shown as written wherever the app shows them: the notices in the
corner, the palette's rows, the search screen. Never read as markup (a "[/]" that closes
nothing stopped the app), never acting on the terminal (an escape sequence)."""

from __future__ import annotations

from collections.abc import Callable

from tests.tui.screen_harness import settle, wait_for
from textual.widgets import DataTable
from textual.widgets._toast import Toast

from pulsetui.domain.models import Client
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.confirm import ConfirmModal


def notices(app: PulseApp) -> list[str]:
    """The text of every notice on screen, as it is drawn."""
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def test_undoing_a_delete_names_the_client_as_written(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    name = "Aalto [/] [bold]Oy \x1b[31m"
    uid = tui_ws.add(Client, name=name, manager=tui_ws.me).uid
    app = make_tui_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("l")
        await wait_for(lambda: isinstance(app.screen, ClientsScreen), pilot)
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: table.row_count > 0, pilot)
        assert "Aalto [/]" in str(table.get_row_at(0)[1])
        await pilot.press("d")
        await wait_for(lambda: isinstance(app.screen, ConfirmModal), pilot)
        await pilot.press("y")
        await wait_for(lambda: tui_ws.get(Client, uid) is None, pilot)
        await pilot.press("u")
        await wait_for(lambda: tui_ws.get(Client, uid) is not None, pilot)
        await wait_for(lambda: any("is back" in n for n in notices(app)), pilot)
        assert "Client “Aalto [/] [bold]Oy ␛[31m” is back." in notices(app)
