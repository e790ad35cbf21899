"""JSON backup: export -> import into an empty home -> export is byte-identical,
conflicts included; bad files write nothing; small eNPS rounds stay out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from conftest import FROZEN_NOW
from enps_setup import published_round
from pulsetui.cli.main import cli
from pulsetui.domain.errors import InvalidInput
from pulsetui.reports.backup import export_json, export_state
from pulsetui.service.config import Config
from pulsetui.service.restore import import_state
from pulsetui.service.workspace import Workspace
from pulsetui.store.store import Store

HOSTILE = "[bold]x[/bold] \x1b[31mred\x1b[0m 🎉 äöжõ\ttab\r\nline two"


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())


def _conflict(
    ws: Workspace, kind: str, uid: str, field: str, mine: object, theirs: object, wall: int
) -> None:
    """This replica and another one change ``field`` concurrently, both from the
    record as it was created."""
    created = ws.store.view.raw(kind, uid)["_c"]  # type: ignore[index]
    ws.update(kind, uid, **{field: mine})
    op = {
        "id": f"feedfacefeedface:{wall}:0",
        "hlc": [wall, 0],
        "rid": "feedfacefeedface",
        "entity": kind,
        "uid": uid,
        "kind": "set",
        "field": field,
        "value": theirs,
        "pred": [created],
    }
    ws.store.ingest([op])


@pytest.fixture
def firm(home: Path) -> Iterator[Path]:
    ws = Workspace.open(home, me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW)
    try:
        acme = ws.add("client", name="Acme Oy", manager=ws.me, notes=HOSTILE).uid
        mia = ws.add("consultant", name="Mia", manager=ws.me).uid
        ws.add("engagement", client=acme, consultant=mia, start=dt.date(2026, 1, 1))
        ws.add_pulse(mia, date=dt.date(2026, 11, 1), wellbeing=4, notes="private note")
        meeting = ws.plan_meeting(acme, dt.date(2026, 11, 24), time="10:00")
        ws.add_agenda_item(acme, "Budget")
        agreement = ws.add_agreement(acme, "Ship it", "us", due=dt.date(2026, 11, 30))
        ws.set_agreement_status(agreement.uid, "broken", reason="late")
        ws.set_agreement_status(agreement.uid, "open", reason="")
        ws.add_nps(acme, 9, reason="good")
        published_round(ws, "2026", [(score, "team") for score in (10, 9, 3, 7, 8)])
        published_round(ws, "2026-trainees", [(0, "SMALL-ROUND-SECRET")])
        _conflict(ws, "client", acme, "name", "Acme Oy (local)", "Acme Oy (remote)", 1)
        _conflict(ws, "client", acme, "notes", "local notes", "remote notes", 2)
        _conflict(ws, "meeting", meeting.uid, "time", "09:00", "11:00", 3)
        assert ws.conflicts("client", acme)["name"] == ["Acme Oy (remote)", "Acme Oy (local)"]
    finally:
        ws.close()
    return home


def test_export_import_export_is_byte_identical(firm: Path, tmp_path: Path) -> None:
    first = run(firm, "export", "--format", "json")
    assert first.exit_code == 0
    state = orjson.loads(first.stdout_bytes)
    assert state["conflicts"]["client"] and state["conflicts"]["meeting"]
    dump = tmp_path / "backup.json"
    dump.write_bytes(first.stdout_bytes)

    restored = tmp_path / "restored"
    imported = run(restored, "import", str(dump))
    assert imported.exit_code == 0, imported.output
    assert "imported" in imported.stdout

    second = run(restored, "export", "--format", "json")
    assert second.stdout_bytes == first.stdout_bytes

    with Workspace.open(restored, readonly=True, config=Config()) as ws:
        (client,) = ws.list("client")
        conflicts = ws.conflicts("client", client.uid)
        assert conflicts["name"] == ["Acme Oy (remote)", "Acme Oy (local)"]
        assert client.name == "Acme Oy (local)"
        (agreement,) = ws.list("agreement")
        assert [h.status.value for h in agreement.history] == ["open", "broken", "open"]


def test_the_streamed_export_is_the_bytes_of_the_whole_state(firm: Path, home: Path) -> None:
    """``export --format json`` is written record by record; its bytes are exactly
    those of the whole state dumped at once (conflicts, withheld rounds, empty kinds,
    hostile text), also after a reopen with the records left in the view file."""
    for _ in range(2):
        with Workspace.open(firm, readonly=True, config=Config()) as ws:
            whole = (
                orjson.dumps(export_state(ws), option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
                + b"\n"
            )
            assert export_json(ws) == whole
            assert run(firm, "export", "--format", "json").stdout_bytes == whole
            assert ws.store.view.tables["pulse"].lazy  # read from the file on demand
        ws = Workspace.open(firm, config=Config())
        ws.add(
            "request", client=ws.list("client")[0].uid, text="second ж", date=dt.date(2026, 11, 2)
        )
        ws.close()
    empty = Workspace.open(home.parent / "empty", me="Nobody", config=Config())
    try:
        whole = orjson.dumps(export_state(empty), option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
        assert export_json(empty) == whole + b"\n"
    finally:
        empty.close()


def test_small_enps_rounds_are_left_out_of_the_export(firm: Path) -> None:
    result = run(firm, "export", "--format", "json")
    assert b"SMALL-ROUND-SECRET" not in result.stdout_bytes
    assert "2026-trainees" not in result.stdout_bytes.decode()
    rounds = {r["round"] for r in orjson.loads(result.stdout_bytes)["records"]["enps"]}
    assert rounds == {"2026"}
    assert "left out eNPS answers" in result.stderr and "2026-trainees (n=1)" in result.stderr


def test_import_refuses_a_workspace_that_is_not_empty(firm: Path, tmp_path: Path) -> None:
    dump = tmp_path / "backup.json"
    dump.write_bytes(run(firm, "export").stdout_bytes)
    again = run(firm, "import", str(dump))
    assert again.exit_code == 2
    assert "invalid home: the workspace is not empty" in again.stderr


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"not json", "file"),
        (b"[]", "file"),
        (b'{"format": "something-else"}', "file"),
        (b'{"format": "pulsetui-export", "version": 99, "records": {}}', "version"),
        (b'{"format": "pulsetui-export", "version": 1, "records": {"alien": []}}', "records"),
        (
            b'{"format": "pulsetui-export", "version": 1, "records": {"nps": '
            b'[{"uid": "A1", "client": "C", "score": 11, "date": "2026-01-01"}]}}',
            "nps[0].score",
        ),
        (
            b'{"format": "pulsetui-export", "version": 1, "records": {"manager": '
            b'[{"uid": "A1", "name": "x"}, {"uid": "A1", "name": "y"}]}}',
            "manager[1].uid",
        ),
    ],
)
def test_bad_files_write_nothing(tmp_path: Path, content: bytes, field: str) -> None:
    dump = tmp_path / "bad.json"
    dump.write_bytes(content)
    target = tmp_path / "target"
    result = run(target, "import", str(dump))
    assert result.exit_code == 2
    assert f"invalid {field}:" in result.stderr
    store = Store.open(target)
    try:
        assert store.journal.size() < 200  # only the journal header
        assert all(store.view.count(name) == 0 for name in store.view.tables)
    finally:
        store.close()


def test_import_function_round_trip_in_process(firm: Path, tmp_path: Path) -> None:
    with Workspace.open(firm, readonly=True, config=Config()) as ws:
        data = export_json(ws)
    store = Store.open(tmp_path / "copy")
    try:
        counts = import_state(store, data)
        assert counts["client"] == 1 and counts["enps"] == 5
        with pytest.raises(InvalidInput):
            import_state(store, data)
    finally:
        store.close()


def test_an_export_written_before_addresses_were_checked_imports(
    firm: Path, tmp_path: Path
) -> None:
    """An address stored before e-mail addresses were checked ("kalle") does not stop
    the export holding it from being imported; a new one typed in is still checked."""
    with Workspace.open(firm, readonly=True, config=Config()) as ws:
        state = orjson.loads(export_json(ws))
    person = state["records"]["consultant"][0]
    person["email"] = "kalle"
    store = Store.open(tmp_path / "copy")
    try:
        import_state(store, orjson.dumps(state))
    finally:
        store.close()
    with Workspace.open(tmp_path / "copy", config=Config()) as copy:
        kept = copy.doc("consultant", person["uid"])
        assert kept is not None and kept["email"] == "kalle"
        with pytest.raises(InvalidInput, match="email"):
            copy.add("consultant", name="Uusi Nimi", email="kalle")
