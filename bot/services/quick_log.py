"""The one-message contact form: ``/log Ромашка: discussed Q1 volumes; next: send offer +2``.

A manager between two meetings will not walk through a dialogue; one line must carry
the client, what happened, and optionally the next step with its date:

    <client query>: <summary>[; <more summary>][; next: <next step> [<date>]]

* the client query is everything before the first colon (it is searched for with
  ``client_search``, so it may be partial or contain quotes);
* the rest is split on ``;``; parts starting with a next-step marker (``next:``,
  ``next step:``, ``далее:``, ``след:``, ``следующий шаг:``, ``шаг:``, any case) are
  the next step, all other parts form the summary (joined back with "; " so nothing
  the manager wrote is lost);
* a date at the end of the next step (anything ``dates.parse_when`` accepts: ``+2``,
  ``завтра``, ``25.12 14:30``, ``пт``) is split off as ``next_when_text``. It is kept
  as text: the handler parses it again with the real clock and validates it, and can
  show the user exactly what it understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.dates import REASON_FORMAT as REASON_DATE_FORMAT
from bot.services.dates import REASON_TIME as REASON_DATE_TIME
from bot.services.dates import DateParseError, parse_when

__all__ = [
    "MAX_TEXT",
    "REASON_DATE",
    "REASON_FORMAT",
    "REASON_TOO_LONG",
    "QuickLog",
    "QuickLogError",
    "parse_quick_log",
    "split_trailing_when",
]

REASON_FORMAT = "quicklog-error-format"
REASON_DATE = "quicklog-error-date"
REASON_TOO_LONG = "text-error-too-long"

# Longest summary or next step we store: a note, not a document. Telegram caps a
# message at 4096 characters, so this only bites on pasted text with a long prefix.
MAX_TEXT = 4000

# Longest date expression we look for at the end of a next step, in words:
# "в пятницу в 11:00" is four, "day after tomorrow at 9:30" five.
_MAX_WHEN_WORDS = 5

# Longer markers first so that "следующий шаг:" is not taken for something shorter.
_NEXT_RE = re.compile(
    r"(?:next\s+step|next|следующий\s+шаг|далее|след|шаг)\s*:(?P<body>.*)",
    re.IGNORECASE | re.DOTALL,
)
_WORD_RE = re.compile(r"\S+")
# What a date looks like even when it is not one ("25.13.2026", "2026-02-30", "+2x"): a
# next step ending in one names a date the manager meant, never words to keep silently.
_DATE_LIKE_RE = re.compile(
    r"(?:[0-9]{1,2}[./][0-9]{1,2}(?:[./][0-9]{2,4})?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|\+\s?[0-9]+\S*)(?:\s+(?:(?:в|at)\s+)?[0-9]{1,2}:[0-9]{2})?\.?",
    re.IGNORECASE,
)
# Punctuation left dangling between the step and its date: "send offer, +2",
# "call — завтра".
_DANGLING = " \t\r\n,;:-–—"


class QuickLogError(ValueError):
    """The message does not follow the quick-log format; ``reason`` is a translation key.
    For a next step whose date cannot be read, ``value`` is that date as typed and
    ``date_reason`` says why (a ``dates`` reason key)."""

    def __init__(self, reason: str, value: str = "", date_reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value
        self.date_reason = date_reason


@dataclass(frozen=True, slots=True)
class QuickLog:
    """A parsed quick-log message. ``next_when_text`` is only set with ``next_step``."""

    client_query: str
    summary: str
    next_step: str | None
    next_when_text: str | None


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def split_trailing_when(text: str, *, now: datetime, tz: ZoneInfo) -> tuple[str, str | None]:
    """Split a trailing date expression off ``text``.

    Tries the last 5, 4, ... 1 words, longest first (so "25.12 14:30" is not cut to
    "14:30", "day after tomorrow" not to "tomorrow", "в пятницу" not to "пятницу"
    leaving a dangling preposition in the step), and returns
    ``(text before it, the expression as typed)``, or ``(text, None)`` when the text
    does not end in a date. ``now`` and ``tz`` only decide parseability here; the
    caller parses the expression again when it needs the actual date. Invalid dates
    ("31.02") do not parse and therefore stay in the text.
    """
    _require_aware(now, "now")
    words = list(_WORD_RE.finditer(text))
    for count in range(min(_MAX_WHEN_WORDS, len(words)), 0, -1):
        start = words[-count].start()
        candidate = text[start:].strip()
        try:
            parse_when(candidate, now=now, tz=tz)
        except DateParseError:
            continue
        return text[:start].strip().rstrip(_DANGLING), candidate
    return text.strip(), None


def unreadable_trailing_date(text: str, *, now: datetime, tz: ZoneInfo) -> QuickLogError | None:
    """The error for a next step that ends in something shaped like a date that is not
    one ("позвонить 31.02", "call +2x"); None when the text does not end in a date-like
    expression at all. Only called once ``split_trailing_when`` found no readable date."""
    words = list(_WORD_RE.finditer(text))
    for count in range(1, min(_MAX_WHEN_WORDS, len(words)) + 1):
        candidate = text[words[-count].start() :].strip()
        try:
            parse_when(candidate, now=now, tz=tz)
        except DateParseError as exc:
            # "31.02", "завтра в 9:61": a date's shape with a value that does not exist;
            # "+2x": not readable at all, but shaped like a date.
            if exc.reason == REASON_DATE_TIME:  # the time alone is what does not exist
                return QuickLogError(REASON_DATE, value=words[-1][0], date_reason=exc.reason)
            if exc.reason != REASON_DATE_FORMAT or _DATE_LIKE_RE.fullmatch(candidate):
                return QuickLogError(REASON_DATE, value=candidate[:64], date_reason=exc.reason)
    return None


def _check_length(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise QuickLogError(REASON_TOO_LONG)
    return text


def parse_quick_log(text: str, *, now: datetime, tz: ZoneInfo) -> QuickLog:
    """Parse the text after ``/log `` (see the module docstring).

    Raises QuickLogError with reason ``quicklog-error-format`` when there is no colon,
    the client query or the summary is empty, there is more than one next step, or
    the next step is only a date; ``text-error-too-long`` when the summary or the
    next step exceeds MAX_TEXT characters.
    """
    _require_aware(now, "now")
    client_query, colon, rest = text.partition(":")
    client_query = client_query.strip()
    if not colon or not client_query:
        raise QuickLogError(REASON_FORMAT)

    summary_parts: list[str] = []
    next_bodies: list[str] = []
    for raw in rest.split(";"):
        part = raw.strip()
        if not part:
            continue  # "a;;b" or a trailing ";" is a typo, not an empty entry
        if match := _NEXT_RE.match(part):
            next_bodies.append(match["body"].strip())
        else:
            summary_parts.append(part)

    summary = "; ".join(summary_parts)
    if not summary or len(next_bodies) > 1:
        # Two next steps are ambiguous (which date is the reminder?); ask again rather
        # than guess.
        raise QuickLogError(REASON_FORMAT)
    _check_length(summary)

    next_step: str | None = None
    next_when_text: str | None = None
    if next_bodies and next_bodies[0]:
        next_step, next_when_text = split_trailing_when(next_bodies[0], now=now, tz=tz)
        if next_when_text is None and (
            error := unreadable_trailing_date(next_step, now=now, tz=tz)
        ):
            raise error
        if not next_step:
            # "next: завтра" says when but not what; a reminder without a task is
            # useless, and guessing one would put words in the manager's mouth.
            raise QuickLogError(REASON_FORMAT)
        _check_length(next_step)

    return QuickLog(
        client_query=client_query,
        summary=summary,
        next_step=next_step,
        next_when_text=next_when_text,
    )
