"""Workspace-wide commands: locate, export, demo and doctor."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import sys
from pathlib import Path

import click

from pulsetui.cli.completion import record_names
from pulsetui.cli.context import EXIT_FAILED, Context, pass_ctx
from pulsetui.cli.output import emit_json, json_option, say
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client
from pulsetui.service.config import Config
from pulsetui.service.paths import config_path, resolve_home

EXPORT_FORMATS = ["json", "ics", "csv"]


@click.command()
@json_option
@pass_ctx
def locate(ctx: Context, as_json: bool) -> None:
    """Show where the workspace and the configuration file are."""
    if as_json:
        emit_json({"workspace": str(ctx.home), "config": str(config_path())})
        return
    say(f"workspace: {ctx.home}")
    say(f"config:    {config_path()}")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--table",
    type=click.Choice(["nps", "enps", "agreements"]),
    default="nps",
    show_default=True,
    help="With --format csv: which table.",
)
@click.option(
    "--excel",
    is_flag=True,
    help="With --format csv: for Excel where ';' separates lists (Finnish, Estonian, German, "
    "Russian ...): UTF-8 with a byte-order mark, ';', CRLF, decimal comma.",
)
@click.option(
    "--raw",
    is_flag=True,
    help="With --format csv: every value exactly as stored, no formula guard (for data "
    "pipelines, never for a spreadsheet).",
)
@click.option(
    "--client",
    "client_names",
    multiple=True,
    metavar="NAME",
    help="With --format ics: only this client's meetings (repeat for several).",
    shell_complete=record_names("client"),
)
@click.option(
    "--include-private",
    is_flag=True,
    help="With --format json: include your own private records (pulse conversations).",
)
@pass_ctx
def export(
    ctx: Context,
    fmt: str,
    table: str,
    excel: bool,
    raw: bool,
    client_names: tuple[str, ...],
    include_private: bool,
) -> None:
    """Print the current state to share (deterministic: same state, same bytes).

    The JSON holds the current records, grouped by kind and sorted by id, and any
    unresolved conflicts; no local ids, replica ids or paths. Private pulse
    conversations are left out unless --include-private (your own; another manager's
    never), and eNPS answers of rounds
    not published (open, waiting for results, or below the minimum group) always;
    stderr says what was left out. For a complete copy use `pulsetui backup`.
    ``--format ics`` prints the meeting schedule as iCalendar (your clients', or
    --client's) in your time zone ([calendar] timezone, else the system's);
    ``--format csv`` one table (NPS, eNPS per round, agreements).

    CSV is UTF-8 with ',' and CRLF (RFC 4180); --excel writes it for Excel in locales
    that separate lists with ';'. Text cells starting with = + - @, a tab or a carriage
    return get a leading apostrophe so no spreadsheet runs them as a formula; --raw
    leaves them as stored."""
    from pulsetui.reports.backup import left_out
    from pulsetui.reports.exports import write_export

    form = csv_form(fmt, excel, raw)
    if include_private and fmt != "json":
        raise InvalidInput.one(
            "include-private", f"goes with --format json only (got --format {fmt})"
        )
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        raise OSError(errno.EBADF, "cannot write the export: stdout is closed")
    if client_names and fmt != "ics":
        raise InvalidInput.one("client", f"goes with --format ics only (got --format {fmt})")
    with ctx.workspace(readonly=True) as ws:
        clients = [ws.find(Client, name, field="client").uid for name in client_names] or None
        notes = left_out(ws, include_private) if fmt == "json" else []
        for note in notes:
            say(f"pulsetui: {note}", err=True)
        write_export(ws, out, fmt, table, form, include_private, clients)


def csv_form(fmt: str, excel: bool, raw: bool) -> str:
    """The CSV form the flags ask for; the flags only go with ``--format csv``."""
    for flag, given in (("excel", excel), ("raw", raw)):
        if given and fmt != "csv":
            raise InvalidInput.one(flag, f"goes with --format csv only (got --format {fmt})")
    if excel and raw:
        raise InvalidInput.one(
            "raw", "cannot go with --excel: a file for a spreadsheet keeps the formula guard"
        )
    return "excel" if excel else "raw" if raw else "plain"


@click.command()
@click.option(
    "--home",
    "demo_home",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to create the demo workspace (default: the global --home).",
)
@click.option("--force", is_flag=True, help="Replace an existing workspace there.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed of the firm.")
@click.option(
    "--today",
    metavar="DATE",
    default="2026-11-20",
    show_default=True,
    help="The day the demo's history ends (ISO date).",
)
@pass_ctx
def demo(ctx: Context, demo_home: Path | None, force: bool, seed: int, today: str) -> None:
    """Create a demo firm: 3 managers, 12 consultants, 8 clients and a year of history.

    Signs in as Liisa Mäkinen; the global --as NAME picks another demo manager
    (Jüri Tamm, Ольга Смирнова). The same --seed and --today give the same data."""
    from pulsetui.service.demo import create_demo

    home = resolve_home(demo_home) if demo_home else ctx.home
    try:
        day = dt.date.fromisoformat(today.strip())
    except ValueError:
        raise InvalidInput.one(
            "today", f"must be an ISO date like 2026-11-20 (got {today!r})"
        ) from None
    show = sys.stderr.isatty()
    with (
        click.progressbar(length=1, label="Creating the demo firm", file=sys.stderr, show_pos=False)
        if show
        else contextlib.nullcontext() as bar
    ):

        def progress(step: str, done: int, total: int) -> None:
            if bar is not None:
                bar.length = total
                bar.update(done - bar.pos)

        summary = create_demo(
            home, today=day, seed=seed, as_name=ctx.as_name, force=force, progress=progress
        )
    say(f"Demo firm created in {summary.home}: {summary.total} records.")
    for kind, count in summary.counts.items():
        say(f"  {kind:<11} {count}")
    say(f"Signed in as {summary.me}. Open it with: pulsetui --home {summary.home}")


@click.command()
@json_option
@pass_ctx
def doctor(ctx: Context, as_json: bool) -> None:
    """Check the workspace: journal, view, lock and file modes; the config file; say
    what was found.

    With a shared or personal sync folder configured, also every entry there that
    sync would skip or refuse. Exits 1 when a problem was found."""
    from pulsetui.service.doctor import Finding, Level, check_workspace

    findings = check_workspace(ctx.home)
    config: Config | None = None
    try:
        config = ctx.config()
    except InvalidInput as exc:
        findings += [Finding("config", Level.PROBLEM, str(problem)) for problem in exc.problems]
    else:
        findings.append(Finding("config", Level.OK, config_summary(config.source)))
    if (
        config is not None
        and (config.sync.shared or config.sync.personal)
        and not any(f.check == "workspace" and f.is_problem for f in findings)
    ):
        from pulsetui.sync.doctor import sync_findings

        shared = Path(config.sync.shared).expanduser() if config.sync.shared else None
        personal = Path(config.sync.personal).expanduser() if config.sync.personal else None
        with ctx.workspace(readonly=True) as ws:
            lines = sync_findings(ws, shared, personal)
        findings += [Finding("sync", Level.PROBLEM, line) for line in lines]
        if not lines:
            findings.append(Finding("sync", Level.OK, "no sync problems found"))
    problems = [f for f in findings if f.is_problem]
    if as_json:
        emit_json(
            {
                "findings": [
                    {"check": f.check, "level": f.level.value, "message": f.message}
                    for f in findings
                ],
                "problems": len(problems),
            }
        )
    else:
        for finding in findings:
            say(finding)  # paths, file names and file contents may hold anything
    if problems:
        if not as_json:
            say(f"{len(problems)} problem(s) found.", err=True)
        click.get_current_context().exit(EXIT_FAILED)
    if not as_json:
        say("No problems found.")


def config_summary(source: Path | None) -> str:
    """What doctor says about a config file that is valid."""
    if source is None:
        return f"no config file at {config_path()}; the defaults apply"
    return f"{source} is valid"
