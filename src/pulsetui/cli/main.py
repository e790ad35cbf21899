"""The ``pulsetui`` command: opens the TUI with no command, quick entry otherwise.

Exit codes: 0 ok; 2 invalid input (the message names the field and the rule, and
nothing was written); 1 anything else, with a message and never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from pulsetui import __version__
from pulsetui.domain.errors import FieldProblem, InvalidInput
from pulsetui.service.config import Config, load_config
from pulsetui.service.paths import config_path, resolve_home
from pulsetui.service.workspace import Workspace
from pulsetui.store.store import StoreError, WorkspaceLocked

EXIT_INVALID = 2
EXIT_FAILED = 1


@dataclass
class Context:
    """What the global options chose, shared by every sub-command."""

    home: Path
    as_name: str | None
    shared: str | None = None

    def config(self) -> Config:
        try:
            return load_config(overrides={"sync.shared": self.shared})
        except InvalidInput as exc:
            raise _naming_config_file(exc) from None

    @contextmanager
    def workspace(self, readonly: bool = False) -> Iterator[Workspace]:
        """Open the workspace for one command and close it afterwards."""
        ws = Workspace.open(self.home, me=self.as_name, readonly=readonly, config=self.config())
        try:
            yield ws
        finally:
            ws.close(checkpoint="if_large")


pass_ctx = click.make_pass_decorator(Context)


def _naming_config_file(exc: InvalidInput) -> InvalidInput:
    """Config problems name the file as well as the setting."""
    path = config_path()
    problems = []
    for problem in exc.problems:
        field, message = problem.field, problem.message
        if field.startswith("config ") and str(path) not in field:
            setting = field.removeprefix("config ")
            field = f"config {path} setting {setting}"
            if message == "is not a field of this record":
                message = "is not a known setting"
        problems.append(FieldProblem(field, message))
    return InvalidInput(problems)


class PulseGroup(click.Group):
    """A click group that turns domain errors into exit codes and plain messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidInput as exc:
            for problem in exc.problems:
                click.echo(f"pulsetui: invalid {problem.field}: {problem.message}", err=True)
            ctx.exit(EXIT_INVALID)
        except WorkspaceLocked as exc:
            click.echo(f"pulsetui: {exc}", err=True)
            ctx.exit(EXIT_FAILED)
        except StoreError as exc:
            click.echo(f"pulsetui: {exc}", err=True)
            ctx.exit(EXIT_FAILED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("pulsetui: interrupted", err=True)
            ctx.exit(130)
        except OSError as exc:
            click.echo(
                f"pulsetui: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True
            )
            ctx.exit(EXIT_FAILED)
        except Exception as exc:  # the last guard: a message, never a traceback
            click.echo(f"pulsetui: unexpected error: {type(exc).__name__}: {exc}", err=True)
            ctx.exit(EXIT_FAILED)


@click.group(
    cls=PulseGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PULSETUI_HOME",
    help="Workspace folder (default: the platform's user data dir; env PULSETUI_HOME).",
)
@click.option(
    "--as",
    "as_name",
    metavar="NAME",
    help="Sign in as this manager (creates them in a new workspace; env PULSETUI_ME).",
)
@click.option(
    "--shared",
    metavar="DIR",
    envvar="PULSETUI_SHARED",
    help="Shared sync folder (env PULSETUI_SHARED, or [sync] shared in the config file).",
)
@click.version_option(__version__, prog_name="pulsetui")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, as_name: str | None, shared: str | None) -> None:
    """pulsetui: pulse conversations, client meetings, agreements, NPS and eNPS.

    With no command, opens the terminal app on the workspace. Commands never wait
    for input when stdin is not a terminal. Exit codes: 0 ok, 2 invalid input (the
    message names the field; nothing was written), 1 anything else.
    """
    ctx.obj = Context(home=resolve_home(home), as_name=as_name, shared=shared)
    if ctx.invoked_subcommand is None:
        ctx.obj.config()  # a broken config file is reported first (exit 2)
        if not (_is_terminal(sys.stdin) and _is_terminal(sys.stdout)):
            click.echo(
                "pulsetui: the app needs a terminal; give a command (pulsetui --help)", err=True
            )
            ctx.exit(EXIT_FAILED)
        from pulsetui.cli.app_launcher import launch

        launch(ctx.obj)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def register(*modules: str) -> None:
    """Import the modules that add their commands to :data:`cli`."""
    import importlib

    for module in modules:
        importlib.import_module(module)


COMMAND_MODULES = (
    "pulsetui.cli.records",
    "pulsetui.cli.admin",
    "pulsetui.cli.sync_cmd",
    "pulsetui.cli.reports",
    "pulsetui.cli.merge_cmd",
)


def _tolerant_output() -> None:
    """Where stdout or stderr cannot encode every character (a Latin-1 or ASCII
    locale), print those characters as backslash escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and encoding not in ("utf8", "utf_8"):
            with suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> None:
    register(*COMMAND_MODULES)
    _tolerant_output()
    try:
        cli.main(args=argv, prog_name="pulsetui", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        # click reports usage errors with exit 2 already; keep its code.
        sys.exit(code if isinstance(code, int) else (0 if code is None else EXIT_FAILED))


if __name__ == "__main__":  # pragma: no cover
    # ``python -m pulsetui.cli.main``: the command modules add their commands to the
    # imported module's group, not to this __main__ copy of it, so run that one
    from pulsetui.cli.main import main as imported_main

    imported_main()
