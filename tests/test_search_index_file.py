"""The search index kept on disk beside the view: read back instead of built, caught up
with what was saved or synced after it was written, rebuilt when it is corrupt, of an
older version, of another journal or built for another manager; private notes only of
the manager it was built for; the call filter applied at query time; 0600 in the local
workspace only; and a large workspace built in a background process."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulsetui.service.config import Config
from pulsetui.service.search import SearchIndex, index_file, prepare, rebuild, scan
from pulsetui.service.search.index_file import INDEX_NAME, VERSION
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

NOW = dt.datetime(2026, 11, 20, 10, 0)
DAY = dt.timedelta(days=1)
QUERIES = ("plan", "dmit", "zebrafish", "narwhal", "wish dark", "se", "roadmap")


def open_ws(home: Path, me: str = "Anna Virtanen") -> Workspace:
    return Workspace.open(home, me=me, config=Config(), clock=lambda: NOW)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    ws = open_ws(home)
    colleague = ws.add("manager", name="Bo Berg").uid
    acme = ws.add("client", name="Acme Oy", manager=ws.me).uid
    bolt = ws.add("client", name="Bolt Labs", manager=colleague).uid
    oie = ws.add("consultant", name="Õie Kask", manager=ws.me).uid
    day = NOW.date()
    ws.add_pulse(oie, date=day - 40 * DAY, notes="Õie wants a zebrafish project", manager=ws.me)
    ws.add_pulse(oie, date=day - 10 * DAY, notes="narwhal worries", manager=colleague)
    ws.add("meeting", client=acme, date=day - 5 * DAY, status="held",
           notes="Дмитрий presented the recovery plan")  # fmt: skip
    ws.add("meeting", client=bolt, date=day - 3 * DAY, status="held",
           notes="Dmitri will send the plan")  # fmt: skip
    ws.add("request", client=acme, text="A dark mode wish", date=day - 9 * DAY)
    ws.add("touchpoint", client=acme, date=day - 2 * DAY, note="Sent the roadmap article")
    ws.close()
    yield home


def built_and_saved(home: Path) -> None:
    ws = open_ws(home)
    prepare(SearchIndex(ws))
    ws.close()
    assert (home / INDEX_NAME).exists()


def audiences(ws: Workspace) -> list[Audience]:
    acme = next(doc["uid"] for doc in ws.docs("client") if doc["name"] == "Acme Oy")
    return [Audience.manager(ws.me), Audience.call(acme, ws.me), Audience.call(None, ws.me)]


def assert_agrees_with_scan(ws: Workspace, index: SearchIndex) -> None:
    for audience in audiences(ws):
        for query in QUERIES:
            assert index.search(audience, query) == scan(ws, audience, query), (audience, query)


def refuse_to_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(self: SearchIndex, progress: object = None) -> None:
        raise AssertionError("built again although the file was usable")

    monkeypatch.setattr(SearchIndex, "build", build)


def test_an_index_written_once_is_read_back_not_built(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_and_saved(home)
    ws = open_ws(home)
    try:
        refuse_to_build(monkeypatch)
        index = SearchIndex(ws)
        prepare(index)
        assert index.ready and index.problem == ""
        assert_agrees_with_scan(ws, index)
    finally:
        ws.close()


def test_saves_made_after_it_was_written_are_found_next_time(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_and_saved(home)
    ws = open_ws(home)  # a session that never writes the index (quit, crash)
    acme = next(doc["uid"] for doc in ws.docs("client") if doc["name"] == "Acme Oy")
    ws.add("agenda", client=acme, text="quokka sighting", added_at=NOW)
    meeting = next(doc["uid"] for doc in ws.docs("meeting") if "recovery" in doc["notes"])
    ws.update("meeting", meeting, notes="Дмитрий dropped the wombat plan")
    request = next(iter(ws.docs("request")))["uid"]
    ws.delete("request", request)
    ws.close()
    ws = open_ws(home)
    try:
        refuse_to_build(monkeypatch)
        index = SearchIndex(ws)
        prepare(index)
        me = Audience.manager(ws.me)
        assert [h.kind for h in index.search(me, "quokka").hits] == ["agenda"]
        assert [h.uid for h in index.search(me, "wombat").hits] == [meeting]
        assert index.search(me, "recovery").hits == ()
        assert index.search(me, "wish dark").hits == ()
        assert_agrees_with_scan(ws, index)
        # and while it is open: a save is found by the next search
        ws.add("agenda", client=acme, text="platypus", added_at=NOW)
        assert [h.kind for h in index.search(me, "platypus").hits] == ["agenda"]
    finally:
        ws.close()


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))


def older(path: Path) -> None:
    data = path.read_bytes()
    end = data.index(b"\n")
    header = orjson.loads(data[:end])
    header["version"] = VERSION - 1
    path.write_bytes(orjson.dumps(header) + data[end:])


def cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [(corrupt, "corrupt"), (older, "version"), (cut, ""), (lambda p: p.write_bytes(b""), "")],
    ids=["flipped-byte", "older-version", "cut", "empty"],
)
def test_a_spoilt_file_is_built_again_and_written_anew(
    home: Path, spoil: object, problem: str
) -> None:
    built_and_saved(home)
    path = home / INDEX_NAME
    spoil(path)  # type: ignore[operator]
    spoilt = path.read_bytes()
    ws = open_ws(home)
    try:
        index = SearchIndex(ws)
        prepare(index)
        assert problem in index.problem and index.problem
        assert_agrees_with_scan(ws, index)
        assert path.read_bytes() != spoilt  # written anew, usable next time
    finally:
        ws.close()
    ws = open_ws(home)
    try:
        index = SearchIndex(ws)
        prepare(index)
        assert index.problem == ""
    finally:
        ws.close()


def test_it_holds_private_notes_only_of_the_manager_it_was_built_for(home: Path) -> None:
    built_and_saved(home)
    data = (home / INDEX_NAME).read_bytes()
    assert b"zebrafish" in data  # Anna's own pulse note
    assert b"narwhal" not in data  # Bo's, although it is in this workspace's view
    assert os.stat(home / INDEX_NAME).st_mode & 0o777 == 0o600
    ws = open_ws(home)
    try:
        index = SearchIndex(ws)
        prepare(index)
        me = Audience.manager(ws.me)
        assert [h.kind for h in index.search(me, "zebrafish").hits] == ["pulse"]
        # the call filter is applied when searching, to the very same index
        for call in audiences(ws)[1:]:
            assert index.search(call, "zebrafish").hits == ()
            assert all(h.kind != "pulse" for h in index.search(call, "plan").hits)
        bo = next(doc["uid"] for doc in ws.docs("manager") if doc["name"] == "Bo Berg")
        theirs = index.search(Audience.manager(bo), "narwhal")  # read from the records
        assert [h.kind for h in theirs.hits] == ["pulse"]
    finally:
        ws.close()


def test_a_workspace_opened_as_someone_else_does_not_use_it(home: Path) -> None:
    built_and_saved(home)
    ws = open_ws(home, me="Bo Berg")
    try:
        index = SearchIndex(ws)
        prepare(index)
        assert "another manager" in index.problem
        me = Audience.manager(ws.me)
        assert index.search(me, "zebrafish").hits == ()  # Anna's note
        assert [h.kind for h in index.search(me, "narwhal").hits] == ["pulse"]
    finally:
        ws.close()
    assert b"zebrafish" not in (home / INDEX_NAME).read_bytes()  # rebuilt for Bo


def test_a_file_from_another_workspace_is_not_used(home: Path, tmp_path: Path) -> None:
    built_and_saved(home)
    other = tmp_path / "other"
    ws = open_ws(other)
    me = ws.me
    ws.close()
    shutil.copyfile(home / INDEX_NAME, other / INDEX_NAME)
    data = (other / INDEX_NAME).read_bytes()
    end = data.index(b"\n")
    header = orjson.loads(data[:end])
    header["owner"] = me  # the same manager's uid: only the journal differs
    (other / INDEX_NAME).write_bytes(orjson.dumps(header) + data[end:])
    ws = open_ws(other)
    try:
        index = SearchIndex(ws)
        prepare(index)
        assert index.problem == "built from another journal"
        assert index.search(Audience.manager(ws.me), "zebrafish").hits == ()
    finally:
        ws.close()


def test_a_read_only_workspace_searches_without_writing(home: Path) -> None:
    ws = Workspace.open(home, readonly=True, config=Config(), clock=lambda: NOW)
    try:
        index = SearchIndex(ws)
        prepare(index)
        assert index.ready
    finally:
        ws.close()
    assert not (home / INDEX_NAME).exists()


def test_a_large_workspace_is_built_in_a_background_process(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rebuild, "IN_PROCESS_RECORDS", 1)
    ws = open_ws(home)
    try:
        refuse_to_build(monkeypatch)  # not in this process
        index = SearchIndex(ws)
        seen: list[tuple[int, int]] = []
        prepare(index, lambda done, steps: seen.append((done, steps)))
        assert index.ready and index.problem == "missing"
        assert (home / INDEX_NAME).exists()
        assert_agrees_with_scan(ws, index)
    finally:
        ws.close()


def test_the_command_answers_from_the_file_when_it_fits(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from pulsetui.cli.main import cli

    built_and_saved(home)
    ws = open_ws(home)
    acme = next(doc["uid"] for doc in ws.docs("client") if doc["name"] == "Acme Oy")
    ws.add("agenda", client=acme, text="quokka sighting", added_at=NOW)  # after the file
    ws.close()
    written = (home / INDEX_NAME).read_bytes()

    def no_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("read every record although the index file fits")

    monkeypatch.setattr(rebuild, "scan", no_scan)
    invoke = ["--home", str(home), "--as", "Anna Virtanen", "search", "--json"]
    result = CliRunner().invoke(cli, [*invoke, "quokka"])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["results"][0]["snippet"] == "quokka sighting"
    result = CliRunner().invoke(cli, [*invoke, "zebrafish"])
    assert orjson.loads(result.stdout)["results"][0]["kind"] == "pulse"
    assert (home / INDEX_NAME).read_bytes() == written  # a command never writes it


def test_ops_sync_brings_in_are_found(home: Path, tmp_path: Path) -> None:
    from pulsetui.store.journal import JournalCursor

    elsewhere = open_ws(tmp_path / "laptop")  # the same firm's records made on another machine
    client = elsewhere.add("client", name="Cobalt AS", manager=elsewhere.me).uid
    elsewhere.add("meeting", client=client, date=NOW.date(), status="held", notes="axolotl pilot")
    ops, _ = elsewhere.store.journal.read_tail(JournalCursor())
    elsewhere.close()
    ws = open_ws(home)
    try:
        index = SearchIndex(ws)
        prepare(index)
        me = Audience.manager(ws.me)
        assert index.search(me, "axolotl").hits == ()
        assert ws.store.ingest(ops)
        assert index.catch_up() >= 1  # what the app does after a sync pass brought ops
        assert [h.about for h in index.search(me, "axolotl").hits] == ["Cobalt AS"]
        assert_agrees_with_scan(ws, index)
    finally:
        ws.close()


def test_a_record_changed_before_and_after_a_write_is_found_once(home: Path) -> None:
    ws = open_ws(home)
    index = SearchIndex(ws)
    prepare(index)
    meeting = next(doc["uid"] for doc in ws.docs("meeting") if "recovery" in doc["notes"])
    ws.update("meeting", meeting, notes="wombat plan")
    assert rebuild.save(index)  # the file now holds the meeting's old and new numbers
    ws.close()
    ws = open_ws(home)
    try:
        index = SearchIndex(ws)
        prepare(index)
        ws.update("meeting", meeting, notes="capybara plan")
        me = Audience.manager(ws.me)
        assert index.search(me, "wombat").hits == ()
        assert [h.uid for h in index.search(me, "capybara").hits] == [meeting]
        assert index.search(me, "plan").found == scan(ws, me, "plan").found
        assert_agrees_with_scan(ws, index)
    finally:
        ws.close()


@pytest.fixture(scope="module")
def monkeypatch_piece() -> Iterator[Callable[[int], None]]:
    """Set how many bytes of lines are decoded at once (put back afterwards)."""
    kept = index_file.LINES_PIECE

    def set_piece(size: int) -> None:
        index_file.LINES_PIECE = size

    yield set_piece
    index_file.LINES_PIECE = kept


@given(
    lines=st.lists(st.text(st.characters(exclude_characters="\n", codec="utf-8"), max_size=12)),
    piece=st.integers(min_value=1, max_value=40),
)
def test_lines_read_in_pieces_are_the_lines_written(
    lines: list[str], piece: int, monkeypatch_piece: Callable[[int], None]
) -> None:
    monkeypatch_piece(piece)
    data = bytearray("\n".join(lines).encode())
    assert index_file._lines(data) == (lines if data else [])
