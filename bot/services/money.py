"""Money as people type and read it: Decimal in, Decimal out, never float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.services import formatting

CURRENCY_SIGNS = formatting.CURRENCY_SIGNS
_SPACES = re.compile(r"[\s\u00a0\u202f']")


# Ten trillion: beyond any amount a person types for a deal, a plan or a claim, and far
# enough below a 64-bit column of kopecks (9.2e16 roubles) that sums of many stay inside.
MAX_TYPED_AMOUNT = Decimal("1e13")
_CENT = Decimal("0.01")


class AmountError(ValueError):
    reason = "amount-error"


def parse_amount(text: str) -> Decimal:
    """ "1 250 000,50", "1250000.5", "1,250,000.50" → Decimal; at most 2 decimals, not
    negative, below MAX_TYPED_AMOUNT."""
    raw = _SPACES.sub("", text.strip()).removesuffix("₽").removesuffix("руб").removesuffix("р")
    if "," in raw and "." in raw:
        raw = raw.replace(",", "")  # 1,250,000.50
    elif raw.count(",") == 1:
        raw = raw.replace(",", ".")  # 1250000,50
    elif raw.count(",") > 1:
        raw = raw.replace(",", "")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise AmountError(text) from None
    # The range first: quantize() itself raises InvalidOperation for a number with more
    # digits than the context's 28 ("1e30", forty nines).
    if not amount.is_finite() or amount < 0 or amount >= MAX_TYPED_AMOUNT:
        raise AmountError(text)
    if amount != amount.quantize(_CENT):
        raise AmountError(text)
    # abs(): "-0" is zero, not a signed zero shown as "-0,00".
    return abs(amount.quantize(_CENT))


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """1 250 000,00 ₽ in Russian; 1,250,000.00 ₽ in English (bot.services.formatting.money,
    kept under this name for its many callers)."""
    return formatting.money(amount, currency, language)
