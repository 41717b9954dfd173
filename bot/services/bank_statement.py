"""Bank statements in 1C's exchange format ("1CClientBankExchange", kl_to_1c.txt).

Every Russian bank's client software writes a statement in this text format, and every
1C configuration reads it ("Стандарт обмена с системами «Клиент банка»", versions 1.02
and 1.03). A file is a header line, `Key=Value` lines of general data, one
`СекцияРасчСчет … КонецРасчСчет` block per account of the statement (its balances),
one `СекцияДокумент=<kind> … КонецДокумента` block per payment document, and
`КонецФайла`:

    1CClientBankExchange
    ВерсияФормата=1.03
    Кодировка=Windows
    ...
    РасчСчет=40702810200000000001
    СекцияРасчСчет
    НачальныйОстаток=45329.91
    КонецРасчСчет
    СекцияДокумент=Платежное поручение
    Номер=105
    Дата=09.12.2015
    Сумма=12354.00
    ...
    КонецДокумента
    КонецФайла

`parse_statement` reads the bytes into a `BankStatement`; `incoming_payments` picks the
money the company received; `named_documents` / `named_numbers` read the shipment and
invoice numbers a payment purpose names; `bank_key` identifies a payment as its payer's
bank sent it. Nothing here knows about Telegram or the database. Every failure a user
can cause is a `BankStatementError` carrying a translation key and the line number.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from bot.services.erp_files import DEFAULT_MAX_BYTES, MAX_AMOUNT, ErpFileError

__all__ = [
    "KNOWN_VERSIONS",
    "MAX_DOCUMENTS",
    "AccountBalance",
    "BankPayment",
    "BankStatement",
    "BankStatementError",
    "BankStatementNote",
    "NamedDocument",
    "NamedKind",
    "StatementDocument",
    "bank_key",
    "incoming_payments",
    "named_documents",
    "named_numbers",
    "parse_statement",
    "payment_key",
]

HEADER = "1CClientBankExchange"
KNOWN_VERSIONS = frozenset({"1.02", "1.03"})
# The Bot API's download limit, as for the ERP exports.
MAX_BYTES = DEFAULT_MAX_BYTES
# A document takes some 1–1.5 KB (50–60 lines), so 20 MB hold about 15 000 of them; a
# company with more payments a period than this sends its statements by the day.
MAX_DOCUMENTS = 50_000

_CENT = Decimal("0.01")


class BankStatementError(ErpFileError):
    """A statement the bot cannot read. `reason` is a translation key; `details` are the
    message's arguments, `line` (1-based, as an editor shows it) among them wherever a
    line is to blame. A subclass of `ErpFileError`, so code that reports a refused ERP
    file reports this one the same way."""


@dataclass(frozen=True, slots=True)
class BankStatementNote:
    """Something read but worth telling (an unknown format version, an encoding guessed):
    a translation key and its arguments, like an error that did not stop the reading."""

    reason: str
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountBalance:
    """A `СекцияРасчСчет`: one account of the statement with its period and balances
    (any of which the bank may leave out)."""

    account: str
    line: int
    start: date | None
    end: date | None
    opening_balance: Decimal | None
    total_received: Decimal | None
    total_written_off: Decimal | None
    closing_balance: Decimal | None


@dataclass(frozen=True, slots=True)
class StatementDocument:
    """A `СекцияДокумент`: one payment document with every field as the file wrote it
    (`fields`, values stripped) and the ones this module uses, typed. `line` is the line
    of `СекцияДокумент`.

    Names: `Плательщик1` is the payer's name; `Плательщик` is the name as 1C prints it on
    the order, which 1C's own exports prefix with "ИНН 7719617469 " — hence `payer_name`
    takes `Плательщик1` first. Accounts: `ПлательщикСчет`, else `ПлательщикРасчСчет` (the
    account at the bank when the payment went through a correspondent)."""

    kind: str
    line: int
    fields: Mapping[str, str]
    number: str
    dated: date
    amount: Decimal
    payer_account: str
    payer_name: str
    payer_inn: str
    payer_kpp: str
    recipient_account: str
    recipient_name: str
    recipient_inn: str
    recipient_kpp: str
    written_off_on: date | None
    received_on: date | None
    purpose: str

    def value(self, key: str) -> str:
        """A field by its name in any letter case ("" when the document lacks it)."""
        return _lookup(self.fields, key)


@dataclass(frozen=True, slots=True)
class BankStatement:
    """A whole statement. `accounts` are the statement's own accounts (the company's):
    those of the header's `РасчСчет` lines and of its `СекцияРасчСчет` blocks, without
    spaces, in file order. `encoding` is the codec the file was read with ("cp1251",
    "cp866" or "utf-8"). `header` has every general `Key=Value` (the first of repeated
    keys); `document_kinds` the header's `Документ=` lines."""

    version: str
    encoding: str
    sender: str
    receiver: str
    created_on: date | None
    period_start: date | None
    period_end: date | None
    accounts: tuple[str, ...]
    balances: tuple[AccountBalance, ...]
    documents: tuple[StatementDocument, ...]
    document_kinds: tuple[str, ...]
    header: Mapping[str, str]
    notes: tuple[BankStatementNote, ...]


# --- Reading the file ---------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_KEY = re.compile(r"[0-9A-Za-zА-Яа-яЁё_]+")
_ENCODING_KEY = "кодировка"
# The standard's two values, and the spelled-out names some generators write instead.
_DECLARED = {
    "windows": "cp1251",
    "dos": "cp866",
    "windows-1251": "cp1251",
    "cp1251": "cp1251",
    "cp866": "cp866",
    "ibm866": "cp866",
    "utf-8": "utf-8",
    "utf8": "utf-8",
}
_ENCODING_NAMES = {"cp1251": "Windows-1251", "cp866": "DOS (866)", "utf-8": "UTF-8"}
# The general part of a file ends within a few dozen lines; the declaration is near the top.
_DECLARATION_SCAN_LINES = 100
# Keys every statement has: counted when the file does not say its encoding.
_MARKER_KEYS = (
    "СекцияДокумент",
    "КонецДокумента",
    "КонецФайла",
    "ВерсияФормата",
    "Номер",
    "Дата",
    "Сумма",
    "РасчСчет",
)
_BOM = b"\xef\xbb\xbf"
# Fields whose second, different value would make the payment ambiguous.
_SINGLE_VALUED = frozenset(
    key.casefold()
    for key in (
        "Номер",
        "Дата",
        "Сумма",
        "ПлательщикСчет",
        "ПлательщикРасчСчет",
        "ПлательщикИНН",
        "ПолучательСчет",
        "ПолучательРасчСчет",
        "ПолучательИНН",
        "ДатаСписано",
        "ДатаПоступило",
    )
)
_PURPOSE = "назначениеплатежа"
_PURPOSE_LINES = tuple(f"{_PURPOSE}{n}" for n in range(1, 7))
_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_AMOUNT = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?")
# 1C prints the payer as "ИНН 7719617469 ОАО Крокус" (some programs add "КПП …").
_LEADING_INN = re.compile(r"^ИНН\s*[0-9]{10,12}\s+(?:КПП\s*[0-9A-Z]{9}\s+)?", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def parse_statement(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_documents: int = MAX_DOCUMENTS
) -> BankStatement:
    """Read a statement in the 1CClientBankExchange format.

    The encoding is the one the file declares (`Кодировка=Windows`: cp1251, `=DOS`:
    cp866), found at the byte level since the value is ASCII in every encoding. A UTF-8
    BOM, or a file declaring Windows or DOS whose text is valid UTF-8 with Cyrillic in it
    (generators written in PHP or JS do that), is read as UTF-8 with a note; an undeclared
    encoding is guessed from which one spells the format's keys. Lines end in CRLF, LF or
    CR; a value is everything after the first `=`. Amounts are exact Decimals ("12345.67",
    "12345,67", never rounded), dates DD.MM.YYYY.

    Refused, naming the line: no header, bytes the encoding cannot decode, a line that is
    neither `Key=Value` nor a section marker, a section not closed before the next one or
    the end, a document without `Дата` or `Сумма`, a bad amount or date, a field that
    decides the payment given twice with different values, no `КонецФайла`, more than
    `max_documents`; and a file over `max_bytes` as a whole."""
    if len(data) > max_bytes:
        raise BankStatementError(
            "bank-error-too-large", size_mb=_megabytes(len(data)), limit_mb=_megabytes(max_bytes)
        )
    notes: list[BankStatementNote] = []
    encoding = _choose_encoding(data, notes)
    text = _decode(data, encoding)
    reader = _Reader(_lines(text), max_documents)
    reader.read()
    header = reader.header
    version = _lookup(header, "ВерсияФормата")
    if version not in KNOWN_VERSIONS:
        notes.insert(0, BankStatementNote("bank-note-version", {"version": version or "—"}))
    notes.extend(reader.notes)
    accounts = _unique(
        [*reader.header_accounts, *(balance.account for balance in reader.balances)]
    )
    return BankStatement(
        version=version,
        encoding=encoding,
        sender=_lookup(header, "Отправитель"),
        receiver=_lookup(header, "Получатель"),
        created_on=reader.header_date("ДатаСоздания"),
        period_start=reader.header_date("ДатаНачала"),
        period_end=reader.header_date("ДатаКонца"),
        accounts=accounts,
        balances=tuple(reader.balances),
        documents=tuple(reader.documents),
        document_kinds=tuple(reader.document_kinds),
        header=MappingProxyType(header),
        notes=tuple(notes),
    )


def _megabytes(size: int) -> int:
    return -(-size // (1024 * 1024))


def _choose_encoding(data: bytes, notes: list[BankStatementNote]) -> str:
    declared_value = _declared_encoding(data)
    declared = _DECLARED.get(declared_value.lower()) if declared_value is not None else None
    if data.startswith(_BOM):
        if declared not in (None, "utf-8"):
            notes.append(_mismatch_note(declared_value))
        return "utf-8"
    if declared == "utf-8":
        return "utf-8"
    if _is_cyrillic_utf8(data):
        # cp1251 and cp866 Cyrillic is almost never valid UTF-8 (nearly every letter is an
        # invalid sequence), so valid UTF-8 with letters beyond ASCII is UTF-8 whatever the
        # header says: it was written by a program that does not transcode.
        if declared is not None:
            notes.append(_mismatch_note(declared_value))
        else:
            notes.append(BankStatementNote("bank-note-encoding-undeclared", {"encoding": "UTF-8"}))
        return "utf-8"
    if declared is not None:
        return declared
    guessed = _guess_single_byte(data)
    if declared_value is None:
        notes.append(
            BankStatementNote(
                "bank-note-encoding-undeclared", {"encoding": _ENCODING_NAMES[guessed]}
            )
        )
    else:
        notes.append(
            BankStatementNote(
                "bank-note-encoding-unknown",
                {"value": declared_value, "encoding": _ENCODING_NAMES[guessed]},
            )
        )
    return guessed


def _mismatch_note(declared_value: str | None) -> BankStatementNote:
    return BankStatementNote(
        "bank-note-encoding-mismatch", {"declared": declared_value or "—", "encoding": "UTF-8"}
    )


def _declared_encoding(data: bytes) -> str | None:
    """The value of the `Кодировка=` line near the top, whatever encoding spells its key."""
    keys = {_ENCODING_KEY.encode(codec) for codec in ("cp1251", "cp866", "utf-8")}
    keys |= {"Кодировка".encode(codec) for codec in ("cp1251", "cp866", "utf-8")}
    head = data[: 64 * 1024].removeprefix(_BOM)
    for raw in head.splitlines()[:_DECLARATION_SCAN_LINES]:
        key, separator, value = raw.partition(b"=")
        if separator and key.strip() in keys:
            return value.strip().decode("ascii", "replace")
    return None


def _is_cyrillic_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _guess_single_byte(data: bytes) -> str:
    """cp1251 or cp866: the one in which more lines start with a key of the format."""
    lines = data[: 256 * 1024].splitlines()

    def score(codec: str) -> int:
        keys = tuple(key.encode(codec) for key in _MARKER_KEYS)
        return sum(1 for line in lines if line.lstrip().startswith(keys))

    return "cp866" if score("cp866") > score("cp1251") else "cp1251"


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = len(_LINE_BREAK.split(data[: error.start].decode("latin-1")))
        raise BankStatementError(
            "bank-error-encoding", line=line, encoding=_ENCODING_NAMES[encoding]
        ) from None
    # DOS programs end a file with ^Z.
    return text.removeprefix("\ufeff").rstrip("\x1a")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` one by one, so that a 20 MB file is not held again as a list.
    Not `str.splitlines()`: it also breaks at the control characters U+001C–U+001E and
    (in a UTF-8 file) at U+0085 and U+2028, none of which ends a line of this format."""
    start = 0
    for match in _LINE_BREAK.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


class _Reader:
    """The line-by-line state machine: general part, account sections, documents."""

    def __init__(self, lines: Iterator[str], max_documents: int) -> None:
        self.lines = lines
        self.max_documents = max_documents
        self.header: dict[str, str] = {}
        self.header_lines: dict[str, int] = {}
        self.header_accounts: list[str] = []
        self.document_kinds: list[str] = []
        self.balances: list[AccountBalance] = []
        self.documents: list[StatementDocument] = []
        self.notes: list[BankStatementNote] = []

    def header_date(self, key: str) -> date | None:
        return _optional_date(
            _lookup(self.header, key), key, self.header_lines.get(key.casefold(), 1)
        )

    def read(self) -> None:
        numbered = enumerate(self.lines, start=1)
        for number, raw in numbered:
            line = raw.strip()
            if not line:
                continue
            if line.casefold() != HEADER.casefold():
                raise BankStatementError("bank-error-no-header", line=number)
            break
        else:
            raise BankStatementError("bank-error-no-header", line=1)

        section: _Section | None = None
        last = 1
        for number, raw in numbered:
            line = raw.strip()
            if not line:
                continue
            last = number
            key, separator, value = line.partition("=")
            key, value = key.strip(), value.strip()
            folded = key.casefold()
            if not separator and folded == "конецфайла":
                if section is not None:
                    section.unclosed(number)
                self._after_end(numbered)
                return
            if separator and folded == "секциядокумент":
                if section is not None:
                    section.unclosed(number)
                if len(self.documents) >= self.max_documents:
                    raise BankStatementError(
                        "bank-error-too-many-documents", line=number, limit=self.max_documents
                    )
                section = _Section("document", value, number)
                continue
            if not separator and folded == "секциярасчсчет":
                if section is not None:
                    section.unclosed(number)
                section = _Section("account", "", number)
                continue
            if not separator and folded in ("конецдокумента", "конецрасчсчет"):
                expected = "document" if folded == "конецдокумента" else "account"
                if section is None or section.kind != expected:
                    if section is not None:
                        section.unclosed(number)
                    raise BankStatementError("bank-error-unexpected-end", line=number, marker=key)
                if expected == "document":
                    self.documents.append(section.document())
                else:
                    self.balances.append(section.balance())
                section = None
                continue
            if not separator or not _KEY.fullmatch(key):
                if section is not None and section.continues_purpose():
                    # A purpose the bank wrote with its line breaks in it.
                    section.extend_purpose(line)
                    continue
                raise BankStatementError("bank-error-syntax", line=number)
            if section is not None:
                section.add(key, value, number)
            else:
                self._header_field(key, value, number)
        if section is not None:
            section.unclosed(last)
        raise BankStatementError("bank-error-no-end-of-file", line=last)

    def _header_field(self, key: str, value: str, number: int) -> None:
        folded = key.casefold()
        if folded == "расчсчет":
            if value:
                self.header_accounts.append(_account(value))
        elif folded == "документ":
            if value:
                self.document_kinds.append(value)
        elif folded not in self.header_lines:
            self.header[key] = value
            self.header_lines[folded] = number

    def _after_end(self, numbered: Iterator[tuple[int, str]]) -> None:
        for number, raw in numbered:
            if raw.strip():
                self.notes.append(BankStatementNote("bank-note-after-end", {"line": number}))
                return


class _Section:
    """An open `СекцияДокумент` or `СекцияРасчСчет` collecting its fields."""

    def __init__(self, kind: str, title: str, line: int) -> None:
        self.kind = kind
        self.title = title
        self.line = line
        self.fields: dict[str, str] = {}
        self.folded: dict[str, tuple[str, int]] = {}
        self.last_key = ""

    def unclosed(self, found_line: int) -> None:
        if self.kind == "document":
            raise BankStatementError(
                "bank-error-unclosed-document", line=self.line, kind=self.title, found=found_line
            )
        raise BankStatementError("bank-error-unclosed-account", line=self.line, found=found_line)

    def add(self, key: str, value: str, number: int) -> None:
        folded = key.casefold()
        self.last_key = folded
        seen = self.folded.get(folded)
        if seen is None:
            self.fields[key] = value
            self.folded[folded] = (value, number)
        elif folded in _SINGLE_VALUED and seen[0] != value:
            raise BankStatementError("bank-error-duplicate-field", line=number, field=key)

    def continues_purpose(self) -> bool:
        return self.kind == "document" and self.last_key.startswith(_PURPOSE)

    def extend_purpose(self, text: str) -> None:
        for key in self.fields:
            if key.casefold() == self.last_key:
                self.fields[key] = f"{self.fields[key]} {text}".strip()
                self.folded[self.last_key] = (self.fields[key], self.folded[self.last_key][1])
                return

    def _value(self, key: str) -> str:
        return self.folded.get(key.casefold(), ("", 0))[0]

    def _line_of(self, key: str) -> int:
        return self.folded.get(key.casefold(), ("", self.line))[1]

    def _required(self, key: str) -> str:
        value = self._value(key)
        if not value:
            raise BankStatementError("bank-error-missing-field", line=self.line, field=key)
        return value

    def _date(self, key: str) -> date | None:
        return _optional_date(self._value(key), key, self._line_of(key))

    def _amount(self, key: str, *, signed: bool) -> Decimal | None:
        value = self._value(key)
        if not value:
            return None
        return _parse_amount(value, key, self._line_of(key), signed=signed)

    def document(self) -> StatementDocument:
        dated_text = self._required("Дата")
        dated = _parse_date(dated_text, "Дата", self._line_of("Дата"))
        amount = _parse_amount(
            self._required("Сумма"), "Сумма", self._line_of("Сумма"), signed=False
        )
        payer_name = self._value("Плательщик1") or _LEADING_INN.sub("", self._value("Плательщик"))
        recipient_name = self._value("Получатель1") or _LEADING_INN.sub(
            "", self._value("Получатель")
        )
        return StatementDocument(
            kind=self.title,
            line=self.line,
            fields=MappingProxyType(dict(self.fields)),
            number=self._value("Номер"),
            dated=dated,
            amount=amount,
            payer_account=_account(
                self._value("ПлательщикСчет") or self._value("ПлательщикРасчСчет")
            ),
            payer_name=payer_name,
            payer_inn=_SPACES.sub("", self._value("ПлательщикИНН")),
            payer_kpp=self._value("ПлательщикКПП"),
            recipient_account=_account(
                self._value("ПолучательСчет") or self._value("ПолучательРасчСчет")
            ),
            recipient_name=recipient_name,
            recipient_inn=_SPACES.sub("", self._value("ПолучательИНН")),
            recipient_kpp=self._value("ПолучательКПП"),
            written_off_on=self._date("ДатаСписано"),
            received_on=self._date("ДатаПоступило"),
            purpose=self._purpose(),
        )

    def _purpose(self) -> str:
        """`НазначениеПлатежа` is the whole purpose; `НазначениеПлатежа1..6` are the same
        text cut into the lines of the paper form (1C writes both, older programs only the
        lines, some banks the first part in one and the rest in the other). The lines,
        joined, are used when the whole is empty, or longer and starting with it; appended
        when they say something the whole does not; dropped when the whole has them."""
        whole = _SPACES.sub(" ", self._value(_PURPOSE)).strip()
        parts = (_SPACES.sub(" ", self._value(key)).strip() for key in _PURPOSE_LINES)
        joined = " ".join(part for part in parts if part)
        if not joined or joined in whole:
            return whole
        if not whole or joined.startswith(whole):
            return joined
        return f"{whole} {joined}"

    def balance(self) -> AccountBalance:
        return AccountBalance(
            account=_account(self._value("РасчСчет")),
            line=self.line,
            start=self._date("ДатаНачала"),
            end=self._date("ДатаКонца"),
            opening_balance=self._amount("НачальныйОстаток", signed=True),
            total_received=self._amount("ВсегоПоступило", signed=False),
            total_written_off=self._amount("ВсегоСписано", signed=False),
            closing_balance=self._amount("КонечныйОстаток", signed=True),
        )


def _lookup(fields: Mapping[str, str], key: str) -> str:
    folded = key.casefold()
    for name, value in fields.items():
        if name.casefold() == folded:
            return value
    return ""


def _account(value: str) -> str:
    # Some programs group the 20 digits ("40702 810 2 0000 0000001"); zeros are kept.
    return _SPACES.sub("", value)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def _parse_date(value: str, key: str, line: int) -> date:
    match = _DATE.fullmatch(value)
    if match is None:
        raise BankStatementError("bank-error-date", line=line, field=key, value=value)
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise BankStatementError("bank-error-date", line=line, field=key, value=value) from None


def _optional_date(value: str, key: str, line: int) -> date | None:
    return _parse_date(value, key, line) if value else None


def _parse_amount(value: str, key: str, line: int, *, signed: bool) -> Decimal:
    """ "12345.67", "12345,67", "100" → Decimal quantized to kopecks. Balances may be
    negative (an overdraft), document amounts never. Digits beyond the kopecks must be
    zeros ("100.000" is 100.00; "100.005" is refused, never rounded); no thousands
    separators, which the format does not use."""
    match = _AMOUNT.fullmatch(value)
    if match is None or (match.group(1) and not signed):
        raise BankStatementError("bank-error-amount", line=line, field=key, value=value)
    sign, integer, fraction = match.group(1), match.group(2), match.group(3) or "0"
    amount = Decimal(f"{sign}{integer}.{fraction}")
    if not abs(amount) < MAX_AMOUNT or amount != amount.quantize(_CENT):
        raise BankStatementError("bank-error-amount", line=line, field=key, value=value)
    # abs() of zero: no "-0.00".
    cents = amount.quantize(_CENT)
    return cents if cents else abs(cents)


# --- Money received -----------------------------------------------------------------------


class NamedKind(enum.StrEnum):
    """What a payment purpose names a number as. SHIPMENT: реализация, УПД, накладная,
    ТОРГ-12, счет-фактура, акт (what we shipped). INVOICE: счет (на оплату), заказ, заявка
    (what we asked to be paid). CONTRACT: договор, контракт (the deal, never a document
    to pay)."""

    SHIPMENT = "shipment"
    INVOICE = "invoice"
    CONTRACT = "contract"


@dataclass(frozen=True, slots=True)
class NamedDocument:
    """A document a purpose names: its kind, its number as written ("0001", "ТД00-000123",
    "45/2") and the date written after it, if any."""

    kind: NamedKind
    number: str
    dated: date | None


@dataclass(frozen=True, slots=True)
class BankPayment:
    """Money received on one of the company's accounts. `dated` is the payer's date of
    the document (Дата), `received_on` the day it reached our account (ДатаПоступило,
    else Дата). `payer_kpp` is as the payer wrote it ("" or "0" for a sole trader).
    `account` is ours. `named_numbers` are the shipment and invoice numbers the purpose
    names, in order; `named_documents` the same with their kinds and dates, contracts
    included."""

    number: str
    dated: date
    received_on: date
    amount: Decimal
    payer_name: str
    payer_inn: str
    payer_kpp: str
    payer_account: str
    purpose: str
    account: str
    named_numbers: tuple[str, ...]
    named_documents: tuple[NamedDocument, ...]
    kind: str
    line: int


def incoming_payments(
    statement: BankStatement, own_accounts: Iterable[str] = ()
) -> list[BankPayment]:
    """The documents that brought money to the company: their recipient account
    (`ПолучательСчет` or `ПолучательРасчСчет`) is one of the statement's accounts (or of
    `own_accounts`, the company's other accounts when the caller knows them).

    Left out: outgoing payments (the payer's account is ours and the recipient's is not:
    money we paid); transfers between the company's own accounts (both accounts ours, or
    the payer's ИНН the recipient's — our account at another bank that this statement does
    not list): no client paid anything, and counting them would credit a client with our
    own money; and documents touching none of our accounts (a bank's internal orders)."""
    ours = {_account(account) for account in (*statement.accounts, *own_accounts)}
    ours.discard("")
    payments: list[BankPayment] = []
    for document in statement.documents:
        received_into = _our_account(document, "Получатель", ours)
        if received_into is None or _our_account(document, "Плательщик", ours) is not None:
            continue
        if document.payer_inn and document.payer_inn == document.recipient_inn:
            continue
        named = named_documents(document.purpose)
        payments.append(
            BankPayment(
                number=document.number,
                dated=document.dated,
                received_on=document.received_on or document.dated,
                amount=document.amount,
                payer_name=document.payer_name,
                payer_inn=document.payer_inn,
                payer_kpp=document.payer_kpp,
                payer_account=document.payer_account,
                purpose=document.purpose,
                account=received_into,
                named_numbers=_numbers(named),
                named_documents=named,
                kind=document.kind,
                line=document.line,
            )
        )
    return payments


def _our_account(document: StatementDocument, side: str, ours: set[str]) -> str | None:
    for key in (f"{side}Счет", f"{side}РасчСчет"):
        account = _account(document.value(key))
        if account in ours:
            return account
    return None


def payment_key(*, payer_inn: str, number: str, dated: date, amount: Decimal) -> str:
    """The identity of a payment as its payer's bank sent it: the payer's ИНН, the payment
    order's number and date, the amount. Numbers lose leading zeros when they are all
    digits (banks pad them: "000105" is order 105), amounts are written with kopecks. 1C
    keeps the payer's number and date of a receipt as НомерВходящегоДокумента and
    ДатаВходящегоДокумента, so a payment known from a 1C export gets the same key."""
    inn = _SPACES.sub("", payer_inn)
    if inn.strip("0") == "":
        inn = ""
    text = _SPACES.sub("", number)
    if text.isdigit():
        text = text.lstrip("0") or "0"
    cents = abs(amount.quantize(_CENT))
    return f"{inn}|{text.casefold()}|{dated.isoformat()}|{cents}"


def bank_key(payment: BankPayment) -> str:
    """`payment_key` of a payment read from a statement. Without the payer's ИНН (some
    banks leave it out for individuals) the payer's account stands in, so that two such
    payments of the same day and amount stay apart."""
    inn = payment.payer_inn if payment.payer_inn.strip("0") else ""
    key = payment_key(
        payer_inn=inn, number=payment.number, dated=payment.dated, amount=payment.amount
    )
    return key if inn else f"{payment.payer_account}{key}"


# --- Document numbers in a payment purpose ------------------------------------------------

_W = "0-9A-Za-zА-Яа-яЁё"
_START = rf"(?<![{_W}])"
_END = rf"(?![{_W}])"

# Order matters where two start alike: счет-фактура before счет, ТОРГ-12 before its 12.
_SHIPMENT_WORDS = (
    r"сч[её]т\w*[\s\-]*фактур\w*",
    rf"сч\.?\s*[-/]?\s*ф(?:\.|{_END})",
    r"с\s*/\s*ф\.?",
    r"с-ф\.?",
    rf"сф{_END}",
    rf"упд{_END}",
    r"универсальн\w*\s+передаточн\w*\s+документ\w*",
    rf"торг[\s\-]*12{_END}",
    r"(?:товарн\w*|тов\.)\s*накл(?:адн\w*|\.)",
    r"накладн\w*",
    r"накл\.",
    rf"т?тн{_END}(?!\s*вэд)",
    r"реализаци\w*",
    r"реал\.",
    rf"ртиу{_END}",
    rf"акт(?:а|у|ам|ах|ов|ом|ы)?{_END}(?!\s+сверк)",
    r"отгрузк\w*",
)
_INVOICE_WORDS = (
    r"сч[её]т\w*-(?:оферт|договор)\w*",
    rf"сч[её]т(?:у|а|ам|ах|ов|ом|ы|е)?{_END}(?:\s+на\s+оплату{_END})?",
    rf"сч(?:\.|{_END})",
    rf"заказ(?:у|а|ам|ах|ов|ом|ы|е)?{_END}",
    r"зак\.",
    rf"заявк(?:а|и|е|у|ам|ах){_END}",
    r"инвойс\w*",
)
_CONTRACT_WORDS = (
    r"договор\w*",
    r"дог-р\w*",
    rf"дог(?:\.|{_END})",
    rf"д-р{_END}",
    r"контракт\w*",
)


def _group(name: str, words: tuple[str, ...]) -> str:
    return f"(?P<{name}>{'|'.join(words)})"


_KEYWORD = re.compile(
    _START
    + "(?:"
    + "|".join(
        (
            _group("shipment", _SHIPMENT_WORDS),
            _group("invoice", _INVOICE_WORDS),
            _group("contract", _CONTRACT_WORDS),
        )
    )
    + ")",
    re.IGNORECASE,
)
# "лицевой счет 123", "на расчетный счет 4070…": an account, not an invoice.
_ACCOUNT_BEFORE = re.compile(
    r"(?:лицев|расч[её]тн|текущ|банковск|депозитн|ссудн|карточн|корреспондентск|транзитн)\w*\s*$",
    re.IGNORECASE,
)
# "N" only as a sign of its own ("N 5", "No. 5", "N5"), not the start of "NX-5".
_SIGN = r"(?:№+|(?-i:N)(?:[oо°]\.?|\.)?(?![A-Za-zА-Яа-яЁё])|#|номер\w*)"
_SIGN_AHEAD = re.compile(rf"\s*(?:[:\-]\s*)?{_SIGN}\s*", re.IGNORECASE)
# A dot only between digits ("12.3"), so "№ 123.В т.ч. НДС" ends at 123.
_TOKEN = re.compile(rf"[{_W}]+(?:(?:[-/\\_]|(?<=[0-9])\.(?=[0-9]))[{_W}]+)*")
_SEPARATOR = re.compile(r"\s*(?:[:\-]\s*)?")
_FILLER = re.compile(r"(?:\s+[а-яё]+\.?){1,3}(?=\s*" + _SIGN + ")", re.IGNORECASE)
_FILLER_STOP = frozenset({"от", "за", "по", "и", "в", "во", "на", "с", "со", "без", "к", "из"})
_PREFIX = re.compile(r"[А-ЯA-Z]{1,3}")
_MONTHS = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "мая": 5,
    "май": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}
_DATE_AFTER = re.compile(
    r"\s*,?\s*от\s*"
    r"(?:(?P<d>[0-9]{1,2})[./\-](?P<m>[0-9]{1,2})[./\-](?P<y>[0-9]{4}|[0-9]{2})(?![0-9])"
    r"|(?P<wd>[0-9]{1,2})\s+(?P<wm>[а-я]+)\s+(?P<wy>[0-9]{4}))"
    r"(?:\s*г(?:ода|\.|(?![а-я])))?",
    re.IGNORECASE,
)
_CONTINUATION = re.compile(r"\s*(?:,\s*и\s+|,\s*|;\s*|\s+и\s+)", re.IGNORECASE)
_DATE_LIKE = re.compile(r"[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4}")
_AMOUNT_LIKE = re.compile(r"[0-9]+[.,][0-9]{2}")
_ACCOUNT_LIKE = re.compile(r"[0-9]{20}")
_UNIT_AFTER = re.compile(
    r"\s*(?:%|руб|р\.|коп|шт|тыс|млн|г\.|год|кг|ед\.|[.,][0-9])", re.IGNORECASE
)
_MAX_NUMBER_LENGTH = 40


def named_documents(purpose: str) -> tuple[NamedDocument, ...]:
    """The documents a payment purpose names, in order, each once: a keyword (счет, сч.,
    счет на оплату, заказ; реализация, УПД, накладная, ТОРГ-12, счет-фактура, с/ф, акт;
    договор, дог., контракт), an optional sign (№, N, #), the number, an optional
    "от <date>"; further numbers of the same kind follow after a comma, ";" or "и"
    ("по сч. № 183 от 31.05.2022, № 211 от 30.06.2022", "по счетам 101, 102 и 103").

    Only what follows a keyword is a number, so amounts ("Сумма 12354-00"), VAT rates, ИНН
    and dates elsewhere are never taken; neither are a date or an amount in a number's
    place, a 20-digit account ("на расчетный счет 4070…"), "б/н" (no number), "акт сверки"
    or a payment order the purpose refers to ("п/п № 345")."""
    text = _SPACES.sub(" ", purpose)
    found: dict[tuple[NamedKind, str], NamedDocument] = {}
    position = 0
    while match := _KEYWORD.search(text, position):
        position = match.end()
        if match.lastgroup is None:
            continue
        kind = NamedKind(match.lastgroup)
        if kind is NamedKind.INVOICE and _ACCOUNT_BEFORE.search(text, 0, match.start()):
            continue
        first = _first_number(text, position)
        if first is None:
            continue
        number, dated, position = first
        group = [(number, dated)]
        while (more := _next_number(text, position)) is not None:
            number, dated, position = more
            group.append((number, dated))
        # "по накладным № 15, 16, 17 от 05.08.2026": the date written once after a list
        # is the date of every number before it that has none of its own.
        later: date | None = None
        for index in range(len(group) - 1, -1, -1):
            number, dated = group[index]
            later = dated or later
            group[index] = (number, later)
        for number, dated in group:
            _keep(found, NamedDocument(kind, number, dated))
    return tuple(found.values())


def named_numbers(purpose: str) -> tuple[str, ...]:
    """The shipment and invoice numbers a payment purpose names, in order, without
    contracts: "Оплата по УПД №0001 от 01.08.2026, УПД № 0002 от 02.08.2026" →
    ("0001", "0002"); "согласно договору №15/2026 по счету 77" → ("77",)."""
    return _numbers(named_documents(purpose))


def _numbers(named: Iterable[NamedDocument]) -> tuple[str, ...]:
    return _unique(item.number for item in named if item.kind is not NamedKind.CONTRACT)


def _keep(found: dict[tuple[NamedKind, str], NamedDocument], item: NamedDocument) -> None:
    key = (item.kind, item.number.casefold())
    if key not in found or (found[key].dated is None and item.dated is not None):
        found[key] = item


def _first_number(text: str, position: int) -> tuple[str, date | None, int] | None:
    """The number right after a keyword: "№ 123", "123", "поставки № 15" (a few words
    before a sign), "от 01.08.2026 № 5" (the date first)."""
    dated: date | None = None
    if filler := _FILLER.match(text, position):
        words = [word.rstrip(".").casefold() for word in filler.group().split()]
        if not any(word in _FILLER_STOP or _KEYWORD.fullmatch(word) for word in words):
            position = filler.end()
    elif date_first := _DATE_AFTER.match(text, position):
        dated = _date_of(date_first)
        if _SIGN_AHEAD.match(text, date_first.end()):
            position = date_first.end()
    signed = _SIGN_AHEAD.match(text, position)
    separator = _SEPARATOR.match(text, position)
    start = signed.end() if signed else separator.end() if separator else position
    if _KEYWORD.match(text, start):
        # "товарной накладной ТОРГ-12 № 890": the next keyword names the number.
        return None
    token = _number_at(text, start, signed=signed is not None)
    if token is None or (signed is None and _UNIT_AFTER.match(text, token[1])):
        return None
    number, end = token
    after = _DATE_AFTER.match(text, end)
    if after is not None:
        dated, end = _date_of(after), after.end()
    return number, dated, end


def _next_number(text: str, position: int) -> tuple[str, date | None, int] | None:
    """Another number of the same kind after ",", ";" or "и": with a sign, or a token with
    digits that is neither a keyword of its own ("ТОРГ-12") nor a quantity or amount."""
    separator = _CONTINUATION.match(text, position)
    if separator is None:
        return None
    start = separator.end()
    signed = _SIGN_AHEAD.match(text, start)
    if signed is not None:
        token = _number_at(text, signed.end(), signed=True)
    elif _KEYWORD.match(text, start) or _DATE_AFTER.match(text, start):
        return None
    else:
        token = _number_at(text, start, signed=False)
        if token is not None and _UNIT_AFTER.match(text, token[1]):
            return None
    if token is None:
        return None
    number, end = token
    dated: date | None = None
    if after := _DATE_AFTER.match(text, end):
        dated, end = _date_of(after), after.end()
    return number, dated, end


def _number_at(text: str, start: int, *, signed: bool) -> tuple[str, int] | None:
    match = _TOKEN.match(text, start)
    if match is None:
        return None
    number, end = match.group(), match.end()
    if signed and _PREFIX.fullmatch(number) and not any(c.isdigit() for c in number):
        # "N Н 394/536-10-16": a letter series written apart from the digits.
        rest = _TOKEN.match(text, end + 1) if text[end : end + 1] == " " else None
        if rest is not None and any(c.isdigit() for c in rest.group()):
            number, end = f"{number} {rest.group()}", rest.end()
    if (
        not any(char.isdigit() for char in number)
        or len(number) > _MAX_NUMBER_LENGTH
        or _DATE_LIKE.fullmatch(number)
        or _AMOUNT_LIKE.fullmatch(number)
        or _ACCOUNT_LIKE.fullmatch(number)
        or text[end : end + 1] == "%"
    ):
        return None
    return number, end


def _date_of(match: re.Match[str]) -> date | None:
    if match.group("d"):
        day, month, year = int(match.group("d")), int(match.group("m")), int(match.group("y"))
        if year < 100:
            year += 2000
    else:
        month_number = _MONTHS.get(match.group("wm")[:3].casefold())
        if month_number is None:
            return None
        day, month, year = int(match.group("wd")), month_number, int(match.group("wy"))
    try:
        return date(year, month, day)
    except ValueError:
        return None
