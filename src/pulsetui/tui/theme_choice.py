"""The colour theme sticks: the app starts in the theme of ``[ui] theme`` in the config,
and a theme picked in the command palette is saved back there (with the user's comments
and other settings kept, :func:`pulsetui.service.config_file.save_theme`), so the next
start uses it. A config file that cannot be written to is said in a notice; the theme
still changes for this run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.theme import Theme

from pulsetui.domain.errors import InvalidInput

if TYPE_CHECKING:
    from pulsetui.tui.app import PulseApp


def keep_theme(app: PulseApp) -> None:
    """Apply the configured theme and save every theme picked from now on (call once,
    when the app is mounted)."""
    wanted = app.workspace.config.ui.theme
    if wanted in app.available_themes and app.theme != wanted:
        app.theme = wanted
    app.theme_changed_signal.subscribe(app, lambda theme: remember_theme(app, theme))


def remember_theme(app: PulseApp, theme: Theme) -> None:
    """Save ``theme`` as ``[ui] theme`` unless the config says so already."""
    config = app.workspace.config
    if theme.name == config.ui.theme:
        return
    from pulsetui.service.config_file import save_theme

    try:
        path = save_theme(theme.name, config.source)
    except (InvalidInput, OSError) as exc:
        app.notify(f"Theme not saved: {exc}", severity="warning", timeout=6)
        return
    config.ui.theme = theme.name
    config.source = path
