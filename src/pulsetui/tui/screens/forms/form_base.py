"""What every record form shares: a titled box that fits 80×24 with its save hint always
visible (the fields scroll, the hint does not), one row per field with its error right
below it, and the keyboard model of writing screens.

Keys: a printable key is text in the focused field (never a command); Tab / shift+Tab
and Enter move between fields as they arrive (keys typed behind them land in the next
field); space ticks a box; Enter on a choice opens it; ctrl+s saves; F1 helps; Esc
closes and keeps what was changed as a draft, shown when the same form opens again (F8
clears it; see :mod:`pulsetui.tui.screens.form_drafts`). A field that cannot be read
or breaks a rule shows why beside it, keeps what was typed and takes the focus.

A form builds its fields in :meth:`RecordForm.compose_fields` with :meth:`row` /
:meth:`pair`, reads them with :meth:`value`, and saves through one service call in
:meth:`RecordForm.save`, which raises ``InvalidInput`` naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea
from textual.widgets.input import Selection

from pulsetui.domain.dates import parse_date
from pulsetui.domain.errors import FieldProblem, InvalidInput
from pulsetui.service.drafts import load_draft
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import TAB_BINDINGS, FieldKeys
from pulsetui.tui.screens.form_drafts import DraftForm
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.literal import choices as choices  # the forms take it from here
from pulsetui.tui.widgets.literal import one_line

LABEL_WIDTH = 14

FORM_CSS = f"""
RecordForm {{ align: center middle; }}
RecordForm > #form {{
    width: 78; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 0 1;
}}
RecordForm #form-fields {{ height: auto; max-height: 1fr; }}
RecordForm #form-hint {{ dock: bottom; height: 2; padding-top: 1; color: $text-muted; }}
RecordForm .field-row {{ height: 1; }}
RecordForm .field-row > .field-label {{ width: {LABEL_WIDTH}; }}
RecordForm .field-row > .pair-label {{ width: {LABEL_WIDTH + 2}; padding-left: 2; }}
RecordForm .field-row:focus-within > .field-label {{ text-style: bold reverse; }}
RecordForm .field-row > Input, RecordForm .field-row > Select {{ width: 1fr; }}
RecordForm .field-row > Checkbox {{ width: 1fr; }}
RecordForm .field-error {{ color: $error; text-style: bold; height: auto;
    padding-left: {LABEL_WIDTH}; }}
RecordForm .field-error.-empty {{ display: none; }}
RecordForm .note {{ color: $text-muted; height: auto; }}
RecordForm .section {{ text-style: bold; margin-top: 1; height: 1; }}
RecordForm TextArea {{ height: 3; width: 1fr; }}
RecordForm .text-row {{ height: 3; }}
"""


class RecordForm(DraftForm, FieldKeys, ModalHelp, BaseModal):
    """A modal form for one record; dismisses with the saved record, or None."""

    HELP_TITLE = "Form"
    NOUN: ClassVar[str] = "record"
    HINT: ClassVar[str] = "ctrl+s save · Esc keeps a draft · F1 help"
    DEFAULT_CSS = FORM_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        *keys.bindings("back", "save"),
        ModalHelp.HELP_BINDING,
        *TAB_BINDINGS,
        Binding("enter", "field_entered", "Next field", show=False, priority=True),
        *DraftForm.DRAFT_BINDINGS,
    ]
    # the text fields where Enter saves (else it moves to the next field)
    SAVE_ON_ENTER: ClassVar[tuple[str, ...]] = ()

    def __init__(self, uid: str | None = None) -> None:
        super().__init__()
        self.uid = uid
        self._initial: dict[str, Any] | None = None
        self._problems: list[FieldProblem] = []
        self._carry: dict[Widget, Widget] = {}  # tick box -> where text typed on it goes
        self._named: dict[str, str] = {}  # field -> the label its error lines start with

    # ---- layout -------------------------------------------------------------------------

    def form_title(self) -> str:
        return self.NOUN.capitalize()

    def compose(self) -> ComposeResult:
        with Vertical(id="form") as box:
            box.border_title = Text(one_line(self.form_title(), 60))
            with VerticalScroll(id="form-fields"):
                yield from self.compose_fields()
                yield Static("", id="err-form", classes="field-error -empty")
            yield Static(Text(self.HINT), id="form-hint")

    def compose_fields(self) -> ComposeResult:
        """The form's rows (see :meth:`row` and :meth:`pair`)."""
        yield from ()

    def row(self, name: str, label: str, widget: Widget) -> ComposeResult:
        """One field: its label, the widget (id ``f-<name>``) and its error line."""
        widget.id = widget.id or f"f-{name}"
        classes = "field-row text-row" if isinstance(widget, TextArea) else "field-row"
        with Horizontal(classes=classes):
            yield Static(Text(label), classes="field-label")
            yield widget
        yield self.error_line(name)

    def pair(
        self, first: tuple[str, str, Widget], second: tuple[str, str, Widget]
    ) -> ComposeResult:
        """Two short fields side by side on one row, their errors below it (the second
        field's named, as it is not the one above them)."""
        with Horizontal(classes="field-row"):
            for index, (name, label, widget) in enumerate((first, second)):
                widget.id = widget.id or f"f-{name}"
                css = "field-label" if index == 0 else "pair-label"
                yield Static(Text(label), classes=css)
                yield widget
        yield self.error_line(first[0])
        yield self.error_line(second[0])
        self._named[second[0]] = second[1]

    @staticmethod
    def error_line(name: str) -> Static:
        return Static("", id=f"err-{name}", classes="field-error -empty")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.fill()
        self._initial = self.snapshot()
        self.take_baseline()
        self.restore_draft()
        first = self.first_focus()
        if first is not None:
            first.focus()

    def fill(self) -> None:
        """Put an edited record's values into the fields (called once, on mount)."""

    def first_focus(self) -> Widget | None:
        """The first field; on a new record the first one still to fill (empty text, a
        choice not made), so what is typed as the form opens goes where it is wanted —
        not into a date filled in already, nor lost on a choice that has its value."""
        fields = [
            widget
            for widget in self.query("#form-fields Input, #form-fields Select")
            if widget.display and widget.focusable
        ]
        for widget in fields if self.uid is None else ():
            if isinstance(widget, Input) and not widget.value:
                return widget
            if isinstance(widget, Select) and widget.value is Select.NULL:
                return widget
        return fields[0] if fields else None

    # ---- reading the fields -------------------------------------------------------------

    def widget(self, name: str) -> Widget:
        return self.query_one(f"#f-{name}")

    def has_field(self, name: str) -> bool:
        return bool(self.query(f"#f-{name}"))

    def value(self, name: str) -> Any:
        """What a field holds: text as typed, a choice's value (None when blank), a
        box's True/False."""
        return _value_of(self.widget(name))

    def text(self, name: str) -> str:
        return str(self.value(name) or "")

    def date(self, name: str, required: bool = False) -> dt.date | None:
        """A date field read as the agreement form reads dates (``2026-12-01``, ``fri``,
        ``+2w``); an unreadable one is noted as a problem of the field."""
        raw = self.text(name)
        if not raw.strip():
            if required:
                self._problems.append(FieldProblem(name, "must not be empty: give a date"))
            return None
        try:
            return parse_date(raw, self.workspace.today(), name)
        except InvalidInput as exc:
            self._problems.extend(exc.problems)
            return None

    def snapshot(self) -> dict[str, Any]:
        """Every field's value, to tell whether anything was changed."""
        return {
            str(widget.id): _value_of(widget)
            for widget in self.query(
                "#form-fields Input, #form-fields Select, "
                "#form-fields Checkbox, #form-fields TextArea"
            )
        }

    def has_unsaved(self) -> bool:
        return self._initial is not None and self.snapshot() != self._initial

    # ---- drafts -------------------------------------------------------------------------

    def draft_key(self) -> str:
        """One draft per form, record (or new one) and the client or consultant it is for."""
        about = [getattr(self, name, None) or "" for name in ("client_uid", "consultant_uid")]
        return ":".join([type(self).__name__, self.uid or "", *about]).rstrip(":")

    def pending_draft(self) -> dict[str, str]:
        """The draft this form will show (before its fields exist: to make room for it)."""
        if self.prefilled:
            return {}
        return load_draft(self.workspace, self.draft_key(), self.pulse_app.audience) or {}

    def _draft_widgets(self) -> dict[str, Any]:
        if self.DRAFT_FIELDS:
            return super()._draft_widgets()
        fields = "#form-fields Input, #form-fields Select, #form-fields Checkbox, "
        return {str(w.id): w for w in self.query(fields + "#form-fields TextArea") if w.id}

    def has_typed(self) -> bool:
        return self.has_unsaved()

    # ---- keys ---------------------------------------------------------------------------

    def action_field_entered(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.field_entered(focused, Input.Submitted(focused, focused.value))
        elif isinstance(focused, Checkbox):
            self.focus_next()
        else:
            raise SkipAction()  # a choice opens, a text area takes a new line

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        name = str(field.id or "").removeprefix("f-")
        if name in self.SAVE_ON_ENTER:
            self.when_typed_in(field, self.action_save)
        else:
            self.focus_next()

    def carry_typing(self, box: Widget, char: str) -> None:
        """A character typed while a tick box had the focus is not lost: it goes on in
        the next field one can type into after the box, which takes the focus."""
        target = self._carry.get(box)
        if target is None:
            order = list(self.focus_chain)
            after = order[order.index(box) + 1 :] if box in order else []
            later = [w for w in after if isinstance(w, Input | TextArea) and w.display]
            if not later:
                return
            target = self._carry[box] = later[0]
        if self.focused is box:
            self.set_focus(target)
        # queued behind the field's focus (which puts the cursor at its end): typed after it
        target.call_later(_type_at_end, target, char)

    def action_back(self) -> None:
        self.close_keeping_draft()

    # ---- saving -------------------------------------------------------------------------

    def save(self) -> Any:
        """Read the fields and save through the service; return the record saved.
        Raises ``InvalidInput`` naming the fields that cannot be saved as they are."""
        raise NotImplementedError

    def problems_so_far(self) -> None:
        """Raise the problems met while reading the fields, if any."""
        if self._problems:
            problems, self._problems = self._problems, []
            raise InvalidInput(problems)

    def action_save(self) -> None:
        if not self.is_live:
            return
        self._problems = []
        self.show_errors([])
        try:
            record = self.save()
        except InvalidInput as exc:
            self.show_errors(exc.problems)
            return
        self.forget_draft()
        self.dismiss(record)

    def error_slot(self, field: str) -> str:
        """The error line a problem of ``field`` (``contacts.1.name``) is shown on."""
        parts = field.split(".")
        while parts:
            name = "-".join(parts)
            if self.query(f"#err-{name}"):
                return name
            parts.pop()
        return "form"

    def show_errors(self, problems: list[FieldProblem]) -> None:
        shown: dict[str, list[str]] = {}
        for problem in problems:
            slot = self.error_slot(problem.field)
            if slot == "form":
                label = problem.field
            elif slot != problem.field.replace(".", "-"):
                label = problem.field.rsplit(".", 1)[-1]  # the contact's "name"
            else:
                label = self._named.get(slot, "")
            message = f"{label}: {problem.message}" if label else problem.message
            shown.setdefault(slot, []).append(message)
        for line in self.query(".field-error"):
            if not isinstance(line, Static):
                continue
            messages = shown.get(str(line.id).removeprefix("err-"), [])
            line.update(Text("\n".join(f"✗ {m}" for m in messages)) if messages else "")
            line.set_class(not messages, "-empty")
        for slot in shown:
            target = self.query(f"#f-{slot}")
            if target and target.first().focusable:
                target.first().focus()
                break


def _type_at_end(field: Widget, char: str) -> None:
    """Type ``char`` into a field as if typed there, after anything it holds."""
    if isinstance(field, Input):
        if not field.selection.is_empty:
            field.selection = Selection.cursor(len(field.value))
        field.insert_text_at_cursor(char)
    elif isinstance(field, TextArea):
        field.insert(char)


def _value_of(widget: Widget) -> Any:
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Checkbox):
        return widget.value
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    return None
