"""Managers as the ERP writes them ("Иванов Иван Иванович", "Иванов И.И.", "Иванов И.")
matched against the names set at invitation; two people with the same surname and initial
are never confused. A name with no user yet is kept on the client, which goes to that person
when they register."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from storage.repositories import Repos


def manager_keys(name: str) -> list[str]:
    """Ways an ERP writes one person, most exact first: "иванов иван иванович",
    "иванов и и" (surname and initials), "иванов и" (surname and first initial)."""
    words = [w for w in re.split(r"[\s.]+", name.lower().replace("ё", "е")) if w]
    if not words:
        return []
    keys = [" ".join(words)]
    if len(words) >= 2:
        keys.append(" ".join([words[0], *(w[0] for w in words[1:])]))
        keys.append(f"{words[0]} {words[1][0]}")
    return list(dict.fromkeys(keys))


def manager_index(users: Iterable[tuple[int, str]]) -> dict[str, int]:
    """key → user, from (user id, ERP name) pairs, keeping only keys that point at exactly
    one user (two Ivanovs I. must not be confused)."""
    owners: dict[str, set[int]] = {}
    for user_id, erp_name in users:
        for key in manager_keys(erp_name):
            owners.setdefault(key, set()).add(user_id)
    return {key: ids.pop() for key, ids in owners.items() if len(ids) == 1}


def match_manager(name: str, index: dict[str, int]) -> int | None:
    return next((index[k] for k in manager_keys(name) if k in index), None)


async def attach_erp_clients(repos: Repos, user_id: int, erp_name: str, *, now: datetime) -> int:
    """A user whose ERP name matches clients imported before they registered gets them."""
    index = manager_index([(user_id, erp_name)])
    matching = [
        client.client_id
        for client in await repos.erp.unowned_with_erp_manager()
        if match_manager(client.erp_manager, index) == user_id
    ]
    for client_id in matching:
        await repos.clients.reassign(client_id, user_id, source="erp", actor_id=None, now=now)
    return len(matching)
