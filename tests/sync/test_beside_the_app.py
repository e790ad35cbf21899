"""Sync while a command writes beside the app: the app's background passes and
``pulsetui sync`` share one workspace's sync state, take turns, and never publish two
segments with one number (which peers would take for a copied workspace)."""

from __future__ import annotations

from pathlib import Path

from tests.sync.conftest import NOW, Node

from pulsetui.domain.models import Client
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.sync.engine import SyncEngine


def test_the_app_and_a_command_sync_one_workspace_in_turns(tmp_path: Path, shared: Path) -> None:
    app = Node(tmp_path, "Anna", shared)
    peer = Node(tmp_path, "Bob", shared)
    try:
        rid = app.rid
        for n in range(4):
            command = Workspace.open(app.home, me="Anna", config=Config(), clock=lambda: NOW)
            engine = SyncEngine(command, shared)
            try:
                command.add(Client, name=f"From a command {n}")
                report = engine.run_once()  # `pulsetui sync` beside the app
                assert not report.clone and not report.problems, report.lines()
            finally:
                engine.close()
                command.close()
            app.ws.add(Client, name=f"From the app {n}")
            report = app.sync()
            assert not report.clone and not report.problems, report.lines()
            peer.sync()
        assert app.rid == rid  # no copy of the workspace was suspected
        names = {doc["name"] for doc in peer.ws.docs("client")}
        assert names >= {f"From {who} {n}" for who in ("a command", "the app") for n in range(4)}
        app.ws.take_in_saves_made_elsewhere()
        assert {doc["name"] for doc in app.ws.docs("client")} >= names
    finally:
        app.close()
        peer.close()


def test_a_pass_while_another_process_syncs_waits_then_says_so(
    tmp_path: Path, shared: Path
) -> None:
    app = Node(tmp_path, "Anna", shared)
    command = Workspace.open(app.home, me="Anna", config=Config(), clock=lambda: NOW)
    engine = SyncEngine(command, shared)
    try:
        with app.ws.store.sync_turn(0.0) as other:
            assert other is None
            report = engine.run_once(wait=0.2)
        assert report.exported_ops == 0
        assert any("is syncing this workspace just now" in p for p in report.problems)
        assert engine.run_once(wait=0.2).exported_ops > 0  # its turn, once the other ended
    finally:
        engine.close()
        command.close()
        app.close()
