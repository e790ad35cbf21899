"""The main commands' ``--help`` ends with an ``Examples:`` section; every example is a
command line pulsetui accepts (options, choices and required options as typed), and
the examples that only read run on the demo firm, whose names they use."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pulsetui.cli.examples import EXAMPLES, find_command
from pulsetui.cli.main import cli
from pulsetui.cli.records import ADDABLE
from pulsetui.service.demo import create_demo

MAIN_COMMANDS = [
    *(f"{kind} add" for kind in ADDABLE),
    *(f"{kind} set" for kind in ADDABLE),
    "today",
    "list",
    "show",
    "search",
    "nps add",
    "enps add",
    "agreement done",
    "agreement broken",
    "report weekly",
    "flags",
    "segments",
    "hats",
    "brief",
    "communicator set",
    "communicator history",
    "sync",
    "export",
    "import",
    "backup",
    "restore",
    "doctor",
    "demo",
    "config",
    "completion",
    "serve",
]
SHELL = {">", "|", "<", "&&", ";"}


def examples_in_help(path: str) -> list[str]:
    result = CliRunner().invoke(cli, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    _, found, section = result.output.partition("\n  Examples:\n")
    assert found, f"no examples in pulsetui {path} --help"
    lines = []
    for line in section.splitlines():
        if not line.startswith("    ") or not line.strip():
            break
        lines.append(line.strip())
    return lines


def command_lines(example: str) -> list[list[str]]:
    """The arguments each pulsetui of an example gets (``pulsetui export | pulsetui
    import -`` runs two): what follows ``pulsetui`` up to a redirection or a pipe,
    without a trailing comment or an environment assignment before it."""
    found: list[list[str]] = []
    current: list[str] | None = None
    for word in shlex.split(example, comments=True):
        if word in SHELL:
            current = None
        elif current is None and word == "pulsetui":
            current = []
            found.append(current)
        elif current is not None:
            current.append(word)
    assert found, example
    return found


def command_line(example: str) -> list[str]:
    """The arguments of the first pulsetui in an example."""
    return command_lines(example)[0]


def parse(args: list[str]) -> click.Command:
    """Parse ``args`` as pulsetui does, down to the command they name, without running
    anything; raises click's usage errors."""
    ctx = cli.make_context("pulsetui", list(args))
    command: click.Command = cli
    while isinstance(command, click.Group):
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        if not rest:
            break
        _, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None
        ctx = sub.make_context(sub.name, rest, parent=ctx)
        command = sub
    return command


@pytest.mark.parametrize("path", MAIN_COMMANDS)
def test_main_commands_show_examples(path: str) -> None:
    lines = examples_in_help(path)
    assert lines and all(
        line.startswith(("pulsetui ", "eval ", "EDITOR=", "ssh ")) for line in lines
    )
    if path in EXAMPLES:
        assert lines == list(EXAMPLES[path])


@pytest.mark.parametrize("path", MAIN_COMMANDS)
def test_every_example_is_accepted(path: str) -> None:
    target = find_command(cli, path)
    subcommands = set(target.commands.values()) if isinstance(target, click.Group) else set()
    for example in examples_in_help(path):
        if not example.startswith(("pulsetui ", "EDITOR=")):
            continue  # eval "$(pulsetui completion bash)", ssh ...: checked by hand
        commands = [parse(args) for args in command_lines(example)]
        assert target in commands or subcommands & set(commands), example


def test_the_examples_run_in_order_on_the_demo(tmp_path: Path) -> None:
    """Every example without an ID to fill in, a file to read or a folder to sync runs
    on the demo firm, one after the other as listed."""
    home = tmp_path / "demo"
    create_demo(home)
    ran = []
    for path, lines in EXAMPLES.items():
        if path.split()[0] in ("sync", "import", "demo", "export", "backup", "restore"):
            continue  # another folder, another workspace or a file of its own
        for example in lines:
            runs = command_lines(example)
            if len(runs) > 1 or " ID" in example or "-file" in example:
                continue
            result = CliRunner().invoke(cli, ["--home", str(home), *runs[0]])
            assert result.exit_code == 0, (example, result.output)
            assert result.stdout.strip(), example
            ran.append(path)
    assert len(ran) >= 40
    assert {"client set", "agreement done", "agreement broken", "engagement set"} <= set(ran)
