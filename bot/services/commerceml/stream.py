"""The shape both of 1C's package files share: a header (the root's and a container's
attributes and small lists: price types, warehouses, groups) and then many records inside
a list element (Товары/Товар, Предложения/Предложение). The header is read as soon as the
parse reaches the first record; the records stream after it, each released once read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from bot.services.commerceml.model import CommerceMLError
from bot.services.commerceml.safe import ROOT, Element, local_name, release

H = TypeVar("H")
R = TypeVar("R")


class RecordStream(Generic[H, R]):
    """Subclasses name the record (`record`), its list (`records_in`) and the containers the
    list lives in (`containers`), and read a header and a record."""

    record: str
    records_in: str
    containers: tuple[str, ...]

    def __init__(self, events: Iterator[tuple[str, Element]]) -> None:
        self._events = events
        self._first: R | None = None

    def _header(self, root: Element, container: Element | None) -> H:
        raise NotImplementedError

    def _record(self, element: Element) -> R:
        raise NotImplementedError

    def _is_record(self, name: str, element: Element) -> bool:
        if name != self.record:
            return False
        parent = element.getparent()
        return parent is not None and local_name(parent.tag) == self.records_in

    def header(self) -> H:
        for _, element in self._events:
            name = local_name(element.tag)
            if self._is_record(name, element):
                container = element.getparent().getparent()
                header = self._header(element.getroottree().getroot(), container)
                self._first = self._record(element)
                release(element)
                return header
            if name in self.containers and element.getparent().getparent() is None:
                return self._header(element.getparent(), element)
            if name == ROOT:
                container = next(
                    (item for item in element if local_name(item.tag) in self.containers), None
                )
                return self._header(element, container)
        raise CommerceMLError("malformed XML: the root element never ends")

    def records(self) -> Iterator[R]:
        if self._first is not None:
            yield self._first
            self._first = None
        for _, element in self._events:
            if self._is_record(local_name(element.tag), element):
                yield self._record(element)
                release(element)
