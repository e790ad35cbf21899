"""CSV in its three forms, read back the way the places that open it read it: the
``csv`` module (and pandas, when installed) with the separator, encoding and decimal
mark of each form; the formula guard in the guarded forms and not in ``--raw``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from conftest import FROZEN_NOW
from enps_setup import published_round
from pulsetui.cli.main import cli
from pulsetui.reports.csv_forms import Table, write_csv
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

CLIENT = 'Mäkinen; Öljy, "Ж" Oy'
REASON = '=HYPERLINK("http://x")\nsecond line'


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture
def firm(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PULSETUI_NOW", FROZEN_NOW.isoformat())
    with Workspace.open(home, me="Õie Kask", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        client = ws.add("client", name=CLIENT, manager=ws.me).uid
        ws.add_nps(client, 3, reason=REASON, contact="Юлия", date=dt.date(2026, 11, 2))
        ws.add_nps(client, 10, reason="-5 days early 🎉", contact="@eva")
        ws.add_agreement(client, "+1 tester", "us", owner="Ärrä", due=dt.date(2026, 12, 1))
        published_round(ws, "2026", [10, 9, 7, 3, 9])
    return home


def rows_of(data: bytes, form: str) -> list[list[str]]:
    if form == "excel":
        assert data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
    else:
        assert not data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8")
    assert text.endswith("\r\n")
    delimiter = ";" if form == "excel" else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("form", ["plain", "excel", "raw"])
def test_nps_table_reads_back_in_every_form(firm: Path, form: str) -> None:
    args = ["export", "--format", "csv", "--table", "nps"]
    result = run(firm, *args, *([f"--{form}"] if form != "plain" else []))
    assert result.exit_code == 0, result.output
    header, first, second = rows_of(result.stdout_bytes, form)
    assert header == ["date", "client", "contact", "score", "category", "reason", "manager"]
    assert first[1] == CLIENT and first[2] == "Юлия" and first[3] == "3"
    assert first[6] == "Õie Kask"
    if form == "raw":
        assert first[5] == REASON and second[2] == "@eva" and second[5] == "-5 days early 🎉"
    else:
        assert first[5] == "'" + REASON and second[2] == "'@eva"
        assert second[5] == "'-5 days early 🎉"


def test_excel_lines_end_with_crlf_and_numbers_use_a_decimal_comma(firm: Path) -> None:
    data = run(firm, "export", "--format", "csv", "--table", "enps", "--excel").stdout_bytes
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)
    header, row = rows_of(data, "excel")
    assert header[:4] == ["round", "n", "withheld", "score"]
    assert row[:4] == ["2026", "5", "no", "40,0"]
    plain = rows_of(run(firm, "export", "--format", "csv", "--table", "enps").stdout_bytes, "plain")
    assert plain[1][3] == "40.0"


def test_excel_agreements_read_by_pandas(firm: Path) -> None:
    pandas = pytest.importorskip("pandas")
    data = run(firm, "export", "--format", "csv", "--table", "agreements", "--excel").stdout_bytes
    frame = pandas.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", decimal=",")
    assert list(frame.columns)[:3] == ["client", "agreement", "side"]
    assert frame.loc[0, "client"] == CLIENT and frame.loc[0, "agreement"] == "'+1 tester"
    assert frame.loc[0, "owner"] == "Ärrä"
    enps = run(firm, "export", "--format", "csv", "--table", "enps", "--excel").stdout_bytes
    scores = pandas.read_csv(io.BytesIO(enps), sep=";", encoding="utf-8-sig", decimal=",")
    assert scores.loc[0, "score"] == pytest.approx(40.0)


def test_the_flags_go_with_csv_only_and_not_together(firm: Path) -> None:
    for args in (("--format", "ics", "--excel"), ("--format", "json", "--raw")):
        result = run(firm, "export", *args)
        assert result.exit_code == 2 and "goes with --format csv only" in result.stderr
        assert result.stdout == ""
    both = run(firm, "export", "--format", "csv", "--excel", "--raw")
    assert both.exit_code == 2 and "invalid raw" in both.stderr


def test_write_csv_units() -> None:
    table = Table(("a", "b", "c"), (("=1+1", 2.5, None), ("x;y", True, 7)))
    assert write_csv(table) == b"a,b,c\r\n'=1+1,2.5,\r\nx;y,yes,7\r\n"
    assert write_csv(table, "excel") == '\ufeffa;b;c\r\n\'=1+1;2,5;\r\n"x;y";yes;7\r\n'.encode()
    assert write_csv(table, "raw") == b"a,b,c\r\n=1+1,2.5,\r\nx;y,yes,7\r\n"
    with pytest.raises(ValueError):
        write_csv(table, "tsv")


def test_agreements_are_written_while_they_are_read(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agreements table is written row by row as the records are read again in
    order (client, due date, id), never the whole table first: its first rows are out
    before the last agreement is read."""
    from pulsetui.reports.exports import write_export
    from pulsetui.store.viewfile import ViewSource

    ws = Workspace.open(home, me="Õie Kask", config=Config(), clock=lambda: FROZEN_NOW)
    clients = [ws.add("client", name=name, manager=ws.me).uid for name in ("beta", "Älvä", "Alpha")]
    for n in range(30):
        due = dt.date(2026, 12, 1 + n % 7)
        ws.add_agreement(clients[n % 3], f"{n:02d} " + "long words " * 600, "us", due=due)
    ws.close(checkpoint="always")
    reads = [0]  # records read from the view file so far
    real_read = ViewSource.read

    def counted_read(source: ViewSource, loc: int) -> dict[str, object]:
        reads[0] += 1
        return real_read(source, loc)

    read_when_written: list[int] = []

    class Out(io.BytesIO):
        def write(self, data: Any) -> int:
            read_when_written.append(reads[0])
            return super().write(data)

    out = Out()
    with Workspace.open(home, readonly=True, config=Config(), clock=lambda: FROZEN_NOW) as ws:
        assert ws.store.view.tables["agreement"].lazy == 30  # in the view file, not in memory
        monkeypatch.setattr(ViewSource, "read", counted_read)
        write_export(ws, out, "csv", "agreements")
        monkeypatch.undo()
        expected = sorted(
            ws.docs("agreement"),
            key=lambda d: (ws.doc("client", d["client"])["name"].casefold(), d["due"], d["uid"]),
        )
    assert len(read_when_written) > 2 and read_when_written[0] < reads[0]
    rows = rows_of(out.getvalue(), "plain")
    assert [row[1] for row in rows[1:]] == [d["text"] for d in expected]
    assert [row[0] for row in rows[1:4]] == ["Alpha", "Alpha", "Alpha"]
