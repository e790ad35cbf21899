"""What this workspace has exchanged with each folder: ``<home>/sync.json``.

Per folder (keyed by its absolute path): the segments this workspace wrote (replica id
-> {seq: checksum prefix}), how far each other replica has been ingested, which inbox
files were read or dropped, how far the journal has been scanned for ops to send, and
when its own eNPS answers not yet dropped may go (with when this workspace last wrote
a segment or dropped an answer there, which keeps the two apart).
The file is written atomically (temp, fsync, rename) and only ever read by this
workspace; the folder itself stays the truth for what was published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from pulsetui.store.fsutil import atomic_write, file_identity

STATE_NAME = "sync.json"
STATE_VERSION = 1


@dataclass
class FolderState:
    # replica id -> seq -> [sha12, last wall, last counter] of segments this workspace wrote
    written: dict[str, dict[int, list[Any]]] = field(default_factory=dict)
    ingested: dict[str, int] = field(default_factory=dict)
    inbox: set[str] = field(default_factory=set)  # inbox file names read
    answers: set[str] = field(default_factory=set)  # uids of answers dropped or read
    journal_id: str | None = None
    journal_offset: int = 0
    last_sync_ms: int = 0
    held: dict[str, int] = field(default_factory=dict)  # own answer uid -> drop not before
    last_segment_ms: int = 0
    last_drop_ms: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "written": {
                rid: {str(seq): entry for seq, entry in sorted(segs.items())}
                for rid, segs in self.written.items()
            },
            "ingested": dict(sorted(self.ingested.items())),
            "inbox": sorted(self.inbox),
            "answers": sorted(self.answers),
            "journal_id": self.journal_id,
            "journal_offset": self.journal_offset,
            "last_sync_ms": self.last_sync_ms,
            "held": dict(sorted(self.held.items())),
            "last_segment_ms": self.last_segment_ms,
            "last_drop_ms": self.last_drop_ms,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FolderState:
        return cls(
            written={
                str(rid): {int(seq): list(entry) for seq, entry in segs.items()}
                for rid, segs in data.get("written", {}).items()
            },
            ingested={str(rid): int(seq) for rid, seq in data.get("ingested", {}).items()},
            inbox=set(data.get("inbox", [])),
            answers=set(data.get("answers", [])),
            journal_id=data.get("journal_id"),
            journal_offset=int(data.get("journal_offset", 0)),
            last_sync_ms=int(data.get("last_sync_ms", 0)),
            held={str(uid): int(ms) for uid, ms in data.get("held", {}).items()},
            last_segment_ms=int(data.get("last_segment_ms", 0)),
            last_drop_ms=int(data.get("last_drop_ms", 0)),
        )


class SyncState:
    def __init__(self, home: Path) -> None:
        self.path = home / STATE_NAME
        self.folders: dict[str, FolderState] = {}
        # ops under this replica's id that came from another installation (a copy
        # that carried them after taking a new id): never sent again as our own
        self.not_mine: set[str] = set()
        self._seen: tuple[int, int, int] | None = None
        self.load()

    def refresh(self) -> None:
        """Read the file again if another process of this workspace wrote it since."""
        if file_identity(self.path) != self._seen:
            self.load()

    def load(self) -> None:
        self._seen = file_identity(self.path)
        try:
            data = orjson.loads(self.path.read_bytes())
            self.folders = {
                key: FolderState.from_json(value) for key, value in data["folders"].items()
            }
            self.not_mine = set(data.get("not_mine", []))
        except FileNotFoundError:
            self.folders = {}
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            # Unreadable: start over. Ingest is idempotent and export re-reads the folder.
            self.folders = {}

    def folder(self, root: Path) -> FolderState:
        return self.folders.setdefault(str(root), FolderState())

    def save(self) -> None:
        data = {
            "version": STATE_VERSION,
            "folders": {key: value.to_json() for key, value in sorted(self.folders.items())},
            "not_mine": sorted(self.not_mine),
        }
        atomic_write(self.path, orjson.dumps(data))
        self._seen = file_identity(self.path)
