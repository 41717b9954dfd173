"""The terminal chat: the production dispatcher, handlers, storage and jobs, with only the
Telegram transport replaced.

`TerminalSession` is an aiogram session that answers the Bot API calls the bot makes by
printing them (inline keyboards as numbered buttons, reply keyboards as a menu, files saved
under a folder); `TerminalChat` reads what the person types and feeds it to the dispatcher
as real `Update`s built with aiogram's own models (as tests/helpers.py's ChatClient does),
then delivers what the outbox holds, so notifications to anyone appear at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import threading
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO, cast
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
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
    CallbackQuery,
    Chat,
    Document,
    File,
    ForceReply,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
    PhotoSize,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)

from bot.factory import App
from bot.i18n import L10n
from bot.notifier import DeliveryConfig, OutboxSender
from bot.services.business_settings import load_settings
from bot.services.clock import Clock, FrozenClock
from bot.services.local_time import at_local_time, local_date
from bot.services.people import update_preferences
from bot.services.plans import week_of
from bot.services.reports import weekly_day
from jobs import JOBS, JobContext, run_job
from storage.demo import DemoRepo
from storage.dto import OutboxStatus, Role, UserDTO, UserUpdate
from storage.repositories import Repos

logger = logging.getLogger(__name__)

# aiogram needs a token of the right shape; this one never leaves the process.
TERMINAL_TOKEN = "7000000000:terminal-demo-never-sent-to-telegram"
BOT_USER = User(id=7_000_000_000, is_bot=True, first_name="KAM Assistant", username="kam_demo_bot")
TEXT_LIMIT = 4096  # Telegram refuses longer texts; the bot must split them itself
PREVIEW = 90
ROLE_WORDS: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: ("admin", "administrator", "админ", "администратор"),
    Role.SUPERVISOR: ("supervisor", "boss", "руководитель", "супервайзер"),
    Role.MANAGER: ("manager", "kam", "менеджер"),
    Role.DEPARTMENT: ("department", "dept", "отдел", "сотрудник"),
}
NEW_WORDS = ("new", "guest", "stranger", "новый", "гость")
TODAY_WORDS = {"today": 0, "сегодня": 0, "tomorrow": 1, "завтра": 1}
# A number as typed (a button's, a person's in :users): ASCII digits; str.isdigit() also
# takes "²", which int() refuses.
_NUMBER = re.compile(r"[0-9]{1,3}")
_LABEL_PREFIX = re.compile(r"^[^\w]+")


def label_key(text: str) -> str:
    """A menu label as a person types it: no emoji, any case, е for ё."""
    return _LABEL_PREFIX.sub("", text).strip().casefold().replace("ё", "е")


def _first_line(text: str | None, limit: int = PREVIEW) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else "…"
    return line if len(line) <= limit else line[: limit - 1] + "…"


# ---------------------------------------------------------------------------- the session


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


# ---------------------------------------------------------------------------- the chat


@dataclass
class ChatState:
    """What one person's chat shows: the buttons to press, the menu, a pending reply.

    `latest` is the bot message printed last (sent, or edited: an edit is printed again at
    the bottom); a typed number presses one of its buttons, and only its. `buttons` is the
    latest message that has buttons, older or not, for `:press`."""

    latest: Shown | None = None
    buttons: Shown | None = None
    menu: list[str] = field(default_factory=list)
    menu_shown: list[str] = field(default_factory=list)
    force_reply: Shown | None = None
    unseen: list[Shown] = field(default_factory=list)
    started: bool = False


@dataclass(frozen=True)
class Person:
    telegram_id: int
    name: str
    user: UserDTO | None  # None: a stranger (`:as new`)


class LineReader:
    """Reads lines on a daemon thread, one when asked: the prompt appears only after the
    bot's answer is printed, and Ctrl-C or EOF never leaves a thread the process must wait
    for (asyncio's own executor threads are joined at exit)."""

    def __init__(self, stream: TextIO, output: TextIO, interactive: bool) -> None:
        self._stream = stream
        self._output = output
        self._interactive = interactive
        self._loop = asyncio.get_running_loop()
        self._requests: list[tuple[str, asyncio.Future[str | None]]] = []
        self._closed = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="demo-input", daemon=True)
        self._thread.start()

    async def read(self, prompt: str) -> str | None:
        future: asyncio.Future[str | None] = self._loop.create_future()
        with self._wake:
            self._requests.append((prompt, future))
            self._wake.notify()
        return await future

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()

    def _run(self) -> None:
        if self._interactive:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401  (line editing and history for input())
        while True:
            with self._wake:
                while not self._requests and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                prompt, future = self._requests.pop(0)
            line: str | None
            try:
                if self._interactive:
                    line = input(prompt)
                else:
                    self._output.write(prompt)
                    self._output.flush()
                    raw = self._stream.readline()
                    line = raw.rstrip("\n") if raw else None
                    if line is not None:
                        # A piped transcript reads like a conversation.
                        self._output.write(line + "\n")
            except (EOFError, OSError, ValueError):
                line = None
            self._loop.call_soon_threadsafe(_resolve, future, line)
            if line is None:
                return


def _file_size(path: Path) -> int | None:
    return path.stat().st_size if path.is_file() else None


def _resolve(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)


class TerminalChat:
    """The demo's conversation loop."""

    def __init__(
        self,
        app: App,
        bot: Bot,
        dp: Dispatcher,
        session: TerminalSession,
        *,
        stdin: TextIO,
        stdout: TextIO,
        language: str,
        interactive: bool = False,
    ) -> None:
        self.app, self.bot, self.dp, self.session = app, bot, dp, session
        self.stdin, self.out = stdin, stdout
        self.interactive = interactive
        self.language = language
        self.people: dict[int, Person] = {}
        self.chats: dict[int, ChatState] = {}
        self.current: Person | None = None
        self.jobs = JobContext(app.settings, app.database, app.translator, app.delivery, bot=bot)
        self._update_ids = itertools.count(1)  # numbered on from the database's in run()
        self._message_ids = itertools.count(1)
        self._strangers = itertools.count(1)
        self._announced: set[int] = set()
        self._files = itertools.count(1)
        session.show = self._on_shown
        session.alert = self._on_alert

    @property
    def l10n(self) -> L10n:
        return self.app.translator.get(self.language)

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    # --- the loop -------------------------------------------------------------------------

    async def run(self) -> None:
        data = {"dispatcher": self.dp, "bots": [self.bot], **self.dp.workflow_data}
        await self.dp.emit_startup(bot=self.bot, **data)
        reader = LineReader(self.stdin, self.out, self.interactive)
        try:
            async with self.app.database.read() as session:
                last = await DemoRepo(session).last_update_id()
            # Handled update ids are kept for a day: a rerun must not reuse them.
            self._update_ids = itertools.count(last + 1)
            await self.refresh_people()
            self.say(self.l10n("demo-welcome"))
            first = next(p for p in self.directory() if p.user and p.user.role is Role.MANAGER)
            await self.become(first)
            while True:
                line = await reader.read(self.prompt())
                if line is None:
                    self.say("")
                    break
                if not await self.handle(line.strip()):
                    break
            self.say(self.l10n("demo-bye"))
        finally:
            reader.close()
            await self.dp.emit_shutdown(bot=self.bot, **data)

    def prompt(self) -> str:
        """ "Ivan Petrov [1–8] ›" while a number presses a button of the message just above
        (and which numbers), "Ivan Petrov ›" when a number goes to the bot as text."""
        name = self.current.name if self.current else "?"
        pressable = self._pressable(self.state())
        if pressable is not None:
            count = len(pressable.buttons)
            numbers = "1" if count == 1 else f"1–{count}"
            return self.l10n("demo-prompt-buttons", name=name, numbers=numbers) + " "
        return self.l10n("demo-prompt", name=name) + " "

    @staticmethod
    def _pressable(state: ChatState) -> Shown | None:
        latest = state.latest
        return latest if latest is not None and latest.buttons else None

    async def handle(self, line: str) -> bool:
        """One line the person typed; False when they quit."""
        if not line:
            return True
        if line.startswith(":"):
            return await self.command(line[1:].strip())
        state = self.state()
        pressable = self._pressable(state)
        number = int(line) if _NUMBER.fullmatch(line) else 0
        if line.startswith("\\"):
            await self.send_text(line[1:])
        elif pressable is not None and 1 <= number <= len(pressable.buttons):
            await self.press(pressable, number)
        else:
            # The buttons of an older message are not pressed by a number: the bot's latest
            # message (without buttons) asked for something, and 8 is that something.
            older = state.buttons
            if older is not None and older is not pressable and 1 <= number <= len(older.buttons):
                self.say(
                    self.l10n(
                        "demo-number-as-text",
                        number=number,
                        button=older.buttons[number - 1][0],
                        message=_first_line(older.text, 50),
                    )
                )
            await self.send_text(self._menu_label(state, line) or line)
        await self.after_input(self.app.clock())
        return True

    def _menu_label(self, state: ChatState, line: str) -> str | None:
        typed = label_key(line)
        return next((label for label in state.menu if typed and label_key(label) == typed), None)

    async def after_input(self, moment: datetime) -> None:
        """What a running bot does between messages: background work (an import) finishes,
        and the outbox sender delivers what is due."""
        if self.app.background:
            await asyncio.wait(set(self.app.background))
        await self.deliver(moment)
        await self.refresh_people()

    async def deliver(self, moment: datetime) -> None:
        # No Telegram limits to respect here; one send at a time keeps the printed order.
        config = DeliveryConfig(
            per_second=1000.0,
            private_interval=0.0,
            group_per_minute=1_000_000,
            concurrency=1,
            margin=1.0,
        )
        sender = OutboxSender(
            self.bot, self.app.database, self.app.translator, FrozenClock(moment), config
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
                    text=_first_line(str(row.payload.get("text") or ""), 60),
                    at=row.not_before.astimezone(zone).strftime("%d.%m %H:%M"),
                )
            )

    # --- the people -----------------------------------------------------------------------

    async def refresh_people(self) -> None:
        async with self.app.database.read() as session:
            users = await Repos(session).users.list_users()
        strangers = {k: p for k, p in self.people.items() if p.user is None}
        self.people = {u.telegram_id: Person(u.telegram_id, u.full_name, u) for u in users}
        for key, stranger in strangers.items():
            self.people.setdefault(key, stranger)
        if self.current is not None:
            self.current = self.people.get(self.current.telegram_id, self.current)

    def state(self, chat_id: int | None = None) -> ChatState:
        key = chat_id if chat_id is not None else (self.current.telegram_id if self.current else 0)
        return self.chats.setdefault(key, ChatState())

    async def become(self, person: Person) -> None:
        self.current = person
        state = self.state()
        self.say(self.l10n("demo-you-are", name=person.name, who=await self.describe(person)))
        if state.unseen:
            self.say(self.l10n("demo-while-away", count=len(state.unseen)))
            unseen, state.unseen = state.unseen, []
            for shown in unseen:
                self._print(shown)
        if person.user is not None and not state.started:
            # The first time: open the bot as a person would, and get its own greeting and
            # menu (what the bot says, not what the terminal imagines).
            state.started = True
            self.say(self.prompt() + "/start")
            await self.send_text("/start")
            await self.after_input(self.app.clock())
        elif state.menu:
            self._print_menu(state, force=True)

    async def describe(self, person: Person) -> str:
        user = person.user
        if user is None:
            return self.l10n("demo-stranger")
        l10n = self.app.translator.get(self.language)
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

    def directory(self) -> list[Person]:
        return sorted(
            (p for p in self.people.values() if p.user is not None),
            key=lambda p: p.user.id if p.user else 0,
        )

    def find(self, query: str) -> list[Person]:
        words = query.casefold().split()
        if not words:
            return []
        people = self.directory()
        if words[0] in NEW_WORDS:
            number = next(self._strangers)
            stranger = Person(
                telegram_id=8_000_000_000 + number,
                name=f"{self.l10n('demo-stranger-name')} {number}",
                user=None,
            )
            self.people[stranger.telegram_id] = stranger
            return [stranger]
        if len(words) == 1 and _NUMBER.fullmatch(words[0]):
            index = int(words[0]) - 1
            return [people[index]] if 0 <= index < len(people) else []
        for role, names in ROLE_WORDS.items():
            if words[0] in names:
                of_role = [p for p in people if p.user and p.user.role is role]
                if len(words) > 1 and _NUMBER.fullmatch(words[1]):
                    index = int(words[1]) - 1
                    return [of_role[index]] if 0 <= index < len(of_role) else []
                return of_role[:1]
        text = " ".join(words).replace("ё", "е")
        return [p for p in people if text in p.name.casefold().replace("ё", "е")]

    # --- colon commands -------------------------------------------------------------------

    async def command(self, line: str) -> bool:
        name, _, rest = line.partition(" ")
        name, rest = name.casefold(), rest.strip()
        if name in ("quit", "q", "exit", "выход"):
            return False
        if name in ("help", "h", "?", "помощь"):
            self.say(self.l10n("demo-help", jobs=", ".join(JOBS)))
        elif name in ("users", "u", "люди"):
            await self.list_users()
        elif name == "as":
            await self.switch(rest)
        elif name == "job":
            await self.job(rest)
        elif name == "lang":
            await self.set_language(rest)
        elif name == "send":
            await self.send_file(rest)
        elif name in ("press", "p", "нажать"):
            await self.press_older(rest)
        else:
            self.say(self.l10n("demo-unknown-command", command=line))
        return True

    async def list_users(self) -> None:
        self.say(self.l10n("demo-users-title"))
        for number, person in enumerate(self.directory(), start=1):
            mark = "▶" if self.current and person.telegram_id == self.current.telegram_id else " "
            self.say(f"{mark} {number}. {person.name} — {await self.describe(person)}")

    async def switch(self, query: str) -> None:
        if not query:
            await self.list_users()
            return
        found = self.find(query)
        if not found:
            self.say(self.l10n("demo-no-such-person", query=query))
            return
        if len(found) > 1:
            self.say(self.l10n("demo-several-people", names=", ".join(p.name for p in found)))
            return
        await self.become(found[0])

    async def press_older(self, text: str) -> None:
        """`:press 3`: button 3 of the latest message that has buttons, however many
        messages came after it (as a person scrolls up in Telegram to tap it)."""
        source = self.state().buttons
        number = int(text) if _NUMBER.fullmatch(text) else 0
        if source is None or not 1 <= number <= len(source.buttons):
            self.say(self.l10n("demo-press-usage"))
            return
        label = source.buttons[number - 1][0]
        self.say(
            self.l10n(
                "demo-pressing", number=number, button=label, message=_first_line(source.text, 50)
            )
        )
        await self.press(source, number)
        await self.after_input(self.app.clock())

    async def set_language(self, language: str) -> None:
        language = language.casefold()
        if language not in self.app.translator.languages:
            self.say(self.l10n("demo-lang-usage"))
            return
        self.language = language
        user = self.current.user if self.current else None
        if user is not None:
            async with self.app.database.transaction() as session:
                await update_preferences(
                    Repos(session), user, UserUpdate(language=language), now=self.app.clock()
                )
            await self.refresh_people()
        self.say(self.l10n("demo-lang-set", language=language))
        if user is not None:
            # The bot's own menu in the new language.
            self.say(self.prompt() + "/menu")
            await self.send_text("/menu")
            await self.after_input(self.app.clock())

    async def job(self, text: str) -> None:
        name, _, when = text.partition(" ")
        if not name:
            self.say(self.l10n("demo-job-usage", jobs=", ".join(JOBS)))
            return
        if name not in JOBS:
            self.say(self.l10n("demo-job-unknown", name=name, jobs=", ".join(JOBS)))
            return
        zone = ZoneInfo(self.zone())
        try:
            moment = (
                self.moment(when.strip(), zone)
                if when.strip()
                else await self.default_moment(name, zone)
            )
        except ValueError:
            self.say(self.l10n("demo-job-bad-time", text=when.strip()))
            return
        result = await run_job(name, self.jobs, FrozenClock(moment))
        self.say(
            self.l10n(
                "demo-job-ran",
                name=name,
                moment=moment.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                zone=zone.key,
                result=result,
            )
        )
        await self.after_input(max(moment, self.app.clock()))

    def zone(self) -> str:
        user = self.current.user if self.current else None
        return user.timezone if user else self.app.settings.default_timezone

    def moment(self, text: str, zone: ZoneInfo) -> datetime:
        """`09:05`, `tomorrow 09:05` (`завтра`), or an ISO time; in the current user's zone."""
        words = text.casefold().split()
        today = local_date(self.app.clock(), zone)
        if words and words[0] in TODAY_WORDS:
            day = today + timedelta(days=TODAY_WORDS[words[0]])
            clock = words[1] if len(words) > 1 else "09:05"
            return at_local_time(day, time.fromisoformat(clock), zone)
        if len(words) == 1 and re.fullmatch(r"\d{1,2}:\d{2}", words[0]):
            return at_local_time(today, time.fromisoformat(words[0].zfill(5)), zone)
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
        if moment.tzinfo is None:
            return at_local_time(moment.date(), moment.time(), zone)
        return moment.astimezone(UTC)

    async def default_moment(self, name: str, zone: ZoneInfo) -> datetime:
        """Jobs that speak at an hour run five minutes after it: the morning digest at the
        user's digest hour and the daily team summary at the company's hour, today or on the
        next business day; the weekly summary on this week's summary day (past or not: its
        figures are last week's either way)."""
        now = self.app.clock()
        if name not in ("digest", "team_daily", "team_weekly"):
            return now
        async with self.app.database.read() as session:
            settings = await load_settings(Repos(session))
        calendar = settings.business_calendar()
        today = local_date(now, zone)
        if name == "team_weekly":
            day = weekly_day(week_of(today).start, int(settings["team_weekly_day"]), calendar)
            hour = int(settings["team_weekly_hour"])
            return at_local_time(day or today, time(hour, 5), zone)
        user = self.current.user if self.current else None
        if name == "team_daily":
            hour = int(settings["team_daily_hour"])
        else:
            hour = user.digest_hour if user else 9
        day = calendar.next_business_day(today, include_today=True)
        return at_local_time(day, time(hour, 5), zone)

    async def send_file(self, text: str) -> None:
        path_text, _, caption = text.partition(" ")
        path = Path(path_text)
        size = await asyncio.to_thread(_file_size, path) if path_text else None
        if size is None:
            self.say(self.l10n("demo-send-usage"))
            return
        file_id = f"upload-{next(self._files)}"
        self.session.uploads[file_id] = path
        content: dict[str, Any]
        if path.suffix.lower() in (".jpg", ".jpeg", ".png"):
            content = {
                "photo": [
                    PhotoSize(
                        file_id=file_id,
                        file_unique_id=file_id,
                        width=800,
                        height=600,
                        file_size=size,
                    )
                ]
            }
        else:
            content = {
                "document": Document(
                    file_id=file_id, file_unique_id=file_id, file_name=path.name, file_size=size
                )
            }
        if caption:
            content["caption"] = caption
            content["caption_entities"] = self._entities(caption)
        await self.feed_message(text=None, **content)
        await self.after_input(self.app.clock())

    # --- talking to the bot ---------------------------------------------------------------

    def _user(self) -> User:
        assert self.current is not None
        first, _, last = self.current.name.partition(" ")
        language = self.current.user.language if self.current.user else self.language
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
    def _entities(text: str) -> list[MessageEntity] | None:
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
        await self.feed_message(text=text, entities=self._entities(text), **extra)

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
            self._remember(state, shown)
            self._print(shown)
            return
        person = self.people.get(shown.chat_id)
        self._remember(state, shown)
        if not shown.edited:
            state.unseen.append(shown)
        self.say(
            self.l10n(
                "demo-to-other",
                name=person.name if person else str(shown.chat_id),
                text=_first_line(shown.text or self._file_line(shown), 70),
            )
        )

    def _remember(self, state: ChatState, shown: Shown) -> None:
        # An edit that only takes the buttons off an older message leaves the newer one
        # where the numbers go; any other message or edit is now the latest.
        taken_off = shown.edited and not shown.buttons
        latest = state.latest
        if not taken_off or latest is None or latest.message_id == shown.message_id:
            state.latest = shown
        if shown.buttons:
            state.buttons = shown
        elif state.buttons is not None and state.buttons.message_id == shown.message_id:
            state.buttons = None  # its buttons were taken away by an edit
        # A newer message without buttons leaves the older ones to `:press` (the bot may
        # say "choose with the buttons above"), not to a typed number.
        if isinstance(shown.reply, ReplyKeyboardMarkup):
            state.menu = [b.text for row in shown.reply.keyboard for b in row]
        elif isinstance(shown.reply, ReplyKeyboardRemove):
            state.menu = []
        if isinstance(shown.reply, ForceReply):
            state.force_reply = shown

    def _file_line(self, shown: Shown) -> str | None:
        if shown.file_kind is None:
            return None
        path = str(shown.file) if shown.file is not None else shown.file_id or ""
        return self.l10n(f"demo-file-{shown.file_kind}", path=path)

    def _print(self, shown: Shown) -> None:
        lines = (shown.text or "").splitlines()
        file_line = self._file_line(shown)
        if file_line is not None:
            lines.append(file_line)
        lines = lines or [""]
        mark = "✎ " if shown.edited else ""
        self.say(f"🤖 {mark}{lines[0]}")
        for line in lines[1:]:
            self.say(f"   {line}")
        if shown.inline is not None:
            number = 0
            for row in shown.inline.inline_keyboard:
                cells = []
                for button in row:
                    number += 1
                    cells.append(
                        f"[{number}] {button.text}" + (f" ({button.url})" if button.url else "")
                    )
                self.say("   " + "   ".join(cells))
        if isinstance(shown.reply, ForceReply):
            self.say("   " + self.l10n("demo-reply-expected"))
        state = self.state(shown.chat_id)
        if isinstance(shown.reply, ReplyKeyboardMarkup):
            self._print_menu(state)

    def _print_menu(self, state: ChatState, *, force: bool = False) -> None:
        if not state.menu or (state.menu == state.menu_shown and not force):
            return
        state.menu_shown = list(state.menu)
        self.say("   " + self.l10n("demo-menu", items=" · ".join(state.menu)))
