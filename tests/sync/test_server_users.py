"""eNPS on a server shared by real, separate Unix users in one group (`sync init
--group`): a member's answer is dropped once with no false problem, no answer file
belongs to the person who answered, every manager counts it, a user outside the group
is told about permissions, and `sync --check` warns about a parent folder members
could replace. Run under umask 022 and 077.

The test creates a group and four users (three members, one outsider) and removes
them afterwards; it runs only as root."""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import pulsetui
from pulsetui.store.answers import FIXED_MTIME_NS
from pulsetui.sync.folder import FOLDER_NAME, INBOX
from pulsetui.sync.inbox import decode_answer

pytestmark = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root to create the Unix users and the group of a shared server",
)

SITE = Path(sysconfig.get_paths()["purelib"])
SRC = Path(pulsetui.__file__).resolve().parents[1]
BOOT = (
    "import sys; sys.path[:0] = [{src!r}, {site!r}]; "
    "from pulsetui.cli.main import main; main(sys.argv[1:])"
)
START = "2026-12-01T10:00:00"


def _reachable_by_others(path: Path, mode_bit: int) -> bool:
    path = path.resolve()
    if not all(os.stat(parent).st_mode & stat.S_IXOTH for parent in path.parents):
        return False
    return bool(os.stat(path).st_mode & mode_bit)


def python_for_others() -> str | None:
    """An interpreter of this Python version that other users may run, or None."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = (sys.executable, shutil.which(f"python{version}"), f"/usr/bin/python{version}")
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        if not _reachable_by_others(Path(candidate), stat.S_IXOTH):
            continue
        found = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if found.stdout.strip() == version:
            return candidate
    return None


@dataclass
class Person:
    name: str
    uid: int
    gid: int
    home: Path
    member: bool


class Server:
    """A group, its members and an outsider, a shared folder, and a way to run
    pulsetui as each of them."""

    def __init__(self, base: Path, python: str, umask: int) -> None:
        suffix = secrets.token_hex(3)
        self.base = base
        self.python = python
        self.umask = umask
        self.group = f"ptteam{suffix}"
        self.people: dict[str, Person] = {}
        self.shared = base / "shared"
        self._suffix = suffix

    def create(self) -> None:
        subprocess.run(["groupadd", self.group], check=True)
        self.gid = grp.getgrnam(self.group).gr_gid
        homes = self.base / "homes"
        homes.mkdir(mode=0o755)
        for name, member in (("alice", True), ("bob", True), ("carol", True), ("dave", False)):
            login = f"pt{name}{self._suffix}"
            command = ["useradd", "-M", "-N", "-g", "users", "-s", "/usr/sbin/nologin"]
            if member:
                command += ["-G", self.group]
            subprocess.run([*command, login], check=True)
            entry = pwd.getpwnam(login)
            home = homes / name
            home.mkdir(mode=0o700)
            os.chown(home, entry.pw_uid, entry.pw_gid)
            self.people[name] = Person(login, entry.pw_uid, entry.pw_gid, home, member)
        # the usual parent on a server: root's, the team's group may write, setgid
        self.shared.mkdir()
        os.chown(self.shared, 0, self.gid)
        os.chmod(self.shared, 0o2775)

    def remove(self) -> None:
        for person in self.people.values():
            subprocess.run(["userdel", person.name], check=False, capture_output=True)
        subprocess.run(["groupdel", self.group], check=False, capture_output=True)

    def run(self, who: str, *args: str, now: str = START) -> subprocess.CompletedProcess[str]:
        person = self.people[who]
        env = {
            "HOME": str(person.home),
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "PULSETUI_HOME": str(person.home / "workspace"),
            "PULSETUI_SHARED": str(self.shared),
            "PULSETUI_CONFIG": str(person.home / "no-config.toml"),
            "PULSETUI_ME": who.title(),
            "PULSETUI_NOW": now,
        }
        boot = BOOT.format(src=str(SRC), site=str(SITE))
        return subprocess.run(
            [self.python, "-s", "-c", boot, *args],
            user=person.uid,
            group=person.gid,
            extra_groups=[self.gid] if person.member else [],
            umask=self.umask,
            env=env,
            cwd=person.home,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def json(self, who: str, *args: str, now: str = START) -> dict[str, Any]:
        result = self.run(who, *args, "--json", now=now)
        assert result.returncode == 0, (who, args, result.stdout, result.stderr)
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    def ok(self, who: str, *args: str, now: str = START) -> str:
        result = self.run(who, *args, now=now)
        assert result.returncode == 0, (who, args, result.stdout, result.stderr)
        return result.stdout


@pytest.fixture(params=[0o022, 0o077], ids=["umask022", "umask077"])
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    python = python_for_others()
    if python is None:
        pytest.skip("no Python of this version that other users may run")
    if not (_reachable_by_others(SITE, stat.S_IROTH) and _reachable_by_others(SRC, stat.S_IROTH)):
        pytest.skip("the installed packages are not readable by other users")
    base = Path(tempfile.mkdtemp(prefix="pulsetui-server-"))
    os.chmod(base, 0o755)
    made = Server(base, python, request.param)
    try:
        made.create()
        yield made
    finally:
        made.remove()
        shutil.rmtree(base, ignore_errors=True)
    with contextlib.suppress(KeyError):
        grp.getgrnam(made.group)
        pytest.fail(f"group {made.group} was not removed")


def test_enps_on_a_shared_server(server: Server) -> None:
    alice, bob, carol, dave = (server.people[n] for n in ("alice", "bob", "carol", "dave"))
    root = server.shared / FOLDER_NAME
    server.ok("alice", "sync", "init", "--group", server.group)
    server.ok("alice", "enps", "open", "--round", "2026", "--closes", "2026-12-20")
    for who in ("alice", "bob", "carol"):
        report = server.json(who, "sync")
        assert report["problems"] == [], (who, report)
    said = server.ok("carol", "enps", "add", "--score", "3", "--reason", "slow reviews")
    assert "saved an anonymous eNPS answer for round 2026" in said
    # held: not in this pass, nor in any pass before its random moment has come
    report = server.json("carol", "sync")
    assert report["answers_dropped"] == 0 and report["problems"] == []
    answers = [p for p in (root / INBOX).iterdir() if p.stat().st_size]
    assert answers == []
    # dropped once, in a pass that sends none of carol's changes, with no problem
    report = server.json("carol", "sync", now="2026-12-01T17:00:00")
    assert report["answers_dropped"] == 1 and report["problems"] == []
    assert report["segments_written"] == []
    report = server.json("carol", "sync", now="2026-12-01T18:00:00")
    assert report["answers_dropped"] == 0 and report["problems"] == []
    [answer] = [p for p in (root / INBOX).iterdir() if p.stat().st_size]
    st = answer.stat()
    assert st.st_uid in (alice.uid, bob.uid) and st.st_uid != carol.uid
    op = decode_answer(answer.read_bytes())
    assert op["data"] == {"round": "2026", "score": 3, "reason": "slow reviews"}
    assert op["hlc"] == [0, 0] and op["rid"] == "anon"
    # whatever carol owns in the inbox are empty slots, as every member has
    for path in (root / INBOX).iterdir():
        if path.stat().st_uid == carol.uid:
            assert path.stat().st_size == 0
    # every manager counts it; its owner seals it with a fixed time
    for who in ("alice", "bob"):
        report = server.json(who, "sync", now="2026-12-01T19:00:00")
        assert report["answers_read"] == 1 and report["problems"] == [], (who, report)
        rounds = server.json(who, "enps", "rounds", now="2026-12-01T19:00:00")["rounds"]
        assert [(r["round"], r["n"], r["phase"]) for r in rounds] == [("2026", 1, "open")]
    st = answer.stat()
    assert stat.S_IMODE(st.st_mode) == 0o640 and st.st_mtime_ns == FIXED_MTIME_NS
    assert st.st_gid == server.gid
    # no file the group cannot read, whatever the umask
    for path in root.rglob("*"):
        mode = path.stat().st_mode
        assert mode & stat.S_IRGRP, (path, oct(mode))
    # a user outside the group is told it is about permissions
    result = server.run("dave", "sync")
    told = result.stdout + result.stderr
    assert result.returncode == 1
    assert "permission denied" in told and server.group in told and dave.name in told
    assert "run `pulsetui sync init`" not in told
    result = server.run("dave", "sync", "init")
    told = result.stdout + result.stderr
    assert result.returncode == 1 and "permission denied" in told
    assert "not a directory" not in told
    # sync --check: the parent folder lets members replace pulsetui/
    result = server.run("alice", "sync", "--check")
    assert f"lets members of group {server.group} replace {FOLDER_NAME}/" in result.stdout
    os.chmod(server.shared, 0o3775)
    result = server.run("alice", "sync", "--check")
    assert "replace" not in result.stdout, result.stdout
