"""Nothing from the shared folder or the store reaches a terminal raw.

A shared folder is planted with file names holding escape sequences (CSI, OSC window
titles, hyperlinks, DCS), BEL, CR, LF, C1 controls, bidi overrides and isolates and
bytes that are not UTF-8, in every place a name is read from (entries of the folder,
replica ids, segment names, inbox names, junk files); the workspace holds the same in
client and consultant names, agreement text and owner, NPS and eNPS reasons and an
eNPS round. Every command that prints them in human form is run, and none of those
characters reaches stdout or stderr; a name holding a line break cannot print as a
line of its own (a fake finding). JSON output keeps every name exactly.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pulsetui.cli.main import cli
from pulsetui.domain.text import is_unsafe, safe_line, safe_lines, safe_text
from pulsetui.sync.folder import FOLDER_NAME, INBOX, REPLICAS, SEGMENTS

# what may never reach a terminal from a name or a text
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\udc80-\udcff]"
)
# escape sequences: clear screen, window title, hyperlink, DCS, C1 CSI, bell
SEQUENCES = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;x\x1b\\link\x1bP1$r\x1b\\\x9b31m"
BIDI = "\u202eevil\u202c \u2066iso\u2069 \u200f\u061c"
FAKE = "problem: FAKE-FINDING"
FILE_NAME = f"n{SEQUENCES}{BIDI}\r\n{FAKE}"  # no "/" : a file name in the folder
TEXT = f"T{SEQUENCES}{BIDI} [bold]x[/bold]\r\n{FAKE}"  # stored text


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def assert_safe(label: str, result: Result, break_shown: bool = False) -> None:
    """No forbidden character in the output, and the fake finding never starts a line
    as pulsetui's own lines do (a note of several lines is shown indented under its
    label); with ``break_shown`` the line break before it shows as \\n on its line."""
    for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        found = FORBIDDEN.search(text)
        assert found is None, (label, stream, repr(found.group()) if found else "", text)
        for line in text.split("\n"):
            if "FAKE-FINDING" in line:
                assert not line.startswith(FAKE), (label, stream, line)
                assert not break_shown or "\\n" + FAKE in line, (label, stream, line)


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path, str]:
    """A workspace and a shared folder full of hostile names; (home, shared, client id)."""
    home = tmp_path / f"ws{SEQUENCES[:10]}\u202e"
    shared = tmp_path / "team\x1b]0;folder\x07"
    base = ["--home", str(home), "--shared", str(shared)]
    assert run(*base, "sync", "init").exit_code == 0
    added = run(*base, "client", "add", "--name", f"Evil{TEXT}", "--cadence", "weekly")
    assert added.exit_code == 0, added.output
    assert run(*base, "client", "add", "--name", f"Evil{TEXT}").exit_code == 0  # a twin
    listed = json.loads(run(*base, "list", "clients", "--json").stdout)["records"]
    client = listed[0]["uid"]
    assert [c["name"] for c in listed] == [f"Evil{TEXT}".strip()] * 2
    for args in (
        ("consultant", "add", "--name", f"Cons{TEXT}"),
        ("agreement", "add", "--client", client, "--text", f"Agr{TEXT}", "--side", "us",
         "--owner", f"Own{TEXT}", "--due", "2026-01-05", "--yes"),
        ("nps", "add", "--client", client, "--score", "3", "--reason", f"Why{TEXT}",
         "--contact", f"Con{TEXT}"),
        ("request", "add", "--client", client, "--kind", "feedback", "--text", f"Req{TEXT}",
         "--date", "2026-01-05"),
        ("agenda", "add", "--client", client, "--text", f"Agenda{TEXT}"),
    ):  # fmt: skip
        result = run(*base, *args)
        assert result.exit_code == 0, (args, result.output)
    # answered while the round was open, long ago: its results are published now
    then = {"PULSETUI_NOW": "2020-01-06T10:00:00"}
    round_name = "R\x1b]0;pwned\x07\u202e\x9b2J"
    opened = CliRunner().invoke(
        cli, [*base, "enps", "open", "--round", round_name, "--closes", "2020-01-10"], env=then
    )
    assert opened.exit_code == 0, opened.output
    for score in ("9", "10", "3", "8", "7", "9"):
        answer = CliRunner().invoke(
            cli,
            [*base, "enps", "add", "--score", score, "--reason", f"Because{TEXT}"],
            env=then,
        )
        assert answer.exit_code == 0, answer.output
    assert run(*base, "sync").exit_code == 0

    root = shared / FOLDER_NAME
    own = next(p for p in (root / REPLICAS).iterdir() if p.is_dir())
    (root / FILE_NAME).write_text("stray")  # an entry of the folder
    (root / f".{FILE_NAME}").write_text("junk")  # a junk (temp) file
    (root / REPLICAS / FILE_NAME).mkdir()  # a replica id
    (root / REPLICAS / "e0e0e0e0e0e0e0e0" / SEGMENTS).mkdir(parents=True)
    (root / REPLICAS / "e0e0e0e0e0e0e0e0" / SEGMENTS / FILE_NAME).write_text("x")  # segment
    (root / REPLICAS / "e0e0e0e0e0e0e0e0" / FILE_NAME).write_text("x")  # in a replica
    (own / SEGMENTS / f"~{FILE_NAME}.tmp").write_text("x")  # junk among segments
    (root / INBOX / FILE_NAME).write_text("{}")  # an inbox name
    os.mkdir(os.fsencode(root / REPLICAS) + b"/bad\xff\x9b2J")  # not UTF-8 at all
    return home, shared, client


def test_every_command_shows_hostile_names_and_text_safely(
    hostile: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, shared, client = hostile
    base = ["--home", str(home), "--shared", str(shared)]
    commands: list[tuple[str, ...]] = [
        ("sync",),
        ("sync", "--check"),
        ("doctor",),
        ("flags",),
        ("flags", "--all"),
        ("show", "client", client),
        ("health", "--client", client),
        ("report", "weekly", "--client", client, "--week", "2026-W02"),
        ("nps", "report"),
        ("nps", "report", "--by", "manager"),
        ("nps", "report", "--by", "quarter"),
        ("enps", "report"),
        ("locate",),
        ("duplicates",),
        ("duplicates", "consultant"),
        # error messages that quote what was typed or what is stored
        ("nps", "add", "--client", f"nobody{TEXT}", "--score", "5"),
        ("show", "client", f"nobody{TEXT}"),
        ("list", "clients", f"extra{TEXT}"),
        ("client", "add", "--name", f"Evil{TEXT}", "--cadence", f"x{TEXT}"),
    ]
    kinds = ("clients", "consultants", "agreements", "nps", "enps", "requests", "agenda")
    commands += [("list", kind) for kind in kinds]
    agreement = json.loads(run(*base, "list", "agreements", "--json").stdout)["records"][0]
    commands += [("show", "agreement", agreement["uid"]), ("show", "nps", "Evil")]
    outputs = {}
    for args in commands:
        result = run(*base, *args)
        assert "Traceback" not in result.output, (args, result.output)
        assert_safe(" ".join(args), result, break_shown=args[0] in ("sync", "doctor", "list"))
        outputs[args] = result

    # the names are shown, escaped, not left out
    check = outputs[("sync", "--check")].stdout
    assert safe_line(FILE_NAME) in check and "bad\\udcff\\udc9b2J" in check
    assert check.count("FAKE-FINDING") >= 6
    assert "\\x1b]0;pwned\\x07" in outputs[("list", "clients")].stdout
    assert "\\u202eevil\\u202c" in outputs[("show", "agreement", agreement["uid"])].stdout
    assert "\\x1b]0;pwned" in outputs[("list", "enps")].stdout
    assert (
        "FAKE-FINDING"
        in outputs[("nps", "add", "--client", f"nobody{TEXT}", "--score", "5")].stderr
    )

    # merging the twins: the question and the answer are safe too
    twins = [
        c["uid"] for c in json.loads(run(*base, "list", "clients", "--json").stdout)["records"]
    ]
    monkeypatch.setattr("pulsetui.cli.merge_cmd.stdin_is_terminal", lambda: True)
    asked = run(*base, "merge", "client", twins[0], twins[1], input="n\n")
    assert_safe("merge (asked)", asked)
    assert "Merge 'Evil" in asked.stdout and "nothing merged" in asked.stdout
    merged = run(*base, "merge", "client", twins[0], twins[1], "--yes")
    assert merged.exit_code == 0, merged.output
    assert_safe("merge", merged)


def test_json_output_keeps_hostile_names_exactly(hostile: tuple[Path, Path, str]) -> None:
    home, shared, client = hostile
    base = ["--home", str(home), "--shared", str(shared)]
    shown = run(*base, "show", "client", client, "--json")
    assert json.loads(shown.stdout)["record"]["name"] == f"Evil{TEXT}".strip()
    # exact, yet nothing in the bytes acts on a terminal: escapes inside JSON strings
    assert FORBIDDEN.search(shown.stdout) is None
    check = run(*base, "sync", "--check", "--json")
    assert check.exit_code == 1
    findings = json.loads(check.stdout)["findings"]
    assert any(FILE_NAME in finding for finding in findings)
    assert any("bad\udcff\udc9b2J" in finding for finding in findings)
    doctor = json.loads(run(*base, "doctor", "--json").stdout)
    assert any(FILE_NAME in f["message"] for f in doctor["findings"])


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain äö ж õ 😀 [bold]", "plain äö ж õ 😀 [bold]"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("title\x1b]0;x\x07", "title\\x1b]0;x\\x07"),
        (
            "a\r\nb\nc\rd\x0be\x0cf\x85g\u2028h\u2029i",
            "a\\r\\nb\\nc\\rd\\x0be\\x0cf\\x85g\\u2028h\\u2029i",
        ),
        (
            "\u202eabc\u202c \u2066x\u2069 \u200e\u200f\u061c",
            "\\u202eabc\\u202c \\u2066x\\u2069 \\u200e\\u200f\\u061c",
        ),
        ("zero\u200bwidth\ufeff soft\xadhyphen", "zero\\u200bwidth\\ufeff soft\\xadhyphen"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("tab\there", "tab\\there"),
        ("\x9b2J\x7f", "\\x9b2J\\x7f"),
        ("bad\udcff", "bad\\udcff"),
        # joiners that are text: emoji sequences, Indic conjuncts, Persian
        ("👩\u200d💻 ❤\ufe0f\u200d🔥", "👩\u200d💻 ❤\ufe0f\u200d🔥"),
        ("क्\u200dष", "क्\u200dष"),
        ("می\u200cخواهم", "می\u200cخواهم"),
        ("a\u200db\u200c", "a\\u200db\\u200c"),
    ],
)
def test_safe_line_shows_what_is_there(text: str, shown: str) -> None:
    assert safe_line(text) == shown
    assert safe_line(shown) == shown  # showing twice changes nothing
    if shown != text:  # (joiners that join are kept)
        assert FORBIDDEN.search(safe_line(text)) is None


def test_safe_text_keeps_lines_and_screens_use_pictures() -> None:
    text = "one\r\ntwo\tcol\n\x1b[31mthree\r\u202e"
    assert safe_text(text, keep_lines=True) == "one\ntwo\tcol\n\\x1b[31mthree\\r\\u202e"
    assert safe_text(text, keep_lines=True, pictures=True) == ("one\ntwo\tcol\n␛[31mthree␍\\u202e")
    assert safe_lines(text) == ["one", "two\\tcol", "\\x1b[31mthree\\r\\u202e"]


def test_every_unsafe_character_is_found() -> None:
    """The fast search for unsafe characters covers every character of the unsafe
    categories in this Python's Unicode database."""
    import sys
    import unicodedata

    unsafe = {"Cc", "Cf", "Cs", "Zl", "Zp"}
    missed = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in unsafe
        and code not in (0x200C, 0x200D)  # joiners: shown when they join nothing
        and safe_line(f"a{chr(code)}a") == f"a{chr(code)}a"
    ]
    assert missed == []
    assert all(is_unsafe(f"a{c}a", 1) for c in "\x1b\x9b\u202e\u2028")
