"""What an import reports: rows read, inserted, updated, unchanged, removed, rejected (with
row, column and reason), the ownership conflicts, and how long the switch took."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

# Rows per step: a batch read, validated and staged, or prepared, is one short transaction.
BATCH = 1000
# Told the rows read so far after each batch (the chat edits its progress message).
Progress = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class Rejected:
    row: int
    column: str
    reason: str
    value: str


@dataclass
class ImportSummary:
    kind: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # How long the switch held the write lock (the one transaction readers see at once).
    switch_seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        """What the run keeps of it."""
        return {
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "removed": self.removed,
            "conflicts": len(self.conflicts),
        }


def rejected_csv(summary: ImportSummary) -> bytes:
    """The rejected rows with their reasons, for the admin to fix and send again."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["row", "column", "reason", "value"])
    for r in summary.rejected:
        writer.writerow([r.row, r.column, r.reason, r.value])
    return buffer.getvalue().encode("utf-8-sig")
