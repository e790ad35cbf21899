"""The record book under the workspace: open and close it, sign in, and add, change,
delete, find and query any kind of record, validated. The use cases (pulses, meetings,
agreements, NPS) are in :mod:`pulsetui.service.workspace`. Nothing here imports a UI toolkit."""

from __future__ import annotations

import builtins
import datetime as dt
import getpass
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Self, TypeVar

import orjson
from pydantic import ValidationError

from pulsetui.domain.dates import check_happened
from pulsetui.domain.errors import InvalidInput, from_validation_error
from pulsetui.domain.models import (
    ENTITIES,
    INPUT,
    Manager,
    Record,
)
from pulsetui.domain.names import Fit, chosen, ranked_fits
from pulsetui.domain.names import loose_key as loose_key  # the demo builder's import
from pulsetui.service.config import Config, load_config
from pulsetui.service.local_file import LOCAL_NAME as LOCAL_NAME
from pulsetui.service.local_file import read_local, system_clock
from pulsetui.service.paths import resolve_home
from pulsetui.store.fsutil import atomic_write
from pulsetui.store.ids import new_ulid
from pulsetui.store.store import Store
from pulsetui.store.view import public_fields

R = TypeVar("R", bound=Record)
EXPORT_FORMAT = "pulsetui-export"
EXPORT_VERSION = 1


class UnreadableRecord(ValueError):
    """A stored record this version cannot read even with defaults for bad fields."""

    def __init__(self, entity: str, uid: str, fields: builtins.list[str]) -> None:
        self.entity, self.uid, self.fields = entity, uid, fields
        super().__init__(f"{entity} {uid}: unreadable fields {', '.join(fields)}")


class RecordBook:
    """One manager's records: the store, the configuration and who "me" is."""

    def __init__(self, store: Store, config: Config, clock: Callable[[], dt.datetime]) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.me: str | None = None  # uid of the signed-in manager
        # (entity, uid) -> fields holding values this version could not read
        self.unreadable: dict[tuple[str, str], builtins.list[str]] = {}
        self.me_name: str = ""

    # ---- lifecycle ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        home: str | Path | None = None,
        *,
        me: str | None = None,
        readonly: bool = False,
        config: Config | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        app: bool = False,
    ) -> Self:
        """Open (creating if need be) the workspace at ``home``; ``app``: for the
        manager's app, of which one at a time may have it open (commands may too).

        ``me`` (from ``--as``) signs in as that manager, creating the record if the
        workspace has none by that name; otherwise the workspace's own manager, else
        ``PULSETUI_ME``, the config file, or the login name."""
        path = resolve_home(home)
        store = Store.open(path, readonly=readonly, app=app)
        try:
            ws = cls(store, config or load_config(), clock or system_clock)
            ws._sign_in(me)
        except BaseException:
            store.close(checkpoint="never")
            raise
        return ws

    def close(self, checkpoint: str = "always") -> None:
        self.store.close(checkpoint=checkpoint)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(checkpoint="if_large")

    @property
    def home(self) -> Path:
        return self.store.home

    def on_change(self, listener: Callable[[builtins.list[dict[str, Any]]], None]) -> None:
        """Call ``listener`` with the ops of every change committed from now on (a save
        here, or ops sync brought in), on the thread that committed it."""
        self.store.listeners.append(listener)

    def off_change(self, listener: Callable[[builtins.list[dict[str, Any]]], None]) -> None:
        """Stop calling a listener given to :meth:`on_change` (no error if it was not)."""
        if listener in self.store.listeners:
            self.store.listeners.remove(listener)

    def _local(self) -> dict[str, Any]:
        return read_local(self.home)

    def _sign_in(self, name: str | None) -> None:
        local = self._local()
        if name is None and local.get("me"):
            found = self.get(Manager, local["me"])
            if found is not None:
                self.me, self.me_name = found.uid, found.name
                return
        wanted = name or os.environ.get("PULSETUI_ME") or self.config.me or _login_name()
        wanted = wanted.strip()
        if not wanted:
            raise InvalidInput.one("as", "the manager's name must not be empty")
        existing = self._by_name(Manager, wanted)
        if existing is not None:
            manager = existing
        elif self.store.readonly:
            self.me, self.me_name = None, wanted
            return
        else:
            try:
                manager = self.add(Manager, name=wanted)
            except InvalidInput as exc:  # the name came from --as / PULSETUI_ME / config
                raise InvalidInput.one("as", exc.for_field("name") or str(exc)) from None
        self.me, self.me_name = manager.uid, manager.name
        if not self.store.readonly and local.get("me") != manager.uid:
            local["me"] = manager.uid
            atomic_write(self.home / LOCAL_NAME, orjson.dumps(local))

    # ---- time -----------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.clock().date()

    # ---- generic record access --------------------------------------------------------

    @staticmethod
    def _spec_name(kind: type[Record] | str) -> str:
        name = kind if isinstance(kind, str) else kind.entity
        if name not in ENTITIES:
            raise InvalidInput.one("kind", f"unknown record kind {name!r}")
        return name

    def _model(self, kind: type[R] | str) -> type[R]:
        return ENTITIES[self._spec_name(kind)].model  # type: ignore[return-value]

    def _to_record(self, kind: type[R] | str, doc: dict[str, Any]) -> R:
        model = self._model(kind)
        try:
            return model.model_validate(public_fields(doc))
        except ValidationError as exc:
            return self._salvage(model, doc, exc)

    def _salvage(self, model: type[R], doc: dict[str, Any], exc: ValidationError) -> R:
        """Read a record holding a value this version cannot accept (written by a
        buggy or newer peer): the bad fields fall back to their defaults and the
        record is listed in :attr:`unreadable`; without defaults it is skipped."""
        bad = {str(err["loc"][0]) for err in exc.errors() if err.get("loc")}
        self.unreadable[(model.entity, doc["uid"])] = sorted(bad)
        kept = {k: v for k, v in public_fields(doc).items() if k not in bad}
        try:
            return model.model_validate(kept)
        except ValidationError:
            raise UnreadableRecord(model.entity, doc["uid"], sorted(bad)) from None

    def _records(self, kind: type[R] | str, docs: Iterable[dict[str, Any]]) -> builtins.list[R]:
        """Records from raw docs, skipping any this version cannot read at all."""
        records = []
        for doc in docs:
            try:
                records.append(self._to_record(kind, doc))
            except UnreadableRecord:
                continue
        return records

    def get(self, kind: type[R] | str, uid: str) -> R | None:
        doc = self.store.view.get(self._spec_name(kind), uid)
        if doc is None:
            return None
        try:
            return self._to_record(kind, doc)
        except UnreadableRecord:
            return None

    def require(self, kind: type[R] | str, uid: str) -> R:
        record = self.get(kind, uid)
        if record is None:
            name = self._spec_name(kind)
            raise InvalidInput.one(name, f"no {ENTITIES[name].label} with id {uid!r}")
        return record

    def doc(self, kind: type[Record] | str, uid: str) -> dict[str, Any] | None:
        """One raw current record (no model validation), or None: the fast path the
        service's views read through; front-ends read records with :meth:`get`."""
        return self.store.view.get(self._spec_name(kind), uid)

    def exists(self, kind: type[Record] | str, uid: str | None) -> bool:
        """Whether a current record of this kind has this uid."""
        return bool(uid) and self.store.view.get(self._spec_name(kind), str(uid)) is not None

    def client_of(self, kind: type[Record] | str, uid: str | None) -> str | None:
        """The client a record is about: the client itself, or the one it refers to;
        None when it is gone or about no client."""
        name = self._spec_name(kind)
        doc = self.store.view.get(name, uid) if uid else None
        if doc is None:
            return None
        found = doc["uid"] if name == "client" else doc.get("client")
        return str(found) if found else None

    def docs(self, kind: type[Record] | str, **refs: str) -> Iterator[dict[str, Any]]:
        """Raw current records (no model validation): the fast path for big lists."""
        name = self._spec_name(kind)
        view = self.store.view
        if refs:
            (field, value), *rest = refs.items()
            for doc in view.by_ref(name, field, value):
                if all(doc.get(f) == v for f, v in rest):
                    yield doc
        else:
            yield from view.docs(name)

    def list(
        self,
        kind: type[R] | str,
        where: Callable[[R], bool] | None = None,
        **refs: str,
    ) -> builtins.list[R]:
        """Records of one kind; ``refs`` filter on indexed references (client=uid)."""
        records = self._records(kind, self.docs(kind, **refs))
        if where is not None:
            records = [r for r in records if where(r)]
        return records

    def count(self, kind: type[Record] | str) -> int:
        return self.store.view.count(self._spec_name(kind))

    def query(self, kind: type[Record] | str, condition: Any) -> builtins.list[dict[str, Any]]:
        """A TinyDB query over the view, e.g. ``ws.query('client', where('stage') == ...)``."""
        table = self.store.view.db.table(self._spec_name(kind), cache_size=0)
        return [dict(doc) for doc in table.search(condition)]

    def validate(self, kind: type[R] | str, data: dict[str, Any]) -> R:
        """Validate typed-in data with every input rule (stored records are read back
        without the input rules, so an older record still opens)."""
        try:
            return self._model(kind).model_validate(data, context=INPUT)
        except ValidationError as exc:
            raise from_validation_error(exc) from None

    def _check_refs(self, name: str, values: dict[str, Any]) -> None:
        """Every reference given must name a current record of its kind."""
        for field in ENTITIES[name].refs:
            target = values.get(field)
            if target is not None and self.store.view.get(field, str(target)) is None:
                label = ENTITIES[field].label
                raise InvalidInput.one(field, f"no {label} with id {target!r}")

    def check_unreferenced(self, kind: type[Record] | str, uid: str) -> None:
        """:class:`InvalidInput` listing what still refers to the record, if anything."""
        name = self._spec_name(kind)
        users = self.referrers(name, uid)
        if users:
            listed = ", ".join(
                f"{count} {ENTITIES[k].label}{'' if count == 1 else 's'}"
                for k, count in sorted(users.items())
            )
            raise InvalidInput.one(
                name, f"is still referred to by {listed}; delete or move those first"
            )

    def referrers(self, kind: type[Record] | str, uid: str) -> dict[str, int]:
        """How many current records of each kind refer to this one (kind -> count)."""
        name = self._spec_name(kind)
        found: dict[str, int] = {}
        for spec in ENTITIES.values():
            if name in spec.refs:
                count = sum(1 for _ in self.store.view.by_ref(spec.name, name, uid))
                if count:
                    found[spec.name] = found.get(spec.name, 0) + count
        return found

    def add(self, kind: type[R] | str, /, **fields: Any) -> R:
        """Validate and save a new record; returns it with its uid."""
        name = self._spec_name(kind)
        spec = ENTITIES[name]
        if spec.scope == "anonymous":
            raise InvalidInput.one(name, "anonymous answers are added with add_enps()")
        _refuse_rounds(name)
        uid = fields.pop("uid", None) or new_ulid()
        record = self.validate(kind, {"uid": uid, **fields})
        check_happened(name, getattr(record, "date", None), self.today())
        if self.store.view.raw(name, uid) is not None:
            raise InvalidInput.one("uid", f"a {spec.label} with id {uid} already exists")
        self._check_refs(name, record.fields())
        data = {k: v for k, v in record.fields().items() if k not in spec.appends}
        edit = self.store.edit(name, uid).create(data)
        for field in spec.appends:
            for entry in record.fields().get(field, []):
                edit.append(field, entry)
        edit.commit()
        return self.require(kind, uid)

    def update(self, kind: type[R] | str, uid: str, /, **changes: Any) -> R:
        """Validate and save changed fields (only those that differ)."""
        return self.update_appending(kind, uid, changes, {})

    def update_appending(
        self, kind: type[R] | str, uid: str, changes: dict[str, Any], appends: dict[str, Any]
    ) -> R:
        """:meth:`update`, adding in the same save one entry to each append-only list
        named in ``appends`` (field -> entry as stored)."""
        name = self._spec_name(kind)
        spec = ENTITIES[name]
        if spec.scope == "anonymous" or name == "nps":
            raise InvalidInput.one(name, f"{spec.plural} are append-only; delete and re-add")
        _refuse_rounds(name)
        current = self.require(kind, uid)
        bad = [f for f in changes if f in spec.appends or f == "uid"]
        if bad:
            raise InvalidInput.one(bad[0], "cannot be changed directly")
        merged = {**current.model_dump(), **changes}
        record = self.validate(kind, merged)
        if "date" in changes:
            check_happened(name, getattr(record, "date", None), self.today())
        before, after = current.fields(), record.fields()
        self._check_refs(
            name,
            {f: after.get(f) for f in changes if f in spec.refs and after.get(f) != before.get(f)},
        )
        conflicted = self.store.view.conflicts(name, uid)
        edit = self.store.edit(name, uid)
        for field, value in after.items():
            if field in spec.appends:
                continue
            if before.get(field) == value and not (field in changes and field in conflicted):
                continue
            edit.set(field, value)
        for field, entry in appends.items():
            edit.append(field, entry)
        edit.commit()
        return self.require(kind, uid) if appends else record

    def resolve(self, kind: type[R] | str, uid: str, field: str, value: Any) -> R:
        """Settle a conflicted field with one value (kept, theirs, or merged)."""
        name = self._spec_name(kind)
        current = self.require(kind, uid)
        if field == "uid" or field in ENTITIES[name].appends:
            raise InvalidInput.one(field, "cannot be changed directly")
        record = self.validate(kind, {**current.model_dump(), field: value})
        value_json = record.fields()[field]
        if field in ENTITIES[name].refs and value_json != current.fields().get(field):
            self._check_refs(name, {field: value_json})
        self.store.edit(name, uid).resolve(field, value_json).commit()
        return record

    def conflicts(self, kind: type[Record] | str, uid: str) -> dict[str, builtins.list[Any]]:
        """Fields with concurrent values, each list oldest first (the shown one last)."""
        found = self.store.view.conflicts(self._spec_name(kind), uid)
        return {field: [value for _, value in heads] for field, heads in found.items()}

    def conflicted(self, kind: type[Record] | str) -> set[str]:
        """Uids of records of this kind with at least one conflicted field."""
        return set(self.store.view.conflicted[self._spec_name(kind)])

    def revived(self, kind: type[Record] | str) -> set[str]:
        """Uids of records an edit kept alive against a concurrent delete."""
        return set(self.store.view.revived[self._spec_name(kind)])

    def delete(
        self, kind: type[Record] | str, uid: str, *, refuse_if_referenced: bool = False
    ) -> None:
        """Delete a record. With ``refuse_if_referenced`` a record that others still
        refer to (a client with agreements, a manager with clients) is kept and
        :class:`InvalidInput` lists what refers to it."""
        name = self._spec_name(kind)
        if self.store.view.get(name, uid) is None:
            raise InvalidInput.one(name, f"no {ENTITIES[name].label} with id {uid!r}")
        _refuse_rounds(name)
        if refuse_if_referenced:
            self.check_unreferenced(name, uid)
        self.store.edit(name, uid).delete().commit()

    def restore(self, kind: type[Record] | str, uid: str) -> None:
        """Undo a delete: a fresh write of one field makes the record current again."""
        name = self._spec_name(kind)
        doc = self.store.view.raw(name, uid)
        if doc is None or not doc.get("_d"):
            raise InvalidInput.one(name, f"no deleted {ENTITIES[name].label} with id {uid!r}")
        field = next(
            k for k in public_fields(doc) if k != "uid" and k not in ENTITIES[name].appends
        )
        self.store.edit(name, uid).set(field, doc[field]).commit()

    # ---- finding by name ---------------------------------------------------------------

    def _by_name(self, kind: type[R], name: str) -> R | None:
        """The one record of this name: the same name, else (with none) the same once
        accents and script are set aside (``Juri Tamm`` is "Jüri Tamm")."""
        fits = [(how, doc) for how, doc in self._fits(kind, name) if how <= Fit.EQUAL]
        doc = chosen(fits)
        records = self._records(kind, [doc]) if doc is not None else []
        return records[0] if records else None

    def _fits(self, kind: type[R] | str, text: str) -> builtins.list[tuple[Fit, dict[str, Any]]]:
        """Raw records whose name matches ``text``, ranked (:mod:`pulsetui.domain.names`)."""
        name = self._spec_name(kind)
        title = ENTITIES[name].title_field
        return ranked_fits(
            text,
            builtins.list(self.store.view.docs(name)),
            name=lambda doc: str(doc.get(title, "")),
            uid=lambda doc: str(doc["uid"]),
        )


def _refuse_rounds(name: str) -> None:
    if name == "enps_round":
        raise InvalidInput.one(name, "eNPS rounds are opened with `pulsetui enps open`")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"
