"""How the view holds one entity's records: plain dicts by local doc id, most of them
still in the view file.

A record is a plain dict: its fields at the top level (what TinyDB queries see) plus a
few bookkeeping keys (:data:`META_KEYS`): ``_c`` the create op id, ``_h`` heads that are
not the create op, ``_d`` op ids observed by deletes, ``_a`` append entries. Ops never
name these keys as fields.

Records nothing has changed since the view file was opened stay in the file
(:class:`FileRows`: doc ids and byte locations in two arrays, 16 bytes a record, read
from the file's index the first time the table is used) and are decoded when read; a
record an op changes is decoded once and kept (``docs``). Reading a record from the file
twice decodes it twice, so memory stays proportional to what changed, not to the history.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, Protocol

META_KEYS = ("_c", "_h", "_d", "_a")

Doc = dict[str, Any]

GONE = -1  # the location of a file row whose record moved to memory or was removed


class RecordSource(Protocol):
    """Where records not yet read from the view file are: ``read(loc)`` decodes one."""

    def read(self, loc: int) -> Doc: ...


class SortedUids:
    """A table's uids as the view file holds them: sorted (as UTF-8), back to back in
    one bytes object, with where each ends and which row it belongs to; a uid is found
    by bisection, with no object per record."""

    __slots__ = ("blob", "ends", "rows")

    def __init__(self, blob: bytes, ends: array[int], rows: array[int]) -> None:
        if len(ends) != len(rows) or (len(ends) and ends[-1] != len(blob)):
            raise ValueError("the uids of a table do not add up")
        self.blob, self.ends, self.rows = blob, ends, rows

    def __len__(self) -> int:
        return len(self.rows)

    def at(self, position: int) -> bytes:
        """The uid in sorted ``position``."""
        return self.blob[self.ends[position - 1] if position else 0 : self.ends[position]]

    def find(self, uid: str) -> int:
        """The row of ``uid``, or -1."""
        target = uid.encode("utf-8")
        blob, ends = self.blob, self.ends
        low, high = 0, len(ends)
        while low < high:
            middle = (low + high) // 2
            if blob[ends[middle - 1] if middle else 0 : ends[middle]] < target:
                low = middle + 1
            else:
                high = middle
        if low < len(ends) and self.at(low) == target:
            return self.rows[low]
        return -1

    def by_row(self) -> list[bytes]:
        """Every row's uid, in row order (for writing a table out)."""
        out: list[bytes] = [b""] * len(self.rows)
        for position, row in enumerate(self.rows):
            out[row] = self.at(position)
        return out


class FileRows:
    """The records of one table that are still in the view file: ascending doc ids,
    their byte locations (:data:`GONE` once a record left), and their uids, read only
    when something asks by uid."""

    __slots__ = ("_load_uids", "_lock", "_uids", "ids", "live", "locs")

    def __init__(
        self, ids: array[int], locs: array[int], load_uids: Callable[[], SortedUids]
    ) -> None:
        if len(ids) != len(locs):
            raise ValueError("doc ids and locations differ in number")
        self.ids = ids
        self.locs = locs
        self.live = len(ids)
        self._uids: SortedUids | None = None
        self._load_uids = load_uids
        self._lock = threading.Lock()

    def index_of(self, doc_id: int) -> int:
        """The row of ``doc_id`` (also once its record left), else -1."""
        ids = self.ids
        at = bisect_left(ids, doc_id)
        return at if at < len(ids) and ids[at] == doc_id else -1

    def row(self, doc_id: int) -> int:
        """The row of ``doc_id`` if its record is still in the file, else -1."""
        at = self.index_of(doc_id)
        return at if at >= 0 and self.locs[at] != GONE else -1

    def leave(self, row: int) -> None:
        self.locs[row] = GONE
        self.live -= 1

    def uids(self) -> SortedUids:
        if self._uids is None:
            with self._lock:
                if self._uids is None:
                    uids = self._load_uids()
                    if len(uids) != len(self.ids):
                        raise ValueError("uids and doc ids differ in number")
                    self._uids = uids
        return self._uids

    def rows(self) -> Iterator[tuple[int, int]]:
        """(doc id, location) of the records still in the file, in doc id order; a copy
        of the arrays is walked (16 bytes a record), so records may leave meanwhile."""
        for doc_id, loc in zip(array("q", self.ids), array("q", self.locs), strict=True):
            if loc != GONE:
                yield doc_id, loc


class RecordTable(MutableMapping[str, Doc]):
    """One entity's current records by local doc id (TinyDB's table layout).

    ``docs`` holds the records in memory; the rest are :class:`FileRows`, loaded by
    ``attach`` on first use. ``count`` and ``max_id`` of the file rows are known without
    loading them, so counting and adding records never touch the file."""

    __slots__ = ("_count", "_file", "_load", "_lock", "_max_id", "docs", "source")

    def __init__(self) -> None:
        self.docs: dict[int, Doc] = {}
        self.source: RecordSource | None = None
        self._file: FileRows | None = None
        self._load: Callable[[], FileRows] | None = None
        self._count = 0
        self._max_id = 0
        self._lock = threading.Lock()

    def attach(
        self, source: RecordSource, count: int, max_id: int, load: Callable[[], FileRows]
    ) -> None:
        """Records in a view file: ``count`` of them, doc ids up to ``max_id``."""
        self.source = source
        self._count, self._max_id, self._load = count, max_id, load

    @property
    def file(self) -> FileRows | None:
        """The rows still in the view file (loaded now if they were not yet)."""
        if self._file is None and self._load is not None:
            with self._lock:
                if self._file is None and self._load is not None:
                    self._file = self._load()
                    self._load = None
        return self._file

    @property
    def lazy(self) -> int:
        """How many records are still in the view file, not in memory."""
        if self._file is None:
            return self._count if self._load is not None else 0
        return self._file.live

    def doc(self, doc_id: int) -> Doc | None:
        found = self.docs.get(doc_id)
        if found is not None:
            return found
        if doc_id > self._max_id or self.source is None:
            return None
        rows = self.file
        row = -1 if rows is None else rows.row(doc_id)
        if row < 0:
            return None
        return self.source.read(rows.locs[row])  # type: ignore[union-attr]

    def materialise(self, doc_id: int) -> Doc:
        """The record as a dict kept in memory, ready to be changed in place."""
        found = self.docs.get(doc_id)
        if found is None:
            found = self.doc(doc_id)
            if found is None:
                raise KeyError(doc_id)
            self.docs[doc_id] = found
            self._leave_file(doc_id)
        return found

    def _leave_file(self, doc_id: int) -> bool:
        if doc_id > self._max_id:
            return False
        rows = self.file
        row = -1 if rows is None else rows.row(doc_id)
        if row < 0:
            return False
        rows.leave(row)  # type: ignore[union-attr]
        return True

    def put(self, doc_id: int, doc: Doc) -> None:
        self._leave_file(doc_id)
        self.docs[doc_id] = doc

    def remove(self, doc_id: int) -> None:
        if self.docs.pop(doc_id, None) is None and not self._leave_file(doc_id):
            raise KeyError(doc_id)

    def by_uid(self) -> Iterator[Doc]:
        """Every record in uid order, read one at a time (the file's sorted uids lead
        the way; only records added since are sorted here)."""
        rows = self.file
        added = sorted(
            (doc["uid"].encode("utf-8"), doc_id)
            for doc_id, doc in list(self.docs.items())
            if rows is None or rows.index_of(doc_id) < 0
        )
        yield from (doc for _, doc in heapq.merge(self._added_docs(added), self._file_by_uid()))

    def _added_docs(self, added: list[tuple[bytes, int]]) -> Iterator[tuple[bytes, Doc]]:
        for uid, doc_id in added:
            doc = self.docs.get(doc_id)
            if doc is not None:
                yield uid, doc

    def _file_by_uid(self) -> Iterator[tuple[bytes, Doc]]:
        rows, source = self.file, self.source
        if rows is None or source is None:
            return
        uids = rows.uids()
        for position, row in enumerate(uids.rows):
            loc = rows.locs[row]
            if loc != GONE:
                yield uids.at(position), source.read(loc)
            else:
                doc = self.docs.get(rows.ids[row])
                if doc is not None:  # changed since: the record in memory
                    yield uids.at(position), doc

    def ids(self) -> list[int]:
        rows = self.file
        return [*self.docs, *(doc_id for doc_id, _ in rows.rows())] if rows else [*self.docs]

    # ---- the mapping TinyDB and callers see (keys are doc ids as strings) -----------------

    def __len__(self) -> int:
        return len(self.docs) + self.lazy

    def __iter__(self) -> Iterator[str]:
        return (str(doc_id) for doc_id in self.ids())

    def __contains__(self, key: object) -> bool:
        try:
            doc_id = int(key)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return False
        if doc_id in self.docs:
            return True
        rows = self.file if doc_id <= self._max_id else None
        return rows is not None and rows.row(doc_id) >= 0

    def __getitem__(self, key: str) -> Doc:
        try:
            found = self.doc(int(key))
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise KeyError(key)
        return found

    def __setitem__(self, key: str, doc: Doc) -> None:
        self.put(int(key), doc)

    def __delitem__(self, key: str) -> None:
        try:
            self.remove(int(key))
        except ValueError:
            raise KeyError(key) from None

    def pairs(self) -> Iterator[tuple[int, Doc]]:
        """(doc id, record) of every record: those in memory, then those in the file."""
        yield from list(self.docs.items())
        rows, source = self.file, self.source
        if rows is not None and source is not None:
            for doc_id, loc in rows.rows():
                yield doc_id, source.read(loc)

    def values(self) -> Iterator[Doc]:  # type: ignore[override]
        yield from list(self.docs.values())
        rows, source = self.file, self.source
        if rows is not None and source is not None:
            for _, loc in rows.rows():
                yield source.read(loc)

    def items(self) -> Iterator[tuple[str, Doc]]:  # type: ignore[override]
        for doc_id, doc in list(self.docs.items()):
            yield str(doc_id), doc
        rows, source = self.file, self.source
        if rows is not None and source is not None:
            for doc_id, loc in rows.rows():
                yield str(doc_id), source.read(loc)


class UidIndex:
    """uid -> doc id of one table's current records: the view file's records by
    bisection in its sorted uids, records added since in a dict, removed ones in a set
    (nothing is built for the hundreds of thousands of records nobody asks about)."""

    __slots__ = ("_added", "_lock", "_removed", "_seeded", "_table")

    def __init__(self, table: RecordTable) -> None:
        self._table = table
        self._added: dict[str, int] = {}
        self._removed: set[str] = set()
        self._seeded = False
        self._lock = threading.Lock()

    def _seed(self) -> None:
        """Records read into memory at open (small tables) are known by uid from then on."""
        with self._lock:
            if not self._seeded:
                rows = self._table.file
                for doc_id, doc in list(self._table.docs.items()):
                    if rows is None or rows.index_of(doc_id) < 0:
                        self._added.setdefault(doc["uid"], doc_id)
                self._seeded = True

    def get(self, uid: str) -> int | None:
        found = self._added.get(uid)  # nothing is added before the index is seeded
        if found is not None:
            return found
        if not self._seeded:
            self._seed()
            found = self._added.get(uid)
            if found is not None:
                return found
        if uid in self._removed:
            return None
        rows = self._table.file
        if rows is None:
            return None
        row = rows.uids().find(uid)
        return None if row < 0 else rows.ids[row]

    def finder(self) -> Callable[[str], int | None]:
        """:meth:`get`, or, while no view file lies behind the index (every uid is in
        memory), the lookup of its dict itself (no call of a method per uid)."""
        if self._table.file is not None:
            return self.get
        if not self._seeded:
            self._seed()
        return self._added.get

    def __contains__(self, uid: object) -> bool:
        return isinstance(uid, str) and self.get(uid) is not None

    def __getitem__(self, uid: str) -> int:
        found = self.get(uid)
        if found is None:
            raise KeyError(uid)
        return found

    def __setitem__(self, uid: str, doc_id: int) -> None:
        if not self._seeded:
            self._seed()
        self._added[uid] = doc_id
        self._removed.discard(uid)

    def pop(self, uid: str, default: int | None = None) -> int | None:
        found = self.get(uid)
        if found is None:
            return default
        self._added.pop(uid, None)
        self._removed.add(uid)
        return found

    def __len__(self) -> int:
        return len(self._table)

    def values(self) -> Iterator[int]:
        """Doc ids of the records added since the view was read (all of them in a view
        built from scratch or from the plain layout)."""
        if not self._seeded:
            self._seed()
        return iter(list(self._added.values()))
