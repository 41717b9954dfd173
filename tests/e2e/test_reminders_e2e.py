"""`python -m bot job digest --at …` queues the morning digest for the right managers, the
running bot delivers it, and running the job again sends nothing more."""

from __future__ import annotations

import pytest

from storage.dto import Role
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import Stack, add_client, add_person

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

AT = "2026-11-23T09:05:00+03:00"  # a Monday, 09:05 in Moscow


async def _company(stack: Stack) -> tuple[int, int]:
    db = Database(stack.env["DATABASE_URL"])
    try:
        async with db.transaction() as s:
            repos = Repos(s)
            busy = await add_person(repos, 900_001, Role.MANAGER, "Busy")
            idle = await add_person(repos, 900_002, Role.MANAGER, "Idle")
            await add_client(repos, "ООО «Ключ»", busy.id, is_key=True)
            return busy.telegram_id, idle.telegram_id
    finally:
        await db.dispose()


async def test_digest_job_delivers_once_to_the_right_managers(stack: Stack) -> None:
    busy, idle = await _company(stack)
    code, out, err = await stack.cli("job", "digest", "--at", AT)
    assert code == 0, err
    assert out.strip() == "1 digests queued"
    digest = await stack.fake.wait_for("sendMessage", chat_id=busy, timeout=20)
    assert digest.text and digest.text.startswith("Good morning! Your day, 23.11.2026:")
    assert "ООО «Ключ» — contact 100 days overdue (tier A)" in digest.text
    code, out, _ = await stack.cli("job", "digest", "--at", AT)
    assert (code, out.strip()) == (0, "0 digests queued")
    await stack.fake.wait_idle(quiet=1.5, timeout=20)
    assert len(stack.fake.delivered(busy)) == 1
    assert stack.fake.delivered(idle) == []
    # Tapping a numbered line opens the item with its actions.
    mark = stack.fake.mark()
    data = digest.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    stack.fake.click(busy, digest, data, first_name="Busy", language_code="en")
    item = await stack.fake.wait_for("sendMessage", chat_id=busy, after=mark)
    assert item.text == "ООО «Ключ» is waiting for a contact:"
    labels = [b["text"] for row in item.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == [
        "✍️ Log contact",
        "Open the card",
        "Snooze 1 day",
        "3 days",
        "1 week",
        "✓ Done",
    ]
