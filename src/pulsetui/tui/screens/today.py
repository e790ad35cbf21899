"""Today, the start screen: what needs the signed-in manager's attention now — red flags,
pulses due, client meetings due, agreements due this week or overdue, clients whose
health is slipping, portfolio NPS with its trend and n, and the latest eNPS round.

What it shows is :func:`pulsetui.service.views.today.today_view` for the app's current
audience, read in a thread worker so the screen is interactive at once, even on a large
workspace; the screen maps its items to rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.insights.flags import address_flag
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today import TodayItem, TodayView, today_view
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.widgets.literal import LiteralStatic, one_line
from pulsetui.tui.widgets.record_table import RecordTable

HEADING = "heading"
MORE = "more"
COLUMNS = ("Item", "Who", "When / why")
FIRST_ROWS = 25  # rows shown per section at first; the rest behind a "more" row
MORE_ROWS = 100  # rows added each time the "more" row is opened

Row = tuple[str, str, list[Any]]


def item_row(item: TodayItem) -> Row:
    """One item as a row: its kind and uid name it, then what, who, when or why."""
    return (item.kind, item.uid, [item.what, item.who, item.why])


@dataclass(frozen=True)
class TodayRows:
    """The view as the list shows it: headings with their first rows."""

    view: TodayView

    def visible_rows(self, shown: dict[str, int] | None = None) -> list[Row]:
        """Headings with their first rows; a section longer than it is shown ends in a
        "more" row. ``shown``: how many rows of a section to show (default FIRST_ROWS)."""
        rows: list[Row] = []
        for part in self.view.sections:
            count = len(part.items)
            title = Text(f"{part.title} ({count})", style="bold underline")
            rows.append((HEADING, part.key, [title, "", ""]))
            limit = (shown or {}).get(part.key, FIRST_ROWS)
            rows.extend(item_row(item) for item in part.items[:limit])
            if count > limit:
                more = min(MORE_ROWS, count - limit)
                rows.append(
                    (
                        MORE,
                        part.key,
                        [
                            Text(f"… {count - limit} more", style="italic"),
                            "",
                            f"Enter shows {more} more",
                        ],
                    )
                )
        return rows


class TodayScreen(BaseScreen):
    TITLE = "Today"
    HELP = (
        "What needs you today, for the manager signed in.\n\n"
        "Red flags: the reason and since when; x marks one addressed with a note.\n"
        "Pulse due: consultants whose monthly pulse is due (4 weeks after the last one "
        "held) or overdue (6 weeks).\n"
        "Meeting due: clients whose meeting is due under the agreed cadence.\n"
        "Agreements due: ours and the client's, due within a week or overdue.\n"
        "Client health: clients below 'good', with the biggest reason and the trend.\n"
        "At the top: portfolio NPS with n and its 95% interval (n < 10 is directional), "
        "the trend by quarter, and the latest eNPS round where enough people answered "
        "(a newer round still collecting answers is named, without figures).\n\n"
        f'Each list shows its first {FIRST_ROWS} rows; Enter on the "… more" row shows '
        f"{MORE_ROWS} more. Enter opens the record under the cursor. The lists are kept "
        "while you visit other sections and refreshed in the background when something "
        "changed; ctrl+r refreshes now. In call mode only the client in view "
        "is shown, without eNPS, pulses or internal flags."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        *keys.bindings("open", "address_flag", "refresh"),
    ]
    CSS_PATH = stylesheet("today.tcss")

    class Gathered(Message):
        def __init__(self, view: TodayView, state: tuple[Any, ...], serial: int) -> None:
            super().__init__()
            self.view = view
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._view: TodayView | None = None
        self._shown_state: tuple[Any, ...] | None = None  # what the lists were gathered for
        self._asked_state: tuple[Any, ...] | None = None  # what the running gathering is for
        self._serial = 0  # gatherings started; an older one's result is dropped
        self._shown: dict[str, int] = {}  # rows shown per section, when widened
        self._widths: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield LiteralStatic("Loading…", id="today-summary")
        yield RecordTable(COLUMNS, id="today-list")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)
        self.query_one(RecordTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_if_stale()

    def on_resize(self) -> None:
        if self.is_live:
            self._fit_columns()

    def _fit_columns(self) -> None:
        width = max(self.size.width, 40)
        item = 16 if width < 100 else 24
        who = 18 if width < 100 else 26
        # marker + padding of four columns = 1 + 8; keep one cell for the scrollbar
        rest = max(width - item - who - 10, 12)
        if [item, who, rest] != self._widths:
            self._widths = [item, who, rest]
            self.query_one(RecordTable).set_widths(self._widths)

    # ---- gathering: in a worker, only when something changed ------------------------

    def _state(self) -> tuple[Any, ...]:
        """What the lists depend on: the store's version (None: unknown, always gather
        again), the day and the audience (the manager, or a call with its client)."""
        app = self.pulse_app
        return (app.data_version, app.workspace.today(), app.audience)

    def refresh_if_stale(self) -> None:
        """Gather again only if the store, the day or the audience changed since the lists
        on screen were gathered; they stay on screen meanwhile."""
        state = self._state()
        if state[0] is None or state not in (self._shown_state, self._asked_state):
            self.reload()

    def reload(self) -> None:
        state = self._state()
        self._serial += 1
        self._asked_state = state
        self._gather(self.workspace, state, self._serial, state[2])

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="today", exit_on_error=False)
    def _gather(
        self,
        ws: Workspace,
        state: tuple[Any, ...],
        serial: int,
        audience: Audience,
    ) -> None:
        view = today_view(ws, audience)
        self.post_message(self.Gathered(view, state, serial))

    def on_today_screen_gathered(self, message: Gathered) -> None:
        if message.serial != self._serial or not self.is_live:
            return  # a newer gathering is on its way, or the screen is gone
        self._asked_state = None
        if message.state[2] != self.pulse_app.audience:
            return  # read for another audience
        if self._shown_state is not None and message.state[2:] != self._shown_state[2:]:
            self._shown = {}
        self._shown_state = message.state
        self._view = message.view
        self.query_one("#today-summary", LiteralStatic).set_text(
            "\n".join(message.view.summary_lines())
        )
        self._show_rows()

    def _show_rows(self) -> None:
        if self._view is None:
            return
        self._fit_columns()
        table = self.query_one(RecordTable)
        rows = TodayRows(self._view).visible_rows(self._shown)
        if rows != table.filled_rows():
            table.fill(rows, keep_cursor=True)

    # ---- opening and addressing -----------------------------------------------------

    def action_open(self) -> None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is not None:
            self._open(*chosen)

    def on_record_table_opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        self._open(event.kind, event.uid)

    def _open(self, kind: str, uid: str) -> None:
        if kind == HEADING:
            return
        if kind == MORE:
            table = self.query_one(RecordTable)
            row = table.cursor_row
            self._shown[uid] = self._shown.get(uid, FIRST_ROWS) + MORE_ROWS
            self._show_rows()
            table.move_cursor(row=row)
            return
        if kind == "conflict":
            from pulsetui.tui.screens.conflict import ConflictModal

            record_kind, _, record_uid = uid.partition("/")
            self.app.push_screen(ConflictModal(record_kind, record_uid), lambda _r: self.reload())
            return
        item = self._item(kind, uid)
        if item is None or item.opens is None:
            return
        kind, uid = item.opens
        app = self.pulse_app
        app.run_worker(app.open_record(kind, uid), exclusive=True, group="open")

    def _item(self, kind: str, uid: str) -> TodayItem | None:
        return self._view.find(kind, uid) if self._view is not None else None

    def _selected_item(self) -> TodayItem | None:
        chosen = self.query_one(RecordTable).selected()
        return self._item(*chosen) if chosen is not None else None

    def context_client(self) -> str | None:
        item = self._selected_item()
        return item.client if item is not None else None

    def context_consultant(self) -> str | None:
        item = self._selected_item()
        if item is not None and item.opens is not None and item.opens[0] == "consultant":
            return item.opens[1]
        return None

    def action_address_flag(self) -> None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is None or chosen[0] != "flag":
            self.notify("Put the cursor on a red flag first.", severity="warning")
            return
        from pulsetui.tui.screens.confirm import TextPrompt

        key = chosen[1]

        def addressed(note: str | None) -> None:
            if note is None:
                return
            try:
                address_flag(self.workspace, key, note)
            except InvalidInput as exc:
                self.notify("; ".join(p.message for p in exc.problems), severity="error")
                return
            self.notify("Flag marked addressed.")
            self.reload()

        label = one_line(key.split(":", 1)[0].replace("_", " "))
        self.app.push_screen(TextPrompt(f"Addressed: {label}. What was done?", "note"), addressed)
