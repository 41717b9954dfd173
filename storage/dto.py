"""Typed data crossing the storage boundary: frozen read DTOs and input models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from storage.erp_dto import PaymentFact, ShipmentFact


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    DEPARTMENT = "department"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class UserDTO(_Frozen):
    id: int
    telegram_id: int
    role: Role
    full_name: str
    username: str | None
    language: str
    timezone: str
    digest_hour: int
    supervisor_id: int | None
    erp_name: str | None
    is_active: bool
    unreachable_since: datetime | None
    created_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True, slots=True)
class UpdateContext:
    """What an update brings along from the database: whether it was handled already, its
    sender as a user (None: a stranger), and the sender's dialog state in this chat."""

    handled: bool
    user: UserDTO | None
    fsm_state: str | None
    fsm_data: dict[str, Any]


class UserCreate(BaseModel):
    telegram_id: int
    role: Role
    full_name: str = Field(max_length=256)
    username: str | None = None
    language: str
    timezone: str
    supervisor_id: int | None = None
    erp_name: str | None = Field(default=None, max_length=256)


class UserUpdate(BaseModel):
    """Fields to change; unset fields stay as they are."""

    role: Role | None = None
    supervisor_id: int | None = None
    language: str | None = None
    timezone: str | None = None
    digest_hour: int | None = Field(default=None, ge=0, le=23)
    erp_name: str | None = None
    is_active: bool | None = None
    full_name: str | None = None
    username: str | None = None
    # Only when a person takes over an existing identity (an adoption invite).
    telegram_id: int | None = None


class InviteDTO(_Frozen):
    id: int
    role: Role
    supervisor_id: int | None
    erp_name: str | None
    created_by_id: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by_id: int | None
    adopt_user_id: int | None = None


class InviteCreate(BaseModel):
    code_hash: str
    role: Role
    supervisor_id: int | None = None
    erp_name: str | None = Field(default=None, max_length=256)
    created_by_id: int | None = None
    expires_at: datetime
    adopt_user_id: int | None = None


class AuditEntryDTO(_Frozen):
    id: int
    at: datetime
    actor_id: int | None
    entity: str
    entity_id: str
    action: str
    changes: dict[str, Any]


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # retries exhausted (network, 5xx)
    DEAD = "dead"  # Telegram refused it for good (a 400); the error is kept
    UNREACHABLE = "unreachable"  # the recipient blocked the bot


class OutboxCreate(BaseModel):
    key: str = Field(max_length=255)
    kind: str = Field(max_length=32)
    chat_id: int
    user_id: int | None = None
    payload: dict[str, Any]
    attachment: bytes | None = None
    urgent: bool = False
    not_before: datetime


class OutboxDTO(_Frozen):
    id: int
    key: str
    kind: str
    chat_id: int
    user_id: int | None
    payload: dict[str, Any]
    attachment: bytes | None
    status: OutboxStatus
    urgent: bool
    not_before: datetime
    attempts: int
    lease_owner: str | None
    lease_until: datetime | None
    message_ids: list[int]
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class Tier(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class BuyingRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    OTHER = "other"


class Channel(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    VISIT = "visit"
    EMAIL = "email"
    MESSENGER = "messenger"
    PRESENTATION = "presentation"


class Outcome(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Stage(StrEnum):
    LEAD = "lead"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"

    @property
    def is_open(self) -> bool:
        return self not in (Stage.WON, Stage.LOST)


class ClientCreate(BaseModel):
    name: str = Field(min_length=1, max_length=512)
    search_key: str
    inn: str | None = None
    kpp: str = ""
    tier: Tier = Tier.C
    is_key: bool = False
    owner_id: int | None = None
    holding_id: int | None = None
    external_id: str | None = None
    owner_source: str = "chat"


class ClientUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=512)
    search_key: str | None = None
    tier: Tier | None = None
    is_key: bool | None = None
    holding_id: int | None = None
    kpp: str | None = None


class ClientDTO(_Frozen):
    id: int
    external_id: str | None
    name: str
    inn: str | None
    kpp: str
    holding_id: int | None
    tier: Tier
    is_key: bool
    owner_id: int | None
    owner_source: str
    created_at: datetime


class PersonCreate(BaseModel):
    client_id: int
    full_name: str = Field(min_length=1, max_length=256)
    position: str | None = Field(default=None, max_length=256)
    buying_role: BuyingRole = BuyingRole.OTHER
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=256)
    birthday: date | None = None
    note: str | None = Field(default=None, max_length=4000)


class PersonDTO(_Frozen):
    id: int
    client_id: int
    full_name: str
    position: str | None
    buying_role: BuyingRole
    phone: str | None
    email: str | None
    birthday: date | None
    note: str | None
    is_removed: bool
    is_erased: bool


class ContactCreate(BaseModel):
    client_id: int
    author_id: int
    person_id: int | None = None
    channel: Channel
    summary: str = Field(min_length=1, max_length=4000)
    outcome: Outcome
    happened_at: datetime


class ContactDTO(_Frozen):
    id: int
    client_id: int
    author_id: int
    person_id: int | None
    channel: Channel
    summary: str
    outcome: Outcome
    happened_at: datetime


class FollowUpCreate(BaseModel):
    client_id: int
    owner_id: int
    contact_id: int | None = None
    text: str = Field(min_length=1, max_length=4000)
    due_date: date
    due_at: datetime | None = None


class FollowUpDTO(_Frozen):
    id: int
    client_id: int
    owner_id: int
    contact_id: int | None
    text: str
    due_date: date
    due_at: datetime | None
    status: FollowUpStatus


class OpportunityCreate(BaseModel):
    client_id: int
    owner_id: int
    title: str = Field(min_length=1, max_length=512)
    amount: Decimal = Field(ge=0, decimal_places=2, max_digits=18)
    currency: str = Field(default="RUB", min_length=3, max_length=3)
    stage: Stage = Stage.LEAD
    expected_close: date | None = None


class OpportunityDTO(_Frozen):
    id: int
    client_id: int
    owner_id: int
    title: str
    amount: Decimal
    currency: str
    stage: Stage
    expected_close: date | None


class CompetitorNoteCreate(BaseModel):
    client_id: int
    author_id: int
    competitor: str = Field(min_length=1, max_length=256)
    note: str = Field(min_length=1, max_length=4000)
    price_seen: Decimal | None = Field(default=None, ge=0, decimal_places=2, max_digits=18)
    currency: str | None = None


class CompetitorNoteDTO(_Frozen):
    id: int
    client_id: int
    author_id: int
    competitor: str
    note: str
    price_seen: Decimal | None
    currency: str | None
    created_at: datetime


class ClientLine(_Frozen):
    """A client in a list or agenda, with the one fact the line shows."""

    id: int
    name: str
    tier: Tier
    is_key: bool
    owner_id: int | None
    last_contact_at: datetime | None = None


class DueFollowUp(_Frozen):
    id: int
    client_id: int
    client_name: str
    text: str
    due_date: date
    due_at: datetime | None


class TimelineEntry(_Frozen):
    kind: str  # "contact", "order", "shipment", "payment"; claims join later
    at: datetime
    author: str | None = None
    channel: Channel | None = None
    outcome: Outcome | None = None
    text: str = ""
    # ERP documents: a date, a number and an amount instead of a moment and a summary.
    day: date | None = None
    number: str | None = None
    amount: Decimal | None = None
    currency: str | None = None


class DepartmentDTO(_Frozen):
    id: int
    name: str
    categories: list[str]
    chat_id: int | None


class ClaimDTO(_Frozen):
    id: int
    year: int
    sequence: int
    direction: str
    client_id: int
    manager_id: int
    category: str | None
    order_id: int | None
    shipment_id: int | None
    contract_id: int | None
    description: str
    amount: Decimal | None
    currency: str
    department_id: int | None
    status: str
    internal_deadline: date | None
    legal_deadline: date
    created_at: datetime
    closed_at: datetime | None

    @property
    def number(self) -> str:
        return f"CL-{self.year}-{self.sequence:04d}"


class ClaimCreate(BaseModel):
    direction: str
    client_id: int
    manager_id: int
    category: str | None = None
    order_id: int | None = None
    shipment_id: int | None = None
    contract_id: int | None = None
    description: str = Field(min_length=1, max_length=4000)
    amount: Decimal | None = Field(default=None, ge=0, decimal_places=2, max_digits=18)
    currency: str = "RUB"
    department_id: int | None = None
    status: str
    internal_deadline: date | None = None
    legal_deadline: date


class ClaimEventDTO(_Frozen):
    id: int
    claim_id: int
    at: datetime
    actor_id: int | None
    kind: str
    from_status: str | None
    to_status: str | None
    text: str | None


class ClaimLine(_Frozen):
    """A claim in a list: with its client's name."""

    claim: ClaimDTO
    client_name: str


class ClaimDocumentDTO(_Frozen):
    """The order or shipment a claim is about, as the card names it."""

    kind: str  # "order" or "shipment"
    number: str
    day: date


@dataclass(frozen=True)
class ClientBrief:
    """What a client's card shows, read in one statement (ClientRepo.brief): the client,
    its owner and holding, the holding's members and their open pipeline per currency
    (empty without members), key persons, the last contact, the next open follow-up, open
    opportunities, the latest competitor notes, and its live shipments and payments."""

    client: ClientDTO
    owner: UserDTO | None
    holding: ClientDTO | None
    members: list[ClientLine]
    group_pipeline: dict[str, Decimal]
    persons: list[PersonDTO]
    last_contact: ContactDTO | None
    next_follow_up: FollowUpDTO | None
    opportunities: list[OpportunityDTO]
    competitor_notes: list[CompetitorNoteDTO]
    shipments: list[ShipmentFact]
    payments: list[PaymentFact]
