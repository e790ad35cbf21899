"""Counting in words: "1 day", "2 days", "1 agenda item", "3 agenda items". Every
count pulsetui writes for a person goes through :func:`counted`, so no "1 days"."""

from __future__ import annotations

# nouns whose plural is not the noun with an "s"
_IRREGULAR = {
    "agenda": "agenda",
    "person": "people",
    "reply": "replies",
    "quarter of the spiral": "quarters of the spiral",
}


def plural(noun: str, n: int) -> str:
    """``noun`` as it reads after the number ``n``."""
    if n == 1 or n == -1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def counted(n: int, noun: str) -> str:
    """``1 day``, ``2 days``, ``0 agreements``."""
    return f"{n} {plural(noun, n)}"


def days_ago(days: int) -> str:
    """``today``, ``1 day ago``, ``5 days ago``, ``2 days ahead``."""
    if days == 0:
        return "today"
    if days < 0:
        return f"{counted(-days, 'day')} ahead"
    return f"{counted(days, 'day')} ago"
