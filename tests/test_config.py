"""Configuration errors as the command line shows them, and who "me" is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pulsetui.cli.main import cli
from pulsetui.service.config import load_config


def run(home: Path, *args: str, env: dict[str, str | None] | None = None) -> Result:
    runner = CliRunner(env=env or {})
    return runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = Path(os.environ["PULSETUI_CONFIG"])
    assert path.parent == tmp_path
    return path


@pytest.mark.parametrize(
    ("text", "field", "rule"),
    [
        (
            "[cadences]\npulse_due_days = 3\n",
            "cadences.pulse_due_days",
            "greater than or equal to 7",
        ),
        ("[thresholds]\nenps_min_answers = 20\n", "thresholds.enps_min_answers", "less than"),
        (
            "[thresholds]\nenps_min_answers = 'five'\n",
            "thresholds.enps_min_answers",
            "whole number",
        ),
        ("colour = 'red'\n", "colour", "not a known setting"),
        ("[cadences\n", "", "not valid TOML"),
    ],
)
def test_invalid_config_exits_2_naming_file_and_setting(
    home: Path, config_file: Path, text: str, field: str, rule: str
) -> None:
    config_file.write_text(text, encoding="utf-8")
    for args in (("list", "clients"), ("client", "add", "--name", "X"), ()):
        result = run(home, *args)
        assert result.exit_code == 2, (args, result.output)
        assert str(config_file) in result.stderr
        assert field in result.stderr and rule in result.stderr
        assert "Traceback" not in result.output
    assert not home.exists()  # nothing was written


def test_environment_override_is_validated(home: Path) -> None:
    result = run(home, "client", "add", "--name", "X", env={"PULSETUI_ENPS_MIN": "99"})
    assert result.exit_code == 2
    assert "enps_min_answers" in result.stderr


def test_valid_config_is_used_and_located(home: Path, config_file: Path) -> None:
    config_file.write_text("[thresholds]\nenps_min_answers = 7\n", encoding="utf-8")
    assert load_config().thresholds.enps_min_answers == 7
    result = run(home, "locate")
    assert result.exit_code == 0
    assert f"config:    {config_file}" in result.stdout
    assert f"workspace: {home}" in result.stdout


def managers(home: Path) -> list[str]:
    result = run(home, "list", "managers", "--json")
    return [m["name"] for m in json.loads(result.stdout)["records"]]


def test_new_workspace_manager_from_as(home: Path) -> None:
    assert run(home, "--as", "Ольга Смирнова", "client", "add", "--name", "A").exit_code == 0
    # --as is a global option: it goes before the command
    assert managers(home) == ["Ольга Смирнова"]
    # later commands keep the signed-in manager without --as
    run(home, "client", "add", "--name", "B", env={"PULSETUI_ME": "Somebody Else"})
    assert managers(home) == ["Ольга Смирнова"]


def test_new_workspace_manager_from_environment(home: Path) -> None:
    run(home, "client", "add", "--name", "A", env={"PULSETUI_ME": "Jüri Tamm"})
    assert managers(home) == ["Jüri Tamm"]


def test_new_workspace_manager_from_login(home: Path) -> None:
    env: dict[str, str | None] = {"PULSETUI_ME": None, "LOGNAME": "liisa", "USER": "liisa"}
    assert run(home, "client", "add", "--name", "A", env=env).exit_code == 0
    assert managers(home) == ["liisa"]


def test_as_switches_between_managers(home: Path) -> None:
    run(home, "--as", "Anna", "client", "add", "--name", "Anna's client")
    run(home, "--as", "Boris", "client", "add", "--name", "Boris's client")
    clients = {
        c["name"]: c["manager"]
        for c in json.loads(run(home, "list", "clients", "--json").stdout)["records"]
    }
    people = {
        m["name"]: m["uid"]
        for m in json.loads(run(home, "list", "managers", "--json").stdout)["records"]
    }
    assert clients == {"Anna's client": people["Anna"], "Boris's client": people["Boris"]}
