"""What every command shares: the global options it was run with, the workspace it
opens, and the exit codes.

Exit codes: 0 ok; 2 invalid input (the message names the field and the rule, and
nothing was written); 1 anything else, with a message and never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from pulsetui.domain.errors import FieldProblem, InvalidInput
from pulsetui.service.config import Config, load_config
from pulsetui.service.paths import config_path
from pulsetui.service.workspace import Workspace

EXIT_INVALID = 2
EXIT_FAILED = 1


@dataclass
class Context:
    """What the global options chose, shared by every sub-command."""

    home: Path
    as_name: str | None
    shared: str | None = None
    shared_from_flag: bool = False  # --shared given, rather than PULSETUI_SHARED

    def config(self) -> Config:
        try:
            return load_config(overrides={"sync.shared": self.shared})
        except InvalidInput as exc:
            raise naming_config_file(exc) from None

    @contextmanager
    def workspace(self, readonly: bool = False) -> Iterator[Workspace]:
        """Open the workspace for one command and close it afterwards."""
        ws = Workspace.open(self.home, me=self.as_name, readonly=readonly, config=self.config())
        try:
            yield ws
        finally:
            ws.close(checkpoint="if_large")


pass_ctx = click.make_pass_decorator(Context)


def naming_config_file(exc: InvalidInput) -> InvalidInput:
    """Config problems name the file as well as the setting."""
    path = config_path()
    problems = []
    for problem in exc.problems:
        field, message = problem.field, problem.message
        if field.startswith("config ") and str(path) not in field:
            setting = field.removeprefix("config ")
            field = f"config {path} setting {setting}"
            if message == "is not a field of this record":
                message = "is not a known setting"
        problems.append(FieldProblem(field, message))
    return InvalidInput(problems)
