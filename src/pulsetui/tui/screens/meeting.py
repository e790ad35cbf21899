"""Meeting mode: walk a client's agenda, tick or drop items, take notes, capture agreements
in one keystroke; ending the meeting holds it and shows a summary (agreements and the next
meeting, planned by the cadence) ready to copy or export as Markdown."""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Static, TextArea

from pulsetui.domain.dates import parse_date
from pulsetui.domain.enums import CADENCE_DAYS, AgendaStatus, Cadence
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ClientMeeting
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal, BaseScreen, stylesheet
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.literal import cell, literal, one_line, printable
from pulsetui.tui.widgets.marked_table import MarkedTable

NOTES_DELAY = 0.5
MARKS = {"open": "[ ]", "discussed": "[x]", "dropped": "[-]", "mixed": "[~]"}


def topic_key(text: Any) -> str:
    """An agenda item's text as compared: the same words in any case, spacing or Unicode
    form are one topic (two people may add the same item, e.g. on two replicas)."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def agenda_topics(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Agenda items grouped by topic, in the order each topic was first added."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for doc in sorted(items, key=lambda d: (str(d.get("added_at", "")), d["uid"])):
        groups.setdefault(topic_key(doc.get("text", "")), []).append(doc)
    return list(groups.values())


def topic_status(group: list[dict[str, Any]]) -> str:
    """The status the items of one topic share, or "mixed"."""
    found = {str(d.get("status")) for d in group}
    return found.pop() if len(found) == 1 else "mixed"


def summary_markdown(ws: Workspace, client: str, meeting: str, next_date: dt.date | None) -> str:
    """The meeting written up as Markdown: discussed, dropped and carried-over items,
    agreements captured in it, the notes and the next meeting."""
    doc = ws.doc("client", client) or {}
    held = ws.require(ClientMeeting, meeting)
    items = list(ws.docs("agenda", client=client))
    mine = [d for d in items if d.get("meeting") == meeting]
    settled = {topic_key(d.get("text", "")) for d in mine if d.get("status") != "open"}
    carried = [
        group[0]
        for group in agenda_topics([d for d in items if d.get("status") == "open"])
        if topic_key(group[0].get("text", "")) not in settled
    ]
    agreements = sorted(
        ws.docs("agreement", meeting=meeting), key=lambda d: str(d.get("due") or "9999")
    )
    name = printable(doc.get("name", "")).replace("\n", " ")
    out = [f"# Meeting with {name}: {held.date.isoformat()}", ""]

    def section(title: str, lines: list[str]) -> None:
        out.append(f"## {title}")
        out.extend(lines or ["- none"])
        out.append("")

    def item(d: dict[str, Any]) -> str:
        return "- " + printable(d.get("text", "")).replace("\n", " ")

    def settled_as(status: str) -> list[str]:
        return [item(g[0]) for g in agenda_topics([d for d in mine if d.get("status") == status])]

    section("Discussed", settled_as("discussed"))
    section("Dropped", settled_as("dropped"))
    section("Carried over to the next meeting", [item(d) for d in carried])
    lines = []
    for a in agreements:
        whose = "us" if a.get("side") == "us" else "client"
        owner = f", {printable(a['owner'])}" if a.get("owner") else ""
        due = f", due {a['due']}" if a.get("due") else ""
        lines.append(f"- [{whose}{owner}{due}] " + printable(a.get("text", "")).replace("\n", " "))
    section("Agreements", lines)
    if held.notes.strip():
        section("Notes", [printable(held.notes).rstrip()])
    section("Next meeting", [f"- {next_date.isoformat()}" if next_date else "- not planned"])
    return "\n".join(out).rstrip() + "\n"


class MeetingScreen(FieldKeys, BaseScreen):
    """Run a meeting with one client."""

    TITLE = "Meeting"
    HELP = """\
Meeting mode walks the client's agenda backlog: items not discussed in earlier meetings
are carried over and come first.

In the agenda: j/k or arrows move; space ticks the item as discussed (again to
untick); d drops it (asks first; d again reopens it). Tab goes to the notes, which save
themselves while you type; Esc returns to the agenda.
e captures an agreement at once: text, ours or theirs, person, due (fri, +2w, 2026-12-01).
a adds a new agenda item. ctrl+enter (or ctrl+j) ends the meeting: it is marked held and
a summary shows the agreements and the next meeting (planned by the cadence, editable),
ready to copy (y) or export as Markdown (o). Items not ticked stay open for next time."""
    CSS_PATH = stylesheet("clients.tcss")
    BINDINGS = [
        *keys.bindings("tick", "delete", "new_agreement", "end_meeting"),
        *FieldKeys.FIELD_BINDINGS,
    ]

    def __init__(self, client: str, meeting: str | None = None) -> None:
        super().__init__()
        self.client_uid = client
        self.meeting_uid = meeting
        self._rows: list[list[dict[str, Any]]] = []
        self._timer: Timer | None = None
        self._lock = threading.Lock()
        self._notes_saved = ""
        self._pending: str | None = None
        self._ui_thread = threading.get_ident()

    def _find_meeting(self) -> ClientMeeting | None:
        ws = self.workspace
        if self.meeting_uid:
            return ws.get(ClientMeeting, self.meeting_uid)
        today = ws.today()
        planned = [
            m
            for m in ws.meetings_of(self.client_uid)
            if m.status.value == "planned" and m.date <= today
        ]
        return planned[-1] if planned else None

    def compose_body(self) -> ComposeResult:
        ws = self.workspace
        doc = ws.doc("client", self.client_uid) or {}
        meeting = self._find_meeting()
        if meeting is not None:
            self.meeting_uid = meeting.uid
            self._notes_saved = meeting.notes
        with Horizontal(id="meeting-top"):
            yield Static(
                cell(f"Meeting · {one_line(doc.get('name', '?'), 40)}"), id="meeting-title"
            )
            yield Static(Text("notes: nothing typed"), id="meeting-state")
        yield MarkedTable(id="agenda", show_header=False)
        with Vertical(id="meeting-lower"):
            yield Label("Notes", classes="field-label")
            yield TextArea(meeting.notes if meeting else "", id="meeting-notes", soft_wrap=True)
            with VerticalScroll(id="captured-box"):
                yield Static(Text("Agreements: none yet (e)"), id="captured")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one("#agenda", DataTable)
        table.add_column("", key="mark", width=3)
        table.add_column("Item", key="text")
        self._load_agenda()
        self._show_captured()
        table.focus()

    def context_client(self) -> str | None:
        return self.client_uid

    def handles_enter(self, field: Input) -> bool:
        return False

    def reload(self) -> None:
        self._load_agenda()

    # ---- agenda ------------------------------------------------------------------------

    def _load_agenda(self) -> None:
        items = [
            d
            for d in self.workspace.docs("agenda", client=self.client_uid)
            if d.get("status") == "open"
            or (self.meeting_uid and d.get("meeting") == self.meeting_uid)
        ]
        groups = agenda_topics(items)
        table = self.query_one("#agenda", DataTable)
        same = [g[0]["uid"] for g in groups] == [g[0]["uid"] for g in self._rows]
        self._rows = groups
        if same and table.row_count:  # only marks changed: update in place, cursor stays
            for group in groups:
                table.update_cell(group[0]["uid"], "mark", self._mark(group))
        else:
            keep = table.cursor_row
            table.clear()
            for group in groups:
                text = cell(one_line(group[0].get("text", ""), 300))
                if len(group) > 1:
                    text.append(f" (added {len(group)}×)", style="italic")
                table.add_row(self._mark(group), text, key=group[0]["uid"])
            if not groups:
                table.add_row(Text(""), Text("The agenda is empty: a adds an item."), key="-")
            elif keep >= 0:
                table.move_cursor(row=min(keep, len(groups) - 1))
        ticked = sum(topic_status(g) == "discussed" for g in groups)
        table.border_title = f"Agenda · {ticked}/{len(groups)} discussed"

    @staticmethod
    def _mark(group: list[dict[str, Any]]) -> Text:
        return Text(MARKS.get(topic_status(group), "[?]"))

    def _current_item(self) -> list[dict[str, Any]] | None:
        """The agenda topic under the cursor (all items added with that text)."""
        table = self.query_one("#agenda", DataTable)
        if self.focused is not table or not self._rows:
            return None
        row = table.cursor_row
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _ensure_meeting(self) -> str:
        if self.meeting_uid is None:
            ws = self.workspace
            self.meeting_uid = ws.plan_meeting(self.client_uid, ws.today()).uid
        return self.meeting_uid

    def _mark_topic(
        self, group: list[dict[str, Any]], status: AgendaStatus, meeting: str | None
    ) -> None:
        ws = self.workspace
        for doc in group:
            if doc.get("status") != status.value or doc.get("meeting") != meeting:
                ws.mark_agenda(doc["uid"], status, meeting)

    def action_tick(self) -> None:
        group = self._current_item()
        if group is None:
            return
        if topic_status(group) == "discussed":
            self._mark_topic(group, AgendaStatus.OPEN, None)
        else:
            self._mark_topic(group, AgendaStatus.DISCUSSED, self._ensure_meeting())
        self._load_agenda()

    def action_delete(self) -> None:
        group = self._current_item()
        if group is None:
            return
        if topic_status(group) == "dropped":
            self._mark_topic(group, AgendaStatus.OPEN, None)
            self._load_agenda()
            return

        def drop() -> None:
            self._mark_topic(group, AgendaStatus.DROPPED, self._ensure_meeting())
            self._load_agenda()

        text = one_line(group[0].get("text", ""), 60)
        self.pulse_app.confirm(f"Drop “{text}” from the agenda?", drop)

    def _settle_duplicates(self, meeting: str) -> None:
        """Items added (or synced in) with the text of a topic settled in this meeting
        share its fate, so the summary never lists one topic twice."""
        items = list(self.workspace.docs("agenda", client=self.client_uid))
        settled: dict[str, tuple[AgendaStatus, str]] = {}
        for doc in items:
            if doc.get("meeting") == meeting and doc.get("status") in ("discussed", "dropped"):
                settled.setdefault(
                    topic_key(doc.get("text", "")), (AgendaStatus(doc["status"]), meeting)
                )
        for doc in items:
            topic = settled.get(topic_key(doc.get("text", "")))
            if doc.get("status") == "open" and topic is not None:
                self.workspace.mark_agenda(doc["uid"], *topic)

    # ---- agreements --------------------------------------------------------------------

    def action_new_agreement(self) -> None:
        from pulsetui.tui.screens.agreement_modal import AgreementModal

        meeting = self._ensure_meeting()
        self.app.push_screen(
            AgreementModal(client=self.client_uid, meeting=meeting), self._captured
        )

    def _captured(self, result: Any) -> None:
        if result is not None:
            self._show_captured()

    def _show_captured(self) -> None:
        docs = (
            list(self.workspace.docs("agreement", meeting=self.meeting_uid))
            if self.meeting_uid
            else []
        )
        lines = [
            Text(
                f"Agreements captured: {len(docs)}" + ("" if docs else " (e adds one)"),
                style="bold",
            )
        ]
        for a in docs:
            whose = "ours" if a.get("side") == "us" else "theirs"
            due = f" due {a['due']}" if a.get("due") else ""
            owner = f" {one_line(a['owner'], 20)}" if a.get("owner") else ""
            lines.append(literal(f"• [{whose}{owner}{due}] {one_line(a.get('text', ''), 200)}"))
        self.query_one("#captured", Static).update(Text("\n").join(lines))

    # ---- notes -------------------------------------------------------------------------

    @on(TextArea.Changed, "#meeting-notes")
    def _notes_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._state("notes: editing…")
        self._timer = self.set_timer(NOTES_DELAY, self._autosave_notes)

    def _autosave_notes(self) -> None:
        self._timer = None
        if not self.is_live:
            return  # leaving: on_unmount saves what was typed
        text = self.query_one("#meeting-notes", TextArea).text
        if text == self._notes_saved:
            return
        self._pending = text
        self._save_notes()

    @work(thread=True, group="meeting-notes", exit_on_error=False)
    def _save_notes(self) -> None:
        self._commit_notes()

    def _commit_notes(self) -> None:
        with self._lock:
            text, self._pending = self._pending, None
            if text is None:
                return
            try:
                ws = self.workspace
                uid = self._ensure_meeting()
                ws.update(ClientMeeting, uid, notes=text)
            except Exception as exc:  # shown in the state line; the typed notes stay
                self._report(f"notes NOT saved: {one_line(exc, 50)}")
                return
            self._notes_saved = text
            self._report(f"notes saved {ws.now().strftime('%H:%M:%S')}")

    def _report(self, text: str) -> None:
        if threading.get_ident() == self._ui_thread:
            self._state(text)
        else:
            self.app.call_from_thread(self._state, text)

    def _flush_notes(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        notes = self.query("#meeting-notes")
        if notes:
            text = self.query_one("#meeting-notes", TextArea).text
            if text != self._notes_saved:
                self._pending = text
                self._commit_notes()

    def _state(self, text: str) -> None:
        for widget in self.query("#meeting-state"):
            if isinstance(widget, Static):
                widget.update(Text(text))

    def has_unsaved(self) -> bool:
        return self._timer is not None or self._pending is not None

    # ---- leaving -----------------------------------------------------------------------

    def action_back(self) -> None:
        table = self.query_one("#agenda", DataTable)
        if self.focused is not table:
            table.focus()
            return
        self._flush_notes()
        self.dismiss(None)

    def on_unmount(self) -> None:
        try:
            self._flush_notes()
        except Exception:  # the screen is going away; the last autosave stands
            return

    def action_end_meeting(self) -> None:
        self._flush_notes()
        ws = self.workspace
        uid = self._ensure_meeting()
        notes = self.query_one("#meeting-notes", TextArea).text
        try:
            self._settle_duplicates(uid)
            ws.hold_meeting(uid, date=ws.today(), notes=notes)
        except InvalidInput as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.app.push_screen(MeetingSummary(self.client_uid, uid), lambda _r: self.dismiss(uid))


class MeetingSummary(ModalHelp, BaseModal):
    """What the meeting produced, the next meeting, copy and export."""

    HELP_TITLE = "Meeting summary"

    HELP = """\
The meeting is held. Check the next meeting date (planned from the client's cadence; type
another such as 2026-12-04, fri or +2w) and press Enter in it to plan it.
y copies the summary to the clipboard; o writes it as Markdown to the file named below.
Esc closes the summary."""
    DEFAULT_CSS = """
    MeetingSummary { align: center middle; }
    MeetingSummary > Vertical {
        width: 90; max-width: 98%; height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    MeetingSummary #summary-text { height: 1fr; border: round $panel; }
    MeetingSummary #summary-text:focus { border: round $primary; }
    MeetingSummary .field-row { height: 1; }
    MeetingSummary .field-row > Label { width: 14; }
    MeetingSummary .field-row:focus-within > Label { text-style: bold reverse; }
    MeetingSummary .field-row > Input { width: 1fr; }
    MeetingSummary .field-error { color: $error; text-style: bold; padding-left: 14; }
    """
    BINDINGS = [
        *keys.bindings("back", "copy"),
        ModalHelp.HELP_BINDING,
        Binding("o", "export", "Export .md"),
    ]

    def __init__(self, client: str, meeting: str) -> None:
        super().__init__()
        self.client_uid = client
        self.meeting_uid = meeting
        self.next_date: dt.date | None = None
        self.planned_uid: str | None = None

    def _proposal(self) -> dt.date:
        ws = self.workspace
        doc = ws.doc("client", self.client_uid) or {}
        try:
            cadence = Cadence(doc.get("cadence", "quarterly"))
        except ValueError:
            cadence = Cadence.QUARTERLY
        upcoming = [
            m
            for m in ws.meetings_of(self.client_uid)
            if m.status.value == "planned" and m.date > ws.today()
        ]
        if upcoming:
            self.planned_uid = upcoming[0].uid
            return upcoming[0].date
        return ws.today() + dt.timedelta(days=CADENCE_DAYS[cadence])

    def compose(self) -> ComposeResult:
        ws = self.workspace
        self.next_date = self._proposal()
        doc = ws.doc("client", self.client_uid) or {}
        slug = (
            re.sub(r"[^a-z0-9]+", "-", str(doc.get("name", "client")).casefold()).strip("-")
            or "client"
        )
        path = Path.cwd() / f"meeting-{slug}-{ws.today().isoformat()}.md"
        with Vertical():
            yield Static(Text("Meeting held: summary", style="bold"))
            with VerticalScroll(id="summary-text", can_focus=True):
                yield Static(id="summary-body")
            with Horizontal(classes="field-row"):
                yield Label("Next meeting")
                yield Input(self.next_date.isoformat(), id="f-next", compact=True)
            yield Static("", id="err-next", classes="field-error")
            with Horizontal(classes="field-row"):
                yield Label("Export to")
                yield Input(str(path), id="f-path", compact=True)
            yield Static("", id="err-path", classes="field-error")
            yield Static(Text("Enter in Next meeting plans it · y copy · o export · Esc close"))

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self._render_summary()
        self.query_one("#summary-text").focus()

    def markdown(self) -> str:
        return summary_markdown(self.workspace, self.client_uid, self.meeting_uid, self.next_date)

    def _render_summary(self) -> None:
        planned = "planned" if self.planned_uid else "proposed: Enter in the field plans it"
        body = Text(self.markdown())
        body.append(f"\n(next meeting {planned})", style="italic")
        self.query_one("#summary-body", Static).update(body)

    def _error(self, name: str, message: str) -> None:
        if self.is_live:  # the export may finish after the summary was closed
            self.query_one(f"#err-{name}", Static).update(Text(f"✗ {message}") if message else "")

    @on(Input.Submitted, "#f-next")
    def _plan_next(self, event: Input.Submitted) -> None:
        ws = self.workspace
        try:
            day = parse_date(event.value, ws.today(), "next meeting")
            if day <= ws.today():
                raise InvalidInput.one("next meeting", "must be after today")
            if self.planned_uid is not None:
                ws.update(ClientMeeting, self.planned_uid, date=day)
            else:
                self.planned_uid = ws.plan_meeting(self.client_uid, day).uid
        except InvalidInput as exc:
            self._error("next", exc.problems[0].message if exc.problems else str(exc))
            return
        self._error("next", "")
        self.next_date = day
        self._render_summary()
        self.notify(f"Next meeting planned for {day.isoformat()}.", timeout=3)

    @on(Input.Submitted, "#f-path")
    def _export_submitted(self) -> None:
        self.action_export()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown())
        self.notify("Summary copied to the clipboard.", timeout=3)

    def action_export(self) -> None:
        raw = self.query_one("#f-path", Input).value.strip()
        if not raw:
            self._error("path", "name the file to write")
            return
        self._write(Path(raw).expanduser(), self.markdown())

    @work(thread=True, group="meeting-export", exit_on_error=False)
    def _write(self, path: Path, text: str) -> None:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.app.call_from_thread(self._error, "path", f"cannot write: {exc.strerror or exc}")
            return
        self.app.call_from_thread(self._error, "path", "")
        self.app.call_from_thread(self.notify, f"Written {path}", timeout=4, markup=False)
