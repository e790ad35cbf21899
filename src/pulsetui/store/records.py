"""How the view holds one entity's records: plain dicts by local doc id, some of them
still on disk.

A record is a plain dict: its fields at the top level (what TinyDB queries see) plus a
few bookkeeping keys (:data:`META_KEYS`): ``_c`` the create op id, ``_h`` heads that are
not the create op, ``_d`` op ids observed by deletes, ``_a`` append entries. Ops never
name these keys as fields.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any, Protocol

META_KEYS = ("_c", "_h", "_d", "_a")

Doc = dict[str, Any]


class RecordSource(Protocol):
    """Where records not yet read from the view file are: ``read(loc)`` decodes one."""

    def read(self, loc: int) -> Doc: ...


class RecordTable(MutableMapping[str, Doc]):
    """One entity's current records by local doc id (TinyDB's table layout).

    Records that nothing has touched since the view file was opened stay on disk
    (``lazy``: doc id -> location) and are decoded when read; a record an op changes is
    decoded once and kept (``docs``). Reading a lazy record twice decodes it twice, so
    memory stays proportional to what changed, not to the history."""

    __slots__ = ("docs", "lazy", "source")

    def __init__(self) -> None:
        self.docs: dict[int, Doc] = {}
        self.lazy: dict[int, int] = {}
        self.source: RecordSource | None = None

    def doc(self, doc_id: int) -> Doc | None:
        found = self.docs.get(doc_id)
        if found is not None:
            return found
        loc = self.lazy.get(doc_id)
        if loc is None or self.source is None:
            return None
        return self.source.read(loc)

    def materialise(self, doc_id: int) -> Doc:
        """The record as a dict kept in memory, ready to be changed in place."""
        found = self.docs.get(doc_id)
        if found is None:
            found = self.doc(doc_id)
            if found is None:
                raise KeyError(doc_id)
            self.docs[doc_id] = found
            del self.lazy[doc_id]
        return found

    def put(self, doc_id: int, doc: Doc) -> None:
        self.lazy.pop(doc_id, None)
        self.docs[doc_id] = doc

    def remove(self, doc_id: int) -> None:
        if self.docs.pop(doc_id, None) is None:
            del self.lazy[doc_id]

    def ids(self) -> list[int]:
        return [*self.docs, *self.lazy]

    # ---- the mapping TinyDB and callers see (keys are doc ids as strings) -----------------

    def __len__(self) -> int:
        return len(self.docs) + len(self.lazy)

    def __iter__(self) -> Iterator[str]:
        return (str(doc_id) for doc_id in self.ids())

    def __contains__(self, key: object) -> bool:
        try:
            doc_id = int(key)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return False
        return doc_id in self.docs or doc_id in self.lazy

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

    def values(self) -> Iterator[Doc]:  # type: ignore[override]
        yield from list(self.docs.values())
        source = self.source
        if source is not None:
            for loc in list(self.lazy.values()):
                yield source.read(loc)

    def items(self) -> Iterator[tuple[str, Doc]]:  # type: ignore[override]
        for doc_id, doc in list(self.docs.items()):
            yield str(doc_id), doc
        source = self.source
        if source is not None:
            for doc_id, loc in list(self.lazy.items()):
                yield str(doc_id), source.read(loc)
