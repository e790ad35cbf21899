"""Crash safety: a writer killed with SIGKILL at random moments never loses a save it
acknowledged, and the workspace always opens again, also when the view file was
deleted, truncated or corrupted in between and when kills hit background checkpoints.

A long-lived child process imports pulsetui once and forks one writer per round
(``tests/line_child.py``)."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import time
from pathlib import Path

import pytest
from tests.line_child import LineChild, kill_and_wait, pids_naming

from pulsetui.service.workspace import Workspace
from pulsetui.store.store import VIEW_NAME

KILLS = 220
WRITER = r"""
import os, random, sys
from pulsetui.store import store as store_module
store_module.CHECKPOINT_EVERY_OPS = 4          # background checkpoints all the time
store_module.CHECKPOINT_EVERY_BYTES = 16 << 10
from pulsetui.service.workspace import Workspace

original = store_module.Store.checkpoint
def checkpoint(self, background=True):
    original(self, background=background)
    if background and self._child:
        say(f"ckpt {self._child.pid}")
store_module.Store.checkpoint = checkpoint

def say(text):
    os.write(1, (text + "\n").encode())

home = sys.argv[1]
while sys.stdin.readline():
    ready, go = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go)
        os.read(ready, 1)  # the parent has said "worker <pid>": the child speaks after it
        os.close(ready)
        try:
            ws = Workspace.open(home)
            say(f"open {ws.store.report.view}")
            n = 0
            while True:
                n += 1
                notes = "жõä😀 " * random.randint(0, 300)
                record = ws.add("client", name=f"Client {os.getpid()}-{n}", notes=notes)
                say(f"ack {record.uid}")
        except BaseException as exc:
            say(f"error {type(exc).__name__}: {exc}")
            os._exit(1)
    os.close(ready)
    say(f"worker {pid}")
    try:
        os.write(go, b"x")
    except BrokenPipeError:  # the test killed the child before it was told to go
        pass
    os.close(go)
    os.waitpid(pid, 0)
    say("exit")
"""


def tamper(view: Path, rng: random.Random) -> str:
    """Damage the view file the way a disk, a user or a bad copy might."""
    if not view.exists():
        return "none"
    how = rng.choice(["delete", "truncate", "garbage", "empty"])
    if how == "delete":
        view.unlink()
    elif how == "truncate":
        size = view.stat().st_size
        os.truncate(view, rng.randint(0, max(0, size - 1)))
    elif how == "garbage":
        data = bytearray(view.read_bytes())
        at = rng.randrange(len(data))
        data[at : at + 8] = b"\x00\xff}{\x00\xff]["
        view.write_bytes(bytes(data))
    else:
        view.write_bytes(b"")
    return how


def kill_quietly(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_save(home: Path) -> None:
    rng = random.Random(20261120)
    Workspace.open(home).close()
    writer = LineChild(WRITER, str(home))
    acked: set[str] = set()
    opens: dict[str, int] = {}
    tampered: dict[str, int] = {}
    kills = during_checkpoint = during_open = 0
    checkpoint_children: list[int] = []
    try:
        while kills < KILLS:
            writer.send("go")
            first = writer.line(timeout=30)
            assert first is not None and first.startswith("worker "), first
            pid = int(first.split()[1])
            mode = rng.choice(["acks", "acks", "sleep", "checkpoint", "open"])
            want_acks = rng.randint(0, 25)
            deadline = time.monotonic() + rng.uniform(0.0, 0.04)
            seen_acks = 0
            opened = False
            while True:
                if mode == "open" and time.monotonic() >= deadline:
                    during_open += not opened
                    break
                wait = 0.001 if mode in ("open", "sleep") else 10
                line = writer.line(timeout=wait)
                if line is None:
                    if mode == "sleep" and opened and time.monotonic() >= deadline:
                        break
                    continue
                kind, _, rest = line.partition(" ")
                assert kind != "error", f"the workspace did not open or save: {rest}"
                if kind == "open":
                    opened = True
                    opens[rest] = opens.get(rest, 0) + 1
                    deadline = time.monotonic() + rng.uniform(0.0, 0.03)
                elif kind == "ack":
                    acked.add(rest)
                    seen_acks += 1
                    if mode == "acks" and seen_acks >= want_acks:
                        break
                elif kind == "ckpt":
                    checkpoint_children.append(int(rest))
                    if mode == "checkpoint":
                        during_checkpoint += 1
                        if rng.random() < 0.5:  # kill the checkpoint child as well
                            kill_quietly(int(rest))
                        break
            os.kill(pid, signal.SIGKILL)
            kills += 1
            while (line := writer.line(timeout=30)) != "exit":
                assert line is not None, "the writer did not report its end"
                if line.startswith("ack "):  # acknowledged just before the kill landed
                    acked.add(line[4:])
                elif line.startswith("ckpt "):
                    checkpoint_children.append(int(line[5:]))
            if kills % 9 == 0:
                for child in checkpoint_children:  # no stray checkpoint undoes the damage
                    kill_quietly(child)
                checkpoint_children.clear()
                time.sleep(0.01)
                how = tamper(home / VIEW_NAME, rng)
                tampered[how] = tampered.get(how, 0) + 1
            if kills % 20 == 0 or kills == KILLS:
                reader = Workspace.open(home, readonly=True)
                missing = [uid for uid in acked if reader.store.view.get("client", uid) is None]
                assert not missing, f"after {kills} kills, lost {len(missing)} saves"
    finally:
        writer.proc.kill()
        writer.close()
        # a writer killed between starting a checkpoint and reporting it leaves one the
        # test never heard of, still writing its temp file: every one of them goes too
        kill_and_wait({*checkpoint_children, *pids_naming(str(home))})

    ws = Workspace.open(home)
    try:
        present = {doc["uid"] for doc in ws.store.view.docs("client")}
        assert acked <= present
        assert ws.store.report.stats.corrupt_lines == 0
    finally:
        ws.close()
    assert not list(home.glob(".*.tmp")), "leftover temporary view files"
    # the test really exercised what it claims
    assert kills >= 200 and len(acked) > 500
    assert during_checkpoint >= 10 and during_open >= 5
    assert opens.get("loaded", 0) > 50
    assert sum(opens.get(state, 0) for state in ("missing", "corrupt", "stale")) >= 10
