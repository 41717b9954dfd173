"""my_chat_member in private chats: a user blocked the bot, or came back."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.types import ChatMemberUpdated

from bot.runtime.i18n import Translator
from bot.services.notifications import mark_reachable, mark_unreachable
from storage.repositories import Repos

GONE = {"kicked", "left"}


async def on_bot_membership(
    event: ChatMemberUpdated, repos: Repos, translator: Translator, now: datetime
) -> None:
    if event.new_chat_member.status in GONE:
        await mark_unreachable(
            repos, event.chat.id, now=now, error="blocked (my_chat_member)", texts=translator
        )
    else:
        await mark_reachable(repos, event.chat.id, now=now)


def router() -> Router:
    r = Router(name=__name__)
    r.my_chat_member.register(on_bot_membership, F.chat.type == "private")
    return r
