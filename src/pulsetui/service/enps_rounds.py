"""eNPS rounds: opening one with a closing date, which round an answer goes to (and
when none is taken), and what may be shown of each round.

A round is open through its closing day; answers are taken only then. Its results
(score, band, counts and reasons) appear once, from its results day
(:func:`pulsetui.domain.nps.results_day`), and only when at least the minimum group
answered; never while it is open. A workspace that syncs with a shared folder shows
them only after a sync on or after that day has taken in the last answers and
recorded which ones count (``store.answers.seal``): an answer that arrives later is
kept but never changes a published figure. The rules live in :mod:`pulsetui.domain.nps`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulsetui.domain.cadence import DueInfo, enps_round_due
from pulsetui.domain.dates import as_date, parse_date
from pulsetui.domain.enps import RoundPhase, results_day, round_phase, round_shown, round_uid
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import EnpsRound

if TYPE_CHECKING:
    from pulsetui.service.workspace import Workspace

Doc = dict[str, Any]
LONGEST_ROUND_DAYS = 366
OPEN_HINT = "a manager opens one with `pulsetui enps open --round R --closes DATE`"


@dataclass(frozen=True)
class RoundState:
    """One round as this workspace sees it now."""

    name: str
    closes: dt.date | None  # None: answers kept from before rounds had closing dates
    phase: RoundPhase
    n: int  # answers that count (all of them until the results are sealed)
    threshold: int
    waiting_for_sync: bool  # results are due, but no sync has sealed them here yet

    @property
    def results_on(self) -> dt.date | None:
        return None if self.closes is None else results_day(self.closes)

    @property
    def shown(self) -> bool:
        return round_shown(self.phase, self.n, self.threshold) and not self.waiting_for_sync

    def status(self) -> str:
        """Why nothing but n is shown because of time (empty when time is not why)."""
        need = f"if at least {self.threshold} people answered"
        if self.phase == "open":
            return f"open until {self.closes}: results on {self.results_on} {need}"
        if self.phase == "closed":
            return f"closed on {self.closes}: results on {self.results_on} {need}"
        if self.waiting_for_sync:
            return "results are due: they appear after a sync has taken in the last answers"
        return ""


def round_record(ws: Workspace, name: str) -> EnpsRound | None:
    return ws.get(EnpsRound, round_uid(name))


def _answers(ws: Workspace) -> dict[str, list[Doc]]:
    by_round: dict[str, list[Doc]] = {}
    for doc in ws.docs("enps"):
        by_round.setdefault(str(doc.get("round")), []).append(doc)
    return by_round


def _state(ws: Workspace, name: str, docs: list[Doc], closes: dt.date | None) -> RoundState:
    phase = round_phase(closes, ws.today())
    sealed = ws.store.answers.counted(name) if closes is not None else None
    if sealed is not None:
        docs = [doc for doc in docs if doc["uid"] in sealed]
    waiting = (
        phase == "published"
        and closes is not None
        and sealed is None
        and bool(ws.config.sync.shared)
    )
    threshold = ws.config.thresholds.enps_min_answers
    return RoundState(name, closes, phase, len(docs), threshold, waiting)


def round_state(ws: Workspace, name: str) -> RoundState:
    record = round_record(ws, name)
    closes = None if record is None else record.closes
    return _state(ws, name, _answers(ws).get(name, []), closes)


def round_states(ws: Workspace) -> list[RoundState]:
    """Every round opened or answered, by name."""
    answers = _answers(ws)
    closing: dict[str, dt.date | None] = {name: None for name in answers}
    for doc in ws.docs("enps_round"):
        closing[str(doc.get("round"))] = as_date(doc.get("closes"))
    return [
        _state(ws, name, answers.get(name, []), closing[name])
        for name in sorted(closing, key=lambda n: (n.casefold(), n))
    ]


def next_round_due(ws: Workspace) -> DueInfo:
    """When the firm's next yearly eNPS round is due, from the closing days of the
    rounds opened so far (:func:`pulsetui.domain.cadence.enps_round_due`)."""
    closing = (as_date(doc.get("closes")) for doc in ws.docs("enps_round"))
    return enps_round_due((day for day in closing if day is not None), ws.today())


def counted_answers(ws: Workspace, name: str) -> list[Doc]:
    """The round's answers that count: once its results are sealed here, only those."""
    docs = _answers(ws).get(name, [])
    sealed = ws.store.answers.counted(name) if round_record(ws, name) is not None else None
    return docs if sealed is None else [doc for doc in docs if doc["uid"] in sealed]


def open_round(ws: Workspace, name: str, closes: str | dt.date) -> RoundState:
    """Open round ``name`` for answers through ``closes`` (or move the closing day of
    an open round). A round that has closed stays closed: its results are published
    once, so it is never opened again."""
    today = ws.today()
    day = closes if isinstance(closes, dt.date) else parse_date(closes, today, "closes")
    record = ws.validate(EnpsRound, {"uid": round_uid(name.strip()), "round": name, "closes": day})
    if day < today:
        raise InvalidInput.one(
            "closes", f"must be today or later (got {day}): a round is open through that day"
        )
    if day > today + dt.timedelta(days=LONGEST_ROUND_DAYS):
        raise InvalidInput.one("closes", f"must be within a year from today (got {day})")
    current = round_state(ws, record.round)
    if current.closes is None and current.n:
        raise InvalidInput.one(
            "round",
            f"{record.round!r} already has answers from before rounds had closing dates; "
            "open a round with a new name",
        )
    if current.closes is not None and current.phase != "open":
        raise InvalidInput.one(
            "round",
            f"{record.round!r} closed on {current.closes}; a round is counted once, so it "
            "is never opened again: open a round with a new name",
        )
    edit = ws.store.edit("enps_round", record.uid)
    if current.closes is None:
        edit.create(record.fields())
    elif current.closes != day:
        edit.set("closes", day.isoformat())
    edit.commit()
    return round_state(ws, record.round)


def answer_round(ws: Workspace, name: str | None) -> RoundState:
    """The open round an answer goes to: ``name``, or the only open round.

    An answer for a round that was never opened, or that has closed, is refused and
    nothing is saved: answers are taken only while a round is open, so that none can
    be added after the count or told apart from the others by when it came."""
    if name is None:
        found = [state for state in round_states(ws) if state.phase == "open"]
        if not found:
            raise InvalidInput.one("round", f"no eNPS round is open now; {OPEN_HINT}")
        if len(found) > 1:
            names = ", ".join(state.name for state in found)
            raise InvalidInput.one("round", f"several rounds are open ({names}); choose one")
        return found[0]
    state = round_state(ws, name.strip())
    if state.closes is None:
        raise InvalidInput.one(
            "round",
            f"{name.strip()!r} is not open: no manager has opened it, and answers are "
            f"taken only while a round is open ({OPEN_HINT})",
        )
    if state.phase != "open":
        raise InvalidInput.one(
            "round",
            f"{state.name!r} closed on {state.closes}: answers are no longer taken, so "
            f"that none is added after the count (results on {state.results_on})",
        )
    return state


def answer_rules(ws: Workspace) -> str:
    """What a person answering should know: anonymity, the minimum group, when the
    results appear (one text for the answer screen and the command line)."""
    threshold = ws.config.thresholds.enps_min_answers
    open_now = [state for state in round_states(ws) if state.phase == "open"]
    when = "after the round closes"
    if len(open_now) == 1:
        state = open_now[0]
        when = f"on {state.results_on}, after round {state.name} closes on {state.closes}"
    return (
        "Your answer is anonymous: your name, this computer and the time are not stored "
        "with it, only the score, your optional reason and the survey round. It is kept "
        "on this computer and sent to the team's shared folder at a random later moment, "
        "apart from your other changes. Nobody sees any score while the round is open, "
        f"managers included. The results appear once, {when}, and only if at least "
        f"{threshold} people answered; reasons are shown in random order."
    )
