"""Business settings: rules admins tune in the chat, with defaults, types and validation.

They are not environment variables (DESIGN.md, "Configuration"): stored as text in the
settings table, every change audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.services.local_time import QuietHours
from storage.repositories import Repos


class SettingValueError(ValueError):
    """The typed value does not fit the setting; `hint` is a translation key."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


def _positive_int(maximum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise SettingValueError("setting-error-positive-int") from None
        if not 1 <= value <= maximum:
            raise SettingValueError("setting-error-positive-int")
        return value

    return parse


def _hour(text: str) -> int:
    try:
        value = int(text.strip().split(":")[0])
    except ValueError:
        raise SettingValueError("setting-error-hour") from None
    if not 0 <= value <= 23:
        raise SettingValueError("setting-error-hour")
    return value


def _quiet_hours(text: str) -> QuietHours:
    try:
        return QuietHours.parse(text)
    except ValueError:
        raise SettingValueError("setting-error-quiet-hours") from None


def _format_quiet(value: Any) -> str:
    quiet: QuietHours = value
    return f"{quiet.start:%H:%M}-{quiet.end:%H:%M}"


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str
    parse: Callable[[str], Any]
    render: Callable[[Any], str] = str


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("invite_ttl_days", "7", _positive_int(90)),
        SettingSpec("quiet_hours", "21:00-08:00", _quiet_hours, _format_quiet),
        SettingSpec("cadence_a_days", "14", _positive_int(365)),
        SettingSpec("cadence_b_days", "30", _positive_int(365)),
        SettingSpec("cadence_c_days", "60", _positive_int(365)),
        SettingSpec("default_digest_hour", "9", _hour),
    )
}


@dataclass(frozen=True)
class BusinessSettings:
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def invite_ttl_days(self) -> int:
        return int(self.values["invite_ttl_days"])

    @property
    def quiet_hours(self) -> QuietHours:
        value: QuietHours = self.values["quiet_hours"]
        return value

    def rendered(self, key: str) -> str:
        return SPECS[key].render(self.values[key])


async def load_settings(repos: Repos) -> BusinessSettings:
    stored = await repos.settings.stored()
    values: dict[str, Any] = {}
    for key, spec in SPECS.items():
        text = stored.get(key, spec.default)
        try:
            values[key] = spec.parse(text)
        except SettingValueError:
            # A value that no longer parses (an older format) falls back to the default.
            values[key] = spec.parse(spec.default)
    return BusinessSettings(values)


async def change_setting(
    repos: Repos, key: str, text: str, *, actor_id: int, now: datetime
) -> BusinessSettings:
    """Validate and store a new value; raises SettingValueError and changes nothing on bad
    input, KeyError for an unknown setting."""
    spec = SPECS[key]
    value = spec.parse(text)
    current = await load_settings(repos)
    await repos.settings.put(
        key, spec.render(value), previous=current.rendered(key), actor_id=actor_id, now=now
    )
    return BusinessSettings({**current.values, key: value})
