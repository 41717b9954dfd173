"""Orders both ways under type=sale, and which kind a CommerceML file is.

`write_orders` builds the orders.xml 1C's "Обмен с сайтами" loads on `mode=query`, in the
shape 1C's own sample and the site modules 1C works with write: a `Документ` per order with
ХозОперация "Заказ товара", the buyer by ИНН/КПП (and 1C's Ид where the bot knows it), the
lines with 1C's product ids, and the order's attributes as ЗначенияРеквизитов ("Дата
отгрузки", "Менеджер", "Отменен", "ПометкаУдаления"). CommerceML 3 wraps each document in a
`Контейнер`. `read_order_updates` reads what 1C sends back about them: its number and date
("Номер по 1С", "Дата по 1С", or 3.1's Номер1С and Дата1С), "Статус заказа", and whether
the order is paid, shipped or cancelled."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

from bot.services.commerceml.catalog import OKEI_UNITS
from bot.services.commerceml.model import (
    CommerceMLError,
    DocumentKind,
    OrderParty,
    OrderStatusUpdate,
    OutgoingOrder,
    OutgoingOrderLine,
)
from bot.services.commerceml.safe import (
    ROOT,
    Element,
    child_text,
    iterparse,
    local_name,
    release,
    text,
    to_bool,
    to_date,
    to_datetime,
)

NAMESPACES = {"2": "urn:1C.ru:commerceml_2", "3": "urn:1C.ru:commerceml_3"}
ORDER_OPERATION = "Заказ товара"
_LABELS = {"cp1251": "windows-1251", "utf-8": "UTF-8"}  # as 1C writes them
_CENTS = Decimal("0.01")
# The schema's lengths (НаименованиеТип, КомментарийТип, ЗначениеТип): longer texts are cut.
_NAME, _COMMENT, _VALUE = 255, 3000, 1000
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_orders(
    orders: Iterable[OutgoingOrder],
    *,
    generated_at: datetime,
    zone: ZoneInfo,
    encoding: str = "windows-1251",
    schema_version: str = "2.08",
) -> bytes:
    """orders.xml for 1C: dates and times in the company's zone, amounts to the kopeck,
    every text escaped by lxml; characters the encoding lacks become character references.
    No orders: a valid document with no Документ."""
    major = schema_version.partition(".")[0]
    namespace = NAMESPACES.get(major)
    if namespace is None:
        raise ValueError(f"unknown CommerceML schema version {schema_version!r}")
    build = _Builder(namespace, zone)
    root = etree.Element(build.tag(ROOT), nsmap={None: namespace})
    root.set("ВерсияСхемы", schema_version)
    root.set("ДатаФормирования", build.moment(generated_at).isoformat(timespec="seconds"))
    for order in orders:
        parent = build.add(root, "Контейнер") if major == "3" else root
        build.document(parent, order)
    label = _LABELS.get(codecs.lookup(encoding).name, encoding)
    body = etree.tostring(root, xml_declaration=False, encoding=encoding, pretty_print=True)
    return f'<?xml version="1.0" encoding="{label}"?>\n'.encode("ascii") + bytes(body)


class _Builder:
    def __init__(self, namespace: str, zone: ZoneInfo) -> None:
        self._namespace, self._zone = namespace, zone

    def tag(self, name: str) -> str:
        return f"{{{self._namespace}}}{name}"

    def moment(self, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("an aware datetime is needed")
        return value.astimezone(self._zone).replace(tzinfo=None)

    def add(self, parent: Element, name: str, value: str | None = None, **attrs: str) -> Any:
        element = etree.SubElement(parent, self.tag(name))
        for key, item in attrs.items():
            element.set(key, _NOT_XML.sub("", item))
        if value is not None:
            element.text = _NOT_XML.sub("", value)
        return element

    def requisites(self, parent: Element, values: Iterable[tuple[str, str]]) -> None:
        container = self.add(parent, "ЗначенияРеквизитов")
        for name, value in values:
            requisite = self.add(container, "ЗначениеРеквизита")
            self.add(requisite, "Наименование", name)
            self.add(requisite, "Значение", value)

    def document(self, parent: Element, order: OutgoingOrder) -> None:
        created = self.moment(order.created_at)
        document = self.add(parent, "Документ")
        self.add(document, "Ид", order.site_id)
        self.add(document, "Номер", order.number)
        self.add(document, "Дата", created.date().isoformat())
        self.add(document, "ХозОперация", ORDER_OPERATION)
        self.add(document, "Роль", "Продавец")
        self.add(document, "Валюта", order.currency)
        self.add(document, "Курс", "1")
        self.add(document, "Сумма", _money(order.amount))
        self.party(self.add(document, "Контрагенты"), order.client)
        self.add(document, "Время", created.time().isoformat(timespec="seconds"))
        if order.comment:
            self.add(document, "Комментарий", order.comment[:_COMMENT])
        if order.lines:
            lines = self.add(document, "Товары")
            for line in order.lines:
                self.line(lines, line)
        flag = "true" if order.cancelled else "false"
        requisites = [("Дата отгрузки", order.delivery_date.isoformat())]
        if order.manager_name:
            requisites.append(("Менеджер", order.manager_name[:_VALUE]))
        requisites += [("Отменен", flag), ("ПометкаУдаления", flag)]
        self.requisites(document, requisites)

    def party(self, parent: Element, client: OrderParty) -> None:
        """The buyer: a company (ИНН of 10 digits, or a КПП) by ОфициальноеНаименование, an
        individual entrepreneur (12 digits, no КПП) by ПолноеНаименование, as the schema's
        РеквизитыЮрЛица and РеквизитыФизЛица have it."""
        party = self.add(parent, "Контрагент")
        if client.onec_id:
            self.add(party, "Ид", client.onec_id)
        self.add(party, "Наименование", client.name[:_NAME])
        person = client.inn is not None and len(client.inn) == 12 and not client.kpp
        full_name = "ПолноеНаименование" if person else "ОфициальноеНаименование"
        self.add(party, full_name, client.name[:_NAME])
        if client.inn:
            self.add(party, "ИНН", client.inn)
        if client.kpp:
            self.add(party, "КПП", client.kpp)
        self.add(party, "Роль", "Покупатель")

    def line(self, parent: Element, line: OutgoingOrderLine) -> None:
        item = self.add(parent, "Товар")
        if line.product_onec_id:
            self.add(item, "Ид", line.product_onec_id)
        if line.article:
            self.add(item, "Артикул", line.article[:_NAME])
        self.add(item, "Наименование", line.name[:_NAME])
        self.unit(item, line)
        self.requisites(item, [("ВидНоменклатуры", "Товар"), ("ТипНоменклатуры", "Товар")])
        self.add(item, "ЦенаЗаЕдиницу", _money(line.price))
        self.add(item, "Количество", _number(line.quantity))
        self.add(item, "Сумма", _money(line.amount))

    def unit(self, parent: Element, line: OutgoingOrderLine) -> None:
        """<БазоваяЕдиница Код="796" НаименованиеПолное="Штука"
        МеждународноеСокращение="PCE">шт</БазоваяЕдиница>, as far as the line knows it."""
        attrs: dict[str, str] = {}
        code = line.unit_code
        if code and 3 <= len(code) <= 4:
            attrs["Код"] = code
            if code in OKEI_UNITS:
                _, full, international = OKEI_UNITS[code]
                attrs |= {"НаименованиеПолное": full, "МеждународноеСокращение": international}
        short = line.unit or OKEI_UNITS.get(code or "", ("",))[0]
        self.add(parent, "БазоваяЕдиница", short, **attrs)


def _money(value: Decimal) -> str:
    return str(value.quantize(_CENTS, rounding=ROUND_HALF_UP))


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def read_order_updates(path: Path, *, max_bytes: int) -> Iterator[OrderStatusUpdate]:
    """What 1C says about the orders it took, one per order document (in 2.x directly under
    the root, in 3.1 in a Контейнер); documents of other operations (payments, shipments)
    are skipped. Raises CommerceMLError for an unsafe or malformed file."""
    return _updates(iterparse(path, max_bytes=max_bytes, tags=("Документ",)))


def _updates(events: Iterator[tuple[str, Element]]) -> Iterator[OrderStatusUpdate]:
    for _, element in events:
        update = _update(element)
        container = element.getparent()
        release(element)
        if container is not None and local_name(container.tag) == "Контейнер":
            # The containers before this one are done; this one may hold more documents.
            while container.getprevious() is not None:
                del container.getparent()[0]
        if update is not None:
            yield update


def _update(document: Element) -> OrderStatusUpdate | None:
    fields: dict[str, str | None] = {}
    requisites: dict[str, str] = {}
    for item in document:
        tag = local_name(item.tag)
        if tag == "ЗначенияРеквизитов":
            for requisite in item:
                if name := child_text(requisite, "Наименование"):
                    requisites[name] = child_text(requisite, "Значение") or ""
        else:
            fields[tag] = text(item)
    operation = fields.get("ХозОперация")
    if operation is not None and operation.casefold() != ORDER_OPERATION.casefold():
        return None
    site_id, site_number = fields.get("Ид"), fields.get("Номер")
    if site_id is None and site_number is None:
        return None

    def happened(flag: str, number: str, moment: str) -> bool:
        given = requisites.get(number, "").strip()
        return to_bool(requisites.get(flag)) or bool(given) or _is_date(requisites.get(moment))

    return OrderStatusUpdate(
        site_id=site_id,
        site_number=site_number,
        onec_number=(requisites.get("Номер по 1С", "").strip() or fields.get("Номер1С")),
        onec_date=to_date(requisites.get("Дата по 1С")) or to_date(fields.get("Дата1С")),
        status=requisites.get("Статус заказа", "").strip() or None,
        paid=happened("Заказ оплачен", "Номер оплаты по 1С", "Дата оплаты по 1С"),
        shipped=happened("Отгружен", "Номер отгрузки по 1С", "Дата отгрузки по 1С"),
        cancelled=to_bool(requisites.get("Отменен"))
        or to_bool(requisites.get("ПометкаУдаления"))
        or to_bool(fields.get("ПометкаУдаления")),
    )


def _is_date(value: str | None) -> bool:
    return to_datetime(value) is not None


_KINDS = {
    "Каталог": DocumentKind.CATALOG,
    "ПакетПредложений": DocumentKind.OFFERS,
    "ИзмененияПакетаПредложений": DocumentKind.OFFERS,
    "Документ": DocumentKind.ORDERS,
    "Контейнер": DocumentKind.ORDERS,
}


def detect_kind(path: Path, *, max_bytes: int | None = None) -> DocumentKind:
    """Which CommerceML file this is, by the root's children: a classifier alone is a catalog
    (CommerceML 3 sends it in a file of its own); anything else is refused."""
    tags = (*_KINDS, "Классификатор")
    events = iterparse(path, max_bytes=max_bytes, tags=tags, events=("start",))
    classifier = False
    try:
        for _, element in events:
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue
            name = local_name(element.tag)
            if name in _KINDS:
                return _KINDS[name]
            classifier = classifier or name == "Классификатор"
    finally:
        events.close()
    if classifier:
        return DocumentKind.CATALOG
    raise CommerceMLError(
        "not a catalog, offers or orders file: no Каталог, ПакетПредложений or Документ"
    )
