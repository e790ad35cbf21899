"""Command palette entries for what is sent to a client, for each of the signed-in
manager's clients: "Weekly report: <client>", "Agenda to send: <client>" (the next
meeting's agenda and invite) and "Meeting summary: <client>" (the last meeting held)
each open a preview to save or copy (:mod:`pulsetui.tui.screens.report_preview`);
"Work note: <client>" adds a line to this week's report (done, next, or a risk with its
way out); "Weekly report sent: <client>" records that the report due now went out, so
Today no longer lists it. In a call only the client in view is offered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.names import ranked
from pulsetui.tui.commands import highlighted
from pulsetui.tui.widgets.literal import one_line

if TYPE_CHECKING:
    from pulsetui.tui.app import PulseApp

NAME_HIT = 1_000_000.0  # hits on a name rank above the fuzzy ones, in the matcher's order

Run = Callable[["PulseApp", str, str], None]  # (app, client uid, client name)


def previewing(what: str, builder: str) -> Run:
    """Open the preview of the report :mod:`pulsetui.reports.sendable`'s ``builder``
    makes (the reports and the preview are imported when first asked for: the calendar
    library behind an invite costs the start-up a quarter of a second otherwise)."""

    def run(app: PulseApp, client: str, name: str) -> None:
        from pulsetui.reports import sendable
        from pulsetui.tui.screens.report_preview import ReportPreview

        build = getattr(sendable, builder)
        ws = app.workspace
        app.push_screen(ReportPreview(f"{what}: {one_line(name)}", lambda: build(ws, client)))

    return run


def add_work_note(app: PulseApp, client: str, name: str) -> None:
    from pulsetui.tui.screens.work_note_modal import WorkNoteModal

    app.push_screen(WorkNoteModal(client, name))


def mark_sent(app: PulseApp, client: str, name: str) -> None:
    from pulsetui.service.weekly import record_sent

    try:
        sent = record_sent(app.workspace, client)
    except InvalidInput as exc:
        app.notify(str(exc), severity="error", markup=False)
        return
    shown = f"Recorded: the report of {sent.week} for {one_line(name)} was sent today."
    app.notify(shown, timeout=4, markup=False)


# (what, the palette's help line, what it does)
ACTIONS: tuple[tuple[str, str, Run], ...] = (
    (
        "Weekly report",
        "this week's report: preview, save or copy",
        previewing("Weekly report", "weekly_forms"),
    ),
    (
        "Agenda to send",
        "the next meeting's agenda and invite",
        previewing("Agenda to send", "agenda_forms"),
    ),
    (
        "Meeting summary",
        "what the last meeting produced",
        previewing("Meeting summary", "summary_forms"),
    ),
    ("Work note", "a line for this week's report: done, next or a risk", add_work_note),
    ("Weekly report sent", "record that the report due now went out", mark_sent),
)

# (shown, client uid, client name, index in ACTIONS)
Entry = tuple[str, str, str, int]


class ReportCommands(Provider):
    """The reports a client can be sent, and the lines of the weekly one."""

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
        _shown, client, name, index = entry

        def run() -> None:
            ACTIONS[index][2](app, client, name)

        return run

    def _entries(self) -> list[Entry]:
        return [
            (f"{what}: {one_line(name)}", uid, name, index)
            for index, (what, _help, _run) in enumerate(ACTIONS)
            for uid, name in self._clients
        ]

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(Text(entry[0]), self._open(entry), help=ACTIONS[entry[3]][1])

    async def search(self, query: str) -> Hits:
        """Entries whose client's name matches as names match everywhere, then fuzzy
        matches of what they say ("weekly kuusi")."""
        matcher = self.matcher(query)
        entries = self._entries()
        named = ranked(query, entries, name=lambda e: e[2], uid=lambda e: f"{e[1]}:{e[3]}")
        # half a point below the record of the same name: the client itself comes first
        # on the complete list, whichever provider answered first
        hits = [(NAME_HIT - index - 0.5, entry) for index, entry in enumerate(named)]
        seen = {(e[1], e[3]) for e in named}
        for entry in entries:
            if (entry[1], entry[3]) not in seen and (score := matcher.match(entry[0])) > 0:
                hits.append((score, entry))
        for score, entry in hits:
            shown, help_text = entry[0], ACTIONS[entry[3]][1]
            command = self._open(entry)
            yield Hit(score, highlighted(matcher, shown), command, text=shown, help=help_text)
