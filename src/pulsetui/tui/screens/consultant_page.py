"""One consultant's page: where they work, whether a pulse conversation is due, and every
earlier conversation newest first — date, the scores, a line of the notes and how many
promises were kept — with the highlighted one's follow-ups and what became of each
below the list. Enter reads a conversation in full (:class:`PulseReadScreen`).

What it shows is :func:`pulsetui.service.views.pulse_history.pulse_history` for the
app's audience: a call sees none of the conversations."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from pulsetui.domain.words import counted
from pulsetui.service.views.pulse_history import HistoryEntry, PulseHistory, pulse_history
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.consultants import due_text
from pulsetui.tui.screens.freshness import data_state
from pulsetui.tui.widgets.literal import cell, literal, one_line
from pulsetui.tui.widgets.marked_table import MarkedTable
from pulsetui.tui.widgets.pulse_record import (
    conversation_text,
    follow_up_lines,
    follow_ups_summary,
    workload,
)


def head_text(view: PulseHistory | None) -> Text:
    """Who, where, whether the next conversation is due, how many were held."""
    if view is None:
        return Text("This consultant no longer exists.")
    name = one_line(view.name, 40) if view.name else "A consultant"
    out = Text()
    out.append_text(literal(name, style="bold"))
    if view.client_name:
        out.append(" · at ")
        out.append_text(literal(one_line(view.client_name, 40)))
    if view.hidden:
        out.append("\nCall mode: pulse conversations are private and not shown (F2 ends it).")
        return out
    out.append(f" · {counted(len(view.entries), 'conversation')}")
    if view.due is not None:
        out.append(" · next: ")
        out.append_text(due_text(view.due))
    return out


def pulse_cells(entry: HistoryEntry) -> list[Text]:
    a = entry.answers
    return [
        Text(a.date.isoformat()),
        Text(str(a.wellbeing or "–")),
        Text(workload(a.workload)),
        Text(str(a.fit or "–")),
        cell(
            ("(planned) " if a.status != "held" else "")
            + (one_line(a.notes, 200) if a.notes.strip() else "–")
        ),
        Text(follow_ups_summary(entry)),
    ]


# (label, key, width); the notes take the width the others leave (None)
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("Date", "date", 10),
    ("Well", "wellbeing", 4),
    ("Load", "workload", 8),
    ("Fit", "fit", 3),
    ("Notes", "notes", None),
    ("Follow-ups", "follow_ups", 15),
)
NOTES_AT_LEAST = 16


def notes_width(room: int, padding: int) -> int:
    """The notes column's width in a table ``room`` cells wide: what the marker, the
    other columns and every column's padding leave, one cell kept for a scrollbar."""
    fixed = 1 + sum(width or 0 for _l, _k, width in COLUMNS) + (len(COLUMNS) + 1) * padding
    return max(room - fixed - 1, NOTES_AT_LEAST)


class _Page(BaseScreen):
    """A page pushed on a section: Esc goes back to the screen it was opened on."""

    CSS_PATH = stylesheet("consultants.tcss")

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            super().action_back()


class ConsultantPage(_Page):
    """One consultant and their pulse conversations; Enter reads one in full."""

    TITLE = "Consultant"
    HELP = """\
One consultant: the client they work at, how many pulse conversations you held with them
and whether the next one is due, and every conversation newest first — the date,
wellbeing, workload and fit, the first line of the notes, and how many of the promises
made in it were kept. Below the list, the highlighted conversation's follow-ups, each with
what became of it: done (when, how long after), or still open (how long, and over how many
conversations since).

Enter reads the highlighted conversation in full. p holds today's pulse conversation with
this consultant; E changes the consultant. Esc goes back.

Pulse conversations are private: you see only your own, and in call mode none of them."""
    BINDINGS = [
        # before the list's own Enter, so the footer names what it does
        replace(keys.binding(keys.BY_ID["open"]), description="Read", show=True, priority=True),
        *keys.bindings("new_pulse", "edit"),
    ]

    def __init__(self, consultant: str) -> None:
        super().__init__()
        self.consultant_uid = consultant
        self.view: PulseHistory | None = None
        self._read_for: tuple[Any, ...] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="consultant-head", markup=False)
        yield MarkedTable(id="consultant-pulses", zebra_stripes=False)
        yield Static(id="pulse-preview", markup=False)

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one(MarkedTable)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width or NOTES_AT_LEAST)
        self.reload()
        self.watch(self.app, "call_mode", lambda _on: self.reload(), init=False)
        if table.row_count:
            table.focus()

    def on_resize(self) -> None:
        if self.is_live and self.view is not None:
            self.reload()  # the notes take the new width

    def on_screen_resume(self) -> None:
        """Back on the page: read again only if the store, the day or call mode changed."""
        if self.is_live and data_state(self.pulse_app) != self._read_for:
            self.reload()

    def context_consultant(self) -> str | None:
        return self.consultant_uid

    def reload(self) -> None:
        self._read_for = data_state(self.pulse_app)
        self.view = pulse_history(self.workspace, self.pulse_app.audience, self.consultant_uid)
        self.sub_title = one_line(self.view.name, 40) if self.view else ""
        self.query_one("#consultant-head", Static).update(head_text(self.view))
        table = self.query_one(MarkedTable)
        keep = self._selected()
        table.clear()
        notes = table.columns.get(ColumnKey("notes"))
        if notes is not None:
            notes.width = notes_width(self.size.width, 2 * table.cell_padding)
            notes.auto_width = False
        entries = self.view.entries if self.view else ()
        for entry in entries:
            table.add_row(*pulse_cells(entry), key=entry.uid)
        uids = [entry.uid for entry in entries]
        if keep in uids:
            table.move_cursor(row=uids.index(keep))
        # an empty list takes no focus (nothing to read in a call, or none held yet)
        table.can_focus = bool(entries)
        table.display = bool(entries)
        if entries and self.focused is None and self.is_mounted:
            table.focus()  # back from a call: the list again, with the cursor
        if not entries and self.view is not None and not self.view.hidden:
            self.query_one("#consultant-head", Static).update(
                head_text(self.view).append("\nNo pulse conversation held yet: p holds one.")
            )
        self._preview()
        self.refresh_bindings()

    def _selected(self) -> str | None:
        table = self.query_one(MarkedTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _entry(self) -> HistoryEntry | None:
        uid = self._selected()
        entries = self.view.entries if self.view else ()
        return next((e for e in entries if e.uid == uid), None)

    def _preview(self) -> None:
        """The highlighted conversation's follow-ups with what became of each."""
        preview = self.query_one("#pulse-preview", Static)
        entry = self._entry()
        preview.display = entry is not None
        if entry is None:
            return
        text = Text(f"Follow-ups of {entry.date.isoformat()}", style="bold")
        text.append("\n")
        if entry.follow_ups:
            text.append_text(follow_up_lines(entry))
        else:
            text.append("(none promised)", style="italic")
        preview.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.is_live:
            self._preview()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "new_pulse"):
            return self.view is not None and not self.view.hidden
        return super().check_action(action, parameters)

    def action_open(self) -> None:
        uid = self._selected()
        if uid is not None:
            self.app.push_screen(PulseReadScreen(self.consultant_uid, uid))

    def action_new_pulse(self) -> None:
        from pulsetui.tui.screens.pulse_form import PulseForm

        if self.view is not None and not self.view.hidden:
            self.app.push_screen(PulseForm(consultant=self.consultant_uid))

    def action_edit(self) -> None:
        from pulsetui.tui.screens.forms.open import open_consultant_form

        open_consultant_form(self.app, self.consultant_uid, then=lambda _r: self.reload())


class PulseReadScreen(_Page):
    """One earlier pulse conversation in full, read-only; chords step to its neighbours."""

    TITLE = "Pulse conversation (read only)"
    HELP = """\
One earlier pulse conversation in full: when it was, wellbeing, workload and fit, growth
wishes and worries, the notes, and every promise made with what became of it. Nothing
here can be changed. j/k or the arrows scroll; ctrl+n (or ctrl+down) shows the next older
conversation, ctrl+up the next newer one. Esc goes back. In call mode nothing is shown."""
    BINDINGS = [
        replace(keys.binding(keys.BY_ID["next_item"]), description="Older"),
        replace(keys.binding(keys.BY_ID["previous_item"]), description="Newer", show=True),
    ]

    def __init__(self, consultant: str, pulse: str) -> None:
        super().__init__()
        self.consultant_uid = consultant
        self.pulse_uid = pulse
        self.entries: tuple[HistoryEntry, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield Static(id="pulse-read-head", markup=False)
        with VerticalScroll(id="pulse-read"):
            yield Static(id="pulse-read-body", markup=False)

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.reload()
        self.watch(self.app, "call_mode", lambda _on: self.reload(), init=False)

    def context_consultant(self) -> str | None:
        return self.consultant_uid

    def reload(self) -> None:
        view = pulse_history(self.workspace, self.pulse_app.audience, self.consultant_uid)
        self.entries = view.entries if view is not None else ()
        head = self.query_one("#pulse-read-head", Static)
        body = self.query_one("#pulse-read-body", Static)
        scroll = self.query_one("#pulse-read", VerticalScroll)
        uids = [entry.uid for entry in self.entries]
        if self.pulse_uid not in uids:
            why = "Hidden in call mode (F2 ends it)." if view is None or view.hidden else ""
            head.update(Text(f"{one_line(view.name, 40)} · pulse" if view else "Pulse"))
            body.update(Text(why or "This conversation is not there to read.", style="italic"))
            scroll.can_focus = False
            self.refresh_bindings()
            return
        index = uids.index(self.pulse_uid)
        name = one_line(view.name, 40) if view is not None else ""
        head.update(
            literal(f"{name} · conversation {len(uids) - index} of {len(uids)}", style="bold")
        )
        body.update(conversation_text(self.entries[index], self.workspace.today()))
        scroll.can_focus = True
        scroll.scroll_home(animate=False)
        scroll.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_item", "previous_item"):
            return self.pulse_uid in {entry.uid for entry in self.entries}
        return super().check_action(action, parameters)

    def action_next_item(self) -> None:
        self._step(1)

    def action_previous_item(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        """The next older (1) or newer (-1) conversation; none past either end."""
        uids = [entry.uid for entry in self.entries]
        if self.pulse_uid not in uids:
            return
        index = uids.index(self.pulse_uid) + direction
        if 0 <= index < len(uids):
            self.pulse_uid = uids[index]
            self.reload()
