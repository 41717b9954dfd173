"""What the bot owes people: written to the outbox in the caller's transaction.

Every later feature decides what to say and when; this is the one way it goes out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.services.business_settings import load_settings
from bot.services.local_time import QuietHours, local_date, next_send_time
from storage.dto import OutboxCreate, OutboxStatus, Role, UserDTO
from storage.repositories import Repos

# How long after a recipient blocked the bot their parked notifications are still worth
# delivering when they come back (older ones are stale: yesterday's digest, say).
REQUEUE_WINDOW = timedelta(hours=24)


def outbox_key(kind: str, chat_id: int, subject: str, day: date | None) -> str:
    """(kind, recipient, subject, day): the same notification written twice is one row."""
    return f"{kind}:{chat_id}:{subject}:{day.isoformat() if day else '-'}"


async def notify_user(
    repos: Repos,
    recipient: UserDTO,
    *,
    kind: str,
    subject: str,
    text: str,
    now: datetime,
    quiet: QuietHours,
    day: date | None = None,
    once: bool = False,
    reply_markup: dict[str, Any] | None = None,
    photo: bytes | None = None,
    photo_after: bool = False,
    urgent: bool = False,
    files: list[tuple[str, str]] | None = None,
) -> bool:
    """Owe `recipient` a message. Non-urgent ones wait out the recipient's quiet hours.

    The key's day is the recipient's local date unless given; `once` keys on the subject
    alone. A photo is the text's caption when it fits, unless `photo_after`: then the text
    goes first and the photo follows as a message of its own (a chart after its summary).
    Returns False when that notification was owed already (nothing is written)."""
    zone = ZoneInfo(recipient.timezone)
    key_day = None if once else (day or local_date(now, zone))
    return await repos.outbox.add(
        OutboxCreate(
            key=outbox_key(kind, recipient.telegram_id, subject, key_day),
            kind=kind,
            chat_id=recipient.telegram_id,
            user_id=recipient.id,
            payload=_payload(text, reply_markup, files, photo_after=photo_after),
            attachment=photo,
            urgent=urgent,
            not_before=now if urgent else next_send_time(now, zone, quiet),
        ),
        now=now,
    )


async def notify_users(
    repos: Repos,
    messages: list[tuple[UserDTO, str, str, str]],
    *,
    now: datetime,
    quiet: QuietHours,
    once: bool = False,
) -> None:
    """`notify_user` for many (recipient, kind, subject, text) at once (an import's
    switch): the same keys (`once` keys on the subject alone) and quiet hours, a
    statement per 500 messages."""
    rows = []
    timing: dict[str, tuple[date, datetime]] = {}  # by time zone: the same for each message
    for recipient, kind, subject, text in messages:
        if recipient.timezone not in timing:
            zone = ZoneInfo(recipient.timezone)
            timing[recipient.timezone] = (local_date(now, zone), next_send_time(now, zone, quiet))
        day, not_before = timing[recipient.timezone]
        rows.append(
            OutboxCreate(
                key=outbox_key(kind, recipient.telegram_id, subject, None if once else day),
                kind=kind,
                chat_id=recipient.telegram_id,
                user_id=recipient.id,
                payload=_payload(text, None, None),
                not_before=not_before,
            )
        )
    await repos.outbox.add_many(rows, now=now)


async def notify_chat(
    repos: Repos,
    chat_id: int,
    *,
    kind: str,
    subject: str,
    text: str,
    now: datetime,
    day: date | None = None,
    reply_markup: dict[str, Any] | None = None,
    photo: bytes | None = None,
    files: list[tuple[str, str]] | None = None,
) -> bool:
    """Owe a group chat (a department's) a message; groups have no quiet hours."""
    return await repos.outbox.add(
        OutboxCreate(
            key=outbox_key(kind, chat_id, subject, day),
            kind=kind,
            chat_id=chat_id,
            payload=_payload(text, reply_markup, files),
            attachment=photo,
            urgent=True,
            not_before=now,
        ),
        now=now,
    )


def _payload(
    text: str,
    reply_markup: dict[str, Any] | None,
    files: list[tuple[str, str]] | None = None,
    *,
    photo_after: bool = False,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": text}
    if photo_after:
        payload["photo_after"] = True
    if files:
        payload["files"] = [{"kind": kind, "file_id": file_id} for kind, file_id in files]
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup
    return payload


async def admins(repos: Repos) -> list[UserDTO]:
    return await repos.users.with_role(Role.ADMIN)


class Texts(Protocol):
    """The translator, as services see it: texts by language."""

    def get(self, language: str | None) -> Callable[..., str]: ...


async def mark_unreachable(
    repos: Repos, chat_id: int, *, now: datetime, error: str, texts: Texts
) -> bool:
    """Telegram refuses to deliver to this chat (the user blocked the bot): park what is
    owed to it, mark the user, and tell their supervisor once. False if already known."""
    await repos.outbox.park_for_chat(chat_id, status=OutboxStatus.UNREACHABLE, error=error)
    user = await repos.users.by_telegram_id(chat_id)
    if user is None or user.unreachable_since is not None:
        return False
    await repos.users.set_unreachable(chat_id, now)
    supervisor = await repos.users.get(user.supervisor_id) if user.supervisor_id else None
    if supervisor is not None and supervisor.is_active:
        settings = await load_settings(repos)
        await notify_user(
            repos,
            supervisor,
            kind="recipient_unreachable",
            subject=str(user.id),
            text=texts.get(supervisor.language)("outbox-user-unreachable", name=user.full_name),
            now=now,
            quiet=settings.quiet_hours,
        )
    return True


async def mark_reachable(repos: Repos, chat_id: int, *, now: datetime) -> int:
    """The user is back (unblocked the bot): clear the mark and re-owe recent messages."""
    user = await repos.users.by_telegram_id(chat_id)
    if user is None:
        return 0
    if user.unreachable_since is not None:
        await repos.users.set_unreachable(chat_id, None)
    return await repos.outbox.requeue_unreachable(chat_id, since=now - REQUEUE_WINDOW, now=now)
