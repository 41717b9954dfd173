"""The terminal's own commands, typed after a colon: `:as` someone else, `:users`,
`:job` (run a scheduled job as of a moment), `:lang`, `:send` a file, `:press` a button of
an older message, `:help`, `:quit`."""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import Document, PhotoSize

from bot.demo.terminal.conversation import Conversation
from bot.demo.terminal.reader import NUMBER
from bot.demo.terminal.screen import first_line
from bot.services.business_settings import load_settings
from bot.services.clock import FrozenClock
from bot.services.local_time import at_local_time, local_date
from bot.services.people import update_preferences
from bot.services.plans import week_of
from bot.services.reports import weekly_day
from jobs import JOBS, JobContext, run_job
from storage.dto import UserUpdate
from storage.repositories import Repos

TODAY_WORDS = {"today": 0, "сегодня": 0, "tomorrow": 1, "завтра": 1}


class Commands:
    def __init__(self, chat: Conversation) -> None:
        self.chat = chat
        app = chat.app
        self.jobs = JobContext(
            app.settings, app.database, app.translator, app.delivery, bot=chat.bot
        )
        self._files = itertools.count(1)

    async def run(self, line: str) -> bool:
        """A line after the colon; False when the person quits."""
        name, _, rest = line.partition(" ")
        name, rest = name.casefold(), rest.strip()
        if name in ("quit", "q", "exit", "выход"):
            return False
        if name in ("help", "h", "?", "помощь"):
            self.chat.say(self.chat.l10n("demo-help", jobs=", ".join(JOBS)))
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
            self.chat.say(self.chat.l10n("demo-unknown-command", command=line))
        return True

    async def list_users(self) -> None:
        self.chat.say(self.chat.l10n("demo-users-title"))
        for number, person in enumerate(self.chat.people.listed(), start=1):
            mark = (
                "▶"
                if self.chat.current and person.telegram_id == self.chat.current.telegram_id
                else " "
            )
            self.chat.say(f"{mark} {number}. {person.name} — {await self.chat.describe(person)}")

    async def switch(self, query: str) -> None:
        if not query:
            await self.list_users()
            return
        found = self.chat.people.find(query, self.chat.l10n)
        if not found:
            self.chat.say(self.chat.l10n("demo-no-such-person", query=query))
            return
        if len(found) > 1:
            self.chat.say(
                self.chat.l10n("demo-several-people", names=", ".join(p.name for p in found))
            )
            return
        await self.chat.become(found[0])

    async def press_older(self, text: str) -> None:
        """`:press 3`: button 3 of the latest message that has buttons, however many
        messages came after it (as a person scrolls up in Telegram to tap it)."""
        source = self.chat.state().buttons
        number = int(text) if NUMBER.fullmatch(text) else 0
        if source is None or not 1 <= number <= len(source.buttons):
            self.chat.say(self.chat.l10n("demo-press-usage"))
            return
        label = source.buttons[number - 1][0]
        self.chat.say(
            self.chat.l10n(
                "demo-pressing", number=number, button=label, message=first_line(source.text, 50)
            )
        )
        await self.chat.press(source, number)
        await self.chat.after_input(self.chat.app.clock())

    async def set_language(self, language: str) -> None:
        language = language.casefold()
        if language not in self.chat.app.translator.languages:
            self.chat.say(self.chat.l10n("demo-lang-usage"))
            return
        self.chat.screen.language = language
        user = self.chat.current.user if self.chat.current else None
        if user is not None:
            async with self.chat.app.database.transaction() as session:
                await update_preferences(
                    Repos(session), user, UserUpdate(language=language), now=self.chat.app.clock()
                )
            await self.chat.refresh_people()
        self.chat.say(self.chat.l10n("demo-lang-set", language=language))
        if user is not None:
            # The bot's own menu in the new language.
            self.chat.say(self.chat.prompt() + "/menu")
            await self.chat.send_text("/menu")
            await self.chat.after_input(self.chat.app.clock())

    async def job(self, text: str) -> None:
        name, _, when = text.partition(" ")
        if not name:
            self.chat.say(self.chat.l10n("demo-job-usage", jobs=", ".join(JOBS)))
            return
        if name not in JOBS:
            self.chat.say(self.chat.l10n("demo-job-unknown", name=name, jobs=", ".join(JOBS)))
            return
        zone = ZoneInfo(self.zone())
        try:
            moment = (
                self.moment(when.strip(), zone)
                if when.strip()
                else await self.default_moment(name, zone)
            )
        except ValueError:
            self.chat.say(self.chat.l10n("demo-job-bad-time", text=when.strip()))
            return
        result = await run_job(name, self.jobs, FrozenClock(moment))
        self.chat.say(
            self.chat.l10n(
                "demo-job-ran",
                name=name,
                moment=moment.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                zone=zone.key,
                result=result,
            )
        )
        await self.chat.after_input(max(moment, self.chat.app.clock()))

    def zone(self) -> str:
        user = self.chat.current.user if self.chat.current else None
        return user.timezone if user else self.chat.app.settings.default_timezone

    def moment(self, text: str, zone: ZoneInfo) -> datetime:
        """`09:05`, `tomorrow 09:05` (`завтра`), or an ISO time; in the current user's zone."""
        words = text.casefold().split()
        today = local_date(self.chat.app.clock(), zone)
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
        now = self.chat.app.clock()
        if name not in ("digest", "team_daily", "team_weekly"):
            return now
        async with self.chat.app.database.read() as session:
            settings = await load_settings(Repos(session))
        calendar = settings.business_calendar()
        today = local_date(now, zone)
        if name == "team_weekly":
            day = weekly_day(week_of(today).start, int(settings["team_weekly_day"]), calendar)
            hour = int(settings["team_weekly_hour"])
            return at_local_time(day or today, time(hour, 5), zone)
        user = self.chat.current.user if self.chat.current else None
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
            self.chat.say(self.chat.l10n("demo-send-usage"))
            return
        file_id = f"upload-{next(self._files)}"
        self.chat.session.uploads[file_id] = path
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
            content["caption_entities"] = self.chat.entities(caption)
        await self.chat.feed_message(text=None, **content)
        await self.chat.after_input(self.chat.app.clock())

    # --- talking to the bot ---------------------------------------------------------------


def _file_size(path: Path) -> int | None:
    return path.stat().st_size if path.is_file() else None
