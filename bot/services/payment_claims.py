"""The payment claim (претензия об оплате): when an overdue debt qualifies, what the letter
states, and the letter itself as plain text and as .docx, in Russian or English.

The wording lives in the catalogues (bot/locales/<lang>/payment_claims.ftl), with the
plural of the days overdue chosen there by CLDR's rules. Every figure is written by
bot.services.formatting, the way a document writes it: plain spaces between the groups of
digits (a letter is copied into e-mail and other documents, where a stray U+00A0 causes
more trouble than a number wrapped across lines), amounts in roubles as `1 250 000,00 руб.`
and `1,250,000.00 RUB`, dates DD.MM.YYYY.

Pure apart from the translator passed in: no clock, no database, no I/O except building
bytes in memory. Dates are plain ``datetime.date`` values (the caller converts "now" to the
user's local date first).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.services import formatting
from bot.services.business_calendar import BusinessCalendar
from bot.services.claim_deadlines import calendar_days_deadline
from bot.services.receivables import penalty

__all__ = [
    "LANGUAGES",
    "OverdueItem",
    "PaymentClaimDraft",
    "Texts",
    "payment_claim_docx",
    "payment_claim_draft",
    "payment_claim_eligible",
    "payment_claim_text",
]

# The languages the letter is written in. Kept explicit instead of falling back to the
# default language as screens do: a legal letter silently produced in the wrong language is
# worse than an error.
LANGUAGES = ("ru", "en")

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")


class Texts(Protocol):
    """The translator, as the letter sees it (bot.runtime.i18n.Translator)."""

    def get(self, language: str | None) -> Callable[..., str]: ...


# ---------------------------------------------------------------------- the draft


@dataclass(frozen=True, slots=True)
class OverdueItem:
    number: str  # the shipment document's number (УПД / накладная)
    shipped_on: date
    due_on: date
    amount: Decimal  # what is still owed on it
    days_overdue: int


@dataclass(frozen=True, slots=True)
class PaymentClaimDraft:
    client_name: str
    client_inn: str | None
    contract_number: str | None
    items: tuple[OverdueItem, ...]
    total: Decimal
    penalty: Decimal | None  # None when the contract has no penalty rate
    penalty_rate: Decimal | None  # percent of the debt per day of delay
    answer_deadline: date
    date: date  # the letter's date
    company_manager: str


def payment_claim_eligible(days_overdue: int, threshold_days: int = 30) -> bool:
    """Whether a debt is overdue long enough to offer a payment claim: at least
    ``threshold_days`` days (``>=``, so "30 days overdue" qualifies on the 30th day —
    the threshold reads as "a month late", and a month late is late enough)."""
    return days_overdue >= threshold_days


def payment_claim_draft(
    *,
    client_name: str,
    client_inn: str | None,
    contract_number: str | None,
    items: Iterable[OverdueItem],
    penalty_rate: Decimal | None,
    today: date,
    answer_days: int = 30,
    calendar: BusinessCalendar,
    manager_name: str,
) -> PaymentClaimDraft:
    """Everything the payment claim letter states, computed once.

    total — the sum of the items; penalty — the contract penalty summed per item
    (each shipment is late by its own number of days), None without a rate; answer
    deadline — ``answer_days`` calendar days after today, moved to the next business
    day like the legal deadline of a claim.
    """
    frozen = tuple(items)
    if not frozen:
        raise ValueError("a payment claim needs at least one overdue shipment")
    if answer_days < 1:
        raise ValueError(f"answer_days must be positive: {answer_days}")
    if penalty_rate is not None and penalty_rate < 0:
        raise ValueError(f"penalty rate must not be negative: {penalty_rate}")
    total = sum((item.amount for item in frozen), _ZERO).quantize(_CENT)
    accrued: Decimal | None = None
    if penalty_rate is not None:
        # max(…, 0): a shipment not yet overdue must not reduce the penalty.
        accrued = sum(
            (penalty(item.amount, penalty_rate, max(item.days_overdue, 0)) for item in frozen),
            _ZERO,
        )
    return PaymentClaimDraft(
        client_name=client_name.strip(),
        client_inn=(client_inn or "").strip() or None,
        contract_number=(contract_number or "").strip() or None,
        items=frozen,
        total=total,
        penalty=accrued,
        penalty_rate=penalty_rate,
        answer_deadline=calendar_days_deadline(today, answer_days, calendar),
        date=today,
        company_manager=manager_name.strip(),
    )


# ---------------------------------------------------------------------- the letter


def _plain(text: str) -> str:
    # The document form of a figure, as formatting.document_money writes amounts: plain
    # spaces and a hyphen-minus (see the module's note).
    return text.replace(formatting.NBSP, " ").replace(formatting.MINUS, "-")


def _count(value: int, language: str) -> str:
    return _plain(formatting.number(value, language))


def _rate(rate: Decimal, language: str) -> str:
    # "0,1 %" with every place the contract gives (a legal rate is not rounded to a tenth
    # like the percentages on screens), in the locale's percent form.
    return _plain(formatting.percent_text(formatting.number(rate, language), language))


@dataclass(frozen=True, slots=True)
class _Letter:
    """The letter split into blocks, so that the plain text and the .docx say exactly
    the same thing and differ only in layout."""

    addressee: tuple[str, ...]
    title: str
    intro: str
    item_lines: tuple[str, ...]
    table_header: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    total: str
    penalty: tuple[str, ...]
    demand: str
    warning: str
    date_line: str
    signature_intro: str
    signature: str


def _letter(draft: PaymentClaimDraft, language: str, texts: Texts) -> _Letter:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported letter language: {language!r}")
    t = texts.get(language)

    def amount(value: Decimal) -> str:
        return formatting.document_money(value, language)

    def day(value: date) -> str:
        return formatting.day(value, language)

    addressee = [t("payment-letter-to", client=draft.client_name)]
    if draft.client_inn:
        addressee.append(t("payment-letter-inn", inn=draft.client_inn))
    if draft.contract_number:
        intro = t(
            "payment-letter-intro-contract",
            client=draft.client_name,
            contract=draft.contract_number,
        )
    else:
        intro = t("payment-letter-intro", client=draft.client_name)
    item_lines = tuple(
        t(
            "payment-letter-item",
            index=_count(index, language),
            number=item.number,
            shipped=day(item.shipped_on),
            due=day(item.due_on),
            amount=amount(item.amount),
            days=_count(item.days_overdue, language),
            # The plural form of −2 is that of 2 (CLDR's rules read the absolute value).
            count=abs(item.days_overdue),
        )
        for index, item in enumerate(draft.items, start=1)
    )
    total = amount(draft.total)
    deadline = day(draft.answer_deadline)
    if draft.penalty is not None and draft.penalty_rate is not None:
        accrued = amount(draft.penalty)
        penalty_lines: tuple[str, ...] = (
            t(
                "payment-letter-penalty",
                rate=_rate(draft.penalty_rate, language),
                date=day(draft.date),
                penalty=accrued,
            ),
        )
        demand = t(
            "payment-letter-demand-penalty", deadline=deadline, total=total, penalty=accrued
        )
        warning = t("payment-letter-warning-penalty")
    else:
        penalty_lines = ()
        demand = t("payment-letter-demand", deadline=deadline, total=total)
        warning = t("payment-letter-warning")
    return _Letter(
        addressee=tuple(addressee),
        title=t("payment-letter-title"),
        intro=intro,
        item_lines=item_lines,
        table_header=tuple(
            t(f"payment-letter-column-{column}")
            for column in ("number", "shipped", "due", "amount", "days")
        ),
        table_rows=tuple(
            (
                item.number,
                day(item.shipped_on),
                day(item.due_on),
                amount(item.amount),
                _count(item.days_overdue, language),
            )
            for item in draft.items
        ),
        total=t("payment-letter-total", total=total),
        penalty=penalty_lines,
        demand=demand,
        warning=warning,
        date_line=t("payment-letter-date", date=day(draft.date)),
        signature_intro=t("payment-letter-regards"),
        signature=t("payment-letter-signature", manager=draft.company_manager),
    )


def payment_claim_text(draft: PaymentClaimDraft, language: str, *, texts: Texts) -> str:
    """The payment claim as a plain-text letter in ``language`` ("ru" or "en")."""
    letter = _letter(draft, language, texts)
    blocks = [
        "\n".join(letter.addressee),
        letter.title,
        letter.intro,
        "\n".join(letter.item_lines),
        letter.total,
        *letter.penalty,
        letter.demand,
        letter.warning,
        letter.date_line,
        f"{letter.signature_intro}\n{letter.signature}",
    ]
    return "\n\n".join(blocks) + "\n"


def payment_claim_docx(draft: PaymentClaimDraft, language: str, *, texts: Texts) -> bytes:
    """The payment claim as a .docx document (bytes), built in memory."""
    letter = _letter(draft, language, texts)
    document = Document()
    normal = document.styles["Normal"].font
    normal.name = "Times New Roman"  # the customary font of Russian business letters
    normal.size = Pt(12)

    # Russian business letters put the addressee in the top right corner.
    for line in letter.addressee:
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.add_run(letter.title)
    title_run.bold = True
    title_run.font.size = Pt(14)

    document.add_paragraph(letter.intro).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    table = document.add_table(rows=1, cols=len(letter.table_header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, letter.table_header, strict=True):
        # A fresh cell holds one empty paragraph without runs; add a bold run to it
        # (assigning cell.text would leave an extra, non-bold run behind).
        cell.paragraphs[0].add_run(heading).bold = True
    for values in letter.table_rows:
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = value
            if column >= 3:  # amounts and day counts read best right-aligned
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    total = document.add_paragraph()
    total.add_run(letter.total).bold = True
    for line in (*letter.penalty, letter.demand, letter.warning):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    document.add_paragraph(letter.date_line)
    document.add_paragraph(letter.signature_intro)
    document.add_paragraph(letter.signature)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
