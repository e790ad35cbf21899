"""The main communicator form: hand the role of who mainly talks with the client over to
someone (their name, their role towards the client, from when, and the handover note).
It starts a new tenure, so the months in the role count again. Saved with
:func:`pulsetui.service.communicators.hand_over`, as ``pulsetui communicator set``."""

from __future__ import annotations

from textual.app import ComposeResult

from pulsetui.domain.communicators import ROLE_LABELS
from pulsetui.domain.enums import CommunicatorRole
from pulsetui.domain.models import Client
from pulsetui.service.communicators import hand_over, main_communicator
from pulsetui.tui.screens.forms.form_base import RecordForm, choices
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.literal import one_line
from pulsetui.tui.widgets.text_fields import TextInput

ROLES = [(label, role.value) for role, label in ROLE_LABELS.items()]


class CommunicatorForm(RecordForm):
    """A handover of ``client``'s main communicator role; dismisses with the client."""

    NOUN = "handover"
    HELP_TITLE = "Main communicator"
    HELP = """\
Who mainly talks with the client: someone who works out with the client what to solve,
then how (analyst, project, delivery or product manager). A purely technical person in
the role is a red flag. Saving starts a new tenure from the day given (2026-12-01, today
or +1w), so the months in the role count again; who held it before stays in the history
on the client page, with the handover note.
Tab / Enter move on; Enter in the note or ctrl+s saves; Esc closes
and keeps what was changed as a draft (F8 clears it)."""
    SAVE_ON_ENTER = ("note",)

    def __init__(self, client: str) -> None:
        super().__init__(None)
        self.client_uid = client

    def form_title(self) -> str:
        client = self.workspace.get(Client, self.client_uid)
        return f"Main communicator · {client.name}" if client else "Main communicator"

    def compose_fields(self) -> ComposeResult:
        ws = self.workspace
        holder = main_communicator(ws, self.client_uid)
        role = CommunicatorRole.DELIVERY_MANAGER.value
        if holder is not None and str(holder.role) in {value for _l, value in ROLES}:
            role = str(holder.role)
        now = f"now {one_line(holder.name, 30)}" if holder is not None else "nobody yet"
        yield from self.row(
            "name", "Who", TextInput("", compact=True, placeholder=f"who takes the role ({now})")
        )
        yield from self.pair(
            (
                "role",
                "Role",
                Choice(choices(ROLES), value=role, allow_blank=False, compact=True),
            ),
            ("start", "From", TextInput(ws.today().isoformat(), compact=True)),
        )
        yield from self.row(
            "note",
            "Handover note",
            TextInput("", compact=True, placeholder="what the next one needs to know"),
        )

    def save(self) -> Client:
        start = self.date("start", required=True)
        self.problems_so_far()
        return hand_over(
            self.workspace,
            self.client_uid,
            self.text("name"),
            str(self.value("role")),
            start,
            self.text("note"),
        )
