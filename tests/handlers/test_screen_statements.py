"""/today and a client's card read in one statement after the update's first read (plus
the team's, for a supervisor; and, for the card, one for the client's usual products out
of stock), whatever the client has, and the card stays as strict: a manager's card of
another manager's client is refused, a supervisor sees the team's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import event

from storage.dto import (
    ClientUpdate,
    CompetitorNoteCreate,
    FollowUpCreate,
    OpportunityCreate,
    PersonCreate,
    Role,
    Tier,
)
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import texts

NOT_AVAILABLE = "This is not available to you (or no longer exists)."


@contextmanager
def statements(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    engine = app.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _fill(app, client, owner) -> None:
    async with app.database.transaction() as s:
        repos = Repos(s)
        now = app.clock()
        for n in range(3):
            await repos.persons.add(
                PersonCreate(client_id=client.id, full_name=f"Person {n}"),
                actor_id=owner.id,
                now=now,
            )
            await repos.follow_ups.add(
                FollowUpCreate(
                    client_id=client.id,
                    owner_id=owner.id,
                    text=f"step {n}",
                    due_date=date(2026, 11, 20),
                ),
                now=now,
            )
            await repos.opportunities.add(
                OpportunityCreate(
                    client_id=client.id,
                    owner_id=owner.id,
                    title=f"deal {n}",
                    amount=Decimal("10.00"),
                    expected_close=date(2026, 11, 1),
                ),
                actor_id=owner.id,
                now=now,
            )
            await repos.competitor_notes.add(
                CompetitorNoteCreate(
                    client_id=client.id, author_id=owner.id, competitor=f"C{n}", note="cheaper"
                ),
                now=now,
            )


def _alerts(sent) -> list[str]:
    return [s.method.text for s in sent if s.name == "AnswerCallbackQuery" and s.method.text]


async def test_today_and_the_card_are_one_statement_each(app, chat):
    boss = await make_user(app, 4100, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 4101, supervisor=boss, name="Ivan")
    holding = await make_client(app, "Holding", ivan, tier=Tier.A)
    member = await make_client(app, "Member", ivan, tier=Tier.A)
    async with app.database.transaction() as s:
        await Repos(s).clients.update(
            member.id, ClientUpdate(holding_id=holding.id), actor_id=None, now=app.clock()
        )
    await _fill(app, holding, ivan)
    me = chat(ivan.telegram_id, language_code="en")
    await me.send("/today")  # the first update of a process loads its catalogues

    with statements(app) as today:
        shown = texts(await me.send("/today"))
    with statements(app) as card:
        opened = texts(await me.press(None, f"cl:o:{holding.id}:0"))

    assert "step 0" in shown[0] and "deal 0" in shown[0]
    assert opened and opened[0].startswith("Holding")
    assert "Person 0" in opened[0] and "deal 2" in opened[0] and "Member" in opened[0]
    # The update's first read, the read session's BEGIN, then the screen's one statement
    # (the card's brief), and the card's usual products out of stock.
    assert len(today) == 3 and today[1].startswith("BEGIN"), today
    assert len(card) == 4 and card[1].startswith("BEGIN"), card
    assert "stock_levels" in card[3] and "stock_levels" not in card[2], card

    boss_chat = chat(boss.telegram_id, language_code="en")
    await boss_chat.send("/help")
    with statements(app) as seen:
        opened = texts(await boss_chat.press(None, f"cl:o:{holding.id}:0"))
    assert opened and opened[0].startswith("Holding")
    assert len(seen) == 5, seen  # and the supervisor's team


async def test_the_card_of_another_managers_client_is_refused(app, chat):
    boss = await make_user(app, 4200, Role.SUPERVISOR, name="Boss")
    other_boss = await make_user(app, 4203, Role.SUPERVISOR, name="Other boss")
    ivan = await make_user(app, 4201, supervisor=boss, name="Ivan")
    olga = await make_user(app, 4202, supervisor=other_boss, name="Olga")
    theirs = await make_client(app, "Theirs", olga, tier=Tier.A)
    await _fill(app, theirs, olga)
    for who in (ivan, boss):
        sent = await chat(who.telegram_id, language_code="en").press(None, f"cl:o:{theirs.id}:0")
        assert _alerts(sent) == [NOT_AVAILABLE], who.full_name
        assert not [t for t in texts(sent) if "Theirs" in t]
    for who in (olga, other_boss):
        opened = texts(
            await chat(who.telegram_id, language_code="en").press(None, f"cl:o:{theirs.id}:0")
        )
        assert opened and opened[0].startswith("Theirs"), who.full_name
    sent = await chat(ivan.telegram_id, language_code="en").press(None, "cl:o:2147483646:0")
    assert _alerts(sent) == [NOT_AVAILABLE]
