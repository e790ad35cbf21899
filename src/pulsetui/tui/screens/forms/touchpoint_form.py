"""The touchpoint form: a contact with the client between meetings (a call, an article, a
case, a roadmap proposal, a greeting, an event, feedback asked), the contact person it
reached (completed from the client's contacts), when, and a note. Saved with
:func:`pulsetui.service.portfolio.save_touchpoint`."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select

from pulsetui.domain.enums import TouchpointKind
from pulsetui.domain.errors import FieldProblem
from pulsetui.domain.models import Client, Touchpoint
from pulsetui.service.portfolio import save_touchpoint
from pulsetui.tui.screens.forms import pickers
from pulsetui.tui.screens.forms.form_base import RecordForm, choices
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.text_fields import TextInput

KINDS = [
    ("call", TouchpointKind.CALL.value),
    ("useful article", TouchpointKind.ARTICLE.value),
    ("case study", TouchpointKind.CASE.value),
    ("roadmap proposal", TouchpointKind.ROADMAP.value),
    ("greeting", TouchpointKind.GREETING.value),
    ("event", TouchpointKind.EVENT.value),
    ("feedback asked", TouchpointKind.FEEDBACK.value),
    ("other", TouchpointKind.OTHER.value),
]


class TouchpointForm(RecordForm):
    """A new touchpoint with ``client`` (asked when None), or one to change."""

    NOUN = "touchpoint"
    HELP_TITLE = "Touchpoint"
    HELP = """\
A contact with the client between meetings: useful articles, cases, roadmap proposals,
greetings — often enough, never spam. Contact: the person it reached (→ completes from the
client's contacts; a new name can be typed). When: 2026-12-01, today or yesterday.
Tab / Enter move on; Enter in the note or ctrl+s saves; Esc closes
and keeps what was changed as a draft (F8 clears it)."""
    SAVE_ON_ENTER = ("note",)

    def __init__(self, client: str | None = None, uid: str | None = None) -> None:
        super().__init__(uid)
        self.client_uid = client
        self.record: Touchpoint | None = None

    def form_title(self) -> str:
        ws = self.workspace
        record = ws.get(Touchpoint, self.uid) if self.uid else None
        client = ws.get(Client, record.client if record else self.client_uid or "")
        noun = "Touchpoint" if record else "New touchpoint"
        return f"{noun} · {client.name}" if client else noun

    def compose_fields(self) -> ComposeResult:
        ws = self.workspace
        self.record = r = ws.get(Touchpoint, self.uid) if self.uid else None
        app = self.pulse_app
        if r is None and (
            self.client_uid is None or not pickers.audience(app).sees_client(self.client_uid)
        ):
            self.client_uid = None
            yield from self.row(
                "client",
                "Client",
                Choice(pickers.client_choices(app), prompt="choose (Enter)", compact=True),
            )
        client = r.client if r else self.client_uid
        yield from self.pair(
            (
                "kind",
                "Kind",
                Choice(
                    choices(KINDS),
                    value=(r.kind if r else TouchpointKind.CALL).value,
                    allow_blank=False,
                    compact=True,
                ),
            ),
            ("date", "When", TextInput(str(r.date) if r else ws.today().isoformat(), compact=True)),
        )
        yield from self.row(
            "contact",
            "Contact",
            TextInput(
                r.contact if r else "",
                compact=True,
                placeholder="who it reached (→ completes)",
                suggester=SuggestFromList(pickers.contact_names(app, client), case_sensitive=False),
            ),
        )
        yield from self.row(
            "note",
            "Note",
            TextInput(r.note if r else "", compact=True, placeholder="what was sent or said"),
        )

    @on(Select.Changed, "#f-client")
    def _client_chosen(self, event: Select.Changed) -> None:
        chosen = None if event.value is Select.NULL else str(event.value)
        names = pickers.contact_names(self.pulse_app, chosen)
        self.query_one("#f-contact", Input).suggester = SuggestFromList(names, case_sensitive=False)

    def save(self) -> Touchpoint:
        date = self.date("date", required=True)
        client = self.record.client if self.record else self.client_uid
        if self.has_field("client"):
            client = self.value("client")
            if client is None:
                self._problems.append(FieldProblem("client", "choose the client"))
        self.problems_so_far()
        fields: dict[str, Any] = {
            "kind": self.value("kind"),
            "date": date,
            "contact": self.text("contact").strip(),
            "note": self.text("note"),
        }
        if self.record is None:
            fields["client"] = client
        return save_touchpoint(self.workspace, self.uid, **fields)
