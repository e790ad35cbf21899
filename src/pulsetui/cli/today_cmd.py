"""``pulsetui today``: what needs the signed-in manager today and this week, the same
content as the Today screen (one service view), short enough for a login shell, as
Markdown for a mail, or as JSON (docs/json.md)."""

from __future__ import annotations

import click

from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.output import emit_json, json_option, say_all
from pulsetui.domain.errors import InvalidInput


@click.command("today")
@json_option
@click.option(
    "--markdown", "as_markdown", is_flag=True, help="Every row as Markdown, e.g. for a mail."
)
@click.option("--all", "show_all", is_flag=True, help="Every row, not the first few per section.")
@pass_ctx
def today_cmd(ctx: Context, as_json: bool, as_markdown: bool, show_all: bool) -> None:
    """What needs you today and this week: red flags, pulses and client meetings due,
    agreements due (ours and the client's), weekly reports due, the yearly eNPS round,
    client health slipping, NPS and eNPS.

    The same content as the Today screen. Nothing is written; it runs while the app
    is open elsewhere (from cron or a status bar, say). See the README for a cron line
    that mails it each morning."""
    from pulsetui.reports.today_digest import digest_lines, digest_markdown
    from pulsetui.service.views.audience import Audience
    from pulsetui.service.views.today import today_view

    if as_json and as_markdown:
        raise InvalidInput.one("markdown", "cannot be given with --json: choose one form")
    with ctx.workspace(readonly=True) as ws:
        view = today_view(ws, Audience.manager(ws.me))
    if as_json:
        emit_json(view.as_dict())
    elif as_markdown:
        click.echo(digest_markdown(view), nl=False)
    else:
        say_all(digest_lines(view, None if show_all else 5))
