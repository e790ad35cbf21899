"""Whether a pulse conversation holds anything: a score, the workload, words or a
promise. Only such a conversation was held; one the form created and that was emptied
again before leaving is not kept (it would reset the consultant's pulse clock)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ANSWERS = ("wellbeing", "workload", "fit", "growth", "worries", "notes", "follow_ups")


def has_content(values: Mapping[str, Any]) -> bool:
    """True when one of the answers is given: text that is not only blanks, a score, a
    workload, a follow-up."""
    return any(_given(values.get(name)) for name in ANSWERS)


def _given(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)
