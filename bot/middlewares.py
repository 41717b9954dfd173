"""Per-update plumbing: in-flight tracking, the unit of work, the current user and access."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.fsm.context import FSMContext
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, Update, User
from sqlalchemy.exc import OperationalError

from bot.commands import sync_user_commands
from bot.config import Settings
from bot.i18n import Translator
from bot.menu import FEATURES
from bot.services.clock import Clock
from bot.services.people import TelegramProfile, admit_configured_admin
from storage.engine import (
    Database,
    bind_update_session,
    current_session,
    is_busy,
    update_session,
)
from storage.repositories import Repos

logger = logging.getLogger(__name__)
# "/claims", "/claim@kam_bot Северный": a bot command as Telegram parses one.
_COMMAND = re.compile(r"/(?P<name>[A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s|$)")
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
# Pauses before asking again for the write lock an update could not get within the busy
# timeout (each attempt itself waits that long): the update waits rather than fails.
LOCK_RETRY_PAUSES = (0.1, 0.5, 2.0)


class InFlightMiddleware(BaseMiddleware):
    """Counts updates being handled, so shutdown can wait for them (aiogram does not)."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self._count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    async def wait_idle(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            return False
        return True


class UnitOfWorkMiddleware(BaseMiddleware):
    """One session per update: committed on success, rolled back on error. The update id is
    recorded in the same transaction, so a replayed update (polling confirms updates before
    they are handled) is skipped if and only if its effects were committed."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        async with self._database.writer() as session:
            token = bind_update_session(session)
            try:
                repos = Repos(session)
                now = self._clock()
                if not await self._mark(session, repos, event.update_id, now):
                    logger.info("update %s was handled already; skipped", event.update_id)
                    await session.rollback()
                    return None
                data["repos"] = repos
                data["now"] = now
                result = await handler(event, data)
                await session.commit()
                return result
            except BaseException:
                await session.rollback()
                raise
            finally:
                current_session.reset(token)

    async def _mark(self, session: Any, repos: Repos, update_id: int, now: Any) -> bool:
        """Record the update, taking the write lock (its first write: BEGIN IMMEDIATE on
        SQLite). When another writer held the lock past the busy timeout, the update is not
        lost: the lock is asked for again, after a pause. Only here is a retry safe: nothing
        was read, written or sent yet. Later writes of the handler come after a reply may
        have been sent, and are not retried; they wait within the busy timeout, which is
        far longer than any import's switch."""
        for pause in (*LOCK_RETRY_PAUSES, None):
            try:
                return await repos.processed_updates.mark(update_id, now=now)
            except OperationalError as exc:
                if pause is None or not is_busy(exc):
                    raise
                await session.rollback()
                logger.info("update %s: database busy; asking again in %s s", update_id, pause)
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")


class CommitBeforeSendMiddleware(BaseRequestMiddleware):
    """Commits the update's transaction before any request to Telegram.

    The user is told "saved" only once it is, and the SQLite write lock is not held across
    a network round trip."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        session = update_session()
        if session is not None and session.in_transaction():
            await session.commit()
        return await make_request(bot, method)


def _chat_and_user(event: Update) -> tuple[Chat | None, User | None]:
    inner = event.event
    if isinstance(inner, Message):
        return inner.chat, inner.from_user
    if isinstance(inner, CallbackQuery):
        chat = inner.message.chat if inner.message else None
        return chat, inner.from_user
    return getattr(inner, "chat", None), getattr(inner, "from_user", None)


def _is_start_with_payload(event: Update) -> bool:
    message = event.message
    if message is None or not message.text:
        return False
    parts = message.text.split(maxsplit=1)
    return len(parts) == 2 and parts[0].split("@")[0] == "/start"


class AccessMiddleware(BaseMiddleware):
    """Resolves the current user and keeps strangers out of everything but an invitation.

    An unknown or deactivated person in a private chat gets the invitation prompt for any
    message or button; in a group, the bot stays silent. Role checks sit on the routers."""

    def __init__(self, settings: Settings, translator: Translator) -> None:
        self._settings = settings
        self._translator = translator

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        repos: Repos = data["repos"]
        chat, from_user = _chat_and_user(event)
        if from_user is None or from_user.is_bot:
            return await handler(event, data) if event.my_chat_member else None
        user = await repos.users.by_telegram_id(from_user.id)
        if user is None and from_user.id in self._settings.admin_ids:
            user = await admit_configured_admin(
                repos,
                TelegramProfile(
                    telegram_id=from_user.id,
                    full_name=from_user.full_name,
                    username=from_user.username,
                    language_code=from_user.language_code,
                ),
                default_language=self._settings.default_language,
                default_timezone=self._settings.default_timezone,
                now=data["now"],
            )
            await sync_user_commands(data["bot"], user, self._translator)
        language = user.language if user else from_user.language_code
        l10n = self._translator.get(
            language if language in self._translator.languages else self._settings.default_language
        )
        data["l10n"] = l10n
        data["user"] = user if user and user.is_active else None
        if data["user"] is not None or event.my_chat_member:
            return await handler(event, data)
        if chat is None or chat.type != "private":
            # In a group the bot stays silent to strangers, but a button pressed there
            # (a claim's, in a department's chat) must be answered: its handler says no.
            return await handler(event, data) if event.callback_query else None
        if _is_start_with_payload(event):
            return await handler(event, data)
        if event.callback_query:
            await event.callback_query.answer(l10n("access-invite-only"), show_alert=True)
        elif event.message:
            await event.message.answer(l10n("access-invite-only"))
        return None


class LeaveDialogMiddleware(BaseMiddleware):
    """A command or a main-menu button sent in the middle of a dialog leaves the dialog
    and does what it says. Without this, aiogram hands it to the step's text handler: a
    client named "/claims", or "/claim Северный" read as a date.

    `/cancel` is left to its own handler, which clears the dialog and says so."""

    def __init__(self, translator: Translator) -> None:
        self._menu_labels = frozenset(
            translator.get(language)(f"menu-{feature.command}")
            for language in translator.languages
            for feature in FEATURES
            if feature.in_menu
        )

    def leaves_dialog(self, message: Message) -> bool:
        text = (message.text or message.caption or "").strip()
        if text in self._menu_labels:
            return True
        command = _COMMAND.match(text)
        return command is not None and command["name"].casefold() != "cancel"

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        state: FSMContext | None = data.get("state")
        if (
            state is not None
            and data.get("raw_state") is not None
            and isinstance(event, Message)
            and self.leaves_dialog(event)
        ):
            logger.debug("a command left dialog step %s", data["raw_state"])
            await state.clear()
            data["raw_state"] = None  # the state filters below read it, not the storage
        return await handler(event, data)
