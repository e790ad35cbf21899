"""The pulsetui Textual application."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace


class PulseApp(App[None]):
    TITLE = "pulsetui"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        yield Header()
        ws = self.workspace
        yield Static(f"Signed in as {ws.me_name}. {ws.count('client')} clients.", markup=False)
        yield Footer()


def run_app(home: Path, as_name: str | None, config: Config) -> None:
    ws = Workspace.open(home, me=as_name, config=config)
    try:
        PulseApp(ws).run()
    finally:
        ws.close()
