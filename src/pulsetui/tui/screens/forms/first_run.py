"""The guided setup an empty workspace opens on: who you are, your first client (with its
contacts and meeting cadence), then your consultants and where they are placed — each
step one of the record forms, all from the keyboard, skippable step by step or whole.
Whether it opens is the service's rule (:func:`pulsetui.service.portfolio.needs_setup`)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client, Consultant, Engagement
from pulsetui.service.portfolio import finish_setup, needs_setup, set_my_name
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.field_keys import FieldKeys
from pulsetui.tui.screens.forms.client_form import ClientForm
from pulsetui.tui.screens.forms.consultant_form import ConsultantForm
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.literal import one_line
from pulsetui.tui.widgets.text_fields import TextInput

STEPS = ("Who you are", "Your first client", "Your consultants")
NAME, CLIENT, CONSULTANTS = range(3)

INTRO = (
    "A short setup in three steps: who you are, your first client with its contacts "
    "and meeting cadence, your consultants and where they work. Everything can be "
    "changed later: + on a list adds, Enter opens."
)


class FirstRunScreen(FieldKeys, ModalHelp, BaseModal):
    """The guided setup; dismisses with True when finished, False when skipped."""

    HELP_TITLE = "Guided setup"
    HELP = """\
The first start of an empty workspace. Step 1: your name as the team will see it (Enter
keeps it). Step 2: Enter opens the client form — the name, how often you meet, the
contacts and who of them decides. Step 3: Enter opens the consultant form — a consultant
and the client they are placed at; add as many as you like, then F10 finishes.
F8 skips a step; Esc skips the rest of the setup (it does not open again on this
workspace; + on the Clients and Consultants lists adds records any time)."""
    DEFAULT_CSS = """
    FirstRunScreen { align: center middle; }
    FirstRunScreen > #setup {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    FirstRunScreen #setup-intro { color: $text-muted; margin-bottom: 1; }
    FirstRunScreen #setup-steps { margin-bottom: 1; }
    FirstRunScreen #setup-name-row { height: 1; }
    FirstRunScreen #setup-name-row > Static { width: 12; }
    FirstRunScreen #setup-name { width: 1fr; }
    FirstRunScreen #setup-error { color: $error; text-style: bold; }
    FirstRunScreen #setup-error.-empty { display: none; }
    FirstRunScreen #setup-keys { margin-top: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Skip setup"),
        *FieldKeys.FIELD_BINDINGS,  # Enter takes the step
        Binding("f8", "skip_step", "Skip step"),
        Binding("f10", "finish", "Finish"),
        ModalHelp.HELP_BINDING,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.step = NAME
        self.client_uid: str | None = None
        self.placed: list[str] = []  # consultants added here

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal

        with Vertical(id="setup") as box:
            box.border_title = "Welcome to pulsetui"
            yield Static(Text(INTRO), id="setup-intro")
            yield Static(id="setup-steps")
            with Horizontal(id="setup-name-row"):
                yield Static(Text("Your name"))
                yield TextInput(self.workspace.me_name, id="setup-name", compact=True)
            yield Static("", id="setup-error", classes="-empty")
            yield Static(id="setup-prompt")
            yield Static(id="setup-keys")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.query_one("#setup-name", Input).focus()
        self._show()

    # ---- what the screen shows ------------------------------------------------------------

    def _done_text(self, step: int) -> str:
        ws = self.workspace
        if step == NAME:
            return ws.me_name
        if step == CLIENT:
            client = ws.get(Client, self.client_uid) if self.client_uid else None
            if client is None:
                return ""
            people = len(client.contacts)
            return f"{client.name} · {people} contact{'s' if people != 1 else ''}"
        names = []
        for uid in self.placed:
            person = ws.get(Consultant, uid)
            if person is not None:
                names.append(self._placement(person))
        return "; ".join(names)

    def _placement(self, person: Consultant) -> str:
        ws = self.workspace
        clients = [ws.get(Client, e.client) for e in ws.list(Engagement, consultant=person.uid)]
        at = ", ".join(c.name for c in clients if c is not None)
        return f"{person.name} at {at}" if at else person.name

    def _show(self) -> None:
        steps = Text()
        for index, title in enumerate(STEPS):
            mark = "✓" if index < self.step else ("▶" if index == self.step else "·")
            style = "bold" if index == self.step else ""
            steps.append(f"{mark} {index + 1}  {title:<20}", style=style)
            done = self._done_text(index) if index <= self.step else ""
            steps.append(one_line(done, 48))
            if index < len(STEPS) - 1:
                steps.append("\n")
        self.query_one("#setup-steps", Static).update(steps)
        if self.step != NAME:  # gone, so focus can never come back to it
            for row in self.query("#setup-name-row"):
                row.remove()
        prompt, keys = {
            NAME: (
                "Your name as your team will see it.",
                "Enter next · F8 skip this step · Esc skip the setup · F1 help",
            ),
            CLIENT: (
                "Enter opens the client form: name, meeting cadence, contacts.",
                "Enter add the client · F8 skip this step · Esc skip the setup",
            ),
            CONSULTANTS: (
                "Enter opens the consultant form: name and the client they work at."
                + (" Add another, or finish." if self.placed else ""),
                "Enter add a consultant · F10 finish · Esc skip the setup",
            ),
        }[self.step]
        self.query_one("#setup-prompt", Static).update(Text(prompt, style="bold"))
        self.query_one("#setup-keys", Static).update(Text(keys))

    def _error(self, message: str) -> None:
        line = self.query_one("#setup-error", Static)
        line.update(Text(f"✗ {message}") if message else "")
        line.set_class(not message, "-empty")

    # ---- keys -----------------------------------------------------------------------------

    def action_field_entered(self) -> None:
        self.action_step()

    def action_step(self) -> None:
        if self.step == NAME:
            self.after_typing(self._save_name)
        elif self.step == CLIENT:
            self._open(ClientForm(), self._client_saved)
        else:
            self._open(ConsultantForm(client=self.client_uid), self._consultant_saved)

    def _open(self, form: Any, saved: Any) -> None:
        """Push a form from this screen's own queue: its result comes back here even
        when the key that opened it was handled by a field that is gone since."""
        self.call_later(self.app.push_screen, form, saved)

    def _save_name(self) -> None:
        if not self.is_live or self.step != NAME:
            return
        name = self.query_one("#setup-name", Input).value
        if name.strip() != self.workspace.me_name:
            try:
                set_my_name(self.workspace, name)
            except InvalidInput as exc:
                self._error(exc.for_field("name") or str(exc))
                return
            self.app.sub_title = self.workspace.me_name
        self._error("")
        self._next()

    def _next(self) -> None:
        self.step += 1
        self.set_focus(None)
        self._show()
        if self.step == CLIENT:
            self.action_step()  # straight into the client form

    def _client_saved(self, client: Any) -> None:
        if client is not None and self.is_live:
            self.client_uid = client.uid
            self._next()
            self.action_step()  # and on to the first consultant

    def _consultant_saved(self, person: Any) -> None:
        if person is not None and self.is_live:
            self.placed.append(person.uid)
            self._show()

    def action_skip_step(self) -> None:
        if self.step < CONSULTANTS:
            self._error("")
            self._next()

    def action_finish(self) -> None:
        if self.step == CONSULTANTS:
            finish_setup(self.workspace, "done")
            self.dismiss(True)

    def action_back(self) -> None:
        finish_setup(self.workspace, "skipped")
        self.dismiss(False)

    def has_unsaved(self) -> bool:
        return False  # every step is saved as it is taken


def open_first_run(app: App[Any], then: Any = None) -> bool:
    """Open the guided setup when the workspace needs it; whether it opened."""
    workspace = getattr(app, "workspace", None)
    if workspace is None or not needs_setup(workspace):
        return False
    app.push_screen(FirstRunScreen(), then)
    return True
