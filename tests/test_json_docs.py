"""Every ``--json`` output is one object with ``"version": 1``, and every field it holds
is described in docs/json.md (and nothing described there is missing from it): the
commands are run on the demo firm and their fields compared with the document."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pulsetui.cli.main import cli
from pulsetui.domain.models import ENTITIES
from pulsetui.service.config import Config
from pulsetui.service.demo import create_demo
from pulsetui.service.workspace import Workspace

DOC = Path(__file__).resolve().parents[1] / "docs" / "json.md"
# objects whose keys are data (field names, kinds, ids), not fields
NOT_FLATTENED = {"record", "records[]", "conflicts"}


def sections() -> dict[str, set[str]]:
    """docs/json.md: section heading → the fields its tables list (first column)."""
    found: dict[str, set[str]] = {}
    current = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            found[current] = set()
        elif line.startswith("| `") and current:
            found[current].add(line.split("|")[1].strip().strip("`"))
    return found


def flatten(data: dict[str, Any], prefix: str = "") -> set[str]:
    """The fields of a JSON object: ``a``, ``a.b``, ``a[].b``, ``a[][].b``."""
    out: set[str] = set()
    for key, value in data.items():
        name = f"{prefix}{key}"
        out.add(name)
        if name in NOT_FLATTENED:
            continue
        if isinstance(value, dict):
            out |= flatten(value, f"{name}.")
        elif isinstance(value, list):
            items, path = value, f"{name}[]"
            while items and all(isinstance(i, list) for i in items):
                items, path = [x for i in items for x in i], f"{path}[]"
            if path in NOT_FLATTENED:
                continue
            for item in items:
                if isinstance(item, dict):
                    out |= flatten(item, f"{path}.")
    return out


@pytest.fixture(scope="module")
def firm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("json-docs")
    home, shared = base / "demo", base / "team"
    create_demo(home)
    with Workspace.open(home, config=Config()) as ws:  # a pair for `duplicates`
        ws.add("client", name="Kuusi Logistiikka Oy", manager=ws.me)
    assert run(home, shared, "sync", "init").exit_code == 0
    return home, shared


def run(home: Path, shared: Path, *args: str) -> Any:
    return CliRunner().invoke(
        cli, ["--home", str(home), "--shared", str(shared), *args], catch_exceptions=False
    )


RUNS: dict[str, list[tuple[str, ...]]] = {
    "`pulsetui list KIND --json`": [("list", "clients"), ("list", "enps"), ("list", "pulses")],
    "`pulsetui show KIND ID --json`": [("show", "client", "Kuusi Logistiikka Oy")],
    "`pulsetui duplicates [KIND] --json`": [("duplicates",)],
    "`pulsetui flags --json`": [("flags", "--all")],
    "`pulsetui health --client NAME --json`": [("health", "--client", "Pärnu")],
    "`pulsetui segments --json`": [("segments",)],
    "`pulsetui hats --json`": [("hats",)],
    "`pulsetui brief --client NAME --json`": [
        ("brief", "--client", "Lapin"),
        ("brief", "--client", "Revontuli"),
        ("brief", "--client", "Saimaa"),
    ],
    "`pulsetui communicator history --client NAME --json`": [
        ("communicator", "history", "--client", "Tallinna")
    ],
    "`pulsetui nps report --json`": [
        ("nps", "report"),
        ("nps", "report", "--by", "manager"),
        ("nps", "report", "--by", "quarter"),
    ],
    "`pulsetui enps report --json`": [("enps", "report")],
    "`pulsetui enps rounds --json`": [("enps", "rounds")],
    "`pulsetui report due --json`": [("report", "due")],
    "`pulsetui today --json`": [("today",)],
    "`pulsetui doctor --json`": [("doctor",)],
    "`pulsetui sync --json`": [("sync",)],
    "`pulsetui sync --check --json`": [("sync", "--check")],
    "`pulsetui locate --json`": [("locate",)],
    "`pulsetui config --json`": [("config",)],
    # the demo's open flag note names a client (about); a pulse note names a consultant
    "`pulsetui search TEXT --json`": [("search", "talked"), ("search", "Õie")],
}


@pytest.mark.parametrize("section", sorted(RUNS))
def test_every_field_is_documented_and_every_documented_field_shown(
    firm: tuple[Path, Path], section: str
) -> None:
    documented = sections()[section]
    shown: set[str] = set()
    for args in RUNS[section]:
        if args == ("show", "client", "Kuusi Logistiikka Oy"):
            first = json.loads(run(*firm, "list", "clients", "--json").stdout)["records"][0]
            args = ("show", "client", first["uid"])
        result = run(*firm, *args, "--json")
        assert result.exit_code in (0, 1), (args, result.output)
        data = json.loads(result.stdout)
        assert isinstance(data, dict) and data["version"] == 1, args
        fields = flatten(data)
        assert fields <= documented, (args, sorted(fields - documented))
        shown |= fields
    assert documented <= shown, sorted(documented - shown)


def test_records_are_documented_with_every_field_of_their_kind() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (`uid`.*) \|$", text, flags=re.MULTILINE))
    for name, spec in ENTITIES.items():
        if spec.scope == "anonymous":
            continue
        assert name in rows, name
        assert re.findall(r"`(\w+)`", rows[name]) == list(spec.model.model_fields), name


def test_the_backup_format_is_documented(firm: tuple[Path, Path]) -> None:
    result = run(*firm, "export", "--format", "json")
    data = json.loads(result.stdout)
    section = sections()["`pulsetui export --format json` (the shareable export)"]
    assert set(data) == section
    assert data["format"] == "pulsetui-export"


def test_every_command_with_json_is_documented() -> None:
    """Each command offering --json has its section, so none is left undescribed."""
    import click

    def walk(command: click.Command, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = []
        if any(getattr(p, "name", "") == "as_json" for p in command.params):
            found.append(path)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                found += walk(sub, (*path, name))
        return found

    with_json = {" ".join(path) for path in walk(cli, ())}
    headings = " ".join(sections())
    for path in sorted(with_json):
        assert f"`pulsetui {path}" in headings, path
