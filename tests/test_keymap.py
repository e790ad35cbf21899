"""The key table as plain data and the check of key names agree with Textual: every
key Textual can report is accepted as it names it, a typed character is taken by the
name Textual gives it, and names no terminal reports are refused. The terminal app's
bindings are built from the same table."""

from __future__ import annotations

import string

import pytest
from textual._keyboard_protocol import FUNCTIONAL_KEYS
from textual.keys import Keys, _character_to_key

from pulsetui.service import keymap
from pulsetui.service.keymap import TABLE, check_key_id, normalize_keys
from pulsetui.tui import keys as tui_keys

# Keys members that are not names a binding can use
NOT_BINDABLE = {"<any>", "<scroll-up>", "<scroll-down>", "<ignore>", "ctrl-at"}


def test_every_key_textual_reports_is_accepted_as_named() -> None:
    names = [key.value for key in Keys if key.value not in NOT_BINDABLE]
    names += sorted(set(FUNCTIONAL_KEYS.values()))
    assert len(names) > 200
    for name in names:
        assert normalize_keys(name) == name, name
        if "+" not in name:
            assert normalize_keys(f"ctrl+{name}") == f"ctrl+{name}", name


def test_a_typed_character_is_taken_by_textual_s_name() -> None:
    for char in string.printable.strip() + "äöЖõ€§":
        if char == ",":
            continue  # separates keys; the , key is "comma"
        assert normalize_keys(char) == _character_to_key(char), char
        name = _character_to_key(char)
        assert normalize_keys(name) == name, name
        assert normalize_keys(f"alt+{name}") == f"alt+{name}", name
    assert normalize_keys(",") == "comma"


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("ctrl+nosuchkey", "'nosuchkey' is not a key name"),
        ("f36", "is not a key name"),
        ("solidus", "is not a key name"),  # Textual calls it slash
        ("foo+x", "'foo' in 'foo+x' is not a modifier"),
        ("ctrl+ctrl+x", "names a modifier twice"),
        ("ctrl+", "ends in '+'"),
        ("a,,b", "empty key between commas"),
        ("", "must name at least one key"),
        ("   ", "must name at least one key"),
        ("\x1b", "is not a key"),
    ],
)
def test_impossible_keys_are_refused_with_the_reason(spec: str, why: str) -> None:
    with pytest.raises(ValueError, match=why.replace("+", r"\+").replace("(", r"\(")):
        normalize_keys(spec)


def test_key_ids_come_from_the_table() -> None:
    assert check_key_id("save") == "save"
    with pytest.raises(ValueError, match="is not a key id"):
        check_key_id("not_a_key")


def test_the_table_is_valid_and_the_tui_builds_its_bindings_from_it() -> None:
    assert tui_keys.TABLE is keymap.TABLE
    assert len({key.id for key in TABLE}) == len(TABLE)
    for key in TABLE:
        assert normalize_keys(key.keys) == key.keys, key.id
        (binding,) = tui_keys.bindings(key.id)
        assert (binding.key, binding.action, binding.description, binding.id) == (
            key.keys,
            key.action,
            key.description,
            key.id,
        )
        assert (binding.show, binding.priority) == (key.show, key.priority)
