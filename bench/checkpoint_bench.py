"""Background checkpoint benchmark: how long the app's own thread is held up while the
view is written in the background, three ways, on a large view (default ``firm-5y``).

The app's thread is stood in for by a loop that sleeps 1 ms and records how late it
wakes ("lag": a keystroke arriving then waits that long before the app can handle it),
while a checkpoint of the opened workspace runs:

- ``idle``: no checkpoint; the lag of this loop on this machine at this moment;
- ``fork``: the way before: ``os.fork`` and the child writes the view (the parent pays
  the fork and the copy-on-write faults);
- ``thread``: a thread in the app's process writes the view (the app's thread competes
  for the interpreter lock). A real thread checkpoint would first have to copy the view
  it writes, which is left out here, so this is its best case;
- ``process`` (what the store does): a fresh interpreter replays the journal tail onto
  the view file and writes it (``store/background.py``).

Modes take turns, ``--repeat`` times (median of each figure over the repeats). Printed
per mode: worst and p99 lag while the checkpoint ran, how long the call that starts it
held the caller, and how long until the view was on disk. Run:

    python bench/checkpoint_bench.py [--scale firm-5y] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

MODES = ("idle", "fork", "thread", "process")
TICK_S = 0.001
IDLE_S = 2.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def lag_while(running: Any) -> list[float]:
    """Sleep ``TICK_S`` at a time while ``running()``; the lateness of each wake-up."""
    lags = []
    while running():
        before = time.perf_counter()
        time.sleep(TICK_S)
        lags.append(max(0.0, time.perf_counter() - before - TICK_S))
    return lags


def worker(home: Path, mode: str) -> dict[str, Any]:
    """One measurement in a fresh process: open, save a little, checkpoint one way."""
    from pulsetui.service.workspace import Workspace

    ws = Workspace.open(home)
    store = ws.store
    client = next(iter(ws.docs("client")))
    for n in range(20):  # something for the checkpoint to cover
        ws.update("client", client["uid"], notes=f"checkpoint bench {n}")
    started = time.perf_counter()
    if mode == "idle":
        deadline = started + IDLE_S
        held = 0.0
        lags = lag_while(lambda: time.perf_counter() < deadline)
    elif mode == "fork":
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            code = 0
            try:
                store._write_view()
            except BaseException:
                code = 1
            os._exit(code)
        held = time.perf_counter() - started
        finished: list[int] = []

        def forked_running() -> bool:
            if not finished and os.waitpid(pid, os.WNOHANG)[0]:
                finished.append(pid)
            return not finished

        lags = lag_while(forked_running)
    elif mode == "thread":
        writer = threading.Thread(target=store._write_view)
        writer.start()
        held = time.perf_counter() - started
        lags = lag_while(writer.is_alive)
        writer.join()
    else:
        store.checkpoint(background=True)
        held = time.perf_counter() - started
        child = store._child
        assert child is not None, "no background process was started"
        lags = lag_while(lambda: child.poll() is None)
        assert child.returncode == 0, f"the checkpoint process failed: {child.returncode}"
        store._reap_child(block=True)
    done = time.perf_counter() - started
    ws.close(checkpoint="never")
    return {
        "held_ms": held * 1000,
        "done_s": done,
        "lag_max_ms": max(lags) * 1000,
        "lag_p99_ms": percentile(lags, 99) * 1000,
        "ticks": len(lags),
    }


def run_worker(home: Path, mode: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", mode, "--home", str(home)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="firm-5y")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.umask(0o077)
    os.environ.setdefault("PULSETUI_CONFIG", str(generate.OUT / "no-config.toml"))
    if args.worker:
        print(json.dumps(worker(args.home, args.worker)))
        return
    subprocess.run([sys.executable, generate.__file__, "--scale", args.scale], check=True)
    work = generate.OUT / f"checkpoint-{args.scale}"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(generate.OUT / args.scale, work)
    results: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    try:
        for _ in range(args.repeat):
            for mode in MODES:
                results[mode].append(run_worker(work, mode))
    finally:
        shutil.rmtree(work)
    load = os.getloadavg()
    print(
        f"\n== background checkpoint at {args.scale}, median of {args.repeat} "
        f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )
    print(f"  {'mode':<8} {'worst lag':>10} {'p99 lag':>9} {'caller held':>12} {'on disk':>9}")
    for mode in MODES:
        runs = results[mode]

        def med(key: str, runs: list[dict[str, Any]] = runs) -> float:
            return statistics.median(run[key] for run in runs)

        on_disk = "" if mode == "idle" else f"{med('done_s'):.2f} s"
        print(
            f"  {mode:<8} {med('lag_max_ms'):>7.1f} ms {med('lag_p99_ms'):>6.1f} ms "
            f"{med('held_ms'):>9.1f} ms {on_disk:>9}"
        )


if __name__ == "__main__":
    main()
