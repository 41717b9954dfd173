"""Texts of the analysis screens: the ABC result and its confirmation."""

from __future__ import annotations

from decimal import Decimal

from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.services.analytics import AbcClass, AbcReport
from bot.services.money import format_money
from bot.views.common.texts import TELEGRAM_TEXT_LIMIT

TOP_PER_CLASS = 5
NAME_LIMIT = 60


def _name(text: str) -> str:
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"


def abc_text(report: AbcReport, l10n: L10n) -> str:
    """Counts and revenue share per class and the top items of each; always one message
    (at most 15 items of bounded length)."""
    subject = "clients" if report.subject == "c" else "products"

    def money(amount: Decimal) -> str:
        return format_money(amount, "RUB", l10n.language)

    title = l10n(
        f"abc-title-{subject}", period=formatting.period_label(report.period, l10n.language)
    )
    if report.result.empty:
        return "\n".join([title, l10n("abc-empty")])
    lines = [title, l10n("abc-total", total=money(report.result.total))]
    for group in report.result.groups:
        lines.append("")
        lines.append(
            l10n(
                f"abc-class-{subject}",
                abc=group.abc.value,
                count=group.count,
                share=formatting.percent(group.share, l10n.language),
                revenue=money(group.revenue),
            )
        )
        members = report.result.of(AbcClass(group.abc))
        for item in members[:TOP_PER_CLASS]:
            lines.append(
                l10n(
                    "abc-item",
                    name=_name(item.name),
                    revenue=money(item.revenue),
                    share=formatting.percent(item.share, l10n.language),
                )
            )
        if len(members) > TOP_PER_CLASS:
            lines.append(l10n("abc-more", count=len(members) - TOP_PER_CLASS))
    if report.can_write_tiers:
        lines.append("")
        lines.append(l10n("abc-tier-changes", count=len(report.tier_changes)))
    return "\n".join(lines)[:TELEGRAM_TEXT_LIMIT]


def abc_confirm_text(report: AbcReport, l10n: L10n) -> str:
    counts = dict.fromkeys("ABC", 0)
    for tier in report.tier_changes.values():
        counts[tier.value] += 1
    return l10n(
        "abc-confirm",
        period=formatting.period_label(report.period, l10n.language),
        count=len(report.tier_changes),
        a=counts["A"],
        b=counts["B"],
        c=counts["C"],
    )
