"""Bank statements (1CClientBankExchange) as payments: every incoming payment of a client
found by ИНН (and КПП), applied to the shipment its purpose names (or the shipment of the
order or invoice it names), otherwise first-in-first-out; a payment the bot already knows
from 1C (same client and amount, dated within a few days) is not counted twice."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.services.bank_statement import (
    BankPayment,
    BankStatementNote,
    NamedKind,
    incoming_payments,
    parse_statement,
)
from bot.services.erp_files import RawRow
from bot.services.erp_import import ImportSummary, run_import
from bot.services.erp_import.summary import BATCH, Progress
from bot.services.erp_import.validate import Lookups, RowBatches, RowError, document_number
from bot.services.notifications import Texts
from storage.engine import Database
from storage.erp_dto import StoredPayment
from storage.repositories import Repos

# What a bank statement is called where import kinds are named (the shell, the chat).
BANK_KIND = "bank"
# 1C posts a receipt on the day the bank credits it, sometimes a day or two later.
SAME_PAYMENT_DAYS = 3
# Payments read from a bank statement are numbered so, apart from 1C's own receipts: the
# payer's order number is unique only per payer.
BANK_NUMBER = "п/п {number} {inn}"
_TRAILING_DIGITS = re.compile(r"(\d+)\D*$")


@dataclass(slots=True)
class BankImportSummary:
    payments: ImportSummary
    statement_documents: int = 0
    # Incoming payments the bot already had from 1C (its receipts): skipped.
    known: list[BankPayment] = field(default_factory=list)
    # What the reading noticed (a guessed encoding, an unknown version), to tell the user.
    notes: tuple[BankStatementNote, ...] = ()


def looks_like_statement(head: bytes) -> bool:
    """The format's first line, in any of its encodings (it is ASCII in each)."""
    return head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"1CClientBankExchange")


async def import_bank_statement(
    database: Database,
    path: Path,
    *,
    file_name: str,
    actor_id: int | None,
    now: datetime,
    texts: Texts,
    progress: Progress | None = None,
) -> BankImportSummary:
    """Raises BankStatementError (an ErpFileError) for a file that is not a statement."""
    data = await asyncio.to_thread(path.read_bytes)
    statement = await asyncio.to_thread(parse_statement, data)
    received = incoming_payments(statement)
    async with database.read() as session:
        repos = Repos(session)
        look = await Lookups.load(repos.erp)
        clients = {id(p): _client(look, p) for p in received}
        ids = {c for c in clients.values() if c is not None}
        days = [p.received_on for p in received]
        stored = (
            await repos.erp.payments_between(
                ids,
                min(days) - timedelta(days=SAME_PAYMENT_DAYS),
                max(days) + timedelta(days=SAME_PAYMENT_DAYS),
            )
            if ids
            else []
        )
        named_orders = {
            ref.id
            for p in received
            for doc in p.named_documents
            if doc.kind is NamedKind.INVOICE
            for ref in look.orders.get(document_number(doc.number), [])
            if ref.client_id == clients[id(p)]
        }
        order_shipments = await repos.erp.latest_shipments_of_orders(named_orders)
    summary = BankImportSummary(
        ImportSummary("payments"), len(statement.documents), notes=statement.notes
    )
    known_from_erp = _erp_receipts(stored)
    index = _loose_index(look, ids)
    rows: list[RawRow] = []
    for payment in received:
        client_id = clients[id(payment)]
        if client_id is not None and _take_match(known_from_erp, client_id, payment):
            summary.known.append(payment)
            continue
        values = _row(payment, client_id, look, order_shipments, index)
        rows.append(RawRow(payment.line, values))
    summary.payments = await run_import(
        database,
        "payments",
        _batches(rows),
        file_name=file_name,
        snapshot=False,
        actor_id=actor_id,
        now=now,
        texts=texts,
        progress=progress,
    )
    return summary


def bank_number(payment: BankPayment) -> str:
    return BANK_NUMBER.format(number=payment.number, inn=payment.payer_inn or "—")[:64]


def _client(look: Lookups, payment: BankPayment) -> int | None:
    try:
        return look.client({"inn": payment.payer_inn, "kpp": _kpp(payment)})
    except RowError:
        return None


def _kpp(payment: BankPayment) -> str:
    return "" if payment.payer_kpp.strip("0") == "" else payment.payer_kpp


def _erp_receipts(stored: Sequence[StoredPayment]) -> dict[int, list[StoredPayment]]:
    """The client's payments that came from 1C (not from an earlier statement)."""
    by_client: dict[int, list[StoredPayment]] = {}
    for row in stored:
        if not row.number.startswith("п/п "):
            by_client.setdefault(row.client_id, []).append(row)
    return by_client


def _take_match(known: dict[int, list[StoredPayment]], client_id: int, p: BankPayment) -> bool:
    """One stored receipt answers for at most one statement payment."""
    for row in known.get(client_id, []):
        if row.amount == p.amount and abs((row.paid_on - p.received_on).days) <= SAME_PAYMENT_DAYS:
            known[client_id].remove(row)
            return True
    return False


def _row(
    payment: BankPayment,
    client_id: int | None,
    look: Lookups,
    order_shipments: dict[int, str],
    index: dict[tuple[int, str], set[str]],
) -> dict[str, object]:
    values: dict[str, object] = {
        "number": bank_number(payment),
        "date": payment.received_on,
        "inn": payment.payer_inn,
        "kpp": _kpp(payment),
        "amount": payment.amount,
    }
    if client_id is not None:
        shipment = _named_shipment(payment, client_id, look, order_shipments, index)
        if shipment:
            values["shipment"] = shipment
    return values


def _named_shipment(
    payment: BankPayment,
    client_id: int,
    look: Lookups,
    order_shipments: dict[int, str],
    index: dict[tuple[int, str], set[str]],
) -> str | None:
    """The shipment the purpose names: by its number (as stored, or its trailing digits
    without zeros when they name one shipment of the client: "123" for "ТД00-000123"),
    or the latest shipment of the order or invoice it names."""
    for doc in payment.named_documents:
        number = document_number(doc.number)
        if doc.kind is NamedKind.SHIPMENT:
            if any(ref.client_id == client_id for ref in look.shipments.get(number, [])):
                return number
            loose = _loose_match(index, client_id, number)
            if loose:
                return loose
        elif doc.kind is NamedKind.INVOICE:
            for ref in look.orders.get(number, []):
                if ref.client_id == client_id and ref.id in order_shipments:
                    return order_shipments[ref.id]
    return None


def _loose_index(look: Lookups, client_ids: set[int]) -> dict[tuple[int, str], set[str]]:
    """(client, trailing digits without zeros) → the client's shipment numbers ending so."""
    index: dict[tuple[int, str], set[str]] = {}
    for stored, refs in look.shipments.items():
        match = _TRAILING_DIGITS.search(stored)
        if match is None:
            continue
        for ref in refs:
            if ref.client_id in client_ids:
                index.setdefault((ref.client_id, match.group(1).lstrip("0")), set()).add(stored)
    return index


def _loose_match(
    loose: dict[tuple[int, str], set[str]], client_id: int, number: str
) -> str | None:
    digits = _TRAILING_DIGITS.search(number)
    if digits is None:
        return None
    candidates = loose.get((client_id, digits.group(1).lstrip("0")), set())
    return next(iter(candidates)) if len(candidates) == 1 else None


async def _batches(rows: list[RawRow]) -> RowBatches:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]
