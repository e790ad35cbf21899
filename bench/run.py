"""Store benchmarks at firm scale, printed in one run.

For each scale (``firm-year``: about 100k records, ``firm-5y``: about 500k):

- durable save latency p50/p99: ``Workspace.add`` of a realistic pulse conversation
  (validated, journalled, fdatasync'd, applied), beside a stock TinyDB ``insert`` of the
  same record into a plain TinyDB JSON file holding the same data (a small sample: each
  insert rewrites the whole file);
- time to open the workspace (no UI) beside plain ``orjson.loads`` of the view file;
- peak RSS of a fresh process that opens the workspace and saves.

Each measurement runs in a fresh subprocess on a copy of the generated workspace
(``bench/generate.py``, cached in ``bench/out/``). Usage:
``python bench/run.py [--scale firm-year] [--saves 400] [--inserts 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

TARGETS = {
    "firm-year": {"open": 0.3},
    "firm-5y": {"open": 1.0, "p50": 2.0, "p99": 15.0, "rss": 300.0},
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def peak_rss_mb() -> float:
    """Peak resident set size of this process image, in MB.

    ``ru_maxrss`` (KiB on Linux) also counts the parent's size at ``fork``, so the
    workers are started from a small parent; VmHWM, where there is one, is exact."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return min(peak, int(line.split()[1]) / 1024)
    except OSError:
        pass
    return peak


def pulse_fields(ws: Any, n: int) -> dict[str, Any]:
    consultant = next(iter(ws.docs("consultant", manager=ws.me)))
    notes = (
        f"Pulse {n}: workload is high this sprint, the release slipped a week; wants to "
        "grow towards architecture work. Client PO changes priorities mid-sprint — raise it "
        "in the next client meeting. Kiire, mutta jaksaa. Устал, но мотивирован. "
    ) * 2
    return {
        "consultant": consultant["uid"],
        "manager": ws.me,
        "date": "2026-11-20",
        "status": "held",
        "wellbeing": 3,
        "workload": "high",
        "fit": 4,
        "growth": "Architecture, mentoring juniors",
        "worries": "Scope keeps growing without a plan",
        "notes": notes,
        "follow_ups": [{"text": "Talk to the client's PO about mid-sprint changes"}],
    }


# ---- workers (each in a fresh process) --------------------------------------------------


def worker_store(home: Path, saves: int) -> dict[str, Any]:
    from pulsetui.service.workspace import Workspace

    opens = []
    records = 0
    for _ in range(3):
        started = time.perf_counter()
        ws = Workspace.open(home)
        opens.append(time.perf_counter() - started)
        records = sum(ws.count(name) for name in ws.store.view.tables)
        report = ws.store.report.view
        ws.close(checkpoint="never")
        del ws  # the next open must not find this view still in memory
    rss_open = peak_rss_mb()
    ws = Workspace.open(home)
    latencies = []
    for n in range(saves):
        fields = pulse_fields(ws, n)
        started = time.perf_counter()
        ws.add("pulse", **fields)
        latencies.append((time.perf_counter() - started) * 1000)
    ws.close(checkpoint="never")
    return {
        "records": records,
        "view": report,
        "open_s": statistics.median(opens),
        "opens_s": opens,
        "save_p50_ms": percentile(latencies, 50),
        "save_p99_ms": percentile(latencies, 99),
        "save_max_ms": max(latencies),
        "rss_after_open_mb": rss_open,
        "rss_peak_mb": peak_rss_mb(),
    }


def worker_baseline(home: Path, inserts: int) -> dict[str, Any]:
    import orjson
    import tinydb

    from pulsetui.service.workspace import Workspace

    view = home / "pulsetui.json"
    loads = []
    for _ in range(3):
        started = time.perf_counter()
        orjson.loads(view.read_bytes())
        loads.append(time.perf_counter() - started)
    with Workspace.open(home, readonly=True) as ws:
        fields = pulse_fields(ws, 0)
    plain = home.parent / f"{home.name}-tinydb.json"
    shutil.copyfile(view, plain)
    latencies = []
    db = tinydb.TinyDB(plain)
    table = db.table("pulse")
    for n in range(inserts):
        doc = {**fields, "uid": f"bench-{n}"}
        started = time.perf_counter()
        table.insert(doc)
        latencies.append((time.perf_counter() - started) * 1000)
    db.close()
    size = plain.stat().st_size
    plain.unlink()
    return {
        "loads_s": statistics.median(loads),
        "tinydb_insert_ms": statistics.median(latencies),
        "tinydb_inserts": latencies,
        "tinydb_file_mb": size / 1e6,
    }


def run_worker(kind: str, home: Path, count: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--home", str(home), "--count", str(count)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{kind} benchmark failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---- the report -------------------------------------------------------------------------


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return "  ok" if value <= target else f"  MISSED (target {target:g})"


def bench_scale(scale: str, saves: int, inserts: int) -> dict[str, Any]:
    # generated in its own process, so this one stays small for the workers it forks
    subprocess.run([sys.executable, generate.__file__, "--scale", scale], check=True)
    source = generate.OUT / scale
    work = generate.OUT / f"run-{scale}"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(source, work)
    store = run_worker("store", work, saves)
    base = run_worker("baseline", work, inserts)
    shutil.rmtree(work)
    info = json.loads((source / "bench-info.json").read_text())
    targets = TARGETS.get(scale, {})
    print(
        f"\n== {scale}: {store['records']:,} records, {info['ops']:,} ops; "
        f"journal {info['journal_bytes'] / 1e6:.0f} MB, view {info['view_bytes'] / 1e6:.0f} MB"
    )
    rows = [
        (
            "save p50 (Workspace.add, fsync'd)",
            f"{store['save_p50_ms']:.2f} ms",
            verdict(store["save_p50_ms"], targets.get("p50")),
        ),
        (
            "save p99",
            f"{store['save_p99_ms']:.2f} ms",
            verdict(store["save_p99_ms"], targets.get("p99")),
        ),
        (
            "stock TinyDB insert (median)",
            f"{base['tinydb_insert_ms']:.0f} ms",
            f"  {base['tinydb_insert_ms'] / store['save_p50_ms']:.0f}x the p50 save",
        ),
        (
            "open workspace (median of 3)",
            f"{store['open_s']:.3f} s",
            verdict(store["open_s"], targets.get("open")),
        ),
        (
            "orjson.loads of the view file",
            f"{base['loads_s']:.3f} s",
            f"  open is {store['open_s'] / base['loads_s']:.2f}x this",
        ),
        (
            "peak RSS (open + saves)",
            f"{store['rss_peak_mb']:.0f} MB",
            verdict(store["rss_peak_mb"], targets.get("rss")),
        ),
    ]
    for label, value, note in rows:
        print(f"  {label:<36} {value:>10}{note}")
    print(
        f"  ({saves} saves; {inserts} TinyDB inserts into a {base['tinydb_file_mb']:.0f} MB "
        f"file, without fsync; view state at open: {store['view']})"
    )
    return {"scale": scale, **store, **base}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(generate.SCALES), action="append")
    parser.add_argument("--saves", type=int, default=400)
    parser.add_argument("--inserts", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--worker", choices=["store", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.umask(0o077)
    os.environ.setdefault("PULSETUI_CONFIG", str(generate.OUT / "no-config.toml"))
    if args.worker:
        work = worker_store if args.worker == "store" else worker_baseline
        print(json.dumps(work(args.home, args.count)))
        return
    results = [
        bench_scale(s, args.saves, args.inserts) for s in args.scale or list(generate.SCALES)
    ]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
