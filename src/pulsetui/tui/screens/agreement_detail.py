"""One agreement, corrected and moved along in one dialog: its text, the person who owns
it (completed from the client's contacts and colleagues, as in the new-agreement form),
its due date and its status with a reason; below them its history — every status
change and every move of the due date, with who made it and when.

A due date in the past or more than a year ahead is asked about before it is saved
(the rule: :func:`pulsetui.domain.agreements.due_to_confirm`); answered no, nothing is
saved and the focus is back in the Due field with what was typed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from pulsetui.domain.agreement_history import timeline
from pulsetui.domain.agreements import is_overdue
from pulsetui.domain.dates import parse_date
from pulsetui.domain.enums import Side
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Agreement
from pulsetui.service.agreement_edits import DueToConfirm, edit_agreement
from pulsetui.service.views.people import people_for, person_named
from pulsetui.tui import keys
from pulsetui.tui.screens.agreement_modal import STATUS_CHOICES, ask_about_due, owner_hint
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.form_drafts import DraftForm
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.literal import literal, one_line
from pulsetui.tui.widgets.people_field import PeopleSuggester
from pulsetui.tui.widgets.text_fields import TextInput

REASON_PLACEHOLDER = "why (needed for broken, cancelled)"
# a field holding the saved value (a TextInput: a key typed goes on at the end)
EDITED: dict[str, Any] = {"compact": True}
CHANGE_WIDTH = len("due 2026-11-27 → 2026-12-04")
FIELDS = ("text", "owner", "due", "status", "reason")


class AgreementDetail(DraftForm, FieldKeys, ModalHelp, BaseModal):
    """One agreement with its history; corrects it and sets a new status. Returns the
    agreement if it changed, else None."""

    HELP_TITLE = "Agreement"

    HELP = """\
The agreement as it stands, to correct: what was agreed, the person who owns it (the
client's contacts and our colleagues complete as you type; whose it is follows from
them) and the due date (2026-12-01, 4.12., fri, next fri, +2w, or empty for none). A
due date in the past or more than a year ahead is asked about before it is saved.
To move it along, pick the new status (done, broken, cancelled, open again) and give the
reason — broken and cancelled need one.
The history lists every status change and every move of the due date: who, when, and
from which day to which.
Tab moves between fields; ctrl+s or Enter in the reason saves. Esc closes; anything
changed is kept as a draft that the dialog shows when opened again (F8 clears it).
If sync met two versions of the agreement (edited on two devices at once), a notice says
so and F5 shows both side by side: keep mine, keep theirs or edit a merged text. A notice
also tells when an edit kept this agreement alive against a delete made elsewhere."""
    DEFAULT_CSS = """
    AgreementDetail { align: center middle; }
    AgreementDetail > #detail {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    AgreementDetail #detail-body { height: auto; max-height: 1fr; }
    AgreementDetail #detail-hint { dock: bottom; height: 1; color: $text-muted; }
    AgreementDetail .field-row { height: 1; }
    AgreementDetail .field-row > Label { width: 9; }
    AgreementDetail .field-row:focus-within > Label { text-style: bold reverse; }
    AgreementDetail .field-row > Input, AgreementDetail .field-row > Select { width: 1fr; }
    AgreementDetail .field-error { color: $error; text-style: bold; padding-left: 9; }
    AgreementDetail .hint { color: $text-muted; padding-left: 9; }
    AgreementDetail .-empty { display: none; }
    AgreementDetail #history-title { margin-top: 1; text-style: bold underline; }
    AgreementDetail .sync-notice { text-style: bold; background: $warning 20%; }
    """
    BINDINGS = [
        *keys.bindings("back", "save", "resolve"),
        ModalHelp.HELP_BINDING,
        *FieldKeys.FIELD_BINDINGS,
        *DraftForm.DRAFT_BINDINGS,
    ]

    DRAFT_FIELDS = tuple(f"f-{name}" for name in FIELDS)

    def __init__(self, uid: str, status: str | None = None) -> None:
        super().__init__()
        self.uid = uid
        self.preset = status
        self._people: list[Any] = []

    def draft_key(self) -> str:
        return f"agreement-status:{self.uid}"

    def action_back(self) -> None:
        self.close_keeping_draft()

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ws = self.workspace
        agreement = ws.require(Agreement, self.uid)
        client = ws.doc("client", agreement.client) or {}
        self._people = people_for(ws, self.pulse_app.audience, agreement.client)
        with Vertical(id="detail") as box:
            box.border_title = Text(f"Agreement with {one_line(client.get('name', '?'), 50)}")
            with VerticalScroll(id="detail-body"):
                yield from self._notices()
                yield Static(self._facts(agreement), id="agreement-facts")
                yield from _row("text", "Agreed", TextInput(agreement.text, id="f-text", **EDITED))
                yield from _row(
                    "owner",
                    "Person",
                    TextInput(
                        agreement.owner,
                        id="f-owner",
                        **EDITED,
                        placeholder="who owns it (a contact or a colleague, or a new name)",
                        suggester=PeopleSuggester(self._people),
                    ),
                )
                yield Static("", id="owner-hint", classes="hint -empty")
                due = agreement.due.isoformat() if agreement.due else ""
                yield from _row(
                    "due",
                    "Due",
                    TextInput(due, id="f-due", placeholder="fri, +2w, 4.12. or empty", **EDITED),
                )
                yield Static("", id="due-hint", classes="hint -empty")
                preset = self.preset if self.preset in {v for _l, v in STATUS_CHOICES} else None
                yield from _row(
                    "status",
                    "Status",
                    Choice(
                        STATUS_CHOICES,
                        id="f-status",
                        prompt=f"{agreement.status.value} (Enter: a new status)",
                        compact=True,
                        value=preset or Select.NULL,
                    ),
                )
                yield from _row(
                    "reason",
                    "Reason",
                    TextInput(
                        id="f-reason",
                        compact=True,
                        placeholder="why (needed for broken, cancelled)",
                    ),
                )
                yield Static(Text("History"), id="history-title")
                yield Static(self._history(agreement), id="agreement-history")
            yield Static(Text("ctrl+s saves · Esc keeps a draft · F1 help"), id="detail-hint")

    def _notices(self) -> ComposeResult:
        ws = self.workspace
        conflicts = ws.conflicts(Agreement, self.uid)
        if conflicts:
            fields = ", ".join(sorted(conflicts))
            yield Static(
                Text(f"! Two versions of {fields} (edited on two devices): F5 chooses"),
                id="agreement-conflict",
                classes="sync-notice",
            )
        if self.uid in ws.revived(Agreement):
            yield Static(
                Text("! Deleted on another device while edited here: the edit kept it"),
                id="agreement-revived",
                classes="sync-notice",
            )

    def _facts(self, agreement: Agreement) -> Text:
        whose = "ours" if agreement.side == Side.US else "theirs (the client's)"
        facts = Text(f"{whose} · status {agreement.status.value}")
        if is_overdue(agreement.status, agreement.due, self.workspace.today()):
            facts.append(" · ")
            facts.append(f"! OVERDUE since {agreement.due}", style="bold reverse")
        return facts

    @staticmethod
    def _history(agreement: Agreement) -> Text:
        """Every status change and due move, one a line, oldest first: when, what, who
        (and why, below)."""
        shown = Text()
        shown.append(f"{'When':<16}  {'Change':<{CHANGE_WIDTH}}  By", style="bold")
        for entry in timeline(agreement.history, agreement.due_moves):
            shown.append(f"\n{entry.at:%Y-%m-%d %H:%M}  {entry.change:<{CHANGE_WIDTH}}  ")
            shown.append_text(literal(one_line(entry.by, 20)))
            if entry.reason:
                shown.append("\n  ↳ why: ")
                shown.append_text(literal(one_line(entry.reason, 200)))
        return shown

    # ---- opening, conflicts -------------------------------------------------------------

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.take_baseline()
        if self.preset is None:
            self.restore_draft()
        if self.preset:
            self.query_one("#f-reason", Input).focus()
        else:
            self.query_one("#f-text", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resolve_conflict":
            return bool(self.workspace.conflicts(Agreement, self.uid))
        return True

    def action_resolve_conflict(self) -> None:
        from pulsetui.tui.screens.conflict import ConflictModal

        if self.workspace.conflicts(Agreement, self.uid):
            self.app.push_screen(ConflictModal("agreement", self.uid), self._resolved)

    async def _resolved(self, _result: object) -> None:
        """Show the agreement as it now stands; a field changed by hand stays as typed."""
        before = self._draft_baseline or {}
        typed = {k: v for k, v in self.typed_fields().items() if before.get(k) != v}
        await self.recompose()
        self.take_baseline()
        self._fill_fields(typed, everything=False)
        self.query_one("#f-status", Select).focus()
        self.refresh_bindings()

    def has_unsaved(self) -> bool:
        return self.has_typed()

    # ---- hints while typing -------------------------------------------------------------

    @on(Input.Changed, "#f-owner")
    def _owner_hint(self, event: Input.Changed) -> None:
        _show_hint(self.query_one("#owner-hint", Static), owner_hint(self._people, event.value))

    @on(Input.Changed, "#f-due")
    def _due_hint(self, event: Input.Changed) -> None:
        raw = event.value.strip()
        hint = ""
        if raw:
            try:
                day = parse_date(raw, self.workspace.today(), "due")
            except InvalidInput:
                hint = "not a date yet"
            else:
                hint = f"→ {day:%a %Y-%m-%d}"
        _show_hint(self.query_one("#due-hint", Static), Text(hint))
        _show_hint(self.query_one("#err-due", Static), Text(""))  # an old refusal is gone

    # ---- saving -------------------------------------------------------------------------

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        if field.id == "f-reason":
            self.when_typed_in(field, self.action_save)
        else:
            self.focus_next()

    def action_save(self) -> None:
        self._save(confirmed=False)

    def _save(self, confirmed: bool) -> None:
        if not self.is_live:
            return
        errors: dict[str, str] = {}
        changes = self._changes(errors)
        chosen = self.query_one("#f-status", Select).value
        reason = self.query_one("#f-reason", Input).value.strip()
        if chosen is Select.NULL and reason:
            errors["status"] = "choose the new status the reason is for"
        elif not errors and not changes and chosen is Select.NULL:
            errors["status"] = "nothing changed: correct a field or choose the new status"
        if errors:
            self._show_errors(errors)
            return
        try:
            # the corrections first: a due date to confirm is asked about before any write
            agreement = edit_agreement(self.workspace, self.uid, confirmed=confirmed, **changes)
        except DueToConfirm as exc:
            ask_about_due(self, exc.why, lambda: self._save(confirmed=True))
            return
        except InvalidInput as exc:
            self._show_errors({p.field.split(".")[0]: p.message for p in exc.problems})
            return
        if chosen is not Select.NULL:
            try:
                agreement = self.workspace.set_agreement_status(self.uid, str(chosen), reason)
            except InvalidInput as exc:
                # the corrections are saved: from now on they are no change to keep
                typed = self.typed_fields()
                baseline = self._draft_baseline or {}
                for name in ("f-text", "f-owner", "f-due"):
                    baseline[name] = typed.get(name, "")
                self._draft_baseline = baseline
                self._show_errors({p.field.split(".")[0]: p.message for p in exc.problems})
                return
        self.forget_draft()
        self.dismiss(agreement)

    def _changes(self, errors: dict[str, str]) -> dict[str, Any]:
        """The fields changed from the agreement as saved, read as the service takes
        them; a field that cannot be read is noted in ``errors``."""
        current = self.workspace.require(Agreement, self.uid)
        changes: dict[str, Any] = {}
        text = self.query_one("#f-text", Input).value.strip()
        if text != current.text:
            changes["text"] = text
        owner = self.query_one("#f-owner", Input).value.strip()
        person = person_named(self._people, owner)
        if person is not None:
            owner = person.name
            if person.side != current.side.value:
                changes["side"] = person.side
        if owner != current.owner:
            changes["owner"] = owner
        raw_due = self.query_one("#f-due", Input).value
        try:
            due = parse_date(raw_due, self.workspace.today(), "due") if raw_due.strip() else None
        except InvalidInput as exc:
            errors["due"] = exc.for_field("due") or str(exc)
        else:
            if due != current.due:
                changes["due"] = due
        return changes

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            line = self.query_one(f"#err-{name}", Static)
            message = errors.get(name, "")
            line.update(Text(f"✗ {message}") if message else "")
            line.set_class(not message, "-empty")
        for name in FIELDS:
            if name in errors:
                self.query_one(f"#f-{name}").focus()
                break


def _row(name: str, label: str, widget: Input | Select[str]) -> ComposeResult:
    with Horizontal(classes="field-row"):
        yield Label(label)
        yield widget
    yield Static("", id=f"err-{name}", classes="field-error -empty")


def _show_hint(hint: Static, text: Text) -> None:
    hint.update(text)
    hint.set_class(not text.plain, "-empty")
