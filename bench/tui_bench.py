"""TUI benchmark: time from start to the first interactive Today screen, beside a bare
Textual app started the same way in the same run, and the time to switch between every
pair of sections (first visit and again) — on the demo workspace and, when
``bench/generate.py`` has them, on the ``firm-year`` and ``firm-5y`` workspaces. Also the
agreement log widened to every client, a filter over it, and the palette's record index.

Each measurement runs the app headless (``App.run_test``, 80×24) in a fresh process, so
import and start-up costs are counted as a user would feel them; the bare app and
pulsetui take turns. "shown" is the time until the section is on screen and answers
keys (the first frame after the switch); "ready" waits until its background workers
are done, every message is handled (Textual's footer rebuilds its keys after that first
frame) and the last frame is rendered, so what it shows is current. Run:

    python bench/tui_bench.py [--scale demo|firm-year|firm-5y ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

CHILD = r"""
import asyncio, json, sys, time
t0 = time.perf_counter()
from textual import events
from textual.pilot import Pilot
from textual.worker import WorkerCancelled
kind, home = sys.argv[1], sys.argv[2]
out = {}

async def frame(app):
    # every message the screen has queued is handled and a frame is rendered; no idle
    # wait, so time a worker thread spends afterwards is not counted
    await Pilot(app)._wait_for_screen()
    app.screen._on_timer_update()

def pending(app):
    screen = app.screen
    nodes = [app, *screen.walk_children(with_self=True)]
    return sum(n._message_queue.qsize() for n in nodes) + len(screen._callbacks)

async def settled(app):
    # workers done, every message handled (the footer rebuilds its keys after the
    # first frame) and a last frame rendered
    for _ in range(1000):
        if not app.is_running:
            raise SystemExit("the app stopped (see its error above)")
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # superseded by a newer one of its group
            continue
        await frame(app)
        if not pending(app) and all(w.is_finished for w in app.workers):
            await frame(app)
            if not pending(app):
                return
    raise SystemExit("the app never settled")

def key(app, name):
    # the key as the terminal sends it, without the pilot's idle waits
    event = events.Key(name, name if len(name) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)

async def bare():
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static

    class Page(Screen):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

    class Bare(App):
        MODES = {"one": Page, "two": Page}
        DEFAULT_MODE = "one"

    app = Bare()
    async with app.run_test(size=(80, 24)):
        await frame(app)
        out["interactive"] = time.perf_counter() - t0
        await settled(app)
        out["settled"] = time.perf_counter() - t0
        switches = []
        for name in ("two", "one", "two"):
            start = time.perf_counter()
            await app.switch_mode(name)
            await frame(app)
            shown = time.perf_counter() - start
            await settled(app)
            switches.append([shown, time.perf_counter() - start])
        out["switch_first"], out["switch_again"] = switches[0], switches[2]

async def pulse():
    # as `pulsetui` starts: the first frame (Today from its snapshot) while the
    # workspace opens in a thread
    from pathlib import Path
    from pulsetui.tui.app import PulseApp
    from pulsetui.tui.commands import RecordIndex
    from pulsetui.tui.opening import opening_for
    from pulsetui.tui.screens.today import TodayScreen
    from textual.widgets import DataTable

    def open_workspace():
        from pulsetui.service.workspace import Workspace
        from pulsetui.tui.running import preload

        opened = Workspace.open(home, readonly=True)
        preload()  # as the app's opening does
        out["open_workspace"] = time.perf_counter() - t0
        return opened

    app = PulseApp(opening=opening_for(Path(home), None, open_workspace), sync=False)

    async def settle(pilot):
        while not app.is_open:  # the opening is a thread of its own, not a worker
            if not app.is_running:
                raise SystemExit("the app stopped while opening (see its error above)")
            await asyncio.sleep(0.002)
        await settled(app)

    async def switch(pilot, name):
        # shown: the section is on screen and answers keys; ready: its background
        # workers are done and what it shows is current
        start = time.perf_counter()
        await app.switch_mode(name)
        await frame(app)
        shown = time.perf_counter() - start
        await settle(pilot)
        return [shown, time.perf_counter() - start]

    async with app.run_test(size=(80, 24)) as pilot:
        await frame(app)
        out["interactive"] = time.perf_counter() - t0
        table = app.screen.query_one(DataTable)
        for _ in range(100_000):  # Today's rows: the snapshot's at once, else once read
            if table.row_count:
                break
            await frame(app)
            await asyncio.sleep(0.001)
        out["today_rows"] = time.perf_counter() - t0
        await settle(pilot)
        out["today_filled"] = time.perf_counter() - t0
        assert isinstance(app.screen, TodayScreen)
        ws = app.workspace
        sections = ["today", "consultants", "clients", "agreements"]
        first = {}
        for name in sections[1:]:  # the first visit builds each section's screen
            first[name] = await switch(pilot, name)
        pairs = {}
        for a in sections:  # then every ordered pair, each screen already built
            for b in sections:
                if a != b:
                    await app.switch_mode(a)
                    await settle(pilot)
                    pairs[f"{a}>{b}"] = await switch(pilot, b)
        out["first"] = first
        out["pairs"] = pairs
        # pages inside the sections, opened from Today as Enter does: a client page and
        # a consultant's pulse form
        client = next(iter(ws.docs("client", manager=ws.me)))["uid"]
        person = next(iter(ws.docs("consultant", manager=ws.me)))["uid"]
        pages = {}
        opened = (("client page", "client", client), ("pulse form", "consultant", person))
        for label, kind, uid in opened:
            for attempt in ("first", "again"):
                await app.switch_mode("today")
                await settle(pilot)
                start = time.perf_counter()
                await app.open_record(kind, uid)
                await frame(app)
                shown = time.perf_counter() - start
                await settle(pilot)
                pages[f"{label} {attempt}"] = [shown, time.perf_counter() - start]
                while len(app.screen_stack) > 1:
                    app.pop_screen()
                await settle(pilot)
        out["pages"] = pages
        # the agreement log widened to every client (w), then one filter keystroke
        await app.switch_mode("agreements")
        await settle(pilot)
        start = time.perf_counter()
        key(app, "w")
        await frame(app)
        shown = time.perf_counter() - start
        await settle(pilot)
        out["widen"] = [shown, time.perf_counter() - start]
        table = app.screen.query_one(DataTable)
        found = app.screen.found
        out["every_client_rows"] = len(found.rows) if found is not None else 0
        await pilot.press("slash")
        await frame(app)
        start = time.perf_counter()
        key(app, "r")
        await frame(app)
        shown = time.perf_counter() - start
        await asyncio.sleep(0.2)  # the filter waits for a pause in typing
        await settle(pilot)
        out["filter_all"] = [shown, time.perf_counter() - start - 0.2]
        await pilot.press("escape")
        # the palette's record index: built cold, then reused
        start = time.perf_counter()
        records = await RecordIndex().records(app)
        out["palette_index"] = [time.perf_counter() - start, len(records)]
        start = time.perf_counter()
        await app.record_index.records(app)
        out["palette_reuse"] = time.perf_counter() - start
    ws.close(checkpoint="never")

asyncio.run(bare() if kind == "bare" else pulse())
print(json.dumps(out))
"""


def run_child(kind: str, home: str, env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, kind, home],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def workspace_for(scale: str, tmp: Path) -> Path:
    if scale == "demo":
        from pulsetui.service.demo import create_demo

        home = tmp / "demo"
        if not home.exists():
            create_demo(home, today=dt.date(2026, 11, 20), seed=7)
        return home
    sys.path.insert(0, str(HERE))
    import generate  # type: ignore[import-not-found]

    return Path(generate.ensure(scale))


def ms(seconds: object) -> str:
    return f"{float(seconds) * 1000:6.0f} ms"  # type: ignore[arg-type]


def median(values: list[float]) -> float:
    return statistics.median(values)


def pair_table(runs: list[dict[str, Any]], bare: float) -> list[str]:
    """Median "shown / ready" ms for each switch from a section (row) to another."""
    names = ["today", "consultants", "clients", "agreements"]
    lines = [
        "  switch (shown / ready, ms)   " + "".join(f"{('to ' + n):>16}" for n in names),
    ]
    for a in names:
        cells = []
        for b in names:
            if a == b:
                cells.append(f"{'—':>16}")
                continue
            shown = median([r["pairs"][f"{a}>{b}"][0] for r in runs])
            ready = median([r["pairs"][f"{a}>{b}"][1] for r in runs])
            cells.append(f"{shown * 1000:9.0f} /{ready * 1000:5.0f}")
        lines.append(f"  from {a:<24}" + "".join(cells))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="append", choices=["demo", "firm-year", "firm-5y"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    scales = args.scale or ["demo"] + [
        s for s in ("firm-year", "firm-5y") if (HERE / "out" / s / "bench-info.json").exists()
    ]
    env = {**os.environ, "PULSETUI_NOW": "2026-11-20T10:00:00"}
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env.setdefault("PULSETUI_CONFIG", str(tmp / "no-config.toml"))
        homes = {scale: workspace_for(scale, tmp) for scale in scales}
        for scale in scales:
            # the bare app and pulsetui take turns, so both see the same machine load
            bare_runs: list[dict[str, Any]] = []
            runs: list[dict[str, Any]] = []
            for _ in range(args.repeat):
                bare_runs.append(run_child("bare", "", env))
                runs.append(run_child("pulse", str(homes[scale]), env))
            report[scale] = {"bare": bare_runs, "runs": runs}
            bare = median([float(r["interactive"]) for r in bare_runs])
            bare_settled = median([float(r["settled"]) for r in bare_runs])
            print(f"\n{scale} ({homes[scale]}), median of {args.repeat}")
            print(
                f"  bare Textual app, start to interactive   {ms(bare)}"
                f" (settled {ms(bare_settled)})"
            )
            for key in ("switch_first", "switch_again"):
                shown = median([r[key][0] for r in bare_runs])
                ready = median([r[key][1] for r in bare_runs])
                label = "bare app, switch screen " + ("first" if key == "switch_first" else "again")
                print(f"  {label:<39} {ms(shown)} shown, {ms(ready)} ready")
            for key, label in (
                ("open_workspace", "workspace open"),
                ("interactive", "Today interactive"),
                ("today_filled", "Today filled"),
            ):
                value = median([float(r[key]) for r in runs])
                print(f"  start to {label:<31} {ms(value)}   ({value / bare:4.1f}× bare)")
            today = median([float(r["interactive"]) for r in runs])
            print(f"  Today interactive minus bare app         {ms(today - bare)}")
            for name in ("consultants", "clients", "agreements"):
                shown = median([r["first"][name][0] for r in runs])
                ready = median([r["first"][name][1] for r in runs])
                print(f"  first open of {name:<26} {ms(shown)} shown, {ms(ready)} ready")
            print("\n".join(pair_table(runs, bare)))
            for name in runs[0]["pages"]:
                shown = median([r["pages"][name][0] for r in runs])
                ready = median([r["pages"][name][1] for r in runs])
                print(f"  Today → {name:<31} {ms(shown)} shown, {ms(ready)} ready")
            for key, label in (
                ("widen", "agreements: w (every client)"),
                ("filter_all", "agreements: filter every client"),
            ):
                shown = median([r[key][0] for r in runs])
                ready = median([r[key][1] for r in runs])
                print(f"  {label:<39} {ms(shown)} shown, {ms(ready)} ready")
            print(f"    ({runs[0]['every_client_rows']} agreements of every client)")
            index = median([r["palette_index"][0] for r in runs])
            reuse = median([r["palette_reuse"] for r in runs])
            print(
                f"  palette index built (worker)             {ms(index)}"
                f" ({runs[0]['palette_index'][1]} records); reused {ms(reuse)}"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
