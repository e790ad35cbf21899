"""The one table of key bindings, as plain data: every key the app answers, with its
id, action and description, and the check of the key names a user may give them.

The same key means the same thing on every screen. The terminal app builds its
Textual bindings from this table (``pulsetui.tui.keys``); the configuration checks
``[keys]`` against it (``save = "ctrl+w"`` remaps the key of the id ``save``) without
importing Textual, so the command line never loads it.

Global (app-level) keys: help, palette, the four sections, new NPS answer, new agenda
item, call mode, edit in $EDITOR, quit. Screen-level keys: back, save, delete, undo,
open, cursor movement, and the record keys of the section screens.

Key names are Textual's: ``ctrl+s``, ``f1``, ``escape``, ``shift+tab``, a letter or
digit (``D`` is shift+d), or a character's name (``question_mark``, ``slash``,
``plus``); several keys for one id are separated by commas. A single character such
as ``?`` is taken as its name (:func:`normalize_keys`).
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    """One entry in the key table."""

    id: str
    keys: str  # comma-separated Textual key names
    action: str
    description: str
    show: bool = True
    priority: bool = False


TABLE: tuple[Key, ...] = (
    # ---- global: on the app, work on every screen ----------------------------------------
    Key("help", "question_mark,f1", "help", "Help"),
    Key("palette", "ctrl+p", "command_palette", "Commands", show=False),
    Key("today", "t,1", "section('today')", "Today"),
    Key("consultants", "c,2", "section('consultants')", "Consultants"),
    Key("clients", "l,3", "section('clients')", "cLients"),
    Key("agreements", "g,4", "section('agreements')", "aGreements"),
    Key("new_nps", "n,f4", "new_nps", "NPS"),
    Key("new_agenda_item", "a,f3", "new_agenda_item", "Agenda+"),
    # a function key and a chord no text field binds: from any field they reach the
    # app in the order typed and never edit the field's text
    Key("call_mode", "f2,ctrl+l", "toggle_call_mode", "Call mode"),
    Key("edit_external", "ctrl+e", "edit_external", "$EDITOR", show=False, priority=True),
    Key("quit", "q", "quit", "Quit"),
    Key("quit_anywhere", "ctrl+q", "quit_anywhere", "Quit", show=False, priority=True),
    # ---- screen-level: a screen lists the ids it supports ---------------------------------
    Key("back", "escape", "back", "Back"),
    Key("save", "ctrl+s", "save", "Save"),
    Key("delete", "d", "delete", "Delete"),
    Key("undo", "u", "undo", "Undo delete"),
    Key("open", "enter", "open", "Open", show=False),
    Key("down", "j", "cursor_down", "Down", show=False),
    Key("up", "k", "cursor_up", "Up", show=False),
    Key("new", "plus", "new", "New"),
    Key("edit", "E", "edit", "Change"),
    Key("filter", "slash", "filter", "Filter"),
    Key("refresh", "ctrl+r", "refresh", "Refresh", show=False),
    # record keys used by the section screens
    Key("new_pulse", "p", "new_pulse", "Pulse"),
    Key("new_meeting", "m", "new_meeting", "Meeting"),
    Key("new_agreement", "e", "new_agreement", "Agreement"),
    Key("new_request", "W", "new_request", "Wish"),
    Key("new_touchpoint", "T", "new_touchpoint", "Touchpoint"),
    Key("communicator", "H", "communicator", "Communicator"),
    Key("tick", "space", "tick", "Tick"),
    Key("mark_done", "D", "mark('done')", "Done"),
    Key("mark_broken", "B", "mark('broken')", "Broken"),
    Key("mark_cancelled", "C", "mark('cancelled')", "Cancel"),
    Key("history", "h", "history", "History"),
    # ---- meeting mode: chords from the notes (the notes keep the focus) ---------------
    # Chosen so that tmux, SSH and macOS Terminal deliver them and no text field binds
    # them (ctrl+a/c/d/e/k/u/v/w/x/y/z edit text; ctrl+h/i/j/m are Backspace, Tab and
    # Enter; ctrl+b is tmux's prefix; ctrl+s/q may be flow control; ctrl+y and F6/F7
    # are the notes' redo, select line and select all).
    Key("tick_item", "ctrl+t", "tick_item", "Tick"),
    Key("drop_item", "ctrl+o", "drop_item", "Drop"),
    Key("next_item", "ctrl+n,ctrl+down", "next_item", "Next item"),
    Key("previous_item", "ctrl+up", "previous_item", "Previous item", show=False),
    Key("agreement_from_line", "ctrl+g", "agreement_from_line", "Agreement"),
    Key("end_meeting", "ctrl+f", "end_meeting", "End meeting"),
    Key("discard_meeting", "f9", "discard_meeting", "Discard"),
    # a wish and a touchpoint of the meeting's client, logged without leaving the notes
    # (no chord is left: the free letters mean other things elsewhere; where a terminal
    # takes F11 for full screen, [keys] wish_from_meeting = "..." moves it)
    Key("wish_from_meeting", "f11", "log_wish", "Wish"),
    Key("touchpoint_from_meeting", "f12", "log_touchpoint", "Touchpoint"),
    Key("copy_text", "ctrl+y", "copy", "Copy"),
    Key("resolve", "f5", "resolve_conflict", "Resolve"),
    Key("export", "f6", "export", "Export .md"),
    # ---- lists inside writing screens: no letter is a command there ------------------
    Key("tick_line", "ctrl+t", "tick_item", "Done"),
    Key("remove_line", "delete", "delete", "Remove"),
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
    "quit_anywhere",
)

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")

# Keys that are not characters, as the terminal reports them (Textual's names,
# including the keys only the kitty keyboard protocol reports).
NAMED_KEYS = frozenset(
    {
        "escape", "enter", "return", "tab", "backspace", "space", "insert", "delete",
        "home", "end", "pageup", "pagedown", "up", "down", "left", "right",
        "caps_lock", "scroll_lock", "num_lock", "print_screen", "pause", "menu",
        "kp_begin", "decimal", "divide", "multiply", "subtract", "add", "separator",
        "equal", "lower_volume", "raise_volume", "mute_volume", "media_play",
        "media_pause", "media_play_pause", "media_reverse", "media_stop",
        "media_fast_forward", "media_rewind", "media_track_next",
        "media_track_previous", "media_record", "left_shift", "left_control",
        "left_alt", "left_super", "left_hyper", "left_meta", "right_shift",
        "right_control", "right_alt", "right_super", "right_hyper", "right_meta",
        "iso_level3_shift", "iso_level5_shift",
        *(f"f{n}" for n in range(1, 36)),
    }
)  # fmt: skip

# Textual names a few characters differently from Unicode
_RENAMED = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_UNICODE_NAME = {short: long for long, short in _RENAMED.items()}


def character_key(char: str) -> str:
    """The key name of a typed character: a letter or digit is itself, anything else
    its Unicode name in lower case with underscores (``?`` is ``question_mark``)."""
    if char.isalnum():
        return char
    if char == "\t":
        return "tab"
    try:
        name = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return char
    return _RENAMED.get(name, name)


def _is_character_name(name: str) -> bool:
    """Whether ``name`` is the key name of a printable character (``full_stop``,
    ``less_than_sign``): its Unicode name with each underscore a space or a hyphen."""
    words = _UNICODE_NAME.get(name, name).split("_")
    if len(words) > 10 or not all(words):
        return False
    for joins in itertools.product(" -", repeat=len(words) - 1):
        candidate = words[0] + "".join(j + w for j, w in zip(joins, words[1:], strict=True))
        try:
            char = unicodedata.lookup(candidate.upper())
        except KeyError:
            continue
        if len(char) == 1 and char.isprintable() and character_key(char) == name:
            return True
    return False


def _check_key(key: str) -> str:
    """One key name, normalized; ValueError saying what is wrong with it."""
    if len(key) == 1:
        if not key.isprintable():
            raise ValueError(f"{key!r} is not a key")
        return character_key(key)
    *modifiers, base = key.split("+")
    if not base:
        raise ValueError(f"{key!r} ends in '+' (the + key is called plus)")
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            raise ValueError(
                f"{modifier!r} in {key!r} is not a modifier (one of {', '.join(MODIFIERS)})"
            )
    if len(set(modifiers)) != len(modifiers):
        raise ValueError(f"{key!r} names a modifier twice")
    if len(base) == 1 and modifiers:
        if not base.isprintable():
            raise ValueError(f"{key!r} is not a key")
        return key
    if base in NAMED_KEYS or _is_character_name(base):
        return key
    raise ValueError(
        f"{base!r} is not a key name (keys are named like ctrl+s, f5, escape, "
        "question_mark or a single letter)"
    )


def normalize_keys(spec: str) -> str:
    """The keys of one ``[keys]`` setting as the app binds them: comma-separated, each
    checked, a single character given by its name (``?`` becomes ``question_mark``).

    Raises ValueError naming the key that is not one."""
    if not spec.strip():
        raise ValueError("must name at least one key")
    if spec.strip() == ",":
        return "comma"
    keys = [part.strip() for part in spec.split(",")]
    if any(not key for key in keys):
        raise ValueError(f"{spec!r} has an empty key between commas (the , key is comma)")
    return ",".join(_check_key(key) for key in keys)


def is_text_key(key: str) -> bool:
    """Whether the key name ``key`` types a character (``a``, ``?`` as ``question_mark``,
    ``space``): in a writing screen such a key is text, never a command."""
    if "+" in key.replace("plus", ""):
        return False  # a chord
    return key == "space" or len(key) == 1 or (key not in NAMED_KEYS and _is_character_name(key))


def writes_text(key_id: str) -> bool:
    """Whether every key of a table entry types a character, so the entry is off in
    writing screens (the section letters, ``q``)."""
    return all(is_text_key(key) for key in BY_ID[key_id].keys.split(","))


def check_key_id(key_id: str) -> str:
    """``key_id`` if the key table has it; ValueError otherwise."""
    if key_id not in BY_ID:
        raise ValueError("is not a key id of the app (`pulsetui config` lists them)")
    return key_id
