"""Two real Syncthing instances on loopback keep two workspaces' shared folders in step.

Discovery, relays, NAT and global announce are off; each instance listens on a static
``tcp://127.0.0.1:PORT`` address and knows the other's; ``maxConflicts`` is set. The
workspaces edit the same client, note and agreement while the link is paused, then the
link resumes and both end with identical exports and no conflict copy under replicas/.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.sync.conftest import Node

from pulsetui.domain.models import Agreement, Client
from pulsetui.sync.folder import FOLDER_NAME, REPLICAS, SYNCTHING_IGNORES, init_folder

SYNCTHING = shutil.which("syncthing")
FOLDER_ID = "pulsetui-team"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SYNCTHING is None, reason="the syncthing binary is not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Syncthing:
    """One Syncthing instance with its own home, GUI/API and listen port on 127.0.0.1."""

    def __init__(self, home: Path, folder: Path) -> None:
        self.home = home
        self.folder = folder
        self.gui_port = free_port()
        self.listen_port = free_port()
        self.api_key = f"pulsetui-test-{os.getpid()}-{self.gui_port}"
        out = subprocess.run(
            [str(SYNCTHING), "generate", f"--home={home}", "--no-default-folder"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        line = next(x for x in (out.stdout + out.stderr).splitlines() if "Device ID:" in x)
        self.device_id = line.split("Device ID:")[1].strip()
        self.process: subprocess.Popen[bytes] | None = None

    def configure(self, peer: Syncthing) -> None:
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        gui = root.find("gui")
        assert gui is not None
        _text(gui, "address", f"127.0.0.1:{self.gui_port}")
        _text(gui, "apikey", self.api_key)
        options = root.find("options")
        assert options is not None
        for name, value in {
            "listenAddress": f"tcp://127.0.0.1:{self.listen_port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "startBrowser": "false",
            "urAccepted": "-1",
            "autoUpgradeIntervalH": "0",
            "crashReportingEnabled": "false",
            "reconnectionIntervalS": "1",
            "setLowPriority": "false",
        }.items():
            _text(options, name, value)
        device = ET.SubElement(
            root, "device", id=peer.device_id, name="peer", compression="metadata"
        )
        _text(device, "address", f"tcp://127.0.0.1:{peer.listen_port}")
        _text(device, "paused", "false")
        folder = ET.Element(
            "folder",
            id=FOLDER_ID,
            label="pulsetui",
            path=str(self.folder),
            type="sendreceive",
            rescanIntervalS="1",
            fsWatcherEnabled="false",
            ignorePerms="false",
            autoNormalize="true",
        )
        for device_id in (self.device_id, peer.device_id):
            ET.SubElement(folder, "device", id=device_id, introducedBy="")
        _text(folder, "maxConflicts", "10")
        _text(folder, "minDiskFree", "0").set("unit", "%")
        root.insert(0, folder)
        tree.write(path)
        (self.folder / ".stignore").write_text("\n".join(SYNCTHING_IGNORES) + "\n")

    def start(self, log: Path) -> None:
        env = {**os.environ, "STNOUPGRADE": "1", "STNORESTART": "1", "STNODEFAULTFOLDER": "1"}
        self.process = subprocess.Popen(
            [str(SYNCTHING), "serve", f"--home={self.home}", "--no-browser"],
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            env=env,
        )
        wait_for(lambda: self.api("GET", "/rest/system/ping") is not None, 60, "API up")

    def api(self, method: str, path: str) -> bytes | None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            method=method,
            headers={"X-API-Key": self.api_key},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return bytes(response.read())
        except OSError:
            return None

    def connected(self, peer: Syncthing) -> bool:
        import json

        raw = self.api("GET", "/rest/system/connections")
        if raw is None:
            return False
        info = json.loads(raw)["connections"].get(peer.device_id, {})
        return bool(info.get("connected"))

    def scan(self) -> None:
        self.api("POST", f"/rest/db/scan?folder={FOLDER_ID}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.api("POST", "/rest/system/shutdown")
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = parent.find(tag)
    if element is None:
        element = ET.SubElement(parent, tag)
    element.text = value
    return element


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def replica_files(folder: Path) -> set[str]:
    root = folder / FOLDER_NAME / REPLICAS
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.fixture
def two_nodes(tmp_path: Path) -> Iterator[tuple[Syncthing, Syncthing, Node, Node]]:
    folders = [tmp_path / "sync-a", tmp_path / "sync-b"]
    for folder in folders:
        folder.mkdir()
    init_folder(folders[0])
    a = Syncthing(tmp_path / "st-a", folders[0])
    b = Syncthing(tmp_path / "st-b", folders[1])
    a.configure(b)
    b.configure(a)
    anna = bob = None
    try:
        a.start(tmp_path / "st-a.log")
        b.start(tmp_path / "st-b.log")
        wait_for(lambda: a.connected(b) and b.connected(a), 90, "the two devices to connect")
        wait_for(
            lambda: (folders[1] / FOLDER_NAME / "FORMAT").exists(), 90, "FORMAT to arrive at b"
        )
        anna = Node(tmp_path, "Anna", folders[0])
        bob = Node(tmp_path, "Bob", folders[1])
        yield a, b, anna, bob
    finally:
        for node in (anna, bob):
            if node is not None:
                with contextlib.suppress(Exception):
                    node.close()
        a.stop()
        b.stop()


def settle(a: Syncthing, b: Syncthing, anna: Node, bob: Node) -> None:
    """Sync both, let Syncthing carry the files, until both folders hold the same set."""
    for _ in range(4):
        anna.sync()
        bob.sync()
        a.scan()
        b.scan()
        wait_for(
            lambda: replica_files(anna.shared) == replica_files(bob.shared),
            90,
            "both folders to hold the same segments",
        )
    anna.sync()
    bob.sync()


def test_two_syncthing_nodes_converge_after_paused_edits(
    two_nodes: tuple[Syncthing, Syncthing, Node, Node],
) -> None:
    a, b, anna, bob = two_nodes
    client = anna.ws.add(Client, name="Acme Oy", notes="first meeting went well")
    agreement = anna.ws.add_agreement(client.uid, "Send the demo link", side="us")
    settle(a, b, anna, bob)
    assert bob.ws.require(Client, client.uid).notes == "first meeting went well"

    a.api("POST", f"/rest/system/pause?device={b.device_id}")
    b.api("POST", f"/rest/system/pause?device={a.device_id}")
    wait_for(lambda: not a.connected(b) and not b.connected(a), 30, "the link to pause")
    anna.ws.update(Client, client.uid, notes="Anna: they want a workshop", stage="adoption")
    bob.ws.update(Client, client.uid, notes="Bob: budget is frozen")
    anna.ws.set_agreement_status(agreement.uid, "done")
    bob.ws.set_agreement_status(agreement.uid, "broken", reason="link bounced")
    anna.sync()
    bob.sync()
    a.scan()
    b.scan()
    time.sleep(1)
    assert bob.ws.require(Client, client.uid).notes == "Bob: budget is frozen"

    a.api("POST", f"/rest/system/resume?device={b.device_id}")
    b.api("POST", f"/rest/system/resume?device={a.device_id}")
    wait_for(lambda: a.connected(b) and b.connected(a), 90, "the link to resume")
    settle(a, b, anna, bob)

    assert anna.ws.export_json() == bob.ws.export_json()
    notes = sorted(bob.ws.conflicts(Client, client.uid)["notes"])
    assert notes == ["Anna: they want a workshop", "Bob: budget is frozen"]
    history = [h.status.value for h in bob.ws.require(Agreement, agreement.uid).history]
    assert sorted(history) == ["broken", "done", "open"]
    for folder in (anna.shared, bob.shared):
        conflicts = list((folder / FOLDER_NAME / REPLICAS).rglob("*sync-conflict*"))
        assert conflicts == []
    assert not anna.engine.status().problems and not bob.engine.status().problems
