"""Claims: register a client's claim and route it to the department that acts; move it
through its statuses with a history; remind of deadlines; claim overdue money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.services.access import AccessDenied, client_for, visible_owners
from bot.services.business_settings import load_settings
from bot.services.claim_deadlines import claim_deadlines, due_reminders
from bot.services.claim_rules import (
    REASON_NOT_ALLOWED,
    Action,
    Actor,
    Category,
    ClaimStatus,
    Direction,
    TransitionError,
    asks_for_text,
    is_open,
    may,
    next_status,
    text_line_key,
)
from bot.services.local_time import user_today
from bot.services.notifications import Texts, notify_chat, notify_user
from bot.services.payment_claims import (
    OverdueItem,
    PaymentClaimDraft,
    payment_claim_draft,
    payment_claim_eligible,
    payment_claim_text,
)
from bot.services.receivables import receivables
from storage.dto import ClaimCreate, ClaimDTO, Role, UserDTO
from storage.repositories import Repos


class ClaimError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ClaimDraft:
    client_id: int
    category: Category
    description: str
    order_id: int | None = None
    shipment_id: int | None = None
    amount: Decimal | None = None
    files: tuple[tuple[str, str], ...] = ()


async def register_claim(
    repos: Repos,
    user: UserDTO,
    draft: ClaimDraft,
    *,
    now: datetime,
    texts: Texts,
    render: Any,
) -> ClaimDTO:
    """A client's claim: numbered, given its internal and legal deadlines (business
    settings, on the company calendar), and sent to the department of its category (its
    group chat, else each member), attachments included."""
    client = await client_for(repos, user, draft.client_id, change=True)
    settings = await load_settings(repos)
    deadlines = claim_deadlines(
        user_today(user, now),
        calendar=settings.business_calendar(),
        internal_business_days=int(settings["claim_internal_days"]),
        legal_calendar_days=int(settings["claim_legal_days"]),
    )
    department = await repos.departments.for_category(draft.category.value)
    claim = await repos.claims.create(
        ClaimCreate(
            direction=Direction.INCOMING.value,
            client_id=client.id,
            manager_id=client.owner_id or user.id,
            category=draft.category.value,
            order_id=draft.order_id,
            shipment_id=draft.shipment_id,
            description=draft.description,
            amount=draft.amount,
            department_id=department.id if department else None,
            status=ClaimStatus.NEW.value,
            internal_deadline=deadlines.internal,
            legal_deadline=deadlines.legal,
        ),
        actor_id=user.id,
        now=now,
    )
    await repos.claims.add_attachments(claim.id, draft.files)
    if department is not None:
        await _to_department(
            repos,
            department.id,
            claim,
            client.name,
            now=now,
            render=render,
            files=list(draft.files),
        )
    return claim


async def _to_department(
    repos: Repos,
    department_id: int,
    claim: ClaimDTO,
    client_name: str,
    *,
    now: datetime,
    render: Any,
    files: list[tuple[str, str]] | None = None,
    kind: str = "claim_new",
    subject: str | None = None,
) -> None:
    department = await repos.departments.get(department_id)
    if department is None:
        return
    subject = subject or str(claim.id)
    documents = await repos.claims.documents(
        order_id=claim.order_id, shipment_id=claim.shipment_id
    )
    if department.chat_id is not None:
        text, markup = render.claim_for_department(None, claim, client_name, documents)
        await notify_chat(
            repos,
            department.chat_id,
            kind=kind,
            subject=subject,
            text=text,
            reply_markup=markup,
            now=now,
            files=files,
        )
        return
    settings = await load_settings(repos)
    for member in await repos.departments.members(department.id):
        text, markup = render.claim_for_department(member, claim, client_name, documents)
        await notify_user(
            repos,
            member,
            kind=kind,
            subject=subject,
            once=True,
            text=text,
            reply_markup=markup,
            now=now,
            quiet=settings.quiet_hours,
            urgent=True,
            files=files,
        )


async def actor_of(repos: Repos, user: UserDTO, claim: ClaimDTO) -> Actor | None:
    if claim.department_id is not None and claim.department_id in await repos.departments.of_user(
        user.id
    ):
        return Actor.DEPARTMENT
    if claim.manager_id == user.id:
        return Actor.MANAGER
    if user.role is Role.ADMIN:
        return Actor.ADMIN
    if user.role is Role.SUPERVISOR:
        owners = await visible_owners(repos, user)
        if owners is not None and claim.manager_id in owners:
            return Actor.SUPERVISOR
    return None


async def claim_for(repos: Repos, user: UserDTO, claim_id: int) -> tuple[ClaimDTO, Actor]:
    claim = await repos.claims.get(claim_id)
    if claim is None:
        raise AccessDenied
    actor = await actor_of(repos, user, claim)
    if actor is None:
        raise AccessDenied
    return claim, actor


def check_allowed(claim: ClaimDTO, actor: Actor, action: Action) -> None:
    """Raise ClaimError unless `actor` may do `action` to the claim now: the check of a
    pressed button, by the rule that decided which buttons to offer. A move that makes no
    sense any more (the claim has moved on) is told apart from one this actor may not make."""
    if action is Action.QUESTION:
        if not may(Direction(claim.direction), ClaimStatus(claim.status), action, actor):
            raise ClaimError(REASON_NOT_ALLOWED)
        return
    try:
        next_status(Direction(claim.direction), ClaimStatus(claim.status), action, actor)
    except TransitionError as exc:
        raise ClaimError(exc.reason) from None


async def act(
    repos: Repos,
    user: UserDTO,
    claim_id: int,
    action: Action,
    *,
    now: datetime,
    texts: Texts,
    comment: str | None = None,
) -> ClaimDTO:
    """Move a claim (take, resolve, reject, reopen, answered). The change, who made it and
    its text (the resolution, the reason for a rejection) are kept; the manager is told at
    once, with the text. A stale button changes nothing."""
    if action is Action.QUESTION:
        raise ValueError("a question moves nothing: add_comment records it")
    comment = (comment or "").strip() or None
    if asks_for_text(action) and comment is None:
        raise ValueError(f"{action.value} needs the resolution or the reason")
    claim, actor = await claim_for(repos, user, claim_id)
    check_allowed(claim, actor, action)
    status = next_status(Direction(claim.direction), ClaimStatus(claim.status), action, actor)
    moved = await repos.claims.change_status(
        claim.id,
        expected=claim.status,
        status=status.value,
        closed=not is_open(status),
        actor_id=user.id,
        now=now,
        text=comment,
    )
    if moved is None:
        raise ClaimError("claim-error-transition")
    manager = await repos.users.get(claim.manager_id)
    if manager is not None and manager.id != user.id and manager.is_active:
        settings = await load_settings(repos)
        l10n = texts.get(manager.language)
        told = l10n(
            "claim-status-changed",
            number=claim.number,
            status=l10n(f"claim-status-{status.value}"),
            actor=user.full_name,
        )
        if comment is not None:
            told += "\n" + l10n(text_line_key(status), text=comment)
        await notify_user(
            repos,
            manager,
            kind="claim_status",
            subject=f"{claim.id}:{status.value}:{now.isoformat()}",
            once=True,
            urgent=True,
            now=now,
            quiet=settings.quiet_hours,
            text=told,
        )
    return moved


async def add_comment(
    repos: Repos,
    user: UserDTO,
    claim_id: int,
    text: str,
    *,
    kind: str,
    now: datetime,
    texts: Texts,
) -> ClaimDTO:
    """A question or comment on a claim; the other side is told. Refused (ClaimError) to
    whom the card does not offer the question."""
    claim, actor = await claim_for(repos, user, claim_id)
    check_allowed(claim, actor, Action.QUESTION)
    await repos.claims.comment(claim.id, kind=kind, text=text, actor_id=user.id, now=now)
    manager = await repos.users.get(claim.manager_id)
    if manager is not None and manager.id != user.id:
        settings = await load_settings(repos)
        await notify_user(
            repos,
            manager,
            kind="claim_comment",
            subject=f"{claim.id}:{now.isoformat()}",
            once=True,
            urgent=True,
            now=now,
            quiet=settings.quiet_hours,
            text=texts.get(manager.language)(
                "claim-question", number=claim.number, actor=user.full_name, text=text
            ),
        )
    return claim


async def run_claim_reminders(repos: Repos, now: datetime, texts: Texts, render: Any) -> int:
    """2 business days before the internal deadline and on the day: the department and the
    manager; 5 days before the legal deadline and when it passes: the manager and their
    supervisor. Each once."""
    settings = await load_settings(repos)
    calendar = settings.business_calendar()
    sent = 0
    for claim in await repos.claims.open_claims():
        manager = await repos.users.get(claim.manager_id)
        if manager is None:
            continue
        today = user_today(manager, now)
        keys = due_reminders(
            today=today,
            internal=claim.internal_deadline or claim.legal_deadline,
            legal=claim.legal_deadline,
            calendar=calendar,
            status=ClaimStatus(claim.status),
        )
        for key in keys:
            recipients = [manager]
            if key.startswith("legal") and manager.supervisor_id:
                supervisor = await repos.users.get(manager.supervisor_id)
                if supervisor is not None:
                    recipients.append(supervisor)
            for person in recipients:
                text = texts.get(person.language)(f"claim-reminder-{key}", number=claim.number)
                sent += int(
                    await notify_user(
                        repos,
                        person,
                        kind="claim_reminder",
                        subject=f"{claim.id}:{key}",
                        once=True,
                        text=text,
                        now=now,
                        quiet=settings.quiet_hours,
                    )
                )
            if key.startswith("internal") and claim.department_id is not None:
                client = await repos.clients.get(claim.client_id)
                await _to_department(
                    repos,
                    claim.department_id,
                    claim,
                    client.name if client else "",
                    now=now,
                    render=render,
                    kind="claim_reminder",
                    subject=f"{claim.id}:{key}:dept",
                )
    return sent


async def prepare_payment_claim(
    repos: Repos, user: UserDTO, client_id: int, *, now: datetime, texts: Texts
) -> tuple[ClaimDTO, PaymentClaimDraft]:
    """Draft a payment claim for a client's shipments overdue beyond the business setting,
    with the contract's penalty where it has a rate, and record it as sent (an outgoing
    claim, with the answer deadline as its legal deadline)."""

    client = await client_for(repos, user, client_id, change=True)
    settings = await load_settings(repos)
    calendar = settings.business_calendar()
    today = user_today(user, now)
    erp = repos.erp
    facts = await erp.receivable_facts([client.id])
    owed = receivables(facts.shipments, facts.payments, today)
    threshold = int(settings["payment_claim_after_days"])
    eligible = [
        item
        for (_, currency), money in owed.items()
        if currency == "RUB"
        for item in money.overdue_oldest_first()
        if payment_claim_eligible(item.days_overdue, threshold)
    ]
    if not eligible:
        raise ClaimError("payment-claim-nothing")
    contracts = {row.id: row for row in await erp.contracts_of([client.id])}
    contract_ids = {item.shipment.contract_id for item in eligible}
    only = next(iter(contract_ids)) if len(contract_ids) == 1 else None
    contract = contracts.get(only) if only is not None else None
    rate = (
        Decimal(contract.penalty_rate) if contract is not None and contract.penalty_rate else None
    )
    draft = payment_claim_draft(
        client_name=client.name,
        client_inn=client.inn,
        contract_number=contract.number if contract is not None else None,
        items=[
            OverdueItem(
                number=i.shipment.number,
                shipped_on=i.shipment.shipped_on,
                due_on=i.shipment.due_on,
                amount=i.remaining,
                days_overdue=i.days_overdue,
            )
            for i in sorted(eligible, key=lambda i: (i.shipment.shipped_on, i.shipment.id))
        ],
        penalty_rate=rate,
        today=today,
        answer_days=int(settings["claim_legal_days"]),
        calendar=calendar,
        manager_name=user.full_name,
    )
    claim = await repos.claims.create(
        ClaimCreate(
            direction=Direction.OUTGOING.value,
            client_id=client.id,
            manager_id=client.owner_id or user.id,
            contract_id=contract.id if contract is not None else None,
            description=payment_claim_text(draft, user.language, texts=texts)[:4000],
            amount=draft.total,
            status=ClaimStatus.SENT.value,
            legal_deadline=draft.answer_deadline,
        ),
        actor_id=user.id,
        now=now,
    )
    return claim, draft
