"""Judgement commands: ``segments`` (the 2x2 with each client's move and the
self-check), ``hats`` (each engagement's pulse beside its client's health), ``brief``
(what changed since the last meeting), ``communicator`` (hand the main communicator
role over; its history) and ``snooze`` (hide a red flag until a day).

The judgements are made in the domain and read by the service; these commands print
them. Everything here is internal to the manager: nothing is meant for a client."""

from __future__ import annotations

import click

from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.options import client_option
from pulsetui.cli.output import emit_json, json_option, say, say_text
from pulsetui.domain.communicators import role_label
from pulsetui.domain.dates import parse_date
from pulsetui.domain.enums import CommunicatorRole, Segment
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client, visible
from pulsetui.domain.nps import format_score
from pulsetui.domain.segment_check import POLICIES
from pulsetui.domain.segments import SEGMENT_LABELS
from pulsetui.domain.words import counted
from pulsetui.service.communicators import communicator_history, hand_over
from pulsetui.service.insights.brief import since_last_meeting
from pulsetui.service.insights.flags import snooze_flag
from pulsetui.service.insights.hats import three_hats
from pulsetui.service.insights.segments import segment_grid
from pulsetui.service.views.audience import Audience

GRID = (Segment.TOP, Segment.STEADY, Segment.WIN_BACK, Segment.PART_WAYS, Segment.UNKNOWN)


@click.command("segments")
@json_option
@pass_ctx
def segments_cmd(ctx: Context, as_json: bool) -> None:
    """My clients on the 2x2 grid (does the client want us, do we want the client),
    each quadrant with its policy, each client with its move since the end of last
    quarter and the answers the evidence suggests for the quarterly self-check:
    unpaid invoices, late client approvals or more than two decision makers suggest
    "we: unsure"; a detractor answer or a broken promise of ours, "client: no"."""
    with ctx.workspace(readonly=True) as ws:
        places = segment_grid(ws)
        if as_json:
            emit_json({"clients": [p.as_dict() for p in places]})
            return
        if not places:
            say("no clients")
            return
        for segment in GRID:
            here = [p for p in places if p.segment == segment]
            if not here and segment == Segment.UNKNOWN:
                continue
            say(f"{SEGMENT_LABELS[segment].capitalize()} ({len(here)}): {POLICIES[segment]}")
            for place in here:
                say(f"  {place.name} · {place.move}")
                check = place.check
                if check is not None and check.changes:
                    if check.client_reasons:
                        why = ", ".join(check.client_reasons)
                        say(f"    check: client wants us? maybe no ({why})")
                    if check.our_reasons:
                        why = ", ".join(check.our_reasons)
                        say(f"    check: do we want them? unsure ({why})")


@click.command("hats")
@json_option
@pass_ctx
def hats_cmd(ctx: Context, as_json: bool) -> None:
    """The three hats: every running engagement at my clients, the consultant's
    wellbeing at the last pulses (1-5) beside the client's health and its trend,
    judged from my own pulse conversations only."""
    with ctx.workspace(readonly=True) as ws:
        rows = three_hats(ws, Audience.manager(ws.me))
        if as_json:
            emit_json({"engagements": [r.as_dict() for r in rows]})
            return
        if not rows:
            say("no running engagements")
            return
        for row in rows:
            pulse = " → ".join(str(w) for _, w in row.pulse) or "no pulse held"
            strain = f"; strained {counted(row.strained, 'pulse')} in a row" if row.strained else ""
            health = row.health
            trend = " → ".join(str(s) for s in health.trend)
            say(f"{row.consultant_name} at {row.client_name}")
            say(f"  pulse: {pulse} ({row.pulse_state}{strain})")
            say(f"  client health: {health.score} {health.grade} (trend {trend})")


@click.command("brief")
@client_option
@json_option
@pass_ctx
def brief_cmd(ctx: Context, client_name: str, as_json: bool) -> None:
    """What changed for a client since the last meeting held: agenda items still open
    from before it, agreements due within a week or overdue, NPS now and its change,
    new requests, the next meeting (and one planned whose day passed unheld) and days
    since the last touchpoint."""
    with ctx.workspace(readonly=True) as ws:
        client = ws.find(Client, client_name, field="client")
        brief = since_last_meeting(ws, client.uid)
        if as_json:
            emit_json({"name": client.name, **brief.as_dict()})
            return
        last = brief.last_meeting.isoformat() if brief.last_meeting else "none held yet"
        say(f"{client.name}: last meeting {last}; next {brief.next_meeting_text(ws.today())}")
        change = ""
        if brief.nps_change is not None:
            change = f"; {format_score(brief.nps_change)} since the last meeting"
        say(f"NPS now: {brief.nps_now.label()}{change}")
        if brief.days_since_touchpoint is not None:
            say(f"last touchpoint {counted(brief.days_since_touchpoint, 'day')} ago")
        say(f"carried over: {counted(len(brief.carried_over), 'agenda item')}")
        for item in brief.carried_over:
            say(f"  - {item.text}")
        say(f"agreements due or overdue: {len(brief.agreements_due)}")
        for agreement in brief.agreements_due:
            due = agreement.due.isoformat() if agreement.due else "no date"
            say(f"  - {agreement.text} (due {due}; {agreement.side.value})")
        say(f"new requests: {len(brief.new_requests)}")
        for request in brief.new_requests:
            say(f"  - {request.kind.value}: {request.text} ({request.date.isoformat()})")


@click.group("communicator")
def communicator() -> None:
    """The client's main communicator: who mainly talks with the client. Hand the role
    over to start a new tenure (the months in the role count again); see who held it.
    A purely technical person in the role is a red flag."""


@communicator.command("set")
@client_option
@click.option("--name", "person", required=True, metavar="NAME", help="Who takes the role.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in CommunicatorRole]),
    help="Their role towards the client (technical: a purely technical person).",
)
@click.option("--from", "start", default=None, metavar="DATE", help="From when (default: today).")
@click.option("--note", default="", metavar="TEXT", help="The handover note.")
@pass_ctx
def communicator_set(
    ctx: Context, client_name: str, person: str, role: str, start: str | None, note: str
) -> None:
    """Hand the main communicator role over to NAME, with a handover note."""
    with ctx.workspace() as ws:
        client = ws.find(Client, client_name, field="client")
        day = parse_date(start, ws.today(), field="from") if start is not None else None
        hand_over(ws, client.uid, person, role, day, note)
        shown = day.isoformat() if day else "today"
        who = f"{person.strip()} ({role_label(role)})"
        say(f"{who} is the main communicator of {client.name} from {shown}")


@communicator.command("history")
@client_option
@json_option
@pass_ctx
def communicator_history_cmd(ctx: Context, client_name: str, as_json: bool) -> None:
    """Who has been the client's main communicator: from, to, role and handover note."""
    with ctx.workspace(readonly=True) as ws:
        client = ws.find(Client, client_name, field="client")
        history = communicator_history(ws, client.uid)
        if as_json:
            emit_json(
                {
                    "client": client.name,
                    "tenures": [
                        {
                            "name": t.name,
                            "role": str(t.role) if t.role else None,
                            "from": t.start.isoformat(),
                            "to": t.end.isoformat() if t.end else None,
                            "note": t.note,
                            "by": t.by,
                        }
                        for t in history
                    ],
                }
            )
            return
        if not history:
            say(f"{client.name}: no main communicator recorded")
            return
        for tenure in history:
            until = tenure.end.isoformat() if tenure.end else "now"
            months = counted(tenure.months(ws.today()), "month")
            say(
                f"{tenure.start.isoformat()} – {until}: {tenure.name} "
                f"({role_label(tenure.role)}, {months})"
            )
            if tenure.note:
                say_text(tenure.note, indent="    ")


@click.command("snooze")
@click.argument("key")
@click.option("--until", "until", required=True, metavar="DATE", help="Hidden until this day.")
@click.option("--note", default="", metavar="TEXT", help="Why it can wait.")
@pass_ctx
def snooze_cmd(ctx: Context, key: str, until: str, note: str) -> None:
    """Hide a red flag until a later day (KEY from `pulsetui flags`). New evidence of
    the same mistake shows it again before then."""
    if note and not visible(note):
        raise InvalidInput.one("note", "must not be blank: leave it out or say why")
    with ctx.workspace() as ws:
        day = parse_date(until, ws.today(), field="until")
        snooze_flag(ws, key, day, note)
        say(f"snoozed {key.strip()} until {day.isoformat()}")
