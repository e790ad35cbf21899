"""A reference index: for one field of one entity (an agenda item's ``meeting``, a
pulse's ``consultant``), the doc ids of the records holding each value.

From a view file an index starts packed: the values in a list, every group's doc ids
one after another in one array, and where each group ends in another; it is read from
the file the first time the index is used, and a group is cut out of the arrays when
asked for, so nothing is built for the thousands of groups nobody looks at. The first
change unpacks the whole index into lists (only a process that changes records of that
entity pays for it). While it is untouched, a checkpoint copies it from the file as it is.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Packed:
    """Groups back to back: the doc ids of ``values[i]`` are ``ids[ends[i-1]:ends[i]]``."""

    values: list[Any]
    ids: array[int]
    ends: array[int]
    position: dict[Any, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.values) != len(self.ends) or (self.ends and self.ends[-1] != len(self.ids)):
            raise ValueError("a reference index does not add up")
        self.position = {value: at for at, value in enumerate(self.values)}

    def group(self, at: int) -> array[int]:
        return self.ids[self.ends[at - 1] if at else 0 : self.ends[at]]


class RefIndex:
    """value -> doc ids (in the order they were indexed) for one reference field."""

    __slots__ = ("_groups", "_load", "_lock", "_packed", "file_sections")

    def __init__(self) -> None:
        self._groups: dict[Any, list[int]] | None = {}
        self._packed: Packed | None = None
        self._load: Callable[[], Packed] | None = None
        self._lock = threading.Lock()
        # where the untouched index lies in the view file it came from (name -> span)
        self.file_sections: dict[str, tuple[int, int, int]] | None = None

    def attach(self, load: Callable[[], Packed], sections: dict[str, tuple[int, int, int]]) -> None:
        """The index as a view file holds it, read by ``load`` on first use."""
        self._groups, self._packed, self._load = None, None, load
        self.file_sections = sections

    def _unpacked(self) -> Packed | None:
        if self._groups is not None:
            return None
        with self._lock:
            if self._packed is None and self._load is not None:
                self._packed = self._load()
                self._load = None
            return self._packed

    def get(self, value: Any) -> Sequence[int]:
        """The doc ids of the records holding ``value`` (empty if none)."""
        groups = self._groups
        if groups is not None:
            return groups.get(value, ())
        packed = self._unpacked()
        if packed is None:  # unpacked by a change meanwhile
            return self.get(value)
        at = packed.position.get(value)
        return () if at is None else packed.group(at).tolist()

    def _mutable(self) -> dict[Any, list[int]]:
        if self._groups is None:
            packed = self._unpacked()
            with self._lock:
                if self._groups is None:
                    groups: dict[Any, list[int]] = {}
                    if packed is not None:
                        for at, value in enumerate(packed.values):
                            groups[value] = packed.group(at).tolist()
                    self._groups, self._packed = groups, None
                    self.file_sections = None
        return self._groups

    def add(self, value: Any, doc_id: int) -> None:
        groups = self._mutable()
        bucket = groups.get(value)
        if bucket is None:
            groups[value] = [doc_id]
        elif doc_id not in bucket:
            bucket.append(doc_id)

    def discard(self, value: Any, doc_id: int) -> None:
        groups = self._mutable()
        bucket = groups.get(value)
        if bucket is not None and doc_id in bucket:
            bucket.remove(doc_id)
            if not bucket:
                del groups[value]

    def groups(self) -> Iterator[tuple[Any, Sequence[int]]]:
        """Every value and its doc ids (for writing the index)."""
        if self._groups is not None:
            yield from self._groups.items()
            return
        packed = self._unpacked()
        if packed is None:
            yield from self.groups()
            return
        for at, value in enumerate(packed.values):
            yield value, packed.group(at)

    def untouched(self) -> bool:
        """Whether the index is still exactly what its view file holds."""
        return self._groups is None and self.file_sections is not None
