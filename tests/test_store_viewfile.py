"""The indexed view file: records left on disk at open read back exactly, survive being
changed, deleted and conflicted, and are copied through checkpoints unchanged."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import tinydb

from pulsetui.service.workspace import Workspace
from pulsetui.store import viewfile, viewwrite
from pulsetui.store.store import VIEW_NAME, Store
from pulsetui.store.view import View


def fill(ws: Workspace) -> dict[str, str]:
    acme = ws.add("client", name="Acme ä ö ж õ 😀", notes="[bold]x[/bold] \x1b[31m")
    other = ws.add("client", name="Other AS")
    anna = ws.add("consultant", name="Anna", manager=ws.me)
    uids = {"acme": acme.uid, "other": other.uid, "anna": anna.uid}
    for n in range(40):
        client = acme.uid if n % 2 else other.uid
        ws.add("meeting", client=client, date=f"2026-10-{n % 28 + 1:02d}", notes="n" * n)
        ws.add("nps", client=client, score=n % 11, date="2026-11-01")
        ws.add_pulse(anna.uid, notes=f"pulse {n} " + "ж" * n, date=f"2026-09-{n % 28 + 1:02d}")
    agreement = ws.add_agreement(acme.uid, "Ship the release", side="us", owner="Anna")
    uids["agreement"] = agreement.uid
    return uids


def state(ws: Workspace) -> bytes:
    return ws.export_json()


def test_lazy_records_round_trip_through_changes_and_checkpoints(home: Path) -> None:
    ws = Workspace.open(home, me="Mikko")
    uids = fill(ws)
    ws.close()
    ws = Workspace.open(home)
    view = ws.store.view
    assert view.tables["meeting"].lazy and view.tables["pulse"].lazy  # left on disk
    assert not view.tables["client"].lazy  # small reference tables are read at open
    before = state(ws)
    meetings = sorted(ws.docs("meeting", client=uids["acme"]), key=lambda d: d["notes"])
    assert len(meetings) == 20 and meetings[-1]["notes"] == "n" * 39
    # change some lazy records, delete one, append to another, in several saves
    ws.update("meeting", meetings[0]["uid"], notes="changed ä")
    ws.delete("meeting", meetings[1]["uid"])
    ws.set_agreement_status(uids["agreement"], "done")
    pulse = next(iter(ws.docs("pulse", consultant=uids["anna"])))
    ws.update("pulse", pulse["uid"], wellbeing=2)
    ws.store.checkpoint(background=True)  # copies the untouched records in its own process
    ws.store._reap_child(block=True)
    after = state(ws)
    assert after != before
    ws.close(checkpoint="never")
    reopened = Workspace.open(home)
    try:
        assert reopened.store.report.view == "loaded" and reopened.store.report.replayed_ops == 0
        assert state(reopened) == after
        assert reopened.get("meeting", meetings[0]["uid"]).notes == "changed ä"
        assert reopened.get("meeting", meetings[1]["uid"]) is None
        assert reopened.store.view.raw("meeting", meetings[1]["uid"]) is not None  # hidden
        history = reopened.get("agreement", uids["agreement"]).history
        assert [h.status for h in history] == ["open", "done"]
        assert reopened.count("meeting") == 39 and reopened.count("nps") == 40
        assert len(list(reopened.docs("nps", client=uids["other"]))) == 20
        scored = reopened.query("nps", tinydb.where("score") == 10)
        assert len(scored) == 3
    finally:
        reopened.close()
    # a full rebuild from the journal gives the very same state
    (home / VIEW_NAME).unlink()
    rebuilt = Workspace.open(home)
    try:
        assert rebuilt.store.report.view == "missing"
        assert state(rebuilt) == after
    finally:
        rebuilt.close()


def test_conflicts_and_revivals_survive_the_index(home: Path) -> None:
    ws = Workspace.open(home, me="Mikko")
    uids = fill(ws)
    meeting = next(iter(ws.docs("meeting", client=uids["acme"])))
    create_id = meeting["_c"]
    other_rid = "0123456789abcdef"
    wall = (
        ws.store.clock.value[0] + 60_000
    )  # a minute ahead: "mine" is the earlier head however slow the machine
    concurrent = {
        "id": f"{other_rid}:{wall}:0",
        "hlc": [wall, 0],
        "rid": other_rid,
        "entity": "meeting",
        "uid": meeting["uid"],
        "kind": "set",
        "field": "notes",
        "value": "theirs",
        "pred": [create_id],
    }
    ws.update("meeting", meeting["uid"], notes="mine")
    assert ws.store.ingest([concurrent])
    expected = ws.conflicts("meeting", meeting["uid"])
    assert expected == {"notes": ["mine", "theirs"]}
    ws.close()
    again = Workspace.open(home)
    try:
        assert again.conflicts("meeting", meeting["uid"]) == expected
        assert meeting["uid"] in again.store.view.conflicted["meeting"]
        assert again.store.view.is_applied(concurrent["id"])
        assert not again.store.ingest([concurrent])  # still known as applied
    finally:
        again.close()


def test_a_plain_view_file_of_the_first_format_still_opens(home: Path) -> None:
    ws = Workspace.open(home, me="Mikko")
    fill(ws)
    expected = state(ws)
    meta = {
        "journal_id": ws.store.journal.journal_id,
        "journal_offset": ws.store._journal_offset,
        "clock": list(ws.store.clock.value),
        "rid": ws.store.rid,
    }
    plain = orjson.dumps(ws.store.view.to_data(meta))
    ws.close(checkpoint="never")
    (home / VIEW_NAME).write_bytes(plain)
    old = Workspace.open(home)
    try:
        assert old.store.report.view == "loaded"
        assert state(old) == expected
    finally:
        old.close(checkpoint="always")
    head = (home / VIEW_NAME).read_bytes()[: viewfile.HEADER_LEN]
    assert viewfile.is_indexed(head) is False  # nothing changed, nothing rewritten
    store = Store.open(home)
    store.checkpoint(background=False)
    store.close()
    assert viewfile.is_indexed((home / VIEW_NAME).read_bytes()[: viewfile.HEADER_LEN])


def test_index_and_records_checksums_catch_damage_anywhere(home: Path) -> None:
    """Damage in the header, the directory or a table read at open makes the view
    corrupt at open; damage in records read on demand is found by doctor's check and by
    the check in the background, which sets the file aside. Either way the next start
    rebuilds the very same state from the journal."""
    ws = Workspace.open(home, me="Mikko")
    fill(ws)
    expected = state(ws)
    ws.close()
    path = home / VIEW_NAME
    data = path.read_bytes()
    view, _ = viewfile.load(path)
    assert isinstance(view, View)
    opened = {}
    for at in (viewfile.HEADER_LEN + 40, len(data) // 2, len(data) - 40):
        damaged = bytearray(data)
        damaged[at] = ord("7") if damaged[at] != ord("7") else ord("8")  # still valid JSON
        path.write_bytes(bytes(damaged))
        assert viewfile.check_records(path) is not None, at  # pulsetui doctor
        store = Store.open(home)
        try:
            opened[at] = store.report.view
            if store.report.view == "loaded":
                checking = store.verify_in_background()
                assert checking is not None
                checking.join()
                assert not path.exists(), at  # set aside: the next start rebuilds it
            else:
                assert store.report.view == "corrupt", at
        finally:
            store.close()
        again = Workspace.open(home)
        try:
            assert again.store.report.view in ("missing", "loaded"), at
            assert state(again) == expected, at
        finally:
            again.close()
        data = path.read_bytes()
    assert opened[viewfile.HEADER_LEN + 40] == "corrupt"  # a table read at open
    assert "loaded" in opened.values()  # records read on demand are not checked at open


def test_a_checkpoint_never_copies_from_a_damaged_file(home: Path) -> None:
    ws = Workspace.open(home, me="Mikko")
    fill(ws)
    ws.close()
    path = home / VIEW_NAME
    data = bytearray(path.read_bytes())
    ws = Workspace.open(home)
    try:
        meeting = next(iter(ws.docs("meeting")))
        assert ws.store.view.tables["meeting"].lazy
        at = data.index(b'"notes":"nnnnn') + 9  # inside a meeting left in the file
        data[at] = ord("m")
        path.write_bytes(bytes(data))  # the same bytes the open file holds
        ws.update("meeting", meeting["uid"], notes="changed after the damage")
        with pytest.raises(viewwrite.DamagedSource):
            ws.store.checkpoint(background=False)
        assert not path.exists()
    finally:
        ws.close(checkpoint="never")
    rebuilt = Workspace.open(home)
    try:
        assert rebuilt.store.report.view == "missing"
        assert rebuilt.get("meeting", meeting["uid"]).notes == "changed after the damage"
        notes = [doc["notes"] for doc in rebuilt.docs("meeting")]
        assert not [n for n in notes if set(n) - {"n"} and n != "changed after the damage"]
    finally:
        rebuilt.close()


def test_a_section_damaged_after_open_stops_the_reader_instead_of_misleading_it(
    home: Path,
) -> None:
    """Sections are checked when first read: a damaged one raises (it is never taken for
    a record that is not there, nor for a bad op to skip)."""
    ws = Workspace.open(home, me="Mikko")
    uids = fill(ws)
    pulse = next(iter(ws.docs("pulse", consultant=uids["anna"])))["uid"]
    ws.close()
    path = home / VIEW_NAME
    ws = Workspace.open(home)
    try:
        data = bytearray(path.read_bytes())
        at = data.index(b'"pulse.uids":"') + len(b'"pulse.uids":"') + 3
        data[at] = ord("A") if data[at] != ord("A") else ord("B")
        path.write_bytes(bytes(data))  # the same file the workspace reads from
        with pytest.raises(viewfile.SectionDamaged):
            ws.get("pulse", pulse)
        with pytest.raises(viewfile.SectionDamaged):
            ws.update("pulse", pulse, wellbeing=2)
    finally:
        ws.close(checkpoint="never")
    assert viewfile.check_records(path) == "the records' checksum does not match"


def test_a_record_damaged_on_disk_is_never_taken_for_a_bad_op(home: Path) -> None:
    """A save replayed at open onto a record whose bytes in the view file are no longer
    JSON (records are not checked at open) rebuilds the view from the journal: the save
    is applied, never skipped as a broken line."""
    ws = Workspace.open(home, me="Mikko")
    fill(ws)
    ws.close()
    ws = Workspace.open(home)
    try:
        meeting = next(d for d in ws.docs("meeting") if d["notes"] == "n" * 20)["uid"]
        ws.update("meeting", meeting, notes="changed in the journal only")
    finally:
        ws.close(checkpoint="never")
    path = home / VIEW_NAME
    data = bytearray(path.read_bytes())
    at = data.index(b'"notes":"' + b"n" * 20 + b'"') + len(b'"notes":')
    data[at] = ord("x")  # the record is no longer JSON
    path.write_bytes(bytes(data))
    store = Store.open(home)
    try:
        assert store.report.view == "corrupt"
        assert store.report.stats.corrupt_lines == 0
        assert store.view.get("meeting", meeting)["notes"] == "changed in the journal only"
    finally:
        store.close()
    again = Workspace.open(home)
    try:
        assert again.store.report.view == "loaded"  # the rebuilt file
        assert again.get("meeting", meeting).notes == "changed in the journal only"
    finally:
        again.close()


def test_an_open_with_nothing_to_replay_reads_no_applied_ops_or_deleted_records(
    home: Path,
) -> None:
    """The ids of applied ops and the deleted records stay in the view file until an op
    is applied: opening, reading and a sync pass with nothing new never load them."""
    ws = Workspace.open(home, me="Mikko")
    uids = fill(ws)
    ws.delete("client", uids["other"])
    ws.close()
    ws = Workspace.open(home)
    try:
        view = ws.store.view
        assert view._applied is None and view._hidden is None
        assert ws.store.ingest([]) == []
        assert len(list(ws.docs("meeting"))) == 40
        assert view._applied is None and view._hidden is None
        ws.update("client", uids["acme"], notes="changed")  # an op: now they are needed
        assert view._applied is not None
    finally:
        ws.close()
