"""Where a workspace's journal is and the id its first line names, read without loading
the rest of the store: a start reads it to tell whether Today's snapshot belongs to
this very journal before the workspace is opened (:mod:`pulsetui.store.journal` writes
and reads the journal itself)."""

from __future__ import annotations

from pathlib import Path

import orjson

JOURNAL_DIR = "journal"  # inside the workspace folder
JOURNAL_NAME = "ops.jsonl"


def journal_path(home: Path) -> Path:
    return home / JOURNAL_DIR / JOURNAL_NAME


def journal_id_of(first_line: bytes) -> str | None:
    """The id a journal's first line names, or None when it is not a journal header."""
    try:
        header = orjson.loads(first_line)
    except orjson.JSONDecodeError:
        return None
    if isinstance(header, dict) and "journal" in header:
        return str(header["journal"])
    return None


def read_journal_id(home: Path) -> str | None:
    """The id of the journal of the workspace at ``home``; None when there is none (or
    it cannot be read)."""
    try:
        with open(journal_path(home), "rb") as handle:
            return journal_id_of(handle.readline())
    except OSError:
        return None
