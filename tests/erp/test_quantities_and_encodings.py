"""Imports of what 1C really writes (issue 14, items 10 and 12): quantities with three
decimals ("12,500" kg), kept exactly; a UTF-8 file with one Windows-1251 row far past its
start is refused naming that row, in the admin's language, and nothing is imported."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.runtime.factory import App
from bot.services.erp_files import ErpFileError
from bot.services.erp_import import run_import
from storage.erp import ErpRepo
from tests.erp.files import import_rows
from tests.factories import make_client, make_user

LINES_HEADER = [
    "Номер заказа",
    "Дата заказа",
    "N",
    "Артикул",
    "Номенклатура",
    "Количество",
    "Цена",
    "Сумма",
]


async def test_quantities_with_three_decimals_are_kept_exactly(app: App, tmp_path: Path) -> None:
    manager = await make_user(app, 6101, name="Иван Иванов")
    client = await make_client(app, "ООО «Ромашка»", manager)
    async with app.database.transaction() as session:
        await session.execute(
            text("UPDATE clients SET external_id = 'К-001' WHERE id = :id"), {"id": client.id}
        )
    orders = await import_rows(
        app,
        tmp_path,
        "orders",
        ["Номер", "Дата", "Код контрагента", "Статус", "Сумма"],
        [["4512", "01.11.2026", "К-001", "В работе", "3 000,00"]],
    )
    assert orders.inserted == 1, orders.rejected

    summary = await import_rows(
        app,
        tmp_path,
        "order_lines",
        LINES_HEADER,
        [
            [
                "4512",
                "01.11.2026",
                "1",
                "Ф-1",
                "Стрейч-плёнка, кг",
                "10,000",
                "120,00",
                "1 200,00",
            ],
            ["4512", "01.11.2026", "2", "Ф-2", "Плёнка ПВД, кг", "12,500", "100,00", "1 250,00"],
            ["4512", "01.11.2026", "3", "Ф-3", "Скотч 48 мм", "1 250,500", "0,44", "550,22"],
            ["4512", "01.11.2026", "4", "Ф-4", "Шпагат, кг", "2,5", "0,00", "0,00"],
            ["4512", "01.11.2026", "5", "Ф-5", "Лента, м", "1,2345", "1,00", "1,23"],
        ],
    )

    assert summary.inserted == 4
    [rejected] = summary.rejected
    assert (rejected.column, rejected.value) == ("quantity", "1,2345")
    assert "more than 3 decimal places" in rejected.reason
    async with app.database.read() as session:
        stored = (
            await session.execute(
                text("SELECT line_no, quantity FROM order_lines ORDER BY line_no")
            )
        ).all()
    # Integer thousandths in the column: exact, whatever the backend.
    assert stored == [(1, 10_000), (2, 12_500), (3, 1_250_500), (4, 2_500)]
    async with app.database.read() as session:
        order_id = await session.scalar(text("SELECT id FROM orders WHERE number = '4512'"))
        lines = await ErpRepo(session).order_lines(order_id)
    assert [line.quantity for line in lines] == [
        Decimal("10"),
        Decimal("12.5"),
        Decimal("1250.5"),
        Decimal("2.5"),
    ]


def _mixed_file(path: Path, *, bad_row: int) -> Path:
    """A UTF-8 export with one row saved in Windows-1251, far past the first 64 KB."""
    header = "Код;Наименование;ИНН\n"
    rows = [f"К-{n:05d};ООО «Ромашка {n}»;\n" for n in range(1, 3001)]
    body = header.encode("utf-8") + b"".join(
        row.encode("cp1251" if n == bad_row - 1 else "utf-8") for n, row in enumerate(rows, 1)
    )
    assert body.find("ООО «Ромашка 2000»".encode("cp1251")) > 64 * 1024
    path.write_bytes(body)
    return path


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_a_row_in_another_encoding_is_named(app: App, tmp_path: Path, language: str) -> None:
    path = _mixed_file(tmp_path / "clients.csv", bad_row=2001)
    with pytest.raises(ErpFileError) as error:
        await run_import(
            app.database,
            "clients",
            path,
            file_name=path.name,
            snapshot=False,
            actor_id=None,
            now=app.clock(),
            texts=app.translator,
        )
    assert error.value.reason == "import-error-encoding"
    assert error.value.details["row"] == 2001
    shown = app.translator.get(language)(
        error.value.reason, **{k: str(v) for k, v in error.value.details.items()}
    )
    assert "2001" in shown and "UTF-8" in shown
    assert ("Строка" if language == "ru" else "Row") in shown
    async with app.database.read() as session:
        assert await session.scalar(text("SELECT count(*) FROM clients")) == 0


async def test_a_whole_windows_1251_file_still_imports(app: App, tmp_path: Path) -> None:
    # tests.erp.files writes what 1C writes: cp1251.
    rows = [[f"К-{n:05d}", f"ООО «Ёлка {n}»", ""] for n in range(1, 3001)]
    summary = await import_rows(app, tmp_path, "clients", ["Код", "Наименование", "ИНН"], rows)
    assert summary.inserted == 3000 and not summary.rejected
    async with app.database.read() as session:
        name = await session.scalar(text("SELECT name FROM clients WHERE external_id = 'К-03000'"))
    assert name == "ООО «Ёлка 3000»"
