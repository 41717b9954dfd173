"""Translations: Fluent (.ftl) catalogues in bot/locales/<lang>/, injected as `l10n`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

logger = logging.getLogger(__name__)
LOCALES_DIR = Path(__file__).parent / "locales"


class L10n:
    """The texts of one language."""

    def __init__(self, language: str, bundle: FluentBundle) -> None:
        self.language = language
        self._bundle = bundle

    def __call__(self, key: str, **args: Any) -> str:
        if not self._bundle.has_message(key):
            logger.error("missing translation %s in %s", key, self.language)
            return key
        message = self._bundle.get_message(key)
        if message.value is None:
            return key
        text, errors = self._bundle.format_pattern(message.value, args)
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

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._bundles)

    def keys(self, language: str) -> set[str]:
        return set(self._keys[language])

    def get(self, language: str | None) -> L10n:
        lang = language if language in self._bundles else self.default
        return L10n(lang, self._bundles[lang])
