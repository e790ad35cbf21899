"""New agenda item for a client's backlog, from any screen in one keystroke (``a``).
Returns the created :class:`AgendaItem`, or None when cancelled."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.meetings import on_agenda
from pulsetui.service.views.choices import client_choices
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.form_drafts import DraftForm
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.literal import choices, one_line
from pulsetui.tui.widgets.text_fields import TextInput


class AgendaModal(DraftForm, FieldKeys, ModalHelp, BaseModal):
    """Client (asked only when none is in context) and the item's text; Enter saves."""

    HELP_TITLE = "New agenda item"

    HELP = """\
Adds an item to a client's agenda backlog. Items stay open — and carry over from meeting to
meeting — until they are ticked as discussed or dropped in meeting mode.
Enter saves. Esc closes and keeps what you typed as a draft: the form opened again for
the same client shows it (F8 clears it)."""
    DEFAULT_CSS = """
    AgendaModal { align: center middle; }
    AgendaModal > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    AgendaModal .field-error { color: $error; text-style: bold; }
    AgendaModal Label { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [
        *keys.bindings("back", "save"),
        ModalHelp.HELP_BINDING,
        *FieldKeys.FIELD_BINDINGS,
        *DraftForm.DRAFT_BINDINGS,
    ]

    DRAFT_FIELDS = ("f-client", "f-text")

    def __init__(self, client: str | None = None, text: str = "") -> None:
        super().__init__()
        self.client_uid = client
        self.text = text
        self.prefilled = bool(text)

    def draft_key(self) -> str:
        return f"agenda:{self.client_uid or '-'}"

    def action_back(self) -> None:
        self.close_keeping_draft()

    def compose(self) -> ComposeResult:
        ws = self.workspace
        with Vertical():
            yield Static(Text("New agenda item", style="bold"))
            doc = ws.doc("client", self.client_uid) if self.client_uid else None
            if doc is not None:
                yield Static(Text(f"Client: {one_line(doc.get('name', ''), 50)}"), id="client-name")
            else:
                offered = client_choices(ws, self.pulse_app.audience)
                options = choices(((c.name, c.uid) for c in offered), 50)
                yield Label("Client")
                yield Choice(options, id="f-client", prompt="choose a client (Enter)", compact=True)
                yield Static("", id="err-client", classes="field-error")
            yield Label("Item")
            yield TextInput(self.text, id="f-text", placeholder="what to talk about", compact=True)
            yield Static("", id="err-text", classes="field-error")
            yield Static(Text("Enter saves · Esc keeps a draft"), classes="hint")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.restore_draft()
        if self.query("#f-client") and self.query_one("#f-client", Select).value is Select.NULL:
            self.query_one("#f-client", Select).focus()
        else:
            self.query_one("#f-text", Input).focus()

    def has_unsaved(self) -> bool:
        return self.has_typed()

    @on(Select.Changed, "#f-client")
    def _client_chosen(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            self.query_one("#err-client", Static).update("")
            self.query_one("#f-text", Input).focus()

    @on(Input.Submitted, "#f-text")
    def _submitted(self) -> None:
        self.action_save()

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        self.when_typed_in(field, self.action_save)  # keys behind wait for the save

    def action_save(self) -> None:
        client = self.client_uid
        if self.query("#f-client"):
            chosen = self.query_one("#f-client", Select).value
            client = None if chosen is Select.NULL else str(chosen)
        errors: dict[str, str] = {}
        text = self.query_one("#f-text", Input).value
        if not client:
            errors["client"] = "choose the client first"
        if not text.strip():
            errors["text"] = "must not be empty"
        elif client and on_agenda(self.workspace, client, text):
            errors["text"] = "already on this client's agenda backlog"
        if not errors:
            try:
                item = self.workspace.add_agenda_item(client or "", text.strip())
            except InvalidInput as exc:
                errors = {p.field.split(".")[0]: p.message for p in exc.problems}
            else:
                self.forget_draft()
                self.dismiss(item)
                return
        for name in ("client", "text"):
            for widget in self.query(f"#err-{name}"):
                if isinstance(widget, Static):
                    message = errors.get(name, "")
                    widget.update(Text(f"✗ {message}") if message else "")
