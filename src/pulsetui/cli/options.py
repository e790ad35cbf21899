"""Click options derived from the record model: one option per field, typed, with
help that says what the field is and what it accepts.

A reference takes a name or a uid, a date whatever :func:`parse_date` reads, long
text also ``--FIELD-file PATH``; lists get a repeatable singular option. The commands
about one client share :func:`client_option`.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import click

from pulsetui.cli.completion import completer_for, record_names
from pulsetui.domain.models import ENTITIES, MAX_TEXT

# fields filled in by pulsetui itself, never typed on the command line
AUTOMATIC = {
    "agreement": {"status", "reason", "created", "history"},
    "agenda": {"added_at"},
}


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
    "main_communicator": "who mainly talks with the client (the client's main communicator "
    "follows: see pulsetui communicator)",
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
    "way_out": "for a risk: the proposed way out, worded for the client",
    "by": "who noted it",
}


SPIRAL_WORK_HELP = "the spiral quarter this work feeds (none: no quarter)"


def _help(name: str, info: FieldInfo) -> str:
    label = FIELD_HELP.get(info.name, info.name.replace("_", " "))
    if info.name == "spiral" and name in ("agreement", "request"):
        label = SPIRAL_WORK_HELP
    label = label[0].upper() + label[1:]
    if info.kind == "ref":
        target = ENTITIES[info.name]
        return f"The {target.label}: {ident_words(target.name)}."
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


# what quick entry fills in when an option is left out (see defaults_for_add)
DEFAULTS = {
    "client": {"manager": "you"},
    "consultant": {"manager": "you"},
    "engagement": {"start": "today", "manager": "the client's manager, else you"},
    "pulse": {"date": "today", "manager": "the consultant's manager, else you"},
    "meeting": {"date": "today"},
    "touchpoint": {"date": "today"},
    "request": {"date": "today", "spiral": "the client's current quarter (support: support)"},
    "agreement": {"spiral": "ours: the client's current quarter; the client's: none"},
    "agenda": {"added_by": "you"},
}


def article(label: str) -> str:
    """``a client``, ``an agreement``, ``an NPS response``."""
    return "an" if label[:1].lower() in "aeiou" or label.startswith("NPS") else "a"


def ident_words(name: str) -> str:
    """How a record of this kind is named on the command line."""
    title = ENTITIES[name].title_field
    words = {
        "name": "its name or id",
        "date": "its date (2026-12-01) or id",
        "text": "part of its text, or its id",
        "main_communicator": "its main communicator or id",
    }
    return words.get(title, f"its {title.replace('_', ' ')} or id")


def options_for(name: str, for_update: bool) -> list[Callable[[Any], Any]]:
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
        complete = completer_for(info.name) if info.kind == "ref" else None
        options.append(
            click.option(
                info.option,
                info.name,
                metavar=metavar,
                help=_help(name, info) + required_mark,
                shell_complete=complete,
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


def apply_options(options: list[Callable[[Any], Any]], func: Any) -> Any:
    """``func`` with the options added, shown in ``--help`` in the order given."""
    for option in reversed(options):
        func = option(func)
    return func


F = TypeVar("F", bound=Callable[..., Any])


def client_option(command: F) -> F:
    """``--client NAME`` (required) of a command about one client: a name or an id,
    completed from the workspace; the command receives it as ``client_name``."""
    option = click.option(
        "--client",
        "client_name",
        required=True,
        metavar="NAME",
        help="Client name or id.",
        shell_complete=record_names("client"),
    )
    return option(command)
