"""The main communicator belongs to the client: handing it over starts a new tenure
with a note, the history keeps who held it from when to when, and the tenure flag
counts the current holder's tenure. Older workspaces, whose engagements name the
main communicator, still read; the first handover carries them over."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from conftest import FROZEN_NOW
from pulsetui.cli.main import cli
from pulsetui.domain.errors import InvalidInput
from pulsetui.service.communicators import communicator_history, hand_over, main_communicator
from pulsetui.service.config import Config
from pulsetui.service.insights.flags import red_flags
from pulsetui.service.workspace import Workspace

D = dt.date


def _acme(ws: Workspace) -> str:
    return ws.add("client", name="Acme", manager=ws.me, started=D(2025, 1, 1), stage="success").uid


def _tenure_flags(ws: Workspace) -> list[str]:
    kinds = ("communicator_too_long", "communicator_technical")
    return [f"{f.kind}: {f.reason}" for f in red_flags(ws) if f.kind in kinds]


def test_a_handover_starts_a_new_tenure_with_its_note(ws: Workspace) -> None:
    acme = _acme(ws)
    hand_over(ws, acme, "Aino Laine", "delivery_manager", D(2025, 6, 1))
    assert _tenure_flags(ws) == [
        "communicator_too_long: Aino Laine has been the main communicator since 2025-06-01 "
        "(17 months; rotate after 12)"
    ]
    hand_over(ws, acme, "Liis Oja", "project_manager", note="Aino moves to the new team")
    assert _tenure_flags(ws) == []
    first, second = communicator_history(ws, acme)
    assert (first.name, first.start, first.end) == ("Aino Laine", D(2025, 6, 1), D(2026, 11, 19))
    assert (second.name, second.role, second.start, second.end, second.note, second.by) == (
        "Liis Oja",
        "project_manager",
        D(2026, 11, 20),
        None,
        "Aino moves to the new team",
        "Anna Virtanen",
    )
    holder = main_communicator(ws, acme)
    assert holder is not None and holder.name == "Liis Oja"


@pytest.mark.parametrize(
    ("name", "role", "start", "field"),
    [
        ("", "analyst", None, "name"),
        ("   ", "analyst", None, "name"),
        ("x" * 201, "analyst", None, "name"),
        ("Liis", "wizard", None, "role"),
        ("Liis", "analyst", D(1800, 1, 1), "start"),
    ],
)
def test_a_bad_handover_names_its_field_and_writes_nothing(
    ws: Workspace, name: str, role: str, start: dt.date | None, field: str
) -> None:
    acme = _acme(ws)
    with pytest.raises(InvalidInput) as err:
        hand_over(ws, acme, name, role, start)
    assert err.value.problems[0].field == field
    assert communicator_history(ws, acme) == []


def test_an_older_workspace_keeps_reading_engagements_until_the_first_handover(
    ws: Workspace,
) -> None:
    acme = _acme(ws)
    mia = ws.add("consultant", name="Mia", manager=ws.me).uid
    ws.add(
        "engagement",
        client=acme,
        consultant=mia,
        start=D(2025, 1, 1),
        main_communicator="Mia",
        communicator_since=D(2025, 3, 1),
        communicator_role="technical",
    )
    (legacy,) = communicator_history(ws, acme)
    assert (legacy.name, legacy.start, legacy.role) == ("Mia", D(2025, 3, 1), "technical")
    assert len(_tenure_flags(ws)) == 2
    hand_over(ws, acme, "Liis", "analyst")
    carried, new = communicator_history(ws, acme)
    assert (carried.name, carried.start, carried.end) == ("Mia", D(2025, 3, 1), D(2026, 11, 19))
    assert new.name == "Liis"
    assert _tenure_flags(ws) == []
    doc = ws.store.view.get("client", acme)
    assert doc is not None and [e["name"] for e in doc["communicators"]] == ["Mia", "Liis"]


# ---- the command line ----------------------------------------------------------------------


@pytest.fixture
def firm(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    with Workspace.open(home, me="Anna", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        acme = _acme(ws)
        mia = ws.add("consultant", name="Mia", manager=ws.me).uid
        ws.add(
            "engagement",
            client=acme,
            consultant=mia,
            start=D(2025, 1, 1),
            main_communicator="Mia",
            communicator_since=D(2025, 2, 1),
        )
    return home


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


def test_engagement_set_hands_the_role_over_from_today(firm: Path) -> None:
    assert "Same main communicator too long" in run(firm, "flags").stdout
    result = run(firm, "engagement", "set", "Mia", "--main-communicator", "Liis")
    assert result.exit_code == 0, result.output
    assert "Liis is now the main communicator of Acme" in result.stdout
    assert "main communicator" not in run(firm, "flags").stdout
    history = orjson.loads(
        run(firm, "communicator", "history", "--client", "acme", "--json").stdout
    )
    assert [(t["name"], t["from"], t["to"]) for t in history["tenures"]] == [
        ("Mia", "2025-02-01", "2026-11-19"),
        ("Liis", "2026-11-20", None),
    ]


def test_communicator_set_and_history(firm: Path) -> None:
    result = run(
        firm,
        "communicator",
        "set",
        "--client",
        "acme",
        "--name",
        "Õie [bold]Kask[/bold]\x1b[31m",
        "--role",
        "analyst",
        "--note",
        "handover\nin two lines",
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    text = run(firm, "communicator", "history", "--client", "acme").stdout
    assert "2025-02-01 – 2026-11-19: Mia (delivery lead, 21 months)" in text
    assert "2026-11-20 – now: Õie [bold]Kask[/bold]\\x1b[31m (analyst, 0 months)" in text
    assert "    handover\n    in two lines" in text
    data = orjson.loads(run(firm, "communicator", "history", "--client", "acme", "--json").stdout)
    assert data["tenures"][-1]["name"] == "Õie [bold]Kask[/bold]\x1b[31m"
    assert data["tenures"][-1]["note"] == "handover\nin two lines"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--name", "", "--role", "analyst"), "name"),
        (("--name", "Liis", "--role", "analyst", "--from", "someday"), "from"),
    ],
)
def test_communicator_set_refuses_bad_input(firm: Path, args: tuple[str, ...], field: str) -> None:
    result = run(firm, "communicator", "set", "--client", "acme", *args)
    assert result.exit_code == 2
    assert f"invalid {field}" in result.stderr
    with Workspace.open(firm, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        doc = next(iter(ws.docs("client")))
        assert not doc.get("communicators")
    bad_role = run(firm, "communicator", "set", "--client", "acme", "--name", "X", "--role", "boss")
    assert bad_role.exit_code == 2
