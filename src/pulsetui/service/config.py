"""Configuration: a TOML file in the user config dir, overridden by environment
variables and then by command-line flags, validated into one model."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pulsetui.domain.errors import InvalidInput, from_validation_error
from pulsetui.service.paths import config_path


def _no_booleans(value: Any) -> Any:
    # TOML `true` would otherwise be read as the number 1.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


class Cadences(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pulse_due_days: Annotated[int, Field(ge=7, le=90)] = 28
    pulse_overdue_days: Annotated[int, Field(ge=7, le=180)] = 42
    meeting_grace_days: Annotated[int, Field(ge=0, le=60)] = 7

    _numbers = field_validator("*", mode="before")(_no_booleans)

    @model_validator(mode="after")
    def _due_before_overdue(self) -> Cadences:
        if self.pulse_due_days >= self.pulse_overdue_days:
            raise ValueError(
                f"pulse_due_days ({self.pulse_due_days}) must be less than "
                f"pulse_overdue_days ({self.pulse_overdue_days})"
            )
        return self


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enps_min_answers: Annotated[int, Field(ge=3, le=10)] = 5
    communicator_max_months: Annotated[int, Field(ge=1, le=60)] = 12
    nps_directional_below: Annotated[int, Field(ge=1, le=1000)] = 10
    feedback_unprocessed_days: Annotated[int, Field(ge=1, le=365)] = 14

    _numbers = field_validator("*", mode="before")(_no_booleans)


class SyncSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shared: str | None = None
    personal: str | None = None
    interval_seconds: Annotated[float, Field(ge=1, le=3600)] = 5.0


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    me: str | None = None
    cadences: Cadences = Field(default_factory=Cadences)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    keys: dict[str, str] = Field(default_factory=dict)

    source: Path | None = Field(default=None, exclude=True)


ENV_OVERRIDES: dict[str, tuple[str, ...]] = {
    "PULSETUI_ME": ("me",),
    "PULSETUI_SHARED": ("sync", "shared"),
    "PULSETUI_PERSONAL": ("sync", "personal"),
    "PULSETUI_ENPS_MIN": ("thresholds", "enps_min_answers"),
}


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Read the config file (if any), apply environment and flag overrides, validate.

    Raises :class:`InvalidInput` naming the file, the field and the rule."""
    path = path or config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput.one(f"config {path}", f"is not valid TOML: {exc}") from None
        except OSError as exc:
            raise InvalidInput.one(
                f"config {path}", f"cannot be read: {exc.strerror or exc}"
            ) from None
    for env, keys in ENV_OVERRIDES.items():
        value = os.environ.get(env)
        if value:
            _put(data, keys, value)
    for dotted, value in (overrides or {}).items():
        if value is not None:
            _put(data, tuple(dotted.split(".")), value)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = from_validation_error(exc).problems
        for problem in problems:
            object.__setattr__(problem, "field", f"config {problem.field}")
        raise InvalidInput(problems) from None
    config.source = path if path.exists() else None
    return config


def _put(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        inner = data.setdefault(key, {})
        if not isinstance(inner, dict):
            return  # the file's own wrong value is reported by validation
        data = inner
    data[keys[-1]] = value
