"""The segments screen: the 2x2 grid of a manager's clients (does the client want us,
do we want the client), each quadrant with its policy, each client with its move since
the end of last quarter and the answers the evidence suggests for the quarterly
self-check. The segment is our internal judgement: a call sees none of it."""

from __future__ import annotations

from dataclasses import dataclass

from pulsetui.domain.enums import Segment
from pulsetui.domain.segment_check import BRIEF_POLICIES, POLICIES
from pulsetui.domain.segments import SEGMENT_LABELS
from pulsetui.domain.words import counted
from pulsetui.service.insights.segments import SegmentPlace, segment_grid
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

# the grid read as the two questions: client wants us (rows) x we want the client (columns)
GRID_ORDER = (Segment.TOP, Segment.STEADY, Segment.WIN_BACK, Segment.PART_WAYS, Segment.UNKNOWN)


@dataclass(frozen=True)
class SegmentRow:
    """One client in its quadrant."""

    uid: str
    name: str
    move: str  # "new", "stayed" or "steady → top"
    moved: bool  # its quadrant changed since the end of last quarter
    client_wants_us: str  # yes | unsure | no, as recorded
    we_want_client: str
    suggested_client: str  # what the evidence suggests for each question
    suggested_us: str
    reasons: tuple[str, ...]  # the evidence behind each suggested change


@dataclass(frozen=True)
class Quadrant:
    segment: str  # a Segment value
    label: str  # "top", "win back", ...
    policy: str  # what to do with a client here
    clients: tuple[SegmentRow, ...]  # by name
    brief: str = ""  # the policy in a few words


@dataclass(frozen=True)
class SegmentsView:
    in_call: bool
    quadrants: tuple[Quadrant, ...]  # top, steady, win back, part ways, unknown
    summary: str  # "5 clients · 1 moved since last quarter · 2 to re-check"

    @property
    def rows(self) -> tuple[SegmentRow, ...]:
        return tuple(row for quadrant in self.quadrants for row in quadrant.clients)


def _row(place: SegmentPlace) -> SegmentRow:
    check = place.check
    reasons: tuple[str, ...] = ()
    if check is not None:
        reasons = (
            *(f"client: {why}" for why in check.client_reasons),
            *(f"we: {why}" for why in check.our_reasons),
        )
    return SegmentRow(
        place.client,
        place.name,
        place.move,
        place.moved,
        place.client_wants_us.value,
        place.we_want_client.value,
        check.client_wants_us.value if check else place.client_wants_us.value,
        check.we_want_client.value if check else place.we_want_client.value,
        reasons,
    )


def segments_view(ws: Workspace, audience: Audience) -> SegmentsView:
    """My clients on the grid; in a call, nothing (segments are internal)."""
    if not audience.sees_internal:
        return SegmentsView(True, (), "The segments are internal: not shown in a call.")
    places = segment_grid(ws, audience.me)
    quadrants = tuple(
        Quadrant(
            segment.value,
            SEGMENT_LABELS[segment],
            POLICIES[segment],
            tuple(_row(p) for p in places if p.segment == segment),
            BRIEF_POLICIES[segment],
        )
        for segment in GRID_ORDER
    )
    moved = sum(1 for p in places if p.moved)
    recheck = sum(1 for p in places if p.check is not None and p.check.changes)
    if not places:
        summary = "No clients yet."
    else:
        summary = (
            f"{counted(len(places), 'client')} · {moved} moved since last quarter"
            f" · {recheck} to re-check"
        )
    return SegmentsView(False, quadrants, summary)
