"""Meeting mode, type-first: the notes have the focus from the start and keep it. The
agenda beside them is walked with chords — tick, drop, next item — and an agreement is
captured from the line the cursor is on (``+ Send the offer @Liisa fri`` fills the
form), and a wish or a touchpoint of the client is logged with its form the same way.
Nothing is written until the meeting has content; a meeting can be discarded;
ending it holds it and shows the summary. The meeting's rules are the service's
(:mod:`pulsetui.service.meetings`); its data is the meeting view."""

from __future__ import annotations

import datetime as dt
import threading

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Label, Static, TextArea

from pulsetui.domain.agreement_line import read_agreement_line
from pulsetui.domain.enums import AgendaStatus, RequestKind
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Agreement, Request, Touchpoint
from pulsetui.service import meetings
from pulsetui.service.meetings import MeetingDraft
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.meeting import AgendaTopic, MeetingView, meeting_view
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.meeting_summary import MeetingSummary
from pulsetui.tui.widgets.literal import cell, literal, one_line
from pulsetui.tui.widgets.marked_table import MarkedTable
from pulsetui.tui.widgets.state_text import StateText, say
from pulsetui.tui.widgets.text_fields import NoteArea

__all__ = ["MeetingScreen", "MeetingSummary"]

NOTES_DELAY = 0.5
MARKS = {"open": "[ ]", "discussed": "[x]", "dropped": "[-]", "mixed": "[~]"}
CHORDS = (
    "tick_item",
    "drop_item",
    "next_item",
    "previous_item",
    "agreement_from_line",
    "end_meeting",
    "wish_from_meeting",
    "touchpoint_from_meeting",
    "discard_meeting",
)


class MeetingScreen(BaseScreen):
    """Run a meeting with one client."""

    TITLE = "Meeting"
    WRITING = True
    HELP = """\
Type the notes: they have the focus and save themselves while you type. Letters are
always text here; the commands are chords that work from the notes:

ctrl+t ticks the agenda item marked ▶ as discussed (again to untick). ctrl+o drops it
(again to reopen it). ctrl+n (or ctrl+down) moves to the next item, ctrl+up back.
ctrl+g captures an agreement from the line the cursor is on: "+ Send the offer @Liisa
fri" fills in the text, the person and the due date; check it and press Enter. After
the form closes you are back in the notes, the cursor where it was.
F11 logs a wish or request of this client, F12 a touchpoint (a call, a case, an
article sent); the form opens over the notes and closing it brings you back to them.
F3 adds an agenda item. ctrl+f ends the meeting: it is held, and the summary
shows the agreements and the next meeting, ready to copy or export.
F9 discards the meeting (asks first): ticks undone, agreements captured in it deleted.
Esc leaves; the notes are kept and the meeting goes on when you come back. A meeting
left with nothing in it leaves no trace."""
    CSS_PATH = stylesheet("clients.tcss")
    BINDINGS = keys.bindings(*CHORDS)

    def __init__(self, client: str, meeting: str | None = None) -> None:
        super().__init__()
        self.client_uid = client
        self.meeting_uid = meeting
        self.draft = MeetingDraft(client)
        self._topics: tuple[AgendaTopic, ...] = ()
        self._view: MeetingView | None = None  # the agenda on screen
        self._asked = 0  # agenda reads asked for; only the latest one's answer is shown
        self._cursor = 0
        self._timer: Timer | None = None
        self._lock = threading.Lock()
        self._pending: str | None = None
        self._ui_thread = threading.get_ident()
        self._logged: list[Text] = []

    def compose_body(self) -> ComposeResult:
        ws = self.workspace
        self.draft = meetings.start_meeting(ws, self.client_uid, self.meeting_uid)
        self.meeting_uid = self.draft.meeting
        doc = ws.doc("client", self.client_uid) or {}
        with Horizontal(id="meeting-top"):
            yield Static(
                cell(f"Meeting · {one_line(doc.get('name', '?'), 40)}"), id="meeting-title"
            )
            saved = "notes: as saved before" if self.draft.notes.strip() else "notes: none yet"
            yield StateText(saved, id="meeting-state")
        table = MarkedTable(mark_unfocused=True, fill="text", id="agenda", show_header=False)
        table.can_focus = False  # the notes keep the focus: the agenda moves by chords
        yield table
        with Vertical(id="meeting-lower"):
            yield Label("Notes", classes="field-label")
            yield NoteArea(self.draft.notes, id="meeting-notes", soft_wrap=True)
            with VerticalScroll(id="captured-box"):
                yield Static(Text(""), id="captured")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one("#agenda", DataTable)
        table.add_column("", key="mark", width=3)
        table.add_column("Item", key="text")
        self._show_now()
        notes = self.query_one("#meeting-notes", TextArea)
        notes.focus()
        notes.move_cursor(notes.document.end)

    def context_client(self) -> str | None:
        return self.client_uid

    # ---- agenda and agreements -----------------------------------------------------------

    class AgendaRead(Message):
        """The agenda as read by a worker (``serial``: which read it answers)."""

        def __init__(self, view: MeetingView | None, serial: int) -> None:
            super().__init__()
            self.view = view
            self.serial = serial

    def reload(self) -> None:
        """Read the agenda again off the UI thread: the app calls this after every save
        and every sync that brought changes, while the notes are being typed."""
        self._asked += 1
        self._read_agenda(self.workspace, self.pulse_app.audience, self._asked)

    @work(thread=True, exclusive=True, group="meeting-agenda", exit_on_error=False)
    def _read_agenda(self, ws: Workspace, audience: Audience, serial: int) -> None:
        view = meeting_view(ws, audience, self.client_uid, self.draft.meeting)
        self.post_message(self.AgendaRead(view, serial))

    def on_meeting_screen_agenda_read(self, message: AgendaRead) -> None:
        if self.is_live and message.serial == self._asked:  # else a newer read is due
            self._show(message.view)

    def _show_now(self) -> None:
        """Read the agenda and show it at once: a key here changed it."""
        self._asked += 1  # a read still on its way is older than this one
        ws, audience = self.workspace, self.pulse_app.audience
        self._show(meeting_view(ws, audience, self.client_uid, self.draft.meeting))

    def _show(self, view: MeetingView | None) -> None:
        if view is None or view == self._view:
            return  # nothing the screen shows changed
        self._view = view
        same = [t.key for t in view.topics] == [t.key for t in self._topics]
        self._topics = view.topics
        table = self.query_one("#agenda", DataTable)
        if same and table.row_count:  # only marks changed: update in place
            for topic in view.topics:
                table.update_cell(topic.key, "mark", Text(MARKS.get(topic.status, "[?]")))
        else:
            table.clear()
            for topic in view.topics:
                text = cell(one_line(topic.text, 300))
                if len(topic.items) > 1:
                    text.append(f" (added {len(topic.items)}×)", style="italic")
                table.add_row(Text(MARKS.get(topic.status, "[?]")), text, key=topic.key)
            if not view.topics:
                table.add_row(Text(""), Text("The agenda is empty: F3 adds an item."), key="-")
        self._move(0)
        table.border_title = f"Agenda · {view.discussed}/{len(view.topics)} discussed"
        lines = [Text(f"Agreements captured: {len(view.agreements)} (ctrl+g)", style="bold")]
        for a in view.agreements:
            whose = "ours" if a.side == "us" else "theirs"
            due = f" due {a.due.isoformat()}" if a.due else ""
            owner = f" {one_line(a.owner, 20)}" if a.owner else ""
            lines.append(literal(f"• [{whose}{owner}{due}] {one_line(a.text, 200)}"))
        lines.extend(self._logged)
        self.query_one("#captured", Static).update(Text("\n").join(lines))

    def _move(self, step: int) -> None:
        if not self._topics:
            return
        self._cursor = (self._cursor + step) % len(self._topics)
        self.query_one("#agenda", DataTable).move_cursor(row=self._cursor)

    def _current(self) -> AgendaTopic | None:
        return self._topics[self._cursor] if 0 <= self._cursor < len(self._topics) else None

    def action_next_item(self) -> None:
        self._move(1)

    def action_previous_item(self) -> None:
        self._move(-1)

    def action_tick_item(self) -> None:
        topic = self._current()
        if topic is not None:
            meetings.tick_topic(self.workspace, self.draft, topic)
            self._written()

    def action_drop_item(self) -> None:
        topic = self._current()
        if topic is None:
            return
        if topic.status == AgendaStatus.DROPPED.value:
            meetings.reopen_topic(self.workspace, topic)
        else:
            meetings.drop_topic(self.workspace, self.draft, topic)
        self._written()

    def _written(self) -> None:
        self.meeting_uid = self.draft.meeting
        self._show_now()

    def action_agreement_from_line(self) -> None:
        from pulsetui.tui.screens.agreement_modal import AgreementModal

        notes = self.query_one("#meeting-notes", TextArea)
        row = notes.cursor_location[0]
        line = notes.document.get_line(row) if row < notes.document.line_count else ""
        ws = self.workspace

        def save(client: str, text: str, side: str, owner: str, due: dt.date | None) -> Agreement:
            return meetings.capture_agreement(ws, self.draft, text, side, owner, due)

        form = AgreementModal(
            client=self.client_uid,
            meeting=self.draft.meeting,
            prefill=read_agreement_line(line, ws.today()) if line.strip() else None,
            save=save,
        )
        self.app.push_screen(form, lambda result: self._written() if result else None)

    def action_log_wish(self) -> None:
        from pulsetui.tui.screens.forms.open import open_request_form

        self.flush()
        open_request_form(self.app, self.client_uid, then=self._logged_from_form)

    def action_log_touchpoint(self) -> None:
        from pulsetui.tui.screens.forms.open import open_touchpoint_form

        self.flush()
        open_touchpoint_form(self.app, self.client_uid, then=self._logged_from_form)

    def _logged_from_form(self, record: Request | Touchpoint | None) -> None:
        """Back from the wish or touchpoint form: what was logged is listed under the
        agreements; the notes have the focus again, the cursor where it was."""
        if not self.is_live:
            return
        if isinstance(record, Request):
            kind = "support request" if record.kind == RequestKind.SUPPORT else record.kind.value
            self._logged.append(literal(f"• {kind} logged: {one_line(record.text, 200)}"))
        elif isinstance(record, Touchpoint):
            who = f" with {one_line(record.contact, 30)}" if record.contact else ""
            self._logged.append(literal(f"• touchpoint logged{who}: {one_line(record.note, 200)}"))
        if record is not None:
            self._view = None  # the agenda may be the same; the lines below it are not
            self._show_now()
        self.query_one("#meeting-notes", TextArea).focus()

    # ---- notes ------------------------------------------------------------------------------

    @on(TextArea.Changed, "#meeting-notes")
    def _notes_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._state("notes: typing…")
        self._timer = self.set_timer(NOTES_DELAY, self._autosave_notes)

    def _autosave_notes(self) -> None:
        self._timer = None
        if not self.is_live:
            return  # leaving: on_unmount saves what was typed
        self._pending = self.query_one("#meeting-notes", TextArea).text
        self._save_notes()

    @work(thread=True, group="meeting-notes", exit_on_error=False)
    def _save_notes(self) -> None:
        self._commit_notes()

    def _commit_notes(self) -> None:
        # The state line is updated after the lock is let go: from a save worker that
        # waits for the UI thread, which may itself be waiting here to flush the notes.
        with self._lock:
            text, self._pending = self._pending, None
            if text is None:
                return
            ws = self.workspace
            try:
                saved = meetings.save_notes(ws, self.draft, text)
            except Exception as exc:  # shown in the state line; the typed notes stay
                outcome: str | None = f"notes NOT saved: {one_line(exc, 50)}"
            else:
                outcome = f"notes saved {ws.now().strftime('%H:%M:%S')}" if saved else None
        if outcome is not None:
            self._report(outcome)

    def _report(self, text: str) -> None:
        if threading.get_ident() == self._ui_thread:
            self._state(text)
        else:
            self.app.call_from_thread(self._state, text)

    def flush(self) -> None:
        """Save the notes as typed now."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for notes in self.query("#meeting-notes").results(TextArea):
            self._pending = notes.text
            self._commit_notes()

    def _state(self, text: str) -> None:
        say(self, "#meeting-state", text)

    def has_unsaved(self) -> bool:
        return self._timer is not None or self._pending is not None

    def keep_typed(self) -> None:
        self.flush()

    # ---- leaving ----------------------------------------------------------------------------

    def action_back(self) -> None:
        self.flush()
        meetings.leave_meeting(self.workspace, self.draft)
        self.dismiss(None)

    def on_unmount(self) -> None:
        try:
            self.flush()
            meetings.leave_meeting(self.workspace, self.draft)
        except Exception:  # the screen is going away; the last autosave stands
            return

    def action_discard_meeting(self) -> None:
        def discard() -> None:
            meetings.discard_meeting(self.workspace, self.draft)
            self.query_one("#meeting-notes", TextArea).load_text(self.draft.notes)
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self.dismiss(None)

        self.pulse_app.confirm(
            "Discard this meeting? Ticks and drops are undone, agreements captured in it "
            "are deleted and the notes go back to what they were.",
            discard,
            yes="Discard",
        )

    def action_end_meeting(self) -> None:
        self.flush()
        notes = self.query_one("#meeting-notes", TextArea).text
        try:
            end = meetings.end_meeting(self.workspace, self.draft, notes=notes)
        except InvalidInput as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.meeting_uid = end.meeting
        self.app.push_screen(MeetingSummary(end), lambda _r: self.dismiss(end.meeting))
