"""The import repository with its typed rows: what is staged comes back exactly as validated,
and a file's documents resolve against the stored ones into pending operations that the
switch applies."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from storage.dto import ClientCreate
from storage.engine import Database
from storage.erp import ErpRepo, UpsertCounts
from storage.erp_dto import (
    ErpClient,
    ErpContract,
    ErpOrderLine,
    ErpPlan,
    ErpPrice,
    ErpShipment,
    FileRow,
    OpenAmount,
    Staged,
)
from storage.imports import ImportRepo
from storage.repositories import Repos

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _shipment(number: str, amount: str, client_id: int, base: str | None = None) -> ErpShipment:
    return ErpShipment(
        number=number,
        shipped_on=date(2026, 10, 1),
        client_id=client_id,
        contract_id=None,
        order_id=None,
        amount=Decimal(amount),
        currency="RUB",
        due_on=date(2026, 10, 31),
        base=base,
    )


async def _client(database: Database) -> int:
    async with database.transaction() as s:
        client = await Repos(s).clients.create(
            ClientCreate(name="ООО «Ромашка»", search_key="ромашка", external_id="К-1"),
            actor_id=None,
            now=NOW,
        )
    return client.id


async def _run(database: Database, kind: str) -> int:
    async with database.transaction() as s:
        run_id = await ImportRepo(s).start_run(kind, f"{kind}.csv", False, None, NOW)
    assert run_id is not None
    return run_id


async def test_staged_rows_come_back_exactly_as_validated(database: Database) -> None:
    run_id = await _run(database, "order_lines")
    lines = [
        ErpOrderLine(
            order_id=7,
            line_no=None,
            product_code="А-1",
            product_name="Лента 48 мм × 150 м",
            quantity=Decimal("1250.500"),
            price=Decimal("12.50"),
            amount=Decimal("15631.25"),
        ),
        ErpOrderLine(
            order_id=7,
            line_no=2,
            product_code=None,
            product_name="Скотч",
            quantity=Decimal("0.001"),
            price=Decimal("0"),
            amount=Decimal("-0.01"),
        ),
    ]
    async with database.transaction() as s:
        await ImportRepo(s).stage(run_id, [FileRow(5, lines[0]), FileRow(9, lines[1])])
    async with database.read() as s:
        first = await ImportRepo(s).staged(run_id, ErpOrderLine, after_id=0, limit=1)
        rest = await ImportRepo(s).staged(run_id, ErpOrderLine, after_id=first[0].id, limit=10)
    async with database.transaction() as s:
        await ImportRepo(s).finish_run(run_id, "applied", {}, NOW)
    assert [(r.number, r.row) for r in [*first, *rest]] == [(5, lines[0]), (9, lines[1])]
    assert str(rest[0].row.quantity) == "0.001"  # exact, not a float's approximation
    # Every kind's row survives the JSON of the staging table with its types.
    others = [
        ErpClient(
            external_id="К-1",
            name="ООО «Ромашка»",
            inn="7707083893",
            kpp="",
            tier=None,
            manager="Иванов И.И.",
            holding=None,
        ),
        ErpContract(
            client_id=1,
            number="15/2026",
            signed_on=date(2026, 1, 1),
            deferral_days=30,
            credit_limit=Decimal("1000000.00"),
            penalty_rate="0.1",
            currency="RUB",
        ),
        _shipment("В-01", "-4000.00", 1, base="0001"),
        ErpPrice(
            code="А-1",
            name="Гайка",
            unit=None,
            price=Decimal("10.50"),
            effective_from=date(2026, 12, 1),
            currency="RUB",
        ),
        ErpPlan(
            user_id=3,
            client_id=None,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 12, 31),
            amount=Decimal("1000000.00"),
        ),
    ]
    for row in others:
        other_run = await _run(database, "other")
        async with database.transaction() as s:
            await ImportRepo(s).stage(other_run, [FileRow(1, row)])
            await ImportRepo(s).finish_run(other_run, "applied", {}, NOW)
        async with database.read() as s:
            [back] = await ImportRepo(s).staged(other_run, type(row), after_id=0, limit=5)
        assert back == Staged(back.id, 1, row)


async def test_documents_resolve_against_stored_ones_and_the_switch_applies_them(
    database: Database,
) -> None:
    client_id = await _client(database)
    first = await _run(database, "shipments")
    counts = UpsertCounts()
    async with database.transaction() as s:
        repo = ImportRepo(s)
        stored = await repo.pend_documents(
            first,
            [_shipment("0001", "100.00", client_id), _shipment("0002", "50.00", client_id)],
            counts,
            now=NOW,
        )
        pending = await repo.pending_shipments(first, ("insert",), after_id=0, limit=10)
        await repo.set_pending_open(first, [OpenAmount(p.id, p.amount) for p in pending])
        assert await repo.pending_is_consistent("shipments", first)
        await repo.switch_documents("shipments", first, now=NOW)
        assert await repo.finish_run(first, "applied", {}, NOW)
    assert (stored, counts.as_dict()) == (set(), {"inserted": 2, "updated": 0, "unchanged": 0})
    assert [(p.op, p.number, p.amount) for p in pending] == [
        ("insert", "0001", Decimal("100.00")),
        ("insert", "0002", Decimal("50.00")),
    ]

    second = await _run(database, "shipments")
    counts = UpsertCounts()
    async with database.transaction() as s:
        repo = ImportRepo(s)
        ids = await ErpRepo(s).shipment_numbers()
        stored = await repo.pend_documents(
            second,
            [_shipment("0001", "100.00", client_id), _shipment("0002", "70.00", client_id)],
            counts,
            now=NOW,
        )
        changed = await repo.pending_shipments(second, ("update",), after_id=0, limit=10)
        await repo.pend_removals("shipments", second, [ids["0001"][0].id])
        removals = await repo.pending_removals("shipments", second, after_id=0, limit=10)
        await repo.switch_documents("shipments", second, now=NOW)
    assert stored == {ids["0001"][0].id, ids["0002"][0].id}
    assert counts.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 1}
    assert [(p.op, p.target_id, p.amount) for p in changed] == [
        ("update", ids["0002"][0].id, Decimal("70.00"))
    ]
    assert [r.target_id for r in removals] == [ids["0001"][0].id]
    async with database.read() as s:
        facts = await ErpRepo(s).receivable_facts(None)
        kept = await ErpRepo(s).stored_open_amounts(None)
    assert [(f.number, f.amount) for f in facts.shipments] == [("0002", Decimal("70.00"))]
    assert kept == {ids["0002"][0].id: Decimal("50.00")}  # open amounts are the importer's
