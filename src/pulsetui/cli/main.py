"""The ``pulsetui`` command: the root group with the global options, every command
added to it in one place, and the guard that turns errors into exit codes.

With no command it opens the TUI. Exit codes: 0 ok; 2 invalid input (the message
names the field and the rule, and nothing was written); 1 anything else, with a
message and never a traceback.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any, NoReturn

import click

from pulsetui import __version__
from pulsetui.cli import (
    admin,
    backup_cmd,
    completion,
    config_cmd,
    enps_cmd,
    judgements,
    listing,
    merge_cmd,
    reports,
    search_cmd,
    sending,
    serve_cmd,
    status,
    sync_cmd,
    today_cmd,
)
from pulsetui.cli.completion import COMPLETE_VAR
from pulsetui.cli.context import EXIT_FAILED, EXIT_INVALID, Context
from pulsetui.cli.examples import add_examples
from pulsetui.cli.output import say
from pulsetui.cli.records import record_groups
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.text import safe_line
from pulsetui.service.paths import resolve_home
from pulsetui.store.store import StoreError, WorkspaceLocked


class PulseGroup(click.Group):
    """A click group that turns domain errors into exit codes and plain messages.

    Every message is one line made safe to print (:func:`safe_line`): it may quote
    what was typed, a path or a name from the shared folder."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            # "no such option", "unexpected extra argument" quote what was typed
            text = exc.format_message()
            if safe_line(text) == text:
                raise
            shown = (  # the same exit code: 2 for a usage error, else 1
                click.UsageError(safe_line(text), exc.ctx)
                if isinstance(exc, click.UsageError)
                else click.ClickException(safe_line(text))
            )
            raise shown from None
        except (click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _quiet_closed_pipe()
        except (Exception, KeyboardInterrupt) as exc:
            ctx.exit(report_failure(exc))


def report_failure(exc: Exception | KeyboardInterrupt) -> int:
    """Say what went wrong, in one safe line per problem, and return the exit code: 2
    for invalid input (the field and the rule), 130 when interrupted, else 1; never a
    traceback."""
    if isinstance(exc, InvalidInput):
        for problem in exc.problems:
            say(f"pulsetui: invalid {problem.field}: {problem.message}", err=True)
        return EXIT_INVALID
    if isinstance(exc, WorkspaceLocked | StoreError):
        say(f"pulsetui: {exc}", err=True)
    elif isinstance(exc, KeyboardInterrupt):
        say("pulsetui: interrupted", err=True)
        return 130
    elif isinstance(exc, OSError):
        say(f"pulsetui: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
    else:  # the last guard: a message, never a traceback
        say(f"pulsetui: unexpected error: {type(exc).__name__}: {exc}", err=True)
    return EXIT_FAILED


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
    message names the field; nothing was written), 1 anything else. `pulsetui config`
    shows the settings, `pulsetui completion SHELL` prints shell completion, and
    --json output is described in docs/json.md.
    """
    from_flag = ctx.get_parameter_source("shared") == click.core.ParameterSource.COMMANDLINE
    ctx.obj = Context(
        home=resolve_home(home), as_name=as_name, shared=shared, shared_from_flag=from_flag
    )
    if ctx.invoked_subcommand is None:
        ctx.obj.config()  # a broken config file is reported first (exit 2)
        if not (_is_terminal(sys.stdin) and _is_terminal(sys.stdout)) and not _web_driver():
            say("pulsetui: the app needs a terminal; give a command (pulsetui --help)", err=True)
            ctx.exit(EXIT_FAILED)
        from pulsetui.cli.app_launcher import launch

        launch(ctx.obj)


def _web_driver() -> bool:
    """Started by ``pulsetui serve`` (textual-serve sets Textual's web driver): the
    browser is the terminal."""
    return os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def add_commands(group: click.Group) -> None:
    """Every command of pulsetui, added here and nowhere else: the command modules only
    define commands, so importing one changes no group."""
    records = record_groups()
    for command in status.agreement_status_commands():
        records["agreement"].add_command(command)
    records["agenda"].add_command(status.agenda_tick)
    records["agenda"].add_command(status.agenda_drop)
    records["agenda"].add_command(sending.agenda_send)
    records["meeting"].add_command(status.meeting_hold)
    records["meeting"].add_command(sending.meeting_summary_cmd)
    records["pulse"].add_command(status.pulse_keep)
    status.nps.add_command(reports.nps_report)
    status.enps.add_command(reports.enps_report)
    status.enps.add_command(enps_cmd.enps_open)
    status.enps.add_command(enps_cmd.enps_rounds_cmd)
    for command in (
        *records.values(),
        status.nps,
        status.enps,
        today_cmd.today_cmd,
        listing.list_cmd,
        listing.show_cmd,
        admin.locate,
        admin.export,
        backup_cmd.backup_cmd,
        backup_cmd.restore_cmd,
        admin.demo,
        admin.doctor,
        sync_cmd.sync_cmd,
        reports.report,
        reports.flags_cmd,
        reports.address_cmd,
        judgements.snooze_cmd,
        judgements.segments_cmd,
        judgements.hats_cmd,
        judgements.brief_cmd,
        judgements.communicator,
        reports.health_cmd,
        reports.import_cmd,
        merge_cmd.duplicates_cmd,
        merge_cmd.merge_cmd,
        search_cmd.search_cmd,
        serve_cmd.serve,
        config_cmd.config_cmd,
        completion.completion_cmd,
    ):
        group.add_command(command)
    add_examples(group)


add_commands(cli)


def tolerant_output() -> None:
    """Where stdout or stderr cannot encode every character (a Latin-1 or ASCII
    locale), print those characters as backslash escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and encoding not in ("utf8", "utf_8"):
            with suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _complete(argv: list[str] | None) -> NoReturn:
    """Answer the shell's completion request; whatever goes wrong, offer nothing
    rather than print a traceback into the command line being typed."""
    try:
        cli.main(args=argv, prog_name="pulsetui", complete_var=COMPLETE_VAR)
    except SystemExit as exc:
        sys.exit(exc.code if isinstance(exc.code, int) else 0)
    except BaseException:
        sys.exit(1)
    sys.exit(0)


def _quiet_closed_pipe() -> NoReturn:
    """The reader of our output went away (``pulsetui list clients | head -1``): that
    is how pipes end, not an error. Exit 0 without a word; point stdout at /dev/null
    so the interpreter's final flush cannot complain either."""
    with suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    tolerant_output()
    if os.environ.get(COMPLETE_VAR):
        _complete(argv)
    try:
        cli.main(args=argv, prog_name="pulsetui", standalone_mode=True)
    except BrokenPipeError:
        _quiet_closed_pipe()
    except SystemExit as exc:
        code = exc.code
        # click reports usage errors with exit 2 already; keep its code.
        sys.exit(code if isinstance(code, int) else (0 if code is None else EXIT_FAILED))


if __name__ == "__main__":  # pragma: no cover
    main()
