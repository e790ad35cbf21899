"""Synthetic firm workspaces for the benchmarks, written straight in the store's op format.

``firm-year``: 50 managers, 1,000 consultants, 300 clients and a year of history (about
100k records); ``firm-5y``: the same firm over five years (about 500k records). Every
manager's ops carry that manager's replica id, as if synced from their installations;
the workspace belongs to the first manager. The journal is written in bulk (one line
per save, like the app writes it) and the view is then built by opening the store, which
replays the journal and checkpoints the view exactly as a real start-up would.

Workspaces are cached under ``bench/out/<scale>/`` and rebuilt when the generator
changes. Run ``python bench/generate.py [--scale firm-year] [--force]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pulsetui.domain.models import ENTITIES
from pulsetui.store import ops as schema
from pulsetui.store.fsutil import atomic_write, ensure_private_dir, write_new_file
from pulsetui.store.ids import ANON_RID, new_anonymous_uid, new_replica_id, new_ulid
from pulsetui.store.journal import JOURNAL_NAME, Journal
from pulsetui.store.store import REPLICA_NAME, STORE_FORMAT, Store

OUT = Path(__file__).resolve().parent / "out"
GENERATOR_VERSION = 5
END = dt.datetime(2026, 11, 20, 17, 0)


@dataclass(frozen=True)
class Scale:
    name: str
    years: int
    managers: int = 50
    consultants: int = 1000
    clients: int = 300


SCALES = {"firm-year": Scale("firm-year", 1), "firm-5y": Scale("firm-5y", 5)}

WORDS = [
    "sprint",
    "deadline",
    "backlog",
    "release",
    "demo",
    "workshop",
    "budget",
    "invoice",
    "approval",
    "roadmap",
    "scope",
    "estimate",
    "risk",
    "incident",
    "deploy",
    "review",
    "migration",
    "staging",
    "hotfix",
    "testing",
    "retro",
    "velocity",
    "stakeholder",
    "onboarding",
    "training",
    "handover",
    "architecture",
    "performance",
    "security",
    "audit",
    "kiire",
    "aikataulu",
    "palaveri",
    "asiakas",
    "projekti",
    "tiimi",
    "sopimus",
    "laskutus",
    "koosolek",
    "tähtaeg",
    "kokkulepe",
    "klient",
    "meeskond",
    "arendus",
    "срок",
    "встреча",
    "договор",
    "клиент",
    "команда",
    "релиз",
    "бюджет",
    "риск",
]
FIRST = [
    "Anna",
    "Mikko",
    "Liisa",
    "Juha",
    "Kaisa",
    "Timo",
    "Aino",
    "Jari",
    "Tiina",
    "Olli",
    "Mari",
    "Kalle",
    "Kadri",
    "Mart",
    "Liis",
    "Tõnu",
    "Katrin",
    "Jaan",
    "Mait",
    "Ülle",
    "Ольга",
    "Иван",
    "Мария",
    "Сергей",
    "Анна",
    "Дмитрий",
    "Emma",
    "Lukas",
    "Sofia",
    "Noah",
    "Mia",
    "Leo",
]
LAST = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Tamm",
    "Saar",
    "Sepp",
    "Mägi",
    "Kask",
    "Kukk",
    "Rebane",
    "Ilves",
    "Иванов",
    "Смирнова",
    "Кузнецов",
    "Попова",
    "Соколов",
    "Smith",
    "Müller",
    "Jensen",
    "Novak",
]
COMPANY = [
    "Oy",
    "Ab",
    "AS",
    "OÜ",
    "ООО",
    "GmbH",
    "Ltd",
    "Group",
    "Systems",
    "Logistics",
    "Energy",
    "Pankki",
    "Kauppa",
    "Tööstus",
    "Metsä",
]


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize() + "."


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


class OpLog:
    """Saves in time order; ids and HLCs are stamped once every save is known."""

    def __init__(self) -> None:
        self.saves: list[tuple[int, int, str, list[dict[str, Any]]]] = []

    def save(self, when: dt.datetime, rid: str, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        wall = int(when.replace(tzinfo=dt.UTC).timestamp() * 1000)
        self.saves.append((wall, len(self.saves), rid, ops))
        return ops

    def create(self, when: dt.datetime, rid: str, entity: str, data: dict[str, Any]) -> dict:
        uid = data.pop("uid", None) or new_ulid(int(when.timestamp() * 1000))
        # every generated record must be one pulsetui itself would accept
        ENTITIES[entity].model.model_validate({"uid": uid, **data})
        op = {"entity": entity, "uid": uid, "kind": "create", "data": data}
        self.save(when, rid, [op])
        return op

    def stamp(self) -> None:
        """Give every op its replica's clock, in time order, through the store's own
        op constructors (so each is exactly what pulsetui would write)."""
        self.saves.sort(key=lambda save: (save[0], save[1]))
        last: dict[str, tuple[int, int]] = {}
        for wall, _, rid, ops in self.saves:
            for op in ops:
                if rid == ANON_RID:
                    typed: schema.Op = schema.anonymous_op(op["entity"], op["uid"], op["data"])
                else:
                    prev_wall, prev_counter = last.get(rid, (0, -1))
                    hlc = (wall, 0) if wall > prev_wall else (prev_wall, prev_counter + 1)
                    last[rid] = hlc
                    typed = _stamped(schema.Stamp(rid, *hlc), op)
                op.clear()  # the same dict: later ops' ``pred`` point at it
                op.update(typed)

    def save_ops(self) -> list[list[dict[str, Any]]]:
        return [ops for _, _, _, ops in self.saves]


def _stamped(stamp: schema.Stamp, op: dict[str, Any]) -> schema.Op:
    entity, uid = op["entity"], op["uid"]
    if op["kind"] == "create":
        return schema.create_op(stamp, entity, uid, op["data"])
    if op["kind"] == "set":
        pred = [ref["id"] for ref in op["pred"]]
        return schema.set_op(stamp, entity, uid, op["field"], op["value"], pred)
    return schema.append_op(stamp, entity, uid, op["field"], op["value"])


def set_op(entity: str, create: dict, field: str, value: Any) -> dict[str, Any]:
    model = ENTITIES[entity].model
    blank = model.model_construct()
    model.__pydantic_validator__.validate_assignment(blank, field, value)
    return {
        "entity": entity,
        "uid": create["uid"],
        "kind": "set",
        "field": field,
        "value": value,
        "pred": [create],
    }


def build_firm(scale: Scale, seed: int = 7) -> tuple[OpLog, str, str]:
    """The whole firm's history as saves; returns the log, my rid and my manager uid."""
    rng = random.Random(seed)
    log = OpLog()
    start = END - dt.timedelta(days=365 * scale.years)
    rids = [new_replica_id() for _ in range(scale.managers)]
    managers = []
    for index in range(scale.managers):
        name = f"{person(rng)} {index + 1}"
        managers.append(
            log.create(
                start, rids[index], "manager", {"name": name, "email": f"m{index}@firm.example"}
            )
        )
    clients = []
    for index in range(scale.clients):
        owner = index % scale.managers
        contacts = [
            {
                "name": person(rng),
                "role": rng.choice(["CTO", "CEO", "Product owner", "Head of IT", ""]),
                "decision_maker": rng.random() < 0.4,
                "email": "",
            }
            for _ in range(rng.randint(1, 5))
        ]
        data = {
            "name": f"{rng.choice(LAST)} {rng.choice(COMPANY)} {index + 1}",
            "manager": managers[owner]["uid"],
            "contacts": contacts,
            "client_wants_us": rng.choice(["yes", "unsure", "no"]),
            "we_want_client": rng.choice(["yes", "unsure", "no"]),
            "stage": rng.choice(["onboarding", "adoption", "success"]),
            "stage_since": start.date().isoformat(),
            "spiral": rng.choice(
                ["q1_functionality", "q2_usability", "q3_stability", "q4_support"]
            ),
            "spiral_since": start.date().isoformat(),
            "unpaid_invoices": rng.random() < 0.1,
            "approval_delays": rng.random() < 0.15,
            "cadence": rng.choice(["weekly", "biweekly", "biweekly", "monthly", "quarterly"]),
            "started": start.date().isoformat(),
            "notes": sentence(rng, 5, 30),
        }
        client = log.create(start, rids[owner], "client", data)
        client["offset"] = rng.randrange(91)
        clients.append((owner, client))
    consultants = []
    for index in range(scale.consultants):
        owner = index % scale.managers
        data = {
            "name": f"{person(rng)} {index + 1}",
            "manager": managers[owner]["uid"],
            "email": f"c{index}@firm.example",
            "active": True,
        }
        consultant = log.create(start, rids[owner], "consultant", data)
        own_clients = [c for o, c in clients if o == owner]
        client = rng.choice(own_clients)
        log.create(
            start,
            rids[owner],
            "engagement",
            {
                "client": client["uid"],
                "consultant": consultant["uid"],
                "manager": managers[owner]["uid"],
                "start": start.date().isoformat(),
                "end": None,
                "main_communicator": person(rng),
                "communicator_since": start.date().isoformat(),
                "communicator_role": rng.choice(
                    ["manager", "delivery_lead", "business", "technical"]
                ),
                "unplanned": rng.random() < 0.05,
                "notes": sentence(rng, 3, 15),
            },
        )
        consultant["offset"] = rng.randrange(30)
        consultants.append((owner, consultant))
    days = 365 * scale.years
    for day in range(days):
        when = start + dt.timedelta(days=day, hours=9)
        if when.weekday() >= 5:  # weekend dates move to the Friday before
            when -= dt.timedelta(days=when.weekday() - 4)
        date = when.date().isoformat()
        # pulse conversations: monthly per consultant, spread over working days
        for owner, consultant in consultants:
            if (consultant["offset"] + day) % 30 == 0:
                follow_ups = [
                    {"text": sentence(rng, 3, 10), "done": rng.random() < 0.5, "done_on": None}
                    for _ in range(rng.randint(0, 2))
                ]
                log.create(
                    when + dt.timedelta(minutes=rng.randint(0, 480)),
                    rids[owner],
                    "pulse",
                    {
                        "consultant": consultant["uid"],
                        "manager": managers[owner]["uid"],
                        "date": date,
                        "status": "held",
                        "wellbeing": rng.randint(1, 5),
                        "workload": rng.choice(["too_low", "ok", "ok", "high", "too_high"]),
                        "fit": rng.randint(1, 5),
                        "growth": sentence(rng, 0, 12),
                        "worries": sentence(rng, 0, 12),
                        "notes": sentence(rng, 10, 60),
                        "follow_ups": follow_ups,
                        "private": True,
                    },
                )
        # client meetings with their agenda and agreements
        for owner, client in clients:
            period = {"weekly": 7, "biweekly": 14, "monthly": 30, "quarterly": 91}[
                client["data"]["cadence"]
            ]
            if (client["offset"] + day) % period != 0:
                continue
            rid = rids[owner]
            cuid = client["uid"]
            planned_at = when - dt.timedelta(days=6)
            meeting = log.create(
                planned_at,
                rid,
                "meeting",
                {
                    "client": cuid,
                    "date": date,
                    "time": f"{rng.randint(8, 16):02d}:{rng.choice([0, 30]):02d}",
                    "duration_min": rng.choice([30, 45, 60, 90]),
                    "status": "planned",
                    "attendees": [person(rng) for _ in range(rng.randint(1, 4))],
                    "notes": "",
                },
            )
            held_at = when + dt.timedelta(hours=2)
            log.save(held_at, rid, [set_op("meeting", meeting, "status", "held")])
            log.save(held_at, rid, [set_op("meeting", meeting, "notes", sentence(rng, 10, 50))])
            for item in range(rng.randint(3, 6)):
                added = planned_at + dt.timedelta(hours=item * 7 + rng.randint(0, 5))
                agenda = log.create(
                    added,
                    rid,
                    "agenda",
                    {
                        "client": cuid,
                        "text": sentence(rng, 4, 14),
                        "added_by": person(rng),
                        "added_at": added.isoformat(),
                        "status": "open",
                        "meeting": None,
                    },
                )
                log.save(
                    held_at,
                    rid,
                    [
                        set_op("agenda", agenda, "status", rng.choice(["discussed", "dropped"])),
                        set_op("agenda", agenda, "meeting", meeting["uid"]),
                    ],
                )
            for _ in range(rng.randint(1, 3)):
                created = held_at + dt.timedelta(minutes=5)
                history = {"status": "open", "reason": "", "at": created.isoformat(), "by": ""}
                agreement = log.create(
                    created,
                    rid,
                    "agreement",
                    {
                        "client": cuid,
                        "meeting": meeting["uid"],
                        "text": sentence(rng, 5, 20),
                        "side": rng.choice(["us", "client"]),
                        "owner": person(rng),
                        "due": (when + dt.timedelta(days=rng.randint(3, 40))).date().isoformat(),
                        "status": "open",
                        "reason": "",
                        "created": date,
                    },
                )
                log.save(
                    created,
                    rid,
                    [
                        {
                            "entity": "agreement",
                            "uid": agreement["uid"],
                            "kind": "append",
                            "field": "history",
                            "value": history,
                        }
                    ],
                )
                if rng.random() < 0.6:
                    closed = created + dt.timedelta(days=rng.randint(2, 40))
                    status = rng.choice(["done", "done", "done", "broken", "cancelled"])
                    reason = "" if status == "done" else sentence(rng, 3, 10)
                    entry = {"status": status, "reason": reason, "at": closed.isoformat(), "by": ""}
                    log.save(
                        closed,
                        rid,
                        [
                            set_op("agreement", agreement, "status", status),
                            set_op("agreement", agreement, "reason", reason),
                            {
                                "entity": "agreement",
                                "uid": agreement["uid"],
                                "kind": "append",
                                "field": "history",
                                "value": entry,
                            },
                        ],
                    )
            if rng.random() < 0.4:
                contact = rng.choice(client["data"]["contacts"])["name"]
                log.create(
                    held_at,
                    rid,
                    "nps",
                    {
                        "client": cuid,
                        "contact": contact,
                        "score": rng.choice([3, 5, 6, 7, 8, 8, 9, 9, 10]),
                        "reason": sentence(rng, 0, 12),
                        "date": date,
                        "manager": managers[owner]["uid"],
                    },
                )
        for owner, client in clients:
            roll = rng.random()
            rid = rids[owner]
            if roll < 0.08:
                log.create(
                    when,
                    rid,
                    "touchpoint",
                    {
                        "client": client["uid"],
                        "kind": rng.choice(
                            ["call", "article", "case", "roadmap", "greeting", "event"]
                        ),
                        "date": date,
                        "note": sentence(rng, 3, 12),
                    },
                )
            elif roll < 0.19:
                log.create(
                    when,
                    rid,
                    "request",
                    {
                        "client": client["uid"],
                        "kind": rng.choice(["support", "wish", "feedback"]),
                        "text": sentence(rng, 4, 16),
                        "date": date,
                        "status": rng.choice(["new", "accepted", "rejected", "done"]),
                        "planned": rng.random() < 0.6,
                        "delivered_early_free": rng.random() < 0.03,
                    },
                )
        if day % 365 == 300:  # the yearly eNPS round
            for _ in range(int(scale.consultants * 0.9)):
                log.create(
                    when,
                    "anon",
                    "enps",
                    {
                        "uid": new_anonymous_uid(),
                        "round": str(when.year),
                        "score": rng.randint(0, 10),
                        "reason": sentence(rng, 0, 15),
                    },
                )
        if day % 7 == 0:
            for owner in range(scale.managers):
                if rng.random() < 0.3:
                    log.create(
                        when,
                        rids[owner],
                        "flag_ack",
                        {
                            "flag": f"pulse-overdue:{rng.choice(consultants)[1]['uid']}",
                            "note": sentence(rng, 2, 8),
                            "date": date,
                            "by": managers[owner]["uid"],
                        },
                    )
    log.stamp()
    return log, rids[0], managers[0]["uid"]


def generate(scale: Scale, target: Path) -> dict[str, Any]:
    """Write the workspace for ``scale`` into ``target`` (replaced if present)."""
    started = time.perf_counter()
    log, my_rid, my_uid = build_firm(scale)
    built = time.perf_counter()
    if target.exists():
        shutil.rmtree(target)
    ensure_private_dir(target)
    ensure_private_dir(target / "journal")
    replica = {"rid": my_rid, "format": STORE_FORMAT, "created_ms": int(time.time() * 1000)}
    write_new_file(target / REPLICA_NAME, orjson.dumps(replica, option=orjson.OPT_INDENT_2))
    saves = log.save_ops()
    Journal(target / "journal").write_new(new_replica_id(), saves)
    atomic_write(target / "local.json", orjson.dumps({"me": my_uid}))
    written = time.perf_counter()
    store = Store.open(target)  # no view yet: replays the journal and checkpoints it
    counts = {name: store.view.count(name) for name in store.view.tables}
    ops = store.report.replayed_ops
    store.close(checkpoint="never")
    info = {
        "scale": scale.name,
        "version": GENERATOR_VERSION,
        "records": sum(counts.values()),
        "counts": counts,
        "ops": ops,
        "saves": len(saves),
        "journal_bytes": (target / "journal" / JOURNAL_NAME).stat().st_size,
        "view_bytes": (target / "pulsetui.json").stat().st_size,
        "seconds": {
            "build": round(built - started, 1),
            "write": round(written - built, 1),
            "view": round(time.perf_counter() - written, 1),
        },
    }
    atomic_write(target / "bench-info.json", orjson.dumps(info, option=orjson.OPT_INDENT_2))
    return info


def _refresh_view(target: Path) -> None:
    """A cached workspace whose view an older pulsetui wrote is opened for writing
    once, so its view is rebuilt and saved before anything is measured."""
    probe = Store.open(target, readonly=True)
    if probe.report.view != "loaded" or probe.report.replayed_ops:
        print(f"refreshing the view of {target} ...", file=sys.stderr, flush=True)
        Store.open(target).close()


def ensure(scale_name: str, force: bool = False) -> Path:
    """The cached workspace for ``scale_name``, generated if missing or outdated."""
    target = OUT / scale_name
    info_path = target / "bench-info.json"
    if not force and info_path.exists():
        info = orjson.loads(info_path.read_bytes())
        if info.get("version") == GENERATOR_VERSION:
            _refresh_view(target)
            return target
    OUT.mkdir(exist_ok=True)
    print(f"generating {scale_name} in {target} ...", file=sys.stderr, flush=True)
    info = generate(SCALES[scale_name], target)
    print(
        f"  {info['records']:,} records, {info['ops']:,} ops, journal "
        f"{info['journal_bytes'] / 1e6:.0f} MB, view {info['view_bytes'] / 1e6:.0f} MB, "
        f"{info['seconds']}",
        file=sys.stderr,
        flush=True,
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), action="append")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args()
    os.umask(0o077)
    for name in args.scale or list(SCALES):
        ensure(name, force=args.force)


if __name__ == "__main__":
    main()
