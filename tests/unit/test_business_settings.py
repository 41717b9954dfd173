from __future__ import annotations

from datetime import date

import pytest

from bot.services.business_settings import SPECS, SettingValueError, calendar_for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.12.2026 off; 26.12.2026 work", {date(2026, 12, 31): False, date(2026, 12, 26): True}),
        ("2026-12-30 выходной", {date(2026, 12, 30): False}),
        ("-", {}),
        ("", {}),
    ],
)
def test_calendar_overrides_parse(text: str, expected: dict[date, bool]) -> None:
    assert SPECS["calendar_overrides"].parse(text) == expected


@pytest.mark.parametrize(
    "text", ["31.12.2026", "31.13.2026 off", "tomorrow off", "31.12.2026 maybe"]
)
def test_calendar_overrides_reject_bad_input(text: str) -> None:
    with pytest.raises(SettingValueError):
        SPECS["calendar_overrides"].parse(text)


def test_company_overrides_change_the_business_calendar() -> None:
    saturday = date(2026, 12, 26)
    calendar = calendar_for("RU", {saturday: True, date(2026, 12, 30): False})
    assert calendar.is_business_day(saturday)
    assert not calendar.is_business_day(date(2026, 12, 30))
    assert calendar.add_business_days(date(2026, 12, 29), 1) == date(2027, 1, 11)
    assert not calendar_for("RU", {}).is_business_day(saturday)


@pytest.mark.parametrize(
    ("key", "good", "bad"),
    [
        ("invite_ttl_days", "14", "0"),
        ("quiet_hours", "22:00-07:00", "25:00-07:00"),
        ("cadence_a_days", "7", "-3"),
        ("default_digest_hour", "8", "24"),
        ("calendar_country", "kz", "XX"),
    ],
)
def test_each_setting_validates(key: str, good: str, bad: str) -> None:
    SPECS[key].parse(good)
    with pytest.raises(SettingValueError):
        SPECS[key].parse(bad)


def test_defaults_parse() -> None:
    for spec in SPECS.values():
        spec.parse(spec.default)
