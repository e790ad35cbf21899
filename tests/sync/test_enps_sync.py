"""eNPS answers through the shared folder: held and dropped at a random later moment,
never in or near a pass that writes this installation's segment, with no time in the
file; kept apart from the journal on the answering machine; counted once per round."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import orjson
from tests.sync.conftest import NOW, Node

from pulsetui.domain.models import Client
from pulsetui.service.config import Config, SyncSettings
from pulsetui.service.enps_rounds import open_round, round_state
from pulsetui.service.insights.enps import enps_result
from pulsetui.store.answers import ANSWERS_NAME, FIXED_MTIME_NS
from pulsetui.store.journal import Journal, ReplayStats
from pulsetui.store.store import VIEW_NAME
from pulsetui.sync import answer_timing
from pulsetui.sync import inbox as inbox_box
from pulsetui.sync.folder import INBOX


def inbox_files(node: Node) -> list[Path]:
    return sorted((node.root / INBOX).iterdir())


def test_an_answer_leaves_at_a_random_later_moment_apart_from_segments(
    nodes: list[Node],
) -> None:
    anna, bob = nodes
    open_round(anna.ws, "2026", "2026-11-30")
    client = anna.ws.add(Client, name="Saved with the answer")
    answer = anna.ws.add_enps(score=3, reason="too much overtime")
    report = anna.sync()
    assert report.segments_written and report.answers_dropped == 0
    assert inbox_files(anna) == []
    passes: list[tuple[dt.datetime, bool, bool]] = []
    for step in range(1, 12 * 8):  # every five minutes for eight hours
        anna.now = NOW + dt.timedelta(minutes=5 * step)
        if step % 8 == 0:  # and a save every 40 minutes
            anna.ws.update(Client, client.uid, notes=f"note {step}")
        report = anna.sync()
        passes.append((anna.now, bool(report.segments_written), report.answers_dropped > 0))
        assert not (report.segments_written and report.answers_dropped)
    [dropped_at] = [when for when, _, dropped in passes if dropped]
    # held until a random moment 15 min to 6 h after the first pass, then dropped in the
    # first pass that writes no segment and comes 10 min after the last one: when the
    # hold ends just before a pass that writes one, that is up to 6 h + 10 min + a pass
    hold_min = dt.timedelta(milliseconds=answer_timing.HOLD_MIN_MS)
    hold_max = dt.timedelta(milliseconds=answer_timing.HOLD_MAX_MS)
    quiet = dt.timedelta(milliseconds=answer_timing.QUIET_MS)
    assert NOW + hold_min <= dropped_at <= NOW + hold_max + quiet + dt.timedelta(minutes=5)
    for when, wrote, _ in passes:
        if wrote:
            assert abs(when - dropped_at) >= quiet, (when, dropped_at)
    # the file: a random name, a fixed time, nothing in it that dates it
    [path] = inbox_files(anna)
    assert len(path.stem) == 32 and path.stat().st_mtime_ns == FIXED_MTIME_NS
    data = path.read_bytes()
    op = inbox_box.decode_answer(data)
    assert (op["rid"], op["id"], op["hlc"]) == ("anon", "anon:0:0", [0, 0])
    assert set(op["data"]) == {"round", "score", "reason"} and op["uid"] == answer.uid
    epoch_s = str(int(NOW.timestamp()))
    assert epoch_s[:5].encode() not in data and b"2026-11-20" not in data
    # the changes held back after the drop went out later; bob gets everything
    anna.now += dt.timedelta(hours=1)
    anna.sync()
    bob.sync()
    assert bob.ws.get("enps", answer.uid) is not None
    assert bob.ws.require(Client, client.uid).notes == anna.ws.require(Client, client.uid).notes


def test_on_the_answering_machine_the_answer_is_not_in_the_journal(nodes: list[Node]) -> None:
    anna, bob = nodes
    open_round(anna.ws, "2026", "2026-11-30")
    anna.ws.add(Client, name="Before")
    answer = anna.ws.add_enps(score=9, reason="fine")
    anna.ws.add(Client, name="After")
    anna.ws.store.checkpoint(background=False)
    journal = Journal(anna.home / "journal")
    ops = list(journal.replay(0, ReplayStats()))
    assert [op["entity"] for op in ops if op["entity"] == "client"] == ["client", "client"]
    assert all(op["entity"] != "enps" for op in ops)
    raw = (anna.home / "journal" / "ops.jsonl").read_bytes()
    assert answer.uid.encode() not in raw and b"fine" not in raw
    assert answer.uid.encode() not in (anna.home / VIEW_NAME).read_bytes()
    box = anna.home / ANSWERS_NAME
    assert answer.uid.encode() in box.read_bytes()
    assert box.stat().st_mtime_ns == FIXED_MTIME_NS
    assert oct(box.stat().st_mode & 0o777) == oct(0o600)
    # answers from the inbox go into the same file, in uid order, all alike
    bob.ws.store.answers.add([])  # nothing new: nothing written
    anna.close()
    anna.reopen()
    assert anna.ws.get("enps", answer.uid) is not None
    anna.close()
    (anna.home / VIEW_NAME).unlink()
    anna.reopen()  # the view rebuilt from the journal, written, and read back from the file
    assert anna.ws.store.report.view == "missing"
    assert anna.ws.get("enps", answer.uid) is not None
    anna.reopen()
    assert anna.ws.get("enps", answer.uid) is not None
    kept = orjson.loads(box.read_bytes())["answers"]
    assert [a["uid"] for a in kept] == sorted(a["uid"] for a in kept)


def test_results_are_published_once_and_a_late_answer_changes_nothing(
    nodes: list[Node], tmp_path: Path
) -> None:
    anna, bob = nodes
    open_round(bob.ws, "2026", "2026-11-22")
    bob.sync()
    anna.sync()
    for score in (10, 10, 9, 3, 7):
        anna.ws.add_enps(score=score)
    for hours in range(7, 15):
        anna.now = NOW + dt.timedelta(hours=hours)
        anna.sync()
    assert len(inbox_files(anna)) == 5
    bob.sync()
    assert round_state(bob.ws, "2026").n == 5
    assert enps_result(bob.ws, "2026").withheld  # still open
    bob.now = dt.datetime(2026, 11, 24, 9, 0)  # the results day
    report = bob.sync()
    assert "eNPS round 2026: the results are published" in report.notes
    first = enps_result(bob.ws, "2026")
    assert not first.withheld and first.n == 5 and first.score == 40
    # an answer that arrives after the results were published is kept, not counted
    late = {
        "id": "anon:0:0",
        "hlc": [0, 0],
        "rid": "anon",
        "entity": "enps",
        "uid": "f" * 32,
        "kind": "create",
        "data": {"round": "2026", "score": 0, "reason": "late"},
    }
    inbox_box.drop(bob.root / INBOX, late)
    report = bob.sync()
    assert report.answers_read == 1 and bob.ws.get("enps", "f" * 32) is not None
    again = enps_result(bob.ws, "2026")
    assert (again.n, again.score, again.promoters, again.detractors) == (5, 40, 3, 1)
    assert "late" not in again.reasons
    # with a shared folder configured, results wait for the sync that seals them
    config = Config(sync=SyncSettings(shared=str(tmp_path)))
    anna.ws.config = config
    anna.now = dt.datetime(2026, 11, 24, 9, 0)
    assert "after a sync" in enps_result(anna.ws, "2026").label()
    anna.sync()
    assert not enps_result(anna.ws, "2026").withheld


def test_a_drop_never_lands_with_a_segment_even_when_due(nodes: list[Node]) -> None:
    anna, _ = nodes
    open_round(anna.ws, "2026", "2026-11-30")
    anna.ws.add_enps(score=8)
    anna.sync()
    anna.now = NOW + dt.timedelta(hours=7)  # long past its moment
    anna.ws.add(Client, name="A save in the same pass")
    report = anna.sync()
    assert report.segments_written and report.answers_dropped == 0
    anna.now += dt.timedelta(minutes=5)
    assert anna.sync().answers_dropped == 0  # the segment is too recent
    anna.now += dt.timedelta(minutes=10)
    assert anna.sync().answers_dropped == 1
    anna.ws.add(Client, name="Right after the drop")
    report = anna.sync()
    assert not report.segments_written and "cannot be linked" in report.waiting[0]
    assert anna.engine.status().pending == 1
    anna.now += dt.timedelta(minutes=11)
    assert anna.sync().segments_written
    assert os.listdir(anna.root / INBOX)
