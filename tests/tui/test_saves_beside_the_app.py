"""The app open while a command writes to the same workspace (a script, a second
terminal): the command's agreement and eNPS answer are saved, the app's screen shows
the agreement without a restart, and after both have quit the journal and the view
hold every save exactly once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import stopped, wait_for
from textual.widgets import DataTable

from pulsetui.service.config import Config
from pulsetui.service.enps_rounds import open_round
from pulsetui.service.workspace import Workspace
from pulsetui.store import viewfile
from pulsetui.store.journal import JOURNAL_NAME
from pulsetui.store.store import VIEW_NAME
from pulsetui.tui.app import make_app

SCRIPT = Path(sys.executable).with_name("pulsetui")


def pulsetui(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pulsetui.cli.main"]
    return subprocess.run(
        [*command, "--home", str(home), "--as", "Anna Virtanen", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PULSETUI_NOW": FROZEN_NOW.isoformat()},
        stdin=subprocess.DEVNULL,
    )


def table_texts(app: object) -> list[str]:
    table = app.screen.query_one(DataTable)  # type: ignore[attr-defined]
    return [" ".join(c.plain for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_a_command_writes_while_the_app_is_open_and_the_screen_shows_it(
    tmp_path: Path,
) -> None:
    home = tmp_path / "ws"
    ws = Workspace.open(
        home, me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW, app=True
    )
    acme = ws.add("client", name="Acme Oy", manager=ws.me)
    ws.add_agreement(acme.uid, "Send the roadmap", "us", owner="Anna")
    open_round(ws, "2026", "2026-11-30")
    app = make_app(ws, start_mode="agreements", sync=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(lambda: any("Send the roadmap" in t for t in table_texts(app)), pilot)
        added = await asyncio.to_thread(
            pulsetui, home, "agreement", "add", "--client", "acme", "--side", "client",
            "--text", "Give VPN access ä ж 🚀",
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        answered = await asyncio.to_thread(pulsetui, home, "enps", "add", "--score", "9")
        assert answered.returncode == 0, answered.stderr
        listed = await asyncio.to_thread(pulsetui, home, "list", "agreements", "--json")
        assert listed.returncode == 0 and "Give VPN access" in listed.stdout  # reads too
        await wait_for(
            lambda: any("Give VPN access ä ж 🚀" in t for t in table_texts(app)), pilot, 30.0
        )
        await wait_for(lambda: len(list(ws.docs("enps"))) == 1, pilot, 30.0)
        await pilot.press("ctrl+q")
        await stopped(app)
    ws.close()

    lines = (home / "journal" / JOURNAL_NAME).read_bytes().splitlines()[1:]
    ops = [op for line in lines for op in _ops(orjson.loads(line))]
    assert max(Counter(op["id"] for op in ops).values()) == 1
    texts = Counter(op["data"]["text"] for op in ops if op.get("entity") == "agreement"
                    and op["kind"] == "create")  # fmt: skip
    assert texts == Counter({"Send the roadmap": 1, "Give VPN access ä ж 🚀": 1})
    view, meta = viewfile.read(home / VIEW_NAME)
    assert meta["journal_offset"] == (home / "journal" / JOURNAL_NAME).stat().st_size
    assert sorted(d["text"] for d in view.docs("agreement")) == [
        "Give VPN access ä ж 🚀",
        "Send the roadmap",
    ]
    answers = orjson.loads((home / "answers.json").read_bytes())["answers"]
    assert [a["data"]["score"] for a in answers] == [9]


def _ops(payload: object) -> list[dict]:
    return payload if isinstance(payload, list) else [payload]  # type: ignore[return-value]
