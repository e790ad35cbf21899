"""Every red flag has a lifecycle: raised on its evidence, addressed with a note (it is
hidden, and the note covers what it showed), raised again as recurring when new
evidence of the same mistake appears, with the earlier note shown. Snoozing hides a
flag until a day. Through the service, on a workspace whose clock moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.flags import FLAG_KINDS
from pulsetui.service.communicators import hand_over
from pulsetui.service.config import Config
from pulsetui.service.insights.flags import RedFlag, address_flag, red_flags, snooze_flag
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import HybridClock

D = dt.date


@dataclass
class Firm:
    """A workspace, the client and consultant the cases use, and a clock to move."""

    ws: Workspace
    now: list[dt.datetime]
    acme: str = ""
    mia: str = ""

    def to(self, day: dt.date) -> None:
        self.now[0] = dt.datetime.combine(day, dt.time(10))


@pytest.fixture
def firm(home: Path) -> Iterator[Firm]:
    now = [dt.datetime(2026, 11, 20, 10)]
    ws = Workspace.open(home, me="Anna", config=Config(), clock=lambda: now[0])
    # changes are stamped on the workspace's own day, as they would be on that day
    ws.store.clock = HybridClock(now_ms=lambda: int(now[0].timestamp() * 1000))
    found = Firm(ws, now)
    found.acme = ws.add(
        "client", name="Acme", manager=ws.me, started=D(2025, 1, 1), stage="success"
    ).uid
    found.mia = ws.add("consultant", name="Mia", manager=ws.me).uid
    ws.hold_meeting(ws.plan_meeting(found.acme, D(2026, 11, 15)).uid)
    yield found
    ws.close()


def _placed(f: Firm, person: str | None = None, **fields: object) -> str:
    return f.ws.add(
        "engagement", client=f.acme, consultant=person or f.mia, start=D(2026, 1, 1), **fields
    ).uid


def _wish(f: Firm, day: dt.date, **fields: object) -> None:
    fields.setdefault("status", "accepted")
    f.ws.add("request", client=f.acme, kind="wish", text=f"Wish {day}", date=day, **fields)


def _broken(f: Firm, text: str) -> None:
    agreement = f.ws.add_agreement(f.acme, text, "us", due=D(2026, 12, 1))
    f.ws.set_agreement_status(agreement.uid, "broken", "missed the date")


def _fed(f: Firm, quarter: str, n: int) -> None:
    for i in range(n):
        f.ws.add_agreement(f.acme, f"{quarter} work {i}", "us", spiral=quarter)


def run(*steps: object) -> None:
    """The steps of a case, done in order as its arguments are evaluated."""


# kind -> (make the situation, add new evidence of the same mistake)
Step = Callable[[Firm], None]
CASES: dict[str, tuple[Step, Step]] = {
    "pulse_overdue": (
        lambda f: run(f.ws.add_pulse(f.mia, date=D(2026, 9, 1))),
        lambda f: run(f.ws.add_pulse(f.mia, date=D(2026, 10, 27)), f.to(D(2026, 12, 20))),
    ),
    "consultant_squeezed": (
        lambda f: run(
            _placed(f),
            f.ws.add_pulse(f.mia, date=D(2026, 10, 1), wellbeing=2),
            f.ws.add_pulse(f.mia, date=D(2026, 11, 1), wellbeing=2),
        ),
        lambda f: run(f.ws.add_pulse(f.mia, date=D(2026, 11, 15), workload="too_high")),
    ),
    "caught_between": (
        lambda f: run(
            _placed(f),
            _wish(f, D(2026, 11, 1)),
            f.ws.add_pulse(f.mia, date=D(2026, 10, 1), wellbeing=2),
            f.ws.add_pulse(f.mia, date=D(2026, 11, 1), wellbeing=1),
        ),
        lambda f: run(f.ws.add_pulse(f.mia, date=D(2026, 11, 15), wellbeing=2)),
    ),
    "meeting_overdue": (
        lambda f: f.to(D(2027, 3, 1)),
        lambda f: run(
            f.ws.hold_meeting(f.ws.plan_meeting(f.acme, D(2027, 3, 1)).uid), f.to(D(2027, 7, 1))
        ),
    ),
    # a flag of the same kind about the same client after the note: recurring too
    "agreement_overdue": (
        lambda f: run(f.ws.add_agreement(f.acme, "Send the offer", "us", due=D(2026, 11, 1))),
        lambda f: run(
            f.to(D(2026, 12, 20)),
            f.ws.add_agreement(f.acme, "Send the plan", "us", due=D(2026, 12, 10)),
        ),
    ),
    "agreement_broken": (
        lambda f: _broken(f, "Ship the module"),
        lambda f: run(f.to(D(2026, 12, 1)), _broken(f, "Ship the report")),
    ),
    "nps_detractor": (
        lambda f: run(f.ws.add_nps(f.acme, 3, contact="Eva", date=D(2026, 11, 1))),
        lambda f: run(
            f.to(D(2026, 12, 1)), f.ws.add_nps(f.acme, 2, contact="Eva", date=D(2026, 11, 30))
        ),
    ),
    "nps_falling": (
        lambda f: run(
            [
                (
                    f.ws.add_nps(f.acme, 10, date=D(2026, 3, 1 + i)),
                    f.ws.add_nps(f.acme, 10 if i % 2 else 3, date=D(2026, 9, 1 + i)),
                )
                for i in range(12)
            ]
        ),
        lambda f: run(f.ws.add_nps(f.acme, 2, date=D(2026, 11, 15))),
    ),
    "unpaid_invoices": (
        lambda f: run(f.ws.update("client", f.acme, unpaid_invoices=True)),
        lambda f: run(
            f.to(D(2026, 12, 1)),
            f.ws.update("client", f.acme, unpaid_invoices=False),
            f.to(D(2026, 12, 15)),
            f.ws.update("client", f.acme, unpaid_invoices=True),
        ),
    ),
    "approvals_slipping": (
        lambda f: run(f.ws.update("client", f.acme, approval_delays=True)),
        lambda f: run(
            f.ws.update(
                "client",
                f.acme,
                contacts=[{"name": n, "decision_maker": True} for n in ("A", "B", "C", "D")],
            )
        ),
    ),
    "wishes_unplanned": (
        lambda f: _wish(f, D(2026, 10, 1)),
        lambda f: _wish(f, D(2026, 11, 10)),
    ),
    "early_free_work": (
        lambda f: run(
            _wish(f, D(2026, 9, 1), status="done", planned=True, delivered_early_free=True),
            _wish(f, D(2026, 10, 1), status="done", planned=True, delivered_early_free=True),
        ),
        lambda f: _wish(f, D(2026, 11, 1), status="done", planned=True, delivered_early_free=True),
    ),
    "feedback_unprocessed": (
        lambda f: run(
            f.ws.add(
                "request", client=f.acme, kind="feedback", text="Too slow", date=D(2026, 10, 1)
            )
        ),
        lambda f: run(
            f.to(D(2026, 12, 20)),
            f.ws.add(
                "request",
                client=f.acme,
                kind="feedback",
                text="Still slow",
                date=D(2026, 12, 1),
            ),
        ),
    ),
    "team_grown_unplanned": (
        lambda f: run(_placed(f, unplanned=True)),
        lambda f: run(
            f.to(D(2026, 12, 1)),
            f.ws.add(
                "engagement",
                client=f.acme,
                consultant=f.ws.add("consultant", name="Leo").uid,
                start=D(2026, 11, 25),
                unplanned=True,
            ),
        ),
    ),
    "communicator_too_long": (
        lambda f: run(hand_over(f.ws, f.acme, "Aino", "analyst", D(2025, 6, 1))),
        lambda f: run(
            hand_over(f.ws, f.acme, "Liis", "project_manager", note="Aino moves on"),
            f.to(D(2027, 12, 1)),
        ),
    ),
    "communicator_technical": (
        lambda f: run(hand_over(f.ws, f.acme, "Tom", "technical")),
        lambda f: (
            hand_over(f.ws, f.acme, "Ted", "technical", D(2026, 11, 21)) and f.to(D(2026, 11, 22))
        ),
    ),
    "onboarding_overdue": (
        lambda f: run(f.ws.update("client", f.acme, stage="onboarding", stage_since=D(2026, 6, 1))),
        lambda f: run(f.ws.update("client", f.acme, stage_since=D(2026, 7, 1))),
    ),
    "spiral_features_without_ux": (
        lambda f: _fed(f, "q1_functionality", 3),
        lambda f: _fed(f, "q1_functionality", 1),
    ),
    "spiral_ux_without_features": (
        lambda f: _fed(f, "q2_usability", 3),
        lambda f: _fed(f, "q2_usability", 1),
    ),
    "spiral_no_stabilisation": (
        lambda f: run(_fed(f, "q1_functionality", 2), _fed(f, "q2_usability", 2)),
        lambda f: _fed(f, "q1_functionality", 1),
    ),
    "spiral_stuck": (
        lambda f: run(
            f.ws.update("client", f.acme, spiral="q3_stability", spiral_since=D(2026, 3, 1)),
            _fed(f, "q3_stability", 2),
        ),
        lambda f: run(f.ws.update("client", f.acme, spiral_since=D(2026, 4, 1))),
    ),
}


def _of(f: Firm, kind: str, **kw: object) -> list[RedFlag]:
    return [flag for flag in red_flags(f.ws, **kw) if flag.kind == kind]  # type: ignore[arg-type]


def test_every_kind_of_flag_has_a_case() -> None:
    assert set(CASES) == set(FLAG_KINDS)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_addressed_then_raised_again_as_recurring_on_new_evidence(firm: Firm, kind: str) -> None:
    situation, more = CASES[kind]
    assert _of(firm, kind) == []
    situation(firm)
    (flag,) = _of(firm, kind)
    assert (flag.status, flag.recurring, flag.addressed) == ("open", False, False)
    assert flag.who, "a flag names its client or consultant"

    address_flag(firm.ws, flag.key, f"handled {kind}")
    assert _of(firm, kind) == []
    (covered,) = _of(firm, kind, include_addressed=True)
    assert (covered.status, covered.note) == ("addressed", f"handled {kind}")
    assert [e.event for e in covered.history][-1] == "addressed"

    more(firm)
    again = [f for f in _of(firm, kind) if not f.addressed]
    assert again, f"{kind}: new evidence raises it again"
    (recurring,) = [f for f in again if f.recurring]
    assert [n.note for n in recurring.earlier] == [f"handled {kind}"]
    if recurring.key == flag.key:  # the same flag: its history shows it came back
        assert [e.event for e in recurring.history][-2:] == ["addressed", "recurred"]


def test_the_note_records_what_it_covers_and_whom_it_was_about(firm: Firm) -> None:
    _wish(firm, D(2026, 10, 1))
    (flag,) = _of(firm, "wishes_unplanned")
    address_flag(firm.ws, flag.key, "planned with the client")
    (note,) = list(firm.ws.docs("flag_ack"))
    assert note["covers"] == list(flag.evidence) and len(note["covers"]) == 1
    assert (note["client"], note["consultant"], note["by"]) == (firm.acme, None, firm.ws.me)


def test_a_snoozed_flag_is_hidden_until_its_day(firm: Firm) -> None:
    firm.ws.update("client", firm.acme, unpaid_invoices=True)
    (flag,) = _of(firm, "unpaid_invoices")
    snooze_flag(firm.ws, flag.key, D(2026, 12, 1), "paid after the year-end close")
    assert _of(firm, "unpaid_invoices") == []
    (hidden,) = _of(firm, "unpaid_invoices", include_addressed=True)
    assert (hidden.status, hidden.until, hidden.note) == (
        "snoozed",
        D(2026, 12, 1),
        "paid after the year-end close",
    )
    firm.to(D(2026, 12, 1))
    (back,) = _of(firm, "unpaid_invoices")
    assert (back.status, back.recurring) == ("open", False)
    assert [e.event for e in back.history] == ["raised", "snoozed"]


@pytest.mark.parametrize("until", [D(2026, 11, 20), D(2026, 1, 1)])
def test_a_snooze_must_end_after_today(firm: Firm, until: dt.date) -> None:
    firm.ws.update("client", firm.acme, unpaid_invoices=True)
    (flag,) = _of(firm, "unpaid_invoices")
    with pytest.raises(InvalidInput) as err:
        snooze_flag(firm.ws, flag.key, until)
    assert err.value.problems[0].field == "until"


def test_only_a_flag_raised_now_can_be_addressed(firm: Firm) -> None:
    with pytest.raises(InvalidInput) as err:
        address_flag(firm.ws, f"unpaid_invoices:{firm.acme}", "nothing to address")
    assert err.value.problems[0].field == "flag"
    assert list(firm.ws.docs("flag_ack")) == []
