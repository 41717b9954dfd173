"""Filters for routers: roles (checked on the server for every event) and menu buttons."""

from __future__ import annotations

from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message

from bot.runtime.i18n import Translator
from storage.dto import Role, UserDTO


class RoleFilter(BaseFilter):
    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    async def __call__(self, event: Message | CallbackQuery, user: UserDTO | None = None) -> bool:
        return user is not None and user.role in self.roles


class Registered(BaseFilter):
    async def __call__(self, event: Message | CallbackQuery, user: UserDTO | None = None) -> bool:
        return user is not None


class MenuButton(BaseFilter):
    """A main-menu button press: its label in any language the bot speaks."""

    def __init__(self, command: str) -> None:
        self.key = f"menu-{command}"
        self._labels: dict[int, frozenset[str]] = {}

    async def __call__(self, message: Message, translator: Translator) -> bool:
        if not message.text:
            return False
        labels = self._labels.get(id(translator))
        if labels is None:
            labels = self._labels[id(translator)] = frozenset(
                translator.get(lang)(self.key) for lang in translator.languages
            )
        return message.text in labels
