"""The search index kept on disk beside the view (``<home>/search.index``), so an app
opening a large workspace searches at once instead of reading every written record
first. It is never a source of truth: a file that is missing, corrupt, of another
version, of another journal or signed in as someone else is simply built again.

It lives only in the local workspace (0600, never in the shared folder). It holds
private pulse notes only of the manager it was built for (its ``owner``); a workspace
opened as anyone else ignores it. The journal position it covers is recorded, so the
records changed after it was written are read again from the journal's tail.

Layout: one JSON header line (format, version, owner, journal position, the sections'
sizes and a CRC-32 of what follows), then the sections, each raw bytes:

- ``keys``: each record number's rank key (day, then uid), one per line;
- ``seen``: each number's visibility class (uint32); ``classes`` in the header;
- ``words``: the words, sorted, one per line; ``starts``: where each word's numbers
  begin in ``postings`` (uint64, one more than the words); ``postings``: uint32;
- ``frequent``: the common words' bitmaps, ``bitmap_bytes`` each, in ``frequent_words``
  order (the header);
- ``group_hashes`` (uint64, sorted) and ``group_numbers`` (uint32): the records sharing
  a text, by a stable hash of it;
- ``gone``: the bitmap of numbers no longer current;
- ``class_starts`` (uint64) and ``class_numbers`` (uint32): each class's numbers.

Written atomically and durably (temp file, fsync, rename, fsync of the folder)."""

from __future__ import annotations

import contextlib
import os
import sys
import zlib
from array import array
from dataclasses import dataclass
from io import BufferedReader
from pathlib import Path
from typing import Any

import orjson

from pulsetui.service.pacing import give_way
from pulsetui.store.fsutil import atomic_write
from pulsetui.store.journal import JournalCursor

INDEX_NAME = "search.index"
FORMAT = "pulsetui-search-index"
VERSION = 2  # raise when what the index holds or how it is laid out changes
_SECTIONS = (
    "keys",
    "seen",
    "words",
    "starts",
    "postings",
    "frequent",
    "group_hashes",
    "group_numbers",
    "gone",
    "class_starts",
    "class_numbers",
)
_TYPECODES = {
    "seen": "I",
    "starts": "Q",
    "postings": "I",
    "group_hashes": "Q",
    "group_numbers": "I",
    "class_starts": "Q",
    "class_numbers": "I",
}
_LITTLE = sys.byteorder == "little"


class UnusableIndex(ValueError):
    """The file cannot serve this workspace as it is (the message says why)."""


@dataclass
class StoredIndex:
    """What the file holds, as the index uses it."""

    owner: str | None
    cursor: JournalCursor
    base: int
    keys: list[str]
    seen: array[int]
    classes: list[list[Any]]  # [kind, client, owner, internal] of each class
    words: list[str]
    starts: array[int]
    postings: array[int]
    frequent: dict[str, int]
    group_hashes: array[int]
    group_numbers: array[int]
    gone: int
    class_docs: list[array[int]]  # the numbers of each class, ascending


LINES_PIECE = 128 * 1024  # bytes of lines decoded at once (see _lines)


def index_path(home: Path) -> Path:
    return home / INDEX_NAME


def _packed(values: array[int]) -> bytes:
    if not _LITTLE:  # the file is little-endian on every machine
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _section(handle: BufferedReader, size: int, typecode: str | None, crc: int) -> tuple[Any, int]:
    """The next ``size`` bytes of ``handle`` read straight into an array of
    ``typecode`` (no copy of the bytes is made), or as bytes when it is ``None``; and
    ``crc`` (a CRC-32) carried on over them."""
    if typecode is None:
        held: Any = bytearray(size)
        target = memoryview(held)
    else:
        width = array(typecode).itemsize
        if size % width:
            raise ValueError(f"a section of {size} bytes does not hold whole numbers")
        held = array(typecode, [0]) * (size // width)
        target = memoryview(held).cast("B")
    with target:
        got = 0
        while got < size:
            count = handle.readinto(target[got:])
            if not count:
                raise ValueError("the file ends inside a section")
            got += count
        crc = zlib.crc32(target, crc)
    if typecode is not None and not _LITTLE:
        held.byteswap()
    return held, crc


def write(home: Path, stored: StoredIndex) -> None:
    """Write ``stored`` as the workspace's index file, atomically and durably."""
    if any("\n" in key for key in stored.keys):
        raise ValueError("a record's uid holds a line break; the index stays in memory")
    size = (len(stored.keys) + 7) // 8
    frequent_words = sorted(stored.frequent)
    class_starts = array("Q", [0])
    class_numbers = array("I")
    for docs in stored.class_docs:
        class_numbers.extend(docs)
        class_starts.append(len(class_numbers))
    body = {
        "keys": "\n".join(stored.keys).encode(),
        "seen": _packed(stored.seen),
        "words": "\n".join(stored.words).encode(),
        "starts": _packed(stored.starts),
        "postings": _packed(stored.postings),
        "frequent": b"".join(
            stored.frequent[word].to_bytes(size, "little") for word in frequent_words
        ),
        "group_hashes": _packed(stored.group_hashes),
        "group_numbers": _packed(stored.group_numbers),
        "gone": stored.gone.to_bytes((stored.gone.bit_length() + 7) // 8, "little"),
        "class_starts": _packed(class_starts),
        "class_numbers": _packed(class_numbers),
    }
    crc = 0
    for name in _SECTIONS:
        crc = zlib.crc32(body[name], crc)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "owner": stored.owner,
        "journal_id": stored.cursor.journal_id,
        "journal_offset": stored.cursor.offset,
        "base": stored.base,
        "records": len(stored.keys),
        "classes": stored.classes,
        "frequent_words": frequent_words,
        "bitmap_bytes": size,
        "sizes": {name: len(body[name]) for name in _SECTIONS},
        "crc32": crc,
    }
    data = b"".join([orjson.dumps(header), b"\n", *(body[name] for name in _SECTIONS)])
    atomic_write(index_path(home), data)


def _lines(data: bytearray) -> list[str]:
    """The lines of ``data`` (UTF-8, split at "\n"), decoded a piece of about
    :data:`LINES_PIECE` bytes at a time, giving way to typing between pieces. The
    index is read in a thread beside the screen: one decode and split of a firm's keys
    held the interpreter lock for 30 ms, a pause of the typing; a piece holds it for
    well under a millisecond."""
    if not data:
        return []
    lines: list[str] = []
    start, size = 0, len(data)
    while True:
        end = data.find(b"\n", start + LINES_PIECE) if start + LINES_PIECE < size else -1
        if end == -1:
            lines.extend(data[start:].decode().split("\n"))
            return lines
        lines.extend(data[start:end].decode().split("\n"))
        start = end + 1
        give_way()


def read(home: Path, owner: str | None) -> StoredIndex:
    """The index file of ``home`` built for ``owner``; :class:`UnusableIndex` when it
    is missing, corrupt, of another format or version, or built for someone else.

    The file is read a section at a time, each straight into what holds it, so reading
    takes little more memory than the index itself."""
    try:
        with index_path(home).open("rb") as handle:
            try:
                header = orjson.loads(handle.readline())
            except orjson.JSONDecodeError:
                header = None
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise UnusableIndex("not a search index")
            if header.get("version") != VERSION:
                raise UnusableIndex(f"version {header.get('version')!r}, not {VERSION}")
            if header.get("owner") != owner:
                raise UnusableIndex("built for another manager")
            try:
                return _decoded(header, handle)
            except (KeyError, TypeError, ValueError, IndexError, OverflowError) as exc:
                raise UnusableIndex(f"corrupt: {exc}") from None
    except FileNotFoundError:
        raise UnusableIndex("missing") from None
    except OSError as exc:
        raise UnusableIndex(f"unreadable: {exc}") from None


def _decoded(header: dict[str, Any], handle: BufferedReader) -> StoredIndex:
    sizes = {name: int(header["sizes"][name]) for name in _SECTIONS}
    if sum(sizes.values()) != os.fstat(handle.fileno()).st_size - handle.tell():
        raise ValueError("sections do not add up to the file's size")
    crc = 0
    parts: dict[str, Any] = {}
    for name in _SECTIONS:
        give_way()
        part, crc = _section(handle, sizes[name], _TYPECODES.get(name), crc)
        if name in ("keys", "words"):  # one line each; the bytes go as soon as split
            part = _lines(part)
        parts[name] = part
    if crc != header["crc32"]:
        raise ValueError("checksum differs")
    arrays = {name: parts[name] for name in _TYPECODES}
    keys, words = parts["keys"], parts["words"]
    size = int(header["bitmap_bytes"])
    frequent_words = [str(word) for word in header["frequent_words"]]
    blob = parts["frequent"]
    if len(blob) != size * len(frequent_words):
        raise ValueError("common words' bitmaps are cut")
    frequent = {
        word: int.from_bytes(blob[i * size : (i + 1) * size], "little")
        for i, word in enumerate(frequent_words)
    }
    base = int(header["base"])
    bounds, numbers = arrays["class_starts"], arrays["class_numbers"]
    class_docs = [numbers[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
    if not (
        len(keys) == len(arrays["seen"]) == int(header["records"])
        and base <= len(keys)
        and size == (len(keys) + 7) // 8
        and len(arrays["starts"]) == len(words) + 1
        and arrays["starts"][-1] == len(arrays["postings"])
        and len(arrays["group_hashes"]) == len(arrays["group_numbers"])
        and max(arrays["seen"], default=-1) < len(header["classes"])
        and len(class_docs) == len(header["classes"])
        and all(isinstance(c, list) and len(c) == 4 for c in header["classes"])
        and len(numbers) == len(keys) == bounds[-1]
    ):
        raise ValueError("sections disagree")
    return StoredIndex(
        owner=header["owner"],
        cursor=JournalCursor(header["journal_id"], int(header["journal_offset"])),
        base=base,
        keys=keys,
        seen=arrays["seen"],
        classes=[list(c) for c in header["classes"]],
        words=words,
        starts=arrays["starts"],
        postings=arrays["postings"],
        frequent=frequent,
        group_hashes=arrays["group_hashes"],
        group_numbers=arrays["group_numbers"],
        gone=int.from_bytes(parts["gone"], "little"),
        class_docs=class_docs,
    )


def remove_leftovers(home: Path) -> None:
    """Temp files of index writes that were killed before their rename."""
    for path in home.glob(f".{INDEX_NAME}.*.tmp"):
        with contextlib.suppress(OSError):
            path.unlink()
