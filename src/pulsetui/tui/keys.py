"""Textual bindings built from the key table (:mod:`pulsetui.service.keymap`).

Screens take their bindings from here by id, e.g. ``BINDINGS = keys.bindings("save",
"delete", "undo")``; the action named in the table must exist on the screen (or the
app, for ``app.``-prefixed ones). Users may remap any id through ``[keys]`` in the
config file (``save = "ctrl+w"``), checked by the configuration and applied with
``App.set_keymap``.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from pulsetui.service.keymap import BY_ID, GLOBAL_IDS, TABLE, Key

__all__ = ["BY_ID", "GLOBAL_IDS", "TABLE", "Key", "binding", "bindings", "keys_for"]


def binding(key: Key) -> Binding:
    """The Textual binding of one entry of the key table."""
    return Binding(
        key.keys,
        key.action,
        key.description,
        show=key.show,
        priority=key.priority,
        id=key.id,
    )


def bindings(*ids: str) -> list[BindingType]:
    """Textual bindings for these key ids, in the order given."""
    return [binding(BY_ID[key_id]) for key_id in ids]


def keys_for(key_id: str) -> str:
    """The keys bound to one id, for help texts ("ctrl+s")."""
    return BY_ID[key_id].keys
