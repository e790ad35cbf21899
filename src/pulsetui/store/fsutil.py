"""File-system primitives with private modes: 0600 files and 0700 folders whatever
the umask, atomic replacement, creation that refuses to follow symlinks, and the one
way a write is made durable on every platform (:func:`sync_to_disk`)."""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
DIR_MODE = 0o700
# the modification time of files whose time must tell nothing (anonymous answers)
FIXED_MTIME_NS = 946_684_800 * 10**9  # 2000-01-01
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and set it to 0700."""
    path.mkdir(parents=True, exist_ok=True)
    if path.is_symlink():
        raise OSError(f"{path} is a symbolic link; refusing to use it")
    os.chmod(path, DIR_MODE)
    return path


def open_private_append(path: Path) -> int:
    """Open ``path`` for appending, creating it 0600; never follows a symlink."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


@functools.cache
def _full_fsync() -> int | None:
    """``fcntl.F_FULLFSYNC`` where the platform has it (macOS), else None."""
    try:
        import fcntl
    except ImportError:
        return None
    command = getattr(fcntl, "F_FULLFSYNC", None)
    return command if isinstance(command, int) else None


def sync_to_disk(fd: int) -> None:
    """Make what was written to ``fd`` durable; every save and view write ends here.

    On macOS ``fsync`` only hands the data to the drive, whose cache can still lose it
    on power loss; ``F_FULLFSYNC`` flushes that cache too. A file system that refuses
    it (some network and FAT volumes) gets ``fsync``. Elsewhere ``fdatasync`` (the data
    and the size, not the times) where it exists, else ``fsync``."""
    full = _full_fsync()
    if full is not None:
        import fcntl

        try:
            fcntl.fcntl(fd, full)
            return
        except OSError:
            pass
        os.fsync(fd)
        return
    datasync = getattr(os, "fdatasync", None)
    (datasync or os.fsync)(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new_file(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Create ``path`` exclusively (O_EXCL|O_NOFOLLOW), write and fsync it."""
    fd = os.open(path, _CREATE_FLAGS, mode)
    try:
        os.fchmod(fd, mode)
        write_all(fd, data)
        sync_to_disk(fd)
    finally:
        os.close(fd)


def write_new_file_by(
    path: Path, write: Callable[[BinaryIO], object], mode: int = FILE_MODE
) -> None:
    """Create ``path`` as :func:`write_new_file` does and let ``write`` fill it through a
    buffered file (data made while it is written, never held whole), then fsync it."""
    fd = os.open(path, _CREATE_FLAGS, mode)
    with open(fd, "wb") as handle:
        os.fchmod(fd, mode)
        write(handle)
        handle.flush()
        sync_to_disk(fd)


def atomic_write(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Replace ``path`` with ``data`` atomically: temp file, fsync, rename, fsync dir."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        write_new_file(tmp, data, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def file_identity(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file replaced whole from the next (inode, size,
    modification time); None when it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns
