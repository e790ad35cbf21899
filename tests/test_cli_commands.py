"""The command line is put together in one place: ``pulsetui --help`` lists every command
and command group, each group its sub-commands, no command module adds itself to the
group on import, and the command line never loads the terminal app's toolkit."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import pulsetui.cli
from pulsetui.cli.main import cli
from pulsetui.domain.models import ENTITIES

SCRIPT = Path(sys.executable).with_name("pulsetui")

# every record kind has a group, except the red-flag notes made by `pulsetui address`,
# eNPS rounds, opened with `pulsetui enps open`, and the reports sent recorded by
# `pulsetui report sent`
RECORD_GROUPS = {name for name in ENTITIES if name not in ("flag_ack", "enps_round", "report_sent")}
OTHER_COMMANDS = {
    "today",
    "report",
    "sync",
    "list",
    "show",
    "search",
    "locate",
    "export",
    "demo",
    "doctor",
    "flags",
    "address",
    "snooze",
    "segments",
    "hats",
    "brief",
    "communicator",
    "health",
    "import",
    "backup",
    "restore",
    "duplicates",
    "merge",
    "serve",
    "config",
    "completion",
}
EDIT = {"add", "set", "delete"}
SUBCOMMANDS = {
    **{name: EDIT for name in RECORD_GROUPS},
    "agreement": EDIT | {"done", "broken", "cancel", "reopen"},
    "agenda": EDIT | {"tick", "drop", "send"},
    "meeting": EDIT | {"hold", "summary"},
    "pulse": EDIT | {"keep"},
    "nps": {"add", "delete", "report"},
    "enps": {"add", "open", "report", "rounds"},
    "report": {"weekly", "sent", "due"},
    "sync": {"init"},
    "communicator": {"set", "history"},
}


def listed_commands(help_text: str) -> set[str]:
    """The names in the "Commands:" section of a help page."""
    _, _, section = help_text.partition("\nCommands:\n")
    assert section, help_text
    return {line.split()[0] for line in section.splitlines() if line.startswith("  ")}


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout.strip()


def test_help_lists_every_command_group_and_command() -> None:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pulsetui.cli.main"]
    result = subprocess.run(
        [*command, "--help"], capture_output=True, text=True, timeout=120, check=True
    )
    assert listed_commands(result.stdout) == RECORD_GROUPS | OTHER_COMMANDS


@pytest.mark.parametrize("group", sorted(SUBCOMMANDS))
def test_each_group_lists_its_subcommands(group: str) -> None:
    result = CliRunner().invoke(cli, [group, "--help"])
    assert result.exit_code == 0, result.output
    assert listed_commands(result.output) == SUBCOMMANDS[group]


def test_importing_the_command_line_does_not_load_textual_or_rich() -> None:
    loaded = run_python(
        "import sys, pulsetui.cli.main; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    assert loaded == "[]"


def test_command_modules_do_not_import_the_group_they_are_added_to() -> None:
    modules = [
        info.name
        for info in pkgutil.iter_modules(pulsetui.cli.__path__, prefix="pulsetui.cli.")
        if info.name != "pulsetui.cli.main"
    ]
    assert "pulsetui.cli.records" in modules
    loaded = run_python(
        f"import sys, importlib; [importlib.import_module(m) for m in {modules!r}]; "
        "print('pulsetui.cli.main' in sys.modules)"
    )
    assert loaded == "False"
