"""The complete backup and the shareable export are two things.

backup -> restore into an empty home gives a workspace whose export (private records
included) is byte-identical to the original's, with the answers of eNPS rounds too
small to show, deleted records that can still be brought back, conflicts and the
signed-in manager; the file is 0600 and never written over; a damaged file restores
nothing; a workspace already there is kept unless --replace moves it aside.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import stat
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result

from conftest import FROZEN_NOW
from enps_setup import published_round
from pulsetui.cli.main import cli
from pulsetui.service.config import Config
from pulsetui.service.enps_rounds import open_round
from pulsetui.service.workspace import Workspace
from test_reports_backup import _conflict

SMALL_SECRET = "SMALL-ROUND-SECRET"
OPEN_SECRET = "OPEN-ROUND-ANSWER"
PRIVATE = "private note: tired of the commute"


def run(home: Path, *args: str, shared: Path | None = None) -> Result:
    extra = ["--shared", str(shared)] if shared else []
    return CliRunner().invoke(cli, ["--home", str(home), *extra, *args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())


@pytest.fixture
def firm(home: Path) -> Path:
    with Workspace.open(home, me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        acme = ws.add("client", name="Acme Oy", manager=ws.me, notes="ж 🎉 \x1b[31m").uid
        mia = ws.add("consultant", name="Mia", manager=ws.me).uid
        ws.add_pulse(mia, date=dt.date(2026, 11, 1), wellbeing=2, notes=PRIVATE)
        gone = ws.add("touchpoint", client=acme, date=dt.date(2026, 11, 2), note="lunch").uid
        ws.delete("touchpoint", gone)
        agreement = ws.add_agreement(acme, "Ship it", "us", due=dt.date(2026, 11, 30))
        ws.set_agreement_status(agreement.uid, "broken", reason="late")
        published_round(ws, "2026", [(score, "team") for score in (10, 9, 3, 7, 8)])
        published_round(ws, "2026-trainees", [(0, SMALL_SECRET)])
        counted = [d["uid"] for d in ws.docs("enps") if d["round"] == "2026"]
        ws.store.answers.seal("2026", counted)  # as a sync on its results day records
        open_round(ws, "2026-Q4", dt.date(2026, 11, 30))
        ws.add_enps(6, reason=OPEN_SECRET, round="2026-Q4")
        _conflict(ws, "client", acme, "name", "Acme Oy (local)", "Acme Oy (remote)", 1)
    return home


def test_backup_restore_gives_the_same_workspace(firm: Path, tmp_path: Path) -> None:
    file = tmp_path / "backup.pulsetui"
    made = run(firm, "backup", str(file))
    assert made.exit_code == 0, made.output
    assert "backed up" in made.stdout and "1 pulse" in made.stdout
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert SMALL_SECRET.encode() in file.read_bytes() and OPEN_SECRET.encode() in file.read_bytes()

    with Workspace.open(firm, readonly=True, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        original_sealed = dict(ws.store.answers.sealed)
    restored = tmp_path / "restored"
    done = run(restored, "restore", str(file))
    assert done.exit_code == 0, done.output
    assert f"into {restored}" in done.stdout

    original = run(firm, "export", "--format", "json", "--include-private")
    again = run(restored, "export", "--format", "json", "--include-private")
    assert original.exit_code == again.exit_code == 0
    assert again.stdout_bytes == original.stdout_bytes
    assert PRIVATE.encode() in again.stdout_bytes

    with Workspace.open(restored, config=Config()) as ws:
        assert ws.me_name == "Anna Virtanen"  # not the PULSETUI_ME of the test
        rounds = sorted(d["round"] for d in ws.docs("enps"))
        assert rounds.count("2026-trainees") == 1 and len(rounds) == 7
        assert {SMALL_SECRET, OPEN_SECRET} <= {d["reason"] for d in ws.docs("enps")}
        assert ws.store.answers.sealed == original_sealed and original_sealed["2026"]
        (acme,) = ws.list("client")
        assert ws.conflicts("client", acme.uid)["name"] == ["Acme Oy (remote)", "Acme Oy (local)"]
        (gone,) = [uid for uid, doc in ws.store.view.hidden["touchpoint"].items() if doc.get("_d")]
        ws.restore("touchpoint", gone)  # a delete can still be undone
        assert ws.get("touchpoint", gone) is not None
    replica = orjson.loads((restored / "replica.json").read_bytes())
    before = orjson.loads((firm / "replica.json").read_bytes())
    assert replica["rid"] != before["rid"] and before["rid"] in replica["previous_rids"]


def test_the_restored_installation_carries_the_changes_to_the_team(
    firm: Path, tmp_path: Path
) -> None:
    """The original never synced; after a restore, a colleague gets its records."""
    file, shared = tmp_path / "b", tmp_path / "team"
    assert run(firm, "backup", str(file)).exit_code == 0
    restored, colleague = tmp_path / "restored", tmp_path / "colleague"
    assert run(restored, "restore", str(file)).exit_code == 0
    assert run(restored, "sync", "init", shared=shared).exit_code == 0
    assert run(restored, "sync", shared=shared).exit_code == 0
    assert run(colleague, "sync", shared=shared).exit_code == 0
    with Workspace.open(colleague, readonly=True, config=Config()) as ws:
        assert [c.name for c in ws.list("client")] == ["Acme Oy (local)"]
        assert ws.count("pulse") == 0  # private: never in the team folder


def test_export_leaves_out_private_records_and_says_so(firm: Path) -> None:
    shared = run(firm, "export", "--format", "json")
    assert shared.exit_code == 0
    assert PRIVATE.encode() not in shared.stdout_bytes
    assert "pulse" not in orjson.loads(shared.stdout_bytes)["records"]
    assert "left out 1 private pulse conversation (--include-private" in shared.stderr
    assert "2026-trainees (n=1)" in shared.stderr
    full = run(firm, "export", "--format", "json", "--include-private")
    assert PRIVATE.encode() in full.stdout_bytes and "private pulse" not in full.stderr
    assert SMALL_SECRET.encode() not in full.stdout_bytes  # a shareable form, still
    wrong = run(firm, "export", "--format", "csv", "--include-private")
    assert wrong.exit_code == 2 and "invalid include-private" in wrong.stderr


def test_backup_never_writes_over_a_file(firm: Path, tmp_path: Path) -> None:
    file = tmp_path / "taken"
    file.write_bytes(b"keep me")
    refused = run(firm, "backup", str(file))
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert file.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    forced = run(firm, "backup", str(file), "--force")
    assert forced.exit_code == 0 and file.read_bytes().startswith(b'{"format":"pulsetui-backup"')
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    piped = run(firm, "backup", "-")
    assert piped.exit_code == 0 and piped.stdout_bytes == file.read_bytes()


def test_restore_keeps_a_workspace_that_is_there(firm: Path, tmp_path: Path) -> None:
    file = tmp_path / "b"
    assert run(firm, "backup", str(file)).exit_code == 0
    other = tmp_path / "other"
    with Workspace.open(other, me="Bob", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        ws.add("client", name="Bob's client", manager=ws.me)
    before = run(other, "export").stdout_bytes
    refused = run(other, "restore", str(file))
    assert refused.exit_code == 2 and "already holds a workspace" in refused.stderr
    assert run(other, "export").stdout_bytes == before

    replaced = run(other, "restore", str(file), "--replace")
    assert replaced.exit_code == 0, replaced.output
    (aside,) = tmp_path.glob("other.before-restore-*")
    assert str(aside) in replaced.stdout
    assert run(aside, "export").stdout_bytes == before
    assert run(other, "export").stdout_bytes == run(firm, "export").stdout_bytes


def test_restore_refuses_a_folder_of_other_files(firm: Path, tmp_path: Path) -> None:
    file = tmp_path / "b"
    assert run(firm, "backup", str(file)).exit_code == 0
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("hello")
    result = run(folder, "restore", str(file), "--replace")
    assert result.exit_code == 2 and "holds other files" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]


def _damaged(data: bytes) -> list[tuple[bytes, str]]:
    lines = data.splitlines(keepends=True)
    flipped = data.replace(b"Ship it", b"Ship It")
    return [
        (b"".join(lines[:-1]), "cut short"),
        (b"".join(lines[:-3] + lines[-1:]), "checksum"),
        (flipped, "checksum"),
        (b"", "cut short"),
        (b"not a backup\n", "not JSON"),
        (b'{"format": "pulsetui-export"}\n{}\n', "not a pulsetui backup"),
        (data.replace(b'"version":1', b'"version":7', 1), "invalid version"),
    ]


def test_a_damaged_backup_restores_nothing(firm: Path, tmp_path: Path) -> None:
    file = tmp_path / "b"
    assert run(firm, "backup", str(file)).exit_code == 0
    for index, (data, why) in enumerate(_damaged(file.read_bytes())):
        bad = tmp_path / f"bad{index}"
        bad.write_bytes(data)
        target = tmp_path / f"target{index}"
        result = run(target, "restore", str(bad))
        assert result.exit_code == 2, (why, result.output)
        assert why in result.stderr, (why, result.stderr)
        assert not target.exists()


def test_a_bad_op_in_a_well_formed_file_restores_nothing(firm: Path, tmp_path: Path) -> None:
    from pulsetui.reports.backup import backup_bytes
    from pulsetui.service.backup import read_backup

    file = tmp_path / "b"
    assert run(firm, "backup", str(file)).exit_code == 0
    backup = read_backup(file.read_bytes())
    first = orjson.loads(backup.lines[0])
    bad_op = orjson.dumps({**first, "id": "someone-else:1:0"})
    forged = backup_bytes(dataclasses.replace(backup, lines=(bad_op, *backup.lines[1:])))
    bad = tmp_path / "forged"
    bad.write_bytes(forged)
    result = run(tmp_path / "target", "restore", str(bad))
    assert result.exit_code == 2 and "line 2 is not a valid change" in result.stderr
    assert not (tmp_path / "target").exists()


def test_a_damaged_journal_line_is_left_out_as_a_start_up_skips_it(
    firm: Path, tmp_path: Path
) -> None:
    with open(firm / "journal" / "ops.jsonl", "ab") as journal:
        journal.write(b'{"not": "a change"}\n')
    with Workspace.open(firm, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        ws.add("client", name="After the damage", manager=ws.me)
    file = tmp_path / "b"
    made = run(firm, "backup", str(file))
    assert made.exit_code == 0 and "left out 1 damaged line" in made.stderr
    restored = tmp_path / "restored"
    assert run(restored, "restore", str(file)).exit_code == 0
    assert (
        run(restored, "export", "--include-private").stdout_bytes
        == run(firm, "export", "--include-private").stdout_bytes
    )


def test_an_empty_save_in_a_backup_restores_nothing(firm: Path, tmp_path: Path) -> None:
    from pulsetui.reports.backup import backup_bytes
    from pulsetui.service.backup import read_backup

    file = tmp_path / "b"
    assert run(firm, "backup", str(file)).exit_code == 0
    backup = read_backup(file.read_bytes())
    bad = tmp_path / "forged"
    bad.write_bytes(backup_bytes(dataclasses.replace(backup, lines=(*backup.lines, b"[]"))))
    result = run(tmp_path / "target", "restore", str(bad))
    assert result.exit_code == 2 and "is not a valid change: empty" in result.stderr
    assert not (tmp_path / "target").exists()


def test_a_backup_is_written_while_the_journal_is_read(
    firm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taking a backup reads nothing of the journal; writing it reads the journal and
    writes the file as it goes, a part at a time: the first lines are in the file before
    the last are read, and the file is the whole journal."""
    from pulsetui.reports.backup import write_backup
    from pulsetui.service.backup import read_backup, take_backup

    with Workspace.open(firm, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        acme = ws.find("client", "Acme Oy").uid
        for n in range(12):  # a journal of a few MB
            ws.update("client", acme, notes=f"{n} " + "long notes ж " * 25_000)
    journal = firm / "journal" / "ops.jsonl"
    inode, size = journal.stat().st_ino, journal.stat().st_size
    read = [0]  # bytes of the journal read so far
    real_pread = os.pread

    def counted_pread(fd: int, length: int, offset: int) -> bytes:
        data = real_pread(fd, length, offset)
        if os.fstat(fd).st_ino == inode:
            read[0] += len(data)
        return data

    read_when_written: list[int] = []

    class Out(io.BytesIO):
        def write(self, data: Any) -> int:
            read_when_written.append(read[0])
            return super().write(data)

    with Workspace.open(firm, readonly=True, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        monkeypatch.setattr(os, "pread", counted_pread)
        backup = take_backup(ws)
        assert read[0] == 0
        out = Out()
        write_backup(backup, out)
        monkeypatch.undo()
    assert read[0] == size
    assert len(read_when_written) > 3 and read_when_written[1] < size / 2
    again = read_backup(out.getvalue())
    assert list(again.lines) == journal.read_bytes().split(b"\n")[1:-1]
    file = tmp_path / "b"
    assert run(firm, "backup", str(file)).exit_code == 0
    assert read_backup(file.read_bytes()).lines == again.lines
