"""Whom the terminal can be: every person of the demo company (`:as`, `:users`), and
strangers made up on the spot (`:as new`), who meet the bot's invitation prompt."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from bot.demo.terminal.reader import NUMBER
from bot.runtime.factory import App
from bot.runtime.i18n import L10n
from storage.dto import Role, UserDTO
from storage.repositories import Repos

ROLE_WORDS: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: ("admin", "administrator", "админ", "администратор"),
    Role.SUPERVISOR: ("supervisor", "boss", "руководитель", "супервайзер"),
    Role.MANAGER: ("manager", "kam", "менеджер"),
    Role.DEPARTMENT: ("department", "dept", "отдел", "сотрудник"),
}
NEW_WORDS = ("new", "guest", "stranger", "новый", "гость")
STRANGER_IDS = 8_000_000_000  # Telegram ids of made-up strangers start after it


@dataclass(frozen=True)
class Person:
    telegram_id: int
    name: str
    user: UserDTO | None  # None: a stranger (`:as new`)


class Directory:
    def __init__(self, app: App) -> None:
        self.app = app
        self.people: dict[int, Person] = {}
        self._strangers = itertools.count(1)

    async def refresh(self) -> None:
        """The users as stored now (a hand-over, a new user, a changed language)."""
        async with self.app.database.read() as session:
            users = await Repos(session).users.list_users()
        strangers = {k: p for k, p in self.people.items() if p.user is None}
        self.people = {u.telegram_id: Person(u.telegram_id, u.full_name, u) for u in users}
        for key, stranger in strangers.items():
            self.people.setdefault(key, stranger)

    def get(self, telegram_id: int) -> Person | None:
        return self.people.get(telegram_id)

    def listed(self) -> list[Person]:
        """The company's people in the order `:users` numbers them."""
        return sorted(
            (p for p in self.people.values() if p.user is not None),
            key=lambda p: p.user.id if p.user else 0,
        )

    def find(self, query: str, l10n: L10n) -> list[Person]:
        """`:as` by number, by role (`manager 2`), by part of a name, or `new`."""
        words = query.casefold().split()
        if not words:
            return []
        people = self.listed()
        if words[0] in NEW_WORDS:
            number = next(self._strangers)
            stranger = Person(
                telegram_id=STRANGER_IDS + number,
                name=f"{l10n('demo-stranger-name')} {number}",
                user=None,
            )
            self.people[stranger.telegram_id] = stranger
            return [stranger]
        if len(words) == 1 and NUMBER.fullmatch(words[0]):
            index = int(words[0]) - 1
            return [people[index]] if 0 <= index < len(people) else []
        for role, names in ROLE_WORDS.items():
            if words[0] in names:
                of_role = [p for p in people if p.user and p.user.role is role]
                if len(words) > 1 and NUMBER.fullmatch(words[1]):
                    index = int(words[1]) - 1
                    return [of_role[index]] if 0 <= index < len(of_role) else []
                return of_role[:1]
        text = " ".join(words).replace("ё", "е")
        return [p for p in people if text in p.name.casefold().replace("ё", "е")]

    async def describe(self, person: Person, l10n: L10n) -> str:
        """Role, team, departments, language and zone, in one line."""
        user = person.user
        if user is None:
            return l10n("demo-stranger")
        parts = [l10n(f"role-{user.role.value}")]
        async with self.app.database.read() as session:
            repos = Repos(session)
            if user.supervisor_id is not None:
                boss = await repos.users.get(user.supervisor_id)
                if boss is not None:
                    parts.append(l10n("demo-team-of", name=boss.full_name))
            if user.role is Role.SUPERVISOR:
                team = await repos.users.team(user.id)
                parts.append(l10n("demo-team", names=", ".join(m.full_name for m in team)))
            departments = {d.id: d.name for d in await repos.departments.all()}
            for department_id in await repos.departments.of_user(user.id):
                parts.append(departments.get(department_id, ""))
        parts.append(f"{user.language}, {user.timezone}")
        return " · ".join(p for p in parts if p)
