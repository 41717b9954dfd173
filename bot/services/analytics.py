"""ABC analysis of clients and products, and churn signals of key clients.

The rules (`classify`, `usual_gap`, `churn_reason`, `churn_signal`) are pure functions of
amounts and dates. The use cases below them only feed the rules from the repositories
(a fixed number of queries each) and check who may see what.

ABC, as decided here:
- Items are ranked by revenue, highest first; equal revenues by name, then key.
- Shares are of the total *positive* revenue, compared exactly (no rounding): an item is A
  while the cumulative share *before* it is under the A bound, so the item whose cumulative
  share first reaches the bound (80 %: exactly 80 % included) is the last A; likewise B
  up to the B bound (95 %); the rest is C.
- Items with equal revenue share one class: the class of the first of them (a tie at a
  boundary goes to the better class).
- An item with no revenue, or a negative one (returns exceeding shipments in the period),
  is C with a share of 0 and does not change the total.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import groupby, pairwise
from typing import TYPE_CHECKING

from bot.services.access import AccessDenied, visible_owners
from bot.services.plans import Period, quarter_of, report_period
from storage.analytics import ChurnFacts
from storage.dto import ClientUpdate, Role, Tier, UserDTO

if TYPE_CHECKING:
    from bot.services.business_settings import BusinessSettings
    from storage.repositories import Repos

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
DEFAULT_THRESHOLDS = (80, 95)
RECENT_DAYS = 90  # churn compares the last 90 days with the 90 before
GAP_LOOKBACK_DAYS = 365  # the usual gap between orders is read over the last 12 months
GAP_MIN_ORDERS = 3


class AbcClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"


@dataclass(frozen=True)
class AbcItem:
    key: int | str  # a client id, or a product's article
    name: str
    revenue: Decimal
    abc: AbcClass
    share: Decimal  # percent of the total, rounded to 0.01 for showing
    cumulative: Decimal  # percent up to and including this item, rounded to 0.01


@dataclass(frozen=True)
class AbcGroup:
    abc: AbcClass
    count: int
    revenue: Decimal  # net: a C item's negative revenue counts here
    share: Decimal  # percent of the total positive revenue, rounded to 0.01


@dataclass(frozen=True)
class AbcResult:
    items: tuple[AbcItem, ...]
    total: Decimal  # the total positive revenue the shares are of

    def of(self, abc: AbcClass) -> list[AbcItem]:
        return [i for i in self.items if i.abc is abc]

    @property
    def groups(self) -> tuple[AbcGroup, ...]:
        result = []
        for abc in AbcClass:
            members = self.of(abc)
            positive = sum((i.revenue for i in members if i.revenue > 0), ZERO)
            result.append(
                AbcGroup(
                    abc,
                    len(members),
                    sum((i.revenue for i in members), ZERO),
                    _percent(positive, self.total),
                )
            )
        return tuple(result)

    @property
    def empty(self) -> bool:
        return self.total <= 0


def _percent(part: Decimal, total: Decimal) -> Decimal:
    if total <= 0:
        return ZERO
    return (part * HUNDRED / total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def classify(
    items: Iterable[tuple[int | str, str, Decimal]],
    thresholds: tuple[int, int] = DEFAULT_THRESHOLDS,
) -> AbcResult:
    """(key, name, revenue) items → their ABC classes; see the module's docstring for the
    boundaries, ties and non-positive revenue."""
    a_bound, b_bound = thresholds
    if not 0 < a_bound < b_bound < 100:
        raise ValueError(thresholds)
    ranked = sorted(items, key=lambda i: (-i[2], i[1].casefold(), str(i[0])))
    total = sum((r for _, _, r in ranked if r > 0), ZERO)
    result: list[AbcItem] = []
    before = ZERO  # cumulative positive revenue before the current group of equal revenues
    for revenue, group in groupby(ranked, key=lambda i: i[2]):
        members = list(group)
        if revenue <= 0 or total <= 0:
            abc = AbcClass.C
        elif before * HUNDRED < a_bound * total:
            abc = AbcClass.A
        elif before * HUNDRED < b_bound * total:
            abc = AbcClass.B
        else:
            abc = AbcClass.C
        running = before
        for key, name, amount in members:
            positive = amount if amount > 0 else ZERO
            running += positive
            result.append(
                AbcItem(
                    key, name, amount, abc, _percent(positive, total), _percent(running, total)
                )
            )
        before = running
    return AbcResult(tuple(result), total)


# --- churn -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChurnSignal:
    client_id: int
    client_name: str
    owner_id: int
    reason: str  # "fall" or "silence"
    recent: Decimal  # shipped in the last 90 days (today−89 … today)
    previous: Decimal  # shipped in the 90 days before
    days_since_order: int | None  # None: no order known
    usual_gap_days: int | None  # None: fewer than 3 order days in the last 12 months


def usual_gap(order_days: Sequence[date]) -> Fraction | None:
    """The median interval in days between a client's orders (several orders on one day
    count once); None with fewer than three order days."""
    days = sorted(set(order_days))
    if len(days) < GAP_MIN_ORDERS:
        return None
    gaps = sorted((b - a).days for a, b in pairwise(days))
    middle = len(gaps) // 2
    if len(gaps) % 2:
        return Fraction(gaps[middle])
    return Fraction(gaps[middle - 1] + gaps[middle], 2)


def revenue_fell(recent: Decimal, previous: Decimal, drop_percent: int) -> bool:
    """Fell by more than `drop_percent` (exactly that much is not a signal); a client with
    no (or negative) revenue before cannot fall."""
    return previous > 0 and (previous - recent) * HUNDRED > drop_percent * previous


def fall_percent(recent: Decimal, previous: Decimal) -> Decimal:
    """How much revenue fell, in whole percent (0 when it did not or cannot)."""
    if previous <= 0 or recent >= previous:
        return Decimal(0)
    return ((previous - recent) * HUNDRED / previous).quantize(Decimal(1), ROUND_HALF_UP)


def churn_reason(
    recent: Decimal,
    previous: Decimal,
    days_since_order: int | None,
    gap: Fraction | None,
    *,
    drop_percent: int,
    silence_factor: int,
) -> str | None:
    """ "fall" when revenue fell by more than the share; else "silence" when the days since
    the last order exceed `silence_factor` × the usual gap (exactly that is not); else
    None. When both hold, "fall" is the reason given."""
    if revenue_fell(recent, previous, drop_percent):
        return "fall"
    if (
        gap is not None
        and days_since_order is not None
        and days_since_order > silence_factor * gap
    ):
        return "silence"
    return None


def churn_signal(
    client_id: int,
    client_name: str,
    owner_id: int,
    *,
    recent: Decimal,
    previous: Decimal,
    last_order: date | None,
    order_days: Sequence[date],
    today: date,
    drop_percent: int,
    silence_factor: int,
) -> ChurnSignal | None:
    gap = usual_gap(order_days)
    since = (today - last_order).days if last_order is not None else None
    reason = churn_reason(
        recent,
        previous,
        since,
        gap,
        drop_percent=drop_percent,
        silence_factor=silence_factor,
    )
    if reason is None:
        return None
    return ChurnSignal(
        client_id,
        client_name,
        owner_id,
        reason,
        recent,
        previous,
        since,
        math.floor(gap + Fraction(1, 2)) if gap is not None else None,
    )


async def churn_signals(
    repos: Repos, owner_ids: Collection[int], today: date, settings: BusinessSettings
) -> list[ChurnSignal]:
    """Churn signals of the key clients these managers own, by owner, falls first, then by
    name. Two queries whatever the number of owners and clients."""
    ids = list(owner_ids)
    if not ids:
        return []
    recent_from = today - timedelta(days=RECENT_DAYS - 1)
    facts = await repos.analytics.churn_facts(
        ids,
        recent_from=recent_from,
        previous_from=recent_from - timedelta(days=RECENT_DAYS),
        until=today,
    )
    days = await repos.analytics.order_days(
        ids, today - timedelta(days=GAP_LOOKBACK_DAYS - 1), today
    )
    return signals_from(facts, days, today, settings)


def signals_from(
    facts: Sequence[ChurnFacts],
    order_days: Mapping[int, Sequence[date]],
    today: date,
    settings: BusinessSettings,
) -> list[ChurnSignal]:
    """The churn signals of these key clients' facts (sales in the two periods, last order,
    order days), by owner, falls first, then by name."""
    drop, factor = int(settings["churn_drop_percent"]), int(settings["churn_silence_factor"])
    signals = [
        signal
        for f in facts
        if (
            signal := churn_signal(
                f.client_id,
                f.name,
                f.owner_id,
                recent=f.recent,
                previous=f.previous,
                last_order=f.last_order,
                order_days=order_days.get(f.client_id, []),
                today=today,
                drop_percent=drop,
                silence_factor=factor,
            )
        )
        is not None
    ]
    signals.sort(key=lambda s: (s.owner_id, s.reason != "fall", s.client_name.casefold()))
    return signals


# --- the ABC screens ---------------------------------------------------------------------------

# Periods offered for ABC, by the code its button carries: this month, this quarter, last
# quarter, this year (the report periods w, l, m, q are understood too).
ABC_PERIODS = ("m", "q", "p", "y")
SUBJECTS = ("c", "p")  # clients, products


def abc_period(code: str, today: date) -> Period:
    """ValueError for an unknown code (callback data is not trusted)."""
    if code == "p":
        return quarter_of(quarter_of(today).start - timedelta(days=1))
    if code == "y":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    return report_period(code, today)


@dataclass(frozen=True)
class AbcReport:
    subject: str  # "c" clients, "p" products
    period: Period
    result: AbcResult
    can_write_tiers: bool  # a supervisor or an admin, on clients
    tier_changes: dict[int, Tier]  # client → the tier ABC gives it, where that differs


def may_write_tiers(user: UserDTO) -> bool:
    return user.role in (Role.ADMIN, Role.SUPERVISOR)


async def abc_report(
    repos: Repos, user: UserDTO, subject: str, period: Period, settings: BusinessSettings
) -> AbcReport:
    """ABC of the clients (or products) the user may see: a manager their own clients, a
    supervisor the team's, an admin all; each document counted for the manager who owned
    its client on the document's date, so a past period is what it was. One query."""

    if subject not in SUBJECTS or user.role not in (Role.ADMIN, Role.SUPERVISOR, Role.MANAGER):
        raise AccessDenied
    owners = await visible_owners(repos, user)
    thresholds: tuple[int, int] = settings["abc_thresholds"]
    changes: dict[int, Tier] = {}
    if subject == "c":
        clients = await repos.analytics.client_revenue(owners, period.start, period.end)
        result = classify(((c.client_id, c.name, c.revenue) for c in clients), thresholds)
        classes = {item.key: item.abc for item in result.items}
        for client in clients:
            abc = classes[client.client_id]
            # A client handed over to another team since the period keeps its revenue of
            # that time here, but its tier is no longer this team's to write.
            visible = owners is None or client.owner_id in owners
            if visible and client.tier != abc.value:
                changes[client.client_id] = Tier(abc.value)
    else:
        products = await repos.analytics.product_revenue(owners, period.start, period.end)
        result = classify(((p.code, p.name, p.revenue) for p in products), thresholds)
    return AbcReport(subject, period, result, subject == "c" and may_write_tiers(user), changes)


async def apply_abc_tiers(
    repos: Repos, user: UserDTO, period: Period, settings: BusinessSettings, *, now: datetime
) -> int:
    """Write the clients' ABC classes of the period into their tiers (supervisors: the
    team's clients, admins: all), recomputed here from the data, never from the button.
    Only changed clients are written, each through the audited repository path, in the
    caller's one transaction. Returns how many changed."""

    if not may_write_tiers(user):
        raise AccessDenied
    report = await abc_report(repos, user, "c", period, settings)
    if report.result.empty:  # nothing shipped: no classes to write (all would be C)
        return 0
    for client_id, tier in sorted(report.tier_changes.items()):
        await repos.clients.update(client_id, ClientUpdate(tier=tier), actor_id=user.id, now=now)
    return len(report.tier_changes)
