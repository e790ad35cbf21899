"""The time zone meeting times are read in: ``[calendar] timezone`` in the config, else
the system's, found the same way on Linux, the BSDs and macOS.

A meeting stores a day and a wall-clock time ("10:30"); an invite needs the instant,
so the zone is attached when the calendar is written (``TZID`` with a ``VTIMEZONE``).
The system's zone is, in order: ``TZ`` when it names an IANA zone (``Europe/Helsinki``
or ``:Europe/Helsinki``), the zone ``/etc/localtime`` links to (``.../zoneinfo/NAME``,
also macOS's ``/var/db/timezone/zoneinfo/NAME``), the name in ``/etc/timezone``
(Debian), else UTC, which keeps every instant exact but shows times in UTC.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

LOCALTIME = Path("/etc/localtime")
TIMEZONE_FILE = Path("/etc/timezone")
FALLBACK = "UTC"


@dataclass(frozen=True)
class MeetingZone:
    zone: zoneinfo.ZoneInfo
    source: str  # "config", "TZ", "/etc/localtime", "/etc/timezone" or "fallback"

    @property
    def name(self) -> str:
        return self.zone.key


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of this name, or None (unknown, or not a plain zone name)."""
    name = name.strip()
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _from_link(target: str) -> str | None:
    """``Europe/Helsinki`` from ``/usr/share/zoneinfo/Europe/Helsinki`` and the like."""
    parts = Path(target).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index].startswith("zoneinfo"):
            name = "/".join(parts[index + 1 :])
            return name.removeprefix("posix/").removeprefix("right/") or None
    return None


def system_zone(
    env: Mapping[str, str] | None = None,
    localtime: Path = LOCALTIME,
    timezone_file: Path = TIMEZONE_FILE,
) -> MeetingZone:
    """The system's time zone (see the module docstring)."""
    env = os.environ if env is None else env
    tz = env.get("TZ", "")
    if tz:
        found = zone_named(tz.removeprefix(":"))
        if found is not None:
            return MeetingZone(found, "TZ")
    try:
        name = _from_link(os.readlink(localtime))
    except OSError:
        name = None
    found = zone_named(name) if name else None
    if found is not None:
        return MeetingZone(found, str(localtime))
    try:
        name = timezone_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        name = ""
    found = zone_named(name)
    if found is not None:
        return MeetingZone(found, str(timezone_file))
    return MeetingZone(zoneinfo.ZoneInfo(FALLBACK), "fallback")


def meeting_zone(configured: str | None, env: Mapping[str, str] | None = None) -> MeetingZone:
    """The configured zone when set (the config has checked it), else the system's."""
    if configured:
        found = zone_named(configured)
        if found is not None:
            return MeetingZone(found, "config")
    return system_zone(env)
