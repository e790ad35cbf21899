"""The judgement commands as a manager reads them: ``segments``, ``hats``, ``brief``,
``snooze``, ``flags`` naming whom each flag is about, ``nps add --date``, and counts
written in words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from conftest import FROZEN_NOW
from pulsetui.cli.main import cli
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

D = dt.date
REMOTE = "0123456789abcdef"


def _created_on(ws: Workspace, uid: str, day: dt.date, **fields: object) -> None:
    """A client recorded by a colleague's replica on ``day``."""
    data = ws.validate("client", {"uid": uid, "manager": ws.me, **fields}).fields()
    wall = int(dt.datetime.combine(day, dt.time(12)).timestamp() * 1000)
    op = {
        "id": f"{REMOTE}:{wall}:0",
        "hlc": [wall, 0],
        "rid": REMOTE,
        "entity": "client",
        "uid": uid,
        "kind": "create",
        "data": data,
    }
    ws.store.ingest([op])


@pytest.fixture
def firm(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    with Workspace.open(home, me="Anna", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        _created_on(
            ws,
            "ACME",
            D(2026, 5, 1),
            name="Acme",
            started=D(2025, 1, 1),
            stage="success",
            client_wants_us="yes",
            we_want_client="yes",
            unpaid_invoices=True,
        )
        ws.update("client", "ACME", we_want_client="unsure")  # today: top → steady
        mia = ws.add("consultant", name="Mia Kask", manager=ws.me).uid
        ws.add("engagement", client="ACME", consultant=mia, start=D(2026, 1, 1))
        ws.add_pulse(mia, date=D(2026, 10, 19), wellbeing=2)
        ws.add_pulse(mia, date=D(2026, 11, 19), wellbeing=2, workload="too_high")
        meeting = ws.plan_meeting("ACME", D(2026, 11, 10))
        ws.hold_meeting(meeting.uid)
        ws.add_agreement("ACME", "Send the offer", "us", due=D(2026, 11, 19))
        ws.add_nps("ACME", 4, contact="Eva", reason="late", date=D(2026, 11, 15))
    return home


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


def test_segments_show_each_quadrant_with_its_policy_and_the_move(firm: Path) -> None:
    text = run(firm, "segments").stdout
    assert "Steady (1): they want us, we are unsure" in text
    assert "  Acme · top → steady" in text
    assert "    check: client wants us? maybe no (1 detractor answer in 6 months)" in text
    (acme,) = orjson.loads(run(firm, "segments", "--json").stdout)["clients"]
    assert (acme["segment"], acme["previous"], acme["moved"]) == ("steady", "top", True)
    assert acme["suggested"]["client_wants_us"] == "no"
    assert acme["suggested"]["we_want_client"] == "unsure"  # stays: already unsure


def test_hats_put_the_pulse_beside_the_clients_health(firm: Path) -> None:
    text = run(firm, "hats").stdout
    assert "Mia Kask at Acme" in text
    assert "  pulse: 2 → 2 (ok; strained 2 pulses in a row)" in text
    assert "  client health: " in text
    (row,) = orjson.loads(run(firm, "hats", "--json").stdout)["engagements"]
    assert row["strained_pulses"] == 2 and row["workload"] == "too_high"
    assert [p["wellbeing"] for p in row["pulse"]] == [2, 2]
    assert row["health"]["score"] < 100


def test_brief_since_the_last_meeting(firm: Path) -> None:
    text = run(firm, "brief", "--client", "acme").stdout
    assert "Acme: last meeting 2026-11-10; next none planned" in text
    assert "carried over: 0 agenda items" in text
    assert "  - Send the offer (due 2026-11-19; us)" in text
    data = orjson.loads(run(firm, "brief", "--client", "acme", "--json").stdout)
    assert data["name"] == "Acme" and data["last_meeting"] == "2026-11-10"
    assert data["agreements_due"][0]["text"] == "Send the offer"
    assert run(firm, "brief", "--client", "nobody").exit_code == 2


def test_brief_shows_a_planned_meeting_whose_day_passed_unheld(firm: Path) -> None:
    with Workspace.open(firm, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        ws.plan_meeting("ACME", D(2026, 11, 16))
    text = run(firm, "brief", "--client", "acme").stdout
    assert (
        "Acme: last meeting 2026-11-10; next planned 2026-11-16, not held (4 days ago); "
        "none planned since"
    ) in text
    data = orjson.loads(run(firm, "brief", "--client", "acme", "--json").stdout)
    assert (data["next_meeting"], data["not_held_meeting"]) == (None, "2026-11-16")
    with Workspace.open(firm, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        ws.plan_meeting("ACME", D(2026, 11, 27), time="09:00")
    text = run(firm, "brief", "--client", "acme").stdout
    assert "next 2026-11-27 · planned 2026-11-16, not held (4 days ago)\n" in text


def test_flags_name_the_client_and_the_consultant_and_count_in_words(firm: Path) -> None:
    text = run(firm, "flags").stdout
    assert "Mia Kask at Acme: Consultant squeezed since 2026-10-19" in text
    assert "Acme: Unpaid invoices" in text
    assert "“Send the offer” was due 2026-11-19, 1 day ago" in text
    assert "1 days" not in text


def test_snooze_hides_a_flag_and_flags_all_shows_until_when(firm: Path) -> None:
    flags = orjson.loads(run(firm, "flags", "--json").stdout)["flags"]
    (unpaid,) = [f for f in flags if f["kind"] == "unpaid_invoices"]
    result = run(firm, "snooze", unpaid["key"], "--until", "+2w", "--note", "after closing")
    assert result.exit_code == 0 and "until 2026-12-04" in result.stdout
    assert unpaid["key"] not in run(firm, "flags").stdout
    shown = run(firm, "flags", "--all").stdout
    assert "Acme: Unpaid invoices [snoozed until 2026-12-04]" in shown
    data = orjson.loads(run(firm, "flags", "--all", "--json").stdout)["flags"]
    (snoozed,) = [f for f in data if f["kind"] == "unpaid_invoices"]
    assert (snoozed["status"], snoozed["snoozed_until"]) == ("snoozed", "2026-12-04")
    assert [e["event"] for e in snoozed["history"]] == ["raised", "snoozed"]
    assert run(firm, "snooze", unpaid["key"], "--until", "today").exit_code == 2
    assert run(firm, "snooze", "nonsense", "--until", "+1w").exit_code == 2


def test_nps_answers_are_dated(firm: Path) -> None:
    result = run(firm, "nps", "add", "--client", "acme", "--score", "9", "--date", "2026-10-01")
    assert result.exit_code == 0 and "on 2026-10-01" in result.stdout
    yesterday = run(firm, "nps", "add", "--client", "acme", "--score", "8", "--date", "yesterday")
    assert "on 2026-11-19" in yesterday.stdout
    future = run(firm, "nps", "add", "--client", "acme", "--score", "9", "--date", "+1d")
    assert future.exit_code == 2 and "invalid date: must not be after today" in future.stderr
    bad = run(firm, "nps", "add", "--client", "acme", "--score", "9", "--date", "2026-02-30")
    assert bad.exit_code == 2 and "invalid date" in bad.stderr
    listed = orjson.loads(run(firm, "list", "nps", "--json").stdout)["records"]
    assert sorted(r["date"] for r in listed) == ["2026-10-01", "2026-11-15", "2026-11-19"]
