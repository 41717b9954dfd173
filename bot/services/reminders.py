"""The bot speaks first: morning digests, follow-ups at their hour, overdue receivables and
price changes to announce. Each job reads what is due from the database for all users at
once and writes the outbox; running it twice writes nothing twice (the outbox keys)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.services.access import AccessDenied, client_for
from bot.services.agenda import cadence_days, days_past_cadence
from bot.services.business_calendar import BusinessCalendar
from bot.services.business_settings import BusinessSettings, load_settings
from bot.services.claims import claim_for
from bot.services.local_time import at_local_time, local_date, user_today
from bot.services.notifications import notify_user
from bot.services.receivables import OpenShipment, receivables
from bot.services.stock import usual_since
from storage.dto import Role, Tier, UserDTO
from storage.repositories import Repos

logger = logging.getLogger(__name__)
DIGEST_ROLES = (Role.MANAGER, Role.SUPERVISOR)


class Renderer(Protocol):
    """Turns a digest or a notice into (text, reply markup) for its recipient."""

    def digest(self, user: UserDTO, digest: Digest) -> tuple[str, dict[str, Any] | None]: ...

    def follow_up(self, user: UserDTO, item: Any) -> tuple[str, dict[str, Any] | None]: ...

    def overdue_alert(
        self, user: UserDTO, client_name: str, item: OpenShipment
    ) -> tuple[str, dict[str, Any] | None]: ...

    def price_notice(
        self, user: UserDTO, lines: list[Any], *, reminder: bool
    ) -> tuple[str, dict[str, Any] | None]: ...


# Not frozen: a frozen dataclass sets each field through object.__setattr__, three times the
# cost of a plain one, on the tens of thousands of lines of a company's morning.
@dataclass(slots=True)
class DigestLine:
    kind: str  # "followup", "claim", "neglected", "overdue", "price"
    item_id: int
    client_id: int
    client_name: str
    text: str = ""
    due: date | None = None
    days: int = 0
    tier: Tier | None = None
    amount: Decimal | None = None
    old_amount: Decimal | None = None  # a price change's price before it


@dataclass(frozen=True, slots=True)
class OutOfStock:
    """A client's usual products (ordered in the last 90 days) out of stock everywhere."""

    client_id: int
    client_name: str
    products: tuple[str, ...]  # by name


@dataclass
class Digest:
    day: date
    lines: list[DigestLine] = field(default_factory=list)
    overdue_total: Decimal = Decimal("0.00")
    buckets: dict[str, Decimal] = field(default_factory=dict)
    # "Out of stock for your clients": warned today, before the client finds out.
    out_of_stock: list[OutOfStock] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.lines and not self.out_of_stock


def _hidden(
    marks: dict[tuple[int, str, int], tuple[date | None, bool]],
    user_id: int,
    kind: str,
    item_id: int,
    today: date,
) -> bool:
    mark = marks.get((user_id, kind, item_id))
    if mark is None:
        return False
    until, done = mark
    return done or (until is not None and until > today)


def digest_due(
    user: UserDTO, now: datetime, calendar: BusinessCalendar, cutoff_hour: int
) -> bool | None:
    """True: due now; None: missed for today (past the cut-off); False: not yet, or not a
    business day in the user's zone."""
    zone = ZoneInfo(user.timezone)
    today = local_date(now, zone)
    if not calendar.is_business_day(today):
        return False
    start = at_local_time(today, time(user.digest_hour), zone)
    if now < start:
        return False
    cutoff = at_local_time(today, time(cutoff_hour), zone)
    if cutoff > start and now >= cutoff:
        return None
    return True


# The order of a digest's sections; within one, the most days first, then by client name.
DIGEST_ORDER = ("followup", "claim", "neglected", "overdue", "price")
_BY_NAME = attrgetter("client_name")
_BY_DAYS = attrgetter("days")
_BY_CLIENT_DATE_PRODUCT = attrgetter("client_name", "due", "text")


async def build_digests(
    repos: Repos, users: list[UserDTO], now: datetime, settings: BusinessSettings
) -> dict[int, Digest]:
    """Every digest in a fixed number of queries, whatever the number of users."""
    if not users:
        return {}
    calendar = settings.business_calendar()
    reminder = repos.reminders
    erp = repos.erp
    ids = [u.id for u in users]
    zones = {name: ZoneInfo(name) for name in {u.timezone for u in users}}
    zone = {u.id: zones[u.timezone] for u in users}
    today = {u.id: local_date(now, zone[u.id]) for u in users}
    digests = {u.id: Digest(today[u.id]) for u in users}
    # Lines per section and owner, sorted and joined at the end.
    sections: dict[str, defaultdict[int, list[DigestLine]]] = {
        kind: defaultdict(list) for kind in DIGEST_ORDER
    }
    marks = await reminder.marks(ids)
    latest = max(today.values())
    section = sections["followup"]
    for fid, owner, cid, name, text, due in await reminder.due_follow_ups(ids, latest):
        day = today[owner]
        if due <= day and not _hidden(marks, owner, "followup", fid, day):
            section[owner].append(
                DigestLine("followup", fid, cid, name, text=text, due=due, days=(day - due).days)
            )
    cadence = cadence_days(settings.values)
    # SQL keeps the clients that may be past their cadence for someone: last contact before
    # the start (UTC) of the day after the latest local date minus the cadence, a bound no
    # zone's local date can beat (offsets are under a day). Python then decides exactly, in
    # the owner's zone.
    before = {
        tier.value: datetime.combine(latest - timedelta(days=days - 1), time(), UTC)
        for tier, days in cadence.items()
    }
    section = sections["neglected"]
    for cid, owner, name, tier, last in await reminder.key_clients_last_contact(ids, before):
        day = today[owner]
        past = days_past_cadence(local_date(last, zone[owner]), Tier(tier), cadence, day)
        if past > 0 and not _hidden(marks, owner, "neglected", cid, day):
            section[owner].append(
                DigestLine("neglected", cid, cid, name, days=past, tier=Tier(tier))
            )
    # Receivables come from the open amounts every import keeps on the shipments (FIFO done
    # there), summed in SQL: no re-allocation of every shipment each morning. Buckets count
    # from the latest local date among the users, a day off at most across zones.
    buckets = ("1-30", "31-60", "61-90", "90+")
    starts = [latest - timedelta(days=d) for d in (30, 60, 90)]
    for overdue in await erp.overdue_by_owner(ids, latest, starts):
        digest = digests[overdue.owner_id]
        digest.overdue_total += overdue.amount
        bucket = buckets[overdue.bucket]
        digest.buckets[bucket] = digest.buckets.get(bucket, Decimal("0.00")) + overdue.amount
    windows = {
        day: (day - calendar.previous_business_day(day)).days for day in set(today.values())
    }
    since = min(day - timedelta(days=window) for day, window in windows.items())
    section = sections["overdue"]
    for item in await erp.newly_overdue(ids, since, latest):
        owner, sid = item.owner_id, item.shipment_id
        day = today[owner]
        days = (day - item.due_on).days
        # Since the last digest: the previous business day's digest saw up to then.
        if 0 < days <= windows[day] and not _hidden(marks, owner, "overdue", sid, day):
            section[owner].append(
                DigestLine(
                    "overdue",
                    sid,
                    item.client_id,
                    item.client_name,
                    text=item.number,
                    due=item.due_on,
                    days=days,
                    amount=item.open_amount,
                )
            )
    section = sections["price"]
    notices = await reminder.pending_price_notices(ids)
    prices = await reminder.price_facts({notice[0] for notice in notices})
    for price_id, cid, name, user_id, old in notices:
        facts = prices.get(price_id)
        # Withdrawn by the ERP, or in effect since yesterday: nothing left to announce.
        if facts is None or facts[2] < today[user_id]:
            continue
        new, _currency, effective, product = facts
        section[user_id].append(
            DigestLine(
                "price",
                price_id,
                cid,
                name,
                text=product,
                due=effective,
                amount=new,
                old_amount=old,
            )
        )
    section = sections["claim"]
    for line in await repos.claims.open_of_managers(ids):
        claim = line.claim
        deadline = claim.internal_deadline or claim.legal_deadline
        owner = claim.manager_id
        left = (deadline - today[owner]).days
        # Near (two days or less) or past: the claims a manager must not miss today.
        if left <= 2 and not _hidden(marks, owner, "claim", claim.id, today[owner]):
            section[owner].append(
                DigestLine(
                    "claim",
                    claim.id,
                    claim.client_id,
                    line.client_name,
                    text=claim.number,
                    due=deadline,
                    days=-left,
                )
            )
    # The usual products out of stock, in one query for all these users' clients: a
    # product under each client that ordered it. The 90 days count back from the latest
    # local date, a day off at most across zones.
    missing: dict[tuple[int, int], tuple[str, list[str]]] = {}
    out_of_stock = repos.chat_orders.usual_out_of_stock_by_owner
    for owner_id, client_id, client_name, product in await out_of_stock(ids, usual_since(latest)):
        missing.setdefault((owner_id, client_id), (client_name, []))[1].append(product)
    for (owner_id, client_id), (client_name, products) in missing.items():
        digests[owner_id].out_of_stock.append(OutOfStock(client_id, client_name, tuple(products)))
    for digest in digests.values():
        digest.out_of_stock.sort(key=_BY_NAME)
    for owner, digest in digests.items():
        for kind in DIGEST_ORDER:
            part = sections[kind].get(owner)
            if part:
                if kind == "price":
                    # All due on the day they take effect: by client, then date and product.
                    part.sort(key=_BY_CLIENT_DATE_PRODUCT)
                else:
                    # Two stable passes: by name, then by days (most first).
                    part.sort(key=_BY_NAME)
                    part.sort(key=_BY_DAYS, reverse=True)
                digest.lines.extend(part)
    return digests


async def run_digests(
    repos: Repos, now: datetime, render: Renderer, *, catch_up: bool = False
) -> int:
    """Queue today's digest for everyone whose local digest hour has come on a business day.
    A digest missed while the bot was down is still sent until the cut-off hour; after it,
    that day's digest is dropped (logged on the catch-up run)."""

    settings = await load_settings(repos)
    calendar = settings.business_calendar()
    cutoff = int(settings["digest_cutoff_hour"])
    users = [u for role in DIGEST_ROLES for u in await repos.users.with_role(role)]
    already = await repos.reminders.sent_keys("digest", now - timedelta(days=2))
    due, missed = [], []
    for user in users:
        state = digest_due(user, now, calendar, cutoff)
        key_day = user_today(user, now)
        if f"digest:{user.telegram_id}:morning:{key_day.isoformat()}" in already:
            continue
        if state is True:
            due.append(user)
        elif state is None:
            missed.append(user)
    if catch_up and missed:
        logger.info(
            "morning digest of %s users dropped: past the %s:00 cut-off", len(missed), cutoff
        )
    if not due:
        return 0
    sent = 0
    for user_id, digest in (await build_digests(repos, due, now, settings)).items():
        if digest.empty:
            continue
        user = next(u for u in due if u.id == user_id)
        text, markup = render.digest(user, digest)
        if await notify_user(
            repos,
            user,
            kind="digest",
            subject="morning",
            day=digest.day,
            text=text,
            reply_markup=markup,
            now=now,
            quiet=settings.quiet_hours,
        ):
            sent += 1
    return sent


async def run_follow_ups(
    repos: Repos, now: datetime, render: Renderer, *, window: timedelta = timedelta(hours=12)
) -> int:
    """A next step given a time of day is reminded at that time (outside quiet hours)."""

    settings = await load_settings(repos)
    rows = await repos.reminders.timed_follow_ups(now - window, now)
    users = {u.id: u for u in await repos.users.list_users(active_only=True)}
    marks = await repos.reminders.marks(list(users)) if rows else {}
    sent = 0
    for row in rows:
        user = users.get(row[1])
        if user is None or _hidden(marks, user.id, "followup", row[0], user_today(user, now)):
            continue
        text, markup = render.follow_up(user, row)
        if await notify_user(
            repos,
            user,
            kind="followup_due",
            subject=str(row[0]),
            once=True,
            text=text,
            reply_markup=markup,
            now=now,
            quiet=settings.quiet_hours,
        ):
            sent += 1
    return sent


async def run_overdue_alerts(repos: Repos, now: datetime, render: Renderer) -> int:
    """On the first business day a large shipment is overdue, its manager is told once."""

    settings = await load_settings(repos)
    calendar = settings.business_calendar()
    threshold = Decimal(int(settings["overdue_alert_amount"]))
    erp = repos.erp
    users = {u.id: u for u in await repos.users.list_users(active_only=True)}
    clients = await erp.clients_of(list(users))
    if not clients:
        return 0
    stored = await erp.receivable_facts(list(clients))
    horizon = max(user_today(u, now) for u in users.values())
    facts = receivables(stored.shipments, stored.payments, horizon)
    sent = 0
    for (cid, _currency), money in facts.items():
        client = clients[cid]
        user = users.get(client.owner_id) if client.owner_id else None
        if user is None:
            continue
        today = user_today(user, now)
        for item in money.open:
            first_overdue = calendar.next_business_day(item.shipment.due_on)
            if (
                item.remaining < threshold
                or first_overdue != today
                or item.shipment.due_on >= today
            ):
                continue
            text, markup = render.overdue_alert(user, client.name, item)
            if await notify_user(
                repos,
                user,
                kind="overdue_alert",
                subject=str(item.shipment.id),
                once=True,
                text=text,
                reply_markup=markup,
                now=now,
                quiet=settings.quiet_hours,
            ):
                sent += 1
    return sent


async def run_price_changes(repos: Repos, now: datetime, render: Renderer) -> int:
    """A price with a later effective date: each manager whose clients bought the product in
    the last months is told once when it appears, and again a few days before it takes
    effect, that time listing only the clients not yet informed."""

    settings = await load_settings(repos)
    reminder = repos.reminders
    users = {u.id: u for u in await repos.users.list_users(active_only=True)}
    today = local_date(now, ZoneInfo("UTC"))
    upcoming = await reminder.upcoming_prices(today)
    if not upcoming:
        return 0
    since = today - timedelta(days=30 * int(settings["price_buyers_months"]))
    by_code: dict[str, list[Any]] = defaultdict(list)
    for row in upcoming:
        by_code[row[2]].append(row)
    notices = [
        {
            "price_id": price[0],
            "client_id": cid,
            "user_id": owner,
            "old_price": price[7],
            "created_at": now,
        }
        for code, cid, owner in await reminder.buyers(list(by_code), since)
        for price in by_code[code]
    ]
    await reminder.add_price_notices(notices)
    rows = await reminder.price_notices(price_ids=[p[0] for p in upcoming])
    per_user: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in rows:
        per_user[(row[3], row[0])].append(row)
    ahead = int(settings["price_reminder_days"])
    sent = 0
    for (user_id, price_id), lines in per_user.items():
        user = users.get(user_id)
        if user is None:
            continue
        text, markup = render.price_notice(user, lines, reminder=False)
        first = await notify_user(
            repos,
            user,
            kind="price_change",
            subject=str(price_id),
            once=True,
            text=text,
            reply_markup=markup,
            now=now,
            quiet=settings.quiet_hours,
        )
        sent += int(first)
        starts = lines[0][7]
        pending = [line for line in lines if line[9] is None]
        # The second notice, unless the first one goes out in this very run.
        if not first and pending and (starts - user_today(user, now)).days <= ahead:
            text, markup = render.price_notice(user, pending, reminder=True)
            if await notify_user(
                repos,
                user,
                kind="price_change",
                subject=f"{price_id}:soon",
                once=True,
                text=text,
                reply_markup=markup,
                now=now,
                quiet=settings.quiet_hours,
            ):
                sent += 1
    return sent


def price_change_percent(old: Decimal | None, new: Decimal) -> Decimal | None:
    """The change in percent, unrounded: the one rounding (half up, to a tenth) is the
    formatter's, so 2.45 % shows as 2,5 %, not as a half-even 2,4 %."""
    if not old:
        return None
    return (new - old) / old * 100


ITEM_KINDS = {"f": "followup", "n": "neglected", "o": "overdue", "p": "price", "c": "claim"}


async def item_client(repos: Repos, user: UserDTO, kind: str, item_id: int) -> tuple[int, str]:
    """The client a reminder item is about, after checking the user may act on it."""

    if kind == "followup":
        follow_up = await repos.follow_ups.get(item_id)
        if follow_up is None or follow_up.owner_id != user.id:
            raise AccessDenied
        client = await client_for(repos, user, follow_up.client_id)
    elif kind == "neglected":
        client = await client_for(repos, user, item_id)
    elif kind == "overdue":
        client_id = await repos.erp.shipment_client(item_id)
        if client_id is None:
            raise AccessDenied
        client = await client_for(repos, user, client_id)
    elif kind == "claim":
        claim, _actor = await claim_for(repos, user, item_id)
        client = await client_for(repos, user, claim.client_id)
    elif kind == "price":
        notices = await repos.reminders.price_notices(user_ids=[user.id], price_ids=[item_id])
        if not notices:
            raise AccessDenied
        return notices[0][1], notices[0][8]
    else:
        raise AccessDenied
    return client.id, client.name


async def snooze_item(
    repos: Repos, user: UserDTO, kind: str, item_id: int, days: int, *, now: datetime
) -> date:

    if days not in (1, 3, 7):
        raise AccessDenied
    await item_client(repos, user, kind, item_id)
    until = user_today(user, now) + timedelta(days=days)
    await repos.reminders.set_mark(
        user.id, kind, item_id, snoozed_until=until, done=False, now=now
    )
    return until


async def finish_item(
    repos: Repos, user: UserDTO, kind: str, item_id: int, *, now: datetime
) -> None:
    """Done: a follow-up is closed; an overdue shipment or a price change stops coming back;
    a neglected key client rests for its tier's cadence (a contact resets it anyway)."""
    client_id, _ = await item_client(repos, user, kind, item_id)
    reminder = repos.reminders
    if kind == "followup":
        await repos.follow_ups.close(item_id, now=now)
    if kind == "price":
        for notice in await reminder.price_notices(
            user_ids=[user.id], price_ids=[item_id], pending_only=True
        ):
            await reminder.mark_informed(item_id, notice[1], user.id, now)
        return
    if kind == "neglected":
        settings = await load_settings(repos)
        client = await repos.clients.get(client_id)
        rest = cadence_days(settings.values)[client.tier] if client else 30
        await reminder.set_mark(
            user.id,
            kind,
            item_id,
            snoozed_until=user_today(user, now) + timedelta(days=rest),
            done=False,
            now=now,
        )
        return
    await reminder.set_mark(user.id, kind, item_id, snoozed_until=None, done=True, now=now)


async def mark_client_informed(
    repos: Repos, user: UserDTO, price_id: int, client_id: int, *, now: datetime
) -> list[Any]:
    """Returns the notices still pending for that price (to redraw the buttons)."""

    reminder = repos.reminders
    if not await reminder.mark_informed(price_id, client_id, user.id, now):
        raise AccessDenied
    return await reminder.price_notices(user_ids=[user.id], price_ids=[price_id])
