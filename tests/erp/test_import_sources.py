"""The importer fed by rows instead of a file (what the 1C sync, bank statements and the
HTTP API give it), and the date window of a sync's snapshot."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.services.erp_files import RawRow
from bot.services.erp_import import run_import
from bot.services.erp_import.validate import RowBatches
from storage.erp_dto import DateWindow
from storage.repositories import Repos
from tests.erp.files import csv_1c


async def batches(*rows: dict[str, object], size: int = 2) -> RowBatches:
    raw = [RawRow(number, values) for number, values in enumerate(rows, start=1)]
    for start in range(0, len(raw), size):
        yield raw[start : start + size]


async def _rows(app, kind: str, *rows: dict[str, object], snapshot=False, window=None):
    return await run_import(
        app.database,
        kind,
        batches(*rows),
        file_name=f"test: {kind}",
        snapshot=snapshot,
        window=window,
        actor_id=None,
        now=app.clock(),
        texts=app.translator,
    )


def shipment(number: str, day: date, amount: str) -> dict[str, object]:
    return {"number": number, "date": day, "client_code": "К-001", "amount": amount}


async def _stored_shipments(app) -> dict[str, Decimal]:
    async with app.database.read() as s:
        facts = await Repos(s).erp.receivable_facts(None)
    return {row.number: row.amount for row in facts.shipments}


async def test_rows_import_as_a_file_of_the_same_rows_does(app, tmp_path: Path):
    summary = await _rows(
        app,
        "clients",
        {"code": "К-001", "name": "ООО «Ромашка»", "inn": "7707083893", "kpp": "770701001"},
        {"code": "К-002", "name": "", "inn": "7736207543"},  # no name: rejected
    )
    assert (summary.read, summary.inserted, len(summary.rejected)) == (2, 1, 1)
    assert (summary.rejected[0].row, summary.rejected[0].column) == (2, "name")
    rows = [
        shipment("0001", date(2026, 10, 1), "1250000.50"),
        shipment("0002", date(2026, 10, 2), "20"),
    ]
    first = await _rows(app, "shipments", *rows)
    assert first.inserted == 2
    assert await _stored_shipments(app) == {"0001": Decimal("1250000.50"), "0002": Decimal(20)}
    # The same rows again, now from a file: nothing changes.
    path = csv_1c(
        tmp_path / "s.csv",
        ["Номер", "Дата", "Код контрагента", "Сумма"],
        [
            ["0001", "01.10.2026", "К-001", "1 250 000,50"],
            ["0002", "02.10.2026", "К-001", "20,00"],
        ],
    )
    again = await run_import(
        app.database,
        "shipments",
        path,
        file_name=path.name,
        snapshot=False,
        actor_id=None,
        now=app.clock(),
        texts=app.translator,
    )
    assert (again.unchanged, again.inserted, again.updated) == (2, 0, 0)


async def test_a_windowed_snapshot_removes_only_what_is_dated_within_it(app):
    await _rows(app, "clients", {"code": "К-001", "name": "ООО «Ромашка»"})
    await _rows(
        app,
        "shipments",
        shipment("OLD", date(2026, 8, 1), "100"),  # before the window: kept
        shipment("IN-1", date(2026, 10, 20), "200"),
        shipment("IN-2", date(2026, 11, 1), "300"),  # unposted in 1C since: removed
    )
    window = DateWindow(date(2026, 10, 9), date(2026, 11, 23))
    summary = await _rows(
        app, "shipments", shipment("IN-1", date(2026, 10, 20), "250"), snapshot=True, window=window
    )
    assert (summary.updated, summary.removed) == (1, 1)
    assert await _stored_shipments(app) == {"OLD": Decimal(100), "IN-1": Decimal(250)}
    # Without a window the same snapshot would have removed the older shipment too.
    whole = await _rows(
        app, "shipments", shipment("IN-1", date(2026, 10, 20), "250"), snapshot=True
    )
    assert whole.removed == 1
    assert await _stored_shipments(app) == {"IN-1": Decimal(250)}
