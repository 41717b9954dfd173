from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.services.agenda import cadence_days, days_past_cadence
from bot.services.money import AmountError, format_money, parse_amount
from storage.dto import Tier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 250 000,50", "1250000.50"),
        ("1\u00a0250\u00a0000", "1250000.00"),
        ("1,250,000.50", "1250000.50"),
        ("99500.5", "99500.50"),
        ("0", "0.00"),
        ("1250 ₽", "1250.00"),
    ],
)
def test_parse_amount(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["a lot", "-5", "1.005", "", "1e3x", "NaN", "inf"])
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(text)


def test_format_money_per_locale() -> None:
    assert format_money(Decimal("1250000"), "RUB", "ru") == "1\u00a0250\u00a0000,00\u00a0₽"
    assert format_money(Decimal("1250000.5"), "RUB", "en") == "1,250,000.50\u00a0₽"
    assert format_money(Decimal("-3.1"), "USD", "en") == "\u22123.10\u00a0$"


def test_cadence_from_settings_and_days_past() -> None:
    cadence = cadence_days({"cadence_a_days": 14, "cadence_b_days": 30, "cadence_c_days": 60})
    today = date(2026, 11, 23)
    assert days_past_cadence(date(2026, 11, 9), Tier.A, cadence, today) == 0  # exactly due
    assert days_past_cadence(date(2026, 11, 8), Tier.A, cadence, today) == 1
    assert days_past_cadence(date(2026, 11, 8), Tier.B, cadence, today) == -15
    assert cadence_days({"cadence_a_days": 7})[Tier.A] == 7
