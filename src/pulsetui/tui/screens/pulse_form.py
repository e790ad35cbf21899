"""The pulse conversation form: structured check-in, private notes, follow-ups, autosave.

Typing never waits for the disk: every change restarts a short timer; when it fires the
valid fields are committed in a thread worker (the first save creates the conversation,
later ones update it) and "saved HH:MM:SS" appears only after the commit returned.
A field that does not validate shows its error beside it and keeps what was typed.
"""

from __future__ import annotations

import threading
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from pulsetui.domain.dates import parse_date
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import PulseConversation
from pulsetui.domain.pulse_content import has_content
from pulsetui.service import pulses
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.choices import consultant_choices
from pulsetui.service.views.consultants import placement
from pulsetui.service.views.pulses import FollowUpLine, open_follow_ups, pulse_form_view
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, show_part, stylesheet
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.pulse_fields import (
    ANSWERS,
    PULSE_HELP,
    TEXT_FIELDS,
    AnswerLabels,
    PulseSaved,
    PulseSaveFailed,
    answer_fields,
    error_height,
    error_line,
    error_text,
    read_score,
)
from pulsetui.tui.widgets import pulse_history_pane as history
from pulsetui.tui.widgets.line_list import LineList
from pulsetui.tui.widgets.literal import cell, literal, one_line
from pulsetui.tui.widgets.state_text import StateText, say
from pulsetui.tui.widgets.text_fields import NoteArea, TextInput

ANSWER_NAMES = tuple(name for name, _label in ANSWERS)
AUTOSAVE_DELAY = 0.5  # seconds of quiet before a save; the commit itself takes milliseconds


class PulseForm(FieldKeys, history.HistorySteps, BaseScreen):
    """One pulse conversation with one consultant (asks which one if none is given)."""

    TITLE = "Pulse conversation"
    HELP = PULSE_HELP
    CSS_PATH = stylesheet("consultants.tcss")
    WRITING = True
    # the first answer has the focus as the form is built, so a key typed as it opens
    # lands there (and the form's scroll box never takes the focus first: the form was
    # restyled as it took the focus and again as it lost it, about 45 ms at firm-5y);
    # in a call, the conversation hidden, nothing has it
    AUTO_FOCUS = "#pulse-body.-shown #f-wellbeing"
    BINDINGS = [
        *keys.bindings("save", "tick_line", "remove_line"),
        *history.HISTORY_BINDINGS,
        *FieldKeys.FIELD_BINDINGS,
    ]

    def __init__(self, consultant: str | None = None, pulse: str | None = None) -> None:
        super().__init__()
        self.consultant_uid = consultant
        self.pulse_uid: str | None = pulse
        self._created = False  # this form created the conversation (dropped if emptied)
        self._timer: Timer | None = None
        self._save_lock = threading.Lock()
        self._pending: dict[str, Any] | None = None
        self._last_saved: dict[str, Any] = {}
        self._follow_ups: list[dict[str, Any]] = []
        self._carried_items: list[tuple[str, int, str, str]] = []
        self._saved_at = ""
        self._ready = False
        self._opened_with: dict[str, Any] = {}  # the fields as the form opened
        self.error_fields: dict[str, str] = {}
        self._errors_shown: dict[str, str] = {}  # the message under each field now
        self._name: str | None = None  # the consultant's name, read with the form

    # ---- building ------------------------------------------------------------------

    def _title(self) -> Text:
        """The consultant's name, when the audience may see who it is."""
        audience = self.pulse_app.audience
        if audience.sees_private and self._name is not None:
            name = self._name  # read with the form: no need to read every pulse again
        else:  # a call: the view names the consultant only if placed at the client in view
            uid = self.consultant_uid or ""
            name = pulse_form_view(self.workspace, audience, uid, self.pulse_uid).name
        return cell(f"Pulse · {one_line(name or 'a consultant', 40)}")

    def compose_body(self) -> ComposeResult:
        if self.consultant_uid is None:
            yield Static("Choose a consultant…", id="pulse-title", markup=False)
            return
        ws = self.workspace
        # the form edits the manager's own record: read as theirs, hidden in a call
        view = pulse_form_view(ws, Audience.manager(ws.me), self.consultant_uid, self.pulse_uid)
        self._name = view.name
        pulse = view.current
        self.pulse_uid = pulse.uid if pulse is not None else None
        self._follow_ups = [
            {"text": f.text, "done": f.done, "done_on": f.done_on and f.done_on.isoformat()}
            for f in (pulse.follow_ups if pulse else ())
        ]
        # built as it is shown (in a call: hidden), so nothing changes once laid out
        shown = self.pulse_app.audience.sees_private
        with Horizontal(id="pulse-top"):
            yield Static(self._title(), id="pulse-title")
            yield StateText("opened" if pulse else "new: saved when you type", id="save-state")
        hidden = Static(
            "This pulse conversation is private to you: hidden in call mode (F2 ends it).",
            id="pulse-hidden",
            markup=False,
        )
        hidden.display = not shown
        yield hidden
        body = Horizontal(id="pulse-body", classes="-shown" if shown else "")
        body.display = shown
        with body:
            with VerticalScroll(id="pulse-form"):
                # the first answer has the focus as it opens (AUTO_FOCUS), when shown
                yield from answer_fields(pulse, ws.today(), "wellbeing" if shown else None)
                with Vertical(id="notes-box"):
                    yield Label("Notes (private)", classes="field-label")
                    yield NoteArea(pulse.notes if pulse else "", id="f-notes", soft_wrap=True)
                notes_hidden = Static("Notes hidden in call mode.", id="notes-hidden", markup=False)
                notes_hidden.display = False
                yield notes_hidden
                yield Label("Follow-ups I promise", classes="field-label")
                promised = LineList(*self._follow_up_lines(), id="follow-ups", compact=True)
                promised.display = bool(self._follow_ups)  # Tab skips an empty list
                yield promised
                yield TextInput(
                    id="f-follow-up", compact=True, placeholder="a promise; Enter adds it"
                )
                yield error_line("follow_ups")
            yield from history.past_column(
                self.consultant_uid,
                lambda: self.pulse_uid,
                self._carried_list(view.open_follow_ups),
            )

    def on_mount(self) -> None:
        if not self.is_live:
            return
        if self.consultant_uid is None:
            self.call_after_refresh(self._ask_consultant)
            return
        if self._follow_ups:
            self.query_one("#follow-ups", OptionList).highlighted = 0
        self.watch(self.app, "call_mode", self._apply_call_mode, init=False)
        self._opened_with = self._snapshot()[0]
        self._last_saved = self._opened_with if self.pulse_uid else {}
        if self.focused is None and self.pulse_app.audience.sees_private:
            self.query_one("#f-wellbeing", Input).focus()  # the consultant chosen now
        self.call_after_refresh(self._set_ready)

    def _ask_consultant(self) -> None:
        from pulsetui.tui.screens.record_picker import RecordPicker

        if not self.is_live:
            return

        choices = consultant_choices(self.workspace, self.pulse_app.audience)
        options = [(c.name, c.uid) for c in choices]

        async def chosen(uid: str | None) -> None:
            if uid is None:
                self.dismiss(None)
                return
            self.consultant_uid = uid
            await self.recompose()
            self.on_mount()

        self.app.push_screen(RecordPicker("Pulse conversation with…", options), chosen)

    def _set_ready(self) -> None:
        """From now on a change is a change the manager made (filling the fields as the
        form opened is not); one typed before this is saved as any other."""
        self._ready = True
        if self.is_live and self._snapshot()[0] != self._opened_with:
            self._changed()

    def _apply_call_mode(self, _on: bool) -> None:
        """The whole conversation is private: for an audience that may not see it (a
        call) none of it is shown (what was typed stays in the form and is saved)."""
        on = not self.pulse_app.audience.sees_private
        self.query_one("#pulse-title", Static).update(self._title())
        self.query_one("#notes-box").display = not on
        self.query_one("#notes-hidden").display = on
        body = self.query_one("#pulse-body")
        body.set_class(not on, "-shown")
        show_part(self, body, not on)
        self.query_one("#pulse-hidden").display = on
        if not on and self.focused is None and self._ready:  # opened during the call
            self.query_one("#f-wellbeing", Input).focus()

    def _follow_up_lines(self) -> list[Text]:
        return [
            cell(("[x] " if item.get("done") else "[ ] ") + one_line(item["text"], 200))
            for item in self._follow_ups
        ]

    def _render_follow_ups(self) -> None:
        view = self.query_one("#follow-ups", OptionList)
        index = view.highlighted
        view.set_options(self._follow_up_lines())
        # an empty list takes no room and no focus: Tab goes on to the next field
        view.display = bool(self._follow_ups)
        if self._follow_ups:
            view.highlighted = min(index or 0, len(self._follow_ups) - 1)

    def _carried_list(self, lines: tuple[FollowUpLine, ...]) -> OptionList:
        """The promises still open from earlier conversations, as read with the form."""
        view = LineList(*self._carried_options(lines), id="carried", compact=True, one_line=True)
        view.can_focus = bool(self._carried_items)  # Tab skips an empty list
        return view

    def _carried_options(self, lines: tuple[FollowUpLine, ...]) -> list[Option]:
        self._carried_items = [
            (line.pulse, line.index, line.text, line.promised.isoformat()) for line in lines
        ]
        if not self._carried_items:
            return [Option("(none open)", disabled=True)]
        return [
            Option(literal(f"{day} {one_line(text, 300)}"))
            for _u, _i, text, day in self._carried_items
        ]

    def _render_carried(self) -> None:
        """Read the promises still open from earlier conversations again (after one was
        closed here)."""
        view = self.query_one("#carried", OptionList)
        was = view.highlighted or 0
        ws = self.workspace
        manager = Audience.manager(ws.me)
        lines = open_follow_ups(ws, manager, self.consultant_uid or "", self.pulse_uid)
        view.set_options(self._carried_options(lines))
        view.can_focus = bool(self._carried_items)
        if not self._carried_items:
            if view.has_focus:  # the last one closed: the focus goes where promises are typed
                self.query_one("#f-follow-up", Input).focus()
        else:
            view.highlighted = min(was, len(self._carried_items) - 1)

    # ---- collecting and saving --------------------------------------------------------

    def _snapshot(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The fields that validate, and an error per field that does not."""
        ws = self.workspace
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        readers = {
            "date": lambda raw: parse_date(raw, ws.today(), "date").isoformat(),
            "wellbeing": lambda raw: read_score(raw, "wellbeing"),
            "fit": lambda raw: read_score(raw, "fit"),
        }
        for name, read in readers.items():
            raw = self.query_one(f"#f-{name}", Input).value
            try:
                values[name] = read(raw)
            except InvalidInput as exc:
                errors[name] = exc.for_field(name) or str(exc)
        workload = self.query_one("#f-workload", Select).value
        values["workload"] = None if workload is Select.NULL else workload
        for name in TEXT_FIELDS:
            values[name] = self.query_one(f"#f-{name}", Input).value
        values["notes"] = self.query_one("#f-notes", TextArea).text
        values["follow_ups"] = [dict(item) for item in self._follow_ups]
        return values, errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Each error under its field, the answers' labels leaving room for it."""
        self.error_fields = errors
        for line in self.query(".field-error").results(Static):
            name = (line.id or "").removeprefix("err-")
            message = errors.get(name, "")
            if self._errors_shown.get(name, "") != message:  # else no layout at a save
                self._errors_shown[name] = message
                line.update(error_text(message) if message else "")
            if line.display != bool(message):
                line.display = bool(message)
        self._mark_answer()

    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    def _mark_answer(self) -> None:
        """The focused answer's label reversed; room beside the fields for their errors."""
        labels = self.query_one_optional(AnswerLabels)
        if labels is None:
            return
        focused = next(
            (
                name
                for node in (self.focused.ancestors_with_self if self.focused else ())
                if (name := (node.id or "").removeprefix("f-")) in ANSWER_NAMES
            ),
            None,
        )
        width = self.query_one("#answer-fields").size.width
        console = self.app.console
        lines = {
            name: error_height(self.error_fields[name], width, console)
            for name in ANSWER_NAMES
            if self.error_fields.get(name)
        }
        labels.show(focused, lines)

    def on_resize(self) -> None:
        if self.error_fields:  # an error's lines change with the width
            self.call_after_refresh(self._mark_answer)

    def _changed(self) -> None:
        if not self._ready:
            return
        self._set_state("editing…")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)

    def _autosave(self) -> None:
        self._timer = None
        if not self.is_live:
            return  # leaving: on_unmount saves what was typed
        values, errors = self._snapshot()
        self._show_errors(errors)
        if not any(self._last_saved.get(k) != v for k, v in values.items()):
            self._set_state(f"saved {self._saved_at}" if self._saved_at else "no changes")
            return
        if self.pulse_uid is None and not has_content(values):
            self._set_state("new: saved when you type")
            return
        self._pending = values
        self._set_state("saving…")
        self._save_worker()

    @work(thread=True, group="pulse-autosave", exit_on_error=False)
    def _save_worker(self) -> None:
        self._commit_pending()

    def _commit_pending(self) -> None:
        """Commit the latest snapshot; saves run one at a time so the first one creates."""
        with self._save_lock:
            values, self._pending = self._pending, None
            if values is None:
                return
            ws = self.workspace
            try:
                if self.pulse_uid is None:
                    record = ws.add_pulse(self.consultant_uid or "", **values)
                    self.pulse_uid, self._created = record.uid, True
                else:
                    changes = {k: v for k, v in values.items() if self._last_saved.get(k) != v}
                    ws.update(PulseConversation, self.pulse_uid, **changes)
            except Exception as exc:  # shown beside the fields; the typed text stays
                self.post_message(PulseSaveFailed(exc))
                return
            self._last_saved = values
            self.post_message(PulseSaved(self.pulse_uid, ws.now().strftime("%H:%M:%S"), values))

    def flush(self) -> None:
        """Save whatever is typed right now (on leaving the form)."""
        if self.consultant_uid is None or not self.is_mounted:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        try:
            values, _errors = self._snapshot()
        except Exception:  # widgets already gone
            return
        differs = any(self._last_saved.get(k) != v for k, v in values.items())
        if differs and (self.pulse_uid is not None or has_content(values)):
            self._pending = values
            self._commit_pending()
        with self._save_lock:  # created here, then emptied: it was not held
            uid = self.pulse_uid if self._created and not has_content(values) else None
            if uid and pulses.drop_if_empty(self.workspace, uid):
                self.pulse_uid, self._created, self._last_saved = None, False, {}

    def has_unsaved(self) -> bool:
        return self._timer is not None or self._pending is not None

    def on_pulse_saved(self, message: PulseSaved) -> None:
        self._saved_at = message.at
        if not self.has_unsaved():  # typed since: still "editing…" until that is saved
            self._set_state(f"saved {message.at}")

    def on_pulse_save_failed(self, message: PulseSaveFailed) -> None:
        error = message.error
        if isinstance(error, InvalidInput):
            errors = dict(self.error_fields)
            for problem in error.problems:
                errors[problem.field.split(".")[0]] = problem.message
            self._show_errors(errors)
            self._set_state("NOT saved: see the marked field")
        else:
            self._set_state(f"NOT saved: {one_line(error, 60)}")

    def _set_state(self, text: str) -> None:
        say(self, "#save-state", text)

    # ---- events ------------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id not in ("f-follow-up", "picker-filter"):
            self._changed()

    @on(TextArea.Changed)
    def _notes_changed(self) -> None:
        self._changed()

    @on(Select.Changed)
    def _workload_changed(self) -> None:
        self._changed()

    @on(Input.Submitted, "#f-follow-up")
    def _add_follow_up(self, event: Input.Submitted) -> None:
        event.stop()
        self._add_typed_follow_up(event.input)

    def _add_typed_follow_up(self, field: Input) -> None:
        text = field.value.strip()
        if not text:
            self._show_errors({**self.error_fields, "follow_ups": "type the promise first"})
            return
        self._follow_ups.append({"text": text, "done": False, "done_on": None})
        field.value = ""
        errors = {k: v for k, v in self.error_fields.items() if k != "follow_ups"}
        self._show_errors(errors)
        self._render_follow_ups()
        self._changed()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id != "f-follow-up":
            self.focus_next()

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        if field.id == "f-follow-up":  # added once the keys typed before Enter are in
            self.when_typed_in(field, lambda: self._add_typed_follow_up(field))
        else:
            self.focus_next()

    # ---- actions -----------------------------------------------------------------------

    def context_consultant(self) -> str | None:
        return self.consultant_uid

    def context_client(self) -> str | None:  # where the consultant works today (F4: NPS)
        placed = placement(self.workspace, self.consultant_uid or "", self.workspace.today())
        client = placed.client if placed is not None else None
        return client if self.pulse_app.audience.sees_client(client) else None

    def action_save(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._autosave()

    def action_back(self) -> None:
        self.keep_typed()
        self.dismiss(self.pulse_uid)

    def on_unmount(self) -> None:
        self.flush()

    def keep_typed(self) -> None:
        for pending in self.query("#f-follow-up").results(Input):  # typed, not added yet
            if pending.value.strip() and self._ready:
                self._add_typed_follow_up(pending)
        self.flush()

    def _focused_list(self) -> OptionList | None:
        focused = self.focused
        return focused if isinstance(focused, OptionList) else None

    def action_tick_item(self) -> None:
        view = self._focused_list()
        at = view.highlighted if view is not None else None
        if view is None or at is None:
            return
        if view.id == "follow-ups" and at < len(self._follow_ups):
            item = self._follow_ups[at]
            item["done"] = not item.get("done")
            item["done_on"] = self.workspace.today().isoformat() if item["done"] else None
            self._render_follow_ups()
            self._changed()
        elif view.id == "carried" and at < len(self._carried_items):
            pulse_uid, index, _text, _day = self._carried_items[at]
            try:
                self.workspace.close_follow_up(pulse_uid, index)
            except InvalidInput as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self._render_carried()
            self.query_one(history.PulseHistoryPane).reload()  # what became of it, there too
            self.notify("Follow-up closed.", timeout=2)

    def action_delete(self) -> None:
        view = self._focused_list()
        position = view.highlighted if view is not None else None
        if view is None or view.id != "follow-ups" or position is None:
            return
        if position >= len(self._follow_ups):
            return
        text = self._follow_ups[position]["text"]

        def remove() -> None:
            if position < len(self._follow_ups):
                del self._follow_ups[position]
                self._render_follow_ups()
                self._changed()

        self.pulse_app.confirm(f"Remove the follow-up “{one_line(text, 60)}”?", remove)
