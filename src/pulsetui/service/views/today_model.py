"""What Today shows, as plain values: :class:`TodayView` (dates, strings, numbers),
written to JSON and read back (:meth:`TodayView.as_dict`, :meth:`TodayView.from_dict`).
Computed by :func:`pulsetui.service.views.today.today_view`; kept apart from it so a
start can read Today's snapshot (:mod:`pulsetui.service.views.today_snapshot`) without
loading what computes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from pulsetui.domain.nps import format_score
from pulsetui.service.views.today_items import TodayItem, TodaySection


@dataclass(frozen=True)
class TrendPoint:
    quarter: str  # "2026-Q3"
    n: int
    score: float | None


@dataclass(frozen=True)
class NpsLine:
    scope: str  # "Portfolio NPS", or "NPS <client>" in a call
    label: str  # "+33 (n=6, directional)" or "no answers"
    interval: str  # "95% CI -27 … +71" or ""
    trend: tuple[TrendPoint, ...]  # by quarter, oldest first


@dataclass(frozen=True)
class EnpsLine:
    round: str
    label: str | None  # "+20 good (n=8)"; None while its figures may not be shown
    status: str = ""  # why not: "open until 2026-12-01", "fewer than 5 answered"


@dataclass(frozen=True)
class TodayView:
    manager: str  # the signed-in manager's name
    day: dt.date
    in_call: bool
    notice: str  # set when a call has no client of mine in view (then nothing else is)
    nps: NpsLine | None
    enps: tuple[EnpsLine, ...] | None  # None: not for this audience; (): no answers yet
    sections: tuple[TodaySection, ...]

    def summary_lines(self) -> list[str]:
        """The heading lines: who and when, NPS with its interval and trend, eNPS."""
        lines = [f"{self.manager} · {self.day:%a %d %b %Y}"]
        if self.notice:
            lines.append(self.notice)
        if self.nps is not None:
            line = f"{self.nps.scope}: {self.nps.label}"
            if self.nps.interval:
                line += f", {self.nps.interval}"
            lines.append(line)
            if self.nps.trend:
                lines.append("Trend: " + " → ".join(_trend_point(p) for p in self.nps.trend))
        if self.enps is not None:
            if not self.enps:
                lines.append("eNPS: no answers yet")
            for round_ in self.enps:
                shown = round_.label or round_.status
                lines.append(f"eNPS {round_.round}: {shown}")
        return lines

    def find(self, kind: str, uid: str) -> TodayItem | None:
        """The item of this kind and uid, if the view holds it."""
        for section in self.sections:
            for item in section.items:
                if item.kind == kind and item.uid == uid:
                    return item
        return None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, tuples as lists."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TodayView:
        nps = data.get("nps")
        enps = data.get("enps")
        return cls(
            manager=data["manager"],
            day=dt.date.fromisoformat(data["day"]),
            in_call=bool(data["in_call"]),
            notice=data["notice"],
            nps=None
            if nps is None
            else NpsLine(
                nps["scope"],
                nps["label"],
                nps["interval"],
                tuple(TrendPoint(**p) for p in nps["trend"]),
            ),
            enps=None if enps is None else tuple(EnpsLine(**e) for e in enps),
            sections=tuple(
                TodaySection(s["key"], s["title"], tuple(_item(i) for i in s["items"]))
                for s in data["sections"]
            ),
        )


def _item(data: dict[str, Any]) -> TodayItem:
    opens, day = data.get("opens"), data.get("day")
    return TodayItem(
        **{
            **data,
            "opens": tuple(opens) if opens else None,
            "day": dt.date.fromisoformat(day) if day else None,
        }
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _trend_point(point: TrendPoint) -> str:
    """``Q3 +50 (n=2)`` — the quarter without its year, the score and its n."""
    short = point.quarter.split("-")[-1]
    if point.n == 0 or point.score is None:
        return f"{short} –"
    return f"{short} {format_score(point.score)} (n={point.n})"
