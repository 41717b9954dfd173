"""Claim deadlines and the reminders they call for: the internal deadline in business
days, the legal one in calendar days, and which reminder is due on a given day.

Pure: dates are plain ``datetime.date`` values (the caller converts "now" to the user's
local date first), and the company calendar is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.services.business_calendar import BusinessCalendar
from bot.services.claim_rules import ClaimStatus, is_open

__all__ = [
    "Deadlines",
    "calendar_days_deadline",
    "claim_deadlines",
    "days_left",
    "due_reminders",
]


@dataclass(frozen=True, slots=True)
class Deadlines:
    internal: date  # our own service level, in business days
    legal: date  # the statutory pre-trial period, in calendar days


def calendar_days_deadline(start: date, days: int, calendar: BusinessCalendar) -> date:
    """``days`` calendar days after ``start``, moved to the next business day when that is
    a day off: the legal deadline of a claim and the answer deadline of a payment claim."""
    # Russian procedural periods count calendar days, but a period ending on a day off
    # ends on the next business day (cf. art. 114 APC RF, art. 193 Civil Code RF).
    return calendar.next_business_day(start + timedelta(days=days), include_today=True)


def claim_deadlines(
    registered: date,
    *,
    calendar: BusinessCalendar,
    internal_business_days: int = 10,
    legal_calendar_days: int = 30,
) -> Deadlines:
    """Deadlines of a claim registered on ``registered``.

    * internal — ``internal_business_days`` business days after registration (the n-th
      business day strictly after it), our own promise to the client;
    * legal — ``legal_calendar_days`` calendar days after registration: the pre-trial
      claim period of the Arbitration Procedure Code (art. 4 part 5 APC RF) counts
      calendar days; when it ends on a day off it moves to the next business day.
    """
    if internal_business_days < 1 or legal_calendar_days < 1:
        raise ValueError("claim deadlines must be at least one day after registration")
    return Deadlines(
        internal=calendar.add_business_days(registered, internal_business_days),
        legal=calendar_days_deadline(registered, legal_calendar_days, calendar),
    )


def days_left(deadline: date, today: date) -> int:
    """Calendar days until ``deadline``: 0 on the day itself, negative when late."""
    return (deadline - today).days


def due_reminders(
    *,
    today: date,
    internal: date,
    legal: date,
    calendar: BusinessCalendar,
    status: ClaimStatus,
) -> list[str]:
    """Reminder keys due *today* for a claim; empty for a closed claim.

    The reminder job runs every day (weekends included), so each rule names exactly one
    day on which it fires — nothing is repeated and nothing needs remembering:

    * ``internal-soon`` — today is the business day 2 business days before the internal
      deadline (``calendar.add_business_days(today, 2) == internal`` with today a
      business day; computed as ``add_business_days(internal, -2)`` so that a weekend
      day, which also satisfies the forward formula, never fires it a second time);
    * ``internal-today`` — today is the internal deadline;
    * ``legal-soon`` — the legal deadline is exactly 5 calendar days away (the legal
      period itself counts calendar days);
    * ``legal-passed`` — today is the first day after the legal deadline: the client
      can now be taken to court (outgoing) or can take us there (incoming).

    Keys are returned in the order above.
    """
    if not is_open(status):
        return []
    keys: list[str] = []
    if today == calendar.add_business_days(internal, -2):
        keys.append("internal-soon")
    if today == internal:
        keys.append("internal-today")
    if (legal - today).days == 5:
        keys.append("legal-soon")
    if today == legal + timedelta(days=1):
        keys.append("legal-passed")
    return keys
