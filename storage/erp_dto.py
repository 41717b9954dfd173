"""Typed data crossing the boundary of the ERP repositories (storage/erp.py, storage/imports.py).

Three shapes, by what crosses:
- rows that cross by the hundred or the hundred thousand: read (the importer's lookups, a
  page of orders or prices, the digest's overdue sums, an import run's pending operations)
  or written (a file's validated rows, the operations they resolve into): NamedTuples,
  named, typed and immutable, yet as cheap to build as the plain tuples and dicts they
  replaced, and still equal to those tuples. The importer's own checks have typed every
  value of a file's row; a validating model (pydantic) or a frozen dataclass would spend a
  tenth of the preparation of a 100,000-row file on building and copying them;
- what the chat shows of one document (an order, its lines, its shipments): frozen pydantic
  models read from the ORM rows, as in storage/dto.py;
- the receivable facts, the pure rules' input (bot/services/receivables.py): frozen slotted
  dataclasses, as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Generic, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict


class DateWindow(NamedTuple):
    """Documents dated from `since` to `until`, both included: what a sync re-reads."""

    since: date
    until: date


class SyncEntityState(BaseModel):
    """What the live sync last did with one 1C entity (or, as entity "*", with 1C itself)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    entity: str
    kind: str
    last_run_at: datetime | None
    last_success_at: datetime | None
    rows_read: int
    rows_changed: int
    rows_rejected: int
    error: str | None


# --- receivable facts --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShipmentFact:
    id: int
    number: str
    shipped_on: date
    due_on: date
    amount: Decimal
    currency: str
    client_id: int
    contract_id: int | None
    base_shipment_id: int | None = None


@dataclass(frozen=True, slots=True)
class PaymentFact:
    id: int
    paid_on: date
    amount: Decimal
    currency: str
    client_id: int
    contract_id: int | None
    shipment_id: int | None = None


class ReceivableFacts(NamedTuple):
    """Every live shipment and payment of some clients."""

    shipments: list[ShipmentFact]
    payments: list[PaymentFact]


class OpenAmount(NamedTuple):
    """What is still owed on a shipment (by the shipment's id, or by its pending row's id
    for a shipment an import will insert)."""

    id: int
    amount: Decimal


# --- the importer's lookups of stored rows ------------------------------------------------------


class ClientKey(NamedTuple):
    """What a file's row may name a client by, and who owns it."""

    id: int
    external_id: str | None
    inn: str | None
    kpp: str
    search_key: str
    owner_id: int | None
    owner_source: str


class ContractRef(NamedTuple):
    id: int
    deferral_days: int


class DocumentRef(NamedTuple):
    """An order or a shipment as a file names it: by number (numbers repeat by year)."""

    id: int
    day: date
    client_id: int


class StoredPayment(NamedTuple):
    id: int
    client_id: int
    paid_on: date
    amount: Decimal
    number: str


class ErpName(NamedTuple):
    """An active user and the name the ERP writes for them."""

    user_id: int
    erp_name: str


class UnownedClient(NamedTuple):
    """A client without an owner, and the manager the ERP names for it."""

    client_id: int
    erp_manager: str


class StoredClient(NamedTuple):
    """The ERP columns of a stored client, as an import compares them with the file's."""

    id: int
    name: str
    search_key: str
    inn: str | None
    kpp: str
    erp_manager: str | None
    removed_in_erp: bool
    tier: str


class StoredProduct(NamedTuple):
    id: int
    code: str
    name: str
    search_key: str
    unit: str | None


class PlanScope(NamedTuple):
    """What a plan is of: a manager, optionally one of their clients, and a period."""

    user_id: int
    client_id: int | None
    period_start: date
    period_end: date


class StoredPlan(NamedTuple):
    id: int
    amount: Decimal


# --- reads for the chat and the jobs ------------------------------------------------------------


class ClientOwner(NamedTuple):
    name: str
    owner_id: int | None


class RecentShipment(NamedTuple):
    number: str
    id: int


class OverdueSum(NamedTuple):
    """What an owner's clients owe past due in one aging bucket (0: the most recent)."""

    owner_id: int
    bucket: int
    amount: Decimal


class NewlyOverdue(NamedTuple):
    """A shipment that fell due lately and is still owed, with its client and owner."""

    owner_id: int
    client_id: int
    client_name: str
    shipment_id: int
    number: str
    due_on: date
    open_amount: Decimal


class ContractTerms(NamedTuple):
    id: int
    client_id: int
    number: str
    credit_limit: Decimal | None
    penalty_rate: str | None  # percent a day, exact text
    deferral_days: int


class OrderRow(NamedTuple):
    """An order in the /orders list: with its client's name and its latest shipment day."""

    id: int
    number: str
    order_date: date
    status: str
    amount: Decimal
    currency: str
    ship_date: date | None
    client_name: str
    shipped: date | None


class PriceLine(NamedTuple):
    """A product with its current price and its next scheduled one."""

    code: str
    name: str
    unit: str | None
    price: Decimal | None
    currency: str | None
    since: date | None
    next_price: Decimal | None
    next_from: date | None


_Item = TypeVar("_Item")


class Page(NamedTuple, Generic[_Item]):
    """Some rows of a list, and how many the whole list has."""

    items: list[_Item]
    total: int


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class OrderDTO(_Frozen):
    id: int
    number: str
    order_date: date
    client_id: int
    contract_id: int | None
    status: str
    amount: Decimal
    currency: str
    ship_date: date | None


class OrderLineDTO(_Frozen):
    id: int
    order_id: int
    line_no: int
    product_code: str | None
    product_name: str
    quantity: Decimal
    price: Decimal
    amount: Decimal


class ShipmentDTO(_Frozen):
    id: int
    number: str
    shipped_on: date
    client_id: int
    contract_id: int | None
    order_id: int | None
    base_shipment_id: int | None
    amount: Decimal
    currency: str
    due_on: date
    open_amount: Decimal | None


# --- a file's rows, validated and resolved (staged as JSON between the steps) -------------------


# A file's row, validated and resolved, is one of the NamedTuples below (one per kind); its
# `date` and `Decimal` fields go through the staging table's JSON as ISO and exact text.


class ErpClient(NamedTuple):
    external_id: str
    name: str
    inn: str | None
    kpp: str
    tier: str | None  # None: the file gives none (a stored client keeps its own)
    manager: str | None  # as the ERP writes them
    holding: str | None  # the holding's ERP code


class ErpContract(NamedTuple):
    client_id: int
    number: str
    signed_on: date | None
    deferral_days: int
    credit_limit: Decimal | None
    penalty_rate: str | None
    currency: str


class ErpOrder(NamedTuple):
    number: str
    order_date: date
    client_id: int
    contract_id: int | None
    status: str
    amount: Decimal
    currency: str
    ship_date: date | None


class ErpOrderLine(NamedTuple):
    order_id: int
    line_no: int | None  # None: numbered by its place in the batch
    product_code: str | None
    product_name: str
    quantity: Decimal
    price: Decimal
    amount: Decimal


class ErpShipment(NamedTuple):
    number: str
    shipped_on: date
    client_id: int
    contract_id: int | None
    order_id: int | None
    amount: Decimal
    currency: str
    due_on: date
    base: str | None  # a return's base shipment, by number


class ErpPayment(NamedTuple):
    number: str
    paid_on: date
    client_id: int
    contract_id: int | None
    shipment_id: int | None
    amount: Decimal
    currency: str


class ErpPrice(NamedTuple):
    code: str
    name: str
    unit: str | None
    price: Decimal
    effective_from: date
    currency: str


class ErpPlan(NamedTuple):
    user_id: int
    client_id: int | None
    period_start: date
    period_end: date
    amount: Decimal


ErpDocument = ErpContract | ErpOrder | ErpOrderLine | ErpShipment | ErpPayment
ErpRow = ErpClient | ErpDocument | ErpPrice | ErpPlan
_Staged = TypeVar("_Staged", bound=tuple[object, ...])


class FileRow(NamedTuple):
    """A validated row and its number in the file."""

    number: int
    row: ErpRow


class Staged(NamedTuple, Generic[_Staged]):
    """A staged row of an import run, read back."""

    id: int
    number: int
    row: _Staged


# --- an import run and its resolved operations ---------------------------------------------------


class ActiveRun(NamedTuple):
    id: int
    kind: str
    file_name: str
    started_at: datetime


class StaleRun(NamedTuple):
    id: int
    kind: str
    file_name: str
    started_by_id: int | None


ClientOp = Literal["insert", "update", "attach", "keep"]


class ClientOperation(NamedTuple):
    """A file's client as the switch will apply it: a new client, an update of a stored one
    ("keep" when its ERP columns are unchanged), or the ERP code attached to a prospect made
    in the chat. Each carries the owner the file names and its holding's code, both decided
    at the switch."""

    op: ClientOp
    external_id: str
    name: str
    search_key: str
    inn: str | None
    kpp: str
    erp_manager: str | None
    tier: str | None
    owner_id: int | None
    holding_code: str | None
    target_id: int | None = None  # the stored client (or the prospect) it updates
    removed_in_erp: bool = False
    # A new client only.
    is_key: bool | None = None
    owner_source: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ProductOperation(NamedTuple):
    op: Literal["insert", "update"]
    code: str
    name: str
    search_key: str
    unit: str | None
    target_id: int | None = None


class PlanOperation(NamedTuple):
    op: Literal["insert", "update"]
    user_id: int
    client_id: int | None
    period_start: date
    period_end: date
    amount: Decimal
    currency: str
    updated_at: datetime
    target_id: int | None = None
    previous_amount: Decimal | None = None  # an update: audited as the chat audits it


class ReturnBase(NamedTuple):
    """A return (by number and date) and the shipment it returns (the same)."""

    number: str
    shipped_on: date
    base_number: str
    base_shipped_on: date


class PendingBase(NamedTuple):
    id: int
    number: str
    shipped_on: date
    base_number: str
    base_shipped_on: date


class PendingRemoval(NamedTuple):
    id: int
    target_id: int


class PendingShipment(NamedTuple):
    """A shipment an import run will insert or update."""

    id: int
    op: str
    target_id: int | None
    number: str
    shipped_on: date
    due_on: date
    amount: Decimal
    currency: str
    client_id: int
    contract_id: int | None


class PendingPayment(NamedTuple):
    """A payment an import run will insert or update."""

    id: int
    op: str
    target_id: int | None
    paid_on: date
    amount: Decimal
    currency: str
    client_id: int
    contract_id: int | None
    shipment_id: int | None


class OwnerChange(NamedTuple):
    """An owner a file asks for, as the client stands at the switch."""

    client_id: int
    code: str
    name: str
    owner_id: int | None
    owner_source: str
    wanted_owner_id: int


@dataclass(frozen=True)
class FirstOwner:
    """The clients new in a file that the switch inserted with one manager as their first
    owner: how many, and the names of the first few (in the file's order)."""

    count: int
    names: list[str]


class ClientSwitch(NamedTuple):
    """What the switch of a clients file leaves to the caller: the owner changes the file
    asks for, and per manager the new clients inserted with them as first owner."""

    owner_changes: list[OwnerChange]
    first_owners: dict[int, FirstOwner]
