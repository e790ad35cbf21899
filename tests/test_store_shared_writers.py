"""Several processes writing one workspace at once: the app and commands beside it.

Every save reaches the journal and the view exactly once whatever the interleaving;
a process that stays open takes in what the others saved; ops of one replica stay in
clock order with distinct ids; a writer killed mid-line leaves no lock and no torn
line behind; a writer that is stopped is named, with what to do about it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.store import sharing, viewfile
from pulsetui.store.journal import JOURNAL_NAME
from pulsetui.store.locks import host_name
from pulsetui.store.store import VIEW_NAME, Store, WorkspaceLocked

WRITER = r"""
import sys, time
from pathlib import Path
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
home, name, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
ws = Workspace.open(home, me="Anna", config=Config())
print("open", flush=True)
while not go.exists():  # all writers start together
    time.sleep(0.001)
for n in range(count):
    client = ws.add("client", name=f"{name} {n}")
    if n % 3 == 0:  # a change of several ops naming each other
        ws.update("client", client.uid, notes=f"{name} note {n}")
ws.close(checkpoint="if_large")
print("done", flush=True)
"""

HOLD_WRITE_LOCK = r"""
import os, sys, time
from pulsetui.store.store import Store
store = Store.open(__import__("pathlib").Path(sys.argv[1]))
with store._write_turn():
    if sys.argv[2] == "torn":  # killed in the middle of a line
        fd = os.open(store.journal.path, os.O_WRONLY | os.O_APPEND)
        os.write(fd, b'{"id":"half a line without its end')
        os.close(fd)
    print("holding", flush=True)
    if sys.argv[2] == "until":  # working on until told to let go
        while not os.path.exists(sys.argv[3]):
            time.sleep(0.001)
    else:
        time.sleep(600)
"""


def journal_ops(home: Path) -> list[dict]:
    ops: list[dict] = []
    lines = (home / "journal" / JOURNAL_NAME).read_bytes().split(b"\n")
    assert lines[-1] == b"", "the journal ends with a complete line"
    for line in lines[1:-1]:
        payload = orjson.loads(line)
        ops.extend(payload if isinstance(payload, list) else [payload])
    return ops


def client_names(ws: Workspace) -> Counter[str]:
    return Counter(doc["name"] for doc in ws.docs("client"))


def assert_in_clock_order(ops: list[dict]) -> None:
    """Ops of one replica reach the journal in clock order (sync sends by clock)."""
    last: dict[str, tuple[int, int]] = {}
    for op in ops:
        hlc = tuple(op["hlc"])
        assert hlc > last.get(op["rid"], (-1, -1)), f"{op['id']} is not after its predecessor"
        last[op["rid"]] = hlc


def start(script: str, *args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    first = child.stdout.readline()  # the child says when it is ready
    assert first.strip() in ("open", "holding"), first + child.stderr.read()
    return child


@pytest.mark.parametrize("run", range(3))
def test_writers_in_three_processes_and_one_open_store_lose_nothing(
    home: Path, tmp_path: Path, run: int
) -> None:
    app = Workspace.open(home, me="Anna", config=Config(), app=True)
    go = tmp_path / f"go-{run}"
    count = 60
    writers = [start(WRITER, home, f"P{i}", count, go) for i in range(3)]
    go.touch()
    mine = [app.add("client", name=f"App {n}").uid for n in range(count)]
    for child in writers:
        _out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    app.take_in_saves_made_elsewhere()
    expected = Counter({f"{who} {n}": 1 for who in ("App", "P0", "P1", "P2") for n in range(count)})
    assert client_names(app) == expected  # the open store took in every other save
    assert app.saves_made_elsewhere > 0
    app.close()

    ops = journal_ops(home)
    ids = Counter(op["id"] for op in ops)
    assert max(ids.values()) == 1, "no two ops share an id"
    creates = Counter(
        op["data"]["name"] for op in ops if op["kind"] == "create" and "name" in op["data"]
    )
    assert creates == expected + Counter({"Anna": 1})  # every save once in the journal
    assert_in_clock_order(ops)
    view, meta = viewfile.read(home / VIEW_NAME)  # the view written at close holds them all
    assert meta["journal_offset"] == (home / "journal" / JOURNAL_NAME).stat().st_size
    assert Counter(doc["name"] for doc in view.docs("client")) == expected
    noted = [doc for doc in view.docs("client") if doc.get("notes")]
    assert len(noted) == 3 * len(range(0, count, 3))
    assert all(len(view.heads("client", doc["uid"], "notes")) == 1 for doc in noted)
    again = Workspace.open(home, me="Anna", config=Config(), readonly=True)
    assert client_names(again) == expected
    assert {c for c in mine} <= {doc["uid"] for doc in again.docs("client")}
    again.close()


def test_two_saves_stamped_in_the_same_millisecond_both_survive(home: Path) -> None:
    Workspace.open(home, me="Anna", config=Config()).close()
    first, second = Store.open(home), Store.open(home)
    for store in (first, second):
        store.clock.now_ms = lambda: 1_800_000_000_000  # one frozen millisecond for both
        store.clock.observe(1_800_000_000_000, 0)
    a = first.change()
    a.record("client", "A1").create({"name": "From the app"}).set("notes", "one")
    b = second.change()
    b.record("client", "B1").create({"name": "From a command"}).set("notes", "two")
    assert [op["id"] for op in a.ops] == [op["id"] for op in b.ops]  # the same ids
    b.commit()
    a.commit(batch=1)  # one op per line: the set names the create of the line before
    for store in (first, second):
        store.catch_up()
        assert store.view.get("client", "A1")["notes"] == "one"
        assert store.view.get("client", "B1")["notes"] == "two"
        assert len(store.view.heads("client", "A1", "notes")) == 1  # the set replaced it
        store.close()
    ops = journal_ops(home)
    assert len({op["id"] for op in ops}) == len(ops)
    assert_in_clock_order(ops)
    reopened = Store.open(home, readonly=True)
    assert reopened.view.get("client", "A1")["name"] == "From the app"
    assert reopened.view.get("client", "B1")["name"] == "From a command"


def test_an_answer_saved_by_a_command_is_kept_by_the_app_and_taken_in(home: Path) -> None:
    app = Store.open(home)
    command = Store.open(home)
    command.edit("enps", "a" * 32).create_anonymous({"round": "2026", "score": 9}).commit()
    command.close()
    assert app.changed_elsewhere()
    taken = app.catch_up()
    assert [op["uid"] for op in taken] == ["a" * 32]
    app.edit("enps", "b" * 32).create_anonymous({"round": "2026", "score": 3}).commit()
    app.close()
    kept = orjson.loads((home / "answers.json").read_bytes())["answers"]
    assert sorted(op["uid"] for op in kept) == ["a" * 32, "b" * 32]  # neither overwrote


def test_a_writer_killed_holding_the_lock_mid_line_leaves_nothing_in_the_way(home: Path) -> None:
    with Workspace.open(home, me="Anna", config=Config()) as ws:
        ws.add("client", name="Before")
    app = Workspace.open(home, me="Anna", config=Config(), app=True)
    killed = start(HOLD_WRITE_LOCK, home, "torn")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    started = time.monotonic()
    with Workspace.open(home, me="Anna", config=Config()) as command:
        command.add("client", name="After the kill")
    assert time.monotonic() - started < sharing.WRITE_WAIT_SECONDS  # nobody waited it out
    app.add("client", name="The app again")
    app.take_in_saves_made_elsewhere()
    assert set(client_names(app)) == {"Before", "After the kill", "The app again"}
    app.close()
    data = (home / "journal" / JOURNAL_NAME).read_bytes()
    assert b"half a line" not in data and data.endswith(b"\n")
    assert {op["data"]["name"] for op in journal_ops(home) if op["kind"] == "create"} >= {
        "Before",
        "After the kill",
        "The app again",
    }


def test_a_stopped_writer_is_named_with_what_to_do(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace.open(home, me="Anna", config=Config()) as ws:
        ws.add("client", name="Before")
    holder = start(HOLD_WRITE_LOCK, home, "whole")
    try:
        os.kill(holder.pid, signal.SIGSTOP)  # as Ctrl-Z would
        monkeypatch.setattr(sharing, "WRITE_WAIT_SECONDS", 0.3)
        ws = Workspace.open(home, me="Anna", config=Config(), readonly=True)
        ws.close()
        with pytest.raises(WorkspaceLocked) as caught:
            Workspace.open(home, me="Anna", config=Config())
        message = str(caught.value)
        assert message.startswith("nothing was saved")
        assert f"process {holder.pid} on {host_name()} (saving)" in message
        assert f"kill -CONT {holder.pid}" in message and str(home) in message
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    with Workspace.open(home, me="Anna", config=Config(), readonly=True) as ws:
        assert set(client_names(ws)) == {"Before"}  # nothing half-saved


def test_a_writer_still_running_is_waited_for_past_the_limit(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save waits for a running holder of the write lock (a long ingest on a busy
    machine) beyond the time after which a stopped one is named: it is saved."""
    with Workspace.open(home, me="Anna", config=Config()) as ws:
        ws.add("client", name="Before")
    go = tmp_path / "go"
    holder = start(HOLD_WRITE_LOCK, home, "until", go)
    monkeypatch.setattr(sharing, "WRITE_WAIT_SECONDS", 0.05)
    failed: list[BaseException] = []

    def save() -> None:
        try:
            with Workspace.open(home, me="Anna", config=Config()) as ws:
                ws.add("client", name="Waited")
        except BaseException as exc:
            failed.append(exc)

    saver = threading.Thread(target=save)
    try:
        saver.start()
        saver.join(timeout=1.0)  # twenty times the limit: it would have given up by now
        assert saver.is_alive() and not failed, failed
        go.touch()
        saver.join(timeout=60)
        assert not saver.is_alive() and not failed, failed
    finally:
        go.touch()
        holder.wait(timeout=30)
    with Workspace.open(home, me="Anna", config=Config(), readonly=True) as ws:
        assert set(client_names(ws)) == {"Before", "Waited"}


def test_answers_saved_by_a_command_reach_the_apps_view_read_or_not(home: Path) -> None:
    """The app reads the answers file only when an answer is first needed: an answer a
    command saved is taken in and counted whether the app had read the file or not."""
    app = Store.open(home)
    command = Store.open(home)
    command.edit("enps", "a" * 32).create_anonymous({"round": "2026", "score": 9}).commit()
    assert [op["uid"] for op in app.catch_up()] == ["a" * 32]  # not read here before
    assert app.view.count("enps") == 1
    command.edit("enps", "b" * 32).create_anonymous({"round": "2026", "score": 2}).commit()
    command.close()
    assert [op["uid"] for op in app.catch_up()] == ["b" * 32]  # read here by then
    assert sorted(doc["uid"] for doc in app.view.docs("enps")) == ["a" * 32, "b" * 32]
    app.close()
    reopened = Store.open(home, readonly=True)
    assert reopened.view.count("enps") == 2


def test_a_save_behind_a_command_is_restamped_when_its_clocks_are_still_on_disk(
    home: Path,
) -> None:
    """The applied clocks a view file holds are read when first needed: restamping a save
    that another process overtook reads them and still puts every op in clock order."""
    with Workspace.open(home, me="Anna", config=Config()) as ws:
        for n in range(3):
            ws.add("client", name=f"Before {n}")
    Store.open(home).close()  # the view file covers them, with this replica's clocks
    first, second = Store.open(home), Store.open(home)
    assert first.view._applied is None  # not read at open
    a = first.change()
    a.record("client", "A1").create({"name": "From the app"}).set("notes", "one")
    b = second.change()
    b.record("client", "B1").create({"name": "From a command"})
    stamped = [op["id"] for op in a.ops]
    b.commit()
    a.commit(batch=1)
    for store in (first, second):
        store.catch_up()
        assert store.view.get("client", "A1")["notes"] == "one"
        assert store.view.get("client", "B1")["name"] == "From a command"
        store.close()
    ops = journal_ops(home)
    assert len({op["id"] for op in ops}) == len(ops) == 1 + 3 + 1 + 2  # manager, clients
    mine = [op for op in ops if op["uid"] == "A1"]
    assert len(mine) == 2 and not {op["id"] for op in mine} & set(stamped)  # stamped again
    assert_in_clock_order(ops)
