"""Quick entry, status changes, list and show for every record kind (click's runner)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import orjson
import pytest
from click.testing import CliRunner, Result

from pulsetui.cli import records
from pulsetui.cli.main import cli
from pulsetui.domain.models import ENTITIES
from pulsetui.domain.text import json_for_terminal
from pulsetui.service.demo import create_demo


def run(home: Path, *args: str, input: str | None = None) -> Result:
    runner = CliRunner(env={"PULSETUI_NOW": "2026-11-20T10:00:00"})
    result = runner.invoke(cli, ["--home", str(home), *args], input=input, catch_exceptions=False)
    return result


def ok(home: Path, *args: str, input: str | None = None) -> Result:
    result = run(home, *args, input=input)
    assert result.exit_code == 0, result.output
    return result


def listed(home: Path, kind: str, *extra: str) -> list[dict[str, Any]]:
    data = json.loads(ok(home, "list", kind, "--json", *extra).stdout)
    return data["rounds"] if kind == "enps" else data["records"]


@pytest.fixture
def firm(home: Path) -> Path:
    ok(
        home,
        "client",
        "add",
        "--name",
        "Kuusi Logistiikka Oy",
        "--cadence",
        "monthly",
        "--decision-maker",
        "Pekka Kuusinen",
        "--contact",
        "Hanna Lehtonen",
    )
    ok(home, "consultant", "add", "--name", "Õie Kask", "--email", "oie@example.ee")
    return home


def test_add_every_kind_by_name_with_typed_dates(firm: Path) -> None:
    ok(firm, "manager", "add", "--name", "Jüri Tamm")
    ok(
        firm,
        "engagement",
        "add",
        "--client",
        "kuusi",
        "--consultant",
        "Õie Kask",
        "--main-communicator",
        "Õie Kask",
        "--communicator-role",
        "technical",
        "--start",
        "2026-01-05",
    )
    ok(
        firm,
        "pulse",
        "add",
        "--consultant",
        "õie",
        "--wellbeing",
        "4",
        "--workload",
        "high",
        "--follow-up",
        "Book the cloud course",
        "--follow-up",
        "Ask about overtime",
    )
    ok(
        firm,
        "meeting",
        "add",
        "--client",
        "Kuusi",
        "--date",
        "fri",
        "--time",
        "10:30",
        "--attendee",
        "Pekka Kuusinen",
    )
    ok(firm, "agenda", "add", "--client", "Kuusi", "--text", "Release plan")
    ok(
        firm,
        "agreement",
        "add",
        "--client",
        "Kuusi",
        "--text",
        "Send the offer",
        "--side",
        "us",
        "--owner",
        "Õie Kask",
        "--due",
        "+2w",
    )
    ok(firm, "touchpoint", "add", "--client", "Kuusi", "--kind", "article", "--note", "Sent a case")
    ok(
        firm,
        "request",
        "add",
        "--client",
        "Kuusi",
        "--kind",
        "wish",
        "--text",
        "Dark mode",
        "--status",
        "accepted",
        "--no-planned",
    )
    ok(firm, "nps", "add", "--client", "Kuusi", "--score", "9", "--reason", "fast")
    ok(firm, "enps", "open", "--round", "2026", "--closes", "+2w")
    ok(firm, "enps", "add", "--score", "8", "--round", "2026")

    client = listed(firm, "clients")[0]
    assert client["cadence"] == "monthly"
    assert [(c["name"], c["decision_maker"]) for c in client["contacts"]] == [
        ("Hanna Lehtonen", False),
        ("Pekka Kuusinen", True),
    ]
    engagement = listed(firm, "engagements")[0]
    assert engagement["client"] == client["uid"] and engagement["start"] == "2026-01-05"
    assert engagement["communicator_role"] == "technical"
    pulse = listed(firm, "pulses")[0]
    assert pulse["date"] == "2026-11-20" and pulse["wellbeing"] == 4
    assert [f["text"] for f in pulse["follow_ups"]] == [
        "Book the cloud course",
        "Ask about overtime",
    ]
    meeting = listed(firm, "meetings")[0]
    assert meeting["date"] == "2026-11-27" and meeting["status"] == "planned"  # the next Friday
    agreement = listed(firm, "agreements")[0]
    assert agreement["due"] == "2026-12-04" and agreement["created"] == "2026-11-20"
    assert [h["status"] for h in agreement["history"]] == ["open"]
    agenda = listed(firm, "agenda")[0]
    assert agenda["added_at"] == "2026-11-20T10:00:00" and agenda["status"] == "open"
    request = listed(firm, "requests")[0]
    assert request["status"] == "accepted" and request["planned"] is False
    assert listed(firm, "touchpoints")[0]["kind"] == "article"
    assert listed(firm, "nps")[0]["score"] == 9
    # the signed-in manager owns what was added without --manager
    me = next(m for m in listed(firm, "managers") if m["name"] == "Test Manager")
    assert client["manager"] == me["uid"]
    assert listed(firm, "consultants")[0]["manager"] == me["uid"]


def test_invalid_values_name_the_field_and_write_nothing(firm: Path) -> None:
    before = ok(firm, "export").stdout
    cases = [
        (("client", "add", "--name", "  "), "name"),
        (("client", "add", "--name", "X", "--cadence", "yearly"), "cadence"),
        (("pulse", "add", "--consultant", "Õie", "--wellbeing", "9"), "wellbeing"),
        (("meeting", "add", "--client", "Kuusi", "--time", "25:00"), "time"),
        (("agreement", "add", "--client", "Kuusi", "--text", "x", "--side", "them"), "side"),
        (("agreement", "add", "--client", "Kuusi", "--text", "x"), "side"),
        (
            (
                "agreement",
                "add",
                "--client",
                "Kuusi",
                "--text",
                "x",
                "--side",
                "us",
                "--due",
                "someday",
            ),
            "due",
        ),
        (("touchpoint", "add", "--client", "Nobody"), "client"),
        (("engagement", "add", "--client", "Kuusi"), "consultant"),
        (("enps", "add", "--score", "11"), "score"),
        (("request", "add", "--client", "Kuusi", "--text", ""), "text"),
    ]
    for args, field in cases:
        result = run(firm, *args)
        assert result.exit_code == 2, (args, result.output)
        assert f"invalid {field}" in result.stderr, (args, result.stderr)
    assert ok(firm, "export").stdout == before


def test_status_changes(firm: Path) -> None:
    ok(firm, "agreement", "add", "--client", "Kuusi", "--text", "Send the offer", "--side", "us")
    ok(
        firm,
        "agreement",
        "add",
        "--client",
        "Kuusi",
        "--text",
        "Approve mock-ups",
        "--side",
        "client",
        "--due",
        "2026-11-01",
        "--yes",  # logged late: the due date is already past
    )
    assert run(firm, "agreement", "broken", "Approve").exit_code == 2  # needs --reason
    ok(firm, "agreement", "broken", "Approve", "--reason", "Board met late")
    ok(firm, "agreement", "done", "Send the offer")
    ok(firm, "agreement", "reopen", "Send the offer")
    ok(firm, "agreement", "cancel", "Send the offer", "--reason", "Not needed")
    found = {a["text"]: a for a in listed(firm, "agreements")}
    assert found["Approve mock-ups"]["status"] == "broken"
    assert found["Approve mock-ups"]["reason"] == "Board met late"
    assert [h["status"] for h in found["Send the offer"]["history"]] == [
        "open",
        "done",
        "open",
        "cancelled",
    ]

    ok(firm, "meeting", "add", "--client", "Kuusi", "--date", "2026-11-18")
    meeting = listed(firm, "meetings")[0]["uid"]
    ok(firm, "meeting", "hold", meeting, "--notes", "Went well")
    ok(firm, "agenda", "add", "--client", "Kuusi", "--text", "Budget")
    ok(firm, "agenda", "add", "--client", "Kuusi", "--text", "Holidays")
    ok(firm, "agenda", "tick", "Budget", "--meeting", meeting)
    ok(firm, "agenda", "drop", "Holidays")
    items = {i["text"]: i for i in listed(firm, "agenda")}
    assert items["Budget"]["status"] == "discussed" and items["Budget"]["meeting"] == meeting
    assert items["Holidays"]["status"] == "dropped"
    held = listed(firm, "meetings")[0]
    assert held["status"] == "held" and held["notes"] == "Went well"

    ok(firm, "pulse", "add", "--consultant", "Õie", "--follow-up", "A", "--follow-up", "B")
    pulse = listed(firm, "pulses")[0]["uid"]
    ok(firm, "pulse", "keep", pulse, "2")
    assert run(firm, "pulse", "keep", pulse, "3").exit_code == 2
    follow_ups = listed(firm, "pulses")[0]["follow_ups"]
    assert [f["done"] for f in follow_ups] == [False, True]
    assert follow_ups[1]["done_on"] == "2026-11-20"

    ok(
        firm,
        "client",
        "set",
        "Kuusi",
        "--stage",
        "adoption",
        "--unpaid-invoices",
        "--stage-since",
        "2026-11-01",
    )
    client = listed(firm, "clients")[0]
    assert (client["stage"], client["unpaid_invoices"], client["stage_since"]) == (
        "adoption",
        True,
        "2026-11-01",
    )
    assert client["cadence"] == "monthly"  # untouched
    assert run(firm, "client", "set", "Kuusi").exit_code == 2


def test_delete_asks_on_a_terminal(firm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "stdin_is_terminal", lambda: True)
    kept = ok(firm, "consultant", "delete", "Õie", input="n\n")
    assert "nothing deleted" in kept.stdout
    assert len(listed(firm, "consultants")) == 1
    ok(firm, "consultant", "delete", "Õie", input="y\n")
    assert listed(firm, "consultants") == []


def test_delete_off_a_terminal_needs_yes(firm: Path) -> None:
    result = run(firm, "consultant", "delete", "Õie")
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert len(listed(firm, "consultants")) == 1
    ok(firm, "consultant", "delete", "Õie", "--yes")
    assert listed(firm, "consultants") == []


def test_ambiguous_and_unknown_references(firm: Path) -> None:
    ok(firm, "client", "add", "--name", "Kuusi Energia Oy")
    result = run(firm, "touchpoint", "add", "--client", "Kuusi")
    assert result.exit_code == 2 and "matches 2" in result.stderr
    uid = listed(firm, "clients")[0]["uid"]
    ok(firm, "touchpoint", "add", "--client", uid)
    ok(firm, "touchpoint", "add", "--client", "kuusi energia oy")
    assert run(firm, "show", "client", "Nobody").exit_code == 2


def test_enps_is_listed_as_counts_only(firm: Path) -> None:
    ok(firm, "enps", "open", "--round", "2026", "--closes", "+2w")
    ok(firm, "enps", "open", "--round", "2025", "--closes", "+2w")
    for score, reason in (("9", "Secret reason ä"), ("3", "Another secret"), ("8", "")):
        ok(firm, "enps", "add", "--score", score, "--reason", reason, "--round", "2026")
    ok(firm, "enps", "add", "--score", "7", "--round", "2025")
    text = ok(firm, "list", "enps").stdout
    assert "2026" in text and "3 answers" in text and "1 answer\n" in text
    assert "secret" not in text.lower() and " 9" not in text
    assert listed(firm, "enps") == [
        {"answers": 1, "round": "2025"},
        {"answers": 3, "round": "2026"},
    ]
    shown = run(firm, "show", "enps", "2026")
    assert shown.exit_code == 2 and "anonymous" in shown.stderr
    assert run(firm, "enps", "delete", "x", "--yes").exit_code == 2  # no such command


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-demo") / "firm"
    create_demo(home)
    return home


@pytest.mark.parametrize("kind", sorted(spec.plural for spec in ENTITIES.values()))
def test_list_and_show_every_kind_at_80_columns(demo_home: Path, kind: str) -> None:
    text = ok(demo_home, "list", kind).stdout
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "\x1b" not in text
    data = listed(demo_home, kind)
    if kind == "enps":
        assert all(set(row) == {"round", "answers"} for row in data)
        return
    assert len(lines) == len(data) > 0
    uid = data[-1]["uid"]
    assert uid in lines[-1]
    shown = json.loads(ok(demo_home, "show", kind, uid, "--json").stdout)["record"]
    assert shown == data[-1]
    plain_text = ok(demo_home, "show", kind, uid).stdout
    assert uid in plain_text.splitlines()[0]


@pytest.mark.parametrize("kind", ["agreements", "pulses", "agenda", "enps", "managers"])
def test_list_json_keeps_its_shape_and_jsonl_has_the_same_records(
    demo_home: Path, kind: str
) -> None:
    """--json is written record by record, the very bytes of the whole document; --jsonl
    holds the same records, one compact object a line."""
    as_json = ok(demo_home, "list", kind, "--json").stdout_bytes
    document = json.loads(as_json)
    whole = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
    assert as_json == json_for_terminal(whole).encode() + b"\n"
    records = listed(demo_home, kind)
    assert records and document["version"] == 1
    lines = ok(demo_home, "list", kind, "--jsonl").stdout_bytes.splitlines()
    assert [json.loads(line) for line in lines] == records
    assert all(b"\n" not in line and line.startswith(b"{") for line in lines)


def test_list_json_streams_hostile_text_escaped_as_the_whole_document_would(home: Path) -> None:
    name = "Bidi \u202egnp.exe\u202c \x1b[31m ж 😀"
    ok(home, "client", "add", "--name", name)
    ok(home, "client", "add", "--name", "Second")
    as_json = ok(home, "list", "clients", "--json").stdout_bytes
    document = json.loads(as_json)
    assert {c["name"] for c in document["records"]} == {name, "Second"}
    whole = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
    assert as_json == json_for_terminal(whole).encode() + b"\n"
    assert b"\\u202e" in as_json and "\u202e".encode() not in as_json
    lines = ok(home, "list", "clients", "--jsonl").stdout_bytes
    assert "\u202e".encode() not in lines and b"\\u202e" in lines
    assert json.loads(ok(home, "list", "agenda", "--json").stdout)["records"] == []


def test_list_filters_by_client_and_consultant(demo_home: Path) -> None:
    everything = listed(demo_home, "agreements")
    kuusi = listed(demo_home, "agreements", "--client", "Kuusi Logistiikka Oy")
    assert 0 < len(kuusi) < len(everything)
    assert {a["client"] for a in kuusi} == {kuusi[0]["client"]}
    pulses = listed(demo_home, "pulses", "--consultant", "Õie Kask")
    assert pulses and {p["consultant"] for p in pulses} == {pulses[0]["consultant"]}
    assert run(demo_home, "list", "managers", "--client", "Kuusi").exit_code == 2


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}".strip()
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


def test_help_documents_every_command_and_option() -> None:
    commands = _commands(cli)
    names = {path for path, _ in commands}
    for expected in (
        "client add",
        "consultant add",
        "manager add",
        "engagement add",
        "pulse add",
        "agenda add",
        "meeting add",
        "agreement add",
        "touchpoint add",
        "request add",
        "nps add",
        "enps add",
        "list",
        "show",
        "export",
        "demo",
        "doctor",
        "locate",
        "agreement done",
        "agreement broken",
        "agreement cancel",
        "agenda tick",
        "client set",
        "client delete",
        "meeting hold",
    ):
        assert expected in names, expected
    for path, command in commands:
        assert (command.help or "").strip(), f"pulsetui {path} has no help"
        for param in command.params:
            if isinstance(param, click.Option):
                assert (param.help or "").strip(), f"pulsetui {path} {param.opts[0]} has no help"
    top = CliRunner().invoke(cli, ["--help"])
    assert top.exit_code == 0
    for word in ("demo", "doctor", "export", "list", "show", "nps", "enps", "agreement"):
        assert word in top.output


def test_another_manager_never_lists_shows_changes_or_exports_my_private_conversations(
    firm: Path,
) -> None:
    ok(firm, "manager", "add", "--name", "Jüri Tamm")
    ok(firm, "pulse", "add", "--consultant", "Õie", "--notes", "SECRET plans", "--wellbeing", "4")
    (mine,) = listed(firm, "pulses")
    assert mine["notes"] == "SECRET plans"
    juri = ("--as", "Jüri Tamm")
    assert "SECRET" not in ok(firm, *juri, "list", "pulses").stdout
    assert json.loads(ok(firm, *juri, "list", "pulses", "--json").stdout)["records"] == []
    for args in (
        ("show", "pulse", mine["uid"]),
        ("show", "pulse", mine["date"]),
        ("pulse", "set", mine["uid"], "--notes", "changed"),
        ("pulse", "delete", mine["uid"]),
    ):
        result = run(firm, *juri, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "no pulse conversation matches" in result.output
        assert "SECRET" not in result.output
    export = ok(firm, *juri, "export", "--format", "json", "--include-private")
    assert "SECRET" not in export.stdout
    assert "1 private pulse conversation of other managers" in export.stderr
    assert "SECRET" not in ok(firm, *juri, "search", "SECRET").stdout
    # the manager it belongs to (signing in again) still has it, unchanged
    me = ("--as", "Test Manager")
    again = json.loads(ok(firm, *me, "list", "pulses", "--json").stdout)["records"]
    assert [p["notes"] for p in again] == ["SECRET plans"]
    assert "SECRET plans" in ok(firm, *me, "export", "--format", "json", "--include-private").stdout
