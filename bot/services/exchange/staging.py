"""A file's records read once, to the end, into batches kept on disk: a malformed or unsafe
file fails while it is read, before anything is written, and the apply then reads the
batches back instead of parsing the XML a second time. Memory holds one batch at a time."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Generic, TypeVar

_T = TypeVar("_T")


class StagedBatches(Generic[_T]):
    def __init__(self, folder: Path | None = None) -> None:
        # Closed by close() / the with-block: the batches live as long as the apply.
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115
        self.batches = 0
        self.records = 0

    def stage(self, records: Iterable[_T], size: int) -> None:
        """Read `records` to the end (this is where a broken file raises), `size` a batch."""
        iterator = iter(records)
        while batch := list(islice(iterator, size)):
            pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.batches += 1
            self.records += len(batch)

    def __iter__(self) -> Iterator[list[_T]]:
        self._file.seek(0)
        for _ in range(self.batches):
            batch: list[_T] = pickle.load(self._file)
            yield batch

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> StagedBatches[_T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
