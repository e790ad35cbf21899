"""Nothing below the TUI imports Textual: each layer imports cleanly without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

LAYERS = [
    "pulsetui.domain.models",
    "pulsetui.domain.cadence",
    "pulsetui.store.store",
    "pulsetui.service.workspace",
    "pulsetui.cli.main",
    "pulsetui.cli.records",
    "pulsetui.cli.admin",
    "pulsetui.reports",
    "pulsetui.sync",
]


@pytest.mark.parametrize("module", LAYERS)
def test_layer_does_not_import_textual(module: str) -> None:
    code = f"import sys, importlib; importlib.import_module({module!r}); print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", f"{module} pulled in textual"
