"""The demo firm: its size, its year of history, the red-flag situations it holds,
and that it is the same every time."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from pulsetui.domain.cadence import DueState
from pulsetui.domain.enums import (
    AgendaStatus,
    AgreementStatus,
    CommunicatorRole,
    LifecycleStage,
    MeetingStatus,
    RequestKind,
    RequestStatus,
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
    Manager,
    NpsResponse,
    PulseConversation,
    Request,
    Touchpoint,
)
from pulsetui.service.config import Config
from pulsetui.service.demo import create_demo
from pulsetui.service.workspace import Workspace

TODAY = dt.date(2026, 11, 20)


def open_ws(home: Path, today: dt.date = TODAY) -> Workspace:
    now = dt.datetime.combine(today, dt.time(10))
    return Workspace.open(home, config=Config(), clock=lambda: now)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo") / "firm"
    create_demo(home)
    return home


@pytest.fixture
def demo(demo_home: Path) -> Iterator[Workspace]:
    ws = open_ws(demo_home)
    yield ws
    ws.close(checkpoint="never")


def test_size_and_names(demo: Workspace) -> None:
    assert demo.count(Manager) == 3
    assert demo.count(Consultant) == 12
    assert demo.count(Client) == 8
    for name, spec in ENTITIES.items():
        assert demo.count(name) > 0, f"no {spec.plural} in the demo"
    people = {m.name for m in demo.list(Manager)} | {c.name for c in demo.list(Consultant)}
    assert {"Liisa Mäkinen", "Jüri Tamm", "Ольга Смирнова", "Õie Kask"} <= people
    clients = {c.name for c in demo.list(Client)}
    assert {"Kuusi Logistiikka Oy", "Tallinna Tarkvara AS"} <= clients
    assert any(ord(ch) > 0x400 for name in clients for ch in name)  # a Cyrillic name


def test_signed_in_as_a_demo_manager(demo: Workspace) -> None:
    assert demo.me_name == "Liisa Mäkinen"
    assert len(demo.my_clients()) >= 3
    assert len(demo.my_consultants()) >= 3


def test_about_a_year_of_history_in_every_ritual(demo: Workspace) -> None:
    year_ago = TODAY - dt.timedelta(days=330)
    for kind in (PulseConversation, ClientMeeting, NpsResponse, Touchpoint, Request, Agreement):
        dates = [getattr(r, "date", None) or r.created for r in demo.list(kind)]  # type: ignore[attr-defined]
        assert min(dates) <= year_ago, kind.__name__
    for person in demo.list(Consultant):
        held = [p for p in demo.pulses_of(person.uid) if p.status == "held"]
        assert len(held) >= 3, person.name


def test_pulses_have_follow_ups_kept_and_open(demo: Workspace) -> None:
    follow_ups = [f for p in demo.list(PulseConversation) for f in p.follow_ups]
    assert any(f.done and f.done_on for f in follow_ups)
    assert any(not f.done for f in follow_ups)


def test_overdue_pulse_and_overdue_meeting(demo: Workspace) -> None:
    states = {c.name: demo.pulse_due(c.uid).state for c in demo.list(Consultant)}
    assert DueState.OVERDUE in states.values()
    assert states["Дмитрий Иванов"] == DueState.OVERDUE
    meeting_states = {c.name: demo.meeting_due(c.uid).state for c in demo.list(Client)}
    assert meeting_states["Revontuli Pankki Oyj"] == DueState.OVERDUE
    assert meeting_states["Kuusi Logistiikka Oy"] == DueState.OK


def test_agendas_discussed_carried_over_and_open(demo: Workspace) -> None:
    items = demo.list(AgendaItem)
    meetings = {m.uid: m for m in demo.list(ClientMeeting)}
    statuses = Counter(i.status for i in items)
    assert statuses[AgendaStatus.DISCUSSED] > 50
    assert statuses[AgendaStatus.OPEN] > 5
    assert statuses[AgendaStatus.DROPPED] > 0
    carried = 0
    for item in items:
        if item.status == AgendaStatus.DISCUSSED:
            assert item.meeting in meetings
            held_between = [
                m
                for m in demo.meetings_of(item.client)
                if m.status == MeetingStatus.HELD
                and item.added_at.date() <= m.date < meetings[item.meeting].date
            ]
            carried += bool(held_between)
    assert carried > 0
    assert any(m.status == MeetingStatus.PLANNED and m.date > TODAY for m in meetings.values())


def test_agreements_in_every_state_with_history(demo: Workspace) -> None:
    agreements = demo.list(Agreement)
    statuses = Counter(a.status for a in agreements)
    assert statuses[AgreementStatus.DONE] > 20
    assert statuses[AgreementStatus.BROKEN] >= 3
    assert statuses[AgreementStatus.OPEN] > 3
    assert statuses[AgreementStatus.CANCELLED] > 0
    overdue = [
        a for a in agreements if a.status == AgreementStatus.OPEN and a.due and a.due < TODAY
    ]
    assert len(overdue) >= 2
    for agreement in agreements:
        assert agreement.history[0].status == AgreementStatus.OPEN
        assert agreement.history[-1].status == agreement.status
        if agreement.status in (AgreementStatus.BROKEN, AgreementStatus.CANCELLED):
            assert agreement.reason.strip()
        times = [h.at for h in agreement.history]
        assert times == sorted(times)
    tallinn = demo.find(Client, "Tallinna Tarkvara AS")
    broken = [a for a in demo.agreements_of(tallinn.uid) if a.status == AgreementStatus.BROKEN]
    assert len(broken) >= 3


def test_nps_detractor_and_falling_trend(demo: Workspace) -> None:
    def scores(name: str) -> list[int]:
        client = demo.find(Client, name)
        found = sorted(demo.list(NpsResponse, client=client.uid), key=lambda r: r.date)
        return [r.score for r in found]

    tallinn = scores("Tallinna Tarkvara AS")
    assert tallinn[-1] <= 6 and tallinn[0] - tallinn[-1] >= 3
    kuusi = scores("Kuusi Logistiikka Oy")
    assert kuusi[-1] >= 9 and kuusi[0] <= 8  # passive to promoter over the year
    assert all(r.reason for r in demo.list(NpsResponse))


def test_commercial_and_staffing_red_flags(demo: Workspace) -> None:
    clients = {c.name: c for c in demo.list(Client)}
    revontuli = clients["Revontuli Pankki Oyj"]
    assert revontuli.unpaid_invoices and revontuli.approval_delays
    assert len(revontuli.decision_makers) >= 4
    engagements = demo.list(Engagement)
    assert sum(e.unplanned for e in engagements) >= 2
    long_ago = TODAY - dt.timedelta(days=366)
    assert any(e.communicator_since and e.communicator_since < long_ago for e in engagements)
    assert any(e.communicator_role == CommunicatorRole.TECHNICAL for e in engagements)


def test_onboarding_client_with_too_little_contact(demo: Workspace) -> None:
    onboarding = [c for c in demo.list(Client) if c.stage == LifecycleStage.ONBOARDING]
    assert onboarding
    client = onboarding[0]
    held = [m for m in demo.meetings_of(client.uid) if m.status == MeetingStatus.HELD]
    touchpoints = demo.list(Touchpoint, client=client.uid)
    assert client.started and (TODAY - client.started).days <= 90
    assert len(held) + len(touchpoints) <= 4
    assert demo.meeting_due(client.uid).state == DueState.OVERDUE


def test_requests_wishes_free_work_and_unprocessed_feedback(demo: Workspace) -> None:
    requests = demo.list(Request)
    unplanned = [
        r
        for r in requests
        if r.kind == RequestKind.WISH and r.status == RequestStatus.ACCEPTED and not r.planned
    ]
    assert len(unplanned) >= 3
    free = Counter(r.client for r in requests if r.delivered_early_free)
    assert max(free.values()) >= 2
    stale = [
        r
        for r in requests
        if r.kind == RequestKind.FEEDBACK
        and r.status == RequestStatus.NEW
        and (TODAY - r.date).days > 14
    ]
    assert stale
    assert any(r.kind == RequestKind.SUPPORT for r in requests)


def test_enps_rounds(demo: Workspace) -> None:
    rounds = Counter(doc["round"] for doc in demo.docs("enps"))
    assert rounds["2025"] >= 6 and rounds["2026"] >= 6
    assert any(count < 5 for count in rounds.values())
    for doc in demo.docs("enps"):
        assert set(doc) - {"_c", "_h", "_d", "_a"} == {"uid", "round", "score", "reason"}


def test_same_seed_same_bytes_other_seed_other_firm(tmp_path: Path) -> None:
    exports = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        create_demo(tmp_path / name, seed=seed)
        with open_ws(tmp_path / name) as ws:
            exports.append(ws.export_json())
    assert exports[0] == exports[1]
    assert exports[0] != exports[2]
    state = orjson.loads(exports[2])
    assert len(state["records"]["client"]) == 8


def test_another_today_keeps_the_situations(tmp_path: Path) -> None:
    later = dt.date(2027, 3, 1)
    create_demo(tmp_path / "later", today=later)
    with open_ws(tmp_path / "later", today=later) as ws:
        person = ws.find(Consultant, "Дмитрий Иванов")
        assert ws.pulse_due(person.uid).state == DueState.OVERDUE
        assert max(p.date for p in ws.list(PulseConversation) if p.status == "held") <= later


def test_as_picks_the_manager_and_rejects_strangers(tmp_path: Path) -> None:
    summary = create_demo(tmp_path / "juri", as_name="jüri tamm")
    assert summary.me == "Jüri Tamm"
    local = orjson.loads((tmp_path / "juri" / "local.json").read_bytes())
    with open_ws(tmp_path / "juri") as ws:
        assert ws.me == local["me"]
        assert ws.me_name == "Jüri Tamm"
    with pytest.raises(InvalidInput) as caught:
        create_demo(tmp_path / "stranger", as_name="Somebody Else")
    assert caught.value.problems[0].field == "as"
    assert not (tmp_path / "stranger").exists()


def test_existing_workspace_is_kept_unless_forced(tmp_path: Path) -> None:
    home = tmp_path / "mine"
    with Workspace.open(home, me="Real Manager", config=Config()) as ws:
        ws.add(Client, name="My Own Client Oy")
    with pytest.raises(InvalidInput) as caught:
        create_demo(home)
    assert "--force" in caught.value.problems[0].message
    with open_ws(home) as ws:
        assert [c.name for c in ws.list(Client)] == ["My Own Client Oy"]
    create_demo(home, force=True)
    with open_ws(home) as ws:
        assert ws.count(Client) == 8
        assert ws.me_name == "Liisa Mäkinen"
