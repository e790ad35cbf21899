"""``list KIND`` and ``show KIND ID``: records as plain text at 80 columns, or JSON,
and the one line that names a record in a confirmation message."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import click

from pulsetui.cli.completion import record_ids, record_names
from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.options import fields_of
from pulsetui.cli.output import WIDTH, clip, emit_json, emit_records, json_option, say, say_text
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES, EntitySpec, Record
from pulsetui.domain.text import safe_line
from pulsetui.service.workspace import Workspace

CLIENTS = record_names("client")
CONSULTANTS = record_names("consultant")
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
            doc = self.ws.doc(kind, str(uid))
            title = ENTITIES[kind].title_field
            self.cache[key] = safe_line(doc.get(title, uid) if doc else uid)
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
    return [safe_line(str(cell)[:WIDTH]) for cell in text if cell not in (None, "")]


def _sort_key(name: str, doc: dict[str, Any]) -> tuple[str, str]:
    title = str(doc.get(ENTITIES[name].title_field, ""))
    if name in ("pulse", "meeting", "nps", "touchpoint", "request", "flag_ack"):
        return (str(doc.get("date", "")), doc["uid"])
    if name == "agreement":
        return (str(doc.get("due") or "9999"), doc["uid"])
    if name == "agenda":
        return (str(doc.get("added_at", "")), doc["uid"])
    return (title.casefold(), doc["uid"])


def describe(ws: Workspace, name: str, record: Record) -> str:
    """One line naming a record for a confirmation message."""
    doc = {"uid": record.uid, **record.fields()}
    cells = _summary(name, doc, Names(ws))
    return clip(f"{ENTITIES[name].label} {'  '.join(cells)} ({safe_line(record.uid)})", 200)


@click.command("list")
@click.argument("kind", type=click.Choice(KIND_NAMES), metavar="KIND")
@click.option(
    "--client", metavar="NAME", help="Only records of this client.", shell_complete=CLIENTS
)
@click.option(
    "--consultant",
    metavar="NAME",
    help="Only records of this consultant.",
    shell_complete=CONSULTANTS,
)
@json_option
@click.option(
    "--jsonl",
    "as_jsonl",
    is_flag=True,
    help="One JSON object per line (the records of --json), for long lists.",
)
@pass_ctx
def list_cmd(
    ctx: Context,
    kind: str,
    client: str | None,
    consultant: str | None,
    as_json: bool,
    as_jsonl: bool,
) -> None:
    """List records of one KIND (clients, consultants, agreements, ...).

    eNPS answers are anonymous: only the number of answers per round is listed.
    --client and --consultant take a name, part of one or an id. Records are written as
    they are read: a long list never sits in memory whole."""
    spec = kind_of(kind)
    name = spec.name
    with ctx.workspace(readonly=True) as ws:
        if name == "enps":
            rounds: dict[str, int] = {}
            for doc in ws.docs("enps"):
                rounds[str(doc.get("round"))] = rounds.get(str(doc.get("round")), 0) + 1
            if as_json:
                listed = [{"round": r, "answers": n} for r, n in sorted(rounds.items())]
                emit_json({"kind": name, "rounds": listed})
            elif as_jsonl:
                emit_records([{"round": r, "answers": n} for r, n in sorted(rounds.items())])
            else:
                for round_name, count in sorted(rounds.items()):
                    answers = "answer " if count == 1 else "answers"
                    say(f"{clip(safe_line(round_name), 40):<40}  {count:>5} {answers}".rstrip())
            return
        refs: dict[str, str] = {}
        for field, value in (("client", client), ("consultant", consultant)):
            if value is None:
                continue
            if field not in spec.refs:
                raise InvalidInput.one(field, f"{spec.plural} cannot be filtered by {field}")
            refs[field] = ws.find(field, value, field=field).uid
        # sorted first (a sort key per record), then each record read again and
        # written: never the whole list in memory
        docs = ws.visible(name, ws.store.view.ordered(name, lambda d: _sort_key(name, d), refs))
        if as_json or as_jsonl:
            records: Iterator[dict[str, Any]] = (
                ws.require(name, d["uid"]).model_dump(mode="json") for d in docs
            )
            if as_jsonl:
                emit_records(records)
            else:
                emit_json({"kind": name, "records": records})
            return
        names = Names(ws)
        for doc in docs:
            say(clip("  ".join([safe_line(doc["uid"]), *_summary(name, doc, names)]), WIDTH))


@click.command("show")
@click.argument("kind", type=click.Choice(KIND_NAMES), metavar="KIND")
@click.argument("ident", metavar="ID", shell_complete=record_ids)
@json_option
@pass_ctx
def show_cmd(ctx: Context, kind: str, ident: str, as_json: bool) -> None:
    """Show one record of KIND in full; ID is its id or its name (or part of it)."""
    spec = kind_of(kind)
    if spec.scope == "anonymous":
        raise InvalidInput.one("kind", "eNPS answers are anonymous and are never shown one by one")
    with ctx.workspace(readonly=True) as ws:
        record: Record = ws.find(spec.name, ident, field=spec.name)
        conflicts = ws.conflicts(spec.name, record.uid)
        if as_json:
            data = record.model_dump(mode="json")
            emit_json({"kind": spec.name, "record": data, "conflicts": conflicts})
            return
        names = Names(ws)
        say(f"{spec.label}  {record.uid}")
        for field, value in record.model_dump(mode="json").items():
            if field != "uid":
                _show_field(spec, field, value, names)
        for field, values in conflicts.items():
            say(f"conflict in {field}: {len(values)} values; resolve in the app")


@functools.cache
def _long_texts(kind: str) -> frozenset[str]:
    """The fields of a kind that hold text of several lines (notes); a name or any
    other field holding a line break is shown on one line, the break visible."""
    return frozenset(f.name for f in fields_of(kind) if f.kind == "longtext")


def _show_field(spec: EntitySpec, field: str, value: Any, names: Names) -> None:
    """Print one field of ``show``: a line, or a label and the indented lines of a
    list or a note (a line of a note can never pass for a field of its own)."""
    label = f"{field.replace('_', ' ')}:"
    if field in spec.refs and value:
        say(f"{label:<20}{names(field, value)} ({value})")
    elif isinstance(value, list) and value:
        say(label)
        for n, item in enumerate(value, 1):
            if isinstance(item, dict):
                item = ", ".join(f"{k}={v}" for k, v in item.items() if v not in ("", None))
            say(f"  {n}. {item}")
    elif isinstance(value, str) and "\n" in value and field in _long_texts(spec.name):
        say(label)
        say_text(value)
    elif value is None or value == "" or value == []:
        say(f"{label:<20}-")
    else:
        say(f"{label:<20}{value}")
