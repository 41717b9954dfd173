"""Importing ERP (1C) exports: parse and validate into a staging area in short steps, then
apply in one short transaction, so the database is never half-updated and the bot's own
writes wait only for the apply."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from bot.services.client_search import search_key
from bot.services.erp_files import (
    ColumnSpec,
    ErpFileError,
    RawRow,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    read_rows,
)
from bot.services.requisites import valid_inn
from storage.engine import Database
from storage.erp import ErpRepo, UpsertCounts, upsert
from storage.models import Client, Contract, Order, OrderLine, Payment, Price, Product, Shipment
from storage.repositories import Repos

BATCH = 1000
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


@dataclass(frozen=True)
class Rejected:
    row: int
    column: str
    reason: str
    value: str


@dataclass
class ImportSummary:
    kind: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def manager_keys(name: str) -> list[str]:
    """Ways an ERP writes one person, most exact first: "иванов иван иванович",
    "иванов и и" (surname and initials), "иванов и" (surname and first initial)."""
    words = [w for w in re.split(r"[\s.]+", name.lower().replace("ё", "е")) if w]
    if not words:
        return []
    keys = [" ".join(words)]
    if len(words) >= 2:
        keys.append(" ".join([words[0], *(w[0] for w in words[1:])]))
        keys.append(f"{words[0]} {words[1][0]}")
    return list(dict.fromkeys(keys))


def manager_index(users: list[tuple[int, str]]) -> dict[str, int]:
    """key → user, keeping only keys that point at exactly one user (two Ivanovs I. must
    not be confused)."""
    owners: dict[str, set[int]] = {}
    for user_id, erp_name in users:
        for key in manager_keys(erp_name):
            owners.setdefault(key, set()).add(user_id)
    return {key: ids.pop() for key, ids in owners.items() if len(ids) == 1}


def match_manager(name: str, index: dict[str, int]) -> int | None:
    return next((index[k] for k in manager_keys(name) if k in index), None)


@dataclass
class Lookups:
    """What rows refer to, loaded once per import (one query each)."""

    by_code: dict[str, int]
    by_inn_kpp: dict[tuple[str, str], int]
    by_inn: dict[str, list[int]]
    by_name: dict[str, list[int]]
    owners: dict[int, tuple[int | None, str]]
    contracts: dict[tuple[int, str], tuple[int, int]]
    orders: dict[str, list[tuple[int, date, int]]]
    shipments: dict[str, list[tuple[int, date, int]]]
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
        owners: dict[int, tuple[int | None, str]] = {}
        for cid, code, inn, kpp, key, owner, source in await repo.client_keys():
            if code:
                by_code[code] = cid
            if inn:
                by_inn_kpp[(inn, kpp)] = cid
                by_inn.setdefault(inn, []).append(cid)
            by_name.setdefault(key, []).append(cid)
            owners[cid] = (owner, source)
        managers = manager_index(await repo.users_by_erp_name())
        return cls(
            by_code,
            by_inn_kpp,
            by_inn,
            by_name,
            owners,
            await repo.contract_keys(),
            await repo.document_ids(Order),
            await repo.document_ids(Shipment),
            managers,
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

    def contract(self, client_id: int, text: object) -> tuple[int, int] | None:
        number = contract_number(parse_text(text))
        if not number:
            return None
        found = self.contracts.get((client_id, number))
        if found is None:
            raise RowError("contract", "unknown contract")
        return found

    @staticmethod
    def document(
        docs: dict[str, list[tuple[int, date, int]]],
        text: object,
        client_id: int | None,
        column: str,
    ) -> int | None:
        number = document_number(parse_text(text))
        if not number:
            return None
        candidates = [d for d in docs.get(number, []) if client_id is None or d[2] == client_id]
        if not candidates:
            raise RowError(column, "unknown document")
        return max(candidates, key=lambda d: d[1])[0]  # the latest of that number


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


def validate(kind: str, v: dict[str, Any], look: Lookups) -> dict[str, Any]:
    """One row → what is staged (resolved ids, typed values), or RowError."""
    currency = (_text(v, "currency", 3) or "RUB").upper()
    if kind == "clients":
        inn = inn_text(v.get("inn"))
        if inn and not valid_inn(inn):
            raise RowError("inn", "invalid ИНН")
        tier = _text(v, "tier", 1).upper()
        if tier and tier not in ("A", "B", "C"):
            raise RowError("tier", "tier must be A, B or C")
        return {
            "external_id": _text(v, "code", 64, required=True),
            "name": _text(v, "name", 512, required=True),
            "inn": inn or None,
            "kpp": _text(v, "kpp", 9),
            "tier": tier or None,
            "manager": _text(v, "manager", 256) or None,
            "holding": _text(v, "holding", 64) or None,
        }
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
        return {
            "client_id": client_id,
            "number": contract_number(_text(v, "number", 128, required=True)),
            "signed_on": signed.isoformat() if signed else None,
            "deferral_days": deferral,
            "credit_limit": str(limit) if limit is not None else None,
            "penalty_rate": str(penalty) if penalty is not None else None,
            "currency": currency,
        }
    if kind == "orders":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        ship = _date(v, "ship_date", required=False)
        return {
            "number": _text(v, "number", 64, required=True),
            "order_date": _day(v, "date").isoformat(),
            "client_id": client_id,
            "contract_id": contract[0] if contract else None,
            "status": _text(v, "status", 64),
            "amount": str(_money(v, "amount")),
            "currency": currency,
            "ship_date": ship.isoformat() if ship else None,
        }
    if kind == "order_lines":
        order_day = _date(v, "order_date")
        number = _text(v, "order", 64, required=True)
        matches = [d for d in look.orders.get(document_number(number), []) if d[1] == order_day]
        if not matches:
            raise RowError("order", "unknown order")
        try:
            quantity = (
                parse_decimal(v.get("quantity")) if v.get("quantity") not in (None, "") else None
            )
        except ValueError:
            raise RowError("quantity", "not a number") from None
        if quantity is None:
            raise RowError("quantity", "empty")
        line = parse_int(v.get("line")) if v.get("line") not in (None, "") else None
        return {
            "order_id": matches[0][0],
            "line_no": line,
            "product_code": _text(v, "code", 64) or None,
            "product_name": _text(v, "product", 512, required=True),
            "quantity": str(quantity),
            "price": str(_money(v, "price", required=False) or Decimal("0")),
            "amount": str(_money(v, "amount")),
        }
    if kind == "shipments":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        shipped = _day(v, "date")
        due = _date(v, "due", required=False) or shipped + timedelta(
            days=contract[1] if contract else 0
        )
        amount = _money(v, "amount", negative=True)
        base = document_number(_text(v, "base", 128))
        return {
            "number": _text(v, "number", 64, required=True),
            "shipped_on": shipped.isoformat(),
            "client_id": client_id,
            "contract_id": contract[0] if contract else None,
            "order_id": Lookups.document(look.orders, v.get("order"), client_id, "order"),
            "amount": str(amount),
            "currency": currency,
            "due_on": due.isoformat(),
            "base": base or None,
        }
    if kind == "payments":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        paid = _day(v, "date")
        return {
            "number": _text(v, "number", 64, required=True),
            "paid_on": paid.isoformat(),
            "client_id": client_id,
            "contract_id": contract[0] if contract else None,
            "shipment_id": Lookups.document(
                look.shipments, v.get("shipment"), client_id, "shipment"
            ),
            "amount": str(_money(v, "amount")),
            "currency": currency,
        }
    if kind == "plans":
        return _validate_plan(v, look)
    if kind == "prices":
        return {
            "code": _text(v, "code", 64, required=True),
            "name": _text(v, "product", 512, required=True),
            "unit": _text(v, "unit", 16) or None,
            "price": str(_money(v, "price")),
            "effective_from": _day(v, "effective_from").isoformat(),
            "currency": currency,
        }
    raise ValueError(kind)


Progress = Callable[[int], Awaitable[None]]


async def stage_file(
    database: Database,
    kind: str,
    path: Path,
    *,
    run_id: int,
    progress: Progress | None = None,
    max_bytes: int = 20 * 1024 * 1024,
) -> ImportSummary:
    """Parse and validate the file into the staging area: reading happens in a worker
    thread, each batch is its own short transaction."""
    summary = ImportSummary(kind)
    async with database.read() as session:
        look = await Lookups.load(ErpRepo(session))
        if kind == "plans":
            await _load_plan_managers(Repos(session), look)
    rows: Iterator[RawRow] = read_rows(path, COLUMNS[kind], max_bytes=max_bytes)
    seen_in_file: set[tuple[Any, ...]] = set()
    while True:
        batch = await asyncio.to_thread(lambda: list(islice(rows, BATCH)))
        if not batch:
            break
        staged: list[tuple[int, dict[str, Any]]] = []
        for raw in batch:
            summary.read += 1
            try:
                data = validate(kind, raw.values, look)
            except RowError as exc:
                value = parse_text(raw.values.get(exc.column))[:100]
                summary.rejected.append(Rejected(raw.number, exc.column, exc.reason, value))
                continue
            key = _natural_key(kind, data, raw.number)
            inn_key = (
                ("inn", data["inn"], data["kpp"]) if kind == "clients" and data["inn"] else None
            )
            if key in seen_in_file or inn_key in seen_in_file:
                summary.rejected.append(Rejected(raw.number, "", "repeats an earlier row", ""))
                continue
            seen_in_file.add(key)
            if inn_key:
                seen_in_file.add(inn_key)
            staged.append((raw.number, data))
            if kind == "orders":  # lines in the same import run may name these orders later
                look.orders.setdefault(data["number"], [])
        async with database.transaction() as session:
            await ErpRepo(session).stage(run_id, staged)
        if progress is not None:
            await progress(summary.read)
    return summary


def _natural_key(kind: str, data: dict[str, Any], row: int) -> tuple[Any, ...]:
    if kind == "plans":  # a whole-book plan (no client) is one scope too
        return ("plan", data["user_id"], data["client_id"], data["start"], data["end"])
    keys = {
        "clients": ("external_id",),
        "contracts": ("client_id", "number"),
        "orders": ("number", "order_date"),
        "order_lines": ("order_id", "line_no"),
        "shipments": ("number", "shipped_on"),
        "payments": ("number", "paid_on"),
        "prices": ("code", "effective_from"),
    }[kind]
    key = tuple(data[k] for k in keys)
    return key if None not in key else (row,)


async def apply_staged(
    repos: Repos,
    kind: str,
    run_id: int,
    summary: ImportSummary,
    *,
    snapshot: bool,
    now: datetime,
    texts: Any,
    actor_id: int | None = None,
) -> None:
    """Apply the staged rows in the caller's (single, short) transaction."""
    repo = ErpRepo(repos.session)
    counts = UpsertCounts()
    seen: set[int] = set()
    after = 0
    look: Lookups | None = None
    bases: list[tuple[str, str, int, str]] = []
    touched: set[int] = set()
    while True:
        chunk = await repo.staged(run_id, after_id=after, limit=BATCH)
        if not chunk:
            break
        after = chunk[-1][0]
        rows = [data for _, _, data in chunk]
        touched |= {int(r["client_id"]) for r in rows if r.get("client_id") is not None}
        if kind == "clients":
            look = look or await Lookups.load(repo)
            seen |= await _apply_clients(repos, rows, counts, look, summary, now=now, texts=texts)
        elif kind == "plans":
            await _apply_plans(repos, rows, counts, actor_id=actor_id, now=now)
        else:
            seen |= await _apply_documents(repos, kind, rows, counts, now, bases)
    if bases:
        await _link_bases(repo, bases)
    if snapshot and kind in MODELS:  # a plan is never removed: a file sets amounts only
        model = MODELS[kind]
        gone = await repo.all_ids(model) - seen
        summary.removed = await repo.mark_removed(model, gone)
    if kind in ("shipments", "payments"):
        # After a snapshot, documents of clients absent from the file may be gone: all of
        # them are re-allocated; otherwise only the clients the file names.
        await keep_open_amounts(repo, None if snapshot else touched)
    summary.inserted, summary.updated, summary.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )


MODELS: dict[str, Any] = {
    "clients": Client,
    "contracts": Contract,
    "orders": Order,
    "order_lines": OrderLine,
    "shipments": Shipment,
    "payments": Payment,
    "prices": Price,
}


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _m(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


async def keep_open_amounts(repo: ErpRepo, client_ids: set[int] | None) -> None:
    """Re-allocate these clients' payments (None: every client's) and keep each shipment's
    open amount, so reports sum it in SQL. Runs in the import's own transaction."""
    from bot.services.receivables import PaymentFact, ShipmentFact, open_amounts

    if client_ids is not None and not client_ids:
        return
    ship_rows, pay_rows = await repo.receivable_facts(client_ids)
    await repo.set_open_amounts(
        open_amounts([ShipmentFact(*r) for r in ship_rows], [PaymentFact(*r) for r in pay_rows])
    )


async def _link_bases(repo: ErpRepo, bases: list[tuple[str, str, int, str]]) -> None:
    """Point each return or correction at the shipment it names (the latest of that number
    for the same client)."""
    numbers = await repo.document_ids(Shipment)
    links = []
    for number, shipped_on, client_id, base in bases:
        own = [d for d in numbers.get(number, []) if d[1] == date.fromisoformat(shipped_on)]
        candidates = [d for d in numbers.get(base, []) if d[2] == client_id]
        if own and candidates:
            links.append((own[0][0], max(candidates, key=lambda d: d[1])[0]))
    await repo.set_bases(links)


async def _apply_documents(
    repos: Repos,
    kind: str,
    rows: list[dict[str, Any]],
    counts: UpsertCounts,
    now: datetime,
    bases: list[tuple[str, str, int, str]],
) -> set[int]:
    session = repos.session
    alive = {"removed_in_erp": False}
    if kind == "contracts":
        typed = [
            {**r, "signed_on": _d(r["signed_on"]), "credit_limit": _m(r["credit_limit"]), **alive}
            for r in rows
        ]
        ids = await upsert(
            session,
            Contract,
            ("client_id", "number"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
        )
    elif kind == "orders":
        typed = [
            {
                **r,
                "order_date": _d(r["order_date"]),
                "ship_date": _d(r["ship_date"]),
                "amount": _m(r["amount"]),
                **alive,
            }
            for r in rows
        ]
        status_changes: list[tuple[int, Any, Any]] = []
        ids = await upsert(
            session,
            Order,
            ("number", "order_date"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
            track="status",
            tracked=status_changes,
        )
        # The ERP exports only the current status; each change seen by an import is kept,
        # so /order can show the order's history as far as the bot has seen it.
        for order_id, before, after in status_changes:
            await repos.audit.record(
                entity="order",
                entity_id=order_id,
                action="status",
                changes={"status": (before, after)},
                actor_id=None,
                now=now,
            )
    elif kind == "order_lines":
        typed = [
            {
                **r,
                "line_no": r["line_no"] if r["line_no"] is not None else index,
                "quantity": Decimal(r["quantity"]),
                "price": _m(r["price"]),
                "amount": _m(r["amount"]),
                **alive,
            }
            for index, r in enumerate(rows, start=1)
        ]
        ids = await upsert(session, OrderLine, ("order_id", "line_no"), typed, counts)
    elif kind == "shipments":
        # A return names its base shipment by number, perhaps later in this same file:
        # bases are linked once every shipment of the file is in (see _link_bases).
        typed = []
        for r in rows:
            base = r.pop("base", None)
            if base:
                bases.append((r["number"], r["shipped_on"], r["client_id"], base))
            typed.append(
                {
                    **r,
                    "shipped_on": _d(r["shipped_on"]),
                    "due_on": _d(r["due_on"]),
                    "amount": _m(r["amount"]),
                    **alive,
                }
            )
        ids = await upsert(
            session,
            Shipment,
            ("number", "shipped_on"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
        )
    elif kind == "payments":
        typed = [
            {**r, "paid_on": _d(r["paid_on"]), "amount": _m(r["amount"]), **alive} for r in rows
        ]
        ids = await upsert(
            session,
            Payment,
            ("number", "paid_on"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
        )
    elif kind == "prices":
        products = [
            {
                "code": r["code"],
                "name": r["name"],
                "search_key": search_key(r["name"]),
                "unit": r["unit"],
            }
            for r in rows
        ]
        unique_products = list({p["code"]: p for p in products}.values())
        product_ids = await upsert(session, Product, ("code",), unique_products, UpsertCounts())
        typed = [
            {
                "product_id": product_ids[(r["code"],)],
                "price": _m(r["price"]),
                "currency": r["currency"],
                "effective_from": _d(r["effective_from"]),
                **alive,
            }
            for r in rows
        ]
        ids = await upsert(
            session,
            Price,
            ("product_id", "effective_from"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
        )
    else:
        raise ValueError(kind)
    return set(ids.values())


async def _apply_clients(
    repos: Repos,
    rows: list[dict[str, Any]],
    counts: UpsertCounts,
    look: Lookups,
    summary: ImportSummary,
    *,
    now: datetime,
    texts: Any,
) -> set[int]:
    from bot.services.accounts import reassign_client

    typed = []
    wanted_owner: dict[str, int | None] = {}
    for r in rows:
        owner = None
        if r["manager"]:
            owner = next(
                (look.managers[k] for k in manager_keys(r["manager"]) if k in look.managers), None
            )
        wanted_owner[r["external_id"]] = owner
        data = {
            "external_id": r["external_id"],
            "name": r["name"],
            "search_key": search_key(r["name"]),
            "inn": r["inn"],
            "kpp": r["kpp"],
            "erp_manager": r["manager"],
            "removed_in_erp": False,
        }
        if r["tier"]:
            data["tier"] = r["tier"]
        typed.append(data)
    erp = ErpRepo(repos.session)
    for t in typed:
        # A prospect added in the chat that now appears in the ERP: the ERP code attaches
        # to it instead of making a second client with the same ИНН and КПП.
        prospect = look.by_inn_kpp.get((t["inn"], t["kpp"])) if t["inn"] else None
        if t["external_id"] not in look.by_code and prospect is not None:
            await erp.attach_code(prospect, t["external_id"])
            look.by_code[t["external_id"]] = prospect
    new_defaults = {
        "tier": "C",
        "is_key": False,
        "owner_source": "erp",
        "created_at": now,
        "updated_at": now,
    }
    ids = await upsert(
        repos.session,
        Client,
        ("external_id",),
        [t if t["external_id"] in look.by_code else {**new_defaults, **t} for t in typed],
        counts,
    )
    for (code,), client_id in ids.items():
        owner = wanted_owner.get(code)
        current, source = look.owners.get(client_id, (None, "erp"))
        if owner is None or owner == current:
            continue
        if current is not None and source == "chat":
            # A hand-over made in the chat wins; the admin is told of the disagreement.
            summary.conflicts.append(code)
            continue
        await reassign_client(repos, None, client_id, owner, now=now, texts=texts, source="erp")
        look.owners[client_id] = (owner, "erp")
    # Holdings name a parent by its code, possibly in the same file.
    holdings = {r["external_id"]: r["holding"] for r in rows if r["holding"]}
    if holdings:
        codes = await ErpRepo(repos.session).client_keys()
        by_code = {c[1]: c[0] for c in codes if c[1]}
        from storage.dto import ClientUpdate

        for code, parent in holdings.items():
            if parent in by_code and code in by_code and by_code[parent] != by_code[code]:
                await repos.clients.update(
                    by_code[code], ClientUpdate(holding_id=by_code[parent]), actor_id=None, now=now
                )
    return set(ids.values())


async def run_import(
    database: Database,
    kind: str,
    path: Path,
    *,
    file_name: str,
    snapshot: bool,
    actor_id: int | None,
    now: datetime,
    texts: Any,
    progress: Progress | None = None,
    max_bytes: int = 20 * 1024 * 1024,
) -> ImportSummary:
    if kind not in KINDS:
        raise ErpFileError("import-error-kind", kind=kind)
    async with database.transaction() as session:
        run_id = await ErpRepo(session).start_run(kind, file_name, snapshot, actor_id, now)
    try:
        summary = await stage_file(
            database, kind, path, run_id=run_id, progress=progress, max_bytes=max_bytes
        )
        async with database.transaction() as session:
            repos = Repos(session)
            await apply_staged(
                repos,
                kind,
                run_id,
                summary,
                snapshot=snapshot,
                now=now,
                texts=texts,
                actor_id=actor_id,
            )
            await ErpRepo(session).finish_run(run_id, "applied", _counts(summary), now)
            if summary.conflicts:
                await _tell_admins_of_conflicts(repos, summary, now=now, texts=texts)
    except BaseException:
        async with database.transaction() as session:
            await ErpRepo(session).finish_run(run_id, "failed", {}, now)
        raise
    finally:
        async with database.transaction() as session:
            await ErpRepo(session).drop_staged(run_id)
    return summary


def _counts(summary: ImportSummary) -> dict[str, int]:
    return {
        "read": summary.read,
        "inserted": summary.inserted,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": len(summary.rejected),
        "removed": summary.removed,
        "conflicts": len(summary.conflicts),
    }


async def _tell_admins_of_conflicts(
    repos: Repos, summary: ImportSummary, *, now: datetime, texts: Any
) -> None:
    from bot.services.business_settings import load_settings
    from bot.services.notifications import admins, notify_user

    settings = await load_settings(repos)
    for admin in await admins(repos):
        await notify_user(
            repos,
            admin,
            kind="import_conflict",
            subject=f"{now.isoformat()}",
            text=texts.get(admin.language)(
                "import-ownership-conflict",
                count=len(summary.conflicts),
                codes=", ".join(summary.conflicts[:20]),
            ),
            now=now,
            quiet=settings.quiet_hours,
            urgent=True,
        )


def rejected_csv(summary: ImportSummary) -> bytes:
    """The rejected rows with their reasons, for the admin to fix and send again."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["row", "column", "reason", "value"])
    for r in summary.rejected:
        writer.writerow([r.row, r.column, r.reason, r.value])
    return buffer.getvalue().encode("utf-8-sig")


async def attach_erp_clients(repos: Repos, user_id: int, erp_name: str, *, now: datetime) -> int:
    """A user whose ERP name matches clients imported before they registered gets them."""
    index = manager_index([(user_id, erp_name)])
    erp = ErpRepo(repos.session)
    matching = [
        cid
        for cid, manager in await erp.unowned_with_erp_manager()
        if match_manager(manager, index) == user_id
    ]
    for client_id in matching:
        await repos.clients.reassign(client_id, user_id, source="erp", actor_id=None, now=now)
    return len(matching)


# --- plans ------------------------------------------------------------------------------------


async def _load_plan_managers(repos: Repos, look: Lookups) -> None:
    from storage.dto import Role

    managers = await repos.users.with_role(Role.MANAGER)
    look.managers_by_telegram = {m.telegram_id: m.id for m in managers}
    look.manager_ids = {m.id for m in managers}


def _validate_plan(v: dict[str, Any], look: Lookups) -> dict[str, Any]:
    """A plan row: a manager (ERP name or Telegram id), a period ("11.2026", "Q4 2026",
    "4 кв. 2026", or a date cell: its month), optionally one of their clients, an amount."""
    from bot.services.plans import month_of, parse_period

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
        if look.owners.get(client_id, (None, ""))[0] != user_id:
            raise RowError(given[0], "not this manager's client")
    amount = _money(v, "amount")
    if amount is None or amount <= 0:
        raise RowError("amount", "must be a positive amount")
    return {
        "user_id": user_id,
        "client_id": client_id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "amount": str(amount),
    }


async def _apply_plans(
    repos: Repos,
    rows: list[dict[str, Any]],
    counts: UpsertCounts,
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Upsert by (manager, client, period), each change audited as one made in the chat."""
    inserted, updated, unchanged = await repos.plans.upsert_many(
        [
            (
                int(r["user_id"]),
                int(r["client_id"]) if r["client_id"] is not None else None,
                date.fromisoformat(r["start"]),
                date.fromisoformat(r["end"]),
                Decimal(r["amount"]),
            )
            for r in rows
        ],
        actor_id=actor_id,
        now=now,
    )
    counts.inserted += inserted
    counts.updated += updated
    counts.unchanged += unchanged
