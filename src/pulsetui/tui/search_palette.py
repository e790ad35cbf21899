"""The command palette's search of everything written: as the query is typed, the best
rows of the search screen (day, kind, client, snippet) to open at once, and "Search
everything for …" to see them all on the search screen. The search runs in a thread
through the workspace's search index; while the index is still being read or built the
rows wait for it (the search screen searches without it meanwhile). An agreement the
palette already lists as a record to jump to is not listed again. In call mode it
searches as the call may see (the app's audience)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from pulsetui.domain.search_terms import query_terms, snippet
from pulsetui.tui.commands import listed_agreements
from pulsetui.tui.widgets.literal import markup_text, one_line

if TYPE_CHECKING:
    from pulsetui.service.search import SearchHit
    from pulsetui.tui.app import PulseApp

PALETTE_ROWS = 8
SNIPPET = 60
# Where rows rank among the palette's other hits: below its hits on names (scored from
# 1,000,000 down) and below fuzzy matches that hold the query almost as typed (a client
# typed as "client Saimaa"), above fuzzy matches scattered through a text. Textual's
# fuzzy score grows with the letters matched and falls with the gaps between them; a
# row scores this share of what the query would score on itself.
NEAR_AS_TYPED = 0.4


class WrittenCommands(Provider):
    """Rows of everything written that match, and the search screen."""

    @property
    def pulse_app(self) -> PulseApp:
        return cast("PulseApp", self.app)

    async def startup(self) -> None:
        self.pulse_app.search_readiness.start(self.pulse_app)  # if it was not yet

    def _search_screen(self, query: str) -> Callable[[], Any]:
        app = self.pulse_app

        def run() -> None:
            from pulsetui.tui.screens.search import SearchScreen

            app.push_screen(SearchScreen(query))

        return run

    def _open(self, kind: str, uid: str) -> Callable[[], Any]:
        app = self.pulse_app

        def run() -> None:
            app.show_record(kind, uid)

        return run

    async def discover(self) -> Hits:
        yield DiscoveryHit(
            "Search everything written",
            self._search_screen(""),
            help="Notes, agendas, agreements, wishes, touchpoints, reasons",
        )

    async def search(self, query: str) -> Hits:
        if not query_terms(query):
            return
        shown = one_line(query, 40)
        matcher = self.matcher(query)
        top = NEAR_AS_TYPED * matcher.match(query)
        app = self.pulse_app
        index = app.search_readiness.index(app)
        yield Hit(
            top,
            Text(f"Search everything for “{shown}”"),
            self._search_screen(query),
            text=f"Search everything for {shown}",
            help="Every match, on the search screen"
            if index.ready
            else "Indexing everything written: the search screen finds matches meanwhile",
        )
        if not await app.search_readiness.ready(app):
            return
        found = await asyncio.to_thread(index.search, app.audience, query, PALETTE_ROWS)
        found_agreements = {hit.uid for hit in found.hits if hit.kind == "agreement"}
        listed = await listed_agreements(app, query, matcher, found_agreements)
        hits = [hit for hit in found.hits if not (hit.kind == "agreement" and hit.uid in listed)]
        for number, hit in enumerate(hits):
            title = row_title(hit, found.terms)
            yield Hit(
                top * (0.99 - number / 1000),
                Text(title),
                self._open(*hit.opens),
                text=title,
                help=markup_text(row_help(hit)),
            )


def row_title(hit: SearchHit, terms: tuple[str, ...]) -> str:
    """A palette row's first line: the kind and the snippet around the words found."""
    same = f"{hit.same}× " if hit.same > 1 else ""
    kind = hit.label[:1].upper() + hit.label[1:]  # "NPS", not "Nps"
    return f"{kind}: {same}{one_line(snippet(hit.snippet, terms, SNIPPET))}"


def row_help(hit: SearchHit) -> str:
    """A palette row's second line: the day and the client (or consultant)."""
    day = hit.day.isoformat() if hit.day else "no date"
    return f"{day} · {one_line(hit.about, 40)}" if hit.about else day
