"""Team summaries for supervisors: per manager, what was done and what slipped in a
period, the team's totals and the three things that most need attention.

The figures are pure functions of facts the storage layer reads for all managers at once
(a fixed number of queries whatever the size of the company); `build_summaries` wires
them together for any number of recipients."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.services.agenda import cadence_days, days_past_cadence
from bot.services.analytics import ChurnSignal, churn_signals
from bot.services.business_calendar import BusinessCalendar
from bot.services.business_settings import BusinessSettings
from bot.services.local_time import at_local_time, local_date, user_today
from bot.services.notifications import outbox_key
from bot.services.plans import Fulfilment, Period, fulfilment, month_of, quarter_of, week_of
from storage.dto import FollowUpStatus, Role, Tier, UserDTO
from storage.reports import FollowUpFact, KeyClientFact, OverdueClient, UrgentClaim
from storage.repositories import Repos

ZERO = Decimal("0.00")
AGING_BUCKETS = ("1-30", "31-60", "61-90", "90+")


class SummaryKind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    REPORT = "report"  # asked for with /report


@dataclass(frozen=True)
class ManagerFigures:
    user_id: int
    name: str
    contacts: Mapping[str, int] = field(default_factory=dict)  # channel → logged
    key_due: int = 0
    key_contacted: int = 0
    follow_ups_missed: int = 0
    overdue_total: Decimal = ZERO
    overdue_new: Decimal = ZERO
    claims_opened: int = 0
    claims_closed: int = 0
    claims_late: int = 0
    won: int = 0
    won_amount: Decimal = ZERO
    lost: int = 0
    plan: Decimal = ZERO
    actual: Decimal = ZERO
    fulfilment: Fulfilment | None = None  # None: no plan set for the period

    @property
    def contacts_total(self) -> int:
        return sum(self.contacts.values())


class AttentionKind(StrEnum):
    OVERDUE = "overdue"  # the client with the largest overdue amount
    NEGLECTED = "neglected"  # the key client longest past its contact cadence
    CLAIM = "claim"  # the open claim closest to (or furthest past) its deadline


@dataclass(frozen=True)
class Attention:
    kind: AttentionKind
    item_id: int  # a client id, or a claim id
    client_name: str
    manager_name: str
    amount: Decimal | None = None
    days: int = 0  # days past cadence; for a claim, days left (negative: late)
    number: str = ""
    deadline: date | None = None


@dataclass(frozen=True)
class TeamSummary:
    kind: SummaryKind
    period: Period
    plan_period: Period
    today: date
    managers: tuple[ManagerFigures, ...]
    total: ManagerFigures
    aging: Mapping[str, Decimal]
    attention: tuple[Attention, ...]
    churn: tuple[ChurnSignal, ...]
    # Rows are teams (user_id: the supervisor; name: theirs, "" for managers without one),
    # not managers: a company-wide summary of a thousand managers would not fit a phone.
    by_team: bool = False

    @property
    def empty(self) -> bool:
        return not self.managers


# --- pure rules ---------------------------------------------------------------------------


def key_coverage(
    facts: Iterable[KeyClientFact],
    cadence: Mapping[Tier, int],
    zone: ZoneInfo,
    last_day: date,
) -> dict[int, tuple[int, int]]:
    """Per owner: (key clients whose cadence came due by `last_day`, how many of those
    were contacted in the period). Due counts from the last contact before the period (or
    from when the client was added): a client contacted in the period but not yet due
    does not count either way."""
    coverage: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for fact in facts:
        base = local_date(fact.last_before or fact.created_at, zone)
        if base + timedelta(days=cadence[Tier(fact.tier)]) > last_day:
            continue
        counts = coverage[fact.owner_id]
        counts[0] += 1
        counts[1] += fact.contacts_in_period > 0
    return {owner: (due, done) for owner, (due, done) in coverage.items()}


def missed_follow_ups(
    facts: Iterable[FollowUpFact], zone: ZoneInfo, today: date
) -> dict[int, int]:
    """Per owner: next steps whose day passed while still open, or that were answered only
    on a later day. Today's are not missed yet."""
    missed: dict[int, int] = defaultdict(int)
    for fact in facts:
        if fact.due_date >= today:
            continue
        if fact.status == FollowUpStatus.OPEN.value or (
            fact.closed_at is not None and local_date(fact.closed_at, zone) > fact.due_date
        ):
            missed[fact.owner_id] += 1
    return dict(missed)


def most_neglected(
    facts: Iterable[KeyClientFact], cadence: Mapping[Tier, int], zone: ZoneInfo, today: date
) -> tuple[KeyClientFact, int] | None:
    """The key client longest past its cadence as of today, with the days past."""
    worst: tuple[KeyClientFact, int] | None = None
    for fact in facts:
        last = local_date(fact.last_contact or fact.created_at, zone)
        past = days_past_cadence(last, Tier(fact.tier), cadence, today)
        if past > 0 and (worst is None or past > worst[1]):
            worst = (fact, past)
    return worst


def team_total(
    rows: Sequence[ManagerFigures],
    plan_period: Period,
    today: date,
    calendar: BusinessCalendar,
    *,
    user_id: int = 0,
    name: str = "",
) -> ManagerFigures:
    """The team's line: sums, and the plan fulfilment of the summed plan and actual."""
    contacts: dict[str, int] = defaultdict(int)
    for row in rows:
        for channel, n in row.contacts.items():
            contacts[channel] += n
    plan = sum((r.plan for r in rows), ZERO)
    actual = sum((r.actual for r in rows), ZERO)
    return ManagerFigures(
        user_id=user_id,
        name=name,
        contacts=dict(contacts),
        key_due=sum(r.key_due for r in rows),
        key_contacted=sum(r.key_contacted for r in rows),
        follow_ups_missed=sum(r.follow_ups_missed for r in rows),
        overdue_total=sum((r.overdue_total for r in rows), ZERO),
        overdue_new=sum((r.overdue_new for r in rows), ZERO),
        claims_opened=sum(r.claims_opened for r in rows),
        claims_closed=sum(r.claims_closed for r in rows),
        claims_late=sum(r.claims_late for r in rows),
        won=sum(r.won for r in rows),
        won_amount=sum((r.won_amount for r in rows), ZERO),
        lost=sum(r.lost for r in rows),
        plan=plan,
        actual=actual,
        fulfilment=fulfilment(plan, actual, plan_period, today, calendar) if plan else None,
    )


def attention_items(
    names: Mapping[int, str],
    overdue: Sequence[OverdueClient],
    neglected: tuple[KeyClientFact, int] | None,
    claims: Sequence[UrgentClaim],
    today: date,
) -> tuple[Attention, ...]:
    """At most one of each: the largest overdue amount, the longest-neglected key client,
    the claim closest to its deadline. `overdue` and `claims` come sorted, worst first."""
    items: list[Attention] = []
    if overdue:
        top = overdue[0]
        items.append(
            Attention(
                AttentionKind.OVERDUE,
                top.client_id,
                top.name,
                names.get(top.owner_id, ""),
                amount=top.amount,
            )
        )
    if neglected is not None:
        fact, days = neglected
        items.append(
            Attention(
                AttentionKind.NEGLECTED,
                fact.client_id,
                fact.name,
                names.get(fact.owner_id, ""),
                days=days,
            )
        )
    if claims:
        claim = claims[0]
        items.append(
            Attention(
                AttentionKind.CLAIM,
                claim.claim_id,
                claim.client_name,
                names.get(claim.manager_id, ""),
                days=(claim.deadline - today).days,
                number=claim.number,
                deadline=claim.deadline,
            )
        )
    return tuple(items)


def summary_period(kind: SummaryKind, today: date) -> Period:
    """A daily summary is about today; a weekly one about the week before this one."""
    if kind is SummaryKind.DAILY:
        return Period(today, today)
    return week_of(today - timedelta(days=7))


def plan_period_for(period: Period, today: date) -> Period:
    """The plan a summary measures: the quarter for a quarter, else the month the period
    ends in (up to today)."""
    if period == quarter_of(period.start):
        return period
    return month_of(min(period.end, today))


def weekly_day(week_start: date, weekday: int, calendar: BusinessCalendar) -> date | None:
    """The day of a week the weekly summary goes: the configured weekday (1 = Monday), or
    the next business day of that week when it is off; None if none is left."""
    day = week_start + timedelta(days=weekday - 1)
    while day <= week_start + timedelta(days=6):
        if calendar.is_business_day(day):
            return day
        day += timedelta(days=1)
    return None


def summary_due(
    kind: SummaryKind, user: UserDTO, now: datetime, settings: BusinessSettings
) -> bool:
    """Daily: a business day in the recipient's zone, at or after the daily hour. Weekly:
    the week's summary day (see weekly_day), at or after the weekly hour. The outbox key
    makes a later run of the same day send nothing more."""
    zone = ZoneInfo(user.timezone)
    today = local_date(now, zone)
    calendar = settings.business_calendar()
    if kind is SummaryKind.DAILY:
        hour = int(settings["team_daily_hour"])
        if not calendar.is_business_day(today):
            return False
    else:
        hour = int(settings["team_weekly_hour"])
        day = weekly_day(week_of(today).start, int(settings["team_weekly_day"]), calendar)
        if day != today:
            return False
    return now >= at_local_time(today, time(hour), zone)


# --- wiring -------------------------------------------------------------------------------


async def team_of(repos: Repos, user: UserDTO) -> list[UserDTO]:
    """The managers a summary covers: a supervisor's active team, everyone for an admin."""
    if user.role is Role.ADMIN:
        return await repos.users.with_role(Role.MANAGER)
    if user.role is Role.SUPERVISOR:
        return [
            m for m in await repos.users.team(user.id) if m.is_active and m.role is Role.MANAGER
        ]
    return []


@dataclass(frozen=True)
class SummaryRequest:
    recipient: UserDTO
    managers: tuple[UserDTO, ...]
    kind: SummaryKind
    period: Period
    # Supervisor id → name: rows by team (an admin's company-wide summary).
    teams: Mapping[int, str] | None = None


async def build_summaries(
    repos: Repos,
    requests: Sequence[SummaryRequest],
    now: datetime,
    settings: BusinessSettings,
) -> dict[int, TeamSummary]:
    """Every requested summary, by recipient id. Requests that share a period and a time
    zone share their queries: the number of queries does not grow with the number of
    managers or recipients."""
    groups: dict[tuple[Period, str], list[SummaryRequest]] = defaultdict(list)
    summaries: dict[int, TeamSummary] = {}
    for request in requests:
        if request.managers:
            groups[(request.period, request.recipient.timezone)].append(request)
        else:
            summaries[request.recipient.id] = _empty(request, now)
    for (period, zone_name), group in groups.items():
        managers = {m.id: m for request in group for m in request.managers}
        today = local_date(now, ZoneInfo(zone_name))
        facts = await _read_facts(repos, managers, period, ZoneInfo(zone_name), today, settings)
        for request in group:
            summaries[request.recipient.id] = facts.summary(request)
    return summaries


def _empty(request: SummaryRequest, now: datetime) -> TeamSummary:
    today = user_today(request.recipient, now)
    period = request.period
    plan_period = plan_period_for(period, today)
    return TeamSummary(
        request.kind, period, plan_period, today, (), ManagerFigures(0, ""), {}, (), ()
    )


@dataclass
class _Facts:
    """What the queries returned for one period and zone, for every manager asked."""

    period: Period
    plan_period: Period
    today: date
    zone: ZoneInfo
    calendar: BusinessCalendar
    cadence: Mapping[Tier, int]
    figures: dict[int, ManagerFigures]
    aging: dict[int, dict[str, Decimal]]
    key_facts: dict[int, list[KeyClientFact]]
    # Per owner, worst first: what a team's attention items are picked from.
    overdue_clients: dict[int, list[OverdueClient]]
    claims: dict[int, list[UrgentClaim]]
    churn: dict[int, list[ChurnSignal]]

    def summary(self, request: SummaryRequest) -> TeamSummary:
        ids = [m.id for m in request.managers]
        rows = tuple(self.figures[i] for i in ids)
        total = team_total(rows, self.plan_period, self.today, self.calendar)
        if request.teams is not None:
            rows = self._team_rows(request)
        aging: dict[str, Decimal] = dict.fromkeys(AGING_BUCKETS, ZERO)
        for i in ids:
            for bucket, amount in self.aging.get(i, {}).items():
                aging[bucket] += amount
        names = {m.id: m.full_name for m in request.managers}
        neglected = most_neglected(
            (f for i in ids for f in self.key_facts.get(i, [])),
            self.cadence,
            self.zone,
            self.today,
        )
        return TeamSummary(
            kind=request.kind,
            period=self.period,
            plan_period=self.plan_period,
            today=self.today,
            managers=rows,
            total=total,
            aging=aging,
            attention=attention_items(
                names,
                _worst_first(self.overdue_clients, ids, key=lambda c: (-c.amount, c.client_id)),
                neglected,
                _worst_first(self.claims, ids, key=lambda c: (c.deadline, c.claim_id)),
                self.today,
            ),
            churn=tuple(s for i in ids for s in self.churn.get(i, [])),
            by_team=request.teams is not None,
        )

    def _team_rows(self, request: SummaryRequest) -> tuple[ManagerFigures, ...]:
        teams: dict[int, list[ManagerFigures]] = defaultdict(list)
        for manager in request.managers:
            teams[manager.supervisor_id or 0].append(self.figures[manager.id])
        names = request.teams or {}
        return tuple(
            team_total(
                rows,
                self.plan_period,
                self.today,
                self.calendar,
                user_id=supervisor,
                name=names.get(supervisor, ""),
            )
            for supervisor, rows in sorted(
                teams.items(), key=lambda t: (t[0] == 0, names.get(t[0], ""))
            )
        )


T = TypeVar("T")


def _by_owner(items: Iterable[T], attribute: str) -> dict[int, list[T]]:
    """Items grouped by their owner, keeping their order (worst first as read)."""
    grouped: dict[int, list[T]] = defaultdict(list)
    for item in items:
        grouped[getattr(item, attribute)].append(item)
    return grouped


def _worst_first(
    grouped: Mapping[int, list[T]], owners: Iterable[int], key: Callable[[T], Any]
) -> list[T]:
    """Each owner's worst item, the team's worst first: each owner's list is sorted
    already, so only their heads compete."""
    return sorted((items[0] for o in owners if (items := grouped.get(o))), key=key)


async def _read_facts(
    repos: Repos,
    managers: Mapping[int, UserDTO],
    period: Period,
    zone: ZoneInfo,
    today: date,
    settings: BusinessSettings,
) -> _Facts:
    ids = list(managers)
    calendar = settings.business_calendar()
    cadence = cadence_days(settings.values)
    plan_period = plan_period_for(period, today)
    since = at_local_time(period.start, time(0), zone)
    until = at_local_time(period.end + timedelta(days=1), time(0), zone)
    last_day = min(period.end, today)
    reports = repos.reports
    contacts: dict[int, dict[str, int]] = defaultdict(dict)
    for author, channel, n in await reports.contacts_by_channel(ids, since, until):
        contacts[author][channel] = n
    key_facts: dict[int, list[KeyClientFact]] = defaultdict(list)
    all_key_facts = await reports.key_clients(ids, since, until)
    for fact in all_key_facts:
        key_facts[fact.owner_id].append(fact)
    coverage = key_coverage(all_key_facts, cadence, zone, last_day)
    missed = missed_follow_ups(
        await reports.follow_ups_due(ids, period.start, min(period.end, today - timedelta(1))),
        zone,
        today,
    )
    aging: dict[int, dict[str, Decimal]] = defaultdict(dict)
    starts = [today - timedelta(days=d) for d in (30, 60, 90)]
    for overdue in await repos.erp.overdue_by_owner(ids, today, starts):
        aging[overdue.owner_id][AGING_BUCKETS[overdue.bucket]] = overdue.amount
    # A shipment becomes overdue the day after its due date: new in the period are those
    # whose first overdue day fell in it (and has come).
    new_overdue = await reports.new_overdue(
        ids, period.start - timedelta(days=1), min(period.end, today)
    )
    claims = {c.manager_id: c for c in await reports.claim_figures(ids, since, until, today)}
    deals = {d.owner_id: d for d in await reports.closed_deals(ids, since, until)}
    plans = await repos.plans.totals(ids, plan_period.start, plan_period.end)
    actuals = await repos.plans.actuals(
        ids, plan_period.start, plan_period.end, basis=str(settings["plan_actual_basis"])
    )
    figures: dict[int, ManagerFigures] = {}
    for manager_id, manager in managers.items():
        due, contacted = coverage.get(manager_id, (0, 0))
        claim = claims.get(manager_id)
        deal = deals.get(manager_id)
        plan = plans.get(manager_id, ZERO)
        actual = actuals.get(manager_id, ZERO)
        figures[manager_id] = ManagerFigures(
            user_id=manager_id,
            name=manager.full_name,
            contacts=contacts.get(manager_id, {}),
            key_due=due,
            key_contacted=contacted,
            follow_ups_missed=missed.get(manager_id, 0),
            overdue_total=sum(aging.get(manager_id, {}).values(), ZERO),
            overdue_new=new_overdue.get(manager_id, ZERO),
            claims_opened=claim.opened if claim else 0,
            claims_closed=claim.closed if claim else 0,
            claims_late=claim.late if claim else 0,
            won=deal.won if deal else 0,
            won_amount=deal.won_amount if deal else ZERO,
            lost=deal.lost if deal else 0,
            plan=plan,
            actual=actual,
            fulfilment=fulfilment(plan, actual, plan_period, today, calendar) if plan else None,
        )
    return _Facts(
        period=period,
        plan_period=plan_period,
        today=today,
        zone=zone,
        calendar=calendar,
        cadence=cadence,
        figures=figures,
        aging=aging,
        key_facts=key_facts,
        overdue_clients=_by_owner(await reports.worst_overdue_clients(ids, today), "owner_id"),
        claims=_by_owner(await reports.urgent_claims(ids), "manager_id"),
        churn=_by_owner(await churn_signals(repos, ids, today, settings), "owner_id"),
    )


async def summary_for(
    repos: Repos,
    user: UserDTO,
    period: Period,
    *,
    now: datetime,
    settings: BusinessSettings,
    kind: SummaryKind = SummaryKind.REPORT,
    managers: Collection[UserDTO] | None = None,
) -> TeamSummary:
    """One recipient's summary (/report, /team): their team, or the managers given (which
    the caller has checked the user may see)."""
    team = tuple(managers) if managers is not None else tuple(await team_of(repos, user))
    teams = None
    if user.role is Role.ADMIN and managers is None:
        teams = {s.id: s.full_name for s in await repos.users.with_role(Role.SUPERVISOR)}
    request = SummaryRequest(user, team, kind, period, teams)
    return (await build_summaries(repos, [request], now, settings))[user.id]


def summary_key(kind: SummaryKind, user: UserDTO, now: datetime) -> tuple[str, date | None]:
    """The outbox subject and day of a scheduled summary: once a day for the daily one,
    once a week (keyed by the week it reports on) for the weekly one."""
    today = user_today(user, now)
    if kind is SummaryKind.DAILY:
        return "team", today
    return f"week-{summary_period(kind, today).start.isoformat()}", None


async def due_requests(
    repos: Repos, kind: SummaryKind, now: datetime, settings: BusinessSettings
) -> list[SummaryRequest]:
    """The scheduled summaries due now and not yet written: daily to supervisors, weekly to
    supervisors (their team) and admins (the whole company). Three queries."""

    roles = (Role.SUPERVISOR,) if kind is SummaryKind.DAILY else (Role.SUPERVISOR, Role.ADMIN)
    people = await repos.users.list_users(active_only=True)
    recipients = [u for u in people if u.role in roles and summary_due(kind, u, now, settings)]
    if not recipients:
        return []
    written = await repos.reminders.sent_keys(f"team_{kind.value}", now - timedelta(days=8))
    managers = [u for u in people if u.role is Role.MANAGER]
    teams = {u.id: u.full_name for u in people if u.role is Role.SUPERVISOR}
    requests = []
    for recipient in recipients:
        subject, day = summary_key(kind, recipient, now)
        if outbox_key(f"team_{kind.value}", recipient.telegram_id, subject, day) in written:
            continue
        team = tuple(
            m for m in managers if recipient.role is Role.ADMIN or m.supervisor_id == recipient.id
        )
        if team:
            today = user_today(recipient, now)
            requests.append(
                SummaryRequest(
                    recipient,
                    team,
                    kind,
                    summary_period(kind, today),
                    teams if recipient.role is Role.ADMIN else None,
                )
            )
    return requests
