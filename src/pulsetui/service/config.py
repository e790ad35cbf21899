"""Configuration: a TOML file in the user config dir, overridden by environment
variables and then by command-line flags, validated into one model.

Every setting carries a description (shown by ``pulsetui config`` and written into
the file ``pulsetui config --init`` makes). ``[keys]`` takes ids of the key table and
key names checked by :mod:`pulsetui.service.keymap`; ``[ui] theme`` one of the themes
Textual ships (:data:`THEMES`), checked here without importing Textual."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pulsetui.domain.errors import InvalidInput, from_validation_error
from pulsetui.service.keymap import check_key_id, normalize_keys
from pulsetui.service.paths import config_path
from pulsetui.service.timezones import zone_named

# The themes Textual 8.2 ships (``textual.theme.BUILTIN_THEMES``), kept here so that
# reading the config never imports Textual; a test checks the two lists agree.
THEMES: tuple[str, ...] = (
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "textual-dark",
    "textual-light",
    "tokyo-night",
)
DEFAULT_THEME = "textual-dark"


def _no_booleans(value: Any) -> Any:
    # TOML `true` would otherwise be read as the number 1.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


class Cadences(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pulse_due_days: Annotated[
        int, Field(ge=7, le=90, description="days after the last pulse held until the next is due")
    ] = 28
    pulse_overdue_days: Annotated[
        int, Field(ge=7, le=180, description="days after the last pulse held until it is overdue")
    ] = 42
    meeting_grace_days: Annotated[
        int, Field(ge=0, le=60, description="days a client meeting may slip past its cadence")
    ] = 7

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

    enps_min_answers: Annotated[
        int, Field(ge=3, le=10, description="fewest eNPS answers a round shows results for")
    ] = 5
    communicator_max_months: Annotated[
        int, Field(ge=1, le=60, description="months one main communicator may stay before a flag")
    ] = 12
    nps_directional_below: Annotated[
        int, Field(ge=1, le=1000, description="NPS from fewer answers is marked directional")
    ] = 10
    feedback_unprocessed_days: Annotated[
        int, Field(ge=1, le=365, description="days client feedback may wait before a flag")
    ] = 14
    # 2 of 5 is "not well" (3 is neutral), and two pulses in a row are two months: one
    # bad month is not yet a pattern, a second one is worth a conversation now
    squeezed_wellbeing: Annotated[
        int,
        Field(
            ge=1,
            le=4,
            description="wellbeing (1-5) at or below which a pulse counts as strained",
        ),
    ] = 2
    squeezed_pulses: Annotated[
        int,
        Field(
            ge=1,
            le=12,
            description="strained pulses in a row (low wellbeing or workload too high) "
            "that flag a squeezed consultant",
        ),
    ] = 2

    _numbers = field_validator("*", mode="before")(_no_booleans)


class SyncSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shared: str | None = Field(
        default=None,
        description="the team's shared sync folder",
        json_schema_extra={"example": "~/Sync/team"},
    )
    personal: str | None = Field(
        default=None,
        description="a folder only your own devices share (private pulse notes)",
        json_schema_extra={"example": "~/Sync/me"},
    )
    interval_seconds: Annotated[
        float, Field(ge=1, le=3600, description="seconds between background syncs in the app")
    ] = 5.0


class UiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    theme: str = Field(
        default=DEFAULT_THEME, description="the app's colour theme (one of Textual's themes)"
    )

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        if value not in THEMES:
            raise PydanticCustomError(
                "theme",
                "is not a theme of the app (one of {themes})",
                {"themes": ", ".join(THEMES)},
            )
        return value


class CalendarSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str | None = Field(
        default=None,
        description="the IANA time zone meeting times are in (default: the system's)",
        json_schema_extra={"example": "Europe/Helsinki"},
    )
    reminder_minutes: Annotated[
        int,
        Field(ge=0, le=10080, description="minutes before a meeting an invite reminds (0: none)"),
    ] = 0

    _numbers = field_validator("reminder_minutes", mode="before")(_no_booleans)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if zone_named(value) is None:
            raise PydanticCustomError("timezone", "is not a time zone name like Europe/Helsinki")
        return value.strip()


def _key_id(value: str) -> str:
    try:
        return check_key_id(value)
    except ValueError as exc:
        raise PydanticCustomError("key_id", str(exc)) from None


def _key_names(value: str) -> str:
    try:
        return normalize_keys(value)
    except ValueError as exc:
        raise PydanticCustomError("key_name", "{why}", {"why": str(exc)}) from None


KeyId = Annotated[str, AfterValidator(_key_id)]
KeyNames = Annotated[str, AfterValidator(_key_names)]


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    me: str | None = Field(
        default=None,
        description="your name as a manager, for a new workspace (else your login name)",
        json_schema_extra={"example": "Liisa Mäkinen"},
    )
    cadences: Cadences = Field(default_factory=Cadences)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    keys: dict[KeyId, KeyNames] = Field(
        default_factory=dict, description="keys of the app remapped by id"
    )

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
    data = read_config_file(path)
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


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings written in the config file at ``path`` (none if there is no file),
    not yet validated. Raises :class:`InvalidInput` when it is not TOML or unreadable."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput.one(f"config {path}", f"is not valid TOML: {exc}") from None
    except OSError as exc:
        raise InvalidInput.one(f"config {path}", f"cannot be read: {exc.strerror or exc}") from None


def _put(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        inner = data.setdefault(key, {})
        if not isinstance(inner, dict):
            return  # the file's own wrong value is reported by validation
        data = inner
    data[keys[-1]] = value
