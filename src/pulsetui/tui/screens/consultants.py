"""Consultants section: the consultants I manage with their engagement, client, last
pulse conversation, whether the next one is due, and a wellbeing sparkline.

The rows are read in a thread worker (:func:`gather_consultants`, no Textual) and kept
while the user visits other sections; they are read again only when the store, the day
or call mode changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static

from pulsetui.domain.cadence import DueInfo, DueState
from pulsetui.domain.engagements import is_active
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.freshness import KeptRows, KeptState, data_state
from pulsetui.tui.widgets.literal import cell, one_line
from pulsetui.tui.widgets.marked_table import MarkedTable

BARS = {1: "▁", 2: "▂", 3: "▄", 4: "▆", 5: "▇"}  # wellbeing 1–5 as bar heights
TREND_LENGTH = 6


def wellbeing_sparkline(values: list[Any], length: int = TREND_LENGTH) -> str:
    """The last ``length`` wellbeing answers (1–5) as bars; ``·`` where none was given."""
    out = []
    for value in values[-length:]:
        if isinstance(value, int) and not isinstance(value, bool):
            out.append(BARS[min(max(value, 1), 5)])
        else:
            out.append("·")
    return "".join(out)


def due_text(info: DueInfo) -> Text:
    """The pulse state in words with a marker, so it never depends on colour."""
    if info.state == DueState.OVERDUE:
        return Text(f"! overdue {info.days_since}d", style="bold reverse")
    if info.state == DueState.DUE:
        return Text(f"• due {info.days_since}d", style="bold")
    if info.state == DueState.NEVER:
        return Text("! never held", style="bold")
    return Text(f"ok {info.days_since}d")


def current_engagement(ws: Workspace, consultant: str, today: dt.date) -> dict[str, Any] | None:
    """The consultant's running engagement (the latest started), as a raw record."""
    running = [
        doc
        for doc in ws.docs("engagement", consultant=consultant)
        if is_active(doc.get("start"), doc.get("end"), today)
    ]
    return max(running, key=lambda d: str(d.get("start", "")), default=None)


def held_pulses(ws: Workspace, consultant: str) -> list[dict[str, Any]]:
    """The consultant's held pulse conversations (raw), oldest first."""
    docs = [d for d in ws.docs("pulse", consultant=consultant) if d.get("status") == "held"]
    return sorted(docs, key=lambda d: str(d.get("date", "")))


ConsultantRow = tuple[str, list[Text]]  # uid, cells


def gather_consultants(
    ws: Workspace, hidden: bool, shown_client: str | None
) -> tuple[list[ConsultantRow], str]:
    """The rows of my consultants and the summary line; in call mode (``hidden``) only
    those placed at ``shown_client``, without anything internal. Reads only; safe in a
    worker thread."""
    today = ws.today()
    consultants = ws.my_consultants()
    engagements = {p.uid: current_engagement(ws, p.uid, today) for p in consultants}
    if hidden:  # sharing the screen: only the client in view, nothing internal
        consultants = [
            person
            for person in consultants
            if shown_client is not None
            and (engagements[person.uid] or {}).get("client") == shown_client
        ]
    attention = 0
    clients: dict[str, str] = {}
    rows: list[ConsultantRow] = []
    for person in consultants:
        engagement = engagements[person.uid]
        if engagement is not None:
            uid = engagement["client"]
            if uid not in clients:
                clients[uid] = str((ws.store.view.get("client", uid) or {}).get("name", "?"))
            where = cell(one_line(clients[uid], 22))
        else:
            where = Text("(no engagement)", style="italic")
        if hidden:
            cells = [Text("—"), Text("(call mode)"), Text("(call mode)")]
        else:
            held = held_pulses(ws, person.uid)
            info = ws.pulse_due(person.uid)
            attention += info.needs_action
            trend = wellbeing_sparkline([d.get("wellbeing") for d in held])
            cells = [
                Text(str(held[-1]["date"]) if held else "—"),
                due_text(info),
                Text(trend or "—"),
            ]
        rows.append((person.uid, [cell(one_line(person.name, 26)), where, *cells]))
    summary = (
        f"{len(consultants)} consultants · {attention} need a pulse conversation"
        if consultants
        else "No consultants in your team yet (add them with the command line)."
    )
    if hidden:
        people = "consultant" if len(consultants) == 1 else "consultants"
        summary = f"Call mode: {len(consultants)} {people} at the client in view"
    return rows, summary


class ConsultantsScreen(KeptRows, BaseScreen):
    """The consultants I manage; Enter opens today's pulse conversation."""

    TITLE = "Consultants"
    HELP = """\
Everyone you are line manager for: the running engagement and its client, the date of the
last pulse conversation actually held, whether the next one is due (after four weeks) or
overdue (after six), and wellbeing over the last six conversations (▁ low … ▇ high,
· not asked). In call mode only the consultants placed at the client in view are listed,
without their pulse dates, state or wellbeing.

Enter or p opens today's pulse conversation with the highlighted consultant: a new one,
or the one already started today."""
    CSS_PATH = stylesheet("consultants.tcss")
    BINDINGS = keys.bindings("open", "new_pulse")

    class Gathered(Message):
        def __init__(
            self, rows: list[ConsultantRow], summary: str, state: tuple[Any, ...], serial: int
        ) -> None:
            super().__init__()
            self.rows = rows
            self.summary = summary
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._kept = KeptState()
        self._waiting: list[str] = []  # actions asked for before the first rows arrived

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="consultants-summary", markup=False)
        yield MarkedTable(id="consultants-table", zebra_stripes=False)

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one(DataTable)
        table.add_column("Consultant", key="name")
        table.add_column("Client", key="client")
        table.add_column("Last pulse", key="last")
        table.add_column("State", key="state")
        table.add_column("Wellbeing", key="trend")
        self.reload()
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        """Read again only if the store, the day or call mode changed since the rows on
        screen were read; they stay on screen meanwhile."""
        if self._kept.stale(data_state(self.pulse_app)):
            self.reload()

    def reload(self) -> None:
        state = data_state(self.pulse_app)
        serial = self._kept.start(state)
        self._gather(self.workspace, state, serial)

    @work(thread=True, exclusive=True, group="consultants", exit_on_error=False)
    def _gather(self, ws: Workspace, state: tuple[Any, ...], serial: int) -> None:
        rows, summary = gather_consultants(ws, bool(state[2]), state[3])
        self.post_message(self.Gathered(rows, summary, state, serial))

    def on_consultants_screen_gathered(self, message: Gathered) -> None:
        if not self.is_live or not self._kept.arrived(message.state, message.serial):
            return  # the screen is gone, or a newer read is on its way
        self.fill_rows(message.rows, "#consultants-summary", message.summary)

    # ---- hooks --------------------------------------------------------------------------

    def context_consultant(self) -> str | None:
        return self._selected()

    def open_record(self, kind: str, uid: str) -> None:
        if kind == "pulse":
            doc = self.workspace.store.view.get("pulse", uid)
            if doc is not None:
                self._open_pulse(doc["consultant"], uid)
            return
        consultant = uid
        if kind == "engagement":
            doc = self.workspace.store.view.get("engagement", uid)
            consultant = doc["consultant"] if doc else ""
        table = self.query_one(DataTable)
        if consultant in {str(key.value) for key in table.rows}:
            table.move_cursor(row=table.get_row_index(consultant))
        if self.workspace.store.view.get("consultant", consultant) is not None:
            self._open_pulse(consultant, None)

    def _open_pulse(self, consultant: str, pulse: str | None) -> None:
        from pulsetui.tui.screens.pulse_form import PulseForm

        self.app.push_screen(
            PulseForm(consultant=consultant, pulse=pulse), lambda _r: self.refresh_if_stale()
        )

    def action_open(self) -> None:
        if self._before_rows("open"):
            return
        uid = self._selected()
        if uid is not None:
            self._open_pulse(uid, None)

    def action_new_pulse(self) -> None:
        if self._before_rows("new_pulse"):
            return
        self.action_open()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
