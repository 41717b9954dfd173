"""Use cases of the accounts: who sees which client, adding clients, logging contacts,
hand-over between managers, the client card and the day's agenda."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.services.access import AccessDenied, can_change, client_for, visible_owners
from bot.services.agenda import cadence_days, days_past_cadence
from bot.services.analytics import GAP_LOOKBACK_DAYS, RECENT_DAYS, ChurnSignal, signals_from
from bot.services.business_settings import BusinessSettings, load_settings, settings_from
from bot.services.client_search import SEARCH_LIMIT, looks_like_inn, query_key, search_key
from bot.services.dates import When, on_business_day
from bot.services.import_hand_overs import tally, tally_text
from bot.services.local_time import local_date, user_today
from bot.services.notifications import Texts, notify_user, notify_users
from bot.services.numbers import MAX_ID
from bot.services.receivables import ClientReceivables, receivables
from bot.services.requisites import valid_inn, valid_kpp
from bot.services.stock import usual_out_of_stock
from storage.dto import (
    Channel,
    ClientCreate,
    ClientDTO,
    ClientLine,
    CompetitorNoteCreate,
    CompetitorNoteDTO,
    ContactCreate,
    ContactDTO,
    DueFollowUp,
    FollowUpCreate,
    FollowUpDTO,
    OpportunityCreate,
    OpportunityDTO,
    Outcome,
    PersonCreate,
    PersonDTO,
    Role,
    Tier,
    TimelineEntry,
    UserDTO,
)
from storage.erp_dto import FirstOwner
from storage.repositories import Repos


class AccountsError(Exception):
    """A rule refused the input; `reason` is a translation key."""

    def __init__(self, reason: str, existing: ClientDTO | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.existing = existing


async def find_clients(repos: Repos, user: UserDTO, text: str) -> list[ClientLine]:
    digits = text.replace(" ", "")
    exact = digits if looks_like_inn(text) or digits.isdigit() else None
    return await repos.clients.search(
        query_key(text), exact, await visible_owners(repos, user), SEARCH_LIMIT
    )


async def find_changeable_clients(repos: Repos, user: UserDTO, text: str) -> list[ClientLine]:
    """Clients matching `text` that the user may log contacts or claims for: own clients
    (all, for an admin); a supervisor's team is read-only."""
    return [
        c
        for c in await find_clients(repos, user, text)
        if c.owner_id == user.id or user.role is Role.ADMIN
    ]


async def create_client(
    repos: Repos,
    user: UserDTO,
    *,
    name: str,
    inn: str | None,
    kpp: str | None,
    tier: Tier,
    now: datetime,
) -> ClientDTO:
    if user.role not in (Role.MANAGER, Role.ADMIN, Role.SUPERVISOR):
        raise AccessDenied
    name = name.strip()
    if not name or len(name) > 512:
        raise AccountsError("client-error-name")
    if inn is not None and not valid_inn(inn):
        raise AccountsError("client-error-inn")
    if kpp and not valid_kpp(kpp):
        raise AccountsError("client-error-kpp")
    if inn is not None:
        existing = await repos.clients.by_inn_kpp(inn, kpp or "")
        if existing is not None:
            raise AccountsError("client-error-duplicate", existing)
    return await repos.clients.create(
        ClientCreate(
            name=name,
            search_key=search_key(name),
            inn=inn,
            kpp=kpp or "",
            tier=tier,
            is_key=tier is Tier.A,
            owner_id=user.id,
        ),
        actor_id=user.id,
        now=now,
    )


@dataclass(frozen=True)
class LoggedContact:
    contact: ContactDTO
    follow_up: FollowUpDTO | None
    # The day the manager's "+2" landed on, when that was a day off and the step moved.
    moved_from: date | None = None
    # The step is on a day off the manager named themselves (kept, but worth saying).
    on_day_off: bool = False


async def log_contact(
    repos: Repos,
    user: UserDTO,
    client_id: int,
    *,
    channel: Channel,
    outcome: Outcome,
    summary: str,
    person_id: int | None,
    next_step: str | None,
    next_when: When | None,
    now: datetime,
) -> LoggedContact:
    client = await client_for(repos, user, client_id, change=True)
    if person_id is not None:
        person = await repos.persons.get(person_id)
        if person is None or person.client_id != client.id:
            raise AccessDenied
    contact = await repos.contacts.add(
        ContactCreate(
            client_id=client.id,
            author_id=user.id,
            person_id=person_id,
            channel=channel,
            summary=summary,
            outcome=outcome,
            happened_at=now,
        ),
        now=now,
    )
    # This contact answers the client's open next steps; the new one replaces them.
    await repos.follow_ups.close_open_for_client(client.id, now=now)
    follow_up = None
    moved_from: date | None = None
    on_day_off = False
    if next_when is not None:
        calendar = (await load_settings(repos)).business_calendar()
        scheduled = on_business_day(next_when, calendar)
        moved_from = next_when.day if scheduled.day != next_when.day else None
        on_day_off = not calendar.is_business_day(scheduled.day)
        next_when = scheduled
        follow_up = await repos.follow_ups.add(
            FollowUpCreate(
                client_id=client.id,
                owner_id=client.owner_id or user.id,
                contact_id=contact.id,
                text=(next_step or "").strip() or summary[:200],
                due_date=next_when.day,
                due_at=next_when.instant(ZoneInfo(user.timezone)),
            ),
            now=now,
        )
    return LoggedContact(contact, follow_up, moved_from, on_day_off)


@dataclass(frozen=True)
class ClientCard:
    client: ClientDTO
    owner: UserDTO | None
    persons: list[PersonDTO]
    last_contact: ContactDTO | None
    next_follow_up: FollowUpDTO | None
    opportunities: list[OpportunityDTO]
    competitor_notes: list[CompetitorNoteDTO]
    can_change: bool
    can_reassign: bool
    holding: ClientDTO | None = None
    debt: ClientReceivables | None = None
    members: tuple[ClientLine, ...] = ()
    group_pipeline: tuple[tuple[str, Decimal], ...] = ()
    # The client's usual products (ordered in the last 90 days) out of stock everywhere.
    out_of_stock: tuple[str, ...] = ()

    @property
    def pipeline(self) -> Decimal:
        return sum((o.amount for o in self.opportunities), Decimal("0"))


async def client_card(repos: Repos, user: UserDTO, client_id: int, *, now: datetime) -> ClientCard:
    """The pre-call brief: everything about a client in one message, read in one statement,
    and its usual products out of stock in a second one. A holding's card also sums its
    members (their open pipeline). Seen by whoever `client_for` lets see the client: the
    brief is read only for a client the user's visible owners own."""
    # An id no row can have is refused before the query, which would fail on it.
    if not 1 <= client_id <= MAX_ID:
        raise AccessDenied
    brief = await repos.clients.brief(client_id, await visible_owners(repos, user))
    if brief is None:
        raise AccessDenied
    client = brief.client
    today = user_today(user, now)
    owed = receivables(brief.shipments, brief.payments, today)
    missing = await usual_out_of_stock(repos, client.id, today)
    return ClientCard(
        out_of_stock=tuple(missing),
        debt=next((m for (_, cur), m in owed.items() if cur == "RUB" and m.open), None),
        holding=brief.holding,
        members=tuple(brief.members),
        group_pipeline=tuple(sorted(brief.group_pipeline.items())),
        client=client,
        owner=brief.owner,
        persons=brief.persons,
        last_contact=brief.last_contact,
        next_follow_up=brief.next_follow_up,
        opportunities=brief.opportunities,
        competitor_notes=brief.competitor_notes,
        can_change=can_change(user, client),
        can_reassign=user.role in (Role.ADMIN, Role.SUPERVISOR),
    )


async def add_person(
    repos: Repos, user: UserDTO, data: PersonCreate, *, now: datetime
) -> PersonDTO:
    await client_for(repos, user, data.client_id, change=True)
    return await repos.persons.add(data, actor_id=user.id, now=now)


async def remove_person(
    repos: Repos, user: UserDTO, person_id: int, *, now: datetime
) -> PersonDTO:
    person = await repos.persons.get(person_id)
    if person is None:
        raise AccessDenied
    await client_for(repos, user, person.client_id, change=True)
    return await repos.persons.change(
        person_id, {"is_removed": True}, action="remove", actor_id=user.id, now=now
    )


async def erase_person(repos: Repos, user: UserDTO, person_id: int, *, now: datetime) -> PersonDTO:
    """Personal data erased on request (admins only): anonymised, the history kept."""
    if user.role is not Role.ADMIN:
        raise AccessDenied
    person = await repos.persons.get(person_id)
    if person is None:
        raise AccessDenied
    return await repos.persons.change(
        person_id,
        {
            "full_name": f"— #{person_id}",
            "phone": None,
            "email": None,
            "birthday": None,
            "note": None,
            "position": None,
            "is_erased": True,
        },
        action="erase",
        actor_id=user.id,
        now=now,
    )


async def add_opportunity(
    repos: Repos, user: UserDTO, data: OpportunityCreate, *, now: datetime
) -> OpportunityDTO:
    await client_for(repos, user, data.client_id, change=True)
    return await repos.opportunities.add(data, actor_id=user.id, now=now)


async def add_competitor_note(
    repos: Repos, user: UserDTO, data: CompetitorNoteCreate, *, now: datetime
) -> CompetitorNoteDTO:
    await client_for(repos, user, data.client_id, change=True)
    return await repos.competitor_notes.add(data, now=now)


@dataclass(frozen=True)
class HandOver:
    """A hand-over asked for (to confirm) or made: the client, who had it, who gets it."""

    client: ClientDTO
    previous: UserDTO | None
    new_owner: UserDTO


async def _hand_over_for(
    repos: Repos, actor: UserDTO, client_id: int, new_owner_id: int
) -> HandOver:
    """The hand-over `actor` may make (a supervisor within the team, an admin any active
    manager); AccessDenied otherwise (callback data is not trusted)."""
    client = await client_for(repos, actor, client_id)
    if actor.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise AccessDenied
    target = await repos.users.get(new_owner_id)
    team = await visible_owners(repos, actor)
    if target is None or not target.is_active or (team is not None and target.id not in team):
        raise AccessDenied
    previous = await repos.users.get(client.owner_id) if client.owner_id else None
    return HandOver(client, previous, target)


async def hand_over_offer(
    repos: Repos, actor: UserDTO, client_id: int, new_owner_id: int
) -> HandOver:
    """What the actor is asked to confirm before a client changes owner in the chat."""
    offer = await _hand_over_for(repos, actor, client_id, new_owner_id)
    if offer.client.owner_id == new_owner_id:
        raise AccountsError("handover-error-same")
    return offer


async def confirm_hand_over(
    repos: Repos,
    actor: UserDTO,
    client_id: int,
    new_owner_id: int,
    expected_owner_id: int | None,
    *,
    now: datetime,
    texts: Texts,
) -> HandOver:
    """The confirmed hand-over. Access is checked again, and the client must still have the
    owner the question named: a replayed or forged confirmation, or one pressed after
    someone else moved the client, changes nothing (AccountsError)."""
    offer = await _hand_over_for(repos, actor, client_id, new_owner_id)
    # Read again under a row lock: two people confirming at once hand it over once.
    current = await repos.clients.get(client_id, for_update=True)
    owner = current.owner_id if current else None
    if owner != expected_owner_id or expected_owner_id == new_owner_id:
        raise AccountsError("handover-error-changed")
    moved = await reassign_client(
        repos, actor, client_id, new_owner_id, now=now, texts=texts, checked=offer
    )
    return HandOver(moved, offer.previous, offer.new_owner)


async def reassign_client(
    repos: Repos,
    actor: UserDTO | None,
    client_id: int,
    new_owner_id: int,
    *,
    now: datetime,
    texts: Texts,
    source: str = "chat",
    checked: HandOver | None = None,
) -> ClientDTO:
    """The one way a client changes owner (chat, import, deactivation): open follow-ups and
    opportunities move with it, its past stays with the previous owner (an ownership
    period from the new owner's local date on), both managers are told who has it now,
    the audit trail records it."""
    if checked is not None:
        offer = checked
    elif actor is not None:
        offer = await _hand_over_for(repos, actor, client_id, new_owner_id)
    else:
        existing = await repos.clients.get(client_id)
        target = await repos.users.get(new_owner_id)
        if existing is None or target is None:
            raise AccessDenied
        previous_user = await repos.users.get(existing.owner_id) if existing.owner_id else None
        offer = HandOver(existing, previous_user, target)
    if offer.client.owner_id == new_owner_id:
        return offer.client
    moved, _ = await repos.clients.reassign(
        client_id,
        new_owner_id,
        source=source,
        actor_id=actor.id if actor else None,
        now=now,
        day=local_date(now, ZoneInfo(offer.new_owner.timezone)),
    )
    settings = await load_settings(repos)
    previous, new_owner = offer.previous, offer.new_owner
    told: list[tuple[UserDTO | None, str, dict[str, str]]] = [
        (previous, "handover-lost", {"client": moved.name, "owner": new_owner.full_name}),
        (
            new_owner,
            "handover-got" if previous else "handover-got-first",
            {"client": moved.name, "previous": previous.full_name if previous else ""},
        ),
    ]
    for recipient, key, values in told:
        if recipient is None or not recipient.is_active:
            continue
        await notify_user(
            repos,
            recipient,
            kind="handover",
            subject=f"{client_id}:{now.isoformat()}",
            text=texts.get(recipient.language)(key, **values),
            now=now,
            quiet=settings.quiet_hours,
        )
    return moved


async def hand_over_from_deactivated(
    repos: Repos, manager: UserDTO, *, now: datetime, texts: Texts
) -> int:
    """A deactivated manager's clients go to their supervisor, who is asked to reassign;
    their past stays the manager's (ownership periods, as every hand-over)."""
    if manager.supervisor_id is None:
        return 0
    supervisor = await repos.users.get(manager.supervisor_id)
    if supervisor is None or not supervisor.is_active:
        return 0
    clients = await repos.clients.owned_by(manager.id)
    day = local_date(now, ZoneInfo(supervisor.timezone))
    for client in clients:
        await repos.clients.reassign(
            client.id, supervisor.id, source="chat", actor_id=None, now=now, day=day
        )
    if clients:
        settings = await load_settings(repos)
        await notify_user(
            repos,
            supervisor,
            kind="handover_deactivated",
            subject=str(manager.id),
            text=texts.get(supervisor.language)(
                "handover-deactivated", name=manager.full_name, count=len(clients)
            ),
            now=now,
            quiet=settings.quiet_hours,
        )
    return len(clients)


@dataclass(frozen=True)
class NeglectedClient:
    client: ClientLine
    days_past: int


@dataclass(frozen=True)
class Agenda:
    follow_ups: list[DueFollowUp]
    neglected: list[NeglectedClient]
    overdue_opportunities: list[tuple[OpportunityDTO, str]]
    churn: list[ChurnSignal] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.follow_ups or self.neglected or self.overdue_opportunities or self.churn)


async def agenda(
    repos: Repos, user: UserDTO, *, now: datetime, settings: BusinessSettings | None = None
) -> Agenda:
    """Follow-ups due today and overdue (oldest first), key clients past their tier's
    cadence, opportunities whose close date passed, key clients with a churn signal — in
    the user's own zone. One statement, the business settings with it (unless given)."""

    today = user_today(user, now)
    recent_from = today - timedelta(days=RECENT_DAYS - 1)
    facts = await repos.analytics.agenda_facts(
        user.id,
        today=today,
        recent_from=recent_from,
        previous_from=recent_from - timedelta(days=RECENT_DAYS),
        order_days_from=today - timedelta(days=GAP_LOOKBACK_DAYS - 1),
    )
    settings = settings or settings_from(facts.settings)
    cadence = cadence_days(settings.values)
    neglected = []
    for line in facts.key_clients:
        last = local_date(line.last_contact_at or now, ZoneInfo(user.timezone))
        past = days_past_cadence(last, line.tier, cadence, today)
        if past > 0:
            neglected.append(NeglectedClient(line, past))
    neglected.sort(key=lambda n: -n.days_past)
    churn = signals_from(facts.churn, facts.order_days, today, settings)
    return Agenda(
        follow_ups=facts.follow_ups,
        neglected=neglected,
        overdue_opportunities=facts.overdue_opportunities,
        churn=churn,
    )


async def client_timeline(
    repos: Repos, user: UserDTO, client_id: int, *, page: int, size: int
) -> tuple[ClientDTO, list[TimelineEntry], int]:
    """Contacts, claims and ERP milestones (orders, shipments, payments), newest first."""
    client = await client_for(repos, user, client_id)
    depth = (page + 1) * size
    contacts, contacts_total = await repos.contacts.timeline(client.id, offset=0, limit=depth)
    documents, documents_total = await repos.erp.milestones(client.id, depth)
    claims, claims_total = await repos.claims.milestones(client.id, depth)
    merged = sorted([*contacts, *documents, *claims], key=lambda e: e.at, reverse=True)
    return client, merged[page * size : depth], contacts_total + documents_total + claims_total


async def reassign_clients(
    repos: Repos,
    changes: list[tuple[int, str, int | None, int]],
    *,
    now: datetime,
    texts: Texts,
    source: str = "erp",
    run_id: int | None = None,
    new_clients: Mapping[int, FirstOwner] | None = None,
) -> int:
    """`reassign_client` for many clients at once (an import's switch): (client id, name,
    the owner it has, the new owner). The same effects (follow-ups and opportunities move,
    ownership periods from the new owner's local date, the audit trail), a few statements
    per 500 changes. Each manager the import gave clients (these and `new_clients`, the new
    clients the switch inserted with them as first owner) or took clients from is told
    once, in one message per run: its key is (manager, run), so a switch run again writes
    nothing new. Returns the number of clients moved."""
    users = {u.id: u for u in await repos.users.list_users()}
    moves: list[tuple[int, int | None, int, date]] = []
    moved: list[tuple[str, int | None, int]] = []
    for client_id, name, previous_id, new_owner_id in changes:
        new_owner = users.get(new_owner_id)
        if new_owner is None or previous_id == new_owner_id:
            continue
        previous = previous_id if previous_id in users else None
        moves.append(
            (client_id, previous_id, new_owner_id, local_date(now, ZoneInfo(new_owner.timezone)))
        )
        moved.append((name, previous, new_owner_id))
    await repos.clients.reassign_many(moves, source=source, actor_id=None, now=now)
    told = [
        (
            users[manager],
            "handover",
            f"import{run_id}" if run_id is not None else now.isoformat(),
            tally_text(counted, users, texts.get(users[manager].language)),
        )
        for manager, counted in tally(new_clients or {}, moved).items()
        if manager in users and users[manager].is_active
    ]
    if told:
        settings = await load_settings(repos)
        await notify_users(repos, told, now=now, quiet=settings.quiet_hours, once=True)
    return len(moves)
