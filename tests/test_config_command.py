"""``pulsetui config``: every setting in effect and where it came from (default, config
file, environment, flag); ``--init`` writes a commented file of the defaults and never
overwrites one; ``--edit`` opens the file in $VISUAL / $EDITOR and checks it. ``[keys]``
ids and key names are validated: an unknown id or an impossible key is an error
naming the setting, and ``doctor`` reports it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pulsetui.cli.main import cli
from pulsetui.service.config import load_config
from pulsetui.service.keymap import TABLE


@pytest.fixture
def config_file() -> Path:
    return Path(os.environ["PULSETUI_CONFIG"])


def run(home: Path, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner(env=env or {}).invoke(
        cli, ["--home", str(home), *args], catch_exceptions=False
    )


def settings(home: Path, *args: str, env: dict[str, str | None] | None = None) -> dict:
    result = run(home, *args, "config", "--json", env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"] == 1
    return {s["name"]: (s["value"], s["source"]) for s in data["settings"]}


def test_defaults_and_where_they_came_from(home: Path, config_file: Path) -> None:
    shown = settings(home)
    assert shown["cadences.pulse_due_days"] == (28, "default")
    assert shown["thresholds.enps_min_answers"] == (5, "default")
    assert shown["ui.theme"] == ("textual-dark", "default")
    assert shown["sync.shared"] == (None, "default")
    assert {name for name in shown if name.startswith("keys.")} == {f"keys.{k.id}" for k in TABLE}
    assert shown["keys.save"] == ("ctrl+s", "default")
    text = run(home, "config").stdout
    assert text.splitlines()[0].startswith(f"config file: {config_file}")
    assert "not created yet (pulsetui config --init)" in text.splitlines()[0]
    line = next(line for line in text.splitlines() if line.startswith("cadences.pulse_due_days"))
    assert line.split() == ["cadences.pulse_due_days", "28", "default"]
    assert not home.exists()  # showing the settings opens no workspace


def test_every_source_is_named(home: Path, config_file: Path, tmp_path: Path) -> None:
    config_file.write_text(
        '[thresholds]\nenps_min_answers = 7\n[sync]\nshared = "~/from-file"\n'
        '[keys]\nsave = "ctrl+w"\n[ui]\ntheme = "nord"\n',
        encoding="utf-8",
    )
    shown = settings(home)
    assert shown["thresholds.enps_min_answers"] == (7, "config file")
    assert shown["sync.shared"] == ("~/from-file", "config file")
    assert shown["keys.save"] == ("ctrl+w", "config file")
    assert shown["ui.theme"] == ("nord", "config file")
    assert shown["cadences.pulse_due_days"] == (28, "default")
    env: dict[str, str | None] = {"PULSETUI_ENPS_MIN": "6", "PULSETUI_SHARED": "/from/env"}
    shown = settings(home, env=env)
    assert shown["thresholds.enps_min_answers"] == (6, "environment PULSETUI_ENPS_MIN")
    assert shown["sync.shared"] == ("/from/env", "environment PULSETUI_SHARED")
    shown = settings(home, "--shared", "/from/flag", "--as", "Olga", env=env)
    assert shown["sync.shared"] == ("/from/flag", "flag --shared")
    assert shown["me"] == ("Olga", "flag --as")
    text = run(home, "--shared", "/from/flag", "config", env=env).stdout
    assert any(
        line.split() == ["sync.shared", '"/from/flag"', "flag", "--shared"]
        for line in text.splitlines()
    )


def test_init_writes_commented_defaults_once(home: Path, config_file: Path) -> None:
    config_file.parent.joinpath("sub").mkdir()
    nested = config_file.parent / "sub" / "dir" / "config.toml"
    for path in (config_file, nested):
        result = run(home, "config", "--init", env={"PULSETUI_CONFIG": str(path)})
        assert result.exit_code == 0, result.output
        assert f"wrote {path}" in result.stdout
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        # every setting commented out: the same as no file at all
        assert load_config(path).model_dump() == load_config(path.with_name("none")).model_dump()
    text = config_file.read_text(encoding="utf-8")
    for name in ("pulse_due_days", "enps_min_answers", "interval_seconds", "theme", "shared"):
        assert f"# {name} = " in text
    for key in TABLE:
        assert f'# {key.id} = "{key.keys}"' in text
    assert "tokyo-night" in text and "(7-90)" in text and "(env PULSETUI_SHARED)" in text
    # uncommenting a line takes effect
    config_file.write_text(text.replace("# pulse_due_days = 28", "pulse_due_days = 21"))
    assert load_config(config_file).cadences.pulse_due_days == 21
    again = run(home, "config", "--init")
    assert again.exit_code == 1
    assert "exists already; not overwritten" in again.stderr
    assert "pulse_due_days = 21" in config_file.read_text(encoding="utf-8")
    assert run(home, "config", "--init", "--edit").exit_code == 2


def editor(tmp_path: Path, replace: str, by: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\np = Path(sys.argv[1])\n"
        f"p.write_text(p.read_text(encoding='utf-8').replace({replace!r}, {by!r}), "
        "encoding='utf-8')\n"
    )
    return f"{sys.executable} {script}"


def test_edit_opens_the_editor_and_checks_the_file(
    home: Path, config_file: Path, tmp_path: Path
) -> None:
    env: dict[str, str | None] = {
        "VISUAL": editor(tmp_path, '# theme = "textual-dark"', 'theme = "nord"'),
        "EDITOR": "false",
    }
    result = run(home, "config", "--edit", env=env)  # no file yet: made, then edited
    assert result.exit_code == 0, result.output
    assert f"{config_file} is valid" in result.stdout
    assert load_config(config_file).ui.theme == "nord"
    env = {"VISUAL": None, "EDITOR": editor(tmp_path, "[keys]", '[keys]\nnot_a_key = "z"')}
    bad = run(home, "config", "--edit", env=env)
    assert bad.exit_code == 2
    assert f"config {config_file} setting keys.not_a_key: is not a key id" in bad.stderr


@pytest.mark.parametrize(
    ("text", "setting", "rule"),
    [
        ('[keys]\nnot_a_key = "z"\n', "keys.not_a_key", "is not a key id"),
        ('[keys]\nsave = "ctrl+nosuchkey"\n', "keys.save", "'nosuchkey' is not a key name"),
        ('[keys]\nquit = "hyperspace+q"\n', "keys.quit", "is not a modifier"),
        ('[keys]\nback = ""\n', "keys.back", "must name at least one key"),
        ('[keys]\nsave = "ctrl+s,,f5"\n', "keys.save", "empty key between commas"),
        ('[ui]\ntheme = "neon"\n', "ui.theme", "is not a theme of the app"),
    ],
)
def test_keys_and_theme_are_validated(
    home: Path, config_file: Path, text: str, setting: str, rule: str
) -> None:
    config_file.write_text(text, encoding="utf-8")
    for args in (("list", "clients"), ("config",), ()):
        result = run(home, *args)
        assert result.exit_code == 2, (args, result.output)
        assert f"invalid config {config_file} setting {setting}: " in result.stderr
        assert rule in result.stderr
    doctor = run(home, "doctor")
    assert doctor.exit_code == 1
    assert any(
        line.startswith("problem config:") and setting in line and rule in line
        for line in doctor.stdout.splitlines()
    ), doctor.stdout
    data = json.loads(run(home, "doctor", "--json").stdout)
    assert any(f["check"] == "config" and setting in f["message"] for f in data["findings"])
    assert data["problems"] >= 1


def test_valid_key_names_are_taken_as_textual_names_them(home: Path, config_file: Path) -> None:
    config_file.write_text(
        '[keys]\nhelp = "?,f1"\nnew = "+"\nfilter = "ctrl+f, slash"\nquit = "ctrl+q"\n'
    )
    keys = load_config(config_file).keys
    assert keys == {
        "help": "question_mark,f1",
        "new": "plus",
        "filter": "ctrl+f,slash",
        "quit": "ctrl+q",
    }
    doctor = run(home, "doctor")
    assert f"ok      config: {config_file} is valid" in doctor.stdout


def test_the_command_line_never_loads_textual_for_the_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nsave = "ctrl+w"\n[ui]\ntheme = "nord"\n')
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from pulsetui.cli.main import cli\n"
        f"result = CliRunner().invoke(cli, ['--home', {str(tmp_path / 'ws')!r}, 'config'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    env = {**os.environ, "PULSETUI_CONFIG": str(config)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
