"""Texts, buttons and chart data of the supervisors' team summaries, in the recipient's
language. Pure functions of a TeamSummary: the same rendering serves the scheduled
summaries (written to the outbox) and /report, /team (answered at once)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n, Translator
from bot.services import formatting
from bot.services.analytics import ChurnSignal
from bot.services.money import format_money
from bot.services.plans import Period
from bot.services.reports import (
    AGING_BUCKETS,
    Attention,
    AttentionKind,
    ManagerFigures,
    SummaryKind,
    TeamSummary,
)
from bot.views.accounts.callbacks import ClientAction, ClientCallback
from bot.views.claims.callbacks import ClaimCallback
from bot.views.common.callbacks import ReportPeriod
from bot.views.common.charts import ChartData, ChartTexts
from bot.views.common.texts import fmt_date
from bot.views.reports.callbacks import ReportCallback, TeamCallback
from storage.dto import Channel, UserDTO

BUCKET_LABELS = ("1–30", "31–60", "61–90", "90+")


def _money(amount: Decimal, language: str) -> str:
    return format_money(amount, "RUB", language)


def _period(period: Period, l10n: L10n) -> str:
    if period.start == period.end:
        return fmt_date(period.start)
    return formatting.period_label(period, l10n.language)


def _channels(l10n: L10n, contacts: dict[str, int] | Any) -> str:
    ordered = [c.value for c in Channel if contacts.get(c.value)]
    return ", ".join(
        l10n(
            "report-channel",
            name=l10n(f"channel-{c}").lower(),
            count=formatting.number(contacts[c], l10n.language),
        )
        for c in ordered
    )


def manager_lines(l10n: L10n, row: ManagerFigures, plan_period: Period) -> list[str]:
    """The four lines of one manager (or team). Counts go in as text written by
    bot.services.formatting: Fluent would format them through Babel's pattern engine,
    which costs more than the whole line (the same digits either way)."""
    language = l10n.language

    def count(value: int) -> str:
        return formatting.number(value, language)

    channels = _channels(l10n, row.contacts)
    lines = [
        l10n(
            "report-contacts",
            total=count(row.contacts_total),
            channels=f" ({channels})" if channels else "",
            contacted=count(row.key_contacted),
            due=count(row.key_due),
        ),
        l10n(
            "report-missed",
            missed=count(row.follow_ups_missed),
            overdue=_money(row.overdue_total, language),
            new=_money(row.overdue_new, language),
        ),
        l10n(
            "report-claims",
            opened=count(row.claims_opened),
            closed=count(row.claims_closed),
            late=count(row.claims_late),
            won=count(row.won),
            won_amount=_money(row.won_amount, language),
            lost=count(row.lost),
        ),
    ]
    result = row.fulfilment
    if result is None:
        lines.append(
            l10n("report-no-plan", period=formatting.period_label(plan_period, l10n.language))
        )
    else:
        lines.append(
            l10n(
                "report-plan",
                period=formatting.period_label(plan_period, l10n.language),
                percent=formatting.percent(result.percent, language),
                actual=_money(result.actual, language),
                plan=_money(result.plan, language),
                forecast=_money(result.forecast, language),
            )
        )
    return lines


def row_heading(l10n: L10n, summary: TeamSummary, row: ManagerFigures) -> str:
    if not summary.by_team:
        return l10n("report-manager", name=row.name)
    return l10n("report-team-row", name=row.name) if row.name else l10n("report-no-team")


def _row_name(l10n: L10n, summary: TeamSummary, row: ManagerFigures) -> str:
    return row.name or (l10n("report-no-team-short") if summary.by_team else "")


def _attention_line(l10n: L10n, number: int, item: Attention) -> str:
    language = l10n.language
    if item.kind is AttentionKind.OVERDUE:
        return l10n(
            "report-attention-overdue",
            n=number,
            client=item.client_name,
            amount=_money(item.amount or Decimal("0"), language),
            manager=item.manager_name,
        )
    if item.kind is AttentionKind.NEGLECTED:
        return l10n(
            "report-attention-neglected",
            n=number,
            client=item.client_name,
            days=item.days,
            manager=item.manager_name,
        )
    return l10n(
        "report-attention-claim" if item.days >= 0 else "report-attention-claim-late",
        n=number,
        number=item.number,
        client=item.client_name,
        deadline=fmt_date(item.deadline) if item.deadline else "—",
        days=abs(item.days),
        manager=item.manager_name,
    )


def churn_percent(signal: ChurnSignal) -> Decimal:
    """How far revenue fell against the 90 days before, in percent."""
    if not signal.previous:
        return Decimal("0")
    return ((signal.previous - signal.recent) / signal.previous * 100).quantize(
        Decimal("1"), ROUND_HALF_UP
    )


def _churn_line(l10n: L10n, signal: ChurnSignal, names: dict[int, str]) -> str:
    manager = names.get(signal.owner_id, "")
    if signal.reason == "fall":
        return l10n(
            "report-churn-fall",
            client=signal.client_name,
            recent=_money(signal.recent, l10n.language),
            previous=_money(signal.previous, l10n.language),
            # A fall: the figure carries its minus, as every signed percentage does.
            percent=formatting.percent(-churn_percent(signal), l10n.language),
            manager=manager,
        )
    return l10n(
        "report-churn-silence",
        client=signal.client_name,
        days=signal.days_since_order or 0,
        usual=signal.usual_gap_days or 0,
        manager=manager,
    )


def summary_title(l10n: L10n, summary: TeamSummary, scope: str) -> str:
    if summary.kind is SummaryKind.DAILY:
        return l10n("report-title-daily", date=fmt_date(summary.today), scope=scope)
    key = "report-title-weekly" if summary.kind is SummaryKind.WEEKLY else "report-title"
    return l10n(
        key, period=_period(summary.period, l10n), date=fmt_date(summary.today), scope=scope
    )


def summary_text(l10n: L10n, summary: TeamSummary, *, scope: str) -> str:
    if summary.empty:
        return l10n("report-empty")
    names = {m.user_id: m.name for m in summary.managers}
    out = [summary_title(l10n, summary, scope)]
    for row in summary.managers:
        out.append("")
        out.append(row_heading(l10n, summary, row))
        out += manager_lines(l10n, row, summary.plan_period)
    if len(summary.managers) > 1:
        out.append("")
        out.append(l10n("report-company-total" if summary.by_team else "report-team"))
        out += manager_lines(l10n, summary.total, summary.plan_period)
    aging = summary.aging
    if any(aging.values()):
        out.append(
            l10n(
                "report-aging",
                **{
                    f"b{i}": _money(aging.get(bucket, Decimal("0")), l10n.language)
                    for i, bucket in enumerate(AGING_BUCKETS, start=1)
                },
            )
        )
    out.append("")
    if summary.attention:
        out.append(l10n("report-attention"))
        out += [
            _attention_line(l10n, number, item)
            for number, item in enumerate(summary.attention, start=1)
        ]
    else:
        out.append(l10n("report-attention-none"))
    if summary.churn:
        out.append(l10n("report-churn"))
        out += [_churn_line(l10n, signal, names) for signal in summary.churn[:10]]
        if len(summary.churn) > 10:
            out.append(l10n("report-churn-more", count=len(summary.churn) - 10))
    return "\n".join(out)


def attention_markup(summary: TeamSummary) -> InlineKeyboardMarkup | None:
    """One numbered button per attention item: the client's card, or the claim's."""
    if not summary.attention:
        return None
    builder = InlineKeyboardBuilder()
    for number, item in enumerate(summary.attention, start=1):
        if item.kind is AttentionKind.CLAIM:
            builder.button(text=str(number), callback_data=ClaimCallback(claim_id=item.item_id))
        else:
            builder.button(
                text=str(number),
                callback_data=ClientCallback(action=ClientAction.OPEN, client_id=item.item_id),
            )
    builder.adjust(len(summary.attention))
    return builder.as_markup()


def scope_name(l10n: L10n, user: UserDTO) -> str:
    return l10n("report-scope-company") if user.role.value == "admin" else user.full_name


def chart_inputs(l10n: L10n, summary: TeamSummary) -> tuple[ChartData, ChartTexts]:
    rows = summary.managers
    data = ChartData(
        names=[_row_name(l10n, summary, r) for r in rows],
        plan=[r.plan for r in rows],
        actual=[r.actual for r in rows],
        aging=[summary.aging.get(b, Decimal("0")) for b in AGING_BUCKETS],
    )
    texts = ChartTexts(
        title=l10n("chart-title", period=_period(summary.period, l10n)),
        plan_title=l10n(
            "chart-plan-title", period=formatting.period_label(summary.plan_period, l10n.language)
        ),
        plan=l10n("chart-plan"),
        actual=l10n("chart-actual"),
        aging_title=l10n("chart-aging-title", date=fmt_date(summary.today)),
        unit=l10n("chart-unit"),
        buckets=BUCKET_LABELS,
        no_plans=l10n("chart-no-plans"),
        language=l10n.language,
    )
    return data, texts


def period_markup(l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code in ReportPeriod:
        builder.button(
            text=l10n(f"report-period-{code}"), callback_data=ReportCallback(period=code)
        )
    builder.adjust(2)
    return builder.as_markup()


def team_text(l10n: L10n, summary: TeamSummary, team: str | None = None) -> str:
    if summary.empty:
        return l10n("report-empty")
    if summary.by_team:
        title = l10n("team-title-company", period=_period(summary.period, l10n))
    elif team is not None:
        title = l10n("team-title-of", period=_period(summary.period, l10n), name=team)
    else:
        title = l10n("team-title", period=_period(summary.period, l10n))
    lines = [title]
    for number, row in enumerate(summary.managers, start=1):
        lines.append(
            l10n(
                "team-line",
                n=number,
                name=_row_name(l10n, summary, row),
                contacts=formatting.number(row.contacts_total, l10n.language),
                contacted=formatting.number(row.key_contacted, l10n.language),
                due=formatting.number(row.key_due, l10n.language),
                missed=formatting.number(row.follow_ups_missed, l10n.language),
                overdue=_money(row.overdue_total, l10n.language),
                plan=(
                    formatting.percent(row.fulfilment.percent, l10n.language)
                    if row.fulfilment
                    else "—"
                ),
            )
        )
    return "\n".join(lines)


def team_markup(summary: TeamSummary) -> InlineKeyboardMarkup | None:
    if summary.empty:
        return None
    builder = InlineKeyboardBuilder()
    for number, row in enumerate(summary.managers, start=1):
        # An admin's rows are teams: a number opens the team, then its managers.
        data = (
            TeamCallback(team=row.user_id or -1)
            if summary.by_team
            else TeamCallback(user_id=row.user_id)
        )
        builder.button(text=str(number), callback_data=data)
    builder.adjust(8)
    return builder.as_markup()


def manager_view_markup(
    l10n: L10n, summary: TeamSummary, back: TeamCallback
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    attention = attention_markup(summary)
    if attention is not None:
        builder.attach(InlineKeyboardBuilder.from_markup(attention))
    builder.row()
    builder.button(text=l10n("team-back"), callback_data=back)
    return builder.as_markup()


class ReportTexts:
    """The scheduled summaries' renderer: (text, buttons as a dict for the outbox) and the
    chart's inputs, each in the recipient's language."""

    def __init__(self, translator: Translator) -> None:
        self._translator = translator

    def summary(self, user: UserDTO, summary: TeamSummary) -> tuple[str, dict[str, Any] | None]:
        l10n = self._translator.get(user.language)
        markup = attention_markup(summary)
        return (
            summary_text(l10n, summary, scope=scope_name(l10n, user)),
            markup.model_dump(exclude_none=True) if markup else None,
        )

    def chart(self, user: UserDTO, summary: TeamSummary) -> tuple[ChartData, ChartTexts]:
        return chart_inputs(self._translator.get(user.language), summary)
