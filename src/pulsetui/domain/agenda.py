"""Agenda topics: items added with the same words are one topic to talk about."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def topic_key(text: object) -> str:
    """An agenda item's text as compared: the same words in any case, spacing or Unicode
    form are one topic (two people may add the same item, e.g. on two replicas)."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def distinct_topics(texts: Iterable[str]) -> tuple[str, ...]:
    """Agenda lines, each topic once (its first wording kept), in the order given."""
    seen: dict[str, str] = {}
    for text in texts:
        seen.setdefault(topic_key(text), text)
    return tuple(text for key, text in seen.items() if key)
