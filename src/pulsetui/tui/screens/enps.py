"""Anonymous eNPS quick entry (``pulsetui enps``): one score, an optional "why", submit.
The screen says plainly what the rules are (anonymous, the minimum group, when the
results appear: ``answer_rules``); the answer is saved with ``Workspace.add_enps`` (no
name, no time, no replica id — only the survey round)."""

from __future__ import annotations

from typing import ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.enps_rounds import answer_rules
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.lifecycle import ClosingAwareApp, still_live
from pulsetui.tui.notices import LiteralNotices
from pulsetui.tui.screens.base import stylesheet
from pulsetui.tui.screens.field_keys import TAB_BINDINGS
from pulsetui.tui.widgets.key_hints import KeyHints
from pulsetui.tui.widgets.score_field import ScoreField
from pulsetui.tui.widgets.text_fields import TextInput


class EnpsScreen(Screen[None]):
    """How likely are you to recommend working here to a friend? 0-10."""

    TITLE = "eNPS"
    HELP = (
        "Anonymous eNPS: press a digit for your score (1 then 0 gives 10), optionally "
        "say why, then ctrl+s or the Submit button. Esc or q leaves without saving."
    )
    DEFAULT_CSS = """
    EnpsScreen { align: center middle; }
    EnpsScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1;
    }
    EnpsScreen #anonymous { border: tall $success; padding: 0 1; margin-bottom: 1; }
    EnpsScreen .row { height: auto; margin-top: 1; }
    EnpsScreen .field-label { width: 8; text-style: bold; }
    EnpsScreen .error { color: $error; text-style: bold; }
    EnpsScreen .error.-empty { display: none; }
    EnpsScreen #thanks { text-style: bold; margin-top: 1; width: 1fr; height: auto; }
    EnpsScreen Input { width: 1fr; }
    EnpsScreen Button { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *keys.bindings("save"),
        Binding("escape", "app.quit", "Leave"),
        Binding("question_mark,f1", "app.help", "Help"),
        *TAB_BINDINGS,
    ]

    def __init__(self, round: str | None = None) -> None:
        super().__init__()
        self.round = round

    @property
    def workspace(self) -> Workspace:
        return cast("EnpsApp", self.app).workspace

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "eNPS — anonymous"
            rules = answer_rules(self.workspace)
            yield Static(Text(rules), id="anonymous")
            yield Static(
                Text("How likely are you to recommend working here to a friend?", style="bold")
            )
            with Horizontal(classes="row"):
                yield Label("Score", classes="field-label")
                yield ScoreField(id="score")
            yield Label("", id="score-error", classes="error -empty")
            with Horizontal(classes="row"):
                yield Label("Why", classes="field-label")
                yield TextInput(placeholder="optional", id="reason", compact=True)
            yield Label("", id="reason-error", classes="error -empty")
            yield Button("Submit (ctrl+s)", id="submit", variant="primary")
            yield Label("", id="thanks")
        yield KeyHints()

    def on_mount(self) -> None:
        if still_live(self):
            self.query_one(ScoreField).focus()

    def _error(self, field: str, message: str) -> None:
        label = self.query_one(f"#{field}-error", Label)
        label.update(Text(f"⚠ {field}: {message}") if message else "")  # typed text, not markup
        label.set_class(not message, "-empty")

    def on_score_field_changed(self, event: ScoreField.Changed) -> None:
        if event.value is not None:
            self._error("score", "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def action_save(self) -> None:
        self._error("score", "")
        self._error("reason", "")
        score = self.query_one(ScoreField).value
        if score is None:
            self._error("score", "press a digit 0-9, or 1 then 0 for 10")
            self.query_one(ScoreField).focus()
            return
        reason = self.query_one("#reason", Input)
        try:
            record = self.workspace.add_enps(score=score, reason=reason.value, round=self.round)
        except InvalidInput as exc:
            for problem in exc.problems:
                field = problem.field if problem.field in ("score", "reason") else "reason"
                self._error(field, problem.message)
            return
        self.query_one(ScoreField).value = None
        reason.value = ""
        self.query_one("#thanks", Label).update(
            f"Thank you — your answer for round {record.round} is saved, anonymously. "
            "Press Esc to leave."
        )
        self.query_one(ScoreField).focus()
        self.query_one("#thanks", Label).scroll_visible()


class EnpsApp(LiteralNotices, ClosingAwareApp):
    """A minimal app holding only the anonymous eNPS screen."""

    TITLE = "pulsetui eNPS"
    CSS_PATH = stylesheet("app.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(self, workspace: Workspace, round: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.round = round

    def on_mount(self) -> None:
        self.push_screen(EnpsScreen(self.round))

    def action_help(self) -> None:
        from pulsetui.tui.screens.help import HelpScreen, key_rows

        screen = self.screen
        text = screen.HELP if isinstance(screen, EnpsScreen) else ""
        self.push_screen(HelpScreen("eNPS", text, key_rows(screen)))
