"""Segments section: the 2x2 grid of my clients (does the client want us, do we want
the client), each quadrant with its policy and its clients with their move since last
quarter, and below it the quarterly self-check: the clients whose evidence suggests
other answers, with the reasons. Enter opens the client's page.

The data is :func:`pulsetui.service.views.segments.segments_view`, read in a thread
worker; in call mode the view holds nothing and the screen says so."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from pulsetui.domain.enums import Segment
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.segments import Quadrant, SegmentRow, SegmentsView, segments_view
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.freshness import KeptState, data_state
from pulsetui.tui.widgets.literal import cell, one_line, wrapped
from pulsetui.tui.widgets.marked_table import MarkedTable

# the grid: client wants us (rows: yes, no) x we want the client (columns: yes, not)
GRID = (Segment.TOP, Segment.STEADY, Segment.WIN_BACK, Segment.PART_WAYS)
AXES = {
    Segment.TOP: "client yes, we yes",
    Segment.STEADY: "client yes, we unsure",
    Segment.WIN_BACK: "client no, we yes",
    Segment.PART_WAYS: "client no, we no",
}


# below this width a quadrant's policy is given in a few words on its box's lower edge
BRIEF_BELOW = 80


def quadrant_text(
    quadrant: Quadrant, policy: bool = True, room: tuple[int, int] | None = None
) -> Text:
    """A quadrant's box: its clients with their moves, then its policy unless it is on
    the box's edge (the name and the two answers are the box's title). ``room`` (width,
    lines): when the clients do not fit, the last line that does says how many more
    there are (the check list below names every client)."""
    rows = list(quadrant.clients)
    if room is not None:
        rows = _fitting(quadrant, policy, *room)
    text = Text()
    for row in rows:
        mark = "» " if row.moved else "  "  # a move is marked, never shown by colour alone
        text.append(f"{mark}{one_line(row.name, 28)}", style="bold" if row.moved else "")
        text.append(f" · {row.move}\n")
    if len(rows) < len(quadrant.clients):
        text.append(f"  … {len(quadrant.clients) - len(rows)} more (list below)\n", style="italic")
    if not quadrant.clients:
        text.append("  (none)\n", style="dim")
    if policy:
        text.append(quadrant.policy, style="italic dim")
    text.rstrip()
    return text


def _fitting(quadrant: Quadrant, policy: bool, width: int, height: int) -> list[SegmentRow]:
    """The clients whose lines fit in ``height`` lines of ``width`` beside the policy
    and, when some are left out, the line saying how many."""

    def lines(text: str) -> int:
        return len(wrapped(text, width))

    heights = [lines(f"  {one_line(row.name, 28)} · {row.move}") for row in quadrant.clients]
    room = height - (lines(quadrant.policy) if policy else 0)
    if sum(heights) <= room:
        return list(quadrant.clients)
    room -= 1  # the "… more" line
    kept: list[SegmentRow] = []
    for row, needed in zip(quadrant.clients, heights, strict=True):
        if needed > room:
            break
        kept.append(row)
        room -= needed
    return kept


def quadrant_title(quadrant: Quadrant) -> str:
    """``TOP (1) · client yes, we yes``."""
    return f"{quadrant.label.upper()} ({len(quadrant.clients)}) · {AXES[Segment(quadrant.segment)]}"


def unknown_text(view: SegmentsView) -> Text:
    unknown = next((q for q in view.quadrants if q.segment == Segment.UNKNOWN), None)
    if unknown is None or not unknown.clients:
        return Text("")
    names = ", ".join(one_line(r.name, 28) for r in unknown.clients)
    return Text(f"Unknown ({len(unknown.clients)}): {names} — {unknown.policy}")


CheckRow = tuple[str, list[Text]]  # client uid, cells


def suggested_text(row: SegmentRow) -> str:
    """The answers the evidence would change: ``client yes → no; we yes → unsure``."""
    changes = []
    if row.suggested_client != row.client_wants_us:
        changes.append(f"client {row.client_wants_us} → {row.suggested_client}")
    if row.suggested_us != row.we_want_client:
        changes.append(f"we {row.we_want_client} → {row.suggested_us}")
    return "; ".join(changes) or "as recorded"


def check_rows(view: SegmentsView) -> list[CheckRow]:
    """The clients whose evidence suggests other answers than those recorded."""
    rows = []
    for row in view.rows:
        if not row.reasons:
            continue
        why = cell("; ".join(row.reasons))
        rows.append((row.uid, [cell(one_line(row.name, 24)), Text(suggested_text(row)), why]))
    return rows


class SegmentsScreen(BaseScreen):
    """My clients on the 2x2 grid, with the quarterly self-check."""

    TITLE = "Segments"
    AUDIENCE_BOUND = True
    HELP = """\
Each of your clients on the two questions: does the client want to work with us, do we
want to work with the client. Top (both yes): extra effort pays off. Steady (they want
us, we are unsure): good service with strict rules both ways. Win back (they are not
sure of us): meet their expectations or let them go. Part ways (neither): carefully.
» marks a client whose quadrant moved since the end of last quarter.

The self-check below re-asks the two questions where the evidence suggests other
answers: unpaid invoices, late client approvals or more than two decision makers suggest
"we: unsure"; a detractor answer or a broken promise of ours, "client: no". Enter opens
the client's page, where the answers are changed. Nothing here is shown in call mode."""
    CSS_PATH = stylesheet("judgements.tcss")
    BINDINGS = keys.bindings("open")

    class Gathered(Message):
        def __init__(self, view: SegmentsView, state: tuple[Any, ...], serial: int) -> None:
            super().__init__()
            self.view = view
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._kept = KeptState()
        self._view: SegmentsView | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="segments-summary", markup=False)
        with Grid(id="segments-grid"):
            for segment in GRID:
                yield Static("", id=f"quadrant-{segment.value}", classes="quadrant")
        yield Static("", id="segments-unknown")
        with Vertical(id="segments-check-box"):
            yield Static("Self-check: answers the evidence suggests", id="segments-check-title")
            yield MarkedTable(id="segments-check", fill="why", zebra_stripes=False)

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one(DataTable)
        table.add_column("Client", key="name")
        table.add_column("Suggested", key="suggested")
        table.add_column("Why", key="why")
        self.query_one("#segments-check-box").display = False
        self.reload()
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        if self._kept.stale(data_state(self.pulse_app)):
            self.reload()

    def reload(self) -> None:
        state = data_state(self.pulse_app)
        serial = self._kept.start(state)
        self._gather(self.workspace, self.pulse_app.audience, state, serial)

    @work(thread=True, exclusive=True, group="segments", exit_on_error=False)
    def _gather(
        self, ws: Workspace, audience: Audience, state: tuple[Any, ...], serial: int
    ) -> None:
        self.post_message(self.Gathered(segments_view(ws, audience), state, serial))

    def on_segments_screen_gathered(self, message: Gathered) -> None:
        if not self.is_live or not self._kept.arrived(message.state, message.serial):
            return
        view = message.view
        self._view = view
        self.shown_for(message.state[2])
        self.query_one("#segments-summary", Static).update(Text(view.summary))
        self.query_one("#segments-grid").display = not view.in_call
        self._show_quadrants()
        self.call_after_refresh(self._show_quadrants)  # cut to the boxes' sizes once laid out
        self.query_one("#segments-unknown", Static).update(unknown_text(view))
        table = self.query_one(DataTable)
        table.clear()
        rows = check_rows(view)
        for uid, cells in rows:
            table.add_row(*cells, key=uid)
        check = self.query_one("#segments-check-box")
        check.display = bool(rows)
        if rows:
            if self.focused is table and not table.has_focus:
                self.set_focus(None)  # kept while hidden: focus it again, visibly
            self.call_after_refresh(table.focus)  # once its box is shown again
        elif self.focused is table:
            self.set_focus(None)  # no key may reach a hidden list (in a call)

    def on_resize(self) -> None:
        if self.is_live:
            self.call_after_refresh(self._show_quadrants)  # the boxes' new sizes

    def _show_quadrants(self) -> None:
        """The four boxes; on a narrow screen each policy in a few words on the box's
        lower edge, where the clients listed cannot push it out of sight."""
        if self._view is None or not self.is_live:
            return
        brief = self.size.width < BRIEF_BELOW
        by_segment = {q.segment: q for q in self._view.quadrants}
        for segment in GRID:
            quadrant = by_segment.get(segment.value)
            box = self.query_one(f"#quadrant-{segment.value}", Static)
            size = box.content_size
            room = (size.width, size.height) if size.width and size.height else None
            box.update(quadrant_text(quadrant, not brief, room) if quadrant else Text(""))
            box.border_title = quadrant_title(quadrant) if quadrant else ""
            box.border_subtitle = quadrant.brief if quadrant and brief else ""

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def context_client(self) -> str | None:
        return self._selected()

    def action_open(self) -> None:
        uid = self._selected()
        if uid is not None:
            app = self.pulse_app
            app.show_record("client", uid)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
