"""The demo builder: writes the demo firm (:mod:`~pulsetui.service.demo.firm`) into a
workspace, one record at a time, with a seeded random generator and a simulated clock.

Every uid comes from :mod:`pulsetui.store.ids` with seeded entropy and every timestamp
from the simulated clock, never from the machine's, so the same seed and ``today``
give the same records. The client meetings, agendas and agreements are written by
:mod:`~pulsetui.service.demo.meetings`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from pulsetui.domain.engagements import is_active
from pulsetui.domain.enps import round_uid
from pulsetui.domain.enums import (
    PulseStatus,
    RequestKind,
    RequestStatus,
    SpiralQuarter,
    TouchpointKind,
    WorkKind,
    Workload,
)
from pulsetui.domain.models import (
    Client,
    Consultant,
    Engagement,
    EnpsResponse,
    EnpsRound,
    Manager,
    NpsResponse,
    PulseConversation,
    ReportSent,
    Request,
    Touchpoint,
    WorkNote,
)
from pulsetui.domain.reporting import monday_of, week_label
from pulsetui.service.demo import stories
from pulsetui.service.demo.firm import CLIENTS, CONSULTANTS, ENGAGEMENTS, MANAGERS
from pulsetui.service.demo.stories import FEEDS
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import anonymous_uid_from, ulid_from

_EPOCH = dt.datetime(1970, 1, 1)


class SimClock:
    """A clock the demo moves by hand: every timestamp comes from here."""

    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def __call__(self) -> dt.datetime:
        return self.current

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> None:
        self.current = dt.datetime.combine(day, dt.time(hour, minute))


class DemoBuilder:
    """Writes the demo firm's records; keeps what later steps refer to."""

    def __init__(self, ws: Workspace, clock: SimClock, today: dt.date, seed: int) -> None:
        self.ws = ws
        self.clock = clock
        self.today = today
        self.rng = random.Random(seed)
        self.managers: list[Manager] = []
        self.consultants: list[Consultant] = []
        self.clients: list[Client] = []
        self.staffing: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}

    def feed(self, client_i: int, text: str, kind: object = None) -> str | None:
        """The spiral quarter a piece of work for a client feeds: the one its text
        naturally feeds (a support request: support), if the client's story has it
        fed that quarter at all; otherwise none (the work was not marked)."""
        natural = SpiralQuarter.Q4_SUPPORT if kind == RequestKind.SUPPORT else FEEDS.get(text)
        return natural.value if natural in CLIENTS[client_i].feeds else None

    # -- identities --

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def uid(self, day: dt.date, hour: int = 9) -> str:
        """A ULID whose time part is the simulated moment and the rest seeded."""
        moment = dt.datetime.combine(day, dt.time(hour)) - _EPOCH
        ms = int(moment.total_seconds() * 1000) + self.rng.randrange(3_600_000)
        return ulid_from(ms, self.rng.getrandbits(80))

    def add(self, model: Any, day: dt.date, /, **fields: Any) -> Any:
        self.clock.at(day, 9 + self.rng.randrange(8), self.rng.randrange(60))
        return self.ws.add(model, uid=self.uid(day), **fields)

    # -- people and clients --

    def people(self) -> None:
        start = self.day(1100)
        for name, email in MANAGERS:
            self.managers.append(self.add(Manager, start, name=name, email=email))
        for name, manager, _story, joined in CONSULTANTS:
            email = _email(name)
            self.consultants.append(
                self.add(
                    Consultant,
                    self.day(joined),
                    name=name,
                    manager=self.managers[manager].uid,
                    email=email,
                )
            )

    def client_records(self) -> None:
        for plan in CLIENTS:
            wants, ours = plan.client_wants_us, plan.we_want_client
            if plan.turns:  # recorded with the first answers; the turns come later
                _, wants, ours = plan.turns[0]
            contacts = [
                {"name": n, "role": role, "decision_maker": dm, "email": _email(n)}
                for n, role, dm in plan.contacts
            ]
            self.clients.append(
                self.add(
                    Client,
                    self.day(plan.started),
                    name=plan.name,
                    manager=self.managers[plan.manager].uid,
                    contacts=contacts,
                    client_wants_us=wants,
                    we_want_client=ours,
                    stage=plan.stage,
                    stage_since=self.day(plan.stage_since),
                    spiral=plan.spiral,
                    spiral_since=self.day(min(plan.stage_since, 150)),
                    unpaid_invoices=plan.unpaid_invoices,
                    approval_delays=plan.approval_delays,
                    cadence=plan.cadence,
                    started=self.day(plan.started),
                    notes=plan.notes,
                )
            )

    def engagements(self) -> None:
        for client_i, person_i, start, end, speaker, since, role, unplanned in ENGAGEMENTS:
            client = self.clients[client_i]
            person = self.consultants[person_i]
            note = stories.UNPLANNED_NOTE if unplanned else ""
            self.add(
                Engagement,
                self.day(start),
                client=client.uid,
                consultant=person.uid,
                manager=client.manager,
                start=self.day(start),
                end=self.day(end) if end is not None else None,
                main_communicator=speaker,
                communicator_since=self.day(since),
                communicator_role=role,
                unplanned=unplanned,
                notes=note,
            )
            self.staffing.setdefault(client_i, []).append(
                (person_i, self.day(start), self.day(end) if end is not None else None)
            )

    # -- pulse conversations --

    def pulses(self, consultant_i: int) -> None:
        name, manager_i, story, joined = CONSULTANTS[consultant_i]
        person = self.consultants[consultant_i]
        rng = self.rng
        last = {"overdue": 58, "due": 31}.get(story, rng.randrange(4, 22))
        first = min(joined - 14, 365)
        dates = []
        offset = last
        while offset <= first:
            dates.append(offset)
            offset += rng.randrange(27, 34)
        dates.sort(reverse=True)  # oldest first
        earlier: list[tuple[PulseConversation, int]] = []
        for number, days_ago in enumerate(dates):
            when = self.day(days_ago)
            progress = number / max(1, len(dates) - 1)
            wellbeing, workload = _mood(story, progress, rng)
            # keep (or not) the promises of earlier conversations
            for pulse, index in list(earlier):
                if pulse.date < when - dt.timedelta(days=20) and rng.random() < 0.8:
                    self.clock.at(when, 10)
                    items = [f.model_dump() for f in pulse.follow_ups]
                    items[index]["done"] = True
                    items[index]["done_on"] = when
                    self.ws.update(PulseConversation, pulse.uid, follow_ups=items)
                    earlier.remove((pulse, index))
            promises = rng.sample(stories.FOLLOW_UPS, rng.randrange(0, 3))
            pulse = self.add(
                PulseConversation,
                when,
                consultant=person.uid,
                manager=self.managers[manager_i].uid,
                date=when,
                status=PulseStatus.HELD,
                wellbeing=wellbeing,
                workload=workload,
                fit=max(1, min(5, wellbeing + rng.choice((-1, 0, 0, 1)))),
                growth=rng.choice(stories.GROWTH)
                if story in ("growing", "new") or rng.random() < 0.3
                else "",
                worries=_worry(story, progress, rng),
                notes=f"{name.split()[0]}: {rng.choice(stories.PULSE_NOTES)}",
                follow_ups=[{"text": text} for text in promises],
            )
            earlier.extend((pulse, i) for i in range(len(promises)))
        if story in ("steady", "growing", "due"):
            when = self.today + dt.timedelta(days=rng.randrange(2, 12))
            self.add(
                PulseConversation,
                self.today,
                consultant=person.uid,
                manager=self.managers[manager_i].uid,
                date=when,
                status=PulseStatus.PLANNED,
            )

    # -- NPS, touchpoints, requests --

    def nps(self, client_i: int) -> None:
        plan = CLIENTS[client_i]
        client = self.clients[client_i]
        count = len(plan.nps)
        for n, score in enumerate(plan.nps):
            days_ago = 15 + (count - 1 - n) * 80 + self.rng.randrange(0, 10)
            when = self.day(min(days_ago, plan.started - 10))
            band = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
            contact = plan.contacts[n % len(plan.contacts)][0]
            self.add(
                NpsResponse,
                when,
                client=client.uid,
                contact=contact,
                score=score,
                reason=self.rng.choice(stories.NPS_REASONS[band]),
                date=when,
                manager=client.manager,
            )

    def touchpoints(self, client_i: int) -> None:
        plan = CLIENTS[client_i]
        client = self.clients[client_i]
        rng = self.rng
        if plan.touchpoint_every == 0:
            when = self.day(plan.started - 3)
            self.add(
                Touchpoint,
                when,
                client=client.uid,
                kind=TouchpointKind.CASE,
                date=when,
                note=stories.WELCOME_PACK,
            )
            return
        offset = rng.randrange(3, 15)
        kinds = list(stories.TOUCHPOINT_NOTES)
        while offset < min(plan.started, 365):
            when = self.day(offset)
            if when.month == 12 and when.day >= 15:
                kind, note = TouchpointKind.GREETING, stories.SEASONS_GREETINGS
            else:
                kind = rng.choice(kinds)
                note = stories.TOUCHPOINT_NOTES[kind]
            self.add(Touchpoint, when, client=client.uid, kind=kind, date=when, note=note)
            offset += plan.touchpoint_every + rng.randrange(-6, 7)

    def requests(self, client_i: int) -> None:
        plan = CLIENTS[client_i]
        client = self.clients[client_i]
        rng = self.rng
        span = min(plan.started, 365)
        for text in rng.sample(stories.SUPPORT, 2):
            when = self.day(rng.randrange(20, span))
            self.add(
                Request,
                when,
                client=client.uid,
                kind=RequestKind.SUPPORT,
                text=text,
                date=when,
                status=RequestStatus.DONE,
                spiral=self.feed(client_i, text, RequestKind.SUPPORT),
            )
        wishes = rng.sample(stories.WISHES, 2)
        for n, text in enumerate(wishes):
            when = self.day(rng.randrange(20, span))
            status = (RequestStatus.ACCEPTED, RequestStatus.REJECTED)[n]
            self.add(
                Request,
                when,
                client=client.uid,
                kind=RequestKind.WISH,
                text=text,
                date=when,
                status=status,
                planned=status == RequestStatus.ACCEPTED,
                spiral=self.feed(client_i, text),
            )
        for scripted in plan.requests:
            when = self.day(scripted.days_ago)
            self.add(
                Request,
                when,
                client=client.uid,
                kind=scripted.kind,
                text=scripted.text,
                date=when,
                status=scripted.status,
                planned=scripted.planned,
                delivered_early_free=scripted.delivered_early_free,
                spiral=self.feed(client_i, scripted.text, scripted.kind),
            )

    def enps(self) -> None:
        for round_name, closed_days_ago, scores in stories.ENPS_ROUNDS:
            # answered while it was open; closed since, its results published
            closes = self.today - dt.timedelta(days=closed_days_ago)
            round_record = self.ws.validate(
                EnpsRound, {"uid": round_uid(round_name), "round": round_name, "closes": closes}
            )
            self.ws.store.edit("enps_round", round_record.uid).create(
                round_record.fields()
            ).commit()
            for score in scores:
                uid = anonymous_uid_from(self.rng.getrandbits(128))
                record = self.ws.validate(
                    EnpsResponse,
                    {
                        "uid": uid,
                        "round": round_name,
                        "score": score,
                        "reason": self.rng.choice(stories.ENPS_REASONS),
                    },
                )
                self.ws.store.edit("enps", uid).create_anonymous(record.fields()).commit()

    def weekly_work(self) -> None:
        """Six weeks of work notes for each client with a team placed now, and the weekly
        reports sent for all but the last week (so some are due)."""
        rng = self.rng
        this_monday = monday_of(self.today)
        for client in self.clients:
            running = any(
                is_active(e.start, e.end, self.today)
                for e in self.ws.list(Engagement, client=client.uid)
            )
            if not running:
                continue
            for weeks_ago in range(6, -1, -1):
                monday = this_monday - dt.timedelta(weeks=weeks_ago)
                by = rng.choice(self._team_names(client.uid))
                for text in rng.sample(stories.WORK_DONE, 2):
                    when = min(self.today, monday + dt.timedelta(days=rng.randrange(5)))
                    self.add(WorkNote, when, client=client.uid, kind=WorkKind.DONE, text=text,
                             date=when, by=by)  # fmt: skip
                when = min(self.today, monday + dt.timedelta(days=4))
                self.add(WorkNote, when, client=client.uid, kind=WorkKind.NEXT,
                         text=rng.choice(stories.WORK_NEXT), date=when, by=by)  # fmt: skip
                if rng.random() < 0.3:
                    text, way_out = rng.choice(stories.WORK_RISKS)
                    self.add(WorkNote, when, client=client.uid, kind=WorkKind.RISK, text=text,
                             way_out=way_out, date=when, by=by)  # fmt: skip
                if weeks_ago > 1:
                    sent = monday + dt.timedelta(days=4)
                    self.add(ReportSent, sent, client=client.uid, week=week_label(monday),
                             sent=sent, by=client.manager)  # fmt: skip

    def _team_names(self, client: str) -> list[str]:
        placed = {e.consultant for e in self.ws.list(Engagement, client=client)}
        return [c.name for c in self.consultants if c.uid in placed] or ["the team"]


def _mood(story: str, progress: float, rng: random.Random) -> tuple[int, Workload]:
    if story == "stressed":
        wellbeing = 4 if progress < 0.4 else 3 if progress < 0.75 else 2
        workload = (
            Workload.OK
            if progress < 0.4
            else Workload.HIGH
            if progress < 0.75
            else Workload.TOO_HIGH
        )
        return wellbeing, workload
    wellbeing = rng.choice((3, 4, 4, 5))
    workload = rng.choice((Workload.OK, Workload.OK, Workload.HIGH, Workload.TOO_LOW))
    return wellbeing, workload


def _worry(story: str, progress: float, rng: random.Random) -> str:
    if story == "stressed" and progress >= 0.5:
        return rng.choice(stories.STRESSED_WORRIES)
    return rng.choice(stories.WORRIES)


def _email(name: str) -> str:
    ascii_name = name.lower().translate(_TRANSLIT)
    parts = [p for p in ascii_name.split() if p.isascii() and p.isalpha()]
    return ".".join(parts) + "@example.com" if parts else ""


_TRANSLIT = str.maketrans(
    {
        "ä": "a", "ö": "o", "õ": "o", "ü": "u", "å": "a",
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "sch", "ы": "y", "ь": "", "ъ": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
