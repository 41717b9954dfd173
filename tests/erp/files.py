"""ERP export files written by the tests, shaped like 1C's list and report exports."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.services.erp_import import ImportSummary, run_import


def csv_1c(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "cp1251",
    delimiter: str = ";",
    title: str = "Реализация товаров и услуг",
    total: bool = True,
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([title])
        writer.writerow(["Период: 01.01.2026 - 31.12.2026"])
        writer.writerow([])
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
        if total:
            writer.writerow(["Итого", *[""] * (len(header) - 1)])
    return path


async def import_rows(
    app: Any,
    tmp_path: Path,
    kind: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    snapshot: bool = False,
    now: datetime | None = None,
) -> ImportSummary:
    """Import these rows as 1C would export them, as the `python -m bot import` command
    does (no actor), as of `now` (the app's clock by default)."""
    path = csv_1c(tmp_path / f"{kind}-{len(rows)}.csv", header, rows)
    return await run_import(
        app.database,
        kind,
        path,
        file_name=path.name,
        snapshot=snapshot,
        actor_id=None,
        now=now or app.clock(),
        texts=app.translator,
    )


def xlsx_1c(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Отчёт по реализациям"])
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    sheet.append(["Итого"])
    book.save(path)
    return path
