"""How commands talk to the terminal: every human line made safe to print, JSON
written as UTF-8 bytes with its format version, the shared ``--json`` option, and
whether a person is there to answer.

Human output goes through :func:`say`: names, paths and stored text come from the
shared folder and from other people, and :func:`pulsetui.domain.text.safe_line`
shows any escape sequence, line break or bidi control in them instead of letting it
act on the terminal. JSON output is exact.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click
import orjson

from pulsetui.domain.text import json_for_terminal, safe_line, safe_lines

WIDTH = 80

# The version of every JSON document a command prints (docs/json.md). It goes up
# when a field changes meaning or is removed; new fields may appear in any version.
JSON_VERSION = 1

F = TypeVar("F", bound=Callable[..., Any])


def json_option(command: F) -> F:
    """The ``--json`` flag of every command that can print machine-readable output;
    the command receives it as ``as_json``."""
    option = click.option(
        "--json", "as_json", is_flag=True, help="Machine-readable output (docs/json.md)."
    )
    return option(command)


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question (never wait on a pipe or /dev/null)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def say(text: Any = "", err: bool = False) -> None:
    """Print one line for a person: whatever ``text`` holds stays on this one line and
    shows as what it is."""
    click.echo(safe_line(text), err=err)


def say_text(text: Any, indent: str = "  ", err: bool = False) -> None:
    """Print text of several lines (a note): each line made safe and indented, so no
    line of it can pass for a line of pulsetui's own output."""
    for line in safe_lines(text):
        click.echo(f"{indent}{line}".rstrip(), err=err)


def say_all(lines: Iterable[Any], err: bool = False) -> None:
    for line in lines:
        say(line, err=err)


def emit_json(data: dict[str, Any]) -> None:
    """Print a JSON document: ``{"version": JSON_VERSION, ...data}``, UTF-8 whatever
    the locale says (written as bytes, never re-encoded), keys sorted; characters that
    could act on a terminal (bidi controls, C1 controls) written as ``\\u`` escapes."""
    if "version" in data:
        raise ValueError("a JSON document's version is set by emit_json")
    document = {"version": JSON_VERSION, **data}
    try:
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # a file name that is not UTF-8 holds lone surrogates: \udcff
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    payload = json_for_terminal(text).encode() + b"\n"
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        click.echo(payload.decode(), nl=False)
        return
    sys.stdout.flush()
    stream.write(payload)
    stream.flush()


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
