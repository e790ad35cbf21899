"""``pulsetui meeting summary``: the last meeting held, as the Markdown the app previews,
printed or written to a new file (never over one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pulsetui.cli.main import cli
from pulsetui.reports.sendable import summary_forms
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

NOW = dt.datetime(2026, 11, 20, 10, 0)


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), "--as", "Anna Virtanen", *args])


@pytest.fixture
def firm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PULSETUI_NOW", NOW.isoformat())
    home = tmp_path / "home"
    with Workspace.open(home, me="Anna Virtanen", config=Config(), clock=lambda: NOW) as ws:
        acme = ws.add("client", name="Acme ~~Oy~~", manager=ws.me, cadence="monthly").uid
        ws.add("client", name="Quiet Oy", manager=ws.me)
        ws.add("agenda", client=acme, text="Invoice <b>delays</b>", added_at=NOW)
        held = ws.plan_meeting(acme, NOW.date()).uid
        ws.add_agreement(acme, "Send the plan", "us", owner="Anna", meeting=held)
        ws.hold_meeting(held, date=NOW.date(), notes="Went well")
        ws.plan_meeting(acme, NOW.date() + dt.timedelta(days=14))
    return home


def test_printed_and_written_as_the_app_previews_it(firm: Path, tmp_path: Path) -> None:
    printed = run(firm, "meeting", "summary", "--client", "acme")
    assert printed.exit_code == 0, printed.output
    with Workspace.open(firm, readonly=True, config=Config(), clock=lambda: NOW) as ws:
        (acme,) = [d["uid"] for d in ws.docs("client") if d["name"].startswith("Acme")]
        expected = summary_forms(ws, acme).markdown
    assert printed.stdout == expected
    assert expected.startswith("# Meeting with Acme \\~\\~Oy\\~\\~: 2026-11-20")
    assert "## Agreements\n- [us, Anna] Send the plan\n" in expected
    assert "## Carried over to the next meeting\n- Invoice \\<b>delays\\</b>\n" in expected
    assert "## Next meeting\n- 2026-12-04" in expected

    out = tmp_path / "out"
    out.mkdir()
    first = run(firm, "meeting", "summary", "--client", "acme", "--out", str(out))
    second = run(firm, "meeting", "summary", "--client", "acme", "--out", str(out))
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "Acme ~~Oy~~ 2026-11-20 meeting summary (2).md",
        "Acme ~~Oy~~ 2026-11-20 meeting summary.md",
    ]
    assert (out / names[1]).read_text(encoding="utf-8") == expected
    assert f"meeting summary: {out / names[1]}" in first.stdout


def test_no_meeting_held_is_invalid_input(firm: Path) -> None:
    result = run(firm, "meeting", "summary", "--client", "quiet")
    assert result.exit_code == 2
    assert "invalid meeting: the client has no meeting held yet" in result.stderr
    missing = run(firm, "meeting", "summary", "--client", "acme", "--out", "/no/such/dir")
    assert missing.exit_code == 2 and "invalid out" in missing.stderr
