"""The mark that makes a database the demo's: a business-settings row (business settings
ignore keys they do not know). The demo never overwrites or reuses a database without it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

DEMO_MARKER = "demo_company"
MARKER_VERSION = 1


@dataclass(frozen=True)
class DemoMarker:
    seed: int
    today: date
    language: str

    def to_text(self) -> str:
        return json.dumps(
            {
                "version": MARKER_VERSION,
                "seed": self.seed,
                "today": self.today.isoformat(),
                "language": self.language,
            },
            sort_keys=True,
        )

    @classmethod
    def from_text(cls, text: str) -> DemoMarker | None:
        try:
            data = json.loads(text)
            return cls(int(data["seed"]), date.fromisoformat(data["today"]), data["language"])
        except (ValueError, KeyError, TypeError):
            return None
