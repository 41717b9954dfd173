"""A supervisor asks the running bot for /export over the fake Bot API, picks a period and
receives an XLSX document (multipart upload) that openpyxl opens."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.services.local_time import local_date
from bot.services.plans import month_of
from storage.dto import Channel, ContactCreate, Outcome, Role, UserCreate
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import Person, Stack, add_client, buttons, texts

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

BOSS_ID, MANAGER_ID = 810_001, 810_002


async def _team(stack: Stack) -> None:
    db = Database(stack.env["DATABASE_URL"])
    now = datetime.now(UTC)
    try:
        async with db.transaction() as s:
            repos = Repos(s)
            people = {}
            for telegram_id, role, name, boss in (
                (BOSS_ID, Role.SUPERVISOR, "Boss", None),
                (MANAGER_ID, Role.MANAGER, "Ivan", BOSS_ID),
            ):
                people[telegram_id] = await repos.users.create(
                    UserCreate(
                        telegram_id=telegram_id,
                        role=role,
                        full_name=name,
                        language="en",
                        timezone="Europe/Moscow",
                        supervisor_id=people[boss].id if boss else None,
                    ),
                    actor_id=None,
                    now=now,
                )
            ivan = people[MANAGER_ID]
            client = await add_client(repos, "ООО «Ромашка»", ivan.id, is_key=True, now=now)
            await repos.contacts.add(
                ContactCreate(
                    client_id=client.id,
                    author_id=ivan.id,
                    channel=Channel.CALL,
                    summary="Discussed the December volumes",
                    outcome=Outcome.POSITIVE,
                    happened_at=now,
                ),
                now=now,
            )
            month = month_of(local_date(now, ZoneInfo("Europe/Moscow")))
            await repos.plans.set(
                ivan.id, month.start, month.end, Decimal("1000000"), actor_id=None, now=now
            )
    finally:
        await db.dispose()


async def test_supervisor_receives_the_workbook(stack: Stack) -> None:
    await _team(stack)
    boss = Person(stack.fake, BOSS_ID, name="Boss", language="en")
    [question] = await boss.say("/export")
    assert question.text == "Excel workbook for which period?"
    month_button = next(t for t, _ in buttons(question) if t.startswith("This month"))
    mark = stack.fake.mark()
    replies = await boss.press(question, month_button, timeout=30)
    document = await stack.fake.wait_for("sendDocument", chat_id=BOSS_ID, after=mark, timeout=30)
    assert any("Preparing the workbook" in t for t in texts(replies))
    [content] = document.files.values()
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[:2] == ["Contacts", "Orders"]
    contacts = list(book["Contacts"].iter_rows(min_row=2, values_only=True))
    assert [row[1:3] for row in contacts] == [("ООО «Ромашка»", "Ivan")]
    assert book["Contacts"].freeze_panes == "A2"
    plan = list(book["Plan fulfilment"].iter_rows(min_row=2, values_only=True))
    assert plan[0][:3] == ("Ivan", None, 1000000)
