"""The period a screen names, in the reader's language: Russian texts read «4 кв. 2026» (the
form of 1C and Russian business documents), English ones "Q4 2026"; months, weeks and years
read the same in both. The machine value (callback data, file names) stays `Period.label`."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.formatting import period_label
from bot.services.plans import Period, month_of, parse_period, quarter_of, week_of


@pytest.mark.parametrize(
    ("period", "ru", "en"),
    [
        (quarter_of(date(2026, 11, 23)), "4 кв. 2026", "Q4 2026"),
        (quarter_of(date(2027, 2, 1)), "1 кв. 2027", "Q1 2027"),
        (month_of(date(2026, 11, 23)), "11.2026", "11.2026"),
        (month_of(date(2026, 12, 5)), "12.2026", "12.2026"),
        (week_of(date(2026, 11, 25)), "23.11–29.11.2026", "23.11–29.11.2026"),
        (week_of(date(2026, 12, 30)), "28.12.2026–03.01.2027", "28.12.2026–03.01.2027"),
        (Period(date(2026, 1, 1), date(2026, 12, 31)), "2026", "2026"),
    ],
)
def test_a_period_in_each_language(period: Period, ru: str, en: str) -> None:
    assert (period_label(period, "ru"), period_label(period, "en")) == (ru, en)


def test_the_machine_label_is_unchanged_and_the_russian_one_reads_back() -> None:
    q4 = quarter_of(date(2026, 11, 23))
    assert q4.label == "Q4 2026"  # callback data of /plan and export file names carry it
    assert parse_period(q4.label) == q4
    assert parse_period(period_label(q4, "ru")) == q4  # what a Russian user sees, typed back
