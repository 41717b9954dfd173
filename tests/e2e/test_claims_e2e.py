"""A manager registers a claim with an album over the fake Bot API (answered once, with the
count, though its photos arrive together); the department's group chat receives it with the
photos, a member resolves it there, is asked for the resolution by ForceReply and replies;
the resolution is kept in the claim's history and the manager is told it."""

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


async def test_claim_with_album_reaches_department_chat_and_is_resolved(stack: Stack) -> None:
    manager_id, member_id = await _company(stack)
    me = Person(stack.fake, manager_id, name="Ivan", language="en")
    replies = await me.say("/claim ромашка")
    replies = await me.press(with_buttons(replies), "ООО «Ромашка»")
    replies = await me.say("none")  # typed: no order
    replies = await me.press(with_buttons(replies), "Quality")
    await me.say("Scratched surface on half of the batch")
    done = with_buttons(await me.say("12 500"))
    mark = stack.fake.mark()
    # An album: its photos arrive together, in one poll, and are handled side by side.
    for n in (1, 2):
        stack.fake.send_photo(
            manager_id,
            f"photo-{n}",
            b"\xff\xd8\xff fake jpeg",
            media_group_id="album-1",
            first_name="Ivan",
            language_code="en",
        )
    answer = await stack.fake.wait_for("sendMessage", chat_id=manager_id, after=mark)
    await stack.fake.wait_for("editMessageText", chat_id=manager_id, after=mark)
    await stack.fake.wait_idle(quiet=0.3)
    assert [r.method for r in stack.fake.messages_to(manager_id)[-2:]] == [
        "sendMessage",
        "editMessageText",
    ]
    current = stack.fake.message(manager_id, answer.result["message_id"])
    assert current is not None
    assert current["text"] == (
        "2 photos from the album attached, 2 files in all. Send more or press Done."
    )
    replies = await me.press(done, "Done")
    assert "Order: none" in texts(replies)[-1] and "Attachments: 2" in texts(replies)[-1]
    replies = await me.press(with_buttons(replies), "✅ Register the claim")
    assert texts(replies)[-1].startswith("Claim CL-")
    number = texts(replies)[-1].split()[1]

    album = await stack.fake.wait_for("sendMediaGroup", chat_id=GROUP, timeout=20)
    assert [item["media"] for item in album.params["media"]] == ["photo-1", "photo-2"]
    card = await stack.fake.wait_for("sendMessage", chat_id=GROUP, timeout=20)
    # A group chat gets the company's default language (DEFAULT_LANGUAGE=ru here).
    assert card.text and card.text.startswith("📝 Новая претензия для вашего отдела:")
    resolve = next(data for text, data in buttons(card) if text == "✅ Решена")
    mark = stack.fake.mark()
    stack.fake.click(
        member_id, card, resolve, chat_id=GROUP, first_name="Quinn", language_code="en"
    )
    # The tap asks for the resolution: a ForceReply aimed at the member by a mention.
    prompt = await stack.fake.wait_for("sendMessage", chat_id=GROUP, after=mark)
    assert prompt.params["reply_markup"]["force_reply"] is True
    assert prompt.params["reply_markup"]["selective"] is True
    assert prompt.text and prompt.text.startswith(f"Quinn, ✅ How was claim {number} resolved?")
    assert [(e["type"], e["user"]["id"]) for e in prompt.params["entities"]] == [
        ("text_mention", member_id)
    ]
    await stack.fake.wait_idle(quiet=0.3)
    assert not stack.fake.calls("editMessageText", chat_id=GROUP)  # nothing moved yet
    mark = stack.fake.mark()
    stack.fake.send_text(
        member_id,
        "Batch replaced, the client confirmed",
        chat_id=GROUP,
        chat_type="supergroup",
        reply_to=prompt.result,
        first_name="Quinn",
        language_code="en",
    )
    edited = await stack.fake.wait_for("editMessageText", chat_id=GROUP, after=mark)
    assert "Status: resolved" in (edited.text or "")
    assert "Resolution: Batch replaced, the client confirmed" in (edited.text or "")
    told = await stack.fake.wait_for(
        "sendMessage",
        chat_id=manager_id,
        after=mark,
        predicate=lambda r: "resolved" in (r.text or ""),
        timeout=20,
    )
    assert told.text == (
        f"Claim {number}: resolved (Quinn).\nResolution: Batch replaced, the client confirmed"
    )
    db = Database(stack.env["DATABASE_URL"])
    try:
        async with db.read() as s:
            repos = Repos(s)
            [line] = await repos.claims.lines(
                managers=None, departments=None, state="closed", today=datetime.now(UTC).date()
            )
            events = await repos.claims.events(line.claim.id)
    finally:
        await db.dispose()
    assert (events[-1][0].to_status, events[-1][0].text, events[-1][1]) == (
        "resolved",
        "Batch replaced, the client confirmed",
        "Quinn",
    )
