"""Names from the shared folder pass only when the whole name is allowed: no trailing
newline, no other whitespace, no Unicode look-alikes (fullwidth digits, Cyrillic
letters in a hex id), in file names and in the ids inside ops."""

from __future__ import annotations

import shutil

import pytest
from tests.sync.conftest import Node

from pulsetui.domain.models import Client
from pulsetui.store.ops import check_op
from pulsetui.sync import inbox as inbox_box
from pulsetui.sync.doctor import sync_findings
from pulsetui.sync.folder import INBOX, REPLICAS, SEGMENTS, is_junk, parse_segment_name
from pulsetui.sync.ingest import list_replicas

SEG = "000000000001-0123456789ab.jsonl"
FULLWIDTH_ONE = "\uff10" * 11 + "\uff11"  # ０００００００００００１
CYRILLIC_A = "\u0430"  # а, looks like a Latin a
LOOKALIKES = [
    SEG + "\n",
    SEG + " ",
    SEG + "\t",
    SEG + "\r",
    " " + SEG,
    SEG + "\u00a0",  # no-break space
    SEG + "\u2028",  # line separator
    FULLWIDTH_ONE + "-0123456789ab.jsonl",
    "000000000001-0123456789" + CYRILLIC_A + "b.jsonl",
    "000000000001-0123456789ab.json\u04cf",  # Cyrillic palochka for l
    "٠٠٠٠٠٠٠٠٠٠٠١-0123456789ab.jsonl",  # Arabic-Indic digits
    "000000000001-0123456789ab (Bob's conflicted copy\n2026).jsonl",
    "000000000001-0123456789ab.sync-conflict-20261120-100000-ABCDEFG.jsonl\n",
    "000000000001-0123456789ab.sync-conflict-２０２６1120-100000-ABCDEFG.jsonl",
]


@pytest.mark.parametrize("name", LOOKALIKES, ids=repr)
def test_segment_names_must_match_whole_and_in_ascii(name: str) -> None:
    assert parse_segment_name(SEG) is not None
    assert parse_segment_name(name) is None


@pytest.mark.parametrize(
    "tail", ["\n", " ", "\t", "\r\n", CYRILLIC_A, "\uff41", "\u200b", "\x00"], ids=repr
)
def test_ids_inside_ops_must_match_whole(tail: str) -> None:
    good = {
        "id": "abc:5:0",
        "hlc": [5, 0],
        "rid": "abc",
        "entity": "client",
        "uid": "U1",
        "kind": "set",
        "field": "notes",
        "value": "x",
        "pred": [],
    }
    assert check_op(good, {"abc"}) is None
    assert check_op({**good, "uid": "U1" + tail}, {"abc"}) is not None
    assert check_op({**good, "field": "notes" + tail}, {"abc"}) is not None
    assert check_op({**good, "pred": [f"abc:1:0{tail}"]}, {"abc"}) is not None
    assert check_op({**good, "pred": ["abc:\uff11:0"]}, {"abc"}) is not None  # fullwidth 1


def test_uid_is_not_a_field_an_op_may_write() -> None:
    """``set client AAA field=uid value=BBB`` would show the record under two uids."""
    base = {"id": "abc:5:0", "hlc": [5, 0], "rid": "abc", "entity": "client", "uid": "AAA"}
    assert check_op({**base, "kind": "set", "field": "uid", "value": "BBB"}, {"abc"})
    assert check_op({**base, "kind": "resolve", "field": "uid", "value": "BBB"}, {"abc"})
    assert check_op({**base, "kind": "append", "field": "uid", "value": "BBB"}, {"abc"})
    assert check_op({**base, "kind": "create", "data": {"name": "X", "uid": "BBB"}}, {"abc"})
    assert check_op({**base, "kind": "create", "data": {"name": "X"}}, {"abc"}) is None


def test_a_foreign_op_setting_uid_is_refused_in_a_segment(nodes: list[Node]) -> None:
    from pulsetui.sync.segments import encode

    anna, bob = nodes
    client = anna.ws.add(Client, name="Acme")
    anna.sync()
    bob.sync()
    hostile = {
        "id": f"{anna.rid}:{2**40}:0",
        "hlc": [2**40, 0],
        "rid": anna.rid,
        "entity": "client",
        "uid": client.uid,
        "kind": "set",
        "field": "uid",
        "value": "BBBBBBBBBBBBBBBBBBBBBBBBBB",
        "pred": [],
    }
    name, data = encode(anna.rid, 2, [hostile])
    (anna.root / REPLICAS / anna.rid / SEGMENTS / name).write_bytes(data)
    report = bob.sync()
    assert any("invalid" in p and "bad set" in p for p in report.problems)
    assert [c.uid for c in bob.ws.list(Client)] == [client.uid]
    assert bob.ws.get(Client, "BBBBBBBBBBBBBBBBBBBBBBBBBB") is None


def test_a_segment_whose_op_names_a_list_or_an_object_is_refused_not_a_crash(
    nodes: list[Node],
) -> None:
    """A replica id, field or append field that is a JSON list or object (nothing a
    lookup can take) makes the segment invalid; the pass goes on and says so."""
    from pulsetui.sync.segments import encode

    anna, bob = nodes
    anna.ws.add(Client, name="Acme")
    anna.sync()
    base = {"id": f"{anna.rid}:{2**40}:0", "hlc": [2**40, 0], "rid": anna.rid}
    base = {**base, "entity": "client", "uid": "AAA", "kind": "set", "value": "x", "pred": []}
    cases = [
        ({**base, "field": ["name"]}, "bad set"),
        ({**base, "field": {"name": 1}, "kind": "append"}, "bad append"),
        ({**base, "field": "name", "rid": [anna.rid]}, "op of replica"),
    ]
    for odd, why in cases:
        name, data = encode(anna.rid, 2, [odd])
        path = anna.root / REPLICAS / anna.rid / SEGMENTS / name
        path.write_bytes(data)
        report = bob.sync()
        assert any(name in p and f"invalid: line 2: {why}" in p for p in report.problems)
        path.unlink()
    assert [c.name for c in bob.ws.list(Client)] == ["Acme"]


def test_hostile_names_on_disk_are_never_read(nodes: list[Node]) -> None:
    anna, bob = nodes
    anna.ws.add(Client, name="Published")
    anna.sync()
    seg_dir = anna.root / REPLICAS / anna.rid / SEGMENTS
    [real] = sorted(seg_dir.iterdir())
    # a later segment stored under names that only look right
    anna.ws.add(Client, name="Smuggled")
    anna.sync()
    [second] = [p for p in sorted(seg_dir.iterdir()) if p != real]
    data = second.read_bytes()
    second.unlink()
    planted = [second.name + "\n", second.name + " ", "\uff10" + second.name[1:]]
    for name in planted:
        (seg_dir / name).write_bytes(data)
    # a replica folder whose name ends in a newline
    shutil.copytree(anna.root / REPLICAS / anna.rid, anna.root / REPLICAS / f"{anna.rid}\n")
    # an eNPS answer under an inbox name with a trailing newline
    inbox = anna.root / INBOX
    dropped = inbox_box.drop(inbox, _anonymous_op("0123456789abcdef0123456789abcdef"))
    (inbox / dropped).rename(inbox / (dropped + "\n"))

    report = bob.sync()
    assert {c.name for c in bob.ws.list(Client)} == {"Published"}
    assert report.answers_read == 0 and bob.ws.count("enps") == 0
    rids, problems = list_replicas(anna.root)
    assert rids == sorted([anna.rid, bob.rid])
    assert any("not a replica id" in p for p in problems)
    findings = sync_findings(bob.ws, bob.shared)
    for name in planted:
        assert any(repr(name)[1:-1] in f or name in f for f in findings), name
    assert any("inbox" in f and "bad name" in f for f in findings)


def test_junk_names_are_matched_whole() -> None:
    assert is_junk(".tmp-123") and is_junk("Thumbs.db") and is_junk("x.part")
    # the Kelvin sign folds to k and the long s to s under Unicode case folding
    assert not is_junk("Thumb\u017f.db")
    assert not is_junk("des\u212atop.ini")
    assert not is_junk("Thumbs.db\nX")


def _anonymous_op(uid: str) -> dict[str, object]:
    return {
        "id": "anon:0:0",
        "hlc": [0, 0],
        "rid": "anon",
        "entity": "enps",
        "uid": uid,
        "kind": "create",
        "data": {"round": "2026", "score": 9},
    }
