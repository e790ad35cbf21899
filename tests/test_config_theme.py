"""``[ui] theme``: one of the themes Textual ships (the list kept in the config agrees
with Textual's), and the theme the app chooses saved into the config file with the
user's comments, layout and other settings kept, the file created if missing, 0600."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest
from textual.app import App
from textual.theme import BUILTIN_THEMES

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.config import DEFAULT_THEME, THEMES, load_config
from pulsetui.service.config_file import default_config_text, init_config, save_theme

USERS_FILE = """\
# my pulsetui settings
me = "Anna Virtanen"   # that's me

[cadences]
pulse_due_days    = 21      # we meet every three weeks
pulse_overdue_days = 35

[ui]
theme = "dracula"   # easy on the eyes
# I tried nord once

[keys]
save = "ctrl+w"
"""


def test_the_themes_are_those_textual_ships() -> None:
    assert sorted(THEMES) == sorted(BUILTIN_THEMES)
    assert App().theme == DEFAULT_THEME


def test_a_theme_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "gruvbox"\n')
    assert load_config(path).ui.theme == "gruvbox"
    path.write_text('[ui]\ntheme = "Gruvbox"\n')
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    message = caught.value.for_field("config ui.theme") or ""
    assert "is not a theme of the app" in message and "tokyo-night" in message


def test_saving_keeps_comments_layout_and_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USERS_FILE, encoding="utf-8")
    path.chmod(0o644)
    save_theme("nord", path)
    text = path.read_text(encoding="utf-8")
    assert text == USERS_FILE.replace('theme = "dracula"', 'theme = "nord"')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config = load_config(path)
    assert config.ui.theme == "nord"
    assert config.cadences.pulse_due_days == 21 and config.keys == {"save": "ctrl+w"}


def test_saving_adds_the_setting_where_there_was_none(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('me = "Anna"  # hello\n[sync]\nshared = "~/team"', encoding="utf-8")
    save_theme("monokai", path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('me = "Anna"  # hello\n[sync]\nshared = "~/team"\n')
    assert tomllib.loads(text) == {
        "me": "Anna",
        "sync": {"shared": "~/team"},
        "ui": {"theme": "monokai"},
    }
    dotted = tmp_path / "dotted.toml"
    dotted.write_text('ui.theme = "nord"\n')
    save_theme("flexoki", dotted)
    assert dotted.read_text() == 'ui.theme = "flexoki"\n'


def test_saving_into_the_commented_defaults(tmp_path: Path) -> None:
    path = init_config(tmp_path / "config.toml")
    save_theme("tokyo-night", path)
    text = path.read_text(encoding="utf-8")
    assert text.replace('theme = "tokyo-night"\n', "", 1) == default_config_text()
    assert load_config(path).ui.theme == "tokyo-night"


def test_saving_creates_a_private_file_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "config.toml"
    save_theme("solarized-light", path)
    assert path.read_text(encoding="utf-8") == '[ui]\ntheme = "solarized-light"\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    assert save_theme("nord") == Path(os.environ["PULSETUI_CONFIG"])  # the default file
    assert load_config().ui.theme == "nord"


def test_a_linked_config_file_stays_a_link(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "pulsetui.toml"
    dotfiles.parent.mkdir()
    dotfiles.write_text("# kept in git\n")
    link = tmp_path / "config.toml"
    link.symlink_to(dotfiles)
    save_theme("rose-pine", link)
    assert link.is_symlink()
    assert dotfiles.read_text() == '# kept in git\n\n[ui]\ntheme = "rose-pine"\n'


@pytest.mark.parametrize(
    ("text", "theme", "field", "rule"),
    [
        ("me = 'x'\n", "neon", "theme", "is not a theme of the app"),
        ("[ui\n", "nord", "config", "is not valid TOML"),
        ("ui = 5\n", "nord", "setting ui", "is not a table"),
    ],
)
def test_refused_saves_change_nothing(
    tmp_path: Path, text: str, theme: str, field: str, rule: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as caught:
        save_theme(theme, path)
    assert any(field in p.field and rule in p.message for p in caught.value.problems)
    assert path.read_text() == text


def test_other_invalid_settings_are_left_for_the_user(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[thresholds]\nenps_min_answers = 99\n")
    save_theme("nord", path)
    assert tomllib.loads(path.read_text()) == {
        "thresholds": {"enps_min_answers": 99},
        "ui": {"theme": "nord"},
    }
