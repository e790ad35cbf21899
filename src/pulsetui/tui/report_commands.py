"""Command palette entries for what is sent to a client, for each of the signed-in
manager's clients: "Weekly report: <client>", "Agenda to send: <client>" (the next
meeting's agenda and invite) and "Meeting summary: <client>" (the last meeting held)
each open a preview to save or copy (:mod:`pulsetui.tui.screens.report_preview`);
"Weekly report sent: <client>" records
that this week's report went out, so it is no longer due on Today. In a call only the
client in view is offered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.names import ranked
from pulsetui.reports.sendable import ReportForms, agenda_forms, summary_forms, weekly_forms
from pulsetui.service.weekly import record_sent
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.report_preview import ReportPreview
from pulsetui.tui.widgets.literal import one_line

if TYPE_CHECKING:
    from pulsetui.tui.app import PulseApp

NAME_HIT = 1_000_000.0  # hits on a name rank above the fuzzy ones, in the matcher's order

# (what, how it is made, the palette's help line)
KINDS: tuple[tuple[str, Callable[[Workspace, str], ReportForms], str], ...] = (
    ("Weekly report", weekly_forms, "this week's report: preview, save or copy"),
    ("Agenda to send", agenda_forms, "the next meeting's agenda and invite"),
    ("Meeting summary", summary_forms, "what the last meeting produced"),
)

SENT = "Weekly report sent"
SENT_HELP = "record that the report due now went out"

# (shown, client uid, client name, its index in KINDS, or len(KINDS) for "sent")
Entry = tuple[str, str, str, int]


def _help(entry: Entry) -> str:
    return KINDS[entry[3]][2] if entry[3] < len(KINDS) else SENT_HELP


def preview(ws: Workspace, kind: int, client: str, name: str) -> ReportPreview:
    """The preview of one kind of report for ``client``."""
    what, build, _help = KINDS[kind]
    return ReportPreview(f"{what}: {one_line(name)}", lambda: build(ws, client))


class ReportCommands(Provider):
    """The reports a client can be sent."""

    @property
    def pulse_app(self) -> PulseApp:
        return cast("PulseApp", self.app)

    async def startup(self) -> None:
        app = self.pulse_app
        ws = app.workspace
        self._clients: list[tuple[str, str]] = []
        if app.call_mode:
            client = app.call_client
            doc = ws.doc("client", client) if client else None
            if doc is not None:
                self._clients = [(str(doc["uid"]), str(doc.get("name", "")))]
            return
        mine = ws.docs("client", manager=ws.me) if ws.me else iter(())
        self._clients = sorted(
            ((str(d["uid"]), str(d.get("name", ""))) for d in mine),
            key=lambda pair: pair[1].casefold(),
        )

    def _open(self, entry: Entry) -> Callable[[], Any]:
        app = self.pulse_app
        _shown, client, name, kind = entry

        def run() -> None:
            if kind < len(KINDS):
                app.push_screen(preview(app.workspace, kind, client, name))
                return
            try:
                sent = record_sent(app.workspace, client)
            except InvalidInput as exc:
                app.notify(str(exc), severity="error", markup=False)
                return
            app.notify(
                f"Recorded: the report of {sent.week} for {one_line(name)} was sent today.",
                timeout=4,
                markup=False,
            )

        return run

    def _entries(self) -> list[Entry]:
        whats = [
            *((what, index) for index, (what, _build, _help) in enumerate(KINDS)),
            (SENT, len(KINDS)),
        ]
        return [
            (f"{what}: {one_line(name)}", uid, name, index)
            for what, index in whats
            for uid, name in self._clients
        ]

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry[0], self._open(entry), help=_help(entry))

    async def search(self, query: str) -> Hits:
        """Entries whose client's name matches as names match everywhere, then fuzzy
        matches of what they say ("weekly kuusi")."""
        matcher = self.matcher(query)
        entries = self._entries()
        named = ranked(query, entries, name=lambda e: e[2], uid=lambda e: f"{e[1]}:{e[3]}")
        hits = [(NAME_HIT - index, entry) for index, entry in enumerate(named)]
        seen = {(e[1], e[3]) for e in named}
        for entry in entries:
            if (entry[1], entry[3]) not in seen and (score := matcher.match(entry[0])) > 0:
                hits.append((score, entry))
        for score, entry in hits:
            shown = entry[0]
            command = self._open(entry)
            yield Hit(score, matcher.highlight(shown), command, text=shown, help=_help(entry))
