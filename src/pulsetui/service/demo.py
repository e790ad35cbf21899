"""The demo firm: a deterministic workspace with a year of history in every record kind.

Three managers, twelve consultants and eight clients, with names in Finnish, Estonian
and Russian, and every situation the red flags are about: an overdue pulse and an
overdue client meeting, broken and overdue agreements, a detractor and a falling NPS,
unpaid invoices and slow approvals, a team grown for unplanned work, wishes accepted
without a plan, promised work delivered early and free, unprocessed feedback, a main
communicator unchanged for over a year, a purely technical communicator, and an
onboarding client with too little contact.

The same ``seed`` and ``today`` give the same records, byte for byte in
``pulsetui export --format json``: uids come from a seeded random generator and every
timestamp from a simulated clock, never from the machine's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.enums import (
    AgendaStatus,
    AgreementStatus,
    Answer,
    Cadence,
    CommunicatorRole,
    LifecycleStage,
    MeetingStatus,
    PulseStatus,
    RequestKind,
    RequestStatus,
    Side,
    SpiralQuarter,
    TouchpointKind,
    Workload,
)
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import (
    ENTITIES,
    AgendaItem,
    Agreement,
    Client,
    ClientMeeting,
    Consultant,
    Engagement,
    EnpsResponse,
    FlagAck,
    Manager,
    NpsResponse,
    PulseConversation,
    Request,
    Touchpoint,
)
from pulsetui.service.config import Config
from pulsetui.service.workspace import LOCAL_NAME, Workspace, loose_key
from pulsetui.store.fsutil import FILE_MODE, atomic_write
from pulsetui.store.store import LOCK_NAME, REPLICA_NAME, VIEW_NAME, Store, WorkspaceLocked

DEMO_TODAY = dt.date(2026, 11, 20)
DEMO_SEED = 7
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_EPOCH = dt.datetime(1970, 1, 1)

Progress = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    """What :func:`create_demo` made (plain data: no open workspace)."""

    home: Path
    me: str
    managers: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# ---- the cast --------------------------------------------------------------------------

MANAGERS = (
    ("Liisa Mäkinen", "liisa.makinen@example.fi"),
    ("Jüri Tamm", "juri.tamm@example.ee"),
    ("Ольга Смирнова", "olga.smirnova@example.com"),
)

# name, line manager (index into MANAGERS), pulse story, days since joining
CONSULTANTS = (
    ("Mikko Korhonen", 0, "steady", 900),
    ("Aino Laine", 0, "stressed", 600),
    ("Õie Kask", 0, "growing", 450),
    ("Дмитрий Иванов", 0, "overdue", 320),
    ("Kadri Saar", 1, "steady", 700),
    ("Mart Kuusk", 1, "due", 1000),
    ("Андрей Петров", 1, "stressed", 420),
    ("Мария Кузнецова", 2, "steady", 500),
    ("Tiina Rebane", 2, "growing", 750),
    ("Ville Heikkinen", 2, "stressed", 820),
    ("Kristjan Mets", 2, "new", 110),
    ("Sofia Nieminen", 2, "steady", 430),
)


@dataclass(frozen=True)
class ClientPlan:
    """How one demo client's year went (offsets are days before ``today``)."""

    name: str
    manager: int
    started: int
    stage: LifecycleStage
    stage_since: int
    spiral: SpiralQuarter
    cadence: Cadence
    client_wants_us: Answer
    we_want_client: Answer
    contacts: tuple[tuple[str, str, bool], ...]
    nps: tuple[int, ...]  # scores oldest first, one survey a quarter-ish
    last_meeting: int = 1  # the last meeting held, days ago
    next_meeting: int | None = 6  # the next one planned, days ahead (None: none)
    unpaid_invoices: bool = False
    approval_delays: bool = False
    touchpoint_every: int = 32
    broken: int = 0  # extra agreements broken on our side
    overdue: int = 0  # extra open agreements past their due date
    notes: str = ""


CLIENTS = (
    ClientPlan(
        name="Kuusi Logistiikka Oy",
        manager=0,
        started=700,
        stage=LifecycleStage.SUCCESS,
        stage_since=420,
        spiral=SpiralQuarter.Q3_STABILITY,
        cadence=Cadence.BIWEEKLY,
        client_wants_us=Answer.YES,
        we_want_client=Answer.YES,
        contacts=(
            ("Pekka Kuusinen", "CTO", True),
            ("Hanna Lehtonen", "Product owner", False),
        ),
        nps=(7, 8, 8, 9, 10),
        last_meeting=4,
        next_meeting=10,
        notes="Warehouse routing platform. Wants fewer incidents before peak season.",
    ),
    ClientPlan(
        name="Revontuli Pankki Oyj",
        manager=0,
        started=520,
        stage=LifecycleStage.ADOPTION,
        stage_since=300,
        spiral=SpiralQuarter.Q2_USABILITY,
        cadence=Cadence.MONTHLY,
        client_wants_us=Answer.YES,
        we_want_client=Answer.UNSURE,
        contacts=(
            ("Sari Virtanen", "Head of digital", True),
            ("Juha Nurmi", "CIO", True),
            ("Elina Salo", "Procurement", True),
            ("Timo Hakala", "Security officer", True),
            ("Riikka Aalto", "Product owner", False),
            ("Antti Ojala", "Architect", False),
        ),
        nps=(8, 8, 7, 7, 5),
        last_meeting=50,
        next_meeting=None,
        unpaid_invoices=True,
        approval_delays=True,
        overdue=1,
        notes="Mobile bank renewal. Approvals go through four decision makers.",
    ),
    ClientPlan(
        name="Saimaa Energia Oy",
        manager=0,
        started=75,
        stage=LifecycleStage.ONBOARDING,
        stage_since=75,
        spiral=SpiralQuarter.Q1_FUNCTIONALITY,
        cadence=Cadence.WEEKLY,
        client_wants_us=Answer.UNSURE,
        we_want_client=Answer.YES,
        contacts=(("Kaisa Järvinen", "Development manager", True),),
        nps=(),
        last_meeting=44,
        next_meeting=None,
        touchpoint_every=0,
        notes="New client: metering data MVP. Weekly calls agreed, hardly held.",
    ),
    ClientPlan(
        name="Tallinna Tarkvara AS",
        manager=1,
        started=600,
        stage=LifecycleStage.SUCCESS,
        stage_since=330,
        spiral=SpiralQuarter.Q1_FUNCTIONALITY,
        cadence=Cadence.BIWEEKLY,
        client_wants_us=Answer.NO,
        we_want_client=Answer.YES,
        contacts=(
            ("Marko Tamm", "CEO", True),
            ("Liis Oja", "Project manager", False),
        ),
        nps=(9, 8, 7, 6, 4, 3),
        last_meeting=9,
        next_meeting=5,
        broken=3,
        overdue=2,
        notes="Reporting platform. Deadlines slipped twice this year.",
    ),
    ClientPlan(
        name="Peipsi Kala OÜ",
        manager=1,
        started=900,
        stage=LifecycleStage.SUCCESS,
        stage_since=600,
        spiral=SpiralQuarter.Q4_SUPPORT,
        cadence=Cadence.QUARTERLY,
        client_wants_us=Answer.YES,
        we_want_client=Answer.YES,
        contacts=(("Tõnis Lepp", "Owner", True), ("Anu Kivi", "Logistics lead", False)),
        nps=(8, 9, 8, 9),
        last_meeting=40,
        next_meeting=45,
        notes="Fish processing ERP integrations; support mode.",
    ),
    ClientPlan(
        name="Балтийские Системы ООО",
        manager=2,
        started=250,
        stage=LifecycleStage.ADOPTION,
        stage_since=160,
        spiral=SpiralQuarter.Q2_USABILITY,
        cadence=Cadence.WEEKLY,
        client_wants_us=Answer.YES,
        we_want_client=Answer.YES,
        contacts=(
            ("Сергей Волков", "Директор по ИТ", True),
            ("Екатерина Морозова", "Владелец продукта", False),
        ),
        nps=(7, 8, 8),
        last_meeting=3,
        next_meeting=4,
        touchpoint_every=28,
        notes="Logistics portal. Every wish gets a yes; the team has grown twice.",
    ),
    ClientPlan(
        name="Pärnu Meditsiin AS",
        manager=2,
        started=800,
        stage=LifecycleStage.SUCCESS,
        stage_since=500,
        spiral=SpiralQuarter.Q4_SUPPORT,
        cadence=Cadence.QUARTERLY,
        client_wants_us=Answer.NO,
        we_want_client=Answer.NO,
        contacts=(("Kersti Mägi", "Clinic director", True),),
        nps=(6, 5, 6, 3),
        last_meeting=60,
        next_meeting=25,
        broken=1,
        notes="Patient booking system in maintenance. Relationship cooling on both sides.",
    ),
    ClientPlan(
        name="Lapin Matkat Oy",
        manager=2,
        started=400,
        stage=LifecycleStage.SUCCESS,
        stage_since=200,
        spiral=SpiralQuarter.Q2_USABILITY,
        cadence=Cadence.MONTHLY,
        client_wants_us=Answer.YES,
        we_want_client=Answer.YES,
        contacts=(("Minna Rautio", "CEO", True), ("Jari Kallio", "Marketing", False)),
        nps=(9, 10, 9, 10),
        last_meeting=12,
        next_meeting=16,
        notes="Booking site for winter tours; busy season starts in December.",
    ),
)

# client index, consultant index, start (days ago), end (days ago or None),
# main communicator, since (days ago), role, grown for unplanned work
ENGAGEMENTS = (
    (0, 0, 700, None, "Liisa Mäkinen", 200, CommunicatorRole.MANAGER, False),
    (0, 2, 400, 62, "Liisa Mäkinen", 200, CommunicatorRole.MANAGER, False),
    (1, 1, 500, None, "Aino Laine", 300, CommunicatorRole.DELIVERY_LEAD, False),
    (1, 3, 300, None, "Aino Laine", 300, CommunicatorRole.DELIVERY_LEAD, False),
    (2, 2, 60, None, "Õie Kask", 60, CommunicatorRole.DELIVERY_LEAD, False),
    (3, 4, 600, None, "Kadri Saar", 250, CommunicatorRole.DELIVERY_LEAD, False),
    (3, 6, 400, None, "Kadri Saar", 250, CommunicatorRole.DELIVERY_LEAD, False),
    (4, 5, 900, None, "Mart Kuusk", 520, CommunicatorRole.TECHNICAL, False),
    (5, 7, 250, None, "Мария Кузнецова", 250, CommunicatorRole.DELIVERY_LEAD, False),
    (5, 9, 90, None, "Мария Кузнецова", 250, CommunicatorRole.DELIVERY_LEAD, True),
    (5, 10, 100, None, "Мария Кузнецова", 250, CommunicatorRole.DELIVERY_LEAD, True),
    (6, 8, 700, None, "Tiina Rebane", 700, CommunicatorRole.BUSINESS, False),
    (7, 11, 400, None, "Sofia Nieminen", 300, CommunicatorRole.BUSINESS, False),
)

AGENDA_TEXTS = (
    "Release plan for the next sprint",
    "Open bugs from the last acceptance test",
    "Access rights for the new team member",
    "Budget follow-up for this quarter",
    "Performance of the search page",
    "Change request: export to Excel",
    "Test environment stability",
    "Holiday season coverage",
    "Roadmap for the next quarter",
    "Security review findings",
    "Who approves the UI changes?",
    "Invoice questions from finance",
    "Käyttäjäpalaute: hakutoiminto on hidas",
    "Järgmise kvartali prioriteedid",
    "Сроки интеграции с 1С",
    "Monitoring alerts at night 🔔",
)

AGREEMENTS_US = (
    "Deliver the fix for the login timeout",
    "Send the updated sprint plan",
    "Prepare a cost estimate for the export feature",
    "Document the deployment process",
    "Run the load test before release",
    "Share the incident report",
    "Propose a rotation plan for on-call",
)

AGREEMENTS_CLIENT = (
    "Approve the UI mock-ups",
    "Provide test data for the integration",
    "Give VPN access to the new consultant",
    "Decide on the hosting option",
    "Name a product owner for the reporting module",
    "Pay the overdue invoices",
)

PRAISE = (
    (5, "Thanks for the quick fix last week"),
    (3, "The new search is much faster, great work"),
    (8, "Kiitos nopeasta reagoinnista!"),
    (2, "Aitäh, uus aruanne on väga selge"),
)

BROKEN_PROMISES = (
    "Ship the reporting module",
    "Deliver milestone 2 of the roadmap",
    "Fix the nightly import before the audit",
)

BROKEN_REASONS = (
    "Missed the deadline: the team was pulled into an incident",
    "Slipped two sprints; scope was larger than estimated",
    "Not delivered before the client's board meeting",
)

TOUCHPOINT_NOTES = {
    TouchpointKind.ARTICLE: "Sent an article on release automation",
    TouchpointKind.CASE: "Shared a case study from a similar project",
    TouchpointKind.ROADMAP: "Proposed a roadmap for the next half-year",
    TouchpointKind.CALL: "Quick call to check how things are going",
    TouchpointKind.EVENT: "Invited to our breakfast seminar",
    TouchpointKind.FEEDBACK: "Asked for feedback on the last release",
}

WISHES = (
    "Dark mode for the admin pages",
    "Export of all reports to PDF",
    "A second language version of the portal",
    "Single sign-on with the client's directory",
    "Push notifications in the mobile app",
    "Bulk edit for orders",
)

SUPPORT = (
    "Password reset e-mails arrive late",
    "Report totals differ from the invoice",
    "Page loads slowly on Monday mornings",
    "Import fails for files over 10 MB",
)

NPS_REASONS = {
    "promoter": (
        "Fast, reliable delivery and people who think ahead",
        "The team feels like part of our own company",
        "Erinomainen yhteistyö, kiitos!",
        "Väga hea koostöö ja kiire reageerimine",
    ),
    "passive": (
        "Good work, but communication could be more proactive",
        "Solid team; releases are sometimes late",
        "Хорошая команда, но сроки иногда сдвигаются",
    ),
    "detractor": (
        "Deadlines were missed twice in a row",
        "Promises made in meetings were not kept",
        "We learned about problems too late",
        "Liian monta viivästystä viime kuukausina",
    ),
}

ENPS_ROUNDS = (
    ("2025", (9, 10, 8, 7, 9, 6, 10, 8, 5, 9, 7)),
    ("2026", (10, 9, 9, 8, 10, 7, 9, 6, 10, 9, 8, 4)),
    ("2026-trainees", (8, 6, 9)),
)

ENPS_REASONS = (
    "Great colleagues and interesting projects",
    "Hyvä porukka, joustava työaika",
    "Head kolleegid, aga liiga palju ületunde",
    "Отличная команда, но мало обучения",
    "Too many context switches between clients",
    "My manager listens and acts 👍",
    "",
)


# ---- the builder ------------------------------------------------------------------------


class _SimClock:
    """A clock the demo moves by hand: every timestamp comes from here."""

    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def __call__(self) -> dt.datetime:
        return self.current

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> None:
        self.current = dt.datetime.combine(day, dt.time(hour, minute))


class _DemoBuilder:
    def __init__(self, ws: Workspace, clock: _SimClock, today: dt.date, seed: int) -> None:
        self.ws = ws
        self.clock = clock
        self.today = today
        self.rng = random.Random(seed)
        self.managers: list[Manager] = []
        self.consultants: list[Consultant] = []
        self.clients: list[Client] = []
        self.staffing: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}

    # -- identities --

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def uid(self, day: dt.date, hour: int = 9) -> str:
        """A ULID whose time part is the simulated moment and the rest seeded."""
        moment = dt.datetime.combine(day, dt.time(hour)) - _EPOCH
        ms = int(moment.total_seconds() * 1000) + self.rng.randrange(3_600_000)
        return _base32(ms, 10) + _base32(self.rng.getrandbits(80), 16)

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
                    client_wants_us=plan.client_wants_us,
                    we_want_client=plan.we_want_client,
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
            note = "Added mid-project for work nobody had planned." if unplanned else ""
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
            promises = rng.sample(_FOLLOW_UPS, rng.randrange(0, 3))
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
                growth=rng.choice(_GROWTH)
                if story in ("growing", "new") or rng.random() < 0.3
                else "",
                worries=_worry(story, progress, rng),
                notes=f"{name.split()[0]}: {rng.choice(_PULSE_NOTES)}",
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

    # -- meetings, agendas, agreements --

    def meetings(self, client_i: int) -> None:
        plan = CLIENTS[client_i]
        client = self.clients[client_i]
        rng = self.rng
        manager = self.managers[plan.manager]
        self.ws.me, self.ws.me_name = manager.uid, manager.name  # who writes the history
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
        previous = self.day(min(plan.started, 370))
        for days_ago in offsets:
            when = self.day(days_ago)
            open_items += self._collect_agenda(client, previous, when, rng.randrange(1, 4))
            team = [
                self.consultants[p].name
                for p, start, end in self.staffing.get(client_i, [])
                if start <= when and (end is None or end >= when)
            ]
            contacts = [c[0] for c in plan.contacts[: 1 + rng.randrange(len(plan.contacts))]]
            meeting = self.add(
                ClientMeeting,
                when,
                client=client.uid,
                date=when,
                time=f"{rng.choice((9, 10, 13, 14, 15)):02d}:{rng.choice((0, 30)):02d}",
                duration_min=rng.choice((30, 45, 60, 60, 90)),
                status=MeetingStatus.HELD,
                attendees=[manager.name, *team[:2], *contacts],
                notes=rng.choice(_MEETING_NOTES),
            )
            self.clock.at(when, 16)
            still_open = []
            for item in open_items:
                roll = rng.random()
                if roll < 0.75:
                    self.ws.update(
                        AgendaItem, item.uid, status=AgendaStatus.DISCUSSED, meeting=meeting.uid
                    )
                elif roll < 0.8:
                    self.ws.update(AgendaItem, item.uid, status=AgendaStatus.DROPPED)
                else:
                    still_open.append(item)  # carried over to the next meeting
            open_items = still_open
            chance = 0.35 if step <= 7 else 0.9
            for _ in range(2):
                if rng.random() < chance:
                    self._agreement(client, plan, meeting.uid, when)
            previous = when
        if plan.next_meeting is not None:
            when = self.today + dt.timedelta(days=plan.next_meeting)
            self.add(
                ClientMeeting,
                self.today,
                client=client.uid,
                date=when,
                time="10:00",
                duration_min=60,
                status=MeetingStatus.PLANNED,
                attendees=[manager.name, plan.contacts[0][0]],
            )
        self._collect_agenda(client, previous, self.today, 2 + rng.randrange(3))
        self._scripted_agreements(client_i)

    def _collect_agenda(
        self, client: Client, since: dt.date, until: dt.date, count: int
    ) -> list[AgendaItem]:
        span = max(1, (until - since).days)
        items = []
        who = [self.managers[CLIENTS[self.clients.index(client)].manager].name]
        who += [
            self.consultants[p].name for p, *_ in self.staffing.get(self.clients.index(client), [])
        ]
        for _ in range(count):
            day = since + dt.timedelta(days=self.rng.randrange(span))
            if day > until:
                day = until
            self.clock.at(day, 8 + self.rng.randrange(10), self.rng.randrange(60))
            items.append(
                self.ws.add(
                    AgendaItem,
                    uid=self.uid(day),
                    client=client.uid,
                    text=self.rng.choice(AGENDA_TEXTS),
                    added_by=self.rng.choice(who),
                    added_at=self.clock(),
                )
            )
        return items

    def _agreement(self, client: Client, plan: ClientPlan, meeting: str, when: dt.date) -> None:
        rng = self.rng
        side = Side.US if rng.random() < 0.6 else Side.CLIENT
        if side == Side.US:
            text = rng.choice(AGREEMENTS_US)
            owner = rng.choice([self.managers[plan.manager].name, *self._team(client)])
        else:
            text = rng.choice(AGREEMENTS_CLIENT)
            owner = rng.choice(plan.contacts)[0]
        due = when + dt.timedelta(days=rng.choice((7, 14, 14, 21, 28)))
        agreement = self._new_agreement(client, meeting, when, text, side, owner, due)
        if due >= self.today:
            return
        settled = min(due + dt.timedelta(days=rng.randrange(-5, 3)), self.today)
        settled = max(settled, when + dt.timedelta(days=1))
        self.clock.at(settled, 15)
        if rng.random() < 0.06:
            self.ws.set_agreement_status(
                agreement.uid, AgreementStatus.CANCELLED, "No longer needed"
            )
        else:
            self.ws.set_agreement_status(agreement.uid, AgreementStatus.DONE)

    def _new_agreement(
        self,
        client: Client,
        meeting: str | None,
        when: dt.date,
        text: str,
        side: Side,
        owner: str,
        due: dt.date,
    ) -> Agreement:
        self.clock.at(when, 16, 30)
        return self.ws.add(
            Agreement,
            uid=self.uid(when, 16),
            client=client.uid,
            meeting=meeting,
            text=text,
            side=side,
            owner=owner,
            due=due,
            created=when,
            history=[{"status": "open", "reason": "", "at": self.clock(), "by": self.ws.me_name}],
        )

    def _team(self, client: Client) -> list[str]:
        client_i = self.clients.index(client)
        return [
            self.consultants[p].name for p, _, end in self.staffing.get(client_i, []) if end is None
        ]

    def _scripted_agreements(self, client_i: int) -> None:
        """The broken and overdue agreements the red flags are about."""
        plan = CLIENTS[client_i]
        client = self.clients[client_i]
        meetings = sorted(
            (
                m
                for m in self.ws.list(ClientMeeting, client=client.uid)
                if m.status == MeetingStatus.HELD
            ),
            key=lambda m: m.date,
        )
        owner = self.managers[plan.manager].name
        for n in range(plan.broken):
            meeting = meetings[-(3 + 2 * n)] if len(meetings) > 3 + 2 * n else meetings[0]
            due = meeting.date + dt.timedelta(days=14)
            text = BROKEN_PROMISES[n % len(BROKEN_PROMISES)]
            agreement = self._new_agreement(
                client, meeting.uid, meeting.date, text, Side.US, owner, due
            )
            self.clock.at(due + dt.timedelta(days=3), 11)
            reason = BROKEN_REASONS[n % len(BROKEN_REASONS)]
            self.ws.set_agreement_status(agreement.uid, AgreementStatus.BROKEN, reason)
            if n == plan.broken - 1 and plan.broken > 1:
                # the oldest broken promise was talked through: an addressed red flag
                when = due + dt.timedelta(days=10)
                self.add(
                    FlagAck,
                    when,
                    flag=f"agreement_broken:{agreement.uid}",
                    note="Talked it through with the client; new date agreed in writing",
                    date=when,
                    by=self.managers[plan.manager].uid,
                )
        for n in range(plan.overdue):
            meeting = meetings[-1] if n == 0 or len(meetings) < 2 else meetings[-2]
            due = min(meeting.date + dt.timedelta(days=7), self.today - dt.timedelta(days=2 + n))
            side = Side.CLIENT if n % 2 else Side.US
            text = AGREEMENTS_CLIENT[0] if side == Side.CLIENT else "Send the fixed-price offer"
            who = plan.contacts[0][0] if side == Side.CLIENT else owner
            self._new_agreement(client, meeting.uid, meeting.date, text, side, who, due)
        if plan.approval_delays and meetings:
            meeting = meetings[-2] if len(meetings) > 1 else meetings[-1]
            agreement = self._new_agreement(
                client,
                meeting.uid,
                meeting.date,
                "Approve access to the test environment",
                Side.CLIENT,
                plan.contacts[-1][0],
                meeting.date + dt.timedelta(days=7),
            )
            self.clock.at(meeting.date + dt.timedelta(days=21), 12)
            self.ws.set_agreement_status(
                agreement.uid, AgreementStatus.BROKEN, "Approval took three weeks instead of one"
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
                reason=self.rng.choice(NPS_REASONS[band]),
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
                note="Sent the welcome pack and a case study",
            )
            return
        offset = rng.randrange(3, 15)
        kinds = list(TOUCHPOINT_NOTES)
        while offset < min(plan.started, 365):
            when = self.day(offset)
            if when.month == 12 and when.day >= 15:
                kind, note = TouchpointKind.GREETING, "Season's greetings card 🎄 Hyvää joulua!"
            else:
                kind = rng.choice(kinds)
                note = TOUCHPOINT_NOTES[kind]
            self.add(Touchpoint, when, client=client.uid, kind=kind, date=when, note=note)
            offset += plan.touchpoint_every + rng.randrange(-6, 7)

    def requests(self, client_i: int) -> None:
        plan = CLIENTS[client_i]
        client = self.clients[client_i]
        rng = self.rng
        span = min(plan.started, 365)
        for text in rng.sample(SUPPORT, 2):
            when = self.day(rng.randrange(20, span))
            self.add(
                Request,
                when,
                client=client.uid,
                kind=RequestKind.SUPPORT,
                text=text,
                date=when,
                status=RequestStatus.DONE,
            )
        wishes = rng.sample(WISHES, 2)
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
            )
        self._scripted_requests(client_i)

    def _scripted_requests(self, client_i: int) -> None:
        client = self.clients[client_i]
        name = CLIENTS[client_i].name
        scripted: list[tuple[int, RequestKind, str, RequestStatus, bool, bool]] = []
        if name.startswith("Балтийские"):
            scripted += [
                (
                    120,
                    RequestKind.WISH,
                    "Extra dashboard for the sales team",
                    RequestStatus.ACCEPTED,
                    False,
                    False,
                ),
                (
                    95,
                    RequestKind.WISH,
                    "Мобильная версия личного кабинета",
                    RequestStatus.ACCEPTED,
                    False,
                    False,
                ),
                (
                    60,
                    RequestKind.WISH,
                    "Integration with the new CRM",
                    RequestStatus.ACCEPTED,
                    False,
                    False,
                ),
                (
                    30,
                    RequestKind.WISH,
                    "Custom report for the board",
                    RequestStatus.ACCEPTED,
                    False,
                    False,
                ),
                (150, RequestKind.WISH, "Order history search", RequestStatus.DONE, True, True),
                (70, RequestKind.WISH, "CSV import of price lists", RequestStatus.DONE, True, True),
                (
                    21,
                    RequestKind.FEEDBACK,
                    "Пользователи жалуются на медленный поиск",
                    RequestStatus.NEW,
                    False,
                    False,
                ),
            ]
        elif name.startswith("Tallinna"):
            scripted.append(
                (
                    34,
                    RequestKind.FEEDBACK,
                    "Release notes are hard to follow",
                    RequestStatus.NEW,
                    False,
                    False,
                )
            )
        elif name.startswith("Pärnu"):
            scripted.append(
                (
                    45,
                    RequestKind.FEEDBACK,
                    "Booking confirmation texts confuse patients",
                    RequestStatus.NEW,
                    False,
                    False,
                )
            )
        elif name.startswith("Revontuli"):
            scripted.append(
                (
                    25,
                    RequestKind.FEEDBACK,
                    "Sovelluksen kirjautuminen kestää liian kauan",
                    RequestStatus.NEW,
                    False,
                    False,
                )
            )
        else:
            days_ago, text = PRAISE[client_i % len(PRAISE)]
            scripted.append((days_ago, RequestKind.FEEDBACK, text, RequestStatus.NEW, False, False))
        for days_ago, kind, text, status, planned, early in scripted:
            when = self.day(days_ago)
            self.add(
                Request,
                when,
                client=client.uid,
                kind=kind,
                text=text,
                date=when,
                status=status,
                planned=planned,
                delivered_early_free=early,
            )

    # -- eNPS --

    def enps(self) -> None:
        for round_name, scores in ENPS_ROUNDS:
            for score in scores:
                uid = f"{self.rng.getrandbits(128):032x}"
                record = self.ws.validate(
                    EnpsResponse,
                    {
                        "uid": uid,
                        "round": round_name,
                        "score": score,
                        "reason": self.rng.choice(ENPS_REASONS),
                    },
                )
                self.ws.store.commit([Store.anonymous_op("enps", uid, record.fields())])


_FOLLOW_UPS = (
    "Ask the client about a second developer",
    "Find a training budget for the cloud course",
    "Check the on-call rota with the client",
    "Talk to the client about overtime",
    "Book a mentoring session with a senior architect",
    "Look into a remote-work day each week",
    "Sort out the new laptop",
)
_GROWTH = (
    "Wants to lead a small team next year",
    "Interested in the AWS architect certification",
    "Would like to try product ownership",
    "Хочет развиваться в архитектуре",
    "Tahab rohkem kliendiga suhelda",
)
_PULSE_NOTES = (
    "project going well, the client is friendly",
    "busy sprint, but under control",
    "would like clearer priorities from the client",
    "enjoys the team; misses the office days",
    "kaikki hyvin, kiireinen kuukausi",
    "всё нормально, но много встреч",
)
_MEETING_NOTES = (
    "Went through the agenda; priorities agreed for the next sprint.",
    "Short meeting: status and risks. Client happy with the demo.",
    "Discussed the roadmap and the budget. Follow-up by e-mail.",
    "Tense discussion about the schedule; agreed on a recovery plan.",
    "Kokous sujui hyvin, asiakas tyytyväinen.",
)


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
        return rng.choice(
            (
                "Evenings and weekends for three weeks now",
                "The client adds work every day; no time to do it well",
                "Сплю плохо, слишком много задач",
            )
        )
    return rng.choice(("", "", "", "Unsure what comes after this project"))


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


def _base32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


# ---- the workspace folder ----------------------------------------------------------------


def workspace_exists(home: Path) -> bool:
    return (home / REPLICA_NAME).exists() or (home / "journal").exists()


def _wipe_workspace(home: Path) -> None:
    """Remove pulsetui's own files from ``home`` (refused while another holds the lock)."""
    lock = home / LOCK_NAME
    if lock.exists():
        fd = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise WorkspaceLocked(
                    f"the workspace {home} is open in another pulsetui; close it first"
                ) from None
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    for name in (REPLICA_NAME, VIEW_NAME, LOCAL_NAME):
        with contextlib.suppress(FileNotFoundError):
            (home / name).unlink()
    for stale in home.glob(f".{VIEW_NAME}.*.tmp"):
        stale.unlink(missing_ok=True)
    if (home / "journal").is_dir() and not (home / "journal").is_symlink():
        shutil.rmtree(home / "journal")


# the demo's history reaches about two and a half years back and a few months ahead;
# every date of it must stay inside the calendar the records accept
DEMO_EARLIEST = dt.date(1905, 1, 1)
DEMO_LATEST = dt.date(2195, 12, 31)


def create_demo(
    home: Path,
    today: dt.date = DEMO_TODAY,
    seed: int = DEMO_SEED,
    *,
    as_name: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> DemoSummary:
    """Create the demo firm in ``home`` and sign in as one of its managers.

    Refuses an existing workspace unless ``force``. ``as_name`` picks the manager
    (default: the first). ``progress(step, done, total)`` is told how far it got."""
    home = Path(home)
    if not DEMO_EARLIEST <= today <= DEMO_LATEST:
        raise InvalidInput.one(
            "today", f"must be between {DEMO_EARLIEST} and {DEMO_LATEST} (got {today})"
        )
    if as_name is not None and not any(loose_key(as_name) == loose_key(m[0]) for m in MANAGERS):
        names = ", ".join(m[0] for m in MANAGERS)
        raise InvalidInput.one("as", f"must be one of the demo managers: {names}")
    if workspace_exists(home):
        if not force:
            raise InvalidInput.one(
                "home", f"{home} already holds a workspace; use --force to replace it"
            )
        _wipe_workspace(home)
    clock = _SimClock(dt.datetime.combine(today, dt.time(9)))
    store = Store.open(home)
    ws = Workspace(store, Config(), clock)
    try:
        builder = _DemoBuilder(ws, clock, today, seed)
        steps: list[tuple[str, Callable[[], None]]] = [
            ("people", builder.people),
            ("clients", builder.client_records),
            ("engagements", builder.engagements),
        ]
        steps += [(f"pulses {c[0]}", _bind(builder.pulses, i)) for i, c in enumerate(CONSULTANTS)]
        for i, plan in enumerate(CLIENTS):
            steps.append((f"meetings {plan.name}", _bind(builder.meetings, i)))
            steps.append((f"NPS {plan.name}", _bind(builder.nps, i)))
            steps.append((f"touchpoints {plan.name}", _bind(builder.touchpoints, i)))
            steps.append((f"requests {plan.name}", _bind(builder.requests, i)))
        steps.append(("eNPS", builder.enps))
        for done, (label, step) in enumerate(steps):
            if progress is not None:
                progress(label, done, len(steps))
            step()
        if progress is not None:
            progress("done", len(steps), len(steps))
        me = builder.managers[0]
        if as_name is not None:
            me = next(m for m in builder.managers if loose_key(m.name) == loose_key(as_name))
        atomic_write(home / LOCAL_NAME, orjson.dumps({"me": me.uid}))
        counts = {name: ws.count(name) for name in ENTITIES}
        return DemoSummary(
            home=home,
            me=me.name,
            managers=[m.name for m in builder.managers],
            counts={k: v for k, v in counts.items() if v},
        )
    finally:
        ws.close(checkpoint="always")


def _bind(method: Callable[[int], None], index: int) -> Callable[[], None]:
    return lambda: method(index)
