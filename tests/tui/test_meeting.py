"""Meeting mode, the agenda modal and the meeting summary."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import ScreenHarness, raised, wait_for
from textual.widgets import DataTable, Input, Select, Static, TextArea

from pulsetui.domain.enums import AgendaStatus, AgreementStatus, MeetingStatus, Side
from pulsetui.domain.models import AgendaItem, Agreement, ClientMeeting
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.meeting import MeetingScreen, MeetingSummary


@pytest.fixture
def acme(tmp_path: Path) -> tuple[Workspace, str]:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    client = ws.add("client", name="Acme [bold]Oy[/bold]", manager=ws.me, cadence="biweekly")
    texts = ("Invoice delays", "Roadmap 2027", "Team \x1b[31m size 🚀")
    for minutes, text in enumerate(texts):
        ws.add(
            AgendaItem,
            client=client.uid,
            text=text,
            added_at=FROZEN_NOW - dt.timedelta(days=30, minutes=-minutes),
        )
    yield ws, client.uid
    ws.close(checkpoint="never")


async def test_meeting_with_two_ticked_items_and_one_agreement(
    acme: tuple[Workspace, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, client = acme
    monkeypatch.chdir(tmp_path)
    app = ScreenHarness(ws, lambda: MeetingScreen(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#agenda", DataTable)
        assert table.row_count == 3
        assert table.get_row_at(2)[2].plain == "Team ␛[31m size 🚀"
        assert app.screen.focused is app.screen.query_one("#meeting-notes")
        await pilot.press("ctrl+t", "ctrl+n", "ctrl+t")  # tick the first two, from the notes
        await pilot.press("ctrl+g")  # capture an agreement (the notes' line is empty)
        await pilot.pause()
        assert isinstance(app.screen, AgreementModal)
        await pilot.press(*"Send [b]the[/b] plan", "tab", "tab", *"Mikko", "tab", *"xyz", "enter")
        await pilot.pause()
        error = app.screen.query_one("#err-due", Static)
        assert "must be a date" in str(error.render())
        due = app.screen.query_one("#f-due", Input)
        assert due.value == "xyz"  # nothing typed is lost
        assert app.screen.query_one("#f-text", Input).value == "Send [b]the[/b] plan"
        due.value = "fri"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        captured = app.screen.query_one("#captured", Static)
        assert "Send [b]the[/b] plan" in str(captured.render())
        assert app.screen.focused is app.screen.query_one("#meeting-notes")
        await pilot.press(*"Notes ä")
        await pilot.press("ctrl+f")  # end the meeting
        await pilot.pause()
        assert isinstance(app.screen, MeetingSummary)
        next_field = app.screen.query_one("#f-next", Input)
        assert next_field.value == "2026-12-04"  # biweekly cadence
        next_field.focus()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#summary-text").focus()
        await pilot.press("f6")
        export = tmp_path / "meeting-acme-bold-oy-bold-2026-11-20.md"
        await wait_for(export.exists, pilot)
        await pilot.press("escape")
        await pilot.pause()

    meetings = ws.meetings_of(client)
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    planned = [m for m in meetings if m.status == MeetingStatus.PLANNED]
    assert len(held) == 1 and held[0].date == FROZEN_NOW.date() and held[0].notes == "Notes ä"
    assert [m.date.isoformat() for m in planned] == ["2026-12-04"]
    items = {i.text: i for i in ws.list(AgendaItem, client=client)}
    assert items["Invoice delays"].status == AgendaStatus.DISCUSSED
    assert items["Roadmap 2027"].status == AgendaStatus.DISCUSSED
    assert items["Invoice delays"].meeting == held[0].uid
    assert items["Team \x1b[31m size 🚀"].status == AgendaStatus.OPEN  # carried over
    agreements = ws.list(Agreement, client=client)
    assert len(agreements) == 1
    agreement = agreements[0]
    assert (agreement.text, agreement.side, agreement.owner) == (
        "Send [b]the[/b] plan",
        Side.US,
        "Mikko",
    )
    assert agreement.due.isoformat() == "2026-11-27" and agreement.meeting == held[0].uid
    assert agreement.status == AgreementStatus.OPEN
    text = export.read_text(encoding="utf-8")
    assert "## Agreements\n- [us, Mikko, due 2026-11-27] Send [b]the[/b] plan" in text
    assert "## Carried over to the next meeting\n- Team ␛[31m size 🚀" in text
    assert "- 2026-12-04" in text


async def test_dropping_an_item_and_reopening_it_with_the_same_chord(
    acme: tuple[Workspace, str],
) -> None:
    """Letters are notes, never commands: `d` and `y` type; ctrl+o drops the item marked
    ▶ and ctrl+o again opens it again."""
    ws, client = acme
    app = ScreenHarness(ws, lambda: MeetingScreen(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d", "y", "space")
        await pilot.pause()
        assert all(i.status == AgendaStatus.OPEN for i in ws.list(AgendaItem, client=client))
        await pilot.press("ctrl+o")
        await pilot.pause()
        first = min(ws.list(AgendaItem, client=client), key=lambda i: i.added_at)
        assert ws.require(AgendaItem, first.uid).status == AgendaStatus.DROPPED
        assert app.screen.query_one("#agenda", DataTable).get_row_at(0)[1].plain == "[-]"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert ws.require(AgendaItem, first.uid).status == AgendaStatus.OPEN
        assert app.screen.query_one("#meeting-notes", TextArea).text == "dy "


async def test_agenda_modal_asks_client_and_creates_item(acme: tuple[Workspace, str]) -> None:
    ws, client = acme
    app = ScreenHarness(ws, lambda: AgendaModal(client=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#f-text", Input).focus()
        await pilot.press(*"Hours [red]approval[/red]", "enter")
        await pilot.pause()
        assert "choose the client first" in str(
            app.screen.query_one("#err-client", Static).render()
        )
        app.screen.query_one("#f-client", Select).value = client
        app.screen.query_one("#f-text", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, AgendaModal)  # saved and closed
    texts = [i.text for i in ws.agenda_of(client)]
    assert texts[-1] == "Hours [red]approval[/red]"


async def test_agenda_modal_with_client_in_context(acme: tuple[Workspace, str]) -> None:
    ws, client = acme
    app = ScreenHarness(ws, lambda: AgendaModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#f-client")
        await pilot.press("enter")  # empty text is refused
        await pilot.pause()
        assert "must not be empty" in str(app.screen.query_one("#err-text", Static).render())
        await pilot.press(*"Next quarter", "enter")
        await pilot.pause()
    assert [i.text for i in ws.agenda_of(client)][-1] == "Next quarter"
    assert len(ws.agenda_of(client)) == 4


def test_meeting_record_untouched_when_nothing_done(acme: tuple[Workspace, str]) -> None:
    ws, client = acme
    assert ws.list(ClientMeeting, client=client) == []


def summary_sections(text: str) -> dict[str, list[str]]:
    """The summary's "## Title" sections and their "- " lines."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:], [])
        elif line.startswith("- "):
            current.append(line[2:])
    return sections


async def test_a_ticked_topic_is_never_also_carried_over(acme: tuple[Workspace, str]) -> None:
    """The same item added twice (by two people, or on two replicas) is one topic: ticking
    it settles both, and the summary lists it under Discussed only — also when another
    copy arrives after it was ticked."""
    ws, client = acme
    ws.add(
        AgendaItem,
        client=client,
        text="invoice  DELAYS",
        added_at=FROZEN_NOW - dt.timedelta(days=2),
    )
    app = ScreenHarness(ws, lambda: MeetingScreen(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#agenda", DataTable)
        assert table.row_count == 3  # four items, three topics
        assert table.get_row_at(0)[2].plain == "Invoice delays (added 2×)"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert table.get_row_at(0)[1].plain == "[x]"
        # a third copy syncs in while the meeting runs
        ws.add(AgendaItem, client=client, text="Invoice delays", added_at=FROZEN_NOW)
        app.screen.reload()
        await pilot.pause()
        assert table.get_row_at(0)[1].plain == "[~]"
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, MeetingSummary)
        sections = summary_sections(app.screen.markdown())
    assert sections["Discussed"] == ["Invoice delays"]
    assert "Invoice delays" not in sections["Carried over to the next meeting"]
    assert sections["Carried over to the next meeting"] == ["Roadmap 2027", "Team ␛[31m size 🚀"]
    held = [m for m in ws.meetings_of(client) if m.status == MeetingStatus.HELD]
    invoices = [i for i in ws.list(AgendaItem, client=client) if "invoice" in i.text.casefold()]
    assert len(invoices) == 3
    assert all(i.status == AgendaStatus.DISCUSSED and i.meeting == held[0].uid for i in invoices)


async def test_agenda_modal_refuses_an_item_already_open(acme: tuple[Workspace, str]) -> None:
    ws, client = acme
    app = ScreenHarness(ws, lambda: AgendaModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*" roadmap   2027 ", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaModal)
        error = str(app.screen.query_one("#err-text", Static).render())
        assert "already on this client's agenda" in error
        assert app.screen.query_one("#f-text", Input).value == " roadmap   2027 "
    assert len(ws.agenda_of(client)) == 3


async def test_ending_in_the_app_gives_the_records_of_meeting_hold(tmp_path: Path) -> None:
    """The same agenda held in meeting mode (keys only) and with `pulsetui meeting hold`
    leaves the same records."""
    from tests.small_firm import build_firm, open_firm
    from tests.test_meetings import cli_run, records_of

    home = tmp_path / "firm"
    ws = open_firm(home)
    firm = build_firm(ws)
    ws.add("agenda", client=firm.acme, text="invoice DELAYS", added_at=FROZEN_NOW)
    invoice, roadmap = sorted(ws.agenda_of(firm.acme), key=lambda i: i.added_at)[:2]
    ws.close()
    by_cli = tmp_path / "by-cli"
    shutil.copytree(home, by_cli)

    ws = open_firm(home)
    try:
        app = ScreenHarness(ws, lambda: MeetingScreen(firm.acme))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            texts = [t.text for t in screen._topics]
            for wanted, chord in (("Invoice delays", "ctrl+t"), ("Roadmap 2027", "ctrl+o")):
                while texts[screen._cursor] != wanted:
                    await pilot.press("ctrl+n")
                await pilot.press(chord)
            await pilot.press(*"Went well", "ctrl+f")
            await wait_for(lambda: isinstance(app.screen, MeetingSummary), pilot)
            await pilot.press("escape")
            await pilot.pause()
    finally:
        ws.close()

    meeting = firm.next_meeting
    cli_run(by_cli, "agenda", "tick", invoice.uid, "--meeting", meeting)
    cli_run(by_cli, "agenda", "drop", roadmap.uid, "--meeting", meeting)
    cli_run(by_cli, "meeting", "hold", meeting, "--notes", "Went well")
    assert records_of(home) == records_of(by_cli)


async def test_the_summary_opens_on_the_text_and_esc_says_the_next_meeting_is_unplanned(
    acme: tuple[Workspace, str],
) -> None:
    """Focus starts on the summary, not in the date field (where a letter would edit the
    proposed date); Esc without planning says the next meeting was left unplanned."""
    ws, client = acme
    app = ScreenHarness(ws, lambda: MeetingScreen(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Short one", "ctrl+f")
        await wait_for(lambda: isinstance(app.screen, MeetingSummary), pilot)
        summary = app.screen
        assert summary.focused is summary.query_one("#summary-text")
        await pilot.press("o", "y")  # no command, and not typed into the date either
        assert summary.query_one("#f-next", Input).value == "2026-12-04"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MeetingSummary)
        said = [n.message for n in raised(app)]
        assert any("Next meeting left unplanned (proposed 2026-12-04" in m for m in said)
    planned = [m for m in ws.meetings_of(client) if m.status == MeetingStatus.PLANNED]
    assert planned == []


async def test_an_agenda_item_added_elsewhere_is_read_off_the_ui_thread_while_typing(
    acme: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sync bringing a colleague's agenda item reads the agenda in a worker: the notes
    being typed never wait for it, and the new item shows."""
    import threading

    from pulsetui.tui.screens import meeting as meeting_module

    ws, client = acme
    threads: list[int] = []
    real = meeting_module.meeting_view

    def recording(*args: object, **kwargs: object) -> object:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(meeting_module, "meeting_view", recording)
    app = ScreenHarness(ws, lambda: MeetingScreen(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#agenda", DataTable)
        assert table.row_count == 3
        await pilot.press("ctrl+n")  # the second item marked
        await pilot.press(*"Budget ok")
        ws.add(AgendaItem, client=client, text="Added by a colleague ж", added_at=FROZEN_NOW)
        threads.clear()
        screen.reload()  # what the app does after a sync brought changes
        await pilot.press(*" and more")
        await wait_for(lambda: table.row_count == 4, pilot)
        assert threads and threading.main_thread().ident not in threads
        assert "Added by a colleague ж" in [table.get_row_at(i)[-1].plain for i in range(4)]
        notes = screen.query_one("#meeting-notes", TextArea)
        assert notes.text.endswith("Budget ok and more")
        assert screen.focused is notes
        threads.clear()
        screen.reload()  # nothing changed: the agenda stays as it is
        await wait_for(lambda: threads, pilot)
        await pilot.pause()
        assert table.row_count == 4
