"""Sync through one shared folder: convergence, merge rules, privacy, order, clones."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import shutil
import threading
from pathlib import Path

import orjson
import pytest
from tests.sync.conftest import Node

from pulsetui.domain.models import Agreement, Client, Consultant, PulseConversation
from pulsetui.service.enps_rounds import open_round
from pulsetui.sync import engine as engine_module
from pulsetui.sync.folder import FOLDER_NAME, INBOX, REPLICAS, SEGMENTS, init_folder
from pulsetui.sync.segments import decode, encode


def seg_files(root: Path, rid: str) -> list[Path]:
    return sorted((root / REPLICAS / rid / SEGMENTS).glob("*.jsonl"))


def all_ops_in_folder(root: Path) -> list[dict]:
    ops = []
    for path in sorted(root.glob(f"{REPLICAS}/*/{SEGMENTS}/*.jsonl")):
        ops.extend(decode(path.read_bytes(), path.parent.parent.name).ops)
    return ops


def test_two_replicas_converge_and_report(nodes: list[Node]) -> None:
    anna, bob = nodes
    client = anna.ws.add(Client, name="Acme Ж 🚀 [bold]x[/bold]")
    anna.ws.add_agreement(client.uid, "Weekly demo", side="us")
    report = anna.sync()
    assert report.exported_ops >= 3 and len(report.segments_written) == 1
    report = bob.sync()
    assert report.ingested_ops >= 3
    assert bob.ws.require(Client, client.uid).name == "Acme Ж 🚀 [bold]x[/bold]"
    anna.sync()
    assert anna.ws.export_json() == bob.ws.export_json()
    # a second pass with nothing new writes nothing
    before = sorted(p.name for p in anna.root.rglob("*"))
    assert anna.sync().exported_ops == 0 and bob.sync().exported_ops == 0
    assert sorted(p.name for p in anna.root.rglob("*")) == before


def test_segment_layout_on_disk(nodes: list[Node]) -> None:
    anna, _ = nodes
    anna.ws.add(Client, name="Acme")
    anna.sync()
    [path] = seg_files(anna.root, anna.rid)
    assert path.name.startswith("000000000001-") and path.name.endswith(".jsonl")
    lines = path.read_bytes().splitlines()
    header, trailer = orjson.loads(lines[0]), orjson.loads(lines[-1])
    assert header["format"] == "pulsetui-sync" and header["rid"] == anna.rid
    assert header["seq"] == 1 and header["count"] == len(lines) - 2
    assert path.name[13:25] == trailer["sha256"][:12]
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    info = orjson.loads((anna.root / REPLICAS / anna.rid / "replica.json").read_bytes())
    assert info == {"rid": anna.rid, "name": "Anna", "format": "pulsetui-sync"}


def test_concurrent_note_edits_stay_visible_until_resolved(nodes: list[Node]) -> None:
    anna, bob = nodes
    client = anna.ws.add(Client, name="Acme", notes="start")
    anna.sync()
    bob.sync()
    anna.ws.update(Client, client.uid, notes="Anna's text")
    bob.ws.update(Client, client.uid, notes="Bob's text")
    for node in (anna, bob, anna):
        node.sync()
    for node in (anna, bob):
        assert sorted(node.ws.conflicts(Client, client.uid)["notes"]) == [
            "Anna's text",
            "Bob's text",
        ]
    assert anna.ws.export_json() == bob.ws.export_json()
    bob.ws.resolve(Client, client.uid, "notes", "Both texts merged")
    bob.sync()
    anna.sync()
    for node in (anna, bob):
        assert node.ws.conflicts(Client, client.uid) == {}
        assert node.ws.require(Client, client.uid).notes == "Both texts merged"


def test_delete_removes_only_what_was_seen_and_status_history_appends(nodes: list[Node]) -> None:
    anna, bob = nodes
    client = anna.ws.add(Client, name="Acme")
    agreement = anna.ws.add_agreement(client.uid, "Ship v2", side="us")
    anna.sync()
    bob.sync()
    anna.ws.delete(Client, client.uid)
    bob.ws.update(Client, client.uid, notes="still talking")
    anna.ws.set_agreement_status(agreement.uid, "done")
    bob.ws.set_agreement_status(agreement.uid, "broken", reason="late")
    for node in (anna, bob, anna):
        node.sync()
    for node in (anna, bob):
        assert node.ws.get(Client, client.uid) is not None  # the concurrent edit survives
        assert client.uid in node.ws.revived(Client)
        history = node.ws.require(Agreement, agreement.uid).history
        assert sorted(h.status.value for h in history) == ["broken", "done", "open"]
    assert anna.ws.export_json() == bob.ws.export_json()


def test_private_records_never_reach_the_team_folder(tmp_path: Path, shared: Path) -> None:
    personal = tmp_path / "personal"
    init_folder(personal)
    laptop = Node(tmp_path, "Anna", shared, personal)
    try:
        person = laptop.ws.add(Consultant, name="Mikko")
        pulse = laptop.ws.add_pulse(person.uid, notes="secret: wants to leave")
        laptop.sync()
        team_ops = all_ops_in_folder(shared / FOLDER_NAME)
        assert team_ops and all(op["entity"] != "pulse" for op in team_ops)
        assert b"secret" not in b"".join(p.read_bytes() for p in shared.rglob("*") if p.is_file())
        personal_ops = all_ops_in_folder(personal / FOLDER_NAME)
        assert any(op["entity"] == "pulse" for op in personal_ops)
        # a second device of the same manager gets the pulse, a teammate does not
        server = Node(tmp_path, "Anna-server", shared, personal)
        teammate = Node(tmp_path, "Bob", shared)
        server.sync()
        teammate.sync()
        assert server.ws.get(PulseConversation, pulse.uid) is not None
        assert teammate.ws.get(PulseConversation, pulse.uid) is None
        assert teammate.ws.get(Consultant, person.uid) is not None
        server.close()
        teammate.close()
    finally:
        laptop.close()


def test_enps_goes_to_the_inbox_with_a_random_name_only(nodes: list[Node]) -> None:
    anna, bob = nodes
    open_round(anna.ws, "2026", "+2w")
    answer = anna.ws.add_enps(score=3, reason="too much overtime")
    anna.sync()
    assert list((anna.root / INBOX).iterdir()) == []  # held for a random while first
    anna.now += dt.timedelta(hours=7)
    anna.sync()
    files = list((anna.root / INBOX).iterdir())
    assert len(files) == 1 and len(files[0].stem) == 32
    assert files[0].stat().st_mtime < 10**9  # the file's time tells nothing
    assert all(op["entity"] != "enps" for op in all_ops_in_folder(anna.root))
    assert b"overtime" not in b"".join(p.read_bytes() for p in seg_files(anna.root, anna.rid))
    report = bob.sync()
    assert report.answers_read == 1
    assert bob.ws.count("enps") == 1
    assert bob.ws.get("enps", answer.uid) is not None
    # nobody drops it again, nobody reads it twice
    assert anna.sync().answers_dropped == 0 and bob.sync().answers_dropped == 0
    assert len(list((anna.root / INBOX).iterdir())) == 1


def test_gap_waits_and_incomplete_file_is_retried(nodes: list[Node], tmp_path: Path) -> None:
    anna, bob = nodes
    first = anna.ws.add(Client, name="First")
    anna.sync()
    second = anna.ws.add(Client, name="Second")
    anna.sync()
    seg1, seg2 = seg_files(anna.root, anna.rid)
    hold = tmp_path / "held"
    hold.mkdir()
    shutil.move(seg1, hold / seg1.name)
    data = (hold / seg1.name).read_bytes()
    report = bob.sync()
    assert bob.ws.get(Client, second.uid) is None  # seq 2 waits for seq 1
    assert any("segment 1 is missing" in line for line in report.waiting)
    seg1.write_bytes(data[: len(data) // 2])  # half arrived
    report = bob.sync()
    assert report.ingested_ops == 0 and bob.ws.get(Client, first.uid) is None
    assert any("not fully arrived" in line for line in report.waiting)
    seg1.write_bytes(data)
    report = bob.sync()
    assert bob.ws.get(Client, first.uid) and bob.ws.get(Client, second.uid)
    assert report.waiting == []
    assert seg2.exists()


def test_conflict_copy_is_ingested_only_when_valid(nodes: list[Node]) -> None:
    anna, bob = nodes
    client = anna.ws.add(Client, name="Acme")
    anna.sync()
    [seg] = seg_files(anna.root, anna.rid)
    data = seg.read_bytes()
    seg.unlink()
    stem = seg.name[: -len(".jsonl")]
    bad = seg.with_name(f"{stem}.sync-conflict-20261120-100000-ABCDEFG.jsonl")
    bad.write_bytes(data.replace(b"Acme", b"Acmf"))
    report = bob.sync()
    assert bob.ws.get(Client, client.uid) is None
    assert any("checksum mismatch" in p for p in report.problems)
    good = seg.with_name(f"{stem} (Bob's conflicted copy 2026-11-20).jsonl")
    good.write_bytes(data)
    bob.sync()
    assert bob.ws.require(Client, client.uid).name == "Acme"


def test_newer_format_is_kept_unapplied_with_upgrade_message(nodes: list[Node]) -> None:
    anna, bob = nodes
    anna.ws.add(Client, name="Acme")
    anna.sync()
    [seg] = seg_files(anna.root, anna.rid)
    ops = decode(seg.read_bytes(), anna.rid).ops
    later = {**ops[-1], "hlc": [ops[-1]["hlc"][0] + 5, 0]}
    later["id"] = f"{anna.rid}:{later['hlc'][0]}:0"
    _, data = encode(anna.rid, 2, [later])
    body = data[: data.rindex(b"\n", 0, len(data) - 1) + 1].replace(b'"version":1', b'"version":2')
    sha = hashlib.sha256(body).hexdigest()
    trailer = orjson.dumps({"end": "pulsetui-sync", "sha256": sha, "count": 1}) + b"\n"
    (seg.parent / f"000000000002-{sha[:12]}.jsonl").write_bytes(body + trailer)
    report = bob.sync()
    assert any("upgrade pulsetui" in p for p in report.problems)
    assert bob.engine.state.folder(bob.root).ingested[anna.rid] == 1
    (bob.root / "FORMAT").unlink()
    (bob.root / "FORMAT").write_text('{"format": "pulsetui-sync", "version": 9}\n')
    report = bob.sync()
    assert any("upgrade pulsetui" in p for p in report.problems)


def test_cloned_installation_is_detected_and_takes_a_new_id(tmp_path: Path, shared: Path) -> None:
    original = Node(tmp_path, "Anna", shared)
    original.ws.add(Client, name="Before the copy")
    original.sync()
    original.close()
    shutil.copytree(original.home, tmp_path / "home-Anna-copy")
    first = Node(tmp_path, "Anna", shared)
    copy = Node(tmp_path, "Anna-copy", shared)
    copy.home = tmp_path / "home-Anna-copy"
    copy.reopen()
    try:
        old = first.rid
        assert copy.rid == old
        first.ws.add(Client, name="Made on the first")
        first.sync()
        copy.ws.add(Client, name="Made on the copy")
        report = copy.sync()
        assert "copied workspace" in report.clone and copy.rid != old
        assert first.rid == old
        for node in (first, copy, first):
            node.sync()
        expected = {"Before the copy", "Made on the first", "Made on the copy"}
        assert {c.name for c in first.ws.list(Client)} == expected
        # the copy, too, takes the original's changes made under the shared old id
        assert {c.name for c in copy.ws.list(Client)} == expected
        assert first.ws.export_json() == copy.ws.export_json()
        report = first.sync()
        assert report.exported_ops == 0  # the copy's changes are not sent again as ours
        # the copy writes nothing more under the old id
        assert all(int(p.name[:12]) <= 2 for p in seg_files(shared / FOLDER_NAME, old))
        assert copy.ws.store.rid != old and copy.engine.status().problems == ()
    finally:
        first.close()
        copy.close()


def test_status_counts_pending_and_run_once_is_thread_safe(nodes: list[Node]) -> None:
    anna, _ = nodes
    assert anna.engine.status().last_sync is None
    anna.ws.add(Client, name="One")
    anna.ws.add(Client, name="Two")
    assert anna.engine.status().pending == 2
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(anna.sync())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.exported_ops for r in reports) == 2 + 1  # the manager record too
    status = anna.engine.status()
    assert status.pending == 0 and status.last_sync is not None and not status.running
    assert len(seg_files(anna.root, anna.rid)) == 1


def test_sync_writes_only_inside_its_own_folder(nodes: list[Node]) -> None:
    anna, bob = nodes
    bob.ws.add(Client, name="Bob's")
    bob.sync()
    before = {
        p: (p.stat().st_mtime_ns, p.stat().st_size)
        for p in anna.root.rglob("*")
        if p.is_file() and anna.rid not in p.parts
    }
    anna.ws.add(Client, name="Anna's")
    anna.sync()
    after = {
        p: (p.stat().st_mtime_ns, p.stat().st_size)
        for p in anna.root.rglob("*")
        if p.is_file() and anna.rid not in p.parts
    }
    assert after == before


def test_uninitialised_folder_is_reported_not_created(tmp_path: Path) -> None:
    node = Node(tmp_path, "Anna", tmp_path / "nowhere")
    try:
        report = node.sync()
        assert any("sync init" in p for p in report.problems)
        assert not (tmp_path / "nowhere").exists()
        assert node.engine.status().last_sync is None
    finally:
        node.close()


def test_segment_files_are_immutable_after_publish(nodes: list[Node]) -> None:
    anna, _ = nodes
    anna.ws.add(Client, name="A")
    anna.sync()
    [seg] = seg_files(anna.root, anna.rid)
    stamp = (seg.stat().st_mtime_ns, seg.read_bytes(), os.stat(seg).st_ino)
    for index in range(3):
        anna.ws.add(Client, name=f"B{index}")
        anna.sync()
    assert (seg.stat().st_mtime_ns, seg.read_bytes(), os.stat(seg).st_ino) == stamp
    assert len(seg_files(anna.root, anna.rid)) == 4


def test_a_large_pass_leaves_what_it_took_in_to_no_collector(
    nodes: list[Node], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The records a large pass took in stay out of the cyclic collector's passes (a
    small pass changes nothing), and the collector runs again after every pass."""
    anna, bob = nodes
    for name in ("Acme", "Globex", "Initech"):
        anna.ws.add(Client, name=name)
    anna.sync()
    frozen = gc.get_freeze_count()
    monkeypatch.setattr(engine_module, "FREEZE_AFTER_OPS", 10_000)
    try:
        assert bob.sync().ingested_ops >= 3
        assert gc.get_freeze_count() == frozen and gc.isenabled()
        anna.ws.add(Client, name="Umbrella")
        anna.sync()
        monkeypatch.setattr(engine_module, "FREEZE_AFTER_OPS", 1)
        assert bob.sync().ingested_ops >= 1
        assert gc.get_freeze_count() > frozen and gc.isenabled()
    finally:
        gc.unfreeze()
