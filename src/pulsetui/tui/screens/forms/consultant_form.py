"""The consultant form: name, e-mail, whether they still work here, and where they are
placed (a client and the start day; an engagement is made for it). Saved with
:func:`pulsetui.service.portfolio.save_consultant`."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from pulsetui.domain.models import Client, Consultant
from pulsetui.service.portfolio import placements, save_consultant
from pulsetui.tui.screens.forms import pickers
from pulsetui.tui.screens.forms.form_base import RecordForm
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.literal import one_line
from pulsetui.tui.widgets.text_fields import TextInput
from pulsetui.tui.widgets.tick_box import TickBox


class ConsultantForm(RecordForm):
    """A new consultant (``uid`` None) or one to change; ``client`` pre-selects where
    they are placed. Dismisses with the saved Consultant."""

    NOUN = "consultant"
    HELP_TITLE = "Consultant"
    HELP = """\
A consultant you manage. Name and e-mail. Placed at: the client they work at (leave it
empty when they are between projects) and from when — 2026-12-01, mon, +1w, today. A
placement already running there is kept; change an engagement's dates from its own form.
Tab / Enter move on; Enter on a choice opens it; Enter in the last field or ctrl+s saves;
Esc closes and keeps what was changed as a draft (F8 clears it)."""
    SAVE_ON_ENTER = ("start",)

    def __init__(self, uid: str | None = None, client: str | None = None) -> None:
        super().__init__(uid)
        self.client_uid = client
        self.record: Consultant | None = None

    def form_title(self) -> str:
        record = self.workspace.get(Consultant, self.uid) if self.uid else None
        return f"Consultant: {record.name}" if record else "New consultant"

    def compose_fields(self) -> ComposeResult:
        ws = self.workspace
        self.record = ws.get(Consultant, self.uid) if self.uid else None
        running = []
        yield from self.row(
            "name", "Name", TextInput(compact=True, placeholder="first and last name")
        )
        yield from self.row("email", "E-mail", TextInput(compact=True, placeholder="optional"))
        if self.record is not None:
            yield from self.row(
                "active", "Works here", TickBox("still with us", self.record.active, compact=True)
            )
            seen = pickers.audience(self.pulse_app)  # in a call: only the client in view
            running = [
                e
                for e in placements(ws, self.record.uid)
                if (e.end is None or e.end >= ws.today()) and seen.sees_client(e.client)
            ]
            if running:
                names = []
                for engagement in running:
                    client = ws.get(Client, engagement.client)
                    names.append(f"{client.name if client else '?'} since {engagement.start}")
                yield Static(Text(one_line("Placed at " + "; ".join(names), 74)), classes="note")
        options = pickers.client_choices(self.pulse_app)
        preset = self.client_uid if self.client_uid in {v for _l, v in options} else Select.NULL
        placed = self.record is not None and bool(running)
        yield from self.pair(
            (
                "placed_at",
                "Also place at" if placed else "Placed at",
                Choice(
                    options,
                    value=preset,
                    prompt="keep as is" if placed else "not placed",
                    compact=True,
                ),
            ),
            ("start", "From", TextInput(ws.today().isoformat(), compact=True)),
        )

    def fill(self) -> None:
        if self.record is not None:
            self.query_one("#f-name", Input).value = self.record.name
            self.query_one("#f-email", Input).value = self.record.email

    def save(self) -> Consultant:
        start = self.date("start")
        self.problems_so_far()
        fields: dict[str, Any] = {"name": self.text("name"), "email": self.text("email")}
        if self.has_field("active"):
            fields["active"] = bool(self.value("active"))
        placed = self.value("placed_at")
        return save_consultant(self.workspace, self.uid, placed_at=placed, start=start, **fields)
