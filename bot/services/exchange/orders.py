"""Orders taken in the chat, through 1C's site exchange: handed over on `query`, taken on
`success`, and 1C's answer about them (its number, paid, shipped, cancelled) applied and
told to each order's manager."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.services.business_settings import load_settings
from bot.services.commerceml import read_order_updates, write_orders
from bot.services.commerceml.model import (
    OrderParty,
    OrderStatusUpdate,
    OutgoingOrder,
    OutgoingOrderLine,
)
from bot.services.notifications import Texts, notify_users
from storage.chat_orders import ChatOrderState, ExportOrder, OrderStatus
from storage.engine import Database
from storage.repositories import Repos

_GUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def outgoing(order: ExportOrder) -> OutgoingOrder:
    """An order as 1C's exchange loads it: the buyer by ИНН/КПП (and 1C's id, when the
    client's ERP code is one), products by 1C id and article, the manager as 1C knows them."""
    return OutgoingOrder(
        site_id=order.site_id,
        number=order.number,
        created_at=order.created_at,
        currency=order.currency,
        amount=order.amount,
        client=OrderParty(
            name=order.client_name,
            inn=order.client_inn,
            kpp=order.client_kpp or None,
            onec_id=order.client_code
            if order.client_code and _GUID.match(order.client_code)
            else None,
        ),
        lines=tuple(
            OutgoingOrderLine(
                product_onec_id=line.product_onec_id,
                article=line.code,
                name=line.name,
                unit=line.unit,
                unit_code=line.unit_code,
                quantity=line.quantity,
                price=line.price,
                amount=line.amount,
            )
            for line in order.lines
        ),
        delivery_date=order.delivery_date,
        manager_name=order.manager_erp_name or order.manager_name,
        comment=order.comment,
        cancelled=order.state is ChatOrderState.CANCELLED,
    )


async def orders_for_onec(
    database: Database, *, now: datetime, zone: ZoneInfo, encoding: str, schema_version: str
) -> tuple[bytes, int]:
    """`query`: the orders 1C has not confirmed taking, as orders.xml; each marked as handed
    over in this version, so `success` confirms exactly what 1C was given."""
    async with database.transaction() as session:
        repos = Repos(session)
        due = await repos.chat_orders.due_to_onec()
        document = write_orders(
            [outgoing(o) for o in due],
            generated_at=now,
            zone=zone,
            encoding=encoding,
            schema_version=schema_version,
        )
        await repos.chat_orders.mark_queried([(o.id, o.version) for o in due])
    return document, len(due)


async def confirm_orders(database: Database, *, now: datetime) -> int:
    """`success`: 1C has taken what the last query handed over."""
    async with database.transaction() as session:
        return await Repos(session).chat_orders.confirm_queried(now)


def state_of(update: OrderStatusUpdate) -> ChatOrderState | None:
    """The state 1C's answer puts an order in: cancelled, else shipped, else paid, else
    accepted once 1C has numbered it; None: nothing to change."""
    if update.cancelled:
        return ChatOrderState.CANCELLED
    if update.shipped:
        return ChatOrderState.SHIPPED
    if update.paid:
        return ChatOrderState.PAID
    if update.onec_number:
        return ChatOrderState.ACCEPTED
    return None


async def apply_order_updates(
    database: Database, path: Path, *, max_bytes: int, now: datetime, texts: Texts
) -> dict[str, int]:
    """1C's file about our orders (type=sale). Read whole before anything is written (a
    few hundred documents at most); each change of state told to the order's manager."""
    updates = list(read_order_updates(path, max_bytes=max_bytes))
    statuses = [
        OrderStatus(
            site_id=u.site_id,
            number=u.site_number,
            onec_number=u.onec_number,
            onec_date=u.onec_date,
            onec_status=u.status,
            state=state_of(u),
        )
        for u in updates
    ]
    async with database.transaction() as session:
        repos = Repos(session)
        changes, unknown = await repos.chat_orders.apply_statuses(statuses, now)
        if changes:
            settings = await load_settings(repos)
            managers = {u.id: u for u in await repos.users.list_users(active_only=True)}
            news = [
                (
                    manager,
                    "chat_order",
                    f"{change.order_id}:{change.after.value}",
                    texts.get(manager.language)(
                        f"exchange-order-{change.after.value}",
                        number=change.number,
                        client=change.client_name,
                        onec_number=change.onec_number or "—",
                    ),
                )
                for change in changes
                if (manager := managers.get(change.manager_id)) is not None
            ]
            await notify_users(repos, news, now=now, quiet=settings.quiet_hours, once=True)
    return {"documents": len(updates), "changed": len(changes), "unknown": unknown}
