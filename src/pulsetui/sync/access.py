"""Who may do what in the shared folder: permission problems named as such, and
folders that let other people replace what is in them.

On a server several Unix users share one folder through a group. When this user may
not read or enter a part of it, the message says which folder, whose it is, which
group may use it, and what to ask for (``permission_problem``) instead of calling the
folder missing or broken. ``replaceable_by_others`` finds folders that members of the
group (or everyone) may write in without the sticky bit: any of them could move a
folder inside away and put another in its place.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def user_name(uid: int | None = None) -> str:
    import pwd  # POSIX only, imported where used

    uid = os.geteuid() if uid is None else uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _in_group(gid: int) -> tuple[bool, bool]:
    """(this process has the group now, the user is listed in it)."""
    import grp
    import pwd

    active = gid == os.getegid() or gid in os.getgroups()
    try:
        entry = grp.getgrgid(gid)
        listed = user_name() in entry.gr_mem or pwd.getpwnam(user_name()).pw_gid == gid
    except KeyError:
        listed = False
    return active, listed


def describe(path: Path, st: os.stat_result) -> str:
    return (
        f"{path} (owner {user_name(st.st_uid)}, group {group_name(st.st_gid)}, "
        f"mode {stat.S_IMODE(st.st_mode):o})"
    )


def _advice(st: os.stat_result) -> str:
    group = group_name(st.st_gid)
    active, listed = _in_group(st.st_gid)
    me = user_name()
    if listed and not active:
        return f"{me} was added to group {group} after logging in: log in again"
    if not active:
        return (
            f"ask {user_name(st.st_uid)} or the administrator to add {me} to group {group} "
            "(then log in again)"
        )
    return (
        f"group {group} may not use it: its owner {user_name(st.st_uid)} can run "
        f"`pulsetui sync init --group {group}` there"
    )


def permission_problem(path: Path, write: bool = False) -> str | None:
    """Why this user may not reach ``path`` (read it, or with ``write`` create in it):
    the first folder on the way that refuses, named with its owner, group and mode
    and what to ask for. None when there is no permission problem (it may still be
    missing: that is not this function's business)."""
    path = Path(os.path.abspath(path))
    parts = [*reversed(path.parents), path]
    for index, part in enumerate(parts):
        try:
            st = os.stat(part)
        except PermissionError:
            continue  # reported at the folder above, which refused the search
        except OSError:
            return None
        last = index == len(parts) - 1
        if stat.S_ISDIR(st.st_mode):
            need = os.X_OK
            if last:
                need |= os.W_OK if write else os.R_OK
            if not os.access(part, need):
                doing = "enter" if not last else ("create files in" if write else "read")
                return (
                    f"permission denied: {user_name()} may not {doing} {describe(part, st)}; "
                    f"{_advice(st)}"
                )
        elif last and not os.access(part, os.W_OK if write else os.R_OK):
            doing = "write" if write else "read"
            return (
                f"permission denied: {user_name()} may not {doing} {describe(part, st)}; "
                f"{_advice(st)}"
            )
    return None


def replaceable_by_others(path: Path) -> str | None:
    """Who besides its owner may replace entries of the folder ``path`` (write in it
    without the sticky bit): "members of group G", "every user", or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    mode = st.st_mode
    if not stat.S_ISDIR(mode) or mode & stat.S_ISVTX:
        return None
    if mode & stat.S_IWOTH:
        return "every user"
    if mode & stat.S_IWGRP:
        return f"members of group {group_name(st.st_gid)}"
    return None
