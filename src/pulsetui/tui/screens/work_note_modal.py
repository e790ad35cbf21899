"""A work note for a client's weekly report: what the team did this week, plans next, or
sees as a risk with the proposed way out, worded for the client
(:func:`pulsetui.service.weekly.add_work_note`). Returns the note, or None when
cancelled."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from pulsetui.domain.enums import WorkKind
from pulsetui.domain.errors import InvalidInput
from pulsetui.service.weekly import add_work_note
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.form_drafts import DraftForm
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.literal import one_line
from pulsetui.tui.widgets.text_fields import TextInput

KINDS = [
    ("Done this week", WorkKind.DONE.value),
    ("Next", WorkKind.NEXT.value),
    ("Risk", WorkKind.RISK.value),
]
FIELDS = ("kind", "text", "way_out")


class WorkNoteModal(DraftForm, FieldKeys, ModalHelp, BaseModal):
    """Kind, text and (for a risk) the way out; Enter in the last field saves."""

    HELP_TITLE = "Work note"
    HELP = """\
A line for this client's weekly report, in this week: what the team did, what it plans
next, or a risk. A risk needs the proposed way out, written for the client to read
("We test with generated data meanwhile"). Tab moves between the fields; Enter in the
text or the way out saves, as does ctrl+s; Esc closes without saving and keeps what you
typed as a draft: the form opened again for the client shows it (F8 clears it)."""
    DEFAULT_CSS = """
    WorkNoteModal { align: center middle; }
    WorkNoteModal > Vertical {
        width: 76; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    WorkNoteModal .field-error { color: $error; text-style: bold; }
    WorkNoteModal Label { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [
        *keys.bindings("back", "save"),
        ModalHelp.HELP_BINDING,
        *FieldKeys.FIELD_BINDINGS,
        *DraftForm.DRAFT_BINDINGS,
    ]
    DRAFT_FIELDS = tuple(f"f-{name}" for name in FIELDS)

    def __init__(self, client: str, client_name: str) -> None:
        super().__init__()
        self.client_uid = client
        self.client_name = client_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Work note: {one_line(self.client_name, 50)}", style="bold"))
            yield Label("Kind")
            yield Choice(
                KINDS, id="f-kind", value=WorkKind.DONE.value, allow_blank=False, compact=True
            )
            yield Static("", id="err-kind", classes="field-error")
            yield Label("Text")
            yield TextInput(id="f-text", placeholder="what the client should read", compact=True)
            yield Static("", id="err-text", classes="field-error")
            yield Label("Way out (a risk)")
            yield TextInput(id="f-way_out", placeholder="what we propose to do", compact=True)
            yield Static("", id="err-way_out", classes="field-error")
            yield Static(Text("Enter or ctrl+s saves · Tab next field · Esc keeps a draft"))

    def draft_key(self) -> str:
        return f"work-note:{self.client_uid}"

    def on_mount(self) -> None:
        if self.is_live:
            self.restore_draft()
            self.query_one("#f-text", Input).focus()

    def action_back(self) -> None:
        self.close_keeping_draft()

    def has_unsaved(self) -> bool:
        return any(field.value.strip() for field in self.query(Input))

    @on(Select.Changed, "#f-kind")
    def _kind_chosen(self) -> None:
        self._show({})

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        self.when_typed_in(field, self.action_save)

    def action_save(self) -> None:
        kind = str(self.query_one("#f-kind", Select).value)
        text = self.query_one("#f-text", Input).value.strip()
        way_out = self.query_one("#f-way_out", Input).value.strip()
        errors: dict[str, str] = {}
        if not text:
            errors["text"] = "must not be empty"
        if kind == WorkKind.RISK.value and not way_out:
            errors["way_out"] = "a risk needs the way out we propose, worded for the client"
        if not errors:
            try:
                note = add_work_note(self.workspace, self.client_uid, kind, text, way_out)
            except InvalidInput as exc:
                for problem in exc.problems:
                    name = problem.field.split(".")[0]
                    shown = name if name in FIELDS else "text"
                    errors[shown] = problem.message if shown == name else str(exc)
            else:
                self.notify("Work note saved for the weekly report.", timeout=3)
                self.forget_draft()
                self.dismiss(note)
                return
        self._show(errors)

    def _show(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            message = errors.get(name, "")
            self.query_one(f"#err-{name}", Static).update(Text(f"✗ {message}") if message else "")
