"""Saving and copying, decided below the front-ends: the default folder, a file name
safe anywhere, never writing over a file, the clipboard tool of the platform (none
over SSH) and an honest message when the text could only be sent to the terminal."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.clipboard import clipboard_tool, copy_text
from pulsetui.service.saving import (
    default_folder,
    file_name,
    save_new,
    save_new_by,
    suggested_path,
)


def test_default_folder_is_documents_else_the_workspace_exports(tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    assert default_folder(tmp_path / "home", documents) == documents
    fallback = default_folder(tmp_path / "home", tmp_path / "missing")
    assert fallback == tmp_path / "home" / "exports"
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o700


def test_file_names_are_safe_and_keep_letters() -> None:
    assert file_name("Mäkinen Oy: agenda 2026-11-24", ".md") == "Mäkinen Oy- agenda 2026-11-24.md"
    assert file_name("../../etc/passwd", ".md") == "etc-passwd.md"
    assert file_name("a\nb\x1b[31m\u202e", ".ics") == "ab[31m.ics"
    assert file_name("   ", ".md") == "pulsetui.md"
    assert len(file_name("Дмитрий " * 40, ".html")) <= 120


def test_suggested_path_skips_names_taken(tmp_path: Path) -> None:
    first = suggested_path(tmp_path, "Acme", ".md")
    assert first == tmp_path / "Acme.md"
    first.write_text("x")
    assert suggested_path(tmp_path, "Acme", ".md") == tmp_path / "Acme (2).md"


def test_save_new_never_writes_over_a_file(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    save_new(path, b"first")
    assert path.read_bytes() == b"first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(InvalidInput) as caught:
        save_new(path, b"second", field="out")
    assert caught.value.problems[0].field == "out"
    assert "already exists" in caught.value.problems[0].message
    assert path.read_bytes() == b"first"
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(InvalidInput):
        save_new(link, b"x")
    assert not (tmp_path / "nowhere").exists()
    save_new(path, b"second", overwrite=True, mode=0o644)
    assert path.read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "report.md"]
    with pytest.raises(InvalidInput, match="does not exist"):
        save_new(tmp_path / "no" / "x.md", b"x")


def which_of(*present: str) -> Any:
    return lambda name: f"/usr/bin/{name}" if name in present else None


@pytest.mark.parametrize(
    ("env", "platform", "present", "tool"),
    [
        ({}, "darwin", ("pbcopy",), "pbcopy"),
        (
            {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
            "linux",
            ("wl-copy", "xclip"),
            "wl-copy",
        ),
        ({"DISPLAY": ":0"}, "linux", ("xclip", "xsel"), "xclip"),
        ({"DISPLAY": ":0"}, "linux", ("xsel",), "xsel"),
        ({"DISPLAY": ":0"}, "linux", (), None),
        ({}, "linux", ("xclip", "wl-copy"), None),  # no display: a console or a server
        ({"SSH_CONNECTION": "1 2 3 4", "DISPLAY": ":0"}, "linux", ("xclip",), None),
        ({"SSH_TTY": "/dev/pts/1"}, "darwin", ("pbcopy",), None),
    ],
)
def test_the_clipboard_tool_of_the_session(
    env: dict[str, str], platform: str, present: tuple[str, ...], tool: str | None
) -> None:
    found = clipboard_tool(env, platform, which_of(*present))
    assert (found.name if found else None) == tool


def test_copy_with_a_tool_says_copied_only_when_it_worked() -> None:
    calls: list[tuple[list[str], bytes]] = []

    def run(argv: list[str], **kw: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append((argv, kw["input"]))
        return subprocess.CompletedProcess(argv, 0)

    env = {"DISPLAY": ":0"}
    done = copy_text(
        "Mäkinen 🎉", env, what="Summary", platform="linux", which=which_of("xclip"), run=run
    )
    assert done.copied and not done.sent_to_terminal
    assert done.message == "Summary copied to the clipboard (xclip)."
    assert calls == [(["/usr/bin/xclip", "-selection", "clipboard", "-in"], "Mäkinen 🎉".encode())]

    def failing(argv: list[str], **kw: Any) -> subprocess.CompletedProcess[bytes]:
        return subprocess.CompletedProcess(argv, 1)

    fell_back = copy_text(
        "x", env, what="Summary", platform="linux", which=which_of("xclip"), run=failing
    )
    assert not fell_back.copied and fell_back.sent_to_terminal
    assert "copied" not in fell_back.message.split(";")[0]


def test_over_ssh_the_text_is_sent_to_the_terminal_and_the_message_says_so() -> None:
    env = {"SSH_CONNECTION": "1 2 3 4", "TMUX": "/tmp/tmux-0/default,1,0"}
    done = copy_text(
        "x",
        env,
        what="Summary",
        save_hint="Press o to save it to a file.",
        platform="linux",
        which=which_of("xclip"),
    )
    assert not done.copied and done.sent_to_terminal
    assert done.message.startswith("Summary sent to the terminal over SSH as a clipboard request")
    assert "set -g set-clipboard on" in done.message
    assert done.message.endswith("Press o to save it to a file.")
    huge = copy_text("x" * 200_000, {}, what="Report", platform="linux", which=which_of())
    assert not huge.copied and not huge.sent_to_terminal and "too long" in huge.message


def test_save_new_by_writes_as_the_file_is_made_and_leaves_nothing_when_it_fails(
    tmp_path: Path,
) -> None:
    path = tmp_path / "backup"

    def write(out: Any) -> None:
        for n in range(3):
            out.write(b"part %d\n" % n)

    save_new_by(path, write)
    assert path.read_bytes() == b"part 0\npart 1\npart 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def fail(out: Any) -> None:
        out.write(b"half of it")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        save_new_by(tmp_path / "other", fail)
    with pytest.raises(OSError, match="disk full"):
        save_new_by(path, fail, overwrite=True)
    assert path.read_bytes() == b"part 0\npart 1\npart 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup"]
