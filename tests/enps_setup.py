"""eNPS rounds for tests: a round answered while it was open and now published, as a
workspace sees it after syncing with colleagues who answered (the answers are written
the way they arrive from the team's inbox)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pulsetui.domain.enps import RESULTS_AFTER_DAYS, round_uid
from pulsetui.domain.models import EnpsResponse
from pulsetui.service.workspace import Workspace
from pulsetui.store.ids import new_anonymous_uid


def published_round(
    ws: Workspace, name: str, answers: Iterable[int | tuple[int, str]], *, days_ago: int = 0
) -> None:
    """Round ``name`` closed and its results day reached ``days_ago`` days ago, with
    these answers (a score, or a score and a reason)."""
    closes = ws.today() - dt.timedelta(days=RESULTS_AFTER_DAYS + days_ago)
    uid = round_uid(name)
    if ws.store.view.get("enps_round", uid) is None:
        round_record = {"round": name, "closes": closes.isoformat()}
        ws.store.edit("enps_round", uid).create(round_record).commit()
    for answer in answers:
        score, reason = answer if isinstance(answer, tuple) else (answer, "")
        record = ws.validate(
            EnpsResponse,
            {"uid": new_anonymous_uid(), "round": name, "score": score, "reason": reason},
        )
        ws.store.edit("enps", record.uid).create_anonymous(record.fields()).commit()
