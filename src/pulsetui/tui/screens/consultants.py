"""Consultants section: the consultants I manage with their engagement, client, last
pulse conversation, whether the next one is due, a wellbeing sparkline, and a marker on
a consultant squeezed or caught between client and firm.

The rows are :func:`pulsetui.service.views.consultants.consultants_view` for the app's
audience, read in a thread worker and kept while the user visits other sections; they
are read again only when the store, the day or the audience changed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static

from pulsetui.domain.cadence import DueInfo, DueState
from pulsetui.domain.words import counted
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.consultants import ConsultantsView, consultants_view
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.freshness import KeptRows, KeptState, data_state
from pulsetui.tui.widgets.column_fit import below, columns_width, table_room
from pulsetui.tui.widgets.literal import cell, one_line
from pulsetui.tui.widgets.marked_table import MarkedTable
from pulsetui.tui.widgets.trend_line import TrendLine

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


def strain_text(strain: str) -> Text:
    """The squeeze flag as a short marker in words, so it never depends on colour."""
    if strain == "caught":
        return Text("!! caught", style="bold reverse")
    if strain == "squeezed":
        return Text("! squeezed", style="bold")
    return Text("")


ConsultantCells = tuple[str, list[Text]]  # uid, cells

# (key, label): every column on one line a row, as wide screens show them
WIDE_COLUMNS = (
    ("name", "Consultant"),
    ("client", "Client"),
    ("last", "Last pulse"),
    ("state", "State"),
    ("strain", "Strain"),
    ("trend", "Wellbeing"),
)
# two lines a row: the client under the consultant, the last pulse under its state
NARROW_COLUMNS = (
    ("name", "Consultant\nclient"),
    ("state", "State\nlast pulse"),
    ("strain", "Strain"),
    ("trend", "Wellbeing"),
)


def narrow_cells(cells: list[Text]) -> list[Text]:
    """A row's wide cells as two lines a row, under :data:`NARROW_COLUMNS`."""
    name, where, last, state, strain, trend = cells
    return [below(name, where.plain), below(state, last.plain), strain, trend]


# the widest first, with how many of its columns must show whole (on a wide screen the
# trend may be cut, as it is shown under the list too); the screen takes the first that
# fits, the last (without the trend) when none does
Columns = tuple[tuple[str, str], ...]
LAYOUTS: tuple[tuple[Columns, int], ...] = (
    (WIDE_COLUMNS, 5),
    (NARROW_COLUMNS, 4),
    (NARROW_COLUMNS[:3], 3),
)


def consultant_cells(view: ConsultantsView) -> tuple[list[ConsultantCells], str]:
    """The rows of the consultants view as cells, and the summary line."""
    rows: list[ConsultantCells] = []
    for row in view.rows:
        if row.client is not None:
            where = cell(one_line(row.client_name, 22))
        else:
            where = Text("(no engagement)", style="italic")
        if row.pulse is None:  # not for this audience: nothing from the conversations
            cells = [Text("—"), Text("(call mode)"), Text("(call mode)")]
        else:
            trend = wellbeing_sparkline(list(row.wellbeing))
            cells = [
                Text(row.last_pulse.isoformat() if row.last_pulse else "—"),
                due_text(row.pulse),
                Text(trend or "—"),
            ]
        # beside the pulse state, so it stays in view at 80 columns
        cells.insert(2, strain_text(row.strain))
        rows.append((row.uid, [cell(one_line(row.name, 26)), where, *cells]))
    summary = (
        f"{counted(len(view.rows), 'consultant')} · {view.need_pulse} need a pulse conversation"
        if view.rows
        else "No consultants in your team yet (add them with the command line)."
    )
    if view.in_call:
        people = "consultant" if len(view.rows) == 1 else "consultants"
        summary = f"Call mode: {len(view.rows)} {people} at the client in view"
    return rows, summary


class ConsultantsScreen(KeptRows, BaseScreen):
    """The consultants I manage; p holds today's pulse conversation, Enter or h opens
    the consultant's page with the earlier ones."""

    TITLE = "Consultants"
    AUDIENCE_BOUND = True
    HELP = """\
Everyone you are line manager for: the running engagement and its client, the date of the
last pulse conversation actually held, whether the next one is due (after four weeks) or
overdue (after six), and wellbeing over the last six conversations (▁ low … ▇ high,
· not asked); below the list, the highlighted consultant's wellbeing over every
conversation held, drawn and in numbers. Strain marks a consultant whose last pulses
were all strained (wellbeing low or workload too high): "! squeezed", or "!! caught" when
their client presses scope at the same time (the red flag names both sides). In call
mode only the consultants placed at the client in view are listed, without their pulse
dates, state, wellbeing or strain.

p opens today's pulse conversation with the highlighted consultant: a new one, or the one
already started today. Enter or h opens the consultant's page: every earlier conversation
with its scores, notes and follow-ups and what became of them, each readable in full.

+ adds a consultant and where they are placed; E changes the highlighted one (or places
them at another client); d deletes one (asks first; a consultant with pulse conversations
or engagements is kept) and u brings back what was deleted last."""
    CSS_PATH = stylesheet("consultants.tcss")
    BINDINGS = keys.bindings("open", "new_pulse", "history", "new", "edit", "delete", "undo")

    class Gathered(Message):
        def __init__(
            self,
            rows: list[ConsultantCells],
            summary: str,
            wellbeing: dict[str, tuple[int | None, ...]],
            state: tuple[Any, ...],
            serial: int,
        ) -> None:
            super().__init__()
            self.rows = rows
            self.summary = summary
            self.wellbeing = wellbeing
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._kept = KeptState()
        self._wellbeing: dict[str, tuple[int | None, ...]] = {}
        self._waiting: list[str] = []  # actions asked for before the first rows arrived
        self._rows: list[ConsultantCells] = []  # as read, in the wide columns' cells
        self._columns: Columns = ()
        self._summary = ""

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="consultants-summary", markup=False)
        yield MarkedTable(id="consultants-table", zebra_stripes=False)
        yield TrendLine("Wellbeing (1–5)", id="wellbeing-trend")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one(DataTable)
        self._set_columns(WIDE_COLUMNS)
        self.reload_after_frame()
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        """Read again only if the store, the day or the audience changed since the rows on
        screen were read; they stay on screen meanwhile."""
        if not self.reading_soon and self._kept.stale(data_state(self.pulse_app)):
            self.reload()

    def reload(self) -> None:
        state = data_state(self.pulse_app)
        serial = self._kept.start(state)
        self._gather(self.workspace, state, serial, state[2])

    @work(thread=True, exclusive=True, group="consultants", exit_on_error=False)
    def _gather(
        self, ws: Workspace, state: tuple[Any, ...], serial: int, audience: Audience
    ) -> None:
        view = consultants_view(ws, audience)
        rows, summary = consultant_cells(view)
        # only what the audience may see: a call gets no pulse row, so no wellbeing
        wellbeing = {row.uid: row.wellbeing for row in view.rows if row.pulse is not None}
        self.post_message(self.Gathered(rows, summary, wellbeing, state, serial))

    def on_consultants_screen_gathered(self, message: Gathered) -> None:
        if not self.is_live or not self._kept.arrived(message.state, message.serial):
            return  # the screen is gone, or a newer read is on its way
        self._wellbeing = message.wellbeing
        self._rows = message.rows
        self._fill(message.summary)
        self._show_wellbeing()
        self.shown_for(message.state[2])

    def on_resize(self) -> None:
        if self.is_live and self._rows:
            self._fill(None)

    def _fill(self, summary: str | None) -> None:
        """The rows on one line each where the columns up to the strain fit the screen,
        else two lines a row (and no trend column where even that is too wide)."""
        table = self.query_one(DataTable)
        columns, kept = LAYOUTS[-1]
        for columns, kept in LAYOUTS:
            narrow = columns is not WIDE_COLUMNS
            rows = [(u, narrow_cells(c) if narrow else c) for u, c in self._rows]
            labels = [label for _key, label in columns[:kept]]
            wide = columns_width(labels, (cells for _uid, cells in rows), table.cell_padding)
            lines = len(rows) * (2 if narrow else 1)
            if wide <= table_room(table, self.size.width, lines):
                break
        keep = self._selected()
        if columns != self._columns:
            self._set_columns(columns)
        rows = [(uid, cells[: len(columns)]) for uid, cells in rows]
        self._summary = self._summary if summary is None else summary
        self.fill_rows(rows, "#consultants-summary", self._summary, height=2 if narrow else 1)
        uids = [uid for uid, _cells in rows]
        if keep in uids:  # the same consultant when the columns changed
            table.move_cursor(row=uids.index(keep))

    def _set_columns(self, columns: Columns) -> None:
        table = self.query_one(DataTable)
        self._columns = columns
        table.clear(columns=True)
        table.header_height = max(label.count("\n") + 1 for _key, label in columns)
        for key, label in columns:
            table.add_column(label, key=key)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.is_live:
            self._show_wellbeing()

    def _show_wellbeing(self) -> None:
        """The highlighted consultant's wellbeing over the conversations held, drawn and
        in numbers (· where it was not asked)."""
        uid = self._selected()
        answers = self._wellbeing.get(uid or "", ())
        given = [float(a) for a in answers if a is not None]
        numbers = " ".join("·" if a is None else str(a) for a in answers)
        self.query_one("#wellbeing-trend", TrendLine).show(
            given, f"{numbers} ({len(answers)} held)"
        )

    # ---- hooks --------------------------------------------------------------------------

    def context_consultant(self) -> str | None:
        return self._selected()

    def open_record(self, kind: str, uid: str) -> None:
        ws = self.workspace
        if kind == "pulse":
            doc = ws.doc("pulse", uid)
            if doc is not None:
                self._open_pulse(str(doc["consultant"]), uid)
            return
        consultant = uid
        if kind == "engagement":
            doc = ws.doc("engagement", uid)
            consultant = str(doc["consultant"]) if doc else ""
        table = self.query_one(DataTable)
        if consultant in {str(key.value) for key in table.rows}:
            table.move_cursor(row=table.get_row_index(consultant))
        if ws.exists("consultant", consultant):
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
            from pulsetui.tui.screens.consultant_page import ConsultantPage

            self.app.push_screen(ConsultantPage(uid), lambda _r: self.refresh_if_stale())

    def action_history(self) -> None:
        if self._before_rows("history"):
            return
        self.action_open()

    def action_new_pulse(self) -> None:
        if self._before_rows("new_pulse"):
            return
        uid = self._selected()
        if uid is not None:
            self._open_pulse(uid, None)

    def action_new(self) -> None:
        from pulsetui.tui.screens.forms.open import open_consultant_form

        open_consultant_form(self.app)

    def action_edit(self) -> None:
        if self._before_rows("edit"):
            return
        uid = self._selected()
        if uid is not None:
            from pulsetui.tui.screens.forms.open import open_consultant_form

            open_consultant_form(self.app, uid)

    def action_delete(self) -> None:
        if self._before_rows("delete"):
            return
        uid = self._selected()
        if uid is not None:
            from pulsetui.tui.screens.forms.open import delete_record

            delete_record(self.app, "consultant", uid)

    def action_undo(self) -> None:
        from pulsetui.tui.screens.forms.open import undo_delete

        undo_delete(self.app)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
