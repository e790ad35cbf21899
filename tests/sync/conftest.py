"""Sync test fixtures: workspaces that each see the shared folder, or their own copy of it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.sync.engine import SyncEngine
from pulsetui.sync.folder import FOLDER_NAME, init_folder

NOW = dt.datetime(2026, 11, 20, 10, 0, 0)


class Node:
    """One installation: a workspace, the folder it syncs with, and its engine."""

    def __init__(self, base: Path, name: str, shared: Path, personal: Path | None = None):
        self.name = name
        self.home = base / f"home-{name}"
        self.shared = shared
        self.personal = personal
        self.now = NOW  # the workspace's clock: tests move it on
        self.ws = Workspace.open(self.home, me=name, config=Config(), clock=lambda: self.now)
        self.engine = SyncEngine(self.ws, shared, personal)

    @property
    def root(self) -> Path:
        return self.shared / FOLDER_NAME

    @property
    def rid(self) -> str:
        return str(self.ws.store.rid)

    def sync(self):  # type: ignore[no-untyped-def]
        return self.engine.run_once()

    def reopen(self) -> None:
        self.close()
        self.ws = Workspace.open(self.home, me=self.name, config=Config(), clock=lambda: self.now)
        self.engine = SyncEngine(self.ws, self.shared, self.personal)

    def close(self) -> None:
        self.engine.close()
        self.ws.close(checkpoint="never")


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    init_folder(folder)
    return folder


@pytest.fixture
def nodes(tmp_path: Path, shared: Path) -> Iterator[list[Node]]:
    made = [Node(tmp_path, name, shared) for name in ("Anna", "Bob")]
    yield made
    for node in made:
        node.close()


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True)
