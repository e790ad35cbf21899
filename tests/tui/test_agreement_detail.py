"""The agreement dialog corrects an agreement: text, person (completed from the client's
contacts and colleagues) and due date; every move of the due date is kept and shown in
its history; a due date in the past is asked about first; Esc keeps a draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import ScreenHarness, wait_for
from tests.tui.test_forms import type_text
from textual.widgets import Input, Static

from pulsetui.domain.models import Agreement, Client
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.agreement_detail import AgreementDetail
from pulsetui.tui.screens.confirm import ConfirmModal

TODAY = FROZEN_NOW.date()


@pytest.fixture
def log(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    client = ws.add(
        Client,
        name="Kuusi Logistiikka Oy",
        manager=ws.me,
        contacts=[{"name": "Pekka Kuusinen"}, {"name": "Hanna Lehtonen"}],
    )
    ws.add_agreement(
        client.uid, "Send the offer", "us", owner="Anna", due=TODAY + dt.timedelta(days=2)
    )
    yield ws
    ws.close(checkpoint="never")


def the_agreement(ws: Workspace) -> Agreement:
    [agreement] = ws.list(Agreement)
    return agreement


def history_text(app: ScreenHarness) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(app.screen.query_one("#agreement-history", Static).content)
    return console.export_text()


async def replace(pilot: Any, text: str) -> None:
    """Empty the focused field (ctrl+u: all left of the cursor, at its end) and type."""
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)


async def test_text_person_and_due_are_corrected_and_the_move_kept(log: Workspace) -> None:
    uid = the_agreement(log).uid
    app = ScreenHarness(log, lambda: AgreementDetail(uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is app.screen.query_one("#f-text", Input)
        await type_text(pilot, " and the plan, as Pekka asked [b]today[/b] ä ж")
        await pilot.press("tab")
        await replace(pilot, "Pek")
        await pilot.press("right")  # takes the completion
        assert app.screen.query_one("#f-owner", Input).value == "Pekka Kuusinen"
        await pilot.press("tab")
        await replace(pilot, "4.12.")
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, AgreementDetail), pilot)
    saved = log.require(Agreement, uid)
    assert saved.text == "Send the offer and the plan, as Pekka asked [b]today[/b] ä ж"
    assert saved.owner == "Pekka Kuusinen" and saved.side.value == "client"  # follows
    assert saved.due == dt.date(2026, 12, 4)
    [move] = saved.due_moves
    assert (move.by, move.from_due, move.to_due) == (
        "Anna Virtanen",
        dt.date(2026, 11, 22),
        dt.date(2026, 12, 4),
    )
    assert move.at == FROZEN_NOW
    assert [h.status.value for h in saved.history] == ["open"]  # no status change


async def test_two_moves_are_two_entries_in_order_shown_beside_the_status(
    log: Workspace,
) -> None:
    uid = the_agreement(log).uid
    for typed in ("fri", "+2w"):
        app = ScreenHarness(log, lambda: AgreementDetail(uid))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("tab", "tab")
            await replace(pilot, typed)
            await pilot.press("ctrl+s")
            await wait_for(lambda: not isinstance(pilot.app.screen, AgreementDetail), pilot)
    moves = log.require(Agreement, uid).due_moves
    assert [(m.by, m.from_due, m.to_due) for m in moves] == [
        ("Anna Virtanen", dt.date(2026, 11, 22), dt.date(2026, 11, 27)),
        ("Anna Virtanen", dt.date(2026, 11, 27), dt.date(2026, 12, 4)),
    ]
    app = ScreenHarness(log, lambda: AgreementDetail(uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = history_text(app)
    lines = [line for line in shown.splitlines() if "2026-11-20 10:00" in line]
    assert len(lines) == 3
    assert "open" in lines[0] and "Anna Virtanen" in lines[0]
    assert "due 2026-11-22 → 2026-11-27" in lines[1]
    assert "due 2026-11-27 → 2026-12-04" in lines[2]


async def test_a_past_due_date_is_asked_about_first(log: Workspace) -> None:
    uid = the_agreement(log).uid
    app = ScreenHarness(log, lambda: AgreementDetail(uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab")
        await replace(pilot, "1.11.")
        await pilot.press("shift+tab", "shift+tab")
        await type_text(pilot, " today")
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ConfirmModal), pilot)
        assert "2026-11-01 is in the past" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, AgreementDetail), pilot)
        due = app.screen.query_one("#f-due", Input)
        assert app.focused is due and due.value == "1.11."
        assert app.screen.query_one("#f-text", Input).value == "Send the offer today"
        error = str(app.screen.query_one("#err-due", Static).render())
        assert "not saved" in error and "in the past" in error
        # nothing was written
        saved = log.require(Agreement, uid)
        assert (saved.text, saved.due, saved.due_moves) == (
            "Send the offer",
            TODAY + dt.timedelta(days=2),
            [],
        )
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ConfirmModal), pilot)
        await pilot.press("y")
        await wait_for(lambda: not isinstance(app.screen, AgreementDetail | ConfirmModal), pilot)
    saved = log.require(Agreement, uid)
    assert (saved.text, saved.due) == ("Send the offer today", dt.date(2026, 11, 1))
    assert [(m.from_due, m.to_due) for m in saved.due_moves] == [
        (dt.date(2026, 11, 22), dt.date(2026, 11, 1))
    ]


async def test_bad_due_is_shown_beside_it_and_kept(log: Workspace) -> None:
    uid = the_agreement(log).uid
    app = ScreenHarness(log, lambda: AgreementDetail(uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab")
        await replace(pilot, "someday")
        await pilot.press("shift+tab", "shift+tab", "end", "ctrl+u")  # an empty text too
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgreementDetail)
        assert "someday" in str(app.screen.query_one("#err-due", Static).render())
        assert app.screen.query_one("#f-due", Input).value == "someday"
        assert app.focused is app.screen.query_one("#f-due", Input)
    saved = log.require(Agreement, uid)
    assert (saved.text, saved.due_moves) == ("Send the offer", [])


async def test_esc_keeps_the_changes_as_a_draft_and_f8_clears_it(log: Workspace) -> None:
    uid = the_agreement(log).uid
    app = ScreenHarness(log, lambda: AgreementDetail(uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, " by Friday")
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, AgreementDetail), pilot)
        assert log.require(Agreement, uid).text == "Send the offer"
        app.push_screen(AgreementDetail(uid))
        await wait_for(lambda: isinstance(app.screen, AgreementDetail), pilot)
        await pilot.pause()
        text = app.screen.query_one("#f-text", Input)
        assert text.value == "Send the offer by Friday"
        assert "draft restored" in str(app.screen.query_one("#detail").border_subtitle)
        await pilot.press("f8")
        await pilot.pause()
        assert text.value == "Send the offer"
        assert not app.screen.query_one("#detail").border_subtitle
        await pilot.press("escape")  # nothing changed now: no draft
        await wait_for(lambda: not isinstance(app.screen, AgreementDetail), pilot)
        app.push_screen(AgreementDetail(uid))
        await wait_for(lambda: isinstance(app.screen, AgreementDetail), pilot)
        await pilot.pause()
        assert app.screen.query_one("#f-text", Input).value == "Send the offer"
    assert log.require(Agreement, uid).text == "Send the offer"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_edited_dialog_snapshot(size: tuple[int, int], log: Workspace, snap_compare: Any) -> None:
    """Two moves in the history, an owner being typed: the save hint stays in view."""
    from pulsetui.service.agreement_edits import edit_agreement

    uid = the_agreement(log).uid
    log.set_agreement_status(uid, "done")
    log.set_agreement_status(uid, "open", "the client asked for more")
    edit_agreement(log, uid, due=dt.date(2026, 11, 27))
    edit_agreement(log, uid, due=dt.date(2026, 12, 4), text="Send the offer and the plan")
    app = ScreenHarness(log, lambda: AgreementDetail(uid))

    async def edit(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("tab")
        await replace(pilot, "Hanna")
        await pilot.press("tab")
        await replace(pilot, "next fri")
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=edit)


async def test_a_reason_without_a_status_is_not_dropped(log: Workspace) -> None:
    uid = the_agreement(log).uid
    app = ScreenHarness(log, lambda: AgreementDetail(uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#f-reason", Input).focus()
        await type_text(pilot, "The client moved the launch")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AgreementDetail)
        assert "choose the new status" in str(app.screen.query_one("#err-status", Static).render())
        assert app.screen.query_one("#f-reason", Input).value == "The client moved the launch"
    assert [h.status.value for h in log.require(Agreement, uid).history] == ["open"]


async def test_a_new_agreement_with_a_due_date_a_year_out_is_asked_about_first(
    log: Workspace,
) -> None:
    """The new-agreement form asks the same question before saving an unlikely due
    date: "Back to it" writes nothing and keeps what was typed, Save saves it."""
    from pulsetui.tui.screens.agreement_modal import AgreementModal

    client = log.list(Client)[0].uid
    before = {a.uid for a in log.list(Agreement)}
    app = ScreenHarness(log, lambda: AgreementModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "Renew the frame contract")
        form.set_focus(form.query_one("#f-due", Input))
        await type_text(pilot, "2028-01-15")
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ConfirmModal), pilot)
        assert "more than a year ahead" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await wait_for(lambda: app.screen is form, pilot)
        assert app.focused is form.query_one("#f-due", Input)
        assert form.query_one("#f-text", Input).value == "Renew the frame contract"
        assert "not saved" in str(form.query_one("#err-due", Static).render())
        assert {a.uid for a in log.list(Agreement)} == before
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ConfirmModal), pilot)
        await pilot.press("y")
        await wait_for(
            lambda: app.screen is not form and not isinstance(app.screen, ConfirmModal), pilot
        )
    [new] = [a for a in log.list(Agreement) if a.uid not in before]
    assert (new.text, new.due) == ("Renew the frame contract", dt.date(2028, 1, 15))
