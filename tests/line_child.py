"""A long-lived child Python process spoken to in lines (its stdin) and read in lines
(its stdout), for the crash tests: it imports pulsetui once and forks one short-lived
writer per round, so each kill costs a fork instead of an interpreter start-up, and
the fork happens in a process with one thread (a fork of the test process itself, which
runs threads of its own under pytest-xdist, may deadlock in the child)."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path


class LineChild:
    """``python -c script *args``, with a line reader over its stdout."""

    def __init__(self, script: str, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.stdout, selectors.EVENT_READ)
        self.buffer = b""

    def send(self, line: str) -> None:
        self.stdin.write(line.encode() + b"\n")

    def line(self, timeout: float) -> str | None:
        """The next line, or None if none came within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                return None
            chunk = os.read(self.stdout.fileno(), 65536)
            if not chunk:
                raise AssertionError("the child process ended")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        """End it: stdin closed, then killed if it is still there after 10 s."""
        self.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def pids_naming(arg: str) -> list[int]:
    """The processes (other than this one) with ``arg`` as one of their arguments, read
    from ``/proc``; none where there is no ``/proc``."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if os.fsencode(arg) in args and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    return found


def kill_and_wait(pids: set[int], timeout: float = 30.0) -> None:
    """SIGKILL each process and wait until it has ended (a zombie holds no file or lock)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while live := [pid for pid in pids if _running(pid)]:
        assert time.monotonic() < deadline, f"processes {live} did not end"
        time.sleep(0.005)


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return not Path("/proc").is_dir()  # no /proc: alive as far as kill(0) can tell
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
