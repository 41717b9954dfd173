"""The demo's conversation loop: read a line, and send it to the bot (a typed number
presses a button of the bot's latest message), or run a colon command."""

from __future__ import annotations

from typing import TextIO

from aiogram import Bot, Dispatcher

from bot.demo.terminal.commands import Commands
from bot.demo.terminal.conversation import Conversation
from bot.demo.terminal.reader import NUMBER, LineReader
from bot.demo.terminal.screen import Screen, first_line
from bot.demo.terminal.session import TerminalSession
from bot.runtime.factory import App
from storage.dto import Role


class TerminalChat:
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
        self.app, self.bot, self.dp = app, bot, dp
        self.stdin, self.out = stdin, stdout
        self.interactive = interactive
        self.screen = Screen(stdout, app.translator, language)
        self.chat = Conversation(app, bot, dp, session, self.screen)
        self.commands = Commands(self.chat)

    async def run(self) -> None:
        chat, say = self.chat, self.screen.say
        data = {"dispatcher": self.dp, "bots": [self.bot], **self.dp.workflow_data}
        await self.dp.emit_startup(bot=self.bot, **data)
        reader = LineReader(self.stdin, self.out, self.interactive)
        try:
            await chat.start()
            say(chat.l10n("demo-welcome"))
            first = next(p for p in chat.people.listed() if p.user and p.user.role is Role.MANAGER)
            await chat.become(first)
            while True:
                line = await reader.read(chat.prompt())
                if line is None:
                    say("")
                    break
                if not await self.handle(line.strip()):
                    break
            say(chat.l10n("demo-bye"))
        finally:
            reader.close()
            await self.dp.emit_shutdown(bot=self.bot, **data)

    async def handle(self, line: str) -> bool:
        """One line the person typed; False when they quit."""
        if not line:
            return True
        if line.startswith(":"):
            return await self.commands.run(line[1:].strip())
        chat = self.chat
        state = chat.state()
        pressable = state.pressable
        number = int(line) if NUMBER.fullmatch(line) else 0
        if line.startswith("\\"):
            await chat.send_text(line[1:])
        elif pressable is not None and 1 <= number <= len(pressable.buttons):
            await chat.press(pressable, number)
        else:
            # The buttons of an older message are not pressed by a number: the bot's latest
            # message (without buttons) asked for something, and 8 is that something.
            older = state.buttons
            if older is not None and older is not pressable and 1 <= number <= len(older.buttons):
                chat.say(
                    chat.l10n(
                        "demo-number-as-text",
                        number=number,
                        button=older.buttons[number - 1][0],
                        message=first_line(older.text, 50),
                    )
                )
            await chat.send_text(state.menu_label(line) or line)
        await chat.after_input(self.app.clock())
        return True
