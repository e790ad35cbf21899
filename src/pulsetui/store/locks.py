"""The workspace's locks: which process may do what at the same time (Linux and macOS).

Every lock is an ``flock`` on a file in ``<home>``; the kernel drops it when its
process ends however it ends, so a killed process never leaves a lock behind. While a
process holds one of them exclusively, the file names it (``pid host what``) for the
messages of those who have to wait.

``lock``
    Held *shared* by every process that has the workspace open for writing (the app,
    a command, the eNPS screen) for as long as it is open; *exclusively* only by what
    replaces the workspace's files (a restore, ``demo --force``), which is therefore
    refused while anything has it open, and makes every other writer wait.
``write.lock``
    One save at a time, held for milliseconds: the writer takes in what other processes
    appended, cuts a line torn by a writer that was killed, appends its own line and
    fsyncs it. Readers hold it shared only while they find where the complete lines end.
``view.lock``
    Whoever writes the view file (a checkpoint of the app, its background process, a
    command at close); a writer that finds it taken skips its write (the journal is the
    truth; the next start replays a little more).
``sync.lock``
    One sync pass at a time (the app's background pass, ``pulsetui sync``).
``app.lock``
    The manager's app, for its whole life: a second app on the same workspace is refused
    with the first one's process and host. Commands and the eNPS screen never take it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import time
from pathlib import Path

from pulsetui.store.fsutil import FILE_MODE

LOCK_NAME = "lock"
WRITE_LOCK_NAME = "write.lock"
VIEW_LOCK_NAME = "view.lock"
SYNC_LOCK_NAME = "sync.lock"
APP_LOCK_NAME = "app.lock"
_BUSY = (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)


class WorkspaceLocked(RuntimeError):
    """Another pulsetui holds what this one needs, for longer than it may wait."""


class FileLock:
    """One ``flock`` on ``<home>/<name>``: shared or exclusive, with a bounded wait.

    Held per open file, so two of these on one file conflict even in one process
    (the store uses each from one thread at a time, under its own mutex)."""

    def __init__(self, path: Path, what: str, create: bool = True) -> None:
        self.path = path
        self.what = what
        self.create = create  # False: a lock file that is missing is taken by no one
        self._fd: int | None = None
        self._writable = False
        self.held: str = ""  # "" | "shared" | "exclusive"

    def _open(self) -> int | None:
        if self._fd is not None:
            return self._fd
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        create = os.O_CREAT if self.create else 0
        try:
            fd = os.open(self.path, os.O_RDWR | create | nofollow, FILE_MODE)
            self._writable = True
            with contextlib.suppress(OSError):
                os.fchmod(fd, FILE_MODE)
        except OSError:
            try:  # a workspace this user may only read: a read-only lock still works
                fd = os.open(self.path, os.O_RDONLY | nofollow)
            except OSError:
                return None
        self._fd = fd
        return fd

    def acquire(self, exclusive: bool = True, wait: float = 0.0) -> bool:
        """Take the lock, trying for up to ``wait`` seconds; False when it stayed taken.

        A lock file that cannot be opened at all (a read-only copy of a workspace)
        counts as taken by no one: True."""
        import fcntl

        fd = self._open()
        if fd is None:
            return True
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait
        pause = 0.002
        while True:
            try:
                fcntl.flock(fd, mode)
                break
            except OSError as exc:
                if exc.errno not in _BUSY:
                    raise
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        self.held = "exclusive" if exclusive else "shared"
        if exclusive and self._writable:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()} {host_name()} {self.what}\n".encode(), 0)
        return True

    def release(self) -> None:
        """Let go (the holder's name is cleared first)."""
        if self._fd is None or not self.held:
            return
        import fcntl

        if self.held == "exclusive" and self._writable:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
        with contextlib.suppress(OSError):
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self.held = ""

    def close(self) -> None:
        self.release()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def holder(self) -> str:
        """Who holds it exclusively, as "process N on HOST (what)"; "" when unknown."""
        return describe_holder(read_holder(self.path))

    def is_taken(self) -> bool:
        """Whether another open file holds this lock now (it is not taken here)."""
        if self.acquire(exclusive=True, wait=0.0):
            self.release()
            return False
        return True


def read_holder(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(256).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def describe_holder(text: str) -> str:
    """``pid host what`` (or an older version's bare pid) as words."""
    parts = text.split(None, 2)
    if not parts or not parts[0].isdigit():
        return ""
    said = f"process {parts[0]}"
    if len(parts) > 1:
        said += f" on {parts[1]}"
    if len(parts) > 2:
        said += f" ({parts[2]})"
    return said


def holder_running(path: Path) -> bool:
    """Whether the lock at ``path`` is held by a process on this computer that is
    running: not stopped (Ctrl-Z, ``kill -STOP``) and not ended. False when that cannot
    be told (another computer, an older version's bare pid, no way to ask)."""
    parts = read_holder(path).split(None, 2)
    if len(parts) < 2 or not parts[0].isdigit() or parts[1] != host_name():
        return False
    return process_state(int(parts[0])) not in ("", "T", "t", "Z", "X")


def process_state(pid: int) -> str:
    """The state letter of process ``pid`` (``R``, ``S``, ``D``, ``T`` stopped, ``Z``
    ended...) from ``/proc`` on Linux or ``ps`` elsewhere; "" when it is not there or
    cannot be told."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        if Path("/proc/self/stat").exists():
            return ""  # /proc is there: the process is not
    import subprocess

    try:
        found = subprocess.run(
            ["ps", "-o", "state=", "-p", str(pid)],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip()[:1]


def host_name() -> str:
    try:
        return socket.gethostname().split(".")[0] or "this computer"
    except OSError:
        return "this computer"


def app_holder(home: Path) -> str:
    """The app that has ``home`` open ("process N on HOST (the app)"), or ""."""
    lock = FileLock(home / APP_LOCK_NAME, "the app")
    try:
        return lock.holder() if lock.path.exists() and lock.is_taken() else ""
    finally:
        lock.close()
