"""The date rules every screen, report and query shares: a stored value read as a day,
an agreement overdue or due soon, an engagement running, the last conversation or
meeting held. Each gives the same answer for a validated record and for the raw
stored one."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsetui.domain.agreements import DUE_SOON_DAYS, is_due_within, is_overdue
from pulsetui.domain.cadence import last_held, meeting_interval
from pulsetui.domain.dates import as_date
from pulsetui.domain.engagements import is_active
from pulsetui.domain.enums import AgreementStatus, Cadence, MeetingStatus, PulseStatus
from pulsetui.domain.models import Agreement
from pulsetui.service.workspace import Workspace
from pulsetui.store.view import public_fields

DAY = dt.date(2026, 11, 20)
ONE = dt.timedelta(days=1)
DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))
STATUSES = st.sampled_from([*AgreementStatus, *(s.value for s in AgreementStatus), None])


@pytest.mark.parametrize(
    ("stored", "day"),
    [
        ("2026-11-20", DAY),
        ("2026-11-20T09:30:00", DAY),
        (DAY, DAY),
        (dt.datetime(2026, 11, 20, 23, 59), DAY),
        ("", None),
        (None, None),
        ("20.11.2026", None),
        ("2026-02-30", None),
        (20261120, None),
    ],
)
def test_a_stored_value_read_as_a_day(stored: object, day: dt.date | None) -> None:
    assert as_date(stored) == day


def test_overdue_is_open_and_due_before_the_day() -> None:
    assert is_overdue(AgreementStatus.OPEN, DAY - ONE, DAY)
    assert is_overdue("open", "2026-11-19", DAY)
    assert not is_overdue("open", DAY, DAY)  # due today is not late yet
    assert not is_overdue("open", None, DAY)
    assert not is_overdue("open", "", DAY)
    for closed in ("done", "broken", "cancelled"):
        assert not is_overdue(closed, DAY - 30 * ONE, DAY)


def test_due_within_includes_overdue_and_ends_on_the_last_day() -> None:
    assert DUE_SOON_DAYS == 7
    assert is_due_within("open", DAY + 7 * ONE, DAY)
    assert not is_due_within("open", DAY + 8 * ONE, DAY)
    assert is_due_within("open", DAY - 100 * ONE, DAY)  # overdue ones are due too
    assert is_due_within("open", DAY + 20 * ONE, DAY, days=20)
    assert not is_due_within("done", DAY, DAY)
    assert not is_due_within("open", None, DAY)
    assert is_due_within("open", dt.date.max, dt.date.max - ONE)  # no overflow at the end


@settings(max_examples=300, deadline=None)
@given(STATUSES, DAYS, DAYS, st.integers(-30, 400))
def test_agreement_rules_agree_for_dates_and_stored_strings(
    status: object, due: dt.date, day: dt.date, days: int
) -> None:
    assert is_overdue(status, due, day) == is_overdue(status, due.isoformat(), day)
    assert is_due_within(status, due, day, days) == is_due_within(
        status, due.isoformat(), day, days
    )
    if is_overdue(status, due, day) and days >= 0:
        assert is_due_within(status, due, day, days)


def test_a_validated_and_a_raw_agreement_get_the_same_answer(ws: Workspace) -> None:
    client = ws.add("client", name="Acme Oy", manager=ws.me)
    today = ws.today()
    for offset in (-3, 0, 5, 9):
        ws.add_agreement(client.uid, f"due {offset}", side="us", due=today + offset * ONE)
    for doc in ws.docs("agreement", client=client.uid):
        record = Agreement.model_validate(public_fields(doc))
        raw = (doc.get("status"), doc.get("due"))
        assert is_overdue(record.status, record.due, today) == is_overdue(*raw, today)
        assert is_due_within(record.status, record.due, today) == is_due_within(*raw, today)
    due = [a.text for a in ws.agreements_due([client.uid])]
    assert due == ["due -3", "due 0", "due 5"]


def test_an_engagement_runs_from_its_start_to_its_last_day() -> None:
    assert is_active("2026-01-01", None, DAY)
    assert is_active(None, None, DAY)
    assert is_active(DAY, DAY, DAY)  # first and last day both count
    assert is_active("2026-01-01", "2026-11-20", DAY)
    assert not is_active("2026-11-21", None, DAY)
    assert not is_active("2026-01-01", "2026-11-19", DAY)
    assert is_active("", "", DAY)  # no dates recorded: running


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), DAYS), st.one_of(st.none(), DAYS), DAYS)
def test_engagement_rule_agrees_for_dates_and_stored_strings(
    start: dt.date | None, end: dt.date | None, day: dt.date
) -> None:
    stored = [d.isoformat() if d else None for d in (start, end)]
    assert is_active(start, end, day) == is_active(*stored, day)


def test_the_last_held_is_the_latest_held_on_or_before_the_day() -> None:
    records = [
        (PulseStatus.HELD, DAY - 40 * ONE),
        ("held", "2026-11-01"),
        (PulseStatus.PLANNED, DAY - ONE),  # planned, not held
        ("held", DAY + 3 * ONE),  # held in the future: not yet
        ("held", "not a date"),
    ]
    assert last_held(records, DAY) == dt.date(2026, 11, 1)
    assert last_held(records, DAY - 30 * ONE) == DAY - 40 * ONE
    assert last_held([(MeetingStatus.HELD, DAY)], DAY) == DAY
    assert last_held([], DAY) is None
    assert last_held([(MeetingStatus.PLANNED, DAY)], DAY) is None


def test_meetings_are_due_at_the_cadence_quarterly_at_the_latest() -> None:
    assert meeting_interval(Cadence.MONTHLY) < meeting_interval(Cadence.QUARTERLY)
    slowest = max(Cadence, key=meeting_interval)
    assert meeting_interval(slowest) == meeting_interval(Cadence.QUARTERLY)


def test_a_pulse_with_only_blanks_holds_nothing() -> None:
    from pulsetui.domain.pulse_content import has_content

    assert not has_content({"growth": "   ", "notes": "\n", "follow_ups": [], "fit": None})
    assert not has_content({"date": "2026-11-30", "manager": "m1"})  # no answer given
    assert has_content({"wellbeing": 3})
    assert has_content({"notes": "ä"})
    assert has_content({"follow_ups": [{"text": "x"}]})
