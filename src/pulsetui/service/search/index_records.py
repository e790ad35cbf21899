"""What a search index holds and how: each written record's number, rank key, who may
see it and the group of records sharing its text; each word's records (as lists, and as
bitmaps for common words); and the same taken to and from :mod:`.index_file`. The
search itself (:mod:`.index`) builds on it."""

from __future__ import annotations

import bisect
import hashlib
import threading
from array import array
from collections import OrderedDict

from pulsetui.domain.search_terms import fold_words
from pulsetui.service.pacing import give_way
from pulsetui.service.search.bitmaps import descending, without
from pulsetui.service.search.index_file import StoredIndex
from pulsetui.service.search.results import rank_key, same_text
from pulsetui.service.search.sources import Seen, Written
from pulsetui.service.views.audience import Audience
from pulsetui.store.journal import JournalCursor

NUMBERS_PIECE = 20_000  # records numbered between two chances to give way to typing


def group_key(item: Written) -> int:
    """A stable 64-bit hash of the text a row groups records by (:func:`same_text`)."""
    digest = hashlib.blake2b(repr(same_text(item)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class RecordNumbers:
    """(kind, uid) -> a record's number, held as one map of uids per kind: no pair is
    made per record, and no map grows to the whole firm. Made from a read index in a
    thread beside the screen, one map of 470,000 pairs held the interpreter lock for
    45 ms at a time (its growth, and the collector walking the pairs): a pause of the
    typing."""

    __slots__ = ("_by_kind",)

    def __init__(self) -> None:
        self._by_kind: dict[str, dict[str, int]] = {}

    def __len__(self) -> int:
        return sum(len(uids) for uids in self._by_kind.values())

    def __setitem__(self, key: tuple[str, str], number: int) -> None:
        kind, uid = key
        uids = self._by_kind.get(kind)
        if uids is None:
            uids = self._by_kind[kind] = {}
        uids[uid] = number

    def get(self, key: tuple[str, str]) -> int | None:
        kind, uid = key
        uids = self._by_kind.get(kind)
        return None if uids is None else uids.get(uid)

    def pop(self, key: tuple[str, str], default: int | None = None) -> int | None:
        kind, uid = key
        uids = self._by_kind.get(kind)
        return default if uids is None else uids.pop(uid, default)


class IndexedRecords:
    """The records and words of one search index (guarded by ``_lock``)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._clear()

    def _clear(self) -> None:
        self.ready = False
        self.owner: str | None = None  # whose private notes it holds
        self.progress = (0, 0)  # steps of the build done, and to do (reading, indexing)
        self.problem = ""  # why the file on disk was not used, when it was not
        self._covered = JournalCursor()  # every op before it is in the index
        self._unsaved = 0  # records read again since the file was written
        # (kind, uid) -> record number; None until first needed after a read from disk
        self._number: RecordNumbers | None = RecordNumbers()
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
        return len(self._numbers())

    @property
    def unsaved(self) -> int:
        """Records read again since the index was last written to disk (or built)."""
        return self._unsaved

    def _forget(self, number: int) -> None:
        bit = 1 << number
        self._gone |= bit
        for _allowed, visible in self._audiences.values():
            visible[0] = without(visible[0], bit)

    def _add(self, item: Written) -> None:
        number = len(self._keys)
        bit = 1 << number if self.ready else 0  # after the build: keep bitmaps current
        self._numbers()[(item.kind, item.uid)] = number
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
        """The index as :mod:`.index_file` writes it."""
        with self._lock:
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
                class_docs=[array("I", docs) for docs in self._class_docs],
            )

    def _numbers(self) -> RecordNumbers:
        if self._number is None:
            self._number = self._numbers_below(len(self._keys), self._gone)
        return self._number

    def _numbers_below(self, size: int, gone: int) -> RecordNumbers:
        """(kind, uid) -> the current number of each record numbered below ``size``."""
        found = RecordNumbers()
        maps = [found._by_kind.setdefault(seen.kind, {}) for seen in self._class_list]
        keys, seen = self._keys, self._seen
        for start in range(0, size, NUMBERS_PIECE):  # the newest wins
            give_way()
            for number in range(start, min(start + NUMBERS_PIECE, size)):
                maps[seen[number]][keys[number][7:]] = number
        for number in descending(gone):  # a deleted record's; a changed one has a newer
            uids = maps[seen[number]]
            uid = keys[number][7:]
            if uids.get(uid) == number:
                del uids[uid]
        return found

    def index_numbers(self) -> None:
        """Find each record's number now (a worker's job after a read from disk), so the
        first change read into the index does not; searches go on meanwhile."""
        size, gone = len(self._keys), self._gone
        if self._number is not None:
            return
        found = self._numbers_below(size, gone)
        with self._lock:  # numbers are added only once the map exists: it is complete
            if self._number is None and len(self._keys) == size and self._gone == gone:
                self._number = found

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
            for number, docs in enumerate(stored.class_docs):
                self._class_docs[number] = docs
            self._gone = stored.gone
            self._number = None  # made when first needed, or by :meth:`index_numbers`
            starts, postings = stored.starts, stored.postings
            self._postings = {
                word: postings[starts[i] : starts[i + 1]] for i, word in enumerate(stored.words)
            }
            self._words = stored.words
            self._frequent = stored.frequent
            self._group_hashes, self._group_numbers = stored.group_hashes, stored.group_numbers
            self.progress = (1, 1)
            self.ready = True
