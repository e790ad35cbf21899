"""The engagement form: a consultant placed at a client, from a start day (to an end
day), who talks with the client and in what role, and whether the team was grown for
unplanned work. Saved with :func:`pulsetui.service.portfolio.save_engagement`."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Select

from pulsetui.domain.enums import CommunicatorRole
from pulsetui.domain.models import Client, Consultant, Engagement, Manager
from pulsetui.service.portfolio import save_engagement
from pulsetui.tui.screens.forms import pickers
from pulsetui.tui.screens.forms.form_base import RecordForm, choices
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.text_fields import NoteArea, TextInput
from pulsetui.tui.widgets.tick_box import TickBox

ROLES = [
    ("delivery lead", CommunicatorRole.DELIVERY_LEAD.value),
    ("manager", CommunicatorRole.MANAGER.value),
    ("business", CommunicatorRole.BUSINESS.value),
    ("technical only", CommunicatorRole.TECHNICAL.value),
]


class EngagementForm(RecordForm):
    """A new engagement (``client`` / ``consultant`` pre-selected) or one to change."""

    NOUN = "engagement"
    HELP_TITLE = "Engagement"
    HELP = """\
A consultant placed at a client. From / To: the first and last day (To empty while it
runs) — 2026-12-01, mon, +2w, today. Talks with: the main communicator towards the client
(rotate the "talking head"; never a purely technical person) and their role. Unplanned:
the team was grown for work nobody planned (a red flag). Tab / Enter move on; ctrl+s
saves; Esc closes and keeps what was changed as a draft (F8 clears it)."""

    def __init__(
        self, uid: str | None = None, client: str | None = None, consultant: str | None = None
    ) -> None:
        super().__init__(uid)
        self.record: Engagement | None = None
        self.client_uid = client
        self.consultant_uid = consultant

    def form_title(self) -> str:
        return "Engagement" if self.uid else "Place a consultant at a client"

    def compose_fields(self) -> ComposeResult:
        ws = self.workspace
        self.record = ws.get(Engagement, self.uid) if self.uid else None
        r = self.record
        client = r.client if r else self.client_uid
        consultant = r.consultant if r else self.consultant_uid
        app = self.pulse_app
        client_options = pickers.client_choices(app)
        consultant_options = pickers.consultant_choices(app)
        if r is not None:  # the record's own, even when no longer in the lists
            client_options = _with(client_options, ws.get(Client, r.client))
            consultant_options = _with(consultant_options, ws.get(Consultant, r.consultant))
        yield from self.row(
            "consultant",
            "Consultant",
            Choice(
                consultant_options,
                value=_preset(consultant, consultant_options),
                prompt="choose (Enter)",
                compact=True,
            ),
        )
        yield from self.row(
            "client",
            "Client",
            Choice(
                client_options,
                value=_preset(client, client_options),
                prompt="choose (Enter)",
                compact=True,
            ),
        )
        yield from self.pair(
            (
                "start",
                "From",
                TextInput(str(r.start) if r else ws.today().isoformat(), compact=True),
            ),
            (
                "end",
                "To",
                TextInput(str(r.end or "") if r else "", compact=True, placeholder="runs"),
            ),
        )
        names = pickers.contact_names(app, client) + [m.name for m in ws.list(Manager)]
        yield from self.row(
            "main_communicator",
            "Talks with",
            TextInput(
                r.main_communicator if r else "",
                compact=True,
                placeholder="who talks with the client",
                suggester=SuggestFromList(names, case_sensitive=False),
            ),
        )
        yield from self.pair(
            (
                "communicator_role",
                "Their role",
                Choice(
                    choices(ROLES),
                    value=(r.communicator_role if r else CommunicatorRole.DELIVERY_LEAD).value,
                    allow_blank=False,
                    compact=True,
                ),
            ),
            (
                "unplanned",
                "Unplanned",
                TickBox("grown for it", r.unplanned if r else False, compact=True),
            ),
        )
        if not app.call_mode:
            yield from self.row("notes", "Notes", NoteArea(r.notes if r else "", compact=True))

    def save(self) -> Engagement:
        start = self.date("start", required=True)
        end = self.date("end")
        for name in ("consultant", "client"):
            if self.value(name) is None:
                self._problems.append(_missing(name))
        self.problems_so_far()
        fields: dict[str, Any] = {
            "client": self.value("client"),
            "consultant": self.value("consultant"),
            "start": start,
            "end": end,
            "main_communicator": self.text("main_communicator"),
            "communicator_role": self.value("communicator_role"),
            "unplanned": bool(self.value("unplanned")),
        }
        if self.has_field("notes"):
            fields["notes"] = self.text("notes")
        return save_engagement(self.workspace, self.uid, **fields)


def _missing(name: str) -> Any:
    from pulsetui.domain.errors import FieldProblem

    return FieldProblem(name, f"choose the {name}")


def _preset(value: str | None, options: list[Any]) -> Any:
    return value if value in {v for _label, v in options} else Select.NULL


def _with(options: list[Any], record: Client | Consultant | None) -> list[Any]:
    if record is None or record.uid in {v for _label, v in options}:
        return options
    return [*options, *choices([(record.name, record.uid)])]
