"""The workspace on disk: private modes, the one-app lock, read-only opening,
torn journal tails, stale or damaged views, and a view file plain TinyDB can read."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import tinydb

from pulsetui.service.workspace import Workspace
from pulsetui.store.journal import JOURNAL_NAME
from pulsetui.store.locks import host_name
from pulsetui.store.store import LOCK_NAME, REPLICA_NAME, VIEW_NAME, Store

OPEN_IN_CHILD = r"""
import sys
from pulsetui.service.workspace import Workspace
from pulsetui.store.store import WorkspaceLocked
try:
    ws = Workspace.open(sys.argv[1], readonly=sys.argv[2] == "ro", app=sys.argv[2] == "app")
except WorkspaceLocked as exc:
    print(f"locked: {exc}")
    sys.exit(3)
print("clients:", sorted(doc["name"] for doc in ws.docs("client")))
ws.close()
"""


def run_child(home: Path, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", OPEN_IN_CHILD, str(home), mode],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def modes(home: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(home.stat().st_mode)}
    for path in home.rglob("*"):
        found[str(path.relative_to(home))] = stat.S_IMODE(path.lstat().st_mode)
    return found


@pytest.mark.parametrize("umask", [0o022, 0o000], indirect=True)
def test_files_0600_and_folders_0700_whatever_the_umask(home: Path, umask: int) -> None:
    ws = Workspace.open(home, me="Anna")
    for n in range(20):
        ws.add("client", name=f"Client {n}")
    ws.store.checkpoint(background=True)  # the view written by the background process
    ws.store._reap_child(block=True)
    view_mode = stat.S_IMODE((home / VIEW_NAME).stat().st_mode)
    ws.add("client", name="After the checkpoint")
    ws.close()
    found = modes(home)
    for name in (REPLICA_NAME, LOCK_NAME, VIEW_NAME, "local.json", f"journal/{JOURNAL_NAME}"):
        assert name in found, f"{name} was not written"
    assert view_mode == 0o600
    for name, mode in found.items():
        expected = 0o700 if (home / name).is_dir() else 0o600
        assert mode == expected, f"{name} is {oct(mode)} under umask {oct(umask)}"


def test_a_second_app_is_refused_naming_the_workspace_and_the_first(home: Path) -> None:
    ws = Workspace.open(home, me="Anna", app=True)
    ws.add("client", name="Acme")
    try:
        result = run_child(home, "app")
        assert result.returncode == 3, result.stderr
        assert "locked:" in result.stdout
        assert str(home) in result.stdout
        assert "already open in pulsetui" in result.stdout
        assert f"process {os.getpid()} on {host_name()}" in result.stdout
        assert "close it first" in result.stdout
        beside = run_child(home, "rw")  # a command works beside the app
        assert beside.returncode == 0, beside.stdout + beside.stderr
        assert "'Acme'" in beside.stdout
    finally:
        ws.close()
    again = run_child(home, "app")  # free again once closed
    assert again.returncode == 0, again.stdout + again.stderr


def test_read_only_open_works_while_locked(home: Path) -> None:
    ws = Workspace.open(home, me="Anna")
    ws.add("client", name="Acme")
    ws.add("client", name="Bäckerei ä ö ж õ 😀")
    try:
        result = run_child(home, "ro")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "'Acme'" in result.stdout and "Bäckerei ä ö ж õ 😀" in result.stdout
    finally:
        ws.close()


def test_a_torn_journal_tail_is_cut_and_earlier_saves_survive(home: Path) -> None:
    ws = Workspace.open(home, me="Anna")
    uids = [ws.add("client", name=f"Client {n}").uid for n in range(5)]
    ws.close(checkpoint="never")
    journal = home / "journal" / JOURNAL_NAME
    intact = journal.stat().st_size
    with open(journal, "ab") as handle:
        handle.write(b'{"id":"x:1:0","hlc":[1,0],"rid":"x","entity":"client","uid":"TORN","kin')
    ws = Workspace.open(home)
    try:
        assert journal.stat().st_size == intact
        assert all(ws.store.view.get("client", uid) for uid in uids)
        assert ws.store.view.get("client", "TORN") is None
        later = ws.add("client", name="After the cut").uid
    finally:
        ws.close()
    assert journal.read_bytes().endswith(b"\n")
    ws = Workspace.open(home)
    try:
        assert {*uids, later} <= {doc["uid"] for doc in ws.docs("client")}
    finally:
        ws.close()


def client_names(home: Path) -> list[str]:
    ws = Workspace.open(home)
    try:
        return sorted(doc["name"] for doc in ws.docs("client"))
    finally:
        ws.close()


def test_a_view_of_another_journal_is_rebuilt(tmp_path: Path) -> None:
    mine, other = tmp_path / "mine", tmp_path / "other"
    for home, name in ((mine, "Mine Oy"), (other, "Other AS")):
        ws = Workspace.open(home, me="Anna")
        ws.add("client", name=name)
        ws.close()
    (mine / VIEW_NAME).write_bytes((other / VIEW_NAME).read_bytes())
    store = Store.open(mine)
    try:
        assert store.report.view == "stale"
        assert [doc["name"] for doc in store.view.docs("client")] == ["Mine Oy"]
    finally:
        store.close()
    assert client_names(mine) == ["Mine Oy"]


def test_a_view_covering_more_than_the_journal_is_rebuilt(home: Path) -> None:
    ws = Workspace.open(home, me="Anna")
    ws.add("client", name="Kept")
    ws.close(checkpoint="never")
    journal = home / "journal" / JOURNAL_NAME
    kept_size = journal.stat().st_size
    ws = Workspace.open(home)
    ws.add("client", name="Lost with the journal's end")
    ws.close()  # the view now covers the second save
    os.truncate(journal, kept_size)  # e.g. a journal restored from an older backup
    store = Store.open(home)
    try:
        assert store.report.view == "stale"
        assert sorted(doc["name"] for doc in store.view.docs("client")) == ["Kept"]
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage", "not json"])
def test_a_missing_or_damaged_view_is_rebuilt_from_the_journal(home: Path, damage: str) -> None:
    ws = Workspace.open(home, me="Anna")
    for n in range(30):
        ws.add("client", name=f"Client {n:02d}", notes="ä ö ж õ 😀 " * n)
    ws.close()
    view = home / VIEW_NAME
    data = view.read_bytes()
    if damage == "missing":
        view.unlink()
    elif damage == "truncated":
        view.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        middle = len(data) // 2
        view.write_bytes(data[:middle] + b"\x00\xff]}{" + data[middle + 5 :])
    else:
        view.write_bytes(b"[1, 2, 3]")
    store = Store.open(home)
    try:
        assert store.report.view != "loaded"
        assert store.view.count("client") == 30
    finally:
        store.close()
    assert client_names(home) == [f"Client {n:02d}" for n in range(30)]
    assert Store.open(home, readonly=True).report.view == "loaded"  # written again


def test_the_view_file_is_readable_by_plain_tinydb(home: Path) -> None:
    ws = Workspace.open(home, me="Anna")
    acme = ws.add("client", name="Acme [bold]x[/bold]", notes="\x1b[31m ä ö ж õ 😀")
    for n in range(10):
        ws.add("nps", client=acme.uid, score=n, date="2026-11-01")
    ws.update("client", acme.uid, name="Acme Oy")
    ws.close()
    db = tinydb.TinyDB(home / VIEW_NAME, access_mode="r")
    try:
        clients = db.table("client").all()
        assert [(c["uid"], c["name"], c["notes"]) for c in clients] == [
            (acme.uid, "Acme Oy", "\x1b[31m ä ö ж õ 😀")
        ]
        assert sorted(doc["score"] for doc in db.table("nps").all()) == list(range(10))
        found = db.table("nps").search(tinydb.where("score") >= 8)
        assert len(found) == 2
        assert [m["name"] for m in db.table("manager").all()] == ["Anna"]
    finally:
        db.close()
    assert orjson.loads((home / VIEW_NAME).read_bytes())["client"]  # plain JSON as well


def test_view_of_another_format_is_reported_stale_and_rebuilt(tmp_path: Path) -> None:
    from pulsetui.service.workspace import Workspace
    from pulsetui.store import view as view_module

    home = tmp_path / "older"
    ws = Workspace.open(home, me="Anna")
    ws.add("client", name="Kuusi Logistiikka Oy")
    ws.close()
    original = view_module.FORMAT
    try:
        view_module.FORMAT = original + 1  # as if a newer pulsetui read this view
        import pulsetui.store.viewfile as viewfile_module

        viewfile_module.FORMAT = original + 1
        again = Workspace.open(home)
        assert again.store.report.view == "stale"
        assert "view format" in again.store.report.view_problem
        assert [c.name for c in again.list("client")] == ["Kuusi Logistiikka Oy"]
        again.close()
    finally:
        view_module.FORMAT = original
        viewfile_module.FORMAT = original
