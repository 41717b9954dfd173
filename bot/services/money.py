"""Money as people type and read it: Decimal in, Decimal out, never float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "CNY": "¥"}
_SPACES = re.compile(r"[\s\u00a0\u202f']")


class AmountError(ValueError):
    reason = "amount-error"


def parse_amount(text: str) -> Decimal:
    """ "1 250 000,50", "1250000.5", "1,250,000.50" → Decimal; at most 2 decimals, not
    negative."""
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
    if (
        not amount.is_finite()
        or amount < 0
        or amount != amount.quantize(Decimal("0.01"))
        or amount >= Decimal("1e16")
    ):
        raise AmountError(text)
    return amount.quantize(Decimal("0.01"))


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """1 250 000,00 ₽ in Russian; 1,250,000.00 ₽ in English."""
    value = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, cents = f"{abs(value):,.2f}".partition(".")
    if language == "ru":
        whole = whole.replace(",", "\u00a0")
        text = f"{whole},{cents}"
    else:
        text = f"{whole}.{cents}"
    sign = "-" if value < 0 else ""
    return f"{sign}{text}\u00a0{CURRENCY_SIGNS.get(currency, currency)}"
