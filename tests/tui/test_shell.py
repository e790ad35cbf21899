"""Pilot tests of the app shell and its screens: Today, NPS modal, eNPS screen, help,
command palette, call mode, conflict modal, literal text. Each asserts on what the
screen shows and on the store afterwards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import handled, palette_answered, settle, wait_for
from textual import events
from textual.widgets import DataTable, Input, Label, Static

from pulsetui.domain.models import Client, NpsResponse
from pulsetui.service.config import Config
from pulsetui.service.enps_rounds import answer_rules, open_round
from pulsetui.service.insights.enps import latest_enps, latest_reportable_enps
from pulsetui.service.insights.flags import red_flags
from pulsetui.service.views.today import agreements_due_of, pulse_due_of
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.conflict import ConflictModal
from pulsetui.tui.screens.enps import EnpsApp
from pulsetui.tui.screens.help import HelpScreen
from pulsetui.tui.screens.nps_modal import NpsModal
from pulsetui.tui.screens.today import TodayScreen


def _plain(renderable: Any) -> str:
    console = Console(width=400, color_system=None, file=None, record=True)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def screen_text(app: Any) -> str:
    """Everything the current screen shows in labels, statics, tables and inputs."""
    parts = []
    for widget in app.screen.query("*"):
        if not widget.display:
            continue
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.append(" | ".join(_plain(c).strip() for c in widget.get_row_at(row)))
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, Static | Label):
            parts.append(_plain(widget.render()))
    return "\n".join(parts)


# ---- Today ------------------------------------------------------------------------------


async def test_today_lists_what_is_due_and_opens_a_record(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        text = screen_text(app)
        assert "NPS" in text and "n=" in text
        for agreement in tui_ws.agreements_due([c.uid for c in tui_ws.my_clients()]):
            assert agreement.text[:10] in text
        # each thing due has its one row: pulses, meetings; each red flag one row
        rows = set(_row_keys(app.screen.query_one(DataTable)))
        for person in tui_ws.my_consultants():
            if tui_ws.pulse_due(person.uid).needs_action:
                assert f"consultant:{person.uid}" in rows
        for client in tui_ws.my_clients():
            if tui_ws.meeting_due(client.uid).needs_action:
                assert f"client:{client.uid}" in rows
        for flag in red_flags(tui_ws):
            row = app.screen.row_for_flag(flag.key)
            assert row is not None and f"{row.kind}:{row.uid}" in rows
        assert len(rows) == len(app.screen.query_one(DataTable).rows)  # none twice
        # one row per person or client: no "Pulse overdue" flag beside a "Pulse due" row
        about = [k for k in rows if k.split(":")[0] in ("client", "consultant")]
        listed = app.screen.query_one(DataTable)
        whats = [_plain(listed.get_row(k)[2]) for k in about]
        assert not any(w.startswith("Client meeting overdue") for w in whats)
        # Enter on the first meeting row opens that client in the Clients section
        table = app.screen.query_one(DataTable)
        keys = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]
        first = next(i for i, key in enumerate(keys) if key and key.startswith("client:"))
        table.move_cursor(row=first)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "clients"
        opened = keys[first].split(":", 1)[1].rstrip("#")
        assert app.screen.context_client() == opened


async def test_today_enps_shows_latest_round_with_enough_answers(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    reportable = latest_reportable_enps(tui_ws)
    assert reportable is not None and not reportable.withheld and reportable.score is not None
    open_round(tui_ws, "2099-test", "+2w")
    tui_ws.add_enps(score=9, reason="great team", round="2099-test")
    tui_ws.add_enps(score=2, reason="too much overtime", round="2099-test")
    newest = latest_enps(tui_ws)
    assert newest is not None and newest.round == "2099-test" and newest.withheld
    again = latest_reportable_enps(tui_ws)
    assert again is not None and (again.round, again.score) == (reportable.round, reportable.score)
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        line = next(x for x in text.splitlines() if x.startswith("eNPS"))
        parts = line.removeprefix("eNPS ").split(" · ")
        shown = next(x for x in parts if x.startswith(f"{reportable.round}:"))
        assert f"n={reportable.n}" in shown and reportable.band in shown
        # the newer round is named as open, with its closing date and no figures
        newer = next(x for x in parts if "2099-test" in x)
        assert newer == "2099-test: open until 2026-12-04"
        assert "overtime" not in text


async def test_today_enps_never_shows_a_withheld_round(tmp_path: Path) -> None:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    try:
        open_round(ws, "2026", "+2w")
        for score in (10, 0, 3):
            ws.add_enps(score=score, reason="secret reason", round="2026")
        assert latest_reportable_enps(ws) is None
        from pulsetui.service.portfolio import finish_setup
        from pulsetui.tui.app import make_app

        finish_setup(ws, "skipped")  # Today itself, not the guided setup of a new workspace

        app = make_app(ws, sync=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            text = screen_text(app)
            line = next(x for x in text.splitlines() if "eNPS" in x)
            assert line.strip() == "eNPS 2026: open until 2026-12-04"
            assert "secret" not in text
    finally:
        ws.close(checkpoint="never")


async def test_address_a_red_flag_from_today(make_tui_app: Any, tui_ws: Workspace) -> None:
    flags = red_flags(tui_ws)
    assert flags
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        row = app.screen.row_for_flag(flags[0].key)
        assert row is not None
        table.move_cursor(row=table.get_row_index(f"{row.kind}:{row.uid}"))
        await pilot.press("x")
        await pilot.pause()
        if len(row.flags) > 1:  # a row with several flags asks which one first
            assert "Which red flag" in screen_text(app)
            labels = [label for _key, label in row.flags]
            await pilot.press(*["down"] * labels.index(dict(row.flags)[flags[0].key]), "enter")
            await pilot.pause()
        # the question names the flag and whom it is about
        assert dict(row.flags)[flags[0].key] in screen_text(app)
        assert row.who in screen_text(app)
        await pilot.press(*"called them", "enter")
        await settle(app, pilot)
        acks = tui_ws.list("flag_ack", where=lambda a: a.flag == flags[0].key)
        assert [a.note for a in acks][-1] == "called them"
        assert flags[0].key not in {f.key for f in red_flags(tui_ws)}
        assert app.screen.row_for_flag(flags[0].key) is None


def _row_keys(table: Any) -> list[str]:
    return [str(table.coordinate_to_cell_key((r, 0)).row_key.value) for r in range(table.row_count)]


async def test_pulse_flag_names_the_consultant_and_opens_them(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    flag = next(f for f in red_flags(tui_ws) if f.kind == "pulse_overdue")
    assert flag.consultant is not None
    person = tui_ws.require("consultant", flag.consultant)
    client = tui_ws.require("client", flag.client) if flag.client else None
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        row = app.screen.row_for_flag(flag.key)
        assert row is not None and (row.kind, row.uid) == ("consultant", person.uid)
        key = f"{row.kind}:{row.uid}"
        who = _plain(table.get_row_at(table.get_row_index(key))[1]).strip()
        assert who == person.name
        assert client is None or client.name not in who
        # every other flag is on the row of the client it is about (or its agreement's)
        names = {c.uid: c.name for c in tui_ws.my_clients()}
        for other in red_flags(tui_ws):
            if other.kind != "pulse_overdue" and other.client:
                found = app.screen.row_for_flag(other.key)
                assert found is not None and found.client == other.client
                cells = table.get_row_at(table.get_row_index(f"{found.kind}:{found.uid}"))
                assert _plain(cells[1]).strip().startswith(names[other.client])
        table.move_cursor(row=table.get_row_index(key))
        assert app.screen.context_consultant() == person.uid
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "consultants"
        assert app.screen.context_consultant() == person.uid


def test_today_readers_agree_with_the_workspace(tui_ws: Workspace) -> None:
    for person in tui_ws.my_consultants():
        assert pulse_due_of(tui_ws, person.uid) == tui_ws.pulse_due(person.uid)
    clients = [c.uid for c in tui_ws.my_clients()]
    fast = [doc["uid"] for _, doc in agreements_due_of(tui_ws, clients)]
    assert fast == [a.uid for a in tui_ws.agreements_due(clients)]
    assert fast


async def test_today_is_kept_and_gathered_again_only_after_a_change(
    make_tui_app: Any, tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pulsetui.tui.screens.today as today_module

    calls: list[bool] = []
    real = today_module.today_view

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(today_module, "today_view", counting)
    client = tui_ws.my_clients()[0]
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert len(calls) == 1
        before = screen_text(app)
        for key in ("c", "l", "g", "t"):  # every section, then back to Today
            await pilot.press(key)
            await settle(app, pilot)
        assert app.current_mode == "today"
        assert len(calls) == 1  # nothing changed: the lists on screen are kept
        assert screen_text(app) == before
        await pilot.press("c")
        await settle(app, pilot)
        tui_ws.add_agreement(client.uid, "Send the new ж plan", side="us", due=FROZEN_NOW.date())
        await pilot.press("t")
        await settle(app, pilot)
        assert len(calls) == 2
        assert "Send the new ж plan" in screen_text(app)


async def test_long_lists_show_a_page_and_a_more_row(tmp_path: Path) -> None:
    from pulsetui.tui.app import make_app
    from pulsetui.tui.screens.today import FIRST_ROWS

    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    try:
        acme = ws.add(Client, name="Acme Oy", manager=ws.me)
        total = FIRST_ROWS + 7
        for index in range(total):
            due = FROZEN_NOW.date() - dt.timedelta(days=index + 1)
            ws.add_agreement(acme.uid, f"Promise {index:02d}", side="us", due=due)
        app = make_app(ws, sync=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            table = app.screen.query_one(DataTable)
            keys = _row_keys(table)
            # every agreement, and Acme, whose meeting was never held
            assert f"{total + 1} need you" in screen_text(app)
            shown = [k for k in keys if k.startswith("agreement:")]
            assert len(shown) == FIRST_ROWS  # the most overdue first
            assert table.cursor_row == 0 and keys[0].startswith("agreement:")
            assert table.size.height - table.header_height >= 15  # rows seen at 80×24
            more = keys.index("more:rows")
            assert "… 8 more" in _plain(table.get_row_at(more)[1])
            table.move_cursor(row=more)
            await pilot.press("enter")
            await settle(app, pilot)
            keys = _row_keys(table)
            assert len([k for k in keys if k.startswith("agreement:")]) == total
            assert "more:rows" not in keys
            assert table.cursor_row == more  # the first row that was hidden
            assert "Promise 00" in screen_text(app)
    finally:
        ws.close(checkpoint="never")


async def test_palette_index_is_reused_until_the_store_changes(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    from pulsetui.tui.commands import build_index

    client = tui_ws.my_clients()[0]
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        first = await app.record_index.records(app)
        assert first == build_index(tui_ws)
        assert await app.record_index.records(app) is first  # reused, not built again
        tui_ws.add_agreement(client.uid, "Zebra ülevaade 🚀", side="client")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Zebra")
        await wait_for(lambda: palette_answered(app, "Zebra"), pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "agreements"
        again = await app.record_index.records(app)
        assert again is not first
        assert any(text == "Agreement: Zebra ülevaade 🚀" for text, *_ in again)


# ---- NPS modal ----------------------------------------------------------------------------


async def test_nps_modal_keeps_input_shows_errors_and_saves_ten(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    client = tui_ws.my_clients()[0]
    before = len(tui_ws.list(NpsResponse, client=client.uid))
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)  # a row about no client: the form asks
        table.move_cursor(row=[k.split(":")[0] for k in _row_keys(table)].index("consultant"))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NpsModal)
        await pilot.press(*"no such client zz", "enter")
        await pilot.pause()
        assert "no client matches" in str(app.screen.query_one("#client-error", Label).render())
        # fix the client, type contact and reason, but no score yet: error beside score
        client_input = app.screen.query_one("#client", Input)
        client_input.value = ""
        client_input.focus()
        await pilot.press(*client.name, "enter")
        await pilot.press(*"Mikko [bold]Ö[/bold]", "enter")
        app.screen.query_one("#reason", Input).value = "fast 🚀 \x1b[31m"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NpsModal)
        assert "press a digit" in str(app.screen.query_one("#score-error", Label).render())
        assert app.screen.query_one("#contact", Input).value == "Mikko [bold]Ö[/bold]"
        assert app.screen.query_one("#reason", Input).value == "fast 🚀 \x1b[31m"
        assert len(tui_ws.list(NpsResponse, client=client.uid)) == before
        app.screen.query_one("#score").focus()
        await pilot.press("1", "0", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
    answers = tui_ws.list(NpsResponse, client=client.uid)
    assert len(answers) == before + 1
    new = next(a for a in answers if a.contact == "Mikko [bold]Ö[/bold]")
    assert (new.score, new.reason, new.date) == (10, "fast 🚀 \x1b[31m", FROZEN_NOW.date())


async def test_nps_modal_escape_with_typed_text_keeps_a_draft(make_tui_app: Any) -> None:
    """Esc closes the NPS form as every form: what was typed is kept as a draft and the
    form opened again shows it."""
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#reason", Input).value = "keep me"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NpsModal)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NpsModal)
        assert app.screen.query_one("#reason", Input).value == "keep me"


async def test_nps_draft_keeps_the_score(make_tui_app: Any) -> None:
    """A score chosen is part of what was typed: the draft brings it back too."""
    from pulsetui.tui.widgets.score_field import ScoreField

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        app.screen.query_one("#score", ScoreField).value = 9
        app.screen.query_one("#reason", Input).value = "quick fixes"
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, NpsModal)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NpsModal)
        assert app.screen.query_one("#score", ScoreField).value == 9
        assert app.screen.query_one("#reason", Input).value == "quick fixes"


# ---- eNPS ---------------------------------------------------------------------------------


async def test_enps_screen_is_anonymous_and_saves(tui_ws: Workspace) -> None:
    before = tui_ws.count("enps")
    open_round(tui_ws, "2026-test", "2026-11-30")
    app = EnpsApp(tui_ws, round="2026-test")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "anonymous" in screen_text(app).lower()
        rules = answer_rules(tui_ws)
        assert "at least 5 people" in rules and "on 2026-12-02" in rules
        assert rules.split(".")[0] in " ".join(screen_text(app).split())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "press a digit" in screen_text(app)
        assert tui_ws.count("enps") == before
        # in one burst, as a fast typist or a paste delivers it: the keys behind the Tab
        # land in the reason
        for key in ("1", "0", "tab", *"kind people"):
            app.post_message(events.Key(key, None if key == "tab" else key))
        await handled(app)
        await pilot.press("enter")
        # the whole thank-you is on screen at 80 columns, wrapped, not cut
        await wait_for(lambda: "Press Esc to leave." in " ".join(screen_text(app).split()), pilot)
    assert tui_ws.count("enps") == before + 1
    saved = [d for d in tui_ws.docs("enps") if d.get("round") == "2026-test"]
    assert [(d["score"], d["reason"]) for d in saved] == [(10, "kind people")]
    assert tui_ws.me_name not in str(saved)


# ---- help, palette, call mode -------------------------------------------------------------


async def test_help_shows_screen_text_and_keys(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "What needs you today" in text
        for key_text in ("Help", "NPS", "Call mode", "Addressed", "Consultants"):
            assert key_text in text
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_palette_jumps_to_a_client(make_tui_app: Any, tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[-1]
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*f"client {client.name}")
        await wait_for(lambda: palette_answered(app, f"client {client.name}"), pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "clients"
        assert app.screen.context_client() == client.uid


async def test_palette_runs_new_nps_action(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new NPS")
        await wait_for(lambda: palette_answered(app, "new NPS"), pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NpsModal)


async def test_call_mode_hides_internal_data(make_tui_app: Any, tui_ws: Workspace) -> None:
    consultants = [c.name for c in tui_ws.my_consultants()]
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        before = screen_text(app)
        assert "eNPS" in before
        assert any(name in before for name in consultants)
        # put the cursor on a client row, then share the screen
        table = app.screen.query_one(DataTable)
        keys = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]
        row = next(i for i, key in enumerate(keys) if key and key.startswith("client:"))
        table.move_cursor(row=row)
        client_uid = keys[row].split(":", 1)[1].rstrip("#")
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.call_mode is True
        during = screen_text(app)
        assert "CALL MODE" in during
        assert "eNPS" not in during
        assert not any(name in during for name in consultants)
        others = [c.name for c in tui_ws.my_clients() if c.uid != client_uid]
        assert not any(name in during for name in others)
        internal = [f.reason for f in red_flags(tui_ws, client=client_uid) if f.internal]
        assert not any(reason[:30] in during for reason in internal)
        await pilot.press("f2")  # asks: call mode ends only when the key is pressed again
        await settle(app, pilot)
        assert app.call_mode is True
        await pilot.press("f2")
        await settle(app, pilot)
        assert "eNPS" in screen_text(app)


# ---- literal text, conflicts --------------------------------------------------------------


async def test_store_text_is_shown_literally(make_tui_app: Any, tui_ws: Workspace) -> None:
    me = tui_ws.me
    client = tui_ws.add(Client, name="[bold]Evil[/bold] \x1b[31mRed 🚀", manager=me)
    tui_ws.add_agreement(client.uid, "[link=x]click[/link] ж õ", side="us", due=FROZEN_NOW.date())
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "[bold]Evil[/bold] ␛[31mRed 🚀" in text
        assert "[link=x]click[/link] ж õ" in text


def _replica_pair(tmp_path: Path) -> tuple[Workspace, Workspace, str]:
    """Two replicas of one client whose notes were edited on both at once."""
    mine = Workspace.open(
        tmp_path / "mine", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    theirs = Workspace.open(
        tmp_path / "theirs", me="Bo Berg", config=Config(), clock=lambda: FROZEN_NOW
    )
    sent: list[dict[str, Any]] = []
    mine.store.listeners.append(sent.extend)
    client = mine.add(Client, name="Acme Oy", manager=mine.me, notes="start")
    theirs.store.ingest(list(sent))
    back: list[dict[str, Any]] = []
    theirs.store.listeners.append(back.extend)
    theirs.update(Client, client.uid, notes="theirs: budget is fixed")
    mine.update(Client, client.uid, notes="mine: budget may grow")
    mine.store.ingest(list(back))
    theirs.close(checkpoint="never")
    return mine, theirs, client.uid


@pytest.mark.parametrize(
    ("key", "expected"), [("m", "mine: budget may grow"), ("t", "theirs: budget is fixed")]
)
async def test_conflict_modal_keeps_one_side(tmp_path: Path, key: str, expected: str) -> None:
    from pulsetui.tui.app import make_app

    ws, _, uid = _replica_pair(tmp_path)
    try:
        assert set(ws.conflicts("client", uid)) == {"notes"}
        app = make_app(ws, sync=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert "Conflict: client" in screen_text(app)
            table = app.screen.query_one(DataTable)
            table.move_cursor(row=table.get_row_index(f"conflict:client/{uid}"))
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConflictModal)
            shown = screen_text(app)
            assert "mine: budget may grow" in shown and "theirs: budget is fixed" in shown
            await pilot.press(key)
            await settle(app, pilot)
            assert not isinstance(app.screen, ConflictModal)
        assert ws.conflicts("client", uid) == {}
        assert ws.require(Client, uid).notes == expected
    finally:
        ws.close(checkpoint="never")


async def test_conflict_modal_edit_merged(tmp_path: Path) -> None:
    from pulsetui.tui.app import make_app

    ws, _, uid = _replica_pair(tmp_path)
    try:
        app = make_app(ws, sync=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            app.push_screen(ConflictModal("client", uid))
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            area = app.screen.query_one("#merged")
            assert "mine: budget may grow" in area.text and "theirs: budget is fixed" in area.text
            area.load_text("agreed: fixed budget, growth from Q2")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert ws.conflicts("client", uid) == {}
        assert ws.require(Client, uid).notes == "agreed: fixed budget, growth from Q2"
    finally:
        ws.close(checkpoint="never")


def test_describe_sync_states() -> None:
    from pulsetui.sync.engine import SyncStatus
    from pulsetui.tui.app import describe_sync

    assert describe_sync(SyncStatus(None, 0, (), False)) == "sync: never synced, 0 pending"
    stamp = dt.datetime(2026, 11, 20, 10, 5, 7)
    assert describe_sync(SyncStatus(stamp, 3, ("bad file",), False)) == (
        "sync: synced 10:05:07, 3 pending, 1 problem"
    )


async def test_no_color_marks_the_selected_row_without_colour(
    make_tui_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_tui_app()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "j")
        await settle(app, pilot)
        marks = [_plain(table.get_row_at(r)[0]).strip() for r in range(table.row_count)]
        assert marks.count("▶") == 1 and marks.index("▶") == table.cursor_row == 2


async def test_nps_score_field_says_why_eleven_and_letters_are_refused(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    from pulsetui.tui.widgets.score_field import ScoreField

    client = tui_ws.my_clients()[0]
    before = len(tui_ws.list(NpsResponse, client=client.uid))
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        field = app.screen.query_one("#score", ScoreField)
        field.focus()
        await pilot.press("1", "1")
        await pilot.pause()
        assert field.value == 1
        assert "11 is above 10" in str(field.render())
        await pilot.press("x")
        await pilot.pause()
        assert field.value == 1 and "'x' is not a score" in str(field.render())
        await pilot.press("7")
        await pilot.pause()
        assert field.value == 7 and "not a score" not in str(field.render())
        client_input = app.screen.query_one("#client", Input)
        client_input.value = client.name
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    scores = [a.score for a in tui_ws.list(NpsResponse, client=client.uid)]
    assert len(scores) == before + 1 and scores.count(7) >= 1


async def test_a_row_with_several_flags_asks_which_was_addressed(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        row = next(r for r in screen.attention if len(r.flags) > 1)
        key, label = row.flags[1]
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(f"{row.kind}:{row.uid}"))
        await pilot.press("x")
        await pilot.pause()
        assert f"Which red flag about {row.who}" in screen_text(app)
        await pilot.press(*label, "enter")  # typed: the list narrows to it
        await pilot.pause()
        assert f"Addressed: {label} — {row.who}" in screen_text(app)
        await pilot.press(*"Paid in full ä ж 🚀", "enter")
        await settle(app, pilot)
        acks = tui_ws.list("flag_ack", where=lambda a: a.flag == key)
        assert [a.note for a in acks] == ["Paid in full ä ж 🚀"]
        again = screen.row_for_flag(row.flags[0][0])
        assert again is not None and key not in dict(again.flags)


async def test_the_addressed_dialogs_name_client_and_flag_and_show_their_keys_at_60x20(
    make_tui_app: Any,
) -> None:
    """On a narrow terminal the picker's question wraps instead of being cut, its keys
    stay in view; the note's question names the whole flag and the client, and its keys."""
    from textual.containers import Vertical

    app = make_tui_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        row = next(r for r in screen.attention if len(r.flags) > 1)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(f"{row.kind}:{row.uid}"))
        await pilot.press("x")
        await pilot.pause()
        box = app.screen.query_one(Vertical)
        for part in ("#picker-prompt", "#picker-keys"):
            assert box.content_region.contains_region(app.screen.query_one(part).region)
        assert "Enter picks" in screen_text(app)
        long_label = max((label for _key, label in row.flags), key=len)
        assert len(long_label) > 40
        await pilot.press(*long_label, "enter")
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert f"Addressed: {long_label} — {row.who}." in shown
        assert "Enter saves" in shown and "Esc closes" in shown


async def test_the_header_names_the_screen_and_its_icon_opens_the_palette(
    make_tui_app: Any,
) -> None:
    """The top line: the icon at the left, the section and the manager signed in; a click
    on the icon opens the command palette (a click on the title does not)."""
    from textual.command import CommandPalette

    from pulsetui.tui.widgets.screen_header import ScreenHeader

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        header = app.screen.query_one(ScreenHeader)
        line = header.render_line(0).text
        assert line.startswith(" ⭘ ") and "Today — " in line and len(line) == 80
        await pilot.click(ScreenHeader, offset=(40, 0))
        await settle(app, pilot)
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(ScreenHeader, offset=(1, 0))
        await wait_for(lambda: isinstance(app.screen, CommandPalette), pilot)
