"""A small company whose team summary for the week 23.11–29.11.2026 is computed by hand.

Seen on Monday 30.11.2026 in Moscow (UTC+3). Boss supervises Ivan and Olga; Petr is in
Other boss's team. The expected figures are spelled out next to the data that makes them.
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
    FollowUpCreate,
    FollowUpStatus,
    OpportunityCreate,
    Outcome,
    Role,
    Stage,
    Tier,
    UserDTO,
)
from storage.erp import ErpRepo
from storage.models import FollowUp
from storage.repositories import Repos
from tests.erp.files import import_rows
from tests.factories import make_client, make_user

MSK = timedelta(hours=3)
# Monday 30.11.2026, 09:05 in Moscow: the weekly summary's moment.
WEEKLY_AT = datetime(2026, 11, 30, 6, 5, tzinfo=UTC)


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
    petr: UserDTO
    romashka: ClientDTO  # Ivan's, key A: due and contacted
    lyutik: ClientDTO  # Ivan's, key B: contacted but not yet due
    vektor: ClientDTO  # Ivan's, key A: due, not contacted, 46 days past its cadence
    zvezda: ClientDTO  # Ivan's, not key
    sever: ClientDTO  # Olga's, 200 000 overdue over 90 days
    yug: ClientDTO  # Petr's (the other team)
    late_claim: int
    near_claim: int


async def build_company(app: App, tmp_path: Path) -> Company:
    d = date
    admin = await make_user(app, 7000, Role.ADMIN, name="Anna Admin")
    boss = await make_user(app, 7001, Role.SUPERVISOR, name="Boss")
    other_boss = await make_user(app, 7002, Role.SUPERVISOR, name="Other boss")
    ivan = await make_user(app, 7003, name="Ivan", supervisor=boss)
    olga = await make_user(app, 7004, name="Olga", supervisor=boss, language="ru")
    petr = await make_user(app, 7005, name="Petr", supervisor=other_boss)
    early = datetime(2026, 9, 1, tzinfo=UTC)
    romashka = await make_client(app, "ООО «Ромашка»", ivan, tier=Tier.A)
    lyutik = await make_client(app, "АО «Лютик»", ivan, tier=Tier.B, is_key=True)
    vektor = await make_client(app, "ООО «Вектор»", ivan, tier=Tier.A)
    zvezda = await make_client(app, "ООО «Звезда»", ivan, tier=Tier.C)
    sever = await make_client(app, "ООО «Север»", olga, tier=Tier.B)
    yug = await make_client(app, "ООО «Юг»", petr, tier=Tier.A)
    async with app.database.transaction() as s:
        repos = Repos(s)
        erp = ErpRepo(s)
        for client, code in (
            (romashka, "К-1"),
            (vektor, "К-2"),
            (sever, "К-3"),
            (yug, "К-4"),
            (lyutik, "К-5"),
        ):
            await erp.attach_code(client.id, code)

        async def contact(client: ClientDTO, author: UserDTO, at: datetime, ch: Channel) -> None:
            await repos.contacts.add(
                ContactCreate(
                    client_id=client.id,
                    author_id=author.id,
                    channel=ch,
                    summary="разговор",
                    outcome=Outcome.NEUTRAL,
                    happened_at=at,
                ),
                now=at,
            )

        # Before the period: the last contacts the cadence counts from.
        await contact(romashka, ivan, msk(d(2026, 11, 1)), Channel.CALL)  # A: due 15.11
        await contact(lyutik, ivan, msk(d(2026, 11, 10)), Channel.CALL)  # B: due 10.12
        await contact(vektor, ivan, msk(d(2026, 10, 1)), Channel.VISIT)  # A: due 15.10
        await contact(
            zvezda,
            ivan,
            msk(
                d(
                    2026,
                    11,
                    22,
                ),
                23,
                59,
            ),
            Channel.CALL,
        )  # Sunday
        # In the period: Ivan 1 call, 1 visit, 1 meeting; Olga 1 email.
        await contact(romashka, ivan, msk(d(2026, 11, 23), 0, 30), Channel.CALL)  # 22.11 UTC
        await contact(lyutik, ivan, msk(d(2026, 11, 25)), Channel.VISIT)
        await contact(zvezda, ivan, msk(d(2026, 11, 26)), Channel.MEETING)
        await contact(sever, olga, msk(d(2026, 11, 27)), Channel.EMAIL)
        # After the period (00:10 on Monday in Moscow is still Sunday in UTC).
        await contact(zvezda, ivan, msk(d(2026, 11, 30), 0, 10), Channel.CALL)
        await contact(yug, petr, msk(d(2026, 11, 24)), Channel.CALL)

        async def follow_up(
            client: ClientDTO,
            owner: UserDTO,
            due: date,
            status: FollowUpStatus,
            closed: datetime | None = None,
        ) -> None:
            made = await repos.follow_ups.add(
                FollowUpCreate(client_id=client.id, owner_id=owner.id, text="шаг", due_date=due),
                now=early,
            )
            row = await s.get(FollowUp, made.id)
            assert row is not None
            row.status, row.closed_at = status.value, closed

        # Ivan misses two: 24.11 still open, 26.11 answered only on 27.11.
        await follow_up(romashka, ivan, d(2026, 11, 24), FollowUpStatus.OPEN)
        await follow_up(lyutik, ivan, d(2026, 11, 25), FollowUpStatus.DONE, msk(d(2026, 11, 25)))
        await follow_up(zvezda, ivan, d(2026, 11, 26), FollowUpStatus.DONE, msk(d(2026, 11, 27)))
        await follow_up(vektor, ivan, d(2026, 11, 24), FollowUpStatus.CANCELLED)
        await follow_up(vektor, ivan, d(2026, 11, 30), FollowUpStatus.OPEN)  # today: not yet
        await follow_up(vektor, ivan, d(2026, 11, 20), FollowUpStatus.OPEN)  # before the week
        # Olga misses one: Saturday 28.11, still open.
        await follow_up(sever, olga, d(2026, 11, 28), FollowUpStatus.OPEN)

        async def claim(
            client: ClientDTO, manager: UserDTO, created: datetime, deadline: date
        ) -> int:
            made = await repos.claims.create(
                ClaimCreate(
                    direction="incoming",
                    client_id=client.id,
                    manager_id=manager.id,
                    category="quality",
                    description="брак",
                    status="new",
                    internal_deadline=deadline,
                    legal_deadline=deadline + timedelta(days=20),
                ),
                actor_id=manager.id,
                now=created,
            )
            return made.id

        # Ivan: one opened in the week, one closed in the week, one open and late.
        near = await claim(romashka, ivan, msk(d(2026, 11, 24)), d(2026, 12, 8))
        closed = await claim(vektor, ivan, msk(d(2026, 10, 1)), d(2026, 10, 15))
        await repos.claims.change_status(
            closed,
            expected="new",
            status="resolved",
            closed=True,
            actor_id=ivan.id,
            now=msk(d(2026, 11, 26)),
        )
        late = await claim(zvezda, ivan, msk(d(2026, 11, 2)), d(2026, 11, 20))
        await claim(yug, petr, msk(d(2026, 11, 24)), d(2026, 11, 1))  # the other team's

        async def deal(client: ClientDTO, owner: UserDTO, amount: str, stage: Stage, at: datetime):
            made = await repos.opportunities.add(
                OpportunityCreate(
                    client_id=client.id,
                    owner_id=owner.id,
                    title="поставка",
                    amount=Decimal(amount),
                ),
                actor_id=owner.id,
                now=early,
            )
            await repos.opportunities.set_stage(made.id, stage, actor_id=owner.id, now=at)

        # Ivan won 150 000 and lost one in the week; a win of 20.11 is the week before.
        await deal(romashka, ivan, "150000", Stage.WON, msk(d(2026, 11, 27)))
        await deal(lyutik, ivan, "90000", Stage.LOST, msk(d(2026, 11, 28)))
        await deal(vektor, ivan, "70000", Stage.WON, msk(d(2026, 11, 20)))
        # Ivan's November plan: 1 000 000; Olga has none.
        await repos.plans.set(
            ivan.id,
            d(2026, 11, 1),
            d(2026, 11, 30),
            Decimal("1000000"),
            actor_id=boss.id,
            now=early,
        )
    # Money through the importer, which keeps each shipment's open amount (FIFO).
    # Ivan: Р-1 (due 25.11) 100 000 unpaid: new in the week, 1–30 days;
    #       Р-2 (due 10.10) 50 000 with 20 000 paid: 30 000 at 51 days (31–60).
    # Olga: Р-3 (due 01.08) 200 000 unpaid: 121 days (over 90), the largest.
    # Petr: Р-4 (due 26.11) 900 000: not Boss's team.
    # November shipments count for the plan: Ivan's Р-1, 100 000 (10 %).
    for kind, header, rows in (
        (
            "shipments",
            ["Номер", "Дата", "Код контрагента", "Сумма", "Срок оплаты"],
            [
                ["Р-1", "25.11.2026", "К-1", "100 000,00", "25.11.2026"],
                ["Р-2", "10.09.2026", "К-2", "50 000,00", "10.10.2026"],
                ["Р-3", "01.07.2026", "К-3", "200 000,00", "01.08.2026"],
                ["Р-4", "26.10.2026", "К-4", "900 000,00", "26.11.2026"],
            ],
        ),
        (
            "payments",
            ["Номер", "Дата", "Код контрагента", "Сумма", "Документ расчетов"],
            [["П-1", "01.10.2026", "К-2", "20 000,00", "Р-2"]],
        ),
    ):
        summary = await import_rows(app, tmp_path, kind, header, rows, now=early)
        assert not summary.rejected, summary.rejected
    return Company(
        admin,
        boss,
        other_boss,
        ivan,
        olga,
        petr,
        romashka,
        lyutik,
        vektor,
        zvezda,
        sever,
        yug,
        late_claim=late,
        near_claim=near,
    )
