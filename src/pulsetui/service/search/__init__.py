"""Search across everything written: pulse notes (only the signed-in manager's own,
never in a call), meeting notes, agenda items, agreements, requests and wishes,
touchpoints, NPS reasons and notes on addressed red flags. Matching is
:mod:`pulsetui.domain.search_terms` (accents, case and script aside); who may see what
is the :class:`~pulsetui.service.views.audience.Audience`'s.

- :mod:`.sources` — what each kind of record offers to search, and who may see it;
- :mod:`.results` — ranked rows, identical texts grouped, as every front-end shows them;
- :mod:`.scan` — one search reading every record (the command line);
- :mod:`.index` — the index an app keeps up to date on save (a keystroke's search);
- :mod:`.index_records` — what the index holds, in memory and to and from its file;
- :mod:`.index_file` — the index kept on disk beside the view, never a source of truth;
- :mod:`.rebuild` — the index made ready from its file, or built in the background.
"""

from pulsetui.service.search.index import SearchIndex
from pulsetui.service.search.rebuild import prepare, search_once, stop
from pulsetui.service.search.results import SearchHit, SearchResults
from pulsetui.service.search.scan import ScanStopped, scan

__all__ = [
    "ScanStopped",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "prepare",
    "scan",
    "search_once",
    "stop",
]
