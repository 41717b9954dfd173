"""What the sync reads in 1C, per configuration family, and what a base has not published.

УТ 11, КА 2 and ERP 2 are one line of configurations and share the names the sync reads
(checked against public clients of their OData interface and a published, trimmed
`$metadata` of УТ 11: see tests/fakes/onec_data). Two things changed with the 11.5 / 2.5
releases, so there are two profiles, told apart by the published price register:

- prices: `InformationRegister_ЦеныНоменклатуры25` (11.5 / 2.5) replaced
  `InformationRegister_ЦеныНоменклатуры`; both are subordinate to their recorder, so their
  flat records are the `…_RecordType` entity set;
- a payment's breakdown (`РасшифровкаПлатежа`) names what it pays by `ОбъектРасчетов_Key`,
  a `Catalog_ОбъектыРасчетов` item whose `Объект` is the shipment, order or contract (11.5 /
  2.5), where earlier releases named the document itself in `Заказ` / `Заказ_Type`.

An administrator publishes objects in 1C ("Администрирование → Интернет-поддержка и
сервисы → Настройка стандартного интерфейса OData"). `missing()` names each object or field
a kind needs and the base lacks, with the object to tick, so the sync skips just that kind.
Fields the base has beyond these (extensions' `Расш1_…`, a partner's own) are ignored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.services.onec.odata import ODataMetadata

KINDS = ("clients", "contracts", "orders", "order_lines", "shipments", "payments", "prices")

CONTRACTORS = "Catalog_Контрагенты"
PARTNERS = "Catalog_Партнеры"
USERS = "Catalog_Пользователи"
CONTRACTS = "Catalog_ДоговорыКонтрагентов"
PRODUCTS = "Catalog_Номенклатура"
PRICE_TYPES = "Catalog_ВидыЦен"
CURRENCIES = "Catalog_Валюты"
PACKAGES = "Catalog_УпаковкиЕдиницыИзмерения"
SETTLEMENT_OBJECTS = "Catalog_ОбъектыРасчетов"
ORDERS = "Document_ЗаказКлиента"
ORDER_GOODS = "Document_ЗаказКлиента_Товары"
SHIPMENTS = "Document_РеализацияТоваровУслуг"
BANK_RECEIPTS = "Document_ПоступлениеБезналичныхДенежныхСредств"
BANK_BREAKDOWN = "Document_ПоступлениеБезналичныхДенежныхСредств_РасшифровкаПлатежа"
CASH_RECEIPTS = "Document_ПриходныйКассовыйОрдер"
CASH_BREAKDOWN = "Document_ПриходныйКассовыйОрдер_РасшифровкаПлатежа"
PLAN_PAYMENTS = "AccumulationRegister_РасчетыСКлиентамиПланОплат_RecordType"
PRICES_25 = "InformationRegister_ЦеныНоменклатуры25_RecordType"
PRICES_OLD = "InformationRegister_ЦеныНоменклатуры_RecordType"

# Entity set → (the object's full name in 1C, its name in the setup form's list).
_OBJECTS: dict[str, tuple[str, str]] = {
    CONTRACTORS: ("Справочник.Контрагенты", "Контрагенты"),
    PARTNERS: ("Справочник.Партнеры", "Партнеры"),
    USERS: ("Справочник.Пользователи", "Пользователи"),
    CONTRACTS: ("Справочник.ДоговорыКонтрагентов", "Договоры с контрагентами"),
    PRODUCTS: ("Справочник.Номенклатура", "Номенклатура"),
    PRICE_TYPES: ("Справочник.ВидыЦен", "Виды цен"),
    CURRENCIES: ("Справочник.Валюты", "Валюты"),
    PACKAGES: ("Справочник.УпаковкиЕдиницыИзмерения", "Упаковки и единицы измерения"),
    SETTLEMENT_OBJECTS: ("Справочник.ОбъектыРасчетов", "Объекты расчетов"),
    ORDERS: ("Документ.ЗаказКлиента", "Заказ клиента"),
    ORDER_GOODS: ("Документ.ЗаказКлиента.ТабличнаяЧасть.Товары", "Заказ клиента: Товары"),
    SHIPMENTS: ("Документ.РеализацияТоваровУслуг", "Реализация товаров и услуг"),
    BANK_RECEIPTS: (
        "Документ.ПоступлениеБезналичныхДенежныхСредств",
        "Поступление безналичных денежных средств",
    ),
    BANK_BREAKDOWN: (
        "Документ.ПоступлениеБезналичныхДенежныхСредств.ТабличнаяЧасть.РасшифровкаПлатежа",
        "Поступление безналичных денежных средств: Расшифровка платежа",
    ),
    CASH_RECEIPTS: ("Документ.ПриходныйКассовыйОрдер", "Приходный кассовый ордер"),
    CASH_BREAKDOWN: (
        "Документ.ПриходныйКассовыйОрдер.ТабличнаяЧасть.РасшифровкаПлатежа",
        "Приходный кассовый ордер: Расшифровка платежа",
    ),
    PLAN_PAYMENTS: (
        "РегистрНакопления.РасчетыСКлиентамиПланОплат",
        "Расчеты с клиентами (план оплат)",
    ),
    PRICES_25: ("РегистрСведений.ЦеныНоменклатуры25", "Цены номенклатуры"),
    PRICES_OLD: ("РегистрСведений.ЦеныНоменклатуры", "Цены номенклатуры"),
}


@dataclass(frozen=True)
class Part:
    """An entity set a kind reads: the fields it cannot do without, those it uses when the
    release has them. `needed=False`: the kind is read without it, with less detail (no due
    dates without the plan register, no manager without the partners)."""

    entity: str
    fields: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    needed: bool = True

    def select(self, metadata: ODataMetadata) -> tuple[str, ...]:
        """What to `$select`: the fields, and the optional ones the base has."""
        present = metadata.fields(self.entity) or frozenset()
        return self.fields + tuple(name for name in self.optional if name in present)


@dataclass(frozen=True)
class MissingPart:
    """An entity set (`field` None) or a field a kind needs that the base does not publish.
    `tick` is the object's full name in 1C, `title` its name in the setup form; `needed`
    False: the kind is still read, with less detail."""

    kind: str
    entity: str
    field: str | None
    tick: str
    title: str
    needed: bool


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    prices: str
    # How a payment's breakdown names what it pays: "object" (ОбъектРасчетов_Key) or
    # "document" (Заказ / Заказ_Type).
    breakdown: str
    parts: Mapping[str, tuple[Part, ...]] = field(default_factory=dict)

    def part(self, kind: str, entity: str) -> Part:
        for found in self.parts[kind]:
            if found.entity == entity:
                return found
        raise KeyError((kind, entity))

    def entities(self, kind: str) -> tuple[str, ...]:
        return tuple(part.entity for part in self.parts[kind])


_DOCUMENT = ("Ref_Key", "Number", "Date", "Posted", "DeletionMark")
_CURRENCIES = Part(CURRENCIES, ("Ref_Key",), ("Code", "Description"), needed=False)
_CONTRACTOR_CODES = Part(CONTRACTORS, ("Ref_Key",), ("Code", "IsFolder"))
_CONTRACT_NUMBERS = Part(CONTRACTS, ("Ref_Key",), ("Номер", "Description"), needed=False)
_PRODUCTS = Part(
    PRODUCTS, ("Ref_Key", "Description"), ("Code", "Артикул", "ЕдиницаИзмерения_Key", "IsFolder")
)


def _parts(prices: str, breakdown: tuple[str, ...]) -> dict[str, tuple[Part, ...]]:
    receipt = (
        "СуммаДокумента",
        "Контрагент_Key",
        "ХозяйственнаяОперация",
    )
    receipt_optional = (
        "Валюта_Key",
        "РасшифровкаПлатежа",
        "НомерВходящегоДокумента",
        "ДатаВходящегоДокумента",
    )
    objects: tuple[Part, ...] = ()
    if "ОбъектРасчетов_Key" in breakdown:
        objects = (Part(SETTLEMENT_OBJECTS, ("Ref_Key", "Объект", "Объект_Type"), needed=False),)
    return {
        "clients": (
            Part(
                CONTRACTORS,
                ("Ref_Key", "Description", "DeletionMark"),
                ("Code", "IsFolder", "ИНН", "КПП", "ГоловнойКонтрагент_Key", "Партнер_Key"),
            ),
            Part(PARTNERS, ("Ref_Key", "ОсновнойМенеджер_Key"), needed=False),
            Part(USERS, ("Ref_Key", "Description"), needed=False),
        ),
        "contracts": (
            Part(
                CONTRACTS,
                ("Ref_Key", "DeletionMark", "Контрагент_Key"),
                (
                    "Номер",
                    "Description",
                    "Дата",
                    "IsFolder",
                    "ВалютаВзаиморасчетов_Key",
                    "ДопустимоеЧислоДнейЗадолженности",
                    "ДопустимаяСуммаЗадолженности",
                    "ОграничиватьСуммуЗадолженности",
                ),
            ),
            _CONTRACTOR_CODES,
            _CURRENCIES,
        ),
        "orders": (
            Part(
                ORDERS,
                (*_DOCUMENT, "Контрагент_Key", "СуммаДокумента"),
                ("Договор_Key", "Статус", "ДатаОтгрузки", "Валюта_Key"),
            ),
            _CONTRACTOR_CODES,
            _CONTRACT_NUMBERS,
            _CURRENCIES,
        ),
        "order_lines": (
            Part(ORDERS, (*_DOCUMENT, "Товары")),
            Part(
                ORDER_GOODS,
                ("LineNumber", "Номенклатура_Key", "Количество", "Сумма"),
                ("Цена", "СуммаСНДС", "Отменено"),
            ),
            _PRODUCTS,
        ),
        "shipments": (
            Part(
                SHIPMENTS,
                (*_DOCUMENT, "Контрагент_Key", "СуммаДокумента"),
                ("Договор_Key", "ЗаказКлиента", "ЗаказКлиента_Type", "Валюта_Key"),
            ),
            Part(
                PLAN_PAYMENTS,
                ("Recorder", "Recorder_Type", "LineNumber", "Period", "ДатаПлановогоПогашения"),
                ("RecordType", "Active"),
                needed=False,
            ),
            Part(ORDERS, ("Ref_Key", "Number"), needed=False),
            _CONTRACTOR_CODES,
            _CONTRACT_NUMBERS,
            _CURRENCIES,
        ),
        "payments": (
            Part(BANK_RECEIPTS, _DOCUMENT + receipt, receipt_optional),
            Part(CASH_RECEIPTS, _DOCUMENT + receipt, receipt_optional),
            Part(BANK_BREAKDOWN, ("LineNumber",), breakdown, needed=False),
            Part(CASH_BREAKDOWN, ("LineNumber",), breakdown, needed=False),
            *objects,
            Part(SHIPMENTS, ("Ref_Key", "Number"), needed=False),
            _CONTRACTOR_CODES,
            _CONTRACT_NUMBERS,
            _CURRENCIES,
        ),
        "prices": (
            Part(
                prices,
                ("Recorder", "LineNumber", "Period", "ВидЦены_Key", "Номенклатура_Key", "Цена"),
                ("Active", "Характеристика_Key", "Упаковка_Key"),
            ),
            Part(PRICE_TYPES, ("Ref_Key", "Description"), ("DeletionMark", "ВалютаЦены_Key")),
            _PRODUCTS,
            Part(PACKAGES, ("Ref_Key", "Description"), needed=False),
            _CURRENCIES,
        ),
    }


_LINKS = ("ОснованиеПлатежа", "ОснованиеПлатежа_Type")
UT_11_5 = Profile(
    name="ut11.5",
    title="УТ 11.5 / КА 2.5 / ERP 2.5",
    prices=PRICES_25,
    breakdown="object",
    parts=_parts(PRICES_25, ("ОбъектРасчетов_Key", *_LINKS)),
)
UT_11_4 = Profile(
    name="ut11.4",
    title="УТ 11.4 / КА 2.4 / ERP 2.4 and earlier",
    prices=PRICES_OLD,
    breakdown="document",
    parts=_parts(PRICES_OLD, ("Заказ", "Заказ_Type", *_LINKS)),
)
PROFILES = (UT_11_5, UT_11_4)


def choose_profile(metadata: ODataMetadata) -> Profile:
    """The profile of the base's release: by its price register, else (prices not published)
    by how its payment breakdown names what it pays; 11.5 when nothing tells."""
    if metadata.has(PRICES_25) or metadata.fields(PRICES_25) is not None:
        return UT_11_5
    if metadata.has(PRICES_OLD) or metadata.fields(PRICES_OLD) is not None:
        return UT_11_4
    breakdown = metadata.fields(BANK_BREAKDOWN) or frozenset()
    if "Заказ" in breakdown and "ОбъектРасчетов_Key" not in breakdown:
        return UT_11_4
    return UT_11_5


def missing(metadata: ODataMetadata, profile: Profile) -> list[MissingPart]:
    """Each entity set or field the profile's kinds need that the base does not publish, in
    the order of the kinds; an entity missing for several kinds is named for each."""
    found: list[MissingPart] = []
    for kind in KINDS:
        for part in profile.parts[kind]:
            tick, title = _OBJECTS.get(part.entity, (part.entity, part.entity))
            present = metadata.entity_sets.get(part.entity)
            if present is None:
                found.append(MissingPart(kind, part.entity, None, tick, title, part.needed))
                continue
            found.extend(
                MissingPart(kind, part.entity, name, tick, title, part.needed)
                for name in part.fields
                if name not in present
            )
    return found


def skipped_kinds(parts: list[MissingPart]) -> dict[str, list[MissingPart]]:
    """The kinds that cannot be read (a needed part is missing), with what they miss."""
    skipped: dict[str, list[MissingPart]] = {}
    for part in parts:
        if part.needed:
            skipped.setdefault(part.kind, []).append(part)
    return skipped
