"""A hostile shared folder: sync never crashes, never writes outside its own folder,
never reads what it must not, and the doctor names every case."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner
from tests.sync.conftest import Node

from pulsetui.cli.main import cli
from pulsetui.domain.models import Client
from pulsetui.sync.doctor import sync_findings
from pulsetui.sync.folder import INBOX, REPLICAS, SEGMENTS


def snapshot(root: Path, skip: str) -> dict[str, tuple[int, int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if skip in path.parts:
                continue
            st = os.lstat(path)
            out[str(path)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def test_hostile_folder(nodes: list[Node], tmp_path: Path) -> None:
    anna, bob = nodes
    bob.sync()  # bob's own folder exists before the folder turns hostile
    client = anna.ws.add(Client, name="Acme")
    anna.sync()
    seg_dir = anna.root / REPLICAS / anna.rid / SEGMENTS
    [good] = sorted(seg_dir.glob("*.jsonl"))
    data = good.read_bytes()
    outside = tmp_path / "outside-secret.txt"
    outside.write_text("secret")

    # a fake replica full of hostile entries with segment names
    evil = anna.root / REPLICAS / "e0e0e0e0e0e0e0e0"
    (evil / SEGMENTS).mkdir(parents=True)
    seg = evil / SEGMENTS
    (seg / "000000000001-aaaaaaaaaaaa.jsonl").symlink_to(outside)
    os.mkfifo(seg / "000000000002-bbbbbbbbbbbb.jsonl")
    (seg / "000000000003-cccccccccccc.jsonl").mkdir()
    os.link(good, seg / "000000000004-dddddddddddd.jsonl")
    with open(seg / "000000000005-eeeeeeeeeeee.jsonl", "wb") as handle:
        handle.truncate(1 << 30)  # a 1 GB sparse file
    (seg / "000000000006-ffffffffffff.jsonl").write_bytes(data[: len(data) // 2])
    flipped = bytearray(data)
    flipped[len(flipped) // 3] ^= 0x01
    (seg / "000000000007-000000000000.jsonl").write_bytes(bytes(flipped))
    (seg / "not-a-segment.txt").write_text("hello")
    (seg / ".tmp-0123456789abcdef").write_bytes(data[:10])
    (seg / "~syncthing~000000000008-111111111111.jsonl.tmp").write_bytes(data[:10])
    stem = good.name[: -len(".jsonl")]
    conflict = seg_dir / f"{stem}.sync-conflict-20261120-100000-ABCDEFG.jsonl"
    conflict.write_bytes(data)
    dropbox = seg_dir / f"{stem} (Bob's conflicted copy 2026-11-20).jsonl"
    dropbox.write_bytes(data[:-5])
    (anna.root / REPLICAS / "bad name!").mkdir()
    (anna.root / REPLICAS / "f0f0f0f0f0f0f0f0").symlink_to(tmp_path)
    (anna.root / INBOX / "ab").write_text("x")
    (anna.root / INBOX / ("0" * 32 + ".json")).write_bytes(b'{"format": "pulsetui-sync"}\n')
    (anna.root / "stray.bin").write_bytes(b"\x1b[31m")

    before = snapshot(anna.root, bob.rid)
    outside_before = outside.read_bytes()
    report = bob.sync()  # must not crash or hang on the FIFO or read 1 GB
    assert bob.ws.require(Client, client.uid).name == "Acme"
    assert snapshot(anna.root, bob.rid) == before
    assert outside.read_bytes() == outside_before
    assert set(os.listdir(tmp_path)) >= {"outside-secret.txt"}
    assert not list((anna.root / REPLICAS / bob.rid / SEGMENTS).glob(".tmp-*"))
    problems = "\n".join(report.problems)
    assert "000000000001-aaaaaaaaaaaa.jsonl: refused: symlink" in problems
    assert "bad name!" in problems

    findings = "\n".join(sync_findings(bob.ws, bob.shared))
    expected = {
        "000000000001-aaaaaaaaaaaa.jsonl: symlink": "symlink",
        "000000000002-bbbbbbbbbbbb.jsonl: FIFO": "FIFO",
        "000000000003-cccccccccccc.jsonl: directory": "directory",
        "000000000004-dddddddddddd.jsonl: hard link": "hard link",
        "000000000005-eeeeeeeeeeee.jsonl: oversized": "1 GB sparse",
        "000000000006-ffffffffffff.jsonl: incomplete": "truncated",
        "000000000007-000000000000.jsonl: invalid (checksum mismatch": "bit flip",
        "not-a-segment.txt: bad name": "bad name",
        ".tmp-0123456789abcdef: temp or OS file": "temp file",
        "~syncthing~000000000008-111111111111.jsonl.tmp: temp or OS file": "syncthing temp",
        f"{conflict.name}: conflict copy": "conflict copy",
        f"{dropbox.name}: incomplete": "torn conflicted copy",
        "replicas/bad name!: bad name": "bad replica name",
        "replicas/f0f0f0f0f0f0f0f0: symlink": "symlinked replica",
        "inbox/ab: bad name": "bad inbox name",
        f"inbox/{'0' * 32}.json: incomplete": "bad inbox file",
        "stray.bin: bad name": "stray file",
    }
    missing = [what for text, what in expected.items() if text not in findings]
    assert not missing, f"doctor did not name: {missing}\n{findings}"
    assert "\x1b" not in findings

    runner = CliRunner()
    bob.close()
    result = runner.invoke(
        cli, ["--home", str(bob.home), "--shared", str(bob.shared), "sync", "--check"]
    )
    assert result.exit_code == 1
    assert "FIFO" in result.output and "hard link" in result.output
    bob.reopen()
    shutil.rmtree(evil)
