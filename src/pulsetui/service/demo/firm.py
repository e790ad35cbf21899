"""The demo firm: who works there, its clients and how each client's year went.

Plain data, written into a workspace by :mod:`pulsetui.service.demo.builder`. Offsets
are days before the demo's ``today``; people and clients are referred to by their
index in :data:`MANAGERS`, :data:`CONSULTANTS` and :data:`CLIENTS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pulsetui.domain.enums import (
    Answer,
    Cadence,
    CommunicatorRole,
    LifecycleStage,
    RequestKind,
    RequestStatus,
    SpiralQuarter,
)

# ---- the cast ----------------------------------------------------------------------

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
class ScriptedRequest:
    """A request a client story needs: its kind, text and what became of it."""

    days_ago: int
    kind: RequestKind
    text: str
    status: RequestStatus = RequestStatus.NEW
    planned: bool = False
    delivered_early_free: bool = False


def _feedback(days_ago: int, text: str) -> tuple[ScriptedRequest, ...]:
    return (ScriptedRequest(days_ago, RequestKind.FEEDBACK, text),)


# the spiral quarters in turn, for a client fed evenly
EVEN = (
    SpiralQuarter.Q1_FUNCTIONALITY,
    SpiralQuarter.Q2_USABILITY,
    SpiralQuarter.Q3_STABILITY,
    SpiralQuarter.Q4_SUPPORT,
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
    requests: tuple[ScriptedRequest, ...] = ()  # the requests its red flags are about
    # the spiral quarters our work fed, in turn (agreements of ours, requests taken on)
    feeds: tuple[SpiralQuarter, ...] = EVEN
    # the two segment answers as they were before: (days ago, client wants us, we want
    # the client), oldest first; the client was recorded with the first, the answers
    # above are the last
    turns: tuple[tuple[int, Answer, Answer], ...] = ()
    # who talked with the client: (days ago, name, role, handover note), oldest first
    communicators: tuple[tuple[int, str, CommunicatorRole, str], ...] = ()


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
        requests=_feedback(5, "Thanks for the quick fix last week"),
        turns=((700, Answer.YES, Answer.UNSURE), (240, Answer.YES, Answer.YES)),
        communicators=(
            (700, "Mikko Korhonen", CommunicatorRole.ANALYST, ""),
            (
                200,
                "Liisa Mäkinen",
                CommunicatorRole.MANAGER,
                "Mikko moves on to architecture work; Liisa takes the biweekly calls.",
            ),
        ),
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
        requests=(
            *_feedback(25, "Sovelluksen kirjautuminen kestää liian kauan"),
            ScriptedRequest(
                40, RequestKind.WISH, "Extra approval step in the loan form", RequestStatus.ACCEPTED
            ),
            ScriptedRequest(
                18, RequestKind.WISH, "New onboarding animation", RequestStatus.ACCEPTED, True
            ),
        ),
        feeds=(SpiralQuarter.Q2_USABILITY, SpiralQuarter.Q1_FUNCTIONALITY),
        turns=((520, Answer.YES, Answer.YES), (38, Answer.YES, Answer.UNSURE)),
        communicators=((400, "Aino Laine", CommunicatorRole.DELIVERY_MANAGER, ""),),
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
        requests=_feedback(8, "Kiitos nopeasta reagoinnista!"),
        feeds=(SpiralQuarter.Q1_FUNCTIONALITY,),
        communicators=((60, "Õie Kask", CommunicatorRole.ANALYST, ""),),
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
        requests=_feedback(34, "Release notes are hard to follow"),
        feeds=(SpiralQuarter.Q1_FUNCTIONALITY,),
        turns=(
            (600, Answer.YES, Answer.YES),
            (150, Answer.UNSURE, Answer.YES),
            (45, Answer.NO, Answer.YES),
        ),
        communicators=(
            (600, "Андрей Петров", CommunicatorRole.ANALYST, ""),
            (
                250,
                "Kadri Saar",
                CommunicatorRole.PROJECT_MANAGER,
                "Андрей joins the delivery team; Kadri takes over the client calls.",
            ),
        ),
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
        requests=_feedback(5, "Thanks for the quick fix last week"),
        communicators=((520, "Mart Kuusk", CommunicatorRole.TECHNICAL, ""),),
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
        requests=(
            ScriptedRequest(
                120, RequestKind.WISH, "Extra dashboard for the sales team", RequestStatus.ACCEPTED
            ),
            ScriptedRequest(
                95, RequestKind.WISH, "Мобильная версия личного кабинета", RequestStatus.ACCEPTED
            ),
            ScriptedRequest(
                60, RequestKind.WISH, "Integration with the new CRM", RequestStatus.ACCEPTED
            ),
            ScriptedRequest(
                30, RequestKind.WISH, "Custom report for the board", RequestStatus.ACCEPTED
            ),
            ScriptedRequest(
                150, RequestKind.WISH, "Order history search", RequestStatus.DONE, True, True
            ),
            ScriptedRequest(
                70, RequestKind.WISH, "CSV import of price lists", RequestStatus.DONE, True, True
            ),
            ScriptedRequest(21, RequestKind.FEEDBACK, "Пользователи жалуются на медленный поиск"),
        ),
        communicators=((250, "Мария Кузнецова", CommunicatorRole.DELIVERY_MANAGER, ""),),
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
        requests=_feedback(45, "Booking confirmation texts confuse patients"),
        turns=((800, Answer.NO, Answer.YES), (20, Answer.NO, Answer.NO)),
        communicators=((700, "Tiina Rebane", CommunicatorRole.PRODUCT_MANAGER, ""),),
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
        requests=_feedback(2, "Aitäh, uus aruanne on väga selge"),
        turns=((400, Answer.YES, Answer.UNSURE), (100, Answer.YES, Answer.YES)),
        communicators=((300, "Sofia Nieminen", CommunicatorRole.ANALYST, ""),),
    ),
)

# client index, consultant index, start (days ago), end (days ago or None),
# main communicator, since (days ago), role, grown for unplanned work
ENGAGEMENTS = (
    (0, 0, 700, None, "Liisa Mäkinen", 200, CommunicatorRole.MANAGER, False),
    (0, 2, 400, 62, "Liisa Mäkinen", 200, CommunicatorRole.MANAGER, False),
    (1, 1, 500, None, "Aino Laine", 400, CommunicatorRole.DELIVERY_LEAD, False),
    (1, 3, 300, None, "Aino Laine", 400, CommunicatorRole.DELIVERY_LEAD, False),
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


# The red flags addressed along the way: (client index, flag kind, days ago, note); a
# flag that came back later shows as recurring. Revontuli's invoices were paid after
# the note, then went unpaid again; Балтийские Системы kept accepting wishes.
ADDRESSED = (
    (1, "unpaid_invoices", 170, "CFO promised to pay the overdue invoices by the end of June"),
    (5, "wishes_unplanned", 100, "Agreed with Сергей: new wishes go through the backlog first"),
)
PAID = ((1, 150, False), (1, 35, True))  # (client index, days ago, invoices unpaid)
