"""Business settings: rules admins tune in the chat, with defaults, types and validation.

They are not environment variables (DESIGN.md, "Configuration"): stored as text in the
settings table, every change audited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from bot.services.business_calendar import BusinessCalendar, supported_country
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


def _hours_range(text: str) -> QuietHours:
    try:
        return QuietHours.parse(text)
    except ValueError:
        raise SettingValueError("setting-error-hours-range") from None


def _price_type(text: str) -> str:
    """1C's price type (ВидЦены) by its name, as 1C shows it; "-" syncs no prices."""
    value = " ".join(text.split())
    if not value or len(value) > 100:
        raise SettingValueError("setting-error-price-type")
    return value


def _format_quiet(value: Any) -> str:
    quiet: QuietHours = value
    return f"{quiet.start:%H:%M}-{quiet.end:%H:%M}"


_WORK_WORDS = {"work", "working", "рабочий", "раб", "workday"}
_OFF_WORDS = {"off", "holiday", "выходной", "вых", "dayoff"}


def _calendar_overrides(text: str) -> dict[date, bool]:
    """ "31.12.2026 off; 27.12.2026 work" (or Russian words, or ISO dates); "-" clears."""
    overrides: dict[date, bool] = {}
    for item in text.replace("\n", ";").replace(",", ";").split(";"):
        item = item.strip()
        if not item or item == "-":
            continue
        parts = item.split()
        if len(parts) != 2 or parts[1].lower() not in _WORK_WORDS | _OFF_WORDS:
            raise SettingValueError("setting-error-calendar")
        try:
            day = (
                date.fromisoformat(parts[0])
                if "-" in parts[0]
                else datetime.strptime(parts[0], "%d.%m.%Y").date()  # noqa: DTZ007 - a date
            )
        except ValueError:
            raise SettingValueError("setting-error-calendar") from None
        overrides[day] = parts[1].lower() in _WORK_WORDS
    return overrides


def _format_overrides(value: Any) -> str:
    overrides: dict[date, bool] = value
    if not overrides:
        return "-"
    return "; ".join(
        f"{day:%d.%m.%Y} {'work' if working else 'off'}"
        for day, working in sorted(overrides.items())
    )


def _country(text: str) -> str:
    code = text.strip().upper()
    if not supported_country(code):
        raise SettingValueError("setting-error-country")
    return code


def _basis(text: str) -> str:
    value = text.strip().lower()
    aliases = {"shipped": "shipped", "отгрузки": "shipped", "paid": "paid", "оплаты": "paid"}
    if value not in aliases:
        raise SettingValueError("setting-error-basis")
    return aliases[value]


def _abc_thresholds(text: str) -> tuple[int, int]:
    """ "80/95": class A is the first 80 % of revenue, B up to 95 %, C the rest."""
    parts = text.replace(" ", "").replace(",", "/").split("/")
    try:
        a, b = (int(p) for p in parts)
    except ValueError:
        raise SettingValueError("setting-error-abc") from None
    if not 0 < a < b < 100:
        raise SettingValueError("setting-error-abc")
    return a, b


def _format_abc(value: Any) -> str:
    a, b = value
    return f"{a}/{b}"


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
        SettingSpec("digest_cutoff_hour", "12", _hour),
        SettingSpec("overdue_alert_amount", "100000", _positive_int(10**12)),
        SettingSpec("price_buyers_months", "12", _positive_int(60)),
        SettingSpec("price_reminder_days", "3", _positive_int(60)),
        SettingSpec("claim_internal_days", "10", _positive_int(120)),
        SettingSpec("claim_legal_days", "30", _positive_int(365)),
        SettingSpec("payment_claim_after_days", "30", _positive_int(365)),
        SettingSpec("plan_actual_basis", "shipped", _basis),
        SettingSpec("team_daily_hour", "18", _hour),
        SettingSpec("team_weekly_day", "1", _positive_int(7)),
        SettingSpec("team_weekly_hour", "9", _hour),
        SettingSpec("abc_thresholds", "80/95", _abc_thresholds, _format_abc),
        SettingSpec("churn_drop_percent", "50", _positive_int(100)),
        SettingSpec("churn_silence_factor", "2", _positive_int(10)),
        SettingSpec("calendar_country", "RU", _country),
        SettingSpec("calendar_overrides", "-", _calendar_overrides, _format_overrides),
        # The live 1C sync: every N minutes within the working hours of business days
        # (company time), every M minutes otherwise; documents re-read N days back.
        SettingSpec("erp_sync_minutes", "15", _positive_int(1440)),
        SettingSpec("erp_sync_idle_minutes", "60", _positive_int(1440)),
        SettingSpec("erp_sync_hours", "07:00-21:00", _hours_range, _format_quiet),
        SettingSpec("erp_sync_look_back_days", "45", _positive_int(366)),
        SettingSpec("erp_sync_price_type", "-", _price_type),
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

    def business_calendar(self) -> BusinessCalendar:
        return calendar_for(self.values["calendar_country"], self.values["calendar_overrides"])

    def rendered(self, key: str) -> str:
        return SPECS[key].render(self.values[key])


def calendar_for(country: str, overrides: dict[date, bool]) -> BusinessCalendar:
    return _cached_calendar(country, tuple(sorted(overrides.items())))


@lru_cache(maxsize=8)
def _cached_calendar(country: str, overrides: tuple[tuple[date, bool], ...]) -> BusinessCalendar:
    # Building a year of holidays is not free; settings rarely change.
    return BusinessCalendar(country, dict(overrides))


async def load_settings(repos: Repos) -> BusinessSettings:
    return settings_from(await repos.settings.stored())


def settings_from(stored: Mapping[str, str]) -> BusinessSettings:
    """The settings from their stored text (a read that fetched them with other rows)."""
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
