"""How commands talk to the terminal: the shared ``--json`` option, JSON written as
UTF-8 bytes, text made safe to print, and whether a person is there to answer."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

import click
import orjson

WIDTH = 80

F = TypeVar("F", bound=Callable[..., Any])


def json_option(command: F) -> F:
    """The ``--json`` flag of every command that can print machine-readable output;
    the command receives it as ``as_json``."""
    option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
    return option(command)


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question (never wait on a pipe or /dev/null)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def emit_json(data: Any) -> None:
    """JSON is UTF-8 whatever the locale says: written as bytes, never re-encoded."""
    payload = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        click.echo(payload.decode(), nl=False)
        return
    sys.stdout.flush()
    stream.write(payload)
    stream.flush()


def plain(text: Any, one_line: bool = False) -> str:
    """Text safe for a terminal: control characters (escape sequences) made visible."""
    out = []
    for char in str(text):
        if char == "\n" and not one_line:
            out.append(char)
        elif char in "\n\t":
            out.append(" ")
        elif unicodedata.category(char) == "Cc":
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return "".join(out)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
