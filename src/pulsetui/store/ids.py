"""Identities: record uids (ULIDs), replica ids, op ids and the hybrid logical clock."""

from __future__ import annotations

import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _base32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_ulid(now_ms: int | None = None) -> str:
    """A ULID: 48 bits of milliseconds and 80 random bits, Crockford base32."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    return ulid_from(ms, int.from_bytes(os.urandom(10), "big"))


def ulid_from(ms: int, entropy: int) -> str:
    """The ULID of a given moment (milliseconds since the epoch) and 80 bits of entropy:
    the same inputs give the same uid, so generated data (the demo) can be repeated."""
    return _base32(ms, 10) + _base32(entropy, 16)


def new_anonymous_uid() -> str:
    """A uid that carries no time and no origin (for anonymous eNPS answers)."""
    return uuid.uuid4().hex


def anonymous_uid_from(entropy: int) -> str:
    """An anonymous uid from 128 bits of entropy: 32 hex digits, like
    :func:`new_anonymous_uid`, but repeatable for generated data."""
    return f"{entropy:032x}"


def new_replica_id() -> str:
    return secrets.token_hex(8)


ANON_RID = "anon"


def op_id(rid: str, wall: int, counter: int) -> str:
    return f"{rid}:{wall}:{counter}"


def op_key(opid: str) -> tuple[int, int, str]:
    """Total order of op ids: by HLC, then by replica id."""
    rid, wall, counter = opid.rsplit(":", 2)
    return int(wall), int(counter), rid


def split_op_id(opid: str) -> tuple[str, tuple[int, int]]:
    rid, wall, counter = opid.rsplit(":", 2)
    return rid, (int(wall), int(counter))


@dataclass
class HybridClock:
    """A hybrid logical clock ``(wall_ms, counter)`` that never goes backwards."""

    wall: int = 0
    counter: int = 0
    now_ms: Callable[[], int] = lambda: int(time.time() * 1000)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def tick(self) -> tuple[int, int]:
        with self._lock:
            now = self.now_ms()
            if now > self.wall:
                self.wall, self.counter = now, 0
            else:
                self.counter += 1
            return self.wall, self.counter

    def observe(self, wall: int, counter: int) -> None:
        """Move past a timestamp seen in another replica's op."""
        with self._lock:
            if (wall, counter) > (self.wall, self.counter):
                self.wall, self.counter = wall, counter

    @property
    def value(self) -> tuple[int, int]:
        return self.wall, self.counter
