"""The search index of one open workspace: every written record's words, so a keystroke
costs a few operations on bitmaps rather than a read of every record. It finds, ranks
and groups exactly as :func:`.scan` does.

Built once (seconds for five years of a large firm; :mod:`.rebuild` does it in a
background process and keeps the result in :mod:`.index_file`), then kept up to date
from the journal: every search first reads the ops saved or brought in by sync since
the position it covers, and reads those records again. It holds the private pulse
notes of one manager only, its ``owner`` (the signed-in manager when it was built);
who may see each record is decided at query time by the audience.

Each record has a number, given at build in rank order (oldest first), so the newest
matches are the highest bits of a bitmap; a word lists the numbers of the records
holding it. A record changed later gets a new, higher number and its old one is
forgotten; those few are merged in by rank. Several threads may search (one at a
time)."""

from __future__ import annotations

import bisect
import heapq
import itertools
import subprocess
import threading
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator

from pulsetui.domain.search_terms import MIN_INSIDE, Reach, query_terms
from pulsetui.service.search.bitmaps import at_least, bitmap, descending, without
from pulsetui.service.search.index_file import StoredIndex
from pulsetui.service.search.index_records import IndexedRecords, group_key
from pulsetui.service.search.results import SearchResults, rank_key, results
from pulsetui.service.search.scan import scan
from pulsetui.service.search.sources import KINDS, Written, read_written, written
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

LIMIT = 100
_SEARCHED = frozenset(KINDS)
_INDEXES: weakref.WeakKeyDictionary[Workspace, SearchIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()
FREQUENT = 64  # a word in one record of this many (or more) keeps its bitmap
KEPT_BITMAPS = 256  # bitmaps of other words kept, the most recently used
KEPT_AUDIENCES = 4
NOTE_EVERY = 5000  # records read between two progress notes
# how each searched kind is spelt in a journal line (orjson, compact): lines naming
# none of them are not decoded when the index catches up
_MENTIONS = tuple(b'"entity":"%s"' % kind.encode() for kind in KINDS)


class SearchIndex(IndexedRecords):
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
        super().__init__()
        self._ws = weakref.ref(ws)  # the workspace keeps its index, not the other way
        self.preparing = threading.Lock()  # one :func:`.rebuild.prepare` at a time
        self.builder: subprocess.Popen[bytes] | None = None  # a build in the background
        self.stopped = False  # the app is closing: build nothing more
        self.building = False  # being built (not read from its file): that takes a while

    # ---- building and keeping up to date --------------------------------------------

    @property
    def workspace(self) -> Workspace:
        return self._workspace()

    def _workspace(self) -> Workspace:
        ws = self._ws()
        if ws is None:
            raise RuntimeError("the workspace of this search index is closed")
        return ws

    def _indexed(self, item: Written) -> bool:
        """Whether the index holds ``item``: a pulse conversation only of its owner."""
        return item.kind != "pulse" or item.seen.owner == self.owner

    def build(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Read every written record (once; later calls return at once). Changes saved
        while it reads are read again by the next search (from the journal)."""
        with self._lock:
            if self.ready:
                return
            ws = self._workspace()
            self.owner = ws.me
            self._covered = ws.store.journal_cursor()  # first: nothing saved after is missed
            total = sum(ws.count(kind) for kind in KINDS)
            read: list[Written] = []
            for kind in KINDS:
                for item in read_written(ws, kind):
                    if self._indexed(item):
                        read.append(item)
                    if len(read) % NOTE_EVERY == 0:
                        self._note(len(read), 2 * total, progress)
            read.sort(key=lambda item: rank_key(item.day, item.uid))
            for done, item in enumerate(read, start=1):
                self._add(item)
                if done % NOTE_EVERY == 0:
                    self._note(len(read) + done, 2 * len(read), progress)
            self._base = len(self._keys)
            floor = max(FREQUENT, self._base // FREQUENT)
            for word, numbers in self._postings.items():
                if len(numbers) >= floor:
                    self._frequent[word] = bitmap(numbers, self._base)
            self.progress = (1, 1)
            self._unsaved = len(self._keys)
            self.ready = True

    def _note(self, done: int, steps: int, progress: Callable[[int, int], None] | None) -> None:
        self.progress = (done, steps)
        if progress is not None:
            progress(done, steps)

    def catch_up(self) -> int:
        """Read again the records changed by the ops saved or synced since the position
        the index covers; how many. (A search does this first; an app may call it in a
        worker after a change, so the next keystroke finds it done.)"""
        with self._lock:
            if not self.ready:
                return 0
            ws = self._workspace()
            now = ws.store.journal_cursor()
            if now == self._covered:
                return 0
            if now.journal_id != self._covered.journal_id:  # another journal: start again
                self._clear()
                self.build()
                return self.records
            ops, cursor = ws.store.journal.read_tail(
                self._covered, mentioning=_MENTIONS, keep=lambda op: op.get("entity") in _SEARCHED
            )
            # what the view has applied by now: ops another process appended after it
            # are read again next time, once the view has taken them in
            applied = ws.store.journal_cursor()
            touched = sorted({(str(op["entity"]), str(op["uid"])) for op in ops})
            for kind, uid in touched:
                old = self._numbers().pop((kind, uid), None)
                if old is not None:
                    self._forget(old)
                doc = ws.doc(kind, uid)
                if doc is not None and self._indexed(item := written(ws, kind, doc)):
                    self._add(item)
            self._covered = cursor if cursor.offset <= applied.offset else applied
            self._unsaved += len(touched)
            return len(touched)

    def stored(self) -> StoredIndex:
        """The index as :mod:`.index_file` writes it, caught up with the journal first."""
        with self._lock:
            self.catch_up()
            return super().stored()

    def warm(self, audience: Audience) -> None:
        """Work out now what ``audience`` may see, so its first keystroke does not."""
        with self._lock:
            if self.ready:
                self._visible(audience)

    # ---- searching ------------------------------------------------------------------

    def search(self, audience: Audience, query: str, limit: int = LIMIT) -> SearchResults:
        """As :func:`.scan`: the records ``audience`` may see whose text ``query``
        reaches (or, when none holds every word, those holding the most), ranked; at
        most ``limit`` rows. Builds the index first if need be. Another manager's own
        private notes are not in it: for them this is :func:`.scan`."""
        if not self.ready:
            self.build()
        ws = self._workspace()
        if audience.sees_private and audience.me != self.owner:
            return scan(ws, audience, query, limit)
        terms = query_terms(query)
        with self._lock:
            self.catch_up()
            if not terms:
                return results(ws, query, terms, [], lambda _i: 1, 0, limit, 0)
            most, (best, good, rest) = self._tiers(terms, audience)
            found = best | good | rest
            ranked = self._ranked(ws, (best, good, rest))

            def same(item: Written) -> int:
                group = self._group(group_key(item))
                if len(group) < 2:
                    return 1
                return max(1, (bitmap(group, len(self._keys)) & found).bit_count())

            return results(ws, query, terms, ranked, same, found.bit_count(), limit, most)

    def _tiers(
        self, terms: tuple[str, ...], audience: Audience
    ) -> tuple[int, tuple[int, int, int]]:
        """How many terms the found records hold (all, unless none holds every one: then
        the most any holds), and those records as bitmaps: the terms they hold whole
        words; at least word starts (and not the first); the rest."""
        exact, at_start, anywhere = [], [], []
        for term in terms:
            whole, start, inside = self._term(term)
            exact.append(whole)
            at_start.append(whole | start)
            anywhere.append(whole | start | inside)
        visible = self._visible(audience)
        levels = at_least(anywhere, len(terms))
        most = next((j for j in range(len(terms), 0, -1) if levels[j] & visible), 0)
        if most == 0:
            return 0, (0, 0, 0)
        found = levels[most] & visible
        best = at_least(exact, most)[most] & found
        starts = at_least(at_start, most)[most] & found
        return most, (best, starts ^ best, found ^ starts)

    def _term(self, term: str) -> tuple[int, int, int]:
        """Records with ``term`` as a word, at a word start, inside a word."""
        if self._words is None:
            self._words = sorted(self._postings)
        words = self._words
        first = bisect.bisect_left(words, term)
        last = bisect.bisect_left(words, term + "\U0010ffff")
        exact = self._union([term] if term in self._postings else [])
        start = self._union(w for w in words[first:last] if w != term)
        inside = 0
        if len(term) >= MIN_INSIDE:
            holding = self._inside.get(term)
            if holding is None:
                holding = self._inside[term] = [
                    w for w in words if term in w and not w.startswith(term)
                ]
            inside = self._union(holding)
        return exact, start, inside

    def _union(self, words: Iterable[str]) -> int:
        """The records holding any of ``words``."""
        bits = 0
        loose: list[array[int]] = []
        for word in words:
            kept = self._frequent.get(word)
            if kept is None:
                kept = self._recent.get(word)
                if kept is not None:
                    self._recent.move_to_end(word)
            if kept is not None:
                bits |= kept
            elif len(self._postings[word]) >= FREQUENT:
                bits |= self._keep(word)
            else:
                loose.append(self._postings[word])
        if loose:
            bits |= bitmap(itertools.chain.from_iterable(loose), len(self._keys))
        return bits

    def _keep(self, word: str) -> int:
        bits = self._recent[word] = bitmap(self._postings[word], len(self._keys))
        if len(self._recent) > KEPT_BITMAPS:
            self._recent.popitem(last=False)
        return bits

    def _visible(self, audience: Audience) -> int:
        """The records ``audience`` may see (kept up to date for the last few asked)."""
        kept = self._audiences.get(audience)
        if kept is not None:
            self._audiences.move_to_end(audience)
            return kept[1][0]
        allowed = [seen.for_audience(audience) for seen in self._class_list]
        size = len(self._keys)
        pairs = list(zip(self._class_docs, allowed, strict=True))
        shown = sum(len(docs) for docs, ok in pairs if ok)
        if shown <= size - shown:
            visible = bitmap(itertools.chain.from_iterable(d for d, ok in pairs if ok), size)
        else:
            hidden = bitmap(itertools.chain.from_iterable(d for d, ok in pairs if not ok), size)
            visible = without((1 << size) - 1, hidden)
        visible = without(visible, self._gone)
        self._audiences[audience] = (allowed, [visible])
        if len(self._audiences) > KEPT_AUDIENCES:
            self._audiences.popitem(last=False)
        return visible

    def _ranked(
        self, ws: Workspace, tiers: tuple[int, int, int]
    ) -> Iterator[tuple[Reach, Written]]:
        """Matches best first, read again from the workspace only as far as needed."""
        keys, base = self._keys, self._base
        for reach, bits in zip(Reach, tiers, strict=True):
            later = sorted(
                (base + n for n in descending(bits >> base)), key=keys.__getitem__, reverse=True
            )
            ordered = descending(bits & ((1 << base) - 1))  # rank order by number
            for number in heapq.merge(later, ordered, key=keys.__getitem__, reverse=True):
                kind = self._class_list[self._seen[number]].kind
                doc = ws.doc(kind, keys[number][7:])
                if doc is not None:
                    yield reach, written(ws, kind, doc)
