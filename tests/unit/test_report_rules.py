"""The team summary's rules, free of Telegram and the database: key-client coverage at the
cadence boundary, missed next steps in the owner's zone, the most neglected client, the
periods and the days summaries go out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.services.business_settings import SPECS, BusinessSettings, calendar_for
from bot.services.plans import Period
from bot.services.reports import (
    ManagerFigures,
    SummaryKind,
    key_coverage,
    missed_follow_ups,
    most_neglected,
    plan_period_for,
    summary_due,
    summary_period,
    team_total,
    weekly_day,
)
from storage.dto import Role, Tier, UserDTO
from storage.reports import FollowUpFact, KeyClientFact

MSK = ZoneInfo("Europe/Moscow")
CADENCE = {Tier.A: 14, Tier.B: 30, Tier.C: 60}
RU = calendar_for("RU", {})


def fact(
    owner: int, last_before: datetime | None, contacts: int, tier: str = "A"
) -> KeyClientFact:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    return KeyClientFact(1, owner, "X", tier, created, last_before, last_before, contacts)


def test_a_key_client_is_due_on_the_day_its_cadence_ends():
    last_day = date(2026, 11, 29)
    on_time = fact(1, datetime(2026, 11, 15, 9, tzinfo=UTC), 1)  # 15.11 + 14 = 29.11: due
    not_yet = fact(1, datetime(2026, 11, 16, 9, tzinfo=UTC), 1)  # 30.11: not due
    missed = fact(1, datetime(2026, 11, 1, 9, tzinfo=UTC), 0)
    assert key_coverage([on_time, not_yet, missed], CADENCE, MSK, last_day) == {1: (2, 1)}


def test_cadence_counts_local_days():
    # 21:30 UTC on 15.11 is already 16.11 in Moscow: due a day later there than in UTC.
    late_evening = fact(1, datetime(2026, 11, 15, 21, 30, tzinfo=UTC), 0)
    assert key_coverage([late_evening], CADENCE, ZoneInfo("UTC"), date(2026, 11, 29)) == {
        1: (1, 0)
    }
    assert key_coverage([late_evening], CADENCE, MSK, date(2026, 11, 29)) == {}


def test_never_contacted_counts_from_creation():
    new = KeyClientFact(1, 1, "X", "B", datetime(2026, 11, 1, tzinfo=UTC), None, None, 0)
    assert key_coverage([new], CADENCE, MSK, date(2026, 11, 30)) == {}
    assert key_coverage([new], CADENCE, MSK, date(2026, 12, 1)) == {1: (1, 0)}


def test_missed_next_steps_in_the_owners_zone():
    today = date(2026, 11, 30)
    facts = [
        FollowUpFact(1, date(2026, 11, 24), "open", None),  # open past its day: missed
        FollowUpFact(1, date(2026, 11, 25), "done", datetime(2026, 11, 25, 20, 0, tzinfo=UTC)),
        # 21:30 UTC on 25.11 is 00:30 on 26.11 in Moscow: answered a day late there.
        FollowUpFact(2, date(2026, 11, 25), "done", datetime(2026, 11, 25, 21, 30, tzinfo=UTC)),
        FollowUpFact(1, date(2026, 11, 30), "open", None),  # today: not missed yet
    ]
    assert missed_follow_ups(facts, MSK, today) == {1: 1, 2: 1}
    assert missed_follow_ups(facts, ZoneInfo("UTC"), today) == {1: 1}


def test_most_neglected_is_the_longest_past_cadence():
    today = date(2026, 11, 30)
    a = fact(1, datetime(2026, 10, 1, 9, tzinfo=UTC), 0)  # 60 days - 14 = 46
    b = fact(2, datetime(2026, 9, 1, 9, tzinfo=UTC), 0, tier="C")  # 90 - 60 = 30
    fresh = fact(3, datetime(2026, 11, 29, 9, tzinfo=UTC), 0)
    worst = most_neglected([b, fresh, a], CADENCE, MSK, today)
    assert worst is not None and worst[0] is a and worst[1] == 46
    assert most_neglected([fresh], CADENCE, MSK, today) is None


def test_periods():
    monday = date(2026, 11, 30)
    assert summary_period(SummaryKind.WEEKLY, monday) == Period(
        date(2026, 11, 23), date(2026, 11, 29)
    )
    assert summary_period(SummaryKind.DAILY, monday) == Period(monday, monday)
    q4 = Period(date(2026, 10, 1), date(2026, 12, 31))
    assert plan_period_for(q4, monday) == q4
    week = Period(date(2026, 11, 30), date(2026, 12, 6))
    assert plan_period_for(week, monday) == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert plan_period_for(week, date(2026, 12, 2)) == Period(
        date(2026, 12, 1), date(2026, 12, 31)
    )


def test_weekly_day_moves_past_days_off():
    assert weekly_day(date(2026, 11, 23), 1, RU) == date(2026, 11, 23)
    off = calendar_for("RU", {date(2026, 11, 23): False, date(2026, 11, 24): False})
    assert weekly_day(date(2026, 11, 23), 1, off) == date(2026, 11, 25)
    # Friday of the New Year week of 2027 and the rest of the week are off.
    assert weekly_day(date(2027, 1, 4), 5, RU) is None


def _user(zone: str) -> UserDTO:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return UserDTO(
        id=1,
        telegram_id=1,
        role=Role.SUPERVISOR,
        full_name="B",
        username=None,
        language="en",
        timezone=zone,
        digest_hour=9,
        supervisor_id=None,
        erp_name=None,
        is_active=True,
        unreachable_since=None,
        created_at=now,
    )


def _settings(**values: str) -> BusinessSettings:
    return BusinessSettings(
        {k: spec.parse(values.get(k, spec.default)) for k, spec in SPECS.items()}
    )


def test_daily_summary_due_at_the_local_hour_on_business_days():
    settings = _settings()
    friday_msk_1800 = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert summary_due(SummaryKind.DAILY, _user("Europe/Moscow"), friday_msk_1800, settings)
    # The same instant is 08:00 on Saturday in Kamchatka: not a business day there.
    assert not summary_due(SummaryKind.DAILY, _user("Asia/Kamchatka"), friday_msk_1800, settings)
    assert not summary_due(
        SummaryKind.DAILY,
        _user("Europe/Moscow"),
        datetime(2026, 11, 27, 14, 59, tzinfo=UTC),
        settings,
    )


def test_weekly_summary_due_on_its_day_and_hour():
    settings = _settings(team_weekly_day="3", team_weekly_hour="10")
    wednesday_1000 = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert summary_due(SummaryKind.WEEKLY, _user("Europe/Moscow"), wednesday_1000, settings)
    monday_1000 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert not summary_due(SummaryKind.WEEKLY, _user("Europe/Moscow"), monday_1000, settings)


def test_team_total_sums_and_measures_the_summed_plan():
    november = Period(date(2026, 11, 1), date(2026, 11, 30))
    rows = [
        ManagerFigures(
            1,
            "a",
            {"call": 2},
            plan=Decimal("100"),
            actual=Decimal("50"),
            overdue_total=Decimal("10.50"),
        ),
        ManagerFigures(
            2, "b", {"call": 1, "visit": 1}, actual=Decimal("30"), overdue_total=Decimal("1.25")
        ),
    ]
    total = team_total(rows, november, date(2026, 11, 30), RU)
    assert dict(total.contacts) == {"call": 3, "visit": 1}
    assert total.overdue_total == Decimal("11.75")
    assert total.fulfilment is not None and total.fulfilment.percent == Decimal("80.0")
