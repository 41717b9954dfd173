"""Translations: Fluent (.ftl) catalogues in bot/locales/<lang>/, injected as `l10n`."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

from bot.services import formatting

logger = logging.getLogger(__name__)
LOCALES_DIR = Path(__file__).parents[1] / "locales"


def _argument(value: Any, language: str) -> Any:
    """A value as Fluent should see it. Integers stay numbers, so `{ $days -> [one] …}`
    picks its plural form, and Fluent writes them through Babel exactly as
    bot.services.formatting.number does (tests/unit/test_formatting.py checks), except a
    negative one: Babel's CLDR minus is a hyphen, ours U+2212, so it goes in as text. A
    Decimal goes in as text too: Fluent would drop its places ("12,50" → "12,5") and stop
    at three decimals. Money, percentages and dates are formatted by the caller."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return formatting.number(value, language) if value < 0 else value
    if isinstance(value, Decimal):
        return formatting.number(value, language)
    return value


class L10n:
    """The texts of one language."""

    def __init__(self, language: str, bundle: FluentBundle) -> None:
        self.language = language
        self._bundle = bundle
        # Texts without arguments, formatted once: Fluent's resolver is pure Python, and
        # every update shows some (menu labels, buttons, headings).
        self._plain: dict[str, str] = {}

    def __call__(self, key: str, **args: Any) -> str:
        if not args:
            text = self._plain.get(key)
            if text is None:
                text = self._plain[key] = self._format(key)
            return text
        return self._format(key, **args)

    def _format(self, key: str, **args: Any) -> str:
        if not self._bundle.has_message(key):
            logger.error("missing translation %s in %s", key, self.language)
            return key
        message = self._bundle.get_message(key)
        if message.value is None:
            return key
        values = {name: _argument(value, self.language) for name, value in args.items()}
        text, errors = self._bundle.format_pattern(message.value, values)
        if errors:
            logger.warning("translation %s in %s: %s", key, self.language, errors)
        return str(text)

    def has(self, key: str) -> bool:
        return bool(self._bundle.has_message(key))


class Translator:
    """All catalogues, loaded once at start."""

    def __init__(self, directory: Path = LOCALES_DIR, default: str = "ru") -> None:
        self.default = default
        self._bundles: dict[str, FluentBundle] = {}
        self._keys: dict[str, set[str]] = {}
        for lang_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
            # Isolation marks (U+2068/U+2069) around placeables would show in Telegram.
            bundle = FluentBundle([lang_dir.name], use_isolating=False)
            keys: set[str] = set()
            for file in sorted(lang_dir.glob("*.ftl")):
                resource = FluentResource(file.read_text(encoding="utf-8"))
                keys |= {entry.id.name for entry in resource.body if hasattr(entry, "id")}
                bundle.add_resource(resource)
            self._bundles[lang_dir.name] = bundle
            self._keys[lang_dir.name] = keys
        self._l10n = {
            language: L10n(language, bundle) for language, bundle in self._bundles.items()
        }

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._bundles)

    def keys(self, language: str) -> set[str]:
        return set(self._keys[language])

    def get(self, language: str | None) -> L10n:
        return self._l10n.get(language or "") or self._l10n[self.default]
