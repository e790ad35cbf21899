"""The demo firm: a deterministic workspace with a year of history in every record kind.

Three managers, twelve consultants and eight clients, with names in Finnish, Estonian
and Russian, and every situation the red flags are about: an overdue pulse and an
overdue client meeting, broken and overdue agreements, a detractor and a falling NPS,
unpaid invoices and slow approvals, a team grown for unplanned work, wishes accepted
without a plan, promised work delivered early and free, unprocessed feedback, a main
communicator unchanged for over a year, a purely technical communicator, and an
onboarding client with too little contact.

The same ``seed`` and ``today`` give the same records, byte for byte in
``pulsetui export --format json``: uids come from a seeded random generator and every
timestamp from a simulated clock, never from the machine's.

The history is written on its real days: each change carries the clock of the day
it happened (:mod:`.timeline`), so clients move on the 2x2 grid between quarters, a
red flag addressed in June comes back in the autumn, a consultant's pulses sink,
main communicators hand over, one client is fed features without stabilisation and
a new client counts down its first three months (:mod:`.turns`).

The firm itself is plain data (:mod:`.firm`, :mod:`.stories`); :mod:`.builder`,
:mod:`.meetings` and :mod:`.turns` write it into a workspace; this module makes the
workspace folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES
from pulsetui.service.config import Config
from pulsetui.service.demo.builder import DemoBuilder, SimClock
from pulsetui.service.demo.firm import CLIENTS, CONSULTANTS, MANAGERS
from pulsetui.service.demo.meetings import client_meetings
from pulsetui.service.demo.timeline import Recorder, relaid, rewrite_journal
from pulsetui.service.demo.turns import year_turns
from pulsetui.service.workspace import LOCAL_NAME, Workspace, loose_key
from pulsetui.store.fsutil import atomic_write
from pulsetui.store.locks import FileLock, app_holder
from pulsetui.store.store import (
    LOCK_NAME,
    LOCK_WAIT_SECONDS,
    REPLICA_NAME,
    VIEW_NAME,
    Store,
    WorkspaceLocked,
)

DEMO_TODAY = dt.date(2026, 11, 20)
DEMO_SEED = 7

Progress = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    """What :func:`create_demo` made (plain data: no open workspace)."""

    home: Path
    me: str
    managers: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# ---- the workspace folder ----------------------------------------------------------------


def workspace_exists(home: Path) -> bool:
    return (home / REPLICA_NAME).exists() or (home / "journal").exists()


def _wipe_workspace(home: Path) -> None:
    """Remove pulsetui's own files from ``home`` (refused while another holds the lock)."""
    lock = FileLock(home / LOCK_NAME, "replacing the workspace's files", create=False)
    try:
        if not lock.acquire(exclusive=True, wait=LOCK_WAIT_SECONDS):
            who = app_holder(home) or "a command or the eNPS screen"
            raise WorkspaceLocked(
                f"the workspace {home} is open in another pulsetui ({who}); close it first"
            )
    finally:
        lock.close()
    for name in (REPLICA_NAME, VIEW_NAME, LOCAL_NAME):
        with contextlib.suppress(FileNotFoundError):
            (home / name).unlink()
    for stale in home.glob(f".{VIEW_NAME}.*.tmp"):
        stale.unlink(missing_ok=True)
    if (home / "journal").is_dir() and not (home / "journal").is_symlink():
        shutil.rmtree(home / "journal")


# the demo's history reaches about two and a half years back and a few months ahead;
# every date of it must stay inside the calendar the records accept
DEMO_EARLIEST = dt.date(1905, 1, 1)
DEMO_LATEST = dt.date(2195, 12, 31)


def create_demo(
    home: Path,
    today: dt.date = DEMO_TODAY,
    seed: int = DEMO_SEED,
    *,
    as_name: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> DemoSummary:
    """Create the demo firm in ``home`` and sign in as one of its managers.

    Refuses an existing workspace unless ``force``. ``as_name`` picks the manager
    (default: the first). ``progress(step, done, total)`` is told how far it got."""
    home = Path(home)
    if not DEMO_EARLIEST <= today <= DEMO_LATEST:
        raise InvalidInput.one(
            "today", f"must be between {DEMO_EARLIEST} and {DEMO_LATEST} (got {today})"
        )
    if as_name is not None and not any(loose_key(as_name) == loose_key(m[0]) for m in MANAGERS):
        names = ", ".join(m[0] for m in MANAGERS)
        raise InvalidInput.one("as", f"must be one of the demo managers: {names}")
    if workspace_exists(home):
        if not force:
            raise InvalidInput.one(
                "home", f"{home} already holds a workspace; use --force to replace it"
            )
        _wipe_workspace(home)
    clock = SimClock(dt.datetime.combine(today, dt.time(9)))
    store = Store.open(home, exclusive=True)
    ws = Workspace(store, Config(), clock)
    recorder = Recorder(clock)
    store.listeners.append(recorder)
    try:
        builder = DemoBuilder(ws, clock, today, seed)
        steps: list[tuple[str, Callable[[], None]]] = [
            ("people", builder.people),
            ("clients", builder.client_records),
            ("engagements", builder.engagements),
        ]
        steps += [
            (f"pulses {c[0]}", _bind(DemoBuilder.pulses, builder, i))
            for i, c in enumerate(CONSULTANTS)
        ]
        for i, plan in enumerate(CLIENTS):
            steps.append((f"meetings {plan.name}", _bind(client_meetings, builder, i)))
            steps.append((f"NPS {plan.name}", _bind(DemoBuilder.nps, builder, i)))
            steps.append((f"touchpoints {plan.name}", _bind(DemoBuilder.touchpoints, builder, i)))
            steps.append((f"requests {plan.name}", _bind(DemoBuilder.requests, builder, i)))
        steps.append(("eNPS", builder.enps))
        steps.append(("weekly reports", builder.weekly_work))
        steps.append(("the year's turns", lambda: year_turns(builder)))
        for done, (label, step) in enumerate(steps):
            if progress is not None:
                progress(label, done, len(steps))
            step()
        if progress is not None:
            progress("done", len(steps), len(steps))
        me = builder.managers[0]
        if as_name is not None:
            me = next(m for m in builder.managers if loose_key(m.name) == loose_key(as_name))
        atomic_write(home / LOCAL_NAME, orjson.dumps({"me": me.uid}))
        counts = {name: ws.count(name) for name in ENTITIES}
        summary = DemoSummary(
            home=home,
            me=me.name,
            managers=[m.name for m in builder.managers],
            counts={k: v for k, v in counts.items() if v},
        )
    finally:
        store.listeners.remove(recorder)
        ws.close(checkpoint="never")
    rewrite_journal(home, relaid(recorder.saves, store.rid))
    # the view, built from the journal laid down
    Store.open(home, exclusive=True).close(checkpoint="always")
    return summary


def _bind(
    step: Callable[[DemoBuilder, int], None], builder: DemoBuilder, index: int
) -> Callable[[], None]:
    return lambda: step(builder, index)
