"""The payment claim letter reads its wording from the catalogues: the plural of the days
overdue comes from Fluent's CLDR rules in both languages, and every message the letter asks
for exists, with the arguments it needs, in ru and en alike."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import docx
import pytest

from bot.runtime.i18n import Translator
from bot.services.business_calendar import BusinessCalendar
from bot.services.formatting import MINUS, NBSP
from bot.services.payment_claims import (
    LANGUAGES,
    OverdueItem,
    PaymentClaimDraft,
    payment_claim_docx,
    payment_claim_draft,
    payment_claim_text,
)

TEXTS = Translator()
CALENDAR = BusinessCalendar("RU")


def draft_of(
    *days: int,
    rate: Decimal | None = Decimal("0.1"),
    contract: str | None = "15/2026",
    inn: str | None = "7701234567",
) -> PaymentClaimDraft:
    return payment_claim_draft(
        client_name="ООО «Ромашка»",
        client_inn=inn,
        contract_number=contract,
        items=[
            OverdueItem(f"УПД-{n}", date(2026, 9, 1), date(2026, 9, 30), Decimal("1000.00"), n)
            for n in days
        ],
        penalty_rate=rate,
        today=date(2026, 11, 26),
        calendar=CALENDAR,
        manager_name="Иванов И. И.",
    )


@pytest.mark.parametrize(
    ("language", "days", "phrase"),
    [
        ("ru", 1, "просрочка 1 день"),
        ("ru", 2, "просрочка 2 дня"),
        ("ru", 5, "просрочка 5 дней"),
        ("ru", 21, "просрочка 21 день"),
        ("en", 1, "1 day overdue"),
        ("en", 2, "2 days overdue"),
        ("en", 5, "5 days overdue"),
        ("en", 21, "21 days overdue"),
    ],
)
def test_days_overdue_take_their_plural_form(language: str, days: int, phrase: str) -> None:
    text = payment_claim_text(draft_of(days), language, texts=TEXTS)
    [line] = [line for line in text.splitlines() if line.startswith("1. ")]
    assert line.endswith(phrase), line


def overdue_of_each_item(text: str) -> list[str]:
    # An item line: "1. Отгрузка № …, сумма …, просрочка 21 день".
    return [line.rsplit(", ", 1)[1] for line in text.splitlines() if line[:1].isdigit()]


def test_one_letter_mixes_the_forms() -> None:
    draft = draft_of(1, 2, 5, 21)
    assert overdue_of_each_item(payment_claim_text(draft, "ru", texts=TEXTS)) == [
        "просрочка 1 день",
        "просрочка 2 дня",
        "просрочка 5 дней",
        "просрочка 21 день",
    ]
    assert overdue_of_each_item(payment_claim_text(draft, "en", texts=TEXTS)) == [
        "1 day overdue",
        "2 days overdue",
        "5 days overdue",
        "21 days overdue",
    ]


def test_figures_are_written_as_a_document_writes_them() -> None:
    # The common formatter groups the digits; the letter keeps plain spaces (it is copied
    # into e-mail), so no U+00A0 and no U+2212 anywhere, the .docx included.
    draft = draft_of(1234, rate=Decimal("0.125"))
    ru = payment_claim_text(draft, "ru", texts=TEXTS)
    en = payment_claim_text(draft, "en", texts=TEXTS)
    assert "просрочка 1 234 дня" in ru and "0,125 % от неоплаченной" in ru
    assert "1,234 days overdue" in en and "0.125% of the unpaid" in en
    document = docx.Document(io.BytesIO(payment_claim_docx(draft, "ru", texts=TEXTS)))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert cells[-2:] == ["1 000,00 руб.", "1 234"]
    texts = [ru, en, *cells, *(p.text for p in document.paragraphs)]
    assert not any(NBSP in t or MINUS in t for t in texts)


class Recording:
    """The translator, noting every message id the letter asks for."""

    def __init__(self, texts: Translator) -> None:
        self._texts = texts
        self.keys: set[str] = set()

    def get(self, language: str | None) -> Callable[..., str]:
        l10n = self._texts.get(language)

        def text(key: str, **args: Any) -> str:
            self.keys.add(key)
            return l10n(key, **args)

        return text


def test_every_message_of_the_letter_is_in_both_catalogues(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recording = Recording(TEXTS)
    caplog.set_level(logging.WARNING)
    # Every branch: with and without a penalty, a contract and an ИНН.
    drafts = [
        draft_of(45, 10),
        draft_of(1, rate=None, contract=None, inn=None),
    ]
    for draft in drafts:
        for language in LANGUAGES:
            payment_claim_text(draft, language, texts=recording)
            payment_claim_docx(draft, language, texts=recording)
    # A missing message or argument is logged by L10n (and would show as its id or
    # "{$name}" in the letter).
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    ru, en = TEXTS.keys("ru"), TEXTS.keys("en")
    assert recording.keys <= ru
    assert recording.keys <= en
    # And the catalogue holds nothing the letter does not use.
    letter_keys = {key for key in ru | en if key.startswith("payment-letter-")}
    assert recording.keys == letter_keys
    assert len(letter_keys) == 20
