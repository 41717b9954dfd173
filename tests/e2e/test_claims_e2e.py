"""A manager registers a claim with a photo over the fake Bot API; the department's group chat
receives it with the photo, a member resolves it there, and the manager is told."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.dto import Role, Tier, UserCreate
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import Person, Stack, add_client, buttons, texts, with_buttons

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

GROUP = -1009876543210


async def _company(stack: Stack) -> tuple[int, int]:
    db = Database(stack.env["DATABASE_URL"])
    now = datetime.now(UTC)
    try:
        async with db.transaction() as s:
            repos = Repos(s)
            manager = await repos.users.create(
                UserCreate(
                    telegram_id=950_001,
                    role=Role.MANAGER,
                    full_name="Ivan",
                    language="en",
                    timezone="Europe/Moscow",
                ),
                actor_id=None,
                now=now,
            )
            member = await repos.users.create(
                UserCreate(
                    telegram_id=950_002,
                    role=Role.DEPARTMENT,
                    full_name="Quinn",
                    language="en",
                    timezone="Europe/Moscow",
                ),
                actor_id=None,
                now=now,
            )
            await add_client(repos, "ООО «Ромашка»", manager.id, tier=Tier.B, now=now)
            department = await repos.departments.create("Quality", now=now)
            await repos.departments.set_categories(department.id, ["quality"])
            await repos.departments.add_member(department.id, member.id)
            await repos.departments.set_chat(department.id, GROUP)
            return manager.telegram_id, member.telegram_id
    finally:
        await db.dispose()


async def test_claim_with_photo_reaches_department_chat_and_is_resolved(stack: Stack) -> None:
    manager_id, member_id = await _company(stack)
    me = Person(stack.fake, manager_id, name="Ivan", language="en")
    replies = await me.say("/claim ромашка")
    replies = await me.press(with_buttons(replies), "ООО «Ромашка»")
    replies = await me.press(with_buttons(replies), "None")
    replies = await me.press(with_buttons(replies), "Quality")
    await me.say("Scratched surface on half of the batch")
    done = with_buttons(await me.say("12 500"))
    mark = stack.fake.mark()
    stack.fake.send_photo(
        manager_id, "photo-1", b"\xff\xd8\xff fake jpeg", first_name="Ivan", language_code="en"
    )
    await stack.fake.wait_for("sendMessage", chat_id=manager_id, after=mark)
    replies = await me.press(done, "Done")
    replies = await me.press(with_buttons(replies), "✅ Register the claim")
    assert texts(replies)[-1].startswith("Claim CL-")

    photo = await stack.fake.wait_for("sendPhoto", chat_id=GROUP, timeout=20)
    assert photo.params["photo"] == "photo-1"
    card = await stack.fake.wait_for("sendMessage", chat_id=GROUP, timeout=20)
    # A group chat gets the company's default language (DEFAULT_LANGUAGE=ru here).
    assert card.text and card.text.startswith("📝 Новая претензия для вашего отдела:")
    resolve = next(data for text, data in buttons(card) if text == "✅ Решена")
    mark = stack.fake.mark()
    stack.fake.click(
        member_id, card, resolve, chat_id=GROUP, first_name="Quinn", language_code="en"
    )
    edited = await stack.fake.wait_for("editMessageText", chat_id=GROUP, after=mark)
    assert "Status: resolved" in (edited.text or "")
    told = await stack.fake.wait_for(
        "sendMessage",
        chat_id=manager_id,
        after=mark,
        predicate=lambda r: "resolved" in (r.text or ""),
        timeout=20,
    )
    assert told.text and told.text.endswith(": resolved (Quinn).")
