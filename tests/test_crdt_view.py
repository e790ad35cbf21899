"""The CRDT view: registers with conflicts, deletes with observed sets, appends, and
convergence whatever the order and duplication in which replicas' ops arrive."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from pulsetui.store.ids import op_key
from pulsetui.store.view import View


class Replica:
    """A replica that stamps ops the way the store does and applies them to its view."""

    def __init__(self, rid: str, start: int = 1_000) -> None:
        self.rid = rid
        self.view = View()
        self.wall = start
        self.counter = 0
        self.ops: list[dict[str, Any]] = []  # this replica's own ops, in order

    def _op(self, entity: str, uid: str, kind: str, **body: Any) -> dict[str, Any]:
        self.counter += 1
        op = {
            "id": f"{self.rid}:{self.wall}:{self.counter}",
            "hlc": [self.wall, self.counter],
            "rid": self.rid,
            "entity": entity,
            "uid": uid,
            "kind": kind,
            **body,
        }
        assert self.view.apply(op)
        self.ops.append(op)
        return op

    def create(self, uid: str, entity: str = "client", **data: Any) -> dict[str, Any]:
        return self._op(entity, uid, "create", data=data)

    def set(self, uid: str, field: str, value: Any, entity: str = "client") -> dict[str, Any]:
        pred = [opid for opid, _ in self.view.heads(entity, uid, field)]
        return self._op(entity, uid, "set", field=field, value=value, pred=pred)

    def resolve(self, uid: str, field: str, value: Any, entity: str = "client") -> dict[str, Any]:
        pred = [opid for opid, _ in self.view.heads(entity, uid, field)]
        return self._op(entity, uid, "resolve", field=field, value=value, pred=pred)

    def delete(self, uid: str, entity: str = "client") -> dict[str, Any]:
        return self._op(entity, uid, "delete", observed=self.view.observed(entity, uid))

    def append(self, uid: str, field: str, value: Any, entity: str = "agreement") -> dict:
        return self._op(entity, uid, "append", field=field, value=value)

    def receive(self, ops: list[dict[str, Any]]) -> None:
        for op in ops:
            self.view.apply(copy.deepcopy(op))
        # a replica's clock moves past what it has seen, as the store's does
        seen = max((op["hlc"][0] for op in ops), default=0)
        self.wall = max(self.wall, seen) + 1


def shown(view: View, uid: str, entity: str = "client") -> dict[str, Any] | None:
    doc = view.get(entity, uid)
    return None if doc is None else {k: v for k, v in doc.items() if not k.startswith("_")}


def tables_by_uid(view: View) -> dict[str, Any]:
    """``View.to_data`` with local doc ids replaced by uids (doc ids are never identity)."""
    data = view.to_data({})
    meta = data.pop("_meta")["1"]
    meta.pop("next_id")
    out: dict[str, Any] = {
        name: {doc["uid"]: doc for doc in table.values()}
        for name, table in data.items()
        if name != "_hidden"
    }
    out["_hidden"] = data["_hidden"]
    out["_meta"] = meta
    out["_revived"] = {k: sorted(v) for k, v in view.revived.items() if v}
    out["_conflicted"] = {k: sorted(v) for k, v in view.conflicted.items() if v}
    return out


def fresh(ops: list[dict[str, Any]]) -> View:
    view = View()
    for op in ops:
        view.apply(copy.deepcopy(op))
    return view


# ---- registers --------------------------------------------------------------------------


def test_create_and_set_show_the_latest_value() -> None:
    a = Replica("a")
    a.create("C1", name="Acme", notes="")
    a.set("C1", "name", "Acme Oy")
    assert shown(a.view, "C1") == {"uid": "C1", "name": "Acme Oy", "notes": ""}
    assert a.view.conflicts("client", "C1") == {}
    assert not a.view.conflicted["client"]


def test_concurrent_sets_keep_both_heads_and_show_the_greatest_hlc_rid() -> None:
    a, b = Replica("a"), Replica("b")
    a.create("C1", name="Acme", notes="")
    b.receive(a.ops)
    a.wall = b.wall = 5_000  # same wall time and counter: the replica id breaks the tie
    a.counter = b.counter = 10
    set_a = a.set("C1", "notes", "from a")
    set_b = b.set("C1", "notes", "from b")
    a.receive([set_b])
    b.receive([set_a])
    for view in (a.view, b.view):
        assert shown(view, "C1")["notes"] == "from b"  # ("b" > "a") at an equal HLC
        heads = view.conflicts("client", "C1")["notes"]
        assert [value for _, value in heads] == ["from a", "from b"]
        assert "C1" in view.conflicted["client"]
    assert tables_by_uid(a.view) == tables_by_uid(b.view)


def test_later_hlc_wins_over_replica_id() -> None:
    a, z = Replica("a"), Replica("z")
    a.create("C1", name="Acme")
    z.receive(a.ops)
    late = a.set("C1", "name", "later")  # a's clock is ahead of z's after this
    a.wall += 100
    late = a.set("C1", "name", "latest")
    early = z.set("C1", "name", "earlier")
    assert op_key(late["id"]) > op_key(early["id"])
    z.receive(a.ops[1:])
    a.receive([early])
    for view in (a.view, z.view):
        assert shown(view, "C1")["name"] == "latest"
        assert [v for _, v in view.conflicts("client", "C1")["name"]] == ["earlier", "latest"]


def test_resolve_clears_the_conflict_everywhere() -> None:
    a, b = Replica("a"), Replica("b")
    a.create("C1", name="Acme", notes="")
    b.receive(a.ops)
    set_a, set_b = a.set("C1", "notes", "x"), b.set("C1", "notes", "y")
    a.receive([set_b])
    resolved = a.resolve("C1", "notes", "x and y")
    assert a.view.conflicts("client", "C1") == {}
    assert "C1" not in a.view.conflicted["client"]
    b.receive([set_a, resolved])
    assert shown(b.view, "C1")["notes"] == "x and y"
    assert b.view.conflicts("client", "C1") == {}
    assert tables_by_uid(a.view) == tables_by_uid(b.view)


# ---- deletes ----------------------------------------------------------------------------


def test_delete_removes_what_the_deleter_saw() -> None:
    a, b = Replica("a"), Replica("b")
    a.create("C1", name="Acme")
    a.set("C1", "name", "Acme Oy")
    b.receive(a.ops)
    deletion = b.delete("C1")
    a.receive([deletion])
    assert a.view.get("client", "C1") is None
    assert a.view.count("client") == 0
    assert a.view.raw("client", "C1")["name"] == "Acme Oy"  # kept hidden, restorable
    assert "C1" not in a.view.revived["client"]


def test_concurrent_edit_survives_a_delete_and_is_reported_revived() -> None:
    a, b = Replica("a"), Replica("b")
    a.create("C1", name="Acme", notes="")
    b.receive(a.ops)
    deletion = b.delete("C1")
    edit = a.set("C1", "notes", "still a client")
    a.receive([deletion])
    b.receive([edit])
    for view in (a.view, b.view):
        assert shown(view, "C1")["notes"] == "still a client"
        assert view.revived["client"] == {"C1"}
    assert tables_by_uid(a.view) == tables_by_uid(b.view)


def test_delete_arriving_before_the_create_keeps_it_deleted() -> None:
    a, b = Replica("a"), Replica("b")
    a.create("C1", name="Acme")
    b.receive(a.ops)
    deletion = b.delete("C1")
    view = fresh([deletion, *a.ops])
    assert view.get("client", "C1") is None
    assert tables_by_uid(view) == tables_by_uid(fresh([*a.ops, deletion]))


# ---- appends ----------------------------------------------------------------------------


def test_appends_are_ordered_by_op_key_whatever_the_arrival() -> None:
    a, b = Replica("a"), Replica("b")
    a.create("G1", entity="agreement", text="Ship it", status="open")
    b.receive(a.ops)
    a.wall = b.wall = 9_000
    first = a.append("G1", "history", {"status": "open"})
    b.counter = a.counter + 5
    second = b.append("G1", "history", {"status": "done"})
    a.wall += 1
    third = a.append("G1", "history", {"status": "broken"})
    expected = [{"status": "open"}, {"status": "done"}, {"status": "broken"}]
    for order in ([first, second, third], [second, first, third], [first, third, second]):
        view = fresh([a.ops[0], *order])
        assert view.get("agreement", "G1")["history"] == expected


# ---- arrival order ----------------------------------------------------------------------


def test_set_before_its_create_gives_the_in_order_result() -> None:
    a, b = Replica("a"), Replica("b")
    create = a.create("C1", name="Acme", notes="n")
    b.receive(a.ops)
    rename = b.set("C1", "name", "Acme Oy")
    early = fresh([rename])
    assert early.get("client", "C1") is None  # not shown before its create
    early.apply(copy.deepcopy(create))
    assert shown(early, "C1") == {"uid": "C1", "name": "Acme Oy", "notes": "n"}
    assert early.conflicts("client", "C1") == {}
    assert not early.pending
    assert tables_by_uid(early) == tables_by_uid(fresh([create, rename]))


def test_set_before_its_pred_gives_the_in_order_result() -> None:
    """c (a) <- s2 (b) <- s3 (c): a view that gets c, s3, s2 ends like one that got them in
    order; s2, once it arrives, still removes c, which it replaced."""
    a, b, c = Replica("a"), Replica("b"), Replica("c")
    a.create("C1", name="v0")
    b.receive(a.ops)
    s2 = b.set("C1", "name", "v2")
    c.receive([*a.ops, s2])
    s3 = c.set("C1", "name", "v3")
    in_order = fresh([*a.ops, s2, s3])
    out_of_order = fresh([*a.ops, s3])
    assert shown(out_of_order, "C1")["name"] == "v3"
    out_of_order.apply(copy.deepcopy(s2))
    assert shown(out_of_order, "C1")["name"] == "v3"
    assert out_of_order.conflicts("client", "C1") == {}
    assert not out_of_order.pending
    assert tables_by_uid(out_of_order) == tables_by_uid(in_order)


def test_duplicates_are_ignored() -> None:
    a = Replica("a")
    a.create("C1", name="Acme", notes="")
    a.set("C1", "notes", "one")
    a.create("G1", entity="agreement", text="t")
    a.append("G1", "history", {"status": "open"})
    once = fresh(a.ops)
    twice = fresh(a.ops + a.ops)
    again = fresh(a.ops)
    assert all(not again.apply(copy.deepcopy(op)) for op in a.ops)
    assert tables_by_uid(twice) == tables_by_uid(once) == tables_by_uid(again)
    assert twice.get("agreement", "G1")["history"] == [{"status": "open"}]


def test_anonymous_answers_are_kept_once_per_uid() -> None:
    op = {
        "id": "anon:0:0",
        "hlc": [0, 0],
        "rid": "anon",
        "entity": "enps",
        "uid": "e1",
        "kind": "create",
        "data": {"round": "2026", "score": 9},
    }
    other = {**op, "uid": "e2", "data": {"round": "2026", "score": 3}}
    view = fresh([op, other, op, other])
    assert view.count("enps") == 2
    assert sorted(doc["score"] for doc in view.docs("enps")) == [3, 9]


# ---- convergence over random histories --------------------------------------------------


def random_history(seed: int, replicas: int) -> list[list[dict[str, Any]]]:
    """Replicas editing the same records with partial syncs in between."""
    rng = random.Random(seed)
    group = [Replica(rid) for rid in "abc"[:replicas]]
    seen = [[0] * replicas for _ in range(replicas)]  # seen[i][j]: ops of j that i has
    uids = [f"R{n}" for n in range(4)]
    for step in range(40):
        i = rng.randrange(replicas)
        me = group[i]
        me.wall += rng.choice([0, 1, 5])
        uid = rng.choice(uids)
        doc = me.view.raw("client", uid)
        roll = rng.random()
        if doc is None or not doc.get("_c"):
            if roll < 0.5 and uid not in {op["uid"] for r in group for op in r.ops}:
                me.create(uid, name=f"{uid} by {me.rid}", notes="", tier=1)
        elif me.view.get("client", uid) is None:
            if roll < 0.3:
                me.set(uid, "notes", f"revive {step}")
        elif roll < 0.55:
            me.set(uid, rng.choice(["name", "notes", "tier"]), f"{me.rid}{step}")
        elif roll < 0.65 and me.view.conflicts("client", uid):
            field = next(iter(me.view.conflicts("client", uid)))
            me.resolve(uid, field, f"resolved {step}")
        elif roll < 0.75:
            me.delete(uid)
        else:
            me.append(uid, "log", step, entity="client")
        if rng.random() < 0.4:  # a partial sync: i hands part of its news to k
            k = rng.randrange(replicas)
            if k != i:
                for j in range(replicas):
                    upto = rng.randint(seen[k][j], len(group[j].ops)) if j != k else 0
                    if j != k and upto > seen[k][j]:
                        group[k].receive(group[j].ops[seen[k][j] : upto])
                        seen[k][j] = upto
    return [r.ops for r in group]


def interleave(rng: random.Random, streams: list[list[dict[str, Any]]]) -> list[dict]:
    """A random merge that keeps each stream's own order, with some duplicates."""
    positions = [0] * len(streams)
    out: list[dict[str, Any]] = []
    while any(p < len(s) for p, s in zip(positions, streams, strict=True)):
        live = [n for n, s in enumerate(streams) if positions[n] < len(s)]
        n = rng.choice(live)
        out.append(streams[n][positions[n]])
        positions[n] += 1
        if out and rng.random() < 0.1:
            out.append(rng.choice(out))  # a duplicate of something already delivered
    return out


@pytest.mark.parametrize("replicas", [2, 3])
@pytest.mark.parametrize("seed", range(12))
def test_random_interleavings_converge(seed: int, replicas: int) -> None:
    streams = random_history(seed, replicas)
    reference = tables_by_uid(fresh([op for stream in streams for op in stream]))
    assert not reference["_meta"]["pending"]
    rng = random.Random(seed * 1000 + replicas)
    for _ in range(15):
        merged = interleave(rng, streams)
        view = fresh(merged)
        assert tables_by_uid(view) == reference
        assert not view.pending


def test_random_histories_exercise_conflicts_deletes_and_revivals() -> None:
    """The generator above must really produce the cases the convergence test is about."""
    found = {"conflict": 0, "deleted": 0, "revived": 0, "pending": 0}
    for seed in range(12):
        for replicas in (2, 3):
            streams = random_history(seed, replicas)
            view = fresh([op for stream in streams for op in stream])
            found["conflict"] += len(view.conflicted["client"])
            found["deleted"] += len(view.hidden["client"])
            found["revived"] += len(view.revived["client"])
            reordered = View()
            for op in (op for stream in reversed(streams) for op in stream):
                reordered.apply(copy.deepcopy(op))
                found["pending"] += len(reordered.pending)
    assert all(found.values()), found


def test_older_op_of_a_replica_arriving_after_newer_ones_is_applied_once() -> None:
    """A copied installation or a late personal stream delivers a replica's older ops
    after its newer ones: they are applied, and only once."""
    from pulsetui.store.view import View

    def op(counter: int, field: str, value: str) -> dict:
        return {
            "id": f"r1:1000:{counter}",
            "hlc": [1000, counter],
            "rid": "r1",
            "entity": "client",
            "uid": f"U{field}",
            "kind": "create",
            "data": {"name": value},
        }

    view = View()
    assert view.apply(op(5, "a", "later"))
    assert view.apply(op(2, "b", "earlier, arriving late"))
    assert not view.apply(op(2, "b", "earlier, arriving late"))
    assert not view.apply(op(5, "a", "later"))
    assert sorted(doc["name"] for doc in view.docs("client")) == ["earlier, arriving late", "later"]
    assert view.is_applied("r1:1000:2") and view.is_applied("r1:1000:5")
    assert not view.is_applied("r1:1000:3")
