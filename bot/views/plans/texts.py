"""Texts of /plan: the month's and quarter's fulfilment, manager by manager."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.services.money import format_money
from bot.services.plans import ClientPlanLine, Period, PlanLine


@dataclass(frozen=True)
class PeriodPlans:
    """One period's section of /plan: the managers' lines and their clients' plans."""

    period: Period
    lines: list[PlanLine]
    client_lines: list[ClientPlanLine]


def shown_period(l10n: L10n, period: Period) -> str:
    """The period as a screen shows it, in the user's language ("November 2026")."""
    return formatting.period_label(period, l10n.language)


def _rub(amount: Decimal, *, language: str) -> str:
    return format_money(amount, "RUB", language)


def period_plans_text(l10n: L10n, section: PeriodPlans, language: str) -> str:
    out = [l10n("plan-period", period=formatting.period_label(section.period, language))]
    money = partial(_rub, language=language)
    for line in section.lines:
        r = line.result
        out.append(
            l10n(
                "plan-line",
                name=line.name,
                actual=money(r.actual),
                plan=money(r.plan),
                percent=formatting.percent(r.percent, language),
                forecast=money(r.forecast),
                gap=money(r.gap_per_day),
                left=r.days_left,
            )
        )
        for c in section.client_lines:
            if c.user_id != line.user_id:
                continue
            out.append(
                l10n(
                    "plan-client-line",
                    client=c.client_name,
                    actual=money(c.result.actual),
                    plan=money(c.result.plan),
                    percent=formatting.percent(c.result.percent, language),
                    forecast=money(c.result.forecast),
                    gap=money(c.result.gap_per_day),
                )
            )
    return "\n".join(out)


def plans_text(l10n: L10n, sections: Sequence[PeriodPlans], language: str) -> str:
    """The /plan screen: a section per period, or "no plans yet"."""
    parts = [period_plans_text(l10n, section, language) for section in sections]
    return "\n\n".join(parts) if any(parts) else l10n("plan-none")
