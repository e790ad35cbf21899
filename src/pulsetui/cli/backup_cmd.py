"""``pulsetui backup FILE`` and ``pulsetui restore FILE``: the complete workspace, private
records and every eNPS answer included, as opposed to the shareable ``export``."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click

from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.output import say
from pulsetui.cli.reports import read_input_file
from pulsetui.domain.models import ENTITIES


def _counted(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    detail = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    return f"{total} records" + (f" ({detail})" if detail else "")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@pass_ctx
def backup_cmd(ctx: Context, file: Path, force: bool) -> None:
    """Write a complete backup of the workspace to FILE (readable by you only, 0600).

    It holds everything needed to rebuild the workspace exactly: its whole history,
    private pulse notes and every eNPS answer, also of rounds that have too few answers
    to show. Keep it as safe as the workspace itself; to share data use `export`.
    FILE is never written over unless --force; `-` writes to stdout."""
    from pulsetui.reports.backup import write_backup
    from pulsetui.service.backup import take_backup
    from pulsetui.service.saving import save_new_by

    with ctx.workspace(readonly=True) as ws:
        backup = take_backup(ws)
        counts = {name: ws.count(name) for name in sorted(ENTITIES)}
    # the journal's lines are read as they are written out, never held whole
    if str(file) == "-":
        out = getattr(sys.stdout, "buffer", None)
        if out is None:
            raise OSError(errno.EBADF, "cannot write the backup: stdout is closed")
        write_backup(backup, out)
        out.flush()
        where = "stdout"
    else:
        save_new_by(file.absolute(), lambda out: write_backup(backup, out), overwrite=force)
        where = str(file)
    if backup.skipped:
        say(
            f"pulsetui: left out {backup.skipped} damaged line(s) of the journal, which the "
            "workspace skips too (see pulsetui doctor)",
            err=True,
        )
    say(f"backed up {_counted(counts)} to {where}", err=where == "stdout")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option(
    "--replace",
    is_flag=True,
    help="If --home already holds a workspace, move it aside to HOME.before-restore-TIME "
    "first (it is kept, not deleted).",
)
@pass_ctx
def restore_cmd(ctx: Context, file: Path, replace: bool) -> None:
    """Rebuild the workspace from a file written by `pulsetui backup`.

    The file is checked whole first (a damaged or cut-short file restores nothing).
    --home must be new or empty unless --replace. The restored workspace signs in as
    the manager who made the backup, and syncs as a new installation that carries the
    backup's changes on to the team."""
    from pulsetui.service.backup import MAX_BACKUP_BYTES, read_backup, restore_backup

    backup = read_backup(read_input_file(file, MAX_BACKUP_BYTES))
    done = restore_backup(ctx.home, backup, replace=replace)
    if done.set_aside is not None:
        say(f"the workspace that was at {ctx.home} is now at {done.set_aside}")
    say(f"restored {_counted(done.counts)} into {ctx.home}")
