"""The outbox and its sender, in-process: a recording session stands in for Telegram."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import Chat, ChatMemberBanned, ChatMemberMember, ChatMemberUpdated, Update, User

from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender, RateLimiter
from bot.services.business_settings import load_settings
from bot.services.local_time import QuietHours
from bot.services.notifications import notify_chat, notify_user
from storage.dto import OutboxStatus, Role, UserCreate, UserDTO
from storage.engine import Database
from storage.repositories import Repos

FAST = DeliveryConfig(private_interval=0.0, per_second=10_000, backoff_base=2.0, max_attempts=3)
QUIET = QuietHours.parse("21:00-08:00")


async def _user(app, telegram_id: int, role: Role = Role.MANAGER, **kw) -> UserDTO:
    async with app.database.transaction() as s:
        return await Repos(s).users.create(
            UserCreate(
                telegram_id=telegram_id,
                role=role,
                full_name=f"User {telegram_id}",
                language=kw.pop("language", "en"),
                timezone=kw.pop("timezone", "Europe/Moscow"),
                **kw,
            ),
            actor_id=None,
            now=app.clock(),
        )


async def _owe(app, user: UserDTO, subject: str = "s", text: str = "hello", **kw) -> bool:
    async with app.database.transaction() as s:
        return await notify_user(
            Repos(s),
            user,
            kind="test",
            subject=subject,
            text=text,
            now=app.clock(),
            quiet=QUIET,
            **kw,
        )


async def _rows(app) -> list:
    async with app.database.read() as s:
        return await Repos(s).outbox.list()


def _sender(app, bot, config: DeliveryConfig = FAST) -> OutboxSender:
    return OutboxSender(bot, app.database, app.translator, app.clock, config)


async def test_same_notification_twice_is_one_row_and_sent_once(app, bot, session):
    user = await _user(app, 501)
    assert await _owe(app, user) is True
    assert await _owe(app, user) is False  # same kind, recipient, subject and day
    stats = await _sender(app, bot).drain()
    again = await _sender(app, bot).drain()
    assert stats.sent == 1 and again.sent == 0
    [row] = await _rows(app)
    assert row.status is OutboxStatus.SENT and row.message_ids == [
        session.of(SendMessage)[0].result.message_id
    ]
    assert [s.chat_id for s in session.of(SendMessage)] == [501]


async def test_quiet_hours_hold_non_urgent_until_local_morning(app, bot, session, clock):
    clock.set(datetime(2026, 11, 23, 20, 0, tzinfo=UTC))  # 23:00 in Moscow, 07:00 in Kamchatka+1
    moscow = await _user(app, 502, timezone="Europe/Moscow")
    kamchatka = await _user(app, 503, timezone="Asia/Kamchatka")  # 08:00 there: not quiet
    await _owe(app, moscow)
    await _owe(app, kamchatka)
    await _owe(app, moscow, subject="urgent", urgent=True)
    await _sender(app, bot).drain()
    assert sorted(s.chat_id for s in session.of(SendMessage)) == [502, 503]
    clock.set(datetime(2026, 11, 24, 4, 59, tzinfo=UTC))  # 07:59 Moscow
    await _sender(app, bot).drain()
    assert len(session.of(SendMessage)) == 2
    clock.set(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))  # 08:00 Moscow
    await _sender(app, bot).drain()
    assert [s.chat_id for s in session.of(SendMessage)][-1] == 502
    assert len(session.of(SendMessage)) == 3


async def test_429_pauses_and_retries_without_losing_or_duplicating(app, bot, session):
    user = await _user(app, 504)
    await _owe(app, user)
    session.fail_next(
        SendMessage, TelegramRetryAfter(SendMessage(chat_id=504, text="x"), "Too Many Requests", 1)
    )
    loop = asyncio.get_running_loop()
    started = loop.time()
    stats = await _sender(app, bot).drain()
    assert stats.too_many_requests == 1 and stats.sent == 1
    assert loop.time() - started >= 0.9  # it waited out retry_after
    assert len(session.of(SendMessage)) == 1


async def test_server_errors_back_off_then_fail_and_admins_are_told_once(app, bot, session, clock):
    admin = await _user(app, 900, role=Role.ADMIN)
    user = await _user(app, 505)
    await _owe(app, user)
    for _ in range(3):
        session.fail_next(
            SendMessage, TelegramServerError(SendMessage(chat_id=505, text="x"), "Bad Gateway")
        )
    stats = await _sender(app, bot).drain()
    assert stats.retried == 1 and session.of(SendMessage) == []
    [row] = [r for r in await _rows(app) if r.chat_id == 505]
    assert row.attempts == 1 and row.not_before == clock() + timedelta(seconds=2)
    clock.set(clock() + timedelta(seconds=2))
    await _sender(app, bot).drain()
    clock.set(clock() + timedelta(seconds=4))
    stats = await _sender(app, bot).drain()
    rows = {r.chat_id: r for r in await _rows(app)}
    assert rows[505].status is OutboxStatus.FAILED and "Bad Gateway" in rows[505].last_error
    assert stats.failed == 1
    alert = [s for s in session.of(SendMessage) if s.chat_id == admin.telegram_id]
    assert len(alert) == 1 and "could not be delivered" in alert[0].text


async def test_network_error_is_retried(app, bot, session, clock):
    user = await _user(app, 506)
    await _owe(app, user)
    session.fail_next(
        SendMessage, TelegramNetworkError(SendMessage(chat_id=506, text="x"), "timeout")
    )
    await _sender(app, bot).drain()
    clock.set(clock() + timedelta(seconds=2))
    stats = await _sender(app, bot).drain()
    assert stats.sent == 1 and len(session.of(SendMessage)) == 1


async def test_blocked_user_is_marked_and_supervisor_told_once_then_back(
    app, bot, session, dp, clock
):
    supervisor = await _user(app, 600, role=Role.SUPERVISOR)
    manager = await _user(app, 601, supervisor_id=supervisor.id)
    await _owe(app, manager, subject="one")
    await _owe(app, manager, subject="two")
    blocked = TelegramForbiddenError(
        SendMessage(chat_id=601, text="x"), "Forbidden: bot was blocked by the user"
    )
    session.fail_next(SendMessage, blocked)
    session.fail_next(SendMessage, blocked)
    stats = await _sender(app, bot).drain()
    assert stats.unreachable == 2
    rows = {r.key.split(":")[2]: r for r in await _rows(app) if r.chat_id == 601}
    assert {r.status for r in rows.values()} == {OutboxStatus.UNREACHABLE}
    told = [s for s in session.of(SendMessage) if s.chat_id == 600]
    assert len(told) == 1 and "User 601 has blocked the bot" in told[0].text
    async with app.database.read() as s:
        assert (await Repos(s).users.get(manager.id)).unreachable_since == clock()

    # The manager unblocks the bot: Telegram sends my_chat_member; the parked rows are owed again.
    person = User(id=601, is_bot=False, first_name="M")
    update = Update(
        update_id=77_001,
        my_chat_member=ChatMemberUpdated(
            chat=Chat(id=601, type="private"),
            from_user=person,
            date=clock(),
            old_chat_member=ChatMemberBanned(
                user=User(id=1, is_bot=True, first_name="b"), until_date=0
            ),
            new_chat_member=ChatMemberMember(user=User(id=1, is_bot=True, first_name="b")),
        ),
    )
    await dp.feed_update(bot, update)
    async with app.database.read() as s:
        assert (await Repos(s).users.get(manager.id)).unreachable_since is None
    stats = await _sender(app, bot).drain()
    assert stats.sent == 2
    assert len([s for s in session.of(SendMessage) if s.chat_id == 601]) == 2


async def test_other_400_goes_to_dead_letter_with_error(app, bot, session):
    await _user(app, 901, role=Role.ADMIN)
    user = await _user(app, 507)
    await _owe(app, user)
    session.fail_next(
        SendMessage,
        TelegramBadRequest(
            SendMessage(chat_id=507, text="x"), "Bad Request: can't parse entities"
        ),
    )
    stats = await _sender(app, bot).drain()
    rows = {r.chat_id: r for r in await _rows(app)}
    assert stats.dead == 1 and rows[507].status is OutboxStatus.DEAD
    assert "can't parse entities" in rows[507].last_error
    assert rows[901].kind == "delivery_failed"


async def test_long_text_is_split_and_resumes_after_the_sent_part(app, bot, session):
    user = await _user(app, 508)
    text = "\n".join(f"line {i:04d} " + "x" * 90 for i in range(60))  # ~6000 characters
    markup = {"inline_keyboard": [[{"text": "Open", "callback_data": "x:1"}]]}
    await _owe(app, user, text=text, reply_markup=markup)
    session.fail_next  # noqa: B018 - first part goes through, second fails below
    original = session.make_request
    calls = 0

    async def flaky(bot_, method, timeout=None):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise TelegramNetworkError(method, "connection reset")
        return await original(bot_, method, timeout)

    session.make_request = flaky  # type: ignore[method-assign]
    await _sender(app, bot).drain()
    [row] = await _rows(app)
    assert len(row.message_ids) == 1 and row.status is OutboxStatus.PENDING
    session.make_request = original  # type: ignore[method-assign]
    app.clock.set(app.clock() + timedelta(seconds=2))
    await _sender(app, bot).drain()
    sent = session.of(SendMessage)
    assert len(sent) == 2 and all(len(s.text) <= 4096 for s in sent)
    assert "\n".join(s.text for s in sent) == text
    assert sent[0].inline_buttons == [] and sent[1].inline_buttons == [("Open", "x:1")]


async def test_photo_with_long_text_sends_caption_apart(app, bot, session):
    user = await _user(app, 509)
    await _owe(app, user, text="t" * 1500, photo=b"\x89PNG fake")
    await _owe(app, user, subject="short", text="short caption", photo=b"\x89PNG fake")
    await _sender(app, bot).drain()
    photos, messages = session.of(SendPhoto), session.of(SendMessage)
    assert sorted(p.method.caption or "" for p in photos) == ["", "short caption"]
    assert [m.text for m in messages] == ["t" * 1500]


async def test_crash_between_send_and_mark_resends_only_after_the_lease(app, bot, session, clock):
    user = await _user(app, 510)
    await _owe(app, user)
    crashed = _sender(app, bot)
    claimed = await crashed._claim(10)  # claimed, then the process died before marking
    assert len(claimed) == 1
    assert (await _sender(app, bot).drain()).sent == 0  # the lease keeps others off it
    clock.set(clock() + timedelta(seconds=FAST.lease_seconds + 1))
    assert (await _sender(app, bot).drain()).sent == 1


async def test_two_senders_on_two_connections_never_send_a_row_twice(app, bot, session, settings):
    users = [await _user(app, 700 + i) for i in range(40)]
    for u in users:
        await _owe(app, u)
    other_db = Database(settings.database_url)  # another process's engine on the same file
    try:
        first = OutboxSender(bot, app.database, app.translator, app.clock, FAST, owner="a")
        second = OutboxSender(bot, other_db, app.translator, app.clock, FAST, owner="b")
        a, b = await asyncio.gather(first.drain(), second.drain())
    finally:
        await other_db.dispose()
    chats = [s.chat_id for s in session.of(SendMessage)]
    assert sorted(chats) == sorted(u.telegram_id for u in users)
    assert a.sent + b.sent == 40


async def test_group_notifications_skip_quiet_hours(app, bot, session, clock):
    clock.set(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))
    async with app.database.transaction() as s:
        await notify_chat(
            Repos(s), -100500, kind="claim", subject="CL-1", text="new claim", now=clock()
        )
    await _sender(app, bot).drain()
    assert [s.chat_id for s in session.of(SendMessage)] == [-100500]


async def test_settings_quiet_hours_are_used(app):
    async with app.database.read() as s:
        assert (await load_settings(Repos(s))).quiet_hours == QUIET


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize("chats", [30, 90])
async def test_rate_limiter_spaces_sends_globally(chats: int) -> None:
    fake = FakeTime()
    limiter = RateLimiter(DeliveryConfig(), fake.monotonic, fake.sleep)
    times = []
    for chat in range(1, chats + 1):
        await limiter.acquire(chat)
        times.append(fake.now)
    window = [t for t in times if t < times[0] + 1.0]
    assert len(window) <= 30
    assert times[-1] - times[0] == pytest.approx((chats - 1) * 1.03 / 30)


async def test_rate_limiter_per_chat_and_group_and_pause() -> None:
    fake = FakeTime()
    limiter = RateLimiter(DeliveryConfig(), fake.monotonic, fake.sleep)
    await limiter.acquire(42)
    start = fake.now
    await limiter.acquire(42)
    assert fake.now - start >= 1.0
    for _ in range(21):
        await limiter.acquire(-1001)
    group_times = fake.now
    assert group_times - start >= 60.0  # the 21st group message waits for the minute
    limiter.pause(5)
    before = fake.now
    await limiter.acquire(43)
    assert fake.now - before >= 5.0
