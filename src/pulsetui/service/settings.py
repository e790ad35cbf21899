"""The settings in effect and where each came from, for ``pulsetui config``: its
default, the config file, an environment variable or a command-line flag (later ones
win, in that order, as :func:`pulsetui.service.config.load_config` applies them).

Every setting of the model is listed by its dotted name (``cadences.pulse_due_days``),
and every id of the key table under ``keys.`` with the keys bound to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pulsetui.service.config import ENV_OVERRIDES, load_config, read_config_file
from pulsetui.service.keymap import TABLE
from pulsetui.service.paths import config_path

DEFAULT = "default"
FILE = "config file"


@dataclass(frozen=True)
class Setting:
    """One setting: its dotted name, the value in effect, where that value came from
    (``default``, ``config file``, ``environment NAME`` or ``flag --NAME``) and what
    it is for."""

    name: str
    value: Any
    source: str
    description: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "source": self.source,
            "description": self.description,
        }


def settings_in_effect(
    path: Path | None = None,
    flags: Mapping[str, tuple[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[Setting]:
    """Every setting with its value and source. ``flags`` maps a dotted setting to the
    flag that set it and its value (``{"sync.shared": ("--shared", "~/team")}``).

    Raises :class:`InvalidInput` as loading the config does when a setting is invalid."""
    path = path or config_path()
    flags = flags or {}
    environ = os.environ if environ is None else environ
    config = load_config(path, overrides={name: value for name, (_, value) in flags.items()})
    written = read_config_file(path)
    from_env = {".".join(keys): env for env, keys in ENV_OVERRIDES.items() if environ.get(env)}

    def source(name: str) -> str:
        if name in flags:
            return f"flag {flags[name][0]}"
        if name in from_env:
            return f"environment {from_env[name]}"
        if _written(written, name.split(".")):
            return FILE
        return DEFAULT

    found = [
        Setting(name, value, source(name), description)
        for name, value, description in _model_settings(config, "")
    ]
    descriptions = {key.id: key.description for key in TABLE}
    for key in TABLE:
        name = f"keys.{key.id}"
        value = config.keys.get(key.id, key.keys)
        found.append(Setting(name, value, source(name), f"key: {descriptions[key.id]}"))
    return found


def _model_settings(model: BaseModel, prefix: str) -> Iterator[tuple[str, Any, str]]:
    """(dotted name, value, description) of every field of a settings model, nested
    models walked into; ``keys`` is listed by the caller from the key table."""
    for name, info in type(model).model_fields.items():
        if name == "keys" or info.exclude:
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _model_settings(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value, info.description or ""


def _written(data: Mapping[str, Any], keys: list[str]) -> bool:
    for key in keys:
        if not isinstance(data, Mapping) or key not in data:
            return False
        data = data[key]
    return True
