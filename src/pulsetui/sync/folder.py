"""The shared folder's layout, its name allow-list and the file checks every read passes.

Layout (DESIGN §4)::

    <shared>/pulsetui/
      FORMAT                               {"format": "pulsetui-sync", "version": 1}
      README.txt                           what the folder is; Syncthing ignore lines
      replicas/<rid>/replica.json          written once: rid, display name
      replicas/<rid>/seg/<seq:012d>-<sha256[:12]>.jsonl   immutable op segments
      inbox/                               anonymous eNPS answers (see ``inbox``, ``slots``)

Every path has one writer. Readers accept only names of the allow-list, refuse
symlinks, FIFOs, directories, hard links and oversized files (checked on the opened
descriptor, so a swap between the check and the read is caught), and ignore temp and
OS junk files. Every file this module creates is opened with ``O_EXCL|O_NOFOLLOW``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

import orjson

from pulsetui.store.fsutil import fsync_dir, write_all
from pulsetui.sync.access import permission_problem, user_name

FOLDER_NAME = "pulsetui"
FORMAT_NAME = "FORMAT"
README_NAME = "README.txt"
REPLICAS = "replicas"
SEGMENTS = "seg"
INBOX = "inbox"
REPLICA_INFO = "replica.json"
SYNC_FORMAT = "pulsetui-sync"
SYNC_VERSION = 1

MAX_SEGMENT_BYTES = 64 << 20
MAX_INBOX_BYTES = 8 << 20
MAX_SMALL_BYTES = 64 << 10

# Modes: teammates in the folder's group read, only the writer writes.
DIR_MODE = 0o2750  # setgid: new entries inherit the folder's group
REPLICAS_MODE = 0o3770  # setgid + sticky: everyone adds their own dir, nobody removes another's
# setgid + sticky: every member adds files and reads them all (every manager counts the
# answers), nobody removes or renames another's
INBOX_MODE = 0o3770
FILE_MODE = 0o640

# Every name from the folder is checked with ``fullmatch`` (a ``$`` would let a trailing
# newline through) and in ASCII (``\d`` would take fullwidth digits, ``IGNORECASE``
# would fold look-alikes such as the Kelvin sign).
RID_RE = re.compile(r"[0-9A-Za-z_-]{1,64}", re.ASCII)
SEGMENT_RE = re.compile(r"([0-9]{12})-([0-9a-f]{12})\.jsonl", re.ASCII)
# Syncthing: name.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.ext; Dropbox and others:
# "name (Someone's conflicted copy 2026-01-01).ext".
CONFLICT_RE = re.compile(
    r"([0-9]{12})-([0-9a-f]{12})"
    r"(?:\.sync-conflict-[0-9]{8}-[0-9]{6}-[0-9A-Z]{7}"
    r"| \([^/\x00-\x1f\x7f]*conflicted copy[^/\x00-\x1f\x7f]*\))\.jsonl",
    re.ASCII,
)
INBOX_RE = re.compile(r"[0-9a-f]{32}\.json", re.ASCII)
TEMP_PREFIX = ".tmp-"
JUNK_RE = re.compile(
    r"(?:\..*|~syncthing~.*|.*\.tmp|.*\.part|.*\.partial|.*~|~\$.*|Thumbs\.db|desktop\.ini|"
    r"Icon\r)",
    re.IGNORECASE | re.ASCII | re.DOTALL,
)

SYNCTHING_IGNORES = (
    "// pulsetui: temp files are renamed into place when complete",
    "(?d).tmp-*",
    "(?d).DS_Store",
    "(?d)Thumbs.db",
    "(?d)desktop.ini",
    "(?d)*~",
)


@dataclass(frozen=True)
class SegmentName:
    seq: int
    sha12: str
    conflict: bool


def parse_segment_name(name: str) -> SegmentName | None:
    """The seq and checksum prefix of an allowed segment name (or a conflict copy)."""
    match = SEGMENT_RE.fullmatch(name)
    if match:
        return SegmentName(int(match.group(1)), match.group(2), False)
    match = CONFLICT_RE.fullmatch(name)
    if match:
        return SegmentName(int(match.group(1)), match.group(2), True)
    return None


def segment_name(seq: int, sha: str) -> str:
    return f"{seq:012d}-{sha[:12]}.jsonl"


def is_junk(name: str) -> bool:
    """Temp files and OS clutter: ignored silently."""
    return bool(JUNK_RE.fullmatch(name))


class Refused(Exception):
    """A path that is not a plain, small, single-linked regular file."""

    def __init__(self, path: str | Path, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path
        self.why = why


def classify(st: os.stat_result, limit: int) -> str | None:
    """Why a file with this (l)stat must not be read, or None when it may."""
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISDIR(mode):
        return "directory"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    if st.st_nlink > 1:
        return "hard link"
    if st.st_size > limit:
        return f"oversized ({st.st_size} bytes, limit {limit})"
    return None


READ_CHUNK = 1 << 16


def read_checked(path: str | Path, limit: int) -> bytes:
    """Read a regular file of at most ``limit`` bytes; :class:`Refused` otherwise.

    Opened with ``O_NOFOLLOW|O_NONBLOCK`` (a symlink fails, a FIFO does not block) and
    checked with ``fstat`` on the open descriptor, so nothing big is ever read."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: a symlink
            raise Refused(path, "symlink") from None
        raise Refused(path, exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        why = classify(st, limit)
        if why:
            raise Refused(path, why)
        chunks = []
        left = limit + 1
        # as much as the file holds and a byte more (a buffer the size of the file, not
        # of a megabyte: thousands of small segments are read in a first sync), then on
        # until the end, should it have grown
        want = min(left, st.st_size + 1)
        while left > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = min(left, READ_CHUNK)
        data = b"".join(chunks)
        if len(data) > limit:
            raise Refused(path, f"oversized (more than {limit} bytes)")
        return data
    finally:
        os.close(fd)


def entry_names(folder: Path) -> list[str]:
    """The names in a folder; none when it is missing, not a folder or unreadable."""
    try:
        with os.scandir(folder) as entries:
            return [entry.name for entry in entries]
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []


def is_plain_dir(path: Path) -> bool:
    """A real directory (not a symlink to one)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def create_file(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Create ``path`` with ``O_EXCL|O_NOFOLLOW``, write and fsync it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, mode)
    try:
        os.fchmod(fd, mode)
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(folder: Path, name: str, data: bytes, mode: int = FILE_MODE) -> Path:
    """Write ``data`` under a temp name, fsync, rename to ``name``, fsync the folder.

    Readers see either nothing or the whole file. Two files with one name carry
    the same bytes (the name holds their checksum), so replacing is harmless."""
    tmp = folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    try:
        create_file(tmp, data, mode)
        os.rename(tmp, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)
    return folder / name


def make_dir(path: Path, mode: int) -> None:
    """Create a directory (refusing a symlink in its place) and, when it is this
    user's, set its mode. A permission problem is named as one."""
    try:
        os.mkdir(path, mode)
    except FileExistsError:
        pass
    except PermissionError:
        why = permission_problem(path.parent, write=True) or "permission denied"
        raise Refused(path, f"cannot create it: {why}") from None
    try:
        st = os.lstat(path)
    except PermissionError:
        raise Refused(path, permission_problem(path) or "permission denied") from None
    except OSError as exc:
        raise Refused(path, exc.strerror or str(exc)) from None
    if stat.S_ISLNK(st.st_mode):
        raise Refused(path, "is a symbolic link, not a directory")
    if not stat.S_ISDIR(st.st_mode):
        raise Refused(path, "exists and is not a directory")
    if st.st_uid != os.geteuid() or st.st_mode & 0o7777 == mode:
        return  # another user's folder is left as it is
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        if os.fstat(fd).st_ino == st.st_ino:
            os.fchmod(fd, mode)
    finally:
        os.close(fd)


def format_bytes() -> bytes:
    return orjson.dumps({"format": SYNC_FORMAT, "version": SYNC_VERSION}) + b"\n"


def read_format(root: Path) -> tuple[str, int] | None:
    """(format, version) from ``FORMAT``; None when absent or unreadable."""
    try:
        data = orjson.loads(read_checked(root / FORMAT_NAME, MAX_SMALL_BYTES))
        return str(data["format"]), int(data["version"])
    except (Refused, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


README_TEXT = """\
pulsetui shared folder
======================

This folder lets several pulsetui installations exchange their changes. Keep it in step
with Syncthing, Dropbox, a network share or a shared directory on a server.

  FORMAT                       the folder's format; do not edit
  replicas/<id>/replica.json   one installation: its id and display name
  replicas/<id>/seg/*.jsonl    that installation's changes, in numbered segments
  inbox/                       anonymous eNPS answers (random names; see below)

Each installation writes only under its own replicas/<id>/ folder and never changes a
file once it is there, so the sync tool never has to merge a file. Do not edit, move or
delete files here by hand; a file that is not complete yet (still arriving) is skipped
and read again on the next sync.

Syncthing: add these lines to the folder's ignore patterns (.stignore), so files that
are still being written are never sent:

{ignores}

and keep "maxConflicts" at its default or higher: pulsetui reads a conflict copy only
when its checksum is valid, and reports it in `pulsetui sync --check`.

Private pulse conversation notes never come here; they go only to a personal folder
(`[sync] personal` in the config file) that only one manager's own devices share.

eNPS answers
------------

Each answer is one file in inbox/ holding the survey round, the score (0-10) and the
optional reason: no name, no replica id, no time. The installation that took the
answer keeps it for a random while (15 minutes to 6 hours, never past the round's
closing day) and drops it in a sync that sends none of its own changes, at least 10
minutes away from any it sends. The file's modification time is a fixed date.

Whoever can read this folder can read every answer's round, score and reason, and see
roughly when each answer file appeared. They cannot read who gave it, from which
installation, or when it was given. pulsetui itself shows a round's results only after
the round has closed (two days after its closing day) and only when at least the
minimum group (5 by default) answered.

On a server shared by several Unix users (`pulsetui sync init --group GROUP`): every
member of the group can read every answer, so every manager counts them. An answer is
written into an empty file that another member's pulsetui made in advance, so the file
belongs to that member, never to the person who answered; its owner's pulsetui then
makes it read-only with a fixed modification time, which sets its change time to that
moment. Until then the file's change time shows when the answer was dropped (a random
moment after it was given). inbox/ and replicas/ have the sticky bit: no member can
remove or rename another's files. Keep the sticky bit on the folder above this one
too if the group may write there (`pulsetui sync --check` warns when it is missing).

What the server's administrator (root) can still learn: everything a member can; in
each member's own pulsetui workspace (their home folder), an answer while it waits to
be sent, with the moment it is due, and afterwards the order in which answers arrived
there, by comparing copies taken at different times; from process lists, login
records, audit logs and file access times, when each member ran pulsetui; and, when
someone answers with `pulsetui enps add --score N --reason ...` instead of the answer
screen (`pulsetui enps`), the score and reason from the process list while it runs
and from that member's shell history. The answer screen leaves nothing in either.
"""


def readme_text() -> str:
    return README_TEXT.format(ignores="\n".join(f"    {line}" for line in SYNCTHING_IGNORES))


def init_folder(base: Path, group: str | None = None) -> list[str]:
    """Create ``<base>/pulsetui`` with FORMAT, README.txt, replicas/ and inbox/.

    With ``group``, every part belongs to that group: teammates read each other's
    segments, each writes only their own folder (``replicas/`` is sticky), and
    ``inbox/`` is a write-only drop box (3733). Returns what was done."""
    import grp

    done: list[str] = []
    gid = grp.getgrnam(group).gr_gid if group else None
    try:
        base.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        why = permission_problem(base, write=True) or "permission denied"
        raise Refused(base, f"cannot create it: {why}") from None
    root = base / FOLDER_NAME
    parts = ((root, DIR_MODE), (root / REPLICAS, REPLICAS_MODE), (root / INBOX, INBOX_MODE))
    for path, mode in parts:
        existed = is_plain_dir(path)
        if not existed:
            make_dir(path, 0o700)
        mine = os.lstat(path).st_uid == os.geteuid()
        if gid is not None and mine:
            os.chown(path, -1, gid, follow_symlinks=False)
        make_dir(path, mode)
        if not existed:
            done.append(f"created {path} (mode {mode:o})")
        elif not mine and os.lstat(path).st_mode & 0o7777 != mode:
            owner = user_name(os.lstat(path).st_uid)
            done.append(f"{path} is {owner}'s: left as it is (only {owner} can change it)")
    problem = permission_problem(root / FORMAT_NAME)
    if problem:
        raise Refused(root / FORMAT_NAME, problem)
    found = read_format(root)
    if found is None:
        if os.path.lexists(root / FORMAT_NAME):
            raise Refused(root / FORMAT_NAME, "exists but is not a readable FORMAT file")
        problem = permission_problem(root, write=True)
        if problem:
            raise Refused(root, problem)
        publish(root, FORMAT_NAME, format_bytes(), 0o644)
        done.append(f"wrote {root / FORMAT_NAME}")
    elif found[0] != SYNC_FORMAT or found[1] > SYNC_VERSION:
        raise Refused(root / FORMAT_NAME, f"format {found[0]} version {found[1]}: upgrade pulsetui")
    if not os.path.lexists(root / README_NAME) and os.access(root, os.W_OK):
        publish(root, README_NAME, readme_text().encode(), 0o644)
        done.append(f"wrote {root / README_NAME}")
    if gid is not None:
        for name in (FORMAT_NAME, README_NAME):
            if not os.path.lexists(root / name):
                continue
            st = os.lstat(root / name)
            if st.st_uid == os.geteuid() and stat.S_ISREG(st.st_mode):
                os.chown(root / name, -1, gid, follow_symlinks=False)
        done.append(f"group {group}: teammates read all segments; each writes only their own")
    return done
