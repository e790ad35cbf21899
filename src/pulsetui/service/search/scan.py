"""Search by reading every written record once: what one command asks, and the baseline
the index is measured against. It ranks and groups exactly as the index does.

Records are read one at a time; a match keeps its rank key, kind and the hash of its
text's group, not the text: the rows shown are read again (as the index does), so a
word found in most of a firm's records is never held as their texts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from pulsetui.domain.search_terms import Reach, fold_words, held, query_terms, term_reaches
from pulsetui.service.search.index_records import group_key
from pulsetui.service.search.results import SearchResults, rank_key, results
from pulsetui.service.search.sources import KINDS, Seen, Written, read_written, written
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

LIMIT = 100
STOP_EVERY = 1000  # records read between two looks at ``stop``

# a record found: words of the query it holds, how, rank key (its uid is key[7:]), kind,
# and the hash of the group of records sharing its text
Match = tuple[int, Reach, str, str, int]


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
    matches: list[Match] = []
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
                        key = rank_key(item.day, item.uid)
                        matches.append((count, reach, key, item.kind, group_key(item)))
    most = max((count for count, *_ in matches), default=0)
    found = [match for match in matches if match[0] == most]
    del matches
    found.sort(key=lambda match: match[2], reverse=True)
    found.sort(key=lambda match: match[1])
    counts = Counter(match[4] for match in found)
    same: dict[str, int] = {}  # uid of a row -> records sharing its text
    return results(
        ws,
        query,
        terms,
        _read_again(ws, found, counts, same),
        lambda item: same.get(item.uid, 1),
        len(found),
        limit,
        most,
    )


def _read_again(
    ws: Workspace, found: list[Match], counts: Counter[int], same: dict[str, int]
) -> Iterator[tuple[Reach, Written]]:
    """The first match of each group of texts, best first, read again from the workspace
    only as far as the rows need (a record deleted meanwhile is passed over)."""
    shown: set[int] = set()
    for _, reach, key, kind, group in found:
        if group in shown:
            continue
        shown.add(group)
        doc = ws.doc(kind, key[7:])
        if doc is not None:
            same[key[7:]] = counts[group]
            yield reach, written(ws, kind, doc)
