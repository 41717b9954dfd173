"""Admission and team management: invitations, registration, roles, deactivation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel

from bot.services.accounts import hand_over_from_deactivated
from bot.services.erp_import import attach_erp_clients
from bot.services.notifications import Texts
from storage.dto import InviteCreate, InviteDTO, Role, UserCreate, UserDTO, UserUpdate
from storage.repositories import Repos

# A deep-link payload may hold at most 64 characters of A-Z a-z 0-9 _ -.
INVITE_CODE_BYTES = 24  # 32 characters of url-safe base64
INVITE_CODE_ALPHABET = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
)
INVITABLE_ROLES = (Role.MANAGER, Role.SUPERVISOR)
# Telegram ids no account has (real ids stay far below 2**50): the id of a person who is on
# no Telegram account, such as a demo person nobody has taken over yet.
PLACEHOLDER_TELEGRAM_BASE = 2**50


def placeholder_telegram_id(user_id: int) -> int:
    return PLACEHOLDER_TELEGRAM_BASE + user_id


def is_placeholder_telegram_id(telegram_id: int) -> bool:
    return telegram_id > PLACEHOLDER_TELEGRAM_BASE


class TelegramProfile(BaseModel):
    """What Telegram tells us about a person, independent of aiogram's types."""

    telegram_id: int
    full_name: str
    username: str | None = None
    language_code: str | None = None


class PeopleError(Exception):
    """A rule refused the change; `reason` is a translation key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def new_invite_code() -> str:
    return secrets.token_urlsafe(INVITE_CODE_BYTES)


def looks_like_invite_code(text: str) -> bool:
    return 0 < len(text) <= 64 and set(text) <= INVITE_CODE_ALPHABET


def pick_language(language_code: str | None, default: str) -> str:
    """Telegram's language_code is the app's language: a default only, ru unless en."""
    if language_code and language_code.lower().split("-")[0] in ("ru", "en"):
        return language_code.lower().split("-")[0]
    return default


@dataclass(frozen=True)
class NewInvite:
    code: str
    invite: InviteDTO


async def create_invite(
    repos: Repos,
    *,
    role: Role,
    supervisor_id: int | None,
    erp_name: str | None,
    created_by_id: int | None,
    ttl: timedelta,
    now: datetime,
) -> NewInvite:
    if role not in INVITABLE_ROLES:
        raise PeopleError("invite-error-role")
    if role is Role.MANAGER:
        if supervisor_id is None:
            raise PeopleError("invite-error-no-supervisor")
        supervisor = await repos.users.get(supervisor_id)
        if not _can_lead_team(supervisor):
            raise PeopleError("invite-error-no-supervisor")
    else:
        supervisor_id = None
    erp_name = (erp_name or "").strip() or None
    code = new_invite_code()
    invite = await repos.invites.create(
        InviteCreate(
            code_hash=hash_code(code),
            role=role,
            supervisor_id=supervisor_id,
            erp_name=erp_name,
            created_by_id=created_by_id,
            expires_at=now + ttl,
        ),
        now=now,
    )
    return NewInvite(code=code, invite=invite)


async def create_adoption_invite(
    repos: Repos, *, user_id: int, created_by_id: int | None, ttl: timedelta, now: datetime
) -> NewInvite:
    """An invitation to become an existing person: whoever opens it takes over that
    person's identity (their clients, team and history) instead of joining as a new user.
    The demo hands its people to an evaluator's own Telegram account this way."""
    target = await repos.users.get(user_id)
    if target is None or not target.is_active:
        raise PeopleError("error-not-available")
    code = new_invite_code()
    invite = await repos.invites.create(
        InviteCreate(
            code_hash=hash_code(code),
            role=target.role,
            supervisor_id=target.supervisor_id,
            created_by_id=created_by_id,
            expires_at=now + ttl,
            adopt_user_id=target.id,
        ),
        now=now,
    )
    return NewInvite(code=code, invite=invite)


class Admission(StrEnum):
    ADMITTED = "admitted"
    ALREADY_REGISTERED = "already"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class AdmissionResult:
    outcome: Admission
    user: UserDTO | None = None


async def redeem_invite(
    repos: Repos,
    code: str,
    profile: TelegramProfile,
    *,
    default_language: str,
    default_timezone: str,
    now: datetime,
) -> AdmissionResult:
    existing = await repos.users.by_telegram_id(profile.telegram_id)
    if existing is not None and existing.is_active and not await _adoption_open(repos, code, now):
        # A registered person's /start <code> changes nothing (the code stays unused),
        # unless it hands them another identity.
        return AdmissionResult(Admission.ALREADY_REGISTERED, existing)
    if not looks_like_invite_code(code):
        return AdmissionResult(Admission.UNKNOWN)
    code_hash = hash_code(code)
    invite = await repos.invites.claim(code_hash, now=now)
    if invite is None:
        known = await repos.invites.by_hash(code_hash)
        if known is None:
            return AdmissionResult(Admission.UNKNOWN)
        return AdmissionResult(Admission.USED if known.used_at else Admission.EXPIRED)
    if invite.adopt_user_id is not None:
        adopted = await _adopt(repos, invite, existing, profile, now=now)
        if adopted is None:
            return AdmissionResult(Admission.UNKNOWN)
        await repos.invites.set_used_by(invite.id, adopted.id)
        return AdmissionResult(Admission.ADMITTED, adopted)
    if existing is not None:
        # A deactivated person re-invited: reactivate with the invitation's role and team.
        user = await repos.users.update(
            existing.id,
            UserUpdate(
                role=invite.role,
                supervisor_id=invite.supervisor_id,
                is_active=True,
                erp_name=invite.erp_name or existing.erp_name,
            ),
            actor_id=invite.created_by_id,
            now=now,
        )
    else:
        user = await repos.users.create(
            UserCreate(
                telegram_id=profile.telegram_id,
                role=invite.role,
                full_name=profile.full_name[:256],
                username=profile.username,
                language=pick_language(profile.language_code, default_language),
                timezone=default_timezone,
                supervisor_id=invite.supervisor_id,
                erp_name=invite.erp_name,
            ),
            actor_id=invite.created_by_id,
            now=now,
        )
    await repos.invites.set_used_by(invite.id, user.id)
    if user.erp_name:
        # Clients imported under this name before the person registered become theirs.

        await attach_erp_clients(repos, user.id, user.erp_name, now=now)
    return AdmissionResult(Admission.ADMITTED, user)


async def _adoption_open(repos: Repos, code: str, now: datetime) -> bool:
    if not looks_like_invite_code(code):
        return False
    invite = await repos.invites.by_hash(hash_code(code))
    return (
        invite is not None
        and invite.adopt_user_id is not None
        and invite.used_at is None
        and invite.expires_at > now
    )


async def _adopt(
    repos: Repos,
    invite: InviteDTO,
    existing: UserDTO | None,
    profile: TelegramProfile,
    *,
    now: datetime,
) -> UserDTO | None:
    """This Telegram account becomes the invitation's person. A person it was before is
    left on a placeholder id (nobody's account), so one phone can try role after role."""
    assert invite.adopt_user_id is not None
    target = await repos.users.get(invite.adopt_user_id)
    if target is None or not target.is_active:
        return None
    if existing is not None and existing.id == target.id:
        return target
    if existing is not None:
        released = placeholder_telegram_id(existing.id)
        await repos.users.update(
            existing.id, UserUpdate(telegram_id=released), actor_id=invite.created_by_id, now=now
        )
        # Nobody reads a placeholder's messages: park them quietly, tell no supervisor.
        await repos.users.set_unreachable(released, now)
    user = await repos.users.update(
        target.id,
        UserUpdate(telegram_id=profile.telegram_id, username=profile.username),
        actor_id=invite.created_by_id,
        now=now,
    )
    return await repos.users.set_unreachable(profile.telegram_id, None) or user


async def admit_configured_admin(
    repos: Repos,
    profile: TelegramProfile,
    *,
    default_language: str,
    default_timezone: str,
    now: datetime,
) -> UserDTO:
    """A Telegram id listed in ADMIN_IDS becomes an admin the first time it writes."""
    return await repos.users.create(
        UserCreate(
            telegram_id=profile.telegram_id,
            role=Role.ADMIN,
            full_name=profile.full_name[:256],
            username=profile.username,
            language=pick_language(profile.language_code, default_language),
            timezone=default_timezone,
        ),
        actor_id=None,
        now=now,
    )


async def change_role(
    repos: Repos, actor: UserDTO, target_id: int, role: Role, *, now: datetime
) -> UserDTO:
    target = await _other_user(repos, actor, target_id)
    # Only a manager belongs to a team; any other role leaves it.
    update = (
        UserUpdate(role=role)
        if role is Role.MANAGER
        else UserUpdate(role=role, supervisor_id=None)
    )
    return await repos.users.update(target.id, update, actor_id=actor.id, now=now)


async def change_supervisor(
    repos: Repos, actor: UserDTO, target_id: int, supervisor_id: int, *, now: datetime
) -> UserDTO:
    target = await _other_user(repos, actor, target_id)
    if target.role is not Role.MANAGER:
        raise PeopleError("users-error-not-manager")
    if not _can_lead_team(await repos.users.get(supervisor_id)):
        raise PeopleError("invite-error-no-supervisor")
    return await repos.users.update(
        target.id, UserUpdate(supervisor_id=supervisor_id), actor_id=actor.id, now=now
    )


async def set_active(
    repos: Repos, actor: UserDTO, target_id: int, active: bool, *, now: datetime, texts: Texts
) -> UserDTO:
    """Deactivation ends access at once; a manager's clients go to their supervisor."""
    target = await _other_user(repos, actor, target_id)
    updated = await repos.users.update(
        target.id, UserUpdate(is_active=active), actor_id=actor.id, now=now
    )
    if not active and target.role is Role.MANAGER:
        await hand_over_from_deactivated(repos, updated, now=now, texts=texts)
    return updated


def _can_lead_team(user: UserDTO | None) -> bool:
    return user is not None and user.is_active and user.role is Role.SUPERVISOR


async def _other_user(repos: Repos, actor: UserDTO, target_id: int) -> UserDTO:
    if actor.role is not Role.ADMIN:
        raise PeopleError("error-not-allowed")
    if target_id == actor.id:
        # An admin locking themselves out would leave nobody to undo it.
        raise PeopleError("users-error-self")
    target = await repos.users.get(target_id)
    if target is None:
        raise PeopleError("error-not-available")
    return target


async def update_preferences(
    repos: Repos, user: UserDTO, update: UserUpdate, *, now: datetime
) -> UserDTO:
    """A user's own language, time zone and digest hour."""
    allowed = {"language", "timezone", "digest_hour"}
    if not update.model_fields_set <= allowed:
        raise PeopleError("error-not-allowed")
    return await repos.users.update(user.id, update, actor_id=user.id, now=now)
