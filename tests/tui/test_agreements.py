"""The agreement log: filters, overdue marking, status changes with reasons, history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import ScreenHarness, handled, wait_for
from tests.tui.test_typing_ahead import burst
from textual.widgets import DataTable, Input, Select, Static

from pulsetui.domain.enums import AgreementStatus
from pulsetui.domain.models import Agreement
from pulsetui.service.config import Config
from pulsetui.service.views.agreements import AgreementFilter, agreement_filter, agreement_rows
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.agreement_detail import AgreementDetail
from pulsetui.tui.screens.agreements import AgreementsScreen

TODAY = FROZEN_NOW.date()


@pytest.fixture
def log(tmp_path: Path) -> Workspace:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    acme = ws.add("client", name="Acme Oy", manager=ws.me)
    bolt = ws.add("client", name="Bolt [bold]Labs[/bold]", manager=ws.me)
    day = dt.timedelta(days=1)
    ws.add_agreement(acme.uid, "Send the roadmap", "us", owner="Anna", due=TODAY - 3 * day)
    ws.add_agreement(acme.uid, "Approve hours", "client", owner="Mikko", due=TODAY + 2 * day)
    ws.add_agreement(bolt.uid, "Fix \x1b[31m login 🚀", "us", due=TODAY + 30 * day)
    done = ws.add_agreement(bolt.uid, "Old promise", "client")
    ws.set_agreement_status(done.uid, "done")
    yield ws
    ws.close(checkpoint="never")


def rows(app: ScreenHarness) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    # after the ▶ cursor column
    return [[c.plain for c in table.get_row_at(i)][1:] for i in range(table.row_count)]


def test_filter_function_combines_criteria(log: Workspace) -> None:
    docs = agreement_rows(log, None)
    clients = {d["uid"]: d["name"] for d in log.docs("client")}

    def texts(**given: Any) -> list[str]:
        return [r.text for r in agreement_filter(docs, clients, TODAY, AgreementFilter(**given))]

    assert texts(due="overdue") == ["Send the roadmap"]
    assert texts(side="client", status="open") == ["Approve hours"]
    assert texts(client="bold") == ["Fix \x1b[31m login 🚀", "Old promise"]
    assert texts(text="MIKKO") == ["Approve hours"]
    assert len(texts(due="week")) == 2


async def test_log_lists_overdue_first_with_marker_and_filters(log: Workspace) -> None:
    app = ScreenHarness(log, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 4, pilot)
        shown = rows(app)
        assert shown[0][0] == "! 2026-11-17" and shown[0][1] == "OVERDUE"
        assert shown[0][4] == "Send the roadmap"
        assert [r[4] for r in shown][2] == "Fix ␛[31m login 🚀"
        assert shown[3][1] == "done"
        count = app.screen.query_one("#agreements-count", Static)
        assert "4 agreements · 1 overdue" in str(count.render())
        # the selected row is marked ▶, not only by colour (NO_COLOR, 16 colours)
        table = app.screen.query_one(DataTable)
        await pilot.press("j")
        await pilot.pause()
        marks = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert marks == [" ", "▶", " ", " "]
        await pilot.press("slash", *"roadmap")
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 1, pilot)
        assert str(count.render()).startswith("1 agreement · 1 overdue · 1–1 ·")
        await pilot.press(*"zzz")
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 0, pilot)
        assert str(count.render()) == "No agreements match · my clients (w: all)"
        # Esc leaves the filter, but not for the empty list; / comes back to the filter
        await wait_for(lambda: not app.screen.filtering, pilot)
        await pilot.press("escape")
        assert app.screen.focused is None
        await pilot.press("slash")
        assert app.screen.focused is app.screen.query_one("#q", Input)
        app.screen.query_one("#q", Input).value = ""
        app.screen.query_one("#q-side", Select).value = "client"
        await wait_for(lambda: [r[4] for r in rows(app)] == ["Approve hours", "Old promise"], pilot)
        await pilot.press("escape")  # back to the list, not out of the section
        assert app.screen.focused is app.screen.query_one(DataTable)


async def test_broken_without_reason_is_refused_then_saved_with_reason(log: Workspace) -> None:
    app = ScreenHarness(log, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 4, pilot)
        await pilot.press("B")  # first row: the overdue roadmap
        await pilot.pause()
        assert isinstance(app.screen, AgreementDetail)
        assert "OVERDUE" in " ".join(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("enter")
        await pilot.pause()
        error = app.screen.query_one("#err-reason", Static)
        assert "required" in str(error.render())
        uid = app.screen.uid
        assert log.require(Agreement, uid).status == AgreementStatus.OPEN
        await pilot.press(*"Client moved the [b]date[/b]", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AgreementsScreen)
        await wait_for(lambda: rows(app)[0][4] == "Approve hours", pilot)
    agreement = log.require(Agreement, uid)
    assert agreement.status == AgreementStatus.BROKEN
    assert agreement.reason == "Client moved the [b]date[/b]"
    assert [h.status.value for h in agreement.history] == ["open", "broken"]


async def test_history_shows_every_status_change(log: Workspace) -> None:
    old = next(a for a in log.list(Agreement) if a.text == "Old promise")
    app = ScreenHarness(log, lambda: AgreementDetail(old.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        console = Console(width=100, record=True, color_system=None)
        console.print(app.screen.query_one("#agreement-history", Static).content)
        history = console.export_text()
        assert "open" in history and "done" in history and "Anna Virtanen" in history
        app.screen.query_one("#f-status", Select).value = "cancelled"
        app.screen.query_one("#f-reason", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "required" in str(app.screen.query_one("#err-reason", Static).render())
    assert log.require(Agreement, old.uid).status == AgreementStatus.DONE


async def test_call_mode_shows_only_one_clients_agreements(log: Workspace) -> None:
    app = ScreenHarness(log, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 4, pilot)
        app.call_mode = True
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 0, pilot)
        app.screen.query_one("#q-client", Input).value = "acme"
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 2, pilot)
        # one client's: the summary names it, and no Client column repeats it
        count = app.screen.query_one("#agreements-count", Static)
        assert str(count.render()).startswith("2 of Acme Oy's agreements")
        columns = [str(c.label) for c in app.screen.query_one(DataTable).columns.values()]
        assert "Client" not in columns
        assert [r[3] for r in rows(app)] == ["Send the roadmap", "Approve hours"]
        # turned on with Bolt in view: only Bolt's, whatever client is typed
        app.call_mode = False
        await pilot.pause()
        bolt = log.find("client", "Bolt").uid
        app.call_client = bolt
        app.call_mode = True
        await wait_for(
            lambda: "of Bolt [bold]Labs[/bold]'s agreements" in str(count.render()), pilot
        )
        assert [r[3] for r in rows(app)] == ["Fix ␛[31m login 🚀", "Old promise"]


async def test_log_starts_with_my_clients_and_widens_to_every_client(log: Workspace) -> None:
    other = log.add("manager", name="Bo Berg")
    theirs = log.add("client", name="Other Oy", manager=other.uid)
    log.add_agreement(theirs.uid, "Someone else's promise", "us", due=TODAY - dt.timedelta(days=1))
    app = ScreenHarness(log, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 4, pilot)
        count = app.screen.query_one("#agreements-count", Static)
        assert "my clients" in str(count.render())
        assert "Someone else's promise" not in [r[4] for r in rows(app)]
        await pilot.press("w")
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 5, pilot)
        assert "5 agreements · 2 overdue" in str(count.render())
        assert "every client" in str(count.render())
        assert "Other Oy" in [r[2] for r in rows(app)]
        await pilot.press("slash", *"someone")
        await wait_for(lambda: [r[4] for r in rows(app)] == ["Someone else's promise"], pilot)
        await pilot.press("escape", "w")
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 0, pilot)
        assert "my clients" in str(count.render())


async def test_status_change_keeps_the_cursor_on_its_row_and_home_end_move(
    log: Workspace,
) -> None:
    app = ScreenHarness(log, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.screen.query_one(DataTable).row_count == 4, pilot)
        table = app.screen.query_one(DataTable)
        # the agreement's text takes the width the other columns leave
        widths = {str(c.label): c.width for c in table.columns.values()}
        assert widths["Agreement"] >= 24 and widths["Agreement"] > widths["Client"]
        await pilot.press("end")
        assert table.cursor_row == 3
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("j")  # "Approve hours"
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, AgreementDetail)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, AgreementsScreen), pilot)
        # done now: it moved among the closed ones, most recently closed first
        await wait_for(lambda: [r[4] for r in rows(app)][2] == "Approve hours", pilot)
        assert [r[1] for r in rows(app)][2:] == ["done", "done"]
        assert table.cursor_row == 2  # the cursor went with it


async def test_closed_agreements_show_the_day_they_were_closed_in_date_order(
    tui_ws: Workspace,
) -> None:
    """The closed ones are listed most recently closed first, and show that day, so the
    date column reads in order (it showed the due date: 2026-10-11 above 2026-10-15)."""
    app = ScreenHarness(tui_ws, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.screen.query_one(DataTable).row_count > 20, pilot)
        table = app.screen.query_one(DataTable)
        assert "Due/closed" in [str(c.label) for c in table.columns.values()]
        shown = rows(app)
        closed = [r[0].strip() for r in shown if r[1] in ("done", "broken", "cancelled")]
        assert len(closed) > 10
        assert closed == sorted(closed, reverse=True)
        log = app.screen.found
        assert log is not None
        first = next(r for r in log.rows if r.status != "open")
        assert first.closed is not None and closed[0] == first.closed.isoformat()


async def test_enter_or_esc_in_a_filter_goes_to_the_list_its_row_marked(
    log: Workspace,
) -> None:
    app = ScreenHarness(log, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: table.row_count == 4, pilot)
        for typed, back in (("roadmap", "escape"), ("hours", "enter")):
            await pilot.press("slash", *typed)
            await wait_for(lambda: table.row_count == 1 and not app.screen.filtering, pilot)
            await pilot.press(back)  # Enter in the filter goes to the list, as Esc
            await pilot.pause()
            assert app.screen.focused is table
            assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == ["▶"]


async def test_keys_typed_behind_enter_or_esc_in_a_filter_act_on_the_rows_it_finds(
    log: Workspace,
) -> None:
    hours = next(a.uid for a in log.list(Agreement) if a.text == "Approve hours")
    app = ScreenHarness(log, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: table.row_count == 4, pilot)
        assert rows(app)[0][4] == "Send the roadmap"  # under the cursor before filtering
        for leave in ("\n", "\x1b"):
            # one read: the filter, the key that leaves it, and Enter on the list
            burst(app, f"/hours{leave}\n")
            await handled(app)
            assert isinstance(app.screen, AgreementDetail) and app.screen.uid == hours
            await pilot.press("escape")
            await handled(app)
            assert isinstance(app.screen, AgreementsScreen)


async def test_a_sentence_typed_on_a_choice_of_the_filter_bar_runs_no_command(
    log: Workspace,
) -> None:
    """Tab from the text filter to a choice and talk on: the list's letter commands (n a
    new NPS answer, D done, e a new agreement, w every client) stay out of it."""
    before = {a.uid: a.status for a in log.list(Agreement)}
    app = ScreenHarness(log, AgreementsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: table.row_count == 4, pilot)
        await pilot.press("slash", "tab", "tab")
        choice = app.screen.query_one("#q-side", Select)
        await wait_for(lambda: app.screen.focused is choice, pilot)
        burst(app, "then Dave sends the new estimate with hours D B C")
        await handled(app)
        assert isinstance(app.screen, AgreementsScreen) and app.screen.focused is choice
        assert not choice.expanded and choice.value == Select.NULL
        assert table.row_count == 4 and not app.screen.every_client
    assert {a.uid: a.status for a in log.list(Agreement)} == before
