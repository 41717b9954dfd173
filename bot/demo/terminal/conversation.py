"""One terminal, many people: who is typing now, each person's chat, and the bot they talk
to. What the person types goes to the production dispatcher as real `Update`s built with
aiogram's own models (as tests/helpers.py's ChatClient does); after every input the outbox
is delivered, so what the bot owes anyone appears at once."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.types import CallbackQuery, Chat, Message, MessageEntity, Update, User

from bot.demo.terminal.people import Directory, Person
from bot.demo.terminal.screen import ChatState, Screen, first_line
from bot.demo.terminal.session import Shown, TerminalSession
from bot.runtime.factory import App
from bot.runtime.i18n import L10n
from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender
from bot.services.clock import FrozenClock
from storage.demo import DemoRepo
from storage.dto import OutboxStatus
from storage.repositories import Repos

# No Telegram limits to respect here; one send at a time keeps the printed order.
DELIVERY = DeliveryConfig(
    per_second=1000.0,
    private_interval=0.0,
    group_per_minute=1_000_000,
    concurrency=1,
    margin=1.0,
)


class Conversation:
    def __init__(
        self, app: App, bot: Bot, dp: Dispatcher, session: TerminalSession, screen: Screen
    ) -> None:
        self.app, self.bot, self.dp, self.session = app, bot, dp, session
        self.screen = screen
        self.people = Directory(app)
        self.chats: dict[int, ChatState] = {}
        self.current: Person | None = None
        self._update_ids = itertools.count(1)  # numbered on from the database's in start()
        self._message_ids = itertools.count(1)
        self._announced: set[int] = set()
        session.show = self._on_shown
        session.alert = self._on_alert

    @property
    def l10n(self) -> L10n:
        return self.screen.l10n

    def say(self, text: str) -> None:
        self.screen.say(text)

    async def start(self) -> None:
        async with self.app.database.read() as session:
            last = await DemoRepo(session).last_update_id()
        # Handled update ids are kept for a day: a rerun must not reuse them.
        self._update_ids = itertools.count(last + 1)
        await self.refresh_people()

    def state(self, chat_id: int | None = None) -> ChatState:
        key = chat_id if chat_id is not None else (self.current.telegram_id if self.current else 0)
        return self.chats.setdefault(key, ChatState())

    def prompt(self) -> str:
        """ "Ivan Petrov [1–8] ›" while a number presses a button of the message just above
        (and which numbers), "Ivan Petrov ›" when a number goes to the bot as text."""
        name = self.current.name if self.current else "?"
        pressable = self.state().pressable
        if pressable is not None:
            count = len(pressable.buttons)
            numbers = "1" if count == 1 else f"1–{count}"
            return self.l10n("demo-prompt-buttons", name=name, numbers=numbers) + " "
        return self.l10n("demo-prompt", name=name) + " "

    # --- the people -----------------------------------------------------------------------

    async def refresh_people(self) -> None:
        await self.people.refresh()
        if self.current is not None:
            self.current = self.people.get(self.current.telegram_id) or self.current

    async def describe(self, person: Person) -> str:
        return await self.people.describe(person, self.l10n)

    async def become(self, person: Person) -> None:
        self.current = person
        state = self.state()
        self.say(self.l10n("demo-you-are", name=person.name, who=await self.describe(person)))
        if state.unseen:
            self.say(self.l10n("demo-while-away", count=len(state.unseen)))
            unseen, state.unseen = state.unseen, []
            for shown in unseen:
                self.screen.message(shown, state)
        if person.user is not None and not state.started:
            # The first time: open the bot as a person would, and get its own greeting and
            # menu (what the bot says, not what the terminal imagines).
            state.started = True
            self.say(self.prompt() + "/start")
            await self.send_text("/start")
            await self.after_input(self.app.clock())
        elif state.menu:
            self.screen.menu(state, force=True)

    # --- between inputs -------------------------------------------------------------------

    async def after_input(self, moment: datetime) -> None:
        """What a running bot does between messages: background work (an import) finishes,
        and the outbox sender delivers what is due."""
        if self.app.background:
            await asyncio.wait(set(self.app.background))
        await self.deliver(moment)
        await self.refresh_people()

    async def deliver(self, moment: datetime) -> None:
        sender = OutboxSender(
            self.bot, self.app.database, self.app.translator, FrozenClock(moment), DELIVERY
        )
        await sender.drain()
        async with self.app.database.read() as session:
            pending = await Repos(session).outbox.list(status=OutboxStatus.PENDING)
        for row in pending:
            if row.id in self._announced or row.not_before <= moment:
                continue
            self._announced.add(row.id)
            person = self.people.get(row.chat_id)
            zone = ZoneInfo(
                person.user.timezone
                if person and person.user
                else self.app.settings.default_timezone
            )
            self.say(
                self.l10n(
                    "demo-held",
                    name=person.name if person else str(row.chat_id),
                    text=first_line(str(row.payload.get("text") or ""), 60),
                    at=row.not_before.astimezone(zone).strftime("%d.%m %H:%M"),
                )
            )

    # --- talking to the bot ---------------------------------------------------------------

    def _user(self) -> User:
        assert self.current is not None
        first, _, last = self.current.name.partition(" ")
        language = self.current.user.language if self.current.user else self.screen.language
        return User(
            id=self.current.telegram_id,
            is_bot=False,
            first_name=first or self.current.name,
            last_name=last or None,
            language_code=language,
        )

    def _chat(self) -> Chat:
        assert self.current is not None
        return Chat(id=self.current.telegram_id, type="private", first_name=self.current.name)

    @staticmethod
    def entities(text: str) -> list[MessageEntity] | None:
        if not text.startswith("/"):
            return None
        return [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]

    async def send_text(self, text: str) -> None:
        state = self.state()
        extra: dict[str, Any] = {}
        if state.force_reply is not None:
            # The bot asked for a reply (ForceReply): Telegram's client would send one.
            extra["reply_to_message"] = self.session.message(self.bot, state.force_reply)
            state.force_reply = None
        await self.feed_message(text=text, entities=self.entities(text), **extra)

    async def feed_message(self, **content: Any) -> None:
        message = Message(
            message_id=next(self._message_ids),
            date=self.app.clock(),
            chat=self._chat(),
            from_user=self._user(),
            **content,
        )
        await self.feed(Update(update_id=next(self._update_ids), message=message))

    async def press(self, source: Shown, number: int) -> None:
        text, data, url = source.buttons[number - 1]
        if data is None:
            self.say(self.l10n("demo-button-url", text=text, url=url or ""))
            return
        query = CallbackQuery(
            id=str(next(self._update_ids)),
            from_user=self._user(),
            chat_instance=str(source.chat_id),
            message=self.session.message(self.bot, source),
            data=data,
        )
        await self.feed(Update(update_id=next(self._update_ids), callback_query=query))

    async def feed(self, update: Update) -> None:
        await self.dp.feed_update(self.bot, update)

    # --- what the bot says ----------------------------------------------------------------

    def _on_alert(self, text: str, alert: bool) -> None:
        self.say(self.l10n("demo-alert" if alert else "demo-notice", text=text))

    def _on_shown(self, shown: Shown) -> None:
        current = self.current.telegram_id if self.current else None
        state = self.state(shown.chat_id)
        if shown.chat_id == current:
            state.remember(shown)
            self.screen.message(shown, state)
            return
        person = self.people.get(shown.chat_id)
        state.remember(shown)
        if not shown.edited:
            state.unseen.append(shown)
        self.say(
            self.l10n(
                "demo-to-other",
                name=person.name if person else str(shown.chat_id),
                text=first_line(shown.text or self.screen.file_line(shown), 70),
            )
        )
