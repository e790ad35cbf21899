"""A consultant's pulse history: every earlier conversation newest first with what became
of each promise; only the signed-in manager's own conversations (another manager's
notes never show, not even in the pulse form's earlier ones); nothing of it in a call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import DAY, TODAY, Firm, firm_in

from pulsetui.domain.cadence import DueState
from pulsetui.domain.follow_ups import follow_up_outcome
from pulsetui.domain.models import PulseConversation
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.pulse_history import pulse_entry, pulse_history
from pulsetui.service.views.pulses import open_follow_ups, pulse_form_view


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def colleague_pulse(firm: Firm) -> PulseConversation:
    """A conversation with Aino held by another manager (as a sync could bring it)."""
    colleague = next(m for m in firm.ws.list("manager") if m.uid != firm.ws.me)
    return firm.ws.add_pulse(
        firm.aino,
        date=TODAY - 20 * DAY,
        manager=colleague.uid,
        notes="COLLEAGUE private note",
        follow_ups=[{"text": "COLLEAGUE promise"}],
    )


@pytest.mark.parametrize(
    ("done", "done_on", "held_since", "words"),
    [
        (True, TODAY - 23 * DAY, 0, "done 2026-10-28 (27 days later)"),
        (True, TODAY - 50 * DAY, 0, "done 2026-10-01 (the same day)"),
        (True, None, 0, "done"),
        (False, None, 0, "open (50 days)"),
        (False, None, 1, "open (50 days, 1 conversation since)"),
        (False, None, 3, "open (50 days, 3 conversations since)"),
    ],
)
def test_what_became_of_a_promise_in_words(
    done: bool, done_on: dt.date | None, held_since: int, words: str
) -> None:
    promised = TODAY - 50 * DAY
    assert follow_up_outcome(done, done_on, promised, TODAY, held_since) == words


def test_history_is_newest_first_with_each_promise_s_outcome(firm: Firm) -> None:
    ws = firm.ws
    ws.close_follow_up(next(p.uid for p in ws.pulses_of(firm.aino)), 0)  # SECRET promise kept today
    newer = ws.add_pulse(
        firm.aino,
        date=TODAY - 10 * DAY,
        wellbeing=4,
        workload="high",
        notes="second talk\nline two",
        follow_ups=[{"text": "Book the course"}],
    )
    view = pulse_history(ws, Audience.manager(ws.me), firm.aino)
    assert view is not None and not view.hidden
    assert (view.name, view.client_name) == ("Aino Laine", "Acme Oy")
    assert view.due is not None and view.due.state == DueState.OK
    assert [e.date for e in view.entries] == [TODAY - 10 * DAY, TODAY - 50 * DAY]
    first, second = view.entries
    assert first.uid == newer.uid and first.answers.notes == "second talk\nline two"
    assert [(f.text, f.outcome) for f in first.follow_ups] == [
        ("Book the course", "open (10 days)")
    ]
    assert [(f.text, f.done, f.outcome) for f in second.follow_ups] == [
        ("SECRET promise", True, "done 2026-11-20 (50 days later)"),
        ("Kept promise", True, "done"),
    ]
    assert second.kept() == 2
    # the one being held is left out
    besides = pulse_history(ws, Audience.manager(ws.me), firm.aino, besides=newer.uid)
    assert besides is not None and [e.date for e in besides.entries] == [TODAY - 50 * DAY]


def test_an_open_promise_counts_the_conversations_held_since(firm: Firm) -> None:
    ws = firm.ws
    ws.add_pulse(firm.aino, date=TODAY - 30 * DAY)
    ws.add_pulse(firm.aino, date=TODAY - 2 * DAY)
    ws.add_pulse(firm.aino, date=TODAY + 5 * DAY, status="planned")  # not held
    view = pulse_history(ws, Audience.manager(ws.me), firm.aino)
    assert view is not None
    oldest = view.entries[-1]
    assert oldest.follow_ups[0].outcome == "open (50 days, 2 conversations since)"
    # the planned one is listed (first: it is the newest), but not among those held
    assert view.entries[0].answers.status == "planned"
    held = pulse_history(ws, Audience.manager(ws.me), firm.aino, held_only=True)
    assert held is not None
    assert [e.date for e in held.entries] == [TODAY - 2 * DAY, TODAY - 30 * DAY, TODAY - 50 * DAY]


def test_a_consultant_with_no_conversation_and_one_that_is_gone(firm: Firm) -> None:
    ws = firm.ws
    view = pulse_history(ws, Audience.manager(ws.me), firm.pia)
    assert view is not None and view.entries == () and view.client_name == ""
    assert view.due is not None and view.due.state == DueState.NEVER
    assert pulse_history(ws, Audience.manager(ws.me), "01NOSUCHCONSULTANT0000000") is None


def test_one_conversation_read_in_full(firm: Firm) -> None:
    ws = firm.ws
    uid = ws.pulses_of(firm.aino)[0].uid
    entry = pulse_entry(ws, Audience.manager(ws.me), uid)
    assert entry is not None
    assert (entry.answers.worries, entry.answers.notes) == ("SECRET worry", "SECRET pulse note")
    assert pulse_entry(ws, Audience.manager(ws.me), "01NOSUCHPULSE000000000000") is None


def test_a_call_gets_nothing_of_the_conversations(firm: Firm) -> None:
    ws = firm.ws
    uid = ws.pulses_of(firm.aino)[0].uid
    for call in (Audience.call(firm.acme, ws.me), Audience.call(None, ws.me)):
        view = pulse_history(ws, call, firm.aino)
        assert view is not None
        assert (view.hidden, view.entries, view.due) == (True, (), None)
        assert "SECRET" not in repr(view)
        assert pulse_entry(ws, call, uid) is None
    # who it is only when the consultant works at the client in view
    in_view = pulse_history(ws, Audience.call(firm.acme, ws.me), firm.aino)
    elsewhere = pulse_history(ws, Audience.call(firm.bolt, ws.me), firm.aino)
    assert in_view is not None and (in_view.name, in_view.client_name) == (
        "Aino Laine",
        "Acme Oy",
    )
    assert elsewhere is not None and (elsewhere.name, elsewhere.client_name) == ("", "")


def test_another_manager_s_conversation_is_never_shown(firm: Firm) -> None:
    ws = firm.ws
    theirs = colleague_pulse(firm)
    me = Audience.manager(ws.me)
    view = pulse_history(ws, me, firm.aino)
    assert view is not None
    assert theirs.uid not in [e.uid for e in view.entries]
    assert "COLLEAGUE" not in repr(view)
    assert pulse_entry(ws, me, theirs.uid) is None
    # nor in the pulse form's earlier conversations and open promises
    form = pulse_form_view(ws, me, firm.aino)
    assert "COLLEAGUE" not in repr(form.earlier) + repr(form.open_follow_ups)
    assert "COLLEAGUE" not in repr(open_follow_ups(ws, me, firm.aino))
    # the colleague signed in sees theirs and not mine
    colleague = Audience.manager(theirs.manager)
    view = pulse_history(ws, colleague, firm.aino)
    assert view is not None and [e.uid for e in view.entries] == [theirs.uid]
    assert pulse_entry(ws, colleague, theirs.uid) is not None
