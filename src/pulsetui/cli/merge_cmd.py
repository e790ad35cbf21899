"""``pulsetui duplicates`` and ``pulsetui merge``: records made under one name on two
replicas before they synced."""

from __future__ import annotations

import click

from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.output import emit_json, json_option, say, stdin_is_terminal
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Record
from pulsetui.domain.text import safe_line
from pulsetui.service.merge import MERGEABLE, duplicates, merge

KIND = click.Choice(MERGEABLE)


@click.command("duplicates")
@click.argument("kind", type=KIND, default="client")
@json_option
@pass_ctx
def duplicates_cmd(ctx: Context, kind: str, as_json: bool) -> None:
    """List records of KIND (client, consultant, manager) that share a name."""
    with ctx.workspace(readonly=True) as ws:
        groups = duplicates(ws, kind)
        if as_json:
            listed = [[{"uid": r.uid, "name": getattr(r, "name", "")} for r in g] for g in groups]
            emit_json({"kind": kind, "groups": listed})
            return
        if not groups:
            say(f"no two {kind}s share a name")
        for group in groups:
            say(" = ".join(f"{getattr(r, 'name', '')!r} ({r.uid})" for r in group))


@click.command("merge")
@click.argument("kind", type=KIND)
@click.argument("keep", metavar="KEEP_ID")
@click.argument("drop", metavar="DROP_ID")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def merge_cmd(ctx: Context, kind: str, keep: str, drop: str, yes: bool) -> None:
    """Merge DROP_ID into KEEP_ID: every reference moves to KEEP_ID, contacts and notes
    are joined, DROP_ID is deleted. Asks first on a terminal, needs --yes otherwise."""
    with ctx.workspace() as ws:
        kept: Record = ws.require(kind, keep)
        dropped: Record = ws.require(kind, drop)
        if not yes:
            if not stdin_is_terminal():
                raise InvalidInput.one(
                    "yes", "--yes is required to merge when stdin is not a terminal"
                )
            name = getattr(dropped, "name", drop)
            question = safe_line(f"Merge {name!r} ({drop}) into ({keep})?")
            if not click.confirm(question, default=False):
                say("nothing merged")
                return
        moved = merge(ws, kind, kept.uid, dropped.uid)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(moved.items())) or "no references"
        say(f"merged {drop} into {keep}; moved {summary}")
