"""Workspace-wide commands: locate, export."""

from __future__ import annotations

import sys

import click

from pulsetui.cli.main import Context, cli, pass_ctx
from pulsetui.service.paths import config_path


@cli.command()
@pass_ctx
def locate(ctx: Context) -> None:
    """Show where the workspace and the configuration file are."""
    click.echo(f"workspace: {ctx.home}")
    click.echo(f"config:    {config_path()}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@pass_ctx
def export(ctx: Context, fmt: str) -> None:
    """Print the complete current state (deterministic: same state, same bytes)."""
    with ctx.workspace(readonly=True) as ws:
        sys.stdout.buffer.write(ws.export_json())
