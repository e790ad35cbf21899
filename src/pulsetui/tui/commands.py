"""The command palette provider (ctrl+p): jump to any client or consultant and to the
agreements of your clients, switch section, and run the "new ..." actions. Names are
matched as everywhere (:mod:`pulsetui.domain.names`); the records are indexed once in a
thread worker and the index is reused until the store changes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from pulsetui.domain.names import fold, ranked
from pulsetui.service.views.audience import Audience
from pulsetui.tui.widgets.literal import markup_text, one_line

if TYPE_CHECKING:
    from pulsetui.service.workspace import Workspace
    from pulsetui.tui.app import PulseApp

ENPS_ROUND = "new_record('enps_round')"
# actions about internal matters (eNPS): offered only to an audience that sees them
INTERNAL_ACTIONS = frozenset({ENPS_ROUND})

ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("New NPS answer", "new_nps", "Record a client's 0-10 answer"),
    ("New agenda item", "new_agenda_item", "Add an item to a client's agenda backlog"),
    ("New agreement", "new_agreement", "Log an agreement with a client"),
    ("New pulse", "new_pulse", "Start a pulse conversation with a consultant"),
    ("New client", "new_record('client')", "A client with contacts and meeting cadence"),
    ("New consultant", "new_record('consultant')", "A consultant and where they work"),
    ("Place a consultant", "new_record('engagement')", "A consultant placed at a client"),
    ("New wish or request", "new_record('request')", "What a client asked for"),
    ("New touchpoint", "new_record('touchpoint')", "A contact with a client between meetings"),
    ("Open an eNPS round", ENPS_ROUND, "Take eNPS answers until a closing date"),
    ("Guided setup", "new_record('setup')", "Your name, a client, your consultants"),
    ("Call mode on/off", "toggle_call_mode", "Hide private and internal data while sharing"),
    ("Go to Today", "goto('today')", "The start screen"),
    ("Go to Consultants", "goto('consultants')", "Consultants and pulse conversations"),
    ("Go to Clients", "goto('clients')", "Clients and meetings"),
    ("Go to Agreements", "goto('agreements')", "The agreement log"),
    ("Go to Segments", "goto('segments')", "The 2x2 of your clients and the self-check"),
    ("Go to Three hats", "goto('hats')", "Each consultant's pulse beside the client's health"),
)

MAX_AGREEMENT_TEXT = 60

Candidate = tuple[str, str, str, str, str]  # (display, kind, uid, help, name matched)
Scored = tuple[float, Candidate]
NAME_HIT = 1_000_000.0  # hits on a name rank above the fuzzy ones, in the matcher's order


def build_index(ws: Workspace) -> list[Candidate]:
    """The records the palette jumps to: every client and consultant, and the agreements
    of the signed-in manager's clients (the agreement log reaches every other one).
    Read through the indexes, never by decoding every agreement."""
    records: list[Candidate] = []
    clients: dict[str, str] = {}
    for doc in list(ws.docs("client")):
        name = str(doc.get("name", ""))
        clients[doc["uid"]] = name
        records.append((f"Client: {one_line(name)}", "client", doc["uid"], "open client", name))
    for doc in list(ws.docs("consultant")):
        name = str(doc.get("name", ""))
        records.append(
            (f"Consultant: {one_line(name)}", "consultant", doc["uid"], "open consultant", name)
        )
    mine = sorted(
        list(ws.docs("client", manager=ws.me)) if ws.me else [],
        key=lambda d: str(d.get("name", "")).casefold(),
    )
    for client in mine:
        name = one_line(client.get("name", ""))
        for doc in ws.docs("agreement", client=client["uid"]):
            text = str(doc.get("text", ""))
            shown = one_line(text, MAX_AGREEMENT_TEXT)
            records.append(
                (f"Agreement: {shown}", "agreement", doc["uid"], agreement_help(name, doc), text)
            )
    for record in records:
        fold(record[4])  # folded here, off the UI thread, not on the first keystroke
    return records


def agreement_help(client: str, doc: dict[str, Any]) -> str:
    """An agreement row's second line: whose it is and the days that tell two agreements
    with the same words apart (made, due, and how it ended)."""
    parts = [f"agreement with {client}", f"made {doc.get('created') or 'no date'}"]
    if doc.get("due"):
        parts.append(f"due {doc['due']}")
    status = str(doc.get("status") or "open")
    if status != "open":
        parts.append(status)
    return " · ".join(parts)


def highlighted(matcher: Matcher, candidate: str) -> Content:
    """``candidate`` as written (a name holding "[bold]" shows the brackets), with the
    letters the query matched highlighted as the palette highlights them."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def call_records(ws: Workspace, audience: Audience) -> list[Candidate]:
    """The records a call may jump to: the client in view, the consultants placed there."""
    from pulsetui.service.views.choices import client_choices, consultant_choices

    clients = [
        (f"Client: {one_line(c.name)}", "client", c.uid, "open client", c.name)
        for c in client_choices(ws, audience)
    ]
    consultants = [
        (f"Consultant: {one_line(c.name)}", "consultant", c.uid, "open consultant", c.name)
        for c in consultant_choices(ws, audience)
    ]
    return clients + consultants


def matching(query: str, matcher: Matcher, candidates: list[Candidate]) -> list[Scored]:
    """The candidates the palette lists for ``query``, scored: those whose name matches
    as names match everywhere (ranked), then fuzzy matches of the rest."""
    named = ranked(query, candidates, name=lambda c: c[4], uid=lambda c: c[2])
    hits = [(NAME_HIT - index, c) for index, c in enumerate(named)]
    seen = {id(c) for c in named}
    for candidate in candidates:
        if id(candidate) not in seen and (score := matcher.match(candidate[0])) > 0:
            hits.append((score, candidate))
    return hits


async def listed_agreements(
    app: PulseApp, query: str, matcher: Matcher, uids: set[str]
) -> set[str]:
    """Those of the agreements ``uids`` this palette lists for ``query`` as records to
    jump to (so no other provider lists them again); only they are matched."""
    if app.call_mode or not uids:
        return set()
    records = await app.record_index.records(app)
    agreements = [c for c in records if c[1] == "agreement" and c[2] in uids]
    return {c[2] for _, c in matching(query, matcher, agreements)}


class RecordIndex:
    """The palette's candidates, built once in a thread worker and reused until the
    store changes (the app's ``data_version``)."""

    def __init__(self) -> None:
        self._version: int | None = None
        self._records: list[Candidate] = []
        self._building: tuple[int | None, Worker[list[Candidate]]] | None = None

    def fresh(self, app: PulseApp) -> bool:
        return app.data_version == self._version

    async def records(self, app: PulseApp) -> list[Candidate]:
        """The candidates, built again (off the UI thread) if the store changed."""
        if self.fresh(app):
            return self._records
        version = app.data_version
        building = self._building
        if building is None or building[0] != version or building[1].is_finished:
            # the version is read before the records, so a save made while they are
            # read leaves the index stale, never the other way round
            worker = app.run_worker(
                partial(self._build, app.workspace),
                thread=True,
                group="palette-index",
                exit_on_error=False,
            )
            building = self._building = (version, worker)
        try:
            # shielded: a search given up (a key typed into the palette cancels the one
            # before) must not cancel the read every later search waits for
            records = await asyncio.shield(building[1].wait())
        except (WorkerFailed, WorkerCancelled):
            return self._records
        self._records, self._version = records, building[0]
        return records

    @staticmethod
    def _build(ws: Workspace) -> list[Candidate]:
        for _attempt in range(3):
            try:
                return build_index(ws)
            except RuntimeError:  # the view changed while it was read; read again
                continue
        return []


class PulseCommands(Provider):
    """Records to jump to and the app's actions."""

    @property
    def pulse_app(self) -> PulseApp:
        return cast("PulseApp", self.app)

    async def startup(self) -> None:
        app = self.pulse_app
        # while sharing the screen, only the client in view and the consultants placed
        # there may be reached
        self._in_call = call_records(app.workspace, app.audience) if app.call_mode else None

    async def _records(self) -> list[Candidate]:
        """The records to match: read by each search, not at startup, whose cancelling
        (Textual cancels it with the first search given up) would leave the palette
        without records and actions until it is opened again."""
        if self._in_call is not None:
            return self._in_call
        app = self.pulse_app
        return await app.record_index.records(app)

    def _run_action(self, action: str) -> Callable[[], Any]:
        app = self.pulse_app

        async def run() -> None:
            await app.run_action(action)

        return run

    def _actions(self) -> list[tuple[str, str, str]]:
        app = self.pulse_app
        available = []
        internal = app.audience.sees_internal
        for title, action, help_text in ACTIONS:
            name = action.split("(")[0]
            if action in INTERNAL_ACTIONS and not internal:
                continue
            if app.action_available(name, self.screen):
                available.append((title, action, help_text))
        return available

    def _open(self, kind: str, uid: str) -> Callable[[], Any]:
        app = self.pulse_app

        def run() -> None:
            app.show_record(kind, uid)

        return run

    async def discover(self) -> Hits:
        for title, action, help_text in self._actions():
            yield DiscoveryHit(title, self._run_action(action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions and records whose name matches the query as names match everywhere
        (accents, case and script aside; ranked), then fuzzy matches of the rest."""
        records = await self._records()
        matcher = self.matcher(query)
        actions = [(t, "action", a, h, t) for t, a, h in self._actions()]
        for score, (display, kind, target, help_text, _) in matching(
            query, matcher, [*actions, *records]
        ):
            command = self._run_action(target) if kind == "action" else self._open(kind, target)
            yield Hit(
                score,
                highlighted(matcher, display),
                command,
                text=display,
                help=markup_text(help_text),
            )
