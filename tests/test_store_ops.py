"""The change API: every op kind, made by its constructor or a change, reaches the journal
exactly as the format has always had it and reads back into the same view; pred and
observed come from the view and from earlier ops of the same change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from pulsetui.store.answers import ANSWERS_NAME
from pulsetui.store.ids import ANON_RID
from pulsetui.store.journal import JOURNAL_NAME
from pulsetui.store.ops import (
    Stamp,
    anonymous_op,
    append_op,
    check_op,
    create_op,
    delete_op,
    set_op,
    stored,
)
from pulsetui.store.store import VIEW_NAME, Store, StoreError
from pulsetui.store.view import public_fields

HEADER_KEYS = ["id", "hlc", "rid", "entity", "uid", "kind"]
CLIENT = "01KA2KV8804SG69Y0G086DEHXC"
AGREEMENT = "01KA2KV880F0WJ0ATFPG602QWN"
ANSWER = "3f1c9a0e5b7d4e2fa1c3b5d7e9f00112"


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = Store.open(tmp_path / "home")
    yield opened
    opened.close()


def journal_ops(home: Path) -> list[dict[str, Any]]:
    """Every op in the journal file, read straight from its lines."""
    ops: list[dict[str, Any]] = []
    for line in (home / "journal" / JOURNAL_NAME).read_bytes().splitlines()[1:]:
        payload = orjson.loads(line)
        ops.extend(payload if isinstance(payload, list) else [payload])
    return ops


def reopened_from_journal(home: Path) -> Store:
    """The store opened again with its view file gone: rebuilt from the journal alone."""
    (home / VIEW_NAME).unlink(missing_ok=True)
    again = Store.open(home, readonly=True)
    assert again.report.view == "missing"
    return again


# ---- the constructors ---------------------------------------------------------------------


def test_each_constructor_writes_the_journal_format_byte_for_byte() -> None:
    stamp = Stamp("d22a4fb62e734b60", 1763172000000, 3)
    made = [
        create_op(stamp, "client", CLIENT, {"name": "Acme", "manager": None}),
        set_op(stamp, "client", CLIENT, "notes", "ä ж 🚀", ["d22a4fb62e734b60:1763172000000:1"]),
        set_op(stamp, "client", CLIENT, "notes", "kept", [], resolve=True),
        append_op(stamp, "agreement", AGREEMENT, "history", {"status": "open"}),
        delete_op(stamp, "client", CLIENT, ["d22a4fb62e734b60:1763172000000:1"]),
        anonymous_op("enps", ANSWER, {"round": "2026", "score": 9, "reason": ""}),
    ]
    head = b'{"id":"d22a4fb62e734b60:1763172000000:3","hlc":[1763172000000,3],'
    head += b'"rid":"d22a4fb62e734b60",'
    expected = [
        head + b'"entity":"client","uid":"' + CLIENT.encode() + b'","kind":"create",'
        b'"data":{"name":"Acme","manager":null}}',
        head + b'"entity":"client","uid":"' + CLIENT.encode() + b'","kind":"set",'
        b'"field":"notes","value":"\xc3\xa4 \xd0\xb6 \xf0\x9f\x9a\x80",'
        b'"pred":["d22a4fb62e734b60:1763172000000:1"]}',
        head + b'"entity":"client","uid":"' + CLIENT.encode() + b'","kind":"resolve",'
        b'"field":"notes","value":"kept","pred":[]}',
        head + b'"entity":"agreement","uid":"' + AGREEMENT.encode() + b'","kind":"append",'
        b'"field":"history","value":{"status":"open"}}',
        head + b'"entity":"client","uid":"' + CLIENT.encode() + b'","kind":"delete",'
        b'"observed":["d22a4fb62e734b60:1763172000000:1"]}',
        b'{"id":"anon:0:0","hlc":[0,0],"rid":"anon","entity":"enps","uid":"'
        + ANSWER.encode()
        + b'","kind":"create","data":{"round":"2026","score":9,"reason":""}}',
    ]
    assert [orjson.dumps(op) for op in made] == expected
    for op in made:
        assert list(op)[:6] == HEADER_KEYS
        assert check_op(op, {stamp.rid, ANON_RID}) is None


@pytest.mark.parametrize(
    ("build", "why"),
    [
        (lambda s: create_op(s, "client", "no spaces", {"name": "x"}), "bad entity or uid"),
        (lambda s: create_op(s, "client", CLIENT, {"_h": {}}), "bad create data"),
        (lambda s: create_op(s, "spaceship", CLIENT, {"name": "x"}), "unknown record kind"),
        (lambda s: set_op(s, "client", CLIENT, "_d", 1, []), "bad set"),
        (lambda s: set_op(s, "client", CLIENT, "notes", "x", ["not an op id"]), "predecessors"),
        (lambda s: set_op(s, "client", CLIENT, "manager", {"uid": "x"}, []), "bad reference"),
        (lambda s: append_op(s, "agreement", AGREEMENT, "", {}), "bad append"),
        (lambda s: delete_op(s, "client", CLIENT, ["x"]), "bad delete"),
    ],
)
def test_a_constructor_refuses_what_other_replicas_would_refuse(build: Any, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        build(Stamp("d22a4fb62e734b60", 1763172000000, 0))


# ---- every kind through the journal and the view ------------------------------------------


def test_every_op_kind_round_trips_through_the_journal_and_the_view(store: Store) -> None:
    store.edit("client", CLIENT).create({"name": "Acme Oy", "notes": "first"}).commit()
    # another replica replaces the same value concurrently; then one value settles it
    heads = [opid for opid, _ in store.view.heads("client", CLIENT, "notes")]
    store.edit("client", CLIENT).set("notes", "second").commit()
    theirs = set_op(Stamp("4d40b976222e7ad2", 1, 0), "client", CLIENT, "notes", "theirs", heads)
    store.ingest(stored([theirs]))
    assert sorted(v for _, v in store.view.conflicts("client", CLIENT)["notes"]) == [
        "second",
        "theirs",
    ]
    store.edit("client", CLIENT).resolve("notes", "settled").commit()
    entry = {"status": "open", "reason": "", "at": "2026-11-20T10:00:00", "by": "Anna"}
    agreement = {"client": CLIENT, "text": "Send the offer", "side": "us", "status": "open"}
    store.edit("agreement", AGREEMENT).create(agreement).append("history", entry).commit()
    store.edit("agreement", AGREEMENT).delete().commit()
    store.edit("enps", ANSWER).create_anonymous({"round": "2026", "score": 9}).commit()

    kinds = [(op["entity"], op["kind"]) for op in journal_ops(store.home)]
    assert kinds == [
        ("client", "create"),
        ("client", "set"),
        ("client", "set"),
        ("client", "resolve"),
        ("agreement", "create"),
        ("agreement", "append"),
        ("agreement", "delete"),
    ]  # the anonymous answer is kept apart from the journal, in no order
    second, resolve = journal_ops(store.home)[1], journal_ops(store.home)[3]
    assert second["pred"] == heads
    assert sorted(resolve["pred"]) == sorted([second["id"], theirs["id"]])
    [answer] = orjson.loads((store.home / ANSWERS_NAME).read_bytes())["answers"]
    assert (answer["rid"], answer["id"], answer["hlc"]) == (ANON_RID, "anon:0:0", [0, 0])
    home = store.home
    store.close()

    again = reopened_from_journal(home)
    client = again.view.get("client", CLIENT)
    assert client is not None and client["notes"] == "settled" and client["name"] == "Acme Oy"
    assert again.view.conflicts("client", CLIENT) == {}
    assert again.view.get("agreement", AGREEMENT) is None
    gone = again.view.raw("agreement", AGREEMENT)
    assert gone is not None and gone["history"] == [entry]
    answer_doc = again.view.get("enps", ANSWER) or {}
    assert public_fields(answer_doc) == {"uid": ANSWER, "round": "2026", "score": 9}
    assert again.report.stats.corrupt_lines == 0
    again.close()


def test_a_change_is_one_journal_line_across_records(store: Store) -> None:
    change = store.change()
    change.record("client", CLIENT).create({"name": "Acme Oy"})
    change.record("agreement", AGREEMENT).create({"client": CLIENT, "text": "Call back"})
    assert len(change) == 2
    change.commit()
    lines = (store.home / "journal" / JOURNAL_NAME).read_bytes().splitlines()
    assert len(lines) == 2  # the header and one save
    assert [op["uid"] for op in orjson.loads(lines[1])] == [CLIENT, AGREEMENT]


def test_writes_of_one_field_in_one_change_chain_up(store: Store) -> None:
    edit = store.edit("client", CLIENT).create({"name": "Acme Oy", "notes": ""})
    edit.set("notes", "one").set("notes", "two").commit()
    create, first, second = journal_ops(store.home)
    assert first["pred"] == [create["id"]]
    assert second["pred"] == [first["id"]]
    assert public_fields(store.view.get("client", CLIENT) or {})["notes"] == "two"
    assert store.view.conflicts("client", CLIENT) == {}


def test_a_delete_sees_the_ops_of_its_own_change(store: Store) -> None:
    store.edit("client", CLIENT).create({"name": "Acme Oy"}).set("notes", "x").delete().commit()
    create, note, delete = journal_ops(store.home)
    assert delete["observed"] == sorted([create["id"], note["id"]])
    assert store.view.get("client", CLIENT) is None


def test_a_delete_names_every_value_the_view_holds(store: Store) -> None:
    store.edit("client", CLIENT).create({"name": "Acme Oy", "notes": ""}).commit()
    store.edit("client", CLIENT).set("notes", "later").commit()
    store.edit("client", CLIENT).delete().commit()
    create, note, delete = journal_ops(store.home)
    assert delete["observed"] == sorted([create["id"], note["id"]])
    assert store.view.get("client", CLIENT) is None


def test_a_concurrent_set_replaces_nothing_and_leaves_a_conflict(store: Store) -> None:
    store.edit("client", CLIENT).create({"name": "Acme Oy", "notes": "mine"}).set_concurrent(
        "notes", "theirs"
    ).commit()
    assert journal_ops(store.home)[1]["pred"] == []
    values = [value for _, value in store.view.conflicts("client", CLIENT)["notes"]]
    assert sorted(values) == ["mine", "theirs"]


def test_a_refused_op_leaves_nothing_saved(store: Store) -> None:
    edit = store.edit("client", CLIENT).create({"name": "Acme Oy"})
    with pytest.raises(ValueError):
        edit.set("_h", "bookkeeping")
    assert journal_ops(store.home) == []
    assert store.view.get("client", CLIENT) is None


def test_an_old_journal_reads_into_the_same_view(tmp_path: Path) -> None:
    """Lines as earlier versions wrote them (hand-built, not by the constructors)."""
    home = tmp_path / "old"
    Store.open(home).close()
    rid = "d22a4fb62e734b60"
    lines = [
        {
            "id": f"{rid}:1000:0",
            "hlc": [1000, 0],
            "rid": rid,
            "entity": "client",
            "uid": CLIENT,
            "kind": "create",
            "data": {"name": "Old Oy", "notes": "a"},
        },
        [
            {
                "id": f"{rid}:1001:0",
                "hlc": [1001, 0],
                "rid": rid,
                "entity": "client",
                "uid": CLIENT,
                "kind": "set",
                "field": "notes",
                "value": "b",
                "pred": [f"{rid}:1000:0"],
            },
            {
                "id": "anon:0:0",
                "hlc": [0, 0],
                "rid": "anon",
                "entity": "enps",
                "uid": ANSWER,
                "kind": "create",
                "data": {"round": "2025", "score": 3},
            },
        ],
    ]
    with open(home / "journal" / JOURNAL_NAME, "ab") as journal:
        for line in lines:
            journal.write(orjson.dumps(line) + b"\n")
    again = reopened_from_journal(home)
    assert again.view.get("client", CLIENT) == {
        "uid": CLIENT,
        "name": "Old Oy",
        "notes": "b",
        "_c": f"{rid}:1000:0",
        "_h": {"notes": f"{rid}:1001:0"},
    }
    answer_doc = again.view.get("enps", ANSWER) or {}
    assert public_fields(answer_doc) == {"uid": ANSWER, "round": "2025", "score": 3}
    again.close()


def test_a_change_is_saved_once(store: Store) -> None:
    edit = store.edit("client", CLIENT).create({"name": "Acme Oy"})
    edit.commit()
    with pytest.raises(RuntimeError):
        edit.commit()
    with pytest.raises(RuntimeError):
        edit.set("notes", "too late")
    assert len(journal_ops(store.home)) == 1


def test_answers_an_older_version_kept_in_the_journal_move_to_the_answers_file(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    older = Store.open(home)
    older.edit("client", CLIENT).create({"name": "Acme Oy"}).commit()
    # what an older pulsetui saved: the answer in the journal, between timestamped ops
    older.journal.append(stored([anonymous_op("enps", ANSWER, {"round": "2026", "score": 9})]))
    older.close(checkpoint="never")
    again = Store.open(home)
    assert again.view.get("enps", ANSWER) is not None
    [kept] = orjson.loads((home / ANSWERS_NAME).read_bytes())["answers"]
    assert kept["uid"] == ANSWER and kept["data"] == {"round": "2026", "score": 9}
    again.close()  # the view file now leaves the answer out
    assert ANSWER.encode() not in (home / VIEW_NAME).read_bytes()
    third = Store.open(home)
    assert third.view.get("enps", ANSWER) is not None
    third.close()


def test_answers_are_read_when_first_needed_and_a_bad_file_says_so(tmp_path: Path) -> None:
    """Opening reads no answer (most commands need none); the first read of an answer
    brings them all, and a new answer saved before that keeps the older ones."""
    home = tmp_path / "home"
    first = Store.open(home)
    first.edit("client", CLIENT).create({"name": "Acme Oy"}).commit()
    first.edit("enps", ANSWER).create_anonymous({"round": "2026", "score": 9}).commit()
    first.close()

    again = Store.open(home)
    assert again.view.count("client") == 1
    assert not again.answers._loaded  # opened without reading the answers file
    other = "0" * 31 + "1"
    again.edit("enps", other).create_anonymous({"round": "2026", "score": 3}).commit()
    assert sorted(doc["uid"] for doc in again.view.docs("enps")) == sorted([ANSWER, other])
    again.close()
    kept = orjson.loads((home / ANSWERS_NAME).read_bytes())["answers"]
    assert sorted(op["uid"] for op in kept) == sorted([ANSWER, other])

    (home / ANSWERS_NAME).write_bytes(b'{"format":1,"answers":[')  # cut short
    broken = Store.open(home)
    try:
        assert broken.view.get("client", CLIENT) is not None
        with pytest.raises(StoreError, match=r"answers\.json is unreadable"):
            list(broken.view.docs("enps"))
        with pytest.raises(StoreError):  # every time, never an empty list of answers
            broken.view.count("enps")
    finally:
        broken.close(checkpoint="never")
