"""``sync --check`` reads a segment one op at a time (``verify``) and keeps none of its
ops; it must find exactly what sync's reading (``decode``) finds, for good segments and
for every way one can be broken."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from pulsetui.sync.folder import SYNC_FORMAT
from pulsetui.sync.segments import Incomplete, Invalid, NewerFormat, decode, encode, verify

RID = "aaaaaaaaaaaaaaaa"
OTHER = "bbbbbbbbbbbbbbbb"


def op(wall: int, rid: str = RID, **extra: Any) -> dict[str, Any]:
    base = {"id": f"{rid}:{wall}:0", "hlc": [wall, 0], "rid": rid, "entity": "client"}
    return {**base, "uid": f"U{wall}", "kind": "create", "data": {"name": "ä ж 🙂"}, **extra}


def sealed(body: bytes) -> bytes:
    """``body`` (header and op lines) with a valid trailer."""
    sha = hashlib.sha256(body).hexdigest()
    return body + orjson.dumps({"end": SYNC_FORMAT, "sha256": sha, "count": 0}) + b"\n"


def lines_of(data: bytes) -> list[bytes]:
    return data.split(b"\n")[:-2]  # without the trailer


def relined(data: bytes, change: Callable[[list[bytes]], list[bytes]]) -> bytes:
    return sealed(b"".join(line + b"\n" for line in change(lines_of(data))))


def header_set(data: bytes, **fields: Any) -> bytes:
    def change(lines: list[bytes]) -> list[bytes]:
        return [orjson.dumps({**orjson.loads(lines[0]), **fields}), *lines[1:]]

    return relined(data, change)


GOOD = encode(RID, 3, [op(1), op(2), op(5, OTHER)], carries=(OTHER,))[1]
CASES: dict[str, bytes] = {
    "good": GOOD,
    "empty": encode(RID, 3, [])[1],
    "cut short": GOOD[: len(GOOD) // 2],
    "no trailer": b"".join(line + b"\n" for line in lines_of(GOOD)),
    "one byte changed": GOOD.replace(b"U2", b"U3"),
    "count too high": header_set(GOOD, count=4),
    "count too low": header_set(GOOD, count=2),
    "other replica": header_set(GOOD, rid=OTHER),
    "other number": header_set(GOOD, seq=4),
    "not a segment": header_set(GOOD, type="enps"),
    "newer format": header_set(GOOD, version=99),
    "bad carries": header_set(GOOD, carries=["x y"]),
    "carried id not named": header_set(GOOD, carries=[]),
    "a line not JSON": relined(GOOD, lambda ls: [ls[0], b"{nope", *ls[2:]]),
    "an empty line": relined(GOOD, lambda ls: [ls[0], b"", *ls[2:]]),
    "two values on a line": header_set(
        relined(GOOD, lambda ls: [ls[0], ls[1] + b"," + ls[2], ls[3]]), count=2
    ),
    "clock going back": relined(GOOD, lambda ls: [ls[0], ls[2], ls[1], ls[3]]),
    "a bad op": relined(
        GOOD, lambda ls: [ls[0], orjson.dumps(op(1, field=["name"], kind="set")), *ls[2:]]
    ),
}


def outcome(read: Callable[..., Any], data: bytes) -> tuple[str, str]:
    try:
        segment = read(data, RID, 3)
    except (Incomplete, Invalid, NewerFormat) as exc:
        return type(exc).__name__, str(exc)
    found = (segment.sha, segment.first, segment.last, segment.carries, segment.seq)
    return "ok", repr(found)


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_finds_what_sync_finds(case: str) -> None:
    data = CASES[case]
    assert outcome(verify, data) == outcome(decode, data)
    if case in ("good", "empty"):
        assert outcome(verify, data)[0] == "ok"
        assert verify(data, RID, 3).ops == []
    else:
        assert outcome(verify, data)[0] != "ok"


LONG = encode(RID, 3, [op(wall) for wall in range(1, 601)])[1]  # read in several chunks


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, None),
        ({300: {"kind": "set", "field": ["name"]}}, "line 302: bad set"),
        ({590: {"uid": "x y"}}, "line 592: bad entity or uid"),
        # the first problem in line order, whichever kind it is and whichever chunk
        ({299: {"hlc": [1, 0], "id": f"{RID}:1:0"}, 300: {"uid": "x y"}}, "line 301: clock"),
        ({257: {"uid": "x y"}, 400: {"hlc": [1, 0], "id": f"{RID}:1:0"}}, "line 259: bad"),
    ],
)
def test_a_long_segment_is_checked_alike_whole_and_one_op_at_a_time(
    change: dict[int, dict[str, Any]], problem: str | None
) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        ops = [orjson.loads(line) for line in lines[1:]]
        return [lines[0], *(orjson.dumps({**o, **change.get(at, {})}) for at, o in enumerate(ops))]

    data = relined(LONG, edit)
    assert outcome(verify, data) == outcome(decode, data)
    kind, message = outcome(decode, data)
    if problem is None:
        assert kind == "ok"
    else:
        assert (kind, message[: len(problem)]) == ("Invalid", problem)
