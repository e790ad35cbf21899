"""The weekly client report against a reviewed golden file.

To regenerate after a reviewed change: PULSETUI_UPDATE_GOLDEN=1 pytest this file, then
read the diff of tests/golden/weekly_report.md before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FROZEN_NOW
from pulsetui.cli.main import cli
from pulsetui.reports.markdown import inline
from pulsetui.reports.weekly import weekly_report
from pulsetui.service.insights.flags import address_flag, red_flags
from pulsetui.service.workspace import Workspace

GOLDEN = Path(__file__).parent / "golden" / "weekly_report.md"
D = dt.date


def build(ws: Workspace) -> str:
    acme = ws.add(
        "client",
        name="Acme Oy",
        manager=ws.me,
        cadence="weekly",
        started=D(2026, 1, 5),
        unpaid_invoices=True,  # internal: must not reach the client's report
    ).uid
    mia = ws.add("consultant", name="Mia Koskinen", manager=ws.me).uid
    ws.add("engagement", client=acme, consultant=mia, start=D(2026, 1, 5))
    ws.add_pulse(mia, date=D(2026, 11, 2), wellbeing=2, worries="tired")  # private
    discussed = ws.add_agenda_item(acme, "Release plan for December")
    held = ws.plan_meeting(acme, D(2026, 11, 17), time="10:00")
    ws.hold_meeting(held.uid)
    ws.mark_agenda(discussed.uid, "discussed", held.uid)
    ws.plan_meeting(acme, D(2026, 11, 24), time="10:00")
    ws.add_agenda_item(acme, "Budget for Q1 | *urgent* [see mail]")
    ws.add_agreement(acme, "Ship the login page", "us", owner="Mia Koskinen", due=D(2026, 11, 25))
    late = ws.add_agreement(acme, "Send test data", "client", owner="Eva", due=D(2026, 11, 10))
    done = ws.add_agreement(acme, "Fix the build", "us", owner="Mia Koskinen", due=D(2026, 11, 19))
    ws.set_agreement_status(done.uid, "done")
    broken = ws.add_agreement(acme, "Approve the budget", "client", due=D(2026, 11, 18))
    ws.set_agreement_status(broken.uid, "broken", reason="CFO away")
    ws.add("request", client=acme, kind="wish", text="Dark mode", date=D(2026, 11, 3), planned=True)
    ws.update("request", ws.list("request")[0].uid, status="accepted")
    ws.add_nps(acme, 4, reason="slow answers", contact="Eva", date=D(2026, 11, 12))  # internal
    work = {"client": acme, "by": "Mia Koskinen"}
    ws.add(
        "work", **work, kind="done", text="Login page: design review passed", date=D(2026, 11, 18)
    )
    ws.add("work", **work, kind="done", text="Last week's work", date=D(2026, 11, 13))
    ws.add("work", **work, kind="next", text="Start the payment integration", date=D(2026, 11, 19))
    ws.add(
        "work",
        **work,
        kind="risk",
        text="Test data is late, so the integration tests may slip",
        way_out="We run the tests on generated data and again when the real data arrives.",
        date=D(2026, 11, 19),
    )
    overdue = next(f for f in red_flags(ws, client=acme) if f.key.endswith(late.uid))
    address_flag(ws, overdue.key, "Eva promised the data by Monday")
    return acme


def test_weekly_report_matches_the_golden_file(ws: Workspace) -> None:
    acme = build(ws)
    text = weekly_report(ws, acme, D(2026, 11, 16))
    if os.environ.get("PULSETUI_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_report_never_shows_internal_matters(ws: Workspace) -> None:
    text = weekly_report(ws, build(ws), D(2026, 11, 16))
    for private in ("unpaid", "Unpaid", "tired", "wellbeing", "slow answers", "Detractor"):
        assert private not in text


def test_cli_report_weekly(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.open(home, me="Anna Virtanen", clock=lambda: FROZEN_NOW) as ws:
        build(ws)
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    runner = CliRunner()
    base = ["--home", str(home), "report", "weekly", "--client", "acme"]
    result = runner.invoke(cli, [*base, "--week", "2026-W47"])
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    assert runner.invoke(cli, base).stdout == result.stdout  # this week is the default
    bad = runner.invoke(cli, [*base, "--week", "2026-W99"])
    assert bad.exit_code == 2 and "invalid week" in bad.stderr
    missing = runner.invoke(cli, ["--home", str(home), "report", "weekly", "--client", "nobody"])
    assert missing.exit_code == 2 and "invalid client" in missing.stderr


def test_markdown_escaping() -> None:
    """The report escapes typed text as every Markdown the product writes does: what
    would render is escaped, the escape character is shown, the line stays one line."""
    assert inline("a|b *c* _d_ [e](f) <g> #h \x1b[31m\nnext") == (
        "a\\|b \\*c\\* \\_d\\_ [e\\](f) \\<g> #h \u241b[31m next"
    )


def test_quiet_week(ws: Workspace) -> None:
    quiet = ws.add("client", name="Quiet", manager=ws.me, started=D(2026, 11, 16)).uid
    text = weekly_report(ws, quiet)
    assert "- Nothing recorded as done this week." in text
    assert "- Nothing planned yet." in text
    assert "- No open risks." in text
    assert "- No open agreements." in text
