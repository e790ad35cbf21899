"""One call to open each form from any screen, key or palette command, and to delete a
record (asking first) or undo the last delete::

    open_client_form(app)                 # a new client
    open_client_form(app, uid)            # change one
    open_record_form(app, "touchpoint", uid)
    open_enps_round_form(app)             # not in a call
    delete_record(app, "request", uid)    # asks; u (undo_delete) brings it back

``then`` is called with the saved record (None when the form was closed); by default
the screen on top reads its data again after a save."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES
from pulsetui.tui.widgets.literal import one_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

Then = Callable[[Any], Any] | None

FORM_KINDS = ("client", "consultant", "engagement", "request", "touchpoint")


def _reload(app: App[Any]) -> None:
    from pulsetui.tui.screens.base import BaseScreen

    screen = app.screen
    if isinstance(screen, BaseScreen) and screen.is_live:
        screen.reload()


def _shown(app: Any, kind: str, uid: str | None) -> bool:
    """Whether the record a form would change may be shown now; in a call one that may
    not (another client's, a consultant placed elsewhere) does not open, and the notice
    says why."""
    from pulsetui.service.views.choices import may_show

    if uid is None or may_show(app.workspace, app.audience, kind, uid):
        return True
    app.notify("Not shown in this call: it is not about the client in view.", timeout=4)
    return False


def _push(app: App[Any], form: Screen[Any], then: Then) -> None:
    def done(result: Any) -> None:
        if then is not None:
            then(result)
        elif result is not None:
            _reload(app)

    app.push_screen(form, done)


def open_client_form(app: App[Any], uid: str | None = None, then: Then = None) -> None:
    from pulsetui.tui.screens.forms.client_form import ClientForm

    if _shown(app, "client", uid):
        _push(app, ClientForm(uid), then)


def open_consultant_form(
    app: App[Any], uid: str | None = None, client: str | None = None, then: Then = None
) -> None:
    from pulsetui.tui.screens.forms.consultant_form import ConsultantForm

    if _shown(app, "consultant", uid):
        _push(app, ConsultantForm(uid, client=client), then)


def open_engagement_form(
    app: App[Any],
    uid: str | None = None,
    client: str | None = None,
    consultant: str | None = None,
    then: Then = None,
) -> None:
    from pulsetui.tui.screens.forms.engagement_form import EngagementForm

    if _shown(app, "engagement", uid):
        _push(app, EngagementForm(uid, client=client, consultant=consultant), then)


def open_request_form(
    app: App[Any], client: str | None = None, uid: str | None = None, then: Then = None
) -> None:
    from pulsetui.tui.screens.forms.request_form import RequestForm

    if _shown(app, "request", uid):
        _push(app, RequestForm(client, uid), then)


def open_touchpoint_form(
    app: App[Any], client: str | None = None, uid: str | None = None, then: Then = None
) -> None:
    from pulsetui.tui.screens.forms.touchpoint_form import TouchpointForm

    if _shown(app, "touchpoint", uid):
        _push(app, TouchpointForm(client, uid), then)


def open_communicator_form(app: App[Any], client: str, then: Then = None) -> None:
    from pulsetui.tui.screens.forms.communicator_form import CommunicatorForm

    _push(app, CommunicatorForm(client), then)


def open_new_form(
    app: App[Any],
    kind: str,
    client: str | None = None,
    consultant: str | None = None,
    then: Then = None,
) -> bool:
    """Open the form for a new record of ``kind`` (``setup``: the guided setup), with the
    client or consultant in view chosen where the form has one; False for a kind without
    a form here."""
    if kind == "client":
        open_client_form(app, then=then)
    elif kind == "consultant":
        open_consultant_form(app, client=client, then=then)
    elif kind == "engagement":
        open_engagement_form(app, client=client, consultant=consultant, then=then)
    elif kind == "request":
        open_request_form(app, client, then=then)
    elif kind == "touchpoint":
        open_touchpoint_form(app, client, then=then)
    elif kind == "setup":
        open_guided_setup(app, then=then)
    elif kind == "enps_round":
        open_enps_round_form(app, then=then)
    else:
        return False
    return True


def open_guided_setup(app: App[Any], then: Then = None) -> None:
    """The guided setup, also on a workspace that is set up already."""
    from pulsetui.tui.screens.forms.first_run import FirstRunScreen

    _push(app, FirstRunScreen(), then)


def open_enps_round_form(app: Any, then: Then = None) -> None:
    """The form that opens an eNPS round; once saved, a notification says until when
    it is open and when its results appear. eNPS is internal: in a call nothing opens
    (and nothing on the shared screen mentions it)."""
    from pulsetui.tui.screens.forms.enps_round_form import EnpsRoundForm

    if not app.audience.sees_internal:
        return

    def opened(state: Any) -> None:
        if state is not None:
            shown = one_line(f"eNPS round {state.name} is {state.status()}.", 200)
            app.notify(shown, timeout=8, markup=False)  # the name as typed, [bold] too
        if then is not None:
            then(state)
        elif state is not None:
            _reload(app)

    _push(app, EnpsRoundForm(), opened)


def open_record_form(app: App[Any], kind: str, uid: str, then: Then = None) -> bool:
    """Open the form that changes one record of ``kind``; False when there is none."""
    if kind == "client":
        open_client_form(app, uid, then=then)
    elif kind == "consultant":
        open_consultant_form(app, uid, then=then)
    elif kind == "engagement":
        open_engagement_form(app, uid, then=then)
    elif kind == "request":
        open_request_form(app, uid=uid, then=then)
    elif kind == "touchpoint":
        open_touchpoint_form(app, uid=uid, then=then)
    else:
        return False
    return True


def _title(app: Any, kind: str, uid: str) -> str:
    doc = app.workspace.doc(kind, uid) or {}
    spec = ENTITIES[kind]
    return one_line(doc.get(spec.title_field, ""), 40)


def delete_record(app: Any, kind: str, uid: str, then: Then = None) -> None:
    """Ask, then delete one record (``u`` brings it back: :func:`undo_delete`). A client
    or consultant other records still refer to is kept, and the message says why."""
    label = ENTITIES[kind].label
    title = _title(app, kind, uid)
    question = f"Delete the {label} “{title}”? (u undoes it)" if title else f"Delete this {label}?"

    def delete() -> None:
        try:
            app.workspace.delete(kind, uid, refuse_if_referenced=kind in ("client", "consultant"))
        except InvalidInput as exc:
            app.notify(one_line(str(exc), 200), severity="error", timeout=6)
            return
        app.notify(f"{label.capitalize()} deleted. u brings it back.", timeout=4)
        if then is not None:
            then(uid)
        else:
            _reload(app)

    app.confirm(question, delete, yes="Delete")


def undo_delete(app: Any, then: Then = None) -> None:
    """Bring back the record deleted last in this session, and say which. Not in a
    call: it may be another client's, and the notice would name it."""
    if app.audience.in_call:
        app.notify("Undo is off in call mode (F2 ends the call).", timeout=4)
        return
    try:
        kind, uid = app.workspace.undo_delete()
    except InvalidInput as exc:
        app.notify(exc.for_field("undo") or str(exc), timeout=3)
        return
    title = _title(app, kind, uid)
    app.notify(f"{ENTITIES[kind].label.capitalize()} “{title}” is back.", timeout=4)
    if then is not None:
        then((kind, uid))
    else:
        _reload(app)
