"""The in-process Bot API: an aiogram session that answers the calls the bot makes as
Telegram would, keeps each message (`Shown`), and hands it to `show` for printing. Files
the bot sends are saved under a folder; files the person "sent" are read from disk."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMyCommands,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
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
    Chat,
    Document,
    File,
    ForceReply,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    PhotoSize,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    User,
)

from bot.services.clock import Clock

# aiogram needs a token of the right shape; this one never leaves the process.
TERMINAL_TOKEN = "7000000000:terminal-demo-never-sent-to-telegram"
BOT_USER = User(id=7_000_000_000, is_bot=True, first_name="KAM Assistant", username="kam_demo_bot")
TEXT_LIMIT = 4096  # Telegram refuses longer texts; the bot must split them itself


@dataclass
class Shown:
    """A bot message as the terminal keeps it (a sent one, or its latest edit)."""

    chat_id: int
    message_id: int
    text: str | None = None
    inline: InlineKeyboardMarkup | None = None
    reply: ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply | None = None
    file: Path | None = None
    file_kind: str | None = None  # "document", "photo", "voice"
    file_id: str | None = None
    edited: bool = False

    @property
    def buttons(self) -> list[tuple[str, str | None, str | None]]:
        """(text, callback data, url) of every inline button, row by row."""
        if self.inline is None:
            return []
        return [
            (b.text, b.callback_data, b.url) for row in self.inline.inline_keyboard for b in row
        ]


class TerminalSession(BaseSession):
    """Answers the Bot API calls the bot makes, as Telegram would, and hands each message
    to `show` for printing. Documents and photos are saved under `files_dir`."""

    def __init__(self, files_dir: Path, clock: Clock, show: Callable[[Shown], None]) -> None:
        super().__init__()
        self.files_dir = files_dir
        self.clock = clock
        self.show = show
        self.alert: Callable[[str, bool], None] = lambda _text, _alert: None
        self.messages: dict[tuple[int, int], Shown] = {}
        self._ids = itertools.count(1)
        self._files = itertools.count(1)
        # Files the person "sent" (`:send`): file id → local path, for getFile and download.
        self.uploads: dict[str, Path] = {}
        # Files the bot sent, by the file id Telegram would have given them.
        self.saved: dict[str, Path] = {}

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> TelegramType:
        return cast(TelegramType, await self._answer(bot, method))

    async def _answer(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendMessage):
            self._check_length(method, method.text)
            return self._new(
                bot, int(method.chat_id), text=method.text, markup=method.reply_markup
            )
        if isinstance(method, EditMessageText):
            self._check_length(method, method.text)
            return self._edit(bot, method, method.text, method.reply_markup, keep_text=False)
        if isinstance(method, EditMessageReplyMarkup):
            return self._edit(bot, method, None, method.reply_markup, keep_text=True)
        if isinstance(method, SendPhoto | SendDocument | SendVoice):
            kind = {SendPhoto: "photo", SendDocument: "document", SendVoice: "voice"}[type(method)]
            media = getattr(method, kind)
            path, file_id = await self._file(bot, media, kind)
            return self._new(
                bot,
                int(method.chat_id),
                text=method.caption,
                markup=method.reply_markup,
                file=(path, kind, file_id),
            )
        if isinstance(method, SendMediaGroup):
            sent = []
            for item in method.media:
                path, file_id = await self._file(bot, item.media, "photo")
                sent.append(
                    self._new(
                        bot,
                        int(method.chat_id),
                        text=getattr(item, "caption", None),
                        markup=None,
                        file=(path, "photo", file_id),
                    )
                )
            return sent
        if isinstance(method, AnswerCallbackQuery):
            if method.text:
                self.alert(method.text, bool(method.show_alert))
            return True
        if isinstance(method, SetMyCommands | DeleteMyCommands | DeleteWebhook):
            return True
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, GetFile):
            if method.file_id not in self.uploads and method.file_id not in self.saved:
                raise TelegramBadRequest(method, "Bad Request: invalid file_id")
            return File(
                file_id=method.file_id, file_unique_id=method.file_id, file_path=method.file_id
            )
        raise TelegramBadRequest(
            method, f"{type(method).__name__} is not supported by the terminal demo"
        )

    @staticmethod
    def _check_length(method: TelegramMethod[Any], text: str | None) -> None:
        if text is not None and len(text) > TEXT_LIMIT:
            raise TelegramBadRequest(method, "Bad Request: message is too long")

    def _new(
        self,
        bot: Bot,
        chat_id: int,
        *,
        text: str | None,
        markup: Any,
        file: tuple[Path | None, str, str] | None = None,
    ) -> Message:
        shown = Shown(
            chat_id=chat_id,
            message_id=next(self._ids),
            text=text,
            inline=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            reply=markup
            if isinstance(markup, ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply)
            else None,
        )
        if file is not None:
            shown.file, shown.file_kind, shown.file_id = file
        self.messages[(chat_id, shown.message_id)] = shown
        self.show(shown)
        return self.message(bot, shown)

    def _edit(
        self,
        bot: Bot,
        method: EditMessageText | EditMessageReplyMarkup,
        text: str | None,
        markup: InlineKeyboardMarkup | None,
        *,
        keep_text: bool,
    ) -> Message:
        chat_id = int(method.chat_id) if method.chat_id is not None else 0
        shown = self.messages.get((chat_id, method.message_id or 0))
        if shown is None:
            raise TelegramBadRequest(method, "Bad Request: message to edit not found")
        new_text = shown.text if keep_text else text
        if new_text == shown.text and markup == shown.inline:
            # What Telegram answers to an edit that changes nothing; handlers expect it.
            raise TelegramBadRequest(method, "Bad Request: message is not modified")
        shown.text, shown.inline, shown.edited = new_text, markup, True
        self.show(shown)
        return self.message(bot, shown)

    def message(self, bot: Bot, shown: Shown) -> Message:
        """The aiogram Message Telegram would return for it (and a button press carries)."""
        extra: dict[str, Any] = {}
        if shown.file_kind == "photo" and shown.file_id:
            extra["photo"] = [
                PhotoSize(
                    file_id=shown.file_id, file_unique_id=shown.file_id, width=800, height=600
                )
            ]
        elif shown.file_kind == "document" and shown.file_id:
            extra["document"] = Document(file_id=shown.file_id, file_unique_id=shown.file_id)
        return Message(
            message_id=shown.message_id,
            date=self.clock(),
            chat=Chat(id=shown.chat_id, type="private" if shown.chat_id > 0 else "supergroup"),
            from_user=BOT_USER,
            text=None if shown.file_kind else shown.text,
            caption=shown.text if shown.file_kind else None,
            reply_markup=shown.inline,
            **extra,
        ).as_(bot)

    async def _file(self, bot: Bot, media: str | InputFile, kind: str) -> tuple[Path | None, str]:
        """Save an uploaded file; a file id (a photo a person sent earlier) is shown by the
        path it came from, if the terminal knows it."""
        if isinstance(media, str):
            return self.uploads.get(media) or self.saved.get(media), media
        data = b"".join([chunk async for chunk in media.read(bot)])
        name = Path(media.filename or f"{kind}.bin").name
        self.files_dir.mkdir(parents=True, exist_ok=True)
        number = next(self._files)
        path = self.files_dir / f"{number:04d}-{name}"
        while path.exists():
            number = next(self._files)
            path = self.files_dir / f"{number:04d}-{name}"
        await asyncio.to_thread(path.write_bytes, data)
        file_id = f"terminal-file-{number}"
        self.saved[file_id] = path
        return path, file_id

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - aiogram's signature
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        # bot.download() asks for {api}/file/bot{token}/{file_path}; file paths are file ids.
        file_id = url.rsplit("/", 1)[-1]
        path = self.uploads.get(file_id) or self.saved.get(file_id)
        if path is None:
            raise TelegramBadRequest(GetFile(file_id=file_id), "Bad Request: file not found")
        data = await asyncio.to_thread(path.read_bytes)
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]
