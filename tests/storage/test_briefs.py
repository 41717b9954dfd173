"""The one-statement reads behind the client card (ClientRepo.brief) and the agenda
(AnalyticsRepo.agenda_facts) give what the per-list reads they replace give, on SQLite and
PostgreSQL: the same rows, in the same order, the same limits, and nothing at all for a
client the viewer may not see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from storage.accounts import slot_row
from storage.dto import (
    BuyingRole,
    Channel,
    ClientCreate,
    ClientDTO,
    CompetitorNoteCreate,
    ContactCreate,
    FollowUpCreate,
    OpportunityCreate,
    Outcome,
    PersonCreate,
    Role,
    Stage,
    Tier,
    UserCreate,
    UserDTO,
)
from storage.engine import Database
from storage.models import Order, Payment, Shipment
from storage.repositories import Repos

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


async def _user(repos: Repos, telegram_id: int, role: Role = Role.MANAGER) -> UserDTO:
    return await repos.users.create(
        UserCreate(
            telegram_id=telegram_id,
            role=role,
            full_name=f"User {telegram_id}",
            language="ru",
            timezone="Europe/Moscow",
        ),
        actor_id=None,
        now=NOW,
    )


async def _client(
    repos: Repos, name: str, owner: UserDTO | None, *, holding: ClientDTO | None = None
) -> ClientDTO:
    return await repos.clients.create(
        ClientCreate(
            name=name,
            search_key=name.lower(),
            inn=None,
            tier=Tier.A,
            is_key=True,
            owner_id=owner.id if owner else None,
            holding_id=holding.id if holding else None,
        ),
        actor_id=None,
        now=NOW,
    )


async def _seed(database: Database) -> tuple[UserDTO, UserDTO, ClientDTO, ClientDTO]:
    """A manager's holding with two members (one another manager's) and everything a card
    shows; a second client of the manager with nothing; an intruder's client."""
    async with database.transaction() as s:
        repos = Repos(s)
        manager = await _user(repos, 1)
        other = await _user(repos, 2)
        holding = await _client(repos, "Холдинг Альфа", manager)
        await _client(repos, "Альфа Юг", manager, holding=holding)
        south = await _client(repos, "Альфа Восток", other, holding=holding)
        await _client(repos, "Бета", manager)
        for name, role in [
            ("Яков", BuyingRole.USER),
            ("Анна", BuyingRole.DECISION_MAKER),
            ("Борис", BuyingRole.DECISION_MAKER),
            ("Ушедший", BuyingRole.INFLUENCER),
        ]:
            person = await repos.persons.add(
                PersonCreate(client_id=holding.id, full_name=name, buying_role=role),
                actor_id=manager.id,
                now=NOW,
            )
            if name == "Ушедший":
                await repos.persons.change(
                    person.id, {"is_removed": True}, action="remove", actor_id=manager.id, now=NOW
                )
        for days, summary in [(9, "давно"), (2, "последний"), (5, "между")]:
            await repos.contacts.add(
                ContactCreate(
                    client_id=holding.id,
                    author_id=manager.id,
                    channel=Channel.CALL,
                    summary=summary,
                    outcome=Outcome.POSITIVE,
                    happened_at=NOW - timedelta(days=days),
                ),
                now=NOW,
            )
        # Steps: two due today (one with a time, one without), one overdue, one later.
        for text, due, at in [
            ("позже", TODAY + timedelta(days=3), None),
            ("сегодня в 15", TODAY, NOW + timedelta(hours=3)),
            ("сегодня", TODAY, None),
            ("просрочено", TODAY - timedelta(days=4), None),
        ]:
            await repos.follow_ups.add(
                FollowUpCreate(
                    client_id=holding.id, owner_id=manager.id, text=text, due_date=due, due_at=at
                ),
                now=NOW,
            )
        for title, amount, stage, close, client in [
            ("без даты", "100.50", Stage.LEAD, None, holding),
            ("просрочена", "2000.00", Stage.PROPOSAL, TODAY - timedelta(days=10), holding),
            ("скоро", "300.00", Stage.NEGOTIATION, TODAY + timedelta(days=5), holding),
            ("выиграна", "999.00", Stage.WON, TODAY - timedelta(days=20), holding),
            ("у члена", "40.25", Stage.LEAD, None, south),
        ]:
            await repos.opportunities.add(
                OpportunityCreate(
                    client_id=client.id,
                    owner_id=client.owner_id or manager.id,
                    title=title,
                    amount=Decimal(amount),
                    stage=stage,
                    expected_close=close,
                ),
                actor_id=manager.id,
                now=NOW,
            )
        for n in range(5):
            await repos.competitor_notes.add(
                CompetitorNoteCreate(
                    client_id=holding.id,
                    author_id=manager.id,
                    competitor=f"Конкурент {n}",
                    note="цена ниже",
                    price_seen=Decimal("12.34") if n % 2 else None,
                    currency="RUB" if n % 2 else None,
                ),
                now=NOW - timedelta(hours=5 - n),
            )
        await repos.settings.put(
            "cadence_a_days", "10", previous="14", actor_id=manager.id, now=NOW
        )
        for n, (shipped, amount, removed) in enumerate(
            [
                (40, "500.00", False),
                (100, "300.00", False),
                (150, "700.00", False),
                (5, "9.00", True),
            ]
        ):
            s.add(
                Shipment(
                    number=f"S{n}",
                    shipped_on=TODAY - timedelta(days=shipped),
                    client_id=holding.id,
                    amount=Decimal(amount),
                    due_on=TODAY - timedelta(days=shipped - 10),
                    removed_in_erp=removed,
                    updated_at=NOW,
                )
            )
        for n, (paid, amount, removed) in enumerate([(20, "200.00", False), (3, "1.00", True)]):
            s.add(
                Payment(
                    number=f"P{n}",
                    paid_on=TODAY - timedelta(days=paid),
                    client_id=holding.id,
                    amount=Decimal(amount),
                    removed_in_erp=removed,
                    updated_at=NOW,
                )
            )
        for n, (ordered, removed) in enumerate(
            [(300, False), (200, False), (200, False), (100, False), (2, True)]
        ):
            s.add(
                Order(
                    number=f"O{n}",
                    order_date=TODAY - timedelta(days=ordered),
                    client_id=holding.id,
                    status="done",
                    amount=Decimal("1.00"),
                    removed_in_erp=removed,
                    updated_at=NOW,
                )
            )
    return manager, other, holding, south


async def test_brief_is_what_the_card_read_list_by_list(database: Database) -> None:
    manager, _, holding, _ = await _seed(database)
    async with database.read() as s:
        repos = Repos(s)
        brief = await repos.clients.brief(holding.id, frozenset({manager.id}))
        members = await repos.clients.members(holding.id)
        facts = await repos.erp.receivable_facts([holding.id])
        expected = {
            "client": await repos.clients.get(holding.id),
            "owner": await repos.users.get(manager.id),
            "persons": await repos.persons.of_client(holding.id),
            "last_contact": await repos.contacts.last_for_client(holding.id),
            "next_follow_up": await repos.follow_ups.next_for_client(holding.id),
            "opportunities": await repos.opportunities.open_for_client(holding.id),
            "notes": await repos.competitor_notes.latest_for_client(holding.id),
            "totals": await repos.opportunities.open_totals(
                [holding.id, *(m.id for m in members)]
            ),
        }
    assert brief is not None
    assert brief.client == expected["client"]
    assert brief.owner == expected["owner"]
    assert brief.holding is None
    assert brief.members == members and len(members) == 2
    assert brief.persons == expected["persons"]
    assert [p.full_name for p in brief.persons] == ["Анна", "Борис", "Яков"]
    assert brief.last_contact == expected["last_contact"]
    assert brief.last_contact is not None and brief.last_contact.summary == "последний"
    assert brief.next_follow_up == expected["next_follow_up"]
    assert brief.next_follow_up is not None and brief.next_follow_up.text == "просрочено"
    assert brief.opportunities == expected["opportunities"]
    assert brief.competitor_notes == expected["notes"]
    assert [n.competitor for n in brief.competitor_notes] == [
        "Конкурент 4",
        "Конкурент 3",
        "Конкурент 2",
    ]
    assert brief.group_pipeline == expected["totals"] == {"RUB": Decimal("2440.75")}
    assert brief.shipments == sorted(facts.shipments, key=lambda f: f.id)
    assert brief.payments == sorted(facts.payments, key=lambda f: f.id)
    assert [f.amount for f in brief.shipments] == [
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("700.00"),
    ]


async def test_brief_of_a_member_names_its_holding_and_sums_no_group(database: Database) -> None:
    manager, other, holding, south = await _seed(database)
    async with database.read() as s:
        repos = Repos(s)
        brief = await repos.clients.brief(south.id, None)
        empty = await repos.clients.brief(south.id + 1, frozenset({manager.id}))
    assert brief is not None
    assert brief.client.name == "Альфа Восток" and brief.owner is not None
    assert brief.owner.id == other.id
    assert brief.holding is not None and brief.holding.id == holding.id
    assert brief.members == [] and brief.group_pipeline == {}
    assert [o.title for o in brief.opportunities] == ["у члена"]
    assert brief.persons == [] and brief.last_contact is None and brief.next_follow_up is None
    assert brief.competitor_notes == [] and brief.shipments == [] and brief.payments == []
    # "Бета": a client with nothing but itself.
    assert empty is not None and empty.client.name == "Бета"
    assert empty.members == [] and empty.opportunities == [] and empty.holding is None


async def test_brief_is_none_for_a_client_the_viewer_may_not_see(database: Database) -> None:
    manager, other, holding, south = await _seed(database)
    async with database.read() as s:
        repos = Repos(s)
        assert await repos.clients.brief(south.id, frozenset({manager.id})) is None
        assert await repos.clients.brief(holding.id, frozenset({other.id})) is None
        assert await repos.clients.brief(holding.id, frozenset()) is None
        assert await repos.clients.brief(10_000, None) is None
        seen = await repos.clients.brief(south.id, frozenset({manager.id, other.id}))
    assert seen is not None and seen.client.id == south.id


async def test_agenda_facts_are_what_the_agenda_read_list_by_list(database: Database) -> None:
    manager, other, holding, _ = await _seed(database)
    recent_from = TODAY - timedelta(days=89)
    previous_from = recent_from - timedelta(days=90)
    since = TODAY - timedelta(days=364)
    async with database.read() as s:
        repos = Repos(s)
        facts = await repos.analytics.agenda_facts(
            manager.id,
            today=TODAY,
            recent_from=recent_from,
            previous_from=previous_from,
            order_days_from=since,
        )
        stored = await repos.settings.stored()
        key_clients = await repos.clients.key_clients_with_last_contact(manager.id)
        due = await repos.follow_ups.due_for_owner(manager.id, TODAY)
        overdue = await repos.opportunities.overdue_for_owner(manager.id, TODAY)
        churn = await repos.analytics.churn_facts(
            [manager.id], recent_from=recent_from, previous_from=previous_from, until=TODAY
        )
        days = await repos.analytics.order_days([manager.id], since, TODAY)
        others = await repos.analytics.agenda_facts(
            other.id,
            today=TODAY,
            recent_from=recent_from,
            previous_from=previous_from,
            order_days_from=since,
        )
    assert facts.settings == stored and stored["cadence_a_days"] == "10"
    key = sorted(key_clients, key=lambda c: c.id)
    assert sorted(facts.key_clients, key=lambda c: c.id) == key and len(key) == 3
    last = {c.name: c.last_contact_at for c in facts.key_clients}
    assert last["Холдинг Альфа"] == NOW - timedelta(days=2)
    assert last["Бета"] == NOW  # never contacted: counted from when it was added
    assert facts.follow_ups == due
    assert due[0].text == "просрочено" and len(due) == 3
    assert facts.overdue_opportunities == overdue
    assert [(o.title, name) for o, name in overdue] == [("просрочена", "Холдинг Альфа")]
    assert sorted(facts.churn, key=lambda f: f.client_id) == sorted(
        churn, key=lambda f: f.client_id
    )
    alpha = next(f for f in facts.churn if f.client_id == holding.id)
    assert (alpha.recent, alpha.previous) == (Decimal("500.00"), Decimal("1000.00"))
    assert alpha.last_order == TODAY - timedelta(days=100)
    assert facts.order_days == days
    assert days[holding.id] == [TODAY - timedelta(days=d) for d in (300, 200, 100)]
    # Another owner's agenda holds none of this manager's rows.
    assert others.follow_ups == [] and others.overdue_opportunities == []
    assert [c.name for c in others.key_clients] == ["Альфа Восток"]
    assert others.settings == stored


def test_a_slot_row_refuses_more_values_than_slots() -> None:
    with pytest.raises(ValueError, match="slots"):
        slot_row("x", t=tuple(str(n) for n in range(7)))
    with pytest.raises(ValueError, match="not a kind"):
        slot_row("not a kind")


async def test_no_reads_for_an_empty_company(database: Database) -> None:
    async with database.read() as s:
        repos = Repos(s)
        facts = await repos.analytics.agenda_facts(
            1,
            today=TODAY,
            recent_from=TODAY,
            previous_from=TODAY,
            order_days_from=TODAY,
        )
        brief = await repos.clients.brief(1, None)
        stored = await repos.settings.stored()
    assert brief is None
    assert facts.key_clients == [] and facts.follow_ups == [] and facts.churn == []
    assert facts.overdue_opportunities == [] and facts.order_days == {}
    assert facts.settings == stored
