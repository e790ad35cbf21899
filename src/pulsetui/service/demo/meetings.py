"""How each demo client's meetings went: agenda items collected and settled, meetings
held on the agreed cadence and the next one planned, agreements made at them and then
kept, cancelled or broken, including the broken and overdue ones the red flags are
about."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.enums import (
    AgendaStatus,
    AgreementStatus,
    Cadence,
    LifecycleStage,
    MeetingStatus,
    Side,
)
from pulsetui.domain.models import AgendaItem, Agreement, Client, ClientMeeting, FlagAck
from pulsetui.service.demo import stories
from pulsetui.service.demo.builder import DemoBuilder
from pulsetui.service.demo.firm import CLIENTS, ClientPlan


def client_meetings(builder: DemoBuilder, client_i: int) -> None:
    """A client's year of meetings, their agendas and agreements, written by its manager."""
    plan = CLIENTS[client_i]
    client = builder.clients[client_i]
    rng = builder.rng
    manager = builder.managers[plan.manager]
    builder.ws.me, builder.ws.me_name = manager.uid, manager.name  # who writes the history
    step = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 30}.get(plan.cadence, 85)
    if plan.stage == LifecycleStage.ONBOARDING:
        step = 26  # agreed weekly, held rarely: too little contact
    offsets = []
    offset = plan.last_meeting
    first = min(plan.started - 5, 365)
    while offset <= first:
        offsets.append(offset)
        offset += step + rng.choice((-1, 0, 0, 1)) if step > 7 else step
    offsets.sort(reverse=True)
    open_items: list[AgendaItem] = []
    previous = builder.day(min(plan.started, 370))
    for days_ago in offsets:
        when = builder.day(days_ago)
        open_items += _collect_agenda(builder, client, previous, when, rng.randrange(1, 4))
        team = [
            builder.consultants[p].name
            for p, start, end in builder.staffing.get(client_i, [])
            if start <= when and (end is None or end >= when)
        ]
        contacts = [c[0] for c in plan.contacts[: 1 + rng.randrange(len(plan.contacts))]]
        meeting = builder.add(
            ClientMeeting,
            when,
            client=client.uid,
            date=when,
            time=f"{rng.choice((9, 10, 13, 14, 15)):02d}:{rng.choice((0, 30)):02d}",
            duration_min=rng.choice((30, 45, 60, 60, 90)),
            status=MeetingStatus.HELD,
            attendees=[manager.name, *team[:2], *contacts],
            notes=rng.choice(stories.MEETING_NOTES),
        )
        builder.clock.at(when, 16)
        still_open = []
        for item in open_items:
            roll = rng.random()
            if roll < 0.75:
                builder.ws.update(
                    AgendaItem, item.uid, status=AgendaStatus.DISCUSSED, meeting=meeting.uid
                )
            elif roll < 0.8:
                builder.ws.update(AgendaItem, item.uid, status=AgendaStatus.DROPPED)
            else:
                still_open.append(item)  # carried over to the next meeting
        open_items = still_open
        chance = 0.35 if step <= 7 else 0.9
        for _ in range(2):
            if rng.random() < chance:
                _agreement(builder, client, plan, meeting.uid, when)
        previous = when
    if plan.next_meeting is not None:
        when = builder.today + dt.timedelta(days=plan.next_meeting)
        builder.add(
            ClientMeeting,
            builder.today,
            client=client.uid,
            date=when,
            time="10:00",
            duration_min=60,
            status=MeetingStatus.PLANNED,
            attendees=[manager.name, plan.contacts[0][0]],
        )
    _collect_agenda(builder, client, previous, builder.today, 2 + rng.randrange(3))
    _scripted_agreements(builder, client_i)


def _collect_agenda(
    builder, client: Client, since: dt.date, until: dt.date, count: int
) -> list[AgendaItem]:
    span = max(1, (until - since).days)
    items = []
    who = [builder.managers[CLIENTS[builder.clients.index(client)].manager].name]
    who += [
        builder.consultants[p].name
        for p, *_ in builder.staffing.get(builder.clients.index(client), [])
    ]
    for _ in range(count):
        day = since + dt.timedelta(days=builder.rng.randrange(span))
        if day > until:
            day = until
        builder.clock.at(day, 8 + builder.rng.randrange(10), builder.rng.randrange(60))
        items.append(
            builder.ws.add(
                AgendaItem,
                uid=builder.uid(day),
                client=client.uid,
                text=builder.rng.choice(stories.AGENDA_TEXTS),
                added_by=builder.rng.choice(who),
                added_at=builder.clock(),
            )
        )
    return items


def _agreement(
    builder: DemoBuilder, client: Client, plan: ClientPlan, meeting: str, when: dt.date
) -> None:
    rng = builder.rng
    side = Side.US if rng.random() < 0.6 else Side.CLIENT
    if side == Side.US:
        text = rng.choice(stories.AGREEMENTS_US)
        owner = rng.choice([builder.managers[plan.manager].name, *_team(builder, client)])
    else:
        text = rng.choice(stories.AGREEMENTS_CLIENT)
        owner = rng.choice(plan.contacts)[0]
    due = when + dt.timedelta(days=rng.choice((7, 14, 14, 21, 28)))
    agreement = _new_agreement(builder, client, meeting, when, text, side, owner, due)
    if due >= builder.today:
        return
    settled = min(due + dt.timedelta(days=rng.randrange(-5, 3)), builder.today)
    settled = max(settled, when + dt.timedelta(days=1))
    builder.clock.at(settled, 15)
    if rng.random() < 0.06:
        builder.ws.set_agreement_status(
            agreement.uid, AgreementStatus.CANCELLED, stories.NO_LONGER_NEEDED
        )
    else:
        builder.ws.set_agreement_status(agreement.uid, AgreementStatus.DONE)


def _new_agreement(
    builder: DemoBuilder,
    client: Client,
    meeting: str | None,
    when: dt.date,
    text: str,
    side: Side,
    owner: str,
    due: dt.date,
) -> Agreement:
    builder.clock.at(when, 16, 30)
    client_i = builder.clients.index(client)
    return builder.ws.add(
        Agreement,
        uid=builder.uid(when, 16),
        client=client.uid,
        meeting=meeting,
        text=text,
        side=side,
        owner=owner,
        due=due,
        spiral=builder.feed(client_i, text) if side == Side.US else None,
        created=when,
        history=[{"status": "open", "reason": "", "at": builder.clock(), "by": builder.ws.me_name}],
    )


def _team(builder: DemoBuilder, client: Client) -> list[str]:
    client_i = builder.clients.index(client)
    return [
        builder.consultants[p].name
        for p, _, end in builder.staffing.get(client_i, [])
        if end is None
    ]


def _scripted_agreements(builder: DemoBuilder, client_i: int) -> None:
    """The broken and overdue agreements the red flags are about."""
    plan = CLIENTS[client_i]
    client = builder.clients[client_i]
    meetings = sorted(
        (
            m
            for m in builder.ws.list(ClientMeeting, client=client.uid)
            if m.status == MeetingStatus.HELD
        ),
        key=lambda m: m.date,
    )
    owner = builder.managers[plan.manager].name
    for n in range(plan.broken):
        meeting = meetings[-(3 + 2 * n)] if len(meetings) > 3 + 2 * n else meetings[0]
        due = meeting.date + dt.timedelta(days=14)
        text = stories.BROKEN_PROMISES[n % len(stories.BROKEN_PROMISES)]
        agreement = _new_agreement(
            builder, client, meeting.uid, meeting.date, text, Side.US, owner, due
        )
        builder.clock.at(due + dt.timedelta(days=3), 11)
        reason = stories.BROKEN_REASONS[n % len(stories.BROKEN_REASONS)]
        builder.ws.set_agreement_status(agreement.uid, AgreementStatus.BROKEN, reason)
        if n == plan.broken - 1 and plan.broken > 1:
            # the oldest broken promise was talked through: an addressed red flag
            when = due + dt.timedelta(days=10)
            builder.add(
                FlagAck,
                when,
                flag=f"agreement_broken:{agreement.uid}",
                note=stories.TALKED_THROUGH,
                date=when,
                by=builder.managers[plan.manager].uid,
            )
    for n in range(plan.overdue):
        meeting = meetings[-1] if n == 0 or len(meetings) < 2 else meetings[-2]
        due = min(meeting.date + dt.timedelta(days=7), builder.today - dt.timedelta(days=2 + n))
        side = Side.CLIENT if n % 2 else Side.US
        text = stories.AGREEMENTS_CLIENT[0] if side == Side.CLIENT else stories.OVERDUE_OFFER
        who = plan.contacts[0][0] if side == Side.CLIENT else owner
        _new_agreement(builder, client, meeting.uid, meeting.date, text, side, who, due)
    if plan.approval_delays and meetings:
        meeting = meetings[-2] if len(meetings) > 1 else meetings[-1]
        agreement = _new_agreement(
            builder,
            client,
            meeting.uid,
            meeting.date,
            stories.SLOW_APPROVAL,
            Side.CLIENT,
            plan.contacts[-1][0],
            meeting.date + dt.timedelta(days=7),
        )
        builder.clock.at(meeting.date + dt.timedelta(days=21), 12)
        builder.ws.set_agreement_status(
            agreement.uid, AgreementStatus.BROKEN, stories.SLOW_APPROVAL_REASON
        )


# -- NPS, touchpoints, requests --
