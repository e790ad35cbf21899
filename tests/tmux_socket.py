"""Each tmux-driven test runs its terminal on a tmux server of its own (``tmux -L
name``): tests running side by side on one server race when its last session ends (the
server exits as another test's new session connects to it, and that one fails with
"server exited unexpectedly")."""

from __future__ import annotations

import os
from pathlib import Path


def socket_file(socket: str) -> Path:
    """Where tmux keeps the server socket named ``socket`` (left behind when it exits)."""
    return Path(os.environ.get("TMUX_TMPDIR", "/tmp"), f"tmux-{os.getuid()}", socket)
