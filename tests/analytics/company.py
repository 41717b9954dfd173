"""A small company whose ABC, plan fulfilment and workbook are computed by hand.

Seen on Monday 23.11.2026, 12:00 in Moscow (the tests' clock). Boss supervises Ivan;
Olga is in Other boss's team. Q4 2026 shipments of Ivan's clients (roubles):

    Альфа    500 000  → 50 % (cumulative 50 %)   A
    Бета     300 000  → 30 % (cumulative 80 %)   A  (exactly 80 %: the last A)
    Гамма    150 000  → 15 % (cumulative 95 %)   B  (exactly 95 %: the last B)
    Дельта    50 000  →  5 % (cumulative 100 %)  C  (+ a 70 000 shipment removed in the ERP)
    Эпсилон        0                           C  (nothing shipped)
    Зета     −10 000  (a return of a Q3 shipment)  C, share 0

Total positive revenue 1 000 000. Olga's Омега shipped 2 000 000 (only admins see it).
Бета's shipment is of 05.11: November's actual for Ivan is 300 000 against a plan of
2 000 000 (15.0 %); 15 of November's 20 business days are worked on 23.11, 5 are left:
forecast 300 000 / 15 × 20 = 400 000.00, needed 1 700 000 / 5 = 340 000.00 a day.
Order lines of Q4 orders (products): Гвозди 600, Шурупы 300, Болты 100 (no article) →
60 % A, 30 % A (cumulative 90 %), 10 % B; a Q3 order's line (Клей 5 000) is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bot.runtime.factory import App
from storage.dto import (
    Channel,
    ClaimCreate,
    ClientDTO,
    ContactCreate,
    Outcome,
    Role,
    Tier,
    UserDTO,
    UserUpdate,
)
from storage.repositories import Repos
from tests.erp.files import import_rows
from tests.factories import make_client, make_user

MSK = timedelta(hours=3)


def msk(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A Moscow wall-clock time as aware UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - MSK


@dataclass
class Company:
    admin: UserDTO
    boss: UserDTO
    other_boss: UserDTO
    ivan: UserDTO
    olga: UserDTO
    alfa: ClientDTO
    beta: ClientDTO
    gamma: ClientDTO
    delta: ClientDTO
    epsilon: ClientDTO
    zeta: ClientDTO
    omega: ClientDTO


SHIPMENTS_HEADER = ["Номер", "Дата", "Контрагент", "Сумма", "Срок оплаты"]
SHIPMENTS = [
    # Due dates make the aging: on 23.11 Альфа is 39 days overdue (31–60), Гамма 31
    # (31–60), Дельта 30 (1–30); Бета is not due yet.
    ["Р-1", "01.10.2026", "Альфа", "500 000,00", "15.10.2026"],
    ["Р-2", "05.11.2026", "Бета", "300 000,00", "30.11.2026"],
    ["Р-3", "06.10.2026", "Гамма", "150 000,00", "23.10.2026"],
    ["Р-4", "07.10.2026", "Дельта", "50 000,00", "24.10.2026"],
    ["Р-5", "20.09.2026", "Зета", "10 000,00", "20.09.2026"],
    ["В-5", "11.10.2026", "Зета", "-10 000,00", "11.10.2026"],
    ["Р-7", "02.11.2026", "Омега", "2 000 000,00", "02.12.2026"],
]


async def build_company(app: App, tmp_path: Path) -> Company:
    admin = await make_user(app, 6000, Role.ADMIN, name="Anna Admin")
    boss = await make_user(app, 6001, Role.SUPERVISOR, name="Boss")
    other_boss = await make_user(app, 6002, Role.SUPERVISOR, name="Other boss")
    ivan = await make_user(app, 6003, name="Ivan", supervisor=boss)
    olga = await make_user(app, 6004, name="Olga", supervisor=other_boss, language="ru")
    async with app.database.transaction() as s:
        await Repos(s).users.update(
            ivan.id, UserUpdate(erp_name="Иванов Иван"), actor_id=None, now=app.clock()
        )
    alfa = await make_client(app, "Альфа", ivan, tier=Tier.C, is_key=True)
    beta = await make_client(app, "Бета", ivan, tier=Tier.C)
    gamma = await make_client(app, "Гамма", ivan, tier=Tier.A)
    delta = await make_client(app, "Дельта", ivan, tier=Tier.A)
    epsilon = await make_client(app, "Эпсилон", ivan, tier=Tier.B)
    zeta = await make_client(app, "Зета", ivan, tier=Tier.C)
    omega = await make_client(app, "Омега", olga, tier=Tier.B)
    removed = ["Р-6", "08.10.2026", "Дельта", "70 000,00", "08.11.2026"]
    await import_rows(app, tmp_path, "shipments", SHIPMENTS_HEADER, [*SHIPMENTS, removed])
    # A full export without Р-6: it is marked removed in the ERP and counts nowhere.
    summary = await import_rows(
        app, tmp_path, "shipments", SHIPMENTS_HEADER, SHIPMENTS, snapshot=True
    )
    assert summary.removed == 1
    await import_rows(
        app,
        tmp_path,
        "orders",
        ["Номер", "Дата", "Контрагент", "Сумма"],
        [
            ["З-1", "10.10.2026", "Альфа", "1 000,00"],
            ["З-2", "15.09.2026", "Бета", "5 000,00"],
            ["З-3", "12.11.2026", "Омега", "9 000,00"],
            ["З-4", "16.11.2026", "Гамма", "7 500,00"],
        ],
    )
    await import_rows(
        app,
        tmp_path,
        "order_lines",
        ["Номер заказа", "Дата заказа", "N", "Артикул", "Номенклатура", "Количество", "Сумма"],
        [
            ["З-1", "10.10.2026", "1", "А-1", "Гвозди", "6", "600,00"],
            ["З-1", "10.10.2026", "2", "А-2", "Шурупы", "3", "300,00"],
            ["З-1", "10.10.2026", "3", "", "Болты", "1", "100,00"],
            ["З-2", "15.09.2026", "1", "А-9", "Клей", "1", "5 000,00"],
            ["З-3", "12.11.2026", "1", "А-1", "Гвозди", "90", "9 000,00"],
        ],
    )
    async with app.database.transaction() as s:
        repos = Repos(s)
        await repos.contacts.add(
            ContactCreate(
                client_id=alfa.id,
                author_id=ivan.id,
                channel=Channel.VISIT,
                summary="Обсудили объёмы на декабрь",
                outcome=Outcome.POSITIVE,
                happened_at=msk(date(2026, 11, 2), 15, 30),
            ),
            now=app.clock(),
        )
        await repos.contacts.add(  # October: outside "this month"
            ContactCreate(
                client_id=beta.id,
                author_id=ivan.id,
                channel=Channel.CALL,
                summary="Звонок",
                outcome=Outcome.NEUTRAL,
                happened_at=msk(date(2026, 10, 20)),
            ),
            now=app.clock(),
        )
        await repos.contacts.add(  # Olga's client: not the boss's team
            ContactCreate(
                client_id=omega.id,
                author_id=olga.id,
                channel=Channel.CALL,
                summary="Чужой звонок",
                outcome=Outcome.NEUTRAL,
                happened_at=msk(date(2026, 11, 3)),
            ),
            now=app.clock(),
        )
        await repos.claims.create(
            ClaimCreate(
                direction="incoming",
                client_id=gamma.id,
                manager_id=ivan.id,
                category="quality",
                description="Брак в партии",
                amount=Decimal("12500.50"),
                status="new",
                internal_deadline=date(2026, 11, 24),
                legal_deadline=date(2026, 12, 10),
            ),
            actor_id=ivan.id,
            now=msk(date(2026, 11, 10), 10),
        )
        await repos.plans.set(
            ivan.id,
            date(2026, 11, 1),
            date(2026, 11, 30),
            Decimal("2000000"),
            actor_id=boss.id,
            now=app.clock(),
        )
    return Company(
        admin, boss, other_boss, ivan, olga, alfa, beta, gamma, delta, epsilon, zeta, omega
    )
