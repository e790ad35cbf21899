"""Start the Textual app from the command line (imported only when it is needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pulsetui.cli.context import Context


def launch(ctx: Context) -> None:
    from pulsetui.tui.running import run_app

    run_app(home=ctx.home, as_name=ctx.as_name, config=ctx.config)


def launch_enps(ctx: Context, round: str | None = None) -> None:
    """The anonymous eNPS screen; needs a terminal like the app itself."""
    import sys

    import click

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo("pulsetui: the eNPS screen needs a terminal; use 'pulsetui enps add'", err=True)
        raise SystemExit(1)
    from pulsetui.tui.running import run_enps

    run_enps(home=ctx.home, as_name=ctx.as_name, config=ctx.config(), round=round)
