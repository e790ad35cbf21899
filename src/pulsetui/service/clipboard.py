"""Copying text to the clipboard honestly: which way is there, and what to tell the user.

Where the session is local and the platform has a clipboard tool (``pbcopy`` on macOS,
``wl-copy`` under Wayland, ``xclip`` or ``xsel`` under X11), the text is piped to it and
the user is told it was copied once the tool says so. Over SSH the machine's clipboard
is not the user's, so no tool is used. Otherwise the text can only be sent to the
terminal as an OSC 52 sequence (the front-end does that); whether it arrives depends
on the terminal and on tmux (``set -g set-clipboard on``), which cannot be checked, so
the message says it was *sent to the terminal* and how to save to a file instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

TOOL_TIMEOUT = 5.0
OSC52_MAX_BYTES = 100_000  # many terminals drop longer OSC 52 payloads


@dataclass(frozen=True)
class ClipboardTool:
    name: str
    argv: tuple[str, ...]


@dataclass(frozen=True)
class CopyOutcome:
    """What happened: ``copied`` by a tool, or to be ``sent_to_terminal`` (OSC 52) by
    the front-end; ``message`` is what to show either way."""

    copied: bool
    sent_to_terminal: bool
    message: str


Which = Callable[[str], str | None]
Runner = Callable[..., subprocess.CompletedProcess[bytes]]


def over_ssh(env: Mapping[str, str]) -> bool:
    return any(env.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def clipboard_tool(
    env: Mapping[str, str], platform: str = sys.platform, which: Which = shutil.which
) -> ClipboardTool | None:
    """The local clipboard tool for this session, or None (over SSH, or none found)."""
    if over_ssh(env):
        return None
    candidates: list[ClipboardTool] = []
    if platform == "darwin":
        candidates.append(ClipboardTool("pbcopy", ("pbcopy",)))
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(ClipboardTool("wl-copy", ("wl-copy",)))
    if env.get("DISPLAY"):
        candidates.append(ClipboardTool("xclip", ("xclip", "-selection", "clipboard", "-in")))
        candidates.append(ClipboardTool("xsel", ("xsel", "--clipboard", "--input")))
    for tool in candidates:
        found = which(tool.argv[0])
        if found:
            return ClipboardTool(tool.name, (found, *tool.argv[1:]))
    return None


def terminal_message(env: Mapping[str, str], what: str, save_hint: str) -> str:
    """What to say after sending ``what`` to the terminal with OSC 52."""
    where = "over SSH " if over_ssh(env) else ""
    tmux = " (in tmux: set -g set-clipboard on)" if env.get("TMUX") else ""
    return (
        f"{what} sent to the terminal {where}as a clipboard request; it is copied only if "
        f"the terminal allows it{tmux}. {save_hint}"
    )


def copy_text(
    text: str,
    env: Mapping[str, str],
    *,
    what: str = "Text",
    save_hint: str = "To keep it for sure, save it to a file.",
    platform: str = sys.platform,
    which: Which = shutil.which,
    run: Runner = subprocess.run,
) -> CopyOutcome:
    """Copy with the local tool when there is one; else say the front-end should send
    it to the terminal (OSC 52) and with which message."""
    tool = clipboard_tool(env, platform, which)
    if tool is not None:
        try:
            done = run(
                list(tool.argv),
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TOOL_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            done = None
        if done is not None and done.returncode == 0:
            return CopyOutcome(True, False, f"{what} copied to the clipboard ({tool.name}).")
    if len(text.encode("utf-8")) > OSC52_MAX_BYTES:
        return CopyOutcome(False, False, f"{what} is too long to send to the terminal. {save_hint}")
    return CopyOutcome(False, True, terminal_message(env, what, save_hint))
