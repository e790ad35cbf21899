"""Insights gathered from a workspace: NPS with intervals and trends, eNPS results
that respect the minimum group, red flags, client health and the since-last-meeting
brief.

Everything here is read-only and reads raw records through the reference indexes
(``ws.docs(kind, client=uid)``), never a full scan per client. The rules themselves
live in :mod:`pulsetui.domain.nps`, :mod:`pulsetui.domain.health` and
:mod:`pulsetui.domain.flags`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pulsetui.domain.agreements import is_due_within, is_overdue
from pulsetui.domain.cadence import DueState, last_held, meeting_due, meeting_interval, pulse_due
from pulsetui.domain.dates import add_months, as_date
from pulsetui.domain.engagements import is_active
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
    Segment,
    SpiralQuarter,
)
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.flags import FLAG_KINDS, ack_covers, flag_key
from pulsetui.domain.health import REQUEST_STALE_DAYS, HealthFacts, grade, weigh
from pulsetui.domain.models import AgendaItem, Agreement, FlagAck, Record, Request
from pulsetui.domain.nps import (
    NpsCounts,
    adjusted_wald,
    enps_band,
    format_score,
    nps_score,
    previous_quarters,
    quarter_bounds,
    quarter_label,
    total_reveals_hidden,
)
from pulsetui.domain.segments import lifecycle_warning, move_label, segment_of, spiral_warning
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import op_key
from pulsetui.store.journal import ReplayStats

Doc = dict[str, Any]

RECENT_DAYS = 182  # "recent" NPS and broken agreements: the last six months
DETRACTOR_FLAG_DAYS = 91  # a detractor answer raises a flag for a quarter
FALLING_DROP = 20  # NPS points lost between two half-years that count as falling
FALLING_MIN_N = 2
APPROVAL_GROUP_MAX = 3  # more decision makers than this is a warning
ONBOARDING_DAYS = 91


# ---- small readers ----------------------------------------------------------------------


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _touchpoint_days(ws: Workspace, client: str, until: dt.date) -> list[dt.date]:
    days = (as_date(t.get("date")) for t in ws.docs("touchpoint", client=client))
    return [d for d in days if d is not None and d <= until]


R = TypeVar("R", bound=Record)


def _records(ws: Workspace, model: type[R], client: str) -> list[R]:
    """Validated records of one kind for a client, through the client index; a record
    holding a value this version cannot read falls back to defaults or is skipped
    (as every workspace list does), so it never breaks the brief."""
    return ws.list(model, client=client)


def _client_doc(ws: Workspace, client: str) -> Doc:
    doc = ws.store.view.get("client", client)
    if doc is None:
        raise InvalidInput.one("client", f"no client with id {client!r}")
    return doc


def _name(ws: Workspace, kind: str, uid: str | None) -> str:
    if not uid:
        return ""
    doc = ws.store.view.get(kind, uid)
    return str(doc.get("name", uid)) if doc else uid


# ---- NPS ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NpsSummary:
    """An NPS score with its counts, n and 95% adjusted-Wald interval."""

    n: int
    promoters: int
    passives: int
    detractors: int
    score: float | None  # None when n == 0; -100..+100
    low: float | None  # 95% adjusted-Wald interval, in NPS points
    high: float | None
    directional: bool  # n below the directional threshold (default 10)

    @classmethod
    def of(cls, counts: NpsCounts, directional_below: int = 10) -> NpsSummary:
        interval = adjusted_wald(counts)
        return cls(
            n=counts.n,
            promoters=counts.promoters,
            passives=counts.passives,
            detractors=counts.detractors,
            score=nps_score(counts),
            low=interval[0] if interval else None,
            high=interval[1] if interval else None,
            directional=counts.n < directional_below,
        )

    def label(self) -> str:
        """``+33 (n=6, directional)``, ``-5 (n=40)`` or ``no answers``."""
        if self.n == 0 or self.score is None:
            return "no answers"
        extra = ", directional" if self.directional else ""
        return f"{format_score(self.score)} (n={self.n}{extra})"

    def interval_label(self) -> str:
        """``95% CI -27 … +71``; empty when there are no answers."""
        if self.low is None or self.high is None:
            return ""
        return f"95% CI {format_score(self.low)} … {format_score(self.high)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "score": None if self.score is None else round(self.score, 1),
            "low": None if self.low is None else round(self.low, 1),
            "high": None if self.high is None else round(self.high, 1),
            "directional": self.directional,
        }


def _summary(ws: Workspace, docs: Iterable[Doc]) -> NpsSummary:
    counts = NpsCounts.of(int(doc["score"]) for doc in docs)
    return NpsSummary.of(counts, ws.config.thresholds.nps_directional_below)


def _nps_docs(ws: Workspace, client: str | None, manager: str | None) -> Iterable[Doc]:
    if client is not None:
        docs: Iterable[Doc] = ws.docs("nps", client=client)
        if manager is not None:
            docs = (d for d in docs if d.get("manager") == manager)
        return docs
    if manager is not None:
        return ws.docs("nps", manager=manager)
    return ws.docs("nps")


def _in_range(doc: Doc, start: dt.date | None, end: dt.date | None) -> bool:
    day = as_date(doc.get("date"))
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def nps_for(
    ws: Workspace,
    *,
    client: str | None = None,
    manager: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> NpsSummary:
    """NPS of one client, of the answers credited to one manager, or of everything,
    between ``start`` and ``end`` (inclusive; open when None)."""
    docs = [d for d in _nps_docs(ws, client, manager) if _in_range(d, start, end)]
    return _summary(ws, docs)


def nps_portfolio(
    ws: Workspace,
    manager: str | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> NpsSummary:
    """NPS of every client now in a manager's portfolio (whoever was manager when the
    answer was given); ``manager`` None is the signed-in manager."""
    who = manager or ws.me
    docs: list[Doc] = []
    for client in ws.docs("client", manager=who) if who else ():
        docs.extend(d for d in ws.docs("nps", client=client["uid"]) if _in_range(d, start, end))
    return _summary(ws, docs)


def nps_trend(
    ws: Workspace,
    *,
    client: str | None = None,
    manager: str | None = None,
    quarters: int = 4,
) -> list[tuple[str, NpsSummary]]:
    """NPS per calendar quarter for the ``quarters`` quarters ending with the current
    one, oldest first: ``[("2026-Q1", summary), ...]``."""
    periods = previous_quarters(ws.today(), quarters)
    buckets: dict[tuple[int, int], list[Doc]] = {p: [] for p in periods}
    for doc in _nps_docs(ws, client, manager):
        day = as_date(doc.get("date"))
        if day is None:
            continue
        key = (day.year, (day.month - 1) // 3 + 1)
        if key in buckets:
            buckets[key].append(doc)
    return [(quarter_label(*p), _summary(ws, buckets[p])) for p in periods]


def nps_by_year(
    ws: Workspace, *, client: str | None = None, manager: str | None = None
) -> list[tuple[str, NpsSummary]]:
    """NPS per calendar year that has answers, oldest first."""
    buckets: dict[int, list[Doc]] = {}
    for doc in _nps_docs(ws, client, manager):
        day = as_date(doc.get("date"))
        if day is not None:
            buckets.setdefault(day.year, []).append(doc)
    return [(str(year), _summary(ws, buckets[year])) for year in sorted(buckets)]


# ---- eNPS -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnpsResult:
    """One survey round's eNPS, or only its n when the group is below the threshold."""

    round: str
    n: int
    withheld: bool  # n < threshold -> score, band and reasons are withheld
    score: float | None
    band: str | None  # unacceptable | acceptable | good | very good | excellent
    reasons: list[str]  # only when not withheld, in random order
    threshold: int = 5
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None

    def label(self) -> str:
        if self.withheld or self.score is None:
            return f"withheld: {self.n} of at least {self.threshold} answers needed"
        return f"{format_score(self.score)} {self.band} (n={self.n})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "n": self.n,
            "threshold": self.threshold,
            "withheld": self.withheld,
            "score": None if self.score is None else round(self.score, 1),
            "band": self.band,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "reasons": list(self.reasons),
        }


def enps_rounds(ws: Workspace) -> dict[str, int]:
    """Every round with answers and its n (counts only, never answers)."""
    found: dict[str, int] = {}
    for doc in ws.docs("enps"):
        name = str(doc.get("round"))
        found[name] = found.get(name, 0) + 1
    return found


def _enps_of(round: str, docs: list[Doc], threshold: int, with_reasons: bool) -> EnpsResult:
    n = len(docs)
    if n < threshold:
        return EnpsResult(round, n, True, None, None, [], threshold)
    counts = NpsCounts.of(int(d["score"]) for d in docs)
    score = nps_score(counts)
    assert score is not None
    reasons: list[str] = []
    if with_reasons:
        reasons = [str(d.get("reason", "")) for d in docs if str(d.get("reason", "")).strip()]
        random.SystemRandom().shuffle(reasons)
    return EnpsResult(
        round,
        n,
        False,
        score,
        enps_band(score),
        reasons,
        threshold,
        counts.promoters,
        counts.passives,
        counts.detractors,
    )


def enps_result(ws: Workspace, round: str) -> EnpsResult:
    """The round's eNPS for everyone, the manager included: score, band, counts and
    reasons (in random order) only when at least ``thresholds.enps_min_answers``
    answered; below that, only n."""
    threshold = ws.config.thresholds.enps_min_answers
    docs = [d for d in ws.docs("enps") if d.get("round") == round]
    return _enps_of(round, docs, threshold, with_reasons=True)


def _round_order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def latest_enps(ws: Workspace) -> EnpsResult | None:
    """The newest round with any answers (rounds sort by name: "2025" < "2026-spring")."""
    rounds = enps_rounds(ws)
    if not rounds:
        return None
    return enps_result(ws, max(rounds, key=_round_order))


def latest_reportable_enps(ws: Workspace) -> EnpsResult | None:
    """The newest round where enough people answered (``thresholds.enps_min_answers``),
    so its score can be shown; None when no round has enough answers. A newer round
    still below the threshold is skipped, never shown."""
    threshold = ws.config.thresholds.enps_min_answers
    rounds = [name for name, n in enps_rounds(ws).items() if n >= threshold]
    if not rounds:
        return None
    return enps_result(ws, max(rounds, key=_round_order))


def all_enps(ws: Workspace) -> list[EnpsResult]:
    """Every round's result, oldest first."""
    return [enps_result(ws, r) for r in sorted(enps_rounds(ws), key=_round_order)]


_YEAR = re.compile(r"^(\d{4})(?!\d)")


@dataclass(frozen=True)
class EnpsYear:
    """All rounds of one year together (shown only for years with several rounds)."""

    year: str
    rounds: tuple[str, ...]
    result: EnpsResult  # withheld when it is below the threshold or would reveal a round
    why_withheld: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "rounds": list(self.rounds),
            "why_withheld": self.why_withheld,
            **{k: v for k, v in self.result.as_dict().items() if k not in ("round", "reasons")},
        }


def enps_years(ws: Workspace) -> list[EnpsYear]:
    """Per-year totals over rounds named after their year ("2026-spring", "2026-autumn").

    A year's total is withheld when the rounds withheld for being small could be
    worked out from it by subtracting the rounds shown (complementary suppression);
    it never carries reasons."""
    threshold = ws.config.thresholds.enps_min_answers
    by_year: dict[str, dict[str, list[Doc]]] = {}
    for doc in ws.docs("enps"):
        name = str(doc.get("round"))
        match = _YEAR.match(name)
        if match:
            by_year.setdefault(match.group(1), {}).setdefault(name, []).append(doc)
    years = []
    for year in sorted(by_year):
        rounds = by_year[year]
        if len(rounds) < 2:
            continue
        docs = [d for items in rounds.values() for d in items]
        names = tuple(sorted(rounds, key=_round_order))
        why = ""
        if len(docs) < threshold:
            why = f"fewer than {threshold} answers"
        elif total_reveals_hidden((len(v) for v in rounds.values()), threshold):
            why = "a round below the threshold could be worked out from the total"
        result = _enps_of(year, docs, threshold, with_reasons=False)
        if why and not result.withheld:
            result = EnpsResult(year, len(docs), True, None, None, [], threshold)
        years.append(EnpsYear(year, names, result, why))
    return years


# ---- red flags ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RedFlag:
    key: str  # stable id "kind:<uid>", used by address_flag
    kind: str
    label: str
    reason: str
    since: dt.date | None
    client: str | None
    consultant: str | None
    internal: bool  # hidden in call mode: about our people or our own judgement
    addressed: bool
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "label": self.label,
            "reason": self.reason,
            "since": self.since.isoformat() if self.since else None,
            "client": self.client,
            "consultant": self.consultant,
            "internal": self.internal,
            "addressed": self.addressed,
            "note": self.note,
        }


@dataclass
class _FlagFound:
    kind: str
    subject: str
    reason: str
    since: dt.date | None
    client: str | None = None
    consultant: str | None = None


def _held(docs: Iterable[Doc]) -> Iterator[tuple[Any, Any]]:
    """Pulse conversations or meetings as the (status, date) pairs :func:`last_held` reads."""
    return ((d.get("status"), d.get("date")) for d in docs)


def _pulse_flags(ws: Workspace, consultant: Doc, today: dt.date) -> list[_FlagFound]:
    cad = ws.config.cadences
    uid = consultant["uid"]
    last = last_held(_held(ws.docs("pulse", consultant=uid)), today)
    engagements = list(ws.docs("engagement", consultant=uid))
    placed = next((e for e in engagements if is_active(e.get("start"), e.get("end"), today)), None)
    client = placed.get("client") if placed else None
    info = pulse_due(last, today, cad.pulse_due_days, cad.pulse_overdue_days)
    if info.state == DueState.OVERDUE and last is not None:
        reason = f"last pulse {last.isoformat()}, {info.days_since} days ago"
        since = last + dt.timedelta(days=cad.pulse_overdue_days)
        return [_FlagFound("pulse_overdue", uid, reason, since, client, uid)]
    if info.state == DueState.NEVER:
        starts = [s for e in engagements if (s := as_date(e.get("start"))) and s <= today]
        if starts and (today - min(starts)).days >= cad.pulse_overdue_days:
            first = min(starts)
            reason = f"no pulse conversation since the engagement started {first.isoformat()}"
            since = first + dt.timedelta(days=cad.pulse_overdue_days)
            return [_FlagFound("pulse_overdue", uid, reason, since, client, uid)]
    return []


def _meeting_flags(ws: Workspace, client: Doc, today: dt.date) -> list[_FlagFound]:
    uid = client["uid"]
    cadence = Cadence(client.get("cadence", Cadence.QUARTERLY.value))
    grace = ws.config.cadences.meeting_grace_days
    interval = meeting_interval(cadence)
    last = last_held(_held(ws.docs("meeting", client=uid)), today)
    info = meeting_due(last, cadence, today, grace)
    if info.state == DueState.OVERDUE and last is not None:
        reason = (
            f"last meeting {last.isoformat()}, {info.days_since} days ago; "
            f"agreed cadence {cadence.value}"
        )
        since = last + dt.timedelta(days=interval + grace)
        return [_FlagFound("meeting_overdue", uid, reason, since, uid)]
    started = as_date(client.get("started"))
    if info.state == DueState.NEVER and started and (today - started).days >= interval + grace:
        reason = f"no client meeting held since the start on {started.isoformat()}"
        return [
            _FlagFound(
                "meeting_overdue", uid, reason, started + dt.timedelta(days=interval + grace), uid
            )
        ]
    return []


def _status_on(agreement: Doc, day: dt.date) -> tuple[str | None, dt.date | None]:
    """An agreement's status at the end of ``day`` and the day it took that status."""
    status, since = None, None
    for entry in agreement.get("history") or []:
        at = as_date(entry.get("at"))
        if at is not None and at <= day:
            status, since = entry.get("status"), at
    if status is None:
        created = as_date(agreement.get("created"))
        if created is not None and created <= day and not agreement.get("history"):
            return agreement.get("status"), created
    return status, since


def _agreement_flags(ws: Workspace, client: Doc, today: dt.date) -> list[_FlagFound]:
    uid = client["uid"]
    found = []
    for doc in ws.docs("agreement", client=uid):
        status = doc.get("status")
        due = as_date(doc.get("due"))
        owner = doc.get("owner") or ("us" if doc.get("side") == "us" else "the client")
        text = _short(doc.get("text", ""))
        if due is not None and is_overdue(status, due, today):
            late = (today - due).days
            reason = f"“{text}” was due {due.isoformat()}, {late} days ago; owner {owner}"
            found.append(_FlagFound("agreement_overdue", doc["uid"], reason, due, uid))
        elif status == AgreementStatus.BROKEN.value:
            _, broken_on = _status_on(doc, today)
            if broken_on is not None and (today - broken_on).days <= RECENT_DAYS:
                why = _short(doc.get("reason", ""), 80)
                reason = f"“{text}” broken on {broken_on.isoformat()}" + (f": {why}" if why else "")
                found.append(_FlagFound("agreement_broken", doc["uid"], reason, broken_on, uid))
    return found


def _nps_flags(ws: Workspace, client: Doc, today: dt.date) -> list[_FlagFound]:
    uid = client["uid"]
    found = []
    docs = list(ws.docs("nps", client=uid))
    for doc in docs:
        day = as_date(doc.get("date"))
        score = int(doc.get("score", 10))
        if day and score <= 6 and 0 <= (today - day).days <= DETRACTOR_FLAG_DAYS:
            who = doc.get("contact") or "a contact"
            why = _short(doc.get("reason", ""), 80)
            reason = f"{who} answered {score} on {day.isoformat()}" + (f": {why}" if why else "")
            found.append(_FlagFound("nps_detractor", doc["uid"], reason, day, uid))
    recent_start = today - dt.timedelta(days=RECENT_DAYS - 1)
    before_start = recent_start - dt.timedelta(days=RECENT_DAYS)
    recent = [d for d in docs if _in_range(d, recent_start, today)]
    before = [d for d in docs if _in_range(d, before_start, recent_start - dt.timedelta(days=1))]
    if len(recent) >= FALLING_MIN_N and len(before) >= FALLING_MIN_N:
        now_s, then_s = _summary(ws, recent), _summary(ws, before)
        assert now_s.score is not None and then_s.score is not None
        if then_s.score - now_s.score >= FALLING_DROP:
            reason = (
                f"NPS {now_s.label()} over the last 6 months, "
                f"was {then_s.label()} the 6 months before"
            )
            since = min(d for doc in recent if (d := as_date(doc.get("date"))))
            found.append(_FlagFound("nps_falling", uid, reason, since, uid))
    return found


def _client_state_flags(ws: Workspace, client: Doc, today: dt.date) -> list[_FlagFound]:
    uid = client["uid"]
    found = []
    if client.get("unpaid_invoices"):
        found.append(_FlagFound("unpaid_invoices", uid, "invoices are marked unpaid", None, uid))
    deciders = [c for c in client.get("contacts") or [] if c.get("decision_maker")]
    why = []
    if client.get("approval_delays"):
        why.append("approvals are marked late")
    if len(deciders) > APPROVAL_GROUP_MAX:
        why.append(f"{len(deciders)} decision makers must agree")
    if why:
        found.append(_FlagFound("approvals_slipping", uid, "; ".join(why), None, uid))
    return found


def _request_flags(ws: Workspace, client: Doc, today: dt.date) -> list[_FlagFound]:
    uid = client["uid"]
    found = []
    unplanned: list[tuple[dt.date, str]] = []
    early: list[tuple[dt.date, str]] = []
    stale_after = ws.config.thresholds.feedback_unprocessed_days
    for doc in ws.docs("request", client=uid):
        day = as_date(doc.get("date")) or today
        kind, status = doc.get("kind"), doc.get("status")
        accepted = kind == RequestKind.WISH.value and status == RequestStatus.ACCEPTED.value
        if accepted and not doc.get("planned"):
            unplanned.append((day, _short(doc.get("text", ""), 40)))
        if doc.get("delivered_early_free"):
            early.append((day, _short(doc.get("text", ""), 40)))
        if kind == RequestKind.FEEDBACK.value and status == RequestStatus.NEW.value:
            waited = (today - day).days
            if waited >= stale_after:
                text = _short(doc.get("text", ""))
                reason = f"“{text}” from {day.isoformat()}, {waited} days unanswered"
                found.append(_FlagFound("feedback_unprocessed", doc["uid"], reason, day, uid))
    if unplanned:
        unplanned.sort()
        names = ", ".join(f"“{t}”" for _, t in unplanned[:3])
        more = f" and {len(unplanned) - 3} more" if len(unplanned) > 3 else ""
        reason = f"{len(unplanned)} accepted without a plan: {names}{more}"
        found.append(_FlagFound("wishes_unplanned", uid, reason, unplanned[0][0], uid))
    if len(early) >= 2:
        early.sort()
        reason = f"{len(early)} times: " + ", ".join(
            f"“{t}” ({d.isoformat()})" for d, t in early[:3]
        )
        found.append(_FlagFound("early_free_work", uid, reason, early[1][0], uid))
    return found


def _engagement_flags(ws: Workspace, client: Doc, today: dt.date) -> list[_FlagFound]:
    uid = client["uid"]
    months = ws.config.thresholds.communicator_max_months
    found = []
    for doc in ws.docs("engagement", client=uid):
        if not is_active(doc.get("start"), doc.get("end"), today):
            continue
        consultant = doc.get("consultant")
        start = as_date(doc.get("start"))
        if doc.get("unplanned"):
            who = _name(ws, "consultant", consultant)
            reason = f"{who} joined on {start.isoformat() if start else '?'} for unplanned work"
            found.append(
                _FlagFound("team_grown_unplanned", doc["uid"], reason, start, uid, consultant)
            )
        person = str(doc.get("main_communicator") or "").strip()
        if not person:
            continue
        since = as_date(doc.get("communicator_since")) or start
        if since is not None and add_months(since, months) <= today:
            held = (today.year - since.year) * 12 + today.month - since.month
            reason = (
                f"{person} has been the main communicator since {since.isoformat()} "
                f"({held} months; rotate after {months})"
            )
            found.append(
                _FlagFound(
                    "communicator_too_long",
                    doc["uid"],
                    reason,
                    add_months(since, months),
                    uid,
                    consultant,
                )
            )
        if doc.get("communicator_role") == CommunicatorRole.TECHNICAL.value:
            reason = f"{person} is a purely technical person in the main communicator role"
            found.append(
                _FlagFound("communicator_technical", doc["uid"], reason, since, uid, consultant)
            )
    return found


def _acks(ws: Workspace) -> dict[str, list[Doc]]:
    found: dict[str, list[Doc]] = {}
    for doc in ws.docs("flag_ack"):
        found.setdefault(str(doc.get("flag")), []).append(doc)
    for docs in found.values():
        docs.sort(key=lambda d: (str(d.get("date")), d["uid"]))
    return found


_KIND_ORDER = {kind: index for index, kind in enumerate(FLAG_KINDS)}


def red_flags(
    ws: Workspace,
    *,
    manager: str | None = None,
    client: str | None = None,
    include_addressed: bool = False,
) -> list[RedFlag]:
    """Red flags of one client, or of a manager's whole portfolio (clients and
    consultants); ``manager`` None is the signed-in manager. Flags covered by an
    "addressed" note are left out unless ``include_addressed``."""
    today = ws.today()
    found: list[_FlagFound] = []
    if client is not None:
        clients = [_client_doc(ws, client)]
        consultant_ids = {
            e["consultant"]
            for e in ws.docs("engagement", client=client)
            if is_active(e.get("start"), e.get("end"), today)
        }
        consultants = [
            doc
            for uid in sorted(consultant_ids)
            if (doc := ws.store.view.get("consultant", uid)) and doc.get("active", True)
        ]
    else:
        who = manager or ws.me
        clients = list(ws.docs("client", manager=who)) if who else []
        consultants = (
            [d for d in ws.docs("consultant", manager=who) if d.get("active", True)] if who else []
        )
    for person in consultants:
        found.extend(_pulse_flags(ws, person, today))
    for doc in clients:
        for rule in (
            _meeting_flags,
            _agreement_flags,
            _nps_flags,
            _client_state_flags,
            _request_flags,
            _engagement_flags,
        ):
            found.extend(rule(ws, doc, today))
    acks = _acks(ws)
    flags = []
    for item in found:
        spec = FLAG_KINDS[item.kind]
        key = flag_key(item.kind, item.subject)
        covering = [
            a
            for a in acks.get(key, [])
            if (d := as_date(a.get("date"))) is not None and ack_covers(d, item.since)
        ]
        addressed = bool(covering)
        if addressed and not include_addressed:
            continue
        flags.append(
            RedFlag(
                key=key,
                kind=item.kind,
                label=spec.label,
                reason=item.reason,
                since=item.since,
                client=item.client,
                consultant=item.consultant,
                internal=spec.internal,
                addressed=addressed,
                note=str(covering[-1].get("note", "")) if covering else "",
            )
        )
    flags.sort(key=lambda f: (_KIND_ORDER[f.kind], f.since or dt.date.max, f.key))
    return flags


def address_flag(ws: Workspace, key: str, note: str) -> None:
    """Mark a flag as addressed today, with a note (kept as a FlagAck record)."""
    key = key.strip()
    kind = key.split(":", 1)[0]
    if kind not in FLAG_KINDS or ":" not in key:
        raise InvalidInput.one("flag", f"unknown red flag {key!r}")
    ws.add(FlagAck, flag=key, note=note, date=ws.today(), by=ws.me)


# ---- client health ------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    score: int  # 0..100
    grade: str  # "good" (>=75) | "watch" (50..74) | "at risk" (<50)
    lost: list[tuple[int, str]]  # (points lost, reason), biggest first
    trend: list[int]  # scores at the end of each of the last 4 quarters, oldest first

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "grade": self.grade,
            "lost": [[points, reason] for points, reason in self.lost],
            "trend": list(self.trend),
        }


def _onboarding(client: Doc, day: dt.date) -> bool:
    """Onboarding is the first three months from the start (or, with no start date,
    from when the stage was set); with neither date known, the recorded stage."""
    start = as_date(client.get("started")) or as_date(client.get("stage_since"))
    if start is not None:
        return start <= day < start + dt.timedelta(days=ONBOARDING_DAYS)
    return client.get("stage") == LifecycleStage.ONBOARDING.value


@dataclass
class _ClientHistory:
    """One client's records, read once through the indexes so the health score can be
    weighed on several days (the trend) without reading them again."""

    doc: Doc
    nps: list[Doc]
    agreements: list[Doc]
    meetings: list[Doc]
    touchpoints: list[dt.date]
    engagements: list[Doc]
    requests: list[Doc]
    pulses: dict[str, list[tuple[dt.date, int]]]  # consultant -> (day, wellbeing) held
    names: dict[str, str]  # consultant uid -> name

    @classmethod
    def read(cls, ws: Workspace, client: str) -> _ClientHistory:
        doc = _client_doc(ws, client)
        engagements = list(ws.docs("engagement", client=client))
        pulses: dict[str, list[tuple[dt.date, int]]] = {}
        names: dict[str, str] = {}
        for engagement in engagements:
            person = str(engagement.get("consultant"))
            if person in pulses:
                continue
            pulses[person] = [
                (day, int(p["wellbeing"]))
                for p in ws.docs("pulse", consultant=person)
                if p.get("status") == PulseStatus.HELD.value
                and p.get("wellbeing") is not None
                and (day := as_date(p.get("date"))) is not None
            ]
            names[person] = _name(ws, "consultant", person)
        touchpoints = [
            day for t in ws.docs("touchpoint", client=client) if (day := as_date(t.get("date")))
        ]
        return cls(
            doc=doc,
            nps=list(ws.docs("nps", client=client)),
            agreements=list(ws.docs("agreement", client=client)),
            meetings=list(ws.docs("meeting", client=client)),
            touchpoints=touchpoints,
            engagements=engagements,
            requests=list(ws.docs("request", client=client)),
            pulses=pulses,
            names=names,
        )


def health_facts(ws: Workspace, client: str, day: dt.date | None = None) -> HealthFacts:
    """The facts the health score weighs, as of the end of ``day`` (default today).

    Dated records (NPS answers, agreement status history, meetings, pulses,
    touchpoints, requests) are read as they stood that day; the client's unpaid
    invoices and approval delays have no dated history, so today's value is used."""
    return _facts_on(ws, _ClientHistory.read(ws, client), day or ws.today())


def _facts_on(ws: Workspace, history: _ClientHistory, day: dt.date) -> HealthFacts:
    doc = history.doc
    recent_start = day - dt.timedelta(days=RECENT_DAYS - 1)
    nps = _summary(ws, [d for d in history.nps if _in_range(d, recent_start, day)])

    overdue_ours = overdue_theirs = broken = 0
    for agreement in history.agreements:
        status, since = _status_on(agreement, day)
        if is_overdue(status, agreement.get("due"), day):
            if agreement.get("side") == "us":
                overdue_ours += 1
            else:
                overdue_theirs += 1
        elif status == AgreementStatus.BROKEN.value and since and (day - since).days < RECENT_DAYS:
            broken += 1

    cadence = Cadence(doc.get("cadence", Cadence.QUARTERLY.value))
    grace = ws.config.cadences.meeting_grace_days
    last = last_held(_held(history.meetings), day)
    info = meeting_due(last, cadence, day, grace)
    started = as_date(doc.get("started"))
    interval = meeting_interval(cadence)
    expected = started is None or (day - started).days >= min(interval + grace, 30)
    onboarding = _onboarding(doc, day)
    if onboarding and started is not None:
        expected = (day - started).days >= 14

    contacts = [last] if last else []
    contacts += [d for d in history.touchpoints if d <= day]
    days_since_contact = (day - max(contacts)).days if contacts else None

    wellbeing: dict[str, int] = {}
    for engagement in history.engagements:
        if not is_active(engagement.get("start"), engagement.get("end"), day):
            continue
        person = str(engagement.get("consultant"))
        held = [p for p in history.pulses.get(person, []) if p[0] <= day]
        if held:
            wellbeing[history.names.get(person, person)] = max(held, key=lambda p: p[0])[1]

    stale = 0
    for request in history.requests:
        rday = as_date(request.get("date"))
        if (
            request.get("status") == RequestStatus.NEW.value
            and rday is not None
            and (day - rday).days >= REQUEST_STALE_DAYS
        ):
            stale += 1

    return HealthFacts(
        onboarding=onboarding,
        nps=nps.score,
        nps_n=nps.n,
        overdue_ours=overdue_ours,
        overdue_theirs=overdue_theirs,
        broken_recent=broken,
        meeting=info.state,
        meeting_days_since=info.days_since,
        meeting_expected=expected,
        days_since_contact=days_since_contact,
        wellbeing=wellbeing,
        unpaid_invoices=bool(doc.get("unpaid_invoices")),
        approval_delays=bool(doc.get("approval_delays")),
        stale_requests=stale,
    )


def client_health(ws: Workspace, client: str) -> Health:
    """Health today, the reason for every point lost, and a trend: the score at the end
    of each of the last four quarters, the current one counted up to today."""
    today = ws.today()
    history = _ClientHistory.read(ws, client)
    score, lost = weigh(_facts_on(ws, history, today))
    trend = []
    for year, quarter in previous_quarters(today, 4):
        end = min(quarter_bounds(year, quarter)[1], today)
        trend.append(score if end == today else weigh(_facts_on(ws, history, end))[0])
    return Health(score=score, grade=grade(score), lost=lost, trend=trend)


# ---- since the last meeting ------------------------------------------------------------------


@dataclass(frozen=True)
class Brief:
    client: str
    last_meeting: dt.date | None
    carried_over: list[AgendaItem]
    agreements_due: list[Agreement]
    nps_change: float | None
    nps_now: NpsSummary
    new_requests: list[Request]
    days_since_touchpoint: int | None
    next_meeting: dt.date | None = None


def since_last_meeting(ws: Workspace, client: str) -> Brief:
    """What changed for a client since the last meeting held: agenda items still open
    from before it, agreements due within a week or overdue, the NPS now (last 12
    months) and its change against the answers before the meeting, requests that
    arrived after it, and days since the last touchpoint."""
    _client_doc(ws, client)  # raises for an unknown client
    today = ws.today()
    meetings = list(ws.docs("meeting", client=client))
    last = last_held(_held(meetings), today)
    upcoming = sorted(
        day
        for m in meetings
        if m.get("status") == MeetingStatus.PLANNED.value
        and (day := as_date(m.get("date"))) is not None
        and day >= today
    )

    carried = [
        item
        for item in _records(ws, AgendaItem, client)
        if item.status == AgendaStatus.OPEN and last is not None and item.added_at.date() <= last
    ]
    carried.sort(key=lambda i: (i.added_at, i.uid))

    due = sorted(
        (a for a in _records(ws, Agreement, client) if is_due_within(a.status, a.due, today)),
        key=lambda a: (a.due or dt.date.max, a.text, a.uid),
    )

    year_ago = today - dt.timedelta(days=365)
    nps_now = nps_for(ws, client=client, start=year_ago, end=today)
    change = None
    if last is not None:
        before = nps_for(ws, client=client, start=year_ago, end=last)
        after = nps_for(ws, client=client, start=last + dt.timedelta(days=1), end=today)
        if before.score is not None and after.score is not None:
            change = after.score - before.score

    new_requests = sorted(
        (r for r in _records(ws, Request, client) if last is None or r.date > last),
        key=lambda r: (r.date, r.uid),
    )
    if last is None:
        new_requests = [r for r in new_requests if r.status == RequestStatus.NEW]

    touch_days = _touchpoint_days(ws, client, today)
    since_touch = (today - max(touch_days)).days if touch_days else None
    return Brief(
        client=client,
        last_meeting=last,
        carried_over=carried,
        agreements_due=due,
        nps_change=change,
        nps_now=nps_now,
        new_requests=new_requests,
        days_since_touchpoint=since_touch,
        next_meeting=upcoming[0] if upcoming else None,
    )


# ---- segmentation, lifecycle and spiral ----------------------------------------------------


@dataclass(frozen=True)
class SegmentPlace:
    """A client's place on the 2x2 grid now and at the end of last quarter."""

    client: str
    name: str
    segment: Segment
    previous: Segment | None  # None: the client did not exist yet
    move: str  # "new", "stayed" or "steady → top"


def _quarter_end_ms(day: dt.date) -> int:
    """Epoch ms at the end of the quarter before the one holding ``day``."""
    year, quarter = previous_quarters(day, 2)[0]
    end = quarter_bounds(year, quarter)[1]
    return int(dt.datetime.combine(end, dt.time.max).timestamp() * 1000)


def _answers_at(ws: Workspace, clients: set[str], moment_ms: int) -> dict[str, dict[str, Any]]:
    """The two segmentation answers of each client as recorded by ``moment_ms``.

    The view keeps only current values, so this reads the journal once: for each
    client and field, the last change recorded (by hybrid-clock time) at or before
    the moment. Concurrent changes count in clock order, as the view shows them."""
    fields = ("client_wants_us", "we_want_client")
    found: dict[str, dict[str, tuple[tuple[int, int, str], Any]]] = {}
    for op in ws.store.journal.replay(0, ReplayStats()):
        if op.get("entity") != "client" or op.get("uid") not in clients:
            continue
        try:
            key = op_key(str(op["id"]))
        except (KeyError, ValueError):
            continue
        if key[0] > moment_ms:
            continue
        changes: dict[str, Any] = {}
        if op.get("kind") == "create":
            data = op.get("data") or {}
            changes = {f: data.get(f, Answer.UNSURE.value) for f in fields}
            changes["_exists"] = True
        elif op.get("kind") in ("set", "resolve") and op.get("field") in fields:
            changes = {op["field"]: op.get("value")}
        record = found.setdefault(op["uid"], {})
        for field, value in changes.items():
            if field not in record or record[field][0] <= key:
                record[field] = (key, value)
    return {uid: {f: v for f, (_, v) in rec.items()} for uid, rec in found.items()}


def segment_grid(ws: Workspace, manager: str | None = None) -> list[SegmentPlace]:
    """Every client of a manager (default: me) on the grid, with the move since the end
    of last quarter, by name."""
    who = manager or ws.me
    clients = sorted(
        ws.docs("client", manager=who) if who else [],
        key=lambda d: (str(d.get("name", "")).casefold(), d["uid"]),
    )
    before = _answers_at(ws, {c["uid"] for c in clients}, _quarter_end_ms(ws.today()))
    places = []
    for doc in clients:
        now = segment_of(
            doc.get("client_wants_us", Answer.UNSURE.value),
            doc.get("we_want_client", Answer.UNSURE.value),
        )
        then_answers = before.get(doc["uid"])
        previous = None
        if then_answers and then_answers.get("_exists"):
            previous = segment_of(
                then_answers.get("client_wants_us") or Answer.UNSURE.value,
                then_answers.get("we_want_client") or Answer.UNSURE.value,
            )
        places.append(
            SegmentPlace(doc["uid"], str(doc["name"]), now, previous, move_label(previous, now))
        )
    return places


@dataclass(frozen=True)
class Lifecycle:
    stage: LifecycleStage
    since: dt.date | None
    days_in_stage: int | None
    warning: str
    spiral: SpiralQuarter
    spiral_since: dt.date | None
    days_in_spiral: int | None
    spiral_warning: str


def lifecycle(ws: Workspace, client: str) -> Lifecycle:
    """Lifecycle stage and spiral quarter with time in each, and their warnings.

    With no date recorded for the stage or the spiral, the client's start is used."""
    doc = _client_doc(ws, client)
    today = ws.today()
    started = as_date(doc.get("started"))
    stage = LifecycleStage(doc.get("stage", LifecycleStage.ONBOARDING.value))
    stage_since = as_date(doc.get("stage_since")) or started
    stage_days = (today - stage_since).days if stage_since else None
    quarter = SpiralQuarter(doc.get("spiral", SpiralQuarter.Q1_FUNCTIONALITY.value))
    spiral_since = as_date(doc.get("spiral_since")) or started
    spiral_days = (today - spiral_since).days if spiral_since else None
    return Lifecycle(
        stage,
        stage_since,
        stage_days,
        lifecycle_warning(stage, stage_days),
        quarter,
        spiral_since,
        spiral_days,
        spiral_warning(quarter, spiral_days),
    )


# ---- three hats -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HatsRow:
    """One engagement seen with all three hats: the consultant's pulse beside the
    client's health."""

    engagement: str
    consultant: str
    consultant_name: str
    client: str
    client_name: str
    pulse: list[tuple[dt.date, int]]  # wellbeing 1-5 of the last 4 held pulses, oldest first
    pulse_state: str  # ok | due | overdue | never
    health: Health


def three_hats(ws: Workspace, manager: str | None = None) -> list[HatsRow]:
    """Every active engagement at a manager's clients (default: me)."""
    who = manager or ws.me
    today = ws.today()
    cad = ws.config.cadences
    rows = []
    healths: dict[str, Health] = {}
    for client in ws.docs("client", manager=who) if who else []:
        for engagement in ws.docs("engagement", client=client["uid"]):
            if not is_active(engagement.get("start"), engagement.get("end"), today):
                continue
            person = str(engagement.get("consultant"))
            held = sorted(
                (
                    (day, int(p["wellbeing"]))
                    for p in ws.docs("pulse", consultant=person)
                    if p.get("status") == PulseStatus.HELD.value
                    and p.get("wellbeing") is not None
                    and (day := as_date(p.get("date"))) is not None
                    and day <= today
                ),
            )
            last = last_held(_held(ws.docs("pulse", consultant=person)), today)
            state = pulse_due(last, today, cad.pulse_due_days, cad.pulse_overdue_days).state
            if client["uid"] not in healths:
                healths[client["uid"]] = client_health(ws, client["uid"])
            rows.append(
                HatsRow(
                    engagement["uid"],
                    person,
                    _name(ws, "consultant", person),
                    client["uid"],
                    str(client["name"]),
                    held[-4:],
                    state.value,
                    healths[client["uid"]],
                )
            )
    rows.sort(key=lambda r: (r.client_name.casefold(), r.consultant_name.casefold(), r.engagement))
    return rows
