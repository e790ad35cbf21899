"""Search: everything written, found as you type — pulse notes (your own, never in a
call), meeting notes, agenda items, agreements, requests, touchpoints, NPS reasons and
notes on red flags. One row per text with its day, kind, client (or consultant) and a
snippet; the selected row's text in full below; Enter opens the record.

The query is searched in a worker through the workspace's search index (read from its
file at start, then kept up to date on every save); a result that arrives after a newer
keystroke is dropped. While the index is still being read or built, a line says
"Indexing…" with how far it has got, and each query is answered by reading every record
(slower; a newer keystroke stops it); once the index is ready the query is searched
again. Enter typed before the results of the last keystroke arrived opens the first of
those results."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from pulsetui.domain.search_terms import reached_spans, snippet
from pulsetui.service.search import ScanStopped, SearchHit, SearchIndex, SearchResults, scan
from pulsetui.service.views.audience import Audience
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.field_keys import TAB_BINDINGS
from pulsetui.tui.widgets.literal import one_line
from pulsetui.tui.widgets.text_fields import TextInput

LIMIT = 100  # rows shown; the count line says how many records match
OPENS = {
    "pulse": "the pulse conversation",
    "meeting": "the meeting",
    "agreement": "the agreement",
    "consultant": "the consultant",
    "engagement": "the consultant",
}
PROGRESS_SECONDS = 0.25
MARKER = "▶"  # the selected row, shown while typing too: not by colour alone


def marked(text: str, terms: tuple[str, ...]) -> Text:
    """``text`` shown literally on one line, the words the query reached in bold."""
    shown = Text(one_line(text), no_wrap=True, overflow="ellipsis")
    for start, end in reached_spans(shown.plain, terms):
        shown.stylize("bold underline", start, end)
    return shown


class SearchScreen(BaseScreen):
    """Search everything written."""

    TITLE = "Search"
    AUDIENCE_BOUND = True
    HELP = """\
Everything written, found as you type: pulse notes (your own conversations; never in
call mode), meeting notes, agenda items, agreements, requests and wishes, touchpoints,
NPS reasons and notes on addressed red flags. Accents, case and script do not matter:
"oie" finds "Õie", "dmit" finds "Дмитрий" and "Дмит" finds "Dmitri". Every word typed
must be found; when no record holds them all, those holding the most are listed and
the line above the list says so.

Whole words come first, then words starting with what you typed, then words holding it;
newest first within each. The same text for one client is one row saying how many
("5× Send the weekly report"). The selected row's text is shown in full below the list.

Up and Down move in the results while you type; Enter opens the selected one (a red
flag's note opens what the flag is about). Tab moves to the list, Esc goes back.
In call mode only the client in view is searched, without pulse notes, NPS reasons or
internal red flags."""
    CSS_PATH = stylesheet("search.tcss")
    BINDINGS = [
        Binding("escape", "back", "Back", priority=True),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("enter", "open", "Open"),
        *TAB_BINDINGS,
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.results: SearchResults | None = None
        self._serial = 0  # searches started; an older one's result is dropped
        self._asked: tuple[str, Audience] | None = None
        self._open_when_found = False
        self._text_width = 30
        self._marked: int | None = None
        self._waiting = False  # for the index to be ready
        self._failed = False  # the index could not be made: every search reads the records
        self._ticking = False  # the progress line's timer is set
        self._deferred = False  # a query waits for the index being read

    def compose_body(self) -> ComposeResult:
        yield TextInput(
            self.initial,
            id="search-query",
            placeholder="Search notes, agendas, agreements, wishes, reasons…",
            compact=True,  # opened with a query, typing goes on after it
        )
        yield Static("", id="search-progress", markup=False)
        yield Static("", id="search-count", markup=False)
        yield DataTable(id="search-results", cursor_type="row")
        yield Static("", id="search-detail", markup=False)

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one(DataTable)
        table.add_column(" ", key="mark", width=1)
        table.add_column("Date", key="date", width=10)
        table.add_column("Kind", key="kind", width=10)
        table.add_column("About", key="about", width=16)
        table.add_column("Text", key="text", width=30)
        self._fit_columns()
        self.watch(self.app, "call_mode", lambda _on: self.research(), init=False)
        self.query_one(Input).focus()
        self.research()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        """The text takes the width the table has left; the client column grows a
        little on a wide screen."""
        if not self.is_live:
            return
        table = self.query_one(DataTable)
        # the width beside a vertical scrollbar, whether the rows need one yet or not
        room = (table.size.width or self.size.width - 2) - table.styles.scrollbar_size_vertical
        about = 16 if room < 100 else 24
        padding = 2 * table.cell_padding
        fixed = 1 + 10 + 10 + about + 5 * padding
        self._text_width = max(20, room - fixed)
        for key, size in (("about", about), ("text", self._text_width)):
            column = table.columns.get(key)  # type: ignore[call-overload]
            if column is not None and column.width != size:
                column.width = size
                column.auto_width = False
                table.refresh()

    def on_screen_resume(self) -> None:
        if self.is_live and self.results is not None:
            self.research()  # something may have been saved meanwhile

    def reload(self) -> None:
        self.research()

    # ---- searching -----------------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def _query_changed(self) -> None:
        self.research()

    @on(Input.Submitted, "#search-query")
    def _query_entered(self) -> None:
        self.action_open()

    def research(self) -> None:
        if not self.is_live:
            return
        self._deferred = False
        self._serial += 1
        query = self.query_one(Input).value
        audience = self.pulse_app.audience
        self._asked = (query, audience)
        index = SearchIndex.of(self.workspace)
        if not index.ready:
            self._show_progress()
            if not self._waiting:
                self._waiting = True
                self._wait_for_index()
        self._search(index, query, audience, self._serial)

    def _show_progress(self) -> None:
        """The "Indexing…" line, while the index is not ready."""
        if not self.is_live:
            return
        line = self.query_one("#search-progress", Static)
        index = SearchIndex.of(self.workspace)
        line.set_class(not index.ready, "indexing")
        if index.ready:
            return
        if self._failed:
            line.update("The search index could not be made: searching without it, slower.")
            return
        if not self._slow_search():
            line.update("Reading the search index…")
        else:
            done, steps = index.progress
            share = f" {100 * done // steps}%" if steps else ""
            line.update(f"Indexing everything written…{share} Searching without the index: slower.")
            if self._deferred:  # the query typed while the index was being read
                self.research()
        if not self._ticking:  # one timer keeps the share current
            self._ticking = True
            self.set_timer(PROGRESS_SECONDS, self._tick)

    def _tick(self) -> None:
        self._ticking = False
        self._show_progress()

    @work(group="search-index-wait", exit_on_error=False)
    async def _wait_for_index(self) -> None:
        if not await self.pulse_app.search_readiness.ready(self.pulse_app):
            self._failed = True  # searched without it from now on; _waiting stays set
            self._show_progress()
            self.research()
            return
        self._waiting = False
        if self.is_live:
            self._show_progress()
            self.research()  # through the index now

    def _slow_search(self) -> bool:
        """Whether queries are answered by reading every record: the index is being
        built (not just read from its file, which is quick) or could not be made."""
        return self._failed or SearchIndex.of(self.workspace).building

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, index: SearchIndex, query: str, audience: Audience, serial: int) -> None:
        if index.ready:
            found = index.search(audience, query, LIMIT)
        elif not self._slow_search():
            self._deferred = True  # searched once the index is read
            return
        else:
            worker = get_current_worker()
            try:  # a newer keystroke cancels this worker, and the scan stops
                found = scan(self.workspace, audience, query, LIMIT, lambda: worker.is_cancelled)
            except ScanStopped:
                return
        self.app.call_from_thread(self._show, found, serial)

    def _show(self, found: SearchResults, serial: int) -> None:
        if serial != self._serial or not self.is_live:
            return  # a newer search is on its way, or the screen is gone
        self.results = found
        if self._asked is not None:
            self.shown_for(self._asked[1])
        table = self.query_one(DataTable)
        table.clear()
        self._marked = None
        for number, hit in enumerate(found.hits):
            same = f"{hit.same}× " if hit.same > 1 else ""
            text = snippet(hit.snippet, found.terms, max(10, self._text_width - len(same)))
            table.add_row(
                Text(" "),
                Text(hit.day.isoformat() if hit.day else "—"),
                Text(hit.label),
                Text(one_line(hit.about) or "—", no_wrap=True, overflow="ellipsis"),
                marked(same + text, found.terms),
                key=str(number),
            )
        count = self.query_one("#search-count", Static)
        if found.hits:
            records = f"{found.found:,} record{'s' if found.found != 1 else ''}"
            rows = len(found.hits)
            line = f"{records} found · {rows} row{'s' if rows != 1 else ''}"
            count.update(f"{found.note} {line}" if found.note else line)
        else:
            count.update(found.note)
        self._show_detail()
        if self._open_when_found:
            self._open_when_found = False
            self._open_selected()

    # ---- the selected row -----------------------------------------------------------------

    def _selected(self) -> SearchHit | None:
        table = self.query_one(DataTable)
        if self.results is None or not table.row_count:
            return None
        row = table.cursor_row
        hits = self.results.hits
        return hits[row] if 0 <= row < len(hits) else None

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        hit = self._selected()
        detail = self.query_one("#search-detail", Static)
        self._mark(None if hit is None else self.query_one(DataTable).cursor_row)
        if hit is None:
            detail.update("")
            return
        where = OPENS.get(hit.opens[0], f"{one_line(hit.about) or 'the client'}'s page")
        same = f" ({hit.same} records with this text; the newest opens)" if hit.same > 1 else ""
        text = marked(hit.snippet, self.results.terms if self.results else ())
        text.no_wrap = False
        detail.update(Text.assemble(text, Text(f"\nEnter opens {where}{same}.", style="dim")))

    def _mark(self, row: int | None) -> None:
        table = self.query_one(DataTable)
        for number, shown in ((self._marked, " "), (row, MARKER)):
            if number is not None and 0 <= number < table.row_count:
                table.update_cell(str(number), "mark", Text(shown, style="bold"))
        self._marked = row

    def action_move(self, rows: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + rows, table.row_count - 1)))

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self._open_selected()

    def action_open(self) -> None:
        """Enter: open the selected result, or the first one of the query as typed once
        its search is done."""
        shown = self.results.query if self.results is not None else None
        if self._asked is not None and shown != self._asked[0]:
            self._open_when_found = True
            return
        self._open_selected()

    def _open_selected(self) -> None:
        hit = self._selected()
        if hit is None:
            return
        from pulsetui.tui.app import KIND_SECTIONS

        app = self.pulse_app
        kind, uid = hit.opens
        if kind not in KIND_SECTIONS:  # a note on a flag whose record is gone
            self.notify("What this was written about is no longer here.", timeout=3)
            return
        self.dismiss()  # the record opens in its own section, not on top of this
        app.show_record(kind, uid)

    def context_client(self) -> str | None:
        hit = self._selected()
        return hit.about_uid if hit is not None and hit.about_kind == "client" else None

    def context_consultant(self) -> str | None:
        hit = self._selected()
        return hit.about_uid if hit is not None and hit.about_kind == "consultant" else None
