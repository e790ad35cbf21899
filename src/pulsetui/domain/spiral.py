"""The spiral ledger: what a client was fed, quarter by quarter of the relationship
spiral (functionality → usability → stability → support → a new round), and the
mistakes that show in the mix.

What feeds the spiral: the work we promised (agreements on our side, unless
cancelled) and the requests we took on (wishes and support requests accepted or
done), each marked with the spiral quarter it feeds. A new one is suggested the
client's current quarter (a support request: support); the manager may change it.

The mix is read over **this calendar quarter and the one before** (the last two
quarters). Three of the mistakes that lose a client show in it, once the client has
been with us for that whole time (a new client starts with functionality, rightly):

- functionality without usability: 3 or more items fed functionality, none usability;
- usability without functionality: 3 or more fed usability, none functionality;
- functionality and usability without stabilisation: both fed, 4 or more together,
  and nothing fed stability — new features keep coming with no debt paid down.

The client's spiral quarter itself is stuck when it has been the same for more than
two calendar quarters and the mix shows work fed only to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pulsetui.domain.enums import RequestKind, RequestStatus, Side, SpiralQuarter
from pulsetui.domain.facts import ClientFacts
from pulsetui.domain.nps import previous_quarters, quarter_bounds, quarter_label
from pulsetui.domain.words import counted

MIX_QUARTERS = 2  # the mix: this calendar quarter and the one before
ONE_SIDED_MIN = 3  # items fed one side with none on the other: a mistake
FEATURES_MIN = 4  # functionality and usability items together, with no stability
NAMED = 3  # a reason names this many items, then "and N more"

SHORT = {
    SpiralQuarter.Q1_FUNCTIONALITY: "functionality",
    SpiralQuarter.Q2_USABILITY: "usability",
    SpiralQuarter.Q3_STABILITY: "stability",
    SpiralQuarter.Q4_SUPPORT: "support",
}


def quarter_of_spiral(value: object) -> SpiralQuarter | None:
    """A stored spiral quarter; None when missing or not one this version knows."""
    try:
        return SpiralQuarter(str(value)) if value else None
    except ValueError:
        return None


def suggested_spiral(client_quarter: object, request_kind: object = None) -> SpiralQuarter:
    """The quarter suggested for new work: the client's current one; a support
    request feeds support."""
    if request_kind == RequestKind.SUPPORT.value:
        return SpiralQuarter.Q4_SUPPORT
    return quarter_of_spiral(client_quarter) or SpiralQuarter.Q1_FUNCTIONALITY


@dataclass(frozen=True)
class FedItem:
    """One piece of work that fed the spiral."""

    uid: str
    quarter: SpiralQuarter
    day: dt.date
    text: str
    kind: str  # "agreement" | "request"


def fed_items(client: ClientFacts) -> list[FedItem]:
    """What fed the client's spiral, oldest first: our agreements not cancelled, and
    wishes and support requests accepted or done, each with its quarter and day."""
    found = []
    for agreement in client.agreements:
        quarter = quarter_of_spiral(agreement.spiral)
        if (
            quarter is not None
            and agreement.side == Side.US.value
            and agreement.status != "cancelled"
            and agreement.created is not None
        ):
            found.append(
                FedItem(agreement.uid, quarter, agreement.created, agreement.text, "agreement")
            )
    taken = (RequestStatus.ACCEPTED.value, RequestStatus.DONE.value)
    for request in client.requests:
        quarter = quarter_of_spiral(request.spiral)
        if (
            quarter is not None
            and request.kind != RequestKind.FEEDBACK.value
            and request.status in taken
            and request.day is not None
        ):
            found.append(FedItem(request.uid, quarter, request.day, request.text, "request"))
    found.sort(key=lambda item: (item.day, item.uid))
    return found


@dataclass(frozen=True)
class SpiralMix:
    """How much fed each spiral quarter, per calendar quarter of the window."""

    start: dt.date
    end: dt.date
    periods: tuple[tuple[str, dict[SpiralQuarter, int]], ...]  # ("2026-Q3", counts), oldest first
    items: tuple[FedItem, ...]  # in the window, oldest first

    def total(self, quarter: SpiralQuarter) -> int:
        return sum(counts[quarter] for _, counts in self.periods)

    def line(self) -> str:
        """``functionality 5 · usability 0 · stability 1 · support 2``."""
        return " · ".join(f"{SHORT[q]} {self.total(q)}" for q in SpiralQuarter)


def spiral_mix(items: Iterable[FedItem], today: dt.date) -> SpiralMix:
    """The mix over this calendar quarter and the one before, up to today."""
    periods = previous_quarters(today, MIX_QUARTERS)
    start = quarter_bounds(*periods[0])[0]
    chosen = tuple(i for i in items if start <= i.day <= today)
    rows = []
    for year, quarter in periods:
        first, last = quarter_bounds(year, quarter)
        counts = {q: 0 for q in SpiralQuarter}
        for item in chosen:
            if first <= item.day <= last:
                counts[item.quarter] += 1
        rows.append((quarter_label(year, quarter), counts))
    return SpiralMix(start, today, tuple(rows), chosen)


@dataclass(frozen=True)
class SpiralMistake:
    """A mistake the mix shows: its flag kind, why, and the items behind it."""

    kind: str
    reason: str
    items: tuple[FedItem, ...]


def _named(items: list[FedItem]) -> str:
    shown = ", ".join(f"“{_short(i.text)}”" for i in items[:NAMED])
    rest = len(items) - NAMED
    return shown + (f" and {rest} more" if rest > 0 else "")


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def mix_mistakes(mix: SpiralMix, existed_since: dt.date | None) -> list[SpiralMistake]:
    """Three of the mistakes that lose a client, read from the mix; only for a client
    with us for the whole window."""
    if existed_since is None or existed_since > mix.start:
        return []
    by = {q: [i for i in mix.items if i.quarter == q] for q in SpiralQuarter}
    functionality = by[SpiralQuarter.Q1_FUNCTIONALITY]
    usability = by[SpiralQuarter.Q2_USABILITY]
    stability = by[SpiralQuarter.Q3_STABILITY]
    window = f"since {mix.start.isoformat()}"
    found = []
    if len(functionality) >= ONE_SIDED_MIN and not usability:
        found.append(
            SpiralMistake(
                "spiral_features_without_ux",
                f"{counted(len(functionality), 'item')} fed functionality {window}, "
                f"none usability: {_named(functionality)}",
                tuple(functionality),
            )
        )
    if len(usability) >= ONE_SIDED_MIN and not functionality:
        found.append(
            SpiralMistake(
                "spiral_ux_without_features",
                f"{counted(len(usability), 'item')} fed usability {window}, "
                f"none functionality: {_named(usability)}",
                tuple(usability),
            )
        )
    features = sorted([*functionality, *usability], key=lambda i: (i.day, i.uid))
    if functionality and usability and len(features) >= FEATURES_MIN and not stability:
        found.append(
            SpiralMistake(
                "spiral_no_stabilisation",
                f"{counted(len(features), 'item')} fed features {window} "
                f"({len(functionality)} functionality, {len(usability)} usability) "
                f"and nothing stability: {_named(features)}",
                tuple(features),
            )
        )
    return found


def fed_split(mix: SpiralMix, current: object) -> tuple[int, int]:
    """Items in the mix that fed the client's current quarter, and those that fed others."""
    quarter = quarter_of_spiral(current)
    here = sum(1 for item in mix.items if item.quarter == quarter)
    return here, len(mix.items) - here
