"""The terminal app's targets for ``targets.py``, each beside a bare Textual app started
the same way in the same run, the two taking turns:

- ``startup``: start to Today's rows on screen in a real terminal (tmux, 100x30, the
  command as a user starts it, polled with ``capture-pane``), beside a bare Textual app
  (header, TextArea, footer) until its text shows. Target: <= 1.5x at demo and
  firm-year, <= 2x at firm-5y;
- ``headless``: the same, headless (``tui_bench.py``'s child: Today's rows on screen,
  beside the bare app settled; also, without a target, Today read afresh from the
  open workspace with every worker done), and from the same runs the first open of
  each section and page (consultants, clients, agreements, a client page, a pulse form)
  at firm-5y. Target: start as above; every open <= 100 ms;
- ``typing``: keystroke to character on screen in the pulse form's notes, in tmux, at
  firm-5y with autosave and background sync running and a colleague on the same shared
  folder publishing a change every 2 s, beside the bare app's TextArea.
  Target: worst case <= 1.5x the bare app's.

``capture-pane`` takes a few milliseconds on this machine; both sides pay it alike.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from rows import Row

HERE = Path(__file__).resolve().parent
TMUX = shutil.which("tmux")
STARTUP_RATIO = {"demo": 1.5, "firm-year": 1.5, "firm-5y": 2.0}
OPEN_TARGET_MS = 100.0
TYPING_RATIO = 1.5
NOW = "2026-11-20T10:00:00"
# Today's heading once its rows are in, as the screen writes it: "... · 12 need you"
TODAY_ROWS = re.compile(r"\d+ needs? you")
BARE_TEXT = "a bare app, ready to type"

BARE_APP = f"""
from textual.app import App
from textual.widgets import Footer, Header, TextArea

class Bare(App):
    def compose(self):
        yield Header()
        yield TextArea({BARE_TEXT!r}, id="text")
        yield Footer()

    def on_mount(self):
        self.query_one(TextArea).focus()

Bare().run()
"""


class Terminal:
    """One command in a detached tmux session of 100x30."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        assert TMUX is not None
        self.name = f"pulsetui-bench-{uuid.uuid4().hex[:8]}"
        exports = [f"{key}={value}" for key, value in env.items()]
        argv = [TMUX, "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30"]
        argv += ["env", *exports, *command]
        for _attempt in range(3):
            # a tmux server whose last session just ended may still be exiting
            self.started = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, text=True)
            if done.returncode == 0:
                return
            time.sleep(0.2)
        raise SystemExit(f"tmux did not start a session: {done.stderr}")

    def screen(self) -> str:
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait(self, found: Any, timeout: float = 120.0) -> float:
        """Seconds since the session started until ``found(screen)`` is true."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.screen()
            if found(screen):
                return time.perf_counter() - self.started
            if time.perf_counter() > deadline:
                self.close()
                raise SystemExit(f"nothing matched on screen in {timeout:.0f} s:\n{screen}")
            time.sleep(0.002)

    def keys(self, *keys: str, literal: bool = False) -> None:
        assert TMUX is not None
        flag = ["-l"] if literal else []
        subprocess.run([TMUX, "send-keys", "-t", self.name, *flag, *keys], check=True)

    def close(self) -> None:
        """Quit with ctrl+q (the app saves and writes its view), then end the session."""
        assert TMUX is not None
        self.keys("C-q")
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            alive = subprocess.run([TMUX, "has-session", "-t", self.name], capture_output=True)
            if alive.returncode != 0:
                return
            time.sleep(0.05)
        subprocess.run([TMUX, "kill-session", "-t", self.name], capture_output=True)


def _env() -> dict[str, str]:
    keep = ("PATH", "HOME", "PULSETUI_CONFIG", "LANG")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    return {**env, "TERM": "xterm-256color", "PULSETUI_NOW": NOW, "LANG": "C.UTF-8"}


def _bare_command(tmp: Path) -> list[str]:
    script = tmp / "bare_app.py"
    script.write_text(BARE_APP)
    return [sys.executable, str(script)]


# Today as the manager's last session left it (its snapshot), as the app writes it
KEEP_TODAY = """
import sys
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today_snapshot import refresh_today
from pulsetui.service.workspace import Workspace

with Workspace.open(sys.argv[1]) as ws:
    refresh_today(ws, Audience.manager(ws.me))
"""


def _homes(tmp: Path) -> dict[str, Path]:
    """The workspaces, each with its manager's Today of the benchmark's day kept, as a
    day's second start finds it."""
    import generate
    from tui_bench import workspace_for

    homes = {"demo": workspace_for("demo", tmp)}
    for scale in ("firm-year", "firm-5y"):
        homes[scale] = Path(generate.ensure(scale))
    for home in homes.values():
        env = {**os.environ, "PULSETUI_NOW": NOW}
        subprocess.run([sys.executable, "-c", KEEP_TODAY, str(home)], env=env, check=True)
    return homes


def bench_startup(repeat: int) -> list[Row]:
    if TMUX is None:
        raise SystemExit("tmux is needed for the start-up section")
    rows = []
    with tempfile.TemporaryDirectory(prefix="pulsetui-tmux-") as name:
        tmp = Path(name)
        bare_command, env, homes = _bare_command(tmp), _env(), _homes(tmp)
        for scale, home in homes.items():
            bare, app = [], []
            for _ in range(repeat):
                term = Terminal(bare_command, env)
                bare.append(term.wait(lambda screen: BARE_TEXT in screen))
                term.close()
                term = Terminal([sys.executable, "-m", "pulsetui", "--home", str(home)], env)
                app.append(term.wait(lambda screen: TODAY_ROWS.search(screen) is not None))
                term.close()
            value, base = statistics.median(app) * 1000, statistics.median(bare) * 1000
            ratio = STARTUP_RATIO[scale]
            rows.append(
                Row(
                    f"start to Today's rows, tmux ({scale})",
                    value,
                    "ms",
                    base,
                    value <= ratio * base,
                    f"<= {ratio:.1f}x bare",
                )
            )
    return rows


def bench_headless(repeat: int) -> list[Row]:
    from tui_bench import run_child

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="pulsetui-headless-") as name:
        tmp = Path(name)
        env = {**os.environ, "PULSETUI_NOW": NOW}
        for scale, home in _homes(tmp).items():
            bare_runs, runs = [], []
            for _ in range(repeat):
                bare_runs.append(run_child("bare", "", env))
                runs.append(run_child("pulse", str(home), env))
            base = statistics.median(float(r["settled"]) for r in bare_runs) * 1000
            value = statistics.median(float(r["today_rows"]) for r in runs) * 1000
            ratio = STARTUP_RATIO[scale]
            rows.append(
                Row(
                    f"start to Today's rows, headless ({scale})",
                    value,
                    "ms",
                    base,
                    value <= ratio * base,
                    f"<= {ratio:.1f}x bare",
                )
            )
            filled = statistics.median(float(r["today_filled"]) for r in runs) * 1000
            rows.append(  # the workspace open and Today read afresh: no target
                Row(f"start to Today read afresh, headless ({scale})", filled, "ms", base, None, "")
            )
            if scale != "firm-5y":
                continue
            switch = statistics.median(r["switch_first"][0] for r in bare_runs) * 1000
            opens: dict[str, list[float]] = {}
            for run in runs:
                for section, (shown, _ready) in run["first"].items():
                    opens.setdefault(f"{section} (first)", []).append(shown)
                for page, (shown, _ready) in run["pages"].items():
                    opens.setdefault(page, []).append(shown)
            for label, values in opens.items():
                value = statistics.median(values) * 1000
                rows.append(
                    Row(
                        f"open {label}, firm-5y",
                        value,
                        "ms",
                        switch,
                        value <= OPEN_TARGET_MS,
                        f"<= {OPEN_TARGET_MS:.0f} ms",
                    )
                )
    return rows


# A colleague's workspace on the same shared folder, publishing a change every 2 s
# while the keys are typed: the app takes each one in while the notes are written.
PEER = r"""
import sys, time
from pulsetui.service.workspace import Workspace
from pulsetui.sync.engine import SyncEngine

ws = Workspace.open(sys.argv[1], me="Peer Colleague")
engine = SyncEngine(ws, sys.argv[2])
engine.run_once()  # joins: takes in what the app has published
print("ready", flush=True)
n = 0
while True:
    n += 1
    ws.add("client", name=f"Peer client {n}", manager=ws.me)
    engine.run_once()
    time.sleep(2.0)
"""


def _peer(work: Path, shared: Path) -> subprocess.Popen[str]:
    """The publishing colleague (``PEER``), started and joined."""
    peer = subprocess.Popen(
        [sys.executable, "-c", PEER, str(work / "peer"), str(shared)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PULSETUI_NOW": NOW},
    )
    assert peer.stdout is not None
    if peer.stdout.readline().strip() != "ready":
        peer.kill()
        raise SystemExit("the publishing peer did not start")
    return peer


def _latencies(term: Terminal, count: int) -> list[float]:
    """Type ``count`` z's at a brisk typist's pace; how long each took to show."""
    taken = []
    for _ in range(count):
        before = term.screen().count("z")
        start = time.perf_counter()
        term.keys("z", literal=True)
        while term.screen().count("z") <= before:
            if time.perf_counter() - start > 10:
                raise SystemExit(f"a typed key never showed:\n{term.screen()}")
        taken.append(time.perf_counter() - start)
        time.sleep(0.08)
    return taken


def bench_typing(repeat: int) -> list[Row]:
    if TMUX is None:
        raise SystemExit("tmux is needed for the typing section")
    import generate

    source = Path(generate.ensure("firm-5y"))
    work = Path(tempfile.mkdtemp(prefix="pulsetui-typing-", dir=generate.OUT))
    try:
        home, shared = work / "firm-5y", work / "shared"
        shutil.copytree(source, home)
        pulsetui = [sys.executable, "-m", "pulsetui", "--home", str(home), "--shared", str(shared)]
        subprocess.run([*pulsetui, "sync", "init"], check=True, capture_output=True)
        bare_command, env = _bare_command(work), _env()
        bare: list[float] = []
        app: list[float] = []
        first = Terminal(pulsetui, env)  # the app publishes the firm before the peer joins
        first.wait(lambda screen: "synced" in screen)
        first.close()
        peer = _peer(work, shared)
        try:
            for _ in range(repeat):
                term = Terminal(bare_command, env)
                term.wait(lambda screen: BARE_TEXT in screen)
                bare.extend(_latencies(term, 20))
                term.close()
                term = Terminal(pulsetui, env)
                term.wait(lambda screen: TODAY_ROWS.search(screen) is not None)
                term.keys("c")
                term.wait(lambda screen: "Wellbeing" in screen)
                term.keys("p")
                term.wait(lambda screen: "Notes (private)" in screen)  # new or resumed
                for _ in range(5):  # wellbeing -> workload, fit, growth, worries, notes
                    term.keys("Tab")
                    time.sleep(0.1)
                app.extend(_latencies(term, 20))  # autosaved as typed; sync runs meanwhile
                term.close()
        finally:
            peer.kill()
            peer.wait()
        rows = []
        for label, pick in (("median", statistics.median), ("worst", max)):
            value, base = pick(app) * 1000, pick(bare) * 1000
            rows.append(
                Row(
                    f"keystroke to screen, {label}, tmux (firm-5y)",
                    value,
                    "ms",
                    base,
                    value <= TYPING_RATIO * base if label == "worst" else None,
                    f"<= {TYPING_RATIO:.1f}x bare" if label == "worst" else "",
                )
            )
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)
