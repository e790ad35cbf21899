"""iCalendar and CSV exports, and eNPS privacy through every CLI output."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import icalendar
import orjson
import pytest
from click.testing import CliRunner, Result

from conftest import FROZEN_NOW
from enps_setup import published_round
from pulsetui.cli.main import cli
from pulsetui.reports.tables import safe_cell
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

LONG = "Pitkä esityslista: " + "äöжõ🎉 " * 30
SECRETS = ("SECRET-ONE", "SECRET-TWO", "SECRET-THREE")


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    monkeypatch.setenv("TZ", "Europe/Helsinki")


@pytest.fixture
def firm(home: Path) -> Iterator[Path]:
    ws = Workspace.open(home, me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW)
    try:
        acme = ws.add("client", name="Acme; Oy, \\ \x1b[31m", manager=ws.me).uid
        other = ws.add("client", name="Other", manager=ws.me).uid
        bob = ws.add("manager", name="Bob").uid
        ws.add("client", name="Not mine", manager=bob)
        first = ws.plan_meeting(
            acme, dt.date(2026, 11, 24), time="10:30", duration_min=45, attendees=["Eva", "Mia"]
        )
        ws.add_agenda_item(acme, LONG)
        ws.add_agenda_item(acme, "Line one\nline two")
        ws.plan_meeting(other, dt.date(2026, 12, 1))  # all day
        cancelled = ws.plan_meeting(other, dt.date(2026, 12, 8), time="09:00")
        ws.update("meeting", cancelled.uid, status="cancelled")
        held = ws.plan_meeting(acme, dt.date(2026, 11, 10), time="14:00")
        ws.hold_meeting(held.uid)
        ws.add_nps(acme, 3, reason="=HYPERLINK(evil)", contact="Eva")
        ws.add_nps(other, 10)
        ws.add_agreement(acme, "Ship it", "us", owner="Mia", due=dt.date(2026, 11, 30))
        published_round(ws, "2026-small", list(zip((10, 2, 7), SECRETS, strict=True)))
        published_round(ws, "2026", [(score, "shared reason") for score in (10, 9, 9, 8, 3)])
        assert first.uid
    finally:
        ws.close()
    return home


# ---- iCalendar -------------------------------------------------------------------------------


def test_ics_parses_back_with_the_same_events(firm: Path) -> None:
    result = run(firm, "export", "--format", "ics")
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\x1b" not in data
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    with Workspace.open(firm, readonly=True, config=Config()) as ws:
        mine = {c.uid for c in ws.my_clients()}
        meetings = sorted(
            (m for m in ws.list("meeting") if m.client in mine), key=lambda m: (m.date, m.uid)
        )
    assert [str(e["UID"]) for e in events] == [f"{m.uid}@pulsetui" for m in meetings]
    by_uid = {str(e["UID"]).split("@")[0]: e for e in events}
    for meeting in meetings:
        event = by_uid[meeting.uid]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        if meeting.time:
            # the wall-clock time typed, in the configured zone (not floating)
            assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Helsinki"
            wall = start.replace(tzinfo=None)
            assert wall == dt.datetime.combine(meeting.date, dt.time.fromisoformat(meeting.time))
            assert end - start == dt.timedelta(minutes=meeting.duration_min)
        else:
            assert start == meeting.date and end == meeting.date + dt.timedelta(days=1)
        expected = "CANCELLED" if meeting.status.value == "cancelled" else "CONFIRMED"
        assert str(event["STATUS"]) == expected
    first = events[1]
    assert str(first["SUMMARY"]) == "Acme; Oy, \\ [31m: client meeting"
    description = str(first["DESCRIPTION"])
    assert LONG.strip() in description and "Line one line two" not in description
    assert "- Line one\nline two" in description
    # attendees are people of their own, never one text joined with ", "
    assert [str(a.params["CN"]) for a in first.get("ATTENDEE")] == ["Eva", "Mia"]
    assert "Attendees:" not in description


def test_ics_escaping_and_folding(home: Path) -> None:
    """Text values are escaped (backslash, semicolon, comma, newline), control
    characters dropped, and lines folded at 75 octets without splitting a UTF-8
    character: the text reads back as written."""
    name = "a;b,c\\d\ne\r\nf\x07 " + "ж" * 100
    with Workspace.open(home, me="Anna", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        client = ws.add("client", name=name.replace("\n", " ").replace("\r", ""), manager=ws.me)
        ws.plan_meeting(client.uid, dt.date(2026, 11, 24), time="10:30")
    data = run(home, "export", "--format", "ics").stdout_bytes
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"\x07" not in data and b"a\\;b\\,c\\\\d" in data
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "a;b,c\\d e f " + "ж" * 100 + ": client meeting"


# ---- CSV ---------------------------------------------------------------------------------------


def _rows(result: Result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_nps_csv(firm: Path) -> None:
    rows = _rows(run(firm, "export", "--format", "csv", "--table", "nps"))
    assert len(rows) == 2
    eva = next(r for r in rows if r["contact"] == "Eva")
    assert eva["score"] == "3" and eva["category"] == "detractor"
    assert eva["reason"] == "'=HYPERLINK(evil)"  # never a spreadsheet formula
    assert eva["manager"] == "Anna Virtanen"


def test_agreements_csv(firm: Path) -> None:
    (row,) = _rows(run(firm, "export", "--format", "csv", "--table", "agreements"))
    assert row["agreement"] == "Ship it" and row["owner"] == "Mia" and row["due"] == "2026-11-30"
    assert row["status"] == "open" and row["side"] == "us"


def test_enps_csv_is_aggregated_and_withholds_small_rounds(firm: Path) -> None:
    rows = _rows(run(firm, "export", "--format", "csv", "--table", "enps"))
    by_round = {r["round"]: r for r in rows}
    assert by_round["2026"]["withheld"] == "no" and by_round["2026"]["score"] == "40.0"
    assert by_round["2026"]["promoters"] == "3"
    small = by_round["2026-small"]
    assert small["n"] == "3" and small["withheld"] == "yes"
    assert small["score"] == small["band"] == small["promoters"] == ""
    assert "reason" not in rows[0]


def test_safe_cell() -> None:
    assert safe_cell("-5 points") == "'-5 points"
    assert safe_cell("@cmd") == "'@cmd"
    assert safe_cell("plain") == "plain"


# ---- eNPS privacy through every output ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("enps", "report"),
        ("enps", "report", "--json"),
        ("enps", "report", "--round", "2026-small"),
        ("enps", "report", "--round", "2026-small", "--json"),
        ("export", "--format", "json"),
        ("export", "--format", "csv", "--table", "enps"),
        ("export", "--format", "csv", "--table", "nps"),
        ("export", "--format", "csv", "--table", "agreements"),
        ("export", "--format", "ics"),
        ("nps", "report"),
        ("nps", "report", "--json"),
        ("flags", "--json"),
        ("report", "weekly", "--client", "Other"),
        ("list", "enps"),
        ("show", "enps", "x"),
    ],
)
def test_small_round_never_leaks(firm: Path, args: tuple[str, ...]) -> None:
    result = run(firm, *args)
    everything = result.stdout_bytes + result.stderr.encode()
    for secret in SECRETS:
        assert secret.encode() not in everything


def test_enps_report_shows_only_what_is_allowed(firm: Path) -> None:
    text = run(firm, "enps", "report").stdout
    assert "2026-small: withheld: 3 of at least 5 answers needed" in text
    assert "2026: +40 good (n=5)" in text
    assert "  - shared reason" in text
    data = orjson.loads(run(firm, "enps", "report", "--json").stdout)
    small = next(r for r in data["rounds"] if r["round"] == "2026-small")
    assert small["score"] is None and small["reasons"] == [] and small["promoters"] is None
    (year,) = data["years"]
    assert year["withheld"] and year["score"] is None  # 8 - 5 would reveal the small round


def test_enps_report_unknown_round_is_invalid(firm: Path) -> None:
    result = run(firm, "enps", "report", "--round", "1999")
    assert result.exit_code == 2 and "invalid round" in result.stderr


def test_enps_threshold_from_the_environment(firm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSETUI_ENPS_MIN", "3")
    text = run(firm, "enps", "report", "--round", "2026-small").stdout
    assert "withheld" not in text and "SECRET-ONE" in text
