"""The search index of one open workspace: every written record's words, built once (in
a worker: seconds for five years of a large firm) and kept up to date on every save and
every change sync brings in, so a keystroke costs set operations on word lists rather
than a read of every record. It finds, ranks and groups exactly as :func:`.scan` does.

Each record has a number; a word lists the numbers of the records holding it. A changed
record gets a new number and its old one is forgotten. Several threads may search (one
at a time); saves only note what changed, and the next search reads it again."""

from __future__ import annotations

import bisect
import heapq
import threading
import weakref
from array import array
from collections.abc import Callable, Iterator
from typing import Any

from pulsetui.domain.search_terms import MIN_INSIDE, Reach, fold_words, query_terms
from pulsetui.service.search.results import SearchResults, rank_key, results, same_text
from pulsetui.service.search.sources import KINDS, Seen, Written, read_written, written
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

LIMIT = 100
_SEARCHED = frozenset(KINDS)
_INDEXES: weakref.WeakKeyDictionary[Workspace, SearchIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


class SearchIndex:
    """Words of every written record of one workspace, and who may see each record."""

    @classmethod
    def of(cls, ws: Workspace) -> SearchIndex:
        """The workspace's index (one per open workspace; built on its first search)."""
        with _INDEXES_LOCK:
            index = _INDEXES.get(ws)
            if index is None:
                index = _INDEXES[ws] = cls(ws)
            return index

    def __init__(self, ws: Workspace) -> None:
        self._ws = weakref.ref(ws)  # the workspace keeps its index, not the other way
        self._lock = threading.RLock()
        self._pending: set[tuple[str, str]] = set()
        self._pending_lock = threading.Lock()
        self.ready = False
        self.progress = (0, 0)  # records read, records to read (while building)
        self._number: dict[tuple[str, str], int] = {}  # (kind, uid) -> record number
        self._keys: list[str] = []  # rank key of each number; its uid is key[7:]
        self._seen: array[int] = array("I")  # visibility class of each number
        self._classes: dict[Seen, int] = {}
        self._class_list: list[Seen] = []
        self._class_docs: list[array[int]] = []
        self._gone: set[int] = set()  # numbers of records changed or deleted since
        self._postings: dict[str, array[int]] = {}
        self._words: list[str] | None = None  # the postings' words, sorted
        self._inside: dict[str, list[str]] = {}  # term -> words holding it inside
        self._groups: dict[int, list[int]] = {}  # hash of same_text -> numbers
        self._allowed: tuple[Audience, int, set[int] | None, set[int]] | None = None

    # ---- building and keeping up to date --------------------------------------------

    def _workspace(self) -> Workspace:
        ws = self._ws()
        if ws is None:
            raise RuntimeError("the workspace of this search index is closed")
        return ws

    def build(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Read every written record (once; later calls return at once). Changes saved
        while it reads are noted and read again by the next search."""
        with self._lock:
            if self.ready:
                return
            ws = self._workspace()
            ws.on_change(self._changed)  # first: nothing saved while reading is missed
            total = sum(ws.count(kind) for kind in KINDS)
            done = 0
            for kind in KINDS:
                for item in read_written(ws, kind):
                    self._add(item)
                    done += 1
                    if done % 5000 == 0:
                        self.progress = (done, total)
                        if progress is not None:
                            progress(done, total)
            self.progress = (done, done)
            self.ready = True

    def _changed(self, ops: list[dict[str, Any]]) -> None:
        """The store's listener (any thread): note the records to read again."""
        touched = {
            (str(op.get("entity")), str(op.get("uid")))
            for op in ops
            if op.get("entity") in _SEARCHED
        }
        if touched:
            with self._pending_lock:
                self._pending |= touched

    def _catch_up(self) -> None:
        with self._pending_lock:
            pending, self._pending = self._pending, set()
        if not pending:
            return
        ws = self._workspace()
        for kind, uid in sorted(pending):
            old = self._number.pop((kind, uid), None)
            if old is not None:
                self._gone.add(old)
            doc = ws.doc(kind, uid)
            if doc is not None:
                self._add(written(ws, kind, doc))
        self._allowed = None

    def _add(self, item: Written) -> None:
        number = len(self._keys)
        self._number[(item.kind, item.uid)] = number
        self._keys.append(rank_key(item.day, item.uid))
        seen = self._classes.get(item.seen)
        if seen is None:
            seen = self._classes[item.seen] = len(self._class_list)
            self._class_list.append(item.seen)
            self._class_docs.append(array("I"))
        self._seen.append(seen)
        self._class_docs[seen].append(number)
        for word in set(fold_words(item.text)):
            posting = self._postings.get(word)
            if posting is None:
                posting = self._postings[word] = array("I")
                self._words = None
                self._inside.clear()
            posting.append(number)
        self._groups.setdefault(hash(same_text(item)), []).append(number)

    # ---- searching ------------------------------------------------------------------

    def search(self, audience: Audience, query: str, limit: int = LIMIT) -> SearchResults:
        """As :func:`.scan`: the records ``audience`` may see whose text ``query``
        reaches, ranked; at most ``limit`` rows. Builds the index first if need be."""
        self.build()
        ws = self._workspace()
        terms = query_terms(query)
        with self._lock:
            self._catch_up()
            if not terms:
                return results(ws, query, terms, [], lambda _i: 1, 0, limit)
            tiers = self._tiers(terms, audience)
            found = set().union(*tiers)
            ranked = self._ranked(ws, tiers, limit)

            def same(item: Written) -> int:
                group = self._groups.get(hash(same_text(item)), [])
                return max(1, sum(1 for number in group if number in found))

            return results(ws, query, terms, ranked, same, len(found), limit)

    def _tiers(self, terms: tuple[str, ...], audience: Audience) -> list[set[int]]:
        """The numbers of the records the query reaches, by :class:`Reach`."""
        whole: set[int] | None = None  # every term a whole word
        starts: set[int] | None = None  # every term at least a word start
        anywhere: set[int] | None = None
        for term in terms:
            exact, start, inside = self._term(term)
            at_start = exact | start
            at_all = at_start | inside
            whole = exact if whole is None else whole & exact
            starts = at_start if starts is None else starts & at_start
            anywhere = at_all if anywhere is None else anywhere & at_all
        only, hidden = self._visible(audience)
        found = anywhere or set()
        found = (found & only if only is not None else found) - hidden
        best = (whole or set()) & found
        good = ((starts or set()) & found) - best
        return [best, good, found - best - good]

    def _term(self, term: str) -> tuple[set[int], set[int], set[int]]:
        """Numbers of records with ``term`` as a word, at a word start, inside a word."""
        postings = self._postings
        if self._words is None:
            self._words = sorted(postings)
        words = self._words
        exact = set(postings.get(term, ()))
        first = bisect.bisect_left(words, term)
        last = bisect.bisect_left(words, term + "\U0010ffff")
        start = set().union(*(postings[w] for w in words[first:last] if w != term))
        inside: set[int] = set()
        if len(term) >= MIN_INSIDE:
            holding = self._inside.get(term)
            if holding is None:
                holding = self._inside[term] = [
                    w for w in words if term in w and not w.startswith(term)
                ]
            inside = inside.union(*(postings[w] for w in holding))
        return exact, start, inside

    def _visible(self, audience: Audience) -> tuple[set[int] | None, set[int]]:
        """What ``audience`` may see: only these numbers (None: any), minus these."""
        cached = self._allowed
        if cached is not None and cached[0] == audience and cached[1] == len(self._keys):
            return cached[2], cached[3]
        allowed = [seen.for_audience(audience) for seen in self._class_list]
        size = [len(docs) for docs in self._class_docs]
        shown = sum(n for n, ok in zip(size, allowed, strict=True) if ok)
        only: set[int] | None = None
        hidden = set(self._gone)
        if shown < len(self._keys) - shown:
            only = set().union(*(d for d, ok in zip(self._class_docs, allowed, strict=True) if ok))
        else:
            hidden.update(*(d for d, ok in zip(self._class_docs, allowed, strict=True) if not ok))
        self._allowed = (audience, len(self._keys), only, hidden)
        return only, hidden

    def _ranked(
        self, ws: Workspace, tiers: list[set[int]], limit: int
    ) -> Iterator[tuple[Reach, Written]]:
        """Matches best first, read again from the workspace only as far as needed."""
        keys = self._keys
        for reach, numbers in zip(Reach, tiers, strict=True):
            taken, want = 0, limit * 4
            while taken < len(numbers):
                if want >= len(numbers):
                    top = sorted(numbers, key=keys.__getitem__, reverse=True)
                else:
                    top = heapq.nlargest(want, numbers, key=keys.__getitem__)
                for number in top[taken:]:
                    kind = self._class_list[self._seen[number]].kind
                    doc = ws.doc(kind, keys[number][7:])
                    if doc is not None:
                        yield reach, written(ws, kind, doc)
                taken, want = len(top), want * 4
