"""Texts assembled from translations and data: pure functions, no Telegram calls."""

from __future__ import annotations

from datetime import date, datetime

from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.views.common.menu import features_for
from storage.dto import Role, UserDTO

TELEGRAM_TEXT_LIMIT = 4096


def role_name(l10n: L10n, user: UserDTO) -> str:
    return l10n(f"role-{user.role.value}")


def help_text(l10n: L10n, user: UserDTO) -> str:
    lines = [l10n("help-title", role=role_name(l10n, user))]
    lines += [f"/{f.command} — {l10n(f'cmd-{f.command}')}" for f in features_for(user.role)]
    if user.role is Role.ADMIN:  # the departments claims go to: only admins set them up
        lines.append(l10n("help-claims-settings"))
    return "\n".join(lines)


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split a long text at line boundaries into parts Telegram accepts; a single line
    longer than the limit is cut hard."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts


def fmt_date(day: date) -> str:
    # DD.MM.YYYY in both languages (bot.services.formatting explains why).
    return formatting.day(day, formatting.DEFAULT_LOCALE)


def fmt_moment(moment: datetime, user: UserDTO) -> str:
    return formatting.moment(moment, user.timezone, user.language)
