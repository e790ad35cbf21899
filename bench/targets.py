"""The performance targets, each measured beside a baseline in the same run, printed as
ratios with PASS or FAIL. ``make bench`` runs every section; ``--only`` picks some.

Sections (each run in fresh processes; the measured thing and its baseline take turns,
``--repeat`` times, and the medians are compared):

- ``open`` (firm-5y): ``Workspace.open`` with no UI (lock, journal, view, sign-in),
  beside SQLite's connect and first read (one record by uid, from a database of the
  same records): what opening a store that reads nothing up front costs on this
  machine at this moment. Target: open <= 150 ms.
- ``rss`` (firm-5y): the peak resident memory of each command-line command, started as
  a user starts it (``python -m pulsetui``), beside a SQLite process streaming the same
  records out of that database. Target: <= 150 MB every command.
- ``sync`` (firm-year, 50 replicas): the first sync pass of a new workspace, beside its
  floor: reading the same segment files and parsing every line with orjson. Target:
  <= 3x the floor.

First the terminal app's sections (``tui_targets.py``): ``startup`` (tmux), ``headless``
(start and every first screen open) and ``typing`` (tmux). Data
comes from ``bench/generate.py`` and ``bench/sync_bench.py``, cached in ``bench/out/``.
Run: ``python bench/targets.py [--only startup,headless,typing,open,rss,sync] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import tui_targets  # noqa: E402
from rows import Row  # noqa: E402

PULSETUI = [sys.executable, "-m", "pulsetui"]  # the command as a user starts it
OPEN_TARGET_MS = 150.0
RSS_TARGET_MB = 150.0
SYNC_TARGET_RATIO = 3.0


def fresh(code: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run ``code`` in a fresh interpreter; it prints one JSON value last."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"a measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# A small process that starts the command and reports its peak memory: a child's peak
# also counts what its parent held when it forked, and this runner holds a good deal.
MEASURER = r"""
import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the command's output goes nowhere
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def peak_rss_mb(command: list[str], codes: tuple[int, ...] = (0,)) -> float:
    """Peak resident memory of ``command``, in MB; ``codes``: the exit codes that mean
    it did its work."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", MEASURER, *command],
        capture_output=True,
        text=True,
        check=False,
    )
    *_, last = done.stdout.strip().splitlines() or [""]
    peak, _, code = last.partition(" ")
    if not code or int(code) not in codes:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{done.stderr}")
    return int(peak) / 1024


# ---- the SQLite baseline -----------------------------------------------------------------


def sqlite_copy(scale: str) -> Path:
    """A SQLite database of the same records (uid, kind, JSON), made once per scale."""
    target = generate.OUT / f"{scale}.sqlite"
    info = generate.OUT / scale / "bench-info.json"
    if target.exists() and target.stat().st_mtime >= info.stat().st_mtime:
        return target
    print(f"building the SQLite baseline {target} ...", file=sys.stderr, flush=True)
    code = r"""
import json, sqlite3, sys
from pulsetui.service.workspace import Workspace
from pulsetui.store.view import public_fields
db = sqlite3.connect(sys.argv[2])
db.execute("create table records (uid text primary key, kind text, doc text)")
db.execute("create index records_kind on records (kind)")
with Workspace.open(sys.argv[1], readonly=True) as ws:
    for kind in ws.store.view.tables:
        rows = ((d["uid"], kind, json.dumps(public_fields(d))) for d in ws.docs(kind))
        db.executemany("insert into records values (?, ?, ?)", rows)
db.commit()
db.close()
print(json.dumps(None))
"""
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    fresh(code, str(generate.OUT / scale), str(partial))
    partial.rename(target)
    return target


SQLITE_OPEN = r"""
import json, sqlite3, sys, time
started = time.perf_counter()
db = sqlite3.connect(sys.argv[1])
db.execute("select doc from records where uid = ?", (sys.argv[2],)).fetchone()
print(json.dumps((time.perf_counter() - started) * 1000))
"""

SQLITE_STREAM = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open("/dev/null", "w") as out:
    for (doc,) in db.execute("select doc from records where kind = ? order by uid", (sys.argv[2],)):
        out.write(doc)
"""

WORKSPACE_OPEN = r"""
import json, sys, time
from pulsetui.service.workspace import Workspace
started = time.perf_counter()
ws = Workspace.open(sys.argv[1])
took = (time.perf_counter() - started) * 1000
assert ws.store.report.view == "loaded", ws.store.report
ws.close(checkpoint="never")
print(json.dumps(took))
"""

IDS = r"""
import json, sys
from pulsetui.service.workspace import Workspace
with Workspace.open(sys.argv[1], readonly=True) as ws:
    view = ws.store.view
    client = next(ws.docs("client", manager=ws.me))
    pulse = next(ws.docs("pulse", manager=ws.me))  # another manager's is private
    print(json.dumps({
        "client": client["uid"],
        "consultant": next(ws.docs("consultant", manager=ws.me))["uid"],
        "agreement": next(ws.docs("agreement", client=client["uid"]))["uid"],
        "pulse": pulse["uid"],
        "meeting": next(view.docs("meeting"))["uid"],
    }))
"""


# ---- sections ----------------------------------------------------------------------------


def bench_open(repeat: int) -> list[Row]:
    home = Path(generate.ensure("firm-5y"))
    database = sqlite_copy("firm-5y")
    uid = fresh(IDS, str(home))["pulse"]
    opens, baseline = [], []
    for _ in range(repeat):
        opens.append(fresh(WORKSPACE_OPEN, str(home)))
        baseline.append(fresh(SQLITE_OPEN, str(database), uid))
    value = statistics.median(opens)
    return [
        Row(
            "open workspace, no UI (firm-5y)",
            value,
            "ms",
            statistics.median(baseline),
            value <= OPEN_TARGET_MS,
            f"<= {OPEN_TARGET_MS:.0f} ms",
        )
    ]


def commands(ids: dict[str, str], shared: Path) -> list[list[str]]:
    """Every command of the command line, with arguments a user would give at firm-5y."""
    kinds = [
        "managers",
        "consultants",
        "clients",
        "engagements",
        "pulses",
        "meetings",
        "agenda",
        "agreements",
        "nps",
        "enps",
        "touchpoints",
        "requests",
        "flag_acks",
    ]
    client, consultant = ids["client"], ids["consultant"]
    return [
        ["locate"],
        ["doctor"],
        *(["list", kind] for kind in kinds),
        ["list", "agenda", "--json"],
        ["list", "agreements", "--jsonl"],
        ["list", "agreements", "--client", client, "--json"],
        ["show", "client", client],
        ["show", "pulse", ids["pulse"], "--json"],
        ["export", "--format", "json"],
        ["export", "--format", "ics"],
        ["export", "--format", "csv", "--table", "nps"],
        ["export", "--format", "csv", "--table", "enps"],
        ["export", "--format", "csv", "--table", "agreements"],
        ["today"],
        ["search", "plan"],
        ["brief", "--client", client],
        ["hats"],
        ["segments"],
        ["backup", "{tmp}.backup"],
        ["flags"],
        ["flags", "--all", "--json"],
        ["health", "--client", client],
        ["report", "weekly", "--client", client],
        ["nps", "report", "--by", "client"],
        ["enps", "report"],
        ["duplicates", "client"],
        ["client", "add", "--name", "Bench Oy ä"],
        ["client", "set", client, "--notes", "bench note"],
        ["pulse", "add", "--consultant", consultant, "--wellbeing", "4"],
        ["meeting", "add", "--client", client, "--date", "+1w"],
        ["agenda", "add", "--client", client, "--text", "bench topic"],
        ["agreement", "add", "--client", client, "--text", "bench", "--side", "us"],
        ["agreement", "done", ids["agreement"]],
        ["nps", "add", "--client", client, "--score", "9"],
        ["touchpoint", "add", "--client", client, "--kind", "call"],
        ["request", "add", "--client", client, "--kind", "wish", "--text", "bench"],
        ["--shared", str(shared), "sync"],
        ["--shared", str(shared), "sync", "--check"],
    ]


def bench_rss(repeat: int) -> list[Row]:
    source = Path(generate.ensure("firm-5y"))
    database = sqlite_copy("firm-5y")
    work = Path(tempfile.mkdtemp(prefix="pulsetui-rss-", dir=generate.OUT))
    try:
        home = work / "firm-5y"
        shutil.copytree(source, home)
        shared = work / "shared"
        subprocess.run(
            [*PULSETUI, "--home", str(home), "--shared", str(shared), "sync", "init"],
            check=True,
            capture_output=True,
        )
        ids = fresh(IDS, str(home))
        rows = []
        baseline = statistics.median(
            peak_rss_mb([sys.executable, "-c", SQLITE_STREAM, str(database), "agenda"])
            for _ in range(repeat)
        )
        for args in commands(ids, shared):
            # doctor and sync --check say "problems found" with exit 1 (the generated
            # history runs ahead of this machine's clock)
            codes = (0, 1) if args[-1] in ("doctor", "--check") else (0,)
            command = [*PULSETUI, "--home", str(home), *args]
            peaks = [  # a file written ({tmp}) goes to a fresh name each run
                peak_rss_mb([a.replace("{tmp}", f"{work}/run{n}") for a in command], codes)
                for n in range(repeat)
            ]
            value = statistics.median(peaks)
            rows.append(
                Row(
                    "rss: pulsetui " + " ".join(a if len(a) < 20 else "…" for a in args),
                    value,
                    "MB",
                    baseline,
                    value <= RSS_TARGET_MB,
                    f"<= {RSS_TARGET_MB:.0f} MB",
                )
            )
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


SYNC_FLOOR = r"""
import json, os, sys, time
import orjson
root = os.path.join(sys.argv[1], "pulsetui", "replicas")
started = time.perf_counter()
lines = 0
for rid in sorted(os.listdir(root)):
    folder = os.path.join(root, rid, "seg")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as handle:
            for line in handle.read().splitlines():
                orjson.loads(line)
                lines += 1
print(json.dumps(time.perf_counter() - started))
"""

SYNC_JOIN = r"""
import json, sys, time
from pathlib import Path
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.sync.engine import SyncEngine
ws = Workspace.open(Path(sys.argv[2]), me="New Manager", config=Config())
engine = SyncEngine(ws, Path(sys.argv[1]))
started = time.perf_counter()
report = engine.run_once()
took = time.perf_counter() - started
assert report.ingested_ops > 200_000, report.lines()[:5]
engine.close()
ws.close(checkpoint="never")
print(json.dumps(took))
"""


def sync_folder() -> Path:
    """The firm-year shared folder of ``sync_bench.py``, written once."""
    import sync_bench

    base = generate.OUT / f"sync-firm-year-v{generate.GENERATOR_VERSION}"
    shared = base / "shared"
    if not (base / "done").exists():
        print(f"writing the firm-year shared folder in {base} ...", file=sys.stderr, flush=True)
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        per_rid, answers = sync_bench.firm_ops()
        sync_bench.write_folder(shared, per_rid, answers)
        (base / "replicas.json").write_text(json.dumps(sorted(per_rid)))
        (base / "done").touch()
    return shared


def bench_sync(repeat: int) -> list[Row]:
    shared = sync_folder()
    replicas = set(json.loads((shared.parent / "replicas.json").read_text()))
    joins, floors = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="pulsetui-join-") as home:
            joins.append(fresh(SYNC_JOIN, str(shared), str(Path(home) / "ws")))
        for extra in (shared / "pulsetui" / "replicas").iterdir():
            if extra.name not in replicas:  # the joiner's own first segment
                shutil.rmtree(extra)
        floors.append(fresh(SYNC_FLOOR, str(shared)))
    value, floor = statistics.median(joins), statistics.median(floors)
    return [
        Row(
            "sync first join (firm-year, 50 replicas)",
            value,
            "s",
            floor,
            value <= SYNC_TARGET_RATIO * floor,
            f"<= {SYNC_TARGET_RATIO:.0f}x floor",
        )
    ]


SECTIONS: dict[str, Callable[[int], list[Row]]] = {
    "startup": tui_targets.bench_startup,
    "headless": tui_targets.bench_headless,
    "typing": tui_targets.bench_typing,
    "open": bench_open,
    "rss": bench_rss,
    "sync": bench_sync,
}


def compile_bytecode() -> int:
    """Write the bytecode of the installed pulsetui and its libraries, as ``pip install``
    does for a user: a start then reads it instead of compiling every module from source.
    Without this, a machine that sets PYTHONDONTWRITEBYTECODE compiles the ~120
    pulsetui modules the app imports at every start measured, while the bare app's
    Textual is compiled already. Returns the number of folders compiled."""
    import compileall
    import importlib.util

    folders = []
    for name in ("pulsetui", "textual", "rich", "pydantic", "click", "tinydb"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders.extend(spec.submodule_search_locations)
    for folder in folders:
        compileall.compile_dir(folder, quiet=1)
    return len(folders)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (median)")
    args = parser.parse_args()
    os.umask(0o077)
    os.environ.setdefault("PULSETUI_CONFIG", str(generate.OUT / "no-config.toml"))
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    compile_bytecode()
    started = time.perf_counter()
    load = os.getloadavg()
    print(f"pulsetui targets; load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"  {'measured':<48} {'value':>12} {'baseline':>13} {'ratio':>8}  {'target':<14}")
    rows: list[Row] = []
    for name in chosen:
        section = SECTIONS[name](args.repeat)
        for row in section:
            print(row.line(), flush=True)
        rows.extend(section)
    load = os.getloadavg()
    judged = [row for row in rows if row.passed is not None]
    failed = [row for row in judged if not row.passed]
    print(
        f"{len(judged) - len(failed)} of {len(judged)} targets met in "
        f"{time.perf_counter() - started:.0f} s; load average at the end "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
