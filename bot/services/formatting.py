"""Numbers, money, percentages, quantities and dates as the user's language writes them.

Every figure the bot shows goes through here, so a screen cannot mix `87.6 %` with
`87,6 %`. The separators and the percent pattern of each locale come from Babel (CLDR);
they are read once per locale and applied with Python's own number formatting, because
Babel's pattern engine costs about 10 µs a number and a morning digest run formats
hundreds of thousands of them (tests/unit/test_formatting.py checks that both agree).

The rules (the README's "Formats" paragraph says the same):

- Groups of three digits with the locale's separator: a no-break space in Russian
  (U+00A0, CLDR's `ru` group sign: Telegram shows it as a space and never breaks a number
  across lines), a comma in English. Decimal comma in Russian, point in English.
- Money: always two decimals, then a no-break space and the currency sign, in both
  languages: `1 250 000,00 ₽`, `1,250,000.00 ₽`. (CLDR's English would write `RUB1,250,000.00`:
  the bot's English readers work for a Russian company and read roubles the Russian way.)
- Percentages: at most one decimal, rounded half up, a trailing zero dropped: `87,6 %`,
  `10 %`, `0,4 %` (`87.6%`, `10%` in English, no space, as English writes it). One rule for
  every percentage the bot shows, because a tenth matters at the edges a supervisor looks
  at (99,6 % is not a plan fulfilled; a 2,5 % price rise is not 3 %) while whole figures stay
  short. Signed percentages (changes) carry `+` or a real minus: `+7 %`, `−3,5 %`.
- Negative numbers take the minus sign U+2212 (`−40 %`, `−4 000,00 ₽`), not a hyphen.
- Quantities: as many decimals as they have, at most three (1C writes `12,500` kg):
  `1 300`, `12,5`, with the unit after a no-break space when there is one.
- Dates: DD.MM.YYYY in both languages, times HH:MM on the 24-hour clock, in the user's
  zone. English too: the bot reads typed dates that way in both languages (`25.12`), so
  what it shows can be typed back; a US `11/23/26` would contradict it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError

MINUS = "\u2212"
NBSP = "\u00a0"
RANGE_DASH = "\u2013"
CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "CNY": "¥"}
DEFAULT_LOCALE = "ru"  # DEFAULT_LANGUAGE's default: an unknown locale reads as Russian

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_QUANTITY_STEP = Decimal("0.001")
Number = Decimal | int


@dataclass(frozen=True, slots=True)
class _Style:
    """One locale's number symbols, from Babel."""

    table: dict[int, str]  # "," and "." of Python's format → the locale's group and decimal
    percent_prefix: str
    percent_suffix: str


@lru_cache(maxsize=16)
def _style(locale: str) -> _Style:
    try:
        data = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        data = Locale.parse(DEFAULT_LOCALE)
    symbols = data.number_symbols["latn"]
    pattern = data.percent_formats[None]
    sign = symbols["percentSign"]
    return _Style(
        table=str.maketrans({",": symbols["group"], ".": symbols["decimal"]}),
        percent_prefix=pattern.prefix[0].replace("%", sign),
        percent_suffix=pattern.suffix[0].replace("%", sign),
    )


def _digits(value: Number, locale: str, spec: str) -> str:
    """`value` through a Python format spec (",d", ",.2f", ",f"), with the locale's
    separators and a real minus (a Decimal −0, which rounding can give, is not below 0:
    no sign on nothing)."""
    text = format(abs(value), spec).translate(_style(locale).table)
    return MINUS + text if value < 0 else text


def number(value: Number, locale: str, *, decimals: int | None = None) -> str:
    """A count or a figure: `1 300`, `12,5`. `decimals` rounds half up to that many places
    and keeps them (`decimals=2`: `12,50`); without it a Decimal shows the places it has
    beyond trailing zeros."""
    if isinstance(value, int):
        return _digits(value, locale, ",d")
    if decimals is not None:
        rounded = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        return _digits(rounded, locale, f",.{decimals}f")
    # normalize() drops trailing zeros; the "f" format keeps 1E+3 from scientific notation.
    return _digits(value.normalize(), locale, ",f")


def money(amount: Decimal, currency: str, locale: str) -> str:
    """`1 250 000,00 ₽` in Russian, `1,250,000.00 ₽` in English; a sign we do not know is
    written as its code (`1 000,00 GBP`)."""
    sign = CURRENCY_SIGNS.get(currency, currency)
    return f"{number(amount, locale, decimals=2)}{NBSP}{sign}"


def document_money(amount: Decimal, locale: str) -> str:
    """Roubles as a letter writes them: `1 250 000,00 руб.`, `1,250,000.00 RUB`. Plain spaces
    between the groups: a letter is copied into e-mail and documents, where a stray U+00A0
    causes more trouble than a number wrapped across lines; a hyphen-minus for the same
    reason."""
    text = number(amount, locale, decimals=2).replace(NBSP, " ").replace(MINUS, "-")
    return f"{text} руб." if locale == "ru" else f"{text} RUB"


def percent(value: Number, locale: str, *, signed: bool = False) -> str:
    """`value` percent (87.6 is 87.6 %): `87,6 %`, `10 %` in Russian, `87.6%` in English;
    `signed` adds `+` to a rise (a fall always has its minus)."""
    rounded = Decimal(value).quantize(_TENTH, ROUND_HALF_UP)
    text = percent_text(number(rounded, locale), locale)
    return "+" + text if signed and rounded > 0 else text


def percent_text(figure: str, locale: str) -> str:
    """A figure already written (`0,125`) in the locale's percent form: `0,125 %`,
    `0.125%`; for a rate that keeps every place a contract gives it."""
    style = _style(locale)
    return f"{style.percent_prefix}{figure}{style.percent_suffix}"


def quantity(value: Decimal, unit: str | None, locale: str) -> str:
    """`1 300`, `12,5 кг`: the places the quantity has, at most three."""
    text = number(value.quantize(_QUANTITY_STEP, ROUND_HALF_UP), locale)
    return f"{text}{NBSP}{unit}" if unit else text


def day(value: date, locale: str) -> str:
    """23.11.2026 (both languages; see the module's note)."""
    # Explicit padding: strftime's %Y is not zero-padded on every platform.
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def clock_time(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def moment(value: datetime, zone: str | ZoneInfo, locale: str) -> str:
    """23.11.2026 14:30 in `zone` (an aware UTC moment from storage, shown locally)."""
    local = value.astimezone(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))
    return f"{day(local.date(), locale)} {clock_time(local)}"


def day_range(start: date, end: date, locale: str) -> str:
    """23.11–29.11.2026 within a year, 28.12.2026–03.01.2027 across years, one day alone."""
    if start == end:
        return day(start, locale)
    if start.year == end.year:
        return f"{start.day:02d}.{start.month:02d}{RANGE_DASH}{day(end, locale)}"
    return f"{day(start, locale)}{RANGE_DASH}{day(end, locale)}"


class Span(Protocol):
    """A period (plans.Period): its first and last day."""

    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


def period_label(period: Span, locale: str) -> str:
    """A plan, report or export period as the user's language writes it: a week as its
    days (`23.11–29.11.2026`), a month `11.2026`, a year `2026`, a quarter `4 кв. 2026` in
    Russian (the form 1C and Russian business documents use; /plan reads it back) and
    `Q4 2026` in English. Only for showing: callback data and file names keep
    `Period.label`, which does not depend on the language."""
    start, end = period.start, period.end
    if (end - start).days == 6:
        return day_range(start, end, locale)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if start.day == 1 and (following - end).days == 1:
        return f"{start.month:02d}.{start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    quarter = (start.month - 1) // 3 + 1
    return f"{quarter} кв. {start.year}" if locale.startswith("ru") else f"Q{quarter} {start.year}"
