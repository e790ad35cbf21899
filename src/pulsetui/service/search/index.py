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
import hashlib
import heapq
import itertools
import subprocess
import threading
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

from pulsetui.domain.search_terms import MIN_INSIDE, Reach, fold_words, query_terms
from pulsetui.service.search.bitmaps import at_least, bitmap, descending, without
from pulsetui.service.search.index_file import StoredIndex
from pulsetui.service.search.results import SearchResults, rank_key, results, same_text
from pulsetui.service.search.scan import scan
from pulsetui.service.search.sources import KINDS, Seen, Written, read_written, written
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace
from pulsetui.store.journal import JournalCursor

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


def group_key(item: Written) -> int:
    """A stable 64-bit hash of the text a row groups records by (:func:`same_text`)."""
    digest = hashlib.blake2b(repr(same_text(item)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


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
        self.preparing = threading.Lock()  # one :func:`.rebuild.prepare` at a time
        self.builder: subprocess.Popen[bytes] | None = None  # a build in the background
        self.stopped = False  # the app is closing: build nothing more
        self._clear()

    def _clear(self) -> None:
        self.ready = False
        self.owner: str | None = None  # whose private notes it holds
        self.progress = (0, 0)  # steps of the build done, and to do (reading, indexing)
        self.problem = ""  # why the file on disk was not used, when it was not
        self._covered = JournalCursor()  # every op before it is in the index
        self._unsaved = 0  # records read again since the file was written
        self._number: dict[tuple[str, str], int] = {}  # (kind, uid) -> record number
        self._keys: list[str] = []  # rank key of each number; its uid is key[7:]
        self._seen = array("I")  # visibility class of each number
        self._base = 0  # numbers below this are in rank order
        self._classes: dict[Seen, int] = {}
        self._class_list: list[Seen] = []
        self._class_docs: list[array[int]] = []
        self._gone = 0  # numbers of records changed or deleted since
        self._postings: dict[str, array[int]] = {}
        self._words: list[str] | None = None  # the postings' words, sorted
        self._inside: dict[str, list[str]] = {}  # term -> words holding it inside
        self._frequent: dict[str, int] = {}  # word -> bitmap, for common words
        self._recent: OrderedDict[str, int] = OrderedDict()  # word -> bitmap, recently used
        self._group_hashes = array("Q")  # sorted: the groups read from the file
        self._group_numbers = array("I")
        self._groups: dict[int, list[int]] = {}  # group key -> numbers added since
        self._audiences: OrderedDict[Audience, tuple[list[bool], list[int]]] = OrderedDict()

    @property
    def records(self) -> int:
        """How many written records the index holds now."""
        return len(self._number)

    @property
    def unsaved(self) -> int:
        """Records read again since the index was last written to disk (or built)."""
        return self._unsaved

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
            ws.store.journal_cursor()  # the ops just read are applied to the view by now
            touched = sorted({(str(op["entity"]), str(op["uid"])) for op in ops})
            for kind, uid in touched:
                old = self._number.pop((kind, uid), None)
                if old is not None:
                    self._forget(old)
                doc = ws.doc(kind, uid)
                if doc is not None and self._indexed(item := written(ws, kind, doc)):
                    self._add(item)
            self._covered = cursor
            self._unsaved += len(touched)
            return len(touched)

    def _forget(self, number: int) -> None:
        bit = 1 << number
        self._gone |= bit
        for _allowed, visible in self._audiences.values():
            visible[0] = without(visible[0], bit)

    def _add(self, item: Written) -> None:
        number = len(self._keys)
        bit = 1 << number if self.ready else 0  # after the build: keep bitmaps current
        self._number[(item.kind, item.uid)] = number
        self._keys.append(rank_key(item.day, item.uid))
        seen = self._class_of(item.seen)
        self._seen.append(seen)
        self._class_docs[seen].append(number)
        for word in fold_words(item.text):
            posting = self._postings.get(word)
            if posting is None:
                posting = self._postings[word] = array("I")
                self._words = None
                self._inside.clear()
            posting.append(number)
            if bit:
                for kept in (self._frequent, self._recent):
                    if word in kept:
                        kept[word] |= bit
        self._groups.setdefault(group_key(item), []).append(number)
        if bit:
            for audience, (allowed, visible) in self._audiences.items():
                while len(allowed) < len(self._class_list):
                    allowed.append(self._class_list[len(allowed)].for_audience(audience))
                if allowed[seen]:
                    visible[0] |= bit

    def _class_of(self, seen: Seen) -> int:
        number = self._classes.get(seen)
        if number is None:
            number = self._classes[seen] = len(self._class_list)
            self._class_list.append(seen)
            self._class_docs.append(array("I"))
        return number

    def _group(self, key: int) -> list[int]:
        """The numbers of the records whose text groups under ``key``."""
        hashes = self._group_hashes
        at = bisect.bisect_left(hashes, key)
        found = []
        while at < len(hashes) and hashes[at] == key:
            found.append(self._group_numbers[at])
            at += 1
        return found + self._groups.get(key, [])

    # ---- kept on disk ---------------------------------------------------------------

    def stored(self) -> StoredIndex:
        """The index as :mod:`.index_file` writes it (caught up first)."""
        with self._lock:
            self.catch_up()
            words = sorted(self._postings)
            starts, postings = array("Q", [0]), array("I")
            for word in words:
                postings.extend(self._postings[word])
                starts.append(len(postings))
            pairs = sorted(
                [*zip(self._group_hashes, self._group_numbers, strict=True)]
                + [(key, n) for key, numbers in self._groups.items() for n in numbers]
            )
            classes = [[c.kind, c.client, c.owner, c.internal] for c in self._class_list]
            return StoredIndex(
                owner=self.owner,
                cursor=self._covered,
                base=self._base,
                keys=list(self._keys),
                seen=array("I", self._seen),
                classes=classes,
                words=words,
                starts=starts,
                postings=postings,
                frequent=dict(self._frequent),
                group_hashes=array("Q", (key for key, _ in pairs)),
                group_numbers=array("I", (n for _, n in pairs)),
                gone=self._gone,
            )

    def warm(self, audience: Audience) -> None:
        """Work out now what ``audience`` may see, so its first keystroke does not."""
        with self._lock:
            if self.ready:
                self._visible(audience)

    def saved(self) -> None:
        """The index as it stands has been written to disk."""
        self._unsaved = 0

    def install(self, stored: StoredIndex) -> None:
        """Take the index read from disk (then catch up with the journal)."""
        with self._lock:
            if self.ready:
                return
            self.owner = stored.owner
            self._covered = stored.cursor
            self._keys, self._seen, self._base = stored.keys, stored.seen, stored.base
            for kind, client, owner, internal in stored.classes:
                self._class_of(Seen(kind, client, owner, bool(internal)))
            kinds = [seen.kind for seen in self._class_list]
            for number, (seen, key) in enumerate(zip(self._seen, self._keys, strict=True)):
                self._class_docs[seen].append(number)
                self._number[(kinds[seen], key[7:])] = number
            for number in descending(stored.gone):  # a deleted record's; a changed one
                key = (kinds[self._seen[number]], self._keys[number][7:])  # has a newer one
                if self._number.get(key) == number:
                    del self._number[key]
            starts, postings = stored.starts, stored.postings
            self._postings = {
                word: postings[starts[i] : starts[i + 1]] for i, word in enumerate(stored.words)
            }
            self._words = stored.words
            self._frequent = stored.frequent
            self._group_hashes, self._group_numbers = stored.group_hashes, stored.group_numbers
            self._gone = stored.gone
            self.progress = (1, 1)
            self.ready = True

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
