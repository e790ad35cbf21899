"""PulseApp: the sections (Textual MODES), the global keys, call mode, the command
palette, background sync and access to the workspace. Screens live in ``screens/``.

For screen authors — what the app offers:

``app.workspace``
    The open :class:`~pulsetui.service.workspace.Workspace` (``ws.today()`` is the clock).
``app.call_mode`` (reactive bool)
    True while the screen is shared with a client. Screens MUST honour it: hide private
    notes (pulse conversations, client notes), eNPS, other clients' data and internal red
    flags. Watch it: ``self.watch(self.app, "call_mode", self._refresh)``.
``app.call_client`` (str | None)
    The client in view when call mode was turned on: the only client whose data may
    be shown while call mode lasts (None: show no client's data).
``app.open_record(kind, uid)``
    Switch to the section holding ``kind`` and call that screen's ``open_record``.
``app.notify_saved()``
    Call after a save; background sync runs shortly after.
``app.confirm(question, then)``
    Ask yes/no before a destructive action; ``then()`` runs only on yes.
``app.sync_summary`` (reactive str)
    The sync state the status line shows.
``app.data_version`` (int)
    Goes up after every save or ingest; a screen that keeps what it computed
    recomputes only when this (or the day, or call mode) changed since.

Sections (MODES) and the screens the app creates lazily by import path, so each file
can be replaced by its owner: see ``SECTION_SCREENS``. Record forms reached through
global keys and the palette are in ``FORM_SCREENS``; each is constructed with keyword
arguments ``client=`` (agenda item, agreement) or ``consultant=`` (pulse), ``None``
when nothing is in context, and the form asks.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import itertools
import os
import shlex
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.commands import PulseCommands, RecordIndex
from pulsetui.tui.screens.base import stylesheet

SECTION_SCREENS: dict[str, str] = {
    "today": "pulsetui.tui.screens.today:TodayScreen",
    "consultants": "pulsetui.tui.screens.consultants:ConsultantsScreen",
    "clients": "pulsetui.tui.screens.clients:ClientsScreen",
    "agreements": "pulsetui.tui.screens.agreements:AgreementsScreen",
}

FORM_SCREENS: dict[str, str] = {
    "new_agenda_item": "pulsetui.tui.screens.agenda_modal:AgendaModal",
    "new_agreement": "pulsetui.tui.screens.agreement_modal:AgreementModal",
    "new_pulse": "pulsetui.tui.screens.pulse_form:PulseForm",
}

# which section shows a record of each kind
KIND_SECTIONS: dict[str, str] = {
    "consultant": "consultants",
    "pulse": "consultants",
    "engagement": "consultants",
    "client": "clients",
    "meeting": "clients",
    "agenda": "clients",
    "nps": "clients",
    "touchpoint": "clients",
    "request": "clients",
    "agreement": "agreements",
}

PALETTE_WARMUP_SECONDS = 1.0
# young-object collections less often than Python's default (700, 10, 10): a screen
# switch allocates tens of thousands of short-lived objects
GC_THRESHOLDS = (20_000, 20, 20)

# global keys that make no sense while a modal form is open
_NOT_IN_MODALS = {
    "section",
    "new_nps",
    "new_agenda_item",
    "new_agreement",
    "new_pulse",
    "toggle_call_mode",
    "help",
}


def load_class(path: str) -> Any:
    """The object named by ``"package.module:Name"``, or None if it does not exist yet."""
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, attr, None)


def _section_factory(path: str) -> Callable[[], Screen[Any]]:
    def create() -> Screen[Any]:
        cls = load_class(path)
        if cls is None:
            raise RuntimeError(f"screen {path} is missing")
        screen: Screen[Any] = cls()
        return screen

    return create


def _load_engine() -> Any:
    try:
        module = importlib.import_module("pulsetui.sync.engine")
    except ModuleNotFoundError:
        return None
    return getattr(module, "SyncEngine", None)


class PulseApp(App[None]):
    """The pulsetui terminal app."""

    TITLE = "pulsetui"
    CSS_PATH = stylesheet("app.tcss")
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        name: _section_factory(path) for name, path in SECTION_SCREENS.items()
    }
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {PulseCommands}
    BINDINGS: ClassVar[list[Any]] = [
        *keys.bindings(*(k for k in keys.GLOBAL_IDS if k != "palette")),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    call_mode: reactive[bool] = reactive(False)
    sync_summary: reactive[str] = reactive("sync off")

    def __init__(
        self,
        workspace: Workspace,
        *,
        start_mode: str = "today",
        call_mode: bool = False,
        sync: bool = True,
    ) -> None:
        super().__init__()
        self.start_mode = start_mode
        self.workspace = workspace
        self.sub_title = workspace.me_name
        self.set_reactive(PulseApp.call_mode, call_mode)
        self.call_client: str | None = None
        self._sync_enabled = sync
        self._engine: Any = None
        self._sync_lock = threading.Lock()
        self._sync_due: float | None = None
        self._ui_thread = threading.get_ident()
        self._versions = itertools.count(1)
        self._gc_thresholds = gc.get_threshold()
        self.data_version = 0
        self.record_index = RecordIndex()
        workspace.store.listeners.append(self._count_change)
        if workspace.config.keys:
            self.set_keymap(dict(workspace.config.keys))

    # ---- lifecycle ---------------------------------------------------------------------

    def on_mount(self) -> None:
        # The open workspace (reference indexes of a large view) and the loaded modules
        # live as long as the app: keep them out of the cyclic collector, whose full
        # passes over them would otherwise pause the screen for ~100 ms at random.
        # Fewer, larger young collections: a screen switch makes many short-lived objects.
        # Both are undone when the app ends.
        self._gc_thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        if self.start_mode != self.current_mode:
            self.switch_mode(self.start_mode)
        self._start_sync()
        # index the palette's records once the first screen is filled, off the UI thread
        self.set_timer(PALETTE_WARMUP_SECONDS, self._warm_palette)

    def on_unmount(self) -> None:
        for listener in (self._on_store_change, self._count_change):
            with contextlib.suppress(ValueError):
                self.workspace.store.listeners.remove(listener)
        gc.unfreeze()
        gc.set_threshold(*self._gc_thresholds)

    def _count_change(self, ops: list[dict[str, Any]]) -> None:
        """Called by the store after each commit or ingest (from any thread)."""
        self.data_version = next(self._versions)

    def _warm_palette(self) -> None:
        if not self.record_index.fresh(self):
            self.run_worker(self.record_index.records(self), group="palette-warmup")

    # ---- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.action_available(action, self.screen)

    def action_available(self, action: str, screen: Screen[Any]) -> bool | None:
        """Whether a global action makes sense over ``screen`` (None: hide it)."""
        if isinstance(screen, ModalScreen) and action in _NOT_IN_MODALS:
            return False
        if action in FORM_SCREENS and load_class(FORM_SCREENS[action]) is None:
            return None
        return True

    def action_section(self, name: str) -> None:
        if name in SECTION_SCREENS and name != self.current_mode:
            self.switch_mode(name)

    def action_help(self) -> None:
        from pulsetui.tui.screens.help import HelpScreen, key_rows

        screen = self.screen
        title = getattr(screen, "TITLE", None) or type(screen).__name__.removesuffix("Screen")
        text = getattr(screen, "HELP", "") or ""
        self.push_screen(HelpScreen(str(title), text, key_rows(screen)))

    def action_toggle_call_mode(self) -> None:
        if not self.call_mode:
            self.call_client = self._in_view("context_client")
        self.call_mode = not self.call_mode

    def watch_call_mode(self, on: bool) -> None:
        self.notify(
            "CALL MODE on: private notes, eNPS and internal flags are hidden."
            if on
            else "Call mode off.",
            timeout=3,
        )

    def _in_view(self, name: str) -> str | None:
        finder = getattr(self.screen, name, None)
        return finder() if callable(finder) else None

    def action_new_nps(self) -> None:
        from pulsetui.tui.screens.nps_modal import NpsModal

        def saved(result: Any) -> None:
            if result is not None:
                self.notify(f"NPS {result.score} saved.", timeout=3)
                self.notify_saved()
                self._refresh_screen()

        self.push_screen(NpsModal(client=self._in_view("context_client")), saved)

    def _open_form(self, action: str, **context: str | None) -> None:
        cls = load_class(FORM_SCREENS[action])
        if cls is None:
            self.notify("This form is not available in this version.", severity="warning")
            return

        def done(result: Any) -> None:
            if result is not None:
                self.notify_saved()
                self._refresh_screen()

        self.push_screen(cls(**context), done)

    def action_new_agenda_item(self) -> None:
        self._open_form("new_agenda_item", client=self._in_view("context_client"))

    def action_new_agreement(self) -> None:
        self._open_form("new_agreement", client=self._in_view("context_client"))

    def action_new_pulse(self) -> None:
        self._open_form("new_pulse", consultant=self._in_view("context_consultant"))

    def _refresh_screen(self) -> None:
        refresh = getattr(self.screen, "reload", None)
        if callable(refresh):
            refresh()

    async def action_quit(self) -> None:
        unsaved = getattr(self.screen, "has_unsaved", None)
        if callable(unsaved) and unsaved():
            self.confirm("There are unsaved changes. Quit anyway?", self.exit)
            return
        self.exit()

    def confirm(self, question: str, then: Callable[[], Any], yes: str = "Yes") -> None:
        """Ask ``question``; run ``then`` only if the answer is yes."""
        from pulsetui.tui.screens.confirm import ConfirmModal

        def answered(ok: Any) -> None:
            if ok:
                then()

        self.push_screen(ConfirmModal(question, yes=yes), answered)

    async def open_record(self, kind: str, uid: str) -> None:
        """Show one record: switch to its section and let that screen open it."""
        section = KIND_SECTIONS.get(kind)
        if section is None:
            return
        if self.current_mode != section:
            await self.switch_mode(section)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        opener = getattr(self.screen, "open_record", None)
        if callable(opener):
            result = opener(kind, uid)
            if hasattr(result, "__await__"):
                await result

    # ---- $EDITOR -----------------------------------------------------------------------

    def action_edit_external(self) -> None:
        """Edit the focused note (TextArea or Input) in $VISUAL/$EDITOR and read it back."""
        widget = self.focused
        if isinstance(widget, TextArea):
            text = widget.text
        elif isinstance(widget, Input):
            text = widget.value
        else:
            self.notify("Focus a note or text field first.", severity="warning")
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        edited = self._run_editor(editor, text)
        if edited is None:
            return
        if isinstance(widget, TextArea):
            widget.load_text(edited)
        else:
            widget.value = edited.rstrip("\n").replace("\n", " ")
        widget.focus()

    def _run_editor(self, editor: str, text: str) -> str | None:
        fd, name = tempfile.mkstemp(prefix="pulsetui-", suffix=".md")
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            try:
                with self.suspend():
                    code = subprocess.call([*shlex.split(editor), str(path)])
            except Exception as exc:  # suspend unsupported (e.g. headless), editor missing
                self.notify(f"Cannot run the editor: {exc}", severity="error")
                return None
            if code != 0:
                self.notify(
                    f"The editor exited with {code}; the note is unchanged.", severity="warning"
                )
                return None
            return path.read_text(encoding="utf-8", errors="replace")
        finally:
            path.unlink(missing_ok=True)

    # ---- background sync ---------------------------------------------------------------

    def notify_saved(self) -> None:
        """A save happened: sync soon (after a short pause, so typing stays smooth)."""
        if self._engine is not None:
            self._sync_due = time.monotonic() + 1.0

    def _start_sync(self) -> None:
        settings = self.workspace.config.sync
        if not self._sync_enabled:
            self.sync_summary = "sync off"
            return
        if not settings.shared:
            self.sync_summary = "sync off (no shared folder)"
            return
        engine_cls = _load_engine()
        if engine_cls is None:
            self.sync_summary = "sync off (not available)"
            return
        try:
            self._engine = engine_cls(self.workspace, settings.shared, settings.personal)
        except Exception as exc:
            self.sync_summary = f"sync off: {exc}"
            return
        self.sync_summary = "sync: starting"
        self.workspace.store.listeners.append(self._on_store_change)
        self.set_interval(settings.interval_seconds, self._sync_tick)
        self.set_interval(0.5, self._sync_if_due)
        self._sync_tick()

    def _on_store_change(self, ops: list[dict[str, Any]]) -> None:
        if threading.get_ident() == self._ui_thread:
            self.notify_saved()
            return
        # ops ingested by sync in the worker thread: let the screen re-read
        self.call_from_thread(self._refresh_screen)

    def _sync_if_due(self) -> None:
        if self._sync_due is not None and time.monotonic() >= self._sync_due:
            self._sync_due = None
            self._sync_tick()

    def _sync_tick(self) -> None:
        if self._engine is not None:
            self._sync_worker()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync_worker(self) -> None:
        engine = self._engine
        if engine is None or not self._sync_lock.acquire(blocking=False):
            return
        try:
            engine.run_once()
            summary = describe_sync(engine.status())
        except Exception as exc:
            summary = f"sync problem: {type(exc).__name__}: {exc}"
        finally:
            self._sync_lock.release()
        self.call_from_thread(setattr, self, "sync_summary", summary)


def describe_sync(status: Any) -> str:
    """One line from a sync engine's status: last sync, pending, problems."""

    def pick(name: str) -> Any:
        if isinstance(status, dict):
            return status.get(name)
        return getattr(status, name, None)

    last = pick("last_sync")
    pending = pick("pending")
    problems = pick("problems")
    parts = []
    if last is None:
        parts.append("never synced")
    else:
        stamp = last.strftime("%H:%M:%S") if hasattr(last, "strftime") else str(last)
        parts.append(f"synced {stamp}")
    count = len(pending) if isinstance(pending, list | tuple | set | dict) else pending
    parts.append(f"{count or 0} pending")
    problem_count = len(problems) if isinstance(problems, list | tuple | set | dict) else problems
    if problem_count:
        parts.append(f"{problem_count} problem{'s' if problem_count != 1 else ''}")
    return "sync: " + ", ".join(parts)


def make_app(workspace: Workspace, **options: Any) -> PulseApp:
    """The app on an open workspace; shared by the command line and the tests."""
    return PulseApp(workspace, **options)


def run_app(home: Path, as_name: str | None, config: Config) -> None:
    ws = Workspace.open(home, me=as_name, config=config)
    try:
        make_app(ws).run()
    finally:
        ws.close()


def make_enps_app(workspace: Workspace, **options: Any) -> App[None]:
    """The minimal anonymous eNPS entry app (``pulsetui enps``)."""
    from pulsetui.tui.screens.enps import EnpsApp

    return EnpsApp(workspace, **options)


def run_enps(home: Path, as_name: str | None, config: Config, round: str | None = None) -> None:
    ws = Workspace.open(home, me=as_name, config=config)
    try:
        make_enps_app(ws, round=round).run()
    finally:
        ws.close()
