"""What leaves the product, at firm scale, each beside a baseline measured in the same run.

On a copy of a generated workspace (``bench/generate.py``; ``firm-year`` by default):

- backup (journal read, checked, written 0600) beside copying the journal file;
- restore into an empty home beside a start-up that rebuilds the view from the journal;
- the shareable JSON export;
- the weekly report of a past week (built from the state at that week's end) beside
  the report of the current week;
- the calendar of the signed-in manager's clients, and the part of it that counts each
  meeting's revisions in the journal.

Usage: ``python bench/reports_bench.py [--scale firm-year] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from pulsetui.reports.backup import backup_bytes, export_json
from pulsetui.reports.ics import meeting_calendar
from pulsetui.service.backup import read_backup, restore_backup, take_backup
from pulsetui.service.calendar import revisions
from pulsetui.service.saving import save_new
from pulsetui.service.weekly import weekly_report
from pulsetui.service.workspace import Workspace
from pulsetui.store.store import VIEW_NAME, Store

TODAY = dt.datetime(2026, 11, 20, 10, 0)


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def bench(scale: str, repeat: int) -> None:
    source = generate.ensure(scale)
    with tempfile.TemporaryDirectory(prefix="pulsetui-reports-bench-") as tmp:
        base = Path(tmp)
        home = base / "home"
        shutil.copytree(source, home)
        ws = Workspace.open(home, readonly=True, clock=lambda: TODAY)
        journal = home / "journal" / "ops.jsonl"
        counter = iter(range(1_000_000))

        def backup() -> None:
            save_new(base / f"b{next(counter)}", backup_bytes(take_backup(ws)))

        def copy_journal() -> None:
            shutil.copyfile(journal, base / f"j{next(counter)}")

        backup_s, copy_s = timed(backup, repeat), timed(copy_journal, repeat)
        data = backup_bytes(take_backup(ws))
        parsed = read_backup(data)

        def restore() -> None:
            restore_backup(base / f"r{next(counter)}", parsed)

        def rebuild() -> None:
            copy = base / f"c{next(counter)}"
            shutil.copytree(home, copy)
            (copy / VIEW_NAME).unlink()
            started = time.perf_counter()
            Store.open(copy).close(checkpoint="always")
            rebuild_times.append(time.perf_counter() - started)

        rebuild_times: list[float] = []
        restore_s = timed(restore, repeat)
        for _ in range(repeat):
            rebuild()
        rebuild_s = statistics.median(rebuild_times)
        read_s = timed(lambda: read_backup(data), repeat)
        export_s = timed(lambda: export_json(ws, include_private=True), repeat)
        client = next(iter(ws.docs("client", manager=ws.me)))["uid"]
        this_week = dt.date(2026, 11, 16)
        now_s = timed(lambda: weekly_report(ws, client, this_week), repeat)
        past_s = timed(lambda: weekly_report(ws, client, this_week - dt.timedelta(weeks=4)), repeat)
        ics_s = timed(lambda: meeting_calendar(ws), repeat)
        meetings = [
            m["uid"]
            for c in ws.docs("client", manager=ws.me)
            for m in ws.docs("meeting", client=c["uid"])
        ]
        revisions_s = timed(lambda: revisions(ws, meetings), repeat)
        one_s = timed(lambda: revisions(ws, meetings[:1]), repeat)
        records = sum(ws.count(name) for name in ws.store.view.tables)
        ws.close(checkpoint="never")

    print(
        f"{scale}: {records:,} records, {len(parsed.lines):,} journal lines, "
        f"backup {len(data) / 1e6:.0f} MB"
    )
    rows = [
        ("backup (read the journal, write 0600)", backup_s,
         f"{backup_s / copy_s:.1f}x copying the journal ({copy_s:.2f} s)"),
        ("check a backup's header, end and checksum", read_s, ""),
        ("restore (every change checked) into a new home", restore_s,
         f"{restore_s / rebuild_s:.2f}x a view rebuild at start-up ({rebuild_s:.2f} s)"),
        ("export --format json --include-private", export_s, ""),
        ("weekly report, current week", now_s, ""),
        ("weekly report, a past week", past_s, f"{past_s / now_s:.0f}x the current week"),
        (f"calendar of my clients ({len(meetings)} meetings)", ics_s, ""),
        ("  of which counting revisions", revisions_s, f"{revisions_s / ics_s:.0%} of it"),
        ("revisions of one meeting (an invite)", one_s, f"{one_s / revisions_s:.2f}x all of mine"),
    ]  # fmt: skip
    for label, seconds, note in rows:
        print(f"  {label:<48} {seconds:8.3f} s  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="firm-year")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.umask(0o077)
    os.environ.setdefault("PULSETUI_CONFIG", str(generate.OUT / "no-config.toml"))
    bench(args.scale, args.repeat)


if __name__ == "__main__":
    main()
