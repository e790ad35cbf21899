"""Nothing below the TUI imports Textual: every other module imports cleanly without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import pulsetui

UI_FREE = sorted(
    info.name
    for info in pkgutil.walk_packages(pulsetui.__path__, prefix="pulsetui.")
    if not info.name.startswith(("pulsetui.tui", "pulsetui.styles"))
)


def test_every_layer_below_the_tui_is_checked() -> None:
    for layer in ("domain", "store", "service", "reports", "sync", "cli"):
        assert any(name.startswith(f"pulsetui.{layer}.") for name in UI_FREE), layer


@pytest.mark.parametrize("module", UI_FREE)
def test_layer_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False", f"{module} pulled in textual"
