"""A folder this replica syncs with, and what one pass over the folders did and found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pulsetui.domain.models import ENTITIES
from pulsetui.store.ops import StoredOp


@dataclass
class Channel:
    """One folder (``<folder>/pulsetui``) and what this replica sends to it: the team
    folder gets records of scope *team*, a personal folder every own op."""

    root: Path
    personal: bool

    def wants(self, op: StoredOp) -> bool:
        spec = ENTITIES.get(op.get("entity", ""))
        if spec is None or spec.scope == "anonymous":
            return False
        return self.personal or spec.scope == "team"


@dataclass
class SyncReport:
    """What one pass did and found."""

    exported_ops: int = 0
    segments_written: list[str] = field(default_factory=list)
    ingested_ops: int = 0
    segments_read: int = 0
    answers_dropped: int = 0
    answers_read: int = 0
    deferred: int = 0  # own changes held back in this pass (see ``answer_timing``)
    waiting: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what happened, handled: no action needed
    clone: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"sent {self.exported_ops} change(s) in {len(self.segments_written)} segment(s); "
            f"received {self.ingested_ops} new change(s) from {self.segments_read} segment(s)"
        ]
        if self.answers_dropped or self.answers_read:
            out.append(
                f"eNPS inbox: dropped {self.answers_dropped}, read {self.answers_read} answer(s)"
            )
        if self.clone:
            out.append(f"warning: {self.clone}")
        out.extend(f"note: {line}" for line in self.notes)
        out.extend(f"waiting: {line}" for line in self.waiting)
        out.extend(f"problem: {line}" for line in self.problems)
        return out
