"""Per-update plumbing: in-flight tracking, the unit of work, the current user and access."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.context import FSMContext
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, Update, User

from bot.runtime.commands import sync_user_commands
from bot.runtime.config import Settings
from bot.runtime.fsm_storage import storage_key
from bot.runtime.i18n import Translator
from bot.runtime.metrics import Metrics, UpdateOutcome
from bot.runtime.update_scope import (
    READS_ONLY_FLAG,
    UpdateScope,
    bind_update_scope,
    current_update_scope,
    release_update_scope,
)
from bot.services.access import AccessDenied
from bot.services.clock import Clock
from bot.services.people import TelegramProfile, admit_configured_admin
from bot.views.common.menu import FEATURES
from storage.dto import UserDTO
from storage.engine import Database, on_first_write
from storage.repositories import (
    Repos,
    UpdateContextRepo,
    UpdateHandledAlready,
    processed_mark,
)

logger = logging.getLogger(__name__)
# Update ids handled by this process that are remembered, so a replay is skipped without
# a statement (Telegram replays what was not confirmed: the last few seconds' worth).
RECENT_UPDATES = 10_000
# "/claims", "/claim@kam_bot Северный": a bot command as Telegram parses one.
_COMMAND = re.compile(r"/(?P<name>[A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s|$)")
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
# Where the update path notes an update it skipped or turned away (the outer middlewares of
# `dp.update` share one data dict), for UpdateMetricsMiddleware to count.
OUTCOME_KEY = "kam_update_outcome"


def note_outcome(data: dict[str, Any], outcome: UpdateOutcome) -> None:
    data[OUTCOME_KEY] = outcome


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


class UpdateMetricsMiddleware(BaseMiddleware):
    """Counts each update by type and outcome and times its handling (the isolation
    lock's wait included: the user waits for it too). Outer, before the update path, so it
    sees a handler's error before aiogram's error handlers take it."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        kind = _update_type(event)
        started = time.perf_counter()
        outcome = UpdateOutcome.ERROR
        try:
            result = await handler(event, data)
            noted: UpdateOutcome | None = data.get(OUTCOME_KEY)
            if noted is not None:
                outcome = noted
            else:
                outcome = UpdateOutcome.UNHANDLED if result is UNHANDLED else UpdateOutcome.OK
            return result
        except AccessDenied:
            outcome = UpdateOutcome.REFUSED  # "not available", nothing changed
            raise
        finally:
            self._metrics.update_handled(kind, outcome, time.perf_counter() - started)


def _update_type(event: Update) -> str:
    try:
        return event.event_type
    except Exception:  # a type newer than aiogram knows (UpdateTypeLookupError)
        return "unknown"


class UpdateMiddleware(BaseMiddleware):
    """The path of one update, in place of aiogram's FSM middleware and a session per
    update: with the sender's updates isolated (one at a time, as aiogram does), one read
    statement tells whether the update was handled already and loads its sender and
    dialog state; the handler then writes through a session that takes the write lock
    only when it first writes, and marks the update handled in that same transaction.

    So a replayed update changes nothing (its mark was committed with its effects, or it
    had none), dialogs survive restarts (the state is in the database), and an update
    that writes nothing holds no writer transaction. An update handled in this process is
    also remembered here, so a replay of one that wrote nothing is not answered twice."""

    def __init__(self, fsm: FSMContextMiddleware, database: Database, clock: Clock) -> None:
        self._fsm = fsm
        self._database = database
        self._context = UpdateContextRepo(database)
        self._clock = clock
        self._recent: OrderedDict[int, None] = OrderedDict()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        if event.update_id in self._recent:
            logger.info("update %s was handled already; skipped", event.update_id)
            note_outcome(data, UpdateOutcome.DUPLICATE)
            return None
        context = self._fsm.resolve_event_context(data["bot"], data)
        data["fsm_storage"] = self._fsm.storage
        if context is None:
            return await self._handle(handler, event, data, None)
        # The state is read after the lock is taken (aiogram issue 1317).
        async with self._fsm.events_isolation.lock(key=context.key):
            return await self._handle(handler, event, data, context)

    async def _handle(
        self,
        handler: Handler,
        event: Update,
        data: dict[str, Any],
        context: FSMContext | None,
    ) -> Any:
        now = self._clock()
        _, from_user = _chat_and_user(event)
        fsm_key = storage_key(context.key) if context is not None else None
        loaded = await self._context.load(
            update_id=event.update_id,
            telegram_id=from_user.id if from_user is not None else None,
            fsm_key=fsm_key,
        )
        if loaded.handled:
            logger.info("update %s was handled already; skipped", event.update_id)
            note_outcome(data, UpdateOutcome.DUPLICATE)
            return None
        writer = self._database.writer()
        on_first_write(writer, processed_mark(event.update_id, now))
        scope = UpdateScope(
            self._database, writer, fsm_key, loaded.fsm_state, loaded.fsm_data, now
        )
        token = bind_update_scope(scope)
        try:
            data["repos"] = Repos(writer)
            data["now"] = now
            data["sender"] = loaded.user
            if context is not None:
                data["state"] = context
                data["raw_state"] = loaded.fsm_state
            result = await handler(event, data)
            await scope.commit()
        except UpdateHandledAlready:
            await writer.rollback()
            logger.info("update %s was handled meanwhile; skipped", event.update_id)
            note_outcome(data, UpdateOutcome.DUPLICATE)
            return None
        except BaseException:
            await writer.rollback()
            raise
        finally:
            release_update_scope(token)
            await scope.close()
        self._remember(event.update_id)
        return result

    def _remember(self, update_id: int) -> None:
        self._recent[update_id] = None
        if len(self._recent) > RECENT_UPDATES:
            self._recent.popitem(last=False)


class ReadsOnlyMiddleware(BaseMiddleware):
    """A handler flagged `READS_ONLY` reads through a read session, which never waits for
    the write lock (an import's switch, a job's writes); any other handler gets the
    update's writer, which takes the lock at its first statement."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        scope = current_update_scope()
        if scope is not None and get_flag(data, READS_ONLY_FLAG):
            data["repos"] = Repos(scope.reader())
        return await handler(event, data)


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
        scope = current_update_scope()
        if scope is not None:
            await scope.commit()
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
            return await handler(event, data) if event.my_chat_member else _refused(data)
        user: UserDTO | None = data.get("sender")
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
            return await handler(event, data) if event.callback_query else _refused(data)
        if _is_start_with_payload(event):
            return await handler(event, data)
        if event.callback_query:
            await event.callback_query.answer(l10n("access-invite-only"), show_alert=True)
        elif event.message:
            await event.message.answer(l10n("access-invite-only"))
        return _refused(data)


def _refused(data: dict[str, Any]) -> None:
    """A stranger (or another bot) turned away: counted as refused."""
    note_outcome(data, UpdateOutcome.REFUSED)


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
