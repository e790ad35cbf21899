"""Clients section: my clients with segment, lifecycle stage, spiral quarter, the next
planned meeting and a health grade; Enter opens the client page. In call mode only the
client in view is listed, without segment or health.

The rows are read in a thread worker (:func:`gather_clients`, no Textual) and kept while
the user visits other sections; they are read again only when the store, the day, call
mode or the width changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable, Static

from pulsetui.domain.segments import segment_of
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.freshness import KeptRows, KeptState, data_state
from pulsetui.tui.screens.merge_modal import same_name_groups
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
# column widths (name, segment, stage, spiral, next meeting, health) by screen width, so
# nothing runs off an 80-column terminal
NARROW = (17, 9, 10, 6, 10, 10)
WIDE = (30, 9, 10, 12, 16, 12)


def next_meeting_doc(ws: Workspace, client: str, today: dt.date) -> dict[str, Any] | None:
    """The next planned meeting from today on (raw record, via the client index)."""
    day = today.isoformat()
    planned = [
        doc
        for doc in ws.docs("meeting", client=client)
        if doc.get("status") == "planned" and str(doc.get("date", "")) >= day
    ]
    return min(planned, key=lambda d: (str(d["date"]), d.get("time") or ""), default=None)


def meeting_when(doc: dict[str, Any] | None, with_time: bool = True) -> str:
    if doc is None:
        return "—"
    if not with_time:
        return str(doc["date"])
    return f"{doc['date']} {doc.get('time') or ''}".strip()


def health_grade(ws: Workspace, client: str) -> Text:
    """The client's health grade in words (with a marker), or a dash if unknown."""
    from pulsetui.service.insights.health import client_health

    try:
        health = client_health(ws, client)
    except Exception:  # health is advice; the list still opens without it
        return Text("—")
    mark = GRADE_MARK.get(health.grade, health.grade)
    return Text(f"{mark} {health.score}", style="bold" if health.grade != "good" else "")


ClientRow = tuple[str, list[Text]]  # uid, cells


def gather_clients(
    ws: Workspace, wide: bool, hidden: bool, shown_client: str | None = None
) -> tuple[list[ClientRow], str, dict[str, list[str]]]:
    """The rows of my clients (sorted by name), the summary line and the groups of
    clients sharing a name. In call mode (``hidden``) only ``shown_client``, the client
    in view, without our internal view of it (segment, health). Reads only; safe in a
    worker thread."""
    today = ws.today()
    clients = sorted(
        (
            d
            for d in ws.docs("client", manager=ws.me or "")
            if not hidden or d["uid"] == shown_client
        ),
        key=lambda d: str(d.get("name", "")).casefold(),
    )
    duplicates = same_name_groups(ws, "client")
    width = (WIDE if wide else NARROW)[0]
    rows: list[ClientRow] = []
    for doc in clients:
        segment = segment_of(
            doc.get("client_wants_us", "unsure"), doc.get("we_want_client", "unsure")
        )
        name = cell(one_line(doc.get("name", ""), width))
        if doc["uid"] in duplicates:
            name = Text(DUPLICATE_MARK, style="bold") + cell(
                one_line(doc.get("name", ""), width - len(DUPLICATE_MARK))
            )
        spiral = str(doc.get("spiral", ""))
        cells = [
            name,
            Text(HIDDEN) if hidden else Text(SEGMENT_SHORT.get(segment.value, segment.value)),
            Text(str(doc.get("stage", ""))),
            Text(SPIRAL_SHORT.get(spiral, spiral) if wide else spiral[:2].upper()),
            Text(meeting_when(next_meeting_doc(ws, doc["uid"], today), wide)),
            Text(HIDDEN) if hidden else health_grade(ws, doc["uid"]),
        ]
        rows.append((doc["uid"], cells))
    shared = sum(1 for d in clients if d["uid"] in duplicates)
    summary = f"{len(clients)} clients" if clients else "No clients yet."
    if shared:
        summary += f" · {shared} share a name with another client (2×): M merges"
    if hidden:
        summary = (
            "Call mode: only the client in view"
            if clients
            else "Call mode: no client in view (turn it on from the client's page)"
        )
    return rows, summary, duplicates


class ClientsScreen(KeptRows, BaseScreen):
    """My clients; Enter opens one, m starts a meeting with it."""

    TITLE = "Clients"
    HELP = """\
Your clients: segment (client wants us × we want the client), lifecycle stage, the spiral
quarter being fed, the next planned meeting and the health grade (good ≥ 75, watch 50–74,
at risk < 50; the client page explains every point lost). In call mode only the client
in view is listed, without segment and health.

A client marked "2×" shares its name with another client — usually the same company
added on two devices or by two colleagues before they synced. M (shift+m) shows them side
by side and merges them into the one you keep (asks first).

Enter opens the client page (contacts, engagements, timeline, health, red flags, NPS and
the brief since the last meeting). m starts meeting mode with the highlighted client;
a adds an item to its agenda backlog; n records an NPS answer from it."""
    CSS_PATH = stylesheet("clients.tcss")
    BINDINGS = [
        *keys.bindings("open", "new_meeting"),
        Binding("M", "merge", "Merge same name"),
    ]

    class Gathered(Message):
        def __init__(
            self,
            rows: list[ClientRow],
            summary: str,
            duplicates: dict[str, list[str]],
            state: tuple[Any, ...],
            serial: int,
        ) -> None:
            super().__init__()
            self.rows = rows
            self.summary = summary
            self.duplicates = duplicates
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._wide = False
        self._duplicates: dict[str, list[str]] = {}
        self._kept = KeptState()
        self._waiting: list[str] = []  # actions asked for before the first rows arrived

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="clients-summary", markup=False)
        yield MarkedTable(id="clients-table")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self._wide = self.app.size.width >= 110
        self._add_columns()
        self.reload()
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)
        self.query_one(DataTable).focus()

    def _add_columns(self) -> None:
        table = self.query_one(DataTable)
        widths = WIDE if self._wide else NARROW
        upcoming = "Next meeting" if self._wide else "Next mtg"
        names = ("Client", "Segment", "Stage", "Spiral", upcoming, "Health")
        keys_ = ("name", "segment", "stage", "spiral", "next", "health")
        for name, key, width in zip(names, keys_, widths, strict=True):
            table.add_column(name, key=key, width=width)

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= 110
        if not self.is_live:
            return
        if wide != self._wide and self.query_one(DataTable).columns:
            self._wide = wide
            self.query_one(DataTable).clear(columns=True)
            self._add_columns()
            self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_if_stale()

    def _state(self) -> tuple[Any, ...]:
        return data_state(self.pulse_app, self._wide)

    def refresh_if_stale(self) -> None:
        """Read again only if the store, the day, call mode or the width changed since
        the rows on screen were read; they stay on screen meanwhile."""
        if self._kept.stale(self._state()):
            self.reload()

    def reload(self) -> None:
        state = self._state()
        serial = self._kept.start(state)
        self._gather(self.workspace, state, serial, bool(state[2]))

    @work(thread=True, exclusive=True, group="clients", exit_on_error=False)
    def _gather(self, ws: Workspace, state: tuple[Any, ...], serial: int, hidden: bool) -> None:
        rows, summary, duplicates = gather_clients(ws, bool(state[-1]), hidden, state[3])
        self.post_message(self.Gathered(rows, summary, duplicates, state, serial))

    def on_clients_screen_gathered(self, message: Gathered) -> None:
        if not self.is_live or not self._kept.arrived(message.state, message.serial):
            return  # the screen is gone, or a newer read is on its way
        if bool(message.state[-1]) != self._wide:
            self.reload()  # read for another width
            return
        self._duplicates = message.duplicates
        self.fill_rows(message.rows, "#clients-summary", message.summary)

    def context_client(self) -> str | None:
        return self._selected()

    def open_record(self, kind: str, uid: str) -> None:
        client = uid
        if kind != "client":
            doc = self.workspace.store.view.get(kind, uid)
            client = str(doc.get("client", "")) if doc else ""
        if self.workspace.store.view.get("client", client) is None:
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
