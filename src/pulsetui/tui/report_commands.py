"""Command palette entries for what is sent to a client: "Weekly report: <client>" for
each of the signed-in manager's clients opens the week's report in a preview, to save
or copy (:mod:`pulsetui.tui.screens.report_preview`). In a call only the client in
view is offered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pulsetui.domain.names import ranked
from pulsetui.reports.weekly import weekly_markdown
from pulsetui.reports.weekly_html import weekly_html
from pulsetui.reports.weekly_text import weekly_text
from pulsetui.service.weekly import weekly_report
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.report_preview import ReportForms, ReportPreview
from pulsetui.tui.widgets.literal import one_line

if TYPE_CHECKING:
    from pulsetui.tui.app import PulseApp

NAME_HIT = 1_000_000.0  # hits on a name rank above the fuzzy ones, in the matcher's order


def weekly_forms(ws: Workspace, client: str) -> ReportForms:
    """This week's report of ``client`` as Markdown, an HTML page and plain text (the
    text is what goes into a mail)."""
    report = weekly_report(ws, client)
    return ReportForms(
        f"Weekly report {report.client_name} {report.week}",
        {".md": weekly_markdown(report), ".html": weekly_html(report), ".txt": weekly_text(report)},
        mail=".txt",
    )


def weekly_preview(ws: Workspace, client: str, name: str) -> ReportPreview:
    return ReportPreview(f"Weekly report: {one_line(name)}", lambda: weekly_forms(ws, client))


class ReportCommands(Provider):
    """The reports a client can be sent, one entry per client."""

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

    def _open(self, client: str, name: str) -> Callable[[], Any]:
        app = self.pulse_app

        def run() -> None:
            app.push_screen(weekly_preview(app.workspace, client, name))

        return run

    def _entries(self) -> list[tuple[str, str, str]]:
        """(shown, client uid, client name) per client."""
        return [(f"Weekly report: {one_line(name)}", uid, name) for uid, name in self._clients]

    async def discover(self) -> Hits:
        for shown, uid, name in self._entries():
            yield DiscoveryHit(shown, self._open(uid, name), help="preview, save or copy")

    async def search(self, query: str) -> Hits:
        """Clients whose name matches as names match everywhere, then fuzzy matches of
        "Weekly report: <name>"."""
        matcher = self.matcher(query)
        entries = self._entries()
        named = ranked(query, entries, name=lambda e: e[2], uid=lambda e: e[1])
        hits = [(NAME_HIT - index, entry) for index, entry in enumerate(named)]
        seen = {entry[1] for entry in named}
        for entry in entries:
            if entry[1] not in seen and (score := matcher.match(entry[0])) > 0:
                hits.append((score, entry))
        for score, (shown, uid, name) in hits:
            command = self._open(uid, name)
            yield Hit(score, matcher.highlight(shown), command, text=shown, help="weekly report")
