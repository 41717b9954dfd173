"""Texts assembled from translations and data: pure functions, no Telegram calls."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import L10n
from bot.menu import features_for
from bot.services.business_settings import SPECS, BusinessSettings
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


def zone_label(l10n: L10n, zone: str) -> str:
    """A time zone as people name it ("Екатеринбург (МСК+2)"); the IANA name for a zone
    the catalogues do not name."""
    key = "tz-" + zone.replace("/", "-")
    return l10n(key) if l10n.has(key) else zone


def settings_text(l10n: L10n, user: UserDTO) -> str:
    return l10n(
        "settings-current",
        language=l10n(f"language-{user.language}"),
        timezone=zone_label(l10n, user.timezone),
        hour=f"{user.digest_hour:02d}:00",
    )


def company_settings_text(l10n: L10n, settings: BusinessSettings) -> str:
    lines = [l10n("company-settings-title")]
    lines += [f"• {l10n(f'setting-{key}')}: {settings.rendered(key)}" for key in SPECS]
    return "\n".join(lines)


def user_card_text(
    l10n: L10n, target: UserDTO, supervisor: UserDTO | None, team: Sequence[UserDTO] = ()
) -> str:
    """A user as an admin sees them: a manager with their supervisor, a supervisor with
    the managers of their team."""
    if target.role is Role.SUPERVISOR:
        members = ", ".join(m.full_name for m in team) or "—"
        team_line = l10n("users-card-team", count=len(team), members=members)
    else:
        team_line = l10n("users-card-supervisor", name=supervisor.full_name if supervisor else "—")
    return l10n(
        "users-card",
        name=target.full_name,
        username=f"@{target.username}" if target.username else "—",
        role=role_name(l10n, target),
        team=team_line,
        erp=target.erp_name or "—",
        status=l10n("users-status-active" if target.is_active else "users-status-inactive"),
        language=target.language,
        timezone=target.timezone,
    )


def users_list_text(l10n: L10n, users: Sequence[UserDTO], *, page: int, total: int) -> str:
    return l10n("users-list", page=page + 1, total=total, shown=len(users))


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
