"""In-process test support: a bot session that records requests, and a chat client."""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMyCommands,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendVoice,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)
from aiohttp.test_utils import TestClient
from prometheus_client.parser import text_string_to_metric_families

import bot.views

BOT_ID = 7_000_000_001
BOT_USERNAME = "kam_test_bot"
TEST_TOKEN = f"{BOT_ID}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
_update_ids = itertools.count(1_000_000)


@dataclass
class Sent:
    """One request the bot made."""

    method: TelegramMethod[Any]
    result: Any

    @property
    def name(self) -> str:
        return type(self.method).__name__

    @property
    def text(self) -> str:
        return str(getattr(self.method, "text", None) or getattr(self.method, "caption", "") or "")

    @property
    def chat_id(self) -> int | None:
        value = getattr(self.method, "chat_id", None)
        return int(value) if value is not None else None

    @property
    def inline_buttons(self) -> list[tuple[str, str]]:
        markup = getattr(self.method, "reply_markup", None)
        if not isinstance(markup, InlineKeyboardMarkup):
            return []
        return [(b.text, b.callback_data or "") for row in markup.inline_keyboard for b in row]

    @property
    def reply_buttons(self) -> list[str]:
        markup = getattr(self.method, "reply_markup", None)
        rows = getattr(markup, "keyboard", None) or []
        return [b.text for row in rows for b in row]


class RecordingSession(BaseSession):
    """Answers the Bot API calls a handler may make and records each one; any other call
    fails the test, so an unexpected request never passes silently."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Sent] = []
        self._message_ids = itertools.count(1)
        self.failures: dict[type[TelegramMethod[Any]], list[Exception]] = {}

    def fail_next(self, method: type[TelegramMethod[Any]], error: Exception) -> None:
        self.failures.setdefault(method, []).append(error)

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        queued = self.failures.get(type(method))
        if queued:
            raise queued.pop(0)
        result = self._result(bot, method)
        self.sent.append(Sent(method, result))
        return result  # type: ignore[no-any-return]

    def _message(
        self, bot: Bot, chat_id: int, text: str | None, caption: str | None, markup: Any
    ) -> Message:
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup"),
            from_user=User(id=BOT_ID, is_bot=True, first_name="KAM", username=BOT_USERNAME),
            text=text,
            caption=caption,
            reply_markup=markup,
        ).as_(bot)

    def _result(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendMediaGroup):
            return [
                self._message(bot, int(method.chat_id), None, None, None) for _ in method.media
            ]
        if isinstance(
            method,
            (
                SendMessage,
                SendPhoto,
                SendDocument,
                SendVoice,
                EditMessageText,
                EditMessageReplyMarkup,
            ),
        ):
            chat_id = int(method.chat_id) if method.chat_id is not None else 0
            markup = (
                method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None
            )
            return Message(
                message_id=getattr(method, "message_id", None) or next(self._message_ids),
                date=datetime.now(UTC),
                chat=Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup"),
                from_user=User(id=BOT_ID, is_bot=True, first_name="KAM", username=BOT_USERNAME),
                text=getattr(method, "text", None),
                caption=getattr(method, "caption", None),
                reply_markup=markup,
            ).as_(bot)
        if isinstance(method, GetMe):
            return User(id=BOT_ID, is_bot=True, first_name="KAM", username=BOT_USERNAME)
        if isinstance(
            method, (AnswerCallbackQuery, SetMyCommands, DeleteMyCommands, DeleteWebhook)
        ):
            return True
        raise AssertionError(f"unexpected Bot API call {type(method).__name__}: {method!r}")

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        raise AssertionError(f"unexpected download {url}")
        yield b""  # pragma: no cover

    def of(self, kind: type[TelegramMethod[Any]]) -> list[Sent]:
        return [s for s in self.sent if isinstance(s.method, kind)]


class ChatClient:
    """One Telegram user talking to the bot in a private chat, as a person would."""

    def __init__(
        self,
        dp: Dispatcher,
        bot: Bot,
        session: RecordingSession,
        user_id: int,
        *,
        first_name: str = "Test",
        last_name: str | None = None,
        language_code: str = "ru",
        username: str | None = None,
    ) -> None:
        self.dp, self.bot, self.session = dp, bot, session
        self.user = User(
            id=user_id,
            is_bot=False,
            first_name=first_name,
            last_name=last_name,
            language_code=language_code,
            username=username,
        )
        self.chat = Chat(id=user_id, type="private", first_name=first_name)

    async def _feed(self, **event: Any) -> list[Sent]:
        before = len(self.session.sent)
        update = Update(update_id=next(_update_ids), **event)
        await self.dp.feed_update(self.bot, update)
        return self.session.sent[before:]

    def message(self, text: str | None = None, **extra: Any) -> Message:
        entities = None
        if text and text.startswith("/"):
            entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
        return Message(
            message_id=next(_update_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            text=text,
            entities=entities,
            **extra,
        )

    async def send(self, text: str) -> list[Sent]:
        return await self._feed(message=self.message(text))

    async def send_update(self, update: Update) -> list[Sent]:
        before = len(self.session.sent)
        await self.dp.feed_update(self.bot, update)
        return self.session.sent[before:]

    async def send_update_message(self, **content: Any) -> list[Sent]:
        """A message with any content (a document, a photo…) from this user."""
        return await self._feed(message=self.message(None, **content))

    async def send_contact(self, phone: str, first_name: str) -> list[Sent]:
        msg = self.message(None, contact=Contact(phone_number=phone, first_name=first_name))
        return await self._feed(message=msg)

    async def click(self, source: Sent, pick: str | Callable[[str], bool]) -> list[Sent]:
        """Press an inline button of a message the bot sent, by its text (or a predicate on
        its text, or its exact callback data)."""
        for text, data in source.inline_buttons:
            if (callable(pick) and pick(text)) or pick in (text, data):
                return await self.press(source, data)
        raise AssertionError(f"no button {pick!r} in {source.inline_buttons}")

    async def press(self, source: Sent | None, data: str) -> list[Sent]:
        """Send callback data as if a button carried it (also forged data)."""
        if source is not None and isinstance(source.result, Message):
            message = source.result
        else:
            message = Message(
                message_id=1,
                date=datetime.now(UTC),
                chat=self.chat,
                from_user=User(id=BOT_ID, is_bot=True, first_name="KAM"),
                text="…",
            )
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="ci",
            message=message,
            data=data,
        )
        return await self._feed(callback_query=query)


def texts(sent: list[Sent]) -> list[str]:
    return [s.text for s in sent if s.text]


def last_with_buttons(sent: list[Sent]) -> Sent:
    for item in reversed(sent):
        if item.inline_buttons:
            return item
    raise AssertionError(f"no message with buttons among {[s.name for s in sent]}")


def alerts(sent: list[Sent]) -> list[str]:
    return [
        s.method.text or ""
        for s in sent
        if isinstance(s.method, AnswerCallbackQuery) and s.method.text
    ]


def callback_data_classes() -> list[type[CallbackData]]:
    """Every CallbackData class the views define, found by walking bot.views: a new one is
    covered by the tests that use this without editing them."""
    found: dict[str, type[CallbackData]] = {}
    for info in pkgutil.walk_packages(bot.views.__path__, prefix="bot.views."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, CallbackData) and cls is not CallbackData:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return sorted(found.values(), key=lambda cls: cls.__name__)


# --- /metrics ---------------------------------------------------------------------------
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(http: TestClient[Any, Any]) -> Samples:
    """The bot's /metrics, parsed: (sample name, sorted labels) → value."""
    response = await http.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples: Samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)
