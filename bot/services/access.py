"""Who may see and change what: the access rules every use case checks on the server
(accounts, plans, analytics, reminders, export), in a module of their own so that those
modules need not import one another for them."""

from __future__ import annotations

from bot.services.numbers import MAX_ID
from storage.dto import ClientDTO, Role, UserDTO
from storage.repositories import Repos

Owners = frozenset[int] | None


class AccessDenied(Exception):
    """The user may not see or change this; handlers answer "not available"."""


async def visible_owners(repos: Repos, user: UserDTO) -> Owners:
    """Whose clients the user sees: an admin all, a supervisor the team's, a manager own."""
    if user.role is Role.ADMIN:
        return None
    if user.role is Role.SUPERVISOR:
        return frozenset({user.id, *(m.id for m in await repos.users.team(user.id))})
    if user.role is Role.MANAGER:
        return frozenset({user.id})
    return frozenset()


def can_change(user: UserDTO, client: ClientDTO) -> bool:
    """Managers change their own clients; a supervisor sees the team's read-only."""
    return user.role is Role.ADMIN or client.owner_id == user.id


async def client_for(
    repos: Repos, user: UserDTO, client_id: int, *, change: bool = False
) -> ClientDTO:
    # An id no row can have is refused before the query, which would fail on it.
    client = await repos.clients.get(client_id) if 1 <= client_id <= MAX_ID else None
    if client is None:
        raise AccessDenied
    owners = await visible_owners(repos, user)
    if owners is not None and client.owner_id not in owners:
        raise AccessDenied
    if change and not can_change(user, client):
        raise AccessDenied
    return client
