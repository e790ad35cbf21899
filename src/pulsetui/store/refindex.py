"""A reference index: for one field of one entity (an agenda item's ``meeting``, a
pulse's ``consultant``), the doc ids of the records holding each value.

From a view file an index starts packed: the values in a list, every group's doc ids
one after another in one array, and where each group ends in another; it is read from
the file the first time the index is used, and a group is cut out of the arrays when
asked for, so nothing is built for the thousands of groups nobody looks at. A change
copies just the groups it touches into dicts (doc ids as keys, in order: moving one to
the end is two dict operations, not a search of the group), which take precedence over
the packed ones. While it is untouched, a checkpoint copies it from the file as it is.
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

    __slots__ = ("_changed", "_load", "_lock", "_packed", "file_sections")

    def __init__(self) -> None:
        # groups changed since read (or all): doc ids as keys, in order, values None
        self._changed: dict[Any, dict[int, None]] = {}
        self._packed: Packed | None = None
        self._load: Callable[[], Packed] | None = None
        self._lock = threading.Lock()
        # where the untouched index lies in the view file it came from (name -> span)
        self.file_sections: dict[str, tuple[int, int, int]] | None = None

    def attach(self, load: Callable[[], Packed], sections: dict[str, tuple[int, int, int]]) -> None:
        """The index as a view file holds it, read by ``load`` on first use."""
        self._changed, self._packed, self._load = {}, None, load
        self.file_sections = sections

    def _file(self) -> Packed | None:
        if self._packed is None and self._load is not None:
            with self._lock:
                if self._packed is None and self._load is not None:
                    self._packed = self._load()
                    self._load = None
        return self._packed

    def get(self, value: Any) -> Sequence[int]:
        """The doc ids of the records holding ``value`` (empty if none)."""
        changed = self._changed.get(value)
        if changed is not None:
            return list(changed)
        packed = self._file()
        at = None if packed is None else packed.position.get(value)
        return () if at is None else packed.group(at).tolist()  # type: ignore[union-attr]

    def _group(self, value: Any) -> dict[int, None]:
        """The group of ``value``, ready to change."""
        group = self._changed.get(value)
        if group is None:
            group = self._changed[value] = dict.fromkeys(self.get(value))
            self.file_sections = None
        return group

    def add(self, value: Any, doc_id: int, fresh: bool = False) -> None:
        """Index ``doc_id`` under ``value`` at the end of its group, unless it is in the
        group already (``fresh``: it is in no group yet)."""
        group = self._changed.get(value)
        if group is None:
            group = self._group(value)
        if fresh or doc_id not in group:
            group[doc_id] = None

    def touch(self, value: Any, doc_id: int) -> None:
        """Move ``doc_id`` to the end of ``value``'s group (as taking it out and putting
        it back would): the order a changed record is found in."""
        group = self._changed.get(value)
        if group is None:
            group = self._group(value)
        group.pop(doc_id, None)
        group[doc_id] = None

    def discard(self, value: Any, doc_id: int) -> None:
        group = self._changed.get(value)
        if group is None:
            group = self._group(value)
        group.pop(doc_id, None)  # an emptied group stays, hiding the packed one

    def groups(self) -> Iterator[tuple[Any, Sequence[int]]]:
        """Every value and its doc ids (for writing the index); empty groups too."""
        changed = dict(self._changed)
        for value, group in changed.items():
            yield value, list(group)
        packed = self._file()
        if packed is not None:
            for at, value in enumerate(packed.values):
                if value not in changed:
                    yield value, packed.group(at)

    def untouched(self) -> bool:
        """Whether the index is still exactly what its view file holds."""
        return not self._changed and self.file_sections is not None
