"""``hats`` and ``flags`` in a workspace two managers share: each manager's judgements
come from their own pulse conversations only (a pulse conversation is private to its
manager), and the command line says what the app's screens say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from conftest import FROZEN_NOW
from pulsetui.cli.main import cli
from pulsetui.service.config import Config
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.hats import hats_view
from pulsetui.service.views.today import today_view
from pulsetui.service.workspace import Workspace

D = dt.date
ANNA, BEN = "Anna Virtanen", "Ben Berg"
SECRET = "BEN-ONLY: thinks of quitting"


@pytest.fixture
def shared(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Anna's client Acme, with Anna's consultant Mia (last pulse in August: overdue)
    and Ben's consultant Olli placed there; Ben keeps Olli's pulses."""
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    with Workspace.open(home, me=BEN, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        ben = ws.me
    with Workspace.open(home, me=ANNA, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        acme = ws.add("client", name="Acme", manager=ws.me).uid
        mia = ws.add("consultant", name="Mia Kask", manager=ws.me).uid
        olli = ws.add("consultant", name="Olli Oja", manager=ben).uid
        ws.add("engagement", client=acme, consultant=mia, start=D(2026, 1, 1))
        ws.add("engagement", client=acme, consultant=olli, start=D(2026, 1, 1))
        ws.add_pulse(mia, date=D(2026, 7, 1), wellbeing=4, workload="ok")
        ws.add_pulse(mia, date=D(2026, 8, 3), wellbeing=4, workload="ok")
        ws.add_pulse(olli, date=D(2026, 11, 2), wellbeing=4, manager=ben)
    return home


def run(home: Path, who: str, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, ["--home", str(home), "--as", who, *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


def _as_anna(home: Path) -> dict[str, str]:
    return {
        " ".join(args): run(home, ANNA, *args).stdout
        for args in (("hats",), ("hats", "--json"), ("flags",), ("flags", "--json"))
    }


def _ben_records_pulses(home: Path) -> None:
    for day in ("2026-10-20", "2026-11-06", "2026-11-20"):
        for consultant in ("Mia Kask", "Olli Oja"):
            run(
                home,
                BEN,
                "pulse",
                "add",
                "--consultant",
                consultant,
                "--manager",
                BEN,
                "--date",
                day,
                "--wellbeing",
                "1",
                "--workload",
                "too_high",
                "--worries",
                SECRET,
            )


def test_hats_and_flags_of_one_manager_ignore_another_managers_pulses(shared: Path) -> None:
    before = _as_anna(shared)
    assert "Mia Kask at Acme\n  pulse: 4 → 4 (overdue)" in before["hats"]
    assert "Olli Oja at Acme\n  pulse: no pulse held (never)" in before["hats"]
    assert "Mia Kask at Acme: Pulse overdue since 2026-09-14" in before["flags"]

    _ben_records_pulses(shared)

    after = _as_anna(shared)
    assert after == before
    for text in after.values():
        assert "BEN-ONLY" not in text and "quitting" not in text
    # Ben's own judgements weigh his conversations: Olli is strained
    (olli,) = orjson.loads(run(shared, BEN, "flags", "--json").stdout)["flags"]
    assert (olli["kind"], olli["consultant_name"]) == ("consultant_squeezed", "Olli Oja")


def test_the_command_line_and_the_screens_agree(shared: Path) -> None:
    _ben_records_pulses(shared)
    rows = orjson.loads(run(shared, ANNA, "hats", "--json").stdout)["engagements"]
    flags = orjson.loads(run(shared, ANNA, "flags", "--json").stdout)["flags"]
    with Workspace.open(shared, me=ANNA, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        audience = Audience.manager(ws.me)
        lines = hats_view(ws, audience).lines
        today = today_view(ws, audience)
    shown = {(line.consultant_name, line.wellbeing, line.pulse_state) for line in lines}
    assert shown == {
        (r["consultant_name"], tuple(p["wellbeing"] for p in r["pulse"]), r["pulse_state"])
        for r in rows
    }
    assert shown == {("Mia Kask", (4, 4), "overdue"), ("Olli Oja", (), "never")}
    (section,) = [s for s in today.sections if s.key == "flags"]
    assert {item.uid for item in section.items} == {f["key"] for f in flags}
