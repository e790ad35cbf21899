"""Commands that move a record along its life rather than edit its fields: agreements
done / broken / cancelled / reopened, agenda items ticked or dropped, a meeting held,
a pulse follow-up kept; and the NPS and eNPS answer groups (their forms kept stable).

Each is a plain command; :mod:`pulsetui.cli.main` adds them to their groups.
"""

from __future__ import annotations

import click

from pulsetui.cli.completion import complete_rounds
from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.listing import describe
from pulsetui.cli.options import client_option
from pulsetui.cli.output import clip, say, stdin_is_terminal
from pulsetui.domain.dates import parse_date
from pulsetui.domain.enums import AgendaStatus, AgreementStatus, MeetingStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import AgendaItem, Client, ClientMeeting, PulseConversation, Record
from pulsetui.domain.text import safe_line
from pulsetui.service.enps_rounds import answer_rules
from pulsetui.service.meetings import end_meeting, start_meeting


def _agreement_status(name: str, status: AgreementStatus, summary: str) -> click.Command:
    @click.argument("ident", metavar="ID")
    @click.option("--reason", default="", metavar="TEXT", help="Why (required for broken, cancel).")
    @pass_ctx
    def command(ctx: Context, ident: str, reason: str) -> None:
        with ctx.workspace() as ws:
            record: Record = ws.find("agreement", ident, field="agreement")
            updated = ws.set_agreement_status(record.uid, status, reason)
            say(f"{updated.status.value}: {describe(ws, 'agreement', updated)}")

    command.__doc__ = summary
    return click.command(name, help=summary)(command)


def agreement_status_commands() -> list[click.Command]:
    """``agreement done``, ``broken``, ``cancel`` and ``reopen``."""
    return [
        _agreement_status("done", AgreementStatus.DONE, "Mark an agreement done."),
        _agreement_status(
            "broken", AgreementStatus.BROKEN, "Mark an agreement broken (needs --reason)."
        ),
        _agreement_status(
            "cancel", AgreementStatus.CANCELLED, "Cancel an agreement (needs --reason)."
        ),
        _agreement_status("reopen", AgreementStatus.OPEN, "Reopen an agreement."),
    ]


def _agenda_mark(name: str, status: AgendaStatus, where: str, summary: str) -> click.Command:
    """``agenda tick`` / ``agenda drop``: mark an agenda item (by name or id) in the
    meeting given (id or date)."""

    @click.argument("ident", metavar="ID")
    @click.option("--meeting", metavar="ID", help=f"The meeting it was {where} (id or date).")
    @pass_ctx
    def command(ctx: Context, ident: str, meeting: str | None) -> None:
        with ctx.workspace() as ws:
            item = ws.find(AgendaItem, ident, field="agenda")
            found = ws.find(ClientMeeting, meeting, field="meeting") if meeting else None
            updated = ws.mark_agenda(item.uid, status, found.uid if found else None)
            say(f"{status.value}: {describe(ws, 'agenda', updated)}")

    command.__doc__ = summary
    return click.command(name, help=summary)(command)


agenda_tick = _agenda_mark(
    "tick", AgendaStatus.DISCUSSED, "discussed in", "Mark an agenda item discussed."
)
agenda_drop = _agenda_mark(
    "drop", AgendaStatus.DROPPED, "dropped in", "Drop an agenda item without discussing it."
)


@click.command("hold")
@click.argument("ident", metavar="ID")
@click.option("--notes", metavar="TEXT", help="What was said.")
@click.option(
    "--date",
    "held_on",
    metavar="DATE",
    help="The day it was held (default: today; yesterday, 2026-11-18 ...).",
)
@pass_ctx
def meeting_hold(ctx: Context, ident: str, notes: str | None, held_on: str | None) -> None:
    """Hold a client meeting, as ending it in the app does: items added twice with the
    words of a topic settled in it share its fate; the next meeting is proposed."""
    with ctx.workspace() as ws:
        meeting = ws.find(ClientMeeting, ident, field="meeting")
        day = parse_date(held_on, ws.today(), "date") if held_on else None
        draft = start_meeting(ws, meeting.client, meeting=meeting.uid)
        end = end_meeting(ws, draft, notes=notes, held_on=day)
        updated = ws.require(ClientMeeting, end.meeting)
        say(f"{MeetingStatus(updated.status).value}: {describe(ws, 'meeting', updated)}")
        state = "planned" if end.next_planned else "proposed by the cadence"
        say(f"next meeting: {end.next_date.isoformat()} ({state})")


@click.command("keep")
@click.argument("ident", metavar="ID")
@click.argument("number", type=int)
@click.option("--undo", is_flag=True, help="Mark it not done again.")
@pass_ctx
def pulse_keep(ctx: Context, ident: str, number: int, undo: bool) -> None:
    """Mark follow-up NUMBER (1, 2, ...) of a pulse conversation done."""
    with ctx.workspace() as ws:
        pulse = ws.find(PulseConversation, ident, field="pulse")
        updated = ws.close_follow_up(pulse.uid, number - 1, done=not undo)
        item = updated.follow_ups[number - 1]
        state = "done" if item.done else "open"
        say(f"{state}: {clip(safe_line(item.text), 60)}")


# ---- NPS and eNPS (exact forms kept stable) -------------------------------------------------


@click.group()
def nps() -> None:
    """Client NPS answers: "How likely are you to recommend us? 0-10"."""


@nps.command("add")
@client_option
@click.option("--score", required=True, metavar="N", help="0-10.")
@click.option("--reason", default="", metavar="TEXT", help="Why this score.")
@click.option("--contact", default="", metavar="NAME", help="Who answered.")
@click.option(
    "--date",
    "day",
    default=None,
    metavar="DATE",
    help="When they answered: 2026-10-01, today, yesterday (default: today; not after today).",
)
@pass_ctx
def nps_add(
    ctx: Context, client_name: str, score: str, reason: str, contact: str, day: str | None
) -> None:
    """Record a client's NPS answer."""
    with ctx.workspace() as ws:
        client = ws.find(Client, client_name, field="client")
        date = parse_date(day, ws.today(), field="date") if day is not None else None
        record = ws.add_nps(client.uid, score=score, reason=reason, contact=contact, date=date)
        say(f"saved NPS {record.score} for {client.name} on {record.date} ({record.uid})")


@nps.command("delete")
@click.argument("ident", metavar="ID")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def nps_delete(ctx: Context, ident: str, yes: bool) -> None:
    """Delete an NPS answer entered by mistake (asks first on a terminal)."""
    with ctx.workspace() as ws:
        record: Record = ws.require("nps", ident.strip())
        if not yes:
            if not stdin_is_terminal():
                raise InvalidInput.one(
                    "yes", "--yes is required to delete when stdin is not a terminal"
                )
            if not click.confirm(f"Delete NPS answer {safe_line(record.uid)}?", default=False):
                say("nothing deleted")
                return
        ws.delete("nps", record.uid)
        say(f"deleted NPS answer {record.uid}")


@click.group(invoke_without_command=True)
@click.option(
    "--round",
    "round_",
    default=None,
    metavar="R",
    help="Survey round (default: the open one).",
    shell_complete=complete_rounds,
)
@click.pass_context
def enps(click_ctx: click.Context, round_: str | None) -> None:
    """Anonymous employee eNPS answers. Alone, opens the anonymous answer screen."""
    if click_ctx.invoked_subcommand is not None:
        return
    from pulsetui.cli.app_launcher import launch_enps

    launch_enps(click_ctx.ensure_object(Context), round_)


@enps.command("add")
@click.option("--score", required=True, metavar="N", help="0-10.")
@click.option("--reason", default="", metavar="TEXT", help="Why this score (optional).")
@click.option(
    "--round",
    "round_",
    default=None,
    metavar="R",
    help="Survey round (default: the open one).",
    shell_complete=complete_rounds,
)
@pass_ctx
def enps_add(ctx: Context, score: str, reason: str, round_: str | None) -> None:
    """Record an anonymous eNPS answer (no name, no time beyond the round).

    Answers are taken only while their round is open (`pulsetui enps open`); an answer
    for a round that was never opened or has closed is refused and nothing is saved."""
    with ctx.workspace() as ws:
        record = ws.add_enps(score=score, reason=reason, round=round_)
        say(f"saved an anonymous eNPS answer for round {record.round}")
        say(answer_rules(ws))
