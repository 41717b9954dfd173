"""Texts of the ERP screens: debts, orders, an order, prices, an import's summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from functools import partial

from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.services.bank_import import BankImportSummary
from bot.services.erp_import import ImportSummary
from bot.services.erp_views import DebtsReport, OrderView
from bot.services.money import format_money
from bot.views.common.texts import fmt_date, fmt_moment
from storage.dto import UserDTO
from storage.erp_dto import OrderRow, PriceLine

SHOWN_OVERDUE = 15


def _money(amount: Decimal, *, currency: str, language: str) -> str:
    return format_money(amount, currency, language)


def debts_text(
    reports: Sequence[DebtsReport],
    l10n: L10n,
    user: UserDTO,
    *,
    names: dict[int | None, str],
    by_manager: bool,
    single: bool,
    as_of: datetime | None = None,
) -> str:
    """`as_of`: when shipments or payments were last applied (an import or the sync), so a
    manager knows how fresh the figures are."""
    fresh = f"\n\n{l10n('debts-as-of', at=fmt_moment(as_of, user))}" if as_of else ""
    if not reports:
        return l10n("debts-none") + fresh
    lang = user.language
    parts = []
    for report in reports:
        m = partial(_money, currency=report.currency, language=lang)
        lines = [l10n("debts-title", total=m(report.total), overdue=m(report.overdue))]
        buckets = report.buckets
        lines.append(
            l10n(
                "debts-aging",
                b1=m(buckets["1-30"]),
                b2=m(buckets["31-60"]),
                b3=m(buckets["61-90"]),
                b4=m(buckets["90+"]),
            )
        )
        if report.advance:
            lines.append(l10n("debts-advance", amount=m(report.advance)))
        if by_manager:
            lines.append(l10n("debts-by-manager"))
            for owner, (total, overdue) in sorted(
                report.by_owner().items(), key=lambda kv: -kv[1][1]
            ):
                lines.append(f"• {names.get(owner, '—')}: {m(total)} / {m(overdue)}")
        for line in report.lines[: 1 if single else 30]:
            money = line.money
            if not single:
                lines.append(
                    l10n(
                        "debts-client",
                        client=line.client_name,
                        total=m(money.total),
                        overdue=m(money.overdue),
                        days=money.oldest_overdue_days,
                    )
                )
            if line.credit_limit:
                lines.append(l10n("debts-credit", used=m(money.total), limit=m(line.credit_limit)))
            if single:
                for item in money.overdue_oldest_first()[:SHOWN_OVERDUE]:
                    lines.append(
                        l10n(
                            "debts-shipment",
                            number=item.shipment.number,
                            date=fmt_date(item.shipment.shipped_on),
                            amount=m(item.remaining),
                            days=item.days_overdue,
                        )
                    )
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + fresh


def orders_text(
    rows: Sequence[OrderRow], l10n: L10n, user: UserDTO, *, total: int, offset: int
) -> str:
    if not rows:
        return l10n("orders-none")
    lines = [l10n("orders-title", total=total)]
    for index, r in enumerate(rows, start=offset + 1):
        shipped = (
            l10n("orders-shipped", date=fmt_date(r.shipped))
            if r.shipped
            else l10n("orders-not-shipped")
        )
        lines.append(
            f"{index}. №{r.number} {fmt_date(r.order_date)} · {r.client_name} · "
            f"{format_money(r.amount, r.currency, user.language)}"
            f" · {r.status or '—'} · {shipped}"
        )
    return "\n".join(lines)


def order_text(view: OrderView, l10n: L10n, user: UserDTO) -> str:
    o = view.order
    m = partial(_money, currency=o.currency, language=user.language)
    lines = [
        l10n("order-title", number=o.number, date=fmt_date(o.order_date), client=view.client_name),
        l10n(
            "order-status",
            status=o.status or "—",
            amount=m(o.amount),
            ship=fmt_date(o.ship_date) if o.ship_date else "—",
        ),
    ]
    if view.status_history:
        lines.append(l10n("order-status-history"))
        lines += [f"• {fmt_moment(at, user)}: {status}" for at, status in view.status_history]
    if view.lines:
        lines.append(l10n("order-lines"))
        # The quantity after a dash, not a "×": product names carry their own
        # ("Лента 48 мм × 150 м"), and "× 1300" read as part of the name. An export
        # without prices stores 0: no "по 0,00 ₽" then.
        lines += [
            l10n(
                "order-line" if line.price else "order-line-no-price",
                n=line.line_no,
                product=line.product_name,
                quantity=formatting.quantity(line.quantity, None, user.language),
                price=m(line.price),
                amount=m(line.amount),
            )
            for line in view.lines[:50]
        ]
    if view.shipments:
        lines.append(l10n("order-shipments"))
        for s in view.shipments:
            paid = view.paid.get(s.id)
            lines.append(
                l10n(
                    "order-shipment",
                    number=s.number,
                    date=fmt_date(s.shipped_on),
                    amount=m(s.amount),
                    due=fmt_date(s.due_on),
                    paid=m(paid) if paid is not None else "—",
                )
            )
    else:
        lines.append(l10n("order-no-shipments"))
    return "\n".join(lines)


def prices_text(rows: Sequence[PriceLine], l10n: L10n, user: UserDTO, query: str) -> str:
    if not rows:
        return l10n("prices-none", query=query[:100])
    lines = [l10n("prices-title", query=query[:100])]
    for code, name, unit, price, currency, _since, next_price, next_from in rows:
        now = format_money(price, currency or "RUB", user.language) if price is not None else "—"
        line = f"• {name} ({code}): {now}" + (f" / {unit}" if unit else "")
        if next_price is not None and next_from is not None:
            change = ""
            if price:
                rise = (next_price - price) / price * 100
                change = f" ({formatting.percent(rise, user.language, signed=True)})"
            line += "\n  " + l10n(
                "prices-next",
                price=format_money(next_price, currency or "RUB", user.language),
                date=fmt_date(next_from),
                change=change,
            )
        lines.append(line)
    return "\n".join(lines)


def bank_statement_text(summary: BankImportSummary, l10n: L10n) -> str:
    lines = [l10n("bank-statement-read", documents=summary.statement_documents)]
    lines += [l10n(note.reason, **note.details) for note in summary.notes]
    if summary.known:
        lines.append(l10n("bank-known-from-erp", count=len(summary.known)))
    return "\n".join(lines)


def import_summary_text(summary: ImportSummary, l10n: L10n) -> str:
    lines = [
        l10n(
            "import-summary",
            kind=summary.kind,
            read=summary.read,
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=summary.unchanged,
            rejected=len(summary.rejected),
        ),
    ]
    if summary.removed:
        lines.append(l10n("import-removed", count=summary.removed))
    if summary.conflicts:
        lines.append(l10n("import-conflicts", count=len(summary.conflicts)))
    return "\n".join(lines)
