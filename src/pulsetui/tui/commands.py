"""The command palette provider (ctrl+p): jump to any client, consultant or agreement,
switch section, and run the "new ..." actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pulsetui.tui.widgets.literal import one_line

ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("New NPS answer", "new_nps", "Record a client's 0-10 answer"),
    ("New agenda item", "new_agenda_item", "Add an item to a client's agenda backlog"),
    ("New agreement", "new_agreement", "Log an agreement with a client"),
    ("New pulse", "new_pulse", "Start a pulse conversation with a consultant"),
    ("Call mode on/off", "toggle_call_mode", "Hide private and internal data while sharing"),
    ("Go to Today", "section('today')", "The start screen"),
    ("Go to Consultants", "section('consultants')", "Consultants and pulse conversations"),
    ("Go to Clients", "section('clients')", "Clients and meetings"),
    ("Go to Agreements", "section('agreements')", "The agreement log"),
)

MAX_AGREEMENT_TEXT = 60


class PulseCommands(Provider):
    """Records to jump to and the app's actions."""

    async def startup(self) -> None:
        app: Any = self.app
        ws = app.workspace
        self._records: list[tuple[str, str, str, str]] = []  # (display, kind, uid, help)
        if app.call_mode:
            # while sharing the screen, only the client in view may be reached
            return
        clients = {}
        for doc in ws.docs("client"):
            clients[doc["uid"]] = doc.get("name", "")
            self._records.append(
                (f"Client: {one_line(doc.get('name', ''))}", "client", doc["uid"], "open client")
            )
        for doc in ws.docs("consultant"):
            self._records.append(
                (
                    f"Consultant: {one_line(doc.get('name', ''))}",
                    "consultant",
                    doc["uid"],
                    "open consultant",
                )
            )
        for doc in ws.docs("agreement"):
            text = one_line(doc.get("text", ""), MAX_AGREEMENT_TEXT)
            client = one_line(clients.get(doc.get("client", ""), ""))
            self._records.append(
                (f"Agreement: {text}", "agreement", doc["uid"], f"agreement with {client}")
            )

    def _run_action(self, action: str) -> Callable[[], Any]:
        app: Any = self.app

        async def run() -> None:
            await app.run_action(action)

        return run

    def _actions(self) -> list[tuple[str, str, str]]:
        app: Any = self.app
        available = []
        for title, action, help_text in ACTIONS:
            name = action.split("(")[0]
            if app.action_available(name, self.screen) is True:
                available.append((title, action, help_text))
        return available

    def _open(self, kind: str, uid: str) -> Callable[[], Any]:
        app: Any = self.app

        def run() -> None:
            app.run_worker(app.open_record(kind, uid), exclusive=True)

        return run

    async def discover(self) -> Hits:
        for title, action, help_text in self._actions():
            yield DiscoveryHit(title, self._run_action(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._run_action(action), help=help_text)
        for display, kind, uid, help_text in self._records:
            score = matcher.match(display)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(display),
                    self._open(kind, uid),
                    text=display,
                    help=help_text,
                )
