"""Test data builders: people and clients written straight through the repositories."""

from __future__ import annotations

from bot.runtime.factory import App
from bot.services.client_search import search_key
from storage.dto import ClientCreate, ClientDTO, Role, Tier, UserCreate, UserDTO
from storage.repositories import Repos


async def make_user(
    app: App,
    telegram_id: int,
    role: Role = Role.MANAGER,
    *,
    name: str | None = None,
    supervisor: UserDTO | None = None,
    language: str = "en",
    timezone: str = "Europe/Moscow",
) -> UserDTO:
    async with app.database.transaction() as s:
        return await Repos(s).users.create(
            UserCreate(
                telegram_id=telegram_id,
                role=role,
                full_name=name or f"User {telegram_id}",
                language=language,
                timezone=timezone,
                supervisor_id=supervisor.id if supervisor else None,
            ),
            actor_id=None,
            now=app.clock(),
        )


async def make_client(
    app: App,
    name: str,
    owner: UserDTO | None,
    *,
    tier: Tier = Tier.B,
    inn: str | None = None,
    kpp: str = "",
    is_key: bool | None = None,
) -> ClientDTO:
    async with app.database.transaction() as s:
        return await Repos(s).clients.create(
            ClientCreate(
                name=name,
                search_key=search_key(name),
                inn=inn,
                kpp=kpp,
                tier=tier,
                is_key=tier is Tier.A if is_key is None else is_key,
                owner_id=owner.id if owner else None,
            ),
            actor_id=None,
            now=app.clock(),
        )
