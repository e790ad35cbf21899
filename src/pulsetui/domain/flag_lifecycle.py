"""The life of a red flag: raised on its evidence, addressed (or snoozed until a day)
with a note, raised again as *recurring* when new evidence of the same mistake appears.

- Every raised flag carries its **evidence**: the wishes accepted without a plan, the
  pulses that show a consultant squeezed, the day invoices were marked unpaid — each
  with a key and a day (:class:`Evidence`).
- An "addressed" note covers the evidence the flag showed when it was written (the
  keys it names). A note written before notes named their evidence covers what was
  dated on or before its day. A snooze covers the same, but only until its day.
- Evidence no note covers keeps the flag open. When an earlier note exists — on this
  flag, or on a flag of the same kind about the same client or consultant written
  before the new evidence — the open flag is **recurring** and shows those notes.
- The history of a flag: raised, each note (addressed or snoozed), recurred.

Pure functions of the raised flag, the notes and the day; the service reads the notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

OPEN = "open"
ADDRESSED = "addressed"
SNOOZED = "snoozed"


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence behind a flag: a stable key, the day it appeared (None:
    unknown) and what it is, in a few words."""

    key: str
    day: dt.date | None
    text: str = ""


@dataclass(frozen=True)
class FlagNote:
    """A note on a flag: addressed on ``day``, or snoozed on ``day`` until ``until``."""

    day: dt.date
    note: str
    covers: tuple[str, ...] = ()  # evidence keys; empty: what was dated up to ``day``
    until: dt.date | None = None
    by: str = ""

    @property
    def snooze(self) -> bool:
        return self.until is not None


@dataclass(frozen=True)
class FlagEvent:
    """One step of a flag's history."""

    event: str  # "raised" | "addressed" | "snoozed" | "recurred"
    day: dt.date | None
    note: str = ""
    until: dt.date | None = None


@dataclass(frozen=True)
class FlagState:
    """Where a flag stands today."""

    status: str  # "open" | "addressed" | "snoozed"
    recurring: bool
    since: dt.date | None  # when the open episode began; for a closed flag, when raised
    note: str  # the note covering it (addressed or snoozed); empty when open
    until: dt.date | None  # snoozed until
    earlier: tuple[FlagNote, ...]  # notes written before the evidence that raised it again
    history: tuple[FlagEvent, ...]
    new_evidence: tuple[Evidence, ...]  # what no note covers


def covers(note: FlagNote, evidence: Evidence, today: dt.date) -> bool:
    """Whether ``note`` covers one piece of evidence today: a snooze only before its
    day; a note naming evidence covers what it names; an older note without names
    covers evidence dated on or before its day (and evidence with no day)."""
    if note.until is not None and note.until <= today:
        return False
    if note.covers:
        return evidence.key in note.covers
    return evidence.day is None or evidence.day <= note.day


def flag_state(
    evidence: Sequence[Evidence],
    since: dt.date | None,
    notes: Sequence[FlagNote],
    kin: Sequence[FlagNote],
    today: dt.date,
) -> FlagState:
    """The state today of a flag raised ``since`` on ``evidence``, given its own notes
    and the notes of flags of the same kind about the same client or consultant
    (``kin``). Notes in any order; they are read oldest first."""
    notes = sorted(notes, key=lambda n: n.day)
    uncovered = tuple(e for e in evidence if not any(covers(n, e, today) for n in notes))
    covered_days = [
        e.day for e in evidence if e.day is not None and any(covers(n, e, today) for n in notes)
    ]
    if not uncovered and notes:
        last = next(n for n in reversed(notes) if any(covers(n, e, today) for e in evidence))
        status = SNOOZED if last.snooze else ADDRESSED
        history = _history(notes, evidence, since, None)
        return FlagState(status, False, since, last.note, last.until, (), history, ())
    new_days = [e.day for e in uncovered if e.day is not None]
    reopened = bool(notes) and bool(covered_days or any(not n.snooze for n in notes))
    episode = min(new_days) if notes and new_days else since
    earlier_kin = [n for n in kin if episode is None or n.day < episode]
    addressed_before = [n for n in (*notes, *earlier_kin) if not n.snooze]
    recurring = bool(addressed_before) and (reopened or bool(earlier_kin))
    earlier = tuple(sorted((*notes, *earlier_kin), key=lambda n: n.day)) if recurring else ()
    history = _history(notes, evidence, since, episode if notes and recurring else None)
    return FlagState(OPEN, recurring, episode, "", None, earlier, history, uncovered)


def _history(
    notes: Sequence[FlagNote],
    evidence: Sequence[Evidence],
    since: dt.date | None,
    recurred: dt.date | None,
) -> tuple[FlagEvent, ...]:
    """Raised, every note, and recurred (when it came back after the notes). The day
    it was first raised is the earliest evidence the first note covered; when that
    evidence is gone (an invoice paid since), the day is not known (None)."""
    events: list[FlagEvent] = []
    if not notes:
        return (FlagEvent("raised", since),)
    first = notes[0]
    covered = [
        e.day
        for e in evidence
        if e.day is not None
        and (e.key in first.covers or (not first.covers and e.day <= first.day))
    ]
    events.append(FlagEvent("raised", min(covered) if covered else None))
    for note in notes:
        kind = "snoozed" if note.snooze else "addressed"
        events.append(FlagEvent(kind, note.day, note.note, note.until))
    if recurred is not None:
        events.append(FlagEvent("recurred", recurred))
    return tuple(events)
