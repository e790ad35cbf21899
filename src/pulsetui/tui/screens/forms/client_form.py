"""The client form: name, meeting cadence (twice a week to quarterly), lifecycle stage,
spiral quarter, the two segment answers, the unpaid-invoice and approval-delay flags,
the contacts (who decides) and private notes. In call mode the judgements and the notes
are neither shown nor changed. Saved with :func:`pulsetui.service.portfolio.save_client`."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from pulsetui.domain.enums import Answer, Cadence, LifecycleStage, SpiralQuarter
from pulsetui.domain.models import Client, Contact
from pulsetui.service.portfolio import save_client
from pulsetui.tui.screens.forms.form_base import LABEL_WIDTH, RecordForm, choices
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.text_fields import NoteArea, TextInput
from pulsetui.tui.widgets.tick_box import TickBox

CADENCES = [
    ("twice a week", Cadence.TWICE_WEEKLY.value),
    ("weekly", Cadence.WEEKLY.value),
    ("every two weeks", Cadence.BIWEEKLY.value),
    ("monthly", Cadence.MONTHLY.value),
    ("quarterly", Cadence.QUARTERLY.value),
]
STAGES = [
    ("onboarding", LifecycleStage.ONBOARDING.value),
    ("adoption", LifecycleStage.ADOPTION.value),
    ("success", LifecycleStage.SUCCESS.value),
]
SPIRALS = [
    ("Q1 functionality", SpiralQuarter.Q1_FUNCTIONALITY.value),
    ("Q2 usability", SpiralQuarter.Q2_USABILITY.value),
    ("Q3 stability", SpiralQuarter.Q3_STABILITY.value),
    ("Q4 support", SpiralQuarter.Q4_SUPPORT.value),
]
ANSWERS = [("yes", Answer.YES.value), ("unsure", Answer.UNSURE.value), ("no", Answer.NO.value)]
INTERNAL = ("client_wants_us", "we_want_client", "unpaid_invoices", "approval_delays", "notes")

CONTACT_CSS = f"""
ClientForm .contact-row {{ height: 1; padding-left: {LABEL_WIDTH}; }}
ClientForm .contact-row > .contact-name {{ width: 2fr; }}
ClientForm .contact-row > .contact-role {{ width: 1fr; margin-left: 1; }}
ClientForm .contact-row > Checkbox {{ width: 13; margin-left: 1; }}
ClientForm .contact-head {{ height: 1; color: $text-muted; padding-left: {LABEL_WIDTH}; }}
"""


def _select(options: list[tuple[str, str]], value: str) -> Select[str]:
    return Choice(choices(options), value=value, allow_blank=False, compact=True)


class ClientForm(RecordForm):
    """A new client (``uid`` None) or one to change; dismisses with the saved Client."""

    NOUN = "client"
    HELP_TITLE = "Client"
    HELP = """\
A client and how you work with them. Name. Meetings: the agreed meeting cadence (twice a
week during adoption, weekly, every two weeks, monthly, quarterly at the latest). Stage:
onboarding (the first ~3 months), adoption, success. Spiral: the quarter of the
relationship being fed (functionality, usability, stability, support). Wants us / We
want: the two segment questions. Unpaid invoices and Approvals late are red-flag facts.

Contacts: one row each, name, role and whether they decide (space ticks); a new empty row
appears as you type into the last one; clear a name to remove that contact.

Tab / Enter move on; Enter on a choice opens it; ctrl+s saves; Esc closes and keeps what
was changed as a draft (F8 clears it). In call mode the judgements and notes are hidden."""
    DEFAULT_CSS = CONTACT_CSS

    def __init__(self, uid: str | None = None) -> None:
        super().__init__(uid)
        self.record: Client | None = None
        self._rows = 0
        self._emails: dict[int, str] = {}  # kept as they are: the form does not show them

    def form_title(self) -> str:
        if self.uid:
            record = self.workspace.get(Client, self.uid)
            return f"Client: {record.name}" if record else "Client"
        return "New client"

    @property
    def internal_hidden(self) -> bool:
        return self.pulse_app.call_mode

    def compose_fields(self) -> ComposeResult:
        self.record = self.workspace.get(Client, self.uid) if self.uid else None
        r = self.record or Client(uid="new", name="-")
        yield from self.row("name", "Name", TextInput(compact=True, placeholder="the company"))
        yield from self.pair(
            ("cadence", "Meetings", _select(CADENCES, r.cadence.value)),
            ("stage", "Stage", _select(STAGES, r.stage.value)),
        )
        yield from self.row("spiral", "Spiral", _select(SPIRALS, r.spiral.value))
        if not self.internal_hidden:
            yield from self.pair(
                ("client_wants_us", "Wants us?", _select(ANSWERS, r.client_wants_us.value)),
                ("we_want_client", "We want them?", _select(ANSWERS, r.we_want_client.value)),
            )
            with Horizontal(classes="field-row"):
                yield Static(Text("Red flags"), classes="field-label")
                yield TickBox(
                    "Unpaid invoices", r.unpaid_invoices, id="f-unpaid_invoices", compact=True
                )
                yield TickBox(
                    "Approvals late", r.approval_delays, id="f-approval_delays", compact=True
                )
        yield Static(Text("Contacts", style="bold"), classes="section")
        yield Static(Text("name · role · decides (space ticks)"), classes="contact-head")
        for contact in r.contacts:
            yield from self._contact_row(contact)
        for _ in range(len(r.contacts), _rows_typed(self.pending_draft())):
            yield from self._contact_row(None)  # rows for the contacts a draft holds
        yield from self._contact_row(None)
        if not self.internal_hidden:
            yield from self.row("notes", "Notes", NoteArea(r.notes, compact=True))

    def _contact_row(self, contact: Contact | None) -> ComposeResult:
        index = self._rows
        self._rows += 1
        if contact is not None and contact.email:
            self._emails[index] = contact.email
        with Horizontal(classes="contact-row", id=f"contact-{index}"):
            yield TextInput(
                contact.name if contact else "",
                placeholder="name",
                compact=True,
                id=f"f-contacts-{index}-name",
                classes="contact-name",
            )
            yield TextInput(
                contact.role if contact else "",
                placeholder="role",
                compact=True,
                id=f"f-contacts-{index}-role",
                classes="contact-role",
            )
            yield TickBox(
                "decides",
                contact.decision_maker if contact else False,
                compact=True,
                id=f"f-contacts-{index}-decision_maker",
            )
        yield self.error_line(f"contacts-{index}")

    def fill(self) -> None:
        if self.record is not None:
            self.query_one("#f-name", Input).value = self.record.name

    @on(Input.Changed, ".contact-name")
    def _grow_contacts(self, event: Input.Changed) -> None:
        """Typing into the last contact row adds an empty one below it."""
        if event.input.id == f"f-contacts-{self._rows - 1}-name" and event.value.strip():
            error = self.query_one(f"#err-contacts-{self._rows - 1}")
            index = self._rows
            self._rows += 1
            row = Horizontal(
                TextInput(
                    placeholder="name",
                    compact=True,
                    id=f"f-contacts-{index}-name",
                    classes="contact-name",
                ),
                TextInput(
                    placeholder="role",
                    compact=True,
                    id=f"f-contacts-{index}-role",
                    classes="contact-role",
                ),
                TickBox("decides", compact=True, id=f"f-contacts-{index}-decision_maker"),
                classes="contact-row",
                id=f"contact-{index}",
            )
            self.query_one("#form-fields").mount_all(
                [row, self.error_line(f"contacts-{index}")], after=error
            )

    def snapshot(self) -> dict[str, Any]:
        # an empty contact row added while typing is no change
        values = super().snapshot()
        last = self._rows - 1
        if not values.get(f"f-contacts-{last}-name") and not values.get(f"f-contacts-{last}-role"):
            for field in ("name", "role", "decision_maker"):
                values.pop(f"f-contacts-{last}-{field}", None)
        return values

    def contacts(self) -> list[dict[str, Any]]:
        rows = []
        for index in range(self._rows):
            row: dict[str, Any] = {
                "name": self.text(f"contacts-{index}-name"),
                "role": self.text(f"contacts-{index}-role"),
                "decision_maker": bool(self.value(f"contacts-{index}-decision_maker")),
            }
            if index in self._emails and str(row["name"]).strip():
                row["email"] = self._emails[index]
            rows.append(row)
        return rows

    def error_slot(self, field: str) -> str:
        # the service numbers the contacts it kept: find the row each one came from
        parts = field.split(".")
        if parts[0] == "contacts" and len(parts) > 1 and parts[1].isdigit():
            kept = [i for i, row in enumerate(self.contacts()) if _kept(row)]
            number = int(parts[1])
            if number < len(kept):
                return f"contacts-{kept[number]}"
        return super().error_slot(field)

    def save(self) -> Client:
        fields: dict[str, Any] = {
            "name": self.text("name"),
            "cadence": self.value("cadence"),
            "stage": self.value("stage"),
            "spiral": self.value("spiral"),
            "contacts": self.contacts(),
        }
        for name in INTERNAL:
            if self.has_field(name):
                fields[name] = self.value(name)
        return save_client(self.workspace, self.uid, **fields)


def _kept(row: dict[str, Any]) -> bool:
    from pulsetui.service.portfolio import contact_rows

    return bool(contact_rows([row]))


def _rows_typed(draft: dict[str, str]) -> int:
    """How many contact rows a draft fills (up to its last one holding something)."""
    filled = [
        int(key.split("-")[2])
        for key, value in draft.items()
        if key.startswith("f-contacts-") and key.split("-")[2].isdigit() and value.strip()
    ]
    return max(filled, default=-1) + 1
