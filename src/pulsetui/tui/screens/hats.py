"""Three-hats section: every running engagement at my clients, the consultant's
wellbeing at the last pulses beside the client's health and its trend, so the one
person who sold the work, placed the consultant and manages both sees both sides at
once. Enter opens the client's page, p the pulse conversation with the consultant.

The data is :func:`pulsetui.service.views.hats.hats_view`, read in a thread worker;
in call mode the view holds nothing and the screen says so."""

from __future__ import annotations

from typing import Any

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
from pulsetui.tui.widgets.literal import cell, one_line
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


def hats_cells(line: HatsLine) -> list[Text]:
    """One engagement's cells: the consultant's side, then the client's; the trend and
    workload last (they scroll into view on a narrow terminal)."""
    return [
        cell(one_line(line.consultant_name, 18)),
        pulse_cell(line),
        cell(one_line(line.client_name, 20)),
        health_cell(line),
        Text(" ".join(str(s) for s in line.trend) or "—"),
        Text(line.workload.replace("_", " ") or "—"),
    ]


class HatsScreen(BaseScreen):
    """Each running engagement: the consultant's pulse beside the client's health."""

    TITLE = "Three hats"
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

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="hats-summary", markup=False)
        yield MarkedTable(id="hats-table", zebra_stripes=False)

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one(DataTable)
        table.add_column("Consultant", key="consultant")
        table.add_column("Wellbeing", key="pulse")
        table.add_column("Client", key="client")
        table.add_column("Health", key="health")
        table.add_column("Health by quarter", key="trend")
        table.add_column("Workload", key="workload")
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
        table = self.query_one(DataTable)
        keep = self._selected()
        table.clear()
        self._lines = {line.engagement: line for line in view.lines}
        for line in view.lines:
            table.add_row(*hats_cells(line), key=line.engagement)
        table.display = bool(view.lines)
        if view.lines:
            uids = list(self._lines)
            table.move_cursor(row=uids.index(keep) if keep in uids else 0)
            if self.focused is table and not table.has_focus:
                self.set_focus(None)  # kept while hidden: focus it again, visibly
            self.call_after_refresh(table.focus)  # once its box is shown again
        elif self.focused is table:
            self.set_focus(None)  # no key may reach a hidden list (in a call)

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
