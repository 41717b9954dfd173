"""Texts of the order dialog, of a chat order's view and of the /orders section: pure
functions of data and the catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.services.chat_orders import (
    ChatOrderDTO,
    ChatOrderError,
    ChatOrderState,
    OrderItem,
    OrderSummary,
    OrderView,
    ProductsStep,
    Repeated,
)
from bot.views.common.texts import fmt_moment
from storage.dto import UserDTO


def state_name(l10n: L10n, state: ChatOrderState) -> str:
    return l10n(f"chat-order-state-{state.value}")


def unit_name(l10n: L10n, unit: str | None) -> str:
    return unit or l10n("chat-order-unit-none")


def quantity_text(quantity: Decimal, unit: str | None, language: str) -> str:
    return formatting.quantity(quantity, unit, language)


def price_text(item: OrderItem, language: str) -> str:
    if item.price is None:
        return "—"
    return formatting.money(item.price, item.currency or "RUB", language)


def error_text(l10n: L10n, error: ChatOrderError) -> str:
    """A refusal in the user's language: dates as DD.MM.YYYY, numbers as the locale writes
    them."""
    values: dict[str, Any] = {}
    for name, value in error.values.items():
        if isinstance(value, date):
            values[name] = formatting.day(value, l10n.language)
        else:
            values[name] = value
    return l10n(error.reason, **values)


def products_text(l10n: L10n, step: ProductsStep, notice: str | None = None) -> str:
    """The products step: whose order, what it holds so far, what to do next."""
    language = l10n.language
    if step.order is not None:
        title = l10n("chat-order-edit-title", number=step.order.number, client=step.client.name)
    else:
        title = l10n("chat-order-new-title", client=step.client.name)
    parts = [notice] if notice else []
    parts.append(title)
    if step.lines:
        lines = [l10n("chat-order-draft-title")]
        lines += [
            l10n(
                "chat-order-draft-line",
                n=n,
                product=line.item.name,
                quantity=quantity_text(line.quantity, line.item.unit, language),
            )
            for n, line in enumerate(step.lines, start=1)
        ]
        parts.append("\n".join(lines))
        parts.append(l10n("chat-order-ask-more"))
    elif step.usual:
        parts.append(l10n("chat-order-ask-product"))
    else:
        parts.append(l10n("chat-order-no-usual"))
    return "\n\n".join(parts)


def repeated_notice(l10n: L10n, repeated: Repeated) -> str:
    lines = [l10n("chat-order-repeated")]
    if repeated.left_out:
        lines.append(l10n("chat-order-repeat-left-out", products=", ".join(repeated.left_out)))
    if repeated.gone:
        lines.append(l10n("chat-order-repeat-gone", count=repeated.gone))
    return "\n".join(lines)


def line_added(l10n: L10n, item: OrderItem, quantity: Decimal) -> str:
    return l10n(
        "chat-order-line-added",
        product=item.name,
        quantity=quantity_text(quantity, item.unit, l10n.language),
    )


def found_text(l10n: L10n, items: Sequence[OrderItem], query: str) -> str:
    if not items:
        return l10n("chat-order-found-none", query=query[:100])
    return l10n("chat-order-found", count=len(items), query=query[:100])


def quantity_prompt(l10n: L10n, item: OrderItem, current: Decimal | None) -> str:
    language = l10n.language
    unit = unit_name(l10n, item.unit)
    stock = (
        quantity_text(item.in_stock, item.unit, language)
        if item.in_stock is not None
        else l10n("chat-order-stock-unknown")
    )
    text = l10n(
        "chat-order-ask-quantity",
        product=item.name,
        code=item.code,
        price=price_text(item, language),
        unit=unit,
        stock=stock,
    )
    if current is not None:
        again = l10n(
            "chat-order-ask-quantity-again",
            quantity=quantity_text(current, item.unit, language),
        )
        text = f"{text}\n{again}"
    return text


def summary_text(l10n: L10n, summary: OrderSummary) -> str:
    """Each line at today's price with its amount, a stock warning where the quantity
    exceeds what 1C states in stock, the total, the delivery date and the comment."""
    language = l10n.language

    def money(amount: Decimal) -> str:
        return formatting.money(amount, summary.currency, language)

    lines = [l10n("chat-order-summary-title", client=summary.client.name)]
    for n, line in enumerate(summary.lines, start=1):
        item = line.item
        text = l10n(
            "chat-order-summary-line",
            n=n,
            product=item.name,
            code=item.code,
            quantity=quantity_text(line.quantity, item.unit, language),
            price=money(line.price),
            amount=money(line.amount),
        )
        if line.short and item.in_stock is not None:
            warning = (
                l10n(
                    "chat-order-stock-short",
                    stock=quantity_text(item.in_stock, item.unit, language),
                )
                if item.in_stock > 0
                else l10n("chat-order-stock-none")
            )
            text = f"{text}\n    {warning}"
        lines.append(text)
    lines.append(l10n("chat-order-summary-total", amount=money(summary.total)))
    lines.append(
        l10n("chat-order-summary-delivery", date=formatting.day(summary.delivery, language))
    )
    lines.append(
        l10n("chat-order-summary-comment", comment=summary.comment)
        if summary.comment
        else l10n("chat-order-summary-no-comment")
    )
    if summary.any_short:
        lines.append(l10n("chat-order-summary-stock-note"))
    return "\n".join(lines)


def saved_text(l10n: L10n, order: ChatOrderDTO, *, changed: bool) -> str:
    return l10n(
        "chat-order-changed" if changed else "chat-order-created",
        number=order.number,
        amount=formatting.money(order.amount, order.currency, l10n.language),
        date=formatting.day(order.delivery_date, l10n.language),
    )


def order_text(l10n: L10n, view: OrderView, user: UserDTO) -> str:
    """A chat order: state, 1C's number and status when known, delivery, comment, lines."""
    language = l10n.language
    order = view.order

    def money(amount: Decimal) -> str:
        return formatting.money(amount, order.currency, language)

    lines = [
        l10n("chat-order-view-title", number=order.number, client=order.client_name),
        l10n("chat-order-view-state", state=state_name(l10n, order.state)),
    ]
    if order.onec_number:
        lines.append(
            l10n(
                "chat-order-view-onec-dated",
                number=order.onec_number,
                date=formatting.day(order.onec_date, language),
            )
            if order.onec_date
            else l10n("chat-order-view-onec", number=order.onec_number)
        )
    if order.onec_status:
        lines.append(l10n("chat-order-view-onec-status", status=order.onec_status))
    lines.append(
        l10n("chat-order-view-delivery", date=formatting.day(order.delivery_date, language))
    )
    if order.comment:
        lines.append(l10n("chat-order-view-comment", comment=order.comment))
    for line in view.lines:
        lines.append(
            l10n(
                "chat-order-view-line",
                n=line.line_no,
                product=line.name,
                code=line.code,
                quantity=quantity_text(line.quantity, line.unit, language),
                price=money(line.price),
                amount=money(line.amount),
            )
        )
    lines.append(l10n("chat-order-view-total", amount=money(order.amount)))
    lines.append(l10n("chat-order-view-taken", at=fmt_moment(order.created_at, user)))
    return "\n".join(lines)


def cancel_question(l10n: L10n, order: ChatOrderDTO) -> str:
    return l10n("chat-order-ask-cancel", number=order.number, client=order.client_name)


def open_orders_text(l10n: L10n, orders: Sequence[ChatOrderDTO]) -> str:
    """The section /orders starts with: the open orders taken in the chat."""
    language = l10n.language
    lines = [l10n("chat-orders-section", count=len(orders))]
    lines += [
        l10n(
            "chat-orders-section-line",
            number=o.number,
            client=o.client_name,
            amount=formatting.money(o.amount, o.currency, language),
            date=formatting.day(o.delivery_date, language),
            state=state_name(l10n, o.state),
        )
        for o in orders
    ]
    return "\n".join(lines)
