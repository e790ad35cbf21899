"""Three-hats section: every running engagement at my clients, the consultant's
wellbeing at the last pulses beside the client's health and its trend, so the one
person who sold the work, placed the consultant and manages both sees both sides at
once. Enter opens the client's page, p the pulse conversation with the consultant.

The data is :func:`pulsetui.service.views.hats.hats_view`, read in a thread worker;
in call mode the view holds nothing and the screen says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static

from pulsetui.service.views.audience import Audience
from pulsetui.service.views.hats import HatsLine, HatsView, hats_view
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.freshness import KeptState, data_state
from pulsetui.tui.widgets.column_fit import below, columns_width, table_room
from pulsetui.tui.widgets.literal import cell, one_line, short_name
from pulsetui.tui.widgets.marked_table import MarkedTable

HatsRowCells = tuple[str, list[Text]]  # engagement uid, cells


def pulse_cell(line: HatsLine) -> Text:
    """``! 3 2 2 2 (ok)``: wellbeing at the last pulses held, oldest first, and whether
    the next is due; ! marks a strained run (a sign, never colour alone)."""
    shown = " ".join(str(w) for w in line.wellbeing) or "none held"
    mark = "! " if line.strained else ""
    state = line.pulse_state.replace("_", " ")
    return Text(f"{mark}{shown} ({state})", style="bold" if line.strained else "")


def health_cell(line: HatsLine) -> Text:
    """``! 20 at risk``; ! marks a client at risk."""
    risk = line.grade == "at risk"
    return Text(f"{'! ' if risk else ''}{line.health} {line.grade}", style="bold" if risk else "")


def trend_text(line: HatsLine) -> str:
    """The client's health at the end of each quarter, oldest first: ``85 80 100 80``."""
    return " ".join(str(s) for s in line.trend) or "—"


def workload_text(line: HatsLine) -> str:
    return line.workload.replace("_", " ") or "—"


def hats_cells(line: HatsLine) -> list[Text]:
    """One engagement's cells on a wide screen, one line: the consultant's side, then the
    client's, then the health by quarter and the workload."""
    return [
        cell(one_line(line.consultant_name, 18)),
        pulse_cell(line),
        cell(one_line(line.client_name, 20)),
        health_cell(line),
        Text(trend_text(line)),
        Text(workload_text(line)),
    ]


def paired_cells(line: HatsLine) -> list[Text]:
    """Two lines a row: the workload under the wellbeing, the health by quarter under the
    health now."""
    return [
        cell(one_line(line.consultant_name, 18)),
        below(pulse_cell(line), workload_text(line)),
        cell(one_line(line.client_name, 20)),
        below(health_cell(line), trend_text(line)),
    ]


def stacked_cells(line: HatsLine, client_width: int = 20) -> list[Text]:
    """Two lines a row, three columns: the client under the consultant as well (cut to
    ``client_width`` with "…" where even this is too wide)."""
    client = short_name(line.client_name, min(client_width, 20))
    return [
        below(cell(one_line(line.consultant_name, 18)), client),
        below(pulse_cell(line), workload_text(line)),
        below(health_cell(line), trend_text(line)),
    ]


@dataclass(frozen=True)
class Layout:
    """Columns (key, label) and the cells of one engagement under them."""

    columns: tuple[tuple[str, str], ...]
    cells: Callable[[HatsLine], list[Text]]
    height: int  # lines a row and the header take


WELLBEING_WORKLOAD = ("pulse", "Wellbeing\nworkload")
HEALTH_BY_QUARTER = ("health", "Health\nby quarter")
# the widest first; the screen takes the first that fits, so nothing scrolls sideways
LAYOUTS = (
    Layout(
        (
            ("consultant", "Consultant"),
            ("pulse", "Wellbeing"),
            ("client", "Client"),
            ("health", "Health"),
            ("trend", "Health by quarter"),
            ("workload", "Workload"),
        ),
        hats_cells,
        1,
    ),
    Layout(
        (("consultant", "Consultant"), WELLBEING_WORKLOAD, ("client", "Client"), HEALTH_BY_QUARTER),
        paired_cells,
        2,
    ),
    Layout(
        (("consultant", "Consultant\nclient"), WELLBEING_WORKLOAD, HEALTH_BY_QUARTER),
        stacked_cells,
        2,
    ),
)


def layout_width(layout: Layout, lines: list[HatsLine], padding: int = 1) -> int:
    """Cells a row of ``layout`` takes (its columns and their padding, not the marker)."""
    labels = [label for _key, label in layout.columns]
    return columns_width(labels, (layout.cells(line) for line in lines), padding)


def layout_for(room: int, lines: list[HatsLine], padding: int = 1) -> Layout:
    """The widest layout whose rows fit in ``room`` cells, else the narrowest."""
    return next((x for x in LAYOUTS if layout_width(x, lines, padding) <= room), LAYOUTS[-1])


class HatsScreen(BaseScreen):
    """Each running engagement: the consultant's pulse beside the client's health."""

    TITLE = "Three hats"
    AUDIENCE_BOUND = True
    HELP = """\
You sold the work, placed the consultant, and manage both the consultant and the
client: this list puts the two sides next to each other. For every running engagement
at your clients: the consultant's wellbeing (1-5) at the last pulse conversations held,
oldest first, and whether the next one is due; the client's health now and at the end
of each quarter; the consultant's workload at the last pulse. ! marks a consultant strained at
the last pulses in a row and a client at risk.

Enter opens the client's page; p opens today's pulse conversation with the consultant.
Nothing here is shown in call mode."""
    CSS_PATH = stylesheet("judgements.tcss")
    BINDINGS = keys.bindings("open", "new_pulse")

    class Gathered(Message):
        def __init__(self, view: HatsView, state: tuple[Any, ...], serial: int) -> None:
            super().__init__()
            self.view = view
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._kept = KeptState()
        self._lines: dict[str, HatsLine] = {}
        self._layout: Layout | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="hats-summary", markup=False)
        yield MarkedTable(id="hats-table", zebra_stripes=False)

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one(DataTable)
        table.display = False
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

    @work(thread=True, exclusive=True, group="hats", exit_on_error=False)
    def _gather(
        self, ws: Workspace, audience: Audience, state: tuple[Any, ...], serial: int
    ) -> None:
        self.post_message(self.Gathered(hats_view(ws, audience), state, serial))

    def on_hats_screen_gathered(self, message: Gathered) -> None:
        if not self.is_live or not self._kept.arrived(message.state, message.serial):
            return
        view = message.view
        self.query_one("#hats-summary", Static).update(Text(view.summary))
        self.shown_for(message.state[2])
        table = self.query_one(DataTable)
        self._lines = {line.engagement: line for line in view.lines}
        self._layout = None
        self._fill()
        table.display = bool(view.lines)
        if view.lines:
            if self.focused is table and not table.has_focus:
                self.set_focus(None)  # kept while hidden: focus it again, visibly
            self.call_after_refresh(table.focus)  # once its box is shown again
        elif self.focused is table:
            self.set_focus(None)  # no key may reach a hidden list (in a call)

    def on_resize(self) -> None:
        if self.is_live and self._lines:
            self._fill()

    def _fill(self) -> None:
        """The rows in the widest layout that fits the screen (again when it changed)."""
        table = self.query_one(DataTable)
        lines = list(self._lines.values())
        room = table_room(table, self.size.width)
        layout = layout_for(room, lines, table.cell_padding)
        if layout_width(layout, lines, table.cell_padding) > room:  # the clients' names give
            over = layout_width(layout, lines, table.cell_padding) - room
            longest = max(cell_len(one_line(line.client_name, 20)) for line in lines)
            width = max(longest - over, 6)
            layout = replace(layout, cells=partial(stacked_cells, client_width=width))
        keep = self._selected()
        if self._layout is None or layout.columns != self._layout.columns:
            self._layout = layout
            table.clear(columns=True)
            table.header_height = layout.height
            for key, label in layout.columns:
                table.add_column(label, key=key)
        else:
            table.clear()
        for line in lines:
            table.add_row(*layout.cells(line), key=line.engagement, height=layout.height)
        if lines:
            uids = list(self._lines)
            table.move_cursor(row=uids.index(keep) if keep in uids else 0)

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _line(self) -> HatsLine | None:
        uid = self._selected()
        return self._lines.get(uid) if uid else None

    def context_client(self) -> str | None:
        line = self._line()
        return line.client if line else None

    def context_consultant(self) -> str | None:
        line = self._line()
        return line.consultant if line else None

    def action_open(self) -> None:
        line = self._line()
        if line is not None:
            app = self.pulse_app
            app.show_record("client", line.client)

    def action_new_pulse(self) -> None:
        if self._line() is not None:
            self.pulse_app.action_new_pulse()  # the form opens for context_consultant()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
