"""Calendar output through icalendar: the agenda sent ahead with an invite for one
meeting only, read back by icalendar and vobject; the right instant for a time typed
in Helsinki (summer and winter); the revision rising when the meeting changes; a
cancellation; attendees as people of their own; the schedule export per client; the
time zone configured or the system's."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from click.testing import CliRunner, Result

from conftest import FROZEN_NOW
from pulsetui.cli.main import cli
from pulsetui.service.config import Config, load_config
from pulsetui.service.timezones import system_zone
from pulsetui.service.workspace import Workspace

UTC = dt.UTC
LIISA = "Mäkinen, Liisa"


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _helsinki(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    Path(os.environ["PULSETUI_CONFIG"]).write_text(
        '[calendar]\ntimezone = "Europe/Helsinki"\n', encoding="utf-8"
    )
    monkeypatch.setenv("TZ", "America/New_York")  # the configured zone wins


@pytest.fixture
def firm(home: Path) -> dict[str, str]:
    with Workspace.open(home, me="Õie Kask", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        ws.update("manager", ws.me, email="oie.kask@example.ee")
        contacts = [
            {"name": LIISA, "email": "liisa@example.fi", "role": "CTO", "decision_maker": True},
            {"name": "Иван Петров", "role": "PO"},
        ]
        client = ws.add("client", name="Mäkinen Oy", manager=ws.me, contacts=contacts).uid
        other = ws.add("client", name="Other Oy", manager=ws.me).uid
        held = ws.plan_meeting(client, dt.date(2026, 11, 10), time="10:00")
        old = ws.add_agenda_item(client, "Release calendar")
        ws.store.edit("agenda", old.uid).set("added_at", "2026-11-09T09:00:00").commit()
        ws.hold_meeting(held.uid)
        ws.add_agenda_item(client, "Budget for Q1 <b>&copy;</b>")
        ws.add_agenda_item(client, "  budget for q1 <B>&copy;</B> ")  # the same topic again
        meeting = ws.plan_meeting(
            client, dt.date(2026, 11, 24), time="10:30", duration_min=45, attendees=["Mia"]
        )
        ws.plan_meeting(other, dt.date(2026, 11, 24), time="10:30")
        ws.add_agreement(client, "Send test data", "client", owner=LIISA, due=dt.date(2026, 11, 18))
        ws.add_agreement(client, "Ship the login", "us", owner="Mia", due=dt.date(2026, 11, 30))
        return {"client": client, "meeting": meeting.uid, "other": other}


def send(home: Path, out: Path, *extra: str) -> tuple[Path, Path]:
    out.mkdir(exist_ok=True)
    before = set(out.iterdir())
    result = run(home, "agenda", "send", "--client", "mäkinen", "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    new = sorted(set(out.iterdir()) - before)
    assert [p.suffix for p in new] == [".ics", ".md"], new
    assert str(new[0]) in result.stdout and str(new[1]) in result.stdout
    return new[1], new[0]


def event_of(data: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return event


def test_the_invite_is_for_that_meeting_only_at_the_right_instant(
    home: Path, firm: dict[str, str], tmp_path: Path
) -> None:
    markdown, invite = send(home, tmp_path / "out")
    data = invite.read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Helsinki"
    event = event_of(data)
    assert str(event["UID"]) == f"{firm['meeting']}@pulsetui"
    start = event.decoded("DTSTART")
    assert start.astimezone(UTC) == dt.datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=45)
    assert b"DTSTART;TZID=Europe/Helsinki:20261124T103000" in data
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    attendees = {str(a.params["CN"]): str(a) for a in event.get("ATTENDEE")}
    assert attendees[LIISA] == "mailto:liisa@example.fi"  # one person, not two
    assert set(attendees) == {"Mia", LIISA, "Иван Петров"}
    assert str(event["ORGANIZER"]) == "mailto:oie.kask@example.ee"
    description = str(event["DESCRIPTION"])
    assert description.count("Budget for Q1") + description.count("budget for q1") == 1
    assert "Release calendar" in description

    card = vobject.readOne(data.decode("utf-8"))
    (vevent,) = card.vevent_list
    assert vevent.dtstart.value.astimezone(UTC) == dt.datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    names = sorted(a.params["CN"][0] for a in vevent.attendee_list)
    assert names == sorted(["Mia", LIISA, "Иван Петров"])
    assert vevent.uid.value == f"{firm['meeting']}@pulsetui"

    text = markdown.read_text(encoding="utf-8")
    assert "Meeting on 2026-11-24 10:30–11:15 (Europe/Helsinki)." in text
    assert "## Carried over (open since the meeting of 2026-11-10)" in text
    assert "- Release calendar" in text
    assert text.count("udget for ") == 1
    assert "| Send test data | you, Mäkinen, Liisa | 2026-11-18 (overdue) |" in text
    assert "| Ship the login | us, Mia | 2026-11-30 |" in text


def test_a_change_raises_the_revision_and_a_cancellation_cancels(
    home: Path, firm: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _, first = send(home, out)
    assert run(home, "meeting", "set", firm["meeting"], "--time", "11:00").exit_code == 0
    _, second = send(home, out)
    assert first.read_bytes() != second.read_bytes() and first.exists()  # never written over
    assert "(2)" in second.name
    one, two = event_of(first.read_bytes()), event_of(second.read_bytes())
    assert int(two["SEQUENCE"]) > int(one["SEQUENCE"])
    assert two.decoded("DTSTART").astimezone(UTC) == dt.datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    notes = run(home, "meeting", "set", firm["meeting"], "--notes", "bring the budget")
    assert notes.exit_code == 0
    _, third = send(home, out)
    assert int(event_of(third.read_bytes())["SEQUENCE"]) == int(two["SEQUENCE"])  # notes only

    assert run(home, "meeting", "set", firm["meeting"], "--status", "cancelled").exit_code == 0
    markdown, cancel = send(home, out, "--meeting", "2026-11-24")
    data = cancel.read_bytes()
    assert str(icalendar.Calendar.from_ical(data)["METHOD"]) == "CANCEL"
    event = event_of(data)
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) > int(two["SEQUENCE"])
    assert "is cancelled" in markdown.read_text(encoding="utf-8")


def test_a_reminder_and_summer_time(home: Path, firm: dict[str, str], tmp_path: Path) -> None:
    with Workspace.open(home, config=load_config(), clock=lambda: FROZEN_NOW) as ws:
        summer = ws.plan_meeting(firm["client"], dt.date(2027, 7, 6), time="10:30").uid
    _, invite = send(home, tmp_path / "out", "--meeting", summer, "--reminder", "15")
    event = event_of(invite.read_bytes())
    assert event.decoded("DTSTART").astimezone(UTC) == dt.datetime(2027, 7, 6, 7, 30, tzinfo=UTC)
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(minutes=-15)
    assert str(alarm["ACTION"]) == "DISPLAY"
    _, plain = send(home, tmp_path / "out")
    assert not event_of(plain.read_bytes()).walk("VALARM")


def test_what_cannot_be_sent(home: Path, firm: dict[str, str], tmp_path: Path) -> None:
    held = run(home, "agenda", "send", "--client", "mäkinen", "--meeting", "2026-11-10")
    assert held.exit_code == 2 and "invalid meeting: the meeting of 2026-11-10 was held" in (
        held.stderr
    )
    none = run(home, "agenda", "send", "--client", "Other", "--meeting", "2027-01-01")
    assert none.exit_code == 2 and "invalid meeting" in none.stderr
    notafolder = tmp_path / "file"
    notafolder.write_text("x")
    bad = run(home, "agenda", "send", "--client", "mäkinen", "--out", str(notafolder))
    assert bad.exit_code == 2 and "'--out'" in bad.stderr and "is a file" in bad.stderr
    with Workspace.open(home, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        quiet = ws.add("client", name="Quiet Oy", manager=ws.me).uid
        assert quiet
    nothing = run(home, "agenda", "send", "--client", "quiet")
    assert nothing.exit_code == 2 and "no planned meeting ahead" in nothing.stderr


def test_the_schedule_of_one_client(home: Path, firm: dict[str, str]) -> None:
    result = run(home, "export", "--format", "ics", "--client", "mäkinen")
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    assert str(calendar["METHOD"]) == "PUBLISH"
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == 2 and f"{firm['meeting']}@pulsetui" in uids
    everyone = icalendar.Calendar.from_ical(run(home, "export", "--format", "ics").stdout_bytes)
    assert len(everyone.walk("VEVENT")) == 3
    wrong = run(home, "export", "--format", "csv", "--client", "mäkinen")
    assert wrong.exit_code == 2 and "invalid client" in wrong.stderr


def test_the_schedule_counts_revisions_as_it_reads_the_journal(
    home: Path, firm: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With many meetings the schedule reads every change of a meeting in the journal:
    each is counted as it is read and none is kept (a firm's history of meetings is
    never held), and each meeting still carries its own revision."""
    from pulsetui.store.journal import Journal

    with Workspace.open(home, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        planned = [
            ws.plan_meeting(
                firm["other"], dt.date(2026, 12, 1) + dt.timedelta(days=n), time="09:00"
            )
            for n in range(20)
        ]
        for n, meeting in enumerate(planned[:3]):
            for minute in range(n + 1):  # moved n + 1 times
                ws.update("meeting", meeting.uid, time=f"10:{minute:02d}")
        ws.update("meeting", planned[3].uid, notes="notes are no revision")
    held: list[int] = []  # how many changes each read of the journal returned
    real_read_tail = Journal.read_tail

    def spied(journal: Journal, *args: Any, **kwargs: Any) -> Any:
        ops, cursor = real_read_tail(journal, *args, **kwargs)
        held.append(len(ops))
        return ops, cursor

    monkeypatch.setattr(Journal, "read_tail", spied)
    result = run(home, "export", "--format", "ics", "--client", "other")
    assert result.exit_code == 0, result.output
    assert held == [0]
    events = icalendar.Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
    sequence = {str(e["UID"]).removesuffix("@pulsetui"): int(e["SEQUENCE"]) for e in events}
    assert len(sequence) == 21
    assert [sequence[m.uid] for m in planned[:5]] == [1, 2, 3, 0, 0]


def test_a_wrong_time_zone_in_the_config_is_named(home: Path) -> None:
    Path(os.environ["PULSETUI_CONFIG"]).write_text('[calendar]\ntimezone = "Mars/Olympus"\n')
    result = run(home, "export", "--format", "ics")
    assert result.exit_code == 2
    assert "calendar.timezone" in result.stderr and "Mars/Olympus" in result.stderr


def test_the_system_zone_is_found_portably(tmp_path: Path) -> None:
    assert system_zone({"TZ": ":Europe/Tallinn"}).name == "Europe/Tallinn"
    assert system_zone({"TZ": "Europe/Moscow"}).source == "TZ"
    link = tmp_path / "localtime"
    link.symlink_to("/var/db/timezone/zoneinfo/Europe/Helsinki")  # macOS's layout
    missing = tmp_path / "no-timezone"
    found = system_zone({"TZ": "EET-2EEST"}, localtime=link, timezone_file=missing)
    assert (found.name, found.source) == ("Europe/Helsinki", str(link))
    debian = tmp_path / "timezone"
    debian.write_text("Europe/Riga\n")
    plain = tmp_path / "plain-file"
    plain.write_bytes(b"TZif")
    assert system_zone({}, localtime=plain, timezone_file=debian).name == "Europe/Riga"
    assert system_zone({}, localtime=plain, timezone_file=missing).name == "UTC"
    traversal = tmp_path / "evil"
    traversal.write_text("../../../etc/passwd\n")
    assert system_zone({}, localtime=plain, timezone_file=traversal).source == "fallback"
