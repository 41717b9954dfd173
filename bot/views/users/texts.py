"""Texts assembled from translations and data: pure functions, no Telegram calls."""

from __future__ import annotations

from collections.abc import Sequence

from bot.runtime.i18n import L10n
from bot.views.common.texts import role_name
from storage.dto import Role, UserDTO


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
