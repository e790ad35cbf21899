"""Clients section: my clients with segment, lifecycle stage, spiral quarter, the next
planned meeting and a health grade; Enter opens the client page. In call mode only the
client in view is listed, without segment or health.

The rows are :func:`pulsetui.service.views.clients.clients_view` for the app's audience,
read in a thread worker and kept while the user visits other sections; they are read
again only when the store, the day, the audience or the width changed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable, Static

from pulsetui.domain.words import counted
from pulsetui.service.merge import same_name_groups
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.clients import (
    ClientRow,
    ClientsView,
    HealthMark,
    MeetingSlot,
    clients_view,
)
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.freshness import KeptRows, KeptState, data_state
from pulsetui.tui.widgets.literal import cell, one_line
from pulsetui.tui.widgets.marked_table import MarkedTable

SPIRAL_SHORT = {
    "q1_functionality": "Q1 function",
    "q2_usability": "Q2 usability",
    "q3_stability": "Q3 stability",
    "q4_support": "Q4 support",
}
SEGMENT_SHORT = {
    "top": "top",
    "steady": "steady",
    "win_back": "win back",
    "part_ways": "part ways",
    "unknown": "?",
}
GRADE_MARK = {"good": "good", "watch": "~ watch", "at risk": "! risk"}
DUPLICATE_MARK = "2× "
HIDDEN = "(hidden)"  # in call mode: our internal view of the client
# column widths (name, segment, stage, spiral, next meeting, health) by screen width; the
# name takes whatever width the others leave (at least its width here). Below 76 columns
# segment and spiral are left out (the client page and Segments show them), so the name
# and the health stay on screen.
NARROW = (17, 9, 10, 6, 10, 10)
WIDE = (30, 9, 10, 12, 16, 12)
SMALL = 76  # below this width: without segment and spiral
BRIEF = ("segment", "spiral")  # the columns left out below SMALL


def layout_for(width: int) -> str:
    """The clients table's layout for a terminal ``width``: small, normal or wide."""
    return "wide" if width >= 110 else "normal" if width >= SMALL else "small"


def meeting_when(slot: MeetingSlot | None, with_time: bool = True) -> str:
    """A planned meeting's day (and time, when agreed and asked for), or a dash."""
    if slot is None:
        return "—"
    return slot.text if with_time else slot.date.isoformat()


def meeting_cell(row: ClientRow, wide: bool) -> Text:
    """The next meeting; with none planned ahead, one planned whose day passed unheld
    as "! " and its day (in bold; month and day where the column is narrow), else a
    dash."""
    if row.next_meeting is None and row.not_held is not None:
        day = row.not_held.date
        return Text(f"! {day.isoformat() if wide else day.strftime('%m-%d')}", style="bold")
    return Text(meeting_when(row.next_meeting, wide))


def health_cell(health: HealthMark | None) -> Text:
    """The client's health grade in words (with a marker), or a dash if unknown."""
    if health is None:
        return Text("—")
    mark = GRADE_MARK.get(health.grade, health.grade)
    return Text(f"{mark} {health.score}", style="bold" if health.grade != "good" else "")


ClientCells = tuple[str, list[Text]]  # uid, cells


def client_cells(view: ClientsView, layout: str) -> tuple[list[ClientCells], str]:
    """The rows of the clients view as cells for ``layout`` (see :func:`layout_for`),
    and the summary line."""
    wide = layout == "wide"
    rows: list[ClientCells] = []
    for row in view.rows:
        name = cell(one_line(row.name))  # cut with "…" by the column's width
        if row.shares_name:
            name = Text(DUPLICATE_MARK, style="bold", no_wrap=True, overflow="ellipsis")
            name.append_text(cell(one_line(row.name)))
        segment = (
            Text(HIDDEN)
            if row.segment is None
            else Text(SEGMENT_SHORT.get(row.segment, row.segment))
        )
        cells = [
            name,
            segment,
            Text(row.stage),
            Text(SPIRAL_SHORT.get(row.spiral, row.spiral) if wide else row.spiral[:2].upper()),
            meeting_cell(row, wide),
            Text(HIDDEN) if view.in_call else health_cell(row.health),
        ]
        if layout == "small":
            del cells[3], cells[1]  # spiral, segment
        rows.append((row.uid, cells))
    summary = counted(len(view.rows), "client") if view.rows else "No clients yet."
    if view.shared_names:
        summary += f" · {view.shared_names} share a name with another client (2×): M merges"
    if view.in_call:
        summary = (
            "Call mode: only the client in view"
            if view.rows
            else "Call mode: no client in view (turn it on from the client's page)"
        )
    return rows, summary


class ClientsScreen(KeptRows, BaseScreen):
    """My clients; Enter opens one, m starts a meeting with it."""

    TITLE = "Clients"
    AUDIENCE_BOUND = True
    HELP = """\
Your clients: segment (client wants us × we want the client), lifecycle stage, the spiral
quarter being fed, the next planned meeting and the health grade (good ≥ 75, watch 50–74,
at risk < 50; the client page explains every point lost). With nothing planned ahead, a
meeting planned for a day that passed without it being held shows as "! " and that day.
In call mode only the client in view is listed, without segment and health. Narrower
than 76 columns, the list leaves segment and spiral out (the client page shows them).

A client marked "2×" shares its name with another client — usually the same company
added on two devices or by two colleagues before they synced. M (shift+m) shows them side
by side and merges them into the one you keep (asks first).

Enter opens the client page (contacts, engagements, timeline, health, red flags, NPS and
the brief since the last meeting). m starts meeting mode with the highlighted client;
a adds an item to its agenda backlog; n records an NPS answer from it.

+ adds a client (contacts, meeting cadence, stage, spiral, segment answers, red-flag
facts); E changes the highlighted one; d deletes it (asks first; a client other records
still refer to is kept) and u brings back what was deleted last."""
    CSS_PATH = stylesheet("clients.tcss")
    BINDINGS = [
        *keys.bindings("open", "new_meeting"),
        Binding("M", "merge", "Merge same name"),
        *keys.bindings("new", "edit", "delete", "undo"),
    ]

    class Gathered(Message):
        def __init__(
            self,
            rows: list[ClientCells],
            summary: str,
            state: tuple[Any, ...],
            serial: int,
        ) -> None:
            super().__init__()
            self.rows = rows
            self.summary = summary
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._layout = "normal"
        self._kept = KeptState()
        self._waiting: list[str] = []  # actions asked for before the first rows arrived

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="clients-summary", markup=False)
        yield MarkedTable(id="clients-table", fill="name")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self._layout = layout_for(self.app.size.width)
        self._add_columns()
        self.reload_after_frame()
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)
        self.query_one(DataTable).focus()

    def _add_columns(self) -> None:
        table = self.query_one(DataTable)
        wide = self._layout == "wide"
        widths = WIDE if wide else NARROW
        upcoming = "Next meeting" if wide else "Next mtg"
        names = ("Client", "Segment", "Stage", "Spiral", upcoming, "Health")
        keys_ = ("name", "segment", "stage", "spiral", "next", "health")
        for name, key, width in zip(names, keys_, widths, strict=True):
            if self._layout != "small" or key not in BRIEF:
                table.add_column(name, key=key, width=width)

    def on_resize(self, event: Resize) -> None:
        layout = layout_for(event.size.width)
        if not self.is_live:
            return
        if layout != self._layout and self.query_one(DataTable).columns:
            self._layout = layout
            self.query_one(DataTable).clear(columns=True)
            self._add_columns()
            self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_if_stale()

    def _state(self) -> tuple[Any, ...]:
        return data_state(self.pulse_app, self._layout)

    def refresh_if_stale(self) -> None:
        """Read again only if the store, the day, call mode or the width changed since
        the rows on screen were read; they stay on screen meanwhile."""
        if not self.reading_soon and self._kept.stale(self._state()):
            self.reload()

    def reload(self) -> None:
        state = self._state()
        serial = self._kept.start(state)
        self._gather(self.workspace, state, serial, state[2])

    @work(thread=True, exclusive=True, group="clients", exit_on_error=False)
    def _gather(
        self, ws: Workspace, state: tuple[Any, ...], serial: int, audience: Audience
    ) -> None:
        rows, summary = client_cells(clients_view(ws, audience), str(state[-1]))
        self.post_message(self.Gathered(rows, summary, state, serial))

    def on_clients_screen_gathered(self, message: Gathered) -> None:
        if not self.is_live or not self._kept.arrived(message.state, message.serial):
            return  # the screen is gone, or a newer read is on its way
        if message.state[-1] != self._layout:
            self.reload()  # read for another width
            return
        self.fill_rows(message.rows, "#clients-summary", message.summary)
        self.shown_for(message.state[2])

    def context_client(self) -> str | None:
        return self._selected()

    def open_record(self, kind: str, uid: str) -> None:
        client = self.workspace.client_of(kind, uid)
        if client is None:
            return
        table = self.query_one(DataTable)
        if client in {str(k.value) for k in table.rows}:
            table.move_cursor(row=table.get_row_index(client))
        from pulsetui.tui.screens.client_page import ClientPage

        self.app.push_screen(ClientPage(client))
        if kind == "meeting":
            from pulsetui.tui.screens.meeting import MeetingScreen

            self.app.push_screen(MeetingScreen(client, meeting=uid))

    def action_open(self) -> None:
        if self._before_rows("open"):
            return
        uid = self._selected()
        if uid is not None:
            self.open_record("client", uid)

    def action_new_meeting(self) -> None:
        if self._before_rows("new_meeting"):
            return
        uid = self._selected()
        if uid is not None:
            from pulsetui.tui.screens.meeting import MeetingScreen

            self.app.push_screen(MeetingScreen(uid))

    def action_new(self) -> None:
        from pulsetui.tui.screens.forms.open import open_client_form

        open_client_form(self.app)

    def action_edit(self) -> None:
        if self._before_rows("edit"):
            return
        uid = self._selected()
        if uid is not None:
            from pulsetui.tui.screens.forms.open import open_client_form

            open_client_form(self.app, uid)

    def action_delete(self) -> None:
        if self._before_rows("delete"):
            return
        uid = self._selected()
        if uid is not None:
            from pulsetui.tui.screens.forms.open import delete_record

            delete_record(self.app, "client", uid)

    def action_undo(self) -> None:
        from pulsetui.tui.screens.forms.open import undo_delete

        undo_delete(self.app)

    def action_merge(self) -> None:
        if self._before_rows("merge"):
            return
        uid = self._selected()
        if uid is None:
            return
        group = same_name_groups(self.workspace, "client").get(uid)
        if not group:
            self.notify("No other client has this name: nothing to merge.", timeout=4)
            return
        from pulsetui.tui.screens.merge_modal import MergeModal

        def merged(moved: Any) -> None:
            if moved is None:
                return
            what = ", ".join(f"{count} {name}" for name, count in sorted(moved.items()))
            self.notify(f"Merged. Moved: {what or 'nothing'}.", timeout=5, markup=False)
            self.refresh_if_stale()

        self.app.push_screen(MergeModal("client", group), merged)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
