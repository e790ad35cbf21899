"""PulseApp: the sections (Textual MODES), the global keys, call mode, the command
palette, background sync and access to the workspace. Screens live in ``screens/``.

For screen authors — what the app offers (screens reach it, typed, as ``self.pulse_app``
and the workspace as ``self.workspace``; see ``screens/base.py``):

``app.workspace``
    The open :class:`~pulsetui.service.workspace.Workspace` (``ws.today()`` is the clock);
    at start it opens after the first frame (``opening_app.py``: ``app.is_open``).
``app.call_mode`` (reactive bool)
    True while the screen is shared with a client. Screens MUST honour it: hide private
    notes (pulse conversations, client notes), eNPS, other clients' data and internal red
    flags. Watch it: ``self.watch(self.app, "call_mode", self._refresh)``.
``app.call_client`` (str | None)
    The client in view when call mode was turned on: the only client whose data may
    be shown while call mode lasts (None: show no client's data).
``app.audience``
    Who the screen is for now (:class:`~pulsetui.service.views.audience.Audience`):
    the signed-in manager, or a call with ``call_client`` in view. Screens hand it to
    their service view, which decides what may be shown; no screen tests call mode to
    hide data itself.
``app.open_record(kind, uid)`` / ``app.confirm(question, then)``
    Show a record in its section / ask yes or no before a destructive action.
``app.sync_summary`` (reactive str) / ``app.data_version`` (int)
    The sync state the status line shows / goes up after every save or ingest: a
    screen that keeps what it computed recomputes only when it (or the day, or call
    mode) changed since.

A save needs no call: the app hears every commit (the store's listener) and syncs soon
after; changes sync brings in, and saves made beside the app by a command
(``saves_elsewhere.py``), make the screen on top ``reload()``.

Sections are Textual MODES: Today is created at start, the others on their first
visit. Record forms reached through global keys and the palette get ``client=`` or
``consultant=`` from the screen in view (in a call, the call's client; ``None``: the
form asks). Once quitting, no key and no action is acted on (``lifecycle.py``).
Keyboard model: ``docs/keyboard.md``, kept in ``keyboard_model.py``."""

from __future__ import annotations

import gc
import itertools
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from pulsetui.service.keymap import writes_text
from pulsetui.tui import keys
from pulsetui.tui.background_sync import BackgroundSync, describe_sync
from pulsetui.tui.call_mode_app import CallMode
from pulsetui.tui.collector import PAUSE_SECONDS, PacedCollection
from pulsetui.tui.commands import PulseCommands, RecordIndex
from pulsetui.tui.external_editor import edit_focused_note
from pulsetui.tui.kept_stylesheet import KeptStylesApp
from pulsetui.tui.keyboard_model import KeyboardModelApp
from pulsetui.tui.notices import LiteralNotices
from pulsetui.tui.opening import Opening
from pulsetui.tui.opening_app import OpeningApp
from pulsetui.tui.record_opening import KIND_SECTIONS, RecordOpening
from pulsetui.tui.report_commands import ReportCommands
from pulsetui.tui.saves_elsewhere import SavesElsewhere
from pulsetui.tui.screens.base import BaseModal, BaseScreen, is_writing, stylesheet
from pulsetui.tui.screens.judgement_sections import JUDGEMENT_SECTIONS
from pulsetui.tui.screens.today import TodayScreen
from pulsetui.tui.search_palette import WrittenCommands
from pulsetui.tui.search_readiness import SearchReadiness
from pulsetui.tui.theme_choice import keep_theme

if TYPE_CHECKING:
    from pulsetui.service.workspace import Workspace
    from pulsetui.sync.engine import SyncEngine

__all__ = ["KIND_SECTIONS", "SECTIONS", "PulseApp", "describe_sync", "make_app"]


def _consultants() -> Screen[Any]:
    from pulsetui.tui.screens.consultants import ConsultantsScreen

    return ConsultantsScreen()


def _clients() -> Screen[Any]:
    from pulsetui.tui.screens.clients import ClientsScreen

    return ClientsScreen()


def _agreements() -> Screen[Any]:
    from pulsetui.tui.screens.agreements import AgreementsScreen

    return AgreementsScreen()


SECTIONS: dict[str, Callable[[], Screen[Any]]] = {
    "today": TodayScreen,
    "consultants": _consultants,
    "clients": _clients,
    "agreements": _agreements,
    **JUDGEMENT_SECTIONS,
}


PALETTE_WARMUP_SECONDS = 1.0

# global keys that make no sense while a modal form is open
_NOT_IN_MODALS = {
    "section",
    "new_nps",
    "new_agenda_item",
    "new_agreement",
    "new_pulse",
    "new_record",
    "toggle_call_mode",
    "help",
}

# global actions whose keys all type a character: off on writing screens
_LETTER_ACTIONS = {
    keys.BY_ID[key_id].action.split("(")[0] for key_id in keys.GLOBAL_IDS if writes_text(key_id)
}


class PulseApp(
    OpeningApp,
    LiteralNotices,
    BackgroundSync,
    SavesElsewhere,
    CallMode,
    KeptStylesApp,
    RecordOpening,
    KeyboardModelApp,
    PacedCollection,
):
    """The pulsetui terminal app."""

    TITLE = "pulsetui"
    CSS_PATH = stylesheet("app.tcss")
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = dict(SECTIONS)
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {PulseCommands, ReportCommands, WrittenCommands}
    BINDINGS: ClassVar[list[Any]] = keys.bindings(*(k for k in keys.GLOBAL_IDS if k != "palette"))

    call_mode: reactive[bool] = reactive(False)
    sync_summary: reactive[str] = reactive("sync off")

    class SyncBroughtChanges(Message):
        """Sync ingested changes made elsewhere (posted from the sync worker)."""

    def __init__(
        self,
        workspace: Workspace | None = None,
        *,
        opening: Opening | None = None,
        start_mode: str = "today",
        call_mode: bool = False,
        sync: bool = True,
    ) -> None:
        """On an open ``workspace``, or on an ``opening`` (``opening.py``)."""
        super().__init__()
        if (workspace is None) == (opening is None):
            raise TypeError("PulseApp needs an open workspace or an opening, not both")
        self.start_mode = start_mode
        self.opening = opening
        snapshot = opening.snapshot if opening is not None else None
        self.sub_title = snapshot.manager if snapshot is not None else ""
        self.set_reactive(PulseApp.call_mode, call_mode)
        self.call_client: str | None = None
        self._sync_enabled = sync
        self._engine: SyncEngine | None = None
        self._sync_lock = threading.Lock()
        self._sync_due: float | None = None
        self._sync_thread: int | None = None  # the thread of the running sync pass
        self._versions = itertools.count(1)
        self.data_version = 0
        self.record_index = RecordIndex()
        self.search_readiness = SearchReadiness()
        # (section, section it opened a record in): where Esc goes back to
        self._came_from: list[tuple[str, str]] = []
        if workspace is not None:
            self.use_workspace(workspace)

    def use_workspace(self, workspace: Workspace) -> None:
        super().use_workspace(workspace)
        self.sub_title = workspace.me_name
        workspace.on_change(self._store_changed)
        if workspace.config.keys:
            self.set_keymap(dict(workspace.config.keys))

    # ---- lifecycle ---------------------------------------------------------------------

    def on_mount(self) -> None:
        # The loaded modules (and the open workspace) live as long as the app: out of
        # the cyclic collector's way, whose long passes wait for a pause in the typing
        # (tui/collector.py). Undone when the app ends.
        self.start_paced_collection()
        if self._workspace is None:  # opening: the first frame first, then the workspace
            self.hold_keys_until_shown(self.screen)
            self.start_opening_after_frame()
            return
        if self.start_mode != self.current_mode:
            self.switch_mode(self.start_mode)
        else:  # keys typed while the app starts wait for the first screen's rows
            self.hold_keys_until_shown(self.screen)
        self._begin()

    def workspace_ready(self) -> None:
        """Opened after the first frame: the screen on show reads its data."""
        gc.freeze()  # what the opening loaded lives as long as the app
        screen = self.screen
        if isinstance(screen, BaseScreen):
            screen.workspace_opened()
        if self.start_mode != self.current_mode:
            self.switch_mode(self.start_mode)
        self._begin()

    def _begin(self) -> None:
        """The workspace is open: its theme, the guided setup for an empty one, sync,
        saves made beside the app and the palette's records."""
        from pulsetui.service.portfolio import needs_setup

        keep_theme(self)
        if needs_setup(self.workspace):  # an empty workspace: the guided setup
            from pulsetui.tui.screens.forms.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(), lambda _finished: self._refresh_screen())
        self._start_sync()
        self._watch_saves_elsewhere()  # a command or the eNPS screen saving beside the app
        # index the palette's records and read the search index once the first screen is
        # filled, off the UI thread
        self.set_timer(PALETTE_WARMUP_SECONDS, self._warm_palette)

    def on_unmount(self) -> None:
        self.stop_paced_collection()
        if self._workspace is not None:
            self._workspace.off_change(self._store_changed)
            self.search_readiness.stop(self)

    def _store_changed(self, ops: list[dict[str, Any]]) -> None:
        """The store committed or ingested ``ops`` (called from any thread): the one
        signal that data changed. A save made here (by a form, a list, a save worker)
        syncs shortly after; changes the sync pass ingested make the screen read again."""
        self.data_version = next(self._versions)
        if threading.get_ident() == self._sync_thread:
            self.post_message(self.SyncBroughtChanges())
        elif self._engine is not None:
            # after a short pause, so typing stays smooth
            self._sync_due = time.monotonic() + 1.0

    def on_pulse_app_sync_brought_changes(self, message: SyncBroughtChanges) -> None:
        self.search_readiness.catch_up(self)
        self._refresh_screen()

    def _warm_palette(self) -> None:
        """Work done ahead, at the first pause in the typing once the app is open:
        each part would take the interpreter from the screen for a while."""
        if self.exiting:
            return
        if not self.input_paused():
            self.set_timer(PAUSE_SECONDS, self._warm_palette)
            return
        self.warm_default_styles()  # the pages' first opens parse no styles
        self._index_records()

    @work(group="palette-warmup")
    async def _index_records(self) -> None:
        """The palette's records, then the search index read (or built): one after the
        other, so no two threads at once take turns with the screen."""
        if not self.record_index.fresh(self):
            await self.record_index.records(self)
        if not self.exiting:
            self.search_readiness.start(self)

    # ---- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.action_available(action, self.screen)

    def action_available(self, action: str, screen: Screen[Any]) -> bool:
        """Whether a global action makes sense over ``screen``."""
        if is_writing(screen) and action in _LETTER_ACTIONS:
            return False
        return not (isinstance(screen, ModalScreen) and action in _NOT_IN_MODALS)

    def action_section(self, name: str) -> None:
        if name in SECTIONS and name != self.current_mode:
            self._came_from.clear()  # a section chosen: no way back to retrace
            self.switch_mode(name)

    def action_goto(self, name: str) -> None:
        """A section chosen in the palette: from any screen, writing ones included."""
        self.action_section(name)

    def action_command_palette(self) -> None:
        """ctrl+p: the palette whose Enter acts on the whole list (``palette.py``)."""
        from pulsetui.tui.palette import PulsePalette

        if self.use_command_palette and not isinstance(self.screen, PulsePalette):
            self.push_screen(PulsePalette())

    def action_help(self) -> None:
        from pulsetui.tui.screens.help import HelpScreen, key_rows

        screen = self.screen
        title = screen.TITLE or type(screen).__name__.removesuffix("Screen")
        text = screen.HELP if isinstance(screen, BaseScreen | BaseModal) else ""
        self.push_screen(HelpScreen(str(title), text, key_rows(screen)))

    def _context_client(self) -> str | None:
        screen = self.screen
        in_view = screen.context_client() if isinstance(screen, BaseScreen) else None
        return self.audience.form_client(in_view)

    def _context_consultant(self) -> str | None:
        screen = self.screen
        return screen.context_consultant() if isinstance(screen, BaseScreen) else None

    def action_new_nps(self) -> None:
        from pulsetui.tui.screens.nps_modal import NpsModal

        def saved(result: Any) -> None:
            if result is not None:
                self.notify(f"NPS {result.score} saved.", timeout=3)
                self._refresh_screen()

        self.push_screen(NpsModal(client=self._context_client()), saved)

    def _open_form(self, form: Screen[Any]) -> None:
        def done(result: Any) -> None:
            if result is not None:
                self._refresh_screen()

        self.push_screen(form, done)

    def action_new_agenda_item(self) -> None:
        from pulsetui.tui.screens.agenda_modal import AgendaModal

        self._open_form(AgendaModal(client=self._context_client()))

    def action_new_agreement(self) -> None:
        from pulsetui.tui.screens.agreement_modal import AgreementModal

        self._open_form(AgreementModal(client=self._context_client()))

    def action_new_pulse(self) -> None:
        from pulsetui.tui.screens.pulse_form import PulseForm

        self._open_form(PulseForm(consultant=self._context_consultant()))

    def action_new_record(self, kind: str) -> None:
        from pulsetui.tui.screens.forms.open import open_new_form

        open_new_form(self, kind, self._context_client(), self._context_consultant())

    def _refresh_screen(self) -> None:
        screen = self.screen
        if isinstance(screen, BaseScreen) and screen.is_live:
            screen.reload()

    async def action_quit(self) -> None:
        """Quit, first saving whatever is typed: keys already handed to a text field
        are typed in, pending autosaves reach the disk and forms with content are kept
        as drafts (nothing typed is lost, and there is no question to answer)."""
        if self.exiting:
            return
        self._exiting = True  # from now on keys typed behind the quit key are ignored
        await self.typed_in()
        stacks = [self.screen_stack, *(s for s in self._screen_stacks.values() if s)]
        screens = {id(screen): screen for stack in stacks for screen in reversed(stack)}
        for screen in screens.values():
            if isinstance(screen, BaseScreen | BaseModal) and screen.is_mounted:
                try:
                    screen.keep_typed()
                except Exception as exc:  # shown, and the app stays open: nothing lost
                    self._exiting = False
                    self.notify(f"Not saved, not quitting: {exc}", severity="error", markup=False)
                    return
        self.exit()

    async def action_quit_anywhere(self) -> None:
        """ctrl+q: quit from any screen, writing ones included (``q`` is text there)."""
        await self.action_quit()

    def confirm(self, question: str, then: Callable[[], Any], yes: str = "Yes") -> None:
        """Ask ``question``; run ``then`` only if the answer is yes."""
        from pulsetui.tui.screens.confirm import ConfirmModal

        def answered(ok: Any) -> None:
            if ok:
                then()

        self.push_screen(ConfirmModal(question, yes=yes), answered)

    # ---- $EDITOR -----------------------------------------------------------------------

    def action_edit_external(self) -> None:
        """Edit the focused note (TextArea or Input) in $VISUAL/$EDITOR and read it back."""
        edit_focused_note(self)


def make_app(workspace: Workspace, **options: Any) -> PulseApp:
    """The app on an open workspace; shared by the command line and the tests."""
    return PulseApp(workspace, **options)
