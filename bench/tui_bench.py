"""TUI benchmark: time from start to the first interactive Today screen, beside a bare
Textual app started the same way in the same run, and the time to switch between the
sections — on the demo workspace and, when ``bench/generate.py`` has them, on the
``firm-year`` and ``firm-5y`` workspaces.

Each measurement runs the app headless (``App.run_test``) in a fresh process, so import
and start-up costs are counted as a user would feel them. Run:

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

HERE = Path(__file__).resolve().parent

CHILD = r"""
import asyncio, json, sys, time
t0 = time.perf_counter()
kind, home = sys.argv[1], sys.argv[2]
out = {}

async def bare():
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        out["interactive"] = time.perf_counter() - t0

async def pulse():
    from pulsetui.service.workspace import Workspace
    from pulsetui.tui.app import make_app
    from pulsetui.tui.screens.today import TodayScreen

    ws = Workspace.open(home, readonly=True)
    out["open_workspace"] = time.perf_counter() - t0
    app = make_app(ws, sync=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        out["interactive"] = time.perf_counter() - t0
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["today_filled"] = time.perf_counter() - t0
        assert isinstance(app.screen, TodayScreen)
        switches = {}
        for rnd in range(2):  # first visit builds the screen, second only switches
            for name in ("consultants", "clients", "agreements", "today"):
                start = time.perf_counter()
                await app.switch_mode(name)
                await pilot.pause()
                switches[f"{name}{'' if rnd == 0 else ' again'}"] = time.perf_counter() - start
                await app.workers.wait_for_complete()
                await pilot.pause()
        out["switch"] = switches
    ws.close(checkpoint="never")

asyncio.run(bare() if kind == "bare" else pulse())
print(json.dumps(out))
"""


def run_child(kind: str, home: str, env: dict[str, str]) -> dict[str, object]:
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
    return f"{float(seconds) * 1000:7.0f} ms"  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="append", choices=["demo", "firm-year", "firm-5y"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scales = args.scale or ["demo"] + [
        s for s in ("firm-year", "firm-5y") if (HERE / "out" / s / "bench-info.json").exists()
    ]
    env = {**os.environ, "PULSETUI_NOW": "2026-11-20T10:00:00"}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env.setdefault("PULSETUI_CONFIG", str(tmp / "no-config.toml"))
        bare = [run_child("bare", "", env)["interactive"] for _ in range(args.repeat)]
        print(f"bare Textual app, start to interactive: median {ms(statistics.median(bare))}")
        for scale in scales:
            home = workspace_for(scale, tmp)
            runs = [run_child("pulse", str(home), env) for _ in range(args.repeat)]
            print(f"\n{scale} ({home})")
            for key in ("open_workspace", "interactive", "today_filled"):
                values = [float(r[key]) for r in runs]  # type: ignore[arg-type]
                print(
                    f"  start to {key:<15} median {ms(statistics.median(values))}"
                    f"   (min {ms(min(values))}, max {ms(max(values))})"
                )
            today = statistics.median(float(r["interactive"]) for r in runs)  # type: ignore[arg-type]
            print(f"  Today interactive minus bare app: {ms(today - statistics.median(bare))}")
            names = list(runs[0]["switch"])  # type: ignore[call-overload]
            for name in names:
                values = [float(r["switch"][name]) for r in runs]  # type: ignore[index]
                print(f"  switch to {name:<18} median {ms(statistics.median(values))}")


if __name__ == "__main__":
    main()
