"""ERP export files written by the tests, shaped like 1C's list and report exports."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any


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
