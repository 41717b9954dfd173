"""`python -m bot job team_weekly --at …` queues the weekly team summary; the running bot
delivers the text and then the chart as a photo of its own to the supervisor, once; and a
supervisor asks for /report in the chat."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from storage.dto import Role
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import Person, Stack, add_client, add_person, with_buttons

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

AT = "2026-11-30T09:05:00+03:00"  # Monday 09:05 in Moscow: last week's summary is due
PNG = b"\x89PNG\r\n\x1a\n"


async def _team(stack: Stack) -> tuple[int, int]:
    db = Database(stack.env["DATABASE_URL"])
    long_ago = datetime(2026, 8, 1, tzinfo=UTC)
    try:
        async with db.transaction() as s:
            repos = Repos(s)
            boss = await add_person(repos, 910_001, Role.SUPERVISOR, "Boss")
            ivan = await add_person(repos, 910_002, Role.MANAGER, "Ivan", supervisor_id=boss.id)
            await add_client(repos, "ООО «Ключ»", ivan.id, is_key=True)
            await repos.plans.set(
                ivan.id,
                date(2026, 11, 1),
                date(2026, 11, 30),
                Decimal("500000"),
                actor_id=boss.id,
                now=long_ago,
            )
            return boss.telegram_id, ivan.telegram_id
    finally:
        await db.dispose()


async def test_weekly_summary_text_then_chart_once(stack: Stack) -> None:
    boss, ivan = await _team(stack)
    code, out, err = await stack.cli("job", "team_weekly", "--at", AT)
    assert code == 0, err
    assert out.strip() == "1 team summaries queued"  # the admin of ADMIN_IDS is not registered
    photo = await stack.fake.wait_for("sendPhoto", chat_id=boss, timeout=30)
    sent = stack.fake.messages_to(boss)
    assert [r.method for r in sent] == ["sendMessage", "sendPhoto"]
    text = sent[0].text or ""
    assert text.startswith("📊 Weekly team summary, 23.11–29.11.2026 · Boss")
    assert "👤 Ivan" in text and "Plan 11.2026: 0% (" in text
    assert "ООО «Ключ»" in text  # never contacted: the most neglected key client
    assert next(iter(photo.files.values())).startswith(PNG)
    code, out, _ = await stack.cli("job", "team_weekly", "--at", AT)
    assert (code, out.strip()) == (0, "0 team summaries queued")
    await stack.fake.wait_idle(quiet=1.5, timeout=20)
    assert len(stack.fake.messages_to(boss)) == 2
    assert stack.fake.messages_to(ivan) == []


async def test_report_on_demand(stack: Stack) -> None:
    boss = Person(stack.fake, 910_001, name="Boss", language="en")
    replies = await boss.say("/report")
    assert replies[-1].text == "Team summary for which period?"
    mark = stack.fake.mark()
    await boss.press(with_buttons(replies), "This month")
    photo = await stack.fake.wait_for("sendPhoto", chat_id=boss.id, after=mark, timeout=30)
    assert next(iter(photo.files.values())).startswith(PNG)
    texts = [r.text or "" for r in stack.fake.requests[mark:] if r.method == "sendMessage"]
    # The running bot keeps the wall clock: whichever month it is, the summary is Boss's.
    assert texts and texts[0].startswith("📊 Team summary, ") and "· Boss" in texts[0]
    assert "👤 Ivan" in texts[0]
