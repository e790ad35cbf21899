"""Names and texts holding Textual markup or control characters, as a user or a synced
file may write them, shown as written wherever the app shows them: the notices in the
corner, the palette's rows, the search screen. Never read as markup (a "[/]" that closes
nothing stopped the app), never acting on the terminal (an escape sequence)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.tui.screen_harness import ScreenHarness, settle, wait_for
from tests.tui.test_sync_screens import Replica
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets._select import SelectCurrent, SelectOverlay
from textual.widgets._toast import Toast

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client, Request
from pulsetui.service.portfolio import set_my_name
from pulsetui.service.workspace import Workspace
from pulsetui.sync.folder import init_folder
from pulsetui.tui.app import PulseApp
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.agreements import AgreementsScreen
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.confirm import ConfirmModal
from pulsetui.tui.screens.conflict import ConflictModal
from pulsetui.tui.screens.forms.client_form import ClientForm
from pulsetui.tui.screens.nps_modal import NpsModal
from pulsetui.tui.screens.search import SearchScreen
from pulsetui.tui.screens.today import TodayScreen
from pulsetui.tui.widgets.screen_header import ScreenHeader


def rendered_options(options: Widget) -> str:
    """The lines a widget (an option list, a closed choice) draws, as plain text."""
    return "\n".join(options.render_line(y).text for y in range(options.size.height))


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


async def test_a_search_row_cut_inside_a_tag_shows_as_written(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    client = tui_ws.my_clients()[0]
    # the palette row's second line cuts the client's name at 40 characters, inside "[/red]"
    name = "Quagga Logistics [bold]Oy[/] [red]x[/red] tail"
    tui_ws.update(Client, client.uid, name=name)
    tui_ws.add(Request, client=client.uid, text="Quetzal plan for the offer", date=tui_ws.today())
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_command_palette()
        await wait_for(lambda: isinstance(app.screen, CommandPalette), pilot)
        await pilot.press(*"quetzal plan")
        options = app.screen.query_one(OptionList)

        def rows() -> list[str]:
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        await wait_for(lambda: any("Quetzal plan" in row for row in rows()), pilot)
        row = next(row for row in rows() if "Quetzal plan" in row)
        assert row.endswith("Quagga Logistics [bold]Oy[/] [red]x[/re…"), row


async def test_the_search_detail_names_the_client_without_obeying_its_escapes(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    client = tui_ws.my_clients()[0]
    # an escape sequence that sets the terminal's window title
    tui_ws.update(Client, client.uid, name="Quagga \x1b]0;PWNED\x07 Oy")
    tui_ws.add(Request, client=client.uid, text="Quetzal dashboard", date=tui_ws.today())
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = SearchScreen("quetzal")
        app.push_screen(screen)

        def detail() -> str:
            return "".join(str(w.render()) for w in screen.query("#search-detail").results(Static))

        await wait_for(lambda: "Enter opens" in detail(), pilot)
        shown = detail()
        assert "Enter opens Quagga ␛]0;PWNED␇ Oy's page." in shown
        assert "\x1b" not in shown and "\x07" not in shown


async def test_the_header_shows_the_managers_name_without_obeying_its_escapes(
    make_tui_app: Callable[..., PulseApp], tui_ws: Workspace
) -> None:
    set_my_name(tui_ws, "Liisa \x1b]0;PWNED\x07 [b]M[/b]")
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: isinstance(app.screen, TodayScreen), pilot)

        def header() -> str:
            return rendered_options(app.screen.query_one(ScreenHeader))

        await wait_for(lambda: "Today" in header(), pilot)
        assert "Today — Liisa ␛]0;PWNED␇ [b]M[/b]" in header()
        assert "\x1b" not in header()


async def test_a_conflict_names_the_client_as_written(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    init_folder(shared)
    anna, bob = Replica(tmp_path, "Anna Virtanen", shared), Replica(tmp_path, "Bob Berg", shared)
    try:
        anna.sync()
        bob.sync()
        client = anna.ws.add(Client, name="Acme [/] Oy", manager=anna.ws.me, notes="start")
        anna.sync()
        bob.sync()
        anna.ws.update(Client, client.uid, notes="mine")
        bob.ws.update(Client, client.uid, notes="theirs")
        bob.sync()
        anna.sync()
        app = ScreenHarness(anna.ws, lambda: ConflictModal("client", client.uid))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: isinstance(app.screen, ConflictModal), pilot)
            box = app.screen.query_one(VerticalScroll)
            assert str(box._border_title) == "Conflict: client Acme [/] Oy"
            modal = app.screen

            def refused(*args: object) -> None:
                raise InvalidInput.one("notes", "must not say 'a[/]b'")

            anna.ws.resolve = refused  # type: ignore[method-assign]
            modal._resolve("a[/]b")
            error = modal.query_one("#error", Label)
            await wait_for(lambda: "a[/]b" in str(error.render()), pilot)
            assert str(error.render()) == "⚠ notes: must not say 'a[/]b'"
    finally:
        anna.close()
        bob.close()


async def test_the_nps_form_names_clients_and_typed_text_as_written(tui_ws: Workspace) -> None:
    tui_ws.add(Client, name="Zebu [/] [bold]Oy", manager=tui_ws.me)
    app = ScreenHarness(tui_ws, lambda: NpsModal(client=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: isinstance(app.screen, NpsModal), pilot)
        await pilot.press(*"zebu")
        matches = app.screen.query_one("#client-matches", OptionList)
        await wait_for(lambda: matches.option_count == 1, pilot)
        assert str(matches.get_option_at_index(0).prompt) == "Zebu [/] [bold]Oy"
        await wait_for(lambda: "Zebu [/] [bold]Oy" in rendered_options(matches), pilot)
        for _ in "zebu":
            await pilot.press("backspace")
        await pilot.press(*"qq[/]", "enter")
        error = app.screen.query_one("#client-error", Label)
        await wait_for(lambda: "no client matches" in str(error.render()), pilot)
        assert str(error.render()) == "⚠ client: no client matches 'qq[/]'"


@pytest.mark.parametrize("form", [AgendaModal, AgreementModal])
async def test_the_client_choice_lists_names_as_written(
    tui_ws: Workspace, form: type[AgendaModal | AgreementModal]
) -> None:
    tui_ws.add(Client, name="Aardvark [/] [bold]Oy", manager=tui_ws.me)  # first by name
    app = ScreenHarness(tui_ws, lambda: form(client=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: isinstance(app.screen, form), pilot)
        select = app.screen.query_one("#f-client", Select)
        select.focus()
        await pilot.press("enter")  # opens the list of clients
        overlay = select.query_one(SelectOverlay)
        await wait_for(lambda: overlay.has_focus, pilot)
        assert "Aardvark [/] [bold]Oy" in rendered_options(overlay)
        await pilot.press("down", "enter")
        await wait_for(lambda: select.value != Select.NULL, pilot)
        await pilot.pause()
        closed = rendered_options(select.query_one(SelectCurrent))
        assert closed.rstrip().removesuffix("▼").rstrip() == "Aardvark [/] [bold]Oy"


async def test_one_clients_agreements_are_summed_up_without_obeying_escapes_in_its_name(
    tui_ws: Workspace,
) -> None:
    client = tui_ws.my_clients()[0]
    tui_ws.update(Client, client.uid, name="Quagga \x1b]0;PWNED\x07 Oy")
    app = ScreenHarness(tui_ws, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: isinstance(app.screen, AgreementsScreen), pilot)
        app.screen.query_one("#q-client", Input).value = "quagga"
        count = app.screen.query_one("#agreements-count", Static)
        await wait_for(lambda: "'s agreements" in str(count.render()), pilot)
        assert " of Quagga ␛]0;PWNED␇ Oy's agreements" in str(count.render())
        assert "\x1b" not in str(count.render())


async def test_a_field_draws_an_escape_sequence_visibly_and_keeps_it(tui_ws: Workspace) -> None:
    name = "Quagga \x1b]0;PWNED\x07 \u202eOy"
    notes = "first line\nred \x1b[31mtext\x1b[0m here"
    client = tui_ws.my_clients()[0]
    tui_ws.update(Client, client.uid, name=name, notes=notes)
    app = ScreenHarness(tui_ws, lambda: ClientForm(client.uid))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(lambda: isinstance(app.screen, ClientForm), pilot)
        field = app.screen.query_one("#f-name", Input)
        await wait_for(lambda: field.value == name, pilot)
        await pilot.pause()
        line = field.render_line(0).text
        assert "Quagga ␛]0;PWNED␇ \ufffdOy" in line
        assert "\x1b" not in line and "\u202e" not in line
        area = app.screen.query_one("#f-notes", TextArea)
        drawn = [area.render_line(y).text for y in range(2)]
        assert "red ␛[31mtext␛[0m here" in drawn[1], drawn
        assert not any("\x1b" in row for row in drawn)
        await pilot.press("ctrl+s")  # saved unchanged: the text is what it was
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)
    saved = tui_ws.require(Client, client.uid)
    assert (saved.name, saved.notes) == (name, notes)
