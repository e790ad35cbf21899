"""The values records are made of (names, free text, ids, scores, times of day, ISO
weeks), the base every record shares, and the rules for what a person types. The rules
apply when a record is added or changed (``model_validate(..., context=INPUT)``), not
when a stored record is read back, so a record written before a rule existed (or by
another version) still opens."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

MAX_TEXT = 4 * 1024 * 1024  # free text: notes may be long, but not unbounded

INPUT = {"input": True}
# an export read back in (``pulsetui import``): the input rules apply, but not one added
# after it may have been written (an e-mail address stored before addresses were checked)
IMPORTED = {"input": True, "imported": True}
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2199, 12, 31)
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"}
_WHOLE_NUMBER = re.compile(r"[ \t\r\n]*([+-]?[0-9]{1,30})[ \t\r\n]*")
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
_UID = re.compile(r"[0-9A-Za-z_-]+")
_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")
# name@example.com: one "@", a dot in the domain, no blanks or control characters
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f.]+(\.[^@\s\x00-\x1f\x7f.]+)+")


def is_input(info: ValidationInfo) -> bool:
    """Whether the value is being typed in (the input rules apply) or read back."""
    return bool(info.context and info.context.get("input"))


def visible(text: str) -> bool:
    """Whether the text shows anything: not only spaces, control or zero-width marks."""
    return any(unicodedata.category(char) not in _INVISIBLE for char in text)


def whole_number(value: Any) -> Any:
    """Whole numbers as typed: ASCII digits with an optional sign, nothing else
    (no ``1_0``, ``0x7``, ``7.0``, ``1e3``, Arabic or full-width digits); never a bool."""
    if isinstance(value, bool):
        raise PydanticCustomError("whole_number", "must be a whole number, not yes/no")
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    if isinstance(value, str):
        match = _WHOLE_NUMBER.fullmatch(value)
        if match is None:
            raise PydanticCustomError(
                "whole_number", "must be a whole number written with the digits 0-9"
            )
        return int(match.group(1))
    return value


def shows_something(value: str, info: ValidationInfo) -> str:
    if is_input(info) and value and not visible(value):
        raise PydanticCustomError("blank", "must not be blank")
    return value


def email_address(value: str, info: ValidationInfo) -> str:
    imported = bool(info.context and info.context.get("imported"))
    if is_input(info) and not imported and value and not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email", "must be an e-mail address like name@example.com")
    return value


def _time_of_day(value: str) -> str:
    if not _TIME.fullmatch(value):
        raise PydanticCustomError("time_of_day", "must be a time HH:MM from 00:00 to 23:59")
    return value


def _iso_week(value: str) -> str:
    match = _ISO_WEEK.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise PydanticCustomError("iso_week", "must be an ISO week such as 2026-W47") from None
    return value


def _uid_form(value: str) -> str:
    if not _UID.fullmatch(value):
        raise PydanticCustomError(
            "uid_form", "must be an id of letters, digits, '-' and '_' (a ULID)"
        )
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(shows_something),
]
OptName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Email = Annotated[  # empty: not known
    str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(email_address)
]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
NonEmptyText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(shows_something)
]
Uid = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_uid_form)]
Score = Annotated[int, BeforeValidator(whole_number), Field(ge=0, le=10, strict=False)]
OneToFive = Annotated[int, BeforeValidator(whole_number), Field(ge=1, le=5)]
TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
RoundName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(shows_something),
]
IsoWeek = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_iso_week)]


def dates_in_range(value: Any, path: str) -> list[tuple[str, str]]:
    """Dates (also inside lists and nested records) outside the plausible range, as
    (path, date)."""
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return [] if EARLIEST_DAY <= day <= LATEST_DAY else [(path, value.isoformat())]
    if isinstance(value, BaseModel):
        found: list[tuple[str, str]] = []
        for name in type(value).model_fields:
            found += dates_in_range(getattr(value, name), f"{path}.{name}" if path else name)
        return found
    if isinstance(value, list):
        items: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            items += dates_in_range(item, f"{path}.{index}")
        return items
    return []


class Record(BaseModel):
    """Base of every stored record."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)

    entity: ClassVar[str] = ""
    uid: Uid

    @model_validator(mode="after")
    def _plausible_dates(self, info: ValidationInfo) -> Record:
        if is_input(info):
            bad = dates_in_range(self, "")
            if bad:
                raise PydanticCustomError(
                    "date_range",
                    "must be between {first} and {last} (got {got})",
                    {
                        "field": bad[0][0],
                        "first": str(EARLIEST_DAY),
                        "last": str(LATEST_DAY),
                        "got": bad[0][1],
                    },
                )
        return self

    def fields(self) -> dict[str, Any]:
        """The record's stored fields (JSON-ready), without ``uid``."""
        data = self.model_dump(mode="json")
        data.pop("uid", None)
        return data
