"""Today, the start screen: one row per thing needing the signed-in manager's attention —
a consultant whose pulse is due, a client with red flags, a meeting due or slipping
health, an agreement due this week or overdue, a record sync met twice — most urgent
first, the selected row's reasons on a detail line below; portfolio NPS and the latest
eNPS round above.

What it shows is :func:`pulsetui.service.views.today.today_view` for the app's current
audience, grouped by :func:`pulsetui.service.views.attention.attention_rows`, read in a
thread worker so the screen is interactive at once, even on a large workspace; the
screen maps the rows to cells. Until the first gathering is done it shows the manager's
last Today (:mod:`pulsetui.service.views.today_snapshot`; never in a call or to another
manager), which that gathering replaces."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.views.attention import AttentionRow, attention_rows
from pulsetui.service.views.today_snapshot import keep_today, snapshot_today
from pulsetui.tui import keys
from pulsetui.tui.lifecycle import Readiness
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.widgets.literal import LiteralStatic, clamped, one_line, short_name
from pulsetui.tui.widgets.record_table import RecordTable

MORE = "more"
COLUMNS = ("Who", "What", "When / why")
FIRST_ROWS = 50  # rows shown at first; the rest behind a "more" row
MORE_ROWS = 100  # rows added each time the "more" row is opened
DETAIL_LINES = 2  # the highlighted row's reasons under the list (styles/today.tcss)

if TYPE_CHECKING:
    from pulsetui.service.views.audience import Audience
    from pulsetui.service.views.today_model import TodayView
    from pulsetui.service.workspace import Workspace

Row = tuple[str, str, list[Any]]


def today_view(ws: Workspace, audience: Audience) -> TodayView:
    """Today computed from the records (:func:`pulsetui.service.views.today.today_view`),
    its modules imported on the first gathering rather than before the first frame."""
    from pulsetui.service.views import today

    return today.today_view(ws, audience)


def heading_lines(view: TodayView, rows: int) -> list[str]:
    """Two short lines: who, the day, how many things need them and NPS; then eNPS
    (or why a call shows nothing)."""
    first = f"{view.manager} · {view.day:%a %d %b %Y}"
    if view.notice:
        return [first, view.notice]
    first += f" · {rows} need{'s' if rows == 1 else ''} you"
    if view.nps is not None:
        first += f" · {view.nps.scope} {view.nps.label}"
    lines = [first]
    if view.enps is not None:
        parts = [f"{r.round}: {r.label or r.status}" for r in view.enps]
        lines.append("eNPS " + " · ".join(parts) if parts else "eNPS: no answers yet")
    return lines


def detail_line(row: AttentionRow) -> str:
    """The row's most urgent reason in full, then what else there is about it."""
    first, *rest = row.reasons()
    text = f"{row.who} — {first}"
    if rest:
        text += " · also: " + "; ".join(item.what for item in row.items[1:])
    return text


def visible_rows(found: tuple[AttentionRow, ...], shown: int, who_width: int) -> list[Row]:
    """The first ``shown`` rows, then a "more" row when there are more; a name longer
    than ``who_width`` is cut keeping its "(us)" or "(client)"."""
    rows: list[Row] = [
        (r.kind, r.uid, [short_name(r.who, who_width), r.what, r.why]) for r in found[:shown]
    ]
    if len(found) > shown:
        more = min(MORE_ROWS, len(found) - shown)
        rows.append(
            (
                MORE,
                "rows",
                [
                    Text(f"… {len(found) - shown} more", style="italic"),
                    "",
                    f"Enter shows {more} more",
                ],
            )
        )
    return rows


class TodayScreen(Readiness, BaseScreen):
    TITLE = "Today"
    AUDIENCE_BOUND = True
    HELP = (
        "What needs you today, one row per person, client or agreement, most urgent "
        "first: what is late longest first, then what falls due soonest, then the rest "
        "(slipping health, unpaid invoices). The line below the list gives the selected "
        "row's reason in full and what else there is about it.\n\n"
        "A consultant's row: the monthly pulse is due (4 weeks after the last one held) "
        "or overdue (6 weeks). A client's row gathers its red flags, a meeting due under "
        "the agreed cadence and health below 'good' (\"(+3)\" says how many more); Enter "
        "opens the client. An agreement's row: ours or the client's, due within a week or "
        "overdue; Enter opens it. Records sync met twice come first; Enter chooses. "
        "When the yearly eNPS round is due, Enter on its row opens the form that opens "
        "a round (name and closing day).\n"
        "x marks a red flag addressed with a note (on a row with several flags you "
        "choose which).\n\n"
        "At the top: portfolio NPS with its n (n < 10 is directional), and the latest "
        "eNPS round where enough people answered (a round still open is named with its "
        "closing date, without figures).\n\n"
        f'The list shows its first {FIRST_ROWS} rows; Enter on the "… more" row shows '
        f"{MORE_ROWS} more. The list is kept while you visit other sections and "
        "refreshed in the background when something changed; ctrl+r refreshes now. In "
        "call mode only the client in view is shown, without eNPS, pulses or internal "
        "flags."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        *keys.bindings("open", "address_flag", "refresh"),
    ]
    CSS_PATH = stylesheet("today.tcss")

    class Gathered(Message):
        def __init__(
            self,
            view: TodayView,
            rows: tuple[AttentionRow, ...],
            state: tuple[Any, ...],
            serial: int,
        ) -> None:
            super().__init__()
            self.view = view
            self.rows = rows
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._view: TodayView | None = None
        self._rows: tuple[AttentionRow, ...] = ()
        self._by_key: dict[tuple[str, str], AttentionRow] = {}
        self._shown_state: tuple[Any, ...] | None = None  # what the list was gathered for
        self._asked_state: tuple[Any, ...] | None = None  # what the running gathering is for
        self._serial = 0  # gatherings started; an older one's result is dropped
        self._shown = FIRST_ROWS  # rows shown, more once widened
        self._widths: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield LiteralStatic("Loading…", id="today-summary")
        yield RecordTable(COLUMNS, id="today-list")
        yield LiteralStatic("", id="today-detail")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)
        self.query_one(RecordTable).focus()
        app = self.pulse_app
        if not app.is_open:  # the app starts: the snapshot of the manager expected
            opening = app.opening
            if opening is not None and opening.snapshot is not None and not app.call_mode:
                self._show_view(opening.snapshot, attention_rows(opening.snapshot), None)
            return  # read once the workspace is open (workspace_opened)
        snapshot = snapshot_today(self.workspace, app.audience)
        if snapshot is not None:  # the last Today, until the gathering below replaces it
            self._show_view(snapshot, attention_rows(snapshot), None)
            self.reload_after_frame()
        else:
            self.reload()

    def workspace_opened(self) -> None:
        """The workspace opened after the first frame: the snapshot on screen was
        checked against the workspace's files only; now against the workspace (who
        signed in, the clock). Shown again, it stays until Today is read afresh; else
        the list is empty until then."""
        if not self.is_live:
            return
        if self._view is not None and self._shown_state is None:
            if snapshot_today(self.workspace, self.pulse_app.audience) == self._view:
                self.rows_shown()  # keys typed meanwhile act on these rows
                self.reload_after_frame()
                return
            self._forget_view()
        self.reload()

    def _forget_view(self) -> None:
        self._view, self._rows, self._by_key = None, (), {}
        self.query_one("#today-summary", LiteralStatic).set_text("Loading…")
        self.query_one(RecordTable).fill([])
        self._show_detail()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_if_stale()

    def on_resize(self) -> None:
        if self.is_live:
            self._show_rows()

    def _fit_columns(self) -> None:
        """Who gets the room its longest name needs, up to a share of the width; What
        and When / why share the rest."""
        width = max(self.size.width, 40)
        longest = max((cell_len(one_line(r.who)) for r in self._rows[: self._shown]), default=10)
        share = min(width * 3 // 10, 30) if width >= 80 else width // 4
        who = min(max(longest, 10), share)
        # marker + padding of four columns = 1 + 8, and the scrollbar's room
        scrollbar = self.query_one(RecordTable).styles.scrollbar_size_vertical
        room = width - who - 9 - scrollbar
        what = max(min(room * 45 // 100, 40), 12)
        rest = max(room - what, 12)
        if [who, what, rest] != self._widths:
            self._widths = [who, what, rest]
            self.query_one(RecordTable).set_widths(self._widths)

    # ---- gathering: in a worker, only when something changed ------------------------

    def _state(self) -> tuple[Any, ...]:
        """What the list depends on: the store's version (None: unknown, always gather
        again), the day and the audience (the manager, or a call with its client)."""
        app = self.pulse_app
        return (app.data_version, app.workspace.today(), app.audience)

    def refresh_if_stale(self) -> None:
        """Gather again only if the store, the day or the audience changed since the
        list on screen was gathered; it stays on screen meanwhile."""
        if not self.pulse_app.is_open:
            return  # read once the workspace is open
        state = self._state()
        stale = state[0] is None or state not in (self._shown_state, self._asked_state)
        if stale and not self.reading_soon:
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
        self, ws: Workspace, state: tuple[Any, ...], serial: int, audience: Audience
    ) -> None:
        view = today_view(ws, audience)
        self.post_message(self.Gathered(view, attention_rows(view), state, serial))
        keep_today(ws, audience, view)  # what the next start shows first

    def on_today_screen_gathered(self, message: Gathered) -> None:
        if message.serial != self._serial or not self.is_live:
            return  # a newer gathering is on its way, or the screen is gone
        self._asked_state = None
        if message.state[2] != self.pulse_app.audience:
            return  # read for another audience
        if self._shown_state is not None and message.state[2:] != self._shown_state[2:]:
            self._shown = FIRST_ROWS
        self._show_view(message.view, message.rows, message.state)

    def _show_view(
        self, view: TodayView, rows: tuple[AttentionRow, ...], state: tuple[Any, ...] | None
    ) -> None:
        """Show ``view``; ``state`` is what it was gathered for (None: a snapshot)."""
        self._shown_state = state
        self.shown_for(self.pulse_app.audience if state is None else state[2])
        self._view = view
        self._rows = rows
        self._by_key = {(row.kind, row.uid): row for row in rows}
        lines = heading_lines(view, len(rows))
        self.query_one("#today-summary", LiteralStatic).set_text("\n".join(lines))
        self._show_rows()
        if self.pulse_app.is_open:  # else once it is: keys typed meanwhile wait
            self.rows_shown()

    def _show_rows(self) -> None:
        self._fit_columns()
        if self._view is None:
            return
        table = self.query_one(RecordTable)
        rows = visible_rows(self._rows, self._shown, self._widths[0])
        if rows != table.filled_rows():
            table.fill(rows, keep_cursor=True)
        self._show_detail()

    def _show_detail(self) -> None:
        row = self._selected_row()
        detail = self.query_one("#today-detail", LiteralStatic)
        # two lines at most (the stylesheet's height): a longer one ends in "…"
        width = detail.content_size.width or max(self.size.width - 2, 0)
        detail.set_text(clamped(detail_line(row), width, DETAIL_LINES) if row is not None else "")
        detail.display = row is not None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.is_live:
            self._show_detail()

    # ---- opening and addressing -----------------------------------------------------

    def action_open(self) -> None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is not None:
            self._open(*chosen)

    def on_record_table_opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        self._open(event.kind, event.uid)

    def _open(self, kind: str, uid: str) -> None:
        if not self.pulse_app.is_open:
            return  # a click on the snapshot's rows while the workspace opens
        if kind == MORE:
            table = self.query_one(RecordTable)
            row = table.cursor_row
            self._shown += MORE_ROWS
            self._show_rows()
            table.move_cursor(row=row)
            return
        if kind == "conflict":
            from pulsetui.tui.screens.conflict import ConflictModal

            record_kind, _, record_uid = uid.partition("/")
            self.app.push_screen(ConflictModal(record_kind, record_uid), lambda _r: self.reload())
            return
        if kind == "enps_round":  # the yearly round is due: the form that opens one
            from pulsetui.tui.screens.forms.open import open_enps_round_form

            open_enps_round_form(self.app, then=lambda _state: self.reload())
            return
        found = self._by_key.get((kind, uid))
        if found is None or found.opens is None:
            return
        app = self.pulse_app
        app.show_record(*found.opens)

    def _selected_row(self) -> AttentionRow | None:
        chosen = self.query_one(RecordTable).selected()
        return self._by_key.get(chosen) if chosen is not None else None

    @property
    def attention(self) -> tuple[AttentionRow, ...]:
        """Every row the list holds (shown or behind the "more" row)."""
        return self._rows

    def row_for_flag(self, key: str) -> AttentionRow | None:
        """The row standing for a red flag (its own, its client's or consultant's)."""
        return next((row for row in self._rows if key in dict(row.flags)), None)

    def context_client(self) -> str | None:
        row = self._selected_row()
        return row.client if row is not None else None

    def context_consultant(self) -> str | None:
        row = self._selected_row()
        return row.consultant if row is not None else None

    def action_address_flag(self) -> None:
        row = self._selected_row()
        if row is None or not row.flags:
            self.notify("Put the cursor on a row with a red flag first.", severity="warning")
            return
        if len(row.flags) == 1:
            self._address(row, *row.flags[0])
            return
        from pulsetui.tui.screens.record_picker import RecordPicker

        def picked(key: str | None) -> None:
            if key is not None:
                self._address(row, key, dict(row.flags)[key])

        question = f"Which red flag about {one_line(row.who, 40)} was addressed?"
        choices = [(label, key) for key, label in row.flags]
        self.app.push_screen(RecordPicker(question, choices), picked)

    def _address(self, row: AttentionRow, key: str, label: str) -> None:
        from pulsetui.tui.screens.confirm import TextPrompt

        def addressed(note: str | None) -> None:
            if note is None:
                return
            from pulsetui.service.insights.flags import address_flag

            try:
                address_flag(self.workspace, key, note)
            except InvalidInput as exc:
                self.notify("; ".join(p.message for p in exc.problems), severity="error")
                return
            self.notify("Flag marked addressed.")
            self.reload()

        question = (
            f"Addressed: {one_line(label)} — {one_line(row.who, 60)}.\n"
            "What was done?  Enter saves · Esc closes (what is typed stays as a draft)"
        )
        self.app.push_screen(TextPrompt(question, "note"), addressed)
