"""Reading ERP exports: every file is generated in tmp_path, no binary fixtures."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.services.erp_files import (
    ColumnSpec,
    ErpFileError,
    RawRow,
    check_zip_limits,
    detect_delimiter,
    detect_encoding,
    detect_format,
    normalize_header,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    read_rows,
)

MB = 1024 * 1024

# A receivables-like kind: four required columns and two optional ones.
COLUMNS = (
    ColumnSpec("inn", ("ИНН", "ИНН контрагента", "INN", "Tax ID"), required=True),
    ColumnSpec("client", ("Контрагент", "Покупатель", "Client", "Customer"), required=True),
    ColumnSpec("amount", ("Сумма", "Сумма счета", "Сумма документа", "Amount"), required=True),
    ColumnSpec("date", ("Дата", "Дата документа", "Date"), required=True),
    ColumnSpec("deferral_days", ("Отсрочка, дней", "Отсрочка", "Deferral days"), required=False),
    ColumnSpec("manager", ("Ответственный", "Менеджер", "Manager"), required=False),
)

# A 1C report: two title lines, a blank line, a header in odd case with ё and trailing
# punctuation, a blank row between data rows, a total row and a trailing blank line.
ONE_C_CSV = (
    "Реализация товаров и услуг;;;;;\r\n"
    "Период: 01.12.2026 - 31.12.2026;;;;;\r\n"
    "\r\n"
    "№;инн:;КОНТРАГЕНТ;СУММА СЧЁТА:;Дата.;Отсрочка, дней*\r\n"
    '1;7707083893;"ООО ""Ромашка""";1 250 000,50;25.12.2026;30\r\n'
    "2;7736207543;АО «Берёзка»;15 000,00;26.12.2026 0:00:00;\r\n"
    ";;;;;\r\n"
    "3;7710140679;ИП Ёлкин;(1 500,00);27.12.2026;45\r\n"
    ";Итого:;;1 263 500,50;;\r\n"
    "\r\n"
)

EXPECTED_1C = [
    RawRow(
        5,
        {
            "inn": "7707083893",
            "client": 'ООО "Ромашка"',
            "amount": "1 250 000,50",
            "date": "25.12.2026",
            "deferral_days": "30",
            "manager": None,
        },
    ),
    RawRow(
        6,
        {
            "inn": "7736207543",
            "client": "АО «Берёзка»",
            "amount": "15 000,00",
            "date": "26.12.2026 0:00:00",
            "deferral_days": "",
            "manager": None,
        },
    ),
    RawRow(
        8,
        {
            "inn": "7710140679",
            "client": "ИП Ёлкин",
            "amount": "(1 500,00)",
            "date": "27.12.2026",
            "deferral_days": "45",
            "manager": None,
        },
    ),
]


def naive(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    # Excel cells carry no time zone: what openpyxl writes and reads back is naive.
    return datetime(year, month, day, hour, minute)  # noqa: DTZ001


def write_text(tmp_path: Path, name: str, text: str, encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def typed(row: RawRow) -> tuple[str, str, Decimal, date]:
    values = row.values
    return (
        parse_text(values["inn"]),
        parse_text(values["client"]),
        parse_decimal(values["amount"]),
        parse_date(values["date"]),
    )


def reason_of(error: pytest.ExceptionInfo[ErpFileError]) -> str:
    return error.value.reason


# --- CSV ----------------------------------------------------------------------------------


def test_one_c_csv_in_cp1251(tmp_path: Path) -> None:
    path = write_text(tmp_path, "report.csv", ONE_C_CSV, "cp1251")
    assert detect_format(path) == "csv"
    assert detect_encoding(path) == "cp1251"
    rows = list(read_rows(path, COLUMNS))
    assert rows == EXPECTED_1C
    assert [typed(row) for row in rows] == [
        ("7707083893", 'ООО "Ромашка"', Decimal("1250000.50"), date(2026, 12, 25)),
        ("7736207543", "АО «Берёзка»", Decimal("15000.00"), date(2026, 12, 26)),
        ("7710140679", "ИП Ёлкин", Decimal("-1500.00"), date(2026, 12, 27)),
    ]
    assert [parse_int(row.values["deferral_days"]) for row in (rows[0], rows[2])] == [30, 45]


COMMA_CSV = (
    "Реализация товаров и услуг\n"
    '"Период: 01.12.2026 - 31.12.2026"\n'
    "\n"
    "ИНН,Контрагент,Сумма,Дата,Менеджер\n"
    '7707083893,"ООО ""Ромашка"", Москва","1 250 000,50",25.12.2026,"Иванов, И."\n'
    '7736207543,АО «Берёзка»,"15,000.00",2026-12-26,\n'
    ",,,,\n"
    'Итого,,"1 265 000,50",,\n'
)


def test_utf8_bom_csv_with_commas_and_quoted_fields(tmp_path: Path) -> None:
    path = write_text(tmp_path, "report.csv", COMMA_CSV, "utf-8-sig")
    assert detect_encoding(path) == "utf-8-sig"
    rows = list(read_rows(path, COLUMNS))
    assert [row.number for row in rows] == [5, 6]
    assert rows[0].values["client"] == 'ООО "Ромашка", Москва'
    assert rows[0].values["manager"] == "Иванов, И."
    assert rows[1].values["manager"] == ""
    assert rows[0].values["deferral_days"] is None  # the file has no such column
    assert [typed(row) for row in rows] == [
        ("7707083893", 'ООО "Ромашка", Москва', Decimal("1250000.50"), date(2026, 12, 25)),
        ("7736207543", "АО «Берёзка»", Decimal("15000.00"), date(2026, 12, 26)),
    ]


def test_tab_separated_utf8_without_bom(tmp_path: Path) -> None:
    text = (
        "Реализация товаров и услуг\n\n"
        "ИНН\tКонтрагент\tСумма\tДата\n"
        "7707083893\tООО Ромашка, Москва\t1 250 000,50\t25.12.2026\n"
        "7736207543\tАО «Берёзка»\t15\u00a0000,00\t26.12.26\n"
        "Всего\t\t1 265 000,50\t\n"
    )
    path = write_text(tmp_path, "report.txt", text, "utf-8")
    assert detect_encoding(path) == "utf-8"
    rows = list(read_rows(path, COLUMNS))
    assert [row.number for row in rows] == [4, 5]
    assert [typed(row) for row in rows] == [
        ("7707083893", "ООО Ромашка, Москва", Decimal("1250000.50"), date(2026, 12, 25)),
        ("7736207543", "АО «Берёзка»", Decimal("15000.00"), date(2026, 12, 26)),
    ]


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    text = "ИНН\tКонтрагент\tСумма\tДата\r\n7707083893\tООО Ромашка\t100,00\t25.12.2026\r\n"
    path = write_text(tmp_path, "unicode.txt", text, "utf-16")
    assert detect_format(path) == "csv"
    assert detect_encoding(path) == "utf-16"
    rows = list(read_rows(path, COLUMNS))
    assert [typed(row) for row in rows] == [
        ("7707083893", "ООО Ромашка", Decimal("100.00"), date(2026, 12, 25))
    ]


def test_repeated_header_and_caption_rows_are_skipped(tmp_path: Path) -> None:
    text = (
        "Группа;ИНН;Контрагент;Сумма;Дата\n"
        "Москва;;;;\n"  # a group caption in a column the import does not read
        ";7707083893;ООО Ромашка;100,00;25.12.2026\n"
        "Группа;инн;контрагент;сумма;дата\n"  # the header again, on the next printed page
        ";7736207543;Total Energies;200,00;26.12.2026\n"  # a client, not a total row
        ";Всего к оплате;;300,00;\n"
    )
    path = write_text(tmp_path, "pages.csv", text, "utf-8")
    rows = list(read_rows(path, COLUMNS))
    assert [(row.number, row.values["client"]) for row in rows] == [
        (3, "ООО Ромашка"),
        (5, "Total Energies"),
    ]


def test_short_rows_are_padded_with_empty_cells(tmp_path: Path) -> None:
    text = "ИНН;Контрагент;Сумма;Дата;Менеджер\n7707083893;ООО Ромашка\n"
    rows = list(read_rows(write_text(tmp_path, "short.csv", text, "utf-8"), COLUMNS))
    assert rows[0].values == {
        "inn": "7707083893",
        "client": "ООО Ромашка",
        "amount": "",
        "date": "",
        "manager": "",
        "deferral_days": None,
    }


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a;b;c\n1;2;3\n4;5;6\n", ";"),
        ("a,b,c\n1,2,3\n4,5,6\n", ","),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("Отчёт\n\nИНН;Сумма\n1;1 250,50\n2;3,00\n", ";"),
        ("", ";"),
        ("single column\n", ";"),
    ],
)
def test_detect_delimiter(sample: str, expected: str) -> None:
    assert detect_delimiter(sample) == expected


# --- XLSX ---------------------------------------------------------------------------------


def write_xlsx(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Реализация"
    sheet.append(["Реализация товаров и услуг за декабрь 2026"])
    sheet.append([])  # row 2: no cells at all in the file
    sheet.append(["№", "ИНН контрагента", "Покупатель", "Сумма документа:", "Дата документа"])
    sheet.append([1, 7707083893.0, "ООО Ромашка", 1250000.5, naive(2026, 12, 25)])
    sheet.append([2, 500100732259, "  ИП Петров  ", 0.1 + 0.2, naive(2026, 12, 26, 15, 30)])
    sheet.append([])
    sheet.append([3, "7736207543", "АО Берёзка", 15000, 46000])
    sheet.append([None, "Итого", None, 1265000.8, None])
    # The first worksheet is read even when another one is active.
    workbook.create_sheet("Прочее").append(["ИНН", "Контрагент", "Сумма", "Дата"])
    workbook.active = 1
    workbook.save(path)
    return path


def test_xlsx_with_native_cells(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "report.xlsx")
    assert detect_format(path) == "xlsx"
    rows = list(read_rows(path, COLUMNS))
    assert [row.number for row in rows] == [4, 5, 7]
    first = rows[0].values
    assert isinstance(first["inn"], int | float)
    assert isinstance(first["date"], datetime)
    assert first["deferral_days"] is None
    assert rows[1].values["client"] == "ИП Петров"
    assert [typed(row) for row in rows] == [
        ("7707083893", "ООО Ромашка", Decimal("1250000.50"), date(2026, 12, 25)),
        ("500100732259", "ИП Петров", Decimal("0.30"), date(2026, 12, 26)),
        ("7736207543", "АО Берёзка", Decimal("15000.00"), date(2025, 12, 9)),
    ]


def test_xlsx_total_size_limit(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "report.xlsx")
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS, max_uncompressed=1000))
    assert reason_of(error) == "import-error-too-large"
    assert error.value.details == {"limit_mb": 1}
    check_zip_limits(path)  # the defaults let a real workbook through


def make_zip_bomb(path: Path, size: int) -> Path:
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        # Written a megabyte at a time: the bomb never sits in the test's memory whole.
        chunk = bytes(MB)
        for _ in range(size // MB):
            member.write(chunk)
    return path


def test_zip_bomb_is_refused_by_the_ratio_guard(tmp_path: Path) -> None:
    path = make_zip_bomb(tmp_path / "bomb.xlsx", 50 * MB)
    assert path.stat().st_size < MB
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-too-large"
    # The total is well within a 1 GB limit: only the ratio can have refused it.
    with pytest.raises(ErpFileError):
        check_zip_limits(path, max_uncompressed=1024 * MB)
    # A smaller limit on member size catches a smaller bomb the same way.
    small = make_zip_bomb(tmp_path / "small.xlsx", 2 * MB)
    check_zip_limits(small)
    with pytest.raises(ErpFileError):
        check_zip_limits(small, ratio_min_size=MB)


def test_broken_zip_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x01" * 200)
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-format"


def test_zip_that_is_not_a_workbook_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-format"


# --- Refusals -----------------------------------------------------------------------------


def test_missing_required_column(tmp_path: Path) -> None:
    text = "Отчёт\nИНН;Контрагент;Дата;Отсрочка\n7707083893;ООО Ромашка;25.12.2026;30\n"
    path = write_text(tmp_path, "no-amount.csv", text, "cp1251")
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-missing-column"
    assert error.value.details == {"column": "amount"}


def test_no_recognisable_header(tmp_path: Path) -> None:
    text = "Отчёт о продажах\nКод;Наименование;Количество\n1;Гвозди;100\n"
    path = write_text(tmp_path, "other.csv", text, "utf-8")
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-no-header"


def test_header_below_the_scanned_rows_is_not_found(tmp_path: Path) -> None:
    text = "Примечание\n" * 30 + "ИНН;Контрагент;Сумма;Дата\n7707083893;А;1,00;25.12.2026\n"
    path = write_text(tmp_path, "deep.csv", text, "utf-8")
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-no-header"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ErpFileError) as error:
        detect_format(path)
    assert reason_of(error) == "import-error-format"
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-format"


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 16,  # NUL bytes
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),  # a legacy .xls (OLE2)
        bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50,  # control bytes but no NUL
    ],
)
def test_binary_garbage(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(content)
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-format"


def test_file_over_max_bytes(tmp_path: Path) -> None:
    path = write_text(tmp_path, "big.csv", ONE_C_CSV * 4, "cp1251")
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS, max_bytes=1000))
    assert reason_of(error) == "import-error-too-large"
    assert error.value.details == {"limit_mb": 1}


def test_a_cp1251_row_past_the_first_64_kb_of_utf8_is_named(tmp_path: Path) -> None:
    head = "ИНН;Контрагент;Сумма;Дата\n" + "7707083893;ООО Ромашка;1,00;25.12.2026\n" * 2000
    path = tmp_path / "mixed.csv"
    tail = "7707083893;ООО Ёлка;1,00;25.12.2026\n".encode("cp1251")
    path.write_bytes(head.encode("utf-8") + tail)
    with pytest.raises(ErpFileError) as error:
        list(read_rows(path, COLUMNS))
    assert reason_of(error) == "import-error-encoding"
    assert error.value.details == {"row": 2002, "encoding": "UTF-8"}


def test_error_text_and_details() -> None:
    error = ErpFileError("import-error-missing-column", column="inn")
    assert (error.reason, error.details) == ("import-error-missing-column", {"column": "inn"})
    assert str(error) == "import-error-missing-column (column='inn')"
    assert str(ErpFileError("import-error-no-header")) == "import-error-no-header"


def test_ambiguous_aliases_are_a_programming_error(tmp_path: Path) -> None:
    columns = (
        ColumnSpec("a", ("Сумма",), required=True),
        ColumnSpec("b", ("сумма:",), required=True),
    )
    path = write_text(tmp_path, "x.csv", "Сумма\n1\n", "utf-8")
    with pytest.raises(ValueError, match="belongs to both"):
        list(read_rows(path, columns))


# --- Streaming ----------------------------------------------------------------------------


def test_100k_rows_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="cp1251", newline="") as handle:
        handle.write("Реализация товаров и услуг\r\n\r\nИНН;Контрагент;Сумма;Дата;Отсрочка\r\n")
        handle.writelines(
            f"7707083893;ООО Клиент {n};{n} 250,50;25.12.2026;30\r\n" for n in range(100_000)
        )
    size = path.stat().st_size
    started = time.perf_counter()
    tracemalloc.start()
    try:
        count = 0
        last = 0
        for row in read_rows(path, COLUMNS):
            count += 1
            last = row.number
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    print(f"100k rows: file {size / MB:.1f} MB, peak {peak / MB:.2f} MB, {elapsed:.2f} s")
    assert (count, last) == (100_000, 100_003)
    assert peak < 30 * MB
    assert peak < size  # far less than the file: it was never loaded whole


# --- Headers and cell parsers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ИНН:", "инн"),
        ("  Сумма   счёта, руб.* ", "сумма счета, руб"),
        ("Дата\nдокумента", "дата документа"),
        ("ЁЛКА", "елка"),
        ("Amount:.", "amount"),
    ],
)
def test_normalize_header(text: str, expected: str) -> None:
    assert normalize_header(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 250 000,50", "1250000.50"),
        ("1250000.50", "1250000.50"),
        ("1 250 000.50", "1250000.50"),
        ("1\u00a0250\u00a0000,50", "1250000.50"),
        ("1\u202f250\u202f000,50", "1250000.50"),
        ("1,250,000.50", "1250000.50"),
        ("1.250.000,50", "1250000.50"),
        ("1,250,000", "1250000.00"),
        ("1,25", "1.25"),
        ("-1 500,00", "-1500.00"),
        ("\u22121 500,00", "-1500.00"),
        ("(1 500,00)", "-1500.00"),
        ("(1 500,00 руб.)", "-1500.00"),
        ("1 500,00 ₽", "1500.00"),
        ("1500 руб.", "1500.00"),
        ("1500р.", "1500.00"),
        ("$1,500.00", "1500.00"),
        ("+15", "15.00"),
        (" 0 ", "0.00"),
        ("-0,00", "0.00"),
        (",5", "0.50"),
        ("0,500", "0.50"),
        ("1 250,000", "1250.00"),
        (1250000, "1250000.00"),
        (1250000.5, "1250000.50"),
        (0.1 + 0.2, "0.30"),
        (-1500.0, "-1500.00"),
        (Decimal("12.3"), "12.30"),
    ],
)
def test_parse_decimal_good(value: object, expected: str) -> None:
    result = parse_decimal(value)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        None,
        "abc",
        "12a",
        "1.2.3",
        "1,2,3",
        "12 34",  # spaces that do not group by three
        "1 250,000.50",  # mixed thousands separators
        "1.005",  # three decimals
        "1,250",  # 1.25 or 1250? refused rather than guessed
        "100,000",
        "1.500",
        "0.001",
        "1e5",
        "NaN",
        "Infinity",
        "--5",
        "(-5)",
        "100,",
        "1,2 5",
        "²",
        True,
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        Decimal("1.005"),
        "9" * 40,
        date(2026, 1, 1),
    ],
)
def test_parse_decimal_bad(value: object) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        parse_decimal(value)


def test_parse_decimal_float_is_never_converted_directly() -> None:
    # Decimal(0.1) is 0.1000000000000000055511151231257827...; the cents must be exact.
    assert parse_decimal(0.1) == Decimal("0.10")
    assert parse_decimal(1234567.89) == Decimal("1234567.89")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("25.12.2026", date(2026, 12, 25)),
        ("5.1.2026", date(2026, 1, 5)),
        ("25.12.26", date(2026, 12, 25)),
        ("01.01.99", date(1999, 1, 1)),
        ("2026-12-25", date(2026, 12, 25)),
        ("2026-12-25T10:00:00", date(2026, 12, 25)),
        ("25.12.2026 0:00:00", date(2026, 12, 25)),
        ("25.12.2026 13:45", date(2026, 12, 25)),
        (" 25.12.2026 ", date(2026, 12, 25)),
        (naive(2026, 12, 25, 15, 30), date(2026, 12, 25)),
        (date(2026, 12, 25), date(2026, 12, 25)),
        (45000, date(2023, 3, 15)),
        (45000.75, date(2023, 3, 15)),
        (61, date(1900, 3, 1)),
    ],
)
def test_parse_date_good(value: object, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "31.02.2026",
        "25/12/2026",
        "2026-13-01",
        "25.12.2026 garbage",
        "45000",  # a serial number is only meaningful in a numeric cell
        "завтра",
        0,
        -5,
        10**9,
        float("nan"),
        True,
        Decimal("45000"),
    ],
)
def test_parse_date_bad(value: object) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30", 30),
        ("30,0", 30),
        ("30.00", 30),
        (" 45 ", 45),
        ("1 000", 1000),
        ("-5", -5),
        (30, 30),
        (30.0, 30),
        (Decimal("60.0"), 60),
    ],
)
def test_parse_int_good(value: object, expected: int) -> None:
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    "value", ["", None, "30,5", "тридцать", "3e1", 30.5, True, float("inf"), Decimal("NaN")]
)
def test_parse_int_bad(value: object) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        parse_int(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  ООО Ромашка  ", "ООО Ромашка"),
        (7707083893.0, "7707083893"),
        (500100732259, "500100732259"),
        (12.5, "12.5"),
        (Decimal("7707083893"), "7707083893"),
        (Decimal("12.50"), "12.50"),
        (naive(2026, 12, 25), "2026-12-25"),
        (naive(2026, 12, 25, 9, 30), "2026-12-25 09:30:00"),
        (date(2026, 12, 25), "2026-12-25"),
        (True, "True"),
    ],
)
def test_parse_text(value: object, expected: str) -> None:
    assert parse_text(value) == expected
