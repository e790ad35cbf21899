"""Configuration values that are each in range but wrong together, or of the wrong type."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulsetui.domain.errors import InvalidInput
from pulsetui.service.config import load_config
from pulsetui.service.workspace import Workspace


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_pulse_due_must_come_before_overdue(tmp_path: Path) -> None:
    path = _config(tmp_path, "[cadences]\npulse_due_days = 50\npulse_overdue_days = 20\n")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    message = str(caught.value)
    assert "config cadences" in message and "pulse_due_days (50)" in message


def test_true_is_not_a_number(tmp_path: Path) -> None:
    path = _config(tmp_path, "[thresholds]\nenps_min_answers = true\n")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    assert "enps_min_answers" in str(caught.value)


def test_a_folder_as_config_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    with pytest.raises(InvalidInput) as caught:
        load_config(folder)
    assert f"config {folder}" in str(caught.value) and "cannot be read" in str(caught.value)


def test_section_of_the_wrong_type_with_an_env_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _config(tmp_path, "sync = 5\n")
    monkeypatch.setenv("PULSETUI_SHARED", str(tmp_path / "shared"))
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    assert "config sync" in str(caught.value)


def test_home_through_a_symlink_is_used_alike_for_reading_and_writing(tmp_path: Path) -> None:
    real = tmp_path / "real-home"
    link = tmp_path / "link-home"
    link.symlink_to(real, target_is_directory=True)
    ws = Workspace.open(link, me="Anna")
    ws.add("client", name="Kuusi Logistiikka Oy")
    ws.close()
    reader = Workspace.open(link, readonly=True)
    assert [c.name for c in reader.list("client")] == ["Kuusi Logistiikka Oy"]
    assert (real / "journal").is_dir()


def test_dangling_symlink_home_is_created_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "dangling"
    link.symlink_to(tmp_path / "not-yet", target_is_directory=True)
    ws = Workspace.open(link, me="Anna")
    ws.close()
    assert (tmp_path / "not-yet" / "replica.json").exists()
