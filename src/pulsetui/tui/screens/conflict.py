"""Settling a sync conflict: a field edited on two replicas at once shows both versions
side by side — "keep mine", "keep theirs" or "edit merged" — and is resolved with
``Workspace.resolve``. Also the notice for a record an edit kept alive against a
concurrent delete (``Workspace.revived``)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static, TextArea

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES
from pulsetui.service.conflicts import as_text, merged_text, record_title, versions_of
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.literal import LiteralStatic, literal, one_line
from pulsetui.tui.widgets.text_fields import NoteArea


class ConflictModal(ModalHelp, BaseModal):
    """Both versions of each conflicted field, side by side, and the three choices."""

    WRITING = False  # a question answered with its letter keys, nothing to type

    HELP_TITLE = "Conflict"

    HELP = (
        "This record was changed on two devices (or by two people) at the same time. "
        "Both versions are kept until you choose: m = keep mine, t = keep theirs, "
        "e = edit a merged text (ctrl+s saves it). Esc decides later."
    )
    DEFAULT_CSS = """
    ConflictModal { align: center middle; }
    ConflictModal > VerticalScroll {
        width: 100%; max-width: 120; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ConflictModal .side { width: 1fr; height: auto; border: round $panel; padding: 0 1; }
    ConflictModal .sides { height: auto; }
    ConflictModal #merged { height: 6; display: none; }
    ConflictModal.-editing #merged { display: block; }
    ConflictModal .error { color: $error; text-style: bold; }
    ConflictModal .buttons { height: auto; }
    ConflictModal Button { margin-right: 1; min-width: 14; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *keys.bindings("back", "save"),
        ModalHelp.HELP_BINDING,
        Binding("m", "keep('mine')", "Keep mine"),
        Binding("t", "keep('theirs')", "Keep theirs"),
        Binding("e", "edit_merged", "Edit merged"),
    ]

    def __init__(self, kind: str, uid: str) -> None:
        super().__init__()
        self.kind = kind
        self.uid = uid
        self.resolved: list[str] = []

    def compose(self) -> ComposeResult:
        ws = self.workspace
        spec = ENTITIES[self.kind]
        self.pending = versions_of(ws, self.kind, self.uid)
        title = one_line(record_title(ws, self.kind, self.uid), 60)
        with VerticalScroll() as box:
            box.border_title = Text(f"Conflict: {spec.label} {title}")  # a Text: not markup
            yield LiteralStatic("", id="field-name")
            with Horizontal(classes="sides"):
                with Vertical(classes="side", id="mine-side"):
                    yield Label("Mine", id="mine-title")
                    yield Static("", id="mine")
                with Vertical(classes="side", id="theirs-side"):
                    yield Label("Theirs", id="theirs-title")
                    yield Static("", id="theirs")
            yield NoteArea("", id="merged")
            yield Label("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Keep mine (m)", id="keep-mine")
                yield Button("Keep theirs (t)", id="keep-theirs")
                yield Button("Edit merged (e)", id="edit")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self._show()

    def _show(self) -> None:
        if not self.pending:
            self.dismiss(self.resolved)
            return
        current = self.pending[0]
        left = len(self.pending)
        self.query_one("#field-name", LiteralStatic).set_text(
            f"Field: {current.field}" + (f"  ({left} conflicted fields left)" if left > 1 else "")
        )
        self.query_one("#mine-title", Label).update("Mine" if current.mine_is_ours else "Shown now")
        self.query_one("#theirs-title", Label).update("Theirs" if current.mine_is_ours else "Other")
        self.query_one("#mine", Static).update(literal(as_text(current.mine)))
        self.query_one("#theirs", Static).update(literal(as_text(current.theirs)))
        self.query_one("#error", Label).update("")
        self.remove_class("-editing")
        self.query_one("#keep-mine", Button).focus()

    def _resolve(self, value: Any) -> None:
        current = self.pending[0]
        try:
            self.workspace.resolve(self.kind, self.uid, current.field, value)
        except InvalidInput as exc:
            self.query_one("#error", Label).update(
                literal("; ".join(f"⚠ {p.field}: {p.message}" for p in exc.problems))
            )
            return
        self.resolved.append(current.field)
        self.pending.pop(0)
        self._show()

    def action_keep(self, side: str) -> None:
        if self.has_class("-editing") or not self.pending:
            return
        current = self.pending[0]
        self._resolve(current.mine if side == "mine" else current.theirs)

    def action_edit_merged(self) -> None:
        if not self.pending or self.has_class("-editing"):
            return
        current = self.pending[0]
        area = self.query_one("#merged", TextArea)
        area.load_text(merged_text(current.mine, current.theirs))
        self.add_class("-editing")
        area.focus()

    def action_save(self) -> None:
        if self.has_class("-editing") and self.pending:
            self._resolve(self.query_one("#merged", TextArea).text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "keep-mine":
            self.action_keep("mine")
        elif event.button.id == "keep-theirs":
            self.action_keep("theirs")
        elif event.button.id == "edit":
            self.action_edit_merged()

    def action_back(self) -> None:
        if self.has_class("-editing"):
            self.remove_class("-editing")
            self.query_one("#keep-mine", Button).focus()
            return
        self.dismiss(self.resolved)
