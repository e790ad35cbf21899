"""Health checks of a local workspace, as a list of findings (no UI here).

``check_workspace(home)`` looks at the journal (header, torn tail, corrupt lines), the
view (loaded, missing, stale or corrupt), the lock (held by another process?) and the
file modes (0600 files, 0700 folders). Other parts add their own checks by appending
a function to :data:`CHECKS`.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pulsetui.domain.words import counted
from pulsetui.store import viewfile
from pulsetui.store.fsutil import DIR_MODE, FILE_MODE
from pulsetui.store.journal import JOURNAL_NAME, Journal, ReplayStats
from pulsetui.store.locks import FileLock, app_holder
from pulsetui.store.store import LOCK_NAME, REPLICA_NAME, VIEW_NAME, Store, StoreError


class Level(StrEnum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Finding:
    """One thing a check found: what it looked at, how bad, and what it saw."""

    check: str
    level: Level
    message: str

    @property
    def is_problem(self) -> bool:
        return self.level == Level.PROBLEM

    def __str__(self) -> str:
        return f"{self.level.value:<7} {self.check}: {self.message}"


Check = Callable[[Path], list[Finding]]


def check_lock(home: Path) -> list[Finding]:
    """Is the workspace open in another process right now (the app, a command)?"""
    path = home / LOCK_NAME
    if not path.exists():
        return [Finding("lock", Level.OK, "not held (no lock file yet)")]
    app = app_holder(home)
    if app:
        return [Finding("lock", Level.INFO, f"held by {app}: commands work beside it")]
    lock = FileLock(path, "checking", create=False)
    try:
        if lock.acquire(exclusive=True):
            return [Finding("lock", Level.OK, "not held by any process")]
        holder = lock.holder()  # named only by one that needs the workspace to itself
        if holder:
            return [Finding("lock", Level.WARNING, f"held by {holder}: wait for it to finish")]
        return [Finding("lock", Level.INFO, "held: another pulsetui command has it open")]
    finally:
        lock.close()


def check_modes(home: Path) -> list[Finding]:
    """Files must be 0600 and folders 0700 (nobody else may read the workspace)."""
    found: list[Finding] = []
    paths = [home, *sorted(home.rglob("*"))]
    wrong = 0
    for path in paths:
        try:
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            found.append(Finding("modes", Level.PROBLEM, f"{path} is a symbolic link"))
            continue
        want = DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
        mode = stat.S_IMODE(info.st_mode)
        if mode & ~want:
            wrong += 1
            found.append(
                Finding(
                    "modes",
                    Level.PROBLEM,
                    f"{path} is {mode:04o}, should be {want:04o} (chmod {want:o} '{path}')",
                )
            )
    if not wrong and not found:
        found.append(Finding("modes", Level.OK, f"{len(paths)} paths private (0600/0700)"))
    return found


def check_journal_and_view(home: Path) -> list[Finding]:
    """Read the journal and the view the way opening does, without changing anything."""
    found: list[Finding] = []
    journal = Journal(home / "journal")
    if not journal.path.exists():
        return [Finding("journal", Level.PROBLEM, f"{journal.path} is missing")]
    if journal.read_header() is None:
        found.append(
            Finding("journal", Level.PROBLEM, f"{JOURNAL_NAME}: first line is not a journal header")
        )
    try:
        store = Store.open(home, readonly=True)
    except StoreError as exc:
        return [*found, Finding("workspace", Level.PROBLEM, str(exc))]
    report = store.report
    stats: ReplayStats = report.stats
    if report.view == "loaded":
        # the view covered part of the journal; count the whole journal for the report
        full = ReplayStats()
        for _ in journal.replay(0, full):
            pass
        stats = full
    found.append(
        Finding(
            "journal",
            Level.OK,
            f"{counted(stats.lines, 'save')}, {counted(stats.ops, 'op')}, "
            f"{counted(journal.size(), 'byte')}",
        )
    )
    if stats.torn_tail_bytes:
        found.append(
            Finding(
                "journal",
                Level.WARNING,
                f"torn last line ({stats.torn_tail_bytes} bytes from an interrupted save); "
                "it is cut off the next time the workspace is opened for writing",
            )
        )
    if stats.corrupt_lines:
        found.append(
            Finding("journal", Level.PROBLEM, f"{stats.corrupt_lines} corrupt line(s) were skipped")
        )
    damage = _records_damage(home / VIEW_NAME) if report.view == "loaded" else None
    if damage:
        found.append(
            Finding(
                "view",
                Level.WARNING,
                f"{VIEW_NAME} is corrupt ({damage}); delete it to have it rebuilt from the "
                "journal at the next start (the app also sets it aside when it notices)",
            )
        )
    elif report.view == "loaded":
        found.append(
            Finding(
                "view",
                Level.OK,
                f"{VIEW_NAME} loaded, its records' checksum checked; "
                f"{report.replayed_ops} newer op(s) replayed from the journal",
            )
        )
    elif report.view == "missing":
        found.append(
            Finding("view", Level.INFO, f"{VIEW_NAME} missing; rebuilt from the journal on open")
        )
    else:
        detail = f" ({report.view_problem})" if report.view_problem else ""
        found.append(
            Finding(
                "view",
                Level.WARNING,
                f"{VIEW_NAME} is {report.view}{detail}; rebuilt from the journal on next open",
            )
        )
    return found


def _records_damage(path: Path) -> str | None:
    """What is wrong with the records of an indexed view file (opening does not read
    them all); None for a sound file or the plain layout of the first format."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(viewfile.HEADER_LEN)
    except OSError as exc:
        return exc.strerror or str(exc)
    return viewfile.check_records(path) if viewfile.is_indexed(head) else None


CHECKS: list[Check] = [check_journal_and_view, check_lock, check_modes]


def check_workspace(home: Path) -> list[Finding]:
    """Run every check on the workspace at ``home``."""
    if not home.exists() or not (home / REPLICA_NAME).exists():
        return [Finding("workspace", Level.PROBLEM, f"no pulsetui workspace at {home}")]
    findings: list[Finding] = []
    for check in CHECKS:
        try:
            findings.extend(check(home))
        except OSError as exc:
            findings.append(Finding(check.__name__, Level.PROBLEM, f"{exc.strerror or exc}"))
    return findings
