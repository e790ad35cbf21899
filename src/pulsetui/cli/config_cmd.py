"""``pulsetui config``: the settings in effect and where each came from; ``--init``
writes a commented file of defaults, ``--edit`` opens the file in $VISUAL / $EDITOR
and checks it afterwards."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from pulsetui.cli.context import EXIT_FAILED, Context, naming_config_file, pass_ctx
from pulsetui.cli.output import emit_json, json_option, say
from pulsetui.domain.errors import InvalidInput
from pulsetui.service.config import load_config
from pulsetui.service.config_file import init_config
from pulsetui.service.paths import config_path
from pulsetui.service.settings import settings_in_effect


def _shown(value: Any) -> str:
    """A value as it would be written in the config file."""
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return f'"{value}"'


def _file_line(path: Path) -> str:
    where = " (from PULSETUI_CONFIG)" if os.environ.get("PULSETUI_CONFIG") else ""
    if path.exists():
        return f"config file: {path}{where}"
    return f"config file: {path}{where}, not created yet (pulsetui config --init)"


@click.command("config")
@click.option("--init", "init", is_flag=True, help="Write a commented file of the defaults.")
@click.option("--edit", "edit", is_flag=True, help="Open the config file in $VISUAL or $EDITOR.")
@json_option
@pass_ctx
def config_cmd(ctx: Context, init: bool, edit: bool, as_json: bool) -> None:
    """Show the settings in effect and where each came from.

    Each setting's value came from its default, the config file, an environment
    variable or a flag (later ones win, in that order).

    --init writes a config file with every setting commented out at its default
    (never over an existing one); --edit opens the file in $VISUAL or $EDITOR
    (writing the commented defaults first if there is none) and checks it when the
    editor closes. Invalid settings exit 2 naming the setting and the rule.

    \b
    Examples:
      pulsetui config
      pulsetui config --json
      pulsetui config --init
      EDITOR=nano pulsetui config --edit
    """
    path = config_path()
    if init and edit:
        raise InvalidInput.one("init", "give --init or --edit, not both")
    if init:
        try:
            init_config(path)
        except FileExistsError:
            say(f"pulsetui: {path} exists already; not overwritten", err=True)
            say("pulsetui: change it with: pulsetui config --edit", err=True)
            click.get_current_context().exit(EXIT_FAILED)
        say(f"wrote {path} (every setting commented out at its default)")
        return
    if edit:
        if not path.exists():
            init_config(path)
        click.edit(filename=str(path))
        try:
            load_config(path)
        except InvalidInput as exc:
            raise naming_config_file(exc) from None
        say(f"{path} is valid")
        return
    flags: dict[str, tuple[str, Any]] = {}
    if ctx.shared is not None and ctx.shared_from_flag:
        flags["sync.shared"] = ("--shared", ctx.shared)
    if ctx.as_name is not None:
        flags["me"] = ("--as", ctx.as_name)
    try:
        settings = settings_in_effect(path, flags)
    except InvalidInput as exc:
        raise naming_config_file(exc) from None
    if as_json:
        emit_json(
            {
                "file": str(path),
                "file_exists": path.exists(),
                "settings": [s.as_dict() for s in settings],
            }
        )
        return
    say(_file_line(path))
    width = max(len(s.name) for s in settings)
    for setting in settings:
        say(f"{setting.name:<{width}}  {_shown(setting.value):<20}  {setting.source}")
