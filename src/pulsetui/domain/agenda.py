"""Agenda topics: items added with the same words are one topic to talk about."""

from __future__ import annotations

import unicodedata


def topic_key(text: object) -> str:
    """An agenda item's text as compared: the same words in any case, spacing or Unicode
    form are one topic (two people may add the same item, e.g. on two replicas)."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())
