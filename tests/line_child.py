"""A long-lived child Python process spoken to in lines (its stdin) and read in lines
(its stdout), for the crash tests: it imports pulsetui once and forks one short-lived
writer per round, so each kill costs a fork instead of an interpreter start-up, and
the fork happens in a process with one thread (a fork of the test process itself, which
runs threads of its own under pytest-xdist, may deadlock in the child)."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time


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
