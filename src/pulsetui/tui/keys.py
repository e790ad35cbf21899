"""The one table of key bindings: every key the app answers, with its id, action and
description. The same key means the same thing on every screen.

Screens take their bindings from here by id, e.g. ``BINDINGS = keys.bindings("save",
"delete", "undo")``; the action named in the table must exist on the screen (or the
app, for ``app.``-prefixed ones). Users may remap any id through ``[keys]`` in the
config file (``save = "ctrl+w"``), applied with ``App.set_keymap``.

Global (app-level) keys: help, palette, the four sections, new NPS answer, new agenda
item, call mode, edit in $EDITOR, quit. Screen-level keys: back, save, delete, undo,
open, cursor movement, and the record keys of the section screens.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One entry in the key table."""

    id: str
    keys: str  # comma-separated Textual key names
    action: str
    description: str
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            priority=self.priority,
            id=self.id,
        )


TABLE: tuple[Key, ...] = (
    # ---- global: on the app, work on every screen ----------------------------------------
    Key("help", "question_mark,f1", "help", "Help"),
    Key("palette", "ctrl+p", "command_palette", "Commands", show=False),
    Key("today", "t,1", "section('today')", "Today"),
    Key("consultants", "c,2", "section('consultants')", "Consultants"),
    Key("clients", "l,3", "section('clients')", "cLients"),
    Key("agreements", "g,4", "section('agreements')", "aGreements"),
    Key("new_nps", "n", "new_nps", "NPS"),
    Key("new_agenda_item", "a", "new_agenda_item", "Agenda+"),
    Key("call_mode", "f2,ctrl+k", "toggle_call_mode", "Call mode"),
    Key("edit_external", "ctrl+e", "edit_external", "$EDITOR", show=False, priority=True),
    Key("quit", "q", "quit", "Quit"),
    # ---- screen-level: a screen lists the ids it supports ---------------------------------
    Key("back", "escape", "back", "Back"),
    Key("save", "ctrl+s", "save", "Save"),
    Key("delete", "d", "delete", "Delete"),
    Key("undo", "u", "undo", "Undo delete"),
    Key("open", "enter", "open", "Open", show=False),
    Key("down", "j", "cursor_down", "Down", show=False),
    Key("up", "k", "cursor_up", "Up", show=False),
    Key("new", "plus", "new", "New"),
    Key("filter", "slash", "filter", "Filter"),
    Key("refresh", "ctrl+r", "refresh", "Refresh", show=False),
    # record keys used by the section screens
    Key("new_pulse", "p", "new_pulse", "Pulse"),
    Key("new_meeting", "m", "new_meeting", "Meeting"),
    Key("new_agreement", "e", "new_agreement", "Agreement"),
    Key("tick", "space", "tick", "Tick"),
    Key("mark_done", "D", "mark('done')", "Done"),
    Key("mark_broken", "B", "mark('broken')", "Broken"),
    Key("mark_cancelled", "C", "mark('cancelled')", "Cancel"),
    Key("history", "h", "history", "History"),
    Key("end_meeting", "ctrl+enter,ctrl+j", "end_meeting", "End meeting"),
    Key("address_flag", "x", "address_flag", "Addressed"),
    Key("copy", "y", "copy", "Copy"),
    Key("conflict", "r", "resolve_conflict", "Resolve"),
)

BY_ID: dict[str, Key] = {key.id: key for key in TABLE}

GLOBAL_IDS: tuple[str, ...] = (
    "help",
    "palette",
    "today",
    "consultants",
    "clients",
    "agreements",
    "new_nps",
    "new_agenda_item",
    "call_mode",
    "edit_external",
    "quit",
)


def bindings(*ids: str) -> list[BindingType]:
    """Textual bindings for these key ids, in the order given."""
    return [BY_ID[key_id].binding() for key_id in ids]


def keys_for(key_id: str) -> str:
    """The keys bound to one id, for help texts ("ctrl+s")."""
    return BY_ID[key_id].keys
