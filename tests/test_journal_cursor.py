"""The journal cursor: the ops after a cursor and where to resume, never half a line,
a torn or growing last line left for later, and a journal that was replaced read from
its start."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from pulsetui.store import journal as journal_module
from pulsetui.store.journal import Journal, JournalCursor
from pulsetui.store.store import Store

RID = "d22a4fb62e734b60"
OTHER = "4d40b976222e7ad2"


def make_op(rid: str, wall: int, uid: str = "01KA2KV8804SG69Y0G086DEHXC") -> dict[str, Any]:
    return {
        "id": f"{rid}:{wall}:0",
        "hlc": [wall, 0],
        "rid": rid,
        "entity": "client",
        "uid": uid,
        "kind": "set",
        "field": "notes",
        "value": f"note {wall} ä ж 🚀",
        "pred": [],
    }


@pytest.fixture
def journal(tmp_path: Path) -> Any:
    folder = tmp_path / "journal"
    folder.mkdir()
    opened = Journal(folder)
    opened.open_for_append(new_id="j1")
    yield opened
    opened.close()


def old_reader(path: Path, journal_id: str | None, offset: int) -> tuple[Any, list[Any], int]:
    """The sync engine's own journal reader before the cursor existed, kept as the
    reference the cursor must agree with (lines decoded the way it decoded them)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return None, [], 0
    with handle:
        first = handle.readline()
        try:
            header = orjson.loads(first)
            current = str(header["journal"]) if isinstance(header, dict) else None
        except (orjson.JSONDecodeError, KeyError):
            current = None
        size = os.fstat(handle.fileno()).st_size
        if current is None or current != journal_id or offset > size or offset < len(first):
            offset = len(first)
        handle.seek(offset)
        data = handle.read(size - offset)
    cut = data.rfind(b"\n")
    if cut < 0:
        return current, [], offset
    ops: list[Any] = []
    for line in data[: cut + 1].splitlines():
        try:
            payload = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        ops.extend(op for op in (payload if isinstance(payload, list) else [payload]))
    return current, ops, offset + cut + 1


def test_reads_every_save_and_resumes_after_it(journal: Journal) -> None:
    journal.append([make_op(RID, 1)])
    journal.append([make_op(RID, 2), make_op(OTHER, 3)])
    ops, cursor = journal.read_tail(JournalCursor())
    assert [op["id"] for op in ops] == [f"{RID}:1:0", f"{RID}:2:0", f"{OTHER}:3:0"]
    assert cursor == JournalCursor("j1", journal.size())

    again, same = journal.read_tail(cursor)
    assert again == [] and same == cursor

    journal.append([make_op(RID, 4)])
    ops, later = journal.read_tail(cursor)
    assert [op["id"] for op in ops] == [f"{RID}:4:0"]
    assert later.offset == journal.size()


def test_a_torn_last_line_is_left_until_it_is_whole(journal: Journal) -> None:
    journal.append([make_op(RID, 1)])
    whole = orjson.dumps(make_op(RID, 2)) + b"\n"
    with open(journal.path, "ab") as raw:
        raw.write(whole[:40])  # a save still being written, or torn by a crash
    ops, cursor = journal.read_tail(JournalCursor())
    assert [op["id"] for op in ops] == [f"{RID}:1:0"]
    assert cursor.offset == journal.size() - 40  # just after the last whole line

    with open(journal.path, "ab") as raw:
        raw.write(whole[40:])
    ops, cursor = journal.read_tail(cursor)
    assert [op["id"] for op in ops] == [f"{RID}:2:0"]
    assert cursor.offset == journal.size()


def test_a_cursor_of_another_journal_or_past_the_end_starts_over(journal: Journal) -> None:
    journal.append([make_op(RID, 1)])
    journal.append([make_op(RID, 2)])
    everything = [f"{RID}:1:0", f"{RID}:2:0"]
    for stale in (JournalCursor("another", 60), JournalCursor("j1", 10**9), JournalCursor()):
        ops, cursor = journal.read_tail(stale)
        assert [op["id"] for op in ops] == everything
        assert cursor == JournalCursor("j1", journal.size())


def test_a_missing_journal_reads_as_empty(tmp_path: Path) -> None:
    assert Journal(tmp_path).read_tail(JournalCursor("j1", 100)) == ([], JournalCursor())


def test_only_lines_mentioning_a_wanted_replica_are_decoded(journal: Journal) -> None:
    journal.append([make_op(RID, 1)])
    journal.append([make_op(OTHER, 2), make_op(OTHER, 3)])
    journal.append([make_op(OTHER, 4), make_op(RID, 5)])
    ops, cursor = journal.read_tail(JournalCursor(), mentioning=[RID.encode()])
    # whole lines are kept: the caller still picks the ops it wants
    assert [op["id"] for op in ops] == [f"{RID}:1:0", f"{OTHER}:4:0", f"{RID}:5:0"]
    assert cursor.offset == journal.size()  # the skipped lines count as read


@pytest.mark.parametrize("chunk", [8 << 20, 7, 333])
def test_gives_the_same_ops_and_offsets_as_the_reader_it_replaces(
    journal: Journal, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also when the journal is read in chunks smaller than a line, or cutting lines
    anywhere (a first sync reads hundreds of MB a few at a time)."""
    monkeypatch.setattr(journal_module, "READ_CHUNK", chunk)
    rng = random.Random(5)
    cursor = JournalCursor()
    old_id: Any = None
    old_offset = 0
    for wall in range(1, 200):
        saves = [make_op(rng.choice([RID, OTHER]), wall * 10 + n) for n in range(rng.randint(1, 3))]
        journal.append(saves)
        if rng.random() < 0.1:
            with open(journal.path, "ab") as raw:  # a torn line that then completes
                raw.write(b'{"id":')
        if rng.random() < 0.3:
            old_id, old_ops, old_offset = old_reader(journal.path, old_id, old_offset)
            ops, cursor = journal.read_tail(cursor)
            assert ops == old_ops
            assert (cursor.journal_id, cursor.offset) == (old_id, old_offset)
        with open(journal.path, "rb+") as raw:  # drop any torn tail before the next save
            data = raw.read()
            raw.truncate(data.rfind(b"\n") + 1)


def test_the_store_journal_is_read_by_the_cursor_while_saves_go_on(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "home")
    try:
        store.edit("client", "01KA2KV8804SG69Y0G086DEHXC").create({"name": "Acme Oy"}).commit()
        ops, cursor = store.journal.read_tail(JournalCursor())
        assert [op["kind"] for op in ops] == ["create"]
        store.edit("client", "01KA2KV8804SG69Y0G086DEHXC").set("notes", "later").commit()
        ops, _ = store.journal.read_tail(cursor)
        assert [(op["kind"], op.get("value")) for op in ops] == [("set", "later")]
    finally:
        store.close()
