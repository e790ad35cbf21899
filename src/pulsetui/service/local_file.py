"""What a workspace keeps about this person on this machine (``<home>/local.json``):
which manager signs in when no name is given; and the clock. Light to import, so a
start can read them before the workspace is opened."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import orjson

LOCAL_NAME = "local.json"


def read_local(home: Path) -> dict[str, Any]:
    """The workspace's local settings; empty when there are none or they are unreadable."""
    try:
        data = orjson.loads((home / LOCAL_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def local_me(home: Path) -> str | None:
    """The uid of the manager who signs in at ``home`` when no name is given."""
    me = read_local(home).get("me")
    return me if isinstance(me, str) and me else None


def system_clock() -> dt.datetime:
    """Now, to the second (``PULSETUI_NOW`` fixes it, for tests and benchmarks)."""
    frozen = os.environ.get("PULSETUI_NOW")
    if frozen:
        return dt.datetime.fromisoformat(frozen)
    return dt.datetime.now().replace(microsecond=0)
