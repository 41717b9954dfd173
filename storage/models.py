"""ORM models. Private to storage/: other layers see DTOs from storage.dto."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import MinorUnits, Quantity, UTCDateTime

# Named constraints so Alembic batch mode on SQLite can alter them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    role: Mapped[str] = mapped_column(String(16))
    full_name: Mapped[str] = mapped_column(String(256))
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    digest_hour: Mapped[int] = mapped_column(Integer, default=9)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    erp_name: Mapped[str | None] = mapped_column(String(256))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when Telegram says the user blocked the bot; cleared when they come back.
    unreachable_since: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Only a hash is stored: a leaked database must not admit anyone.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    erp_name: Mapped[str | None] = mapped_column(String(256))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Whoever opens it becomes this existing person (the demo's people), instead of a new user.
    adopt_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict[str, Any]]


class BusinessSetting(Base):
    __tablename__ = "business_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class FsmRecord(Base):
    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class ProcessedUpdate(Base):
    """update_ids handled in the last day, so a replayed update changes nothing."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(index=True)


class OutboxMessage(Base):
    """A message the bot owes someone, kept until Telegram accepted it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # (kind, recipient, subject, day): writing the same notification twice writes one row.
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payload: Mapped[dict[str, Any]]
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    not_before: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    # Message ids of the parts Telegram accepted; a long text resumes after the last one.
    message_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Client(Base):
    __tablename__ = "clients"
    # Branches of one company share an ИНН and differ by КПП; kpp is "" when absent so the
    # pair stays unique (NULLs would never collide).
    __table_args__ = (UniqueConstraint("inn", "kpp", name="uq_clients_inn_kpp"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(512))
    search_key: Mapped[str] = mapped_column(String(512), index=True)
    inn: Mapped[str | None] = mapped_column(String(12))
    kpp: Mapped[str] = mapped_column(String(9), default="")
    # Indexed: a holding's card lists its members.
    holding_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    tier: Mapped[str] = mapped_column(String(1))
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Who set the owner last: "chat" (a person) or "erp" (an import); an import does not
    # silently override a hand-over made in the chat.
    owner_source: Mapped[str] = mapped_column(String(8), default="chat")
    # The manager as the ERP writes them; kept until a user with that name registers.
    erp_manager: Mapped[str | None] = mapped_column(String(256))
    removed_in_erp: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ClientOwnership(Base):
    """Who owned a client from which day: the figures of past periods (plans, summaries,
    ABC) count each document for the manager who owned its client on the document's date.
    Kept by the hand-over (storage/accounts.py); a client without a row has had one owner,
    `clients.owner_id`, all along."""

    __tablename__ = "client_ownerships"
    # Both cover what the figures read: the owner of a client on a day (probed once per
    # document), and the clients an owner had before their current owner.
    __table_args__ = (
        Index("ix_client_ownerships_client", "client_id", "since", "until", "owner_id"),
        Index("ix_client_ownerships_owner", "owner_id", "until", "client_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    since: Mapped[date | None] = mapped_column(Date)  # first day; None: from the beginning
    until: Mapped[date | None] = mapped_column(Date)  # the next owner's first day; None: now


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(256))
    position: Mapped[str | None] = mapped_column(String(256))
    buying_role: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(256))
    birthday: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    is_removed: Mapped[bool] = mapped_column(Boolean, default=False)
    is_erased: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ContactLog(Base):
    """One logged touchpoint with a client (the domain's Contact)."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_client_time", "client_id", "happened_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    channel: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    # Indexed: reports count a period's contacts for any number of managers.
    happened_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]


class FollowUp(Base):
    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_owner_due", "owner_id", "status", "due_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    text: Mapped[str] = mapped_column(Text)
    # The owner's local date; due_at (UTC) only when a time of day was given.
    due_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class Opportunity(Base):
    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(512))
    amount: Mapped[Decimal] = mapped_column(MinorUnits())
    currency: Mapped[str] = mapped_column(String(3))
    stage: Mapped[str] = mapped_column(String(16))
    expected_close: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CompetitorNote(Base):
    __tablename__ = "competitor_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    competitor: Mapped[str] = mapped_column(String(256))
    note: Mapped[str] = mapped_column(Text)
    price_seen: Mapped[Decimal | None] = mapped_column(MinorUnits())
    currency: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime]


class Contract(Base):
    __tablename__ = "contracts"
    __table_args__ = (UniqueConstraint("client_id", "number", name="uq_contracts_client_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    number: Mapped[str] = mapped_column(String(128))
    signed_on: Mapped[date | None] = mapped_column(Date)
    deferral_days: Mapped[int] = mapped_column(Integer, default=0)
    credit_limit: Mapped[Decimal | None] = mapped_column(MinorUnits())
    # Penalty per day overdue, in percent (0.1 = 0.1 % a day), kept as exact text.
    penalty_rate: Mapped[str | None] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    removed_in_erp: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("number", "order_date", name="uq_orders_number_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), index=True)
    order_date: Mapped[date] = mapped_column(Date)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    status: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(MinorUnits())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    ship_date: Mapped[date | None] = mapped_column(Date)
    removed_in_erp: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no", name="uq_order_lines_order_line"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_code: Mapped[str | None] = mapped_column(String(64))
    product_name: Mapped[str] = mapped_column(String(512))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    price: Mapped[Decimal] = mapped_column(MinorUnits())
    amount: Mapped[Decimal] = mapped_column(MinorUnits())
    removed_in_erp: Mapped[bool] = mapped_column(Boolean, default=False)


class Shipment(Base):
    """A shipment (реализация): creates the debt, due after the contract's deferral. A
    negative amount naming a base shipment is a return or correction of it."""

    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("number", "shipped_on", name="uq_shipments_number_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), index=True)
    # Indexed: plan fulfilment sums a month's or a quarter's shipments.
    shipped_on: Mapped[date] = mapped_column(Date, index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    base_shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    amount: Mapped[Decimal] = mapped_column(MinorUnits())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    # Indexed: what fell due lately is read every morning.
    due_on: Mapped[date] = mapped_column(Date, index=True)
    removed_in_erp: Mapped[bool] = mapped_column(Boolean, default=False)
    # What is still owed on it after payments (FIFO), kept up to date by every import of
    # shipments or payments, so reports aggregate it in SQL instead of re-allocating.
    open_amount: Mapped[Decimal | None] = mapped_column(MinorUnits())
    updated_at: Mapped[datetime]


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("number", "paid_on", name="uq_payments_number_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64))
    paid_on: Mapped[date] = mapped_column(Date)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    amount: Mapped[Decimal] = mapped_column(MinorUnits())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    removed_in_erp: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(512))
    search_key: Mapped[str] = mapped_column(String(512), index=True)
    unit: Mapped[str | None] = mapped_column(String(16))
    # 1C's own id (`Ид` of the site exchange: a GUID, `guid#guid` for a variant); a product
    # of a file import gets it when the exchange names the same article.
    onec_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    # The OKEI code of the unit ("796": pieces, which cannot be ordered in fractions).
    unit_code: Mapped[str | None] = mapped_column(String(8))
    removed_in_erp: Mapped[bool] = mapped_column(Boolean, default=False)


class Warehouse(Base):
    """A warehouse 1C's site exchange states stock for."""

    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    onec_id: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(256))
    updated_at: Mapped[datetime]


class StockLevel(Base):
    """What is in stock of a product at a warehouse, as of 1C's last offers package."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("product_id", "warehouse_id", name="uq_stock_levels_product_warehouse"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    updated_at: Mapped[datetime]


class ChatOrder(Base):
    """An order a manager took in the chat, on its way to 1C and back.

    `version` grows with every edit; a `query` of the exchange records the version it sent
    (`queried_version`) and its `success` makes that one `exported_version`: an order edited
    between the two goes out again, and one never confirmed is sent on the next query."""

    __tablename__ = "chat_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    site_id: Mapped[str] = mapped_column(String(36), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    delivery_date: Mapped[date] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(MinorUnits())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    version: Mapped[int] = mapped_column(Integer, default=1)
    queried_version: Mapped[int | None] = mapped_column(Integer)
    exported_version: Mapped[int | None] = mapped_column(Integer)
    exported_at: Mapped[datetime | None]
    onec_number: Mapped[str | None] = mapped_column(String(64))
    onec_date: Mapped[date | None] = mapped_column(Date)
    onec_status: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ChatOrderLine(Base):
    __tablename__ = "chat_order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no", name="uq_chat_order_lines_order_line"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("chat_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    price: Mapped[Decimal] = mapped_column(MinorUnits())
    amount: Mapped[Decimal] = mapped_column(MinorUnits())


class ExchangeRun(Base):
    """One step of 1C's site exchange that did work: a file imported, orders handed over,
    1C's answer about them applied; with its counts, or the reason it failed."""

    __tablename__ = "exchange_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exchange_type: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, Any]]
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]


class Price(Base):
    __tablename__ = "prices"
    __table_args__ = (
        UniqueConstraint("product_id", "effective_from", name="uq_prices_product_from"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    price: Mapped[Decimal] = mapped_column(MinorUnits())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    effective_from: Mapped[date] = mapped_column(Date)
    removed_in_erp: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class ImportRun(Base):
    """One import: its kind, file, counts and when it was applied."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(256))
    snapshot: Mapped[bool] = mapped_column(Boolean, default=False)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, Any]]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    # Touched by every batch of a running import: a run whose heartbeat is old was killed
    # (kill -9, power loss) and is cleared as abandoned. Set by the import's own clock.
    heartbeat_at: Mapped[datetime | None]
    # True while the run prepares or switches, NULL otherwise: the unique index lets one
    # import run at a time across processes (NULLs never collide, on SQLite and PostgreSQL).
    active: Mapped[bool | None] = mapped_column(Boolean, unique=True)


class ApiToken(Base):
    """A token an integration calls the HTTP API with; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class ErpSyncEntity(Base):
    """The live sync's record of one 1C entity (`Document_РеализацияТоваровУслуг`, …): its
    last run, its last success and the error it last met."""

    __tablename__ = "erp_sync_entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    last_run_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class StagedRow(Base):
    """Rows of an import parsed and validated, waiting to be applied in one transaction."""

    __tablename__ = "import_staging"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]


# --- an import's resolved operations, waiting for the switch ---------------------------------
# One table per document table the import writes: its value columns (all nullable), plus the
# run, the operation (insert / update / remove, and for shipments "open": a new open amount
# only) and the target row's id. The switch applies them with a few set-based statements.
PENDING_OPS = ("insert", "update", "remove", "open")


def _pending_table(target: Any, *extra: Column[Any]) -> Table:
    name = f"import_pending_{target.name}"
    return Table(
        name,
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("run_id", ForeignKey("import_runs.id"), nullable=False),
        Column("op", String(8), nullable=False),
        Column("target_id", Integer),
        *(Column(c.name, c.type, nullable=True) for c in target.columns if c.name != "id"),
        *extra,
        Index(f"ix_{name}_run", "run_id", "op", "target_id"),
    )


PENDING: dict[str, Table] = {
    "contracts": _pending_table(Contract.__table__),
    # The status the order had when prepared: each change is audited at the switch.
    "orders": _pending_table(Order.__table__, Column("previous_status", String(64))),
    "order_lines": _pending_table(OrderLine.__table__),
    # A return names its base shipment by number and date: the base may be new in the same
    # file, so its id is known only once the switch has inserted it.
    "shipments": _pending_table(
        Shipment.__table__,
        Column("base_number", String(64)),
        Column("base_shipped_on", Date),
    ),
    "payments": _pending_table(Payment.__table__),
    # Clients: every row of the file has one (op "keep" when its ERP columns are unchanged),
    # carrying the owner the file names (owner_id) and its holding's ERP code, both decided
    # at the switch (a hand-over made in the chat meanwhile wins). "attach": a chat-made
    # prospect with the same ИНН and КПП gets the ERP code.
    "clients": _pending_table(Client.__table__, Column("holding_code", String(64))),
    "products": _pending_table(Product.__table__),
    # A price of a product new in this file has no product id until the switch inserts it.
    "prices": _pending_table(Price.__table__, Column("product_code", String(64))),
}


class ReminderMark(Base):
    """A user's answer to a reminder item: snoozed until a day, or done for good."""

    __tablename__ = "reminder_marks"
    __table_args__ = (
        UniqueConstraint("user_id", "item_kind", "item_id", name="uq_reminder_marks_item"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    item_kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(Integer)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class PriceNotice(Base):
    """A client a manager should tell about a price change, and whether they have."""

    __tablename__ = "price_notices"
    __table_args__ = (
        UniqueConstraint("price_id", "client_id", name="uq_price_notices_price_client"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    price_id: Mapped[int] = mapped_column(ForeignKey("prices.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    old_price: Mapped[Decimal | None] = mapped_column(MinorUnits())
    informed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Department(Base):
    """A department that acts on claims of some categories (quality, logistics, finance)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The department's group chat, if it has one; else members are told privately.
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class DepartmentMember(Base):
    __tablename__ = "department_members"

    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("year", "sequence", name="uq_claims_year_sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(16))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(16))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(MinorUnits())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    internal_deadline: Mapped[date | None] = mapped_column(Date)
    legal_deadline: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class ClaimEvent(Base):
    """Every status change and comment of a claim, with who and when; nothing is deleted."""

    __tablename__ = "claim_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)


class ClaimAttachment(Base):
    __tablename__ = "claim_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(String(256))


class Plan(Base):
    """A sales plan: an amount per manager (and optionally per client) for a period."""

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "client_id", "period_start", "period_end", name="uq_plans_scope"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MinorUnits())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    updated_at: Mapped[datetime]


# The plan before an update, so the switch audits the change as the chat would.
PENDING["plans"] = _pending_table(Plan.__table__, Column("previous_amount", MinorUnits()))
