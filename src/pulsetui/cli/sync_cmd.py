"""``pulsetui sync``: one sync pass, ``sync --check`` (findings only), ``sync init``."""

from __future__ import annotations

from pathlib import Path

import click

from pulsetui.cli.context import EXIT_FAILED, Context
from pulsetui.cli.output import emit_json, json_option, say, say_all
from pulsetui.domain.errors import InvalidInput
from pulsetui.sync.doctor import sync_findings
from pulsetui.sync.engine import SyncEngine
from pulsetui.sync.folder import Refused, init_folder


def sync_folders(ctx: Context) -> tuple[Path | None, Path | None]:
    """The shared and personal folders from --shared, the environment or the config."""
    config = ctx.config()
    shared = Path(config.sync.shared).expanduser() if config.sync.shared else None
    personal = Path(config.sync.personal).expanduser() if config.sync.personal else None
    if shared is None and personal is None:
        raise InvalidInput.one(
            "shared",
            "no sync folder: give --shared DIR, set PULSETUI_SHARED, or [sync] shared "
            "in the config file",
        )
    return shared, personal


# what one sync pass reports in JSON (docs/json.md), by the report's attribute names
SYNC_WAIT_SECONDS = 120.0  # for the app's pass to end (a first join may take a while)
REPORT_FIELDS = (
    "exported_ops",
    "segments_written",
    "ingested_ops",
    "segments_read",
    "answers_dropped",
    "answers_read",
    "waiting",
    "problems",
    "notes",
    "clone",
)


@click.group("sync", invoke_without_command=True)
@click.option("--check", is_flag=True, help="Only list problems in the sync folders.")
@json_option
@click.pass_context
def sync_cmd(click_ctx: click.Context, check: bool, as_json: bool) -> None:
    """Send this workspace's changes to the shared folder and take in everyone else's.

    The folder is --shared DIR, PULSETUI_SHARED or [sync] shared in the config file;
    private pulse notes go only to [sync] personal (PULSETUI_PERSONAL), if set. Names
    from the folder are printed with any control character shown, never obeyed.
    --check exits 1 when it found a problem."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: Context = click_ctx.obj
    shared, personal = sync_folders(ctx)
    if check:
        with ctx.workspace(readonly=True) as ws:
            findings = sync_findings(ws, shared, personal)
        if as_json:
            emit_json({"findings": findings})
        else:
            say_all(findings or ["no sync problems found"])
        click_ctx.exit(EXIT_FAILED if findings else 0)
    with ctx.workspace() as ws:
        engine = SyncEngine(ws, shared, personal)
        try:
            report = engine.run_once(wait=SYNC_WAIT_SECONDS)  # the app's pass ends first
        finally:
            engine.close()
    if as_json:
        emit_json({name: getattr(report, name) for name in REPORT_FIELDS})
    else:
        say_all(report.lines())
    failed = ("not a pulsetui sync folder", "upgrade", "is syncing this workspace")
    if any(why in p for p in report.problems for why in failed):
        click_ctx.exit(EXIT_FAILED)


@sync_cmd.command("init")
@click.option("--group", metavar="NAME", help="Unix group that shares the folder on a server.")
@click.option("--personal", is_flag=True, help="Set up the personal folder instead.")
@click.pass_context
def sync_init(click_ctx: click.Context, group: str | None, personal: bool) -> None:
    """Prepare the folder: FORMAT, README.txt (with Syncthing ignore lines), replicas/, inbox/."""
    ctx: Context = click_ctx.obj
    shared, personal_dir = sync_folders(ctx)
    target = personal_dir if personal else shared
    if target is None:
        field = "personal" if personal else "shared"
        raise InvalidInput.one(field, f"no {field} folder is configured")
    if group is not None:
        import grp

        try:
            grp.getgrnam(group)
        except KeyError:
            raise InvalidInput.one("group", f"no group named {group!r} on this machine") from None
    try:
        done = init_folder(target, group)
    except Refused as exc:
        say(f"pulsetui: {exc}", err=True)
        click_ctx.exit(EXIT_FAILED)
    say_all(done or [f"{target / 'pulsetui'} is already set up"])
