"""Search by reading every written record once: what one command asks, and the baseline
the index is measured against. It ranks and groups exactly as the index does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from pulsetui.domain.search_terms import Reach, fold_words, held, query_terms, term_reaches
from pulsetui.service.search.results import SearchResults, rank_key, results, same_text
from pulsetui.service.search.sources import KINDS, Seen, Written, read_written
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

LIMIT = 100
STOP_EVERY = 1000  # records read between two looks at ``stop``


class ScanStopped(Exception):
    """The scan was stopped (its result is no longer wanted)."""


def scan(
    ws: Workspace,
    audience: Audience,
    query: str,
    limit: int = LIMIT,
    stop: Callable[[], bool] | None = None,
) -> SearchResults:
    """The records ``audience`` may see whose text ``query`` reaches (or, when none holds
    every word, those holding the most), ranked; at most ``limit`` rows. :class:`ScanStopped`
    when ``stop`` says so (it is asked now and then)."""
    terms = query_terms(query)
    matches: list[tuple[int, Reach, Written]] = []
    allowed: dict[Seen, bool] = {}
    if terms:
        for kind in KINDS:
            for number, item in enumerate(read_written(ws, kind)):
                if stop is not None and number % STOP_EVERY == 0 and stop():
                    raise ScanStopped
                ok = allowed.get(item.seen)
                if ok is None:
                    ok = allowed[item.seen] = item.seen.for_audience(audience)
                if ok:
                    count, reach = held(term_reaches(terms, fold_words(item.text)))
                    if reach is not None:
                        matches.append((count, reach, item))
    most = max((count for count, _, _ in matches), default=0)
    found = [(reach, item) for count, reach, item in matches if count == most]
    found.sort(key=lambda match: rank_key(match[1].day, match[1].uid), reverse=True)
    found.sort(key=lambda match: match[0])
    counts = Counter(same_text(item) for _, item in found)
    return results(ws, query, terms, found, lambda i: counts[same_text(i)], len(found), limit, most)
