"""What is sent to a client: ``agenda send`` (the agenda of one meeting as Markdown and
its invite as iCalendar) and ``meeting summary`` (the last meeting held, as Markdown).
Files go to --out DIR, else (agenda send) the documents folder or the workspace's
``exports/``, under names that are free: nothing is ever written over an existing
file."""

from __future__ import annotations

from pathlib import Path

import click

from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.options import client_option
from pulsetui.cli.output import say
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client
from pulsetui.service.saving import default_folder, free_stem, save_new


def out_folder(home: Path, out: Path | None) -> Path:
    """--out when given (it must be a folder), else the default folder."""
    if out is None:
        return default_folder(home)
    if not out.is_dir():
        raise InvalidInput.one("out", f"{out} is not a folder")
    return out


@click.command("send")
@client_option
@click.option(
    "--meeting",
    default=None,
    metavar="DATE|ID",
    help="The meeting: its day (YYYY-MM-DD) or id (default: the next planned).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Folder to write to (default: your documents folder, else the workspace's exports/).",
)
@click.option(
    "--reminder",
    type=click.IntRange(0, 10080),
    default=None,
    metavar="MINUTES",
    help="Remind this long before (default: [calendar] reminder_minutes; 0: no reminder).",
)
@pass_ctx
def agenda_send(
    ctx: Context, client_name: str, meeting: str | None, out: Path | None, reminder: int | None
) -> None:
    """Write one meeting's agenda to send ahead: Markdown and an .ics invite.

    The agenda holds the topics new since the last meeting, those carried over, and
    the client's open agreements; the invite is for that meeting only, in your time
    zone ([calendar] timezone, else the system's), with the client's contacts as
    attendees. Sent again after the meeting changed, the invite carries a higher
    revision, so calendars update it; a cancelled meeting's invite cancels it."""
    from pulsetui.reports.agenda import agenda_markdown
    from pulsetui.reports.ics import invite_calendar
    from pulsetui.service.agenda_ahead import agenda_ahead

    with ctx.workspace(readonly=True) as ws:
        client = ws.find(Client, client_name, field="client")
        ahead = agenda_ahead(ws, client.uid, meeting)
        minutes = ws.config.calendar.reminder_minutes if reminder is None else reminder
        markdown = agenda_markdown(ahead).encode("utf-8")
        invite = invite_calendar(ws, ahead.meeting, reminder_minutes=minutes)
        folder = out_folder(ws.home, out)
    slot = ahead.meeting
    stem = free_stem(folder, f"{slot.client_name} {slot.day.isoformat()} agenda", (".md", ".ics"))
    written = [
        save_new(stem.with_name(stem.name + ".md"), markdown, field="out"),
        save_new(stem.with_name(stem.name + ".ics"), invite, field="out"),
    ]
    when = slot.day.isoformat() + (f" {slot.time} {slot.zone.name}" if slot.time else "")
    what = "cancellation" if slot.cancelled else "invite"
    say(f"agenda for the meeting of {when}: {written[0]}")
    say(f"{what} (revision {slot.sequence}): {written[1]}")
    unreachable = [p.name for p in slot.attendees if not p.email]
    if unreachable:
        say(f"no e-mail known for: {'; '.join(unreachable)} (listed in the invite, not mailed)")


@click.command("summary")
@client_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Write it as a Markdown file in DIR (never over an existing file) instead of printing it.",
)
@pass_ctx
def meeting_summary_cmd(ctx: Context, client_name: str, out: Path | None) -> None:
    """The summary of the client's last meeting held, as Markdown to send: topics
    discussed, dropped and carried over, the agreements made, the notes and the next
    meeting planned. Printed (to pipe into a mail), or written to a file with --out."""
    from pulsetui.reports.sendable import summary_forms

    with ctx.workspace(readonly=True) as ws:
        client = ws.find(Client, client_name, field="client")
        summary = summary_forms(ws, client.uid)
        folder = out_folder(ws.home, out) if out is not None else None
    if folder is None:
        click.echo(summary.markdown, nl=False)
        return
    stem = free_stem(folder, summary.title, (".md",))
    written = save_new(stem.with_name(stem.name + ".md"), summary.markdown.encode(), field="out")
    say(f"meeting summary: {written}")
