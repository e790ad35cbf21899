"""``pulsetui serve``: the app in a browser (needs the ``serve`` extra)."""

from __future__ import annotations

import click

from pulsetui.cli.context import Context, pass_ctx
from pulsetui.domain.errors import InvalidInput


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on. Only loopback unless --allow-remote.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on an interface other machines reach. The page shows private notes: "
    "prefer an SSH tunnel (ssh -L 8000:127.0.0.1:8000 server) to this.",
)
@pass_ctx
def serve(ctx: Context, host: str, port: int, allow_remote: bool) -> None:
    """Open the app in a web browser, through textual-serve.

    The server listens on 127.0.0.1 and prints a one-time link: the first browser
    that opens it is let in, anyone else is refused. From another machine, reach it
    through an SSH tunnel rather than --allow-remote.

    \b
    Examples:
      pulsetui serve
      pulsetui serve --port 8080
      ssh -L 8000:127.0.0.1:8000 server 'pulsetui serve'   # then open the link locally
    """
    try:
        from pulsetui.tui.serve import is_loopback
        from pulsetui.tui.serve import serve as run_server
    except ImportError:
        raise click.ClickException(
            "the browser view needs textual-serve: pip install 'pulsetui[serve]'"
        ) from None
    if not allow_remote and not is_loopback(host):
        raise InvalidInput.one(
            "host",
            f"{host} is reachable from other machines and the page shows private notes; "
            "use 127.0.0.1 with an SSH tunnel, or add --allow-remote",
        )
    ctx.config()  # a broken config file is reported before the server starts
    run_server(ctx.home, ctx.as_name, host, port)
