"""CLI: nps report (by client, manager, quarter), flags, address and health."""

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


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture
def firm(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    with Workspace.open(home, me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        acme = ws.add("client", name="Acme \x1b[31mOy", manager=ws.me, unpaid_invoices=True).uid
        for score in (10, 9, 9, 8, 7, 3):
            ws.add_nps(acme, score, date=dt.date(2026, 10, 1))
    return home


def test_nps_report_by_client(firm: Path) -> None:
    result = run(firm, "nps", "report")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    line = next(x for x in result.stdout.splitlines() if x.startswith("Acme"))
    assert "+33 (n=6, directional)" in line and "P3/N2/D1" in line
    assert "95% CI -27 … +71" in line


def test_nps_report_json_by_manager_and_quarter(firm: Path) -> None:
    data = orjson.loads(run(firm, "nps", "report", "--by", "manager", "--json").stdout)
    (row,) = data["rows"]
    assert row["manager"] == "Anna Virtanen" and row["n"] == 6 and row["portfolio"]["n"] == 6
    assert row["low"] == -26.7 and row["directional"] is True
    quarters = orjson.loads(run(firm, "nps", "report", "--by", "quarter", "--json").stdout)
    q4 = next(r for r in quarters["rows"] if r.get("quarter") == "2026-Q4")
    assert q4["n"] == 6
    assert run(firm, "nps", "report", "--by", "team").exit_code == 2


def test_flags_address_and_health(firm: Path) -> None:
    flags = orjson.loads(run(firm, "flags", "--json").stdout)["flags"]
    (unpaid,) = [f for f in flags if f["kind"] == "unpaid_invoices"]
    done = run(firm, "address", unpaid["key"], "--note", "CFO called")
    assert done.exit_code == 0
    assert unpaid["key"] not in run(firm, "flags").stdout
    shown = run(firm, "flags", "--all").stdout
    assert "[addressed]" in shown and "note: CFO called" in shown
    bad = run(firm, "address", "nonsense", "--note", "x")
    assert bad.exit_code == 2 and "invalid flag" in bad.stderr
    health = run(firm, "health", "--client", "acme")
    assert health.exit_code == 0
    assert "-15  unpaid invoices" in health.stdout
    # recorded today with no start date: no score for the quarters before it existed
    assert "trend: 2026-Q4 50" in health.stdout and "2026-Q3" not in health.stdout
    data = orjson.loads(run(firm, "health", "--client", "acme", "--json").stdout)
    assert data["score"] == 100 - sum(points for points, _ in data["lost"])
