"""Quantities as 1C writes them (issue 14, item 10): up to three decimals, exact. In 1C's
Russian exports the comma is the decimal separator and thousands are grouped with spaces,
so "12,500" kg is twelve and a half, where an amount refuses "12,500" as ambiguous.

Encodings (item 12): decided over the whole file, and a row in another encoding than the
rest is refused by its number, never decoded into garbage."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.services.erp_files import (
    ColumnSpec,
    ErpFileError,
    detect_encoding,
    parse_decimal,
    parse_quantity,
    read_rows,
)
from storage.types import Quantity


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10,000", "10"),
        ("12,500", "12.5"),
        ("2,5", "2.5"),
        ("0,125", "0.125"),
        ("1 250,500", "1250.5"),
        ("1\u00a0250,500", "1250.5"),
        ("12.500", "12.5"),
        ("1.250", "1.25"),
        ("1,250.5", "1250.5"),
        ("1.250,5", "1250.5"),
        ("1,000,000", "1000000"),
        ("1 000 000", "1000000"),
        ("100", "100"),
        ("-3,000", "-3"),
        (",5", "0.5"),
        (10, "10"),
        (12.5, "12.5"),
        (0.1 + 0.2, "0.3"),  # an Excel formula's binary noise, as Excel shows it
        (Decimal("12.500"), "12.5"),
    ],
)
def test_parse_quantity_good(value: object, expected: str) -> None:
    assert parse_quantity(value) == Decimal(expected)


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "abc",
        "1,2345",  # four decimals: refused, never rounded
        "0,0001",
        "1 250,000.5",
        "12 5",
        "1,000,5",
        "1e3",
        "NaN",
        "²",
        "9" * 40,
        "1 000 000 000 000 000",  # beyond what the quantity column holds
        1.2345,
        float("inf"),
        True,
    ],
)
def test_parse_quantity_bad(value: object) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        parse_quantity(value)


def test_money_keeps_refusing_the_ambiguous_and_the_third_decimal() -> None:
    for text in ("12,500", "1.500", "1,005"):
        with pytest.raises(ValueError, match=r"ambiguous|decimal"):
            parse_decimal(text)
    assert parse_decimal("12,50") == Decimal("12.50")


def test_the_quantity_column_holds_three_decimals_exactly() -> None:
    column = Quantity()
    for text in ("12.5", "0.001", "999999999999.999", "-3"):
        stored = column.process_bind_param(Decimal(text), None)  # type: ignore[arg-type]
        assert column.process_result_value(stored, None) == Decimal(text)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="more than three decimal places"):
        column.process_bind_param(Decimal("0.0001"), None)  # type: ignore[arg-type]


# --- Encodings (item 12) ------------------------------------------------------------------

COLUMNS = (
    ColumnSpec("code", ("Код",), required=True),
    ColumnSpec("name", ("Наименование",), required=True),
)


def _rows(count: int, start: int = 1) -> list[str]:
    return [f"К-{n:05d};ООО «Ёлка {n}»\n" for n in range(start, start + count)]


def _write(path: Path, parts: list[tuple[str, str]]) -> Path:
    path.write_bytes(b"".join(text.encode(encoding) for text, encoding in parts))
    return path


def test_the_encoding_is_decided_by_the_whole_file(tmp_path: Path) -> None:
    # The header and 64 KB of ASCII first: the old rule saw only that, took the file for
    # UTF-8 and refused it as "not a CSV" at the first Cyrillic row.
    filler = "".join(f"A-{n:05d};Company {n}\n" for n in range(1, 5000))
    parts = [("Код;Наименование\n", "cp1251"), (filler, "ascii")]
    path = _write(tmp_path / "late.csv", [*parts, ("".join(_rows(50, 6000)), "cp1251")])
    assert len(filler) > 64 * 1024
    assert detect_encoding(path) == "cp1251"
    rows = list(read_rows(path, COLUMNS))
    assert rows[-1].values == {"code": "К-06049", "name": "ООО «Ёлка 6049»"}


def test_a_utf8_row_in_a_cp1251_file_is_named_not_garbled(tmp_path: Path) -> None:
    parts = [("Код;Наименование\n", "cp1251"), ("".join(_rows(500)), "cp1251")]
    parts += [("К-00501;ООО «Ромашка»\n", "utf-8"), ("".join(_rows(10, 502)), "cp1251")]
    path = _write(tmp_path / "mixed.csv", parts)
    assert detect_encoding(path) == "cp1251"
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert (error.value.reason, error.value.details) == (
        "import-error-encoding",
        {"row": 502, "encoding": "Windows-1251"},
    )


def test_cp1251s_undefined_byte_is_still_replaced(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes("Код;Наименование\nК-1;ООО «Ёлка»".encode("cp1251") + b"\x98\n")
    [row] = list(read_rows(path, COLUMNS))
    assert row.values["name"] == "ООО «Ёлка»\ufffd"


def test_a_clean_utf8_file_reads_as_before(tmp_path: Path) -> None:
    path = _write(tmp_path / "utf8.csv", [("Код;Наименование\n" + "".join(_rows(3000)), "utf-8")])
    assert detect_encoding(path) == "utf-8"
    assert len(list(read_rows(path, COLUMNS))) == 3000


def test_amounts_and_quantities_beyond_their_columns_are_rejected_rows() -> None:
    # An amount of 10^13 roubles or more would overflow the 64-bit kopeck column (or the
    # sums of a few) and fail the whole apply; as a rejected row the admin sees why.
    assert parse_decimal("9 999 999 999 999,99") == Decimal("9999999999999.99")
    with pytest.raises(ValueError, match="number too large"):
        parse_decimal("10 000 000 000 000,00")
    with pytest.raises(ValueError, match="number too large"):
        parse_quantity("10 000 000 000 000")
