"""Start the Textual app from the command line (imported only when it is needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pulsetui.cli.main import Context


def launch(ctx: Context) -> None:
    from pulsetui.tui.app import run_app

    run_app(home=ctx.home, as_name=ctx.as_name, config=ctx.config())
