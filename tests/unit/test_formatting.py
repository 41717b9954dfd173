"""bot.services.formatting in both languages, and its agreement with Babel (CLDR) and with
the numbers Fluent writes into the catalogues' texts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

import pytest
from babel.numbers import format_decimal, format_percent

from bot.runtime.i18n import Translator
from bot.services import formatting as fmt
from bot.services.money import format_money


@cache
def _translator() -> Translator:
    return Translator()


NB = "\u00a0"
MINUS = "\u2212"
D = Decimal


def test_numbers_group_and_decimal_signs() -> None:
    assert fmt.number(1300, "ru") == f"1{NB}300"
    assert fmt.number(1300, "en") == "1,300"
    assert fmt.number(0, "ru") == "0"
    assert fmt.number(D("1234567.891"), "ru") == f"1{NB}234{NB}567,891"
    assert fmt.number(D("1234567.891"), "en") == "1,234,567.891"
    assert fmt.number(D("12.50"), "ru") == "12,5"  # the places it has, trailing zero dropped
    assert fmt.number(D("12.5"), "ru", decimals=2) == "12,50"
    assert fmt.number(D("1E+3"), "en") == "1,000"  # never scientific notation


def test_negative_numbers_take_a_real_minus() -> None:
    assert fmt.number(-4000, "ru") == f"{MINUS}4{NB}000"
    assert fmt.money(D("-4000"), "RUB", "ru") == f"{MINUS}4{NB}000,00{NB}₽"
    assert fmt.money(D("-3.1"), "USD", "en") == f"{MINUS}3.10{NB}$"
    assert fmt.percent(D("-40"), "ru") == f"{MINUS}40{NB}%"
    # Rounding to nothing leaves no sign on nothing.
    assert fmt.money(D("-0.004"), "RUB", "ru") == f"0,00{NB}₽"
    assert fmt.percent(D("-0.04"), "en", signed=True) == "0%"


def test_money_two_decimals_half_up_and_the_sign() -> None:
    assert fmt.money(D("1250000"), "RUB", "ru") == f"1{NB}250{NB}000,00{NB}₽"
    assert fmt.money(D("1250000"), "RUB", "en") == f"1,250,000.00{NB}₽"
    assert fmt.money(D("0"), "RUB", "ru") == f"0,00{NB}₽"
    assert fmt.money(D("0.005"), "RUB", "ru") == f"0,01{NB}₽"  # half up, not to even
    assert fmt.money(D("2.675"), "RUB", "en") == f"2.68{NB}₽"
    assert fmt.money(D("265776.7"), "RUB", "ru") == f"265{NB}776,70{NB}₽"
    assert fmt.money(D("10"), "GBP", "en") == f"10.00{NB}GBP"  # an unknown sign: its code
    # The old name delegates: one formatter.
    assert format_money(D("1234.5"), "RUB", "ru") == fmt.money(D("1234.5"), "RUB", "ru")


def test_document_money_for_letters() -> None:
    assert fmt.document_money(D("1250000.5"), "ru") == "1 250 000,50 руб."
    assert fmt.document_money(D("1250000.5"), "en") == "1,250,000.50 RUB"
    assert fmt.document_money(D("-40"), "ru") == "-40,00 руб."


def test_percent_one_decimal_half_up_trailing_zero_dropped() -> None:
    assert fmt.percent(D("87.6"), "ru") == f"87,6{NB}%"
    assert fmt.percent(D("87.6"), "en") == "87.6%"
    assert fmt.percent(D("10.0"), "ru") == f"10{NB}%"
    assert fmt.percent(0, "ru") == f"0{NB}%"
    assert fmt.percent(0, "en") == "0%"
    assert fmt.percent(D("82.66"), "ru") == f"82,7{NB}%"
    assert fmt.percent(D("2.45"), "ru") == f"2,5{NB}%"  # half up, not to even
    assert fmt.percent(D("0.04"), "en") == "0%"
    assert fmt.percent(D("1234.5"), "ru") == f"1{NB}234,5{NB}%"


def test_signed_percent() -> None:
    assert fmt.percent(D("7"), "ru", signed=True) == f"+7{NB}%"
    assert fmt.percent(D("7"), "en", signed=True) == "+7%"
    assert fmt.percent(D("-3.5"), "ru", signed=True) == f"{MINUS}3,5{NB}%"
    assert fmt.percent(0, "ru", signed=True) == f"0{NB}%"


def test_quantities_up_to_three_decimals() -> None:
    assert fmt.quantity(D("1300"), None, "ru") == f"1{NB}300"
    assert fmt.quantity(D("12.500"), "кг", "ru") == f"12,5{NB}кг"
    assert fmt.quantity(D("10.000"), "кг", "en") == f"10{NB}кг"
    assert fmt.quantity(D("0.125"), None, "ru") == "0,125"
    assert fmt.quantity(D("0.0005"), None, "en") == "0.001"  # half up at the third place
    assert fmt.quantity(D("1234.567"), None, "en") == "1,234.567"


def test_dates_and_moments() -> None:
    assert fmt.day(date(2026, 11, 3), "ru") == "03.11.2026"
    assert fmt.day(date(2026, 11, 3), "en") == "03.11.2026"  # what the bot reads back
    assert fmt.day(date(987, 1, 2), "ru") == "02.01.0987"
    noon = datetime(2026, 11, 23, 9, 5, tzinfo=UTC)
    assert fmt.moment(noon, "Europe/Moscow", "ru") == "23.11.2026 12:05"
    assert fmt.moment(noon, "Asia/Vladivostok", "en") == "23.11.2026 19:05"
    assert fmt.day_range(date(2026, 11, 23), date(2026, 11, 29), "ru") == "23.11–29.11.2026"
    assert fmt.day_range(date(2026, 12, 28), date(2027, 1, 3), "en") == "28.12.2026–03.01.2027"
    assert fmt.day_range(date(2026, 12, 28), date(2026, 12, 28), "ru") == "28.12.2026"


def test_an_unknown_locale_reads_as_russian() -> None:
    assert fmt.money(D("1000"), "RUB", "xx") == fmt.money(D("1000"), "RUB", "ru")


NUMBERS = [D("0"), D("7"), D("1300"), D("-1300"), D("1234567.891"), D("-0.5"), D("1000000")]


@pytest.mark.parametrize("locale", ["ru", "en"])
@pytest.mark.parametrize("value", NUMBERS)
def test_numbers_agree_with_babel(locale: str, value: Decimal) -> None:
    """Separators as CLDR writes them; only the minus differs on purpose (U+2212)."""
    ours = fmt.number(value, locale).replace(MINUS, "-")
    assert ours == format_decimal(value, format="#,##0.###", locale=locale)


@pytest.mark.parametrize("locale", ["ru", "en"])
@pytest.mark.parametrize("value", [D("0"), D("87.6"), D("10"), D("0.4"), D("-3.5"), D("1234.5")])
def test_percentages_agree_with_babel(locale: str, value: Decimal) -> None:
    """The locale's percent pattern (`87,6 %`, `87.6%`) with at most one decimal."""
    ours = fmt.percent(value, locale).replace(MINUS, "-")
    babel = format_percent(value / 100, format=None, locale=locale, decimal_quantization=False)
    # Babel's pattern has no decimals; with decimal_quantization off it keeps the value's.
    assert ours == babel


@pytest.mark.parametrize("locale", ["ru", "en"])
@pytest.mark.parametrize("value", [0, 1, 21, 999, 1000, 1300, 1234567])
def test_fluent_writes_integers_as_the_formatter_does(locale: str, value: int) -> None:
    """Counts passed to the catalogues as ints (for their plural forms) come out as
    formatting.number writes them: no screen mixes `1300` with `1 300`."""
    l10n = _translator().get(locale)
    assert l10n("clients-title", total=value).endswith(fmt.number(value, locale))


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_decimals_and_negative_counts_reach_fluent_as_formatted_text(locale: str) -> None:
    l10n = _translator().get(locale)
    assert l10n("clients-title", total=D("12.50")).endswith(fmt.number(D("12.5"), locale))
    assert l10n("clients-title", total=-1300).endswith(fmt.number(-1300, locale))
    assert MINUS in fmt.number(-1300, locale)


@pytest.mark.parametrize(
    ("days", "ru", "en"),
    [
        (1, "1 день", "1 day"),
        (2, "2 дня", "2 days"),
        (5, "5 дней", "5 days"),
        (11, "11 дней", "11 days"),
        (21, "21 день", "21 days"),
        (22, "22 дня", "22 days"),
        (1300, f"1{NB}300 дней", "1,300 days"),
    ],
)
def test_plural_forms_come_from_the_catalogues(days: int, ru: str, en: str) -> None:
    translator = _translator()
    assert translator.get("ru")("agenda-overdue", days=days) == f"просрочено на {ru}"
    assert translator.get("en")("agenda-overdue", days=days) == f"overdue by {en}"
