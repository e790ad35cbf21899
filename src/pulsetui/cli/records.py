"""Quick entry of records from the command line: a command group per record kind
(``pulsetui client ...``) with ``add``, ``set`` and ``delete``.

Options are named after the model's fields (:mod:`pulsetui.cli.options`). References
accept a name or a uid, dates whatever :func:`parse_date` reads (``fri``, ``+2w``,
``2026-12-01``). Long text can come from a file or stdin with ``--FIELD-file PATH``
(``-`` is stdin).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from pulsetui.cli.completion import completer_for
from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.listing import describe
from pulsetui.cli.options import apply_options, article, fields_of, ident_words, options_for
from pulsetui.cli.output import say, stdin_is_terminal
from pulsetui.domain.communicators import Tenure
from pulsetui.domain.dates import parse_date
from pulsetui.domain.enums import RequestKind
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES, MAX_TEXT, Client, Record
from pulsetui.domain.spiral import suggested_spiral
from pulsetui.service.agreement_edits import DueToConfirm, edit_agreement
from pulsetui.service.communicators import communicator_history, follow_engagement
from pulsetui.service.workspace import Workspace

ADDABLE = (
    "manager",
    "consultant",
    "client",
    "engagement",
    "pulse",
    "meeting",
    "agenda",
    "agreement",
    "touchpoint",
    "request",
    "work",
)


DUE_RULE_HELP = " A due date in the past or more than a year ahead is saved only with --yes."
AGREEMENT_SET_HELP = (
    " Every move of the due date is kept (who, when, from which day to which): "
    "`pulsetui show agreement ID` lists them." + DUE_RULE_HELP
)
CONFIRM_DUE_HELP = "Save a due date in the past or more than a year ahead."

MAX_TEXT_BYTES = MAX_TEXT * 4  # UTF-8 takes at most 4 bytes a character


def _read_text_file(path: str, field: str) -> str:
    """Text from a file or stdin (``-``), read no further than the longest text allowed."""
    shown = "stdin" if path == "-" else path
    stream = getattr(sys.stdin, "buffer", None)
    if path == "-" and stream is None:
        raise InvalidInput.one(field, "cannot read stdin: it is closed")
    try:
        if path == "-":
            assert stream is not None
            data = stream.read(MAX_TEXT_BYTES + 1)
        else:
            with open(path, "rb") as file:
                data = file.read(MAX_TEXT_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InvalidInput.one(field, f"cannot read {shown}: {reason}") from None
    if len(data) > MAX_TEXT_BYTES:
        raise InvalidInput.one(field, f"is too long (at most {MAX_TEXT} characters)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput.one(field, f"{shown} is not UTF-8 text") from None


def _ref_kind(field: str) -> str:
    return field


def to_fields(ws: Workspace, name: str, values: dict[str, Any]) -> dict[str, Any]:
    """Option values (only those given) as record fields: refs found, dates parsed."""
    out: dict[str, Any] = {}
    by_name = {f.name: f for f in fields_of(name)}
    for key, value in values.items():
        if key.endswith("_file"):
            if value is not None:
                field = key[: -len("_file")]
                if values.get(field) is not None:
                    raise InvalidInput.one(field, f"give --{field} or --{field}-file, not both")
                out[field] = _read_text_file(value, field)
            continue
        if value is None or key not in by_name:
            continue
        info = by_name[key]
        if info.kind == "ref":
            out[key] = ws.find(_ref_kind(key), value, field=key).uid if value.strip() else None
        elif info.kind == "date":
            out[key] = parse_date(value, ws.today(), field=key) if value.strip() else None
        elif info.kind == "list":
            if value:
                out[key] = list(value)
        elif key == "spiral" and value.strip().casefold() == "none":
            out[key] = None  # feeds no quarter of the spiral
        else:
            out[key] = value
    if name == "client":
        contacts = [{"name": n} for n in values.get("contact") or ()]
        contacts += [
            {"name": n, "decision_maker": True} for n in values.get("decision_maker") or ()
        ]
        out.pop("contact", None)
        out.pop("decision_maker", None)
        if contacts:
            out["contacts"] = contacts
    if name == "meeting" and values.get("attendee"):
        out["attendees"] = list(values["attendee"])
    if name == "pulse" and values.get("follow_up"):
        out["follow_ups"] = [{"text": t} for t in values["follow_up"]]
    for extra in ("attendee", "follow_up"):
        out.pop(extra, None)
    return out


def defaults_for_add(ws: Workspace, name: str, data: dict[str, Any]) -> dict[str, Any]:
    """What quick entry fills in when the option was not given."""
    today = ws.today()
    if name in ("client", "consultant") and "manager" not in data:
        data["manager"] = ws.me
    if name == "engagement":
        data.setdefault("start", today)
        if "manager" not in data and data.get("client"):
            client = ws.get(Client, data["client"])
            data["manager"] = (client.manager if client else None) or ws.me
    if name == "pulse":
        data.setdefault("date", today)
        if "manager" not in data and data.get("consultant"):
            person = ws.get("consultant", data["consultant"])
            data["manager"] = getattr(person, "manager", None) or ws.me
    if name in ("meeting", "touchpoint", "request", "work"):
        data.setdefault("date", today)
    if name == "work":
        data.setdefault("by", ws.me_name)
    if name == "request" and "spiral" not in data and data.get("client"):
        client = ws.get(Client, data["client"])
        kind = str(data.get("kind") or RequestKind.WISH.value)
        if client is not None and kind != RequestKind.FEEDBACK.value:
            data["spiral"] = suggested_spiral(client.spiral, kind).value
    if name == "agenda":
        data.setdefault("added_by", ws.me_name)
        data["added_at"] = ws.now()
    return data


GROUP_HELP = {
    "pulse": "Monthly pulse conversations with consultants: add, change, keep follow-ups.",
    "meeting": "Client meetings: plan (add), hold, change and delete.",
    "agenda": "Agenda items for the next client meeting: add, tick, drop.",
    "agreement": "The agreement log: add, mark done / broken / cancelled, reopen.",
    "engagement": "Who works at which client, and who talks with the client.",
    "touchpoint": "Contacts between meetings: articles, cases, greetings, calls.",
    "request": "Client support requests, wishes and feedback.",
    "work": "What the team did, plans next and sees as a risk, for the weekly client report.",
}


def make_group(name: str) -> click.Group:
    """The group of one record kind with its ``add``, ``set`` and ``delete``."""
    spec = ENTITIES[name]

    @click.group(name=name, help=GROUP_HELP.get(name, f"Add, change and delete {spec.label}s."))
    def group() -> None:
        pass

    if name in ADDABLE:

        @pass_ctx
        def add(ctx: Context, **values: Any) -> None:
            with ctx.workspace() as ws:
                data = defaults_for_add(ws, name, to_fields(ws, name, values))
                before = _communicators_before(ws, name, data.get("client"), data)
                if name == "agreement":
                    confirmed = bool(values.get("yes"))
                    with _due_needs_yes():
                        record: Record = ws.add_agreement(
                            **_agreement_args(data), confirmed=confirmed
                        )
                else:
                    record = ws.add(name, **data)
                _follow_communicator(ws, name, record, data, before)
                say(f"saved {describe(ws, name, record)}")

        add.__doc__ = f"Add {article(spec.label)} {spec.label}."
        add_help = add.__doc__
        if name == "agreement":
            add_help += DUE_RULE_HELP
            add = click.option("--yes", "-y", is_flag=True, help=CONFIRM_DUE_HELP)(add)
        group.command("add", help=add_help)(apply_options(options_for(name, False), add))

    if name in ADDABLE:

        @click.argument("ident", metavar="ID", shell_complete=completer_for(name))
        @pass_ctx
        def set_(ctx: Context, ident: str, **values: Any) -> None:
            with ctx.workspace() as ws:
                record: Record = ws.find(name, ident, field=name)
                changes = to_fields(ws, name, values)
                if not changes:
                    raise InvalidInput.one(name, "nothing to change: give at least one option")
                client = getattr(record, "client", None)
                before = _communicators_before(ws, name, client, changes)
                if name == "agreement":
                    with _due_needs_yes():
                        updated: Record = edit_agreement(
                            ws, record.uid, confirmed=bool(values.get("yes")), **changes
                        )
                else:
                    updated = ws.update(name, record.uid, **changes)
                _follow_communicator(ws, name, updated, changes, before)
                say(f"saved {describe(ws, name, updated)}")

        set_help = (
            f"Change fields of {article(spec.label)} {spec.label} (ID: "
            f"{ident_words(name)}); only the options given are changed."
        )
        if name == "agreement":
            set_help += AGREEMENT_SET_HELP
            set_ = click.option("--yes", "-y", is_flag=True, help=CONFIRM_DUE_HELP)(set_)
        group.command("set", help=set_help)(apply_options(options_for(name, True), set_))

    if spec.scope != "anonymous":

        @click.argument("ident", metavar="ID", shell_complete=completer_for(name))
        @click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
        @pass_ctx
        def delete(ctx: Context, ident: str, yes: bool) -> None:
            with ctx.workspace() as ws:
                record: Record = ws.find(name, ident, field=name)
                what = describe(ws, name, record)
                ws.check_unreferenced(name, record.uid)
                if not yes:
                    if not stdin_is_terminal():
                        raise InvalidInput.one(
                            "yes", "--yes is required to delete when stdin is not a terminal"
                        )
                    if not click.confirm(f"Delete {what}?", default=False):
                        say("nothing deleted")
                        return
                ws.delete(name, record.uid, refuse_if_referenced=True)
                say(f"deleted {what}")

        group.command(
            "delete",
            help=(
                f"Delete {article(spec.label)} {spec.label} (ID: {ident_words(name)}); asks "
                "first on a terminal, needs --yes otherwise. Refused while other records "
                "still refer to it."
            ),
        )(delete)
    return group


def _communicators_before(
    ws: Workspace, name: str, client: object, given: dict[str, Any]
) -> list[Tenure] | None:
    """The client's main communicators before an engagement naming one is saved."""
    if name != "engagement" or not given.get("main_communicator") or not client:
        return None
    return communicator_history(ws, str(client))


def _follow_communicator(
    ws: Workspace, name: str, record: Record, given: dict[str, Any], before: list[Tenure] | None
) -> None:
    """An engagement saved with a main communicator named: the client's main
    communicator follows (a new tenure from the "since" given, else today)."""
    if before is not None:
        since = given.get("communicator_since")
        client = follow_engagement(ws, record.uid, before, since)
        if client is not None:
            person = str(given["main_communicator"]).strip()
            say(f"{person} is now the main communicator of {client.name}")


@contextmanager
def _due_needs_yes() -> Iterator[None]:
    """A due date asked about (in the past, more than a year ahead) and not confirmed:
    the error names the field, the rule and the way to save it anyway."""
    try:
        yield
    except DueToConfirm as exc:
        raise InvalidInput.one("due", f"{exc.why}: give --yes to save it") from None


def _agreement_args(data: dict[str, Any]) -> dict[str, Any]:
    allowed = {"client", "text", "side", "owner", "due", "meeting", "spiral"}
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput.one(sorted(unknown)[0], "is set by pulsetui, not on the command line")
    for field in ("client", "text", "side"):
        if not data.get(field):
            raise InvalidInput.one(field, "is required")
    return data


def record_groups() -> dict[str, click.Group]:
    """A new command group for every record kind entered by hand, by kind (NPS and eNPS
    answers have their own groups; red-flag notes are made by ``pulsetui address``, eNPS
    rounds opened by ``pulsetui enps open``, sent reports recorded by ``pulsetui report
    sent``)."""
    own_commands = ("nps", "enps", "enps_round", "flag_ack", "report_sent")
    return {name: make_group(name) for name in ENTITIES if name not in own_commands}
