"""Bounds for numbers that come from outside: ids in callback data, pages, numbers typed.

Callback data is never trusted and a person can type anything, so a number is checked
against what can exist before it reaches a query or Decimal arithmetic. Every primary key
is an `Integer` column: 32 bits on PostgreSQL, 64 on SQLite. An id beyond that cannot name
a row, and passing it to a query does not find nothing, it fails (sqlite3: "Python int too
large to convert to SQLite INTEGER"; asyncpg: "value out of int32 range").
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; SQLite's is wider
# Far beyond any list the bot shows (20 a page), small enough that page × size is no risk.
MAX_PAGE = 100_000

# ASCII digits only: str.isdigit() also says yes to "²" (which int() refuses) and to other
# scripts' digits ("٣", which int() reads as 3). Ten digits are enough for MAX_ID, and
# keep int() away from a 5,000-digit string.
_ID_TEXT = re.compile(r"[0-9]{1,10}")


def parse_id(text: str) -> int | None:
    """The id a text names (callback data, a command's argument): 1..MAX_ID in ASCII
    digits; None for anything else, which can then be answered "not available"."""
    if not _ID_TEXT.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def parse_index(text: str) -> int | None:
    """A number ≥ 0 carried as text (a list index, an hour): 0..MAX_ID in ASCII digits;
    None for anything else."""
    if not _ID_TEXT.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None
