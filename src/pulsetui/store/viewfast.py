"""The view's short ways, and a loop applying many ops that takes them.

Most ops a first sync or a replayed journal brings are a create of a record never seen,
an edit that replaces the one value a field had, or an entry added to an append-only
list of a current record. The general way (``view``) handles each as a merge: pending
replacements, heads, placing the record again, taking it out of every reference index
and putting it back. The short ways do only what that would change, and leave exactly
the state it leaves (a property test holds them to it); anything unusual goes the
general way.

:meth:`ShortWays.apply_many` applies a batch in one loop: the duplicate check and the
clock kept in the loop, not in a call per op (a first sync applies hundreds of
thousands).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import Any

from pulsetui.domain.models import ENTITIES
from pulsetui.store.applied import (
    COUNTER_MAX,
    WALL_LIMIT,
    WALL_UNIT,
    AppliedOps,
    clock_ok,
)
from pulsetui.store.ids import ANON_RID, op_key
from pulsetui.store.records import META_KEYS, Doc, RecordTable, UidIndex
from pulsetui.store.refindex import RefIndex

Op = dict[str, Any]
Run = tuple[str, tuple[int, int], tuple[int, int], int]  # rid, first, last clock, count
NOT_FIELDS = frozenset({"uid", *META_KEYS})  # never a field an op sets
BROKEN = (KeyError, TypeError, IndexError, ValueError)  # what a malformed op raises


class ShortWays:
    """Mixed into :class:`~pulsetui.store.view.View`, which sets the attributes below."""

    tables: dict[str, RecordTable]
    refs: dict[str, dict[str, RefIndex]]
    pending: set[tuple[str, str]]
    conflicted: dict[str, set[str]]
    revived: dict[str, set[str]]
    skipped: int
    _ids: dict[str, UidIndex]
    _next_id: dict[str, int]
    _deferred: dict[str, Callable[[], Iterable[Op]]]

    @property
    def applied(self) -> AppliedOps:
        raise NotImplementedError

    @property
    def hidden(self) -> dict[str, dict[str, Doc]]:
        raise NotImplementedError

    def apply(self, op: Op) -> bool:
        raise NotImplementedError

    def raw(self, entity: str, uid: str) -> Doc | None:
        raise NotImplementedError

    def _apply_new(self, entity: str, op: Op) -> bool:
        raise NotImplementedError

    def _set(self, doc: Doc, field: str, opid: str, value: Any, pred: Iterable[str]) -> None:
        raise NotImplementedError

    # ---- many ops ----------------------------------------------------------------------

    def apply_many(
        self,
        ops: Iterable[Op],
        bad: list[Op],
        new: list[Op] | None,
        limit: int,
        fatal: tuple[type[Exception], ...] = (),
    ) -> tuple[int, int, int]:
        """Apply ``ops`` in order, as :meth:`View.apply` one by one would.

        An op that raises KeyError, TypeError, IndexError or ValueError (a broken one)
        goes to ``bad`` and the rest are applied, unless the error is one of ``fatal``
        (then it is raised); ``new`` collects the ops applied. Returns how many ops came,
        and the latest clock (wall, counter) of an op applied whose wall is at most
        ``limit`` (-1, -1 when none)."""
        deferred = self._deferred
        applied: AppliedOps | None = None  # read from a view file at the first op, not before
        hidden: dict[str, dict[str, Doc]] = {}  # likewise
        apply, apply_new = self.apply, self._apply_new
        create_unseen, set_in_place = self._create_unseen, self._set_in_place
        append_in_place = self._append_in_place
        entities, ids_of, tables = ENTITIES, self._ids, self.tables
        keep = new.append if new is not None else None
        finders: dict[str, Callable[[str], int | None]] = {}  # each kind's uid lookup
        latest_wall = latest_counter = -1
        last_rid: object = None
        keys: Any = None  # the packed clocks of last_rid's ops applied so far
        count = 0
        for op in ops:
            count += 1
            try:
                entity = op.get("entity")
                if entity not in entities or entity in deferred or op["rid"] == ANON_RID:
                    if apply(op) and keep is not None:
                        keep(op)
                    continue
                rid = op["rid"]
                wall, counter = op["hlc"]
                if (  # clock_ok, inline
                    type(wall) is not int
                    or type(counter) is not int
                    or not 0 <= wall < WALL_LIMIT
                    or counter < 0
                ):
                    self.skipped += 1
                    continue
                if applied is None:
                    applied, hidden = self.applied, self.hidden
                if rid != last_rid:
                    keys, last_rid = applied.keys_of(rid), rid
                key = wall * WALL_UNIT + (counter if counter < COUNTER_MAX else COUNTER_MAX)
                if not keys or key > keys[-1]:
                    keys.append(key)  # the usual case: the replica's next op
                elif not applied.add(rid, wall, counter):
                    continue  # applied before
                # what _apply_new tries first, without its call: a short way, else it
                uid, kind = op["uid"], op["kind"]
                find = finders.get(entity)
                if find is None:
                    find = finders[entity] = ids_of[entity].finder()
                doc_id = find(uid)
                if doc_id is None:
                    done = (
                        kind == "create"
                        and uid not in hidden[entity]
                        and create_unseen(entity, uid, op)
                    )
                else:
                    table = tables[entity]
                    doc = table.docs.get(doc_id) or table.materialise(doc_id)
                    done = "_d" not in doc and (
                        set_in_place(entity, doc, doc_id, op)
                        if kind == "set" or kind == "resolve"
                        else kind == "append" and append_in_place(entity, doc, doc_id, op)
                    )
                if not done and not apply_new(entity, op):
                    continue
            except BROKEN as exc:
                if isinstance(exc, fatal):
                    raise
                bad.append(op)
                continue
            if keep is not None:
                keep(op)
            if wall <= limit and (
                wall > latest_wall or (wall == latest_wall and counter > latest_counter)
            ):
                latest_wall, latest_counter = wall, counter
        return count, latest_wall, latest_counter

    def unseen(self, ops: list[Op], runs: list[Run] | None = None) -> list[Op]:
        """The ops not applied before, each once: by replica and clock, as :meth:`apply`
        records them (what a checked op's id says too), a second copy (the same op id)
        among ``ops`` not new either; an anonymous answer while its record is not in the
        view. An op whose clock is no clock counts as unseen.

        ``runs`` may say how ``ops`` lie, one run after another: ``(rid, first clock,
        last clock, count)``, ``count`` ops of that replica whose clocks rise (a checked
        segment's). When each run starts above what its replica has applied and above
        the run of that replica before it, every op is new: known without each op."""
        out: list[Op] = []
        if not ops:
            return out  # the applied ops stay in the view file
        if runs is not None and self._all_new(len(ops), runs):
            return list(ops)
        by_rid = self.applied.by_rid()
        taken: set[str] = set()  # the ids of the ops found new so far
        raw = self.raw
        for op in ops:
            rid = op.get("rid")
            if rid == ANON_RID:
                if raw(op.get("entity", ""), op.get("uid", "")) is None:
                    out.append(op)
                continue
            keys = by_rid.get(rid) if type(rid) is str else None
            if keys:  # else the replica's first op here: new
                hlc = op.get("hlc")
                if type(hlc) is list and len(hlc) == 2 and clock_ok(*hlc):
                    wall, counter = hlc
                    key = wall * WALL_UNIT + (counter if counter < COUNTER_MAX else COUNTER_MAX)
                    if key <= keys[-1]:
                        at = bisect_left(keys, key)
                        if at < len(keys) and keys[at] == key:
                            continue  # applied before
            opid = op.get("id")
            if type(opid) is str:
                if opid in taken:
                    continue  # a copy of one found new a moment ago
                taken.add(opid)
            out.append(op)
        return out

    def _all_new(self, count: int, runs: list[Run]) -> bool:
        by_rid = self.applied.by_rid()
        above: dict[str, tuple[int, int]] = {}  # each replica's last clock in the runs
        total = 0
        for rid, first, last, size in runs:
            wall, counter = first
            if rid == ANON_RID or not clock_ok(wall, counter):
                return False
            keys = by_rid.get(rid)
            if keys and wall * WALL_UNIT + min(counter, COUNTER_MAX) <= keys[-1]:
                return False
            before = above.get(rid)
            if before is not None and first <= before:
                return False
            above[rid] = last
            total += size
        return total == count

    # ---- the short ways ----------------------------------------------------------------

    def _create_unseen(self, entity: str, uid: str, op: Op) -> bool:
        """A create of a record this view has never seen, in one step: the record is its
        data (each field's head is the create itself). False when the general way is
        needed (a later op already replaced one of its fields, an odd field name)."""
        opid, data = op["id"], op["data"]
        if not isinstance(data, dict) or not NOT_FIELDS.isdisjoint(data):
            return False
        pending = self.pending
        if pending and any((opid, field) in pending for field in data):
            return False
        doc = {"uid": uid, "_c": opid, **data}
        doc_id = self._next_id[entity]
        self._next_id[entity] = doc_id + 1
        self._ids[entity][uid] = doc_id
        self.tables[entity].put(doc_id, doc)
        # never seen, so neither revived nor conflicted: those name current and deleted
        # records only, and a record once seen stays one or the other
        for field, index in self.refs[entity].items():
            value = doc.get(field)
            if value is not None:
                index.add(value, doc_id, True)
        return True

    def _set_in_place(self, entity: str, doc: Doc, doc_id: int, op: Op) -> bool:
        """A set: the record stays current, so only its field, its conflict mark and its
        place in the indexes change."""
        field = op["field"]
        if not isinstance(field, str) or field in NOT_FIELDS:
            return False
        opid, value, pred = op["id"], op["value"], op.get("pred", ())
        refs = self.refs[entity]
        before = doc.get(field) if field in refs else None
        heads = doc.get("_h")
        head = heads.get(field) if heads else None
        if head is None and field in doc:
            head = doc.get("_c")
        if (
            isinstance(head, str)
            and type(pred) in (list, tuple)
            and len(pred) == 1
            and pred[0] == head
            and opid != doc.get("_c")
            and not (self.pending and (opid, field) in self.pending)
        ):
            # the usual edit: it replaces the one value there was, one op id by another,
            # so whether the record is in conflict does not change
            doc[field] = value
            if heads is None:
                heads = doc["_h"] = {}
            heads[field] = opid
        else:
            self._set(doc, field, opid, value, pred)
            heads = doc.get("_h")
            if heads and list in map(type, heads.values()):
                self.conflicted[entity].add(doc["uid"])
            else:
                self.conflicted[entity].discard(doc["uid"])
        self._reindex(refs, doc, doc_id, field, before)
        return True

    def _append_in_place(self, entity: str, doc: Doc, doc_id: int, op: Op) -> bool:
        """An entry added to an append-only list (kept in op order) that is no reference."""
        field = op["field"]
        refs = self.refs[entity]
        if not isinstance(field, str) or field in NOT_FIELDS or field in refs:
            return False
        if not doc.get("_c"):
            return False
        opid, value = op["id"], op["value"]
        entries = doc.setdefault("_a", {}).setdefault(field, [])
        entries.append([opid, value])
        if len(entries) > 1 and op_key(entries[-2][0]) > op_key(opid):
            entries.sort(key=lambda entry: op_key(entry[0]))
        doc[field] = [entry[1] for entry in entries]
        # what placing the record again does to a record that stays current
        uid = doc["uid"]
        self.revived[entity].discard(uid)
        heads = doc.get("_h")
        if isinstance(heads, dict) and list in map(type, heads.values()):
            self.conflicted[entity].add(uid)
        else:
            self.conflicted[entity].discard(uid)
        self.hidden[entity].pop(uid, None)
        self._reindex(refs, doc, doc_id, field, None)
        return True

    @staticmethod
    def _reindex(
        refs: dict[str, RefIndex], doc: Doc, doc_id: int, field: str, before: object
    ) -> None:
        """What taking the record out of its indexes (``field`` held ``before``) and
        putting it back does: it moves to the end of each of its groups."""
        for name, index in refs.items():
            value = doc.get(name)
            if name == field:
                if before is not None:
                    index.discard(before, doc_id)
                if value is not None:
                    index.add(value, doc_id)
            elif value is not None:
                index.touch(value, doc_id)
