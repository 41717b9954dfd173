"""The day's agenda rules: pure functions of dates and settings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from storage.dto import Tier

DEFAULT_CADENCE = {Tier.A: 14, Tier.B: 30, Tier.C: 60}


def cadence_days(settings: Mapping[str, object]) -> dict[Tier, int]:
    """Contact cadence per tier from the business settings."""
    return {
        Tier.A: int(str(settings.get("cadence_a_days", DEFAULT_CADENCE[Tier.A]))),
        Tier.B: int(str(settings.get("cadence_b_days", DEFAULT_CADENCE[Tier.B]))),
        Tier.C: int(str(settings.get("cadence_c_days", DEFAULT_CADENCE[Tier.C]))),
    }


def days_past_cadence(
    last_contact: date, tier: Tier, cadence: Mapping[Tier, int], today: date
) -> int:
    """Days a key client is past its tier's cadence (0 or less: not yet due). Any logged
    contact resets the count; a client never contacted counts from when it was added."""
    return (today - last_contact).days - cadence[tier]


def days_overdue(due: date, today: date) -> int:
    return (today - due).days
