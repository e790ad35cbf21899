"""Quick entry, listing and showing of records from the command line."""

from __future__ import annotations

from typing import Any

import click
import orjson

from pulsetui.cli.main import Context, cli, pass_ctx
from pulsetui.domain.models import ENTITIES, Client


def emit_json(data: Any) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())


@cli.group()
def nps() -> None:
    """Client NPS answers: "How likely are you to recommend us? 0-10"."""


@nps.command("add")
@click.option("--client", "client_name", required=True, metavar="NAME", help="Client name or id.")
@click.option("--score", required=True, metavar="N", help="0-10.")
@click.option("--reason", default="", metavar="TEXT", help="Why this score.")
@click.option("--contact", default="", metavar="NAME", help="Who answered.")
@pass_ctx
def nps_add(ctx: Context, client_name: str, score: str, reason: str, contact: str) -> None:
    """Record a client's NPS answer."""
    with ctx.workspace() as ws:
        client = ws.find(Client, client_name, field="client")
        record = ws.add_nps(client.uid, score=score, reason=reason, contact=contact)
        click.echo(f"saved NPS {record.score} for {client.name} ({record.uid})")


@cli.group()
def enps() -> None:
    """Anonymous employee eNPS answers."""


@enps.command("add")
@click.option("--score", required=True, metavar="N", help="0-10.")
@click.option("--reason", default="", metavar="TEXT", help="Why this score (optional).")
@click.option("--round", "round_", default=None, metavar="R", help="Survey round (default: year).")
@pass_ctx
def enps_add(ctx: Context, score: str, reason: str, round_: str | None) -> None:
    """Record an anonymous eNPS answer (no name, no time beyond the round)."""
    with ctx.workspace() as ws:
        record = ws.add_enps(score=score, reason=reason, round=round_)
        click.echo(f"saved an anonymous eNPS answer for round {record.round}")


@cli.command("list")
@click.argument("kind", type=click.Choice(sorted(s.plural for s in ENTITIES.values() if s.scope != "anonymous")))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def list_cmd(ctx: Context, kind: str, as_json: bool) -> None:
    """List records of one kind."""
    name = next(n for n, s in ENTITIES.items() if s.plural == kind)
    with ctx.workspace(readonly=True) as ws:
        records = sorted(ws.list(name), key=lambda r: r.uid)
        if as_json:
            emit_json([{"uid": r.uid, **r.fields()} for r in records])
            return
        title = ENTITIES[name].title_field
        for record in records:
            click.echo(f"{record.uid}  {getattr(record, title)}")
