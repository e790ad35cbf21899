"""Sets of record numbers as bitmaps (Python ints): union and intersection of a word's
records cost microseconds at half a million records, where Python sets cost tens of
milliseconds. Bit ``n`` stands for record number ``n``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_NONZERO = re.compile(rb"[^\x00]")
# the bits set in each byte value, highest first
_BITS = tuple(tuple(bit for bit in range(7, -1, -1) if value >> bit & 1) for value in range(256))


def bitmap(numbers: Iterable[int], size: int) -> int:
    """The bitmap of ``numbers`` (each below ``size``)."""
    buffer = bytearray((size + 7) // 8)
    for number in numbers:
        buffer[number >> 3] |= 1 << (number & 7)
    return int.from_bytes(buffer, "little")


def descending(bits: int) -> Iterator[int]:
    """The numbers in a bitmap, highest first (lazily: taking the first few is cheap)."""
    if bits <= 0:
        return
    size = (bits.bit_length() + 7) // 8
    data = bits.to_bytes(size, "big")
    for match in _NONZERO.finditer(data):
        position = match.start()
        base = (size - 1 - position) * 8
        for bit in _BITS[data[position]]:
            yield base + bit


def without(bits: int, removed: int) -> int:
    """``bits`` with every bit of ``removed`` cleared."""
    return bits ^ (bits & removed)


def at_least(bitmaps: Iterable[int], count: int) -> list[int]:
    """For each ``j`` from 0 to ``count``, the numbers in at least ``j`` of ``bitmaps``
    (index 0: every number, as -1)."""
    levels = [-1] + [0] * count
    for bits in bitmaps:
        for j in range(count, 0, -1):
            levels[j] |= levels[j - 1] & bits
    return levels
