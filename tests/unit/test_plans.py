from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.services.business_calendar import BusinessCalendar
from bot.services.plans import Period, fulfilment, month_of, parse_period, quarter_of

RU = BusinessCalendar("RU")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("11.2026", date(2026, 11, 1), date(2026, 11, 30)),
        ("2.2028", date(2028, 2, 1), date(2028, 2, 29)),
        ("Q4 2026", date(2026, 10, 1), date(2026, 12, 31)),
        ("4 кв 2026", date(2026, 10, 1), date(2026, 12, 31)),
        ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)),
    ],
)
def test_parse_period(text: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize("text", ["13.2026", "Q5 2026", "November", "", "2026"])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        parse_period(text)


def test_periods_of_a_day_and_labels() -> None:
    assert month_of(date(2026, 11, 23)).label == "11.2026"
    assert quarter_of(date(2026, 11, 23)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_of(date(2026, 11, 23)).label == "Q4 2026"


def test_fulfilment_forecast_and_gap_on_business_days() -> None:
    november = month_of(date(2026, 11, 1))  # 20 business days (4.11 is a holiday)
    result = fulfilment(Decimal("2000000"), Decimal("1000000"), november, date(2026, 11, 20), RU)
    assert (result.days_elapsed, result.days_left) == (14, 6)
    assert result.percent == Decimal("50.0")
    assert result.forecast == Decimal("1428571.43")  # 1,000,000 / 14 × 20
    assert result.gap_per_day == Decimal("166666.67")  # 1,000,000 / 6


def test_fulfilment_edges() -> None:
    november = month_of(date(2026, 11, 1))
    before = fulfilment(Decimal("100"), Decimal("0"), november, date(2026, 10, 30), RU)
    assert (before.days_elapsed, before.forecast, before.gap_per_day) == (
        0,
        Decimal("0"),
        Decimal("5.00"),
    )
    made = fulfilment(Decimal("100"), Decimal("150"), november, date(2026, 11, 10), RU)
    assert made.gap_per_day == Decimal("0.00") and made.percent == Decimal("150.0")
    after = fulfilment(Decimal("100"), Decimal("80"), november, date(2026, 12, 5), RU)
    assert (after.days_left, after.forecast, after.gap_per_day) == (
        0,
        Decimal("80.00"),
        Decimal("0.00"),
    )
