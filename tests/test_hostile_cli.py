"""Hostile input through the command line and the Workspace API.

Every case: no traceback; invalid input exits 2 naming the field and the rule with
nothing written (the export is byte-identical before and after); anything else exits 1
with a message; text round-trips exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from pulsetui.cli.main import cli
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client, Manager
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace

NOW = "2026-11-20T10:00:00"  # a Friday
PULSETUI = [sys.executable, "-m", "pulsetui.cli.main"]
HOSTILE_NAME = "[bold]Acme[/bold] \x1b[31m Ёлка \u202eevil\u202c e\u0301 [link=http://x]y[/link] 😀"


def run(home: Path, *args: str, input: str | bytes | None = None) -> Result:
    runner = CliRunner(env={"PULSETUI_NOW": NOW})
    return runner.invoke(cli, ["--home", str(home), *args], input=input)


def ok(home: Path, *args: str, input: str | bytes | None = None) -> Result:
    result = run(home, *args, input=input)
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def export(home: Path) -> bytes:
    return ok(home, "export").stdout_bytes


def refused(home: Path, field: str, *args: str, rule: str = "", input: str | None = None) -> str:
    """The command exits 2 naming ``field`` (and ``rule``), and writes nothing."""
    before = export(home)
    result = run(home, *args, input=input)
    assert result.exit_code == 2, (args, result.output)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert f"invalid {field}" in result.stderr, (args, result.stderr)
    assert rule in result.stderr, (args, result.stderr)
    assert export(home) == before, args
    return result.stderr


def shell(
    home: Path, *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """The real command in a fresh process."""
    full_env = {**os.environ, "PULSETUI_NOW": NOW, **(env or {})}
    kwargs.setdefault("stdout", subprocess.PIPE)
    result = subprocess.run(
        [*PULSETUI, "--home", str(home), *args],
        stderr=subprocess.PIPE,
        env=full_env,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result  # type: ignore[no-any-return]


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace used through the API, beside the CLI's ``home``."""
    clock = dt.datetime(2026, 11, 20, 10)
    workspace = Workspace.open(tmp_path / "api", me="Anna", config=Config(), clock=lambda: clock)
    yield workspace
    workspace.close()


@pytest.fixture
def firm(home: Path) -> Path:
    ok(home, "client", "add", "--name", "Acme Oy")
    ok(home, "consultant", "add", "--name", "Kalle Kask")
    return home


# ---- numbers -------------------------------------------------------------------------------

BAD_SCORES = [
    "1e3",
    "٣",  # an Arabic-Indic digit
    "１",  # a full-width digit
    "0x7",
    "0b1",
    "1_0",  # Python's int() would read 10
    "7.0",
    "7.5",
    "NaN",
    "inf",
    "True",
    "",
    "   ",
    "7 7",
    "9" * 5000,
]


def test_malformed_scores_exit_2_and_write_nothing(firm: Path) -> None:
    for score in BAD_SCORES:
        refused(firm, "score", "nps", "add", "--client", "Acme", "--score", score, rule="whole")
        refused(firm, "score", "enps", "add", "--score", score, rule="whole")


def test_out_of_range_numbers_name_the_bound(firm: Path) -> None:
    refused(firm, "score", "nps", "add", "--client", "Acme", "--score", "11", rule="10")
    refused(firm, "score", "nps", "add", "--client", "Acme", "--score", "-1", rule="0")
    refused(firm, "wellbeing", "pulse", "add", "--consultant", "Kalle", "--wellbeing", "6")
    refused(firm, "duration_min", "meeting", "add", "--client", "Acme", "--duration-min", "1e9")
    refused(firm, "time", "meeting", "add", "--client", "Acme", "--time", "24:00", rule="HH:MM")


def test_whole_numbers_with_spaces_or_a_sign_are_read(firm: Path) -> None:
    for score in (" 7 ", "+7", "7\n", "07"):
        ok(firm, "nps", "add", "--client", "Acme", "--score", score)
    scores = [r["score"] for r in json.loads(ok(firm, "list", "nps", "--json").stdout)["records"]]
    assert scores == [7, 7, 7, 7]


def test_api_refuses_booleans_and_odd_numbers(ws: Workspace) -> None:
    client = ws.add(Client, name="Acme")
    for score in (True, False, "1_0", "7.0", float("nan")):
        with pytest.raises(InvalidInput) as caught:
            ws.add_nps(client.uid, score=score)
        assert caught.value.for_field("score")
    assert ws.count("nps") == 0


# ---- dates ----------------------------------------------------------------------------------


def test_impossible_and_far_dates_exit_2(firm: Path) -> None:
    add = ("meeting", "add", "--client", "Acme", "--date")
    refused(firm, "date", *add, "2026-02-30", rule="not a day of the calendar")
    refused(firm, "date", *add, "0000-01-01", rule="not a day of the calendar")
    refused(firm, "date", *add, "0001-01-01", rule="between 1900-01-01 and 2199-12-31")
    refused(firm, "date", *add, "9999-12-31", rule="between 1900-01-01 and 2199-12-31")
    refused(firm, "date", *add, "+9999y", rule="too far ahead")
    refused(firm, "date", *add, "+300y", rule="between")
    for text in ("fri.", "fr", "-3d", "٣d", "2026-W47", "2026-01-01T10:00", ""):
        refused(firm, "date", *add, text, rule="must")
    refused(firm, "due", "agreement", "add", "--client", "Acme", "--text", "x", "--side", "us",
            "--due", "9999-12-31")  # fmt: skip
    refused(firm, "week", "report", "weekly", "--client", "Acme", "--week", "9999-W52")


def test_weekday_variants(firm: Path) -> None:
    for text in ("fri", "FRI", " Friday ", "+1w"):
        out = ok(firm, "meeting", "add", "--client", "Acme", "--date", text).stdout
        assert "2026-11-27" in out, (text, out)
    out = ok(firm, "meeting", "add", "--client", "Acme", "--date", "thurs").stdout
    assert "2026-11-26" in out


def test_a_wish_or_an_nps_answer_dated_after_today_is_refused(firm: Path) -> None:
    refused(firm, "date", "request", "add", "--client", "Acme", "--text", "Dark mode",
            "--date", "+2w", rule="must not be after today")  # fmt: skip
    refused(firm, "date", "nps", "add", "--client", "Acme", "--score", "9", "--date", "+1d",
            rule="must not be after today")  # fmt: skip
    out = ok(firm, "request", "add", "--client", "Acme", "--text", "Dark mode", "--date", "today")
    assert "Dark mode" in out.stdout


def test_engagement_cannot_end_before_it_starts(firm: Path) -> None:
    refused(firm, "end", "engagement", "add", "--client", "Acme", "--consultant", "Kalle",
            "--start", "2026-01-01", "--end", "2025-12-31", rule="before the start")  # fmt: skip


def test_an_email_that_is_no_address_is_refused(firm: Path) -> None:
    for email in ("kalle", "kalle@", "kalle@example", "ka lle@example.fi", "a@@b.fi", "\x1b@x.fi"):
        refused(firm, "email", "consultant", "add", "--name", "Kalle Uus", "--email", email,
                rule="must be an e-mail address")  # fmt: skip
    out = ok(firm, "consultant", "add", "--name", "Kalle Uus", "--email", "kalle.uus@näide.ee")
    assert "Kalle Uus" in out.stdout


# ---- names and text -------------------------------------------------------------------------


def test_blank_names_and_texts_are_refused(firm: Path) -> None:
    for name in ("", "   ", "\t\n", "\u200b", "\u3000", "\u200b\u0301"):
        refused(firm, "name", "client", "add", "--name", name, rule="must not be")
    for text in ("   ", "\n", "\u200b"):
        refused(firm, "text", "agreement", "add", "--client", "Acme", "--text", text,
                "--side", "us", rule="blank")  # fmt: skip
        refused(firm, "text", "agenda", "add", "--client", "Acme", "--text", text)
    refused(firm, "round", "enps", "add", "--score", "5", "--round", "", rule="empty")
    refused(firm, "as", "--as", "\u200b", "client", "add", "--name", "X", rule="blank")
    refused(firm, "name", "client", "add", "--name", "x" * 201, rule="at most 200")


def test_lone_surrogates_are_refused_with_a_reason(firm: Path, api: Workspace) -> None:
    refused(firm, "name", "client", "add", "--name", "bad\udcffbyte", rule="Unicode")
    with pytest.raises(InvalidInput) as caught:
        api.add(Client, name="Acme", notes="a\ud800b")
    assert "Unicode" in (caught.value.for_field("notes") or "")


def test_hostile_text_round_trips_through_cli_export_and_import(firm: Path, tmp_path: Path) -> None:
    piece = (
        "[bold]x[/bold] \x1b[31mred\x1b[0m \x1b]52;c;aGVsbG8=\x07 \x9b2J 😀 äöжõ "
        "\u202eRTL\u202c e\u0301 [link=http://evil]y[/link] \x00nul\r\n"
    )
    notes = (piece * (1024 * 1024 // len(piece) + 1))[: 1024 * 1024]
    notes_file = tmp_path / "notes.txt"
    notes_file.write_bytes(notes.encode("utf-8"))
    ok(firm, "client", "add", "--name", HOSTILE_NAME, "--contact", "--score")
    ok(firm, "client", "set", "Acme Oy", "--notes-file", str(notes_file))
    ok(firm, "agreement", "add", "--client", "Acme Oy", "--text", piece, "--side", "us",
       "--owner", "[link=http://evil]x[/link]")  # fmt: skip
    ok(firm, "request", "add", "--client", "Acme Oy", "--text-file", "-", input=piece)
    shown = json.loads(ok(firm, "show", "client", "Acme Oy", "--json").stdout)["record"]
    assert shown["notes"] == notes
    named = json.loads(ok(firm, "show", "client", HOSTILE_NAME, "--json").stdout)["record"]
    assert named["name"] == HOSTILE_NAME.strip()
    assert named["contacts"][0]["name"] == "--score"
    for kind in ("clients", "agreements", "requests"):
        listing = ok(firm, "list", kind).stdout
        assert "\x1b" not in listing and "\x07" not in listing and "\x9b" not in listing
    assert "\x1b" not in ok(firm, "show", "client", "Acme Oy").stdout
    first = export(firm)
    copy = tmp_path / "copy"
    backup = tmp_path / "backup.json"
    backup.write_bytes(first)
    ok(copy, "import", str(backup))
    assert export(copy) == first


def test_too_long_or_unreadable_text_files_exit_2(firm: Path, tmp_path: Path) -> None:
    big = tmp_path / "5mb.txt"
    big.write_bytes(b"y" * (5 * 1024 * 1024))
    refused(firm, "notes", "client", "set", "Acme", "--notes-file", str(big), rule="too long")
    refused(firm, "notes", "client", "set", "Acme", "--notes-file", "/dev/zero", rule="too long")
    refused(firm, "notes", "client", "set", "Acme", "--notes-file", str(tmp_path), rule="read")
    refused(firm, "notes", "client", "set", "Acme", "--notes-file", str(tmp_path / "none"))
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("äö".encode("latin-1"))
    refused(firm, "notes", "client", "set", "Acme", "--notes-file", str(latin), rule="UTF-8")


# ---- finding records by name -----------------------------------------------------------------


def test_names_that_look_like_options_or_ids(firm: Path) -> None:
    acme = json.loads(ok(firm, "show", "client", "Acme", "--json").stdout)["record"]["uid"]
    ok(firm, "client", "add", "--name", "--score")
    ok(firm, "client", "add", "--name", acme)  # another client named like Acme's id
    out = ok(firm, "nps", "add", "--client", "--score", "--score", "9").stdout
    assert "for --score" in out
    assert "for Acme Oy" in ok(firm, "nps", "add", "--client", acme, "--score", "8").stdout


def test_ambiguous_names_list_the_ids_to_pick_from(firm: Path) -> None:
    ok(firm, "client", "add", "--name", "acme oy")
    message = refused(firm, "client", "nps", "add", "--client", "ACME OY", "--score", "5")
    uids = [c["uid"] for c in json.loads(ok(firm, "list", "clients", "--json").stdout)["records"]]
    acmes = [uid for uid in uids if uid in message]
    assert len(acmes) == 2 and "give the id" in message
    ok(firm, "nps", "add", "--client", acmes[0], "--score", "5")


def test_unicode_case_folding_and_accents_in_names(firm: Path) -> None:
    ok(firm, "client", "add", "--name", "Straße AG")
    ok(firm, "client", "add", "--name", "Ёлка")
    ok(firm, "client", "add", "--name", "Cafe\u0301 Oy")  # decomposed é
    assert "Straße AG" in ok(firm, "nps", "add", "--client", "STRASSE AG", "--score", "9").stdout
    assert "Ёлка" in ok(firm, "nps", "add", "--client", "ЁЛКА", "--score", "9").stdout
    assert "Ёлка" in ok(firm, "nps", "add", "--client", "Елка", "--score", "9").stdout
    out = ok(firm, "nps", "add", "--client", "Caf\u00e9 oy", "--score", "9").stdout
    assert "Cafe\u0301 Oy" in out


def test_sign_in_without_accents_finds_the_manager(home: Path) -> None:
    with Workspace.open(home, me="Jüri Tamm", config=Config()) as ws:
        first = ws.me
    with Workspace.open(home, me="Juri Tamm", config=Config()) as ws:
        assert ws.me == first
        assert [m.name for m in ws.list(Manager)] == ["Jüri Tamm"]


# ---- references and deletes -------------------------------------------------------------------


def test_references_to_deleted_or_missing_records(firm: Path, api: Workspace) -> None:
    meeting = ok(firm, "meeting", "add", "--client", "Acme", "--date", "fri").stdout
    meeting_uid = meeting.rsplit("(", 1)[1].rstrip(")\n")
    ok(firm, "agenda", "add", "--client", "Acme", "--text", "budget")
    ok(firm, "meeting", "delete", meeting_uid, "--yes")
    refused(firm, "meeting", "agenda", "tick", "budget", "--meeting", meeting_uid)
    refused(firm, "meeting", "agreement", "add", "--client", "Acme", "--text", "x", "--side",
            "us", "--meeting", meeting_uid)  # fmt: skip
    client = api.add(Client, name="Kuusi Oy")
    for kind, fields in (
        ("client", {"name": "B", "manager": "NOPE"}),
        ("engagement", {"client": "X", "consultant": "Y", "start": dt.date(2026, 1, 1)}),
        ("nps", {"client": "GONE", "score": 5, "date": dt.date(2026, 1, 1)}),
    ):
        with pytest.raises(InvalidInput, match=r"no .* with id"):
            api.add(kind, **fields)
    with pytest.raises(InvalidInput, match="no manager"):
        api.update(Client, client.uid, manager=api.add("consultant", name="K").uid)
    assert api.count("engagement") == 0 and api.count("nps") == 0


def test_deleting_a_client_with_agreements_is_refused_then_allowed(firm: Path) -> None:
    ok(firm, "agreement", "add", "--client", "Acme", "--text", "Deliver", "--side", "us")
    ok(firm, "nps", "add", "--client", "Acme", "--score", "9")
    message = refused(firm, "client", "client", "delete", "Acme", "--yes", rule="referred to")
    assert "1 agreement" in message and "1 NPS response" in message
    ok(firm, "agreement", "delete", "Deliver", "--yes")
    nps_uid = json.loads(ok(firm, "list", "nps", "--json").stdout)["records"][0]["uid"]
    ok(firm, "nps", "delete", nps_uid, "--yes")
    ok(firm, "client", "delete", "Acme", "--yes")
    assert json.loads(ok(firm, "list", "clients", "--json").stdout)["records"] == []


def test_service_refuses_status_and_fields_it_cannot_take(ws: Workspace) -> None:
    client = ws.add(Client, name="Acme")
    agreement = ws.add_agreement(client.uid, "Deliver", "us")
    with pytest.raises(InvalidInput, match="status"):
        ws.set_agreement_status(agreement.uid, "bogus")
    with pytest.raises(InvalidInput, match="uid"):
        ws.resolve(Client, client.uid, "uid", "OTHER")
    with pytest.raises(InvalidInput, match="round"):
        ws.add_enps(5, round="")


# ---- configuration and workspace paths ---------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "setting"),
    [
        ("bogus = 1", "bogus"),
        ("[thresholds]\nenps_min_answers = 2", "thresholds.enps_min_answers"),
        ("[thresholds]\nenps_min_answers = 5.5", "thresholds.enps_min_answers"),
        ('[thresholds]\nenps_min_answers = "many"', "thresholds.enps_min_answers"),
        ("cadences = 3", "cadences"),
        ("[keys]\nquit = 5", "keys.quit"),
        ("[sync]\ninterval_seconds = nan", "sync.interval_seconds"),
        ("x = [", ""),
    ],
)
def test_garbage_config_exits_2_naming_file_and_setting(
    firm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, setting: str
) -> None:
    before = export(firm)
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("PULSETUI_CONFIG", str(config))
    result = run(firm, "nps", "add", "--client", "Acme", "--score", "9")
    assert result.exit_code == 2, result.output
    assert f"invalid config {config}" in result.stderr
    assert setting in result.stderr
    monkeypatch.setenv("PULSETUI_CONFIG", str(tmp_path / "none.toml"))
    assert export(firm) == before


def test_config_that_is_a_folder_or_not_utf8(
    firm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSETUI_CONFIG", str(tmp_path))
    result = run(firm, "list", "clients")
    assert result.exit_code == 2 and f"invalid config {tmp_path}: cannot be read" in result.stderr
    assert isinstance(result.exception, SystemExit)
    config = tmp_path / "config.toml"
    config.write_bytes(b"\xff\xfe me = 1")
    monkeypatch.setenv("PULSETUI_CONFIG", str(config))
    result = run(firm, "list", "clients")
    assert result.exit_code == 2 and "not valid TOML" in result.stderr


def test_home_that_is_a_file_or_under_a_file(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("hi")
    result = run(afile, "client", "add", "--name", "X")
    assert result.exit_code == 2 and "is a file" in result.output
    result = run(afile / "sub", "client", "add", "--name", "X")
    assert result.exit_code == 1 and "Not a directory" in result.stderr
    assert afile.read_text() == "hi"


def test_demo_refuses_a_day_out_of_range_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    for day in ("0001-01-01", "9999-12-31", "2026-02-29"):
        result = run(target, "demo", "--today", day)
        assert result.exit_code == 2, result.output
        assert "invalid today" in result.stderr
        assert not target.exists()


def test_import_refusals_leave_no_workspace(tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    garbage = tmp_path / "garbage.json"
    garbage.write_text("garbage")
    bad_record = tmp_path / "bad.json"
    bad_record.write_text(
        json.dumps(
            {"format": "pulsetui-export", "version": 1, "records": {"client": [{"uid": "X"}]}}
        )
    )
    for path, field in ((garbage, "file"), (bad_record, "client"), (tmp_path / "no", "file")):
        result = run(target, "import", str(path))
        assert result.exit_code == 2, result.output
        assert f"invalid {field}" in result.stderr
        assert not target.exists()


def test_address_needs_a_raised_flag_and_a_note(firm: Path) -> None:
    refused(firm, "flag", "address", "agreement_overdue:NOPE", "--note", "done", rule="not a red")
    refused(firm, "flag", "address", "\x1b[31m", "--note", "done")
    refused(firm, "note", "address", "pulse_due:X", "--note", "  ", rule="blank")


# ---- help ---------------------------------------------------------------------------------------


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_help_page_opens_and_reads_right(tmp_path: Path) -> None:
    pages = {(): ok(tmp_path, "--help").stdout}
    for path in _commands(cli):
        pages[path] = ok(tmp_path, *path, "--help").stdout
    for path, page in pages.items():
        assert "Usage: " in page, path
        assert " a agreement" not in page and " a agenda" not in page, path
        assert " a engagement" not in page and " a NPS" not in page, path
    assert "Exit codes: 0 ok, 2 invalid" in pages[()]
    pulse_add = " ".join(pages[("pulse", "add")].split())
    assert "--consultant NAME The consultant: its name or id. Required." in pulse_add
    assert "Default: today" in pulse_add
    assert "(1-5)" in pulse_add
    assert "(5-600)" in pages[("meeting", "add")]
    assert "ID: its date" in " ".join(pages[("meeting", "set")].split())
    assert "Refused while other records" in " ".join(pages[("client", "delete")].split())
    assert not (tmp_path / "replica.json").exists()  # --help never creates a workspace


# ---- the real command: processes, streams, locks, locales ---------------------------------


def test_closed_or_empty_stdin_never_waits_or_crashes(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert shell(home, "client", "add", "--name", "Acme", stdin=subprocess.DEVNULL).returncode == 0
    empty = shell(home, "client", "set", "Acme", "--notes-file", "-", stdin=subprocess.DEVNULL)
    assert empty.returncode == 0  # /dev/null is an empty, readable stdin
    for args in (("client", "set", "Acme", "--notes-file", "-"), ("import", "-")):
        closed = shell(home, *args, preexec_fn=lambda: os.close(0))
        assert closed.returncode == 2, closed.stderr
        assert b"cannot read stdin: it is closed" in closed.stderr
    no_yes = shell(home, "client", "delete", "Acme", stdin=subprocess.DEVNULL)
    assert no_yes.returncode == 2 and b"--yes" in no_yes.stderr
    app = shell(home, stdin=subprocess.DEVNULL)
    assert app.returncode == 1 and b"needs a terminal" in app.stderr
    no_stdout = shell(home, "export", stdout=None, preexec_fn=lambda: os.close(1))
    assert no_stdout.returncode == 1 and b"stdout is closed" in no_stdout.stderr


def test_a_command_writes_and_readers_read_while_a_second_app_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert shell(home, "client", "add", "--name", "Acme").returncode == 0
    opener = "import sys; from pulsetui.service.workspace import Workspace;"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            opener + f"ws = Workspace.open({str(home)!r}, app=True);"
            "print('held', flush=True); sys.stdin.read()"
        )],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        second = shell(home, "client", "add", "--name", "Second")
        assert second.returncode == 0, second.stderr
        listing = shell(home, "list", "clients")
        assert listing.returncode == 0
        assert b"Acme" in listing.stdout and b"Second" in listing.stdout
        another_app = subprocess.run(
            [sys.executable, "-c", opener + f"Workspace.open({str(home)!r}, app=True)"],
            capture_output=True,
            timeout=60,
        )
        assert another_app.returncode == 1
        assert b"already open in pulsetui (process " in another_app.stderr
        assert f"{holder.pid} on ".encode() in another_app.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_output_in_a_non_utf8_locale_does_not_fail(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert shell(home, "client", "add", "--name", "Ольга 😀").returncode == 0
    for encoding in ("latin-1", "ascii"):
        result = shell(home, "list", "clients", env={"PYTHONIOENCODING": encoding})
        assert result.returncode == 0, result.stderr
        # Latin-1 shows what it cannot encode as escapes; for ASCII click writes UTF-8
        assert b"\\u041e" in result.stdout or "Ольга".encode() in result.stdout
        as_json = shell(home, "list", "clients", "--json", env={"PYTHONIOENCODING": encoding})
        assert json.loads(as_json.stdout)["records"][0]["name"] == "Ольга 😀"
    c_locale = shell(home, "list", "clients", env={"LC_ALL": "C", "LANG": "C"})
    assert c_locale.returncode == 0 and "Ольга".encode() in c_locale.stdout


def test_paths_holding_escapes_are_shown_escaped(tmp_path: Path) -> None:
    home = tmp_path / "esc\x1b]52;c;aGk=\x07home"
    ok(home, "client", "add", "--name", "Acme")
    (home / "replica.json").chmod(0o644)
    for args in (("locate",), ("doctor",)):
        result = run(home, *args)
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "esc\\x1b]52" in result.output
