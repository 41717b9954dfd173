"""Texts assembled from translations and data: pure functions, no Telegram calls."""

from __future__ import annotations

from bot.runtime.i18n import L10n
from bot.services.business_settings import SPECS, BusinessSettings
from storage.dto import UserDTO


def zone_label(l10n: L10n, zone: str) -> str:
    """A time zone as people name it ("Екатеринбург (МСК+2)"); the IANA name for a zone
    the catalogues do not name."""
    key = "tz-" + zone.replace("/", "-")
    return l10n(key) if l10n.has(key) else zone


def settings_text(l10n: L10n, user: UserDTO) -> str:
    return l10n(
        "settings-current",
        language=l10n(f"language-{user.language}"),
        timezone=zone_label(l10n, user.timezone),
        hour=f"{user.digest_hour:02d}:00",
    )


def company_settings_text(l10n: L10n, settings: BusinessSettings) -> str:
    lines = [l10n("company-settings-title")]
    lines += [f"• {l10n(f'setting-{key}')}: {settings.rendered(key)}" for key in SPECS]
    return "\n".join(lines)
