"""A copied workspace (a restored laptop, a cloned VM): the copy and the original each
publish a segment with the same number before they see each other. Every save still
reaches everyone, whoever syncs first, and whatever a third replica had read before."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.sync.conftest import Node
from tests.sync.test_properties import check_nothing_lost, own_ops

from pulsetui.cli.main import cli
from pulsetui.domain.models import Client
from pulsetui.sync.doctor import sync_findings
from pulsetui.sync.folder import FOLDER_NAME, REPLICAS, SEGMENTS, init_folder


def deliver(src: Node, dst: Node, only: str = "") -> int:
    """Hand ``dst`` every file of ``src``'s folder it lacks, the way Syncthing does
    (temp name, then rename); ``only`` limits it to files whose path contains it."""
    count = 0
    for path in sorted(src.root.glob(f"{REPLICAS}/*/**/*")):
        if not path.is_file() or only not in str(path):
            continue
        target = dst.root / path.relative_to(src.root)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(".tmp-delivery")
        tmp.write_bytes(path.read_bytes())
        os.replace(tmp, target)
        count += 1
    return count


def segments(node: Node, rid: str) -> list[str]:
    return sorted(p.name for p in (node.root / REPLICAS / rid / SEGMENTS).glob("*.jsonl"))


def names(node: Node) -> set[str]:
    return {client.name for client in node.ws.list(Client)}


def make_twins(tmp_path: Path) -> tuple[Node, Node, str]:
    """The original and its copy, each with a segment 2 of its own under one id."""
    folder = tmp_path / "folder-original"
    init_folder(folder)
    original = Node(tmp_path, "Anna", folder)
    original.ws.add(Client, name="Before the copy")
    original.sync()
    original.close()
    shutil.copytree(original.home, tmp_path / "home-Anna-copy")
    shutil.copytree(folder, tmp_path / "folder-copy")  # its synced folder comes along
    # on the copied machine the folder has the same path; here it has another one
    state = tmp_path / "home-Anna-copy" / "sync.json"
    state.write_text(state.read_text().replace("folder-original", "folder-copy"))
    original.reopen()
    copy = Node(tmp_path, "Anna-copy", tmp_path / "folder-copy")
    copy.close()
    copy.home = tmp_path / "home-Anna-copy"
    copy.reopen()
    rid = original.rid
    assert copy.rid == rid
    original.ws.add(Client, name="Saved on the original")
    original.sync()
    copy.ws.add(Client, name="Saved on the copy")
    copy.sync()
    twins = segments(original, rid) + segments(copy, rid)
    assert sorted(name[:12] for name in set(twins)) == ["000000000001", *["000000000002"] * 2]
    return original, copy, rid


EVERYTHING = {"Before the copy", "Saved on the original", "Saved on the copy", "Saved by Cara"}


@pytest.mark.parametrize("first", ["original", "copy", "third"])
def test_twin_segments_lose_no_save(tmp_path: Path, first: str) -> None:
    original, copy, rid = make_twins(tmp_path)
    folder = tmp_path / "folder-third"
    init_folder(folder)
    third = Node(tmp_path, "Cara", folder)
    nodes = [original, copy, third]
    try:
        third.ws.add(Client, name="Saved by Cara")
        # the folders meet: every file reaches every folder
        for src in nodes:
            for dst in nodes:
                if src is not dst:
                    deliver(src, dst)
        order = {"original": [original, copy, third], "copy": [copy, third, original]}
        order["third"] = [third, original, copy]
        for _ in range(3):
            for node in order[first]:
                node.sync()
            for src in nodes:
                for dst in nodes:
                    if src is not dst:
                        deliver(src, dst)
        for node in nodes:
            assert names(node) == EVERYTHING, node.name
        assert len({node.ws.export_json() for node in nodes}) == 1
        acknowledged = [op for node in nodes for op in own_ops(node)]
        for node in nodes:
            check_nothing_lost(node, acknowledged)
        # both copies took a new id; nothing more is written under the shared one
        assert original.rid != rid and copy.rid != rid and original.rid != copy.rid
        assert {name[:12] for name in segments(third, rid)} == {"000000000001", "000000000002"}
    finally:
        for node in nodes:
            node.close()


def test_a_reader_past_one_twin_still_gets_the_other(tmp_path: Path) -> None:
    """The third replica read segment 2 of the copy and moved on before the original's
    segment 2 arrived: it never reads that number again, and gets the original's
    change from the segment the original sends again under its new id."""
    original, copy, rid = make_twins(tmp_path)
    folder = tmp_path / "folder-third"
    init_folder(folder)
    third = Node(tmp_path, "Cara", folder)
    nodes = [original, copy, third]
    try:
        deliver(copy, third)
        third.sync()
        assert names(third) == {"Before the copy", "Saved on the copy"}
        assert third.engine.state.folder(third.root).ingested[rid] == 2
        # now the original's twin arrives at the copy and the third replica
        deliver(original, copy)
        deliver(original, third)
        report = third.sync()
        assert "Saved on the original" not in names(third)  # number 2 was read already
        report = original.sync()  # the original does not see the copy's twin yet
        assert report.clone == ""
        report = copy.sync()
        assert "twin" in report.clone and "sends again" in report.clone
        deliver(copy, original)
        report = original.sync()
        assert "segment(s) 2 written here" in report.clone
        assert names(original) == {"Before the copy", "Saved on the original", "Saved on the copy"}
        deliver(original, third)
        deliver(copy, third)
        third.sync()
        assert names(third) == {"Before the copy", "Saved on the original", "Saved on the copy"}
        assert names(copy) == names(third)
        # sync --check on the third replica explains what happened
        findings = sync_findings(third.ws, third.shared)
        [line] = [f for f in findings if "different segments numbered 2" in f]
        assert "two copies of one workspace" in line and "nothing is lost" in line
        assert original.rid in line and copy.rid in line
        # and on the original, that it was one of the copies
        findings = sync_findings(original.ws, original.shared)
        [line] = [f for f in findings if "different segments numbered 2" in f]
        assert f"This workspace was one of the copies; it now writes as {original.rid}" in line
    finally:
        for node in nodes:
            node.close()


def test_sync_check_names_the_twins_in_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    original, copy, rid = make_twins(tmp_path)
    try:
        deliver(copy, original)
        home = str(original.home)
        shared = str(original.shared)
        original.close()
        result = CliRunner().invoke(cli, ["--home", home, "--shared", shared, "sync", "--check"])
        assert result.exit_code == 1
        assert f"{REPLICAS}/{rid}/{SEGMENTS}: different segments numbered 2" in result.output
        result = CliRunner().invoke(cli, ["--home", home, "--shared", shared, "sync"])
        assert result.exit_code == 0
        assert "copied workspace" in result.output and "sends again" in result.output
        assert (Path(shared) / FOLDER_NAME).is_dir()
    finally:
        copy.close()
