"""Sales plans: periods, fulfilment, a forecast at the current pace and the daily gap.
Pure functions of amounts, dates and the business calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bot.services.access import AccessDenied
from bot.services.business_calendar import BusinessCalendar
from bot.services.business_settings import load_settings
from bot.services.client_search import SEARCH_LIMIT, query_key
from storage.dto import ClientLine, Role, UserDTO
from storage.repositories import Repos

_MONTH = re.compile(r"^\s*(\d{1,2})[./-](\d{4})\s*$")
_QUARTER = re.compile(
    r"^\s*(?:q|кв\.?\s*)?([1-4])\s*(?:q|кв\.?|квартал)?\s*[ ./-]?\s*(\d{4})\s*$", re.I
)
_QUARTER_ISO = re.compile(r"^\s*(\d{4})\s*[-/ ]\s*q([1-4])\s*$", re.I)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        """The period's machine value ("Q4 2026", "11.2026"), the same in every language:
        callback data and file names carry it, parse_period reads it back. Screens show
        formatting.period_label instead."""
        if self.end - self.start == timedelta(days=6):
            return f"{self.start:%d.%m}–{self.end:%d.%m.%Y}"
        if self.start.day == 1 and self.end == _month_end(self.start):
            return f"{self.start:%m.%Y}"
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return f"{self.start.year}"
        return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"


def _month_end(day: date) -> date:
    following = day.replace(day=28) + timedelta(days=4)
    return following - timedelta(days=following.day)


def month_of(day: date) -> Period:
    return Period(day.replace(day=1), _month_end(day))


def quarter_of(day: date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    return Period(start, _month_end(date(day.year, first_month + 2, 1)))


def week_of(day: date) -> Period:
    start = day - timedelta(days=day.weekday())
    return Period(start, start + timedelta(days=6))


# Periods a report or an export is asked for, by the code its button carries.
REPORT_PERIODS = ("w", "l", "m", "q")


def report_period(code: str, today: date) -> Period:
    """w: this week, l: last week, m: this month, q: this quarter (each up to its end;
    figures count up to today). ValueError for any other code (callback data is not
    trusted)."""
    if code == "w":
        return week_of(today)
    if code == "l":
        return week_of(today - timedelta(days=7))
    if code == "m":
        return month_of(today)
    if code == "q":
        return quarter_of(today)
    raise ValueError(code)


def parse_period(text: str) -> Period:
    """ "11.2026" (a month); "Q4 2026", "4 кв 2026", "2026-Q4" (a quarter). ValueError else."""
    if match := _MONTH.match(text):
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(text)
        return month_of(date(year, month, 1))
    if match := _QUARTER_ISO.match(text):
        return quarter_of(date(int(match.group(1)), (int(match.group(2)) - 1) * 3 + 1, 1))
    if match := _QUARTER.match(text):
        return quarter_of(date(int(match.group(2)), (int(match.group(1)) - 1) * 3 + 1, 1))
    raise ValueError(text)


@dataclass(frozen=True)
class Fulfilment:
    plan: Decimal
    actual: Decimal
    percent: Decimal
    forecast: Decimal  # at the pace so far, by the period's end
    gap_per_day: Decimal  # needed each remaining business day to make the plan (0 if made)
    days_elapsed: int
    days_left: int


def fulfilment(
    plan: Decimal, actual: Decimal, period: Period, today: date, calendar: BusinessCalendar
) -> Fulfilment:
    """Business days count the pace: a forecast is what the days worked so far earned per
    day, times all the period's business days; today counts as worked."""
    total_days = calendar.count_business_days(period.start, period.end)
    last_worked = min(today, period.end)
    elapsed = (
        calendar.count_business_days(period.start, last_worked)
        if last_worked >= period.start
        else 0
    )
    left = total_days - elapsed
    cents = Decimal("0.01")
    forecast = (
        (actual / elapsed * total_days).quantize(cents, ROUND_HALF_UP) if elapsed else actual
    )
    missing = max(plan - actual, Decimal("0"))
    gap = (missing / left).quantize(cents, ROUND_HALF_UP) if left and missing else Decimal("0.00")
    percent = (
        (actual / plan * 100).quantize(Decimal("0.1"), ROUND_HALF_UP) if plan else Decimal("0.0")
    )
    return Fulfilment(plan, actual, percent, forecast, gap, elapsed, left)


@dataclass(frozen=True)
class PlanLine:
    user_id: int
    name: str
    result: Fulfilment


async def plan_lines(
    repos: Repos, user: UserDTO, period: Period, *, today: date
) -> list[PlanLine]:
    """Fulfilment of each manager the user may see: a manager their own, a supervisor the
    team's, an admin everyone's. A document counts for the manager who owned its client on
    its date. Two queries whatever the number of managers."""

    settings = await load_settings(repos)
    people = await _planned_people(repos, user)
    ids = [p.id for p in people]
    if not ids:
        return []
    plans = await repos.plans.totals(ids, period.start, period.end)
    actuals = await repos.plans.actuals(
        ids, period.start, period.end, basis=str(settings["plan_actual_basis"])
    )
    calendar = settings.business_calendar()
    return [
        PlanLine(
            p.id,
            p.full_name,
            fulfilment(
                plans.get(p.id, Decimal("0")),
                actuals.get(p.id, Decimal("0")),
                period,
                today,
                calendar,
            ),
        )
        for p in people
    ]


async def _planned_people(repos: Repos, user: UserDTO) -> list[UserDTO]:
    """Whose plans the user sees: a manager their own, a supervisor the team's active
    members, an admin every active manager."""

    if user.role is Role.ADMIN:
        return await repos.users.with_role(Role.MANAGER)
    if user.role is Role.SUPERVISOR:
        return [m for m in await repos.users.team(user.id) if m.is_active]
    return [user]


@dataclass(frozen=True)
class ClientPlanLine:
    user_id: int
    client_id: int
    client_name: str
    result: Fulfilment


async def client_plan_lines(
    repos: Repos, user: UserDTO, period: Period, *, today: date
) -> list[ClientPlanLine]:
    """Per-client plans of the managers the user may see (as `plan_lines`), each measured
    against that client's shipped (or paid) amount in the period while it was that
    manager's. Two queries besides the people and the settings, whatever the number of
    plans."""

    ids = [p.id for p in await _planned_people(repos, user)]
    if not ids:
        return []
    plans = await repos.plans.client_plans(ids, period.start, period.end)
    if not plans:
        return []
    settings = await load_settings(repos)
    actuals = await repos.plans.client_actuals(
        {c for _, c, _, _ in plans},
        period.start,
        period.end,
        basis=str(settings["plan_actual_basis"]),
    )
    calendar = settings.business_calendar()
    return [
        ClientPlanLine(
            user_id,
            client_id,
            name,
            fulfilment(
                amount, actuals.get((user_id, client_id), Decimal("0")), period, today, calendar
            ),
        )
        for user_id, client_id, name, amount in plans
    ]


async def plan_manager(repos: Repos, actor: UserDTO, manager_id: int) -> UserDTO:
    """The manager whose plan `actor` may set: an admin any manager's, a supervisor their
    team's. AccessDenied otherwise (callback data is not trusted)."""

    manager = await repos.users.get(manager_id)
    if manager is None or manager.role is not Role.MANAGER:
        raise AccessDenied
    if not (
        actor.role is Role.ADMIN
        or (actor.role is Role.SUPERVISOR and manager.supervisor_id == actor.id)
    ):
        raise AccessDenied
    return manager


async def plan_clients(
    repos: Repos, actor: UserDTO, manager_id: int, text: str
) -> list[ClientLine]:
    """The manager's clients matching a typed name (or ИНН, or ERP code), for a plan."""

    manager = await plan_manager(repos, actor, manager_id)
    digits = text.replace(" ", "")
    return await repos.clients.search(
        query_key(text), digits if digits.isdigit() else None, {manager.id}, SEARCH_LIMIT
    )


async def set_plan(
    repos: Repos,
    actor: UserDTO,
    manager_id: int,
    period: Period,
    amount: Decimal,
    *,
    now: datetime,
    client_id: int | None = None,
) -> None:
    """The manager's plan for the period: the whole book, or one of their clients."""

    manager = await plan_manager(repos, actor, manager_id)
    if client_id is not None:
        client = await repos.clients.get(client_id)
        if client is None or client.owner_id != manager.id:
            raise AccessDenied
    if amount <= 0:
        raise ValueError("plan-error-amount")
    await repos.plans.set(
        manager.id,
        period.start,
        period.end,
        amount,
        actor_id=actor.id,
        now=now,
        client_id=client_id,
    )
