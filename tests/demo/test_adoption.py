"""An adoption invitation (the demo's, with a BOT_TOKEN): whoever opens it becomes that
existing person, with their clients and team, instead of a new empty user; one Telegram
account can go from person to person. Through the production dispatcher."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import SetMyCommands

from bot.runtime.factory import App
from bot.services.people import (
    create_adoption_invite,
    create_invite,
    hash_code,
    is_placeholder_telegram_id,
    placeholder_telegram_id,
)
from storage.dto import Role, UserDTO
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import texts


async def invite_to_be(app: App, person: UserDTO) -> str:
    async with app.database.transaction() as s:
        created = await create_adoption_invite(
            Repos(s), user_id=person.id, created_by_id=None, ttl=timedelta(days=7), now=app.clock()
        )
    return created.code


async def people(app: App) -> tuple[UserDTO, UserDTO]:
    boss = await make_user(
        app, placeholder_telegram_id(1), Role.SUPERVISOR, name="Андрей Морозов", language="ru"
    )
    ivan = await make_user(
        app, placeholder_telegram_id(2), name="Иван Петров", supervisor=boss, language="ru"
    )
    await make_client(app, "АО «Агрохолдинг Черноземье»", ivan)
    await make_client(app, "ООО «Мясной двор»", ivan)
    return boss, ivan


async def test_opening_the_link_makes_you_that_person(app, chat, session) -> None:
    _, ivan = await people(app)
    code = await invite_to_be(app, ivan)
    phone = chat(777_001, first_name="Evaluator", language_code="en")

    sent = await phone.send(f"/start {code}")
    assert texts(sent)[0].startswith("Добро пожаловать, Иван Петров!")
    assert session.of(SetMyCommands)[-1].method.scope.chat_id == 777_001
    listed = "\n".join(texts(await phone.send("/clients")))
    assert "АО «Агрохолдинг Черноземье»" in listed and "ООО «Мясной двор»" in listed
    async with app.database.read() as s:
        repos = Repos(s)
        me = await repos.users.by_telegram_id(777_001)
        history = await repos.audit.history("user", ivan.id)
    assert me is not None and me.id == ivan.id and me.full_name == "Иван Петров"
    assert me.unreachable_since is None
    assert history[-1].changes["telegram_id"] == [placeholder_telegram_id(2), 777_001]

    # The link works once.
    other = chat(777_002, language_code="en")
    assert "already been used" in texts(await other.send(f"/start {code}"))[0]


async def test_another_link_moves_the_same_phone_to_another_person(app, chat) -> None:
    boss, ivan = await people(app)
    phone = chat(777_003, language_code="ru")
    await phone.send(f"/start {await invite_to_be(app, ivan)}")

    sent = await phone.send(f"/start {await invite_to_be(app, boss)}")
    assert texts(sent)[0].startswith("Добро пожаловать, Андрей Морозов! Ваша роль: руководитель")
    async with app.database.read() as s:
        repos = Repos(s)
        now_boss = await repos.users.by_telegram_id(777_003)
        left = await repos.users.get(ivan.id)
    assert now_boss is not None and now_boss.id == boss.id
    # The person left behind is on nobody's account, and nothing is sent there.
    assert left is not None and is_placeholder_telegram_id(left.telegram_id)
    assert left.is_active and left.unreachable_since is not None


async def test_an_ordinary_invitation_still_leaves_a_registered_person_alone(app, chat) -> None:
    boss, _ = await people(app)
    phone = chat(777_004, language_code="en")
    await phone.send(f"/start {await invite_to_be(app, boss)}")
    async with app.database.transaction() as s:
        created = await create_invite(
            Repos(s),
            role=Role.MANAGER,
            supervisor_id=boss.id,
            erp_name=None,
            created_by_id=None,
            ttl=timedelta(days=7),
            now=app.clock(),
        )
    sent = await phone.send(f"/start {created.code}")
    assert texts(sent)[0].startswith("Добро пожаловать, Андрей Морозов!")  # a plain /start
    async with app.database.read() as s:
        invite = await Repos(s).invites.by_hash(hash_code(created.code))
    assert invite is not None and invite.used_at is None  # still there for its newcomer
