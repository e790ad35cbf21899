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
from collections.abc import Callable, Iterable, Iterator
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
    could act on a terminal (bidi controls, C1 controls) written as ``\\u`` escapes.

    A value of ``data`` that is an iterator (one at most: a long list of records) is
    written item by item as it is produced, the same bytes as the whole list gives."""
    if "version" in data:
        raise ValueError("a JSON document's version is set by emit_json")
    streamed = [key for key, value in data.items() if isinstance(value, Iterator)]
    if len(streamed) > 1:
        raise ValueError("one list at most is written as it is produced")
    document = {"version": JSON_VERSION, **data}
    items: Iterable[Any] = ()
    if streamed:
        items = document[streamed[0]]
        document[streamed[0]] = _LIST_HERE
    head, _, tail = _dumps(document, indent=True).partition(_dumps(_LIST_HERE, indent=False))
    stream = _out()
    stream.write(json_for_terminal(head).encode())
    if streamed:
        written = 0
        for item in items:
            text = _dumps(item, indent=True).replace("\n", "\n    ")
            stream.write(json_for_terminal(f"{',' if written else '['}\n    {text}").encode())
            written += 1
        stream.write(b"\n  ]" if written else b"[]")
    stream.write(json_for_terminal(tail).encode() + b"\n")
    stream.flush()


def emit_records(records: Iterable[Any]) -> None:
    """JSON lines: one compact object a line, keys sorted, written as produced (for
    lists too long to wait for; each line made safe for a terminal as emit_json is)."""
    stream = _out()
    for record in records:
        stream.write(json_for_terminal(_dumps(record, indent=False)).encode() + b"\n")
    stream.flush()


_LIST_HERE = "\x00the list goes here\x00"


def _dumps(value: Any, indent: bool) -> str:
    option = orjson.OPT_SORT_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
    try:
        return orjson.dumps(value, option=option).decode()
    except TypeError:  # a file name that is not UTF-8 holds lone surrogates: \udcff
        if indent:
            return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class _Echo:
    """Where there is no binary stdout: bytes echoed as text."""

    def write(self, data: bytes) -> None:
        click.echo(data.decode(), nl=False)

    def flush(self) -> None:
        pass


def _out() -> Any:
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        return _Echo()
    sys.stdout.flush()
    return stream


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
