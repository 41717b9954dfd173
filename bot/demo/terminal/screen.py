"""What the terminal shows of a chat: the bot's messages printed as lines (numbered inline
buttons, the reply-keyboard menu once as a line, saved files by their path), and what each
person's chat holds for the next input (`ChatState`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TextIO

from aiogram.types import ForceReply, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.demo.terminal.session import Shown
from bot.runtime.i18n import L10n, Translator

PREVIEW = 90
_LABEL_PREFIX = re.compile(r"^[^\w]+")


def label_key(text: str) -> str:
    """A menu label as a person types it: no emoji, any case, е for ё."""
    return _LABEL_PREFIX.sub("", text).strip().casefold().replace("ё", "е")


def first_line(text: str | None, limit: int = PREVIEW) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else "…"
    return line if len(line) <= limit else line[: limit - 1] + "…"


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

    @property
    def pressable(self) -> Shown | None:
        """The message a typed number presses a button of: the latest, if it has any."""
        latest = self.latest
        return latest if latest is not None and latest.buttons else None

    def menu_label(self, line: str) -> str | None:
        typed = label_key(line)
        return next((label for label in self.menu if typed and label_key(label) == typed), None)

    def remember(self, shown: Shown) -> None:
        # An edit that only takes the buttons off an older message leaves the newer one
        # where the numbers go; any other message or edit is now the latest.
        taken_off = shown.edited and not shown.buttons
        latest = self.latest
        if not taken_off or latest is None or latest.message_id == shown.message_id:
            self.latest = shown
        if shown.buttons:
            self.buttons = shown
        elif self.buttons is not None and self.buttons.message_id == shown.message_id:
            self.buttons = None  # its buttons were taken away by an edit
        # A newer message without buttons leaves the older ones to `:press` (the bot may
        # say "choose with the buttons above"), not to a typed number.
        if isinstance(shown.reply, ReplyKeyboardMarkup):
            self.menu = [b.text for row in shown.reply.keyboard for b in row]
        elif isinstance(shown.reply, ReplyKeyboardRemove):
            self.menu = []
        if isinstance(shown.reply, ForceReply):
            self.force_reply = shown


class Screen:
    """The terminal's output, in the terminal's language (`:lang` changes it)."""

    def __init__(self, out: TextIO, translator: Translator, language: str) -> None:
        self.out = out
        self.translator = translator
        self.language = language

    @property
    def l10n(self) -> L10n:
        return self.translator.get(self.language)

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def file_line(self, shown: Shown) -> str | None:
        if shown.file_kind is None:
            return None
        path = str(shown.file) if shown.file is not None else shown.file_id or ""
        return self.l10n(f"demo-file-{shown.file_kind}", path=path)

    def message(self, shown: Shown, state: ChatState) -> None:
        """A bot message in the chat on screen (`state` is that chat's)."""
        lines = (shown.text or "").splitlines()
        file_line = self.file_line(shown)
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
        if isinstance(shown.reply, ReplyKeyboardMarkup):
            self.menu(state)

    def menu(self, state: ChatState, *, force: bool = False) -> None:
        if not state.menu or (state.menu == state.menu_shown and not force):
            return
        state.menu_shown = list(state.menu)
        self.say("   " + self.l10n("demo-menu", items=" · ".join(state.menu)))
