"""SIGKILL during export, hundreds of times: no other replica ever sees half a segment,
no two different segments share a number, and nothing acknowledged is lost."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from tests.sync.conftest import NOW, Node

from pulsetui.domain.models import Client
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.sync.engine import SyncEngine
from pulsetui.sync.folder import REPLICAS, SEGMENTS, parse_segment_name
from pulsetui.sync.segments import decode

KILLS = 200


def export_in_child(home: Path, shared: Path, round_no: int, ready: int) -> None:
    """Child process: save a few clients, then export; the parent kills it midway."""
    code = 0
    try:
        ws = Workspace.open(home, me="Writer", config=Config(), clock=lambda: NOW)
        for index in range(3):
            ws.add(Client, name=f"round {round_no} client {index}", notes="x" * 2000)
        engine = SyncEngine(ws, shared)
        os.write(ready, b"1")
        engine.run_once()
        ws.close(checkpoint="never")
    except BaseException:
        code = 1
    os._exit(code)


def check_published(seg_dir: Path, rid: str) -> int:
    """Every file with a final segment name is whole and valid; numbers are unique."""
    seqs: dict[int, str] = {}
    for path in seg_dir.iterdir():
        parsed = parse_segment_name(path.name)
        if parsed is None:
            assert path.name.startswith(".tmp-"), path.name
            continue
        segment = decode(path.read_bytes(), rid, parsed.seq, parsed.sha12)  # raises if half
        assert seqs.setdefault(parsed.seq, segment.sha) == segment.sha, "two segments, one seq"
    assert sorted(seqs) == list(range(1, len(seqs) + 1))
    return len(seqs)


@pytest.mark.slow
def test_sigkill_during_export_never_publishes_half(tmp_path: Path, shared: Path) -> None:
    home = tmp_path / "writer"
    ws = Workspace.open(home, me="Writer", config=Config(), clock=lambda: NOW)
    rid = ws.store.rid
    ws.close()
    seg_dir = shared / "pulsetui" / REPLICAS / rid / SEGMENTS
    reader = Node(tmp_path, "Reader", shared)
    rng = random.Random(4)
    # The kill lands at a random moment in a window that adapts to this machine's
    # speed, so some exports are cut before they publish and some just after.
    window = 0.003
    killed_midway = 0
    finished_recently: list[bool] = []
    published = 0
    try:
        round_no = 0
        while killed_midway < KILLS:
            round_no += 1
            assert round_no < KILLS * 3, "the export finished before the kill too often"
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - child
                os.close(read_fd)
                export_in_child(home, shared, round_no, write_fd)
            os.close(write_fd)
            started = os.read(read_fd, 1)
            os.close(read_fd)
            time.sleep(rng.uniform(0, window))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            if started and os.WIFSIGNALED(status):
                killed_midway += 1
            if seg_dir.exists():
                now_published = check_published(seg_dir, rid)
                finished_recently.append(now_published > published)
                published = now_published
            else:
                finished_recently.append(False)
            if len(finished_recently) >= 10:
                if not any(finished_recently):
                    window *= 2  # never reached publishing: allow later kills
                elif all(finished_recently):
                    window /= 2  # always finished first: kill sooner
                finished_recently.clear()
            if round_no % 20 == 0:
                report = reader.sync()
                assert not report.problems, report.problems
        # finally an export that is allowed to finish
        ws = Workspace.open(home, me="Writer", config=Config(), clock=lambda: NOW)
        engine = SyncEngine(ws, shared)
        engine.run_once()
        expected = ws.export_state()["records"]["client"]
        acknowledged = ws.count(Client)
        engine.close()
        ws.close()
        count = check_published(seg_dir, rid)
        report = reader.sync()
        assert not report.problems
        assert reader.ws.count(Client) == acknowledged
        assert reader.ws.export_state()["records"]["client"] == expected
        assert 1 < count < round_no, (count, round_no)  # kills landed before and after publishing
    finally:
        reader.close()
