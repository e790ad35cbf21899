"""The request form: a client's wish, support request or feedback, what became of it
(new, accepted with a plan, accepted without one, rejected, done) and whether promised
work was delivered early and free. Saved with
:func:`pulsetui.service.portfolio.save_request`."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from pulsetui.domain.enums import RequestKind
from pulsetui.domain.errors import FieldProblem
from pulsetui.domain.models import Client, Request
from pulsetui.service.portfolio import request_choice, save_request
from pulsetui.tui.screens.forms import pickers
from pulsetui.tui.screens.forms.form_base import RecordForm, choices
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.text_fields import TextInput
from pulsetui.tui.widgets.tick_box import TickBox

KINDS = [
    ("wish", RequestKind.WISH.value),
    ("support request", RequestKind.SUPPORT.value),
    ("feedback", RequestKind.FEEDBACK.value),
]
STATUSES = [
    ("new: not decided yet", "new"),
    ("accepted with a plan (scope, time, price)", "accepted_with_plan"),
    ("accepted without a plan", "accepted_no_plan"),
    ("rejected", "rejected"),
    ("done", "done"),
]


class RequestForm(RecordForm):
    """A new request or wish of ``client`` (asked when None), or one to change."""

    NOUN = "request"
    HELP_TITLE = "Request or wish"
    HELP = """\
What the client asked for: a wish, a support request or feedback, in their words. What
became of it: new, accepted with a plan (scope, time and price agreed), accepted without
a plan (a red flag: agreeing to every wish), rejected, done. Early and free: promised
work delivered early and free of charge (twice is a red flag). Tab / Enter move on;
Enter in the text or ctrl+s saves; Esc closes and keeps what was
changed as a draft (F8 clears it)."""
    SAVE_ON_ENTER = ("text",)

    def __init__(self, client: str | None = None, uid: str | None = None) -> None:
        super().__init__(uid)
        self.client_uid = client
        self.record: Request | None = None

    def form_title(self) -> str:
        ws = self.workspace
        record = ws.get(Request, self.uid) if self.uid else None
        client = ws.get(Client, record.client if record else self.client_uid or "")
        noun = "Request" if record else "New wish or request"
        return f"{noun} · {client.name}" if client else noun

    def compose_fields(self) -> ComposeResult:
        ws = self.workspace
        self.record = r = ws.get(Request, self.uid) if self.uid else None
        if r is None and (self.client_uid is None or not self._in_view(self.client_uid)):
            yield from self.row(
                "client",
                "Client",
                Choice(
                    pickers.client_choices(self.pulse_app), prompt="choose (Enter)", compact=True
                ),
            )
        yield from self.row(
            "text",
            "Asked for",
            TextInput(r.text if r else "", compact=True, placeholder="in their words"),
        )
        yield from self.pair(
            (
                "kind",
                "Kind",
                Choice(
                    choices(KINDS),
                    value=(r.kind if r else RequestKind.WISH).value,
                    allow_blank=False,
                    compact=True,
                ),
            ),
            (
                "date",
                "Asked on",
                TextInput(str(r.date) if r else ws.today().isoformat(), compact=True),
            ),
        )
        yield from self.row(
            "status",
            "Became",
            Choice(
                choices(STATUSES),
                value=request_choice(r) if r else "new",
                allow_blank=False,
                compact=True,
            ),
        )
        yield from self.row(
            "delivered_early_free",
            "Early & free",
            TickBox(
                "delivered early and free of charge",
                r.delivered_early_free if r else False,
                compact=True,
            ),
        )

    def _in_view(self, client: str) -> bool:
        return pickers.audience(self.pulse_app).sees_client(client)

    def first_focus(self) -> Any:
        return self.query_one("#f-client" if self.has_field("client") else "#f-text")

    def save(self) -> Request:
        date = self.date("date", required=True)
        client = self.record.client if self.record else self.client_uid
        if self.has_field("client"):
            client = self.value("client")
            if client is None:
                self._problems.append(FieldProblem("client", "choose the client"))
        self.problems_so_far()
        fields: dict[str, Any] = {
            "text": self.text("text").strip(),
            "kind": self.value("kind"),
            "date": date,
            "delivered_early_free": bool(self.value("delivered_early_free")),
        }
        if self.record is None:
            fields["client"] = client
        return save_request(self.workspace, self.uid, choice=str(self.value("status")), **fields)
