"""Reading ERP (1C-style) exports: CSV or XLSX, row by row, in bounded memory.

An export is a table somewhere below a few title lines ("Реализация товаров и услуг",
"Период: ..."). `read_rows` finds the header row by matching known header texts, maps the
columns to canonical names and yields the data rows with the row number a person sees in
Excel, so that an import can say "row 57: the amount is not a number".

Nothing here knows about Telegram or the database. Every failure a user can cause is an
`ErpFileError` carrying a translation key; the cell parsers raise a plain `ValueError`,
which the caller turns into a per-row message.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import warnings
import zipfile
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Literal

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
# Limits on what an XLSX (a ZIP) may unpack to; see `check_zip_limits`.
DEFAULT_MAX_UNCOMPRESSED = 500 * MB
MAX_COMPRESSION_RATIO = 100
RATIO_MIN_MEMBER_SIZE = 10 * MB
# 1C puts a handful of title lines above the header; 30 rows is plenty and keeps a file
# without any header from being scanned to the end.
HEADER_SCAN_ROWS = 30

_FORMAT_SAMPLE_BYTES = 4096
# The delimiter is sniffed from the start of the file; the encoding is decided over all of it.
_DELIMITER_SAMPLE_BYTES = 64 * 1024
_ENCODING_CHUNK_BYTES = 64 * 1024  # memory stays flat however large the file
_DELIMITERS = (";", ",", "\t")
# Sniffer looks at this many non-empty lines; more only slows it down.
_SNIFF_LINES = 50
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control bytes that do not occur in text (everything below 0x20 except whitespace, and
# DOS's end-of-file 0x1A, which old exporters still append).
_BINARY_BYTES = frozenset(range(32)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A}


class ErpFileError(Exception):
    """A file the import cannot read. `reason` is a translation key; `details` are the
    message's arguments."""

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details: dict[str, object] = details

    def __str__(self) -> str:
        if not self.details:
            return self.reason
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.details.items())
        return f"{self.reason} ({arguments})"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a kind of export: its canonical name and the header texts it goes by
    (Russian and English, in any case; they are compared through `normalize_header`)."""

    name: str
    aliases: tuple[str, ...]
    required: bool


@dataclass(frozen=True, slots=True)
class RawRow:
    """A data row: `number` is 1-based as Excel shows it; `values` maps every requested
    column to its cell. CSV cells are stripped strings ("" when empty); XLSX cells keep
    their type (str stripped, int, float, datetime, None when empty). A column the file
    does not have (an optional one) is None."""

    number: int
    values: dict[str, object]


# --- Format, encoding and delimiter -------------------------------------------------------


def detect_format(path: Path) -> Literal["csv", "xlsx"]:
    """XLSX is a ZIP; anything else is taken for a text CSV unless it looks binary.

    Decided by content, not the extension: Telegram users rename files freely, and 1C
    saves "CSV" under whatever name the user typed. A legacy .xls (OLE2) or any other
    binary lands in the binary check and is refused as an unknown format."""
    with path.open("rb") as handle:
        head = handle.read(_FORMAT_SAMPLE_BYTES)
    if not head:
        raise ErpFileError("import-error-format")
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_UTF16_BOMS):
        # Excel's "Unicode text" is UTF-16 with a BOM: full of NUL bytes, yet text.
        return "csv"
    if b"\x00" in head:
        raise ErpFileError("import-error-format")
    # A few stray control bytes may be noise; many mean the file is not text at all.
    if sum(1 for byte in head if byte in _BINARY_BYTES) * 20 > len(head):
        raise ErpFileError("import-error-format")
    return "csv"


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without a BOM) or Windows-1251, the encoding 1C uses for its
    "Windows" text exports, decided over the whole file rather than its start.

    cp1251 decodes nearly any byte, so it cannot be detected positively; UTF-8 can, since
    Cyrillic cp1251 text is almost never valid UTF-8: nearly every letter of it is an
    invalid UTF-8 sequence. So the file is UTF-8 when more of its non-ASCII characters
    decode as UTF-8 than fail to, else cp1251. A file that mixes the two (a row pasted from
    another export) is then refused by the reader, naming the odd row: see
    `_checked_cells`. Reading 20 MB once more costs some 50 ms; guessing from the first
    64 KB cost a whole import."""
    with path.open("rb") as handle:
        start = handle.read(len(codecs.BOM_UTF8))
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith(_UTF16_BOMS):
            return "utf-16"
        handle.seek(0)
        # Incremental: a chunk may end in the middle of a multi-byte character.
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        undecodable = decoded = 0
        while True:
            chunk = handle.read(_ENCODING_CHUNK_BYTES)
            text = decoder.decode(chunk, final=not chunk)
            if not text.isascii():
                failed = text.count("\ufffd")
                undecodable += failed
                decoded += len(text) - len(text.encode("ascii", "ignore")) - failed
            if not chunk:
                break
    return "utf-8" if decoded > undecodable or not undecodable else "cp1251"


def detect_delimiter(sample: str) -> str:
    """`;`, `,` or a tab: csv.Sniffer first, else the most frequent of the three on the
    first non-empty lines (ties go to `;`, 1C's default)."""
    lines = [line for line in sample.splitlines() if line.strip()][:_SNIFF_LINES]
    if not lines:
        return _DELIMITERS[0]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(_DELIMITERS))
    except csv.Error:
        # Title lines without delimiters above the table often defeat the Sniffer's
        # consistency test.
        pass
    else:
        if sniffed.delimiter in _DELIMITERS:
            return sniffed.delimiter
    return _most_frequent_delimiter(lines)


def _most_frequent_delimiter(lines: Sequence[str]) -> str:
    counts = {
        delimiter: sum(line.count(delimiter) for line in lines[:10]) for delimiter in _DELIMITERS
    }
    # max() keeps the first of equal counts, so ";" wins a tie.
    return max(_DELIMITERS, key=lambda delimiter: counts[delimiter])


def _delimiter_candidates(path: Path, encoding: str) -> list[str]:
    """The detected delimiter first, then the others: the header search tries them in
    this order, so a wrong guess costs a re-read of 30 rows instead of a failed import."""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(_DELIMITER_SAMPLE_BYTES)
        if handle.read(1) and "\n" in sample:
            # Drop the last line: it is probably cut in the middle.
            sample = sample[: sample.rfind("\n")]
    lines = [line for line in sample.splitlines() if line.strip()][:_SNIFF_LINES]
    ordered = [detect_delimiter(sample), _most_frequent_delimiter(lines), *_DELIMITERS]
    return list(dict.fromkeys(ordered))


# --- ZIP guard ----------------------------------------------------------------------------


def check_zip_limits(
    path: Path,
    *,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_ratio: int = MAX_COMPRESSION_RATIO,
    ratio_min_size: int = RATIO_MIN_MEMBER_SIZE,
) -> None:
    """Refuse a ZIP that would unpack to more than `max_uncompressed` bytes in total, or
    that has a member larger than `ratio_min_size` compressed more than `max_ratio`:1
    (real spreadsheets compress about 10:1; a zip bomb, thousands to one).

    Reading the declared sizes is enough: Python's zipfile never returns more than a
    member's declared size (a member that inflates further fails its CRC check), so an
    archive cannot lie its way past this check."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise ErpFileError("import-error-format") from error
    total = 0
    for member in members:
        total += member.file_size
        too_compressed = member.file_size > max_ratio * member.compress_size
        if member.file_size > ratio_min_size and too_compressed:
            raise ErpFileError("import-error-too-large", limit_mb=_megabytes(max_uncompressed))
    if total > max_uncompressed:
        raise ErpFileError("import-error-too-large", limit_mb=_megabytes(max_uncompressed))


def _megabytes(size: int) -> int:
    return max(1, round(size / MB))


# --- Record streams -----------------------------------------------------------------------


def _csv_records(path: Path, encoding: str, delimiter: str) -> Generator[list[str]]:
    # Bytes the encoding cannot decode become lone surrogates (surrogateescape) instead of
    # an error somewhere in a read-ahead buffer: each record is then checked, so the one
    # written in another encoding is named by its row (UTF-16 stays strict).
    errors = "strict" if encoding == "utf-16" else "surrogateescape"
    number = 0
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for row in reader:
                number += 1
                yield _checked_cells([cell.strip() for cell in row], encoding, number)
        except (csv.Error, UnicodeDecodeError) as error:
            raise ErpFileError("import-error-format", row=number + 1) from error


_UNDECODED = re.compile("[\udc80-\udcff]")  # a byte surrogateescape left undecoded
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1251": "Windows-1251"}
# а–я are the bytes 0xE0–0xFF in cp1251, none of them a UTF-8 continuation byte: two in a
# row cannot be UTF-8, and a quick search spares nearly every Russian row the re-decoding.
_TWO_SMALL_LETTERS = re.compile("[а-я]{2}")


def _checked_cells(cells: list[str], encoding: str, number: int) -> list[str]:
    """The cells of record `number`, refused when the record is not in the file's
    encoding: a row is never decoded into garbage silently.

    UTF-8: an undecodable byte means the row was written otherwise (in 1C's cp1251, say).
    cp1251: a row whose bytes are valid UTF-8 with characters beyond ASCII was written in
    UTF-8 (read as cp1251 it would become "РћРћРћ"; real cp1251 text is almost never
    valid UTF-8). Otherwise the one byte cp1251 leaves undefined (0x98) is replaced, rather
    than a whole file refused over one odd character."""
    name = _ENCODING_NAMES.get(encoding)
    joined = "".join(cells)
    if name is None or joined.isascii():
        return cells
    undecoded = _UNDECODED.search(joined) is not None
    if encoding != "cp1251":
        if undecoded:
            raise ErpFileError("import-error-encoding", row=number, encoding=name)
        return cells
    if not _TWO_SMALL_LETTERS.search(joined):
        try:
            joined.encode("cp1251", "surrogateescape").decode("utf-8")
        except UnicodeError:
            pass
        else:
            raise ErpFileError("import-error-encoding", row=number, encoding=name)
    return [_UNDECODED.sub("\ufffd", cell) for cell in cells] if undecoded else cells


def _xlsx_records(path: Path) -> Generator[tuple[object, ...]]:
    # A file object, not the path: openpyxl refuses a path without an .xlsx suffix, and a
    # file downloaded from Telegram is saved under a name of our choosing.
    # Loaded with the first workbook, as in the export: openpyxl brings numpy along, some
    # 25 MB that a bot which is never sent an XLSX file does not need.
    from openpyxl import load_workbook

    handle = path.open("rb")
    try:
        # openpyxl warns about things it ignores in files from other producers (styles,
        # extensions, data validation); they say nothing about the data.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises a dozen exception types for a bad file
        handle.close()
        raise ErpFileError("import-error-format") from error
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ErpFileError("import-error-format")
        sheet = sheets[0]
        # Read-only mode trusts the sheet's declared dimensions, which some exporters get
        # wrong (e.g. "A1"): without them every row is read as far as it goes.
        sheet.reset_dimensions()
        rows: Iterator[tuple[object, ...]] = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as error:  # broken XML inside the archive, and the like
                raise ErpFileError("import-error-format", row=number + 1) from error
            number += 1
            yield tuple(value.strip() if isinstance(value, str) else value for value in row)
    finally:
        # A read-only workbook keeps the ZIP open until closed.
        workbook.close()
        handle.close()


# --- Header -------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
_TRAILING_PUNCTUATION = re.compile(r"[\s:.*]+$")


def normalize_header(text: str) -> str:
    """Compare header texts as people see them: "Сумма  долга, руб.:" and "сумма долга,
    руб" are the same column."""
    text = text.casefold().replace("ё", "е")
    text = _TRAILING_PUNCTUATION.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def _alias_lookup(columns: Sequence[ColumnSpec]) -> dict[str, str]:
    names = [spec.name for spec in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate column names in {names}")
    lookup: dict[str, str] = {}
    for spec in columns:
        for alias in spec.aliases:
            owner = lookup.setdefault(normalize_header(alias), spec.name)
            if owner != spec.name:
                raise ValueError(f"header {alias!r} belongs to both {owner!r} and {spec.name!r}")
    return lookup


def _match_header(cells: Sequence[object], lookup: dict[str, str]) -> dict[str, int]:
    """Canonical name → column index for the cells that are known header texts. When two
    cells name the same column, the leftmost wins, as a person reading the sheet would
    assume."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if cell is None or cell == "":
            continue
        name = lookup.get(normalize_header(parse_text(cell)))
        if name is not None and name not in found:
            found[name] = index
    return found


@dataclass(frozen=True)
class _Header:
    number: int
    columns: dict[str, int]
    texts: dict[str, str]


def _locate_header(
    numbered: Iterator[tuple[int, Sequence[object]]],
    lookup: dict[str, str],
    min_matches: int,
) -> _Header | None:
    for number, cells in numbered:
        found = _match_header(cells, lookup)
        if len(found) >= min_matches:
            texts = {
                name: normalize_header(parse_text(cells[index])) for name, index in found.items()
            }
            return _Header(number, found, texts)
        if number >= HEADER_SCAN_ROWS:
            break
    return None


# --- Rows ---------------------------------------------------------------------------------

# A total row starts with one of these words, alone or followed by a colon or a
# preposition ("Итого по документу", "Всего к оплате", "Total for period"). A bare prefix
# match would also drop a client called "Total Energies": dropping a real row silently is
# worse than letting an odd total row through to fail validation where the user sees it.
_TOTAL_ROW = re.compile(
    r"(?:итого|всего|total|grand total|subtotal)(?:$|\s*[:.]|\s+(?:по|за|к|for|by|of)(?:\s|$))",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")


def _is_blank(cells: Sequence[object]) -> bool:
    return all(cell is None or cell == "" for cell in cells)


def _is_total(cells: Sequence[object]) -> bool:
    """Looks at the first cell with letters in it: totals often carry a row count or an
    empty "№" before the word "Итого"."""
    for cell in cells:
        if isinstance(cell, str) and _LETTER.search(cell):
            return _TOTAL_ROW.match(cell) is not None
    return False


def _data_rows(
    numbered: Iterator[tuple[int, Sequence[object]]],
    header: _Header,
    columns: Sequence[ColumnSpec],
    missing_cell: object,
) -> Iterator[RawRow]:
    positions = list(header.columns.items())
    absent = [spec.name for spec in columns if spec.name not in header.columns]
    first_name = positions[0][0]
    for number, cells in numbered:
        if _is_blank(cells) or _is_total(cells):
            continue
        width = len(cells)
        values: dict[str, object] = {
            name: cells[index] if index < width else missing_cell for name, index in positions
        }
        if all(value is None or value == "" for value in values.values()):
            # Something only in columns the import does not read (a group caption, a
            # signature line): there is nothing here to import.
            continue
        if _repeats_header(values, header, first_name):
            continue
        for name in absent:
            values[name] = None
        yield RawRow(number, values)


def _repeats_header(values: dict[str, object], header: _Header, first_name: str) -> bool:
    # Printed reports repeat the header on every page. Check the first letter of one cell
    # first: normalising a cell of every row would cost a third of the reading time.
    first, first_text = values[first_name], header.texts[first_name]
    if not isinstance(first, str) or first[:1].casefold().replace("ё", "е") != first_text[:1]:
        return False
    return all(
        normalize_header(parse_text(values[name])) == text for name, text in header.texts.items()
    )


def read_rows(
    path: Path,
    columns: Sequence[ColumnSpec],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    min_matches: int = 2,
) -> Iterator[RawRow]:
    """Yield the data rows of a CSV or XLSX export, one at a time.

    A generator: every `ErpFileError` (too large, unknown format, no header, missing
    column) is raised by the first `next()`, before any row. Blank rows, total rows and
    repeated headers are skipped. Memory stays flat however long the file: CSV goes
    through the csv module line by line, XLSX through openpyxl's read-only mode."""
    if not columns:
        raise ValueError("no columns requested")
    lookup = _alias_lookup(columns)
    # A kind with a single column cannot match two header cells.
    min_matches = max(1, min(min_matches, len(columns)))
    if path.stat().st_size > max_bytes:
        raise ErpFileError("import-error-too-large", limit_mb=_megabytes(max_bytes))

    # Generators, not mere iterators: each is closed (its file with it) when left early.
    sources: list[Callable[[], Generator[Sequence[object]]]]
    if detect_format(path) == "xlsx":
        check_zip_limits(path, max_uncompressed=max_uncompressed)
        sources = [partial(_xlsx_records, path)]
        missing_cell: object = None
    else:
        encoding = detect_encoding(path)
        sources = [
            partial(_csv_records, path, encoding, delimiter)
            for delimiter in _delimiter_candidates(path, encoding)
        ]
        missing_cell = ""

    for open_source in sources:
        with closing(open_source()) as records:
            numbered = enumerate(records, start=1)
            header = _locate_header(numbered, lookup, min_matches)
            if header is None:
                continue
            for spec in columns:
                if spec.required and spec.name not in header.columns:
                    raise ErpFileError("import-error-missing-column", column=spec.name)
            yield from _data_rows(numbered, header, columns, missing_cell)
            return
    raise ErpFileError("import-error-no-header")


# --- Cell parsers -------------------------------------------------------------------------

_CENT = Decimal("0.01")
_THOUSANDTH = Decimal("0.001")
# Ten trillion. Money is stored as 64-bit kopecks and quantities as 64-bit thousandths:
# larger values would overflow the column (and sums of a few, the report) and fail the
# whole apply, where a rejected row is what the admin can act on.
MAX_AMOUNT = Decimal("1e13")
MAX_QUANTITY = Decimal("1e13")
# Excel keeps 15 significant digits: what it shows of a float cell.
_EXCEL_DIGITS = ".15g"
_CURRENCY_SUFFIX = re.compile(r"\s*(?:₽|руб\.?|р\.?|rub\.?|rur|usd|eur|\$|€)$", re.IGNORECASE)
_CURRENCY_PREFIX = re.compile(r"^(?:₽|\$|€)\s*")
_SPACE_LIKE = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_NUMBER_CHARS = re.compile(r"[0-9 ,.]+")
_DIGITS = re.compile(r"[0-9]+")
_SHORT_INTEGER = re.compile(r"[1-9][0-9]{0,2}")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ ,.][0-9]{3})+")
_MINUS_SIGNS = ("-", "\u2212", "\u2013")


def _parse_number_text(text: str, *, lone_separator_is_decimal: bool = False) -> Decimal:
    """A number as Russian and English spreadsheets write it, with any number of decimals.

    The decimal separator is the last `,` or `.` when it occurs once; the thousands
    separator (a space of any kind, or the other punctuation mark) must group digits by
    three. A lone separator followed by exactly three digits ("1,250") is refused as
    ambiguous, unless `lone_separator_is_decimal` (quantities: see `parse_quantity`)."""
    s = _CURRENCY_SUFFIX.sub("", text.strip()).strip()
    in_parentheses = s.startswith("(") and s.endswith(")")
    if in_parentheses:
        # Accountants write negatives as (1 500,00).
        s = _CURRENCY_SUFFIX.sub("", s[1:-1].strip()).strip()
    sign = ""
    if s[:1] in (*_MINUS_SIGNS, "+"):
        sign, s = s[0], s[1:].strip()
    if in_parentheses and sign:
        raise ValueError("sign inside parentheses")
    negative = in_parentheses or sign in _MINUS_SIGNS
    s = _SPACE_LIKE.sub(" ", _CURRENCY_PREFIX.sub("", s)).strip()
    if not s:
        raise ValueError("empty value")
    if not _NUMBER_CHARS.fullmatch(s) or not any(char.isdigit() for char in s):
        raise ValueError("not a number")

    last = max(s.rfind(","), s.rfind("."))
    if last >= 0 and s.count(s[last]) == 1:
        integer, fraction = s[:last].strip(), s[last + 1 :]
        if not _DIGITS.fullmatch(fraction):
            raise ValueError("bad decimal part")
        ambiguous = len(fraction) == 3 and _SHORT_INTEGER.fullmatch(integer)
        if ambiguous and not lone_separator_is_decimal:
            # "1,250" or "1.500": a thousands group or a decimal part with three digits?
            # Money never has three decimals, so the second reading is the likelier one,
            # but guessing wrong is a thousandfold error: let the user fix the cell.
            raise ValueError("ambiguous separator")
    else:
        integer, fraction = s, ""
    if integer and not _DIGITS.fullmatch(integer):
        separators = set(integer) - set("0123456789")
        if len(separators) != 1 or not _GROUPED.fullmatch(integer):
            raise ValueError("bad digit grouping")
        integer = integer.replace(separators.pop(), "")
    return Decimal(f"{'-' if negative else ''}{integer or '0'}.{fraction or '0'}")


def _exact_cents(number: Decimal) -> Decimal:
    if not abs(number) < MAX_AMOUNT:
        raise ValueError("number too large")
    cents = number.quantize(_CENT)
    if cents != number:
        raise ValueError("more than 2 decimal places")
    # No "-0.00" in the results.
    return cents if cents else Decimal("0.00")


def parse_decimal(value: object) -> Decimal:
    """A money amount with at most two decimals, as a Decimal quantized to 0.01.

    Strings: "1 250 000,50", "1,250,000.50", "(1 500,00)", "-1 500,00 руб.". Numbers
    from XLSX: an int is exact; a float is a binary approximation of what Excel shows,
    so it is rounded to cents through its shortest decimal repr (0.1 + 0.2 → 0.30),
    never converted with Decimal(float), which would carry the binary noise along."""
    if isinstance(value, bool):
        raise ValueError("not a number: a boolean")
    if isinstance(value, int):
        return _exact_cents(Decimal(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return _exact_cents(Decimal(str(round(value, 2))))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("not a finite number")
        return _exact_cents(value)
    if isinstance(value, str):
        return _exact_cents(_parse_number_text(value))
    if value is None:
        raise ValueError("empty value")
    raise ValueError(f"not a number: {type(value).__name__}")


def parse_quantity(value: object) -> Decimal:
    """A quantity (pieces, kilograms) with at most three decimals, exactly.

    1C's Russian exports write the decimal comma and group thousands with (non-breaking)
    spaces: "10,000" and "12,500" kg are ten and twelve and a half. So for a quantity a
    lone comma or dot is the decimal separator even before exactly three digits ("12,500",
    "12.500" and "1.250" are 12.5, 12.5 and 1.25), where an amount refuses "12,500" as
    ambiguous (money has two decimals, so three digits there may be a thousands group).
    Thousands are grouped with spaces ("1 250,500"), or with the other mark when both occur
    ("1,250.5", "1.250,5"), or with the same mark repeated ("1,000,000"). More than three
    decimals are refused, never rounded. A float cell is read as Excel shows it (15
    significant digits), so a formula's binary noise (0.1 + 0.2) is not a fourth decimal."""
    if isinstance(value, bool):
        raise ValueError("not a number: a boolean")
    number: Decimal
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        number = Decimal(format(value, _EXCEL_DIGITS))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("not a finite number")
        number = value
    elif isinstance(value, str):
        number = _parse_number_text(value, lone_separator_is_decimal=True)
    elif value is None:
        raise ValueError("empty value")
    else:
        raise ValueError(f"not a number: {type(value).__name__}")
    if not abs(number) < MAX_QUANTITY:
        raise ValueError("number too large")
    exact = number.quantize(_THOUSANDTH)
    if exact != number:
        raise ValueError("more than 3 decimal places")
    # No "-0.000" in the results.
    return exact if exact else Decimal("0.000")


def parse_int(value: object) -> int:
    """A whole number such as deferral days: "30", "30,0", "1 000", 30.0; "30,5" fails."""
    if isinstance(value, bool):
        raise ValueError("not a number: a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("not a whole number")
        return int(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = _parse_number_text(value)
    elif value is None:
        raise ValueError("empty value")
    else:
        raise ValueError(f"not a number: {type(value).__name__}")
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError("not a whole number")
    return int(number)


_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX_SERIAL = (date(9999, 12, 31) - _EXCEL_EPOCH).days
_DMY = re.compile(
    r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}|[0-9]{2})(?:\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
)
_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)


def parse_date(value: object) -> date:
    """A date: "25.12.2026", "25.12.26", "2026-12-25", "25.12.2026 0:00:00" (1C appends
    a time; the date is kept), a date/datetime cell, or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("not a date: a boolean")
    if isinstance(value, int | float):
        return _from_excel_serial(value)
    if value is None:
        raise ValueError("empty value")
    if not isinstance(value, str):
        raise ValueError(f"not a date: {type(value).__name__}")
    text = value.strip()
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            # The POSIX pivot: 00–68 are this century; an ERP date in the 1970s–90s is
            # far likelier than one after 2069.
            year += 2000 if year < 69 else 1900
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError("not a date")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("no such calendar date") from None


def _from_excel_serial(serial: float) -> date:
    """Excel's 1900 date system. Counting from 1899-12-30 rather than 1900-01-01 absorbs
    Excel's fictitious 1900-02-29 for every date after February 1900, which is the usual
    way and the only range an export will contain."""
    if not math.isfinite(serial) or not 1 <= serial < _EXCEL_MAX_SERIAL + 1:
        raise ValueError("not an Excel date serial")
    # A fractional part is the time of day.
    return _EXCEL_EPOCH + timedelta(days=math.floor(serial))


def parse_text(value: object) -> str:
    """A cell as text. Numbers lose Excel's float form when whole: an ИНН typed into a
    numeric cell arrives as 7707083893.0 and must read "7707083893"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return str(int(value))
        return format(value, "f")
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
