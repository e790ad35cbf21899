"""BaseScreen: what every pulsetui screen shares — a help text, the header, the status
line (call mode, sync) and the footer, Esc to go back, j/k in lists (and to scroll a
focused scrolling part, such as the client page's overview).

Subclasses implement :meth:`BaseScreen.compose_body` (not ``compose``), set ``HELP`` and
take extra keys from :mod:`pulsetui.tui.keys`::

    class ClientsScreen(BaseScreen):
        HELP = "Your clients ..."
        BINDINGS = keys.bindings("new", "filter")
        CSS_PATH = stylesheet("clients.tcss")

        def compose_body(self) -> ComposeResult: ...

Contract with the app (see ``pulsetui.tui.app``):
- ``self.workspace`` is the open Workspace and ``self.pulse_app`` the running
  :class:`~pulsetui.tui.app.PulseApp`, both typed. A screen reads its data from its
  service view (``pulsetui.service.views``) for ``self.pulse_app.audience`` — the
  manager, or a call with one client in view — and the view decides what a call may
  see (private notes, eNPS, other clients' data, internal red flags). Watch the app's
  ``call_mode`` reactive (``self.watch(self.app, "call_mode", callback)``) to read again
  when it changes.
- ``open_record(kind, uid)`` is called after the app switched to this section to show
  one record ("client", "consultant", "agreement", "meeting", "pulse", ...).
- ``context_client()`` / ``context_consultant()`` name the record in view, so global
  keys (new NPS answer, new agenda item) can pre-fill it.
- ``reload()`` reads the screen's data again (after a form saved, or sync brought
  changes).
- ``WRITING`` says the screen is for typing (meeting mode, the pulse form, every form):
  there no key that types a character is a command (the app's letter keys are off),
  and keys typed behind the key that opened it land in its first field.
- ``keep_typed()`` is called before the app quits: save what is typed (flush an
  autosave, keep a form's draft); quitting never asks and never loses text.
- Saves need no signal: the app hears every commit from the store and syncs soon after.
- ``is_live`` is False once the screen is dismissed, replaced or being removed, or the
  app is quitting: ``on_mount`` and whatever runs after a wait (a worker's result, a
  timer) return early when it is False. A screen closed while it is still mounting is
  removed once its mount finished (see :mod:`pulsetui.tui.lifecycle`).
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING, Any, ClassVar, cast
from weakref import WeakKeyDictionary

from textual import events, on
from textual.app import ComposeResult
from textual.await_remove import AwaitRemove
from textual.containers import HorizontalScroll, ScrollableContainer, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from pulsetui.tui import keys
from pulsetui.tui.lifecycle import remove_once_mounted, still_live
from pulsetui.tui.screens.laid_out_once import LaidOutOnce
from pulsetui.tui.widgets.call_banner import CallBanner
from pulsetui.tui.widgets.key_hints import KeyHints
from pulsetui.tui.widgets.screen_header import ScreenHeader
from pulsetui.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from pulsetui.service.views.audience import Audience
    from pulsetui.service.workspace import Workspace
    from pulsetui.tui.app import PulseApp


def stylesheet(name: str) -> str:
    """Path of a stylesheet shipped in the ``pulsetui.styles`` package."""
    return str(files("pulsetui.styles") / name)


def is_writing(screen: object) -> bool:
    """Whether ``screen`` is a writing screen (see the keyboard model)."""
    return bool(getattr(screen, "WRITING", False))


# the plain boxes that scroll a form (not a list or a text field, which subclass them)
SCROLLING_BOXES = (ScrollableContainer, VerticalScroll, HorizontalScroll)


def fields_only(screen: object, chain: list[Widget]) -> list[Widget]:
    """The focus chain of a writing screen without its scrolling boxes (Tab past the
    last field would land on the box holding the form, where typed text goes
    nowhere); a box stays when it is all there is to focus."""
    if not is_writing(screen):
        return chain
    fields = [widget for widget in chain if type(widget) not in SCROLLING_BOXES]
    return fields or chain


# the field that had the focus in a part of a screen hidden (a call), until it shows
_FOCUS_WHEN_SHOWN: WeakKeyDictionary[Widget, Widget] = WeakKeyDictionary()


def show_part(screen: Screen[Any], part: Widget, shown: bool) -> None:
    """Show or hide ``part`` of ``screen``. Hidden, no key reaches a field in it; shown
    again, the field that had the focus in it has it again."""
    focused = screen.focused
    if not shown and focused is not None and part in focused.ancestors_with_self:
        _FOCUS_WHEN_SHOWN[part] = focused
        screen.set_focus(None)
    part.display = shown
    kept = _FOCUS_WHEN_SHOWN.pop(part, None) if shown else None
    if kept is not None and kept.is_attached and screen.focused is None:
        screen.set_focus(kept)


class Veil(Static):
    """Lies over the whole screen while what the screen shows was read for the manager
    and call mode has just turned on (see ``BaseScreen.AUDIENCE_BOUND``)."""

    DEFAULT_CSS = """
    Veil {
        display: none;
        position: absolute;
        width: 100%;
        height: 100%;
        padding: 1 2;
        background: $background;
        color: $text-muted;
    }
    """


class BaseScreen(LaidOutOnce):
    """A full screen of the app (a section or a page pushed on top of one)."""

    HELP: ClassVar[str] = ""
    WRITING: ClassVar[bool] = False
    # The screen shows data read for an audience in a worker: when call mode turns on
    # over it a veil covers it at once, until the screen shows what it read for the
    # call (it calls shown_for then) — the rows read for the manager are never drawn
    # under the call banner, not even for a frame.
    AUDIENCE_BOUND: ClassVar[bool] = False
    _shown_for: Audience | None = None
    # a read is set to start once the first frame is drawn (see reload_after_frame)
    reading_soon = False
    _shown_before = False  # left (suspended) once: see _styled_as_built

    @property
    def focus_chain(self) -> list[Widget]:
        return fields_only(self, super().focus_chain)

    # q Quit right after Back, so it shows in the footer at 80 columns (on list screens:
    # on a writing screen it is off, and ctrl+q quits)
    BINDINGS = keys.bindings("back", "quit", "down", "up")

    @property
    def pulse_app(self) -> PulseApp:
        """The app this screen runs in (every screen runs in a PulseApp)."""
        return cast("PulseApp", self.app)

    @property
    def workspace(self) -> Workspace:
        return self.pulse_app.workspace

    @property
    def is_live(self) -> bool:
        """False once the screen is dismissed, replaced or being removed, or the app is
        quitting: then nothing more is shown or done on it."""
        return still_live(self)

    def remove(self) -> AwaitRemove:
        return remove_once_mounted(self, super().remove)

    def compose(self) -> ComposeResult:
        # The screen's own stylesheet before any of its widgets is styled. Textual loads
        # it just after starting the screen; from Python 3.12 on it starts tasks eagerly,
        # so the screen has composed and styled its widgets by then (without it).
        self.app._load_screen_css(self)
        self._take_breakpoints()
        yield ScreenHeader()
        yield CallBanner(id="call-banner")
        yield from self.compose_body()
        yield StatusLine()
        yield KeyHints()
        if self.AUDIENCE_BOUND:
            yield Veil("CALL MODE: reading only what the client in view may see…", markup=False)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between header and status line."""
        yield from ()

    # ---- the veil over data read for another audience -------------------------------

    @on(events.Mount)
    def _watch_audience(self) -> None:
        if self.AUDIENCE_BOUND and self.is_live:
            self.watch(self.app, "call_mode", lambda _on: self._veil_unless_shown(), init=False)

    def shown_for(self, audience: Audience) -> None:
        """What is on screen now was read for ``audience``."""
        self._shown_for = audience
        self._veil_unless_shown()

    def _veil_unless_shown(self) -> None:
        """Cover the screen while the app is in a call and what it shows was read for
        someone else (or nothing was shown yet); uncover it otherwise. The cover lies
        over the widgets (they keep their focus and cursor; nothing is hidden under
        them, which would move focus away)."""
        now = self.pulse_app.audience
        veiled = now.in_call and self._shown_for != now
        for veil in self.query(Veil):
            veil.display = veiled

    # ---- hooks the app calls ------------------------------------------------------------

    def open_record(self, kind: str, uid: str) -> None:
        """Show one record (called after the app switched to this screen's section)."""

    def context_client(self) -> str | None:
        """Uid of the client this screen is about (or has selected), if any."""
        return None

    def context_consultant(self) -> str | None:
        """Uid of the consultant this screen is about (or has selected), if any."""
        return None

    def reload(self) -> None:
        """Read this screen's data again (after a form saved, or sync brought changes)."""

    def workspace_opened(self) -> None:
        """The app started before its workspace was open and it has just opened: read
        what the screen shows."""
        if self.is_live:
            self.reload()

    def reload_after_frame(self) -> None:
        """Read the data once the screen as composed is drawn: a worker reading at the
        same time would share the interpreter with the first frame and hold it back.
        Until then ``reading_soon`` is True (a resume or a call-mode change need not
        read: this read reads for what is current when it starts). A screen that is no
        longer in view by then (a page was opened over it at once, as Enter on Today
        opens a client's page over the clients) reads when it is back in view, so its
        read does not hold back the page's first frame."""
        self.reading_soon = True

        def read() -> None:
            if not self.is_live:
                self.reading_soon = False
            elif self.in_view and not self.pulse_app.opening_record:
                self.reading_soon = False
                self.reload()
            else:  # read when in view: at once after the record opened, or on resume
                self._read_when_back = True

        self.call_after_refresh(read)

    _read_when_back = False

    @property
    def in_view(self) -> bool:
        """On top, or under a dialog, which shows it around itself (Textual's
        ``is_current`` also counts a screen under a page of the app)."""
        top = self.app.screen_stack[-1] if self.app.screen_stack else None
        if top is self:
            return True
        return isinstance(top, ModalScreen) and self in self.app._background_screens

    # ---- styled once ----------------------------------------------------------------------

    def _take_breakpoints(self) -> None:
        """Take the size classes (``HORIZONTAL_BREAKPOINTS``) before the widgets are
        built and styled: Textual sets them at the first Resize, and a class that
        changes there restyles the whole screen (as costly as building it)."""
        app = self.app
        wide = (
            app.HORIZONTAL_BREAKPOINTS
            if self.HORIZONTAL_BREAKPOINTS is None
            else self.HORIZONTAL_BREAKPOINTS
        ) or []
        high = (
            app.VERTICAL_BREAKPOINTS
            if self.VERTICAL_BREAKPOINTS is None
            else self.VERTICAL_BREAKPOINTS
        ) or []
        if not (wide or high):
            return
        width, height = app.size
        taken = self._get_breakpoint_classes(width, wide) | self._get_breakpoint_classes(
            height, high
        )
        self.update_classes({name: name in taken for _, name in [*wide, *high]}, update=False)

    @on(events.ScreenSuspend)
    def _suspended(self) -> None:
        self._shown_before = True

    @on(events.ScreenResume)
    def _styled_as_built(self, event: events.ScreenResume) -> None:
        """Shown before it was ever left: every widget was styled as it was built, with
        the screen's stylesheet (see compose), so Textual's restyling of the whole
        screen on resume (the cost of building it once more) is left out. What only
        that restyling set is set here: the screen node's own style (it was styled as
        it started, before its stylesheet was loaded) with the classes taken as it was
        built, and the focus style of the focused field, its parts and its row (the
        row's label reversed), which depend on the focus. (Handlers run from the
        screen's own class up, so Textual's sees the event as set here.) The snapshot
        tests check every screen under each Python the app supports."""
        if self.app.screen is not self:
            # passed through: a page was opened on it before it was drawn (a record
            # opened from another section). It is restyled when it is next resumed.
            event.refresh_styles = False
            return
        if self._shown_before or not event.refresh_styles:
            return
        event.refresh_styles = False
        restyled: dict[Any, None] = {self: None}
        focused = self.focused
        if focused is not None:
            # the field (its :focus style, and its parts': a choice's closed field) and
            # its row, if a :focus-within style is written for it (a field placed on the
            # screen itself has no row)
            restyled.update(dict.fromkeys([focused, *focused.children]))
            row = focused.parent
            if row is not None and row is not self and row._has_focus_within:
                restyled.update(dict.fromkeys([row, *row.children]))
        self.app.stylesheet.update_nodes(list(restyled), animate=False)

    @on(events.ScreenResume)
    def read_if_in_view(self) -> None:
        """Read now if the first read waited for the screen to be in view and it is."""
        if self._read_when_back and self.is_live and self.in_view:
            self._read_when_back = self.reading_soon = False
            self.reload()

    def has_unsaved(self) -> bool:
        return False

    def keep_typed(self) -> None:
        """Save whatever is typed on this screen now (the app is quitting)."""

    # ---- shared actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "quit" and self.WRITING)

    async def action_quit(self) -> None:
        await self.pulse_app.action_quit()

    def action_back(self) -> None:
        """Esc: back where the user came from (the screen a record was opened on), else
        close this page, or return to Today from a section."""
        app = self.pulse_app
        if app.go_back():
            return
        if len(app.screen_stack) > 1:
            app.pop_screen()
        elif app.current_mode != "today":
            app.switch_mode("today")

    def action_cursor_down(self) -> None:
        self._move_cursor("action_cursor_down")

    def action_cursor_up(self) -> None:
        self._move_cursor("action_cursor_up")

    def _move_cursor(self, name: str) -> None:
        widget = self.focused
        move = getattr(widget, name, None)
        if callable(move):
            move()
        elif isinstance(widget, ScrollableContainer):  # a scrolling part: j/k scroll it
            scroll_line(widget, down=name.endswith("down"))


def scroll_line(widget: Widget, down: bool) -> None:
    """One line down or up per key press, at once: not animated, and not deferred to the
    next refresh (a deferred scroll starts from where the last one aimed before it was
    drawn, so ten quick presses scrolled one line)."""
    if down:
        widget.scroll_down(animate=False, immediate=True)
    else:
        widget.scroll_up(animate=False, immediate=True)


class BaseModal(LaidOutOnce, ModalScreen[Any]):
    """A modal form or question. Esc cancels (dismisses with ``None``)."""

    HELP: ClassVar[str] = ""
    WRITING: ClassVar[bool] = True
    BINDINGS = keys.bindings("back")

    @property
    def focus_chain(self) -> list[Widget]:
        return fields_only(self, super().focus_chain)

    @property
    def pulse_app(self) -> PulseApp:
        """The app this modal runs in (every modal runs in a PulseApp)."""
        return cast("PulseApp", self.app)

    @property
    def workspace(self) -> Workspace:
        return self.pulse_app.workspace

    @property
    def is_live(self) -> bool:
        """False once the modal is dismissed or being removed, or the app is quitting."""
        return still_live(self)

    def remove(self) -> AwaitRemove:
        return remove_once_mounted(self, super().remove)

    def action_back(self) -> None:
        self.dismiss(None)

    def has_unsaved(self) -> bool:
        return False

    def keep_typed(self) -> None:
        """Keep whatever is typed in this form now (the app is quitting)."""
