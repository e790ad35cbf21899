"""The NPS answer form (global key ``n``): client (type to filter), contact, score by one
digit key (``1`` ``0`` for ten) and reason. Errors appear beside the field they concern
and nothing typed is lost; the answer is saved with ``Workspace.add_nps``."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client, NpsResponse
from pulsetui.domain.names import Fit, chosen, ranked_fits
from pulsetui.service.views.choices import client_choices
from pulsetui.service.views.people import contacts_of, person_named
from pulsetui.tui import keys
from pulsetui.tui.lifecycle import still_live
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.form_drafts import DraftForm
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.literal import one_line
from pulsetui.tui.widgets.people_field import PeopleSuggester
from pulsetui.tui.widgets.score_field import ScoreField
from pulsetui.tui.widgets.text_fields import TextInput

FIELDS = ("client", "contact", "score", "reason")
MAX_MATCHES = 6


class NpsModal(DraftForm, FieldKeys, ModalHelp, BaseModal):
    """Record one client's answer to "How likely are you to recommend us? 0-10"."""

    HELP_TITLE = "New NPS answer"

    HELP = (
        "Record a client's NPS answer: how likely they are to recommend us, 0-10.\n"
        "Client: type part of the name; ↓ picks from the matches, Enter moves on.\n"
        "Contact: who answered (optional). Score: press a digit; 1 then 0 gives 10; "
        "←/→ adjust. Reason: why they gave this score (optional).\n"
        "ctrl+s saves. Esc closes and keeps what you typed as a draft: the form opened "
        "again for the same client shows it (F8 clears it)."
    )
    DEFAULT_CSS = """
    NpsModal { align: center middle; }
    NpsModal > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    NpsModal .row { height: auto; margin-top: 1; }
    NpsModal .field-label { width: 10; text-style: bold; }
    NpsModal .error { color: $error; text-style: bold; height: auto; padding-left: 10; }
    NpsModal .error.-empty { display: none; }
    NpsModal #client-matches { height: auto; max-height: 6; border: none; margin-left: 10; }
    NpsModal Input { width: 1fr; }
    NpsModal .hint { margin-top: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *keys.bindings("back", "save"),
        ModalHelp.HELP_BINDING,
        *(b for b in FieldKeys.FIELD_BINDINGS if b.key == "enter"),
        *DraftForm.DRAFT_BINDINGS,
        # Tab skips the list of matching clients (↓ goes there), so text typed behind
        # a Tab lands in the next field, never in the list
        Binding("tab", "next_field(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "next_field(-1)", "Previous field", show=False, priority=True),
    ]

    DRAFT_FIELDS = ("contact", "score", "reason")

    def draft_key(self) -> str:
        return f"nps:{self.initial_client or '-'}"

    def __init__(self, client: str | None = None) -> None:
        super().__init__()
        self.initial_client = client
        self.client_uid: str | None = None
        self._settled: str | None = None  # the client text last chosen from by Enter/Tab
        self.saved: NpsResponse | None = None

    # ---- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ws = self.workspace
        # the clients the audience may see: in a call only the client in view
        offered = {c.uid for c in client_choices(ws, self.pulse_app.audience)}
        clients = [c for c in ws.my_clients() if c.uid in offered]
        self._clients: list[Client] = sorted(clients, key=lambda c: c.name.casefold())
        names = [c.name for c in self._clients]
        start = next((c for c in self._clients if c.uid == self.initial_client), None)
        with VerticalScroll() as box:
            box.border_title = "New NPS answer"
            with Horizontal(classes="row"):
                yield Label("Client", classes="field-label")
                yield TextInput(
                    start.name if start else "",
                    placeholder="type to filter clients",
                    id="client",
                    compact=True,
                    suggester=SuggestFromList(names, case_sensitive=False),
                )
            yield OptionList(id="client-matches", compact=True)
            yield Label("", id="client-error", classes="error -empty")
            with Horizontal(classes="row"):
                yield Label("Contact", classes="field-label")
                yield TextInput(placeholder="who answered (optional)", id="contact", compact=True)
            yield Label("", id="contact-error", classes="error -empty")
            with Horizontal(classes="row"):
                yield Label("Score", classes="field-label")
                yield ScoreField(id="score")
            yield Label("", id="score-error", classes="error -empty")
            with Horizontal(classes="row"):
                yield Label("Reason", classes="field-label")
                yield TextInput(placeholder="why this score (optional)", id="reason", compact=True)
            yield Label("", id="reason-error", classes="error -empty")
            yield Label("ctrl+s save · Esc keeps a draft · F1 help", classes="hint")

    def action_field_entered(self) -> None:
        """Enter on the score moves on to the reason (as it arrives, like Tab); in a
        text field see :meth:`field_entered`."""
        if isinstance(self.focused, ScoreField):
            self.set_focus(self.query_one("#reason", Input))
            return
        super().action_field_entered()

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        """Enter, acted on as it arrives (keys typed behind it go to the next field):
        in the client field it moves on and chooses the client once the keys typed
        before it are in; in the contact field it moves to the score; in the reason
        field it saves once the reason is typed in."""
        if field.id == "client":
            self.set_focus(self.query_one("#contact", Input))
            field.call_later(self._client_entered)
        elif field.id == "contact":
            self.set_focus(self.query_one("#score", ScoreField))  # at once, unlike focus()
        elif field.id == "reason":
            self.when_typed_in(field, self.action_save)

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.restore_draft()
        if self.initial_client and self.query_one("#client", Input).value:
            self.client_uid = self.initial_client
            # the field's change event for the name it was given comes after this: it
            # must neither unchoose the client nor empty the contacts offered
            self._settled = self.query_one("#client", Input).value
            self._update_contacts()
            self._show_matches("")
            self.query_one("#contact", Input).focus()
        else:
            self._show_matches(self.query_one("#client", Input).value)
            self.query_one("#client", Input).focus()

    # ---- the client field -------------------------------------------------------------

    def _fits(self, text: str) -> list[tuple[Fit, Client]]:
        return ranked_fits(text, self._clients, name=lambda c: c.name, uid=lambda c: c.uid)

    def _matches(self, text: str) -> list[Client]:
        if not text.strip():
            return self._clients[:MAX_MATCHES]
        return [client for _, client in self._fits(text)[:MAX_MATCHES]]

    def _show_matches(self, text: str) -> None:
        matches = self.query_one("#client-matches", OptionList)
        matches.clear_options()
        if not text.strip():
            matches.display = False
            return
        found = self._matches(text)
        matches.add_options([Option(Text(one_line(c.name)), id=c.uid) for c in found])
        matches.display = bool(found) and not (len(found) == 1 and found[0].name == text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "client":
            if event.value != event.input.value:
                return  # stale: typed before the client was chosen from the matches
            if event.value == self._settled:
                return  # the text Enter or Tab already chose from (or refused)
            self._settled = None
            self.client_uid = None
            self._show_matches(event.value)
            self._set_error("client", "")
            self._update_contacts()

    def on_key(self, event: Any) -> None:
        focused = self.focused
        if event.key == "down" and isinstance(focused, Input) and focused.id == "client":
            matches = self.query_one("#client-matches", OptionList)
            if matches.display and matches.option_count:
                matches.focus()
                matches.highlighted = 0
                event.stop()

    def action_next_field(self, step: int) -> None:
        """Tab / shift+Tab: the next (previous) field — never the list of matches nor
        the form's scrolling box, where typed text would go nowhere. Leaving the
        client field with exactly one client matching chooses it."""
        focused = self.focused
        if step > 0 and isinstance(focused, Input) and focused.id == "client":
            self.set_focus(self.query_one("#contact", Input))
            # the keys typed before the Tab may still be on their way into the field
            focused.call_later(self._choose_if_one)
            return
        for _ in range(len(self.focus_chain)):
            target = self.focus_next() if step > 0 else self.focus_previous()
            if isinstance(target, Input | ScoreField):
                return

    def _choose_if_one(self) -> None:
        text = self.query_one("#client", Input).value
        one = chosen(self._fits(text)) if not self.client_uid else None
        if one is not None:
            self._settled = text
            self._choose_client(one.uid, move_on=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose_client(event.option.id)

    def _choose_client(self, uid: str | None, move_on: bool = True) -> None:
        chosen = next((c for c in self._clients if c.uid == uid), None)
        if chosen is None:
            return
        self.client_uid = chosen.uid
        client_input = self.query_one("#client", Input)
        with client_input.prevent(Input.Changed):
            client_input.value = chosen.name
        self.query_one("#client-matches", OptionList).display = False
        self._set_error("client", "")
        self._update_contacts()
        if move_on:  # at once: keys typed behind go there
            self.set_focus(self.query_one("#contact", Input))

    def _update_contacts(self) -> None:
        self._contacts = contacts_of(self.workspace, self.pulse_app.audience, self.client_uid)
        self.query_one("#contact", Input).suggester = PeopleSuggester(self._contacts)

    def _client_entered(self) -> None:
        """Enter in the client field: the one client the text means, else the reason
        beside the field and the field focused again (what was typed behind the Enter
        stays in the contact field)."""
        if not still_live(self) or self.client_uid:
            return
        text = self.query_one("#client", Input).value
        # the field's change events for this text may arrive after this: they are
        # recognised, so they neither clear the reason shown nor the client chosen
        self._settled = text
        every = [(Fit.CONTAINS, c) for c in self._clients]  # Enter on an empty field
        found = self._fits(text) if text.strip() else every
        one = chosen(found)
        if one is not None:
            self._choose_client(one.uid, move_on=False)
            return
        if not found:
            self._set_error("client", f"no client matches {one_line(text, 40)!r}")
        else:
            self._set_error("client", f"{len(found)} clients match; pick one with ↓")
        self.query_one("#client", Input).focus()

    def on_score_field_changed(self, event: ScoreField.Changed) -> None:
        if event.value is not None:
            self._set_error("score", "")

    # ---- saving -----------------------------------------------------------------------

    def _set_error(self, field: str, message: str) -> None:
        label = self.query_one(f"#{field}-error", Label)
        label.update(Text(f"⚠ {field}: {message}") if message else "")  # typed text, not markup
        label.set_class(not message, "-empty")

    def _resolve_client(self) -> str | None:
        if self.client_uid:
            return self.client_uid
        text = self.query_one("#client", Input).value
        if not text.strip():
            self._set_error("client", "choose the client who answered")
            return None
        one = chosen(self._fits(text))
        if one is None:
            self._set_error("client", f"no single client matches {one_line(text, 40)!r}")
            return None
        return one.uid

    def _show_problems(self, exc: InvalidInput) -> None:
        first = None
        for problem in exc.problems:
            field = problem.field if problem.field in FIELDS else "reason"
            self._set_error(field, problem.message)
            first = first or field
        if first is not None:
            self.query_one(f"#{first}").focus()

    def action_save(self) -> None:
        for field in FIELDS:
            self._set_error(field, "")
        client = self._resolve_client()
        score = self.query_one("#score", ScoreField).value
        if score is None:
            self._set_error("score", "press a digit 0-9, or 1 then 0 for 10")
        if client is None or score is None:
            self.query_one("#client" if client is None else "#score").focus()
            return
        ws = self.workspace
        try:
            self.saved = ws.add_nps(
                client,
                score=score,
                reason=self.query_one("#reason", Input).value,
                contact=self._contact_named(self.query_one("#contact", Input).value.strip()),
            )
        except InvalidInput as exc:
            self._show_problems(exc)
            return
        self.forget_draft()
        self.dismiss(self.saved)

    def _contact_named(self, typed: str) -> str:
        """The contact a typed name means ("Mikko" for Mikko Mäki), else the name typed."""
        person = person_named(getattr(self, "_contacts", []), typed)
        return person.name if person is not None else typed

    def has_unsaved(self) -> bool:
        return self.has_typed()

    def action_back(self) -> None:
        self.close_keeping_draft()
