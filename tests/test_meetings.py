"""Holding a meeting: the planned meeting is used, nothing is written before the meeting
has content, duplicate topics share the fate of the one settled, the next meeting is
proposed by the cadence — and the command line holds a meeting exactly as the app does."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.small_firm import DAY, NOW, TODAY, Firm, build_firm, firm_in, open_firm

from pulsetui.cli.main import cli
from pulsetui.domain.enums import AgendaStatus, MeetingStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import AgendaItem, ClientMeeting
from pulsetui.service.meetings import (
    capture_agreement,
    drop_topic,
    end_meeting,
    on_agenda,
    plan_next_meeting,
    record,
    save_notes,
    start_meeting,
    tick_topic,
)
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.meeting import AgendaTopic, meeting_view
from pulsetui.service.workspace import Workspace


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def topics(ws: Workspace, client: str, meeting: str | None) -> list[AgendaTopic]:
    view = meeting_view(ws, Audience.manager(ws.me), client, meeting)
    assert view is not None
    return list(view.topics)


def meetings(ws: Workspace, client: str) -> list[ClientMeeting]:
    return ws.list(ClientMeeting, client=client)


def test_the_planned_meeting_is_used_instead_of_adding_another(firm: Firm) -> None:
    ws = firm.ws
    draft = start_meeting(ws, firm.acme)
    assert draft.meeting == firm.next_meeting
    tick_topic(ws, draft, topics(ws, firm.acme, draft.meeting)[0])
    assert [m.uid for m in meetings(ws, firm.acme)] == [firm.next_meeting]
    # one due today (or overdue) comes before a later one
    due = ws.plan_meeting(firm.acme, TODAY - 2 * DAY)
    assert start_meeting(ws, firm.acme).meeting == due.uid
    assert start_meeting(ws, firm.acme, meeting=firm.next_meeting).meeting == firm.next_meeting


def test_a_meeting_without_content_writes_nothing(firm: Firm) -> None:
    ws = firm.ws
    draft = start_meeting(ws, firm.bolt)
    assert not draft.written
    assert not save_notes(ws, draft, "   ")
    with pytest.raises(InvalidInput):
        capture_agreement(ws, draft, "", "us")  # refused before anything is written
    with pytest.raises(InvalidInput):
        capture_agreement(ws, draft, "Send it", "nobody")
    assert meetings(ws, firm.bolt) == []
    assert save_notes(ws, draft, "First note")
    [written] = meetings(ws, firm.bolt)
    assert (written.date, written.status, written.notes) == (
        TODAY,
        MeetingStatus.PLANNED,
        "First note",
    )
    assert draft.meeting == written.uid and draft.notes == "First note"
    assert not save_notes(ws, draft, "First note")  # nothing new


def test_an_agreement_is_the_meetings_first_content(firm: Firm) -> None:
    ws = firm.ws
    draft = start_meeting(ws, firm.bolt)
    agreement = capture_agreement(ws, draft, "Send the offer", "us", owner="Anna", due=TODAY)
    [written] = meetings(ws, firm.bolt)
    assert agreement.meeting == written.uid == draft.meeting


def test_the_record_is_written_once_when_two_saves_race(firm: Firm) -> None:
    ws = firm.ws
    draft = start_meeting(ws, firm.bolt)
    start = threading.Barrier(4)
    found: list[str] = []

    def write() -> None:
        start.wait()
        found.append(record(ws, draft))

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1 and len(meetings(ws, firm.bolt)) == 1


def test_ticking_twice_opens_the_topic_again(firm: Firm) -> None:
    ws = firm.ws
    draft = start_meeting(ws, firm.acme)
    tick_topic(ws, draft, topics(ws, firm.acme, draft.meeting)[0])
    ticked = topics(ws, firm.acme, draft.meeting)[0]
    assert (ticked.status, ticked.items[0].meeting) == ("discussed", draft.meeting)
    tick_topic(ws, draft, ticked)
    again = topics(ws, firm.acme, draft.meeting)[0]
    assert (again.status, again.items[0].meeting) == ("open", None)


def test_ending_settles_duplicates_holds_today_and_proposes_the_next(firm: Firm) -> None:
    ws = firm.ws
    draft = start_meeting(ws, firm.bolt)
    tick_topic(ws, draft, topics(ws, firm.bolt, None)[0])
    ws.add("agenda", client=firm.bolt, text="BOLT  topic", added_at=NOW)  # synced in late
    end = end_meeting(ws, draft, notes="Went well")
    held = ws.require(ClientMeeting, end.meeting)
    assert (held.status, held.date, held.notes) == (MeetingStatus.HELD, TODAY, "Went well")
    items = ws.list(AgendaItem, client=firm.bolt)
    assert {(i.status, i.meeting) for i in items} == {(AgendaStatus.DISCUSSED, end.meeting)}
    assert (end.next_date, end.next_planned) == (TODAY + 91 * DAY, None)  # quarterly
    planned = plan_next_meeting(ws, end, TODAY + 30 * DAY)
    assert ws.require(ClientMeeting, planned.next_planned or "").date == TODAY + 30 * DAY
    with pytest.raises(InvalidInput, match="after today"):
        plan_next_meeting(ws, end, TODAY)
    # a planned next meeting is proposed as it is, and moved rather than doubled
    again = end_meeting(ws, start_meeting(ws, firm.bolt, meeting=end.meeting))
    assert (again.next_date, again.next_planned) == (TODAY + 30 * DAY, planned.next_planned)
    assert again.held_on == TODAY  # an ended meeting ended again keeps its day
    plan_next_meeting(ws, again, TODAY + 40 * DAY)
    upcoming = [m for m in meetings(ws, firm.bolt) if m.status == MeetingStatus.PLANNED]
    assert [m.date for m in upcoming] == [TODAY + 40 * DAY]


# ---- the command line holds a meeting as the app does ---------------------------------


def cli_run(home: Path, *args: str) -> str:
    result = CliRunner(env={"PULSETUI_NOW": NOW.isoformat()}).invoke(
        cli, ["--home", str(home), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def records_of(home: Path) -> dict[str, Any]:
    ws = open_firm(home)
    try:
        return ws.export_state()
    finally:
        ws.close(checkpoint="never")


def test_the_command_line_and_the_app_give_the_same_records(tmp_path: Path) -> None:
    home = tmp_path / "firm"
    ws = open_firm(home)
    firm = build_firm(ws)
    ws.add("agenda", client=firm.acme, text="invoice DELAYS", added_at=NOW - DAY)
    invoice, roadmap = sorted(ws.agenda_of(firm.acme), key=lambda i: i.added_at)[:2]
    ws.close()
    by_cli = tmp_path / "by-cli"
    shutil.copytree(home, by_cli)

    # the app's way: the topics on screen, ticked and dropped, then the meeting ended
    ws = open_firm(home)
    try:
        draft = start_meeting(ws, firm.acme)
        shown = {t.text: t for t in topics(ws, firm.acme, draft.meeting)}
        tick_topic(ws, draft, shown["Invoice delays"])
        drop_topic(ws, draft, shown["Roadmap 2027"])
        end_meeting(ws, draft, notes="Went well")
    finally:
        ws.close()

    # the command line's way: one copy of the topic ticked, the other dropped, held
    meeting = firm.next_meeting
    cli_run(by_cli, "agenda", "tick", invoice.uid, "--meeting", meeting)
    cli_run(by_cli, "agenda", "drop", roadmap.uid, "--meeting", meeting)
    out = cli_run(by_cli, "meeting", "hold", meeting, "--notes", "Went well")
    assert "next meeting: 2026-12-20 (proposed by the cadence)" in out

    app, command_line = records_of(home), records_of(by_cli)
    assert app == command_line
    held = [m for m in app["records"]["meeting"] if m["uid"] == meeting]
    assert held[0]["status"] == "held" and held[0]["date"] == TODAY.isoformat()
    ticked = [a for a in app["records"]["agenda"] if "invoice" in a["text"].casefold()]
    assert {(a["status"], a["meeting"]) for a in ticked} == {("discussed", meeting)}


def test_a_topic_is_on_the_agenda_in_any_case_or_spacing(firm: Firm) -> None:
    ws = firm.ws
    assert on_agenda(ws, firm.acme, "  roadmap   2027 ")
    assert not on_agenda(ws, firm.bolt, "Roadmap 2027")  # another client's backlog
    invoice = sorted(ws.agenda_of(firm.acme), key=lambda i: i.added_at)[0]
    ws.mark_agenda(invoice.uid, AgendaStatus.DISCUSSED)
    assert not on_agenda(ws, firm.acme, "Invoice delays")  # settled: may be added again
