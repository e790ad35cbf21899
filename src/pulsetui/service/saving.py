"""Writing a file the user asked for (a report, an agenda, an invite, a backup): where it
goes by default, and the rule that nothing is ever written silently over a file that
is already there.

- :func:`default_folder`: the user's documents folder when there is one, else the
  workspace's ``exports/`` folder (created private).
- :func:`suggested_path`: a file name in that folder made from a title and a date,
  safe on every file system (no separators, no control characters), with `` (2)``,
  `` (3)`` ... added while the name is taken.
- :func:`save_new`: the bytes written whole (temp file, fsync, then a hard link under
  the final name, which fails if the name was taken meanwhile), 0600 by default.
  An existing file is replaced only when ``overwrite`` is asked for.
  :func:`save_new_by` does the same for a file written as it is made.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import platformdirs

from pulsetui.domain.errors import InvalidInput
from pulsetui.store.fsutil import FILE_MODE, ensure_private_dir, fsync_dir, write_new_file_by

EXPORTS = "exports"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_NAME = 120
COPY_CHUNK = 1 << 20


def default_folder(home: Path, documents: Path | None = None) -> Path:
    """Where saved files go unless the user says otherwise: the documents folder if it
    exists, else ``<home>/exports``."""
    found = documents if documents is not None else Path(platformdirs.user_documents_dir())
    if found.is_dir():
        return found
    return ensure_private_dir(home / EXPORTS)


def _base_name(title: str, room: int) -> str:
    text = unicodedata.normalize("NFC", title)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Zl", "Zp"))
    text = _UNSAFE.sub("-", text)
    text = " ".join(text.split()).strip(" .-") or "pulsetui"
    return text[: MAX_NAME - room].rstrip(" .-")


def file_name(title: str, suffix: str) -> str:
    """``title`` as a file name ending in ``suffix``: letters of any script kept,
    separators, control and reserved characters made ``-``, at most 120 characters."""
    return _base_name(title, len(suffix)) + suffix


def free_stem(folder: Path, title: str, suffixes: tuple[str, ...]) -> Path:
    """A path in ``folder`` without suffix, free with every one of ``suffixes``:
    ``Name``, else ``Name (2)`` ... (one name for files that belong together)."""
    base = _base_name(title, max((len(s) for s in suffixes), default=0) + 5)
    stem, number = base, 2
    while any(os.path.lexists(folder / f"{stem}{suffix}") for suffix in suffixes):
        stem = f"{base} ({number})"
        number += 1
    return folder / stem


def suggested_path(folder: Path, title: str, suffix: str) -> Path:
    """A free path in ``folder`` for ``title``: ``Name.md``, else ``Name (2).md`` ..."""
    stem = free_stem(folder, title, (suffix,))
    return stem.with_name(stem.name + suffix)


def save_new(
    path: Path,
    data: bytes,
    *,
    overwrite: bool = False,
    mode: int = FILE_MODE,
    field: str = "file",
) -> Path:
    """Write ``data`` to ``path`` whole; refuse (:class:`InvalidInput` naming ``field``)
    when the file exists, unless ``overwrite``; nothing is written then."""
    return save_new_by(
        path, lambda out: out.write(data), overwrite=overwrite, mode=mode, field=field
    )


def save_new_by(
    path: Path,
    write: Callable[[BinaryIO], object],
    *,
    overwrite: bool = False,
    mode: int = FILE_MODE,
    field: str = "file",
) -> Path:
    """:func:`save_new` for a file ``write`` writes as it makes it (a backup of hundreds
    of MB is never held whole): into the temp file, which gets the final name once
    ``write`` is done; if it fails, nothing is left behind."""
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput.one(field, f"the folder {folder} does not exist")
    if path.is_dir():
        raise InvalidInput.one(field, f"{path} is a folder; give a file name")
    if not overwrite and os.path.lexists(path):
        raise InvalidInput.one(field, f"{path} already exists; nothing was written")
    tmp = folder / f".{path.name[:60]}.{secrets.token_hex(6)}.tmp"
    try:
        write_new_file_by(tmp, write, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path, mode, field)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    with contextlib.suppress(OSError):
        fsync_dir(folder)
    return path


def _link_new(tmp: Path, path: Path, mode: int, field: str) -> None:
    """Give the written temp file its final name without ever replacing a file."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise InvalidInput.one(field, f"{path} already exists; nothing was written") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        try:  # a file system without hard links (FAT, some network shares): a copy
            write_new_file_by(path, lambda out: _copy(tmp, out), mode)
        except FileExistsError:
            raise InvalidInput.one(field, f"{path} already exists; nothing was written") from None


def _copy(source: Path, out: BinaryIO) -> None:
    with open(source, "rb") as handle:
        shutil.copyfileobj(handle, out, COPY_CHUNK)
