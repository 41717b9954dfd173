"""Monthly and quarterly sales plans for every manager (last and this month, last and this
quarter), set by their supervisor a little above what the manager shipped lately."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from bot.demo.company.story import Story, money
from bot.services.plans import Period, month_of, quarter_of
from storage.dto import Role


async def sales_plans(story: Story) -> None:
    shipped: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    since = story.today - timedelta(days=182)
    for s in story.shipments:
        if s.shipped_on >= since:
            shipped[s.client.owner.id] += s.amount
    supervisors = {u.id: u for u in story.users if u.role is Role.SUPERVISOR}
    periods: list[tuple[Period, int]] = []
    this_month, this_quarter = month_of(story.today), quarter_of(story.today)
    periods += [(month_of(this_month.start - timedelta(days=1)), 1), (this_month, 1)]
    periods += [(quarter_of(this_quarter.start - timedelta(days=1)), 3), (this_quarter, 3)]
    for manager in story.managers:
        monthly = shipped[manager.id] / 6
        boss = supervisors[manager.supervisor_id] if manager.supervisor_id else None
        for period, months in periods:
            amount = monthly * months * Decimal(str(story.rnd.uniform(1.0, 1.2)))
            await story.repos.plans.set(
                manager.id,
                period.start,
                period.end,
                money(round(amount, -4)),
                actor_id=boss.id if boss else None,
                now=story.at(period.start - timedelta(days=3), 12)
                if period.start < story.today
                else story.stamp,
            )
            story.count("plans")
