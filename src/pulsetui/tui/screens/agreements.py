"""Agreement log: the agreements of the signed-in manager's clients (w widens it to every
client), filtered by client, side, status, due date and text — the service's
:func:`~pulsetui.service.views.agreements.agreement_log` for the app's audience, read in
a worker (debounced), shown a page at a time, overdue ones marked; marking done /
broken / cancelled with a reason and each agreement's history open in a modal. Nothing
on the UI thread reads more than the page shown."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from pulsetui.service.views.agreements import (
    AgreementFilter,
    AgreementLog,
    AgreementRow,
    agreement_log,
    agreement_rows,
)
from pulsetui.tui import keys
from pulsetui.tui.lifecycle import Readiness
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.literal import cell, one_line
from pulsetui.tui.widgets.marked_table import MarkedTable
from pulsetui.tui.widgets.text_fields import TextInput

PAGE_SIZE = 100
FILTER_DELAY = 0.15
CLIENT_WIDTH = 14
PERSON_WIDTH = 20
WIDE = 100  # from this width on the log also shows the person
NARROW = 76  # below this width the log leaves the Client column out (the text needs it)
SIDE_FILTER = [("ours", "us"), ("theirs", "client")]
STATUS_FILTER = [
    ("open", "open"),
    ("done", "done"),
    ("broken", "broken"),
    ("cancelled", "cancelled"),
]
DUE_FILTER = [("overdue", "overdue"), ("this week", "week"), ("no date", "none")]


class AgreementsScreen(FieldKeys, Readiness, BaseScreen):
    """The agreement log."""

    # "-narrow" below 76 columns: narrower filters, so the text filter keeps some room
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-normal")]

    TITLE = "Agreements"
    AUDIENCE_BOUND = True
    HELP = """\
Every agreement with your clients: what was agreed, whose it is (ours or theirs), the
person (from 100 columns wide; Enter shows it always), the due date (for a closed one the
day it was closed) and the status.
Overdue ones are marked "! OVERDUE". Filtered to one client, the list leaves out the
Client column and the line above it names the client; so does a terminal narrower than
76 columns (the client filter still narrows it, Enter shows the client).

The log starts with your own clients' agreements; w widens it to every client's (and
back). / goes to the filter bar: text (agreement or person), client name, whose, status
and due (overdue, this week, no date). The list filters as you type. Tab moves between
filters; Enter or Esc returns to the list (when nothing matches, Esc leaves the filter
bar with nothing focused: / goes back to it, Esc again goes back). Open agreements come first,
soonest due first, then the closed ones, the most recently closed first; 100 per page:
] next page, [ previous page. Home and End go to the first and the last row.

Enter or h opens the agreement with its history. D marks it done, B broken, C cancelled
(broken and cancelled need a reason). e or + logs a new agreement.
In call mode only the agreements of the client in view are shown (or, when call mode was
turned on with no client in view, of the one client named in the client filter)."""
    CSS_PATH = stylesheet("agreements.tcss")
    BINDINGS = [
        # Esc, /, Tab and shift+Tab move between the list and the filter bar as they
        # arrive, so keys typed right behind them land where the user meant them to
        Binding("escape", "back", "Back", priority=True),
        *keys.bindings("down", "up"),
        Binding("slash", "filter", "Filter", priority=True),
        *FieldKeys.FIELD_BINDINGS,  # Enter in a text filter: to the list
        *keys.bindings(
            "open",
            "mark_done",
            "mark_broken",
            "mark_cancelled",
            "history",
            "new_agreement",
            "new",
        ),
        Binding("w", "widen", "Mine/all"),
        Binding("right_square_bracket", "page(1)", "Next page", show=False),
        Binding("left_square_bracket", "page(-1)", "Prev page", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.found: AgreementLog | None = None
        self.every_client = False  # False: the signed-in manager's clients only
        self._timer: Timer | None = None
        self._layout: tuple[bool, int] | None = None  # (one client, width) of the columns
        self._narrowed = False  # filtered to one client by name, or a call
        self._serial = 0  # filterings started; an older one's result is dropped
        self._state: tuple[Any, ...] | None = None  # what the shown list was read for
        self._asked: tuple[Any, ...] | None = None  # what the running filtering reads for
        self._awaited: list[asyncio.Future[None]] = []  # keys held for the next rows shown
        self._to_list_when_shown = False  # Enter or Esc left a filter whose rows are due
        # every client's agreements, by the store version they were read at
        self._all: tuple[int, tuple[AgreementRow, ...]] | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            yield TextInput(id="q", placeholder="/ text or person", compact=True)
            yield TextInput(id="q-client", placeholder="client", compact=True)
            yield Choice(SIDE_FILTER, id="q-side", prompt="whose", compact=True)
            yield Choice(STATUS_FILTER, id="q-status", prompt="status", compact=True)
            yield Choice(DUE_FILTER, id="q-due", prompt="due", compact=True)
        yield Static("", id="agreements-count", markup=False)
        yield MarkedTable(id="agreements-table")  # ▶ marks the row: not by colour alone

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one(DataTable)
        self._lay_out(one_client=False)
        self.watch(self.app, "call_mode", lambda _on: self.refilter(), init=False)
        table.focus()
        self.reload_after_frame()

    def on_screen_resume(self) -> None:
        """Back in the section: read again only if something changed meanwhile."""
        if not self.is_live or self.reading_soon:
            return
        current = self._current()
        if self._timer is None and current is not None and current in (self._state, self._asked):
            return
        self.refilter()

    def reload(self) -> None:
        self.refilter()

    def _current(self) -> tuple[Any, ...]:
        """The store's version, the day, the audience and the scope."""
        app = self.pulse_app
        return (app.data_version, self.workspace.today(), app.audience, self.every_client)

    def action_widen(self) -> None:
        self.every_client = not self.every_client
        if not self.every_client:
            self._all = None  # free every client's agreements
        self.refilter()

    # ---- filtering ---------------------------------------------------------------------

    def _criteria(self) -> AgreementFilter:
        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return None if value is Select.NULL else str(value)

        return AgreementFilter(
            text=self.query_one("#q", Input).value,
            client=self.query_one("#q-client", Input).value,
            side=chosen("#q-side"),
            status=chosen("#q-status"),
            due=chosen("#q-due"),
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(FILTER_DELAY, self.refilter)

    @property
    def filtering(self) -> bool:
        """A filtering is on its way: the filters changed, or the list is being read."""
        return self._timer is not None or self._asked is not None

    def refilter(self) -> None:
        self._timer = None
        if not self.is_live:
            return
        self._serial += 1
        self.query_one("#agreements-count", Static).update(Text("filtering…"))
        state = self._current()
        self._asked = state
        self._filter_worker(self._criteria(), state, self._serial)

    @work(thread=True, exclusive=True, group="agreement-filter", exit_on_error=False)
    def _filter_worker(
        self,
        criteria: AgreementFilter,
        state: tuple[Any, ...],
        serial: int,
    ) -> None:
        ws = self.workspace
        version, _day, audience, every_client = state
        every_row = None
        if every_client and not audience.in_call:
            cached = self._all
            if cached is not None and version is not None and cached[0] == version:
                every_row = cached[1]
            else:
                every_row = agreement_rows(ws, None)
                if version is not None:
                    self._all = (version, every_row)
        log = agreement_log(ws, audience, criteria, every_client=every_client, every_row=every_row)
        self.app.call_from_thread(self._show, log, state, serial)

    def _show(self, log: AgreementLog, state: tuple[Any, ...] | None, serial: int) -> None:
        if serial != self._serial or not self.is_live:
            return  # a newer filtering is on its way, or the screen is gone
        self._asked = None
        keep = self._selected()
        self.found = log
        self._state = state
        in_call = state is not None and state[2].in_call
        self._narrowed = in_call or bool(self._criteria().client.strip())
        uids = [row.uid for row in log.rows]
        # the page holding the row under the cursor (it moves when its status changed)
        self.page = uids.index(keep) // PAGE_SIZE if keep in uids else 0
        self._show_page(keep)
        if state is not None:
            self.shown_for(state[2])
        self.rows_shown()
        if self._to_list_when_shown:
            self._to_list_when_shown = False
            self._focus_list()
        for waiting in self._awaited:
            if not waiting.done():
                waiting.set_result(None)
        self._awaited.clear()

    def _lay_out(self, one_client: bool) -> None:
        """The columns: the agreement's text takes the width the others leave; no
        Client column when the log is filtered to one client or the screen is narrower
        than 76 columns, no Person column below 100 columns (the agreement shows it,
        and the text filter finds it)."""
        width = self.size.width or self.app.size.width
        layout = (one_client, width)
        if layout == self._layout:
            return
        self._layout = layout
        fixed = [("Due/closed", "due", 12), ("Status", "status", 9)]
        if self._shows_client(one_client, width):
            fixed.append(("Client", "client", CLIENT_WIDTH))
        fixed.append(("Whose", "side", 6))
        person = PERSON_WIDTH if width >= WIDE else 0
        # a cell of padding each side of every column; the ▶ column; the scrollbar
        used = sum(w + 2 for _n, _k, w in fixed) + (person + 2 if person else 0) + 3 + 2 + 2
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for name, key, size in fixed:
            table.add_column(name, key=key, width=size)
        table.add_column("Agreement", key="text", width=max(width - used, 16))
        if person:
            table.add_column("Person", key="owner", width=person)

    @staticmethod
    def _shows_client(one_client: bool, width: int) -> bool:
        return not one_client and width >= NARROW

    def on_resize(self) -> None:
        if self.is_live and self._layout is not None:
            self._lay_out(self._layout[0])
            self._show_page()

    def _show_page(self, keep: str | None = None) -> None:
        log = self.found
        rows = log.rows if log is not None else ()
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        self.page = min(max(self.page, 0), pages - 1)
        start = self.page * PAGE_SIZE
        one_client = log is not None and len(log.clients) == 1 and self._narrowed
        self._lay_out(one_client)
        table = self.query_one(DataTable)
        keep = keep or self._selected()
        table.clear()
        for row in rows[start : start + PAGE_SIZE]:
            assert log is not None
            late = log.is_overdue(row)
            day = row.shown_date  # a closed one: the day it was closed
            due = day.isoformat() if day else "—"
            cells = [
                Text(f"! {due}", style="bold reverse") if late else Text(f"  {due}"),
                Text("OVERDUE", style="bold") if late else Text(row.status),
            ]
            if self._layout is not None and self._shows_client(*self._layout):
                cells.append(cell(one_line(log.client_name(row), CLIENT_WIDTH)))
            cells += [Text("ours" if row.side == "us" else "theirs"), cell(one_line(row.text, 200))]
            if self._layout is not None and self._layout[1] >= WIDE:
                cells.append(cell(one_line(row.owner, 30)))
            table.add_row(*cells, key=row.uid)
        shown = [row.uid for row in rows[start : start + PAGE_SIZE]]
        if keep in shown:
            table.move_cursor(row=shown.index(keep))
        if log is not None and log.note:
            summary = log.note
        elif one_client and log is not None:
            name = one_line(next(iter(log.clients.values())), 40)
            summary = f"{len(rows)} of {name}'s agreements"
            summary += f" · {log.overdue} overdue" + (
                f" · page {self.page + 1}/{pages}" if pages > 1 else ""
            )
        else:
            scope = "every client (w: mine)" if self.every_client else "my clients (w: all)"
            found = len(rows)
            if found and log is not None:
                last = min(start + PAGE_SIZE, found)
                summary = (
                    f"{found} agreement{'s' if found != 1 else ''} · {log.overdue} overdue"
                    f" · {start + 1}–{last} · page {self.page + 1}/{pages} · {scope}"
                )
            else:
                summary = f"No agreements match · {scope}"
        self.query_one("#agreements-count", Static).update(Text(summary))

    def action_page(self, step: int) -> None:
        self.page += step
        self._show_page()

    # ---- actions -----------------------------------------------------------------------

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def context_client(self) -> str | None:
        return self.workspace.client_of("agreement", self._selected())

    def open_record(self, kind: str, uid: str) -> None:
        if kind == "agreement" and self.workspace.exists("agreement", uid):
            self._detail(uid, None)

    def _detail(self, uid: str, status: str | None) -> None:
        from pulsetui.tui.screens.agreement_detail import AgreementDetail

        def changed(result: Any) -> None:
            if result is not None:
                self.notify(f"Agreement saved ({result.status.value}).", timeout=3)
                self.refilter()

        self.app.push_screen(AgreementDetail(uid, status=status), changed)

    def action_open(self) -> None:
        uid = self._selected()
        if uid is not None:
            self._detail(uid, None)

    def action_history(self) -> None:
        self.action_open()

    def action_mark(self, status: str) -> None:
        uid = self._selected()
        if uid is not None:
            self._detail(uid, status)

    def action_filter(self) -> None:
        if self.focused not in (None, self.query_one(DataTable)):
            raise SkipAction()  # a "/" typed in a filter is text
        # focused at once (not after the keys already queued), so they are typed in it
        field = self.query_one("#q", Input)
        self.set_focus(field)
        # "/" starts a new filter: what is typed replaces the one before (queued behind
        # the focus, which puts the cursor after the text, and before the keys typed)
        field.call_later(field.action_select_all)

    def action_new(self) -> None:
        self.action_new_agreement()

    def action_new_agreement(self) -> None:
        from pulsetui.tui.screens.agreement_modal import AgreementModal

        self.app.push_screen(AgreementModal(client=None), lambda _r: self.refilter())

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        self._leave_filter(field)

    def _leave_filter(self, field: Input) -> None:
        """Enter or Esc in a text filter: to the list, once the keys typed before it
        are in the filter; the keys typed behind wait for the rows of that filter, so
        ``/cost`` Enter Enter opens what "cost" finds, not a row listed before."""
        done = asyncio.get_running_loop().create_future()

        def to_list() -> None:
            try:
                if self.is_live:
                    if self._timer is not None:  # filter now, not after the pause
                        self._timer.stop()
                        self.refilter()
                    if self.filtering:  # the list, or none, once its rows are shown
                        self._awaited.append(done)
                        self._to_list_when_shown = True
                    else:
                        self._focus_list()
            finally:
                if done not in self._awaited and not done.done():
                    done.set_result(None)

        self.pulse_app.hold_keys_behind(field, done=done)
        self.after_typing(to_list)

    def _focus_list(self) -> None:
        """The focus on the list; on none when it lists nothing (the list's keys still
        act, / filters)."""
        table = self.query_one(DataTable)
        self.set_focus(table if table.row_count else None)

    def action_back(self) -> None:
        table = self.query_one(DataTable)
        focused = self.focused
        if isinstance(focused, Input):
            self._leave_filter(focused)
            return
        if focused is not None and focused is not table:
            if focused.parent is not None and isinstance(focused.parent, Select):
                raise SkipAction()  # Esc closes the open choice list first
            # at once: keys typed behind Esc go to the list; none when it lists nothing
            # and no filtering is on its way (the keys of the list still act, / filters)
            self.set_focus(table if table.row_count or self.filtering else None)
            return
        super().action_back()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
