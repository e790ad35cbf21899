"""Where pulsetui keeps things: the workspace (data) and the configuration file."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "pulsetui"


def default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def resolve_home(home: str | Path | None = None) -> Path:
    """``--home``, else ``PULSETUI_HOME``, else the platform's user data dir."""
    if home:
        return Path(home).expanduser().absolute()
    env = os.environ.get("PULSETUI_HOME")
    if env:
        return Path(env).expanduser().absolute()
    return default_home()


def config_path() -> Path:
    """``PULSETUI_CONFIG``, else ``config.toml`` in the platform's user config dir."""
    env = os.environ.get("PULSETUI_CONFIG")
    if env:
        return Path(env).expanduser().absolute()
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"
