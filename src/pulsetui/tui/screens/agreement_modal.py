"""Capturing an agreement in one keystroke: text, our side or theirs, person, due typed
as ``fri``, ``+2w``, ``4.12.`` or ``2026-12-01``. (An agreement's own dialog, where it
is corrected and marked done, broken or cancelled, is
:mod:`pulsetui.tui.screens.agreement_detail`.)"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from pulsetui.domain.agreement_line import AgreementLine
from pulsetui.domain.agreements import due_to_confirm
from pulsetui.domain.dates import parse_date
from pulsetui.domain.enums import AgreementStatus, Side
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Agreement
from pulsetui.service.views.choices import client_choices
from pulsetui.service.views.people import Person, people_for, person_named
from pulsetui.tui import keys
from pulsetui.tui.lifecycle import still_live
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.form_drafts import DraftForm
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.literal import choices, literal, one_line
from pulsetui.tui.widgets.people_field import PeopleSuggester
from pulsetui.tui.widgets.text_fields import TextInput

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical, {name} > VerticalScroll {{
    width: 76; max-width: 98%; height: auto; max-height: 98%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} .field-row {{ height: 1; margin-top: 1; }}
{name} .field-row > Label {{ width: 9; }}
{name} .field-row:focus-within > Label {{ text-style: bold reverse; }}
{name} .field-row > Input, {name} .field-row > Select {{ width: 1fr; }}
{name} .field-error {{ color: $error; text-style: bold; padding-left: 9; }}
{name} .hint {{ color: $text-muted; margin-top: 1; }}
"""

SIDE_CHOICES = [
    ("ours (we do it)", Side.US.value),
    ("theirs (the client does it)", Side.CLIENT.value),
]
STATUS_CHOICES = [
    ("done", AgreementStatus.DONE.value),
    ("broken", AgreementStatus.BROKEN.value),
    ("cancelled", AgreementStatus.CANCELLED.value),
    ("open again", AgreementStatus.OPEN.value),
]


def owner_hint(people: list[Person], typed: str) -> Text:
    """Who a typed name means and whose side they are on, or that it is a new name."""
    person = person_named(people, typed)
    if person is None:
        return Text("a new name" if typed.strip() else "")
    whose = "the client's contact" if person.side == Side.CLIENT.value else "one of us"
    return literal(f"→ {person.name} ({whose})")


def _row(name: str, label: str, widget: object) -> ComposeResult:
    with Horizontal(classes="field-row"):
        yield Label(label)
        yield widget  # type: ignore[misc]
    yield Static("", id=f"err-{name}", classes="field-error")


def ask_about_due(form: BaseModal, why: str, save: Callable[[], object]) -> None:
    """Ask before saving a due date that is likely a typo (in the past, or more than a
    year ahead: :func:`~pulsetui.domain.agreements.due_to_confirm`). Yes saves; no
    writes nothing, says why beside the due field and puts the cursor back in it."""
    from pulsetui.tui.screens.confirm import ConfirmModal

    def answered(yes: object) -> None:
        if not still_live(form):
            return
        if yes:
            save()
            return
        line = form.query_one("#err-due", Static)
        line.update(Text(f"✗ not saved: {why}"))
        form.query_one("#f-due", Input).focus()

    question = f"Due date: {why}. Save it?"
    form.app.push_screen(ConfirmModal(question, yes="Save", no="Back to it"), answered)


def _show_errors(screen: BaseModal, names: tuple[str, ...], errors: dict[str, str]) -> None:
    for name in names:
        for widget in screen.query(f"#err-{name}"):
            if isinstance(widget, Static):
                message = errors.get(name, "")
                widget.update(Text(f"✗ {message}") if message else "")


class AgreementModal(DraftForm, FieldKeys, ModalHelp, BaseModal):
    """Capture an agreement; returns the created :class:`Agreement` or None."""

    HELP_TITLE = "New agreement"

    HELP = """\
Log what was agreed: the text, whose it is (ours or the client's), the person who owns it
(the client's contacts and our colleagues complete as you type; "Pekka" is Pekka Kuusinen
when only one person is meant, and whose it is follows from them; a new name can be
typed too) and the due date — 2026-12-01, 4.12., fri (the next Friday), next fri (Friday next
week), +3d, +2w, +1m, tomorrow.
Tab moves between fields; Enter in the last field or ctrl+s saves. Esc closes and keeps
what you typed as a draft: the form opened again for the same client shows it (F8 clears
it).
A field that cannot be read shows why beside it and keeps what you typed.
Opened from meeting notes (ctrl+g), the form is filled from the line the cursor is on:
"+ Send the offer @Liisa fri" gives the text, the person and the due date; what you
change there and leave with Esc is that line's draft."""
    # the error line below each row spaces the rows: fits 60×20 with its save hint
    DEFAULT_CSS = MODAL_CSS.format(name="AgreementModal") + (
        "AgreementModal .field-row { margin-top: 0; } AgreementModal .hint { margin-top: 0; }"
    )
    BINDINGS = [
        *keys.bindings("back", "save"),
        ModalHelp.HELP_BINDING,
        *FieldKeys.FIELD_BINDINGS,
        *DraftForm.DRAFT_BINDINGS,
    ]
    FIELDS = ("client", "text", "side", "owner", "due")
    DRAFT_FIELDS = ("f-client", "f-text", "f-side", "f-owner", "f-due")

    def __init__(
        self,
        client: str | None = None,
        meeting: str | None = None,
        prefill: AgreementLine | None = None,
        save: Callable[[str, str, str, str, dt.date | None], Agreement] | None = None,
    ) -> None:
        super().__init__()
        self.client_uid = client
        self.meeting_uid = meeting
        self.prefill = prefill
        self._save = save

    def draft_key(self) -> str:
        """One draft per client and meeting, and one per line of notes the form was
        filled from (each line's agreement is a draft of its own)."""
        key = f"agreement:{self.client_uid or '-'}:{self.meeting_uid or '-'}"
        line = self.prefill
        if line is not None:
            digest = hashlib.sha256("\x1f".join((line.text, line.owner, line.due)).encode())
            key += f":line-{digest.hexdigest()[:16]}"
        return key

    def compose(self) -> ComposeResult:
        ws = self.workspace
        with Vertical():
            doc = ws.doc("client", self.client_uid) if self.client_uid else None
            title = "New agreement"
            if doc is not None:
                title += f" with {one_line(doc.get('name', ''), 40)}"
            yield Static(Text(title, style="bold"), id="agreement-title")
            if doc is None:
                offered = client_choices(ws, self.pulse_app.audience)
                options = choices(((c.name, c.uid) for c in offered), 50)
                yield from _row(
                    "client",
                    "Client",
                    Choice(options, id="f-client", prompt="choose (Enter)", compact=True),
                )
            yield from _row(
                "text",
                "Agreed",
                TextInput(id="f-text", compact=True, placeholder="what was agreed"),
            )
            yield from _row(
                "side",
                "Whose",
                Choice(
                    SIDE_CHOICES, id="f-side", value=Side.US.value, allow_blank=False, compact=True
                ),
            )
            self._people = people_for(ws, self.pulse_app.audience, self.client_uid)
            yield from _row(
                "owner",
                "Person",
                TextInput(
                    id="f-owner",
                    compact=True,
                    placeholder="who owns it (a contact or a colleague, or a new name)",
                    suggester=PeopleSuggester(self._people),
                ),
            )
            yield Static("", id="owner-hint", classes="hint")
            yield from _row(
                "due",
                "Due",
                TextInput(id="f-due", compact=True, placeholder="fri, +2w, 2026-12-01 or empty"),
            )
            yield Static("", id="due-hint", classes="hint")
            yield Static(Text("Enter in Due or ctrl+s saves · Esc keeps a draft"), classes="hint")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        line = self.prefill
        if line is not None:
            self.query_one("#f-text", Input).value = line.text
            self.query_one("#f-owner", Input).value = line.owner
            self.query_one("#f-due", Input).value = line.due
            self.take_baseline()  # the line's values are not typed; a change from them is
        self.restore_draft()
        if self.query("#f-client") and self.query_one("#f-client", Select).value is Select.NULL:
            self.query_one("#f-client", Select).focus()
        else:
            self.query_one("#f-text", Input).focus()

    def has_unsaved(self) -> bool:
        return self.has_typed()

    def action_back(self) -> None:
        self.close_keeping_draft()

    @on(Select.Changed, "#f-client")
    def _client_chosen(self, event: Select.Changed) -> None:
        client = None if event.value is Select.NULL else str(event.value)
        self._people = people_for(self.workspace, self.pulse_app.audience, client)
        owner = self.query_one("#f-owner", Input)
        owner.suggester = PeopleSuggester(self._people)

    @on(Input.Changed, "#f-owner")
    def _owner_hint(self, event: Input.Changed) -> None:
        """Who the typed name means, and the side that follows from them."""
        self.query_one("#owner-hint", Static).update(owner_hint(self._people, event.value))
        person = person_named(self._people, event.value)
        if person is not None:
            self.query_one("#f-side", Select).value = person.side

    @on(Input.Changed, "#f-due")
    def _due_hint(self, event: Input.Changed) -> None:
        raw = event.value.strip()
        hint = self.query_one("#due-hint", Static)
        if not raw:
            hint.update("")
            return
        try:
            day = parse_date(raw, self.workspace.today(), "due")
        except InvalidInput:
            hint.update(Text("due: not a date yet"))
        else:
            hint.update(Text(f"due: {day:%a %Y-%m-%d}"))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.field_entered(event.input, event)

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        if field.id == "f-due":
            self.when_typed_in(field, self.action_save)  # keys behind wait for the save
        else:
            self.focus_next()

    def action_save(self) -> None:
        self._save_typed(confirmed=False)

    def _save_typed(self, confirmed: bool) -> None:
        if not self.is_live:
            return
        ws = self.workspace
        errors: dict[str, str] = {}
        client = self.client_uid
        if self.query("#f-client"):
            chosen = self.query_one("#f-client", Select).value
            client = None if chosen is Select.NULL else str(chosen)
            if client is None:
                errors["client"] = "choose the client"
        text = self.query_one("#f-text", Input).value.strip()
        if not text:
            errors["text"] = "must not be empty: what was agreed?"
        side = str(self.query_one("#f-side", Select).value)
        owner = self.query_one("#f-owner", Input).value.strip()
        person = person_named(getattr(self, "_people", []), owner)
        owner = person.name if person is not None else owner
        raw_due = self.query_one("#f-due", Input).value
        due = None
        if raw_due.strip():
            try:
                due = parse_date(raw_due, ws.today(), "due")
            except InvalidInput as exc:
                errors["due"] = exc.for_field("due") or str(exc)
        why = None if errors or confirmed else due_to_confirm(due, ws.today())
        if why is not None:
            ask_about_due(self, why, lambda: self._save_typed(confirmed=True))
            return
        if not errors:
            try:
                if self._save is not None:
                    agreement = self._save(client or "", text, side, owner, due)
                else:
                    agreement = ws.add_agreement(
                        client or "", text, side, owner=owner, due=due, meeting=self.meeting_uid
                    )
            except InvalidInput as exc:
                errors = {p.field.split(".")[0]: p.message for p in exc.problems}
            else:
                self.forget_draft()
                self.dismiss(agreement)
                return
        _show_errors(self, self.FIELDS, errors)
