"""Quick entry, listing and showing of records from the command line.

Every record kind gets a command group (``pulsetui client ...``) with ``add``, ``set``
and ``delete``; options are named after the model's fields. References accept a name
or a uid, dates whatever :func:`parse_date` reads (``fri``, ``+2w``, ``2026-12-01``).
Long text can come from a file or stdin with ``--FIELD-file PATH`` (``-`` is stdin).
``list KIND`` and ``show KIND ID`` print plain text at 80 columns, or JSON.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
import types
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import click
import orjson

from pulsetui.cli.main import Context, cli, pass_ctx
from pulsetui.domain.dates import parse_date
from pulsetui.domain.enums import AgendaStatus, AgreementStatus, MeetingStatus
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import (
    ENTITIES,
    MAX_TEXT,
    AgendaItem,
    Client,
    ClientMeeting,
    EntitySpec,
    PulseConversation,
    Record,
)
from pulsetui.service.workspace import Workspace

WIDTH = 80
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
)
# fields filled in by pulsetui itself, never typed on the command line
AUTOMATIC = {
    "agreement": {"status", "reason", "created", "history"},
    "agenda": {"added_at"},
}


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


# ---- reading the model's fields -------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    """How one model field is typed on the command line."""

    name: str
    kind: str  # ref | date | datetime | bool | enum | int | text | longtext | list
    required: bool
    choices: tuple[str, ...] = ()
    bounds: tuple[int | None, int | None] = (None, None)

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The bare type of an annotation, and the metadata of Annotated[...] layers."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata.extend(extra)
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation, metadata


def _max_length(metadata: list[Any]) -> int | None:
    for item in metadata:
        value = getattr(item, "max_length", None)
        if value is not None:
            return int(value)
    return None


def _bounds(metadata: list[Any]) -> tuple[int | None, int | None]:
    """The smallest and largest whole number a field takes (ge / le), if bounded."""
    low = high = None
    for item in metadata:
        for inner in [item, *getattr(item, "metadata", ())]:
            low = getattr(inner, "ge", low)
            high = getattr(inner, "le", high)
    return low, high


def fields_of(name: str) -> list[FieldInfo]:
    spec = ENTITIES[name]
    found = []
    for field, info in spec.model.model_fields.items():
        if field == "uid" or field in spec.appends:
            continue
        bare, metadata = _unwrap(info.annotation)
        meta = [*metadata, *info.metadata]
        choices: tuple[str, ...] = ()
        if field in spec.refs:
            kind = "ref"
        elif bare is dt.datetime:
            kind = "datetime"
        elif bare is dt.date:
            kind = "date"
        elif bare is bool:
            kind = "bool"
        elif isinstance(bare, type) and issubclass(bare, enum.Enum):
            kind = "enum"
            choices = tuple(str(m.value) for m in bare)
        elif bare is int:
            kind = "int"
        elif get_origin(bare) is list:
            kind = "list"
        elif _max_length(meta) == MAX_TEXT:
            kind = "longtext"
        else:
            kind = "text"
        bounds = _bounds(meta) if kind == "int" else (None, None)
        found.append(FieldInfo(field, kind, info.is_required(), choices, bounds))
    return found


FIELD_HELP = {
    "name": "the name",
    "email": "the e-mail address",
    "active": "still with the firm",
    "client_wants_us": "does the client want to work with us",
    "we_want_client": "do we want to work with the client",
    "stage": "the lifecycle stage",
    "stage_since": "when the stage began",
    "spiral": "the spiral quarter being fed",
    "spiral_since": "when that quarter began",
    "unpaid_invoices": "the client leaves invoices unpaid",
    "approval_delays": "the client's approvals are badly late",
    "cadence": "the agreed meeting cadence",
    "started": "when the relationship started",
    "start": "the first day",
    "end": "the last day",
    "main_communicator": "who mainly talks with the client",
    "communicator_since": "since when they have been the main communicator",
    "communicator_role": "the main communicator's role",
    "unplanned": "the team was grown for work nobody planned",
    "date": "the date",
    "status": "the status",
    "wellbeing": "how the consultant is",
    "workload": "the workload",
    "fit": "fit with the project and the client",
    "growth": "growth wishes",
    "worries": "worries",
    "private": "kept private to the manager",
    "time": "the start time, HH:MM",
    "duration_min": "the length in minutes",
    "text": "the text",
    "added_by": "who added it",
    "side": "who owns it: us or the client",
    "owner": "the person who owns it",
    "due": "the due date",
    "kind": "the kind",
    "note": "a note",
    "planned": "accepted together with a plan (scope, time, price)",
    "delivered_early_free": "promised work delivered early and free of charge",
}


def _help(name: str, info: FieldInfo) -> str:
    label = FIELD_HELP.get(info.name, info.name.replace("_", " "))
    label = label[0].upper() + label[1:]
    if info.kind == "ref":
        target = ENTITIES[info.name]
        return f"The {target.label}: {_ident_words(target.name)}."
    if info.kind == "date":
        return f"{label}: 2026-12-01, today, fri, +3d, +2w, +1m."
    if info.kind == "enum":
        return f"{label}: one of {', '.join(info.choices)}."
    if info.kind == "int":
        low, high = info.bounds
        bounds = f" ({low}-{high})" if low is not None and high is not None else ""
        return f"{label}, a whole number{bounds}."
    if info.kind == "bool":
        return f"{label}."
    if info.kind == "longtext":
        return f"{label} (any text; long text: --{info.name.replace('_', '-')}-file)."
    return f"{label}."


# ---- turning option values into record fields ----------------------------------------


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
    if name in ("meeting", "touchpoint", "request"):
        data.setdefault("date", today)
    if name == "agenda":
        data.setdefault("added_by", ws.me_name)
        data["added_at"] = ws.now()
    return data


# ---- building the commands -------------------------------------------------------------


# what quick entry fills in when an option is left out (see defaults_for_add)
DEFAULTS = {
    "client": {"manager": "you"},
    "consultant": {"manager": "you"},
    "engagement": {"start": "today", "manager": "the client's manager, else you"},
    "pulse": {"date": "today", "manager": "the consultant's manager, else you"},
    "meeting": {"date": "today"},
    "touchpoint": {"date": "today"},
    "request": {"date": "today"},
    "agenda": {"added_by": "you"},
}


def article(label: str) -> str:
    """``a client``, ``an agreement``, ``an NPS response``."""
    return "an" if label[:1].lower() in "aeiou" or label.startswith("NPS") else "a"


def _ident_words(name: str) -> str:
    """How a record of this kind is named on the command line."""
    title = ENTITIES[name].title_field
    words = {
        "name": "its name or id",
        "date": "its date (2026-12-01) or id",
        "text": "part of its text, or its id",
        "main_communicator": "its main communicator or id",
    }
    return words.get(title, f"its {title.replace('_', ' ')} or id")


def _options_for(name: str, for_update: bool) -> list[Callable[[Any], Any]]:
    """Click options for the fields of one kind (all optional when updating)."""
    options: list[Callable[[Any], Any]] = []
    skip = AUTOMATIC.get(name, set())
    for info in fields_of(name):
        if info.name in skip:
            continue
        if info.kind == "datetime":
            continue
        if info.kind == "list":
            options.extend(_list_options(name, info))
            continue
        default = DEFAULTS.get(name, {}).get(info.name)
        if for_update:
            required_mark = ""
        elif default:
            required_mark = f" Default: {default}."
        else:
            required_mark = " Required." if info.required else ""
        if info.kind == "bool":
            options.append(
                click.option(
                    f"{info.option}/--no-{info.option[2:]}",
                    info.name,
                    default=None,
                    help=_help(name, info),
                )
            )
            continue
        metavar = {
            "ref": "NAME",
            "date": "DATE",
            "int": "N",
            "enum": "|".join(info.choices) if len(info.choices) <= 4 else "CHOICE",
        }.get(info.kind, "TEXT")
        options.append(
            click.option(
                info.option, info.name, metavar=metavar, help=_help(name, info) + required_mark
            )
        )
        if info.kind == "longtext":
            options.append(
                click.option(
                    f"{info.option}-file",
                    f"{info.name}_file",
                    metavar="PATH",
                    help=f"Read the {info.name.replace('_', ' ')} from a file (- for stdin).",
                )
            )
    return options


def _list_options(name: str, info: FieldInfo) -> list[Callable[[Any], Any]]:
    if info.name == "contacts":
        return [
            click.option(
                "--contact", "contact", multiple=True, metavar="NAME", help="A contact (repeat)."
            ),
            click.option(
                "--decision-maker",
                "decision_maker",
                multiple=True,
                metavar="NAME",
                help="A contact who decides (repeat).",
            ),
        ]
    if info.name == "attendees":
        return [
            click.option(
                "--attendee",
                "attendee",
                multiple=True,
                metavar="NAME",
                help="Who takes part (repeat).",
            )
        ]
    if info.name == "follow_ups":
        return [
            click.option(
                "--follow-up",
                "follow_up",
                multiple=True,
                metavar="TEXT",
                help="Something you promised to do (repeat).",
            )
        ]
    return []


def _apply(options: list[Callable[[Any], Any]], func: Any) -> Any:
    for option in reversed(options):
        func = option(func)
    return func


def describe(ws: Workspace, name: str, record: Record) -> str:
    """One line naming a record for a confirmation message."""
    doc = {"uid": record.uid, **record.fields()}
    cells = _summary(name, doc, Names(ws))
    return clip(f"{ENTITIES[name].label} {'  '.join(cells)} ({record.uid})", 200)


GROUP_HELP = {
    "pulse": "Monthly pulse conversations with consultants: add, change, keep follow-ups.",
    "meeting": "Client meetings: plan (add), hold, change and delete.",
    "agenda": "Agenda items for the next client meeting: add, tick, drop.",
    "agreement": "The agreement log: add, mark done / broken / cancelled, reopen.",
    "engagement": "Who works at which client, and who talks with the client.",
    "touchpoint": "Contacts between meetings: articles, cases, greetings, calls.",
    "request": "Client support requests, wishes and feedback.",
}


def make_group(name: str) -> click.Group:
    spec = ENTITIES[name]

    @click.group(name=name, help=GROUP_HELP.get(name, f"Add, change and delete {spec.label}s."))
    def group() -> None:
        pass

    if name in ADDABLE:

        @pass_ctx
        def add(ctx: Context, **values: Any) -> None:
            with ctx.workspace() as ws:
                data = defaults_for_add(ws, name, to_fields(ws, name, values))
                if name == "agreement":
                    record: Record = ws.add_agreement(**_agreement_args(data))
                else:
                    record = ws.add(name, **data)
                click.echo(f"saved {describe(ws, name, record)}")

        add.__doc__ = f"Add {article(spec.label)} {spec.label}."
        group.command("add", help=add.__doc__)(_apply(_options_for(name, False), add))

    if name in ADDABLE:

        @click.argument("ident", metavar="ID")
        @pass_ctx
        def set_(ctx: Context, ident: str, **values: Any) -> None:
            with ctx.workspace() as ws:
                record: Record = ws.find(name, ident, field=name)
                changes = to_fields(ws, name, values)
                if not changes:
                    raise InvalidInput.one(name, "nothing to change: give at least one option")
                updated: Record = ws.update(name, record.uid, **changes)
                click.echo(f"saved {describe(ws, name, updated)}")

        group.command(
            "set",
            help=(
                f"Change fields of {article(spec.label)} {spec.label} (ID: "
                f"{_ident_words(name)}); only the options given are changed."
            ),
        )(_apply(_options_for(name, True), set_))

    if spec.scope != "anonymous":

        @click.argument("ident", metavar="ID")
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
                        click.echo("nothing deleted")
                        return
                ws.delete(name, record.uid, refuse_if_referenced=True)
                click.echo(f"deleted {what}")

        group.command(
            "delete",
            help=(
                f"Delete {article(spec.label)} {spec.label} (ID: {_ident_words(name)}); asks "
                "first on a terminal, needs --yes otherwise. Refused while other records "
                "still refer to it."
            ),
        )(delete)
    return group


def _agreement_args(data: dict[str, Any]) -> dict[str, Any]:
    allowed = {"client", "text", "side", "owner", "due", "meeting"}
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput.one(sorted(unknown)[0], "is set by pulsetui, not on the command line")
    for field in ("client", "text", "side"):
        if not data.get(field):
            raise InvalidInput.one(field, "is required")
    return data


GROUPS: dict[str, click.Group] = {}
for _name in ENTITIES:
    if _name in ("nps", "enps", "flag_ack"):
        continue
    GROUPS[_name] = make_group(_name)
    cli.add_command(GROUPS[_name])


# ---- status changes ------------------------------------------------------------------------


def _agreement_status(status: AgreementStatus, summary: str) -> click.Command:
    @click.argument("ident", metavar="ID")
    @click.option("--reason", default="", metavar="TEXT", help="Why (required for broken, cancel).")
    @pass_ctx
    def command(ctx: Context, ident: str, reason: str) -> None:
        with ctx.workspace() as ws:
            record: Record = ws.find("agreement", ident, field="agreement")
            updated = ws.set_agreement_status(record.uid, status, reason)
            click.echo(f"{updated.status.value}: {describe(ws, 'agreement', updated)}")

    command.__doc__ = summary
    return click.command(help=summary)(command)


GROUPS["agreement"].add_command(
    _agreement_status(AgreementStatus.DONE, "Mark an agreement done."), "done"
)
GROUPS["agreement"].add_command(
    _agreement_status(AgreementStatus.BROKEN, "Mark an agreement broken (needs --reason)."),
    "broken",
)
GROUPS["agreement"].add_command(
    _agreement_status(AgreementStatus.CANCELLED, "Cancel an agreement (needs --reason)."), "cancel"
)
GROUPS["agreement"].add_command(
    _agreement_status(AgreementStatus.OPEN, "Reopen an agreement."), "reopen"
)


@GROUPS["agenda"].command("tick")
@click.argument("ident", metavar="ID")
@click.option("--meeting", metavar="ID", help="The meeting it was discussed in (id or date).")
@pass_ctx
def agenda_tick(ctx: Context, ident: str, meeting: str | None) -> None:
    """Mark an agenda item discussed."""
    with ctx.workspace() as ws:
        item = ws.find(AgendaItem, ident, field="agenda")
        meeting_uid = ws.find(ClientMeeting, meeting, field="meeting").uid if meeting else None
        updated = ws.mark_agenda(item.uid, AgendaStatus.DISCUSSED, meeting_uid)
        click.echo(f"discussed: {describe(ws, 'agenda', updated)}")


@GROUPS["agenda"].command("drop")
@click.argument("ident", metavar="ID")
@pass_ctx
def agenda_drop(ctx: Context, ident: str) -> None:
    """Drop an agenda item without discussing it."""
    with ctx.workspace() as ws:
        item = ws.find(AgendaItem, ident, field="agenda")
        updated = ws.mark_agenda(item.uid, AgendaStatus.DROPPED)
        click.echo(f"dropped: {describe(ws, 'agenda', updated)}")


@GROUPS["meeting"].command("hold")
@click.argument("ident", metavar="ID")
@click.option("--notes", metavar="TEXT", help="What was said.")
@pass_ctx
def meeting_hold(ctx: Context, ident: str, notes: str | None) -> None:
    """Mark a planned client meeting held."""
    with ctx.workspace() as ws:
        meeting = ws.find(ClientMeeting, ident, field="meeting")
        extra = {"notes": notes} if notes is not None else {}
        updated = ws.hold_meeting(meeting.uid, **extra)
        click.echo(f"{MeetingStatus(updated.status).value}: {describe(ws, 'meeting', updated)}")


@GROUPS["pulse"].command("keep")
@click.argument("ident", metavar="ID")
@click.argument("number", type=int)
@click.option("--undo", is_flag=True, help="Mark it not done again.")
@pass_ctx
def pulse_keep(ctx: Context, ident: str, number: int, undo: bool) -> None:
    """Mark follow-up NUMBER (1, 2, ...) of a pulse conversation done."""
    with ctx.workspace() as ws:
        pulse = ws.find(PulseConversation, ident, field="pulse")
        updated = ws.close_follow_up(pulse.uid, number - 1, done=not undo)
        item = updated.follow_ups[number - 1]
        state = "done" if item.done else "open"
        click.echo(f"{state}: {clip(plain(item.text, one_line=True), 60)}")


# ---- NPS and eNPS (exact forms kept stable) -------------------------------------------------


@cli.group()
def nps() -> None:
    """Client NPS answers: "How likely are you to recommend us? 0-10"."""


@nps.command("add")
@click.option("--client", "client_name", required=True, metavar="NAME", help="Client name or id.")
@click.option("--score", required=True, metavar="N", help="0-10.")
@click.option("--reason", default="", metavar="TEXT", help="Why this score.")
@click.option("--contact", default="", metavar="NAME", help="Who answered.")
@pass_ctx
def nps_add(ctx: Context, client_name: str, score: str, reason: str, contact: str) -> None:
    """Record a client's NPS answer."""
    with ctx.workspace() as ws:
        client = ws.find(Client, client_name, field="client")
        record = ws.add_nps(client.uid, score=score, reason=reason, contact=contact)
        click.echo(f"saved NPS {record.score} for {plain(client.name, True)} ({record.uid})")


@nps.command("delete")
@click.argument("ident", metavar="ID")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def nps_delete(ctx: Context, ident: str, yes: bool) -> None:
    """Delete an NPS answer entered by mistake (asks first on a terminal)."""
    with ctx.workspace() as ws:
        record: Record = ws.require("nps", ident.strip())
        if not yes:
            if not stdin_is_terminal():
                raise InvalidInput.one(
                    "yes", "--yes is required to delete when stdin is not a terminal"
                )
            if not click.confirm(f"Delete NPS answer {record.uid}?", default=False):
                click.echo("nothing deleted")
                return
        ws.delete("nps", record.uid)
        click.echo(f"deleted NPS answer {record.uid}")


@cli.group(invoke_without_command=True)
@click.option("--round", "round_", default=None, metavar="R", help="Survey round (default: year).")
@click.pass_context
def enps(click_ctx: click.Context, round_: str | None) -> None:
    """Anonymous employee eNPS answers. Alone, opens the anonymous answer screen."""
    if click_ctx.invoked_subcommand is not None:
        return
    from pulsetui.cli.app_launcher import launch_enps

    launch_enps(click_ctx.ensure_object(Context), round_)


@enps.command("add")
@click.option("--score", required=True, metavar="N", help="0-10.")
@click.option("--reason", default="", metavar="TEXT", help="Why this score (optional).")
@click.option("--round", "round_", default=None, metavar="R", help="Survey round (default: year).")
@pass_ctx
def enps_add(ctx: Context, score: str, reason: str, round_: str | None) -> None:
    """Record an anonymous eNPS answer (no name, no time beyond the round)."""
    with ctx.workspace() as ws:
        record = ws.add_enps(score=score, reason=reason, round=round_)
        click.echo(f"saved an anonymous eNPS answer for round {plain(record.round, True)}")


# ---- list and show ----------------------------------------------------------------------------


KIND_NAMES = sorted({s.plural for s in ENTITIES.values()} | {s.name for s in ENTITIES.values()})


def kind_of(text: str) -> EntitySpec:
    for spec in ENTITIES.values():
        if text in (spec.name, spec.plural):
            return spec
    raise InvalidInput.one("kind", f"unknown kind {text!r}")


class Names:
    """Names of referenced records, looked up once per command."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, kind: str, uid: Any) -> str:
        if not uid:
            return ""
        key = (kind, str(uid))
        if key not in self.cache:
            doc = self.ws.store.view.get(kind, str(uid))
            title = ENTITIES[kind].title_field
            self.cache[key] = plain(doc.get(title, uid), True) if doc else str(uid)
        return self.cache[key]


def _summary(name: str, doc: dict[str, Any], names: Names) -> list[str]:
    """The short columns one record shows in ``list`` (after its id)."""
    get = doc.get
    columns: dict[str, Callable[[], list[Any]]] = {
        "manager": lambda: [get("name"), get("email")],
        "consultant": lambda: [get("name"), names("manager", get("manager"))],
        "client": lambda: [get("name"), get("stage"), get("cadence")],
        "engagement": lambda: [
            names("client", get("client")),
            names("consultant", get("consultant")),
            get("end") and f"ended {get('end')}",
        ],
        "pulse": lambda: [get("date"), get("status"), names("consultant", get("consultant"))],
        "meeting": lambda: [get("date"), get("status"), names("client", get("client"))],
        "agenda": lambda: [get("status"), names("client", get("client")), get("text")],
        "agreement": lambda: [get("due") or "-", get("status"), get("side"), get("text")],
        "nps": lambda: [get("date"), f"{get('score')!s:>2}", names("client", get("client"))],
        "touchpoint": lambda: [get("date"), get("kind"), names("client", get("client"))],
        "request": lambda: [get("date"), get("kind"), get("status"), get("text")],
        "flag_ack": lambda: [get("date"), get("flag")],
    }
    text = columns[name]() if name in columns else [get(ENTITIES[name].title_field)]
    # long notes are cut before cleaning: a list line shows at most 80 characters
    return [plain(str(cell)[:WIDTH], one_line=True) for cell in text if cell not in (None, "")]


def _sort_key(name: str, doc: dict[str, Any]) -> tuple[str, str]:
    title = str(doc.get(ENTITIES[name].title_field, ""))
    if name in ("pulse", "meeting", "nps", "touchpoint", "request", "flag_ack"):
        return (str(doc.get("date", "")), doc["uid"])
    if name == "agreement":
        return (str(doc.get("due") or "9999"), doc["uid"])
    if name == "agenda":
        return (str(doc.get("added_at", "")), doc["uid"])
    return (title.casefold(), doc["uid"])


@cli.command("list")
@click.argument("kind", type=click.Choice(KIND_NAMES), metavar="KIND")
@click.option("--client", metavar="NAME", help="Only records of this client.")
@click.option("--consultant", metavar="NAME", help="Only records of this consultant.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def list_cmd(
    ctx: Context, kind: str, client: str | None, consultant: str | None, as_json: bool
) -> None:
    """List records of one KIND (clients, consultants, agreements, ...).

    eNPS answers are anonymous: only the number of answers per round is listed."""
    spec = kind_of(kind)
    name = spec.name
    with ctx.workspace(readonly=True) as ws:
        if name == "enps":
            rounds: dict[str, int] = {}
            for doc in ws.docs("enps"):
                rounds[str(doc.get("round"))] = rounds.get(str(doc.get("round")), 0) + 1
            if as_json:
                emit_json([{"round": r, "answers": n} for r, n in sorted(rounds.items())])
            else:
                for round_name, count in sorted(rounds.items()):
                    click.echo(f"{clip(plain(round_name, True), 40):<40}  {count:>5} answers")
            return
        refs: dict[str, str] = {}
        for field, value in (("client", client), ("consultant", consultant)):
            if value is None:
                continue
            if field not in spec.refs:
                raise InvalidInput.one(field, f"{spec.plural} cannot be filtered by {field}")
            refs[field] = ws.find(field, value, field=field).uid
        docs = sorted(ws.docs(name, **refs), key=lambda d: _sort_key(name, d))
        if as_json:
            emit_json([ws.require(name, d["uid"]).model_dump(mode="json") for d in docs])
            return
        names = Names(ws)
        for doc in docs:
            click.echo(clip("  ".join([doc["uid"], *_summary(name, doc, names)]), WIDTH))


@cli.command("show")
@click.argument("kind", type=click.Choice(KIND_NAMES), metavar="KIND")
@click.argument("ident", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def show_cmd(ctx: Context, kind: str, ident: str, as_json: bool) -> None:
    """Show one record of KIND in full; ID is its id or its name."""
    spec = kind_of(kind)
    if spec.scope == "anonymous":
        raise InvalidInput.one("kind", "eNPS answers are anonymous and are never shown one by one")
    with ctx.workspace(readonly=True) as ws:
        record: Record = ws.find(spec.name, ident, field=spec.name)
        conflicts = ws.conflicts(spec.name, record.uid)
        if as_json:
            data = record.model_dump(mode="json")
            if conflicts:
                data["_conflicts"] = conflicts
            emit_json(data)
            return
        names = Names(ws)
        click.echo(f"{spec.label}  {record.uid}")
        for field, value in record.model_dump(mode="json").items():
            if field == "uid":
                continue
            click.echo(_show_field(spec, field, value, names))
        for field, values in conflicts.items():
            click.echo(f"conflict in {field}: {len(values)} values; resolve in the app")


def _show_field(spec: EntitySpec, field: str, value: Any, names: Names) -> str:
    label = f"{field.replace('_', ' ')}:"
    if field in spec.refs and value:
        return f"{label:<20}{names(field, value)} ({value})"
    if isinstance(value, list):
        if not value:
            return f"{label:<20}-"
        lines = [label]
        for n, item in enumerate(value, 1):
            if isinstance(item, dict):
                item = ", ".join(
                    f"{k}={plain(v, True)}" for k, v in item.items() if v not in ("", None)
                )
            lines.append(f"  {n}. {plain(item)}")
        return "\n".join(lines)
    if isinstance(value, str) and "\n" in value:
        return f"{label}\n{plain(value)}"
    if value is None or value == "":
        return f"{label:<20}-"
    return f"{label:<20}{plain(value)}"
