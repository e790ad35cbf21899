"""SIGKILL during export, hundreds of times: no other replica ever sees half a segment,
no two different segments share a number, and nothing acknowledged is lost."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from tests.line_child import LineChild
from tests.sync.conftest import NOW, Node

from pulsetui.domain.models import Client
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.sync.engine import SyncEngine
from pulsetui.sync.folder import REPLICAS, SEGMENTS, parse_segment_name
from pulsetui.sync.segments import decode

KILLS = 200


# The child that forks the exporters (tests/line_child.py): for each round it is sent,
# it forks an exporter and names it; the exporter saves a few clients, says "started"
# (or "failed") and exports. The child reaps the exporter only when told to, after the
# kill: until then its pid cannot be given to another process.
EXPORTER = r"""
import datetime as dt, os, sys
from pathlib import Path
from pulsetui.domain.models import Client
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.sync.engine import SyncEngine

home, shared, now = Path(sys.argv[1]), Path(sys.argv[2]), dt.datetime.fromisoformat(sys.argv[3])

def say(text):
    os.write(1, (text + "\n").encode())

while line := sys.stdin.readline():
    round_no = int(line)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            ws = Workspace.open(home, me="Writer", config=Config(), clock=lambda: now)
            for index in range(3):
                ws.add(Client, name=f"round {round_no} client {index}", notes="x" * 2000)
            engine = SyncEngine(ws, shared)
            say("started")
            engine.run_once()
            ws.close(checkpoint="never")
        except BaseException as exc:
            say(f"failed {type(exc).__name__}: {exc}")
            code = 1
        os._exit(code)
    say(f"exporter {pid}")
    sys.stdin.readline()  # killed (or not): reap it now
    _, status = os.waitpid(pid, 0)
    say(f"exit {int(os.WIFSIGNALED(status))}")
"""


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
    exporter = LineChild(EXPORTER, str(home), str(shared), NOW.isoformat())
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
            exporter.send(str(round_no))
            said = [exporter.line(timeout=60), exporter.line(timeout=60)]  # either order
            assert None not in said, f"the exporter child stopped answering: {said}"
            pid = next(int(line.split()[1]) for line in said if line.startswith("exporter "))
            started = "started" in said  # else it failed before its export began
            if started:
                time.sleep(rng.uniform(0, window))
                os.kill(pid, signal.SIGKILL)
            exporter.send("reap")
            ended = exporter.line(timeout=60)
            assert ended is not None and ended.startswith("exit "), ended
            if started and ended == "exit 1":  # killed before it ended by itself
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
        exporter.close()
        reader.close()
