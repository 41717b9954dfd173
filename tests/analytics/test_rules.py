"""The pure rules: ABC classes at their boundaries, ties, returns and zero revenue; churn
by a fall of revenue or by silence, at their boundaries; periods and file names."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from bot.services.analytics import (
    AbcClass,
    churn_reason,
    churn_signal,
    classify,
    fall_percent,
    revenue_fell,
    usual_gap,
)
from bot.services.analytics import abc_period as period_of
from bot.services.export import export_file_name
from bot.services.plans import Period

A, B, C = AbcClass.A, AbcClass.B, AbcClass.C
D = Decimal


def classes(*revenues: str, thresholds: tuple[int, int] = (80, 95)) -> list[AbcClass]:
    items = [(n, f"item {n:02d}", D(r)) for n, r in enumerate(revenues)]
    result = classify(items, thresholds)
    by_key = {i.key: i.abc for i in result.items}
    return [by_key[n] for n in range(len(revenues))]


def test_exactly_80_and_95_percent_close_a_and_b() -> None:
    # Cumulative 50, 80 (exactly: still A), 95 (exactly: still B), 100.
    assert classes("50", "30", "15", "5") == [A, A, B, C]


def test_the_item_crossing_a_boundary_belongs_to_the_better_class() -> None:
    # 70 → 90 crosses 80: A; 90 → 96 crosses 95: B; the rest C.
    assert classes("70", "20", "6", "4") == [A, A, B, C]
    # 79.999 % before an item (80.00 when rounded): still A, shares are compared exactly.
    assert classes("799.99", "200.01") == [A, A]
    assert classes("800.00", "200.00") == [A, B]
    # 80.01 % before the second item: it is B.
    assert classes("80.01", "14.99", "5.00") == [A, B, C]


def test_one_item_beyond_the_b_bound_leaves_no_b() -> None:
    assert classes("96", "3", "1") == [A, C, C]


def test_thresholds_are_configurable() -> None:
    assert classes("50", "30", "15", "5", thresholds=(50, 90)) == [A, B, B, C]
    with pytest.raises(ValueError):  # noqa: PT011
        classify([], (95, 80))


def test_equal_revenues_share_the_class_of_the_first_of_them() -> None:
    # 60 A; the two 20s start at 60 % (< 80): both A, though the second ends at 100 %.
    assert classes("60", "20", "20") == [A, A, A]
    # Starting at exactly 80 %: both B.
    assert classes("80", "10", "10") == [A, B, B]


def test_ties_are_ranked_by_name_then_key() -> None:
    result = classify([(2, "Бета", D("10")), (1, "альфа", D("10")), (3, "Гамма", D("30"))])
    assert [i.name for i in result.items] == ["Гамма", "альфа", "Бета"]


def test_shares_are_of_the_positive_total_and_returns_are_c() -> None:
    result = classify(
        [
            (1, "Up", D("200.00")),
            (2, "Mid", D("100.00")),
            (3, "Zero", D("0")),
            (4, "Ret", D("-50")),
        ]
    )
    assert result.total == D("300.00")
    rows = [(i.name, i.abc, i.share, i.cumulative) for i in result.items]
    assert rows == [
        ("Up", A, D("66.67"), D("66.67")),
        ("Mid", A, D("33.33"), D("100.00")),
        ("Zero", C, D("0.00"), D("100.00")),
        ("Ret", C, D("0.00"), D("100.00")),
    ]
    groups = {g.abc: (g.count, g.revenue, g.share) for g in result.groups}
    assert groups == {
        A: (2, D("300.00"), D("100.00")),
        B: (0, D("0.00"), D("0.00")),
        C: (2, D("-50"), D("0.00")),
    }


def test_no_revenue_at_all_is_empty_and_all_c() -> None:
    result = classify([(1, "a", D("0")), (2, "b", D("-5"))])
    assert result.empty and [i.abc for i in result.items] == [C, C]
    assert classify([]).empty


# --- churn --------------------------------------------------------------------------------

DAY = date(2026, 8, 1)


def days(*offsets: int) -> list[date]:
    return [DAY + timedelta(days=n) for n in offsets]


def test_usual_gap_is_the_median_interval_of_at_least_three_order_days() -> None:
    assert usual_gap(days(0, 10, 30)) == Fraction(15)  # gaps 10, 20
    assert usual_gap(days(0, 10, 20, 50)) == Fraction(10)  # gaps 10, 10, 30
    assert usual_gap(days(0, 10, 31, 40, 45)) == Fraction(19, 2)  # gaps 5, 9, 10, 21
    assert usual_gap(days(0, 10)) is None
    assert usual_gap(days(0, 0, 0, 10)) is None  # one day's orders count once


def test_revenue_fell_by_more_than_the_share_only() -> None:
    assert not revenue_fell(D("500.00"), D("1000.00"), 50)  # exactly 50 %
    assert revenue_fell(D("499.99"), D("1000.00"), 50)
    assert revenue_fell(D("0"), D("1000.00"), 50)
    assert not revenue_fell(D("0"), D("0"), 50)  # no revenue in either window
    assert not revenue_fell(D("0"), D("-10"), 50)
    assert not revenue_fell(D("900"), D("0"), 50)  # growth from nothing
    assert fall_percent(D("400"), D("1000")) == D("60")
    assert fall_percent(D("1200"), D("1000")) == D("0")


def test_silence_beyond_the_factor_times_the_usual_gap_only() -> None:
    ten = Fraction(10)
    kwargs = {"drop_percent": 50, "silence_factor": 2}
    assert churn_reason(D(0), D(0), 20, ten, **kwargs) is None  # exactly 2 × 10
    assert churn_reason(D(0), D(0), 21, ten, **kwargs) == "silence"
    assert churn_reason(D(0), D(0), 21, Fraction(21, 2), **kwargs) is None
    assert churn_reason(D(0), D(0), 22, Fraction(21, 2), **kwargs) == "silence"
    assert churn_reason(D(0), D(0), 500, None, **kwargs) is None  # no usual gap known
    assert churn_reason(D(0), D(0), None, ten, **kwargs) is None
    # Both hold: the fall is the reason given.
    assert churn_reason(D(10), D(100), 50, ten, **kwargs) == "fall"


def test_churn_signal_carries_both_figures() -> None:
    today = DAY + timedelta(days=60)
    signal = churn_signal(
        7,
        "Альфа",
        3,
        recent=D("100.00"),
        previous=D("100.00"),
        last_order=DAY + timedelta(days=31),
        order_days=days(0, 10, 31),  # gaps 10 and 21: usual 15.5, shown as 16
        today=today,
        drop_percent=50,
        silence_factor=1,
    )
    assert signal is not None
    assert (signal.reason, signal.days_since_order, signal.usual_gap_days) == ("silence", 29, 16)
    none = churn_signal(
        7,
        "Альфа",
        3,
        recent=D("100.00"),
        previous=D("100.00"),
        last_order=None,
        order_days=[],
        today=today,
        drop_percent=50,
        silence_factor=1,
    )
    assert none is None


# --- periods and file names ------------------------------------------------------------------


def test_abc_periods_and_export_file_names() -> None:
    today = date(2026, 11, 23)
    assert period_of("p", today) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert period_of("p", date(2026, 2, 1)) == Period(date(2025, 10, 1), date(2025, 12, 31))
    year = period_of("y", today)
    assert year == Period(date(2026, 1, 1), date(2026, 12, 31)) and year.label == "2026"
    with pytest.raises(ValueError):  # noqa: PT011
        period_of("x", today)
    assert export_file_name(period_of("q", today)) == "kam-2026-Q4.xlsx"
    assert export_file_name(period_of("m", today)) == "kam-2026-11.xlsx"
    assert export_file_name(period_of("w", today)) == "kam-2026-W48.xlsx"
    assert export_file_name(year) == "kam-2026.xlsx"
