"""Orders taken in the chat: saved, edited, cancelled, handed to 1C's site exchange and
updated from 1C's answer; and what the order dialog offers (a client's usual products,
its last order, products found by name or article, with price and stock)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

# The DTOs of this repository, importable from here too.
from storage.exchange_dto import ChatOrderDTO as ChatOrderDTO
from storage.exchange_dto import ChatOrderLineDTO as ChatOrderLineDTO
from storage.exchange_dto import ChatOrderState as ChatOrderState
from storage.exchange_dto import ExportLine as ExportLine
from storage.exchange_dto import ExportOrder as ExportOrder
from storage.exchange_dto import NewOrderLine as NewOrderLine
from storage.exchange_dto import OrderItem as OrderItem
from storage.exchange_dto import OrderStatus as OrderStatus
from storage.exchange_dto import StatusChange as StatusChange
from storage.models import (
    ChatOrder,
    ChatOrderLine,
    Client,
    Order,
    OrderLine,
    Price,
    Product,
    StockLevel,
    User,
)

_EDITABLE = and_(ChatOrder.state == ChatOrderState.WAITING, ChatOrder.exported_version.is_(None))
NUMBER_PREFIX = "TG-"


_ORDER_COLUMNS = (
    ChatOrder.id,
    ChatOrder.number,
    ChatOrder.site_id,
    ChatOrder.client_id,
    Client.name,
    ChatOrder.manager_id,
    ChatOrder.state,
    ChatOrder.delivery_date,
    ChatOrder.comment,
    ChatOrder.amount,
    ChatOrder.currency,
    ChatOrder.exported_version,
    ChatOrder.version,
    ChatOrder.onec_number,
    ChatOrder.onec_date,
    ChatOrder.onec_status,
    ChatOrder.created_at,
    ChatOrder.updated_at,
)


def _order(row: Any) -> ChatOrderDTO:
    (oid, number, site_id, client_id, client_name, manager_id, state, delivery, comment) = row[:9]
    amount, currency, exported_version = row[9:12]
    return ChatOrderDTO(
        oid,
        number,
        site_id,
        client_id,
        client_name,
        manager_id,
        ChatOrderState(state),
        delivery,
        comment,
        amount,
        currency,
        exported_version is not None,
        *row[13:],
    )


class ChatOrderRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- what the dialog offers --------------------------------------------------------------

    def _items(self, on: date) -> Any:
        latest = (
            select(Price.product_id, func.max(Price.effective_from).label("since"))
            .where(Price.effective_from <= on, Price.removed_in_erp.is_(False))
            .group_by(Price.product_id)
            .subquery()
        )
        stock = (
            select(StockLevel.product_id, func.sum(StockLevel.quantity).label("quantity"))
            .group_by(StockLevel.product_id)
            .subquery()
        )
        return (
            select(
                Product.id,
                Product.code,
                Product.name,
                Product.unit,
                Product.unit_code,
                Price.price,
                Price.currency,
                stock.c.quantity,
            )
            .outerjoin(latest, latest.c.product_id == Product.id)
            .outerjoin(
                Price,
                (Price.product_id == Product.id) & (Price.effective_from == latest.c.since),
            )
            .outerjoin(stock, stock.c.product_id == Product.id)
            .where(Product.removed_in_erp.is_(False))
        )

    async def find_items(
        self, key: str | None, code: str, on: date, limit: int
    ) -> list[OrderItem]:
        """Products whose name holds the fragment or whose article (code) is this one
        (`key` None: the article only)."""
        matches = (
            Product.code == code
            if key is None
            else or_(Product.search_key.contains(key, autoescape=True), Product.code == code)
        )
        query = (
            self._items(on)
            .where(matches)
            .order_by(Product.code != code, Product.name)
            .limit(limit)
        )
        return [_item(r) for r in await self._session.execute(query)]

    async def items(self, product_ids: Collection[int], on: date) -> list[OrderItem]:
        query = self._items(on).where(Product.id.in_(list(product_ids))).order_by(Product.name)
        return [_item(r) for r in await self._session.execute(query)]

    async def usual_items(
        self, client_id: int, since: date, on: date, limit: int
    ) -> list[OrderItem]:
        """What the client ordered since `since`, most often ordered first."""
        bought = (
            select(OrderLine.product_code, func.count().label("times"))
            .join(Order, Order.id == OrderLine.order_id)
            .where(
                Order.client_id == client_id,
                Order.order_date >= since,
                Order.removed_in_erp.is_(False),
                OrderLine.removed_in_erp.is_(False),
            )
            .group_by(OrderLine.product_code)
            .subquery()
        )
        query = (
            self._items(on)
            .join(bought, bought.c.product_code == Product.code)
            .order_by(bought.c.times.desc(), Product.name)
            .limit(limit)
        )
        return [_item(r) for r in await self._session.execute(query)]

    def _usual_out_of_stock(self, since: date) -> Any:
        """(owner id, client id, client name, product id, product name): products out of
        stock everywhere, each under every client that ordered it since `since`, starting
        from the few products out of stock rather than from the clients."""
        out = (
            select(StockLevel.product_id)
            .group_by(StockLevel.product_id)
            .having(func.sum(StockLevel.quantity) <= 0)
            .subquery()
        )
        return (
            select(Client.owner_id, Client.id, Client.name, Product.id, Product.name)
            .select_from(Product)
            .join(out, out.c.product_id == Product.id)
            .join(OrderLine, OrderLine.product_code == Product.code)
            .join(Order, Order.id == OrderLine.order_id)
            .join(Client, Client.id == Order.client_id)
            .where(
                Order.order_date >= since,
                Order.removed_in_erp.is_(False),
                OrderLine.removed_in_erp.is_(False),
                Product.removed_in_erp.is_(False),
            )
            .distinct()
        )

    async def usual_out_of_stock(self, client_id: int, since: date) -> list[str]:
        """The names of the client's usual products (ordered since `since`) out of stock."""
        rows = await self._session.execute(
            self._usual_out_of_stock(since)
            .where(Client.id == client_id)
            .order_by(Product.name, Product.id)
        )
        return [row[4] for row in rows]

    async def usual_out_of_stock_by_owner(
        self, owner_ids: Collection[int], since: date
    ) -> list[tuple[int, int, str, str]]:
        """(owner id, client id, client name, product name) of the usual products out of
        stock of the clients these users own: the morning digest's section for a whole
        company in one statement."""
        rows = await self._session.execute(
            self._usual_out_of_stock(since)
            .where(Client.owner_id.in_(list(owner_ids)))
            .order_by(Client.owner_id, Client.name, Client.id, Product.name, Product.id)
        )
        return [(o, c, cn, pn) for o, c, cn, _, pn in rows if o is not None]

    async def last_order_lines(self, client_id: int) -> list[NewOrderLine]:
        """The products and quantities of the client's latest order, taken in the chat or
        in 1C, whichever is newer (at today's prices: the caller prices them)."""
        chat = await self._session.execute(
            select(ChatOrder.id, ChatOrder.created_at)
            .where(ChatOrder.client_id == client_id, ChatOrder.state != ChatOrderState.CANCELLED)
            .order_by(ChatOrder.created_at.desc(), ChatOrder.id.desc())
            .limit(1)
        )
        chat_row = chat.first()
        erp = await self._session.execute(
            select(Order.id, Order.order_date)
            .where(Order.client_id == client_id, Order.removed_in_erp.is_(False))
            .order_by(Order.order_date.desc(), Order.id.desc())
            .limit(1)
        )
        erp_row = erp.first()
        if chat_row and (erp_row is None or chat_row[1].date() >= erp_row[1]):
            rows = await self._session.execute(
                select(ChatOrderLine.product_id, ChatOrderLine.quantity, ChatOrderLine.price)
                .where(ChatOrderLine.order_id == chat_row[0])
                .order_by(ChatOrderLine.line_no)
            )
            return [NewOrderLine._make(r) for r in rows]
        if erp_row is None:
            return []
        rows = await self._session.execute(
            select(Product.id, OrderLine.quantity, OrderLine.price)
            .join(Product, Product.code == OrderLine.product_code)
            .where(OrderLine.order_id == erp_row[0], OrderLine.removed_in_erp.is_(False))
            .order_by(OrderLine.line_no)
        )
        return [NewOrderLine._make(r) for r in rows]

    # --- saving and changing -----------------------------------------------------------------

    async def create(
        self,
        *,
        client_id: int,
        manager_id: int,
        delivery_date: date,
        comment: str | None,
        currency: str,
        lines: Sequence[NewOrderLine],
        now: datetime,
    ) -> ChatOrderDTO:
        order = ChatOrder(
            number=f"{NUMBER_PREFIX}{uuid.uuid4().hex[:12]}",  # replaced below by the id's
            site_id=str(uuid.uuid4()),
            client_id=client_id,
            manager_id=manager_id,
            state=ChatOrderState.WAITING,
            delivery_date=delivery_date,
            comment=comment,
            amount=Decimal(0),
            currency=currency,
            version=1,
            created_at=now,
            updated_at=now,
        )
        self._session.add(order)
        await self._session.flush()
        order.number = f"{NUMBER_PREFIX}{order.id:06d}"
        await self._write_lines(order.id, lines)
        await self._session.flush()
        found = await self.get(order.id)
        assert found is not None
        return found

    async def _write_lines(self, order_id: int, lines: Sequence[NewOrderLine]) -> None:
        amount = Decimal(0)
        rows = []
        for no, line in enumerate(lines, start=1):
            line_amount = line_total(line.quantity, line.price)
            amount += line_amount
            rows.append(
                {
                    "order_id": order_id,
                    "line_no": no,
                    "product_id": line.product_id,
                    "quantity": line.quantity,
                    "price": line.price,
                    "amount": line_amount,
                }
            )
        await self._session.execute(
            delete(ChatOrderLine).where(ChatOrderLine.order_id == order_id)
        )
        if rows:
            await self._session.execute(insert(ChatOrderLine), rows)
        await self._session.execute(
            update(ChatOrder).where(ChatOrder.id == order_id).values(amount=amount)
        )

    async def replace(
        self,
        order_id: int,
        *,
        delivery_date: date,
        comment: str | None,
        lines: Sequence[NewOrderLine],
        now: datetime,
    ) -> bool:
        """A new version of an order 1C has not taken; False if 1C took it meanwhile."""
        result: Any = await self._session.execute(
            update(ChatOrder)
            .where(ChatOrder.id == order_id, _EDITABLE)
            .values(
                delivery_date=delivery_date,
                comment=comment,
                version=ChatOrder.version + 1,
                updated_at=now,
            )
        )
        if not result.rowcount:
            return False
        await self._write_lines(order_id, lines)
        return True

    async def cancel(self, order_id: int, now: datetime) -> bool:
        """Cancel an order 1C has not taken. If a query handed it over unconfirmed, the
        next one tells 1C it is cancelled (a new version)."""
        result: Any = await self._session.execute(
            update(ChatOrder)
            .where(ChatOrder.id == order_id, _EDITABLE)
            .values(state=ChatOrderState.CANCELLED, version=ChatOrder.version + 1, updated_at=now)
        )
        return bool(result.rowcount)

    # --- reading -----------------------------------------------------------------------------

    async def get(self, order_id: int) -> ChatOrderDTO | None:
        row = (
            await self._session.execute(
                select(*_ORDER_COLUMNS)
                .join(Client, Client.id == ChatOrder.client_id)
                .where(ChatOrder.id == order_id)
            )
        ).first()
        return _order(row) if row else None

    async def lines(self, order_id: int) -> list[ChatOrderLineDTO]:
        rows = await self._session.execute(
            select(
                ChatOrderLine.line_no,
                ChatOrderLine.product_id,
                Product.code,
                Product.name,
                Product.unit,
                ChatOrderLine.quantity,
                ChatOrderLine.price,
                ChatOrderLine.amount,
            )
            .join(Product, Product.id == ChatOrderLine.product_id)
            .where(ChatOrderLine.order_id == order_id)
            .order_by(ChatOrderLine.line_no)
        )
        return [ChatOrderLineDTO._make(r) for r in rows]

    async def of_clients(
        self, client_ids: Collection[int] | None, *, open_only: bool, limit: int
    ) -> list[ChatOrderDTO]:
        """The newest chat orders of these clients (None: all), open ones (not shipped or
        cancelled) only if asked."""
        query = select(*_ORDER_COLUMNS).join(Client, Client.id == ChatOrder.client_id)
        if client_ids is not None:
            query = query.where(ChatOrder.client_id.in_(list(client_ids)))
        if open_only:
            query = query.where(
                ChatOrder.state.in_([ChatOrderState.WAITING, ChatOrderState.ACCEPTED])
            )
        query = query.order_by(ChatOrder.created_at.desc(), ChatOrder.id.desc()).limit(limit)
        return [_order(r) for r in await self._session.execute(query)]

    # --- the exchange ------------------------------------------------------------------------

    async def due_to_onec(self) -> list[ExportOrder]:
        """Orders whose current version 1C has not confirmed: new and edited ones waiting,
        and cancelled ones that a query already handed over (1C must hear of the cancel).
        Two queries: the orders, then all their lines."""
        unconfirmed = or_(
            ChatOrder.exported_version.is_(None), ChatOrder.exported_version < ChatOrder.version
        )
        rows = (
            await self._session.execute(
                select(
                    ChatOrder.id,
                    ChatOrder.version,
                    ChatOrder.number,
                    ChatOrder.site_id,
                    ChatOrder.state,
                    ChatOrder.created_at,
                    ChatOrder.delivery_date,
                    ChatOrder.comment,
                    ChatOrder.amount,
                    ChatOrder.currency,
                    Client.name,
                    Client.inn,
                    Client.kpp,
                    Client.external_id,
                    User.full_name,
                    User.erp_name,
                )
                .join(Client, Client.id == ChatOrder.client_id)
                .join(User, User.id == ChatOrder.manager_id)
                .where(
                    unconfirmed,
                    or_(
                        ChatOrder.state == ChatOrderState.WAITING,
                        and_(
                            ChatOrder.state == ChatOrderState.CANCELLED,
                            ChatOrder.queried_version.is_not(None),
                        ),
                    ),
                )
                .order_by(ChatOrder.id)
            )
        ).all()
        if not rows:
            return []
        lines: dict[int, list[ExportLine]] = {}
        found = await self._session.execute(
            select(
                ChatOrderLine.order_id,
                Product.onec_id,
                Product.code,
                Product.name,
                Product.unit,
                Product.unit_code,
                ChatOrderLine.quantity,
                ChatOrderLine.price,
                ChatOrderLine.amount,
            )
            .join(Product, Product.id == ChatOrderLine.product_id)
            .where(ChatOrderLine.order_id.in_([r[0] for r in rows]))
            .order_by(ChatOrderLine.order_id, ChatOrderLine.line_no)
        )
        for line in found:
            lines.setdefault(line[0], []).append(ExportLine._make(line[1:]))
        return [
            ExportOrder._make((*r[:4], ChatOrderState(r[4]), *r[5:], tuple(lines.get(r[0], ()))))
            for r in rows
        ]

    async def mark_queried(self, versions: Sequence[tuple[int, int]]) -> None:
        """A query handed these (order id, version) to 1C."""
        if versions:
            await self._session.execute(
                update(ChatOrder),
                [{"id": oid, "queried_version": version} for oid, version in versions],
            )

    async def confirm_queried(self, now: datetime) -> int:
        """1C's `success`: what the last query handed over is taken."""
        result: Any = await self._session.execute(
            update(ChatOrder)
            .where(
                ChatOrder.queried_version.is_not(None),
                or_(
                    ChatOrder.exported_version.is_(None),
                    ChatOrder.exported_version < ChatOrder.queried_version,
                ),
            )
            .values(exported_version=ChatOrder.queried_version, exported_at=now)
        )
        return int(result.rowcount or 0)

    async def apply_statuses(
        self, statuses: Sequence[OrderStatus], now: datetime
    ) -> tuple[list[StatusChange], int]:
        """1C's answer about our orders: its number and date, its status wording, and the
        state it implies. Returns the changes of state, and how many statuses named no
        order of ours."""
        site_ids = [s.site_id for s in statuses if s.site_id]
        numbers = [s.number for s in statuses if s.number]
        rows = await self._session.execute(
            select(
                ChatOrder.id,
                ChatOrder.site_id,
                ChatOrder.number,
                ChatOrder.state,
                ChatOrder.manager_id,
                ChatOrder.onec_number,
                ChatOrder.onec_date,
                ChatOrder.onec_status,
                Client.name,
            )
            .join(Client, Client.id == ChatOrder.client_id)
            .where(or_(ChatOrder.site_id.in_(site_ids), ChatOrder.number.in_(numbers)))
        )
        by_site: dict[str, Any] = {}
        by_number: dict[str, Any] = {}
        row: Any
        for row in rows:
            by_site[row[1]] = row
            by_number[row[2]] = row
        changes: list[StatusChange] = []
        unknown = 0
        writes: list[dict[str, Any]] = []
        for status in statuses:
            row = by_site.get(status.site_id or "") or by_number.get(status.number or "")
            if row is None:
                unknown += 1
                continue
            oid, _, number, state, manager_id, onec_number, onec_date, onec_status = row[:8]
            client_name = row[8]
            before = ChatOrderState(state)
            after = status.state or before
            if before == ChatOrderState.CANCELLED:
                after = before  # cancelled in the chat: 1C's later word does not revive it
            values: dict[str, Any] = {
                "id": oid,
                "state": after,
                "onec_number": status.onec_number or onec_number,
                "onec_date": status.onec_date or onec_date,
                "onec_status": status.onec_status or onec_status,
                "updated_at": now,
            }
            writes.append(values)
            if after != before:
                changes.append(
                    StatusChange(
                        oid, number, manager_id, client_name, before, after, values["onec_number"]
                    )
                )
        if writes:
            await self._session.execute(update(ChatOrder), writes)
        return changes, unknown


def line_total(quantity: Decimal, price: Decimal) -> Decimal:
    """A line's amount, to the kopeck (half up, as 1C rounds)."""
    return (quantity * price).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def _item(row: Any) -> OrderItem:
    return OrderItem._make(row)
