"""Writing the config file: a commented file of defaults (``pulsetui config --init``)
and one setting saved into an existing file with the user's comments and layout kept
(the theme the app's theme picker chose).

The file is 0600 like everything pulsetui writes, replaced atomically, and written
where a symbolic link points (a config kept with other dotfiles stays a link).
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel, ValidationError
from tomlkit.exceptions import TOMLKitError

from pulsetui.domain.errors import InvalidInput, from_validation_error
from pulsetui.service.config import ENV_OVERRIDES, THEMES, Config, UiSettings
from pulsetui.service.keymap import TABLE
from pulsetui.service.paths import config_path
from pulsetui.store.fsutil import DIR_MODE, FILE_MODE, atomic_write, write_new_file

HEADER = """\
# pulsetui configuration, written by `pulsetui config --init`.
#
# Every setting is listed with its default value, commented out: remove the # in
# front of a line to change it. Environment variables and command-line flags
# override this file; `pulsetui config` shows the value in effect and where it came
# from, `pulsetui doctor` checks the file.
"""

_SECTION_NOTES = {"ui": textwrap.wrap(f"Themes: {', '.join(THEMES)}.", 76)}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _env_of(dotted: str) -> str:
    names = [env for env, keys in ENV_OVERRIDES.items() if ".".join(keys) == dotted]
    return f" (env {names[0]})" if names else ""


def _field_lines(model: type[BaseModel], prefix: str) -> list[str]:
    lines: list[str] = []
    defaults = model()
    for name, info in model.model_fields.items():
        if info.exclude or name == "keys":
            continue
        default = getattr(defaults, name)
        if isinstance(default, BaseModel):
            continue
        bounds = [getattr(m, a) for m in info.metadata for a in ("ge", "le") if hasattr(m, a)]
        limits = f" ({bounds[0]:g}-{bounds[1]:g})" if len(bounds) == 2 else ""
        dotted = f"{prefix}{name}"
        about = info.description or name
        lines.append(f"# {about[:1].upper()}{about[1:]}{limits}{_env_of(dotted)}.")
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        shown = default if default is not None else extra.get("example", "")
        lines.append(f"# {name} = {_toml_value(shown)}")
    return lines


def default_config_text() -> str:
    """The commented config file of defaults: loading it gives the defaults."""
    parts = [HEADER, *_field_lines(Config, "")]
    for name, info in Config.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            parts += ["", f"[{name}]"]
            parts += [f"# {note}" for note in _SECTION_NOTES.get(name, [])]
            parts += _field_lines(annotation, f"{name}.")
    parts += [
        "",
        "[keys]",
        "# Remap a key of the app by its id; several keys separated by commas. Key names",
        "# are Textual's: ctrl+s, f5, escape, shift+tab, a letter, question_mark, slash.",
    ]
    width = max(len(key.id) for key in TABLE)
    for key in TABLE:
        assignment = f"{key.id} = {_toml_value(key.keys)}"
        parts.append(f"# {assignment:<{width + 22}} # {key.description}")
    return "\n".join(parts) + "\n"


def _make_parent(path: Path) -> None:
    if not path.parent.exists():
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


def init_config(path: Path | None = None) -> Path:
    """Write the commented file of defaults at ``path`` (default: the config file).

    Refuses (FileExistsError) when a file, or anything else, is already there."""
    path = path or config_path()
    if path.exists() or path.is_symlink():
        raise FileExistsError(f"{path} exists already; not overwritten")
    _make_parent(path)
    write_new_file(path, default_config_text().encode("utf-8"), FILE_MODE)
    return path


def save_setting(section: str, name: str, value: Any, path: Path | None = None) -> Path:
    """Set ``[section] name = value`` in the config file and keep everything else in
    it as it was: comments, order, spacing and the other settings (invalid ones
    too: they are the user's to fix). The file is created if missing.

    Raises :class:`InvalidInput` when the file is not TOML or ``section`` is not a
    table there."""
    path = path or config_path()
    target = Path(os.path.realpath(path))
    try:
        text = target.read_text(encoding="utf-8") if target.exists() else ""
        document = tomlkit.parse(text)
    except (TOMLKitError, UnicodeDecodeError) as exc:
        raise InvalidInput.one(f"config {path}", f"is not valid TOML: {exc}") from None
    except OSError as exc:
        raise InvalidInput.one(f"config {path}", f"cannot be read: {exc.strerror or exc}") from None
    table = document.get(section)
    if table is None:
        table = tomlkit.table()
        document[section] = table
    if not isinstance(table, dict):
        raise InvalidInput.one(f"config {path} setting {section}", "is not a table")
    table[name] = value
    _make_parent(target)
    atomic_write(target, tomlkit.dumps(document).encode("utf-8"), FILE_MODE)
    return path


def save_theme(theme: str, path: Path | None = None) -> Path:
    """Save the chosen theme as ``[ui] theme`` (see :func:`save_setting`); a theme the
    app does not have is refused with :class:`InvalidInput` naming ``theme``."""
    try:
        UiSettings(theme=theme)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    return save_setting("ui", "theme", theme, path)
