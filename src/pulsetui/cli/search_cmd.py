"""``pulsetui search TEXT``: everything written that matches, ranked, one row per text
with its day, kind, client (or consultant) and a snippet; ``--json`` for scripts. The
command searches as the signed-in manager: their own pulse notes included; through the
search index the app keeps beside the view when it fits, else by reading every record."""

from __future__ import annotations

import click

from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.output import WIDTH, clip, emit_json, json_option, say
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.search_terms import MIN_QUERY, query_terms, snippet
from pulsetui.domain.text import safe_line
from pulsetui.service.search import SearchHit, search_once
from pulsetui.service.views.audience import Audience

MAX_LIMIT = 1000


def row(hit: SearchHit, terms: tuple[str, ...]) -> str:
    """One result as a line of at most 80 columns, its text around the words found."""
    day = hit.day.isoformat() if hit.day else "-"
    same = f"{hit.same}× " if hit.same > 1 else ""
    head = f"{day}  {hit.label:<10}  {clip(safe_line(hit.about), 18):<18}  "
    room = WIDTH - len(head) - len(same)
    return head + clip(same + safe_line(snippet(hit.snippet, terms, room)), WIDTH - len(head))


@click.command("search")
@click.argument("text")
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=50,
    show_default=True,
    help="At most this many rows.",
)
@json_option
@pass_ctx
def search_cmd(ctx: Context, text: str, limit: int, as_json: bool) -> None:
    """Search everything written: pulse notes (your own), meeting notes, agenda items,
    agreements, requests, touchpoints, NPS reasons and notes on red flags.

    Accents, case and script do not matter ("oie" finds "Õie", "dmit" finds
    "Дмитрий"); every word typed must be found. Whole words rank first, then word
    starts, then newest first; the same text for one client is one row. When no record
    holds every word, those holding the most are listed, and the first line says so."""
    if not query_terms(text):
        raise InvalidInput.one(
            "text", f"must hold at least {MIN_QUERY} letters or digits (got {text!r})"
        )
    with ctx.workspace(readonly=True) as ws:
        found = search_once(ws, Audience.manager(ws.me), text, limit)
    if as_json:
        emit_json(
            {
                "query": text,
                "found": found.found,
                "every_word": found.every_word,
                "results": [h.as_dict() for h in found.hits],
            }
        )
        return
    if found.note:
        say(found.note)
    for hit in found.hits:
        say(row(hit, found.terms))
    shown = sum(hit.same for hit in found.hits)
    if shown < found.found:
        say(f"… {found.found - shown} more; narrow the search or raise --limit")
