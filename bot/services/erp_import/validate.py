"""Reading a file and validating its rows into the run's staging area: the columns of each
kind, what a row may refer to (loaded once per import), a row's checks and its typed,
resolved form, and the in-file duplicates. The reading and checking run in a worker thread,
a batch at a time, each batch staged in its own short transaction."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from bot.services.client_search import search_key
from bot.services.erp_files import (
    ColumnSpec,
    RawRow,
    parse_date,
    parse_decimal,
    parse_int,
    parse_quantity,
    parse_text,
    read_rows,
)
from bot.services.erp_import.managers import manager_index, match_manager
from bot.services.erp_import.summary import BATCH, ImportSummary, Progress, Rejected
from bot.services.plans import month_of, parse_period
from bot.services.requisites import valid_inn
from storage.dto import Role
from storage.engine import Database
from storage.erp import ErpRepo
from storage.erp_dto import (
    ContractRef,
    DocumentRef,
    ErpClient,
    ErpContract,
    ErpOrder,
    ErpOrderLine,
    ErpPayment,
    ErpPlan,
    ErpPrice,
    ErpRow,
    ErpShipment,
    FileRow,
)
from storage.repositories import Repos

# Validate a file's rows in a worker thread (False: in the event loop, for the benchmark).
VALIDATE_IN_THREAD = True
KINDS = (
    "clients",
    "contracts",
    "orders",
    "order_lines",
    "shipments",
    "payments",
    "prices",
    "plans",
)


def col(name: str, *aliases: str, required: bool = False) -> ColumnSpec:
    return ColumnSpec(name=name, aliases=(name, *aliases), required=required)


CLIENT_REF = (
    col("client_code", "Код контрагента", "Код клиента", "Client code"),
    col("client", "Контрагент", "Покупатель", "Клиент", "Client"),
    col("inn", "ИНН", "ИНН контрагента", "INN", "Tax id"),
    col("kpp", "КПП", "KPP"),
)
COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "clients": (
        col("code", "Код", "Код контрагента", "Code", required=True),
        col("name", "Наименование", "Контрагент", "Наименование полное", "Name", required=True),
        col("inn", "ИНН", "INN"),
        col("kpp", "КПП", "KPP"),
        col("manager", "Менеджер", "Ответственный", "Основной менеджер", "Manager"),
        col("tier", "Категория", "Tier", "ABC"),
        col("holding", "Головной контрагент", "Холдинг", "Holding"),
    ),
    "contracts": (
        *CLIENT_REF,
        col("number", "Договор", "Номер договора", "Номер", "Contract", required=True),
        col("date", "Дата договора", "Дата", "Date"),
        col("deferral", "Отсрочка", "Отсрочка, дней", "Отсрочка платежа", "Deferral"),
        col("credit_limit", "Кредитный лимит", "Лимит", "Credit limit"),
        col("penalty", "Пени", "Ставка пени", "Пени, % в день", "Penalty"),
        col("currency", "Валюта", "Currency"),
    ),
    "orders": (
        col("number", "Номер", "Номер заказа", "Заказ", "Number", required=True),
        col("date", "Дата", "Дата заказа", "Date", required=True),
        *CLIENT_REF,
        col("contract", "Договор", "Contract"),
        col("status", "Статус", "Состояние", "Status"),
        col("amount", "Сумма", "Сумма документа", "Amount", required=True),
        col("ship_date", "Дата отгрузки", "Желаемая дата отгрузки", "Ship date"),
        col("currency", "Валюта", "Currency"),
    ),
    "order_lines": (
        col("order", "Номер заказа", "Заказ", "Order", required=True),
        col("order_date", "Дата заказа", "Дата", "Order date", required=True),
        col("line", "N", "№", "Номер строки", "Line"),
        col("code", "Артикул", "Код номенклатуры", "Code"),
        col("product", "Номенклатура", "Товар", "Product", required=True),
        col("quantity", "Количество", "Quantity", required=True),
        col("price", "Цена", "Price"),
        col("amount", "Сумма", "Amount", required=True),
    ),
    "shipments": (
        col("number", "Номер", "Номер документа", "Number", required=True),
        col("date", "Дата", "Дата документа", "Date", required=True),
        *CLIENT_REF,
        col("contract", "Договор", "Contract"),
        col("order", "Заказ", "Заказ покупателя", "Order"),
        col("amount", "Сумма", "Сумма документа", "Amount", required=True),
        col("due", "Срок оплаты", "Due"),
        col("base", "Основание", "Документ-основание", "Base"),
        col("currency", "Валюта", "Currency"),
    ),
    "payments": (
        col("number", "Номер", "Номер документа", "Number", required=True),
        col("date", "Дата", "Дата документа", "Date", required=True),
        *CLIENT_REF,
        col("contract", "Договор", "Contract"),
        col("shipment", "Документ расчетов", "Реализация", "Shipment"),
        col("amount", "Сумма", "Сумма документа", "Amount", required=True),
        col("currency", "Валюта", "Currency"),
    ),
    "prices": (
        col("code", "Артикул", "Код", "Code", required=True),
        col("product", "Номенклатура", "Наименование", "Product", required=True),
        col("price", "Цена", "Price", required=True),
        col("effective_from", "Дата начала действия", "Дата", "Effective from", required=True),
        col("unit", "Ед. изм.", "Единица", "Unit"),
        col("currency", "Валюта", "Currency"),
    ),
    "plans": (
        # The manager as the ERP writes them, or their Telegram id (in either column).
        col("manager", "Менеджер", "Ответственный", "Сотрудник", "Manager"),
        col("telegram_id", "Telegram ID", "Telegram", "Телеграм"),
        col("period", "Период", "Период плана", "Period", required=True),
        *CLIENT_REF,
        col("amount", "Сумма", "План", "Сумма плана", "Amount", "Plan", required=True),
    ),
}
CONTRACT_NUMBER = re.compile(r"№\s*([^\s,]+)")


class RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass
class Lookups:
    """What rows refer to, loaded once per import (one query each)."""

    by_code: dict[str, int]
    by_inn_kpp: dict[tuple[str, str], int]
    by_inn: dict[str, list[int]]
    by_name: dict[str, list[int]]
    owners: dict[int, int | None]
    contracts: dict[tuple[int, str], ContractRef]
    orders: dict[str, list[DocumentRef]]
    shipments: dict[str, list[DocumentRef]]
    managers: dict[str, int]
    # Loaded for plans only: active managers by Telegram id, and their user ids.
    managers_by_telegram: dict[int, int] = field(default_factory=dict)
    manager_ids: set[int] = field(default_factory=set)

    @classmethod
    async def load(cls, repo: ErpRepo) -> Lookups:
        by_code: dict[str, int] = {}
        by_inn_kpp: dict[tuple[str, str], int] = {}
        by_inn: dict[str, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        owners: dict[int, int | None] = {}
        for client in await repo.client_keys():
            if client.external_id:
                by_code[client.external_id] = client.id
            if client.inn:
                by_inn_kpp[(client.inn, client.kpp)] = client.id
                by_inn.setdefault(client.inn, []).append(client.id)
            by_name.setdefault(client.search_key, []).append(client.id)
            owners[client.id] = client.owner_id
        return cls(
            by_code,
            by_inn_kpp,
            by_inn,
            by_name,
            owners,
            await repo.contract_keys(),
            await repo.order_numbers(),
            await repo.shipment_numbers(),
            manager_index(await repo.users_by_erp_name()),
        )

    def client(self, v: dict[str, Any]) -> int:
        code, inn, kpp = (
            parse_text(v.get("client_code")),
            inn_text(v.get("inn")),
            parse_text(v.get("kpp")),
        )
        name = parse_text(v.get("client"))
        if code and code in self.by_code:
            return self.by_code[code]
        if inn and (inn, kpp) in self.by_inn_kpp:
            return self.by_inn_kpp[(inn, kpp)]
        if inn and len(self.by_inn.get(inn, [])) == 1:
            return self.by_inn[inn][0]
        matches = self.by_name.get(search_key(name), []) if name else []
        if len(matches) == 1:
            return matches[0]
        column = "client_code" if code else "inn" if inn else "client"
        raise RowError(column, "unknown client" if code or inn or name else "no client given")

    def contract(self, client_id: int, text: object) -> ContractRef | None:
        number = contract_number(parse_text(text))
        if not number:
            return None
        found = self.contracts.get((client_id, number))
        if found is None:
            raise RowError("contract", "unknown contract")
        return found

    @staticmethod
    def document(
        docs: dict[str, list[DocumentRef]],
        text: object,
        client_id: int | None,
        column: str,
    ) -> int | None:
        number = document_number(parse_text(text))
        if not number:
            return None
        candidates = [
            d for d in docs.get(number, []) if client_id is None or d.client_id == client_id
        ]
        if not candidates:
            raise RowError(column, "unknown document")
        return max(candidates, key=lambda d: d.day).id  # the latest of that number

    async def load_plan_managers(self, repos: Repos) -> None:
        managers = await repos.users.with_role(Role.MANAGER)
        self.managers_by_telegram = {m.telegram_id: m.id for m in managers}
        self.manager_ids = {m.id for m in managers}


def contract_number(text: str) -> str:
    """1C writes a contract as "Договор № 15/2026 от 01.01.2026": keep the number."""
    match = CONTRACT_NUMBER.search(text)
    return match.group(1) if match else text.strip()


def document_number(text: str) -> str:
    """ "Реализация товаров и услуг 00001 от 01.02.2026" → "00001"; a bare number stays."""
    text = text.strip()
    match = re.search(r"(\S+)\s+от\s+\d", text)
    return match.group(1) if match else text


def inn_text(value: object) -> str:
    """An ИНН read from a number cell loses its leading zero (0105012345 → 105012345)."""
    text = parse_text(value).replace(" ", "")
    if text.isdigit() and len(text) in (9, 11):
        text = "0" + text
    if len(text) > 12:
        raise RowError("inn", "longer than 12 characters")
    return text


def _money(
    v: dict[str, Any], column: str, *, required: bool = True, negative: bool = False
) -> Decimal | None:
    raw = v.get(column)
    if raw in (None, ""):
        if required:
            raise RowError(column, "empty")
        return None
    try:
        amount = parse_decimal(raw)
    except ValueError as exc:
        raise RowError(column, f"not an amount: {exc}") from None
    if amount < 0 and not negative:
        raise RowError(column, "negative amount")
    return amount


def _amount(v: dict[str, Any], column: str, *, negative: bool = False) -> Decimal:
    amount = _money(v, column, negative=negative)
    if amount is None:  # _money raises for a required empty cell; this satisfies the types
        raise RowError(column, "empty")
    return amount


def _date(v: dict[str, Any], column: str, *, required: bool = True) -> date | None:
    raw = v.get(column)
    if raw in (None, ""):
        if required:
            raise RowError(column, "empty")
        return None
    try:
        return parse_date(raw)
    except ValueError:
        raise RowError(column, "not a date") from None


def _day(v: dict[str, Any], column: str) -> date:
    day = _date(v, column)
    if day is None:  # _date raises for a required empty cell; this satisfies the types
        raise RowError(column, "empty")
    return day


def _text(v: dict[str, Any], column: str, limit: int, *, required: bool = False) -> str:
    text = parse_text(v.get(column))
    if required and not text:
        raise RowError(column, "empty")
    if len(text) > limit:
        raise RowError(column, f"longer than {limit} characters")
    return text


def validate_row(kind: str, v: dict[str, Any], look: Lookups) -> ErpRow:
    """One row → what is staged (resolved ids, typed values), or RowError."""
    currency = (_text(v, "currency", 3) or "RUB").upper()
    if kind == "clients":
        inn = inn_text(v.get("inn"))
        if inn and not valid_inn(inn):
            raise RowError("inn", "invalid ИНН")
        tier = _text(v, "tier", 1).upper()
        if tier and tier not in ("A", "B", "C"):
            raise RowError("tier", "tier must be A, B or C")
        return ErpClient(
            external_id=_text(v, "code", 64, required=True),
            name=_text(v, "name", 512, required=True),
            inn=inn or None,
            kpp=_text(v, "kpp", 9),
            tier=tier or None,
            manager=_text(v, "manager", 256) or None,
            holding=_text(v, "holding", 64) or None,
        )
    if kind == "contracts":
        client_id = look.client(v)
        deferral = 0
        if v.get("deferral") not in (None, ""):
            try:
                deferral = parse_int(v.get("deferral"))
            except ValueError:
                raise RowError("deferral", "not a whole number of days") from None
            if not 0 <= deferral <= 3650:
                raise RowError("deferral", "out of range")
        penalty = _money(v, "penalty", required=False)
        signed = _date(v, "date", required=False)
        limit = _money(v, "credit_limit", required=False)
        return ErpContract(
            client_id=client_id,
            number=contract_number(_text(v, "number", 128, required=True)),
            signed_on=signed,
            deferral_days=deferral,
            credit_limit=limit,
            penalty_rate=str(penalty) if penalty is not None else None,
            currency=currency,
        )
    if kind == "orders":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        ship = _date(v, "ship_date", required=False)
        return ErpOrder(
            number=_text(v, "number", 64, required=True),
            order_date=_day(v, "date"),
            client_id=client_id,
            contract_id=contract.id if contract else None,
            status=_text(v, "status", 64),
            amount=_amount(v, "amount"),
            currency=currency,
            ship_date=ship,
        )
    if kind == "order_lines":
        order_day = _date(v, "order_date")
        number = _text(v, "order", 64, required=True)
        matches = [d for d in look.orders.get(document_number(number), []) if d.day == order_day]
        if not matches:
            raise RowError("order", "unknown order")
        try:
            quantity = (
                parse_quantity(v.get("quantity")) if v.get("quantity") not in (None, "") else None
            )
        except ValueError as exc:
            raise RowError("quantity", f"not a quantity: {exc}") from None
        if quantity is None:
            raise RowError("quantity", "empty")
        line = parse_int(v.get("line")) if v.get("line") not in (None, "") else None
        return ErpOrderLine(
            order_id=matches[0].id,
            line_no=line,
            product_code=_text(v, "code", 64) or None,
            product_name=_text(v, "product", 512, required=True),
            quantity=quantity,
            price=_money(v, "price", required=False) or Decimal("0"),
            amount=_amount(v, "amount"),
        )
    if kind == "shipments":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        shipped = _day(v, "date")
        due = _date(v, "due", required=False) or shipped + timedelta(
            days=contract.deferral_days if contract else 0
        )
        amount = _amount(v, "amount", negative=True)
        base = document_number(_text(v, "base", 128))
        return ErpShipment(
            number=_text(v, "number", 64, required=True),
            shipped_on=shipped,
            client_id=client_id,
            contract_id=contract.id if contract else None,
            order_id=Lookups.document(look.orders, v.get("order"), client_id, "order"),
            amount=amount,
            currency=currency,
            due_on=due,
            base=base or None,
        )
    if kind == "payments":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        paid = _day(v, "date")
        return ErpPayment(
            number=_text(v, "number", 64, required=True),
            paid_on=paid,
            client_id=client_id,
            contract_id=contract.id if contract else None,
            shipment_id=Lookups.document(look.shipments, v.get("shipment"), client_id, "shipment"),
            amount=_amount(v, "amount"),
            currency=currency,
        )
    if kind == "plans":
        return _validate_plan(v, look)
    if kind == "prices":
        return ErpPrice(
            code=_text(v, "code", 64, required=True),
            name=_text(v, "product", 512, required=True),
            unit=_text(v, "unit", 16) or None,
            price=_amount(v, "price"),
            effective_from=_day(v, "effective_from"),
            currency=currency,
        )
    raise ValueError(kind)


def _validate_plan(v: dict[str, Any], look: Lookups) -> ErpPlan:
    """A plan row: a manager (ERP name or Telegram id), a period ("11.2026", "Q4 2026",
    "4 кв. 2026", or a date cell: its month), optionally one of their clients, an amount."""
    name = _text(v, "manager", 256)
    telegram, column = parse_text(v.get("telegram_id")).replace(" ", ""), "telegram_id"
    if not telegram and name.isdigit():  # a Telegram id in the manager's column
        telegram, column, name = name, "manager", ""
    if telegram:
        if not telegram.isdigit():
            raise RowError(column, "not a Telegram id")
        user_id = look.managers_by_telegram.get(int(telegram))
        if user_id is None:
            raise RowError(column, "no manager with this Telegram id")
    elif name:
        column = "manager"
        user_id = match_manager(name, look.managers)
        if user_id is None:
            raise RowError(column, "unknown manager")
    else:
        raise RowError("manager", "no manager given")
    if user_id not in look.manager_ids:
        raise RowError(column, "not an active manager")
    raw = v.get("period")
    try:
        if isinstance(raw, date):  # an Excel date cell: that month
            period = month_of(raw.date() if isinstance(raw, datetime) else raw)
        else:
            period = parse_period(parse_text(raw))
    except ValueError:
        raise RowError("period", "not a period (11.2026, Q4 2026, 4 кв. 2026)") from None
    client_id = None
    given = [c.name for c in CLIENT_REF if parse_text(v.get(c.name))]
    if given:
        client_id = look.client(v)
        if look.owners.get(client_id) != user_id:
            raise RowError(given[0], "not this manager's client")
    amount = _money(v, "amount")
    if amount is None or amount <= 0:
        raise RowError("amount", "must be a positive amount")
    return ErpPlan(
        user_id=user_id,
        client_id=client_id,
        period_start=period.start,
        period_end=period.end,
        amount=amount,
    )


def natural_key(row: ErpRow, number: int) -> tuple[object, ...]:
    """What makes a row the same as an earlier one of the file (then it is rejected)."""
    if isinstance(row, ErpPlan):  # a whole-book plan (no client) is one scope too
        return ("plan", row.user_id, row.client_id, row.period_start, row.period_end)
    key: tuple[object, ...]
    if isinstance(row, ErpClient):
        key = (row.external_id,)
    elif isinstance(row, ErpContract):
        key = (row.client_id, row.number)
    elif isinstance(row, ErpOrder):
        key = (row.number, row.order_date)
    elif isinstance(row, ErpOrderLine):
        key = (row.order_id, row.line_no)
    elif isinstance(row, ErpShipment):
        key = (row.number, row.shipped_on)
    elif isinstance(row, ErpPayment):
        key = (row.number, row.paid_on)
    else:
        key = (row.code, row.effective_from)
    return key if None not in key else (number,)


RowBatches = AsyncIterator[list[RawRow]]
"""Rows to import, a batch at a time, from any source: an export file (`file_batches`),
1C's OData interface, a bank statement or the HTTP API. Values are keyed by the canonical
column names of `COLUMNS[kind]` and take what a file's cell may hold (text, numbers,
dates)."""


async def file_batches(path: Path, kind: str, *, max_bytes: int = 20 * 1024 * 1024) -> RowBatches:
    """An export file's rows, read in a worker thread a batch at a time (memory stays flat)."""
    rows: Iterator[RawRow] = read_rows(path, COLUMNS[kind], max_bytes=max_bytes)
    while True:
        batch = await asyncio.to_thread(lambda: list(islice(rows, BATCH)))
        if not batch:
            return
        yield batch


async def stage_file(
    database: Database,
    kind: str,
    path: Path,
    *,
    run_id: int,
    progress: Progress | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    beat: Callable[[], datetime] | None = None,
) -> ImportSummary:
    """Parse and validate the file into the staging area (see `stage_rows`)."""
    return await stage_rows(
        database,
        kind,
        file_batches(path, kind, max_bytes=max_bytes),
        run_id=run_id,
        progress=progress,
        beat=beat,
    )


async def stage_rows(
    database: Database,
    kind: str,
    batches: RowBatches,
    *,
    run_id: int,
    progress: Progress | None = None,
    beat: Callable[[], datetime] | None = None,
) -> ImportSummary:
    """Validate rows into the staging area: each batch is checked in a worker thread and
    staged in its own short transaction (which touches the run's heartbeat)."""
    summary = ImportSummary(kind)
    async with database.read() as session:
        look = await Lookups.load(Repos(session).erp)
        if kind == "plans":
            await look.load_plan_managers(Repos(session))
    seen_in_file: set[tuple[object, ...]] = set()

    def checked(batch: list[RawRow]) -> list[FileRow]:
        staged: list[FileRow] = []
        for raw in batch:
            summary.read += 1
            try:
                row = validate_row(kind, raw.values, look)
            except RowError as exc:
                value = parse_text(raw.values.get(exc.column))[:100]
                summary.rejected.append(Rejected(raw.number, exc.column, exc.reason, value))
                continue
            key = natural_key(row, raw.number)
            inn_key = ("inn", row.inn, row.kpp) if isinstance(row, ErpClient) and row.inn else None
            if key in seen_in_file or inn_key in seen_in_file:
                summary.rejected.append(Rejected(raw.number, "", "repeats an earlier row", ""))
                continue
            seen_in_file.add(key)
            if inn_key:
                seen_in_file.add(inn_key)
            staged.append(FileRow(raw.number, row))
            if isinstance(row, ErpOrder):  # lines in the same import run may name these later
                look.orders.setdefault(row.number, [])
        return staged

    async for batch in batches:
        if VALIDATE_IN_THREAD:
            # Validate in a worker thread: a batch's validation (tens of milliseconds)
            # would otherwise stall every update the bot handles meanwhile.
            staged = await asyncio.to_thread(checked, batch)
        else:  # as before: validated in the loop (bench/import_lock.py --in-loop compares)
            staged = checked(batch)
        await asyncio.sleep(0)  # the loop's turn before this batch's transaction
        async with database.transaction() as session:
            await Repos(session).imports.stage(run_id, staged)
            if beat is not None:
                await Repos(session).imports.beat(run_id, "staging", beat())
        if progress is not None:
            await progress(summary.read)
    return summary
