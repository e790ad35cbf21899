"""The view's short ways (a create of an unseen record in one step, a set or an appended
entry on a current record in place) and its loop over many ops (``apply_many``) leave
exactly the state the general way leaves, op by op: records, bookkeeping, deleted
records, conflicts, pending replacements and the order of every reference index, for
random ops of several replicas delivered in any order, duplicated."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulsetui.store.view import View

RIDS = ("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc")
UIDS = ("01A", "01B", "01C")
FIELDS = ("text", "status", "client", "meeting")  # client and meeting are indexed
VALUES = ("x", "y", "ж", None)


class General(View):
    """The view without its short ways."""

    def _create_unseen(self, entity: str, uid: str, op: dict[str, Any]) -> bool:
        return False

    def _set_in_place(self, entity: str, doc: Any, doc_id: int, op: dict[str, Any]) -> bool:
        return False

    def _append_in_place(self, entity: str, doc: Any, doc_id: int, op: dict[str, Any]) -> bool:
        return False


def state(view: View) -> dict[str, Any]:
    table = view.tables["agenda"]
    uid_of = {doc_id: doc["uid"] for doc_id, doc in table.pairs()}
    return {
        "docs": dict(table.pairs()),
        "hidden": view.hidden["agenda"],
        "refs": {
            field: {value: [uid_of.get(i, i) for i in ids] for value, ids in index.groups() if ids}
            for field, index in view.refs["agenda"].items()
        },
        "conflicted": view.conflicted["agenda"],
        "revived": view.revived["agenda"],
        "pending": view.pending,
        "applied": view.applied.to_json(),
        "skipped": view.skipped,
        "next": view._next_id["agenda"],
    }


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Ops as replicas make them: each names as replaced some of the ops it has seen."""
    ops: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], list[str]] = {}
    creates: dict[str, str] = {}
    for wall in range(1, draw(st.integers(3, 30))):
        rid = draw(st.sampled_from(RIDS))
        uid = draw(st.sampled_from(UIDS))
        kind = draw(st.sampled_from(["create", "set", "set", "set", "append", "delete"]))
        opid = f"{rid}:{wall}:0"
        op: dict[str, Any] = {
            "id": opid,
            "hlc": [wall, 0],
            "rid": rid,
            "entity": "agenda",
            "uid": uid,
            "kind": kind,
        }
        if kind == "create":
            fields = draw(st.lists(st.sampled_from(FIELDS), unique=True))
            op["data"] = {field: draw(st.sampled_from(VALUES)) for field in fields}
            creates.setdefault(uid, opid)
            for field in fields:
                seen.setdefault((uid, field), []).append(opid)
        elif kind == "set":
            field = draw(st.sampled_from(FIELDS))
            known = seen.setdefault((uid, field), [])
            if uid in creates and draw(st.booleans()):
                known = [*known, creates[uid]]
            op.update(
                field=field,
                value=draw(st.sampled_from(VALUES)),
                pred=draw(st.lists(st.sampled_from(known), unique=True)) if known else [],
            )
            if draw(st.booleans()):
                op["kind"] = "resolve"
            known.append(opid)
        elif kind == "append":
            op.update(field="history", value=draw(st.sampled_from(VALUES)))
        else:
            earlier = [o["id"] for o in ops if o["uid"] == uid]
            op["observed"] = (
                draw(st.lists(st.sampled_from(earlier), unique=True)) if earlier else []
            )
        ops.append(op)
    order = draw(st.permutations(ops))
    repeats = draw(st.lists(st.sampled_from(ops), max_size=5)) if ops else []
    return [*order, *repeats]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_the_short_ways_leave_the_state_the_general_way_leaves(ops: list[dict[str, Any]]) -> None:
    fast, general = View(), General()
    for op in ops:
        assert fast.apply(dict(op)) == general.apply(dict(op)), op
        assert state(fast) == state(general), op


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.integers(0, 40))
def test_many_ops_at_once_leave_the_state_of_one_at_a_time(
    ops: list[dict[str, Any]], limit: int
) -> None:
    """``apply_many`` (a first sync, a replayed journal): the same state, the same ops
    reported as applied, and the latest clock among them up to ``limit``."""
    general = General()
    applied_one_by_one = [op for op in ops if general.apply(dict(op))]
    batch = View()
    new: list[dict[str, Any]] = []
    bad: list[dict[str, Any]] = []
    count, wall, counter = batch.apply_many([dict(op) for op in ops], bad, new, limit)
    assert state(batch) == state(general)
    assert (count, bad) == (len(ops), [])
    assert [op["id"] for op in new] == [op["id"] for op in applied_one_by_one]
    clocks = [tuple(op["hlc"]) for op in applied_one_by_one if op["hlc"][0] <= limit]
    assert (wall, counter) == max(clocks, default=(-1, -1))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.data())
def test_the_ops_not_seen_yet_are_those_not_applied(
    ops: list[dict[str, Any]], data: st.DataObject
) -> None:
    """What ingest saves to the journal: the ops not applied before (by replica and
    clock; here, as for every op checked, the same as by op id), each once."""
    view = View()
    for op in ops[: data.draw(st.integers(0, len(ops)))]:
        view.apply(dict(op))
    first = {op["id"]: at for at, op in reversed(list(enumerate(ops)))}
    expected = [op for at, op in enumerate(ops) if first[op["id"]] == at]
    assert view.unseen(ops) == [op for op in expected if not view.is_applied(op["id"])]


def test_many_ops_at_once_set_broken_ones_aside_and_skip_odd_ones() -> None:
    """A broken op goes to ``bad`` and the ones after it are applied; an op of an
    unknown kind of record or with an impossible clock is skipped and counted, an
    anonymous answer is applied the general way."""
    rid = "aaaaaaaaaaaaaaaa"

    def create(wall: int, uid: str, **extra: Any) -> dict[str, Any]:
        op = {"id": f"{rid}:{wall}:0", "hlc": [wall, 0], "rid": rid, "entity": "agenda"}
        return {**op, "uid": uid, "kind": "create", "data": {"text": uid}, **extra}

    broken = create(2, "01B")
    del broken["uid"]
    answer = {
        "id": "anon:0:0",
        "hlc": [0, 0],
        "rid": "anon",
        "entity": "enps",
        "uid": "01E",
        "kind": "create",
        "data": {"round": "2026-Q1", "score": 7},
    }
    ops = [
        create(1, "01A"),
        broken,
        create(3, "01C", entity="nonsense"),
        create(4, "01D", hlc=[-4, 0]),
        answer,
        create(5, "01F"),
    ]
    view = View()
    new: list[dict[str, Any]] = []
    bad: list[dict[str, Any]] = []
    assert view.apply_many(ops, bad, new, 100) == (6, 5, 0)
    assert bad == [broken]
    assert [op["uid"] for op in new] == ["01A", "01E", "01F"]
    assert view.skipped == 2
    assert sorted(doc["uid"] for doc in view.docs("agenda")) == ["01A", "01F"]
    assert [doc["score"] for doc in view.docs("enps")] == [7]


@pytest.mark.parametrize("kind", ["create", "set", "append"])
def test_the_short_ways_are_taken(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the tests above: the usual create, edit and added entry really go the
    short way."""
    taken: list[str] = []
    for name in ("_create_unseen", "_set_in_place", "_append_in_place"):
        original = getattr(View, name)

        def spy(self: View, *args: Any, _original: Any = original, _name: str = name) -> bool:
            result = bool(_original(self, *args))
            if result:
                taken.append(_name)
            return result

        monkeypatch.setattr(View, name, spy)
    view = View()
    create = {
        "id": "aaaaaaaaaaaaaaaa:1:0",
        "hlc": [1, 0],
        "rid": "aaaaaaaaaaaaaaaa",
        "entity": "agenda",
        "uid": "01A",
        "kind": "create",
        "data": {"text": "a", "client": "c1"},
    }
    view.apply(create)
    later = {**create, "id": "aaaaaaaaaaaaaaaa:2:0", "hlc": [2, 0]}
    if kind == "set":
        view.apply({**later, "kind": "set", "field": "text", "value": "b", "pred": [create["id"]]})
    if kind == "append":
        view.apply({**later, "kind": "append", "field": "history", "value": "b"})
    assert taken == [
        "_create_unseen",
        *({"set": ["_set_in_place"], "append": ["_append_in_place"]}.get(kind, [])),
    ]
    shown = view.get("agenda", "01A")
    assert shown["text"] == ("b" if kind == "set" else "a")
    assert shown.get("history") == (["b"] if kind == "append" else None)
