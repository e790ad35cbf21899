"""A table written as CSV in one of three forms, for where it will be opened.

- ``plain``: RFC 4180: UTF-8, ``,`` between cells, CRLF line ends, numbers with a
  decimal point. Free text that a spreadsheet would run as a formula is guarded.
- ``excel``: what Excel opens correctly by double-click in locales whose list
  separator is ``;`` and decimal separator ``,`` (Finnish, Estonian, German, Russian,
  French ...): UTF-8 with a byte-order mark (without it Excel reads the bytes as the
  local code page and shows Ä, Ö or Cyrillic garbled), ``;`` between cells (with
  ``,`` every row lands in column A), CRLF line ends, a decimal comma. Guarded.
- ``raw``: the plain form with every value exactly as stored, unguarded: for data
  pipelines that read the file with a CSV parser, never with a spreadsheet.

The formula guard: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return would be read by Excel, LibreOffice and Google Sheets as a formula
(which can fetch URLs or run commands), so it is written with a leading apostrophe:
``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``. Numbers and dates are never guarded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

CSV_FORMS = ("plain", "excel", "raw")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WRITE_BATCH = 1 << 16  # characters of CSV written at once


@dataclass(frozen=True)
class Table:
    """A table to write: a header and rows of plain values (str, int, float, None); the
    rows may be made while they are written (read once)."""

    header: tuple[str, ...]
    rows: Iterable[Sequence[Any]]


def safe_cell(text: Any) -> str:
    """A text cell no spreadsheet runs as a formula (see the module docstring)."""
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cell(value: Any, form: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if form == "excel" else text
    if isinstance(value, int):
        return value
    return str(value) if form == "raw" else safe_cell(value)


def write_csv(table: Table, form: str = "plain") -> bytes:
    """The table as CSV bytes in ``form`` (``plain``, ``excel`` or ``raw``)."""
    out = io.BytesIO()
    write_csv_to(table, out, form)
    return out.getvalue()


def write_csv_to(table: Table, out: BinaryIO, form: str = "plain") -> None:
    """Write the table as CSV in ``form`` to ``out``, the rows as they come, about
    :data:`WRITE_BATCH` characters at a time (a long table is never held whole)."""
    if form not in CSV_FORMS:
        raise ValueError(f"unknown CSV form {form!r}")
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";" if form == "excel" else ",", lineterminator="\r\n")
    if form == "excel":
        text.write(BOM)
    writer.writerow(table.header)
    for row in _cells(table.rows, form):
        writer.writerow(row)
        if text.tell() >= WRITE_BATCH:
            out.write(text.getvalue().encode("utf-8"))
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode("utf-8"))


def _cells(rows: Iterable[Sequence[Any]], form: str) -> Iterable[list[Any]]:
    for row in rows:
        yield [_cell(value, form) for value in row]
