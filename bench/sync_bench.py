"""Sync benchmark: joining a firm's shared folder, then small incremental passes.

Builds the ``firm-year`` history (``bench/generate.py``: 50 managers, each with their own
replica id, about 100k records) and writes it as a shared folder the way 50
installations would have: each replica's team ops in one segment per working day,
eNPS answers as inbox files, private pulse notes left out. Then, in one run:

- first join: a fresh workspace runs one sync pass over the whole folder (target 5 s);
- incremental: one replica publishes a segment of 10 new ops; one pass (target 50 ms);
- full re-read: the same workspace forgets what it ingested and reads every segment
  again (all ops are already known, so this is the cost of listing, reading and
  checking the folder).

Usage: ``python bench/sync_bench.py [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import orjson

import generate
from pulsetui.domain.models import ENTITIES
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import ANON_RID
from pulsetui.store.ops import Op, Stamp, set_op, stored
from pulsetui.sync.engine import SyncEngine
from pulsetui.sync.folder import (
    FOLDER_NAME,
    INBOX,
    REPLICAS,
    SEGMENTS,
    create_file,
    init_folder,
)
from pulsetui.sync.inbox import drop
from pulsetui.sync.segments import encode

TARGET_JOIN_S = 5.0
TARGET_INCREMENTAL_S = 0.050
DAY_MS = 86_400_000


def firm_ops() -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Team ops per replica in clock order, and the anonymous answers."""
    log, _, _ = generate.build_firm(generate.SCALES["firm-year"])
    per_rid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    answers = []
    for _, _, rid, ops in log.saves:
        for op in ops:
            if rid == ANON_RID:
                answers.append(op)
            elif ENTITIES[op["entity"]].scope == "team":
                per_rid[rid].append(op)
    for ops in per_rid.values():
        ops.sort(key=lambda op: (op["hlc"][0], op["hlc"][1]))
    return per_rid, answers


def write_folder(
    shared: Path, per_rid: dict[str, list[dict[str, Any]]], answers: list[dict[str, Any]]
) -> tuple[int, int]:
    init_folder(shared)
    root = shared / FOLDER_NAME
    files = 0
    for rid, ops in per_rid.items():
        seg_dir = root / REPLICAS / rid / SEGMENTS
        seg_dir.mkdir(parents=True)
        create_file(root / REPLICAS / rid / "replica.json", orjson.dumps({"rid": rid}))
        days: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for op in ops:
            days[op["hlc"][0] // DAY_MS].append(op)
        for seq, day in enumerate(sorted(days), start=1):
            name, data = encode(rid, seq, days[day])
            (seg_dir / name).write_bytes(data)
            files += 1
    for op in answers:
        drop(root / INBOX, op)
    return files, len(answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="Build in this folder and keep it.")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="pulsetui-sync-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        per_rid, answers = firm_ops()
        shared = base / "shared"
        files, inbox_files = write_folder(shared, per_rid, answers)
        total = sum(len(ops) for ops in per_rid.values())
        print(
            f"firm-year folder: {len(per_rid)} replicas, {total} team ops in {files} segments, "
            f"{inbox_files} eNPS inbox files (built in {time.perf_counter() - started:.1f} s)"
        )

        ws = Workspace.open(base / "joiner", me="New Manager", config=Config())
        engine = SyncEngine(ws, shared)
        started = time.perf_counter()
        report = engine.run_once()
        join = time.perf_counter() - started
        # the generated history runs to a fixed date, which may lie ahead of this clock
        problems = [p for p in report.problems if "ahead of this machine" not in p]
        assert not problems, problems[:5]
        assert report.segments_read == files, (report.segments_read, files)
        ok = "ok" if join <= TARGET_JOIN_S else "OVER TARGET"
        print(
            f"first join:   {join:6.2f} s for {report.ingested_ops} ops + "
            f"{report.answers_read} answers (target {TARGET_JOIN_S} s) {ok}"
        )
        engine.run_once()  # settle: the joiner's own first export

        rid = sorted(per_rid)[0]
        last = per_rid[rid][-1]
        seq = len(list((shared / FOLDER_NAME / REPLICAS / rid / SEGMENTS).iterdir())) + 1
        wall = last["hlc"][0] + DAY_MS
        client = next(op for op in per_rid[rid] if op["entity"] == "client")
        new_ops: list[Op] = []
        for index in range(10):
            pred = [new_ops[-1]["id"]] if new_ops else []
            note = f"incremental note {index}"
            stamp = Stamp(rid, wall, index)
            new_ops.append(set_op(stamp, "client", client["uid"], "notes", note, pred))
        name, data = encode(rid, seq, stored(new_ops))
        (shared / FOLDER_NAME / REPLICAS / rid / SEGMENTS / name).write_bytes(data)
        started = time.perf_counter()
        report = engine.run_once()
        incremental = time.perf_counter() - started
        assert report.ingested_ops == 10, report.lines()
        ok = "ok" if incremental <= TARGET_INCREMENTAL_S else "OVER TARGET"
        print(
            f"incremental:  {incremental * 1000:6.1f} ms for 10 new ops "
            f"(target {TARGET_INCREMENTAL_S * 1000:.0f} ms) {ok}"
        )

        for folder in engine.state.folders.values():
            folder.ingested.clear()  # forget what was read; keep what was written
        started = time.perf_counter()
        report = engine.run_once()
        reread = time.perf_counter() - started
        assert report.ingested_ops == 0 and report.segments_read == files + 1, report.lines()[:3]
        print(f"full re-read: {reread:6.2f} s for {report.segments_read} segments (all known)")
        engine.close()
        ws.close()
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
