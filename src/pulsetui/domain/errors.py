"""Errors of the domain, with messages that name the field and the rule broken."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is imported only where a validation failed
    from pydantic import ValidationError


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(ValueError):
    """Input that breaks a rule; nothing was written."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldProblem(field, message)])

    def for_field(self, field: str) -> str | None:
        for problem in self.problems:
            if problem.field == field or problem.field.startswith(field + "."):
                return problem.message
        return None


def _describe(err: Any) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    got = err.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
    if len(shown) > 40:
        shown = shown[:37] + "..."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{err['msg'].lower()} (got {shown})"
    if kind in ("int_parsing", "int_type"):
        return f"must be a whole number (got {shown})"
    if kind == "int_from_float":
        return f"must be a whole number, not a fraction (got {shown})"
    if kind == "missing":
        return "is required"
    if kind == "enum":
        return f"must be one of {ctx.get('expected', '')} (got {shown})"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"must be a date like 2026-12-01 (got {shown})"
    if kind in ("datetime_from_date_parsing", "datetime_parsing", "datetime_type"):
        return f"must be a date and time like 2026-12-01T09:30 (got {shown})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_pattern_mismatch":
        return f"has the wrong form (got {shown})"
    if kind == "extra_forbidden":
        return "is not a field of this record"
    if kind == "string_unicode":
        return "must be valid Unicode text (it holds an undecodable byte or a lone surrogate)"
    if kind in ("date_range", "end_before_start"):
        return str(err.get("msg", "is out of range"))
    return f"{err.get('msg', 'is invalid')} (got {shown})"


def from_validation_error(exc: ValidationError) -> InvalidInput:
    problems = []
    for err in exc.errors():
        # "[key]" marks a problem with the key of a table entry: the entry is named
        parts = [str(part) for part in err.get("loc", ()) if part != "[key]"]
        named = (err.get("ctx") or {}).get("field")
        if named:  # a rule over the whole record that names the field it is about
            parts.append(str(named))
        loc = ".".join(parts) or "value"
        problems.append(FieldProblem(loc, _describe(err)))
    return InvalidInput(problems)
