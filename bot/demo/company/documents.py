"""The ERP's documents: who owes what, the contracts, a year of orders with lines at the
price list's prices, their shipments and the payments, written as an import of 1C exports
would leave them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from bot.demo.company.prices import PRODUCTS
from bot.demo.company.story import RUB, Story, StoryClient, StoryShipment, money
from storage.demo import DemoContract, DemoOrder, DemoOrderLine, DemoPayment, DemoShipment
from storage.dto import Tier

SHIPPED = "Закрыт"  # the order statuses as 1C writes them
TO_SHIP = "К отгрузке"


def cast_roles(story: Story) -> None:
    """Who owes what: overdue money in every aging bucket for every team, a shipment
    that fell due yesterday for every manager, an advance and a client that stopped
    paying. The holding's head always has something overdue (the README uses it)."""
    by_manager: dict[int, list[StoryClient]] = defaultdict(list)
    for client in story.clients:
        by_manager[client.owner.id].append(client)
    buckets = ("b1", "b2", "b3", "b4")
    for index, manager in enumerate(story.managers):
        mine = by_manager[manager.id]
        a_clients = [c for c in mine if c.tier is Tier.A]
        others = [c for c in mine if c.tier is not Tier.A]
        late = story.rnd.sample(others, 2)
        late[0].roles.add(buckets[index % 4])
        late[1].roles.add(buckets[(index + 2) % 4])
        story.rnd.choice(a_clients).roles.add("yesterday")
        story.rnd.choice(
            [c for c in a_clients if "yesterday" not in c.roles] or a_clients
        ).roles.add("neglected")
    story.clients[0].roles |= {"b2"}
    story.clients[1].roles |= {"b1"}
    c_clients = [c for c in story.clients if c.tier is Tier.C and not c.roles]
    stopped, advance = story.rnd.sample(c_clients, 2)
    stopped.roles.add("stopped")
    advance.roles.add("advance")


async def contracts(story: Story) -> None:
    rows = []
    for number, client in enumerate(story.clients, start=1):
        client.deferral = {
            Tier.A: story.rnd.choice((30, 45)),
            Tier.B: story.rnd.choice((21, 30)),
            Tier.C: story.rnd.choice((7, 14)),
        }[client.tier]
        if "advance" in client.roles:
            client.deferral = 0
        signed = client.start - timedelta(days=story.rnd.randint(5, 30))
        rows.append(
            DemoContract(
                client_id=client.id,
                number=f"{number}/{signed.year}",
                signed_on=signed,
                deferral_days=client.deferral,
                credit_limit={
                    Tier.A: money(story.rnd.choice((3_000_000, 4_000_000, 5_000_000))),
                    Tier.B: money(story.rnd.choice((1_000_000, 1_500_000, 2_000_000))),
                    Tier.C: money(story.rnd.choice((300_000, 500_000))),
                }[client.tier],
                penalty_rate="0.1"
                if client.tier is not Tier.C or "stopped" in client.roles
                else None,
                currency=RUB,
                updated_at=story.stamp,
            )
        )
    ids = await story.demo.contracts(rows)
    for client, contract_id in zip(story.clients, ids, strict=True):
        client.contract_id = contract_id


class OrderBook:
    """A year of orders, planned before any is written: each with its lines at the day's
    prices, and its shipment (in `story.shipments`) unless still open."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.orders: list[DemoOrder] = []
        self.order_seq = 4000
        self.shipment_seq = 0

    def order(
        self,
        client: StoryClient,
        day: date,
        *,
        status: str,
        scale: float = 1.0,
        due_on: date | None = None,
        pay: str = "normal",
    ) -> None:
        story = self.story
        self.order_seq += 1
        number = str(self.order_seq)
        size = {Tier.A: (3, 6), Tier.B: (2, 4), Tier.C: (1, 3)}[client.tier]
        volume = {Tier.A: 1.0, Tier.B: 0.35, Tier.C: 0.12}[client.tier] * scale
        lines: list[DemoOrderLine] = []
        amount = Decimal("0.00")
        codes = story.rnd.sample(
            client.products, min(len(client.products), story.rnd.randint(*size))
        )
        for line_no, code in enumerate(codes, start=1):
            price = story.price_on(code, day)
            # A client buys film by the roll and boxes by the thousand.
            low, high, step = (
                (4, 30, 1) if price > 1000 else (20, 150, 5) if price > 200 else (100, 900, 50)
            )
            qty = Decimal(max(step, round(story.rnd.uniform(low, high) * volume / step) * step))
            lines.append(
                DemoOrderLine(
                    line_no=line_no,
                    product_code=code,
                    product_name=next(p[1] for p in PRODUCTS if p[0] == code),
                    quantity=qty,
                    price=price,
                    amount=money(qty * price),
                )
            )
            amount += lines[-1].amount
        ship_day = story.calendar.next_business_day(day)
        self.orders.append(
            DemoOrder(
                number=number,
                order_date=day,
                client_id=client.id,
                contract_id=client.contract_id,
                status=status,
                amount=amount,
                currency=RUB,
                ship_date=ship_day,
                updated_at=story.stamp,
                lines=tuple(lines),
            )
        )
        if status == SHIPPED:
            self.shipment_seq += 1
            story.shipments.append(
                StoryShipment(
                    number=f"РТ-{self.shipment_seq:05d}",
                    shipped_on=ship_day,
                    client=client,
                    order_key=(number, day),
                    amount=amount,
                    due_on=due_on or ship_day + timedelta(days=client.deferral),
                    pay=pay,
                )
            )

    def history(self) -> None:
        story = self.story
        every = {Tier.A: (6, 11), Tier.B: (14, 24), Tier.C: (28, 45)}
        for client in story.clients:
            day = client.start
            end = story.today - timedelta(days=1)
            if "stopped" in client.roles:
                end = story.today - timedelta(days=client.deferral + 110)
            while day <= end:
                # Orders of the last two days are not shipped yet.
                status = SHIPPED if day < story.today - timedelta(days=2) else TO_SHIP
                # A client that stopped paying three months before it stopped ordering.
                stopped = "stopped" in client.roles and day >= end - timedelta(days=90)
                self.order(client, day, status=status, pay="unpaid" if stopped else "normal")
                day = story.calendar.next_business_day(
                    day + timedelta(days=story.rnd.randint(*every[client.tier]))
                )
        # The story's documents: overdue in a given bucket, due yesterday, an advance.
        overdue_days = {"b1": (12, 25), "b2": (38, 55), "b3": (65, 85), "b4": (100, 150)}
        for client in story.clients:
            for role, span in overdue_days.items():
                if role in client.roles:
                    due = story.today - timedelta(days=story.rnd.randint(*span))
                    shipped = story.business_on_or_before(due - timedelta(days=client.deferral))
                    self._story_order(
                        client, shipped, due, "partial" if role == "b1" else "unpaid"
                    )
            if "yesterday" in client.roles:
                due = story.today - timedelta(days=1)
                shipped = story.business_on_or_before(due - timedelta(days=client.deferral))
                self._story_order(client, shipped, due, "unpaid", scale=1.5)
        for client in story.clients:
            if "advance" in client.roles:
                self.order(
                    client,
                    story.business_on_or_before(story.today - timedelta(days=1)),
                    status=TO_SHIP,
                )

    def _story_order(
        self, client: StoryClient, shipped: date, due: date, pay: str, scale: float = 1.5
    ) -> None:
        ordered = self.story.calendar.previous_business_day(shipped)
        self.order(client, ordered, status=SHIPPED, scale=scale, due_on=due, pay=pay)
        # The order shipped on the day the story needs (not the next business day).
        self.story.shipments[-1].shipped_on = shipped
        self.orders[-1] = replace(self.orders[-1], ship_date=shipped)


async def erp_documents(story: Story) -> None:
    """Orders, shipments and payments of the year, from the contracts on."""
    book = OrderBook(story)
    book.history()
    order_ids = dict(
        zip(
            ((o.number, o.order_date) for o in book.orders),
            await story.demo.orders(book.orders),
            strict=True,
        )
    )
    shipments = [
        DemoShipment(
            number=s.number,
            shipped_on=s.shipped_on,
            client_id=s.client.id,
            contract_id=s.client.contract_id,
            order_id=order_ids[s.order_key],
            amount=s.amount,
            currency=RUB,
            due_on=s.due_on,
            updated_at=story.stamp,
        )
        for s in story.shipments
    ]
    shipment_ids = dict(
        zip(
            ((s.number, s.shipped_on) for s in shipments),
            await story.demo.shipments(shipments),
            strict=True,
        )
    )
    payments: list[tuple[StoryShipment, int, date, Decimal]] = []
    for s in story.shipments:
        sid = shipment_ids[(s.number, s.shipped_on)]
        if s.pay == "unpaid":
            continue
        if s.pay == "partial":
            payments.append(
                (
                    s,
                    sid,
                    story.business_on_or_before(s.due_on - timedelta(days=3)),
                    money(s.amount * Decimal("0.4")),
                )
            )
            continue
        if s.client.deferral == 0:
            paid = story.business_on_or_before(s.shipped_on - timedelta(days=1))
        else:
            paid = story.business_on_or_before(
                s.due_on + timedelta(days=story.rnd.choice((-9, -6, -4, -2, -1, 0, 1, 3, 4)))
            )
        if paid >= story.today:
            continue  # not paid yet: current debt, or a day or two late
        payments.append((s, sid, paid, s.amount))
    paid_rows: list[DemoPayment] = []
    for s, sid, paid, amount in sorted(payments, key=lambda p: (p[2], p[1])):
        paid_rows.append(_payment(story, len(paid_rows) + 1, s.client, paid, amount, sid))
    for client in story.clients:
        if "advance" in client.roles:
            # Prepaid an order that has not shipped yet: an advance until it does.
            open_order = next(o for o in reversed(book.orders) if o.client_id == client.id)
            paid = story.business_on_or_before(story.today - timedelta(days=1))
            paid_rows.append(
                _payment(story, len(paid_rows) + 1, client, paid, open_order.amount, None)
            )
    await story.demo.payments(paid_rows)
    story.shipment_ids = shipment_ids
    story.order_ids = order_ids
    story.count("orders", len(book.orders))
    story.count("order_lines", sum(len(o.lines) for o in book.orders))
    story.count("shipments", len(shipments))
    story.count("payments", len(paid_rows))


def _payment(
    story: Story,
    seq: int,
    client: StoryClient,
    paid: date,
    amount: Decimal,
    shipment_id: int | None,
) -> DemoPayment:
    return DemoPayment(
        number=f"{seq:06d}",
        paid_on=paid,
        client_id=client.id,
        contract_id=client.contract_id,
        shipment_id=shipment_id,
        amount=amount,
        currency=RUB,
        updated_at=story.stamp,
    )
