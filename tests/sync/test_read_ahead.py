"""A large pass has its segments read, checked and decoded by a helper process
(``sync.readahead``) while it applies them: the workspace it leaves (records, the view's
bookkeeping, the journal byte for byte, what the sync state says was read) and what it
reports are what reading them in this process leaves, also when the helper stops midway
or cannot be started."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import pulsetui.sync.ingest as ingest_module
import pulsetui.sync.readahead as readahead_module
from pulsetui.store.journal_header import JOURNAL_NAME
from pulsetui.store.ops import anonymous_op
from pulsetui.sync.folder import FOLDER_NAME, INBOX, REPLICAS, SEGMENTS, init_folder
from pulsetui.sync.inbox import drop
from pulsetui.sync.readahead import ReadAhead

from .conftest import Node
from .test_first_join import RIDS, workspace_state, write_history


def damaged_folder(shared: Path) -> None:
    """Two replicas' history and eNPS answers, then what a reader must say something
    about: a damaged segment with a later one waiting behind it, one that has not fully
    arrived, and an inbox file that is no answer."""
    write_history(shared)
    first = shared / FOLDER_NAME / REPLICAS / RIDS[0] / SEGMENTS
    second = shared / FOLDER_NAME / REPLICAS / RIDS[1] / SEGMENTS
    five = sorted(first.glob("000000000005-*.jsonl"))[0].read_bytes()
    (first / "000000000006-0123456789ab.jsonl").write_bytes(five.replace(b"Client", b"Cliemt"))
    (first / "000000000007-0123456789ab.jsonl").write_bytes(five)
    half = sorted(second.glob("000000000005-*.jsonl"))[0].read_bytes()
    (second / "000000000006-0123456789ab.jsonl").write_bytes(half[: len(half) // 2])
    inbox = shared / FOLDER_NAME / INBOX
    for number in range(3):  # eNPS answers, and a file that is none
        data = {"round": "2023-Q4", "score": 7 + number, "reason": f"reason {number}"}
        drop(inbox, anonymous_op("enps", f"ANSWER{number}", data))
    (inbox / ("0" * 32 + ".json")).write_bytes(b"not an answer\n")


def journal_lines(node: Node) -> list[bytes]:
    """The journal's lines of the history's ops, as they are on disk."""
    lines = (node.home / "journal" / JOURNAL_NAME).read_bytes().splitlines()[1:]
    return [line for line in lines if any(rid.encode() in line for rid in RIDS)]


def joined(node: Node) -> dict[str, Any]:
    report = node.sync()
    return {
        "workspace": workspace_state(node),
        "journal": journal_lines(node),
        "answers": sorted(doc["uid"] for doc in node.ws.store.view.docs("enps")),
        "report": (
            report.segments_read,
            report.ingested_ops,
            report.answers_read,
            report.problems,
            report.waiting,
        ),
    }


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """The same folder twice: one joiner each, so neither sees the other's export."""
    here = tmp_path / "here"
    init_folder(here)
    damaged_folder(here)
    helped = tmp_path / "helped"
    shutil.copytree(here, helped)
    return here, helped


@pytest.fixture
def joiners(tmp_path: Path, folders: tuple[Path, Path]) -> Iterator[tuple[Node, Node]]:
    """Two new workspaces, one on each copy of the folder: one joins in process, the
    other through a helper."""
    here, elsewhere = Node(tmp_path, "Here", folders[0]), Node(tmp_path, "Helped", folders[1])
    try:
        yield here, elsewhere
    finally:
        here.close()
        elsewhere.close()


def helpers(monkeypatch: pytest.MonkeyPatch) -> list[ReadAhead | None]:
    """From now on every pass reads through a helper, from its first replica on; the
    helpers made (None: none could be started)."""
    monkeypatch.setattr(readahead_module, "MIN_SEGMENTS", 1)
    monkeypatch.setattr(readahead_module, "HEAD_START", 0)
    monkeypatch.setattr(readahead_module, "CORES", 2)
    started: list[ReadAhead | None] = []
    start = ReadAhead.start

    def spy(*args: Any) -> ReadAhead | None:
        started.append(start(*args))
        return started[-1]

    monkeypatch.setattr(ReadAhead, "start", spy)
    return started


@dataclass
class HelpedJoin:
    """A join made in process (``expected``), and a second joiner whose passes from now
    on read through helpers (``helped``: the helpers made, None where none started)."""

    expected: dict[str, Any]
    elsewhere: Node
    helped: list[ReadAhead | None]


@pytest.fixture
def helped_join(joiners: tuple[Node, Node], monkeypatch: pytest.MonkeyPatch) -> HelpedJoin:
    here, elsewhere = joiners
    expected = joined(here)
    return HelpedJoin(expected, elsewhere, helpers(monkeypatch))


def test_a_join_read_by_a_helper_leaves_what_a_join_in_process_leaves(
    helped_join: HelpedJoin, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = helped_join.expected
    assert expected["report"][3] and expected["report"][4]  # it said what was wrong
    assert expected["report"][2] == 3 and len(expected["answers"]) == 3

    def not_here(*_: Any) -> None:
        raise AssertionError("the helper reads the inbox")

    monkeypatch.setattr(ingest_module.inbox_box, "read_new", not_here)
    assert joined(helped_join.elsewhere) == expected
    assert len(helped_join.helped) == 1 and helped_join.helped[0] is not None


def test_a_helper_that_stops_midway_leaves_the_rest_to_this_process(
    helped_join: HelpedJoin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead_module, "FRAME_OPS", 20)  # several frames
    read_frame = ReadAhead._read_frame
    frames: list[int] = []

    def stopping(self: ReadAhead) -> None:
        frames.append(1)
        if len(frames) == 3:  # what the helper does when it is killed: no more
            self._process.kill()  # type: ignore[union-attr]
            raise readahead_module.Broken("the helper stopped")
        read_frame(self)

    monkeypatch.setattr(ReadAhead, "_read_frame", stopping)
    in_process: list[str] = []
    ready_segments = ingest_module.ready_segments

    def reading(seg_dir: Path, rid: str, *args: Any) -> Any:
        in_process.append(rid)
        return ready_segments(seg_dir, rid, *args)

    monkeypatch.setattr(ingest_module, "ready_segments", reading)
    assert joined(helped_join.elsewhere) == helped_join.expected
    assert helped_join.helped[0] is not None and len(frames) == 3
    assert in_process  # what the helper had not read was read here


def test_a_pass_whose_helper_cannot_start_reads_in_process(
    helped_join: HelpedJoin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead_module, "start_module", lambda *_, **__: None)
    assert joined(helped_join.elsewhere) == helped_join.expected
    assert helped_join.helped == [None]
